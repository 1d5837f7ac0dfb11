"""Rule patterns rewritten for speed match exactly the lines their old form matched.

Each rewritten rule keeps its old pattern here, as it shipped. Both forms run over every
line of the seeds and of the eval-dev scraped pages, over the rule's examples, and over
short texts made of the rule's key words (hypothesis); match or no match must agree
on every one. These rules are all ``drop`` rules: only whether they match is used.
"""

from pathlib import Path

import pytest
import regex
from conftest import ROOT, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PAGES = ROOT.parent / "shared" / "eval-dev" / "pages"

# The patterns as they were before the rewrite (rules/*.toml history).
OLD_PATTERNS = {
    # The name prefix (?:\p{Lu}...\s*){1,4} could split one capitalised run at any of
    # its capitals: on a long all-caps line, billions of ways to fail.
    "bios.company": r"""^(?:\p{Lu}[\p{L}&.'’\-]*\s*){1,4}(?:\([A-Z:\s]+\)\s+)?(?:is|are)\s+(?:(?:a|an|the)\s+(?:[\p{L}\-]+\s+){0,4}(?:global|leading|world|international|worldwide|premier|largest)\b.{0,200}\b(?:provider|company|leader|group|manufacturer|supplier|developer|firm|organization|organisation|business)\b|headquartered\s+in\b)""",
    # Five phrase alternatives the document scan searched one by one, and a branch that
    # tried a two-way alternation at each of 80 positions of every line.
    "legal.copyright": r"""(?i)^(?:©|\(c\)|copyright\b).{0,120}$|\ball\s+rights\s+reserved\b|^©\s*\d{4}.{0,300}\btrademarks?\b|tous\s+droits\s+r[ée]serv[ée]s|alle\s+rechte\s+vorbehalten|todos\s+los\s+derechos\s+reservados|todos\s+os\s+direitos\s+reservados|^(?:the\s+)?(?:contents?|material)\s+(?:of|on)\s+this\s+(?:web)?(?:site|page)\s+(?:are|is)\s+(?:©|\(c\)|copyright(?:ed)?\b)|^[^.]{0,80}(?:©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s+)?[^.]{0,80}\b(?:corp(?:oration)?|inc|ltd|llc|plc|gmbh|publishing|media\s+group)\b\.?(?:,\s+a\s+subsidiary\s+of\b.{0,80})?$""",
}

# Pieces the patterns turn on: key words, name shapes, separators, odd characters.
KEY_WORDS = {
    "bios.company": [
        "Acme",
        "ACME",
        "AcmeCorp",
        "McDonald",
        "O'Neil",
        "AT&T",
        "Co.",
        "acme",
        "X",
        "(NYSE: ACME)",
        "(",
        ")",
        "is",
        "are",
        "a",
        "an",
        "the",
        "global",
        "leading",
        "world",
        "largest",
        "solutions",
        "provider",
        "company",
        "firm",
        "headquartered",
        "in",
        "Baar",
        "-",
        "’",
    ],
    "legal.copyright": [
        "©",
        "(c)",
        "(C)",
        "( c)",
        "(",
        "c)",
        "Copyright",
        "copyrighted",
        "2019",
        "2019 - 2020",
        "–",
        "All",
        "rights",
        "reserved",
        "Tous droits réservés",
        "alle Rechte vorbehalten",
        "todos los derechos reservados",
        "todos os direitos",
        "trademark",
        "trademarks",
        "The contents",
        "of this site",
        "are",
        "Acme",
        "Media",
        "Group",
        "Inc",
        "Corp.",
        "Ltd",
        "publishing",
        ", a subsidiary of",
        ".",
        "x",
    ],
}


def _new(rules, rule_id: str) -> regex.Pattern:
    return rules.by_id(rule_id).pattern


def _agree(old: regex.Pattern, new: regex.Pattern, text: str) -> None:
    assert bool(old.search(text)) == bool(new.search(text)), text


def _corpus_lines() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt")) + sorted(PAGES.glob("*.scraped.txt"))
    lines: list[str] = []
    for path in paths:
        lines += Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    return lines


@pytest.fixture(scope="module")
def corpus_lines():
    return _corpus_lines()


@pytest.mark.parametrize("rule_id", sorted(OLD_PATTERNS))
def test_rewrite_agrees_on_real_lines_and_examples(rules, corpus_lines, rule_id):
    old, new = regex.compile(OLD_PATTERNS[rule_id]), _new(rules, rule_id)
    assert old.pattern != new.pattern  # the rule was rewritten: the test compares two forms
    rule = rules.by_id(rule_id)
    texts = corpus_lines + list(rule.match_examples) + list(rule.keep_examples)
    for text in texts:
        _agree(old, new, text.strip())
    assert all(new.search(t) for t in rule.match_examples)


def _pieces(rule_id: str):
    words = st.sampled_from(KEY_WORDS[rule_id])
    glue = st.sampled_from(["", " ", "  ", ". ", ", ", "\t"])
    return st.lists(st.tuples(words, glue), max_size=12).map(
        lambda parts: "".join(w + g for w, g in parts)
    )


@pytest.mark.parametrize("rule_id", sorted(OLD_PATTERNS))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rewrite_agrees_on_key_word_texts(rules, rule_id, data):
    old, new = regex.compile(OLD_PATTERNS[rule_id]), _new(rules, rule_id)
    _agree(old, new, data.draw(_pieces(rule_id)))


def test_company_rule_fails_fast_on_a_long_capitalised_line(rules):
    # Not a timing test: the old form times out here (PATTERN_TIMEOUT), the new one
    # answers, so the line is judged instead of kept by the timeout.
    assert rules.by_id("bios.company").matches("A" * 3000) is None
