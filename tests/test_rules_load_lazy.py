"""load_rules() compiles less up front (matching.DocumentScan, RuleSet): an anchored
alternative is read, not compiled; the joined anchored patterns and the rules' multi-line
forms are compiled on first use. The patterns the matcher runs, and what the analysis
reads from them, must be exactly those of the eager build: the oracle below builds them
the old way (every alternative compiled, then read; every pattern compiled at once)."""

from __future__ import annotations

import pytest
import regex

from cleaner.matching import (
    _ANY_FLAGS,
    _HIT,
    _LEADING_FLAGS,
    _NOT_COMBINABLE,
    _SKIP_LINES,
    _admitted,
    _alternatives,
    _compile_or_none,
    _count,
    _group_floors,
    _part_flags,
    pattern_shape,
    required_chars,
    required_literals,
)
from cleaner.rules import load_rules


def _old_shape_is_valid(source: str) -> bool:
    """The old pattern_shape's answer (None or not): it compiled the multi-line form."""
    if _NOT_COMBINABLE.search(source):
        return False
    leading = _LEADING_FLAGS.match(source)
    if leading:
        flags, body = leading.group(1), source[leading.end() :]
    elif _ANY_FLAGS.match(source):
        return False
    else:
        flags, body = "", source
    return _compile_or_none(f"(?{flags}m:{body})" if flags else f"(?m:{body})") is not None


def _old_searched(part: str, anchored: bool) -> tuple:
    """(finder source and flags, literals, gate) as the eager build made them."""
    plain = _compile_or_none(part)
    finder = _compile_or_none(f"{_SKIP_LINES}(?P<{_HIT}>{part})") if anchored else plain
    literals = required_literals(plain) if plain is not None else None
    chars = required_chars(plain) if plain is not None and literals is not None else None
    gate = None
    if literals is not None and chars is not None and len(chars) < _count(literals):
        gate = chars
    return _described(finder), literals, gate


def _described(pattern: regex.Pattern | None) -> tuple[str, int] | None:
    return None if pattern is None else (pattern.pattern, pattern.flags)


def _searched_described(searched) -> tuple:
    return _described(searched.finder), searched.literals, searched.gate


def _old_parts(rules) -> tuple[list, list]:
    """(anchored, floating) alternatives with their rules' max_words, in build order."""
    anchored, floating = [], []
    for rule in rules:
        if rule.pattern is None:
            continue
        shape = pattern_shape(rule.pattern.pattern)
        if shape is None or not shape.document_safe:
            continue
        for part in _alternatives(shape):
            (anchored if part.anchored else floating).append((part.group("m"), rule.max_words))
    return anchored, floating


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_builtin_shapes_as_before(rules):
    for rule in rules.line_rules:
        if rule.pattern is not None:
            source = rule.pattern.pattern
            assert (pattern_shape(source) is not None) == _old_shape_is_valid(source), rule.id


def test_searched_alternatives_as_before(rules):
    scan = rules._scan
    anchored, floating = _old_parts(rules.line_rules)
    old = {part: _old_searched(part, False) for part, _ in floating}
    old |= {part: _old_searched(part, True) for part, _ in anchored}
    built = [s for group in scan.anchored_apart + scan.floating for s in group]
    assert len(built) > 60
    for searched in built:
        part = searched.finder.pattern
        if searched.anchored:
            part = part[len(f"{_SKIP_LINES}(?P<{_HIT}>") : -1]
        assert _searched_described(searched) == old[part]
    # the anchored ones apart are exactly those with literals, per group, in order
    floors = _group_floors([limit for _, limit in anchored])
    assert scan.floors == floors
    for group, floor in enumerate(floors):
        expected = [old[p] for p in _admitted(anchored, floor) if old[p][1] is not None]
        assert [_searched_described(s) for s in scan.anchored_apart[group]] == expected


