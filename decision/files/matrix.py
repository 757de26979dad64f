"""Plain decision matrices for ``decision rank matrix.csv --weights ... --types ...``.

Three file formats hold the same thing, options by criteria:

CSV (``.csv``, comma separated, UTF-8): the header row is a label for the option column (any
text, may be empty) followed by the criterion names; every further row is an option name
followed by one number per criterion. Blank lines are skipped.

    option,cost,quality,speed
    A,250,0.7,3
    B,300,0.9,2

YAML (``.yaml`` / ``.yml``): a mapping with ``criteria`` (a list of names) and ``options`` (a
mapping from option name to either a list of numbers in criterion order or a mapping from
criterion name to number, naming every criterion once).

    criteria: [cost, quality, speed]
    options:
      A: [250, 0.7, 3]
      B: {cost: 300, quality: 0.9, speed: 2}

XMCDA 4 (``.xml``): the one performance table of a Decision Deck file, its inactive
alternatives and criteria left out (see :mod:`decision.files.xmcda`, which also reads the
weights and directions such a file may carry).

Every problem (missing or empty file, ragged row, non-number, NaN or infinity, empty or
duplicate name, unknown key) raises :class:`DecisionError` with the file, line and what is
allowed. Files are read as models are: only a regular file, never more than
:data:`MAX_FILE_BYTES` (a device or FIFO is refused, not read forever), and YAML through the
guarded loader of :mod:`decision.files.yamlio` (nesting, value count, tags, duplicate keys).
:func:`parse_weights` and :func:`parse_types` read the two command-line options.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from decision.errors import DecisionError, abbreviate
from decision.files import yamlio
from decision.files.numbers import PLAIN_NUMBER as PLAIN_NUMBER
from decision.files.numbers import plain_float as plain_float
from decision.files.safe_read import read_bytes_limited

if TYPE_CHECKING:
    from decision.files.xmcda import XmcdaTable

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Largest matrix file read, in bytes.
MAX_FILE_BYTES = 10_000_000
NUMBER = "a finite number in plain ASCII digits, e.g. 12, -0.5, 1e3"
_BENEFIT = {"1", "+1", "benefit", "max"}
_COST = {"-1", "cost", "min"}


@dataclass(frozen=True, slots=True)
class DecisionMatrix:
    """Option names, criterion names and the ``(options, criteria)`` float64 values.

    ``lines`` holds the file line of each option (empty when not read from a file), so
    later checks of the values can point at the row; ``cells`` the (line, column) of each
    value, option by criterion, where the format gives one (CSV and YAML), so a check can
    point at the value itself.
    """

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    values: FloatArray
    lines: tuple[int, ...] = ()
    cells: tuple[tuple[tuple[int, int], ...], ...] = ()

    def position(self, row: int, column: int) -> tuple[int | None, int | None]:
        """The file line and column of value ``[row, column]``, as far as they are known."""
        if self.cells:
            return self.cells[row][column]
        return (self.lines[row] if self.lines else None), None


def load_matrix(path: str | Path) -> DecisionMatrix:
    """Read a CSV, YAML or XMCDA decision matrix (chosen by the file suffix); an XMCDA file's
    inactive alternatives and criteria are left out (see :mod:`decision.files.xmcda`)."""
    file = str(path)
    suffix = Path(file).suffix.lower()
    if suffix not in {".csv", ".yaml", ".yml", ".xml"}:
        raise DecisionError(
            f"unknown matrix file type '{suffix or file}'", file=file,
            allowed=".csv, .yaml or .yml, or .xml (XMCDA 4)",
        )
    if suffix == ".xml":
        return xmcda_matrix(file)
    raw = read_bytes_limited(file, MAX_FILE_BYTES, "matrix")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DecisionError(
            f"file is not UTF-8 text (byte {error.start})", file=file,
            line=raw[: error.start].count(b"\n") + 1, allowed="UTF-8 text",
        ) from None
    if not text.strip():
        allowed = (
            "a header row and option rows" if suffix == ".csv"
            else "criteria: [names], options: {name: [numbers]}"
        )
        raise DecisionError("file is empty", file=file, line=1, column=1, allowed=allowed)
    return parse_csv(text, file) if suffix == ".csv" else parse_yaml(text, file)


def xmcda_matrix(file: str) -> DecisionMatrix:
    """The active alternatives and criteria of an XMCDA file's performance table."""
    from decision.files.xmcda import read_xmcda

    return table_matrix(read_xmcda(file), file)


