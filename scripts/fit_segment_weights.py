"""Fit the splitter's headline weights and threshold (rules/segment_weights.json).

The splitter (cleaner/segment.py) measures signals on every line that passes its
headline gates; a line starts a new article when ``bias + sum(weight * signal)`` reaches
the threshold. This script learns those weights by logistic regression (pure Python,
Newton steps with an L2 penalty) on merged files of the four layouts built by
tests/segment_layouts.py from the FIT half of the real articles only; the test suite
scores the other half, which nothing here reads. The real scraped files of the FIT
half's articles (single-article seeds, eval-dev pages: one article with its page chrome)
add negatives: their teasers and footers are not headlines. Labels come from the known
boundaries: a candidate is positive when it is the headline of the next article. Each
candidate is measured against the true start of its article, as the splitter sees it
after a right decision.

The threshold is chosen by cross-validation inside the FIT half: its articles are cut
into ``CV_FOLDS`` folds; for each fold the weights are fitted on files of the other
folds and the fold's own files (and each of its articles alone, which must stay one)
are scored. The threshold kept is the one with the best boundary F1 over the folds
among those that split no single-article file of any fold (ties go to the higher, more
cautious one), but never below ``THRESHOLD_FLOOR``. The splitter's second pass (in
files where the first pass found a boundary, a candidate with the shape of a confident
headline needs only a lower threshold) is chosen the same way: each fold's files are
split by the first pass under the other folds' weights, and the second-pass threshold
(at most the first), word band, section run (a candidate with at most that many
story lines on both sides to the nearest headline-shaped lines is a section of one
article; 0 turns the test off) and shape parts compared (``SHAPE_CHOICES``) kept are
those with the best boundary F1 over the folds that split no single-article file (ties
go to the higher threshold, the more parts compared, the narrower band, then the
shorter run). The final weights are then fitted on the whole FIT half.

    python scripts/fit_segment_weights.py          # fit, report, write the weights
    python scripts/fit_segment_weights.py --check  # fit, report, fail if the file differs
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from segment_layouts import (  # noqa: E402
    FIT,
    LAYOUTS,
    fold,
    generate,
    load_sources,
    real_pages,
    singles,
)

from cleaner.decode import repair_text  # noqa: E402
from cleaner.lines import split_lines  # noqa: E402
from cleaner.pipeline import default_rules  # noqa: E402
from cleaner.segment import (  # noqa: E402
    HEADLINE_MAX_WORDS,
    SHAPE_PARTS,
    WEIGHTS_FILE,
    _Doc,
    _live_blog_stamps,
    _one_more_item,
    _split,
    confident_shapes,
    headline_features,
    headline_score,
    headline_shape,
    section_sizes,
    shape_matches,
)

FILES_PER_LAYOUT = 120
L2 = 0.1  # penalty on the squared weights (not on the bias): keeps weights small and stable
NEWTON_STEPS = 25
CV_FOLDS = 4
# The thresholds tried: a boundary needs probability >= sigmoid(threshold). Ties go to
# the higher one because splitting one article in two costs more than keeping two
# merged (a merged pair still holds all the text; a wrong split loses a headline).
THRESHOLDS = [step / 4 for step in range(-8, 17)]  # -2.0 .. 4.0
# The lowest threshold kept whatever the folds say: a split needs odds of e^2 (about
# 7:1) for a headline. The folds hold about 8 articles each, fewer kinds of article than
# the files the splitter meets (deals lists, reviews with title-case subheadings, pages
# with their chrome), and a threshold just clearing the folds' single-article files
# leaves no room for those: cross-validation may raise the threshold, never lower it.
THRESHOLD_FLOOR = 2.0
# The word bands tried for the second pass: how many words longer or shorter than a
# confident headline of the file a headline of the same shape may be.
WORD_BANDS = [2, 4, 6, 9, HEADLINE_MAX_WORDS]
# The section runs tried (0: no run test): a second-pass candidate with at most this
# many story lines since the last headline-shaped line and up to the next one is a
# section of a run (subheadings, list items), not an article.
SECTION_RUNS = [0, 1, 2, 3, 4]
# The shape parts a second-pass headline must share with a confident one, tried from
# all of them to the file's layout only: the articles of one merged file share their
# layout (markers before, lines under the headline), but they may come from sites with
# different case styles and endings.
SHAPE_CHOICES = [
    SHAPE_PARTS,
    tuple(p for p in SHAPE_PARTS if p != "case"),
    tuple(p for p in SHAPE_PARTS if p != "line before"),
    tuple(p for p in SHAPE_PARTS if p not in ("case", "line before")),
    ("markers", "layout"),
]


def file_candidates(text: str, zones: list[tuple[int, int]]) -> tuple[_Doc, list[tuple]]:
    """The splitter's view of one generated file, and (line, features, label) for every
    headline candidate of it."""
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
            rows.append((i, features, int(any(lo <= number <= hi for lo, hi in zones))))
    return doc, rows


def dataset(
    sources, salt: str, files: list | None = None
) -> list[tuple[dict[str, float], int, bool]]:
    """(features, label, whether the file holds a single article) of every candidate;
    with ``files``, each file's (doc, candidates, single) is appended to it too."""
    merged_files = []
    for layout in LAYOUTS:
        merged_files += [(m, False) for m in generate(layout, sources, FILES_PER_LAYOUT, salt=salt)]
        merged_files += [(m, True) for m in singles(layout, sources)]
    merged_files += [(m, True) for m in real_pages(sources)]
    rows = []
    for merged, single in merged_files:
        doc, found = file_candidates(merged.text, merged.zones)
        rows += [(features, label, single) for _i, features, label in found]
        if files is not None:
            files.append((doc, found, single))
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
    xs = [[1.0] + [features.get(name, 0.0) for name in names] for features, *_ in rows]
    ys = [label for _, label, *_ in rows]
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


