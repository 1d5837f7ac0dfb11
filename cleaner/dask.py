"""Clean a corpus with Dask: the same pure function, mapped over a ``dask.bag``.

Needs the optional extra: ``pip install "cleaner[dask]"`` (``dask[bag]`` and
``distributed``). Inputs are local paths or any fsspec URL (``s3://…``, ``gs://…``,
``hdfs://…``, globs allowed), either whole text/HTML files (one document per file) or
JSON Lines with the document in a field.

Python recipe::

    import dask.bag as db
    from cleaner.dask import clean_bag, read_documents, read_records

    docs = read_documents("s3://bucket/scraped/*.txt")        # bag of (source, bytes)
    records = clean_bag(docs)                                 # bag of record dicts
    records.map(json.dumps).to_textfiles("s3://bucket/clean/*.jsonl")

    rows = read_records("data/*.jsonl", text_field="html")    # bag of dicts
    clean_bag(rows, text_field="html", id_field="url", input_format="html")

    # any bag of strings works too: one record list per string, flattened
    clean_bag(db.from_sequence(["page one ...", "page two ..."]))

``run_dask`` is what ``cleaner clean --engine dask [--scheduler ADDRESS]`` calls. Output
is the same, record for record and in the same order, as cleaning the inputs one by one
with :func:`cleaner.clean_records` (``clean_item`` is that per-document step).
"""

from __future__ import annotations

import json
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import IO, Any

from .batch import available_cpus, can_fork
from .decode import BinaryInputError
from .pipeline import clean, clean_records
from .render import render_text
from .rules import RuleSet

__all__ = ["clean_bag", "clean_item", "read_documents", "read_records", "run_dask"]

FILES_PER_PARTITION = 64  # whole-file inputs: files read and cleaned per task
# JSON Lines inputs: bytes per task. Dask cuts a file into size // BLOCKSIZE blocks, so
# a task reads less than twice this: it bounds each worker's memory, and lets a file of
# a few tens of MB spread over the workers (at 16 MiB, a 30 MB file was one task).
BLOCKSIZE = "4MiB"
FORMATS = ("jsonl", "text")
MIN_WINDOW = 8  # run_dask's ordered output: partitions computed at once, at least
_PARSE_ERROR = "__cleaner_parse_error__"  # a JSON Lines line that did not parse


def _import_dask():
    try:
        import dask
        import dask.bag
    except ImportError as exc:  # a clear message instead of a traceback deep in a call
        raise ImportError(
            'the Dask engine needs the optional extra: pip install "cleaner[dask]"'
        ) from exc
    return dask


def _error_record(source: str | None, message: str) -> dict[str, object]:
    record: dict[str, object] = {"error": message}
    if source is not None:
        record["source"] = source
    return record


def clean_item(
    item: Any,
    *,
    text_field: str | None = None,
    id_field: str | None = None,
    explain: bool = False,
    input_format: str = "auto",
    detect_lang: bool = True,
    format: str = "jsonl",
    rules: RuleSet | None = None,
) -> list[Any]:
    """Clean one bag element into its article records (or its clean text).

    An element is a ``(source, data)`` pair (what read_documents gives), a plain ``str``
    or ``bytes`` document, or, with ``text_field``, a dict record (read_records). Bad
    input never raises: it becomes one ``{"error": ..., "source": ...}`` record, so one
    broken file cannot fail a whole batch and nothing is silently lost.
    With ``format="text"`` the result is a one-element list: the document's clean text.
    ``rules`` defaults to the built-in packs (a RuleSet pickles, so user packs and
    disabled rules travel to the workers).
    """
    source: str | None = None
    if text_field is not None:
        if not isinstance(item, dict):
            return [_error_record(None, f"not a JSON object: {str(item)[:80]!r}")]
        if _PARSE_ERROR in item:
            return [_error_record(None, item[_PARSE_ERROR])]
        source = str(item[id_field]) if id_field and item.get(id_field) is not None else None
        data = item.get(text_field)
        if not isinstance(data, str):
            return [_error_record(source, f"field {text_field!r} is missing or not a string")]
    elif isinstance(item, tuple) and len(item) == 2:
        source, data = item
    else:
        data = item
    try:
        if format == "text":
            articles = clean(data, rules, input_format=input_format, detect_lang=False)
            return [render_text(articles)]
        return clean_records(
            data,
            source=source,
            explain=explain,
            rules=rules,
            input_format=input_format,
            detect_lang=detect_lang,
        )
    except BinaryInputError as exc:
        return [_error_record(source, str(exc))]


