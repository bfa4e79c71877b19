"""The text as the rules read it, so the same figure written another way gives the same fact.

- Full-width digits (２０２４年, ５．５％, １/４) read as ASCII digits, and a full-width point
  or slash between two digits as its ASCII one. Each character stands for one, so every
  offset stays where it was; the rows keep the text as written.
- A line break inside a number is a layout tool's when it ends a long line of prose and
  the next line goes on without a blank line between: the scan reads the number whole
  (保障性住房1\n2000套 -> 12000套) and the row's offsets span the break. Any other break
  between two digits (a short line, a table row, a year opening the next line: 0.1\n2016年)
  leaves the two halves without a row: a figure is right or absent.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from pipeline.meaning.layout import WRAPPED_LINE

# On the standard engine: these run over every document, and `re` passes over text that
# cannot match faster than `regex` does.
FULL_WIDTH = re.compile(r"[０-９]")
DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
POINT_OR_SLASH = re.compile(r"(?<=[0-9])[．／](?=[0-9])")
HALF = {"．": ".", "／": "/"}
# What a line may not hold, or the next begin with, for a break in a number to be a wrap:
# a table's cells (\t, runs of spaces) and a year opening the next row (0.1\n2016年).
TABLE_LINE = re.compile(r"\t| {2,}|\u3000")
YEAR_OPENING = re.compile(r"[0-9]{4}年")
BREAK_IN_NUMBER = re.compile(r"(?<=[0-9])[ \t\u3000\r]*\n[ \t\u3000\r\n]*(?=[0-9])")


def half_width(text: str) -> str:
    """`text` with full-width digits, and a full-width point or slash between digits, in
    ASCII; the same length, offset for offset."""
    if FULL_WIDTH.search(text) is None:
        return text
    return POINT_OR_SLASH.sub(lambda match: HALF[match.group()], text.translate(DIGITS))


def _wrapped(text: str, start: int, end: int) -> bool:
    """Whether the line break text[start:end] inside a number ends a wrapped line of prose:
    one newline, after a long line that is no table row, before no year."""
    line_start = text.rfind("\n", 0, start) + 1
    return (text.count("\n", start, end) == 1 and start - line_start >= WRAPPED_LINE
            and TABLE_LINE.search(text, line_start, start) is None and YEAR_OPENING.match(text, end) is None)


class Mended:
    """The text with the layout breaks inside numbers removed, and the way back: `start`
    and `end` map a span of the mended text to the text's; `cut` holds the offsets where
    a break no layout made splits a number, at which no figure may begin or end."""

    def __init__(self, text: str):
        self.removed: list[tuple[int, int]] = []  # (offset in the mended text, characters removed before it)
        self.cut: set[int] = set()
        pieces, position, shift = [], 0, 0
        for match in BREAK_IN_NUMBER.finditer(text):
            start, end = match.span()
            if not _wrapped(text, start, end):
                self.cut.update((start, end))
                continue
            pieces.append(text[position:start])
            shift += end - start
            self.removed.append((start - shift + (end - start), shift))
            position = end
        pieces.append(text[position:])
        self.text = "".join(pieces) if self.removed else text
        self._at = [offset for offset, _ in self.removed]

    def start(self, offset: int) -> int:
        return offset + self._shift(offset)

    def end(self, offset: int) -> int:
        # The character before an end decides: a span ending just before a removed break
        # does not take the break in.
        return self.start(offset - 1) + 1 if offset else 0

    def _shift(self, offset: int) -> int:
        index = bisect_right(self._at, offset)
        return self.removed[index - 1][1] if index else 0

