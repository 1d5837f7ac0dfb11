"""Fast rule matching: tell cheaply which lines no rule can match.

``RuleSet.matching(text)`` (rules.py) is the reference: every rule, in order, on one
line, each pattern with its own timeout. Calling it on every line is slow, mostly for
two reasons: one regex call per rule per line, and the ``regex`` module's timeout,
which costs a few microseconds per call (it reads the process clock). This module
finds the few lines that *may* match, with few calls, and leaves the answer on those
lines to ``matching()``; every other line gets the empty answer. So the fast path gives
exactly the reference's results, provided the filters below never miss a line that
some rule matches (they may flag extra lines; that only costs time).

Two filters:

- :class:`DocumentScan`: all "document-safe" patterns joined into two patterns that run
  once over the whole document (lines joined by newlines), in multi-line mode, with one
  timeout per call. A pattern is document-safe when every way it can match a line alone
  is still a way to match at that line in the joined document: no ``\\A \\Z \\z \\G \\K``,
  no atomic groups or possessive quantifiers (they could swallow the newline and then
  refuse to give it back), and negative lookarounds only on one character that a
  newline is not (at a line's edge they then see the newline as they saw nothing).
  ``^`` and ``$`` become multi-line, so they keep meaning start and end of the line.
  Patterns that begin with ``^`` are tried only at line starts (a lazy skip over whole
  lines); the others are searched one by one: the ``regex`` module finds a lone
  pattern's required text fast, but not inside a big alternation (on the built-in
  packs, one search per pattern takes half the time of one joined search).
- :class:`Prefilter`: for patterns that are not document-safe, one combined match or
  search per line, restricted to the rules whose ``max_words`` admits the line.

Exact lines go through one set lookup per line. A timeout in a filter means "may
match": ``matching()`` then runs and reports the rule that timed out, as before.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import regex

__all__ = ["DocumentScan", "Prefilter", "PatternShape", "pattern_shape"]

# Patterns that cannot be joined with others at all: numbered or named back-references
# and recursion (group numbers shift once patterns are joined), conditionals, and inline
# flags anywhere but at the start (the regex module makes those global).
_NOT_COMBINABLE = regex.compile(
    r"\\[1-9]|\\g<|\(\?P[=>]|\(\?R|\(\?&|\(\?\(|\(\?\d|.\(\?[a-zA-Z]+\)"
)
_LEADING_FLAGS = regex.compile(r"^\(\?([ims]+)\)")
_ANY_FLAGS = regex.compile(r"^\(\?[a-zA-Z]+\)")
# One character: a set, a class escape, an escaped or a plain literal character.
_ONE_CHAR = regex.compile(
    r"\[\^?\]?(?:\\.|[^\]\\])*\]|\\[pP]\{[^}]+\}|\\[wWdDsShH]|\\.|[^\\()\[\]|*+?{}.^$]"
)
_CONTEXT_ESCAPES = frozenset("AZzGK")
_QUANTIFIER_ENDS = frozenset("*+?}")


@dataclass(frozen=True, slots=True)
class PatternShape:
    """What the filters need to know about one rule pattern."""

    flags: str  # leading inline flags (subset of "ims"), scoped to the pattern's group
    body: str  # the pattern without them
    anchored: bool  # can only match at the start of a line ('^', no top-level '|')
    document_safe: bool  # may be searched in the joined document (see module docstring)

    def group(self, extra_flags: str = "") -> str:
        flags = "".join(sorted(set(self.flags + extra_flags)))
        return f"(?{flags}:{self.body})" if flags else f"(?:{self.body})"


def pattern_shape(source: str) -> PatternShape | None:
    """The pattern's shape, or None when it cannot be joined with other patterns."""
    if _NOT_COMBINABLE.search(source):
        return None
    leading = _LEADING_FLAGS.match(source)
    if leading:
        flags, body = leading.group(1), source[leading.end() :]
    elif _ANY_FLAGS.match(source):
        return None  # other global flags (x, V1, w, f...) do not scope cleanly
    else:
        flags, body = "", source
    if not _compiles(f"(?{flags}m:{body})" if flags else f"(?m:{body})"):
        return None
    top_level_bar, document_safe = _read_pattern(body, flags)
    anchored = body.startswith("^") and "m" not in flags and not top_level_bar
    return PatternShape(flags, body, anchored, document_safe)


