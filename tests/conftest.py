import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# The command line caches the stop-word tables under ~/.cache/cleaner (cleaner/cache.py):
# the tests, and the cleaner processes they start, use a scratch folder instead.
if not os.environ.get("CLEANER_CACHE_DIR"):
    _CACHE = tempfile.mkdtemp(prefix="cleaner-test-cache-")
    os.environ["CLEANER_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# No test is timed: hypothesis's per-example deadline (200 ms) would fail a property
# test whose first example loads the stop-word lists or the model on a busy machine.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "golden"

# Lines of the shapes the line classifier tells apart (prose, menus, dates, prices, glued
# teasers, subheadings, another language), for its equivalence tests.
CLASSIFIER_LINES = [
    "The council said on Tuesday that the new bridge would open in the spring of next year.",
    "It is the first time that the city has paid for a project of this size on its own.",
    "Home",
    "News | Sport | Weather",
    "Read more",
    "12 May 2024 – Berlin, Arena",
    "14 May 2024 – Hamburg, Halle",
    "$139.00",
    "Best Spots In DetroitHoodline crunched the numbers to find the city's top spots.",
    "Teaser headline in US NEW YORK: An Indian student was",
    "Subheading Without Stops",
    "Él dijo que la ciudad y el puerto de la región están en el centro del plan.",
]


@pytest.fixture(scope="session")
def rules():
    import cleaner

    return cleaner.default_rules()


def run_cleaner(*args, stdin=None, cwd=None, env=None, timeout=120):
    """Run the installed console script (as a user would) and capture everything."""
    import shutil
    import subprocess
    import sys

    # the script installed beside this interpreter (the venv under test), else on PATH
    beside = Path(sys.executable).parent / "cleaner"
    script = str(beside) if beside.exists() else shutil.which("cleaner")
    cmd = [script] if script else [sys.executable, "-m", "cleaner.cli"]
    return subprocess.run(
        cmd + [str(a) for a in args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )
