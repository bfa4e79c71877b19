"""The parts layout of a run's output: `facts/part-NNNNN.parquet` and `docs/part-NNNNN.parquet`,
one pair per piece of input (pipeline/read/pieces.py), then `manifest.json`, written last.

Each part is written under a temporary name and renamed; the facts part first, then the
docs part, whose metadata carries the facts part's sha256: a pair is whole when the docs
part is in place and names its facts part. Each pair's metadata also says which piece
it holds, so a rerun (even after a run was killed midway, before any manifest) finds the
part of each of its pieces and takes from it the documents that did not change.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.write.output import file_digest
from pipeline.write.reuse import Previous, file_metadata, reuse_key

FACTS, DOCS = "facts", "docs"
PIECE_KEY = "piece"
FACTS_DIGEST = "facts_sha256"


def part_name(kind: str, number: int) -> str:
    """The part's path relative to the output folder: facts/part-00000.parquet."""
    return f"{kind}/part-{number:05}.parquet"


def write_part(out_dir: Path, number: int, facts: pa.Table, docs: pa.Table, metadata: dict[str, str]) -> None:
    facts_path = out_dir / part_name(FACTS, number)
    _write(facts_path, facts.replace_schema_metadata(metadata))
    docs_metadata = {**metadata, FACTS_DIGEST: file_digest(facts_path)}
    _write(out_dir / part_name(DOCS, number), docs.replace_schema_metadata(docs_metadata))


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def kept_parts(out_dir: Path, key: str) -> dict[str, int]:
    """Piece key -> part number, for every whole pair in the folder made as this run
    would make it (same version, rules and reader options)."""
    found = {}
    for path in sorted((out_dir / DOCS).glob("part-*.parquet")):
        metadata = file_metadata(path)
        if reuse_key(metadata) == key and PIECE_KEY in metadata:
            found[metadata[PIECE_KEY]] = int(path.stem.removeprefix("part-"))
    return found


def previous_part(out_dir: Path, number: int, piece_key: str, key: str) -> tuple[Previous | None, int]:
    """The documents of part `number`, when it holds the piece `piece_key` made the same way
    and its pair is whole; and how many documents it holds. Each file is read once, into
    memory, and judged by those bytes: another task may replace the part meanwhile."""
    try:
        docs = pa.BufferReader((out_dir / part_name(DOCS, number)).read_bytes())
        facts_bytes = (out_dir / part_name(FACTS, number)).read_bytes()
        metadata = {k.decode(): v.decode() for k, v in (pq.read_schema(docs).metadata or {}).items()}
    except (OSError, ValueError, pa.ArrowException):
        return None, 0
    if metadata.get(PIECE_KEY) != piece_key or reuse_key(metadata) != key:
        return None, 0
    if hashlib.sha256(facts_bytes).hexdigest() != metadata.get(FACTS_DIGEST):
        return None, 0
    try:
        previous = Previous(pa.BufferReader(facts_bytes), docs)
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None, 0
    return previous, previous.documents


def remove_parts_from(out_dir: Path, count: int) -> None:
    """Removes the parts numbered `count` and above: a last run's, beyond this run's pieces."""
    for kind in (FACTS, DOCS):
        for path in (out_dir / kind).glob("part-*.parquet"):
            if int(path.stem.removeprefix("part-")) >= count:
                path.unlink(missing_ok=True)
