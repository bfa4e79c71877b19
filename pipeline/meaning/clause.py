"""The words of the clause before a figure, as a label reads them: the text back to the
clause's start, layout breaks mended, time expressions as one mark, the numbers ending it
split off by a regex and only the rest segmented (jieba's dictionary with the domain
terms, pipeline/meaning/segment.py), the costliest step of a label.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from pipeline.meaning.layout import last_clause_start
from pipeline.meaning.segment import load_segmenter
from pipeline.ruleset.tables import alternation

if TYPE_CHECKING:
    from pipeline.find.actions import Quantity
    from pipeline.meaning.document import DocumentContext

# How far before a figure its label is looked for.
REACH_BEFORE = 32
# Of the words before those between label and figure, how many are segmented.
REACH_HEAD = 24
# The same for a 分别 list, whose items may run long (农村卫生厕所普及率、生活垃圾分类行政村覆盖率、…).
LIST_REACH_BEFORE = 96
LIST_REACH_HEAD = 80
# Stands first in words cut short: the first word may be a fragment, so it ends any label.
CUT_SHORT = "，"
# Stands for a time expression in the words before a figure: what is measured is not
# when (国内生产总值一季度增长6.3%), so a time links a label to its figure or ends it.
TIME_MARK = "\ue000"
SPACE = regex.compile(r"\s+")
UP_TO_CLAUSE_END = regex.compile(r"[^，,。；;：:！？!?\n、]*")
FIGURE_TOKEN = regex.compile(r"[\d０-９.．%％‰\-—~～]+|[〇零一二两三四五六七八九十百千万亿]+")
# After a numeral, a grade (千亿级, 万亿级): part of a name, not a figure.
GRADE = "级"
# What a text holds when its words may need joining (speed: most hold neither).
NAME_PARTS = regex.compile(r"[0-9]|级")
# What makes the digits before it part of a name (5G, 3D, 500强).
NAME_AFTER_DIGITS = regex.compile(r"[0-9]*(?:[A-Za-z]|强)")
# An item of an enumerated list opens its line: （2）, 2., 2、.
ENUMERATOR = regex.compile(r"[ \t\u3000]*(?:[（(][0-9一二三四五六七八九十]{1,3}[）)]|[0-9]{1,2}[.．、])")
# An article of a rule opens its line: 第十二条 个人临时救助标准，…
ARTICLE = regex.compile(r"[ \t\u3000]*第[0-9一二三四五六七八九十百零〇]{1,5}条[ \t\u3000]*")
# How far back the start of a figure's line is looked for.
LINE_REACH = 200
# How many lines above its item a list's heading is looked for, and how long it may be.
HEADING_LINES = 6
HEADING_LONGEST = 24
# Spaces and footnote marks (四大主导产业［1］占GDP比重) are no part of a label.
UNREAD = regex.compile(r"\s+|［\d{1,3}］|\[\d{1,3}\]")


class ClauseReader:
    def __init__(self, terms, units, time_suffixes, time_names, respectively):
        """`terms` stay whole in the segmentation; `units` end the numbers split off; a time
        expression goes on with `time_suffixes` (上年末), and is part of a name before
        `time_names` (“十四五”规划); `respectively` marks a 分别 list."""
        self.terms = terms
        self.time_suffixes = tuple(sorted(time_suffixes, key=len, reverse=True))
        self.time_names = tuple(time_names)
        self.respectively = respectively
        self._cut = None
        self.tail_piece, self.tail = _tail_patterns(units)

    def cut(self, text: str, cache: dict | None = None) -> list[str]:
        if cache is not None and text in cache:
            return cache[text]
        if self._cut is None:
            self._cut = load_segmenter(self.terms)
        tokens = self._cut(text)
        if NAME_PARTS.search(text):
            tokens = _names_joined(tokens)
        if cache is not None:
            cache[text] = tokens
        return tokens

    def tokens(self, before: str, cache: dict | None = None, reach: int = REACH_HEAD) -> list[str]:
        """The words of the clause before a figure. The numbers ending it (分别达到64.3%、)
        are split off by a regex; only the rest, up to `reach` characters, is segmented
        (pipeline/segment.py), the costliest step of a label."""
        tail = self.tail.search(before)
        head = before[:tail.start()] if tail else before
        pieces = self.tail_piece.findall(before, tail.start()) if tail else []
        if len(head) <= reach:
            return (self.cut(head, cache) if head else []) + pieces
        # Cut short, the first word may be a fragment: it stands for the rest, a stop.
        return [CUT_SHORT] + self.cut(head[-reach:], cache)[1:] + pieces

    def words_before(self, doc: DocumentContext, figure: Quantity) -> list[str]:
        """The words of the clause before a figure, as the label reads them; a 分别 list cut
        short is read again further back, so its first items are whole."""
        tokens = self._words_before(doc, figure, REACH_BEFORE, REACH_HEAD)
        if tokens and tokens[0] == CUT_SHORT and not self.respectively.isdisjoint(tokens):
            tokens = self._words_before(doc, figure, LIST_REACH_BEFORE, LIST_REACH_HEAD)
        return tokens

    def _words_before(self, doc: DocumentContext, figure: Quantity, reach: int, head: int) -> list[str]:
        sentence_start = doc.sentences.span_at(figure.start)[0]
        window = doc.reading(max(sentence_start, figure.start - reach), figure.start, TIME_MARK,
                             self.time_suffixes, self.time_names)
        before = UNREAD.sub("", window[last_clause_start(window):])
        return self.tokens(before, doc.segmented, head) if before else []


def list_heading(text: str, start: int) -> str | None:
    """The heading of the enumerated list a figure stands in, without its enumerator:
    2.个人缴费费率：\n（1）……\n（2）……参保人员为0.02% -> 个人缴费费率; or the first clause of the
    figure's own item, 1.单位缴费费率，……均为0.15% -> 单位缴费费率."""
    line_start = text.rfind("\n", max(0, start - LINE_REACH), start) + 1
    own = ENUMERATOR.match(text, line_start, start)
    if own is None:
        return None
    first = regex.match(r"[^，,：:；;。\n]{2,24}[，,]", text[own.end():start])
    candidates = [first.group()[:-1]] if first else []
    end = line_start - 1
    for _ in range(HEADING_LINES):
        if end <= 0:
            break
        begin = text.rfind("\n", max(0, end - 200), end) + 1
        line = text[begin:end].strip()
        if line.endswith(("：", ":")):
            enumerated = ENUMERATOR.match(line)
            candidates.append(line[enumerated.end() if enumerated else 0:-1].strip())
            break
        if not ENUMERATOR.match(line):
            break
        end = begin - 1
    return next((c for c in candidates if 1 < len(c) <= HEADING_LONGEST), None)


