"""The shape of the package: small modules, no import cycle, one home for the fact's
columns, review commands that do not load the extractor, a code map that matches."""
import ast
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from pipeline.fact import DOC_COLUMNS, DOC_REPORTED, FACT_COLUMNS, FACT_VIEWS

PACKAGE = ROOT / "pipeline"
MODULES = sorted(PACKAGE.rglob("*.py"))
LONGEST_MODULE = 400


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path) -> set[str]:
    """The pipeline modules a module imports when it runs (imports made only for type
    checking, under `if TYPE_CHECKING:`, are left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and getattr(block.test, "id", None) == "TYPE_CHECKING" for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("pipeline"))
    return found


def test_no_module_is_over_400_lines():
    long = {module_name(path): n for path in MODULES
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE}
    assert not long


def test_no_import_cycle():
    names = {module_name(path): path for path in MODULES}
    graph = {name: {d for d in imports(path) if d in names and d != name} for name, path in names.items()}
    state: dict[str, str] = {}

    def visit(name, path):
        state[name] = "open"
        for dependency in sorted(graph[name]):
            assert state.get(dependency) != "open", " -> ".join(path + [dependency])
            if dependency not in state:
                visit(dependency, path + [dependency])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


@pytest.mark.parametrize("view", sorted(FACT_VIEWS))
def test_every_view_names_columns_of_the_fact(view):
    columns = FACT_VIEWS[view]
    assert columns and set(columns) <= set(FACT_COLUMNS) and len(set(columns)) == len(columns)


def test_the_fact_has_the_columns_of_facts_md_in_their_order():
    schema = (ROOT.parent / "shared" / "FACTS.md")
    if not schema.exists():
        pytest.skip("../shared/FACTS.md is not beside the project")
    table = schema.read_text(encoding="utf-8").split("## Row schema")[1].split("\n## ")[0]
    written = [name.strip() for line in table.splitlines() if line.startswith("| ") and "---" not in line
               for name in line.split("|")[1].split(",")]
    # period_start and period_end are FACTS.md's newer columns, not extracted yet.
    assert [n for n in written if n in FACT_COLUMNS or n not in ("column", "period_start", "period_end")] \
        == list(FACT_COLUMNS)
    assert set(DOC_REPORTED) <= set(DOC_COLUMNS)


def test_column_lists_are_written_only_in_fact_py():
    """No other module spells out a run of fact columns: they take a view of pipeline.fact."""
    for path in MODULES:
        if path.name == "fact.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                names = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                assert len([n for n in names if n in FACT_COLUMNS]) < 4, f"{path.name}:{node.lineno}: {names}"


def test_show_and_diff_do_not_load_the_extractor():
    # git's textconv runs `pipeline show --plain` once per file of a diff.
    script = ("import sys, pipeline.review.show, pipeline.review.diff, pipeline.review.diff_output; "
              "print(sorted(m for m in sys.modules if m.startswith(('pipeline.ruleset', 'pipeline.extract', "
              "'pipeline.find', 'pipeline.meaning', 'jieba', 'regex'))))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_the_readme_code_map_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code_map = readme.split("## Code map")[1].split("\n## ")[0]
    named, folder = set(), ""
    for line in code_map.splitlines():
        if not line.startswith("| ") or "---" in line:
            continue
        stage, modules = line.split("|")[1:3]
        found = re.search(r"`(\w+)/`", stage)
        folder = found.group(1) + "/" if found else (folder if not stage.strip() else "")
        for module in re.findall(r"`([\w/]+\.py|page/)`", modules):
            named.add(module if module.startswith("pipeline/") else f"pipeline/{folder}{module}")
    on_disk = {str(path.relative_to(ROOT)) for path in MODULES if path.name != "__init__.py"}
    on_disk.add("pipeline/review/page/")
    assert named == on_disk


def test_tests_that_read_the_corpus_skip_without_it_and_fail_in_ci(tmp_path, monkeypatch):
    import conftest

    class Item:
        def __init__(self, marked):
            self.keywords = {"corpus": True} if marked else {}
            self.markers = []

        def add_marker(self, marker):
            self.markers.append(marker)

    monkeypatch.setattr(conftest, "CORPUS", tmp_path / "absent")
    monkeypatch.delenv("CI", raising=False)
    reading, other = Item(True), Item(False)
    conftest.pytest_collection_modifyitems(None, [reading, other])
    assert [m.kwargs["reason"] for m in reading.markers] == [conftest.MISSING_CORPUS] and not other.markers
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.UsageError, match="CI is set but the reference corpus is not at"):
        conftest.pytest_collection_modifyitems(None, [Item(True)])
