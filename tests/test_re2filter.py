"""The RE2 filter never misses a rule that matches (re2filter.py).

``superset_pattern`` translates a ``regex`` pattern into an RE2 pattern that must find
a match in every string the original finds one in (and may find more); the built-in
rules' translations sit in one ``re2.Set`` that names, per line, the rules worth trying.
A miss there is a rule the fast path silently skips. Checked here: every built-in rule
translates, the filter flags every true match on the seeds and eval-dev pages (and stays
selective), each construct the translation widens or keeps, every character class over
all code points, case variants, random patterns against random texts, and the fallbacks
(lone surrogates, pickling, untranslatable user rules).
"""

import pickle

import pytest
import re2
import regex
from conftest import ROOT, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fast_path import USER_PACK as FAST_PATH_USER_PACK

from cleaner.decode import decode_bytes
from cleaner.re2filter import Re2Filter, superset_pattern
from cleaner.rules import load_rules

EVAL_PAGES = ROOT.parent / "shared" / "eval-dev" / "pages"
# Every code point but the surrogates (which no str from UTF-8 holds), in order.
ALL_CHARS = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def translate(pattern):
    return superset_pattern(regex.compile(pattern))


def rule_ids(found):
    """match_lines results as rule ids (a pickled rule's pattern is a new object)."""
    return [[rule.id for rule in rules] for rules in found]


def real_lines(rules, with_eval_dev):
    """The distinct lines of the seeds (and eval-dev pages), and every rule example."""
    paths = sorted(SEEDS.glob("*.txt"))
    if with_eval_dev:
        paths += sorted(EVAL_PAGES.glob("*.scraped.txt"))
    lines = {line for path in paths for line in decode_bytes(path.read_bytes()).split("\n")}
    for rule in rules.line_rules:
        lines.update(rule.match_examples + rule.keep_examples)
    return sorted(lines)


def test_every_builtin_rule_pattern_is_translated(rules):
    assert rules._residual == ()
    with_pattern = [p for p, rule in enumerate(rules.line_rules) if rule.pattern is not None]
    assert len(with_pattern) > 40
    assert list(rules._filter.positions) == with_pattern
    assert len(rules._filter.sources) == len(with_pattern)


@pytest.mark.parametrize("with_eval_dev", [False, True], ids=["seeds", "eval-dev"])
def test_filter_flags_every_true_match_on_real_lines(rules, with_eval_dev):
    if with_eval_dev and not EVAL_PAGES.is_dir():
        pytest.skip("../shared/eval-dev is not beside the repo")
    lines = real_lines(rules, with_eval_dev)
    flags = rules._filter.flag(lines)
    assert flags is not None
    true_matches = 0
    for position, rule in enumerate(rules.line_rules):
        if rule.pattern is None:
            continue
        for line, flagged in zip(lines, flags, strict=True):
            if rule.pattern.search(line):
                true_matches += 1
                assert position in flagged, (rule.id, line)
    flagged_pairs = sum(map(len, flags))
    assert true_matches > 100
    assert flagged_pairs < 2 * true_matches  # selective: most flags are true matches


# (pattern, strings the original matches, strings neither should match)
CONSTRUCTS = [
    (r"foo(?!bar)", ["foo", "foobaz"], ["fo"]),
    (r"(?<=a)b(?<!cb)", ["ab"], ["a"]),
    (r"\bfoo\b", ["a foo b"], ["fo o"]),
    (r"a++b", ["aab"], ["a"]),
    (r"(?>a+)b", ["aab"], ["aa"]),
    (r"by (?P<value>\w+)", ["by Jo", "by É"], ["by  "]),
    (r"(?i:abc)d", ["ABCd", "abcd"], ["ABCD"]),
    (r"(?i)a(?-i:X)", ["AX", "aX"], ["Ax"]),
    (r"^xa{0,80}$", ["x" + "a" * 80], ["xb"]),
    (r"^a{2}$", ["aa"], ["a", "aaa"]),
    (r"\d", ["٣"], ["x"]),
    (r"\w", ["é", "ß"], [" ", "-"]),
    (r"\s", ["\u00a0", "\u3000"], ["x"]),
    (r"^[^\W\d_]+$", ["naïve"], ["a1", "a_b"]),
    (r"^[^.]$", ["é"], ["."]),
    (r"[•·]", ["•", "·"], ["x", "é"]),
    (r"[a\377]", ["ÿ", "a"], ["b"]),  # an octal escape may name a non-ASCII character
    (r"x[\101-\377]y", ["xÿy", "xAy"], ["x y"]),
    (r"\p{Lu}", ["É"], ["a"]),
    (r"(?i)\p{Lu}", ["é"], ["1"]),
    (r"(?i)k", ["\u212a", "K"], ["x"]),
    (r"(?i)s", ["\u017f", "S"], ["x"]),
    (r"(?i)i", ["\u0130", "I"], ["x"]),
    (r"(?i)é", ["É", "é"], ["e"]),
    # $ and \Z become RE2's multi-line $ (a line holds no newline): wider, still an end
    (r"abc$", ["abc", "abc\n"], ["abcx"]),
    (r"abc\Z", ["abc", "xabc"], ["abcx"]),
]


