"""The bundled sample archive is complete: every article parses with all its parts."""

from __future__ import annotations

import pytest

from articles.parse import parse_file
from bot.config import SAMPLE_ARCHIVE

FILES = sorted(SAMPLE_ARCHIVE.glob("*.txt"))


def test_there_are_at_least_thirty_articles():
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_sample_article_has_every_part(path):
    [article] = parse_file(path, root=SAMPLE_ARCHIVE)
    assert article.title and article.url and article.published and article.author
    assert article.categories
    assert sum(p.kind == "caption" for p in article.paragraphs) >= 2
    assert all(p.credit for p in article.paragraphs if p.kind == "caption")
    assert len(article.paragraphs) >= 8
    assert len(article.recent_posts) >= 4
    assert all(rp.approx_date for rp in article.recent_posts)


def test_no_biography_is_taken_for_article_text():
    """Biographies repeat in every article by their author; article text never does."""
    seen: dict[str, str] = {}
    for path in FILES:
        [article] = parse_file(path)
        for p in article.paragraphs:
            assert p.text not in seen, f"{path.name} repeats a paragraph of {seen[p.text]}"
            seen[p.text] = path.name
