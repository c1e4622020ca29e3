"""Reading past typos: only words the archive has never seen, only small edits, only towards
words the rest of the question points to."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from index.answers.spelling import _one_edit, corrections, skeleton, sound_key
from index.answers.subject import known_name
from index.archive import Archive
from index.tokenize import fold, term_for, tokenize, words
from tests.index.conftest import write_article


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    root = tmp_path_factory.mktemp("spelling")
    folder = root / "articles"
    folder.mkdir()
    write_article(folder, "league.txt", "Premier League Rights Sold", [
        "The broadcaster purchased the Premier League packages for three seasons.",
        "Fans on the user datagram forum complained about the price.",
    ])
    write_article(folder, "emirates.txt", "The Emirates Send a Probe", [
        "The emir watched the launch of the orbiter from the control room.",
    ])
    write_article(folder, "mine.txt", "A Mine on the Moon", [
        "A company plans to mine ice near the lunar south pole.",
    ])
    write_article(folder, "insight.txt", "A Quiet Lander", [
        "InSight landed on a flat plain; inside its shell a seismometer waited for quakes.",
    ])
    write_article(folder, "quillon.txt", "Quillon Wins a Tracking Contract", [
        "Quillon, a defence contractor, has about 2,900 employees.",
    ])
    write_article(folder, "backbone.txt", "A Research Backbone Retired", [
        "The Abilene backbone was retired, and its research traffic moved to a new platform.",
    ])
    a = Archive(root / "archive.db", [folder])
    a.reindex()
    return a


def fixes(archive: Archive, question: str) -> dict[str, tuple[str, ...]]:
    return corrections(archive.indexer.articles, tokenize(question))


def test_a_misspelt_word_is_read_as_the_known_one(archive):
    assert fixes(archive, "Who bought the Premeir League packages?") == {"premeir": ("premier",)}
    assert fixes(archive, "Who purhcased the league packages?") == {"purhcas": ("purchas",)}


def test_a_word_typed_by_ear_is_read_as_the_word_it_sounds_like(archive):
    # "insite" is one letter from "inside" but sounds like InSight
    assert fixes(archive, "when did insite land") == {"insit": ("insight",)}
    assert sound_key("insight") == sound_key("insit") != sound_key("insid")
    assert sound_key("philae") == sound_key("filae")


def test_a_word_two_letters_off_with_the_same_consonants_is_the_last_resort(archive):
    # no known word is one letter from "primer" or "ableine"; the articles the rest of the
    # question points to say a word with the same consonants in the same order
    assert fixes(archive, "Who bought the Primer League packages?") == {"primer": ("premier",)}
    assert fixes(archive, "what platform replaced ableine") == {"ablein": ("abilen",)}
    assert skeleton("primer") == skeleton("premier") == "prmr" != skeleton("primari")
    assert skeleton("ming") == ""  # too few letters to tell words apart


def test_known_words_are_left_alone(archive):
    assert fixes(archive, "Who purchased the Premier League packages?") == {}


def test_a_run_together_compound_is_split(archive):
    assert fixes(archive, "What did the userdatagram forum say?") == {"userdatagram": ("user", "datagram")}


def test_short_words_and_numbers_are_never_changed(archive):
    assert fixes(archive, "Who commanded the Ming fleet in 1421?") == {}


def test_a_near_word_the_question_does_not_point_to_is_not_taken(archive):
    # "empire" is one letter from "emir", but nothing about founding mentions an emir.
    assert fixes(archive, "Who founded the Roman empire?") == {}


def name_fixes(archive: Archive, question: str) -> dict[str, tuple[str, ...]]:
    return corrections(archive.indexer.articles, tokenize(question),
                       is_name=lambda term: known_name(archive, term))


def test_the_one_name_a_letter_away_is_read_whatever_else_the_question_says(archive):
    # nothing about "revenue" or "meny" points to the Quillon article: the name alone decides
    assert name_fixes(archive, "how meny staff does quilon have") == {"quilon": ("quillon",)}


def test_a_word_a_letter_away_that_is_no_name_is_not_taken_on_its_own(archive):
    # "emir" is a letter from "empir" but the archive writes it in lower case
    assert name_fixes(archive, "Who founded the Roman empire?") == {}


def test_the_answerer_uses_the_correction(archive):
    typo = archive.ask("Who purhcased the Premeir League packages?")
    right = archive.ask("Who purchased the Premier League packages?")
    assert typo.found
    assert typo.citations[0].paragraph == right.citations[0].paragraph


@settings(max_examples=200, deadline=None)
@given(
    vocabulary=st.lists(st.text("abcdeéz1", min_size=1, max_size=7), min_size=1, max_size=60, unique=True),
    term=st.text("abcdeéz1", min_size=1, max_size=7),
)
def test_one_edit_finds_what_the_edit_distance_finds(vocabulary, term):
    """Spelling out the variants is a shortcut: it must find exactly the words one OSA edit
    away that measuring every word would."""
    vocabulary = sorted(vocabulary)
    measured = {w for w in vocabulary if OSA.distance(term, w) == 1}
    found = _one_edit(term, vocabulary)
    assert {w for w, _, _ in found} == measured
    assert all(vocabulary[i] == w and d == 1 for w, d, i in found)


def test_a_slip_the_stemmer_cut_otherwise_is_read_from_the_word_as_typed(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "osprey.txt", "Osprey Grows Up", [
        "The Osprey rocket's payload capacity rose to 1,150 kilograms.",
        "Its new fairing is 2.1 meters wide, and the rocket lifts off from a pad in Norway.",
    ])
    for name, body in (("tern", "The comet Tern turns once every 11 hours."),
                       ("vega", "Vega is a bright star in the summer sky."),
                       ("lumen", "The Lumen lander slept through the comet's long night.")):
        write_article(folder, f"{name}.txt", name.title(), [body])
    archive = Archive(tmp_path / "archive.db", [folder])
    archive.reindex()
    question = "whats the payload capcity of the osprey and how wide is its fareing"
    typed = {term_for(w): fold(w) for w in words(question)}
    articles = archive.indexer.articles
    # stemmed, the slips are far from the words meant ("capciti" / "capac", "fare" / "fair")...
    assert corrections(articles, tokenize(question)) == {}
    # ...as typed, a letter
    fixed = corrections(articles, tokenize(question), typed=typed)
    assert fixed == {"capciti": ("capac",), "fare": ("fair",)}
    archive.close()


def test_a_typo_s_variants_are_not_remembered_as_words_read(archive):
    # hundreds of made-up variants per unseen word would crowd the tokenizer's cache
    remembered = term_for.__self__
    before = len(remembered)
    corrections(archive.indexer.articles, ["purhcasd"], typed={"purhcasd": "purhcasedd"})
    assert len(remembered) == before


def test_a_slip_that_keeps_the_word_s_ending_is_read_before_one_that_changes_it(tmp_path):
    # "discoverd" is one letter from "discovered" (a letter left out) and from "discovery" (its
    # last letter changed); the archive says "discovery" more often, the typed ending says "-ed"
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "comet.txt", "A Comet for the Record Books", [
        "The discovery of Comet Halvard was a surprise. The discovery team met in Oslo, and news of "
        "the discovery spread fast.",
        "Amateur astronomers discovered it on March 3 from a farm near Bergen.",
    ])
    for name in ("lumen", "vega"):
        write_article(folder, f"{name}.txt", name.title(), [f"{name.title()} made a discovery at night."])
    archive = Archive(tmp_path / "archive.db", [folder])
    archive.reindex()
    question = "when was comet halvard discoverd"
    typed = {term_for(w): fold(w) for w in words(question)}
    fixed = corrections(archive.indexer.articles, tokenize(question), typed=typed)
    assert fixed == {term_for("discoverd"): (term_for("discovered"),)}
    archive.close()
