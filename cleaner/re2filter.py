"""Which rules may match each line: one RE2 set search per line.

Trying every rule's ``regex`` pattern on every line is what made rule matching slow:
some fifty backtracking searches per line, each with its own timeout. RE2 (Google's
regular expression engine, through the ``google-re2`` package) matches a whole *set*
of patterns in one pass over a line, in time linear in the line, and says which of
them matched. So each rule pattern is translated into an RE2 pattern that matches a
**superset** of the lines the original matches (:func:`superset_pattern`), all of them
go into one ``re2.Set``, and the set names, per line, the few rules worth trying. Only
those then run, with the ``regex`` module and their timeout, exactly as
``RuleSet.matching`` runs them: the answer is the reference's, provided the set never
misses a rule that matches (flagging one too many only costs a try).

The translation keeps the superset property by widening what RE2 need not know:

- a character class (a set, ``\\w``, ``\\p{Lu}``...) becomes the ASCII characters the
  ``regex`` module itself says it matches (each tried once, under the case flag in
  force), plus every non-ASCII character unless the class only lists some; RE2's own
  Unicode tables and classes (its ``\\w`` is ASCII-only) never decide anything;
- lookarounds and ``\\b`` ``\\B`` are dropped: a zero-width test only narrows a match;
- atomic groups and possessive or lazy quantifiers become plain ones (same strings);
- a counted repeat past four (``{0,80}``, ``{9}``) loses its upper bound and keeps a
  lower one of four at most: a far smaller automaton.

Anything else it does not model (back-references, conditionals, fuzzy matching,
nested sets, unknown escapes...), or a translation too big for a quick automaton, leaves
the rule untranslated: RuleSet then tries it on every line, as before.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Sequence

import re2
import regex
import regex._regex as _regex_internals

__all__ = ["Re2Filter", "superset_pattern"]

_NON_ASCII = r"\x{80}-\x{10FFFF}"  # as an RE2 set item
_ASCII = [chr(code) for code in range(128)]
_CONTROL_ESCAPES = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13, "a": 7, "e": 27}
_CLASS_ESCAPES = frozenset("wWdDsSpP")  # escapes that stand for a class of characters
# RE2's memory budget for the set: its automaton and the states of its lazily built
# DFA. On news text the built-in rules' DFA grows to some 6 MB of states; under RE2's
# default budget (8 MB, of which the DFA gets part) it keeps discarding them and the
# search runs about ten times slower.
_SET_MEMORY = 64 << 20
# Counted repeats past this are widened: {0,80} becomes *, {9} becomes {4,}. Each
# counted copy is a copy of the repeated part in RE2's automaton: kept small, the
# automaton and the DFA states built from it stay small (and fast) whatever the rules.
_COUNT_LIMIT = 4
# Larger translated patterns are left out of the set (tried on every line instead,
# like the patterns it cannot translate): a DFA state holds up to one thread per
# instruction, and a set of huge patterns would make each new state slow to build.
# The built-in rules' largest is some 1,400 instructions.
_MAX_PROGRAM = 10_000
# A set holds patterns of at most this many instructions in all; more go to more sets.
_MAX_SET_PROGRAM = 100_000
# Compile flags a translation does not model.
_UNSUPPORTED_FLAGS = (
    regex.VERBOSE
    | regex.ASCII
    | regex.LOCALE
    | regex.V1
    | regex.FULLCASE
    | regex.WORD
    | regex.REVERSE
    | regex.BESTMATCH
    | regex.ENHANCEMATCH
    | regex.POSIX
)
_QUANTIFIER = regex.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_FUZZY = regex.compile(r"\{[^}]*[<=]")
_NAMED_GROUP = regex.compile(r"\(\?P?<[A-Za-z_]\w*>")
_FLAG_GROUP = regex.compile(r"\(\?([imsx]*)(?:-([imsx]+))?([:)])")
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_PUNCTUATION = frozenset(string.punctuation)


class _Unsupported(Exception):
    """The pattern holds something the translation does not model."""


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # a pattern RE2 rejects is our fallback, not an error
    return options


@functools.lru_cache(maxsize=4096)
def _program_size(source: str) -> int | None:
    """The size of the source's RE2 automaton (instructions); None when RE2 rejects it."""
    try:
        return re2.compile(source, options=_options()).programsize
    except re2.error:
        return None


