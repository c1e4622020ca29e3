"""Follow-ups read with the earlier question's subject."""

import pytest

from index.answers.followup import resolve, subject_phrase

NAMES = {"zhurong", "perseverance", "hayabusa2", "rosetta", "osiris-rex"}


def known(word):
    return word.casefold() in NAMES


def read(question, context, answer_of=None):
    return resolve(question, context, known=known, answer_of=answer_of)


@pytest.mark.parametrize(
    ("question", "context", "meant"),
    [
        ("how heavy is it", "when did zhurong land", "how heavy is zhurong"),
        ("And when did it reach orbit?", "When did Zhurong land?", "when did Zhurong reach orbit?"),
        ("what were its instruments", "when did zhurong land", "what were zhurong's instruments"),
        ("what about perseverance?", "when did zhurong land", "when did perseverance land"),
        ("where did that mission launch from", "how much did hayabusa2 bring home",
         "where did hayabusa2 launch from"),
    ],
)
def test_a_pronoun_or_an_ellipsis_takes_the_earlier_subject(question, context, meant):
    assert read(question, context) == meant


def test_a_question_without_a_subject_gets_the_earlier_one_added():
    got = read("where did the capsule come down", "how much asteroid did hayabusa2 bring home")
    assert got == "where did the capsule come down (hayabusa2)?"


def test_a_question_that_names_its_own_subject_is_a_new_question():
    assert read("when did Perseverance land?", "when did zhurong land") == "when did Perseverance land?"
    assert read("how heavy is perseverance", "when did zhurong land") == "how heavy is perseverance"


def test_a_role_s_initials_are_no_subject_of_their_own():
    assert read("who's the PI", "tell me about rosetta") == "who's the PI (rosetta)?"
    assert read("who's the CEO of Corvid", "tell me about rosetta") == "who's the CEO of Corvid"


@pytest.mark.parametrize(
    ("question", "context", "meant"),
    [("and the bigger one?", "how big is rosetta", "how big is the bigger one"),
     ("and for science?", "how much did rosetta cost", "how much did rosetta cost for science?"),
     ("how far did it get", "when did artemis i launch", "how far did artemis i get")],
)
def test_a_bare_phrase_asks_the_earlier_question_again(question, context, meant):
    assert resolve(question, context, known=lambda w: w in ("rosetta", "artemis")) == meant


def test_the_subject_is_looked_for_further_back_when_the_last_question_had_a_pronoun():
    context = ["when did rosetta launch", "and when did it reach the comet"]
    assert read("what was its lander called", context) == "what was rosetta's lander called"


def test_he_or_she_after_a_who_question_is_the_person_answered():
    def answer_of(question):
        return "Dante Lauretta" if question.startswith("who") else None

    got = read("where does he work", "who leads the osiris-rex science team", answer_of)
    assert got == "where does Dante Lauretta work"


def test_she_answered_with_no_one_is_not_the_thing_asked_about():
    got = read("where does she live?", "Who first spotted the outburst of Comet Varda?", lambda q: None)
    assert got == "where does she live (Comet Varda)?"  # not "where does Comet Varda live"


def test_it_after_which_company_is_the_company_answered():
    def answer_of(question):
        return "Halvard Systems" if question.startswith("Which company") else None

    got = read("Where is it based?", "Which company agreed to buy Kestrel Orbital?", answer_of)
    assert got == "Where is Halvard Systems based?"
    # "she" after it is no company
    assert read("where does she work?", "Which company agreed to buy Kestrel Orbital?", answer_of) == (
        "where does she work (Kestrel Orbital)?")


def test_without_context_nothing_changes():
    assert read("how heavy is it", None) == "how heavy is it"
    assert read("how heavy is it", []) == "how heavy is it"


def test_the_subject_of_a_question():
    assert subject_phrase("When did Zhurong land on Mars?", known) == "Zhurong"
    assert subject_phrase("when did zhurong land", known) == "zhurong"
    assert subject_phrase("how heavy is it", known) is None


def test_of_two_names_the_later_is_what_the_question_is_about():
    meant = read("What about Atrium?", "How much is NASA giving Keystone?")
    assert meant == "How much is NASA giving Atrium?"
    assert read("how heavy is it", "when did NASA launch Perseverance") == "how heavy is Perseverance"
    # a place the event happened at is not what is asked about, "of" and all
    assert subject_phrase("When did Zhurong land on Mars?", known) == "Zhurong"
    earlier = "When did the Ascent-1 capsule splash down in the Gulf of Mexico?"
    assert read("how fast did it hit the water?", earlier) == "how fast did Ascent-1 hit the water?"


