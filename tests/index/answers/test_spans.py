"""Candidate answers: what a reader notices about each number, name and phrase of a sentence."""

import pytest

from index.answers.dates import DateContext
from index.answers.question import classify_question
from index.answers.spans import candidate_spans, has_typed, name_spans, number_spans, split_sentences
from index.answers.units import unit_class


def spans(text, kind=None):
    found = candidate_spans(text, frozenset(), DateContext(), phrases=True)
    return [s for s in found if kind is None or s.kind == kind]


def test_sentences_do_not_end_at_abbreviations():
    text = "Dr. Lena Park of the U.S. team spoke. The rover landed."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Dr. Lena Park of the U.S. team spoke.", "The rover landed.",
    ]


@pytest.mark.parametrize(
    ("text", "answer", "unit_class"),
    [
        ("It raced past at 692,000 kilometers per hour.", "692,000 kilometers per hour", "speed"),
        ("It passed 6.9 million kilometers from the surface.", "6.9 million kilometers", "length"),
        ("The rover weighs 1,025 kilograms.", "1,025 kilograms", "mass"),
        ("The flight lasted 39.1 seconds.", "39.1 seconds", "duration"),
        ("The company raised $60 million last year.", "$60 million", "money"),
        ("About 12% of the fuel was left.", "12%", "percent"),
        ("Its rotors spin at 2,400 revolutions per minute.", "2,400 revolutions per minute", "speed"),
        ("The wheel turned at 300 rpm.", "300 rpm", "speed"),
        ("The stage is tumbling at 1.5 degrees per second.", "1.5 degrees per second", "speed"),
        ("Its orbit now takes 15 hours and 23 minutes.", "15 hours and 23 minutes", "duration"),
        ("The trip took 2 days, 4 hours.", "2 days, 4 hours", "duration"),
        ("The module offers 300 cubic meters of room.", "300 cubic meters", "volume"),
        ("The sample stayed at minus 72 degrees Celsius.", "minus 72 degrees Celsius", "temperature"),
        ("Nights fall to -180 degrees C there.", "-180 degrees C", "temperature"),
        ("Days range from 20-30 degrees Celsius.", "20-30 degrees Celsius", "temperature"),
    ],
)
def test_a_number_carries_its_unit_and_what_it_measures(text, answer, unit_class):
    found = [s for s in spans(text) if s.kind in ("quantity", "money", "percent")]
    assert [(s.text, s.unit_class) for s in found] == [(answer, unit_class)]


def test_a_count_knows_what_follows_it_and_a_year_is_flagged():
    found = {s.text: s for s in spans("In 2024 it made 72 flights.", "count")}
    assert found["72"].flags.get("counted") == 1.0
    assert "2024" not in found or found["2024"].flags.get("year_like")


def test_six_of_a_planned_ten_marks_the_part_and_the_total():
    found = {s.text: s.flags for s in spans("Six of a planned 10 satellites are in orbit.", "count")}
    assert found["Six"].get("part_of_total") == 1.0
    assert found["10"].get("total_of_part") == 1.0
    # a total written in words after a possessive: "four of its six instruments"
    found = {s.text: s.flags for s in spans("Four of its six NASA instruments returned data.", "count")}
    assert found["Four"].get("part_of_total") == 1.0
    assert found["six"].get("total_of_part") == 1.0


def test_a_part_counts_what_its_total_counts():
    from index.answers.features import candidate_features, question_words, view_passage

    text = "Four of its six NASA instruments returned data before the lander went silent."
    q = classify_question("how many of argent's instruments returned data")
    words = question_words(q, {}, {"argent"})
    view = view_passage(text, "body", "Argent", words)
    four = next(s for s in spans(text, "count") if s.text == "Four")
    features = candidate_features(q, words, view, four)
    assert features["counts_asked_thing"] == 1.0 and features["counts_other_thing"] == 0.0


def test_numbers_inside_dates_are_not_counts():
    assert [s.text for s in spans("It landed on May 15, 2021.", "count")] == []


