"""Find the figures of one text: scan with the rules' master pattern and apply each
rule's action to its match.

The scan is leftmost-first: at each place the first rule (in rule order) that
matches wins and its span is consumed. A rule whose action rejects its match
gives way to the later rules at the same place, then to the next place.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from pipeline.deadline import bounded, has_deadline
from pipeline.find.actions import ACTIONS, MatchView, Quantity, Rejected

if TYPE_CHECKING:
    from pipeline.ruleset.load import RuleSet
    from pipeline.ruleset.rule import Rule
    from pipeline.ruleset.standard import StandardMaster

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
    version is rules.regex_master().finditer(text). No figure begins anywhere else.
    """
    regions = _regions(text, rules)
    region = 0
    position = 0
    lead, anchor = (rules.candidates.groupindex[name] for name in ("lead", "anchor"))
    match_at = _matcher(rules)
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
            found = match_at(text, start)
            if found is None:
                continue
            match, rule, names = found
            event = _apply(rule, MatchView(match, names), rules)
            if event.reason:
                yield event  # rejections are yielded for explain
                event = yield from _retry(text, start, rule, match_at, rules)
            if event is not None:
                yield event
                position = max(event.end, start + 1)
                break


def first_disagreement(text: str, rules: RuleSet) -> tuple[int, str, str] | None:
    """Where the master pattern on `re` finds another rule or span than on `regex`, as
    (place, what regex found, what re found); None where they agree throughout."""
    by_regex, by_re = _matcher(rules, standard=False), _matcher(rules)
    for candidate in rules.candidates.finditer(text):
        start = candidate.start()
        readings = _reading(by_regex(text, start)), _reading(by_re(text, start))
        if readings[0] != readings[1]:
            return start, *readings
    return None


def _reading(found) -> str:
    return "nothing" if found is None else f"{found[1].id} {found[0].span()}"


def _matcher(rules: RuleSet, standard: bool = True):
    """A function of (text, start, place) giving (match, rule, its group numbers) of the
    first rule in rule order, after the rule at `place` when one is given, that matches at
    start; None where none does. On `re` where the rules allow
    (pipeline/ruleset/standard.py), on `regex` under a thread's deadline."""
    standard = None if has_deadline() or not standard else rules.standard()
    return _on_regex(rules) if standard is None else _on_re(rules, standard)


def _on_regex(rules: RuleSet):
    master, by_group = bounded(rules.regex_master().match), rules.by_group

    def match_at(text: str, start: int, place: int = -1):
        end = start + WINDOW
        if place < 0:
            # The window bounds the regex engine's search for a required literal, which
            # otherwise runs to the end of the text at every candidate.
            match = master(text, start, end)
            if match is None:
                return None
            rule = by_group[match.lastgroup]
            return match, rule, rule.numbers
        for rule in (r for r in rules.rules[place + 1:] if not r.region):
            match = bounded(rule.pattern.match)(text, start, end)
            if match:
                return match, rule, rule.own_numbers()
        return None
    return match_at


def _on_re(rules: RuleSet, standard: StandardMaster):
    by_group, alone, order, again = rules.by_group, standard.alone, standard.order, standard.again
    last = len(order)

    def match_at(text: str, start: int, place: int = -1):
        end = start + WINDOW
        branches = standard.whole if place < 0 else standard.after(place)
        match = branches.pattern.match(text, start, end) if branches else None
        winner = order[match.lastgroup] if match else last
        for index, rule in alone:
            if index > winner:
                break
            if index > place:
                own = rule.pattern.match(text, start, end)
                if own:
                    return own, rule, rule.own_numbers()
        if match is None:
            return None
        group = match.lastgroup
        rule = by_group[group]
        if group in again:
            return rule.pattern.match(text, start, end), rule, rule.own_numbers()
        return match, rule, branches.numbers[group]
    return match_at


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


def _retry(text: str, start: int, failed: Rule, match_at, rules: RuleSet):
    """The later rules, in order, at the place where `failed` was rejected."""
    place = rules.rules.index(failed)
    while (found := match_at(text, start, place)) is not None:
        match, rule, names = found
        event = _apply(rule, MatchView(match, names), rules)
        if not event.reason:
            return event
        yield event
        place = rules.rules.index(rule)
    return None
