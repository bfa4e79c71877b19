"""The report's page: one HTML file with its CSS, script and data inline.

The page's template, style sheet and script are package files (page/report.html,
report.css, report.js), read with importlib.resources and written inline.

Nothing is fetched: no CDN, no font, no framework, so the file works offline and
can be mailed. The data travels as JSON in a <script type="application/json">
element, with every "<" escaped so no text can close the element early. The
script (plain JavaScript) builds the filters, the table and the counts from it.
"""
from __future__ import annotations

import html
import json
from functools import cache
from importlib import resources

# Dimension -> (background, underline): light fills that keep the text readable,
# with a darker line under each mark so neighbouring marks stay apart.
DIMENSIONS = {
    "currency": ("#ffe08a", "#c99a00"),
    "percent": ("#b8ebb0", "#3f9a34"),
    "percentage_point": ("#dcf5c8", "#7bb94f"),
    "count": ("#bcdcff", "#3a7fd0"),
    "area": ("#f9c3b2", "#d0643f"),
    "length": ("#e3cdfb", "#8c5ad0"),
    "mass": ("#dccfca", "#8b6d62"),
    "volume": ("#aee9e3", "#2b9c90"),
    "power": ("#ffc9e3", "#d0508f"),
    "energy": ("#ffd6ad", "#d98324"),
    "duration": ("#d3dbff", "#5b6fd6"),
    "ratio": ("#e8f0a0", "#9aa72a"),
    "other": ("#e0e0e0", "#8a8a8a"),
}


@cache
def _asset(name: str) -> str:
    return resources.files("pipeline.review").joinpath("page", name).read_text(encoding="utf-8")


def render_page(docs: list[dict], facts: list[dict], metadata: dict[str, str],
                problems: list[str], title: str) -> str:
    """The whole page: docs carry their highlighted html, facts their formatted fields."""
    columns = list(facts[0]) if facts else []
    data = {"docs": docs, "columns": columns, "dimensions": list(DIMENSIONS),
            "facts": [[fact[name] for name in columns] for fact in facts]}
    return _asset("report.html").format(title=html.escape(title), css=_asset("report.css"),
                                        dimension_css=dimension_css(),
                                        meta=html.escape(meta_line(docs, facts, metadata)),
                                        problems=problem_list(problems), legend=legend(facts),
                                        data=json_for_script(data), script=_asset("report.js"))


def json_for_script(data) -> str:
    """JSON that is safe inside a <script> element: "<" is written \\u003c, so neither
    </script> nor <!-- in a document's text can end or change the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def dimension_css() -> str:
    return "".join(f"\n.d-{name} {{ background: {fill}; border-bottom-color: {line}; }}"
                   for name, (fill, line) in DIMENSIONS.items())


def legend(facts: list[dict]) -> str:
    counts = {name: 0 for name in DIMENSIONS}
    for fact in facts:
        counts[fact["dimension"] if fact["dimension"] in counts else "other"] += 1
    return "".join(f'<button type="button" class="d-{name}" data-dimension="{name}">{name} {count}</button>'
                   for name, count in counts.items() if count)


def problem_list(problems: list[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems)
    return f'<ul class="problems" id="problems">{items}</ul>'


def meta_line(docs: list[dict], facts: list[dict], metadata: dict[str, str]) -> str:
    parts = [f"{len(docs)} documents, {len(facts)} facts"]
    if metadata.get("run_time"):
        parts.append(f"extracted {metadata['run_time']}")
    if metadata.get("pipeline_version"):
        parts.append(f"pipeline {metadata['pipeline_version']}")
    if metadata.get("rules_digest"):
        parts.append(f"rules {metadata['rules_digest'][:12]}")
    parts.append("highlights coloured by dimension; a fact inside another is nested in its mark")
    return " · ".join(parts)
