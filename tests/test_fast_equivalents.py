"""The classifier's fast forms give exactly what the reference patterns give.

classify.py measures each line with str methods and a factored pattern where a plain
regex would scan the line again; the scores (and so every decision) must not move."""

from conftest import CLASSIFIER_LINES
from hypothesis import given
from hypothesis import strategies as st

from cleaner import classify as c

# Characters the patterns care about, plus a few others.
_TEXT = st.text(alphabet="aBcDéÉxYz .?!:;,)”’\"'»›>/|•·…]\n0123456789_–—-@$€£İß", max_size=40)
_EXAMPLES = [
    "Best Spots In DetroitHoodline crunched the numbers.",
    "What now?Michigan couple",
    "Teaser headline in US NEW YORK: An Indian student",
    "Home | News » World › Europe / Politics",
    "A sentence that ends.",
    "ends with a newline.\n",
    "",
    "The iPhone, THE END: a the Ünïcödé_word—and Straße.",
]


def _check(text: str) -> None:
    assert [m.span() for m in c._GLUED_FAST.finditer(text)] == [
        m.span() for m in c._GLUED.finditer(text)
    ]
    assert sum(map(text.count, c._SEPARATOR_CHARS)) == len(c._SEPARATORS.findall(text))
    assert c._ends_like_sentence(text) == bool(c._SENTENCE_END.search(text))
    if c._INNER_DATELINE.search(text):
        assert ": " in text  # the shortcut only skips lines that cannot match
    if c._GLUED.search(text):
        assert c._GLUE_HINT.search(text)  # the hint only skips lines that cannot match
    if text.isascii():
        assert c._WORD_ASCII.findall(text) == c._WORD.findall(text)
        assert bool(c._GLUE_HINT_ASCII.search(text)) == bool(c._GLUE_HINT.search(text))
    tokens = c._WORD.findall(text)
    alpha = [t for t in tokens if t[0].isalpha()]
    shape = c._shape(text, frozenset({"a", "the", "é"}))
    assert shape.stops == sum(1 for t in tokens if t.casefold() in {"a", "the", "é"})
    assert shape.title_case == (
        sum(1 for t in alpha if t[0].isupper()) / len(alpha) if alpha else 0.0
    )
    assert shape.key[2] == c._LIST_MARKS.intersection(text)


def test_fast_forms_on_examples():
    for text in _EXAMPLES:
        _check(text)


@given(_TEXT | st.text(max_size=40))
def test_fast_forms_on_any_text(text):
    _check(text)


@given(st.text(max_size=40) | st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_digit_and_letter_counts_match_str_methods(text):
    expected = (sum(map(str.isdigit, text)), sum(map(str.isalpha, text)))
    assert c._digits_and_letters(text) == expected


@given(
    st.lists(st.sampled_from(CLASSIFIER_LINES), max_size=30), st.sampled_from(["en", "es", None])
)
def test_fast_scores_equal_the_feature_rows_scores(texts, lang):
    """classify_lines adds each line's own terms once and its neighbours' terms after:
    the scores must equal, to the last bit, the logistic model over the whole rows."""
    model = c.load_classifier()
    features = c.document_features(texts, c.stopwords_for(lang))
    has_run = any(row[c.FEATURES.index("in_main_run")] for row in features)
    expected = model.smoothed(model.scores(features, texts)) if has_run else None
    assert c.classify_lines(texts, lang, model) == expected
    shapes, heads = c._cached_lines(texts, lang, model, {})
    assert c.classify_lines(texts, lang, model, shapes, heads) == expected
