"""A document's date, in the forms documents print it, and where it came from."""
import pyarrow.parquet as pq
import pytest

from pipeline.read.dates import document_date, printed_date
from pipeline.run import run_extract


@pytest.mark.parametrize("text, date", [
    pytest.param("GDP突破120万亿元\n《新闻联播》 (20230117)\n\n央视网消息", "2023-01-17", id="news-dateline"),
    pytest.param("苏州一季度GDP同比增4.4%\nTue, 26 Apr 2022 05:13:25 GMT\n\n澎湃新闻", "2022-04-26", id="feed-stamp"),
    # 19:03 GMT is 03:03 the next day in China, where the story was published
    pytest.param("华为研发投入\nMon, 11 Oct 2021 19:03:59 GMT\n", "2021-10-12", id="feed-stamp-china-day"),
    pytest.param("2021年成都市统计公报\n\n成都市统计局\n\n2022年3月25日\n\n2021年，", "2022-03-25", id="release-line"),
    pytest.param("— 1 — \n2022 年成都市统计公报 \n2023 年 3 月 25 日 \n \n2022 年，", "2023-03-25",
                 id="release-line-spaced"),
    pytest.param("银川日报2025年7月25日讯 今年以来，", "2025-07-25", id="news-agency-line"),
    pytest.param("广州市补贴发放标准\n2026-02-26\n一、2025年发放情况", "2026-02-26", id="page-stamp"),
    pytest.param("通告\n2025-10-17 09:00:00\n为持续深入推进", "2025-10-17", id="page-stamp-with-time"),
    pytest.param("管理办法的通知\n发布日期：2024-09-12\n穗府办规", "2024-09-12", id="labelled"),
    pytest.param("会议\n时间：2026-02-09 来源：", "2026-02-09", id="labelled-time"),
    pytest.param("2026年1月28日在省十四届人大四次会议上", "2026-01-28", id="report-head"),
    pytest.param("现公布修订后的条例，自2019年1月1日起施行。", None, id="a-date-inside-a-sentence"),
    pytest.param("2023年，全市地区生产总值增长6%", None, id="a-year-is-no-date"),
    pytest.param("通告\n2025-02-30\n", None, id="no-such-day"),
    pytest.param("（20231340）", None, id="eight-digits-no-date"),
])
def test_printed_date(text, date):
    assert printed_date(text) == date


def test_a_date_far_below_the_head_is_not_the_document_s():
    assert printed_date("正文。" * 400 + "\n2022年3月25日\n") is None


@pytest.mark.parametrize("own, source, text, expected", [
    pytest.param("2024-01-01", "column", "（20230117）", ("2024-01-01", "column"), id="column-first"),
    pytest.param("2024-11-01", None, "《新闻联播》 (20230117)", ("2023-01-17", "printed"), id="printed-before-option"),
    pytest.param("2024-11-01", None, "no date here", ("2024-11-01", "option"), id="option"),
    pytest.param(None, None, "no date here", (None, "none"), id="none"),
])
def test_document_date(own, source, text, expected):
    assert document_date(own, source, text) == expected


def test_docs_parquet_says_where_each_date_came_from(tmp_path):
    (tmp_path / "news.txt").write_text("标题\n《新闻联播》 (20230117)\n\n今年新增企业12家。\n", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("今年新增企业12家。\n", encoding="utf-8")
    (tmp_path / "table.csv").write_text("id,pubdate,content\na,2024-05-06,今年新增企业12家。\nb,,今年新增企业3家。\n",
                                        encoding="utf-8")
    run_extract([tmp_path], tmp_path / "out", progress=False, default_date="2020-06-01")
    docs = {row["doc_id"]: row for row in pq.read_table(tmp_path / "out" / "docs.parquet").to_pylist()}
    assert {doc: (row["date"], row["date_source"]) for doc, row in docs.items()} == {
        "news": ("2023-01-17", "printed"), "plain": ("2020-06-01", "option"),
        "table#a": ("2024-05-06", "column"),
        # a table with a date column whose cell is empty has no date: the option does not guess one
        "table#b": (None, "none")}
    periods = {row["doc_id"]: row["period"] for row in pq.read_table(tmp_path / "out" / "facts.parquet").to_pylist()}
    assert periods == {"news": "2023", "plain": "2020", "table#a": "2024", "table#b": None}
    run_extract([tmp_path / "plain.txt"], tmp_path / "undated", progress=False)
    undated = pq.read_table(tmp_path / "undated" / "docs.parquet").to_pylist()[0]
    assert (undated["date"], undated["date_source"]) == (None, "none")
