"""Cost stays linear on hostile input: a regression guard with a generous bound.

Each input is set against ordinary prose of the same size, extracted in the same process,
so the bound holds on a slow machine as on a fast one. Measured (2-core development
machine, 100,000 characters): prose 0.28 s, a run of 万 0.02 s, text without
punctuation 0.85 s; before the fixes the run of 万 took 148 s at 1 MiB and the text
without punctuation 168 s at 200,000 characters (quadratic). `make bench-adversarial`
prints the figures at four sizes.
"""
import time

import pytest

from pipeline.bench_adversarial import hostile_texts
from pipeline.extract import extract_facts

SIZE = 100_000
# Ten times the slowest measured ratio (text without punctuation, 3x prose).
BOUND = 30


def _seconds(text, rules):
    began = time.perf_counter()
    extract_facts(text, rules, "cost")
    return time.perf_counter() - began


@pytest.fixture(scope="module")
def texts(rules):
    extract_facts("今年增长5%。", rules, "warm-up")
    return hostile_texts(SIZE)


@pytest.mark.parametrize("name", ["numeral run", "digit run", "no punctuation", "one line"])
def test_hostile_input_costs_no_more_than_prose_of_its_size(texts, rules, name):
    prose = _seconds(texts["prose"], rules)
    assert _seconds(texts[name], rules) < BOUND * max(prose, 0.05)


def test_a_sentence_without_ends_is_cut_into_bounded_pieces(texts, rules):
    facts = extract_facts(texts["no punctuation"], rules, "cost")
    assert facts
    assert max(len(fact.sentence) for fact in facts) <= 1000
