"""The splitter's faster forms give exactly what the plain ones gave.

``headline_features`` now measures its lexical signals in steps (``_lexical_steps``),
and the splitter scores candidates through ``_Scorer``, which stops measuring once a
score cannot reach the threshold asked for. These tests compare both, signal by signal
and in order, with the plain measure (the form before the change, kept here) on every
candidate line of the seeds, the eval-dev scraped pages and merged files of the layout
suite, and check the score bound on random weights and values.

The per-line work is also done once per document now: the headline gates that do not
depend on the article's start (``_Doc.headline_shaped``, and the lines the splitter
visits at all), story lines, headings and subheadings from per-document lists, word
stems and topic words casefolded per line, and a few per-line answers kept. Each is
compared here with the form it replaced.
"""

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st
from segment_layouts import EVAL_PAGES, HELD_OUT, LAYOUTS, fold, generate, load_sources

from cleaner.decode import decode_bytes
from cleaner.engine import SENTENCE_END, is_prose
from cleaner.lines import split_lines
from cleaner.metadata import is_title_like
from cleaner.pipeline import _line_ends_to_lf, _match, _repair, default_rules
from cleaner.segment import (
    _CONTACT_OR_NAV,
    _HEADLINE_END,
    _TOPIC_WORD,
    _WORD,
    _WRAPPED,
    HEADLINE_MAX_WORDS,
    LEXICAL_SIGNALS,
    LIST_WINDOW,
    TOPIC_WINDOW,
    _base_features,
    _best_score,
    _casefolded,
    _cosine,
    _Doc,
    _echo_features,
    _end_shape,
    _is_subheading,
    _list_ahead,
    _one_more_item,
    _opening,
    _possible_starts,
    _role,
    _Scorer,
    _second_pass_floor,
    _separator_reasons,
    _stems,
    _story_headings,
    _story_headline_features,
    _timestamp_reasons,
    _title_case_features,
    _weights,
    headline_features,
    headline_score,
)


def _plain_lexical(doc, i, start, before, after):
    """The lexical signals as headline_features measured them before the steps."""
    features = {}
    if before and after:
        after_words = doc.words([i, *after])
        similarity = _cosine(doc.story_words(before), after_words)
        local = _cosine(doc.words(before[-TOPIC_WINDOW:]), after_words)
        gaps = doc.story_gaps(before)
        features = {
            "topic shift": 1.0 - similarity,
            "local topic shift": 1.0 - local,
            "cohesion dip": max(0.0, sum(gaps) / len(gaps) - local) if gaps else 0.0,
        }
        features.update(_echo_features(doc, i, before, after))
    features.update(_story_headline_features(doc, i, start, after))
    return features


def _plain_features(doc, i, start):
    base = _base_features(doc, i, start)
    if base is None:
        return None
    features, before, after = base
    features.update(_plain_lexical(doc, i, start, before, after))
    return features