def cv_fold(title: str) -> int:
    """A stable fold of the FIT half, independent of the hash that makes the halves."""
    return zlib.crc32(f"cv:{title}".encode()) % CV_FOLDS


def boundary_f1(scored: list[tuple[float, int, bool]], threshold: float) -> dict[str, float]:
    tp = sum(score >= threshold and label for score, label, _ in scored)
    predicted = sum(score >= threshold for score, *_ in scored)
    expected = sum(label for _, label, _ in scored)
    precision = tp / predicted if predicted else 1.0
    recall = tp / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    singles_split = sum(score >= threshold for score, _, single in scored if single)
    return {"precision": precision, "recall": recall, "f1": f1, "single splits": singles_split}


def cross_validated(sources, names: list[str]) -> tuple[list[tuple[float, int, bool]], list]:
    """(score, label) of every candidate of each fold's files under weights fitted on
    the other folds, scored as the splitter scores them; and per fold its model and
    files (doc, candidates, single) for the second pass."""
    scored, folds = [], []
    for k in range(CV_FOLDS):
        train = [s for s in sources if cv_fold(s.title) != k]
        test = [s for s in sources if cv_fold(s.title) == k]
        bias, weights = fit(dataset(train, salt=f"cv{k}"), names)
        model = {"bias": bias, "weights": weights}
        files: list = []
        scored += [
            (headline_score(features, model)[0], label, single)
            for features, label, single in dataset(test, salt=f"cv{k}", files=files)
        ]
        folds.append((model, files))
    return scored, folds


def second_pass_rows(folds: list, threshold: float) -> list[tuple]:
    """(score, label, single, word gaps, section) of every candidate of the folds' files:
    the word gaps give, per choice of ``SHAPE_CHOICES``, the smallest word-count
    difference to a confident headline of the file of the same shape in those parts
    (``shape_matches``; None when the file has no confident boundary under the fold's
    weights at ``threshold``, or no headline of that shape); section is the larger of
    its two sections' story lines (``section_sizes``, from the first-pass boundary
    before it; None when no headline-shaped line follows)."""
    rows = []
    for model, files in folds:
        first = {**model, "threshold": threshold}
        for doc, found, single in files:
            starts = [i for i, _ in _split(doc, _live_blog_stamps(doc), first)]
            shapes = confident_shapes(doc, starts) if len(starts) > 1 else []
            for i, features, label in found:
                shape = headline_shape(doc, i)
                gaps = {}
                for parts in SHAPE_CHOICES:
                    found_gaps = [
                        abs(shape[-1] - other[-1])
                        for other in shapes
                        if shape_matches(shape, [other], HEADLINE_MAX_WORDS, parts) is not None
                    ]
                    gaps[parts] = min(found_gaps) if found_gaps else None
                score = headline_score(features, model)[0]
                before, after = section_sizes(doc, i, max(s for s in starts if s < i))
                section = None if after is None else max(before, after)
                rows.append((score, label, single, gaps, section))
    return rows


