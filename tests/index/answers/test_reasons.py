"""Why-questions are answered by the reasons the archive gives: what follows "because (of)",
"due to", "caused by", "traced the failure to", "fined ... for failing to", or the subject of
"caused"; "what caused",
"what went wrong" and "how come" ask for a reason as "why" does. Articles written for the tests,
indexed into a real archive."""

from __future__ import annotations

import pytest

from index.answers import pipeline
from index.answers.causes import cause_spans
from index.answers.features import normalise
from index.answers.question import classify_question
from index.answers.spans import has_typed
from index.archive import Archive
from tests.index.conftest import reindexed_archive


def reasons(sentence: str) -> list[tuple[str, str]]:
    return [(sentence[a:b], flag) for a, b, flag in cause_spans(sentence, 0)]


def test_a_reason_runs_from_its_marker_to_the_end_of_its_clause():
    assert reasons("The launch was scrubbed because of high winds over the pad, the agency said.") == [
        ("high winds over the pad", "cause_because")]
    assert reasons("Because the antenna was stuck, the probe could not call home.") == [
        ("the antenna was stuck", "cause_because")]
    assert reasons("The landing was delayed by a faulty radar altimeter, which had failed in tests.") == [
        ("a faulty radar altimeter", "cause_by")]
    assert reasons("Investigators traced the loss to a leaking valve as the stage separated.") == [
        ("a leaking valve", "cause_by")]


def test_the_subject_of_caused_is_the_reason_and_a_pronoun_gives_none():
    assert reasons("A frayed cable in the second stage caused the failure of the flight.") == [
        ("A frayed cable in the second stage", "cause_subject")]
    assert reasons("It caused a two-week delay.") == []


def test_a_reason_too_long_to_be_a_short_answer_is_not_offered():
    sentence = ("It slipped because " + " ".join(["the"] + ["many"] * 20 + ["problems"]) + ".")
    assert reasons(sentence) == []


def test_what_a_penalty_or_a_prize_was_for_is_a_reason():
    assert reasons("Regulators fined the operator $210,000 for failing to move a dead satellite out of "
                   "the belt, the second such penalty.")[0] == (
        "failing to move a dead satellite out of the belt", "cause_for")
    assert reasons("The prize for best paper went to the team.") == []  # "for" and no deed


def test_a_bare_to_and_a_verb_is_no_reason_but_in_order_to_is():
    # most sentences hold a "to" and a verb: offered as reasons they drowned the surer ones
    assert reasons("Ruiz moved to Quito to attend school, where she met her partner.") == []
    assert reasons("The crew went outside in order to inspect the radiator.") == [
        ("inspect the radiator", "cause_purpose")]


@pytest.mark.parametrize("text", [
    "why did the launch slip", "What caused the failure?", "what went wrong with the lander",
    "how come the probe went quiet", "what was the reason for the delay", "what is the cause of the glow",
])
def test_questions_that_ask_for_a_reason(text):
    assert classify_question(text).answer_type == "why"


@pytest.mark.parametrize("text", ["what did the impact cause", "what did it visit", "how many came back"])
def test_questions_that_do_not(text):
    assert classify_question(text).answer_type != "why"


def test_a_sentence_that_gives_a_reason_is_typed_for_why():
    sentence = "The launch was scrubbed because of high winds."
    assert has_typed("why", sentence, 0, len(sentence))
    plain = "The launch was scrubbed on Tuesday."
    assert not has_typed("why", plain, 0, len(plain))


HERON = [
    "The Heron weather satellite finally reached orbit on Friday, two weeks later than planned.",
    "Its first launch attempt on March 2 was called off because of a stuck valve on the upper "
    "stage, the launch company said. A second attempt was scrubbed because of high winds.",
    "Heron will watch storms over the Indian Ocean for at least seven years.",
]
MARLIN = [
    "The Marlin lander fell silent three days after touching down on the Moon.",
    "Engineers traced the power loss to a cracked battery casing that let the cold in.",
    "Its builder said a second Marlin lander is planned for 2034.",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    when = {"published": "2033-04-01T09:00:00+00:00", "author": "Ada Quill"}
    return reindexed_archive(tmp_path_factory.mktemp("reasons"), [
        ("heron.txt", "Heron Reaches Orbit", HERON, when),
        ("marlin.txt", "Marlin Lander Falls Silent", MARLIN, when),
    ])


def best_of(archive: Archive, text: str):
    """The best candidate, whether or not it is trusted enough to be given."""
    return pipeline._answer_and_best(archive, text)[1]


@pytest.mark.parametrize("text, reason", [
    ("what caused the marlin power loss", "a cracked battery casing that let the cold in"),
    ("why did the marlin lander have a power loss", "a cracked battery casing that let the cold in"),
    ("why was heron's first launch attempt called off", "a stuck valve on the upper stage"),
])
def test_the_reason_told_with_the_questions_words_is_the_best_answer(archive, text, reason):
    best = best_of(archive, text)
    assert best is not None and normalise(best.span.text) == normalise(reason)