def test_a_clock_time_counts_nothing():
    assert [s.text for s in spans("It lifted off at 12:06 p.m. and made 49 flybys.", "count")] == ["49"]


def test_scores_are_not_ranges():
    assert [s.text for s in spans("The game ended 24–10.", "count")] == []


def test_a_range_goes_up():
    told = [s.text for s in spans("It plans six launches in 2031 and 12 a year after that.", "count")]
    assert "12" in told and "2031 and 12" not in told
    assert "10 and 12" in [s.text for s in spans("Between 10 and 12 satellites will fly.", "count")]


@pytest.mark.parametrize(
    ("text", "name", "name_class"),
    [
        ("The probe was built by the Meridian Space Agency.", "Meridian Space Agency", "org"),
        ("It came down in Utopia Planitia after the cruise.", "Utopia Planitia", "place"),
        ("Principal investigator Tomas Ilves said the map was complete.", "Tomas Ilves", "person"),
        ("It landed at 6:04 pm Indian Standard Time on the day.", "Indian Standard Time", "timezone"),
        ("The rocket lifted off at 11:54 p.m. Eastern time on March 5.", "Eastern", "timezone"),
        ("The company is based in Arlington, Virginia, near the river.", "Virginia", "place"),
        ("The deal values Lumera Orbital at $310 million.", "Lumera Orbital", "org"),
        ("Wrenfield Launch said the rocket was ready.", "Wrenfield Launch", "org"),
        ("The lander was built by Harlow Space in Texas.", "Harlow Space", "org"),
        ("It lifted off from the Wenchang Space Launch Site.", "Wenchang Space Launch Site", "place"),
        ("Its Skald instrument listens for lightning on Venus at night.", "Venus", "place"),
        ("The Wren lander set down on the Moon with its rover.", "Moon", "place"),
    ],
)
def test_a_name_looks_like_a_person_an_organisation_or_a_place(text, name, name_class):
    found = {s.text: s.name_class for s in spans(text, "name")}
    assert found[name] == name_class


def test_a_name_with_a_month_or_a_number_in_it_stays_whole():
    assert "Long March 5" in [s.text for s in spans("A Long March 5 rocket lifted off.", "name")]


def test_a_common_noun_with_a_capital_letter_ends_no_name():
    found = [s.text for s in spans("The rocket also carried the Kirra X-ray observatory.", "name")]
    assert "Kirra" in found and "Kirra X-ray" not in found
    whole = [s.text for s in spans("Data came from the Tallis X-ray Observatory.", "name")]
    assert "Tallis X-ray Observatory" in whole


def test_where_a_company_is_based_is_not_part_of_its_name():
    found = {s.text: s.name_class for s in spans("Pune-based Orrery Works built the radar.", "name")}
    assert found == {"Orrery Works": "org", "Pune": "place"}  # where it is based is a place


def test_phrases_leave_out_the_question_words():
    text = "Tesla developed an induction motor in 1887."
    q = classify_question("What did Tesla develop in 1887?")
    found = candidate_spans(text, frozenset(q.terms), DateContext(), phrases=True)
    phrases = [s.text for s in found if s.kind == "phrase"]
    assert "induction motor" in phrases
    assert not any("Tesla" in p or "developed" in p for p in phrases)


def test_unit_classes():
    assert unit_class("km", " per hour") == "speed"
    assert unit_class("kilometers") == "length"
    assert unit_class("tonnes") == "mass"
    assert unit_class("bananas") is None
    # a mass per volume is a density, not a mass: "2.1 grams per cubic centimeter"
    assert unit_class("grams", " per cubic centimeter") == "density"
    text = "Its density is about 2.1 grams per cubic centimeter; the probe weighs 40 kilograms."
    read = {s.text: s.unit_class for s in number_spans(text, 0, len(text), 0)}
    assert read == {"2.1 grams per cubic centimeter": "density", "40 kilograms": "mass"}