def clean_bag(
    bag,
    *,
    text_field: str | None = None,
    id_field: str | None = None,
    explain: bool = False,
    input_format: str = "auto",
    detect_lang: bool = True,
    format: str = "jsonl",
    rules: RuleSet | None = None,
):
    """A bag of article records (dicts) from a bag of documents; see clean_item.

    Pure and order-preserving: the same bag always gives the same records in the
    same order, on any scheduler."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    options = {
        "text_field": text_field,
        "id_field": id_field,
        "explain": explain,
        "input_format": input_format,
        "detect_lang": detect_lang,
        "format": format,
        "rules": rules,
    }
    return bag.map(clean_item, **options).flatten()


def _read_file(open_file) -> tuple[str, bytes]:
    """(source, content): the source is the local path, or the full URL for remote files."""
    from fsspec.implementations.local import LocalFileSystem

    local = isinstance(open_file.fs, LocalFileSystem)
    source = open_file.path if local else open_file.full_name
    with open_file as handle:
        return source, handle.read()


def read_documents(urlpath: str | Sequence[str], files_per_partition: int = FILES_PER_PARTITION):
    """A bag of ``(source, bytes)``, one per file, in path order.

    Paths may be globs, folders (every file below them) or any fsspec URL."""
    dask = _import_dask()
    import fsspec

    files = _open_files(fsspec, urlpath)
    if not files:
        raise FileNotFoundError(f"no input files match {urlpath!r}")
    npartitions = max(1, -(-len(files) // files_per_partition))
    return dask.bag.from_sequence(files, npartitions=npartitions).map(_read_file)


def _open_files(fsspec, urlpath: str | Sequence[str]) -> list:
    """The files the paths, globs and folders name (folders: every file below, sorted)."""
    fs, _token, paths = fsspec.get_fs_token_paths(urlpath, mode="rb")
    found: list[str] = []
    for path in paths:
        found.extend(sorted(fs.find(path)) if fs.isdir(path) else [path])
    return [fsspec.core.OpenFile(fs, path, mode="rb") for path in found]


def _parse_json_line(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return {_PARSE_ERROR: f"invalid JSON line: {exc}"}


def read_records(urlpath: str | Sequence[str], blocksize: str | int | None = BLOCKSIZE):
    """A bag of the JSON Lines records of the files, in order (blank lines skipped)."""
    dask = _import_dask()
    lines = dask.bag.read_text(urlpath, blocksize=blocksize)
    return lines.filter(lambda line: bool(line.strip())).map(_parse_json_line)


@contextmanager
def _scheduler(scheduler: str | None, rules: RuleSet | None = None) -> Iterator[int]:
    """Make ``scheduler`` the default for compute(); yields how many partitions it runs
    at once (its workers' threads)."""
    dask = _import_dask()
    if scheduler in (None, "processes"):
        with _local_processes(rules):
            yield available_cpus()
    elif scheduler in ("synchronous", "sync", "single-threaded"):
        with dask.config.set(scheduler=scheduler):
            yield 1
    elif scheduler == "threads":
        with dask.config.set(scheduler=scheduler):
            yield available_cpus()
    else:
        from distributed import Client  # an address: tcp://host:8786, or a scheduler file

        client = Client(scheduler) if "://" in scheduler else Client(scheduler_file=scheduler)
        with client:
            yield max(1, sum(client.nthreads().values()))


@contextmanager
def _local_processes(rules: RuleSet | None) -> Iterator[None]:
    """Dask's process scheduler on one pool of worker processes for the whole run.

    Left to itself, that scheduler starts a new pool for every compute() (run_dask makes
    one per ``window`` of partitions) and each new worker imports cleaner and loads the
    rules again: on 1,152 files it was slower than one process. Where fork is safe
    (batch.can_fork), the workers are forked once the rules are compiled, and start
    with them, as the local batch's do."""
    from .pipeline import default_rules

    dask = _import_dask()
    forked = can_fork()
    if forked:
        (rules or default_rules()).compile_all()
    context = multiprocessing.get_context("fork" if forked else "spawn")
    with ProcessPoolExecutor(available_cpus(), mp_context=context) as pool:
        pool.submit(int).result()  # every worker started now, before compute() runs threads
        # One task per dispatch: Dask's default batches 6 ready tasks into one, so a
        # bag of 7 partitions ran 6 of them on one worker.
        with dask.config.set(scheduler="processes", pool=pool, chunksize=1):
            yield


def _ordered_partitions(bag, window: int) -> Iterator[list]:
    """Each partition's results in order, computing ``window`` partitions at a time.

    Two windows are in flight: while one is written, the next is computing, so the
    workers do not wait at the end of each window for the slowest partition of it. At
    most three windows of results are held (two computing, one being written)."""
    dask = _import_dask()
    parts = bag.to_delayed()
    windows = [parts[start : start + window] for start in range(0, len(parts), window)]
    with ThreadPoolExecutor(2) as computing:
        in_flight: deque = deque()
        for chunk in windows:
            in_flight.append(computing.submit(dask.compute, *chunk))
            if len(in_flight) == 2:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()


def _write(items: Iterable, out: IO[str], format: str) -> int:
    count = 0
    for item in items:
        if format == "text":
            if not item:
                continue  # nothing left of this document
            out.write(("\n" if count else "") + item)  # a blank line between documents
        else:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
        count += 1
    return count


def run_dask(
    inputs: Sequence[str],
    output: str | IO[str],
    *,
    scheduler: str | None = None,
    format: str = "jsonl",
    text_field: str | None = None,
    id_field: str | None = None,
    input_format: str = "auto",
    explain: bool = False,
    detect_lang: bool = True,
    rules: RuleSet | None = None,
    window: int | None = None,
) -> int:
    """Clean ``inputs`` with Dask and write the result; returns the number of items written.

    - ``inputs``: paths, globs or fsspec URLs. Without ``text_field`` each file is one
      document (text or HTML); with it, each file is JSON Lines and the document is that
      field of each record (``id_field`` names the field that becomes ``source``).
    - ``output``: an open text stream (e.g. ``sys.stdout``) or a path/URL. A path that
      contains ``*`` is a folder pattern: each partition is written in parallel to its own
      file (``out/part-*.jsonl``, any fsspec URL, ``.gz`` compresses). Otherwise one
      file, written in input order.
    - ``scheduler``: None or ``"processes"`` for local processes (one pool, a worker per
      core, for the whole run: see _local_processes), ``"threads"``, ``"synchronous"``,
      or a distributed scheduler address
      (``tcp://host:8786``) or scheduler-file path.
    - ``format``: ``"jsonl"`` (one record per article) or ``"text"`` (each document's
      clean text, as ``cleaner.normalize`` gives it, a blank line between documents).
    - ``rules``: the RuleSet (``cleaner.load_rules(extra=..., disabled=...)``), default
      the built-in packs.
    - ``window``: partitions computed at once when writing one ordered stream (two
      windows are in flight); memory stays bounded by three windows of partitions
      whatever the corpus size. None: one per worker thread, at least MIN_WINDOW.

    Output is identical to cleaning the same inputs one by one on this machine.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    if isinstance(inputs, str):
        inputs = [inputs]
    if text_field is not None:
        bag = read_records(list(inputs))
    else:
        bag = read_documents(list(inputs))
    records = clean_bag(
        bag,
        text_field=text_field,
        id_field=id_field,
        explain=explain,
        input_format=input_format,
        detect_lang=detect_lang,
        format=format,
        rules=rules,
    )
    with _scheduler(scheduler, rules) as workers:
        window = window or max(MIN_WINDOW, workers)
        if isinstance(output, str) and "*" in output:
            return _write_parts(records, output, format)
        if isinstance(output, str):
            import fsspec

            with fsspec.open(output, "wt", encoding="utf-8") as out:
                return _write(_flatten(_ordered_partitions(records, window)), out, format)
        return _write(_flatten(_ordered_partitions(records, window)), output, format)


def _part_name(index: int) -> str:
    return f"{index:05d}"  # zero-padded: the files sort in partition (input) order


def _write_parts(records, output: str, format: str) -> int:
    """One file per partition, written by the workers in parallel; one graph pass."""
    dask = _import_dask()
    lines = records if format == "text" else records.map(json.dumps, ensure_ascii=False)
    writes = lines.to_textfiles(
        output,
        name_function=_part_name,
        encoding="utf-8",
        last_endline=True,
        compute=False,
    )
    _, written = dask.compute(writes, lines.count())
    return written


def _flatten(partitions: Iterable[list]) -> Iterator:
    for partition in partitions:
        yield from partition
