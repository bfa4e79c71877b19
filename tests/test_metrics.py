"""The metric table (rules/metrics.toml): its own examples, the loader's checks,
and labels read in the reference reports."""
import pytest

from conftest import RULES
from pipeline.meaning.metrics import load_metrics
from pipeline.ruleset.check import label_problems
from pipeline.ruleset.errors import RuleError
from pipeline.ruleset.examples import file_examples
from pipeline.ruleset.files import read_rule_files
from pipeline.ruleset.lexicon import DIMENSIONS
from pipeline.ruleset.load import load_rules

RULESET = load_rules(RULES, check=False)
METRICS = RULESET.metrics
LABEL_EXAMPLES = [example for example in RULESET.examples if example.is_label]


@pytest.mark.parametrize("key", ["gdp", "market_entities", "approval_time", "urban_new_jobs", "cpi"])
def test_a_common_metric_is_named_by_its_name_and_after_a_scope(key):
    metric = METRICS.metrics[key]
    dimension = min(metric.dimensions, default=None)
    assert METRICS.match(metric.name, dimension) == key
    assert METRICS.match("全省" + metric.name, dimension) == key


def test_surfaces_are_the_aliases_as_written():
    assert "专精特新“小巨人”企业" in METRICS.surfaces and "地区生产总值" in METRICS.surfaces
    assert len(METRICS.surfaces) == len(set(METRICS.surfaces)) >= len(METRICS.whole)


def test_the_table_has_labels_that_must_stay_null():
    assert sum(1 for e in LABEL_EXAMPLES if e.expect["metric"] is None) >= 15


# (where it was read, the sentence, the label a careful reader gives its figure, dimension, metric)
REAL_LABELS = [
    ("宁夏", "地区生产总值增长4.7%、低于全国0.", "地区生产总值", "percent", "gdp"),
    ("seed", "一般性工业项目审批时间由34天缩减至12天", "一般性工业项目审批时间", "duration", "approval_time"),
    ("seed", "全区市场主体20798户,其中企业8070户,占比38.8%", "全区市场主体", "count", "market_entities"),
    ("seed", "全区市场主体20798户,其中企业8070户,占比38.8%", "企业", "count", None),
    ("seed", "集聚科技创新类企业600余家", "科技创新类企业", "count", None),
    ("seed", "全区有规模以上工业企业38家", "规模以上工业企业", "count", "above_scale_industrial_enterprises"),
    ("seed", "其中国家专精特新“小巨人”企业3家", "国家专精特新“小巨人”企业", "count", "little_giants"),
    ("seed", "全区有数字经济规上企业21家", "数字经济规上企业", "count", None),
    ("reports", "城镇新增就业261.6万人", "城镇新增就业", "count", "urban_new_jobs"),
    ("reports", "常住人口城镇化率达到71.5%", "常住人口城镇化率", "percent", "urbanization_rate"),
    ("reports", "一般公共预算支出3.4万亿元", "一般公共预算支出", "currency", "general_budget_expenditure"),
    ("reports", "单位地区生产总值能耗下降17%", "单位地区生产总值能耗", "percent", "energy_consumption_per_gdp"),
    ("reports", "PM2.5年均浓度36.2微克/立方米", "PM2.5年均浓度", "other", "pm25"),
    ("reports", "专精特新“小巨人”企业从80户增加到810户", "专精特新“小巨人”企业", "count", "little_giants"),
    ("reports", "民生支出占一般公共预算支出87%", "民生支出占一般公共预算支出", "percent",
     "livelihood_spending_share"),
    ("reports", "力争数字经济核心产业增加值占GDP比重达9.5%左右", "数字经济核心产业增加值占GDP比重", "percent",
     "digital_economy_share"),
    ("reports", "三亚经济圈经济总量占全省比重超20%", "三亚经济圈经济总量占全省比重", "percent", None),
    ("reports", "税收占一般公共预算收入比重超75%", "税收占一般公共预算收入比重", "percent", None),
    ("reports", "人均预期寿命达到79.4岁", "人均预期寿命", "duration", "life_expectancy"),
    ("reports", "新改建农村公路10988公里", "新改建农村公路", "length", "rural_roads"),
    ("reports", "实际使用外资263亿美元", "实际使用外资", "currency", "actual_foreign_investment"),
    ("reports", "全社会研发投入强度3.42%左右", "全社会研发投入强度", "percent", "rd_intensity"),
    ("reports", "居民消费价格涨幅2%左右", "居民消费价格涨幅", "percent", "cpi"),
    ("reports", "全年接待游客3.23亿人次、游客花费3700亿元", "全年接待游客", "count", "tourist_visits"),
    ("reports", "全年接待游客3.23亿人次、游客花费3700亿元", "游客花费", "currency", "tourism_revenue"),
    ("reports", "城镇常住居民人均可支配收入增速高于全国平均水平", "城镇常住居民人均可支配收入", "percent",
     "urban_disposable_income"),
    ("reports", "规上企业研发经费投入增长14.2%", "规上企业研发经费投入", "percent", None),
    ("reports", "高技术制造业增加值增长15.5%", "高技术制造业增加值", "percent",
     "high_tech_manufacturing_value_added"),
]


@pytest.mark.parametrize("source, sentence, label, dimension, expected", REAL_LABELS,
                         ids=[f"{r[2]}-{r[3]}" for r in REAL_LABELS])
def test_labels_read_in_the_reports(source, sentence, label, dimension, expected):
    assert label in sentence
    assert METRICS.match(label, dimension) == expected


