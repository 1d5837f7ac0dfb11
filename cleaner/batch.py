"""Batch work for the CLI: walk inputs, clean them on all cores, write, report.

Memory stays bounded however large the batch: inputs are walked lazily, a JSON Lines
file is read in chunks, and ``ordered_map`` keeps at most a few batches of tasks per
worker in flight (``task_batches``: up to 8 small files, or one JSON Lines chunk) while
handing results back in input order (so ``--jobs 2`` writes exactly what ``--jobs 1``
writes). Where the platform forks, the workers start with the parent's compiled rule
set; elsewhere each loads the rule set once, in its initializer.

A task never raises: whatever goes wrong with one input becomes a one-line error in its
Result and the batch goes on; the CLI turns errors into exit code 2 at the end.
"""

from __future__ import annotations

import contextlib
import difflib
import fnmatch
import gc
import multiprocessing
import os
import re
import signal
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from .decode import BinaryInputError
from .engine import Article
from .html import looks_like_html
from .io import (
    AtomicFile,
    InputError,
    TextStyle,
    atomic_write,
    decode_text_file,
    dump_record,
    is_jsonl_name,
    iter_jsonl_chunks,
    open_input,
    parse_jsonl_line,
    plain_name,
    read_input,
)
from .lines import MAX_LINE_CHARS
from .pipeline import Reuse, clean, settle_articles
from .render import render_text, to_record
from .rules import RuleSet, load_rules

__all__ = ["Options", "Result", "Summary", "Task", "ordered_map", "run_tasks", "walk"]

CHUNK_LINES = 256  # JSONL lines per task: big enough to amortize the pickling
CHUNK_BYTES = 4 << 20  # ...and small enough to bound memory per task in flight
TASKS_PER_WORKER = 4  # task batches in flight per worker process
WORKER_DIED = "the worker process cleaning it died (killed, or out of memory?); skipped"
# Files sent to a worker together, up to this many and this many bytes: each round trip
# through the pool costs the parent some 0.5 ms of CPU, which it takes from the workers.
FILES_PER_BATCH = 8
BATCH_BYTES = 256 << 10


@dataclass(frozen=True, slots=True)
class Options:
    """Everything a worker needs to know about the command (picklable)."""

    mode: str = "clean"  # clean | check | fix
    output_format: str = "text"  # text | jsonl
    input_format: str = "auto"  # auto | text | html | jsonl
    text_field: str = "text"
    explain: bool = False
    diff: bool = False
    out_dir: str | None = None  # clean: one output file per input in this folder
    # clean: fsync each file written in out_dir before its rename (--fsync); fix always does
    fsync: bool = False


@dataclass(slots=True)
class Task:
    source: str  # the input as the user named it, or "<stdin>"
    path: str | None = None  # a file the worker reads
    data: bytes | None = None  # or the input itself (stdin)
    lines: list[bytes] | None = None  # or a chunk of a JSON Lines input...
    first_line: int = 1  # ...starting at this line number
    first: bool = True  # the first / last task of its input (JSONL inputs span many)
    last: bool = True
    out_base: str | None = None  # folder mode: the worker writes <out_base>.txt etc.
    sink_path: str | None = None  # folder mode, JSONL input: the parent writes this file
    error: str | None = None  # known to fail before any work (e.g. unreadable)


@dataclass(slots=True)
class Result:
    source: str
    output: str = ""  # what goes to the stream/file sink, in input order
    size: int = 0  # input bytes
    articles: int = 0
    removed: Counter = field(default_factory=Counter)  # lines removed, by rule pack
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timeouts: int = 0
    changed: bool = False  # check/fix: the file is (was) not clean
    first: bool = True
    last: bool = True
    sink_path: str | None = None
    fatal: bool = False  # the input could not be read through: drop its partial output


# --- walking -------------------------------------------------------------------------


def _hidden(name: str) -> bool:
    return name.startswith(".")


