"""Time the article splitter alone (``cleaner.segment.segment``), without cProfile.

    python tests/bench_segment.py [--record FILE | --compare FILE] [--repeat N]

Inputs, prepared as text mode does (pipeline.clean: line ends, repair, lines, rule
matches): the seeds, the eval-dev scraped pages, and the merged files of
tests/segment_layouts.py (both halves, every layout, and every article alone). Prints
ms per pass for each group (best of ``--repeat`` passes). ``--record`` writes each
input's spans (boundaries and reasons) as JSON lines; ``--compare`` checks them against
such a record, so a speed change can be shown to leave the splitter's output unchanged.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import segment_layouts as suite  # noqa: E402

from cleaner.decode import decode_bytes  # noqa: E402
from cleaner.lines import split_lines  # noqa: E402
from cleaner.pipeline import _line_ends_to_lf, _match, _repair, default_rules  # noqa: E402
from cleaner.segment import segment  # noqa: E402


def prepare(text: str) -> tuple[list, list]:
    """The lines and rule matches the pipeline hands the splitter in text mode."""
    raw = _line_ends_to_lf(text)
    lines = split_lines(_repair(raw, True), raw)
    return lines, _match(lines, default_rules(), True)


def groups() -> dict[str, list[tuple[str, str]]]:
    """Named inputs by group: real pages, held-out layout files, the rest of the suite."""
    real = sorted((suite.ROOT / "seeds").glob("*.txt"))
    if suite.EVAL_PAGES.is_dir():
        real += sorted(suite.EVAL_PAGES.glob("*.scraped.txt"))
    sources = suite.load_sources()
    held, fit = suite.fold(sources, suite.HELD_OUT), suite.fold(sources, suite.FIT)
    out = {"real": [(p.name, decode_bytes(p.read_bytes())) for p in real]}
    out["held-out layouts"] = [
        (f"held-{layout}-{k}", m.text)
        for layout in suite.LAYOUTS
        for k, m in enumerate(suite.generate(layout, held))
    ]
    out["fit layouts + singles"] = [
        (f"fit-{layout}-{k}", m.text)
        for layout in suite.LAYOUTS
        for k, m in enumerate(suite.generate(layout, fit))
    ] + [
        (f"single-{layout}-{k}", m.text)
        for layout in suite.LAYOUTS
        for k, m in enumerate(suite.singles(layout, sources))
    ]
    return out


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 5
    prepared = {
        name: [(key, *prepare(text)) for key, text in items] for name, items in groups().items()
    }
    spans = {}
    for name, items in prepared.items():
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            for key, lines, matches in items:
                spans[key] = segment(lines, matches)
            best = min(best, time.perf_counter() - t0)
        size = sum(len(line.text) + 1 for _k, lines, _m in items for line in lines)
        print(f"{name:<22} {len(items):>4} files {size / 1e6:6.2f} MB  {best * 1e3:8.1f} ms/pass")
    if "--record" in argv:
        path = Path(argv[argv.index("--record") + 1])
        path.write_text("".join(json.dumps([k, v]) + "\n" for k, v in spans.items()))
        print(f"recorded {len(spans)} inputs")
    if "--compare" in argv:
        path = Path(argv[argv.index("--compare") + 1])
        expected = dict(json.loads(line) for line in path.read_text().splitlines())
        current = json.loads(json.dumps(spans))
        diff = sorted(
            k for k in expected.keys() | current.keys() if expected.get(k) != current.get(k)
        )
        if diff:
            print(f"DIFFERENT on {len(diff)} of {len(expected)} inputs: {diff[:10]}")
            return 1
        print(f"identical spans on all {len(expected)} inputs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
