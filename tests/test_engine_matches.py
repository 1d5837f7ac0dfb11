"""An article keeps the rule matches apply_rules saw, so peel_last_lines (run after the
classifier) reads them instead of matching the last lines again."""

from cleaner.engine import apply_rules, peel_last_lines
from cleaner.lines import split_lines

TEXT = """Storm closes the harbour

The storm closed the harbour on Monday and kept every boat in port until the evening.

Officials said the ferries would sail again once the wind dropped below gale force.

AFP

Click here to read our latest offers and deals."""


def _article(rules):
    lines = split_lines(TEXT, TEXT)
    matches = rules.match_lines(line.text for line in lines)
    return apply_rules(lines, matches, rules)


def _drop_footer_as_the_classifier_would(article):
    footer = max(i for i, line in enumerate(article.lines) if line.kept)
    article.lines[footer].rule = "classifier"


def _outcome(article):
    return [(line.text, line.rule) for line in article.lines], article.meta


def test_peel_reads_the_kept_matches_and_matches_nothing_again(rules, monkeypatch):
    article = _article(rules)
    assert article.matches is not None and len(article.matches) == len(article.lines)
    _drop_footer_as_the_classifier_would(article)

    def no_new_matching(self, text):
        raise AssertionError(f"matched again: {text!r}")

    monkeypatch.setattr(type(rules), "matching_fast", no_new_matching)
    assert peel_last_lines(article, rules)
    assert article.meta.get("credit") == "AFP"


def test_peel_gives_the_same_answer_with_and_without_kept_matches(rules):
    kept, fresh = _article(rules), _article(rules)
    fresh.matches = None  # an article built without them: peel matches the lines itself
    for article in (kept, fresh):
        _drop_footer_as_the_classifier_would(article)
        peel_last_lines(article, rules)
    assert _outcome(kept) == _outcome(fresh)
    assert any(rule == "metadata.signoff" for _, rule in _outcome(kept)[0])
