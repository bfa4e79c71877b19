"""Run a batch on Dask: one task per piece of input, each writing its pair of parts.

    extract PATHS --out DIR --engine dask [--scheduler ADDRESS] [--jobs N]

Without an address, a LocalCluster of `jobs` worker processes (one thread each) runs on
this machine; with one, the workers of that cluster must see the inputs and DIR at the
same paths (a shared file system). The driver plans the pieces (pipeline/read/pieces.py),
maps pipeline.partition.write_piece over them, and writes manifest.json once every part
is in place. Dask's scheduler retries a task whose worker died, and its dashboard shows
the run. A rerun into the same folder finds each piece's part of the last run (or of a
run killed midway), or the files of a last local run, and extracts only the documents
that changed.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

from tqdm import tqdm

import pipeline.run as local
from pipeline import __version__
from pipeline.partition import Settings, write_piece
from pipeline.paths import DEFAULT_RULES
from pipeline.read.pieces import plan_pieces
from pipeline.ruleset.files import rules_digest
from pipeline.ruleset.load import load_rules
from pipeline.work import TIME_LIMIT
from pipeline.write import parts
from pipeline.write.output import DOCS_FILE, FACTS_FILE, OutputFolder, remove_files
from pipeline.write.reuse import Previous, reuse_key

# A task is tried again this many times when its worker dies under it.
RETRIES = 2


class DaskMissing(Exception):
    """dask.distributed is not installed: the message says how to install it."""


def run_dask(paths: Iterable[str | Path], out_dir: str | Path, rules_dir: str | Path = DEFAULT_RULES,
             jobs: int = 1, scheduler: str | None = None, progress: bool | None = None,
             time_limit: float | None = TIME_LIMIT, reproducible: bool = False, **reader_options) -> local.Summary:
    """Extract every document under `paths` into out_dir/facts/ and out_dir/docs/, one pair of
    parts per piece, with the facts a local run gives, row for row."""
    distributed = _distributed()
    began = time.perf_counter()
    # Workers elsewhere have other working folders: they are given absolute paths.
    paths = [os.path.abspath(path) for path in paths] if scheduler else list(paths)
    pieces = plan_pieces(paths, reader_options)
    metadata = local.run_metadata(rules_digest(rules_dir), reader_options, paths, reproducible)
    out_dir = Path(out_dir)
    key = reuse_key(metadata)
    summary = local.Summary()
    with OutputFolder(out_dir) as folder:
        kept = parts.kept_parts(out_dir, key)
        # A last local run's files, whole and made as this run makes them: each task takes
        # its unchanged documents from them.
        from_files = Previous.open(out_dir / FACTS_FILE, out_dir / DOCS_FILE, key) is not None
        if not kept and not from_files:
            load_rules(rules_dir, check=False)  # a bad rule file stops the run here, not in every task
        settings = Settings.make(rules_dir, reader_options, time_limit, metadata)
        with _client(distributed, scheduler, jobs) as client:
            shared = client.scatter(settings, broadcast=True)
            futures = client.map(write_piece, pieces, [shared] * len(pieces), [str(out_dir.resolve())] * len(pieces),
                                 [kept.get(piece.key) for piece in pieces], [from_files] * len(pieces),
                                 retries=RETRIES, pure=False)
            show = sys.stderr.isatty() if progress is None else progress
            done = tqdm(distributed.as_completed(futures), total=len(futures), disable=not show, delay=1.0,
                        unit="piece", file=sys.stderr)
            by_key = {future.key: piece for future, piece in zip(futures, pieces)}
            results = [_result(future, by_key) for future in done]
        for result in sorted(results, key=lambda result: result["part"]):
            _count(summary, result)
            folder.check()
        entries = {name: entry for result in results for name, entry in result["files"].items()}
        folder.write_manifest(entries, {"layout": "parts", "pipeline_version": __version__,
                                      "rules_digest": metadata["rules_digest"], "documents": summary.documents,
                                      "facts": summary.facts,
                                      "pieces": [{"part": piece.number, "key": piece.key} for piece in pieces]})
        parts.remove_parts_from(out_dir, len(pieces))
        remove_files(out_dir)
    summary.seconds = time.perf_counter() - began
    return summary


class PieceFailed(Exception):
    """A task failed on the cluster for a reason outside any document (a document's own
    failure is an error row): the message names the piece and the reason."""


def _result(future, pieces: dict) -> dict:
    try:
        return future.result()
    except Exception as exc:  # raised on a worker, or the worker died RETRIES + 1 times
        piece = pieces[future.key]
        raise PieceFailed(f"piece {piece.number} ({piece.files[0][0]}…) failed on the Dask cluster: "
                          f"{type(exc).__name__}: {exc}; the parts written so far are kept for a rerun") from exc


def _count(summary: local.Summary, result: dict) -> None:
    for row in result["docs"]:
        summary.add(row)
    summary.unchanged += result["unchanged"]
    for source, columns in result["columns"].items():
        summary.columns.setdefault(source, columns)


@contextmanager
def _client(distributed, scheduler: str | None, jobs: int):
    """A client of the scheduler at `scheduler`, or of a LocalCluster closed with it."""
    if scheduler:
        with distributed.Client(scheduler) as client:
            yield client
        return
    # Processes, not threads: extraction is Python code and holds the GIL.
    with distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
         distributed.Client(cluster) as client:
        yield client


def _distributed():
    try:
        import distributed
    except ImportError:
        raise DaskMissing("--engine dask needs dask.distributed: pip install 'zh-facts[dask]'") from None
    return distributed
