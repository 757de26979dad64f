"""Precondition expressions: a small, safe boolean language over indicator ids.

Options carry preconditions such as ``civil_society_access >= 0.5 and political_prisoners_released``
or ``1 <= press_freedom_rank <= 120``. They come from model files, so they are untrusted text:
this module parses them with a hand-written tokenizer and recursive-descent parser over a strict
whitelist (never ``eval``/``exec``/``compile``/``ast``), type-checks them against the indicator
kinds, and evaluates them vectorised over numpy arrays of samples.

Grammar (lowest to highest precedence, as in Python)::

    expr     := and_expr ('or' and_expr)*
    and_expr := not_expr ('and' not_expr)*
    not_expr := 'not' not_expr | compare
    compare  := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)*   # chains mean 'and'
    sum      := term (('+' | '-') term)*
    term     := unary (('*' | '/') unary)*
    unary    := ('-' | '+') unary | atom
    atom     := NAME | NUMBER | 'true' | 'false' | 'True' | 'False' | '(' expr ')'

Names are ASCII ``[A-Za-z_][A-Za-z0-9_]*`` and may not start with ``_``. Anything else (calls,
attribute access, subscripts, strings, ``**``, ``%``, ``//``, ``:=``, commas, Python keywords,
non-ASCII characters) is rejected with a one-line :class:`DecisionError` naming what was found,
where (1-based character position) and what is allowed. Inputs are capped in length
(:data:`MAX_LENGTH`), nesting depth (:data:`MAX_DEPTH`, checked with a counter while parsing so
pathological nesting fails fast without deep recursion) and tree size (:data:`MAX_NODES`).

Evaluation semantics (IEEE 754 floats, numpy): division by zero gives ``inf``/``-inf`` (``nan``
for ``0 / 0``) without warnings; ``<``, ``<=``, ``>``, ``>=`` and ``==`` involving ``nan`` are
False and ``!=`` involving ``nan`` is True (so ``not`` of a ``nan`` comparison is True). Boolean
indicators may be given as bools or numbers: non-zero is true, zero and ``nan`` are false.
"""

from __future__ import annotations

import keyword
import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeAlias, assert_never

from decision.errors import DecisionError, did_you_mean, list_allowed

if TYPE_CHECKING:  # numpy is imported where expressions are evaluated: parsing (validation)
    import numpy as np  # does not need it
    from numpy.typing import NDArray

Kind = Literal["numeric", "boolean"]

#: Longest accepted expression, in characters.
MAX_LENGTH = 1_000
#: Deepest accepted nesting: parentheses, unary operators and operator-tree levels.
MAX_DEPTH = 32
#: Most accepted syntax-tree nodes (names, numbers, operators).
MAX_NODES = 200
#: Longest accepted number literal, in characters.
MAX_NUMBER_LENGTH = 40

#: What the language accepts, for the ``allowed`` part of error messages.
GRAMMAR = (
    "indicator ids, numbers, true/false, + - * /, comparisons < <= > >= == != "
    "(chains such as 1 <= x < 5), and, or, not, parentheses"
)

_WHITESPACE = " \t\r\n"
_COMPARE_OPS = ("<", "<=", ">", ">=", "==", "!=")
_ORDER_OPS = frozenset({"<", "<=", ">", ">="})
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_STRING_PREFIXES = frozenset({"f", "r", "b", "u", "rb", "br", "fr", "rf"})

#: Characters and character pairs outside the grammar, with the reason given to the user.
_BAD_PAIRS = {
    "**": "the power operator is not allowed; multiply instead",
    "//": "floor division is not allowed; use '/'",
    ":=": "assignment expressions are not allowed",
    "<<": "shift operators are not allowed",
    ">>": "shift operators are not allowed",
    "<>": "'<>' is not an operator; use '!='",
}
_BAD_CHARS = {
    "[": "subscripts and lists are not allowed",
    "]": "subscripts and lists are not allowed",
    "{": "braces (dicts, sets, f-string fields) are not allowed",
    "}": "braces (dicts, sets, f-string fields) are not allowed",
    ",": "commas (tuples, argument lists) are not allowed",
    ":": "':' (lambdas, slices, dicts) is not allowed",
    ";": "';' (statement separator) is not allowed",
    "=": "assignment is not allowed; use '==' to compare",
    "!": "'!' is not allowed; use 'not' or '!='",
    "%": "'%' (modulo, formatting) is not allowed",
    "&": "bitwise '&' is not allowed; use 'and'",
    "|": "bitwise '|' is not allowed; use 'or'",
    "^": "bitwise '^' is not allowed; use '!=' between booleans",
    "~": "bitwise '~' is not allowed; use 'not'",
    "@": "'@' (decorators, matrix products) is not allowed",
    "#": "comments are not allowed",
    "\\": "backslashes (escapes, line continuations) are not allowed",
    "'": "string literals are not allowed",
    '"': "string literals are not allowed",
    ".": "attribute access is not allowed",
}
_KEYWORD_HINTS = {
    "if": "conditional expressions are not supported; combine conditions with and/or",
    "else": "conditional expressions are not supported; combine conditions with and/or",
    "in": "membership tests are not supported; compare with == and combine with or",
    "is": "identity tests are not supported; use == or !=",
    "lambda": "functions are not supported",
    "for": "loops and comprehensions are not supported",
    "import": "imports are not allowed",
    "from": "imports are not allowed",
    "None": "there is no None value; every indicator has a value",
}
_LANGUAGE_WORDS = frozenset({"and", "or", "not", "True", "False"})
_FORBIDDEN_WORDS = frozenset(keyword.kwlist) - _LANGUAGE_WORDS


