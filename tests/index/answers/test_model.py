"""The learned models: fitting recovers what the data says, and the shipped weights load."""

import json
import random

import pytest

from index.answers.model import fit_logistic, fit_softmax, load_weights, logit, sigmoid
from index.answers.train import Example, candidate_rows, evidence_rows, prepare
from index.answers.train import main as train
from index.archive import Archive
from tests.index.conftest import reindexed_archive


def test_softmax_fit_learns_which_features_pick_the_right_candidate():
    rng = random.Random(1)
    groups, positives = [], []
    for _ in range(300):
        rows = [{"near": rng.random(), "far": rng.random(), "bias": 1.0} for _ in range(5)]
        best = max(range(5), key=lambda i: 2 * rows[i]["near"] - rows[i]["far"] + rng.gauss(0, 0.3))
        groups.append(rows)
        positives.append([best])
    w = fit_softmax(groups, positives, l2=0.1)
    assert "bias" not in w  # only differences within a question matter
    assert w["near"] > 0 > w["far"]
    assert 1.5 < w["near"] / -w["far"] < 2.7


def test_logistic_fit_is_calibrated_on_its_data():
    rng = random.Random(2)
    rows, labels = [], []
    for _ in range(4000):
        x = rng.uniform(-2, 2)
        rows.append({"bias": 1.0, "x": x})
        labels.append(int(rng.random() < sigmoid(1.5 * x - 0.5)))
    w = fit_logistic(rows, labels, l2=0.01)
    assert w["x"] == pytest.approx(1.5, abs=0.25)
    assert w["bias"] == pytest.approx(-0.5, abs=0.2)


def test_the_shipped_weights_cover_every_family_and_a_threshold_each():
    weights = load_weights()
    assert set(weights["answer"]) >= {"when", "count", "measure", "who", "where", "what"}
    assert "all" in weights["threshold"] or set(weights["threshold"]) >= set(weights["answer"])
    assert weights["rerank"] and weights["held_out"]["questions"] > 1000
    assert logit(weights["rerank"], {"bm25": 1.0}) > 0


def test_the_training_script_cross_validates_and_writes_weights(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    questions = []
    rng = random.Random(3)
    for n in range(12):
        year, count = 2000 + n, rng.randint(3, 90)
        name = f"Probe{chr(65 + n)}x"
        (folder / f"{n:02d}.txt").write_text(
            f"Categories: Space\n\n{name} Mission\n\n"
            f"{name} launched in {year} from Kourou. It carried {count} instruments to Mars.\n\n"
            f"Scientists said {name} was built by Orbital Works in Bremen.\n\nAda Quill\n",
            encoding="utf-8",
        )
        questions += [
            {"id": f"{n}a", "question": f"When did {name} launch?", "answer": [str(year)],
             "qtype": "when", "kind": "plain", "file": f"{n:02d}.txt"},
            {"id": f"{n}b", "question": f"How many instruments did {name} carry?", "answer": [str(count)],
             "qtype": "how_many", "kind": "plain", "file": f"{n:02d}.txt"},
        ]
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("\n".join(json.dumps(q) for q in questions), encoding="utf-8")
    out = tmp_path / "weights.json"
    figures = tmp_path / "held_out.json"
    outcomes = tmp_path / "outcomes.jsonl"
    code = train(["--set", f"t={qfile}:{folder}", "--folds", "3", "--inner-folds", "2",
                  "--threshold-from", "t", "--write", "--out", str(out), "--json", str(figures),
                  "--outcomes", str(outcomes)])
    assert code == 0
    held_out = json.loads(figures.read_text())
    assert held_out["questions"] == 24
    assert held_out["best_candidate_exact"] > 0.8
    written = json.loads(out.read_text())
    assert {"rerank", "answer", "confidence", "threshold", "held_out"} <= set(written)
    # every held-out question's outcome, to redraw the gain curve from
    lines = [json.loads(line) for line in outcomes.read_text().splitlines()]
    assert len({line["question"] for line in lines}) == 24
    assert all(0.0 <= line["confidence"] <= 1.0 for line in lines)
    assert set(written["threshold"]) == {"all"}


def test_the_threshold_is_read_off_held_out_confidences_of_the_members_sets():
    from types import SimpleNamespace

    from index.answers.train import Outcome, held_out_threshold

    def outcome(set_name: str, confidence: float, right: bool, removed: bool = False) -> Outcome:
        ex = Example(set_name, f"{set_name}/a.txt", "q?", ["Ada"], "who")
        return Outcome(ex, removed, None, None, False, "Ada" if right else "Bob", confidence)

    args = SimpleNamespace(threshold_from=["members"], unanswerable_share=0.15, set_weights={},
                           wrong_cost=2.0, seed=7)
    members = ([outcome("members", 0.9, True)] * 30 + [outcome("members", 0.7, True)] * 10
               + [outcome("members", 0.5, False)] * 20)
    # the encyclopedia set's wrong answers at 0.9 are no members' questions: they move nothing
    other = [outcome("squad", 0.9, False)] * 100
    threshold = held_out_threshold(members + other, args)
    assert 0.5 < threshold <= 0.7
    # questions asked with their answer removed count against answering too
    removed = [outcome("members", 0.75, False, removed=True)] * 200
    assert held_out_threshold(members + removed, args) > 0.75


def test_the_threshold_is_where_answers_are_right_two_times_in_three():
    import random

    from index.answers.train import pick_threshold

    # confidences that are calibrated: a question at p is right with probability p, so
    # answering pays above 2/3 when a wrong answer costs two right ones
    rng = random.Random(3)
    points = [(p, int(rng.random() < p), 1.0) for p in (rng.random() for _ in range(1500))]
    picks = [pick_threshold([pt for pt in points if rng.random() < 0.8], 2.0) for _ in range(6)]
    assert all(0.6 < t < 0.74 for t in picks)
    assert max(picks) - min(picks) < 0.05  # a fifth of the questions changed moves it little
    # over-confident answers (right half as often as they say) need a higher confidence
    shy = [(p, int(rng.random() < p / 2), 1.0) for p, _, _ in points]
    assert pick_threshold(shy, 2.0) > max(picks)

def test_a_date_given_with_the_year_its_paragraph_implies_is_right_for_the_calibration(tmp_path):
    # The calibration learns from what the answer model calls right: "May 15, 2031" answers a
    # question whose gold is the "May 15" the paragraph writes.
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "wren.txt").write_text(
        "Categories: Space\n\nWren Reaches the Surface\n\n"
        "Wren entered orbit in February 2031. A few months later it touched down on May 15.\n\n"
        "Ada Quill\n",
        encoding="utf-8",
    )
    ex = Example("t", "t/wren.txt", "When did Wren land?", ["May 15"], "when", archive=Archive(
        tmp_path / "a.db", [folder]))
    ex.archive.reindex()
    prepare([ex], removed_share=0.0, seed=0)
    _, rows = candidate_rows(ex, ex.reading, {})
    rows = [r for r in rows if r.span.text.startswith("May")]
    [(evidence, right, family, _, _)] = evidence_rows([(ex, ex.reading, rows, 1.0)], {})
    assert family == "when" and right == 1
    assert evidence["answer_year_from_paragraph"] == 1.0


