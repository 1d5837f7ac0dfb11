"""Stage 0 (HTML input only): extract the story text from a page with trafilatura.

The extracted text then goes through the same repair and rules as scraped text.
"""

from __future__ import annotations

from functools import lru_cache

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
# The same options under the names of trafilatura's Extractor (its settings object).
_EXTRACTOR_NAMES = {
    "include_comments": "comments",
    "include_tables": "tables",
    "include_images": "images",
    "include_links": "links",
    "deduplicate": "dedup",
    "favor_recall": "recall",
}
_MIN_TAGS = 8


def looks_like_html(text: str) -> bool:
    """A document that starts like HTML, or whose start is dense with HTML tags."""
    head = text[:_SNIFF_CHARS]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= _MIN_TAGS


def html_to_text(html: str) -> str:
    """The main text of an HTML page, one block per line ('' when nothing is found)."""
    import trafilatura  # imported lazily: it is heavy and text mode does not need it

    text = trafilatura.extract(html, options=extractor())
    return text or ""


@lru_cache(maxsize=1)
def extractor():
    """EXTRACT_OPTIONS as one trafilatura Extractor, built once per process.

    ``trafilatura.extract(html, **EXTRACT_OPTIONS)`` builds this object again on every
    call (about 0.08 ms, over a million pages some 80 s); trafilatura copies it before it
    changes anything, so one can serve every page and thread. Same text either way
    (tests/test_html_mode.py)."""
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="txt", **{_EXTRACTOR_NAMES[k]: v for k, v in EXTRACT_OPTIONS.items()}
    )
