"""Text from documents made safe to print: control characters (an escape sequence, a
carriage return, a bell) written as visible escapes, so a document cannot move the
cursor, recolour or retitle the terminal of whoever reads the output."""
from __future__ import annotations

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates that reorder what a terminal shows.
_CONTROLS = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0),
             *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
CONTROL_ESCAPES = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _CONTROLS}
_ESCAPES_LINES = {**CONTROL_ESCAPES, 0x0A: "\\n", 0x09: "\\t"}


def printable(text: str, *, lines: bool = True) -> str:
    """`text` with its control characters escaped; with lines=False, tabs and line breaks too
    (for one-line output such as a table cell)."""
    return text.translate(CONTROL_ESCAPES if lines else _ESCAPES_LINES)
