"""Where the project's own files and the reference corpus are: one place for the
rule folder, the snapshot folder, the sample page and its date, and the reports
that snapshots, tests and the benchmark read."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The rule files: the repository's rules/ in a checkout, the package's copy in an
# installed wheel (pyproject.toml maps rules/ to pipeline.rules).
DEFAULT_RULES = ROOT / "rules" if (ROOT / "rules").is_dir() else Path(__file__).resolve().parent / "rules"
SNAPSHOT_DIR = ROOT / "tests" / "snapshots"
# The reference corpus lives beside the project (../shared/corpus).
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "data" / "raw" / "000_ecb0041fadd01aa0.txt"
REPORTS = CORPUS / "gov-reports-2026" / "reports.csv"
# The sample page prints no date; the Makefile's SAMPLE_DATE, from ../shared/corpus/README.md.
SAMPLE_DATE = "2024-11-01"
