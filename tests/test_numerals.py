"""Table-driven tests for pipeline.find.numerals (parse_numeral, magnitude_tail).

Each table is a named list of (input, expected) cases with readable ids, in the
style of price-parser's test suite. Floats are compared with
pytest.approx(rel=1e-12). A bug found later is written as the correct expectation
and marked xfail(strict=True), so it flips to a failure once fixed.
"""
from __future__ import annotations

import itertools

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.find.numerals import _regular, magnitude_tail, parse_numeral

# --------------------------------------------------------------------------- #
# parse_numeral: valid numerals
# --------------------------------------------------------------------------- #

ARABIC_INTEGERS = [
    pytest.param("0", 0, id="int-0"),
    pytest.param("7", 7, id="int-7"),
    pytest.param("42", 42, id="int-42"),
    pytest.param("600", 600, id="int-600"),
    pytest.param("2026", 2026, id="int-2026-year"),
    pytest.param("20798", 20798, id="int-20798-no-separator"),
    pytest.param("007", 7, id="int-leading-zeros"),
    pytest.param("999999999999", 999_999_999_999, id="int-12-digits"),
    pytest.param(" 12 ", 12, id="int-surrounding-spaces"),
]

ARABIC_DECIMALS = [
    pytest.param("3.5", 3.5, id="dec-3.5"),
    pytest.param("0.6", 0.6, id="dec-0.6"),
    pytest.param("0.0", 0.0, id="dec-0.0"),
    pytest.param("5.5", 5.5, id="dec-5.5"),
    pytest.param("1.05", 1.05, id="dec-1.05"),
    pytest.param("3.14159", 3.14159, id="dec-3.14159"),
    pytest.param("100.25", 100.25, id="dec-100.25"),
]

THOUSANDS_SEPARATORS = [
    pytest.param("20,798", 20798, id="sep-20,798"),
    pytest.param("1,234,567.5", 1234567.5, id="sep-1,234,567.5"),
    pytest.param("1,000", 1000, id="sep-1,000"),
    pytest.param("999,999,999,999", 999_999_999_999, id="sep-12-digits"),
    pytest.param("12,345.67", 12345.67, id="sep-with-decimals"),
    pytest.param("3,000万", 3.0e7, id="sep-with-wan"),
]

FULL_WIDTH = [
    pytest.param("１２", 12, id="fw-12"),
    pytest.param("３．５", 3.5, id="fw-3.5-fullwidth-dot"),
    pytest.param("２０２６", 2026, id="fw-2026"),
    pytest.param("０", 0, id="fw-0"),
    pytest.param("１２,３４５", 12345, id="fw-digits-ascii-comma"),
    pytest.param("１．６４亿", 1.64e8, id="fw-1.64-yi"),
    pytest.param("５万", 5e4, id="fw-5-wan"),
]

CHINESE_NUMERALS = [
    pytest.param("零", 0, id="cn-ling"),
    pytest.param("〇", 0, id="cn-circle-zero"),
    pytest.param("一", 1, id="cn-1"),
    pytest.param("两", 2, id="cn-liang"),
    pytest.param("九", 9, id="cn-9"),
    pytest.param("十", 10, id="cn-10-bare-shi"),
    pytest.param("十二", 12, id="cn-12"),
    pytest.param("十九", 19, id="cn-19"),
    pytest.param("二十", 20, id="cn-20"),
    pytest.param("二十二", 22, id="cn-22"),
    pytest.param("六十", 60, id="cn-60"),
    pytest.param("一百零五", 105, id="cn-105-inner-zero"),
    pytest.param("两百", 200, id="cn-liang-bai"),
    pytest.param("三千五百", 3500, id="cn-3500"),
    pytest.param("两千", 2000, id="cn-liang-qian"),
    pytest.param("三万", 30000, id="cn-30000"),
    pytest.param("两万三千", 23000, id="cn-liang-wan-3000"),
    pytest.param("二十五万", 250_000, id="cn-250000"),
    pytest.param("三百万", 3_000_000, id="cn-3-million"),
    pytest.param("一千二百万", 12_000_000, id="cn-12-million"),
    pytest.param("两亿", 2e8, id="cn-liang-yi"),
    pytest.param("十亿", 1e9, id="cn-1e9"),
    pytest.param("一亿零五", 100_000_005, id="cn-yi-ling-wu"),
    pytest.param("五百亿", 5e10, id="cn-500-yi"),
    pytest.param("五千亿", 5e11, id="cn-5000-yi"),
    pytest.param("一万亿", 1e12, id="cn-1-wanyi"),
    pytest.param("三点五", 3.5, id="cn-3-dian-5"),
    pytest.param("零点五", 0.5, id="cn-0-dian-5"),
    pytest.param("一点零五", 1.05, id="cn-1-dian-05"),
]

