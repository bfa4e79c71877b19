"""The sample newspaper page through the whole pipeline, as a user runs it."""
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from conftest import ROOT, SAMPLE
from pipeline.extract import extract_facts
from pipeline.run import run_extract
from pipeline.write.parquet import DOC_SCHEMA, FACT_SCHEMA


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = run_extract([SAMPLE.parent], out)
    facts = pq.read_table(out / "facts.parquet")
    docs = pq.read_table(out / "docs.parquet")
    return summary, facts, docs


@pytest.fixture(scope="module")
def rows(sample_run):
    return sample_run[1].to_pylist()


def find(rows, text):
    found = [r for r in rows if r["text"] == text]
    assert found, f"no row with text {text!r}; texts: {[r['text'] for r in rows]}"
    return found


def test_market_entities_count(rows):
    (row,) = [r for r in find(rows, "20798户")]
    assert (row["value"], row["unit"], row["dimension"], row["qualifier"]) == (20798, "户", "count", "exact")


def test_companies_with_at_least_qualifier(rows):
    (row,) = find(rows, "600余家")
    assert (row["value"], row["unit"], row["qualifier"]) == (600, "家", "at_least")
    assert row["value_raw"] == "600" and row["unit_raw"] == "家"


def test_approval_time_from_to_gives_one_row(rows, sample_text):
    (row,) = find(rows, "12天")
    assert (row["value"], row["unit"], row["previous_value"], row["change"]) == (12, "day", 34, "decrease")
    assert not [r for r in rows if r["text"] == "34天"]
    assert "由34天缩减至12天" in row["sentence"]


def test_mu_converted_to_square_metres(rows):
    (row,) = find(rows, "4800亩")
    assert row["unit"] == "m2" and row["value"] == pytest.approx(3.2e6)


def test_share_percent_and_ten_thousands(rows):
    (row,) = find(rows, "超过80%")
    assert (row["value"], row["unit"], row["qualifier"]) == (80, "%", "at_least")
    (row,) = find(rows, "60万平方米")
    assert row["value"] == 600000 and row["unit"] == "m2"
    (row,) = find(rows, "1370万元")
    assert row["value"] == 13700000 and row["unit"] == "CNY" and row["dimension"] == "currency"


def test_no_rows_for_ordinals_slogans_dates_and_labels(rows, sample_text):
    for phrase in ["第十一届", "三化三制", "1+4+N", "7+N", "11月2日-3日", "1-9月", "2.0政策体系", "2023年"]:
        start = sample_text.index(phrase)
        end = start + len(phrase)
        overlapping = [r["text"] for r in rows if r["start"] < end and start < r["end"]]
        assert not overlapping, f"{phrase} gave rows {overlapping}"


def test_sentence_is_the_whole_sentence_without_layout_breaks(rows):
    (row,) = find(rows, "1364项")
    assert row["sentence"].startswith("同时,高新区持续深化“放管服”改革,先后4批次承接省、市下放的1364项行政权力")
    assert "\n" not in row["sentence"]


def test_offsets_point_into_original_text(rows, sample_text):
    assert rows
    for row in rows:
        assert sample_text[row["start"]:row["end"]] == row["text"]


def test_rows_sorted_and_ids_unique(rows):
    keys = [(r["doc_id"], r["start"], r["end"]) for r in rows]
    assert keys == sorted(keys)
    assert len({r["fact_id"] for r in rows}) == len(rows)


def test_tables_follow_the_schema(sample_run):
    summary, facts, docs = sample_run
    assert facts.schema.remove_metadata() == FACT_SCHEMA
    assert docs.schema.remove_metadata() == DOC_SCHEMA
    metadata = facts.schema.metadata
    for key in (b"pipeline_version", b"rules_digest", b"run_time"):
        assert metadata[key]
    (doc,) = docs.to_pylist()
    assert doc["doc_id"] == "000_ecb0041fadd01aa0" and doc["status"] == "ok"
    assert doc["facts"] == facts.num_rows == summary.facts
    assert all(r["doc_id"] == "000_ecb0041fadd01aa0" for r in facts.to_pylist())


