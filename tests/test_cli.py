"""The console script, run for real in a subprocess."""

import json
import shutil
import subprocess
import sys

import pytest
from conftest import SEEDS

CLEANER = shutil.which("cleaner") or None


def run(*args, stdin=None):
    cmd = [CLEANER] if CLEANER else [sys.executable, "-m", "cleaner.cli"]
    return subprocess.run(cmd + list(args), input=stdin, capture_output=True, timeout=120)


def test_clean_jsonl_one_record_per_article():
    seed = SEEDS / "001_78fd2d6b24cce357.txt"
    result = run("clean", "--format", "jsonl", str(seed))
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["title"] == "Iran Launches Missiles on U.S. Military Base in Iraq"
    assert record["byline"] == "Staff Report"
    assert record["source"] == str(seed) and record["index"] == 0
    assert "removed" not in record


def test_explain_lists_every_removed_line_with_its_rule():
    result = run("clean", "--format", "jsonl", "--explain", str(SEEDS / "000_8ff13bd2cb8732cc.txt"))
    [record] = [json.loads(line) for line in result.stdout.decode().splitlines()]
    removed = {(r["text"][:20], r["rule"]) for r in record["removed"]}
    assert ("Iraq News", "site.section-label") in removed
    assert ("Do you like this art", "comments.header") in removed
    assert all(r["rule"] and r["line"] > 0 for r in record["removed"])


def test_stdin_text_mode():
    result = run("clean", "-", stdin=(SEEDS / "004_13cbca66a6973239.txt").read_bytes())
    assert result.returncode == 0
    out = result.stdout.decode()
    assert out.startswith("Iraq: missile fire against international coalition troops\n\n")
    assert "source site-64" not in out


@pytest.mark.parametrize("args", [("clean", "does-not-exist.txt"), ("clean",)])
def test_errors_exit_2_without_traceback(args):
    result = run(*args)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
