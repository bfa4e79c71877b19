"""The HTML report: the page in headless Chromium (highlights, details panel, table
filters, checked against facts.parquet), and the writer's own rules without a browser
(sources checked by hash, markup of overlapping spans, data that cannot close its script)."""
import os
import shutil
import tempfile

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import REPORTS, ROOT, SAMPLE, SAMPLE_DATE
from pipeline.cli import app
from pipeline.review.report import build_report, format_number, highlight, write_report
from pipeline.review.report_page import DIMENSIONS as COLOURED
from pipeline.review.report_page import json_for_script
from pipeline.ruleset.load import DIMENSIONS
from pipeline.run import run_extract

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SCREENSHOT = ROOT / "data" / "out" / "report.png"
# Every mark in the shown document: [index into the page's facts, its text].
MARKS_JS = "return [...document.querySelectorAll('#doc-text mark')].map(m => [Number(m.dataset.fact), m.textContent]);"
VISIBLE_ROWS_JS = "return document.querySelectorAll('#facts-table tbody tr:not([hidden])').length;"
PAGE_FACTS_JS = """const data = JSON.parse(document.getElementById('report-data').textContent);
return data.facts.map(values => values[data.columns.indexOf('fact_id')]);"""


# ---- the page in a browser -------------------------------------------------------

@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample-out")
    run_extract([SAMPLE], out, default_date=SAMPLE_DATE)
    write_report(out, out / "report.html")
    return out


@pytest.fixture(scope="module")
def sample_facts(sample_out):
    return pd.read_parquet(sample_out / "facts.parquet")


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through chromedriver; Selenium Manager never downloads one."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(path)]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        reason = (f"browser test needs {', '.join(missing)}: run `make browser` "
                  f"(installs Debian's chromium and chromium-driver)")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    profile = tempfile.mkdtemp(prefix="report-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", f"--user-data-dir={profile}", "--window-size=1400,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_report(driver, path):
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.as_uri())
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.body.dataset.ready") == "yes")
    return driver


@pytest.fixture(scope="module")
def page(browser, sample_out):
    return open_report(browser, sample_out / "report.html")


def choose(driver, select_id, value):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    Select(driver.find_element(By.ID, select_id)).select_by_value(value)


def details(driver) -> dict[str, str]:
    return driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#details dd')]"
        ".map(dd => [dd.dataset.field, dd.textContent]));")


def mark_of(driver, fact_id):
    """The mark of a fact, found by its fact_id through the page's data."""
    from selenium.webdriver.common.by import By

    index = driver.execute_script(PAGE_FACTS_JS).index(fact_id)
    return driver.find_element(By.ID, f"f{index}")


def test_every_fact_of_the_sample_has_its_highlight(page, sample_facts):
    fact_ids = page.execute_script(PAGE_FACTS_JS)
    marks = page.execute_script(MARKS_JS)
    assert len(marks) == len(sample_facts) == 53
    texts = dict(zip(sample_facts.fact_id, sample_facts.text))
    assert sorted(fact_ids[index] for index, _ in marks) == sorted(texts)
    for index, text in marks:
        assert text == texts[fact_ids[index]], fact_ids[index]


def test_selecting_a_highlight_shows_its_row(page, sample_facts):
    (row,) = sample_facts[sample_facts.text == "4800亩"].itertuples()
    mark_of(page, row.fact_id).click()
    shown = details(page)
    assert (shown["text"], shown["value"], shown["unit"]) == ("4800亩", format_number(row.value), "m2")
    assert shown["value"] == "3,200,000"
    assert shown["metric_label"] == row.metric_label and shown["rule_id"] == row.rule_id


def test_keyboard_focus_and_hover_show_a_row(page, sample_facts):
    from selenium.webdriver.common.action_chains import ActionChains

    (focused,) = sample_facts[sample_facts.text == "600余家"].itertuples()
    page.execute_script("arguments[0].focus();", mark_of(page, focused.fact_id))
    assert (details(page)["value"], details(page)["unit"], details(page)["qualifier"]) == ("600", "家", "at_least")
    (hovered,) = sample_facts[sample_facts.text == "12天"].itertuples()
    ActionChains(page).move_to_element(mark_of(page, hovered.fact_id)).perform()
    assert details(page)["previous_value"] == "34" and details(page)["change"] == "decrease"


