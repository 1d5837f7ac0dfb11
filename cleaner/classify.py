"""Stage 3c: a statistical line classifier for the chrome no rule names.

The rules remove chrome they can name (by id). What is left on a real page is mostly
menus, teaser lists, footers and sidebars that look different on every site, but share
a shape that the text alone still shows:

- the story is a *dense run of prose*: long lines that end like sentences and are full of
  the language's stop-words ("the", "de", "und"), with few digits and symbols;
- chrome comes in *runs of short lines* (menus, link lists), Title Case Headlines
  without stop-words, or lines far from that run.

Each line gets a handful of such features (``FEATURES``), computed once per document in
a single pass; a logistic model (weights in ``classifier.json``, fitted by
``scripts/fit_classifier.py`` with cross-validation by page) scores them, and the scores
are smoothed over neighbouring lines before the decision (a short subheading between two
paragraphs of the story is kept, a lone sentence in the middle of a menu is not).

Stop-words come from jusText's stoplists (one per language), chosen by the language
detected on the document's longest lines.

The classifier never removes a line that a rule already decided on, never the title, and
drops nothing when the document has no prose run at all (a bare list stays as it is:
removing content is worse than leaving chrome).
"""

from __future__ import annotations

import json
import math
import operator
import re
from dataclasses import dataclass
from functools import lru_cache, reduce
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

import regex

from .engine import Article, peel_last_lines
from .language import detect_language
from .rules import RuleSet
from .stopwords import stoplist

__all__ = [
    "FEATURES",
    "STACK_FEATURES",
    "apply_classifier",
    "classify_lines",
    "Classifier",
    "LineCache",
    "document_features",
    "load_classifier",
    "stack_features",
    "stopwords_for",
]

WEIGHTS_PATH = Path(__file__).with_name("classifier.json")
RULE_ID = "classifier"
RULE_DESCRIPTION = (
    "The line classifier (cleaner/classify.py, weights in classifier.json) scored the line "
    "as chrome: its content score (0 chrome .. 1 content) is below the bar for its place "
    "on the page (low inside the story's span, high outside it)."
)

_WORD = regex.compile(r"\w+")
# On ASCII text \w is [A-Za-z0-9_] for both engines; the standard library's scans faster.
_WORD_ASCII = re.compile(r"\w+", re.ASCII)
_FIRST_CHAR = operator.itemgetter(0)
_SENTENCE_END = regex.compile(r"[.!?…:;\"'”’»)\]]$")
_SENTENCE_END_CHARS = tuple(".!?…:;\"'”’»)]")
_SEPARATORS = regex.compile(r"[|•·»›>/]")
_SEPARATOR_CHARS = "|•·»›>/"  # counted one by one: the same count as _SEPARATORS.findall
# A teaser's headline and summary glued without a space ("...RenovationMichigan couple"):
# scraped text of separate elements; inside a story such joins are rare.
_GLUED = regex.compile(r"\p{Ll}{4}[.?!:]?\p{Lu}|\p{Ll}{2}[?!)”’]\p{Lu}\p{Ll}")
# The same matches, found faster: the two branches share their first two letters.
_GLUED_FAST = regex.compile(r"\p{Ll}{2}(?:\p{Ll}{2}[.?!:]?\p{Lu}|[?!)”’]\p{Lu}\p{Ll})")
# Every _GLUED match holds a capital right after a lower-case letter or one of .?!:)”’
# (the character before its \p{Lu}): lines without such a pair, almost all, are passed
# over by a pattern whose first character is rare, instead of trying _GLUED everywhere.
_GLUE_HINT = regex.compile(r"\p{Lu}(?<=[\p{Ll}.?!:)”’]\p{Lu})")
# The same on ASCII text, where \p{Lu} and \p{Ll} are A-Z and a-z: the standard
# library's engine skips to a capital faster.
_GLUE_HINT_ASCII = re.compile(r"[A-Z](?<=[a-z.?!:)][A-Z])")
# A teaser's headline run into its summary's dateline ("...in US NEW YORK: An Indian...").
_INNER_DATELINE = regex.compile(r"\p{Ll}[,;]? \p{Lu}{2,}(?: \p{Lu}{2,})*: \p{Lu}")
_LIST_MARKS = frozenset("–—-:@|$€£/•·")
_LIST_MARKS_ORDER = tuple(sorted(_LIST_MARKS))
_PROSE_WORDS = 10  # a line this long that ends like a sentence is prose-shaped
_LONG_PROSE_WORDS = 40  # a line this long is prose-shaped however it ends
_PRICE_MAX_CHARS = 16  # "$1,299.99", "EUR 12,99": a bare price line is short
_PRICE_MAX_LETTERS = 3  # a currency code at most
_PRICE_MIN_BLOCKS = 3  # prices that make a priced list (priced_blocks)
_PRICE_MAX_GAP = 30  # lines from one price to the next: a product block
_PRICE_FIRST = 10  # lines from the story's end to the first price: the list follows it
_CURRENCY = regex.compile(r"\p{Sc}|\b[A-Z]{3}\b")  # "$", "€", "USD", "EUR"
_WINDOW = 3  # lines each side that local density features look at

