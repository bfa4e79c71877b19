"""Benchmark: throughput and memory end to end, beside a plain numeral regex over the same text.

    python -m pipeline.bench [--sizes 1,5,20] [--repeat N] [--reports PATH] [--rerun]

The 23 reference reports are repeated (under new ids) into a JSONL table of each size
(millions of characters). Each table is extracted, Parquet written, in a fresh process:
on one core (`--jobs 1`), on two (`--jobs 2`) and on a local Dask cluster of two
workers (`--engine dask`). Each line prints characters per second, peak RSS (the main
process and the largest worker), how many cores the run kept busy, and how many times
slower than a plain regex scan of the numerals of the same text (no units, no context,
no rows) the run is. With `--repeat N` each run is made N times and the fastest kept: on
a shared machine the same run varies by a tenth or more. The first size also times
jieba.lcut over the same text, a pure-Python reference for comparing machines (a figure
measured on another machine scales by the ratio of the two machines' jieba rates).
`--rerun` also times, on the largest size, a rerun into the same folder with nothing
changed, with one document changed, and after a rule change.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.paths import DEFAULT_RULES, REPORTS

# A numeral as the simplest scanner would find it: the floor of what finding figures costs.
PLAIN_NUMERAL = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?%?|[零〇一二两三四五六七八九十百千万亿]+")
CONFIGS = (("local", 1), ("local", 2), ("dask", 2))


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


def run_child(*args: str) -> dict:
    """Runs one measurement in a fresh process, so its peak memory is its own."""
    result = subprocess.run([sys.executable, "-m", "pipeline.bench", "--child", *args],
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"benchmark child failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def child(kind: str, corpus: str, out: str, jobs: int, rules: str) -> None:
    began = time.perf_counter()
    if kind == "regex":
        characters, found = plain_scan(corpus)
        result = {"characters": characters, "facts": found, "unchanged": 0}
    elif kind == "jieba":
        characters, words, seconds = jieba_scan(corpus)
        result = {"characters": characters, "facts": words, "unchanged": 0}
    else:
        summary = extract(kind, corpus, out, jobs, rules)
        result = {"characters": summary.characters, "facts": summary.facts, "unchanged": summary.unchanged}
    result["seconds"] = seconds if kind == "jieba" else time.perf_counter() - began
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["peak_rss_mb"] = me.ru_maxrss / 1024
    result["worker_peak_rss_mb"] = workers.ru_maxrss / 1024
    # The CPU time of the run and of the worker processes it reaped, against the wall clock:
    # how many cores the run kept busy (two processes on a shared host also run slower each).
    if kind in ("local", "dask"):
        result["cpu_seconds"] = sum(usage.ru_utime + usage.ru_stime for usage in (me, workers))
    print(json.dumps(result))


def extract(engine: str, corpus: str, out: str, jobs: int, rules: str):
    options = {"text_column": None, "id_column": None, "date_column": None, "title_column": None,
               "default_date": None, "follow_symlinks": False}
    if engine == "dask":
        from pipeline.dask_engine import run_dask

        return run_dask([corpus], out, rules, jobs=jobs, progress=False, **options)
    from pipeline.run import run_extract

    return run_extract([corpus], out, rules, jobs=jobs, progress=False, **options)


def plain_scan(corpus: str) -> tuple[int, int]:
    characters = found = 0
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            characters += len(text)
            found += sum(1 for _ in PLAIN_NUMERAL.finditer(text))
    return characters, found


def jieba_scan(corpus: str, limit: int = 1_000_000) -> tuple[int, int, float]:
    """jieba.lcut over the first `limit` characters, its dictionary loaded before the clock."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts, characters = [], 0
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            characters += len(texts[-1])
            if characters >= limit:
                break
    began = time.perf_counter()
    words = sum(len(jieba.lcut(text)) for text in texts)
    return characters, words, time.perf_counter() - began


def fastest(repeat: int, kind: str, corpus: str, out: str, *args: str) -> dict:
    """The fastest of `repeat` runs, each into an empty folder (a second run into the same
    folder would take every document from the first)."""
    results = []
    for _ in range(repeat):
        if out != "-":
            shutil.rmtree(out, ignore_errors=True)
        results.append(run_child(kind, corpus, out, *args))
    return min(results, key=lambda result: result["seconds"])


