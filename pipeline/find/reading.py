"""The text as the rules read it, so the same text written another way gives the same facts.

- Full-width digits (２０２４年, ５．５％, １/４) read as ASCII digits, and a full-width point
  or slash between two digits as its ASCII one.
- The line breaks a layout tool left inside sentences (帮助企\\n业, a PDF's wrapped lines;
  pipeline/meaning/layout.py decides which) are read as if absent, so a wrapped line is
  neither a heading nor a paragraph of its own, and a cue, a time word or a label reads
  across it.
- A break inside a number is read across only when it wraps a long line of prose
  (保障性住房1\\n2000套 -> 12000套). Any other break between two digits (a short line, a
  table row, a year opening the next line: 0.1\\n2016年) leaves the two halves without a
  row: a figure is right or absent.

Extraction runs on this reading; each row is then moved back to the document's offsets and
keeps its text as written (its span may hold a mended break: 1\\n2000套).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from pipeline.meaning.layout import WRAPPED_LINE, layout_breaks

if TYPE_CHECKING:
    from pipeline.fact import Fact

# On the standard engine: these run over every document, and `re` passes over text that
# cannot match faster than `regex` does.
FULL_WIDTH = re.compile(r"[０-９]")
DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
POINT_OR_SLASH = re.compile(r"(?<=[0-9])[．／](?=[0-9])")
HALF = {"．": ".", "／": "/"}
BREAK_IN_NUMBER = re.compile(r"(?<=[0-9])[ \t\u3000\r]*\n[ \t\u3000\r\n]*(?=[0-9])")
# What a line may not hold, or the next begin with, for a break in a number to be a wrap:
# a table's cells (\t, runs of spaces) and a year opening the next row (0.1\n2016年).
TABLE_LINE = re.compile(r"\t| {2,}|\u3000")
YEAR_OPENING = re.compile(r"[0-9]{4}年")
# The end of a document's first sentence: after a word, not a stray mark opening a line.
FIRST_SENTENCE_END = re.compile(r"(?<=[^\W_])[。！？!?]")


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


class Reading:
    """`text` as the rules read it, and the way back to the document's offsets."""

    def __init__(self, document: str):
        self.document = document
        half = half_width(document)
        removed, self.cut = _breaks(half)
        # Only full-width digits make the reading's words differ from the document's.
        self.wide = half is not document
        self.changed = self.wide or bool(removed) or bool(self.cut)
        # (offset in the reading, characters removed before it), for each removed break.
        self._shifts: list[tuple[int, int]] = []
        pieces, position, shift = [], 0, 0
        for start, end in removed:
            pieces.append(half[position:start])
            shift += end - start
            self._shifts.append((start - shift + (end - start), shift))
            position = end
        pieces.append(half[position:])
        self.text = "".join(pieces) if removed else half
        self._at = [offset for offset, _ in self._shifts]

    def start(self, offset: int) -> int:
        """The document's offset of the reading's `offset`."""
        index = bisect_right(self._at, offset)
        return offset + (self._shifts[index - 1][1] if index else 0)

    def end(self, offset: int) -> int:
        # The character before an end decides: a span ending just before a removed break
        # does not take the break in.
        return self.start(offset - 1) + 1 if offset else 0

    def written(self, start: int, end: int) -> str:
        """The reading's text[start:end] as the document writes it, its breaks left out."""
        pieces, position = [], start
        for at in self._at[bisect_right(self._at, start):]:
            if at >= end:
                break
            pieces.append(self.document[self.start(position):self.end(at)])
            position = at
        pieces.append(self.document[self.start(position):self.end(end)])
        return "".join(pieces)

    def _written_columns(self, fact: Fact) -> None:
        """The sentence, value_raw and unit_raw of a fact found in the reading, in the
        document's characters (full-width digits as written; layout breaks left out)."""
        sentence = fact.sentence
        at = self.text.find(sentence, max(0, fact.end - len(sentence)), fact.start + len(sentence))
        if at >= 0:
            fact.sentence = self.written(at, at + len(sentence))
        for column in ("value_raw", "unit_raw"):
            raw = getattr(fact, column)
            found = self.text.find(raw, fact.start, fact.end) if raw else -1
            if found >= 0:
                setattr(fact, column, self.written(found, found + len(raw)))

    def as_written(self, facts: list[Fact], fact_id) -> list[Fact]:
        """The facts found in the reading at the document's offsets, with their text as
        written; none whose number a break cuts."""
        kept = []
        for fact in facts:
            start, end = self.start(fact.start), self.end(fact.end)
            if start in self.cut or end in self.cut:
                continue
            if self.wide:
                self._written_columns(fact)
            if (start, end) != (fact.start, fact.end):
                fact.fact_id = fact_id(fact.doc_id, start, end, fact.rule_id)
            fact.start, fact.end, fact.text = start, end, self.document[start:end]
            kept.append(fact)
        return kept


def _breaks(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """The layout breaks to read across, in order, and the offsets of the breaks inside a
    number that are none (where no figure may begin or end)."""
    removed, cut = [], set()
    # A document's head (title, by-line, affiliation) keeps its lines: a long one that
    # ends in a digit is no wrapped line of the body (…研究院北京100190\n\n摘要2016年).
    first_end = FIRST_SENTENCE_END.search(text)
    body = first_end.start() if first_end else len(text)
    for start, end in layout_breaks(text):
        if text[start - 1].isdigit() and text[end].isdigit():
            # Inside a number, head or body: read across, or no row.
            if _wrapped(text, start, end):
                removed.append((start, end))
            else:
                cut.update((start, end))
        elif start > body:
            removed.append((start, end))
    covered = {start for start, _ in removed}
    for match in BREAK_IN_NUMBER.finditer(text):
        if match.start() not in covered and not _wrapped(text, *match.span()):
            cut.update(match.span())
    return removed, cut
