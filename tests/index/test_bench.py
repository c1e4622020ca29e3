"""`archive-bot bench` runs end to end on a small archive and prints every figure it promises."""

from __future__ import annotations

import argparse
import json

from index import bench


def test_bench_measures_ours_and_the_baselines_in_one_run(monkeypatch, capsys):
    engines = {name: run for name, run in bench.ENGINES.items() if name in ("rank_bm25", "fts5")}
    monkeypatch.setattr(bench, "ENGINES", engines)  # the optional engines have a bench of their own
    args = argparse.Namespace(paragraphs=2400, queries=60, db=None, json=True)
    assert bench.run_bench(args) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["paragraphs"] == 2400 and figures["queries"] == 60
    assert figures["build_paragraphs_per_s"] > 0 and figures["rss_mb"] > 0
    assert figures["query_p50_ms"] <= figures["query_p99_ms"]
    assert sum(figures["query_plans"].values()) == 60
    assert figures["rank_bm25_p50_ms"] > 0 and figures["fts5_p50_ms"] > 0
    table = bench.format_table(figures)
    assert "stock rank-bm25" in table and "SQLite FTS5" in table
    assert "not measured (tantivy not installed)" in table
    assert "cold start, s <= 0.4" in table


def test_the_table_shows_tantivy_ratios_and_the_targets_met_or_missed():
    figures = {
        "paragraphs": 10, "queries": 5, "build_paragraphs_per_s": 12_000.0, "cold_start_s": 0.5,
        "query_p50_ms": 0.6, "query_p95_ms": 1.0, "query_p99_ms": 2.0, "ask_p50_ms": 9.0,
        "ask_p99_ms": 20.0, "rss_mb": 150.0, "add_article_ms": 5.0,
        "tantivy_p50_ms": 0.2, "tantivy_p99_ms": 0.5, "tantivy_build_paragraphs_per_s": 24_000.0,
        "query_p50_vs_tantivy": 3.0, "query_p99_vs_tantivy": 4.0, "build_vs_tantivy": 0.5,
    }
    table = bench.format_table(figures)
    assert "(ours 3.0x / 4.0x its time)" in table
    assert "top-5 p50 / tantivy's <= 4: 3.00  ok" in table
    assert "cold start, s <= 0.4: 0.50  MISSED" in table
    assert "index build, paragraphs/s >= 10,000: 12,000.00  ok" in table
