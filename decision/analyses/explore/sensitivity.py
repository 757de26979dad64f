"""Global sensitivity of the explored outcomes to every uncertain input, with SALib.

Sobol first-order and total indices (Saltelli's scheme, ``N * (d + 2)`` evaluations, no
second-order terms) and, for models with many inputs, Morris elementary effects
(``r * (d + 1)`` evaluations). SALib samples the unit cube: its rows are this package's
unit-cube design (:mod:`decision.analyses.explore.design`), so the same inverse CDFs and the
documented simplex transform of the weights apply. Confidence intervals are SALib's
bootstrap (95%).

Without SALib, :class:`GivenData` estimates first-order indices from the explored samples
themselves (the given-data estimator: ``Var(E[Y | x_j]) / Var(Y)`` with the conditional means
taken over equal-probability bins of ``u_j``, as the EVPPI's of
:mod:`decision.analyses.explore.voi`); no extra evaluations, no total-effect indices. The
binning biases each index upwards by about ``(bins - 1) / n``; the index of a random
relabelling of the samples to bins (the noise floor) is subtracted and the result clipped to
[0, 1].

``function(u)`` maps unit-cube rows ``(m, d)`` to named outcomes ``{name: (m,)}``; it is
called chunk by chunk so memory stays bounded whatever ``N``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from decision.analyses.explore.voi import VoiAccumulator
from decision.core.compile import FloatArray
from decision.errors import DecisionError

Function = Callable[[FloatArray], Mapping[str, FloatArray]]
Progress = Callable[[int, int], None]
CHUNK = 8192
#: Sobol base samples by default (a power of two).
DEFAULT_BASE = 1 << 9
#: Morris trajectories by default.
DEFAULT_TRAJECTORIES = 64


@dataclass(frozen=True)
class Indices:
    """Indices of one outcome per input (same order as the inputs)."""

    outcome: str
    first: FloatArray  # S1 (Sobol) or normalised mu* (Morris)
    first_conf: FloatArray
    total: FloatArray  # ST (Sobol) or sigma (Morris)
    total_conf: FloatArray
    method: str


def _evaluate(function: Function, rows: FloatArray, progress: Progress | None
              ) -> dict[str, FloatArray]:
    parts: dict[str, list[FloatArray]] = {}
    for start in range(0, rows.shape[0], CHUNK):
        for name, values in function(rows[start : start + CHUNK]).items():
            parts.setdefault(name, []).append(np.asarray(values, dtype=np.float64))
        if progress:
            progress(min(rows.shape[0], start + CHUNK), rows.shape[0])
    return {name: np.concatenate(v) for name, v in parts.items()}


def _problem(names: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def sobol(names: Sequence[str], function: Function, base: int = DEFAULT_BASE, seed: int = 0,
          progress: Progress | None = None) -> list[Indices]:
    """Sobol S1 and ST of every outcome of ``function`` (see the module docstring)."""
    from SALib.analyze import sobol as analyze  # type: ignore[import-untyped]
    from SALib.sample import sobol as sample  # type: ignore[import-untyped]

    if base < 2 or base & (base - 1):
        raise DecisionError(f"{base} Sobol base samples are not a power of two",
                            key_path="--sensitivity-samples", allowed="a power of two >= 2")
    problem = _problem(names)
    rows = sample.sample(problem, base, calc_second_order=False, seed=seed)
    found = _evaluate(function, rows, progress)
    out = []
    for name, y in found.items():
        if np.ptp(y) == 0:  # a constant outcome: no variance to share out
            zero = np.zeros(len(names))
            out.append(Indices(name, zero, zero, zero, zero, "sobol"))
            continue
        s = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        out.append(Indices(name, np.asarray(s["S1"]), np.asarray(s["S1_conf"]),
                           np.asarray(s["ST"]), np.asarray(s["ST_conf"]), "sobol"))
    return out


def morris(names: Sequence[str], function: Function,
           trajectories: int = DEFAULT_TRAJECTORIES, seed: int = 0,
           progress: Progress | None = None) -> list[Indices]:
    """Morris screening of every outcome: mu* (normalised to sum 1, as a share of influence)
    and its bootstrap interval in ``first``, sigma in ``total``."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = _problem(names)
    rows = sample.sample(problem, trajectories, num_levels=4, seed=seed)
    found = _evaluate(function, rows, progress)
    out = []
    for name, y in found.items():
        s = analyze.analyze(problem, rows, y, num_levels=4, seed=seed)
        mu = np.asarray(s["mu_star"], dtype=np.float64)
        scale = mu.sum() or 1.0
        out.append(Indices(name, mu / scale, np.asarray(s["mu_star_conf"]) / scale,
                           np.asarray(s["sigma"]), np.zeros(len(names)), "morris"))
    return out


class GivenData:
    """Given-data first-order indices of outcomes ``names`` over ``d`` inputs, tallied chunk
    by chunk (see the module docstring): ``first`` the index, ``first_conf`` the noise floor
    subtracted, ``total`` the index too (no total effect is estimated)."""

    def __init__(self, d: int, names: Sequence[str], bins: int) -> None:
        self.names = list(names)
        self.tallies = VoiAccumulator(d, len(self.names), bins)
        self.squares = np.zeros(len(self.names))

    def add(self, u: FloatArray, values: FloatArray, start: int) -> None:
        """Samples ``start, ...`` with unit-cube rows ``u (n, d)`` and outcomes ``(n, k)``."""
        self.tallies.add(u, values, start)
        self.squares += (values * values).sum(axis=0)

    def result(self) -> list[Indices]:
        t = self.tallies
        n = max(t.n, 1)
        mean = t.total / n  # (k,)
        variance = np.maximum(self.squares / n - mean * mean, 0.0)
        safe = np.where(t.counts > 0, t.counts, 1.0)
        conditional = t.sums / safe[:, :, None]  # (d + 1, bins, k)
        between = (t.counts[:, :, None] * (conditional - mean) ** 2).sum(axis=1) / n
        share = between / np.where(variance > 0, variance, 1.0)  # (d + 1, k)
        out = []
        for j, name in enumerate(self.names):
            if variance[j] <= 1e-15 * max(1.0, mean[j] * mean[j]):
                zero = np.zeros(t.d)
                out.append(Indices(name, zero, zero, zero, zero, "given"))
                continue
            floor = float(share[-1, j])
            first = np.clip(share[:-1, j] - floor, 0.0, 1.0)
            out.append(Indices(name, first, np.full(t.d, floor), first, np.zeros(t.d), "given"))
        return out