def superset_pattern(pattern: regex.Pattern) -> str | None:
    """An RE2 pattern that matches (searched) every string ``pattern`` matches, and
    maybe more; None when the translation does not model the pattern."""
    if pattern.flags & _UNSUPPORTED_FLAGS:
        return None
    try:
        # The flags given to compile() (those written in the pattern are read where
        # they stand: a flag group mid-pattern holds for the rest of its group only).
        given = pattern.flags & ~regex.compile(pattern.pattern).flags
        body = _Translator(pattern.pattern, bool(given & regex.IGNORECASE)).translate()
    except (_Unsupported, ValueError, IndexError, regex.error):
        return None
    flags = "".join(
        letter
        for letter, bit in (("i", regex.IGNORECASE), ("m", regex.MULTILINE), ("s", regex.DOTALL))
        if given & bit
    )
    translated = (f"(?{flags})" if flags else "") + body
    size = _program_size(translated)
    return translated if size is not None and size <= _MAX_PROGRAM else None


class _Translator:
    """Recursive descent over one ``regex`` pattern, writing its RE2 superset."""

    def __init__(self, source: str, case_blind: bool) -> None:
        self.source = source
        self.at = 0
        self.case_blind = [case_blind]  # the case flag in force, per open group

    def translate(self) -> str:
        out = self.alternation()
        if self.at != len(self.source):
            raise _Unsupported("an unbalanced ')'")
        return out

    def alternation(self) -> str:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.sequence())
        return "|".join(branches)

    def sequence(self) -> str:
        out = []
        while self.at < len(self.source) and self.peek() not in "|)":
            atom, zero_width = self.atom()
            quantifier = self.quantifier()
            if zero_width and quantifier:
                raise _Unsupported("a quantified assertion")
            out.append(atom + quantifier)
        return "".join(out)

    def peek(self) -> str:
        return self.source[self.at : self.at + 1]

    def quantifier(self) -> str:
        char = self.peek()
        if char and char in "*+?":
            self.at += 1
            written = char
        elif char == "{":
            counted = _QUANTIFIER.match(self.source, self.at)
            if counted is None or not (counted.group(1) or counted.group(2)):
                if _FUZZY.match(self.source, self.at):
                    raise _Unsupported("fuzzy matching")
                return ""  # a literal brace, read by atom()
            self.at = counted.end()
            written = _counted(counted)
        else:
            return ""
        if self.peek() and self.peek() in "?+":
            self.at += 1  # lazy or possessive: the same strings match
        return written

    def atom(self) -> tuple[str, bool]:
        """(its RE2 text, whether it is zero-width)."""
        char, start = self.peek(), self.at
        if char == "[":
            self.skip_set()
            return self.character_class(start), False
        if char == "(":
            return self.group()
        if char == "\\":
            return self.escape(start)
        self.at += 1
        if char == "^":
            return "^", True
        if char == "$":
            # the regex module's $ also matches before a final newline, RE2's only at
            # the end: RE2's multi-line $ (before any newline) holds both
            return "(?m:$)", True
        if char == ".":
            return ".", False
        if char in "*+?":
            raise _Unsupported("a quantifier with nothing to repeat")
        return self.literal(ord(char)), False

    def escape(self, start: int) -> tuple[str, bool]:
        kind = self.source[start + 1]  # IndexError on a trailing backslash
        self.at = start + 2
        if kind in _CLASS_ESCAPES:
            if kind in "pP":
                self.skip_property_name()
            return self.character_class(start), False
        if kind in "bB":
            return "", True  # dropped: a zero-width test only narrows
        if kind in "AZz":
            return (r"\A" if kind == "A" else "(?m:$)" if kind == "Z" else r"\z"), True
        if kind in _CONTROL_ESCAPES:
            return self.literal(_CONTROL_ESCAPES[kind]), False
        if kind in "xuU":
            return self.literal(self.hex_digits(kind)), False
        if kind.isalnum() or kind == "_":
            raise _Unsupported(f"the escape \\{kind}")
        return self.literal(ord(kind)), False

    def literal(self, code: int) -> str:
        """One character; matched case-blind, with every case variant the regex module
        pairs it with (RE2's tables need not know them all: Kelvin sign, long s...)."""
        if not self.case_blind[-1]:
            return _literal(code)
        variants = _case_variants(code)
        if variants is None:  # unknown: any non-ASCII character, and ASCII ones alike
            return _character_class(regex.escape(chr(code)), True)
        if code < 128 and variants.isascii():
            return _literal(code)  # RE2 pairs ASCII letters as the regex module does
        return f"[{_items(variants)}]"

    def character_class(self, start: int) -> str:
        """The set or class escape at source[start:self.at], as an RE2 set."""
        return _character_class(self.source[start : self.at], self.case_blind[-1])

    def skip_property_name(self) -> None:
        if self.peek() == "{":
            self.at = self.source.index("}", self.at) + 1
        else:
            self.at += 1

    def hex_digits(self, kind: str) -> int:
        if kind == "x" and self.peek() == "{":
            end = self.source.index("}", self.at)
            digits, self.at = self.source[self.at + 1 : end], end + 1
        else:
            size = {"x": 2, "u": 4, "U": 8}[kind]
            digits, self.at = self.source[self.at : self.at + size], self.at + size
        return int(digits, 16)  # ValueError on bad digits

    def skip_set(self) -> None:
        """Move past the set opening at self.at (its meaning is read by the regex
        module itself, in _character_class)."""
        source, at = self.source, self.at + 1
        if source[at : at + 1] == "^":
            at += 1
        if source[at : at + 1] == "]":
            at += 1  # a ']' first in a set is literal
        while source[at] != "]":  # IndexError on an unclosed set
            if source[at] == "[":
                raise _Unsupported("a nested set or a POSIX class")
            at += 2 if source[at] == "\\" else 1
        self.at = at + 1

    def group(self) -> tuple[str, bool]:
        source, start = self.source, self.at
        if source.startswith("(?#", start):
            self.at = source.index(")", start) + 1
            return "", True
        for opener in _LOOKAROUNDS:
            if source.startswith(opener, start):
                self.at = start + len(opener)
                self.body("")  # read for its extent, then dropped: it only narrows
                return "", True
        if source.startswith("(?>", start):
            self.at = start + 3
            return self.body(""), False
        named = _NAMED_GROUP.match(source, start)
        if named:
            self.at = named.end()
            return self.body(""), False
        flagged = _FLAG_GROUP.match(source, start)
        if flagged:
            on, off = flagged.group(1), flagged.group(2) or ""
            if "x" in on + off:
                raise _Unsupported("verbose mode")
            self.at = flagged.end()
            flags = on + (f"-{off}" if off else "")
            if flagged.group(3) == ")":
                # for the rest of the enclosing group, in both engines
                self.case_blind[-1] = _case_blind_after(flags, self.case_blind[-1])
                return (f"(?{flags})" if flags else ""), True
            return self.body(flags), False
        if source.startswith("(?", start):
            raise _Unsupported("this kind of group")
        self.at = start + 1
        return self.body(""), False

    def body(self, flags: str) -> str:
        """The rest of a group, as a non-capturing RE2 group with these flags."""
        self.case_blind.append(_case_blind_after(flags, self.case_blind[-1]))
        inside = self.alternation()
        self.case_blind.pop()
        if self.peek() != ")":
            raise _Unsupported("an unclosed group")
        self.at += 1
        return f"(?{flags}:{inside})"


