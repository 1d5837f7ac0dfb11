#!/usr/bin/env python3
"""Regression check for optimisations: outputs must stay byte-identical.

    python scripts/check_outputs.py record /tmp/ref.jsonl   # before changing anything
    python scripts/check_outputs.py compare /tmp/ref.jsonl  # after each change

For every seed and every eval-dev scraped page and HTML page, one line holds the
json.dumps of ``clean_records(data, explain=True)`` and of ``normalize(data)`` (the
fixed-point text). ``compare`` exits 1 and names the first differing inputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cleaner.pipeline import clean_records, normalize

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO.parent / "shared" / "eval-dev" / "pages"


def inputs() -> list[Path]:
    files = sorted((REPO / "seeds").glob("*.txt"))
    if PAGES.is_dir():
        files += sorted(PAGES.glob("*.scraped.txt")) + sorted(PAGES.glob("*.html"))
    return files


def outputs() -> dict[str, str]:
    out = {}
    for path in inputs():
        data = path.read_bytes()
        records = clean_records(data, source=path.name, explain=True)
        out[path.name] = json.dumps({"records": records, "normalize": normalize(data)})
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, ref = argv[0], Path(argv[1])
    current = outputs()
    if mode == "record":
        ref.write_text("".join(json.dumps([k, v]) + "\n" for k, v in current.items()))
        print(f"recorded {len(current)} inputs to {ref}")
        return 0
    expected = dict(json.loads(line) for line in ref.read_text().splitlines())
    diff = [k for k in expected.keys() | current.keys() if expected.get(k) != current.get(k)]
    if diff:
        print(f"DIFFERENT on {len(diff)} of {len(expected)} inputs: {sorted(diff)[:10]}")
        return 1
    print(f"identical on all {len(expected)} inputs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
