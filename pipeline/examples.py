"""Run every rule's own examples through the whole extractor.

An example's rows are compared in order on the keys it gives. An example
marked known_failure must fail: the day it passes, that is reported too, so
the mark is removed (a strict xfail).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from pipeline.extract import extract_facts
from pipeline.metrics import metric_example_problems
from pipeline.rules import Example, Rule, RuleSet


@dataclass
class ExampleResult:
    rule: Rule
    example: Example
    problems: list[str]

    @property
    def ok(self) -> bool:
        if self.example.known_failure:
            return bool(self.problems)
        return not self.problems

    def describe(self) -> str:
        head = f"{self.rule.where()} {self.rule.id}: example {self.example.text!r}"
        if self.example.known_failure and not self.problems:
            return f"{head}: passes now, remove known_failure ({self.example.known_failure})"
        return f"{head}: " + "; ".join(self.problems)


def cue_example_problems(example, rules: RuleSet) -> list[str]:
    """The figure of a cue example must get the aspect and change it gives."""
    row = _figure_row(example, rules)
    if row is None:
        return [f"no row with text {example.figure!r}"]
    problems = []
    if example.aspect is not None and (row["aspect"], row["change"]) != (example.aspect, example.change):
        problems.append(f"{example.figure}: aspect/change {(row['aspect'], row['change'])}, "
                        f"expected {(example.aspect, example.change)}")
    if example.is_target is not None and row["is_target"] != example.is_target:
        problems.append(f"{example.figure}: is_target {row['is_target']}, expected {example.is_target}")
    return problems


def period_example_problems(example, rules: RuleSet) -> list[str]:
    """The figure of a period example must be dated as it says (null when it gives none)."""
    return _column_problems(example, rules, "period", example.period)


def label_example_problems(example, rules: RuleSet) -> list[str]:
    """The figure of a label example must be labelled as it says (null when it gives none)."""
    return _column_problems(example, rules, "metric_label", example.label)


def _column_problems(example, rules: RuleSet, column: str, expected) -> list[str]:
    row = _figure_row(example, rules, example.date)
    if row is None:
        return [f"no row with text {example.figure!r}"]
    if row[column] != expected:
        return [f"{example.figure}: {column} {row[column]!r}, expected {expected!r}"]
    return []


def entity_example_problems(example, rules: RuleSet) -> list[str]:
    """The figure of an entity example gets the entity, section and is_target it gives."""
    row = _figure_row(example, rules, title=example.title)
    if row is None:
        return [f"no row with text {example.figure!r}"]
    wanted = {"entity": example.entity, "section": example.section, "is_target": example.is_target}
    return [f"{example.figure}: {key} {row[key]!r}, expected {value!r}"
            for key, value in wanted.items() if (value is not None or key == "entity") and row[key] != value]


def context_examples(rules: RuleSet) -> list:
    """(example, its check) for every example of the tables around the rules:
    cues, periods, labels, entities and sections."""
    checks = [(e, cue_example_problems) for e in rules.cues.examples]
    checks += [(e, period_example_problems) for e in rules.periods.examples]
    checks += [(e, label_example_problems) for e in rules.labeler.examples]
    checks += [(e, entity_example_problems) for e in rules.sectioner.examples]
    return checks


def _figure_row(example, rules: RuleSet, date: str | None = None, title: str | None = None) -> dict | None:
    """The first row of the example's text whose text is its figure."""
    rows = extract_facts(example.text, rules, date=date, title=title)
    return next((r for r in rows if r["text"] == example.figure), None)


def context_problems(rules: RuleSet) -> list[tuple[str, str, list[str]]]:
    """(where, text, problems) for every failing cue, period and label example."""
    found = [(e.where, e.text, check(e, rules)) for e, check in context_examples(rules)]
    found += [("metrics.toml", "", [problem]) for problem in metric_example_problems(rules.metrics)]
    return [item for item in found if item[2]]


def check_examples(rules: RuleSet) -> list[ExampleResult]:
    return [ExampleResult(rule, example, example_problems(example, rules))
            for rule in rules.rules for example in rule.examples]


def example_problems(example: Example, rules: RuleSet) -> list[str]:
    rows = extract_facts(example.text, rules)
    got = [f"{r['text']}={r['value']:g} {r['unit']}" for r in rows]
    if len(rows) != len(example.rows):
        return [f"expected {len(example.rows)} rows, got {len(rows)}: {got}"]
    problems = []
    for index, (want, row) in enumerate(zip(example.rows, rows)):
        for key, expected in want.items():
            actual = row["rule_id"] if key == "rule" else row[key]
            if not _same(actual, expected):
                problems.append(f"row {index + 1} ({row['text']}): {key} is {actual!r}, expected {expected!r}")
    return problems


def _same(actual, expected) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return actual is not None and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
    return actual == expected
