"""The time expressions of one document, found once, and the period each figure takes
from them: the nearest before it in its paragraph, else the scope it stands in (an
earlier paragraph's opening span, its section's heading, its article's title). The
grammar and the resolution of one expression are pipeline/meaning/period.py's.
"""
from __future__ import annotations

import re
from bisect import bisect_right

import regex

from pipeline.meaning.period import OF, Periods

# A period within one year: 2023, 2023-04, 2023-01/2023-03.
ONE_YEAR = re.compile(r"(\d{4})(?:-\d{2})?(?:/\1(?:-\d{2})?)?")
# How far into its paragraph a time expression still opens it.
OPENING = 40
# Words after a span that make it a streak's (30年来首次, 2022年以来连续16个季度): it says how
# rare the figure is, and scopes no other sentence.
STREAK_WORDS = ("首次", "首度", "连续", "持续", "最")
# How many expressions back a part of a plan's year is looked for.
NARROWER_REACH = 8
# A year declared (2025年是“十四五”收官之年): what opens a section's first paragraph with it.
DECLARES = "是"
# How far after a comparison's base its own value may begin (的 and spaces: 由2013年的 78列),
# and after a paragraph's start the year it declares.
BASE_VALUE_GAP = 3


class Times:
    """The time expressions of one document, found once, and the periods they give its figures."""

    def __init__(self, periods: Periods, text: str, date: str | None, paragraphs: list[int]):
        self.periods = periods
        self.text = text
        self.date = date
        self.paragraphs = paragraphs
        self.compared: list[regex.Match] = []
        self.found = periods.expressions(text, self.compared)
        self.ends = [match.end() for match in self.found]
        self.compared_ends = [match.end() for match in self.compared]
        # Both kinds, in order, with their ends: what a label reads past (比上年末增加7.6万人).
        every = sorted(self.found + self.compared, key=lambda match: match.start())
        self.every = (every, [match.end() for match in every])
        # The period of each expression (by start and scope year), once read.
        self.resolved: dict[tuple[int, int | None], str | None] = {}
        # The year each section's first paragraph declares, by the section's start.
        self.declarations: dict[int, str | None] = {}

    def dating(self, start: int, floor: int = 0, fallback: str | None = None,
               span: tuple[int, str | None] | None = None,
               years: tuple[str, ...] = (), sentence: int | None = None
               ) -> tuple[str | None, str, regex.Match | None]:
        """(period, what dated it, the expression) of the figure at `start`: from the nearest time expression
        before it in its paragraph; else from one opening an earlier paragraph of its section (which starts
        at `floor`), when that one carries (2022年以来，…主要任务是……。 / 实施全员竞聘方面，235人…);
        else `fallback` (the period its section's heading names), or, when `span` is given as
        (sentence start, the section's span) and the sentence states the figure over the span
        (累计, 年均增长), that span. A section whose heading dates none of its figures but names
        `years` (“十五五”时期目标任务和2026年工作安排) is dated from a paragraph opening with one
        of them (今年是“十五五”开局之年) on. A streak's span in an earlier sentence than the
        figure's (which starts at `sentence`) dates nothing: 太湖湖体平均水质30年来首次达… does
        not date the next sentence's figures."""
        base = self.compared_before(start)
        if base is not None and start - base.end() <= BASE_VALUE_GAP and self.text[base.end():start].strip() == OF:
            # 由2013年的78列: the old value a from/to statement starts from is of that time.
            return self._resolved(base, None), "the time of the base it stands right after", base
        scoped = "its section's scope"
        if fallback is None and floor:
            fallback = self.declared(floor)
            scoped = "the year its section's first paragraph declares (2025年是……之年)"
        if span is not None and fallback is not None:
            own_sentence, plan_span = span
            if self.periods.over_the_span.search(self.text, own_sentence, start):
                fallback, scoped = plan_span, "its section's plan span (its sentence says 累计/年均增长)"
        if fallback is None:
            scoped = "nothing: no time expression before it in its paragraph, and its section names no period"
        found, paragraphs = self.found, self.paragraphs
        scope = ONE_YEAR.fullmatch(fallback) if fallback else None
        scope_year = int(scope.group(1)) if scope else None
        index = bisect_right(self.ends, start) - 1
        paragraph = paragraphs[bisect_right(paragraphs, start) - 1]
        while index >= 0 and found[index].start() >= paragraph and not self._reaches(found[index], sentence):
            index -= 1
        if index >= 0 and found[index].start() >= paragraph:
            match = found[index]
            if index and found[index - 1].start() >= paragraph and self.periods.is_that_year(match):
                # 2019年7月，……宣布对当年8位“天才少年”: 当年 is the year just named.
                earlier = self._resolved(found[index - 1], scope_year)
                return (earlier[:4] if earlier else None), "当年: the year named before it", match
            narrower = self._narrower_before(index, paragraph, scope_year)
            if narrower is not None:
                return self._resolved(narrower, scope_year), "a part of the plan's year opening its paragraph", narrower
            return self._resolved(match, scope_year), "before it in its paragraph", match
        while index >= 0 and found[index].start() >= floor:
            match = found[index]
            opening = paragraphs[bisect_right(paragraphs, match.start()) - 1]
            if match.start() - opening <= OPENING:
                # A paragraph opening with a year or a month (今年2月，…) dates only itself.
                if self.periods.carries(match):
                    return self._resolved(match, scope_year), "opening an earlier paragraph", match
                if fallback is None and opening > floor and self._resolved(match, scope_year) in years:
                    return self._resolved(match, scope_year), "opening an earlier paragraph, a year its heading names", match
                return fallback, scoped, None
            index -= 1
        return fallback, scoped, None

    def declared(self, floor: int) -> str | None:
        """The year the first paragraph of the section at `floor` opens by declaring it
        (2025年是“十四五”收官之年。一年来，……): the year of a section whose heading names
        none (一、一年接着一年干，……取得新进展新成效)."""
        if floor not in self.declarations:
            self.declarations[floor] = self._declaration(floor)
        return self.declarations[floor]

    def _declaration(self, floor: int) -> str | None:
        index = bisect_right(self.paragraphs, floor)
        return self._declared_by(self.paragraphs[index]) if index < len(self.paragraphs) else None

    def _declared_by(self, paragraph: int) -> str | None:
        """The year the paragraph at `paragraph` opens by declaring (2025年是…, 今年是…), if any."""
        found = bisect_right(self.ends, paragraph)
        if found == len(self.found):
            return None
        match = self.found[found]
        if (match.start() - paragraph > BASE_VALUE_GAP or self.text[paragraph:match.start()].strip()
                or not self.text.startswith(DECLARES, match.end())):
            return None
        period = self._resolved(match, None)
        return period if period and len(period) == 4 else None

    def year_declared(self, floor: int, ceiling: int, years: tuple[str, ...]) -> int | None:
        """Where the first paragraph between `floor` and `ceiling` that declares one of `years`
        (今年是“十五五”开局之年) begins; None where none does."""
        first = bisect_right(self.paragraphs, floor)
        last = bisect_right(self.paragraphs, ceiling)
        return next((p for p in self.paragraphs[first:last] if self._declared_by(p) in years), None)

    def _narrower_before(self, index: int, paragraph: int, scope_year: int | None) -> regex.Match | None:
        """一季度，……反映出经济运行在“十五五”开局之年……。其中，中央财政收入24991亿元: a plan's
        year named in passing does not widen the part of it the paragraph is about."""
        match = self.found[index]
        if not (match.group("plan_start") or match.group("plan_end")):
            return None
        year = self._resolved(match, scope_year)
        for earlier in self.found[max(0, index - NARROWER_REACH):index]:
            if earlier.start() >= paragraph:
                period = self._resolved(earlier, scope_year)
                if period and year and period != year and all(end.startswith(year) for end in period.split("/")):
                    return earlier
        return None

    def compared_before(self, start: int) -> regex.Match | None:
        """The last base of a comparison (较2020年) that ends before `start`."""
        index = bisect_right(self.compared_ends, start) - 1
        return self.compared[index] if index >= 0 else None

    def _reaches(self, match: regex.Match, sentence: int | None) -> bool:
        """Whether an expression of a figure's paragraph may date it: any but the span of a
        streak does (30年来首次, 2022年以来连续16个季度), and that only in the figure's own
        sentence."""
        if sentence is None or match.start() >= sentence:
            return True
        return not (self.periods.is_span(match) and self.text.startswith(STREAK_WORDS, match.end()))

    def _resolved(self, match: regex.Match, scope_year: int | None) -> str | None:
        key = (match.start(), scope_year)
        if key not in self.resolved:
            # 本通知自2024年3月4日起施行，有效期5年: a rule's effective date dates none of its figures.
            effective = self.periods.takes_effect.match(self.text, match.end())
            self.resolved[key] = None if effective else self.periods.resolve(match, self.date, scope_year)
        return self.resolved[key]
