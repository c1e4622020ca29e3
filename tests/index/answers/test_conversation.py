"""Answers in a conversation: a follow-up is answered in the story the conversation is about."""

import pytest

from index.answers import pipeline
from index.answers.model import load_weights
from tests.index.conftest import reindexed_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    a = reindexed_archive(tmp_path_factory.mktemp("conversation"), [
        ("orbit.txt", "Corvid's Kestrel Rocket Reaches Orbit on Its Second Try", [
            "Corvid Launch's Kestrel rocket reached orbit on June 2, 2025, five months after its first "
            "flight ended in failure over the Pacific.",
            "The two-stage rocket stands 21 meters tall and carried four small satellites for a weather "
            "company, all of which reported in within an hour.",
        ], {"url": "https://news.example/orbit", "published": "2025-06-03T09:00:00+00:00"}),
        ("engines.txt", "Corvid Opens an Engine Plant in Tacoma", [
            "Corvid Launch opened a plant in Tacoma on Monday that will build the Wren engines of its "
            "Kestrel rocket, twelve of them a month by next year.",
            "Each Wren engine weighs 480 kilograms and burns kerosene and liquid oxygen.",
        ], {"url": "https://news.example/engines", "published": "2025-08-11T09:00:00+00:00"}),
    ])
    yield a
    a.close()


def test_the_story_of_a_conversation_is_the_article_its_last_answer_cited_first(archive):
    assert pipeline._story_of(archive, ["when did the kestrel rocket reach orbit"]) == (
        archive.ask("when did the kestrel rocket reach orbit").citations[0].article.id
    )
    assert "orbit" in pipeline._story_of(archive, ["when did the kestrel rocket reach orbit"])
    assert "engines" in pipeline._story_of(archive, ["where are the wren engines built"])
    assert pipeline._story_of(archive, None) is None


def _trusted(confidence_share, archive, monkeypatch):
    """The weights with a threshold this many times the confidence of "how tall is kestrel"
    (the follow-up below, as it is read), whose best answer is the rocket's height."""
    monkeypatch.setattr(pipeline, "load_weights", lambda: {**load_weights(), "threshold": {"all": 0.0}})
    alone = archive.ask("how tall is kestrel")
    assert alone.answer == "21 meters" and alone.confidence > 0
    strict = {**load_weights(), "threshold": {"all": alone.confidence * confidence_share}}
    monkeypatch.setattr(pipeline, "load_weights", lambda: strict)


def test_a_half_trusted_answer_from_the_conversation_s_story_is_given(archive, monkeypatch):
    # Asking for more confidence than the answer has, though not twice as much: alone it is
    # withheld; after a question answered from its article it is given; after one answered from
    # another article of the same rocket it is withheld.
    _trusted(1.5, archive, monkeypatch)
    assert archive.ask("how tall is kestrel").answer is None
    followup = archive.ask("how tall is it", context=["when did the kestrel rocket reach orbit"])
    assert followup.read_as == "how tall is kestrel"
    assert followup.answer == "21 meters"
    elsewhere = archive.ask("how tall is it", context=["where are the kestrel rocket's wren engines built"])
    assert elsewhere.answer is None


def test_an_answer_trusted_less_than_half_is_withheld_in_a_conversation_too(archive, monkeypatch):
    _trusted(2.5, archive, monkeypatch)
    assert archive.ask("how tall is it", context=["when did the kestrel rocket reach orbit"]).answer is None


def test_she_after_a_who_question_answered_with_an_organisation_is_not_that_organisation(
    tmp_path, monkeypatch
):
    a = reindexed_archive(tmp_path, [
        ("comet.txt", "A New Comet Brightens in the Evening Sky", [
            "Comet Brask was first spotted on March 3 by the Tarn Valley Sky Survey, a robotic "
            "telescope network in northern Chile.",
            "The comet is named for Lena Brask, an amateur astronomer in Tromsø who confirmed it the "
            "next night with a small telescope in her garden.",
        ], {"url": "https://news.example/comet", "published": "2026-03-10T09:00:00+00:00"}),
    ])
    try:
        monkeypatch.setattr(pipeline, "load_weights", lambda: {**load_weights(), "threshold": {"all": 0.0}})
        assert a.ask("who first spotted comet brask").answer == "Tarn Valley Sky Survey"
        assert pipeline._name_answering(a, "who first spotted comet brask") is None
        followup = a.ask("where does she live", context=["who first spotted comet brask"])
        assert "Survey" not in (followup.read_as or "")
    finally:
        a.close()
