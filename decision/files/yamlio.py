"""Safe YAML reading that remembers where every key came from.

PyYAML's pure-Python parser composes a node tree under a guard, and the tree is then turned
into plain Python values here, which lets us (a) reject duplicate keys, which PyYAML silently
drops, (b) cap file size, nesting depth, the number of values and the size of the text after
alias expansion, all while composing, so an oversized file is refused before it costs time or
memory, (c) accept only YAML's core tags (str, int, float, bool, null, seq, map) with content
that fits them, and (d) keep a map from key paths to line and column so that later validation
errors can point into the file.

Plain scalars are read by YAML 1.2's core-schema rules (:mod:`decision.specs.scalars`), not
PyYAML's YAML 1.1 ones, so nothing is silently turned into something else: ``yes``, ``no``,
``on``, ``off`` are text (only ``true``/``false`` in their three spellings are booleans), and
so are sexagesimal forms (``33:40``, which YAML 1.1 reads as 2020), digit separators
(``1_000``), binary (``0b101``), integers with a leading zero (``017``: octal in YAML 1.1, 17
in YAML 1.2) and dates (``2019-06-01``, even ``2020-02-30``: no field holds a date, and a
figure or locator such as ``2019-06-01`` is meant as written). Numbers are decimal only:
``0x1F`` and ``0o17`` are text as well, so a field that needs a number refuses them rather
than reading 31 or 15. A number so small that it would be read as 0 (``1e-400``) is refused.
Keys are text as written: a key ``0x1F`` or ``1.50`` stays ``"0x1F"`` or ``"1.50"``. An
explicit ``!!timestamp``, ``!!binary`` or any other tag outside the core set is refused;
explicit core tags must fit their content by the same rules (``!!int 0x1F`` is refused).

Where libyaml is available its C parser first counts the file's values and expanded text
(about fifty times faster than the pure-Python parser), so a file over a cap is refused in a
fraction of a second; it then also parses the file for PyYAML's composer, under the same
guard. Any problem there, and any text with characters on which the two parsers are known to
part ways (tabs, line breaks other than newline, byte-order marks), is handed to the
pure-Python parser, so the document, every error message and every position are the same with
or without libyaml; only the time differs (a model file composes about six times faster).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    Event,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from decision.errors import DecisionError, KeyPath, abbreviate, format_key_path
from decision.files.safe_read import read_bytes_limited
from decision.specs.scalars import (
    BOOL,
    BOOLS,
    CORE,
    FLOAT,
    FLOAT_FORM,
    INF_FORM,
    INT,
    INT_FORM,
    MAP,
    MERGE,
    NAN_FORM,
    NULL,
    NULLS,
    SEQ,
    STR,
    plain_tag,
)

_CParser: Any
try:
    from yaml import _yaml

    _CParser = _yaml.CParser  # libyaml's parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64
#: Total characters of all scalars (keys and values) after alias expansion: twice what a
#: 2 MB file can hold without aliases, so aliases may share text but not multiply it.
MAX_EXPANDED_CHARS = 4_000_000
#: Digits in an integer literal: far beyond any sensible value, and well below Python's own
#: limit on converting text to int (4,300 digits), which would otherwise end in an
#: internal error.
MAX_INT_DIGITS = 1_000

Position = tuple[int, int]
#: Values a text can hold per character without aliases, with a margin (``[?,?]``: an empty
#: key and value in a mapping, three values per two characters); nor can its expanded text
#: outgrow it. A shorter text without '*' is under both caps.
_NODES_PER_CHARACTER = 3

_SCALAR_TAGS = {STR, INT, FLOAT, BOOL, NULL}
_ALLOWED_TAGS = (
    "untagged values, or the core tags !!str, !!int, !!float, !!bool, !!null, !!seq, !!map"
)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain data plus the position of every key path."""

    path: str
    data: Any
    positions: dict[tuple[str | int, ...], Position] = field(default_factory=dict)
    #: Characters of all scalars, keys included, after alias expansion.
    expanded_chars: int = 0
    #: Where the text of a one-line scalar value starts (line, column of its first
    #: character), for values whose characters stand in the file as they are (no escapes, no
    #: folding), so a position within the text is a column in the file.
    text_starts: dict[tuple[str | int, ...], Position] = field(default_factory=dict)

    def locate(self, key_path: KeyPath) -> Position | None:
        """Line and column of the longest prefix of ``key_path`` found in the file."""
        parts = tuple(key_path)
        while parts:
            if parts in self.positions:
                return self.positions[parts]
            parts = parts[:-1]
        return self.positions.get((), None)

    def error(
        self, what: str, key_path: KeyPath, allowed: str | None = None, *, at: int | None = None
    ) -> DecisionError:
        """A :class:`DecisionError` located at ``key_path`` in this file; ``at`` (1-based) is a
        character of the value's text, pointed at when the text stands in the file as is."""
        position = self.locate(key_path)
        start = self.text_starts.get(tuple(key_path)) if at is not None else None
        if start is not None and at is not None:
            position = (start[0], start[1] + at - 1)
        line, column = position if position else (None, None)
        return DecisionError(
            what,
            file=self.path,
            line=line,
            column=column,
            key_path=format_key_path(key_path) or None,
            allowed=allowed,
        )


