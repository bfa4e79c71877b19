"""Print a FactsDiff: rich tables for the terminal, Markdown for a pull-request comment.

Both show the counts per document first, then the added, removed and changed facts.
A section longer than `limit` rows is cut, with a note of how many were left out:
a comment must stay readable (and under GitHub's 65,536 characters).
"""
from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.fact import LISTED
from pipeline.review.cells import format_cell
from pipeline.review.diff import Change, FactsDiff, change_text
from pipeline.review.show import shown_cell
from pipeline.terminal import printable

MARKDOWN_LIMIT = 50
SECTIONS = (("added", "Added"), ("removed", "Removed"), ("changed", "Changed"))
# How many characters of its sentence a diff row shows on each side of its figure.
CONTEXT = 16
# Markdown would read these as table borders, emphasis, links or HTML.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def headline(diff: FactsDiff) -> str:
    if not diff.differs:
        return "no differences"
    counts = ", ".join(f"{diff.total(kind)} {kind}" for kind, _ in SECTIONS)
    return f"{counts} facts in {len(diff.changed_documents)} of {len(diff.documents)} documents"


def runs_line(diff: FactsDiff, quote=str) -> str:
    return (f"old {quote(str(diff.old.path))} ({len(diff.old.rows)} facts), "
            f"new {quote(str(diff.new.path))} ({len(diff.new.rows)} facts)")


def columns_note(diff: FactsDiff) -> str | None:
    only_old, only_new = diff.one_sided_columns()
    parts = [f"only the old run has {', '.join(only_old)}"] if only_old else []
    parts += [f"only the new run has {', '.join(only_new)}"] if only_new else []
    return f"Not compared: {'; '.join(parts)}." if parts else None


def count_row(doc) -> list[str]:
    return [doc.doc_id, str(doc.old_facts), str(doc.new_facts),
            str(len(doc.added)), str(len(doc.removed)), str(len(doc.changed))]


def listed_cells(row: dict) -> list[str]:
    return [row["doc_id"], span_text(row)] + [shown_cell(row, c) for c in LISTED] + [context(row)]


def changed_cells(change: Change) -> list[str]:
    return [change.new["doc_id"], span_text(change.new), format_cell(change.new.get("text")), context(change.new)]


def context(row: dict) -> str:
    """The figure in the words around it, from its sentence, so a reviewer can judge a
    label or a period without opening the text: …市场主体【20798户】，其中企业…"""
    sentence, text = row.get("sentence") or "", (row.get("text") or "").replace("\n", "")
    at = sentence.find(text) if text else -1
    if at < 0:
        return format_cell(sentence[:2 * CONTEXT] + ("…" if len(sentence) > 2 * CONTEXT else ""))
    before, after = sentence[max(0, at - CONTEXT):at], sentence[at + len(text):at + len(text) + CONTEXT]
    return format_cell(("…" if at > CONTEXT else "") + before + f"【{text}】" + after
                       + ("…" if at + len(text) + CONTEXT < len(sentence) else ""))


def span_text(row: dict) -> str:
    return f"{row['start']}-{row['end']}"


def section_header(kind: str) -> list[str]:
    if kind == "changed":
        return ["document", "span", "text", "context", "changes"]
    return ["document", "span", *LISTED, "context"]


def section_rows(kind: str, items: list, escape=str, line_break: str = "\n") -> list[list[str]]:
    """The cells of the added or removed facts, or of the changes (one line per column)."""
    if kind != "changed":
        return [[escape(cell) for cell in listed_cells(row)] for row in items]
    return [[escape(cell) for cell in changed_cells(change)]
            + [line_break.join(escape(change_text(change, column)) for column in change.columns)]
            for change in items]


def left_out_note(left: int, what: str) -> str:
    return f"… {left} more {what} not shown (pipeline diff OLD NEW --max-rows 0 lists all)"


# Markdown

def markdown_cell(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", printable(text, lines=False))


def markdown_table(header: list[str], rows: list[list[str]], numeric_from: int | None = None) -> list[str]:
    """A GitHub table; cells come escaped (a change cell keeps its <br>)."""
    rules = ["---:" if numeric_from is not None and i >= numeric_from else "---" for i in range(len(header))]
    return ["| " + " | ".join(row) + " |" for row in [header, rules, *rows]]


def escaped(cells: list[str]) -> list[str]:
    return [markdown_cell(cell) for cell in cells]


def diff_markdown(diff: FactsDiff, limit: int | None = MARKDOWN_LIMIT) -> str:
    """A pull-request comment: a headline, counts per document, then the facts."""
    lines = [f"### Extraction diff: {headline(diff)}", "", runs_line(diff, markdown_cell) + "."]
    if note := columns_note(diff):
        lines += ["", markdown_cell(note)]
    if not diff.differs:
        return "\n".join(lines) + "\n"
    documents = diff.changed_documents
    lines += [""] + markdown_table(["document", "old", "new", "added", "removed", "changed"],
                                   [escaped(count_row(doc)) for doc in cut(documents, limit)], numeric_from=1)
    lines += _markdown_left_out(len(documents), limit, "documents")
    for kind, title in SECTIONS:
        items = diff.rows(kind)
        if items:
            rows = section_rows(kind, cut(items, limit), markdown_cell, "<br>")
            lines += ["", f"#### {title} ({len(items)})", ""] + markdown_table(section_header(kind), rows)
            lines += _markdown_left_out(len(items), limit, f"{kind} facts")
    return "\n".join(lines) + "\n"


def _markdown_left_out(total: int, limit: int | None, what: str) -> list[str]:
    if limit and total > limit:
        return ["", f"_{markdown_cell(left_out_note(total - limit, what))}_"]
    return []


def cut(items: list, limit: int | None) -> list:
    return items[:limit] if limit else items


# Terminal

def print_diff(diff: FactsDiff, console: Console, limit: int | None = None) -> None:
    """Rich tables: counts per document, then the added, removed and changed facts."""
    console.print(Text(f"Extraction diff: {headline(diff)}", style="bold"))
    console.print(Text(printable(runs_line(diff))))
    if note := columns_note(diff):
        console.print(Text(note, style="yellow"))
    if not diff.differs:
        return
    documents = diff.changed_documents
    console.print(rich_table(["document", "old", "new", "added", "removed", "changed"],
                             [count_row(doc) for doc in cut(documents, limit)], numeric_from=1))
    _print_left_out(console, len(documents), limit, "documents")
    styles = {"added": "green", "removed": "red", "changed": "yellow"}
    for kind, title in SECTIONS:
        items = diff.rows(kind)
        if not items:
            continue
        table = rich_table(section_header(kind), section_rows(kind, cut(items, limit)))
        table.title = Text(f"{title} ({len(items)})", style=styles[kind])
        console.print(table)
        _print_left_out(console, len(items), limit, f"{kind} facts")


def rich_table(header: list[str], rows: list[list[str]], numeric_from: int | None = None) -> Table:
    table = Table(show_lines=False, title_justify="left")
    for i, name in enumerate(header):
        right = numeric_from is not None and i >= numeric_from
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    for row in rows:
        # Text, not str: a cell with [brackets] must not be read as rich markup.
        table.add_row(*(Text(printable(cell)) for cell in row))
    return table


def _print_left_out(console: Console, total: int, limit: int | None, what: str) -> None:
    if limit and total > limit:
        console.print(Text(left_out_note(total - limit, what), style="dim"))
