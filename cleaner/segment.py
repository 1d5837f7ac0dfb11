"""Stage 4: segment a file's lines into articles.

A file is one article unless there is strong evidence of several. A new article starts
at line *i* only when one of three kinds of evidence holds, and the current article
already holds a story (a prose line), so a file is never cut into title-only scraps:

1. **Separator** (``segments.separator`` rule: ``---``, ``* * *``, ``###``): a boundary
   when the next content line is shaped like a headline. A separator followed by prose
   is a section break inside one article.
2. **Timestamp** (``segments.timestamp`` rule: ``Updated 14:32 GMT``, ``2 hours ago``):
   live-blog entries; a boundary when the file holds at least two timestamp lines and a
   story follows before the next one. Entries without a headline get no title.
3. **Headline** judged on several signals at once; it needs a score of at least
   ``HEADLINE_MIN_SCORE``. Gates (all must hold): the line is headline-shaped
   (``is_title_like``, at most ``HEADLINE_MAX_WORDS`` words, no sentence end), not
   wrapped in dashes or quotes (``– Proxy battleground –``, ``‘Urgent de-escalation’``
   are in-article subheadings), no rule matches it; the previous content line ends a
   sentence (or is an agency sign-off); an opening paragraph (prose) follows, possibly
   after caption/byline/date lines or one caption-slot line. Signals (weights):

   - ``title-case`` (2): most words capitalised, the style of headlines and not of
     sentence-case subheadings;
   - ``capitalised minor words`` (1): short words such as ``On``/``To``/``Of`` are
     capitalised too, which only headline styles do;
   - ``after sign-off`` (2): a lone agency sign-off (``AFP``) just closed a story;
   - ``caption under`` (1.5): a photo caption follows the line;
   - ``spacers under`` (1.5): spacer (NBSP-only) lines separate it from the story;
   - ``byline/date under`` (2): a byline or dateline follows;
   - ``dateline lede`` (1.5): the next paragraph opens with a dateline
     (``BAGHDAD (AFP) —``, ``NEW DELHI:``);
   - ``topic shift`` (up to 2): the words of the following paragraphs barely overlap
     with those of the story so far (lexical cohesion), while a subheading continues
     its story's vocabulary; a strong overlap counts against (−1);
   - ``echoed by the lede`` (1): the line's words come back in the next paragraphs and
     are new to the story so far; mostly used already counts against (−1);
   - ``the story already has subheadings`` (−1): one more short headline-shaped line
     in a story that has them is most likely another subheading.

Idempotency: the rendered output keeps no captions, spacers, separators or timestamps,
so only the shape, case and topic signals see it. Where those alone do not reach the
threshold the second pass keeps the articles together, which renders the same text:
rendering joins articles and paragraphs with the same blank line. Each boundary carries
its reasons (the signals that fired), shown as ``split`` with ``--explain``.
"""

from __future__ import annotations

from collections import Counter
from math import sqrt

import regex

from .engine import is_prose
from .lines import Line
from .metadata import is_title_like
from .rules import Rule

__all__ = ["segment", "headline_signals"]

HEADLINE_MIN_SCORE = 3.0
HEADLINE_MAX_WORDS = 20
TOPIC_WINDOW = 4  # content lines on each side compared for the topic-shift signal
TOPIC_LOW = 0.12  # cosine similarity under which the topic has changed
TOPIC_HIGH = 0.35  # over which the text after continues the story before
ECHO_MIN = 0.3  # share of a headline's words its lede repeats
ECHO_NEW_MAX = 0.15  # share of them the story before may already use
ECHO_KNOWN = 0.6  # over this share, the line speaks of the story before
MIN_TIMESTAMPS = 2
_INTRO_MIN_WORDS = 10
_LAYOUT_SIGNALS = {
    "after sign-off",
    "caption under",
    "spacers under",
    "byline/date under",
}  # a single time line is a dateline, not a live blog

_SENTENCE_END = regex.compile(r"[.!?…\"'”’»)\]]$")
_WRAPPED = regex.compile(r"^(?:[–—\-]\s.*\s[–—\-]|[‘'\"“«].*[’'\"”»])$")
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]*")
_MINOR = regex.compile(r"^\p{Lu}\p{Ll}{1,2}$")
_DATELINE = regex.compile(
    r"^\p{Lu}[\p{Lu}\p{M} .,'’\-]{2,40}(?:\s*\([^)]{1,30}\))?\s*(?:[—–:]|--|\s-\s)"
)
_TOPIC_WORD = regex.compile(r"\p{L}{5,}")


def _role(rules: tuple[Rule, ...]) -> str | None:
    """What the rules say a line is, as far as the splitter cares (boundary rules first:
    'Updated 14:32 GMT' also looks like a dateline, but holds no date)."""
    ids = {rule.id for rule in rules}
    if "segments.separator" in ids:
        return "separator"
    if "segments.timestamp" in ids:
        return "timestamp"
    for rule in rules:
        if rule.kind == "meta" and rule.field == "credit" and rule.where == "last":
            return "signoff"
        if rule.kind == "meta" and rule.field in ("byline", "published"):
            return "meta"
        if rule.pack == "captions":
            return "caption"
    return "chrome" if rules else None


