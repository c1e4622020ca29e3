import pytest

from index.answers.question import classify_question, paraphrase_matches
from index.tokenize import tokenize


@pytest.mark.parametrize(
    ("text", "answer_type", "focus"),
    [
        ("When did Zhurong land?", "when", "date"),
        ("In what year did Voyager 1 leave the heliosphere?", "when", "year"),
        ("Which month did Juno reach Jupiter?", "when", "month"),
        ("Who built the Ingenuity helicopter?", "who", None),
        ("Which company launched the capsule?", "who", "company"),
        ("Where did Chang'e 4 touch down?", "where", "place"),
        ("What city hosts mission control?", "where", "city"),
        ("How many flights did Ingenuity make?", "how_many", "flights"),
        ("How much money did the mission cost?", "how_much", "money"),
        ("How much did the mission cost?", "how_much", None),
        ("How heavy is the rover?", "how_much", "heavy"),
        ("What percentage of the budget went to science?", "how_much", "percent"),
        ("Which rover landed in Jezero crater?", "which", "rover"),
        ("What instrument measured the quakes?", "what", "instrument"),
        ("Why did InSight fall silent?", "why", None),
        ("Did Zhurong survive the Martian winter?", "yes_no", None),
        ("How does a sky crane work?", "other", None),
        ("The lander touched down where?", "where", "place"),
    ],
)
def test_answer_type_and_focus(text, answer_type, focus):
    q = classify_question(text)
    assert (q.answer_type, q.focus) == (answer_type, focus)


def test_terms_come_from_the_project_tokenizer():
    text = "When did the Tianwen-1 orbiter reach Mars?"
    assert classify_question(text).terms == tokenize(text)


@pytest.mark.parametrize("text", ["", "   ", "🚀🛰️", "?" * 50, "when " * 2000])
def test_odd_questions_do_not_crash(text):
    q = classify_question(text)
    assert q.text == text
    assert q.answer_type in {"when", "other"}


def test_paraphrases_of_an_event_verb_are_found_with_their_offsets():
    text = "The capsule came down on May 15. A rocket lifted off in July."
    assert paraphrase_matches(text, ["land"]) == [("land", text.index("came down"))]
    assert paraphrase_matches(text, ["launch", "zhurong"]) == [("launch", text.index("lifted off"))]
    assert paraphrase_matches(text, ["orbit"]) == []
