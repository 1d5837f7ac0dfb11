"""Merged files built from real article texts, with known boundaries, and their scores.

The articles are the golden records of the seeds (title and body) and the gold texts of
../shared/eval-dev (body; the headline is the page's og:title or <title>, the site name
stripped). Each layout lays several of them out the way crawlers save news rolls:

- ``newsroll``: headline, photo caption with an agency credit, NBSP spacer lines, body
  with in-article subheadings (sentence case, ``– dashed –``, ``‘quoted’``), and an
  optional lone ``AFP`` sign-off (the seed-003 layout);
- ``separator``: articles between separator lines, byline and date under the headline;
- ``liveblog``: entries opened by a timestamp line, some without a headline;
- ``plain``: headline, blank line, body, no other marker.

A predicted boundary is right when the new article starts between the end of the
previous article and the new article's headline (or first line); trailing separator
lines of the previous article (``___`` before an agency note) count as the gap, since
the cleaner removes them either way. Run ``python tests/segment_layouts.py`` to print
precision, recall, F1 and the share of files split into exactly the right number of
articles, per layout and overall; ``--misses [layout ...]`` prints every missed boundary
of the held-out files instead, with its neighbours, the headline gate that rejects it
(or ``passes``) and each signal's value and share of the score.

The splitter's headline weights are fitted (scripts/fit_segment_weights.py) on files
built from one half of the articles (``fold(sources, FIT)``); the suite is scored on
files built from the other half (``fold(sources, HELD_OUT)``), so no text used to fit
is used to score; the threshold is chosen by cross-validation inside the FIT half.
Single-article files are checked for every article. ``real_pages`` gives the real
scraped files of a set of articles (single-article seeds, eval-dev pages): fitting uses
those of the FIT half as files that must stay one article.
"""

from __future__ import annotations

import html
import json
import random
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import cleaner
from cleaner.decode import decode_bytes
from cleaner.engine import is_prose
from cleaner.metadata import is_title_like
from cleaner.pipeline import default_rules

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EVAL_PAGES = SHARED / "eval-dev" / "pages"
LAYOUTS = ("newsroll", "separator", "liveblog", "plain")
FILES_PER_LAYOUT = 40
FIT, HELD_OUT = 0, 1
SPACER = "\u00a0"

CREDITS = ["/ AFP", "AHMAD AL-RUBAYE / AFP", "REUTERS/Thaier al-Sudani", "Fabrice Coffrini—AFP"]
SEPARATORS = ["---", "* * *", "***", "###"]
BYLINES = ["By Jane Doe", "by Staff Report", "By Ahmed Rashid and Maria Garcia", "BY JOHN ROE"]
DATES = ["Published: January 8, 2020", "Updated 8 January 2020 14:32 GMT", "Posted 2019-11-20"]
TIMES = ["Updated 14:32 GMT", "10:05 a.m. ET", "2 hours ago", "09:47", "Posted at 9:15 pm"]


@dataclass
class Source:
    title: str
    paragraphs: list[str]


@dataclass
class Merged:
    layout: str
    text: str
    zones: list[tuple[int, int]]  # per boundary: first and last line number it may start at
    articles: int


def _page_title(page: str) -> str | None:
    found = re.search(
        r'<meta[^>]+property=["\']og:title["\'][^>]*content=["\']([^"\']+)', page
    ) or re.search(r"<title[^>]*>(.*?)</title>", page, re.S)
    if not found:
        return None
    title = " ".join(html.unescape(found.group(1)).split())
    # "Headline - Site", "Headline | Site": keep the headline.
    parts = re.split(r"\s+[|–-]\s+", title)
    return parts[0] if len(parts) > 1 and parts[0].count(" ") >= 2 else title


def _usable(source: Source) -> bool:
    """An article a splitter can be asked to find: a headline and an opening paragraph."""
    return (
        is_title_like(source.title)
        and len(source.paragraphs) >= 2
        and is_prose(source.paragraphs[0])
    )


