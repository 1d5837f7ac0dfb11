"""The fixed point, found with less work: the same text as before, on any input.

- settle_articles skips settle's first pass when the input was already clean: it must
  give what ``settle(render_text(articles))`` gives, and clean a clean text only once
  (check and fix over clean files).
- Reuse carries each line's rule matches and classifier shape from one pass to the next:
  normalize must give what passes without it give."""

import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from test_fast_path import SCRAPED_PAGES
from test_properties import DOC

import cleaner
from cleaner import pipeline
from cleaner.html import looks_like_html
from cleaner.render import render_text
from cleaner.rules import RuleSet

SEED_TEXTS = [p.read_bytes().decode("utf-8", "replace") for p in sorted(SEEDS.glob("*.txt"))]
PAGE_TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in SCRAPED_PAGES]
TEXTS = SEED_TEXTS + PAGE_TEXTS


def _both_ways(text: str) -> tuple[str, str]:
    articles = pipeline.clean(text, None, "text", detect_lang=False)
    full = pipeline.settle(render_text(articles))
    return pipeline.settle_articles(text, articles), full


@pytest.mark.parametrize("index", range(len(TEXTS)))
def test_same_as_settle_on_raw_and_clean_text(index):
    raw = TEXTS[index]
    shortcut, full = _both_ways(raw)
    assert shortcut == full
    # the clean text is its own fixed point: the shortcut case
    shortcut, full = _both_ways(full)
    assert shortcut == full


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_same_as_settle_on_generated_text(text):
    shortcut, full = _both_ways(text)
    assert shortcut == full
    assert _both_ways(full) == (full, full)


def _count_cleans(monkeypatch) -> list[int]:
    calls = [0]
    original = pipeline.clean

    def counting(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "clean", counting)
    return calls


def test_clean_text_is_cleaned_once(monkeypatch):
    once = cleaner.normalize(SEED_TEXTS[0])
    calls = _count_cleans(monkeypatch)
    assert cleaner.normalize(once) == once
    assert calls[0] == 1


def test_text_with_chrome_is_still_settled(monkeypatch):
    calls = _count_cleans(monkeypatch)
    once = cleaner.normalize(SEED_TEXTS[0])
    assert once != SEED_TEXTS[0]
    assert calls[0] >= 2  # the first pass, then at least one pass over its output


def test_html_input_is_settled_in_full(monkeypatch):
    page = "<!doctype html><html><body><article><p>" + "A sentence of the story. " * 20
    page += "</p></article></body></html>"
    calls = _count_cleans(monkeypatch)
    cleaner.normalize(page)
    assert calls[0] >= 2  # trafilatura's text is never the page itself


def _normalize_without_reuse(text: str) -> str:
    """normalize() as it was before Reuse and settle_articles: every pass from scratch."""
    articles = pipeline.clean(text, None, "auto", detect_lang=False)
    text = render_text(articles)
    for _ in range(pipeline.FIXED_POINT_PASSES - 1):
        again = render_text(pipeline.clean(text, None, "text", detect_lang=False))
        if again == text:
            break
        text = again
    return text


@pytest.mark.parametrize("index", range(len(TEXTS)))
def test_normalize_same_as_passes_from_scratch(index):
    assert cleaner.normalize(TEXTS[index]) == _normalize_without_reuse(TEXTS[index])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_normalize_same_as_passes_from_scratch_on_generated_text(text):
    assert not looks_like_html(text)
    assert cleaner.normalize(text) == _normalize_without_reuse(text)


def test_second_pass_matches_no_line_again(monkeypatch):
    """After a pass over a page, the pass over its rendered text finds every line's
    matches in the Reuse: the rules run on no line."""
    matched: list[str] = []
    original = RuleSet.match_lines

    def counting(self, texts, fast=True):
        texts = list(texts)
        matched.extend(texts)
        return original(self, texts, fast)

    monkeypatch.setattr(RuleSet, "match_lines", counting)
    reuse = pipeline.Reuse()
    articles = pipeline.clean(PAGE_TEXTS[0] if PAGE_TEXTS else SEED_TEXTS[1], reuse=reuse)
    assert matched
    matched.clear()
    pipeline.clean(render_text(articles), None, "text", reuse=reuse)
    assert matched == []
