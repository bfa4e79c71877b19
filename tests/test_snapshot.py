"""The committed snapshots in tests/snapshots/ match what the rules extract today.

When one fails, the rules or the code changed what is extracted: read the diff, and
if the change is meant, run `make snapshot` and commit the files with the change.
"""
import difflib
import re

import pytest
from typer.testing import CliRunner

from conftest import CORPUS, REPORTS, ROOT, SAMPLE
from pipeline.cli import app
from pipeline.paths import SNAPSHOT_DIR
from pipeline.review.cells import SNAPSHOT_HEADER, format_cell, snapshot_text
from pipeline.review.snapshot import REFERENCE_SETS

MAX_DIFF_LINES = 80


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Every set written once by `pipeline snapshot DIR`, as `make snapshot` does."""
    out = tmp_path_factory.mktemp("snapshots")
    result = CliRunner().invoke(app, ["snapshot", str(out)])
    return out, result


def stale_message(name: str, committed: str, fresh: str) -> str:
    diff = list(difflib.unified_diff(committed.splitlines(), fresh.splitlines(),
                                     f"committed tests/snapshots/{name}", "extracted now", lineterm="", n=1))
    shown = diff[:MAX_DIFF_LINES]
    if len(diff) > MAX_DIFF_LINES:
        shown.append(f"... {len(diff) - MAX_DIFF_LINES} more diff lines")
    return (f"tests/snapshots/{name} is stale: the extraction changed. If the change is meant, "
            f"run `make snapshot` and commit the file.\n" + "\n".join(shown))


@pytest.mark.parametrize("reference", [
    pytest.param(reference, id=reference.name, marks=[pytest.mark.corpus] if CORPUS in reference.path.parents else [])
    for reference in REFERENCE_SETS])
def test_snapshot_is_current(fresh, reference):
    out, result = fresh
    if not reference.path.exists():
        pytest.fail(f"{reference.path} is missing: the '{reference.name}' snapshot needs the reference "
                    "corpus at ../shared/corpus beside the repository (CI has it there)", pytrace=False)
    path = out / reference.file_name
    assert path.exists(), f"`pipeline snapshot` wrote no {reference.file_name}:\n{result.output}"
    assert f"{path}: " in result.output
    committed_path = SNAPSHOT_DIR / reference.file_name
    if not committed_path.exists():
        pytest.fail(f"{committed_path} is missing: run `make snapshot`", pytrace=False)
    written, committed = path.read_text(encoding="utf-8"), committed_path.read_text(encoding="utf-8")
    if written != committed:
        pytest.fail(stale_message(reference.file_name, committed, written), pytrace=False)


def test_snapshot_files_are_byte_stable(fresh):
    """LF endings, UTF-8, a header, one line per fact: the same bytes on every machine."""
    out, _ = fresh
    written = list(out.iterdir())
    assert written
    for path in written:
        data = path.read_bytes()
        assert b"\r" not in data and data.endswith(b"\n")
        assert data.decode("utf-8").split("\n", 1)[0] == "\t".join(SNAPSHOT_HEADER)


def test_reference_sets_are_the_documented_inputs():
    by_name = {reference.name: reference for reference in REFERENCE_SETS}
    assert by_name["sample"].path == SAMPLE and by_name["reports"].path == REPORTS
    # The sample is extracted with the date `make extract` gives it.
    makefile_date = re.search(r"^SAMPLE_DATE \?= (\S+)", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert by_name["sample"].options == {"default_date": makefile_date}
    assert by_name["reports"].options == {"id_column": "province"}


def test_report_ids_name_the_province():
    lines = (SNAPSHOT_DIR / "reports.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert {line.split("\t", 1)[0] for line in lines} >= {"reports#云南省", "reports#北京市", "reports#甘肃省"}


@pytest.mark.parametrize("value, text", [
    pytest.param(None, "", id="null"),
    pytest.param(True, "true", id="true"),
    pytest.param(False, "false", id="false"),
    pytest.param(20798, "20798", id="int"),
    pytest.param(20798.0, "20798", id="whole float without .0"),
    pytest.param(4800 * 666.666666666667, "3200000", id="float noise of 亩 dropped"),
    pytest.param(64.3, "64.3", id="decimal"),
    pytest.param(2.5e12, "2.5e+12", id="2.5万亿"),
    pytest.param(1.036e19, "1.036e+19", id="exponent"),
    pytest.param("帮助企\n\n业\t准备\\", "帮助企\\n\\n业\\t准备\\\\", id="escaped text"),
])
def test_format_cell(value, text):
    assert format_cell(value) == text


def test_lines_sort_by_doc_and_offsets():
    rows = [{"doc_id": "b", "start": 1, "end": 2, "text": "x", "rule_id": "q:a"},
            {"doc_id": "a", "start": 10, "end": 12, "text": "y", "rule_id": "q:a"},
            {"doc_id": "a", "start": 9, "end": 12, "text": "z", "rule_id": "q:a"}]
    lines = snapshot_text(rows).splitlines()[1:]
    assert [line.split("\t")[:4] for line in lines] == [["a", "9", "12", "z"], ["a", "10", "12", "y"],
                                                       ["b", "1", "2", "x"]]
