"""`cleaner clean FOLDER -o FOLDER`: outputs, skipping, parallel determinism, reporting."""

import json
import os
import pty
import shutil
import subprocess
import sys

from conftest import SEEDS, run_cleaner


def scraped_folder(tmp_path):
    """The seeds in a nested folder, plus a JSON Lines file and a non-matching file."""
    folder = tmp_path / "scraped"
    shutil.copytree(SEEDS, folder / "news")
    (folder / "news" / "notes.md").write_text("# not scraped\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("hidden\n", encoding="utf-8")
    records = [
        {"id": p.stem, "text": p.read_text(encoding="utf-8")}
        for p in sorted(SEEDS.glob("00[0-2]*"))
    ]
    (folder / "feed.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    return folder


def tree(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_folder_to_folder_one_file_per_input(tmp_path):
    scraped = scraped_folder(tmp_path)
    result = run_cleaner("clean", scraped, "-o", tmp_path / "clean", "--glob", "*.txt")
    assert result.returncode == 0, result.stderr
    outputs = tree(tmp_path / "clean")
    merged = "003_d20aa85e4334b336"  # 12 articles in one file: <stem>.<n>.txt
    expected = [f"news/{p.stem}.txt" for p in SEEDS.glob("*.txt") if p.stem != merged]
    expected += [f"news/{merged}.{n}.txt" for n in range(12)]
    assert sorted(outputs) == sorted(expected)
    seed = SEEDS / "001_78fd2d6b24cce357.txt"
    assert outputs[f"news/{seed.stem}.txt"] == run_cleaner("clean", seed).stdout
    first = outputs[f"news/{merged}.0.txt"].decode()
    assert first.startswith("US Condemns Latest Missile Attack On Iraqi Base\n\n")
    summary = result.stderr.decode().strip().splitlines()[-1]
    assert summary.startswith("cleaner: 8 files, 19 articles, ")
    assert "lines removed (captions " in summary and "0 errors" in summary and "MB/s" in summary


def test_rerun_skips_up_to_date_outputs_unless_forced(tmp_path):
    scraped = scraped_folder(tmp_path)
    out = tmp_path / "clean"
    assert run_cleaner("clean", scraped, "-o", out).returncode == 0
    again = run_cleaner("clean", scraped, "-o", out)
    assert "0 files, 10 skipped (up to date)" in again.stderr.decode()
    touched = scraped / "news" / "000_8ff13bd2cb8732cc.txt"
    os.utime(
        touched,
        ns=(
            touched.stat().st_atime_ns,
            (out / "news" / f"{touched.stem}.txt").stat().st_mtime_ns + 10**9,
        ),
    )
    changed = run_cleaner("clean", scraped, "-o", out)
    assert "1 file, 9 skipped (up to date)" in changed.stderr.decode()
    forced = run_cleaner("clean", scraped, "-o", out, "--force")
    assert "cleaner: 10 files, " in forced.stderr.decode()


def test_jobs_2_output_is_byte_identical_to_jobs_1(tmp_path):
    scraped = scraped_folder(tmp_path)
    one = run_cleaner("clean", scraped, "-o", tmp_path / "one", "--format", "jsonl", "--jobs", "1")
    two = run_cleaner("clean", scraped, "-o", tmp_path / "two", "--format", "jsonl", "--jobs", "2")
    assert one.returncode == two.returncode == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert "feed.jsonl" in tree(tmp_path / "one")
    stream_one = run_cleaner("clean", "--format", "jsonl", "--jobs", "1", scraped)
    stream_two = run_cleaner("clean", "--format", "jsonl", "--jobs", "2", scraped)
    # 23 records: 7 single-article seeds + 12 articles of seed 003 + the other files
    assert stream_one.stdout == stream_two.stdout and stream_one.stdout.count(b"\n") == 23


def test_quiet_and_pipes_print_no_progress(tmp_path):
    scraped = scraped_folder(tmp_path)
    quiet = run_cleaner("clean", scraped, "-o", tmp_path / "clean", "--glob", "*.txt", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == b""
    piped = run_cleaner("clean", "--glob", "*.txt", scraped)
    assert piped.returncode == 0 and piped.stderr == b""


def test_progress_bar_when_stderr_is_a_terminal(tmp_path):
    scraped = scraped_folder(tmp_path)
    main, secondary = pty.openpty()
    script = os.path.join(os.path.dirname(sys.executable), "cleaner")
    proc = subprocess.run(
        [script, "clean", scraped, "-o", tmp_path / "clean", "--glob", "*.txt", "--jobs", "1"],
        stderr=secondary,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    assert proc.returncode == 0
    assert b"\r[" in seen and b"/8 files" in seen  # the bar
    assert b"cleaner: 8 files, 19 articles" in seen  # the summary (seed 003 holds 12)


def test_bad_inputs_in_a_batch_exit_2_and_write_nothing_for_them(tmp_path):
    scraped = tmp_path / "scraped"
    scraped.mkdir()
    shutil.copy(SEEDS / "000_8ff13bd2cb8732cc.txt", scraped / "good.txt")
    (scraped / "photo.jpg.txt").write_bytes(b"\xff\xd8\xff\xe0" + bytes(300))
    (scraped / "empty.txt").write_bytes(b"")
    (scraped / "feed.jsonl").write_bytes(b'{"text": "Short line."}\n{oops\n')
    result = run_cleaner("clean", scraped, "-o", tmp_path / "clean")
    assert result.returncode == 2
    outputs = tree(tmp_path / "clean")
    assert sorted(outputs) == ["empty.txt", "feed.jsonl", "good.txt"]
    assert outputs["empty.txt"] == b""
    assert outputs["feed.jsonl"].count(b"\n") == 1
    stderr = result.stderr.decode()
    assert "photo.jpg.txt: binary input (a JPEG image); not a text file" in stderr
    assert "feed.jsonl:2: not JSON" in stderr
    assert not [p for p in (tmp_path / "clean").rglob(".*")]  # no temporary files left


def test_split_inputs_give_numbered_outputs_and_stale_ones_go(tmp_path):
    from cleaner.batch import _write_articles
    from cleaner.engine import Article
    from cleaner.lines import Line

    def article(n):
        return Article(
            [Line(1, f"Title {n}"), Line(3, f"Body of article {n}.")],
            title=f"Title {n}",
            title_line=0,
        )

    base = str(tmp_path / "page")
    _write_articles(base, [article(0), article(1), article(2)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.0.txt", "page.1.txt", "page.2.txt"]
    assert (tmp_path / "page.1.txt").read_text() == "Title 1\n\nBody of article 1.\n"
    _write_articles(base, [article(0), article(1)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.0.txt", "page.1.txt"]
    _write_articles(base, [article(5)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]
    assert (tmp_path / "page.txt").read_text() == "Title 5\n\nBody of article 5.\n"


def test_output_folder_that_would_overwrite_inputs_is_refused(tmp_path):
    page = tmp_path / "page.txt"
    shutil.copy(SEEDS / "000_8ff13bd2cb8732cc.txt", page)
    result = run_cleaner("clean", tmp_path, "-o", tmp_path)
    assert result.returncode == 2
    assert f"cleaner: {page}: its output would overwrite it" in result.stderr.decode()
    assert page.read_bytes() == (SEEDS / "000_8ff13bd2cb8732cc.txt").read_bytes()


def test_output_folder_inside_the_input_folder_is_not_walked(tmp_path):
    scraped = tmp_path / "scraped"
    scraped.mkdir()
    shutil.copy(SEEDS / "000_8ff13bd2cb8732cc.txt", scraped / "page.txt")
    for _ in range(2):
        result = run_cleaner("clean", scraped, "-o", scraped / "clean", "--force")
        assert result.returncode == 0, result.stderr
        assert "cleaner: 1 file, 1 article" in result.stderr.decode()
    assert sorted(p.name for p in (scraped / "clean").iterdir()) == ["page.txt"]


def test_truncated_gzip_jsonl_leaves_no_partial_output(tmp_path):
    import gzip

    line = (
        json.dumps({"text": (SEEDS / "001_78fd2d6b24cce357.txt").read_text(encoding="utf-8")})
        + "\n"
    )
    whole = gzip.compress((line * 600).encode())  # several chunks once decompressed
    scraped = tmp_path / "scraped"
    scraped.mkdir()
    (scraped / "cut.jsonl.gz").write_bytes(whole[: len(whole) * 3 // 4])
    result = run_cleaner("clean", scraped, "-o", tmp_path / "clean", "--jobs", "1")
    assert result.returncode == 2
    assert "cut.jsonl.gz: read error: Compressed file ended" in result.stderr.decode()
    assert list((tmp_path / "clean").iterdir()) == []


def test_forked_workers_start_with_the_parents_rules(tmp_path, monkeypatch):
    """Where workers are forked they use the rule set the parent compiled; none loads
    its own (a worker that called init_worker here would fail every file)."""
    import pytest

    from cleaner import batch, cli

    if not batch.can_fork():
        pytest.skip("workers are spawned on this platform: each loads its rules")

    def no_reload(*args, **kwargs):
        raise AssertionError("a worker compiled the rules again")

    monkeypatch.setattr(batch, "load_rules", no_reload)
    folder = scraped_folder(tmp_path)
    code = cli.main(["clean", str(folder), "-o", str(tmp_path / "two"), "--jobs", "2", "--quiet"])
    assert code == 0
    run_cleaner("clean", str(folder), "-o", str(tmp_path / "one"), "--jobs", "1", "--quiet")
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def _freeze_count(_task):
    import gc

    return gc.get_freeze_count()


def test_forked_workers_inherit_frozen_objects_and_the_parent_thaws():
    """Forked workers start with the parent's objects frozen (their collector then never
    walks, and so never copies, the inherited pages); the parent unfreezes afterwards."""
    import gc

    import pytest

    from cleaner import batch

    if not batch.can_fork():
        pytest.skip("workers are spawned on this platform: nothing is inherited")
    assert gc.get_freeze_count() == 0
    counts = list(batch.ordered_map(_freeze_count, range(4), 2, _noop, (), fork=True))
    assert all(count > 0 for count in counts)
    assert gc.get_freeze_count() == 0


def _noop():
    return None


def test_a_single_input_runs_without_a_worker_pool(tmp_path, monkeypatch):
    """Starting workers for one file would only cost their start (and, with fork, a
    full compile of the rules first): it is cleaned in the command's own process."""
    from cleaner import batch, cli

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started for one input")

    monkeypatch.setattr(batch.multiprocessing, "get_context", no_pool)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text("A title\n\nThe story of the day, in full.\n")
    code = cli.main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-j", "2"])
    assert code == 0 and (tmp_path / "o" / "one.txt").exists()


def test_task_batches_group_small_files_and_keep_the_order(tmp_path, monkeypatch):
    from cleaner import batch

    monkeypatch.setattr(batch, "FILES_PER_BATCH", 3)
    monkeypatch.setattr(batch, "BATCH_BYTES", 100)
    sizes = {"a": 10, "b": 10, "c": 10, "d": 10, "big": 500, "e": 60, "f": 60}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)

    def file(name):
        return batch.Task(name, path=str(tmp_path / name))

    chunk = batch.Task("in.jsonl", lines=[b"{}"])
    stdin = batch.Task("<stdin>", data=b"text")
    missing = batch.Task("gone", path=str(tmp_path / "gone"))
    tasks = [file("a"), file("b"), file("c"), file("d"), chunk, file("big"), file("e")]
    tasks += [file("f"), stdin, missing]
    batches = [[task.source for task in b] for b in batch.task_batches(tasks)]
    assert batches == [
        ["a", "b", "c"],  # three files at most
        ["d"],  # a JSON Lines chunk goes alone and ends the batch before it
        ["in.jsonl"],
        ["big"],  # over the byte budget: alone
        ["e"],  # 60 + 60 > 100
        ["f"],
        ["<stdin>"],
        ["gone"],  # an unreadable file weighs nothing; its worker reports it
    ]


def test_batched_workers_write_what_one_process_writes(tmp_path):
    """Small files travel to the workers in batches; the outputs and the summary are
    those of --jobs 1."""
    folder = scraped_folder(tmp_path)
    one = run_cleaner("clean", str(folder), "-o", str(tmp_path / "one"), "--jobs", "1")
    two = run_cleaner("clean", str(folder), "-o", str(tmp_path / "two"), "--jobs", "2")
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    summary = [r.stderr.decode().split(" in ")[0] for r in (one, two)]
    assert summary[0] == summary[1] and "errors" in summary[0]


def test_workers_default_to_the_cores_the_process_may_use(monkeypatch):
    """A container or taskset pinned to 2 cores of a big machine gets 2 workers."""
    from cleaner import batch

    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert batch.available_cpus() == 2
    monkeypatch.delattr(os, "sched_getaffinity")
    assert batch.available_cpus() == 64