@pytest.mark.parametrize("label, dimension, expected", [
    pytest.param(None, "percent", None, id="no-label"),
    pytest.param("", "percent", None, id="empty-label"),
    pytest.param("“ 地区生产总值 ”", "percent", "gdp", id="quotes-and-spaces-dropped"),
    pytest.param("地区生产总值", None, "gdp", id="no-dimension-no-check"),
    pytest.param("地区生产总值", "area", None, id="dimension-not-the-metrics"),
    pytest.param("人均地区生产总值", "currency", "gdp_per_capita", id="longest-alias-wins"),
    pytest.param("高新技术产业增加值占地区生产总值", "percent", None, id="share-of-gdp-is-not-gdp"),
    pytest.param("全省进出口", "currency", "foreign_trade", id="exact-alias-after-scope"),
    pytest.param("跨境电商进出口", "currency", "cross_border_ecommerce", id="longer-alias-of-another-metric"),
    pytest.param("对东盟进出口", "currency", None, id="exact-alias-not-a-suffix"),
    pytest.param("县域经济总量", "currency", None, id="not-after"),
    pytest.param("ＧＤＰ", "percent", "gdp", id="full-width"),
    pytest.param("增速", "percent", None, id="only-an-aspect-word"),
])
def test_matching(label, dimension, expected):
    assert METRICS.match(label, dimension) == expected


GOOD = '''# a small metric table
[[metric]]
key = "gdp"
name = "地区生产总值"
dimensions = ["currency", "percent"]

[[example]]
label = "全省地区生产总值"
dimension = "percent"
expect = { metric = "gdp" }
'''

OTHER = '''
[[metric]]
key = "gdp_again"
name = "生产总值"
aliases = ["地区生产总值"]

[[example]]
label = "生产总值"
dimension = "percent"
expect = { metric = "gdp_again" }
'''


def load_text(tmp_path, text):
    (tmp_path / "small.toml").write_text(text, encoding="utf-8")
    files, _ = read_rule_files(tmp_path)
    examples = [example for example in file_examples(files[0]) if example.is_label]
    return load_metrics(files, DIMENSIONS, examples, RULESET.words), examples


def test_a_good_small_table_loads(tmp_path):
    metrics, examples = load_text(tmp_path, GOOD)
    assert metrics.match("全省地区生产总值", "percent") == "gdp"
    assert [label_problems(example, metrics) for example in examples] == [[]]


@pytest.mark.parametrize("text, message", [
    pytest.param(GOOD.replace('name = "地区生产总值"', 'name = "地区生产总值"\ncolour = "red"'),
                 r"small.toml:2 \(metric gdp\): unknown keys \['colour'\]", id="unknown-key"),
    pytest.param(GOOD.replace("[[example]]\n", "[[example]]\nwhy = 1\n"),
                 r"small.toml:7 \(example 1\): unknown keys \['why'\]", id="example-unknown-key"),
    pytest.param(GOOD + GOOD.split("[[example]]")[0].replace("# a small metric table", ""),
                 r"small.toml:12 \(metric gdp\): metric 'gdp' defined twice \(first at small.toml:2", id="duplicate-key"),
    pytest.param(GOOD + OTHER, r"small.toml:12 \(metric gdp_again\): alias '地区生产总值' is already an alias "
                               r"of 'gdp' \(small.toml:2", id="duplicate-alias"),
    pytest.param(GOOD.replace('"currency", "percent"', '"money"'),
                 r"small.toml:2 \(metric gdp\): unknown dimensions \['money'\]", id="unknown-dimension"),
    pytest.param(GOOD.replace('metric = "gdp"', 'metric = "gpd"'),
                 r"small.toml:7 \(example 1\): unknown metric 'gpd'", id="example-unknown-metric"),
    pytest.param(GOOD.replace('dimension = "percent"', 'dimension = "money"'),
                 r"small.toml:7 \(example 1\): a label example needs a label and its figure's dimension",
                 id="example-unknown-dimension"),
    pytest.param(GOOD.replace('expect = { metric = "gdp" }', 'null = ["metric"]'),
                 r"small.toml:2 \(metric gdp\): metric 'gdp' has no example", id="metric-without-example"),
    pytest.param(GOOD.replace('key = "gdp"', 'key = "GDP total"'),
                 r"small.toml:2 \(metric GDP total\): a metric needs a snake_case key", id="key-not-snake-case"),
    pytest.param(GOOD.replace('name = "地区生产总值"', 'name = "地区生产总值"\naliases = "GDP"'),
                 r"small.toml:2 \(metric gdp\): aliases must be a list of strings", id="aliases-not-a-list"),
    pytest.param(GOOD.replace('name = "地区生产总值"', 'name = "地区生产总值"\nexact_aliases = ["地区生产总值"]'),
                 r"listed both as alias and as exact alias", id="alias-and-exact-alias"),
])
def test_table_errors_name_file_and_line(tmp_path, text, message):
    with pytest.raises(RuleError, match=message):
        load_text(tmp_path, text)


def test_a_failing_example_is_reported_with_file_and_index(tmp_path):
    metrics, examples = load_text(tmp_path, GOOD + '''
[[example]]
label = "人均地区生产总值"
dimension = "currency"
null = ["metric"]
''')
    assert examples[1].where == "small.toml:12 (example 2)"
    assert label_problems(examples[1], metrics) == [
        "人均地区生产总值 (currency): metric is 'gdp', expected None"]
