"""Read input paths (text files, folders, tables) into documents.

Bad content never raises: it becomes a Document with a status and a reason, so a
batch goes on. Only a path that does not exist raises, as a usage error.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import charset_normalizer
import pyarrow
import pyarrow.parquet as pq

from pipeline.read.dates import normalise_date
from pipeline.read.inputs import TABLE_SUFFIXES, TEXT_SUFFIXES, list_inputs, suffix_of

# Column names tried in order when the caller names none (matched ignoring case).
COLUMN_NAMES = {"text": ("text", "content", "full_text", "body", "正文", "内容", "全文"),
                "id": ("id", "doc_id", "编号"),
                "date": ("date", "publish_date", "pubdate", "published", "发布日期", "发布时间", "日期", "时间"),
                "title": ("title", "标题", "题目")}

# A guessed encoding that yields more junk than this is almost certainly wrong.
MAX_JUNK_SHARE = 0.02
PARQUET_BATCH_ROWS = 256
# CSV and JSONL are streamed; the encoding is chosen from this much of the head, so
# memory stays flat however large the table is.
SAMPLE_BYTES = 1 << 20
HASH_CHUNK_BYTES = 1 << 20
BLANK_CHUNK_CHARS = 1 << 18
# What readers raise on a damaged table file; most pyarrow errors are also ValueError/OSError.
PARSE_ERRORS = (csv.Error, ValueError, OSError, pyarrow.ArrowException)

# A whole report sits in one CSV field, far beyond csv's 128 KB default. Not
# sys.maxsize: the limit is a C long, 32 bits on some platforms.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    text: str | None
    title: str | None
    date: str | None
    sha256: str
    status: str
    error: str | None
    # "column" when the date is a table cell's; otherwise it is the --date option's, if any.
    date_source: str | None = None
    # A table row's: the column read for each role (text, id, date, title; None: none).
    columns: dict | None = None


@dataclass(frozen=True)
class RowProblem:
    """A table row that could not be read; `line` is its raw text, for the hash."""
    reason: str
    line: str


def read_documents(paths: Iterable[str | os.PathLike], *, text_column=None, id_column=None,
                   date_column=None, title_column=None, default_date=None,
                   follow_symlinks: bool = False) -> Iterator[Document]:
    """One Document per text file and per table row, in a deterministic order. A link in a
    folder (to a file outside it, or to a folder) is a skipped document, left unread,
    unless `follow_symlinks`."""
    # Listed eagerly so that a mistyped path fails at the call, not halfway through a run.
    inputs = named_inputs(paths, follow_symlinks)
    wanted = {"text": text_column, "id": id_column, "date": date_column, "title": title_column}
    return read_inputs(inputs, wanted, default_date)


def named_inputs(paths, follow_symlinks: bool = False) -> list[tuple[str, str, str | None]]:
    """(source, doc_id, why it is left unread or None) for every input file under `paths`."""
    if isinstance(paths, (str, os.PathLike)):  # one path, not a string to iterate by character
        paths = [paths]
    inputs = [item for path in paths for item in list_inputs(path, follow_symlinks)]
    # a.txt and a.md, or one file given twice, would share a doc_id and so their fact ids.
    used: set[str] = set()
    return [(source, unique_key(doc_id, used), unread) for source, doc_id, unread in inputs]


def read_inputs(inputs, wanted: dict, default_date) -> Iterator[Document]:
    return (doc for source, doc_id, unread in inputs
            for doc in ([file_problem(source, doc_id, unread, default_date, "skipped", digest=sha256_hex(b""))]
                        if unread else read_file(source, doc_id, wanted, default_date)))


def read_file(source: str, doc_id: str, wanted: dict, default_date) -> Iterator[Document]:
    suffix = suffix_of(source)
    if suffix not in TEXT_SUFFIXES + TABLE_SUFFIXES:
        known = ", ".join(TEXT_SUFFIXES + TABLE_SUFFIXES)
        reason = f"unsupported file type '{suffix or '(none)'}' for {source}; expected one of {known}"
        yield file_problem(source, doc_id, reason, default_date)
    elif suffix in TEXT_SUFFIXES:
        yield read_text_file(source, doc_id, default_date)
    elif suffix == ".parquet":
        yield from read_parquet(source, doc_id, wanted, default_date)
    else:
        yield from read_table_file(source, doc_id, wanted, default_date)


def read_text_file(source: str, doc_id: str, default_date) -> Document:
    # A text file is one document, so it is held whole anyway.
    try:
        raw = Path(source).read_bytes()
    except OSError as exc:
        return file_problem(source, doc_id, f"cannot read {source}: {exc}", default_date,
                            digest=sha256_hex(b""))
    _, text, reason = choose_encoding(raw, whole=True)
    if text is None:
        return file_problem(source, doc_id, f"cannot decode {source}: {reason}", default_date,
                            digest=sha256_hex(raw))
    if not text.strip():
        return file_problem(source, doc_id, f"{source}: empty document", default_date, "skipped",
                            digest=sha256_hex(raw))
    return Document(doc_id, source, text, None, default_date, sha256_hex(raw), "ok", None)


def read_table_file(source: str, doc_id: str, wanted: dict, default_date) -> Iterator[Document]:
    """CSV or JSONL rows, streamed from the file: only its head is ever held whole."""
    try:
        encoding, reason, blank = examine_head(source)
    except OSError as exc:
        yield file_problem(source, doc_id, f"cannot read {source}: {exc}", default_date,
                           digest=sha256_hex(b""))
        return
    if encoding is None:
        yield file_problem(source, doc_id, f"cannot decode {source}: {reason}", default_date)
    elif blank:
        yield file_problem(source, doc_id, f"{source}: empty document", default_date, "skipped")
    else:
        yield from stream_table(source, doc_id, encoding, wanted, default_date)


def examine_head(source: str) -> tuple[str | None, str | None, bool]:
    """(encoding, None, whether the file is blank), or (None, why not, False)."""
    # In a function of its own so that the sample is freed before the rows stream.
    with open(source, "rb") as file:
        sample = file.read(SAMPLE_BYTES)
        whole = not file.read(1)
    encoding, text, reason = choose_encoding(sample, whole)
    if encoding is None:
        return None, reason, False
    return encoding, None, not text.strip() and (whole or is_blank_file(source, encoding))


def choose_encoding(sample: bytes, whole: bool) -> tuple[str | None, str | None, str | None]:
    """(encoding, the sample's text, None), or (None, None, why not).

    `whole` says the sample is the whole file, so it must not end mid-character.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        text = decode_head(sample, encoding, whole)
        if text is not None:
            return encoding, text, None
    best = detect_encoding(sample, whole)
    if best is None:
        return None, None, "not UTF-8 or GB18030 (no other encoding fits)"
    if not is_plausible(str(best)):
        return None, None, f"not UTF-8 or GB18030 (best guess {best.encoding} gives garbage)"
    return best.encoding, str(best), None


def decode_head(sample: bytes, encoding: str, whole: bool) -> str | None:
    # Incremental, so that a character cut by the end of a partial sample is left
    # pending instead of failing; strict, so that a wrong encoding does fail.
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=whole)
    except UnicodeDecodeError:
        return None