def _tail_patterns(units) -> tuple[regex.Pattern, regex.Pattern]:
    """A number, its unit, a 、 or a quote, and a run of them ending a string (the items
    before a figure in a list: 分别达到64.3%、). Words are left to jieba: a regex would
    find 减至 in 缩减至."""
    piece = rf"[0-9０-９.．%％‰]+|(?<=[0-9０-９%％])[十百千万亿]*(?:{alternation(units)})|[、“”]"
    return regex.compile(piece), regex.compile(rf"(?r)(?:{piece})+\Z")


def _names_joined(tokens: list[str]) -> list[str]:
    """Digits that begin a name are no figure: jieba cuts 5G工厂 and 3D打印 after the digits,
    and 500强企业 between them."""
    joined = [tokens[0]]
    for token in tokens[1:]:
        if joined[-1].isascii() and joined[-1].isdigit() and (token.isdigit() or NAME_AFTER_DIGITS.match(token)):
            joined[-1] += token
        elif token == GRADE and is_figure(joined[-1]):
            joined[-1] += token  # 千亿级园区, 万亿级产业基地: a grade names a kind
        else:
            joined.append(token)
    return joined


@lru_cache(maxsize=65536)
def is_figure(token: str) -> bool:
    """Whether a word is a number (64.3, 三, 5%)."""
    return FIGURE_TOKEN.fullmatch(token) is not None
