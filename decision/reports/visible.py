"""Text made safe to show: bidirectional controls and other invisible format characters.

Models reject control characters at load, but bidirectional overrides and isolates (U+202A to
U+202E, U+2066 to U+2069, the marks U+200E, U+200F, U+061C) are legitimate in right-to-left
text, so they are kept in the data and shown as visible ``[U+202E]`` tags wherever text is
printed or rendered: a title cannot reorder what a reader sees (the "Trojan Source" trick).
"""

from __future__ import annotations

import io
import re
from typing import TextIO

_FORMAT = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
#: Invisible characters that change how text around them is ordered or shown: format
#: characters and every control character but newline and tab.
INVISIBLE = re.compile(f"[{_FORMAT}\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The same but for ESC, which the terminal tables' own colour codes use.
_TERMINAL_INVISIBLE = re.compile(f"[{_FORMAT}\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]")


def _tag(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group(0)):04X}]"


def visible(text: str) -> str:
    """``text`` with every invisible format or control character (but newline and tab)
    shown as ``[U+XXXX]``."""
    return INVISIBLE.sub(_tag, text)


def json_visible(text: str) -> str:
    """JSON text with every invisible character written as its ``\\uXXXX`` escape: the same
    data to any JSON reader, but nothing a terminal or viewer would obey (JSON escapes only
    C0 controls itself, so C1 controls and bidirectional overrides would stay raw)."""
    return INVISIBLE.sub(_json_escape, text)


def json_output(data: object) -> str:
    """``data`` as the indented JSON every ``--json`` option prints (no NaN, invisible
    characters escaped; see :func:`json_visible`)."""
    import json

    return json_visible(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


class VisibleWriter(io.TextIOBase):
    """A text stream that shows invisible characters before writing them to ``target``
    (the terminal tables: rich's own colour codes use ESC, which is kept)."""

    def __init__(self, target: TextIO) -> None:
        self.target = target

    def write(self, text: str) -> int:
        self.target.write(_TERMINAL_INVISIBLE.sub(_tag, text))
        return len(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The target's: rich draws tables with ASCII lines when it cannot take Unicode."""
        return getattr(self.target, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        return self.target.fileno()
