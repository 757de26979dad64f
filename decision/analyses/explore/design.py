"""The input space of an exploration and its designs on the unit cube.

Every uncertain input is one column of a unit-cube design ``u (n, d)`` mapped to its law by
its inverse CDF, so one representation serves Monte Carlo, Latin hypercube and Sobol
designs, SALib's samplers (which sample the unit cube) and the equal-probability bins of the
EVPPI estimator (a bin of ``u`` is a quantile bin of the input):

- indicators: the distribution the scenario declares (uniform, triangular, pert, normal
  truncated to the indicator's range, bernoulli, choice), else uniform over the indicator's
  range (booleans: true with probability 1/2). An exploration asks about the whole space, so
  exact values a scenario sets are explored too; zero-width ranges are no column;
- judgements and success likelihoods with a range: the model's ``judgement_distribution``
  (mode at the value), as the Monte Carlo run draws them;
- weights (unless held at the scenario's): the simplex transform. Column ``j`` gives a
  standard exponential ``e_j = -log(1 - u_j)`` and ``w = e / sum(e)``, uniform on the simplex
  (Dirichlet(1, ..., 1)) from one column per criterion, so every criterion's weight has a
  column a sensitivity index can name. An ordinal ranking sorts the ranked coordinates
  (uniform on its cone, as :func:`decision.uncertainty.sampling.draw_weights`); intervals
  project the point onto {simplex} ∩ {box} (Euclidean projection: the bounds hold exactly,
  but the law on the constrained set is not uniform, unlike the Monte Carlo run's rejection,
  which no fixed map of the cube reproduces).

Designs (:class:`Design`): ``mc`` draws rows from the fixed RNG blocks of
:mod:`decision.uncertainty.sampling` (any chunking draws the same rows); ``sobol`` is scipy's
scrambled Sobol sequence (a power of two of rows, drawn chunk after chunk); ``lhs`` is scipy's
Latin hypercube, which needs the whole design at once (``n x d`` floats are held).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from decision.core.compile import CompiledModel, FloatArray, ScenarioInputs
from decision.core.weights import normalise_weights
from decision.errors import DecisionError
from decision.uncertainty.sampling import (
    WeightModel,
    draw_range_into,
    indicator_quantile,
    weight_model,
)

DESIGNS = ("lhs", "sobol", "mc")
#: Fewest samples of any design: fewer leave scenario discovery nothing to describe.
MIN_SAMPLES = 64

ColumnKind = Literal["indicator", "judgement", "likelihood", "weight"]


@dataclass(frozen=True)
class Column:
    """One uncertain input: ``kind`` and its position (indicator, flat option x criterion
    judgement, likelihood, or criterion)."""

    name: str
    kind: ColumnKind
    index: int


def _pert_ppf(u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray,
              shape: float) -> FloatArray:
    from scipy.stats import beta  # type: ignore[import-untyped]

    width = high - low
    safe = np.where(width > 0, width, 1.0)
    a = 1.0 + shape * (mode - low) / safe
    b = 1.0 + shape * (high - mode) / safe
    out: FloatArray = low + width * beta.ppf(u, a, b)
    return out


def indicator_ppf(setting: Any, low: float, high: float, boolean: bool, u: FloatArray
                  ) -> FloatArray:
    """Inverse CDF at ``u`` of an indicator's law: the scenario's distribution through the
    sampler's own inverse CDF (:func:`~decision.uncertainty.sampling.indicator_quantile`, the
    one the correlated draws use), or, for ``setting`` None, uniform on the indicator's range
    (a boolean true on the upper half)."""
    if setting is None:
        if boolean:
            return (u >= 0.5).astype(np.float64)
        out: FloatArray = low + (high - low) * u
        return out
    return indicator_quantile(setting, low, high, u)


def _judgement_ppf(u: FloatArray, low: FloatArray, value: FloatArray, high: FloatArray,
                   shape: str, out: FloatArray) -> None:
    """The judgement law's inverse CDF at ``u`` into ``out`` (parameters broadcast
    against ``u``)."""
    if shape == "uniform":
        np.multiply(high - low, u, out=out)
        out += low  # low + (high - low) * u
    elif shape == "pert":
        out[...] = _pert_ppf(u, low, value, high, 4.0)
    else:
        _triangular_into(u, low, value, high, out)


def _triangular_into(u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray,
                     out: FloatArray) -> None:
    """:func:`~decision.uncertainty.sampling._triangular` (the same operations on the same
    operands, so the same bits) written into ``out``, with two work arrays instead of its
    half-dozen temporaries: the judgements are most of an exploration's columns."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    split = (mode - low) / safe
    on_left = u < split
    root = u * (width * (mode - low))
    right = 1.0 - u
    right *= width * (high - mode)
    np.copyto(root, right, where=~on_left)  # the square of the distance from the nearer end
    np.sqrt(root, out=root)
    np.subtract(high, root, out=out)
    np.add(low, root, out=out, where=on_left)
    if not np.all(width > 0):
        np.copyto(out, np.broadcast_to(low, out.shape), where=~(width > 0))


