"""What the loaders of the word tables in rules/ share: word lists merged across
files, and longest-first alternations of words."""
from __future__ import annotations

import regex

from pipeline.ruleset.errors import RuleError, check_keys


def word_lists(files, table: str, keys: set[str]) -> dict[str, list[str]]:
    """The lists of a [table] (every key of `keys`), each merged across files."""
    lists: dict[str, list[str]] = {key: [] for key in keys}
    for file in files:
        if table in file.data:
            check_keys(file.data[table], keys, file.where(table, label=f"[{table}]"))
            for key, words in file.data[table].items():
                if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                    raise RuleError(f"{file.where(f'{table}.{key}', label=f'{table}.{key}')}: "
                                    "a list of words")
                lists[key] += words
    return lists


def alternation(words) -> str:
    """The words as one regex alternative each, longest first (so 稳预期 wins over 预期)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(regex.escape(w) for w in ordered) or "(?!)"