def _case_blind_after(flags: str, case_blind: bool) -> bool:
    """Whether matching is case-blind after the flags ``on-off`` (as ``i-s``)."""
    on, _, off = flags.partition("-")
    return True if "i" in on else False if "i" in off else case_blind


@functools.lru_cache(maxsize=4096)
def _character_class(source: str, case_blind: bool) -> str:
    """An RE2 set holding every character the class ``source`` (a set, or an escape
    such as ``\\w`` or ``\\p{Lu}``) matches: exactly its ASCII characters, as the
    regex module matches them under this case flag, and every non-ASCII character
    unless it only lists some (then those, but for case-blind matching)."""
    tester = regex.compile(f"(?{'i' if case_blind else '-i'}:{source})")
    members = "".join(char for char in _ASCII if tester.match(char))
    inside = _ascii_ranges(members)
    listed = _listed_non_ascii(source)
    if case_blind and listed is not None:
        # the case variants of every member, listed or ASCII (None: not known)
        variants = [_case_variants(ord(char)) for char in members + listed]
        listed = None if None in variants else "".join(v for v in variants if v)
        listed = listed and "".join(sorted({c for c in listed if not c.isascii()}))
    inside += _NON_ASCII if listed is None else _items(listed)
    if not inside:
        raise _Unsupported("a class that matches nothing")
    return f"[{inside}]"


