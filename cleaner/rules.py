"""Stage 3a: rule packs — load, validate and compile the rules kept as data in rules/.

A pack is a TOML file::

    [pack]
    id = "comments"
    description = "Comment widgets and the readers' comments that follow them."
    order = 30                      # packs are tried in this order, then by file name

    [[rule]]
    id = "comments.count"           # unique across all packs; what --explain prints
    description = "A comment counter such as '3 Comment(s)'."
    kind = "drop-rest"              # drop | drop-rest | drop-list | meta | repeated-*
    pattern = '(?i)^\\d+\\s+comments?(?:\\(s\\))?$'   # `regex` syntax, searched per line
    exact = ["Leave a Comment"]     # and/or whole lines, compared case-insensitively
    max_words = 12                  # optional: only lines of at most this many words
    where = "any"                   # any | head | body | last (see engine.py)
    field = "byline"                # meta rules: the record field the named group
                                    #   (?P<value>...) fills; parse = "date" for dates
    examples.match = ["3 Comment(s)"]   # lines (for structural kinds, whole documents)
    examples.keep = ["Readers left 3 comments on the story."]  # that must survive

Kinds:
- ``drop``: remove the line.
- ``drop-rest``: remove the line and everything after it to the article's end
  (comment sections: the readers' comments follow the widget header).
- ``drop-list``: remove the line and the headline-shaped lines after it, up to the next
  prose line (the list under a "Related Stories" heading).
- ``meta``: pull a metadata field out of the line, then remove the line.
- ``repeated-title`` / ``repeated-line``: structural, no pattern: remove a line that
  repeats the title / an earlier line of the same article (repeated titles, captions).
- ``caption-slot``: structural, no pattern: remove the single line that sits between the
  title and a run of spacer lines (the photo caption slot of news-roll layouts).

User packs are loaded the same way; a bad pattern is rejected at load with the rule id,
and every pattern runs with a timeout so a catastrophic one cannot stall a batch.
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import regex

from .matching import FirstCharIndex, Prefilter
from .re2filter import Re2Filter

__all__ = ["Rule", "RuleError", "RuleSet", "load_rules", "builtin_pack_paths"]

STRUCTURAL_KINDS = frozenset({"repeated-title", "repeated-line", "repeated-short", "caption-slot"})
KINDS = frozenset({"drop", "drop-rest", "drop-list", "meta"}) | STRUCTURAL_KINDS
WHERES = frozenset({"any", "head", "body", "last"})
META_FIELDS = frozenset({"byline", "published", "credit", "title"})
RULE_KEYS = frozenset(
    {
        "id",
        "description",
        "kind",
        "pattern",
        "exact",
        "max_words",
        "where",
        "field",
        "parse",
        "examples",
    }
)
# Seconds one pattern may spend on one line before it is abandoned and the line kept.
PATTERN_TIMEOUT = 0.05


class RuleError(ValueError):
    """A rule pack that cannot be loaded; the message names the pack and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    description: str
    kind: str
    pack: str
    pattern: regex.Pattern | None = None
    exact: frozenset[str] = frozenset()
    max_words: int | None = None
    where: str = "any"
    field: str | None = None
    parse: str | None = None
    match_examples: tuple[str, ...] = ()
    keep_examples: tuple[str, ...] = ()

    @property
    def is_line_rule(self) -> bool:
        return self.kind not in STRUCTURAL_KINDS

    def matches(self, text: str) -> regex.Match | bool | None:
        """Does the line text match this rule (ignoring position)? Raises TimeoutError."""
        if self.max_words is not None and text.count(" ") >= self.max_words:
            return None
        if self.exact and exact_key(text) in self.exact:
            return True
        if self.pattern is not None:
            return self.pattern.search(text, timeout=PATTERN_TIMEOUT)
        return None

    def value(self, text: str) -> str | None:
        """For meta rules: the value of the named group (or the whole line)."""
        found = self.pattern.search(text, timeout=PATTERN_TIMEOUT) if self.pattern else None
        if found is None:
            return text.strip() if self.exact and exact_key(text) in self.exact else None
        if "value" in found.groupdict() and found.group("value") is not None:
            return found.group("value").strip()
        return found.group(0).strip()