class _Doc:
    """The lines with their roles, and the questions the splitter asks about them."""

    def __init__(self, lines: list[Line], matches: list[tuple[Rule, ...]]):
        self.lines = lines
        self.roles = [_role(m) for m in matches]
        self.content = [role is None for role in self.roles]

    def is_story(self, i: int) -> bool:
        return self.content[i] and is_prose(self.lines[i].text)

    def opens_story(self, i: int) -> bool:
        """Prose, or a long line ending in a colon that introduces a list ("Here is...:")."""
        text = self.lines[i].text
        return self.is_story(i) or (
            self.content[i] and text.endswith(":") and text.count(" ") + 1 >= _INTRO_MIN_WORDS
        )

    def has_story(self, start: int, end: int) -> bool:
        return any(self.is_story(i) for i in range(start, end))

    def prev_content(self, i: int) -> int | None:
        return next((j for j in range(i - 1, -1, -1) if self.content[j]), None)

    def next_content(self, i: int) -> int | None:
        return next((j for j in range(i + 1, len(self.lines)) if self.content[j]), None)

    def words(self, indices: list[int]) -> Counter:
        return Counter(
            w.casefold() for i in indices for w in _TOPIC_WORD.findall(self.lines[i].text)
        )


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(n * b[w] for w, n in a.items() if w in b)
    return dot / (sqrt(sum(n * n for n in a.values())) * sqrt(sum(n * n for n in b.values())))


def _title_case_signals(text: str) -> list[tuple[str, float]]:
    words = [w for w in _WORD.findall(text) if not w.isupper() or len(w) == 1]
    if len(words) < 3:
        return []
    capitalised = [w for w in words if w[0].isupper()]
    if len(capitalised) < 0.75 * len(words):
        return []
    signals = [("title-case", 2.0)]
    if any(_MINOR.match(w) for w in capitalised[1:]) and len(capitalised) == len(words):
        signals.append(("capitalised minor words", 1.0))
    return signals


def _opening(doc: _Doc, i: int) -> tuple[int | None, list[int]]:
    """The opening paragraph after a headline candidate, and the lines in between.

    Between them may sit rule-matched caption/byline/date lines and at most one
    unmatched line when spacer lines follow it (the caption slot)."""
    between: list[int] = []
    slot_used = False
    for j in range(i + 1, min(len(doc.lines), i + 6)):
        role = doc.roles[j]
        if role in ("caption", "meta"):
            between.append(j)
            continue
        if role is not None:
            return None, between
        nxt = j + 1
        in_slot = nxt < len(doc.lines) and doc.lines[nxt].spacers_before > 0
        if in_slot and not slot_used and doc.lines[j].spacers_before == 0:
            slot_used = True  # the caption slot (see captions.slot), prose or not
            between.append(j)
            continue
        if doc.opens_story(j):
            return j, between
        return None, between
    return None, between


def headline_signals(doc: _Doc, i: int, start: int) -> list[tuple[str, float]] | None:
    """The signals that fire for line i as the headline of a new article, or None when a
    gate fails (the line cannot start an article whatever else holds)."""
    line = doc.lines[i]
    text = line.text
    if (
        not doc.content[i]
        or is_prose(text)
        or not is_title_like(text)
        or text.count(" ") >= HEADLINE_MAX_WORDS
        or _WRAPPED.match(text)
        or _SENTENCE_END.search(text)
        or not doc.has_story(start, i)
    ):
        return None
    prev = doc.prev_content(i)
    if prev is None:
        return None
    after_signoff = "signoff" in doc.roles[prev + 1 : i]
    prev_text = doc.lines[prev].text
    if not (after_signoff or _SENTENCE_END.search(prev_text) or not is_title_like(prev_text)):
        return None  # under another headline-shaped line: a dek, caption or list item
    opening, between = _opening(doc, i)
    if opening is None:
        return None
    signals = _title_case_signals(text)
    if after_signoff:
        signals.append(("after sign-off", 2.0))
    roles_under = {doc.roles[j] for j in between}
    if "caption" in roles_under:
        signals.append(("caption under", 1.5))
    if "meta" in roles_under:
        signals.append(("byline/date under", 2.0))
    if doc.lines[opening].spacers_before > 0 or any(doc.lines[j].spacers_before for j in between):
        signals.append(("spacers under", 1.5))
    if _DATELINE.match(doc.lines[opening].text):
        signals.append(("dateline lede", 1.5))
    signals.extend(_topic_signals(doc, i, start, opening))
    if any(_is_subheading(doc, j) for j in range(start + 1, i)):
        signals.append(("the story already has subheadings", -1.0))
    if any(name in _LAYOUT_SIGNALS for name, _weight in signals):
        # Subheadings are never printed with a caption, spacers or a sign-off above:
        # with layout evidence, the text-only doubts do not count.
        signals = [(name, weight) for name, weight in signals if weight > 0]
    return signals


