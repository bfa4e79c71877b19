"""Rules: a named pattern with an action (it states quantities) or a skip reason
(it is no fact), and its examples. Patterns refer to fragments as {name}; the
loader expands them and checks each rule's groups against its action's contract.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.find.actions import ACTIONS
from pipeline.ruleset.errors import RuleError, check_keys
from pipeline.ruleset.examples import Example, parse_example
from pipeline.ruleset.files import RuleFile

FLAGS = regex.VERBOSE | regex.UNICODE
RULE_KEYS = {"name", "pattern", "action", "skip", "region", "example", "description"}
FRAGMENT_REF = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_]\w*)\}")
GROUP_DEF = regex.compile(r"\(\?P<([A-Za-z_]\w*)>")
GROUP_REF = regex.compile(r"\(\?P=([A-Za-z_]\w*)\)")


@dataclass
class Rule:
    id: str
    name: str
    where: str                      # file:line of its [[rule]] header
    source: str
    action: str | None
    skip: str | None
    examples: tuple[Example, ...]
    region: bool = False
    compiled: regex.Pattern | None = None
    group: str = ""
    names: dict[str, str] = field(default_factory=dict)
    # The same by group number in the master pattern: a match reads a group by number
    # three times faster than by name.
    numbers: dict[str, int] = field(default_factory=dict)

    @property
    def pattern(self) -> regex.Pattern:
        # Compiled on first use: most runs need only the master pattern, and
        # compiling every rule once more costs a third of a second per process.
        if self.compiled is None:
            try:
                self.compiled = regex.compile(self.source, FLAGS)
            except regex.error as exc:
                raise RuleError(f"{self.where} ({self.id}): bad regex: {exc}") from exc
        return self.compiled

    def renamed(self) -> str:
        """The pattern with its groups prefixed, to be one branch of the master pattern."""
        prefix = self.group.lower() + "_"
        source = GROUP_DEF.sub(lambda m: f"(?P<{prefix}{m.group(1)}>", self.source)
        return GROUP_REF.sub(lambda m: f"(?P={prefix}{m.group(1)})", source)


def load_fragments(files: list[RuleFile], generated: dict[str, str]) -> dict[str, str]:
    fragments = dict(generated)
    for file in files:
        for name, source in file.data.get("fragments", {}).items():
            if name in fragments:
                raise RuleError(f"{file.where('fragments.' + name)}: fragment {name!r} defined twice")
            fragments[name] = source
    return fragments


def expand(source: str, fragments: dict[str, str], where: str, stack: tuple[str, ...] = ()) -> str:
    """`source` with every {name} replaced by its fragment, recursively; an unknown or
    cyclic fragment is a RuleError naming `where`."""
    def replace(match: regex.Match) -> str:
        name = match.group(1)
        if name in stack:
            raise RuleError(f"{where}: cyclic fragment {' -> '.join(stack + (name,))}")
        if name not in fragments:
            raise RuleError(f"{where}: unknown fragment {{{name}}}")
        return "(?:" + expand(fragments[name], fragments, where, stack + (name,)) + ")"
    return FRAGMENT_REF.sub(replace, source)


def load_rule_list(files: list[RuleFile], fragments: dict[str, str]) -> list[Rule]:
    """Every [[rule]], files in `order` then name order, each expanded and checked."""
    ordered = sorted(files, key=lambda file: (file.data.get("order", 50), file.name))
    rules: list[Rule] = []
    seen: set[str] = set()
    for file in ordered:
        for index, entry in enumerate(file.data.get("rule", []), 1):
            rule = _rule_from(file, index, entry, seen)
            _compile(rule, len(rules), fragments)
            rules.append(rule)
    if not rules:
        raise RuleError("no rules: the rule files define no [[rule]]")
    return rules


def _rule_from(file: RuleFile, index: int, entry: dict, seen: set[str]) -> Rule:
    name = entry.get("name")
    place = file.where("rule", index)
    if not name:
        raise RuleError(f"{place}: a rule without a name")
    rule_id = f"{file.path.stem}:{name}"
    where = f"{place} ({rule_id})"
    check_keys(entry, RULE_KEYS, where)
    if rule_id in seen:
        raise RuleError(f"{place}: duplicate rule name {rule_id}")
    seen.add(rule_id)
    if not entry.get("pattern"):
        raise RuleError(f"{where}: no pattern")
    if bool(entry.get("action")) == bool(entry.get("skip")):
        raise RuleError(f"{where}: give exactly one of action (emits rows) or skip (a reason)")
    if entry.get("region") and not entry.get("skip"):
        raise RuleError(f"{where}: only a skip rule can be a region")
    examples = tuple(parse_example(e, file.where(f"rule[{index}].example", number, f"{rule_id} example {number}"))
                     for number, e in enumerate(entry.get("example", []), 1))
    if not examples:
        raise RuleError(f"{where}: a rule needs examples ([[rule.example]])")
    return Rule(rule_id, name, place, entry["pattern"], entry.get("action"), entry.get("skip"),
                examples, bool(entry.get("region", False)))


def _compile(rule: Rule, index: int, fragments: dict[str, str]) -> None:
    where = f"{rule.where} ({rule.id})"
    rule.source = expand(rule.source, fragments, where)
    rule.group = f"R{index}"
    groups = GROUP_DEF.findall(rule.source)
    rule.names = {name: f"r{index}_{name}" for name in groups}
    if rule.action:
        action = ACTIONS.get(rule.action)
        if action is None:
            raise RuleError(f"{where}: unknown action {rule.action!r}; known: {sorted(ACTIONS)}")
        problems = action.group_problems(set(groups))
        if problems:
            raise RuleError(f"{where}: " + "; ".join(problems))
