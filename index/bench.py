"""`archive-bot bench`: how fast and how big the index is, measured in one run.

A synthetic archive (or a real one with `--db`) is indexed from text, then a fresh process opens
it and serves queries, so cold start and peak memory are those of a serving bot, not of the
build. The same paragraphs and queries then go, each engine in a fresh process of its own, to
tantivy (Rust, Lucene-like, block-max pruning) and bm25s when the optional `bench` extra is
installed, to stock rank-bm25 `get_scores` and to SQLite FTS5 `bm25()`, and every ratio is
printed from this one run, with the acceptance targets. Synthetic words follow Zipf's law, with
the most frequent ranks taken by real English stopwords, as in real text.

Each engine is timed from query text to its top five, its own tokenizing or parsing included.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from articles.model import Article, Paragraph
from index.tokenize import STOPWORDS, tokenize

PARAGRAPHS_PER_ARTICLE = 12
QUESTION_FORMS = ["When did {} happen?", "Who led {}?", "How many {} were there?", "What is {}?"]
SLOW_ENGINE_QUERIES = 200  # bm25s and rank-bm25 score every paragraph per query: a sample
RANK_BM25_QUERIES = 20
FTS5_QUERIES = 500

# (figure, target, what it is compared with): the acceptance figures of the index work.
TARGETS = [
    ("query_p50_vs_tantivy", 4.0, "top-5 p50 / tantivy's"),
    ("query_p99_vs_tantivy", 6.0, "top-5 p99 / tantivy's"),
    ("build_paragraphs_per_s", -10_000, "index build, paragraphs/s"),
    ("cold_start_s", 0.4, "cold start, s"),
    ("rss_mb", 300, "serving peak RSS, MB"),
    ("add_article_ms", 50, "add one article, ms"),
    ("ask_p50_ms", 15, "whole ask p50, ms"),
]


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage: on Linux ru_maxrss carries over
    the peak of the process that forked this one, so a fresh server would be charged for the
    build."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_vocabulary(size: int, rng: random.Random) -> list[str]:
    """Stopwords for the head of the distribution, then made-up words of 2-4 syllables."""
    onsets = "b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr st tr".split()
    vowels = "a e i o u ai ea io ou".split()
    words = sorted(w for w in STOPWORDS if "'" not in w)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def synthetic_paragraphs(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    vocab = np.array(synthetic_vocabulary(max(20_000, min(200_000, n // 2)), rng))
    ranks = np.arange(1, len(vocab) + 1, dtype=np.float64)
    weights = 1.0 / (ranks + 2.7)
    weights /= weights.sum()
    nprng = np.random.default_rng(seed)
    lengths = np.clip(nprng.normal(75, 30, n).astype(int), 12, 220)
    words = vocab[nprng.choice(len(vocab), size=int(lengths.sum()), p=weights)]
    out, start = [], 0
    for length in lengths:
        chunk = words[start : start + length]
        start += length
        out.append(" ".join(chunk.tolist()).capitalize() + ".")
    return out


def synthetic_queries(paragraphs: list[str], count: int, seed: int = 11) -> list[str]:
    """2-5 content words taken from a random paragraph, as a member would recall them."""
    rng = random.Random(seed)
    queries = []
    while len(queries) < count:
        words = [w.strip(".").lower() for w in rng.choice(paragraphs).split()]
        content = [w for w in words if w not in STOPWORDS]
        if len(content) >= 2:
            queries.append(" ".join(rng.sample(content, min(len(content), rng.randint(2, 5)))))
    return queries


def build_archive(db_path: Path, paragraphs: list[str]) -> float:
    """Index the paragraphs as articles from text; returns paragraphs per second."""
    from index.indexer import Indexer, bulk_indexing
    from index.store import Store

    started = time.perf_counter()
    store = Store(db_path)
    indexer = Indexer(store)
    with bulk_indexing(), store.transaction():
        for start in range(0, len(paragraphs), PARAGRAPHS_PER_ARTICLE):
            n = start // PARAGRAPHS_PER_ARTICLE
            indexer.add(Article(
                title=f"Synthetic article {n}",
                paragraphs=[Paragraph(p) for p in paragraphs[start : start + PARAGRAPHS_PER_ARTICLE]],
                url=f"https://bench.example/{n}",
            ))
        indexer.flush()
        store.set_meta("last_reindex", "bench")
    store.close()
    return len(paragraphs) / (time.perf_counter() - started)


def serve(db_path: Path, queries: list[str]) -> dict:
    """Runs in a fresh process: what a serving bot costs in time and memory."""
    from index.archive import Archive

    started = time.perf_counter()
    archive = Archive(db_path, [])
    archive.ask(QUESTION_FORMS[0].format(queries[0]))
    cold = time.perf_counter() - started
    index = archive.indexer.paragraphs
    for q in queries[:50]:
        index.top_n(tokenize(q), 5)
    query_ms, plans = [], {}
    for q in queries:
        t = time.perf_counter()
        index.top_n(tokenize(q), 5)
        query_ms.append((time.perf_counter() - t) * 1000)
        plans[index.last_plan] = plans.get(index.last_plan, 0) + 1
    ask_ms = []
    for i, q in enumerate(queries[: min(len(queries), 500)]):
        t = time.perf_counter()
        archive.ask(QUESTION_FORMS[i % len(QUESTION_FORMS)].format(q))
        ask_ms.append((time.perf_counter() - t) * 1000)
    rss_mb = peak_rss_mb()
    add_ms = []
    for i in range(5):
        article = Article(
            title=f"Freshly published article {i}",
            paragraphs=[Paragraph(q + " " + queries[-1 - i]) for q in queries[i * 12 : i * 12 + 12]],
            url=f"https://bench.example/new/{i}",
        )
        t = time.perf_counter()
        archive.add_article(article)
        add_ms.append((time.perf_counter() - t) * 1000)
    return {
        "cold_start_s": cold,
        "query_p50_ms": _percentile(query_ms, 50),
        "query_p95_ms": _percentile(query_ms, 95),
        "query_p99_ms": _percentile(query_ms, 99),
        "ask_p50_ms": _percentile(ask_ms, 50),
        "ask_p99_ms": _percentile(ask_ms, 99),
        "rss_mb": rss_mb,
        "add_article_ms": statistics.median(add_ms),
        "query_plans": plans,
    }


def _timed(run, queries: list) -> list[float]:
    for q in queries[:20]:  # warm the code paths, not the data
        run(q)
    times = []
    for q in queries:
        t = time.perf_counter()
        run(q)
        times.append((time.perf_counter() - t) * 1000)
    return times


def _engine_figures(build_rate: float, times: list[float]) -> dict:
    return {
        "build_paragraphs_per_s": build_rate,
        "p50_ms": _percentile(times, 50),
        "p99_ms": _percentile(times, 99),
    }


def rank_bm25_run(paragraphs: list[str], queries: list[str]) -> dict:
    from rank_bm25 import BM25Okapi

    model = BM25Okapi([tokenize(p) for p in paragraphs])

    def run(q: str) -> None:
        scores = model.get_scores(tokenize(q))
        np.argpartition(-scores, 4)[:5]

    return {"p50_ms": _percentile(_timed(run, queries[:RANK_BM25_QUERIES]), 50)}


def tantivy_run(paragraphs: list[str], queries: list[str]) -> dict:
    """tantivy with its English stemming tokenizer; the text is indexed, not stored."""
    import tantivy

    with tempfile.TemporaryDirectory(prefix="archive-bot-tantivy-") as tmp:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
        index = tantivy.Index(builder.build(), path=tmp)
        started = time.perf_counter()
        writer = index.writer(heap_size=256_000_000, num_threads=os.cpu_count() or 1)
        for p in paragraphs:
            writer.add_document(tantivy.Document(body=p))
        writer.commit()
        writer.wait_merging_threads()
        build = len(paragraphs) / (time.perf_counter() - started)
        index.reload()
        searcher = index.searcher()
        texts = [" ".join(re.findall(r"\w+", q.lower())) or "nothing" for q in queries]

        def run(text: str) -> None:
            [hit for hit in searcher.search(index.parse_query(text, ["body"]), 5).hits]

        times = _timed(run, texts)
    return _engine_figures(build, times)


def bm25s_run(paragraphs: list[str], queries: list[str]) -> dict:
    """bm25s (numpy backend) with its own tokenizer, English stopwords and the same stemmer."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    started = time.perf_counter()
    corpus = bm25s.tokenize(paragraphs, stopwords="en", stemmer=stemmer, show_progress=False)
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    build = len(paragraphs) / (time.perf_counter() - started)

    def run(q: str) -> None:
        terms = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)
        if terms[0]:
            model.retrieve(terms, k=5, show_progress=False, n_threads=1)

    times = _timed(run, queries[:SLOW_ENGINE_QUERIES])
    return _engine_figures(build, times)


