"""A worker process that dies (killed, or by the kernel when memory runs out) must not
stall the batch: the tasks it lost run again alone, the one that kills its worker every
time is reported and skipped, and every other input gets its output."""

import os
import signal

import pytest
from conftest import SEEDS

from cleaner import batch

pytestmark = pytest.mark.skipif(not batch.can_fork(), reason="the tests fork workers")


def _square_or_die(item):
    if item == 5:
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's out-of-memory killer does
    return item * item


def _noop():
    return None


def test_ordered_map_goes_on_after_a_worker_dies():
    crashed = []

    def on_crash(item, run_alone):
        crashed.append(item)
        return -1

    results = list(batch.ordered_map(_square_or_die, range(12), 2, _noop, (), True, on_crash))
    assert results == [-1 if i == 5 else i * i for i in range(12)]
    assert crashed == [5]  # the other tasks in flight with it ran again, and succeeded


def test_ordered_map_without_on_crash_raises_instead_of_waiting():
    from concurrent.futures.process import BrokenProcessPool

    with pytest.raises(BrokenProcessPool):
        list(batch.ordered_map(_square_or_die, range(12), 2, _noop, (), True))


def test_a_file_that_kills_its_worker_is_reported_and_the_batch_goes_on(
    tmp_path, monkeypatch, capsys
):
    from cleaner import cli

    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "004_bomb.txt").write_text("Kills its worker\n\nEvery time it is read.\n")
    run_task = batch.run_task

    def dies_on_the_bomb(task, options):
        if task.source.endswith("bomb.txt") and task.error is None:  # not the report
            os.kill(os.getpid(), signal.SIGKILL)
        return run_task(task, options)

    monkeypatch.setattr(batch, "run_task", dies_on_the_bomb)  # the forked workers inherit it
    code = cli.main(["clean", str(folder), "-o", str(tmp_path / "two"), "-j", "2", "-q"])
    assert code == 2  # an input could not be cleaned
    assert f"{folder / '004_bomb.txt'}: {batch.WORKER_DIED}" in capsys.readouterr().err
    monkeypatch.undo()
    (folder / "004_bomb.txt").unlink()
    assert cli.main(["clean", str(folder), "-o", str(tmp_path / "one"), "-j", "1", "-q"]) == 0
    written = sorted(p.name for p in (tmp_path / "two").iterdir() if not p.name.startswith("."))
    assert written == sorted(p.name for p in (tmp_path / "one").iterdir())
    for name in written:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


@pytest.mark.parametrize("mode", ["clean", "fix"])
def test_a_worker_killed_while_writing_leaves_no_temporary_file(tmp_path, monkeypatch, mode):
    """The atomic write's temporary file (.<name>.<random>.tmp beside the target) of a
    worker killed before its rename is removed; the target is left as it was."""
    from cleaner import cli, io

    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:4]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    bomb = folder / "004_bomb.txt"
    bomb.write_bytes((SEEDS / "000_8ff13bd2cb8732cc.txt").read_bytes())
    commit = io.AtomicFile.commit

    def dies_before_the_rename(self):
        if "bomb" in self.path.name:
            os.kill(os.getpid(), signal.SIGKILL)
        commit(self)

    monkeypatch.setattr(io.AtomicFile, "commit", dies_before_the_rename)
    out = tmp_path / "out"
    args = [mode, str(folder), "-j", "2", "-q"] + (["-o", str(out)] if mode == "clean" else [])
    assert cli.main(args) == 2
    written = out if mode == "clean" else folder
    assert not [p.name for p in written.rglob("*.tmp")]
    if mode == "fix":  # the file it could not fix is as it was
        assert bomb.read_bytes() == (SEEDS / "000_8ff13bd2cb8732cc.txt").read_bytes()