def _items(chars: str) -> str:
    return "".join(_literal(ord(char)) for char in chars)


def _listed_non_ascii(source: str) -> str | None:
    """The non-ASCII characters a plain set lists (no negation, class escapes or
    ranges past ASCII); None when it may match others (then: all of them)."""
    if not source.startswith("[") or source.startswith("[^"):
        return None
    listed, at = "", 1
    while at < len(source) - 1:
        char = source[at]
        if char == "\\":
            # a class, or a character named by number (\x, \u, \N{...}, octal)
            if source[at + 1] in _CLASS_ESCAPES or source[at + 1] in "xuUN01234567":
                return None
            at += 2
            continue
        if char == "-" and at > 1 and source[at + 1] != "]" and ord(source[at + 1]) >= 128:
            return None  # a range reaching past ASCII
        if ord(char) >= 128:
            listed += char
        at += 1
    return listed


def _case_variants(code: int) -> str | None:
    """The characters the regex module's case-blind matching pairs ``chr(code)`` with,
    itself included, as its own case tables say; None where they cannot be read (the
    function is internal to the regex module)."""
    try:
        cases = _regex_internals.get_all_cases(regex.IGNORECASE | regex.UNICODE, code)
    except (AttributeError, TypeError, ValueError):
        return None
    return "".join(sorted(map(chr, {code, *cases})))


def _ascii_ranges(chars: str) -> str:
    """ASCII characters (in code order) as RE2 set items, runs written as ranges."""
    out, codes, i = [], [ord(c) for c in chars], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(_literal(codes[i]) if i == j else f"{_literal(codes[i])}-{_literal(codes[j])}")
        i = j + 1
    return "".join(out)


def _counted(counted: regex.Match) -> str:
    """``{m,n}`` as RE2 writes it: kept when small, else its upper bound dropped and its
    lower one cut to _COUNT_LIMIT (both only widen what it matches)."""
    low = int(counted.group(1) or 0)
    if not counted.group(2):
        high: int | None = low
    else:
        high = int(counted.group(3)) if counted.group(3) else None
    if high is not None and high <= _COUNT_LIMIT:
        return f"{{{low},{high}}}"
    low = min(low, _COUNT_LIMIT)
    return "*" if low == 0 else "+" if low == 1 else f"{{{low},}}"


def _literal(code: int) -> str:
    """One character as RE2 reads it literally, in a set or not."""
    char = chr(code)
    if char.isascii() and (char.isalnum() or char in " _"):
        return char
    if char in _PUNCTUATION:
        return "\\" + char
    return f"\\x{{{code:X}}}"


