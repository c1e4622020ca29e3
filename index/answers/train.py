"""Learn the answerer's weights from questions with gold answers, cross-validated by article.

    python -m index.answers.train --set squad=QUESTIONS.jsonl:ARCHIVE_DIR \\
        --set members=tests/data/member_questions.jsonl:articles/sample [--folds 5] [--write]

Each set is a file of questions (JSON lines) and the folder of the articles they are about. Two
formats are read: the evaluation format (`question`, `answers`, `article`, `paragraph_index`: the
gold paragraph is known) and the member format of `tests/data` (`question`, `answer` (a list, or
null for a question the archive cannot answer), `file`, `kind`, `context`).

Questions are split into folds by article, so no fold is scored by weights that saw its
articles. For each held-out fold the script learns, from the other folds only:
1. the re-ranking weights (which of the 30 best paragraphs holds the answer);
2. an answer model per family of question (when, count, measure, who, where, what, why) over the
   candidates of the best passages;
3. the confidence: a calibration of the best candidate's score, fitted on predictions for
   questions the models did not see (an inner cross-validation), including questions asked
   with every paragraph holding their answer removed, which the archive then cannot answer;
4. the threshold above which a short answer is given: a wrong short answer costs members more
   than none (`--wrong-cost`), so the threshold is where right answers minus that cost pay best
   (where held-out questions at that confidence are right `wrong-cost` times as often as
   wrong, read off a logistic fit of right against the confidence). With
   `--threshold-from`, it is read
   off the held-out confidences of those sets: each fold's from the other folds', and the
   shipped one from all of them (the confidences the shipped model will give are of questions
   it never saw).
It prints the held-out figures only. `--write` then learns every weight from all the questions
and writes `weights.json` with the held-out figures beside them.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from index.answers.features import FAMILIES, normalise
from index.answers.model import WEIGHTS_FILE, fit_logistic, fit_softmax, logit
from index.answers.pipeline import (
    CITATIONS,
    Reading,
    choose,
    cites_first,
    confidence_of,
    more_precise,
    order_hits,
    read,
    read_in_conversation,
    score_candidates,
    with_family,
)
from index.archive import Archive

_WORD = re.compile(r"\w+")
ANSWER_FAMILIES = ("when", "count", "measure", "who", "where", "what", "why")


@dataclass
class Example:
    set_name: str
    article: str  # the fold key: set and article file
    question: str
    golds: list[str]
    qtype: str
    gold_paragraphs: list[str] = field(default_factory=list)
    reading: Reading | None = None
    removed: Reading | None = None  # asked with the answer's paragraphs left out
    removal: bool = False  # whether it was asked so
    archive: Archive | None = None


def _tokens(text: str) -> Counter:
    return Counter(_WORD.findall(text.lower()))


def same_paragraph(cited: str, gold: str) -> bool:
    """The evaluation's test: 90% of each one's words are the other's."""
    c, g = _tokens(cited), _tokens(gold)
    nc, ng = sum(c.values()), sum(g.values())
    return bool(nc and ng) and sum((c & g).values()) / max(nc, ng) >= 0.9


def exact(answer: str | None, golds: list[str]) -> bool:
    if not answer:
        return False
    said = normalise(answer)
    return bool(said) and any(said == normalise(g) for g in golds)


def _article_paragraphs(path: Path) -> list[str]:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if b.strip()]
    while blocks and re.match(r"(?:Categories|URL|Published|Saved|Author):", blocks[0]):
        blocks.pop(0)
    return blocks[1:]


def _says_answer(paragraph: str, answer: str) -> bool:
    words = _WORD.findall(answer.casefold())
    return bool(words) and re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b",
                                     paragraph.casefold()) is not None


