"""Stage 4: segment a file's lines into articles.

A file is one article unless there is strong evidence of several. A new article starts
at line *i* only when one of three kinds of evidence holds, and the current article
already holds a story (a prose line), so a file is never cut into title-only scraps:

1. **Separator** (``segments.separator`` rule: ``---``, ``* * *``, ``###``): a boundary
   when the next content line is shaped like a headline. A separator followed by prose
   is a section break inside one article.
2. **Timestamp** (``segments.timestamp`` rule: ``Updated 14:32 GMT``, ``2 hours ago``):
   live-blog entries; a boundary when the file holds at least two timestamp lines, most
   entries between two of them (``LIVE_BLOG_STORY_SHARE``) hold prose, and a story
   follows before the next one. Timestamps under the teasers of a list of links
   ("Headline / 6 hours ago") have teaser lines between them: they date links, not
   entries. Entries without a headline get no title.
3. **Headline** judged on several signals at once. Gates (all must hold): the line is
   headline-shaped (``is_title_like``, at most ``HEADLINE_MAX_WORDS`` words, no sentence
   end but ``?``/``!``), not wrapped in dashes or quotes (``– Proxy battleground –``,
   ``‘Urgent de-escalation’`` are in-article subheadings), not a contact line or a row
   of links (two ``|`` or a phone number), no rule matches it, the article so far holds
   a story, and an opening paragraph follows, possibly after caption/byline/date lines
   or one caption-slot line, that is not itself shaped like a headline (the next teaser
   of a list of links); without layout evidence, a line ending in the price or measure
   an earlier heading of the story ended in ("... for $39.99"), or following a line of
   the same form as two earlier lines of the story (an item's trailer: "Get it on Amazon
   for $39.99"), is the next item of a deals list. Signals (name: value in 0..1),
   weighed by a logistic regression fitted on generated merged files of half the
   articles and the real scraped pages of those articles
   (scripts/fit_segment_weights.py; weights and the cross-validated threshold are data
   in rules/segment_weights.json): line shape (``title-case``, ``capitalised minor
   words``, ``long line``, ``question or exclamation``); layout (``caption under``,
   ``spacers under``, ``byline/date under``, ``after sign-off``, ``dateline lede``,
   ``the file's layout marker is missing``: the file uses spacers, or separators before
   headlines, and this line has none); neighbours (``previous line ends a sentence``,
   ``previous paragraph ends a story``, ``under another headline-shaped line``, ``long
   lede``, ``list ahead``); the story so far (``short story so far``, ``the story
   already has subheadings``, ``many headline-shaped lines in the story``, ``shaped like
   the story's subheadings``: same case and length or same last-word shape as the
   headings over paragraphs of its last paragraphs); the story's own headline (``repeats
   the story's headline``, ``lede repeats the story's headline``, ``as long as the
   story's headline``: subheadings and list items continue their story and are shorter);
   lexical cohesion (``topic shift``, ``local topic shift``, ``cohesion dip``: a
   TextTiling-like depth score, ``echoed by the lede``, ``words already used by the
   story``: its last paragraphs). With layout evidence (caption, spacers, sign-off)
   negative shares do not count: subheadings are never printed that way. Without it, a
   line shaped like three earlier headings of the story that did not start articles is
   one more of them (the next item of a deals list). A boundary's reasons list each
   signal that fired with its value and its share of the score.

**Second pass** (document-level consistency): a file where the first pass found a
boundary is a merged file, and the articles of one merged file share a layout. Its
confident headlines (the file's first headline, each boundary's headline: the line
itself, or the headline after a separator or timestamp) give the shapes to look for
(``SHAPE_PARTS``): case style (title or sentence case), end (``?``, ``!`` or none), the
marker lines before it (separator, timestamp, sign-off), the layout under it (caption,
byline/date, spacers), whether the line before ends a sentence; and a length band. The
parts compared (``shape``) are fitted: a merged file's articles share their layout, but
may come from sites with different case styles. The second pass keeps every first-pass
boundary and also starts an article at a candidate that passes the headline gates,
scores at least the lower second-pass threshold and has the shape of a confident
headline in those parts (at most ``word band`` words longer or shorter); its reasons
add ``matches confident headline shape`` and which headline it matched. Such a
candidate is still refused when it sits in a run of sections (``section run``): at most
that many story lines since the last headline-shaped line (or the article's start) and
up to the next one. Subheadings of one article and the items of one list recur every
few paragraphs and score like the headlines the second pass recovers; a headline has the
ending of a story above it or its own story below. Threshold, band, run and shape are
chosen by cross-validation inside the FIT half with the weights. A file the first pass keeps whole
(every single-article file) never reaches the second pass.

An entry after a separator or timestamp that repeats a line of the article before (an
update of the same story), or a re-posted entry, stays with that article.

Idempotency: the rendered output keeps no captions, spacers, separators or timestamps,
so only the shape, case and topic signals see it. Where those alone do not reach the
threshold a second ``normalize`` keeps the articles together, which renders the same text:
rendering joins articles and paragraphs with the same blank line. Each boundary carries
its reasons (the signals that fired), shown as ``split`` with ``--explain``.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from itertools import accumulate, chain, compress, islice
from math import sqrt
from operator import and_, attrgetter, itemgetter, mul

import regex

from .engine import REPEAT_MIN_WORDS, SENTENCE_END, is_prose
from .lines import Line
from .metadata import is_title_like
from .rules import Rule

__all__ = ["segment", "headline_features", "headline_score"]

WEIGHTS_FILE = "segment_weights.json"
HEADLINE_MAX_WORDS = 20
STORY_WINDOW = 12  # story lines looked at for "words already used by the story"
TOPIC_WINDOW = 4  # story lines on each side compared for the topic signals
SHORT_STORY = 3  # stories rarely have fewer prose paragraphs than this
LIST_WINDOW = 6  # content lines after the opening looked at for a list
TRAILER_REPEATS = 2  # earlier lines of one form that make a line a list item's trailer
LIKE_WORDS = 3  # word-count difference under which two headline-shaped lines look alike
LAYOUT_EVIDENCE = ("after sign-off", "caption under", "spacers under")
MIN_TIMESTAMPS = 2  # a single time line is a dateline, not a live blog
LIVE_BLOG_STORY_SHARE = 0.75  # of the entries between two timestamps that carry a story
# What a second-pass headline may share with a confident one (``headline_shape``); the
# second pass compares those its fitted "shape" lists.
SHAPE_PARTS = ("case", "end", "markers", "layout", "line before")
_INTRO_MIN_WORDS = 10

_HEADLINE_END = regex.compile(r"[.…\"'”’»)\]]$")  # a headline may end in ? or !
_WRAPPED = regex.compile(r"^(?:[–—\-]\s.*\s[–—\-]|[‘'\"“«].*[’'\"”»])$")
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]*")
_MINOR = regex.compile(r"^\p{Lu}\p{Ll}{1,2}$")
_DATELINE = regex.compile(
    r"^\p{Lu}[\p{Lu}\p{M} .,'’\-]{2,40}(?:\s*\([^)]{1,30}\))?\s*(?:[—–:]|--|\s-\s)"
)
_TOPIC_WORD = regex.compile(r"\p{L}{5,}")
# The _WORD matches of 4 characters or more, found directly: a shorter word offers no
# start of a longer match inside it, so the scan skips it whole.
_STEM_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]{3,}")
_STEM = itemgetter(slice(5))
# Word shapes (``_end_shape``), compiled once: the shape of a line's last token is asked
# for every earlier heading of the story, for each candidate after it.
_LETTERS = regex.compile(r"\p{L}+")
_DIGIT = regex.compile(r"\d")
_DIGIT_RUN = regex.compile(r"(\d)\d+")
_NOT_NUMBER_SHAPE = regex.compile(r"[^9a]")  # a shape with more than digits and letters
# A footer's contact line ("1625 K Street, NW | 202-628-8500 tel | ... fax") or a row of
# links ("Sites: News18 | Firstpost | CNBC TV18"): pipes between items, or a phone number.
_CONTACT_OR_NAV = regex.compile(r"\|.*\||(?<!\d)\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}(?!\d)")
# How a story's last paragraph tends to end: a closing quote, an attribution ("..., he
# said."), a contribution or source note.
_STORY_END = regex.compile(
    r"(?:[.!?,]\s*[\"”’»']|\b(?:said|says|added|told\s+\S+|reported|according\s+to\s+[^.]{1,60})\."
    r"|\b(?:contributed\s+to\s+this\s+(?:report|story)|(?i:source|sources|via|read\s+more)\s*:.*))$"
)


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
        texts = [line.text for line in lines]
        # Most lines match no rule: their role is None without asking _role.
        self.roles = [_role(m) if m else None for m in matches]
        self.content = [role is None for role in self.roles]
        # Per-line answers the splitter asks again and again (once per candidate
        # headline after it): computed once here.
        self.prose = list(map(is_prose, texts))
        self.title_like = list(map(is_title_like, texts))
        self.story = list(map(and_, self.content, self.prose))
        self._story_sum = list(accumulate(self.story, initial=0))
        self._story_lines = list(compress(range(len(lines)), self.story))
        # The first line with a story line above it (_story_sum[i]: story lines before i).
        self._after_story = self._story_sum.index(1) if self._story_sum[-1] else len(lines)
        self._line_words: dict[int, list[str]] = {}
        self._line_stems: dict[int, set[str]] = {}
        self._forms: dict[int, tuple[str, str | None] | None] = {}
        self._openings: dict[int, tuple[int | None, list[int]]] = {}
        self._title_cases: dict[int, float] = {}
        self._end_shapes: dict[int, str | None] = {}
        self._cosines: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}
        self._story_words: tuple[list[int], Counter] = ([], Counter())
        self._story_gaps: tuple[list[int], list[float]] = ([], [])
        self._subheading_sum: list[int] | None = None
        self._headings: list[int] | None = None
        self._story_headings: list[int] | None = None
        self.headline_shaped = self._headline_shaped_lines()
        # Layout markers the file uses: articles of one file share their layout.
        self.uses_spacers = any(map(attrgetter("spacers_before"), lines))
        # A separator counts as the file's marker when a headline follows it; a rule
        # line before an agency note ("___") inside a story does not.
        self.uses_separators = "separator" in self.roles and any(
            role == "separator" and self._headline_follows(i) for i, role in enumerate(self.roles)
        )

    def _headline_shaped_lines(self) -> list[bool]:
        """Per line, the headline gates of ``_base_features`` that hold wherever the
        current article started, and a story line above it (every kind of evidence needs
        one): asked once per line here, not once per article start; the cheap gates
        (content, not prose, title-like) first, then ``_headline_shaped``."""
        shaped = [False] * len(self.lines)
        for i in range(self._after_story, len(self.lines)):
            if self.content[i] and self.title_like[i] and not self.prose[i]:
                shaped[i] = self._headline_shaped(i)
        return shaped

    def _headline_shaped(self, i: int) -> bool:
        """The other start-independent gates of a title-like content line with a story
        line (so a content line) above: an opening paragraph after it, and its length
        and ends. The opening first: most such lines (menus, link lists) have none, and
        the regexes read the whole line."""
        opening = self.opening(i)[0]
        # A "lede" shaped like a headline is the next teaser of a list of links
        # ("Trending", "Most Recent Stories"), not the opening of a story.
        if opening is None or self.title_like[opening]:
            return False
        text = self.lines[i].text
        return not (
            text.count(" ") >= HEADLINE_MAX_WORDS
            or _WRAPPED.match(text)
            or _HEADLINE_END.search(text)
            or _CONTACT_OR_NAV.search(text)
        )

    def _headline_follows(self, i: int) -> bool:
        nxt = self.next_content(i)
        if nxt is None:
            return False
        text = self.lines[nxt].text
        return (
            is_title_like(text)
            and not _HEADLINE_END.search(text)
            and not is_prose(text)
            and _opening(self, nxt)[0] is not None
        )

    def is_story(self, i: int) -> bool:
        return self.story[i]

    def opens_story(self, i: int) -> bool:
        """Prose, or a long line ending in a colon that introduces a list ("Here is...:")."""
        text = self.lines[i].text
        return self.is_story(i) or (
            self.content[i] and text.endswith(":") and text.count(" ") + 1 >= _INTRO_MIN_WORDS
        )

    def has_story(self, start: int, end: int) -> bool:
        return end > start and self._story_sum[end] > self._story_sum[start]

    def has_subheading(self, start: int, end: int) -> bool:
        """Whether a line in lines[start:end] is a subheading (``_is_subheading``)."""
        if end <= start:
            return False
        if self._subheading_sum is None:  # on first use: most files have no candidate
            flags = [False] * len(self.lines)
            # Only a line between two story lines may be one.
            between = map(and_, self.story[:-2], self.story[2:])
            for j in compress(range(1, len(self.lines) - 1), between):
                flags[j] = _is_subheading(self, j)
            self._subheading_sum = list(accumulate(flags, initial=0))
        return self._subheading_sum[end] > self._subheading_sum[start]

    def story_count(self, start: int, end: int) -> int:
        """How many story lines lines[start:end] holds."""
        return self._story_sum[end] - self._story_sum[start] if end > start else 0

    def heading_lines(self) -> list[int]:
        """The headline-shaped content lines (not prose, title-like, no sentence end but
        ``?``/``!``), in order: a story's subheadings, list items' heads, headlines."""
        if self._headings is None:  # on first use: only merged files ask
            self._headings = [
                j
                for j in range(len(self.lines))
                if self.content[j]
                and not self.prose[j]
                and self.title_like[j]
                and not _HEADLINE_END.search(self.lines[j].text)
            ]
        return self._headings

    def stories(self, start: int, end: int, limit: int | None = None) -> list[int]:
        """The story lines in lines[start:end] (the first ``limit`` of them, ``limit``
        at least 1)."""
        first = bisect_left(self._story_lines, start)
        last = bisect_left(self._story_lines, end)
        if limit is not None:
            last = min(last, first + limit)
        return self._story_lines[first:last]

    def story_heading_lines(self) -> list[int]:
        """The content lines after the file's first story line that are not prose, are
        title-like and have no sentence end (not even ``?``/``!``), in order: what
        ``_story_headings`` counts (after its story's first story line)."""
        if self._story_headings is None:  # on first use: only candidates ask
            after = self._after_story
            self._story_headings = [
                j
                for j in compress(range(after, len(self.lines)), self.content[after:])
                if not self.prose[j]
                and self.title_like[j]
                and not SENTENCE_END.search(self.lines[j].text)
            ]
        return self._story_headings

    def prev_content(self, i: int) -> int | None:
        return next((j for j in range(i - 1, -1, -1) if self.content[j]), None)

    def next_content(self, i: int) -> int | None:
        return next((j for j in range(i + 1, len(self.lines)) if self.content[j]), None)

    def _topic_words(self, i: int) -> list[str]:
        words = self._line_words.get(i)
        if words is None:
            words = _casefolded(_TOPIC_WORD.findall(self.lines[i].text))
            self._line_words[i] = words
        return words

    def words(self, indices: list[int]) -> Counter:
        """The topic words of the lines, counted (each line's words found once)."""
        return Counter(chain.from_iterable(self._topic_words(i) for i in indices))

    def story_words(self, before: list[int]) -> Counter:
        """``words(before)`` for the story so far: the candidates of one story come in
        order, each one's story extends the last one's, so the count is extended rather
        than made again. The returned Counter must not be changed."""
        known, counts = self._story_words
        if len(known) > len(before) or before[: len(known)] != known:
            known, counts = [], Counter()
        counts.update(chain.from_iterable(self._topic_words(i) for i in before[len(known) :]))
        self._story_words = (list(before), counts)
        return counts

    def story_gaps(self, before: list[int]) -> list[float]:
        """The cosines across each paragraph gap of the story so far (``_topic_features``).

        A gap's windows reach ``TOPIC_WINDOW`` lines each side: when the story only grew
        since the last candidate, the gaps whose windows it already held are the same."""
        known, gaps = self._story_gaps
        if len(known) > len(before) or before[: len(known)] != known:
            known, gaps = [], []
        gaps = gaps[: max(0, len(known) - TOPIC_WINDOW)]
        for k in range(len(gaps) + 1, len(before)):
            gaps.append(
                self.window_cosine(
                    before[max(0, k - TOPIC_WINDOW) : k], before[k : k + TOPIC_WINDOW]
                )
            )
        self._story_gaps = (list(before), gaps)
        return gaps

    def stems(self, i: int) -> set[str]:
        stems = self._line_stems.get(i)
        if stems is None:
            stems = self._line_stems[i] = _stems(self.lines[i].text)
        return stems

    def form(self, i: int) -> tuple[str, str | None] | None:
        """Line i's form: its first two words and the shape of its last (``_end_shape``),
        cached: every candidate after a list compares the list's lines again."""
        if i not in self._forms:
            words = self.lines[i].text.casefold().split()
            self._forms[i] = (
                (" ".join(words[:2]), _end_shape(self.lines[i].text)) if len(words) >= 3 else None
            )
        return self._forms[i]

    def opening(self, i: int) -> tuple[int | None, list[int]]:
        """``_opening`` of line i, kept: it is asked again of a story's headings for
        every candidate after them. The list must not be changed."""
        found = self._openings.get(i)
        if found is None:
            found = self._openings[i] = _opening(self, i)
        return found

    def title_case(self, i: int) -> float:
        """The ``title-case`` signal of line i, kept (asked again as for ``opening``)."""
        case = self._title_cases.get(i)
        if case is None:
            case = self._title_cases[i] = _title_case_features(self.lines[i].text)["title-case"]
        return case

    def end_shape(self, i: int) -> str | None:
        """``_end_shape`` of line i, kept (asked again as for ``opening``)."""
        if i not in self._end_shapes:
            self._end_shapes[i] = _end_shape(self.lines[i].text)
        return self._end_shapes[i]

    def window_cosine(self, a: list[int], b: list[int]) -> float:
        """``_cosine`` of the words of two runs of lines, cached: the splitter compares
        the same paragraph gaps again for every candidate headline of a story."""
        key = (tuple(a), tuple(b))
        value = self._cosines.get(key)
        if value is None:
            value = self._cosines[key] = _cosine(self.words(a), self.words(b))
        return value


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    # Integer counts: the sums are exact in any order, so walk the smaller side.
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(n * large[w] for w, n in small.items() if w in large)
    return dot / (sqrt(_square_sum(a)) * sqrt(_square_sum(b)))


def _square_sum(counts: Counter) -> int:
    values = list(counts.values())
    return sum(map(mul, values, values))


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


def headline_features(doc: _Doc, i: int, start: int) -> dict[str, float] | None:
    """The signals measured on line i as the headline of a new article (name -> value
    in 0..1), or None when a gate fails (the line cannot start an article)."""
    base = _base_features(doc, i, start)
    if base is None:
        return None
    features, before, after = base
    measured: dict[str, float] = {}
    for signals, _caps in _lexical_steps(doc, i, start, before, after):
        measured.update(signals)
    return _with_lexical(features, measured)


def _base_features(
    doc: _Doc, i: int, start: int
) -> tuple[dict[str, float], list[int], list[int]] | None:
    """The gates and the cheap signals of ``headline_features`` (shape, layout,
    neighbours, the story so far), with the story lines before line i and the first
    ones of its opening; None when a gate fails. The lexical signals come after them,
    in that order, so that the splitter can stop once they could no longer lift the
    score to its threshold (``_scored``)."""
    if not doc.headline_shaped[i] or not doc.has_story(start, i):
        return None
    text = doc.lines[i].text
    prev = doc.prev_content(i)
    opening, between = doc.opening(i)
    if prev is None or opening is None:  # never: headline_shaped asked
        return None
    prev_text = doc.lines[prev].text
    roles_under = {doc.roles[j] for j in between}
    before = doc.stories(start, i)
    after = doc.stories(opening, len(doc.lines), TOPIC_WINDOW)
    # The story's recent headings: a missed boundary must not lend the article before
    # its subheadings.
    recent_start = before[-STORY_WINDOW] if len(before) > STORY_WINDOW else start
    headings = _story_headings(doc, start, i)
    recent_headings = [j for j in headings if j > recent_start]
    spacers_under = doc.lines[opening].spacers_before > 0 or any(
        doc.lines[j].spacers_before for j in between
    )
    features = _title_case_features(text)
    features.update(
        {
            "the file's layout marker is missing": float(
                (doc.uses_spacers and not spacers_under)
                or (doc.uses_separators and "separator" not in doc.roles[prev + 1 : i])
            ),
            "after sign-off": float("signoff" in doc.roles[prev + 1 : i]),
            "caption under": float("caption" in roles_under),
            "byline/date under": float("meta" in roles_under),
            "spacers under": float(spacers_under),
            "dateline lede": float(bool(_DATELINE.match(doc.lines[opening].text))),
            "previous line ends a sentence": float(bool(SENTENCE_END.search(prev_text))),
            "under another headline-shaped line": float(
                not SENTENCE_END.search(prev_text) and is_title_like(prev_text)
            ),
            "question or exclamation": float(text.endswith(("?", "!"))),
            "long line": min(1.0, text.count(" ") / 12),
            "long lede": min(1.0, doc.lines[opening].text.count(" ") / 40),
            "short story so far": float(len(before) < SHORT_STORY),
            "list ahead": _list_ahead(doc, opening),
            "the story already has subheadings": float(doc.has_subheading(start + 1, i)),
            "many headline-shaped lines in the story": min(1.0, len(headings) / 6),
            "shaped like the story's subheadings": _like_subheadings(
                doc, i, [j for j in recent_headings if doc.opening(j)[0] is not None]
            ),
            "previous paragraph ends a story": float(bool(_STORY_END.search(prev_text))),
        }
    )
    if (
        _next_priced_item(doc, i, recent_headings) or _after_list_trailer(doc, prev, start)
    ) and not any(features[name] for name in LAYOUT_EVIDENCE):
        return None
    return features, before, after


def _next_priced_item(doc: _Doc, i: int, headings: list[int]) -> bool:
    """Whether line i ends in a price or measure shaped like the end of an earlier
    heading over a paragraph of the story ("... for $39.99", "... for $238.99"): the
    next item of a deals list, unless the layout marks a new article. Headlines of
    separate articles seldom end alike so; a bare number (a year) is not enough."""
    end = doc.end_shape(i)
    if end is None or not _NOT_NUMBER_SHAPE.search(end):
        return False
    return any(doc.end_shape(j) == end and doc.opening(j)[0] is not None for j in headings)


def _after_list_trailer(doc: _Doc, prev: int, start: int) -> bool:
    """Whether the line before the candidate is the recurring last line of a list's
    items: a short non-prose line of the same form (first two words, shape of the last
    word) as at least ``TRAILER_REPEATS`` earlier lines of the story ("Get it on Amazon
    for $39.99", "Get it at Walmart for $238.99"). The heading after it is the next
    item of the list; a story's last paragraph does not repeat a form so."""
    text = doc.lines[prev].text
    if doc.prose[prev] or text.count(" ") >= HEADLINE_MAX_WORDS:
        return False
    form = doc.form(prev)
    if form is None:
        return False
    same = 0
    for j in range(start, prev):
        if doc.content[j] and not doc.prose[j] and doc.form(j) == form:
            same += 1
            if same >= TRAILER_REPEATS:
                return True
    return False


def _story_headline(doc: _Doc, start: int) -> int | None:
    """The current story's own headline: its first headline-shaped content line before
    its first prose line."""
    for j in range(start, len(doc.lines)):
        if doc.is_story(j):
            return None
        if doc.content[j] and doc.title_like[j] and not doc.prose[j]:
            return j
    return None


def _story_headline_features(doc: _Doc, i: int, start: int, after: list[int]) -> dict[str, float]:
    """A subheading or a list item's head continues its story: it and its paragraph
    repeat words of the story's headline, and it is shorter than that headline. A new
    article's headline and lede bring their own subject."""
    head = _story_headline(doc, start)
    if head is None or head == i:
        return {}
    head_text = doc.lines[head].text
    head_stems = doc.stems(head)
    stems = doc.stems(i)
    if not head_stems or not stems:
        return {}
    lede = set().union(*(doc.stems(j) for j in after[:1]))
    return {
        "repeats the story's headline": len(stems & head_stems) / len(stems),
        "lede repeats the story's headline": len(head_stems & lede) / len(head_stems),
        "as long as the story's headline": min(
            1.0, (doc.lines[i].text.count(" ") + 1) / (head_text.count(" ") + 1)
        ),
    }


def _title_case_features(text: str) -> dict[str, float]:
    words = [w for w in _WORD.findall(text) if not w.isupper() or len(w) == 1]
    capitalised = [w for w in words if w[0].isupper()]
    title_case = len(words) >= 3 and len(capitalised) >= 0.75 * len(words)
    minor = title_case and len(capitalised) == len(words)
    return {
        "title-case": float(title_case),
        "capitalised minor words": float(minor and any(_MINOR.match(w) for w in capitalised[1:])),
    }


def _list_ahead(doc: _Doc, opening: int) -> float:
    """Share of short non-prose lines among the next content lines: a listicle's items
    (and their subheadings) rather than a new story's opening."""
    ahead = list(islice(_content_after(doc, opening), LIST_WINDOW))
    if not ahead:
        return 0.0
    return sum(not doc.prose[j] for j in ahead) / len(ahead)


def _content_after(doc: _Doc, i: int) -> Iterator[int]:
    """The content lines after line i, lazily: callers want the first few only."""
    return (j for j in range(i + 1, len(doc.lines)) if doc.content[j])


def _story_headings(doc: _Doc, start: int, i: int) -> list[int]:
    """Headline-shaped lines of the story so far after its first prose line: its
    subheadings, list-item heads, or the heads of a deals/tips list."""
    first = (doc.stories(start, i, 1) or [i])[0]
    headings = doc.story_heading_lines()
    return headings[bisect_right(headings, first) : bisect_left(headings, i)]


def _like_subheadings(doc: _Doc, i: int, headings: list[int]) -> float:
    """How many earlier headline-shaped lines of the story look like line i (up to 3,
    scaled to 0..1): the same case, and about the same length or the same shape of last
    word (a price, a number): subheadings of one article, and the item heads of one list
    ("... for $39.99", "... for $238.99"), look alike."""
    text = doc.lines[i].text
    words = text.count(" ") + 1
    case = doc.title_case(i)
    end = doc.end_shape(i)
    alike = sum(
        doc.title_case(j) == case
        and (
            abs(doc.lines[j].text.count(" ") + 1 - words) <= LIKE_WORDS
            or (end is not None and doc.end_shape(j) == end)
        )
        for j in headings
    )
    return min(1.0, alike / 3)


def _end_shape(text: str) -> str | None:
    """The word shape of a line's last token when it holds a digit ("$39.99" -> "$9.9",
    "2019" -> "9"): list items of one kind end alike."""
    last = text.split()[-1] if text.split() else ""
    if not any(ch.isdigit() for ch in last):
        return None
    shape = _DIGIT.sub("9", _LETTERS.sub("a", last))
    return _DIGIT_RUN.sub(r"\1", shape)


def _is_subheading(doc: _Doc, j: int) -> bool:
    """A short headline-shaped line between two prose lines of a story."""
    text = doc.lines[j].text
    return (
        doc.content[j]
        and doc.is_story(j - 1)  # the cheap tests first
        and j + 1 < len(doc.lines)
        and doc.is_story(j + 1)
        and not SENTENCE_END.search(text)
        and text.count(" ") < HEADLINE_MAX_WORDS
        and (doc.title_like[j] or bool(_WRAPPED.match(text)))
    )


# The lexical signals, in the order ``headline_features`` lists them (after the others).
LEXICAL_SIGNALS = (
    "topic shift",
    "local topic shift",
    "cohesion dip",
    "echoed by the lede",
    "words already used by the story",
    "repeats the story's headline",
    "lede repeats the story's headline",
    "as long as the story's headline",
)


def _lexical_steps(
    doc: _Doc, i: int, start: int, before: list[int], after: list[int]
) -> Iterator[tuple[dict[str, float], dict[str, float]]]:
    """The lexical signals of line i, in steps from the cheapest (sets of word stems)
    to the costliest (the cosines across the story's paragraph gaps): each step gives
    its signals and tighter maxima than 1 for signals still to come, so that the
    splitter can stop once no value of those could lift the score (``_scored``).

    Lexical cohesion (when there is a story before and after): ``topic shift`` is 1 -
    cosine between the words of the story so far and those of the line and its next
    paragraphs; ``local topic shift`` the same against the last paragraphs only;
    ``cohesion dip`` how much lower the similarity across line i is than across the
    other paragraph gaps of the story (TextTiling's depth score), so at most the local
    topic shift. Then the echo of the line's words (``_echo_features``) and the story's
    own headline (``_story_headline_features``)."""
    yield _story_headline_features(doc, i, start, after), {}
    if not before or not after:
        return
    yield _echo_features(doc, i, before, after), {}
    after_words = doc.words([i, *after])
    local = _cosine(doc.words(before[-TOPIC_WINDOW:]), after_words)
    yield {"local topic shift": 1.0 - local}, {"cohesion dip": max(0.0, 1.0 - local)}
    similarity = _cosine(doc.story_words(before), after_words)
    yield {"topic shift": 1.0 - similarity}, {"cohesion dip": max(0.0, 1.0 - local)}
    gaps = doc.story_gaps(before)
    yield {"cohesion dip": max(0.0, sum(gaps) / len(gaps) - local) if gaps else 0.0}, {}


def _with_lexical(features: dict[str, float], lexical: dict[str, float]) -> dict[str, float]:
    """``features`` followed by the lexical signals in ``LEXICAL_SIGNALS`` order: the
    order the score sums them in (``headline_score``) and the reasons list them in."""
    for name in LEXICAL_SIGNALS:
        if name in lexical:
            features[name] = lexical[name]
    return features


def _stems(text: str) -> set[str]:
    """The first five letters of the line's words of four letters or more, casefolded."""
    return set(map(_STEM, _casefolded(_STEM_WORD.findall(text))))


def _casefolded(words: list[str]) -> list[str]:
    """``[w.casefold() for w in words]`` in one call per line: casefolding maps each
    character on its own (unlike ``lower``, no context), never to a space, and the
    words hold none."""
    return " ".join(words).casefold().split()


def _echo_features(doc: _Doc, i: int, before: list[int], after: list[int]) -> dict[str, float]:
    """A headline's words come back in its lede and are new to the story so far; a
    subheading's words have mostly been used by its story already."""
    stems = doc.stems(i)
    if len(stems) < 2:
        return {}
    lede = set().union(*(doc.stems(j) for j in after[:2]))
    # The recent part of the story only: when an earlier boundary was missed, the
    # article before it must not make this headline's words look used.
    story = set().union(*(doc.stems(j) for j in before[-STORY_WINDOW:]))
    return {
        "echoed by the lede": len(stems & lede) / len(stems),
        "words already used by the story": len(stems & story) / len(stems),
    }


def _separator_reasons(doc: _Doc, i: int, start: int) -> list[str] | None:
    if doc.roles[i] != "separator" or not doc.has_story(start, i):
        return None
    nxt = doc.next_content(i)
    if nxt is None or "separator" in doc.roles[i + 1 : nxt]:
        return None  # the boundary goes at the separator closest to the headline
    if "signoff" in doc.roles[i + 1 : nxt]:
        return None  # the sign-off closes the story above: the headline starts the next
    headline = doc.lines[nxt].text
    if not is_title_like(headline) or (is_prose(headline) and not headline.endswith(("?", "!"))):
        return None
    if _opening(doc, nxt)[0] is None:
        return None  # a headline opens a story: otherwise a section break in one article
    return [f"separator line {doc.lines[i].text!r}", "headline after the separator"]


def _live_blog_stamps(doc: _Doc) -> int:
    """How many timestamp lines make the file a live blog (0 when they do not).

    A live blog's timestamps each open an entry that tells a story, so the entries
    between two timestamps hold prose. Timestamps under the teasers of a list of links
    ("Headline / Posted on: Site / 6 hours ago", "Teaser / 7 hours ago") come in runs
    whose entries are teaser lines: those date links, not entries."""
    stamps = [i for i, role in enumerate(doc.roles) if role == "timestamp"]
    if len(stamps) < MIN_TIMESTAMPS:
        return 0
    told = sum(doc.has_story(a + 1, b) for a, b in zip(stamps[:-1], stamps[1:], strict=True))
    return len(stamps) if told >= LIVE_BLOG_STORY_SHARE * (len(stamps) - 1) else 0


def _timestamp_reasons(doc: _Doc, i: int, start: int, stamps: int) -> list[str] | None:
    if doc.roles[i] != "timestamp" or stamps < MIN_TIMESTAMPS or not doc.has_story(start, i):
        return None
    end = next(
        (j for j in range(i + 1, len(doc.lines)) if doc.roles[j] == "timestamp"), len(doc.lines)
    )
    if not doc.has_story(i + 1, end):
        return None
    return [f"timestamp line {doc.lines[i].text!r}", f"live blog: {stamps} timestamp lines"]


def headline_score(
    features: dict[str, float], model: dict | None = None
) -> tuple[float, list[tuple[str, float]]]:
    """The score of a headline candidate and each signal's share of it, under the fitted
    weights (or ``model``: {"bias", "weights"}, as the fitting script tries them).

    Subheadings are never printed with a caption or spacer lines under them or a
    sign-off above: with such layout evidence, the text-only doubts (negative shares)
    do not count."""
    model = model or _weights()
    shares = [
        (name, model["weights"][name] * value)
        for name, value in features.items()
        if value and model["weights"].get(name)
    ]
    if any(features.get(name) for name in LAYOUT_EVIDENCE):
        shares = [(name, share) for name, share in shares if share > 0]
    return model["bias"] + sum(share for _name, share in shares), shares


# Rounding slack of the score bounds of ``_Scorer``, per unit of the model's total
# weight: a score sums a few dozen products of a weight and a value in 0..1, whose
# rounding errors are some 1e-14 of that total at most.
_BOUND_SLACK = 1e-9


class _Scorer:
    """The scores of one document's headline candidates under one model, as
    ``headline_features`` and ``headline_score`` give them, for the splitter.

    The splitter only asks whether a score reaches a threshold, and most candidates
    fail on their cheap signals alone. The lexical ones (word counts and cosines over
    the story: the costly part) come in steps (``_lexical_steps``), and a candidate is
    dropped as soon as even the best values of the signals still to come could not
    lift its score to the threshold (``_best_score``). A candidate that may reach it
    gets every signal, so its score and reasons are those of the full measure. Answers
    are kept for this document: the second pass asks about the same lines again."""

    def __init__(self, doc: _Doc, model: dict):
        self.doc = doc
        self.model = model
        weights = model["weights"].values()
        self.slack = _BOUND_SLACK * (1.0 + abs(model["bias"]) + sum(map(abs, weights)))
        # (line, article start) -> (the floor asked for, the answer under it)
        self._answers: dict[tuple[int, int], tuple[float, tuple | None]] = {}

    def scored(
        self, i: int, start: int, floor: float
    ) -> tuple[dict[str, float], float, list[tuple[str, float]]] | None:
        """(features, score, shares) of line i as the headline of an article after the
        one starting at ``start``; None when a gate fails, the line is one more item of
        a list (``_one_more_item``) or its score is surely below ``floor``. Otherwise
        the score may still be below ``floor``: the caller compares."""
        known = self._answers.get((i, start))
        if known is not None and known[0] <= floor:
            return known[1]
        answer = self._measure(i, start, floor)
        if answer is _BELOW:  # holds under this floor and higher ones only
            self._answers[(i, start)] = (floor, None)
            return None
        self._answers[(i, start)] = (float("-inf"), answer)  # holds under any floor
        return answer

    def _measure(self, i: int, start: int, floor: float):
        base = _base_features(self.doc, i, start)
        if base is None or _one_more_item(base[0]):
            return None
        features, before, after = base
        pending = dict.fromkeys(LEXICAL_SIGNALS, 1.0)
        measured = dict(features)
        lexical: dict[str, float] = {}
        for signals, caps in _lexical_steps(self.doc, i, start, before, after):
            lexical.update(signals)
            measured.update(signals)
            for name in signals:
                pending.pop(name, None)
            pending.update((name, cap) for name, cap in caps.items() if name in pending)
            if pending and _best_score(measured, pending, self.model) + self.slack < floor:
                return _BELOW
        features = _with_lexical(features, lexical)
        score, shares = headline_score(features, self.model)
        return features, score, shares


_BELOW = ()  # _Scorer's answer for a score surely below the floor asked for


def _best_score(known: dict[str, float], pending: dict[str, float], model: dict) -> float:
    """The highest score a candidate could reach (``headline_score``) given the signals
    ``known`` and, for each signal still to come, its highest possible value: a signal
    counts only when its share is positive, since values are never below 0 (layout
    evidence only drops negative shares, and comes from the known signals)."""
    weights = model["weights"]
    shares = [weights[name] * value for name, value in known.items() if value and weights.get(name)]
    if any(known.get(name) for name in LAYOUT_EVIDENCE):
        shares = [share for share in shares if share > 0]
    best = sum(max(0.0, weights.get(name, 0.0)) * cap for name, cap in pending.items())
    return model["bias"] + sum(shares) + best


def _headline_reasons(
    scorer: _Scorer, i: int, start: int, floor: float | None = None
) -> list[str] | None:
    """A headline boundary at line i: its score reaches the threshold. ``floor``: the
    lowest score the caller will ask about at this line (the second pass's threshold)."""
    threshold = scorer.model["threshold"]
    scored = scorer.scored(i, start, threshold if floor is None else floor)
    if scored is None or scored[1] < threshold:
        return None
    return _explain(scorer.doc, i, *scored)


def _explain(
    doc: _Doc, i: int, features: dict[str, float], score: float, shares: list[tuple[str, float]]
) -> list[str]:
    # Sorted as a copy: the scorer keeps the shares for the second pass.
    shares = sorted(shares, key=lambda share: -abs(share[1]))
    return [f"headline {doc.lines[i].text!r} (score {score:.2f})"] + [
        f"{name} ({features[name]:.2f}: {share:+.2f})" for name, share in shares
    ]


def _second_pass_floor(model: dict) -> float:
    """The lowest score the second pass asks about: its threshold (at most the first)."""
    second = model.get("second pass")
    return min(model["threshold"], second["threshold"]) if second else model["threshold"]


def _second_pass_reasons(
    scorer: _Scorer, i: int, start: int, shapes: list[tuple] | None
) -> list[str] | None:
    """A headline of a merged file below the threshold: it starts an article when it
    reaches the second-pass threshold and has the shape of a confident headline of the
    file (``shape_matches``). Articles of one merged file share their layout."""
    doc, model = scorer.doc, scorer.model
    second = model.get("second pass")
    if not second:
        return None
    scored = scorer.scored(i, start, _second_pass_floor(model))
    if scored is None or scored[1] < second["threshold"]:
        return None
    features, score, shares = scored
    parts = tuple(second.get("shape", SHAPE_PARTS))
    like = shape_matches(headline_shape(doc, i), shapes or [], second["word band"], parts)
    if like is None or in_section_run(doc, i, start, second.get("section run", 0)):
        return None
    return _explain(doc, i, features, score, shares) + [
        f"matches confident headline shape ({doc.lines[like].text!r};"
        f" second-pass threshold {second['threshold']:.2f})"
    ]


def section_sizes(doc: _Doc, i: int, start: int) -> tuple[int, int | None]:
    """The story lines of the sections on each side of line i: since the last
    headline-shaped line before it (or the article's start), and up to the next one
    (None when none follows: the file's last section)."""
    headings = doc.heading_lines()
    before = bisect_left(headings, i)
    prev = max(start, headings[before - 1]) if before else start
    after = bisect_right(headings, i)
    size_after = doc.story_count(i + 1, headings[after]) if after < len(headings) else None
    return doc.story_count(prev, i), size_after


def in_section_run(doc: _Doc, i: int, start: int, run: int) -> bool:
    """Whether line i sits in a run of sections: at most ``run`` story lines since the
    last headline-shaped line and at most ``run`` up to the next one. Subheadings of
    one article and the items of one list recur every few paragraphs; an article's
    headline has its predecessor's ending above or its own story below."""
    size_before, size_after = section_sizes(doc, i, start)
    return run > 0 and size_after is not None and max(size_before, size_after) <= run


def headline_shape(doc: _Doc, i: int) -> tuple:
    """What the headlines of one merged file share: (line, case style, its end (``?``,
    ``!`` or none), the marker lines before it (separator, timestamp, sign-off), the
    layout under it (caption, byline/date, spacers), whether the content line before
    ends a sentence (None for the file's first headline), word count)."""
    opening, between = _opening(doc, i)
    under = {doc.roles[j] for j in between}
    if any(doc.lines[j].spacers_before for j in [*between, opening] if j is not None):
        under.add("spacers")
    prev = doc.prev_content(i)
    ends = None if prev is None else bool(SENTENCE_END.search(doc.lines[prev].text))
    marks = frozenset(doc.roles[0 if prev is None else prev + 1 : i]) - {None}
    text = doc.lines[i].text
    case = _title_case_features(text)["title-case"]
    end = text[-1] if text.endswith(("?", "!")) else ""
    return (i, case, end, marks, frozenset(under), ends, text.count(" ") + 1)


def confident_shapes(doc: _Doc, starts: list[int]) -> list[tuple]:
    """The shapes of the headlines of a merged file's articles as the first pass found
    them: the file's first headline, each headline boundary's line, the headline after
    a separator or timestamp (an entry without one adds nothing)."""
    shapes = []
    for start in starts:
        head = _story_headline(doc, start)
        if head is not None:
            shapes.append(headline_shape(doc, head))
    return shapes


def shape_matches(
    shape: tuple, shapes: list[tuple], band: int, parts: tuple[str, ...] = SHAPE_PARTS
) -> int | None:
    """The line of a confident headline shaped like ``shape`` in the ``parts`` compared
    (of ``SHAPE_PARTS``: case style, end, markers before, layout under it, the kind of
    line before it; the file's first headline has none), at most ``band`` words longer
    or shorter, or None."""
    _i, *kind, words = shape
    compared = [k for k, part in enumerate(SHAPE_PARTS) if part in parts]
    for line, *other_kind, other_words in shapes:
        if abs(words - other_words) <= band and all(
            kind[k] == other_kind[k] or (SHAPE_PARTS[k] == "line before" and other_kind[k] is None)
            for k in compared
        ):
            return line
    return None


def _one_more_item(features: dict[str, float]) -> bool:
    """A line shaped like three earlier headings over paragraphs of the story (which did
    not start articles) is one more of them: the next product of a deals list, the next
    section of a review, whatever its topic, unless the layout marks a new article."""
    return features["shaped like the story's subheadings"] >= 1.0 and not any(
        features.get(name) for name in LAYOUT_EVIDENCE
    )


@lru_cache(maxsize=1)
def _weights() -> dict:
    """The fitted signal weights (rules/segment_weights.json, scripts/fit_segment_weights.py)."""
    path = resources.files("cleaner.rulepacks") / WEIGHTS_FILE
    return json.loads(path.read_text(encoding="utf-8"))


def _repeats_only(doc: _Doc, start: int, i: int) -> bool:
    """Whether the story after line i (up to the next separator or timestamp) only
    repeats lines of the article before: a re-posted entry stays with the first one,
    where the repeated-line rule drops the copy (as it would on a second pass)."""
    end = _entry_end(doc, i)
    seen = {doc.lines[j].text.casefold() for j in range(start, i)}
    story = [j for j in range(i + 1, end) if doc.is_story(j)]
    return bool(story) and all(doc.lines[j].text.casefold() in seen for j in story)


def _repeats_any(doc: _Doc, start: int, i: int) -> bool:
    """Whether the entry after a separator or timestamp line i repeats a line (of
    REPEAT_MIN_WORDS words or more) of the article before: an update of the same story,
    which stays with it. Rendering drops separators and timestamps, so a second pass
    sees the two as one article and drops the repeat; the first pass must agree."""
    end = _entry_end(doc, i)
    seen = {
        doc.lines[j].text.casefold()
        for j in range(start, i)
        if doc.lines[j].text.count(" ") + 1 >= REPEAT_MIN_WORDS
    }
    return any(doc.lines[j].text.casefold() in seen for j in range(i + 1, end))


def _entry_end(doc: _Doc, i: int) -> int:
    return next(
        (j for j in range(i + 1, len(doc.lines)) if doc.roles[j] in ("separator", "timestamp")),
        len(doc.lines),
    )


def segment(
    lines: list[Line], matches: list[tuple[Rule, ...]], model: dict | None = None
) -> list[tuple[int, int, list[str]]]:
    """Article spans as (start, end, reasons): lines[start:end] is one article.

    ``model`` replaces the fitted weights (the fitting script tries its own)."""
    if not lines:
        return []
    doc = _Doc(lines, matches)
    model = model or _weights()
    stamps = _live_blog_stamps(doc)
    scorer = _Scorer(doc, model)
    starts = _split(doc, stamps, model, scorer=scorer)
    if len(starts) > 1:
        # A confident boundary makes this a merged file: look again for headlines
        # shaped like the ones found, at the lower second-pass threshold.
        shapes = confident_shapes(doc, [i for i, _ in starts])
        starts = _split(doc, stamps, model, dict(starts[1:]), shapes, scorer)
    ends = [s for s, _ in starts[1:]] + [len(lines)]
    return [(s, e, reasons) for (s, reasons), e in zip(starts, ends, strict=True)]


def _split(
    doc: _Doc,
    stamps: int,
    model: dict,
    confident: dict[int, list[str]] | None = None,
    shapes: list[tuple] | None = None,
    scorer: _Scorer | None = None,
) -> list[tuple[int, list[str]]]:
    """Article starts with their reasons. The first pass (no ``confident``) takes the
    separator, timestamp and headline boundaries; the second keeps those and adds the
    headlines that reach the second-pass threshold and match a confident headline's
    shape (``_second_pass_reasons``). ``scorer`` (under ``model``) may come from the
    first pass of the same document: the second asks about the same lines."""
    scorer = scorer or _Scorer(doc, model)
    floor = None if confident is None else _second_pass_floor(model)
    starts: list[tuple[int, list[str]]] = [(0, [])]
    for i in _possible_starts(doc, confident):
        if confident is not None and i in confident:
            starts.append((i, confident[i]))
            continue
        start = starts[-1][0]
        marked = _separator_reasons(doc, i, start) or _timestamp_reasons(doc, i, start, stamps)
        reasons = marked or _headline_reasons(scorer, i, start, floor)
        if confident is not None and not reasons:
            reasons = _second_pass_reasons(scorer, i, start, shapes)
        repeats = _repeats_any if marked else _repeats_only
        if reasons and not repeats(doc, start, i):
            starts.append((i, reasons))
    return starts


def _possible_starts(doc: _Doc, confident: dict[int, list[str]] | None) -> list[int]:
    """The lines after the first that may start an article, in order: separators,
    timestamps and the lines that pass the headline gates which do not depend on the
    article's start (``_Doc.headline_shaped``), after the file's first story line (each
    kind of evidence needs a story above), and the confident boundaries. Any other line
    fails every kind of evidence, so the splitter need not ask about it."""
    possible = [
        i
        for i in range(1, len(doc.lines))
        if (doc.headline_shaped[i] or doc.roles[i] in _MARKERS) and doc.has_story(0, i)
    ]
    if confident:
        possible = sorted(set(possible).union(confident))
    return possible


_MARKERS = ("separator", "timestamp")
