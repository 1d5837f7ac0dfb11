"""The classifier's per-line and per-document computations as they were before the
speed work (cleaner/classify.py at 6500578), kept verbatim as the plain reference that
tests/test_classify_speed.py holds the fast forms to: same features, same scores, to the
last bit. Not used by the cleaner."""

from __future__ import annotations

import math
import operator
from functools import reduce

import regex

from cleaner.classify import (
    _FIRST_CHAR,
    _GLUE_HINT,
    _GLUE_HINT_ASCII,
    _GLUED_FAST,
    _INNER_DATELINE,
    _LIST_MARKS_ORDER,
    _LONG_PROSE_WORDS,
    _NON_ASCII,
    _PROSE_WORDS,
    _SENTENCE_END,
    _SENTENCE_END_CHARS,
    _SEPARATOR_CHARS,
    _SHAPE_FEATURES,
    _WINDOW,
    _WORD,
    _WORD_ASCII,
    FEATURES,
    Classifier,
    _Shape,
    stopwords_for,
)

_ASCII_DIGITS = b"0123456789"
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


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


def _digits_and_letters(text: str) -> tuple[int, int]:
    """How many characters of ``text`` are digits and how many letters (``str.isdigit``,
    ``str.isalpha``). On ASCII characters those mean 0-9 and A-Z/a-z: counted by
    deleting them from the bytes, which runs in C instead of a call per character;
    only the other characters (an accent, a curly quote) are asked one by one."""
    if text.isascii():
        raw, others = text.encode("ascii"), ""
    else:
        raw = text.encode("ascii", "ignore")
        others = "".join(_NON_ASCII.findall(text))
    size = len(raw)
    digits = size - len(raw.translate(None, _ASCII_DIGITS))
    letters = size - len(raw.translate(None, _ASCII_LETTERS))
    if others:
        digits += sum(map(str.isdigit, others))
        letters += sum(map(str.isalpha, others))
    return digits, letters


def _shape(text: str, stops: frozenset[str]) -> _Shape:
    if text.isascii():
        tokens = _WORD_ASCII.findall(text)
    else:
        tokens = _WORD.findall(text)
    # str.casefold, str.isalpha... mapped in C: no Python-level step per word
    n_stops = sum(map(stops.__contains__, map(str.casefold, tokens)))
    alpha = list(filter(str.isalpha, map(_FIRST_CHAR, tokens)))  # alphabetic word starts
    upper = sum(map(str.isupper, alpha))
    chars = len(text) or 1
    digits, letters = _digits_and_letters(text)
    spaces = text.count(" ")
    hint = (_GLUE_HINT_ASCII if text.isascii() else _GLUE_HINT).search(text)
    glues = list(_GLUED_FAST.finditer(text)) if hint else []
    sentence_end = _ends_like_sentence(text)
    words = len(tokens)
    # positional: a named tuple takes keywords several times slower
    return _Shape(
        words,
        n_stops,
        upper / len(alpha) if alpha else 0.0,  # title_case
        digits / chars,
        max(0, chars - letters - digits - spaces) / chars,  # symbols
        sum(map(text.count, _SEPARATOR_CHARS)),  # separators
        sentence_end,
        chars,
        len(glues),
        # the dateline's ": " is rare: look for it before running the pattern
        ": " in text and bool(_INNER_DATELINE.search(text)),
        _glued_headline(text, glues[0] if glues else None),
        _list_key(text, words, digits > 0),
        _is_prose(words, n_stops, sentence_end),
    )


