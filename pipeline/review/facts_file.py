"""The one reader of a run's output for diff, show, report and load_facts.

A run is named by its facts.parquet or by the folder holding it; every failure
is a FactsFileError whose message names the file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.fact import REQUIRED


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
    """Any Parquet file of a run (facts.parquet, docs.parquet)."""
    try:
        return pq.read_table(path)
    except FileNotFoundError:
        raise FactsFileError(f"{path} not found (write it with `python -m pipeline extract`)") from None
    except (pa.ArrowException, OSError) as exc:  # pyarrow raises several kinds for a damaged file
        raise FactsFileError(f"{path} is not a Parquet file: {exc}") from exc


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
