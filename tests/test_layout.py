"""Sentences with the line breaks of page layout mended; offsets untouched."""
from pipeline.extract import extract_facts
from pipeline.meaning.layout import Sentences, layout_breaks


def test_word_broken_across_blank_lines_reads_as_one(sample_text):
    sentences = Sentences(sample_text)
    sentence = sentences.sentence_at(sample_text.index("帮助企"))
    assert "并帮助企业准备相关资料" in sentence


def test_list_broken_after_enumeration_comma_reads_as_one(sample_text):
    sentence = Sentences(sample_text).sentence_at(sample_text.index("改革绩效薪酬、"))
    assert sentence.endswith("改革绩效薪酬、实施全员竞聘,强化考核结果运用。")


def test_headline_and_byline_are_not_joined_to_the_next_paragraph(sample_text):
    sentences = Sentences(sample_text)
    assert sentences.sentence_at(sample_text.index("王波")) == "王波"
    headline = sentences.sentence_at(sample_text.index("——阳泉高新"))
    assert headline == "——阳泉高新技术产业开发区加速步入新发展阶段纪略"


def test_single_newline_after_a_comma_is_mended(rules):
    text = "中资环5家二级公司有序展业，中国电子增资麒麟软件，\n新增企业12家。"
    assert layout_breaks(text) == [(text.index("\n"), text.index("\n") + 1)]
    (first, second) = extract_facts(text, rules)
    assert second.sentence == "中资环5家二级公司有序展业，中国电子增资麒麟软件，新增企业12家。"


def test_a_figure_split_by_a_layout_break_keeps_original_offsets(rules):
    text = "目前,全区有规模以上工业企业38家,完善产业链配套,充实产品种类,其中国家\n\n专精特新企业3家。"
    rows = extract_facts(text, rules)
    assert [text[r.start:r.end] for r in rows] == ["38家", "3家"]
    assert rows[1].start == text.index("3家")
    assert rows[1].sentence.endswith("其中国家专精特新企业3家。")


def test_short_unpunctuated_line_before_a_blank_line_is_a_boundary(rules):
    text = "晋城经济技术开发区\n\n新增企业12家。"
    (row,) = extract_facts(text, rules)
    assert row.sentence == "新增企业12家。"


def test_a_short_line_going_on_with_a_wrapped_sentence_wraps_too(rules):
    # A communiqué's PDF lines: the second is short, but starts inside a sentence.
    text = ("全年完成一般公共预算收入 1722.4 亿元。按自然口径计算增长 1.5%。其中税收收入 1267.8\n"
            "亿元，扣除留抵退税因素后增长 5.3%，按自然口径计算下降\n"
            "0.4%，占一般公共预算收入比重达 73.6%。")
    assert len(layout_breaks(text)) == 2
    row = next(r for r in extract_facts(text, rules) if r.text == "0.4%")
    assert (row.aspect, row.change) == ("growth", "decrease")


def test_a_short_heading_after_a_sentence_stays_a_line_of_its_own(rules):
    text = "全年新增企业12家。\n二、对外经济\n进出口增长3%。"
    assert layout_breaks(text) == []
