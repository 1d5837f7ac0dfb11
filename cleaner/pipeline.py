"""The pipeline: decode and repair -> lines -> rules -> segments -> metadata -> language.

``clean`` returns Article objects; ``clean_records`` returns JSON-ready dicts;
``normalize`` returns the clean text. All three are pure functions of their input and
the rule set: no global state changes, so they are safe in threads and processes.
"""

from __future__ import annotations

from functools import lru_cache

from .decode import decode_bytes, repair_text
from .engine import Article, apply_rules
from .html import html_to_text, looks_like_html
from .language import detect_language
from .lines import MAX_LINE_CHARS, Line, is_passthrough, split_lines
from .render import render_text, to_record
from .rules import Rule, RuleSet, load_rules
from .segment import segment

__all__ = ["clean", "clean_records", "default_rules", "normalize"]

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


def _match(lines: list[Line], rules: RuleSet, fast: bool) -> list[tuple[Rule, ...]]:
    """The rules matching each line; passed-through (over-long) lines match none."""
    if not any(line.passthrough for line in lines):
        return rules.match_lines((line.text for line in lines), fast=fast)
    matched = iter(rules.match_lines((ln.text for ln in lines if not ln.passthrough), fast=fast))
    return [() if line.passthrough else next(matched) for line in lines]


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
) -> list[Article]:
    """Clean one scraped file (text or HTML, str or bytes) into its articles.

    ``fast=False`` runs the plain reference path (repair and rule matching line by
    line, every rule on every line); the fast path must give the same articles, which
    tests/test_fast_path.py checks."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {INPUT_FORMATS}")
    rules = rules or default_rules()
    text = _as_str(data)
    if input_format == "html" or (input_format == "auto" and looks_like_html(text)):
        text = html_to_text(text)
    raw = _line_ends_to_lf(text)
    lines = split_lines(_repair(raw, fast), raw)
    matches = _match(lines, rules, fast)
    articles = []
    for start, end, reasons in segment(lines, matches):
        article = apply_rules(lines[start:end], matches[start:end], rules)
        article.notes = reasons
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


def normalize(data: str | bytes) -> str:
    """The clean text of the whole input: per article its title, a blank line, its body.

    Pure, deterministic and idempotent: ``normalize(normalize(x)) == normalize(x)``.
    """
    return render_text(clean(data, detect_lang=False))
