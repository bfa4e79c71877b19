"""Every example of every rule, run through the whole extractor."""
import pytest

from pipeline.examples import cue_example_problems, example_problems, period_example_problems
from pipeline.rules import load_rules

from conftest import RULES

CASES = [
    pytest.param(rule, example, id=f"{rule.id}:{example.text[:24]}",
                 marks=[pytest.mark.xfail(strict=True, reason=example.known_failure)]
                 if example.known_failure else [])
    for rule in load_rules(RULES).rules for example in rule.examples
]


@pytest.mark.parametrize("rule, example", CASES)
def test_rule_example(rules, rule, example):
    problems = example_problems(example, rules)
    assert not problems, f"{rule.where()} {rule.id}: " + "; ".join(problems)


def test_every_rule_has_a_positive_or_negative_example(rules):
    for rule in rules.rules:
        assert rule.examples, rule.id
        if rule.action:
            assert any(e.rows for e in rule.examples), f"{rule.id} has no example that yields rows"


CUE_EXAMPLES = [pytest.param(e, id=f"{e.where}:{e.text[:20]}") for e in load_rules(RULES).cues.examples]


@pytest.mark.parametrize("example", CUE_EXAMPLES)
def test_cue_example(rules, example):
    assert not cue_example_problems(example, rules)


PERIOD_EXAMPLES = [pytest.param(e, id=f"{e.where}:{e.text[:20]}") for e in load_rules(RULES).periods.examples]


@pytest.mark.parametrize("example", PERIOD_EXAMPLES)
def test_period_example(rules, example):
    assert not period_example_problems(example, rules)
