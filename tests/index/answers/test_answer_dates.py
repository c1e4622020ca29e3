"""Dates as news writes them: years completed from the sentence, the paragraph, the publication
date (or, without one, earlier paragraphs), and words like "on Tuesday" read against the day the
article appeared."""

from datetime import UTC, datetime

import pytest

from index.answers.dates import DateContext, date_parts, find_dates, refines
from index.answers.spans import split_sentences


def dates(paragraph, published=None, earlier=()):
    context = DateContext(published, list(earlier))
    return [
        (d.answer, d.year_source)
        for s0, s1 in split_sentences(paragraph)
        for d in find_dates(paragraph, s0, s1, context)
    ]


def test_a_full_date_is_kept_as_written():
    assert dates("Perseverance landed on February 18, 2021.") == [("February 18, 2021", "written")]


def test_the_year_comes_from_the_same_sentence_first():
    text = "In 2019, the lander came down on January 3 on the far side."
    assert ("January 3, 2019", "sentence") in dates(text, published=datetime(2024, 1, 1, tzinfo=UTC))


def test_not_from_a_relative_clause_about_something_else():
    text = ("Tanabe, the scientist who proposed the mission in 2015 and led its team, stepped down "
            "on March 31 at the retirement age.")
    assert ("March 31, 2025", "published") in dates(text, published=datetime(2025, 4, 8, tzinfo=UTC))
    text = "The probe which was launched on March 3 in 2019 is still working."
    assert ("March 3, 2019", "sentence") in dates(text, published=datetime(2025, 4, 8, tzinfo=UTC))


def test_then_from_the_paragraph():
    text = "It reached orbit in February 2021. Three months later it came down on May 15."
    found = dict(dates(text, published=datetime(2024, 6, 1, tzinfo=UTC)))
    assert found["May 15, 2021"] == "paragraph"


def test_a_year_told_only_after_the_date_dates_it_only_in_an_undated_article():
    # news dates "March 31" by when the story ran, not by "since 2021" in the next sentence
    text = ("Tanabe stepped down on March 31 on reaching the retirement age. Her successor had "
            "been the deputy principal investigator since 2021.")
    assert ("March 31, 2025", "published") in dates(text, published=datetime(2025, 4, 8, tzinfo=UTC))
    # an encyclopedia, which says no such thing, takes the paragraph's year wherever it stands
    assert ("March 31, 2021", "paragraph") in dates(text)


def test_then_from_the_publication_date():
    text = "The capsule came down on March 3 in the desert."
    assert dates(text, published=datetime(2025, 3, 10, tzinfo=UTC)) == [("March 3, 2025", "published")]


def test_a_year_beside_a_done_thing_that_would_follow_the_article_is_another_years():
    published = datetime(2025, 12, 6, tzinfo=UTC)
    # "a 2026 budget" is the budget's year; the ministers met before the article appeared
    text = "The ministers agreed on Dec. 4 to a 2026 budget of 421 million euros."
    assert ("Dec. 4, 2025", "published") in dates(text, published=published)
    text = "It began test service on Feb. 10. Paid service will follow in early 2027."
    found = dict(dates(text, published=datetime(2026, 3, 31, tzinfo=UTC)))
    assert found["Feb. 10, 2026"] == "published"
    # what a sentence says is to come may lie in the year it names
    text = "The ministers will meet again on March 2 to settle the 2027 budget."
    assert ("March 2, 2027", "sentence") in dates(text, published=published)


def test_a_month_well_after_publication_belongs_to_the_year_before():
    text = "The rocket flew on December 28 and reached orbit."
    assert dates(text, published=datetime(2025, 1, 3, tzinfo=UTC)) == [("December 28, 2024", "published")]


def test_unless_the_sentence_speaks_of_the_future():
    text = "The rocket will fly on December 28 from the new pad."
    assert dates(text, published=datetime(2025, 1, 3, tzinfo=UTC)) == [("December 28, 2025", "published")]


def test_a_day_to_come_is_not_dated_before_the_article_by_a_year_nearby():
    # the paragraph's "2023" is when the commander joined, not the launch still to come
    text = "The next crew is due to launch on February 12. Its commander joined the company in 2023."
    assert ("February 12, 2026", "published") in dates(text, published=datetime(2026, 1, 29, tzinfo=UTC))
    # and a day to come told in a story of November is next year's
    text = "The next crew is due to launch on February 12."
    assert dates(text, published=datetime(2025, 11, 20, tzinfo=UTC)) == [("February 12, 2026", "published")]
    text = "The crew launched on February 12 and docked a day later."
    assert dates(text, published=datetime(2025, 11, 20, tzinfo=UTC)) == [("February 12, 2025", "published")]


def test_earlier_paragraphs_only_without_a_publication_date():
    text = "The rover drove off its ramp on 22 May."
    assert dates(text, earlier=["It arrived in February 2021."]) == [("22 May 2021", "article")]
    dated = dates(text, published=datetime(2021, 6, 1, tzinfo=UTC), earlier=["It arrived in 2020."])
    assert dated == [("22 May 2021", "published")]


def test_no_year_at_all_leaves_the_date_as_written():
    assert dates("It came down on May 15.") == [("May 15", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company said on Tuesday that the test had failed.", "March 4, 2025"),
        ("The rocket flew yesterday from Florida.", "March 5, 2025"),
        ("Last week the agency approved the licence.", "the week of February 24, 2025"),
        ("The launch is planned for next year.", "2026"),
        ("Earlier this month the board met.", "March 2025"),
        ("The engine fired 10 days ago.", "February 24, 2025"),
        ("The launch will happen on Friday.", "March 7, 2025"),
        # the clause the day is told in says its side of the article, before the sentence does
        ("Ministers agreed on Friday to give it more over the next three years.", "February 28, 2025"),
        ("He will leave in November, he told the staff on Tuesday.", "March 4, 2025"),
        ("The crew is due to launch on Tuesday.", "March 11, 2025"),
        ("The launch, delayed twice, is now set for Tuesday.", "March 11, 2025"),
        ("The flight was scrubbed due to high winds on Tuesday and will be tried again.", "March 4, 2025"),
        ("It lost contact seconds before it was due to touch down early on Tuesday.", "March 4, 2025"),
    ],
)
def test_relative_dates_are_read_against_the_publication_date(text, expected):
    published = datetime(2025, 3, 6, 12, tzinfo=UTC)  # a Thursday
    found = find_dates(text, 0, len(text), DateContext(published))
    assert [d.answer for d in found] == [expected]
    assert "publication date" in found[0].note


def test_relative_dates_without_a_publication_date_stay_vague():
    found = find_dates("It flew on Tuesday.", 0, 19, DateContext())
    assert [(d.answer, d.precision) for d in found] == [("on Tuesday", 0)]


def test_a_month_inside_a_name_is_not_a_date():
    assert dates("A Long March 5 rocket carried the probe.") == []


def test_numbers_with_units_are_not_years():
    assert dates("The dish is 2000 km wide and weighs 1500 kg.") == []


def test_the_year_of_an_asteroid_s_designation_is_not_a_date():
    assert [answer for answer, _ in dates("Asteroid 2025 YD7 passed Earth in 2026.")] == ["2026"]


def test_date_parts_and_refinement():
    assert date_parts("May 15, 2021") == ("2021", "may", "15")
    assert refines("May 2021", "May 15, 2021")
    assert not refines("May 2021", "June 15, 2021")
    assert not refines("May 15, 2021", "May 2021")
