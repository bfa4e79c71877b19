"""What kind of figure a figure is, from the cue words before it in its clause.

增长5% is growth, 下降17.3% growth with change decrease, 占比38.8% a share,
新增企业12家 a delta; a figure with no cue is a level. The cue table is data
(rules/context.toml): the nearest cue word before the figure whose entry
admits the figure's dimension wins. A cue followed by 到/至/为 names the new
level (提高到12%), not a change by that much; its direction is the change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.meaning.layout import CLAUSE_END, last_clause_start
from pipeline.ruleset.errors import RuleError, check_keys
from pipeline.ruleset.tables import alternation
from pipeline.ruleset.words import Words

ASPECTS = ("level", "growth", "share", "delta", "rank")
CHANGES = (None, "increase", "decrease")
CUE_KEYS = {"words", "aspect", "change", "dimensions"}
TARGET_KEYS = ("target_words", "clause_target_words", "sentence_target_words", "open_target_words",
               "achieved_words", "already_words", "not_target_words", "forecast_words", "deadline_words",
               "forecast_titles")
# How far before a figure its cue may stand.
REACH = 24
# A cue word ending with one of these names a new level itself (增至, 降到); 增幅为 names a rate.
REACHED = ("至", "到")


@dataclass(frozen=True)
class Cue:
    word: str
    aspect: str
    change: str | None
    dimensions: frozenset[str]


# Change words that carry their own base: the year before (同比), or each year (年均).
OWN_BASE = ("同比", "年均")


class Cues:
    def __init__(self, cues: list[Cue], to_level: tuple[str, ...], lists: dict[str, list[str]],
                 compared: tuple[str, ...] = ()):
        """`lists` are the target word lists of rules/context.toml (TARGET_KEYS)."""
        self.to_level = to_level
        # 比全国高1.2个百分点 (FACTS.md): 高 and 低 alone, after what is compared, make a delta in
        # points; as cue words they would also be links, and cut 高品质 out of labels.
        self.points_compared = re.compile(rf"(?:{alternation(compared)})[^，,。；;：:\n]{{1,20}}?(?P<way>[高低])了?(?:分别)?$") \
            if compared else None
        self.by_word: dict[str, list[Cue]] = {}
        for cue in cues:
            self.by_word.setdefault(cue.word, []).append(cue)
        # The words of a change (增长, 下降 …) that name no base of their own, as 同比增长 and
        # 年均增长 do: a clause opening with one goes on with the comparison before it.
        self.change_words = tuple(sorted({cue.word for cue in cues if cue.change and not cue.word.startswith(OWN_BASE)},
                                         key=len, reverse=True))
        # Speed: word lists run on the standard engine `re`, which skips to a possible first
        # character faster; the plain version is the same alternation on `regex`.
        self.pattern = re.compile(alternation(self.by_word))
        # Longest first, so 稳预期 and 人均预期寿命 are found whole and passed over.
        self.targets = re.compile(alternation([*lists["target_words"], *lists["not_target_words"]]))
        self.not_targets = frozenset(lists["not_target_words"])
        # An obligation binds only the figures of its own clause.
        self.clause_bound = frozenset(lists["clause_target_words"])
        self.sentence_bound = frozenset(lists["sentence_target_words"])
        self.open_only = frozenset(lists["open_target_words"])
        self.achieved = re.compile(alternation(lists["achieved_words"]))
        self.already = re.compile(alternation(lists["already_words"]))
        # A document titled as a forecast (2017年中国经济核心指标预测) forecasts its year.
        self.forecast_titles = tuple(lists["forecast_titles"])
        # A forecast (预计…) or a deadline (到2025年…) is a target while its period is open.
        self.forecasts = re.compile(f"(?:{alternation(lists['forecast_words'])})"
                                    f"|(?:{alternation(lists['deadline_words'])})\\s*\\d{{4}}\\s*年")

    def changing_words(self) -> list[str]:
        """The cue words that make a figure other than a level (增长, 占比; not 增加值)."""
        return [word for word, cues in self.by_word.items() if any(c.aspect != "level" for c in cues)]

    def is_target(self, text: str, sentence_start: int, start: int, open_period: bool = False,
                  list_start: int | None = None) -> bool:
        return self.target_word(text, sentence_start, start, open_period, list_start) is not None

    def target_word(self, text: str, sentence_start: int, start: int, open_period: bool = False,
                    list_start: int | None = None) -> str | None:
        """A goal, plan or forecast: a target word earlier in the figure's sentence,
        unless its own clause says the target was reached (如期实现……目标, 目标如期实现) or the
        figure's own later clause says it is done (……计划执行3年来，已招募17名), or in an
        earlier ；-item of its list from `list_start` (建成广场5个；举办演出60场), unless the word
        binds only its sentence (将, which may also mean 把) or counts only while the figure's
        period is open (争取, which in a review secures funds);
        or a forecast or deadline word (预计, 到2025年) while `open_period`: the figure's
        period had not ended by the document's date (预计 about a past year is achieved)."""
        forecast = self.forecasts.search(text, sentence_start, start) if open_period else None
        if forecast:
            return forecast.group()
        first = sentence_start if list_start is None else min(sentence_start, list_start)
        own_clause = None
        for match in reversed(list(self.targets.finditer(text, first, start))):
            if own_clause is None:  # speed: read only where a target word stands
                own_clause = last_clause_start(text, sentence_start, start)
                # 华为天才计划执行3年来，已招募17名: done, whatever the clauses before say.
                done = own_clause > sentence_start and self.already.search(text, own_clause, start) is not None
            if done and match.start() < own_clause:
                return None
            if match.group() in self.not_targets or (match.group() in self.open_only and not open_period):
                continue
            if match.start() < sentence_start and match.group() in self.sentence_bound:
                continue
            clause_start = last_clause_start(text, sentence_start, match.start())
            ends = [i for i in (text.find(ch, match.end(), start) for ch in CLAUSE_END) if i >= 0]
            clause_end = min(ends, default=start)
            if match.group() in self.clause_bound and clause_end < start:
                continue
            if not self.achieved.search(text, max(clause_start, sentence_start), clause_end):
                return match.group()
        return None

    def classify(self, text: str, start: int, dimension: str, changed: str | None = None
                 ) -> tuple[str, str | None]:
        return self.cue(text, start, dimension, changed)[:2]

    def cue(self, text: str, start: int, dimension: str, changed: str | None = None
            ) -> tuple[str, str | None, str | None]:
        """(aspect, change, the cue word) of the figure that starts at `start`; `changed` is the
        change a from/to statement already says (由47.6%提升至73.4%), whose value is a level, or a
        share when its clause names one (占电力装机比重由…提升至…)."""
        window = text[max(0, start - REACH):start]
        clause = last_clause_start(window)
        item = _item_start(window, clause)
        found = [match for match in self.pattern.finditer(window, clause)
                 if match.start() >= item or not FIGURE_AHEAD.match(window, match.end())]
        if changed:
            return ("share" if self._shares(found, dimension) else "level"), changed, "a from/to statement"
        for index in range(len(found) - 1, -1, -1):
            match = found[index]
            between = window[match.end():]
            cue = next((c for c in self.by_word[match.group()] if dimension in c.dimensions), None)
            if cue is None:
                continue
            if cue.aspect != "share" and (between.startswith(self.to_level) or match.group().endswith(REACHED)):
                # 提高到12%: the new level, with the direction it moved; 占比提高到80%: the new
                # level of a share is a share.
                to = "" if match.group().endswith(REACHED) else between[:1]
                return ("share" if self._shares(found[:index], dimension) else "level"), cue.change, match.group() + to
            return cue.aspect, cue.change, match.group()
        compared = self.points_compared.search(window, clause) if dimension == "percentage_point" and self.points_compared else None
        if compared:
            return "delta", "increase" if compared.group("way") == "高" else "decrease", compared.group()
        return "level", None, None

    def _shares(self, found: list, dimension: str) -> bool:
        """Whether any of the cue words found names a share of this dimension (占, 比重 …)."""
        return any(c.aspect == "share" and dimension in c.dimensions
                   for match in found for c in self.by_word[match.group()])