def walk(
    paths: Iterable[str], glob: str, exclude: str | None = None
) -> Iterator[tuple[str, Path | None]]:
    """(path as named, folder it was found under) for each input, lazily.

    A folder is walked recursively in sorted order, skipping hidden files and folders
    and the ``exclude`` folder (the output folder, when it lies inside an input folder),
    keeping files whose name (or path below the folder) matches ``glob``. Any other
    path, existing or not, is passed on as a file: reading it reports what is wrong.
    """
    skip = os.path.abspath(exclude) if exclude else None
    for path in paths:
        if path != "-" and os.path.isdir(path):
            yield from _walk_folder(Path(path), glob, skip)
        else:
            yield path, None


def _walk_folder(root: Path, glob: str, skip: str | None) -> Iterator[tuple[str, Path]]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if not _hidden(d) and os.path.abspath(os.path.join(folder, d)) != skip
        )
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(folder, name), root)
            if not _hidden(name) and (fnmatch.fnmatch(name, glob) or fnmatch.fnmatch(rel, glob)):
                yield os.path.join(folder, name), root


# --- workers -------------------------------------------------------------------------

_RULES: RuleSet | None = None
_PACK_OF: dict[str, str] = {}


def init_worker(extra: tuple[str, ...], disabled: tuple[str, ...]) -> None:
    """Load the rule set once per process (already validated by the parent)."""
    # Ctrl-C is the parent's to handle (it stops the pool); a worker printing its own
    # KeyboardInterrupt traceback would only bury the message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    use_rules(load_rules(extra=extra, disabled=disabled))


