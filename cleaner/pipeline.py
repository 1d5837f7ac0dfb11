"""The pipeline: decode and repair -> lines -> rules -> segments -> metadata -> language.

``clean`` returns Article objects; ``clean_records`` returns JSON-ready dicts;
``normalize`` returns the clean text. All three are pure functions of their input and
the rule set: no global state changes, so they are safe in threads and processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .classify import LineCache, apply_classifier, load_classifier
from .decode import decode_bytes, repair_text
from .engine import Article, apply_rules
from .html import html_to_text, looks_like_html
from .language import detect_language
from .lines import MAX_LINE_CHARS, Line, is_passthrough, split_lines
from .render import render_text, to_record
from .rules import Rule, RuleSet, load_rules
from .segment import segment

__all__ = [
    "clean",
    "clean_records",
    "clean_text",
    "default_rules",
    "normalize",
    "Reuse",
    "settle",
    "settle_articles",
]

INPUT_FORMATS = ("auto", "text", "html")


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The built-in rule packs, loaded and compiled once per process."""
    return load_rules()


def _as_str(data: str | bytes) -> str:
    if isinstance(data, bytes | bytearray | memoryview):
        return decode_bytes(bytes(data))
    return data


def _repair(raw: str, fast: bool) -> str:
    """Repair the text (decode.repair_text), except over-long lines.

    A line past lines.MAX_LINE_CHARS is passed through unrepaired: ftfy and the
    per-line regexes would otherwise spend seconds on a 100 MB line with no newline.
    """
    if len(raw) <= MAX_LINE_CHARS:  # no line can be over-long: the common case
        return repair_text(raw, fast=fast)
    return "\n".join(
        line if is_passthrough(line) else repair_text(line, fast=fast) for line in raw.split("\n")
    )


@dataclass
class Reuse:
    """What a pass of ``clean`` finds out about each line that depends on its text alone:
    the rules it matches, its classifier shape, the language of a sample. ``settle``
    cleans the rendered text again, whose lines are the kept lines of the pass before:
    with the same Reuse, that pass looks none of it up again. Per call, never global
    (normalize stays pure); one rule set per Reuse."""

    matches: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    lines: LineCache = field(default_factory=LineCache.new)


def _match(
    lines: list[Line], rules: RuleSet, fast: bool, reuse: Reuse | None = None
) -> list[tuple[Rule, ...]]:
    """The rules matching each line; passed-through (over-long) lines match none.

    A line's matches depend on its text alone (the fast path gives matching()'s answer
    line by line), so those ``reuse`` holds are taken from it and only the other lines
    are matched (on the fast path: the plain one stays the plain reference)."""
    if reuse is None or not fast:
        return _match_all(lines, rules, fast)
    known = reuse.matches
    new = list({line.text: line for line in lines if line.text not in known}.values())
    for line, found in zip(new, _match_all(new, rules, fast), strict=True):
        known[line.text] = found
    return [() if line.passthrough else known[line.text] for line in lines]


def _match_all(lines: list[Line], rules: RuleSet, fast: bool) -> list[tuple[Rule, ...]]:
    if not any(line.passthrough for line in lines):
        return rules.match_lines((line.text for line in lines), fast=fast)
    matched = iter(rules.match_lines((ln.text for ln in lines if not ln.passthrough), fast=fast))
    return [() if line.passthrough else next(matched) for line in lines]


def _spans(
    lines: list[Line], matches: list[tuple[Rule, ...]], is_html: bool
) -> list[tuple[int, int, list[str]]]:
    """The articles' line spans: the splitter's (segment.py) for scraped text.

    An HTML page is one article: trafilatura extracts the page's main text, one story,
    so the splitter (a third of HTML mode's own cost) would only risk cutting it; on
    the eval-dev pages it split two of 56, with the same score either way."""
    if is_html:
        return [(0, len(lines), [])] if lines else []
    return segment(lines, matches)


def _is_html(text: str, input_format: str) -> bool:
    """Whether clean() takes the input for an HTML page (to extract) or scraped text."""
    return input_format == "html" or (input_format == "auto" and looks_like_html(text))


def _line_ends_to_lf(text: str) -> str:
    # CRLF/CR and the Unicode line and paragraph separators all end a line.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n")


