"""The answerer as members meet it: the member-style questions of tests/data over the bundled
sample archive (lower case, typos, descriptions instead of names, follow-ups, "who wrote", and
questions the archive cannot answer), written before any weight was learned from them.

The floors sit just under what the answerer does today, so a change that makes it worse fails;
the aims are higher (70% right; at most 4 of the 20 unanswerable questions given a short
answer and 80% of follow-ups right are held). `python -m index.answers.evaluate` prints the whole picture."""

from pathlib import Path

import pytest

from index.answers.evaluate import load, run, summary
from index.archive import Archive

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    archive = Archive(tmp_path_factory.mktemp("members") / "archive.db", [ROOT / "articles" / "sample"])
    archive.reindex()
    out = run(archive, load(ROOT / "tests" / "data" / "member_questions.jsonl"))
    archive.close()
    return out


def test_the_set_is_what_the_issue_asks_for(results):
    kinds = summary(results)["by_kind"]
    assert len(results) >= 120
    assert kinds["unanswerable"]["n"] == 20
    assert {"lowercase", "typo", "description", "followup", "who_wrote"} <= set(kinds)


def test_most_answerable_questions_get_the_exact_short_answer(results):
    figures = summary(results)
    # (the threshold is where held-out answers are right two times in three: fewer short
    # answers than at the gain curve's flat top, and fewer of them wrong)
    assert figures["right_share"] >= 0.53, figures
    assert figures["right_of_answered"] >= 0.94, figures  # a short answer given is rarely wrong


def test_questions_the_archive_cannot_answer_rarely_get_a_short_answer(results):
    kinds = summary(results)["by_kind"]
    assert kinds["unanswerable"]["short_answers"] <= 4, kinds["unanswerable"]
    assert kinds["offtopic"]["short_answers"] <= 2, kinds["offtopic"]


def test_follow_ups_are_read_with_the_earlier_subject(results):
    followups = [r for r in results if r.item.get("kind") == "followup"]
    assert sum(bool(r.read_as) for r in followups) >= 0.8 * len(followups)
    # the issue's aim: 80% of follow-ups right
    assert sum(r.right for r in followups) >= 0.8 * len(followups), [(r.read_as, r.answer) for r in followups]


def test_who_wrote_is_answered_from_the_articles(results):
    wrote = [r for r in results if r.item.get("kind") == "who_wrote"]
    assert all(r.right for r in wrote), [(r.item["question"], r.answer) for r in wrote if not r.right]
