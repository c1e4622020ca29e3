"""Names by description: aliases mined when articles are indexed, used when a question describes
a thing instead of naming it."""

import pytest

from index.answers.aliases import Alias, mine_aliases, named_by_description
from index.answers.question import classify_question
from index.archive import Archive
from index.tokenize import tokenize
from tests.index.conftest import reindexed_archive, write_article


def mined(*paragraphs, title="A title"):
    return {(a.name, a.terms, a.kind) for a in mine_aliases(title, list(paragraphs))}


def test_an_acronym_defined_once_works_both_ways():
    found = mined("The Federal Communications Commission (FCC) approved the licence.")
    assert ("Federal Communications Commission", ("fcc",), "acronym") in found
    assert ("FCC", ("feder", "communic", "commiss"), "acronym") in found


def test_brackets_that_do_not_spell_the_name_are_not_an_acronym():
    assert not any(kind == "acronym" for *_, kind in mined("The rover Zhurong (ZX) drove on."))


def test_an_apposition_gives_the_description_with_its_owner():
    found = mined("On Saturday China's first Mars rover, Zhurong, rolled off its lander.")
    assert ("Zhurong", ("china", "first", "mar", "rover"), "description") in found
    found = mined("The team steered Kestrel, the company's reusable rocket, back to the pad.")
    assert ("Kestrel", ("compani", "reusabl", "rocket"), "description") in found


def test_a_name_with_what_it_is():
    found = mined("Engineers checked the Zhurong rover and NASA's Perseverance rover.")
    assert ("Zhurong", ("rover",), "description") in found
    assert ("Perseverance", ("nasa", "rover"), "description") in found


def test_a_compound_adjective_or_a_world_names_nothing():
    names = {name for name, *_ in mined("It carried an Earth-observation satellite and the Tern-2 probe.")}
    assert "Earth-observation" not in names and "Tern-2" in names
    names = {name for name, *_ in mined("Engineers drove the Mars rover beside the Zhurong rover.")}
    assert names == {"Zhurong"}  # a world is where a rover is, not its name


def test_sentence_openers_and_possessives_are_not_part_of_a_name():
    names = {name for name, *_ in mined("Their Long March 2F rocket flew. China's Tianwen-1 spacecraft too.")}
    assert {"Long March 2F", "Tianwen-1"} <= names
    assert not any(n.startswith(("Their", "China")) for n in names)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("aliases")
    folder = root / "articles"
    folder.mkdir()
    write_article(folder, "rover.txt", "Qilin Rolls Onto the Plains of Mars", [
        "The Qilin rover drove down its ramp on Saturday, ten days after landing.",
        "Engineers said Qilin had covered 40 meters by Monday.",
    ], categories="ChinaMars")
    write_article(folder, "other.txt", "Ranger Returns Its First Pictures", [
        "NASA's Ranger rover sent its first pictures from the crater floor.",
    ], categories="NASAMars")
    write_article(folder, "fcc.txt", "Regulator Fines Operator", [
        "The Federal Communications Commission (FCC) fined the operator for leaving debris.",
    ], categories="Policy")
    write_article(folder, "lattice.txt", "Halden Adds to Its Network", [
        "Twelve more Lattice satellites reached orbit for Halden on Friday.",
    ], categories="Business")
    write_article(folder, "solace.txt", "Solace Objects to Lattice", [
        "Solace's newest satellite, Sable-7, went into service in May.",
    ], categories="Business")
    write_article(folder, "hope.txt", "Hope Arrives at Mars", [
        "The Hope probe slipped into orbit around Mars on Tuesday.",
    ], categories="Mars")
    a = Archive(root / "archive.db", [folder])
    a.reindex()
    yield a
    a.close()


def test_a_description_finds_the_name_its_articles_are_about(archive):
    name, terms, describing = named_by_description(archive.store, tokenize("China's Mars rover"), {})
    assert (name, terms) == ("Qilin", ("qilin",))
    assert describing == {"china", "mar", "rover"}  # the words the name was read from
    assert named_by_description(archive.store, tokenize("the chinese rover"), {})[:2] == ("Qilin", ("qilin",))
    assert named_by_description(archive.store, tokenize("NASA's rover"), {})[:2] == ("Ranger", ("ranger",))


