"""The lexicon tables: units and qualifier words (rules/units.toml, qualifiers.toml),
and the regex fragments built from them ({unit}, {unit_<dimension>}, {prefix} …).

Alternations are built from the tables at load time as tries, longest surface
first, never written by hand.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.ruleset.errors import RuleError, check_keys
from pipeline.ruleset.files import RuleFile

QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range")
POSITIONS = ("prefix", "infix", "suffix")
DIMENSIONS = ("currency", "percent", "percentage_point", "count", "area", "length", "mass",
              "volume", "power", "energy", "duration", "ratio", "other")
UNIT_KEYS = {"surface", "unit", "dimension", "factor", "arabic_only", "not_before", "listed", "example"}
QUALIFIER_KEYS = {"surface", "position", "qualifier", "not_after", "example"}


@dataclass(frozen=True)
class Unit:
    surface: str
    unit: str
    dimension: str
    factor: float = 1.0
    arabic_only: bool = False
    not_before: str = ""
    listed: bool = True


# A figure written without a unit (城乡居民收入比值由3.27缩小至2.93).
EMPTY_UNIT = Unit("", "", "other")


@dataclass
class Lexicon:
    """What an action reads a match with: the unit table and the qualifier words."""
    units: dict[str, Unit]
    qualifiers: dict[str, str]
    # (word, vetoes) of the qualifier words at each position: prefix, infix, suffix.
    by_position: dict[str, list[tuple[str, str]]]
    # The prefix words, longest first.
    prefixes: tuple[str, ...]

    def unit(self, surface: str) -> Unit | None:
        found = self.units.get(surface)
        if found is None and "/" in surface:
            # A compound unit (微克/立方米, 元/吨) is kept as written.
            return Unit(surface, surface, "other")
        return found


def load_lexicon(files: list[RuleFile]) -> Lexicon:
    qualifiers, by_position = _load_qualifiers(files)
    prefixes = tuple(sorted((w for w, _ in by_position["prefix"]), key=len, reverse=True))
    return Lexicon(_load_units(files), qualifiers, by_position, prefixes)


def _load_units(files: list[RuleFile]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for file in files:
        for index, entry in enumerate(file.data.get("units", []), 1):
            where = file.where("units", index, f"unit {entry.get('surface', index)}")
            check_keys(entry, UNIT_KEYS, where)
            surface = entry.get("surface")
            if not isinstance(surface, str) or not surface or "dimension" not in entry:
                raise RuleError(f"{where}: a unit needs a surface (a string) and a dimension: {entry}")
            _check_types(entry, {"unit": str, "factor": (int, float), "arabic_only": bool, "not_before": str,
                                 "listed": bool}, where)
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


def _load_qualifiers(files: list[RuleFile]):
    qualifiers: dict[str, str] = {}
    by_position: dict[str, list[tuple[str, str]]] = {p: [] for p in POSITIONS}
    for file in files:
        for index, entry in enumerate(file.data.get("qualifiers", []), 1):
            where = file.where("qualifiers", index, f"qualifier {entry.get('surface', index)}")
            check_keys(entry, QUALIFIER_KEYS, where)
            if not isinstance(entry.get("surface"), str) or not entry["surface"]:
                raise RuleError(f"{where}: a qualifier needs a surface (a string): {entry}")
            _check_types(entry, {"not_after": str}, where)
            if entry.get("qualifier") not in QUALIFIERS or entry.get("position") not in POSITIONS:
                raise RuleError(f"{where}: qualifier needs position in {POSITIONS} and qualifier in "
                                f"{QUALIFIERS}: {entry}")
            if entry["surface"] in qualifiers:
                raise RuleError(f"{where}: qualifier {entry['surface']!r} defined twice")
            by_position[entry["position"]].append((entry["surface"], entry.get("not_after", "")))
            qualifiers[entry["surface"]] = entry["qualifier"]
    return qualifiers, by_position


def _check_types(entry: dict, types: dict, where: str) -> None:
    for key, wanted in types.items():
        if key in entry and (not isinstance(entry[key], wanted) or isinstance(entry[key], bool) != (wanted is bool)):
            raise RuleError(f"{where}: {key} has the wrong type: {entry[key]!r}")


def generated_fragments(lexicon: Lexicon) -> dict[str, str]:
    """Fragments built from the lexicons: {unit}, {unit_all}, {unit_<dimension>}, {prefix}…"""
    # Units with listed = false are left to the rules that name them (3金5银27铜).
    every = [u for u in lexicon.units.values() if u.listed]
    fragments = {
        "unit": _unit_alternation([u for u in every if not u.arabic_only]),
        "unit_all": _unit_alternation(every),
    }
    for dimension in DIMENSIONS:
        fragments[f"unit_{dimension}"] = _unit_alternation(
            [u for u in every if u.dimension == dimension and not u.arabic_only])
    for position in POSITIONS:
        fragments[position] = trie_alternation((word, veto, "") for word, veto in lexicon.by_position[position])
    return fragments


def _unit_alternation(units) -> str:
    return trie_alternation((u.surface, "", u.not_before) for u in units)


def trie_alternation(words) -> str:
    """One alternative per (surface, vetoes before, vetoes after), longest surface first.

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
