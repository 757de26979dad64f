"""The tool's own error type: bad input, reported as one line that says where and what.

Every problem a user can cause (a malformed file, an unknown name, a value out of range, an
unsafe expression, a bad command-line argument) is raised as :class:`DecisionError`. The CLI
prints :meth:`DecisionError.one_line` and exits with status 2; nothing else is shown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

KeyPath = Sequence[str | int]


def format_key_path(path: KeyPath) -> str:
    """Render a key path as dotted text: ``options.r1.performance.human_rights.high``."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif parts:
            parts.append(f".{part}")
        else:
            parts.append(str(part))
    return "".join(parts)


def parse_key_path(text: str) -> tuple[str | int, ...]:
    """Inverse of :func:`format_key_path`: ``a.b[2].c`` -> ``('a', 'b', 2, 'c')``."""
    parts: list[str | int] = []
    for piece in text.replace("[", ".[").split("."):
        if not piece:
            continue
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return tuple(parts)


def abbreviate(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis in the middle, for messages."""
    if len(text) <= limit:
        return text
    keep = (limit - 1) // 2
    return f"{text[:keep]}…{text[-keep:]}"


def describe_value(value: object) -> str:
    """A value as a message names it: ``true``, ``the number 2.5``, ``the text 'yes'``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value (null)"
    if isinstance(value, float):
        return f"the number {value:g}"
    if isinstance(value, int):
        return f"the number {abbreviate(str(value))}"
    if isinstance(value, str):
        return f"the text {abbreviate(value)!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


#: pydantic's error types that say a value has the wrong kind -> the kind expected, in words.
TYPE_ERRORS = {
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true/false",
    "string_type": "text",
    "dict_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
    "literal_error": "",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


#: The kinds of :data:`TYPE_ERRORS` with examples, for the ``allowed`` part of messages.
KIND_EXAMPLES = {
    "a number": "a number such as 2, 0.5 or 1e-3",
    "a whole number": "a whole number such as 7",
    "true/false": "true or false",
    "text": "text (in quotes if it looks like a number or true/false)",
}


#: How a caller names its own arguments, for the key path of an error in one (not in a file):
#: a mapping from a function's parameter name to the caller's name for it. Python callers
#: pass none, so an error names the parameter (``perspective``); the command line passes
#: :data:`decision.cli.main.CLI_ARGUMENTS`, so it names the flag (``--perspective``).
ArgumentNames = Mapping[str, str]


def argument_name(name: str, names: ArgumentNames | None = None) -> str:
    """The caller's name for the parameter ``name`` (the parameter's own name by default)."""
    return name if names is None else names.get(name, name)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close candidate exists, else ''."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def list_allowed(names: Iterable[str], limit: int = 12) -> str:
    """A short, sorted, comma-separated list of allowed names."""
    ordered = sorted(names)
    shown = ", ".join(ordered[:limit])
    return shown + (f", ... ({len(ordered)} in all)" if len(ordered) > limit else "")


class DecisionError(Exception):
    """Bad input: carries the file, line, column and key path of the problem.

    ``what`` says what is wrong; ``allowed`` says what would be accepted. ``quotes_input``
    marks a message that quotes the file's own content (a key, a value, a tag, a character):
    such a message is shown for files the user named or that look like models and scenarios,
    never for an arbitrary file a scenario points at (see :mod:`decision.load.loading`).
    """

    def __init__(
        self,
        what: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key_path: KeyPath | str | None = None,
        allowed: str | None = None,
        quotes_input: bool = False,
        at: int | None = None,
    ) -> None:
        self.what = what
        #: For an error in a piece of text (an expression), its 1-based character position,
        #: so a loader can point at that column of the file.
        self.at = at
        self.quotes_input = quotes_input
        self.file = file
        self.line = line
        self.column = column
        self.key_path = (
            key_path if isinstance(key_path, str) or key_path is None else format_key_path(key_path)
        )
        self.allowed = allowed
        super().__init__(self.one_line())

    def located(
        self,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key_path: KeyPath | str | None = None,
    ) -> DecisionError:
        """A copy with missing location parts filled in (existing parts win)."""
        path = self.key_path
        if path is None and key_path is not None:
            path = key_path if isinstance(key_path, str) else format_key_path(key_path)
        return DecisionError(
            self.what,
            file=self.file or file,
            line=self.line if self.line is not None else line,
            column=self.column if self.column is not None else column,
            key_path=path,
            allowed=self.allowed,
            quotes_input=self.quotes_input,
            at=self.at,
        )

    def one_line(self) -> str:
        """``file:line:col: key.path: what is wrong; allowed: what is accepted``."""
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        path = f"{_LONG_KEY.sub(_abbreviated, self.key_path)}: " if self.key_path else ""
        allowed = f"; allowed: {self.allowed}" if self.allowed else ""
        text = f"{where}{path}{self.what}{allowed}"
        return _visible(" ".join(text.split()))


#: A key longer than any id (64 characters) in a key path: a file's own text (a 5,000-digit
#: key, say), so it is shown abbreviated like any quoted value.
_LONG_KEY = re.compile(r"[^.\[\]]{65,}")


def _abbreviated(match: re.Match[str]) -> str:
    return abbreviate(match.group())


#: Characters never printed raw in a message: C0 and C1 controls and the bidirectional
#: controls (messages quote file names, keys and values, and a terminal would obey them).
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\u202e``)."""
    return _INVISIBLE.sub(lambda m: repr(m.group())[1:-1], text)
