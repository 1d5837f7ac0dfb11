"""Stage 0 (HTML input only): extract the story text from a page with trafilatura.

The extracted text then goes through the same repair and rules as scraped text.
"""

from __future__ import annotations

import regex

__all__ = ["EXTRACT_OPTIONS", "html_to_text", "looks_like_html"]

_HTML_START = regex.compile(
    r"(?is)^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html\b)"
)
_TAG = regex.compile(r"(?i)</?(?:div|p|span|a|body|head|script|meta|li|ul|section|article)\b")
_SNIFF_CHARS = 4096
# trafilatura.extract's options (the benchmark's baseline uses the same ones).
EXTRACT_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "favor_recall": True,  # our rules then remove the chrome recall lets in
}
_MIN_TAGS = 8


def looks_like_html(text: str) -> bool:
    """A document that starts like HTML, or whose start is dense with HTML tags."""
    head = text[:_SNIFF_CHARS]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= _MIN_TAGS


def html_to_text(html: str) -> str:
    """The main text of an HTML page, one block per line ('' when nothing is found)."""
    import trafilatura  # imported lazily: it is heavy and text mode does not need it

    text = trafilatura.extract(html, **EXTRACT_OPTIONS)
    return text or ""
