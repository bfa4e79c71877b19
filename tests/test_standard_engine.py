"""The scan's master pattern runs on Python's re engine where the rules allow, with the
same facts as on regex (pipeline/ruleset/standard.py)."""
import re

import regex
from test_rule_files import GOOD_RULE, add_file, rules_dir  # noqa: F401 (a fixture)

from pipeline.extract import extract_facts
from pipeline.find.scan import first_disagreement
from pipeline.ruleset.load import RuleError, load_rules


def test_the_han_fragment_is_regex_s_han_script_on_both_engines(rules):
    source = rules.fragments["han"].pattern
    plane = "".join(map(chr, range(0x10000)))
    han = [m.span() for m in regex.finditer(r"\p{Han}+", plane)]
    assert [m.span() for m in regex.finditer(f"(?:{source})+", plane, regex.VERBOSE)] == han
    assert [m.span() for m in re.finditer(f"(?:{source})+", plane, re.VERBOSE)] == han
    assert (0x4E00, 0xA000) in han and (0x3007, 0x3008) in han  # 〇 is Han too


def test_every_shipped_rule_runs_on_re(rules, sample_text):
    standard = rules.standard()
    assert standard is not None and standard.alone == []
    # 3、5、8家 reads every capture of its items: only regex keeps them
    again = {rules.by_group[group].name for group in standard.again}
    assert again == {"shared_unit_list", "points_list", "medal_tally", "from_to_list"}
    assert first_disagreement(sample_text, rules) is None


def test_a_name_a_rule_gives_two_groups_reads_the_one_that_took_part(rules):
    # quantity's num and inf stand in either of its branches, and 多 before and after 万
    facts = extract_facts("汽车保有量5500多万辆，新增3万余人，开行二百多列", rules)
    assert [(f.text, f.value, f.unit, f.qualifier) for f in facts] == [
        ("5500多万辆", 5.5e7, "辆", "at_least"), ("3万余人", 30000, "人", "at_least"),
        ("二百多列", 200, "列", "at_least")]


def test_a_rule_only_regex_reads_is_tried_alone_in_its_turn(rules_dir):  # noqa: F811
    # A look-behind of varying width: re refuses it; the rule comes before quantity.
    add_file(rules_dir, '''order = 5
[[rule]]
name = "noted"
skip = "a figure in a note"
pattern = '(?<=注[^。\\n]{0,6}：)(?:{arabic})吨'
[[rule.example]]
text = "（注：1200吨为预计数）"
rows = []
[[rule.example]]
text = "粮食产量1200吨"
rows = [{ text = "1200吨", value = 1200, unit = "t" }]
''')
    rules = load_rules(rules_dir)
    assert [rule.name for _, rule in rules.standard().alone] == ["noted"]
    assert extract_facts("（备注：1200吨为预计数）", rules) == []
    assert [f.text for f in extract_facts("粮食产量1200吨，（注：1300吨）", rules)] == ["1200吨"]


def test_rules_check_names_a_rule_re_reads_otherwise(rules_dir):  # noqa: F811
    # Fuzzy matching: regex reads {e<=1} as one error allowed, re as the literal text.
    add_file(rules_dir, "order = 5\n" + GOOD_RULE.replace("(?P<unit>吨)", "(?P<unit>(?:吨){e<=1})"))
    try:
        load_rules(rules_dir)
    except RuleError as error:
        assert "extra.toml" in str(error) and "extra:tons" in str(error) and "re engine" in str(error)
    else:
        raise AssertionError("a rule re reads otherwise than regex loaded")


def test_the_compiled_pattern_is_kept_in_the_cache_and_a_bad_entry_compiled_again(rules, sample_text,
                                                                                    tmp_path, monkeypatch):
    import marshal

    import pipeline.cache as cache
    from pipeline.ruleset.standard import standard_master

    monkeypatch.setenv(cache.FOLDER_VARIABLE, str(tmp_path))
    expected = [m.span() for m in rules.regex_master().finditer(sample_text)]
    built = standard_master(rules.rules, rules.regex_master)
    [entry] = tmp_path.glob("standard-*.marshal")
    loaded = standard_master(rules.rules, rules.regex_master)
    assert [m.span() for m in loaded.whole.pattern.finditer(sample_text)] == expected
    assert loaded.whole.pattern.groupindex == built.whole.pattern.groupindex
    # An entry whose digest checks but whose code the engine refuses is compiled again.
    flags, code, *rest = marshal.loads(cache.read(entry.name))
    cache.write(entry.name, marshal.dumps((flags, [9999, *code[1:]], *rest)))
    again = standard_master(rules.rules, rules.regex_master)
    assert [m.span() for m in again.whole.pattern.finditer(sample_text)] == expected


def test_a_load_from_the_cache_compiles_no_regex_pattern_and_a_runaway_rule_is_refused(rules_dir, tmp_path,  # noqa: F811
                                                                                       monkeypatch):
    import pytest

    import pipeline.cache as cache

    monkeypatch.setenv(cache.FOLDER_VARIABLE, str(tmp_path / "cache"))
    first = load_rules(rules_dir, check=False)
    assert "regex" in first.built  # compiled and probed before its re pattern went into the cache
    second = load_rules(rules_dir, check=False)
    assert "regex" not in second.built and second.standard().whole.pattern.pattern == first.standard().whole.pattern.pattern
    add_file(rules_dir, "order = 1\n" + GOOD_RULE.replace("(?P<num>{arabic})(?P<unit>吨)",
                                                          "(?P<num>(?:\\d|\\d\\d)+)(?:[a-z]+)?(?P<unit>万吨)"))
    with pytest.raises(RuleError, match="backtracks catastrophically"):
        load_rules(rules_dir, check=False)


def test_the_cache_keeps_the_newest_compiled_patterns(tmp_path, monkeypatch):
    import os

    import pipeline.cache as cache

    monkeypatch.setenv(cache.FOLDER_VARIABLE, str(tmp_path))
    for age in range(5):
        path = cache.write(f"standard-{age}.marshal", b"code")
        os.utime(path, (1e9 - age, 1e9 - age))  # standard-0 the newest
    cache.write("segmenter-x.marshal", b"words")
    cache.prune("standard-", 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["segmenter-x.marshal", "standard-0.marshal",
                                                         "standard-1.marshal"]