def exact_key(text: str) -> str:
    """The key under which whole-line rules compare lines: casefolded, no end punctuation."""
    return _exact_stem(text).casefold()


def _exact_stem(text: str) -> str:
    return text.strip().rstrip(" .:!|»›>")


@dataclass(slots=True)
class RuleSet:
    """All rules in the order they are tried, plus the timeouts seen while matching."""

    rules: list[Rule]
    disabled: frozenset[str] = frozenset()
    timeouts: list[tuple[str, str]] = field(default_factory=list)  # (rule id, line)
    line_rules: list[Rule] = field(init=False)
    structural: dict[str, Rule] = field(init=False)
    _limits: list[int] = field(init=False)  # the distinct max_words, sorted
    _prefilters: dict[tuple[bool, int], Prefilter] = field(init=False)  # built on first use
    # Per (max_words bucket, rules the first character rules out): the rules that may
    # match such a line, in order (see _candidates).
    _candidates_by_key: dict[tuple[int, frozenset[int]], tuple[Rule, ...]] = field(init=False)
    _first: FirstCharIndex = field(init=False)
    _residual: tuple[Rule, ...] = field(init=False)  # pattern rules the filter leaves out
    _filter: Re2Filter = field(init=False)  # which rules may match a line (re2filter.py)
    _positions: dict[int, int] = field(init=False)  # id() of a line rule: its position
    # The exact lines of all line rules (exact_key), each with its rules' positions.
    _exact_positions: dict[str, tuple[int, ...]] = field(init=False)
    _exact_longest: int = field(init=False)  # the length of the longest of them

    def __post_init__(self) -> None:
        active = [r for r in self.rules if r.id not in self.disabled]
        self.line_rules = [r for r in active if r.is_line_rule]
        self.structural = {r.kind: r for r in active if not r.is_line_rule}
        self._limits = sorted({r.max_words for r in self.line_rules if r.max_words})
        self._prefilters = {}
        self._candidates_by_key = {}
        self._exact_positions = {}
        for position, rule in enumerate(self.line_rules):
            for key in rule.exact:
                self._exact_positions[key] = (*self._exact_positions.get(key, ()), position)
        self._exact_longest = max(map(len, self._exact_positions), default=-1)
        self._first = FirstCharIndex.build(self.line_rules)
        self._filter, left_out = Re2Filter.build([rule.pattern for rule in self.line_rules])
        self._residual = tuple(self.line_rules[position] for position in left_out)
        self._positions = {id(rule): i for i, rule in enumerate(self.line_rules)}

    def compile_all(self) -> None:
        """Build now what is otherwise built on first use: the per-line prefilters of
        the rules the RE2 set leaves out (user patterns it cannot hold), one per
        max_words bucket. The batch calls it before it forks its workers, which then
        inherit them built."""
        for bucket in range(len(self._limits) + 1):
            self._prefilter_for(self._limits[bucket - 1] if bucket else 0, residual_only=True)

    @property
    def unscreened(self) -> frozenset[str]:
        """Ids of the line rules whose pattern the RE2 set cannot hold (re2filter.py): a
        back-reference, say. They are tried on every line, at a regex search each."""
        return frozenset(rule.id for rule in self._residual)

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def matching(self, text: str) -> tuple[Rule, ...]:
        """Every active line rule that matches the text, in order. Never raises."""
        return self._matching_among(self.line_rules, text)

    def _matching_among(self, rules: Sequence[Rule], text: str) -> tuple[Rule, ...]:
        """The rules (a subsequence of line_rules) that match the text, in order."""
        found = []
        for rule in rules:
            try:
                if rule.matches(text):
                    found.append(rule)
            except TimeoutError:
                # A pathological pattern: keep the line (removing content is worse than
                # leaving chrome) and report the event.
                self.timeouts.append((rule.id, text[:80]))
        return tuple(found)

    def matching_fast(self, text: str) -> tuple[Rule, ...]:
        """Same answer as matching(), cheaper: only the rules the RE2 set flags on the
        line (re2filter.py), and those it leaves out, are tried."""
        flagged = self._filter.flag([text])
        if flagged is None:  # not UTF-8 encodable (a lone surrogate)
            return self._match_prefiltered(text)
        return self._match_flagged_rules(text, flagged[0])

    def _match_prefiltered(self, text: str) -> tuple[Rule, ...]:
        """matching() through the per-line prefilters alone, for a line the RE2 set
        cannot read: one lookup in the exact-line index and one or two searches of the
        joined patterns tell whether any rule can match; only then are the candidate
        rules tried in order (see _candidates)."""
        if self._exact_rules(text):
            return self._matching_among(self._candidates(text), text)
        return self._match_residual(text, residual_only=False)

    def match_lines(self, texts: Iterable[str], fast: bool = True) -> list[tuple[Rule, ...]]:
        """matching() for each line of one document, in order.

        ``fast`` (the default) asks the RE2 set which rules may match each line and
        tries only those (re2filter.py); same results."""
        texts = list(texts)
        if not fast:
            return [self.matching(text) for text in texts]
        flagged_rules = self._filter.flag(texts)
        if flagged_rules is None:  # not UTF-8 encodable (lone surrogates): line by line
            return [self._match_prefiltered(text) for text in texts]
        return list(map(self._match_flagged_rules, texts, flagged_rules))

    def _match_flagged_rules(self, text: str, positions: tuple[int, ...]) -> tuple[Rule, ...]:
        """matching() on one line, given the rules the filter flags on it (positions in
        line_rules): only those are tried, and the rules it leaves out (_residual)."""
        exact = self._exact_rules(text)
        if exact:
            positions = tuple(sorted({*positions, *exact}))
        rules = self.line_rules
        found = self._matching_among([rules[p] for p in positions], text) if positions else ()
        if self._residual:
            more = self._match_residual(text, residual_only=True)
            if more:
                found = tuple(sorted(found + more, key=lambda r: self._positions[id(r)]))
        return found

    def _exact_rules(self, text: str) -> tuple[int, ...]:
        """The positions (in line_rules) of the rules that have the text as an exact
        line. Casefolding never shortens a text: a line whose stem is longer than the
        longest key is none (prose paragraphs skip the casefolded copy)."""
        stem = _exact_stem(text)
        if len(stem) > self._exact_longest:
            return ()
        return self._exact_positions.get(stem.casefold(), ())

    def _candidates(self, text: str) -> tuple[Rule, ...]:
        """The line rules that may match the text, in order: those whose ``max_words``
        admits it and whose first-character test (matching.first_char) admits its first
        character. Both depend on few things (how many limits the line exceeds, which
        tests its first character fails), so the answers are kept."""
        spaces = text.count(" ")
        excluded = self._first.excluded(text)
        key = (bisect.bisect_right(self._limits, spaces), excluded)
        found = self._candidates_by_key.get(key)
        if found is None:
            found = tuple(
                rule
                for i, rule in enumerate(self.line_rules)
                if i not in excluded and (rule.max_words is None or spaces < rule.max_words)
            )
            if len(self._candidates_by_key) < _CANDIDATE_SETS_KEPT:
                self._candidates_by_key[key] = found
        return found

    def _match_residual(self, text: str, residual_only: bool) -> tuple[Rule, ...]:
        """matching(), line by line, through the per-line prefilters: of the rules the
        RE2 set leaves out (_residual), or (``residual_only`` false) of all of them."""
        prefilter = self._prefilter_for(text.count(" "), residual_only)
        if prefilter.empty:
            return ()
        if prefilter.may_match(text, PATTERN_TIMEOUT):
            return self._matching_among(self._candidates(text), text)
        return self._matching_among(prefilter.unfiltered, text)  # patterns not joinable

    def _prefilter_for(self, spaces: int, residual_only: bool) -> Prefilter:
        """The prefilter of the rules whose max_words admits a line of ``spaces``.

        Which rules apply depends only on how many max_words limits the line exceeds,
        so there are few distinct sets; each one's prefilter is built on first use."""
        key = (residual_only, bisect.bisect_right(self._limits, spaces))
        prefilter = self._prefilters.get(key)
        if prefilter is None:
            candidates = self._residual if residual_only else self.line_rules
            admitted = [r for r in candidates if r.max_words is None or spaces < r.max_words]
            prefilter = self._prefilters[key] = Prefilter.build(admitted)
        return prefilter


