"""Extraction of one text, for notebooks and services: no files, no output folder.

    >>> from pipeline import extract_text
    >>> [(f.text, f.value, f.unit) for f in extract_text("全区市场主体20798户。")]
    [('20798户', 20798.0, '户')]

The rules are loaded once per process and per rules folder (the first call takes about a
second; later ones the time of the text's own extraction).
"""
from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from pipeline.extract import extract_facts
from pipeline.fact import Fact
from pipeline.paths import DEFAULT_RULES
from pipeline.read.dates import normalise_date
from pipeline.ruleset.load import RuleSet, load_rules


@lru_cache(maxsize=4)
def _rules(folder: str) -> RuleSet:
    return load_rules(folder, check=False)


def extract_text(text: str, date: str | None = None, title: str | None = None, doc_id: str = "",
                 rules: str | Path = DEFAULT_RULES) -> list[Fact]:
    """The facts of one text, in order of offset: the rows of facts.parquet, as Fact objects.
    `date` (YYYY-MM-DD, or any form the reader accepts) resolves 今年 and the like."""
    day = None
    if date is not None:
        day = normalise_date(date)
        if day is None:
            raise ValueError(f"not a date: {date!r} (use YYYY-MM-DD)")
    return extract_facts(text, _rules(str(Path(rules).resolve())), doc_id, day, title)


def extract_frame(text: str, date: str | None = None, title: str | None = None, doc_id: str = "",
                  rules: str | Path = DEFAULT_RULES):
    """The facts of one text as a pandas DataFrame with the columns of facts.parquet."""
    import pandas as pd

    from pipeline.fact import columns

    facts = extract_text(text, date, title, doc_id, rules)
    return pd.DataFrame([asdict(fact) for fact in facts], columns=[name for name, _ in columns(Fact)])
