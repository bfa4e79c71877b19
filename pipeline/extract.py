"""Extract the facts of one text: find its figures (pipeline.find), read what each
means against the document (pipeline.meaning), and build each Fact whole.
"""
from __future__ import annotations

import hashlib
import re

from pipeline.deadline import has_deadline, left
from pipeline.fact import Fact
from pipeline.find.actions import Quantity
from pipeline.find.reading import Reading
from pipeline.find.scan import find_quantities
from pipeline.meaning.document import DocumentContext
from pipeline.meaning.label import SAME_LIST
from pipeline.meaning.period import period_bounds
from pipeline.ruleset.load import RuleSet
from pipeline.ruleset.rule import Rule

# How far before the first figure of a 分别 list the word stands.
RESPECTIVELY_REACH = 6
# How far before a figure a qualifier may stand, with only qualifier_reach words between.
QUALIFIER_REACH = 20
# How far back the bracket a figure stands in may open.
BRACKET_REACH = 24
# Figures measured against a base (比2020年增长, 较“十三五”末净增): its period is previous_period.
COMPARED_ASPECTS = ("growth", "delta")
YEAR_SPAN = re.compile(r"\d{4}/(\d{4})")
REACHED_ASPECTS = ("level", "share")


def extract_facts(text: str, rules: RuleSet, doc_id: str = "", date: str | None = None,
                  title: str | None = None) -> list[Fact]:
    """The facts of one document, in order of offset; `date` (YYYY-MM-DD) resolves 今年 and
    the like, `title` names the document (and often its region). The rules read the text
    with full-width digits as ASCII and layout breaks mended (pipeline/find/reading.py);
    the rows stand at the document's offsets, their text as written."""
    reading = Reading(text)
    facts = _facts(reading.text, rules, doc_id, date, title)
    return reading.as_written(facts, fact_id) if reading.changed else facts


def _facts(text: str, rules: RuleSet, doc_id: str, date: str | None, title: str | None) -> list[Fact]:
    found = find_quantities(text, rules)
    if not found:
        return []
    doc = DocumentContext(text, rules, date, title, doc_id)
    quantities = [quantity for quantity, _ in found]
    _share_list_qualifiers(quantities, text, rules)
    _distant_qualifiers(quantities, text, rules)
    labels = _labels(quantities, doc)
    left()
    return [_fact(doc_id, rule, quantity, label, doc) for (quantity, rule), label in zip(found, labels)]


def _share_list_qualifiers(quantities: list[Quantity], text: str, rules: RuleSet) -> None:
    """分别超98.5%和99%: a qualifier before the first of a 分别 list covers every item."""
    words = rules.words
    joiners = words.list_joiners + words.figure_joiners
    for first, second in zip(quantities, quantities[1:]):
        if (first.qualifier != "exact" and second.qualifier == "exact"
                and second.unit == first.unit
                and text[first.end:second.start] in joiners
                and any(word in text[max(0, first.start - RESPECTIVELY_REACH):first.start]
                        for word in words.respectively)
                and first.text.startswith(rules.lexicon.prefixes)):
            second.qualifier = first.qualifier


def _distant_qualifiers(quantities: list[Quantity], text: str, rules: RuleSet) -> None:
    """不超过本市2个月, 不高于每人每天35元, 不低于采购金额的30%: a rule's limit reaches its figure
    over the place or the per-unit words between them (rules/words.toml, qualifier_reach), or
    over the reference the figure is measured against."""
    pattern, qualifiers = rules.qualifier_reach, rules.lexicon.qualifiers
    # Speed: what stands right before such a figure ends a reach word or a reference (的).
    ends = {word[-1] for word in rules.words.qualifier_reach} | {"的"}
    for quantity in quantities:
        if quantity.qualifier != "exact" or text[quantity.start - 1:quantity.start] not in ends:
            continue
        match = pattern.search(text, max(0, quantity.start - QUALIFIER_REACH), quantity.start)
        if match:
            quantity.qualifier = qualifiers[match.group("word")]


def _labels(quantities: list[Quantity], doc: DocumentContext) -> list[str | None]:
    """metric_label of each figure; a 分别 list's items are shared out afterwards."""
    labeler = doc.rules.labeler
    labels: list[str | None] = []
    previous, sentence, lists, key = None, None, {}, None
    timed = has_deadline()
    for index, quantity in enumerate(quantities):
        if timed:
            left()  # a thread's time limit (pipeline/deadline.py)
        span = doc.sentences.span_at(quantity.start)
        if span != sentence:
            previous, sentence, key = None, span, None
        label, listed = labeler.label(doc, quantity, previous)
        if label in labeler.totals:
            # 经营主体持续壮大。总量接近800万户: a bare 总量 is the total of what was just named.
            label = (previous or doc.subject_before(quantity.start) or "") + label
        labels.append(label)
        if not _in_brackets(doc, quantity.start):
            # 完成工业增加值255.28亿元（占规上工业比重为62.0%），同比增长12.5%: the growth is of
            # the figure before the bracket.
            previous = label
        if listed == SAME_LIST:
            listed = key and key[1]
        key = (span, tuple(map(tuple, listed))) if listed else None
        if key:
            lists.setdefault(key, []).append(index)
    for (_, items), members in lists.items():
        shared = labeler.sharing.distribute([list(item) for item in items], len(members))
        for index, label in zip(members, shared or ()):
            labels[index] = label
    return labels