DIGIT_BY_DIGIT = [
    pytest.param("二〇二三", 2023, id="dbd-2023"),
    pytest.param("二〇二六", 2026, id="dbd-2026"),
    pytest.param("二〇三五", 2035, id="dbd-2035"),
    pytest.param("二零二五", 2025, id="dbd-2025-with-ling"),
    pytest.param("一二三", 123, id="dbd-123"),
    pytest.param("〇〇", 0, id="dbd-00"),
]

FORMAL_DIGITS = [
    pytest.param("壹佰", 100, id="formal-100"),
    pytest.param("叁拾", 30, id="formal-30"),
    pytest.param("壹仟贰佰叁拾肆", 1234, id="formal-1234"),
    pytest.param("伍万", 50_000, id="formal-50000"),
    pytest.param("玖佰零捌", 908, id="formal-908-inner-zero"),
]

MIXED_MAGNITUDE = [
    pytest.param("2.5万亿", 2.5e12, id="mix-2.5-wanyi"),
    pytest.param("1.64亿", 1.64e8, id="mix-1.64-yi"),
    pytest.param("60万", 6e5, id="mix-60-wan"),
    pytest.param("10.36百亿亿", 1.036e19, id="mix-10.36-baiyiyi"),
    pytest.param("5千", 5000, id="mix-5-qian"),
    pytest.param("5百", 500, id="mix-5-bai"),
    pytest.param("3十", 30, id="mix-3-shi"),
    pytest.param("1万2千", 12000, id="mix-1wan-2qian"),
    pytest.param("5万5", 55000, id="mix-5wan-5"),
    pytest.param("1万零5", 10005, id="mix-1wan-ling-5"),
    pytest.param("9千亿", 9e11, id="mix-9-qianyi"),
    pytest.param("3千万", 3e7, id="mix-3-qianwan"),
]

BARE_MAGNITUDES = [
    pytest.param("十", 10, id="bare-shi"),
    pytest.param("百", 100, id="bare-bai"),
    pytest.param("千", 1000, id="bare-qian"),
    pytest.param("万", 1e4, id="bare-wan"),
    pytest.param("亿", 1e8, id="bare-yi"),
    pytest.param("十万", 1e5, id="bare-shiwan"),
    pytest.param("百万", 1e6, id="bare-baiwan"),
    pytest.param("千万", 1e7, id="bare-qianwan"),
    pytest.param("百亿", 1e10, id="bare-baiyi"),
    pytest.param("千亿", 1e11, id="bare-qianyi"),
    pytest.param("万亿", 1e12, id="bare-wanyi"),
    pytest.param("亿亿", 1e16, id="bare-yiyi"),
]

# Figures as they appear in the 2026 provincial government work reports
# (../shared/corpus/gov-reports-2026/reports.csv), copied literally.
GOV_REPORT_FIGURES = [
    pytest.param("60199.45亿", 6.019945e12, id="gov-60199.45-yi"),
    pytest.param("33757.93亿", 3.375793e12, id="gov-33757.93-yi"),
    pytest.param("13697.5亿", 1.36975e12, id="gov-13697.5-yi"),
    pytest.param("1640.06亿", 1.64006e11, id="gov-1640.06-yi"),
    pytest.param("3.23亿", 3.23e8, id="gov-3.23-yi"),
    pytest.param("1.7亿", 1.7e8, id="gov-1.7-yi"),
    pytest.param("14.2万亿", 1.42e13, id="gov-14.2-wanyi"),
    pytest.param("1.98万亿", 1.98e12, id="gov-1.98-wanyi"),
    pytest.param("4.64万亿", 4.64e12, id="gov-4.64-wanyi"),
    pytest.param("1万亿", 1e12, id="gov-1-wanyi"),
    pytest.param("8千亿", 8e11, id="gov-8-qianyi"),
    pytest.param("1000亿", 1e11, id="gov-1000-yi"),
    pytest.param("390万", 3.9e6, id="gov-390-wan"),
    pytest.param("20.6万", 2.06e5, id="gov-20.6-wan"),
    pytest.param("1.7万", 1.7e4, id="gov-1.7-wan"),
    pytest.param("5.5", 5.5, id="gov-growth-5.5"),
    pytest.param("二〇三五", 2035, id="gov-year-2035"),
    pytest.param("二十二", 22, id="gov-22-lianfeng"),
    pytest.param("三十", 30, id="gov-30-years"),
    pytest.param("千亿", 1e11, id="gov-qianyi-ji"),
    pytest.param("百亿", 1e10, id="gov-baiyi-ji"),
]

