"""Figures as they are written, each with the one row it must give.

Cases are (text, [(surface, value, unit, qualifier, extra)]) where extra holds
value_max / previous_value / change when they matter. Most texts are taken
from the reference reports.
"""
import pytest

from pipeline.extract import extract_facts


def case(id, text, *rows):
    return pytest.param(text, list(rows), id=id)


CASES = [
    # numbers
    case("thousands-separator", "全区市场主体20,798户", ("20,798户", 20798, "户", "exact")),
    case("full-width-digits", "新增开发区１２个", ("１２个", 12, "个", "exact")),
    case("chinese-numeral", "吸纳就业三千五百人", ("三千五百人", 3500, "人", "exact")),
    case("liang", "建成两座水库", ("两座", 2, "座", "exact")),
    case("ling-inside", "新增一百零五家企业", ("一百零五家", 105, "家", "exact")),
    case("wan-yi", "地区生产总值突破2.5万亿元", ("突破2.5万亿元", 2.5e12, "CNY", "at_least")),
    case("yi", "粮食产量1.64亿吨", ("1.64亿吨", 1.64e8, "t", "exact")),
    case("bare-wan-yi", "小微企业贷款余额超万亿元。", ("超万亿元", 1e12, "CNY", "at_least")),
    case("bare-qian-yi", "生物医药产值近千亿，", ("近千亿", 1e11, "", "approx")),
    case("arabic-wan-no-unit", "技能人才总量超696万，", ("超696万", 6.96e6, "", "at_least")),
    # fractions and ratios
    case("cheng", "绿电占比超三成，", ("超三成", 30, "%", "at_least")),
    case("cheng-approx", "占全国近三成", ("近三成", 30, "%", "approx")),
    case("fifth", "占全国的五分之一", ("五分之一", 20, "%", "exact")),
    case("baifenzhi", "降低百分之十五", ("百分之十五", 15, "%", "exact")),
    case("half", "民营经济贡献近半", ("近半", 50, "%", "approx")),
    case("permille", "进入前1‰", ("1‰", 0.1, "%", "exact")),
    case("slash-fraction", "稳定在全国1/4", ("1/4", 25, "%", "exact")),
    case("points", "城镇调查失业率下降0.3个百分点", ("0.3个百分点", 0.3, "pp", "exact")),
    case("times", "科技服务业增长1.6倍", ("1.6倍", 1.6, "x", "exact")),
    case("times-chinese", "科创企业数量增长两倍", ("两倍", 2, "x", "exact")),
    case("doubling", "研发投入翻一番", ("翻一番", 2, "x", "exact")),
    case("quadrupling", "比2020年翻两番", ("翻两番", 4, "x", "exact")),
    # units
    case("wan-hu", "新增经营主体2万户", ("2万户", 20000, "户", "exact")),
    case("mu", "打造园区平台4800亩", ("4800亩", 3.2e6, "m2", "exact")),
    case("hectare", "新建高标准农田300万公顷", ("300万公顷", 3e10, "m2", "exact")),
    case("square-km", "建成区面积达120平方公里", ("120平方公里", 1.2e8, "m2", "exact")),
    case("km", "新建高速公路500公里", ("500公里", 5e5, "m", "exact")),
    case("metres", "隧道全长12.5米", ("12.5米", 12.5, "m", "exact")),
    case("kg", "人均消费1.5公斤", ("1.5公斤", 1.5e-3, "t", "exact")),
    case("cubic", "年供水能力5亿立方米", ("5亿立方米", 5e8, "m3", "exact")),
    case("kilowatt", "新能源装机突破1亿千瓦", ("突破1亿千瓦", 1e8, "kW", "at_least")),
    case("megawatt", "建成储能200兆瓦", ("200兆瓦", 2e5, "kW", "exact")),
    case("kwh", "外送电量1500亿千瓦时", ("1500亿千瓦时", 1.5e11, "kWh", "exact")),
    case("usd", "实际使用外资12亿美元", ("12亿美元", 1.2e9, "USD", "exact")),
    case("days", "审批时间压缩至5个工作日", ("5个工作日", 5, "day", "exact")),
    case("months", "建设周期缩短3个月", ("3个月", 3, "month", "exact")),
    case("hours", "通关时间压缩至24小时", ("24小时", 24, "hour", "exact")),
    case("renci", "接待游客1.2亿人次", ("1.2亿人次", 1.2e8, "人次", "exact")),
    case("compound", "PM2.5平均浓度27微克/立方米", ("27微克/立方米", 27, "微克/立方米", "exact")),
    case("compound-scaled", "产能1400万吨/年", ("1400万吨/年", 1.4e7, "吨/年", "exact")),
    # qualifiers
    case("yue", "约3000家企业", ("约3000家", 3000, "家", "approx")),
    case("zuoyou", "地区生产总值增长5%左右", ("5%左右", 5, "%", "approx")),
    case("duo", "新增就业300多个岗位", ("300多个", 300, "个", "at_least")),
    case("yishang", "研发投入增长10%以上", ("10%以上", 10, "%", "at_least")),
    case("yu", "逾200家企业落户", ("逾200家", 200, "家", "at_least")),
    case("yixia", "能耗下降控制在3%以下", ("3%以下", 3, "%", "at_most")),
    case("budao", "不到1%的企业", ("不到1%", 1, "%", "at_most")),
    case("buzu", "不足10家", ("不足10家", 10, "家", "at_most")),
    case("guo", "4个过五百亿元的县", ("4个", 4, "个", "exact"), ("过五百亿元", 5e10, "CNY", "at_least")),
    # ranges
    case("range-dash", "地区生产总值增长4.5%—5%", ("4.5%—5%", 4.5, "%", "range", {"value_max": 5})),
    case("range-years", "连续3-5年扎扎实实", ("3-5年", 3, "year", "range", {"value_max": 5})),
    case("range-dao", "增长5%到6%", ("5%到6%", 5, "%", "range", {"value_max": 6})),
    case("range-wan", "城镇新增就业100万至120万人", ("100万至120万人", 1e6, "人", "range", {"value_max": 1.2e6})),
    # lists and changes
    case("list-percent", "炼铁、炼钢先进产能占比分别达到64.3%、62.3%",
         ("64.3%", 64.3, "%", "exact"), ("62.3%", 62.3, "%", "exact")),
    case("list-shared-qualifier", "食品、药品抽检合格率分别超98.5%和99%",
         ("超98.5%", 98.5, "%", "at_least"), ("99%", 99, "%", "at_least")),
    case("list-qualifier-not-shared", "增长超过2%，出口增长5%",
         ("超过2%", 2, "%", "at_least"), ("5%", 5, "%", "exact")),
    case("list-shared-unit", "分别提高15、22个百分点", ("15", 15, "pp", "exact"), ("22个百分点", 22, "pp", "exact")),
    case("medals", "国赛3金5银27铜", ("3金", 3, "金牌", "exact"), ("5银", 5, "银牌", "exact"),
         ("27铜", 27, "铜牌", "exact")),
    case("from-to-decrease", "一般性工业项目审批时间由34天缩减至12天",
         ("12天", 12, "day", "exact", {"previous_value": 34, "change": "decrease"})),
    case("from-to-dated", "人均GDP从2020年的5.2万元提高到2025年的7.4万元",
         ("7.4万元", 74000, "CNY", "exact", {"previous_value": 52000, "change": "increase"})),
    case("from-to-units", "省属一级企业由66户整合至12户",
         ("12户", 12, "户", "exact", {"previous_value": 66, "change": "decrease"})),
    # not facts
    case("year", "2023年，高新区投资项目入选典型案例"),
    case("month-range", "今年1-9月，"),
    case("day-range", "11月2日-3日，大赛决赛成功举办"),
    case("ordinal", "第十一届“创青春”大赛，第五次会议"),
    case("list-marker", "一是围绕破解开发区发展问题；（三）推进改革；1.加快建设"),
    case("slogans", "“三化三制”改革、“1+4+N”政策体系、“七纵五横”路网、“十四五”时期、2.0政策体系、“7+N”模式"),
    case("span-scoping", "五年来，过去五年，10年来"),
    case("anniversary-ordinal", "从全国第11位跃升至第4位"),
    case("vague-one", "退出一批不符合岗位需求的人员，一个项目一个专班"),
    case("chinese-idiom", "千家万户，万众一心，一心一意"),
    case("title", "出台《关于支持10家企业上市的意见》"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_figure(rules, text, expected):
    rows = extract_facts(text, rules)
    got = [(r.text, r.value, r.unit, r.qualifier) for r in rows]
    assert len(rows) == len(expected), got
    for row, (surface, value, unit, qualifier, *extra) in zip(rows, expected):
        assert (row.text, row.unit, row.qualifier) == (surface, unit, qualifier), got
        assert row.value == pytest.approx(value, rel=1e-9)
        assert text[row.start:row.end] == surface
        for key, want in (extra[0] if extra else {}).items():
            got_value = getattr(row, key)
            assert got_value == pytest.approx(want) if isinstance(want, float | int) else got_value == want, key
