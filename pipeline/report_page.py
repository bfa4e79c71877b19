"""The report's page: one HTML file with its CSS, script and data inline.

Nothing is fetched: no CDN, no font, no framework, so the file works offline and
can be mailed. The data travels as JSON in a <script type="application/json">
element, with every "<" escaped so no text can close the element early. The
script (plain JavaScript) builds the filters, the table and the counts from it.
"""
from __future__ import annotations

import html
import json

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

CSS = """
html, body { height: 100%; margin: 0; }
body { display: grid; grid-template-rows: auto minmax(0, 3fr) minmax(0, 2fr);
  grid-template-columns: minmax(0, 1fr); height: 100vh;
  overflow: hidden; font: 14px/1.4 system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei",
  "PingFang SC", "Microsoft YaHei", sans-serif; color: #1d232b; background: #f6f7f9; }
header { padding: 8px 16px 6px; background: #fff; border-bottom: 1px solid #d8dde4; }
h1 { font-size: 17px; margin: 0 0 2px; }
h2 { font-size: 14px; margin: 0 0 6px; }
.meta { color: #5a6470; margin: 0 0 6px; font-size: 12px; }
.problems { margin: 0 0 6px; padding: 4px 8px 4px 24px; max-height: 5.5em; overflow: auto;
  background: #fff1f0; border: 1px solid #f0b4ae; border-radius: 4px; color: #8a1c12; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
.controls select { max-width: 22em; font: inherit; }
#legend { display: flex; flex-wrap: wrap; gap: 4px; }
#legend button { font: inherit; font-size: 12px; border: 0; border-bottom: 2px solid;
  border-radius: 3px; padding: 1px 6px; cursor: pointer; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 360px; min-height: 0; }
#doc-pane { display: flex; flex-direction: column; min-height: 0; padding: 8px 16px; }
#doc-source { color: #5a6470; font-size: 12px; margin: -4px 0 6px; }
.note { margin: 0 0 6px; padding: 4px 8px; background: #fff1f0; border: 1px solid #f0b4ae;
  border-radius: 4px; color: #8a1c12; }
#doc-text { flex: 1; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere;
  font-size: 16px; line-height: 1.9; padding: 10px 14px; background: #fff;
  border: 1px solid #d8dde4; border-radius: 4px; }
mark { color: inherit; border-bottom: 2px solid; border-radius: 2px; padding: 0 1px; cursor: pointer; }
mark mark { padding: 0; }
mark.faded { background: transparent !important; border-bottom-color: #ccd1d8 !important; }
mark.selected { outline: 2px solid #111; outline-offset: 1px; }
mark:focus-visible { outline: 2px dashed #111; outline-offset: 1px; }
#side { overflow: auto; padding: 8px 16px 8px 0; }
#side section { background: #fff; border: 1px solid #d8dde4; border-radius: 4px;
  padding: 8px 10px; margin-bottom: 8px; }
#details dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 10px; margin: 0; }
#details dt { color: #5a6470; }
#details dd { margin: 0; overflow-wrap: anywhere; }
#details dd[data-field="value"], #details dd[data-field="text"] { font-weight: 600; }
.hint { color: #5a6470; margin: 0; }
.counts { max-height: 14em; overflow: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid #e6e9ee; vertical-align: top; }
th { position: sticky; top: 0; background: #eef1f5; font-weight: 600; }
#facts-table td { white-space: nowrap; }
#facts-table.one-doc tr > :first-child { display: none; }
#facts-table td.wrap { white-space: normal; min-width: 10em; max-width: 24em; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #f1f5fb; }
tbody tr.selected { background: #fff3c4; }
#facts-pane { display: flex; flex-direction: column; min-height: 0; padding: 6px 16px 10px;
  border-top: 1px solid #d8dde4; background: #fff; }
#facts-scroll { overflow: auto; flex: 1; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 4px; }
"""

