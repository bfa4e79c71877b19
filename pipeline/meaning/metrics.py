"""The metric a figure measures (FACTS.md: metric), from its metric_label.

The table is data (rules/*.toml, [[metric]]): a canonical key, the Chinese name
and the aliases reports write. Metrics.match(label, dimension):

1. Normalise the label (and, at load, every alias): drop quotes, spaces and "_"
   (专精特新“小巨人”企业 -> 专精特新小巨人企业, PM_2.5 -> PM2.5), full-width ASCII to
   half-width, Latin letters to upper case (5g基站 -> 5G基站).
2. The longest alias that ends the label names it: 一般性工业项目审批时间 ->
   approval_time, 全省地区生产总值 -> gdp, and 人均地区生产总值 -> gdp_per_capita,
   never gdp. An exact alias (`exact = true`, or in `exact_aliases`) counts only
   as the whole label, or after a scope word at its head (全省, 全市, 我省, 全年 …).
3. That alias gives no metric (None, no shorter alias is tried) when the words
   before it hold 占 (数字经济核心产业增加值占地区生产总值 is a share of GDP, not GDP;
   a share metric names it only with an alias holding the whole phrase), when they
   end with 和, 与, 及, 、 or 或 (城镇和农村居民人均可支配收入 names two metrics), when
   they end with one of the metric's `not_after` (工业经济总量 is not gdp), or when
   the figure's dimension is not among the metric's `dimensions`, or its unit is among
   the metric's `not_units` (惠及经营主体超6.3万户次 counts visits, not entities).
4. A label no alias ends is tried once more without a trailing aspect or count
   word (增速, 涨幅, 累计降低率, 数量 …): 地区生产总值增速 -> gdp, CPI涨幅 -> cpi;
   the aspect column already says growth.
5. Anything else is None: a metric is never guessed.

A metric without `dimensions` admits any. Speed: the lookup probes a dict once
per length of the aliases that end with the label's last character, longest
first (`_longest`); the plain version tries every alias with label.endswith.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.ruleset.errors import RuleError, check_keys
from pipeline.ruleset.words import Words

METRIC_KEYS = {"key", "name", "aliases", "exact_aliases", "exact", "not_after", "dimensions", "not_units",
               "description"}
LIST_KEYS = ("aliases", "exact_aliases", "not_after", "dimensions", "not_units")
KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*")
# Quotes and spaces carry no meaning in a label; full-width ASCII and case vary by writer.
_DROPPED = "“”\"'‘’「」『』 \t\r\n\u3000_"
NORMAL = str.maketrans({**{ch: None for ch in _DROPPED},
                        **{chr(c): chr(c - 0xFEE0).upper() for c in range(0xFF01, 0xFF5F)},
                        **{chr(c): chr(c).upper() for c in range(ord("a"), ord("z") + 1)}})
NEEDS_NORMAL = re.compile(f"[{re.escape(_DROPPED)}a-z\uff01-\uff5e]")


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    dimensions: frozenset[str]
    not_after: tuple[str, ...]
    where: str
    not_units: frozenset[str] = frozenset()


def normalise(label: str) -> str:
    return label.translate(NORMAL)


class Metrics:
    def __init__(self, metrics: dict[str, Metric], suffix: dict[str, Metric], whole: dict[str, Metric],
                 words: Words, surfaces: tuple[str, ...] = ()):
        self.metrics = metrics
        self.surfaces = surfaces  # names and aliases as the table writes them (for a tokenizer)
        self.suffix = suffix      # aliases that may end a longer label
        self.whole = whole        # every alias, as the whole label (after a scope word)
        # Only the aliases ending with a label's last character can end it: their
        # lengths, longest first, are all the suffixes worth a dict probe.
        lengths: dict[str, set[int]] = {}
        for alias in whole:
            lengths.setdefault(alias[-1], set()).add(len(alias))
        self.lengths = {last: tuple(sorted(ns, reverse=True)) for last, ns in lengths.items()}
        self.longest = max(map(len, whole), default=0)
        # Words of rules/words.toml: scopes (全省 …), aspect and count endings, share marks,
        # and the joiners that make a label name two things (城镇和农村居民人均可支配收入).
        self.scope = words.scope_pattern()
        self.scope_first = frozenset(scope[0] for scope in words.scopes)
        self.ending = words.ending_pattern()
        self.ending_last = frozenset(word[-1] for word in words.aspect_endings + words.count_endings)
        self.share_marks = words.share_marks
        self.two_things = words.list_joiners + words.alternatives

    def match(self, label: str | None, dimension: str | None = None, unit: str | None = None) -> str | None:
        """The metric key for a metric_label and its figure's dimension and unit, or None.

        `dimension` None skips the dimension check."""
        return self.matched(label, dimension, unit)[0]

    def matched(self, label: str | None, dimension: str | None = None,
                unit: str | None = None) -> tuple[str | None, str, str | None]:
        """(metric key or None, why, the alias found): the alias named it, or why it did not."""
        if not label:
            return None, "no label", None
        if NEEDS_NORMAL.search(label):
            label = label.translate(NORMAL)
        found = self._longest(label)
        if found is None:
            ending = self.ending.search(label) if label and label[-1] in self.ending_last else None
            if ending is None or ending.start() == 0:
                return None, "no alias ends the label", None
            label = label[:ending.start()]
            found = self._longest(label)
            if found is None:
                return None, "no alias ends the label, nor it without its aspect word", None
        metric, start = found
        before, alias = label[:start], label[start:]
        if any(mark in before for mark in self.share_marks) or before.endswith(self.two_things):
            return None, "follows a share mark or names one of two things", alias
        if metric.not_after and before.endswith(metric.not_after):
            return None, "follows a word its metric may not follow", alias
        if dimension is not None and metric.dimensions and dimension not in metric.dimensions:
            return None, "names a metric whose dimensions do not hold the figure's", alias
        if unit in metric.not_units:
            return None, f"names a metric never counted in {unit}", alias
        return metric.key, "names it", alias

    def opening(self, text: str) -> str | None:
        """The longest alias that `text` begins with, after a scope word (全省经营主体持续壮大 -> 经营主体)."""
        text = normalise(text)
        scope = self.scope.match(text)
        head = scope.end() if scope else 0
        for end in range(min(len(text), head + self.longest), head, -1):
            if text[head:end] in self.whole:
                return text[head:end]
        return None

    def _longest(self, label: str) -> tuple[Metric, int] | None:
        """The metric of the longest alias ending `label`, and where that alias starts."""
        size = len(label)
        if not size:
            return None
        scope = self.scope.match(label) if label[0] in self.scope_first else None
        head = scope.end() if scope else 0
        for length in self.lengths.get(label[-1], ()):
            if length > size:
                continue
            start = size - length
            tail = label[start:]
            metric = self.suffix.get(tail)
            if metric is None and start <= head:
                metric = self.whole.get(tail)
            if metric is not None:
                return metric, start
        return None


def load_metrics(files, dimensions: tuple[str, ...], examples, words: Words) -> Metrics:
    """The metric tables of the rule files; `examples` are the label examples, which
    must name every metric."""
    metrics: dict[str, Metric] = {}
    suffix: dict[str, Metric] = {}
    whole: dict[str, Metric] = {}
    surfaces: list[str] = []
    for file in files:
        for index, entry in enumerate(file.data.get("metric", []), 1):
            metric = _metric(entry, file.where("metric", index, f"metric {entry.get('key') or index}"), dimensions)
            if metric.key in metrics:
                raise RuleError(f"{metric.where}: metric {metric.key!r} defined twice "
                                f"(first at {metrics[metric.key].where})")
            metrics[metric.key] = metric
            surfaces += [entry["name"], *entry.get("aliases", []), *entry.get("exact_aliases", [])]
            for alias, exact in _aliases(entry, metric.where):
                owner = whole.get(alias)
                if owner is not None:
                    raise RuleError(f"{metric.where}: alias {alias!r} is already an alias of "
                                    f"{owner.key!r} ({owner.where})")
                whole[alias] = metric
                if not exact:
                    suffix[alias] = metric
    _check_examples(metrics, examples)
    return Metrics(metrics, suffix, whole, words, tuple(dict.fromkeys(surfaces)))


def _metric(entry: dict, where: str, dimensions: tuple[str, ...]) -> Metric:
    check_keys(entry, METRIC_KEYS, where)
    key = entry.get("key")
    if not isinstance(key, str) or not KEY_SHAPE.fullmatch(key) or not entry.get("name"):
        raise RuleError(f"{where}: a metric needs a snake_case key and a name")
    for name in LIST_KEYS:
        value = entry.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(f"{where}: {name} must be a list of strings")
    unknown = set(entry.get("dimensions", [])) - set(dimensions)
    if unknown:
        raise RuleError(f"{where}: unknown dimensions {sorted(unknown)}; known: {list(dimensions)}")
    return Metric(key, entry["name"], frozenset(entry.get("dimensions", [])),
                  tuple(normalise(w) for w in entry.get("not_after", [])), where,
                  frozenset(entry.get("not_units", [])))


def _aliases(entry: dict, where: str) -> list[tuple[str, bool]]:
    """(normalised alias, exact) for the name and every alias of one metric."""
    plain = [entry["name"], *entry.get("aliases", [])]
    exact_only = entry.get("exact_aliases", [])
    both = {normalise(a) for a in plain} & {normalise(a) for a in exact_only}
    if both:
        raise RuleError(f"{where}: {sorted(both)} listed both as alias and as exact alias")
    all_exact = bool(entry.get("exact", False))
    found = {normalise(alias): all_exact for alias in plain}
    found.update({normalise(alias): True for alias in exact_only})
    if "" in found:
        raise RuleError(f"{where}: an empty alias")
    return list(found.items())


def _check_examples(metrics: dict[str, Metric], examples) -> None:
    """Every metric has a label example, and every label example names a known metric."""
    for example in examples:
        metric = example.expect["metric"]
        if metric is not None and metric not in metrics:
            raise RuleError(f"{example.where}: unknown metric {metric!r}")
    named = {example.expect["metric"] for example in examples}
    for metric in metrics.values():
        if metric.key not in named:
            raise RuleError(f"{metric.where}: metric {metric.key!r} has no example "
                            "(label = …, dimension = …, expect = {{ metric = … }})")
