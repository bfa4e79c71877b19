"""Find the facts of one text: scan with the rules' master pattern, apply each
rule's action, and turn its quantities into fact rows.

The scan is leftmost-first: at each place the first rule (in rule order) that
matches wins and its span is consumed. A rule whose action rejects its match
gives way to the later rules at the same place, then to the next place.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

from pipeline.actions import ACTIONS, MatchView, Quantity, Rejected
from pipeline.label import distribute
from pipeline.layout import CLAUSE_END, Sentences, last_clause_start
from pipeline.rules import Rule, RuleSet
from pipeline.sections import Section, section_at

LIST_JOINERS = ("、", "和", "及", "与", "，")
# No figure's match is longer than this many characters.
WINDOW = 60
# Figures measured against a base (比2020年增长, 较“十三五”末净增): its period is previous_period.
COMPARED_ASPECTS = ("growth", "delta")
# How far back the clause naming a bare 总量's subject is looked for.
SUBJECT_REACH = 40


@dataclass
class Event:
    """What one rule did at one place: rows, a skip, or a rejection."""
    rule: Rule
    start: int
    end: int
    quantities: list[Quantity]
    reason: str | None = None

    @property
    def outcome(self) -> str:
        if self.rule.skip:
            return "skip"
        return "rejected" if self.reason else "fact"


def scan(text: str, rules: RuleSet) -> Iterator[Event]:
    """Every rule decision over the text, in order of position.

    The master pattern is tried only where a candidate begins (a numeral, or
    a lead word right before one): trying it everywhere costs twenty times
    more, and no figure begins anywhere else.
    """
    regions = _regions(text, rules)
    region = 0
    position = 0
    lead, anchor = (rules.candidates.groupindex[name] for name in ("lead", "anchor"))
    for candidate in rules.candidates.finditer(text):
        starts = (candidate.start(), candidate.start(anchor)) if candidate.group(lead) else (candidate.start(),)
        for start in starts:
            if start < position:
                continue
            while region < len(regions) and regions[region].end <= start:
                region += 1
            if region < len(regions) and regions[region].start <= start:
                yield regions[region]
                position = regions[region].end
                break
            # The window bounds the regex engine's search for a required literal, which
            # otherwise runs to the end of the text at every candidate.
            match = rules.master.match(text, start, start + WINDOW)
            if match is None:
                continue
            rule = rules.by_group[match.lastgroup]
            event = _apply(rule, MatchView(match, rule.numbers), rules)
            if event.reason:
                yield event  # rejections are yielded for explain
                event = yield from _retry(text, start, rule, rules)
            if event is not None:
                yield event
                position = max(event.end, start + 1)
                break


def _regions(text: str, rules: RuleSet) -> list[Event]:
    """Spans of the region rules (《…》, “…”), earliest first, none inside another."""
    found = sorted((m.start(), -m.end(), index, rule) for index, rule in enumerate(rules.regions)
                   for m in rule.pattern.finditer(text))
    regions: list[Event] = []
    for start, negative_end, _, rule in found:
        if not regions or start >= regions[-1].end:
            regions.append(Event(rule, start, -negative_end, []))
    return regions


def _apply(rule: Rule, view: MatchView, rules: RuleSet) -> Event:
    start, end = view.match.span()
    if rule.skip:
        return Event(rule, start, end, [])
    result = ACTIONS[rule.action](view, rules)
    if isinstance(result, Rejected):
        return Event(rule, start, end, [], result.reason)
    rejected = next((q for q in result if isinstance(q, Rejected)), None)
    if rejected:
        return Event(rule, start, end, [], rejected.reason)
    return Event(rule, start, end, result)


def _retry(text: str, start: int, failed: Rule, rules: RuleSet):
    """The later rules, one by one, at the place where `failed` was rejected."""
    later = rules.rules[rules.rules.index(failed) + 1:]
    for rule in (r for r in later if not r.region):
        match = rule.pattern.match(text, start, start + WINDOW)
        if match is None:
            continue
        event = _apply(rule, MatchView(match, {name: rule.pattern.groupindex[name] for name in rule.names}), rules)
        if not event.reason:
            return event
        yield event
    return None


def extract_facts(text: str, rules: RuleSet, doc_id: str = "", date: str | None = None,
                  title: str | None = None) -> list[dict]:
    """The fact rows of one document, in order of offset; `date` (YYYY-MM-DD) resolves 今年 and
    the like, `title` names the document (and often its region)."""
    rows: list[dict] = []
    context = None
    for event in scan(text, rules):
        if not event.quantities:
            continue
        if context is None:
            context = _Context(text, rules, date, title, doc_id)
        for quantity in event.quantities:
            rows.append(_row(doc_id, event.rule, quantity, context))
    rows.sort(key=lambda row: (row["start"], row["end"], row["rule_id"]))
    _share_list_qualifiers(rows, text, rules)
    if rows:
        _label(rows, context)
    return rows


class _Context:
    """What the rows of one document are read against, found once per document."""

    def __init__(self, text: str, rules: RuleSet, date: str | None, title: str | None, doc_id: str):
        self.text = text
        self.rules = rules
        self.date = date
        self.sentences = Sentences(text)
        self.compared: list = []
        self.times = rules.periods.expressions(text, self.compared)
        self.time_ends = [match.end() for match in self.times]
        self.compared_ends = [match.end() for match in self.compared]
        sectioner = rules.sectioner
        entity = sectioner.document_entity(text, title, doc_id)
        self.sections = sectioner.sections(text, entity, title,
                                           lambda heading: rules.periods.heading_period(heading, date))
        self.section_starts = [section.start for section in self.sections]
        self.resolved: dict[int, str | None] = {}
        self.read: dict[tuple[int, int], str] = {}

    def section(self, start: int) -> Section:
        return section_at(self.sections, self.section_starts, start)

    def period(self, start: int, section: Section) -> str | None:
        return self.rules.periods.period_at(self.times, self.time_ends, self.sentences.paragraphs, start,
                                            self.date, section.start, section.period, self.resolved)

    def base_period(self, start: int) -> str | None:
        """The period a growth or change at `start` is measured from, when its clause names
        it before the figure (比2020年增长58.1%, 较“十三五”末净增1万亿元)."""
        index = bisect_right(self.compared_ends, start) - 1
        if index < 0:
            return None
        match = self.compared[index]
        if last_clause_start(self.text[match.end():start]):
            return None
        return self.rules.periods.base_period(match, self.date)

    def subject_before(self, start: int) -> str | None:
        """The metric alias opening the clause before the one at `start` (in its sentence,
        else the sentence before): 市场经营主体增量提质，总量突破1000万户 -> 市场经营主体."""
        sentence_start = self.sentences.span_at(start)[0]
        clause_start = sentence_start + last_clause_start(self.text[sentence_start:start])
        before = self.text[max(0, clause_start - SUBJECT_REACH):clause_start].rstrip(CLAUSE_END)
        return self.rules.metrics.opening(before[last_clause_start(before):].strip())

    def sentence(self, start: int, end: int) -> str:
        # The figures of a sentence share its text.
        key = (start, end)
        if key not in self.read:
            self.read[key] = self.sentences.read(start, end)
        return self.read[key]


def _share_list_qualifiers(rows: list[dict], text: str, rules: RuleSet) -> None:
    """分别超98.5%和99%: a qualifier before the first of a 分别 list covers every item."""
    for first, second in zip(rows, rows[1:]):
        if (first["qualifier"] != "exact" and second["qualifier"] == "exact"
                and second["unit"] == first["unit"]
                and text[first["end"]:second["start"]] in LIST_JOINERS
                and "分别" in text[max(0, first["start"] - 6):first["start"]]
                and first["text"].startswith(rules.prefixes)):
            second["qualifier"] = first["qualifier"]


def _label(rows: list[dict], context: _Context) -> None:
    """metric_label of each row; a 分别 list's items are shared out afterwards."""
    labeler, text = context.rules.labeler, context.text
    previous, sentence, lists, cache = None, None, {}, {}
    for row in rows:
        span = context.sentences.span_at(row["start"])
        if span != sentence:
            previous, sentence = None, span
        label, listed = labeler.label(text, span[0], row["start"], row["end"], row["unit"],
                                      row["dimension"], previous, cache)
        if label in labeler.totals:
            # 经营主体持续壮大。总量接近800万户: a bare 总量 is the total of what was just named.
            label = (previous or context.subject_before(row["start"]) or "") + label
        row["metric_label"] = previous = label
        if listed:
            lists.setdefault((span, tuple(map(tuple, listed))), []).append(row)
    for (_, items), members in lists.items():
        labels = distribute([list(item) for item in items], len(members))
        for row, label in zip(members, labels or ()):
            row["metric_label"] = label
    metrics = context.rules.metrics
    for row in rows:
        row["metric"] = metrics.match(row["metric_label"], row["dimension"])


