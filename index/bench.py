"""`archive-bot bench`: how fast and how big the index is, measured in one run.

A synthetic archive (or a real one with `--db`) is indexed from text, then a fresh process opens
it and serves queries, so cold start and peak memory are those of a serving bot, not of the
build. Stock rank-bm25 `get_scores` and SQLite FTS5 `bm25()` rank the same paragraphs for the
same queries, for comparison. Synthetic words follow Zipf's law, with the most frequent ranks
taken by real English stopwords, as in real text.
"""

from __future__ import annotations

import argparse
import json
import random
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
    query_ms = []
    for q in queries:
        t = time.perf_counter()
        index.top_n(tokenize(q), 5)
        query_ms.append((time.perf_counter() - t) * 1000)
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
    }


def rank_bm25_p50(paragraphs: list[str], queries: list[str]) -> float:
    from rank_bm25 import BM25Okapi

    model = BM25Okapi([tokenize(p) for p in paragraphs])
    times = []
    for q in queries:
        terms = tokenize(q)
        t = time.perf_counter()
        scores = model.get_scores(terms)
        np.argpartition(-scores, 4)[:5]
        times.append((time.perf_counter() - t) * 1000)
    return _percentile(times, 50)


def fts5_p50(db_path: Path, paragraphs: list[str], queries: list[str]) -> float:
    conn = sqlite3.connect(str(db_path))
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, tokenize='porter unicode61')")
    conn.executemany("INSERT INTO fts (text) VALUES (?)", ((p,) for p in paragraphs))
    conn.commit()
    times = []
    for q in queries:
        match = " OR ".join(f'"{w}"' for w in q.split())
        t = time.perf_counter()
        conn.execute(
            "SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 5", (match,)
        ).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    conn.close()
    return _percentile(times, 50)


def real_paragraphs(db_path: Path) -> list[str]:
    conn = sqlite3.connect(str(db_path))
    try:
        return [t for (t,) in conn.execute("SELECT text FROM paragraphs")]
    finally:
        conn.close()


def run_bench(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="archive-bot-bench-") as tmp:
        tmp_dir = Path(tmp)
        if args.db and Path(args.db).exists():
            paragraphs = real_paragraphs(Path(args.db))
            source = f"{args.db} ({len(paragraphs):,} paragraphs)"
        else:
            paragraphs = synthetic_paragraphs(args.paragraphs)
            source = f"synthetic, {len(paragraphs):,} paragraphs"
        queries = synthetic_queries(paragraphs, args.queries)
        db_path = tmp_dir / "bench.db"
        print(f"building index ({source}) ...", file=sys.stderr)
        build_rate = build_archive(db_path, paragraphs)
        print("serving in a fresh process ...", file=sys.stderr)
        (tmp_dir / "queries.json").write_text(json.dumps(queries))
        child = subprocess.run(
            [sys.executable, "-m", "index.bench", "serve", str(db_path), str(tmp_dir / "queries.json")],
            capture_output=True, text=True, check=True,
        )
        served = json.loads(child.stdout.strip().splitlines()[-1])
        print("stock rank-bm25 and FTS5 on the same corpus ...", file=sys.stderr)
        baseline_queries = queries[:20]
        bm25_ms = rank_bm25_p50(paragraphs, baseline_queries)
        fts_ms = fts5_p50(tmp_dir / "fts.db", paragraphs, queries[:500])
    figures = {
        "paragraphs": len(paragraphs),
        "build_paragraphs_per_s": build_rate,
        **served,
        "rank_bm25_p50_ms": bm25_ms,
        "fts5_p50_ms": fts_ms,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(format_table(figures))
    return 0


def format_table(f: dict) -> str:
    rows = [
        ("paragraphs", f"{f['paragraphs']:,}"),
        ("index build", f"{f['build_paragraphs_per_s']:,.0f} paragraphs/s"),
        ("cold start (open to first answer)", f"{f['cold_start_s']:.2f} s"),
        ("top-5 query p50 / p95 / p99",
         f"{f['query_p50_ms']:.2f} / {f['query_p95_ms']:.2f} / {f['query_p99_ms']:.2f} ms"),
        ("whole ask p50 / p99", f"{f['ask_p50_ms']:.1f} / {f['ask_p99_ms']:.1f} ms"),
        ("serving peak RSS", f"{f['rss_mb']:.0f} MB"),
        ("add one article", f"{f['add_article_ms']:.0f} ms"),
        ("stock rank-bm25 get_scores p50",
         f"{f['rank_bm25_p50_ms']:.1f} ms ({f['rank_bm25_p50_ms'] / f['query_p50_ms']:.0f}x slower)"),
        ("SQLite FTS5 bm25() p50",
         f"{f['fts5_p50_ms']:.2f} ms ({f['fts5_p50_ms'] / f['query_p50_ms']:.1f}x slower)"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "serve":
    print(json.dumps(serve(Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text()))))
