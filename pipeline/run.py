"""Run a batch: read documents, extract their facts, write facts.parquet and docs.parquet.

Documents stream through: each is read, extracted and written before the
next is held in full, so memory does not grow with the batch. With jobs > 1
documents are extracted in worker processes, and results come back in input
order, so the output is the same whatever the number of jobs.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
from tqdm import tqdm

from pipeline import __version__
from pipeline.fact import DocRow
from pipeline.paths import DEFAULT_RULES
from pipeline.read.documents import Document, read_documents
from pipeline.read.inputs import known_count
from pipeline.ruleset.files import rules_digest
from pipeline.ruleset.load import RuleSet, load_rules
from pipeline.work import TIME_LIMIT, doc_row, extract_document, taken
from pipeline.write.journal import Journal
from pipeline.write.output import DOCS_FILE, FACTS_FILE, OutputFolder, file_entries
from pipeline.write.parquet import COMPACT_ROWS, DOC_SCHEMA, FACT_SCHEMA, ParquetSink, Rows, table
from pipeline.write.parts import PartsPrevious, remove_parts
from pipeline.write.reuse import Previous, reuse_key

# Documents go to a worker in tasks of up to this many, or this many characters, and this
# many tasks per worker wait in line.
TASK_DOCUMENTS = 16
TASK_CHARACTERS = 32_000
TASKS_WAITING = 4
# How many skipped or failed documents a run names on stderr; the rest are counted.
PROBLEMS_SHOWN = 20
# Fact rows held before a row group is written: about 2 KB each in memory.
ROW_GROUP_ROWS = 10_000


@dataclass
class Summary:
    documents: int = 0
    ok: int = 0
    skipped: int = 0
    errors: int = 0
    facts: int = 0
    characters: int = 0
    seconds: float = 0.0
    # The first PROBLEMS_SHOWN documents skipped or failed: (doc_id, status, reason).
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    # Documents taken from the journal of a killed run instead of extracted again.
    reused: int = 0
    # Documents unchanged since the last run into the same folder, their rows copied.
    unchanged: int = 0
    # Each table's source and the columns its rows were read from.
    columns: dict[str, dict] = field(default_factory=dict)

    def add(self, row: DocRow) -> None:
        """Counts a document written."""
        self.documents += 1
        self.facts += row.facts
        self.characters += row.characters
        if row.status == "ok":
            self.ok += 1
            return
        if row.status == "skipped":
            self.skipped += 1
        else:
            self.errors += 1
        if len(self.problems) < PROBLEMS_SHOWN:
            self.problems.append((row.doc_id, row.status, row.error or ""))

    def line(self, out_dir: Path) -> str:
        reused = f", {self.reused} of them finished by an interrupted run" if self.reused else ""
        if self.unchanged:
            reused += f", {self.unchanged} of them unchanged since the last run and not extracted again"
        return (f"{self.documents} documents ({self.ok} ok, {self.skipped} skipped, {self.errors} errors{reused}), "
                f"{self.facts} facts, {self.characters} characters in {self.seconds:.2f} s -> {out_dir}")


def run_extract(paths: Iterable[str | Path], out_dir: str | Path, rules_dir: str | Path = DEFAULT_RULES,
                jobs: int = 1, progress: bool | None = None, time_limit: float | None = TIME_LIMIT,
                reproducible: bool = False, **reader_options) -> Summary:
    """Extract every document under `paths` into out_dir/facts.parquet and out_dir/docs.parquet.
    A document whose extraction takes longer than `time_limit` seconds per million characters
    (a million at least; None: no limit) is an error row, and the batch goes on. With
    `reproducible`, the same inputs and rules give the same bytes (run_metadata)."""
    began = time.perf_counter()
    paths = list(paths)
    documents = read_documents(paths, **reader_options)
    metadata = run_metadata(rules_digest(rules_dir), reader_options, paths, reproducible)
    out_dir = Path(out_dir)
    summary = Summary()
    show = sys.stderr.isatty() if progress is None else progress
    with OutputFolder(out_dir) as folder:
        key = reuse_key(metadata)
        # The last run's rows, from its two files or, when it ran on Dask, its parts.
        previous = Previous.open(out_dir / FACTS_FILE, out_dir / DOCS_FILE, key) or PartsPrevious.open(out_dir, key)
        rules = Rules(rules_dir, now=previous is None)
        journal = Journal(out_dir, {**{k: v for k, v in metadata.items() if k not in ("run_time",)},
                                    "time_limit": time_limit})
        with ParquetSink(out_dir / FACTS_FILE, FACT_SCHEMA, metadata, ROW_GROUP_ROWS) as facts, \
             ParquetSink(out_dir / DOCS_FILE, DOC_SCHEMA, metadata, ROW_GROUP_ROWS) as docs:
            documents = _resumed(journal, iter(documents), facts, docs, summary)
            results = _extracted(documents, rules, jobs, time_limit, previous, summary)
            # The bar waits a second before it shows, so a run of a few documents prints none.
            total = known_count(paths, reader_options.get("follow_symlinks", False)) if show else None
            results = tqdm(results, disable=not show, delay=1.0, unit="doc", file=sys.stderr, total=total,
                           initial=summary.documents)
            _write(results, (facts, docs), journal, folder, summary)
        folder.write_manifest(file_entries(out_dir, [FACTS_FILE, DOCS_FILE]),
                              {"layout": "file", "pipeline_version": __version__, "rules_digest": metadata["rules_digest"],
                               "documents": summary.documents, "facts": summary.facts})
        remove_parts(out_dir)
        journal.remove()
    summary.seconds = time.perf_counter() - began
    return summary


class Rules:
    """The rule set, loaded when first needed: a rerun whose every document is unchanged
    since the last run loads none. `now` loads (and so checks) them at once."""

    def __init__(self, directory: str | Path, now: bool):
        self.directory = directory
        self._rules = load_rules(directory, check=False) if now else None

    def get(self) -> RuleSet:
        if self._rules is None:
            self._rules = load_rules(self.directory, check=False)
        return self._rules


def run_metadata(digest: str, reader_options: dict, paths: list, reproducible: bool) -> dict[str, str]:
    """The key-value metadata of both Parquet files. The run's time is SOURCE_DATE_EPOCH's
    when it is set; `reproducible` leaves out what differs from machine to machine (the
    working folder; the inputs as given, not as absolute paths) and the time, unless
    SOURCE_DATE_EPOCH sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else None
    if when is None and not reproducible:
        when = datetime.now(timezone.utc)
    metadata = {"pipeline_version": __version__, "rules_digest": digest,
                # `report` re-reads the sources: table rows need the same columns chosen,
                # and a relative source path the folder it was relative to.
                "reader_options": json.dumps(reader_options, ensure_ascii=False, sort_keys=True),
                # `report` opens only files under these (a docs.parquet may name any path).
                "inputs": json.dumps([os.fspath(path) if reproducible else os.path.realpath(path)
                                      for path in paths], ensure_ascii=False)}
    if when is not None:
        metadata["run_time"] = when.isoformat(timespec="seconds")
    if not reproducible:
        metadata["working_dir"] = os.getcwd()
    return metadata


