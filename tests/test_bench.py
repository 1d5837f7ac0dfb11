"""The benchmark runs end to end on a tiny corpus (a smoke test: nothing here is timed)."""

from conftest import ROOT

from cleaner import bench


def test_bench_runs_and_reports_every_text_stage(capsys):
    assert bench.main(["--mb", "0.05", "--html-mb", "0", "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    for stage in ("text, language id on", "text, language id off", "ftfy.fix_text alone"):
        assert stage in out
    assert "text, language id on / ftfy.fix_text alone" in out


def test_bench_corpus_repeats_to_size():
    corpus = bench.build_corpus(ROOT.parent / "shared", 0.2, 0)
    assert corpus.text_mb >= 0.2
    assert corpus.html == []