def load_set(name: str, questions: Path, folder: Path, db_dir: Path) -> list[Example]:
    archive = Archive(db_dir / f"{name}.db", [folder])
    archive.reindex()
    out = []
    cache: dict[str, list[str]] = {}
    for line in questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if "answers" in item:  # evaluation format
            article = item["article"]
            if article not in cache:
                cache[article] = _article_paragraphs(folder / article)
            paras = cache[article]
            golds_p = [paras[i] for i in [item["paragraph_index"], *item.get("also_paragraph_indices", [])]]
            out.append(Example(name, f"{name}/{article}", item["question"], item["answers"],
                               item.get("qtype", "other"), golds_p, archive=archive))
        else:  # member format: only questions answered from an article's text
            if item.get("kind") in ("who_wrote", "when_published", "latest"):
                continue
            question = item["question"]
            if item.get("context"):  # a follow-up, read as the bot reads it
                question = read_in_conversation(archive, question, item["context"])
            article = item.get("file") or f"none-{item['id']}"
            golds = item.get("answer") or []
            golds_p = []
            if item.get("file") and golds:  # the article's paragraphs that say the answer
                if article not in cache:
                    cache[article] = _article_paragraphs(folder / article)
                golds_p = [p for p in cache[article] if any(_says_answer(p, g) for g in golds)]
            out.append(Example(name, f"{name}/{article}", question, golds,
                               item.get("qtype", "other").replace("_", "-"), golds_p, archive=archive))
    return out


def _gold_rank(example: Example, reading: Reading, order: list[int]) -> int | None:
    for rank, i in enumerate(order, 1):
        if any(same_paragraph(reading.hits[i].paragraph, g) for g in example.gold_paragraphs):
            return rank
    return None


_NORMALISED: dict[int, list[tuple[int, str]]] = {}


def _answer_holders(example: Example) -> frozenset[int]:
    """Paragraphs of the archive that hold one of the gold answers."""
    golds = [normalise(g) for g in example.golds if normalise(g)]
    key = id(example.archive)
    if key not in _NORMALISED:
        rows = example.archive.store.conn.execute("SELECT id, text FROM paragraphs").fetchall()
        _NORMALISED[key] = [(pid, f" {normalise(text)} ") for pid, text in rows]
    return frozenset(pid for pid, norm in _NORMALISED[key] if any(f" {g} " in norm for g in golds))


def prepare(examples: list[Example], removed_share: float, seed: int) -> None:
    """Read every question once (and some with their answers removed)."""
    rng = random.Random(seed)
    holders: dict[tuple[str, str], frozenset[int]] = {}
    for n, ex in enumerate(examples):
        r = read(ex.archive, ex.question)
        ex.reading = r if isinstance(r, Reading) and r.covered else None
        if ex.golds and rng.random() < removed_share:
            key = (ex.set_name, "|".join(ex.golds))
            if key not in holders:
                holders[key] = _answer_holders(ex)
            r = read(ex.archive, ex.question, exclude=holders[key])
            ex.removed = r if isinstance(r, Reading) and r.covered else None
            ex.removal = True
        if n % 500 == 499:
            print(f"  read {n + 1}/{len(examples)}", file=sys.stderr)


def _weighted(examples: list, set_weights: dict[str, float], name=lambda ex: ex.set_name) -> list:
    """Each example as many times as its set weighs (`--set-weight`, rounded): the questions
    members ask over news count more than the encyclopedia's in every model."""
    return [ex for ex in examples for _ in range(max(1, round(set_weights.get(name(ex), 1.0))))]


def fit_rerank(examples: list[Example], l2: float) -> dict[str, float]:
    """Weights under which the gold paragraph comes first among a question's 30 (softmax)."""
    groups, positives = [], []
    for ex in examples:
        if ex.reading is None or not ex.gold_paragraphs:
            continue
        gold = [i for i, hit in enumerate(ex.reading.hits)
                if any(same_paragraph(hit.paragraph, g) for g in ex.gold_paragraphs)]
        if gold and len(gold) < len(ex.reading.hits):
            groups.append(ex.reading.rerank_features)
            positives.append(gold)
    return fit_softmax(groups, positives, l2=l2)


def candidate_rows(ex: Example, reading: Reading, rerank: dict[str, float]):
    order = order_hits(reading, rerank)
    rows = score_candidates(ex.archive, reading, order, rerank, None)
    return order, rows


MAX_NEGATIVES = 80  # wrong candidates kept per question when learning to choose