# Candidate sets kept: first characters vary little on real text; past this many (odd
# input), the set is computed per line rather than kept.
_CANDIDATE_SETS_KEPT = 4096


def builtin_pack_paths() -> list[Path]:
    """The packs shipped in rules/ (installed as the cleaner.rulepacks package)."""
    folder = resources.files("cleaner.rulepacks")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


def _compile(pattern: str, where: str) -> regex.Pattern:
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise RuleError(f"{where}: invalid pattern: {exc}") from exc


def _as_strings(value: object, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def parse_rule(raw: dict, pack: str, source: str) -> Rule:
    """Validate one [[rule]] table and compile it."""
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleError(f"{source}: a rule has no id")
    where = f"{source}: rule {rule_id}"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise RuleError(f"{where}: a description is required")
    kind = raw.get("kind", "drop")
    if kind not in KINDS:
        raise RuleError(f"{where}: kind must be one of {sorted(KINDS)}")
    position = raw.get("where", "any")
    if position not in WHERES:
        raise RuleError(f"{where}: where must be one of {sorted(WHERES)}")
    pattern = _compile(raw["pattern"], where) if "pattern" in raw else None
    exact = frozenset(exact_key(s) for s in _as_strings(raw.get("exact"), where, "exact"))
    if kind not in STRUCTURAL_KINDS and pattern is None and not exact:
        raise RuleError(f"{where}: a {kind} rule needs a pattern or exact lines")
    meta_field = raw.get("field")
    if kind == "meta" and meta_field not in META_FIELDS:
        raise RuleError(f"{where}: meta rules need field = one of {sorted(META_FIELDS)}")
    max_words = raw.get("max_words")
    if max_words is not None and (not isinstance(max_words, int) or max_words < 1):
        raise RuleError(f"{where}: max_words must be a positive integer")
    examples = raw.get("examples") or {}
    match_examples = _as_strings(examples.get("match"), where, "examples.match")
    keep_examples = _as_strings(examples.get("keep"), where, "examples.keep")
    if not match_examples or not keep_examples:
        raise RuleError(f"{where}: examples.match and examples.keep must both be given")
    return Rule(
        id=rule_id,
        description=description.strip(),
        kind=kind,
        pack=pack,
        pattern=pattern,
        exact=exact,
        max_words=max_words,
        where=position,
        field=meta_field,
        parse=raw.get("parse"),
        match_examples=match_examples,
        keep_examples=keep_examples,
    )


def load_pack(path: Path) -> tuple[int, str, list[Rule]]:
    """Read one pack file: (order, pack id, rules)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule pack: {exc}") from exc
    header = data.get("pack") or {}
    pack_id = header.get("id") or Path(path).stem
    rules = [parse_rule(raw, pack_id, str(path)) for raw in data.get("rule", [])]
    return int(header.get("order", 50)), pack_id, rules


def load_rules(
    extra: Iterable[str | Path] = (),
    disabled: Sequence[str] = (),
    builtin: bool = True,
) -> RuleSet:
    """Load the built-in packs (unless ``builtin`` is false) and the user's packs."""
    paths = (builtin_pack_paths() if builtin else []) + [Path(p) for p in extra]
    packs = sorted((load_pack(p) + (str(p),) for p in paths), key=lambda t: (t[0], t[3]))
    rules: list[Rule] = []
    seen: set[str] = set()
    for _order, _pack, pack_rules, _path in packs:
        for rule in pack_rules:
            if rule.id in seen:
                raise RuleError(f"rule id {rule.id} is defined twice")
            seen.add(rule.id)
            rules.append(rule)
    unknown = set(disabled) - seen
    if unknown:
        raise RuleError(f"--disable names unknown rule ids: {', '.join(sorted(unknown))}")
    return RuleSet(rules, frozenset(disabled))
