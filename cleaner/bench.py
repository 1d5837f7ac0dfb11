"""Throughput benchmark: ``python -m cleaner.bench [--mb 20] [--html-mb 16]``.

Builds a corpus in memory from the repo's seeds and the scraped pages of
``../shared/eval-dev`` (repeated until it reaches ``--mb`` megabytes; the eval-dev HTML
pages likewise to ``--html-mb``), then runs, one after the other in this one process:

- text mode, language id on (the fast path, what ``cleaner clean`` runs);
- text mode, language id off;
- text mode through the plain reference path, on a slice (it is slow);
- ``ftfy.fix_text`` alone on the same text, decoded (baseline);
- HTML mode (trafilatura, then the text stages) on the HTML pages;
- ``trafilatura.extract`` alone on the same pages, same options (baseline).

Each line gives MB/s of input, documents per second and the process's peak RSS at
the end of the run; the ratios against the baselines come last. The stages take turns
in ``--rounds`` rounds, so a machine that gets busier during the run slows every stage
alike and the ratios stay fair. In a round, a stage and its baseline run on the same
documents, so each round also gives a paired ratio: their median and range are printed
beside the ratio of the totals (the median shrugs off a round that another job slowed).
Everything is single-threaded: figures are per core. Corpus documents repeat by
reference, so the corpus itself costs little memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Corpus", "Result", "build_corpus", "main", "run"]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared"
PLAIN_SLICE = 0.1  # the plain path runs on this fraction of the text corpus


@dataclass
class Corpus:
    text: list[bytes]
    html: list[bytes]
    sources: list[str]  # what the corpus was built from, for the header

    @property
    def text_mb(self) -> float:
        return sum(map(len, self.text)) / 1e6

    @property
    def html_mb(self) -> float:
        return sum(map(len, self.html)) / 1e6


@dataclass
class Result:
    stage: str
    docs: int
    mb: float
    seconds: float
    peak_rss_mb: float
    round_seconds: list[float] = field(default_factory=list)  # time spent in each round

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.seconds if self.seconds else float("inf")

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds else float("inf")


def _repeat(docs: list[bytes], megabytes: float) -> list[bytes]:
    """The documents repeated in order until they total at least ``megabytes``."""
    if not docs or megabytes <= 0:
        return []
    size = sum(map(len, docs))
    rounds = max(1, -(-int(megabytes * 1e6) // size))  # ceiling division
    return docs * rounds


def build_corpus(shared: Path | None, megabytes: float, html_megabytes: float) -> Corpus:
    """Seeds + eval-dev scraped pages (text) and eval-dev HTML pages, repeated."""
    sources = []
    text = [p.read_bytes() for p in sorted((REPO / "seeds").glob("*.txt"))]
    if text:
        sources.append(f"{len(text)} seeds")
    html: list[bytes] = []
    pages = shared / "eval-dev" / "pages" if shared else None
    if pages and pages.is_dir():
        scraped = [p.read_bytes() for p in sorted(pages.glob("*.scraped.txt"))]
        html = [p.read_bytes() for p in sorted(pages.glob("*.html"))]
        text += scraped
        sources.append(f"{len(scraped)} eval-dev scraped pages, {len(html)} eval-dev HTML pages")
    if not text:
        raise SystemExit("cleaner.bench: no seeds/ and no eval-dev pages found")
    return Corpus(_repeat(text, megabytes), _repeat(html, html_megabytes), sources)


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1e6 if sys.platform == "darwin" else 1e3)


def run(
    corpus: Corpus, report: Callable[[Result], None] = lambda r: None, rounds: int = 3
) -> list[Result]:
    """Run every stage on the corpus; ``report`` is called as each one finishes.

    The stages take turns: each runs on one ``rounds``-th of its documents, then the
    next stage does, and so on for every round, so that a machine that gets busier or
    quieter during the run weighs on every stage alike and the ratios stay fair."""
    import ftfy

    from .decode import decode_bytes
    from .html import EXTRACT_OPTIONS
    from .language import langdetect_language
    from .pipeline import clean_records, default_rules

    default_rules()  # load and compile the rule packs outside the timings
    clean_records(corpus.text[0])  # and the stop-word lists
    langdetect_language("Load the language model before the timings start.")
    text = corpus.text
    stages: list[tuple[str, Sequence, Callable[[object], object]]] = [
        ("text, language id on", text, lambda d: clean_records(d, input_format="text")),
        (
            "text, language id off",
            text,
            lambda d: clean_records(d, input_format="text", detect_lang=False),
        ),
        (
            "text, language id on, plain path",
            text[:: round(1 / PLAIN_SLICE)],
            lambda d: clean_records(d, input_format="text", fast=False),
        ),
        ("ftfy.fix_text alone", text, lambda d: ftfy.fix_text(decode_bytes(d))),
    ]
    if corpus.html:
        import trafilatura

        # trafilatura loads some resources on the first page that needs them (jusText's
        # stop-word lists, about 0.2 s, when it falls back to jusText): a one-time cost,
        # not throughput. Each distinct page once, outside the timings, warms both stages.
        for page in dict.fromkeys(corpus.html):
            clean_records(page, input_format="html")
        stages += [
            ("html mode", corpus.html, lambda d: clean_records(d, input_format="html")),
            (
                "trafilatura.extract alone",
                corpus.html,
                lambda d: trafilatura.extract(decode_bytes(d), **EXTRACT_OPTIONS),
            ),
        ]
    seconds: list[list[float]] = [[] for _ in stages]
    for round_index in range(rounds):
        for stage_index, (_name, docs, work) in enumerate(stages):
            start = time.perf_counter()
            for doc in docs[round_index::rounds]:
                work(doc)
            seconds[stage_index].append(time.perf_counter() - start)
    results = []
    for (name, docs, _work), spent in zip(stages, seconds, strict=True):
        mb = sum(map(len, docs)) / 1e6
        result = Result(name, len(docs), mb, sum(spent), _peak_rss_mb(), spent)
        results.append(result)
        report(result)
    return results


# (stage, baseline) pairs whose ratio the benchmark reports.
RATIOS = (
    ("text, language id on", "ftfy.fix_text alone"),
    ("text, language id off", "ftfy.fix_text alone"),
    ("text, language id on", "text, language id on, plain path"),
    ("html mode", "trafilatura.extract alone"),
)


def ratios(results: list[Result]) -> dict[str, float]:
    """Throughput ratios against the baselines measured in the same run."""
    speed = {r.stage: r.mb_per_s for r in results}
    return {
        _ratio_name(stage, baseline): speed[stage] / speed[baseline]
        for stage, baseline in RATIOS
        if speed.get(stage) and speed.get(baseline)
    }


def round_ratios(results: list[Result]) -> dict[str, list[float]]:
    """Per round, each stage's speed over its baseline's on the same documents.

    The plain path runs on a slice of the corpus, not on the same documents as the
    fast path in a round, so it has no paired ratio."""
    by_stage = {r.stage: r for r in results}
    out = {}
    for stage, baseline in RATIOS:
        ours, theirs = by_stage.get(stage), by_stage.get(baseline)
        if ours is None or theirs is None or ours.docs != theirs.docs:
            continue
        pairs = zip(ours.round_seconds, theirs.round_seconds, strict=True)
        out[_ratio_name(stage, baseline)] = [t / o for o, t in pairs if o and t]
    return out


def _ratio_name(stage: str, baseline: str) -> str:
    if stage.startswith(baseline.split(",")[0]) and "plain path" in baseline:
        return "fast path / plain path (language id on)"
    return f"{stage} / {baseline}"


def _print_result(result: Result) -> None:
    print(
        f"{result.stage:36s} {result.mb_per_s:8.2f} {result.docs_per_s:9.0f} "
        f"{result.peak_rss_mb:11.0f}   ({result.mb:.1f} MB, {result.docs} docs, "
        f"{result.seconds:.1f} s)",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cleaner.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--mb", type=float, default=20.0, help="text corpus size (MB)")
    parser.add_argument(
        "--html-mb", type=float, default=16.0, help="HTML corpus size (MB); 0 skips HTML"
    )
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="folder holding eval-dev/"
    )
    parser.add_argument("--rounds", type=int, default=3, help="turns the stages take")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args(argv)
    corpus = build_corpus(args.shared, args.mb, args.html_mb)
    if args.json:
        results = run(corpus, rounds=args.rounds)
        rows = [asdict(r) | {"mb_per_s": r.mb_per_s, "docs_per_s": r.docs_per_s} for r in results]
        report = {"stages": rows, "ratios": ratios(results), "round_ratios": round_ratios(results)}
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"corpus: text {corpus.text_mb:.1f} MB in {len(corpus.text)} docs, "
        f"HTML {corpus.html_mb:.1f} MB in {len(corpus.html)} pages "
        f"(from {'; '.join(corpus.sources)}); one process, one thread"
    )
    print(f"{'stage':36s} {'MB/s':>8s} {'docs/s':>9s} {'peak RSS MB':>11s}")
    results = run(corpus, _print_result, args.rounds)
    print("ratios (same run; per round: median and range)")
    paired = round_ratios(results)
    for name, value in ratios(results).items():
        line = f"  {name:48s} {value:6.2f}x"
        if len(paired.get(name, ())) > 1:
            values = paired[name]
            line += (
                f"   rounds {statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"
            )
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
