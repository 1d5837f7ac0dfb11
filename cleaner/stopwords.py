"""Stop-word lists of about 100 languages, from jusText, and a vote over them.

jusText (a dependency of trafilatura) ships one list of frequent words per language
(``justext/stoplists/<Language>.txt``). They are read here as data files, without
importing jusText, once per process. Stages that need to know how "prose-like" a text
is in some language (language id, line classification) share them through:

- :func:`stoplist`: the stop words of one language, by ISO 639-1 code;
- :func:`vote`: how many of a text's words each language's list holds.

Languages without an ISO 639-1 code (Aromanian, Low Saxon, ...) or that share one
(Norwegian Bokmal and Nynorsk) keep their jusText name or are merged under one code: a
vote then still sees them as competitors, so a text in a close language does not give
a clear answer for its neighbour.
"""

from __future__ import annotations

import importlib.util
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from itertools import chain, compress, repeat, zip_longest
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from .cache import load_or_build

__all__ = ["JUSTEXT_CODES", "stoplist", "vote", "weighted_vote", "words"]

# jusText's list names -> ISO 639-1. Names missing here are kept as they are (no code).
JUSTEXT_CODES = {
    "Afrikaans": "af",
    "Albanian": "sq",
    "Arabic": "ar",
    "Aragonese": "an",
    "Armenian": "hy",
    "Azerbaijani": "az",
    "Basque": "eu",
    "Belarusian": "be",
    "Belarusian_Taraskievica": "be",
    "Bengali": "bn",
    "Bosnian": "bs",
    "Breton": "br",
    "Bulgarian": "bg",
    "Catalan": "ca",
    "Chuvash": "cv",
    "Croatian": "hr",
    "Czech": "cs",
    "Danish": "da",
    "Dutch": "nl",
    "English": "en",
    "Simple_English": "en",
    "Esperanto": "eo",
    "Estonian": "et",
    "Finnish": "fi",
    "French": "fr",
    "Galician": "gl",
    "Georgian": "ka",
    "German": "de",
    "Greek": "el",
    "Gujarati": "gu",
    "Haitian": "ht",
    "Hebrew": "he",
    "Hindi": "hi",
    "Hungarian": "hu",
    "Icelandic": "is",
    "Ido": "io",
    "Igbo": "ig",
    "Indonesian": "id",
    "Irish": "ga",
    "Italian": "it",
    "Javanese": "jv",
    "Kannada": "kn",
    "Kazakh": "kk",
    "Korean": "ko",
    "Kurdish": "ku",
    "Kyrgyz": "ky",
    "Latin": "la",
    "Latvian": "lv",
    "Lithuanian": "lt",
    "Luxembourgish": "lb",
    "Macedonian": "mk",
    "Malay": "ms",
    "Malayalam": "ml",
    "Maltese": "mt",
    "Marathi": "mr",
    "Nepali": "ne",
    "Norwegian_Bokmal": "no",
    "Norwegian_Nynorsk": "no",
    "Occitan": "oc",
    "Persian": "fa",
    "Polish": "pl",
    "Portuguese": "pt",
    "Quechua": "qu",
    "Romanian": "ro",
    "Russian": "ru",
    "Serbian": "sr",
    "Slovak": "sk",
    "Slovenian": "sl",
    "Spanish": "es",
    "Sundanese": "su",
    "Swahili": "sw",
    "Swedish": "sv",
    "Tagalog": "tl",
    "Tamil": "ta",
    "Telugu": "te",
    "Turkish": "tr",
    "Turkmen": "tk",
    "Ukrainian": "uk",
    "Urdu": "ur",
    "Uzbek": "uz",
    "Vietnamese": "vi",
    "Volapuk": "vo",
    "Walloon": "wa",
    "Welsh": "cy",
    "West_Frisian": "fy",
    "Yoruba": "yo",
}

