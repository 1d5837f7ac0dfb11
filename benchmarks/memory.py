"""Peak memory of a real ``cleaner clean`` batch: does it grow with the input?

    python benchmarks/memory.py jsonl --mb 100 1000      # one JSON Lines file per size
    python benchmarks/memory.py files --count 10000 100000 --file-kb 1   # a folder per count

Builds the inputs in a scratch folder from the repo's seeds and the scraped pages of
``../shared/eval-dev`` (repeated), runs the ``cleaner`` console script on each with
``--jobs`` worker processes, and samples the memory of the whole process
tree (the command and its workers) from ``/proc`` every ``--every`` seconds. It prints,
for each size, the peak memory of the tree (PSS: shared pages counted once) and the
peak RSS of its largest process, the tree's memory at each tenth of the run (flat means
streaming works), the wall time and MB/s. Linux only.
The scratch folder (inputs and outputs, as large as the inputs) is deleted at the end
unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@contextmanager
def scratch_folder(prefix: str, keep: bool, parent: Path | None = None) -> Iterator[Path]:
    """A scratch folder for a benchmark's inputs and outputs, deleted at the end unless
    ``keep`` (then its path is printed)."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield scratch
    finally:
        if keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def source_documents(shared: Path) -> list[str]:
    """The seeds and eval-dev scraped pages, decoded (the corpus is repeated from these)."""
    paths = sorted((REPO / "seeds").glob("*.txt"))
    paths += sorted((shared / "eval-dev" / "pages").glob("*.scraped.txt"))
    docs = [p.read_bytes().decode("utf-8", "replace") for p in paths]
    if not docs:
        raise SystemExit("memory.py: no seeds/ and no eval-dev pages found")
    return docs


def write_jsonl(path: Path, docs: list[str], megabytes: float) -> int:
    """A JSON Lines file of at least ``megabytes`` MB; returns its size in bytes."""
    target = int(megabytes * 1e6)
    lines = [json.dumps({"text": doc}, ensure_ascii=False).encode() + b"\n" for doc in docs]
    written = record = 0
    with path.open("wb") as out:
        while written < target:
            line = lines[record % len(lines)]
            written += out.write(b'{"id": %d, ' % record + line[1:])  # line[0] is "{"
            record += 1
    return path.stat().st_size


def _head(doc: str, kilobytes: float) -> bytes:
    """The document's first whole lines within ``kilobytes`` KB (at least one line)."""
    data = doc.encode()
    limit = int(kilobytes * 1000)
    if kilobytes <= 0 or len(data) <= limit:
        return data
    cut = data.rfind(b"\n", 0, limit)
    return data[: cut + 1] if cut > 0 else data[: data.find(b"\n") + 1 or None]


