"""The Dask engine gives the same output as the local run, on a real 2-process cluster."""

import json

import pytest
from conftest import ROOT, SEEDS

pytest.importorskip("dask.bag", reason='the Dask engine needs: pip install -e ".[dask]"')
distributed = pytest.importorskip("distributed", reason='needs: pip install -e ".[dask]"')

import cleaner  # noqa: E402
from cleaner.dask import clean_bag, clean_item, read_documents, run_dask  # noqa: E402

EVAL_PAGES = ROOT.parent / "shared" / "eval-dev" / "pages"


@pytest.fixture(scope="module")
def cluster_address():
    """A real LocalCluster: 2 worker processes, one thread each."""
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        silence_logs=40,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Seeds plus a few eval-dev pages (text and HTML), as files in one folder."""
    folder = tmp_path_factory.mktemp("corpus")
    files = sorted(SEEDS.glob("*.txt"))
    if EVAL_PAGES.is_dir():
        files += sorted(EVAL_PAGES.glob("*.scraped.txt"))[:6]
        files += sorted(EVAL_PAGES.glob("*.html"))[:2]
    for i, path in enumerate(files):
        (folder / f"{i:03d}_{path.name}").write_bytes(path.read_bytes())
    (folder / "999_binary.txt").write_bytes(b"\x00\x01binary")  # must not fail the batch
    return folder


def local_lines(folder):
    """The local run: each file cleaned in order with the same pure function."""
    lines = []
    for path in sorted(folder.iterdir()):
        for record in clean_item((str(path), path.read_bytes())):
            lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def test_dask_cluster_output_equals_local_run(corpus, cluster_address, tmp_path):
    out = tmp_path / "out.jsonl"
    written = run_dask([str(corpus / "*")], str(out), scheduler=cluster_address)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == local_lines(corpus)
    assert written == len(lines)
    errors = [json.loads(line) for line in lines if '"error"' in line]
    assert [e["source"] for e in errors] == [str(corpus / "999_binary.txt")]


def test_dask_folder_output_equals_local_run(corpus, cluster_address, tmp_path):
    written = run_dask(
        [str(corpus / "*")], str(tmp_path / "out" / "*.jsonl"), scheduler=cluster_address
    )
    parts = sorted((tmp_path / "out").glob("*.jsonl"))
    lines = [line for part in parts for line in part.read_text(encoding="utf-8").splitlines()]
    assert lines == local_lines(corpus)
    assert written == len(lines)


def test_dask_jsonl_records_equal_local_run(cluster_address, tmp_path):
    source = tmp_path / "in.jsonl"
    rows = [
        {"id": p.stem, "body": p.read_text(encoding="utf-8")}
        for p in sorted(SEEDS.glob("00[0-4]*.txt"))
    ]
    rows.append({"id": "no-text"})  # a record without the field: an error record, not a crash
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_dask([str(source)], str(out), scheduler=cluster_address, text_field="body", id_field="id")
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = [
        r for row in rows[:-1] for r in cleaner.clean_records(row["body"], source=row["id"])
    ]
    assert got[: len(expected)] == expected
    assert [set(r) for r in got[len(expected) :]] == [{"error", "source"}, {"error"}]


def test_clean_bag_on_strings_matches_normalize():
    import dask.bag as db

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("00[0-2]*.txt"))]
    bag = db.from_sequence(texts, npartitions=2)
    got = clean_bag(bag, format="text").compute(scheduler="synchronous")
    assert got == [cleaner.normalize(t) for t in texts]


@pytest.mark.parametrize("spec", ["*", ""], ids=["glob", "folder"])
def test_read_documents_keeps_path_order(corpus, spec):
    docs = read_documents(str(corpus / spec) if spec else str(corpus), files_per_partition=3)
    sources = [s for s, _ in docs.compute(scheduler="synchronous")]
    assert sources == [str(p) for p in sorted(corpus.iterdir())]


def test_dask_with_user_rules_equals_local_run(cluster_address, tmp_path):
    rules = cleaner.load_rules(disabled=["site.section-label", "metadata.byline"])
    seed = sorted(SEEDS.glob("*.txt"))[0]
    out = tmp_path / "out.jsonl"
    run_dask([str(seed)], str(out), scheduler=cluster_address, rules=rules, explain=True)
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = cleaner.clean_records(seed.read_bytes(), source=str(seed), rules=rules, explain=True)
    assert got == expected
    assert got != cleaner.clean_records(seed.read_bytes(), source=str(seed), explain=True)


def test_cli_engine_dask_equals_local_engine(corpus, cluster_address, tmp_path):
    """`cleaner clean --engine dask --scheduler ADDR` gives the records the local engine
    gives (the local engine names sources as typed, Dask by absolute path)."""
    from conftest import run_cleaner

    text_files = [str(p) for p in sorted(corpus.glob("*.txt")) if "binary" not in p.name]
    result = run_cleaner(
        "clean",
        "--format",
        "jsonl",
        "--engine",
        "dask",
        "--scheduler",
        cluster_address,
        *text_files,
    )
    assert result.returncode == 0, result.stderr
    local = run_cleaner("clean", "--format", "jsonl", "--jobs", "1", *text_files)
    assert local.returncode == 0, local.stderr

    def without_source(lines):
        return [{k: v for k, v in json.loads(x).items() if k != "source"} for x in lines]

    dask_lines = result.stdout.decode().splitlines()
    assert without_source(dask_lines) == without_source(local.stdout.decode().splitlines())
    assert len(dask_lines) >= len(text_files)


def test_default_scheduler_output_equals_local_run(corpus, tmp_path):
    """No --scheduler: local worker processes, one pool for the whole run."""
    out = tmp_path / "out.jsonl"
    run_dask([str(corpus / "*")], str(out))
    assert out.read_text(encoding="utf-8").splitlines() == local_lines(corpus)


def _pids(window: int) -> list[int]:
    import os

    import dask.bag as db

    from cleaner.dask import _ordered_partitions, _scheduler

    bag = db.from_sequence(range(24), npartitions=12).map(lambda _: os.getpid())
    with _scheduler(None):
        return [pid for part in _ordered_partitions(bag, window) for pid in part]


def test_default_scheduler_keeps_one_pool_across_windows():
    """Six windows of two partitions: each compute() used to start a new pool of
    workers, which loaded cleaner again; now the same workers serve them all."""
    import os

    assert len(set(_pids(window=2))) <= (os.cpu_count() or 1)


def test_ordered_partitions_keeps_order_with_two_windows_in_flight():
    import dask.bag as db

    from cleaner.dask import _ordered_partitions, _scheduler

    bag = db.from_sequence(range(50), npartitions=17).map(lambda x: x * 2)
    for scheduler in (None, "processes", "synchronous", "threads"):
        with _scheduler(scheduler):
            got = [x for part in _ordered_partitions(bag, window=2) for x in part]
        assert got == [x * 2 for x in range(50)], scheduler


def test_scheduler_counts_the_cluster_threads(cluster_address):
    from cleaner.dask import _scheduler

    with _scheduler(cluster_address) as workers:
        assert workers == 2
    with _scheduler("synchronous") as workers:
        assert workers == 1


def test_default_scheduler_spreads_partitions_over_the_workers():
    """Dask's process scheduler hands out ready tasks 6 at a time by default: a bag of
    4 partitions then ran on one worker. Ours hands them out one by one."""
    import os
    import time

    import dask.bag as db

    from cleaner.dask import _scheduler

    bag = db.from_sequence(range(4), npartitions=4).map(lambda _: (time.sleep(0.2), os.getpid()))
    with _scheduler(None) as workers:
        pids = {pid for _, pid in bag.compute()}
    assert len(pids) == min(workers, 4)


def test_cli_dask_worker_death_is_an_error_not_a_traceback(monkeypatch, capsys, tmp_path):
    from concurrent.futures.process import BrokenProcessPool

    import cleaner.dask
    from cleaner import cli

    def broken(*args, **kwargs):
        raise BrokenProcessPool("a process in the pool was terminated abruptly")

    monkeypatch.setattr(cleaner.dask, "run_dask", broken)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    assert cli.main(["clean", "--engine", "dask", str(seed)]) == 2
    assert "a Dask worker process died" in capsys.readouterr().err
