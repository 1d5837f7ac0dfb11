"""Fit the splitter's headline weights (rules/segment_weights.json) on generated files.

The splitter (cleaner/segment.py) measures signals on every line that passes its
headline gates; a line starts a new article when ``bias + sum(weight * signal)`` reaches
the threshold. This script learns those weights by logistic regression (pure Python,
Newton steps with an L2 penalty) on merged files of the four layouts built by
tests/segment_layouts.py from the FIT half of the real articles only; the test suite
scores the other half. Labels come from the known boundaries: a candidate is positive
when it is the headline of the next article. Each candidate is measured against the
true start of its article, as the splitter sees it after a right decision.

It prints the cross-check: fitted on each half, the candidate accuracy on the other.

    python scripts/fit_segment_weights.py          # fit, report, write the weights
    python scripts/fit_segment_weights.py --check  # report only
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from segment_layouts import FIT, HELD_OUT, LAYOUTS, fold, generate, load_sources, singles  # noqa: E402

from cleaner.decode import repair_text  # noqa: E402
from cleaner.lines import split_lines  # noqa: E402
from cleaner.pipeline import default_rules  # noqa: E402
from cleaner.segment import WEIGHTS_FILE, _Doc, _one_more_item, headline_features  # noqa: E402

FILES_PER_LAYOUT = 120
L2 = 0.1  # penalty on the squared weights (not on the bias): keeps weights small and stable
NEWTON_STEPS = 25
# Threshold on the score: a boundary needs probability >= sigmoid(THRESHOLD). Set above
# 0 because splitting one article in two costs more than keeping two merged (a merged
# pair still holds all the text; a wrong split loses a headline into a body).
THRESHOLD = 2.0


def candidates(text: str, zones: list[tuple[int, int]]) -> list[tuple[dict[str, float], int]]:
    """(features, label) for every headline candidate of one generated file."""
    rules = default_rules()
    lines = split_lines(repair_text(text), text)
    doc = _Doc(lines, [rules.matching(line.text) for line in lines])
    starts = [0] + [
        next(k for k, line in enumerate(lines) if line.number >= lo) for lo, _hi in zones
    ]
    rows = []
    for i in range(1, len(lines)):
        start = max(s for s in starts if s < i)
        features = headline_features(doc, i, start)
        if features is not None and not _one_more_item(features):  # the gate decides those
            number = lines[i].number
            rows.append((features, int(any(lo <= number <= hi for lo, hi in zones))))
    return rows


def dataset(sources, salt: str) -> list[tuple[dict[str, float], int]]:
    rows = []
    for layout in LAYOUTS:
        for merged in generate(layout, sources, FILES_PER_LAYOUT, salt=salt):
            rows += candidates(merged.text, merged.zones)
        for merged in singles(layout, sources):
            rows += candidates(merged.text, merged.zones)
    return rows


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is small and positive definite)."""
    n = len(vector)
    a = [row[:] + [vector[k]] for k, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def fit(rows, names: list[str]) -> tuple[float, dict[str, float]]:
    """Logistic regression by Newton steps; returns (bias, weights by signal name)."""
    xs = [[1.0] + [features.get(name, 0.0) for name in names] for features, _ in rows]
    ys = [label for _, label in rows]
    n = len(names) + 1
    w = [0.0] * n
    for _ in range(NEWTON_STEPS):
        grad = [L2 * w[k] if k else 0.0 for k in range(n)]
        hess = [[(L2 if k == m and k else 0.0) for m in range(n)] for k in range(n)]
        for x, y in zip(xs, ys, strict=True):
            z = sum(wk * xk for wk, xk in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            for k in range(n):
                if x[k]:
                    grad[k] += (p - y) * x[k]
                    row = hess[k]
                    for m in range(n):
                        if x[m]:
                            row[m] += p * (1 - p) * x[k] * x[m]
        step = _solve(hess, grad)
        w = [wk - sk for wk, sk in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w[0], dict(zip(names, w[1:], strict=True))


def accuracy(rows, bias: float, weights: dict[str, float]) -> dict[str, float]:
    tp = fp = fn = 0
    for features, label in rows:
        score = bias + sum(weights.get(k, 0.0) * v for k, v in features.items())
        predicted = score >= THRESHOLD
        tp += predicted and label
        fp += predicted and not label
        fn += label and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"candidates": len(rows), "precision": precision, "recall": recall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    args = parser.parse_args()
    sources = load_sources()
    halves = {which: dataset(fold(sources, which), salt="fit") for which in (FIT, HELD_OUT)}
    names = sorted({name for rows in halves.values() for features, _ in rows for name in features})
    fitted = {}
    for which, other in ((FIT, HELD_OUT), (HELD_OUT, FIT)):
        fitted[which] = fit(halves[which], names)
        report = accuracy(halves[other], *fitted[which])
        print(f"fitted on half {which}, scored on half {other}: {report}")
    bias, weights = fitted[FIT]
    for name in sorted(weights, key=lambda k: -abs(weights[k])):
        print(f"  {weights[name]:+7.3f}  {name}")
    print(f"  {bias:+7.3f}  (bias)")
    if not args.check:
        model = {
            "about": "Headline signal weights of cleaner/segment.py, fitted by "
            "scripts/fit_segment_weights.py on generated files of the FIT half of the "
            "articles. A line starts an article when bias + sum(weight * signal) >= threshold.",
            "threshold": THRESHOLD,
            "bias": round(bias, 4),
            "weights": {name: round(weights[name], 4) for name in names},
        }
        path = ROOT / "rules" / WEIGHTS_FILE
        path.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
