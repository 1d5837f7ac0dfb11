"""The exact-line lookup's length shortcut (RuleSet._exact_rules) gives the same answer
as looking the line's exact_key up: a line is skipped only when its stem is longer than
every key, and casefolding never shortens a text. And it names exactly the rules that
have the key among their exact lines."""

import sys

from hypothesis import given
from hypothesis import strategies as st

from cleaner.rules import exact_key, load_rules

RULES = load_rules()
KEYS = sorted(RULES._exact_positions)

# Exact lines as written, with case changes, edge spaces and end punctuation around
# them, characters that casefold to several (ß, ﬁ, İ) and long prose.
EDGES = st.sampled_from(["", " ", "  ", "\t", ".", ":", " !", " |", "»", " › ", ">", "\u00a0"])
BODIES = st.one_of(
    st.sampled_from(KEYS),
    st.sampled_from(KEYS).map(str.upper),
    st.sampled_from(KEYS).map(str.title),
    st.text(alphabet="ßﬁİıẞaSs .:!|»›>", max_size=40),
    st.text(max_size=60),
    st.sampled_from(KEYS).map(lambda key: key * 3),
)


def same_answer(text: str) -> None:
    key = exact_key(text)
    expected = tuple(i for i, rule in enumerate(RULES.line_rules) if key in rule.exact)
    assert RULES._exact_rules(text) == expected, text


@given(st.tuples(EDGES, BODIES, EDGES, EDGES).map("".join))
def test_exact_line_shortcut_equals_key_lookup(text):
    same_answer(text)


def test_exact_line_shortcut_on_every_exact_line_and_neighbours():
    for key in KEYS:
        for text in (key, f"  {key.upper()} .", key + "x", "x" + key, key.replace("ss", "ß")):
            same_answer(text)


def test_casefold_never_shortens_a_character():
    # The shortcut's premise, checked over every code point.
    assert all(len(chr(c).casefold()) >= 1 for c in range(sys.maxunicode + 1))