# The script of the languages not written in Latin letters. Some jusText lists hold more
# English than their own language (the Marathi list starts with "the"): a list keeps only
# the words in its language's script (for languages not named here: the script most of
# its words are in).
SCRIPTS = {
    **dict.fromkeys(("ar", "fa", "ur"), "ARABIC"),
    **dict.fromkeys(("be", "bg", "cv", "kk", "ky", "mk", "ru", "sr", "uk"), "CYRILLIC"),
    **dict.fromkeys(("hi", "mr", "ne", "Newar"), "DEVANAGARI"),
    **dict.fromkeys(("bn", "Bishnupriya_Manipuri"), "BENGALI"),
    "el": "GREEK",
    "gu": "GUJARATI",
    "he": "HEBREW",
    "hy": "ARMENIAN",
    "ka": "GEORGIAN",
    "kn": "KANNADA",
    "ko": "HANGUL",
    "ml": "MALAYALAM",
    "ta": "TAMIL",
    "te": "TELUGU",
    "Western_Panjabi": "ARABIC",
}

# A word: a run of letters (word characters but digits and '_'); the stdlib re is
# enough here, and faster than the regex module.
_WORD = re.compile(r"[^\W\d_]+")
_load_lock = threading.Lock()
# A word is characteristic of the languages where its rank is at most a * best + b.
RANK_SLACK = (4, 50)


def words(text: str) -> list[str]:
    """The text's words, lower-cased, as the stop-word lists hold them."""
    return _WORD.findall(text.lower())


def _script(word: str) -> str:
    """The script of a word, by its first letter ('LATIN', 'CYRILLIC', 'DEVANAGARI'...)."""
    first = word[0]
    return "LATIN" if first.isascii() else _letter_script(first)


@lru_cache(maxsize=4096)
def _letter_script(letter: str) -> str:
    # the lists hold some 200,000 words over a few thousand distinct first letters
    return unicodedata.name(letter, "?").split(" ")[0]


def _stoplist_files() -> list:
    """jusText's list files, by name. Found without importing jusText: its import pulls in
    lxml and urllib (some 60 ms a process), and only its data is needed here."""
    spec = importlib.util.find_spec("justext")
    for location in (spec and spec.submodule_search_locations) or ():
        folder = Path(location) / "stoplists"
        if folder.is_dir():
            return sorted((p for p in folder.iterdir() if p.name.endswith(".txt")), key=_name)
    # not a plain folder (a zipped install, say): let importlib.resources open it
    folder = resources.files("justext") / "stoplists"
    return sorted((e for e in folder.iterdir() if e.name.endswith(".txt")), key=_name)


def _name(entry) -> str:
    return entry.name


# A line that is a word, in a text with no whitespace but "\n". jusText's lists are such
# texts; in others, str.splitlines (which splits on more than "\n") and str.strip (which
# strips any whitespace) shape the lines, as in the plain form of _list_words.
_WORD_LINE = re.compile(r"^[^\W\d_]+$", re.MULTILINE)
_SPACE_BUT_NEWLINE = re.compile(r"[^\S\n]")


def _list_words(text: str) -> list[str]:
    """The lines of a list that are words (runs of letters), in order: one regex pass
    over the text instead of a strip and a match per line."""
    if _SPACE_BUT_NEWLINE.search(text) is None:
        return _WORD_LINE.findall(text)
    return [w for w in (line.strip() for line in text.splitlines()) if _WORD.fullmatch(w)]


def _in_script(found: list[str], script: str | None) -> list[str]:
    """The words of ``found`` in ``script`` (None: the script most of them are in), in
    order. A word's script is its first letter's, looked up once per distinct letter."""
    if script is None:
        firsts = Counter(map(itemgetter(0), found))  # in order of first appearance
        script_of = {letter: _script(letter) for letter in firsts}
        # counted per letter, in the words' order, so a tie goes as Counter(map(_script,
        # found)).most_common would settle it: to the script seen first
        counts: Counter[str] = Counter()
        for letter, count in firsts.items():
            counts[script_of[letter]] += count
        script = counts.most_common(1)[0][0]
    else:
        script_of = {letter: _script(letter) for letter in set(map(itemgetter(0), found))}
    kept = {letter for letter, letter_script in script_of.items() if letter_script == script}
    if len(kept) == len(script_of):
        return found
    return list(compress(found, map(kept.__contains__, map(itemgetter(0), found))))


