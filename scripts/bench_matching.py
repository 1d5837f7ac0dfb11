#!/usr/bin/env python3
"""Rule-matching micro-benchmark: ``python scripts/bench_matching.py [--rounds 3] [--profile]``.

Collects the line texts the pipeline hands to ``RuleSet.match_lines`` for every seed and
eval-dev scraped page (one list per document), then times ``match_lines`` on them with
the built-in rules, best of ``--rounds``. ``--profile`` prints the cProfile top instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

from cleaner import pipeline
from cleaner.rules import load_rules

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO.parent / "shared" / "eval-dev" / "pages"


def documents() -> list[list[str]]:
    """Line texts per document, as the pipeline passes them to match_lines."""
    captured: list[list[str]] = []
    original = pipeline._match

    def capture(lines, rules, fast):
        captured.append([line.text for line in lines if not line.passthrough])
        return original(lines, rules, fast)

    pipeline._match = capture
    try:
        paths = sorted((REPO / "seeds").glob("*.txt")) + sorted(PAGES.glob("*.scraped.txt"))
        for path in paths:
            pipeline.clean_records(path.read_bytes(), source=path.name, detect_lang=False)
    finally:
        pipeline._match = original
    return captured


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus per round")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    docs = documents()
    rules = load_rules()
    size = sum(len(t) + 1 for doc in docs for t in doc) / 1e6
    lines = sum(map(len, docs))

    def run() -> None:
        for _ in range(args.repeat):
            for doc in docs:
                rules.match_lines(doc)

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(run)
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)
        return 0
    best = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    total = size * args.repeat
    print(
        f"match_lines: {total:.2f} MB ({lines * args.repeat} lines) in {best:.2f} s = "
        f"{total / best:.2f} MB/s, {best / (lines * args.repeat) * 1e6:.1f} us/line"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
