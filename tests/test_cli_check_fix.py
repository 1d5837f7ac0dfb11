"""`cleaner check` / `cleaner fix`: exit codes, diff, kept file style, atomicity, and the
pre-commit hooks round trip with the real pre-commit tool."""

import codecs
import importlib.util
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SEEDS, run_cleaner

from cleaner.io import AtomicFile

DIRTY = SEEDS / "000_8ff13bd2cb8732cc.txt"


def dirty_copy(tmp_path, name="page.txt"):
    target = tmp_path / name
    shutil.copy(DIRTY, target)
    return target


def test_check_exit_codes_0_1_2(tmp_path):
    page = dirty_copy(tmp_path)
    changed = run_cleaner("check", page)
    assert changed.returncode == 1
    assert changed.stdout.decode() == f"would fix: {page}\n"
    clean = tmp_path / "clean.txt"
    clean.write_bytes(run_cleaner("clean", DIRTY).stdout)
    assert run_cleaner("check", clean).returncode == 0
    errors = run_cleaner("check", clean, tmp_path / "missing.txt")
    assert errors.returncode == 2
    assert (
        f"cleaner: {tmp_path / 'missing.txt'}: no such file or directory" in errors.stderr.decode()
    )


def test_check_diff_shows_what_fix_would_change(tmp_path):
    page = dirty_copy(tmp_path)
    result = run_cleaner("check", "--diff", page)
    assert result.returncode == 1
    diff = result.stdout.decode()
    assert f"--- {page}\n+++ {page}\n@@ " in diff
    assert "\n-Do you like this article?\n" in diff
    assert page.read_bytes() == DIRTY.read_bytes()  # check never writes


def test_fix_then_check_passes_and_fix_is_idempotent(tmp_path):
    page = dirty_copy(tmp_path)
    fixed = run_cleaner("fix", page)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout.decode() == f"fixed: {page}\n"
    assert page.read_bytes() == run_cleaner("clean", DIRTY).stdout
    assert run_cleaner("check", page).returncode == 0
    again = run_cleaner("fix", page)
    assert again.returncode == 0 and again.stdout == b""


def test_fix_keeps_crlf_and_bom_and_writes_legacy_bytes_as_utf8(tmp_path):
    text = DIRTY.read_text(encoding="utf-8").replace("\n", "\r\n")
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(
        "Caf\u00e9 owners in the old town say business is slow this year.\n".encode("cp1252")
    )
    result = run_cleaner("fix", crlf, legacy)
    assert result.returncode == 0, result.stderr
    data = crlf.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data.count(b"\r\n") == data.count(b"\n") > 0
    assert data[3:].replace(b"\r\n", b"\n") == run_cleaner("clean", DIRTY).stdout
    assert legacy.read_bytes().decode("utf-8").startswith("Café owners")
    assert run_cleaner("check", crlf, legacy).returncode == 0


def test_fix_refuses_html_and_jsonl(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("<!doctype html><html><body><p>Hello</p></body></html>\n", encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "x"}\n', encoding="utf-8")
    before = page.read_bytes(), feed.read_bytes()
    result = run_cleaner("fix", page, feed)
    assert result.returncode == 2
    assert (page.read_bytes(), feed.read_bytes()) == before
    assert "looks like HTML" in result.stderr.decode()


def test_fix_interrupted_by_an_exception_leaves_the_original_intact(tmp_path):
    page = dirty_copy(tmp_path)
    # The real command, with the disk failing at the moment of the fsync.
    code = (
        "import os, sys\n"
        "from cleaner import cli\n"
        "def failing_fsync(fd):\n"
        "    raise OSError(5, 'Input/output error (simulated)')\n"
        "os.fsync = failing_fsync\n"
        "sys.exit(cli.main(['fix', sys.argv[1]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(page)], capture_output=True, timeout=120
    )
    assert result.returncode == 2
    assert f"cleaner: {page}: Input/output error (simulated)" in result.stderr.decode()
    assert page.read_bytes() == DIRTY.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["page.txt"]  # no temporary file left


def test_atomic_file_aborts_on_exception_mid_write(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"original\n")
    with pytest.raises(RuntimeError), AtomicFile(target) as out:
        out.write(b"half of the new con")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"original\n"
    assert os.listdir(tmp_path) == ["out.txt"]


@pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None,
    reason="needs the pre-commit tool (pip install -e '.[test]') and git",
)
def test_pre_commit_hooks_round_trip(tmp_path):
    """pre-commit try-repo on this repository: the hooks fail, fix, then pass."""
    repo = tmp_path / "repo"
    repo.mkdir()
    env = dict(
        os.environ,
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    page = dirty_copy(repo, "scraped.txt")
    subprocess.run(["git", "add", "scraped.txt"], cwd=repo, check=True, env=env)

    def try_repo():
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files"],
            cwd=repo,
            capture_output=True,
            env=env,
            timeout=600,
        )

    first = try_repo()
    output = first.stdout.decode()
    assert first.returncode == 1, output
    assert "cleaner check" in output and "would fix: scraped.txt" in output
    assert "files were modified by this hook" in output
    assert page.read_bytes() == run_cleaner("clean", DIRTY).stdout
    second = try_repo()
    assert second.returncode == 0, second.stdout.decode()
    assert second.stdout.decode().count("Passed") == 2


def test_check_reads_stdin_and_fix_refuses_it():
    checked = run_cleaner("check", "-", stdin=DIRTY.read_bytes())
    assert checked.returncode == 1 and checked.stdout == b"would fix: <stdin>\n"
    fixed = run_cleaner("fix", "-", stdin=DIRTY.read_bytes())
    assert fixed.returncode == 2 and b"stdin has none" in fixed.stderr
