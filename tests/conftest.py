from pathlib import Path

import pytest

from pipeline.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SAMPLE = ROOT / "data" / "raw" / "000_ecb0041fadd01aa0.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
REPORTS = CORPUS / "gov-reports-2026" / "reports.csv"


@pytest.fixture(scope="session")
def rules():
    return load_rules(RULES)


@pytest.fixture(scope="session")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")
