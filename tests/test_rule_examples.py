"""Every example of every table of rules/ (rules, cues, periods, labels, entities,
metrics, units, qualifiers), run by the one checker; a known failure is a strict xfail."""
import pytest

from conftest import RULES
from pipeline.ruleset.check import every_example, example_problems
from pipeline.ruleset.load import load_rules

CASES = [
    pytest.param(example, id=f"{owner}:{example.text[:24]}",
                 marks=[pytest.mark.xfail(strict=True, reason=example.known_failure)]
                 if example.known_failure else [])
    for owner, example in every_example(load_rules(RULES))
]


@pytest.mark.parametrize("example", CASES)
def test_example(rules, example):
    problems = example_problems(example, rules)
    assert not problems, f"{example.where}: " + "; ".join(problems)


def test_every_fact_rule_has_an_example_that_yields_rows(rules):
    for rule in rules.rules:
        if rule.action:
            assert any(example.rows for example in rule.examples), f"{rule.id} has no example that yields rows"
