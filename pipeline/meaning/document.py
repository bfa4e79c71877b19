"""What the figures of one document are read against, found once per document:
its sentences, its time expressions and their periods, its sections, and the
segmentations its labels share. Every meaning stage takes this context.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from pipeline.meaning.layout import CLAUSE_END, Sentences, last_clause_start
from pipeline.meaning.period import period_end
from pipeline.meaning.sections import Section, section_at
from pipeline.meaning.times import Times

if TYPE_CHECKING:
    from pipeline.ruleset.load import RuleSet

CLAUSES = re.compile(f"[{CLAUSE_END}]")
# How far back a comparison's base reaches into later clauses (较…增加4374.4亿元，增长33.6%).
COMPARISON_REACH = 48
# How far back the clause naming a bare 总量's subject is looked for.
SUBJECT_REACH = 40
# How far into a paragraph a deadline opens its goals.
GOAL_OPENING = 16


class DocumentContext:
    def __init__(self, text: str, rules: RuleSet, date: str | None = None, title: str | None = None,
                 doc_id: str = ""):
        self.text = text
        self.rules = rules
        self.date = date
        self.sentences = Sentences(text)
        self.times = Times(rules.periods, text, date, self.sentences.paragraphs)
        sectioner = rules.sectioner
        entity = sectioner.document_entity(text, title, doc_id)
        self.sections = sectioner.sections(text, entity, title,
                                           lambda heading, review: rules.periods.heading_scope(heading, date, review),
                                           lambda headline: rules.periods.reported_period(headline, date))
        self.section_starts = [section.start for section in self.sections]
        headline = title or next((section.heading for section in self.sections if section.heading), None)
        # The year a document titled as a forecast forecasts (2017年中国经济核心指标预测).
        self.forecast = (rules.periods.heading_scope(headline, date).period
                         if headline and any(word in headline for word in rules.cues.forecast_titles) else None)
        # The segmentations of the clauses labels are read from (the items of a list share theirs).
        self.segmented: dict[str, list[str]] = {}
        self._read: dict[tuple[int, int], str] = {}
        self._goal_lists: dict[int, bool] = {}
        # Where the plan part of a section naming a plan and its first year ends, by its start.
        self._plan_parts: dict[int, int] = {}

    def section(self, start: int) -> Section:
        return section_at(self.sections, self.section_starts, start)

    def dating(self, start: int, section: Section):
        """(period, what dated it) of the figure at `start` (see times.Times.dating)."""
        sentence = self.sentences.span_at(start)[0]
        span = (sentence, section.span) if section.span else None
        period = section.period
        if period is None and span and section.years and start < self._plan_part_end(section):
            # 二、“十五五”时期目标任务和2026年工作安排: before the paragraph declaring its year
            # (今年是“十五五”开局之年), the section is about the plan, whose levels are of its end.
            period = section.span.rsplit("/", 1)[-1]
        return self.times.dating(start, section.start, period, span, section.years, sentence)

    def _plan_part_end(self, section: Section) -> int:
        if section.start not in self._plan_parts:
            following = bisect_right(self.section_starts, section.start)
            ceiling = self.section_starts[following] if following < len(self.sections) else len(self.text)
            declared = self.times.year_declared(section.start, ceiling, section.years)
            self._plan_parts[section.start] = section.start if declared is None else declared
        return self._plan_parts[section.start]

    def is_open(self, period: str | None) -> bool:
        """Whether a period had not ended by the document's date (or either is unknown):
        a forecast of it is still a forecast."""
        return period is None or self.date is None or period_end(period) >= self.date

    def goal_list(self, sentence_start: int) -> bool:
        """Whether the sentence at `sentence_start` is a later ；-item of a list of goals (主要预期
        目标是：……；一产增加值增长6%左右): found once per sentence."""
        if sentence_start not in self._goal_lists:
            list_start = self.sentences.full_start(sentence_start)
            self._goal_lists[sentence_start] = list_start < sentence_start and self.rules.cues.is_target(
                self.text, sentence_start, sentence_start, list_start=list_start)
        return self._goal_lists[sentence_start]

    def goal_paragraph(self, start: int) -> bool:
        """Whether the paragraph of `start` opens with a deadline or forecast (（三）发展目标。
        到2025年，……): its goals go on over its later sentences."""
        paragraphs = self.sentences.paragraphs
        opening = paragraphs[bisect_right(paragraphs, start) - 1]
        return self.rules.cues.forecasts.search(self.text, opening, min(start, opening + GOAL_OPENING)) is not None

    def base_period(self, start: int) -> str | None:
        """The period a growth or change at `start` is measured from, when its clause names
        it before the figure (比2020年增长58.1%, 较“十三五”末净增1万亿元)."""
        match = self.times.compared_before(start)
        if match is None or not self._same_comparison(self.text[match.end():start]):
            return None
        return self.rules.periods.base_period(match, self.date)

    def _same_comparison(self, between: str) -> bool:
        """Whether a figure after a comparison's base is still read against it: in the same
        clause, or in a later one that is a change word alone, after clauses that each open
        with one (较“十三五”末的9323.1亿元增加4374.4亿元，增长33.6%; not 新增医疗卫生机构床位6639张,
        which names a measure of its own)."""
        if not last_clause_start(between):
            return True
        if len(between) > COMPARISON_REACH:
            return False  # the base of another clause's comparison, far back (speed: no split)
        clauses = CLAUSES.split(between)
        changes = self.rules.cues.change_words
        return clauses[-1] in changes and all(clause.startswith(changes) for clause in clauses[1:-1])

    def subject_before(self, start: int) -> str | None:
        """The metric alias opening the clause before the one at `start` (in its sentence,
        else the sentence before): 市场经营主体增量提质，总量突破1000万户 -> 市场经营主体."""
        sentence_start = self.sentences.span_at(start)[0]
        clause_start = sentence_start + last_clause_start(self.text[sentence_start:start])
        before = self.text[max(0, clause_start - SUBJECT_REACH):clause_start].rstrip(CLAUSE_END)
        return self.rules.metrics.opening(before[last_clause_start(before):].strip())

    def reading(self, start: int, end: int, mark: str, suffixes: tuple[str, ...] = (),
                names: tuple[str, ...] = ()) -> str:
        """The text from `start` to `end` as a label reads it: layout breaks mended, and each
        time expression inside it, with any of `suffixes` after it (上年末), as one `mark`,
        unless one of `names` follows it (“十四五”规划 names a plan's document)."""
        return "".join(self._without_times(a, b, mark, suffixes, names)
                       for a, b in self.sentences.pieces(start, end))

    def _without_times(self, start: int, end: int, mark: str, suffixes: tuple[str, ...],
                       names: tuple[str, ...]) -> str:
        found, ends = self.times.every
        index = bisect_left(ends, start + 1)
        pieces, position = [], start
        while index < len(found) and found[index].start() < end:
            match = found[index]
            named = names and self.text.startswith(names, match.end())
            if match.start() >= position and match.end() <= end and not named:
                pieces += [self.text[position:match.start()], mark]
                position = match.end()
                suffix = next((word for word in suffixes if self.text.startswith(word, position, end)), "")
                position += len(suffix)
            index += 1
        pieces.append(self.text[position:end])
        return "".join(pieces)

    def sentence(self, start: int, end: int) -> str:
        # The figures of a sentence share its text.
        key = (start, end)
        if key not in self._read:
            self._read[key] = self.sentences.read(start, end)
        return self._read[key]
