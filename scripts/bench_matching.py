#!/usr/bin/env python3
"""Rule-matching micro-benchmark: ``python scripts/bench_matching.py [--rounds 5] [--profile]``.

Times ``RuleSet.match_lines`` with the built-in rules on two workloads, one list of line
texts per document, as the pipeline hands them over:

- ``text``: the eval-dev scraped pages (``*.scraped.txt``);
- ``html``: the eval-dev HTML pages after trafilatura (``html_to_text``), line ends,
  repair and line splitting, as in HTML mode.

For each it prints the best of ``--rounds`` passes (ms per pass over all documents) of
the whole ``match_lines`` and of its RE2 set search alone (``Re2Filter.flag``).
``--profile`` prints the cProfile top instead (cProfile distorts: compare plain timings).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cleaner import pipeline
from cleaner.decode import decode_bytes
from cleaner.html import html_to_text
from cleaner.lines import split_lines
from cleaner.rules import load_rules

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO.parent / "shared" / "eval-dev" / "pages"


def text_documents() -> list[list[str]]:
    """Line texts per scraped page, as the pipeline passes them to match_lines."""
    captured: list[list[str]] = []
    original = pipeline._match

    def capture(lines, rules, fast, reuse=None):
        captured.append([line.text for line in lines if not line.passthrough])
        return original(lines, rules, fast, reuse)

    pipeline._match = capture
    try:
        for path in sorted(PAGES.glob("*.scraped.txt")):
            pipeline.clean_records(path.read_bytes(), source=path.name, detect_lang=False)
    finally:
        pipeline._match = original
    return captured


def html_documents() -> list[list[str]]:
    """Line texts per HTML page, as HTML mode passes them to match_lines."""
    docs = []
    for path in sorted(PAGES.glob("*.html")):
        raw = pipeline._line_ends_to_lf(html_to_text(decode_bytes(path.read_bytes())))
        lines = split_lines(pipeline._repair(raw, True), raw)
        docs.append([line.text for line in lines if not line.passthrough])
    return docs


def best_ms(run: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    rules = load_rules()
    for name, docs in (("html", html_documents()), ("text", text_documents())):

        def match(docs=docs) -> None:
            for doc in docs:
                rules.match_lines(doc)

        def scan(docs=docs) -> None:
            for doc in docs:
                rules._filter.flag(doc)

        match()  # warm the caches (candidate sets, first characters)
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(match)
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)
            continue
        lines = sum(map(len, docs))
        print(
            f"{name}: {len(docs)} docs, {lines} lines: match_lines "
            f"{best_ms(match, args.rounds):.1f} ms/pass, of which RE2 set "
            f"{best_ms(scan, args.rounds):.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
