"""The classifier's fast forms give exactly what the reference patterns give.

classify.py measures each line with str methods and a factored pattern where a plain
regex would scan the line again; the scores (and so every decision) must not move."""

from hypothesis import given
from hypothesis import strategies as st

from cleaner import classify as c

# Characters the patterns care about, plus a few others.
_TEXT = st.text(alphabet="aBcDéÉxYz .?!:;,)”’\"'»›>/|•·…]\n0123456789", max_size=40)
_EXAMPLES = [
    "Best Spots In DetroitHoodline crunched the numbers.",
    "What now?Michigan couple",
    "Teaser headline in US NEW YORK: An Indian student",
    "Home | News » World › Europe / Politics",
    "A sentence that ends.",
    "ends with a newline.\n",
    "",
]


def _check(text: str) -> None:
    assert [m.span() for m in c._GLUED_FAST.finditer(text)] == [
        m.span() for m in c._GLUED.finditer(text)
    ]
    assert sum(map(text.count, c._SEPARATOR_CHARS)) == len(c._SEPARATORS.findall(text))
    assert c._ends_like_sentence(text) == bool(c._SENTENCE_END.search(text))
    if c._INNER_DATELINE.search(text):
        assert ": " in text  # the shortcut only skips lines that cannot match


def test_fast_forms_on_examples():
    for text in _EXAMPLES:
        _check(text)


@given(_TEXT)
def test_fast_forms_on_any_text(text):
    _check(text)


@given(st.text(max_size=40) | st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_digit_and_letter_counts_match_str_methods(text):
    expected = (sum(map(str.isdigit, text)), sum(map(str.isalpha, text)))
    assert c._digits_and_letters(text) == expected
