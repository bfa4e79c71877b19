"""The labels of figures that rules and standards set (FACTS.md: "Rules and standards"):
what a figure is per, defined as or measured against is not what it measures; a time limit
is named by what must be done within it; a count of what was selected by what selected it.
The word lists are rules/labels.toml's; the phrase walk is the Labeler's
(pipeline/meaning/label.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipeline.meaning.clause import SPACE, UP_TO_CLAUSE_END, is_figure

if TYPE_CHECKING:
    from pipeline.find.actions import Quantity
    from pipeline.meaning.document import DocumentContext
    from pipeline.meaning.label import Labeler

# A per-unit word is short (每人, 每年); a longer one names a measure (每千人口托位数).
PER_WORD = 2
# The longest text after a count that says what selected it (入围省级初赛).
SELECTED_LONGEST = 12
# How far after a time limit closing its clause what must be done within it is read.
ACTION_REACH = 48
# How far after a count what selected it is read (380个有效项目入围省级初赛).
SELECTION_REACH = 32
# How many words after a figure (its unit, a qualifier) the 的 of a condition on it may stand.
CONDITION_REACH = 4
# A clause with the mark that ends it.
WHOLE_CLAUSE = regex.compile(r"[^，,。；;：:\n]*[，,。；;：:\n]")


class StandardLabels:
    def __init__(self, lists: dict[str, list[str]], words: Labeler):
        """`lists` are rules/labels.toml's word lists; `words` reads phrases (Labeler)."""
        self.words = words
        self.per = tuple(lists["per"])
        self.links = words.links
        self.verbs_after = tuple(lists["after_stops"])
        self.pointers = tuple(lists["pointers"])
        self.defines = frozenset(lists["defines"])
        self.bands = frozenset(lists["bands"])
        self.selections = tuple(lists["selections"])
        self.designations = tuple(lists["designations"])
        self.manners = tuple(lists["manners"])
        self.anchors = tuple(lists["anchors"])
        self.modals = frozenset(lists["modals"])
        self.standards = tuple(lists["standards"])

    def selected(self, doc: DocumentContext, figure: Quantity, named: str) -> str:
        """A count of what was selected is named by what selected it too: 380个有效项目入围省级
        初赛 -> 入围省级初赛有效项目 (有效项目 alone does not say which are counted); an honour
        or a designation that names the noun itself names the count alone (4个集群获评国家先进
        制造业集群 -> 国家先进制造业集群; 确定11个开发区为省级转型升级示范区 -> 省级转型升级示范区)."""
        raw = doc.text[figure.end:figure.end + SELECTION_REACH]
        window = SPACE.sub("", raw)
        clause = UP_TO_CLAUSE_END.match(window).group()
        cut_short = len(raw) == SELECTION_REACH and len(clause) == len(window)
        rest = clause[clause.find(named) + len(named):]
        verb = next((word for word in (*self.selections, *self.designations) if rest.startswith(word)), None)
        if verb is None or cut_short or len(rest) > SELECTED_LONGEST or regex.search(r"\d", rest):
            return named
        honour = rest[len(verb):]
        if honour.endswith(named[-1]):
            return self.words.trim(honour)
        return named if verb in self.designations else self.words.trim(rest + named)

    def standard_named(self, phrase: str) -> str:
        """A standard is named by its own words, not the clause before its 的 that says what it
        applies to: 纳入支付范围的费用标准 -> 费用标准 (the after_stops are such verbs)."""
        clause, mark, standard = phrase.rpartition("的")
        if not mark or len(standard) <= 2 or not standard.endswith(self.standards):
            return phrase
        # Only a clause opened by a verb: 残疾人家庭的收入标准 keeps whose standard it is.
        return standard if clause.startswith(self.verbs_after) else phrase

    @staticmethod
    def after_condition(tokens: list[str], tail: int) -> bool:
        """Whether the words between a figure and its label hold a condition on an earlier
        figure: 招用3人以下的按每人."""
        return any(is_figure(token) and "的" in tokens[i + 1:i + CONDITION_REACH]
                   for i, token in enumerate(tokens[tail:], tail))

    def subject_shared(self, phrase: str, previous: str | None) -> str:
        """A clause opening with what its figure is per shares the subject of the clause before
        it that names the same per: 职工参保人员每月上门次数不低于12次，每月服务时间为28小时 ->
        职工参保人员每月服务时间."""
        per = phrase[:PER_WORD]
        if not previous or not per.startswith(self.per) or len(phrase) <= PER_WORD:
            return phrase
        at = previous.find(per)
        return previous[:at] + phrase if at > 0 else phrase

    def anchored(self, tokens: list[str], tail: int, phrase: str) -> str:
        """A time limit counted from a moment (申请日前12个月内) is named by what its modal
        binds: 申请支出型临时救助的事由应发生在申请日前12个月内 -> 申请支出型临时救助的事由."""
        if not phrase.endswith(self.anchors):
            return phrase
        modal = next((i for i in range(tail - 1, 0, -1) if tokens[i] in self.modals), None)
        return self.words.phrase(tokens, modal) if modal else ""

    def action_later(self, doc: DocumentContext, figure: Quantity) -> str:
        """What must be done within a time limit that ends its clause: the next clause, past
        one saying how (在受理之日起3个工作日内,根据入户调查等情况,提出审核意见 -> 提出审核意见)."""
        window = doc.text[figure.end:figure.end + ACTION_REACH]
        if not window.startswith(("，", ",")):
            return ""
        # Whole clauses only: the last piece of the window may be cut short.
        clauses = WHOLE_CLAUSE.findall(window[1:])
        if clauses and clauses[0].startswith(self.manners) and clauses[0][-1] in "，,":
            clauses = clauses[1:]
        return clauses[0][:-1] if clauses else ""

    def label_end(self, tokens: list[str], tail: int, figure: Quantity) -> int:
        """Where the label of a figure whose words end at `tail` ends: before a noun that only
        says what the figure is per, is defined by or refers to."""
        end = self._before_definition(tokens, self._before_per_base(tokens, tail))
        return self._before_reference(tokens, self._before_band(tokens, end, figure))

    def _before_per_base(self, tokens: list[str], tail: int) -> int:
        """Where the label ends when the figure is per a unit of a noun after a link: 补贴标准为
        建筑面积每平方米37元 -> 补贴标准 (建筑面积 is what the 平方米 measure)."""
        if tail + 1 >= len(tokens) or tokens[tail] not in self.per or not self.words.is_unit(tokens[tail + 1]):
            return tail
        start = self.words.phrase_start(tokens, tail)
        if start == tail or not start or tokens[start - 1] not in self.links or not self.words.phrase(tokens, start - 1):
            return tail
        return start - 1

    def _before_definition(self, tokens: list[str], end: int) -> int:
        """Where the label ends when a standard is defined as a figure of another measure:
        收入准入限额基准为家庭年人均收入49952元 -> 收入准入限额基准, what the figure sets."""
        # Most clauses have no 为: the set test spares them the walk.
        link = None if self.defines.isdisjoint(tokens) else self._last_link(tokens, end, self.defines)
        if link is None:
            return end
        if any(token.startswith(self.per) for token in tokens[end:]):
            # 限额标准为职工参保人员每人每月300元: the people it is per name whose standard it is.
            return end
        return link if self.words.phrase(tokens, link).endswith(self.standards) else end

    def _before_band(self, tokens: list[str], end: int, figure: Quantity) -> int:
        """Where the label ends when a multiple sets a band against a reference: 家庭收入或者
        家庭财产在准入限额1.5倍至3倍以内 -> 家庭收入或者家庭财产, what stands in the band."""
        if figure.dimension != "ratio":
            return end
        link = self._last_link(tokens, end, self.bands)
        return link if link is not None and self.words.phrase(tokens, link) else end

    def _last_link(self, tokens: list[str], end: int, links: frozenset[str]) -> int | None:
        """The last of `links` before `end` with words but no figure after it."""
        link = next((i for i in range(end - 1, 0, -1) if tokens[i] in links), None)
        if link is None or link == end - 1 or any(map(is_figure, tokens[link:end])):
            return None
        return link

    def _before_reference(self, tokens: list[str], end: int) -> int:
        """Where the label ends when the phrase before the figure points back to a measure
        named earlier (上述标准): the subject before its link names the figure. 家庭收入、家庭
        财产标准放宽到上述标准的130％ -> 家庭收入、家庭财产标准."""
        if not any(token.startswith(self.pointers) for token in tokens):
            return end
        start = link = self.words.phrase_start(tokens, end)
        if start == end or not tokens[start].startswith(self.pointers):
            return end
        while link and tokens[link - 1] in self.links:
            link -= 1
        return link if link < start and self.words.phrase(tokens, link) else end