PARSE_CASES = (
    ARABIC_INTEGERS
    + ARABIC_DECIMALS
    + THOUSANDS_SEPARATORS
    + FULL_WIDTH
    + CHINESE_NUMERALS
    + DIGIT_BY_DIGIT
    + FORMAL_DIGITS
    + MIXED_MAGNITUDE
    + BARE_MAGNITUDES
    + GOV_REPORT_FIGURES
)


@pytest.mark.parametrize("text, expected", PARSE_CASES)
def test_parse_numeral(text, expected):
    value = parse_numeral(text)
    assert isinstance(value, float)
    assert value == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- #
# parse_numeral: strings that are not numerals
# --------------------------------------------------------------------------- #

NOT_NUMERALS = [
    pytest.param("", id="empty"),
    pytest.param("   ", id="whitespace-only"),
    pytest.param("abc", id="letters"),
    pytest.param("x", id="single-letter"),
    pytest.param("5x", id="digit-then-letter"),
    pytest.param("1e5", id="scientific-notation"),
    pytest.param("inf", id="inf"),
    pytest.param("nan", id="nan"),
    pytest.param(".5", id="leading-dot"),
    pytest.param("5.", id="trailing-dot"),
    pytest.param("5..", id="double-trailing-dot"),
    pytest.param("。", id="ideographic-full-stop"),
    pytest.param("，", id="fullwidth-comma-only"),
    pytest.param(",", id="comma-only"),
    pytest.param("!", id="exclamation"),
    pytest.param("-", id="hyphen"),
    pytest.param("+5", id="plus-sign"),
    pytest.param("5%", id="percent-sign"),
    pytest.param("1/2", id="slash-fraction"),
    pytest.param("5-10万", id="range-not-a-single-numeral"),
    pytest.param("万千x", id="magnitudes-then-letter"),
    pytest.param("5万x", id="arabic-magnitude-then-letter"),
    pytest.param("五万x", id="chinese-magnitude-then-letter"),
    pytest.param("三成", id="cheng-is-a-unit"),
    pytest.param("5成", id="arabic-cheng-is-a-unit"),
    pytest.param("成", id="bare-cheng"),
    pytest.param("三个", id="measure-word"),
    pytest.param("百分之五", id="percent-phrase"),
    pytest.param("五分之一", id="fraction-phrase"),
    pytest.param("半", id="ban-half"),
    pytest.param("几", id="ji-approximate"),
    pytest.param("数十", id="shu-shi-approximate"),
    pytest.param("十几", id="shi-ji-approximate"),
    pytest.param("点五", id="cn-leading-dian"),
    pytest.param("十五五", id="plan-name-shiwuwu"),
    pytest.param("十三五", id="plan-name-shisanwu"),
    pytest.param("２Ａ", id="fullwidth-letter"),
    pytest.param("٣", id="arabic-indic-digit"),
    pytest.param("½", id="vulgar-fraction"),
    pytest.param("²", id="superscript-two"),
    # Found by this table once: multiple dots, loose commas, magnitudes out of order.
    pytest.param("1.2.3", id="two-decimal-points"),
    pytest.param("20.798.5", id="two-decimal-points-long"),
    pytest.param("1.2.3万", id="two-decimal-points-with-wan"),
    pytest.param("1,2", id="comma-not-thousands-grouping"),
    pytest.param("12,34", id="comma-group-of-two"),
    pytest.param("1,,2", id="double-comma"),
    pytest.param("1,", id="trailing-comma"),
    pytest.param(",5", id="leading-comma"),
    pytest.param("３，５", id="fullwidth-comma-between-digits"),
    pytest.param("万千", id="descending-magnitudes-wan-qian"),
    pytest.param("亿千", id="descending-magnitudes-yi-qian"),
    pytest.param("亿万", id="descending-magnitudes-yi-wan"),
    pytest.param("5万千", id="arabic-descending-magnitudes"),
    pytest.param("1.7亿千", id="gov-1.7-yi-qianwa-prefix"),
]


