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
import traceback
from dataclasses import dataclass
from itertools import islice
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from tqdm import tqdm

from pipeline import __version__
from pipeline.read.documents import Document, read_documents
from pipeline.extract import extract_facts
from pipeline.fact import DocRow, Fact
from pipeline.read.dates import document_date
from pipeline.paths import DEFAULT_RULES
from pipeline.ruleset.load import RuleSet, load_rules
from pipeline.write.parquet import DOC_SCHEMA, FACT_SCHEMA, ParquetSink

BATCH_PER_JOB = 16
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

    def line(self, out_dir: Path) -> str:
        return (f"{self.documents} documents ({self.ok} ok, {self.skipped} skipped, {self.errors} errors), "
                f"{self.facts} facts, {self.characters} characters in {self.seconds:.2f} s -> {out_dir}")


def run_extract(paths: Iterable[str | Path], out_dir: str | Path, rules_dir: str | Path = DEFAULT_RULES,
                jobs: int = 1, progress: bool | None = None, **reader_options) -> Summary:
    """Extract every document under `paths` into out_dir/facts.parquet and out_dir/docs.parquet."""
    began = time.perf_counter()
    rules = load_rules(rules_dir, check=False)
    documents = read_documents(list(paths), **reader_options)
    metadata = {"pipeline_version": __version__, "rules_digest": rules.digest,
                "run_time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                # `report` re-reads the sources: table rows need the same columns chosen,
                # and a relative source path the folder it was relative to.
                "reader_options": json.dumps(reader_options, ensure_ascii=False, sort_keys=True),
                "working_dir": os.getcwd()}
    out_dir = Path(out_dir)
    summary = Summary()
    show = sys.stderr.isatty() if progress is None else progress
    with ParquetSink(out_dir / "facts.parquet", FACT_SCHEMA, metadata, ROW_GROUP_ROWS) as facts, \
         ParquetSink(out_dir / "docs.parquet", DOC_SCHEMA, metadata, ROW_GROUP_ROWS) as docs:
        results = _extracted(documents, rules, rules_dir, jobs)
        # The bar waits a second before it shows, so a run of a few documents prints none.
        for document, rows, error, dated in tqdm(results, disable=not show, delay=1.0, unit="doc",
                                                 file=sys.stderr):
            facts.write(rows)
            docs.write([_doc_row(document, rows, error, dated)])
            _count(summary, document, rows, error)
    summary.seconds = time.perf_counter() - began
    return summary


def _extracted(documents: Iterator[Document], rules: RuleSet, rules_dir, jobs: int):
    if jobs <= 1:
        for document in documents:
            yield _extract_one(document, rules)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(jobs, initializer=_start_worker, initargs=(str(rules_dir),)) as pool:
        # Pool.imap would read the whole input ahead; a batch at a time keeps memory flat.
        while batch := list(islice(documents, BATCH_PER_JOB * jobs)):
            yield from pool.imap(_extract_in_worker, batch, chunksize=2)


_worker_rules: RuleSet | None = None


def _start_worker(rules_dir: str) -> None:
    global _worker_rules
    _worker_rules = load_rules(rules_dir, check=False)


def _extract_in_worker(document: Document):
    return _extract_one(document, _worker_rules)


def _extract_one(document: Document, rules: RuleSet):
    """(document, rows, error, (date, date_source)): a failure inside extraction is recorded,
    never raised. The date is its table cell's, else one the text prints, else the --date
    option's (read.dates.document_date)."""
    if document.status != "ok":
        return document, [], None, (document.date, document.date_source or ("option" if document.date else "none"))
    dated = document_date(document.date, document.date_source, document.text)
    try:
        facts = extract_facts(document.text, rules, document.doc_id, dated[0], document.title)
        return document, facts, None, dated
    except Exception as exc:  # one bad document must not stop the batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        error = f"extraction failed: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        return document, [], error, dated


def _doc_row(document: Document, facts: list[Fact], error: str | None, dated: tuple[str | None, str]) -> DocRow:
    return DocRow(doc_id=document.doc_id, source=document.source, sha256=document.sha256,
                  characters=len(document.text) if document.text is not None else 0,
                  facts=len(facts), title=document.title, date=dated[0], date_source=dated[1],
                  status="error" if error else document.status, error=error or document.error)


def _count(summary: Summary, document: Document, rows: list[Fact], error: str | None) -> None:
    summary.documents += 1
    summary.facts += len(rows)
    summary.characters += len(document.text or "")
    status = "error" if error else document.status
    if status == "ok":
        summary.ok += 1
    elif status == "skipped":
        summary.skipped += 1
    else:
        summary.errors += 1