def _rows(positions: NDArray[np.intp]) -> slice:
    """Consecutive ``positions`` (the columns of one kind of input) as a slice: a view."""
    first = int(positions[0])
    if not np.array_equal(positions, np.arange(first, first + positions.size)):
        raise ValueError("the columns of one kind of input are consecutive")
    return slice(first, first + positions.size)


def simplex(u: FloatArray) -> FloatArray:
    """Uniform points on the simplex from unit-cube rows ``u (n, c)``: normalised standard
    exponentials (see the module docstring)."""
    e = -np.log1p(-np.clip(u, 0.0, 1.0 - 2.0**-53))
    e = np.maximum(e, 1e-300)  # u == 0 gives e == 0; an all-zero row must still normalise
    out: FloatArray = e / e.sum(axis=1, keepdims=True)
    return out


def project_box(w: FloatArray, low: FloatArray, high: FloatArray) -> FloatArray:
    """Euclidean projection of rows ``w (n, c)`` onto ``{sum = 1, low <= w <= high}``:
    ``clip(w - t, low, high)`` with the shift ``t`` of each row found by bisection."""
    lo_t = (w - high).min(axis=1)
    hi_t = (w - low).max(axis=1)
    for _ in range(60):
        mid = 0.5 * (lo_t + hi_t)
        total = np.clip(w - mid[:, None], low, high).sum(axis=1)
        above = total > 1.0
        lo_t = np.where(above, mid, lo_t)
        hi_t = np.where(above, hi_t, mid)
    out: FloatArray = np.clip(w - (0.5 * (lo_t + hi_t))[:, None], low, high)
    return out


def weight_points(model: WeightModel, u: FloatArray) -> FloatArray:
    """Weights ``(n, c)`` of unit-cube rows ``u (n, c)`` under a weight model's constraints."""
    w = simplex(u)
    if model.kind == "ordinal" and len(model.ranking) > 1:
        idx = np.array(model.ranking)
        w[:, idx] = -np.sort(-w[:, idx], axis=1)
    elif model.kind == "intervals":
        w = project_box(w, np.array(model.low), np.array(model.high))
    return w


@dataclass(frozen=True, eq=False)
class InputSpace:
    """The uncertain inputs of a scenario as unit-cube columns (see the module docstring)."""

    model: CompiledModel
    inputs: ScenarioInputs
    columns: tuple[Column, ...]
    weights: WeightModel | None  # None: held at the scenario's

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def d(self) -> int:
        return len(self.columns)

    def natural(self, u: FloatArray) -> FloatArray:
        """The inputs ``(n, d)`` in natural units (indicator values, judgements, likelihoods,
        normalised weights) of unit-cube rows ``u (n, d)``.

        Mapped input by input on the transposed rows (each input's ``n`` values contiguous,
        its law's parameters one number each: whole-row loops instead of one short loop per
        sample), so the result is the transpose of a ``(d, n)`` array, columns contiguous;
        every value is the same operation on the same operands as row by row."""
        model = self.model
        ut = np.ascontiguousarray(u.T)
        out = np.empty_like(ut)  # (d, n)
        kinds = np.array([c.kind for c in self.columns])
        index = np.array([c.index for c in self.columns], dtype=np.intp)
        # indicators with the default law, all at once: uniform on the range, booleans true
        # on the upper half; a scenario's distribution input by input
        ranged: list[int] = []
        flags: list[int] = []
        for j, col in enumerate(self.columns):
            if col.kind == "indicator":
                k = col.index
                setting = self.inputs.settings.get(k)
                if setting is None:
                    (flags if model.is_boolean[k] else ranged).append(j)
                else:
                    out[j] = indicator_ppf(setting, float(model.low[k]), float(model.high[k]),
                                           bool(model.is_boolean[k]), ut[j])
        if ranged:
            ks = index[ranged]
            low: FloatArray = model.low[ks].astype(np.float64)[:, None]
            high: FloatArray = model.high[ks].astype(np.float64)[:, None]
            out[ranged] = low + (high - low) * ut[ranged]
        if flags:
            out[flags] = ut[flags] >= 0.5
        shape = model.spec.judgement_distribution
        js = np.flatnonzero(kinds == "judgement")
        if js.size:
            flat, rows = index[js], _rows(js)
            _judgement_ppf(ut[rows], model.judgement_low.reshape(-1)[flat][:, None],
                           model.judgement.reshape(-1)[flat][:, None],
                           model.judgement_high.reshape(-1)[flat][:, None], shape, out[rows])
        ls = np.flatnonzero(kinds == "likelihood")
        if ls.size and model.likelihoods is not None:
            lk, flat, rows = model.likelihoods, index[ls], _rows(ls)
            _judgement_ppf(ut[rows], lk.low[flat][:, None], lk.value[flat][:, None],
                           lk.high[flat][:, None], shape, out[rows])
        ws = np.flatnonzero(kinds == "weight")
        if ws.size and self.weights is not None:  # row-wise sums: on (n, c) rows as ever
            out[ws] = weight_points(self.weights, np.ascontiguousarray(u[:, ws])).T
        result: FloatArray = out.T
        return result

    def state(self, x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray,
                                             FloatArray | None]:
        """Engine inputs of natural-unit rows ``x (n, d)``: indicator values ``(n, i)``,
        judgements ``(n, o, c)``, normalised weights ``(n, c)`` and likelihoods ``(n, l)``
        (None when the model has none); inputs without a column keep the scenario's value."""
        model, n = self.model, x.shape[0]
        o, c = model.judgement.shape
        values = np.repeat(self.inputs.values[None, :], n, axis=0)
        judgement = np.repeat(model.judgement.reshape(1, o * c), n, axis=0)
        weights = np.repeat(normalise_weights(self.inputs.weights)[None, :], n, axis=0)
        lk = model.likelihoods
        likelihood = None if lk is None else np.repeat(lk.value[None, :], n, axis=0)
        kinds = np.array([c.kind for c in self.columns])
        index = np.array([c.index for c in self.columns], dtype=np.intp)
        for kind, target in (("indicator", values), ("judgement", judgement),
                             ("weight", weights), ("likelihood", likelihood)):
            js = np.flatnonzero(kinds == kind)
            if js.size:  # one kind's columns at once (each input has one column)
                assert target is not None
                target[:, index[js]] = x[:, js]
        return values, judgement.reshape(n, o, c), weights, likelihood


