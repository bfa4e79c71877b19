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
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain, islice
from pathlib import Path
from typing import Iterable, Iterator

from tqdm import tqdm

from pipeline import __version__
from pipeline.extract import extract_facts
from pipeline.fact import DocRow, Fact
from pipeline.paths import DEFAULT_RULES
from pipeline.read.dates import document_date
from pipeline.read.documents import Document, read_documents
from pipeline.read.inputs import known_count
from pipeline.ruleset.load import RuleSet, load_rules
from pipeline.write.journal import Journal
from pipeline.write.output import OutputFolder
from pipeline.write.parquet import DOC_SCHEMA, FACT_SCHEMA, ParquetSink

BATCH_PER_JOB = 16
# The seconds a document of up to a million characters may take to extract, and per
# million characters beyond: about 20 times what the reports take on a slow machine, so
# only a pathological input (a rule's catastrophic pattern) meets it.
TIME_LIMIT = 60.0
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
    # Each table's source and the columns its rows were read from.
    columns: dict[str, dict] = field(default_factory=dict)

    def line(self, out_dir: Path) -> str:
        reused = f", {self.reused} of them finished by an interrupted run" if self.reused else ""
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
    rules = load_rules(rules_dir, check=False)
    paths = list(paths)
    documents = read_documents(paths, **reader_options)
    metadata = run_metadata(rules.digest, reader_options, paths, reproducible)
    out_dir = Path(out_dir)
    summary = Summary()
    show = sys.stderr.isatty() if progress is None else progress
    with OutputFolder(out_dir) as folder:
        journal = Journal(out_dir, {**{k: v for k, v in metadata.items() if k not in ("run_time",)},
                                    "time_limit": time_limit})
        with ParquetSink(out_dir / "facts.parquet", FACT_SCHEMA, metadata, ROW_GROUP_ROWS) as facts, \
             ParquetSink(out_dir / "docs.parquet", DOC_SCHEMA, metadata, ROW_GROUP_ROWS) as docs:
            documents = _resumed(journal, iter(documents), facts, docs, summary)
            results = _extracted(documents, rules, rules_dir, jobs, time_limit)
            # The bar waits a second before it shows, so a run of a few documents prints none.
            total = known_count(paths, reader_options.get("follow_symlinks", False)) if show else None
            results = tqdm(results, disable=not show, delay=1.0, unit="doc", file=sys.stderr, total=total,
                           initial=summary.documents)
            _write(results, (facts, docs), journal, folder, summary)
        folder.write_manifest(["facts.parquet", "docs.parquet"],
                              {"pipeline_version": __version__, "rules_digest": rules.digest,
                               "documents": summary.documents, "facts": summary.facts})
        journal.remove()
    summary.seconds = time.perf_counter() - began
    return summary


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
    try:
        for document, rows, error, dated in results:
            if document.columns is not None:
                summary.columns.setdefault(document.source, document.columns)
            facts.write(rows)
            row = _doc_row(document, rows, error, dated)
            docs.write([row])
            journal.add(row, rows)
            _count(summary, row)
            folder.check()
    except (KeyboardInterrupt, SystemExit):
        # Ctrl-C or SIGTERM: what was finished since the journal was last written is kept.
        journal.flush()
        raise


def _resumed(journal: Journal, documents: Iterator[Document], facts: ParquetSink, docs: ParquetSink,
             summary: Summary) -> Iterator[Document]:
    """Writes the documents a killed run finished (pipeline/write/journal.py) while the input
    begins with them, unchanged; returns the documents still to extract."""
    for doc_row, fact_rows in journal.finished():
        document = next(documents, None)
        if document is None or (document.doc_id, document.sha256) != (doc_row.doc_id, doc_row.sha256):
            journal.reset()
            return documents if document is None else chain([document], documents)
        facts.write(fact_rows)
        docs.write([doc_row])
        _count(summary, doc_row)
        summary.reused += 1
    return documents


def _extracted(documents: Iterator[Document], rules: RuleSet, rules_dir, jobs: int, time_limit: float | None):
    if jobs <= 1:
        for document in documents:
            yield _extract_one(document, rules, time_limit)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(jobs, initializer=_start_worker, initargs=(str(rules_dir), time_limit)) as pool:
        # Pool.imap would read the whole input ahead; a batch at a time keeps memory flat.
        while batch := list(islice(documents, BATCH_PER_JOB * jobs)):
            yield from pool.imap(_extract_in_worker, batch, chunksize=2)


_worker_rules: RuleSet | None = None
_worker_time_limit: float | None = None


def _start_worker(rules_dir: str, time_limit: float | None) -> None:
    global _worker_rules, _worker_time_limit
    _worker_rules = load_rules(rules_dir, check=False)
    _worker_time_limit = time_limit


def _extract_in_worker(document: Document):
    return _extract_one(document, _worker_rules, _worker_time_limit)


class TimeLimitExceeded(Exception):
    pass


@contextmanager
def _time_limit(seconds: float | None):
    """Raises TimeLimitExceeded in the block once `seconds` have passed. The regex engines
    look at signals while they match, so a catastrophic pattern is stopped too. Only where
    a timer signal can be had (the main thread, not Windows); elsewhere no limit."""
    if (seconds is None or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded(f"extraction took longer than its time limit of {seconds:g} s (--time-limit)")

    previous = signal.signal(signal.SIGALRM, expire)
    # Again every second after: an exception raised while Python finalises an object is
    # dropped, and the limit must still hold.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _extract_one(document: Document, rules: RuleSet, time_limit: float | None = TIME_LIMIT):
    """(document, rows, error, (date, date_source)): a failure inside extraction, or a time
    limit met, is recorded, never raised. The date is its table cell's, else one the text
    prints, else the --date option's (read.dates.document_date)."""
    if document.status != "ok":
        return document, [], None, (document.date, document.date_source or ("option" if document.date else "none"))
    dated = document_date(document.date, document.date_source, document.text)
    seconds = None if time_limit is None else time_limit * max(1.0, len(document.text) / 1e6)
    try:
        with _time_limit(seconds):
            facts = extract_facts(document.text, rules, document.doc_id, dated[0], document.title)
        return document, facts, None, dated
    except TimeLimitExceeded as exc:
        return document, [], str(exc), dated
    except Exception as exc:  # one bad document must not stop the batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        error = f"extraction failed: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        return document, [], error, dated


def _doc_row(document: Document, facts: list[Fact], error: str | None, dated: tuple[str | None, str]) -> DocRow:
    return DocRow(doc_id=document.doc_id, source=document.source, sha256=document.sha256,
                  characters=len(document.text) if document.text is not None else 0,
                  facts=len(facts), title=document.title, date=dated[0], date_source=dated[1],
                  status="error" if error else document.status, error=error or document.error)


def _count(summary: Summary, row: DocRow) -> None:
    summary.documents += 1
    summary.facts += row.facts
    summary.characters += row.characters
    if row.status == "ok":
        summary.ok += 1
        return
    if row.status == "skipped":
        summary.skipped += 1
    else:
        summary.errors += 1
    if len(summary.problems) < PROBLEMS_SHOWN:
        summary.problems.append((row.doc_id, row.status, row.error or ""))
