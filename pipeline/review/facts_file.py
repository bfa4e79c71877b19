"""The one reader of a run's output for diff, show, report and load_facts.

A run is named by its facts.parquet or by the folder holding it; every failure
is a FactsFileError whose message names the file.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.fact import REQUIRED
from pipeline.write.output import MANIFEST, file_digest


class FactsFileError(Exception):
    """A path given as a run that is missing or holds no facts table; the message names it."""


@dataclass
class FactsTable:
    path: Path
    rows: list[dict]
    columns: list[str]


def facts_path(path: str | Path) -> Path:
    """facts.parquet itself, or the one in the output folder given."""
    path = Path(path)
    if not path.exists():
        raise FactsFileError(f"no such file or folder: {path}")
    if path.is_dir():
        path = path / "facts.parquet"
        if not path.is_file():
            raise FactsFileError(f"{path.parent} holds no facts.parquet")
    return path


def read_parquet(path: Path) -> pa.Table:
    """Any Parquet file of a run (facts.parquet, docs.parquet), checked against the run's
    manifest.json where there is one (pipeline/write/output.py)."""
    check_manifest(path)
    try:
        return pq.read_table(path)
    except FileNotFoundError:
        raise FactsFileError(f"{path} not found (write it with `python -m pipeline extract`)") from None
    except (pa.ArrowException, OSError) as exc:  # pyarrow raises several kinds for a damaged file
        raise FactsFileError(f"{path} is not a Parquet file: {exc}") from exc


def check_manifest(path: Path) -> None:
    """FactsFileError when the run's manifest names `path` with another size or digest: the
    file was replaced after the manifest was written (a run is replacing the pair now, or
    one was killed between its renames), so it and its partner may not belong together."""
    manifest = path.parent / MANIFEST
    try:
        entry = json.loads(manifest.read_text(encoding="utf-8"))["files"][path.name]
    except (OSError, ValueError, KeyError, TypeError):
        return  # no manifest (an older run), or it does not name this file
    if not path.is_file():
        return
    if path.stat().st_size != entry.get("bytes") or file_digest(path) != entry.get("sha256"):
        raise FactsFileError(f"{path} is not the file {manifest} names: the output is being replaced or "
                             "was left half-replaced by an interrupted run; read it again once the run "
                             "has ended, or extract again")


def plain_strings(table: pa.Table) -> pa.Table:
    """The table with its dictionary-encoded columns (pipeline.fact.CATEGORY) as plain strings,
    for readers that do not take Arrow dictionaries (pandas' nullable conversion, CSV)."""
    return table.cast(pa.schema([pa.field(field.name, pa.string()) if pa.types.is_dictionary(field.type) else field
                                 for field in table.schema]))


def read_table(path: str | Path) -> pa.Table:
    """The table of a run's facts.parquet (or of the folder holding it)."""
    return read_parquet(facts_path(path))


def is_facts_table(table: pa.Table) -> bool:
    return all(name in table.column_names for name in REQUIRED)


def read_facts(path: str | Path) -> FactsTable:
    """The rows of a facts table; FactsFileError when it is missing or not one."""
    table = read_table(path)
    if not is_facts_table(table):
        missing = [name for name in REQUIRED if name not in table.column_names]
        raise FactsFileError(f"{facts_path(path)} is not a facts table: "
                             f"it has no column {', '.join(missing)}")
    return FactsTable(facts_path(path), table.to_pylist(), table.column_names)


def metadata(table: pa.Table) -> dict[str, str]:
    """The key-value metadata a run writes (version, rules digest, reader options …)."""
    return {key.decode(): value.decode() for key, value in (table.schema.metadata or {}).items()}
