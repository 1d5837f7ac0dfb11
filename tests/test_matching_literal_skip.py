"""_match_flagged skips a candidate rule on a line holding none of the strings its
pattern needs (rules._LiteralSearch). That is exact only if every line a rule matches
holds one of them: checked here on every rule's own examples and on lines built from
the literals, plus the search against the plain substring test."""

from hypothesis import given
from hypothesis import strategies as st

from cleaner.matching import fold_for_literals, required_literals
from cleaner.pipeline import default_rules
from cleaner.rules import _LiteralSearch


def _searched_rules():
    rules = default_rules()
    return [
        (rule, rules._literals[id(rule)])
        for rule in rules.line_rules
        if id(rule) in rules._literals
    ]


def test_most_pattern_rules_have_a_literal_search():
    assert len(_searched_rules()) >= 30


def test_every_line_a_rule_matches_in_its_examples_holds_one_of_its_literals():
    for rule, search in _searched_rules():
        for line in rule.match_examples + rule.keep_examples:
            if rule.matches(line):
                assert search.holds_one(line, fold_for_literals(line)), (rule.id, line)


_PIECES = st.sampled_from(
    ["AFP", "Reuters", "photo", "PHOTO", "subscribe", "Sign up", "©", "(c)", "Share", "İ", "K", "ß"]
)


@given(st.lists(st.one_of(st.text(max_size=6), _PIECES), max_size=6))
def test_search_equals_the_plain_substring_test(pieces):
    line = "".join(pieces)
    folded = fold_for_literals(line)
    for rule, search in _searched_rules():
        plain, insensitive = required_literals(rule.pattern)
        expected = any(s in line for s in plain) or any(s in folded for s in insensitive)
        assert search.holds_one(line, folded) == expected, rule.id
        if rule.matches(line):
            assert expected, (rule.id, line)


def test_literal_search_of_literals_with_regex_characters():
    search = _LiteralSearch.build((frozenset({"a.b", "(c)"}), frozenset({"x|y"})))
    assert search.holds_one("see (c) here", "see (c) here")
    assert not search.holds_one("axb", "axb")
    assert search.holds_one("X|Y", "x|y")
    assert not search.holds_one("x", "x")
