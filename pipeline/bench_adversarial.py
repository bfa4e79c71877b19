"""Adversarial benchmark: time and peak memory on hostile inputs at four sizes.

    python -m pipeline.bench_adversarial [--sizes 250000 500000 1000000 2000000]

Each input is one document, extracted end to end (with Parquet writing) in a fresh
process: ordinary prose (the bundled sample page repeated), a run of 万, a run of
digits, the prose without punctuation or spaces (one endless sentence), and the prose
on one line. Cost that grows linearly doubles from one size to the next; the last
column is the time per million characters.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import regex

from pipeline.paths import SAMPLE

SIZES = (250_000, 500_000, 1_000_000, 2_000_000)
PUNCTUATION_AND_SPACE = regex.compile(r"[\p{P}\s]+")


def _repeated(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


def hostile_texts(size: int) -> dict[str, str]:
    """The inputs, each `size` characters long, by name."""
    prose = SAMPLE.read_text(encoding="utf-8")
    return {
        "prose": _repeated(prose, size),
        "numeral run": "万" * size,
        "digit run": "1" * size,
        "no punctuation": _repeated(PUNCTUATION_AND_SPACE.sub("", prose), size),
        "one line": _repeated(prose.replace("\n", ""), size),
    }


def child(path: str, out: str) -> None:
    from pipeline.run import run_extract

    began = time.perf_counter()
    summary = run_extract([path], out, progress=False)
    print(json.dumps({"seconds": time.perf_counter() - began, "facts": summary.facts,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--child", nargs=2, metavar=("INPUT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"{'input':<16}{'characters':>12}{'seconds':>10}{'facts':>8}{'peak RSS':>10}{'s per M chars':>15}")
    with tempfile.TemporaryDirectory(prefix="pipeline-adversarial-") as folder:
        for size in args.sizes:
            for name, text in hostile_texts(size).items():
                path = Path(folder) / f"{name.replace(' ', '-')}.txt"
                path.write_text(text, encoding="utf-8")
                result = subprocess.run([sys.executable, "-m", "pipeline.bench_adversarial", "--child", str(path),
                                         str(Path(folder) / "out")], capture_output=True, text=True, check=True)
                r = json.loads(result.stdout.strip().splitlines()[-1])
                print(f"{name:<16}{size:>12,}{r['seconds']:>10.2f}{r['facts']:>8}{r['peak_rss_mb']:>7.0f} MB"
                      f"{r['seconds'] / size * 1e6:>15.2f}")


if __name__ == "__main__":
    main()
