from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "golden"


@pytest.fixture(scope="session")
def rules():
    import cleaner

    return cleaner.default_rules()
