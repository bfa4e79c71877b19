"""Command line: python -m pipeline extract | rules check | explain | report | snapshot | diff | show | export."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from pipeline.paths import DEFAULT_RULES, SNAPSHOT_DIR
from pipeline.read.dates import normalise_date
from pipeline.ruleset.errors import RuleError
from pipeline.ruleset.load import load_rules
from pipeline.run import run_extract
from pipeline.terminal import printable
from pipeline.work import TIME_LIMIT
from pipeline.write.output import OutputError

app = typer.Typer(no_args_is_help=True,
                  help="Extract typed fact rows from Chinese prose.")
rules_app = typer.Typer(no_args_is_help=True, help="Work with the rule files.")
app.add_typer(rules_app, name="rules")

RULES_OPTION = typer.Option(DEFAULT_RULES, "--rules", help="Folder of rule files (*.toml).")


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _print_version(asked: bool) -> None:
    if not asked:
        return
    from pipeline import __version__
    from pipeline.ruleset.files import read_rule_files

    try:
        digest = read_rule_files(DEFAULT_RULES)[1]
    except RuleError as exc:
        digest = f"unreadable ({exc})"
    typer.echo(f"pipeline {__version__}, rules {DEFAULT_RULES} sha256 {digest}")
    raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print the version and the digest of the shipped rules.")) -> None:
    """Extract typed fact rows from Chinese prose."""


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Files or folders: .txt/.md documents, .csv/.jsonl/.parquet tables."),
    out: Path = typer.Option(..., "--out", help="Folder for facts.parquet and docs.parquet (--engine dask: "
                             "facts/ and docs/, a part per piece of input)."),
    rules: Path = RULES_OPTION,
    text_column: Optional[str] = typer.Option(None, help="Table column with the text."),
    id_column: Optional[str] = typer.Option(None, help="Table column with the document id."),
    date_column: Optional[str] = typer.Option(None, help="Table column with the document date."),
    title_column: Optional[str] = typer.Option(None, help="Table column with the title."),
    date: Optional[str] = typer.Option(None, help="Date of every document without one, YYYY-MM-DD."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes (of the LocalCluster, with --engine dask)."),
    engine: Engine = typer.Option(Engine.local, help="local: this process and --jobs workers, one file per table. "
                                  "dask: a Dask cluster, a folder of parts per table (pip install 'zh-facts[dask]')."),
    scheduler: Optional[str] = typer.Option(None, help="With --engine dask: the address of a running Dask scheduler "
                                            "(tcp://host:8786); without it, a LocalCluster of --jobs workers."),
    reproducible: bool = typer.Option(False, help="The same inputs and rules give the same bytes: no run time "
                                      "(unless SOURCE_DATE_EPOCH sets it) and no absolute paths in the metadata."),
    follow_symlinks: bool = typer.Option(False, help="Read links in the folders given that lead out of them, "
                                         "and walk linked folders."),
    time_limit: float = typer.Option(TIME_LIMIT, min=0.001, help="Seconds a document may take per million "
                                     "characters (a million at least); one over it is an error row."),
) -> None:
    """Extract every figure of the documents under PATHS into Parquet."""
    default_date = None
    if date is not None:
        default_date = normalise_date(date)
        if default_date is None:
            raise typer.BadParameter(f"not a date: {date!r} (use YYYY-MM-DD)", param_hint="--date")
    for path in paths:
        if not path.exists():
            raise typer.BadParameter(f"no such file or folder: {path}", param_hint="PATHS")
    if scheduler and engine is not Engine.dask:
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    options = dict(jobs=jobs, time_limit=time_limit, reproducible=reproducible, text_column=text_column,
                   id_column=id_column, date_column=date_column, title_column=title_column,
                   default_date=default_date, follow_symlinks=follow_symlinks)
    try:
        if engine is Engine.dask:
            from pipeline.dask_engine import DaskMissing, PieceFailed, run_dask

            try:
                summary = run_dask(paths, out, rules, scheduler=scheduler, **options)
            except DaskMissing as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2)
            except PieceFailed as exc:
                typer.echo(f"error: {printable(str(exc), lines=False)}", err=True)
                raise typer.Exit(1)
        else:
            summary = run_extract(paths, out, rules, **options)
    except RuleError as exc:
        typer.echo(f"rule error: {exc}", err=True)
        raise typer.Exit(2)
    except OutputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    for source, columns in summary.columns.items():
        read = ", ".join(f"{role} {name or '—'}" for role, name in columns.items())
        typer.echo(printable(f"{source}: columns read: {read}", lines=False), err=True)
    for doc_id, status, reason in summary.problems:
        typer.echo(f"{status}: {printable(doc_id, lines=False)}: {printable(reason, lines=False)}", err=True)
    unnamed = summary.skipped + summary.errors - len(summary.problems)
    if unnamed:
        typer.echo(f"… and {unnamed} more skipped or failed (docs.parquet has every reason)", err=True)
    typer.echo(summary.line(out))
    if not summary.documents:
        typer.echo("error: no documents found (read: .txt and .md files; .csv, .jsonl and .parquet tables)", err=True)
        raise typer.Exit(2)
    # 1 when a document could not be read or extracted: the output is written all the same.
    raise typer.Exit(1 if summary.errors else 0)


@rules_app.command("check")
def rules_check(rules: Path = RULES_OPTION) -> None:
    """Load and validate every rule file and run every example of every table."""
    from pipeline.ruleset.check import check_examples

    try:
        ruleset = load_rules(rules)
        results = check_examples(ruleset)
    except RuleError as exc:
        typer.echo(f"FAIL {exc}", err=True)
        raise typer.Exit(1)
    except Exception as exc:  # a rule-file mistake no check names yet: say so, never a traceback
        typer.echo(f"FAIL {rules}: the rule files could not be loaded ({type(exc).__name__}: {exc}); "
                   "no check names this mistake yet, please report it", err=True)
        raise typer.Exit(1)
    failures = [r for r in results if not r.ok]
    for result in failures:
        typer.echo(f"FAIL {result.describe()}", err=True)
    known = sum(1 for r in results if r.example.known_failure and r.ok)
    of_rules = sum(len(rule.examples) for rule in ruleset.rules)
    typer.echo(f"{len(ruleset.rules)} rules, {len(results)} examples ({of_rules} of rules, "
               f"{len(results) - of_rules} of the other tables): {len(results) - len(failures) - known} passed, "
               f"{known} known failures, {len(failures)} failed")
    if failures:
        raise typer.Exit(1)


@app.command()
def explain(
    text: str = typer.Argument(..., help="The text to explain."),
    rules: Path = RULES_OPTION,
    date: Optional[str] = typer.Option(None, help="The text's date, YYYY-MM-DD (resolves 今年, 一季度 …)."),
    title: Optional[str] = typer.Option(None, help="The text's title (its scope and region)."),
) -> None:
    """Show every candidate span, the rule that fired or was rejected and why, and the rows
    with why each means what it does (period, cue, label words, metric alias, target)."""
    day = normalise_date(date) if date is not None else None
    if date is not None and day is None:
        raise typer.BadParameter(f"not a date: {date!r} (use YYYY-MM-DD)", param_hint="--date")
    from pipeline.find.explain import explain_text

    try:
        ruleset = load_rules(rules)
    except RuleError as exc:
        typer.echo(f"rule error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(explain_text(text, ruleset, day, title))


@app.command()
def report(
    out_dir: Path = typer.Argument(..., help="Output folder of extract (facts.parquet, docs.parquet)."),
    html: Path = typer.Option(..., "--html", help="The HTML file to write."),
) -> None:
    """Write one offline HTML page: each document's text with its facts highlighted, and a fact table."""
    from pipeline.review.report import ReportError, write_report

    try:
        result = write_report(out_dir, html)
    except ReportError as exc:
        typer.echo(f"report error: {exc}", err=True)
        raise typer.Exit(2)
    for problem in result.problems:
        typer.echo(f"warning: {problem}", err=True)
    typer.echo(result.line(html))


