"""Robustness of options across scenarios: expected value, worst and best cases, regret, ...

Input is a table ``values (k, o)``: for each of ``k`` scenarios the score of each option (the
caller decides what an unavailable option scores), with optional scenario probabilities (equal
by default; any non-negative numbers, normalised to sum to 1). Worst-case, best-case and
maximum-regret measures use every scenario given, whatever its probability; averages and
percentiles weight scenarios by probability. Probability-weighted sums use ``math.fsum`` (exactly
rounded), so permuting scenarios gives bit-identical results. Higher values are better.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.errors import DecisionError
from decision.results import SKIP

FloatArray = NDArray[np.float64]

#: SNR divides by max(sd, SNR_SD_FLOOR), in the units of the values (scores are on 0-1).
SNR_SD_FLOOR = 1e-6

DEFINITIONS: dict[str, str] = {
    "expected": "Probability-weighted mean of the option's value over the scenarios.",
    "maximin": "The option's worst value over all scenarios (pick the best worst case).",
    "maximax": "The option's best value over all scenarios (pick the best best case).",
    "hurwicz": "alpha * best value + (1 - alpha) * worst value, for the stated optimism alpha.",
    "max_regret": (
        "Savage: the largest shortfall, over all scenarios, of the option's value from the best "
        "option's value in that scenario (lower is better)."
    ),
    "mean_regret": "Probability-weighted mean of the option's regret (lower is better).",
    "percentile_regret": (
        "The q-th weighted percentile of the option's regret: the smallest regret r such that "
        "scenarios with regret <= r carry at least q% of the probability (lower is better)."
    ),
    "satisficing": (
        "Probability-weighted share of scenarios (and of samples within them, when given) in "
        "which the option's score reaches the threshold."
    ),
    "satisficing_criteria": (
        "Probability-weighted share of scenarios (and of samples within them, when given) in "
        "which the option reaches every criterion's threshold."
    ),
    "snr": (
        "Signal-to-noise ratio: probability-weighted mean / probability-weighted standard "
        f"deviation over the scenarios, the deviation floored at {SNR_SD_FLOOR:g} so an option "
        "with no variation gets a large finite ratio instead of infinity."
    ),
}

#: Relative tolerance under which two options' measures count as tied for the pick.
TIE_TOLERANCE = 1e-9

#: Measures where a lower value is better (the pick is the argmin).
LOWER_IS_BETTER = frozenset({"max_regret", "mean_regret", "percentile_regret"})


@dataclass(frozen=True, eq=False)
class RobustnessResult:
    """Per-option robustness measures (arrays indexed by option; see :data:`DEFINITIONS`).

    ``regret (k, o)`` is the full regret table; ``picks`` maps each measure to the option it
    favours (ties, within :data:`TIE_TOLERANCE`, to the lowest index); optional measures are
    None when not requested.
    """

    probabilities: FloatArray
    expected: FloatArray
    maximin: FloatArray
    maximax: FloatArray
    hurwicz_alpha: float
    hurwicz: FloatArray
    regret: FloatArray
    max_regret: FloatArray
    mean_regret: FloatArray
    regret_percentile: float
    percentile_regret: FloatArray
    sd: FloatArray
    snr: FloatArray
    satisficing_threshold: float | None
    satisficing: FloatArray | None
    criterion_thresholds: FloatArray | None
    satisficing_criteria: FloatArray | None
    picks: dict[str, int] = field(metadata=SKIP)
    #: Option names for the plain data's picks (indices when empty).
    option_names: tuple[str, ...] = field(default=(), metadata=SKIP)

    __data_extra__: ClassVar[tuple[str | tuple[str, str], ...]] = (("picks", "named_picks"),)

    @property
    def named_picks(self) -> dict[str, str] | dict[str, int]:
        """Each measure's pick by option name (by index without ``option_names``)."""
        if not self.option_names:
            return dict(self.picks)
        return {name: self.option_names[o] for name, o in self.picks.items()}

    def measures(self) -> dict[str, FloatArray]:
        """Every per-option measure computed, by name (the keys of :data:`DEFINITIONS`)."""
        out = {
            "expected": self.expected,
            "maximin": self.maximin,
            "maximax": self.maximax,
            "hurwicz": self.hurwicz,
            "max_regret": self.max_regret,
            "mean_regret": self.mean_regret,
            "percentile_regret": self.percentile_regret,
            "snr": self.snr,
        }
        if self.satisficing is not None:
            out["satisficing"] = self.satisficing
        if self.satisficing_criteria is not None:
            out["satisficing_criteria"] = self.satisficing_criteria
        return out


