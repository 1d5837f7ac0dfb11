"""The fast path gives byte-identical output to the plain reference path.

The fast path repairs per document and asks combined prefilters before trying rules
one by one; the plain path repairs line by line and tries every rule on every line.
Any difference between them is a bug in the fast path.
"""

import json

import pytest
from conftest import ROOT, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import DOC

import cleaner
from cleaner.decode import repair_text
from cleaner.rules import load_rules

EVAL_PAGES = ROOT.parent / "shared" / "eval-dev" / "pages"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SCRAPED_PAGES = sorted(EVAL_PAGES.glob("*.scraped.txt")) if EVAL_PAGES.is_dir() else []


def both_paths(data, **options):
    """(fast, plain) records as JSON text, with every removal explained."""
    runs = []
    for fast in (True, False):
        records = cleaner.clean_records(data, explain=True, fast=fast, **options)
        runs.append(json.dumps(records, ensure_ascii=False, sort_keys=True))
    return runs


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_fast_equals_plain_on_seed(seed):
    fast, plain = both_paths(seed.read_bytes())
    assert fast == plain


@pytest.mark.skipif(not SCRAPED_PAGES, reason="../shared/eval-dev is not beside the repo")
def test_fast_equals_plain_on_eval_dev_pages():
    for page in SCRAPED_PAGES:
        fast, plain = both_paths(page.read_bytes(), detect_lang=False)
        assert fast == plain, page.name


