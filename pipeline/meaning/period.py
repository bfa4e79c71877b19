"""The period a figure is dated by: the nearest time expression before it in its
paragraph, else the scope it stands in (an earlier paragraph's opening span, its
section's heading, its article's title: see pipeline/meaning/times.py).

Explicit dates (2023年, 2024年1—9月, 2019年到2021年) need nothing else; relative
words (今年, 目前), spans (10年来, 过去五年) and 2022年以来 resolve from the document's
date, and stay null without one; a part of a year named without its year (一季度)
is a part of the year its scope reports on. The relative words, holidays,
five-year plans and the grammar's words are data (rules/periods.toml).
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import regex

from pipeline.find.numerals import parse_numeral
from pipeline.ruleset.errors import RuleError, check_keys
from pipeline.ruleset.tables import alternation, word_lists
from pipeline.ruleset.words import Words

RELATIVE_KEYS = {"words", "year", "months", "vague", "not_after", "day", "that_year"}
PLAN_KEYS = {"words", "years"}
HOLIDAY_KEYS = {"words", "days"}
MONTH_DAY = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
# The words of the time grammar around its numbers ([time_words] of rules/periods.toml).
TIME_WORD_KEYS = {"span_prefixes", "since", "about", "span_ends", "plan_starts", "plan_ends", "over_the_span",
                  "from_month", "month_end", "applies_to", "takes_effect", "from_bases"}
THAT_YEAR = "that year"  # the shift of a word that names the year named just before it (当年)
OF = "的"  # between a comparison's base and the base's own value (从2021年的46503元)
SEP = r"\s*(?:—|–|-|~|～|至|到)\s*"
# Between two month numbers an OCR'd dash may read 一 (2016年1一11月).
MONTH_SEP = r"\s*(?:—|–|-|~|～|至|到|一)\s*"
SMALL = r"[0-9]{1,2}|[一二两三四五六七八九十]{1,3}"


class Periods:
    def __init__(self, relative: dict[str, tuple[int | None, tuple[int, int] | None]],
                 plans: dict[str, tuple[int, int]], time_words: dict[str, list[str]], compared: tuple[str, ...] = (),
                 not_after: dict[str, list[str]] | None = None,
                 holidays: dict[str, dict[int, tuple[str, str]]] | None = None):
        self.relative = relative
        self.plans = plans
        # Words that state a figure over a span rather than in a year (累计, 年均增长).
        self.over_the_span = re.compile(alternation(time_words["over_the_span"]))
        # A named holiday's days in each year it is known for: “五一”假期 -> 2025: 05-01, 05-05.
        self.holidays = holidays or {}
        # A time expression right after one of these (较2020年), or between one of `from_bases` and
        # 的 (从2021年的46503元提高到…), is the base a figure is compared with, not its period.
        self.compared, self.from_bases = compared, tuple(time_words["from_bases"])
        words = _vetoed(relative, not_after or {})
        # Parts of a year a year may precede: 2016年前三季度, 2023年上半年.
        parts = alternation([word for word, (shift, months) in relative.items() if months and shift == 0])
        plan_words = alternation(plans)
        span_prefix, since, about, span_end, plan_start, plan_end, from_month, month_end = (
            alternation(time_words[key])
            for key in ("span_prefixes", "since", "about", "span_ends", "plan_starts", "plan_ends", "from_month",
                        "month_end"))
        # After a date, makes it the day a rule takes effect (自2024年3月4日起施行).
        self.takes_effect = regex.compile(rf"\s*(?:\d{{1,2}}\s*日)?\s*起?\s*(?:{alternation(time_words['takes_effect'])})")
        # 2026年度 in a title: the year its standards apply to.
        self.applies_to = tuple(time_words["applies_to"])
        self.pattern = _standard(rf"""
            (?P<y1>\d{{4}})\s*年?{SEP}(?P<y2>\d{{4}})\s*年
          | (?:(?P<month_year>\d{{4}})\s*年|(?P<month_word>{words}))?\s*(?P<m1>\d{{1,2}}){MONTH_SEP}(?P<m2>\d{{1,2}})\s*月
          | (?:(?P<year_of_month>\d{{4}})\s*年|(?P<word_of_month>{words})(?=\s*\d{{1,2}}\s*月(?!\s*\d{{1,2}}\s*日)))
            \s*(?P<month>\d{{1,2}})\s*月(?:(?P<from_month>{from_month})|(?P<month_end>{month_end}))?
          | (?P<day_month>\d{{1,2}})\s*月\s*\d{{1,2}}\s*日(?:{SEP}(?:\d{{1,2}}\s*月\s*)?\d{{1,2}}\s*日)?
          | (?P<part_year>\d{{4}})\s*年\s*(?P<part>{parts})
          | (?P<year>\d{{4}})\s*年(?P<since>{since})?
          | (?:{span_prefix})\s*(?P<span>{SMALL})\s*年
          | (?P<span_since>{SMALL})\s*(?:{about})?\s*年(?:{span_end})
          | (?P<plan>{plan_words})(?:(?P<plan_start>{plan_start})|(?P<plan_end>{plan_end}))?
          | (?<![提日])前\s*(?P<first_months>{SMALL})\s*个月
          | (?P<holiday>{alternation(self.holidays) if self.holidays else "(?!)"})
          | (?P<word>{words})
        """)
        # Speed: the groups that make an expression carry, by number (plain: match.group("since")).
        self.carrying = tuple(self.pattern.groupindex[name]
                              for name in ("since", "span", "span_since", "day_month", "plan_start"))
        # Speed: where an expression may begin, on the standard engine behind a class of first
        # characters; the pattern above is tried only there. The plain version is
        # self.pattern.finditer(text) over the whole text (README, "Benchmark").
        words = sorted((*relative, *plans, *self.holidays), key=len, reverse=True)
        literal = "|".join(re.escape(w) for w in words)
        prefixes = time_words["span_prefixes"]
        firsts = "".join(sorted(set("0123456789一二两三四五六七八九十前").union(w[0] for w in (*words, *prefixes))))
        self.starts = re.compile(f"(?=[{re.escape(firsts)}])(?:"
                                 r"[0-9]{1,4}(?=\s*(?:年|月|[-—–~～至到一]\s*[0-9]))"
                                 rf"|(?:{span_prefix})?[一二两三四五六七八九十]{{1,3}}(?=\s*(?:{about})?\s*年)"
                                 rf"|(?:{span_prefix})(?=\s*[0-9])"
                                 r"|前(?=\s*(?:[0-9]{1,2}|[一二两三四五六七八九十]{1,3})\s*个月)|" + (literal or "(?!)") + ")")

    def expressions(self, text: str, compared: list[regex.Match] | None = None) -> list[regex.Match]:
        """Every time expression of a text, in order, none inside another. Those that are the
        base of a comparison (较2020年) date no figure: they go to `compared`, when given."""
        found: list[regex.Match] = []
        position = 0
        for candidate in self.starts.finditer(text):
            start = candidate.start()
            if start < position:
                continue
            match = self.pattern.match(text, start, start + 24)
            if match and (text.endswith(self.compared, 0, start)
                          or (text.endswith(self.from_bases, 0, start) and text.startswith(OF, match.end()))):
                position = match.end()
                if compared is not None:
                    compared.append(match)
            elif match:
                found.append(match)
                position = match.end()
        return found

    def is_that_year(self, match: regex.Match) -> bool:
        word = match.group("word")
        return bool(word) and self.relative[word][0] == THAT_YEAR

    def carries(self, match: regex.Match) -> bool:
        """Whether an expression opening a paragraph dates the paragraphs after it: a span
        (2022年以来, 10年来), an event's day (11月2日-3日) or the year a plan starts (今年是“十五五”
        开局之年), not a year or a month."""
        return any(match.group(*self.carrying))

    def is_span(self, match: regex.Match) -> bool:
        """Whether an expression names a span back from its end (10年来, 2022年以来)."""
        return bool(match.group("span") or match.group("span_since") or match.group("since"))

    def base_period(self, match: regex.Match, date: str | None) -> str | None:
        """The period of a comparison's base when the text names it (较2020年, 比“十三五”末):
        a relative word (比上年) is read from the figure's year, not the document's, so none."""
        if match.group("word") or self.is_span(match):
            return None
        return self.resolve(match, date)

    def heading_scope(self, heading: str, date: str | None, review: bool = False) -> HeadingScope:
        """What a heading says of the time of its figures: the one period it names (2026年重点工作);
        a year, or a plan's last (its levels are reached then), and the plan's span for what is
        stated over it (累计, 年均), where a review names a year and the plan it closes (2025年和“十四五”
        时期工作回顾) or a heading names a plan alone (“十五五”时期重点任务 -> 2030, 2026/2030); or, for
        a plan and its first year, `years`: the paragraphs before one opening with one are the plan's."""
        found = self.expressions(heading)
        if review and not found:
            return self._review_of_last_year(date)
        if len(found) == 1 and found[0].group("plan") and not (found[0].group("plan_start")
                                                              or found[0].group("plan_end")):
            first, last = self.plans[found[0].group("plan")]
            if not review or (date is not None and not _open(str(last), date)):
                return HeadingScope(str(last), f"{first}/{last}", (), _open(str(last), date))
        if len(found) == 1:
            period = self.resolve(found[0], date)
            return HeadingScope(period, None, (), _open(period, date))
        years = [m for m in found if m.group("year") and not m.group("since")]
        plans = [self.plans[m.group("plan")] for m in found if m.group("plan")]
        named = tuple(p for p in (self.resolve(match, date) for match in found) if p and len(p) == 4)
        if len(years) == 1 and len(plans) == 1 and len(found) == 2:
            (first, last), year = plans[0], int(years[0].group("year"))
            if year == last:
                period = self.resolve(years[0], date)
                return HeadingScope(period, f"{first}/{last}", (), _open(period, date))
            if year == first:  # the plan's span, for the paragraphs before the one of its year
                return HeadingScope(None, f"{first}/{last}", named, _open(str(last), date))
        return HeadingScope(None, None, named, False)

    def _review_of_last_year(self, date: str | None) -> HeadingScope:
        """A review naming no period (一、工作回顾) in a report of the year's first quarter reviews
        the year before, and the plan that ended with it, if one did."""
        if date is None or int(date[5:7]) > 3:
            return HeadingScope(None, None, (), False)
        last = int(date[:4]) - 1
        span = next((f"{first}/{end}" for first, end in self.plans.values() if end == last), None)
        return HeadingScope(str(last), span, (), False)

    def _word_year(self, word: str, this_year: int | None, year: int | None) -> int | None:
        """The year a relative word names (今年, 去年), for a month after it."""
        shift = self.relative[word][0]
        if this_year is None or year is None or not isinstance(shift, int):
            return None
        return this_year + shift if shift == 0 else year + shift

    def reported_period(self, title: str, date: str | None) -> str | None:
        """The period a title names first when the document reports on it: one that had ended
        by the document's date (2021年成都市…统计公报 of 2022-03-25; 一季度全国财政收入增幅创3年来
        同期新高 of April). A work report titled with its own year (2026年政府工作报告) names no
        such period."""
        found = self.expressions(title)
        period = self.resolve(found[0], date) if found else None
        if found and found[0].group("year") and title.startswith(self.applies_to, found[0].end()):
            return period
        if period is None or date is None or period_end(period) >= date:
            return None
        return period

    def resolve(self, match: regex.Match, date: str | None, scope_year: int | None = None) -> str | None:
        """The period an expression names, read from the document's date; a part of a year
        named without its year (一季度, 上半年, 1-11月) is a part of `scope_year`, the year its
        scope reports on, when there is one (一季度 in a story of January 2024 titled 2023年…)."""
        group = match.group
        year, month = (int(date[:4]), int(date[5:7])) if date else (None, None)
        this_year = scope_year or year
        # Looking back from the first quarter, the last full year is the one before.
        recent = None if year is None else year - 1 if month <= 3 else year
        if group("y1"):
            return f"{group('y1')}/{group('y2')}"
        if group("m1"):
            if group("month_year"):
                base = int(group("month_year"))
            elif this_year is None:
                return None
            else:
                shift = self.relative[group("month_word")][0] if group("month_word") else 0
                if shift is None:
                    return None
                base = this_year + shift if shift == 0 else year + shift
            return f"{base}-{int(group('m1')):02d}/{base}-{int(group('m2')):02d}"
        if group("part_year"):
            first, last = self.relative[group("part")][1]
            year_of = group("part_year")
            return f"{year_of}-{first:02d}/{year_of}-{last:02d}"
        if group("day_month"):
            # An event's day (11月2日-3日) dates its figures by its year.
            return str(year) if year else None
        if group("month"):
            # 今年1月: the month of the year the word names.
            year_of = group("year_of_month") or self._word_year(group("word_of_month"), this_year, year)
            if year_of is None:
                return None
            # 2025年1月起 (a standard from January on) and 2025年12月底 (a level at the year's end)
            # date their figures by the year.
            if group("from_month") or (group("month_end") and int(group("month")) == 12):
                return str(year_of)
            return f"{year_of}-{int(group('month')):02d}"
        if group("year"):
            if not group("since"):
                return group("year")
            return f"{group('year')}/{recent}" if recent else None
        if group("span") or group("span_since"):
            length = int(parse_numeral(group("span") or group("span_since")))
            if not recent:
                return None
            # 这一年, 一年来: the last full year itself.
            return str(recent) if length == 1 else f"{recent - length + 1}/{recent}"
        if group("plan"):
            first, last = self.plans[group("plan")]
            # “十三五”末: the plan's last year; “十五五”开局之年: its first.
            return str(last) if group("plan_end") else str(first) if group("plan_start") else f"{first}/{last}"
        if group("first_months"):
            # 前2个月: January to the N-th month of the year in question (提前2个月, 申请日前12个月
            # are spans of time before something).
            count = int(parse_numeral(group("first_months")))
            if this_year is None or not 1 <= count <= 12:
                return None
            return f"{this_year}-01/{this_year}-{count:02d}"
        if group("holiday"):
            days = self.holidays[group("holiday")].get(year) if year else None
            return f"{year}-{days[0]}/{year}-{days[1]}" if days else None
        shift, months = self.relative[group("word")]
        if shift == "day":
            return date
        if year is None or shift is None or shift == THAT_YEAR:
            return None
        if months:
            base = this_year if shift == 0 else year + shift
            return f"{base}-{months[0]:02d}/{base}-{months[1]:02d}"
        return str(year + shift)


