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


def test_the_cache_is_private_checked_and_never_written_through_a_link(tmp_path, monkeypatch, rules):
    import os

    from pipeline import cache

    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.FOLDER_VARIABLE, str(folder))
    terms = rules.labeler.terms
    words = load_segmenter(terms)("全区有数字经济规上企业")
    (built,) = folder.glob("segmenter-*.marshal")
    assert folder.stat().st_mode & 0o777 == 0o700 and built.stat().st_mode & 0o777 == 0o600
    # Changed on disk: the digest fails, the file is built again, the words are the same.
    built.write_bytes(built.read_bytes().replace(b"\x00", b"\x01", 50))
    assert load_segmenter(terms)("全区有数字经济规上企业") == words
    assert cache.read(built.name) is not None
    # A link planted where the file goes is replaced, the file it points to left alone.
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    built.unlink()
    os.symlink(victim, built)
    load_segmenter(terms)
    assert victim.read_text(encoding="utf-8") == "keep" and not built.is_symlink()
    # A folder others may write is not used at all.
    folder.chmod(0o777)
    assert cache.cache_folder() is None and cache.read(built.name) is None
    assert load_segmenter(terms)("全区有数字经济规上企业") == words
