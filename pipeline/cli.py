"""Command line: python -m pipeline extract | rules check | explain | report."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from pipeline.documents import normalise_date
from pipeline.rules import RuleError, load_rules
from pipeline.run import DEFAULT_RULES, run_extract

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract typed fact rows from Chinese prose.")
rules_app = typer.Typer(no_args_is_help=True, help="Work with the rule files.")
app.add_typer(rules_app, name="rules")

RULES_OPTION = typer.Option(DEFAULT_RULES, "--rules", help="Folder of rule files (*.toml).")


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Files or folders: .txt/.md documents, .csv/.jsonl/.parquet tables."),
    out: Path = typer.Option(..., "--out", help="Folder for facts.parquet and docs.parquet."),
    rules: Path = RULES_OPTION,
    text_column: Optional[str] = typer.Option(None, help="Table column with the text."),
    id_column: Optional[str] = typer.Option(None, help="Table column with the document id."),
    date_column: Optional[str] = typer.Option(None, help="Table column with the document date."),
    title_column: Optional[str] = typer.Option(None, help="Table column with the title."),
    date: Optional[str] = typer.Option(None, help="Date of every document without one, YYYY-MM-DD."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
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
    try:
        summary = run_extract(paths, out, rules, jobs=jobs, text_column=text_column,
                              id_column=id_column, date_column=date_column,
                              title_column=title_column, default_date=default_date)
    except RuleError as exc:
        typer.echo(f"rule error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(summary.line(out))


@rules_app.command("check")
def rules_check(rules: Path = RULES_OPTION) -> None:
    """Load and validate every rule file and run every rule's examples."""
    from pipeline.examples import check_examples, context_examples, context_problems

    try:
        ruleset = load_rules(rules)
    except RuleError as exc:
        typer.echo(f"FAIL {exc}", err=True)
        raise typer.Exit(1)
    results = check_examples(ruleset)
    failures = [r for r in results if not r.ok]
    for result in failures:
        typer.echo(f"FAIL {result.describe()}", err=True)
    context_failures = context_problems(ruleset)
    for where, text, problems in context_failures:
        typer.echo(f"FAIL {where}: {text!r}: {'; '.join(problems)}", err=True)
    context_count = len(context_examples(ruleset)) + len(ruleset.metrics.examples)
    known = sum(1 for r in results if r.example.known_failure and r.ok)
    typer.echo(f"{len(ruleset.rules)} rules, {len(results)} examples: "
               f"{len(results) - len(failures) - known} passed, {known} known failures, {len(failures)} failed; "
               f"{context_count} cue, period, label, entity and metric examples, {len(context_failures)} failed")
    if failures or context_failures:
        raise typer.Exit(1)


@app.command()
def explain(text: str = typer.Argument(..., help="The text to explain."), rules: Path = RULES_OPTION) -> None:
    """Show every candidate span, the rule that fired or was rejected and why, and the rows."""
    from pipeline.explain import explain_text

    try:
        ruleset = load_rules(rules)
    except RuleError as exc:
        typer.echo(f"rule error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(explain_text(text, ruleset))


@app.command()
def report(
    out_dir: Path = typer.Argument(..., help="Output folder of extract (facts.parquet, docs.parquet)."),
    html: Path = typer.Option(..., "--html", help="The HTML file to write."),
) -> None:
    """Write one offline HTML page: each document's text with its facts highlighted, and a fact table."""
    from pipeline.report import ReportError, write_report

    try:
        result = write_report(out_dir, html)
    except ReportError as exc:
        typer.echo(f"report error: {exc}", err=True)
        raise typer.Exit(2)
    for problem in result.problems:
        typer.echo(f"warning: {problem}", err=True)
    typer.echo(result.line(html))