def table_matrix(table: XmcdaTable, file: str) -> DecisionMatrix:
    """The active alternatives (rows) of an XMCDA table read from ``file``."""
    rows = table.active_rows
    if not rows:
        raise DecisionError("every alternative is inactive", file=file,
                            allowed="at least one active alternative")
    for i in rows:
        _check_printable(table.alternatives[i], "alternative", file,
                         table.lines[i] if table.lines else None)
    for criterion in table.criteria:
        _check_printable(criterion, "criterion", file, None)
    return DecisionMatrix(
        tuple(table.alternatives[i] for i in rows), table.criteria,
        np.ascontiguousarray(table.values[rows]),
        tuple(table.lines[i] for i in rows) if table.lines else (),
    )


def parse_csv(text: str, file: str = "<csv>") -> DecisionMatrix:
    """Parse CSV text; see the module docs for the layout."""
    rows: list[tuple[int, list[str], list[int]]] = []
    physical = text.split("\n")  # the lines StringIO gives the reader, so line_num matches
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    try:
        first = 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, [cell.strip() for cell in row],
                             _cell_columns(physical[first - 1], len(row))
                             if first == reader.line_num else [1] * len(row)))  # quoted newline
            first = reader.line_num + 1
    except csv.Error as error:
        raise DecisionError(f"malformed CSV: {error}", file=file, line=reader.line_num) from None
    if not rows:
        raise DecisionError("file is empty", file=file, line=1, column=1,
                            allowed="a header row and option rows")
    header_line, header, header_columns = rows[0]
    criteria = header[1:]
    if not criteria:
        raise DecisionError(
            "the header row names no criteria", file=file, line=header_line, column=1,
            allowed="comma-separated: option label, then one name per criterion",
        )
    _check_names(criteria, "criterion", file, [header_line] * len(criteria), header_columns[1:])
    if len(rows) == 1:
        raise DecisionError(
            "no option rows after the header", file=file, line=header_line, column=1,
            allowed="one row per option: name, then one number per criterion",
        )
    names: list[str] = []
    values: list[list[float]] = []
    lines: list[int] = []
    columns: list[int] = []
    cells: list[tuple[tuple[int, int], ...]] = []
    for line, row, row_columns in rows[1:]:
        if len(row) != len(header):
            raise DecisionError(
                f"row has {len(row)} cells, the header has {len(header)}", file=file, line=line,
                column=1,
                allowed=f"option name and {len(criteria)} numbers ({', '.join(criteria)})",
            )
        names.append(row[0])
        lines.append(line)
        columns.append(row_columns[0])
        cells.append(tuple((line, column) for column in row_columns[1:]))
        values.append([
            _number(cell, file, line, f"{row[0] or '?'}.{criterion}", column)
            for cell, criterion, column in zip(row[1:], criteria, row_columns[1:], strict=True)
        ])
    _check_names(names, "option", file, lines, columns)
    return DecisionMatrix(
        tuple(names), tuple(criteria), np.array(values, dtype=np.float64), tuple(lines),
        tuple(cells),
    )


def _cell_columns(line: str, count: int) -> list[int]:
    """The 1-based column where each of a one-line CSV record's ``count`` cells starts (after
    the spaces ``skipinitialspace`` drops), following the default dialect's quoting."""
    columns: list[int] = []
    i = 0
    while len(columns) < count:
        while i < len(line) and line[i] == " ":
            i += 1
        columns.append(i + 1)
        quoted = i < len(line) and line[i] == '"'
        i += quoted
        while i < len(line):
            if quoted and line[i] == '"':
                if line[i + 1:i + 2] == '"':  # a doubled quote inside quotes
                    i += 2
                    continue
                quoted = False
            elif not quoted and line[i] == ",":
                break
            i += 1
        i += 1
    return columns