# --------------------------------------------------------------------------- public results


@dataclass(frozen=True)
class FailedCondition:
    """One atom that makes a precondition false for one sample.

    ``gap`` is ``threshold - value`` for a simple ``name OP constant`` (or ``constant OP name``)
    comparison: the signed change of the indicator that reaches the threshold (for strict
    ``<``/``>`` it must move just past it); ``None`` when there is no single direction (``!=``,
    a negated ``==``, a ``nan`` value) or the comparison is not that simple.
    """

    text: str
    values: dict[str, float]
    gap: float | None


@dataclass(frozen=True)
class Comparison:
    """A comparison atom, for tipping-point analysis.

    ``indicator``/``threshold`` are set for ``name OP constant`` or ``constant OP name`` with a
    numeric indicator; ``op`` is then normalised so the indicator is on the left (``1 <= x``
    gives ``x >= 1``). ``text`` is the comparison as rendered from the expression.
    """

    indicator: str | None
    op: str
    threshold: float | None
    text: str


# --------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True, slots=True)
class _Num:
    value: float
    pos: int
    depth: int = 1


@dataclass(frozen=True, slots=True)
class _Bool:
    value: bool
    pos: int
    depth: int = 1


@dataclass(frozen=True, slots=True)
class _Name:
    name: str
    kind: Kind
    pos: int
    depth: int = 1


@dataclass(frozen=True, slots=True)
class _Neg:
    operand: _Node
    pos: int
    depth: int


@dataclass(frozen=True, slots=True)
class _Arith:
    op: str
    left: _Node
    right: _Node
    pos: int
    depth: int


@dataclass(frozen=True, slots=True)
class _Compare:
    operands: tuple[_Node, ...]
    ops: tuple[str, ...]
    pos: int
    depth: int


@dataclass(frozen=True, slots=True)
class _Not:
    operand: _Node
    pos: int
    depth: int


@dataclass(frozen=True, slots=True)
class _BoolOp:
    op: Literal["and", "or"]
    operands: tuple[_Node, ...]
    pos: int
    depth: int


_Node: TypeAlias = _Num | _Bool | _Name | _Neg | _Arith | _Compare | _Not | _BoolOp


def _kind(node: _Node) -> Kind:
    """Whether a node yields numbers or true/false."""
    if isinstance(node, _Name):
        return node.kind
    return "numeric" if isinstance(node, _Num | _Neg | _Arith) else "boolean"


def _children(node: _Node) -> tuple[_Node, ...]:
    """Direct sub-nodes, in source order."""
    if isinstance(node, _Num | _Bool | _Name):
        return ()
    if isinstance(node, _Neg | _Not):
        return (node.operand,)
    if isinstance(node, _Arith):
        return (node.left, node.right)
    return node.operands


