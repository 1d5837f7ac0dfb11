"""The on-disk cache of the stop-word tables (cleaner/cache.py): the same tables as a
build in memory, whatever the cache folder holds or whether it can be written at all."""

import marshal
import os

import pytest
from conftest import SEEDS, run_cleaner

from cleaner import cache, stopwords


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A fresh cache folder for this test; the process's tables are built again."""
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    stopwords._tables.cache_clear()
    yield tmp_path
    stopwords._tables.cache_clear()


def _built():
    lists, ranks, owners = stopwords._build_tables()
    return stopwords._Tables(lists, ranks, owners)


def _same(found, expected):
    """Equal, and in the same order (the lists are ranked; dicts keep their order)."""
    assert found == expected
    for table, reference in zip(found, expected, strict=True):
        assert list(table) == list(reference)
    assert [list(words) for words in found.lists.values()] == [
        list(words) for words in expected.lists.values()
    ]


def test_tables_are_stored_then_loaded_unchanged(folder):
    expected = _built()
    _same(stopwords._tables(), expected)  # built, and stored
    (stored,) = folder.glob("stoplists-*.marshal")
    stopwords._tables.cache_clear()
    _same(stopwords._tables(), expected)  # loaded
    assert list(folder.glob("stoplists-*.marshal")) == [stored]


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00garbage", marshal.dumps(("another key", {"en": ["the"]})), marshal.dumps(7)],
    ids=["empty", "garbage", "another-key", "not-a-pair"],
)
def test_a_damaged_or_foreign_file_is_built_again(folder, content):
    stopwords._tables()
    (stored,) = folder.glob("stoplists-*.marshal")
    stored.write_bytes(content)
    stopwords._tables.cache_clear()
    _same(stopwords._tables(), _built())
    assert marshal.loads(stored.read_bytes())[1] == tuple(_built())  # replaced


def test_a_folder_that_cannot_be_written_only_costs_the_build(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "cache"))
    assert cache.load_or_build("t", lambda: [b"x"], lambda: {"a": [1]}) == {"a": [1]}


def test_unreadable_sources_only_cost_the_build(folder):
    def sources():
        raise OSError("gone")

    assert cache.load_or_build("t", sources, lambda: [1, 2]) == [1, 2]
    assert not list(folder.iterdir())


def test_the_key_follows_every_byte_of_the_sources():
    base = cache.key("t", [b"ab", b"c"])
    assert base == cache.key("t", [b"ab", b"c"])
    assert len({base, cache.key("t", [b"a", b"bc"]), cache.key("t", [b"ab", b"d"])}) == 3
    assert cache.key("u", [b"ab", b"c"]) != base


def test_changed_sources_use_another_file(folder):
    assert cache.load_or_build("t", lambda: [b"1"], lambda: "one") == "one"
    assert cache.load_or_build("t", lambda: [b"2"], lambda: "two") == "two"
    assert cache.load_or_build("t", lambda: [b"1"], lambda: "not built") == "one"
    assert len(list(folder.glob("t-*.marshal"))) == 2


def test_off_with_cleaner_no_cache(folder, monkeypatch):
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    assert cache.folder() is None
    assert cache.load_or_build("t", pytest.fail, lambda: 3) == 3
    assert not list(folder.iterdir())


def test_the_library_alone_never_writes_to_the_home_folder(monkeypatch):
    monkeypatch.delenv("CLEANER_CACHE_DIR", raising=False)
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_command_line", False)
    assert cache.folder() is None


def test_the_command_line_uses_the_xdg_cache_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CLEANER_CACHE_DIR", raising=False)
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_command_line", True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.folder() == tmp_path / "cleaner"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.folder() == tmp_path / ".cache" / "cleaner"


def test_cli_output_is_the_same_with_and_without_the_cache(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CLEANER_CACHE_DIR", "XDG_CACHE_HOME")}
    seed = sorted(SEEDS.glob("*.txt"))[3]
    cold = run_cleaner("clean", seed, env={**env, "XDG_CACHE_HOME": str(tmp_path)})
    assert list((tmp_path / "cleaner").glob("stoplists-*.marshal"))  # written
    warm = run_cleaner("clean", seed, env={**env, "XDG_CACHE_HOME": str(tmp_path)})
    off = run_cleaner("clean", seed, env={**env, "CLEANER_NO_CACHE": "1"})
    assert cold.returncode == warm.returncode == off.returncode == 0
    assert cold.stdout == warm.stdout == off.stdout
    assert cold.stdout
