"""Structured metric extraction for Chinese prose: documents in, typed fact rows out."""

__version__ = "0.1.0"


def load_facts(path):
    """facts.parquet as a pandas DataFrame with analyst-ready dtypes (see pipeline.review.load)."""
    from pipeline.review.load import load_facts as load

    return load(path)


def extract_text(text, date=None, title=None, doc_id="", rules=None):
    """The facts of one text, without touching the disk (see pipeline.api)."""
    from pipeline.api import extract_text as extract
    from pipeline.paths import DEFAULT_RULES

    return extract(text, date, title, doc_id, rules or DEFAULT_RULES)


def extract_frame(text, date=None, title=None, doc_id="", rules=None):
    """The facts of one text as a pandas DataFrame (see pipeline.api)."""
    from pipeline.api import extract_frame as extract
    from pipeline.paths import DEFAULT_RULES

    return extract(text, date, title, doc_id, rules or DEFAULT_RULES)
