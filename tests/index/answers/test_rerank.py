from dataclasses import dataclass

from index.answers.question import classify_question
from index.answers.rerank import features, rerank, said_together


@dataclass
class Paragraph:
    paragraph: str
    title: str
    bm25: float
    article_bm25: float


def cand(paragraph, bm25=5.0, title="Zhurong reaches Mars", article_bm25=5.0):
    return Paragraph(paragraph=paragraph, title=title, bm25=bm25, article_bm25=article_bm25)


def order(question, candidates):
    return [c.paragraph for c, _ in rerank(classify_question(question), candidates)]


def test_when_question_prefers_the_paragraph_with_a_date():
    undated = cand("The Zhurong rover is named after a fire god and landed with its platform.")
    dated = cand("The Zhurong rover landed on May 15, 2021, in Utopia Planitia.")
    assert order("When did the Zhurong rover land?", [undated, dated])[0] == dated.paragraph


def test_how_many_question_prefers_the_paragraph_with_a_number():
    vague = cand("Ingenuity made many flights over Jezero crater.")
    counted = cand("Ingenuity made 72 flights over Jezero crater.")
    assert order("How many flights did Ingenuity make?", [vague, counted])[0] == counted.paragraph


def test_question_words_in_one_sentence_beat_words_spread_apart():
    spread = cand("The orbiter carried a camera. Years later, scientists studied the ice at the pole.")
    together = cand("The orbiter camera studied polar ice for years.")
    assert order("What did the orbiter camera study?", [spread, together])[0] == together.paragraph


def test_article_context_lifts_a_paragraph_that_lacks_the_question_words():
    other = cand("A lander came down on the plains.", title="Viking 1", article_bm25=0.5)
    about = cand("A lander came down on the plains.", title="Zhurong reaches Mars", article_bm25=9.0)
    ranked = rerank(classify_question("When did Zhurong land?"), [other, about])
    assert ranked[0][0] is about
    assert ranked[0][1] > ranked[1][1]


def test_strong_bm25_still_wins_when_evidence_is_equal():
    weak = cand("Zhurong landed on Mars.", bm25=1.0)
    strong = cand("Zhurong landed on Mars.", bm25=8.0)
    assert rerank(classify_question("Where did Zhurong land?"), [weak, strong])[0][0] is strong


def test_features_are_scaled_to_the_candidate_set():
    cs = [cand("Zhurong landed on Mars in May.", bm25=4.0), cand("Mars is red.", bm25=2.0)]
    f = features(classify_question("When did Zhurong land on Mars?"), cs)
    assert f[0]["bm25"] == 1.0 and f[1]["bm25"] == 0.5
    assert all(0.0 <= v <= 1.0 + 1e-9 for row in f for v in row.values())


def test_empty_and_odd_inputs_do_not_crash():
    assert rerank(classify_question("When?"), []) == []
    for question in ["", "🚀🚀", "x" * 10_000, "why " * 3000]:
        ranked = rerank(classify_question(question), [cand("Zhurong landed."), cand("")])
        assert len(ranked) == 2


def test_another_word_of_the_same_root_counts_as_a_match():
    cs = [cand("Most people in the state follow no religion."),
          cand("Buddhism is followed by about three percent of people in Victoria.")]
    f = features(classify_question("How many Victorians are Buddhist?"), cs)
    assert f[0]["fuzzy"] == 0.0 and f[1]["fuzzy"] > 0.5


def test_said_together_measures_how_close_the_question_words_sit():
    q = classify_question("Who founded the treasure fleet?")
    assert said_together(q, "The treasure fleet was founded in 1405.") > 0.5
    spread = ("The fleet sailed west for months, past islands, reefs, storms and long calms, until "
              "one day, near an unnamed coast, a treasure was found.")
    assert said_together(q, spread) < 0.3
    assert said_together(q, "Nothing here.") == 0.0


@dataclass
class NewsParagraph(Paragraph):
    article_terms: frozenset[str] = frozenset()


def test_a_paragraph_saying_the_event_of_an_article_naming_the_subject_is_about_it():
    """News names its subject once and then says "the rover": the landing paragraph of an
    article that names Ridgeback says what is asked, though it never says "Ridgeback"."""
    named = frozenset({"ridgeback", "land"})
    landing = NewsParagraph("The capsule came down on the plain, landing on April 9.", "Mars News", 5.0, 5.0,
                            article_terms=named)
    status = NewsParagraph("As of May 1, Ridgeback had driven 240 meters.", "Mars News", 5.0, 5.0,
                           article_terms=named)
    elsewhere = NewsParagraph("The probe was landing on April 2 near the pole.", "Other", 5.0, 5.0,
                              article_terms=frozenset({"land"}))
    q = classify_question("When did Ridgeback land?")
    f = features(q, [landing, status, elsewhere], subject=frozenset({"ridgeback"}))
    assert [x["rest_said_of_named_subject"] for x in f] == [1.0, 0.0, 0.0]
    assert all(x["rest_said_of_named_subject"] == 0.0 for x in features(q, [landing, status, elsewhere]))