def filters_of(facts: pd.DataFrame) -> list[tuple[str, str, str, pd.Series]]:
    """(doc, metric, dimension) filter values and the pandas mask giving the same rows."""
    metric = facts.metric.value_counts().index[0]
    doc = facts.doc_id.iloc[0]
    return [
        ("", metric, "", facts.metric == metric),
        ("", "", "percent", facts.dimension == "percent"),
        ("", "(none)", "count", facts.metric.isna() & (facts.dimension == "count")),
        ("0", "", "currency", (facts.doc_id == doc) & (facts.dimension == "currency")),
        ("0", "", "", facts.doc_id == doc),
    ]


def check_filters(driver, facts: pd.DataFrame) -> None:
    for doc, metric, dimension, mask in filters_of(facts):
        choose(driver, "filter-doc", doc)
        choose(driver, "filter-metric", metric)
        choose(driver, "filter-dimension", dimension)
        assert mask.sum() > 0, (doc, metric, dimension)
        assert driver.execute_script(VISIBLE_ROWS_JS) == mask.sum(), (doc, metric, dimension)
    for select_id in ("filter-doc", "filter-metric", "filter-dimension"):
        choose(driver, select_id, "")


def test_table_filters_give_the_pandas_counts(page, sample_facts):
    check_filters(page, sample_facts)
    assert page.execute_script(VISIBLE_ROWS_JS) == len(sample_facts)


def test_clicking_a_row_scrolls_to_and_selects_its_highlight(page, sample_facts):
    from selenium.webdriver.common.by import By

    row = sample_facts.iloc[-1]  # the last fact sits at the foot of the page, out of view at first
    index = page.execute_script(PAGE_FACTS_JS).index(row.fact_id)
    # Its text cell: Selenium scrolls what it clicks into view, and a whole row is wider than the pane.
    page.find_element(By.CSS_SELECTOR, f'#facts-table tbody tr[data-fact="{index}"] td:nth-child(2)').click()
    mark = page.find_element(By.ID, f"f{index}")
    assert "selected" in mark.get_attribute("class").split()
    assert details(page)["text"] == row.text
    inside = page.execute_script(
        "const m = arguments[0].getBoundingClientRect(), p = document.getElementById('doc-text').getBoundingClientRect();"
        "return m.top >= p.top && m.bottom <= p.bottom;", mark)
    assert inside, "the selected highlight is not scrolled into the text pane"


def test_the_page_opens_on_its_first_fact_with_its_sentence_and_value_as_written(browser, sample_out, sample_facts):
    driver = open_report(browser, sample_out / "report.html")
    first = sample_facts.sort_values(["start"]).iloc[0]
    shown = details(driver)
    assert shown["text"] == first.text and shown["sentence"] == first.sentence
    assert shown["written"] == first.value_raw + first.unit_raw and shown["base"].endswith(first.unit)
    assert driver.execute_script("return document.querySelectorAll('#doc-text mark.selected').length") == 1


def test_search_period_and_target_filters_give_the_pandas_counts(browser, sample_out, sample_facts):
    from selenium.webdriver.common.by import By

    driver = open_report(browser, sample_out / "report.html")
    box = driver.find_element(By.ID, "search")
    box.send_keys("企业")
    words = sample_facts.text.str.contains("企业") | sample_facts.metric_label.fillna("").str.contains("企业") \
        | sample_facts.sentence.str.contains("企业")
    assert driver.execute_script(VISIBLE_ROWS_JS) == words.sum() > 0
    box.clear()
    driver.execute_script("document.getElementById('search').dispatchEvent(new Event('input'))")
    choose(driver, "filter-period", "2024")
    assert driver.execute_script(VISIBLE_ROWS_JS) == (sample_facts.period == "2024").sum() > 0
    choose(driver, "filter-period", "")
    choose(driver, "filter-target", "yes")
    assert driver.execute_script(VISIBLE_ROWS_JS) == sample_facts.is_target.sum()
    # The export holds the rows shown, in their order.
    csv_text = driver.execute_script("return window.reportCsv();")
    assert len(csv_text.strip().split("\r\n")) == 1 + sample_facts.is_target.sum()
    choose(driver, "filter-target", "")