def _walk(node: _Node) -> list[_Node]:
    """A node and all its descendants, in source order (pre-order, no recursion)."""
    order: list[_Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        order.append(current)
        stack.extend(reversed(_children(current)))
    return order


def _names_in(node: _Node) -> list[str]:
    """Indicator ids read by a node, once each, in source order."""
    return list(dict.fromkeys(n.name for n in _walk(node) if isinstance(n, _Name)))


# --------------------------------------------------------------------------- rendering


def _format_number(value: float) -> str:
    """Shortest text that reads back as the same float (``120``, ``0.5``, ``1e-07``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _precedence(node: _Node) -> int:
    """Binding strength, for minimal parentheses: or < and < not < compare < +- < */ < unary."""
    if isinstance(node, _BoolOp):
        return 1 if node.op == "or" else 2
    if isinstance(node, _Not):
        return 3
    if isinstance(node, _Compare):
        return 4
    if isinstance(node, _Arith):
        return 5 if node.op in "+-" else 6
    if isinstance(node, _Neg) or (isinstance(node, _Num) and math.copysign(1, node.value) < 0):
        return 7
    return 8


def _wrap(node: _Node, minimum: int) -> str:
    text = _render(node)
    return f"({text})" if _precedence(node) < minimum else text


def _render(node: _Node) -> str:
    """Canonical text: single spaces around operators, parentheses only where needed."""
    if isinstance(node, _Num):
        return _format_number(node.value)
    if isinstance(node, _Bool):
        return "true" if node.value else "false"
    if isinstance(node, _Name):
        return node.name
    if isinstance(node, _Neg):
        return "-" + _wrap(node.operand, 8)
    if isinstance(node, _Arith):
        own = _precedence(node)
        return f"{_wrap(node.left, own)} {node.op} {_wrap(node.right, own + 1)}"
    if isinstance(node, _Compare):
        parts = [_wrap(node.operands[0], 5)]
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            parts.append(f"{op} {_wrap(operand, 5)}")
        return " ".join(parts)
    if isinstance(node, _Not):
        return "not " + _wrap(node.operand, 3)
    if isinstance(node, _BoolOp):
        own = _precedence(node)
        return f" {node.op} ".join(_wrap(operand, own + 1) for operand in node.operands)
    assert_never(node)


def _short(node: _Node, limit: int = 40) -> str:
    """Rendered node, shortened for error messages."""
    text = _render(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------- tokenizer


class _Token(NamedTuple):
    kind: Literal["name", "number", "bool", "keyword", "op", "(", ")", "end"]
    text: str
    pos: int  # 1-based character position
    value: float = 0.0


def _reject(found: str, pos: int, problem: str, allowed: str = GRAMMAR) -> DecisionError:
    return DecisionError(f"{found} at position {pos}: {problem}", allowed=allowed, at=pos)


def _check_characters(text: str) -> None:
    """Reject non-ASCII and control characters up front, so look-alike names cannot pass."""
    for index, char in enumerate(text):
        code = ord(char)
        if code > 126:
            label = unicodedata.name(char, "unnamed character")
            raise _reject(
                f"non-ASCII character U+{code:04X} ({label})",
                index + 1,
                "expressions must be plain ASCII, so look-alike letters cannot pass as ids",
                allowed="ASCII letters, digits, '_', spaces and " + GRAMMAR,
            )
        if (code < 32 and char not in _WHITESPACE) or code == 127:
            raise _reject(f"control character U+{code:04X}", index + 1, "it is not allowed")


class _Lexer:
    """Tokens on demand, so errors are reported in source order."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._index = 0
        self._ahead: _Token | None = None

    def peek(self) -> _Token:
        if self._ahead is None:
            self._ahead = self._scan()
        return self._ahead

    def take(self) -> _Token:
        token = self.peek()
        self._ahead = None
        return token

    def _scan(self) -> _Token:
        text, n = self._text, len(self._text)
        i = self._index
        while i < n and text[i] in _WHITESPACE:
            i += 1
        if i >= n:
            self._index = n
            return _Token("end", "", n + 1)
        char, pos = text[i], i + 1
        if char.isalpha() or char == "_":
            return self._word(i)
        if char.isdigit() or (char == "." and i + 1 < n and text[i + 1].isdigit()):
            return self._number(i)
        pair = text[i : i + 2]
        if pair in ("<=", ">=", "==", "!="):
            self._index = i + 2
            return _Token("op", pair, pos)
        if pair in _BAD_PAIRS:
            raise _reject(f"'{pair}'", pos, _BAD_PAIRS[pair])
        if char in "<>+-*/":
            self._index = i + 1
            return _Token("op", char, pos)
        if char in "()":
            self._index = i + 1
            return _Token("(" if char == "(" else ")", char, pos)
        problem = _BAD_CHARS.get(char, "this character is not part of the expression language")
        raise _reject(repr(char), pos, problem)

    def _word(self, start: int) -> _Token:
        text, n = self._text, len(self._text)
        end = start
        while end < n and (text[end].isalnum() or text[end] == "_"):
            end += 1
        word, pos = text[start:end], start + 1
        self._index = end
        if end < n and text[end] in "'\"":
            if word.lower() in _STRING_PREFIXES:
                raise _reject(
                    f"string prefix '{word}'", pos, "f-strings and string literals are not allowed"
                )
            raise _reject(repr(text[end]), end + 1, "string literals are not allowed")
        if word.startswith("_"):
            raise _reject(
                f"name '{_clip(word)}'",
                pos,
                "names starting with '_' (such as __dunder__ names) are not allowed",
                allowed="indicator ids, which start with a letter",
            )
        if word in ("and", "or", "not"):
            return _Token("keyword", word, pos)
        if word in ("true", "True", "false", "False"):
            return _Token("bool", word, pos, 1.0 if word.lower() == "true" else 0.0)
        if word in _FORBIDDEN_WORDS:
            hint = _KEYWORD_HINTS.get(word, "Python keywords are not part of the language")
            raise _reject(f"keyword '{word}'", pos, hint)
        return _Token("name", word, pos)

    def _number(self, start: int) -> _Token:
        text, n = self._text, len(self._text)
        end = start
        while end < n and text[end].isdigit():
            end += 1
        if end < n and text[end] == ".":
            end += 1
            while end < n and text[end].isdigit():
                end += 1
        if end < n and text[end] in "eE":
            probe = end + 1
            if probe < n and text[probe] in "+-":
                probe += 1
            if probe < n and text[probe].isdigit():
                while probe < n and text[probe].isdigit():
                    probe += 1
                end = probe
        pos = start + 1
        if end < n and (text[end].isalnum() or text[end] in "_."):
            tail = end
            while tail < n and (text[tail].isalnum() or text[tail] in "_."):
                tail += 1
            raise _reject(
                f"malformed number '{_clip(text[start:tail])}'",
                pos,
                "only decimal numbers are allowed",
                allowed="numbers such as 3, 0.5, .25, 1e-3 (no hex, '_', suffixes)",
            )
        literal = text[start:end]
        if len(literal) > MAX_NUMBER_LENGTH:
            raise _reject(
                f"number '{_clip(literal)}' ({len(literal)} characters)",
                pos,
                "number literal is too long",
                allowed=f"numbers of at most {MAX_NUMBER_LENGTH} characters",
            )
        value = float(literal)
        if not math.isfinite(value):
            raise _reject(
                f"number '{literal}'",
                pos,
                "it is too large (not finite)",
                allowed="finite numbers, about -1.8e308 to 1.8e308",
            )
        if value == 0.0 and any(c in "123456789" for c in literal.lower().partition("e")[0]):
            raise _reject(
                f"number '{literal}'",
                pos,
                "it is too small: it would be taken as 0",
                allowed="0 itself, or numbers of magnitude at least 5e-324 (in practice "
                "1e-300 or more)",
            )
        self._index = end
        return _Token("number", literal, pos, value)


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(token: _Token) -> str:
    return "the end of the expression" if token.kind == "end" else f"'{token.text}'"


# --------------------------------------------------------------------------- parser


class _Parser:
    """Recursive descent with explicit limits; type-checks each node as it is built."""

    def __init__(self, text: str, kinds: Mapping[str, str]) -> None:
        self._lexer = _Lexer(text)
        self._kinds = kinds
        self._nesting = 0
        self._nodes = 0

    def parse(self) -> _Node:
        first = self._lexer.peek()
        if first.kind == "end":
            raise DecisionError("empty expression", allowed="a condition such as x >= 0.5")
        node = self._or()
        token = self._lexer.peek()
        if token.kind == ")":
            raise _reject("unmatched ')'", token.pos, "it closes nothing")
        if token.kind != "end":
            raise _reject(
                f"unexpected {_describe(token)}",
                token.pos,
                "expected an operator (+ - * /, a comparison, and, or) or the end",
            )
        self._need_boolean(node, "a precondition")
        return node

    # -- limits

    def _enter(self, pos: int) -> None:
        self._nesting += 1
        if self._nesting > MAX_DEPTH:
            raise self._too_deep(pos)

    def _leave(self) -> None:
        self._nesting -= 1

    @staticmethod
    def _too_deep(pos: int) -> DecisionError:
        return _reject(
            "nesting too deep",
            pos,
            f"more than {MAX_DEPTH} levels of parentheses, 'not', signs or operators",
            allowed=f"at most {MAX_DEPTH} levels; split the condition or simplify it",
        )

    def _count(self, node: _Node, at: int | None = None) -> _Node:
        """Count a node against :data:`MAX_NODES`, check its depth; ``at`` is its operator."""
        where = node.pos if at is None else at
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _reject(
                "too many terms",
                where,
                f"the expression has more than {MAX_NODES} names, numbers and operators",
                allowed=f"at most {MAX_NODES}; split long conditions into several preconditions",
            )
        if node.depth > MAX_DEPTH:
            raise self._too_deep(where)
        return node

    # -- types

    def _need_boolean(self, node: _Node, context: str) -> None:
        if _kind(node) == "boolean":
            return
        allowed = "a comparison (e.g. x >= 0.5) or a boolean indicator"
        if isinstance(node, _Name):
            what = f"indicator '{node.name}' is numeric: compare it, e.g. {node.name} >= 0.5"
        elif isinstance(node, _Num):
            what = f"number {_render(node)} is not a condition"
        else:
            text = _short(node)
            what = f"'{text}' is a number, not a condition: compare it, e.g. {text} >= 0.5"
        raise DecisionError(
            f"{what} (at position {node.pos}; {context} needs true/false)",
            allowed=allowed,
            at=node.pos,
        )

    def _need_number(self, node: _Node, context: str) -> None:
        if _kind(node) == "numeric":
            return
        if isinstance(node, _Name):
            what = f"indicator '{node.name}' is boolean (true/false)"
        else:
            what = f"'{_short(node)}' is true/false"
        raise DecisionError(
            f"{what} at position {node.pos}, but {context} needs numbers",
            allowed="numbers in arithmetic and < <= > >=; compare booleans only with == or !=",
            at=node.pos,
        )

    def _check_pair(self, left: _Node, op: _Token, right: _Node) -> None:
        if op.text in _ORDER_OPS:
            self._need_number(left, f"'{op.text}'")
            self._need_number(right, f"'{op.text}'")
        elif _kind(left) != _kind(right):
            boolean, number = (left, right) if _kind(left) == "boolean" else (right, left)
            raise DecisionError(
                f"'{op.text}' at position {op.pos} compares a boolean ({_short(boolean)}) "
                f"with a number ({_short(number)})",
                allowed="== and != between two numbers or between two booleans",
                at=op.pos,
            )

    # -- grammar

    def _bool_chain(self, op: Literal["and", "or"], part: Callable[[], _Node]) -> _Node:
        operands = [part()]
        at: int | None = None
        while (token := self._lexer.peek()).kind == "keyword" and token.text == op:
            self._lexer.take()
            at = token.pos
            operands.append(part())
        if len(operands) == 1:
            return operands[0]
        flat: list[_Node] = []
        for operand in operands:
            self._need_boolean(operand, f"'{op}'")
            if isinstance(operand, _BoolOp) and operand.op == op:
                flat.extend(operand.operands)
            else:
                flat.append(operand)
        depth = 1 + max(o.depth for o in flat)
        return self._count(_BoolOp(op, tuple(flat), flat[0].pos, depth), at)

    def _or(self) -> _Node:
        return self._bool_chain("or", self._and)

    def _and(self) -> _Node:
        return self._bool_chain("and", self._not)

    def _not(self) -> _Node:
        token = self._lexer.peek()
        if not (token.kind == "keyword" and token.text == "not"):
            return self._compare()
        self._lexer.take()
        self._enter(token.pos)
        operand = self._not()
        self._leave()
        self._need_boolean(operand, "'not'")
        return self._count(_Not(operand, token.pos, operand.depth + 1))

    def _compare(self) -> _Node:
        operands = [self._sum()]
        ops: list[str] = []
        at: int | None = None
        while (token := self._lexer.peek()).kind == "op" and token.text in _COMPARE_OPS:
            self._lexer.take()
            right = self._sum()
            self._check_pair(operands[-1], token, right)
            at = token.pos
            operands.append(right)
            ops.append(token.text)
        if not ops:
            return operands[0]
        depth = 1 + max(o.depth for o in operands)
        return self._count(_Compare(tuple(operands), tuple(ops), operands[0].pos, depth), at)

    def _arith_chain(self, ops: str, part: Callable[[], _Node]) -> _Node:
        left = part()
        while (token := self._lexer.peek()).kind == "op" and token.text in ops:
            self._lexer.take()
            right = part()
            self._need_number(left, f"'{token.text}'")
            self._need_number(right, f"'{token.text}'")
            depth = 1 + max(left.depth, right.depth)
            left = self._count(_Arith(token.text, left, right, left.pos, depth), token.pos)
        return left

    def _sum(self) -> _Node:
        return self._arith_chain("+-", self._term)

    def _term(self) -> _Node:
        return self._arith_chain("*/", self._unary)

    def _unary(self) -> _Node:
        token = self._lexer.peek()
        if not (token.kind == "op" and token.text in "+-"):
            return self._atom()
        self._lexer.take()
        self._enter(token.pos)
        operand = self._unary()
        self._leave()
        self._need_number(operand, f"unary '{token.text}'")
        if token.text == "+":
            return operand
        if isinstance(operand, _Num):  # fold '-3' into a constant, so thresholds stay simple
            return _Num(-operand.value, token.pos)
        return self._count(_Neg(operand, token.pos, operand.depth + 1))

    def _atom(self) -> _Node:
        token = self._lexer.take()
        node: _Node
        if token.kind == "number":
            node = self._count(_Num(token.value, token.pos))
        elif token.kind == "bool":
            node = self._count(_Bool(token.value == 1.0, token.pos))
        elif token.kind == "name":
            self._no_call(token.text, self._lexer.peek())
            node = self._count(self._name(token))
        elif token.kind == "(":
            self._enter(token.pos)
            if self._lexer.peek().kind == ")":
                raise _reject("empty parentheses '()'", token.pos, "they hold no expression")
            node = self._or()
            close = self._lexer.take()
            if close.kind == "end":
                raise _reject("'('", token.pos, "it is never closed", allowed="a matching ')'")
            if close.kind != ")":
                raise _reject(
                    f"unexpected {_describe(close)}", close.pos, "expected an operator or ')'"
                )
            self._leave()
        elif token.kind == "end":
            raise _reject(
                "end of the expression",
                token.pos,
                "the expression ends early; expected a name, number, true/false or '('",
            )
        else:
            raise _reject(
                f"unexpected {_describe(token)}",
                token.pos,
                "expected a name, number, true/false, 'not', a sign or '('",
            )
        self._no_call(_short(node), self._lexer.peek())
        return node

    @staticmethod
    def _no_call(callee: str, following: _Token) -> None:
        if following.kind == "(":
            raise _reject(f"'(' after '{callee}'", following.pos, "function calls are not allowed")

    def _name(self, token: _Token) -> _Name:
        name = token.text
        if name not in self._kinds:
            raise DecisionError(
                f"unknown indicator '{_clip(name)}' at position {token.pos}"
                f"{did_you_mean(name, self._kinds)}",
                allowed=(
                    f"indicator ids: {list_allowed(self._kinds)}"
                    if self._kinds
                    else "no indicators are defined"
                ),
                at=token.pos,
            )
        kind = self._kinds[name]
        if kind == "numeric":
            return _Name(name, "numeric", token.pos)
        if kind == "boolean":
            return _Name(name, "boolean", token.pos)
        raise DecisionError(
            f"indicator '{name}' has unknown kind {kind!r}", allowed="'numeric' or 'boolean'"
        )


# --------------------------------------------------------------------------- evaluation

#: numpy's ufunc of each operator, by name (numpy is imported only to evaluate).
_ARITH = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}
_COMPARE = {
    "<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal", "==": "equal",
    "!=": "not_equal",
}


