"""The same facts whatever the engine: pieces read apart give the documents and doc ids of a
run over the whole input, and a Dask cluster of two workers writes, part by part, the rows
the local run writes."""
import csv
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import CORPUS, REPORTS
from pipeline import load_facts
from pipeline.read.documents import read_documents
from pipeline.read.pieces import plan_pieces, read_piece
from pipeline.review.facts_file import FactsFileError, read_parquet, read_table, table_path
from pipeline.run import run_extract, run_metadata

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.corpus


def reports_table(path, row_group_size=5, repeat_ids=("海南省", "北京市")):
    """The 23 reports as a Parquet table of several row groups, two provinces' reports
    given a second time under the same id."""
    csv.field_size_limit(2**31 - 1)
    with REPORTS.open(encoding="utf-8", newline="") as handle:
        rows = [{"id": row["province"], "text": row["full_text"]} for row in csv.DictReader(handle)]
    rows += [row for row in rows if row["id"] in repeat_ids]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(CORPUS / "policy-dev", folder / "policy")
    (folder / "policy" / "empty.txt").write_text("  \n", encoding="utf-8")
    reports_table(folder / "reports.parquet")
    return [folder / "policy", folder / "reports.parquet"]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster


def test_pieces_read_apart_give_the_documents_of_a_whole_run(inputs):
    pieces = plan_pieces(inputs, {})
    assert [piece.number for piece in pieces] == list(range(len(pieces)))
    whole = [(d.doc_id, d.sha256, d.status) for d in read_documents(inputs)]
    apart = [(d.doc_id, d.sha256, d.status) for piece in pieces for d in read_piece(piece, {})]
    assert apart == whole
    # The table is cut by row group, and an id seen in an earlier group is renamed there too.
    groups = [piece for piece in pieces if piece.row_group is not None]
    assert len(groups) == 5
    ids = [doc_id for doc_id, _, _ in whole]
    assert "reports#海南省~2" in ids and "reports#北京市~2" in ids
    assert len(set(ids)) == len(ids)


