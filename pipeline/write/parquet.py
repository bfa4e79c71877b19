"""Write fact and document tables as Parquet, streaming and atomically.

Rows go out in row groups as they come, so memory stays flat however large
the batch. The file is written under a temporary name in the same folder and
renamed into place only when complete: an interrupted run leaves the old file
(or none), never half a file.

Speed: columns are built from their Arrow buffers (`column`), where the plain
version is pa.array(values, type): pyarrow imports pandas the first time
pa.array converts a Python list, and the buffers are built as fast (a test
checks the tables equal pyarrow's own).
"""
from __future__ import annotations

import os
import sys
from array import array
from datetime import date
from itertools import accumulate
from operator import attrgetter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.fact import BOOL, CATEGORY, DATE32, FLOAT64, INT32, INT64, STRING, DocRow, Fact, columns

ARROW_TYPES = {STRING: pa.string(), INT32: pa.int32(), INT64: pa.int64(), FLOAT64: pa.float64(), BOOL: pa.bool_(),
               DATE32: pa.date32(), CATEGORY: pa.dictionary(pa.int32(), pa.string())}
# date32 counts days from 1970-01-01.
EPOCH = date(1970, 1, 1).toordinal()


def schema_of(row_type) -> pa.Schema:
    """The Arrow schema of a row type of pipeline.fact, column for column."""
    return pa.schema([(name, ARROW_TYPES[arrow]) for name, arrow in columns(row_type)])


FACT_SCHEMA = schema_of(Fact)
DOC_SCHEMA = schema_of(DocRow)


# Rows held as objects before they are turned into an Arrow table.
COMPACT_ROWS = 2_000


class Rows:
    """Rows in order, each run of them either row objects (Fact, DocRow) or an Arrow table
    (rows copied from a last run, never turned into objects), and the table of them all."""

    def __init__(self, schema: pa.Schema):
        self.schema = schema
        self.chunks: list[list | pa.Table] = []
        self.count = 0

    def add(self, rows: "list | pa.Table") -> None:
        if isinstance(rows, pa.Table):
            self.chunks.append(rows)
        elif not self.chunks or isinstance(self.chunks[-1], pa.Table):
            self.chunks.append(list(rows))
        else:
            self.chunks[-1].extend(rows)
        self.count += len(rows)
        if isinstance(self.chunks[-1], list) and len(self.chunks[-1]) >= COMPACT_ROWS:
            # A row as an object takes about 1.5 KB, in Arrow about a fifth of that: a holder
            # of many rows (the journal holds 30 seconds of them) keeps its memory flat.
            self.chunks[-1] = table(self.chunks[-1], self.schema)

    def table(self) -> pa.Table:
        # A table's own metadata differs (a part's, a last run's); concat_tables and the
        # writer look past it, so no cast is needed.
        tables = [chunk if isinstance(chunk, pa.Table) else table(chunk, self.schema)
                  for chunk in self.chunks if len(chunk)]
        if len(tables) == 1:
            return tables[0]
        return pa.concat_tables(tables).combine_chunks() if tables else empty(self.schema)


class ParquetSink:
    """Collects rows (Fact or DocRow objects, or Arrow tables of them) and writes them to
    `path` in row groups; use as a context manager."""

    def __init__(self, path: str | Path, schema: pa.Schema, metadata: dict[str, str],
                 row_group_rows: int = 50_000):
        self.path = Path(path)
        self.schema = schema.with_metadata(metadata)
        self.row_group_rows = row_group_rows
        self.temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self.buffer = Rows(self.schema)
        self.rows = 0
        self.writer: pq.ParquetWriter | None = None

    def __enter__(self) -> "ParquetSink":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(self.temporary, self.schema, compression="zstd")
        return self

    def write(self, rows: "list | pa.Table") -> None:
        self.buffer.add(rows)
        if self.buffer.count >= self.row_group_rows:
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
        if not self.buffer.count:
            return
        self.writer.write_table(self.buffer.table())
        self.rows += self.buffer.count
        self.buffer = Rows(self.schema)


def parquet_bytes(table: pa.Table) -> bytes:
    """A whole Parquet file of `table`, in memory: written and hashed without reading it back."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def empty(schema: pa.Schema) -> pa.Table:
    """A table of no rows (schema.empty_table() imports pandas, a second's start-up)."""
    return pa.Table.from_batches([], schema)


def table(rows: list, schema: pa.Schema) -> pa.Table:
    """`rows` (objects with an attribute per column) as a table of `schema`, equal to
    pa.Table.from_pylist([asdict(row) for row in rows], schema): the Arrow boundary."""
    if not rows:
        return empty(schema)
    return pa.Table.from_arrays([column(list(map(attrgetter(field.name), rows)), field.type)
                                 for field in schema], schema=schema)


def column(values: list, type_: pa.DataType) -> pa.Array:
    """`values` (None for null) as an Arrow array of `type_`: string, bool, float64, int32, int64,
    date32 (datetime.date values) or a dictionary of strings."""
    if pa.types.is_dictionary(type_):
        return column(values, type_.value_type).dictionary_encode()
    if sys.byteorder != "little" or type_ not in BUILDERS:  # Arrow's buffers are little-endian
        return pa.array(values, type_)
    validity = _bitmap([value is not None for value in values]) if None in values else None
    data = BUILDERS[type_](values if validity is None else _filled(values, type_))
    if data is None:
        return pa.array(values, type_)
    return pa.Array.from_buffers(type_, len(values), [validity, *data])


def _strings(values: list[str]) -> list[pa.Buffer] | None:
    encoded = list(map(str.encode, values))
    offsets = array("i")
    try:
        offsets.extend(accumulate(map(len, encoded), initial=0))
    except OverflowError:  # over 2 GiB of text in one column: pa.array splits it into chunks
        return None
    return [pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]


def _filled(values: list, type_: pa.DataType) -> list:
    """Nulls replaced by a value of the type; the validity bitmap marks them."""
    blank = "" if type_ == pa.string() else False if type_ == pa.bool_() else 0
    return [blank if value is None else value for value in values]


BUILDERS = {
    pa.string(): _strings,
    pa.bool_(): lambda values: [_bitmap(values)],
    pa.float64(): lambda values: [pa.py_buffer(array("d", values))],
    pa.int32(): lambda values: [pa.py_buffer(array("i", values))],
    pa.int64(): lambda values: [pa.py_buffer(array("q", values))],
    # Nulls come filled with 0, a day count already.
    pa.date32(): lambda values: [pa.py_buffer(array("i", (value if isinstance(value, int)
                                                          else value.toordinal() - EPOCH for value in values)))],
}


def _bitmap(flags: list) -> pa.Buffer:
    """Arrow's bitmap of `flags`: bit i of the buffer, least significant first, is flags[i]."""
    bits = int("".join(["1" if flag else "0" for flag in reversed(flags)]) or "0", 2)
    return pa.py_buffer(bits.to_bytes((len(flags) + 7) // 8, "little"))
