"""HTML input goes through trafilatura: a fresh install must be able to import it."""

from cleaner.pipeline import clean

PAGE = """<!DOCTYPE html><html><head><title>Council approves budget</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>Council approves budget</h1>
<p>The city council approved the new budget on Tuesday after a long debate about
funding for schools, roads and the public library in the coming year.</p>
<p>Members said the plan keeps taxes flat while adding two new bus routes that
residents had asked for at several public meetings this spring.</p>
</article><footer>Copyright 2024</footer></body></html>"""


def test_html_page_is_extracted():
    articles = clean(PAGE, input_format="html", detect_lang=False)
    text = "\n".join(a.text for a in articles)
    assert "approved the new budget" in text
    assert "two new bus routes" in text


def _settings(options) -> dict:
    # date_params holds the day it was built on (for date metadata, which we never ask)
    return {name: getattr(options, name) for name in options.__slots__ if name != "date_params"}


def test_shared_extractor_has_the_options_extract_builds_from_keywords(monkeypatch):
    """html_to_text passes one prebuilt Extractor; it must be exactly what
    ``trafilatura.extract(**EXTRACT_OPTIONS)`` builds per call (the benchmark's
    baseline), so the extracted text is the same."""
    import trafilatura.core

    from cleaner.html import EXTRACT_OPTIONS, extractor

    built = []
    real = trafilatura.core.bare_extraction

    def spy(*args, **kwargs):
        built.append(kwargs["options"])
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura.core, "bare_extraction", spy)
    from_keywords = trafilatura.extract(PAGE, **EXTRACT_OPTIONS)
    shared = trafilatura.extract(PAGE, options=extractor())
    assert from_keywords == shared and "two new bus routes" in shared
    assert _settings(built[0]) == _settings(built[1])
    assert built[1] is extractor()  # and the very same object serves every page
