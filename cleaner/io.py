"""Reading and writing for the CLI: gzip by extension, binary sniffing, atomic writes,
JSON Lines records, and the text-file style (BOM, CRLF) that ``cleaner fix`` keeps.

Nothing here knows about rules; cleaner/batch.py drives it.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from .decode import BinaryInputError, decode_bytes

__all__ = [
    "AtomicFile",
    "InputError",
    "TextStyle",
    "atomic_write",
    "is_gzip",
    "iter_jsonl_chunks",
    "open_input",
    "parse_jsonl_line",
    "read_input",
    "sniff_binary",
]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
# Binary formats that may carry no NUL byte in their first bytes (decode_bytes rejects
# NULs anywhere); a scraped folder often holds the page's images and PDFs too.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data without a .gz name"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
)


class InputError(ValueError):
    """An input that cannot be cleaned; the message is one line for stderr."""


def is_gzip(path: str | Path) -> bool:
    return str(path).endswith(".gz")


def plain_name(path: str | Path) -> str:
    """The file name without a .gz suffix: page.txt.gz -> page.txt."""
    name = Path(path).name
    return name[:-3] if name.endswith(".gz") else name


def is_jsonl_name(path: str | Path) -> bool:
    return plain_name(path).endswith(JSONL_SUFFIXES)


def sniff_binary(data: bytes) -> None:
    """Raise BinaryInputError when the bytes are a known binary format."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(f"binary input ({what}); not a text file")


def _describe_os_error(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a directory, expected a file"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return exc.strerror or str(exc)


def open_input(path: str | Path) -> BinaryIO:
    """Open a file for binary reading, decompressing .gz; InputError on failure."""
    try:
        if Path(path).is_dir():
            raise IsADirectoryError(path)
        return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(_describe_os_error(exc)) from exc


def read_input(path: str | Path) -> bytes:
    """The whole (decompressed) content of a file; InputError on failure."""
    try:
        with open_input(path) as handle:
            data = handle.read()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        message = _describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        raise InputError(message) from exc
    return data


class AtomicFile:
    """A file that is either the old one or the complete new one, never half-written.

    Data goes to a temporary file in the target's folder (so the final rename stays on
    one file system); ``commit`` flushes it, fsyncs it (unless ``fsync=False``), gives
    it the original's permissions and renames it over the target in one step. ``abort``
    (or leaving a ``with`` block by an exception) removes the temporary file and leaves
    the target as it was. A ``.gz`` target is gzip-compressed (mtime 0: same input, same
    bytes).

    The rename alone makes the file atomic for every reader and against a process that
    is killed or crashes. The fsync also makes the new content reach the disk before the
    rename does, so that a power cut or a kernel crash cannot leave an empty file in
    the target's place: what a file that replaces the user's only copy needs (``fix``),
    at about 0.4 ms a file on a local disk, and several on a network file system.
    """

    def __init__(self, path: str | Path, fsync: bool = True) -> None:
        self.path = Path(path)
        self.fsync = fsync
        try:
            fd, self._tmp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
        except OSError as exc:  # name the target, not the temporary file
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc
        self._raw = os.fdopen(fd, "wb")
        self._zip = (
            gzip.GzipFile(fileobj=self._raw, mode="wb", mtime=0) if is_gzip(self.path) else None
        )
        self.handle: IO[bytes] = self._zip or self._raw

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        try:
            if self._zip is not None:
                self._zip.close()
            self._raw.flush()
            if self.fsync:
                os.fsync(self._raw.fileno())
            self._raw.close()
            with contextlib.suppress(FileNotFoundError):
                os.chmod(self._tmp, self.path.stat().st_mode & 0o7777)
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self._raw.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._tmp)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def atomic_write(path: str | Path, data: bytes, fsync: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically (see AtomicFile)."""
    with AtomicFile(path, fsync) as target:
        target.write(data)


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How a text file stores its text, so ``fix`` can write it back the same way."""

    bom: bool = False  # starts with a UTF-8 byte order mark
    crlf: bool = False  # lines end with CRLF
    utf8: bool = True  # False: decoded by the legacy fallback; fix writes UTF-8

    @classmethod
    def of(cls, data: bytes) -> TextStyle:
        bom = data.startswith(codecs.BOM_UTF8)
        body = data[3:] if bom else data
        try:
            body.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            utf8 = False
        crlf = b"\r\n" in data and data.count(b"\r\n") * 2 >= data.count(b"\n")
        return cls(bom, crlf, utf8)

    def encode(self, text: str) -> bytes:
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def decode_text_file(data: bytes) -> str:
    """Bytes of a scraped text file to str; BinaryInputError for binary data."""
    sniff_binary(data)
    return decode_bytes(data)


def iter_jsonl_chunks(
    handle: IO[bytes], max_lines: int, max_bytes: int
) -> Iterator[tuple[int, list[bytes]]]:
    """Stream a JSON Lines file as (first line number, lines) chunks of bounded size.

    Only one chunk is in memory at a time here; a line is never split.
    """
    chunk: list[bytes] = []
    size = 0
    first = 1
    for number, line in enumerate(handle, start=1):
        if not chunk:
            first = number
        chunk.append(line)
        size += len(line)
        if len(chunk) >= max_lines or size >= max_bytes:
            yield first, chunk
            chunk, size = [], 0
    if chunk:
        yield first, chunk


def parse_jsonl_line(line: bytes, text_field: str) -> tuple[dict | None, str | None]:
    """Parse one JSONL line: (record, None) or (None, why it cannot be used)."""
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"not JSON ({str(exc).split(':')[0]})"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    if text_field not in record:
        return None, f"no {text_field!r} field"
    if not isinstance(record[text_field], str):
        return None, f"the {text_field!r} field is not a string"
    return record, None


def dump_record(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"
