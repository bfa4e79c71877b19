"""Run every example of every table through the extractor: one checker for all.

A rule's examples give the rows a text must give, in order, on the columns each
row names. A table's examples name a figure and the columns that table decides
for it. A metric example reads a label of a dimension through the metric table.
An example marked known_failure must fail: the day it passes, that is reported
too, so the mark is removed (a strict xfail).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import regex

from pipeline.extract import extract_facts
from pipeline.meaning.metrics import Metrics
from pipeline.ruleset.examples import Example
from pipeline.ruleset.load import RuleSet


@dataclass
class ExampleResult:
    example: Example
    owner: str            # the rule's id, or the table example's place
    problems: list[str]

    @property
    def ok(self) -> bool:
        if self.example.known_failure:
            return bool(self.problems)
        return not self.problems

    def describe(self) -> str:
        head = f"{self.example.where}: example {self.example.text!r}"
        if self.example.known_failure and not self.problems:
            return f"{head}: passes now, remove known_failure ({self.example.known_failure})"
        return f"{head}: " + "; ".join(self.problems)


def every_example(rules: RuleSet) -> list[tuple[str, Example]]:
    """(owner, example) for the examples of every rule, then of every other table."""
    return ([(rule.id, example) for rule in rules.rules for example in rule.examples]
            + [(example.where, example) for example in rules.examples])


def check_examples(rules: RuleSet) -> list[ExampleResult]:
    return [ExampleResult(example, owner, example_problems(example, rules))
            for owner, example in every_example(rules)]


def example_problems(example: Example, rules: RuleSet) -> list[str]:
    """What the extractor gives for the example that it should not."""
    if example.is_label:
        return label_problems(example, rules.metrics)
    if example.is_fragment:
        return fragment_problems(example, rules.fragments)
    facts = extract_facts(example.text, rules, date=example.date, title=example.title)
    if example.rows is not None:
        return _rows_problems(example.rows, facts)
    fact = next((fact for fact in facts if fact.text == example.figure), None)
    if fact is None:
        return [f"no row with text {example.figure!r}; rows: {[f.text for f in facts]}"]
    return _column_problems(_values(fact), example.expect, example.figure)


def label_problems(example: Example, metrics: Metrics) -> list[str]:
    """A label example reads its label through the metric table alone."""
    got = metrics.match(example.text, example.dimension)
    return _column_problems({"metric": got}, example.expect, f"{example.text} ({example.dimension})")


def fragment_problems(example: Example, fragments: dict[str, regex.Pattern]) -> list[str]:
    """A fragment example: does the fragment read the whole text?"""
    matches = fragments[example.fragment].fullmatch(example.text) is not None
    return _column_problems({"matches": matches}, example.expect, f"{{{example.fragment}}} on {example.text!r}")


def _rows_problems(wanted: tuple[dict, ...], facts: list) -> list[str]:
    if len(facts) != len(wanted):
        got = [f"{fact.text}={fact.value:g} {fact.unit}" for fact in facts]
        return [f"expected {len(wanted)} rows, got {len(facts)}: {got}"]
    problems = []
    for index, (want, fact) in enumerate(zip(wanted, facts), 1):
        problems += _column_problems(_values(fact), want, f"row {index} ({fact.text})")
    return problems


def _values(fact) -> dict:
    return {name: getattr(fact, name) for name in fact.__slots__}


def _column_problems(got: dict, expected: dict, what: str) -> list[str]:
    return [f"{what}: {column} is {got[column]!r}, expected {value!r}"
            for column, value in expected.items() if not _same(got[column], value)]


def _same(actual, expected) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return actual is not None and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
    return actual == expected
