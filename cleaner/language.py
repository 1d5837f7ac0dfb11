"""Stage 6: language identification: a stop-word vote, else langdetect, made deterministic.

langdetect is probabilistic; each detector draws from its own random generator, seeded
here with a fixed value so the answer is repeatable across runs and processes. It costs
about 2 ms per call whatever the sample, so it reads a bounded sample of the cleaned
body, once per article, never per line.

Most news text says its language plainly in its function words ("the", "and", "of"):
a vote over the sample's words with jusText's stop-word lists (stopwords.py) costs a
few microseconds. When one language clearly wins the vote (``VOTE_MIN_HITS`` hits and
``VOTE_MARGIN`` times the runner-up) and langdetect could name it too, that is the
answer; otherwise langdetect decides, as before. The vote is deterministic, so the
whole function still is; tests/test_language.py checks that the vote agrees with
langdetect on every reference text where it answers, and that it answers on most.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice

from langdetect import LangDetectException, detector_factory

from .stopwords import weighted_vote, words

__all__ = ["detect_language", "langdetect_language", "vote_language"]

SAMPLE_CHARS = 500  # langdetect: enough for a stable answer on news prose, bounded cost
# The vote reads more: a word costs it a dictionary lookup, and the chrome that often
# opens a scraped page (menus, labels) weighs less against the prose that follows.
VOTE_SAMPLE_CHARS = 2000
MIN_LETTERS = 20  # below this langdetect guesses; say nothing instead
VOTE_MIN_HITS = 8  # stop words the winning language needs in the sample
VOTE_MARGIN = 2.5  # and a score this many times the runner-up's (stopwords.py)
# The codes langdetect can give (zh-cn/zh-tw as zh): the vote names no other, so that
# it never answers what langdetect never could.
LANGDETECT_CODES = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv "
    "mk ml mr ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur vi zh".split()
)
_SEED = 0
# Letters (word characters but digits and '_'), with the stdlib re: faster than the
# regex module here, and the count is only a threshold.
_LETTER = re.compile(r"[^\W\d_]")
_init_lock = threading.Lock()


def _factory() -> detector_factory.DetectorFactory:
    with _init_lock:  # the profiles load once into a module-level factory
        if detector_factory._factory is None:
            with collector_paused():
                detector_factory.init_factory()
    return detector_factory._factory


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, then restore it as it was.

    Loading langdetect's profiles builds some 90,000 lists and frees nothing; with
    the collector on, each of the many collections that triggers walks the growing
    table again, which makes the load (paid once per process) take about 40% longer."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _sample(text: str) -> str | None:
    """The bounded sample both deciders read; None when it has too few letters."""
    sample = text[:SAMPLE_CHARS]
    # count letters only up to the threshold
    if sum(1 for _ in islice(_LETTER.finditer(sample), MIN_LETTERS)) < MIN_LETTERS:
        return None
    return sample


def vote_language(sample: str) -> str | None:
    """The language the sample's stop words clearly point to, or None when unclear.

    (detect_language gives it the first ``VOTE_SAMPLE_CHARS`` of the text.)"""
    ranked = weighted_vote(words(sample), LANGDETECT_CODES)
    if not ranked:
        return None
    code, hits, score = ranked[0]
    runner_up = ranked[1][2] if len(ranked) > 1 else 0.0
    if hits < VOTE_MIN_HITS or score < VOTE_MARGIN * runner_up:
        return None
    return code


def _langdetect(sample: str) -> str | None:
    detector = _factory().create()
    detector.seed = _SEED
    detector.append(sample)
    try:
        code = detector.detect()
    except LangDetectException:
        return None
    # langdetect names Chinese variants zh-cn / zh-tw; the schema wants ISO 639-1.
    return None if code == "unknown" else code.split("-")[0]


def langdetect_language(text: str) -> str | None:
    """langdetect's answer alone on the same sample (the reference for the vote)."""
    sample = _sample(text)
    return None if sample is None else _langdetect(sample)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot tell."""
    sample = _sample(text)
    if sample is None:
        return None
    return vote_language(text[:VOTE_SAMPLE_CHARS]) or _langdetect(sample)
