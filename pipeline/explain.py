"""Explain what the rules do with a text, for rule authors.

Lists each decision of the scan (a fact, a skip, a rejection, with the rule
and the reason), then every place where some rule alone would have matched
but lost to another rule, then the rows that result.
"""
from __future__ import annotations

from pipeline.extract import Event, extract_facts, scan
from pipeline.rules import RuleSet


def explain_text(text: str, rules: RuleSet) -> str:
    events = list(scan(text, rules))
    lines = ["decisions:"]
    lines += [_describe(event, text) for event in events] or ["  (no rule matched)"]
    shadowed = list(_shadowed(text, rules, events))
    if shadowed:
        lines.append("candidates that lost to another rule:")
        lines += shadowed
    rows = extract_facts(text, rules)
    lines.append(f"rows ({len(rows)}):")
    for row in rows:
        extra = "".join(f" {key}={row[key]:g}" for key in ("value_max", "previous_value")
                        if row[key] is not None)
        change = f" change={row['change']}" if row["change"] else ""
        lines.append(f"  [{row['start']}:{row['end']}] {row['text']}  value={row['value']:g} "
                     f"unit={row['unit'] or '-'} dimension={row['dimension']} "
                     f"qualifier={row['qualifier']}{extra}{change}  ({row['rule_id']})")
    return "\n".join(lines)


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
