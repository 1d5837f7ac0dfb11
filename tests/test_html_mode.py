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