def _interleave(parts: list[list[str]]) -> list[str]:
    """The lists of one code merged rank by rank (the first list's word of each rank
    first), each word once, where it first comes."""
    if len(parts) == 1:
        return list(dict.fromkeys(parts[0]))
    merged = dict.fromkeys(chain.from_iterable(zip_longest(*parts)))  # None: a list ended
    merged.pop(None, None)
    return list(merged)


def _build_lists() -> dict[str, list[str]]:
    """Every jusText list in its order (most frequent first), by language code (or
    jusText name when it has none); lists of the same code are interleaved by rank.

    The lists come from Wikipedia word counts, so some hold words of other languages
    (Marathi's holds "the"): only words that are runs of letters, in the language's
    script (``SCRIPTS``), are kept."""
    by_code: dict[str, list[list[str]]] = {}
    for entry in _stoplist_files():
        name = entry.name[: -len(".txt")]
        code = JUSTEXT_CODES.get(name, name)
        found = _list_words(entry.read_text(encoding="utf-8").lower())
        if found:
            by_code.setdefault(code, []).append(_in_script(found, SCRIPTS.get(code)))
    return {code: _interleave(parts) for code, parts in by_code.items()}


class _Tables(NamedTuple):
    lists: dict[str, list[str]]  # _build_lists
    ranks: dict[str, dict[str, int]]  # _rank_shared
    owners: dict[str, tuple[str, ...]]  # _own_shared


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The lists and the tables of their shared words, built once per process, or
    loaded from the on-disk cache (cache.py) under a key of the lists' bytes and this
    module's source: 0.2 s to build, about 0.03 s to load."""
    with _load_lock:  # one thread builds them; the others wait for the lru cache
        return _Tables(*load_or_build("stoplists", _table_sources, _build_tables))


def _build_tables() -> tuple:
    lists = _build_lists()
    ranks = _rank_shared(lists)
    return lists, ranks, _own_shared(ranks)


def _table_sources() -> Iterator[bytes]:
    """What the tables are built from: this module's code and every list file."""
    yield Path(__file__).read_bytes()
    for entry in _stoplist_files():
        yield entry.name.encode()
        yield entry.read_bytes()


def _lists() -> dict[str, list[str]]:
    """Every jusText list in its order, by code (``_build_lists``), once per process."""
    return _tables().lists


_read_lists = _lists  # the name the tests compare with the reference's


def _shared_ranks() -> dict[str, dict[str, int]]:
    return _tables().ranks


def _shared_owners() -> dict[str, tuple[str, ...]]:
    return _tables().owners


