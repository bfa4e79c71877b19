"""Every example of every rule, run through the whole extractor."""
import pytest

from pipeline.examples import context_examples, example_problems
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


CONTEXT_EXAMPLES = [pytest.param(example, check, id=f"{example.where}:{example.text[:20]}")
                    for example, check in context_examples(load_rules(RULES))]


@pytest.mark.parametrize("example, check", CONTEXT_EXAMPLES)
def test_context_example(rules, example, check):
    """Cue, period and label examples: the figure gets what its example says."""
    assert not check(example, rules)


def test_every_context_table_has_examples(rules):
    kinds = {check.__name__ for _, check in context_examples(rules)}
    assert kinds == {"cue_example_problems", "period_example_problems", "label_example_problems",
                     "entity_example_problems"}
