"""Write fact and document tables as Parquet, streaming and atomically.

Rows go out in row groups as they come, so memory stays flat however large
the batch. The file is written under a temporary name in the same folder and
renamed into place only when complete: an interrupted run leaves the old file
(or none), never half a file.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

FACT_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("fact_id", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()),
    ("text", pa.string()), ("sentence", pa.string()),
    ("value", pa.float64()), ("value_max", pa.float64()),
    ("unit", pa.string()), ("dimension", pa.string()),
    ("value_raw", pa.string()), ("unit_raw", pa.string()),
    ("qualifier", pa.string()), ("metric", pa.string()), ("metric_label", pa.string()),
    ("aspect", pa.string()), ("change", pa.string()), ("previous_value", pa.float64()),
    ("period", pa.string()), ("previous_period", pa.string()),
    ("is_target", pa.bool_()), ("entity", pa.string()), ("section", pa.string()),
    ("rule_id", pa.string()),
])

DOC_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("source", pa.string()), ("sha256", pa.string()),
    ("characters", pa.int64()), ("facts", pa.int64()),
    ("title", pa.string()), ("date", pa.string()),
    ("status", pa.string()), ("error", pa.string()),
])


class ParquetSink:
    """Collects rows and writes them to `path` in row groups; use as a context manager."""

    def __init__(self, path: str | Path, schema: pa.Schema, metadata: dict[str, str],
                 row_group_rows: int = 50_000):
        self.path = Path(path)
        self.schema = schema.with_metadata(metadata)
        self.row_group_rows = row_group_rows
        self.temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self.buffer: list[dict] = []
        self.rows = 0
        self.writer: pq.ParquetWriter | None = None

    def __enter__(self) -> "ParquetSink":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(self.temporary, self.schema, compression="zstd")
        return self

    def write(self, rows: list[dict]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.row_group_rows:
            self._flush()

    def __exit__(self, exc_type, exc, traceback) -> None:
        try:
            if exc_type is None:
                self._flush()
            self.writer.close()
        finally:
            if exc_type is None:
                os.replace(self.temporary, self.path)
            else:
                self.temporary.unlink(missing_ok=True)

    def _flush(self) -> None:
        if not self.buffer:
            return
        columns = {name: [row[name] for row in self.buffer] for name in self.schema.names}
        self.writer.write_table(pa.Table.from_pydict(columns, schema=self.schema))
        self.rows += len(self.buffer)
        self.buffer = []
