"""Parallel speed-up of a real ``cleaner clean`` batch: ``--jobs 2`` against ``--jobs 1``.

    python benchmarks/jobs.py                      # 1,152 files (about 12 MB), 3 rounds
    python benchmarks/jobs.py --count 5760 --rounds 5 --jobs 1 2
    python benchmarks/jobs.py --fsync              # each output flushed to disk (--fsync)

Builds a folder of scraped text files in a scratch folder from the repo's seeds and the
scraped pages of ``../shared/eval-dev`` (repeated, as benchmarks/memory.py does), then
runs the ``cleaner`` console script on it (``cleaner clean IN -o OUT --jobs N --quiet``)
for each ``--jobs`` value in turn, ``--rounds`` times, so a machine that gets busier
during the run slows every setting alike. Each run is timed end to end, start-up
included, as a user would time it. It prints each setting's runs and median, the
speed-up of each setting over the first (ratio of the medians, and the range of the
ratios of runs in the same round), and whether every setting wrote the same output
files, byte for byte.

It also times the same command on an empty folder: the start-up every run pays
(imports, compiling the rules) before its first file. The workers' own start (loading
the stop-word lists and language profiles on their first files) is paid inside the
runs, in parallel. A fixed cost weighs more on a short batch, so the speed-up grows
with ``--count`` towards its limit on this machine. Linux and macOS; the scratch
folder is deleted at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from memory import _cleaner, scratch_folder, source_documents, write_files

REPO = Path(__file__).resolve().parent.parent


def timed_run(folder: Path, out: Path, jobs: int, extra: tuple[str, ...] = ()) -> float:
    """Seconds for one ``cleaner clean`` of the folder into a fresh ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    command = [_cleaner(), "clean", str(folder), "-o", str(out), "--jobs", str(jobs), "--quiet"]
    command += extra
    start = time.perf_counter()
    finished = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    if finished.returncode != 0:
        raise SystemExit(f"jobs.py: {' '.join(command)} exited with {finished.returncode}")
    return seconds


def digest(folder: Path) -> str:
    """One hash over every file below the folder: its path and its bytes."""
    total = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        total.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return total.hexdigest()


def _ratios(base: list[float], other: list[float]) -> str:
    paired = [b / o for b, o in zip(base, other, strict=True)]
    return f"{min(paired):.2f}-{max(paired):.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1152, help="files in the folder")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each setting")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="settings to run")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--fsync", action="store_true", help="run cleaner with --fsync (each output flushed)"
    )
    args = parser.parse_args(argv)
    extra = ("--fsync",) if args.fsync else ()

    with scratch_folder("cleaner-jobs-", args.keep) as scratch:
        folder = scratch / "in"
        size = write_files(folder, source_documents(args.shared), args.count)
        empty = scratch / "empty"
        empty.mkdir()
        print(
            f"corpus: {args.count:,} files, {size / 1e6:.1f} MB, in {scratch}"
            + (" (cleaner --fsync)" if extra else ""),
            flush=True,
        )
        startup = [timed_run(empty, scratch / "out-empty", 1) for _ in range(args.rounds)]
        print(f"start-up (an empty folder): median {statistics.median(startup):.2f} s")

        times: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
        digests: dict[int, set[str]] = {jobs: set() for jobs in args.jobs}
        for _ in range(args.rounds):
            for jobs in args.jobs:
                out = scratch / f"out-{jobs}"
                times[jobs].append(timed_run(folder, out, jobs, extra))
                digests[jobs].add(digest(out))

        for jobs, runs in times.items():
            median = statistics.median(runs)
            shown = " ".join(f"{s:.2f}" for s in runs)
            rate = size / 1e6 / median
            print(f"--jobs {jobs}: runs {shown} s; median {median:.2f} s, {rate:.2f} MB/s")
        base = args.jobs[0]
        for jobs in args.jobs[1:]:
            speedup = statistics.median(times[base]) / statistics.median(times[jobs])
            print(
                f"--jobs {jobs} / --jobs {base}: {speedup:.2f}x "
                f"(runs in the same round: {_ratios(times[base], times[jobs])})"
            )
        outputs = set().union(*digests.values())
        print(
            "outputs: identical for every setting and run"
            if len(outputs) == 1
            else f"outputs: DIFFER ({len(outputs)} distinct output folders)"
        )
        return 0 if len(outputs) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