# Lines that exercise the per-document repair: mojibake, entities, invisibles split
# inside an entity or a mojibake pair, odd spaces, combining marks, CR, U+2028.
REPAIR_BITS = st.sampled_from(
    [
        "â€™",
        "Ã©",
        "&amp;",
        "&am\u200bp;",
        "Ã\u00ad©",
        "\u00a0",
        "\u2003",
        "\u00ad",
        "\u0301",
        "e\u0301",
        "\r\n",
        "\u2028",
        "\x07",
        "  ",
        "\n",
        "Caf",
        "word ",
    ]
)
REPAIR_DOC = st.lists(st.one_of(REPAIR_BITS, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPAIR_DOC)
def test_fast_repair_equals_plain(text):
    assert repair_text(text, fast=True) == repair_text(text, fast=False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_fast_equals_plain_on_generated_documents(text):
    fast, plain = both_paths(text, detect_lang=False)
    assert fast == plain


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_fast_equals_plain_on_bytes(data):
    if b"\x00" in data:
        return  # binary input is refused on both paths
    fast, plain = both_paths(data, detect_lang=False)
    assert fast == plain


# A user pack whose patterns the prefilter must handle: scoped and global inline flags,
# a back-reference, a top-level alternation after '^', exact lines, max_words.
USER_PACK = """
[pack]
id = "user"

[[rule]]
id = "user.flags"
description = "Leading case-insensitive flag."
pattern = '(?i)^share this'
examples.match = ["Share this"]
examples.keep = ["We share this view."]

[[rule]]
id = "user.backref"
description = "A doubled word line."
pattern = '^(\\w+) \\1$'
max_words = 3
examples.match = ["bye bye"]
examples.keep = ["bye now"]

[[rule]]
id = "user.bar"
description = "Anchored only on its first branch."
pattern = '^Advert|sponsored content'
examples.match = ["Advertisement", "This is sponsored content"]
examples.keep = ["An advert"]

[[rule]]
id = "user.verbose"
description = "Verbose flag, which cannot be scoped."
pattern = '(?x) ^ click \\s here $'
examples.match = ["click here"]
examples.keep = ["click there"]

[[rule]]
id = "user.lookahead"
description = "A negative lookahead that sees the next line in a joined document."
pattern = 'end of story(?!\\s)'
max_words = 6
examples.match = ["End of story"]
examples.keep = ["end of story now"]

[[rule]]
id = "user.string-end"
description = "An absolute end anchor."
pattern = '(?i)^more\\Z'
examples.match = ["More"]
examples.keep = ["More news"]

[[rule]]
id = "user.atomic"
description = "An atomic group that could swallow a newline in a joined document."
pattern = '^tags:(?>\\s*)$'
examples.match = ["tags: "]
examples.keep = ["tags: world"]

[[rule]]
id = "user.possessive"
description = "A possessive quantifier."
pattern = 'tip:\\s++\\S'
examples.match = ["tip: x"]
examples.keep = ["tip:"]

[[rule]]
id = "user.exact"
description = "Exact lines."
exact = ["Subscribe now", "Sign up"]
max_words = 3
examples.match = ["Subscribe now!"]
examples.keep = ["Subscribe now to read more of our reporting."]
"""

PROBE_LINES = [
    "End of story",
    "end of story",
    "the end of story",
    "end of story now",
    "More",
    "more",
    "More news",
    "tags:",
    "tags:  ",
    "tags: world",
    "tip: x",
    "tip:",
    "Share this",
    "SHARE THIS story",
    "bye bye",
    "bye now",
    "Advertisement",
    "An advert",
    "this is sponsored content here",
    "click here",
    "click there",
    "Subscribe now!",
    "sign up.",
    "Subscribe now to read more of our reporting.",
    "Iraq News",
    "3 Comment(s)",
    "by Staff Report",
    "Photo: Reuters",
    "AFP",
    "A plain sentence of the story that no rule should ever touch at all.",
]


@pytest.fixture(scope="module")
def user_rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("pack") / "user.toml"
    path.write_text(USER_PACK, encoding="utf-8")
    return load_rules(extra=[path])


@pytest.mark.parametrize("line", PROBE_LINES)
def test_fast_matching_equals_plain_with_user_pack(user_rules, line):
    assert user_rules.matching_fast(line) == user_rules.matching(line)


def test_fast_matching_equals_plain_on_every_rule_example(user_rules):
    for rule in user_rules.rules:
        for line in rule.match_examples + rule.keep_examples:
            assert user_rules.matching_fast(line) == user_rules.matching(line), (rule.id, line)


def test_fast_document_matching_equals_plain_with_user_pack(user_rules):
    lines = PROBE_LINES + list(reversed(PROBE_LINES))
    assert user_rules.match_lines(lines, fast=True) == user_rules.match_lines(lines, fast=False)


def test_fast_document_matching_equals_plain_across_word_count_groups(user_rules):
    """Every rule example in one document, each also padded to the edges of its rule's
    max_words (the RE2 set ignores max_words; the rules then check it), must be
    matched as line by line."""
    lines = []
    for rule in user_rules.line_rules:
        for line in rule.match_examples + rule.keep_examples:
            lines.append(line)
            if rule.max_words:
                spaces = line.count(" ")
                for target in (rule.max_words - 1, rule.max_words):
                    lines.append(line + " word" * max(0, target - spaces))
    assert user_rules.match_lines(lines, fast=True) == user_rules.match_lines(lines, fast=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(st.sampled_from(PROBE_LINES), st.text(max_size=20)), max_size=25))
def test_fast_document_matching_equals_plain_on_generated_lines(user_rules, lines):
    lines = [" ".join(line.split()) for line in lines]  # lines as split_lines gives them
    lines = [line for line in lines if line]
    assert user_rules.match_lines(lines, fast=True) == user_rules.match_lines(lines, fast=False)


def test_pattern_shape_anchoring():
    from cleaner.matching import pattern_shape

    assert pattern_shape(r"(?i)^a|b").anchored is False  # the '|' frees the second branch
    assert pattern_shape(r"^(?:a|b)").anchored is True
    assert pattern_shape(r"^[|]x").anchored is True
    assert pattern_shape(r"(?x)^a") is None  # verbose flags cannot be scoped
    assert pattern_shape(r"^(\w+) \1$") is None  # back-references cannot be joined


PATHOLOGICAL_PACK = """
[pack]
id = "slow"

[[rule]]
id = "slow.backtrack"
description = "Matches nothing, slowly: on a run of a's the lookbehind fails at the end."
pattern = '^(a|aa)+(?<!a)$'
examples.match = ["never"]
examples.keep = ["aaa"]
"""


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "plain"])
def test_pathological_rule_keeps_the_line_and_reports(tmp_path, fast):
    """The fast path's RE2 set drops the lookbehind, so it flags the run of a's and
    the regex then runs and times out there, as on the plain path."""
    path = tmp_path / "slow.toml"
    path.write_text(PATHOLOGICAL_PACK, encoding="utf-8")
    rules = load_rules(extra=[path])
    line = "a" * 60
    articles = cleaner.clean(
        f"Headline of the story\n\n{line}\n", rules=rules, detect_lang=False, fast=fast
    )
    assert line in articles[0].body  # kept: removing content is worse than leaving chrome
    assert ("slow.backtrack", line[:80]) in rules.timeouts