@pytest.mark.parametrize("text", NOT_NUMERALS)
def test_parse_numeral_rejects(text):
    with pytest.raises(ValueError):
        parse_numeral(text)


# --------------------------------------------------------------------------- #
# magnitude_tail
# --------------------------------------------------------------------------- #

MAGNITUDE_TAILS = [
    pytest.param("5万", 10_000, id="5-wan"),
    pytest.param("2.5万亿", 10**12, id="2.5-wanyi"),
    pytest.param("1.64亿", 10**8, id="1.64-yi"),
    pytest.param("10.36百亿亿", 10**18, id="10.36-baiyiyi"),
    pytest.param("5千", 1000, id="5-qian"),
    pytest.param("9千亿", 10**11, id="9-qianyi"),
    pytest.param("3,000万", 10_000, id="separator-then-wan"),
    pytest.param("５万", 10_000, id="fullwidth-5-wan"),
    pytest.param("10万", 10_000, id="range-upper-end-10-wan"),
    pytest.param("5", 1, id="plain-5"),
    pytest.param("3.5", 1, id="plain-decimal"),
    pytest.param("20,798", 1, id="thousands-separator"),
    pytest.param("三万", 1, id="chinese-numeral"),
    pytest.param("万亿", 1, id="bare-magnitude-is-chinese"),
    pytest.param("", 1, id="empty"),
    # Not a magnitude-only tail: nothing to lend to the low end of a range.
    pytest.param("1万2千", 1, id="mixed-1wan-2qian"),
]


@pytest.mark.parametrize("text, expected", MAGNITUDE_TAILS)
def test_magnitude_tail(text, expected):
    assert magnitude_tail(text) == expected


# --------------------------------------------------------------------------- #
# Properties
# --------------------------------------------------------------------------- #

@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_arabic_integers_round_trip(n):
    assert parse_numeral(str(n)) == n
    assert parse_numeral(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=10**8 - 1))
def test_chinese_numerals_round_trip(n):
    assert parse_numeral(cn2an.an2cn(n)) == n


@given(st.integers(min_value=1, max_value=10**8 - 1))
def test_formal_chinese_numerals_round_trip(n):
    assert parse_numeral(cn2an.an2cn(n, "up")) == n


# The regular form is read without cn2an (pipeline/find/numerals.py, _regular): every value it
# gives must be cn2an's, and every numeral cn2an writes must be read.

def test_regular_form_reads_every_numeral_cn2an_writes_below_a_hundred_thousand():
    for n in range(1, 100_000):
        assert _regular(cn2an.an2cn(n)) == n


@given(st.integers(min_value=1, max_value=10**8 - 1))
def test_regular_form_reads_numerals_cn2an_writes_below_a_hundred_million(n):
    assert _regular(cn2an.an2cn(n)) == n


@given(st.integers(min_value=10**8, max_value=10**16 - 1))
def test_regular_form_reads_large_numerals_cn2an_writes_or_leaves_them_to_it(n):
    assert _regular(cn2an.an2cn(n)) in (n, None)


@pytest.mark.parametrize("text, value", [("三千亿", 3 * 10**11), ("一亿二千万", 12 * 10**7), ("一万亿", 10**12),
                                         ("二十亿零五百万", 2_005_000_000), ("十万", 10**5), ("两万", 2 * 10**4)])
def test_regular_form_reads_magnitudes(text, value):
    assert _regular(text) == value


NUMERAL_CHARACTERS = "零一二两三四五六七八九十百千万亿"


def test_regular_form_agrees_with_cn2an_on_every_string_of_up_to_four_numeral_characters():
    for size in range(1, 5):
        for characters in itertools.product(NUMERAL_CHARACTERS, repeat=size):
            _agrees_with_cn2an("".join(characters))


@given(st.text(alphabet=NUMERAL_CHARACTERS, min_size=5, max_size=12))
def test_regular_form_agrees_with_cn2an_or_leaves_it_the_numeral(text):
    _agrees_with_cn2an(text)


def _agrees_with_cn2an(text):
    value = _regular(text)
    if value is not None:
        assert cn2an.cn2an(text, "smart") == value, text


@pytest.mark.parametrize("text", ["三千五", "一万五", "十两", "一千零五百", "百五", "零", "三百零", "十零"])
def test_regular_form_leaves_spoken_and_irregular_forms_to_cn2an(text):
    assert _regular(text) is None