def _texts():
    texts = [decode_bytes(p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    if EVAL_PAGES.is_dir():
        texts += [decode_bytes(p.read_bytes()) for p in sorted(EVAL_PAGES.glob("*.scraped.txt"))]
        held_out = fold(load_sources(), HELD_OUT)
        texts += [m.text for layout in LAYOUTS for m in generate(layout, held_out, count=6)]
    return texts


def _docs():
    rules = default_rules()
    for text in _texts():
        raw = _line_ends_to_lf(text)
        lines = split_lines(_repair(raw, True), raw)
        yield _Doc(lines, _match(lines, rules, True))


def _starts(doc):
    """A few article starts per line: the file's start, and the story lines' before it
    (as when boundaries were found there)."""
    stories = [j for j in range(len(doc.lines)) if doc.story[j]]
    return [0] + stories[:: max(1, len(stories) // 3)]


@pytest.fixture(scope="module")
def docs():
    return list(_docs())


def test_stepped_features_equal_the_plain_measure(docs):
    """Same signals, same values, same order (the score sums them in that order)."""
    compared = 0
    for doc in docs:
        for start in _starts(doc):
            for i in range(start + 1, len(doc.lines)):
                plain = _plain_features(doc, i, start)
                stepped = headline_features(doc, i, start)
                assert (plain is None) == (stepped is None)
                if plain is not None:
                    assert list(stepped.items()) == list(plain.items())
                    compared += 1
    assert compared > 100


def test_scorer_answers_as_the_full_measure(docs):
    """Under any floor, the scorer gives the full measure's features, score and shares
    whenever that score reaches the floor, and never an answer the full measure would
    not give; including floors equal to a candidate's own score."""
    model = _weights()
    floors = [model["threshold"], _second_pass_floor(model)]
    checked = 0
    for doc in docs:
        for start in _starts(doc):
            for i in range(start + 1, len(doc.lines)):
                features = _plain_features(doc, i, start)
                passes = features is not None and not _one_more_item(features)
                score, shares = headline_score(features, model) if passes else (None, None)
                for floor in floors + ([score] if passes else []):
                    answer = _Scorer(doc, model).scored(i, start, floor)
                    if passes and score >= floor:
                        assert answer is not None
                    if answer is not None:
                        assert passes
                        assert list(answer[0].items()) == list(features.items())
                        assert answer[1:] == (score, shares)
                        checked += 1
    assert checked > 50


def test_scorer_keeps_answers_per_floor(docs):
    """An answer cut short under a high floor is measured again under a lower one."""
    model = _weights()
    for doc in docs:
        scorer = _Scorer(doc, model)
        for i in range(1, len(doc.lines)):
            features = _plain_features(doc, i, 0)
            if features is None or _one_more_item(features):
                continue
            score = headline_score(features, model)[0]
            assert scorer.scored(i, 0, score + 100.0) is None
            assert scorer.scored(i, 0, score)[1] == score


_NAMES = sorted(_weights()["weights"])


@settings(max_examples=300, deadline=None)
@given(
    weights=st.lists(st.floats(-20, 20), min_size=len(_NAMES), max_size=len(_NAMES)),
    bias=st.floats(-40, 40),
    values=st.lists(st.floats(0, 1), min_size=len(_NAMES), max_size=len(_NAMES)),
    pending=st.sets(st.sampled_from(LEXICAL_SIGNALS)),
    caps=st.lists(st.floats(0, 1), min_size=len(_NAMES), max_size=len(_NAMES)),
)
def test_best_score_bounds_every_completion(weights, bias, values, pending, caps):
    """Whatever values up to their caps the pending signals take, the score is at most
    ``_best_score`` plus the scorer's slack."""
    model = {"bias": bias, "weights": dict(zip(_NAMES, weights, strict=True)), "threshold": 0}
    full = dict(zip(_NAMES, values, strict=True))
    cap = dict(zip(_NAMES, caps, strict=True))
    full.update({name: min(full[name], cap[name]) for name in pending})
    known = {name: value for name, value in full.items() if name not in pending}
    best = _best_score(known, {name: cap[name] for name in pending}, model)
    score = headline_score(full, model)[0]
    slack = _Scorer(_Doc([], []), model).slack
    assert score <= best + slack


def _plain_gates(doc, i):
    """The start-independent headline gates as _base_features asked them per call
    (a story line before it, an opening paragraph after it not shaped like a headline)."""
    text = doc.lines[i].text
    return not (
        not doc.content[i]
        or is_prose(text)
        or not is_title_like(text)
        or text.count(" ") >= HEADLINE_MAX_WORDS
        or _WRAPPED.match(text)
        or _HEADLINE_END.search(text)
        or _CONTACT_OR_NAV.search(text)
        or not doc.has_story(0, i)
        or doc.prev_content(i) is None
        or _opening(doc, i)[0] is None
        or is_title_like(doc.lines[_opening(doc, i)[0]].text)
    )


def test_per_line_answers_equal_the_plain_form(docs):
    """The per-line lists of _Doc, computed once per document, answer as the plain
    per-call forms did."""
    for doc in docs:
        texts = [line.text for line in doc.lines]
        assert doc.prose == [is_prose(text) for text in texts]
        assert doc.title_like == [is_title_like(text) for text in texts]
        assert doc.headline_shaped == [_plain_gates(doc, i) for i in range(len(texts))]


def test_roles_skip_only_unmatched_lines():
    """A line no rule matches has no role: _Doc does not ask _role about it."""
    assert _role(()) is None


def test_skipped_lines_start_no_article(docs):
    """A line the splitter does not ask about (not in ``_possible_starts``) has no
    separator, timestamp or headline evidence, wherever its article started."""
    for doc in docs:
        possible = set(_possible_starts(doc, None))
        for start in _starts(doc):
            for i in range(start + 1, len(doc.lines)):
                if i not in possible:
                    assert _separator_reasons(doc, i, start) is None
                    assert _timestamp_reasons(doc, i, start, len(doc.lines)) is None
                    assert _base_features(doc, i, start) is None


_WORDY = st.text(
    alphabet=st.sampled_from(list("aZßΣςİıﬁǅ'’- -.\u0301\u00a0\t9Ééŉΐ")) | st.characters(),
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(text=_WORDY)
def test_stems_and_topic_words_equal_the_plain_form(text):
    """Stems from the 4-letter word pattern and casefolding whole lines give what the
    per-word forms gave (words of 4+ letters, casefolded, then cut to 5 letters)."""
    assert _stems(text) == {w.casefold()[:5] for w in _WORD.findall(text) if len(w) >= 4}
    words = _TOPIC_WORD.findall(text)
    assert _casefolded(words) == [w.casefold() for w in words]


def test_stems_equal_the_plain_form_on_real_lines(docs):
    for doc in docs:
        for line in doc.lines:
            plain = {w.casefold()[:5] for w in _WORD.findall(line.text) if len(w) >= 4}
            assert _stems(line.text) == plain


def _plain_stories(doc, start, end, limit=None):
    found = []
    for j in range(start, end):
        if doc.story[j]:
            found.append(j)
            if len(found) == limit:
                break
    return found


def _plain_story_headings(doc, start, i):
    first = next((j for j in range(start, i) if doc.is_story(j)), i)
    return [
        j
        for j in range(first + 1, i)
        if doc.content[j]
        and not doc.prose[j]
        and doc.title_like[j]
        and not SENTENCE_END.search(doc.lines[j].text)
    ]


def test_story_lookups_equal_the_plain_scans(docs):
    """Story lines, the story's headings and subheadings found by bisecting per-document
    lists answer as the scans over the lines did."""
    for doc in docs:
        n = len(doc.lines)
        subheadings = [j > 0 and _is_subheading(doc, j) for j in range(n)]
        for start in [*_starts(doc), n // 2]:
            for end in range(start, n + 1, 3):
                assert doc.stories(start, end) == _plain_stories(doc, start, end)
                assert doc.stories(start, end, TOPIC_WINDOW) == _plain_stories(
                    doc, start, end, TOPIC_WINDOW
                )
                assert _story_headings(doc, start, end) == _plain_story_headings(doc, start, end)
                assert doc.has_subheading(start, end) == any(subheadings[start:end])


def test_kept_line_answers_equal_the_functions(docs):
    """The per-document memos answer as the functions they keep, and the list ahead\n    as when it listed every content line after."""
    for doc in docs:
        for i, line in enumerate(doc.lines):
            assert doc.opening(i) == _opening(doc, i)
            assert doc.title_case(i) == _title_case_features(line.text)["title-case"]
            assert doc.end_shape(i) == _end_shape(line.text)
            ahead = [j for j in range(i + 1, len(doc.lines)) if doc.content[j]][:LIST_WINDOW]
            plain = sum(not doc.prose[j] for j in ahead) / len(ahead) if ahead else 0.0
            assert _list_ahead(doc, i) == plain
