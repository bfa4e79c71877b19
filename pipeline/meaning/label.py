"""What a figure measures, in the text's words (FACTS.md: metric_label).

Only the clause around a figure is segmented (jieba, with the domain terms of
rules/labels.toml and the metric aliases added to its dictionary), never a
whole document. Word lists in rules/labels.toml decide the rest:

- a count followed by a noun is a count of it (出台8项政策 -> 政策);
- a count of people opening its clause is named by what they did
  (235人竞聘至绩效岗位 -> 竞聘至绩效岗位);
- otherwise the noun phrase before the figure, found by walking back from the
  figure over `links` (达到, 由……缩减至, 分别), numbers, units and cue words, then
  collecting words up to a `stops` word (有, 建设, 全区, 其中) or a clause end:
  全区有数字经济规上企业21家 -> 数字经济规上企业;
- a share names its base (民间投资占全部投资比重); a clause with only a cue
  (占比38.8%, 年均增速42%) borrows the label of the figure before it in the
  sentence (企业占比, 光机电产业);
- a 分别 list distributes its items (炼铁、炼钢先进产能占比分别达到64.3%、62.3%
  -> 炼铁先进产能占比, 炼钢先进产能占比; pipeline/meaning/listing.py);
- what a figure sets may follow it: the object of a verb (给予6个月的过渡期 -> 过渡期),
  or what must be done within a time limit (3个工作日内作出审批决定);
- a figure whose clause names nothing takes the short heading it stands under
  (补贴标准：10000元) or the measure its sentence opens with (个人临时救助标准，……);
- the figures rules and standards set: what they are per, defined as, measured against or
  counted from is not what they measure (pipeline/meaning/standards.py).
The words before a figure are read by pipeline/meaning/clause.py.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipeline.meaning.clause import (
    ARTICLE,
    REACH_BEFORE,
    SPACE,
    TIME_MARK,
    UP_TO_CLAUSE_END,
    ClauseReader,
    is_figure,
    list_heading,
)
from pipeline.meaning.layout import CLAUSE_END, last_clause_start
from pipeline.meaning.listing import ListSharing
from pipeline.meaning.standards import PER_WORD, StandardLabels
from pipeline.ruleset.tables import word_lists
from pipeline.ruleset.words import Words

if TYPE_CHECKING:
    from pipeline.find.actions import Quantity
    from pipeline.meaning.document import DocumentContext

LABEL_KEYS = {"links", "stops", "after_stops", "share_words", "comparisons", "person_units", "totals", "terms",
              "heads", "joint", "per", "between", "objects", "within", "time_suffixes", "time_names",
              "not_labels", "conditions", "compounds", "pointers", "defines", "standards", "bands",
              "selections", "designations", "manners", "anchors", "modals"}
# How far after a figure the noun it counts is looked for.
REACH_AFTER = 16
LONGEST = 24
# The longest heading (补贴标准：) or topic clause (个人临时救助标准，) that names the figure
# after it when the figure's own clause names nothing.
HEADING = 12
MAGNITUDES = "十百千万亿"
GRADED = regex.compile(f"[{MAGNITUDES}]+级")  # 千亿级园区: a grade, not a figure
# Returned as a figure's list items: it continues the 分别 list of the figure before it.
SAME_LIST = "same list"


class Labeler:
    def __init__(self, lists: dict[str, list[str]], words: Words, units, cue_words, more_terms=()):
        """`lists` are the word lists of rules/labels.toml ([label], LABEL_KEYS), `words` those
        the stages share (rules/words.toml); the cue words link a label to its figure too, and
        `more_terms` (the metric aliases) stay whole."""
        self.quotes = words.quotes
        self.opening_quotes = frozenset(words.opening_quotes)
        self.closing_quotes = frozenset(words.closing_quotes)
        self.opening_brackets = frozenset(words.opening_brackets)
        self.closing_brackets = frozenset(words.closing_brackets)
        self.list_joiners = frozenset(words.list_joiners)
        self.respectively = frozenset(words.respectively)
        self.ratio_words = frozenset(words.ratio_words)
        self.ratio_joiners = frozenset(words.ratio_joiners)
        # What a label never starts or ends with: joiners, and the quotes it does not keep.
        self.trimmed = "".join((*words.label_trimmed, *words.list_joiners,
                                *sorted(self.quotes - set(words.kept_quotes))))
        self.links = frozenset(lists["links"]) | frozenset(cue_words) | {TIME_MARK}
        self.cue_nouns = frozenset(cue_words) - frozenset(lists["links"])
        self.stops = frozenset(lists["stops"])
        # What ends the noun after a figure: the object of a verb (按90%的比例支付) ends only at
        # these; the noun a count counts at a link too.
        self.object_stops = frozenset(lists["after_stops"]) | self.opening_brackets | self.closing_brackets
        self.after_stops = self.object_stops | self.links
        self.share_words = frozenset(lists["share_words"])
        self.share_marks = frozenset(words.share_marks)
        self.comparisons = frozenset(lists["comparisons"])
        self.person_units = frozenset(lists["person_units"])
        self.totals = frozenset(lists["totals"])
        self.per = tuple(lists["per"])
        self.between = frozenset(lists["between"])
        self.objects = frozenset(lists["objects"])
        self.not_labels = frozenset(lists["not_labels"])
        self.compounds = frozenset(lists["compounds"])
        self.within = tuple(lists["within"])
        self.conditions = tuple(lists["conditions"])
        self.modifier_ends = frozenset(words.label_trimmed)
        self.units = frozenset(units)
        self.terms = (*lists["terms"], *more_terms)
        self.sharing = ListSharing(lists["heads"], lists["joint"], self.terms, self.trim, words.share_marks)
        self.rules = StandardLabels(lists, self)
        self.reader = ClauseReader(self.terms, self.units, lists["time_suffixes"], lists["time_names"],
                                   self.respectively)

    def label(self, doc: DocumentContext, figure: Quantity, previous: str | None
              ) -> tuple[str | None, list[str] | None]:
        """(label, the items of a 分别 list, SAME_LIST or None) of a figure of the document;
        `previous` is the label of the figure before it in its sentence."""
        text, end, unit = doc.text, figure.end, figure.unit
        dimension, cache = figure.dimension, doc.segmented
        after = _clause(SPACE.sub("", text[end:end + REACH_AFTER]))
        tokens = self.reader.words_before(doc, figure)
        tail = self._tail(tokens)
        phrase = self.phrase(tokens, self.rules.label_end(tokens, tail, figure))
        if dimension == "count":
            if unit in self.person_units and not phrase and after:
                return self.trim(after), None
            named = self._named_after(after, cache)
            if named:
                return self.rules.selected(doc, figure, named), None
        else:
            named = self._object_named_after(doc, tokens, tail, figure, after)
            if named:
                return named, None
        items = None if self.respectively.isdisjoint(tokens) else self._items(tokens)
        share = None if self.share_words.isdisjoint(tokens) else self._share_at(tokens, tail)  # spares a search
        if share is not None:
            subject = self.phrase(tokens, share) or previous or ""
            words = self._share_words(tokens[share:])
            # 对共建“一带一路”国家投资占50%以上: a share named by its mark alone is of the subject.
            return self.trim(subject + ("" if words in self.share_marks else words)) or None, items
        if (previous and figure.previous_value is None and not self.respectively.isdisjoint(tokens[tail:])
                and any(token[0].isdigit() for token in tokens[tail:] if token)):
            # A later figure of a 分别 list whose earlier figures are rows (……分别增长5.2%、6.1%和
            # 7.3%): the words before them name it too, as the figure before it read (from further
            # back). A from/to list (从46503元和16935元分别提高到…) reads its own.
            return previous, SAME_LIST
        if self.rules.after_condition(tokens, tail):
            # 补贴标准：招用3人以下的按每人2000元: the words before the condition's 的 are the
            # condition, not what the figure sets.
            heading = self._clause_before(doc, figure)
            if heading:
                return heading, None
        phrase = self.trim(self.rules.anchored(tokens, tail, phrase))
        if not phrase and not previous:
            return self._clause_before(doc, figure), None
        phrase = self.rules.subject_shared(self._item_words(tokens, tail, phrase, previous), previous)
        phrase = self.rules.standard_named(phrase)
        if not self.sharing.head(phrase):
            # A standard set in an enumerated list is named by the list's heading (个人缴费费率：
            # ……（2）……参保人员为0.02%), when the item's own words name no measure.
            heading = list_heading(doc.text, figure.start)
            phrase = heading if heading and self.sharing.head(heading) else phrase
        if phrase in self.not_labels or len(phrase) == 1 or phrase.endswith(self.conditions):
            # 了, 就是: a function word names nothing, nor does one character (强 of 前十强), nor
            # a condition (扣除留抵退税因素后增长5.8%).
            phrase = ""
        return (phrase or previous or None), (items if phrase else None)

    def _item_words(self, tokens: list[str], tail: int, phrase: str, previous: str | None) -> str:
        """A measure word opening a 、-item after a figure shares the words of the item before
        it: 医疗旅游人次86.5万、收入83.9亿元 -> 医疗旅游收入."""
        if not previous or not phrase or self.sharing.head(phrase) != phrase:
            return phrase
        start = self.phrase_start(tokens, tail)
        if start < 2:
            return phrase
        if tokens[start - 1] != "、" or not (is_figure(tokens[start - 2]) or self.is_unit(tokens[start - 2])):
            return phrase
        head = self.sharing.head(previous)
        return previous[:-len(head)] + phrase if head and head != previous else phrase

    def _object_named_after(self, doc: DocumentContext, tokens: list[str], tail: int, figure: Quantity,
                            after: str) -> str | None:
        """What a figure sets, named after it: the object of a verb before it (给予6个月的过渡期,
        按90%的比例支付, 给予3000元补贴), or, for a time limit, what must be done within it
        (3个工作日内作出审批决定)."""
        if figure.dimension == "duration" and (figure.text.endswith(self.within) or after.startswith(self.within)):
            action = after.removeprefix(next((word for word in self.within if after.startswith(word)), ""))
            action = action or self.rules.action_later(doc, figure)
            # An action with a figure of its own is a fact of its own (一年内就实现年产4万吨).
            return None if regex.search(r"\d", action) else self.trim(action) or None
        index = len(tokens)
        while index and tokens[index - 1] in self.between:
            index -= 1
        if not index or tokens[index - 1] not in self.objects:
            return None
        # A share or cue word may be the object itself (按90%的比例支付).
        return self._named_after(after.removeprefix("的"), doc.segmented, self.object_stops)

    def _clause_before(self, doc: DocumentContext, figure: Quantity) -> str | None:
        """What the clause before a figure's own names, when the figure's clause names nothing:
        the short heading it stands under (补贴标准：10000元; 补贴期限：累计不超过3年), the topic
        its sentence opens with (个人临时救助标准，原则上不低于当地两个月…; 应尽快发放救助金额，
        原则上不得超过30天), or the metric that clause opens with (2023年，粮食产量再创新高，
        达到69541万吨). A figure opening its sentence takes none from the sentence before."""
        sentence_start = doc.sentences.span_at(figure.start)[0]
        window = doc.text[max(sentence_start, figure.start - REACH_BEFORE):figure.start]
        clause = last_clause_start(window)
        if not clause:
            return None
        return self._heading_or_topic(doc, window, clause) or doc.subject_before(figure.start)

    def _heading_or_topic(self, doc: DocumentContext, window: str, clause: int) -> str | None:
        if clause < 2:
            return None
        before = window[:clause - 1]
        before = before[last_clause_start(before):].strip()
        article = ARTICLE.match(before)
        before = before[article.end():] if article else before
        if not 1 < len(before) <= HEADING or regex.search(r"\d", before):
            return None
        if window[clause - 1] in "：:":
            return self.trim(before)
        tokens = self.reader.cut(before, doc.segmented)
        topic = self.trim(self.phrase(tokens, len(tokens)))
        # Only a topic naming a measure (标准, 金额): 加大……，70%以上 names nothing.
        return topic if self.sharing.head(topic) else None

    def _share_at(self, tokens: list[str], tail: int) -> int | None:
        """The first share word of the figure's own phrase: after the last figure before its
        tail, which belongs to an earlier item (天数比率96.7%、水质优良比例98.5%)."""
        first = next((i + 1 for i in range(tail - 1, -1, -1) if is_figure(tokens[i])), 0)
        return next((i for i in range(first, len(tokens)) if tokens[i] in self.share_words), None)

    def _tail(self, tokens: list[str]) -> int:
        """Where the words between the label and its figure begin (由34天缩减至, 在全国率先突破,
        为每人每天)."""
        index = len(tokens)
        while index:
            token = tokens[index - 1]
            if self.is_unit(token) and index > 1 and is_figure(tokens[index - 2]):
                index -= 2
            elif token.startswith(self.per) and len(token) <= PER_WORD:
                index -= 1
            elif index > 1 and tokens[index - 2] in self.per and (self.is_unit(token) or len(token) == 1):
                # 每平方米, 每生
                index -= 2
            elif (token in self.links or token in self.stops or token in self.between or token in self.quotes
                  or token in self.list_joiners or is_figure(token)):
                index -= 1
            else:
                break
        cut = next((i for i in range(index - 1, -1, -1) if tokens[i] in self.comparisons), None)
        # 实际使用外资比“十三五”时期增长78.9%: what is compared stands before 比, or before its clause.
        return cut if cut is not None and (cut == 0 or self.phrase(tokens, cut)) else index

    def is_unit(self, token: str) -> bool:
        return token in self.units or token.lstrip(MAGNITUDES) in self.units

    def phrase(self, tokens: list[str], end: int) -> str:
        """The words before tokens[end], back to a stop word, a link, a number or the clause start;
        a ratio keeps both its terms (农产品加工业产值与农业总产值之比)."""
        index = self.phrase_start(tokens, end)
        if end and tokens[end - 1] in self.ratio_words and index > 1 and tokens[index - 1] in self.ratio_joiners:
            index = self.phrase_start(tokens, index - 1)
        return "".join(tokens[index:end])

    def phrase_start(self, tokens: list[str], end: int) -> int:
        """Walks back to the phrase's first word; a closed bracket group is part of it
        (地区生产总值（GDP）), an unclosed opening bracket ends it."""
        index, depth, last_close = end, 0, None
        while index:
            token = tokens[index - 1]
            if token in self.closing_brackets:
                depth += 1
                last_close = index if last_close is None else last_close
            elif token in self.opening_brackets:
                if not depth:
                    break
                depth -= 1
            elif not depth and self._ends_phrase(tokens, index - 1):
                # 定制农业签约额, 每月服务时间: a phrase of one character, or of a measure word
                # alone, makes one word with the stop before it.
                if not self._compound(token, "".join(tokens[index:end])):
                    break
            index -= 1
        # A group that never opened belongs to an earlier phrase: the label starts after it.
        return last_close if depth else index

    def _compound(self, stop: str, phrase: str) -> bool:
        if stop not in self.stops:
            return False
        return len(phrase) == 1 or (stop in self.compounds and phrase != "" and self.sharing.head(phrase) == phrase)

    def _ends_phrase(self, tokens: list[str], index: int) -> bool:
        token = tokens[index]
        if token in self.quotes:
            return False
        if token in CLAUSE_END:
            return True
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        if is_figure(token) and index and tokens[index - 1] in self.opening_quotes and after in self.closing_quotes:
            return False  # a quoted numeral is a name: “十四五”规划
        if token in self.stops or token in self.links or is_figure(token):
            # 经济增长的贡献率, 一般性支出压减比例: a cue before a 的 or a measure word is a noun
            # of the phrase.
            return not (token in self.cue_nouns
                        and (after in self.modifier_ends or self.sharing.head(after) == after != ""))
        # A unit after a number, and a 、 after that (or after its other unit: 3.1万套（户）、),
        # belong to an earlier figure.
        before = tokens[index - 1] if index else ""
        if self.is_unit(token) and (is_figure(before) or after in self.modifier_ends):
            # 年产值超亿元的龙头企业: what has an amount is named after it.
            return True
        if token != "、":
            return False
        if before in self.closing_brackets:
            opening = next((i for i in range(index - 2, -1, -1) if tokens[i] in self.opening_brackets), 0)
            before = tokens[opening - 1] if opening else ""
        return is_figure(before) or self.is_unit(before)

    def _share_words(self, tokens: list[str]) -> str:
        """A share's words up to the first link after them (占全市比重超过 -> 占全市比重)."""
        index = 1
        while index < len(tokens) and (tokens[index] in self.share_words or tokens[index] not in self.links):
            index += 1
        return "".join(tokens[:index])

    def _items(self, tokens: list[str]) -> list[list[str]] | None:
        """The items of a 分别 list: 刑事、治安案件分别下降 -> 刑事, 治安案件."""
        end = next(index for index, token in enumerate(tokens) if token in self.respectively)
        while end and tokens[end - 1] in self.links and tokens[end - 1] not in self.share_words:
            end -= 1
        index = end
        while index and (tokens[index - 1] in self.list_joiners or not self._ends_phrase(tokens, index - 1)
                         or tokens[index - 1] in self.share_words or self._opens_item(tokens, index - 1)):
            index -= 1
        listed = tokens[index:end]
        # With 、 in the list, 和/及/与 join inside an item (蔬菜及食用菌、中草药材) except in
        # the last one (炼铁、炼钢和轧钢).
        last = max((i for i, token in enumerate(listed) if token == "、"), default=-1)
        items, item = [], []
        for position, token in enumerate(listed):
            if token == "、" or (token in self.list_joiners and position > last):
                items.append(item)
                item = []
            else:
                item.append(token)
        items.append(item)
        if len(items) == 1:
            items = self.sharing.split_joint(item)
        return items if len(items) > 1 and all(items) else None

    def _opens_item(self, tokens: list[str], index: int) -> bool:
        """A stop right after a 、 opens an item of the list (……、新增外资企业、离岛免税销售额)."""
        return tokens[index] in self.stops and index > 0 and tokens[index - 1] == "、"

    def _named_after(self, after: str, cache: dict | None, stops: frozenset[str] | None = None) -> str | None:
        """The noun a count is of, when it follows the figure (8项政策), up to one of `stops`
        (the after_stops and the links, by default)."""
        stops = self.after_stops if stops is None else stops
        if not after or (is_figure(after[0]) and not GRADED.match(after)) or after[0] in self.list_joiners:
            return None
        # A word, not a character: 过 is a cue, 过渡期 a noun.
        tokens = self.reader.cut(after, cache)
        # 3金5银27铜的优异成绩: a count before a 的 describes what follows, it does not count it.
        if tokens[0] in stops or tokens[0] in self.modifier_ends:
            return None
        index = head = opened = 0
        while index < len(tokens):
            token = tokens[index]
            if token in self.modifier_ends and index:
                # What follows a 的 heads the noun: 100项具有较大知名度的体育精品赛事 counts 体育精品赛事.
                head = index + 1
            elif token in stops or token in self.list_joiners or is_figure(token):
                break
            # A quote closed that opened before the figure ends the noun (“8项政策”助力… counts
            # 政策), unless it closes right after the figure (“双20条”政策 counts 政策).
            opened += token in self.opening_quotes
            if token in self.closing_quotes and not opened and index:
                break
            index += 1
        return self.trim("".join(tokens[head:index])) or None

    def trim(self, label: str) -> str:
        # 第二十七条 住房租赁补贴期限为5年: an article's number is no part of what it sets.
        article = ARTICLE.match(label) if "条" in label else None
        label = label[article.end() if article else 0:].strip(self.trimmed)
        if label.count("“") != label.count("”"):
            label = label.strip("“”")
        if len(label) > LONGEST:
            label = label[-LONGEST:]
        return label


def _clause(text: str) -> str:
    return UP_TO_CLAUSE_END.match(text).group()


def load_labeler(files, words: Words, units, cue_words, more_terms=()) -> Labeler:
    return Labeler(word_lists(files, "label", LABEL_KEYS), words, units, cue_words, more_terms)