def test_clicking_a_column_head_sorts_the_rows(browser, sample_out, sample_facts):
    from selenium.webdriver.common.by import By

    driver = open_report(browser, sample_out / "report.html")
    head = driver.find_element(By.CSS_SELECTOR, "#facts-table th[data-column='base']")
    first_value = ("const data = JSON.parse(document.getElementById('report-data').textContent);"
                   "const row = document.querySelector('#facts-table tbody tr:not([hidden])');"
                   "return data.facts[Number(row.dataset.fact)][data.columns.indexOf('number')];")
    head.click()
    assert driver.execute_script(first_value) == sample_facts.value.min()
    head.click()
    assert driver.execute_script(first_value) == sample_facts.value.max()
    assert head.get_attribute("aria-sort") == "descending"


def test_screenshot(page, sample_facts):
    """data/out/report.png: the page with a fact selected, for a person to look at."""
    (row,) = sample_facts[sample_facts.text == "超过80%"].itertuples()
    mark_of(page, row.fact_id).click()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert page.save_screenshot(str(SCREENSHOT))


@pytest.mark.corpus
def test_reports_table_with_its_reader_options(browser, tmp_path, monkeypatch):
    """A table input: its rows are found again with the id column the run used. A report
    this large opens on its first document; filters are checked within one document, since
    listing all 4,700 rows takes the browser about a second each time."""
    monkeypatch.chdir(ROOT)  # a relative source path, as users give it
    run_extract([os.path.relpath(REPORTS, ROOT)], tmp_path, id_column="province")
    report = write_report(tmp_path, tmp_path / "report.html")
    facts = pd.read_parquet(tmp_path / "facts.parquet")
    assert report.problems == [] and len(report.docs) == 23
    assert all(fact["note"] is None for fact in report.facts)
    open_report(browser, tmp_path / "report.html")
    assert browser.execute_script("return document.getElementById('filter-doc').value") == "0"
    for position in (0, 7, 22):
        choose(browser, "filter-doc", str(position))
        in_doc = facts.doc_id == report.docs[position]["doc_id"]
        marks = browser.execute_script(MARKS_JS)
        assert len(marks) == browser.execute_script(VISIBLE_ROWS_JS) == in_doc.sum()
        choose(browser, "filter-dimension", "percent")
        assert browser.execute_script(VISIBLE_ROWS_JS) == (in_doc & (facts.dimension == "percent")).sum()
        choose(browser, "filter-dimension", "")
        choose(browser, "filter-metric", "gdp")
        assert browser.execute_script(VISIBLE_ROWS_JS) == (in_doc & (facts.metric == "gdp")).sum()
        choose(browser, "filter-metric", "")


# ---- the writer, without a browser -----------------------------------------------

def test_nested_span_is_nested_and_crossing_span_left_out():
    # 4.5%—5% holds 4.5%; 5%左右 starts inside 4.5%—5% and ends after it.
    markup, crossed = highlight("增长4.5%—5%左右", [(0, 2, 9, "percent"), (1, 2, 6, "percent"),
                                                (2, 7, 11, "percent")])
    assert markup == ('增长<mark id="f0" class="d-percent" data-fact="0" tabindex="0">'
                      '<mark id="f1" class="d-percent" data-fact="1" tabindex="0">4.5%</mark>—5%</mark>左右')
    assert crossed == {2: 0}


def test_text_is_escaped_and_data_cannot_close_its_script():
    markup, _ = highlight("a<b>&</script>", [(0, 1, 4, "count")])
    assert markup == 'a<mark id="f0" class="d-count" data-fact="0" tabindex="0">&lt;b&gt;</mark>&amp;&lt;/script&gt;'
    encoded = json_for_script({"html": "</script><!-- x", "text": "1<2"})
    assert "<" not in encoded and '"\\u003c/script>' in encoded


@pytest.mark.parametrize("value, shown", [
    (2.5e12, "2,500,000,000,000"), (0.1, "0.1"), (1.036e19, "10,360,000,000,000,000,000"),
    (3200000.0, "3,200,000"), (38.8, "38.8"), (0.00013, "0.00013"), (None, None),
], ids=["trillion", "tenth", "exaflops", "mu-in-m2", "share", "small", "null"])
def test_format_number(value, shown):
    assert format_number(value) == shown


def test_every_dimension_has_its_colour():
    # The page's colour table repeats the dimension names: one it lacked would show as "other".
    assert list(COLOURED) == list(DIMENSIONS)


@pytest.fixture
def two_copies(tmp_path, monkeypatch):
    """The sample extracted as a.txt and b.txt from inside tmp_path (relative sources)."""
    monkeypatch.chdir(tmp_path)
    for name in ("a.txt", "b.txt"):
        shutil.copy(SAMPLE, tmp_path / name)
    run_extract(["a.txt", "b.txt"], tmp_path / "out", default_date=SAMPLE_DATE)
    return tmp_path


