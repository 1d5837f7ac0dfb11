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
  packs, one search per pattern takes half the time of one joined search). Lines go by
  word count (a rule's ``max_words`` rules long lines out), and a pattern that needs one
  of a few literal strings (:func:`required_literals`) is searched only on the lines
  that hold one (anchored ones so only in groups of many lines).
- :class:`Prefilter`: for patterns that are not document-safe, one combined match or
  search per line, restricted to the rules whose ``max_words`` admits the line.

On a line a filter flags, only the candidate rules run: those whose ``max_words``
admits the line and whose first-character test (:func:`first_char`, for rules anchored
at the line start) admits its first character; :class:`FirstCharIndex` tests each
distinct first character once. A rule left out could not have matched, so the answer
is the same; on news text this cuts the rules tried on a flagged line from 44 to about 19.
A candidate rule of several flagged lines first searches them joined, once
(:func:`lines_found`), and runs per line only where that search finds something
(``RuleSet._match_flagged``): one timed regex call per rule per document instead of
one per rule per flagged line.

Exact lines go through one set lookup per line. A timeout in a filter means "may
match": ``matching()`` then runs and reports the rule that timed out, as before.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

__all__ = [
    "DocumentScan",
    "document_pattern",
    "lines_found",
    "FirstCharIndex",
    "Literals",
    "Prefilter",
    "PatternShape",
    "first_char",
    "fold_for_literals",
    "pattern_shape",
    "required_literals",
]

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
    top_level_bar, document_safe = _read_pattern(body, flags)
    anchored = body.startswith("^") and "m" not in flags and not top_level_bar
    shape = PatternShape(flags, body, anchored, document_safe)
    return shape if _multiline_compiles(shape) else None


def _multiline_compiles(shape: PatternShape) -> bool:
    """Whether the pattern compiles in multi-line form. For a document-safe anchored
    pattern, its document scan finder tells: it holds that form, so it compiles only if
    the form does, and the scan needs it compiled anyway; the form alone is then
    compiled only when first used (RuleSet._document_pattern)."""
    form = f"(?{shape.flags}m:{shape.body})" if shape.flags else f"(?m:{shape.body})"
    if shape.anchored and shape.document_safe and form == shape.group("m"):
        if _compiles(_anchored_finder(form)):
            return True
    return _compiles(form)


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


# The document scan tries anchored patterns on lines grouped by word count (see
# DocumentScan): a new group starts where the rules' max_words have ruled out at least
# this share of the previous group's anchored patterns. Fewer groups, fewer calls.
_GROUP_SHRINK = 2 / 3


# Lines a group needs before its anchored alternatives with literals are searched apart.
_APART_MIN_LINES = 32


@dataclass(frozen=True, slots=True)
class _Searched:
    """One alternative the document scan looks for on its own."""

    finder: regex.Pattern  # anchored: tried at line starts (hit in group _HIT); or searched
    anchored: bool
    literals: Literals | None  # one of which the lines it matches hold (None: any line)
    # Characters one of which those lines hold too, tested first when they are fewer than
    # the literals (one fast find each): the literals are then looked for only on the
    # lines that hold one. ``[\[(]\s*(?:AFP|Reuters|...)`` needs "[" or "(" and an
    # agency: 2 finds narrow 17 to the few lines with a bracket.
    gate: frozenset[str] | None


def _searched(part: str, anchored: bool, part_flags: int | None = None) -> _Searched:
    """``part_flags``: the flags an anchored part compiles with, when known without
    compiling it (``_part_flags``). Its finder runs, never the part alone, and the
    analysis reads only the part's text and flags: it is then not compiled. Were it
    invalid, its finder, which holds it, would not compile either (as before)."""
    if anchored and part_flags is not None:
        finder = _compile_or_none(_anchored_finder(part))
        literals = _read_source_requirement(part, part_flags, _LiteralReader)
        found = None
        if literals is not None:
            found = _read_source_requirement(part, part_flags, _CharReader)
        return _with_gate(finder, anchored, literals, None if found is None else found[0])
    plain = _compile_or_none(part)
    finder = _compile_or_none(_anchored_finder(part)) if anchored else plain
    literals = required_literals(plain) if plain is not None else None
    chars = required_chars(plain) if plain is not None and literals is not None else None
    return _with_gate(finder, anchored, literals, chars)


def _with_gate(
    finder: regex.Pattern | None,
    anchored: bool,
    literals: Literals | None,
    chars: frozenset[str] | None,
) -> _Searched:
    gate = None
    if literals is not None and chars is not None and len(chars) < _count(literals):
        gate = chars
    return _Searched(finder, anchored, literals, gate)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class DocumentScan:
    """The document-safe patterns of a rule set, joined to run once per document.

    ``scanned`` are the rules whose patterns it covers (the others are left for the
    per-line Prefilter). Anchored alternatives (beginning with ``^``) are joined into one
    pattern tried only at line starts; floating ones are searched one by one (see the
    module docstring). A line is flagged when any of them matches in it.

    Both go by *group* of lines: a rule whose ``max_words`` a line reaches cannot match
    it, so the lines of at least ``floors[g]`` spaces are joined and scanned with only
    the alternatives of the rules that admit such lines (``anchored[g]``, and likewise
    ``floating[g]`` over ``floating_floors``). Long prose lines, where a pattern costs
    most, then meet few patterns; a line may still be flagged for a rule it is too long
    for, which only costs time (the rules then run with their own max_words check)."""

    floors: tuple[int, ...]  # spaces a line of each group has at least; floors[0] == 0
    # One joined pattern per group, its source: compiled on first use (anchored_joined).
    anchored: tuple[str | None, ...]
    # The same without the alternatives that need a literal, and those apart, to be
    # searched only on the lines that hold one (see flagged_lines).
    anchored_core: tuple[regex.Pattern | None, ...]
    anchored_apart: tuple[tuple[_Searched, ...], ...]
    floating_floors: tuple[int, ...]
    floating: tuple[tuple[_Searched, ...], ...]  # the patterns searched, per group
    scanned: tuple[Any, ...]
    # The anchored patterns compiled so far, by group (see anchored_joined).
    _anchored_compiled: dict[int, regex.Pattern] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def build(cls, rules: Sequence[Any]) -> DocumentScan:
        anchored: list[tuple[str, int | None]] = []  # (alternative, its rule's max_words)
        floating: list[tuple[str, int | None]] = []
        flags: dict[str, int | None] = {}  # anchored alternative: its flags (_part_flags)
        scanned: list[Any] = []
        for rule in rules:
            if rule.pattern is None:
                continue
            shape = pattern_shape(rule.pattern.pattern)
            if shape is None or not shape.document_safe:
                continue
            scanned.append(rule)
            part_flags = _part_flags(rule.pattern, shape)
            for part in _alternatives(shape):
                found = anchored if part.anchored else floating
                found.append((part.group("m"), rule.max_words))
                if part.anchored and flags.get(part.group("m")) is None:
                    flags[part.group("m")] = part_flags
        searched = {part: _searched(part, False) for part, _ in floating}
        searched |= {part: _searched(part, True, flags[part]) for part, _ in anchored}
        core = [(part, limit) for part, limit in anchored if searched[part].literals is None]
        floors = _group_floors([limit for _, limit in anchored])
        floating_floors = _group_floors([limit for _, limit in floating])
        scan = cls(
            floors,
            tuple(_joined_anchored_source(anchored, floor) for floor in floors),
            tuple(_join_anchored(core, floor) for floor in floors),
            tuple(
                tuple(searched[p] for p in _admitted(anchored, floor) if searched[p].literals)
                for floor in floors
            ),
            floating_floors,
            tuple(tuple(searched[p] for p in _admitted(floating, f)) for f in floating_floors),
            tuple(scanned),
        )
        broken = any(s.finder is None for s in searched.values()) or any(
            pattern is None and _admitted(core, floor)
            for pattern, floor in zip(scan.anchored_core, floors, strict=True)
        )
        if broken:  # should not happen (every part compiles alone)
            return cls((0,), (None,), (None,), ((),), (0,), ((),), ())
        return scan

    def anchored_joined(self, group: int) -> regex.Pattern | None:
        """The group's joined anchored pattern, compiled on first use (None when the
        group has none, or it does not compile: never seen, as each of its alternatives
        compiles inside its finder). These are the scan's biggest patterns, two thirds
        of the rules' compile time, and each is only tried on a group of few lines: a
        document often needs some of them only. Compiling is deterministic, so threads
        that race here store equal patterns."""
        compiled = self._anchored_compiled.get(group)
        if compiled is None and self.anchored[group] is not None:
            compiled = _compile_or_none(self.anchored[group])  # type: ignore[arg-type]
            if compiled is not None:
                self._anchored_compiled[group] = compiled
        return compiled

    def flagged_lines(self, texts: Sequence[str], timeout: float) -> set[int] | None:
        """Indexes of the lines a joined pattern may match; None when a scan timed out.

        In a group of many lines, the anchored alternatives that need a literal are
        searched apart, on the lines that hold one: trying them at every line start
        costs more. In a small group, the literal look-ups would cost more."""
        flagged: set[int] = set()
        # Both groupings go by each line's spaces: count them once (when one needs them).
        grouped = len(self.floors) > 1 or len(self.floating_floors) > 1
        spaces = [text.count(" ") for text in texts] if grouped else [0] * len(texts)
        try:
            for group, indexes in enumerate(_groups(self.floors, spaces)):
                if not indexes:
                    continue
                lines = [texts[i] for i in indexes]
                apart = len(indexes) >= _APART_MIN_LINES
                joined = self.anchored_core[group] if apart else self.anchored_joined(group)
                if joined is None and not apart and self.anchored[group] is not None:
                    return None  # it does not compile: match line by line, as on a timeout
                searched = self.anchored_apart[group] if apart else ()
                self._scan(joined, searched, lines, indexes, flagged, timeout)
            for group, indexes in enumerate(_groups(self.floating_floors, spaces)):
                if indexes and self.floating[group]:
                    lines = [texts[i] for i in indexes]
                    self._scan(None, self.floating[group], lines, indexes, flagged, timeout)
        except TimeoutError:
            return None
        return flagged

    def _scan(
        self,
        joined: regex.Pattern | None,
        searched: tuple[_Searched, ...],
        texts: Sequence[str],
        indexes: Sequence[int],
        flagged: set[int],
        timeout: float,
    ) -> None:
        """Join the lines and flag (by their ``indexes``) those a pattern matches: the
        joined anchored pattern, and each searched one (on the lines that hold one of
        its literals, when it has some)."""
        document = "\n".join(texts)
        starts = _starts(texts)
        hits: set[int] = set()
        if joined is not None:
            self._flag_lines(joined.match, document, starts, hits, timeout, _HIT)
        folded: list[str] = []  # the document folded for literals, made on first use
        for pattern in searched:
            find = pattern.finder.match if pattern.anchored else pattern.finder.search
            group = _HIT if pattern.anchored else 0
            if pattern.literals is None:
                self._flag_lines(find, document, starts, hits, timeout, group)
                continue
            holding = self._lines_with_literals(pattern, document, texts, starts, folded)
            if holding:
                lines = [texts[position] for position in holding]
                found: set[int] = set()
                self._flag_lines(find, "\n".join(lines), _starts(lines), found, timeout, group)
                hits.update(holding[position] for position in found)
        flagged.update(indexes[position] for position in hits)

    @staticmethod
    def _lines_with_literals(
        pattern: _Searched,
        document: str,
        texts: Sequence[str],
        starts: list[int],
        folded: list[str],
    ) -> list[int]:
        """The lines (by position in ``texts``) holding one of the pattern's literals;
        with a gate, only those holding one of its characters are looked at (a line
        the pattern matches holds both). ``folded`` keeps the document folded."""
        literals: Literals = pattern.literals  # type: ignore[assignment]
        if pattern.gate is None:
            if literals[1] and not folded:
                folded.append(fold_for_literals(document))
            return _lines_holding(literals, document, folded[0] if folded else "", starts)
        gated = _lines_holding((pattern.gate, frozenset()), document, "", starts)
        if not gated:
            return []
        lines = [texts[position] for position in gated]
        part = "\n".join(lines)
        part_folded = fold_for_literals(part) if literals[1] else ""
        return [gated[i] for i in _lines_holding(literals, part, part_folded, _starts(lines))]

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


def _admitted(parts: list[tuple[str, int | None]], floor: int) -> list[str]:
    """The alternatives of the rules that admit a line of ``floor`` spaces or more."""
    return [part for part, limit in parts if limit is None or limit > floor]


def _groups(floors: tuple[int, ...], spaces: list[int]) -> list[Sequence[int]]:
    """The line indexes of each group (lines of at least ``floors[g]`` spaces), given
    each line's count of spaces."""
    if len(floors) == 1:
        return [range(len(spaces))]
    groups: list[list[int]] = [[] for _ in floors]
    for index, count in enumerate(spaces):
        groups[bisect.bisect_right(floors, count) - 1].append(index)
    return groups  # type: ignore[return-value]


def _group_floors(limits: list[int | None]) -> tuple[int, ...]:
    """Where the document scan's line groups begin (see DocumentScan, _GROUP_SHRINK)."""
    floors = [0]
    size = len(limits)
    for floor in sorted({limit for limit in limits if limit is not None}):
        left = sum(1 for limit in limits if limit is None or limit > floor)
        if left <= size * _GROUP_SHRINK:
            floors.append(floor)
            size = left
    return tuple(floors)


def _join_anchored(anchored: list[tuple[str, int | None]], floor: int) -> regex.Pattern | None:
    source = _joined_anchored_source(anchored, floor)
    return _compile_or_none(source) if source is not None else None


def _joined_anchored_source(anchored: list[tuple[str, int | None]], floor: int) -> str | None:
    parts = _admitted(anchored, floor)
    return _anchored_finder("|".join(parts)) if parts else None


def _anchored_finder(alternatives: str) -> str:
    """The pattern that tries the alternatives at line starts only (hit in group _HIT)."""
    return f"{_SKIP_LINES}(?P<{_HIT}>{alternatives})"


def _part_flags(pattern: regex.Pattern, shape: PatternShape) -> int | None:
    """The flags each top-level alternative of the pattern compiles with, written as
    ``shape`` groups it (``PatternShape.group``), when the pattern's own flags tell:
    None otherwise.

    A pattern compiles with the default flags plus those its inline global flag groups
    set, and an alternative holds no group the pattern lacks. The leading flags, global
    in the pattern, are scoped in the alternative's group (which holds all of it). So
    when the pattern has no flags but the default and its leading ones, each
    alternative has the default flags."""
    leading = 0
    for letter in shape.flags:
        leading |= _FLAG_BITS[letter]
    default = regex.compile("").flags  # the module's cache: no parse after the first
    return default if pattern.flags & ~leading == default else None


_FLAG_BITS = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL}


