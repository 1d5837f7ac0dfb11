"""An on-disk cache of tables a process derives from data files at its first document.

Building the stop-word tables from jusText's hundred lists (stopwords.py) takes some
0.2 s in every process: a tenth to a third of a short ``cleaner check`` run, as a
pre-commit hook makes one, and paid again by every worker of a batch. Loaded from
here, the same tables take about 0.03 s.

Where: ``$CLEANER_CACHE_DIR`` when set; else, for the command line only,
``$XDG_CACHE_HOME/cleaner`` or ``~/.cache/cleaner`` (as black, ruff and mypy keep
theirs). ``$CLEANER_NO_CACHE`` (any value) turns the cache off. The library alone never
writes to the home folder: ``normalize()`` and friends use the cache only when
``$CLEANER_CACHE_DIR`` asks them to.

A table is stored under a key that digests everything it is built from (the data
files' bytes, the source of the module that builds it, the Python version), and the
key is stored with it and checked on load: a changed list, a new release or another
Python reads or writes another file, and a file that does not load back (truncated,
damaged, from another Python) is built again and replaced. Writes are atomic (a
temporary file renamed into place), so concurrent workers never read a half-written
table. Any error of the file system (a read-only home, no home at all) only means the
table is built in memory, as without a cache: the cache can cost time, never a result.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

__all__ = ["folder", "load_or_build", "use_default_folder"]

T = TypeVar("T")

# Bump when the file layout below changes.
_FORMAT = b"cleaner-cache-1"
_command_line = False  # set by the CLI: use the default folder when none is given


def use_default_folder() -> None:
    """Let this process use the default cache folder (the command line does)."""
    global _command_line
    _command_line = True


def folder() -> Path | None:
    """Where tables are cached in this process, or None when they are not."""
    if os.environ.get("CLEANER_NO_CACHE"):
        return None
    explicit = os.environ.get("CLEANER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if not _command_line:
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder can be found
            return None
    return Path(base) / "cleaner"


def key(name: str, parts: Iterable[bytes]) -> str:
    """The digest of a table's name, the Python version and what it is built from."""
    digest = hashlib.sha256(_FORMAT + b"\0" + name.encode() + b"\0" + sys.version.encode())
    for part in parts:
        # length-prefixed, so that no two lists of parts digest alike
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def load_or_build(name: str, parts: Callable[[], Iterable[bytes]], build: Callable[[], T]) -> T:
    """The table ``build()`` makes, from the cache when it holds it under the key of
    ``parts()`` (the bytes it is built from), else built and stored there.

    The table must be made of what marshal stores: dicts, lists, tuples, sets, str,
    int, float. Without a cache folder, ``parts`` is never called."""
    where = folder()
    if where is None:
        return build()
    try:
        wanted = key(name, parts())
    except OSError:
        return build()
    path = where / f"{name}-{wanted[:24]}.marshal"
    found = _load(path, wanted)
    if found is not None:
        return found[0]
    table = build()
    _store(path, wanted, table)
    return table


def _load(path: Path, wanted: str) -> tuple | None:
    """(table,) when the file holds the table of key ``wanted``; None otherwise."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        stored, table = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # damaged, or another Python's format
        return None
    return (table,) if stored == wanted else None


def _store(path: Path, key: str, table: object) -> None:
    """Write the table atomically; give up quietly on any error of the file system."""
    try:
        data = marshal.dumps((key, table))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except (OSError, ValueError):  # ValueError: marshal cannot store the table
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
