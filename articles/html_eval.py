"""Score main-text extraction from HTML pages against snippets they must and must not yield.

    python -m articles.html_eval FOLDER [--json] [--show-misses]

FOLDER holds `evaldata.json` (key -> {"file", "with": [...], "without": [...], optional "author",
"date"}) and the pages under `pages/`: the layout of trafilatura's evaluation set. Each page
goes through the project's own reader (`parse_bytes`, decoding included); its paragraphs, joined,
are the extracted text. Scored as trafilatura scores itself: whitespace normalised, a `with`
snippet found is a true positive and missing a false negative, a `without` snippet found is a false
positive and absent a true negative; precision, recall and F1 over all pages. A page that raises
or yields nothing counts as all of its snippets missed. Authors and dates are counted right when
the expected value (whitespace normalised, several authors joined by ", ") equals the article's,
dates compared by day.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from articles.errors import ParseError
from articles.parse import parse_bytes


@dataclass
class Score:
    pages: int = 0
    true_positives: int = 0
    false_negatives: int = 0
    false_positives: int = 0
    true_negatives: int = 0
    raising: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    authors_expected: int = 0
    authors_right: int = 0
    dates_expected: int = 0
    dates_right: int = 0
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "ms_per_page": 1000 * self.seconds / max(self.pages, 1)}


def normalised(text: str | list[str] | None) -> str:
    """Whitespace collapsed; a list (several authors) joined the way articles join names."""
    if isinstance(text, list):
        text = ", ".join(t for t in text if isinstance(t, str))
    return " ".join(text.split()) if isinstance(text, str) else ""


def score_folder(folder: Path, *, show_misses: bool = False) -> Score:
    """Read every page of the evaluation set and count (see the module docstring)."""
    cases = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    score = Score()
    for key, case in sorted(cases.items()):
        score.pages += 1
        data = (folder / "pages" / case["file"]).read_bytes()
        started = time.perf_counter()
        try:
            articles = parse_bytes(data, case["file"])
        except ParseError as exc:
            articles = []
            score.refused.append(f"{key}: {exc}")
        except Exception as exc:  # noqa: BLE001 - counted and reported, the score goes on
            articles = []
            score.raising.append(f"{key}: {type(exc).__name__}: {exc}")
        score.seconds += time.perf_counter() - started
        text = normalised(" ".join(p.text for a in articles for p in a.paragraphs))
        for snippet in filter(None, map(normalised, case.get("with") or [])):
            hit = bool(text) and snippet in text
            score.true_positives += hit
            score.false_negatives += not hit
            if show_misses and not hit:
                print(f"missed   {key}: {snippet[:90]}")
        for snippet in filter(None, map(normalised, case.get("without") or [])):
            hit = bool(text) and snippet in text
            score.false_positives += hit
            score.true_negatives += not hit
            if show_misses and hit:
                print(f"kept     {key}: {snippet[:90]}")
        article = articles[0] if articles else None
        if normalised(case.get("author")):
            score.authors_expected += 1
            score.authors_right += bool(article) and normalised(article.author) == normalised(
                case["author"])
        if normalised(case.get("date")):
            score.dates_expected += 1
            day = article.published.date().isoformat() if article and article.published else ""
            score.dates_right += day == normalised(case["date"])[:10]
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m articles.html_eval",
        description="Score main-text extraction on a folder of pages with expected snippets.",
    )
    parser.add_argument("folder", type=Path, help="folder with evaldata.json and pages/")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show-misses", action="store_true",
                        help="print each snippet missed or wrongly kept")
    args = parser.parse_args(argv)
    if not (args.folder / "evaldata.json").is_file():
        print(f"error: no evaldata.json in {args.folder}", file=sys.stderr)
        return 2
    score = score_folder(args.folder, show_misses=args.show_misses)
    if args.json:
        print(json.dumps(score.as_dict(), indent=2))
        return 0
    print(f"pages                {score.pages}")
    print(f"precision            {score.precision:.3f}")
    print(f"recall               {score.recall:.3f}")
    print(f"F1                   {score.f1:.3f}")
    print(f"pages raising        {len(score.raising)}")
    print(f"pages refused        {len(score.refused)} (ParseError)")
    print(f"authors right        {score.authors_right}/{score.authors_expected}")
    print(f"dates right (day)    {score.dates_right}/{score.dates_expected}")
    print(f"time per page        {1000 * score.seconds / max(score.pages, 1):.0f} ms")
    for line in score.raising + score.refused:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
