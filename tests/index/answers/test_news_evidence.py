"""How news is written, and what the answerer makes of it: a subject named once and then called
"the rover", another company's failure told in the same words, an investor beside the chief
executive, the agency that launched a satellite beside the rocket that did. Articles written for
the tests, indexed into a real SQLite archive."""

from __future__ import annotations

import pytest

from index.answers.features import normalise
from index.archive import Archive
from tests.index.conftest import reindexed_archive

RIDGEBACK = [
    "China's second Mars rover, Ridgeback, has sent back its first panorama of the plains "
    "north of the Elysium volcanoes.",
    "The mission launched from Wenchang last July and reached orbit around Mars in February.",
    "Three months later the landing capsule separated from the orbiter, and the lander and "
    "rover touched down on the plain, landing on April 9.",
    "As of May 1 the 1.9-meter-tall rover had driven 240 meters and taken 300 images.",
]
OSPREY = [
    "The Osprey orbiter fired its engine for 22 minutes and slipped into orbit around Venus.",
    "Its sister craft, a small lander, touched down on Venus on March 3, 2031, and fell silent "
    "after 57 minutes.",
]
CORVID = [
    "Corvid Launch has raised $140 million in a round led by Banyan Orbit Fund, the company "
    "said on Tuesday.",
    "Chief executive Priya Nair said the money would pay for the first Kestrel flights.",
    "Banyan Orbit Fund partner Lars Moen joins the board.",
]
WREN = [
    "The Wren helicopter made its twentieth hop over the dunes on Friday, climbing higher than "
    "on any flight before.",
    "Wren is small. It weighs about 2.1 kilograms, and its rotors, 1.3 meters across, turn "
    "fast enough to fly in air a hundredth as thick as Earth's.",
    "Its team says the helicopter flew farther than planned on seven of its hops.",
]
HALDEN = [
    "The first 36 satellites of Halden's Lattice network reached orbit on Wednesday.",
    "The Indian Space Research Organisation (ISRO) launched them on an LVM3 rocket from "
    "Sriharikota, its first commercial mission for Halden.",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    return reindexed_archive(tmp_path_factory.mktemp("news"), [
        ("ridgeback.txt", "A Panorama From the Plains of Elysium", RIDGEBACK,
         {"published": "2032-05-20T09:00:00+00:00", "author": "Mei Lin"}),
        ("osprey.txt", "Osprey Settles Into Orbit Around Venus", OSPREY,
         {"published": "2031-03-05T09:00:00+00:00", "author": "Ben Ortiz"}),
        ("corvid.txt", "Corvid Launch Raises $140 Million", CORVID,
         {"published": "2032-02-03T09:00:00+00:00", "author": "Ada Quill"}),
        ("wren.txt", "Wren's Twentieth Hop", WREN,
         {"published": "2032-04-02T09:00:00+00:00", "author": "Mei Lin"}),
        ("halden.txt", "LVM3 Launches the First Lattice Satellites", HALDEN,
         {"published": "2032-03-12T09:00:00+00:00", "author": "Ada Quill"}),
    ])


def test_a_paragraph_that_says_the_rover_is_about_the_rover_its_article_names(archive):
    # The landing paragraph never says "Ridgeback"; the Osprey article says "touched down" with
    # a full date but is about something else.
    answer = archive.ask("When did Ridgeback land?")
    assert normalise(answer.answer or "") == normalise("April 9, 2032")
    assert "touched down on the plain" in answer.citations[0].paragraph or answer.answer is None
    assert "2031" not in (answer.answer or "")


def test_a_description_with_an_adjective_no_article_uses_finds_the_named_thing(archive):
    # The archive says "China's second Mars rover, Ridgeback", never "Chinese".
    answer = archive.ask("When did the Chinese rover touch down?")
    assert answer.found
    assert "touched down on the plain" in answer.citations[0].paragraph
    assert answer.answer == "April 9, 2032"


def test_how_heavy_finds_the_sentence_that_says_what_it_weighs(archive):
    answer = archive.ask("how heavy is the wren helicopter")
    cited = [c for c in answer.citations if "weighs about 2.1 kilograms" in c.paragraph]
    assert cited, [c.paragraph for c in answer.citations]
    assert answer.answer in (None, "2.1 kilograms", "about 2.1 kilograms")
    if answer.answer is None:  # withheld: the passage is quoted at the sentence that weighs it
        start, end = cited[0].focus
        assert "weighs about 2.1 kilograms" in cited[0].paragraph[start:end]


def test_who_is_the_chief_executive_is_a_person_not_the_investor(archive):
    answer = archive.ask("who is the ceo of corvid launch")
    assert answer.answer in (None, "Priya Nair")


def test_which_rocket_is_never_the_agency_that_launched_it(archive):
    answer = archive.ask("which rocket launched the first lattice satellites")
    assert answer.answer in (None, "LVM3")
    assert not any("Research Organisation" in c.paragraph[c.answer_span[0]:c.answer_span[1]]
                   for c in answer.citations if c.answer_span)


def test_what_time_wants_a_clock_time_and_a_day_is_not_one(archive):
    answer = archive.ask("what time did ridgeback land")
    assert answer.answer is None
    assert answer.citations
