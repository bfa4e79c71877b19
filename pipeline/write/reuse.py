"""The rows of a last run that a new run may take instead of extracting again.

A document is taken from the last run when it is the same document (doc_id and the
sha256 of its bytes) read the same way (reader options) by the same pipeline version
with the same rules (their digest): its facts are then the same, so they are copied,
not extracted. A document that failed or was skipped last time is read again. Any
other version, rules or options take nothing: every document is extracted again.

The Parquet metadata of the last run's files says how they were made, so a run whose
manifest is gone (a run killed midway, pipeline/write/parts.py) is judged the same way.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from itertools import accumulate
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.read.documents import Document
from pipeline.write.output import is_as_listed, manifest_entry
from pipeline.write.parquet import empty

# What must be equal for the last run's facts of a document to be this run's.
REUSE_KEYS = ("pipeline_version", "rules_digest", "reader_options")


def reuse_key(metadata: dict[str, str]) -> str:
    return json.dumps({name: metadata.get(name) for name in REUSE_KEYS}, sort_keys=True)


def file_metadata(path) -> dict[str, str]:
    """The key-value metadata of a Parquet file (a path or an open Arrow file), or {} when it
    is no readable Parquet file."""
    try:
        raw = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):
        return {}
    return {key.decode(): value.decode() for key, value in raw.items()}


class Previous:
    """The documents of a last run's facts and docs files, looked up by doc_id."""

    def __init__(self, facts_path, docs_path):
        """From the two files, by path or as open Arrow files."""
        docs = pq.ParquetFile(docs_path).read(columns=["doc_id", "sha256", "status", "facts"]).to_pylist()
        self.documents = len(docs)
        starts = accumulate((row["facts"] for row in docs), initial=0)
        self.spans = {row["doc_id"]: (row["sha256"], start, start + row["facts"])
                      for row, start in zip(docs, starts) if row["status"] == "ok"}
        self.facts = pq.ParquetFile(facts_path)
        self.group_starts = list(accumulate((self.facts.metadata.row_group(i).num_rows
                                             for i in range(self.facts.num_row_groups)), initial=0))
        self._group: tuple[int, pa.Table] | None = None

    @classmethod
    def open(cls, facts_path: Path, docs_path: Path, key: str) -> "Previous | None":
        """The last run's files when they exist, are the pair its manifest names (not one left
        half-replaced by a killed run, whose docs would point into other facts) and were made
        as this run would make them."""
        if not (facts_path.is_file() and docs_path.is_file()):
            return None
        for path in (facts_path, docs_path):
            entry = manifest_entry(path.parent, path.name)
            if entry is None or not is_as_listed(path, entry):
                return None
        if reuse_key(file_metadata(facts_path)) != key or reuse_key(file_metadata(docs_path)) != key:
            return None
        try:
            return cls(facts_path, docs_path)
        except (OSError, ValueError, KeyError, pa.ArrowException):  # damaged or of another schema: extract again
            return None

    def take(self, document: Document) -> pa.Table | None:
        """The document's facts of the last run, as the rows of an Arrow table (never turned
        into objects: copying them costs little), or None when they cannot be taken."""
        span = self.spans.get(document.doc_id)
        if span is None or span[0] != document.sha256 or document.status != "ok":
            return None
        _, start, end = span
        if end > self.group_starts[-1]:  # docs and facts of different runs: take nothing
            return None
        pieces = [empty(self.facts.schema_arrow)]
        while start < end:
            group = bisect_right(self.group_starts, start) - 1
            stop = min(end, self.group_starts[group + 1])
            pieces.append(self._read(group).slice(start - self.group_starts[group], stop - start))
            start = stop
        return pieces[-1] if len(pieces) <= 2 else pa.concat_tables(pieces[1:])

    def _read(self, group: int) -> pa.Table:
        """A row group, read once: documents come in the order they were written, so one
        group at a time is held."""
        if self._group is None or self._group[0] != group:
            self._group = (group, self.facts.read_row_group(group))
        return self._group[1]
