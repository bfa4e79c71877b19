"""Load and validate the rule files in rules/ into one RuleSet.

Rule files are TOML. A file may hold lexicon tables (units, qualifiers), named
regex fragments, rules, the word tables of the meaning stages (cues, periods,
labels, metrics, entities) and their examples. The loader expands fragments,
builds the lexicon alternations longest surface first, prefixes each rule's
group names so all rules compile into one master pattern, and checks everything
it can before a document is read. Every error names `file:line (entry)`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import regex

from pipeline.find.scan import first_disagreement
from pipeline.meaning.cues import Cues, load_cues
from pipeline.meaning.label import Labeler, load_labeler
from pipeline.meaning.metrics import Metrics, load_metrics
from pipeline.meaning.period import Periods, load_periods
from pipeline.meaning.sections import Sectioner, load_sectioner
from pipeline.paths import DEFAULT_RULES
from pipeline.ruleset.errors import RuleError, check_keys
from pipeline.ruleset.examples import Example, file_examples, unit_example
from pipeline.ruleset.files import RuleFile, read_rule_files
from pipeline.ruleset.lexicon import DIMENSIONS, Lexicon, generated_fragments, load_lexicon
from pipeline.ruleset.rule import FLAGS, Rule, expand, load_fragments, load_rule_list
from pipeline.ruleset.standard import StandardMaster, standard_master
from pipeline.ruleset.words import Words, load_words

FILE_KEYS = {"order", "units", "qualifiers", "fragments", "rule", "cues", "target_words", "achieved_words",
             "forecast_words", "deadline_words", "forecast_titles", "not_target_words", "clause_target_words",
             "sentence_target_words", "open_target_words", "already_words",
             "relative", "plan", "holiday", "time_words", "metric", "label", "section", "entity", "example", "words"}
# A file holding one of these tables carries [[example]]s that show what it does.
EXPLAINED_TABLES = ("cues", "target_words", "relative", "plan", "label", "entity", "metric", "words")


@dataclass
class RuleSet:
    """The validated rules, and the patterns the scan runs.

    `candidates` finds the places where a match may begin (a numeral, with a
    lead word or qualifier before it); the rules' combined pattern is tried only
    there, on `re` (`standard`) or `regex` (`regex_master`).
    `regions` are skip rules found by their own pass over the whole text.
    `examples` are the examples of every table but the rules' own.
    """
    lexicon: Lexicon
    rules: list[Rule]
    candidates: re.Pattern | regex.Pattern
    regions: list[Rule]
    cues: Cues
    periods: Periods
    labeler: Labeler
    metrics: Metrics
    sectioner: Sectioner
    words: Words
    examples: list[Example]
    # Every fragment the rule files write, compiled alone, for their examples.
    fragments: dict[str, regex.Pattern]
    digest: str
    by_group: dict[str, Rule]
    # A prefix qualifier with only qualifier_reach words before its figure (不超过本市2个月).
    qualifier_reach: regex.Pattern
    built: dict[str, object] = field(default_factory=dict, repr=False)

    def regex_master(self) -> regex.Pattern:
        """Every scanned rule as one branch of one `regex` pattern, compiled and probed on
        first use: the scan needs it only under a thread's deadline, and a load only where
        the `re` pattern is not in the user's cache, which holds only patterns it passed."""
        if "regex" not in self.built:
            master = _master(self.rules)
            _probe(master, self.rules)
            self.built["regex"] = master
        return self.built["regex"]

    def standard(self) -> StandardMaster | None:
        """The combined pattern on `re` (pipeline/ruleset/standard.py)."""
        if "re" not in self.built:
            self.built["re"] = standard_master(self.rules, vet=self.regex_master)
        return self.built["re"]


