"""XMCDA v4 (the Decision Deck standard): write a performance table with its criteria and
alternatives, and read one back as a plain decision matrix.

A file is one ``<xmcda>`` element in the namespace :data:`NAMESPACE` (XMCDA 4.0.0). Written,
in the order the schema requires (only the parts there are data for):

- ``alternatives``: one ``alternative`` per option (``id``, ``name`` = its title), with
  ``<active>false</active>`` for an option that is not available;
- ``criteria``: one ``criterion`` per criterion (``id``; its description as a comment);
- ``performanceTable``: each alternative's ``performance`` on each criterion, one ``real``;
- ``criteriaScales``: each criterion's ``quantitative`` scale, its ``preferenceDirection``
  (``max`` for a benefit criterion, ``min`` for a cost one) and bounds where known;
- ``criteriaThresholds``: PROMETHEE's thresholds per criterion as ``constant`` thresholds
  with ``mcdaConcept`` ``indifference`` (q), ``preference`` (p) or ``sigma`` (s), the
  concepts Decision Deck's PROMETHEE programs read;
- ``criteriaValues mcdaConcept="weights"``: the weights; and, with thresholds,
  ``criteriaValues mcdaConcept="preferenceFunction"``: each criterion's function as a label.

Read: the one ``performanceTable`` (numbers: ``integer``, ``real`` or ``rational``), the
``alternatives`` and ``criteria`` if present (inactive ones are left out of the matrix; without
them the table's order is used), and, if present, the weights (the ``criteriaValues`` with
``mcdaConcept="weights"``, or the only ``criteriaValues``), the directions and the PROMETHEE
thresholds. Other elements are ignored.

Files are untrusted input: read as matrices are (a regular file, at most
:data:`MAX_FILE_BYTES`), parsed by expat with any document type
declaration refused before it is read, so no entity is ever declared or expanded (no "billion
laughs", no external entity or DTD is fetched), at most :data:`MAX_ELEMENTS` elements and
:data:`MAX_DEPTH` levels. Every problem is one :class:`DecisionError` line with the file, line
and column. Only the standard library is used.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

import numpy as np
from numpy.typing import NDArray

from decision.errors import DecisionError, abbreviate
from decision.files.numbers import plain_float
from decision.files.safe_read import read_bytes_limited

FloatArray = NDArray[np.float64]

NAMESPACE = "http://www.decision-deck.org/2021/XMCDA-4.0.0"
#: Largest file read, in bytes (as for CSV and YAML matrices).
MAX_FILE_BYTES = 10_000_000
#: Most elements read from one file (a 100,000-cell performance table takes about 600,000).
MAX_ELEMENTS = 1_000_000
#: Deepest nesting read (XMCDA's own is under 15 levels).
MAX_DEPTH = 64
#: ``mcdaConcept`` of each PROMETHEE threshold, as Decision Deck's PROMETHEE programs name them.
THRESHOLD_CONCEPTS = {"q": "indifference", "p": "preference", "s": "sigma"}
WEIGHTS = "weights"
PREFERENCE_FUNCTION = "preferenceFunction"
NUMBER = "a finite number (integer, real or rational), e.g. <real>0.25</real>"
_FORMAT = "XMCDA 4.0.0: <xmcda xmlns=\"" + NAMESPACE + "\"> with one performanceTable"
#: Characters XML 1.0 cannot hold in a document (C0 controls but tab and line breaks,
#: surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class XmcdaTable:
    """A performance table and what an XMCDA file says of its criteria and alternatives.

    ``values`` is ``(alternatives, criteria)``; ``active`` marks the alternatives that take
    part (an inactive one is an option that is not available); ``weights``, ``benefit``,
    ``bounds`` (each scale's minimum and maximum) and ``preference`` are per criterion, None
    where the file gives none. ``preference`` holds
    PROMETHEE's functions as the method's parameters write them (``{"function": "linear",
    "q": 0.1, "p": 0.3}``). ``lines`` holds the file line of each alternative's row when read.
    """

    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    values: FloatArray
    active: tuple[bool, ...] = ()
    alternative_names: tuple[str | None, ...] = ()
    criterion_comments: tuple[str | None, ...] = ()
    weights: tuple[float, ...] | None = None
    benefit: tuple[bool, ...] | None = None
    bounds: tuple[tuple[float | None, float | None], ...] | None = None
    preference: tuple[dict[str, Any], ...] | None = None
    table_id: str | None = None
    table_name: str | None = None
    comment: str | None = None
    lines: tuple[int, ...] = field(default=(), compare=False)

    def is_active(self, index: int) -> bool:
        """Whether alternative ``index`` takes part (every one does without flags)."""
        return not self.active or self.active[index]

    @property
    def active_rows(self) -> list[int]:
        """The indices of the alternatives that take part, in file order."""
        return [i for i in range(len(self.alternatives)) if self.is_active(i)]


# ---------------------------------------------------------------------------- writing


def _number(value: float) -> str:
    """A float as ``xs:double`` text that reads back as the same float."""
    number = float(value)
    if not math.isfinite(number):
        raise DecisionError(
            f"{number} cannot be written to XMCDA", allowed="finite numbers"
        )
    return repr(number + 0.0)


def _text(value: str, what: str) -> str:
    if _NOT_XML.search(value):
        raise DecisionError(
            f"{what} {abbreviate(value)!r} holds a character XML cannot hold",
            allowed="text without control characters",
        )
    return value


def _sub(parent: ElementTree.Element, tag: str, text: str | None = None,
         **attributes: str | None) -> ElementTree.Element:
    element = ElementTree.SubElement(
        parent, tag, {k: v for k, v in attributes.items() if v is not None}
    )
    if text is not None:
        element.text = text
    return element


def _real(parent: ElementTree.Element, tag: str, value: float) -> None:
    _sub(_sub(parent, tag), "real", _number(value))


def _value(parent: ElementTree.Element, value: float | str) -> None:
    holder = _sub(_sub(parent, "values"), "value")
    if isinstance(value, str):
        _sub(holder, "label", value)
    else:
        _sub(holder, "real", _number(value))


def to_xml(table: XmcdaTable) -> bytes:
    """The table as an XMCDA 4.0.0 document (UTF-8, indented, the same bytes for the same
    table)."""
    n, m = len(table.alternatives), len(table.criteria)
    values = np.asarray(table.values, dtype=np.float64)
    if values.shape != (n, m):
        raise DecisionError(
            f"the values are {values.shape}, not ({n}, {m})",
            allowed="one value per alternative and criterion",
        )
    root = ElementTree.Element("xmcda", {"xmlns": NAMESPACE})
    alternatives = _sub(root, "alternatives")
    for i, name in enumerate(table.alternatives):
        title = table.alternative_names[i] if table.alternative_names else None
        element = _sub(alternatives, "alternative", id=_text(name, "alternative"),
                       name=None if title is None else _text(title, "name"))
        if not table.is_active(i):
            _sub(element, "active", "false")
    criteria = _sub(root, "criteria")
    for j, name in enumerate(table.criteria):
        element = _sub(criteria, "criterion", id=_text(name, "criterion"), name=name)
        comment = table.criterion_comments[j] if table.criterion_comments else None
        if comment:
            _sub(_sub(element, "description"), "comment", _text(comment, "description"))
    performance = _sub(root, "performanceTable", id=table.table_id, name=table.table_name)
    if table.comment:
        _sub(_sub(performance, "description"), "comment", _text(table.comment, "comment"))
    for i, name in enumerate(table.alternatives):
        row = _sub(performance, "alternativePerformances")
        _sub(row, "alternativeID", name)
        for j, criterion in enumerate(table.criteria):
            cell = _sub(row, "performance")
            _sub(cell, "criterionID", criterion)
            _value(cell, float(values[i, j]))
    if table.benefit is not None:
        scales = _sub(root, "criteriaScales")
        for j, (criterion, benefit) in enumerate(zip(table.criteria, table.benefit,
                                                       strict=True)):
            item = _sub(scales, "criterionScales")
            _sub(item, "criterionID", criterion)
            quantitative = _sub(_sub(_sub(item, "scales"), "scale"), "quantitative")
            _sub(quantitative, "preferenceDirection", "max" if benefit else "min")
            low, high = table.bounds[j] if table.bounds is not None else (None, None)
            if low is not None:
                _real(quantitative, "minimum", low)
            if high is not None:
                _real(quantitative, "maximum", high)
    preference = table.preference
    if preference is not None and any(_thresholds(p) for p in preference):
        thresholds = _sub(root, "criteriaThresholds")
        for criterion, entry in zip(table.criteria, preference, strict=True):
            if not _thresholds(entry):
                continue
            item = _sub(thresholds, "criterionThresholds")
            _sub(item, "criterionID", criterion)
            holder = _sub(item, "thresholds")
            for key, value in _thresholds(entry).items():
                threshold = _sub(holder, "threshold", mcdaConcept=THRESHOLD_CONCEPTS[key])
                _real(threshold, "constant", value)
    if table.weights is not None:
        weights = _sub(root, "criteriaValues", mcdaConcept=WEIGHTS)
        for criterion, weight in zip(table.criteria, table.weights, strict=True):
            item = _sub(weights, "criterionValues")
            _sub(item, "criterionID", criterion)
            _value(item, weight)
    if preference is not None:
        functions = _sub(root, "criteriaValues", mcdaConcept=PREFERENCE_FUNCTION)
        for criterion, entry in zip(table.criteria, preference, strict=True):
            item = _sub(functions, "criterionValues")
            _sub(item, "criterionID", criterion)
            _value(item, str(entry.get("function", "usual")))
    ElementTree.indent(root)
    text = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'.encode()


def _thresholds(entry: Mapping[str, Any]) -> dict[str, float]:
    return {k: float(entry[k]) for k in THRESHOLD_CONCEPTS if entry.get(k) is not None}


# ---------------------------------------------------------------------------- reading


class _Node:
    """One element: local name, the attributes XMCDA uses, text (leaves), children, place.

    A plain slotted class, children and text made only when there are some: a table of
    100,000 cells is about 600,000 of these."""

    __slots__ = ("attributes", "children", "column", "line", "tag", "text")

    def __init__(self, tag: str, attributes: dict[str, str], line: int, column: int) -> None:
        self.tag = tag
        self.attributes = attributes
        self.line = line
        self.column = column
        self.children: list[_Node] = _NONE
        self.text: list[str] | None = None

    def all(self, tag: str) -> list[_Node]:
        return [child for child in self.children if child.tag == tag]

    def first(self, tag: str) -> _Node | None:
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    @property
    def content(self) -> str:
        return "".join(self.text).strip() if self.text else ""


#: The children of a node without any (shared, never appended to).
_NONE: list[_Node] = []
_NO_ATTRIBUTES: dict[str, str] = {}
_KEPT_ATTRIBUTES = ("id", "name", "mcdaConcept")


class _Reader:
    """Parses the bytes into :class:`_Node` trees under the guards of the module docs."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.stack: list[_Node] = []
        self.root: _Node | None = None
        self.count = 0
        parser = self.parser
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.ExternalEntityRefHandler = self._external
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def error(self, what: str, allowed: str) -> DecisionError:
        return DecisionError(
            what, file=self.file, line=self.parser.CurrentLineNumber,
            column=self.parser.CurrentColumnNumber + 1, allowed=allowed, quotes_input=True,
        )

    def _doctype(self, *args: object) -> None:
        raise self.error(
            "a document type declaration (<!DOCTYPE ...>) is not read",
            "XMCDA without a DOCTYPE (declared entities could expand without bound)",
        )

    def _entity(self, *args: object) -> None:
        raise self.error("an entity declaration is not read", "XMCDA without entities")

    def _external(self, *args: object) -> int:
        raise self.error("an external entity is not read", "XMCDA without entities")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise self.error(f"more than {MAX_ELEMENTS:,} elements",
                             f"files of at most {MAX_ELEMENTS:,} elements")
        if len(self.stack) >= MAX_DEPTH:
            raise self.error(f"elements nested more than {MAX_DEPTH} deep",
                             f"nesting of at most {MAX_DEPTH} levels")
        namespace, _, local = name.rpartition(" ")
        if self.root is None and (namespace != NAMESPACE or local != "xmcda"):
            shown = f"{{{namespace}}}{local}" if namespace else local
            version = " (an XMCDA 3 or 2 file?)" if local == "XMCDA" else ""
            raise self.error(f"the root element is <{abbreviate(shown, 80)}>{version}",
                             _FORMAT)
        node = _Node(
            local if namespace in ("", NAMESPACE) else name,
            {k: attributes[k] for k in _KEPT_ATTRIBUTES if k in attributes}
            if attributes else _NO_ATTRIBUTES,
            self.parser.CurrentLineNumber,
            self.parser.CurrentColumnNumber + 1,
        )
        if self.stack:
            parent = self.stack[-1]
            if parent.children is _NONE:
                parent.children = [node]
                parent.text = None  # text between child elements is layout only
            else:
                parent.children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def _end(self, name: str) -> None:
        self.stack.pop()

    def _data(self, text: str) -> None:
        node = self.stack[-1] if self.stack else None
        if node is not None and node.children is _NONE:
            if node.text is None:
                node.text = [text]
            else:
                node.text.append(text)

    def parse(self, data: bytes) -> _Node:
        # The tree holds no reference cycles; pausing the cyclic collector while it grows
        # keeps reading linear in the file (its passes over a growing heap are not).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.parser.Parse(data, True)
        except expat.ExpatError as error:
            raise DecisionError(
                f"malformed XML: {expat.ErrorString(error.code)}", file=self.file,
                line=error.lineno,
                column=error.offset + 1, allowed=_FORMAT,
            ) from None
        finally:
            if collecting:
                gc.enable()
        if self.root is None:
            raise DecisionError("file is empty", file=self.file, allowed=_FORMAT)
        return self.root


class _Table:
    """Turns the parsed tree into an :class:`XmcdaTable`, pointing errors at the elements."""

    def __init__(self, root: _Node, file: str) -> None:
        self.root = root
        self.file = file

    def error(self, what: str, node: _Node, allowed: str, key_path: str | None = None
              ) -> DecisionError:
        return DecisionError(what, file=self.file, line=node.line, column=node.column,
                             key_path=key_path, allowed=allowed, quotes_input=True)

    def one(self, parent: _Node, tag: str, allowed: str, key_path: str | None = None) -> _Node:
        found = parent.all(tag)
        if len(found) != 1:
            what = f"no <{tag}>" if not found else f"{len(found)} <{tag}> elements"
            raise self.error(f"{what} in <{parent.tag}>", found[1] if found else parent,
                             allowed, key_path)
        return found[0]

    def identifier(self, parent: _Node, tag: str, key_path: str | None = None) -> str:
        node = self.one(parent, tag, f"one <{tag}> naming it", key_path)
        if not node.content:
            raise self.error(f"empty <{tag}>", node, "a non-empty id", key_path)
        return node.content

    def number(self, holder: _Node, key_path: str) -> float:
        """The one number of a ``<values>``, ``<constant>``, ``<minimum>``... element."""
        value = holder
        if holder.tag == "values":
            values = holder.all("value")
            if len(values) != 1:
                raise self.error(f"{len(values)} values where one number belongs", holder,
                                 NUMBER, key_path)
            value = values[0]
        kinds = [child for child in value.children if child.tag != "description"]
        if len(kinds) != 1:
            raise self.error("expected one number", value, NUMBER, key_path)
        kind = kinds[0]
        if kind.tag in ("integer", "real"):
            return self.finite(kind.content, kind, key_path)
        if kind.tag == "rational":
            numerator = self.finite(self.one(kind, "numerator", NUMBER, key_path).content,
                                    kind, key_path)
            denominator = self.finite(self.one(kind, "denominator", NUMBER, key_path).content,
                                      kind, key_path)
            if denominator == 0:
                raise self.error("a rational with denominator 0", kind, NUMBER, key_path)
            return numerator / denominator
        if kind.tag == "NA":
            raise self.error("missing value (NA)", kind, NUMBER, key_path)
        raise self.error(f"<{abbreviate(kind.tag)}> is not a number", kind, NUMBER, key_path)

    def finite(self, text: str, node: _Node, key_path: str) -> float:
        number = plain_float(text)
        if not math.isfinite(number):
            shown = f"'{abbreviate(text)}' is not a finite number" if text else "missing value"
            raise self.error(shown, node, NUMBER, key_path)
        return number

    def label(self, holder: _Node, key_path: str) -> str:
        values = holder.all("value")
        label = values[0].first("label") if len(values) == 1 else None
        if label is None or not label.content:
            raise self.error("expected one label", holder, "<value><label>name</label>",
                             key_path)
        return label.content

    def declared(self, tag: str, item: str) -> tuple[list[str], dict[str, _Node]] | None:
        """The ids declared under ``<alternatives>`` or ``<criteria>`` (None without one)."""
        containers = self.root.all(tag)
        if not containers:
            return None
        if len(containers) > 1:
            raise self.error(f"{len(containers)} <{tag}> elements", containers[1],
                             f"one <{tag}>")
        nodes: dict[str, _Node] = {}
        for node in containers[0].all(item):
            name = node.attributes.get("id", "").strip()
            if not name:
                raise self.error(f"<{item}> without an id", node, f"<{item} id=\"...\">")
            if name in nodes:
                raise self.error(f"duplicate {item} id '{abbreviate(name)}'", node,
                                 f"unique {item} ids")
            nodes[name] = node
        return list(nodes), nodes

    def active(self, node: _Node) -> bool:
        flag = node.first("active")
        if flag is None:
            return True
        if flag.content not in ("true", "false", "1", "0"):
            raise self.error(f"active is '{abbreviate(flag.content)}'", flag, "true or false")
        return flag.content in ("true", "1")

    def table(self) -> XmcdaTable:
        tables = self.root.all("performanceTable")
        if len(tables) != 1:
            node = tables[1] if tables else self.root
            what = "no performanceTable" if not tables else f"{len(tables)} performanceTables"
            raise self.error(what, node, "exactly one <performanceTable>")
        table = tables[0]
        rows: dict[str, dict[str, float]] = {}
        row_lines: dict[str, int] = {}
        seen_criteria: list[str] = []
        for row in table.all("alternativePerformances"):
            alternative = self.identifier(row, "alternativeID")
            if alternative in rows:
                raise self.error(f"a second row for alternative '{abbreviate(alternative)}'",
                                 row, "one <alternativePerformances> per alternative")
            cells: dict[str, float] = {}
            for cell in row.all("performance"):
                criterion = self.identifier(cell, "criterionID")
                key_path = f"{alternative}.{criterion}"
                if criterion in cells:
                    raise self.error("a second performance on the same criterion", cell,
                                     "one <performance> per alternative and criterion",
                                     key_path)
                cells[criterion] = self.number(self.one(cell, "values", NUMBER, key_path),
                                               key_path)
                if criterion not in seen_criteria:
                    seen_criteria.append(criterion)
            rows[alternative] = cells
            row_lines[alternative] = row.line
        if not rows:
            raise self.error("the performanceTable has no rows", table,
                             "one <alternativePerformances> per alternative")
        alternatives = self.declared("alternatives", "alternative")
        criteria = self.declared("criteria", "criterion")
        alternative_ids = list(rows) if alternatives is None else alternatives[0]
        criterion_ids = seen_criteria if criteria is None else criteria[0]
        active = [True] * len(alternative_ids)
        if alternatives is not None:
            active = [self.active(alternatives[1][a]) for a in alternative_ids]
            for name in rows:
                if name not in alternatives[1]:
                    raise self.error(f"alternative '{abbreviate(name)}' is not declared",
                                     table, "alternatives listed under <alternatives>")
        used = criterion_ids
        if criteria is not None:
            for name in seen_criteria:
                if name not in criteria[1]:
                    raise self.error(f"criterion '{abbreviate(name)}' is not declared", table,
                                     "criteria listed under <criteria>")
            used = [c for c in criterion_ids if self.active(criteria[1][c])]
        if not used:
            raise self.error("no active criteria", table, "at least one criterion")
        values = np.zeros((len(alternative_ids), len(used)))
        for i, alternative in enumerate(alternative_ids):
            row_cells = rows.get(alternative)
            if row_cells is None:
                if active[i] and alternatives is not None:
                    node = alternatives[1][alternative]
                    raise self.error(f"no performances for alternative '{abbreviate(alternative)}'",
                                     node, "a row of the performanceTable for every active "
                                     "alternative")
                continue
            for j, criterion in enumerate(used):
                if criterion not in row_cells:
                    raise DecisionError(
                        f"no performance on criterion '{abbreviate(criterion)}'",
                        file=self.file, line=row_lines[alternative],
                        key_path=f"{alternative}.{criterion}",
                        allowed="a number for every alternative and criterion",
                        quotes_input=True,
                    )
                values[i, j] = row_cells[criterion]
        comments: tuple[str | None, ...] = ()
        if criteria is not None:
            comments = tuple(self.comment(criteria[1][c]) for c in used)
        names: tuple[str | None, ...] = ()
        if alternatives is not None:
            names = tuple(alternatives[1][a].attributes.get("name") for a in alternative_ids)
        comment = self.comment(table)
        scales = self.directions(used)
        return XmcdaTable(
            alternatives=tuple(alternative_ids),
            criteria=tuple(used),
            values=values,
            active=tuple(active),
            alternative_names=names,
            criterion_comments=comments,
            weights=self.weights(used),
            benefit=None if scales is None else scales[0],
            bounds=None if scales is None or not any(b != (None, None) for b in scales[1])
            else scales[1],
            preference=self.preference(used),
            table_id=table.attributes.get("id"),
            table_name=table.attributes.get("name"),
            comment=comment,
            lines=tuple(row_lines.get(a, table.line) for a in alternative_ids),
        )

    def comment(self, node: _Node) -> str | None:
        description = node.first("description")
        text = None if description is None else description.first("comment")
        return None if text is None else text.content or None

    def criterion_values(self, concept: str, only_one: bool) -> _Node | None:
        """The ``criteriaValues`` with this ``mcdaConcept`` (or, with ``only_one``, the only
        ``criteriaValues`` of the file whatever its concept)."""
        every = self.root.all("criteriaValues")
        named = [n for n in every if n.attributes.get("mcdaConcept", "").lower()
                 == concept.lower()]
        if len(named) > 1:
            raise self.error(f"{len(named)} criteriaValues with mcdaConcept '{concept}'",
                             named[1], "one of each concept")
        if named:
            return named[0]
        if only_one and len(every) == 1 and "mcdaConcept" not in every[0].attributes:
            return every[0]
        return None

    def per_criterion(self, container: _Node, item: str, criteria: Sequence[str],
                      what: str) -> dict[str, _Node]:
        found: dict[str, _Node] = {}
        for node in container.all(item):
            criterion = self.identifier(node, "criterionID")
            if criterion in found:
                raise self.error(f"a second {what} for criterion '{abbreviate(criterion)}'",
                                 node, f"one {what} per criterion", criterion)
            found[criterion] = node
        for criterion, node in found.items():
            if criterion not in criteria:
                raise self.error(f"{what} for criterion '{abbreviate(criterion)}', which is not "
                                 "in the performanceTable", node,
                                 "the active criteria of the performanceTable", criterion)
        return found

    def weights(self, criteria: Sequence[str]) -> tuple[float, ...] | None:
        container = self.criterion_values(WEIGHTS, only_one=True)
        if container is None:
            return None
        found = self.per_criterion(container, "criterionValues", criteria, "weight")
        weights = []
        for criterion in criteria:
            if criterion not in found:
                raise self.error(f"no weight for criterion '{abbreviate(criterion)}'", container,
                                 "a weight for every active criterion", "weights")
            node = found[criterion]
            key_path = f"weights.{criterion}"
            weight = self.number(self.one(node, "values", NUMBER, key_path), key_path)
            if weight < 0:
                raise self.error(f"weight {weight:g} is negative", node, "weights >= 0",
                                 key_path)
            weights.append(weight)
        return tuple(weights)

    def directions(
        self, criteria: Sequence[str]
    ) -> tuple[tuple[bool, ...], tuple[tuple[float | None, float | None], ...]] | None:
        """Each criterion's direction (True: max) and its scale's bounds, from the first
        quantitative or qualitative scale given for it (None without criteriaScales)."""
        containers = self.root.all("criteriaScales")
        if not containers:
            return None
        found: dict[str, _Node] = {}
        for container in containers:
            for criterion, node in self.per_criterion(
                container, "criterionScales", criteria, "scale"
            ).items():
                found.setdefault(criterion, node)
        directions: list[bool] = []
        bounds: list[tuple[float | None, float | None]] = []
        for criterion in criteria:
            given = found.get(criterion)
            direction = None
            low = high = None
            scales = None if given is None else given.first("scales")
            kinds = [kind for scale in (scales.all("scale") if scales is not None else [])
                     for kind in scale.children if kind.tag in ("quantitative", "qualitative")]
            if kinds:
                chosen = kinds[0].first("preferenceDirection")
                direction = None if chosen is None else chosen.content
                key_path = f"criteriaScales.{criterion}"
                minimum, maximum = kinds[0].first("minimum"), kinds[0].first("maximum")
                low = None if minimum is None else self.number(minimum, key_path)
                high = None if maximum is None else self.number(maximum, key_path)
            bounds.append((low, high))
            if direction not in ("min", "max"):
                where = given or containers[0]
                shown = "no preferenceDirection" if direction is None else (
                    f"preferenceDirection '{abbreviate(direction)}'"
                )
                raise self.error(f"{shown} for criterion '{abbreviate(criterion)}'", where,
                                 "min or max for every criterion (or no criteriaScales)",
                                 f"criteriaScales.{criterion}")
            directions.append(direction == "max")
        return tuple(directions), tuple(bounds)

    def preference(self, criteria: Sequence[str]) -> tuple[dict[str, Any], ...] | None:
        thresholds = self.root.all("criteriaThresholds")
        functions = self.criterion_values(PREFERENCE_FUNCTION, only_one=False)
        if not thresholds and functions is None:
            return None
        entries: list[dict[str, Any]] = [{} for _ in criteria]
        concepts = {v: k for k, v in THRESHOLD_CONCEPTS.items()}
        for container in thresholds:
            found = self.per_criterion(container, "criterionThresholds", criteria,
                                       "thresholds")
            for criterion, node in found.items():
                entry = entries[criteria.index(criterion)]
                holder = self.one(node, "thresholds", "one <thresholds>", criterion)
                for threshold in holder.all("threshold"):
                    concept = threshold.attributes.get("mcdaConcept", "")
                    key_path = f"criteriaThresholds.{criterion}"
                    if concept not in concepts:
                        raise self.error(
                            f"threshold concept '{abbreviate(concept)}'", threshold,
                            "mcdaConcept " + ", ".join(THRESHOLD_CONCEPTS.values()), key_path,
                        )
                    constant = threshold.first("constant")
                    if constant is None:
                        raise self.error("only constant thresholds are read", threshold,
                                         "<constant><real>...</real></constant>", key_path)
                    entry[concepts[concept]] = self.number(constant, key_path)
        if functions is not None:
            found = self.per_criterion(functions, "criterionValues", criteria,
                                       "preference function")
            for criterion, node in found.items():
                entries[criteria.index(criterion)]["function"] = self.label(
                    self.one(node, "values", "one <values>", criterion), criterion
                )
        return tuple(
            {"function": e.get("function", _guess(e)), **{k: e[k] for k in "qps" if k in e}}
            for e in entries
        )


def _guess(entry: Mapping[str, Any]) -> str:
    """The preference function that takes exactly the thresholds given (without a label)."""
    given = {k for k in "qps" if k in entry}
    return {frozenset(): "usual", frozenset("q"): "ushape", frozenset("p"): "vshape",
            frozenset("qp"): "linear", frozenset("s"): "gaussian"}.get(frozenset(given),
                                                                       "usual")


def parse_xmcda(data: bytes, file: str = "<xmcda>") -> XmcdaTable:
    """Parse XMCDA 4.0.0 bytes into a table (see the module docs)."""
    if not data.strip():
        raise DecisionError("file is empty", file=file, allowed=_FORMAT)
    root = _Reader(file).parse(data)
    return _Table(root, file).table()


def read_xmcda(path: str) -> XmcdaTable:
    """Read an XMCDA 4.0.0 file (a regular file of at most :data:`MAX_FILE_BYTES`)."""
    return parse_xmcda(read_bytes_limited(path, MAX_FILE_BYTES, "matrix"), path)
