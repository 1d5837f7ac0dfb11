"""The classifier's fast forms give, to the last bit, what its plain forms gave.

classify.py builds its features by column (one list per feature for the whole document)
and measures lines with fewer calls; the plain forms they replaced are kept verbatim in
classify_reference.py. Shapes, feature rows and scores must be equal (==, not close):
a score that moves by one ulp can move a decision."""

from pathlib import Path

import classify_reference as ref
from conftest import CLASSIFIER_LINES, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import classify as c
from cleaner.lines import split_lines

PAGES = Path(__file__).resolve().parents[2] / "shared" / "eval-dev" / "pages"

_LINES = [
    *CLASSIFIER_LINES,
    "Straße İstanbul ǅemal: “quoted” words… and ½ of ٣ digits — with a dash.",
    "",
]
# Characters the patterns and counts care about, plus a few others.
_ALPHABET = "aBcDéÉxYz .?!:;,)”’\"'»›>/|•·…]\n0123456789_–—-@$€£İßǅ½٣ "
# ASCII lines take their own path in _shape (_ascii_counts): drawn on their own too.
_ASCII_LINE = st.text(alphabet=st.characters(max_codepoint=127), max_size=60)
_LINE = (
    st.sampled_from(_LINES)
    | st.text(alphabet=_ALPHABET, max_size=60)
    | _ASCII_LINE
    | st.text(max_size=30)
)
_DOC = st.lists(_LINE, max_size=40)
_LANG = st.sampled_from(["en", "es", "de", None])
_SCORES = st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=30)


def _model():
    return c.load_classifier()


@settings(deadline=None)
@given(_LINE, _LANG)
def test_shape_equals_plain_shape(text, lang):
    stops = c.stopwords_for(lang)
    assert c._shape(text, stops) == ref._shape(text, stops)


@settings(deadline=None, max_examples=300)
@given(_ASCII_LINE, _LANG)
def test_ascii_shape_equals_plain_shape(text, lang):
    stops = c.stopwords_for(lang)
    assert c._shape(text, stops) == ref._shape(text, stops)


def test_ascii_shape_on_real_lines():
    """Every ASCII line of the seeds and eval-dev pages, through both paths."""
    stops = c.stopwords_for("en")
    texts = [text for _, lines in _documents() for text in lines if text.isascii()]
    assert len(texts) > 500
    assert [c._shape(t, stops) for t in texts] == [ref._shape(t, stops) for t in texts]


@settings(deadline=None)
@given(_DOC, _LANG)
def test_document_features_equal_plain_rows(texts, lang):
    stops = c.stopwords_for(lang)
    assert c.document_features(texts, stops) == ref.document_features(texts, stops)


@settings(deadline=None)
@given(_DOC, _LANG)
def test_scores_equal_plain_scores(texts, lang):
    model = _model()
    expected = ref.classify_lines(texts, lang, model)
    assert c.classify_lines(texts, lang, model) == expected
    shapes, heads = c._cached_lines(texts, lang, model, {})
    assert heads == [ref._shape_logit(model, shape) for shape in shapes]
    assert c.classify_lines(texts, lang, model, shapes, heads) == expected


@settings(deadline=None)
@given(_SCORES, st.data())
def test_stack_rows_equal_plain_rows(scores, data):
    n = len(scores)
    texts = data.draw(st.lists(_LINE, min_size=n, max_size=n))
    prose = data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n))
    alternation = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    short = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    args = (scores, texts, prose, alternation, short)
    assert c._stack_rows(*args) == ref._stack_rows(*args)


@settings(deadline=None)
@given(_SCORES, st.floats(0, 1))
def test_smoothed_equals_plain_smoothed(scores, smooth):
    model = c.Classifier(weights=(), smooth=smooth)
    assert model.smoothed(scores) == ref.smoothed(model, scores)


@given(
    st.lists(st.floats(-50, 50), min_size=1, max_size=5),
    st.lists(st.lists(st.floats(-1e3, 1e3), min_size=5, max_size=5), max_size=6),
    st.floats(-10, 10),
)
def test_column_logits_add_in_dot_order(weights, rows, start):
    weights = tuple(weights)
    rows = [row[: len(weights)] for row in rows]
    columns = [list(column) for column in zip(*rows, strict=True)] or [[] for _ in weights]
    expected = [ref._dot(weights, row, start) for row in rows]
    assert c._column_logits(weights, columns, [start] * len(rows)) == expected
    assert c._sigmoids(expected) == [ref._sigmoid(z) for z in expected]


def _documents():
    files = sorted(SEEDS.glob("*.txt"))
    if PAGES.is_dir():
        files += sorted(PAGES.glob("*.scraped.txt"))
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        yield path.name, [line.text for line in split_lines(text)]


def test_real_documents_score_as_before():
    """The seeds and eval-dev pages, whole (before any rule): every line's score."""
    model = _model()
    for name, texts in _documents():
        for lang in ("en", None):
            expected = ref.classify_lines(texts, lang, model)
            assert c.classify_lines(texts, lang, model) == expected, name
            shapes, heads = c._cached_lines(texts, lang, model, {})
            assert c.classify_lines(texts, lang, model, shapes, heads) == expected, name