def _ufunc(name: str) -> Callable[[Any, Any], Any]:
    import numpy as np

    function: Callable[[Any, Any], Any] = getattr(np, name)
    return function


_Env: TypeAlias = "dict[str, NDArray[Any]]"


def _eval(node: _Node, env: _Env) -> NDArray[Any]:
    """Value of a node over all samples: float64 for numeric nodes, bool for boolean ones.

    Call inside ``np.errstate(all="ignore")``; recursion is bounded by :data:`MAX_DEPTH`.
    """
    import numpy as np

    if isinstance(node, _Num):
        return np.asarray(node.value, dtype=np.float64)
    if isinstance(node, _Bool):
        return np.asarray(node.value, dtype=np.bool_)
    if isinstance(node, _Name):
        return env[node.name]
    if isinstance(node, _Neg):
        return np.asarray(np.negative(_eval(node.operand, env)))
    if isinstance(node, _Arith):
        return np.asarray(_ufunc(_ARITH[node.op])(_eval(node.left, env), _eval(node.right, env)))
    if isinstance(node, _Compare):
        values = [_eval(operand, env) for operand in node.operands]
        pairs = [_ufunc(_COMPARE[op])(values[i], values[i + 1]) for i, op in enumerate(node.ops)]
        return np.asarray(reduce(np.logical_and, pairs))
    if isinstance(node, _Not):
        return np.asarray(np.logical_not(_eval(node.operand, env)))
    if isinstance(node, _BoolOp):
        combine = np.logical_and if node.op == "and" else np.logical_or
        return np.asarray(reduce(combine, (_eval(o, env) for o in node.operands)))
    assert_never(node)


