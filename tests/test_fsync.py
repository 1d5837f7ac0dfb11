"""Which writes fsync: `fix` (it replaces the user's only copy) and a single -o FILE
always; the files of `clean -o FOLDER` only with --fsync. Every write is atomic either
way (a temporary file renamed into place)."""

import json
import os
import shutil

import pytest
from conftest import SEEDS

from cleaner.cli import main
from cleaner.io import AtomicFile


@pytest.fixture
def fsyncs(monkeypatch):
    """The file descriptors os.fsync is called on, in order (the real fsync still runs)."""
    calls = []
    real = os.fsync

    def counted(fd):
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counted)
    return calls


def _scraped(folder, count=3):
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:count]:
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.mark.parametrize("fsync", [True, False])
def test_atomic_file_fsyncs_only_when_asked(tmp_path, fsyncs, fsync):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with AtomicFile(target, fsync=fsync) as out:
        out.write(b"new")
    assert target.read_text() == "new"
    assert len(fsyncs) == (1 if fsync else 0)
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left


@pytest.mark.parametrize("flag", [[], ["--fsync"]])
def test_clean_into_a_folder_fsyncs_with_the_flag_only(tmp_path, fsyncs, flag):
    scraped = _scraped(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["clean", str(scraped), "-o", str(out), "--jobs", "1", "--quiet", *flag]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert len(written) >= 3 and all(p.read_bytes() for p in out.iterdir())
    assert len(fsyncs) == (len(written) if flag else 0)


@pytest.mark.parametrize("flag", [[], ["--fsync"]])
def test_jsonl_input_into_a_folder_fsyncs_with_the_flag_only(tmp_path, fsyncs, flag):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [{"text": seed.read_text(encoding="utf-8")} for seed in sorted(SEEDS.glob("*.txt"))[:2]]
    (folder / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    assert main(["clean", str(folder), "-o", str(out), "--jobs", "1", "--quiet", *flag]) == 0
    assert len((out / "pages.jsonl").read_text().splitlines()) == 2
    assert len(fsyncs) == (1 if flag else 0)


def test_a_single_output_file_and_fix_always_fsync(tmp_path, fsyncs):
    scraped = _scraped(tmp_path / "in")
    one = sorted(scraped.iterdir())[0]
    assert main(["clean", str(one), "-o", str(tmp_path / "one.jsonl"), "--quiet"]) == 0
    assert (tmp_path / "one.jsonl").is_file() and len(fsyncs) == 1
    fsyncs.clear()
    assert main(["fix", str(scraped), "--jobs", "1", "--quiet"]) == 0
    changed = 3  # the seeds all hold chrome
    assert len(fsyncs) == changed
    assert main(["check", str(scraped), "--jobs", "1", "--quiet"]) == 0
