"""The answerer on news beside the sample: `tests/data/newsdesk` (space-industry news),
`tests/data/deepfield` (space-science news), `tests/data/orbitline` and `tests/data/launchwire`
(space-industry news in story threads) and `tests/data/starfield` (astronomy news in story
threads), the sets the weights are learned from beside the sample's member questions (their
held-out figures are in the README), and seven sets no weight is learned from:
`tests/data/skywatch` (astronomy news whose figures change over time), `tests/data/apogee`
(space-industry news in story threads), `tests/data/perihelion` (astronomy news in story
threads), `tests/data/meridian` (space-industry business news in story threads),
`tests/data/corona` (industry and science news in story threads), `tests/data/zenith` (crewed
spaceflight and agency news in story threads) and `tests/data/parallax` (astronomy research news
in story threads). All but newsdesk were written by someone who had not seen the answerer.

The floors sit under what the answerer does today, so a change that makes it worse fails; what
it does today is in the README ("Measured figures")."""

from pathlib import Path

import pytest

from index.answers.evaluate import load, run, summary
from index.archive import Archive

ROOT = Path(__file__).resolve().parents[3]
FLOORS = {
    # set: (right of answerable, right of the short answers given, unanswerable given one at most)
    "newsdesk": (0.50, 0.95, 3),
    "deepfield": (0.47, 0.88, 3),
    "orbitline": (0.38, 0.90, 3),
    "launchwire": (0.47, 0.88, 5),
    "starfield": (0.31, 0.90, 2),
    "skywatch": (0.44, 0.84, 2),
    "apogee": (0.40, 0.90, 2),
    "perihelion": (0.32, 0.90, 2),
    "meridian": (0.42, 0.88, 2),
    "corona": (0.44, 0.82, 2),
    "zenith": (0.42, 0.80, 2),
    "parallax": (0.40, 0.79, 4),  # as first scored (4 of 15); the weights of that round gave 2-3
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def news(request, tmp_path_factory):
    name = request.param
    archive = Archive(tmp_path_factory.mktemp(name) / "archive.db", [ROOT / "tests" / "data" / name])
    archive.reindex()
    results = run(archive, load(ROOT / "tests" / "data" / f"{name}_questions.jsonl"))
    archive.close()
    return name, results


def test_most_answerable_questions_get_the_right_short_answer(news):
    name, results = news
    figures = summary(results)
    right, right_of_given, _ = FLOORS[name]
    assert figures["right_share"] >= right, figures
    assert figures["right_of_answered"] >= right_of_given, figures


def test_questions_the_articles_cannot_answer_rarely_get_one(news):
    name, results = news
    kinds = summary(results)["by_kind"]
    assert kinds["unanswerable"]["short_answers"] <= FLOORS[name][2], kinds["unanswerable"]
    assert kinds["offtopic"]["short_answers"] == 0, kinds["offtopic"]


# Questions about an article the answerer may miss in a set: in perihelion's story threads, "the
# article about the Kalliope telescope layoffs" (headed "Kalliope Observatory Cuts 74 Jobs") and
# "the article about Vireo's flyby of Arduinna" are each taken for a sister article.
ARTICLE_MISSES = {"perihelion": 2}


def test_who_wrote_and_when_published_come_from_the_articles(news):
    name, results = news
    about = [r for r in results if r.item.get("kind") in ("who_wrote", "when_published")]
    assert about and sum(r.right for r in about) >= len(about) - ARTICLE_MISSES.get(name, 1), [
        (r.item["question"], r.answer) for r in about if not r.right
    ]
