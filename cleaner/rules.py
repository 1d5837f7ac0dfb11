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
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import regex

from .matching import (
    DocumentScan,
    FirstCharIndex,
    Literals,
    Prefilter,
    document_pattern,
    fold_for_literals,
    lines_found,
    required_literals,
)
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


@dataclass(frozen=True, slots=True)
class _LiteralSearch:
    """Whether a line holds one of a rule's required literals: one search for the
    case-sensitive ones in the line, one for the others in the line folded for literals
    (matching.fold_for_literals). Plain strings, so the stdlib re finds them fast."""

    plain: re.Pattern | None
    folded: re.Pattern | None

    @classmethod
    def build(cls, literals: Literals) -> _LiteralSearch:
        return cls(_any_of(literals[0]), _any_of(literals[1]))

    def holds_one(self, text: str, folded: str | None) -> bool:
        """``folded``: the line folded for literals (needed when ``self.folded`` is set)."""
        if self.plain is not None and self.plain.search(text):
            return True
        return self.folded is not None and self.folded.search(folded) is not None  # type: ignore[arg-type]


def _any_of(strings: frozenset[str]) -> re.Pattern | None:
    return re.compile("|".join(map(re.escape, sorted(strings)))) if strings else None


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
    _scan: DocumentScan = field(init=False)
    _residual: tuple[Rule, ...] = field(init=False)  # pattern rules the filter leaves out
    _filter: Re2Filter = field(init=False)  # which rules may match a line (re2filter.py)
    _positions: dict[int, int] = field(init=False)  # id() of a line rule: its position
    _exact_keys: frozenset[str] = field(init=False)  # the exact lines of all line rules
    _exact_positions: dict[str, tuple[int, ...]] = field(init=False)  # key: its rules
    _exact_longest: int = field(init=False)  # the length of the longest of them
    # Per line rule (by id()): its pattern in multi-line form (see _match_flagged), or
    # None when it has none; compiled on first use (_document_pattern).
    _document_patterns: dict[int, regex.Pattern | None] = field(init=False)
    # Per pattern rule without exact lines (by id()): a search for the strings one of
    # which every line it matches holds (matching.required_literals), where the pattern
    # tells (see _match_flagged).
    _literals: dict[int, _LiteralSearch] = field(init=False)

    def __post_init__(self) -> None:
        active = [r for r in self.rules if r.id not in self.disabled]
        self.line_rules = [r for r in active if r.is_line_rule]
        self.structural = {r.kind: r for r in active if not r.is_line_rule}
        self._limits = sorted({r.max_words for r in self.line_rules if r.max_words})
        self._prefilters = {}
        self._candidates_by_key = {}
        self._exact_keys = frozenset(key for rule in self.line_rules for key in rule.exact)
        self._exact_positions = {}
        for position, rule in enumerate(self.line_rules):
            for key in rule.exact:
                self._exact_positions[key] = (*self._exact_positions.get(key, ()), position)
        self._exact_longest = max(map(len, self._exact_keys), default=-1)
        self._first = FirstCharIndex.build(self.line_rules)
        self._scan = DocumentScan.build(self.line_rules)
        self._filter, left_out = Re2Filter.build([rule.pattern for rule in self.line_rules])
        self._residual = tuple(self.line_rules[position] for position in left_out)
        self._positions = {id(rule): i for i, rule in enumerate(self.line_rules)}
        self._literals = {}
        for rule in self.line_rules:
            literals = required_literals(rule.pattern) if rule.pattern and not rule.exact else None
            if literals is not None:
                self._literals[id(rule)] = _LiteralSearch.build(literals)
        self._document_patterns = {}

    def compile_all(self) -> None:
        """Compile now the patterns otherwise compiled on first use (the scan's joined
        anchored patterns, the rules' multi-line forms). The batch calls it before it
        forks its workers: they then inherit them compiled instead of each compiling
        them again."""
        for group in range(len(self._scan.floors)):
            self._scan.anchored_joined(group)
        for rule in self._scan.scanned:
            self._document_pattern(rule)

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
        """Same answer as matching(), cheaper on a line that no rule can match.

        Only rules whose ``max_words`` admits the line can match it; one lookup in the
        exact-line index and one or two searches of their joined patterns tell whether
        any can. Only then are the candidate rules tried in order (see _candidates)."""
        if self._is_exact_line(text):
            return self._matching_among(self._candidates(text), text)
        return self._match_residual(text, residual_only=False)

    def match_lines(self, texts: Iterable[str], fast: bool = True) -> list[tuple[Rule, ...]]:
        """matching() for each line of one document, in order.

        ``fast`` (the default) scans the whole document once with the joined patterns
        and runs only the candidate rules, and only on the lines they flag; same
        results (matching.py)."""
        texts = list(texts)
        if not fast:
            return [self.matching(text) for text in texts]
        flagged_rules = self._filter.flag(texts)
        if flagged_rules is None:  # not UTF-8 encodable (lone surrogates): line by line
            return [self.matching_fast(text) for text in texts]
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

    def _match_lines_scanned(self, texts: list[str]) -> list[tuple[Rule, ...]]:
        flagged = self._scan.flagged_lines(texts, _document_timeout(texts))
        if flagged is None:  # a joined pattern timed out: fall back to line by line
            return [self.matching_fast(text) for text in texts]
        flagged.update(i for i, text in enumerate(texts) if self._is_exact_line(text))
        found = self._match_flagged(texts, sorted(flagged), _document_timeout(texts))
        results = []
        for index, text in enumerate(texts):
            if index in found:
                results.append(found[index])
            elif self._residual:
                results.append(self._match_residual(text, residual_only=True))
            else:
                results.append(())
        return results

    def _exact_rules(self, text: str) -> tuple[int, ...]:
        """The positions (in line_rules) of the rules that have the text as an exact
        line. Casefolding never shortens a text: a line whose stem is longer than the
        longest key is none (prose paragraphs skip the casefolded copy)."""
        stem = _exact_stem(text)
        if len(stem) > self._exact_longest:
            return ()
        return self._exact_positions.get(stem.casefold(), ())

    def _is_exact_line(self, text: str) -> bool:
        """Whether some line rule has the text as an exact line. Casefolding never
        shortens a text, so a line whose stem is longer than the longest key is none:
        prose paragraphs skip the casefolded copy."""
        stem = _exact_stem(text)
        return len(stem) <= self._exact_longest and stem.casefold() in self._exact_keys

    def _match_flagged(
        self, texts: list[str], flagged: list[int], timeout: float
    ) -> dict[int, tuple[Rule, ...]]:
        """matching() on the flagged lines, by line index.

        Trying every candidate rule on every flagged line costs one timed regex call per
        rule per line (the ``regex`` timeout alone costs microseconds per call). Instead,
        each rule that is a candidate on several flagged lines searches them joined, in
        one call (its pattern in multi-line form finds every line it matches alone, and
        maybe a few more); only on the lines found does it run as in matching(). A rule
        whose joined search times out runs line by line, as in matching().

        A candidate rule whose pattern needs one of a few strings is not tried at all on
        a line that holds none of them (a substring test costs far less than a timed
        regex call): most flagged lines match one or two of their candidates."""
        if not flagged:
            return {}
        candidates = {i: self._candidates(texts[i]) for i in flagged}
        lines_by_rule: dict[int, list[int]] = {}
        for i in flagged:
            text, folded = texts[i], None
            for rule in candidates[i]:
                search = self._literals.get(id(rule))
                if search is not None:
                    if folded is None and search.folded is not None:
                        folded = fold_for_literals(text)
                    if not search.holds_one(text, folded):
                        continue
                lines_by_rule.setdefault(id(rule), []).append(i)
        rules_by_id = {id(rule): rule for rule in self.line_rules}
        hits: set[tuple[int, int]] = set()  # (line index, id of a rule matching it)
        for rule_id, lines in lines_by_rule.items():
            rule = rules_by_id[rule_id]
            for i in self._lines_to_try(rule, texts, lines, timeout):
                if self._matching_among((rule,), texts[i]):
                    hits.add((i, rule_id))
        return {i: tuple(r for r in candidates[i] if (i, id(r)) in hits) for i in flagged}

    def _lines_to_try(
        self, rule: Rule, texts: list[str], lines: list[int], timeout: float
    ) -> list[int]:
        """The lines among ``lines`` that the rule may match: those its exact lines
        hold, and those where its joined search finds a match (all of them when the
        rule cannot be searched joined, or the search times out)."""
        if len(lines) < 2:
            return lines
        pattern = self._document_pattern(rule)
        if pattern is None:
            return lines
        exact = [i for i in lines if rule.exact and exact_key(texts[i]) in rule.exact]
        try:
            found = lines_found(pattern, [texts[i] for i in lines], timeout)
        except TimeoutError:
            return lines
        return sorted(set(exact) | {lines[position] for position in found})

    def _document_pattern(self, rule: Rule) -> regex.Pattern | None:
        """The rule's pattern in multi-line form (matching.document_pattern), compiled
        on first use: a document needs those of few rules, and load_rules() is paid by
        every run. Compiling is deterministic, so threads racing here store equal
        patterns."""
        key = id(rule)
        if key not in self._document_patterns:
            pattern = document_pattern(rule.pattern) if rule.pattern is not None else None
            self._document_patterns[key] = pattern
        return self._document_patterns[key]

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
        """matching(), line by line, when only some rules' patterns can still match:
        the document scan's residual rules, or (``residual_only`` false) all of them."""
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


def _document_timeout(texts: Sequence[str]) -> float:
    """A joined scan reads the whole document: its bound grows with the document."""
    return PATTERN_TIMEOUT * (1 + sum(map(len, texts)) / 20_000)


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
