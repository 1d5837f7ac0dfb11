#!/usr/bin/env python3
"""Quality and throughput on a labelled split of real pages (e.g. ../shared/eval-dev).

    python benchmarks/quality.py ../shared/eval-dev

Prints, for the same pages in the same run: text mode (scraped text -> record bodies),
HTML mode (raw HTML -> trafilatura -> our rules), and trafilatura.extract alone on the
HTML as the baseline. Metric identical to eval-dev/score.py: per page token precision,
recall and F1 (lowercase \\w+ tokens, multiset overlap), mean over pages; the share of
pages under F1 0.5; throughput in MB of input per second.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleaner.pipeline import body_text, body_text_html  # noqa: E402

TOKEN = re.compile(r"\w+")


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p_tokens = Counter(TOKEN.findall(pred.lower()))
    g_tokens = Counter(TOKEN.findall(gold.lower()))
    overlap = sum((p_tokens & g_tokens).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    p, r = overlap / sum(p_tokens.values()), overlap / sum(g_tokens.values())
    return p, r, 2 * p * r / (p + r)


def trafilatura_alone(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def run(name: str, fn: Callable[[str], str], inputs: list[str], golds: list[str]) -> None:
    fn(inputs[0])  # warm up: rule packs, language profiles, imports
    start = time.perf_counter()
    preds = [fn(data) for data in inputs]
    elapsed = time.perf_counter() - start
    scores = [prf(pred, gold) for pred, gold in zip(preds, golds, strict=True)]
    n = len(scores)
    p, r, f = (sum(s[i] for s in scores) / n for i in range(3))
    low = sum(s[2] < 0.5 for s in scores) / n
    size = sum(len(d.encode("utf-8")) for d in inputs)
    print(
        f"{name:<28} P={p:.3f} R={r:.3f} F1={f:.3f} F1<0.5={low:.1%} "
        f"MB/s={size / elapsed / 1e6:.2f}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("split", type=Path, help="folder with manifest.jsonl")
    args = ap.parse_args()
    rows = [json.loads(line) for line in (args.split / "manifest.jsonl").open(encoding="utf-8")]

    def read(key: str) -> list[str]:
        return [(args.split / row[key]).read_text(encoding="utf-8") for row in rows]

    scraped, html, gold = read("scraped"), read("html"), read("gold")
    print(f"pages={len(rows)}")
    # trafilatura loads some resources on the first page that needs them (jusText's
    # stop-word lists, about 0.2 s): a one-time cost, kept out of both HTML timings.
    for page in html:
        trafilatura_alone(page)
    run("text mode (scraped text)", body_text, scraped, gold)
    run("html mode (trafilatura+rules)", body_text_html, html, gold)
    run("trafilatura.extract alone", trafilatura_alone, html, gold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
