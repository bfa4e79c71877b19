"""Rule files are validated on load; each error names the file, the rule and the line."""
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, RULES
from pipeline.ruleset.load import RuleError, load_rules

GOOD_RULE = '''
[[rule]]
name = "tons"
action = "quantity"
pattern = '(?P<num>{arabic})(?P<unit>吨)'
[[rule.example]]
text = "粮食产量1200万吨"
rows = [{ text = "1200万吨", value = 1.2e7, unit = "t" }]
'''


@pytest.fixture
def rules_dir(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    return folder


def add_file(folder, text, name="extra.toml"):
    (folder / name).write_text(text, encoding="utf-8")


def test_a_good_extra_rule_loads(rules_dir):
    add_file(rules_dir, "order = 5\n" + GOOD_RULE)
    rules = load_rules(rules_dir)
    assert "extra:tons" in [r.id for r in rules.rules]


def line_of(text, needle):
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# GOOD_RULE added as its own file: its [[rule]] header is on line 2, its example on line 6.
@pytest.mark.parametrize("change, message", [
    pytest.param(GOOD_RULE.replace("(?P<unit>吨)", "(?P<unit>吨"), r"extra.toml:2 \(extra:tons\): bad regex",
                 id="bad-regex"),
    pytest.param(GOOD_RULE.replace("{arabic}", "{arabik}"), r"extra.toml:2 \(extra:tons\): unknown fragment \{arabik\}",
                 id="unknown-fragment"),
    pytest.param(GOOD_RULE.replace('action = "quantity"', 'action = "quantity"\ncolour = "red"'),
                 r"extra.toml:2 \(extra:tons\): unknown keys \['colour'\]", id="unknown-key"),
    pytest.param(GOOD_RULE.replace("(?P<num>", "(?P<nun>"),
                 r"extra.toml:2 \(extra:tons\): action 'quantity' needs the group\(s\) \['num'\]; "
                 r"action 'quantity' reads no group \['nun'\]", id="misspelt-group"),
    pytest.param(GOOD_RULE.replace("(?P<unit>吨)", "(?P<unit>吨)(?P<tail>以上)?"),
                 r"extra.toml:2 \(extra:tons\): action 'quantity' reads no group \['tail'\]", id="unknown-group"),
    pytest.param(GOOD_RULE + GOOD_RULE, r"extra.toml:10: duplicate rule name extra:tons", id="duplicate-name"),
    pytest.param(GOOD_RULE.split("[[rule.example]]")[0], r"extra.toml:2 \(extra:tons\): a rule needs examples",
                 id="no-examples"),
    pytest.param(GOOD_RULE.replace("粮食产量1200万吨", "粮食丰收"), r"does not match its example '粮食丰收'",
                 id="example-own-rule-misses"),
    pytest.param(GOOD_RULE.replace('unit = "t"', 'unit = "tonnes"'), r"'tonnes' is not in the unit table",
                 id="unit-not-in-table"),
    pytest.param(GOOD_RULE.replace('rows = [', 'shape = "round"\nrows = ['),
                 r"extra.toml:6 \(extra:tons example 1\): unknown keys \['shape'\]", id="example-unknown-key"),
    pytest.param(GOOD_RULE.replace('action = "quantity"', 'action = "guess"'),
                 r"extra.toml:2 \(extra:tons\): unknown action 'guess'", id="unknown-action"),
    pytest.param("[fragments]\nloop_a = '{loop_b}'\nloop_b = '{loop_a}'\n" + GOOD_RULE.replace("{arabic}", "{loop_a}"),
                 r"cyclic fragment loop_a -> loop_b -> loop_a", id="cyclic-fragment"),
    pytest.param("[[rule]\nname = 'x'", r"extra.toml: .*line 1", id="toml-syntax"),
    pytest.param('\n[[cues]]\nwords = ["猛增"]\naspect = "boom"\ndimensions = ["percent"]\n',
                 r"extra.toml:2 \(cue 1\): aspect must be one of", id="cue-bad-aspect"),
    pytest.param('[[cues]]\nwords = ["猛增"]\naspect = "growth"\ndimensions = ["weight"]\n',
                 r"extra.toml:1 \(cue 1\): .*unknown: \['weight'\]", id="cue-unknown-dimension"),
    pytest.param('[[cues]]\nwords = ["猛增"]\naspect = "growth"\ndimensions = ["percent"]\n',
                 r"extra.toml: its tables need examples", id="table-without-examples"),
    pytest.param('units = [\n  # tons again\n  { surface = "万吨级", unit = "t", dimension = "mass" },\n]\n',
                 r"extra.toml:3 \(unit 万吨级\): '万吨级' needs an example", id="unit-without-example"),
    pytest.param('units = [\n  { surface = "担", unit = "t", dimension = "mass", factor = 0.05, '
                 'example = "3担", colour = "red" },\n]\n',
                 r"extra.toml:2 \(unit 担\): unknown keys \['colour'\]", id="unit-unknown-key"),
    pytest.param('[[example]]\ntext = "增长5%"\nfigure = "5%"\nexpect = { colour = "red" }\n',
                 r"extra.toml:1 \(example 1\): expect names the columns to check.*unknown: \['colour'\]",
                 id="example-unknown-column"),
    pytest.param(GOOD_RULE.replace('action = "quantity"', 'action = "quantity"\nneeds = "吨"'),
                 r"extra.toml:2 \(extra:tons\): needs is a list", id="needs-not-a-list"),
    pytest.param(GOOD_RULE.replace('action = "quantity"', 'action = "quantity"\nwords = { num = ["一"] }'),
                 r"extra.toml:2 \(extra:tons\): its words \['num'\] are named like fragments", id="words-shadow"),
    pytest.param('units = [\n  { surface = "担", unit = "t", dimension = "mass", factor = "0.05", example = "3担" },\n]\n',
                 r"extra.toml:2 \(unit 担\): factor has the wrong type: '0.05'", id="unit-factor-a-string"),
    pytest.param('qualifiers = [\n  { surface = 5, position = "prefix", qualifier = "approx", example = "约5%" },\n]\n',
                 r"extra.toml:2 \(qualifier 5\): a qualifier needs a surface \(a string\)", id="qualifier-surface-a-number"),
    pytest.param("\n[colours]\nred = ['红']\n", r"extra.toml:2 \(colours\): unknown keys \['colours'\]",
                 id="unknown-table"),
    pytest.param("\n[fragments]\ntons = '吨|万吨'\n",
                 r"extra.toml:3 \(\{tons\}\): the fragment needs an example it reads whole", id="fragment-without-example"),
    pytest.param("order = 1\n" + GOOD_RULE.replace("(?P<num>{arabic})(?P<unit>吨)",
                                                    "(?P<num>(?:\\d|\\d\\d)+)(?:[a-z]+)?(?P<unit>万吨)"),
                 r"extra.toml:3 \(extra:tons\): its pattern backtracks catastrophically", id="catastrophic-pattern"),
    pytest.param("[[example]]\nfragment = 'tonnes'\ntext = '吨'\n",
                 r"extra.toml:1 \(example 1\): no fragment \{tonnes\}", id="example-of-no-fragment"),
    pytest.param('[[example]]\ntext = "增长5%"\nfigure = "6%"\nexpect = { aspect = "growth" }\n',
                 r"extra.toml:1 \(example 1\): the figure '6%' is not in its text", id="example-figure-not-in-text"),
])
def test_bad_rule_file_is_a_clear_error(rules_dir, change, message):
    add_file(rules_dir, change)
    with pytest.raises(RuleError, match=message):
        load_rules(rules_dir)


def test_rules_check_names_file_and_rule_and_exits_non_zero(rules_dir):
    add_file(rules_dir, GOOD_RULE.replace("value = 1.2e7", "value = 1.3e7"))
    result = subprocess.run([sys.executable, "-m", "pipeline", "rules", "check", "--rules", str(rules_dir)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "extra.toml:6 (extra:tons example 1): example '粮食产量1200万吨'" in result.stderr
    assert "value is 12000000.0, expected 13000000.0" in result.stderr


def test_rules_check_passes_on_the_shipped_rules():
    result = subprocess.run([sys.executable, "-m", "pipeline", "rules", "check"], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "0 failed" in result.stdout


def test_extract_with_a_bad_rule_file_names_it(rules_dir, tmp_path):
    add_file(rules_dir, GOOD_RULE.replace("(?P<unit>吨)", "(?P<unit>吨"))
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(ROOT / "data" / "raw"), "--out",
                             str(tmp_path / "out"), "--rules", str(rules_dir)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "extra.toml:2 (extra:tons): bad regex" in result.stderr
    assert not (tmp_path / "out" / "facts.parquet").exists()


def test_known_failure_is_a_strict_xfail(rules_dir):
    from pipeline.ruleset.check import check_examples

    add_file(rules_dir, GOOD_RULE.replace('rows = [', 'known_failure = "not yet"\nrows = ['))
    results = [r for r in check_examples(load_rules(rules_dir)) if r.owner == "extra:tons"]
    assert not results[0].ok
    assert "passes now, remove known_failure" in results[0].describe()


def test_the_lead_fragment_must_be_plain_words(rules_dir):
    numbers = rules_dir / "numbers.toml"
    numbers.write_text(numbers.read_text(encoding="utf-8").replace("lead = '由|从|", "lead = '由|(?:从)|", 1),
                       encoding="utf-8")
    with pytest.raises(RuleError, match=r"\{lead\} must be plain words joined by \|"):
        load_rules(rules_dir)


def test_the_candidate_scan_runs_on_regex_when_a_fragment_needs_it(rules, rules_dir, sample_text):
    import re

    from pipeline.extract import extract_facts

    assert isinstance(rules.candidates, re.Pattern)  # the shipped fragments take the faster engine
    numbers = rules_dir / "numbers.toml"
    numbers.write_text(numbers.read_text(encoding="utf-8").replace("anchor = '[0-9０-９", r"anchor = '[\p{Nd}", 1),
                       encoding="utf-8")
    fallback = load_rules(rules_dir)
    assert not isinstance(fallback.candidates, re.Pattern)
    expected = [(f.start, f.end, f.value) for f in extract_facts(sample_text, rules)]
    assert len(expected) > 40
    assert [(f.start, f.end, f.value) for f in extract_facts(sample_text, fallback)] == expected


def test_a_misspelt_group_is_a_rule_error_in_rules_check_not_a_traceback(rules_dir):
    add_file(rules_dir, GOOD_RULE.replace("(?P<num>", "(?P<nun>"))
    result = subprocess.run([sys.executable, "-m", "pipeline", "rules", "check", "--rules", str(rules_dir)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.startswith("FAIL extra.toml:2 (extra:tons): action 'quantity' needs the group(s) ['num']")
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("file, key, index, needle", [
    pytest.param("units.toml", "units", 1, 'surface = "元"', id="first-unit-not-the-comment"),
    pytest.param("units.toml", "units", 25, 'surface = "米"', id="米-not-the-comment"),
    pytest.param("quantities.toml", "rule", 3, 'name = "range"', id="third-rule"),
    pytest.param("labels.toml", "label.stops", 1, "stops = [", id="a-word-list"),
])
def test_entries_are_located_on_their_own_line(file, key, index, needle):
    from pipeline.ruleset.locate import Locator

    text = (RULES / file).read_text(encoding="utf-8")
    line = Locator(RULES / file).line(key, index)
    # A [[table]] entry is named by its header, the line before its first key.
    assert needle in text.splitlines()[line - 1] or needle in text.splitlines()[line]


def test_a_rule_s_needs_and_words_are_built_into_its_pattern(rules_dir):
    rule = GOOD_RULE.replace('action = "quantity"', 'action = "quantity"\nneeds = ["吨", "{unit_mass}"]\n'
                             'words = { vetoes = ["级", "位"] }').replace("(?P<unit>吨)", "(?P<unit>吨)(?!{vetoes})")
    add_file(rules_dir, rule + '''[[rule.example]]
text = "建设万吨级码头，千吨位船舶"
rows = []
''')
    tons = next(r for r in load_rules(rules_dir).rules if r.id == "extra:tons")
    assert tons.source.startswith("(?=[^，。；]*?(?:吨|(?:")
    assert tons.pattern.search("粮食产量1200万吨") and not tons.pattern.search("1200万吨级")
    # the guard: nothing of the rule's is ahead in the clause, so it gives up at once
    assert not tons.pattern.match("1200万，吨")
