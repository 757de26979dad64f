"""Safe YAML reading that remembers where every key came from.

PyYAML's safe loader is used only to compose a node tree; the tree is then turned into plain
Python values here, which lets us (a) reject duplicate keys, which PyYAML silently drops,
(b) cap alias expansion, nesting depth and file size, and (c) keep a map from key paths to
line and column so that later validation errors can point into the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from decision.errors import DecisionError, KeyPath, format_key_path

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64

Position = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain data plus the position of every key path."""

    path: str
    data: Any
    positions: dict[tuple[str | int, ...], Position] = field(default_factory=dict)

    def locate(self, key_path: KeyPath) -> Position | None:
        """Line and column of the longest prefix of ``key_path`` found in the file."""
        parts = tuple(key_path)
        while parts:
            if parts in self.positions:
                return self.positions[parts]
            parts = parts[:-1]
        return self.positions.get((), None)

    def error(self, what: str, key_path: KeyPath, allowed: str | None = None) -> DecisionError:
        """A :class:`DecisionError` located at ``key_path`` in this file."""
        position = self.locate(key_path)
        line, column = position if position else (None, None)
        return DecisionError(
            what,
            file=self.path,
            line=line,
            column=column,
            key_path=format_key_path(key_path) or None,
            allowed=allowed,
        )


class _Builder:
    """Turns a composed node tree into plain values, recording key positions."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.positions: dict[tuple[str | int, ...], Position] = {}
        self.nodes = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, what: str, node: yaml.Node, allowed: str | None = None) -> DecisionError:
        mark = node.start_mark
        return DecisionError(
            what, file=self.path, line=mark.line + 1, column=mark.column + 1, allowed=allowed
        )

    def build(self, node: yaml.Node, path: tuple[str | int, ...], depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(
                f"too many values (over {MAX_NODES:,}, counting alias expansions)",
                node,
                allowed="a smaller file; aliases that do not multiply",
            )
        if depth > MAX_DEPTH:
            raise self.fail(
                f"nesting deeper than {MAX_DEPTH} levels", node, allowed="a flatter file"
            )
        if isinstance(node, yaml.ScalarNode):
            return self.constructor.construct_object(node)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                child_path = (*path, index)
                self.positions.setdefault(child_path, _pos(child))
                items.append(self.build(child, child_path, depth + 1))
            return items
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path, depth)
        raise self.fail("unsupported YAML node", node)  # pragma: no cover - PyYAML has no others

    def build_mapping(
        self, node: yaml.MappingNode, path: tuple[str | int, ...], depth: int
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(
                    "merge keys ('<<') are not supported", key_node, allowed="write keys out"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("a key must be a plain string", key_node, allowed="text keys")
            key = self.constructor.construct_object(key_node)
            if isinstance(key, bool) or not isinstance(key, str | int | float):
                raise self.fail(f"key {key!r} is not text", key_node, allowed="text keys")
            key = str(key)
            child_path = (*path, key)
            if key in result:
                first = self.positions.get(child_path)
                where = f" (first at line {first[0]})" if first else ""
                raise DecisionError(
                    f"duplicate key '{key}'{where}",
                    file=self.path,
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                    key_path=format_key_path(child_path),
                    allowed="each key once per mapping",
                )
            self.positions[child_path] = _pos(key_node)
            result[key] = self.build(value_node, child_path, depth + 1)
        return result


def _pos(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_text(path: Path) -> str:
    """Read a UTF-8 text file with size, encoding and BOM checks."""
    shown = str(path)
    if not path.exists():
        raise DecisionError("file not found", file=shown, allowed="a path to an existing YAML file")
    if path.is_dir():
        raise DecisionError("is a directory", file=shown, allowed="a path to a YAML file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DecisionError(
            f"file is {size:,} bytes", file=shown, allowed=f"files up to {MAX_FILE_BYTES:,} bytes"
        )
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DecisionError(
            "file starts with a byte-order mark",
            file=shown,
            line=1,
            column=1,
            allowed="UTF-8 without BOM",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DecisionError(
            f"invalid UTF-8 at byte {exc.start}", file=shown, line=line, allowed="UTF-8 text"
        ) from None


def _check_flow_depth(text: str, path: str) -> None:
    """Reject deeply nested flow collections before PyYAML recurses into them."""
    codes = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    steps = np.zeros(codes.shape, dtype=np.int32)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    depth = np.cumsum(steps)
    if depth.size and int(depth.max()) > MAX_DEPTH:
        at = int(np.argmax(depth > MAX_DEPTH))
        line = text.encode("utf-8")[:at].count(b"\n") + 1
        raise DecisionError(
            f"brackets nested deeper than {MAX_DEPTH} levels",
            file=path,
            line=line,
            allowed=f"at most {MAX_DEPTH} levels of nesting",
        )


def parse_yaml(text: str, path: str) -> Document:
    """Parse YAML text into a :class:`Document`; syntax errors become :class:`DecisionError`."""
    _check_flow_depth(text, path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "\\t" in problem or "tab" in problem:
            problem += " (tabs cannot indent YAML)"
        raise DecisionError(
            f"YAML syntax error: {problem}",
            file=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            allowed="valid YAML, indented with spaces",
        ) from None
    except yaml.YAMLError as exc:
        raise DecisionError(f"YAML error: {exc}", file=path, allowed="valid YAML") from None
    except RecursionError:
        raise DecisionError(
            "nesting too deep to parse", file=path, allowed=f"at most {MAX_DEPTH} levels"
        ) from None
    if node is None:
        raise DecisionError("file is empty", file=path, line=1, allowed="a YAML mapping")
    builder = _Builder(path)
    builder.positions[()] = _pos(node)
    data = builder.build(node, (), 0)
    return Document(path=path, data=data, positions=builder.positions)


def load_yaml(path: Path) -> Document:
    """Read and parse a YAML file safely."""
    return parse_yaml(read_text(path), str(path))
