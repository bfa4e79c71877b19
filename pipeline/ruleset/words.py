"""The words the stages share (rules/words.toml, [words]): how lists, ratios,
comparisons, quotes and scopes are written. Read once and handed to every stage
that needs them, so a word added there reaches all of them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import regex

from pipeline.ruleset.errors import RuleError
from pipeline.ruleset.tables import alternation, word_lists


@dataclass(frozen=True)
class Words:
    list_joiners: tuple[str, ...]       # 刑事、治安案件; 游客人数和总花费
    figure_joiners: tuple[str, ...]     # between two figures of a 分别 list, besides a list joiner
    alternatives: tuple[str, ...]       # A或B
    respectively: tuple[str, ...]       # 分别
    ratio_words: tuple[str, ...]        # 之比
    ratio_joiners: tuple[str, ...]      # A与B之比
    opening_quotes: tuple[str, ...]
    closing_quotes: tuple[str, ...]
    other_quotes: tuple[str, ...]       # quotes that neither open nor close ("')
    opening_brackets: tuple[str, ...]   # （
    closing_brackets: tuple[str, ...]   # ）
    kept_quotes: tuple[str, ...]        # a label keeps these; it trims the others
    label_trimmed: tuple[str, ...]      # never starts or ends a label, besides joiners and quotes
    compared: tuple[str, ...]           # 较2020年, 比上年
    to_level: tuple[str, ...]           # 提高到12%
    scopes: tuple[str, ...]             # 全省, 我市
    share_marks: tuple[str, ...]        # 占
    aspect_prefixes: tuple[str, ...]    # 年均, 累计
    aspect_endings: tuple[str, ...]     # 增速, 涨幅
    count_endings: tuple[str, ...]      # 数量, 总量
    qualifier_reach: tuple[str, ...]    # 本市, 每人每天: between a limit and its figure

    @property
    def quotes(self) -> frozenset[str]:
        return frozenset(self.opening_quotes + self.closing_quotes + self.other_quotes)

    @cached_property
    def open_bracket(self) -> regex.Pattern:
        """An opening bracket not closed before the end of the searched text."""
        brackets = regex.escape("".join(self.opening_brackets + self.closing_brackets))
        return regex.compile(f"[{regex.escape(''.join(self.opening_brackets))}][^{brackets}]*\\Z")

    def scope_pattern(self) -> re.Pattern:
        return re.compile(alternation(self.scopes))

    def ending_pattern(self) -> re.Pattern:
        """Aspect or count words ending a label: 地区生产总值增速, 高新技术企业数量."""
        return re.compile(f"(?:(?:{alternation(self.aspect_prefixes)})?(?:{alternation(self.aspect_endings)})"
                          f"|{alternation(self.count_endings)})$")


KEYS = {name for name in Words.__dataclass_fields__}


def load_words(files) -> Words:
    lists = word_lists(files, "words", KEYS)
    missing = sorted(key for key, words in lists.items() if not words)
    if missing:
        raise RuleError(f"the rule files' [words] table lacks {missing}")
    return Words(**{key: tuple(words) for key, words in lists.items()})