def fts5_run(paragraphs: list[str], queries: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="archive-bot-fts5-") as tmp:
        conn = sqlite3.connect(str(Path(tmp) / "fts.db"))
        conn.execute("CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='porter unicode61')")
        conn.executemany("INSERT INTO fts (text) VALUES (?)", ((p,) for p in paragraphs))
        conn.commit()

        def run(q: str) -> None:
            match = " OR ".join(f'"{w}"' for w in re.findall(r"\w+", q))
            conn.execute(
                "SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 5", (match,)
            ).fetchall()

        times = _timed(run, queries[:FTS5_QUERIES])
        conn.close()
    return {"p50_ms": _percentile(times, 50)}


ENGINES = {"tantivy": tantivy_run, "bm25s": bm25s_run, "rank_bm25": rank_bm25_run, "fts5": fts5_run}
OPTIONAL = {"tantivy": "tantivy", "bm25s": "bm25s"}  # engine -> module the `bench` extra installs


def real_paragraphs(db_path: Path) -> list[str]:
    conn = sqlite3.connect(str(db_path))
    try:
        return [t for (t,) in conn.execute("SELECT text FROM paragraphs ORDER BY id")]
    finally:
        conn.close()


def _paragraphs(source: dict) -> list[str]:
    if source.get("db"):
        return real_paragraphs(Path(source["db"]))
    return synthetic_paragraphs(source["paragraphs"])