def adopt_rules(rules: RuleSet) -> None:
    """A forked worker's initializer: the parent's rule set, compiled already (a worker
    that compiled its own would start a third of a second later)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in init_worker
    rules.timeouts.clear()  # the worker's own copy: report only its own timeouts
    use_rules(rules)


def use_rules(rules: RuleSet) -> None:
    global _RULES, _PACK_OF
    _RULES = rules
    _PACK_OF = {r.id: r.pack for r in rules.rules}


def _take_timeouts(result: Result) -> None:
    """Move the rule timeouts seen since the last task into the result."""
    if not _RULES.timeouts:
        return
    by_rule = Counter(rule_id for rule_id, _line in _RULES.timeouts)
    _RULES.timeouts.clear()
    result.timeouts += sum(by_rule.values())
    for rule_id, count in sorted(by_rule.items()):
        result.errors.append(
            f"{result.source}: rule {rule_id} timed out on {count} line(s); the lines were kept"
        )


def _account(result: Result, articles: list[Article]) -> None:
    result.articles += len(articles)
    for article in articles:
        for line in article.lines:
            if line.rule is not None:
                result.removed[_PACK_OF.get(line.rule, line.rule.split(".")[0])] += 1
            elif line.passthrough:
                result.warnings.append(
                    f"{result.source}: line {line.number} is longer than {MAX_LINE_CHARS:,} "
                    "characters; passed through unchanged, no rule ran on it"
                )


def run_task(task: Task, options: Options) -> Result:
    """Do one task; never raises (an unexpected failure is reported as an error)."""
    result = Result(task.source, first=task.first, last=task.last, sink_path=task.sink_path)
    if task.error:
        result.errors.append(f"{task.source}: {task.error}")
        result.fatal = True
        return result
    try:
        if task.lines is not None:
            _clean_jsonl_chunk(task, options, result)
        elif options.mode == "clean":
            _clean_file(task, options, result)
        else:
            _check_file(task, options, result)
    except (InputError, BinaryInputError, OSError) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        result.errors.append(f"{task.source}: {message}")
        result.output = ""
    except Exception as exc:  # a bug must not end the batch; say which input hit it
        result.errors.append(f"{task.source}: internal error: {type(exc).__name__}: {exc}")
        result.output = ""
    _take_timeouts(result)
    return result


def _input_bytes(task: Task, result: Result) -> bytes:
    data = task.data if task.data is not None else read_input(task.path)
    result.size = len(data)
    return data


def _clean_file(task: Task, options: Options, result: Result) -> None:
    text = decode_text_file(_input_bytes(task, result))
    as_records = options.output_format == "jsonl"
    input_format = "auto" if options.input_format == "jsonl" else options.input_format
    articles = clean(text, _RULES, input_format, detect_lang=as_records)
    _account(result, articles)
    if as_records:
        out = "".join(
            dump_record(to_record(a, i, task.source, options.explain))
            for i, a in enumerate(articles)
        )
    else:
        out = render_text(articles)
    if task.out_base is None:
        result.output = out
    elif as_records:
        atomic_write(task.out_base + ".jsonl", out.encode("utf-8"), options.fsync)
    else:
        _write_articles(task.out_base, articles, options.fsync)


def _write_articles(base: str, articles: list[Article], fsync: bool = False) -> None:
    """<base>.txt for a single article (or none: an empty result), <base>.<n>.txt each
    for a split file; numbered files left over from an earlier run are removed."""
    stale = _numbered_outputs(base)
    if len(articles) <= 1:
        atomic_write(base + ".txt", render_text(articles).encode("utf-8"), fsync)
    else:
        for index, article in enumerate(articles):
            name = f"{base}.{index}.txt"
            atomic_write(name, render_text([article]).encode("utf-8"), fsync)
            stale.discard(name)
        Path(base + ".txt").unlink(missing_ok=True)
    for name in stale:
        Path(name).unlink(missing_ok=True)


def _numbered_outputs(base: str) -> set[str]:
    """The <base>.<n>.txt files of an earlier run: numbered from 0 without gaps, so
    probing stops at the first missing one (never list a folder of 100,000 outputs)."""
    found = set()
    while os.path.exists(name := f"{base}.{len(found)}.txt"):
        found.add(name)
    return found


def _clean_jsonl_chunk(task: Task, options: Options, result: Result) -> None:
    """One output record per input line: the input's fields passed through, the text
    field replaced by the clean text, plus ``articles`` (the article records) and
    ``input_line`` (the 1-based line number in the input)."""
    out: list[str] = []
    field_name = options.text_field
    input_format = "auto" if options.input_format == "jsonl" else options.input_format
    for number, line in enumerate(task.lines, start=task.first_line):
        result.size += len(line)
        if not line.strip():
            continue
        record, problem = parse_jsonl_line(line, field_name)
        if problem:
            result.errors.append(f"{task.source}:{number}: {problem}; line skipped")
            continue
        articles = clean(record[field_name], _RULES, input_format, detect_lang=True)
        _account(result, articles)
        record[field_name] = render_text(articles).rstrip("\n")
        record["articles"] = [
            to_record(a, i, None, options.explain) for i, a in enumerate(articles)
        ]
        record["input_line"] = number
        out.append(dump_record(record))
    result.output = "".join(out)


def _check_file(task: Task, options: Options, result: Result) -> None:
    """check: is the file clean? fix: make it clean, atomically, in its own style."""
    if is_jsonl_name(task.source):
        raise InputError("JSON Lines: check and fix rewrite scraped text files only")
    data = _input_bytes(task, result)
    text = decode_text_file(data)
    if looks_like_html(text):
        raise InputError("looks like HTML; fix would replace the page by its text (use clean)")
    style = TextStyle.of(data)
    reuse = Reuse()
    articles = clean(text, _RULES, "text", detect_lang=False, reuse=reuse)
    _account(result, articles)
    # the fixed point, as normalize() gives it: a fixed file then checks clean
    clean_text = settle_articles(text, articles, _RULES, reuse)
    new = style.encode(clean_text)
    result.changed = new != data
    if not result.changed:
        return
    if options.mode == "fix":
        atomic_write(task.path, new)
    elif options.diff:
        old = text.replace("\r\n", "\n").replace("\r", "\n")
        result.output = "".join(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                clean_text.splitlines(keepends=True),
                fromfile=task.source,
                tofile=task.source,
            )
        )


# --- ordered, bounded parallel map ----------------------------------------------------


def available_cpus() -> int:
    """The cores this process may run on: its CPU affinity where the system tells (a
    container or ``taskset`` pinned to 2 of 64 cores gets 2 workers, not 64), else all."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):  # Linux
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked: Linux and the BSDs (macOS has fork, but
    it is unsafe there with system frameworks; Windows has none)."""
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


def ordered_map(
    fn: Callable,
    tasks: Iterable,
    jobs: int,
    initializer: Callable,
    initargs: tuple,
    fork: bool = False,
    on_crash: Callable[[Any, Callable[[Any], Any]], Any] | None = None,
    on_lost: Callable[[Any], None] | None = None,
) -> Iterator:
    """``map(fn, tasks)`` on ``jobs`` processes, results in task order.

    Unlike Pool.imap, which drains its input as fast as it can, at most
    TASKS_PER_WORKER * jobs tasks (and their results) are in memory at once.
    ``fork`` starts the workers by fork (they begin with a copy of the parent's
    memory), else by the platform's default method.

    A worker that dies (killed, or by the kernel when memory runs out) breaks the pool
    and loses the tasks in flight: they are run again one by one, each in a pool of its
    own, then a new pool goes on with the rest. A task whose own pool breaks too gives
    ``on_crash(task, run_alone)`` (``run_alone`` runs a task that way, for a task made
    of smaller ones), or raises BrokenProcessPool without ``on_crash``. Before, with
    multiprocessing.Pool, a lost task's result never came and the batch waited forever.
    ``on_lost(task)`` is called each time a task's run is lost (to clear what it left).
    """
    if jobs <= 1:
        initializer(*initargs)
        yield from map(fn, tasks)
        return
    context = multiprocessing.get_context("fork" if fork else None)

    def pool(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, context, initializer, initargs)

    def run_alone(task: Any) -> Any:
        with pool(1) as alone:
            return alone.submit(fn, task).result()

    def lost(task: Any) -> None:
        if on_lost is not None:
            on_lost(task)

    def crashed(task: Any) -> Any:
        lost(task)  # its run in the pool that broke
        try:
            return run_alone(task)
        except BrokenProcessPool:
            lost(task)
            if on_crash is None:
                raise
            return on_crash(task, run_alone)

    if fork:
        # A forked worker's garbage collector would walk every object it inherited (the
        # compiled rules, the loaded modules) and, by writing to their headers, copy
        # their memory pages one by one: frozen objects are never walked.
        gc.freeze()
    try:
        tasks = iter(tasks)
        while True:
            in_flight = yield from _until_broken(pool(jobs), fn, tasks, TASKS_PER_WORKER * jobs)
            if in_flight is None:
                return
            for task in in_flight:  # their results were lost with the pool
                yield crashed(task)
    finally:
        if fork:
            gc.unfreeze()


def _until_broken(
    pool: ProcessPoolExecutor, fn: Callable, tasks: Iterator, in_flight: int
) -> Generator[Any, None, list | None]:
    """Run the tasks on the pool, yielding results in order, until the tasks run out
    (returns None) or the pool breaks (returns the tasks whose results were lost)."""
    pending: deque = deque()  # (task, future), in task order
    done = False
    try:
        while True:
            for task in islice(tasks, in_flight - len(pending)):
                try:
                    future = pool.submit(fn, task)
                except BrokenProcessPool:
                    return [queued for queued, _ in pending] + [task]
                pending.append((task, future))
            if not pending:
                done = True
                return None
            try:
                result = pending[0][1].result()
            except BrokenProcessPool:
                return [queued for queued, _ in pending]
            pending.popleft()
            yield result
    finally:
        if done:
            pool.shutdown()
        else:
            _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down without waiting for the tasks it still has: after a crash, on
    Ctrl-C or an error the batch stops now (the workers ignore SIGINT: they are ended
    here; ``_processes`` is the executor's own table of them)."""
    pool.shutdown(wait=False, cancel_futures=True)
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()


