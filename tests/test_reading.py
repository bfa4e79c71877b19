"""The same figure written another way gives the same fact, or none; never a wrong value."""
import pytest

from pipeline.extract import extract_facts

COLUMNS = ("value", "value_max", "unit", "qualifier", "metric", "metric_label", "aspect", "change",
           "period", "is_target")


def facts_of(text, rules, date="2024-11-01"):
    return extract_facts(text, rules, "reading", date)


def meaning(fact):
    return {column: getattr(fact, column) for column in COLUMNS}


@pytest.mark.parametrize("text, absent", [
    pytest.param("今年新建1\n0个项目，增长10\n0%。", {0.0}, id="short-line"),
    pytest.param("今年新建23\n5人。", {5.0}, id="short-line-count"),
    pytest.param("2015年\t6.9\t59.9\t42.6\t-2.5\t4.1\t2.9\t-0.1\n2016年预计增长6.7%", {0.12016, 0.1}, id="table-row"),
])
def test_a_break_no_layout_made_inside_a_number_gives_no_row(rules, text, absent):
    assert not {fact.value for fact in facts_of(text, rules)} & absent


def test_a_wrapped_line_inside_a_number_is_read_across(rules):
    text = "2024年，全区新建保障性住房和各类安置房共计一万多套，其中城镇新建1\n2000套。"
    fact = next(fact for fact in facts_of(text, rules) if fact.text.endswith("2000套"))
    assert (fact.value, fact.unit, fact.period) == (12000, "套", "2024")
    assert fact.text == "1\n2000套" == text[fact.start:fact.end]


def test_full_width_digits_give_the_facts_of_ascii_digits_with_the_text_as_written(rules):
    ascii_text = "2024年全区生产总值增长5.5%，城乡居民收入比为2.5∶1，民营经济占比1/4。"
    wide_text = ascii_text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    ascii_facts, wide_facts = facts_of(ascii_text, rules), facts_of(wide_text, rules)
    assert [meaning(f) for f in wide_facts] == [meaning(f) for f in ascii_facts]
    assert len(wide_facts) == 3 and wide_facts[0].period == "2024"
    for fact in wide_facts:
        assert fact.text == wide_text[fact.start:fact.end]
        assert fact.value_raw in fact.text and fact.sentence.startswith("２０２４年")