def _weighted_mean(p: FloatArray, x: FloatArray) -> FloatArray:
    """``sum_k p[k] * x[k, o]`` per option, exactly rounded (independent of scenario order)."""
    products = p[:, None] * x
    return np.array([math.fsum(products[:, j]) for j in range(x.shape[1])], dtype=np.float64)


def weighted_percentile(x: FloatArray, p: FloatArray, q: float) -> float:
    """Inverted-CDF weighted percentile: the smallest ``x[k]`` whose cumulative probability
    ``sum(p[x <= x[k]])`` reaches ``q / 100`` (up to 1e-12 for rounding), for 0 < q <= 100.

    Always one of the values, and independent of the order of the pairs ``(x[k], p[k])``.
    """
    target = q / 100.0 - 1e-12
    for value in np.unique(x):  # ascending
        if math.fsum(p[x <= value]) >= target:
            return float(value)
    return float(np.max(x))


def _share_meeting(
    data: ArrayLike | Sequence[ArrayLike], k: int, o: int, thresholds: FloatArray, name: str
) -> FloatArray:
    """``met (k, o)``: share of rows per scenario where every trailing value reaches its threshold.

    ``data`` is one array ``(k, o, *t)`` (one row per scenario) or ``k`` arrays ``(n_k, o, *t)``
    (samples per scenario), where ``t`` matches ``thresholds``.
    """
    tail = thresholds.shape
    if isinstance(data, list | tuple) and all(isinstance(t, np.ndarray) for t in data):
        tables = [np.asarray(t, dtype=np.float64) for t in data]
    else:
        try:
            array = np.asarray(data, dtype=np.float64)
        except ValueError as error:  # ragged nested lists
            raise DecisionError(f"{name}: pass one numpy array per scenario ({error})") from None
        if array.ndim == 2 + len(tail):
            tables = [row[None] for row in array]
        elif array.ndim == 3 + len(tail):
            tables = list(array)
        else:
            raise DecisionError(f"{name}: cannot read shape {array.shape} as per-scenario tables")
    if len(tables) != k:
        raise DecisionError(f"{name}: need one entry per scenario ({k}), got {len(tables)}")
    met = np.zeros((k, o))
    for s, t in enumerate(tables):
        if t.ndim != 2 + len(tail) or t.shape[1:] != (o, *tail) or t.shape[0] == 0:
            raise DecisionError(f"{name}: scenario {s} has shape {t.shape}, need (n, {o}, *{tail})")
        if not np.all(np.isfinite(t)):
            raise DecisionError(f"{name}: values must be finite")
        ok = t >= thresholds
        if tail:
            ok = np.all(ok.reshape(*ok.shape[:2], -1), axis=2)
        met[s] = np.count_nonzero(ok, axis=0) / t.shape[0]
    return met


def _pick(values: FloatArray, lower_is_better: bool) -> int:
    """The best option: argmax (argmin if lower is better), ties to the lowest index.

    Values within :data:`TIE_TOLERANCE` (relative, at least absolute) of the best are ties, so
    rounding noise (``0.6 - 0.2 < 0.9 - 0.5``) does not decide the pick.
    """
    signed = -values if lower_is_better else values
    best = float(signed.max())
    tied = signed >= best - TIE_TOLERANCE * max(1.0, abs(best))
    return int(np.argmax(tied))


