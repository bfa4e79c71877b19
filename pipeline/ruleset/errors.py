"""The error every rule-file problem raises, shared by the loaders of rules/."""
from __future__ import annotations


class RuleError(ValueError):
    """A rule file is wrong; the message names file, rule and line."""


def check_keys(entry: dict, allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
