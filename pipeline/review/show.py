"""Show the rows of a facts table: a rich table to read, or plain lines for `git diff`.

The plain lines are the snapshot lines (cells.fact_lines), sorted, so a textconv
diff of two facts.parquet files reads fact by fact. Any other Parquet table (the
docs.parquet beside it, matched by the same `*.parquet` attribute) prints its rows
as they are, tab-separated, rather than failing the diff.
"""
from __future__ import annotations

from difflib import get_close_matches
from fnmatch import fnmatchcase
from itertools import groupby

import pyarrow as pa
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.fact import SHOWN
from pipeline.review.cells import fact_lines, format_cell, sort_key
from pipeline.review.facts_file import is_facts_table
from pipeline.terminal import printable


def shown_cell(row: dict, column: str) -> str:
    """A cell to read: a range's value is 'value-value_max' (4.5-5)."""
    if column == "value" and row.get("value_max") is not None:
        return f"{format_cell(row.get('value'))}-{format_cell(row['value_max'])}"
    return format_cell(row.get(column))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def select_rows(rows: list[dict], doc: str | None = None, metric: str | None = None) -> list[dict]:
    """Rows whose doc_id matches `doc` (exactly, or as a shell pattern: 'reports#*')
    and whose metric is `metric`."""
    if doc is not None:
        rows = [row for row in rows if fnmatchcase(str(row.get("doc_id")), doc)]
    if metric is not None:
        rows = [row for row in rows if row.get("metric") == metric]
    return rows


def nothing_matched(rows: list[dict], doc: str | None, metric: str | None) -> list[str]:
    """What to say when --doc or --metric selects nothing: the nearest names there are."""
    lines = []
    for option, wanted, column in (("--doc", doc, "doc_id"), ("--metric", metric, "metric")):
        if wanted is None:
            continue
        names = sorted({str(row[column]) for row in rows if row.get(column) is not None})
        if select_rows(rows, **{option.lstrip("-"): wanted}):
            continue
        near = get_close_matches(wanted, names, n=5, cutoff=0.4)
        lines.append(f"no fact has {column} {wanted!r}"
                     + (f"; nearest: {', '.join(near)}" if near else f" ({len(names)} {column}s in the table)"))
    return lines


def plain_lines(table: pa.Table, rows: list[dict]) -> list[str]:
    if is_facts_table(table):
        return fact_lines(rows)
    header = "\t".join(table.column_names)
    return [header] + ["\t".join(format_cell(row[name]) for name in table.column_names) for row in rows]


def facts_table(rows: list[dict], title: str) -> Table:
    """The facts of one document, one row each, in the order given."""
    table = Table(title=Text(printable(title)), title_justify="left")
    for name in ["span", *SHOWN]:
        table.add_column(name, overflow="fold", justify="right" if name == "value" else "left")
    for row in rows:
        cells = [f"{row['start']}-{row['end']}"] + [shown_cell(row, name) for name in SHOWN]
        # Text, not str: a cell with [brackets] must not be read as rich markup.
        table.add_row(*(Text(cell) for cell in cells))
    return table


def print_rows(console: Console, table: pa.Table, rows: list[dict], title: str) -> None:
    """A table per document (printed as each is ready: rich takes about a second per
    thousand rows), or the rows of another Parquet table as they are."""
    if not is_facts_table(table):
        console.print(other_table(table, rows, f"{title}: {plural(len(rows), 'row')}"))
        return
    documents = groupby(sorted(rows, key=sort_key), key=lambda row: row["doc_id"])
    console.print(Text(printable(f"{title}: {plural(len(rows), 'fact')}"), style="bold"))
    for doc_id, facts in documents:
        facts = list(facts)
        console.print(facts_table(facts, f"{doc_id}: {plural(len(facts), 'fact')}"))


def other_table(table: pa.Table, rows: list[dict], title: str) -> Table:
    shown = Table(title=Text(printable(title)), title_justify="left")
    for name in table.column_names:
        shown.add_column(name, overflow="fold")
    for row in rows:
        shown.add_row(*(Text(format_cell(row[name])) for name in table.column_names))
    return shown
