"""The answerer end to end on small articles written for the tests: a real SQLite archive built
by the reindex, questions of every type, typos, questions the archive does not cover, and
input nobody should send but somebody will."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from articles.parse import parse_file
from index.answers.pipeline import _answer_and_best
from index.archive import Archive
from tests.index.conftest import reindexed_archive, write_article

SAMPLE = Path(__file__).resolve().parents[3] / "articles" / "sample"
DATA = Path(__file__).resolve().parents[2] / "data"

LANTERN = [
    "Engineers at the control centre waited eighty minutes for the first signal from the "
    "Lantern probe, sent across more than a billion kilometres of space.",
    "Lantern touched down among the dunes of the Shangri-La region on June 14, ending a "
    "cruise of seven years. Its parachute opened at an altitude of 120 kilometers.",
    "Mission scientist Orla Fenwick said the first images showed ripples of frozen sand. "
    "The probe was built by the Meridian Space Agency.",
    "The lander weighs 420 kilograms and carries 11 instruments, among them a drill that can "
    "reach 30 centimeters below the surface.",
    "Fenwick's team expects the batteries to last for about three weeks.",
]
KESTREL = [
    "The Kestrel telescope has finished its first map of cold hydrogen gas in the outer "
    "Milky Way, a survey that took 900 nights of observing.",
    "Principal investigator Tomas Ilves said the map revealed 46 clouds never seen before.",
    "Kestrel was launched from Kourou on 3 March 2027 aboard a small rocket.",
]
BEACON = [
    "The Beacon relay satellite reached its parking orbit around the Moon on 9 October 2029.",
    "Beacon passes messages between Earth and landers on the far side, which never face Earth.",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    root = tmp_path_factory.mktemp("answers")
    folder = root / "articles"
    folder.mkdir()
    write_article(folder, "lantern.txt", "Lantern Settles on Titan's Dunes", LANTERN,
                  url="https://news.example/lantern", published="2031-06-20T09:00:00+00:00",
                  author="Ada Quill")
    write_article(folder, "kestrel.txt", "Kestrel Maps the Cold Gas of the Outer Galaxy", KESTREL,
                  url="https://news.example/kestrel", published="2028-01-11T09:00:00+00:00",
                  author="Ben Ortiz")
    write_article(folder, "beacon.txt", "Beacon Relay Arrives at the Moon", BEACON,
                  published="2029-10-10T09:00:00+00:00", author="Ada Quill")
    a = Archive(root / "archive.db", [folder])
    a.reindex()
    return a


def test_when_completes_the_year_and_says_where_it_came_from(archive):
    got = archive.ask("When did Lantern touch down?")
    assert got.found and got.answer_type == "when"
    assert got.answer == "June 14, 2031"
    assert "publication date" in got.note
    first = got.citations[0]
    assert first.article.title == "Lantern Settles on Titan's Dunes"
    assert first.paragraph == LANTERN[1] and first.paragraph_index == 1
    assert first.article.url == "https://news.example/lantern"
    assert first.article.author == "Ada Quill"


def test_when_keeps_a_full_date(archive):
    got = archive.ask("When was Kestrel launched?")
    assert got.answer == "3 March 2027"
    assert got.citations[0].paragraph == KESTREL[2]


def test_who_gives_the_person(archive):
    got = archive.ask("Who is the principal investigator of Kestrel?")
    assert got.answer_type == "who" and got.answer == "Tomas Ilves"


def test_who_gives_an_organisation_or_no_short_answer_but_never_another_name(archive):
    got = archive.ask("Who built the Lantern probe?")
    assert got.answer in (None, "Meridian Space Agency")
    assert any("Meridian Space Agency" in c.paragraph for c in got.citations)


def test_where_gives_the_place(archive):
    got = archive.ask("Where was Kestrel launched from?")
    assert got.answer_type == "where" and got.answer in ("Kourou", None)
    assert "from Kourou" in got.citations[0].paragraph  # given or not, the passage that says it


def test_how_many_gives_the_count(archive):
    got = archive.ask("How many instruments does Lantern carry?")
    assert got.answer_type == "how_many" and got.answer == "11"
    got = archive.ask("How many new clouds did the Kestrel map reveal?")
    assert got.answer == "46"


def test_how_much_gives_the_number_with_a_unit_that_fits(archive):
    assert archive.ask("How much does the Lantern lander weigh?").answer == "420 kilograms"
    assert archive.ask("How deep can the Lantern drill reach?").answer == "30 centimeters"


def test_which_and_what_questions_get_a_name_not_a_date(archive):
    got = archive.ask("Which relay satellite serves landers on the far side of the Moon?")
    assert got.answer in (None, "Beacon")
    assert got.citations[0].article.title == "Beacon Relay Arrives at the Moon"


def test_why_questions_get_the_passage_without_a_short_answer(archive):
    got = archive.ask("Why does Beacon pass messages for landers on the far side?")
    assert got.found and got.answer_type == "why" and got.answer is None
    assert "never face Earth" in got.citations[0].paragraph


def test_one_to_three_citations_with_scores_best_first(archive):
    got = archive.ask("How long will the Lantern batteries last?")
    assert 1 <= len(got.citations) <= 3
    scores = [c.score for c in got.citations + got.more_citations]
    assert scores == sorted(scores, reverse=True)
    assert got.citations[0].paragraph == LANTERN[4]


def test_a_typo_in_a_name_is_read_as_the_known_word(archive):
    right = archive.ask("When did Lantern touch down?")
    typo = archive.ask("When did Lanterm touch down?")
    assert typo.found and typo.answer == right.answer
    assert typo.citations[0].paragraph == right.citations[0].paragraph


def test_a_question_the_archive_does_not_cover_is_not_found_with_suggestions(archive):
    for question in ("Who painted the Mona Lisa?", "What is the recipe for apple pie?",
                     "Who won the Tour de France in 2010?"):
        got = archive.ask(question)
        assert not got.found, question
        assert got.answer is None and got.citations == [] and got.confidence == 0.0
        assert got.note


def test_not_found_names_the_nearest_articles_when_some_words_match(archive):
    got = archive.ask("Which telescope mapped the cold gas in the Andromeda galaxy in 1999?")
    assert not got.found and got.answer is None
    assert "does not seem to cover" in got.note
    assert "Kestrel Maps the Cold Gas of the Outer Galaxy" in [s.title for s in got.suggestions]


def test_the_kind_asked_for_is_not_what_the_question_is_about(tmp_path):
    # "since which decade" asks for a decade; the article telling it says "the 1920s", and an
    # article that only says "decade" is not what the question is about
    archive = reindexed_archive(tmp_path, [
        ("coast.txt", "The Coast's Economy", [
            "Since the 1920s, shipbuilding, fishing and canning have been major industries on the coast.",
        ], {}),
        ("museum.txt", "The Museum Reopens", ["The maritime museum reopened after a decade of repairs."], {}),
    ])
    got = archive.ask("Shipbuilding, fishing and canning have been major industries since which decade?")
    assert got.found and got.citations[0].article.title == "The Coast's Economy"
    assert got.answer == "1920s"


def test_who_were_is_answered_by_the_names_written_together(tmp_path):
    archive = reindexed_archive(tmp_path, [("cup.txt", "The Lunar Cup Is Broadcast Live", [
        "The Lunar Cup final was broadcast live from Tycho Base on Saturday.",
        "The announcers were Ira Kell and Dana Voss, and the referee was Mo Hart.",
    ], {})])
    # (the names together are the best candidate; whether they are trusted enough to be given
    # is the calibration's call, which moves by a hair from one retrain to the next)
    got, best = _answer_and_best(archive, "Who were the announcers of the Lunar Cup final?")
    assert best is not None and best.span.shown == "Ira Kell and Dana Voss"
    assert got.answer in (None, "Ira Kell and Dana Voss")
    assert "Ira Kell" in got.citations[0].paragraph


def test_words_no_article_has_are_not_found(archive):
    got = archive.ask("Xylophonic zebras quarrel?")
    assert not got.found and got.answer is None


@pytest.mark.parametrize("question", [
    "", "   \n\t ", "?!?", "🚀🪐✨", "🚀 " * 500,
    "When did Lantern land? " * 435,  # over 10,000 characters
    "'; DROP TABLE articles; --", "\" OR 1=1 --", "<@everyone> @here **bold** `code`",
    "SELECT * FROM para_postings", "\x00\x01\x02", "ﷺ" * 50, "0" * 10_000,
])
def test_odd_questions_get_a_clear_reply_and_break_nothing(archive, question):
    got = archive.ask(question)
    assert isinstance(got.found, bool)
    assert got.found or got.note
    assert got.to_json()["question"] is not None
    still = archive.ask("When did Lantern touch down?")
    assert still.answer == "June 14, 2031"


def test_injection_like_questions_leave_the_database_intact(archive):
    archive.ask("'; DROP TABLE articles; --")
    with sqlite3.connect(archive.db_path) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_the_zhurong_question_on_the_bundled_sample(sample):
    got = sample.ask("When did Zhurong land?")
    assert got.answer == "May 15, 2021"
    assert "came down on May 15" in got.citations[0].paragraph
    assert not sample.ask("Who commanded the Ming dynasty treasure fleet?").found


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Archive:
    a = Archive(tmp_path_factory.mktemp("sample") / "sample.db", [SAMPLE])
    a.reindex()
    return a


def test_sample_questions_cite_the_right_article_and_often_answer_exactly(sample):
    """Questions written for the bundled sample: floors under what the answerer does today (it
    gives fewer short answers than before it could abstain, and fewer wrong ones)."""
    titles = {p.name: parse_file(p)[0].title for p in SAMPLE.glob("*.txt")}
    cited = exact = 0
    questions = [json.loads(line) for line in (DATA / "sample_questions.jsonl").open()]
    for q in questions:
        got = sample.ask(q["question"])
        cited += titles[q["file"]] in [c.article.title for c in got.citations]
        exact += (got.answer or "").casefold().strip(". ") == q["answer"].casefold()
    assert cited >= 35 and exact >= 11, (cited, exact, len(questions))


def test_most_off_topic_questions_are_not_found_in_the_sample(sample):
    questions = (DATA / "offtopic_questions.txt").read_text(encoding="utf-8").splitlines()
    answered = [q for q in questions if sample.ask(q).found]
    assert len(questions) == 60 and len(answered) <= 16, answered