def line(label: str, result: dict, regex_rate: float | None = None) -> str:
    rate = result["characters"] / result["seconds"]
    memory = f"peak RSS {result['peak_rss_mb']:.0f} MB"
    if result["worker_peak_rss_mb"] > 1:
        memory += f", largest worker {result['worker_peak_rss_mb']:.0f} MB"
    ratio = f", {regex_rate / rate:5.1f}x the regex's time" if regex_rate else ""
    cores = f", {result['cpu_seconds'] / result['seconds']:.2f} cores busy" if "cpu_seconds" in result else ""
    return (f"  {label:<22} {rate:>12,.0f} chars/s  {result['seconds']:7.1f} s  {result['facts']:>9,} rows  "
            f"{memory}{ratio}{cores}")


def measure(folder: Path, reports: Path, millions: int, rules: Path, repeat: int, reference: bool
            ) -> tuple[Path, Path]:
    corpus = folder / f"corpus-{millions}M.jsonl"
    chars = build_corpus(reports, millions * 1_000_000, corpus)
    print(f"{chars / 1e6:.1f}M characters ({corpus.stat().st_size / 1e6:.0f} MB of JSONL):", flush=True)
    plain = fastest(repeat, "regex", str(corpus), "-", "1", str(rules))
    regex_rate = plain["characters"] / plain["seconds"]
    print(line("plain numeral regex", plain), flush=True)
    if reference:
        print(line("jieba.lcut (reference)", fastest(repeat, "jieba", str(corpus), "-", "1", str(rules))), flush=True)
    for engine, jobs in CONFIGS:
        out = folder / f"out-{millions}M-{engine}-{jobs}"
        result = fastest(repeat, engine, str(corpus), str(out), str(jobs), str(rules))
        label = f"--jobs {jobs}" if engine == "local" else f"--engine dask, {jobs} workers"
        print(line(label, result, regex_rate), flush=True)
    return corpus, folder / f"out-{millions}M-local-1"


def rerun(folder: Path, corpus: Path, out: Path, rules: Path) -> None:
    """Reruns into the folder of a one-core run: unchanged, one document changed, new rules."""
    print(f"reruns into {out.name} (--jobs 1):", flush=True)
    result = run_child("local", str(corpus), str(out), "1", str(rules))
    print(line(f"nothing changed ({result['unchanged']} taken)", result), flush=True)
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    row = json.loads(lines[0])
    row["text"] += "\n全年新建学校12所。"
    lines[0] = json.dumps(row, ensure_ascii=False) + "\n"
    corpus.write_text("".join(lines), encoding="utf-8")
    result = run_child("local", str(corpus), str(out), "1", str(rules))
    print(line(f"one document changed ({result['unchanged']} taken)", result), flush=True)
    changed = folder / "rules"
    shutil.copytree(rules, changed, dirs_exist_ok=True)
    (changed / "units.toml").write_text((rules / "units.toml").read_text(encoding="utf-8") + "\n# changed\n",
                                        encoding="utf-8")
    result = run_child("local", str(corpus), str(out), "1", str(changed))
    print(line(f"rules changed ({result['unchanged']} taken)", result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,5,20", help="Millions of characters, comma-separated.")
    parser.add_argument("--reports", type=Path, default=REPORTS)
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES)
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each measurement; the fastest is kept.")
    parser.add_argument("--rerun", action="store_true", help="Also time reruns on the largest size.")
    parser.add_argument("--child", nargs=5, metavar=("KIND", "CORPUS", "OUT", "JOBS", "RULES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, corpus, out, jobs, rules = args.child
        child(kind, corpus, out, int(jobs), rules)
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"reference reports: {args.reports}; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as folder:
        for millions in sizes:
            corpus, out = measure(Path(folder), args.reports, millions, args.rules, max(1, args.repeat),
                                  reference=millions == sizes[0])
        if args.rerun:
            rerun(Path(folder), corpus, out, args.rules)


if __name__ == "__main__":
    main()
