"""The time limit of one document's extraction where no timer signal reaches it: a thread
other than the main one (a Dask worker runs its tasks in threads). The scan hands the time
left to the regex engine, which stops a match that runs over (a rule's catastrophic
pattern), and the stages check it between figures. In the main thread a timer signal
holds the limit (pipeline/work.py) and none of this costs anything.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager


class TimeLimitExceeded(Exception):
    pass


_limit = threading.local()


def exceeded(seconds: float) -> TimeLimitExceeded:
    return TimeLimitExceeded(f"extraction took longer than its time limit of {seconds:g} s (--time-limit)")


@contextmanager
def thread_deadline(seconds: float):
    """Sets this thread's deadline `seconds` from now for the block; a regex match that
    runs over it (TimeoutError) is raised as TimeLimitExceeded."""
    _limit.end, _limit.seconds = time.monotonic() + seconds, seconds
    try:
        yield
    except TimeoutError:
        raise exceeded(seconds) from None
    finally:
        _limit.end = None


def has_deadline() -> bool:
    return getattr(_limit, "end", None) is not None


def left() -> float | None:
    """The seconds this thread's deadline leaves (None: no deadline); TimeLimitExceeded once
    it has passed."""
    end = getattr(_limit, "end", None)
    if end is None:
        return None
    remaining = end - time.monotonic()
    if remaining <= 0:
        raise exceeded(_limit.seconds)
    return remaining


def bounded(match):
    """A regex method (pattern.match, pattern.finditer) that stops at this thread's deadline:
    the method itself where the thread has none, at no cost."""
    if not has_deadline():
        return match
    return lambda *args: match(*args, timeout=left())