def test_a_file_added_changes_its_own_piece_only(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(300):
        (folder / f"doc{n:04}.txt").write_text(f"今年新建学校{n}所。", encoding="utf-8")
    before = {piece.key for piece in plan_pieces([folder], {})}
    (folder / "doc0150a.txt").write_text("今年新建学校7所。", encoding="utf-8")
    after = {piece.key for piece in plan_pieces([folder], {})}
    assert len(before) > 10
    assert len(before - after) == 1 and len(after - before) == 1


def test_dask_writes_the_facts_of_the_local_run_row_for_row(inputs, cluster, tmp_path):
    from pipeline.dask_engine import run_dask

    local = run_extract(inputs, tmp_path / "local", progress=False)
    dask = run_dask(inputs, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    assert (dask.documents, dask.ok, dask.skipped, dask.facts) == (local.documents, local.ok, local.skipped, local.facts)
    assert local.facts > 1000
    parts = sorted(path.name for path in (tmp_path / "dask" / "facts").iterdir())
    assert parts[0] == "part-00000.parquet" and len(parts) > 5
    assert not (tmp_path / "dask" / "facts.parquet").exists()
    for name in ("facts", "docs"):
        assert read_parquet(table_path(tmp_path / "dask", name)).to_pylist() == \
            read_parquet(table_path(tmp_path / "local", name)).to_pylist()
    assert load_facts(tmp_path / "dask").equals(load_facts(tmp_path / "local"))


def test_dask_reruns_take_unchanged_pieces_and_resume_a_killed_run(inputs, cluster, tmp_path):
    from pipeline.dask_engine import run_dask

    out = tmp_path / "dask"
    first = run_dask(inputs, out, scheduler=cluster.scheduler_address, progress=False)
    expected = read_table(out).to_pylist()
    again = run_dask(inputs, out, scheduler=cluster.scheduler_address, progress=False)
    assert again.unchanged == first.ok
    # Killed midway: no manifest, the last parts never written.
    (out / "manifest.json").unlink()
    for kind in ("facts", "docs"):
        for path in sorted((out / kind).iterdir())[-3:]:
            path.unlink()
    resumed = run_dask(inputs, out, scheduler=cluster.scheduler_address, progress=False)
    assert 0 < resumed.unchanged < first.ok
    assert read_table(out).to_pylist() == expected


def test_a_half_written_pair_of_parts_is_extracted_again(inputs, cluster, tmp_path):
    from pipeline.dask_engine import run_dask

    out = tmp_path / "dask"
    first = run_dask(inputs, out, scheduler=cluster.scheduler_address, progress=False)
    expected = read_table(out).to_pylist()
    # The facts part replaced by another's, the docs part not: the pair is not whole.
    shutil.copy(out / "facts" / "part-00001.parquet", out / "facts" / "part-00000.parquet")
    with pytest.raises(FactsFileError, match="is not the file"):
        read_table(out)
    again = run_dask(inputs, out, scheduler=cluster.scheduler_address, progress=False)
    assert again.unchanged < first.ok
    assert read_table(out).to_pylist() == expected


def test_a_run_takes_unchanged_documents_from_a_last_run_of_the_other_layout(inputs, cluster, tmp_path):
    from pipeline.dask_engine import run_dask

    run_extract(inputs, tmp_path / "fresh", progress=False)
    expected = read_table(tmp_path / "fresh").to_pylist()
    out = tmp_path / "out"
    first = run_extract(inputs, out, progress=False)
    on_dask = run_dask(inputs, out, scheduler=cluster.scheduler_address, progress=False)
    assert on_dask.unchanged == first.ok and read_table(out).to_pylist() == expected
    local = run_extract(inputs, out, progress=False)
    assert local.unchanged == first.ok and read_table(out).to_pylist() == expected
    assert (out / "facts.parquet").is_file() and not (out / "facts").exists()

    policy = tmp_path / "policy"
    shutil.copytree(inputs[0], policy)
    run_dask([policy], tmp_path / "policy-out", scheduler=cluster.scheduler_address, progress=False)
    changed = sorted(policy.glob("gov_*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n全年新建学校12所。", encoding="utf-8")
    again = run_extract([policy], tmp_path / "policy-out", progress=False)
    assert again.unchanged == again.ok - 1
    run_extract([policy], tmp_path / "policy-fresh", progress=False)
    assert read_table(tmp_path / "policy-out").to_pylist() == read_table(tmp_path / "policy-fresh").to_pylist()


def test_the_two_layouts_replace_each_other(inputs, cluster, tmp_path):
    from pipeline.dask_engine import run_dask

    out = tmp_path / "out"
    run_dask(inputs[:1], out, scheduler=cluster.scheduler_address, progress=False)
    run_extract(inputs[:1], out, progress=False)
    assert (out / "facts.parquet").is_file() and not (out / "facts").exists()
    run_dask(inputs[:1], out, scheduler=cluster.scheduler_address, progress=False)
    assert (out / "facts").is_dir() and not (out / "facts.parquet").exists()
    assert table_path(out, "docs") == out / "docs"


def test_the_partition_function_runs_as_the_readmes_map_in_arrow_wrapper(inputs, tmp_path):
    """The README's Spark wrapper, without Spark: a batch of piece numbers in, facts out."""
    from conftest import RULES
    from pipeline.partition import Settings, extract_piece
    from pipeline.ruleset.files import rules_digest
    from pipeline.write.parquet import FACT_SCHEMA

    options = {}
    pieces = plan_pieces(inputs, options)
    settings = Settings.make(RULES, options, 60.0, run_metadata(rules_digest(RULES), options, inputs, True))

    def facts_of(batches):
        for batch in batches:
            for number in batch.column("piece").to_pylist():
                yield from extract_piece(pieces[number], settings).facts.to_batches()

    batches = [pa.RecordBatch.from_pydict({"piece": [p.number for p in pieces[i::2]]}) for i in (0, 1)]
    facts = pa.Table.from_batches(list(facts_of(batches)), FACT_SCHEMA)
    run_extract(inputs, tmp_path / "local", progress=False)
    expected = read_table(tmp_path / "local")
    assert facts.num_rows == expected.num_rows
    assert sorted(facts.column("fact_id").to_pylist()) == sorted(expected.column("fact_id").to_pylist())


def test_a_json_lines_table_is_cut_at_line_ends_with_the_ids_and_rows_of_a_whole_run(tmp_path, monkeypatch):
    import pipeline.read.pieces as pieces

    csv.field_size_limit(2**31 - 1)
    with REPORTS.open(encoding="utf-8", newline="") as handle:
        reports = [(row["province"], row["full_text"]) for row in csv.DictReader(handle)]
    lines = [json.dumps({"id": province, "text": text[:3000]}, ensure_ascii=False) for province, text in reports]
    # A repeated id, a blank line, a line that is no JSON, a row without an id, CRLF ends.
    lines[5:5] = [lines[2], "", "{not json", json.dumps({"text": "今年新建学校3所。"}, ensure_ascii=False)]
    table = tmp_path / "reports.jsonl"
    table.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    monkeypatch.setattr(pieces, "PIECE_BYTES", 20_000)
    planned = plan_pieces([table, REPORTS.parent], {})
    assert [piece.number for piece in planned] == list(range(len(planned)))
    assert len(planned) > 5 and all(piece.byte_range for piece in planned[:-1])
    whole = [(d.doc_id, d.sha256, d.status, d.text) for d in read_documents([table, REPORTS.parent])]
    apart = [(d.doc_id, d.sha256, d.status, d.text) for piece in planned for d in read_piece(piece, {})]
    assert apart == whole
    ids = [doc_id for doc_id, _, _, _ in whole]
    assert len(set(ids)) == len(ids) and any(doc_id.endswith("~2") for doc_id in ids)


def test_a_piece_that_fails_on_the_cluster_names_itself(inputs, cluster, tmp_path):
    from pipeline.dask_engine import PieceFailed, run_dask

    out = tmp_path / "out"
    out.mkdir()
    (out / "facts").write_text("a file where the folder of parts goes", encoding="utf-8")
    with pytest.raises(PieceFailed, match=r"piece \d+ \(.*policy.*\) failed on the Dask cluster: FileExistsError"):
        run_dask(inputs[:1], out, scheduler=cluster.scheduler_address, progress=False)
    assert not (out / "manifest.json").exists()


def test_the_time_limit_holds_on_the_cluster(inputs, cluster, tmp_path):
    """A worker extracts in a thread, where no timer signal reaches: a document over its
    limit is still an error row, and the others are extracted."""
    from pipeline.dask_engine import run_dask
    from pipeline.review.facts_file import read_parquet

    out = tmp_path / "out"
    summary = run_dask(inputs[:1], out, scheduler=cluster.scheduler_address, progress=False, time_limit=0.001)
    docs = read_parquet(out / "docs").to_pylist()
    timed_out = [row for row in docs if row["status"] == "error"]
    assert timed_out and all("time limit of 0.001 s" in row["error"] for row in timed_out)
    assert summary.errors == len(timed_out)


def test_the_command_line_starts_its_own_local_cluster(inputs, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "extract", str(inputs[0]), "--out", str(out)]
    result = subprocess.run([*command, "--engine", "dask", "--jobs", "2"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "documents (" in result.stdout and json.loads((out / "manifest.json").read_text())["layout"] == "parts"
    again = subprocess.run([*command, "--engine", "dask", "--jobs", "2"], capture_output=True, text=True)
    assert "unchanged since the last run" in again.stdout
    wrong = subprocess.run([*command, "--scheduler", "tcp://127.0.0.1:1"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "--scheduler needs --engine dask" in wrong.stderr


def test_a_csv_table_is_cut_where_records_end_with_the_ids_and_rows_of_a_whole_run(tmp_path, monkeypatch):
    import pipeline.read.pieces as pieces

    csv.field_size_limit(2**31 - 1)
    with REPORTS.open(encoding="utf-8", newline="") as handle:
        reports = [(row["province"], row["full_text"][:3000]) for row in csv.DictReader(handle)]
    # Texts hold line breaks inside quoted fields; a repeated id, a blank line, a short row.
    rows = [[province, text] for province, text in reports]
    rows[5:5] = [rows[2], [], ["", "今年新建学校3所。"], ["短行"]]
    table = tmp_path / "reports.csv"
    with table.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["id", "text"])
        writer.writerows(rows)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 20_000)
    planned = plan_pieces([table], {})
    assert len(planned) > 5 and all(piece.byte_range for piece in planned)
    whole = [(d.doc_id, d.sha256, d.status, d.text) for d in read_documents([table])]
    apart = [(d.doc_id, d.sha256, d.status, d.text) for piece in planned for d in read_piece(piece, {})]
    assert apart == whole
    assert any("\n" in text for _, _, _, text in whole if text)
    assert any(doc_id.endswith("~2") for doc_id, _, _, _ in whole)