def detect_encoding(sample: bytes, whole: bool):
    """charset_normalizer's best match for the sample, or None."""
    # It decodes strictly, so a character cut by the end of a partial sample would
    # rule out the right encoding: retry without up to three trailing bytes.
    for cut in range(1 if whole else 4):
        best = charset_normalizer.from_bytes(sample[:len(sample) - cut]).best()
        if best is not None:
            return best
    return None


def is_plausible(text: str) -> bool:
    junk = sum(1 for ch in text if ch == "\ufffd"
               or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t"))
    return "\x00" not in text and junk <= MAX_JUNK_SHARE * len(text)


def is_blank_file(source: str, encoding: str) -> bool:
    """Whether the whole file is whitespace, read a chunk at a time."""
    try:
        with open(source, encoding=encoding, newline="") as file:
            chunks = iter(lambda: file.read(BLANK_CHUNK_CHARS), "")
            return all(not chunk.strip() for chunk in chunks)
    except PARSE_ERRORS:  # not blank; the row reader will report what is wrong
        return False


def stream_table(source: str, doc_id: str, encoding: str, wanted: dict,
                 default_date) -> Iterator[Document]:
    is_csv = suffix_of(source) == ".csv"
    # csv splits lines itself (quoted fields hold line breaks); JSONL is split on "\n"
    # only, since JSON strings may hold U+2028 and friends.
    try:
        file = open(source, encoding=encoding, newline="" if is_csv else "\n")
    except OSError as exc:
        yield file_problem(source, doc_id, f"cannot read {source}: {exc}", default_date)
        return
    # A generator holding the file in `with`: closing it, or dropping it after the
    # consumer stops early, closes the file.
    with file:
        try:
            names, rows = csv_rows(file) if is_csv else jsonl_rows(file)
        except PARSE_ERRORS as exc:  # the header itself is unreadable
            yield file_problem(source, doc_id, f"cannot parse {source}: {exc}", default_date)
            return
        if names is None:
            reason = f"cannot parse {source}: no line holds a JSON object"
            yield file_problem(source, doc_id, reason, default_date)
        else:
            yield from table_documents(source, doc_id, names, rows, wanted, default_date)


def csv_rows(file):
    """Column names (read now), (row number, row) read as they are asked for."""
    reader = csv.DictReader(file)
    return reader.fieldnames or [], enumerate(reader, 1)


def jsonl_rows(file):
    """Column names (the first object's keys; None if no line holds one), (line number, row)."""
    # Two passes rather than holding the lines before the first object, which could
    # be the whole file; usually the first pass stops at line 1.
    names = next((list(row) for _, row in jsonl_items(file) if isinstance(row, dict)), None)
    file.seek(0)
    return names, jsonl_items(file)


def jsonl_items(file) -> Iterator[tuple[int, dict | RowProblem]]:
    for n, line in enumerate(file, 1):
        line = line.removesuffix("\n")
        if line.strip():
            yield n, parse_json_object(line)


def parse_json_object(line: str) -> dict | RowProblem:
    try:
        value = json.loads(line)
    except ValueError as exc:
        return RowProblem(f"invalid JSON ({exc})", line)
    if not isinstance(value, dict):
        return RowProblem(f"not a JSON object ({type(value).__name__})", line)
    return value


def read_parquet(source: str, doc_id: str, wanted: dict, default_date, row_group: int | None = None,
                 first_row: int = 1, keys: dict[int, str] | None = None) -> Iterator[Document]:
    """The rows of a Parquet table, or of one of its row groups (pipeline/read/pieces.py:
    its first row's number and the keys of its rows whose id an earlier row used)."""
    try:
        table = pq.ParquetFile(source)
    except PARSE_ERRORS as exc:
        yield file_problem(source, doc_id, f"cannot parse {source}: {exc}", default_date)
        return
    names = table.schema_arrow.names
    found, _ = choose_columns(names, wanted)
    needed = [name for name in names if name in found.values()]
    rows = enumerate(parquet_rows(table, needed, row_group), first_row)
    yield from table_documents(source, doc_id, names, rows, wanted, default_date, keys)


def parquet_rows(table: pq.ParquetFile, needed: list[str], row_group: int | None = None) -> Iterator[dict]:
    # A generator, so read errors surface inside table_documents' guarded next().
    # Small batches of only the needed columns keep memory flat on large files.
    groups = None if row_group is None else [row_group]
    for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=needed, row_groups=groups):
        yield from batch.to_pylist()