PROBE_LENGTH = 40
# Runs of what figures are made of, on which a pattern that backtracks catastrophically
# takes seconds or never returns, where a sound one takes microseconds.
# Each ends with a letter or a full stop, so a pattern needing the other after its run
# must give up at each place it tried.
PROBES = tuple(piece * (PROBE_LENGTH // len(piece)) + end
               for piece in ("1", "一", "万", "1.", "1,", "1、", "1 ", "一、") for end in ("x", "。"))
PROBE_SECONDS = 0.2


def load_rules(directory: str | Path = DEFAULT_RULES, check: bool = True) -> RuleSet:
    """Read every *.toml under `directory` into one validated RuleSet.

    With `check`, every rule is compiled on its own and must match its own
    examples; without it (an extraction run) a rule is compiled when first
    used, and a bad regex is still named by its rule."""
    files, digest = read_rule_files(directory)
    for file in files:
        unknown = sorted(set(file.data) - FILE_KEYS)
        check_keys(file.data, FILE_KEYS, file.where(unknown[0], label=unknown[0]) if unknown else file.name)
    lexicon = load_lexicon(files)
    fragments = load_fragments(files, generated_fragments(lexicon))
    rules = load_rule_list(files, fragments)
    if check:
        for rule in rules:
            _check_rule_examples(rule, lexicon)
    words = load_words(files)
    cues, periods, sectioner = load_cues(files, DIMENSIONS, words), load_periods(files, words), load_sectioner(files)
    examples = _table_examples(files, lexicon)
    metrics = load_metrics(files, DIMENSIONS, [e for e in examples if e.is_label], words)
    # Qualifier and cue words link a label to its figure; a one-character suffix (内) follows
    # its figure and is part of words too often (有效期内, 内外资). jieba keeps every metric
    # alias whole.
    suffixes = {word for word, _ in lexicon.by_position["suffix"]}
    links = [word for word in lexicon.qualifiers if len(word) > 1 or word not in suffixes]
    labeler = load_labeler(files, words, lexicon.units, [*links, *cues.changing_words()], metrics.surfaces)
    regions = [rule for rule in rules if rule.region]
    for probe in PROBES:
        _probe_each(regions, probe)
    ruleset = RuleSet(lexicon, rules, _candidate_pattern(fragments, lexicon), regions,
                      cues, periods, labeler, metrics, sectioner, words, examples,
                      _written_fragments(files, fragments, examples, check), digest, {r.group: r for r in rules},
                      _qualifier_reach(lexicon, words))
    # Built at load, so a bad or runaway rule stops the load, not a document.
    ruleset.standard()
    if check:
        ruleset.regex_master()  # compiled and probed, whether or not the cache vouched for them
        _check_engines(ruleset)
    return ruleset


def _check_engines(ruleset: RuleSet) -> None:
    """Every rule's examples read the same on `re` as on `regex` (pipeline/ruleset/standard.py)."""
    for rule in ruleset.rules:
        for example in rule.examples:
            found = first_disagreement(example.text, ruleset)
            if found:
                at, by_regex, by_re = found
                raise RuleError(f"{rule.where} ({rule.id}): Python's re engine reads the example {example.text!r} "
                                f"otherwise than regex at {at}: {by_re} against {by_regex}; write the pattern so "
                                "both read it the same")


def _probe(master: regex.Pattern, rules: list[Rule]) -> None:
    r"""Refuses a rule whose pattern backtracks catastrophically (a quantifier inside a
    repeated group: (?:\d|\d\d)+(?=[a-z]) on 60 digits never returns): the combined
    pattern is tried on runs of what figures are made of, with a time limit, and where
    it runs over, each rule on its own names the culprit. The per-document time limit
    (run.TIME_LIMIT) guards against what these probes miss."""
    for probe in PROBES:
        try:
            master.search(probe, timeout=PROBE_SECONDS)
        except TimeoutError:
            _probe_each([rule for rule in rules if not rule.region], probe)
            raise RuleError(f"the rules' combined pattern backtracks catastrophically on {probe[:12]!r}…") from None


def _probe_each(rules: list[Rule], probe: str) -> None:
    for rule in rules:
        # With a branch that never matches beside it, as in the combined pattern: alone, the
        # engine may pass over a probe that lacks a literal the rule requires.
        pattern = regex.compile(f"(?:{rule.source})|(?!x)x", FLAGS)
        try:
            pattern.search(probe, timeout=PROBE_SECONDS)
        except TimeoutError:
            raise RuleError(f"{rule.where} ({rule.id}): its pattern backtracks catastrophically on "
                            f"{probe[:12]!r}… ({len(probe)} characters); is a quantifier repeated "
                            "inside a repeated group?") from None


def _qualifier_reach(lexicon: Lexicon, words: Words) -> regex.Pattern:
    prefixes = "|".join(map(regex.escape, lexicon.prefixes))
    gaps = "|".join(map(regex.escape, sorted(words.qualifier_reach, key=len, reverse=True)))
    # A rule's limit (不低于, 不得超过: three characters or more, no 过 of 过渡期) also reaches
    # over the reference the figure is a part or multiple of (不低于采购金额的30%), one that
    # holds no other limit.
    limits = "|".join(map(regex.escape, sorted((p for p in lexicon.prefixes if len(p) >= 3), key=len, reverse=True)))
    reference = rf"(?:(?!{prefixes})[^\s\d，,。；;、：:()（）]){{1,16}}的"
    return regex.compile(f"(?P<word>{prefixes})(?:{gaps})+$|(?P<word>{limits}){reference}$")


def _master(rules: list[Rule]) -> regex.Pattern:
    """Every scanned rule as one branch of one pattern, named by its group."""
    scanned = [r for r in rules if not r.region]
    try:
        master = regex.compile("|".join(f"(?P<{r.group}>{r.renamed()})" for r in scanned), FLAGS)
    except regex.error:
        for rule in scanned:
            rule.pattern  # raises RuleError naming the rule
        raise
    for rule in scanned:
        rule.numbers = {name: (master.groupindex[group],) for name, group in rule.names.items()}
    return master


def _candidate_pattern(fragments: dict[str, str], lexicon: Lexicon) -> re.Pattern | regex.Pattern:
    """Where a match may begin: a lead word before a numeral (or before what the numeral is per:
    由每生每年5元), an Arabic numeral, or a Chinese numeral followed by a character that can
    continue a figure.

    Chinese numeral characters are common in prose (统一, 一些, 十分); a run that is
    followed by nothing a figure could go on with is not worth trying the rules on.
    That set is the first characters of every unit and of the infix and suffix
    qualifiers, plus the {follow} fragment. A run is tried from its first character
    only: every later start reaches the same end and meets the same next character, and
    trying each would cost the square of the run (a page of 万).
    """
    for name in ("anchor", "lead", "follow"):
        if name not in fragments:
            raise RuleError(f"the rule files must define the fragment {{{name}}} that steers the scan")
    lead_words = fragments["lead"].split("|")
    if not all(word and re.escape(word) == word for word in lead_words):
        raise RuleError(f"the fragment {{lead}} must be plain words joined by |: {fragments['lead']!r}")
    by_position = lexicon.by_position
    firsts = {u.surface[0] for u in lexicon.units.values()}
    firsts |= {word[0] for position in ("infix", "suffix") for word, _ in by_position[position]}
    follow = "[" + regex.escape("".join(sorted(firsts))) + "]|" + fragments["follow"]
    source = expand(f"""(?P<lead>{{prefix}}|{{lead}})(?:每{{han}}{{1,3}}?){{0,2}}[ \t]?(?P<anchor>{{anchor}}+)
      | [0-9０-９]{{anchor}}*
      | (?<!{{anchor}})(?>{{anchor}}+)(?:{follow})""", fragments, "the candidate pattern")
    # Speed: this pattern is searched for over the whole text, so it runs on the standard
    # engine where it can (the plain version is `regex.compile(source, FLAGS)`, below):
    # `regex` tests a character against a class member by member, `re` in one step, and
    # the look-ahead of possible first characters lets it pass over the rest at that cost.
    starts = {word[0] for word, _ in by_position["prefix"]} | {word[0] for word in lead_words}
    try:
        return re.compile(f"(?=[{re.escape(''.join(sorted(starts)))}]|{fragments['anchor']})(?:{source})",
                          re.VERBOSE)
    except re.error:  # a fragment written with syntax only `regex` reads
        return regex.compile(source, FLAGS)


def _written_fragments(files: list[RuleFile], fragments: dict[str, str], examples: list[Example],
                       check: bool) -> dict[str, regex.Pattern]:
    """The fragments of the rule files (not those built from the lexicons), compiled for their
    examples when checking; each must have an example it reads whole."""
    written = {name: file for file in files for name in file.data.get("fragments", {})}
    shown = {example.fragment for example in examples if example.is_fragment and example.expect["matches"]}
    for example in examples:
        if example.is_fragment and example.fragment not in written:
            raise RuleError(f"{example.where}: no fragment {{{example.fragment}}} in the rule files")
    for name, file in written.items():
        if name not in shown:
            raise RuleError(f"{file.where('fragments.' + name, label='{' + name + '}')}: the fragment needs an "
                            f"example it reads whole ([[example]] fragment = \"{name}\", text = …)")
    if not check:
        return {}
    return {name: _compile_fragment(name, fragments, file) for name, file in written.items()}


def _compile_fragment(name: str, fragments: dict[str, str], file: RuleFile) -> regex.Pattern:
    where = file.where("fragments." + name, label="{" + name + "}")
    try:
        return regex.compile(expand(fragments[name], fragments, where), FLAGS)
    except regex.error as exc:
        raise RuleError(f"{where}: bad regex: {exc}") from exc


def _table_examples(files: list[RuleFile], lexicon: Lexicon) -> list[Example]:
    """The [[example]]s of every file, then one per unit and qualifier row."""
    examples: list[Example] = []
    for file in files:
        own = file_examples(file)
        if not own and any(table in file.data for table in EXPLAINED_TABLES):
            raise RuleError(f"{file.name}: its tables need examples ([[example]] with a text, "
                            "a figure and the columns they decide)")
        examples += own
    for file in files:
        for index, entry in enumerate(file.data.get("units", []), 1):
            unit = lexicon.units[entry["surface"]]
            examples.append(unit_example(entry, file.where("units", index, f"unit {unit.surface}"), unit.surface,
                                         {"unit_raw": unit.surface, "unit": unit.unit, "dimension": unit.dimension}))
        for index, entry in enumerate(file.data.get("qualifiers", []), 1):
            surface = entry["surface"]
            examples.append(unit_example(entry, file.where("qualifiers", index, f"qualifier {surface}"), surface,
                                         {"qualifier": lexicon.qualifiers[surface]}))
    return examples


def _check_rule_examples(rule: Rule, lexicon: Lexicon) -> None:
    where = f"{rule.where} ({rule.id})"
    canonical = {u.unit for u in lexicon.units.values()}
    for example in rule.examples:
        # A skip rule's negative examples and a fact rule's positive ones are its own to match.
        own = bool(example.rows) != bool(rule.skip)
        if own and not rule.pattern.search(example.text):
            raise RuleError(f"{where}: its own pattern does not match its example {example.text!r}")
        for row in example.rows or ():
            unit = row.get("unit")
            if unit is not None and unit not in canonical and "/" not in unit and unit != "":
                raise RuleError(f"{where}: example unit {unit!r} is not in the unit table")