def test_command_line_extract_prints_summary(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(SAMPLE.parent), "--out",
                             str(tmp_path)], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.startswith("1 documents (1 ok, 0 skipped, 0 errors), ")
    assert (tmp_path / "facts.parquet").exists() and (tmp_path / "docs.parquet").exists()
    assert not list(tmp_path.glob(".*.tmp"))
    assert result.stderr == ""  # no progress bar off a terminal


def test_a_growth_measured_from_a_named_year_has_it_as_previous_period(rules):
    text = "地区生产总值比2020年增长58.1%，年均增长5%。居民收入比上年增长5.2%，较2020年提高到8.1万元。"
    facts = {fact.text: fact for fact in extract_facts(text, rules, "doc", "2026-02-03")}
    assert facts["58.1%"].previous_period == "2020"
    assert facts["5%"].previous_period is None  # its own clause names no base
    assert facts["5.2%"].previous_period is None  # 上年 is the year before the figure's, not the document's
    assert facts["8.1万元"].aspect == "level" and facts["8.1万元"].previous_period is None


def test_a_change_in_a_later_clause_keeps_the_comparison_before_it(rules):
    text = "全省地区生产总值达到13697.5亿元，较“十三五”末的9323.1亿元增加4374.4亿元，增长33.6%，高于全国平均水平。"
    facts = {fact.text: fact for fact in extract_facts(text, rules, "doc", "2026-02-10")}
    assert facts["4374.4亿元"].previous_period == "2020"
    assert facts["33.6%"].previous_period == "2020"  # 增长 opens its clause: the same comparison
    assert facts["13697.5亿元"].previous_period is None  # before the comparison


def _extract_cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, args)],
                          capture_output=True, text=True)


def test_exit_status_says_whether_every_document_was_read(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "a.txt").write_text("全区市场主体20798户。", encoding="utf-8")
    (bad / "a.txt").write_text("全区市场主体20798户。", encoding="utf-8")
    (bad / "b\x1b[31m.txt").write_bytes(b"\xff\xfe\x00\x00\x1b]0;owned\x07" * 40)
    assert _extract_cli(good, "--out", tmp_path / "o1").returncode == 0
    failed = _extract_cli(bad, "--out", tmp_path / "o2")
    assert failed.returncode == 1
    # The failed document is named with its reason, its control characters escaped.
    assert "error: b\\x1b[31m: cannot decode" in failed.stderr and "\x1b" not in failed.stderr
    assert (tmp_path / "o2" / "facts.parquet").exists()


def test_usage_errors_exit_2_with_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    none = _extract_cli(tmp_path / "empty", "--out", tmp_path / "o")
    assert none.returncode == 2 and "no documents found" in none.stderr
    into_file = _extract_cli(tmp_path / "empty", "--out", tmp_path / "file")
    assert into_file.returncode == 2
    assert into_file.stderr.strip() == f"error: --out {tmp_path / 'file'} is a file, not a folder"


def test_version_prints_the_version_and_the_rules_digest(rules):
    from typer.testing import CliRunner

    from pipeline import __version__
    from pipeline.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith(f"pipeline {__version__}, rules ") and rules.digest in result.output


def test_the_columns_read_from_each_table_and_a_wrong_column_are_said(tmp_path):
    table = tmp_path / "news.csv"
    table.write_text("编号,标题,正文\nn1,通报,全区市场主体20798户。\n", encoding="utf-8")
    result = _extract_cli(table, "--out", tmp_path / "o1")
    assert result.returncode == 0
    assert f"{table}: columns read: text 正文, id 编号, date —, title 标题" in result.stderr
    wrong = _extract_cli(table, "--out", tmp_path / "o2", "--text-column", "内容")
    assert wrong.returncode == 1
    assert "text column '内容' not found; columns are ['编号', '标题', '正文']" in wrong.stderr
