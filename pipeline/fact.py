"""The fact row (../shared/FACTS.md, "Row schema") and the document row of docs.parquet.

These two dataclasses are the only place the column names and their order are
written. Every table schema, snapshot, diff, display and report column list is
derived from them or declared below as a named view of them (a test checks
that each view names real columns). Rows are built whole by the
extractor; they become dicts only at the Arrow boundary (pipeline.write.parquet).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

# Arrow types by name, so this module needs no pyarrow; pipeline.write.parquet maps them.
STRING, INT32, INT64, FLOAT64, BOOL, DATE32 = "string", "int32", "int64", "float64", "bool", "date32"
# A string column of few distinct values, stored dictionary-encoded: a categorical in
# pandas, polars and DuckDB.
CATEGORY = "category"


def _column(arrow_type: str):
    return field(metadata={"arrow": arrow_type})


@dataclass(slots=True)
class Fact:
    """One figure of one document, in FACTS.md's column order."""
    doc_id: str = _column(CATEGORY)
    fact_id: str = _column(STRING)
    start: int = _column(INT32)
    end: int = _column(INT32)
    text: str = _column(STRING)
    sentence: str = _column(STRING)
    value: float = _column(FLOAT64)
    value_max: float | None = _column(FLOAT64)
    unit: str = _column(CATEGORY)
    dimension: str = _column(CATEGORY)
    value_raw: str = _column(STRING)
    unit_raw: str = _column(STRING)
    qualifier: str = _column(CATEGORY)
    metric: str | None = _column(CATEGORY)
    metric_label: str | None = _column(STRING)
    aspect: str = _column(CATEGORY)
    change: str | None = _column(CATEGORY)
    previous_value: float | None = _column(FLOAT64)
    period: str | None = _column(STRING)
    previous_period: str | None = _column(STRING)
    # The first and last day of `period`, for range filters (2023 -> 2023-01-01, 2023-12-31).
    period_start: date | None = _column(DATE32)
    period_end: date | None = _column(DATE32)
    is_target: bool = _column(BOOL)
    entity: str | None = _column(STRING)
    section: str | None = _column(STRING)
    rule_id: str = _column(CATEGORY)


@dataclass(slots=True)
class DocRow:
    """One input document of a run: where it came from and how it went (docs.parquet)."""
    doc_id: str = _column(STRING)
    source: str = _column(STRING)
    sha256: str | None = _column(STRING)
    characters: int = _column(INT64)
    facts: int = _column(INT64)
    title: str | None = _column(STRING)
    date: str | None = _column(STRING)
    # Where the date came from: column, option (--date), printed (in the text), none.
    date_source: str = _column(STRING)
    status: str = _column(STRING)
    error: str | None = _column(STRING)


def columns(row_type) -> tuple[tuple[str, str], ...]:
    """(name, Arrow type name) of every column of a row type, in order."""
    return tuple((f.name, f.metadata["arrow"]) for f in fields(row_type))


FACT_COLUMNS = tuple(name for name, _ in columns(Fact))
DOC_COLUMNS = tuple(name for name, _ in columns(DocRow))

# Named views of the fact row.
# A fact is found again by document and span; a table without these is no facts table.
KEY = ("doc_id", "start", "end")
REQUIRED = KEY + ("text",)
# Snapshot lines: doc and offsets first, so sorted lines are sorted facts. value_max and
# previous_period are in because a rule can change them alone; sentence is out (long, and
# it repeats per fact), as are fact_id (made from doc, span and rule) and the columns that
# follow from others (dimension from unit, value_raw and unit_raw from text).
SNAPSHOT = ("doc_id", "start", "end", "text", "value", "value_max", "unit", "qualifier",
            "metric", "metric_label", "aspect", "change", "previous_value", "period",
            "previous_period", "is_target", "entity", "rule_id")
# diff compares every column but the id (made from doc, span and rule, which are compared)
# and the sentence (for reading: a layout change would mark a whole paragraph changed).
COMPARED = tuple(name for name in FACT_COLUMNS if name not in KEY + ("fact_id", "sentence", "doc_id"))
# What a fact is listed with in a diff or a terminal table: enough to find it in the text.
LISTED = ("text", "value", "unit", "qualifier", "metric_label", "metric", "aspect", "change",
          "period", "is_target", "rule_id")
SHOWN = LISTED[:-1] + ("entity", "rule_id")
# The report page's fact table and details panel.
REPORTED = ("fact_id", "text", "sentence", "value", "value_max", "unit", "dimension", "value_raw", "unit_raw",
            "qualifier", "metric", "metric_label", "aspect", "change", "previous_value", "period",
            "previous_period", "is_target", "entity", "section", "rule_id")
NUMBERS = tuple(name for name, arrow in columns(Fact) if arrow == FLOAT64)
# Low-cardinality strings an analyst filters on: categoricals in pipeline.load_facts.
CATEGORIES = tuple(name for name, arrow in columns(Fact) if arrow == CATEGORY)
# What an example of a rule file may check: any column of the text's facts but the ids.
EXAMPLE_CHECKED = tuple(name for name in FACT_COLUMNS if name not in ("doc_id", "fact_id"))
# What the report page says about each document.
DOC_REPORTED = ("doc_id", "source", "title", "date", "date_source", "status", "error", "characters")

# Every view, by name, for the test that checks each names only real columns.
FACT_VIEWS = {"KEY": KEY, "REQUIRED": REQUIRED, "SNAPSHOT": SNAPSHOT, "COMPARED": COMPARED,
              "LISTED": LISTED, "SHOWN": SHOWN, "REPORTED": REPORTED, "NUMBERS": NUMBERS,
              "CATEGORIES": CATEGORIES, "EXAMPLE_CHECKED": EXAMPLE_CHECKED}
