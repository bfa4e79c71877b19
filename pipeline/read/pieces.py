"""The input cut into pieces that can be read and extracted apart, by any engine.

A piece is a batch of text files (with the tables that are read whole, CSV and JSONL),
or one row group of a Parquet table. Everything a piece's documents need from the rest
of the input is worked out when the pieces are planned and carried in the piece, so a
worker reads its piece alone and gives the same documents, with the same doc ids, as a
run that reads the input from start to end (pipeline/read/documents.py):

- a file's doc_id, made unique over every input (a.txt and a.md);
- a table row's key: its id, unless an earlier row of the table used it (id~2), found
  by reading the id column alone (Parquet) or by a pass over the lines (JSON Lines);
- a JSON Lines row's number, its line's, counted by that pass.

A Parquet table is cut by row group; a JSON Lines or CSV file of more than PIECE_BYTES
about every PIECE_BYTES, where a line (a CSV record: a quoted field may hold a line
break) ends, found by one pass of the parser (in UTF-8 or GB18030, where no byte of a
character is a line feed).

Text files are batched where the batch boundaries depend on the files' own names
(a new batch begins at a name whose hash ends in four zero bits, or at the limits), so
a file added or removed changes its own batch and not every batch after it; a rerun
finds the pieces of the last run again and reuses them (pipeline/partition.py).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass, field, replace
from typing import Iterator

import pyarrow.parquet as pq

from pipeline.read.documents import (
    PARSE_ERRORS,
    Document,
    RowProblem,
    cell_text,
    choose_columns,
    examine_head,
    file_problem,
    jsonl_rows,
    named_inputs,
    parse_json_object,
    read_inputs,
    read_parquet,
    table_documents,
    unique_key,
)
from pipeline.read.inputs import suffix_of

# A batch of files ends after this many files or bytes, whatever the names say.
BATCH_FILES = 64
BATCH_BYTES = 2 << 20
# A JSON Lines file is cut into pieces of about this many bytes.
PIECE_BYTES = 2 << 20
# Encodings in which a line feed byte is always a line feed.
LINE_SAFE = ("utf-8", "utf-8-sig", "gb18030")
# One batch boundary in 16 names, on average.
BOUNDARY_BITS = 4


@dataclass(frozen=True)
class Piece:
    number: int
    # (source, doc_id, why unread or None) of the files read whole.
    files: tuple[tuple[str, str, str | None], ...]
    # For one row group of a Parquet table: its index, the number of its first row, and
    # the keys of its rows whose id an earlier row used (row number -> key).
    row_group: int | None = None
    first_row: int = 1
    keys: dict[int, str] = field(default_factory=dict)
    # For a range of a JSON Lines file: its bytes [start, end), the file's encoding and
    # its column names (the first object's keys).
    byte_range: tuple[int, int] | None = None
    encoding: str | None = None
    names: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """What the piece is, whatever its number: a rerun finds its part by this."""
        text = json.dumps([self.files, self.row_group, sorted(self.keys.items()), self.byte_range],
                          ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def plan_pieces(paths, reader_options: dict) -> list[Piece]:
    """The pieces of the input under `paths`, numbered in input order."""
    inputs = named_inputs(paths, reader_options.get("follow_symlinks", False))
    pieces: list[Piece] = []
    batch: list[tuple[str, str, str | None]] = []
    size = 0
    for item in inputs:
        source, doc_id, unread = item
        cut = None if unread else _cut(item, reader_options)
        if cut is not None:
            _close(batch, pieces)
            batch, size = [], 0
            pieces.extend([replace(piece, number=len(pieces) + i) for i, piece in enumerate(cut)])
            continue
        if batch and (_boundary(doc_id) or len(batch) >= BATCH_FILES or size >= BATCH_BYTES):
            _close(batch, pieces)
            batch, size = [], 0
        batch.append(item)
        size += _size(source)
    _close(batch, pieces)
    return pieces


def read_piece(piece: Piece, reader_options: dict) -> Iterator[Document]:
    """The documents of a piece, as a run over the whole input reads them."""
    wanted = _wanted(reader_options)
    default_date = reader_options.get("default_date")
    source, doc_id, _ = piece.files[0]
    if piece.byte_range is not None:
        return _range_documents(piece, source, doc_id, wanted, default_date)
    if piece.row_group is None:
        return read_inputs(piece.files, wanted, default_date)
    return read_parquet(source, doc_id, wanted, default_date, piece.row_group, piece.first_row, piece.keys)


def _cut(item: tuple[str, str, str | None], reader_options: dict) -> list[Piece] | None:
    """The pieces of a table cut into several; None for a file that is one piece."""
    source = item[0]
    groups = parquet_groups(source, reader_options)
    if groups is not None:
        return [Piece(0, (item,), group, first, keys) for group, first, keys in groups]
    ranges = table_ranges(source, reader_options)
    if ranges is not None:
        encoding, names, cuts = ranges
        return [Piece(0, (item,), None, first, keys, span, encoding, names) for span, first, keys in cuts]
    return None


class Keys:
    """The keys a whole run gives a table's rows, seen in order (documents.unique_key: id,
    id~2 …); kept only where they differ from the row's own id."""

    def __init__(self):
        self.used: set[str] = set()
        self.renamed: dict[int, str] = {}

    def see(self, n: int, plain: str) -> None:
        key = unique_key(plain, self.used)
        if key != plain:
            self.renamed[n] = key

    def between(self, first: int, stop: int) -> dict[int, str]:
        """Those of rows first .. stop - 1."""
        return {n: key for n, key in self.renamed.items() if first <= n < stop}