# When the language is unknown, stop-words of the most common web languages together.
_FALLBACK_LANGS = ("en", "es", "pt", "fr", "de", "it", "nl", "id")

FEATURES = (
    "bias",
    "log_words",
    "sentence_end",
    "stop_density",
    "log_stops",
    "title_case",
    "digits",
    "symbols",
    "separators",
    "short",
    "prose",
    "local_prose",
    "local_short",
    "prev_prose",
    "next_prose",
    "in_main_run",
    "log_dist_main",
    "log_chars_rel",
    "glued",
    "inner_dateline",
    "alternation",
    "prose_run",
    "glued_headline",
    "same_shape",
    "digit_list",
    "local_teaser",
)

# The second (stacked) pass reads the first pass's scores around each line: a story is a
# run of lines the first pass likes, a teaser block a run where it keeps changing its mind.
STACK_FEATURES = (
    "bias",
    "logit",
    "near_mean",
    "window_mean",
    "wide_mean",
    "in_span",
    "log_dist_span",
    "after_span",
    "prose",
    "alternation",
    "short",
    "short_between",
)


@lru_cache(maxsize=64)
def stopwords_for(lang: str | None) -> frozenset[str]:
    """The stop-words of a language (ISO 639-1); common web languages when unknown."""
    words = stoplist(lang) if lang else frozenset()
    return words or frozenset().union(*(stoplist(code) for code in _FALLBACK_LANGS))


class _Shape(NamedTuple):
    """What one line's text shows, independent of its neighbours. (A named tuple: one
    is built per distinct line, and a tuple is built several times faster than a
    frozen dataclass.)"""

    words: int
    stops: int
    title_case: float
    digits: float
    symbols: float
    separators: int
    sentence_end: bool
    chars: int
    glued: int
    inner_dateline: bool
    glued_headline: bool
    key: tuple[int, bool, frozenset[str], int]  # a list item's look: its neighbours share it
    prose: bool  # ``_is_prose``


def _is_prose(words: int, stops: int, sentence_end: bool) -> bool:
    # A paragraph this long is prose even when its last sentence lost its full stop
    # (a closing phrase set as a link or in bold): menus glued into one line lack
    # the stop-words.
    ends = sentence_end or words >= _LONG_PROSE_WORDS
    return words >= _PROSE_WORDS and ends and stops >= 0.15 * words