def document_pattern(pattern: regex.Pattern) -> regex.Pattern | None:
    """The pattern in multi-line form, to search a document of joined lines for the
    lines it may match (None when it is not document-safe: see the module docstring)."""
    shape = pattern_shape(pattern.pattern)
    if shape is None or not shape.document_safe:
        return None
    return _compile_or_none(shape.group("m"))


def lines_found(pattern: regex.Pattern, texts: Sequence[str], timeout: float) -> set[int]:
    """Positions of the texts, joined by newlines, where a match of ``pattern`` starts
    (a superset of the texts it matches alone when it is a ``document_pattern``).
    Raises TimeoutError."""
    starts = [0] * len(texts)
    offset = 0
    for position, text in enumerate(texts):
        starts[position] = offset
        offset += len(text) + 1
    found: set[int] = set()
    DocumentScan._flag_lines(pattern.search, "\n".join(texts), starts, found, timeout, 0)
    return found


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


# --- Required literals --------------------------------------------------------------
#
# A floating pattern is searched over the whole document, at every position; the regex
# module does that slowly when the pattern begins with a set or a class
# (``(?:[/—–|]|\s-\s)\s*(?:AFP|Reuters|...)``). ``required_literals`` reads a pattern
# for a set of ASCII strings one of which every match contains (``AFP``, ``Reuters``...):
# the scan then searches only the lines that hold one. The analysis is conservative:
# anything it does not fully understand gives None, "no requirement", and the pattern
# is searched everywhere. Case-insensitive literals are compared lower-cased against
# the line folded by ``fold_for_literals``.

