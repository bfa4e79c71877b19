
import os

import pytest

# The reference documents, where `make snapshot` reads them.
from pipeline.paths import CORPUS, REPORTS, ROOT, SAMPLE, SAMPLE_DATE  # noqa: F401
from pipeline.paths import DEFAULT_RULES as RULES
from pipeline.ruleset.load import load_rules

# Tests marked `corpus` read the reference corpus beside the project (../shared/corpus). A
# clone without it skips them, with this reason; where CI is set, its absence is an error.
MISSING_CORPUS = (f"the reference corpus is not at {CORPUS} (../shared beside the project); "
                  "the tests that read it are skipped")


def require_corpus() -> None:
    """For a test module that reads the corpus as it is collected."""
    if CORPUS.is_dir():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {MISSING_CORPUS.split(';')[0]}", pytrace=False)
    pytest.skip(MISSING_CORPUS, allow_module_level=True)


def pytest_collection_modifyitems(config, items):
    if CORPUS.is_dir():
        return
    marked = [item for item in items if "corpus" in item.keywords]
    if marked and os.environ.get("CI"):
        raise pytest.UsageError(f"CI is set but {MISSING_CORPUS.split(';')[0]}: {len(marked)} tests need it")
    for item in marked:
        item.add_marker(pytest.mark.skip(reason=MISSING_CORPUS))


@pytest.fixture(scope="session")
def rules():
    return load_rules(RULES)


@pytest.fixture(scope="session")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")
