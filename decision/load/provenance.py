"""Provenance of every number in a model: from the source, derived from it, or a judgement.

Each number-bearing entry (an indicator's baseline; a performance entry's value, low, high and
effects, each x and dv of a value function's points; the constants of a precondition's
``when``; a criterion's weight; a cost; an option's likelihood and its failure performance; an
interaction's effects; a perspective's weights; a scenario's budgets and weights) is
classified here, never taken on trust:

- **source**: the number occurs among the figures of an evidence item the entry cites (its own
  ``evidence`` and its ``provenance.evidence``). Computed for every number, declared or not;
  ``provenance.source`` only makes the check an error when it fails.
- **derived**: ``provenance.derived`` gives arithmetic (numbers, ``+ - * /``, parentheses;
  parsed here, never evaluated by Python) that yields the number and uses at least one cited
  figure; operands that are no cited figure are listed as constants.
- **judgement**: everything else, and whatever ``provenance.judgement`` names; whose it is
  (``by``, the modeller by default), how sure (``confidence``) and why (``reason``).

Figures are text as the source prints them; :func:`figure_numbers` reads the numbers in one.
The rule: digits (``2,000`` is 2000 where commas group thousands; a decimal point; an ordinal
or plural ending, ``153rd``, ``1990s``), the number words zero to twenty and the tens to ninety
(``five``, ``Two years later``), a minus sign at the start or after a space; currency symbols
and other words are ignored. A number followed by a scale word (hundred, thousand, million,
billion, trillion) counts both as printed and scaled (``$630 million`` is 630 and 630,000,000,
so a model may keep its unit in millions); ``a thousand`` is 1,000, but ``a few thousand`` holds
no number. A number followed by ``%`` or ``percent`` counts as printed and divided by 100. A
model number matches a figure's number when they are equal to nine significant digits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from decision.errors import DecisionError, format_key_path, parse_key_path
from decision.load.evidence import normalise
from decision.specs import ModelSpec, ProvenanceSpec, ScenarioSpec
from decision.specs.model import ElicitationSpec

if TYPE_CHECKING:
    from decision.files.yamlio import Document
    from decision.specs.resolved import LoadedStakeholder

Kind = Literal["source", "derived", "judgement"]
KINDS: tuple[Kind, ...] = ("source", "derived", "judgement")
KeyPath = tuple[str | int, ...]
#: Whose a judgement is when its entry does not say.
DEFAULT_BY = "modeller"
#: Deepest nesting of parentheses and signs in a ``derived`` arithmetic.
MAX_DERIVATION_DEPTH = 16


# ---------------------------------------------------------------------------- figures


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_TENS = "thirty forty fifty sixty seventy eighty ninety"
_NUMBER_WORDS = {word: value for value, word in enumerate(_ONES.split(" "))} | {
    word: 10 * tens for tens, word in enumerate(_TENS.split(" "), 3)
}
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12
}
_FIGURE_TOKEN = re.compile(
    r"(?:(?P<sign>(?<!\S)-)|(?<![a-z0-9.]))"  # a minus sign only at the start or after a space
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?P<decimals>\.\d+)?"
    r"(?:st|nd|rd|th|s)?(?![a-z0-9])"
    r"|(?P<word>[a-z]+)|(?P<percent>%)"
)


def figure_numbers(figure: str) -> list[float]:
    """The numbers a figure holds, by the rule of the module docstring, in order."""
    tokens: list[tuple[str, float | str]] = []
    for match in _FIGURE_TOKEN.finditer(normalise(figure)):
        if match.group("digits") is not None:
            text = match.group("digits").replace(",", "") + (match.group("decimals") or "")
            sign = -1.0 if match.group("sign") else 1.0
            tokens.append(("number", sign * float(text)))
        elif match.group("word") is not None:
            word = match.group("word")
            if word in _NUMBER_WORDS:
                tokens.append(("number", float(_NUMBER_WORDS[word])))
            else:
                tokens.append(("word", word))
        else:
            tokens.append(("word", "percent"))
    found: list[float] = []
    for index, (kind, token) in enumerate(tokens):
        following = tokens[index + 1][1] if index + 1 < len(tokens) else None
        if kind == "word":
            if token in ("a", "an") and isinstance(following, str) and following in _SCALES:
                found.append(_SCALES[following])
            continue
        assert isinstance(token, float)
        found.append(token)
        if isinstance(following, str) and following in _SCALES:
            found.append(token * _SCALES[following])
        elif following == "percent":
            found.append(token / 100)
    return found


def same_number(a: float, b: float) -> bool:
    """Equal to nine significant digits (a figure's 1.5 and a model's 1.5000000001 alike)."""
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


# ---------------------------------------------------------------------------- derived


class _Arithmetic:
    """A tiny recursive-descent reader of ``derived`` text: numbers, + - * /, parentheses."""

    _TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?|\.\d+)([eE][-+]?\d+)?|([-+*/()]))")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, int]] = []
        position = 0
        while text[position:].strip():
            match = self._TOKEN.match(text, position)
            if match is None:
                where = len(text) - len(text[position:].lstrip())
                raise self._error(f"'{text[where]}' at position {where + 1} is not arithmetic")
            self.tokens.append((match.group(0).strip(), match.start() + 1))
            position = match.end()
        self.index = 0
        self.operands: list[float] = []

    def _error(self, what: str) -> DecisionError:
        return DecisionError(
            f"derivation '{self.text}': {what}",
            allowed="numbers, + - * / and parentheses, e.g. '1997 + 2' or '630 / 1000'",
        )

    def _peek(self) -> str:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else ""

    def value(self) -> float:
        result = self._sum(0)
        if self.index < len(self.tokens):
            token, position = self.tokens[self.index]
            raise self._error(f"unexpected '{token}' at position {position}")
        return result

    def _sum(self, depth: int) -> float:
        result = self._term(depth)
        while self._peek() in ("+", "-"):
            op = self.tokens[self.index][0]
            self.index += 1
            right = self._term(depth)
            result = result + right if op == "+" else result - right
        return result

    def _term(self, depth: int) -> float:
        result = self._unary(depth)
        while self._peek() in ("*", "/"):
            op = self.tokens[self.index][0]
            self.index += 1
            right = self._unary(depth)
            if op == "/" and right == 0:
                raise self._error("division by zero")
            result = result * right if op == "*" else result / right
        return result

    def _unary(self, depth: int) -> float:
        if depth > MAX_DERIVATION_DEPTH:
            raise self._error(f"nested deeper than {MAX_DERIVATION_DEPTH} levels")
        token = self._peek()
        if token in ("-", "+"):
            self.index += 1
            operand = self._unary(depth + 1)
            return -operand if token == "-" else operand
        if token == "(":
            self.index += 1
            result = self._sum(depth + 1)
            if self._peek() != ")":
                raise self._error("a '(' is not closed")
            self.index += 1
            return result
        if token and (token[0].isdigit() or token[0] == "."):
            self.index += 1
            number = float(token)
            self.operands.append(number)
            return number
        place = "at the end" if not token else f"before '{token}'"
        raise self._error(f"a number is missing {place}")


def evaluate_derivation(text: str) -> tuple[float, list[float]]:
    """The value of a ``derived`` arithmetic and its number operands, in order; bad text
    (anything but numbers, + - * /, parentheses) raises :class:`DecisionError`."""
    reader = _Arithmetic(text)
    result = reader.value()
    if not math.isfinite(result):
        raise reader._error("the result is not a finite number")
    return result, reader.operands


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class NumberProvenance:
    """One number of a model (or scenario) and where it comes from."""

    file: str
    #: The entry holding the number, e.g. ``indicators.press_freedom_rank``.
    entry: str
    #: The number's own key within the entry: ``baseline``, ``effects.civil_society_access``,
    #: ``effects.civil_society_access.points[1][0]``.
    key: str
    value: float
    kind: Kind
    #: Whether the entry's ``provenance`` declares the kind (checked) or it was computed.
    declared: bool
    #: Evidence cited by the entry; for source and derived numbers, the items whose figures
    #: matched.
    evidence: list[str]
    #: The matched figures, as printed in the source (source and derived numbers).
    figures: list[str] = field(default_factory=list)
    #: The arithmetic of a derived number, and its operands that are no cited figure.
    derived: str | None = None
    constants: list[float] = field(default_factory=list)
    #: A judgement's author, confidence and reason (None for source and derived numbers).
    by: str | None = None
    confidence: str | None = None
    reason: str | None = None
    line: int | None = None

    __data_extra__ = ("key_path",)

    @property
    def key_path(self) -> str:
        """Where the number is: ``indicators.press_freedom_rank.baseline``."""
        return f"{self.entry}.{self.key}" if self.entry else self.key


@dataclass(frozen=True)
class Provenance:
    """Every number of a model (and of a scenario chain, when one is given), classified."""

    model: str
    model_path: str
    scenario: str | None
    numbers: list[NumberProvenance]

    __data_extra__ = ("counts",)

    @property
    def counts(self) -> dict[str, int]:
        """How many numbers of each kind (source, derived, judgement)."""
        return {kind: sum(1 for n in self.numbers if n.kind == kind) for kind in KINDS}

    def of_kind(self, kind: Kind) -> list[NumberProvenance]:
        """The numbers of one kind, in file order."""
        return [n for n in self.numbers if n.kind == kind]


# ---------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class _Number:
    key: str
    path: KeyPath
    value: float
    at: int | None = None  # character of a constant inside a ``when`` expression


@dataclass(frozen=True)
class _Entry:
    path: KeyPath
    numbers: list[_Number]
    evidence: list[str]
    provenance: ProvenanceSpec | None
    #: The file its numbers stand in, when not the model's (a stakeholder file); its numbers'
    #: paths are then paths in that file.
    document: Document | None = None


#: A decimal constant in a precondition (names hold no number of their own: a digit after a
#: letter, '_' or '.' is part of a name or of another number).
_CONSTANT = re.compile(r"(?<![A-Za-z0-9_.])(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_UNARY_MINUS = re.compile(r"(?:^|[-+*/(<>=]|\band|\bor|\bnot)\s*-\s*\Z")


def _constants(text: str) -> list[tuple[float, int]]:
    """Each number written in an expression, with its 1-based position (a unary minus is part
    of the number)."""
    found = []
    for match in _CONSTANT.finditer(text):
        value, start = float(match.group()), match.start()
        if _UNARY_MINUS.search(text[:start]):
            value, start = -value, text.rindex("-", 0, start)
        found.append((value, start + 1))
    return found


def _own(path: KeyPath, key: str) -> KeyPath:
    return (*path, *key.split(".", 1))


def model_entries(
    spec: ModelSpec, stakeholders: Sequence[LoadedStakeholder] = ()
) -> Iterator[_Entry]:
    """Every entry of a model that holds numbers, in model order; the perspectives of
    ``stakeholders`` (the model's stakeholder files) are located in their own files."""
    files = {s.spec.id: s.document for s in stakeholders}
    for name, indicator in spec.indicators.items():
        path: KeyPath = ("indicators", name)
        numbers = [
            _Number("baseline", (*path, "baseline"), float(indicator.baseline))
            for _ in indicator.number_keys()
        ]
        yield _Entry(path, numbers, list(indicator.evidence), indicator.provenance)
    elicited = spec.weight_elicitation
    for name, criterion in spec.criteria.items():
        path = ("criteria", name)
        if elicited is None:
            weight = _Number("weight", (*path, "weight"), criterion.weight)
            yield _Entry(path, [weight], [], criterion.provenance)
        else:
            at = elicited_at(elicited, name, ("weight_elicitation",))
            weight = _Number("weight", at, criterion.weight)
            yield _Entry(path, [weight], [], _elicited(elicited, criterion.provenance, "weight"))
    for name, option in spec.options.items():
        for index, pre in enumerate(option.preconditions):
            path = ("options", name, "preconditions", index)
            numbers = [
                _Number("when", (*path, "when"), value, at) for value, at in _constants(pre.when)
            ]
            yield _Entry(path, numbers, list(pre.evidence), pre.provenance)
        for criterion_id, perf in option.performance.items():
            path = ("options", name, "performance", criterion_id)
            ends = {"value": perf.value, "low": perf.low, "high": perf.high}
            numbers = [
                _Number(key, (*path, key), value)
                for key, value in ends.items()
                if value is not None
            ] + [
                _Number(key, (*path, *parse_key_path(key)), v)
                for k in perf.effects
                for key, v in perf.effect_numbers(k)
            ] + [
                _Number(key, (*path, *parse_key_path(key)), v)
                for key, v in perf.expert_numbers()
            ]
            yield _Entry(path, numbers, list(perf.evidence), perf.provenance)
        for resource, cost in option.costs.items():
            path = ("options", name, "costs", resource)
            ends = {"value": cost.value, "low": cost.low, "high": cost.high}
            numbers = [
                _Number(key, (*path, key), value)
                for key, value in ends.items()
                if value is not None
            ]
            yield _Entry(path, numbers, [], cost.provenance)
        if option.likelihood is not None:
            likelihood = option.likelihood
            path = ("options", name, "likelihood")
            ends = {"value": likelihood.value, "low": likelihood.low, "high": likelihood.high}
            numbers = [
                _Number(key, (*path, key), value)
                for key, value in ends.items()
                if value is not None
            ] + [
                _Number(f"effects.{k}", (*path, "effects", k), v)
                for k, v in likelihood.effects.items()
            ] + [
                _Number(f"if_failure.{k}", (*path, "if_failure", k), v)
                for k, v in likelihood.if_failure.items()
            ]
            yield _Entry(path, numbers, list(likelihood.evidence), likelihood.provenance)
    for name, perspective in spec.perspectives.items():
        path = ("perspectives", name)
        file = files.get(name)
        own = perspective.elicitation
        numbers = [
            _Number(
                f"weights.{k}",
                (*path, "weights", k) if own is None
                else elicited_at(own, k, ("elicitation",) if file else (*path, "elicitation")),
                v,
            )
            for k, v in (perspective.weights or {}).items()
        ]
        provenance = perspective.provenance
        if own is not None:
            keys = [f"weights.{k}" for k in perspective.weights or {}]
            provenance = _elicited(own, provenance, *keys)
        yield _Entry(path, numbers, [], provenance, file)
    for index, interaction in enumerate(spec.interactions):
        path = ("interactions", index)
        numbers = [
            _Number(f"effects.{k}", (*path, "effects", k), v)
            for k, v in interaction.effects.items()
        ]
        yield _Entry(path, numbers, list(interaction.evidence), interaction.provenance)


def elicited_at(elicitation: ElicitationSpec, criterion: str, base: KeyPath) -> KeyPath:
    """Where an elicited weight's answer stands in the file: its points, its place in the
    ranking, or its row of pairwise comparisons."""
    if elicitation.points is not None:
        return (*base, "points", criterion)
    if elicitation.ranking is not None and criterion in elicitation.ranking:
        return (*base, "ranking", elicitation.ranking.index(criterion))
    if elicitation.pairwise is not None and criterion in elicitation.pairwise:
        return (*base, "pairwise", criterion)
    return (*base, "method")


def _elicited(
    elicitation: ElicitationSpec, own: ProvenanceSpec | None, *keys: str
) -> ProvenanceSpec:
    """The provenance of elicited weights: judgements by whoever answered the elicitation,
    with the entry's own confidence, evidence and reason (the elicitation's rationale when
    the entry gives none)."""
    own = own or ProvenanceSpec()
    reason = own.reason or f"{elicitation.method} elicitation: {elicitation.rationale}"
    return ProvenanceSpec(
        evidence=list(own.evidence),
        judgement=list(keys),
        by=elicitation.by,
        confidence=own.confidence,
        reason=reason,
    )


def scenario_entries(spec: ScenarioSpec) -> Iterator[_Entry]:
    """A scenario file's numbers (budgets and weights) as one entry, if it has any."""
    numbers = [
        _Number(f"budgets.{k}", ("budgets", k), v) for k, v in spec.budgets.items()
    ] + [_Number(f"weights.{k}", ("weights", k), v) for k, v in spec.weights.items()]
    if numbers:
        yield _Entry((), numbers, [], spec.provenance)


# ---------------------------------------------------------------------------- classification


@dataclass(frozen=True)
class _Outcome:
    kind: Kind
    declared: bool
    evidence: list[str]
    figures: list[str] = field(default_factory=list)
    derived: str | None = None
    constants: list[float] = field(default_factory=list)


def _cited(entry: _Entry, model: ModelSpec) -> list[str]:
    """The evidence ids an entry cites, once each, that the model defines."""
    extra = entry.provenance.evidence if entry.provenance else []
    return [e for e in dict.fromkeys([*entry.evidence, *extra]) if e in model.evidence]


def _matches(value: float, cited: Sequence[str], model: ModelSpec) -> list[tuple[str, str]]:
    """(evidence id, figure) of every cited figure holding ``value``."""
    return [
        (evidence_id, figure)
        for evidence_id in cited
        for figure in model.evidence[evidence_id].figures
        if any(same_number(value, n) for n in figure_numbers(figure))
    ]


def _figures_words(cited: Sequence[str], model: ModelSpec) -> str:
    shown = [
        f"{e}: {', '.join(model.evidence[e].figures) or 'no figures'}" for e in cited
    ]
    return "; ".join(shown) if shown else "no evidence cited"


def short_number(value: float) -> str:
    return f"{float(f'{value:.12g}'):g}"


def _classify(
    entry: _Entry, number: _Number, model: ModelSpec
) -> _Outcome | tuple[str, KeyPath, str, int | None]:
    """A number's outcome, or a problem: (what, key path, allowed, character)."""
    provenance = entry.provenance or ProvenanceSpec()
    cited = _cited(entry, model)
    name = format_key_path(number.path)
    if number.key in provenance.judgement:
        return _Outcome("judgement", True, cited)
    if number.key in provenance.derived:
        text = provenance.derived[number.key]
        where = (*entry.path, "provenance", "derived", number.key)
        try:
            result, operands = evaluate_derivation(text)
        except DecisionError as exc:
            return exc.what, where, exc.allowed or "", None
        if not same_number(result, number.value):
            return (
                f"derivation '{text}' gives {short_number(result)}, "
                f"not {short_number(number.value)} ({name})",
                where,
                "arithmetic on the cited figures that gives the number",
                None,
            )
        used = [(op, _matches(op, cited, model)) for op in operands]
        matched = [pair for _, found in used for pair in found]
        if not matched:
            return (
                f"derivation '{text}' uses no figure of the cited evidence "
                f"({_figures_words(cited, model)})",
                where,
                "arithmetic that uses at least one figure of the entry's evidence (cite the "
                "item in 'evidence' or 'provenance.evidence')",
                None,
            )
        return _Outcome(
            "derived",
            True,
            list(dict.fromkeys(e for e, _ in matched)),
            list(dict.fromkeys(f for _, f in matched)),
            text,
            [op for op, found in used if not found],
        )
    matched = _matches(number.value, cited, model)
    if matched:
        return _Outcome(
            "source",
            number.key in provenance.source,
            list(dict.fromkeys(e for e, _ in matched)),
            list(dict.fromkeys(f for _, f in matched)),
        )
    if number.key in provenance.source:
        return (
            f"{short_number(number.value)} is declared from the source but is not among the "
            f"figures of its evidence ({_figures_words(cited, model)})",
            number.path,
            "a number that occurs among the cited figures (153rd is 153, $1.5 million is 1.5 "
            "or 1500000, 15% is 15 or 0.15), a 'derived' arithmetic on them, or no "
            "declaration (a judgement)",
            number.at,
        )
    return _Outcome("judgement", False, cited)


def _declared_without_number(entry: _Entry) -> Iterator[tuple[str, KeyPath, str]]:
    """A ``when`` declared in provenance whose expression holds no number."""
    if entry.provenance is None:
        return
    keys = {n.key for n in entry.numbers}
    for part, where, key in entry.provenance.declared():
        if key == "when" and key not in keys:
            yield (
                "the expression holds no number to declare",
                (*entry.path, "provenance", part, where),
                "declare 'when' only for an expression with numbers in it",
            )


def provenance_problems(
    entries: Sequence[_Entry] | Iterator[_Entry], model: ModelSpec, document: Document
) -> Iterator[DecisionError]:
    """Every declared provenance that does not hold, located in ``document``."""
    for entry in entries:
        file = entry.document or document
        for what, path, allowed in _declared_without_number(entry):
            yield file.error(what, path, allowed=allowed)
        for number in entry.numbers:
            outcome = _classify(entry, number, model)
            if isinstance(outcome, tuple):
                what, path, allowed, at = outcome
                yield file.error(what, path, allowed=allowed or None, at=at)


def classify(
    entries: Sequence[_Entry] | Iterator[_Entry], model: ModelSpec, document: Document
) -> list[NumberProvenance]:
    """Every number of ``entries``, classified; a declaration that does not hold raises (the
    loader has reported it already for a model it accepted)."""
    found: list[NumberProvenance] = []
    for entry in entries:
        declared = entry.provenance or ProvenanceSpec()
        file = entry.document or document
        for number in entry.numbers:
            outcome = _classify(entry, number, model)
            if isinstance(outcome, tuple):
                what, path, allowed, at = outcome
                raise file.error(what, path, allowed=allowed or None, at=at)
            position = file.locate(number.path)
            is_judgement = outcome.kind == "judgement"
            found.append(
                NumberProvenance(
                    file=str(file.path),
                    entry=format_key_path(entry.path),
                    key=number.key,
                    value=number.value,
                    kind=outcome.kind,
                    declared=outcome.declared,
                    evidence=outcome.evidence,
                    figures=outcome.figures,
                    derived=outcome.derived,
                    constants=outcome.constants,
                    by=(declared.by or DEFAULT_BY) if is_judgement else None,
                    confidence=declared.confidence if is_judgement else None,
                    reason=declared.reason if is_judgement else None,
                    line=position[0] if position else None,
                )
            )
    return found