@pytest.mark.parametrize("pattern, matched, unmatched", CONSTRUCTS)
def test_superset_pattern_on_constructs(pattern, matched, unmatched):
    original, translated = regex.compile(pattern), translate(pattern)
    assert translated is not None
    compiled = re2.compile(translated)
    for text in matched:
        assert original.search(text), text  # the case is meaningful
        assert compiled.search(text), (translated, text)
    for text in unmatched:
        assert not original.search(text), text
        assert not compiled.search(text), (translated, text)


# Inline flags that do not open the pattern: the regex module scopes them to the rest of
# their group (pattern.flags holds only the top-level flags in force at its end),
# and a `$` that the translation lets swallow the final newline another item needs.
SCOPED_CASES = [
    (r"(?i)a(?-i)b", "Ab"),
    (r"(?:(?i)a)b", "Ab"),
    (r"(?:(?s)a.)b", "a\nb"),
    (r"x$\n", "x\n"),
    (r"$^", "\n"),
]


@pytest.mark.parametrize("pattern, text", SCOPED_CASES)
def test_superset_pattern_on_mid_pattern_flags_and_dollar(pattern, text):
    assert regex.search(pattern, text)
    translated = translate(pattern)
    assert translated is None or re2.search(translated, text), (translated, text)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1",
        r"(a)?(?(1)b|c)",
        r"(?:abc){e<=1}",
        r"[[:alpha:]]",
        r"(?x)a b",
        r"\X",
        r"(?V1)[[a-z]--[aeiou]]",
    ],
)
def test_superset_pattern_leaves_out_what_it_does_not_model(pattern):
    assert translate(pattern) is None


def test_superset_pattern_can_fail():
    """The class checks below use a fullmatch of the translation over the characters
    the regex module matches; it does reject a character the translation misses."""
    assert re2.fullmatch(f"(?:{translate('[A-Z]')})*", "ABCé") is None


CLASSES = [
    r"\w",
    r"\W",
    r"\d",
    r"\D",
    r"\s",
    r"\S",
    r"\p{L}",
    r"\p{Lu}",
    r"[^\p{L}\p{N}]",
    r"[A-Za-z]",
    r"[a-z]",
    r"[^.]",
    r"[•·]",
]


@pytest.mark.parametrize("case", ["", "(?i)"], ids=["cased", "ignorecase"])
@pytest.mark.parametrize("cls", CLASSES)
def test_class_translation_holds_on_every_code_point(cls, case):
    original = regex.compile(case + cls)
    translated = superset_pattern(original)
    assert translated is not None
    matched = "".join(original.findall(ALL_CHARS))  # each class matches one character
    assert matched
    if re2.fullmatch(f"(?:{translated})*", matched) is None:
        missed = [c for c in matched if not re2.fullmatch(translated, c)]
        pytest.fail(f"{translated} misses {[f'U+{ord(c):04X}' for c in missed[:20]]}")


@pytest.mark.parametrize(
    "pattern", [r"[A-Za-z]", r"[•·]", r"(?i)é", r"(?i)ß", r"(?i)Σ", r"(?i)ǅ", r"(?i)k"]
)
def test_listed_class_translation_is_exact(pattern):
    """A set that lists its characters (or one literal) stays exactly that set."""
    original = regex.compile(pattern)
    translated = re2.compile(superset_pattern(original))
    assert translated.findall(ALL_CHARS) == original.findall(ALL_CHARS)