def table_ranges(source: str, reader_options: dict):
    """(encoding, column names, [((start, end), first row, renamed keys)]) of a JSON Lines or
    CSV file of more than PIECE_BYTES; None for any other file, or one that cannot be read
    (it is then one piece, whose reading says what is wrong)."""
    suffix = suffix_of(source)
    if suffix not in (".jsonl", ".csv") or _size(source) <= PIECE_BYTES:
        return None
    try:
        encoding, _, blank = examine_head(source)
        if encoding not in LINE_SAFE or blank:
            return None
        return (_record_cuts if suffix == ".csv" else _line_cuts)(source, encoding, reader_options)
    except PARSE_ERRORS:
        return None


def _line_cuts(source: str, encoding: str, reader_options: dict):
    """One pass over the lines of a JSON Lines file: where each piece begins (a byte offset and
    a line number), and the keys a whole run renames (only when there is an id column)."""
    with open(source, encoding=encoding, newline="\n") as file:
        names, _ = jsonl_rows(file)
    found, reason = choose_columns(names or [], _wanted(reader_options))
    if names is None or reason:
        return None
    id_column = found["id"]
    cuts, keys = [], Keys()
    start = offset = 0
    first = line = 1
    with open(source, "rb") as file:
        for raw in file:
            if offset - start >= PIECE_BYTES:
                cuts.append(((start, offset), first))
                start, first = offset, line
            offset += len(raw)
            if id_column is not None and raw.strip():
                text = raw.decode(encoding if line == 1 else _after_head(encoding)).removesuffix("\n")
                row = parse_json_object(text)
                keys.see(line, str(line) if isinstance(row, RowProblem) else cell_text(row, id_column).strip() or str(line))
            line += 1
    cuts.append(((start, offset), first))
    return encoding, tuple(names), _with_keys(cuts, keys, line)