# Non-ASCII letters that the regex module's case-insensitive matching may pair with an
# ASCII letter (Kelvin sign, long s, dotted and dotless i): folded to it first.
_TO_ASCII_CHARS = "\u212a\u017f\u0130\u0131"
_TO_ASCII_CASE = str.maketrans(dict(zip(_TO_ASCII_CHARS, "ksii", strict=True)))


def fold_for_literals(text: str) -> str:
    """The text as case-insensitive required literals are looked for in it. Every
    character maps to one character, so a match's characters stay contiguous."""
    if any(char in text for char in _TO_ASCII_CHARS):  # rare: translate() is slow
        text = text.translate(_TO_ASCII_CASE)
    return text.lower()


Literals = tuple[frozenset[str], frozenset[str]]  # (case-sensitive, lower-cased)


def _lines_holding(literals: Literals, document: str, folded: str, starts: list[int]) -> list[int]:
    """The lines of the joined document (``folded``: it folded for literals, or "" when
    no literal is case-insensitive) that hold one of the literals, in order. Folding
    keeps every character's offset."""
    found: set[int] = set()
    for text, group in ((document, literals[0]), (folded, literals[1])):
        for literal in group:
            at = text.find(literal)
            while at >= 0:
                line = bisect.bisect_right(starts, at) - 1
                found.add(line)
                if line + 1 >= len(starts):
                    break
                at = text.find(literal, starts[line + 1])
    return sorted(found)


