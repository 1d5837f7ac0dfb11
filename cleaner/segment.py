"""Stage 4: segment a file's lines into articles.

A file is one article unless there is strong evidence of several. (The merged-file
splitter builds on this module; until then every file is a single article.)
"""

from __future__ import annotations

from .lines import Line
from .rules import Rule

__all__ = ["segment"]


def segment(lines: list[Line], matches: list[tuple[Rule, ...]]) -> list[tuple[int, int, list[str]]]:
    """Article spans as (start, end, reasons): lines[start:end] is one article."""
    if not lines:
        return []
    return [(0, len(lines), [])]
