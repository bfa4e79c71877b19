import csv
import datetime as dt
import hashlib
import io
import json
import os
import sys
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.read import documents
from pipeline.read.dates import normalise_date
from pipeline.read.documents import SAMPLE_BYTES, Document, read_documents

REPORTS_CSV = Path(__file__).resolve().parents[2] / "shared/corpus/gov-reports-2026/reports.csv"

REPORT = "2025年全区地区生产总值增长5.2%，\n集聚科技创新类企业600余家。\n"


def read(*paths, **options) -> list[Document]:
    return list(read_documents(list(paths), **options))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def jsonl_bytes(rows: list[dict], encoding="utf-8") -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode(encoding)


def write_csv(path: Path, rows: list[dict], encoding="utf-8") -> Path:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


# --- text files -----------------------------------------------------------------

def test_utf8_file_is_read_as_is(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode("utf-8"))
    [doc] = read(path, default_date="2024-11-01")
    assert doc == Document(doc_id="report", source=str(path), text=REPORT, title=None,
                           date="2024-11-01", sha256=sha(REPORT.encode("utf-8")),
                           status="ok", error=None)


def test_utf8_bom_is_stripped_and_nothing_else(tmp_path):
    plain, with_bom = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_bytes(REPORT.encode("utf-8"))
    with_bom.write_bytes(b"\xef\xbb\xbf" + REPORT.encode("utf-8"))
    [a], [b] = read(plain), read(with_bom)
    assert b.status == "ok" and b.text == a.text == REPORT
    assert b.sha256 == sha(with_bom.read_bytes()) != a.sha256  # hash of the raw bytes


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gb_encoded_file_decodes_to_the_same_text(tmp_path, encoding):
    path = tmp_path / "gb.txt"
    path.write_bytes(REPORT.encode(encoding))
    assert path.read_bytes() != REPORT.encode("utf-8")
    [doc] = read(path)
    assert (doc.status, doc.text) == ("ok", REPORT)


def test_other_encoding_found_by_detection(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(REPORT.encode("utf-16"))  # with BOM: neither UTF-8 nor GB18030
    [doc] = read(path)
    assert (doc.status, doc.text) == ("ok", REPORT)


def test_crlf_is_kept(tmp_path):
    text = "一、工作回顾\r\n地区生产总值增长5%。\r\n"
    path = tmp_path / "crlf.md"
    path.write_bytes(text.encode("utf-8"))
    [doc] = read(path)
    assert doc.text == text and doc.text.count("\r\n") == 2


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".jsonl"])
@pytest.mark.parametrize("raw", [
    pytest.param(bytes(range(128, 256)) * 3, id="high-bytes"),
    pytest.param(b"\xff\xfe\xfd" * 40, id="looks-utf16-but-garbage"),
    pytest.param(b"\x00\x81\x00\xff" * 50, id="nul-bytes"),
    pytest.param(bytes(range(128, 256)) * (SAMPLE_BYTES // 64), id="larger-than-sample"),
])
def test_undecodable_file_is_an_error_naming_it(tmp_path, raw, suffix):
    path = tmp_path / f"binary{suffix}"
    path.write_bytes(raw)
    [doc] = read(path)
    assert (doc.status, doc.text) == ("error", None)
    assert doc.error.startswith(f"cannot decode {path}: not UTF-8 or GB18030")
    assert doc.sha256 == sha(raw)


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".jsonl"])
@pytest.mark.parametrize("content", [
    b"", b" \r\n\t\n", "\u3000\n".encode("utf-8"),
    pytest.param(b" \n" * SAMPLE_BYTES, id="blank-beyond-sample"),
])
def test_empty_file_is_skipped(tmp_path, content, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(content)
    [doc] = read(path)
    assert (doc.status, doc.text, doc.error) == ("skipped", None, f"{path}: empty document")
    assert doc.sha256 == sha(content)


# --- paths, folders, order ------------------------------------------------------

def test_folder_walk_order_and_ids(tmp_path):
    root = tmp_path / "in"
    files = ["z.txt", "a.md", "m/b.txt", "m/deeper/c.txt", "m_x.txt", "sub.d/d.txt"]
    ignored = [".hidden.txt", ".git/e.txt", "notes.pdf", "m/readme"]
    for rel in files + ignored:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"{rel}：新增就业12万人", encoding="utf-8")
    docs = read(root)
    assert [d.doc_id for d in docs] == ["a", "m/b", "m/deeper/c", "m_x", "sub.d/d", "z"]
    assert docs[2].source == os.path.join(str(root), "m", "deeper", "c.txt")
    assert docs[2].text == "m/deeper/c.txt：新增就业12万人"


