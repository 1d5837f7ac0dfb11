"""``is_prose`` and ``is_title_like`` test a line's end on its last character instead
of an end-anchored regex search (which reads the whole line): they answer as the
regex forms did, on random text (with final newlines, where ``$`` also matches before
one) and on every line of the seeds and eval-dev pages."""

import regex
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st
from segment_layouts import EVAL_PAGES

from cleaner.decode import decode_bytes
from cleaner.engine import PROSE_MIN_WORDS, SENTENCE_END, is_prose
from cleaner.metadata import is_title_like

_TITLE_END = regex.compile(r"[.,;:]$")


def _plain_is_prose(text):
    return text.count(" ") + 1 >= PROSE_MIN_WORDS and bool(SENTENCE_END.search(text))


def _plain_is_title_like(text):
    if len(text) > 250 or text.count(" ") >= 30:
        return False
    if _TITLE_END.search(text) and not text.endswith("..."):
        return False
    first = text[0]
    return first.isupper() or first.isdigit() or first in "\"'‘“«¿¡(["


_ENDS = list(".!?…\"'”’»)],;:\n ") + ["...", ".\n", "\n\n", "?\n", ":\n", ".\n\n"]
_LINES = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(["A", "word", "Title", "1999", "\u00ab", "x."]), max_size=14),
    st.sampled_from(_ENDS) | st.text(max_size=2),
).filter(bool)


@settings(max_examples=800, deadline=None)
@given(text=_LINES | st.text(min_size=1, max_size=40))
def test_line_shapes_equal_the_regex_forms(text):
    assert is_prose(text) == _plain_is_prose(text)
    assert is_title_like(text) == _plain_is_title_like(text)


def test_line_shapes_equal_the_regex_forms_on_real_lines():
    paths = sorted(SEEDS.glob("*.txt"))
    if EVAL_PAGES.is_dir():
        paths += sorted(EVAL_PAGES.glob("*.scraped.txt"))
    lines = [ln for p in paths for ln in decode_bytes(p.read_bytes()).splitlines() if ln]
    assert len(lines) > 1000
    assert [is_prose(ln) for ln in lines] == [_plain_is_prose(ln) for ln in lines]
    assert [is_title_like(ln) for ln in lines] == [_plain_is_title_like(ln) for ln in lines]