def load_periods(files, words: Words) -> Periods:
    relative: dict[str, tuple[int, tuple[int, int] | None]] = {}
    plans: dict[str, tuple[int, int]] = {}
    not_after: dict[str, list[str]] = {}
    holidays: dict[str, dict[int, tuple[str, str]]] = {}
    for file in files:
        data = file.data
        for index, entry in enumerate(data.get("relative", []), 1):
            where = file.where("relative", index, f"relative {index}")
            check_keys(entry, RELATIVE_KEYS, where)
            months = _numbers(entry, "months", where) if "months" in entry else None
            year = entry.get("year", 0)
            if not isinstance(year, int) or isinstance(year, bool):
                raise RuleError(f"{where}: year is a whole number of years from the document's")
            shift = (None if entry.get("vague") else "day" if entry.get("day")
                     else THAT_YEAR if entry.get("that_year") else year)
            relative.update({word: (shift, months) for word in _words(entry, where)})
            vetoes = entry.get("not_after", [])
            if not isinstance(vetoes, list) or not all(isinstance(v, str) and v for v in vetoes):
                raise RuleError(f"{where}: not_after is a list of words")
            not_after.update({word: vetoes for word in _words(entry, where) if vetoes})
        for index, entry in enumerate(data.get("plan", []), 1):
            where = file.where("plan", index, f"plan {index}")
            check_keys(entry, PLAN_KEYS, where)
            years = _numbers(entry, "years", where)
            plans.update({word: years for word in _words(entry, where)})
        for index, entry in enumerate(data.get("holiday", []), 1):
            where = file.where("holiday", index, f"holiday {index}")
            check_keys(entry, HOLIDAY_KEYS, where)
            days = _holiday_days(entry.get("days"), where)
            holidays.update({word: days for word in _words(entry, where)})
    time_words = word_lists(files, "time_words", TIME_WORD_KEYS)
    missing = sorted(key for key, listed in time_words.items() if not listed)
    if missing:
        raise RuleError(f"the rule files' [time_words] table lacks {missing}")
    return Periods(relative, plans, time_words, words.compared, not_after, holidays)


