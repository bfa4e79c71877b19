"""The labeler at the token level: how the words before a figure are cut, where the
label's phrase starts and ends, how a 分别 list's items are found and shared out, and
what a label is trimmed of. Each case is read from a report or the sample page."""
import pytest

from conftest import RULES
from pipeline.ruleset.load import load_rules

LABELER = load_rules(RULES, check=False).labeler


@pytest.mark.parametrize("before, tokens", [
    # the numbers ending a clause are split off by a regex, whole, before jieba sees the rest
    pytest.param("分别达到64.3%、", ["分别", "达到", "64.3%", "、"], id="percent-and-list-mark"),
    pytest.param("新增规上工业企业500户、", ["新增", "规上工业企业", "500", "户", "、"], id="count-and-unit"),
    # a domain term of rules/labels.toml or a metric alias stays one word
    pytest.param("城镇新增就业", ["城镇新增就业"], id="metric-alias-whole"),
    pytest.param("民间投资占全部投资比重", ["民间投资占全部投资比重"], id="share-alias-whole"),
])
def test_tokens(before, tokens):
    assert LABELER.reader.tokens(before) == tokens


@pytest.mark.parametrize("before, phrase", [
    pytest.param("一般性工业项目审批时间由34天缩减至", "一般性工业项目审批时间", id="from-to-links-and-figures"),
    pytest.param("全区有数字经济规上企业", "数字经济规上企业", id="stop-word-有"),
    pytest.param("其中国家专精特新“小巨人”企业", "国家专精特新“小巨人”企业", id="stop-word-其中-quotes-kept"),
    pytest.param("实际使用外资比“十三五”时期增长", "实际使用外资", id="what-is-compared-stands-before-比"),
    pytest.param("农产品加工业产值与农业总产值之比提高到", "农产品加工业产值与农业总产值之比",
                 id="ratio-keeps-both-terms"),
])
def test_phrase_before_a_figure(before, phrase):
    tokens = LABELER.reader.tokens(before)
    assert LABELER.phrase(tokens, LABELER._tail(tokens)) == phrase


@pytest.mark.parametrize("before, items", [
    pytest.param("刑事、治安案件分别下降", [["刑事"], ["治安", "案件"]], id="enumeration-mark"),
    pytest.param("游客人数和总花费分别增长", [["游客人数"], ["总", "花费"]], id="和"),
    pytest.param("炼铁、炼钢先进产能占比分别达到64.3%、", [["炼铁"], ["炼钢", "先进产能", "占比"]],
                 id="share-words-belong-to-the-items"),
])
def test_items_of_a_list(before, items):
    assert LABELER._items(LABELER.reader.tokens(before)) == items


@pytest.mark.parametrize("items, count, labels", [
    pytest.param([["刑事"], ["治安", "案件"]], 2, ["刑事案件", "治安案件"], id="last-item-s-head-shared"),
    pytest.param([["炼铁"], ["炼钢", "先进产能", "占比"]], 2, ["炼铁先进产能占比", "炼钢先进产能占比"],
                 id="shared-words-after-the-head"),
    pytest.param([["游客人数"], ["总花费"]], 2, ["游客人数", "总花费"], id="items-of-one-length"),
    pytest.param([["城镇"], ["农村居民人均可支配收入"]], 2, ["城镇居民人均可支配收入", "农村居民人均可支配收入"],
                 id="one-word-last-item-shares-characters-that-make-a-known-term"),
    pytest.param([["装备制造业"], ["高技术制造业增加值"]], 2, ["装备制造业", "高技术制造业增加值"],
                 id="characters-that-make-no-known-term-are-not-shared"),
    pytest.param([["入境", "游客", "数量"], ["花费"]], 2, ["入境游客数量", "入境游客花费"],
                 id="short-last-item-takes-the-first-item-s-words-before-its-head"),
    pytest.param([["热线诉求解决率"], ["满意率"]], 2, ["热线诉求解决率", "满意率"],
                 id="a-last-item-naming-its-measure-takes-nothing"),
    pytest.param([["共建", "“", "一带一路", "”", "国家"], ["非洲"], ["欧洲", "出口"]], 3,
                 ["共建“一带一路”国家出口", "非洲出口", "欧洲出口"], id="last-word-shared-when-no-item-names-a-measure"),
    pytest.param([["工业", "战略性", "新兴产业"], ["高新技术产业", "产值", "占", "规上工业", "比重"]], 2,
                 ["工业战略性新兴产业产值占规上工业比重", "高新技术产业产值占规上工业比重"],
                 id="a-share-s-base-is-shared-from-its-mark"),
    pytest.param([["文化惠民工程"], ["惠民", "工程"]], 2, ["文化惠民工程", "惠民工程"],
                 id="an-item-ending-with-the-shared-word-takes-it-once"),
    pytest.param([["刑事"], ["治安", "案件"]], 3, None, id="more-figures-than-items"),
])
def test_distribute(items, count, labels):
    assert LABELER.sharing.distribute(items, count) == labels


@pytest.mark.parametrize("label, trimmed", [
    pytest.param("的企业、", "企业", id="的-and-list-mark"),
    pytest.param("和企业与", "企业", id="joiners"),
    pytest.param("“小巨人”企业", "“小巨人”企业", id="paired-quotes-kept"),
    pytest.param("“企业", "企业", id="unpaired-quote-dropped"),
    pytest.param("‘企业’", "企业", id="other-quotes-trimmed"),
    pytest.param("这是一个非常非常长的标签名称已经超过了二十四个字的限度了吧", "常非常长的标签名称已经超过了二十四个字的限度了吧",
                 id="last-24-characters"),
])
def test_trim(label, trimmed):
    assert LABELER.trim(label) == trimmed
