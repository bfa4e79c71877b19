"""How the items of a 分别 list share their words, so each figure gets a label of its own
(炼铁、炼钢先进产能占比分别达到64.3%、62.3% -> 炼铁先进产能占比, 炼钢先进产能占比).
The word lists are rules/labels.toml's `heads` and `joint`.
"""
from __future__ import annotations

from typing import Callable

# A list's last item this long takes the first item's words (入境游客数量和花费).
SHORT_ITEM = 2


class ListSharing:
    def __init__(self, heads, joint, terms, trim: Callable[[str], str], share_marks=()):
        # Longest first: 入境游客数量 ends with 数量, not 量.
        self.heads = tuple(sorted(heads, key=len, reverse=True))
        self.joint = {words[0]: words[1:] for words in map(str.split, joint)}
        self.known = frozenset(terms)
        self.trim = trim
        self.share_marks = frozenset(share_marks)

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
        mark = next((i for i, token in enumerate(last) if token in self.share_marks), None)
        if mark is not None:
            # A share's base is shared from its mark on, with the word for what is measured
            # before it: 工业战略性新兴产业、高新技术产业产值占规上工业比重 -> …产值占规上工业比重.
            shared = "".join(last[mark - 1 if mark and self.head(last[mark - 1]) else mark:])
        elif len(last) > longest:
            shared = "".join(last[_whole_words(last, longest):])
        else:
            # One word: its characters, when they make known terms (城镇 + 居民人均可支配收入);
            # else the last item's last word, when no other item names its measure
            # (共建“一带一路”国家、非洲、欧洲出口 -> 非洲出口).
            shared = texts[-1][max(map(len, texts[:-1])):]
            if not all(text + shared in self.known for text in texts[:-1]):
                shared = last[-1] if len(last) > 1 and not any(map(self.head, texts[:-1])) else ""
        labels = [text + ("" if self.head(text) or text.endswith(shared) else shared) for text in texts[:-1]]
        return [self.trim(label) for label in labels] + [self.trim(self._first_words(texts) + texts[-1])]

    def head(self, text: str) -> str:
        """The word for what is measured ending an item (工序数控化率 -> 率), or ""."""
        if not text.endswith(self.heads):
            return ""
        return next(head for head in self.heads if text.endswith(head))

    def _first_words(self, texts: list[str]) -> str:
        """The words a last item of one short word (花费, 支出, not 满意率) takes from the first
        item, before its head: 入境游客数量和花费 -> 入境游客."""
        head, last = self.head(texts[0]), texts[-1]
        if not head or len(last) != SHORT_ITEM or self.head(last) not in ("", last):
            return ""
        return texts[0][:-len(head)]


def _whole_words(last: list[str], cut: int) -> int:
    """A cut of a list's last item moved past the characters jieba left single on both sides of
    it: 旅客、货邮吞吐量 shares 吞吐量, not 邮吞吐量."""
    while cut < len(last) - 1 and len(last[cut - 1]) == 1 and len(last[cut]) == 1:
        cut += 1
    return cut
