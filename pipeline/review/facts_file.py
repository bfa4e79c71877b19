"""The one reader of a run's output for diff, show, report, export and load_facts.

A run is named by its output folder, by its facts.parquet, or by its folder of parts
(`facts/`, written by --engine dask, pipeline/write/parts.py). Either layout reads as
one table, the parts in order; every failure is a FactsFileError whose message names
the file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.fact import REQUIRED
from pipeline.write.output import FACTS_FILE, MANIFEST, is_as_listed, manifest_entry, read_manifest
from pipeline.write.parquet import DOC_SCHEMA, FACT_SCHEMA, empty
from pipeline.write.parts import FACTS_DIGEST, PART, PART_FOLDERS, PIECE_KEY

# Metadata of one part, not of the run.
PART_KEYS = {PIECE_KEY.encode(), FACTS_DIGEST.encode()}


class FactsFileError(Exception):
    """A path given as a run that is missing or holds no facts table; the message names it."""


@dataclass
class FactsTable:
    path: Path
    rows: list[dict]
    columns: list[str]


def facts_path(path: str | Path) -> Path:
    """facts.parquet itself, or the folder of facts parts, of the run given."""
    return table_path(path, "facts")


def table_path(path: str | Path, name: str) -> Path:
    """The run's `name`.parquet (name: facts or docs), or its folder of parts `name`/. The
    run is given by its output folder, by either file or by either folder of parts."""
    path = Path(path)
    if not path.exists():
        raise FactsFileError(f"no such file or folder: {path}")
    if path.is_file():
        return path if name == "facts" or path.name != FACTS_FILE else path.with_name(f"{name}.parquet")
    if path.name in PART_FOLDERS and not (path / FACTS_FILE).exists():
        return path.parent / name
    manifest = read_manifest(path)
    if (path / name).is_dir() and (manifest.get("layout") == "parts" or not (path / f"{name}.parquet").is_file()):
        return path / name
    if (path / f"{name}.parquet").is_file():
        return path / f"{name}.parquet"
    raise FactsFileError(f"{path} holds no {name}.parquet and no folder of parts {name}/")


def read_parquet(path: Path) -> pa.Table:
    """Any Parquet file of a run (facts.parquet, docs.parquet), or a folder of parts as one
    table, checked against the run's manifest.json where there is one
    (pipeline/write/output.py)."""
    if path.is_dir():
        return _read_parts(path)
    check_manifest(path)
    try:
        return pq.ParquetFile(path).read()
    except FileNotFoundError:
        raise FactsFileError(f"{path} not found (write it with `python -m pipeline extract`)") from None
    except (pa.ArrowException, OSError) as exc:  # pyarrow raises several kinds for a damaged file
        raise FactsFileError(f"{path} is not a Parquet file: {exc}") from exc


def _read_parts(folder: Path) -> pa.Table:
    """The parts the manifest names (every part-*.parquet when there is none), in order, as
    one table with the run's metadata."""
    listed = read_manifest(folder.parent).get("files")
    if isinstance(listed, dict):
        # Only names of this folder's parts: a manifest is no licence to read elsewhere.
        paths = sorted(folder.parent / name for name in listed
                       if name.partition("/")[0] == folder.name and PART.fullmatch(name.partition("/")[2]))
    else:
        paths = sorted(folder.glob("part-*.parquet"))
    tables = [read_parquet(path) for path in paths]
    schema = (FACT_SCHEMA if folder.name == "facts" else DOC_SCHEMA) if not tables else tables[0].schema
    metadata = {key: value for key, value in (schema.metadata or {}).items() if key not in PART_KEYS}
    tables = [table.replace_schema_metadata(metadata) for table in tables]
    return pa.concat_tables(tables) if tables else empty(schema.with_metadata(metadata))


def check_manifest(path: Path) -> None:
    """FactsFileError when the run's manifest names `path` with another size or digest: the
    file was replaced after the manifest was written (a run is replacing the output now, or
    one was killed between its renames), so it and its partners may not belong together."""
    run = path.parent.parent if path.parent.name in PART_FOLDERS else path.parent
    entry = manifest_entry(run, path.relative_to(run).as_posix())
    if entry is None or not path.is_file():
        return  # no manifest (an older run), or it does not name this file
    if not is_as_listed(path, entry):
        raise FactsFileError(f"{path} is not the file {run / MANIFEST} names: the output is being replaced or "
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