def _write(results, sinks: tuple[ParquetSink, ParquetSink], journal: Journal, folder: OutputFolder,
           summary: Summary) -> None:
    """Writes each extracted document's rows, in input order, and keeps the journal."""
    facts, docs = sinks
    held = Held()
    try:
        for row, rows, source, columns in results:
            if columns is not None:
                summary.columns.setdefault(source, columns)
            held.add(row, rows)
            summary.add(row)
            if held.facts.count >= COMPACT_ROWS:
                held.write(facts, docs, journal)
            folder.check()
        held.write(facts, docs, journal)
    except (KeyboardInterrupt, SystemExit):
        # Ctrl-C or SIGTERM: what was finished since the journal was last written is kept.
        held.write(None, None, journal)
        journal.flush()
        raise


class Held:
    """The rows of the documents finished since the last write, turned into one Arrow table
    that both the facts file and the journal take: each row is converted once."""

    def __init__(self):
        self.docs: list[DocRow] = []
        self.facts = Rows(FACT_SCHEMA)

    def add(self, doc: DocRow, facts: "list | pa.Table") -> None:
        self.docs.append(doc)
        self.facts.add(facts)

    def write(self, facts: ParquetSink | None, docs: ParquetSink | None, journal: Journal) -> None:
        if not self.docs:
            return
        table = self.facts.table()
        if facts is not None:
            facts.write(table)
            docs.write(self.docs)
        journal.add(self.docs, table)
        self.docs, self.facts = [], Rows(FACT_SCHEMA)


