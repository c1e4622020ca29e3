"""Score the whole answerer on member-style questions, as members would judge it.

    python -m index.answers.evaluate --questions tests/data/member_questions.jsonl \\
        --articles articles/sample [--among OTHER_FOLDER ...] [--show wrong]

The question file is the member format of `tests/data` (see `index.answers.train`): follow-ups
carry the questions before them in `context`, questions the archive cannot answer have no answer.
A short answer is right when it equals one of the gold answers once case, punctuation and articles
are set aside. Printed: right answers among the answerable questions, short answers given to
questions the archive cannot answer, and the same by kind of question.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from index.answers.features import normalise
from index.archive import Archive


@dataclass
class Result:
    item: dict
    answer: str | None
    found: bool
    read_as: str | None

    @property
    def answerable(self) -> bool:
        return bool(self.item.get("answer"))

    @property
    def right(self) -> bool:
        said = normalise(self.answer or "")
        return self.answerable and bool(said) and any(said == normalise(g) for g in self.item["answer"])


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(archive: Archive, items: list[dict]) -> list[Result]:
    out = []
    for item in items:
        answer = archive.ask(item["question"], context=item.get("context") or None)
        out.append(Result(item, answer.answer, answer.found, answer.read_as))
    return out


def summary(results: list[Result]) -> dict:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    given = [r for r in answerable if r.answer]
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_kind[r.item.get("kind", "plain")].append(r)
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "right": sum(r.right for r in answerable),
        "right_share": round(sum(r.right for r in answerable) / len(answerable), 3) if answerable else None,
        "answered_share": round(len(given) / len(answerable), 3) if answerable else None,
        "right_of_answered": round(sum(r.right for r in given) / len(given), 3) if given else None,
        "unanswerable": len(unanswerable),
        "unanswerable_given_short_answer": sum(bool(r.answer) for r in unanswerable),
        "by_kind": {
            kind: {
                "n": len(rs),
                "right": sum(r.right for r in rs),
                "short_answers": sum(bool(r.answer) for r in rs),
            }
            for kind, rs in sorted(by_kind.items())
        },
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--questions", type=Path, required=True)
    p.add_argument("--articles", type=Path, required=True, help="the folder the questions are about")
    p.add_argument("--among", type=Path, action="append", default=[], metavar="FOLDER",
                   help="also index this folder's articles (repeatable): the questions' articles "
                        "among others, as in a real archive")
    p.add_argument("--show", choices=("wrong", "all"), help="print each wrong (or every) answer")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive(Path(tmp) / "archive.db", [args.articles, *args.among])
        archive.reindex()
        results = run(archive, load(args.questions))
        archive.close()
    for r in results:
        wrong = r.answerable != r.right or (not r.answerable and r.answer)
        if args.show == "all" or (args.show == "wrong" and wrong):
            gold = r.item.get("answer")
            print(f"[{r.item.get('kind')}] {r.item['question']!r} -> {r.answer!r}  gold {gold!r}"
                  + (f"  (read as {r.read_as!r})" if r.read_as else ""))
    print(json.dumps(summary(results), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
