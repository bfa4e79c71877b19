"""Where an entry of a rule file is written: `file:line (entry)`.

tomllib gives values, not positions, so the lines are found by reading the
file once more: the header of each [[table]] entry (nested ones such as
[[rule.example]] counted per parent), each inline table of an array
(units = [ {…}, {…} ]) and each key. Text inside strings is passed over, so
a pattern holding `[[` or `{` moves nothing.
"""
from __future__ import annotations

import re
from pathlib import Path

ARRAY_HEADER = re.compile(r"\s*\[\[\s*([\w.]+)\s*\]\]")
TABLE_HEADER = re.compile(r"\s*\[\s*([\w.]+)\s*\]")
KEY = re.compile(r"\s*([\w-]+)\s*=")


class Locator:
    """The lines of one rule file's entries, keyed by their path:
    `rule` (every [[rule]]), `rule[3].example` (the examples of the third rule),
    `units` (the inline tables of units = [...]), `fragments.num` (a key)."""

    def __init__(self, path: Path, text: str | None = None):
        self.name = path.name
        self.entries: dict[str, list[int]] = {}  # [[table]] headers and inline tables of arrays
        self.keys: dict[str, int] = {}           # the line of each key
        if text is None:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
        self._read(text)

    def line(self, key: str, index: int = 1) -> int | None:
        """The line of the index-th (from 1) entry of the array `key`, else of the key itself."""
        found = self.entries.get(key, [])
        if found:
            return found[index - 1] if 0 < index <= len(found) else None
        return self.keys.get(key)

    def where(self, key: str, index: int = 1, label: str | None = None) -> str:
        """`file:line (label)`, or `file (label)` where the line is not known."""
        line = self.line(key, index)
        head = f"{self.name}:{line}" if line else self.name
        return f"{head} ({label})" if label else head

    def _add(self, key: str, number: int) -> None:
        self.entries.setdefault(key, []).append(number)

    def _read(self, text: str) -> None:
        table = ""             # the key prefix of the current [table] or [[table]] entry
        array = None           # the key of the inline array being read, at depth 1
        depth = 0              # brackets and braces open outside strings
        quote = None           # the delimiter of a multi-line string being read
        for number, line in enumerate(text.splitlines(), 1):
            if quote is not None:
                if quote not in line:
                    continue
                line = line[line.index(quote) + 3:]
                quote = None
            elif depth == 0:
                header = ARRAY_HEADER.match(line)
                if header:
                    table = self._array_entry(header.group(1), number)
                    continue
                header = TABLE_HEADER.match(line)
                if header:
                    self.keys.setdefault(header.group(1), number)
                    table = header.group(1) + "."
                    continue
                key = KEY.match(line)
                if key:
                    self.keys.setdefault(table + key.group(1), number)
                    array = table + key.group(1)
                    line = line[key.end():]
            depth, quote = self._brackets(line, depth, array, number)

    def _array_entry(self, name: str, number: int) -> str:
        """Record a [[name]] header; nested names count within their parent's last entry."""
        parent, _, child = name.rpartition(".")
        key = f"{parent}[{len(self.entries.get(parent, []))}].{child}" if parent else name
        self._add(key, number)
        return f"{key}[{len(self.entries[key])}]."

    def _brackets(self, line: str, depth: int, array: str | None, number: int) -> tuple[int, str | None]:
        """Depth after the line, and an unclosed multi-line string's delimiter; records each
        inline table that opens at depth 1 of an array."""
        position = 0
        while position < len(line):
            char = line[position]
            if char == "#":
                break
            if char in "'\"":
                if line.startswith(char * 3, position):
                    end = line.find(char * 3, position + 3)
                    if end < 0:
                        return depth, char * 3
                    position = end + 3
                    continue
                end = line.find(char, position + 1)
                while char == '"' and end > 0 and line[end - 1] == "\\":
                    end = line.find(char, end + 1)
                position = (end if end >= 0 else len(line)) + 1
                continue
            if char in "[{":
                if char == "{" and depth == 1 and array is not None:
                    self._add(array, number)
                depth += 1
            elif char in "]}":
                depth -= 1
            position += 1
        return depth, None
