"""A document's date: from a table cell or an option (normalise_date), or printed in
its text (printed_date), in the forms real documents print it."""
from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

DATE_PATTERN = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_YMD = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
# The forms a document prints its own date in, near its head. Each alternative has three
# groups: year, month, day. The earliest match in the head wins.
PRINTED_FORMS = (
    # 时间：2026-02-12, 发布日期：2024-09-12, 发布时间：2025-04-08 11:24:11
    rf"(?:发布日期|发布时间|日期|时间)\s*[:：]\s*{_YMD}",
    # 《新闻联播》 (20240315)
    r"[(（]\s*(\d{4})(\d{2})(\d{2})\s*[)）]",
    # 银川日报2025年7月25日讯, …2025年7月25日电
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[讯电]",
    # 2026年1月28日在…会议上
    r"(\d{4})年(\d{1,2})月(\d{1,2})日在",
    # a date alone on its line: a release line (2022年3月25日, 2023 年 3 月 25 日), a page's
    # stamp (2026-02-26, 2025-10-17 09:00:00)
    rf"^[ \t\u3000]*{_YMD}(?:[ \t]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?[ \t\u3000]*$",
    # 来源：云南日报 2026-02-03 09:02:33
    r"(\d{4})-(\d{2})-(\d{2})\s+\d{1,2}:\d{2}",
)
PRINTED = re.compile("|".join(f"(?:{form})" for form in PRINTED_FORMS), re.MULTILINE)
# A feed's timestamp on its own line: Tue, 26 Apr 2022 05:13:25 GMT.
FEED_STAMP = re.compile(r"^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? (?:GMT|UT|[+-]\d{4})$",
                        re.MULTILINE)
# The feeds are Chinese: a stamp in GMT is dated by the day in China.
CHINA = dt.timezone(dt.timedelta(hours=8))
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
    """The date a document prints near its head (see PRINTED_FORMS and FEED_STAMP), or None."""
    head = text[:PRINTED_REACH]
    found = [(match.start(), _written(match)) for match in PRINTED.finditer(head)]
    found += [(match.start(), _stamped(match.group())) for match in FEED_STAMP.finditer(head)]
    return next((date for _, date in sorted(found) if date), None)


def document_date(own: str | None, source: str | None, text: str) -> tuple[str | None, str]:
    """(date, where it came from): a table cell's (column), else the one the text prints
    (printed), else the --date option's (option), else none."""
    if own and source == "column":
        return own, "column"
    printed = printed_date(text)
    if printed:
        return printed, "printed"
    return (own, "option") if own else (None, "none")


def _written(match: re.Match) -> str | None:
    year, month, day = (int(group) for group in match.groups() if group is not None)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _stamped(stamp: str) -> str | None:
    try:
        moment = parsedate_to_datetime(stamp)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.astimezone(CHINA).date().isoformat()
