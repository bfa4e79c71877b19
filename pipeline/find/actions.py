"""The named functions a rule's `action` refers to.

Each takes the match of its rule (through a MatchView, which hides the
prefixed group names of the master pattern) and the lexicon (units and
qualifiers), and returns the quantities the match states, or Rejected with the
reason it is no fact. Numbers are read by parse_numeral, units by the unit
table: an action only decides which groups mean what.

Each action declares the pattern groups it needs and those it may read
(`@action`); the rule loader checks every rule's groups against them, so a
misspelt group is a rule-file error, not a failure at run time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from pipeline.find.numerals import magnitude, magnitude_tail, parse_numeral
from pipeline.ruleset.lexicon import EMPTY_UNIT, Lexicon, Unit


@dataclass
class Quantity:
    start: int
    end: int
    text: str
    value: float
    unit: str
    dimension: str
    value_raw: str
    unit_raw: str
    qualifier: str = "exact"
    value_max: float | None = None
    previous_value: float | None = None
    change: str | None = None
    previous_period: str | None = None
    # What a figure says of itself, whatever the words before it: 翻一番 is growth.
    aspect: str | None = None


class Rejected(NamedTuple):
    reason: str


@dataclass(frozen=True)
class Action:
    name: str
    function: Callable
    needs: frozenset[str]
    reads: frozenset[str]
    # Groups read with every capture of a repeat (MatchView.spans), which only `regex` keeps.
    repeated: frozenset[str] = frozenset()

    def group_problems(self, groups: set[str]) -> list[str]:
        """What is wrong with a rule's pattern groups for this action."""
        problems = []
        missing = self.needs - groups
        if missing:
            problems.append(f"action {self.name!r} needs the group(s) {sorted(missing)}")
        unknown = groups - self.needs - self.reads
        if unknown:
            problems.append(f"action {self.name!r} reads no group {sorted(unknown)}; "
                            f"it reads {sorted(self.needs | self.reads)}")
        return problems


ACTIONS: dict[str, Action] = {}


def action(name: str, needs: tuple[str, ...], reads: tuple[str, ...] = (), repeated: tuple[str, ...] = ()):
    """Register a function as the action `name`, with the groups it needs and may read, and
    those it reads every capture of."""
    def register(function: Callable) -> Callable:
        ACTIONS[name] = Action(name, function, frozenset(needs), frozenset(reads), frozenset(repeated))
        return function
    return register


class MatchView:
    """A rule's own group names over a match of the master pattern; `names` maps each to
    the numbers of the groups that carry it in the pattern matched (several where the
    pattern gave each its own name: pipeline/ruleset/standard.py). Speed: groups are read
    by number; the plain version reads match.group(prefixed name)."""

    def __init__(self, match, names: dict[str, tuple[int, ...]]):
        self.match = match
        self.names = names
        self.doc = match.string

    def _group(self, name: str) -> int | None:
        """The group that carries `name`: of several, the last that took part."""
        groups = self.names.get(name)
        if not groups:
            return None
        if len(groups) == 1:
            return groups[0]
        start = self.match.start
        return next((group for group in groups[:0:-1] if start(group) >= 0), groups[0])

    def text(self, name: str) -> str | None:
        group = self._group(name)
        return self.match.group(group) if group else None

    def span(self, name: str) -> tuple[int, int] | None:
        group = self._group(name)
        if not group:
            return None
        span = self.match.span(group)
        return span if span[0] >= 0 else None

    def spans(self, name: str) -> list[tuple[int, int]]:
        group = self._group(name)
        return list(self.match.spans(group)) if group else []

    def outer(self, *names: str) -> tuple[int, int]:
        """From the first to the last of the named groups that matched."""
        first = last = None
        for name in names:
            span = self.span(name)
            if span:
                first = first or span
                last = span
        return first[0], last[1]


def _round(value: float) -> float:
    # A whole number below 10^12 already reads the same to 12 digits.
    if -1e12 < value < 1e12 and value == int(value):
        return float(value)
    # 4800亩 * 2000/3 should read 3200000, not 3199999.9999999995.
    return float(f"{value:.12g}")


def _qualifier(lexicon: Lexicon, view: MatchView, *groups: str) -> str:
    for group in groups:
        word = view.text(group)
        if word:
            return lexicon.qualifiers[word]
    return "exact"


def _unit(lexicon: Lexicon, surface: str | None) -> Unit | None:
    return lexicon.unit(surface) if surface else EMPTY_UNIT