def _is_subheading(doc: _Doc, j: int) -> bool:
    """A short headline-shaped line between two prose lines of a story."""
    text = doc.lines[j].text
    return (
        doc.content[j]
        and not _SENTENCE_END.search(text)
        and text.count(" ") < HEADLINE_MAX_WORDS
        and (is_title_like(text) or bool(_WRAPPED.match(text)))
        and doc.is_story(j - 1)
        and j + 1 < len(doc.lines)
        and doc.is_story(j + 1)
    )


def _topic_signals(doc: _Doc, i: int, start: int, opening: int) -> list[tuple[str, float]]:
    before = [j for j in range(start, i) if doc.is_story(j)]  # the whole story so far
    after = [j for j in range(opening, len(doc.lines)) if doc.is_story(j)][:TOPIC_WINDOW]
    if not before or not after:
        return []
    signals = _echo_signals(doc, i, before, after)
    similarity = _cosine(doc.words(before), doc.words([i, *after]))
    if similarity < TOPIC_LOW:
        signals.append((f"topic shift (similarity {similarity:.2f})", 2.0))
    elif similarity < (TOPIC_LOW + TOPIC_HIGH) / 2:
        signals.append((f"topic shift (similarity {similarity:.2f})", 1.0))
    elif similarity > TOPIC_HIGH:
        signals.append((f"same topic (similarity {similarity:.2f})", -1.0))
    return signals


def _stems(text: str) -> set[str]:
    return {w.casefold()[:5] for w in _WORD.findall(text) if len(w) >= 4}


def _echo_signals(
    doc: _Doc, i: int, before: list[int], after: list[int]
) -> list[tuple[str, float]]:
    """A headline's words come back in its lede and are new to the story so far; a
    subheading's words have mostly been used by its story already."""
    stems = _stems(doc.lines[i].text)
    if len(stems) < 2:
        return []
    lede = set().union(*(_stems(doc.lines[j].text) for j in after[:2]))
    story = set().union(*(_stems(doc.lines[j].text) for j in before))
    echoed, known = len(stems & lede) / len(stems), len(stems & story) / len(stems)
    if echoed >= ECHO_MIN and known <= ECHO_NEW_MAX:
        return [(f"echoed by the lede ({echoed:.0%}), new to the story ({known:.0%})", 1.0)]
    if known > ECHO_KNOWN:
        return [(f"words already used by the story ({known:.0%})", -1.0)]
    return []


def _separator_reasons(doc: _Doc, i: int, start: int) -> list[str] | None:
    if doc.roles[i] != "separator" or not doc.has_story(start, i):
        return None
    nxt = doc.next_content(i)
    if nxt is None or "separator" in doc.roles[i + 1 : nxt]:
        return None  # the boundary goes at the separator closest to the headline
    headline = doc.lines[nxt].text
    if not is_title_like(headline) or (is_prose(headline) and not headline.endswith(("?", "!"))):
        return None
    if _opening(doc, nxt)[0] is None:
        return None  # a headline opens a story: otherwise a section break in one article
    return [f"separator line {doc.lines[i].text!r}", "headline after the separator"]


def _timestamp_reasons(doc: _Doc, i: int, start: int, stamps: int) -> list[str] | None:
    if doc.roles[i] != "timestamp" or stamps < MIN_TIMESTAMPS or not doc.has_story(start, i):
        return None
    end = next(
        (j for j in range(i + 1, len(doc.lines)) if doc.roles[j] == "timestamp"), len(doc.lines)
    )
    if not doc.has_story(i + 1, end):
        return None
    return [f"timestamp line {doc.lines[i].text!r}", f"live blog: {stamps} timestamp lines"]


def _headline_reasons(doc: _Doc, i: int, start: int) -> list[str] | None:
    signals = headline_signals(doc, i, start)
    if signals is None:
        return None
    score = sum(weight for _name, weight in signals)
    if score < HEADLINE_MIN_SCORE:
        return None
    return [f"headline {doc.lines[i].text!r} (score {score:g})"] + [
        f"{name} ({weight:+g})" for name, weight in signals
    ]


def segment(lines: list[Line], matches: list[tuple[Rule, ...]]) -> list[tuple[int, int, list[str]]]:
    """Article spans as (start, end, reasons): lines[start:end] is one article."""
    if not lines:
        return []
    doc = _Doc(lines, matches)
    stamps = doc.roles.count("timestamp")
    starts: list[tuple[int, list[str]]] = [(0, [])]
    for i in range(1, len(lines)):
        start = starts[-1][0]
        reasons = (
            _separator_reasons(doc, i, start)
            or _timestamp_reasons(doc, i, start, stamps)
            or _headline_reasons(doc, i, start)
        )
        if reasons:
            starts.append((i, reasons))
    ends = [s for s, _ in starts[1:]] + [len(lines)]
    return [(s, e, reasons) for (s, reasons), e in zip(starts, ends, strict=True)]
