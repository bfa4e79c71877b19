"""A document's sections and whose they are (FACTS.md: section, entity).

A report is cut at its numbered headings (一、2025年工作回顾, 三、2026年重点工作);
a newspaper page into articles: an article ends with its by-line (a lone
name such as 王波) and begins with a block of short lines (kicker, headline,
subtitle). Each section keeps its heading, the period its heading names
(三、2026年重点工作 -> 2026, when it names exactly one), whether it is a work
plan (its figures are targets), and its entity: the zone its head names
(——阳泉高新技术产业开发区加速步入…), else the document's (the province of a
report, from its title, its head or its id). The word lists are data
(rules/entities.toml).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex

from pipeline.ruleset.tables import alternation, word_lists

ENTITY_KEYS = {"regions", "zone_suffixes", "plan_headings", "review_headings", "work_headings"}
LINE = regex.compile(r"[^\n]+")
NUMBERED_HEADING = regex.compile(r"[一二三四五六七八九十]{1,3}、")
# A city opening a document's first line (广州市人民政府办公厅, 广州市医疗保障局); 市场 is no city.
CITY_HEAD = regex.compile(r"\s*(\p{Han}{2,3}?市)(?!场)")
BYLINE = regex.compile(r"\p{Han}{2,4}")
# A heading is short and does not end a sentence or a clause.
HEADING_LONGEST = 40
# A document's title may be longer: 广州市医疗保险服务中心关于开展2026年度……工作的通告.
TITLE_LONGEST = 64
OPEN_ENDINGS = tuple("。！？!?；;，,、：:")
SENTENCE_ENDINGS = tuple("。！？!?")
# The head of an article: the short lines before its first body line.
HEAD_LINES = 20
HEADLINE_SHORTEST = 6


@dataclass(frozen=True)
class Section:
    start: int
    heading: str | None
    entity: str | None
    period: str | None
    plan: bool
    # The span of the plan a review heading names beside its year (2021/2025), for figures
    # stated over it.
    span: str | None = None
    # The years a heading names that dates none of its figures (“十五五”时期目标任务和2026年
    # 工作安排): a paragraph opening with one of them dates the paragraphs after it.
    years: tuple[str, ...] = ()
    # Whether its period is the one its article's head reports on (上半年…成绩单): the time
    # of what it reports, not of what it says is still to be done.
    reported: bool = False


class Sectioner:
    def __init__(self, regions, zone_suffixes, plan_headings, review_headings=(), work_headings=()):
        self.regions = regex.compile(alternation(regions))
        suffixes = alternation(zone_suffixes)
        # A zone's name starts a line or follows a dash, a quote or a comma.
        self.zones = regex.compile(rf"(?:^|(?<=[—\-“\s,，、。]))(\p{{Han}}{{2,8}}?(?:{suffixes}))(?!\p{{Han}}{{0,2}}(?:{suffixes}))",
                                   regex.MULTILINE)
        self.plan_headings = regex.compile(alternation(plan_headings))
        self.review_headings = regex.compile(alternation(review_headings)) if review_headings else None
        self.work_headings = regex.compile(alternation(work_headings)) if work_headings else None

    def document_entity(self, text: str, title: str | None, doc_id: str) -> str | None:
        """The province or city whose document this is: a city its first line opens with and
        its text names again (广州市人民政府办公厅关于…, whose head cites 《广东省…条例》), else
        the region its title, its head, or its id names."""
        first_line = (title or text.lstrip()).split("\n", 1)[0]
        city = CITY_HEAD.match(first_line)
        if city and text.count(city.group(1)) >= 2:
            return city.group(1)
        for source in (title or "", text[:600], doc_id):
            match = self.regions.search(source)
            if match:
                return match.group()
        return None

    def sections(self, text: str, entity: str | None, title: str | None, period_of, scope_of=None) -> list[Section]:
        """The sections of a text in order; `period_of(heading)` reads a heading's time
        (period.HeadingScope), `scope_of(headline)` an article's period, the one its
        headline reports on. A heading is numbered (一、), or stands alone on a short line
        naming a plan or a review and its period (“十四五”时期工作回顾, 2026年重点工作)."""
        found = [Section(0, title, entity, None, False)]
        lines = [(m.start(), m.group().strip()) for m in LINE.finditer(text) if m.group().strip()]
        article_start = 0
        article = found[0]
        major = None  # the unnumbered heading the numbered ones after it stand under
        for index, (start, line) in enumerate(lines):
            if NUMBERED_HEADING.match(line) and len(line) <= HEADING_LONGEST:
                # A heading that names no period is read in its article's (一、综合 of a
                # communiqué titled 2021年…统计公报).
                found.append(self._section(start, line, found[-1].entity, period_of, article.period, major))
            elif index == article_start:
                article = self._article(start, [ln for _, ln in lines[index:index + HEAD_LINES]],
                                        entity, title if index == 0 else None, scope_of)
                found.append(article)
                # An article opening with a review's heading, or a plan's for a time still to come,
                # is its section (附件 / 2026年自治区民生实事); a headline's goals are met ones
                # (2024年我国经济运行稳中有进 主要发展目标顺利实现).
                major = self._unnumbered(start, line, article.entity, period_of, article.period, to_come=True)
                if major is not None:
                    found.append(major)
            elif (unnumbered := self._unnumbered(start, line, found[-1].entity, period_of, article.period)):
                major = unnumbered
                found.append(major)
            if _is_byline(line, lines, index):
                article_start = index + 1
        return found

    def _article(self, start: int, lines: list[str], entity: str | None, title: str | None,
                 scope_of=None) -> Section:
        """An article from its first lines: the head's longest line is its headline, the zone
        its head (or else its first body line) names is its entity, and the period its title,
        headline or first line reports on (2021年成都市…统计公报, 1-2月广东经济数据出炉) dates
        the figures no closer time expression dates."""
        body = next((i for i, line in enumerate(lines) if not _is_heading(line)), len(lines))
        zone = self._zone(lines[:body]) or self._zone(lines[body:body + 1])
        headlines = [ln for ln in lines[:body] if len(ln) >= HEADLINE_SHORTEST and not ln.startswith("—")
                     and ":" not in ln and "：" not in ln]
        headline = title or max(headlines, key=len, default=None)
        first = lines[0] if lines and _is_heading(lines[0], TITLE_LONGEST) else None
        scopes = (scope_of(line) for line in (headline, first) if line and scope_of)
        period = next((s for s in scopes if s), None)
        return Section(start, headline, zone or entity, period, False, reported=period is not None)

    def _section(self, start: int, heading: str, entity: str | None, period_of, scope: str | None,
                 major: Section | None = None) -> Section:
        review = self._is_review(heading)
        return self._made(start, heading, entity, review, period_of(heading, review), scope, major)

    def _made(self, start: int, heading: str, entity: str | None, review: bool, time, scope: str | None,
              major: Section | None = None) -> Section:
        plan = not review and self._is_plan(heading, time.open, time.span is not None)
        if major is not None and not (review or time.period or time.years):
            # 三、全力抓好七项重点工作 under “十五五”时期主要目标和2026年重点工作: a part of the
            # plan (or review) above it, of its period, or of the one year it names.
            year = major.years[0] if len(major.years) == 1 else None
            return Section(start, heading, entity, major.period or year or scope, plan or major.plan, major.span)
        return Section(start, heading, entity, time.period or scope, plan, time.span, time.years)

    def _is_review(self, heading: str) -> bool:
        return self.review_headings is not None and self.review_headings.search(heading) is not None

    def _is_plan(self, heading: str, to_come: bool, plan_span: bool) -> bool:
        """A work plan: its heading names one (2026年重点工作), work in a year still to come
        (三、关于2026年工作), or a plan still to come (二、“十五五”时期经济社会发展重点任务);
        never a review, even beside a plan (二、“十四五”时期发展成就和“十五五”时期主要目标任务
        holds achieved figures)."""
        if self.plan_headings.search(heading) or (to_come and plan_span):
            return True
        return to_come and self.work_headings is not None and self.work_headings.search(heading) is not None

    def _unnumbered(self, start: int, line: str, entity: str | None, period_of, scope: str | None,
                    to_come: bool = False) -> Section | None:
        """The section a line opens when it is a heading with no number: short, naming a plan or a
        review and its period (`to_come`: a plan's only when that period had not ended)."""
        if not _is_heading(line) or self.review_headings is None:
            return None
        review = self._is_review(line)
        if not (review or self.plan_headings.search(line)):
            return None
        time = period_of(line, review)
        if not (time.period or time.years) or (to_come and not (review or time.open)):
            return None
        return self._made(start, line, entity, review, time, scope)

    def _zone(self, lines: list[str]) -> str | None:
        for line in lines:
            match = self.zones.search(line)
            if match:
                return match.group(1)
        return None


def section_at(sections: list[Section], starts: list[int], offset: int) -> Section:
    return sections[bisect_right(starts, offset) - 1]


def _is_heading(line: str, longest: int = HEADING_LONGEST) -> bool:
    return len(line) <= longest and not line.endswith(OPEN_ENDINGS)


def _is_byline(line: str, lines: list, index: int) -> bool:
    """A lone name after a body paragraph ends an article (王波, 李文海); after page
    furniture (【字号： 加大) it is a button."""
    return (BYLINE.fullmatch(line) is not None and index > 0
            and lines[index - 1][1].endswith(SENTENCE_ENDINGS))


def load_sectioner(files) -> Sectioner:
    lists = word_lists(files, "entity", ENTITY_KEYS)
    return Sectioner(lists["regions"], lists["zone_suffixes"], lists["plan_headings"], lists["review_headings"],
                     lists["work_headings"])
