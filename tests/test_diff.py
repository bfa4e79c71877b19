"""`pipeline diff` and `pipeline show` on real runs of the sample page.

The new run uses a copy of rules/ with two deliberate changes, whose effect was
read in the page itself:
- 增速 is no longer a growth cue, so 年均增速42% (光机电产业, offset 4489) turns from a
  growth figure with change increase into a plain level;
- 亩 is no longer a unit, so 打造园区平台4800亩 (offset 2850) gives no fact.
"""
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import RULES, SAMPLE, SAMPLE_DATE
from pipeline.cli import app
from pipeline.review.cells import snapshot_text
from pipeline.review.diff import diff_facts
from pipeline.review.facts_file import read_facts
from pipeline.run import run_extract

DOC = "000_ecb0041fadd01aa0"
MD_DOC = DOC.replace("_", "\\_")  # as Markdown escapes it


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}: pick another deliberate change"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def extract_sample(out, rules_dir=RULES):
    run_extract([SAMPLE], out, rules_dir, progress=False, default_date=SAMPLE_DATE)
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """old: the rules as they are; again: the same rules once more; new: the changed copy."""
    base = tmp_path_factory.mktemp("runs")
    changed_rules = base / "rules"
    shutil.copytree(RULES, changed_rules)
    edit(changed_rules / "context.toml", '"增长", "增速", "增幅"', '"增长", "增幅"')
    edit(changed_rules / "units.toml",
         '  { surface = "亩", unit = "m2", dimension = "area", factor = 666.666666666667, example = "300万亩" },\n', "")
    return {"old": extract_sample(base / "old"), "again": extract_sample(base / "again"),
            "new": extract_sample(base / "new", changed_rules)}


def invoke(*args):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_rule_change_found_by_span(runs):
    diff = diff_facts(read_facts(runs["old"]), read_facts(runs["new"]))
    (document,) = diff.changed_documents
    assert (document.doc_id, document.old_facts, document.new_facts) == (DOC, 53, 52)
    assert document.added == []
    assert [(row["start"], row["text"], row["value"], row["unit"]) for row in document.removed] == [
        (2850, "4800亩", pytest.approx(3.2e6), "m2")]
    (change,) = document.changed
    assert (change.new["start"], change.new["end"], change.new["text"]) == (4489, 4492, "42%")
    assert {"aspect", "change"} <= set(change.columns)
    assert (change.old["aspect"], change.new["aspect"]) == ("growth", "level")
    assert (change.old["change"], change.new["change"]) == ("increase", None)


def test_terminal_diff(runs):
    result = invoke("diff", runs["old"], runs["new"])
    assert result.exit_code == 0, result.output
    assert "0 added, 1 removed, 1 changed facts in 1 of 1 documents" in result.output
    assert "4800亩" in result.output and "2850-2855" in result.output
    assert "aspect: growth -> level" in result.output
    assert "change: increase -> null" in result.output
    assert "\x1b[" not in result.output  # no colour codes when not a terminal


