"""Find the figures of one text: scan with the rules' master pattern and apply each
rule's action to its match.

The scan is leftmost-first: at each place the first rule (in rule order) that
matches wins and its span is consumed. A rule whose action rejects its match
gives way to the later rules at the same place, then to the next place.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from pipeline.deadline import bounded
from pipeline.find.actions import ACTIONS, MatchView, Quantity, Rejected

if TYPE_CHECKING:
    from pipeline.ruleset.load import RuleSet
    from pipeline.ruleset.rule import Rule

# No figure's match is longer than this many characters.
WINDOW = 60


@dataclass
class Event:
    """What one rule did at one place: quantities, a skip, or a rejection."""
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


def find_quantities(text: str, rules: RuleSet) -> list[tuple[Quantity, Rule]]:
    """Every quantity of the text with the rule that found it, in order of (start, end, rule id)."""
    found = [(quantity, event.rule) for event in scan(text, rules) for quantity in event.quantities]
    found.sort(key=lambda pair: (pair[0].start, pair[0].end, pair[1].id))
    return found


def scan(text: str, rules: RuleSet) -> Iterator[Event]:
    """Every rule decision over the text, in order of position.

    Speed: the master pattern is tried only where a candidate begins (a numeral,
    or a lead word right before one), in a window of WINDOW characters; the plain
    version is rules.master.finditer(text). No figure begins anywhere else.
    """
    regions = _regions(text, rules)
    region = 0
    position = 0
    lead, anchor = (rules.candidates.groupindex[name] for name in ("lead", "anchor"))
    master = bounded(rules.master.match)
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
            match = master(text, start, start + WINDOW)
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
                   for m in bounded(rule.pattern.finditer)(text))
    regions: list[Event] = []
    for start, negative_end, _, rule in found:
        if not regions or start >= regions[-1].end:
            regions.append(Event(rule, start, -negative_end, []))
    return regions


def _apply(rule: Rule, view: MatchView, rules: RuleSet) -> Event:
    start, end = view.match.span()
    if rule.skip:
        return Event(rule, start, end, [])
    result = ACTIONS[rule.action].function(view, rules.lexicon)
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
        match = bounded(rule.pattern.match)(text, start, start + WINDOW)
        if match is None:
            continue
        event = _apply(rule, MatchView(match, {name: rule.pattern.groupindex[name] for name in rule.names}), rules)
        if not event.reason:
            return event
        yield event
    return None