def _pairs(node: _Compare) -> list[tuple[_Node, str, _Node]]:
    """A comparison chain as its pairwise comparisons (``a < b < c`` is ``a < b and b < c``)."""
    return [(node.operands[i], op, node.operands[i + 1]) for i, op in enumerate(node.ops)]


def _simple(left: _Node, op: str, right: _Node) -> tuple[str, str, float] | None:
    """``(indicator, op, threshold)`` with the indicator on the left, for name-vs-constant."""
    if isinstance(left, _Name) and left.kind == "numeric" and isinstance(right, _Num):
        return left.name, op, right.value
    if isinstance(right, _Name) and right.kind == "numeric" and isinstance(left, _Num):
        return right.name, _FLIPPED[op], left.value
    return None


def _pair_text(left: _Node, op: str, right: _Node) -> str:
    return f"{_wrap(left, 5)} {op} {_wrap(right, 5)}"


def _tree(node: _Node) -> list[Any]:
    """:meth:`Expression.to_tree` of one node (the parser bounds the depth)."""
    if isinstance(node, _Num):
        return ["num", float(node.value)]
    if isinstance(node, _Bool):
        return ["bool", bool(node.value)]
    if isinstance(node, _Name):
        return ["name", node.name, node.kind]
    if isinstance(node, _Neg):
        return ["neg", _tree(node.operand)]
    if isinstance(node, _Arith):
        return ["arith", node.op, _tree(node.left), _tree(node.right)]
    if isinstance(node, _Compare):
        return ["compare", list(node.ops), [_tree(o) for o in node.operands]]
    if isinstance(node, _Not):
        return ["not", _tree(node.operand)]
    if isinstance(node, _BoolOp):
        return [node.op, [_tree(o) for o in node.operands]]
    raise TypeError(f"unknown expression node {type(node).__name__}")


