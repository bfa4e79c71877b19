
(function () {
  "use strict";
  const NONE = "(none)";  // metric filter value of facts without a metric
  const DETAILS = [["text", "Text"], ["written", "As written"], ["base", "Base value"], ["value", "Value"],
    ["value_max", "Value max"], ["unit", "Unit"],
    ["dimension", "Dimension"], ["qualifier", "Qualifier"], ["metric", "Metric"],
    ["metric_label", "Metric label"], ["aspect", "Aspect"], ["change", "Change"],
    ["previous_value", "Previous value"], ["previous_period", "Previous period"], ["period", "Period"],
    ["is_target", "Target"], ["entity", "Entity"], ["section", "Section"], ["rule_id", "Rule"],
    ["doc", "Document"], ["fact_id", "Fact id"], ["sentence", "Sentence"]];
  const TABLE = [["doc", "Document"], ["text", "Text"], ["written", "As written"], ["base", "Base value"],
    ["dimension", "Dimension"], ["qualifier", "Qualifier"], ["metric", "Metric"],
    ["metric_label", "Metric label"], ["aspect", "Aspect"], ["period", "Period"],
    ["is_target", "Target"], ["note", "Note"]];
  const NUMBERS = new Set(["value", "value_max", "previous_value", "base"]);
  const WRAPPED = new Set(["metric_label", "note"]);
  // Sorting by these columns compares numbers, not text.
  const SORT_KEYS = { base: "number", value: "number" };
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
  const periodFilter = byId("filter-period"), targetFilter = byId("filter-target"), search = byId("search");
  const rows = [];
  const state = { doc: null, selected: null, sort: null };

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
    const perPeriod = countBy(facts, (fact) => (fact.period === null ? NONE : fact.period));
    addOption(periodFilter, "", "All periods");
    [...perPeriod.keys()].sort().forEach((key) =>
      addOption(periodFilter, key, (key === NONE ? "(no period)" : key) + " (" + perPeriod.get(key) + ")"));
  }

  function buildTable() {
    const head = byId("facts-table").tHead.insertRow();
    TABLE.forEach(([name, label]) => {
      const th = head.appendChild(document.createElement("th"));
      th.textContent = label;
      th.dataset.column = name;
      th.tabIndex = 0;
      th.title = "Sort by " + label;
    });
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
    const period = fact.period === null ? NONE : fact.period, words = search.value.trim();
    return (anyDoc || docFilter.value === "" || fact.doc === Number(docFilter.value))
      && (metricFilter.value === "" || metricKey(fact) === metricFilter.value)
      && (dimensionFilter.value === "" || fact.dimension === dimensionFilter.value)
      && (periodFilter.value === "" || period === periodFilter.value)
      && (targetFilter.value === "" || fact.is_target === (targetFilter.value === "yes"))
      && (words === "" || [fact.text, fact.metric_label, fact.sentence].some((field) => (field || "").includes(words)));
  }

  // Sorts the table by a column, ascending, then descending on a second click.
  function sortBy(column) {
    const key = SORT_KEYS[column] || column;
    state.sort = state.sort && state.sort.column === column ? { column, down: !state.sort.down } : { column, down: false };
    const value = (n) => (key === "doc" ? docs[facts[n].doc].doc_id : facts[n][key]);
    const order = facts.map((_, n) => n).sort((a, b) => {
      const x = value(a), y = value(b);
      if (x === y) return a - b;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const less = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return state.sort.down ? -less : less;
    });
    const body = byId("facts-table").tBodies[0];
    order.forEach((n) => body.appendChild(rows[n]));
    byId("facts-table").tHead.querySelectorAll("th").forEach((th) =>
      th.setAttribute("aria-sort", th.dataset.column === column ? (state.sort.down ? "descending" : "ascending") : "none"));
  }

  // The shown rows, in their order, as CSV (for the export button, and for tests).
  function shownCsv() {
    const quote = (text) => '"' + String(text).replace(/"/g, '""') + '"';
    const columns = ["doc", "fact_id", ...TABLE.map(([name]) => name).filter((name) => name !== "doc"), "sentence"];
    const lines = [columns.join(",")];
    [...byId("facts-table").tBodies[0].rows].filter((row) => !row.hidden).forEach((row) => {
      const fact = facts[Number(row.dataset.fact)];
      lines.push(columns.map((name) => quote(shown(fact, name))).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  window.reportCsv = shownCsv;

  function exportCsv() {
    const blob = new Blob(["\ufeff" + shownCsv()], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "facts.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(link.href);
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
    periodFilter.addEventListener("change", applyFilters);
    targetFilter.addEventListener("change", applyFilters);
    search.addEventListener("input", applyFilters);
    byId("export-csv").addEventListener("click", exportCsv);
    const head = byId("facts-table").tHead;
    head.addEventListener("click", (event) => { const th = event.target.closest("th"); if (th) sortBy(th.dataset.column); });
    head.addEventListener("keydown", (event) => {
      const th = event.target.closest("th");
      if (th && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); sortBy(th.dataset.column); }
    });
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
  // Open on the first fact of the document shown, its row and its highlight selected.
  const opening = facts.findIndex((fact) => fact.doc === first && fact.note === null);
  if (opening >= 0) select(opening, true);
  document.body.dataset.ready = "yes";
})();