def _read_pattern(body: str, flags: str) -> tuple[bool, bool]:
    """(has a top-level '|', is document-safe), by one pass over the pattern text."""
    depth = 0
    top_level_bar = False
    safe = True
    lookarounds: list[tuple[int, int]] = []  # (depth, start of body) of open negative ones
    i = 0
    previous_quantifier = False
    while i < len(body):
        char = body[i]
        quantifier = False
        if char == "\\":
            if body[i + 1 : i + 2] in _CONTEXT_ESCAPES:
                safe = False
            i = _escape_end(body, i)
            previous_quantifier = False
            continue
        if char == "[":
            end = _class_end(body, i)
            if end < 0:
                return top_level_bar, False
            i = end + 1
            previous_quantifier = False
            continue
        if char == "(":
            depth += 1
            if body.startswith("(?>", i):
                safe = False
            for opener in ("(?!", "(?<!"):
                if body.startswith(opener, i):
                    lookarounds.append((depth, i + len(opener)))
        elif char == ")":
            if lookarounds and lookarounds[-1][0] == depth:
                _, start = lookarounds.pop()
                safe = safe and _one_char_not_newline(body[start:i], flags)
            depth -= 1
        elif char == "|" and depth == 0:
            top_level_bar = True
        elif char == "+" and previous_quantifier:
            safe = False  # possessive: a*+ a++ a?+ a{2}+
        elif char == "{" and body.startswith("{e", i):
            safe = False  # fuzzy matching: keep it per line
        if char in _QUANTIFIER_ENDS and not previous_quantifier:
            quantifier = True
        previous_quantifier = quantifier
        i += 1
    return top_level_bar, safe


def _alternatives(shape: PatternShape) -> list[PatternShape]:
    """The pattern's top-level alternatives, each anchored or not on its own.

    A line matches the pattern exactly when it matches one of them, so the document
    scan may try them apart: those that begin with ``^`` only at line starts (with the
    other anchored patterns), the rest searched. ``dates.updated`` is five anchored
    alternatives, not one pattern to try at every character of the document."""
    if shape.anchored or "m" in shape.flags:
        return [shape]
    parts = _split_top_level(shape.body)
    if parts is None:
        return [shape]
    return [
        PatternShape(shape.flags, part, part.startswith("^"), shape.document_safe) for part in parts
    ]


def _split_top_level(body: str) -> list[str] | None:
    """The body split at its top-level '|' (None when a set cannot be read)."""
    parts, depth, begin, i = [], 0, 0, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i = _escape_end(body, i)
            continue
        if char == "[":
            end = _class_end(body, i)
            if end < 0:
                return None
            i = end + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[begin:i])
            begin = i + 1
        i += 1
    parts.append(body[begin:])
    return parts


def _escape_end(body: str, start: int) -> int:
    """Index just past the escape at ``start`` (``\\p{Lu}``, ``\\x{263a}`` are one)."""
    if body[start + 1 : start + 2] in ("p", "P", "N", "x") and body[start + 2 : start + 3] == "{":
        close = body.find("}", start + 3)
        if close > 0:
            return close + 1
    return start + 2


def _class_end(body: str, start: int) -> int:
    """Index of the ']' closing the set opened at ``start`` (-1 when unclosed)."""
    i = start + 1
    if body[i : i + 1] == "^":
        i += 1
    if body[i : i + 1] == "]":  # a ']' first in a set is literal
        i += 1
    while i < len(body):
        if body[i] == "\\":
            i = _escape_end(body, i)
            continue
        if body[i] == "[":  # a nested set (V1) or a POSIX class: leave it per line
            return -1
        if body[i] == "]":
            return i
        i += 1
    return -1


def _one_char_not_newline(lookaround_body: str, flags: str) -> bool:
    if not _ONE_CHAR.fullmatch(lookaround_body):
        return False
    compiled = _compile_or_none(f"(?{flags}:{lookaround_body})" if flags else lookaround_body)
    return compiled is not None and compiled.match("\n") is None


def _compile_or_none(source: str) -> regex.Pattern | None:
    try:
        return regex.compile(source)
    except (regex.error, OverflowError, RecursionError):
        return None


def _compiles(source: str) -> bool:
    return _compile_or_none(source) is not None


def _join(parts: list[str]) -> regex.Pattern | None:
    return _compile_or_none("|".join(parts)) if parts else None


