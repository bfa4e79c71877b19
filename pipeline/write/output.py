"""The folder a run writes: one writer at a time, nothing half-written, the pair whole.

- A lock (an exclusive `flock` on `DIR/.lock`, released by the system when the process
  ends, however it ends) lets one run write a folder; a second fails at once, saying so.
- Temporaries that a killed run left (`.facts.parquet.PID.tmp`) are swept when the next
  run takes the lock; SIGTERM ends a run as an interrupt does, removing its own.
- facts.parquet and docs.parquet are renamed into place one after the other, then
  `manifest.json` is written last, naming both with their size and sha256. A reader
  (pipeline/review/facts_file.py) that finds them differ from the manifest knows it
  caught the pair mid-replacement, or left mixed by a run killed between the renames.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import threading
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, a lock file created exclusively instead
    fcntl = None

LOCK = ".lock"
MANIFEST = "manifest.json"
# The two layouts of a run's output: one file per table (the local engine), or a folder
# of parts per table (a run on Dask, pipeline/write/parts.py).
FACTS_FILE, DOCS_FILE = "facts.parquet", "docs.parquet"
# A temporary of this package: .facts.parquet.1234.tmp, .manifest.json.1234.tmp
TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.tmp")


class OutputError(Exception):
    """The output folder cannot be written: the message says why, in one line."""


class OutputFolder:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = None
        self._previous_handler = None
        self.stopped_by: int | None = None

    def __enter__(self) -> "OutputFolder":
        if self.path.exists() and not self.path.is_dir():
            raise OutputError(f"--out {self.path} is a file, not a folder")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock = _take_lock(self.path / LOCK)
        except PermissionError as exc:
            raise OutputError(f"--out {self.path} cannot be written: {exc.strerror}") from None
        sweep_temporaries(self.path)
        self._stop_on_sigterm()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        try:
            if self._previous_handler is not None:
                signal.signal(signal.SIGTERM, self._previous_handler)
        finally:
            _release_lock(self._lock, self.path / LOCK)

    def write_manifest(self, entries: dict[str, dict], extra: dict) -> None:
        """Names the finished files with their size and sha256 (file_entries); written last,
        atomically."""
        text = json.dumps({**extra, "files": entries}, ensure_ascii=False, indent=1, sort_keys=True)
        write_atomically(self.path / MANIFEST, (text + "\n").encode("utf-8"))

    def check(self) -> None:
        """Raises the SystemExit of a SIGTERM that came while Python was finalising an object
        (an exception raised in __del__ is printed and dropped): the run stops all the same."""
        if self.stopped_by is not None:
            raise SystemExit(128 + self.stopped_by)

    def _stop_on_sigterm(self) -> None:
        """SIGTERM raises SystemExit, so every writer's cleanup runs (temporaries removed)."""
        if threading.current_thread() is not threading.main_thread():
            return

        def stop(signum, frame):
            self.stopped_by = signum
            raise SystemExit(128 + signum)

        self._previous_handler = signal.signal(signal.SIGTERM, stop)


def remove_files(folder: Path) -> None:
    """Removes facts.parquet and docs.parquet, once a manifest names the parts instead."""
    for name in (FACTS_FILE, DOCS_FILE):
        (folder / name).unlink(missing_ok=True)


def read_manifest(folder: Path) -> dict:
    """The manifest of a run's folder; {} where there is none or it is not one."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def manifest_entry(folder: Path, name: str) -> dict | None:
    """The manifest's entry of the file `name` (relative to the run's folder), if it names it."""
    files = read_manifest(folder).get("files")
    entry = files.get(name) if isinstance(files, dict) else None
    return entry if isinstance(entry, dict) else None


def is_as_listed(path: Path, entry: dict) -> bool:
    """Whether the file has the size and sha256 its manifest entry gives."""
    return path.stat().st_size == entry.get("bytes") and file_digest(path) == entry.get("sha256")


def file_entries(folder: Path, names: list[str]) -> dict[str, dict]:
    """The manifest's entry of each file: its size and sha256."""
    return {name: {"bytes": (folder / name).stat().st_size, "sha256": file_digest(folder / name)} for name in names}


def write_atomically(path: Path, data: bytes) -> None:
    """`data` to `path` under a temporary name (swept if a killed run leaves it), then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sweep_temporaries(folder: Path) -> list[Path]:
    """Removes the temporaries of runs that are no longer alive; returns them."""
    swept = []
    for path in folder.glob(".*.tmp"):
        match = TEMPORARY.fullmatch(path.name)
        if match and not _alive(int(match.group("pid"))):
            path.unlink(missing_ok=True)
            swept.append(path)
    return swept


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


def _take_lock(path: Path):
    if fcntl is None:
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            raise OutputError(f"another run is writing to {path.parent} (remove {path} if none is)") from None
        os.write(descriptor, str(os.getpid()).encode())
        return descriptor
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(descriptor, 32).decode(errors="replace").strip()
        os.close(descriptor)
        raise OutputError(f"another run{f' (process {holder})' if holder.isdigit() else ''} is writing to "
                          f"{path.parent}; wait for it to finish or choose another --out") from None
    os.ftruncate(descriptor, 0)
    os.write(descriptor, str(os.getpid()).encode())
    return descriptor


def _release_lock(descriptor, path: Path) -> None:
    if descriptor is None:
        return
    if fcntl is None:
        os.close(descriptor)
        path.unlink(missing_ok=True)
        return
    os.ftruncate(descriptor, 0)
    fcntl.flock(descriptor, fcntl.LOCK_UN)
    os.close(descriptor)
