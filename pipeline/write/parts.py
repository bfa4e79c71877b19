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
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.write.output import file_entries, write_atomically
from pipeline.write.parquet import parquet_bytes
from pipeline.write.reuse import Previous, file_metadata, reuse_key

FACTS, DOCS = "facts", "docs"
PART_FOLDERS = (FACTS, DOCS)
PART = re.compile(r"part-(\d{5})\.parquet")
PIECE_KEY = "piece"
FACTS_DIGEST = "facts_sha256"


def part_name(kind: str, number: int) -> str:
    """The part's path relative to the output folder: facts/part-00000.parquet."""
    return f"{kind}/part-{number:05}.parquet"


def write_part(out_dir: Path, number: int, facts: pa.Table, docs: pa.Table, metadata: dict[str, str]
               ) -> dict[str, dict]:
    """Writes the pair; returns the manifest's entries of both files (output.file_entries)."""
    written = {}
    facts_data = parquet_bytes(facts.replace_schema_metadata(metadata))
    facts_digest = hashlib.sha256(facts_data).hexdigest()
    docs_data = parquet_bytes(docs.replace_schema_metadata({**metadata, FACTS_DIGEST: facts_digest}))
    for kind, data, digest in ((FACTS, facts_data, facts_digest),
                               (DOCS, docs_data, hashlib.sha256(docs_data).hexdigest())):
        write_atomically(out_dir / part_name(kind, number), data)
        written[part_name(kind, number)] = {"bytes": len(data), "sha256": digest}
    return written


def part_entries(out_dir: Path, number: int) -> dict[str, dict]:
    """The manifest's entries of a pair kept as it was."""
    return file_entries(out_dir, [part_name(FACTS, number), part_name(DOCS, number)])


def kept_parts(out_dir: Path, key: str) -> dict[str, int]:
    """Piece key -> part number, for every whole pair in the folder made as this run
    would make it (same version, rules and reader options)."""
    found = {}
    for number, path in _numbered(out_dir, DOCS):
        metadata = file_metadata(path)
        if reuse_key(metadata) == key and PIECE_KEY in metadata:
            found[metadata[PIECE_KEY]] = number
    return found


def _numbered(out_dir: Path, kind: str) -> list[tuple[int, Path]]:
    """The parts of a folder with their numbers, in order; any other file is left alone."""
    found = ((PART.fullmatch(path.name), path) for path in (out_dir / kind).glob("part-*.parquet"))
    return sorted((int(match.group(1)), path) for match, path in found if match)


def previous_part(out_dir: Path, number: int, piece_key: str, key: str) -> tuple[Previous | None, int]:
    """The documents of part `number`, when it holds the piece `piece_key` made the same way
    and its pair is whole; and how many documents it holds."""
    previous = _whole_pair(out_dir, number, key, piece_key)
    return previous, previous.documents if previous else 0


def _whole_pair(out_dir: Path, number: int, key: str, piece_key: str | None = None) -> Previous | None:
    """The documents of part `number` when its pair is whole and made as this run would make
    it (and holds the piece `piece_key`, when given). Each file is read once, into memory,
    and judged by those bytes: another task may replace the part meanwhile."""
    try:
        docs = pa.BufferReader((out_dir / part_name(DOCS, number)).read_bytes())
        facts_bytes = (out_dir / part_name(FACTS, number)).read_bytes()
    except OSError:
        return None
    metadata = file_metadata(docs)
    if reuse_key(metadata) != key or (piece_key is not None and metadata.get(PIECE_KEY) != piece_key):
        return None
    if hashlib.sha256(facts_bytes).hexdigest() != metadata.get(FACTS_DIGEST):
        return None
    try:
        return Previous(pa.BufferReader(facts_bytes), docs)
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None


class PartsPrevious:
    """A last run's parts, for a run that writes the one-file layout: each document is looked
    for in the part that holds it, and the parts are read one at a time, in order, as the
    documents come (in input order, as the parts were written)."""

    def __init__(self, out_dir: Path, key: str, numbers: list[int]):
        self.out_dir, self.key = out_dir, key
        self.where: dict[str, int] = {}
        for number in numbers:
            try:
                ids = pq.read_table(out_dir / part_name(DOCS, number), columns=["doc_id"]).column("doc_id")
            except (OSError, ValueError, KeyError, pa.ArrowException):
                continue
            for doc_id in ids.to_pylist():
                self.where.setdefault(doc_id, number)
        self._part: tuple[int | None, Previous | None] = (None, None)

    @classmethod
    def open(cls, out_dir: Path, key: str) -> "PartsPrevious | None":
        numbers = sorted(kept_parts(out_dir, key).values())
        return cls(out_dir, key, numbers) if numbers else None

    def take(self, document) -> pa.Table | None:
        number = self.where.get(document.doc_id)
        if number is None:
            return None
        if self._part[0] != number:
            self._part = (number, _whole_pair(self.out_dir, number, self.key))
        previous = self._part[1]
        return previous.take(document) if previous else None


def remove_parts_from(out_dir: Path, count: int) -> None:
    """Removes the parts numbered `count` and above: a last run's, beyond this run's pieces."""
    for kind in PART_FOLDERS:
        for number, path in _numbered(out_dir, kind):
            if number >= count:
                path.unlink(missing_ok=True)


def remove_parts(out_dir: Path) -> None:
    """Removes the folders of parts a run of the other layout left; called once the manifest
    names the new files, so a reader never meets both layouts half-replaced."""
    remove_parts_from(out_dir, 0)
    for kind in PART_FOLDERS:
        try:
            (out_dir / kind).rmdir()
        except OSError:  # not there, or holding files of the user's
            pass
