"""The classifier's per-line and per-document computations that the speed work rewrote,
as they were before it (cleaner/classify.py at 6500578), kept verbatim as the plain
reference that tests/test_classify_speed.py holds the fast forms to: same features,
same scores, to the last bit. The functions it left as they were are imported, not
copied (rewrite one of those and its old form belongs here). Not used by the cleaner."""

from __future__ import annotations

import math

from cleaner.classify import (
    _FIRST_CHAR,
    _GLUE_HINT,
    _GLUE_HINT_ASCII,
    _GLUED_FAST,
    _INNER_DATELINE,
    _NON_ASCII,
    _SEPARATOR_CHARS,
    _SHAPE_FEATURES,
    _WINDOW,
    _WORD,
    _WORD_ASCII,
    FEATURES,
    Classifier,
    _between_scores,
    _dot,
    _ends_like_sentence,
    _glued_headline,
    _is_prose,
    _list_key,
    _logistic,
    _main_run,
    _max_span,
    _prefix,
    _run_lengths,
    _Shape,
    _shape_logit,
    _shape_terms,
    _sigmoid,
    stopwords_for,
)

_ASCII_DIGITS = b"0123456789"
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


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


def _window_mean(sums: list[float], i: int, half: int, own: float) -> float:
    """Mean of the other scores within ``half`` lines of i, from the prefix ``sums`` of
    a document of two lines or more (so that there are some); ``own`` is line i's
    score as the sums give it back (``sums[i + 1] - sums[i]``)."""
    lo, hi = max(0, i - half), min(len(sums) - 1, i + half + 1)
    return (sums[hi] - sums[lo] - own) / (hi - lo - 1)


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


def smoothed(self: Classifier, scores: list[float]) -> list[float]:
    """Each score mixed with the mean of its two neighbours' (context smoothing)."""
    out = []
    for i, score in enumerate(scores):
        near = [scores[j] for j in (i - 1, i + 1) if 0 <= j < len(scores)]
        mean = sum(near) / len(near) if near else score
        out.append((1 - self.smooth) * score + self.smooth * mean)
    return out