def fact_id(doc_id: str, start: int, end: int, rule_id: str) -> str:
    key = f"{doc_id}\x1f{start}\x1f{end}\x1f{rule_id}".encode("utf-8")
    return hashlib.blake2b(key, digest_size=8).hexdigest()


def _row(doc_id: str, rule: Rule, q: Quantity, context: _Context) -> dict:
    text, rules = context.text, context.rules
    # A from/to statement already says its change; its value is a level.
    aspect, change = ("level", q.change) if q.change else rules.cues.classify(text, q.start, q.dimension)
    sentence_start, sentence_end = context.sentences.span_at(q.start)
    section = context.section(q.start)
    return {
        "doc_id": doc_id, "fact_id": fact_id(doc_id, q.start, q.end, rule.id),
        "start": q.start, "end": q.end, "text": q.text,
        "sentence": context.sentence(sentence_start, sentence_end),
        "value": q.value, "value_max": q.value_max, "unit": q.unit, "dimension": q.dimension,
        "value_raw": q.value_raw, "unit_raw": q.unit_raw, "qualifier": q.qualifier,
        "metric": None, "metric_label": None, "aspect": aspect, "change": change,
        "previous_value": q.previous_value, "period": context.period(q.start, section),
        "previous_period": q.previous_period or (context.base_period(q.start) if aspect in COMPARED_ASPECTS else None),
        "is_target": section.plan or rules.cues.is_target(text, sentence_start, q.start),
        "entity": section.entity, "section": section.heading, "rule_id": rule.id,
    }
