
import pytest

from pipeline.ruleset.load import load_rules
# The reference documents, where `make snapshot` reads them.
from pipeline.paths import DEFAULT_RULES as RULES, REPORTS, ROOT, SAMPLE, SAMPLE_DATE  # noqa: F401


@pytest.fixture(scope="session")
def rules():
    return load_rules(RULES)


@pytest.fixture(scope="session")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")
