"""The segmenter must cut exactly as jieba's dictionary-only route does, only faster."""
import jieba
import regex

from pipeline.meaning.segment import _build, _jieba_dictionary, load_segmenter

CLAUSE = regex.compile(r"[^，,。；;：:！？!?\s、“”（）()]+")


def jieba_words(tokenizer: jieba.Tokenizer, text: str) -> list[str]:
    route: dict = {}
    tokenizer.calc(text, tokenizer.get_DAG(text), route)
    words, start = [], 0
    while start < len(text):
        end = route[start][1] + 1
        words.append(text[start:end])
        start = end
    return words


def test_the_words_are_jiebas_on_every_clause_of_the_sample(rules, sample_text):
    segmenter = load_segmenter(rules.labeler.terms)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = _build(_jieba_dictionary(), list(dict.fromkeys(rules.labeler.terms)))
    tokenizer.initialized = True
    clauses = [c[-30:] for c in CLAUSE.findall(sample_text)]
    assert len(clauses) > 300
    for clause in clauses:
        assert segmenter(clause) == jieba_words(tokenizer, clause), clause


def test_domain_terms_stay_whole(rules):
    segmenter = load_segmenter(rules.labeler.terms)
    assert "规上企业" in segmenter("全区有数字经济规上企业")
    assert segmenter("") == []
