"""The same text written another way gives the same facts: another encoding, a BOM, CRLF
line ends, full-width digits, a table instead of a file, and the lines of a paragraph
wrapped at another width (a PDF converter's). Each fact is compared on what it means
(value, unit, qualifier, metric, aspect, period, is_target, label) and where it stands,
its offsets mapped back to the original text.
"""
import csv
import json
from bisect import bisect_left

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORTS, SAMPLE_DATE
from pipeline.extract import extract_facts
from pipeline.run import run_extract

MEANING = ("value", "value_max", "unit", "qualifier", "metric", "aspect", "period", "is_target", "metric_label")
WIDE = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def _reports(count=3):
    if not REPORTS.exists():
        pytest.skip(f"the reference reports are not at {REPORTS}")
    csv.field_size_limit(2**31 - 1)
    with REPORTS.open(encoding="utf-8", newline="") as handle:
        return [row["full_text"] for _, row in zip(range(count), csv.DictReader(handle))]


@pytest.fixture(scope="module")
def texts(sample_text):
    return [sample_text, *_reports()]


def meanings(facts, offset=lambda position: position):
    return [(offset(f.start), offset(f.end), *(getattr(f, column) for column in MEANING)) for f in facts]


def rows_of(out):
    table = pq.read_table(out / "facts.parquet").to_pylist()
    return [tuple(row[column] for column in ("start", "end", *MEANING)) for row in table]


@pytest.mark.corpus
def test_encodings_bom_and_tables_give_the_same_facts(tmp_path, texts):
    for index, text in enumerate(texts):
        folder = tmp_path / str(index)
        folder.mkdir()
        (folder / "plain.txt").write_text(text, encoding="utf-8")
        run_extract([folder / "plain.txt"], tmp_path / f"out-{index}", default_date=SAMPLE_DATE)
        expected = rows_of(tmp_path / f"out-{index}")
        assert expected
        (folder / "gb.txt").write_bytes(text.encode("gb18030"))
        (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        (folder / "t.jsonl").write_text(json.dumps({"id": "r", "text": text}, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
        with (folder / "c.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["id", "text"], ["r", text]])
        pq.write_table(pa.table({"id": ["r"], "text": [text]}), folder / "p.parquet")
        for name in ("gb.txt", "bom.txt", "t.jsonl", "c.csv", "p.parquet"):
            out = tmp_path / f"out-{index}-{name}"
            run_extract([folder / name], out, default_date=SAMPLE_DATE)
            assert rows_of(out) == expected, name


@pytest.mark.corpus
def test_crlf_gives_the_same_facts_at_offsets_that_count_the_returns(texts):
    for text in texts:
        crlf = text.replace("\n", "\r\n")
        # Offset n of the text is n plus the returns before it in the CRLF text.
        returns = [index for index, char in enumerate(crlf) if char == "\r"]
        back = lambda position: position - sum(1 for r in returns if r < position)  # noqa: E731
        assert meanings(extract_facts(crlf, _rules(), "x", SAMPLE_DATE), back) == \
            meanings(extract_facts(text, _rules(), "x", SAMPLE_DATE))


@pytest.mark.corpus
def test_full_width_digits_give_the_same_facts(texts):
    for text in texts:
        wide = text.translate(WIDE)
        assert meanings(extract_facts(wide, _rules(), "x", SAMPLE_DATE)) == \
            meanings(extract_facts(text, _rules(), "x", SAMPLE_DATE))


def _wrapped(text, width):
    """Each line longer than `width` broken every `width` characters where the break falls
    between two letters or digits (a converter's wrap); the offsets of the breaks added."""
    lines, added = [], []
    position = 0
    for line in text.split("\n"):
        pieces, start = [], 0
        while len(line) - start > width:
            cut = start + width
            while cut < len(line) and not (line[cut - 1].isalnum() and line[cut].isalnum()):
                cut += 1
            if cut >= len(line):
                break
            pieces.append(line[start:cut])
            added.append(position + cut)
            start = cut
        pieces.append(line[start:])
        lines.append("\n".join(pieces))
        position += len(line) + 1
    return "\n".join(lines), added


def _assert_wrapping_keeps_the_facts(text, width):
    wrapped, added = _wrapped(text, width)
    # Offset n of the wrapped text is n less the breaks added before it.
    breaks = [cut + index for index, cut in enumerate(added)]
    back = lambda position: position - bisect_left(breaks, position)  # noqa: E731
    expected = meanings(extract_facts(text, _rules(), "x", SAMPLE_DATE))
    got = meanings(extract_facts(wrapped, _rules(), "x", SAMPLE_DATE), back)
    inside = {row for row in expected if any(row[0] < cut < row[1] for cut in added)}
    # A break inside a figure gives the mended fact or none.
    assert set(got) - set(expected) == set()
    assert set(expected) - set(got) <= inside


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(min_value=34, max_value=90))
def test_wrapping_paragraphs_at_any_width_gives_the_same_facts(sample_text, width):
    _assert_wrapping_keeps_the_facts(sample_text, width)


@pytest.mark.corpus
@pytest.mark.parametrize("width", [36, 64])
def test_wrapping_the_reports_gives_the_same_facts(width):
    for text in _reports():
        _assert_wrapping_keeps_the_facts(text, width)


_loaded = {}


def _rules():
    if "rules" not in _loaded:
        from conftest import RULES
        from pipeline.ruleset.load import load_rules
        _loaded["rules"] = load_rules(RULES, check=False)
    return _loaded["rules"]
