"""Snapshots: the facts of the reference documents as stable text, one line per fact.

The files in tests/snapshots/ are committed, so a pull request that changes a
rule shows, line by line, which facts it added, removed or changed. A test
re-extracts every set and fails when a file is stale; `make snapshot` rewrites them.

The line format is tab-separated with a header, and every cell is written the same
way on any machine: floats to 12 significant digits (no `.0`, no float noise),
nulls empty, booleans true/false, and tabs, newlines and backslashes escaped.
`pipeline show --plain` prints the same lines.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq

from pipeline.run import DEFAULT_RULES, run_extract

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_DIR = ROOT / "tests" / "snapshots"
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "data" / "raw" / "000_ecb0041fadd01aa0.txt"
REPORTS = CORPUS / "gov-reports-2026" / "reports.csv"
# The sample page prints no date; the Makefile's SAMPLE_DATE, from ../shared/corpus/README.md.
SAMPLE_DATE = "2024-11-01"

# doc and offsets first, so sorted lines are sorted facts. value_max and previous_period
# are in because a rule can change them alone; sentence is out (long, and it repeats
# per fact), as are fact_id (made from doc, span and rule) and the columns that follow
# from others (dimension from unit, value_raw and unit_raw from text).
SNAPSHOT_COLUMNS = ("doc", "start", "end", "text", "value", "value_max", "unit", "qualifier",
                    "metric", "metric_label", "aspect", "change", "previous_value", "period",
                    "previous_period", "is_target", "entity", "rule_id")
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True)
class ReferenceSet:
    """Documents extracted as `extract PATH [options]` would, named for their snapshot file."""
    name: str
    path: Path
    options: dict = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return f"{self.name}.tsv"


REFERENCE_SETS = (
    ReferenceSet("sample", SAMPLE, {"default_date": SAMPLE_DATE}),
    # Dates come from the table's own publish_date column, found by name.
    ReferenceSet("reports", REPORTS, {"id_column": "province"}),
)


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
    cells = [row["doc_id"] if name == "doc" else row.get(name) for name in SNAPSHOT_COLUMNS]
    return "\t".join(format_cell(cell) for cell in cells)


def fact_lines(rows: list[dict]) -> list[str]:
    """A header and one line per fact, sorted by doc, offsets and rule."""
    return ["\t".join(SNAPSHOT_COLUMNS)] + [fact_line(row) for row in sorted(rows, key=sort_key)]


def snapshot_text(rows: list[dict]) -> str:
    return "\n".join(fact_lines(rows)) + "\n"


def extract_set(reference: ReferenceSet, rules_dir: str | Path = DEFAULT_RULES) -> list[dict]:
    """The fact rows of one reference set, through the same run as `pipeline extract`."""
    if not reference.path.exists():
        raise FileNotFoundError(f"reference set '{reference.name}' needs {reference.path}, "
                                "which does not exist (the corpus lives at ../shared/corpus)")
    with tempfile.TemporaryDirectory(prefix="snapshot-") as out:
        run_extract([reference.path], out, rules_dir, progress=False, **reference.options)
        return pq.read_table(Path(out) / "facts.parquet").to_pylist()


def write_snapshots(out_dir: str | Path = SNAPSHOT_DIR, rules_dir: str | Path = DEFAULT_RULES
                    ) -> Iterator[tuple[Path, int, bool]]:
    """Write one file per reference set, yielding (path, facts, changed) as each is done,
    so a set whose input is missing still leaves the sets before it written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for reference in REFERENCE_SETS:
        rows = extract_set(reference, rules_dir)
        path = out_dir / reference.file_name
        text = snapshot_text(rows)
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            # newline="" keeps \n on every platform, so the file is byte-identical everywhere.
            path.write_text(text, encoding="utf-8", newline="")
        yield path, len(rows), changed