class HeadingScope(NamedTuple):
    period: str | None
    span: str | None
    # The single years a heading names that dates none of its figures.
    years: tuple[str, ...]
    # Whether its period had not ended by the document's date: a year still to come.
    open: bool


def _open(period: str | None, date: str | None) -> bool:
    return period is not None and date is not None and period_end(period) >= date


def period_end(period: str) -> str:
    """The last day of a period as YYYY-MM-DD: 2021 -> 2021-12-31, 2024-01/2024-09 -> 2024-09-30."""
    last = period.rsplit("/", 1)[-1]
    if len(last) == 4:
        return f"{last}-12-31"
    if len(last) == 7:
        year, month = int(last[:4]), int(last[5:7])
        return f"{last}-{calendar.monthrange(year, month)[1]:02d}"
    return last


def _vetoed(words, not_after: dict[str, list[str]]) -> str:
    """The words as one alternation, longest first; a word with vetoes is no time word right
    after one of them (申请日前 is "before the day of application", not 日前 "recently")."""
    ordered = sorted(words, key=lambda word: (-len(word), word))
    return "|".join((f"(?<!{alternation(not_after[word])})" if word in not_after else "") + regex.escape(word)
                    for word in ordered) or "(?!)"


def _holiday_days(days, where: str) -> dict[int, tuple[str, str]]:
    """days = { 2025 = ["05-01", "05-05"] }: the first and last day of the holiday, by year."""
    if not isinstance(days, dict) or not days:
        raise RuleError(f"{where}: days is a table of years, each [first, last] as MM-DD")
    found = {}
    for year, pair in days.items():
        if (not year.isdigit() or len(year) != 4 or not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(day, str) and MONTH_DAY.fullmatch(day) for day in pair)):
            raise RuleError(f"{where}: days.{year} is [first, last] as MM-DD")
        found[int(year)] = (pair[0], pair[1])
    return found


