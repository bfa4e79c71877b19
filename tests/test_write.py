"""The Parquet tables are built from Arrow buffers: they must equal what pyarrow builds."""
import subprocess
import sys
from dataclasses import asdict

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, SAMPLE
from pipeline.fact import DocRow, Fact
from pipeline.write.parquet import DOC_SCHEMA, FACT_SCHEMA, column, table

VALUES = {
    pa.string(): st.one_of(st.none(), st.text(max_size=30)),
    pa.float64(): st.one_of(st.none(), st.floats(allow_nan=False)),
    pa.int32(): st.integers(-2**31, 2**31 - 1),
    pa.int64(): st.one_of(st.none(), st.integers(-2**63, 2**63 - 1)),
    pa.bool_(): st.one_of(st.none(), st.booleans()),
    pa.date32(): st.one_of(st.none(), st.dates()),
    pa.dictionary(pa.int32(), pa.string()): st.one_of(st.none(), st.sampled_from(["户", "%", "CNY", "个"])),
}


def rows_of(row_type, schema):
    return st.lists(st.builds(row_type, **{field.name: VALUES[field.type] for field in schema}), max_size=40)


@settings(max_examples=200, deadline=None)
@given(rows=rows_of(Fact, FACT_SCHEMA))
def test_fact_tables_equal_pyarrows_own(rows):
    built = table(rows, FACT_SCHEMA)
    built.validate(full=True)
    dicts = [asdict(row) for row in rows]
    assert built.equals(pa.Table.from_pylist(dicts, FACT_SCHEMA))
    assert built.to_pylist() == dicts


@settings(max_examples=100, deadline=None)
@given(rows=rows_of(DocRow, DOC_SCHEMA))
def test_document_tables_equal_pyarrows_own(rows):
    assert table(rows, DOC_SCHEMA).equals(pa.Table.from_pylist([asdict(row) for row in rows], DOC_SCHEMA))


def test_a_column_past_the_bitmap_byte_boundaries_keeps_each_null_in_place():
    values = [None if i % 7 == 0 else f"第{i}" for i in range(1001)]
    built = column(values, pa.string())
    assert built.null_count == 143
    assert built.to_pylist() == values


def test_an_extraction_run_does_not_import_pandas(tmp_path):
    # pyarrow's pa.array would import it (0.2 s or more) to write the Parquet files.
    script = ("import sys; from pipeline.run import run_extract; "
              f"summary = run_extract([{str(SAMPLE)!r}], {str(tmp_path)!r}); "
              "print(summary.facts, 'pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    facts, imported = result.stdout.split()
    assert int(facts) > 40 and imported == "False"
