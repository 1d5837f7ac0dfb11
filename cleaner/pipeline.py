"""The pipeline: decode and repair -> lines -> rules -> segments -> metadata -> language.

``clean`` returns Article objects; ``clean_records`` returns JSON-ready dicts;
``normalize`` returns the clean text. All three are pure functions of their input and
the rule set: no global state changes, so they are safe in threads and processes.
"""

from __future__ import annotations

from functools import lru_cache

from .classify import apply_classifier, load_classifier
from .decode import decode_bytes, repair_text
from .engine import Article, apply_rules
from .html import html_to_text, looks_like_html
from .language import detect_language
from .lines import split_lines
from .render import render_text, to_record
from .rules import RuleSet, load_rules
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


def clean(
    data: str | bytes,
    rules: RuleSet | None = None,
    input_format: str = "auto",
    detect_lang: bool = True,
    classify: bool = True,
) -> list[Article]:
    """Clean one scraped file (text or HTML, str or bytes) into its articles.

    ``classify`` runs the statistical line classifier after the rules (see classify.py);
    off, only the rules remove lines."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {INPUT_FORMATS}")
    rules = rules or default_rules()
    text = _as_str(data)
    is_html = input_format == "html" or (input_format == "auto" and looks_like_html(text))
    if is_html:
        text = html_to_text(text)
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = split_lines(repair_text(raw), raw)
    matches = [rules.matching(line.text) for line in lines]
    articles = []
    for start, end, reasons in segment(lines, matches):
        article = apply_rules(lines[start:end], matches[start:end], rules)
        article.notes = reasons
        # trafilatura's output is already the story: the classifier (fitted on whole
        # scraped pages) would only cost recall there.
        model = load_classifier() if classify and not is_html else None
        if model is not None:
            apply_classifier(article, model, rules)
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
) -> list[dict[str, object]]:
    """Clean one file into JSON-ready article records (see the record schema)."""
    articles = clean(data, rules, input_format, detect_lang)
    return [to_record(a, i, source, explain) for i, a in enumerate(articles)]


def normalize(data: str | bytes) -> str:
    """The clean text of the whole input: per article its title, a blank line, its body.

    Pure, deterministic and idempotent: ``normalize(normalize(x)) == normalize(x)``.
    """
    return render_text(clean(data, detect_lang=False))


def body_text(data: str | bytes) -> str:
    """The bodies of all records joined (no titles): what the eval-dev gold holds."""
    return "\n\n".join(a.text for a in clean(data, input_format="text"))


def body_text_html(data: str | bytes) -> str:
    """``body_text`` for an HTML page (trafilatura extraction, then rules)."""
    return "\n\n".join(a.text for a in clean(data, input_format="html"))