def _main_run(shapes: list[_Shape]) -> tuple[int, int]:
    """The densest run of prose: the span maximising prose characters minus the rest.

    Kadane's maximum-sum span over per-line scores: a prose line adds its length, any
    other line costs a little (short lines are what menus and teaser lists are made of),
    so a menu of forty links splits two prose runs, a subheading does not."""
    return _max_span(
        [float(s.chars) if s.prose else -min(40.0, 10.0 + s.chars / 4) for s in shapes]
    )


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
    prose = [s.prose for s in shapes]
    short = [s.words < 5 for s in shapes]
    start, end = _main_run(shapes)
    median_chars = sorted(s.chars for s in shapes)[len(shapes) // 2] if shapes else 1
    n = len(shapes)
    prose_sum = _prefix(prose)
    short_sum = _prefix(short)
    switches = _prefix([i > 0 and prose[i] != prose[i - 1] for i in range(n)])
    runs = _run_lengths(prose)
    same = _same_shapes(shapes)
    teaser = [s.inner_dateline or s.glued_headline for s in shapes]
    teaser_sum = _prefix(teaser)
    rows = []
    for i, s in enumerate(shapes):
        lo, hi = max(0, i - _WINDOW), min(n, i + _WINDOW + 1)
        width = hi - lo - 1 or 1
        inside = start <= i <= end
        dist = 0 if inside else (start - i if i < start else i - end)
        rows.append(
            [
                (prose_sum[hi] - prose_sum[lo] - prose[i]) / width,
                (short_sum[hi] - short_sum[lo] - short[i]) / width,
                float(i > 0 and prose[i - 1]),
                float(i + 1 < n and prose[i + 1]),
                float(inside),
                math.log1p(dist),
                math.log(s.chars / median_chars),
                float(min(s.glued, 2)),
                float(s.inner_dateline),
                # prose/non-prose switches nearby: headline, summary, headline, summary...
                (switches[hi] - switches[lo + 1]) / width if hi - lo > 1 else 0.0,
                math.log1p(runs[i]) if prose[i] else 0.0,
                float(s.glued_headline),
                same[i],
                same[i] if s.digits > 0 else 0.0,
                # teaser headlines glued to their summaries come in blocks
                (teaser_sum[hi] - teaser_sum[lo] - teaser[i]) / width,
            ]
        )
    return rows, end >= start


def _same_shapes(shapes: list[_Shape]) -> list[float]:
    """For each line, the share of the two lines on each side that look like it (items
    of one list: tour dates, race calendars, spec sheets share a shape; prose does not).
    Each pair of lines one and two apart is compared once."""
    keys = [s.key for s in shapes]
    n = len(keys)
    # one[i]: line i looks like line i - 1; two[i]: like line i - 2 (False off the page)
    one = [False] + [keys[i] == keys[i - 1] for i in range(1, n)] + [False]
    two = [False, False] + [keys[i] == keys[i - 2] for i in range(2, n)] + [False, False]
    return [(two[i] + one[i] + one[i + 1] + two[i + 2]) / 4 for i in range(n)]


def _run_lengths(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of equal flags it belongs to."""
    out = [0] * len(flags)
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            out[start:i] = [i - start] * (i - start)
            start = i
    return out


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


def _window_mean(sums: list[float], i: int, half: int, own: float) -> float:
    """Mean of the other scores within ``half`` lines of i, from the prefix ``sums`` of
    a document of two lines or more (so that there are some); ``own`` is line i's
    score as the sums give it back (``sums[i + 1] - sums[i]``)."""
    lo, hi = max(0, i - half), min(len(sums) - 1, i + half + 1)
    return (sums[hi] - sums[lo] - own) / (hi - lo - 1)


def _prefix(flags: list[bool]) -> list[int]:
    sums = [0]
    for flag in flags:
        sums.append(sums[-1] + flag)
    return sums


def _stack_rows(
    scores: list[float],
    texts: list[str],
    prose: list[float],
    alternation: list[float],
    short: list[bool],
) -> list[list[float]]:
    """``stack_features`` from the first-pass columns it reads."""
    n = len(scores)
    sums = [0.0]
    for score in scores:
        sums.append(sums[-1] + score)
    start, end = _max_span(
        [(s - 0.5) * math.log1p(len(t)) for s, t in zip(scores, texts, strict=True)]
    )
    between = _between_scores(scores, short)
    rows = []
    for i, score in enumerate(scores):
        clipped = min(max(score, 1e-4), 1 - 1e-4)
        dist = 0 if start <= i <= end else (start - i if i < start else i - end)
        own = sums[i + 1] - sums[i]
        rows.append(
            [
                1.0,
                math.log(clipped / (1 - clipped)),
                _window_mean(sums, i, 1, own) if n > 1 else 0.5,
                _window_mean(sums, i, 3, own) if n > 1 else 0.5,
                _window_mean(sums, i, 8, own) if n > 1 else 0.5,
                float(start <= i <= end),
                math.log1p(dist),
                float(i > end),
                prose[i],
                alternation[i],
                float(short[i]),
                between[i] if short[i] else 0.0,
            ]
        )
    return rows


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
    ``_dot`` adds the rest in order)."""
    if len(model.weights) != len(FEATURES):
        raise ValueError("feature rows and weights differ in length")
    if shapes is None:
        stops = stopwords_for(lang)
        shapes = [_shape(text, stops) for text in texts]
    if heads is None:
        heads = [_shape_logit(model, shape) for shape in shapes]
    context, has_run = _context_terms(shapes)
    if not has_run:
        return None
    rest = model.weights[_SHAPE_FEATURES:]
    first = [_sigmoid(_dot(rest, row, head)) for head, row in zip(heads, context, strict=True)]
    if model.stack_weights is None:
        return smoothed(model, first)
    alt_col = FEATURES.index("alternation") - _SHAPE_FEATURES
    stacked = _stack_rows(
        first,
        texts,
        [float(s.prose) for s in shapes],
        [row[alt_col] for row in context],
        [s.words < 5 for s in shapes],
    )
    return smoothed(model, _logistic(model.stack_weights, stacked))


def _shape_logit(model: Classifier, shape: _Shape) -> float:
    """The first pass's logit over the line's own terms (``_shape_terms``) alone."""
    return _dot(model.weights[:_SHAPE_FEATURES], _shape_terms(shape))


def smoothed(self: Classifier, scores: list[float]) -> list[float]:
    """Each score mixed with the mean of its two neighbours' (context smoothing)."""
    out = []
    for i, score in enumerate(scores):
        near = [scores[j] for j in (i - 1, i + 1) if 0 <= j < len(scores)]
        mean = sum(near) / len(near) if near else score
        out.append((1 - self.smooth) * score + self.smooth * mean)
    return out