def _resumed(journal: Journal, documents: Iterator[Document], facts: ParquetSink, docs: ParquetSink,
             summary: Summary) -> Iterator[Document]:
    """Writes the documents a killed run finished (pipeline/write/journal.py) while the input
    begins with them, unchanged; returns the documents still to extract."""
    for finished, fact_rows in journal.finished():
        document = next(documents, None)
        if document is None or (document.doc_id, document.sha256) != (finished.doc_id, finished.sha256):
            journal.reset()
            return documents if document is None else chain([document], documents)
        facts.write(fact_rows)
        docs.write([finished])
        summary.add(finished)
        summary.reused += 1
    return documents


def _extracted(documents: Iterator[Document], rules: Rules, jobs: int, time_limit: float | None,
               previous: Previous | PartsPrevious | None, summary: Summary):
    """(docs row, fact rows, source, columns read) in input order: a document unchanged since
    the last run takes its rows from it; the others are extracted, in worker processes when
    jobs > 1."""
    if jobs > 1:
        yield from _extracted_in_pool(documents, rules, jobs, time_limit, previous, summary)
        return
    for document in documents:
        rows = previous.take(document) if previous else None
        if rows is None:
            yield _done(extract_document(document, rules.get(), time_limit))
        else:
            yield _taken(document, rows, summary)


def _extracted_in_pool(documents: Iterator[Document], rules: Rules, jobs: int, time_limit: float | None,
                       previous: Previous | PartsPrevious | None, summary: Summary):
    """As _extracted, with documents sent to the workers in tasks of a few, and a few tasks per
    worker always waiting: a worker never idles while the main process waits for the first
    task in input order (as it did at the end of each batch of a batch-by-batch feed), and
    no more than those documents are held."""
    pool, finished = None, False
    pending: deque = deque()  # in input order: a task's result, or a document and its rows taken
    task: list[Document] = []

    def send() -> None:
        nonlocal pool, task
        pool = pool or _pool(rules, jobs, time_limit)
        pending.append(pool.apply_async(_extract_in_worker, (task,)))
        task = []

    try:
        for document in documents:
            rows = previous.take(document) if previous else None
            if rows is None:
                task.append(document)
            if task and (rows is not None or len(task) >= TASK_DOCUMENTS
                         or sum(len(d.text or "") for d in task) >= TASK_CHARACTERS):
                send()
            if rows is not None:
                pending.append((document, rows))
            while len(pending) > TASKS_WAITING * jobs:
                yield from _results(pending.popleft(), summary)
        if task:
            send()
        while pending:
            yield from _results(pending.popleft(), summary)
        finished = True
    finally:
        if pool is not None:
            # Workers that finished leave on their own; a signal to a worker waiting on the
            # task queue's lock has been seen to leave it waiting for ever.
            pool.close() if finished else pool.terminate()
            pool.join()


def _results(item, summary: Summary):
    if isinstance(item, tuple):
        yield _taken(*item, summary)
    else:
        yield from item.get()


def _taken(document: Document, rows: pa.Table, summary: Summary) -> tuple:
    """A document whose rows were taken from the last run, counted, as the writer takes it."""
    summary.unchanged += 1
    return _done(taken(document, rows))


def _pool(rules: Rules, jobs: int, time_limit: float | None):
    global _worker_rules, _worker_time_limit
    # Checked once here rather than failing in every worker; a forked worker inherits the
    # rules loaded here, where loading them again costs each worker most of a second.
    _worker_rules, _worker_time_limit = rules.get(), time_limit
    if sys.platform == "linux":
        return multiprocessing.get_context("fork").Pool(jobs)
    return multiprocessing.get_context("spawn").Pool(jobs, initializer=_start_worker,
                                                     initargs=(str(rules.directory), time_limit))


_worker_rules: RuleSet | None = None
_worker_time_limit: float | None = None


def _start_worker(rules_dir: str, time_limit: float | None) -> None:
    global _worker_rules, _worker_time_limit
    _worker_rules = load_rules(rules_dir, check=False)
    _worker_time_limit = time_limit


def _extract_in_worker(documents: list[Document]) -> list[tuple]:
    results = []
    for document in documents:
        row, rows, source, columns = _done(extract_document(document, _worker_rules, _worker_time_limit))
        # An Arrow table crosses to the main process as a few buffers, where Fact objects are
        # pickled and built again one by one: the main process, which also reads and writes,
        # keeps up with more workers.
        results.append((row, table(rows, FACT_SCHEMA), source, columns))
    return results


def _done(result: tuple) -> tuple:
    """A document's extraction as the writer takes it: (docs row, rows, source, columns)."""
    document, rows, error, dated = result
    return doc_row(document, rows, error, dated), rows, document.source, document.columns

