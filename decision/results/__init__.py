"""Plain result objects, and the one serialiser that turns any result into JSON-ready data.

:func:`to_data` serves every JSON output (``--json``, ``comparison.json``, ``results.json``):
a dataclass becomes a mapping of its fields in declaration order (a field's metadata may skip
it, :data:`SKIP`, merge its mapping into the parent's keys, :data:`INLINE`, or give it another
key, :func:`key`; a class may append derived values by listing their names, or ``(key,
name)`` pairs, in ``__data_extra__``), arrays and tuples become lists, numpy scalars Python
numbers, and every float is rounded by the one rule of :func:`rounded`. No result class writes
its own ``to_dict``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

RESULTS_SCHEMA_VERSION = 1

#: Field metadata: leave the field out of the plain data (arrays kept for notebooks, the
#: index-based kernel result behind a named one, ...).
SKIP: Mapping[str, Any] = {"data": False}
#: Field metadata: merge the field's mapping into its parent's keys.
INLINE: Mapping[str, Any] = {"inline": True}


def key(name: str) -> dict[str, Any]:
    """Field metadata: the field's key in the plain data (when it differs from its name)."""
    return {"key": name}


def rounded(value: float) -> float:
    """The one rounding rule of every JSON output: 12 significant digits and nothing finer
    than 1e-12, so results are stable across platforms and floating-point noise around an
    exact value (``2.8e-17`` for 0) reads as that value. Non-finite values pass unchanged."""
    value = float(value)
    if value == 0.0 or not math.isfinite(value):
        return 0.0 if value == 0.0 else value
    if abs(value) < 1.0:  # 12 decimals is at most 12 significant digits here: one rounding
        return round(value, 12) + 0.0  # (rounding twice, digits then decimals, can miss by 5e-13)
    return float(f"{value:.12g}")


def to_data(value: Any) -> Any:
    """``value`` as plain JSON-ready data (see the module docstring)."""
    if isinstance(value, float):  # the commonest by far: checked first
        return rounded(value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    plan = _PLANS.get(type(value))
    if plan is None and is_dataclass(value) and not isinstance(value, type):
        plan = _PLANS[type(value)] = _plan(type(value))
    if plan is not None:
        data: dict[str, Any] = {}
        for name, data_key, inline in plan[0]:
            plain = to_data(getattr(value, name))
            if inline:
                data.update(plain)
            else:
                data[data_key] = plain
        for name, attribute in plan[1]:
            found = getattr(value, attribute)
            data[name] = to_data(found() if callable(found) else found)
        return data
    if isinstance(value, Mapping):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return to_data(value.value)
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return to_data(value.tolist())
    if hasattr(value, "model_dump"):  # a pydantic model (a spec quoted in a result)
        return to_data(value.model_dump(exclude_none=True))
    raise TypeError(f"no plain form for {type(value).__name__}")


#: A dataclass's plain-data plan: its fields kept (name, key, inline) and its extras
#: (key, attribute), worked out once per class (``dataclasses.fields`` on every object cost
#: a third of the time of serialising a report).
_Plan = tuple[tuple[tuple[str, str, bool], ...], tuple[tuple[str, str], ...]]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    kept = tuple(
        (f.name, f.metadata.get("key", f.name), bool(f.metadata.get("inline")))
        for f in fields(cls)
        if f.metadata.get("data", True)
    )
    extras = tuple(
        (extra, extra) if isinstance(extra, str) else (extra[0], extra[1])
        for extra in getattr(cls, "__data_extra__", ())
    )
    return kept, extras


@dataclass(frozen=True)
class FailedCondition:
    """One comparison (or boolean) inside a precondition that does not hold."""

    text: str
    values: dict[str, float]
    gap: float | None


@dataclass(frozen=True)
class FailedPrecondition:
    """A precondition that is not met, why it matters, and the values that failed it."""

    when: str
    reason: str
    evidence: list[str]
    conditions: list[FailedCondition]


@dataclass(frozen=True)
class OptionUncertainty:
    """One option's Monte Carlo figures: availability, score statistics and SMAA-2 (the rank
    acceptability of the first ranks shown; central weights None for an option never first;
    confidence factor None without a second pass)."""

    availability: float
    score_mean: float
    score_sd: float
    score_quantiles: dict[str, float]  # percent ("5", "50", "95") -> score
    rank_acceptability: list[float]
    holistic_acceptability: float
    central_weights: dict[str, float] | None
    confidence_factor: float | None
    pairwise_winning: dict[str, float]  # rival option -> share of samples ranked above it

    @property
    def p_first(self) -> float:
        """Share of samples in which the option ranks first."""
        return self.rank_acceptability[0]


@dataclass(frozen=True)
class Sampling:
    """How a sampled scenario was sampled: samples, SMAA-2 meta-weights, score quantiles."""

    n_samples: int
    meta_weights: list[float]
    quantiles: list[float]


@dataclass(frozen=True)
class OptionResult:
    """One option in one scenario."""

    id: str
    title: str
    recommendation: str
    reference: bool
    rank: int
    score: float
    available: bool
    failed: list[FailedPrecondition]
    performance: dict[str, float]
    contributions: dict[str, float]
    uncertainty: OptionUncertainty | None = None

    def top_contributions(self, n: int = 2) -> list[tuple[str, float]]:
        """The ``n`` criteria that add most to the score."""
        return sorted(self.contributions.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


@dataclass(frozen=True)
class ScenarioResult:
    """The evaluation of one scenario: options in rank order plus the arrays behind them."""

    scenario: str
    title: str
    description: str | None
    scenario_path: str
    model: str
    model_title: str
    model_path: str
    method: dict[str, Any]
    perspective: str | None
    weights: dict[str, float]
    indicators: dict[str, float]
    uncertain_indicators: list[str]
    samples: int
    seed: int
    option_ids: list[str]
    options: list[OptionResult]
    smaa: Sampling | None = None

    @property
    def top(self) -> OptionResult:
        """The first-ranked option."""
        return self.options[0]

    def option(self, option_id: str) -> OptionResult:
        """The result of one option by id."""
        for result in self.options:
            if result.id == option_id:
                return result
        raise KeyError(option_id)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data (:func:`to_data`)."""
        data: dict[str, Any] = to_data(self)
        return data

    def to_frame(self, table: str = "options") -> pd.DataFrame:
        """The result as a pandas DataFrame (needs the ``frames`` extra: pandas).

        ``table``: ``options`` (default; one row per option in rank order: rank, title,
        recommendation, reference, available, score, and with Monte Carlo availability,
        score_mean, score_sd, p_first, holistic_acceptability), ``performance`` or
        ``contributions`` (options by criteria), ``weights`` (one row per criterion) or
        ``rank_acceptability`` (options by ranks; sampled results only). An option that is
        not available has the score NaN.
        """
        from decision.results.frames import result_frame

        return result_frame(self, table)

    def __repr__(self) -> str:
        """One line: the scenario, model, method and the first options with their scores."""
        from decision.results.frames import result_repr

        return result_repr(self)

    def _repr_html_(self) -> str:
        """The ranking as a small HTML table (Jupyter shows this)."""
        from decision.results.frames import result_html

        return result_html(self)
