"""Stage 3b: apply the rules to one article's lines; every removal names its rule.

Positions rules can ask for (``where``):
- ``head``: before the article's first prose line (section labels, breadcrumbs, desk
  labels live above the story);
- ``body``: after the first prose line;
- ``last``: the article's last kept line (a lone agency sign-off such as ``AFP``);
- ``any``: anywhere.

A ``drop-list`` rule (a "Related Stories" heading) also removes the headline-shaped
lines that follow it, up to the next prose line.

A *prose line* has at least ``PROSE_MIN_WORDS`` words and ends like a sentence. A
``drop-rest`` rule (a comment-section header) removes everything after it only once the
story has begun: in the head it removes its own line alone, so a "12 Comments" counter
under a blog headline never swallows the post.

After the line rules: the title is the first kept line of the head when it is shaped like
a headline; then the structural rules drop the caption slot under the title (a line
followed by spacer lines) and lines that repeat the title or an earlier line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .lines import Line
from .metadata import is_title_like, parse_date
from .rules import Rule, RuleSet

__all__ = ["Article", "apply_rules", "first_prose_index", "is_prose", "peel_last_lines"]

PROSE_MIN_WORDS = 10
MENU_MAX_WORDS = 3  # "More", "Read more", "Share on Facebook"
MENU_REPEATS = 3  # a short line printed this often is a menu item or a button
REPEAT_MIN_WORDS = 4  # shorter lines ("Yes.", "AFP") may repeat legitimately
LIST_MAX_ITEMS = 12  # a teaser list longer than this is more likely something else
DELIMITED_MIN_ITEMS = 3  # copies of an item's widget line that make a delimited list
DELIMITED_MAX_GAP = 4  # lines from one copy to the next: teaser items are short
SENTENCE_END = regex.compile(r"[.!?…\"'”’»)\]]$")  # also used by segment.py


@dataclass(slots=True)
class Article:
    """One article: its lines (kept and removed), title and metadata."""

    lines: list[Line]
    title: str = ""
    title_line: int | None = None  # index into lines
    meta: dict[str, str] = field(default_factory=dict)
    lang: str | None = None
    notes: list[str] = field(default_factory=list)  # why it was split off, for --explain
    first_prose: int | None = None  # the line head/body positions were measured from
    # The rules each line matched (apply_rules's input), so that a later stage can ask
    # again without matching again; None when the article was built without them.
    matches: list[tuple[Rule, ...]] | None = field(default=None, repr=False, compare=False)

    @property
    def body(self) -> list[str]:
        return [ln.text for i, ln in enumerate(self.lines) if ln.kept and i != self.title_line]

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)

    def removed(self) -> list[dict[str, object]]:
        return [_removed_entry(ln) for ln in self.lines if not ln.kept]


def _removed_entry(line: Line) -> dict[str, object]:
    entry: dict[str, object] = {"line": line.number, "text": line.text, "rule": line.rule}
    if line.score is not None:  # dropped by the classifier: its content score
        entry["score"] = round(line.score, 3)
    return entry


_SENTENCE_END_CHARS = tuple(".!?…\"'”’»)]")  # SENTENCE_END's characters


def is_prose(text: str) -> bool:
    """A line that reads like a sentence of a story.

    Asked of every line of every file: the end is tested on the last character (the
    regex would scan the whole line), and by ``SENTENCE_END`` after a final newline,
    where ``$`` also matches before it."""
    if text.count(" ") + 1 < PROSE_MIN_WORDS:
        return False
    if text.endswith("\n"):
        return bool(SENTENCE_END.search(text))
    return text.endswith(_SENTENCE_END_CHARS)


def first_prose_index(lines: list[Line], matches: list[tuple[Rule, ...]]) -> int:
    """Index of the first prose line no rule matches (len(lines) when there is none)."""
    for i, line in enumerate(lines):
        if not matches[i] and is_prose(line.text):
            return i
    return len(lines)


def _position_ok(rule: Rule, index: int, first_prose: int) -> bool:
    if rule.where == "head":
        return index < first_prose
    if rule.where == "body":
        return index > first_prose
    return rule.where == "any"


def _meta_value(rule: Rule, text: str) -> str | None:
    value = rule.value(text)
    if value and rule.parse == "date":
        return parse_date(value)
    return value or None


def _apply_line_rule(
    article: Article, rule: Rule, index: int, first_prose: int, matches: list[tuple[Rule, ...]]
) -> bool:
    """Apply one matching rule to lines[index]; False when it does not apply after all."""
    line = article.lines[index]
    if rule.kind == "meta":
        value = _meta_value(rule, line.text)
        if value is None:
            return False
        article.meta.setdefault(rule.field, value)
    line.rule = rule.id
    if rule.kind == "drop-list":
        _drop_list_items(article, rule, index, matches)
    if rule.kind == "drop-rest" and index > first_prose:
        for later in article.lines[index + 1 :]:
            if later.kept:
                later.rule = rule.id
    return True


def _drop_list_items(
    article: Article, rule: Rule, index: int, matches: list[tuple[Rule, ...]]
) -> None:
    """Drop the headline-shaped lines that follow a teaser-list heading (the list).

    The list ends at a prose line, at a line that is not headline-shaped, or at a line
    another rule claims (a comment header after the list keeps its own rule)."""
    dropped = 0
    for later_index in range(index + 1, len(article.lines)):
        later = article.lines[later_index]
        if not later.kept:
            continue
        if (
            dropped == LIST_MAX_ITEMS
            or matches[later_index]
            or is_prose(later.text)
            or not is_title_like(later.text)
        ):
            break
        later.rule = rule.id
        dropped += 1
    _drop_delimited_items(article, rule, index, matches)


def _drop_delimited_items(
    article: Article, rule: Rule, index: int, matches: list[tuple[Rule, ...]]
) -> None:
    """Drop a teaser list whose items are excerpts, each beside the same widget line.

    "You may like..." followed by [share buttons, excerpt] x 6: the excerpts read like
    prose, so the headline-shaped list above stops at the first one, but a line printed
    again with every short item is the list's own furniture (share buttons, "Read
    more"), and a story does not repeat a line every few paragraphs. The list is the run
    of at least DELIMITED_MIN_ITEMS copies at a fixed step (``_delimiter_copies``) that
    starts right under the heading; lines another rule claims are left to that rule."""
    after = [
        i
        for i in range(index + 1, len(article.lines))
        if article.lines[i].kept or article.lines[i].rule == rule.id  # the list above
    ]
    texts = [article.lines[i].text.casefold() for i in after]
    for first in range(min(2, len(after))):
        copies = _delimiter_copies(texts, first)
        if len(copies) < DELIMITED_MIN_ITEMS:
            continue
        last = copies[-1]
        if first == 0:  # a widget printed before each item: one item follows its last copy
            last += copies[1] - copies[0] - 1
        for j in range(min(last, len(after) - 1) + 1):
            line = article.lines[after[j]]
            if line.kept and not matches[after[j]]:
                line.rule = rule.id
        return


def _delimiter_copies(texts: list[str], first: int) -> list[int]:
    """Positions of texts[first] and its copies at a fixed step of 2 to DELIMITED_MAX_GAP
    lines (the items of one list have one layout: the same number of lines each)."""
    copies = [first]
    for j in range(first + 1, min(len(texts), first + DELIMITED_MAX_GAP + 1)):
        if texts[j] == texts[first]:
            copies.append(j)
            break
    step = copies[-1] - first
    if step < 2:  # nothing between two copies: not a list of items
        return copies[:1]
    while copies[-1] + step < len(texts) and texts[copies[-1] + step] == texts[first]:
        copies.append(copies[-1] + step)
    return copies


def _peel_signoffs(article: Article, matches: list[tuple[Rule, ...]]) -> None:
    """Apply ``where = "last"`` rules to the last kept line, repeatedly (AFP\\nAFP)."""
    while True:
        last = next(
            (i for i in range(len(article.lines) - 1, -1, -1) if article.lines[i].kept), None
        )
        if last is None or last == article.title_line:
            return
        rule = next((r for r in matches[last] if r.where == "last"), None)
        if rule is None or not _apply_line_rule(article, rule, last, -1, matches):
            return


def peel_last_lines(article: Article, rules: RuleSet) -> bool:
    """``_peel_signoffs`` again once a later stage dropped lines: the footer the
    classifier removed may leave a company boilerplate or agency sign-off as the last
    line. True when a line was dropped."""
    # Only the lines looked at here get their matches, as they always did: a rule that
    # drops a list reads the matches of the lines after it.
    matches: list[tuple[Rule, ...]] = [()] * len(article.lines)
    before = sum(line.kept for line in article.lines)
    while True:
        last = next(
            (i for i in range(len(article.lines) - 1, -1, -1) if article.lines[i].kept), None
        )
        if last is None or last == article.title_line or matches[last]:
            break
        matches[last] = _line_matches(article, last, rules)
        rule = next((r for r in matches[last] if r.where == "last"), None)
        if rule is None or not _apply_line_rule(article, rule, last, -1, matches):
            break
    return sum(line.kept for line in article.lines) < before


def _line_matches(article: Article, index: int, rules: RuleSet) -> tuple[Rule, ...]:
    """The rules line ``index`` matches: as apply_rules saw them when it kept them (the
    text of a line never changes), else matched now."""
    if article.matches is not None:
        return article.matches[index]
    # matching_fast gives matching()'s answer (tests/test_fast_path.py) with a few
    # joined searches instead of every rule, each under its own timeout.
    return rules.matching_fast(article.lines[index].text)


def _pick_title(article: Article, first_prose: int, matches: list[tuple[Rule, ...]]) -> None:
    """The first kept line of the head, when it is headline-shaped and no rule claims it:
    a line some rule matches (a lone ``AFP`` sign-off left in place) is chrome-shaped,
    never a headline."""
    first = next((i for i, ln in enumerate(article.lines) if ln.kept), None)
    if (
        first is not None
        and first < first_prose
        and not matches[first]
        and is_title_like(article.lines[first].text)
    ):
        article.title_line = first
        article.title = article.lines[first].text


def _drop_repeats(article: Article, rules: RuleSet, first_prose: int) -> None:
    """Drop the title printed again in the head, and repeats of earlier lines.

    Only the head's copy of the title is a repeat: a title-like line after the story
    has begun is a later entry's headline or content, and merging articles (as a second
    pass over rendered output may) must not turn it into a repeat."""
    title_rule = rules.structural.get("repeated-title")
    line_rule = rules.structural.get("repeated-line")
    title_key = article.title.casefold() if article.title else None
    seen: set[str] = set()
    for i, line in enumerate(article.lines):
        if not line.kept or i == article.title_line:
            continue
        key = line.text.casefold()
        if title_rule and key == title_key and i < first_prose:
            line.rule = title_rule.id
        elif line_rule and key in seen and line.text.count(" ") + 1 >= REPEAT_MIN_WORDS:
            line.rule = line_rule.id
        else:
            seen.add(key)


def _drop_repeated_short(article: Article, rules: RuleSet) -> None:
    """Drop every copy of a short line printed MENU_REPEATS or more times in the article.

    Menus and buttons repeat ("More", "Share", a section name per teaser); a story does
    not print the same two-word line three times. Headline-shaped only: a short
    sentence ("Yes.") may recur in an interview."""
    rule = rules.structural.get("repeated-short")
    if rule is None:
        return
    counts: dict[str, int] = {}
    for i, line in enumerate(article.lines):
        if line.kept and i != article.title_line and _is_menu_shaped(line.text):
            key = line.text.casefold()
            counts[key] = counts.get(key, 0) + 1
    frequent = {key for key, count in counts.items() if count >= MENU_REPEATS}
    if not frequent:
        return
    for i, line in enumerate(article.lines):
        if line.kept and i != article.title_line and line.text.casefold() in frequent:
            line.rule = rule.id


def _is_menu_shaped(text: str) -> bool:
    return text.count(" ") < MENU_MAX_WORDS and not SENTENCE_END.search(text)


def _drop_caption_slot(article: Article, rules: RuleSet) -> None:
    """Drop the one line between the title and a spacer run: the photo caption slot.

    News-roll layouts print headline, caption, spacer lines, story. Whatever sits in
    that slot is a caption, even a stray one of another story with no agency credit; a
    standfirst is never followed by spacers, so it is not touched."""
    rule = rules.structural.get("caption-slot")
    slot = article.title_line + 1 if article.title_line is not None else None
    if rule is None or slot is None or slot + 1 >= len(article.lines):
        return
    caption, after = article.lines[slot], article.lines[slot + 1]
    if caption.kept and caption.spacers_before == 0 and after.spacers_before > 0:
        caption.rule = rule.id


def apply_rules(lines: list[Line], matches: list[tuple[Rule, ...]], rules: RuleSet) -> Article:
    """Run the rules over one article's lines; return the Article with its removals."""
    article = Article(lines, matches=matches)
    first_prose = first_prose_index(lines, matches)
    article.first_prose = first_prose if first_prose < len(lines) else None
    for index, line in enumerate(lines):
        if not line.kept:
            continue
        for rule in matches[index]:
            if rule.where != "last" and _position_ok(rule, index, first_prose):
                if _apply_line_rule(article, rule, index, first_prose, matches):
                    break
    _pick_title(article, first_prose, matches)
    _drop_caption_slot(article, rules)
    _drop_repeats(article, rules, first_prose)
    _drop_repeated_short(article, rules)
    _peel_signoffs(article, matches)
    return article