# Reviewing extraction changes: snapshot, diff, show (README "Reviewing extraction changes").

class DiffFormat(str, Enum):
    terminal = "terminal"
    markdown = "markdown"


@app.command()
def snapshot(
    out_dir: Optional[Path] = typer.Argument(None, metavar="DIR",
                                             help="Folder for the files (default: tests/snapshots)."),
    rules: Path = RULES_OPTION,
) -> None:
    """Write the facts of the reference documents as text, one file per set, one line per fact."""
    from pipeline.review.snapshot import write_snapshots

    try:
        for path, facts, changed in write_snapshots(out_dir or SNAPSHOT_DIR, rules):
            typer.echo(f"{_relative(path)}: {facts} facts, {'written' if changed else 'unchanged'}")
    except (RuleError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The old run: its folder, its facts.parquet or its folder of parts (facts/)."),
    new: Path = typer.Argument(..., help="The new run: its folder, its facts.parquet or its folder of parts (facts/)."),
    output_format: DiffFormat = typer.Option(DiffFormat.terminal, "--format",
                                             help="terminal tables or Markdown for a pull request."),
    max_rows: Optional[int] = typer.Option(None, "--max-rows", min=0,
                                           help="Most rows listed per section; 0 lists all "
                                                "(default: all in the terminal, 50 in Markdown)."),
    exit_code: bool = typer.Option(False, "--exit-code",
                                   help="Exit with 1 when the runs differ, 0 when they do not."),
) -> None:
    """Facts added, removed and changed per document, matched by doc_id and span."""
    from pipeline.review.diff import diff_facts
    from pipeline.review.diff_output import MARKDOWN_LIMIT, diff_markdown, print_diff
    from pipeline.review.facts_file import FactsFileError, read_facts

    try:
        result = diff_facts(read_facts(old), read_facts(new))
    except FactsFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    if output_format is DiffFormat.markdown:
        _write_utf8(diff_markdown(result, MARKDOWN_LIMIT if max_rows is None else max_rows))
    else:
        print_diff(result, _console(), max_rows)
    if exit_code and result.differs:
        raise typer.Exit(1)


