"""Language id: the stop-word vote agrees with langdetect wherever it answers.

The vote (stopwords.py, language.vote_language) spares most articles the slow
langdetect call; it must never change the answer. The reference texts are the golden
records' texts, the eval-dev gold texts and the cleaned seeds and eval-dev pages.
"""

import json

import pytest
from conftest import GOLDEN, ROOT, SEEDS

import cleaner
from cleaner.language import (
    LANGDETECT_CODES,
    VOTE_SAMPLE_CHARS,
    detect_language,
    langdetect_language,
    vote_language,
)
from cleaner.stopwords import stoplist, vote, weighted_vote, words

EVAL_PAGES = ROOT.parent / "shared" / "eval-dev" / "pages"


def reference_texts():
    texts = []
    for path in sorted(GOLDEN.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append((path.name, json.loads(line)["text"]))
    pages = sorted(EVAL_PAGES.glob("*.gold.txt")) if EVAL_PAGES.is_dir() else []
    texts += [(p.name, p.read_text(encoding="utf-8")) for p in pages]
    scraped = sorted(EVAL_PAGES.glob("*.scraped.txt")) if EVAL_PAGES.is_dir() else []
    for path in sorted(SEEDS.glob("*.txt")) + scraped:
        for article in cleaner.clean(path.read_bytes(), detect_lang=False):
            texts.append((path.name, article.text))
    return [(name, text) for name, text in texts if langdetect_language(text)]


@pytest.fixture(scope="module")
def texts():
    return reference_texts()


def test_vote_agrees_with_langdetect_whenever_it_answers(texts):
    for name, text in texts:
        voted = vote_language(text[:VOTE_SAMPLE_CHARS])
        assert voted in (None, langdetect_language(text)), name


def test_vote_answers_on_most_reference_texts(texts):
    answered = sum(vote_language(text[:VOTE_SAMPLE_CHARS]) is not None for _, text in texts)
    assert answered >= 0.8 * len(texts)


def test_detect_language_is_langdetect_where_the_vote_is_unclear():
    text = "Menu Home Sign In Subscribe Newsletter Weather Sports Video Photos Podcasts"
    assert vote_language(text) is None
    assert detect_language(text) == langdetect_language(text)


def test_vote_needs_a_clear_winner():
    assert vote_language("the") is None  # too few stop words to say
    assert vote_language("") is None
    # Spanish and Portuguese share their commonest words: one is not enough for either.
    assert vote_language("de la que el en de que la el en de que") is None


def test_vote_names_other_languages():
    german = (
        "Die Regierung hat am Mittwoch beschlossen, dass die neuen Regeln für alle "
        "Unternehmen gelten sollen, die mehr als zehn Mitarbeiter haben, und dass sie "
        "noch in diesem Jahr in Kraft treten werden."
    )
    french = (
        "Le gouvernement a décidé mercredi que les nouvelles règles s'appliqueraient à "
        "toutes les entreprises qui ont plus de dix salariés, et qu'elles entreraient en "
        "vigueur dès cette année pour la plupart des secteurs."
    )
    assert vote_language(german) == langdetect_language(german) == "de"
    assert vote_language(french) == langdetect_language(french) == "fr"


def test_stoplists_are_read_by_iso_code():
    assert {"the", "and", "of"} <= stoplist("en")
    assert "the" not in stoplist("mr")  # a list keeps only words in its own script
    assert "und" in stoplist("de")
    assert stoplist("xx") == frozenset()


def test_vote_counts_hits_per_language():
    ranked = dict(vote(words("The cat and the dog")))
    assert ranked["en"] == 3  # the, and, the
    scores = weighted_vote(words("the and of which"), frozenset({"en", "fi"}))
    assert scores[0][0] == "en"


def _plain_weighted_vote(text_words, languages):
    """weighted_vote written out word by word: the reference for its fast loop."""
    from cleaner.stopwords import _weights

    codes, weights = _weights(languages)
    hits, scores = [0] * len(codes), [0.0] * len(codes)
    for word in text_words:
        if word in weights:
            positions, weight = weights[word]
            for i in positions:
                hits[i] += 1
                scores[i] += weight
    ranked = sorted((i for i in range(len(codes)) if hits[i]), key=lambda i: (-scores[i], codes[i]))
    return [(codes[i], hits[i], scores[i]) for i in ranked]


def test_weighted_vote_equals_the_plain_loop(texts):
    samples = [words(text[:VOTE_SAMPLE_CHARS]) for _, text in texts]
    samples.append(["the", "zzqx", "de", "la", "und", "zzqx", "и"])
    for sample in samples:
        assert weighted_vote(sample, LANGDETECT_CODES) == _plain_weighted_vote(
            sample, LANGDETECT_CODES
        )


def test_the_collector_is_paused_only_while_the_profiles_load(monkeypatch):
    """langdetect's profiles load with the collector paused (it only slows the load),
    and the collector comes back as it was, on or off."""
    import gc

    from langdetect import detector_factory

    from cleaner import language

    seen = []
    monkeypatch.setattr(detector_factory, "_factory", None)
    monkeypatch.setattr(detector_factory, "init_factory", lambda: seen.append(gc.isenabled()))
    assert gc.isenabled()
    language._factory()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with language.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