SCRIPT = r"""
(function () {
  "use strict";
  const NONE = "(none)";  // metric filter value of facts without a metric
  const DETAILS = [["text", "Text"], ["value", "Value"], ["value_max", "Value max"], ["unit", "Unit"],
    ["dimension", "Dimension"], ["qualifier", "Qualifier"], ["metric", "Metric"],
    ["metric_label", "Metric label"], ["aspect", "Aspect"], ["change", "Change"],
    ["previous_value", "Previous value"], ["previous_period", "Previous period"], ["period", "Period"],
    ["is_target", "Target"], ["entity", "Entity"], ["section", "Section"], ["rule_id", "Rule"],
    ["doc", "Document"], ["fact_id", "Fact id"]];
  const TABLE = [["doc", "Document"], ["text", "Text"], ["value", "Value"], ["unit", "Unit"],
    ["dimension", "Dimension"], ["qualifier", "Qualifier"], ["metric", "Metric"],
    ["metric_label", "Metric label"], ["aspect", "Aspect"], ["period", "Period"],
    ["is_target", "Target"], ["note", "Note"]];
  const NUMBERS = new Set(["value", "value_max", "previous_value"]);
  const WRAPPED = new Set(["metric_label", "note"]);
  // Laying out thousands of table rows takes a second or more, so a large report
  // opens on its first document; "All documents" still lists every row.
  const MANY_FACTS = 2000;

  const data = JSON.parse(document.getElementById("report-data").textContent);
  const docs = data.docs;
  const facts = data.facts.map((values) => {
    const fact = {};
    data.columns.forEach((name, i) => { fact[name] = values[i]; });
    return fact;
  });
  const byId = (id) => document.getElementById(id);
  const docFilter = byId("filter-doc"), metricFilter = byId("filter-metric");
  const dimensionFilter = byId("filter-dimension"), docText = byId("doc-text");
  const rows = [];
  const state = { doc: null, selected: null };

  const metricKey = (fact) => (fact.metric === null ? NONE : fact.metric);

  function shown(fact, name) {
    const value = fact[name];
    if (name === "doc") return docs[value].doc_id;
    if (value === null || value === undefined) return "";
    if (typeof value === "boolean") return value ? "yes" : "no";
    return String(value);
  }

  function countBy(list, key) {
    const counts = new Map();
    list.forEach((item) => counts.set(key(item), (counts.get(key(item)) || 0) + 1));
    return counts;
  }

  function addOption(select, value, label) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    select.appendChild(option);
  }

  function fillFilters() {
    const perDoc = countBy(facts, (fact) => fact.doc);
    addOption(docFilter, "", "All documents (" + docs.length + ")");
    docs.forEach((doc, i) => addOption(docFilter, String(i), doc.doc_id + " (" + (perDoc.get(i) || 0) + ")"));
    const perMetric = countBy(facts, metricKey);
    addOption(metricFilter, "", "All metrics");
    addOption(metricFilter, NONE, "(no metric) (" + (perMetric.get(NONE) || 0) + ")");
    [...perMetric.keys()].filter((key) => key !== NONE).sort()
      .forEach((key) => addOption(metricFilter, key, key + " (" + perMetric.get(key) + ")"));
    const perDimension = countBy(facts, (fact) => fact.dimension);
    addOption(dimensionFilter, "", "All dimensions");
    data.dimensions.filter((name) => perDimension.has(name))
      .forEach((name) => addOption(dimensionFilter, name, name + " (" + perDimension.get(name) + ")"));
  }

  function buildTable() {
    const head = byId("facts-table").tHead.insertRow();
    TABLE.forEach(([, label]) => { head.appendChild(document.createElement("th")).textContent = label; });
    const body = document.createDocumentFragment();
    facts.forEach((fact, n) => {
      const row = document.createElement("tr");
      row.dataset.fact = n;
      row.tabIndex = 0;
      TABLE.forEach(([name]) => {
        const cell = row.insertCell();
        cell.textContent = name === "is_target" ? (fact.is_target ? "yes" : "") : shown(fact, name);
        if (NUMBERS.has(name)) cell.className = "number";
        if (WRAPPED.has(name)) cell.className = "wrap";
      });
      rows.push(row);
      body.appendChild(row);
    });
    byId("facts-table").tBodies[0].appendChild(body);
  }

  function buildDocCounts() {
    const perDoc = countBy(facts, (fact) => fact.doc);
    const body = byId("doc-counts").tBodies[0];
    docs.forEach((doc, i) => {
      const row = body.insertRow();
      row.dataset.doc = i;
      row.tabIndex = 0;
      row.insertCell().textContent = doc.doc_id + (doc.html === null ? " (no text)" : "");
      const cell = row.insertCell();
      cell.textContent = perDoc.get(i) || 0;
      cell.className = "number";
    });
  }

  function fillMetricCounts() {
    const all = docFilter.value === "", doc = Number(docFilter.value);
    const scope = all ? facts : facts.filter((fact) => fact.doc === doc);
    byId("metric-scope").textContent = all ? "all documents" : docs[doc].doc_id;
    const body = byId("metric-counts").tBodies[0];
    body.textContent = "";
    [...countBy(scope, metricKey).entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .forEach(([key, count]) => {
        const row = body.insertRow();
        row.dataset.metric = key;
        row.tabIndex = 0;
        row.insertCell().textContent = key === NONE ? "(no metric)" : key;
        const cell = row.insertCell();
        cell.textContent = count;
        cell.className = "number";
      });
  }

  function matches(fact, anyDoc) {
    return (anyDoc || docFilter.value === "" || fact.doc === Number(docFilter.value))
      && (metricFilter.value === "" || metricKey(fact) === metricFilter.value)
      && (dimensionFilter.value === "" || fact.dimension === dimensionFilter.value);
  }

  function applyFilters() {
    let count = 0;
    facts.forEach((fact, n) => {
      const show = matches(fact, false);
      rows[n].hidden = !show;
      if (show) count += 1;
    });
    byId("row-count").textContent = count + " of " + facts.length + " facts";
    // The document column says nothing when every row is of one document.
    byId("facts-table").classList.toggle("one-doc", docFilter.value !== "" || docs.length === 1);
    fadeMarks();
    fillMetricCounts();
  }

  // Marks outside the metric and dimension filters stay in the text but lose their colour.
  function fadeMarks() {
    docText.querySelectorAll("mark").forEach((mark) =>
      mark.classList.toggle("faded", !matches(facts[Number(mark.dataset.fact)], true)));
  }

  function showDoc(i) {
    state.doc = i;
    const doc = docs[i];
    byId("doc-title").textContent = [doc.doc_id, doc.title, doc.date].filter(Boolean).join(" · ");
    byId("doc-source").textContent = "source " + doc.source + " · " + doc.characters + " characters";
    byId("doc-note").textContent = doc.note || "";
    byId("doc-note").hidden = !doc.note;
    docText.innerHTML = doc.html || "";  // built and escaped by the report writer
    docText.hidden = doc.html === null;
    docText.scrollTop = 0;
    fadeMarks();
    const mark = state.selected === null ? null : byId("f" + state.selected);
    if (mark) mark.classList.add("selected");
  }

  function select(n, scroll) {
    if (state.selected !== null) {
      rows[state.selected].classList.remove("selected");
      const old = byId("f" + state.selected);
      if (old) old.classList.remove("selected");
    }
    state.selected = n;
    if (facts[n].doc !== state.doc) showDoc(facts[n].doc);
    const mark = byId("f" + n);
    if (mark) {
      mark.classList.add("selected");
      if (scroll) mark.scrollIntoView({ block: "center" });
    }
    rows[n].classList.add("selected");
    if (!scroll && !rows[n].hidden) keepRowInView(rows[n]);
    showDetails(n);
  }

  // Scrolls the table up or down only: scrollIntoView would also scroll it sideways
  // and leave the row under the sticky header.
  function keepRowInView(row) {
    const scroller = byId("facts-scroll"), box = scroller.getBoundingClientRect();
    const top = box.top + byId("facts-table").tHead.offsetHeight, place = row.getBoundingClientRect();
    if (place.top < top) scroller.scrollTop -= top - place.top;
    else if (place.bottom > box.bottom) scroller.scrollTop += place.bottom - box.bottom;
  }

  function showDetails(n) {
    const list = byId("details-list");
    list.textContent = "";
    byId("details-hint").hidden = n !== null;
    if (n === null) return;
    const fact = facts[n];
    const fields = fact.note ? DETAILS.concat([["note", "Note"]]) : DETAILS;
    fields.forEach(([name, label]) => {
      list.appendChild(document.createElement("dt")).textContent = label;
      const value = list.appendChild(document.createElement("dd"));
      value.dataset.field = name;
      value.textContent = shown(fact, name) || "—";
    });
  }

  const factOf = (element) => Number(element.dataset.fact);
  const markAt = (event) => (event.target.closest ? event.target.closest("#doc-text mark") : null);

  function listen() {
    // Filter first: showDoc forces a layout, which is cheap only once the rows are hidden.
    docFilter.addEventListener("change", () => {
      applyFilters();
      if (docFilter.value !== "") showDoc(Number(docFilter.value));
    });
    metricFilter.addEventListener("change", applyFilters);
    dimensionFilter.addEventListener("change", applyFilters);
    // Click gives a mark focus (tabindex), so focusin covers mouse and keyboard alike.
    const onMark = (act) => (event) => { const mark = markAt(event); if (mark) act(factOf(mark)); };
    docText.addEventListener("focusin", onMark((n) => select(n, false)));
    docText.addEventListener("click", onMark((n) => select(n, false)));
    docText.addEventListener("mouseover", onMark(showDetails));
    docText.addEventListener("mouseout", (event) => {
      const to = event.relatedTarget;
      if (!(to && to.closest && to.closest("#doc-text mark"))) showDetails(state.selected);
    });
    onRow(byId("facts-table"), (row) => select(factOf(row), true));
    onRow(byId("doc-counts"), (row) => {
      docFilter.value = row.dataset.doc;
      docFilter.dispatchEvent(new Event("change"));
    });
    onRow(byId("metric-counts"), (row) => { metricFilter.value = row.dataset.metric; applyFilters(); });
    byId("legend").addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      dimensionFilter.value = dimensionFilter.value === button.dataset.dimension ? "" : button.dataset.dimension;
      applyFilters();
    });
  }

  // A body row acts on click, and on Enter or Space when it has keyboard focus.
  function onRow(table, act) {
    const rowOf = (event) => {
      const row = event.target.closest("tr");
      return row && row.parentNode === table.tBodies[0] ? row : null;
    };
    table.addEventListener("click", (event) => { const row = rowOf(event); if (row) act(row); });
    table.addEventListener("keydown", (event) => {
      const row = rowOf(event);
      if (row && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); act(row); }
    });
  }

  fillFilters();
  buildTable();
  buildDocCounts();
  listen();
  const first = Math.max(0, docs.findIndex((doc) => doc.html !== null));
  if (facts.length > MANY_FACTS) docFilter.value = String(first);
  applyFilters();
  if (docs.length) showDoc(first);
  showDetails(null);
  document.body.dataset.ready = "yes";
})();
"""

