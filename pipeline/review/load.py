"""Load a facts table for notebooks, with the dtypes an analyst expects."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.fact import CATEGORIES
from pipeline.review.facts_file import read_table


def load_facts(path: str | Path) -> pd.DataFrame:
    """facts.parquet (or the folder holding it) as a DataFrame; FactsFileError names a
    path that is missing or no Parquet file.

    Strings are pandas strings, unit/dimension/qualifier/aspect/change
    categoricals, value columns nullable floats, is_target a nullable boolean,
    offsets Int32: nulls stay nulls instead of turning into NaN or object.
    """
    frame = read_table(path).to_pandas(types_mapper=pd.ArrowDtype)
    frame = frame.convert_dtypes(dtype_backend="numpy_nullable")
    for column in CATEGORIES:
        frame[column] = frame[column].astype("category")
    return frame