def _record_cuts(source: str, encoding: str, reader_options: dict):
    """One pass of the csv parser, fed a line at a time: it reads no further than the record
    it returns, so the byte offset where each record ends is known. Rows are numbered as
    csv.DictReader numbers them, blank lines skipped."""
    consumed = [0]

    def lines():
        with open(source, "rb") as file:
            for number, raw in enumerate(file):
                consumed[0] += len(raw)
                yield raw.decode(encoding if number == 0 else _after_head(encoding))

    reader = csv.reader(lines())
    names = next(reader, None)
    found, reason = choose_columns(names or [], _wanted(reader_options))
    if not names or reason:
        return None
    column = names.index(found["id"]) if found["id"] is not None else None
    cuts, keys = [], Keys()
    start, first, n = consumed[0], 1, 0
    for row in reader:
        if not row:
            continue
        n += 1
        keys.see(n, (row[column].strip() if column is not None and column < len(row) else "") or str(n))
        if consumed[0] - start >= PIECE_BYTES:
            cuts.append(((start, consumed[0]), first))
            start, first = consumed[0], n + 1
    cuts.append(((start, consumed[0]), first))
    return encoding, tuple(names), _with_keys(cuts, keys, n + 1)


def _with_keys(cuts: list, keys: Keys, stop: int) -> list:
    """Each cut (span, first row) with the renamed keys of its rows; `stop` is past the last."""
    bounds = [first for _, first in cuts[1:]] + [stop]
    return [(span, first, keys.between(first, bound)) for (span, first), bound in zip(cuts, bounds)]


def _after_head(encoding: str) -> str:
    """The encoding of a file's bytes after its start: a byte-order mark is only at the start."""
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _range_documents(piece: Piece, source: str, doc_id: str, wanted: dict, default_date) -> Iterator[Document]:
    start, end = piece.byte_range
    try:
        with open(source, "rb") as file:
            file.seek(start)
            text = file.read(end - start).decode(piece.encoding if start == 0 else _after_head(piece.encoding))
    except PARSE_ERRORS as exc:
        yield file_problem(source, doc_id, f"cannot read {source} bytes {start}-{end}: {exc}", default_date)
        return
    if suffix_of(source) == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""), fieldnames=list(piece.names))
        rows = enumerate(reader, piece.first_row)
    else:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        rows = ((n, parse_json_object(line)) for n, line in enumerate(lines, piece.first_row) if line.strip())
    yield from table_documents(source, doc_id, list(piece.names), rows, wanted, default_date, piece.keys)


def parquet_groups(source: str, reader_options: dict) -> list[tuple[int, int, dict]] | None:
    """(row group, its first row's number, renamed keys) of a Parquet table of more than one
    row group; None for any other file, and for a table that cannot be read (it is then
    one piece, whose reading says what is wrong)."""
    if suffix_of(source) != ".parquet":
        return None
    try:
        table = pq.ParquetFile(source)
        if table.num_row_groups < 2:
            return None
        found, reason = choose_columns(table.schema_arrow.names, _wanted(reader_options))
        if reason:
            return None
        keys = _parquet_keys(table, found["id"])
    except PARSE_ERRORS:
        return None
    groups, first = [], 1
    for group in range(table.num_row_groups):
        rows = table.metadata.row_group(group).num_rows
        groups.append((group, first, keys.between(first, first + rows)))
        first += rows
    return groups


def _parquet_keys(table: pq.ParquetFile, id_column: str | None) -> Keys:
    """The keys of the table's rows, from the id column alone."""
    keys, n = Keys(), 0
    if id_column is None:
        return keys
    for batch in table.iter_batches(batch_size=65536, columns=[id_column]):
        for value in batch.column(0).to_pylist():
            n += 1
            keys.see(n, cell_text({id_column: value}, id_column).strip() or str(n))
    return keys


def _wanted(reader_options: dict) -> dict:
    return {role: reader_options.get(f"{role}_column") for role in ("text", "id", "date", "title")}


def _boundary(doc_id: str) -> bool:
    return hashlib.sha1(doc_id.encode("utf-8")).digest()[-1] % (1 << BOUNDARY_BITS) == 0


def _size(source: str) -> int:
    try:
        return os.path.getsize(source)
    except OSError:
        return 0


def _close(batch: list, pieces: list[Piece]) -> None:
    if batch:
        pieces.append(Piece(len(pieces), tuple(batch)))