def test_joined_patterns_as_before(rules):
    scan = rules._scan
    anchored, _ = _old_parts(rules.line_rules)
    old_core = [(p, m) for p, m in anchored if _old_searched(p, True)[1] is None]
    for group, floor in enumerate(scan.floors):
        for parts, built in ((anchored, scan.anchored_joined(group)), (old_core, None)):
            admitted = _admitted(parts, floor)
            source = f"{_SKIP_LINES}(?P<{_HIT}>{'|'.join(admitted)})" if admitted else None
            old = _described(_compile_or_none(source)) if source else None
            if built is None:
                built = scan.anchored_core[group]
            assert _described(built) == old
        assert scan.anchored_joined(group) is scan.anchored_joined(group)  # compiled once


def test_document_patterns_as_before(rules):
    scanned = {id(rule) for rule in rules._scan.scanned}
    assert len(scanned) > 30
    for rule in rules.line_rules:
        expected = None
        if id(rule) in scanned:
            shape = pattern_shape(rule.pattern.pattern)
            expected = _described(regex.compile(shape.group("m")))
        assert _described(rules._document_pattern(rule)) == expected, rule.id


TRICKY = [
    r"(?i)^a|^b",
    r"(?V1)^abc",
    r"(?V1)^a|^b",
    r"^a(?V1)b",
    r"(?i)^a|^b(?V0)",
    r"^a|(?iV0)^b",
    r"(?s)^a.b|^c",
    r"(?si)^a|^b",
    r"(?is)^x",
    r"(?ii)^x",
    r"^(?i:x)|^y",
    r"^a|^b)",
    r"^a)",  # not valid: the finder does not compile, nor does the form
    r"(?i)^a(",
    r"^a(?<!\n)b|^c",
]


@pytest.mark.parametrize("source", TRICKY)
def test_tricky_shapes_as_before(source):
    assert (pattern_shape(source) is not None) == _old_shape_is_valid(source)


def test_part_flags_are_the_compiled_flags(rules):
    """Where _part_flags tells an alternative's flags without compiling it, they are
    the flags it compiles with; elsewhere it says None and the part is compiled."""
    sources = [r.pattern.pattern for r in rules.line_rules if r.pattern is not None]
    told = 0
    for source in sources + TRICKY:
        compiled = _compile_or_none(source)
        shape = pattern_shape(source)
        if compiled is None or shape is None:
            continue
        flags = _part_flags(compiled, shape)
        for part in _alternatives(shape):
            part_pattern = _compile_or_none(part.group("m"))
            if flags is not None and part_pattern is not None:
                told += 1
                assert part_pattern.flags == flags, (source, part.group("m"))
    assert told > 60
    v1 = regex.compile(r"(?V1)^a|^b")
    assert _part_flags(v1, pattern_shape(v1.pattern)) is None


def test_compile_all_compiles_what_is_otherwise_compiled_on_first_use():
    """The batch compiles the rule set in full before it forks its workers (they adopt
    the parent's rule set): the patterns compiled on first use are then compiled once,
    not once per worker."""
    fresh = load_rules()
    assert fresh._scan._anchored_compiled == {} and fresh._document_patterns == {}
    fresh.compile_all()
    scan = fresh._scan
    assert set(scan._anchored_compiled) == {g for g, s in enumerate(scan.anchored) if s}
    assert len(fresh._document_patterns) == len(scan.scanned)
    assert all(p is not None for p in fresh._document_patterns.values())


def test_the_batch_compiles_the_rules_before_forking(tmp_path, monkeypatch):
    from cleaner import batch

    if not batch.can_fork():
        pytest.skip("workers are spawned on this platform: each loads its rules")
    rules = load_rules()
    compiled = []
    monkeypatch.setattr(type(rules), "compile_all", lambda self: compiled.append(self))
    (tmp_path / "in").mkdir()
    for name in ("a.txt", "b.txt"):  # one input alone would run without a pool
        (tmp_path / "in" / name).write_text("Title\n\nSome text of a story here.\n")
    options = batch.Options(out_dir=str(tmp_path / "out"))
    summary = batch.Summary()
    tasks = batch.make_tasks(batch.walk([str(tmp_path / "in")], "*"), options, summary)
    batch.run_tasks(tasks, options, rules, ((), ()), 2, summary, batch.Sink(None))
    assert compiled == [rules] and summary.files == 2 and summary.errors == 0