class Re2Filter:
    """The rules' patterns as RE2 sets: which rules may match each line.

    ``sources`` holds the RE2 pattern of each rule it covers, ``positions`` that rule's
    position in the rule list. They go into one set, or, past _MAX_SET_PROGRAM
    instructions in all or when RE2 cannot compile them together within its memory
    budget (a big user pack), into as many as it takes; a pattern it cannot compile even
    alone is flagged on every line. Pickles as ``sources`` and ``positions`` (the sets
    are built again, the same way)."""

    def __init__(self, sources: Sequence[str], positions: Sequence[int]) -> None:
        self.sources = tuple(sources)
        self.positions = tuple(positions)
        self._sets: list[tuple[re2.Set, tuple[int, ...]]] = []
        self._always: tuple[int, ...] = ()
        for chunk in _chunks(list(zip(self.sources, self.positions, strict=True))):
            self._compile(chunk)

    def _compile(self, entries: list[tuple[str, int]]) -> None:
        """Compile the (source, position) entries as one set, else in halves."""
        if not entries:
            return
        compiled = _compiled_set([source for source, _ in entries])
        if compiled is not None:
            self._sets.append((compiled, tuple(position for _, position in entries)))
        elif len(entries) == 1:
            self._always = tuple(sorted((*self._always, entries[0][1])))
        else:
            self._compile(entries[: len(entries) // 2])
            self._compile(entries[len(entries) // 2 :])

    @classmethod
    def build(cls, patterns: Sequence[regex.Pattern | None]) -> tuple[Re2Filter, list[int]]:
        """The filter of the patterns it can translate, and the positions of those it
        cannot (None entries, rules without a pattern, are neither)."""
        sources, positions, left_out = [], [], []
        for position, pattern in enumerate(patterns):
            if pattern is None:
                continue
            translated = superset_pattern(pattern)
            if translated is None:
                left_out.append(position)
            else:
                sources.append(translated)
                positions.append(position)
        return cls(sources, positions), left_out

    def __reduce__(self):
        return (Re2Filter, (self.sources, self.positions))

    def flag(self, texts: Sequence[str]) -> list[tuple[int, ...]] | None:
        """For each text, the positions of the rules whose pattern may match it, in
        order; None when the texts cannot be encoded as UTF-8 (lone surrogates)."""
        try:
            encoded = [text.encode("utf-8") for text in texts]
        except UnicodeEncodeError:
            return None
        if len(self._sets) == 1 and not self._always:  # the usual case, kept lean
            compiled, positions = self._sets[0]
            return [
                tuple(sorted(positions[index] for index in found)) if found else ()
                for found in map(compiled.Match, encoded)
            ]
        flagged: list[set[int]] = [set(self._always) for _ in encoded]
        for compiled, positions in self._sets:
            for line, found in zip(flagged, map(compiled.Match, encoded), strict=True):
                line.update(positions[index] for index in found or ())
        return [tuple(sorted(line)) for line in flagged]


def _chunks(entries: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """The (source, position) entries in runs of at most _MAX_SET_PROGRAM instructions."""
    chunks: list[list[tuple[str, int]]] = [[]]
    size = 0
    for entry in entries:
        program = _program_size(entry[0]) or _MAX_PROGRAM
        if chunks[-1] and size + program > _MAX_SET_PROGRAM:
            chunks.append([])
            size = 0
        chunks[-1].append(entry)
        size += program
    return chunks


def _compiled_set(sources: Sequence[str]) -> re2.Set | None:
    """The sources as one compiled RE2 set; None when RE2 cannot compile them."""
    options = _options()
    options.max_mem = _SET_MEMORY
    compiled = re2.Set.SearchSet(options)
    try:
        for source in sources:
            compiled.Add(source)
        compiled.Compile()
    except re2.error:
        return None
    return compiled