def clean(
    data: str | bytes,
    rules: RuleSet | None = None,
    input_format: str = "auto",
    detect_lang: bool = True,
    fast: bool = True,
    classify: bool = True,
    reuse: Reuse | None = None,
) -> list[Article]:
    """Clean one scraped file (text or HTML, str or bytes) into its articles.

    ``fast=False`` runs the plain reference path (repair and rule matching line by
    line, every rule on every line); the fast path must give the same articles, which
    tests/test_fast_path.py checks. ``classify`` runs the statistical line classifier
    after the rules (see classify.py); off, only the rules remove lines. ``reuse``
    carries per-line findings from one call to the next (see Reuse)."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {INPUT_FORMATS}")
    rules = rules or default_rules()
    text = _as_str(data)
    is_html = _is_html(text, input_format)
    if is_html:
        text = html_to_text(text)
    raw = _line_ends_to_lf(text)
    lines = split_lines(_repair(raw, fast), raw)
    matches = _match(lines, rules, fast, reuse)
    articles = []
    for start, end, reasons in _spans(lines, matches, is_html):
        article = apply_rules(lines[start:end], matches[start:end], rules)
        article.notes = reasons
        # trafilatura's output is already the story: the classifier (fitted on whole
        # scraped pages) would only cost recall there.
        model = load_classifier() if classify and not is_html else None
        if model is not None:
            apply_classifier(article, model, rules, reuse.lines if reuse else None)
        if detect_lang:
            article.lang = detect_language(article.text)
        if article.title or article.body:
            articles.append(article)
    return articles


def clean_records(
    data: str | bytes,
    source: str | None = None,
    explain: bool = False,
    rules: RuleSet | None = None,
    input_format: str = "auto",
    detect_lang: bool = True,
    fast: bool = True,
) -> list[dict[str, object]]:
    """Clean one file into JSON-ready article records (see the record schema)."""
    articles = clean(data, rules, input_format, detect_lang, fast)
    return [to_record(a, i, source, explain) for i, a in enumerate(articles)]


# The splitter and the classifier judge a line by its context, and the rendered text
# has less of it (no captions, spacers, separators, chrome): cleaning it again can still
# drop a line. The clean text is therefore taken at a fixed point: cleaned again until
# nothing changes (two passes almost always; the bound keeps the cost finite).
FIXED_POINT_PASSES = 4


def settle(text: str, rules: RuleSet | None = None, reuse: Reuse | None = None) -> str:
    """Clean already-rendered clean text again until it no longer changes.

    ``reuse``: what the pass that rendered the text found out (see Reuse); each pass
    here adds to it for the next."""
    reuse = reuse or Reuse()
    for _ in range(FIXED_POINT_PASSES - 1):
        again = render_text(clean(text, rules, "text", detect_lang=False, reuse=reuse))
        if again == text:
            break
        text = again
    return text


def settle_articles(
    source: str, articles: list[Article], rules: RuleSet | None = None, reuse: Reuse | None = None
) -> str:
    """The clean text at its fixed point, from the articles that text mode (``clean(source,
    rules, "text", reuse=reuse)``) made of ``source``.

    When their text is ``source`` itself, the input was already clean, and settle's first
    pass would clean that very text again, with the same rules and the same result (clean
    is pure): it is skipped. A check or a fix over clean files, the usual pre-commit run,
    then cleans each file once instead of twice."""
    rendered = render_text(articles)
    if rendered == source:
        return rendered
    return settle(rendered, rules, reuse)


def clean_text(data: str | bytes, rules: RuleSet | None = None, input_format: str = "auto") -> str:
    """The clean text of the whole input, at its fixed point (see ``settle``)."""
    text = _as_str(data)
    reuse = Reuse()
    articles = clean(text, rules, input_format, detect_lang=False, reuse=reuse)
    if _is_html(text, input_format):
        # not a text-mode pass: the shortcut does not apply (the lines' findings do)
        return settle(render_text(articles), rules, reuse)
    return settle_articles(text, articles, rules, reuse)


def normalize(data: str | bytes) -> str:
    """The clean text of the whole input: per article its title, a blank line, its body.

    Pure, deterministic and idempotent: ``normalize(normalize(x)) == normalize(x)``.
    """
    return clean_text(data)


def body_text(data: str | bytes) -> str:
    """The bodies of all records joined (no titles): what the eval-dev gold holds."""
    return "\n\n".join(a.text for a in clean(data, input_format="text"))


def body_text_html(data: str | bytes) -> str:
    """``body_text`` for an HTML page (trafilatura extraction, then rules)."""
    return "\n\n".join(a.text for a in clean(data, input_format="html"))
