"""The Python API for one text: the rows a run would write, with no file in between."""
import pyarrow.parquet as pq
import pytest

import pipeline
from conftest import SAMPLE, SAMPLE_DATE
from pipeline.run import run_extract


def test_extract_text_gives_the_rows_a_run_writes(tmp_path, sample_text):
    run_extract([SAMPLE], tmp_path, default_date=SAMPLE_DATE)
    written = pq.read_table(tmp_path / "facts.parquet").to_pylist()
    facts = pipeline.extract_text(sample_text, date=SAMPLE_DATE, doc_id=SAMPLE.stem)
    assert [(f.fact_id, f.text, f.value, f.period, f.metric_label) for f in facts] == [
        (r["fact_id"], r["text"], r["value"], r["period"], r["metric_label"]) for r in written]


def test_extract_frame_has_the_columns_of_facts_parquet(tmp_path):
    frame = pipeline.extract_frame("全区市场主体20798户，其中企业8070户，占比38.8%。")
    run_extract([SAMPLE], tmp_path)
    assert list(frame.columns) == pq.read_schema(tmp_path / "facts.parquet").names
    assert list(frame.text) == ["20798户", "8070户", "38.8%"] and frame.aspect.iloc[2] == "share"


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(ValueError, match="not a date: 'soon'"):
        pipeline.extract_text("今年增长5%。", date="soon")