@app.command()
def show(
    file: Path = typer.Argument(..., help="A run's folder, its facts.parquet or its folder of parts (facts/)."),
    doc: Optional[str] = typer.Option(None, "--doc",
                                      help="Only this doc_id (a shell pattern works: 'reports#*')."),
    metric: Optional[str] = typer.Option(None, "--metric", help="Only facts of this metric key (gdp, ...)."),
    plain: bool = typer.Option(False, "--plain",
                               help="One stable tab-separated line per fact (for git textconv)."),
) -> None:
    """The rows of a facts table, as a table to read or as plain lines."""
    from pipeline.review.facts_file import FactsFileError, facts_path, read_table
    from pipeline.review.show import nothing_matched, plain_lines, print_rows, select_rows

    try:
        table = read_table(file)
    except FactsFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    all_rows = table.to_pylist()
    rows = select_rows(all_rows, doc, metric)
    if not rows and (doc or metric) and not plain:  # plain lines are for machines (git textconv)
        for line in nothing_matched(all_rows, doc, metric):
            typer.echo(printable(line), err=True)
    if plain:
        _write_utf8("\n".join(plain_lines(table, rows)) + "\n")
    else:
        print_rows(_console(), table, rows, str(facts_path(file)))


@app.command("export")
def export_command(
    run: Path = typer.Argument(..., help="An output folder (or its facts.parquet)."),
    to: Path = typer.Option(..., "--to", help="The file to write."),
    format_: str = typer.Option("csv", "--format", help="csv (UTF-8 with BOM, for spreadsheets) or jsonl."),
    docs: bool = typer.Option(False, "--docs", help="Export docs.parquet instead of the facts."),
) -> None:
    """A run's facts (or documents) as CSV or JSON Lines, with the Parquet file's columns."""
    from pipeline.review.export import FORMATS, export
    from pipeline.review.facts_file import FactsFileError

    if format_ not in FORMATS:
        raise typer.BadParameter(f"{format_!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        rows = export(run, to, format_, "docs" if docs else "facts")
    except FactsFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(f"{rows} rows -> {to}")


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:  # outside the working folder: the path as given
        return path


def _console():
    from rich.console import Console

    # Piped or captured output gets no colours (rich's own choice) and a wide page
    # rather than rich's default 80 columns, so table rows are not folded.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _write_utf8(text: str) -> None:
    """UTF-8 whatever the locale: git textconv and PR comments expect it."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