# What a list item of figures alone may hold: numbers, units, qualifiers (64.3%、62.3%).
FIGURES_ONLY = re.compile(r"[\d０-９.．%％‰\s个百分点万亿千百十余多左右以上约近超]*")
# A figure right after a cue, or after the cue and 到: the cue is its own (增长2.3%, 增加到1.55万家).
FIGURE_AHEAD = re.compile(r"\s*[到至为]?\s*[约近超逾]?[\d０-９一二两三四五六七八九十]")


def _item_start(window: str, start: int) -> int:
    """Where the list item of the figure ending `window` starts: after the last 、 of its
    clause that starts an item with words of its own (收入增长2.3%、支出首次超过…), not one
    between the figures of one list (分别增长3.4%、5.2%). A cue in an earlier item reaches
    the figure only when no figure of its own follows it (新增省级创新平台30个、高新技术企业150家;
    not 收入增长2.3%、支出首次超过7000亿元). `start` is where the clause starts."""
    mark = window.rfind("、", start)
    if mark >= 0 and not FIGURES_ONLY.fullmatch(window, mark + 1):
        return mark + 1
    return start


def load_cues(files, dimensions: tuple[str, ...], words: Words) -> Cues:
    cues: list[Cue] = []
    lists: dict[str, list[str]] = {key: [] for key in TARGET_KEYS}
    for file in files:
        data = file.data
        for key in TARGET_KEYS:
            lists[key] += data.get(key, [])
        for index, entry in enumerate(data.get("cues", []), 1):
            where = file.where("cues", index, f"cue {index}")
            check_keys(entry, CUE_KEYS, where)
            if entry.get("aspect") not in ASPECTS or entry.get("change") not in CHANGES:
                raise RuleError(f"{where}: aspect must be one of {ASPECTS}, change increase/decrease or absent")
            unknown = set(entry.get("dimensions", [])) - set(dimensions)
            if not entry.get("words") or not entry.get("dimensions") or unknown:
                raise RuleError(f"{where}: a cue needs words and known dimensions (unknown: {sorted(unknown)})")
            for word in entry["words"]:
                cues.append(Cue(word, entry["aspect"], entry.get("change"), frozenset(entry["dimensions"])))
    return Cues(cues, words.to_level, lists, words.compared)
