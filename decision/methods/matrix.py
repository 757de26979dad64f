"""Plain decision matrices for ``decision rank matrix.csv --weights ... --types ...``.

Two file formats hold the same thing, options by criteria:

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

Every problem (missing or empty file, ragged row, non-number, NaN or infinity, empty or
duplicate name, unknown key) raises :class:`DecisionError` with the file, line and what is
allowed. :func:`parse_weights` and :func:`parse_types` read the two command-line options.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from decision.errors import DecisionError
from decision.methods.inputs import BoolArray, FloatArray

#: Largest matrix file read, in bytes.
MAX_FILE_BYTES = 10_000_000
NUMBER = "a finite number"
_BENEFIT = {"1", "+1", "benefit", "max"}
_COST = {"-1", "cost", "min"}


@dataclass(frozen=True, slots=True)
class DecisionMatrix:
    """Option names, criterion names and the ``(options, criteria)`` float64 values."""

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    values: FloatArray


def load_matrix(path: str | Path) -> DecisionMatrix:
    """Read a CSV or YAML decision matrix (chosen by the file suffix)."""
    file = str(path)
    suffix = Path(file).suffix.lower()
    if suffix not in {".csv", ".yaml", ".yml"}:
        raise DecisionError(
            f"unknown matrix file type '{suffix or file}'", file=file,
            allowed=".csv, .yaml or .yml",
        )
    try:
        size = Path(file).stat().st_size
        if size > MAX_FILE_BYTES:
            raise DecisionError(
                f"file is too large ({size} bytes)", file=file,
                allowed=f"at most {MAX_FILE_BYTES} bytes",
            )
        text = Path(file).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise DecisionError(f"cannot read the file: {error.strerror}", file=file) from None
    except UnicodeDecodeError:
        raise DecisionError("file is not UTF-8 text", file=file) from None
    if not text.strip():
        raise DecisionError("file is empty", file=file, allowed="a header row and option rows")
    return parse_csv(text, file) if suffix == ".csv" else parse_yaml(text, file)


def parse_csv(text: str, file: str = "<csv>") -> DecisionMatrix:
    """Parse CSV text; see the module docs for the layout."""
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, [cell.strip() for cell in row]))
    except csv.Error as error:
        raise DecisionError(f"malformed CSV: {error}", file=file, line=reader.line_num) from None
    if not rows:
        raise DecisionError("file is empty", file=file, allowed="a header row and option rows")
    header_line, header = rows[0]
    criteria = header[1:]
    if not criteria:
        raise DecisionError(
            "the header row names no criteria", file=file, line=header_line,
            allowed="comma-separated: option label, then one name per criterion",
        )
    _check_names(criteria, "criterion", file, [header_line] * len(criteria))
    if len(rows) == 1:
        raise DecisionError(
            "no option rows after the header", file=file, line=header_line,
            allowed="one row per option: name, then one number per criterion",
        )
    names: list[str] = []
    values: list[list[float]] = []
    lines: list[int] = []
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise DecisionError(
                f"row has {len(row)} cells, the header has {len(header)}", file=file, line=line,
                allowed=f"option name and {len(criteria)} numbers ({', '.join(criteria)})",
            )
        names.append(row[0])
        lines.append(line)
        values.append([
            _number(cell, file, line, f"{row[0] or '?'}.{criterion}")
            for cell, criterion in zip(row[1:], criteria, strict=True)
        ])
    _check_names(names, "option", file, lines)
    return DecisionMatrix(tuple(names), tuple(criteria), np.array(values, dtype=np.float64))


def parse_yaml(text: str, file: str = "<yaml>") -> DecisionMatrix:
    """Parse YAML text; see the module docs for the layout."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise DecisionError(f"malformed YAML: {problem}", file=file, line=line) from None
    if root is None:
        raise DecisionError("file is empty", file=file, allowed="criteria: [...], options: {...}")
    top = _mapping(root, file, "", {"criteria", "options"})
    for key in ("criteria", "options"):
        if key not in top:
            raise DecisionError(
                f"missing '{key}'", file=file, line=_line(root),
                allowed="criteria: [names], options: {name: [numbers]}",
            )
    criteria_node = top["criteria"][1]
    if not isinstance(criteria_node, yaml.SequenceNode) or not criteria_node.value:
        raise DecisionError(
            "criteria must be a non-empty list of names", file=file,
            line=_line(criteria_node), key_path="criteria", allowed="[name, name, ...]",
        )
    criteria = [_name(node, file, "criteria") for node in criteria_node.value]
    _check_names(criteria, "criterion", file, [_line(n) for n in criteria_node.value])

    options_node = top["options"][1]
    if not isinstance(options_node, yaml.MappingNode) or not options_node.value:
        raise DecisionError(
            "options must be a non-empty mapping", file=file, line=_line(options_node),
            key_path="options", allowed="option name: [numbers] or {criterion: number}",
        )
    names: list[str] = []
    lines: list[int] = []
    values: list[list[float]] = []
    for key_node, value_node in options_node.value:
        name = _name(key_node, file, "options")
        names.append(name)
        lines.append(_line(key_node))
        values.append(_option_values(value_node, criteria, file, name))
    _check_names(names, "option", file, lines)
    return DecisionMatrix(tuple(names), tuple(criteria), np.array(values, dtype=np.float64))


