"""Fact rows as stable text: one cell, one line per fact, a snapshot file.

Every cell is written the same way on any machine: floats to 12 significant
digits (no `.0`, no float noise), nulls empty, booleans true/false, and tabs,
newlines, backslashes and control characters escaped. Snapshots, `show --plain` (git textconv) and
`diff` all read cells through here, without loading the extractor.
"""
from __future__ import annotations

from pipeline.fact import SNAPSHOT
from pipeline.terminal import CONTROL_ESCAPES

# Tabs, line breaks and backslashes, and every control character a document may hold
# (pipeline/terminal.py), so a cell is one line a terminal prints as it is.
ESCAPES = {**CONTROL_ESCAPES, **str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})}
# The snapshot header names doc_id "doc".
SNAPSHOT_HEADER = tuple("doc" if name == "doc_id" else name for name in SNAPSHOT)


def format_cell(value) -> str:
    """One cell as stable text: 20798, 64.3, 2.5e+12, true, '' for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN: not written by the pipeline, but never print 'nan' as a value
            return ""
        return "%.12g" % value
    return str(value).translate(ESCAPES)


def sort_key(row: dict):
    return (row["doc_id"], row["start"], row["end"], row.get("rule_id") or "")


def fact_line(row: dict) -> str:
    return "\t".join(format_cell(row.get(name)) for name in SNAPSHOT)


def fact_lines(rows: list[dict]) -> list[str]:
    """A header and one line per fact, sorted by doc, offsets and rule."""
    return ["\t".join(SNAPSHOT_HEADER)] + [fact_line(row) for row in sorted(rows, key=sort_key)]


def snapshot_text(rows: list[dict]) -> str:
    return "\n".join(fact_lines(rows)) + "\n"
