"""The work of one document, the same under every engine: its facts extracted under a
time limit, a failure recorded rather than raised, and its row of docs.parquet."""
from __future__ import annotations

import signal
import threading
import traceback
from contextlib import contextmanager

from pipeline.deadline import TimeLimitExceeded, exceeded, thread_deadline
from pipeline.extract import extract_facts
from pipeline.fact import DocRow, Fact
from pipeline.read.dates import document_date
from pipeline.read.documents import Document
from pipeline.ruleset.load import RuleSet

# The seconds a document of up to a million characters may take to extract, and per
# million characters beyond: about 20 times what the reports take on a slow machine, so
# only a pathological input (a rule's catastrophic pattern) meets it.
TIME_LIMIT = 60.0


@contextmanager
def time_limit(seconds: float | None):
    """Raises TimeLimitExceeded in the block once `seconds` have passed. In the main thread
    a timer signal raises it, and the regex engines look at signals while they match, so a
    catastrophic pattern is stopped too; in another thread (a Dask worker's) and on
    Windows, the extraction checks a deadline of its own (pipeline/deadline.py)."""
    if seconds is None:
        yield
        return
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        with thread_deadline(seconds):
            yield
        return

    def expire(signum, frame):
        raise exceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    # Again every second after: an exception raised while Python finalises an object is
    # dropped, and the limit must still hold.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_document(document: Document, rules: RuleSet, limit: float | None = TIME_LIMIT):
    """(document, rows, error, (date, date_source)): a failure inside extraction, or a time
    limit met, is recorded, never raised. The date is its table cell's, else one the text
    prints, else the --date option's (read.dates.document_date)."""
    if document.status != "ok":
        return document, [], None, (document.date, document.date_source or ("option" if document.date else "none"))
    dated = document_date(document.date, document.date_source, document.text)
    seconds = None if limit is None else limit * max(1.0, len(document.text) / 1e6)
    try:
        with time_limit(seconds):
            facts = extract_facts(document.text, rules, document.doc_id, dated[0], document.title)
        return document, facts, None, dated
    except TimeLimitExceeded as exc:
        return document, [], str(exc), dated
    except Exception as exc:  # one bad document must not stop the batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        error = f"extraction failed: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        return document, [], error, dated


def taken(document: Document, rows) -> tuple:
    """A document whose rows were taken from a last run, in the shape of extract_document's
    result: they need no extraction, only its date."""
    return document, rows, None, document_date(document.date, document.date_source, document.text)


def doc_row(document: Document, facts: list[Fact], error: str | None, dated: tuple[str | None, str]) -> DocRow:
    return DocRow(doc_id=document.doc_id, source=document.source, sha256=document.sha256,
                  characters=len(document.text) if document.text is not None else 0,
                  facts=len(facts), title=document.title, date=dated[0], date_source=dated[1],
                  status="error" if error else document.status, error=error or document.error)


