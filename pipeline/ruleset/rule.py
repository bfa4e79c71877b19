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
from pipeline.ruleset.tables import alternation

FLAGS = regex.VERBOSE | regex.UNICODE
RULE_KEYS = {"name", "pattern", "action", "skip", "region", "example", "description", "needs", "words"}
# A rule's `needs` are looked for ahead before the clause ends: no figure holds these.
CLAUSE_ENDS = "，。；"
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
    # What must stand ahead in the clause for the rule to match (金, 银; {range_sep}), and
    # the rule's own word lists, each a {name} of its pattern (vetoes, names).
    needs: tuple[str, ...] = ()
    words: dict[str, list[str]] = field(default_factory=dict)
    compiled: regex.Pattern | None = None
    group: str = ""
    names: dict[str, str] = field(default_factory=dict)
    # Speed: the same by group number in the master pattern (see find.actions.MatchView);
    # the plain version reads a group by its prefixed name.
    numbers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    own: dict[str, tuple[int, ...]] | None = None

    def own_numbers(self) -> dict[str, tuple[int, ...]]:
        """The same in the rule's own pattern."""
        if self.own is None:
            self.own = {name: (self.pattern.groupindex[name],) for name in self.names}
        return self.own

    @property
    def pattern(self) -> regex.Pattern:
        # Compiled on first use: most runs need only the master pattern (the plain
        # version compiles every rule at load).
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


def _guarded(source: str, needs: tuple[str, ...]) -> str:
    """The pattern behind a look-ahead for its needs, so it gives up at once where none
    stands ahead in the clause, instead of trying every reading of what comes first.
    The plain version is the pattern alone: the same matches, found slower."""
    if not needs:
        return source
    wanted = "|".join(need if FRAGMENT_REF.fullmatch(need) else regex.escape(need) for need in needs)
    return f"(?=[^{CLAUSE_ENDS}]*?(?:{wanted}))" + source


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
    needs, words = _needs(entry.get("needs", []), where), _words(entry.get("words", {}), where)
    examples = tuple(parse_example(e, file.where(f"rule[{index}].example", number, f"{rule_id} example {number}"))
                     for number, e in enumerate(entry.get("example", []), 1))
    if not examples:
        raise RuleError(f"{where}: a rule needs examples ([[rule.example]])")
    return Rule(rule_id, name, place, entry["pattern"], entry.get("action"), entry.get("skip"),
                examples, bool(entry.get("region", False)), needs, words)


def _needs(needs, where: str) -> tuple[str, ...]:
    if not isinstance(needs, list) or not all(isinstance(need, str) and need for need in needs):
        raise RuleError(f"{where}: needs is a list of words or {{fragments}} one of which must stand ahead")
    return tuple(needs)


def _words(words, where: str) -> dict[str, list[str]]:
    if not isinstance(words, dict) or not all(
            isinstance(name, str) and isinstance(listed, list) and listed
            and all(isinstance(word, str) and word for word in listed) for name, listed in words.items()):
        raise RuleError(f"{where}: words is a table of named word lists (words = {{ vetoes = [\"年\"] }})")
    return words


def _compile(rule: Rule, index: int, fragments: dict[str, str]) -> None:
    where = f"{rule.where} ({rule.id})"
    shadowed = sorted(set(rule.words) & set(fragments))
    if shadowed:
        raise RuleError(f"{where}: its words {shadowed} are named like fragments of the rule files")
    own = {**fragments, **{name: alternation(words) for name, words in rule.words.items()}}
    rule.source = expand(_guarded(rule.source, rule.needs), own, where)
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
