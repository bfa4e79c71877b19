from pathlib import Path

import pytest

from pipeline.rules import load_rules
# The reference documents, where `make snapshot` reads them.
from pipeline.snapshot import REPORTS, SAMPLE  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


@pytest.fixture(scope="session")
def rules():
    return load_rules(RULES)


@pytest.fixture(scope="session")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")