def robustness(
    values: ArrayLike,
    probabilities: ArrayLike | None = None,
    *,
    hurwicz_alpha: float = 0.5,
    regret_percentile: float = 90.0,
    threshold: float | None = None,
    sample_scores: Sequence[ArrayLike] | None = None,
    criterion_values: ArrayLike | Sequence[ArrayLike] | None = None,
    criterion_thresholds: ArrayLike | None = None,
) -> RobustnessResult:
    """Robustness measures of ``o`` options over ``k`` scenarios from ``values (k, o)``.

    Satisficing is computed when ``threshold`` is given: from ``sample_scores`` (``k`` arrays
    ``(n_k, o)``, the share of samples reaching it per scenario) or else from ``values``.
    Per-criterion satisficing is computed when ``criterion_thresholds (c,)`` is given, from
    ``criterion_values``: ``(k, o, c)`` or ``k`` arrays ``(n_k, o, c)`` on the value scale
    (higher is better; use ``-inf`` for a criterion without threshold).
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 2 or v.shape[0] < 1 or v.shape[1] < 1:
        raise DecisionError(f"values must be a (scenarios, options) table, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise DecisionError("values must be finite numbers")
    k, o = v.shape
    if probabilities is None:
        p = np.full(k, 1.0 / k)
    else:
        raw = np.asarray(probabilities, dtype=np.float64)
        if raw.shape != (k,):
            raise DecisionError(f"need {k} scenario probabilities, got shape {raw.shape}")
        if not np.all(np.isfinite(raw)) or np.any(raw < 0) or math.fsum(raw) <= 0:
            raise DecisionError(
                "scenario probabilities must be finite, >= 0 and not all zero",
                allowed="non-negative numbers (normalised to sum to 1)",
            )
        p = raw / math.fsum(raw)
    if not 0.0 <= hurwicz_alpha <= 1.0:
        raise DecisionError(f"Hurwicz alpha {hurwicz_alpha:g} is outside [0, 1]")
    if not 0.0 < regret_percentile <= 100.0:
        raise DecisionError(
            f"regret percentile {regret_percentile:g} is outside (0, 100]", allowed="0 < q <= 100"
        )

    expected = _weighted_mean(p, v)
    worst, best = v.min(axis=0), v.max(axis=0)
    hurwicz = hurwicz_alpha * best + (1.0 - hurwicz_alpha) * worst
    regret = v.max(axis=1, keepdims=True) - v
    max_regret = regret.max(axis=0)
    mean_regret = _weighted_mean(p, regret)
    pct_regret = np.array(
        [weighted_percentile(regret[:, j], p, regret_percentile) for j in range(o)]
    )
    sd = np.sqrt(np.maximum(_weighted_mean(p, (v - expected) ** 2), 0.0))
    snr = expected / np.maximum(sd, SNR_SD_FLOOR)

    satisficing: FloatArray | None = None
    if threshold is not None:
        if not math.isfinite(threshold):
            raise DecisionError("the satisficing threshold must be a finite number")
        source = v if sample_scores is None else sample_scores
        met = _share_meeting(source, k, o, np.array(float(threshold)), "sample scores")
        satisficing = _weighted_mean(p, met)
    elif sample_scores is not None:
        raise DecisionError("sample scores are only used with a satisficing threshold")

    thresholds: FloatArray | None = None
    satisficing_criteria: FloatArray | None = None
    if criterion_thresholds is not None:
        thresholds = np.asarray(criterion_thresholds, dtype=np.float64)
        if thresholds.ndim != 1 or np.any(np.isnan(thresholds)):
            raise DecisionError("criterion thresholds must be one number per criterion")
        if criterion_values is None:
            raise DecisionError("criterion thresholds need criterion values (k, o, c)")
        met = _share_meeting(criterion_values, k, o, thresholds, "criterion values")
        satisficing_criteria = _weighted_mean(p, met)
    elif criterion_values is not None:
        raise DecisionError("criterion values are only used with criterion thresholds")

    measures = {
        "expected": expected,
        "maximin": worst,
        "maximax": best,
        "hurwicz": hurwicz,
        "max_regret": max_regret,
        "mean_regret": mean_regret,
        "percentile_regret": pct_regret,
        "snr": snr,
        "satisficing": satisficing,
        "satisficing_criteria": satisficing_criteria,
    }
    picks = {
        name: _pick(m, name in LOWER_IS_BETTER) for name, m in measures.items() if m is not None
    }
    return RobustnessResult(
        probabilities=p,
        expected=expected,
        maximin=worst,
        maximax=best,
        hurwicz_alpha=float(hurwicz_alpha),
        hurwicz=hurwicz,
        regret=regret,
        max_regret=max_regret,
        mean_regret=mean_regret,
        regret_percentile=float(regret_percentile),
        percentile_regret=pct_regret,
        sd=sd,
        snr=snr,
        satisficing_threshold=None if threshold is None else float(threshold),
        satisficing=satisficing,
        criterion_thresholds=thresholds,
        satisficing_criteria=satisficing_criteria,
        picks=picks,
    )
