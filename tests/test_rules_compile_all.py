"""RuleSet.compile_all builds before the batch forks what is otherwise built on first
use (the per-line prefilters of the rules the RE2 set cannot hold), so that the
workers inherit it built instead of each building it again."""

from __future__ import annotations

import pytest
from test_fast_path import USER_PACK  # holds rules the RE2 set cannot hold (re2filter.py)

from cleaner.rules import load_rules


def test_compile_all_builds_the_residual_prefilters_of_every_word_count(tmp_path):
    path = tmp_path / "user.toml"
    path.write_text(USER_PACK, encoding="utf-8")
    rules = load_rules(extra=[path])
    assert [rule.id for rule in rules._residual] == ["user.backref", "user.verbose"]
    assert rules._prefilters == {}
    rules.compile_all()
    built = dict(rules._prefilters)
    assert built  # one per max_words bucket
    lines = ["bye bye", "bye now", "a b c d e f g h i j k l m n o p q r s t u v w x y z"]
    found = rules.match_lines(lines)
    assert [[rule.id for rule in matched] for matched in found] == [["user.backref"], [], []]
    assert rules._prefilters == built  # nothing more to build on first use


def test_the_batch_compiles_the_rules_before_forking(tmp_path, monkeypatch):
    from cleaner import batch

    if not batch.can_fork():
        pytest.skip("workers are spawned on this platform: each loads its rules")
    rules = load_rules()
    compiled = []
    monkeypatch.setattr(type(rules), "compile_all", lambda self: compiled.append(self))
    (tmp_path / "in").mkdir()
    for name in ("a.txt", "b.txt"):  # one input alone would run without a pool
        (tmp_path / "in" / name).write_text("Title\n\nSome text of a story here.\n")
    options = batch.Options(out_dir=str(tmp_path / "out"))
    summary = batch.Summary()
    tasks = batch.make_tasks(batch.walk([str(tmp_path / "in")], "*"), options, summary)
    batch.run_tasks(tasks, options, rules, ((), ()), 2, summary, batch.Sink(None))
    assert compiled == [rules] and summary.files == 2 and summary.errors == 0