def test_astronomy_measures_in_bodies_and_magnitudes():
    text = "The planet has 1.93 Earth masses and 1.24 Earth radii; its year lasts 12 Earth days."
    read = {s.text: s.unit_class for s in number_spans(text, 0, len(text), 0)}
    assert read == {"1.93 Earth masses": "mass", "1.24 Earth radii": "length", "12 Earth days": "duration"}
    text = "The comet brightened to magnitude 7.4, from magnitude 15.8 at discovery."
    read = {s.text: s.unit_class for s in number_spans(text, 0, len(text), 0)}
    assert read == {"magnitude 7.4": "brightness", "magnitude 15.8": "brightness"}


@pytest.mark.parametrize(
    ("question", "measures"),
    [
        ("how fast was parker going", {"speed"}),
        ("How far had Zhurong driven?", {"length"}),
        ("how heavy is the rover", {"mass"}),
        ("How much does Perseverance weigh?", {"mass"}),
        ("How much did the startup raise?", {"money"}),
        ("How old was the engineer?", {"age", "duration"}),
        ("How long did the flight last?", {"duration"}),
        ("How long is a year on HN-311 b?", {"duration"}),
        ("How long is the rover?", {"length", "duration"}),
        ("how big was the payout", {"money"}),
        ("how big is the inflatable module nasa is funding", {"length", "area", "mass"}),
        ("What percentage of the fuel was left?", {"percent"}),
        ("How many flights did Ingenuity make?", set()),
        ("How many kilometers did it drive?", {"length"}),
        ("How much can the rocket carry to orbit?", {"mass"}),
        ("How much was the cargo contract worth?", {"money"}),
        ("how much does the company charge for a launch", {"money"}),
        ("What does a dedicated launch cost?", {"money"}),
        ("How much fuel went into the tank during the transfer?", {"mass", "volume", "percent", "rate"}),
        ("how much did the water mission cost", {"money"}),
        ("What was the mission's price tag at launch?", {"money"}),
        ("how much room is there inside the capsule", {"volume", "area"}),
        ("What is the density of the asteroid?", {"density"}),
        ("how dense is the planet", {"density"}),
        ("how bright did the comet get", {"brightness"}),
        ("What magnitude did the comet reach?", {"brightness"}),
    ],
)
def test_a_question_names_the_units_that_fit(question, measures):
    assert set(classify_question(question).measures) == measures


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("Who leads the OSIRIS-REx science team?", "person"),
        ("Which company built the lander?", "org"),
        ("Who built the lander?", None),
        ("Where did Chandrayaan-3 land?", "place"),
        ("What year did Voyager 1 launch?", "year"),
    ],
)
def test_a_question_says_what_kind_of_name_or_date_it_wants(question, wants):
    assert classify_question(question).wants == wants


def test_a_measure_question_wants_a_sentence_with_that_measure():
    text = "The rotors are 1.3 meters across. It weighs about 2.1 kilograms."
    (a0, a1), (b0, b1) = split_sentences(text)
    assert not has_typed("how_much", text, a0, a1, frozenset({"mass"}))
    assert has_typed("how_much", text, b0, b1, frozenset({"mass"}))
    assert has_typed("how_much", text, a0, a1)  # any number, when no measure is asked


def test_a_clock_time_with_its_zone_does_not_end_the_sentence():
    text = ("The capsule splashed down at 2:48 p.m. Eastern time on August 2, 2020. "
            "Recovery began at 3 p.m. Divers reached it first.")
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences[0].endswith("on August 2, 2020.")
    assert sentences[1:] == ["Recovery began at 3 p.m.", "Divers reached it first."]


def test_a_measure_written_as_an_adjective_is_said_as_a_measure():
    text = "The 1,020-kilogram satellite has a 2.1-foot dish and a 1-meter boom."
    found = {s.text: s.shown for s in spans(text) if s.kind == "quantity"}
    assert found == {"1,020-kilogram": "1,020 kilograms", "2.1-foot": "2.1 feet", "1-meter": "1 meter"}


