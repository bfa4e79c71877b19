"""load_facts gives analysts proper dtypes."""
import pandas as pd

import pipeline
from conftest import SAMPLE
from pipeline.run import run_extract


def test_load_facts_dtypes_and_values(tmp_path):
    run_extract([SAMPLE], tmp_path)
    facts = pipeline.load_facts(tmp_path)
    assert isinstance(facts.unit.dtype, pd.CategoricalDtype)
    assert isinstance(facts.aspect.dtype, pd.CategoricalDtype)
    assert facts.value.dtype == "Float64" and facts.value_max.dtype == "Float64"
    assert facts.is_target.dtype == "boolean" and facts.start.dtype == "Int32"
    assert facts.text.dtype == "string"
    row = facts[facts.text == "20798户"].iloc[0]
    assert row.value == 20798 and row.unit == "户" and pd.isna(row.value_max)
    share = facts[facts.text == "38.8%"].iloc[0]
    assert share.aspect == "share"
    assert pipeline.load_facts(tmp_path / "facts.parquet").equals(facts)


def test_filters_combine_in_either_order_and_periods_are_ranges(tmp_path):
    run_extract([SAMPLE], tmp_path, default_date="2024-11-01")
    facts = pipeline.load_facts(tmp_path)
    # What analysts write: a boolean column first, then a comparison, and the reverse.
    chosen = facts[facts.is_target & (facts.metric == "market_entities")]
    assert chosen.equals(facts[(facts.metric == "market_entities") & facts.is_target])
    assert len(facts[~facts.is_target & (facts.metric == "market_entities")]) >= 1
    # "Every figure about 2024" is a range filter, not string parsing.
    in_2024 = facts[(facts.period_start >= "2024-01-01") & (facts.period_end <= "2024-12-31")]
    assert set(in_2024.period) >= {"2024", "2024-01/2024-09"}
    row = facts[facts.text == "20798户"].iloc[0]
    assert (row.period, row.period_start, row.period_end) == (
        "2024-01/2024-09", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-09-30"))


def test_low_cardinality_columns_are_categoricals_in_polars_and_pandas(tmp_path):
    import polars as pl
    import pyarrow.parquet as pq

    from pipeline.fact import CATEGORIES

    run_extract([SAMPLE], tmp_path)
    schema = pq.read_schema(tmp_path / "facts.parquet")
    assert set(CATEGORIES) == {"doc_id", "unit", "dimension", "qualifier", "aspect", "change", "metric", "rule_id"}
    assert all(str(schema.field(name).type).startswith("dictionary") for name in CATEGORIES)
    frame = pl.read_parquet(tmp_path / "facts.parquet")
    assert all(frame.schema[name] == pl.Categorical for name in CATEGORIES)
    assert isinstance(pd.read_parquet(tmp_path / "facts.parquet").unit.dtype, pd.CategoricalDtype)
    units = [row["unit"] for row in pq.read_table(tmp_path / "facts.parquet").to_pylist()]
    assert frame.filter(pl.col("unit") == "户").height == units.count("户") > 0