class Expression:
    """A parsed, type-checked precondition; evaluate it over arrays of samples."""

    __slots__ = ("_kinds", "_root", "names", "source")

    def __init__(self, source: str, root: _Node) -> None:
        self.source = source
        self._root = root
        used = _names_in(root)
        self.names: frozenset[str] = frozenset(used)
        kinds: dict[str, Kind] = {}
        for node in _walk(root):
            if isinstance(node, _Name):
                kinds[node.name] = node.kind
        self._kinds = kinds

    def __repr__(self) -> str:
        return f"Expression({self.to_text()!r})"

    def to_text(self) -> str:
        """Canonical rendering: parses back to the same expression."""
        return _render(self._root)

    def to_tree(self) -> list[Any]:
        """The expression as nested lists, for evaluators outside Python (the explorer page):
        ``["num", x]``, ``["bool", b]``, ``["name", id, kind]``, ``["neg", a]``,
        ``["arith", op, a, b]``, ``["compare", [ops], [operands]]``, ``["not", a]`` and
        ``["and"|"or", [operands]]``, with this module's semantics (IEEE division, comparisons
        with nan false but ``!=``)."""
        return _tree(self._root)

    def evaluate(self, values: Mapping[str, NDArray[Any]]) -> NDArray[np.bool_]:
        """Truth of the expression for every sample, as a fresh bool array.

        ``values`` maps indicator ids to arrays of one broadcastable shape (extra ids are
        ignored); the result has the broadcast shape of all given arrays. Booleans may be
        bools or numbers (non-zero is true, ``nan`` false). See the module docstring for
        division by zero and ``nan``.
        """
        import numpy as np

        env = self._environment(values)
        try:
            shape = np.broadcast_shapes(*(np.shape(value) for value in values.values()))
        except ValueError:
            shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in values.items())
            raise DecisionError(
                f"indicator values have incompatible shapes: {_clip(shapes, 200)}",
                allowed="arrays of one (broadcastable) shape, e.g. (samples,)",
            ) from None
        with np.errstate(all="ignore"):
            result = _eval(self._root, env)
        return np.array(np.broadcast_to(result, shape), dtype=np.bool_)

    def explain_failure(self, values: Mapping[str, float]) -> list[FailedCondition]:
        """For one sample where the expression is false, the atoms that make it false.

        ``a and b`` reports its false operands, ``a or b`` all of them, ``not a`` the atoms of
        ``a`` negated (``not (x >= 1)``); a chain ``1 <= x <= 5`` reports its failing links.
        Returns ``[]`` when the expression is true for these values.
        """
        import numpy as np

        env = self._environment(values)
        for name, array in env.items():
            if array.size != 1:
                raise DecisionError(
                    f"explain_failure needs one value per indicator, got shape {array.shape} "
                    f"for '{name}'",
                    allowed="scalar values (one sample)",
                )
            env[name] = array.reshape(())
        with np.errstate(all="ignore"):
            if bool(_eval(self._root, env)):
                return []
            return self._why(self._root, True, env, values)

    def comparisons(self) -> list[Comparison]:
        """Every pairwise comparison in the expression, in source order."""
        found: list[Comparison] = []
        for node in _walk(self._root):
            if isinstance(node, _Compare):
                for left, op, right in _pairs(node):
                    text = _pair_text(left, op, right)
                    simple = _simple(left, op, right)
                    if simple is None:
                        found.append(Comparison(None, op, None, text))
                    else:
                        found.append(Comparison(simple[0], simple[1], simple[2], text))
        return found

    # -- helpers

    def _environment(self, values: Mapping[str, Any]) -> _Env:
        """Indicator arrays this expression reads: float64 for numeric, bool for boolean."""
        import numpy as np

        env: _Env = {}
        for name, kind in self._kinds.items():
            if name not in values:
                raise DecisionError(
                    f"no values given for indicator '{name}'{did_you_mean(name, values)}",
                    allowed=f"values for {list_allowed(self._kinds)}",
                )
            raw = values[name]
            try:
                array = np.asarray(raw)
                if kind == "boolean" and array.dtype != np.bool_:
                    number = np.asarray(array, dtype=np.float64)
                    array = (number != 0) & ~np.isnan(number)
                elif kind == "numeric":
                    array = np.asarray(array, dtype=np.float64)
            except (TypeError, ValueError):
                raise DecisionError(
                    f"values for indicator '{name}' are not numbers",
                    allowed="numbers (or bools for boolean indicators)",
                ) from None
            env[name] = array
        return env

    def _why(
        self, node: _Node, want: bool, env: _Env, values: Mapping[str, Any]
    ) -> list[FailedCondition]:
        """Atoms explaining why ``node`` is not ``want`` (the caller knows it is not)."""
        if isinstance(node, _BoolOp):
            # 'and' that should be true / 'or' that should be false: only the offending operands;
            # otherwise every operand shares the blame.
            only_offenders = (node.op == "and") == want
            result: list[FailedCondition] = []
            for operand in node.operands:
                if not only_offenders or bool(_eval(operand, env)) != want:
                    result.extend(self._why(operand, want, env, values))
            return result
        if isinstance(node, _Not):
            return self._why(node.operand, not want, env, values)
        if isinstance(node, _Compare):
            conditions: list[FailedCondition] = []
            for left, op, right in _pairs(node):
                holds = bool(_ufunc(_COMPARE[op])(_eval(left, env), _eval(right, env)))
                if want and holds:
                    continue  # only the failing links of a chain that should hold
                conditions.append(self._condition(left, op, right, not want, values))
            return conditions
        text = _render(node)
        read = {name: float(values[name]) for name in _names_in(node)}
        return [FailedCondition(text if want else f"not {text}", read, None)]

    @staticmethod
    def _condition(
        left: _Node, op: str, right: _Node, negated: bool, values: Mapping[str, Any]
    ) -> FailedCondition:
        text = _pair_text(left, op, right)
        read = {name: float(values[name]) for name in _names_in(left) + _names_in(right)}
        gap: float | None = None
        simple = _simple(left, op, right)
        if simple is not None and op != ("==" if negated else "!="):
            indicator, _, threshold = simple
            delta = threshold - read[indicator]
            gap = delta if math.isfinite(delta) else None
        return FailedCondition(f"not ({text})" if negated else text, read, gap)


def parse_expression(text: str, names: Mapping[str, str]) -> Expression:
    """Parse and type-check a precondition over indicator ids (id -> 'numeric'/'boolean').

    ``names`` is typed ``Mapping[str, str]`` so plain ``dict[str, str]`` kind maps are accepted;
    a kind other than ``"numeric"``/``"boolean"`` is rejected when the id is used.

    Raises :class:`DecisionError` for anything outside the grammar, over the limits, with an
    unknown id, or with a type error; the whole expression must be boolean.
    """
    if not isinstance(text, str):
        raise DecisionError(
            f"expression must be text, got {type(text).__name__}", allowed="a string"
        )
    if len(text) > MAX_LENGTH:
        raise DecisionError(
            f"expression is too long ({len(text):,} characters)",
            allowed=f"at most {MAX_LENGTH:,} characters",
        )
    _check_characters(text)
    root = _Parser(text, names).parse()
    return Expression(text, root)