def _show_tag(tag: str) -> str:
    shown = "!!" + tag[len(CORE) :] if tag.startswith(CORE) else tag
    return repr(abbreviate(shown))


# ---------------------------------------------------------------------------- the guard


_KEY = object()  # the place of a mapping key in its parent (keys have no path of their own)


@dataclass
class _Frame:
    """An open collection while the event stream is read."""

    mapping: bool
    anchor: str | None
    nodes: int  # totals before the collection started, to size it when it ends
    chars: int
    part: object  # its place in the parent: key, index, _KEY, or None for the root
    index: int = 0  # sequences: the index of the next item
    expect_key: bool = True  # mappings: whether the next node is a key
    key: str = "?"  # mappings: the last key read


class _Guard:
    """Counts values and expanded text as events arrive; refuses a file over a cap at once.

    Aliases add the size of their anchor, memoised when the anchor's node ends, so an alias
    costs nothing to measure however much it repeats. With ``strict`` (the authoritative
    parse) it also refuses tags outside YAML's core set, nesting past ``MAX_DEPTH`` and
    aliases that refer to a collection that contains them.
    """

    def __init__(self, path: str, *, strict: bool) -> None:
        self.path = path
        self.strict = strict
        self.nodes = 0
        self.chars = 0
        self.sizes: dict[str, tuple[int, int]] = {}
        self.stack: list[_Frame] = []

    def observe(self, event: Event) -> None:
        if isinstance(event, CollectionEndEvent):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.sizes[frame.anchor] = (self.nodes - frame.nodes, self.chars - frame.chars)
            return
        if not isinstance(event, NodeEvent):
            return
        part = self._place(event)
        before = (self.nodes, self.chars)
        if isinstance(event, AliasEvent):
            anchor = event.anchor or ""
            size = self.sizes.get(anchor)
            if size is None:
                if self.strict and any(f.anchor == anchor for f in self.stack):
                    raise self.fail(
                        f"alias '*{abbreviate(anchor)}' refers to a collection that holds it",
                        event,
                        part,
                        allowed="aliases to complete values (no recursive structures)",
                        quotes_input=True,
                    )
                size = (1, 0)  # an undefined alias: the composer reports it
            self.nodes += size[0]
            self.chars += size[1]
        elif isinstance(event, ScalarEvent):
            if self.strict:
                self._check_tag(event, part, _SCALAR_TAGS)
            self.nodes += 1
            self.chars += len(event.value)
            if event.anchor is not None:
                self.sizes[event.anchor] = (1, len(event.value))
        else:
            self.nodes += 1
            mapping = isinstance(event, MappingStartEvent)
            self.stack.append(_Frame(mapping, event.anchor, before[0], before[1], part))
            if self.strict:
                self._check_tag(event, part, {MAP if mapping else SEQ})
            if self.strict and len(self.stack) - 1 > MAX_DEPTH:
                raise self.fail(
                    f"nesting deeper than {MAX_DEPTH} levels", event, part, allowed="a flatter file"
                )
        if self.nodes > MAX_NODES:
            raise self.fail(
                f"too many values (over {MAX_NODES:,}, counting alias expansions)",
                event,
                part,
                allowed="a smaller file; aliases that do not multiply",
            )
        if self.chars > MAX_EXPANDED_CHARS:
            raise self.fail(
                f"text expands to over {MAX_EXPANDED_CHARS:,} characters (counting alias "
                "expansions)",
                event,
                part,
                allowed="a smaller file; aliases that do not repeat long text",
            )

    def _place(self, event: NodeEvent) -> object:
        """The place of ``event``'s node in its parent (and advance the parent)."""
        if not self.stack:
            return None
        top = self.stack[-1]
        if not top.mapping:
            top.index += 1
            return top.index - 1
        is_key = top.expect_key
        top.expect_key = not is_key
        if not is_key:
            return top.key
        top.key = event.value if isinstance(event, ScalarEvent) else "?"
        return _KEY

    def _check_tag(self, event: NodeEvent, part: object, allowed: set[str]) -> None:
        tag = getattr(event, "tag", None)
        if tag is None or tag == "!" or tag in allowed:
            return
        kind = (
            "scalar"
            if isinstance(event, ScalarEvent)
            else "mapping"
            if isinstance(event, MappingStartEvent)
            else "sequence"
        )
        raise self.fail(
            f"tag {_show_tag(tag)} is not supported on a {kind}",
            event,
            part,
            allowed=_ALLOWED_TAGS,
            quotes_input=True,
        )

    def fail(
        self,
        what: str,
        event: NodeEvent,
        part: object,
        *,
        allowed: str,
        quotes_input: bool = False,
    ) -> DecisionError:
        parts = [f.part for f in self.stack]  # a collection's own frame is already there
        if isinstance(event, ScalarEvent | AliasEvent):
            parts.append(part)
        path: list[str | int] = []
        for item in parts:
            if item is _KEY:  # a key is located at its mapping
                break
            if isinstance(item, str | int):
                path.append(item)
        mark = event.start_mark
        return DecisionError(
            what,
            file=self.path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            key_path=format_key_path(path) or None,
            allowed=allowed,
            quotes_input=quotes_input,
        )


