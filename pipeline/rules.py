"""Load and validate the rule files in rules/.

Rule files are TOML. A file may hold lexicon tables (units, qualifiers),
named regex fragments, and rules. Patterns refer to fragments as {name}; the
loader expands them, builds the lexicon alternations longest surface first,
prefixes each rule's group names so all rules compile into one master
pattern, and checks everything it can before a document is read. Every error
names the file, the rule and, where it can, the line.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import regex

from pipeline.context import Cues, load_cues
from pipeline.errors import RuleError, check_keys
from pipeline.label import Labeler, load_labeler
from pipeline.metrics import Metrics, load_metrics
from pipeline.sections import Sectioner, load_sectioner
from pipeline.period import Periods, load_periods

FLAGS = regex.VERBOSE | regex.UNICODE
QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range")
POSITIONS = ("prefix", "infix", "suffix")
DIMENSIONS = ("currency", "percent", "percentage_point", "count", "area", "length", "mass",
              "volume", "power", "energy", "duration", "ratio", "other")
FILE_KEYS = {"order", "units", "qualifiers", "fragments", "rule", "cues", "cue_examples", "target_words",
             "achieved_words", "not_target_words", "relative", "plan", "period_example", "metric", "metric_example",
             "label", "label_example", "section", "entity", "entity_example"}
RULE_KEYS = {"name", "pattern", "action", "skip", "region", "example", "description"}
EXAMPLE_KEYS = {"text", "rows", "known_failure"}
ROW_KEYS = {"text", "value", "value_max", "unit", "dimension", "qualifier", "previous_value",
            "change", "value_raw", "unit_raw", "rule", "previous_period"}
UNIT_KEYS = {"surface", "unit", "dimension", "factor", "arabic_only", "not_before", "listed"}
QUALIFIER_KEYS = {"surface", "position", "qualifier", "not_after"}
FRAGMENT_REF = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_]\w*)\}")
GROUP_DEF = regex.compile(r"\(\?P<([A-Za-z_]\w*)>")
GROUP_REF = regex.compile(r"\(\?P=([A-Za-z_]\w*)\)")


@dataclass(frozen=True)
class Unit:
    surface: str
    unit: str
    dimension: str
    factor: float = 1.0
    arabic_only: bool = False
    not_before: str = ""
    listed: bool = True


@dataclass(frozen=True)
class Example:
    text: str
    rows: tuple[dict, ...]
    known_failure: str | None = None


@dataclass
class Rule:
    id: str
    name: str
    file: str
    line: int | None
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
                raise RuleError(f"{self.where()} ({self.id}): bad regex: {exc}") from exc
        return self.compiled

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class RuleSet:
    """The validated rules, and the patterns the scan runs.

    `candidates` finds the places where a match may begin (a numeral, with a
    lead word or qualifier before it); `master` is tried only there.
    `regions` are skip rules found by their own pass over the whole text.
    """
    units: dict[str, Unit]
    qualifiers: dict[str, str]
    rules: list[Rule]
    master: regex.Pattern
    candidates: re.Pattern | regex.Pattern
    regions: list[Rule]
    prefixes: tuple[str, ...]
    cues: Cues
    periods: Periods
    labeler: Labeler
    metrics: Metrics
    sectioner: Sectioner
    digest: str
    by_group: dict[str, Rule]

    def unit(self, surface: str) -> Unit | None:
        found = self.units.get(surface)
        if found is None and "/" in surface:
            # A compound unit (微克/立方米, 元/吨) is kept as written.
            return Unit(surface, surface, "other")
        return found


def load_rules(directory: str | Path, check: bool = True) -> RuleSet:
    """Read every *.toml under `directory` into one validated RuleSet.

    With `check`, every rule is compiled on its own and must match its own
    examples; without it (an extraction run) a rule is compiled when first
    used, and a bad regex is still named by its rule."""
    directory = Path(directory)
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise RuleError(f"{directory}: no rule files (*.toml)")
    parsed = [(path, _read_toml(path)) for path in files]
    digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in files)).hexdigest()
    for path, data in parsed:
        check_keys(data, FILE_KEYS, path.name)
    units = _load_units(parsed)
    qualifiers, by_position = _load_qualifiers(parsed)
    fragments = _generated_fragments(units, by_position)
    fragments.update(_load_fragments(parsed, set(fragments)))
    rules = _load_rules(parsed)
    for index, rule in enumerate(rules):
        _compile_rule(rule, index, fragments)
        if check:
            _check_examples(rule, units)
    scanned = [r for r in rules if not r.region]
    try:
        master = regex.compile("|".join(f"(?P<{r.group}>{_renamed(r)})" for r in scanned), FLAGS)
    except regex.error:
        for rule in scanned:
            rule.pattern  # raises RuleError naming the rule
        raise
    for rule in scanned:
        rule.numbers = {name: master.groupindex[group] for name, group in rule.names.items()}
    candidates = _candidate_pattern(fragments, units, by_position)
    prefixes = tuple(sorted((w for w, _ in by_position["prefix"]), key=len, reverse=True))
    cues = load_cues(parsed, DIMENSIONS)
    periods = load_periods(parsed)
    metrics = load_metrics(parsed, DIMENSIONS)
    # jieba keeps every metric alias whole.
    labeler = load_labeler(parsed, units, [*qualifiers, *cues.changing_words()], metrics.surfaces)
    return RuleSet(units, qualifiers, rules, master, candidates, [r for r in rules if r.region],
                   prefixes, cues, periods, labeler, metrics, load_sectioner(parsed), digest,
                   {r.group: r for r in rules})


def _candidate_pattern(fragments: dict[str, str], units: dict[str, Unit], by_position) -> re.Pattern | regex.Pattern:
    """Where a match may begin: a lead word before a numeral, an Arabic numeral, or a
    Chinese numeral followed by a character that can continue a figure.

    Chinese numeral characters are common in prose (统一, 一些, 十分); a run that is
    followed by nothing a figure could go on with is not worth trying the rules on.
    That set is the first characters of every unit and of the infix and suffix
    qualifiers, plus the {follow} fragment.
    """
    for name in ("anchor", "lead", "follow"):
        if name not in fragments:
            raise RuleError(f"the rule files must define the fragment {{{name}}} that steers the scan")
    lead_words = fragments["lead"].split("|")
    if not all(word and re.escape(word) == word for word in lead_words):
        raise RuleError(f"the fragment {{lead}} must be plain words joined by |: {fragments['lead']!r}")
    firsts = {u.surface[0] for u in units.values()}
    firsts |= {word[0] for position in ("infix", "suffix") for word, _ in by_position[position]}
    follow = "[" + regex.escape("".join(sorted(firsts))) + "]|" + fragments["follow"]
    source = _expand(f"""(?P<lead>{{prefix}}|{{lead}})[ \t]?(?P<anchor>{{anchor}}+)
      | [0-9０-９]{{anchor}}*
      | (?>{{anchor}}+)(?:{follow})""", fragments, "the candidate pattern")
    # This pattern is searched for over the whole text, so it runs on the standard engine
    # where it can: `regex` tests a character against a class member by member, `re` in
    # one step, and the look-ahead of possible first characters lets it pass over the
    # rest at that cost. Over the reference reports the scan takes half the time.
    starts = {word[0] for word, _ in by_position["prefix"]} | {word[0] for word in lead_words}
    try:
        return re.compile(f"(?=[{re.escape(''.join(sorted(starts)))}]|{fragments['anchor']})(?:{source})",
                          re.VERBOSE)
    except re.error:  # a fragment written with syntax only `regex` reads
        return regex.compile(source, FLAGS)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path.name}: {exc}") from exc


def _line_of(path: Path, needle: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    return None


def _load_units(parsed) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for path, data in parsed:
        for entry in data.get("units", []):
            where = f"{path.name}:{_line_of(path, repr(entry.get('surface', '?'))[1:-1])}"
            check_keys(entry, UNIT_KEYS, where)
            surface = entry.get("surface")
            if not surface or "dimension" not in entry:
                raise RuleError(f"{where}: a unit needs surface and dimension: {entry}")
            if entry["dimension"] not in DIMENSIONS:
                raise RuleError(f"{where}: unknown dimension {entry['dimension']!r} for {surface}")
            if surface in units:
                raise RuleError(f"{where}: unit {surface!r} defined twice")
            if "/" in surface:
                # {unit_any} reads a compound unit (元/吨) as a unit and a /-tail.
                raise RuleError(f"{where}: a unit surface may not hold a /: {surface!r} (write its parts)")
            units[surface] = Unit(surface, entry.get("unit", surface), entry["dimension"],
                                  float(entry.get("factor", 1)), bool(entry.get("arabic_only", False)),
                                  entry.get("not_before", ""), bool(entry.get("listed", True)))
    if not units:
        raise RuleError("no units: the rule files must define a units table")
    return units


def _load_qualifiers(parsed):
    qualifiers: dict[str, str] = {}
    by_position: dict[str, list[tuple[str, str]]] = {p: [] for p in POSITIONS}
    for path, data in parsed:
        for entry in data.get("qualifiers", []):
            where = f"{path.name}:{_line_of(path, repr(entry.get('surface', '?'))[1:-1])}"
            check_keys(entry, QUALIFIER_KEYS, where)
            if entry.get("qualifier") not in QUALIFIERS or entry.get("position") not in POSITIONS:
                raise RuleError(f"{where}: qualifier needs position in {POSITIONS} and qualifier in "
                                f"{QUALIFIERS}: {entry}")
            if entry["surface"] in qualifiers:
                raise RuleError(f"{where}: qualifier {entry['surface']!r} defined twice")
            by_position[entry["position"]].append((entry["surface"], entry.get("not_after", "")))
            qualifiers[entry["surface"]] = entry["qualifier"]
    return qualifiers, by_position


def _alternation(words) -> str:
    """One alternative per (surface, vetoes) pair, longest surface first.

    Vetoes are characters that may not stand next to the surface: after it
    for units (not_before), before it for qualifiers (not_after).

    The alternation is written as a trie (个(?:百分点|月|…|(?![人体]))): the
    surfaces that fit at one place are prefixes of one another, so trying a
    longer one first is trying the deeper branch first, and a character is
    compared once instead of once per surface. A look-behind veto is checked
    at the end of its surface, behind the surface itself: (?<![通经]过).
    """
    tree: dict = {}
    for surface, before, after in set(words):
        node = tree
        for char in surface:
            node = node.setdefault(char, {})
        if None in node:
            raise RuleError(f"units.toml or qualifiers.toml: {surface!r} is listed twice with different vetoes")
        look_behind = f"(?<![{regex.escape(before)}]{regex.escape(surface)})" if before else ""
        look_ahead = f"(?![{regex.escape(after)}])" if after else ""
        node[None] = look_behind + look_ahead
    return "(?:" + _trie(tree) + ")" if tree else "(?!)"


def _trie(node: dict) -> str:
    # Branches after one character are exclusive; the surface ending here is the shortest, so last.
    parts = [regex.escape(char) + _trie(node[char]) for char in sorted(c for c in node if c is not None)]
    if None in node:
        parts.append(node[None])
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _unit_alternation(units) -> str:
    return _alternation((u.surface, "", u.not_before) for u in units)


def _generated_fragments(units: dict[str, Unit], by_position) -> dict[str, str]:
    """Fragments built from the lexicons: {unit}, {unit_all}, {unit_<dimension>}, {prefix}…"""
    # Units with listed = false are left to the rules that name them (3金5银27铜).
    every = [u for u in units.values() if u.listed]
    fragments = {
        "unit": _unit_alternation([u for u in every if not u.arabic_only]),
        "unit_all": _unit_alternation(every),
    }
    for dimension in DIMENSIONS:
        fragments[f"unit_{dimension}"] = _unit_alternation(
            [u for u in every if u.dimension == dimension and not u.arabic_only])
    for position in POSITIONS:
        fragments[position] = _alternation((word, veto, "") for word, veto in by_position[position])
    return fragments


def _load_fragments(parsed, generated: set[str]) -> dict[str, str]:
    raw: dict[str, tuple[str, str]] = {}
    for path, data in parsed:
        for name, source in data.get("fragments", {}).items():
            if name in raw or name in generated:
                raise RuleError(f"{path.name}:{_line_of(path, name)}: fragment {name!r} defined twice")
            raw[name] = (path.name, source)
    return {name: source for name, (_, source) in raw.items()}


def _expand(source: str, fragments: dict[str, str], where: str, stack: tuple[str, ...] = ()) -> str:
    def replace(match: regex.Match) -> str:
        name = match.group(1)
        if name in stack:
            raise RuleError(f"{where}: cyclic fragment {' -> '.join(stack + (name,))}")
        if name not in fragments:
            raise RuleError(f"{where}: unknown fragment {{{name}}}")
        return "(?:" + _expand(fragments[name], fragments, where, stack + (name,)) + ")"
    return FRAGMENT_REF.sub(replace, source)


def _load_rules(parsed) -> list[Rule]:
    files = sorted(parsed, key=lambda item: (item[1].get("order", 50), item[0].name))
    rules: list[Rule] = []
    seen: set[str] = set()
    for path, data in files:
        for entry in data.get("rule", []):
            rules.append(_rule_from(path, entry, seen))
    if not rules:
        raise RuleError("no rules: the rule files define no [[rule]]")
    return rules


def _rule_from(path: Path, entry: dict, seen: set[str]) -> Rule:
    name = entry.get("name")
    line = _line_of(path, f'name = "{name}"')
    where = f"{path.name}:{line}" if line else path.name
    if not name:
        raise RuleError(f"{where}: a rule without a name")
    rule_id = f"{path.stem}:{name}"
    check_keys(entry, RULE_KEYS, f"{where} ({rule_id})")
    if rule_id in seen:
        raise RuleError(f"{where}: duplicate rule name {rule_id}")
    seen.add(rule_id)
    if not entry.get("pattern"):
        raise RuleError(f"{where} ({rule_id}): no pattern")
    if bool(entry.get("action")) == bool(entry.get("skip")):
        raise RuleError(f"{where} ({rule_id}): give exactly one of action (emits rows) or skip (a reason)")
    if entry.get("region") and not entry.get("skip"):
        raise RuleError(f"{where} ({rule_id}): only a skip rule can be a region")
    examples = tuple(_example_from(e, f"{where} ({rule_id})") for e in entry.get("example", []))
    if not examples:
        raise RuleError(f"{where} ({rule_id}): a rule needs examples ([[rule.example]])")
    return Rule(rule_id, name, path.name, line, entry["pattern"], entry.get("action"),
                entry.get("skip"), examples, bool(entry.get("region", False)))


def _example_from(entry: dict, where: str) -> Example:
    check_keys(entry, EXAMPLE_KEYS, where)
    if "text" not in entry or "rows" not in entry:
        raise RuleError(f"{where}: an example needs text and rows (rows = [] for a negative example)")
    for row in entry["rows"]:
        check_keys(row, ROW_KEYS, f"{where} example {entry['text']!r}")
    return Example(entry["text"], tuple(entry["rows"]), entry.get("known_failure"))


def _compile_rule(rule: Rule, index: int, fragments: dict[str, str]) -> None:
    from pipeline.actions import ACTIONS  # the actions module imports this one

    where = f"{rule.where()} ({rule.id})"
    if rule.action and rule.action not in ACTIONS:
        raise RuleError(f"{where}: unknown action {rule.action!r}; known: {sorted(ACTIONS)}")
    rule.source = _expand(rule.source, fragments, where)
    rule.group = f"R{index}"
    rule.names = {name: f"r{index}_{name}" for name in GROUP_DEF.findall(rule.source)}


def _renamed(rule: Rule) -> str:
    prefix = rule.group.lower() + "_"
    source = GROUP_DEF.sub(lambda m: f"(?P<{prefix}{m.group(1)}>", rule.source)
    return GROUP_REF.sub(lambda m: f"(?P={prefix}{m.group(1)})", source)


def _check_examples(rule: Rule, units: dict[str, Unit]) -> None:
    where = f"{rule.where()} ({rule.id})"
    canonical = {u.unit for u in units.values()}
    for example in rule.examples:
        # A skip rule's negative examples and a fact rule's positive ones are its own to match.
        own = bool(example.rows) != bool(rule.skip)
        if own and not rule.pattern.search(example.text):
            raise RuleError(f"{where}: its own pattern does not match its example {example.text!r}")
        for row in example.rows:
            unit = row.get("unit")
            if unit is not None and unit not in canonical and "/" not in unit and unit != "":
                raise RuleError(f"{where}: example unit {unit!r} is not in the unit table")
