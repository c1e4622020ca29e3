"""Questions about the articles themselves: answered from their author, date and title."""

import pytest

from index.answers.articles import article_question
from index.archive import Archive
from tests.index.conftest import write_article


@pytest.mark.parametrize(
    ("question", "field", "topic"),
    [
        ("who wrote the article about Tianwen-1's selfie", "author", "Tianwen-1"),
        ("Who is the author of the piece on the Kestrel failure?", "author", "Kestrel failure"),
        ("when was the voyager article published", "published", "voyager"),
        ("when did the kestrel story come out?", "published", "kestrel"),
        ("what's the latest on Kestrel", "latest", "Kestrel"),
        ("any news about the chang'e missions", "latest", "chang'e missions"),
        ("what date was the osiris-rex capsule article posted", "published", "osiris-rex capsule"),
        ("what's the newest mars article", "latest", "mars"),
        ("what’s new on dart", "latest", "dart"),
        ("when did you publish the story about the kestrel failure", "published", "kestrel failure"),
        ("when did orbitline publish the story about the kestrel failure", "published", "kestrel failure"),
        ("which reporter covered the kestrel failure?", "author", "kestrel failure"),
        ("what journalist wrote up the Sable deal", "author", "Sable deal"),
    ],
)
def test_questions_about_articles_are_recognised(question, field, topic):
    asked = article_question(question)
    assert asked is not None and asked.field == field and topic.casefold() in asked.topic.casefold()
    assert "orbitline" not in asked.topic  # the site that published it is not what it is about


@pytest.mark.parametrize(
    "question",
    ["When did the rocket launch?", "Who built the lander?", "What is the most recent mission to Mars?",
     "How many flights did it make?", "what day did the rover land", "when did spacex publish its report",
     "which astronaut flew the rover",
     # a scientist, not the article's writer
     "Who was the lead author of the study that found amino acids in the samples?",
     "who is the author of the new paper on the comet"],
)
def test_ordinary_questions_are_not_about_articles(question):
    assert article_question(question) is None


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("meta")
    folder = root / "articles"
    folder.mkdir()
    write_article(folder, "k1.txt", "Kestrel Rocket Wins Its First Contract", [
        "Corvid Launch signed its first contract for the Kestrel rocket on Monday.",
    ], url="https://news.example/k1", published="2025-01-10T09:00:00+00:00", author="Priya Raman")
    write_article(folder, "k2.txt", "Kestrel Reaches Orbit on Second Try", [
        "The Kestrel rocket reached orbit on its second flight, Corvid Launch said.",
    ], url="https://news.example/k2", published="2025-06-02T09:00:00+00:00", author="Tomas Ferreira")
    write_article(folder, "s.txt", "A Small Telescope Maps the Cold Gas", [
        "The Sable telescope finished its survey of cold hydrogen.",
    ], url="https://news.example/s", published="2024-03-01T09:00:00+00:00", author="Ada Quill")
    a = Archive(root / "archive.db", [folder])
    a.reindex()
    yield a
    a.close()


def test_who_wrote_gives_the_author_of_the_article_about_it(archive):
    answer = archive.ask("who wrote the article about the sable telescope")
    assert answer.answer == "Ada Quill"
    assert answer.answer_type == "article_author"
    assert answer.citations[0].article.url == "https://news.example/s"


def test_when_published_gives_the_date(archive):
    answer = archive.ask("when was the article about the sable telescope published?")
    assert answer.answer == "March 1, 2024"


def test_latest_gives_the_newest_article_first(archive):
    answer = archive.ask("what's the latest on the kestrel rocket")
    assert answer.answer == "Kestrel Reaches Orbit on Second Try"
    assert [a.title for a in answer.articles][:2] == [
        "Kestrel Reaches Orbit on Second Try", "Kestrel Rocket Wins Its First Contract",
    ]


def test_nothing_about_the_topic_falls_back_to_the_ordinary_answer(archive):
    answer = archive.ask("who wrote the article about the mona lisa")
    assert answer.answer_type != "article_author"
