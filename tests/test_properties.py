"""Invariants: extraction never raises, offsets always hold, output is deterministic."""
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORTS, RULES, SAMPLE
from pipeline.extract import extract_facts
from pipeline.run import run_extract

# Text built from the pieces figures are made of, so that generated strings
# reach deep into the rules, plus arbitrary unicode.
PIECES = st.sampled_from([
    "0", "1", "2", "5", "9", ".", ",", "%", "％", "‰", "一", "两", "三", "十", "百", "千", "万", "亿", "〇",
    "余", "多", "近", "超过", "以上", "左右", "由", "从", "至", "到", "—", "-", "、", "，", "。", "\n", "\n\n",
    "年", "月", "日", "天", "个", "家", "户", "元", "亩", "平方米", "个百分点", "倍", "成", "分之", "翻", "番",
    "第", "届", "“", "”", "《", "》", "+", "N", "/", "吨", "千瓦时", "提高", "缩减", "半", "的", "企业",
])
TEXTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=80))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_extraction_never_raises_and_offsets_hold(rules, text):
    facts = extract_facts(text, rules, "doc")
    for fact in facts:
        assert text[fact.start:fact.end] == fact.text
        assert fact.text
        assert fact.unit is not None and fact.dimension
        assert fact.value == fact.value  # not NaN
        if fact.value_max is not None:
            assert fact.value_max > fact.value
    starts = [(f.start, f.end) for f in facts]
    assert starts == sorted(starts)


@pytest.mark.corpus
def test_two_runs_give_the_same_rows_ids_and_order(tmp_path, sample_text):
    first = run_extract([SAMPLE, REPORTS], tmp_path / "a")
    second = run_extract([SAMPLE, REPORTS], tmp_path / "b", jobs=2)
    a = pq.read_table(tmp_path / "a" / "facts.parquet").to_pylist()
    b = pq.read_table(tmp_path / "b" / "facts.parquet").to_pylist()
    assert first.facts == second.facts == len(a) > 1000
    assert a == b
    docs_a = pq.read_table(tmp_path / "a" / "docs.parquet").to_pylist()
    docs_b = pq.read_table(tmp_path / "b" / "docs.parquet").to_pylist()
    assert docs_a == docs_b


@pytest.mark.corpus
def test_every_report_row_points_into_its_text(tmp_path):
    import csv

    csv.field_size_limit(2**31 - 1)
    with REPORTS.open(encoding="utf-8", newline="") as handle:
        texts = {f"reports#{r['province']}": r["full_text"] for r in csv.DictReader(handle)}
    run_extract([REPORTS], tmp_path, id_column="province")
    rows = pq.read_table(tmp_path / "facts.parquet").to_pylist()
    assert {r["doc_id"] for r in rows} == set(texts)
    for row in rows:
        assert texts[row["doc_id"]][row["start"]:row["end"]] == row["text"]


def test_reproducible_runs_give_the_same_bytes(tmp_path, monkeypatch, sample_text):
    import json

    import pyarrow.parquet as pq

    from pipeline.run import run_extract

    monkeypatch.chdir(tmp_path)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text(sample_text, encoding="utf-8")
    for out in ("one", "two"):
        run_extract(["raw"], out, reproducible=True)
    for name in ("facts.parquet", "docs.parquet", "manifest.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    metadata = pq.read_schema(tmp_path / "one" / "facts.parquet").metadata
    assert b"run_time" not in metadata and b"working_dir" not in metadata
    assert json.loads(metadata[b"inputs"]) == ["raw"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run_extract(["raw"], "three", reproducible=True)
    assert pq.read_schema(tmp_path / "three" / "facts.parquet").metadata[b"run_time"] == b"2023-11-14T22:13:20+00:00"


def test_workers_are_fed_in_order_and_only_a_few_tasks_ahead():
    import pipeline.run as run
    from pipeline.read.documents import Document

    pulled = []

    def documents():
        for index in range(300):
            pulled.append(index)
            text = f"第{index}篇。全年新建学校{index + 1}所，新增就业{index + 2}万人。"
            yield Document(f"d{index}", "memory", text, None, None, str(index), "ok", None)

    results = run._extracted_in_pool(documents(), run.Rules(RULES, now=True), 2, None, None, run.Summary())
    first = next(results)
    # What is held: the tasks waiting for the two workers, one task being filled, one document.
    assert len(pulled) <= (run.TASKS_WAITING * 2 + 1) * run.TASK_DOCUMENTS + 1 < 300
    rows = [first, *results]
    assert [row.doc_id for row, *_ in rows] == [f"d{index}" for index in range(300)]
    assert [facts.column("value").to_pylist() for _, facts, *_ in rows[:2]] == [[1, 2e4], [2, 3e4]]