class _DiffersError(Exception):
    """The C parser read a form that PyYAML's pure-Python parser reads otherwise."""


class _PureEvents(Reader, Scanner, Parser):
    """PyYAML's pure-Python reader, scanner and parser: the event source of last resort."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)  # checks the characters
        Scanner.__init__(self)
        Parser.__init__(self)


class _Loader(Composer, BaseResolver):
    """PyYAML's composer over an event source, with every event shown to a guard and
    scalars resolved by YAML 1.2 core-schema rules (:func:`plain_tag`).

    The source is libyaml's C parser with ``fast`` (see :func:`parse_yaml` for when), else
    PyYAML's pure-Python parser; both give the same events with the same marks (line, column
    and character index) on the texts the fast path takes.
    """

    def __init__(self, text: str, guard: _Guard, *, fast: bool = False) -> None:
        Composer.__init__(self)
        BaseResolver.__init__(self)
        self.guard = guard
        self.fast = fast and _CParser is not None
        self.events: Any = _CParser(text) if self.fast else _PureEvents(text)
        self.flow: list[bool] = []  # fast: whether each open collection is a flow collection

    def check_event(self, *choices: type[Event]) -> bool:
        return bool(self.events.check_event(*choices))

    def peek_event(self) -> Any:
        return self.events.peek_event()

    def get_event(self) -> Any:
        event = self.events.get_event()
        if self.fast:
            self._check_grammar(event)
        self.guard.observe(event)
        return event

    def _check_grammar(self, event: Event) -> None:
        """Refuse (for the pure-Python parser to read it) a plain scalar that the two parsers
        scan apart in a flow collection: PyYAML ends one at '?', libyaml does not, and an
        empty value after ': ' is marked before the spaces by PyYAML, after them by libyaml."""
        if isinstance(event, CollectionEndEvent):
            self.flow.pop()
        elif isinstance(event, SequenceStartEvent | MappingStartEvent):
            self.flow.append(bool(event.flow_style) or bool(self.flow and self.flow[-1]))
        elif (
            isinstance(event, ScalarEvent)
            and self.flow
            and self.flow[-1]
            and not event.style
            and (not event.value or "?" in event.value)
        ):
            raise _DiffersError

    def dispose(self) -> None:
        self.events.dispose()

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """Plain scalars by :func:`plain_tag`; quoted ones are text; collections seq/map."""
        if kind is ScalarNode:
            return plain_tag(value) if implicit[0] else STR
        return SEQ if kind is yaml.SequenceNode else MAP

    def compose_scalar_node(self, anchor: Any) -> yaml.ScalarNode:
        """As PyYAML's, but the non-specific tag '!' makes a scalar text (PyYAML resolves
        ``! 12`` as a plain scalar, YAML says it is the string "12")."""
        event = self.peek_event()
        node: yaml.ScalarNode = super().compose_scalar_node(anchor)
        if event.tag == "!":
            node.tag = STR
        return node


def _measure(text: str, path: str) -> None:
    """Refuse a file over the value or size caps using libyaml's fast parser, if present.

    Any parse error here is ignored: the authoritative parse reports it, in PyYAML's words.
    """
    if _CParser is None:
        return
    guard = _Guard(path, strict=False)
    try:
        parser = _CParser(text)
    except yaml.YAMLError:  # pragma: no cover - libyaml checks characters while scanning
        return
    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, StreamEndEvent):
                return
            guard.observe(event)
    except yaml.YAMLError:
        return
    finally:
        parser.dispose()


# ---------------------------------------------------------------------------- building values


class _Builder:
    """Turns a composed node tree into plain values, recording key positions."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.positions: dict[tuple[str | int, ...], Position] = {}
        self.text_starts: dict[tuple[str | int, ...], Position] = {}

    def fail(
        self,
        what: str,
        node: yaml.Node,
        allowed: str | None = None,
        path: tuple[str | int, ...] = (),
        *,
        quotes_input: bool = False,
    ) -> DecisionError:
        mark = node.start_mark
        return DecisionError(
            what,
            file=self.path,
            line=mark.line + 1,
            column=mark.column + 1,
            key_path=format_key_path(path) or None,
            allowed=allowed,
            quotes_input=quotes_input,
        )

    def build(self, node: yaml.Node, path: tuple[str | int, ...], depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(
                f"nesting deeper than {MAX_DEPTH} levels", node, allowed="a flatter file"
            )
        if isinstance(node, yaml.ScalarNode):
            self._note_text(node, path)
            return self.scalar(node, path)
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

    def _note_text(self, node: yaml.ScalarNode, path: tuple[str | int, ...]) -> None:
        """Record where a one-line scalar's text starts if its characters are in the file as
        they are: plain, or quoted without escapes (see :attr:`Document.text_starts`)."""
        start, end = node.start_mark, node.end_mark
        if start.line != end.line:
            return
        source = self.text[start.index : end.index]  # marks count characters of the text
        quote = source[:1] if node.style in ("'", '"') else ""
        if source == quote + node.value + quote:
            self.text_starts[path] = (start.line + 1, start.column + 1 + len(quote))

    def scalar(self, node: yaml.ScalarNode, path: tuple[str | int, ...]) -> Any:
        """The value of a scalar whose tag the guard has let through (a core tag or implicit).

        Implicit and explicit core tags follow the same YAML 1.2 rules (decimal numbers only;
        see the module docstring); '=' and timestamps are text.
        """
        tag, value = node.tag, node.value
        if tag not in _SCALAR_TAGS or tag == STR:
            return value
        if tag == NULL:
            if value not in NULLS:
                raise self._bad_scalar(node, path, "!!null", "~, null or nothing")
            return None
        if tag == BOOL:
            if value not in BOOLS:
                raise self._bad_scalar(node, path, "!!bool", "true or false")
            return BOOLS[value]
        if tag == INT:
            return self._integer(node, path)
        return self._float(node, path)

    def _integer(self, node: yaml.ScalarNode, path: tuple[str | int, ...]) -> int:
        value = node.value
        if not INT_FORM.match(value):
            raise self._bad_scalar(node, path, "!!int", "a decimal integer such as 42")
        digits = len(value.lstrip("+-"))
        if digits > MAX_INT_DIGITS:
            raise self.fail(
                f"integer {abbreviate(value, 24)} has {digits:,} digits",
                node,
                f"integers of at most {MAX_INT_DIGITS:,} digits",
                path,
                quotes_input=True,
            )
        return int(value, 10)

    def _float(self, node: yaml.ScalarNode, path: tuple[str | int, ...]) -> float:
        value = node.value
        if NAN_FORM.match(value):
            return float("nan")
        infinite = INF_FORM.match(value)
        if infinite:
            return float(infinite.group(1) + "inf")
        if not (FLOAT_FORM.match(value) or INT_FORM.match(value)):
            raise self._bad_scalar(
                node, path, "!!float", "a decimal number such as 1.5 or 2e-3, .inf or .nan"
            )
        number = float(value)
        if number == 0.0 and any(c in "123456789" for c in value.partition("e")[0].lower()):
            raise self.fail(
                f"number {abbreviate(value)!r} is too small: it would be read as 0",
                node,
                "0 itself, or numbers of magnitude at least 5e-324 (in practice 1e-300 or more)",
                path,
                quotes_input=True,
            )
        return number

    def _bad_scalar(
        self, node: yaml.ScalarNode, path: tuple[str | int, ...], tag: str, allowed: str
    ) -> DecisionError:
        return self.fail(
            f"{abbreviate(node.value)!r} is not a valid {tag}",
            node,
            allowed,
            path,
            quotes_input=True,
        )

    def build_mapping(
        self, node: yaml.MappingNode, path: tuple[str | int, ...], depth: int
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                raise self.fail(
                    "merge keys ('<<') are not supported",
                    key_node,
                    allowed="write keys out",
                    path=(*path, "<<"),
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("a key must be a plain string", key_node, allowed="text keys")
            if _numeric_key(key_node):
                key = key_node.value  # text as written: a key 1.50 or 017 stays so
            else:
                key = self.scalar(key_node, path)  # refuses a bad explicit tag's content
                if not isinstance(key, str):
                    raise self.fail(
                        f"key {key!r} is not text",
                        key_node,
                        allowed="text keys",
                        quotes_input=True,
                    )
            child_path = (*path, key)
            if key in result:
                first = self.positions.get(child_path)
                where = f" (first at line {first[0]})" if first else ""
                raise DecisionError(
                    f"duplicate key '{abbreviate(key)}'{where}",
                    file=self.path,
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                    key_path=format_key_path(child_path),
                    allowed="each key once per mapping",
                    quotes_input=True,
                )
            self.positions[child_path] = _pos(key_node)
            result[key] = self.build(value_node, child_path, depth + 1)
        return result


def _numeric_key(node: yaml.ScalarNode) -> bool:
    """Whether a key is a number by YAML 1.2 rules (then it is kept as the text written)."""
    if node.tag == INT:
        return bool(INT_FORM.match(node.value))
    return node.tag == FLOAT and plain_tag(node.value) in (INT, FLOAT)


def _pos(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


# ---------------------------------------------------------------------------- public API


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file: a regular file of at most ``limit`` bytes, without a BOM."""
    shown = str(path)
    raw = read_bytes_limited(path, limit, "file")
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
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[:line_start].count(b"\n") + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise DecisionError(
            f"invalid UTF-8 at byte {exc.start}",
            file=shown,
            line=line,
            column=column,
            allowed="UTF-8 text",
        ) from None


#: The flow-collection brackets whose nesting :func:`_check_flow_depth` bounds.
_BRACKETS = re.compile(r"[\[\]{}]")
#: Above this many brackets their depth is summed with numpy (a Python loop would be slow on
#: an adversarial file); below it, a loop over the brackets alone avoids importing numpy.
_NUMPY_BRACKETS = 20_000


def _check_flow_depth(text: str, path: str) -> None:
    """Reject deeply nested flow collections before PyYAML recurses into them.

    A text with at most ``MAX_DEPTH`` opening brackets cannot nest deeper (most files); a model
    with a few hundred brackets is checked without numpy, which validation does not otherwise
    need.
    """
    opening = text.count("[") + text.count("{")
    if opening <= MAX_DEPTH:
        return
    if opening + text.count("]") + text.count("}") > _NUMPY_BRACKETS:
        line = _too_deep_line_numpy(text)
    else:
        line = _too_deep_line(text)
    if line is not None:
        raise DecisionError(
            f"brackets nested deeper than {MAX_DEPTH} levels",
            file=path,
            line=line,
            allowed=f"at most {MAX_DEPTH} levels of nesting",
        )


def _too_deep_line(text: str) -> int | None:
    """The line of the first bracket nested deeper than ``MAX_DEPTH``, or None."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return text.count("\n", 0, match.start()) + 1
    return None


def _too_deep_line_numpy(text: str) -> int | None:
    """:func:`_too_deep_line` on whole arrays, for texts with very many brackets."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    steps = np.zeros(codes.shape, dtype=np.int32)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    depth = np.cumsum(steps)
    if depth.size and int(depth.max()) > MAX_DEPTH:
        at = int(np.argmax(depth > MAX_DEPTH))
        return text.encode("utf-8")[:at].count(b"\n") + 1
    return None


#: Characters on which libyaml and PyYAML's pure-Python parser may part ways: tabs (libyaml
#: takes some as separators where PyYAML refuses them), line breaks other than "\n" (how they
#: count in marks) and byte-order marks (libyaml skips one at the start of any line).
_PURE_ONLY = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
#: Forms the two parsers read apart: a comment straight after a block scalar's indicators
#: (``|#``: libyaml takes the comment, PyYAML wants a space first).
_PURE_FORMS = re.compile(r"[|>][-+0-9]{0,2}#")


def _compose_fast(text: str, path: str) -> tuple[yaml.Node | None, _Guard] | None:
    """Compose with libyaml's C parser under the strict guard; None to leave the text to
    :func:`_compose` (no libyaml, a character where the parsers may differ, or any problem).

    Every problem is left to the pure-Python parse, so messages keep PyYAML's words and the
    guard's order; the C parser only saves time.
    """
    if _CParser is None or _PURE_ONLY.search(text) or _PURE_FORMS.search(text):
        return None
    guard = _Guard(path, strict=True)
    loader = _Loader(text, guard, fast=True)
    try:
        node = loader.get_single_node()
    except (DecisionError, yaml.YAMLError, RecursionError, _DiffersError):
        return None
    finally:
        loader.dispose()
    return node, guard


def _compose(text: str, path: str) -> tuple[yaml.Node | None, _Guard]:
    """Compose with PyYAML's pure-Python parser; every problem becomes a
    :class:`DecisionError` in PyYAML's words."""
    loader: _Loader | None = None
    guard = _Guard(path, strict=True)
    try:
        loader = _Loader(text, guard)  # the reader checks characters here
        node = loader.get_single_node()
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
            quotes_input=True,
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise DecisionError(
            f"character U+{code:04X} is not allowed in a YAML file",
            file=path,
            line=line,
            column=column,
            allowed="printable text (control characters only as escapes in double quotes)",
        ) from None
    except yaml.YAMLError as exc:
        raise DecisionError(
            f"YAML error: {exc}", file=path, allowed="valid YAML", quotes_input=True
        ) from None
    except RecursionError:
        raise DecisionError(
            "nesting too deep to parse", file=path, allowed=f"at most {MAX_DEPTH} levels"
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    return node, guard


def parse_yaml(text: str, path: str) -> Document:
    """Parse YAML text into a :class:`Document`; every problem becomes a :class:`DecisionError`.

    libyaml's C parser composes the file when it can (about ten times faster); on any problem,
    and on texts where the two parsers may differ, PyYAML's pure-Python parser does the work,
    so the document, and every message and position, are the same with or without libyaml.
    """
    _check_flow_depth(text, path)
    if "*" in text or _NODES_PER_CHARACTER * (len(text) + 1) > MAX_NODES:
        _measure(text, path)  # else no cap can be reached: no alias, and too short
    composed = _compose_fast(text, path) or _compose(text, path)
    node, guard = composed
    if node is None:
        raise DecisionError(
            "file is empty", file=path, line=1, column=1, allowed="a YAML mapping"
        )
    builder = _Builder(path, text)
    builder.positions[()] = _pos(node)
    data = builder.build(node, (), 0)
    return Document(
        path=path,
        data=data,
        positions=builder.positions,
        expanded_chars=guard.chars,
        text_starts=builder.text_starts,
    )


def load_yaml(path: Path) -> Document:
    """Read and parse a YAML file safely."""
    return parse_yaml(read_text(path), str(path))
