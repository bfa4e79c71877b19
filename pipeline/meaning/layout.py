"""Sentences of a document, with line breaks left by page layout mended.

A layout tool breaks sentences and even words across blank lines (帮助企\n\n业准备).
We never rewrite the document: matching runs on the original text, and this
module only decides where sentences start and end and how a sentence reads
with its layout breaks removed.
"""
from __future__ import annotations

from bisect import bisect_right

import regex

# A line break, with any page-number lines of a PDF's page break inside it (\n— 2 — \n).
LINE_BREAKS = regex.compile(r"[ \t\u3000\r]*\n(?:[ \t\u3000]*[—－-]\s?\d{1,4}\s?[—－-][ \t\u3000\r]*\n)*[\s\u3000]*")
SENTENCE_END = regex.compile(r"[。！？!?；;]+[”’」』）)]*")
CLAUSE_END = "，,。；;：:！？!?\n"
# Read right to left, the first match is the last clause end.
LAST_CLAUSE_END = regex.compile(r"(?r)[，,。；;：:！？!?\n]")
SOFT_END = "，,、（(“‘—：:"
# Ends an item of a list of goals, not the list: 建成广场5个；举办演出60场.
ITEM_END = "；;"
# How far back a list of goals is read for its target words.
ITEMS_REACH = 300
HARD_END = "。！？!?；;”’」』）)】"
# What opens a line of its own, never a wrapped line's rest: a bracketed enumerator ((一),
# （2）) or a rule's article (第十二条); after a mark (：), a bare one too (3., 二、).
BRACKETED_OPENER = regex.compile(r"[（(][0-9一二三四五六七八九十]{1,3}[）)]|第[0-9一二三四五六七八九十百零〇]{1,5}条")
LINE_OPENER = regex.compile(r"[0-9]{1,2}[.．、](?![0-9])|[一二三四五六七八九十]{1,3}、(?![一二三四五六七八九十])")
# A wrapped paragraph line is long; a headline or by-line is short.
WRAPPED_LINE = 30
# No sentence is longer: text without sentence ends (a table flattened, a page with its
# punctuation lost) is cut at the last clause end before this, so the work a figure does
# in its sentence, and the sentence each row carries, stay bounded. The longest sentence
# of the reference corpus has 1,551 characters, the next 1,032; 99.9% have under 400.
LONGEST_SENTENCE = 1000


def layout_breaks(text: str) -> list[tuple[int, int]]:
    """The spans of line breaks that sit inside a sentence, as [start, end)."""
    return [span for span, inside in _line_breaks(text) if inside]


def _line_breaks(text: str):
    """Each line break's span, and whether it sits inside a sentence (a layout tool's)."""
    inside = False
    for match in LINE_BREAKS.finditer(text):
        start, end = match.span()
        # A line that goes on with a sentence wrapped into it is no heading, however short.
        inside = 0 < start and end < len(text) and _inside_sentence(text, start, end, inside)
        yield (start, end), inside


def last_clause_start(text: str, start: int = 0, end: int | None = None) -> int:
    """Where the last clause of text[start:end] begins: just after its last clause end, else
    `start`."""
    match = LAST_CLAUSE_END.search(text, start, len(text) if end is None else end)
    return match.end() if match else start


def _inside_sentence(text: str, start: int, end: int, continued: bool = False) -> bool:
    before, after = text[start - 1], text[end]
    if before in HARD_END or not (after.isalnum() or after in "“‘《（("):
        return False
    if BRACKETED_OPENER.match(text, end) or (not before.isalnum() and LINE_OPENER.match(text, end)):
        # 重点抓了以下工作：\n（一）……: an enumerated item or an article opens its own line;
        # after a word, 一、 may go on with a list (分别获\n一、二、三等奖).
        return False
    if before in SOFT_END:
        return True
    # A wrapped line is long, holds the end of a sentence (a heading holds none) or goes on
    # with one (`continued`), and ends inside a word or a number, with or without a blank line
    # after it (……增长 10.4%。商品房销售面积\n\n（含预售）; 第二产业增\n加值; 计算下降\n0.4%).
    line_start = text.rfind("\n", 0, start) + 1
    return before.isalnum() and (continued or start - line_start >= WRAPPED_LINE
                                 or SENTENCE_END.search(text, line_start, start) is not None)


def _bounded(text: str, bounds: list[int]) -> list[int]:
    """The sentence bounds with every sentence longer than LONGEST_SENTENCE cut, at the last
    clause end of its second half where there is one."""
    kept = [bounds[0]]
    for end in bounds[1:]:
        start = kept[-1]
        while end - start > LONGEST_SENTENCE:
            limit = start + LONGEST_SENTENCE
            clause = LAST_CLAUSE_END.search(text, start + LONGEST_SENTENCE // 2, limit)
            start = clause.end() if clause else limit
            kept.append(start)
        kept.append(end)
    return kept


class Sentences:
    """Sentence spans of one text, found once and looked up by offset."""

    def __init__(self, text: str):
        self.text = text
        self.mended = []
        self.paragraphs = [0]
        bounds = {0, len(text)}
        bounds.update(match.end() for match in SENTENCE_END.finditer(text))
        for (start, end), inside in _line_breaks(text):
            if inside:
                self.mended.append((start, end))
            else:
                bounds.update((start, end))
                self.paragraphs.append(end)
        self.bounds = _bounded(text, sorted(bounds))
        self.gap_ends = [gap_end for _, gap_end in self.mended]

    def full_start(self, start: int) -> int:
        """Where the full sentence holding the sentence at `start` begins: back over the
        sentences that end with ；, to its paragraph's start, at most ITEMS_REACH characters."""
        floor = max(self.paragraphs[bisect_right(self.paragraphs, start) - 1], start - ITEMS_REACH)
        while start > floor:
            end = start
            while end > floor and self.text[end - 1].isspace():
                end -= 1
            if end <= floor or self.text[end - 1] not in ITEM_END:
                break
            start = max(floor, self.span_at(end - 1)[0])
        return start

    def span_at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.bounds, offset)
        return self.bounds[index - 1], self.bounds[min(index, len(self.bounds) - 1)]

    def sentence_at(self, offset: int) -> str:
        start, end = self.span_at(offset)
        return self.read(start, end)

    def read(self, start: int, end: int) -> str:
        """text[start:end] with layout breaks removed and edges stripped."""
        return "".join(self.text[a:b] for a, b in self.pieces(start, end)).strip()

    def pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans of text[start:end] between its layout breaks."""
        spans, position = [], start
        # The gaps are in order: only those from the first ending after `start` matter.
        for gap_start, gap_end in self.mended[bisect_right(self.gap_ends, start):]:
            if gap_start >= end:
                break
            spans.append((position, max(position, gap_start)))
            position = max(position, gap_end)
        spans.append((position, end))
        return spans
