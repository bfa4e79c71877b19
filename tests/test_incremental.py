"""A rerun into the same folder extracts only what changed: documents with the same bytes,
read the same way by the same version and rules, keep their rows; anything else is
extracted again, and the output is the output of a fresh run."""
import shutil

import pytest

import pipeline.run as run
from conftest import CORPUS, RULES
from pipeline.review.facts_file import read_parquet, read_table
from pipeline.run import run_extract

pytestmark = pytest.mark.corpus


@pytest.fixture
def news(tmp_path):
    folder = tmp_path / "news"
    shutil.copytree(CORPUS / "news-dev", folder)
    return folder


def rows(out):
    return read_table(out).to_pylist(), read_parquet(out / "docs.parquet").to_pylist()


def test_an_unchanged_rerun_copies_every_document_and_loads_no_rules(news, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = run_extract([news], out, progress=False)
    expected = rows(out)

    def no_rules(*args, **kwargs):
        raise AssertionError("rules loaded though every document is unchanged")

    monkeypatch.setattr(run, "load_rules", no_rules)
    again = run_extract([news], out, progress=False)
    assert again.unchanged == first.ok == 52
    assert "52 of them unchanged since the last run" in again.line(out)
    assert rows(out) == expected


def test_a_changed_document_alone_is_extracted_again(news, tmp_path):
    out = tmp_path / "out"
    run_extract([news], out, progress=False)
    changed = sorted(news.glob("*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n全年新建学校12所。\n", encoding="utf-8")
    (news / "added.txt").write_text("今年新建公园3个。", encoding="utf-8")
    again = run_extract([news], out, progress=False)
    assert again.unchanged == 51 and again.ok == 53
    fresh = run_extract([news], tmp_path / "fresh", progress=False)
    assert fresh.unchanged == 0
    assert rows(out) == rows(tmp_path / "fresh")
    assert any(fact["text"] == "12所" and fact["doc_id"] == changed.stem for fact in rows(out)[0])


def test_other_rules_or_options_extract_everything_again(news, tmp_path):
    out = tmp_path / "out"
    run_extract([news], out, progress=False)
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    units = rules / "units.toml"
    units.write_text(units.read_text(encoding="utf-8") + "\n# a comment changes the digest\n", encoding="utf-8")
    assert run_extract([news], out, rules, progress=False).unchanged == 0
    assert run_extract([news], out, rules, progress=False).unchanged == 52
    assert run_extract([news], out, rules, progress=False, default_date="2024-01-01").unchanged == 0


def test_jobs_take_unchanged_documents_in_input_order(news, tmp_path):
    out = tmp_path / "out"
    run_extract([news], out, progress=False)
    expected = rows(out)
    changed = sorted(news.glob("*.txt"))[10]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = run_extract([news], out, jobs=2, progress=False)
    assert again.unchanged == 51
    facts, docs = rows(out)
    assert facts == expected[0]
    assert [doc["doc_id"] for doc in docs] == [doc["doc_id"] for doc in expected[1]]


def test_a_pair_left_half_replaced_is_not_taken_from(news, tmp_path):
    out, other = tmp_path / "out", tmp_path / "other"
    run_extract([news], out, progress=False)
    changed = sorted(news.glob("*.txt"))[0]
    changed.write_text("全年新建学校12所，新增公园3个。\n" + changed.read_text(encoding="utf-8"), encoding="utf-8")
    run_extract([news], other, progress=False)
    # Killed between its two renames: the new facts beside the old docs.
    shutil.copy(other / "facts.parquet", out / "facts.parquet")
    again = run_extract([news], out, progress=False)
    assert again.unchanged == 0
    assert rows(out) == rows(other)
