"""Things told apart by what stands right beside them: "Voyager 1 crossed ..." dates Voyager 1,
not the Voyager 2 a member asks about; a question about "Artemis II" is not answered from an
archive that only tells of "Artemis I"; "the 8.2-tonne spacecraft" weighs the spacecraft, "1,731
grams of lunar material" weighs the samples, "Ovan, 47," is an age; "how many are in orbit" asks
how things stand now; and a paragraph that says the question's event, in an article naming its
subject, says the whole question. Articles written for the tests, indexed into a real archive."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from index.answers.features import (
    candidate_features,
    last_numbered,
    names_another_number,
    numbered_names,
    ordinal_names,
    question_words,
    roman,
    view_passage,
)
from index.answers.pipeline import (
    _newer_story_elsewhere,
    _numbers_the_asked_name,
    _role_untold,
    choose,
    fits,
    order_hits,
    read,
    score_candidates,
)
from index.answers.question import asks_now, classify_question
from index.answers.rerank import features as rerank_features
from index.answers.spans import Span, number_spans
from index.answers.subject import subject_terms
from index.archive import Archive
from tests.index.conftest import reindexed_archive

PETREL = [
    "The Petrel I test flight lifted off on April 2, 2030, and splashed down 11 days later.",
    "Petrel II, the first crewed flight, is planned for the end of the decade, once the heat "
    "shield has been redesigned.",
]
HERON = [
    "Heron 1 crossed the edge of the heliosphere on June 9, 2031. Heron 2 followed on "
    "August 14, 2034, on a slower path.",
]
KITE = [
    "The 6.1-tonne spacecraft carried 2,140 grams of lunar soil back to Earth.",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    when = {"published": "2035-01-10T09:00:00+00:00", "author": "Ada Quill"}
    return reindexed_archive(tmp_path_factory.mktemp("numbered"), [
        ("petrel.txt", "Petrel I Comes Home", PETREL, when),
        ("heron.txt", "The Herons Leave the Heliosphere", HERON, when),
    ])


def _features(question: str, text: str, answer: str, kind: str) -> dict[str, float]:
    q = classify_question(question)
    words = question_words(q, {}, subject_terms(q, {}, [text]))
    view = view_passage(text, "paragraph", "", words)
    start = text.index(answer)
    sentence = next(i for i, (s0, s1) in enumerate(view.sentences) if s0 <= start < s1)
    return candidate_features(q, words, view, Span(start, start + len(answer), answer, kind, sentence))


def test_names_with_numbers_are_read_however_typed():
    assert numbered_names("when did heron 2 leave the heliosphere") == {("heron", 2)}
    assert numbered_names("when is petrel ii launching") == {("petrel", 2)}
    assert numbered_names("where did Kestrel-3 land?") == {("kestrel", 3)}
    # a month's day and a year are no names
    assert numbered_names("what happened on May 15 in 2021") == frozenset()


def test_a_date_after_another_numbered_name_is_that_ones():
    asked = numbered_names("when did heron 2 leave the heliosphere")
    assert last_numbered("Heron 1 crossed the edge on ", asked) == ("heron", 1)
    first = _features("when did heron 2 leave the heliosphere", HERON[0], "June 9, 2031", "date")
    second = _features("when did heron 2 leave the heliosphere", HERON[0], "August 14, 2034", "date")
    assert first["another_numbered_name"] == 1.0
    assert second["another_numbered_name"] == 0.0


def test_an_ordinal_numbers_a_name_too():
    text = ("Tarn Launch put its first satellites in orbit when its second Gannet rocket released "
            "four spacecraft. The first Gannet rocket had carried two satellites.")
    asked = "how many satellites did the first gannet rocket carry"
    assert ordinal_names(asked) == {("gannet", 1001)}
    assert _features(asked, text, "four", "count")["another_numbered_name"] == 1.0
    assert _features(asked, text, "two", "count")["another_numbered_name"] == 0.0
    # "its first satellites" numbers no name, and without an ordinal nothing is told apart
    assert not _features("how many satellites did the gannet rocket carry", text, "four", "count").get(
        "another_numbered_name")


def test_a_numbered_name_is_the_questions_subject_in_lower_case():
    q = classify_question("when did heron 2 leave the heliosphere")
    assert "heron" in subject_terms(q, {}, HERON)


def test_roman_numerals_count_as_numbers():
    asked = numbered_names("when is petrel ii launching")
    assert names_another_number("The Petrel I test flight lifted off", asked)
    assert not names_another_number(" ".join(PETREL), asked)  # "Petrel II" is told too
    # past ten as well: "Super Bowl 51" is told by "Super Bowl LI"; one letter other than I, V
    # or X is no numeral ("Vitamin C", "Series C" is lettered)
    games = "Super Bowl 50 was played in 2016. Super Bowl LI followed a year later."
    assert not names_another_number(games, numbered_names("who played in Super Bowl 51?"))
    assert names_another_number(games, numbered_names("who played in super bowl xlix"))
    assert [roman(n) for n in ("iv", "xlix", "LI", "cxc", "l", "c", "iiii", "vx")] == [
        4, 49, 51, 190, None, None, None, None]
    assert numbered_names("who led its series c") == {("seri", 103)}


def test_a_list_of_numbers_numbers_the_name_each_time():
    # "Super Bowls XXI and XXIV" tells Super Bowl XXIV; a list after "Apollo" names Apollo 12
    # and 14, but not a number before a unit ("14 kilometers")
    told = "He coached the losing side in Super Bowls XXI and XXIV, and later won two."
    assert not names_another_number(told, numbered_names("who lost super bowl xxiv"))
    assert names_another_number(told, numbered_names("who lost super bowl xxv"))
    assert not names_another_number("Apollo 11, 12 and 14 landed.", numbered_names("apollo 14"))
    assert names_another_number("Apollo 11 and 14 kilometers away.", numbered_names("apollo 14"))


def test_a_number_before_a_unit_names_nothing():
    # "the Panthers 14 yard line" is a place on the field, not the Panthers' 14th anything
    assert numbered_names("who took the ball to the Panthers 14 yard line?") == frozenset()
    assert numbered_names("when did apollo 11 astronauts land") == {("apollo", 11)}


def test_versus_and_the_article_a_number_nothing():
    assert numbered_names("What did the court decide in Marlow v Brandt?") == frozenset()
    assert numbered_names("what can block a budget") == frozenset()
    assert numbered_names("who led the series a round") == {("seri", 101)}
    assert numbered_names("how much did osprey raise in its series a") == {("seri", 101)}
    assert numbered_names("how tall is the Saturn V rocket") == {("saturn", 5)}


def test_the_asked_number_written_in_lower_case_is_told():
    asked = numbered_names("what injury kept the quarterback out in week 10")
    assert names_another_number("Week 17 closed the regular season.", asked)
    assert not names_another_number(
        "Week 17 closed the regular season. In week 10, the quarterback tore a ligament.", asked)


def test_only_another_numbered_name_in_the_archive_is_not_found(tmp_path):
    when = {"published": "2035-01-10T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [("petrel.txt", "Petrel I Comes Home", PETREL[:1], when)])
    answer = archive.ask("when did petrel iii launch")
    assert answer.answer is None and not answer.found
    assert archive.ask("when did petrel i lift off").found


def test_a_numbered_name_whose_word_the_archive_says_only_as_a_word_is_not_found(tmp_path):
    when = {"published": "2035-01-10T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [("wren.txt", "Wren Begins Its Voyage", [
        "The Wren probe launched on October 15, 2034, beginning a voyage of seven years to Uranus.",
    ], when)])
    # "voyager" is "voyage" to the stemmer, but no passage names a Voyager 1
    answer = archive.ask("when did voyager 1 launch")
    assert answer.answer is None and not answer.found
    wren = archive.ask("when did wren launch")
    assert wren.found and wren.answer in (None, "October 15, 2034")


def test_the_numbered_name_asked_gets_its_own_date(archive):
    answer = archive.ask("when did heron 2 cross the edge of the heliosphere")
    assert answer.answer in (None, "August 14, 2034")  # never Heron 1's date
    assert archive.ask("when did heron 1 cross the edge of the heliosphere").answer != "August 14, 2034"


def _dropped(question: str, text: str) -> list[str]:
    q = classify_question(question)
    words = question_words(q, {}, subject_terms(q, {}, [text]))
    return [s.text for s in number_spans(text, 0, len(text), 0) if _numbers_the_asked_name(q, words, text, s)]


def test_the_number_of_the_asked_name_counts_nothing():
    text = "Tern 2 picked up 412 bursts of radio noise; Tern 1 heard none in 3 years."
    # the "2" of Tern 2, and the "1" of its namesake Tern 1: names, not counts; 412 and 3 count
    assert _dropped("how many bursts did tern 2 pick up", text) == ["2", "1"]


def test_the_number_of_a_namesake_of_the_subject_counts_nothing():
    # "Wren 2" is the next lander, named after the one asked about; "Flight 7" numbers what is counted
    text = "Wren 2 would carry 60 kilograms of payloads, and Wren itself made Flight 7 in May."
    assert _dropped("how many payloads did wren carry", text) == ["2"]
    assert _dropped("how many flights did wren make", text) == ["2"]


def _titles(archive: Archive, question: str) -> set[str]:
    reading = read(archive, question)
    rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
    return {reading.hits[r.hit].summary.title for r in rows}


def test_an_article_that_never_names_the_subject_answers_nothing_about_it(archive):
    # the Petrel story's "splashed down 11 days later" is no answer about Heron 2
    asked = "how many days did {} fly before it splashed down"
    assert "Petrel I Comes Home" not in _titles(archive, asked.format("heron 2"))
    assert "Petrel I Comes Home" in _titles(archive, asked.format("petrel i"))


def test_a_date_or_figure_the_question_says_answers_nothing(tmp_path):
    # "prior to 2000" asks for another year than 2000; "of its 12 satellites" for another count
    archive = reindexed_archive(tmp_path, [("club.txt", "The Club's Titles", [
        "The club won the national title in 1946, and again in 2000 after a long wait.",
        "Of its 12 satellites, 9 still work.",
    ], {})])
    asked = (("When did the club win the national title prior to 2000?", "2000", "1946"),
             ("How many of its 12 satellites still work?", "12", "9"))
    def shown(question: str) -> set[str]:
        reading = read(archive, question)
        return {r.span.shown for r in score_candidates(archive, reading, order_hits(reading, {}), {}, None)}

    for question, said, other in asked:
        assert other in shown(question) and said not in shown(question), question
    assert "12" in shown("How many satellites still work after 12,000 hours?")


def test_a_role_no_best_passage_says_is_looked_for_further(tmp_path):
    # "who is the director": passages that only repeat the telescope's name (captions, other
    # stories) do not tell it, so the answerer reads the next ones for a named director
    archive = reindexed_archive(tmp_path, [("marlow.txt", "The Marlow Survey Telescope Opens", [
        "The Marlow Survey Telescope imaged the Fornax Cluster in May.",
        "The Marlow Survey Telescope sits on Cerro Pachon.",
        '"We are ready for the sky," said Dr. Ines Vale, its director.'], {})])
    reading = read(archive, "Who is the director of the Marlow Survey Telescope?")
    naming = [i for i, h in enumerate(reading.hits) if "director" in h.paragraph]
    others = [i for i in range(len(reading.hits)) if i not in naming]
    assert _role_untold(reading, others) and not _role_untold(reading, naming)
    # no role named, or only the kind of answer ("what is the name"): nothing to look for
    assert not _role_untold(read(archive, "Who imaged the Fornax Cluster?"), others)


def test_an_article_without_the_asked_number_answers_nothing_about_it(tmp_path):
    when = {"published": "2035-01-10T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [
        ("osprey12.txt", "Osprey 12 Comes Home", [
            "The Osprey 12 crew splashed down near Fiji, and the cutter Tamsin picked them up."], when),
        ("osprey.txt", "Osprey's Long Road", [
            "Osprey crews have come home many ways. The recovery ship Brannock lifted the capsule "
            "out of the water after the first crewed flight."], when),
    ])
    asked = "what ship recovered the osprey 12 crew"
    assert _titles(archive, asked) == {"Osprey 12 Comes Home"}
    # without its number the question is about any Osprey
    assert "Osprey's Long Road" in _titles(archive, "what ship recovered the osprey crew")


def test_a_measure_says_what_it_measures():
    whole = _features("How heavy was the Kite spacecraft?", KITE[0], "6.1-tonne", "quantity")
    soil = _features("How heavy was the Kite spacecraft?", KITE[0], "2,140 grams", "quantity")
    assert whole["measures_asked_thing"] == 1.0 and whole["measures_other_thing"] == 0.0
    assert soil["measures_other_thing"] == 1.0 and soil["measures_asked_thing"] == 0.0
    samples = _features("How much lunar soil did Kite bring back?", KITE[0], "2,140 grams", "quantity")
    assert samples["measures_asked_thing"] == 1.0
    # the thing that weighs it, named before the verb
    rover = "The little rover weighs about 31 kilograms."
    asked = _features("how heavy is the rover", rover, "31 kilograms", "quantity")
    other = _features("how heavy is the lander", rover, "31 kilograms", "quantity")
    assert asked["measures_asked_thing"] == 1.0
    assert other["measures_other_thing"] == 1.0


_PAIR = "The asteroid is 4.1 kilometers wide. The moon is roughly 420 meters wide."


@pytest.mark.parametrize(
    ("question", "text", "span", "said_of"),
    [
        # the noun the story calls its craft by is the craft the question names
        ("how heavy was tallow", "Tallow slammed into the moonlet at 6 kilometers per second. "
         "The spacecraft weighed about 610 kilograms.", "610 kilograms", (0.0, 0.0)),
        # "It weighs", a unit joined by a hyphen to another word, a common noun: nothing either way
        ("how heavy is tallow", "Tallow is small. It weighs about 2.1 kilograms.", "2.1 kilograms",
         (0.0, 0.0)),
        ("how far away is the Corvo group", "At about 310 million light-years from Earth, the Corvo group "
         "is the nearest.", "310 million light-years", (0.0, 0.0)),
        ("how long did tallow's battery keep it going", "Tallow managed 52 hours of science on its battery.",
         "52 hours", (0.0, 0.0)),
        # another kind than the one asked about, or another name, is another thing
        ("how heavy is the lander", "The little rover weighs about 31 kilograms.", "31 kilograms",
         (0.0, 1.0)),
        ("how heavy is tallow", "Beside it, Wren weighs about 4 kilograms.", "4 kilograms", (0.0, 1.0)),
        # the subject of "is": a kind or a name tells; an attribute tells nothing either way
        ("how wide is asteroid tallow", _PAIR, "420 meters", (0.0, 1.0)),
        ("how wide is asteroid tallow", _PAIR, "4.1 kilometers", (1.0, 0.0)),
        ("how wide is asteroid tallow", "Its width is 4.1 kilometers.", "4.1 kilometers", (0.0, 0.0)),
        # the thing named before it as what is measured: "the size of the nucleus at ...",
        # "the nucleus, measured at ..."
        ("what size telescope did wren use", "Hubble put the size of the nucleus at about 2.8 "
         "kilometers.", "2.8 kilometers", (0.0, 1.0)),
        ("what size telescope did wren use", "The nucleus, measured at 2.8 kilometers in April, "
         "broke up.", "2.8 kilometers", (0.0, 1.0)),
        ("how big is the nucleus of tallow", "Hubble put the size of the nucleus at about 2.8 "
         "kilometers.", "2.8 kilometers", (1.0, 0.0)),
    ],
)
def test_a_measure_said_of_no_other_thing_is_not_held_against_it(question, text, span, said_of):
    f = _features(question, text, span, "quantity")
    assert (f.get("measures_asked_thing", 0.0), f.get("measures_other_thing", 0.0)) == said_of


@dataclass
class _Passage:
    paragraph: str
    title: str
    bm25: float
    article_bm25: float
    article_terms: frozenset[str]


def _passage(text: str, bm25: float = 1.0, title: str = "Tallow", held=("tallow", "land")) -> _Passage:
    """A retrieved paragraph of an article titled `title` that holds the terms `held`."""
    return _Passage(text, title, bm25, 1.0, frozenset(held))


WORKED = "As of March 1, Tallow had worked for 300 days."
LANDING = "The rover settled into the crater, landing on May 4."


def test_the_event_said_in_an_article_naming_the_subject_says_the_whole_question():
    q = classify_question("When did Tallow land?")
    named = _passage(WORKED, bm25=2.0)
    landing = _passage(LANDING)
    elsewhere = _passage(LANDING, title="Other", held=("land",))
    f_named, f_landing, f_elsewhere = rerank_features(q, [named, landing, elsewhere], frozenset({"tallow"}))
    assert f_landing["sentence_in_context"] == 1.0
    assert f_landing["sentence_in_context"] > f_named["sentence_in_context"]
    # an article that never names Tallow does not lend its name to the sentence
    assert f_elsewhere["sentence_in_context"] == f_elsewhere["sentence"] < 1.0


def test_a_measure_named_before_it_is_the_asked_one():
    text = "Halden raised $410 million in a Series C round at a valuation of $2.3 billion."
    valuation = _features("What was Halden's valuation after the Series C?", text, "$2.3 billion", "money")
    raised = _features("What was Halden's valuation after the Series C?", text, "$410 million", "money")
    assert valuation["measures_asked_thing"] == 1.0
    assert raised.get("measures_asked_thing", 0.0) == 0.0


def test_an_age_is_read_where_news_writes_it():
    text = "Naledi Ovan, 47, is the deputy director. In March, 12, more joined."
    ages = [s.text for s in number_spans(text, 0, len(text), 0) if s.unit_class == "age"]
    assert ages == ["47"]  # not "12" after a month


def test_how_things_stand_is_asked_without_saying_now():
    for text in ("how many vireo satellites are in orbit", "how many instruments are working",
                 "when will the station module launch", "When is the Kestrel flight scheduled?"):
        assert asks_now(classify_question(text)), text
    for text in ("when did it launch", "how many satellites were in orbit in 2023"):
        assert not asks_now(classify_question(text)), text


def test_a_description_after_a_name_is_read_to_its_relative_clause():
    text = ("Engineers at Brightwater Optics, the company in Boulder, Colorado, that built the "
            "instrument, are testing a spare wheel.")
    f = _features("Which company built the spectrograph?", text, "Brightwater Optics", "name")
    # "company" and "built" of "which company built the spectrograph" (not "spectrograph")
    assert f["apposition_says_predicate"] == pytest.approx(2 / 3)
    other = _features("Which company designed the spectrograph?", text, "Brightwater Optics", "name")
    assert other["apposition_says_predicate"] == pytest.approx(1 / 3)


def test_a_paragraph_that_never_tells_the_asked_event_is_told_apart():
    q = classify_question("When did Tallow land?")
    worked = _passage(WORKED, bm25=2.0)
    touched = _passage("Tallow touched down in the crater Vesna on May 4.")
    f_worked, f_touched = rerank_features(q, [worked, touched], frozenset({"tallow"}))
    assert f_worked["event_untold"] == 1.0 and f_worked["event_told"] == 0.0
    assert f_touched["event_told"] == 1.0 and f_touched["event_untold"] == 0.0
    # a question without such an event has neither
    (plain,) = rerank_features(classify_question("What is Tallow's mass?"), [worked], frozenset({"tallow"}))
    assert plain["event_told"] == plain["event_untold"] == 0.0


def test_a_nations_adjective_the_archive_never_writes_is_read_as_the_nation(tmp_path):
    when = {"published": "2035-01-10T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [("falcon.txt", "The Emirates Reach Venus", [
        "The United Arab Emirates has put its Saqr orbiter around Venus. The orbiter weighs "
        "about 1,100 kilograms and carries three instruments.",
    ], when)])
    reading = read(archive, "how heavy is the emirati venus orbiter")
    assert "emir" in reading.words.weights and "emirati" not in reading.words.weights
    answer = archive.ask("how heavy is the emirati venus orbiter")
    assert answer.found and answer.citations and "Saqr" in answer.citations[0].paragraph


def test_an_article_naming_the_nation_names_its_adjective(tmp_path):
    # "the japanese lander" of a story that only says "the Wren lander from Japan": the other story's
    # "Japanese" keeps the adjective a known word, so it is not simply read as the nation
    when = {"published": "2031-03-05T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [
        ("wren.txt", "Wren Tips Over", ["The Wren lander from Japan tipped over on March 3, 2031."], when),
        ("camera.txt", "A Camera for Petrel", ["A Japanese team built the Petrel camera."], when),
    ])
    assert "Wren Tips Over" in _titles(archive, "when did the japanese lander tip over")


def test_a_sum_told_per_year_answers_what_is_asked_per_year():
    text = "Building the Vega array cost $640 million, and running it costs about $38 million a year."
    yearly = "How much does it cost to run the Vega array each year?"
    assert _features(yearly, text, "$38 million", "money")["period_asked_and_told"] == 1.0
    assert _features(yearly, text, "$640 million", "money")["period_asked_not_told"] == 1.0
    once = "How much did it cost to build the Vega array?"
    assert _features(once, text, "$38 million", "money")["period_told_not_asked"] == 1.0
    assert "period_told_not_asked" not in _features(once, text, "$640 million", "money")


def test_a_day_later_is_no_rate():
    text = "The crew of 4 people docked a day later."
    assert "period_told_not_asked" not in _features("how many people flew", text, "4", "count")


def test_what_stands_now_is_told_with_now_and_not_with_before():
    before = "Before the impact, the moonlet took 11 hours and 40 minutes to circle its partner."
    after = "The orbit now takes about 11 hours and 17 minutes."
    asked = "how long does the moonlet take to circle its partner now"
    assert _features(asked, after, "11 hours and 17 minutes", "quantity")["sentence_says_now"] == 1.0
    told = _features(asked, before, "11 hours and 40 minutes", "quantity")
    assert (told["sentence_says_now"], told["sentence_says_before"]) == (0.0, 1.0)


def test_a_plan_asked_is_told_by_a_plan():
    planned = "The survey is expected to send up to 7 million alerts a night."
    done = "Its alert stream averages 4.1 million alerts a night."
    asked = "how many alerts a night was the survey supposed to send"
    assert _features(asked, planned, "7 million", "count")["plan_asked_and_told"] == 1.0
    assert _features(asked, done, "4.1 million", "count")["plan_asked_and_told"] == 0.0


def test_a_person_called_by_one_name_is_the_full_name_the_story_gives(tmp_path):
    from index.answers.model import load_weights
    from index.answers.pipeline import choose

    when = {"published": "2031-03-05T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [("wren.txt", "Corvid Buys Wren Works", [
        "Corvid said Priya Solberg will run Wren Works as its general manager.",
        "\u201cPriya has run large programs for the Navy,\u201d the seller said of the new head "
        "of Wren Works.",
        "Solberg said Wren Works would keep its staff.",
    ], when)])
    weights = load_weights()
    reading = read(archive, "who runs wren works now")
    rows = score_candidates(archive, reading, order_hits(reading, weights["rerank"]), weights["rerank"],
                            weights["answer"])
    pooled = {r.span.text: r.within for r in rows if r.span.kind == "name"}
    assert pooled["Priya"] == pooled["Solberg"] == "priya solberg"
    assert choose(rows)[0].span.text == "Priya Solberg"


def test_a_measure_told_below_the_best_passages_is_still_found(tmp_path):
    from index.answers.model import load_weights
    from index.answers.pipeline import ANSWER_PASSAGES, choose

    storm = [f"The May solar storm, set off by a CME, lit up skies over {place} on its {n} night."
             for n, place in enumerate(["Oslo", "Leeds", "Riga", "Turin", "Gdansk", "Porto", "Lyon"])]
    when = {"published": "2031-05-12T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [
        ("storm.txt", "Solar Storm Lights Up Europe", [*storm, "The cloud reached Earth at an average speed "
         "of roughly 900 kilometers per second."], when),
    ])
    weights = load_weights()
    reading = read(archive, "how fast did the cme from the may solar storm travel")
    order = order_hits(reading, weights["rerank"])
    told = next(n for n, i in enumerate(order) if "900" in reading.hits[i].paragraph)
    assert told >= ANSWER_PASSAGES  # the passage with the speed is not among the best five
    rows = score_candidates(archive, reading, order, weights["rerank"], weights["answer"])
    assert choose(rows)[0].span.text == "900 kilometers per second"


def test_a_month_dates_the_subject_and_names_nothing():
    q = classify_question("how fast did the cme from the april solar storm travel")
    said = ["The April storm was the strongest of the year.", "Skies glowed on Monday."]
    assert "april" not in subject_terms(q, {}, said)
    assert "monday" not in subject_terms(classify_question("what did the monday launch carry"), {}, said)


def test_first_and_last_mark_the_earliest_and_latest_dates_told_with_the_verb(tmp_path):
    when = {"published": "2024-10-02T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [("talon.txt", "Talon Reaches Orbit", [
        "The Talon rocket launched on Oct. 1, 2024, and reached orbit.",
        "Its debut, when Talon launched on March 18, 2024, ended in failure.",
        "The company was founded on June 2, 2019.",
    ], when)])

    def marked(question: str, feature: str) -> set[str]:
        reading = read(archive, question)
        rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
        return {r.span.text for r in rows if r.features.get(feature)}

    assert marked("when did talon first launch", "first_of_told") == {"March 18, 2024"}
    assert marked("when did talon last launch", "last_of_told") == {"Oct. 1, 2024"}
    assert marked("when did talon launch", "first_of_told") == set()


def test_which_country_is_answered_by_a_place_not_an_office():
    from index.answers.pipeline import fits
    from index.answers.spans import name_spans

    text = "Denmark abstained, the Nordic Space Office said."
    q = classify_question("Which country abstained in the vote?")
    named = {s.text: fits(q, s) for s in name_spans(text, 0, len(text), 0)}
    assert named == {"Denmark": True, "Nordic Space Office": False}


def _read_features(question: str, text: str, answer: str) -> dict[str, float]:
    from index.answers.dates import DateContext
    from index.answers.spans import candidate_spans

    q = classify_question(question)
    words = question_words(q, {}, subject_terms(q, {}, [text]))
    view = view_passage(text, "paragraph", "", words)
    (span,) = [s for s in candidate_spans(text, frozenset(), DateContext(None, [])) if s.text == answer]
    return candidate_features(q, words, view, span)


def test_a_count_counts_the_noun_after_its_size():
    text = "The planet was found by the Corvo Array, a network of eight 0.6-meter robotic telescopes."
    asked = _read_features("How many telescopes make up the Corvo Array?", text, "eight")
    other = _read_features("How many mirrors make up the Corvo Array?", text, "eight")
    assert asked["counts_asked_thing"] == 1.0 and other["counts_other_thing"] == 1.0


def test_a_length_told_as_a_size_answers_how_big_and_one_told_as_a_distance_how_close():
    text = "The rock, about 11 meters across, passed within 94,000 kilometers of Earth on Jan. 9."
    big = "how big is the rock that passed earth"
    close = "how close did the rock get to earth"
    assert _read_features(big, text, "11 meters")["length_sense_fits"] == 1.0
    assert _read_features(big, text, "94,000 kilometers")["length_sense_misfits"] == 1.0
    assert _read_features(close, text, "94,000 kilometers")["length_sense_fits"] == 1.0
    assert _read_features(close, text, "11 meters")["length_sense_misfits"] == 1.0
    # "a 160-meter asteroid" is a size; a length with no such word beside it says neither
    assert _read_features(big, "Tallow is a 160-meter asteroid.", "160-meter")["length_sense_fits"] == 1.0
    # a unit of its own with a hyphen in it ("light-years") says nothing of size
    far = _read_features(big, "At 38.6 light-years, Tallow is the nearest such rock.", "38.6 light-years")
    assert "length_sense_fits" not in far
    plain = _read_features(big, "The team drove 40 kilometers in all.", "40 kilometers")
    assert "length_sense_fits" not in plain and "length_sense_misfits" not in plain
    # a planet measured in Earth radii is measured by its size
    planet = "The planet, of 1.24 Earth radii, orbits its star every 11 days."
    assert _read_features("how big is the planet", planet, "1.24 Earth radii")["length_sense_fits"] == 1.0


def test_a_length_told_below_the_surface_answers_how_deep_and_one_above_it_how_high():
    text = ("Its radar traced layers down to about 80 meters below the surface, and the orbiter "
            "circles 425 kilometers above the ground on a tilted path.")
    deep = "how deep could the orbiter's radar see"
    high = "how high up does the orbiter fly"
    assert _read_features(deep, text, "80 meters")["length_sense_fits"] == 1.0
    assert _read_features(deep, text, "425 kilometers")["length_sense_misfits"] == 1.0
    assert _read_features(high, text, "425 kilometers")["length_sense_fits"] == 1.0
    assert _read_features(high, text, "80 meters")["length_sense_misfits"] == 1.0
    # "touched down 3.2 kilometers from its target" is a distance, not a depth
    landed = "The capsule touched down 3.2 kilometers from its target."
    far = _read_features("how far from its target did the capsule land", landed, "3.2 kilometers")
    assert far["length_sense_fits"] == 1.0


def test_a_figure_told_of_another_year_than_the_asked_one_is_marked():
    text = "Ministers agreed on a 2026 budget of 421 million euros for the office."
    other = _read_features("What was the office's budget in 2024?", text, "421 million euros")
    same = _read_features("What was the office's budget in 2026?", text, "421 million euros")
    plain = _read_features("What is the office's budget?", text, "421 million euros")
    assert other["other_year_said"] == 1.0 and same["asked_year_said"] == 1.0
    assert "other_year_said" not in plain  # no year asked, none held against it


def test_a_first_told_of_something_else_is_marked():
    question = "who was the first woman in space"
    other = "Whitcombe was the first woman to command the test pilot school."
    same = "Tereshkova became the first woman in space in June 1963."
    assert _read_features(question, other, "Whitcombe")["superlative_scope_unsaid"] == 1.0
    assert _read_features(question, same, "Tereshkova")["superlative_scope_said"] == 1.0
    # no first asked, or none told: nothing said either way
    assert "superlative_scope_unsaid" not in _read_features("who commands the school", other, "Whitcombe")
    plain = "Whitcombe commands the test pilot school."
    assert "superlative_scope_unsaid" not in _read_features(question, plain, "Whitcombe")


def test_an_apposition_telling_another_role_is_marked():
    question = "who is the chief executive of Hoshi"
    cto = "\"We trusted the radar,\" said Dai Harada, Hoshi's chief technology officer, on Monday."
    ceo = "\"We did not land,\" said Aya Mori, the company's founder and chief executive, on Monday."
    assert _read_features(question, cto, "Dai Harada")["apposition_other_role"] == 1.0
    assert "apposition_other_role" not in _read_features(question, ceo, "Aya Mori")
    # an apposition saying no role at all is no other role
    home = "\"We did not land,\" said Dai Harada, who grew up in Osaka, on Monday."
    assert not _read_features(question, home, "Dai Harada").get("apposition_other_role")


def test_an_age_is_told_in_years():
    asked = classify_question("and how old is she?")
    spacewalk = Span(0, 22, "6 hours and 41 minutes", "quantity", 0, unit_class="duration")
    years = Span(0, 8, "51 years", "quantity", 0, unit_class="duration")
    age = Span(0, 2, "51", "quantity", 0, unit_class="age")
    assert not fits(asked, spacewalk)
    assert fits(asked, years) and fits(asked, age)
    universe = Span(0, 18, "13.8 billion years", "quantity", 0, unit_class="duration")
    assert fits(classify_question("how old is the universe"), universe)


def test_where_marks_the_world_a_story_is_on_apart_from_the_place_on_it():
    text = "The Wren lander touched down on the Moon, in Lacus Mortis, on May 2."
    where = "where did wren land"
    assert _features(where, text, "Moon", "name").get("place_is_world") == 1.0
    assert _features(where, text, "Lacus Mortis", "name").get("place_is_world") == 0.0


def test_how_many_of_a_unit_is_answered_by_the_number(tmp_path):
    when = {"published": "2031-03-05T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [("rover.txt", "Rover Sets a Record", [
        "The Skerry rover drove 412 meters on Tuesday, its longest drive in 14 days of work.",
    ], when)])
    assert archive.ask("how many meters did the skerry rover drive on tuesday").answer in (None, "412")
    reading = read(archive, "how many meters did the skerry rover drive on tuesday")
    rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
    assert {r.span.shown for r in rows} >= {"412"}
    # a length answers "how far" with its unit
    reading = read(archive, "how far did the skerry rover drive on tuesday")
    rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
    assert "412 meters" in {r.span.shown for r in rows}


def test_money_is_asked_by_the_verbs_of_money():
    for question in ("How much did the member states commit in Bremen?",
                     "how much did Ardent bid for the mission",
                     "how much has Chile pledged to the observatory",
                     "how much is nasa giving keystone orbital",
                     "how much of the deal is cash"):
        assert classify_question(question).measures == frozenset({"money"}), question
    # who leads a funding round is often a firm: no person is preferred
    assert classify_question("who led brightwake's series a").wants is None


def test_a_count_of_employees_answers_how_many_people():
    text = "After the Series B the company had 74 employees and two offices."
    f = _read_features("how many people did the company have after the series b", text, "74")
    other = _read_features("how many people did the company have after the series b", text, "two")
    assert f.get("counts_asked_thing") == 1.0 and other.get("counts_other_thing") == 1.0


def _varde_story(root, later: str) -> Archive:
    """A story in two articles: "about 160 people work" at an array, then, eight months later,
    `later` (the news that it was saved and how many staff are left)."""
    return reindexed_archive(root, [
        ("threat.txt", "Varde Radio Array Faces Closure", [
            "About 160 people work at the Varde radio array, which the budget request would close.",
        ], {"published": "2025-06-10T09:00:00+00:00"}),
        ("saved.txt", "Congress Saves the Varde Radio Array", [later],
         {"published": "2026-02-26T09:00:00+00:00"}),
    ])


def test_a_staff_of_so_many_is_told_beside_how_many_people(tmp_path):
    text = "Twenty-nine positions were cut, leaving a staff of 131 at the site."
    f = _read_features("how many people work at the site now", text, "131")
    assert f.get("focus_before") == 1.0
    other = _read_features("how many antennas work at the site now", text, "131")
    assert not other.get("focus_before")
    # so a question about now is answered from the newer story that says it so
    archive = _varde_story(tmp_path, "The Varde radio array will stay open. Twenty-nine positions were "
                                     "cut, leaving a staff of 131 at the site.")
    try:
        reading = read(archive, "how many people work at the varde radio array now")
        rows = score_candidates(archive, reading, order_hits(reading, {}), {}, {})
        assert "131" in {r.span.shown for r in rows} and "160" not in {r.span.shown for r in rows}
    finally:
        archive.close()


def test_an_answer_about_now_from_an_older_story_than_one_read_says_so(tmp_path):
    archive = _varde_story(tmp_path, "The Varde radio array will stay open, its operator said, though 29 "
                                     "positions were cut and it is keeping 131 on the payroll.")
    try:
        def candidates(question):
            reading = read(archive, question)
            return reading, score_candidates(archive, reading, order_hits(reading, {}), {}, {})

        # the newer story tells its figure in words the question does not use: the older story's
        # "160 people" is the only telling, and the evidence says a newer story was read
        reading, rows = candidates("how many people work at the varde radio array now")
        assert {r.span.shown for r in rows} == {"160"}
        assert _newer_story_elsewhere(reading, rows[0])
        assert choose(rows, reading)[1]["newer_story_elsewhere"] == 1.0
        # a question that does not ask how things stand now is not doubted so
        reading, rows = candidates("how many people worked at the varde radio array")
        assert "newer_story_elsewhere" not in choose(rows, reading)[1]
    finally:
        archive.close()


def test_what_year_is_answered_by_the_year(tmp_path):
    when = {"published": "2031-03-05T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [("station.txt", "A Station Opens", [
        "The new ground station at Varde was officially opened in March 2029 after two years of work.",
    ], when)])
    reading = read(archive, "what year was the varde ground station opened")
    rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
    assert {r.span.shown for r in rows if r.span.kind == "date"} == {"2029"}
    reading = read(archive, "when was the varde ground station opened")
    rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
    assert "March 2029" in {r.span.shown for r in rows}


def test_the_doer_told_in_the_passive_is_marked():
    text = "The round was led by the growth investor Foxglove Ventures, with Dana Ferrante joining the board."
    question = "who led lumera's series a"
    assert _features(question, text, "Foxglove Ventures", "name").get("agent_of_predicate") == 1.0
    assert "agent_of_predicate" not in _features(question, text, "Dana Ferrante", "name")


def test_a_dates_numbers_do_not_repeat_a_numbered_name():
    text = "Demo-2 splashed down off Pensacola on August 2, 2020."
    f = _features("when did demo-2 splash down", text, "August 2, 2020", "date")
    assert f["repeats_question"] == 0.0


def test_two_articles_telling_the_same_answer_are_two_witnesses(tmp_path):
    from index.answers.pipeline import choose

    when = {"published": "2030-06-01T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [
        ("a.txt", "Tallow Lands", ["The Tallow rover landed on May 4, 2030, near the south pole."], when),
        ("b.txt", "A Month On", ["Since Tallow landed on May 4, 2030, it has driven 300 meters."], when),
        ("c.txt", "Petrel Lands", ["The Petrel lander landed on June 9, 2030."], when),
    ])
    reading = read(archive, "when did tallow land")
    rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
    best, evidence = choose(rows, reading)
    assert best.span.shown == "May 4, 2030" and evidence["other_articles_agree"] == 1.0
    reading = read(archive, "when did petrel land")
    rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
    assert choose(rows, reading)[1]["other_articles_agree"] == 0.0


def test_an_inclination_or_a_tilt_is_asked_in_degrees():
    for question in ("what inclination did the second flight reach", "how much is the lander tilted",
                     "at what angle did it come to rest"):
        assert classify_question(question).measures == frozenset({"degrees"}), question


def test_series_letters_tell_funding_rounds_apart():
    assert numbered_names("who led the series b round") == {("seri", 102)}
    assert numbered_names("How much did Kestrel raise in its Series A?") == {("seri", 101)}
    text = ("Osprey Labs raised $40 million in a Series B round. Marlin Capital led the round, "
            "which also drew Series A lead Tarn Ventures.")
    # the round named right after a sum in its clause is the sum's; one behind a comma is not
    sum_b = _features("how much did osprey raise in its series a", text, "$40 million", "money")
    lead = _features("who led osprey's series b round", text, "Marlin Capital", "name")
    assert sum_b["another_numbered_name"] == 1.0
    assert lead["another_numbered_name"] == 0.0


def test_words_saying_the_asked_measure_count_once():
    q = classify_question("how heavy is the lander")
    words = question_words(q, {"heavi": 3.0, "weigh": 3.0, "mass": 4.0, "lander": 2.0},
                           {"lander"}, measured=["weigh", "mass"])
    text = "The lander has a mass of 520 kilograms."
    view = view_passage(text, "paragraph", "", words)
    span = Span(text.index("520"), text.index("520") + 14, "520 kilograms", "quantity", 0)
    f = candidate_features(q, words, view, span)
    # "mass" says all that "how heavy" asks: the sentence says the whole question
    assert f["sentence_says_question"] == 1.0
    assert f["sentence_says_predicate"] == 1.0


def test_the_answer_s_sentence_says_the_question_s_verb():
    text = "The House passed the spending bill on Dec. 17. The president signed the bill on Dec. 21."
    asked = "when did the president sign the spending bill"
    signed = _features(asked, text, "Dec. 21", "date")
    passed = _features(asked, text, "Dec. 17", "date")
    assert signed["sentence_says_event"] == 1.0
    assert passed["sentence_says_event"] == 0.0


def test_words_a_whole_story_repeats_weigh_little_among_its_passages():
    q = classify_question("when did the president sign the spending bill")
    words = question_words(q, {"presid": 3.0, "sign": 3.0, "spend": 3.0, "bill": 3.0}, set())
    text = "The spending bill passed on Dec. 17. The president signed it on Dec. 21."
    view = view_passage(text, "paragraph", "", words)

    def rare(answer: str) -> float:
        start = text.index(answer)
        sentence = next(i for i, (s0, s1) in enumerate(view.sentences) if s0 <= start < s1)
        span = Span(start, start + len(answer), answer, "date", sentence)
        return candidate_features(q, words, view, span)["sentence_says_rare_words"]

    assert rare("Dec. 17") == 0.0  # no local weights read: nothing said
    # every passage says "spending bill", one says "president signed"
    words.local = {"presid": 2.0, "sign": 2.0, "spend": 0.2, "bill": 0.2}
    assert rare("Dec. 21") > 0.8 > 0.2 > rare("Dec. 17")


def test_a_relative_clause_says_which_thing_and_an_article_may_say_it_otherwise(tmp_path):
    archive = reindexed_archive(tmp_path, [
        ("impact.txt", "Kinetic Impactor Moves a Moonlet", [
            "The Corvus probe slammed into the moonlet Pell at about 6.1 kilometers per second, "
            "shortening its orbit around the asteroid Varenne by half an hour.",
        ], {"published": "2026-10-12T09:00:00+00:00"}),
        ("flyby.txt", "Lumen Flies Past Ostara", [
            "The Lumen probe flew past the small asteroid Ostara at 3.2 kilometers per second on Monday.",
        ], {"published": "2026-11-02T09:00:00+00:00"}),
    ])
    try:
        reading = read(archive, "how fast was the spacecraft that rammed the asteroid going")
        assert "ram" in reading.words.subject and "ram" in reading.words.clause
        rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
        assert "6.1 kilometers per second" in {r.span.shown for r in rows}
        # a name the clause says is still required of the article
        reading = read(archive, "how fast was the spacecraft that rammed Ostara going")
        rows = score_candidates(archive, reading, order_hits(reading, {}), {}, None)
        assert {r.span.shown for r in rows} == {"3.2 kilometers per second"}
    finally:
        archive.close()


def test_the_day_a_thing_was_said_is_told_apart_from_the_day_it_happened():
    text = ("Orrin delayed its service to the north, leaving it with 58 satellites, the company "
            "said on April 22. Service began on Jan. 26 in Nunavut.")
    asked = "when did orrin's service start"
    assert _features(asked, text, "April 22", "date")["date_of_saying"] == 1.0
    assert _features(asked, text, "Jan. 26", "date")["date_of_saying"] == 0.0
    # asked when it was said, the day of the saying is the answer
    assert "date_of_saying" not in _features("when did orrin announce the delay", text, "April 22", "date")



def test_a_story_titled_by_another_number_of_the_asked_name_is_told_apart():
    q = classify_question("where did petrel ii launch from")
    other = _passage("The rocket lifted off from the northern pad.", title="Petrel I Comes Home",
                     held=("petrel", "launch"))
    asked = _passage("The rocket lifted off from the coastal pad.", title="Petrel II Flies",
                     held=("petrel", "launch"))
    mentions = _passage("Petrel I lifted off from the same pad.", title="Petrel II Flies",
                        held=("petrel", "launch"))
    f_other, f_asked, f_mentions = rerank_features(q, [other, asked, mentions], frozenset({"petrel"}))
    assert f_other["title_another_number"] == 1.0 and f_asked["title_another_number"] == 0.0
    assert f_mentions["another_number"] == 1.0 and f_asked["another_number"] == 0.0


@pytest.mark.parametrize(
    ("question", "text", "span", "from_asked"),
    [
        # "away" alone is from us: not the distance from the planet's star
        ("how far is Orsay 41 b from its star", "It circles a red star 48 light-years away.",
         "48 light-years", False),
        ("how far is Orsay 41 b from its star", "It orbits 2.9 million kilometers from its star.",
         "2.9 million kilometers", True),
        ("how far from the sun was the comet", "It was 613 million kilometers from Earth then.",
         "613 million kilometers", False),
        # how close it got to a thing is measured from that thing
        ("How close did Hotaru get to comet Sakurai-Bell?", "Hotaru is 187 million kilometers from Earth.",
         "187 million kilometers", False),
        ("How close did Hotaru get to comet Sakurai-Bell?", "It passed 1,240 kilometers from the comet.",
         "1,240 kilometers", True),
    ],
)
def test_a_distance_is_told_from_what_the_question_measures_it_from(question, text, span, from_asked):
    q = classify_question(question)
    words = question_words(q, {}, subject_terms(q, {}, [text]))
    told = next(s for s in number_spans(text, 0, len(text), 0) if s.text == span)
    assert told.unit_class == "length"
    f = candidate_features(q, words, view_passage(text, "paragraph", "", words), told)
    assert f["distance_from_asked"] == float(from_asked)
    assert f["distance_from_other"] == float(not from_asked)


def test_a_quantity_told_in_the_unit_how_many_asks_for_is_marked():
    text = "The crew spent 186 days in space, some six months, before splashing down."
    question = "how many days were the crew up there"
    assert _read_features(question, text, "186 days")["told_in_asked_unit"] == 1.0
    assert _read_features(question, text, "six months")["told_in_other_unit"] == 1.0
    # "how many" things (no unit asked): nothing said either way
    assert "told_in_asked_unit" not in _read_features("how many crews flew", text, "186 days")


def test_a_sentence_telling_another_world_than_the_asked_one_is_marked():
    question = "when did the lander touch down on the moon"
    there = "The lander touched down on December 1 on the Moon's near side."
    home = "The capsule came down on Earth on December 17, in the grasslands."
    assert _read_features(question, there, "December 1")["asked_world_said"] == 1.0
    assert _read_features(question, home, "December 17")["other_world_said"] == 1.0
    # no world asked: nothing said either way
    assert "other_world_said" not in _read_features("when did the capsule come down", home, "December 17")


def test_a_distance_told_from_another_body_than_the_asked_one_is_no_answer(tmp_path):
    when = {"published": "2035-01-10T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [("hotaru.txt", "Hotaru Flies Past a Comet", [
        "The comet was 187 million kilometers from Earth at the time of the Hotaru flyby.",
        "Hotaru came within 1,240 kilometers of the comet's nucleus on Sunday.",
    ], when)])
    reading = read(archive, "How close did Hotaru get to the comet?")
    told = {r.span.text for r in score_candidates(archive, reading, order_hits(reading, {}), {}, {})}
    assert "1,240 kilometers" in told and "187 million kilometers" not in told
    # asked from Earth, the same figure answers
    reading = read(archive, "How far from Earth was the comet during the Hotaru flyby?")
    told = {r.span.text for r in score_candidates(archive, reading, order_hits(reading, {}), {}, {})}
    assert "187 million kilometers" in told


def test_a_second_verb_joined_by_and_opens_a_clause_of_its_own():
    text = "Kestrel reached the surface in May 2021 and drove down its ramp on May 22."
    landing = _read_features("When did Kestrel land?", text, "May 2021")
    ramp = _read_features("When did Kestrel land?", text, "May 22, 2021")
    assert landing["predicate_in_clause"] > 0  # "reached the surface" tells the landing
    assert "predicate_in_clause" not in ramp  # the drive down the ramp is another event
    # two things joined by "and" are no two clauses
    both = _read_features("When did the lander land?", "The lander and rover came down on May 15.", "May 15")
    assert both["predicate_in_clause"] > 0
