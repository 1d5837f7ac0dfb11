"""Rule-matching helpers for the lines RE2 cannot screen (re2filter.py does the rest).

``RuleSet.matching(text)`` (rules.py) is the reference: every rule, in order, on one
line, each pattern with its own timeout. The fast path asks an RE2 set which rules may
match each line (re2filter.py); this module serves the rules whose patterns that set
cannot hold (user patterns with back-references, say) and the lines it cannot read:

- :class:`Prefilter`: the joinable patterns of a group of rules joined into one match
  (those anchored at the line start) and one search (the others): one or two regex
  calls tell whether any of those rules can match a line. A timeout means "may match":
  ``matching()`` then runs and reports the rule that timed out.
- :func:`first_char` and :class:`FirstCharIndex`: most rules are anchored at the line
  start and can only match a line whose first character is one of a few; only the rules
  a line's first character admits are tried on it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

__all__ = [
    "FirstCharIndex",
    "Prefilter",
    "PatternShape",
    "first_char",
    "pattern_shape",
]

# Patterns that cannot be joined with others at all: numbered or named back-references
# and recursion (group numbers shift once patterns are joined), conditionals, and inline
# flags anywhere but at the start (the regex module makes those global).
_NOT_COMBINABLE = regex.compile(
    r"\\[1-9]|\\g<|\(\?P[=>]|\(\?R|\(\?&|\(\?\(|\(\?\d|.\(\?[a-zA-Z]+\)"
)
_LEADING_FLAGS = regex.compile(r"^\(\?([ims]+)\)")
_ANY_FLAGS = regex.compile(r"^\(\?[a-zA-Z]+\)")


@dataclass(frozen=True, slots=True)
class PatternShape:
    """What the filters need to know about one rule pattern."""

    flags: str  # leading inline flags (subset of "ims"), scoped to the pattern's group
    body: str  # the pattern without them
    anchored: bool  # can only match at the start of a line ('^', no top-level '|')

    def group(self, extra_flags: str = "") -> str:
        flags = "".join(sorted(set(self.flags + extra_flags)))
        return f"(?{flags}:{self.body})" if flags else f"(?:{self.body})"


@functools.lru_cache(maxsize=4096)
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
    parts = _split_top_level(body)
    if parts is None:
        return None  # a set it cannot read: leave the pattern unjoined
    anchored = body.startswith("^") and "m" not in flags and len(parts) == 1
    shape = PatternShape(flags, body, anchored)
    return shape if _compiles(shape.group()) else None


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


# --- First-character analysis ------------------------------------------------------
#
# Most rules are anchored at the line start, and each can only match a line whose first
# character is one of a few (``(?i)^published...`` needs a 'p' or 'P'). ``first_char``
# reads such a pattern and returns a one-character pattern that the first character of
# every line the rule matches must match; the matcher tests each distinct first
# character once against every rule and then tries only the rules it admits. The
# analysis is conservative: anything it does not fully understand gives None, "may
# start with anything", and the rule is always tried.

_FLAG_GROUP = regex.compile(r"\(\?([ims]*)(?:-([ims]+))?:")
_QUANTIFIER = regex.compile(r"[*+?]|\{(\d*)(?:,(\d*))?\}")
_SINGLE_ESCAPES = frozenset("dDwWsShHntrfvae")
_ZERO_WIDTH_ESCAPES = frozenset("bBmM")
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
# Compile flags a plain inline-flag pattern never has; with any of them, stay out.
_UNSUPPORTED_FLAGS = (
    regex.V1
    | regex.FULLCASE
    | regex.VERBOSE
    | regex.ASCII
    | regex.LOCALE
    | regex.WORD
    | regex.REVERSE
    | regex.BESTMATCH
    | regex.ENHANCEMATCH
    | regex.POSIX
)


class _Unsure(Exception):
    """The analysis met something it does not model: the rule is always tried."""


def _read_quantifier(text: str, position: int) -> tuple[int | None, int]:
    """The least repeat count of the quantifier at ``position`` (None when there is
    none) and the position after it; a lazy or possessive mark is read with it, since it
    changes neither the count nor what can match first."""
    found = _QUANTIFIER.match(text, position)
    if found is None:
        if text.startswith("{", position):
            raise _Unsure  # a fuzzy constraint or a literal brace
        return None, position
    position = found.end()
    if text[position : position + 1] in ("?", "+"):
        position += 1
    quantifier = found.group(0)
    if quantifier in ("*", "?"):
        return 0, position
    if quantifier == "+":
        return 1, position
    return int(found[1] or 0), position


def _group_opening(text: str, i: int, ignorecase: bool, atomic: bool) -> tuple[int, bool, bool]:
    """Read the opening of the group at ``text[i]``: where its body starts, whether it
    matches case-insensitively, and whether it is a lookaround (zero width). Atomic
    groups ``(?>`` are read as plain groups when ``atomic``; any other ``(?`` form
    (conditionals, recursion, comments, global flags) raises ``_Unsure``."""
    flag_group = _FLAG_GROUP.match(text, i)
    if flag_group:
        ignorecase = (ignorecase or "i" in flag_group[1]) and "i" not in (flag_group[2] or "")
        return flag_group.end(), ignorecase, False
    if text.startswith("(?:", i) or (atomic and text.startswith("(?>", i)):
        return i + 3, ignorecase, False
    if text.startswith(("(?=", "(?!"), i):
        return i + 3, ignorecase, True
    if text.startswith(("(?<=", "(?<!"), i):
        return i + 4, ignorecase, True
    if text.startswith(("(?P<", "(?<"), i):
        close = text.find(">", i)
        if close < 0 or not text[text.index("<", i) + 1 : close].isidentifier():
            raise _Unsure
        return close + 1, ignorecase, False
    if text.startswith("(?", i):
        raise _Unsure
    return i + 1, ignorecase, False


def first_char(pattern: regex.Pattern) -> regex.Pattern | None:
    """A one-character pattern that the first character of any line ``pattern`` matches
    must match (an empty line never does); None when the analysis cannot tell.

    Only patterns whose every top-level alternative begins with ``^`` (without the
    multi-line flag) qualify: ``^`` then pins the match to the line start, so the
    first character the match consumes is the line's first character."""
    if pattern.flags & _UNSUPPORTED_FLAGS:
        return None
    source = pattern.pattern
    leading = _LEADING_FLAGS.match(source)
    flags, body = (leading.group(1), source[leading.end() :]) if leading else ("", source)
    if "m" in flags or (not leading and _ANY_FLAGS.match(source)):
        return None
    parts = _split_top_level(body)
    if not parts or not all(part.startswith("^") for part in parts):
        return None
    atoms: list[str] = []
    try:
        for part in parts:
            reader = _FirstReader(part, "i" in flags)
            part_atoms, nullable = reader.alternation(1, reader.ignorecase)
            if nullable or reader.position != len(part):
                return None  # may match the empty string: any line can match
            atoms += part_atoms
    except (_Unsure, IndexError):
        return None
    return _compile_or_none("|".join(dict.fromkeys(atoms)))


class _FirstReader:
    """Recursive descent over one pattern: the atoms that can consume its first
    character (each wrapped in its case flag), and whether it can match empty."""

    def __init__(self, text: str, ignorecase: bool) -> None:
        self.text = text
        self.ignorecase = ignorecase
        self.position = 0

    def alternation(self, start: int, ignorecase: bool) -> tuple[list[str], bool]:
        self.position = start
        atoms, nullable = self.sequence(ignorecase)
        while self.position < len(self.text) and self.text[self.position] == "|":
            self.position += 1
            more, more_nullable = self.sequence(ignorecase)
            atoms += more
            nullable = nullable or more_nullable
        return atoms, nullable

    def sequence(self, ignorecase: bool) -> tuple[list[str], bool]:
        atoms: list[str] = []
        nullable = True
        while self.position < len(self.text) and self.text[self.position] not in "|)":
            item_atoms, item_nullable = self.item(ignorecase)
            if self.quantifier_allows_zero():
                item_nullable = True
            if nullable:
                atoms += item_atoms
                nullable = item_nullable
        return atoms, nullable

    def quantifier_allows_zero(self) -> bool:
        least, self.position = _read_quantifier(self.text, self.position)
        return least == 0

    def item(self, ignorecase: bool) -> tuple[list[str], bool]:
        text, i = self.text, self.position
        char = text[i]
        if char == "\\":
            return self.escape(ignorecase)
        if char == "[":
            end = _class_end(text, i)
            if end < 0:
                raise _Unsure
            self.position = end + 1
            return [_wrap(text[i : end + 1], ignorecase)], False
        if char == "(":
            return self.group(ignorecase)
        if char in "^$":
            self.position += 1
            return [], True  # zero-width
        if char in "*+?{":
            raise _Unsure
        self.position += 1
        return [_wrap("." if char == "." else regex.escape(char), ignorecase)], False

    def escape(self, ignorecase: bool) -> tuple[list[str], bool]:
        text, i = self.text, self.position
        kind = text[i + 1]
        if kind in _ZERO_WIDTH_ESCAPES:
            self.position = i + 2
            return [], True
        if kind in "pPN" and text[i + 2 : i + 3] == "{":
            end = _escape_end(text, i)
        elif kind in _HEX_ESCAPES and text[i + 2 : i + 3] != "{":
            end = i + 2 + _HEX_ESCAPES[kind]
        elif kind == "x":
            end = _escape_end(text, i)
        elif kind in _SINGLE_ESCAPES or not (kind.isalnum() or kind == "_"):
            end = i + 2
        else:
            raise _Unsure  # back-references, \A \Z \G \K \L \X \Q, octal...
        self.position = end
        return [_wrap(text[i:end], ignorecase)], False

    def group(self, ignorecase: bool) -> tuple[list[str], bool]:
        text = self.text
        start, ignorecase, zero_width = _group_opening(text, self.position, ignorecase, True)
        atoms, nullable = self.alternation(start, ignorecase)
        if text[self.position : self.position + 1] != ")":
            raise _Unsure
        self.position += 1
        return ([], True) if zero_width else (atoms, nullable)


def _wrap(atom: str, ignorecase: bool) -> str:
    return f"(?i:{atom})" if ignorecase else f"(?-i:{atom})"


@dataclass(slots=True)
class FirstCharIndex:
    """Which analysed rules a line's first character rules out (see ``first_char``).

    ``tests`` pairs each analysed rule's position in the rule list with its first-char
    pattern. Each distinct first character is tested once against all of them; the
    answers are kept (up to ``limit`` characters, then computed afresh)."""

    tests: tuple[tuple[int, regex.Pattern], ...]
    limit: int = 4096
    _excluded: dict[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, rules: Sequence[Any]) -> FirstCharIndex:
        tests = []
        for position, rule in enumerate(rules):
            if rule.pattern is None or rule.exact:
                continue  # exact lines may start with anything
            pattern = first_char(rule.pattern)
            if pattern is not None:
                tests.append((position, pattern))
        return cls(tuple(tests))

    def excluded(self, text: str) -> frozenset[int]:
        """Positions of the analysed rules that cannot match a line starting like text."""
        char = text[:1]
        found = self._excluded.get(char)
        if found is None:
            found = frozenset(p for p, test in self.tests if not test.match(char))
            if len(self._excluded) < self.limit:
                self._excluded[char] = found
        return found