def test_missing_and_changed_sources_are_named_and_shown_without_text(two_copies, monkeypatch):
    (two_copies / "a.txt").unlink()
    with open(two_copies / "b.txt", "a", encoding="utf-8") as file:
        file.write("追加一行。")
    monkeypatch.chdir(ROOT)  # the sources are found from the run's working folder, recorded
    report = build_report(two_copies / "out")
    assert [doc["html"] for doc in report.docs] == [None, None]
    assert len(report.problems) == 2
    assert report.problems[0].startswith("a.txt: no such file under the run's inputs")
    assert report.problems[1].startswith("b.txt: changed since extraction")
    assert "Text not shown: b.txt: changed" in report.docs[1]["note"]
    assert all(fact["note"] for fact in report.facts) and len(report.facts) == 106


def test_unchanged_sources_are_found_from_another_folder(two_copies, monkeypatch):
    monkeypatch.chdir(ROOT)
    report = build_report(two_copies / "out")
    assert report.problems == [] and all(doc["html"] for doc in report.docs)
    assert sum(fact["note"] is None for fact in report.facts) == 106


def test_table_rows_are_read_again_with_the_recorded_columns(tmp_path, monkeypatch):
    """Neither column has a name the reader guesses: without the recorded options the
    table has no text column, and the report says so instead of guessing."""
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones.csv").write_text("name,稿件\n甲区,全区市场主体20798户，其中企业8070户。\n"
                                        "乙区,集聚科技创新类企业600余家。\n", encoding="utf-8")
    run_extract(["zones.csv"], tmp_path / "out", text_column="稿件", id_column="name")
    report = build_report(tmp_path / "out")
    assert [doc["doc_id"] for doc in report.docs] == ["zones#甲区", "zones#乙区"]
    assert report.problems == [] and all(doc["html"] for doc in report.docs)
    assert [fact["text"] for fact in report.facts] == ["20798户", "8070户", "600余家"]
    assert all(fact["note"] is None for fact in report.facts)

    facts = pq.read_table(tmp_path / "out" / "facts.parquet")
    older = {k: v for k, v in facts.schema.metadata.items() if k != b"reader_options"}
    pq.write_table(facts.replace_schema_metadata(older), tmp_path / "out" / "facts.parquet")
    (tmp_path / "out" / "manifest.json").unlink()  # as an older run left it
    (problem,) = build_report(tmp_path / "out").problems
    assert problem.startswith("zones.csv: cannot be read now (") and "zones.csv: no text column" in problem
    assert "recorded no reader options" in problem and "zones#甲区, zones#乙区" in problem


def test_command_line(two_copies):
    (two_copies / "b.txt").write_text("别的内容", encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "out", "--html", "r.html"])
    assert result.exit_code == 0, result.output
    assert "2 documents (1 with text), 106 facts (53 highlighted), 1 problem -> r.html" in result.output
    assert "warning: b.txt: changed since extraction" in result.output
    assert (two_copies / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize("folder, named", [("nowhere", "nowhere"), (".", "facts.parquet")],
                         ids=["no-folder", "no-facts"])
def test_command_line_errors_name_the_file(tmp_path, monkeypatch, folder, named):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", folder, "--html", "r.html"])
    assert result.exit_code == 2
    assert named in result.output and "report error" in result.output


def test_a_source_outside_the_run_s_inputs_is_never_opened(two_copies):
    import pyarrow as pa
    import pyarrow.parquet as pq

    secret = two_copies.parent / f"{two_copies.name}-secret.txt"
    secret.write_text("机密内容：全区市场主体20798户。", encoding="utf-8")
    docs_path = two_copies / "out" / "docs.parquet"
    docs = pq.read_table(docs_path)
    sources = [str(secret)] + docs.column("source").to_pylist()[1:]
    pq.write_table(docs.set_column(docs.schema.get_field_index("source"), "source", pa.array(sources)),
                   docs_path)
    (two_copies / "out" / "manifest.json").unlink()  # edited by hand, as a foreign docs.parquet
    report = build_report(two_copies / "out")
    assert report.docs[0]["html"] is None
    assert report.problems[0].startswith(f"{secret}: no such file under the run's inputs")
    assert "机密" not in "".join(str(doc) for doc in report.docs)
