"""The stop-word tables as cleaner/stopwords.py derived them before the start-up work
(at 3518922), kept verbatim as the plain reference that tests/test_stopwords_tables.py
holds the fast derivation to: same lists, same owners, same weights to the last bit, same
votes. The functions it left as they were are imported, not copied (rewrite one of those
and its old form belongs here). Not used by the cleaner."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from cleaner.stopwords import _WORD, JUSTEXT_CODES, RANK_SLACK, SCRIPTS, _script

_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _read_lists() -> dict[str, list[str]]:
    """Every jusText list in its order (most frequent first), by language code (or
    jusText name when it has none); lists of the same code are interleaved by rank.

    The lists come from Wikipedia word counts, so some hold words of other languages
    (Marathi's holds "the"): only words that are runs of letters, in the language's
    script (``SCRIPTS``), are kept."""
    folder = resources.files("justext") / "stoplists"
    by_code: dict[str, list[list[str]]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        name = entry.name[: -len(".txt")]
        code = JUSTEXT_CODES.get(name, name)
        text = entry.read_text(encoding="utf-8").lower()
        found = [w for w in (line.strip() for line in text.splitlines()) if _WORD.fullmatch(w)]
        if not found:
            continue
        main_script = SCRIPTS.get(code) or Counter(map(_script, found)).most_common(1)[0][0]
        by_code.setdefault(code, []).append([w for w in found if _script(w) == main_script])
    lists = {}
    for code, parts in by_code.items():
        merged: dict[str, None] = {}
        for rank in range(max(map(len, parts))):
            for part in parts:
                if rank < len(part):
                    merged.setdefault(part[rank])
        lists[code] = list(merged)
    return lists


@lru_cache(maxsize=1)
def _ranks() -> dict[str, dict[str, int]]:
    """word -> {code: the word's rank in that language's list}, codes in sorted order."""
    with _load_lock:  # one thread reads the files; the others wait for the cache
        ranked = _read_lists()
    ranks: dict[str, dict[str, int]] = {}
    for code in sorted(ranked):
        for rank, word in enumerate(ranked[code]):  # a list holds a word once
            by_code = ranks.get(word)
            if by_code is None:
                ranks[word] = {code: rank}
            else:
                by_code[code] = rank
    return ranks


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    """(lists by code, word -> the codes whose list holds it), built once per process."""
    with _load_lock:
        ranked = _read_lists()
    lists = {code: frozenset(found) for code, found in ranked.items()}
    return lists, {word: tuple(by_code) for word, by_code in _ranks().items()}


@lru_cache(maxsize=1)
def _owners() -> dict[str, tuple[str, ...]]:
    """word -> the languages it is characteristic of (see :func:`weighted_vote`).

    A list is in order of frequency. A word counts for a language only when it ranks
    there near its best rank in any list (``RANK_SLACK``): "the" is the first word of
    English and comes 92nd in Finnish (whose Wikipedia quotes English): it says English.
    Close languages share their top words at close ranks ("de" in Spanish and
    Portuguese) and keep them."""
    owners = {}
    for word, by_code in _ranks().items():
        if len(by_code) == 1:  # most words: in one list, characteristic of it
            owners[word] = tuple(by_code)
            continue
        best = min(by_code.values())
        limit = RANK_SLACK[0] * best + RANK_SLACK[1]
        owners[word] = tuple(sorted(code for code, rank in by_code.items() if rank <= limit))
    return owners


def stoplist(code: str) -> frozenset[str]:
    """The stop words of one language (ISO 639-1 code); empty when jusText has none."""
    return _index()[0].get(code, frozenset())


def vote(text_words: Iterable[str]) -> list[tuple[str, int]]:
    """(language, hits) for every language whose list holds some of the words, most
    hits first (ties by code, so the order is deterministic). A word counts once per
    occurrence, for every language whose list holds it."""
    by_word = _index()[1]
    hits: dict[str, int] = {}
    for word in text_words:
        for code in by_word.get(word, ()):
            hits[code] = hits.get(code, 0) + 1
    return sorted(hits.items(), key=lambda item: (-item[1], item[0]))


@lru_cache(maxsize=8)
def _weights(
    languages: frozenset[str],
) -> tuple[tuple[str, ...], dict[str, tuple[tuple[int, ...], float]]]:
    """The candidate languages in order, and word -> (the positions there of those whose
    list holds it, 1 / how many do). Positions: the vote counts in lists, not dicts."""
    codes = tuple(sorted(languages))
    position = {code: i for i, code in enumerate(codes)}
    weights = {}
    for word, owners in _owners().items():
        kept = tuple(position[code] for code in owners if code in position)
        if kept:
            weights[word] = (kept, 1.0 / len(kept))
    return codes, weights
