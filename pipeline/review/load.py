"""Load a facts table for notebooks, with the dtypes an analyst expects."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.fact import CATEGORIES
from pipeline.review.facts_file import plain_strings, read_table

DATES = ("period_start", "period_end")


def load_facts(path: str | Path) -> pd.DataFrame:
    """facts.parquet (or the folder holding it) as a DataFrame; FactsFileError names a
    path that is missing or no Parquet file.

    Strings are pandas strings, unit/dimension/qualifier/aspect/change
    categoricals, value columns nullable floats, is_target a nullable boolean,
    offsets Int32, period_start/period_end datetime64: nulls stay nulls instead of
    turning into NaN or object, and filters combine in any order.
    """
    # The dictionary-encoded columns become categoricals below.
    frame = plain_strings(read_table(path)).to_pandas(types_mapper=pd.ArrowDtype)
    for column in DATES:
        if column in frame:
            frame[column] = frame[column].astype("datetime64[s]")
    frame = frame.convert_dtypes(dtype_backend="numpy_nullable")
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.StringDtype):
            # Python-backed: a comparison gives pandas' nullable boolean, which combines with
            # is_target in either order (the Arrow-backed string's bool[pyarrow] raises
            # "boolean value of NA is ambiguous" after `facts.is_target &`).
            frame[column] = frame[column].astype(pd.StringDtype("python"))
    for column in CATEGORIES:
        frame[column] = frame[column].astype("category")
    return frame