def test_a_world_a_mission_goes_to_is_not_what_the_question_is_about():
    meant = read("how fast was it going?", "When did Aureole make its record close pass of the Sun?")
    assert meant == "how fast was Aureole going?"
    assert subject_phrase("what about Venus?", known) == "Venus"  # unless it is all that is named


def test_who_led_it_after_a_funding_round_asks_who_led_the_round():
    assert read("and who led it?", "How much did Pellucid raise in its Series A?") == (
        "who led Pellucid's Series A?")
    assert read("who led it", "when did rosetta launch") == "who led rosetta"


def test_a_name_after_its_is_part_of_the_earlier_one():
    names = {"tidewell", "series", "orison", "granite"}
    assert subject_phrase("how much did tidewell raise in its series d", names.__contains__) == "tidewell"
    assert subject_phrase("how many satellites did orison launch on its first granite heavy",
                          names.__contains__) == "orison"


def test_a_longer_name_that_is_part_of_the_subject_or_a_place_is_not_the_subject():
    assert subject_phrase("How much did Brightwake raise in its Series A?", known) == "Brightwake"
    assert subject_phrase("When did Zhurong land on Utopia Planitia?", known) == "Zhurong"


def test_a_month_is_no_subject():
    said = {"zhurong", "january"}.__contains__
    assert subject_phrase("what flew past zhurong in january 2026", said) == "zhurong"


def test_they_after_how_many_are_the_things_counted():
    got = read("how many of them were working afterwards?", "how many satellites did perseverance carry")
    assert got == "how many of perseverance's satellites were working afterwards?"
    got = read("how many of those are type ia?", "how many supernovae has Sable found so far")
    assert got == "how many of Sable's supernovae are type ia?"
    # after anything else "they" stays the earlier subject
    assert read("when did they land", "who flew on zhurong") == "when did zhurong land"


def test_it_after_a_question_asking_a_name_is_the_thing_named():
    def answer_of(question):
        return "Pell" if question.startswith("what") else None

    meant = read("how big is it?", "what's the name of the moonlet harrow hit", answer_of)
    assert meant == "how big is Pell?"
    # not trusted to a name: the thing as the earlier question described it
    meant = read("how big is it", "what's the name of the asteroid that flew past earth in january",
                 lambda question: None)
    assert meant == "how big is the asteroid that flew past earth in january"
    meant = read("how big is it?", "What is the name of Vellacourt's moon?", lambda question: None)
    assert meant == "how big is Vellacourt's moon?"
    # after a question that asks no name, "it" stays the subject
    assert read("how heavy is it", "when did zhurong land", answer_of) == "how heavy is zhurong"


def test_a_name_after_on_the_only_says_where():
    said = {"argent", "moon"}.__contains__
    assert subject_phrase("when did argent land on the moon", said) == "argent"


def test_that_and_a_noun_is_the_thing_the_earlier_question_named_so():
    assert read("how big is that moon?", "Who found Vellacourt's second moon?") == (
        "how big is Vellacourt's second moon?"
    )
    assert read("how fast was that probe going", "When did NASA's Harrow probe reach Vellacourt?") == (
        "how fast was NASA's Harrow probe going"
    )
    # no name goes with the noun: the earlier question's subject, as before
    assert read("how big is that moon?", "what asteroid moon did Harrow hit") == "how big is Harrow?"


def test_the_last_one_after_how_many_is_the_last_of_the_things_counted():
    assert read("and when was the last one?", "how many times did Ingenuity fly") == (
        "when was the last flight (Ingenuity)?"
    )
    assert read("when was the first one", "how many satellites did Orison launch") == (
        "when was the first satellite (Orison)?"
    )
    # after a question that counted nothing, "the last one" stays as it was asked
    assert read("and when was the last one?", "when did Ingenuity first fly") == (
        "when was the last one (Ingenuity)?"
    )


def test_she_is_the_answer_and_it_the_earlier_subject():
    def answer_of(question):
        return "Beatrix Solano" if question == "Who founded Arclight Launch?" else None

    meant = read("when did she found it?", "Who founded Arclight Launch?", answer_of)
    assert meant == "when did Beatrix Solano found Arclight Launch?"
    meant = read("when did she join its board?", "Who founded Arclight Launch?", answer_of)
    assert meant == "when did Beatrix Solano join Arclight Launch's board?"
