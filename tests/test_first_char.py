"""The first-character filter (matching.first_char) only ever excludes rules that
cannot match: every rule that matches a line admits the line's first character."""

import pytest
import regex
from conftest import ROOT, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.lines import split_lines
from cleaner.matching import FirstCharIndex, first_char
from cleaner.rules import load_rules

RULES = load_rules()
INDEX = FirstCharIndex.build(RULES.line_rules)
EVAL_PAGES = ROOT.parent / "shared" / "eval-dev" / "pages"


def real_lines() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt"))
    if EVAL_PAGES.is_dir():
        paths += sorted(EVAL_PAGES.glob("*.scraped.txt")) + sorted(EVAL_PAGES.glob("*.gold.txt"))
    lines = [line.text for path in paths for line in split_lines(path.read_text(errors="replace"))]
    examples = [t for r in RULES.rules for t in r.match_examples + r.keep_examples]
    return lines + examples


def assert_never_excludes_a_match(line: str) -> None:
    excluded = INDEX.excluded(line)
    for position, rule in enumerate(RULES.line_rules):
        if position in excluded:
            assert not rule.pattern.search(line), (rule.id, line)


def test_built_in_rules_mostly_have_a_first_char_test():
    # Not a correctness condition: a guard that the analysis still understands the packs.
    assert len(INDEX.tests) >= len(RULES.line_rules) // 2


def test_first_char_never_excludes_a_matching_rule_on_real_lines():
    for line in real_lines():
        assert_never_excludes_a_match(line)


LINE_STARTS = st.sampled_from(
    sorted({t[:12] for r in RULES.rules for t in r.match_examples + r.keep_examples})
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.tuples(st.one_of(LINE_STARTS, st.text(max_size=6)), st.text(max_size=30)).map("".join))
def test_first_char_never_excludes_a_matching_rule_on_generated_lines(line):
    assert_never_excludes_a_match(line)


@pytest.mark.parametrize(
    "pattern, admitted, refused",
    [
        (r"(?i)^published\s", "pP", "qx1 "),
        (r"^(?i:home)|^Menu", "hHM", "m x"),
        (r"^[(\[\s]*(?:AFP|dpa)", "(A[ d\t", "afD"),
        (r"^(?:\p{Lu}\w+\s+){1,3}is\b", "AÉZ", "a1 "),
        (r"^\b(?=x)y", "y", "x"),
        (r"^(?P<v>\d{2,})$", "7", "a"),
    ],
)
def test_first_char_sets(pattern, admitted, refused):
    test = first_char(regex.compile(pattern))
    assert test is not None
    assert all(test.match(c) for c in admitted)
    assert not any(test.match(c) for c in refused)
    assert not test.match("")


@pytest.mark.parametrize(
    "pattern",
    [
        r"news$",  # not anchored
        r"^news|sport",  # one branch not anchored
        r"^(?:x)?$",  # matches the empty line
        r"^\s*",  # matches the empty line
        r"(?m)^news",  # multi-line: any line of a text
        r"^(\w)\1",  # back-reference
        r"(?x)^ news",  # verbose
        r"^a{e<=1}",  # fuzzy
        r"^(a)?(?(1)b|c)",  # conditional
        r"(?V1)^news",  # other global flags
        r"(?f)(?i)^ss",  # full case folding: 'ß' may match 'ss'
    ],
)
def test_first_char_gives_up_when_unsure(pattern):
    assert first_char(regex.compile(pattern)) is None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.one_of(LINE_STARTS, st.text(max_size=6)), st.text(max_size=30)).map(
            lambda parts: " ".join("".join(parts).split())
        ),
        max_size=20,
    )
)
def test_match_lines_with_the_filter_equals_plain_matching(lines):
    lines = [line for line in lines if line]
    assert RULES.match_lines(lines, fast=True) == RULES.match_lines(lines, fast=False)