@pytest.mark.parametrize("letter", ["é", "ß", "Σ", "ǅ"])
def test_case_blind_letter_matches_every_case_variant(letter):
    original = regex.compile("(?i)" + letter)
    translated = re2.compile(superset_pattern(original))
    known = ["ς", "σ", "Σ", "ẞ", "ss", "SS", "Ǆ", "ǅ", "ǆ", "É", "é"]
    candidates = [letter.upper(), letter.lower(), letter.title(), letter.casefold(), *known]
    candidates += original.findall(ALL_CHARS)
    variants = {text for text in candidates if original.search(text)}
    assert len(variants) >= 2
    for text in variants:
        assert translated.search(text), (letter, text)


LITERALS = ["a", "b", "k", "K", "s", "S", "x", "é", "É", "ß", "\u212a", "ſ", "1", "-", r"\.", " "]
CLASS_ITEMS = [r"\w", r"\d", r"\s", r"\W", r"\S", r"\D", "[a-z]", "[^a-z]", "[•·]", r"\p{L}"]
CLASS_ITEMS += [r"\p{Lu}", ".", r"[\xe9a]", r"[\351k]", r"\u00e9", r"[^\x41]", r"[\101-\377]"]
QUANTIFIERS = ["", "", "", "*", "+", "?", "{0,3}", "{2}", "{1,9}", "*?", "++", "{5}", "{,2}", "?+"]
GROUP_OPENERS = ["(", "(?:", "(?i:", "(?-i:", "(?s:", "(?m:", "(?=", "(?!", "(?<=", "(?<!", "(?>"]


def _grouped(inner):
    sequence = st.lists(inner, min_size=1, max_size=4).map("".join)
    return st.one_of(
        st.builds(
            lambda opener, body: f"{opener}{body})", st.sampled_from(GROUP_OPENERS), sequence
        ),
        st.lists(sequence, min_size=2, max_size=3).map(lambda b: "(?:" + "|".join(b) + ")"),
    )


PIECES = st.recursive(st.sampled_from(LITERALS + CLASS_ITEMS), _grouped, max_leaves=8)
ITEMS = st.one_of(
    st.builds(str.__add__, PIECES, st.sampled_from(QUANTIFIERS)),
    st.sampled_from(["^", "$", r"\b", r"\B", r"\Z", r"\A", "(?i)", "(?-i)", "(?s)", "(?m)"]),
)
PATTERNS = st.builds(
    lambda flag, items, branches: flag + "|".join("".join(b) for b in [items, *branches]),
    st.sampled_from(["", "(?i)", "(?m)", "(?s)", "(?is)"]),
    st.lists(ITEMS, min_size=1, max_size=5),
    st.lists(st.lists(ITEMS, min_size=1, max_size=3), max_size=1),
)
TEXT_ALPHABET = "abcKk\u212aſsSé É ß·•1٣\u00a0x-.\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern=PATTERNS, text=st.text(alphabet=TEXT_ALPHABET, max_size=20))
def test_translation_finds_every_match_on_generated_patterns(pattern, text):
    try:
        original = regex.compile(pattern)
    except regex.error:
        return
    translated = superset_pattern(original)
    if translated is None:
        return
    try:
        found = original.search(text, timeout=0.1)
    except TimeoutError:
        return
    if found:
        assert re2.compile(translated).search(text) is not None, (pattern, translated, text)


def test_lone_surrogate_falls_back_line_by_line(rules):
    lines = ["Advertisement", "x\ud800y", "3 Comments", "Photo: \ud800 Reuters", "A plain line."]
    assert rules._filter.flag(lines) is None
    assert rules._filter.flag(["Advertisement"]) is not None
    fast = rules.match_lines(lines, fast=True)
    assert fast == rules.match_lines(lines, fast=False)
    assert fast[0] and fast[2]  # the surrounding lines still matched


def test_pickled_rules_and_filter_match_as_the_originals(rules):
    lines = real_lines(rules, with_eval_dev=False)
    copy = pickle.loads(pickle.dumps(rules))
    found = rule_ids(rules.match_lines(lines))
    assert rule_ids(copy.match_lines(lines)) == found
    assert sum(map(bool, found)) > 20
    flags = rules._filter.flag(lines)
    assert pickle.loads(pickle.dumps(rules._filter)).flag(lines) == flags
    assert any(flags)


def test_filter_build_reports_what_it_leaves_out():
    patterns = [regex.compile(r"^ab"), None, regex.compile(r"(a)\1"), regex.compile(r"c$")]
    built, left_out = Re2Filter.build(patterns)
    assert left_out == [2]
    assert built.positions == (0, 3)
    assert built.flag(["abc", "aa", "xc", "cx"]) == [(0, 3), (), (3,), ()]