def test_an_acronym_finds_its_long_name(archive):
    name, terms, _ = named_by_description(archive.store, tokenize("what did the FCC do"), {})
    assert name == "Federal Communications Commission"


def test_a_description_that_fits_two_names_equally_finds_none(archive):
    assert named_by_description(archive.store, tokenize("the mars rover"), {}) is None


def test_a_question_that_names_the_thing_needs_no_alias(archive):
    assert named_by_description(archive.store, tokenize("the Qilin rover"), {}) is None


def test_a_name_the_question_says_describes_nothing_else(archive):
    # Sable-7's article mentions Lattice; "lattice satellites" are Lattice's all the same.
    question = "what altitude do lattice satellites fly at"
    assert named_by_description(archive.store, tokenize(question), {}, question) is None


def test_the_question_s_event_is_no_part_of_the_description(archive):
    # "arrive" is what is asked of Europe's Jupiter probe, not a word that makes it Hope
    question = "when does europe's jupiter probe arrive"
    assert named_by_description(archive.store, tokenize(question), {}, question) is None
    assert named_by_description(archive.store, tokenize("the martian probe"), {})[:2] == ("Hope", ("hope",))


def test_the_described_thing_answers_the_question(archive):
    answer = archive.ask("when did china's mars rover drive down its ramp")
    assert answer.citations and "Qilin rover drove down" in answer.citations[0].paragraph


def test_aliases_go_with_their_article(archive, tmp_path):
    # Reindexing without the article forgets its aliases (they belong to the article's rows).
    before = archive.store.conn.execute("SELECT COUNT(*) FROM aliases").fetchone()[0]
    assert before > 0
    assert all(isinstance(a, Alias) for a in mine_aliases("t", ["The Qilin rover drove."]))


def test_a_question_that_names_a_thing_of_the_kind_describes_no_other(tmp_path):
    when = {"published": "2031-03-01T09:00:00+00:00", "author": "Ada Quill"}
    archive = reindexed_archive(tmp_path, [
        ("lattice.txt", "Aurelian Launches Lattice Satellites", [
            "Aurelian's broadband network began service in orbit this week, a year after the first "
            "Lattice satellite went up.",
        ], when),
        ("veridane.txt", "Aurelian Orbit Test for the Veridane-3 Satellite", [
            "The Veridane-3 satellite, an imaging craft, reached orbit for Aurelian on Tuesday.",
        ], when),
    ])
    q = "how many lattice satellites does aurelian have in orbit"
    terms = list(classify_question(q).terms)
    idf = {t: 1.0 for t in terms}
    assert named_by_description(archive.store, terms, idf, q) is None


def test_a_sentence_naming_the_described_thing_says_the_description(tmp_path):
    from index.answers.features import _coverage, view_passage
    from index.answers.pipeline import read

    archive = reindexed_archive(tmp_path, [
        ("qilin.txt", "Qilin Rolls Onto the Plains of Mars", [
            "China's space agency said the Qilin rover drove down its ramp on Saturday.",
            "Engineers said Qilin had covered 40 meters by Monday.",
        ], {"categories": "ChinaMars"}),
        ("ranger.txt", "Ranger Returns Its First Pictures", [
            "NASA's Ranger rover sent its first pictures from Mars on Friday.",
        ], {"categories": "NASA"}),
        ("tessel.txt", "Tessel Passes the Moon", [
            "Europe's Tessel probe passed the Moon on Monday.",
        ], {"categories": "Europe"}),
    ])
    words = read(archive, "how far had china's mars rover driven by monday").words
    assert "qilin" in words.subject and words.group("china") == words.group("qilin")
    view = view_passage("Engineers said Qilin had covered 40 meters by Monday.", "paragraph", "", words)
    said = _coverage(view.matches[0], set(words.weights), words)
    # "china's ... rover" counts once, with "Qilin", and "Qilin" says it: the sentence says two
    # of the question's five things (Qilin, Monday), not far, Mars nor driven
    unsaid = sum(words.weights[t] for t in ("far", "mar", "drive")) / words.share_total(set(words.weights))
    assert said == pytest.approx(1.0 - unsaid) == pytest.approx(2 / 5)
