"""`archive-bot bench --startup`: how long commands take in a fresh process, as a user runs them.

Each command runs in a new interpreter `runs` times, after one untimed run that leaves Python's
bytecode cache in place (as an installed copy has it), against the sample archive indexed
beforehand into a temporary database, with its output piped (`ask, coloured` renders through
rich as on a terminal). The figures depend on the machine's
load, so the load average is printed with them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"--help": 0.2, "--version": 0.2, "ask": 0.5, "ask, coloured": 0.5}


def _command() -> list[str]:
    script = Path(sys.executable).parent / "archive-bot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def _time(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:])} failed: {done.stderr.strip()}")
    return elapsed


def run_startup_bench(*, runs: int = 7, as_json: bool = False) -> int:
    from bot.config import sample_archive
    from index.archive import Archive

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.db"
        archive = Archive(db, [sample_archive()])
        archive.reindex()
        archive.close()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(XDG_DATA_HOME=tmp, ARCHIVE_BOT_ENV_FILE=os.devnull, NO_COLOR="1")
        base = _command()
        cases = {
            "--help": ["--help"],
            "--version": ["--version"],
            "ask": ["ask", "--db", str(db), "When did Zhurong land?"],
            "ask, coloured": ["ask", "--db", str(db), "--color", "always", "When did Zhurong land?"],
            "search": ["search", "--db", str(db), "Jezero", "crater"],
            "latest": ["latest", "--db", str(db)],
            "python -c pass": None,
        }
        results = {}
        for name, args in cases.items():
            argv = [sys.executable, "-c", "pass"] if args is None else base + args
            _time(argv, env)  # warm-up: the bytecode cache and the page cache, not timed
            times = [_time(argv, env) for _ in range(runs)]
            results[name] = {
                "min": min(times), "median": statistics.median(times), "max": max(times),
                "target": TARGETS.get(name),
            }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if as_json:
        print(json.dumps({"runs": runs, "load_average_1min": load, "commands": results}))
        return 0
    print(f"fresh-process wall time over {runs} runs (s); load average {load:.2f} on "
          f"{os.cpu_count()} cores" if load is not None else f"fresh-process wall time over {runs} runs (s)")
    print(f"{'command':<16}{'min':>8}{'median':>8}{'max':>8}  target")
    for name, r in results.items():
        target = r["target"]
        verdict = "" if target is None else (
            f"< {target:.1f}  {'met' if r['median'] < target else 'MISSED'}"
        )
        print(f"{name:<16}{r['min']:>8.3f}{r['median']:>8.3f}{r['max']:>8.3f}  {verdict}")
    return 0