def parse_yaml(text: str, file: str = "<yaml>") -> DecisionMatrix:
    """Parse YAML text (with the guarded loader models use); see the module docs."""
    document = yamlio.parse_yaml(text, file)
    reader = _YamlMatrix(document, file)
    data = document.data
    if not isinstance(data, dict):
        raise reader.error("expected a mapping", (), allowed="criteria, options")
    for key in data:
        if key not in {"criteria", "options"}:
            raise reader.error(f"unknown key '{abbreviate(key)}'", (key,),
                               allowed="criteria, options")
    for key in ("criteria", "options"):
        if key not in data:
            raise reader.error(f"missing '{key}'", (),
                               allowed="criteria: [names], options: {name: [numbers]}")
    criteria_data = data["criteria"]
    if not isinstance(criteria_data, list) or not criteria_data:
        raise reader.error("criteria must be a non-empty list of names", ("criteria",),
                           "criteria", allowed="[name, name, ...]")
    criteria = [reader.name(item, ("criteria", i)) for i, item in enumerate(criteria_data)]
    criterion_at = [reader.document.locate(("criteria", i)) or (1, None)
                    for i in range(len(criteria))]
    _check_names(criteria, "criterion", file, [line for line, _ in criterion_at],
                 [column for _, column in criterion_at])

    options_data = data["options"]
    if not isinstance(options_data, dict) or not options_data:
        raise reader.error("options must be a non-empty mapping", ("options",), "options",
                           allowed="option name: [numbers] or {criterion: number}")
    names: list[str] = []
    lines: list[int] = []
    columns: list[int | None] = []
    values: list[list[float]] = []
    cells: list[tuple[tuple[int, int], ...]] = []
    for key, value in options_data.items():
        name = reader.name(key, ("options", key))
        line, column = reader.document.locate(("options", key)) or (1, None)
        names.append(name)
        lines.append(line)
        columns.append(column)
        values.append(reader.option_values(value, criteria, key, name))
        cells.append(tuple(
            reader.document.locate(("options", key, at)) or (line, 1)
            for at in (range(len(criteria)) if isinstance(value, list) else criteria)
        ))
    _check_names(names, "option", file, lines, columns)
    return DecisionMatrix(
        tuple(names), tuple(criteria), np.array(values, dtype=np.float64), tuple(lines),
        tuple(cells),
    )