def _words(entry: dict, where: str) -> list[str]:
    words = entry.get("words")
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
        raise RuleError(f"{where}: words is a list of words")
    return words


def _numbers(entry: dict, key: str, where: str) -> tuple[int, int]:
    """months = [1, 6] or years = [2021, 2025]: a first and a last."""
    pair = entry.get(key)
    if (not isinstance(pair, list) or len(pair) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in pair) or pair[0] > pair[1]):
        raise RuleError(f"{where}: {key} is a first and a last, [first, last]")
    return tuple(pair)


@lru_cache(maxsize=4096)
def period_bounds(period: str | None) -> tuple[date | None, date | None]:
    """The first and last day of a period as FACTS.md writes it: 2023, 2024-05, 2024-05-01,
    or two of them joined by / (2021/2025, 2024-01/2024-09, 2023-04-29/2023-05-03)."""
    if not period:
        return None, None
    first, _, last = period.partition("/")
    try:
        return _day(first, at_end=False), _day(last or first, at_end=True)
    except ValueError:
        return None, None


def _day(part: str, at_end: bool) -> date:
    numbers = [int(piece) for piece in part.split("-")]
    if len(numbers) == 3:
        return date(*numbers)
    year, month = numbers[0], (numbers[1] if len(numbers) == 2 else (12 if at_end else 1))
    if len(numbers) == 1 and not at_end:
        return date(year, 1, 1)
    return date(year, month, calendar.monthrange(year, month)[1] if at_end else 1)


def _standard(source: str) -> re.Pattern | regex.Pattern:
    """The time expressions' pattern on Python's re, which matches it in less time than
    `regex` (as the scan's, pipeline/ruleset/standard.py); on `regex` where a word list
    holds what only it reads."""
    try:
        return re.compile(source, re.VERBOSE)
    except re.error:
        return regex.compile(source, regex.VERBOSE)
