"""What the loaders of the word tables in rules/ share: checked example entries,
word lists merged across files, and longest-first alternations of words."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import regex

from pipeline.errors import RuleError, check_keys


def figure_examples(parsed: list[tuple[Path, dict]], table: str, keys: set[str],
                    name: str) -> Iterator[tuple[dict, str]]:
    """(entry, where) for every entry of `table`: known keys only, its figure inside its text."""
    for path, data in parsed:
        for index, entry in enumerate(data.get(table, []), 1):
            where = f"{path.name} {name} {index}"
            check_keys(entry, keys, where)
            if entry.get("figure", "") not in entry.get("text", ""):
                raise RuleError(f"{where}: the figure {entry.get('figure')!r} is not in its text")
            yield entry, where


def word_lists(parsed: list[tuple[Path, dict]], table: str, keys: set[str]) -> dict[str, list[str]]:
    """The lists of a [table] (every key of `keys`), each merged across files."""
    lists: dict[str, list[str]] = {key: [] for key in keys}
    for path, data in parsed:
        if table in data:
            check_keys(data[table], keys, f"{path.name} [{table}]")
            for key, words in data[table].items():
                lists[key] += words
    return lists


def alternation(words) -> str:
    """The words as one regex alternative each, longest first (so 稳预期 wins over 预期)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(regex.escape(w) for w in ordered) or "(?!)"
