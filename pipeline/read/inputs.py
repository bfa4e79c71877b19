"""Which files the paths given name: a file is itself; a folder is walked in a fixed order,
skipping hidden entries, with its links judged (pipeline/read/documents.py reads them).
"""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

TEXT_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")


def suffix_of(name: str) -> str:
    return Path(name).suffix.lower()


def list_inputs(path, follow_symlinks: bool = False) -> list[tuple[str, str, str | None]]:
    """(source, doc_id, why it is left unread or None) for one path given by the user. A
    path given itself is read wherever it leads: the user named it."""
    given = os.fspath(path)
    if os.path.isfile(given):
        return [(given, Path(given).stem, None)]
    if not os.path.isdir(given):
        raise FileNotFoundError(f"input path does not exist: {given}")
    root = os.path.realpath(given)
    found, seen = [], {root}
    for folder, dirs, files in os.walk(given, followlinks=follow_symlinks):
        for name in [d for d in dirs if not follow_symlinks and not d.startswith(".")
                     and os.path.islink(os.path.join(folder, d))]:
            source = os.path.join(folder, name)
            found.append((_relative(source, given), source,
                          f"{source}: a link to the folder {os.path.realpath(source)}; not walked "
                          "(--follow-symlinks walks it)"))
        # A linked folder is walked once, and never round a cycle of links.
        dirs[:] = [d for d in dirs if not d.startswith(".") and _first_visit(os.path.join(folder, d), seen)]
        for name in files:
            if name.startswith(".") or suffix_of(name) not in TEXT_SUFFIXES + TABLE_SUFFIXES:
                continue
            source = os.path.join(folder, name)
            real = os.path.realpath(source)
            unread = None if follow_symlinks or _inside(real, root) else (
                f"{source}: a link to {real}, outside the input folder {given}; not read "
                "(--follow-symlinks reads it)")
            found.append((_relative(source, given), source, unread))
    found.sort()
    return [(source, str(PurePosixPath(rel).with_suffix("")), unread) for rel, source, unread in found]


def _relative(source: str, given: str) -> str:
    return Path(os.path.relpath(source, given)).as_posix()


def _first_visit(folder: str, seen: set[str]) -> bool:
    real = os.path.realpath(folder)
    if real in seen:
        return False
    seen.add(real)
    return True


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def known_count(paths, follow_symlinks: bool = False) -> int | None:
    """How many documents the paths hold, when that is known before reading: every input
    a text file (one document each); None when a table is among them (its rows are not)."""
    inputs = [item for path in paths for item in list_inputs(path, follow_symlinks)]
    return None if any(suffix_of(source) in TABLE_SUFFIXES for source, _, _ in inputs) else len(inputs)
