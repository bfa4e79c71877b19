"""Explain what the rules do with a text, for rule authors.

Lists each decision of the scan (a fact, a skip, a rejection, with the rule
and the reason), then every place where some rule alone would have matched
but lost to another rule, then the rows that result.
"""
from __future__ import annotations

from pipeline.extract import extract_facts
from pipeline.fact import Fact
from pipeline.find.scan import Event, scan
from pipeline.ruleset.load import RuleSet


def explain_text(text: str, rules: RuleSet) -> str:
    events = list(scan(text, rules))
    lines = ["decisions:"]
    lines += [_describe(event, text) for event in events] or ["  (no rule matched)"]
    shadowed = list(_shadowed(text, rules, events))
    if shadowed:
        lines.append("candidates that lost to another rule:")
        lines += shadowed
    facts = extract_facts(text, rules)
    lines.append(f"rows ({len(facts)}):")
    lines += [_fact_line(fact) for fact in facts]
    return "\n".join(lines)


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
