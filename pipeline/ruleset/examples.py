"""One example shape for every table of rules/.

An example is a text (with an optional date and title to read it with) and what
extracting it must give:

- `rows`: every row, in order, on the columns each row names (`rows = []`: none);
- or `figure` (the text of one row, the first with that text) and `expect`, the
  columns this table decides for that row: `expect = { period = "2024" }`.

TOML has no null, so columns that must be null are named in `null = [...]`
(beside `expect`, or inside a row). `known_failure = "why"` marks an example that
must fail until it is fixed (a strict xfail), in any table.

Two tables read something other than a document, in the same shape: the metric
table reads a label (`label` and its figure's `dimension` in place of the text,
`expect = { metric = … }`), and a fragment reads a text whole (`fragment`, `text`,
and `matches = false` for a text it must not read). A unit or qualifier row
carries a short `example` text instead, whose figure must read with that row.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.fact import EXAMPLE_CHECKED
from pipeline.ruleset.errors import RuleError, check_keys
from pipeline.ruleset.lexicon import DIMENSIONS

EXAMPLE_KEYS = {"text", "label", "dimension", "fragment", "matches", "rows", "figure", "expect", "null", "date",
                "title", "known_failure"}
# The columns an example checks; a row may name its nulls too.
COLUMNS = set(EXAMPLE_CHECKED)
ROW_KEYS = COLUMNS | {"null"}


@dataclass(frozen=True)
class Example:
    text: str
    where: str
    rows: tuple[dict, ...] | None = None
    figure: str | None = None
    expect: dict = field(default_factory=dict)
    date: str | None = None
    title: str | None = None
    # A metric example reads a metric_label of this dimension, not a document.
    dimension: str | None = None
    # A fragment example: the text the fragment reads whole (or, with matches = false, does not).
    fragment: str | None = None
    known_failure: str | None = None

    @property
    def is_label(self) -> bool:
        return self.dimension is not None

    @property
    def is_fragment(self) -> bool:
        return self.fragment is not None


def parse_example(entry: dict, where: str) -> Example:
    """An example entry of any table."""
    check_keys(entry, EXAMPLE_KEYS, where)
    if "label" in entry:
        return _label_example(entry, where)
    if "fragment" in entry:
        return _fragment_example(entry, where)
    text = entry.get("text")
    if not isinstance(text, str) or not text:
        raise RuleError(f"{where}: an example needs a text")
    has_rows, has_figure = "rows" in entry, "figure" in entry
    if has_rows == has_figure:
        raise RuleError(f"{where}: an example gives either rows (rows = [] for none) or a figure "
                        "with the columns it expects")
    if has_rows:
        if not isinstance(entry["rows"], list) or not all(isinstance(row, dict) for row in entry["rows"]):
            raise RuleError(f"{where}: rows is a list of tables ({{ text = …, value = … }})")
        if "expect" in entry or "null" in entry:
            raise RuleError(f"{where}: expect and null go with a figure; a row names its own nulls")
        rows = tuple(_row(row, where, text) for row in entry["rows"])
        return Example(text, where, rows=rows, date=entry.get("date"), title=entry.get("title"),
                       known_failure=entry.get("known_failure"))
    if not isinstance(entry["figure"], str) or entry["figure"] not in text:
        raise RuleError(f"{where}: the figure {entry['figure']!r} is not in its text")
    expect = _with_nulls(_expect(entry, where), entry.get("null", []), where)
    unknown = set(expect) - COLUMNS
    if unknown or not expect:
        raise RuleError(f"{where}: expect names the columns to check, of {list(EXAMPLE_CHECKED)}"
                        + (f"; unknown: {sorted(unknown)}" if unknown else ""))
    return Example(text, where, figure=entry["figure"], expect=expect, date=entry.get("date"),
                   title=entry.get("title"), known_failure=entry.get("known_failure"))


def _fragment_example(entry: dict, where: str) -> Example:
    """fragment = "num", text = "2.5万亿": the fragment reads the whole text (matches = false: not)."""
    if set(entry) - {"fragment", "text", "matches", "known_failure"} or not isinstance(entry.get("text"), str):
        raise RuleError(f"{where}: a fragment example gives fragment, text and, for a text it must not "
                        "read whole, matches = false")
    matches = entry.get("matches", True)
    if not isinstance(matches, bool):
        raise RuleError(f"{where}: matches is true or false")
    return Example(entry["text"], where, expect={"matches": matches}, fragment=entry["fragment"],
                   known_failure=entry.get("known_failure"))


def _label_example(entry: dict, where: str) -> Example:
    """label = "地区生产总值", dimension = "percent", expect = { metric = "gdp" }."""
    if not isinstance(entry["label"], str) or entry.get("dimension") not in DIMENSIONS:
        raise RuleError(f"{where}: a label example needs a label and its figure's dimension, one of "
                        f"{list(DIMENSIONS)}")
    if set(entry) - {"label", "dimension", "expect", "null", "known_failure"}:
        raise RuleError(f"{where}: a label example gives label, dimension, expect and null only")
    expect = _with_nulls(_expect(entry, where), entry.get("null", []), where)
    if set(expect) != {"metric"}:
        raise RuleError(f"{where}: a label example expects its metric (expect = {{ metric = \"gdp\" }} "
                        "or null = [\"metric\"])")
    return Example(entry["label"], where, expect=expect, dimension=entry["dimension"],
                   known_failure=entry.get("known_failure"))


def _row(row: dict, where: str, text: str) -> dict:
    check_keys(row, ROW_KEYS, f"{where} example {text!r}")
    return _with_nulls({k: v for k, v in row.items() if k != "null"}, row.get("null", []), where)


def _expect(entry: dict, where: str) -> dict:
    expect = entry.get("expect", {})
    if not isinstance(expect, dict):
        raise RuleError(f"{where}: expect is a table of columns ({{ period = \"2024\" }})")
    return dict(expect)


def _with_nulls(expect: dict, nulls: list, where: str) -> dict:
    if not isinstance(nulls, list) or not all(isinstance(name, str) for name in nulls):
        raise RuleError(f"{where}: null is a list of column names")
    both = set(expect) & set(nulls)
    if both:
        raise RuleError(f"{where}: {sorted(both)} both expected and null")
    return {**expect, **{name: None for name in nulls}}


def unit_example(entry: dict, where: str, surface: str, expect: dict) -> Example:
    """The example of a unit or qualifier row: `example = "300万公顷"` is a figure read alone,
    `example = { text = "3金5银27铜", figure = "5银" }` a figure inside a text."""
    example = entry.get("example")
    if isinstance(example, str):
        example = {"text": example, "figure": example}
    if not isinstance(example, dict) or not example.get("text"):
        raise RuleError(f"{where}: {surface!r} needs an example, a figure written with it "
                        "(example = \"300万公顷\")")
    return parse_example({**example, "expect": expect}, where)


def file_examples(file) -> list[Example]:
    """The [[example]] entries of a rule file: the examples of the tables it holds."""
    return [parse_example(entry, file.where("example", index, f"example {index}"))
            for index, entry in enumerate(file.data.get("example", []), 1)]