# The fast-path tests' user pack (a back-reference and a verbose pattern among its rules,
# which the RE2 set cannot hold), plus a flag group in mid-pattern.
USER_PACK = (
    FAST_PATH_USER_PACK
    + """
[[rule]]
id = "user.inline-flags"
description = "Case-blind up to a mid-pattern (?-i)."
pattern = '(?i)^read more(?-i) Here$'
examples.match = ["READ MORE Here"]
examples.keep = ["read more here"]
"""
)


@pytest.fixture(scope="module")
def user_rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("pack") / "user.toml"
    path.write_text(USER_PACK, encoding="utf-8")
    return load_rules(extra=[path])


def test_untranslatable_user_rule_is_tried_on_every_line(user_rules):
    assert [rule.id for rule in user_rules._residual] == ["user.backref", "user.verbose"]
    lines = ["bye bye", "bye now", "Advertisement", "hello hello", "a b"]
    fast = user_rules.match_lines(lines, fast=True)
    assert fast == user_rules.match_lines(lines, fast=False)
    assert [any(rule.id == "user.backref" for rule in found) for found in fast] == [
        True,
        False,
        False,
        True,
        False,
    ]


def test_user_rule_with_mid_pattern_flag_matches_as_plain(user_rules):
    lines = ["READ MORE Here", "Read More Here", "read more here", "read more HERE"]
    fast = user_rules.match_lines(lines, fast=True)
    plain = user_rules.match_lines(lines, fast=False)
    assert rule_ids(plain)[:2] == [["user.inline-flags"]] * 2
    assert rule_ids(fast) == rule_ids(plain)


def test_many_patterns_go_into_several_sets_with_the_same_answer(monkeypatch):
    """A set holds patterns of a bounded size in all (re2filter._MAX_SET_PROGRAM, here
    lowered): a big user pack goes into several sets, and the answer is the same."""
    from cleaner import re2filter
    from cleaner.rules import Rule, RuleSet

    monkeypatch.setattr(re2filter, "_MAX_SET_PROGRAM", 2_000)
    words = [f"w{i}x" for i in range(40)]  # some 200 instructions a pattern
    patterns = [
        regex.compile(rf"(?i)^(?:{'|'.join(words)})\s+k{i}\s+(?:{'|'.join(words)})$")
        for i in range(300)
    ]
    built, left_out = Re2Filter.build([*patterns, regex.compile(r"^hello\b")])
    assert left_out == [] and len(built._sets) > 1 and built._always == ()
    assert built.flag(["w3x k7 W39X", "hello world", "w3x k7"]) == [(7,), (300,), ()]

    rules = RuleSet(
        [
            Rule(f"many.{i}", "One of many.", "drop", "many", pattern=p)
            for i, p in enumerate(patterns)
        ]
    )
    lines = ["w3x k7 W39X", "w3x k299 w0x", "w3x  k7 w1x", "w3x k7", "hello"]
    assert rules.match_lines(lines, fast=True) == rules.match_lines(lines, fast=False)


def test_counted_repeats_stay_small_in_the_automaton():
    """{1000} would be a thousand copies of its part in RE2's automaton (slow DFA states
    on a big pack): it becomes {4,}, which matches more, in a small automaton."""
    translated = superset_pattern(regex.compile(r"[a-z]{1000}\d{9}[A-Z]{2,3}"))
    assert translated is not None and "{4,}" in translated and "{2,3}" in translated
    assert re2.compile(translated).programsize < 100
    assert re2.compile(translated).search("a" * 1000 + "1" * 9 + "AB")


def test_a_pattern_no_set_can_hold_is_flagged_on_every_line(monkeypatch):
    from cleaner import re2filter

    compile_set = re2filter._compiled_set
    monkeypatch.setattr(
        re2filter,
        "_compiled_set",
        lambda sources: None if any("unholdable" in s for s in sources) else compile_set(sources),
    )
    patterns = [regex.compile(r"^ab"), regex.compile("unholdable"), regex.compile(r"c$")]
    built, left_out = Re2Filter.build(patterns)
    assert left_out == [] and built._always == (1,)
    assert built.flag(["abc", "x", "unholdable"]) == [(0, 1, 2), (1,), (1,)]
