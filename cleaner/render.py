"""Stage 7: render articles as clean text or as JSON-ready records."""

from __future__ import annotations

from collections.abc import Iterable

from .engine import Article

__all__ = ["article_text", "render_text", "to_record"]

_META_ORDER = ("byline", "published", "credit")


def article_text(article: Article) -> str:
    """Title line, blank line, body paragraphs separated by blank lines."""
    parts = ([article.title] if article.title else []) + article.body
    return "\n\n".join(parts)


def render_text(articles: Iterable[Article]) -> str:
    """The whole clean text: articles separated by a blank line, newline-terminated."""
    text = "\n\n".join(t for t in (article_text(a) for a in articles) if t)
    return text + "\n" if text else ""


def to_record(
    article: Article, index: int, source: str | None = None, explain: bool = False
) -> dict[str, object]:
    """One JSON Lines record: title, text, metadata, lang, source, index [, removed]."""
    record: dict[str, object] = {"title": article.title, "text": article.text}
    for key in _META_ORDER:
        if key in article.meta:
            record[key] = article.meta[key]
    if article.lang:
        record["lang"] = article.lang
    if source is not None:
        record["source"] = source
    record["index"] = index
    if explain:
        record["removed"] = article.removed()
        if article.notes:
            record["split"] = article.notes
    return record
