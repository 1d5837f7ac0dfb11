"""Stage 1: decode bytes and repair text.

Bytes are decoded with the BOM if there is one, then as UTF-8, then with a legacy
fallback (cp1252, the encoding scraped Western pages use when they are not UTF-8).
Decoding never raises: bytes that cp1252 leaves undefined map through latin-1.

Repair then fixes what scrapers commonly break, line by line and only where a line
shows a symptom (ftfy is slow and most lines are clean; the fast path does the cheap
steps once per document):
- mojibake (UTF-8 read as cp1252/latin-1) and HTML entities, with ftfy, keeping curly
  quotes, dashes and ellipses as they are;
- NBSP and other odd spaces fold to a plain space;
- control characters, zero-width space, word joiner, BOM and soft hyphen go away
  (ZWNJ/ZWJ stay: Persian and Indic scripts need them);
- CRLF and CR become LF; the result is NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy
import regex

__all__ = ["BinaryInputError", "decode_bytes", "repair_text", "to_text"]


class BinaryInputError(ValueError):
    """The input looks like a binary file (NUL bytes), not text."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# ftfy settings: repair encoding and entities, but leave typography and widths alone
# so that clean text in any script comes out unchanged.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=True,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization="NFC",
    explain=False,
)

# A line can only hold UTF-8 mojibake if a character of the UTF-8 lead-byte range
# (U+00C2..U+00F4 once misread) is followed by one from the continuation-byte range
# (U+0080..U+00BF or its cp1252 twins). Entities need '&'. Other lines skip ftfy.
_CP1252_HIGH = (
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019"
    "\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_ENTITY = "&(?:#\\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
# A mojibake pair, alone: the regex module finds a two-character set pattern about ten
# times faster than the stdlib re (it skips ahead to the first set), and an entity
# needs a '&', which str's own search finds faster still. Together they are the symptom
# test (_needs_ftfy), which reads every character of the input.
_MOJIBAKE_PAIR = regex.compile("[\u00c2-\u00f4][\u0080-\u00bf" + _CP1252_HIGH + "]")
_ENTITY_FOUND = re.compile(_ENTITY)

# These two are plain character sets that are rarely found; for them the stdlib re
# module is 3-5x faster than the regex module.
# Spaces other than U+0020 that fold to one (tab, NBSP, the U+2000 family, ideographic).
_ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters that carry no text: C0/C1 controls (but tab/newline), zero-width
# space, word joiner, BOM, soft hyphen, bidi-neutral invisible operators.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u2060-\u2064\ufeff]")


def decode_bytes(data: bytes) -> str:
    """Decode bytes to str: BOM, then UTF-8, then cp1252 (latin-1 for undefined bytes)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if b"\x00" in data:
        raise BinaryInputError("binary input (NUL bytes); not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="cp1252_latin1")


def _cp1252_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) as latin-1."""
    chunk = error.object[error.start : error.end]
    return chunk.decode("latin-1"), error.end


codecs.register_error("cp1252_latin1", _cp1252_latin1)


# ftfy undoes one layer at a time ("&amp;amp;" -> "&amp;"), and removing an invisible
# character can bring two mojibake halves together; repeating until nothing changes makes
# repair idempotent. A clean line costs one pass; every change shortens the line.
_MAX_PASSES = 8


def _needs_ftfy(text: str) -> bool:
    """Whether the text shows a symptom ftfy repairs: a mojibake pair or an entity."""
    if _MOJIBAKE_PAIR.search(text) is not None:
        return True
    return "&" in text and _ENTITY_FOUND.search(text) is not None


def _repair_once(line: str) -> str:
    if _needs_ftfy(line):
        line = ftfy.fix_text(line, _FTFY_CONFIG)
    return _fold_document(line)


def repair_line(line: str) -> str:
    """Repair one line (no newline inside): encoding, entities, spaces, invisibles."""
    for _ in range(_MAX_PASSES):
        fixed = _repair_once(line)
        if fixed == line:
            break
        line = fixed
    return line


def repair_text(text: str, fast: bool = True) -> str:
    """Repair a whole text; line ends become LF. Idempotent.

    ``fast`` (the default) does the per-line work once for the whole document and
    visits single lines only where the document shows a mojibake or entity symptom;
    ``fast=False`` is the plain reference path, line by line. Both give the same text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # U+2028/U+2029 are line and paragraph separators: treat them as line ends.
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    if fast:
        return _repair_document(text)
    return "\n".join(repair_line(line) for line in text.split("\n"))


def _fold_document(text: str) -> str:
    """One pass of the symptom-free repair steps over a whole document.

    None of the character classes holds a newline and NFC never composes across one,
    so this equals the same steps applied line by line."""
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def _repair_document(text: str) -> str:
    """repair_line on every line, with the work done per document where it can be.

    A line with no ftfy symptom before or after folding reaches repair_line's fixed
    point in one fold (folding and NFC are idempotent and create no new invisible or odd
    space), so it is taken from the folded document; only symptomatic lines (mojibake,
    entities: rare) go through repair_line one by one."""
    folded = _fold_document(text)
    # re.sub and NFC hand back the very same object when nothing changed: no need to
    # look for symptoms a second time then.
    if not _needs_ftfy(text) and (folded is text or not _needs_ftfy(folded)):
        return folded
    raw_lines = text.split("\n")
    folded_lines = folded.split("\n")
    return "\n".join(
        repair_line(raw) if _needs_ftfy(raw) or _needs_ftfy(done) else done
        for raw, done in zip(raw_lines, folded_lines, strict=True)
    )


def to_text(data: str | bytes) -> str:
    """Decode (if bytes) and repair."""
    if isinstance(data, bytes | bytearray | memoryview):
        data = decode_bytes(bytes(data))
    return repair_text(data)
