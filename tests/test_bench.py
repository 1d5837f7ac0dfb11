"""The benchmark runs end to end on a tiny corpus (a smoke test: nothing here is timed)."""

import json

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


def _memory_benchmark():
    import importlib.util
    import sys

    path = ROOT / "benchmarks" / "memory.py"
    spec = importlib.util.spec_from_file_location("benchmarks_memory", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_memory_benchmark_builds_inputs_of_the_asked_size(tmp_path):
    memory = _memory_benchmark()
    docs = memory.source_documents(ROOT.parent / "shared")
    size = memory.write_jsonl(tmp_path / "in.jsonl", docs, 0.3)
    assert size >= 0.3e6
    records = [json.loads(line) for line in (tmp_path / "in.jsonl").open()]
    assert [r["id"] for r in records] == list(range(len(records)))
    assert memory.write_files(tmp_path / "folder", docs, 25, kilobytes=1) <= 25 * 1000
    assert len(list((tmp_path / "folder").rglob("*.txt"))) == 25


def test_memory_benchmark_runs_the_real_command(tmp_path, capsys):
    memory = _memory_benchmark()
    argv = ["--scratch", str(tmp_path), "--every", "0.05", "files", "--count", "6"]
    assert memory.main(argv + ["--file-kb", "1"]) == 0
    out = capsys.readouterr().out
    assert "6 files" in out and "MB PSS (all processes)" in out and "exit 0" in out
    assert list(tmp_path.iterdir()) == []  # the scratch folder is cleaned up


def _benchmark(monkeypatch, name: str):
    """benchmarks/<name>.py as a module (the folder is not a package)."""
    import importlib.util
    import sys

    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # it imports memory.py beside it
    path = ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def _jobs_benchmark(monkeypatch):
    return _benchmark(monkeypatch, "jobs")


def test_jobs_benchmark_runs_each_setting_and_compares_the_outputs(monkeypatch, capsys):
    jobs = _jobs_benchmark(monkeypatch)
    assert jobs.main(["--count", "4", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "--jobs 1: runs" in out and "--jobs 2: runs" in out
    assert "--jobs 2 / --jobs 1:" in out and "outputs: identical" in out


def test_jobs_benchmark_digest_tells_output_folders_apart(monkeypatch, tmp_path):
    jobs = _jobs_benchmark(monkeypatch)
    for name in ("a", "b"):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "sub" / "x.txt").write_bytes(b"same")
    assert jobs.digest(tmp_path / "a") == jobs.digest(tmp_path / "b")
    (tmp_path / "b" / "sub" / "x.txt").write_bytes(b"other")
    assert jobs.digest(tmp_path / "a") != jobs.digest(tmp_path / "b")


def test_check_benchmark_times_clean_and_both_checks(monkeypatch, capsys):
    check = _benchmark(monkeypatch, "check")
    assert check.main(["--count", "3", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    for name in ("clean scraped -o OUT", "check scraped", "check clean"):
        assert f"{name}" in out
    assert "check scraped / clean scraped:" in out and "check clean / clean scraped:" in out