def load_sources() -> list[Source]:
    """The real articles, in a fixed order: seed golden records, then eval-dev pages."""
    sources: dict[str, Source] = {}
    for golden in sorted((ROOT / "golden").glob("*.jsonl")):
        for line in golden.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            sources.setdefault(
                record["title"], Source(record["title"], record["text"].split("\n\n"))
            )
    if EVAL_PAGES.is_dir():
        for gold in sorted(EVAL_PAGES.glob("*.gold.txt")):
            page = gold.with_name(gold.name.replace(".gold.txt", ".html"))
            title = _page_title(page.read_text(encoding="utf-8", errors="replace"))
            body = [ln.strip() for ln in gold.read_text(encoding="utf-8").splitlines()]
            if title:
                sources.setdefault(title, Source(title, [p for p in body if p.strip()]))
    return [s for s in sources.values() if _usable(s)]


def real_pages(sources: list[Source]) -> list[Merged]:
    """The real scraped files that hold one of these articles alone, with their page
    chrome (teasers, footers, deals lists): the single-article seeds and the eval-dev
    scraped pages. Each must stay one article; fitting uses those of its own half only."""
    titles = {source.title for source in sources}
    found: list[tuple[str, Path]] = []
    for golden in sorted((ROOT / "golden").glob("*.jsonl")):
        records = golden.read_text(encoding="utf-8").splitlines()
        seed = ROOT / "seeds" / golden.name.replace(".jsonl", ".txt")
        if len(records) == 1 and seed.is_file():
            found.append((json.loads(records[0])["title"], seed))
    if EVAL_PAGES.is_dir():
        for scraped in sorted(EVAL_PAGES.glob("*.scraped.txt")):
            page = scraped.with_name(scraped.name.replace(".scraped.txt", ".html"))
            title = _page_title(page.read_text(encoding="utf-8", errors="replace"))
            found.append((title, scraped))
    return [
        Merged("real", decode_bytes(path.read_bytes()), [], 1)
        for title, path in found
        if title in titles
    ]


def fold(sources: list[Source], which: int) -> list[Source]:
    """One half of the articles, by a stable hash of the headline (FIT or HELD_OUT)."""
    return [s for s in sources if zlib.crc32(s.title.encode("utf-8")) % 2 == which]


def _is_separator(text: str) -> bool:
    return any(rule.id == "segments.separator" for rule in default_rules().matching(text))