# --- progress and summary -------------------------------------------------------------


class Progress:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    WIDTH = 24

    def __init__(self, total: int | None, stream: IO[str] | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        self.size = 0
        self.start = time.monotonic()
        self._drawn = 0.0

    def update(self, result: Result) -> None:
        self.done += result.last
        self.size += result.size
        now = time.monotonic()
        if now - self._drawn >= 0.1:
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.size / 1e6 / max(now - self.start, 1e-9)
        if self.total:
            filled = min(self.WIDTH, self.WIDTH * self.done // self.total)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"[{bar}] {self.done}/{self.total} files, {rate:.1f} MB/s"
        else:
            line = f"{self.done} files, {self.size / 1e6:.1f} MB, {rate:.1f} MB/s"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


@dataclass(slots=True)
class Summary:
    mode: str = "clean"
    files: int = 0
    skipped: int = 0  # up to date, not redone
    articles: int = 0
    removed: Counter = field(default_factory=Counter)
    errors: int = 0
    timeouts: int = 0
    changed: int = 0
    size: int = 0
    start: float = field(default_factory=time.monotonic)

    def add(self, result: Result) -> None:
        self.files += result.last
        self.articles += result.articles
        self.removed.update(result.removed)
        self.errors += len(result.errors)
        self.timeouts += result.timeouts
        self.changed += result.changed
        self.size += result.size

    def line(self) -> str:
        seconds = max(time.monotonic() - self.start, 1e-9)
        removed = sum(self.removed.values())
        packs = ", ".join(f"{pack} {n}" for pack, n in sorted(self.removed.items()))
        parts = [_count(self.files, "file")]
        if self.skipped:
            parts.append(f"{self.skipped} skipped (up to date)")
        if self.mode == "check":
            parts.append(f"{self.changed} would change")
        elif self.mode == "fix":
            parts.append(f"{self.changed} fixed")
        parts.append(_count(self.articles, "article"))
        parts.append(_count(removed, "line") + " removed" + (f" ({packs})" if packs else ""))
        if self.timeouts:
            parts.append(_count(self.timeouts, "rule timeout"))
        parts.append(_count(self.errors, "error"))
        parts.append(
            f"{self.size / 1e6:.1f} MB in {seconds:.1f} s ({self.size / 1e6 / seconds:.1f} MB/s)"
        )
        return "cleaner: " + ", ".join(parts)


# --- task generation --------------------------------------------------------------------


def is_jsonl_input(path: str, options: Options) -> bool:
    """JSON Lines by --input-format jsonl, or by its name unless --input-format text
    (with --input-format html, a .jsonl file's text fields hold HTML pages)."""
    if options.input_format == "jsonl":
        return True
    return options.input_format != "text" and path != "-" and is_jsonl_name(path)


def output_base(path: str, root: Path | None, out_dir: str) -> str:
    """Folder mode: out_dir / <path below its input folder> / <stem>, suffix added later."""
    rel_parent = Path(path).parent.relative_to(root) if root is not None else Path()
    stem = plain_name(path)
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    return str(Path(out_dir) / rel_parent / stem)


def _jsonl_tasks(source: str, handle: IO[bytes], sink_path: str | None) -> Iterator[Task]:
    first = True
    previous: Task | None = None
    try:
        for first_line, lines in iter_jsonl_chunks(handle, CHUNK_LINES, CHUNK_BYTES):
            if previous is not None:
                yield previous
            previous = Task(source, lines=lines, first_line=first_line, first=first, last=False)
            previous.sink_path = sink_path
            first = False
    except (OSError, EOFError, ValueError) as exc:  # truncated gzip, read error
        if previous is not None:
            yield previous
        yield Task(source, first=first, error=f"read error: {exc}", sink_path=sink_path)
        return
    if previous is None:  # an empty file: an empty result
        previous = Task(source, lines=[], sink_path=sink_path)
    previous.last = True
    yield previous


def make_tasks(
    inputs: Iterable[tuple[str, Path | None]],
    options: Options,
    summary: Summary,
    force: bool = False,
) -> Iterator[Task]:
    """The tasks for the inputs, lazily; up-to-date outputs are skipped unless forced."""
    for path, root in inputs:
        source = "<stdin>" if path == "-" else path
        out_base = output_base(path, root, options.out_dir) if options.out_dir else None
        if out_base and _overwrites_input(path, out_base):
            yield Task(source, error="its output would overwrite it; use another -o folder")
            continue
        if options.mode == "clean" and is_jsonl_input(path, options):
            if out_base and not force and _up_to_date(path, [out_base + ".jsonl"]):
                summary.skipped += 1
                continue
            try:
                handle = sys.stdin.buffer if path == "-" else open_input(path)
            except InputError as exc:
                yield Task(source, error=str(exc))
                continue
            with handle:
                yield from _jsonl_tasks(source, handle, out_base + ".jsonl" if out_base else None)
            continue
        if out_base and not force and _up_to_date(path, _outputs_of(out_base, options)):
            summary.skipped += 1
            continue
        if out_base:
            Path(out_base).parent.mkdir(parents=True, exist_ok=True)
        if path == "-":
            yield Task(source, data=sys.stdin.buffer.read())
        else:
            yield Task(source, path=path, out_base=out_base)


def _overwrites_input(path: str, out_base: str) -> bool:
    """Would an output of this input land on the input itself (-o the input folder)?"""
    source = os.path.abspath(path)
    candidates = (".txt", ".jsonl", ".0.txt")
    return any(os.path.abspath(out_base + suffix) == source for suffix in candidates)


def _outputs_of(out_base: str, options: Options) -> list[str]:
    if options.output_format == "jsonl":
        return [out_base + ".jsonl"]
    return [out_base + ".txt", out_base + ".0.txt"]


def _up_to_date(path: str, outputs: list[str]) -> bool:
    """Is one of the outputs newer than the input? (A missing input is never.)"""
    try:
        source_time = os.stat(path).st_mtime_ns
    except OSError:
        return False
    for output in outputs:
        try:
            if os.stat(output).st_mtime_ns >= source_time:
                return True
        except OSError:
            continue
    return False


# --- driving ----------------------------------------------------------------------------


class Sink:
    """Where results' output goes, in order: a stream, or per-input files (JSONL folder
    mode, written atomically: an input that fails part-way leaves no file)."""

    def __init__(self, stream: IO[bytes] | None, fsync: bool = True) -> None:
        self.stream = stream
        self.fsync = fsync  # for the per-input files (AtomicFile)
        self._open: AtomicFile | None = None

    def put(self, result: Result) -> None:
        if result.sink_path:
            self._put_file(result)
        elif result.output and self.stream is not None:
            self.stream.write(result.output.encode("utf-8"))

    def _put_file(self, result: Result) -> None:
        if result.first:
            self.abort()
            Path(result.sink_path).parent.mkdir(parents=True, exist_ok=True)
            self._open = AtomicFile(result.sink_path, self.fsync)
        if self._open is None:
            return
        if result.fatal:
            self.abort()
            return
        self._open.write(result.output.encode("utf-8"))
        if result.last:
            self._open.commit()
            self._open = None

    def abort(self) -> None:
        if self._open is not None:
            self._open.abort()
            self._open = None


def run_tasks(
    tasks: Iterable[Task],
    options: Options,
    rules: RuleSet,
    rule_args: tuple[tuple[str, ...], tuple[str, ...]],
    jobs: int,
    summary: Summary,
    sink: Sink,
    progress: Progress | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> None:
    """Run the tasks on ``jobs`` processes; report each result; fill the summary."""
    tasks = iter(tasks)
    head = list(islice(tasks, 2))
    if len(head) < 2:  # a pool for one input would only cost its start
        jobs = 1
    tasks = chain(head, tasks)
    fork = jobs > 1 and can_fork()
    if jobs <= 1:
        initializer, initargs = use_rules, (rules,)
    elif fork:
        rules.compile_all()  # once here, not once per worker
        initializer, initargs = adopt_rules, (rules,)
    else:
        initializer, initargs = init_worker, rule_args
    batches = task_batches(tasks) if jobs > 1 else ([task] for task in tasks)
    worker = _Worker(options)
    results = ordered_map(
        worker, batches, jobs, initializer, initargs, fork, worker.crashed, worker.forget
    )
    try:
        for result in chain.from_iterable(results):
            sink.put(result)
            for message in result.warnings + result.errors:
                if progress:
                    progress.close()
                print(f"cleaner: {message}", file=sys.stderr)
            if on_result:
                on_result(result)
            summary.add(result)
            if progress:
                progress.update(result)
    finally:
        sink.abort()
        if progress:
            progress.close()


def task_batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """The tasks in order, in batches for the pool: consecutive files together, up to
    FILES_PER_BATCH of them and BATCH_BYTES of input (a bigger file goes alone, so
    the workers stay evenly loaded), any other task (a JSON Lines chunk, stdin) alone."""
    batch: list[Task] = []
    size = 0
    for task in tasks:
        weight = _file_size(task)
        full = len(batch) == FILES_PER_BATCH or size + (weight or 0) > BATCH_BYTES
        if batch and (weight is None or full):
            yield batch
            batch, size = [], 0
        if weight is None:
            yield [task]
            continue
        batch.append(task)
        size += weight
    if batch:
        yield batch


def _file_size(task: Task) -> int | None:
    """The bytes a file task will read (0 when it cannot tell); None for other tasks."""
    if task.path is None or task.lines is not None or task.data is not None:
        return None
    try:
        return os.path.getsize(task.path)
    except OSError:
        return 0  # the worker reports what is wrong with it


@dataclass(frozen=True, slots=True)
class _Worker:
    """run_task over a batch of tasks, bound to the options; picklable for the pool."""

    options: Options

    def __call__(self, tasks: list[Task]) -> list[Result]:
        return [run_task(task, self.options) for task in tasks]

    def crashed(self, tasks: list[Task], run_alone: Callable) -> list[Result]:
        """The results of a batch whose worker died even when it ran alone (see
        ordered_map): each of its tasks alone, so that only the input that kills its
        worker (a file too big for the memory left, say) is reported, and skipped."""
        if len(tasks) == 1:
            return [self._died(tasks[0])]
        results: list[Result] = []
        for task in tasks:
            try:
                results += run_alone([task])
            except BrokenProcessPool:
                self.forget([task])
                results.append(self._died(task))
        return results

    def _died(self, task: Task) -> Result:
        """The error result of an input that kills its worker: reported, no output."""
        return run_task(replace(task, error=WORKER_DIED), self.options)

    def forget(self, tasks: list[Task]) -> None:
        """Remove the temporary files that a killed worker's atomic writes left for
        these tasks' outputs (io.AtomicFile: ``.<target name>.<8 characters>.tmp``
        beside the target): the outputs of ``-o FOLDER``, or the file ``fix`` rewrites."""
        for task in tasks:
            if task.out_base:
                folder, name = Path(task.out_base).parent, Path(task.out_base).name
                targets = rf"{re.escape(name)}\.(?:\d+\.)?(?:txt|jsonl)(?:\.gz)?"
            elif self.options.mode == "fix" and task.path:
                folder, name = Path(task.path).parent, Path(task.path).name
                targets = re.escape(name)
            else:
                continue
            stale = re.compile(rf"\.{targets}\.[a-z0-9_]{{8}}\.tmp")
            with contextlib.suppress(OSError):
                for leftover in folder.iterdir():
                    if stale.fullmatch(leftover.name):
                        leftover.unlink(missing_ok=True)