def test_the_threshold_between_wrong_and_right_answers_and_none_when_nothing_pays():
    from index.answers.train import pick_threshold

    # a clear cut stays between them: right answers at 0.65, wrong ones at 0.55
    clear = [(0.65, 1, 1.0)] * 50 + [(0.55, 0, 1.0)] * 50
    assert 0.55 < pick_threshold(clear, 2.0) <= 0.65
    # when nothing pays, nothing is answered
    assert pick_threshold([(0.8, 0, 1.0)] * 5, 2.0) == 1.0


def test_a_question_whose_answer_another_story_still_tells_is_no_unanswerable_one(tmp_path):
    # Asked with the paragraphs holding "May 15, 2031" removed, the archive still tells the
    # day: a later story says "landed on May 15" in the year it ran. The answer read from it
    # is right, not an answer to a question the archive cannot answer.
    archive = reindexed_archive(tmp_path, [
        ("landing.txt", "Wren Reaches the Surface",
         ["The Wren lander touched down on May 15, 2031, in the crater Ruvo."],
         {"url": "https://news.example/wren-lands", "published": "2031-05-16T10:00:00+00:00"}),
        ("rover.txt", "Wren's Rover Takes Its First Drive",
         ["Wren, which landed on May 15, released its small rover on Thursday."],
         {"url": "https://news.example/wren-rover", "published": "2031-06-20T10:00:00+00:00"}),
    ])
    ex = Example("t", "t/landing.txt", "When did Wren land?", ["May 15, 2031"], "when", archive=archive)
    prepare([ex], removed_share=1.0, seed=0)
    assert ex.removed is not None
    _, rows = candidate_rows(ex, ex.removed, {})
    rows = [r for r in rows if r.span.text.startswith("May")]
    [(evidence, right, _, _, _)] = evidence_rows([(ex, ex.removed, rows, 1.0)], {})
    assert right == 1


def test_removed_questions_answered_right_from_elsewhere_do_not_raise_the_threshold():
    from types import SimpleNamespace

    from index.answers.train import Outcome, held_out_threshold

    def outcome(confidence: float, right: bool, removed: bool = False) -> Outcome:
        ex = Example("members", "members/a.txt", "q?", ["Ada"], "who")
        return Outcome(ex, removed, None, None, False, "Ada" if right else "Bob", confidence)

    args = SimpleNamespace(threshold_from=["members"], unanswerable_share=0.15, set_weights={},
                           wrong_cost=2.0, seed=7)
    members = [outcome(0.9, True)] * 30 + [outcome(0.7, True)] * 10 + [outcome(0.5, False)] * 20
    told_elsewhere = [outcome(0.75, True, removed=True)] * 200
    untold = [outcome(0.75, False, removed=True)] * 200
    assert held_out_threshold(members + told_elsewhere, args) <= held_out_threshold(members, args)
    assert held_out_threshold(members + untold, args) > 0.75