def _in_brackets(doc: DocumentContext, start: int) -> bool:
    """Whether the figure at `start` stands inside a bracket opened shortly before it."""
    return doc.rules.words.open_bracket.search(doc.text, max(0, start - BRACKET_REACH), start) is not None


def period_and_target(doc: DocumentContext, q: Quantity, sentence_start: int, section, reached: bool
                      ) -> tuple[str | None, str | None, str | None]:
    """(period, why it is a target or None, what changed the period its time expression or
    scope gave, or None) of a figure; `reached`: it is a level a change reached (由34天缩减至12天,
    增至131条)."""
    dated, _, expression = doc.dating(q.start, section)
    period = span_end(dated) if reached else dated
    changed = "a level reached over a span is of its end" if period != dated else None
    reason = target_reason(doc, q, sentence_start, section, period)
    if reason and expression is None and section.reported and not doc.is_open(period):
        # 还将举办演出60场 in an article on the first half: a plan, of no period it names.
        period, changed = None, "a plan in an article on a period that has ended names no period"
    return period, reason, changed


def target_reason(doc: DocumentContext, q: Quantity, sentence_start: int, section, period: str | None
                  ) -> str | None:
    """Why a figure is a goal, plan or forecast, None where it is not: its section, the
    document's forecast year, the words of its sentence or of the earlier items of its list, or
    a paragraph that opens with a deadline, while its period is open."""
    if section.plan:
        return f"its section is a work plan ({section.heading})"
    if doc.forecast is not None and period == doc.forecast:
        return f"the document forecasts {period}"
    open_period = doc.is_open(period)
    word = doc.rules.cues.target_word(doc.text, sentence_start, q.start, open_period)
    if word is not None:
        return f"{word!r} earlier in its sentence"
    if doc.goal_list(sentence_start):
        return "a later item of a list of goals"
    if open_period and period is not None and doc.goal_paragraph(q.start):
        return "its paragraph opens with a forecast or a deadline"
    return None


def span_end(period: str | None) -> str | None:
    """The period of a level a change reached: dated by a span of years (由7.2%提升至7.4%, 增至
    80.5岁 in a review of 2021/2025), the span's end (FACTS.md, "Periods in reviews"). Its
    previous_period stays what the text writes: the dev golds leave an unwritten one null."""
    span = YEAR_SPAN.fullmatch(period) if period else None
    return period if span is None else span.group(1)


def reached(q: Quantity, aspect: str, change: str | None) -> bool:
    """Whether a figure is a level a change reached: a from/to statement, or 提高到, 增至."""
    return q.previous_value is not None or (aspect in REACHED_ASPECTS and change is not None)


def fact_id(doc_id: str, start: int, end: int, rule_id: str) -> str:
    key = f"{doc_id}\x1f{start}\x1f{end}\x1f{rule_id}".encode("utf-8")
    return hashlib.blake2b(key, digest_size=8).hexdigest()


def _fact(doc_id: str, rule: Rule, q: Quantity, label: str | None, doc: DocumentContext) -> Fact:
    text, rules = doc.text, doc.rules
    # A from/to statement already says its change (cues.classify reads its aspect); 翻番 its
    # aspect too.
    aspect, change = (q.aspect, q.change) if q.aspect else rules.cues.classify(text, q.start, q.dimension, q.change)
    sentence_start, sentence_end = doc.sentences.span_at(q.start)
    section = doc.section(q.start)
    period, target, _ = period_and_target(doc, q, sentence_start, section, reached(q, aspect, change))
    period_start, period_end = period_bounds(period)
    return Fact(
        doc_id=doc_id, fact_id=fact_id(doc_id, q.start, q.end, rule.id),
        start=q.start, end=q.end, text=q.text, sentence=doc.sentence(sentence_start, sentence_end),
        value=q.value, value_max=q.value_max, unit=q.unit, dimension=q.dimension,
        value_raw=q.value_raw, unit_raw=q.unit_raw, qualifier=q.qualifier,
        metric=rules.metrics.match(label, q.dimension, q.unit), metric_label=label, aspect=aspect, change=change,
        previous_value=q.previous_value, period=period,
        previous_period=q.previous_period or (doc.base_period(q.start) if aspect in COMPARED_ASPECTS else None),
        period_start=period_start, period_end=period_end,
        is_target=target is not None,
        entity=section.entity, section=section.heading, rule_id=rule.id,
    )