def test_a_date_with_its_month_cut_short_is_no_name():
    names = [s.text for s in spans("It landed on Feb. 19 in Lacus Mortis, said Jan Hus on Sept 3.", "name")]
    assert not {"Feb. 19", "Feb", "Sept 3", "Sept"} & set(names) and "Jan Hus" in names


def test_a_person_named_after_an_office_is_also_a_candidate_alone():
    text = "The review was ordered by Associate Administrator Mira T. Okonjo in 2031."
    named = {s.text: s.name_class for s in name_spans(text, 0, len(text), 0)}
    assert named["Mira T. Okonjo"] == "person"
    assert "Associate Administrator Mira T. Okonjo" in named
    # a single word after the office is no person's full name ("General Electric" names a firm)
    assert "Electric" not in {s.text for s in name_spans("General Electric built it.", 0, 26, 0)}
    # an occupation opening a sentence, before a name and before "of"
    text = "Developer Ilse Marrow planned the town. Astronomer Ana Ruiz of the Kalliope Observatory agreed."
    persons = {s.text for s in name_spans(text, 0, len(text), 0) if s.name_class == "person"}
    assert {"Ilse Marrow", "Ana Ruiz"} <= persons


def test_names_written_together_are_also_one_candidate():
    # "who were the announcers": both names, the last joined by "and"; names of two kinds are
    # not one answer, and the names stay candidates alone
    text = "The announcers were Ira Kell and Dana Voss, with Mo Hart, Jo Lind and Cy Reed on the sidelines."
    together = {s.text for s in name_spans(text, 0, len(text), 0) if s.flags.get("coordinated")}
    assert together == {"Ira Kell and Dana Voss", "Mo Hart, Jo Lind and Cy Reed"}
    assert {"Ira Kell", "Dana Voss"} <= {s.text for s in name_spans(text, 0, len(text), 0)}
    mixed = "It was said by Dr. Ira Kell and the European Space Agency."
    assert not [s for s in name_spans(mixed, 0, len(mixed), 0) if s.flags.get("coordinated")]


def test_a_word_capitalised_only_as_it_opens_the_sentence_is_not_part_of_the_name():
    text = "Upon Okonjo's arrival the review began."
    assert [s.text for s in name_spans(text, 0, len(text), 0)] == ["Okonjo"]
    # a quote opens a sentence too, and "I'd" is never a name
    quoted = "\u201cIt's early days,\u201d said Okonjo. \u201cI'd wait for a second look.\u201d"
    assert [s.text for s in name_spans(quoted, 0, len(quoted), 0)] == ["Okonjo"]


def test_a_name_followed_by_a_place_word_is_a_place():
    text = "The lander came down on the slope of Shioli crater near the Sea of Nectar."
    named = {s.text: s.name_class for s in name_spans(text, 0, len(text), 0)}
    assert named["Shioli"] == "place" and named["Sea of Nectar"] == "place"


def test_a_town_followed_by_its_state_is_a_place():
    text = "Pellucid Orbital, the Long Beach, California, company, landed its capsule."
    town = next(s for s in spans(text, "name") if s.text == "Long Beach")
    assert town.name_kind == "place"


def test_a_part_of_a_rough_total_counts_what_the_total_counts():
    text = "The company will lay off 34 of its roughly 170 employees."
    part, total = (s for s in spans(text, "count"))
    assert (part.text, part.flags.get("part_of_total")) == ("34", 1.0)
    assert (total.text, total.flags.get("total_of_part")) == ("170", 1.0)


@pytest.mark.parametrize(
    ("text", "clock"),
    [("The rocket lifted off at 9:42 p.m. EDT on March 11.", "9:42 p.m. EDT"),
     ("It latched on at 03:47 UTC.", "03:47 UTC"),
     ("Liftoff came at 11:54 p.m. Eastern time on March 5.", "11:54 p.m. Eastern time"),
     ("The hatch opened at noon local time.", "noon local time"),
     ("The trip took 2.30 hours and scored 3.25 points.", None)],
)
def test_a_time_of_day_is_read_with_its_zone(text, clock):
    assert [s.text for s in spans(text, "clock")] == ([clock] if clock else [])
