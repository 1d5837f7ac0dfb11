"""The splitter on merged files built from real article texts (see segment_layouts.py).

Thresholds are the figures measured when the splitter landed (python
tests/segment_layouts.py), rounded down: a drop below them is a regression. The issue's
targets (F1 >= 0.9 per layout, 0.97 overall, no single article ever split) are not all
reached yet; see the report of issue 3.
"""

import pytest
from conftest import SEEDS
from segment_layouts import EVAL_PAGES, LAYOUTS, load_sources, score_layouts, singles

import cleaner

pytestmark = pytest.mark.skipif(not EVAL_PAGES.is_dir(), reason="../shared/eval-dev is absent")

MIN_F1 = {"newsroll": 0.85, "separator": 0.95, "liveblog": 0.98, "plain": 0.6, "overall": 0.87}
MAX_SINGLES_SPLIT = {"newsroll": 4, "separator": 2, "liveblog": 0, "plain": 2}


@pytest.fixture(scope="module")
def sources():
    return load_sources()


@pytest.fixture(scope="module")
def scores(sources):
    return score_layouts(sources)


@pytest.mark.parametrize("layout", [*LAYOUTS, "overall"])
def test_boundary_f1(scores, layout):
    assert scores[layout].f1 >= MIN_F1[layout]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_single_articles_stay_single(sources, layout):
    split = [
        m for m in singles(layout, sources) if len(cleaner.clean(m.text, detect_lang=False)) > 1
    ]
    assert len(split) <= MAX_SINGLES_SPLIT[layout]


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_single_article_seeds_are_never_split(seed):
    articles = cleaner.clean(seed.read_bytes(), detect_lang=False)
    assert len(articles) == (12 if seed.stem.startswith("003_") else 1)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_normalize_idempotent_on_merged_files(sources, layout):
    from segment_layouts import generate

    for merged in generate(layout, sources, count=8):
        once = cleaner.normalize(merged.text)
        assert cleaner.normalize(once) == once


def test_subheadings_never_start_an_article():
    text = (
        "Iran Fires Missiles At US Bases\n\nIran fired more than a dozen ballistic missiles "
        "at two bases housing US troops in Iraq on Wednesday, officials said.\n\n"
        "– Proxy battleground –\n\nIraq has become a proxy battleground between the United "
        "States and Iran, which has also battled the Islamic State group.\n\n"
        "‘Urgent de-escalation’\n\nBritain called on Iran to end its attacks and urged "
        "all sides to pursue urgent de-escalation.\n"
    )
    assert len(cleaner.clean(text, detect_lang=False)) == 1
