"""export: a run's rows as CSV or JSON Lines, with the Parquet file's columns."""
import csv
import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from conftest import SAMPLE, SAMPLE_DATE
from pipeline.cli import app
from pipeline.run import run_extract


def test_csv_and_jsonl_hold_the_rows_of_the_parquet_file(tmp_path):
    run_extract([SAMPLE], tmp_path / "out", default_date=SAMPLE_DATE)
    rows = pq.read_table(tmp_path / "out" / "facts.parquet").to_pylist()
    for format_ in ("csv", "jsonl"):
        result = CliRunner().invoke(app, ["export", str(tmp_path / "out"), "--to", str(tmp_path / f"f.{format_}"),
                                          "--format", format_])
        assert result.exit_code == 0 and f"{len(rows)} rows" in result.output
    with open(tmp_path / "f.csv", encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == list(rows[0]) and len(table) == len(rows)
    assert [r["text"] for r in table] == [r["text"] for r in rows]
    assert table[0]["period_start"] == rows[0]["period_start"].isoformat()
    lines = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["fact_id"] for line in lines] == [r["fact_id"] for r in rows]
    assert lines[0]["value"] == rows[0]["value"] and lines[0]["period_end"] == rows[0]["period_end"].isoformat()


def test_an_unknown_format_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["export", str(tmp_path), "--to", str(tmp_path / "x"), "--format", "xlsx"])
    assert result.exit_code == 2 and "'xlsx' is not one of csv, jsonl" in result.output
