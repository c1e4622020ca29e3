"""The answer models: logistic regressions over named features, with weights learned from data.

A model is a dict of feature name -> weight; a candidate's score is the weighted sum of its
features, its probability the logistic of that. The weights live in `weights.json` beside this
file, written by `python -m index.answers.train`, so anyone can retrain them and see what each
piece of evidence is worth.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("weights.json")


def logit(weights: dict[str, float], features: dict[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@cache
def load_weights(path: Path = WEIGHTS_FILE) -> dict:
    """The learned weights (empty models when the file is missing: every feature counts 0)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def fit_logistic(
    rows: list[dict[str, float]], labels: list[int], *, l2: float = 1.0,
    sample_weight: list[float] | None = None, iterations: int = 50,
) -> dict[str, float]:
    """Weights maximising the L2-penalised log-likelihood (Newton's method; the bias, a feature
    named "bias" in every row, is not penalised)."""
    names = sorted({name for row in rows for name in row})
    if not names:
        return {}
    column = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    r_idx = [r for r, row in enumerate(rows) for _ in row]
    c_idx = [column[name] for row in rows for name in row]
    x[r_idx, c_idx] = [value for row in rows for value in row.values()]
    y = np.asarray(labels, float)
    sw = np.ones(len(rows)) if sample_weight is None else np.asarray(sample_weight, float)
    penalty = np.full(len(names), l2)
    for name in names:
        if name.endswith("bias"):
            penalty[column[name]] = 1e-6
    w = np.zeros(len(names))
    for _ in range(iterations):
        z = np.clip(x @ w, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        gradient = x.T @ (sw * (p - y)) + penalty * w
        hessian = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return {name: round(float(w[column[name]]), 6) for name in names if abs(w[column[name]]) > 1e-9}


def fit_softmax(
    groups: list[list[dict[str, float]]], positives: list[list[int]], *, l2: float = 1.0,
    iterations: int = 30,
) -> dict[str, float]:
    """Weights that make the right candidate of each group the likeliest under a softmax over
    its group (a conditional logit: only differences within a group matter, so there is no
    bias). `positives[g]` lists the right candidates of group g; the likelihood counts them
    together."""
    names = sorted({name for group in groups for row in group for name in row if name != "bias"})
    if not names:
        return {}
    column = {name: i for i, name in enumerate(names)}
    rows = [row for group in groups for row in group]
    x = np.zeros((len(rows), len(names)))
    r_idx = [r for r, row in enumerate(rows) for name in row if name != "bias"]
    c_idx = [column[name] for row in rows for name in row if name != "bias"]
    x[r_idx, c_idx] = [value for row in rows for name, value in row.items() if name != "bias"]
    sizes = np.array([len(g) for g in groups])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    group_of = np.repeat(np.arange(len(groups)), sizes)
    positive = np.zeros(len(rows), bool)
    for g, pos in enumerate(positives):
        positive[starts[g] + np.asarray(pos, int)] = True
    def objective(w: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        s = x @ w
        s = s - np.maximum.reduceat(s, starts)[group_of]
        e = np.exp(s)
        z_all = np.add.reduceat(e, starts)
        ep = np.where(positive, e, 0.0)
        z_pos = np.add.reduceat(ep, starts)
        nll = float(np.sum(np.log(z_all) - np.log(z_pos))) + 0.5 * l2 * float(w @ w)
        return nll, e / z_all[group_of], ep / z_pos[group_of], z_all

    w = np.zeros(len(names))
    nll, p, q, _ = objective(w)
    for _ in range(iterations):
        mean_p = np.add.reduceat(x * p[:, None], starts)  # per group
        mean_q = np.add.reduceat(x * q[:, None], starts)
        gradient = (mean_p - mean_q).sum(axis=0) + l2 * w
        # Fisher scoring: the covariance under the softmax is a positive curvature to step by.
        hessian = (x * p[:, None]).T @ x - mean_p.T @ mean_p + l2 * np.eye(len(names))
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-4:
            candidate = w - scale * step
            new_nll, new_p, new_q, _ = objective(candidate)
            if new_nll <= nll:
                break
            scale /= 2
        else:
            break
        w, p, q = candidate, new_p, new_q
        done = nll - new_nll < 1e-6 * max(1.0, abs(nll))
        nll = new_nll
        if done:
            break
    return {name: round(float(w[column[name]]), 6) for name in names if abs(w[column[name]]) > 1e-9}
