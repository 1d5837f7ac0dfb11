"""Every rule's own examples: each `match` example is removed by it, each `keep` survives."""

import pytest

import cleaner
from cleaner.rules import STRUCTURAL_KINDS

ALL_RULES = cleaner.default_rules().rules


def _line_rule_cases():
    return list(_iter_line_rule_cases())


def _iter_line_rule_cases():
    for rule in ALL_RULES:
        if rule.kind in STRUCTURAL_KINDS:
            continue
        for text in rule.match_examples:
            yield pytest.param(rule, text, True, id=f"{rule.id}+{text[:30]}")
        for text in rule.keep_examples:
            yield pytest.param(rule, text, False, id=f"{rule.id}-{text[:30]}")


@pytest.mark.parametrize("rule, text, should_match", _line_rule_cases())
def test_line_rule_example(rule, text, should_match):
    assert bool(rule.matches(text)) is should_match
    if rule.kind == "meta" and should_match:
        assert rule.value(text), "a meta rule must pull a value out of its examples"


@pytest.mark.parametrize("rule, text, _", [c for c in _line_rule_cases() if not c.values[2]])
def test_keep_example_survives_every_rule(rule, text, _):
    """A keep example is content: no rule of any pack may match it."""
    assert cleaner.default_rules().matching(text) == ()


def _structural_cases():
    return list(_iter_structural_cases())


def _iter_structural_cases():
    for rule in ALL_RULES:
        if rule.kind not in STRUCTURAL_KINDS:
            continue
        for doc in rule.match_examples:
            yield pytest.param(rule, doc, True, id=f"{rule.id}+")
        for doc in rule.keep_examples:
            yield pytest.param(rule, doc, False, id=f"{rule.id}-")


@pytest.mark.parametrize("rule, document, should_fire", _structural_cases())
def test_structural_rule_example(rule, document, should_fire):
    records = cleaner.clean_records(document, explain=True, detect_lang=False)
    fired = any(r["rule"] == rule.id for rec in records for r in rec["removed"])
    assert fired is should_fire


def test_every_rule_has_examples_and_unique_id():
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    for rule in ALL_RULES:
        assert rule.match_examples and rule.keep_examples, rule.id
        assert rule.id.startswith(rule.pack + "."), f"{rule.id} should be prefixed by its pack"
