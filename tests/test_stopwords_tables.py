"""The stop-word tables of cleaner/stopwords.py, derived for a fast start (one regex pass
per list, scripts per distinct first letter, ranks only for the words in several
lists), equal the plain derivation kept in tests/stopwords_reference.py: same lists for
every code, same owners, same weights to the last bit, same votes."""

from __future__ import annotations

import pytest
import stopwords_reference as reference

from cleaner import stopwords
from cleaner.language import LANGDETECT_CODES
from cleaner.stopwords import words

TEXTS = [
    "The cat and the dog went to the market, which was closed on Sunday.",
    "Der Hund und die Katze gingen zum Markt, der am Sonntag geschlossen war.",
    "Le chat et le chien sont allés au marché, qui était fermé dimanche.",
    "El gato y el perro fueron al mercado, que estaba cerrado el domingo.",
    "Кошка и собака пошли на рынок, который был закрыт в воскресенье.",
    "Η γάτα και ο σκύλος πήγαν στην αγορά, η οποία ήταν κλειστή την Κυριακή.",
    "बिल्ली और कुत्ता बाज़ार गए, जो रविवार को बंद था।",
    "de la und the и zzqx",
    "",
]


def test_lists_equal_the_reference():
    assert stopwords._read_lists() == reference._read_lists()
    assert list(stopwords._read_lists()) == list(reference._read_lists())


def test_stoplist_of_every_code_equals_the_reference():
    codes = set(reference._read_lists()) | {"xx", "zh"}
    for code in codes:
        assert stopwords.stoplist(code) == reference.stoplist(code), code


def test_owners_equal_the_reference():
    assert stopwords._owners() == reference._owners()


def test_codes_by_word_equal_the_reference_index():
    assert stopwords._codes_by_word() == reference._index()[1]


def _bits(weights):
    """The weights with each float as its exact bits (== on floats would let -0.0 pass
    for 0.0)."""
    return {word: (positions, weight.hex()) for word, (positions, weight) in weights.items()}


@pytest.mark.parametrize(
    "languages",
    [LANGDETECT_CODES, frozenset({"en", "fi", "de", "no", "sv", "ru", "xx"}), frozenset()],
    ids=["langdetect", "subset", "none"],
)
def test_weights_equal_the_reference(languages):
    codes, weights = stopwords._weights(languages)
    reference_codes, reference_weights = reference._weights(languages)
    assert codes == reference_codes
    assert weights == reference_weights
    assert _bits(weights) == _bits(reference_weights)


@pytest.mark.parametrize("text", TEXTS)
def test_votes_equal_the_reference(text, monkeypatch):
    text_words = words(text)
    assert stopwords.vote(text_words) == reference.vote(text_words)
    candidates = (LANGDETECT_CODES, frozenset({"en", "de", "fr", "es", "it"}))
    new = [stopwords.weighted_vote(text_words, languages) for languages in candidates]
    # weighted_vote itself is unchanged: run it on the weights derived the old way
    monkeypatch.setattr(stopwords, "_weights", reference._weights)
    assert new == [stopwords.weighted_vote(text_words, languages) for languages in candidates]


def _plain_list_words(text: str) -> list[str]:
    """The lines of a list that are words, as _read_lists found them before."""
    return [w for w in (line.strip() for line in text.splitlines()) if stopwords._WORD.fullmatch(w)]


@pytest.mark.parametrize(
    "text",
    [
        "the\nand\n\nof\n",
        "the\nde2\nl'\n_x\nende",
        " the\t\nand \n\u00a0of\u3000\nx y\n",  # whitespace the plain form strips
        "the\rand\r\nof\x0bin\x0cto\x1cat\x1dby\x1eon\x85up\u2028no\u2029so",  # line breaks
        "x²\nⅻ\n½\n١٢\n",  # numerics that are not decimal digits are word characters
        "",
        "\n\n",
    ],
)
def test_list_words_equal_the_plain_form(text):
    assert stopwords._list_words(text) == _plain_list_words(text)


def test_script_filter_equals_the_plain_form():
    found = ["the", "и", "and", "не", "de", "в", "ἀλλά", "of"]
    for script in (None, "LATIN", "CYRILLIC", "GREEK", "HANGUL"):
        main = script or "LATIN"  # four Latin words, three Cyrillic
        assert stopwords._in_script(found, script) == [
            w for w in found if stopwords._script(w) == main
        ]
    tie = ["и", "the", "не", "of"]  # a tie goes to the script seen first
    assert stopwords._in_script(tie, None) == ["и", "не"]


def test_interleave_equals_the_plain_merge():
    parts = [["a", "b", "c", "b"], ["b", "x"], [], ["y", "a", "z", "w", "v"]]
    merged: dict[str, None] = {}
    for rank in range(max(map(len, parts))):
        for part in parts:
            if rank < len(part):
                merged.setdefault(part[rank])
    assert stopwords._interleave(parts) == list(merged)
    assert stopwords._interleave([["a", "b", "a"]]) == ["a", "b"]
