"""A document's date: from a table cell or an option (normalise_date), or printed near
its head (printed_date)."""
from __future__ import annotations

import datetime as dt
import re

DATE_PATTERN = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
PRINTED_DATE = re.compile(
    r"时间[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日在|(\d{4})-(\d{2})-(\d{2})\s+\d{1,2}:\d{2}")
# A printed date stands near the head.
PRINTED_REACH = 800


def normalise_date(value) -> str | None:
    """ISO YYYY-MM-DD from a date, a datetime or a common written date; None when unsure."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    match = DATE_PATTERN.match(value) if isinstance(value, str) else None
    try:
        return dt.date(*map(int, match.groups())).isoformat() if match else None
    except ValueError:  # 2026-02-30 and the like
        return None


def printed_date(text: str) -> str | None:
    """A date the document prints near its head (时间：2026-02-09; 2026年1月28日在…会议上)."""
    match = PRINTED_DATE.search(text, 0, PRINTED_REACH)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups() if g is not None)
    return f"{year:04d}-{month:02d}-{day:02d}"
