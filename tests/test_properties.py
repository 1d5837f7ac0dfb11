"""normalize() is pure, deterministic and idempotent: on every seed and on arbitrary text."""

import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_idempotent_on_seed(seed):
    once = cleaner.normalize(seed.read_bytes())
    assert cleaner.normalize(once) == once
    assert cleaner.normalize(seed.read_bytes()) == once  # deterministic


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_str_and_bytes_agree(seed):
    data = seed.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: only bytes input applies")
    assert cleaner.normalize(text) == cleaner.normalize(data)


# Text shaped like scraped pages: lines of words, chrome phrases, odd characters.
CHROME = st.sampled_from(
    [
        "AFP",
        "Related Articles",
        "3 Comment(s)",
        "Leave a Comment",
        "Home > News",
        "by Staff Report",
        "Published: January 8, 2020",
        "READ ALSO: other story",
        "Iraq News",
        "\u00a0",
        "&amp;",
        "â€™",
        "Photo: Reuters",
        "More details shortly.",
        "– Subheading –",
        "---",
        "Updated 14:32 GMT",
    ]
)
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
SENTENCE = st.lists(
    st.sampled_from(
        ["the", "Iran", "said", "on", "Monday", "troops", "base", "missiles", "were", "fired", "at"]
    ),
    min_size=1,
    max_size=20,
).map(lambda ws: " ".join(ws).capitalize() + ".")
LINE = st.one_of(CHROME, WORDS, SENTENCE, st.just(""))
DOC = st.lists(LINE, max_size=30).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_normalize_never_raises_and_is_idempotent(text):
    once = cleaner.normalize(text)
    assert isinstance(once, str)
    assert cleaner.normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_bytes_never_raise_unexpectedly(data):
    try:
        once = cleaner.normalize(data)
    except cleaner.BinaryInputError:
        assert b"\x00" in data
        return
    assert cleaner.normalize(once) == once