def test_fast_path_never_runs_a_rule_on_a_line_its_re2_form_rules_out(tmp_path):
    """A line no string of the pattern can match (RE2 tells in linear time) is never
    handed to the backtracking regex: the slow pattern cannot stall there at all."""
    path = tmp_path / "slow.toml"
    path.write_text(PATHOLOGICAL_PACK.replace("(?<!a)$", "$"), encoding="utf-8")
    rules = load_rules(extra=[path])
    line = "a" * 60 + "!"
    assert rules.match_lines([line], fast=True) == [()]
    assert rules.timeouts == []
    rules.match_lines([line], fast=False)
    assert [rule_id for rule_id, _ in rules.timeouts] == ["slow.backtrack"]


CROSS_LINE_PACK = """
[pack]
id = "cross"

[[rule]]
id = "cross.story-end"
description = "A phrase whose whitespace could span two lines of a joined document."
pattern = 'story\\s+end'
examples.match = ["a story end"]
examples.keep = ["a story that ends"]
"""


def test_fast_matching_rejects_matches_across_joined_lines(tmp_path):
    """A match that would span two lines (were they ever searched joined) must not
    count for either line."""
    path = tmp_path / "cross.toml"
    path.write_text(CROSS_LINE_PACK, encoding="utf-8")
    rules = load_rules(extra=[path])
    lines = ["the story", "end of it", "a story end", "story", "end", "Share this story"]
    fast = rules.match_lines(lines, fast=True)
    assert fast == rules.match_lines(lines, fast=False)
    assert [any(r.id == "cross.story-end" for r in found) for found in fast] == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]


def test_pathological_rule_on_several_lines_keeps_them_all(tmp_path):
    path = tmp_path / "slow.toml"
    path.write_text(PATHOLOGICAL_PACK, encoding="utf-8")
    rules = load_rules(extra=[path])
    lines = ["a" * 60, "aaa", "a" * 61]
    assert rules.match_lines(lines, fast=True) == [(), (), ()]
    assert [line for _, line in rules.timeouts] == [lines[0], lines[2]]
    assert rules.match_lines(lines, fast=False) == [(), (), ()]


# Lines that the case-insensitive matching of the regex module pairs with an ASCII
# spelling: Kelvin sign, long s, dotted capital I (re2filter._case_variants); and a
# dotless i, which it does not.
CASE_VARIANT_LINES = [
    "All rights reserved.",
    "ALL RIGHTS RESERVED",
    "All rights re\u017ferved.",
    "All r\u0130ghts reserved",
    "All r\u0131ghts reserved",
    "Photo: \u212aevin Smith / Reuters",
    "We may earn a commi\u017f\u017fion from links",
    "This post may contain AFFILIATE links",
    "Credit: AFP",
    "A line about reserved seats and nothing else at all.",
]


def test_fast_matching_equals_plain_on_case_variants():
    rules = load_rules()
    found = rules.match_lines(CASE_VARIANT_LINES, fast=True)
    assert found == rules.match_lines(CASE_VARIANT_LINES, fast=False)
    assert sum(map(bool, found)) >= 6  # the variants do match, and the fast path agrees