PAGE = """<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}{dimension_css}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="meta">{meta}</p>
{problems}
<div class="controls">
<label>Document <select id="filter-doc"></select></label>
<label>Metric <select id="filter-metric"></select></label>
<label>Dimension <select id="filter-dimension"></select></label>
<div id="legend" aria-label="Dimensions: click to filter">{legend}</div>
</div>
</header>
<main>
<section id="doc-pane">
<h2 id="doc-title"></h2>
<p id="doc-source"></p>
<p id="doc-note" class="note" hidden></p>
<div id="doc-text" lang="zh"></div>
</section>
<aside id="side">
<section id="details" aria-live="polite">
<h2>Fact</h2>
<p id="details-hint" class="hint">Hover over a highlight, or select it (click, Tab) to keep it here.</p>
<dl id="details-list"></dl>
</section>
<section>
<h2>Facts per metric <span class="hint">(<span id="metric-scope"></span>)</span></h2>
<div class="counts"><table id="metric-counts">
<thead><tr><th>metric</th><th>facts</th></tr></thead><tbody></tbody></table></div>
</section>
<section>
<h2>Facts per document</h2>
<div class="counts"><table id="doc-counts">
<thead><tr><th>document</th><th>facts</th></tr></thead><tbody></tbody></table></div>
</section>
</aside>
</main>
<section id="facts-pane">
<h2>Facts <span id="row-count" class="hint"></span></h2>
<div id="facts-scroll"><table id="facts-table"><thead></thead><tbody></tbody></table></div>
</section>
<script type="application/json" id="report-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""


def render_page(docs: list[dict], facts: list[dict], metadata: dict[str, str],
                problems: list[str], title: str) -> str:
    """The whole page: docs carry their highlighted html, facts their formatted fields."""
    columns = list(facts[0]) if facts else []
    data = {"docs": docs, "columns": columns, "dimensions": list(DIMENSIONS),
            "facts": [[fact[name] for name in columns] for fact in facts]}
    return PAGE.format(title=html.escape(title), css=CSS, dimension_css=dimension_css(),
                       meta=html.escape(meta_line(docs, facts, metadata)),
                       problems=problem_list(problems), legend=legend(facts),
                       data=json_for_script(data), script=SCRIPT)


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
