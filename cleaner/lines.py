"""Stage 2: split repaired text into lines, the unit every later stage works on.

A scraped file holds one block per line. Each non-empty line is a paragraph candidate;
blank lines only separate. A line that held only invisible characters or NBSP in the
raw input (a "spacer") is blank after repair, but its position is kept because
layouts use spacer runs between a caption and the story body.

A line longer than ``MAX_LINE_CHARS`` (a 100 MB file with no newline, a minified blob)
is not a paragraph anyone can read: it is passed through exactly as it came (no repair,
no whitespace folding) and marked ``passthrough`` so that no rule ever runs on it. That
bounds the cost of repair and of every rule pattern per line, and keeps ``normalize``
idempotent (the same line is passed through again, unchanged).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

__all__ = ["MAX_LINE_CHARS", "Line", "is_passthrough", "split_lines"]

MAX_LINE_CHARS = 1_000_000

_SPACE_RUN = regex.compile(r" {2,}")


@dataclass(slots=True)
class Line:
    """One non-empty line of the input, with what the stages learned about it."""

    number: int  # 1-based line number in the repaired input
    text: str  # stripped, inner space runs collapsed
    blank_before: int = 0  # blank lines between this line and the previous non-empty one
    spacers_before: int = 0  # how many of those were spacer lines (NBSP-only in the raw)
    rule: str | None = None  # id of the rule that removed it, None while kept
    meta: dict[str, str] = field(default_factory=dict)  # metadata a rule pulled from it
    passthrough: bool = False  # longer than MAX_LINE_CHARS: kept as is, never matched
    score: float | None = None  # the classifier's content score when it dropped the line

    @property
    def kept(self) -> bool:
        return self.rule is None


def is_passthrough(raw: str) -> bool:
    """Is this raw line too long to repair and match (see MAX_LINE_CHARS)?"""
    return len(raw) > MAX_LINE_CHARS


def clean_line(raw: str) -> str:
    """Strip a line and collapse inner runs of spaces (repair already folded odd spaces)."""
    line = raw.strip()
    if "  " in line:
        line = _SPACE_RUN.sub(" ", line)
    return line


def split_lines(text: str, raw_text: str | None = None) -> list[Line]:
    """Split repaired text into non-empty Lines; count blanks and spacers before each.

    ``raw_text`` is the text before repair, used only to tell spacer lines (non-empty
    before repair) from truly empty ones; it must have the same line count.
    """
    raw_lines = raw_text.split("\n") if raw_text is not None else None
    if raw_lines is not None and len(raw_lines) != text.count("\n") + 1:
        raw_lines = None  # repair changed the line count (an entity for a newline)
    lines: list[Line] = []
    blanks = spacers = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        if is_passthrough(raw):
            lines.append(Line(number, raw, blanks, spacers, passthrough=True))
            blanks = spacers = 0
            continue
        line = clean_line(raw)
        if not line:
            blanks += 1
            if raw_lines is not None and raw_lines[number - 1].strip(" \t\r"):
                spacers += 1
            continue
        lines.append(Line(number, line, blanks, spacers))
        blanks = spacers = 0
    return lines
