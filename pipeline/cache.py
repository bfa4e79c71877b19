"""The per-user cache: files the pipeline builds once and reads in every later process.

Trust nothing on disk: the folder is the user's own cache folder (platformdirs: under
$XDG_CACHE_HOME or ~/.cache on Linux), created 0700 and used only when it is a real
folder the user owns that no one else may write; each file carries the sha256 of its
content, checked when it is read (a file that fails is built again); a file is written
under a fresh name that no link can stand in for (O_EXCL | O_NOFOLLOW), then renamed
into place, so writing never follows a symlink another user planted.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import platformdirs

APP = "zh-facts"
MAGIC = b"zh-facts cache 1\n"
# PIPELINE_CACHE_DIR puts the cache elsewhere (a test, a read-only home).
FOLDER_VARIABLE = "PIPELINE_CACHE_DIR"


def cache_folder() -> Path | None:
    """The user's cache folder, made if missing; None when it is not safe to use."""
    folder = Path(os.environ.get(FOLDER_VARIABLE) or platformdirs.user_cache_dir(APP))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022:
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return folder


def read(name: str) -> bytes | None:
    """The content of a cache file whose digest checks, else None."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    digest, _, content = data[len(MAGIC):].partition(b"\n")
    return content if hashlib.sha256(content).hexdigest().encode() == digest else None


def write(name: str, content: bytes) -> Path | None:
    """Writes a cache file (its digest first); the path, or None when there is no safe cache."""
    folder = cache_folder()
    if folder is None:
        return None
    data = MAGIC + hashlib.sha256(content).hexdigest().encode() + b"\n" + content
    return _write_new(folder, name, data)


def write_plain(name: str, content: bytes) -> Path | None:
    """Writes a file another library reads as it is (jieba's dictionary), no digest added."""
    folder = cache_folder()
    return None if folder is None else _write_new(folder, name, content)


def _write_new(folder: Path, name: str, data: bytes) -> Path | None:
    partial = folder / f".{name}.{os.getpid()}.part"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(partial, flags, 0o600)
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        # Parallel workers may build the same file: each writes its own and renames.
        os.replace(partial, folder / name)
    except OSError:
        partial.unlink(missing_ok=True)
        return None
    return folder / name


def prune(prefix: str, keep: int) -> None:
    """Removes all but the `keep` newest cache files whose names start with `prefix`: each
    version of the rules writes its own, and an old one is only ever built again."""
    folder = cache_folder()
    if folder is None:
        return
    dated = []
    for path in folder.glob(prefix + "*"):
        try:
            dated.append((path.stat().st_mtime, path.name, path))
        except OSError:  # removed meanwhile by another process
            continue
    for _, _, path in sorted(dated, reverse=True)[keep:]:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            continue
