"""Aggregation methods and their registry: choose a method by name, validate its parameters.

Every method is a pure function over arrays with leading batch axes::

    method(performance (..., options, criteria), weights (..., criteria) or (criteria,),
           benefit (criteria,) bool, available (..., options) bool | None, **params)
        -> scores (..., options), higher is better

Unavailable options take no part (they move no ideal point, normalisation range or flow) and
score 0.0; the engine ranks with the mask. Files choose a method as a mapping such as
``{name: topsis, normalisation: vector}``; :func:`parse_method` validates it (each parameter
model forbids unknown keys) and :func:`score` runs it.

========================  ====================================  ===========================
name (aliases)            parameters                            absolute?
========================  ====================================  ===========================
wsm (weighted_sum)        normalisation: none* minmax max sum   yes with "none"
                          vector
wpm (weighted_product)    normalisation: as wsm                 yes with "none"
topsis                    normalisation: vector* minmax         no
vikor                     v: 0..1 (0.5*)                        no
promethee (promethee_ii)  preference: one function or a list    no
                          (function, q, p, s)
promethee_i               preference: as promethee; the score   no
                          is the net flow, the partial order
                          is in promethee_details
waspas                    lam: 0..1 (0.5*); normalisation:      yes with "none"
                          linear* none minmax max sum vector
copras                    none                                  no
edas                      none                                  no
mabac                     none                                  no
spotis                    bounds: value_scale* (0-1 on every    yes unless "observed"
                          criterion), observed, or [low, high]
                          (one for all, or one per criterion)
electre_iii               q, p (0*), v (none*): thresholds,     no
                          one or one per criterion; alpha, beta
                          (0.3*, -0.15*); the partial order is
                          in electre_iii_details
========================  ====================================  ===========================

Parameters given as text (``decision rank --param``) are read as the file values they spell:
SPOTIS bounds as ``low:high`` or ``low:high,low:high,...`` (one per criterion); ELECTRE III
thresholds as ``0.1`` or ``0.1,0.2,...`` (one per criterion; an empty ``v`` entry is no veto).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol, get_args

from numpy.typing import ArrayLike
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from decision.core.methods.copras import copras
from decision.core.methods.edas import edas
from decision.core.methods.electre import (
    ALPHA,
    BETA,
    ElectreDetails,
    discrimination_checked,
    electre_iii,
    electre_iii_details,
    electre_thresholds,
)
from decision.core.methods.inputs import UNAVAILABLE_SCORE, BoolArray, FloatArray
from decision.core.methods.mabac import mabac
from decision.core.methods.normalisation import NORMALISATIONS, Normalisation
from decision.core.methods.promethee import (
    PREFERENCE_ALIASES,
    PREFERENCE_KINDS,
    PreferenceFunction,
    PrometheeDetails,
    promethee_details,
    promethee_i,
    promethee_ii,
)
from decision.core.methods.spotis import declared_bounds, spotis
from decision.core.methods.topsis import TopsisNormalisation, topsis
from decision.core.methods.vikor import VikorDetails, vikor, vikor_details
from decision.core.methods.waspas import waspas
from decision.core.methods.weighted import weighted_product, weighted_sum
from decision.errors import DecisionError, KeyPath, did_you_mean, list_allowed

__all__ = [
    "ALIASES",
    "METHODS",
    "UNAVAILABLE_SCORE",
    "CoprasParams",
    "EdasParams",
    "ElectreDetails",
    "ElectreIIIParams",
    "MabacParams",
    "MethodInfo",
    "MethodParams",
    "MethodSpec",
    "PartialOrder",
    "PreferenceFunction",
    "PreferenceParams",
    "PrometheeDetails",
    "PrometheeIParams",
    "PrometheeParams",
    "SpotisParams",
    "TopsisParams",
    "VikorDetails",
    "VikorParams",
    "WaspasParams",
    "WeightedProductParams",
    "WeightedSumParams",
    "copras",
    "edas",
    "electre_iii",
    "electre_iii_details",
    "get_method",
    "mabac",
    "parse_method",
    "partial_order",
    "promethee_details",
    "promethee_i",
    "promethee_ii",
    "score",
    "spotis",
    "topsis",
    "vikor",
    "vikor_details",
    "waspas",
    "weighted_product",
    "weighted_sum",
]


class MethodParams(BaseModel):
    """Base of the parameter models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str

    @property
    def absolute(self) -> bool:
        """Whether an option's score is independent of the other options."""
        return False

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the method function."""
        return self.model_dump(exclude={"name"})


class WeightedSumParams(MethodParams):
    """Weighted sum (additive value); "none" reads performance as a 0-1 value scale."""

    name: Literal["wsm", "weighted_sum"] = "wsm"
    normalisation: Normalisation = Field(
        "none", description="none (0-1 value scale), minmax, max, sum or vector"
    )

    @property
    def absolute(self) -> bool:
        return self.normalisation == "none"


class WeightedProductParams(MethodParams):
    """Weighted product; a zero normalised value on a weighted criterion vetoes (score 0)."""

    name: Literal["wpm", "weighted_product"] = "wpm"
    normalisation: Normalisation = Field(
        "none", description="none (0-1 value scale), minmax, max, sum or vector"
    )

    @property
    def absolute(self) -> bool:
        return self.normalisation == "none"


class TopsisParams(MethodParams):
    """TOPSIS closeness to the ideal point."""

    name: Literal["topsis"] = "topsis"
    normalisation: TopsisNormalisation = Field("vector", description="vector or minmax")


class VikorParams(MethodParams):
    """VIKOR; the score is 1 - Q."""

    name: Literal["vikor"] = "vikor"
    v: float = Field(
        0.5, ge=0.0, le=1.0, allow_inf_nan=False,
        description="weight of group utility against regret, 0..1",
    )


PreferenceName = Literal[
    "usual", "ushape", "vshape", "level", "linear", "gaussian", "vshape_indifference",
    "vshape_2",
]


class PreferenceParams(BaseModel):
    """One PROMETHEE preference function with its thresholds in the criterion's units."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    function: PreferenceName = "usual"
    q: float | None = Field(None, allow_inf_nan=False, description="indifference threshold >= 0")
    p: float | None = Field(None, allow_inf_nan=False, description="preference threshold > 0")
    s: float | None = Field(None, allow_inf_nan=False, description="Gaussian scale > 0")

    @model_validator(mode="after")
    def _valid(self) -> PreferenceParams:
        try:
            self.to_function()
        except DecisionError as error:
            raise ValueError(error.one_line()) from error
        return self

    def to_function(self) -> PreferenceFunction:
        return PreferenceFunction(self.function, q=self.q, p=self.p, s=self.s)