def _rank_shared(lists: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """word -> {code: the word's rank in that language's list}, codes in sorted order,
    for the words in more than one list only (some 8,000 of 100,000): a word in one list
    needs no rank to be characteristic of it."""
    codes = sorted(lists)
    seen: set[str] = set()
    shared: set[str] = set()
    for code in codes:
        shared.update(seen.intersection(lists[code]))
        seen.update(lists[code])
    ranks: dict[str, dict[str, int]] = {}
    for code in codes:
        found = lists[code]
        common = shared.intersection(found)
        if common:
            rank = dict(zip(found, range(len(found)), strict=True))  # a list holds a word once
            for word in common:
                ranks.setdefault(word, {})[code] = rank[word]
    return ranks


def _own_shared(shared_ranks: dict[str, dict[str, int]]) -> dict[str, tuple[str, ...]]:
    """word -> the languages it is characteristic of, for the words in more than one list.

    A list is in order of frequency. A word counts for a language only when it ranks
    there near its best rank in any list (``RANK_SLACK``): "the" is the first word of
    English and comes 92nd in Finnish (whose Wikipedia quotes English): it says English.
    Close languages share their top words at close ranks ("de" in Spanish and
    Portuguese) and keep them."""
    owners = {}
    for word, by_code in shared_ranks.items():
        best = min(by_code.values())
        limit = RANK_SLACK[0] * best + RANK_SLACK[1]
        owners[word] = tuple(sorted(code for code, rank in by_code.items() if rank <= limit))
    return owners


def _owners() -> dict[str, tuple[str, ...]]:
    """word -> the languages it is characteristic of (see :func:`weighted_vote`): a word
    in one list, of that list's; the others, :func:`_shared_owners`. (The whole table is
    for tests; :func:`_weights` builds from the parts.)"""
    return _by_word(_shared_owners().items())


def _by_word(shared: Iterable[tuple[str, Iterable[str]]]) -> dict[str, tuple[str, ...]]:
    """word -> codes: each word of a list, its list's code (lists in code order), then
    the ``shared`` words (those in several lists) with the codes given for them."""
    lists = _lists()
    by_word: dict[str, tuple[str, ...]] = {}
    for code in sorted(lists):
        by_word.update(dict.fromkeys(lists[code], (code,)))
    by_word.update((word, tuple(codes)) for word, codes in shared)
    return by_word


@lru_cache(maxsize=1)
def _codes_by_word() -> dict[str, tuple[str, ...]]:
    """word -> the codes whose list holds it (codes in sorted order), for :func:`vote`."""
    return _by_word(_shared_ranks().items())


@lru_cache(maxsize=256)
def stoplist(code: str) -> frozenset[str]:
    """The stop words of one language (ISO 639-1 code); empty when jusText has none."""
    return frozenset(_lists().get(code, ()))


def vote(text_words: Iterable[str]) -> list[tuple[str, int]]:
    """(language, hits) for every language whose list holds some of the words, most
    hits first (ties by code, so the order is deterministic). A word counts once per
    occurrence, for every language whose list holds it."""
    by_word = _codes_by_word()
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
    list holds it, 1 / how many do). Positions: the vote counts in lists, not dicts.

    Built from the parts of :func:`_owners`: a word in one candidate's list only, at
    C speed, list by list; then the shared words one by one."""
    codes = tuple(sorted(languages))
    position = {code: i for i, code in enumerate(codes)}
    lists = _lists()
    weights: dict[str, tuple[tuple[int, ...], float]] = {}
    for code, i in position.items():
        weights.update(zip(lists.get(code, ()), repeat(((i,), 1.0))))
    for word, owners in _shared_owners().items():
        kept = tuple(position[code] for code in owners if code in position)
        if kept:
            weights[word] = (kept, 1.0 / len(kept))
        else:  # in a candidate's list, but characteristic of none of them
            weights.pop(word, None)
    return codes, weights


def weighted_vote(
    text_words: Iterable[str], languages: frozenset[str]
) -> list[tuple[str, int, float]]:
    """(language, hits, score) over the candidate ``languages``, best score first.

    A word weighs 1 / (how many candidates' lists hold it): "the" is in the lists of
    many languages (Wikipedia quotes English everywhere) and says little, "which" says
    English. Ties go by code, so the order is deterministic."""
    codes, weights = _weights(languages)
    hits = [0] * len(codes)
    scores = [0.0] * len(codes)
    # Most words are in no list: map and filter drop them without a Python step each.
    for positions, weight in filter(None, map(weights.get, text_words)):
        for i in positions:
            hits[i] += 1
            scores[i] += weight  # per language, in the words' order, as ever
    ranked = sorted((i for i in range(len(codes)) if hits[i]), key=lambda i: (-scores[i], codes[i]))
    return [(codes[i], hits[i], scores[i]) for i in ranked]