def _list_key(text: str, words: int, has_digits: bool) -> tuple[int, bool, frozenset[str], int]:
    """How a list item looks: first character's class, digits, list marks, length."""
    first = _char_class(text[0]) if text else 0
    # one substring test per mark: faster than hashing every character of a long line
    marks = frozenset([mark for mark in _LIST_MARKS_ORDER if mark in text])
    return (first, has_digits, marks, min(words, 9) // 3)


def digit_lists(texts: list[str], min_items: int = 3) -> list[tuple[int, int]]:
    """Runs (first, last) of at least ``min_items`` adjacent lines with digits that look
    alike (``_list_key``): tour dates, race calendars, spec sheets."""
    # Items of one list differ in length: compare them without it.
    return _list_runs([_list_key(t, 0, any(ch.isdigit() for ch in t)) for t in texts], min_items)


def _list_runs(keys: list[tuple[int, bool, frozenset[str], int]], min_items: int = 3):
    """``digit_lists`` over the lines' list keys (length left out)."""
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start >= min_items and keys[start][1]:
                runs.append((start, i - 1))
            start = i
    return runs


def _is_price_line(text: str) -> bool:
    """A line that is only a number with a currency or unit ("$139.00", "€ 12,99")."""
    if len(text) > _PRICE_MAX_CHARS or not _CURRENCY.search(text):
        return False
    return any(map(str.isdigit, text)) and sum(map(str.isalpha, text)) <= _PRICE_MAX_LETTERS


def priced_blocks(texts: list[str], end: int) -> tuple[int, int]:
    """The lines after the story's last line ``end`` that form a list of priced blocks
    (first, last; an empty range when there is none).

    A deals roundup or a product list under the story ("our picks below") is a run of
    blocks (name, features, price) in which a bare price line recurs every few lines;
    the blocks are short lines the classifier scores as chrome one by one, yet they are
    the story. Teaser lists and menus do not print a bare price per item. The first
    price must come within ``_PRICE_FIRST`` lines of the story, at least
    ``_PRICE_MIN_BLOCKS`` prices each within ``_PRICE_MAX_GAP`` lines of the previous
    one; the list ends at the last price."""
    prices: list[int] = []
    for i in range(end + 1, len(texts)):
        if i - (prices[-1] if prices else end) > (_PRICE_MAX_GAP if prices else _PRICE_FIRST):
            break
        if _is_price_line(texts[i]):
            prices.append(i)
    if len(prices) < _PRICE_MIN_BLOCKS:
        return 0, -1
    return end + 1, prices[-1]


def _char_class(ch: str) -> int:
    return 1 if ch.isdigit() else 2 if ch.isupper() else 3 if ch.islower() else 4


def _ends_like_sentence(text: str) -> bool:
    """``_SENTENCE_END.search(text)`` without scanning the line: only its last
    character counts (a final newline aside, where ``$`` also matches before it)."""
    if text.endswith("\n"):
        return bool(_SENTENCE_END.search(text))
    return text.endswith(_SENTENCE_END_CHARS)


def _glued_headline(text: str, glue: regex.Match | None) -> bool:
    """A Title Case headline run into the sentence after it ("Best Spots In DetroitHoodline
    crunched..."): a teaser's headline and summary from two elements, scraped as one.
    ``glue`` is the first ``_GLUED`` match in the text."""
    if glue is None:
        return False
    head = text[: glue.start() + 2].split()
    if len(head) < 3:
        return False
    capitals = sum(1 for word in head if word[0].isupper() or not word[0].isalpha())
    return capitals >= 0.7 * len(head)


_ASCII_DIGITS = b"0123456789"
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _digits_and_letters(text: str) -> tuple[int, int]:
    """How many characters of ``text`` are digits and how many letters (``str.isdigit``,
    ``str.isalpha``)."""
    digits, letters, _, _ = _char_counts(text)
    return digits, letters


# The separators and list marks among ASCII characters, as bytes to count or keep.
_ASCII_SEPARATORS = "".join(ch for ch in _SEPARATOR_CHARS if ch.isascii()).encode("ascii")
_OTHER_SEPARATORS = tuple(ch for ch in _SEPARATOR_CHARS if not ch.isascii())
_NOT_ASCII_MARKS = bytes(b for b in range(128) if chr(b) not in _LIST_MARKS)
_OTHER_MARKS = tuple(mark for mark in _LIST_MARKS_ORDER if not mark.isascii())


def _char_counts(text: str) -> tuple[int, int, int, frozenset[str]]:
    """What ``_shape`` counts character by character: digits (``str.isdigit``), letters
    (``str.isalpha``), separators (``_SEPARATOR_CHARS``) and the list marks present
    (``_LIST_MARKS``), in a few C-level passes (a plain tuple: one per line). On ASCII
    characters isdigit and isalpha mean 0-9 and A-Z/a-z: counted by deleting them from
    the bytes (a translate each), and the list marks found by deleting all else; only
    the other characters (an accent, a curly quote, a bullet) are asked one by one."""
    if text.isascii():
        raw, others = text.encode("ascii"), ""
    else:
        raw = text.encode("ascii", "ignore")
        others = "".join(_NON_ASCII.findall(text))
    size = len(raw)
    digits = size - len(raw.translate(None, _ASCII_DIGITS))
    letters = size - len(raw.translate(None, _ASCII_LETTERS))
    separators = size - len(raw.translate(None, _ASCII_SEPARATORS))
    marks = raw.translate(None, _NOT_ASCII_MARKS).decode("ascii")
    if others:
        digits += sum(map(str.isdigit, others))
        letters += sum(map(str.isalpha, others))
        separators += sum(map(others.count, _OTHER_SEPARATORS))
        marks += "".join([mark for mark in _OTHER_MARKS if mark in others])
    return digits, letters, separators, frozenset(marks)


def _shape(text: str, stops: frozenset[str]) -> _Shape:
    ascii_only = text.isascii()
    # most lines are ASCII: counted on their bytes
    counts = (_ascii_counts if ascii_only else _unicode_counts)(text, stops)
    words, n_stops, alpha, upper, digits, letters, separators, marks = counts
    chars = len(text) or 1
    spaces = text.count(" ")
    hint = (_GLUE_HINT_ASCII if ascii_only else _GLUE_HINT).search(text)
    glues = list(_GLUED_FAST.finditer(text)) if hint else []
    sentence_end = _ends_like_sentence(text)
    # positional: a named tuple takes keywords several times slower
    return _Shape(
        words,
        n_stops,
        upper / alpha if alpha else 0.0,  # title_case
        digits / chars,
        max(0, chars - letters - digits - spaces) / chars,  # symbols
        separators,
        sentence_end,
        chars,
        len(glues),
        # the dateline's ": " is rare: look for it before running the pattern
        ": " in text and bool(_INNER_DATELINE.search(text)),
        bool(glues) and _glued_headline(text, glues[0]),  # glued_headline
        # _list_key, from the marks already found
        (_char_class(text[0]) if text else 0, digits > 0, marks, min(words, 9) // 3),
        _is_prose(words, n_stops, sentence_end),
    )


# What _shape counts in a line: words, stop-words, alphabetic word starts, capital word
# starts, digits, letters, separators, and the list marks present.
_Counts = tuple[int, int, int, int, int, int, int, frozenset[str]]


def _unicode_counts(text: str, stops: frozenset[str]) -> _Counts:
    tokens = _WORD.findall(text)
    # str.casefold, str.isalpha... mapped in C: no Python-level step per word
    n_stops = sum(map(stops.__contains__, map(str.casefold, tokens)))
    alpha = list(filter(str.isalpha, map(_FIRST_CHAR, tokens)))  # alphabetic word starts
    upper = sum(map(str.isupper, alpha))
    return (len(tokens), n_stops, len(alpha), upper, *_char_counts(text))


_ASCII_UPPER = bytes(range(65, 91))


def _ascii_counts(text: str, stops: frozenset[str]) -> _Counts:
    """``_unicode_counts`` of an ASCII line, in fewer calls. On ASCII, casefold is
    lower, isalpha is A-Z/a-z and isupper A-Z: the words' first characters are counted
    by deleting letters from their bytes, as ``_char_counts`` counts the line's, and the
    words (which hold no space) are lowered in one call, joined."""
    tokens = _WORD_ASCII.findall(text)
    n_stops = sum(map(stops.__contains__, " ".join(tokens).lower().split()))
    firsts = "".join(map(_FIRST_CHAR, tokens)).encode("ascii")
    alpha = len(firsts) - len(firsts.translate(None, _ASCII_LETTERS))
    upper = len(firsts) - len(firsts.translate(None, _ASCII_UPPER))
    return (len(tokens), n_stops, alpha, upper, *_char_counts(text))


def _main_run(shapes: list[_Shape]) -> tuple[int, int]:
    """The densest run of prose: the span maximising prose characters minus the rest.

    Kadane's maximum-sum span over per-line scores: a prose line adds its length, any
    other line costs a little (short lines are what menus and teaser lists are made of),
    so a menu of forty links splits two prose runs, a subheading does not."""
    return _max_span(
        [float(s.chars) if s.prose else -min(40.0, 10.0 + s.chars / 4) for s in shapes]
    )


# The first FEATURES depend only on the line's own text (``_shape_terms``), the rest on
# its neighbours too (``_context_terms``).
_SHAPE_FEATURES = FEATURES.index("local_prose")


def document_features(
    texts: list[str], stops: frozenset[str], shapes: list[_Shape] | None = None
) -> list[list[float]]:
    """One feature vector (in ``FEATURES`` order) per line of a document.

    The document is the lines still kept after the rules: features never look at what
    was removed, so cleaning a cleaned text sees the same lines again (idempotence).
    ``shapes`` are the lines' ``_shape``s with these stop-words when already known."""
    if shapes is None:
        shapes = [_shape(text, stops) for text in texts]
    context, _ = _context_terms(shapes)
    return [_shape_terms(s) + rest for s, rest in zip(shapes, context, strict=True)]


def _shape_terms(s: _Shape) -> list[float]:
    """A line's features that its text alone decides (``FEATURES[:_SHAPE_FEATURES]``):
    the same for the line wherever it stands, so worked out once per distinct line."""
    return [
        1.0,
        math.log1p(s.words),
        float(s.sentence_end),
        s.stops / s.words if s.words else 0.0,
        math.log1p(s.stops),
        s.title_case,
        s.digits,
        s.symbols,
        min(s.separators, 3) / 3,
        float(s.words < 5),
        float(s.prose),
    ]


def _context_terms(shapes: list[_Shape]) -> tuple[list[list[float]], bool]:
    """Each line's features that its neighbours decide (``FEATURES[_SHAPE_FEATURES:]``),
    and whether the document has a prose run (a main run) at all."""
    columns, has_run = _context_columns(shapes)
    return [list(row) for row in zip(*columns, strict=True)], has_run


def _context_columns(shapes: list[_Shape]) -> tuple[list[list[float]], bool]:
    """``_context_terms`` by feature instead of by line: one list per feature, each
    built in one pass over the document, with no list per line to build."""
    n = len(shapes)
    start, end = _main_run(shapes)
    prose = [s.prose for s in shapes]
    chars = [s.chars for s in shapes]
    median_chars = sorted(chars)[n // 2] if n else 1
    widths = _window_widths(n, _WINDOW)
    same = _same_shapes(shapes)
    dist = _span_distances(n, start, end)
    log1p, log = math.log1p, math.log
    columns = [
        _window_shares(prose, widths),  # local_prose
        _window_shares([s.words < 5 for s in shapes], widths),  # local_short
        [0.0, *map(float, prose[:-1])][:n],  # prev_prose
        [*map(float, prose[1:]), 0.0][:n],  # next_prose
        [float(d == 0) for d in dist],  # in_main_run
        list(map(log1p, dist)),  # log_dist_main
        [log(c / median_chars) for c in chars],  # log_chars_rel
        [float(min(s.glued, 2)) for s in shapes],  # glued
        [float(s.inner_dateline) for s in shapes],  # inner_dateline
        _alternation(prose, widths),  # alternation
        [
            log1p(r) if p else 0.0 for r, p in zip(_run_lengths(prose), prose, strict=True)
        ],  # prose_run
        [float(s.glued_headline) for s in shapes],  # glued_headline
        same,  # same_shape
        [m if s.digits > 0 else 0.0 for m, s in zip(same, shapes, strict=True)],  # digit_list
        # local_teaser: teaser headlines glued to their summaries come in blocks
        _window_shares([s.inner_dateline or s.glued_headline for s in shapes], widths),
    ]
    return columns, end >= start


def _alternation(prose: list[bool], widths: list[int]) -> list[float]:
    """For each line, the prose/non-prose switches between the lines of its window, per
    other line in it: headline, summary, headline, summary... (0 for a lone line)."""
    n = len(prose)
    if n < 2:
        return [0.0] * n
    # switches[k]: how many of lines 1..k-1 differ from the line before them
    switches = _prefix([False, *map(operator.ne, prose[1:], prose)])
    upper = _upper_edges(switches, _WINDOW)
    lower = _lower_edges(switches[1:], n, _WINDOW)  # from the window's second line on
    return [(hi - lo) / width for hi, lo, width in zip(upper, lower, widths, strict=True)]


def _lower_edges(values: list, n: int, half: int) -> list:
    """``values[max(0, i - half)]`` for each line i of n: where each line's window of
    ``half`` lines each side starts. Slices, not index arithmetic per line."""
    before = min(half, n)
    return [values[0]] * before + values[: n - before]


def _upper_edges(prefix: list, half: int) -> list:
    """``prefix[min(n, i + half + 1)]`` for each line i of n, from prefix sums (n + 1
    values): where each line's window of ``half`` lines each side ends."""
    n = len(prefix) - 1
    return prefix[half + 1 :] + [prefix[n]] * min(half, n)


def _window_widths(n: int, half: int) -> list[int]:
    """For each of n lines, how many other lines its window of ``half`` lines each side
    holds; 1 for a lone line, so that dividing by it is safe."""
    bounds = list(range(n + 1))
    lower, upper = _lower_edges(bounds, n, half), _upper_edges(bounds, half)
    return [hi - lo - 1 or 1 for lo, hi in zip(lower, upper, strict=True)]


def _window_shares(flags: list[bool], widths: list[int]) -> list[float]:
    """For each line, the share of the other lines in its window (``_WINDOW`` lines each
    side) whose flag is set: prefix sums at the window's edges, less the line's own."""
    sums = _prefix(flags)
    lower, upper = _lower_edges(sums, len(flags), _WINDOW), _upper_edges(sums, _WINDOW)
    return [
        (hi - lo - own) / width
        for hi, lo, own, width in zip(upper, lower, flags, widths, strict=True)
    ]


def _span_distances(n: int, start: int, end: int) -> list[int]:
    """For each of n lines, how many lines it lies outside the span start..end (0 inside;
    with no span, (0, -1), line i lies i + 1 lines after it)."""
    return [start - i if i < start else i - end if i > end else 0 for i in range(n)]


def _same_shapes(shapes: list[_Shape]) -> list[float]:
    """For each line, the share of the two lines on each side that look like it (items
    of one list: tour dates, race calendars, spec sheets share a shape; prose does not).
    Each pair of lines one and two apart is compared once."""
    keys = [s.key for s in shapes]
    if not keys:
        return []
    # one[i]: line i looks like line i - 1; two[i]: like line i - 2 (False off the page)
    one = [False, *map(operator.eq, keys[1:], keys), False]
    two = [False, False, *map(operator.eq, keys[2:], keys), False, False]
    return [
        (t + o + o_next + t_next) / 4
        for t, o, o_next, t_next in zip(two, one, one[1:], two[2:], strict=False)
    ]


def _run_lengths(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of equal flags it belongs to."""
    out = [0] * len(flags)
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            out[start:i] = [i - start] * (i - start)
            start = i
    return out


def stack_features(
    scores: list[float], texts: list[str], first: list[list[float]]
) -> list[list[float]]:
    """Second-pass features (``STACK_FEATURES``) from the first pass's scores."""
    prose_col, alt_col = FEATURES.index("prose"), FEATURES.index("alternation")
    short_col = FEATURES.index("short")
    return _stack_rows(
        scores,
        texts,
        [row[prose_col] for row in first],
        [row[alt_col] for row in first],
        [row[short_col] > 0 for row in first],
    )


def _stack_rows(
    scores: list[float],
    texts: list[str],
    prose: list[float],
    alternation: list[float],
    short: list[bool],
) -> list[list[float]]:
    """``stack_features`` from the first-pass columns it reads."""
    columns = _stack_columns(scores, texts, prose, alternation, short)
    return [list(row) for row in zip(*columns, strict=True)]


def _stack_columns(
    scores: list[float],
    texts: list[str],
    prose: list[float],
    alternation: list[float],
    short: list[bool],
) -> list[list[float]]:
    """``_stack_rows`` by feature instead of by line: one list per ``STACK_FEATURES``."""
    n = len(scores)
    start, end = _max_span(
        [(s - 0.5) * math.log1p(len(t)) for s, t in zip(scores, texts, strict=True)]
    )
    sums = list(accumulate(scores, initial=0.0))
    # each score as the sums give it back, so that a window mean leaves it out exactly
    own = list(map(operator.sub, sums[1:], sums))
    dist = _span_distances(n, start, end)
    clipped = [min(max(score, 1e-4), 1 - 1e-4) for score in scores]
    log = math.log
    return [
        [1.0] * n,  # bias
        [log(c / (1 - c)) for c in clipped],  # logit
        _window_means(sums, own, 1),  # near_mean
        _window_means(sums, own, 3),  # window_mean
        _window_means(sums, own, 8),  # wide_mean
        [float(d == 0) for d in dist],  # in_span
        list(map(math.log1p, dist)),  # log_dist_span
        [0.0] * (end + 1) + [1.0] * (n - end - 1),  # after_span
        list(prose),
        list(alternation),
        list(map(float, short)),
        [b if s else 0.0 for b, s in zip(_between_scores(scores, short), short, strict=True)],
    ]


def _window_means(sums: list[float], own: list[float], half: int) -> list[float]:
    """For each line, the mean of the other scores within ``half`` lines of it, from the
    scores' prefix ``sums`` less its ``own`` (0.5 when the document has a single line).
    The same sums and order of operations as ``_window_mean`` line by line."""
    n = len(own)
    if n < 2:
        return [0.5] * n
    lower, upper = _lower_edges(sums, n, half), _upper_edges(sums, half)
    widths = _window_widths(n, half)
    return [
        (hi - lo - o) / width for hi, lo, o, width in zip(upper, lower, own, widths, strict=True)
    ]


def _between_scores(scores: list[float], short: list[bool]) -> list[float]:
    """For each line, the lower score of the nearest longer lines before and after it
    (jusText's context rule: a short line is as good as the worse of its neighbours)."""
    n = len(scores)
    before, after = [0.0] * n, [0.0] * n
    last = 0.0  # the page edge counts as chrome
    for i in range(n):
        before[i] = last
        if not short[i]:
            last = scores[i]
    last = 0.0
    for i in range(n - 1, -1, -1):
        after[i] = last
        if not short[i]:
            last = scores[i]
    return [min(b, a) for b, a in zip(before, after, strict=True)]


def _prefix(flags: list[bool]) -> list[int]:
    sums = [0]
    for flag in flags:
        sums.append(sums[-1] + flag)
    return sums


@dataclass(frozen=True, slots=True)
class Classifier:
    """A fitted logistic model over ``FEATURES`` plus its decision settings."""

    weights: tuple[float, ...]
    stack_weights: tuple[float, ...] | None = None  # second pass; None: first pass only
    threshold: float = 0.5  # score above which a line counts for the story's span
    smooth: float = 0.5  # weight of the neighbours' mean score in the smoothed score
    keep_inside: float = 0.3  # lines inside the story's span are kept from this score
    keep_outside: float = 0.9  # lines outside it only from this one
    keep_list: float = 1.01  # a digit list touching the span joins it from this mean score

    def decide(
        self, scores: list[float], texts: list[str], shapes: list[_Shape] | None = None
    ) -> list[bool]:
        """Which lines to keep: the story is one span, found as the maximum-sum run of
        (score - threshold) weighted by line length; inside it the bar is low (short
        subheadings, a standfirst), outside it high (a teaser block elsewhere on the
        page looks like prose, but it is not where the story is). ``shapes``, when
        known, spare measuring the lines' list keys again."""
        start, end = _max_span(
            [(s - self.threshold) * math.log1p(len(t)) for s, t in zip(scores, texts, strict=True)]
        )
        if shapes is None:
            lists = digit_lists(texts)
        else:
            lists = _list_runs([(*shape.key[:3], 0) for shape in shapes])
        start, end = self._join_lists(scores, lists, start, end)
        keep = [
            s >= (self.keep_inside if start <= i <= end else self.keep_outside)
            for i, s in enumerate(scores)
        ]
        if end >= start:
            first, last = priced_blocks(texts, end)
            keep[first : last + 1] = [True] * (last + 1 - first)
        return keep

    def _join_lists(
        self, scores: list[float], lists: list[tuple[int, int]], start: int, end: int
    ) -> tuple[int, int]:
        """Widen the span over a list right next to it (tour dates after the story): a
        list is one block (``digit_lists``), judged by its items' mean score, not item
        by item."""
        if end < start:
            return start, end
        for first, last in lists:
            near = first <= end + 2 and last >= start - 2
            if near and sum(scores[first : last + 1]) / (last - first + 1) >= self.keep_list:
                start, end = min(start, first), max(end, last)
        return start, end

    def scores(self, features: list[list[float]], texts: list[str]) -> list[float]:
        """Probability that each line is story content (both passes)."""
        first = _logistic(self.weights, features)
        if self.stack_weights is None:
            return first
        return _logistic(self.stack_weights, stack_features(first, texts, features))

    def smoothed(self, scores: list[float]) -> list[float]:
        """Each score mixed with the mean of its two neighbours' (context smoothing)."""
        if len(scores) < 2:
            means = list(scores)  # a lone line has no neighbours: its own score
        else:
            # The mean of one neighbour is its score; of two, (a + b) / 2, which is what
            # sum([a, b]) / 2 gave: sum adds from 0, and 0.0 + a == a for scores >= 0.
            inner = [(a + b) / 2 for a, b in zip(scores, scores[2:], strict=False)]
            means = [scores[1], *inner, scores[-2]]
        keep, mix = 1 - self.smooth, self.smooth
        return [keep * score + mix * mean for score, mean in zip(scores, means, strict=True)]


def _max_span(gains: list[float]) -> tuple[int, int]:
    """Kadane: the span with the largest sum of gains ((0, -1) when all are negative)."""
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for i, gain in enumerate(gains):
        if total <= 0:
            total, start = 0.0, i
        total += gain
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def _logistic(weights: tuple[float, ...], rows: list[list[float]]) -> list[float]:
    if any(len(row) != len(weights) for row in rows):
        raise ValueError("feature rows and weights differ in length")
    return [_sigmoid(_dot(weights, row)) for row in rows]


def _dot(weights: tuple[float, ...], values: list[float], start: float = 0.0) -> float:
    """``start`` plus the products of weights and values, added one by one from the
    left: so a row's logit is the same whether its first terms were added now or before
    (``classify_lines`` adds a line's ``_shape_terms`` once). sum() would give the same
    on Python 3.11, but compensates its rounding from 3.12 on."""
    return reduce(operator.add, map(operator.mul, weights, values), start)


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=4)
def load_classifier(path: Path = WEIGHTS_PATH) -> Classifier | None:
    """The shipped model; None when the weights file is missing or does not fit."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("features") != list(FEATURES):
        return None  # weights fitted for another feature set: do not guess
    stack = data.get("stack_weights")
    if stack is not None and data.get("stack_features") != list(STACK_FEATURES):
        return None
    return Classifier(
        weights=tuple(float(w) for w in data["weights"]),
        stack_weights=tuple(float(w) for w in stack) if stack is not None else None,
        threshold=float(data.get("threshold", 0.5)),
        smooth=float(data.get("smooth", 0.5)),
        keep_inside=float(data.get("keep_inside", 0.3)),
        keep_outside=float(data.get("keep_outside", 0.9)),
        keep_list=float(data.get("keep_list", 1.01)),
    )


def language_sample(texts: list[str], limit: int = 1000) -> str:
    """Text to detect the language on: the longest lines (prose, not menus)."""
    sample, size = [], 0
    for text in sorted(texts, key=len, reverse=True):
        if size >= limit:
            break
        sample.append(text)
        size += len(text) + 1
    return " ".join(sample)


def classify_lines(
    texts: list[str],
    lang: str | None,
    model: Classifier,
    shapes: list[_Shape] | None = None,
    heads: list[float] | None = None,
) -> list[float] | None:
    """Smoothed content scores per line, or None when the document has no prose run.

    The same scores as ``model.smoothed(model.scores(document_features(...), texts))``
    to the last bit, without building the feature rows: ``heads`` are the lines'
    ``_shape_logit``s when already known (a line's own terms are added first, and
    ``_column_logits`` adds the rest in ``_dot``'s order)."""
    if len(model.weights) != len(FEATURES):
        raise ValueError("feature rows and weights differ in length")
    if shapes is None:
        stops = stopwords_for(lang)
        shapes = [_shape(text, stops) for text in texts]
    if heads is None:
        heads = [_shape_logit(model, shape) for shape in shapes]
    context, has_run = _context_columns(shapes)
    if not has_run:
        return None
    first = _sigmoids(_column_logits(model.weights[_SHAPE_FEATURES:], context, heads))
    if model.stack_weights is None:
        return model.smoothed(first)
    if len(model.stack_weights) != len(STACK_FEATURES):
        raise ValueError("feature rows and weights differ in length")
    stacked = _stack_columns(
        first,
        texts,
        [float(s.prose) for s in shapes],
        context[FEATURES.index("alternation") - _SHAPE_FEATURES],
        [s.words < 5 for s in shapes],
    )
    return model.smoothed(_sigmoids(_column_logits(model.stack_weights, stacked)))


def _column_logits(
    weights: tuple[float, ...], columns: list[list[float]], start: list[float] | None = None
) -> list[float]:
    """Each line's ``_dot(weights, row, start)``, from feature columns: one column is
    added to all lines at a time, in the order ``_dot`` adds a row's terms, so every
    line's sum is the same to the last bit (``start``: 0.0 for every line when None)."""
    logits = [0.0] * len(columns[0]) if start is None else start
    for weight, column in zip(weights, columns, strict=True):
        logits = [logit + weight * value for logit, value in zip(logits, column, strict=True)]
    return logits


def _sigmoids(logits: list[float]) -> list[float]:
    """``_sigmoid`` of each logit, without a call per line."""
    exp = math.exp
    return [0.0 if z < -30 else 1.0 / (1.0 + exp(-z)) for z in logits]


def _shape_logit(model: Classifier, shape: _Shape) -> float:
    """The first pass's logit over the line's own terms (``_shape_terms``) alone."""
    return _dot(model.weights[:_SHAPE_FEATURES], _shape_terms(shape))


def _cached_lines(
    texts: list[str], lang: str | None, model: Classifier, cache: dict
) -> tuple[list[_Shape], list[float]]:
    """The lines' shapes with the stop-words of ``lang`` and their ``_shape_logit``s; a
    line's shape depends only on its text and the language, so each is measured once
    per article, not once per pass of the fixed-point loop."""
    stops = stopwords_for(lang)
    by_text = cache.setdefault(lang, {})
    weights = model.weights[:_SHAPE_FEATURES]  # _shape_logit's, sliced once
    for text in texts:
        if text not in by_text:
            shape = _shape(text, stops)
            by_text[text] = (shape, _dot(weights, _shape_terms(shape)))
    if not texts:
        return [], []
    shapes, heads = zip(*map(by_text.__getitem__, texts), strict=True)
    return list(shapes), list(heads)


class LineCache(NamedTuple):
    """What apply_classifier works out per line and per language sample: functions of
    the text alone, so one cache may serve several articles and several passes."""

    shapes: dict[str | None, dict[str, tuple[_Shape, float]]]  # lang -> text -> shape, logit
    languages: dict[str, str | None]  # sample -> its language (langdetect is the slow part)

    @classmethod
    def new(cls) -> LineCache:
        return cls({}, {})


def apply_classifier(
    article: Article,
    model: Classifier,
    rules: RuleSet | None = None,
    cache: LineCache | None = None,
) -> None:
    """Drop the kept lines the model scores as chrome, until none is left to drop.

    Repeated to a fixed point over the kept lines (each pass sees only what the last one
    kept), so that cleaning the cleaned text drops nothing more: idempotence. The title
    and the first prose line are never dropped. With ``rules``, the ``where = "last"``
    rules run again on the new last line after each pass. ``cache`` keeps the lines'
    shapes and the samples' languages for a later call (a new one when None)."""
    # The title is context; the first prose line anchors the rules' head/body positions,
    # so keeping it keeps those positions the same when the cleaned text is cleaned again.
    protected = {article.title_line, article.first_prose}
    cache = cache or LineCache.new()
    langs, line_cache = cache.languages, cache.shapes
    while True:
        kept = [i for i, line in enumerate(article.lines) if line.kept]
        texts = [article.lines[i].text for i in kept]
        sample = language_sample(texts)
        if sample not in langs:
            langs[sample] = detect_language(sample)
        lang = langs[sample]
        shapes, heads = _cached_lines(texts, lang, model, line_cache)
        scores = classify_lines(texts, lang, model, shapes, heads)
        if scores is None:
            return
        dropped = False
        decisions = model.decide(scores, texts, shapes)
        for i, score, keep in zip(kept, scores, decisions, strict=True):
            if not keep and i not in protected:
                article.lines[i].rule = RULE_ID
                article.lines[i].score = score
                dropped = True
        if rules is not None and peel_last_lines(article, rules):
            dropped = True
        if not dropped:
            _repick_title(article)
            return


def _repick_title(article: Article) -> None:
    """When the title the engine picked is a menu line the classifier dropped lines
    after, and the story opens with a headline-shaped line, that line is the title.

    The old title is dropped as chrome; on the cleaned text the engine picks the same
    title first (idempotence)."""
    from .engine import is_prose
    from .metadata import is_title_like

    old = article.title_line
    if old is None:
        return
    after = [i for i in range(old + 1, len(article.lines)) if article.lines[i].kept]
    if len(after) < 2 or after[0] == old + 1:
        return  # nothing was dropped between the title and the story
    first, second = after[0], after[1]
    if not (
        any(article.lines[j].rule == RULE_ID for j in range(old + 1, first))
        and is_title_like(article.lines[first].text)
        and is_prose(article.lines[second].text)
    ):
        return
    article.lines[old].rule = RULE_ID
    article.title_line, article.title = first, article.lines[first].text
