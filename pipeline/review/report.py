"""An HTML report of an extraction: each document's text with its facts highlighted.

docs.parquet holds no text, only each document's source path and sha256, so the
sources are read again with the reader options the run recorded, and a document
is shown with its text only when its hash still matches: offsets into a changed
file would highlight the wrong characters. A document whose source is missing or
changed is named in the report's problems and shown without text; its facts stay
in the table.

The highlighted text is built here, in Python, because fact offsets count code
points and JavaScript strings count UTF-16 units. The page (report_page.py and page/)
is one file with its CSS, script and data inline, so it works offline.
"""
from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipeline.fact import DOC_REPORTED, NUMBERS, REPORTED
from pipeline.read.documents import TEXT_SUFFIXES, Document, read_documents, suffix_of
from pipeline.review.facts_file import FactsFileError, read_parquet, table_path
from pipeline.review.facts_file import metadata as metadata_of
from pipeline.review.report_page import DIMENSIONS, render_page

# Reader options a run may record; anything else in the metadata is ignored.
READER_OPTIONS = ("text_column", "id_column", "date_column", "title_column", "default_date", "follow_symlinks")
NO_OPTIONS_HINT = " (the run recorded no reader options, so the table was read with its default columns)"


class ReportError(Exception):
    """The output folder cannot be reported on; the message names the file."""


@dataclass
class Report:
    docs: list[dict]
    facts: list[dict]
    metadata: dict[str, str]
    problems: list[str] = field(default_factory=list)

    def line(self, html_path) -> str:
        shown = sum(1 for doc in self.docs if doc["html"] is not None)
        drawn = sum(1 for fact in self.facts if fact["note"] is None)
        problems = f"{len(self.problems)} problem{'' if len(self.problems) == 1 else 's'}"
        return (f"{len(self.docs)} documents ({shown} with text), {len(self.facts)} facts "
                f"({drawn} highlighted), {problems} -> {html_path}")