def _count(literals: Literals) -> int:
    return len(literals[0]) + len(literals[1])


def _starts(texts: Sequence[str]) -> list[int]:
    """Where each text begins in the texts joined by newlines."""
    starts = [0] * len(texts)
    offset = 0
    for position, text in enumerate(texts):
        starts[position] = offset
        offset += len(text) + 1
    return starts


def required_literals(pattern: regex.Pattern) -> Literals | None:
    """Strings one of which every match of the pattern contains, or None when the
    analysis cannot tell (see above). Case-insensitive ones come lower-cased."""
    return _read_requirement(pattern, _LiteralReader)


def required_chars(pattern: regex.Pattern) -> frozenset[str] | None:
    r"""Punctuation or symbol characters one of which every match of the pattern
    contains, compared as they are (case plays no part); None when the analysis cannot
    tell or the pattern needs none. Few such characters are cheaper to look for than
    many literals (``[/—–|]|\s-\s`` needs one of ``/ — – | -``), and in prose most
    lines hold none (letters and digits would be in most lines: never chosen)."""
    found = _read_requirement(pattern, _CharReader)
    return None if found is None else found[0]


def _read_requirement(
    pattern: regex.Pattern, reader_class: type[_LiteralReader]
) -> Literals | None:
    return _read_source_requirement(pattern.pattern, pattern.flags, reader_class)