def fit_answers(data: list[tuple[Example, list]], l2: float, seed: int = 0) -> dict[str, dict[str, float]]:
    """Per family, weights under which a right candidate is the likeliest of its question's."""
    rng = random.Random(seed)
    by_family: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for ex, rows in data:
        if not ex.golds or not rows:
            continue
        family = FAMILIES.get(ex.reading.question.answer_type)
        labels = [exact(r.span.shown, ex.golds) or exact(_raw(ex, r), ex.golds) for r in rows]
        right = [r for r, y in zip(rows, labels, strict=True) if y]
        wrong = [r for r, y in zip(rows, labels, strict=True) if not y]
        if not right or not wrong:
            continue  # nothing to learn about choosing
        if len(wrong) > MAX_NEGATIVES:
            wrong = rng.sample(wrong, MAX_NEGATIVES)
        groups, positives = by_family[family]
        groups.append([r.features for r in right + wrong])
        positives.append(list(range(len(right))))
    return {fam: fit_softmax(g, p, l2=l2) for fam, (g, p) in by_family.items() if g}


def _raw(ex: Example, scored) -> str:
    hit = ex.reading.hits[scored.hit]
    return hit.paragraph[scored.span.start : scored.span.end]


def _score(rows, weights: dict[str, dict[str, float]], family: str) -> None:
    w = weights.get(family, {})
    for r in rows:
        r.score = logit(w, r.features)


def evidence_rows(items, weights) -> list[tuple[dict[str, float], int, str, float]]:
    """(evidence, right?, family, weight) for the best candidate of each question; questions
    asked with their answer removed weigh `removed_weight` each."""
    out = []
    for ex, reading, rows, weight in items:
        family = FAMILIES.get(reading.question.answer_type)
        if family is None:
            continue
        _score(rows, weights, family)
        best, evidence = choose(rows, reading)
        if best is None:
            continue
        # right as the answer model learns it: "May 15, 2021" answers a question whose gold
        # is the "May 15" the paragraph writes (the year read from the paragraph, as news needs).
        # Asked with its answer's paragraphs removed, a question is unanswerable only if no
        # other paragraph still tells the answer in another form: news repeats its facts
        # ("reached orbit on Saturday", a later story's "1,020-kilogram satellite"), and the
        # answer read from them is right.
        said = exact(best.span.shown, ex.golds) or exact(_raw(ex, best), ex.golds)
        right = int(said)
        out.append((evidence, right, family, weight, ex.set_name))
    return out


def fit_confidence(evidence, l2: float, per_family: bool = True) -> dict[str, dict[str, float]]:
    """Per family (unless `per_family` is false), a calibration of the best candidate's evidence
    into P(right); and one for all families, which also knows the family."""
    out = {}
    for family in ANSWER_FAMILIES if per_family else ():
        rows = [(e, y, w) for e, y, f, w, _ in evidence if f == family]
        if len(rows) >= 30 and 0 < sum(y for _, y, _ in rows) < len(rows):
            out[family] = fit_logistic([e for e, _, _ in rows], [y for _, y, _ in rows], l2=l2,
                                       sample_weight=[w for _, _, w in rows])
    out["all"] = fit_logistic([with_family(e[0], e[2]) for e in evidence], [e[1] for e in evidence], l2=l2,
                              sample_weight=[e[3] for e in evidence])
    return out


def pick_threshold(probabilities: list[tuple[float, int, float]], wrong_cost: float) -> float:
    """The confidence above which answering pays: where a question asked at that confidence is
    right `wrong_cost` times as often as it is wrong (two times in three for a cost of 2).

    The held-out confidences are read again as probabilities, by a logistic fit of right
    against the confidence's logit, and the threshold is where that fit crosses the break-even
    point. The fit uses every question, so it moves little when a handful change; the best cut
    of the gain curve, which is flat near its top, moved by several hundredths between two
    retrains of the same code."""
    points = [(p, y, w) for p, y, w in probabilities if w > 0]
    if not any(y for _, y, _ in points):
        return 1.0  # nothing is ever right: nothing is answered
    if all(y for _, y, _ in points):
        return 0.0
    rows = [{"bias": 1.0, "confidence": _log_odds(p)} for p, _, _ in points]
    w = fit_logistic(rows, [y for _, y, _ in points], l2=1e-3, sample_weight=[w for _, _, w in points])
    a, b = w.get("bias", 0.0), w.get("confidence", 0.0)
    if b <= 0:
        return 1.0  # confidence says nothing about being right
    z = (math.log(wrong_cost) - a) / b
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)


