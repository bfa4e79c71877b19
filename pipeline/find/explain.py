"""Explain what the rules do with a text, for rule authors.

Lists each decision of the scan (a fact, a skip, a rejection, with the rule
and the reason), then every place where some rule alone would have matched
but lost to another rule, then the rows that result, each with why it means what
it does: what dated it, its cue, the words its label was read from, the alias
that named its metric, and why it is or is not a target.
"""
from __future__ import annotations

from pipeline.extract import extract_facts, period_and_target, reached
from pipeline.fact import Fact
from pipeline.find.reading import Reading
from pipeline.find.scan import Event, find_quantities, scan
from pipeline.meaning.document import DocumentContext
from pipeline.ruleset.load import RuleSet


def explain_text(text: str, rules: RuleSet, date: str | None = None, title: str | None = None) -> str:
    # As the rules read it (full-width digits as ASCII, layout breaks mended): the offsets
    # shown are those of this reading.
    text = Reading(text).text
    events = list(scan(text, rules))
    lines = ["decisions:"]
    lines += [_describe(event, text) for event in events] or ["  (no rule matched)"]
    shadowed = list(_shadowed(text, rules, events))
    if shadowed:
        lines.append("candidates that lost to another rule:")
        lines += shadowed
    facts = extract_facts(text, rules, date=date, title=title)
    lines.append(f"rows ({len(facts)}):")
    doc = DocumentContext(text, rules, date, title) if facts else None
    quantities = {(q.start, q.end): q for q, _ in find_quantities(text, rules)}
    for fact in facts:
        lines.append(_fact_line(fact))
        lines += _meaning_lines(fact, doc, quantities[(fact.start, fact.end)])
    return "\n".join(lines)


def _meaning_lines(fact: Fact, doc: DocumentContext, quantity) -> list[str]:
    """Why the row means what it does, one line per column group."""
    rules, text = doc.rules, doc.text
    section = doc.section(fact.start)
    dated, how, expression = doc.dating(fact.start, section)
    if expression is not None:
        how = f"{expression.group()!r} {how}"
    sentence_start = doc.sentences.span_at(fact.start)[0]
    _, target, changed = period_and_target(doc, quantity, sentence_start, section,
                                           reached(quantity, fact.aspect, fact.change))
    if changed:
        how = f"{how} gave {dated}, but {changed}"
    scope = f"section {section.heading!r}" if section.heading else "the document"
    _, _, cue = (None, None, f"the figure itself ({quantity.text})") if quantity.aspect else \
        rules.cues.cue(text, fact.start, fact.dimension, quantity.change)
    target = target or "no target, forecast or deadline word before it"
    _, metric_why, alias = rules.metrics.matched(fact.metric_label, fact.dimension, fact.unit)
    if alias is not None:
        metric_why = f"alias {alias!r} {metric_why}"
    words = " ".join(rules.labeler.reader.words_before(doc, quantity)) or "(none)"
    return [f"      period {fact.period}: {how}; in {scope} (period {section.period})",
            f"      aspect {fact.aspect}, change {fact.change}: cue {cue!r}" if cue else
            f"      aspect {fact.aspect}: no cue word in its clause",
            f"      metric_label {fact.metric_label!r} from the words: {words}",
            f"      metric {fact.metric}: {metric_why}",
            f"      is_target {fact.is_target}: {target}"]


def _fact_line(fact: Fact) -> str:
    extra = "".join(f" {key}={getattr(fact, key):g}" for key in ("value_max", "previous_value")
                    if getattr(fact, key) is not None)
    change = f" change={fact.change}" if fact.change else ""
    return (f"  [{fact.start}:{fact.end}] {fact.text}  value={fact.value:g} unit={fact.unit or '-'} "
            f"dimension={fact.dimension} qualifier={fact.qualifier}{extra}{change}  ({fact.rule_id})")


def _describe(event: Event, text: str) -> str:
    head = f"  [{event.start}:{event.end}] {text[event.start:event.end]!r} {event.rule.id}"
    if event.outcome == "skip":
        return f"{head} skipped: {event.rule.skip}"
    if event.outcome == "rejected":
        return f"{head} rejected: {event.reason}"
    values = ", ".join(f"{q.text}={q.value:g} {q.unit}".rstrip() for q in event.quantities)
    return f"{head} fact: {values}"


def _shadowed(text: str, rules: RuleSet, events: list[Event]):
    decided = {(e.rule.id, e.start, e.end) for e in events}
    winners = [e for e in events if e.outcome != "rejected"]
    for rule in rules.rules:
        for match in rule.pattern.finditer(text, overlapped=True):
            start, end = match.span()
            if (rule.id, start, end) in decided or start == end:
                continue
            winner = next((e for e in winners if e.start < end and start < e.end), None)
            if winner is None or winner.rule is rule:
                continue
            yield (f"  [{start}:{end}] {text[start:end]!r} {rule.id} lost to {winner.rule.id} "
                   f"[{winner.start}:{winner.end}]")