def _read_source_requirement(
    source: str, compiled_flags: int, reader_class: type[_LiteralReader]
) -> Literals | None:
    """``_read_requirement`` of the pattern ``source`` compiles to, given the flags it
    compiles with: the analysis reads nothing else of the compiled pattern."""
    if compiled_flags & _UNSUPPORTED_FLAGS:
        return None
    leading = _LEADING_FLAGS.match(source)
    flags, body = (leading.group(1), source[leading.end() :]) if leading else ("", source)
    if not leading and _ANY_FLAGS.match(source):
        return None
    reader = reader_class(body)
    try:
        found = reader.alternation("i" in flags or bool(compiled_flags & regex.IGNORECASE))
    except (_Unsure, IndexError, ValueError):
        return None
    if found is None or reader.position != len(body):
        return None
    return found


def _better(current: Literals | None, other: Literals | None) -> Literals | None:
    """The more selective requirement: the one whose shortest string is longer."""
    if other is None:
        return current
    if current is None:
        return other
    return other if _shortest(other) > _shortest(current) else current


def _shortest(literals: Literals) -> int:
    return min(len(s) for group in literals for s in group)


class _LiteralReader:
    """Recursive descent over a pattern for its required literals (see above)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def alternation(self, ignorecase: bool) -> Literals | None:
        branches = [self.sequence(ignorecase)]
        while self.position < len(self.text) and self.text[self.position] == "|":
            self.position += 1
            branches.append(self.sequence(ignorecase))
        if any(branch is None for branch in branches):
            return None  # some branch needs no literal: neither does the whole
        exact = frozenset().union(*(b[0] for b in branches))  # type: ignore[index]
        folded = frozenset().union(*(b[1] for b in branches))  # type: ignore[index]
        return exact, folded

    def sequence(self, ignorecase: bool) -> Literals | None:
        best: Literals | None = None
        run: list[str] = []
        run_case: bool | None = None  # whether the run is case-insensitive

        def close_run() -> None:
            nonlocal best, run_case
            if run:
                text = "".join(run)
                best = _better(
                    best,
                    (frozenset(), frozenset({text}))
                    if run_case
                    else (frozenset({text}), frozenset()),
                )
            run.clear()
            run_case = None

        while self.position < len(self.text) and self.text[self.position] not in "|)":
            char, found, case = self.item(ignorecase)
            least = self.quantifier_minimum()
            if char is not None and least is None and run_case in (None, case):
                run.append(char)
                run_case = case
                continue
            close_run()
            if char is not None and least is None:
                run.append(char)
                run_case = case
            elif char is not None and least:
                best = _better(
                    best,
                    (frozenset(), frozenset({char})) if case else (frozenset({char}), frozenset()),
                )
            elif found is not None and (least is None or least >= 1):
                best = _better(best, found)
        close_run()
        return best

    def quantifier_minimum(self) -> int | None:
        """The least repeat count of the quantifier here (None when there is none)."""
        least, self.position = _read_quantifier(self.text, self.position)
        return least

    def item(self, ignorecase: bool) -> tuple[str | None, Literals | None, bool]:
        """(a literal character, or the requirement of a group, and the case flag)."""
        text, i = self.text, self.position
        char = text[i]
        if char == "\\":
            kind = text[i + 1]
            if not kind.isascii() or not (kind.isalnum() or kind == "_"):
                self.position = i + 2  # an escaped character: itself
                return _literal(kind, ignorecase), None, ignorecase
            if kind in _SINGLE_ESCAPES or kind in _ZERO_WIDTH_ESCAPES or kind in "AZzGK":
                self.position = i + 2  # a class, a control character or zero-width
                return None, None, ignorecase
            if kind in "pPN" and text[i + 2 : i + 3] == "{":
                self.position = _escape_end(text, i)
                return None, None, ignorecase
            raise _Unsure  # \x \u escapes, back-references, octal, \Q...
        if char == "[":
            end = _class_end(text, i)
            if end < 0:
                raise _Unsure
            self.position = end + 1
            return None, None, ignorecase
        if char == "(":
            return None, self.group(ignorecase), ignorecase
        if char in "*+?{":
            raise _Unsure
        self.position += 1
        if char in ".^$":
            return None, None, ignorecase
        return _literal(char, ignorecase), None, ignorecase

    def group(self, ignorecase: bool) -> Literals | None:
        text = self.text
        start, ignorecase, zero_width = _group_opening(text, self.position, ignorecase, False)
        self.position = start
        found = self.alternation(ignorecase)
        if text[self.position : self.position + 1] != ")":
            raise _Unsure
        self.position += 1
        return None if zero_width else found


def _literal(char: str, ignorecase: bool) -> str | None:
    """The character as a required literal (ASCII only), lower-cased when ignorecase."""
    if not char.isascii() or not char.isprintable():
        return None  # a newline would let a literal span two joined lines
    return char.lower() if ignorecase else char


class _CharReader(_LiteralReader):
    """The same descent for ``required_chars``: each required item that is one gate
    character (``_gate_chars``) or a set of only such characters is a candidate; a
    sequence keeps the candidate with the fewest characters."""

    def sequence(self, ignorecase: bool) -> Literals | None:
        best: Literals | None = None
        while self.position < len(self.text) and self.text[self.position] not in "|)":
            _, found, _ = self.item(ignorecase)
            least = self.quantifier_minimum()
            if found is not None and (least is None or least >= 1):
                if best is None or len(found[0]) < len(best[0]):
                    best = found
        return best

    def item(self, ignorecase: bool) -> tuple[str | None, Literals | None, bool]:
        text, i = self.text, self.position
        char = text[i]
        if char == "\\":
            kind = text[i + 1]
            if kind.isascii() and (kind.isalnum() or kind == "_"):
                return super().item(ignorecase)  # a class, zero-width, or unsure
            self.position = i + 2  # an escaped character: itself
            return None, _gate_chars(kind, ignorecase), ignorecase
        if char == "[":
            end = _class_end(text, i)
            if end < 0:
                raise _Unsure
            self.position = end + 1
            return None, _gate_chars(_set_members(text[i + 1 : end]), ignorecase), ignorecase
        if char in "(*+?{":
            return super().item(ignorecase)
        self.position += 1
        if char in ".^$":
            return None, None, ignorecase
        return None, _gate_chars(char, ignorecase), ignorecase


def _set_members(body: str) -> str:
    """The characters of a set's body (between its brackets) when it lists only plain
    or escaped characters; "" when it holds anything else (a negation, a range, a
    class escape): such a set gives no gate."""
    members = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            kind = body[i + 1 : i + 2]
            if not kind or (kind.isascii() and (kind.isalnum() or kind == "_")):
                return ""
            members.append(kind)
            i += 2
            continue
        if char in "^-[":  # a negation or a range (and a leading or trailing "-")
            return ""
        members.append(char)
        i += 1
    return "".join(members)


def _gate_chars(chars: str, ignorecase: bool) -> Literals | None:
    """The characters as a gate (see ``required_chars``), or None unless each is a
    printable character that is not a letter, digit, "_" or space, and (under
    ignorecase, where the regex module may pair characters with other cases) ASCII."""
    if not chars:
        return None
    for char in chars:
        if char.isalnum() or char == "_" or char.isspace() or not char.isprintable():
            return None
        if ignorecase and not char.isascii():
            return None
    return frozenset(chars), frozenset()
