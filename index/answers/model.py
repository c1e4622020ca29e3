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