class _YamlMatrix:
    """Reads the parts of a parsed YAML matrix, pointing errors at the file's lines."""

    def __init__(self, document: yamlio.Document, file: str) -> None:
        self.document = document
        self.file = file

    def line(self, at: tuple[str | int, ...]) -> int:
        position = self.document.locate(at)
        return position[0] if position else 1

    def error(
        self, what: str, at: tuple[str | int, ...], key_path: str | None = None,
        *, allowed: str,
    ) -> DecisionError:
        """An error located at the key path ``at`` of the document (shown as ``key_path``)."""
        line, column = self.document.locate(at) or (None, None)
        return DecisionError(what, file=self.file, line=line, column=column,
                             key_path=key_path, allowed=allowed)

    def name(self, value: object, at: tuple[str | int, ...]) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error("expected a name", at, str(at[0]), allowed="a non-empty text")
        text = str(value).strip()
        if not text:
            raise self.error("expected a name", at, str(at[0]), allowed="a non-empty text")
        return text

    def number(self, value: object, at: tuple[str | int, ...], key_path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error("expected a number", at, key_path, allowed=NUMBER)
        try:
            return _number(str(value), self.file, self.line(at), key_path)
        except DecisionError as error:  # the same words as for CSV, located with a column
            raise self.error(error.what, at, key_path, allowed=NUMBER) from None

    def option_values(
        self, value: object, criteria: list[str], key: str, name: str
    ) -> list[float]:
        at: tuple[str | int, ...] = ("options", key)
        path = f"options.{name}"
        if isinstance(value, list):
            if len(value) != len(criteria):
                raise self.error(
                    f"{len(value)} values for {len(criteria)} criteria", at, path,
                    allowed=f"one number per criterion ({', '.join(criteria)})",
                )
            return [
                self.number(item, (*at, i), f"{path}.{criterion}")
                for i, (item, criterion) in enumerate(zip(value, criteria, strict=True))
            ]
        if isinstance(value, dict):
            for criterion in value:
                if criterion not in criteria:
                    raise self.error(f"unknown key '{abbreviate(criterion)}'", (*at, criterion),
                                     path, allowed=", ".join(sorted(criteria)))
            missing = [c for c in criteria if c not in value]
            if missing:
                raise self.error(f"no value for {', '.join(missing)}", at, path,
                                 allowed="a number for every criterion")
            return [self.number(value[c], (*at, c), f"{path}.{c}") for c in criteria]
        raise self.error(
            "expected a list of numbers or a mapping", at, path,
            allowed="[numbers in criterion order] or {criterion: number}",
        )


def parse_weights(
    text: str, n_criteria: int | None = None, key_path: str = "--weights"
) -> FloatArray:
    """Parse ``--weights 0.3,0.4,0.3`` into a float64 vector (not yet normalised).

    Weights must be finite, >= 0, not all zero, and one per criterion when ``n_criteria`` is
    given; they need not sum to 1 (they are normalised later, in one place). Errors name
    ``key_path``, the caller's name for the weights.
    """
    allowed = ("comma-separated numbers >= 0 in plain ASCII digits, one per criterion, "
               "e.g. 0.3,0.4,0.3")
    parts = [part.strip() for part in text.split(",")]
    weights: list[float] = []
    for i, part in enumerate(parts, 1):
        value = plain_float(part)
        if not math.isfinite(value) or value < 0:
            raise DecisionError(
                f"weight {i} is '{abbreviate(part)}'", key_path=key_path, allowed=allowed
            )
        weights.append(value)
    _check_count(len(weights), n_criteria, key_path, allowed)
    if not any(weights):
        raise DecisionError("weights are all zero", key_path=key_path, allowed=allowed)
    return np.array(weights, dtype=np.float64)


def parse_types(
    text: str, n_criteria: int | None = None, key_path: str = "--types"
) -> BoolArray:
    """Parse ``--types 1,-1,1`` or ``benefit,cost,benefit`` into a benefit mask.

    Accepted per criterion (case-insensitive): ``1``, ``+1``, ``benefit``, ``max`` for a
    benefit criterion; ``-1``, ``cost``, ``min`` for a cost criterion. Errors name
    ``key_path``.
    """
    allowed = "comma-separated 1 / -1 or benefit / cost, one per criterion"
    benefit: list[bool] = []
    for i, part in enumerate(text.split(","), 1):
        token = part.strip().lower()
        if token in _BENEFIT:
            benefit.append(True)
        elif token in _COST:
            benefit.append(False)
        else:
            raise DecisionError(f"type {i} is '{abbreviate(part.strip())}'", key_path=key_path,
                                allowed=allowed)
    _check_count(len(benefit), n_criteria, key_path, allowed)
    return np.array(benefit, dtype=np.bool_)


def _check_count(count: int, expected: int | None, option: str, allowed: str) -> None:
    if expected is not None and count != expected:
        raise DecisionError(
            f"{count} values for {expected} criteria", key_path=option, allowed=allowed
        )


def _number(
    cell: str, file: str, line: int, key_path: str, column: int | None = None
) -> float:
    value = plain_float(cell)
    if not math.isfinite(value):
        raise DecisionError(
            f"'{abbreviate(cell)}' is not a number" if cell else "missing value",
            file=file, line=line, column=column, key_path=key_path, allowed=NUMBER,
        )
    return value


#: C0 and C1 control characters: printed raw in the ranking table, ESC, BEL and the rest
#: would change colours or window titles, or hide text, in the reader's terminal.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _check_printable(
    name: str, what: str, file: str, line: int | None, column: int | None = None
) -> None:
    control = _CONTROLS.search(name)
    if control is not None:
        raise DecisionError(
            f"{what} name holds the control character U+{ord(control.group()):04X} at "
            f"character {control.start() + 1}", file=file, line=line, column=column,
            allowed=f"{what} names of printable text on one line",
        )


def _check_names(
    names: Sequence[str], what: str, file: str, lines: Sequence[int],
    columns: Sequence[int | None],
) -> None:
    seen: set[str] = set()
    for name, line, column in zip(names, lines, columns, strict=True):
        if not name:
            raise DecisionError(f"empty {what} name", file=file, line=line, column=column,
                                allowed=f"a non-empty {what} name")
        _check_printable(name, what, file, line, column)
        if name in seen:
            raise DecisionError(f"duplicate {what} name '{name}'", file=file, line=line,
                                column=column, allowed=f"unique {what} names")
        seen.add(name)
