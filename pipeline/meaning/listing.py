"""How the items of a 分别 list share their words, so each figure gets a label of its own
(炼铁、炼钢先进产能占比分别达到64.3%、62.3% -> 炼铁先进产能占比, 炼钢先进产能占比).
The word lists are rules/labels.toml's `heads` and `joint`.
"""
from __future__ import annotations

from typing import Callable

# A list's last item this long takes the first item's words (入境游客数量和花费).
SHORT_ITEM = 2


class ListSharing:
    def __init__(self, heads, joint, terms, trim: Callable[[str], str]):
        # Longest first: 入境游客数量 ends with 数量, not 量.
        self.heads = tuple(sorted(heads, key=len, reverse=True))
        self.joint = {words[0]: words[1:] for words in map(str.split, joint)}
        self.known = frozenset(terms)
        self.trim = trim

    def split_joint(self, item: list[str]) -> list[list[str]]:
        """One item naming two things at once (城乡居民人均可支配收入分别增长6%、7.4%) as the
        two items it names: 城镇居民人均可支配收入, 农村居民人均可支配收入."""
        text = "".join(item)
        for joint, parts in self.joint.items():
            if joint in text:
                return [[text.replace(joint, part, 1)] for part in parts]
        return [item]

    def distribute(self, items: list[list[str]], count: int) -> list[str] | None:
        """The labels of a 分别 list's figures, from its items (as tokens):
        炼铁、炼钢先进产能占比 -> 炼铁先进产能占比, 炼钢先进产能占比; 城镇、农村居民人均可支配收入 ->
        城镇居民人均可支配收入, 农村…; 入境游客数量和花费 -> 入境游客数量, 入境游客花费.
        The last item's words (or, when it is one word, its characters) beyond the length of the
        longest other item are shared by the items that do not name their measure themselves
        (`heads`); a last item of one short word shares the first item's words before its head."""
        if len(items) != count:
            return None
        texts = ["".join(item) for item in items]
        last = items[-1]
        longest = max(len(item) for item in items[:-1])
        if len(last) > longest:
            shared = "".join(last[longest:])
        else:
            # One word: its characters, when they make known terms (城镇 + 居民人均可支配收入).
            shared = texts[-1][max(map(len, texts[:-1])):]
            if not all(text + shared in self.known for text in texts[:-1]):
                shared = ""
        labels = [text + ("" if self.head(text) else shared) for text in texts[:-1]]
        return [self.trim(label) for label in labels] + [self.trim(self._first_words(texts) + texts[-1])]

    def head(self, text: str) -> str:
        """The word for what is measured ending an item (工序数控化率 -> 率), or ""."""
        return next((head for head in self.heads if text.endswith(head)), "")

    def _first_words(self, texts: list[str]) -> str:
        """The words a last item of one short word that names no measure takes from the first
        item, before its head: 入境游客数量和花费 -> 入境游客."""
        head = self.head(texts[0])
        if not head or len(texts[-1]) != SHORT_ITEM or self.head(texts[-1]):
            return ""
        return texts[0][:-len(head)]
