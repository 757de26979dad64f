"""Shared method configurations and hypothesis strategies for the method tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.typing import NDArray

from decision.core.methods import (
    PreferenceFunction,
    copras,
    edas,
    electre_iii,
    mabac,
    promethee_i,
    promethee_ii,
    spotis,
    topsis,
    vikor,
    waspas,
    weighted_product,
    weighted_sum,
)

Array = NDArray[np.float64]
Bools = NDArray[np.bool_]


@dataclass(frozen=True)
class Config:
    """A method with fixed parameters; ``per_criterion`` builds per-criterion parameters."""

    id: str
    function: Callable[..., Array]
    params: dict[str, Any]
    per_criterion: Callable[[int], dict[str, Any]] | None = None

    def __call__(
        self,
        performance: Array,
        weights: Array,
        benefit: Bools,
        available: Bools | None = None,
        criteria_order: NDArray[np.intp] | None = None,
    ) -> Array:
        params = dict(self.params)
        if self.per_criterion is not None:
            n = performance.shape[-1]
            extra = self.per_criterion(n)
            if criteria_order is not None:
                extra = {k: [v[i] for i in criteria_order] for k, v in extra.items()}
            params.update(extra)
        return self.function(performance, weights, benefit, available, **params)

    def __repr__(self) -> str:
        return self.id


def _mixed_preferences(n: int) -> dict[str, Any]:
    cycle = [
        PreferenceFunction("usual"),
        PreferenceFunction("linear", q=0.05, p=0.4),
        PreferenceFunction("gaussian", s=0.2),
        PreferenceFunction("level", q=0.1, p=0.3),
        PreferenceFunction("vshape", p=0.25),
        PreferenceFunction("ushape", q=0.1),
    ]
    return {"preference": [cycle[j % len(cycle)] for j in range(n)]}


def _electre_thresholds(n: int) -> dict[str, Any]:
    """ELECTRE III thresholds on the 0-1 scale, different per criterion, some without veto."""
    return {"q": [0.02 * (j % 3) for j in range(n)],
            "p": [0.1 + 0.1 * (j % 2) for j in range(n)],
            "v": [None if j % 3 == 2 else 0.5 + 0.1 * j for j in range(n)]}


def _declared_bounds(n: int) -> dict[str, Any]:
    """SPOTIS bounds around the 0-1 scale, different for every criterion."""
    return {"bounds": [(-0.1 * (j % 3), 1.0 + 0.5 * (j % 2)) for j in range(n)]}


NORMALISATIONS = ("none", "minmax", "max", "sum", "vector", "linear")
CONFIGS: list[Config] = [
    *(Config(f"wsm-{k}", weighted_sum, {"normalisation": k}) for k in NORMALISATIONS),
    *(Config(f"wpm-{k}", weighted_product, {"normalisation": k}) for k in NORMALISATIONS),
    Config("topsis-vector", topsis, {"normalisation": "vector"}),
    Config("topsis-minmax", topsis, {"normalisation": "minmax"}),
    Config("vikor-0.5", vikor, {"v": 0.5}),
    Config("vikor-0.2", vikor, {"v": 0.2}),
    Config("promethee-usual", promethee_ii, {}),
    Config("promethee-ushape", promethee_ii, {"preference": PreferenceFunction("ushape", q=0.1)}),
    Config("promethee-vshape", promethee_ii, {"preference": PreferenceFunction("vshape", p=0.3)}),
    Config("promethee-level", promethee_ii,
           {"preference": PreferenceFunction("level", q=0.1, p=0.3)}),
    Config("promethee-linear", promethee_ii,
           {"preference": PreferenceFunction("linear", q=0.05, p=0.4)}),
    Config("promethee-gaussian", promethee_ii,
           {"preference": PreferenceFunction("gaussian", s=0.2)}),
    Config("promethee-mixed", promethee_ii, {}, _mixed_preferences),
    # The second part of an id names the normalisation (or domain) the method uses inside:
    # tests of extreme values read it to choose signs and scales.
    Config("promethee_i-usual", promethee_i, {}),
    Config("waspas-linear-0.5", waspas, {"lam": 0.5}),
    Config("waspas-linear-0", waspas, {"lam": 0.0}),
    Config("waspas-linear-1", waspas, {"lam": 1.0}),
    Config("waspas-minmax-0.3", waspas, {"lam": 0.3, "normalisation": "minmax"}),
    Config("waspas-none", waspas, {"lam": 0.7, "normalisation": "none"}),
    Config("copras-sum", copras, {}),
    Config("edas-sum", edas, {}),
    Config("mabac-minmax", mabac, {}),
    Config("spotis-observed", spotis, {"bounds": "observed"}),
    Config("spotis-none", spotis, {}),
    Config("spotis-declared-none", spotis, {}, _declared_bounds),
    Config("electre_iii-crisp", electre_iii, {}),
    Config("electre_iii-veto", electre_iii, {"q": 0.05, "p": 0.2, "v": 0.6}),
    Config("electre_iii-mixed", electre_iii, {"alpha": 0.25, "beta": -0.1},
           _electre_thresholds),
]

# Values on a 0-1 value scale, kept in (0, 1] so every normalisation's domain holds; a small
# grid makes ties and constant columns common.
GRID = [0.1, 0.25, 0.5, 0.75, 1.0]
values = st.one_of(st.sampled_from(GRID), st.floats(0.01, 1.0))
weights = st.floats(0.0, 1.0)


@dataclass(frozen=True)
class Problem:
    performance: Array
    weights: Array
    benefit: Bools
    available: Bools


@st.composite
def problems(
    draw: st.DrawFn,
    min_options: int = 1,
    max_options: int = 7,
    max_criteria: int = 5,
    min_available: int = 0,
) -> Problem:
    m = draw(st.integers(max(min_options, min_available), max_options))
    n = draw(st.integers(1, max_criteria))
    performance = draw(arrays(np.float64, (m, n), elements=values))
    w = draw(arrays(np.float64, (n,), elements=weights))
    w[draw(st.integers(0, n - 1))] += 0.5  # never all zero
    benefit = draw(arrays(np.bool_, (n,)))
    available = draw(arrays(np.bool_, (m,)))
    if available.sum() < min_available:
        available[draw(st.permutations(range(m)))[:min_available]] = True
    return Problem(performance, w, benefit, available)


def random_problems(
    rng: np.random.Generator, count: int, max_options: int = 30, max_criteria: int = 12
) -> list[tuple[Array, Array, Bools]]:
    """Random matrices with 2..max_options options, 1..max_criteria criteria, mixed scales."""
    out = []
    for _ in range(count):
        m = int(rng.integers(2, max_options + 1))
        n = int(rng.integers(1, max_criteria + 1))
        scale = 10.0 ** rng.uniform(-1, 2, n)
        performance = rng.uniform(0.05, 1.0, (m, n)) * scale
        w = rng.uniform(0.05, 1.0, n)
        out.append((performance, w / w.sum(), rng.random(n) < 0.6))
    return out
