"""load_facts gives analysts proper dtypes."""
import pandas as pd

import pipeline
from pipeline.run import run_extract

from conftest import SAMPLE


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