def _quantity(view: MatchView, lexicon: Lexicon, span: tuple[int, int], num: str, unit_surface: str | None,
              qualifier: str, scale: float = 1.0):
    unit = _unit(lexicon, unit_surface)
    if unit is None:
        return Rejected(f"unit {unit_surface!r} is not in the unit table")
    try:
        number = parse_numeral(num)
    except ValueError as exc:
        return Rejected(str(exc))
    if unit.unit == "year" and _looks_like_year(num):
        return Rejected(f"{num}年 is a calendar year, not a duration")
    start, end = span
    return Quantity(start, end, view.doc[start:end], _round(number * scale * unit.factor), unit.unit,
                    unit.dimension, num, unit_surface or "", qualifier)


@action("quantity", needs=("num",), reads=("pre", "inf", "mag", "unit", "post"))
def quantity(view: MatchView, lexicon: Lexicon):
    """A number with its unit and qualifiers: 600余家, 超过80%, 60万平方米, 近千亿, 5500多万辆."""
    span = view.outer("pre", "num", "inf", "mag", "unit", "post")
    return [_quantity(view, lexicon, span, view.text("num"), view.text("unit"),
                      _qualifier(lexicon, view, "pre", "inf", "post"), magnitude(view.text("mag")))]


@action("per_first", needs=("per", "num", "unit"), reads=("pre", "post"))
def per_first(view: MatchView, lexicon: Lexicon):
    """每立方米19微克: the quantity per unit written first, in the compound unit 微克/立方米."""
    span = view.outer("pre", "per", "num", "unit", "post")
    return [_quantity(view, lexicon, span, view.text("num"), f"{view.text('unit')}/{view.text('per')}",
                      _qualifier(lexicon, view, "pre", "post"))]


@action("range", needs=("low", "sep", "high", "unit"), reads=("pre", "low_unit", "post"))
def number_range(view: MatchView, lexicon: Lexicon):
    """4.5%—5%, 3-5年, 100万至120万人: value is the low end, value_max the high end."""
    low_text, high_text = view.text("low"), view.text("high")
    unit_surface = view.text("unit")
    low_unit = view.text("low_unit")
    if low_unit and lexicon.unit(low_unit).dimension != lexicon.unit(unit_surface).dimension:
        return Rejected(f"the ends of the range have different units ({low_unit}, {unit_surface})")
    # 5-10万元 writes the magnitude once, on the upper end.
    scale = magnitude_tail(high_text) if magnitude_tail(low_text) == 1 and not low_unit else 1
    span = view.outer("pre", "low", "unit", "post")
    low = _quantity(view, lexicon, span, low_text, low_unit or unit_surface, "range", scale)
    high = _quantity(view, lexicon, span, high_text, unit_surface, "range")
    if isinstance(low, Rejected) or isinstance(high, Rejected):
        return low if isinstance(low, Rejected) else high
    if high.value <= low.value:
        return Rejected(f"not a range: {low.value} is not below {high.value}")
    low.value_max = high.value
    low.value_raw = f"{low_text}{low_unit or ''}{view.text('sep')}{high_text}"
    return [low]


@action("from_to", needs=("old", "num"), reads=("old_when", "old_unit", "pre", "inf", "unit", "post"))
def from_to(view: MatchView, lexicon: Lexicon):
    """由34天缩减至12天: one row, the new value, with the old one as previous_value."""
    new_unit = view.text("unit")
    span = view.outer("pre", "num", "inf", "unit", "post")
    new = _quantity(view, lexicon, span, view.text("num"), new_unit,
                    _qualifier(lexicon, view, "pre", "inf", "post"))
    old = _quantity(view, lexicon, view.span("old"), view.text("old"), view.text("old_unit") or new_unit, "exact")
    if isinstance(new, Rejected) or isinstance(old, Rejected):
        return new if isinstance(new, Rejected) else old
    if not new_unit and all(_looks_like_year(v.value_raw) for v in (old, new)):
        return Rejected("from one year to another is a time span, not a change")
    moved = _moved(new, old, view.text("old_when"))
    return moved if isinstance(moved, Rejected) else [moved]


@action("from_to_list", needs=("old", "item", "unit"), reads=("old_when", "old_unit"),
        repeated=("old", "old_unit", "item", "unit"))
def from_to_list(view: MatchView, lexicon: Lexicon):
    """从46503元和16935元分别提高到58794元和23184元: one row per new value, the old value in the
    same place of its list its previous_value (in its own unit, or else the new value's); lists
    of different lengths pair nothing."""
    olds, items, units = view.spans("old"), view.spans("item"), view.spans("unit")
    old_units = [view.doc[start:end] for start, end in view.spans("old_unit")]
    if len(olds) != len(items) or len(old_units) not in (0, len(olds)):
        return Rejected(f"{len(olds)} old values ({len(old_units)} with units) for {len(items)} new ones")
    rows = []
    for index, ((start, end), (unit_start, unit_end)) in enumerate(zip(items, units)):
        unit = view.doc[unit_start:unit_end]
        new = _quantity(view, lexicon, (start, unit_end), view.doc[start:end], unit, "exact")
        old = _quantity(view, lexicon, olds[index], view.doc[slice(*olds[index])],
                        old_units[index] if old_units else unit, "exact")
        if isinstance(new, Rejected) or isinstance(old, Rejected):
            return new if isinstance(new, Rejected) else old
        moved = _moved(new, old, view.text("old_when"))
        if isinstance(moved, Rejected):
            return moved
        rows.append(moved)
    return rows