def choose_second_pass(rows: list, threshold: float) -> tuple[float, int, int, tuple[str, ...]]:
    """The second-pass threshold (at most the first), word band, section run and shape
    parts compared with the best cross-validated boundary F1 among those that split no
    single-article file (ties go to the higher threshold, the more parts compared, the
    narrower band, then the shorter run: the more cautious)."""

    def taken(score: float, gaps: dict, section: int | None, c: tuple) -> bool:
        second, band, run, parts = c
        gap = gaps[parts]
        return score >= threshold or (
            gap is not None
            and gap <= band
            and score >= second
            and not (run and section is not None and section <= run)
        )

    reports: dict[tuple, dict[str, float]] = {}

    def report(c: tuple) -> dict[str, float]:
        if c not in reports:
            # Each candidate scores 1 when either pass takes it, 0 otherwise.
            decided = [
                (float(taken(score, gaps, section, c)), label, single)
                for score, label, single, gaps, section in rows
            ]
            reports[c] = boundary_f1(decided, 1.0)
        return reports[c]

    tried = [
        (t, band, run, parts)
        for t in THRESHOLDS
        if t <= threshold
        for band in WORD_BANDS
        for run in SECTION_RUNS
        for parts in SHAPE_CHOICES
    ]
    safe = [c for c in tried if not report(c)["single splits"]]
    cautious = (threshold, WORD_BANDS[0], 0, SHAPE_PARTS)
    best = max(
        safe or [cautious],
        key=lambda c: (round(report(c)["f1"], 6), c[0], len(c[3]), -c[1], -c[2]),
    )
    for c in (cautious, best):
        figures = " ".join(f"{k} {v:.3f}" for k, v in report(c).items())
        print(
            f"second pass {c[0]:+5.2f}, word band {c[1]:2d}, section run {c[2]},"
            f" shape {'/'.join(c[3])}: {figures}"
        )
    return best


def choose_threshold(scored: list[tuple[float, int, bool]]) -> float:
    """The threshold with the best F1 among those that split no single-article file of
    any fold (one article split in two is the error the spec forbids; two articles kept
    merged still hold all the text), the highest tried when none qualifies; never below
    ``THRESHOLD_FLOOR``."""
    safe = [t for t in THRESHOLDS if not boundary_f1(scored, t)["single splits"]]
    best = max(safe or THRESHOLDS[-1:], key=lambda t: (round(boundary_f1(scored, t)["f1"], 6), t))
    return max(best, THRESHOLD_FLOOR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail on a difference")
    args = parser.parse_args()
    sources = fold(load_sources(), FIT)
    rows = dataset(sources, salt="fit")
    names = sorted({name for features, *_ in rows for name in features})
    scored, folds = cross_validated(sources, names)
    for threshold in THRESHOLDS:
        report = boundary_f1(scored, threshold)
        print(
            f"threshold {threshold:+5.2f}: " + " ".join(f"{k} {v:.3f}" for k, v in report.items())
        )
    threshold = choose_threshold(scored)
    print(
        f"chosen threshold (best cross-validated F1, no single split, floor"
        f" {THRESHOLD_FLOOR:+.2f}): {threshold:+.2f}"
    )
    second, band, run, parts = choose_second_pass(second_pass_rows(folds, threshold), threshold)
    print(
        f"chosen second pass (best cross-validated F1, no single split): {second:+.2f},"
        f" band {band}, section run {run}, shape {'/'.join(parts)}"
    )
    bias, weights = fit(rows, names)
    for name in sorted(weights, key=lambda k: -abs(weights[k])):
        print(f"  {weights[name]:+7.3f}  {name}")
    print(f"  {bias:+7.3f}  (bias)")
    model = {
        "about": "Headline signal weights of cleaner/segment.py, fitted by "
        "scripts/fit_segment_weights.py on generated files of the FIT half of the "
        "articles and the real scraped pages of those articles, threshold chosen by "
        "cross-validation inside that half. A line starts an article when "
        "bias + sum(weight * signal) >= threshold; in a file with such a boundary, also "
        "when it reaches the second pass threshold and has the shape of a confident "
        "headline in the parts compared and is not in a run of short sections (second "
        "pass chosen by the same cross-validation).",
        "threshold": threshold,
        "bias": round(bias, 4),
        "weights": {name: round(weights[name], 4) for name in names},
        "second pass": {
            "threshold": second,
            "word band": band,
            "section run": run,
            "shape": list(parts),
        },
    }
    path = ROOT / "rules" / WEIGHTS_FILE
    text = json.dumps(model, indent=2, ensure_ascii=False) + "\n"
    if args.check:
        same = path.read_text(encoding="utf-8") == text
        print(f"{path.relative_to(ROOT)} {'matches' if same else 'DIFFERS from'} the fit")
        sys.exit(0 if same else 1)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