@dataclass(frozen=True, slots=True)
class Prefilter:
    """Whether any of a set of rules can match one line: one or two regex calls.

    ``anchored`` joins the patterns that can only match at the start of the line (one
    match at 0), ``floating`` the other joinable ones (one search); ``unfiltered`` are
    the rules whose pattern cannot be joined, to be tried one by one."""

    anchored: regex.Pattern | None
    floating: regex.Pattern | None
    unfiltered: tuple[Any, ...]

    @classmethod
    def build(cls, rules: Sequence[Any]) -> Prefilter:
        anchored: list[str] = []
        floating: list[str] = []
        unfiltered: list[Any] = []
        for rule in rules:
            if rule.pattern is None:
                continue
            shape = pattern_shape(rule.pattern.pattern)
            if shape is None:
                unfiltered.append(rule)
            else:
                (anchored if shape.anchored else floating).append(shape.group())
        anchored_re, floating_re = _join(anchored), _join(floating)
        if (anchored and anchored_re is None) or (floating and floating_re is None):
            # Every part compiles alone, so this should not happen; stay correct if it does.
            return cls(None, None, tuple(r for r in rules if r.pattern is not None))
        return cls(anchored_re, floating_re, tuple(unfiltered))

    @property
    def empty(self) -> bool:
        return self.anchored is None and self.floating is None and not self.unfiltered

    def may_match(self, text: str, timeout: float) -> bool:
        """False only when no joined pattern matches the line."""
        try:
            if self.anchored is not None and self.anchored.match(text, timeout=timeout):
                return True
            if self.floating is not None and self.floating.search(text, timeout=timeout):
                return True
        except TimeoutError:
            return True  # some pattern backtracks here: matching() finds and reports it
        return False


# Joined document patterns: skip whole lines lazily, then try the anchored alternatives
# at a line start. The group name marks where the alternatives began.
_HIT = "cleaner_line_hit"
_SKIP_LINES = r"(?:[^\n]*+\n)*?"


@dataclass(frozen=True, slots=True)
class DocumentScan:
    """The document-safe patterns of a rule set, joined to run once per document.

    ``residual`` are the rules left for the per-line Prefilter (bucketed by max_words
    by the caller); ``exact_keys`` are all exact lines of all rules. ``floating`` are
    the other document-safe patterns, searched one by one (see the module docstring):
    a line is flagged when any of them matches in it, as with one joined search."""

    anchored: regex.Pattern | None
    floating: tuple[regex.Pattern, ...]
    residual: tuple[Any, ...]
    exact_keys: frozenset[str]

    @classmethod
    def build(cls, rules: Sequence[Any]) -> DocumentScan:
        anchored: list[str] = []
        floating: list[str] = []
        residual: list[Any] = []
        for rule in rules:
            if rule.pattern is None:
                continue
            shape = pattern_shape(rule.pattern.pattern)
            if shape is None or not shape.document_safe:
                residual.append(rule)
                continue
            for part in _alternatives(shape):
                (anchored if part.anchored else floating).append(part.group("m"))
        exact_keys = frozenset(key for rule in rules for key in rule.exact)
        anchored_re = (
            _compile_or_none(f"{_SKIP_LINES}(?P<{_HIT}>{'|'.join(anchored)})") if anchored else None
        )
        floating_res = tuple(_compile_or_none(part) for part in floating)
        if (anchored and anchored_re is None) or None in floating_res:
            return cls(None, (), tuple(r for r in rules if r.pattern is not None), exact_keys)
        return cls(anchored_re, floating_res, tuple(residual), exact_keys)

    def flagged_lines(self, texts: Sequence[str], timeout: float) -> set[int] | None:
        """Indexes of the lines a joined pattern may match; None when a scan timed out."""
        document = "\n".join(texts)
        starts = [0] * len(texts)
        offset = 0
        for index, text in enumerate(texts):
            starts[index] = offset
            offset += len(text) + 1
        flagged: set[int] = set()
        try:
            if self.anchored is not None:
                self._flag_lines(self.anchored.match, document, starts, flagged, timeout, _HIT)
            for pattern in self.floating:
                self._flag_lines(pattern.search, document, starts, flagged, timeout, 0)
        except TimeoutError:
            return None
        return flagged

    @staticmethod
    def _flag_lines(
        find: Callable[..., regex.Match | None],
        document: str,
        starts: list[int],
        flagged: set[int],
        timeout: float,
        group: str | int,
    ) -> None:
        """Flag each line where a match starts; go on from the next line's start."""
        position = 0
        while True:
            found = find(document, position, timeout=timeout)
            if found is None:
                return
            line = bisect.bisect_right(starts, found.start(group)) - 1
            flagged.add(line)
            if line + 1 >= len(starts):
                return
            position = starts[line + 1]