def input_space(model: CompiledModel, inputs: ScenarioInputs, *, hold_weights: bool = False
                ) -> InputSpace:
    """The scenario's uncertain inputs: every indicator with a range, every judgement and
    likelihood with one, and (unless ``hold_weights``) the criterion weights."""
    columns: list[Column] = []
    for k, name in enumerate(model.indicators):
        if model.high[k] > model.low[k] or k in inputs.settings:
            columns.append(Column(f"indicator:{name}", "indicator", k))
    c = model.judgement.shape[1]
    wide = (model.judgement_high > model.judgement_low).reshape(-1)
    for flat in np.flatnonzero(wide).tolist():
        option, criterion = divmod(flat, c)
        columns.append(Column(
            f"judgement:{model.options[option]}/{model.criteria[criterion]}", "judgement", flat))
    lk = model.likelihoods
    if lk is not None:
        for j in np.flatnonzero(lk.high > lk.low).tolist():
            columns.append(Column(f"likelihood:{model.options[int(lk.options[j])]}",
                                  "likelihood", j))
    weights: WeightModel | None = None
    if not hold_weights and c > 1:
        weights = weight_model(model, inputs)
        if weights.kind == "exact":
            weights = WeightModel.missing(c)
        columns += [Column(f"weight:{name}", "weight", k) for k, name in enumerate(model.criteria)]
    return InputSpace(model, inputs, tuple(columns), weights)


def check_design(design: str, n: int) -> None:
    """Refuse an unknown design or too few samples for it, naming the flag."""
    if design not in DESIGNS:
        raise DecisionError(f"unknown design '{design}'", key_path="--design",
                            allowed=", ".join(DESIGNS))
    if n < MIN_SAMPLES:
        raise DecisionError(f"{n} samples are too few to explore", key_path="--samples",
                            allowed=f"at least {MIN_SAMPLES}")
    if design == "sobol" and n & (n - 1):
        raise DecisionError(
            f"{n} samples are not a power of two, which a Sobol design needs",
            key_path="--samples",
            allowed=f"a power of two such as {1 << (n.bit_length() - 1)} or {1 << n.bit_length()}",
        )


class Design:
    """Unit-cube rows ``[start, stop)`` of a design, drawn in chunks (see the module
    docstring); chunks of a ``sobol`` design must be asked for in order."""

    def __init__(self, kind: str, n: int, d: int, seed: int) -> None:
        check_design(kind, n)
        self.kind, self.n, self.d, self.seed = kind, n, d, seed
        self._next = 0
        self._sobol: Any = None
        self._whole: FloatArray | None = None

    def rows(self, start: int, stop: int) -> FloatArray:
        if self.d == 0:
            return np.empty((stop - start, 0))
        if self.kind == "mc":  # each block's rows drawn in place (draw_range's values)
            out: FloatArray = np.empty((stop - start, self.d))

            def fill(rng: np.random.Generator, outs: Sequence[FloatArray]) -> None:
                rng.random(out=outs[0])

            draw_range_into(self.seed, start, stop, fill, [out])
            return out
        from scipy.stats import qmc

        if self.kind == "lhs":
            if self._whole is None:
                self._whole = qmc.LatinHypercube(self.d, rng=self.seed).random(self.n)
            return self._whole[start:stop]
        if self._sobol is None or start < self._next:
            self._sobol = qmc.Sobol(self.d, scramble=True, rng=self.seed)
            self._next = 0
        if start > self._next:
            self._sobol.fast_forward(start - self._next)
        self._next = stop
        import warnings

        with warnings.catch_warnings():  # chunks of a power-of-two design need not be one
            warnings.simplefilter("ignore", UserWarning)
            drawn: FloatArray = self._sobol.random(stop - start)
        return drawn
