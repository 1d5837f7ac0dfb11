"""What the pre-commit path costs: ``cleaner check`` against ``cleaner clean`` on the same files.

    python benchmarks/check.py                     # 300 files, 5 rounds
    python benchmarks/check.py --count 1152 --rounds 3

``check`` proves more than ``clean`` does: that the clean text is a fixed point (cleaning
it again changes nothing), so a checked file is cleaned, then its clean text again. This
script builds a folder of scraped files from the repo's seeds and the scraped pages of
``../shared/eval-dev`` (as benchmarks/memory.py does) and a copy that ``cleaner fix`` has
made clean, then times, in turns, ``--rounds`` times, one process each (``--jobs 1``,
start-up included, as a pre-commit hook runs it):

- ``cleaner clean IN -o OUT``: one pass, the reference;
- ``cleaner check IN`` on the scraped files (each would change: exit 1);
- ``cleaner check CLEAN`` on the clean copy (all clean: exit 0).

It prints each command's median and MB/s, and each check's time over the clean run's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from memory import _cleaner, scratch_folder, source_documents, write_files

REPO = Path(__file__).resolve().parent.parent


def timed(command: list[str], expected: int) -> float:
    """Seconds for one run of the command, which must exit with ``expected``."""
    start = time.perf_counter()
    finished = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    if finished.returncode != expected:
        raise SystemExit(
            f"check.py: {' '.join(command)} exited with {finished.returncode}, not {expected}"
        )
    return seconds


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=300, help="files in the folder")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each command")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)

    cleaner = _cleaner()
    with scratch_folder("cleaner-check-", args.keep) as scratch:
        scraped, tidy, out = scratch / "scraped", scratch / "clean", scratch / "out"
        write_files(scraped, source_documents(args.shared), args.count)
        shutil.copytree(scraped, tidy)
        timed([cleaner, "fix", str(tidy), "--jobs", "1", "--quiet"], 0)
        print(
            f"corpus: {args.count:,} scraped files, {folder_mb(scraped):.1f} MB; "
            f"their clean text {folder_mb(tidy):.1f} MB; in {scratch}",
            flush=True,
        )
        commands = {
            "clean scraped -o OUT": ([cleaner, "clean", str(scraped), "-o", str(out)], 0),
            "check scraped": ([cleaner, "check", str(scraped)], 1),
            "check clean": ([cleaner, "check", str(tidy)], 0),
        }
        runs: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, (command, expected) in commands.items():
                shutil.rmtree(out, ignore_errors=True)
                runs[name].append(timed([*command, "--jobs", "1", "--quiet"], expected))
        sizes = {"clean scraped -o OUT": scraped, "check scraped": scraped, "check clean": tidy}
        for name, seconds in runs.items():
            median = statistics.median(seconds)
            shown = " ".join(f"{s:.2f}" for s in seconds)
            rate = folder_mb(sizes[name]) / median
            print(f"{name:22s} runs {shown} s; median {median:.2f} s, {rate:.2f} MB/s")
        reference = statistics.median(runs["clean scraped -o OUT"])
        for name in ("check scraped", "check clean"):
            ratio = statistics.median(runs[name]) / reference
            print(f"{name} / clean scraped: {ratio:.2f}x the time")
        return 0


if __name__ == "__main__":
    sys.exit(main())