def _log_odds(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def held_out_threshold(outcomes: list[Outcome], args) -> float:
    """The threshold where answering pays on held-out outcomes of the sets members ask
    (`--threshold-from`), a question asked with its answer removed weighing as in `learn`."""
    asked = [o for o in outcomes if o.example.set_name in args.threshold_from and o.best is not None]
    answerable = sum(1 for o in asked if not o.removed)
    removed = sum(1 for o in asked if o.removed)
    removed_weight = args.unanswerable_share * answerable / removed if removed else 0.0
    points = [
        (o.confidence, int(exact(o.best, o.example.golds)),
         args.set_weights.get(o.example.set_name, 1.0) * (removed_weight if o.removed else 1.0))
        for o in asked
    ]
    return round(pick_threshold(points, args.wrong_cost), 4) if points else 1.0


def _calibrated(evidence, family, confidence) -> float:
    return confidence_of(evidence, family, {"confidence": confidence})


def learn(train: list[Example], args, rerank: dict[str, float] | None = None) -> dict:
    """Every weight from `train` alone (the calibration on an inner cross-validation)."""
    rerank = fit_rerank(_weighted(train, args.set_weights), args.l2) if rerank is None else rerank
    items = []
    answerable = sum(1 for ex in train if ex.golds and ex.reading is not None)
    removed = sum(1 for ex in train if ex.removed is not None)
    removed_weight = args.unanswerable_share * answerable / removed if removed else 0.0
    for ex in train:
        scale = args.set_weights.get(ex.set_name, 1.0)
        for reading, weight in ((ex.reading, scale), (ex.removed, removed_weight * scale)):
            if reading is None:
                continue
            _, rows = candidate_rows(ex, reading, rerank)
            items.append((ex, reading, rows, weight))
    articles = sorted({ex.article for ex in train})
    inner = _folds(articles, args.inner_folds, args.seed + 1)
    evidence = []
    for fold in inner:
        fit_on = [
            (ex, rows) for ex, reading, rows, _ in items if ex.article not in fold and reading is ex.reading
        ]
        weights = fit_answers(_weighted(fit_on, args.set_weights, lambda it: it[0].set_name), args.l2)
        evidence += evidence_rows([it for it in items if it[0].article in fold], weights)
    answers = fit_answers(
        _weighted([(ex, rows) for ex, reading, rows, _ in items if reading is ex.reading], args.set_weights,
                  lambda it: it[0].set_name),
        args.l2,
    )
    confidence = fit_confidence(evidence, args.l2, per_family=not args.one_calibration)
    threshold = {}
    if args.threshold_from:
        # One threshold, where answering pays on the questions members ask.
        probs = [(_calibrated(e, f, confidence), y, w) for e, y, f, w, name in evidence
                 if name in args.threshold_from]
        threshold["all"] = round(pick_threshold(probs, args.wrong_cost), 4) if probs else 1.0
    else:
        for family in ANSWER_FAMILIES:
            probs = [(_calibrated(e, f, confidence), y, w) for e, y, f, w, _ in evidence if f == family]
            threshold[family] = round(pick_threshold(probs, args.wrong_cost), 4) if probs else 1.0
    return {"rerank": rerank, "answer": answers, "confidence": confidence, "threshold": threshold}


def _folds(articles: list[str], k: int, seed: int) -> list[set[str]]:
    shuffled = articles[:]
    random.Random(seed).shuffle(shuffled)
    return [set(shuffled[i::k]) for i in range(k)]


@dataclass
class Outcome:
    example: Example
    removed: bool
    rank: int | None
    answer: str | None
    right: bool
    best: str | None = None  # the best candidate, given or not
    confidence: float = 0.0


def evaluate(test: list[Example], weights: dict) -> list[Outcome]:
    out = []
    for ex in test:
        for reading, removed in [(ex.reading, False)] + ([(ex.removed, True)] if ex.removal else []):
            if reading is None:
                out.append(Outcome(ex, removed, None, None, False))
                continue
            order, rows = candidate_rows(ex, reading, weights["rerank"])
            family = FAMILIES.get(reading.question.answer_type)
            answer, first, best, conf = None, None, None, 0.0
            if family is not None:
                _score(rows, weights["answer"], family)
                best, evidence = choose(rows, reading)
                if best is not None:
                    conf = _calibrated(evidence, family, weights["confidence"])
                    if best.span.kind == "date":  # told as precisely as the answerer tells it
                        best = more_precise(ex.archive, reading, order, best)
                    threshold = weights["threshold"].get(family, weights["threshold"].get("all", 1.0))
                    if conf >= threshold:
                        answer = best.span.shown
                    if cites_first(conf, threshold):
                        first = best.hit
            if first is not None:
                order.remove(first)
                order.insert(0, first)
            rank = _gold_rank(ex, reading, order[: CITATIONS + 2]) if not removed else None
            right = exact(answer, ex.golds)  # (the answer removed, right only if told elsewhere)
            out.append(Outcome(ex, removed, rank, answer, right, best.span.shown if best else None, conf))
    return out


def _write_outcomes(path: Path, outcomes: list[Outcome]) -> None:
    """One line per held-out reading: enough to redraw the gain curve or look at misses."""
    with path.open("w", encoding="utf-8") as f:
        for o in outcomes:
            ex = o.example
            f.write(json.dumps({
                "set": ex.set_name, "article": ex.article, "question": ex.question,
                "golds": ex.golds, "removed": o.removed, "answer": o.answer, "best": o.best,
                "right": o.right, "confidence": round(o.confidence, 4), "rank": o.rank,
            }) + "\n")


def _curve(answerable: list[Outcome]) -> dict[str, float]:
    """Right answers among those given if the most confident share were given, for several
    shares: how precision trades against coverage under the learned confidence."""
    ranked = sorted(answerable, key=lambda o: -o.confidence)
    out: dict[str, float] = {}
    if not ranked:
        return out  # (a fold may hold none of a small set's answerable questions)
    for share in (0.1, 0.25, 0.5, 0.75, 1.0):
        top = ranked[: max(1, int(share * len(ranked)))]
        out[str(share)] = round(sum(exact(o.best, o.example.golds) for o in top) / len(top), 3)
    return out


def report(outcomes: list[Outcome]) -> dict:
    normal = [o for o in outcomes if not o.removed]
    removed = [o for o in outcomes if o.removed]
    answerable = [o for o in normal if o.example.golds]
    tried = [o for o in answerable if o.best is not None]
    with_gold = [o for o in answerable if o.example.gold_paragraphs]

    def share(xs, pred):
        return round(sum(1 for x in xs if pred(x)) / len(xs), 3) if xs else None

    figures = {
        "questions": len(normal),
        "R@1": share(with_gold, lambda o: o.rank == 1),
        "R@5": share(with_gold, lambda o: o.rank is not None and o.rank <= 5),
        "answered": share(answerable, lambda o: o.answer),
        "exact": share(answerable, lambda o: o.right),
        "exact_of_answered": share([o for o in answerable if o.answer], lambda o: o.right),
        "best_candidate_exact": share(tried, lambda o: exact(o.best, o.example.golds)),
        "best_candidate_exact_of_answerable": share(answerable, lambda o: exact(o.best, o.example.golds)),
        "exact_of_answered_at_coverage": _curve(answerable),
        "answer_removed_questions": len(removed),
        "answer_removed_answered": share(removed, lambda o: o.answer),
        "unanswerable_answered": share([o for o in normal if not o.example.golds], lambda o: o.answer),
        "by_qtype": {},
    }
    for qtype in sorted({o.example.qtype for o in answerable}):
        xs = [o for o in answerable if o.example.qtype == qtype]
        figures["by_qtype"][qtype] = {
            "n": len(xs), "exact": share(xs, lambda o: o.right), "answered": share(xs, lambda o: o.answer),
            "exact_of_answered": share([o for o in xs if o.answer], lambda o: o.right),
            "best_candidate_exact": share(xs, lambda o: exact(o.best, o.example.golds)),
        }
    sets = sorted({o.example.set_name for o in outcomes})
    if len(sets) > 1:
        figures["by_set"] = {
            name: report([o for o in outcomes if o.example.set_name == name]) for name in sets
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", action="append", required=True, metavar="NAME=QUESTIONS:FOLDER",
                   help="a question file and the article folder it is about (repeatable)")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--inner-folds", type=int, default=4)
    p.add_argument("--l2", type=float, default=1.0, help="weight penalty of every model")
    p.add_argument("--one-calibration", action="store_true",
                   help="one calibration for all families (knowing the family) instead of one each")
    p.add_argument("--wrong-cost", type=float, default=1.5,
                   help="what a wrong short answer costs, against 1 for a right one")
    p.add_argument("--removed-share", type=float, default=0.35,
                   help="share of questions also asked with their answer removed from the archive")
    p.add_argument("--unanswerable-share", type=float, default=0.15,
                   help="how common questions the archive cannot answer are, against answerable ones")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threshold-from", action="append", default=[], metavar="NAME",
                   help="pick one threshold on these sets' questions (the questions members ask) "
                        "instead of one per family on all")
    p.add_argument("--set-weight", action="append", default=[], metavar="NAME=W",
                   help="how much a set's questions count in every model (e.g. members=5: the "
                        "questions members ask over news are what the answerer is for)")
    p.add_argument("--sample", type=float, default=1.0, help="share of the questions to use (quick runs)")
    p.add_argument("--write", action="store_true", help="learn from everything and write the weights")
    p.add_argument("--out", type=Path, default=WEIGHTS_FILE,
                   help="where --write writes (default: %(default)s)")
    p.add_argument("--json", help="write the held-out figures here")
    p.add_argument("--outcomes", help="write each held-out question's outcome here (JSON lines)")
    args = p.parse_args(argv)
    args.set_weights = {k: float(v) for k, _, v in (w.partition("=") for w in args.set_weight)}

    started = time.time()
    examples: list[Example] = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.set:
            name, _, rest = spec.partition("=")
            questions, _, folder = rest.rpartition(":")
            examples += load_set(name, Path(questions), Path(folder), Path(tmp))
        if args.sample < 1.0:
            rng = random.Random(args.seed)
            examples = [ex for ex in examples if rng.random() < args.sample]
        print(f"{len(examples)} questions; reading them ...", file=sys.stderr)
        prepare(examples, args.removed_share, args.seed)
        articles = sorted({ex.article for ex in examples})
        runs = []
        for fold in _folds(articles, args.folds, args.seed) if args.folds else []:
            train = [ex for ex in examples if ex.article not in fold]
            test = [ex for ex in examples if ex.article in fold]
            weights = learn(train, args)
            runs.append((test, weights, evaluate(test, weights)))
        first = [o for _, _, outs in runs for o in outs]
        if args.threshold_from and len(runs) > 1:
            # Each fold's threshold from the other folds' held-out confidences: the confidences
            # of models that never saw the question, as the shipped model's will be.
            for k, (test, weights, outs) in enumerate(runs):
                others = [o for j, (_, _, os) in enumerate(runs) if j != k for o in os]
                weights["threshold"] = {"all": held_out_threshold(others, args)}
                outs[:] = evaluate(test, weights)
        outcomes = []
        for k, (test, weights, outs) in enumerate(runs):
            outcomes += outs
            f = report(outs)
            print(f"fold {k + 1}: {len(test)} questions, R@1 {f['R@1']}, exact {f['exact']}, "
                  f"answered {f['answered']}, exact of answered {f['exact_of_answered']}, "
                  f"threshold {weights['threshold']}", file=sys.stderr)
        held_out = report(outcomes) if outcomes else {}
        held_out["sets"] = sorted({ex.set_name for ex in examples})
        if args.outcomes:
            _write_outcomes(Path(args.outcomes), outcomes)
        held_out["seconds"] = round(time.time() - started, 1)
        print(json.dumps(held_out, indent=1))
        if args.json:
            Path(args.json).write_text(json.dumps(held_out, indent=1))
        if args.write:
            weights = learn(examples, args)
            if args.threshold_from and len(runs) > 1:
                inner = weights["threshold"]
                weights["threshold"] = {"all": held_out_threshold(first, args)}
                print(f"threshold {weights['threshold']} from the held-out confidences "
                      f"(the inner cross-validation's: {inner})", file=sys.stderr)
            weights["held_out"] = held_out
            weights["settings"] = {
                k: v for k, v in vars(args).items()
                if k not in ("write", "json", "set", "out", "outcomes", "set_weights")  # no paths
            }
            args.out.write_text(json.dumps(weights, indent=1, sort_keys=True) + "\n")
            print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
