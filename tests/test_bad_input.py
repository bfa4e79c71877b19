"""Bad documents are recorded with their reason and the batch goes on."""
import json

import pyarrow.parquet as pq
import pytest

from conftest import RULES
from pipeline.run import run_extract


def docs_by_id(out):
    return {d["doc_id"]: d for d in pq.read_table(out / "docs.parquet").to_pylist()}


def test_bad_documents_do_not_stop_the_batch(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a_good.txt").write_text("全区市场主体20798户。", encoding="utf-8")
    (raw / "b_empty.txt").write_bytes(b"")
    (raw / "c_binary.txt").write_bytes(bytes(range(128, 256)) * 8 + b"\x00\x00\xff\xfe\x00")
    (raw / "d_gbk.txt").write_bytes("集聚科技创新类企业600余家。".encode("gbk"))
    (raw / "e_table.jsonl").write_text(
        json.dumps({"id": "x", "text": "建设标准厂房60万平方米"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "y", "text": ""}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_extract([raw], out)
    docs = docs_by_id(out)
    assert docs["a_good"]["status"] == "ok" and docs["a_good"]["facts"] == 1
    assert docs["b_empty"]["status"] == "skipped" and "empty" in docs["b_empty"]["error"]
    assert docs["c_binary"]["status"] == "error" and "c_binary.txt" in docs["c_binary"]["error"]
    assert docs["d_gbk"]["status"] == "ok" and docs["d_gbk"]["facts"] == 1
    assert docs["e_table#x"]["status"] == "ok"
    assert docs["e_table#y"]["status"] == "skipped" and "no text" in docs["e_table#y"]["error"]
    assert (summary.documents, summary.ok, summary.skipped, summary.errors) == (6, 3, 2, 1)
    facts = pq.read_table(out / "facts.parquet").to_pylist()
    assert sorted(f["text"] for f in facts) == ["20798户", "600余家", "60万平方米"]


def test_bom_and_crlf_keep_offsets_into_the_decoded_text(tmp_path):
    text = "今年1-9月,\r\n全区市场主体20798户,其中企业8070户。\r\n"
    (tmp_path / "crlf.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    run_extract([tmp_path / "crlf.txt"], tmp_path / "out")
    facts = pq.read_table(tmp_path / "out" / "facts.parquet").to_pylist()
    assert [(f["start"], f["end"]) for f in facts] == [(text.index("20798户"), text.index("20798户") + 6),
                                                        (text.index("8070户"), text.index("8070户") + 5)]
    assert all(text[f["start"]:f["end"]] == f["text"] for f in facts)


def test_an_interrupted_run_leaves_no_parquet_behind(tmp_path, monkeypatch):
    import pipeline.run as run

    (tmp_path / "a.txt").write_text("新增企业12家。", encoding="utf-8")

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "doc_row", explode)
    out = tmp_path / "out"
    try:
        run.run_extract([tmp_path / "a.txt"], out)
    except KeyboardInterrupt:
        pass
    # Only the lock file the next run takes.
    assert [p.name for p in out.iterdir()] == [".lock"]


def test_an_interrupted_run_keeps_the_previous_output(tmp_path, monkeypatch):
    import pipeline.run as run

    (tmp_path / "a.txt").write_text("新增企业12家。", encoding="utf-8")
    out = tmp_path / "out"
    run.run_extract([tmp_path / "a.txt"], out)
    before = pq.read_table(out / "facts.parquet").to_pylist()
    monkeypatch.setattr(run, "doc_row", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        run.run_extract([tmp_path / "a.txt"], out)
    except KeyboardInterrupt:
        pass
    assert pq.read_table(out / "facts.parquet").to_pylist() == before
    assert sorted(p.name for p in out.iterdir()) == [".lock", "docs.parquet", "facts.parquet", "manifest.json"]


def test_a_document_over_its_time_limit_is_an_error_row_and_the_batch_goes_on(tmp_path, sample_text):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "long.txt").write_text(sample_text * 20, encoding="utf-8")
    out = tmp_path / "out"
    summary = run_extract([raw], out, time_limit=0.001)
    docs = docs_by_id(out)
    assert docs["long"]["status"] == "error" and "time limit" in docs["long"]["error"]
    assert summary.errors == 1
    run_extract([raw], out)
    assert docs_by_id(out)["long"]["status"] == "ok"


@pytest.mark.parametrize("engine", ["regex", "re"])
def test_the_time_limit_stops_a_catastrophic_pattern(engine):
    """On either engine: the scan's combined pattern runs on re. In a child process, so a
    limit that failed to fire fails the test instead of hanging it."""
    import subprocess
    import sys

    code = (f"import {engine}\n"
            "from pipeline.work import TimeLimitExceeded, time_limit\n"
            "try:\n"
            "    with time_limit(0.2):\n"
            f"        {engine}.match(r'(?:\\d|\\d\\d)+(?=[a-z])', '1' * 60)\n"
            "except TimeLimitExceeded as exc:\n"
            "    print(exc)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "time limit of 0.2 s" in result.stdout


def test_the_time_limit_holds_in_a_thread_where_no_signal_reaches(sample_text):
    """A Dask worker extracts in a thread: the deadline stops a catastrophic match there
    too, and a long document is an error row. In a child process, so a limit that failed
    to fire fails the test instead of hanging it."""
    import subprocess
    import sys

    code = ("import threading, regex\n"
            "from pipeline.deadline import bounded\n"
            "from pipeline.work import TimeLimitExceeded, time_limit\n"
            "def catastrophic():\n"
            "    try:\n"
            "        with time_limit(0.2):\n"
            "            bounded(regex.compile(r'(?:\\d|\\d\\d)+(?=[a-z])').match)('1' * 60)\n"
            "    except TimeLimitExceeded as exc:\n"
            "        print(exc)\n"
            "thread = threading.Thread(target=catastrophic)\n"
            "thread.start()\n"
            "thread.join()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "time limit of 0.2 s" in result.stdout, result.stderr

    from concurrent.futures import ThreadPoolExecutor

    from pipeline.read.documents import Document
    from pipeline.ruleset.load import load_rules
    from pipeline.work import extract_document

    rules = load_rules(RULES)
    document = Document("long", "memory", sample_text * 20, None, None, "0", "ok", None)
    with ThreadPoolExecutor(1) as pool:
        _, rows, error, _ = pool.submit(extract_document, document, rules, 0.001).result()
        assert rows == [] and "time limit" in error
        _, rows, error, _ = pool.submit(extract_document, document, rules).result()
        assert error is None and len(rows) > 100


def test_a_second_run_on_the_same_output_fails_while_the_first_writes(tmp_path):
    from pipeline.write.output import OutputError, OutputFolder

    (tmp_path / "a.txt").write_text("新增企业12家。", encoding="utf-8")
    out = tmp_path / "out"
    with OutputFolder(out):
        with pytest.raises(OutputError, match="another run .* is writing to"):
            run_extract([tmp_path / "a.txt"], out)
    run_extract([tmp_path / "a.txt"], out)
    assert docs_by_id(out)["a"]["facts"] == 1


def test_temporaries_of_dead_runs_are_swept_and_live_ones_kept(tmp_path):
    import os
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".facts.parquet.{dead}.tmp"
    live = out / f".docs.parquet.{os.getppid()}.tmp"
    stale.write_bytes(b"half")
    live.write_bytes(b"half")
    (tmp_path / "a.txt").write_text("新增企业12家。", encoding="utf-8")
    run_extract([tmp_path / "a.txt"], out)
    assert not stale.exists() and live.exists()


def test_sigterm_leaves_no_temporary_and_the_previous_output(tmp_path, sample_text):
    import signal
    import subprocess
    import sys
    import time

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(sample_text, encoding="utf-8")
    out = tmp_path / "out"
    run_extract([raw], out)
    before = (out / "facts.parquet").read_bytes()
    for index in range(200):
        (raw / f"b{index:03}.txt").write_text(sample_text, encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out)],
                             stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while not list(out.glob(".*.tmp")) and time.time() < deadline:
        time.sleep(0.05)
    seen = [path.name for path in out.glob(".*.tmp")]
    child.send_signal(signal.SIGTERM)
    code = child.wait(timeout=60)
    assert code == 128 + signal.SIGTERM, (seen, child.stderr.read())
    assert not list(out.glob(".*.tmp"))
    assert (out / "facts.parquet").read_bytes() == before
    assert docs_by_id(out)["a"]["status"] == "ok"


def test_a_pair_left_mixed_is_refused_by_its_readers(tmp_path):
    from pipeline.review.facts_file import FactsFileError, read_parquet

    (tmp_path / "a.txt").write_text("新增企业12家。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("建设标准厂房60万平方米。", encoding="utf-8")
    run_extract([tmp_path / "a.txt"], tmp_path / "one")
    run_extract([tmp_path / "b.txt"], tmp_path / "two")
    read_parquet(tmp_path / "one" / "docs.parquet")
    # As a run killed between its two renames leaves it: the new docs, the old manifest.
    (tmp_path / "two" / "docs.parquet").replace(tmp_path / "one" / "docs.parquet")
    with pytest.raises(FactsFileError, match="not the file .*manifest.json names"):
        read_parquet(tmp_path / "one" / "docs.parquet")


def test_a_rerun_after_a_kill_resumes_from_the_finished_documents(tmp_path, monkeypatch, sample_text):
    import pipeline.run as run
    import pipeline.write.journal as journal

    raw = tmp_path / "raw"
    raw.mkdir()
    for index in range(5):
        (raw / f"d{index}.txt").write_text(f"第{index}篇。" + sample_text, encoding="utf-8")
    run_extract([raw], tmp_path / "clean")
    monkeypatch.setattr(journal, "JOURNAL_SECONDS", 0.0)
    real_doc_row, made = run.doc_row, []

    def killed_at_the_fourth(*args):
        made.append(args[0].doc_id)
        if len(made) == 4:
            raise KeyboardInterrupt
        return real_doc_row(*args)

    monkeypatch.setattr(run, "doc_row", killed_at_the_fourth)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_extract([raw], out)
    assert not (out / "facts.parquet").exists() and list((out / ".partial").glob("part-*.docs.parquet"))
    monkeypatch.setattr(run, "doc_row", real_doc_row)
    summary = run_extract([raw], out)
    assert summary.reused == 3 and "3 of them finished by an interrupted run" in summary.line(out)
    for name in ("facts.parquet", "docs.parquet"):
        assert pq.read_table(out / name).to_pylist() == pq.read_table(tmp_path / "clean" / name).to_pylist()
    assert not (out / ".partial").exists()


def test_a_journal_of_other_documents_is_not_reused(tmp_path, monkeypatch):
    import pipeline.run as run
    import pipeline.write.journal as journal

    raw = tmp_path / "raw"
    raw.mkdir()
    for index in range(3):
        (raw / f"d{index}.txt").write_text(f"新增企业{index + 1}家。", encoding="utf-8")
    monkeypatch.setattr(journal, "JOURNAL_SECONDS", 0.0)
    real_doc_row = run.doc_row
    monkeypatch.setattr(run, "doc_row", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt())
                        if a[0].doc_id == "d2" else real_doc_row(*a))
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_extract([raw], out)
    monkeypatch.setattr(run, "doc_row", real_doc_row)
    (raw / "d0.txt").write_text("新增企业9家。", encoding="utf-8")  # changed since
    summary = run_extract([raw], out)
    assert summary.reused == 0
    assert [row["value"] for row in pq.read_table(out / "facts.parquet").to_pylist()] == [9, 2, 3]