def table_documents(source, doc_id, names, rows, wanted, default_date, keys: dict[int, str] | None = None):
    """One Document per item of `rows`: (row number, dict or RowProblem). `keys` gives the
    key of a row whose id an earlier part of the table used (pipeline/read/pieces.py)."""
    found, reason = choose_columns(names, wanted)
    if reason:
        yield file_problem(source, doc_id, f"{source}: {reason}", default_date)
        return
    used: set[str] = set()

    def key_of(n: int, plain: str) -> str:
        return unique_key(plain, used) if keys is None else keys.get(n, plain)
    done = 0
    while True:
        try:
            item = next(rows, None)
        except PARSE_ERRORS as exc:  # the rest of the file is unreadable; keep what was read
            reason = f"cannot parse {source} after {done} rows: {exc}"
            yield file_problem(source, doc_id, reason, default_date)
            return
        if item is None:
            return
        yield row_document(source, doc_id, *item, found, key_of, default_date)
        done += 1


def choose_columns(names, wanted: dict) -> tuple[dict, str | None]:
    """Role -> column name (None if absent), or the reason the table cannot be read."""
    # reversed: of two names differing only in case, the first wins
    lowered = {str(name).lower(): name for name in reversed(names)}
    chosen = {}
    for role, candidates in COLUMN_NAMES.items():
        given = wanted[role]
        if given is not None and given not in names:
            return {}, f"{role} column '{given}' not found; columns are {list(names)}"
        chosen[role] = given or next((lowered[c] for c in candidates if c in lowered), None)
    if chosen["text"] is None:
        looked = ", ".join(COLUMN_NAMES["text"])
        return {}, f"no text column (looked for {looked}); columns are {list(names)}"
    return chosen, None