def write_report(out_dir: str | Path, html_path: str | Path) -> Report:
    """Build the report of `out_dir` (facts.parquet, docs.parquet) and write it to html_path."""
    report = build_report(out_dir)
    page = render_page(report.docs, report.facts, report.metadata, report.problems,
                       title=f"Facts report: {out_dir}")
    html_path = Path(html_path)
    try:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        # "replace": a lone surrogate (a JSONL text can carry one) must not stop the report.
        html_path.write_text(page, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ReportError(f"cannot write {html_path}: {exc}") from exc
    return report


def build_report(out_dir: str | Path) -> Report:
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ReportError(f"no such output folder: {out_dir}")
    try:
        facts_at, docs_at = table_path(out_dir, "facts"), table_path(out_dir, "docs")
    except FactsFileError as exc:
        raise ReportError(str(exc)) from exc
    facts, metadata = read_table(facts_at)
    docs, _ = read_table(docs_at)
    texts, reasons = read_texts(docs, metadata)
    docs = [doc_entry(doc, reasons.get(doc["doc_id"])) for doc in docs]
    index = {doc["doc_id"]: n for n, doc in enumerate(docs)}
    unknown = sorted({fact["doc_id"] for fact in facts} - set(index))
    if unknown:
        raise ReportError(f"{facts_at}: facts of documents missing from "
                          f"docs.parquet: {unknown[:5]}")
    facts.sort(key=lambda fact: (index[fact["doc_id"]], fact["start"], fact["end"]))
    entries = [fact_entry(fact, index[fact["doc_id"]]) for fact in facts]
    draw_highlights(docs, facts, entries, texts)
    return Report(docs, entries, metadata, summarise(reasons))


def read_table(path: Path) -> tuple[list[dict], dict[str, str]]:
    """The rows of a Parquet file and its key-value metadata."""
    try:
        table = read_parquet(path)
    except FactsFileError as exc:
        raise ReportError(str(exc)) from exc
    return table.to_pylist(), metadata_of(table)


def reader_options(metadata: dict[str, str]) -> dict:
    """The options the run passed to read_documents; none for a run that did not record them."""
    recorded = json.loads(metadata.get("reader_options") or "{}")
    return {key: value for key, value in recorded.items() if key in READER_OPTIONS}


def read_texts(docs: list[dict], metadata: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Text of every document read fine at extraction whose source still hashes the same,
    and the reason for every other one (doc_id -> reason, naming the file)."""
    options = reader_options(metadata)
    by_source: dict[str, list[dict]] = {}
    for doc in docs:
        if doc["status"] == "ok":
            by_source.setdefault(doc["source"], []).append(doc)
    texts, reasons = {}, {}
    working_dir = metadata.get("working_dir")
    roots = json.loads(metadata.get("inputs") or "null")
    # A reproducible run records its inputs as given: relative to its working folder, else here.
    roots = None if roots is None else [os.path.realpath(os.path.join(working_dir or "", root)) for root in roots]
    for source, rows in by_source.items():
        if roots is None:
            reasons.update((row["doc_id"], f"{source}: the run recorded no inputs, so no file is opened "
                            "(extract again to see the text)") for row in rows)
            continue
        path = locate(source, working_dir, roots, options.get("follow_symlinks", False))
        if path is None:
            reasons.update((row["doc_id"], not_found(source, working_dir)) for row in rows)
            continue
        found = reread(path, options)
        # Outputs written before run.py recorded the options: a table's rows may be keyed otherwise.
        hint = NO_OPTIONS_HINT if "reader_options" not in metadata and suffix_of(path) not in TEXT_SUFFIXES else ""
        for row in rows:
            text, reason = verified_text(row, path, found)
            if reason:
                reasons[row["doc_id"]] = reason + hint
            else:
                texts[row["doc_id"]] = text
    return texts, reasons


def summarise(reasons: dict[str, str]) -> list[str]:
    """One line per reason, naming its documents: a changed table is one line, not one per row."""
    by_reason: dict[str, list[str]] = {}
    for doc_id, reason in reasons.items():
        by_reason.setdefault(reason, []).append(doc_id)
    lines = []
    for reason, doc_ids in by_reason.items():
        named = ", ".join(doc_ids[:3]) + (f" and {len(doc_ids) - 3} more" if len(doc_ids) > 3 else "")
        lines.append(f"{reason}; shown without text: {named}")
    return lines


def locate(source: str, working_dir: str | None, roots: list[str], follow_symlinks: bool) -> str | None:
    """The source path as the run saw it (relative to its working folder), else as given here;
    only a path under the inputs the run recorded is looked at (a docs.parquet from elsewhere
    may name any file), through links only where the run followed them."""
    candidates = [os.path.join(working_dir, source)] if working_dir else []
    candidates.append(source)
    where = os.path.abspath if follow_symlinks else os.path.realpath
    return next((path for path in candidates if under(where(path), roots) and os.path.isfile(path)), None)


def under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def reread(path: str, options: dict) -> dict[str, Document]:
    """The documents of one file by key: "" for a text file, the row key for a table."""
    stem = Path(path).stem
    try:
        documents = list(read_documents([path], **options))
    except OSError:
        return {}
    # Read alone, a file's doc_id is its stem, plus #key for a table row.
    return {doc.doc_id[len(stem) + 1:]: doc for doc in documents}


def not_found(source: str, working_dir: str | None) -> str:
    if working_dir and not os.path.isabs(source):
        return (f"{source}: no such file under the run's inputs (here, nor in {working_dir} where "
                "the run read it)")
    return f"{source}: no such file under the run's inputs"


def verified_text(row: dict, path: str, found: dict[str, Document]) -> tuple[str | None, str | None]:
    """(text, None) when the source still gives this document unchanged, else (None, why not)."""
    source = row["source"]
    document = match_document(row["doc_id"], path, found)
    if document is None:
        return None, f"{source}: no row of it gives this document any more"
    if document.status != "ok":
        return None, f"{source}: cannot be read now ({document.error})"
    if document.sha256 != row["sha256"]:
        return None, f"{source}: changed since extraction (sha256 differs)"
    return document.text, None


def match_document(doc_id: str, path: str, found: dict[str, Document]) -> Document | None:
    if suffix_of(path) in TEXT_SUFFIXES:
        return found.get("")
    # The run's doc_id is its file's id (a path, which may itself hold '#') plus #key.
    for position, char in enumerate(doc_id):
        if char == "#" and doc_id[position + 1:] in found:
            return found[doc_id[position + 1:]]
    # A table that cannot be read at all is one document without a key, with the reason.
    return found.get("")


def doc_entry(doc: dict, problem: str | None) -> dict:
    entry = {column: doc.get(column) for column in DOC_REPORTED}
    entry["html"] = None  # filled by draw_highlights
    if problem:
        entry["note"] = f"Text not shown: {problem}."
    elif doc["status"] != "ok":
        entry["note"] = f"{doc['status']} at extraction: {doc['error']}"
    else:
        entry["note"] = None
    return entry


def fact_entry(fact: dict, doc_index: int) -> dict:
    entry = {column: fact.get(column) for column in REPORTED}
    # As written (3万亿元) beside the value in its base unit (3.0e12 CNY), for reading.
    entry["written"] = f"{fact.get('value_raw') or ''}{fact.get('unit_raw') or ''}" or None
    entry["base"] = base_value(fact["value"], fact["unit"])
    entry["number"] = fact["value"]  # for sorting
    for column in NUMBERS:
        entry[column] = format_number(fact[column])
    entry["doc"] = doc_index
    entry["note"] = None  # why it has no highlight, filled by draw_highlights
    return entry


def base_value(value: float | None, unit: str | None) -> str | None:
    """A value in its base unit, short: 3.0e12 CNY, 20,798 户, 38.8 %."""
    if value is None or value != value:
        return None
    if abs(value) < 1e6:
        return f"{format_number(value)} {unit}".strip()
    mantissa, _, exponent = f"{value:.3e}".partition("e")
    shown = f"{float(mantissa):g}"
    return f"{shown if '.' in shown else shown + '.0'}e{int(exponent)} {unit}".strip()


def format_number(value: float | None) -> str | None:
    """A float as plain decimal digits with thousands separators: 2500000000000.0 -> 2,500,000,000,000."""
    if value is None:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    # repr is the shortest string that reads back as the same float; Decimal keeps
    # it exact and prints it without an exponent.
    return format(Decimal(repr(value)).normalize(), ",f")


def draw_highlights(docs: list[dict], facts: list[dict], entries: list[dict],
                    texts: dict[str, str]) -> None:
    """Fill each doc's highlighted html and each fact's note when it has no highlight."""
    spans: dict[int, list[tuple]] = {}
    for number, (fact, entry) in enumerate(zip(facts, entries)):
        text = texts.get(fact["doc_id"])
        if text is None:
            entry["note"] = "not highlighted: the document's text is not available"
        elif fact["start"] >= fact["end"] or text[fact["start"]:fact["end"]] != fact["text"]:
            entry["note"] = "not highlighted: its offsets do not give its text"
        else:
            spans.setdefault(entry["doc"], []).append((number, fact["start"], fact["end"], fact["dimension"]))
    for doc_index, doc in enumerate(docs):
        text = texts.get(doc["doc_id"])
        if text is None:
            continue
        markup, crossed = highlight(text, spans.get(doc_index, []))
        doc["html"] = markup
        for number, other in crossed.items():
            entries[number]["note"] = (f"not highlighted: it crosses the highlight of "
                                       f"{entries[other]['text']}")


def highlight(text: str, spans: list[tuple[int, int, int, str]]) -> tuple[str, dict[int, int]]:
    """Escaped text with a <mark> around each span (number, start, end, dimension).

    A span inside another is nested in its mark. A span that crosses another
    (starts inside it, ends after it) cannot be marked up: it is left out and
    returned as {its number: the number of the span it crosses}, so the table can
    still list it.
    """
    placed, crossed, open_spans = [], {}, []
    for span in sorted(spans, key=lambda s: (s[1], -s[2], s[0])):
        number, start, end, _ = span
        while open_spans and open_spans[-1][2] <= start:
            open_spans.pop()
        if open_spans and end > open_spans[-1][2]:
            crossed[number] = open_spans[-1][0]
            continue
        placed.append(span)
        open_spans.append(span)
    return render_marks(text, placed), crossed


def render_marks(text: str, placed: list[tuple[int, int, int, str]]) -> str:
    """The text with marks for properly nested spans sorted by (start, -end)."""
    parts, open_ends, position = [], [], 0
    for number, start, end, dimension in placed:
        while open_ends and open_ends[-1] <= start:
            position = close_mark(parts, text, position, open_ends.pop())
        parts.append(html.escape(text[position:start]))
        dimension = dimension if dimension in DIMENSIONS else "other"
        parts.append(f'<mark id="f{number}" class="d-{dimension}" data-fact="{number}" tabindex="0">')
        open_ends.append(end)
        position = start
    while open_ends:
        position = close_mark(parts, text, position, open_ends.pop())
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def close_mark(parts: list[str], text: str, position: int, end: int) -> int:
    parts.append(html.escape(text[position:end]))
    parts.append("</mark>")
    return end
