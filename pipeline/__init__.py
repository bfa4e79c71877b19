"""Structured metric extraction for Chinese prose: documents in, typed fact rows out."""

__version__ = "0.1.0"


def load_facts(path):
    """facts.parquet as a pandas DataFrame with analyst-ready dtypes (see pipeline.review.load)."""
    from pipeline.review.load import load_facts as load

    return load(path)