def row_document(source, doc_id, n, row, found: dict, key_of, default_date) -> Document:
    where = f"{source} row {n}"
    if isinstance(row, RowProblem):
        return Document(f"{doc_id}#{key_of(n, str(n))}", source, None, None, default_date,
                        sha256_hex(row.line.encode("utf-8")), "error", f"{where}: {row.reason}")
    key = key_of(n, cell_text(row, found["id"]).strip() or str(n))
    date = normalise_date(row.get(found["date"])) if found["date"] else default_date
    date_source = "column" if found["date"] and date else None
    title = cell_text(row, found["title"]).strip() or None
    text = row.get(found["text"])
    status, error = "ok", None
    if text is not None and not isinstance(text, str):
        status, error = "error", f"{where}: text is {type(text).__name__}, not a string"
    elif not text or not text.strip():
        status, error = "skipped", f"{where}: no text"
    return Document(f"{doc_id}#{key}", source, text if status == "ok" else None, title, date,
                    sha256_hex(cell_text(row, found["text"]).encode("utf-8")), status, error, date_source, found)


def cell_text(row: dict, column) -> str:
    # csv files surplus fields under the key None, so a missing column must not look it up.
    value = row.get(column) if column is not None else None
    return "" if value is None else str(value)


def unique_key(key: str, used: set[str]) -> str:
    """The key, or key~2, key~3 ... so that rows sharing an id within a table all survive."""
    candidate, n = key, 1
    while candidate in used:
        n += 1
        candidate = f"{key}~{n}"
    used.add(candidate)
    return candidate


def file_problem(source, doc_id, reason, default_date, status="error", *,
                 digest: str | None = None) -> Document:
    """A Document for a whole file; without `digest`, the file's bytes are hashed."""
    return Document(doc_id, source, None, None, default_date, digest or file_sha256(source),
                    status, reason)


def file_sha256(source: str) -> str:
    """sha256 of the file's bytes, read a chunk at a time; of no bytes if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as file:
            for chunk in iter(lambda: file.read(HASH_CHUNK_BYTES), b""):
                digest.update(chunk)
    except OSError:
        return sha256_hex(b"")
    return digest.hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