def _in_child(args: list[str]) -> dict:
    """Run `python -m index.bench ARGS` and return the JSON it prints last."""
    child = subprocess.run(
        [sys.executable, "-m", "index.bench", *args], capture_output=True, text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    if child.returncode != 0:
        raise RuntimeError(f"bench {args[0]} failed: {child.stderr.strip().splitlines()[-1:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def run_bench(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="archive-bot-bench-") as tmp:
        tmp_dir = Path(tmp)
        if args.db and Path(args.db).exists():
            source = {"db": str(args.db)}
            paragraphs = real_paragraphs(Path(args.db))
            label = f"{args.db} ({len(paragraphs):,} paragraphs)"
        else:
            source = {"paragraphs": args.paragraphs}
            paragraphs = synthetic_paragraphs(args.paragraphs)
            label = f"synthetic, {len(paragraphs):,} paragraphs"
        queries = synthetic_queries(paragraphs, args.queries)
        db_path = tmp_dir / "bench.db"
        print(f"building index ({label}) ...", file=sys.stderr)
        build_rate = build_archive(db_path, paragraphs)
        del paragraphs
        (tmp_dir / "queries.json").write_text(json.dumps(queries))
        (tmp_dir / "source.json").write_text(json.dumps(source))
        print("serving in a fresh process ...", file=sys.stderr)
        served = _in_child(["serve", str(db_path), str(tmp_dir / "queries.json")])
        others: dict[str, dict] = {}
        for engine in ENGINES:
            module = OPTIONAL.get(engine)
            if module and importlib.util.find_spec(module) is None:
                print(f"{engine} is not installed (pip install -e '.[bench]'): skipped", file=sys.stderr)
                continue
            print(f"{engine} on the same paragraphs and queries, in a fresh process ...", file=sys.stderr)
            others[engine] = _in_child([engine, str(tmp_dir / "source.json"), str(tmp_dir / "queries.json")])
    figures = {
        "paragraphs": args.paragraphs if "paragraphs" in source else None,
        "queries": len(queries),
        "build_paragraphs_per_s": build_rate,
        **served,
        **{f"{engine}_{key}": value for engine, got in others.items() for key, value in got.items()},
    }
    if figures["paragraphs"] is None:
        figures["paragraphs"] = served.get("paragraphs")
    if "tantivy_p50_ms" in figures:
        figures["query_p50_vs_tantivy"] = figures["query_p50_ms"] / figures["tantivy_p50_ms"]
        figures["query_p99_vs_tantivy"] = figures["query_p99_ms"] / figures["tantivy_p99_ms"]
        figures["build_vs_tantivy"] = build_rate / figures["tantivy_build_paragraphs_per_s"]
    if args.json:
        print(json.dumps(figures))
    else:
        print(format_table(figures))
    return 0


def _ratio(ours: float, theirs: float) -> str:
    """How many times slower (or faster) the other engine is than ours."""
    if theirs >= ours:
        return f"{theirs / ours:.1f}x slower than ours"
    return f"{ours / theirs:.1f}x faster than ours"


def format_table(f: dict) -> str:
    rows = [
        ("paragraphs / queries", f"{f['paragraphs']:,} / {f['queries']:,}"),
        ("index build", f"{f['build_paragraphs_per_s']:,.0f} paragraphs/s"),
        ("cold start (open to first answer)", f"{f['cold_start_s']:.2f} s"),
        ("top-5 query p50 / p95 / p99",
         f"{f['query_p50_ms']:.2f} / {f['query_p95_ms']:.2f} / {f['query_p99_ms']:.2f} ms"),
        ("whole ask p50 / p99", f"{f['ask_p50_ms']:.1f} / {f['ask_p99_ms']:.1f} ms"),
        ("serving peak RSS", f"{f['rss_mb']:.0f} MB"),
        ("add one article", f"{f['add_article_ms']:.0f} ms"),
    ]
    if "tantivy_p50_ms" in f:
        rows += [
            ("tantivy top-5 p50 / p99",
             f"{f['tantivy_p50_ms']:.2f} / {f['tantivy_p99_ms']:.2f} ms "
             f"(ours {f['query_p50_vs_tantivy']:.1f}x / {f['query_p99_vs_tantivy']:.1f}x its time)"),
            ("tantivy build",
             f"{f['tantivy_build_paragraphs_per_s']:,.0f} paragraphs/s "
             f"(ours {f['build_vs_tantivy']:.2f}x its rate)"),
        ]
    if "bm25s_p50_ms" in f:
        rows += [
            ("bm25s top-5 p50 / p99", f"{f['bm25s_p50_ms']:.1f} / {f['bm25s_p99_ms']:.1f} ms "
             f"({_ratio(f['query_p50_ms'], f['bm25s_p50_ms'])})"),
            ("bm25s build", f"{f['bm25s_build_paragraphs_per_s']:,.0f} paragraphs/s"),
        ]
    if "rank_bm25_p50_ms" in f:
        rows.append(("stock rank-bm25 get_scores p50",
                     f"{f['rank_bm25_p50_ms']:.1f} ms ({_ratio(f['query_p50_ms'], f['rank_bm25_p50_ms'])})"))
    if "fts5_p50_ms" in f:
        rows.append(("SQLite FTS5 bm25() p50",
                     f"{f['fts5_p50_ms']:.2f} ms ({_ratio(f['query_p50_ms'], f['fts5_p50_ms'])})"))
    width = max(len(k) for k, _ in rows)
    lines = [f"{k:<{width}}  {v}" for k, v in rows]
    lines.append("")
    lines.append("acceptance (target: measured)")
    for key, target, what in TARGETS:
        if key not in f:
            lines.append(f"  {what}: not measured (tantivy not installed)")
            continue
        ok = f[key] >= -target if target < 0 else f[key] <= target
        bound = f">= {-target:,}" if target < 0 else f"<= {target:g}"
        lines.append(f"  {what} {bound}: {f[key]:,.2f}  {'ok' if ok else 'MISSED'}")
    return "\n".join(lines)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "serve":
    print(json.dumps(serve(Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text()))))
elif __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] in ENGINES:
    _source = json.loads(Path(sys.argv[2]).read_text())
    print(json.dumps(ENGINES[sys.argv[1]](_paragraphs(_source), json.loads(Path(sys.argv[3]).read_text()))))
