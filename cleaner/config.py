"""Which rules to run: ``[tool.cleaner]`` in pyproject.toml plus the command-line flags.

Like ruff, the nearest ``pyproject.toml`` from the current folder upwards that has a
``[tool.cleaner]`` table is the project's configuration::

    [tool.cleaner]
    rules = ["cleaning/our-site.toml"]   # extra rule packs, relative to pyproject.toml
    disable = ["site.page-id"]           # rule ids switched off

``--rules`` adds to the configured packs and ``--disable`` to the configured ids.

User packs are also screened at load time for catastrophic backtracking: each pattern
runs on a few adversarial lines with a timeout, and a pattern that times out is rejected
with its rule id (at run time, rules.PATTERN_TIMEOUT still bounds every match).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .rules import PATTERN_TIMEOUT, RuleError, RuleSet, load_pack, load_rules

__all__ = ["Config", "find_config", "load_config", "screen_patterns"]

CONFIG_KEYS = frozenset({"rules", "disable"})

# Lines that make backtracking patterns explode: a long run of one character class, then
# an ending that makes the match fail at the very end. The endings include the pattern's
# own letters and digits, so a required literal ("x" in ``(a|aa)+x$``) is present and the
# engine cannot skip the search. Latin, Greek and Cyrillic letters, digits, spaces and
# punctuation cover the character classes rule patterns use.
_ADVERSARIAL_LENGTH = 3000
_RUNS = ("a", "a ", "1", " ", "aA1", "a.", "-", "a,", "Aa ", "α", "ж")
_ENDINGS = ("!", "\x00")
# A pattern that would hit the run-time timeout on a paragraph-sized line would drop
# out on most real lines too; a sane pattern needs microseconds here.
SCREEN_TIMEOUT = PATTERN_TIMEOUT


def adversarial_lines(pattern: str, limit: int = 16) -> list[str]:
    """The lines a pattern is screened on (see above)."""
    own = sorted({ch for ch in pattern if ch.isalnum()})[:limit]
    endings = _ENDINGS + tuple(ch + "\x00" for ch in own)
    runs = _RUNS + tuple(own)
    return [run * (_ADVERSARIAL_LENGTH // len(run)) + end for run in runs for end in endings]


@dataclass(frozen=True, slots=True)
class Config:
    rules: tuple[Path, ...] = ()
    disable: tuple[str, ...] = ()
    source: Path | None = None  # the pyproject.toml it came from

    def merged(self, rules: Sequence[str] = (), disable: Sequence[str] = ()) -> Config:
        """This configuration plus the command line's --rules and --disable."""
        return Config(
            self.rules + tuple(Path(p) for p in rules),
            self.disable + tuple(d for d in disable if d not in self.disable),
            self.source,
        )

    def load_rules(self) -> RuleSet:
        """The built-in packs plus the user's (screened), minus the disabled rules."""
        screen_patterns(self.rules)
        return load_rules(extra=self.rules, disabled=self.disable)


@dataclass(slots=True)
class _Found:
    path: Path
    table: dict = field(default_factory=dict)


def find_config(start: Path | None = None) -> _Found | None:
    """The nearest pyproject.toml with a [tool.cleaner] table, from ``start`` upwards."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RuleError(f"{path}: cannot read: {exc}") from exc
        table = data.get("tool", {}).get("cleaner")
        if table is not None:
            return _Found(path, table)
    return None


def _strings(table: dict, key: str, path: Path) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{path}: [tool.cleaner] {key} must be a list of strings")
    return tuple(value)


def load_config(start: Path | None = None) -> Config:
    """The project's [tool.cleaner] settings (empty when there is none)."""
    found = find_config(start)
    if found is None:
        return Config()
    unknown = set(found.table) - CONFIG_KEYS
    if unknown:
        raise RuleError(f"{found.path}: [tool.cleaner] has unknown keys {sorted(unknown)}")
    base = found.path.parent
    packs = tuple(base / p for p in _strings(found.table, "rules", found.path))
    return Config(packs, _strings(found.table, "disable", found.path), found.path)


def screen_patterns(pack_paths: Sequence[Path]) -> None:
    """Reject a user pattern that backtracks catastrophically, naming its rule id."""
    for path in pack_paths:
        _order, _pack, rules = load_pack(path)
        for rule in rules:
            if rule.pattern is None:
                continue
            for line in adversarial_lines(rule.pattern.pattern):
                try:
                    rule.pattern.search(line, timeout=SCREEN_TIMEOUT)
                except TimeoutError:
                    raise RuleError(
                        f"{path}: rule {rule.id}: pattern too slow (catastrophic "
                        f"backtracking on a {len(line)}-character line); rewrite it"
                    ) from None