def _moved(new: Quantity, old: Quantity, when: str | None) -> Quantity | Rejected:
    """The new value of a from/to statement, with the old one as its previous_value."""
    if old.dimension != new.dimension:
        return Rejected(f"old and new value have different units ({old.unit_raw}, {new.unit_raw})")
    if new.value == old.value:
        return Rejected("the old and the new value are the same")
    new.previous_value = old.value
    new.change = "increase" if new.value > old.value else "decrease"
    # 从2020年的5.2万元: the old value's year is its period.
    new.previous_period = str(int(parse_numeral(when[:4]))) if when else None
    return new


def _looks_like_year(numeral: str) -> bool:
    return numeral.isdigit() and 1600 <= int(numeral) < 2200


@action("shared_unit_list", needs=("item", "unit"), repeated=("item",))
def shared_unit_list(view: MatchView, lexicon: Lexicon):
    """3、5、8家: one row per number, all in the unit written after the last; an item that
    writes the unit's first character (12.7个、12个百分点) keeps it in its text."""
    unit_surface = view.text("unit")
    spans = view.spans("item")
    rows = []
    for index, (start, end) in enumerate(spans):
        if index == len(spans) - 1:
            span = (start, view.span("unit")[1])
        else:
            span = (start, end + 1 if view.doc.startswith(unit_surface[0], end) else end)
        row = _quantity(view, lexicon, span, view.doc[start:end], unit_surface, "exact")
        if isinstance(row, Rejected):
            return row
        rows.append(row)
    return rows


@action("tally", needs=("item", "unit"), repeated=("item", "unit"))
def tally(view: MatchView, lexicon: Lexicon):
    """3金5银27铜: each number with the unit word that follows it."""
    rows = []
    for (start, end), (_, unit_end) in zip(view.spans("item"), view.spans("unit")):
        row = _quantity(view, lexicon, (start, unit_end), view.doc[start:end], view.doc[end:unit_end], "exact")
        if isinstance(row, Rejected):
            return row
        rows.append(row)
    return rows


@action("fraction", needs=("fraction", "numerator", "denominator"), reads=("pre", "post"))
def fraction(view: MatchView, lexicon: Lexicon):
    """五分之一, 千分之一, 1/3: a share in percent."""
    try:
        numerator, denominator = parse_numeral(view.text("numerator")), parse_numeral(view.text("denominator"))
    except ValueError as exc:
        return Rejected(str(exc))
    if not 0 < numerator <= denominator:
        return Rejected(f"not a proper fraction: {numerator}/{denominator}")
    span = view.outer("pre", "fraction", "post")
    raw = view.text("fraction")
    return [Quantity(span[0], span[1], view.doc[span[0]:span[1]], _round(100 * numerator / denominator),
                     "%", "percent", raw, "", _qualifier(lexicon, view, "pre", "post"))]


@action("tenths", needs=("num", "unit"), reads=("pre", "post"))
def tenths(view: MatchView, lexicon: Lexicon):
    """三成, 近八成, 九成以上: tenths, in percent."""
    span = view.outer("pre", "num", "unit", "post")
    return [_quantity(view, lexicon, span, view.text("num"), view.text("unit"),
                      _qualifier(lexicon, view, "pre", "post"))]


@action("half", needs=("half",), reads=("pre",))
def half(view: MatchView, lexicon: Lexicon):
    """近半, 过半: fifty percent."""
    span = view.outer("pre", "half")
    return [Quantity(span[0], span[1], view.doc[span[0]:span[1]], 50.0, "%", "percent", "半", "",
                     _qualifier(lexicon, view, "pre"))]


@action("doubling", needs=("doubling",), reads=("num",))
def doubling(view: MatchView, lexicon: Lexicon):
    """翻一番 = 2 x, 翻两番 = 4 x: each 番 doubles, a growth (FACTS.md)."""
    times = view.text("num")
    try:
        count = parse_numeral(times) if times else 1
    except ValueError as exc:
        return Rejected(str(exc))
    start, end = view.outer("doubling")
    return [Quantity(start, end, view.doc[start:end], _round(2 ** count), "x", "ratio",
                     view.doc[start:end], "番", change="increase", aspect="growth")]
