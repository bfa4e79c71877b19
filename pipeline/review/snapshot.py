"""Snapshots: the facts of the reference documents as stable text, one line per fact.

The files in tests/snapshots/ are committed, so a pull request that changes a
rule shows, line by line, which facts it added, removed or changed. A test
re-extracts every set and fails when a file is stale; `make snapshot` rewrites them.
The line format is pipeline.review.cells'; `pipeline show --plain` prints the same lines.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pipeline.paths import DEFAULT_RULES, REPORTS, SAMPLE, SAMPLE_DATE, SNAPSHOT_DIR
from pipeline.review.cells import snapshot_text
from pipeline.review.facts_file import read_table


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


def extract_set(reference: ReferenceSet, rules_dir: str | Path = DEFAULT_RULES) -> list[dict]:
    """The fact rows of one reference set, through the same run as `pipeline extract`."""
    from pipeline.run import run_extract  # the extractor, only when a set is extracted

    if not reference.path.exists():
        raise FileNotFoundError(f"reference set '{reference.name}' needs {reference.path}, "
                                "which does not exist (the corpus lives at ../shared/corpus)")
    with tempfile.TemporaryDirectory(prefix="snapshot-") as out:
        run_extract([reference.path], out, rules_dir, progress=False, **reference.options)
        return read_table(out).to_pylist()


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
