"""The partition function every engine runs: one piece of input in, its facts and docs out.

`extract_piece` is engine-neutral: a piece (pipeline/read/pieces.py) and the run's
settings in, two Arrow tables out, nothing written; it is what a Spark `mapInArrow`
wrapper or any other engine calls. `write_piece` adds the parts layout
(pipeline/write/parts.py): it takes the unchanged documents of the piece's last part,
extracts the rest and writes the new part, and is the task a Dask run maps.

The settings carry the rule files themselves, not their folder, so a worker on another
machine loads the same rules; it loads them once per process, and only when a document
of its pieces is to be extracted.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from pipeline.fact import DocRow
from pipeline.read.pieces import Piece, read_piece
from pipeline.ruleset.load import RuleSet, load_rules
from pipeline.work import doc_row, extract_document, taken
from pipeline.write import parts
from pipeline.write.output import DOCS_FILE, FACTS_FILE
from pipeline.write.parquet import DOC_SCHEMA, FACT_SCHEMA, Rows, table
from pipeline.write.reuse import Previous, reuse_key


@dataclass(frozen=True)
class Settings:
    """What every piece of a run needs besides itself."""
    rule_files: tuple[tuple[str, bytes], ...]
    reader_options: dict
    time_limit: float | None
    # The Parquet metadata of the run (pipeline.run.run_metadata).
    metadata: dict[str, str]

    @classmethod
    def make(cls, rules_dir: str | Path, reader_options: dict, time_limit: float | None,
             metadata: dict[str, str]) -> "Settings":
        files = tuple((path.name, path.read_bytes()) for path in sorted(Path(rules_dir).glob("*.toml")))
        return cls(files, dict(reader_options), time_limit, dict(metadata))


@dataclass
class PieceOutput:
    facts: pa.Table
    docs: pa.Table
    # Documents whose rows were taken from the last run.
    unchanged: int
    # A table's source -> the columns its rows were read from.
    columns: dict[str, dict]


def extract_piece(piece: Piece, settings: Settings, previous: Previous | None = None) -> PieceOutput:
    """The facts and docs tables of one piece, in input order; a document unchanged since
    `previous` (the last run's rows of the piece) is copied from it."""
    facts = Rows(FACT_SCHEMA)
    docs: list[DocRow] = []
    unchanged, columns = 0, {}
    for document in read_piece(piece, settings.reader_options):
        rows = previous.take(document) if previous else None
        if rows is None:
            _, rows, error, dated = extract_document(document, piece_rules(settings), settings.time_limit)
        else:
            _, rows, error, dated = taken(document, rows)
            unchanged += 1
        if document.columns is not None:
            columns.setdefault(document.source, document.columns)
        facts.add(rows)
        docs.append(doc_row(document, rows, error, dated))
    return PieceOutput(facts.table().replace_schema_metadata(settings.metadata),
                       table(docs, DOC_SCHEMA).replace_schema_metadata(settings.metadata), unchanged, columns)


def write_piece(piece: Piece, settings: Settings, out_dir: str, last_part: int | None = None,
                from_files: bool = False) -> dict:
    """Extracts a piece into its pair of parts and returns, for the run's summary and manifest,
    its part number, its docs rows, how many were unchanged, the columns read and the
    manifest's entries of its two files. `last_part` is the number of the part that held
    this piece in a last run; `from_files`, that a last run of the one-file layout left a
    facts.parquet and docs.parquet the driver found whole and made as this run makes them."""
    out = Path(out_dir)
    key = reuse_key(settings.metadata)
    previous, held = parts.previous_part(out, last_part, piece.key, key) if last_part is not None else (None, 0)
    if previous is None and from_files:
        previous = _files_previous(out)
    output = extract_piece(piece, settings, previous)
    documents = output.docs.num_rows
    # Every document the same as in this very part: it is already what would be written.
    if last_part == piece.number and output.unchanged == documents == held:
        files = parts.part_entries(out, piece.number)
    else:
        files = parts.write_part(out, piece.number, output.facts, output.docs,
                                 {**settings.metadata, parts.PIECE_KEY: piece.key})
    return {"part": piece.number, "docs": [DocRow(**row) for row in output.docs.to_pylist()],
            "unchanged": output.unchanged, "columns": output.columns, "files": files}


def _files_previous(out: Path) -> Previous | None:
    """The last run's two files, which the driver checked against their manifest (the
    output folder is locked for the run): each task reads the docs' ids and spans, and
    only the row groups of its own documents' facts."""
    try:
        return Previous(out / FACTS_FILE, out / DOCS_FILE)
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None


_loaded: dict[str, RuleSet] = {}


def piece_rules(settings: Settings) -> RuleSet:
    """The run's rules, loaded once per process from the files the settings carry."""
    digest = settings.metadata["rules_digest"]
    if digest not in _loaded:
        folder = Path(tempfile.mkdtemp(prefix="zh-facts-rules-"))
        try:
            for name, data in settings.rule_files:
                (folder / name).write_bytes(data)
            _loaded[digest] = load_rules(folder, check=False)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return _loaded[digest]
