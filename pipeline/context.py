"""What kind of figure a figure is, from the cue words before it in its clause.

增长5% is growth, 下降17.3% growth with change decrease, 占比38.8% a share,
新增企业12家 a delta; a figure with no cue is a level. The cue table is data
(rules/context.toml): the nearest cue word before the figure whose entry
admits the figure's dimension wins. A cue followed by 到/至/为 names the new
level (提高到12%), not a change by that much.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import regex

ASPECTS = ("level", "growth", "share", "delta", "rank")
CHANGES = (None, "increase", "decrease")
CUE_KEYS = {"words", "aspect", "change", "dimensions"}
EXAMPLE_KEYS = {"text", "figure", "aspect", "change"}
CLAUSE_END = "，,。；;：:！？!?\n"
# How far before a figure its cue may stand.
REACH = 24
TO_LEVEL = ("到", "至", "为")


class CueError(ValueError):
    pass


@dataclass(frozen=True)
class Cue:
    word: str
    aspect: str
    change: str | None
    dimensions: frozenset[str]


@dataclass(frozen=True)
class CueExample:
    text: str
    figure: str
    aspect: str
    change: str | None
    where: str


class Cues:
    def __init__(self, cues: list[Cue], examples: list[CueExample]):
        self.by_word: dict[str, list[Cue]] = {}
        for cue in cues:
            self.by_word.setdefault(cue.word, []).append(cue)
        words = sorted(self.by_word, key=lambda w: (-len(w), w))
        self.pattern = regex.compile("|".join(regex.escape(w) for w in words) or "(?!)")
        self.examples = examples

    def classify(self, text: str, start: int, dimension: str) -> tuple[str, str | None]:
        """(aspect, change) of the figure that starts at `start`."""
        window_start = max(0, start - REACH)
        window = text[window_start:start]
        clause = max(window.rfind(ch) for ch in CLAUSE_END) + 1
        found = list(self.pattern.finditer(window, clause))
        for match in reversed(found):
            between = window[match.end():]
            cue = next((c for c in self.by_word[match.group()] if dimension in c.dimensions), None)
            if cue is None:
                continue
            if cue.aspect != "share" and between.startswith(TO_LEVEL):
                return "level", None
            return cue.aspect, cue.change
        return "level", None


def load_cues(parsed: list[tuple[Path, dict]], dimensions: tuple[str, ...]) -> Cues:
    cues: list[Cue] = []
    examples: list[CueExample] = []
    for path, data in parsed:
        for index, entry in enumerate(data.get("cues", []), 1):
            where = f"{path.name} cue {index}"
            _check(entry, CUE_KEYS, where)
            if entry.get("aspect") not in ASPECTS or entry.get("change") not in CHANGES:
                raise CueError(f"{where}: aspect must be one of {ASPECTS}, change increase/decrease or absent")
            unknown = set(entry.get("dimensions", [])) - set(dimensions)
            if not entry.get("words") or not entry.get("dimensions") or unknown:
                raise CueError(f"{where}: a cue needs words and known dimensions (unknown: {sorted(unknown)})")
            for word in entry["words"]:
                cues.append(Cue(word, entry["aspect"], entry.get("change"), frozenset(entry["dimensions"])))
        for index, entry in enumerate(data.get("cue_examples", []), 1):
            where = f"{path.name} cue example {index}"
            _check(entry, EXAMPLE_KEYS, where)
            if entry.get("figure", "") not in entry.get("text", ""):
                raise CueError(f"{where}: the figure {entry.get('figure')!r} is not in its text")
            examples.append(CueExample(entry["text"], entry["figure"], entry["aspect"], entry.get("change"), where))
    if cues and not examples:
        raise CueError("the cue table needs examples (cue_examples)")
    return Cues(cues, examples)


def _check(entry: dict, allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise CueError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
