"""Benchmark: extract the reference reports end to end and print throughput and memory.

    python -m pipeline.bench [--min-chars 5000000] [--reports PATH]

The 23 reference reports are repeated (under new ids) into a JSONL table of at
least --min-chars characters, and of twice that, and each is extracted with
Parquet writing in a fresh process, on one core and on all cores. Each run
prints characters per second, facts per second and peak RSS; the two sizes
show whether memory grows with the corpus.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.paths import REPORTS


def build_corpus(reports: Path, min_chars: int, path: Path) -> int:
    csv.field_size_limit(2**31 - 1)
    with reports.open(encoding="utf-8", newline="") as handle:
        rows = [(r["province"], r["full_text"]) for r in csv.DictReader(handle)]
    written, copy = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < min_chars:
            copy += 1
            for province, text in rows:
                out.write(json.dumps({"id": f"{province}-{copy}", "text": text}, ensure_ascii=False) + "\n")
                written += len(text)
    return written


def run_child(corpus: Path, out: Path, jobs: int) -> dict:
    """Extract in a fresh process, so its peak memory is its own."""
    result = subprocess.run([sys.executable, "-m", "pipeline.bench", "--child", str(corpus), str(out), str(jobs)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def child(corpus: str, out: str, jobs: int) -> None:
    from pipeline.run import run_extract

    began = time.perf_counter()
    summary = run_extract([corpus], out, jobs=jobs, progress=False)
    seconds = time.perf_counter() - began
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"characters": summary.characters, "facts": summary.facts, "seconds": seconds,
                      "documents": summary.documents, "peak_rss_mb": own / 1024,
                      "worker_peak_rss_mb": workers / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-chars", type=int, default=5_000_000)
    parser.add_argument("--reports", type=Path, default=REPORTS)
    parser.add_argument("--child", nargs=3, metavar=("CORPUS", "OUT", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    cores = os.cpu_count() or 1
    print(f"reference reports: {args.reports}")
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as folder:
        for scale in (1, 2):
            corpus = Path(folder) / f"corpus-{scale}.jsonl"
            chars = build_corpus(args.reports, args.min_chars * scale, corpus)
            for jobs in sorted({1, cores}):
                r = run_child(corpus, Path(folder) / "out", jobs)
                rss = f"peak RSS {r['peak_rss_mb']:.0f} MB"
                if jobs > 1:
                    rss += f" (main), {r['worker_peak_rss_mb']:.0f} MB (largest worker)"
                print(f"{chars / 1e6:5.1f}M chars, {r['documents']} docs, {jobs} core{'s' if jobs > 1 else ''}: "
                      f"{r['characters'] / r['seconds']:,.0f} chars/s, {r['facts'] / r['seconds']:,.0f} facts/s, "
                      f"{r['facts']} facts in {r['seconds']:.1f} s, {rss}")


if __name__ == "__main__":
    main()