def write_files(folder: Path, docs: list[str], count: int, kilobytes: float = 0) -> int:
    """``count`` text files in subfolders of 1,000, each cut to its first ``kilobytes``
    KB of lines when that is given (the count is what a folder run tests, so small files
    keep a 100,000-file run short); returns their total size in bytes."""
    encoded = [_head(doc, kilobytes) for doc in docs]
    total = 0
    for number in range(count):
        sub = folder / f"{number // 1000:04d}"
        if number % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = encoded[number % len(encoded)]
        (sub / f"{number:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _tree(pid: int) -> Iterator[int]:
    yield pid
    for child in _children(pid):
        yield from _tree(child)


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0  # the process ended between listing and reading


def _pss_bytes(pid: int) -> int:
    """Proportional set size: shared pages split between the processes that share them,
    so the tree's sum is the memory it really holds (forked workers share the parent's
    loaded rules and models, which a sum of RSS would count once per process)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return _rss_bytes(pid)


@dataclass
class Run:
    label: str
    input_mb: float
    seconds: float = 0.0
    exit_code: int = 0
    # (seconds since start, PSS of the tree, RSS of its largest process), in bytes
    samples: list[tuple[float, int, int]] = field(default_factory=list)

    @property
    def peak_tree_mb(self) -> float:
        return max((s[1] for s in self.samples), default=0) / 1e6

    @property
    def peak_process_mb(self) -> float:
        return max((s[2] for s in self.samples), default=0) / 1e6

    def tenths(self) -> list[float]:
        """Tree PSS (MB) at each tenth of the run, from 10% to 100%."""
        if not self.samples:
            return []
        marks = []
        for tenth in range(1, 11):
            moment = self.seconds * tenth / 10
            before = [s for s in self.samples if s[0] <= moment] or self.samples[:1]
            marks.append(before[-1][1] / 1e6)
        return marks


def measure(label: str, command: list[str], input_mb: float, every: float) -> Run:
    """Run ``command`` and sample its process tree's memory until it exits."""
    run = Run(label, input_mb)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    while process.poll() is None:
        pids = list(_tree(process.pid))
        tree = sum(map(_pss_bytes, pids))
        largest = max(map(_rss_bytes, pids), default=0)
        run.samples.append((time.perf_counter() - start, tree, largest))
        time.sleep(every)
    run.seconds = time.perf_counter() - start
    run.exit_code = process.returncode
    return run


def _cleaner() -> str:
    found = shutil.which("cleaner", path=str(Path(sys.executable).parent))
    return found or shutil.which("cleaner") or "cleaner"


def jsonl_runs(args: argparse.Namespace, docs: list[str], scratch: Path) -> Iterator[Run]:
    for megabytes in args.mb:
        source = scratch / f"input-{megabytes:g}mb.jsonl"
        size = write_jsonl(source, docs, megabytes)
        command = [_cleaner(), "clean", str(source), "-o", str(scratch / "out.jsonl")]
        command += ["--jobs", str(args.jobs), "--quiet"]
        yield measure(f"jsonl {size / 1e6:,.0f} MB", command, size / 1e6, args.every)
        source.unlink()


def files_runs(args: argparse.Namespace, docs: list[str], scratch: Path) -> Iterator[Run]:
    for count in args.count:
        folder = scratch / f"in-{count}"
        size = write_files(folder, docs, count, args.file_kb)
        out = scratch / f"out-{count}"
        command = [_cleaner(), "clean", str(folder), "-o", str(out)]
        command += ["--jobs", str(args.jobs), "--quiet"]
        yield measure(f"{count:,} files", command, size / 1e6, args.every)
        shutil.rmtree(folder)
        shutil.rmtree(out, ignore_errors=True)


def report(run: Run) -> None:
    tenths = " ".join(f"{mb:.0f}" for mb in run.tenths())
    print(
        f"{run.label:18s} peak {run.peak_tree_mb:5.0f} MB PSS (all processes) "
        f"{run.peak_process_mb:5.0f} MB RSS (largest process)  "
        f"{run.seconds:8.1f} s  {run.input_mb / run.seconds:6.2f} MB/s  exit {run.exit_code}",
        flush=True,
    )
    print(f"{'':18s} PSS of all processes at each tenth of the run, MB: {tenths}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--scratch", type=Path, help="folder for inputs and outputs")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    kinds = parser.add_subparsers(dest="kind", required=True)
    jsonl = kinds.add_parser("jsonl", help="one JSON Lines file per size")
    jsonl.add_argument("--mb", type=float, nargs="+", default=[100.0, 1000.0])
    files = kinds.add_parser("files", help="one folder of small files per count")
    files.add_argument("--count", type=int, nargs="+", default=[10_000, 100_000])
    files.add_argument(
        "--file-kb", type=float, default=0, help="cut each file to its first N KB of lines"
    )
    args = parser.parse_args(argv)
    docs = source_documents(args.shared)
    runs = jsonl_runs if args.kind == "jsonl" else files_runs
    worst = 0
    with scratch_folder("cleaner-memory-", args.keep, args.scratch) as scratch:
        for run in runs(args, docs, scratch):
            report(run)
            worst = max(worst, run.exit_code)
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
