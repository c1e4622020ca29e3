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
        ("when was the article about the lantern-1 ice results published", "published", "ice results"),
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
     "who is the author of the new paper on the comet",
     # the date a study came out is told in the article, it is not the article's own
     "When was the Tern 2 lightning study published?", "when were the ice results published"],
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


def test_latest_is_an_article_whose_headline_or_lead_names_the_topic(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "m.txt", "Marsh Rover Finds Layered Rock in Its Crater", [
        "The Marsh rover found layered rock on the floor of its crater, the team said on Monday.",
    ], published="2025-02-01T09:00:00+00:00", author="Ada Quill")
    write_article(folder, "b.txt", "Senate Passes the Space Budget", [
        "The Senate passed the space budget on Tuesday after a long night of votes.",
        "The bill keeps money for the Marsh rover and for the Marsh sample plan, among other lines.",
    ], published="2025-05-01T09:00:00+00:00", author="Tomas Ferreira")
    for n, name in enumerate(["Sable", "Kestrel", "Tern"]):  # (so that the rover's words are rare)
        write_article(folder, f"o{n}.txt", f"{name} Telescope Sees First Light", [
            f"The {name} telescope took its first image of the sky on Friday.",
        ], published="2024-03-01T09:00:00+00:00", author="Ada Quill")
    a = Archive(tmp_path / "archive.db", [folder])
    a.reindex()
    try:
        # the newer budget story names the rover in passing: it is no news about the rover
        latest = a.ask("what's the latest on the marsh rover").answer
        assert latest == "Marsh Rover Finds Layered Rock in Its Crater"
    finally:
        a.close()


def test_nothing_about_the_topic_falls_back_to_the_ordinary_answer(archive):
    answer = archive.ask("who wrote the article about the mona lisa")
    assert answer.answer_type != "article_author"


@pytest.fixture(scope="module")
def thread(tmp_path_factory):
    """One story told in three articles, each later one retelling the earlier ones, among others."""
    root = tmp_path_factory.mktemp("thread")
    folder = root / "articles"
    folder.mkdir()
    write_article(folder, "t1.txt", "Corvid Picks Larkspur Works to Build the Kestrel Fairing", [
        "Corvid Launch has selected Larkspur Works to build the payload fairing of its Kestrel rocket, "
        "the company said on Monday.",
        "Larkspur Works will build the Kestrel fairing in Tacoma. Corvid selected Larkspur over two "
        "rivals because the Larkspur fairing is lighter, and the Kestrel fairing contract runs five years.",
        "Corvid said Larkspur Works was selected after a year of tests of the Larkspur fairing design.",
    ], url="https://news.example/t1", published="2025-01-10T09:00:00+00:00", author="Priya Raman")
    write_article(folder, "t2.txt", "Corvid Sticks With Larkspur After a Review", [
        "After a review ordered by its board, Corvid Launch has again chosen Larkspur Works for the job.",
        "The board had asked for the review when a rival protested.",
    ], url="https://news.example/t2", published="2025-06-02T09:00:00+00:00", author="Tomas Ferreira")
    write_article(folder, "t3.txt", "Corvid Cuts 40 Jobs as Kestrel Slips", [
        "Corvid Launch laid off 40 of its 300 employees on Tuesday as delays to its Kestrel rocket ran on.",
        "The cuts come months after Corvid selected Larkspur Works to build the Kestrel fairing, and "
        "weeks after it selected Larkspur again.",
    ], url="https://news.example/t3", published="2025-09-15T09:00:00+00:00", author="Ada Quill")
    for n, world in enumerate(("Mercury", "Venus", "Mars", "Jupiter", "Saturn", "Uranus")):
        write_article(folder, f"w{n}.txt", f"A New Map of {world}", [
            f"Astronomers have published a new map of {world} from ten years of observations.",
        ], url=f"https://news.example/w{n}", published="2024-01-01T09:00:00+00:00", author="Lee Park")
    a = Archive(root / "archive.db", [folder])
    a.reindex()
    yield a
    a.close()


def test_the_article_about_a_later_turn_of_a_story_is_the_one_whose_headline_and_lead_tell_it(thread):
    # the first article says "selected Larkspur" most; the second one's lead tells it "again chosen"
    answer = thread.ask("who wrote the article about corvid selecting larkspur again?")
    assert answer.answer == "Tomas Ferreira"
    first = thread.ask("who wrote the article about larkspur building the kestrel fairing")
    assert first.answer == "Priya Raman"


def test_the_headline_and_lead_may_say_the_topic_in_other_words(thread):
    # "layoffs": the lead says "laid off", the headline "cuts 40 jobs"
    assert thread.ask("who wrote the article about the corvid layoffs").answer == "Ada Quill"
    assert thread.ask("when was the story about the corvid layoffs published").answer == "September 15, 2025"