def test_markdown_diff(runs):
    result = invoke("diff", runs["old"], runs["new"], "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "### Extraction diff: 0 added, 1 removed, 1 changed facts in 1 of 1 documents"
    assert f"| {MD_DOC} | 53 | 52 | 0 | 1 | 1 |" in lines
    assert "#### Added" not in result.output
    removed = lines[lines.index("#### Removed (1)") + 4]
    assert removed.startswith(f"| {MD_DOC} | 2850-2855 | 4800亩 | 3200000 | m2 | exact |")
    changed = lines[lines.index("#### Changed (1)") + 4]
    assert changed.startswith(f"| {MD_DOC} | 4489-4492 | 42% | ")
    assert "aspect: growth -\\> level" in changed and "change: increase -\\> null" in changed


def test_reversed_diff_adds_what_was_removed(runs):
    result = invoke("diff", runs["new"], runs["old"], "--format", "markdown")
    assert "1 added, 0 removed, 1 changed" in result.output
    assert "aspect: level -\\> growth" in result.output


def test_exit_code(runs):
    assert invoke("diff", runs["old"], runs["new"], "--exit-code").exit_code == 1
    same = invoke("diff", runs["old"], runs["again"] / "facts.parquet", "--exit-code", "--format", "markdown")
    assert same.exit_code == 0, same.output
    assert same.output.startswith("### Extraction diff: no differences\n")
    assert "(53 facts), new" in same.output
    assert "####" not in same.output


def test_identical_runs_have_no_differences(runs):
    diff = diff_facts(read_facts(runs["old"]), read_facts(runs["again"]))
    assert not diff.differs and diff.total("changed") == 0 and len(diff.documents) == 1
    result = invoke("diff", runs["old"], runs["again"])
    assert result.exit_code == 0 and "no differences" in result.output


def test_long_sections_are_cut_with_a_note(runs, tmp_path):
    table = pq.read_table(runs["old"] / "facts.parquet")
    pq.write_table(table.slice(10), tmp_path / "facts.parquet")  # the first 10 facts gone
    result = invoke("diff", runs["old"], tmp_path, "--format", "markdown", "--max-rows", "3")
    assert "#### Removed (10)" in result.output
    assert "… 7 more removed facts not shown" in result.output
    listed = [line for line in result.output.splitlines() if line.startswith(f"| {MD_DOC} | ")]
    assert len(listed) == 1 + 3  # the count row and three facts
    assert "… 7 more" in invoke("diff", runs["old"], tmp_path, "--max-rows", "3").output
    assert "more removed" not in invoke("diff", runs["old"], tmp_path, "--format", "markdown").output


def test_columns_of_one_side_are_named(runs, tmp_path):
    table = pq.read_table(runs["old"] / "facts.parquet")
    pq.write_table(table.drop_columns(["metric_label"]), tmp_path / "facts.parquet")
    result = invoke("diff", tmp_path, runs["new"], "--format", "markdown")
    assert "Not compared: only the new run has metric\\_label." in result.output
    assert "metric\\_label:" not in result.output


@pytest.mark.parametrize("command", ["diff", "show"])
def test_missing_path_is_named(runs, tmp_path, command):
    missing = tmp_path / "nowhere"
    args = [command, missing, runs["old"]] if command == "diff" else [command, missing]
    result = invoke(*args)
    assert result.exit_code == 2
    assert f"no such file or folder: {missing}" in result.output


def test_folder_without_facts_is_named(runs, tmp_path):
    result = invoke("diff", runs["old"], tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path} holds no facts.parquet" in result.output


def test_other_files_are_not_facts_tables(runs):
    result = invoke("diff", SAMPLE, runs["old"])
    assert result.exit_code == 2 and f"{SAMPLE} is not a Parquet file" in result.output
    docs = runs["old"] / "docs.parquet"
    result = invoke("diff", runs["old"], docs)
    assert result.exit_code == 2
    assert f"{docs} is not a facts table: it has no column start, end, text" in result.output


# show

def test_show_plain_is_the_snapshot_format(runs):
    result = invoke("show", runs["old"], "--plain")
    assert result.exit_code == 0
    assert result.output == snapshot_text(read_facts(runs["old"]).rows)
    lines = result.output.splitlines()
    assert len(lines) == 1 + 53 and lines[0].startswith("doc\tstart\tend\ttext\tvalue\t")
    assert not any(ch in result.output for ch in "\x1b│┃━─")


def test_show_plain_is_stable_across_runs(runs):
    assert invoke("show", runs["old"], "--plain").output == invoke("show", runs["again"], "--plain").output


def test_show_filters(runs):
    def plain(*options):
        return invoke("show", runs["old"], "--plain", *options).output.splitlines()[1:]

    (line,) = plain("--metric", "market_entities")
    assert line.split("\t")[1:5] == ["2043", "2049", "20798户", "20798"]
    assert len(plain("--doc", DOC)) == 53
    assert len(plain("--doc", "000_*", "--metric", "approval_time")) == 1
    assert plain("--doc", "reports#*") == []


def test_show_table(runs):
    result = invoke("show", runs["old"] / "facts.parquet", "--metric", "approval_time")
    assert result.exit_code == 0, result.output
    assert f"{DOC}: 1 fact" in result.output and "1 facts" not in result.output
    assert "12天" in result.output and "一般性工业项目审批时间" in result.output
    assert "20798户" not in result.output


def test_show_prints_other_parquet_tables(runs):
    """docs.parquet matches `*.parquet diff=parquet` too; its diff must not fail."""
    result = invoke("show", runs["old"] / "docs.parquet", "--plain")
    assert result.exit_code == 0
    header, row = result.output.splitlines()
    assert header.startswith("doc_id\tsource\tsha256") and row.startswith(DOC + "\t")


def test_git_textconv_renders_facts(runs, tmp_path):
    """The README's set-up: git passes the file last to `show --plain`."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    import sys

    def git(*args):
        return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
                              cwd=tmp_path, check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    (tmp_path / ".gitattributes").write_text("*.parquet diff=parquet\n")
    git("config", "diff.parquet.textconv", f"{sys.executable} -m pipeline show --plain")
    shutil.copy(runs["old"] / "facts.parquet", tmp_path / "facts.parquet")
    git("add", "-A")
    git("commit", "-qm", "old run")
    shutil.copy(runs["new"] / "facts.parquet", tmp_path / "facts.parquet")
    changed = [line for line in git("diff").splitlines() if line[:1] in "+-" and "\t" in line]
    assert any(line.startswith(f"-{DOC}\t2850\t2855\t4800亩\t") for line in changed)
    assert any(line.startswith(f"-{DOC}\t4489\t4492\t42%\t") and "\tgrowth\tincrease\t" in line for line in changed)
    assert any(line.startswith(f"+{DOC}\t4489\t4492\t42%\t") and "\tlevel\t\t" in line for line in changed)
    assert len(changed) == 3


def test_control_characters_of_a_document_never_reach_the_terminal(tmp_path):
    from pipeline.run import run_extract

    raw = tmp_path / "raw"
    raw.mkdir()
    hostile = "\x1b]0;owned\x07\x1b[2J"
    (raw / "a\x1b[31m.txt").write_text(f"全区市场主体{hostile}20798户。新增企业12家{hostile}。", encoding="utf-8")
    run_extract([raw], tmp_path / "one")
    (raw / "a\x1b[31m.txt").write_text(f"全区市场主体{hostile}20798户。", encoding="utf-8")
    run_extract([raw], tmp_path / "two")
    outputs = [invoke("show", tmp_path / "one").output, invoke("show", tmp_path / "one", "--plain").output,
               invoke("diff", tmp_path / "one", tmp_path / "two").output,
               invoke("diff", tmp_path / "one", tmp_path / "two", "--format", "markdown").output]
    for output in outputs:
        assert "\x1b" not in output and "\x07" not in output
    assert "\\x1b" in outputs[1] and "\\x1b" in outputs[2]


def test_show_names_the_nearest_when_nothing_matches(runs):
    result = invoke("show", runs["old"], "--metric", "market_entitys")
    assert "no fact has metric 'market_entitys'; nearest: market_entities" in result.output
    result = invoke("show", runs["old"], "--doc", "000_ecb")
    assert "nearest: 000_ecb0041fadd01aa0" in result.output
    assert "no fact has" not in invoke("show", runs["old"], "--doc", "000_ecb*").output


def test_diff_rows_show_the_figure_in_its_words(runs):
    terminal = invoke("diff", runs["old"], runs["new"]).output
    markdown = invoke("diff", runs["old"], runs["new"], "--format", "markdown").output
    assert "打造园区平台【4800亩】" in markdown  # removed: 亩 is gone from the changed rules
    assert "年均增速【42%】" in markdown  # changed: 增速 no longer a cue
    assert "打造园区平台【4800" in terminal and "年均增速【42%】" in terminal  # a long cell folds