def parse_weights(text: str, n_criteria: int | None = None) -> FloatArray:
    """Parse ``--weights 0.3,0.4,0.3`` into a float64 vector (not yet normalised).

    Weights must be finite, >= 0, not all zero, and one per criterion when ``n_criteria`` is
    given; they need not sum to 1 (they are normalised later, in one place).
    """
    allowed = "comma-separated numbers >= 0, one per criterion, e.g. 0.3,0.4,0.3"
    parts = [part.strip() for part in text.split(",")]
    weights: list[float] = []
    for i, part in enumerate(parts, 1):
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise DecisionError(
                f"weight {i} is '{part}'", key_path="--weights", allowed=allowed
            )
        weights.append(value)
    _check_count(len(weights), n_criteria, "--weights", allowed)
    if not any(weights):
        raise DecisionError("weights are all zero", key_path="--weights", allowed=allowed)
    return np.array(weights, dtype=np.float64)


def parse_types(text: str, n_criteria: int | None = None) -> BoolArray:
    """Parse ``--types 1,-1,1`` or ``benefit,cost,benefit`` into a benefit mask.

    Accepted per criterion (case-insensitive): ``1``, ``+1``, ``benefit``, ``max`` for a
    benefit criterion; ``-1``, ``cost``, ``min`` for a cost criterion.
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
            raise DecisionError(f"type {i} is '{part.strip()}'", key_path="--types",
                                allowed=allowed)
    _check_count(len(benefit), n_criteria, "--types", allowed)
    return np.array(benefit, dtype=np.bool_)


def _check_count(count: int, expected: int | None, option: str, allowed: str) -> None:
    if expected is not None and count != expected:
        raise DecisionError(
            f"{count} values for {expected} criteria", key_path=option, allowed=allowed
        )


def _number(cell: str, file: str, line: int, key_path: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise DecisionError(
            f"'{cell}' is not a number" if cell else "missing value",
            file=file, line=line, key_path=key_path, allowed=NUMBER,
        )
    return value


def _check_names(names: Sequence[str], what: str, file: str, lines: Sequence[int]) -> None:
    seen: set[str] = set()
    for name, line in zip(names, lines, strict=True):
        if not name:
            raise DecisionError(f"empty {what} name", file=file, line=line,
                                allowed=f"a non-empty {what} name")
        if name in seen:
            raise DecisionError(f"duplicate {what} name '{name}'", file=file, line=line,
                                allowed=f"unique {what} names")
        seen.add(name)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _mapping(
    node: yaml.Node, file: str, key_path: str, keys: set[str]
) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """A mapping node's entries by key, rejecting unknown or repeated keys."""
    if not isinstance(node, yaml.MappingNode):
        raise DecisionError("expected a mapping", file=file, line=_line(node),
                            key_path=key_path or None, allowed=", ".join(sorted(keys)))
    entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in keys:
            raise DecisionError(f"unknown key '{key}'", file=file, line=_line(key_node),
                                key_path=key_path or None, allowed=", ".join(sorted(keys)))
        if key in entries:
            raise DecisionError(f"duplicate key '{key}'", file=file, line=_line(key_node),
                                key_path=key_path or None, allowed="each key once")
        entries[key] = (key_node, value_node)
    return entries


def _name(node: yaml.Node, file: str, key_path: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise DecisionError("expected a name", file=file, line=_line(node), key_path=key_path,
                            allowed="a non-empty text")
    return str(node.value).strip()


def _scalar_number(node: yaml.Node, file: str, key_path: str) -> float:
    if not isinstance(node, yaml.ScalarNode):
        raise DecisionError("expected a number", file=file, line=_line(node),
                            key_path=key_path, allowed=NUMBER)
    return _number(str(node.value), file, _line(node), key_path)


def _option_values(
    node: yaml.Node, criteria: list[str], file: str, option: str
) -> list[float]:
    path = f"options.{option}"
    if isinstance(node, yaml.SequenceNode):
        if len(node.value) != len(criteria):
            raise DecisionError(
                f"{len(node.value)} values for {len(criteria)} criteria", file=file,
                line=_line(node), key_path=path,
                allowed=f"one number per criterion ({', '.join(criteria)})",
            )
        return [
            _scalar_number(item, file, f"{path}.{criterion}")
            for item, criterion in zip(node.value, criteria, strict=True)
        ]
    if isinstance(node, yaml.MappingNode):
        entries = _mapping(node, file, path, set(criteria))
        missing = [c for c in criteria if c not in entries]
        if missing:
            raise DecisionError(
                f"no value for {', '.join(missing)}", file=file, line=_line(node),
                key_path=path, allowed="a number for every criterion",
            )
        return [_scalar_number(entries[c][1], file, f"{path}.{c}") for c in criteria]
    raise DecisionError(
        "expected a list of numbers or a mapping", file=file, line=_line(node), key_path=path,
        allowed="[numbers in criterion order] or {criterion: number}",
    )
