"""The scan's master pattern on Python's own engine (`re`), which tries it at a candidate
in half the time `regex` takes (README, Benchmark). The rules are written for `regex`;
what `re` reads the same way runs on it, and the rest keeps `regex`:

- A rule may give one name to several groups (quantity reads `num` in either of two
  branches); `re` refuses that, so each gets a name of its own here, and MatchView reads
  the last of them that took part, which is the one `regex` reports.
- A rule `re` cannot read (a look-behind of varying width, \\p{…}, (?r)) is left out and
  matched on its own, in its turn: where it comes before the rule the pattern found.
- A rule whose action reads every capture of a repeated group (3、5、8家) is matched
  again by its own pattern when it wins: `re` keeps only the last capture.
- `rules check` runs the examples of every rule through both patterns; a rule that
  `re` reads another way is an error naming it.
- Under a thread's deadline (pipeline/deadline.py) the scan keeps the `regex` pattern,
  whose match a timeout stops: `re` has no timeout.

`re` takes half a second to compile the pattern, in pure Python; its compiled code is
kept in the user's cache (pipeline/cache.py), keyed by the pattern and the Python that
compiled it, and the next process loads it in milliseconds.
"""
from __future__ import annotations

import hashlib
import marshal
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import regex

import pipeline.cache as cache
from pipeline.find.actions import ACTIONS
from pipeline.ruleset.rule import GROUP_DEF

if TYPE_CHECKING:
    from pipeline.ruleset.rule import Rule

# Compiled patterns kept in the user's cache: a rule set's whole pattern and those of the
# rules after each that a match may reject, for several versions of the rules.
KEEP = 64


@dataclass
class Branches:
    """Rules as the branches of one `re` pattern."""
    pattern: re.Pattern
    # Of each rule (by its group): its group names, each with the numbers of the groups
    # that carry it.
    numbers: dict[str, dict[str, tuple[int, ...]]]


@dataclass
class StandardMaster:
    whole: Branches
    # The rules left out, each with its place in rule order.
    alone: list[tuple[int, Rule]]
    # Each rule's place in rule order, by its group.
    order: dict[str, int]
    # The rules matched again by their own pattern when they win.
    again: frozenset[str]
    inside: list[Rule]
    sources: dict[str, str]
    tails: dict[int, Branches | None] = field(default_factory=dict)

    def after(self, place: int) -> Branches | None:
        """The rules inside that come after the rule at `place` in rule order, for the scan
        to try where that rule's match was rejected; built on first use, through the cache.
        They need no vetting: each was vetted with the whole."""
        if place not in self.tails:
            later = [rule for rule in self.inside if self.order[rule.group] > place]
            self.tails[place] = _branches(later, self.sources, vet=lambda: None) if later else None
        return self.tails[place]


def standard_master(rules: list[Rule], vet: Callable[[], object]) -> StandardMaster | None:
    """The scanned rules as one `re` pattern, those it cannot read left out; None when it
    reads none of them. `vet` compiles and probes the rules on `regex` (a RuleError where
    one is bad or runs away): a pattern comes from the cache only if it passed once, and
    a rule left out is read by `regex` alone, so `vet` runs whenever one is."""
    scanned = [rule for rule in rules if not rule.region]
    sources = {rule.group: _uniquely_named(rule) for rule in scanned}
    try:
        return _made(_branches(scanned, sources, vet), rules, scanned, scanned, sources)
    except re.error:
        pass
    vet()
    # Only where a rule uses what `re` lacks: each branch compiled alone, at a slower load.
    inside = [rule for rule in scanned if _reads(sources[rule.group])]
    return _made(_branches(inside, sources, vet), rules, scanned, inside, sources) if inside else None


def _branches(rules: list[Rule], sources: dict[str, str], vet: Callable[[], object]) -> Branches:
    pattern = _compiled("|".join(f"(?P<{rule.group}>{sources[rule.group]})" for rule in rules), vet)
    carrying: dict[str, list[int]] = {}
    for group, number in sorted(pattern.groupindex.items(), key=lambda item: item[1]):
        carrying.setdefault(group.split("__")[0], []).append(number)
    return Branches(pattern, {rule.group: {name: tuple(carrying[group]) for name, group in rule.names.items()}
                              for rule in rules})


def _compiled(source: str, vet: Callable[[], object]) -> re.Pattern:
    """re.compile(source, re.VERBOSE), through the user's cache, `vet` run before a pattern
    goes in. The cache holds what re.compile hands its C engine (`_sre.compile`, which
    checks the code it is given); where any of that differs in another Python, this is
    re.compile itself."""
    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:
        vet()
        return re.compile(source, re.VERBOSE)
    key = hashlib.sha256("\n".join([sys.version, str(_sre.MAGIC), regex.__version__, source]).encode()).hexdigest()
    name = f"standard-{key[:32]}.marshal"
    content = cache.read(name)
    if content is not None:
        try:
            return _sre.compile(source, *marshal.loads(content))
        except (TypeError, ValueError, EOFError, RuntimeError):
            pass
    vet()
    try:
        parsed = _parser.parse(source, re.VERBOSE)
        state = parsed.state
        indexgroup = [None] * state.groups
        for group, index in state.groupdict.items():
            indexgroup[index] = group
        made = (int(re.VERBOSE | state.flags), [int(op) for op in _compiler._code(parsed, re.VERBOSE)],
                state.groups - 1, dict(state.groupdict), tuple(indexgroup))
        pattern = _sre.compile(source, *made)
        if cache.write(name, marshal.dumps(made)):
            cache.prune("standard-", KEEP)
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return re.compile(source, re.VERBOSE)
    return pattern


def _reads(source: str) -> bool:
    try:
        re.compile(source, re.VERBOSE)
    except re.error:
        return False
    return True


def _made(whole: Branches, rules: list[Rule], scanned: list[Rule], inside: list[Rule],
          sources: dict[str, str]) -> StandardMaster:
    order = {rule.group: index for index, rule in enumerate(rules)}
    alone = [(order[rule.group], rule) for rule in scanned if rule not in inside]
    again = frozenset(rule.group for rule in inside if rule.action and ACTIONS[rule.action].repeated)
    return StandardMaster(whole, alone, order, again, inside, sources)


def _uniquely_named(rule: Rule) -> str:
    """The rule's branch with its groups prefixed, a name given twice made unique (num,
    num__2)."""
    seen: dict[str, int] = {}

    def rename(match) -> str:
        name = match.group(1)
        seen[name] = seen.get(name, 0) + 1
        return f"(?P<{name}__{seen[name]}>" if seen[name] > 1 else match.group()
    return GROUP_DEF.sub(rename, rule.renamed())
