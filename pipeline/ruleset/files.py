"""The rule files of a folder, parsed once, each with its locator."""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.ruleset.errors import RuleError
from pipeline.ruleset.locate import Locator


@dataclass
class RuleFile:
    path: Path
    data: dict
    locator: Locator

    @property
    def name(self) -> str:
        return self.path.name

    def where(self, key: str, index: int = 1, label: str | None = None) -> str:
        """`file:line (label)` of the index-th entry of `key` (see Locator)."""
        return self.locator.where(key, index, label)


def read_rule_files(directory: str | Path) -> tuple[list[RuleFile], str]:
    """Every *.toml of the folder, in name order, and a digest of their bytes."""
    directory = Path(directory)
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise RuleError(f"{directory}: no rule files (*.toml)")
    files, digest = [], hashlib.sha256()
    for path in paths:
        raw = path.read_bytes()
        digest.update(path.name.encode() + raw)
        files.append(RuleFile(path, _parse(path, raw), Locator(path, raw.decode("utf-8", "replace"))))
    return files, digest.hexdigest()


def rules_digest(directory: str | Path) -> str:
    """The digest read_rule_files gives, from the files' bytes alone (nothing parsed): a run
    that finds its last output made with the same rules need not load them."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.toml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _parse(path: Path, raw: bytes) -> dict:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path.name}: not UTF-8: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path.name}: {exc}") from exc