class _Writer:
    """Collects lines and knows the line number the next one will get."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    @property
    def next_number(self) -> int:
        return len(self.lines) + 1

    def trailing_separators_start(self) -> int:
        """The line number where the run of separator lines ending the text begins."""
        number = self.next_number
        while number > 2 and _is_separator(self.lines[number - 2]):
            number -= 2  # each paragraph is a blank line and a text line
        return number

    def para(self, text: str) -> int:
        if self.lines:
            self.lines.append("")
        self.lines.append(text)
        return len(self.lines)


_FUNCTION_WORDS = frozenset(
    "that this with from have has had were was will would could should their there they "
    "them than then which while when where what about after before into over also been "
    "being more most some such only other said says just very".split()
)


def _subheading(rng: random.Random, section: list[str]) -> str:
    """A subheading for the paragraphs that follow it, shaped like real ones ("Missiles
    blast bases", "Touch Bar and Escape Key", "– Proxy battleground –"): a few key words
    of the section, taken from anywhere in it (not necessarily its first sentence), in
    sentence or title case, sometimes wrapped in dashes or quotes."""
    words = [
        w
        for w in re.findall(r"[^\W\d_][\w’'-]*", " ".join(section[:2]))
        if len(w) >= 4 and w.casefold() not in _FUNCTION_WORDS
    ]
    if len(words) < 2:
        return "More"
    size = rng.randint(2, min(4, len(words)))
    picked = sorted(rng.sample(range(len(words)), size))
    if rng.random() < 0.5:  # a run of key words from one place, or words from all over
        first = rng.randrange(len(words) - size + 1)
        picked = list(range(first, first + size))
    phrase = [words[k] for k in picked]
    if rng.random() < 0.3:
        phrase = [w[0].upper() + w[1:] for w in phrase]
        phrase.insert(rng.randrange(1, len(phrase)), "and")  # "Range and Charging"
    text = " ".join(phrase)
    text = text[0].upper() + text[1:]
    style = rng.choice(["dash", "quote", "plain", "plain"])
    if style == "dash":
        return f"– {text} –"
    return f"‘{text}’" if style == "quote" else text


def _caption(source: Source, rng: random.Random) -> str:
    words = source.paragraphs[-1].split()[:14]
    return " ".join(words).rstrip(",;:") + ". " + rng.choice(CREDITS)


def _newsroll(out: _Writer, source: Source, rng: random.Random) -> int:
    head = out.para(source.title)
    if rng.random() < 0.7:
        out.para(_caption(source, rng))
    for _ in range(rng.randint(1, 2)):
        out.para(SPACER)
    for index, paragraph in enumerate(source.paragraphs):
        if index >= 2 and index % 3 == 2 and is_prose(paragraph) and rng.random() < 0.6:
            out.para(_subheading(rng, source.paragraphs[index:]))
        out.para(paragraph)
    if rng.random() < 0.5:
        out.para("AFP")
    return head


def _separator(out: _Writer, source: Source, rng: random.Random, first: bool) -> int:
    if not first:
        out.para(rng.choice(SEPARATORS))
    head = out.para(source.title)
    if rng.random() < 0.6:
        out.para(rng.choice(BYLINES))
    if rng.random() < 0.6:
        out.para(rng.choice(DATES))
    for paragraph in source.paragraphs:
        out.para(paragraph)
    return head


def _liveblog(out: _Writer, source: Source, rng: random.Random) -> int:
    start = out.para(rng.choice(TIMES))
    if rng.random() < 0.6:
        out.para(source.title)
    for paragraph in source.paragraphs[: rng.randint(1, 3)]:
        out.para(paragraph)
    return start


def _plain(out: _Writer, source: Source) -> int:
    head = out.para(source.title)
    for paragraph in source.paragraphs:
        out.para(paragraph)
    return head


def build(layout: str, sources: list[Source], rng: random.Random) -> Merged:
    """One merged file of the given layout from the given articles."""
    out = _Writer()
    zones: list[tuple[int, int]] = []
    trailing: dict[int, int] = {}  # where the trailing separator lines of an article begin
    for index, source in enumerate(sources):
        lo = trailing.get(index, out.next_number)
        if layout == "newsroll":
            hi = _newsroll(out, source, rng)
        elif layout == "separator":
            hi = _separator(out, source, rng, first=index == 0)
        elif layout == "liveblog":
            hi = _liveblog(out, source, rng)
        else:
            hi = _plain(out, source)
        if index:
            zones.append((lo, hi))
        if index + 1 < len(sources):
            trailing[index + 1] = out.trailing_separators_start()
    return Merged(layout, "\n".join(out.lines) + "\n", zones, len(sources))


def generate(
    layout: str, sources: list[Source], count: int = FILES_PER_LAYOUT, salt: str = ""
) -> list[Merged]:
    """``count`` merged files of 2 to 6 articles each, the same on every run."""
    rng = random.Random(f"{layout}-{len(sources)}{salt}")
    return [build(layout, rng.sample(sources, rng.randint(2, 6)), rng) for _ in range(count)]


def singles(layout: str, sources: list[Source]) -> list[Merged]:
    """Every source alone, laid out the same way: each must stay one article."""
    rng = random.Random(f"single-{layout}")
    return [build(layout, [source], rng) for source in sources]


def predicted_starts(text: str) -> list[int]:
    articles = cleaner.clean(text, detect_lang=False)
    return [article.lines[0].number for article in articles[1:]]


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0
    files: int = 0
    exact_count: int = 0

    def add(self, merged: Merged) -> None:
        starts = predicted_starts(merged.text)
        open_zones = list(merged.zones)
        for start in starts:
            hit = next((z for z in open_zones if z[0] <= start <= z[1]), None)
            if hit:
                open_zones.remove(hit)
                self.true_positives += 1
        self.predicted += len(starts)
        self.expected += len(merged.zones)
        self.files += 1
        self.exact_count += len(starts) + 1 == merged.articles

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def count_accuracy(self) -> float:
        return self.exact_count / self.files if self.files else 1.0


def score_layouts(sources: list[Source]) -> dict[str, Score]:
    scores = {layout: Score() for layout in LAYOUTS}
    overall = Score()
    for layout in LAYOUTS:
        for merged in generate(layout, sources):
            scores[layout].add(merged)
            overall.add(merged)
    scores["overall"] = overall
    return scores


def _gate(doc, i: int, start: int) -> str:
    """Which headline gate rejects line i (or "passes")."""
    from cleaner.segment import _HEADLINE_END, _WRAPPED, HEADLINE_MAX_WORDS, _opening

    text = doc.lines[i].text
    checks = [
        ("matched by a rule", not doc.content[i]),
        ("prose", is_prose(text)),
        ("not title-like", not is_title_like(text)),
        ("too many words", text.count(" ") >= HEADLINE_MAX_WORDS),
        ("wrapped", bool(_WRAPPED.match(text))),
        ("sentence end", bool(_HEADLINE_END.search(text))),
        ("no story before", not doc.has_story(start, i)),
        ("no opening after", _opening(doc, i)[0] is None),
    ]
    return next((name for name, failed in checks if failed), "passes")


def print_misses(merged: Merged) -> None:
    """Every boundary of a file the splitter missed: the headline line, its neighbours,
    the gate that rejects it, and each signal's value and share of the score."""
    from cleaner.decode import repair_text
    from cleaner.lines import split_lines
    from cleaner.segment import _Doc, _one_more_item, headline_features, headline_score

    starts = predicted_starts(merged.text)
    rules = default_rules()
    lines = split_lines(repair_text(merged.text), merged.text)
    doc = _Doc(lines, [rules.matching(line.text) for line in lines])
    index = {line.number: k for k, line in enumerate(lines)}
    for lo, hi in merged.zones:
        if any(lo <= s <= hi for s in starts):
            continue
        i = index[hi]
        start = max([0] + [index[s] for s in starts if index[s] < i])
        prev, nxt = doc.prev_content(i), doc.next_content(i)
        print(f"--- missed {doc.lines[i].text!r}  gate: {_gate(doc, i, start)}")
        print(f"    prev: {doc.lines[prev].text[-100:]!r}" if prev is not None else "    prev: -")
        print(f"    next: {doc.lines[nxt].text[:100]!r}" if nxt is not None else "    next: -")
        features = headline_features(doc, i, start)
        if features is None:
            continue
        score, shares = headline_score(features)
        weights = dict(shares)
        one_more = " (one more item)" if _one_more_item(features) else ""
        print(f"    score {score:.2f}{one_more}")
        for name, value in sorted(features.items(), key=lambda kv: -abs(weights.get(kv[0], 0))):
            if value:
                print(f"      {name:<42} {value:5.2f} {weights.get(name, 0.0):+6.2f}")


def main() -> None:
    import sys

    sources = load_sources()
    held_out = fold(sources, HELD_OUT)
    if "--misses" in sys.argv[1:]:
        for layout in [a for a in LAYOUTS if a in sys.argv[1:]] or LAYOUTS:
            for merged in generate(layout, held_out):
                print_misses(merged)
        return
    print(
        f"{len(sources)} source articles, {len(held_out)} held out from fitting;"
        f" {FILES_PER_LAYOUT} merged files per layout built from the held-out ones"
    )
    print(f"{'layout':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'exact count':>11}")
    for name, score in score_layouts(held_out).items():
        print(
            f"{name:<10} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f}"
            f" {score.count_accuracy:>11.3f}"
        )
    for layout in LAYOUTS:
        split = [m for m in singles(layout, sources) if predicted_starts(m.text)]
        print(f"single articles split in layout {layout}: {len(split)} of {len(sources)}")
        for merged in split:
            print("   ", merged.text.splitlines()[0][:80])


if __name__ == "__main__":
    main()
