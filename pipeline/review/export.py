"""A run's facts (or documents) as CSV or JSON Lines, for people who do not read Parquet.

The same columns in the same order as the Parquet file: CSV written by pyarrow (UTF-8
with a byte-order mark, so spreadsheet programs read the Chinese; nulls empty), JSON
Lines one object per row (nulls null, dates as YYYY-MM-DD).
"""
from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pyarrow.csv as pa_csv

from pipeline.review.facts_file import plain_strings, read_parquet, read_table, table_path

FORMATS = ("csv", "jsonl")


def export(run: str | Path, to: str | Path, format_: str, table_name: str = "facts") -> int:
    """Writes the run's facts.parquet (or docs.parquet) to `to`; the number of rows."""
    table = read_table(run) if table_name == "facts" else read_parquet(table_path(run, "docs"))
    table = plain_strings(table)
    to = Path(to)
    partial = to.with_name(f".{to.name}.{os.getpid()}.tmp")
    try:
        if format_ == "csv":
            with partial.open("wb") as handle:
                handle.write("\ufeff".encode("utf-8"))
                pa_csv.write_csv(table, handle)
        else:
            with partial.open("w", encoding="utf-8") as handle:
                for row in table.to_pylist():
                    handle.write(json.dumps(row, ensure_ascii=False, default=_iso) + "\n")
        os.replace(partial, to)
    finally:
        partial.unlink(missing_ok=True)
    return table.num_rows


def _iso(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")