class _PreferenceMethodParams(MethodParams):
    """PROMETHEE's parameters: one preference function for all criteria or one per criterion.

    A function name alone (``preference: usual``) is that function for every criterion. As
    text (``decision rank --param``), ``preference`` may also be JSON, e.g.
    ``[{"function": "linear", "q": 0.1, "p": 0.3}, {"function": "usual"}]``.
    """

    preference: PreferenceParams | list[PreferenceParams] = Field(
        default_factory=PreferenceParams,
        description="{function: usual|ushape|vshape|level|linear|gaussian, q, p, s}, "
        "or a list of these, one per criterion",
    )

    @field_validator("preference", mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        value = _json_text(value)
        if isinstance(value, str):  # a function name alone: one function, no thresholds
            return {"function": value}
        return value

    def kwargs(self) -> dict[str, Any]:
        if isinstance(self.preference, PreferenceParams):
            return {"preference": self.preference.to_function()}
        return {"preference": [p.to_function() for p in self.preference]}


class PrometheeParams(_PreferenceMethodParams):
    """PROMETHEE II net flow; one preference function for all criteria or one per criterion."""

    name: Literal["promethee", "promethee_ii"] = "promethee"


class PrometheeIParams(_PreferenceMethodParams):
    """PROMETHEE I: the partial pre-order of the positive and negative flows (details), with
    the net flow as the score."""

    name: Literal["promethee_i"] = "promethee_i"


class WaspasParams(MethodParams):
    """WASPAS: lam * weighted sum + (1 - lam) * weighted product of one normalisation."""

    name: Literal["waspas"] = "waspas"
    lam: float = Field(
        0.5, ge=0.0, le=1.0, allow_inf_nan=False,
        description="weight of the weighted sum against the weighted product, 0..1",
    )
    normalisation: Normalisation = Field(
        "linear", description="linear (x/max, min/x), none (0-1 value scale), minmax, max, "
        "sum or vector",
    )

    @property
    def absolute(self) -> bool:
        return self.normalisation == "none"


class CoprasParams(MethodParams):
    """COPRAS utility degree (sum-normalised benefit and cost sums)."""

    name: Literal["copras"] = "copras"


class EdasParams(MethodParams):
    """EDAS appraisal score (distances from the average solution)."""

    name: Literal["edas"] = "edas"


class MabacParams(MethodParams):
    """MABAC distance from the border approximation area."""

    name: Literal["mabac"] = "mabac"


class SpotisParams(MethodParams):
    """SPOTIS 1 - distance to the ideal point within declared bounds."""

    name: Literal["spotis"] = "spotis"
    bounds: Literal["value_scale", "observed"] | tuple[float, float] | list[
        tuple[float, float]
    ] = Field(
        "value_scale",
        description="value_scale ([0, 1] on every criterion), observed (each column's range "
        "over the available options), or [low, high] for all criteria or one per criterion",
    )

    @field_validator("bounds", mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if not isinstance(value, str) or ":" not in value:
            return value
        pairs = [part.split(":") for part in value.split(",")]
        try:
            parsed = [(float(low), float(high)) for low, high in pairs]
        except ValueError:
            raise ValueError(
                f"bounds '{value}' are not low:high or low:high,low:high,..."
            ) from None
        return parsed[0] if len(parsed) == 1 else parsed

    @field_validator("bounds", mode="after")
    @classmethod
    def _valid_bounds(cls, value: Any) -> Any:
        if not isinstance(value, str):
            bounds = [value] if isinstance(value, tuple) else value
            try:
                declared_bounds(bounds, len(bounds))
            except DecisionError as error:
                raise ValueError(error.one_line()) from error
        return value

    @property
    def absolute(self) -> bool:
        return self.bounds != "observed"


ThresholdValue = float | None


class ElectreIIIParams(MethodParams):
    """ELECTRE III: indifference q, preference p and veto v thresholds in the criteria's units
    (one number for every criterion or a list of one per criterion; v none: no veto), and the
    distillation's discrimination threshold s(lambda) = alpha + beta * lambda. The score is
    the mean of the two distillations' ranks; the partial order is in electre_iii_details."""

    name: Literal["electre_iii"] = "electre_iii"
    q: float | list[float] = Field(
        0.0, description="indifference threshold >= 0, one or one per criterion"
    )
    p: float | list[float] = Field(
        0.0, validate_default=True,
        description="preference threshold >= q, one or one per criterion",
    )
    v: float | list[float | None] | None = Field(
        None, validate_default=True,
        description="veto threshold >= p or none, one or one per criterion",
    )
    alpha: float = Field(
        ALPHA, gt=0.0, le=1.0, allow_inf_nan=False,
        description="s(lambda) = alpha + beta * lambda: 0 < alpha <= 1",
    )
    beta: float = Field(
        BETA, allow_inf_nan=False, validate_default=True,
        description="with 0 < alpha + beta <= 1",
    )

    @field_validator("q", "p", "v", mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        value = _json_text(value)
        if not isinstance(value, str):
            return value
        parts = [part.strip() for part in value.split(",")]
        items = [None if part.lower() in ("", "none", "null") else part for part in parts]
        return items[0] if len(items) == 1 else items

    @field_validator("q", "p", "v", "beta", mode="after")
    @classmethod
    def _ordered(cls, value: Any, info: ValidationInfo) -> Any:
        """Check 0 <= q <= p <= v (and alpha, beta) once the fields they need are read, so an
        error names the threshold that breaks the order."""
        data = info.data
        try:
            if info.field_name == "beta":
                if "alpha" in data:
                    discrimination_checked(data["alpha"], value)
            elif info.field_name == "q":
                electre_thresholds(value, value, None)
            elif info.field_name == "p" and "q" in data:
                electre_thresholds(data["q"], value, None)
            elif info.field_name == "v" and {"q", "p"} <= set(data):
                electre_thresholds(data["q"], data["p"], value)
        except DecisionError as error:
            raise ValueError(error.one_line()) from error
        return value

    def kwargs(self) -> dict[str, Any]:
        return {"q": self.q, "p": self.p, "v": self.v, "alpha": self.alpha, "beta": self.beta}


def _json_text(value: object) -> object:
    """A JSON text (a command-line parameter) as the value it spells; anything else as is."""
    if not isinstance(value, str) or not value.lstrip().startswith(("[", "{")):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at column {error.colno})") from None


#: A method choice as it appears in a file, for embedding in other pydantic specs.
MethodSpec = Annotated[
    WeightedSumParams | WeightedProductParams | TopsisParams | VikorParams | PrometheeParams
    | PrometheeIParams | WaspasParams | CoprasParams | EdasParams | MabacParams | SpotisParams
    | ElectreIIIParams,
    Field(discriminator="name"),
]

MethodFunction = Callable[..., FloatArray]


@dataclass(frozen=True, slots=True)
class MethodInfo:
    """A registered method: its function, parameter model and what it is."""

    name: str
    function: MethodFunction
    params: type[MethodParams]
    description: str
    aliases: tuple[str, ...] = ()
    #: Whether the method's own result is a partial pre-order (incomparable pairs); its score
    #: is then a documented completion of it, and its details function gives the order.
    partial: bool = False

    def parse(
        self,
        params: Mapping[str, object] | MethodParams | None = None,
        key_path: KeyPath = ("method",),
    ) -> MethodParams:
        """Validate parameters (a mapping, possibly with ``name``) into the method's model."""
        if isinstance(params, MethodParams):
            if not isinstance(params, self.params):
                raise DecisionError(
                    f"parameters for '{params.name}' given to method '{self.name}'",
                    key_path=key_path, allowed=f"{self.params.__name__}",
                )
            return params
        data = dict(params or {})
        data.setdefault("name", self.name)
        try:
            return self.params.model_validate(data)
        except ValidationError as error:
            # Of a union's alternatives, the deepest error is about what the user meant.
            deepest = max(error.errors(), key=lambda e: len(e["loc"]))
            raise _decision_error(self, deepest, key_path) from None

    def is_absolute(self, params: Mapping[str, object] | MethodParams | None = None) -> bool:
        """Whether an option's score is independent of the other options."""
        return self.parse(params).absolute

    def allowed_params(self) -> str:
        """The parameters and their allowed values, for messages."""
        parts = [
            f"{field}: {info.description}" for field, info in self.params.model_fields.items()
            if field != "name"
        ]
        return "; ".join(parts) or "no parameters"


METHODS: dict[str, MethodInfo] = {
    info.name: info
    for info in (
        MethodInfo("wsm", weighted_sum, WeightedSumParams,
                   "weighted sum (additive value)", ("weighted_sum",)),
        MethodInfo("wpm", weighted_product, WeightedProductParams,
                   "weighted product", ("weighted_product",)),
        MethodInfo("topsis", topsis, TopsisParams, "TOPSIS closeness to the ideal"),
        MethodInfo("vikor", vikor, VikorParams, "VIKOR, score 1 - Q"),
        MethodInfo("promethee", promethee_ii, PrometheeParams, "PROMETHEE II net flow",
                   ("promethee_ii",)),
        MethodInfo("promethee_i", promethee_i, PrometheeIParams,
                   "PROMETHEE I partial pre-order (score: the net flow)", partial=True),
        MethodInfo("waspas", waspas, WaspasParams, "WASPAS, blend of weighted sum and product"),
        MethodInfo("copras", copras, CoprasParams, "COPRAS utility degree"),
        MethodInfo("edas", edas, EdasParams, "EDAS appraisal score"),
        MethodInfo("mabac", mabac, MabacParams, "MABAC distance from the border area"),
        MethodInfo("spotis", spotis, SpotisParams, "SPOTIS, 1 - distance to the ideal point"),
        MethodInfo("electre_iii", electre_iii, ElectreIIIParams,
                   "ELECTRE III partial pre-order (score: mean of the two distillations' ranks)",
                   partial=True),
    )
}
#: Alias -> canonical name.
ALIASES: dict[str, str] = {alias: info.name for info in METHODS.values() for alias in info.aliases}


def get_method(name: str, key_path: KeyPath = ("method", "name")) -> MethodInfo:
    """The method registered under ``name`` or an alias of it."""
    canonical = ALIASES.get(name, name)
    if canonical not in METHODS:
        names = [*METHODS, *ALIASES]
        raise DecisionError(
            f"unknown method '{name}'{did_you_mean(str(name), names)}",
            key_path=key_path, allowed=list_allowed(names, limit=len(names)),
        )
    return METHODS[canonical]


def parse_method(
    spec: str | Mapping[str, object] | MethodParams, key_path: KeyPath = ("method",)
) -> tuple[MethodInfo, MethodParams]:
    """Resolve a file's method choice: ``"topsis"`` or ``{name: topsis, normalisation: ...}``."""
    if isinstance(spec, MethodParams):
        info = get_method(spec.name, (*key_path, "name"))
        return info, info.parse(spec, key_path)
    if isinstance(spec, str):
        info = get_method(spec, key_path)
        return info, info.parse(None, key_path)
    if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str):
        raise DecisionError(
            "a method needs a name", key_path=key_path,
            allowed="a method name, or a mapping with name: " + list_allowed(METHODS),
        )
    name = str(spec["name"])
    info = get_method(name, (*key_path, "name"))
    return info, info.parse(spec, key_path)


def score(
    name: str,
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    params: Mapping[str, object] | MethodParams | None = None,
) -> FloatArray:
    """Validate ``params`` for method ``name`` (or an alias) and score: ``(..., options)``.

    Higher is better; unavailable options score 0.0. Raises :class:`DecisionError` (never
    numpy's bare ``ValueError``) for an unknown method, bad parameters, ragged or non-numeric
    arrays, values outside the normalisation's domain (``none`` needs 0 <= x <= 1) and a
    score that cannot be computed in floating point; scores are always finite.
    """
    info = get_method(name)
    parsed = info.parse(params)
    return info.function(performance, weights, benefit, available, **parsed.kwargs())


class PartialOrder(Protocol):
    """A partial pre-order's relations, ``(..., options, options)`` masks (see
    :class:`PrometheeDetails`)."""

    @property
    def preference(self) -> BoolArray: ...

    @property
    def indifference(self) -> BoolArray: ...

    @property
    def incomparability(self) -> BoolArray: ...


#: The details function of each method whose result is a partial pre-order.
PARTIAL_DETAILS: dict[str, Callable[..., PartialOrder]] = {
    "promethee_i": promethee_details,
    "electre_iii": electre_iii_details,
}


def partial_order(
    name: str,
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    params: Mapping[str, object] | MethodParams | None = None,
) -> PartialOrder:
    """The partial pre-order of a method with ``MethodInfo.partial`` (its details object)."""
    info = get_method(name)
    if not info.partial:
        raise DecisionError(
            f"method '{info.name}' gives a complete ranking, not a partial order",
            allowed=list_allowed(PARTIAL_DETAILS),
        )
    parsed = info.parse(params)
    return PARTIAL_DETAILS[info.name](performance, weights, benefit, available, **parsed.kwargs())


def _decision_error(info: MethodInfo, error: ErrorDetails, key_path: KeyPath) -> DecisionError:
    """One pydantic error as a DecisionError naming the parameter and what is allowed."""
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    path: list[str | int] = [*key_path, *loc]
    field = str(loc[-1]) if loc else ""
    if error["type"] == "extra_forbidden":
        known = _known_keys(info, loc[:-1])
        return DecisionError(
            f"unknown parameter '{field}' for method {info.name}{did_you_mean(field, known)}",
            key_path=path[:-1], allowed=", ".join(known) if known else "no parameters",
        )
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, ValueError) and isinstance(cause.__cause__, DecisionError):
        original = cause.__cause__
        return DecisionError(original.what, key_path=path, allowed=original.allowed)
    message = error["msg"].removeprefix("Value error, ")
    return DecisionError(
        f"{message}, got {error['input']!r}", key_path=path, allowed=info.allowed_params()
    )


def _is_union_tag(part: str | int) -> bool:
    """Pydantic names union members in error locations; they are not keys of the file."""
    return isinstance(part, str) and (
        part.startswith(("list[", "function-", "literal[", "tuple["))
        or part in (PreferenceParams.__name__, "float", "none")
    )


def _known_keys(info: MethodInfo, parent: Sequence[str | int]) -> list[str]:
    if any(part == "preference" for part in parent):
        return list(PreferenceParams.model_fields)
    return [field for field in info.params.model_fields if field != "name"]


# Keep the literal and the promethee module's names in step.
assert set(get_args(PreferenceName)) == {*PREFERENCE_KINDS, *PREFERENCE_ALIASES}
assert set(get_args(Normalisation)) == set(NORMALISATIONS)
assert set(PARTIAL_DETAILS) == {name for name, info in METHODS.items() if info.partial}
