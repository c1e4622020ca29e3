"""The real archive article the format was taken from, when the shared seeds are present."""

from pathlib import Path

import pytest

from articles.parse import parse_file

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
SEED = SEEDS / "000_a920af7043c4b0ba.txt"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="shared seeds not present")


@pytest.fixture(scope="module")
def seed():
    [article] = parse_file(SEED, root=SEEDS)
    return article


def test_seed_categories_title_and_author(seed):
    assert seed.categories == ["China", "Mars"]
    assert seed.title.startswith("China’s Tianwen-1 Spacecraft Took a Selfie")
    assert seed.author == "Nancy Atkinson"
    assert seed.source_path == SEED.name


def test_seed_has_thirteen_paragraphs_five_of_them_captions(seed):
    assert len(seed.paragraphs) == 13
    captions = [p for p in seed.paragraphs if p.kind == "caption"]
    assert len(captions) == 5
    assert all(p.credit for p in captions)
    assert captions[-1].credit == "CNSA/CLEP"


def test_seed_biography_and_name_are_left_out(seed):
    assert not any("Nancy" in p.text for p in seed.paragraphs)


def test_seed_recent_posts_have_ages(seed):
    assert len(seed.recent_posts) == 6
    assert all(p.title and p.teaser and p.age.endswith("ago") for p in seed.recent_posts)
    assert seed.recent_posts[0].age == "17 hours ago"