def test_paths_keep_the_order_given(tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "b.txt").write_text("乙", encoding="utf-8")
    docs = read(tmp_path / "b.txt", str(tmp_path / "dir"))
    assert [(d.doc_id, d.text) for d in docs] == [("b", "乙"), ("a", "甲")]


def test_missing_path_raises_before_any_work(tmp_path):
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError, match="nope"):
        read_documents([tmp_path / "a.txt", missing])  # raised at the call, not on iteration


def test_unknown_suffix_given_explicitly_is_an_error(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")
    [doc] = read(path)
    assert (doc.doc_id, doc.status, doc.text) == ("report", "error", None)
    assert str(path) in doc.error and ".docx" in doc.error
    assert doc.sha256 == sha(b"PK\x03\x04")


# --- CSV ------------------------------------------------------------------------

def test_csv_with_id_column_and_detected_text_column(tmp_path):
    path = write_csv(tmp_path / "cities.csv", [
        {"ID": " 太原 ", "Content": "太原市地区生产总值增长5.1%", "Title": "太原", "Date": "2026/2/3"},
        {"ID": "大同", "Content": "大同市新增市场主体2万户", "Title": "", "Date": "不详"},
    ])
    docs = read(tmp_path, default_date="2000-01-01")
    assert [(d.doc_id, d.status, d.title, d.date) for d in docs] == [
        ("cities#太原", "ok", "太原", "2026-02-03"),
        ("cities#大同", "ok", None, None),  # a date column is there: no fallback to default
    ]
    assert docs[0].text == "太原市地区生产总值增长5.1%"
    assert docs[0].sha256 == sha("太原市地区生产总值增长5.1%".encode("utf-8"))
    assert docs[0].source == str(path)


def test_csv_without_id_column_uses_row_numbers_and_default_date(tmp_path):
    path = write_csv(tmp_path / "t.csv", [{"body": "甲增长5%"}, {"body": ""}, {"body": "丙3家"}])
    docs = read(path, default_date="2026-01-31")
    assert [(d.doc_id, d.status, d.date) for d in docs] == [
        ("t#1", "ok", "2026-01-31"), ("t#2", "skipped", "2026-01-31"), ("t#3", "ok", "2026-01-31")]
    assert docs[1].error == f"{path} row 2: no text"


def test_csv_keeps_big_fields_crlf_and_gb18030(tmp_path):
    big = "全区市场主体20798户，其中企业8070户。\r\n" * 6000  # > 100 KB in one field
    path = write_csv(tmp_path / "big.csv", [{"id": "1", "text": big}], encoding="gb18030")
    [doc] = read(path)
    assert doc.status == "ok" and doc.text == big and len(big.encode("utf-8")) > 100_000


@pytest.mark.corpus
def test_real_reports_csv():
    docs = read(REPORTS_CSV, id_column="province")
    assert len(docs) == 23 and {d.status for d in docs} == {"ok"}
    assert len({d.doc_id for d in docs}) == 23
    # The corpus has 陕西省 (Shaanxi) but no 山西省 (Shanxi) row.
    [shaanxi] = [d for d in docs if d.doc_id == "reports#陕西省"]
    assert shaanxi.date == "2026-02-02"  # from publish_date
    assert shaanxi.title and "政府工作报告" in shaanxi.title
    assert shaanxi.source == str(REPORTS_CSV)
    assert "陕西" in shaanxi.text and len(shaanxi.text) > 10_000


def test_duplicate_ids_get_a_counter(tmp_path):
    rows = [{"doc_id": k, "text": f"第{i}篇：增长{i}%"} for i, k in enumerate(["晋", "冀", "晋", "晋"])]
    docs = read(write_csv(tmp_path / "dup.csv", rows))
    assert [d.doc_id for d in docs] == ["dup#晋", "dup#冀", "dup#晋~2", "dup#晋~3"]
    assert docs[3].text == "第3篇：增长3%"


def test_missing_given_column_is_one_error_for_the_file(tmp_path):
    path = write_csv(tmp_path / "r.csv", [{"text": "甲"}, {"text": "乙"}])
    [doc] = read(path, id_column="province")
    assert (doc.doc_id, doc.status, doc.text) == ("r", "error", None)
    assert str(path) in doc.error and "'province'" in doc.error and "['text']" in doc.error
    assert doc.sha256 == sha(path.read_bytes())


def test_table_without_text_column_is_an_error(tmp_path):
    path = write_csv(tmp_path / "r.csv", [{"province": "山西省", "year": "2026"}])
    [doc] = read(path)
    assert doc.status == "error" and "no text column" in doc.error and "province" in doc.error


# --- JSONL ----------------------------------------------------------------------

def test_jsonl_bad_line_and_empty_text_do_not_stop_the_batch(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "新增就业12万人", "date": "2026年2月3日"}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps({"id": "b", "text": None}),
        "[1, 2]",
        json.dumps({"id": "c", "text": "   "}),
        json.dumps({"id": "d", "text": "粮食产量1.2亿吨\u2028第二段"}, ensure_ascii=False),
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = read(path)
    assert [(d.doc_id, d.status) for d in docs] == [
        ("news#a", "ok"), ("news#3", "error"), ("news#b", "skipped"),
        ("news#5", "error"), ("news#c", "skipped"), ("news#d", "ok")]
    assert docs[0].date == "2026-02-03"
    assert docs[1].error.startswith(f"{path} row 3: invalid JSON")
    assert docs[1].sha256 == sha(b"{not json")
    assert docs[2].error == f"{path} row 4: no text"
    assert docs[5].text == "粮食产量1.2亿吨\u2028第二段"


def test_jsonl_with_no_object_at_all_is_one_error(tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_text("不是JSON\n[1]\n", encoding="utf-8")
    [doc] = read(path)
    assert (doc.doc_id, doc.status) == ("junk", "error") and str(path) in doc.error


# --- streaming large tables ---------------------------------------------------

def rows_filling(size: int, encoding: str) -> list[dict]:
    """Rows whose JSONL takes at least `size` bytes; 😀 and 𠮷 are four bytes in GB18030."""
    rows, total = [], 0
    while total < size:
        i = len(rows)
        rows.append({"id": f"r{i}", "text": f"第{i}项：投资{i}亿元，增长{i % 97}%😀𠮷。" * (1 + i % 7)})
        total += len(jsonl_bytes(rows[-1:], encoding))
    return rows


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_jsonl_larger_than_the_sample_reads_every_row(tmp_path, encoding):
    rows = rows_filling(3 * 2**20, encoding)
    path = tmp_path / "big.jsonl"
    path.write_bytes(jsonl_bytes(rows, encoding))
    assert path.stat().st_size > 2 * SAMPLE_BYTES
    docs = read(path)
    assert [(d.doc_id, d.status, d.text) for d in docs] == [
        (f"big#{row['id']}", "ok", row["text"]) for row in rows]


@pytest.mark.parametrize("encoding, char", [
    ("utf-8", "中"), ("utf-8", "😀"), ("gb18030", "中"), ("gb18030", "😀"),
    ("utf-16", "😀"),  # found by charset_normalizer; the sample ends on half a surrogate pair
])
def test_character_straddling_the_sample_end_reads_correctly(tmp_path, encoding, char):
    # The first row is non-ASCII, so that the sample alone tells GB18030 from UTF-8.
    def table(filler: int) -> list[dict]:
        return [{"id": "a", "text": "地区生产总值增长5%"},
                {"id": "b", "text": "x" * filler + char + "尾"},
                {"id": "c", "text": "粮食产量1.2亿吨"}]

    bom = len("".encode(encoding))  # UTF-16 writes one at the start
    encoded, unit = char.encode(encoding)[bom:], len("x".encode(encoding)) - bom
    skip = len(jsonl_bytes(table(0)[:1], encoding))
    at = jsonl_bytes(table(0), encoding).index(encoded, skip)
    rows = table((SAMPLE_BYTES - unit - at) // unit)  # char starts one filler unit before the end
    raw = jsonl_bytes(rows, encoding)
    start = raw.index(encoded, skip)
    assert start < SAMPLE_BYTES < start + len(encoded)
    with pytest.raises(UnicodeDecodeError):  # what a one-shot decode of the sample would do
        raw[:SAMPLE_BYTES].decode(encoding)
    path = tmp_path / "edge.jsonl"
    path.write_bytes(raw)
    docs = read(path)
    assert [(d.status, d.text) for d in docs] == [("ok", row["text"]) for row in rows]


def test_csv_undecodable_after_the_sample_keeps_good_rows_then_one_error(tmp_path):
    rows = [{"id": str(i), "text": f"第{i:05d}项：投资{i:05d}亿元。" * 20} for i in range(6000)]
    path = write_csv(tmp_path / "late.csv", rows)
    good = path.read_bytes()
    bad_row = "坏,新增就业12万人\r\n".encode("gbk")  # not UTF-8
    path.write_bytes(good + bad_row + good.split(b"\r\n", 1)[1])
    line_bytes = len(good.split(b"\r\n")[1]) + 2
    assert len(good) > 2 * SAMPLE_BYTES
    docs = read(path)
    *ok, last = docs
    assert SAMPLE_BYTES // line_bytes <= len(ok) <= len(rows)
    assert [d.text for d in ok] == [row["text"] for row in rows[:len(ok)]]
    assert {d.status for d in ok} == {"ok"}
    assert (last.doc_id, last.status, last.text) == ("late", "error", None)
    assert last.error.startswith(f"cannot parse {path} after {len(ok)} rows: ")
    assert "codec can't decode" in last.error
    assert last.sha256 == sha(path.read_bytes())


def test_reading_a_large_jsonl_table_keeps_memory_flat(tmp_path):
    path = tmp_path / "large.jsonl"
    line_count = 5000
    with path.open("wb") as out:  # written line by line, so the test holds no big buffer either
        for i in range(line_count):
            row = {"id": i, "text": f"第{i}项：全区地区生产总值增长5.2%，集聚科技创新类企业600余家。" * 45}
            out.write(jsonl_bytes([row]))
    size = path.stat().st_size
    assert size > 20_000_000
    read_count = largest = 0
    tracemalloc.start()
    try:
        for doc in read_documents(path):  # each document dropped before the next
            assert doc.status == "ok"
            read_count += 1
            largest = max(largest, sys.getsizeof(doc.text))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read_count == line_count
    assert peak < largest + 5 * 2**20 < size / 3


@pytest.mark.parametrize("stop", ["close", "drop"])
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_table_file_is_closed_when_reading_stops_early(tmp_path, monkeypatch, suffix, stop):
    path = tmp_path / f"t{suffix}"
    rows = [{"text": "甲"}, {"text": "乙"}, {"text": "丙"}]
    write_csv(path, rows) if suffix == ".csv" else path.write_bytes(jsonl_bytes(rows))
    opened = []

    def tracking_open(*args, **kwargs):
        opened.append(open(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(documents, "open", tracking_open, raising=False)
    docs = read_documents(path)
    assert next(docs).text == "甲"
    assert [f.closed for f in opened][-1] is False  # mid-table, the stream is open
    if stop == "close":
        docs.close()
    else:
        del docs
    assert opened and all(f.closed for f in opened)


# --- Parquet --------------------------------------------------------------------

def test_parquet_rows_in_order_across_batches(tmp_path):
    n = 600  # more than two batches of 256
    table = pa.table({
        "doc_id": [f"d{i}" for i in range(n)],
        "full_text": [None if i == 300 else f"第{i}项：投资{i}亿元" for i in range(n)],
        "publish_date": [dt.date(2026, 2, 1 + i % 28) for i in range(n)],
        "title": ["工作报告"] * n,
        "unused": [b"x" * 10] * n,
    })
    path = tmp_path / "rows.parquet"
    pq.write_table(table, path, row_group_size=100)
    docs = read(path)
    assert [d.doc_id for d in docs] == [f"rows#d{i}" for i in range(n)]
    assert docs[299].text == "第299项：投资299亿元" and docs[299].date == "2026-02-20"
    assert (docs[300].status, docs[300].error) == ("skipped", f"{path} row 301: no text")
    assert docs[0].title == "工作报告"


def test_parquet_timestamp_dates_and_missing_column(tmp_path):
    path = tmp_path / "ts.parquet"
    pq.write_table(pa.table({"text": ["增长5%"], "date": [dt.datetime(2026, 2, 3, 9, 2, 33)]}), path)
    [doc] = read(path)
    assert (doc.doc_id, doc.date) == ("ts#1", "2026-02-03")
    [bad] = read(path, title_column="标题")
    assert bad.status == "error" and "'标题'" in bad.error and "['text', 'date']" in bad.error


def test_damaged_parquet_is_one_error(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes("这不是parquet文件".encode("utf-8"))
    [doc] = read(path)
    assert (doc.doc_id, doc.status) == ("broken", "error") and str(path) in doc.error
    assert doc.sha256 == sha(path.read_bytes())


def test_parquet_damaged_mid_file_keeps_rows_read_and_adds_one_error(tmp_path):
    path = tmp_path / "mid.parquet"
    texts = [f"第{i}项：投资{i}亿元。" * 3 for i in range(2000)]
    pq.write_table(pa.table({"text": texts}), path, row_group_size=500, compression="snappy")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 200] = b"\xab" * 200  # garble a data page, keep the footer
    path.write_bytes(bytes(data))
    docs = read(path)
    *rows, last = docs
    assert 0 < len(rows) < 2000 and all(d.status == "ok" for d in rows)
    assert [d.text for d in rows] == texts[:len(rows)]
    assert (last.doc_id, last.status) == ("mid", "error")
    assert last.error.startswith(f"cannot parse {path} after {len(rows)} rows")


# --- dates ----------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2026-02-03", "2026-02-03"),
    ("2026/2/3", "2026-02-03"),
    ("2026年2月3日", "2026-02-03"),
    ("2026-02-03 09:02:33", "2026-02-03"),
    (dt.datetime(2026, 2, 3, 9, 2), "2026-02-03"),
    (dt.date(2026, 2, 3), "2026-02-03"),
    ("2026-02-30", None),
    ("2026-021-03", None),
    ("2026-02-031", None),
    ("二〇二六年二月", None),
    ("", None),
    (None, None),
    (2026, None),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


# --- never raising on content ---------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".csv", ".jsonl", ".parquet"]))
def test_any_bytes_give_documents_not_exceptions(tmp_path, raw, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(raw)
    for doc in read(path):
        assert doc.status in {"ok", "skipped", "error"}
        assert (doc.text is not None) == (doc.status == "ok")
        assert (doc.error is None) == (doc.status == "ok")


def test_a_single_path_is_accepted_without_a_list(tmp_path):
    (tmp_path / "a.txt").write_text("甲增长5%", encoding="utf-8")
    assert [d.doc_id for d in read_documents(tmp_path)] == ["a"]


def test_files_that_differ_only_in_suffix_get_distinct_doc_ids(tmp_path):
    (tmp_path / "a.md").write_text("新增企业12家。", encoding="utf-8")
    (tmp_path / "a.txt").write_text("新增企业13家。", encoding="utf-8")
    docs = list(read_documents([tmp_path]))
    assert [d.doc_id for d in docs] == ["a", "a~2"]
    assert [d.text for d in docs] == ["新增企业12家。", "新增企业13家。"]


def test_links_out_of_the_input_folder_are_recorded_unread(tmp_path):
    import os

    inputs, outside = tmp_path / "in", tmp_path / "outside"
    inputs.mkdir()
    outside.mkdir()
    (inputs / "a.txt").write_text("全区市场主体20798户。", encoding="utf-8")
    (outside / "secret.txt").write_text("机密", encoding="utf-8")
    os.symlink(outside / "secret.txt", inputs / "passwd.txt")
    os.symlink(inputs / "a.txt", inputs / "again.txt")  # inside the folder: read
    os.symlink(outside, inputs / "linked")
    os.symlink(inputs, outside / "back")  # a cycle, once links are followed
    docs = {doc.doc_id: doc for doc in read_documents([inputs])}
    assert docs["a"].status == docs["again"].status == "ok"
    assert docs["passwd"].status == "skipped" and docs["passwd"].text is None
    assert "outside the input folder" in docs["passwd"].error and "--follow-symlinks" in docs["passwd"].error
    assert docs["linked"].status == "skipped" and "not walked" in docs["linked"].error
    followed = {doc.doc_id: doc for doc in read_documents([inputs], follow_symlinks=True)}
    assert followed["passwd"].text == "机密" and followed["linked/secret"].text == "机密"
    assert all(doc.status == "ok" for doc in followed.values())


def test_chinese_column_names_are_found_without_options(tmp_path):
    table = tmp_path / "news.csv"
    table.write_text("编号,标题,发布日期,正文\nn1,开发区通报,2025-03-02,全区市场主体20798户。\n", encoding="utf-8")
    (doc,) = read_documents([table])
    assert (doc.doc_id, doc.title, doc.date, doc.text) == ("news#n1", "开发区通报", "2025-03-02", "全区市场主体20798户。")


def test_the_document_count_is_known_for_text_files_only(tmp_path):
    from pipeline.read.inputs import known_count

    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    (tmp_path / "b.md").write_text("二", encoding="utf-8")
    assert known_count([tmp_path]) == 2  # the progress bar's total, with an ETA
    (tmp_path / "c.csv").write_text("text\n三\n", encoding="utf-8")
    assert known_count([tmp_path]) is None
