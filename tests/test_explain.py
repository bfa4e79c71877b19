"""`pipeline explain`: every decision of the scan, and why each row means what it does."""
from typer.testing import CliRunner

from pipeline.cli import app

COMMUNIQUE = "2021年成都市统计公报\n一、综合\n全年全市地区生产总值增长8.6%，城镇新增就业26.6万人。力争新增企业500户。"


def explain(*args):
    result = CliRunner().invoke(app, ["explain", *args])
    assert result.exit_code == 0, result.output
    return result.output


def block_of(output, figure):
    """The row line of `figure` and the lines explaining it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  [") and f"] {figure} " in line)
    return lines[start:start + 6]


def test_decisions_and_rejections_are_listed():
    output = explain("审批时间由34天缩减至12天，第十一届大赛")
    assert "quantities:from_to fact: 12天=12 day" in output
    assert "nonfacts:ordinal skipped" in output


def test_each_row_says_what_dated_it_its_cue_label_words_metric_alias_and_target():
    row, period, aspect, label, metric, target = block_of(explain(COMMUNIQUE, "--date", "2022-03-25"), "8.6%")
    assert "value=8.6" in row
    assert period.strip() == "period 2021: its section's scope; in section '一、综合' (period 2021)"
    assert aspect.strip() == "aspect growth, change increase: cue '增长'"
    assert label.strip() == "metric_label '地区生产总值' from the words: 全年 全市 地区生产总值 增长"
    assert metric.strip() == "metric gdp: alias '地区生产总值' names it"
    assert target.strip() == "is_target False: no target, forecast or deadline word before it"


def test_a_target_names_its_word_and_a_measure_named_with_新增_its_cue():
    output = explain(COMMUNIQUE, "--date", "2022-03-25")
    assert block_of(output, "500户")[5].strip() == "is_target True: '力争' earlier in its sentence"
    assert block_of(output, "26.6万人")[2].strip() == "aspect level, change None: cue '城镇新增就业'"


def test_without_a_date_nothing_dates_a_relative_word():
    period = block_of(explain("今年新增企业12家。"), "12家")[1]
    assert period.strip().startswith("period None: '今年' before it in its paragraph")


def test_a_bad_date_is_a_usage_error():
    result = CliRunner().invoke(app, ["explain", "增长5%", "--date", "2022-13-40"])
    assert result.exit_code == 2 and "not a date" in result.output
