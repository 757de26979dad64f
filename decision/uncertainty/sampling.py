"""Random draws for Monte Carlo runs: indicators, judgements and weights, as numpy arrays.

Everything is vectorised over samples, and the ``numpy.random.Generator`` passed in is the only
source of randomness. Reproducibility whatever the chunk size comes from fixed RNG blocks:
sample ``k`` belongs to block ``k // BLOCK`` and is always drawn by that block's own generator
(:func:`block_generator`) as part of a whole block of ``BLOCK`` samples, so a run split into
chunks of any size (see :func:`sample_range` and :func:`draw_range`) draws identical values.
Within a block the caller must make its draws (indicators, judgements, weights, then success
likelihoods) in a fixed order; the likelihoods come last, and only models that give one a
range draw them, so the streams of every other model are unchanged.

Definitions of the distributions (``n`` draws each; ``U`` is uniform on [0, 1)):

- exact number or boolean: the constant (booleans as 0.0 / 1.0);
- ``uniform``: ``low + (high - low) * U``;
- ``triangular``: inverse CDF of the triangular density on [low, high] peaking at ``mode``;
- ``pert``: beta-PERT, ``low + (high - low) * Beta(a, b)`` with
  ``a = 1 + shape * (mode - low) / (high - low)``, ``b = 1 + shape * (high - mode) / (high - low)``;
- ``normal``: normal(mean, sd) conditioned on the indicator's range [low, high] (exact
  truncation by vectorised rejection, never clipping; see :func:`truncated_normal`);
- ``bernoulli``: 1.0 with probability ``p``, else 0.0;
- ``choice``: one of ``values`` with the given probabilities (equal if omitted);
- ``experts``: a linear opinion pool, a mixture: one uniform per draw picks an expert with
  probability proportional to its weight, then that expert's (low, mode, high) is drawn with
  the pool's ``shape`` (as above, PERT with lambda 4); a pool of one expert draws exactly as
  that expert's plain setting. Its inverse CDF is found by bisection on the mixture's CDF.

Zero-width ranges (``low == high``) give that constant exactly.

Correlated indicators (a scenario's ``correlations``) are drawn after the others, with a
Gaussian copula (:class:`Copula`): standard normals correlated by the factor of the copula's
correlation matrix (``2 sin(pi rank / 6)`` for a Spearman ``rank``), mapped to uniforms by the
normal CDF and to each indicator by its inverse CDF (:func:`indicator_quantile`). Scenarios
without correlations draw exactly as before. Correlated performance judgements (a model's
``judgement_correlations``) are drawn the same way (:class:`JudgementCopula`), after every
other draw of the block, through the judgement law's inverse CDF (:func:`judgement_quantile`),
so their marginals are the uncorrelated ones and models without them draw as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.core.weights import normalise_weights
from decision.errors import DecisionError
from decision.specs.scenario import (
    POOL_PERT_SHAPE,
    BernoulliSpec,
    ChoiceSpec,
    ExpertsSpec,
    IndicatorSetting,
    NormalSpec,
    PertSpec,
    TriangularSpec,
    UniformSpec,
    copula_factor,
    gaussian_correlation,
)

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel, ExpertPools, ScenarioInputs

Generator = np.random.Generator
FloatArray = NDArray[np.float64]

#: Samples per RNG block: block ``b`` holds samples ``[b * BLOCK, (b + 1) * BLOCK)``.
BLOCK = 4096

#: Rejection samplers stop with an error when, after ``_PILOT`` proposals, fewer than this
#: share of proposals has been accepted.
MIN_ACCEPTANCE = 1e-3
_PILOT = 65_536
_MAX_ROUND = 1 << 16  # proposals per round: bounds memory, and the pilot is reached soon
_MAX_ROUNDS = 10_000

JudgementShape = Literal["triangular", "uniform", "pert"]


# --------------------------------------------------------------------------------------------
# Reproducible blocks
# --------------------------------------------------------------------------------------------


def block_generator(seed: int, block: int) -> np.random.Generator:
    """The generator of RNG block ``block``: ``PCG64(SeedSequence(seed, spawn_key=(block,)))``."""
    if seed < 0 or block < 0:
        raise DecisionError(
            f"seed and block must not be negative (got seed {seed}, block {block})",
            allowed="integers >= 0",
        )
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def block_generators(seed: int, start_block: int, n_blocks: int) -> list[np.random.Generator]:
    """Generators of blocks ``start_block, ..., start_block + n_blocks - 1``."""
    return [block_generator(seed, b) for b in range(start_block, start_block + n_blocks)]


def sample_range(start: int, stop: int) -> list[tuple[int, slice]]:
    """Split samples ``[start, stop)`` by block: ``(block, slice of offsets within the block)``.

    ``sample_range(4000, 4200) == [(0, slice(4000, 4096)), (1, slice(0, 104))]``.
    """
    if not 0 <= start <= stop:
        raise ValueError(f"need 0 <= start <= stop, got {start}, {stop}")
    parts: list[tuple[int, slice]] = []
    k = start
    while k < stop:
        block, offset = divmod(k, BLOCK)
        end = min(stop - block * BLOCK, BLOCK)
        parts.append((block, slice(offset, end)))
        k = block * BLOCK + end
    return parts


def draw_range(
    seed: int,
    start: int,
    stop: int,
    draw: Callable[[np.random.Generator, int], tuple[NDArray[np.float64], ...]],
) -> tuple[NDArray[np.float64], ...]:
    """Draws for samples ``[start, stop)``, identical whatever chunks the range is split into.

    ``draw(rng, BLOCK)`` must return arrays whose first axis is the sample (length ``BLOCK``);
    it is called once per block touched, with that block's generator, and the rows of the
    requested samples are cut out and concatenated.
    """
    pieces: list[tuple[NDArray[np.float64], ...]] = []
    for block, offsets in sample_range(start, stop):
        arrays = draw(block_generator(seed, block), BLOCK)
        pieces.append(tuple(a[offsets] for a in arrays))
    if not pieces:
        empty = draw(block_generator(seed, 0), BLOCK)
        return tuple(a[:0] for a in empty)
    return tuple(np.concatenate(parts, axis=0) for parts in zip(*pieces, strict=True))


#: ``fill(rng, outs)``: draw one whole block (``BLOCK`` samples) into ``outs``, arrays whose
#: first axis is the sample, in a fixed order of draws.
BlockFill = Callable[[np.random.Generator, Sequence[FloatArray]], None]


def draw_range_into(
    seed: int, start: int, stop: int, fill: BlockFill, outs: Sequence[FloatArray]
) -> None:
    """Draws for samples ``[start, stop)`` into ``outs`` (``stop - start`` rows each): the same
    values as :func:`draw_range`, without its per-block arrays and their concatenation.

    Whole blocks are drawn in place; a block the range only touches is drawn into scratch
    arrays and its rows copied, since a block's draws always come from the whole block.
    """
    scratch: list[FloatArray] | None = None
    at = 0
    for block, offsets in sample_range(start, stop):
        rows = offsets.stop - offsets.start
        if rows == BLOCK:
            fill(block_generator(seed, block), [out[at : at + BLOCK] for out in outs])
        else:
            if scratch is None:
                scratch = [np.empty((BLOCK, *out.shape[1:])) for out in outs]
            fill(block_generator(seed, block), scratch)
            for out, part in zip(outs, scratch, strict=True):
                out[at : at + rows] = part[offsets]
        at += rows


# --------------------------------------------------------------------------------------------
# Elementary distributions (vectorised, parameters broadcast against the sample shape)
# --------------------------------------------------------------------------------------------


def _triangular(u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray) -> FloatArray:
    """Inverse CDF of the triangular distribution at ``u``; zero width gives ``low``."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    split = (mode - low) / safe
    on_left = u < split
    # one square root per draw: sqrt(u * w * (m - l)) left of the mode, else the mirror image
    root = np.sqrt(
        np.where(on_left, u * (width * (mode - low)), (1.0 - u) * (width * (high - mode)))
    )
    out: FloatArray = np.where(on_left, low + root, high - root)
    if not np.all(width > 0):
        out = np.where(width > 0, out, low)
    return out


def _pert(
    rng: np.random.Generator,
    low: FloatArray,
    mode: FloatArray,
    high: FloatArray,
    lam: float,
    size: tuple[int, ...],
) -> FloatArray:
    """Beta-PERT draws of shape ``size``; zero width gives ``low`` exactly."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    alpha = np.where(width > 0, 1.0 + lam * (mode - low) / safe, 1.0)
    beta = np.where(width > 0, 1.0 + lam * (high - mode) / safe, 1.0)
    x = rng.beta(np.broadcast_to(alpha, size), np.broadcast_to(beta, size))
    out: FloatArray = np.where(width > 0, np.clip(low + width * x, low, high), low)
    return out


def _reject_in_rounds(
    rng: np.random.Generator,
    n: int,
    propose: Callable[[np.random.Generator, int], tuple[FloatArray, NDArray[np.bool_]]],
    what: str,
) -> FloatArray:
    """Fill ``n`` rows with accepted proposals, drawing rounds sized by the acceptance so far.

    ``propose(rng, m)`` returns ``m`` candidate rows and which of them are accepted. The number
    and size of rounds depend only on the generator's stream, so results are reproducible.
    """
    chunks: list[FloatArray] = []
    filled = proposed = accepted = 0
    rounds = 0
    while filled < n:
        rate = accepted / proposed if proposed else 1.0
        m = min(max(math.ceil(1.2 * (n - filled) / max(rate, MIN_ACCEPTANCE)), 1024), _MAX_ROUND)
        candidates, ok = propose(rng, m)
        taken = candidates[ok][: n - filled]
        chunks.append(taken)
        filled += len(taken)
        proposed += m
        accepted += int(np.count_nonzero(ok))
        rounds += 1
        if filled < n and (
            (proposed >= _PILOT and accepted < MIN_ACCEPTANCE * proposed) or rounds > _MAX_ROUNDS
        ):
            raise DecisionError(
                f"{what}: too few random draws fall inside the allowed region "
                f"({accepted} of {proposed})",
                allowed="wider ranges",
            )
    if not chunks:
        return np.empty((0,), dtype=np.float64)
    return np.concatenate(chunks, axis=0)


def truncated_normal(
    mean: float, sd: float, low: float, high: float, rng: np.random.Generator, n: int
) -> FloatArray:
    """Normal(mean, sd) conditioned on [low, high] (exact truncation, vectorised rejection).

    Standardised bounds ``a, b`` pick the proposal (Robert 1995), each accepting about half
    of its draws or more whatever the bounds: the normal itself when [a, b] holds 0 and is wider
    than sqrt(2 pi); a uniform on [a, b] when it is narrow; for a range in one tail a uniform
    when ``(b - a)(a + b) <= 2``, else an exponential shifted to ``a`` with the optimal rate.
    """
    if not (math.isfinite(mean) and math.isfinite(sd) and sd > 0):
        raise DecisionError(f"normal needs a finite mean and sd > 0 (got {mean}, {sd})")
    if not low <= high:
        raise DecisionError(f"normal: range low {low:g} is above high {high:g}")
    if low == high:
        return np.full(n, float(low))
    a, b = (low - mean) / sd, (high - mean) / sd
    flip = b < 0  # a range below the mean: sample its mirror image above the mean
    if flip:
        a, b = -b, -a

    def propose(gen: np.random.Generator, m: int) -> tuple[FloatArray, NDArray[np.bool_]]:
        if a <= 0 <= b:
            if b - a >= math.sqrt(2 * math.pi):
                z = gen.standard_normal(m)
                return z, (z >= a) & (z <= b)
            z = a + (b - a) * gen.random(m)
            return z, gen.random(m) <= np.exp(-0.5 * z * z)
        if (b - a) * (a + b) <= 2.0:  # a > 0 here
            z = a + (b - a) * gen.random(m)
            return z, gen.random(m) <= np.exp(0.5 * (a * a - z * z))
        rate = 0.5 * (a + math.sqrt(a * a + 4.0))
        z = a + gen.standard_exponential(m) / rate
        return z, (z <= b) & (gen.random(m) <= np.exp(-0.5 * (z - rate) ** 2))

    z = _reject_in_rounds(rng, n, propose, "truncated normal")
    if flip:
        z = -z
    # rounding of mean + sd * z may step an ulp outside the range: that is not clipping the law
    out: FloatArray = np.clip(mean + sd * z, low, high)
    return out


# --------------------------------------------------------------------------------------------
# Indicators and judgements
# --------------------------------------------------------------------------------------------


def _uniform(setting: UniformSpec, low: float, high: float, rng: Generator, n: int) -> FloatArray:
    if setting.low == setting.high:
        return np.full(n, float(setting.low))
    u = rng.random(n)
    out: FloatArray = np.clip(
        setting.low + (setting.high - setting.low) * u, setting.low, setting.high
    )
    return out


def _mode_range(
    setting: TriangularSpec | PertSpec, low: float, high: float, rng: Generator, n: int
) -> FloatArray:
    if setting.low == setting.high:
        return np.full(n, float(setting.low))
    lo, mo, hi = (np.array(x, dtype=np.float64) for x in (setting.low, setting.mode, setting.high))
    if isinstance(setting, TriangularSpec):
        return _triangular(rng.random(n), lo, mo, hi)
    return _pert(rng, lo, mo, hi, setting.shape, (n,))


def _normal(setting: NormalSpec, low: float, high: float, rng: Generator, n: int) -> FloatArray:
    return truncated_normal(setting.mean, setting.sd, low, high, rng, n)


def _bernoulli(
    setting: BernoulliSpec, low: float, high: float, rng: Generator, n: int
) -> FloatArray:
    out: FloatArray = (rng.random(n) < setting.p).astype(np.float64)
    return out


def _choice(setting: ChoiceSpec, low: float, high: float, rng: Generator, n: int) -> FloatArray:
    values = np.array([float(v) for v in setting.values], dtype=np.float64)
    if setting.probabilities is None:
        probs = np.full(len(values), 1.0 / len(values))
    else:
        probs = np.array(setting.probabilities, dtype=np.float64)
    cdf = np.cumsum(probs)
    if not cdf[-1] > 0:
        raise DecisionError("choice probabilities are all zero", allowed="some p > 0")
    cdf = cdf / cdf[-1]  # last entry exactly 1.0, so an index past the end cannot occur
    index = np.searchsorted(cdf, rng.random(n), side="right")
    chosen: FloatArray = values[np.minimum(index, len(values) - 1)]
    return chosen


def _expert_arrays(setting: ExpertsSpec) -> tuple[FloatArray, ...]:
    """The pool's (low, mode, high, weight) as ``(e,)`` arrays, weights summing to 1."""
    low, mode, high, weight = (
        np.array([float(getattr(e, name)) for e in setting.experts], dtype=np.float64)
        for name in ("low", "mode", "high", "weight")
    )
    return low, mode, high, weight / weight.sum()


def _experts(setting: ExpertsSpec, low: float, high: float, rng: Generator, n: int) -> FloatArray:
    single = setting.single()
    if single is not None:
        return draw_indicator(single, low, high, rng, n)
    lows, modes, highs, weights = _expert_arrays(setting)
    cdf = np.cumsum(weights)
    cdf[-1] = 1.0  # rounding: a uniform below 1 never passes the last expert
    pick = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), weights.size - 1)
    lo, mo, hi = lows[pick], modes[pick], highs[pick]  # (n,) each sample's expert
    if setting.shape == "triangular":
        return _triangular(rng.random(n), lo, mo, hi)
    if setting.shape == "pert":
        return _pert(rng, lo, mo, hi, POOL_PERT_SHAPE, (n,))
    out: FloatArray = np.where(hi > lo, np.clip(lo + (hi - lo) * rng.random(n), lo, hi), lo)
    return out


def experts_cdf(setting: ExpertsSpec, x: FloatArray) -> FloatArray:
    """The pool's CDF at ``x`` (any shape): the weighted sum of the experts' CDFs (a
    zero-width expert is a step at its value). One pass per expert, vectorised over ``x``."""
    lows, modes, highs, weights = _expert_arrays(setting)
    total = np.zeros(np.shape(x), dtype=np.float64)
    for lo, mo, hi, w in zip(lows, modes, highs, weights, strict=True):
        width = hi - lo
        if width <= 0:
            part: FloatArray = (x >= lo).astype(np.float64)
        else:
            with np.errstate(over="ignore"):  # a subnormal width: +-inf, clipped to 0 or 1
                t = np.clip((x - lo) / width, 0.0, 1.0)
            if setting.shape == "uniform":
                part = t
            elif setting.shape == "pert":
                from scipy.special import betainc  # type: ignore[import-untyped]

                alpha = 1.0 + POOL_PERT_SHAPE * (mo - lo) / width
                beta = 1.0 + POOL_PERT_SHAPE * (hi - mo) / width
                part = betainc(alpha, beta, t)
            else:
                split = (mo - lo) / width
                rising = t < split  # each side divided only where it applies: a mode a
                # subnormal above low made t * t / split overflow where it was not used
                left = np.divide(t * t, split, out=np.zeros_like(t), where=rising)
                right = 1.0 - np.divide(
                    (1.0 - t) ** 2, 1.0 - split, out=np.zeros_like(t),
                    where=~rising & (split < 1),
                )
                part = np.where(rising, left, right)
        total += w * part
    out: FloatArray = np.clip(total, 0.0, 1.0)
    return out


#: Absolute tolerance of the pooled inverse CDF (bisection), relative to the pool's range.
POOL_QUANTILE_TOLERANCE = 1e-12


def _experts_quantile(setting: ExpertsSpec, u: FloatArray) -> FloatArray:
    """Inverse CDF of the pool, ``inf {x : F(x) >= u}``, by vectorised bisection on its CDF
    to :data:`POOL_QUANTILE_TOLERANCE` of the range: every ``u`` takes the same steps on
    the same bracket, so the result is nondecreasing in ``u``."""
    single = setting.single()
    if single is not None:
        return indicator_quantile(single, single.low, single.high, u)
    lowest, highest = setting.low, setting.high
    below = np.full(u.shape, lowest)
    above = np.full(u.shape, highest)
    if highest > lowest:
        steps = math.ceil(math.log2(1.0 / POOL_QUANTILE_TOLERANCE)) + 1
        for _ in range(steps):  # a fixed number of halvings, each vectorised over u
            middle = 0.5 * (below + above)
            reached = experts_cdf(setting, middle) >= u
            above = np.where(reached, middle, above)
            below = np.where(reached, below, middle)
    out: FloatArray = np.where(
        u <= 0, lowest, np.where(u >= 1, highest, np.clip(above, lowest, highest))
    )
    return out


#: The draw function of each distribution, by its ``dist`` (see :mod:`decision.specs.scenario`).
DRAWS: dict[str, Callable[[Any, float, float, Generator, int], FloatArray]] = {
    "uniform": _uniform,
    "triangular": _mode_range,
    "pert": _mode_range,
    "normal": _normal,
    "bernoulli": _bernoulli,
    "choice": _choice,
    "experts": _experts,
}


def draw_indicator(
    setting: IndicatorSetting | int,
    low: float,
    high: float,
    rng: Generator,
    n: int,
) -> FloatArray:
    """``n`` draws ``(n,)`` of one indicator setting (see the module docstring for each law).

    ``low`` and ``high`` are the indicator's range; only the normal uses them (it is truncated
    to that range); the other distributions carry their own bounds.
    """
    if isinstance(setting, bool | int | float):
        return np.full(n, float(setting))
    draw = DRAWS.get(getattr(setting, "dist", ""))
    if draw is None:
        raise DecisionError(f"unknown indicator setting {setting!r}")
    return draw(setting, low, high, rng, n)


def indicator_quantile(
    setting: IndicatorSetting, low: float, high: float, u: FloatArray
) -> FloatArray:
    """Inverse CDF at ``u`` (each in [0, 1]) of a distribution setting: nondecreasing in
    ``u``, so uniforms keep their ranks. ``low`` and ``high``: the indicator's range (the
    normal is truncated to it); zero-width ranges give their constant."""
    if isinstance(setting, UniformSpec):
        out: FloatArray = np.clip(
            setting.low + (setting.high - setting.low) * u, setting.low, setting.high
        )
        return out
    if isinstance(setting, TriangularSpec | PertSpec):
        if setting.low == setting.high:
            return np.full(u.shape, float(setting.low))
        lo, mo, hi = (
            np.array(x, dtype=np.float64) for x in (setting.low, setting.mode, setting.high)
        )
        if isinstance(setting, TriangularSpec):
            out = np.clip(_triangular(u, lo, mo, hi), lo, hi)
            return out
        from scipy.special import betaincinv

        width = hi - lo
        alpha = 1.0 + setting.shape * (mo - lo) / width
        beta = 1.0 + setting.shape * (hi - mo) / width
        q = betaincinv(alpha, beta, u)
        q = np.where(np.isnan(q), u >= 0.5, q)  # u below ~1e-200 has no answer: the bound
        out = np.clip(lo + width * q, lo, hi)
        return out
    if isinstance(setting, NormalSpec):
        if low == high:
            return np.full(u.shape, float(low))
        from scipy.stats import truncnorm  # type: ignore[import-untyped]

        za, zb = (low - setting.mean) / setting.sd, (high - setting.mean) / setting.sd
        q = truncnorm.ppf(u, za, zb, loc=setting.mean, scale=setting.sd)
        # the bounds exactly at u = 0 and 1 (mean + sd * z may round past them)
        out = np.clip(np.where(u <= 0, low, np.where(u >= 1, high, q)), low, high)
        return out
    if isinstance(setting, BernoulliSpec):
        out = (1.0 - u < setting.p).astype(np.float64)  # true on the top share p of u
        return out
    if isinstance(setting, ChoiceSpec):
        values = np.array([float(v) for v in setting.values], dtype=np.float64)
        probs = (
            np.full(values.size, 1.0 / values.size)
            if setting.probabilities is None
            else np.array(setting.probabilities, dtype=np.float64)
        )
        order = np.argsort(values, kind="stable")  # ascending values: a monotone inverse
        cdf = np.cumsum(probs[order])
        cdf = cdf / cdf[-1]
        index = np.minimum(np.searchsorted(cdf, u, side="right"), values.size - 1)
        chosen: FloatArray = values[order][index]
        return chosen
    if isinstance(setting, ExpertsSpec):
        return _experts_quantile(setting, u)
    raise DecisionError(f"no inverse CDF for indicator setting {setting!r}")


@dataclass(frozen=True)
class Copula:
    """The correlated indicators of a scenario, drawn together with a Gaussian copula."""

    positions: tuple[int, ...]  # (m,) indicator positions, ascending
    settings: tuple[Any, ...]  # (m,) their distribution settings
    low: tuple[float, ...]  # (m,) their ranges
    high: tuple[float, ...]
    factor: FloatArray  # (m, m) lower-triangular: factor @ factor.T is the copula's matrix

    @classmethod
    def build(cls, model: CompiledModel, inputs: ScenarioInputs) -> Copula | None:
        """The scenario's copula, or None when it correlates no indicators."""
        positions = tuple(sorted({k for a, b, _ in inputs.correlations for k in (a, b)}))
        if not positions:
            return None
        at = {k: j for j, k in enumerate(positions)}
        matrix = np.eye(len(positions))
        for a, b, rank in inputs.correlations:
            matrix[at[a], at[b]] = matrix[at[b], at[a]] = gaussian_correlation(rank)
        factor = copula_factor(matrix.tolist())
        if factor is None:
            raise DecisionError(
                "the indicator correlations make no positive semi-definite matrix",
                allowed="rank correlations that some joint law can have",
            )
        return cls(
            positions,
            tuple(inputs.settings[k] for k in positions),
            tuple(float(model.low[k]) for k in positions),
            tuple(float(model.high[k]) for k in positions),
            np.array(factor, dtype=np.float64),
        )

    def draw(self, rng: np.random.Generator, values: FloatArray) -> None:
        """Draw the correlated columns of ``values (n, i)`` in place: ``(n, m)`` standard
        normals, correlated, to uniforms, to each indicator's inverse CDF."""
        from scipy.special import ndtr

        z = rng.standard_normal((values.shape[0], len(self.positions)))
        u = ndtr(z @ self.factor.T)
        for j, k in enumerate(self.positions):  # one column per indicator, not per sample
            values[:, k] = indicator_quantile(self.settings[j], self.low[j], self.high[j], u[:, j])


def judgement_quantile(
    shape: JudgementShape,
    u: FloatArray,
    low: FloatArray,
    mode: FloatArray,
    high: FloatArray,
    pert_shape: float = 4.0,
) -> FloatArray:
    """Inverse CDF at ``u`` of the judgement law ``shape`` on [low, high] (mode at ``mode``;
    ``uniform`` ignores it), broadcast; nondecreasing in ``u``."""
    if shape == "triangular":
        out: FloatArray = np.clip(_triangular(u, low, mode, high), low, high)
        return out
    width = high - low
    if shape == "uniform":
        out = np.clip(low + width * u, low, high)
        return out
    from scipy.special import betaincinv

    safe = np.where(width > 0, width, 1.0)
    q = betaincinv(1.0 + pert_shape * (mode - low) / safe, 1.0 + pert_shape * (high - mode) / safe,
                   u)
    q = np.where(np.isnan(q), u >= 0.5, q)
    out = np.clip(low + width * q, low, high)
    return out


@dataclass(frozen=True)
class JudgementCopula:
    """The model's correlated performance judgements, drawn together with a Gaussian copula."""

    option: NDArray[np.intp]  # (m,) positions of the correlated judgements
    criterion: NDArray[np.intp]  # (m,)
    low: FloatArray  # (m,) each judgement's law
    mode: FloatArray
    high: FloatArray
    factor: FloatArray  # (m, m) lower-triangular: factor @ factor.T is the copula's matrix
    shape: JudgementShape

    @classmethod
    def build(cls, model: CompiledModel) -> JudgementCopula | None:
        """The model's judgement copula, or None when it correlates no judgements."""
        pairs = [p for p in model.spec.judgement_correlations if p.rank]
        keys = sorted({key for p in pairs for key in p.between})
        if not keys:
            return None
        at = {key: j for j, key in enumerate(keys)}
        matrix = np.eye(len(keys))
        for pair in pairs:
            a, b = at[pair.between[0]], at[pair.between[1]]
            matrix[a, b] = matrix[b, a] = gaussian_correlation(pair.rank)
        factor = copula_factor(matrix.tolist())
        if factor is None:  # validation refuses such a model
            raise DecisionError(
                "the judgement correlations make no positive semi-definite matrix",
                allowed="rank correlations that some joint law can have",
            )
        options, criteria = model.index("options"), model.index("criteria")
        o = np.array([options[k.split(".")[0]] for k in keys], dtype=np.intp)
        c = np.array([criteria[k.split(".")[1]] for k in keys], dtype=np.intp)
        return cls(o, c, model.judgement_low[o, c], model.judgement[o, c],
                   model.judgement_high[o, c], np.array(factor, dtype=np.float64),
                   model.spec.judgement_distribution)

    def draw(self, rng: np.random.Generator, judgement: FloatArray) -> None:
        """Draw the correlated judgements of ``judgement (n, o, c)`` in place: ``(n, m)``
        correlated standard normals, to uniforms, to each judgement's inverse CDF."""
        from scipy.special import ndtr

        z = rng.standard_normal((judgement.shape[0], self.option.size))
        u = ndtr(z @ self.factor.T)
        judgement[:, self.option, self.criterion] = judgement_quantile(
            self.shape, u, self.low, self.mode, self.high
        )


#: Judgement values drawn per slice for the PERT and uniform shapes (see :func:`draw_judgements`).
JUDGEMENT_SLICE_VALUES = 1 << 20
#: Judgement values per slab of the triangular inverse CDF: its few working arrays stay in the
#: processor's cache.
TRIANGULAR_SLAB_VALUES = 1 << 14


class JudgementSampler:
    """Draws of judgements ``(n, *value.shape)``, each within its [low, high]: the parameters
    are checked and prepared once, then :meth:`draw` is called per block of samples.

    ``shape``: ``"triangular"`` (mode = value, the default), ``"pert"`` (beta-PERT with most
    likely value = value and shape ``pert_shape``) or ``"uniform"`` (value ignored). Zero-width
    ranges give their value exactly.

    The triangular inverse CDF is :func:`_triangular`'s arithmetic, operation for operation, so
    the draws are the same bits; it runs in place over slabs of rows against parameters tiled
    to the slab, with the branch of each draw chosen by bit masks: ``np.where`` on a random
    condition mispredicts half its branches and cost more than all the arithmetic.
    """

    def __init__(
        self,
        value: ArrayLike,
        low: ArrayLike,
        high: ArrayLike,
        shape: JudgementShape = "triangular",
        pert_shape: float = 4.0,
    ) -> None:
        v = np.asarray(value, dtype=np.float64)
        lo = np.broadcast_to(np.asarray(low, dtype=np.float64), v.shape)
        hi = np.broadcast_to(np.asarray(high, dtype=np.float64), v.shape)
        if not (np.all(np.isfinite(v)) and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
            raise DecisionError("judgements and their ranges must be finite numbers")
        if np.any(lo > v) or np.any(v > hi):
            raise DecisionError(
                "each judgement must lie within its range", allowed="low <= value <= high"
            )
        if shape not in ("triangular", "uniform", "pert"):
            raise DecisionError(
                f"unknown judgement shape {shape!r}", allowed="triangular, uniform, pert"
            )
        self.value, self.low, self.high = v, lo, hi
        self.shape: JudgementShape = shape
        self.pert_shape = pert_shape
        if shape == "triangular":
            k = max(1, v.size)
            self._rows = max(1, TRIANGULAR_SLAB_VALUES // k)
            flat = [x.reshape(1, -1) for x in (v, lo, hi)]
            mode, low_, high_ = flat
            width = high_ - low_
            safe = np.where(width > 0, width, 1.0)
            # the parameters of _triangular, computed as it computes them, tiled to a slab
            params = (
                (mode - low_) / safe,  # split
                width * (mode - low_),  # left
                width * (high_ - mode),  # right
                low_,
                high_,
            )
            self._params = [np.ascontiguousarray(np.repeat(p, self._rows, axis=0)) for p in params]
            self._flat_zero = np.flatnonzero(~(width[0] > 0))
            self._flat_value = mode[0]

    def draw(
        self, rng: np.random.Generator, n: int, out: FloatArray | None = None
    ) -> FloatArray:
        """``n`` draws ``(n, *value.shape)``, written into ``out`` when it is given."""
        v, lo, hi = self.value, self.low, self.high
        result: FloatArray = np.empty((n, *v.shape)) if out is None else out
        if self.shape == "triangular":
            if not result.flags.c_contiguous:
                raise ValueError("judgements are drawn into C-contiguous arrays only")
            self._triangular(rng, result.reshape(n, v.size))  # a view: contiguous
            return result
        # Drawn in slices of rows: the generator fills values in order, so the draws are the
        # same as in one call, and the temporaries stay small for models with many options.
        rows = max(1, JUDGEMENT_SLICE_VALUES // max(1, v.size))
        for start in range(0, n, rows):
            size = (min(rows, n - start), *v.shape)
            if self.shape == "uniform":
                drawn = np.where(hi > lo, np.clip(lo + (hi - lo) * rng.random(size), lo, hi), lo)
            else:
                drawn = _pert(rng, lo, v, hi, self.pert_shape, size)
            # zero-width ranges: the judgement itself, exactly
            result[start : start + size[0]] = np.where(hi > lo, drawn, v)
        return result

    def _triangular(self, rng: np.random.Generator, result: FloatArray) -> None:
        """Triangular draws into ``result (n, k)``, a C-contiguous array, slab by slab."""
        n, k = result.shape
        if n == 0 or k == 0:
            return
        rows = min(self._rows, n)
        t = np.empty((rows, k))
        d = np.empty((rows, k))
        mask = np.empty((rows, k), dtype=np.int64)
        flip = np.empty((rows, k), dtype=np.int64)
        split, left, right, low, high = (p[:rows] for p in self._params)
        for start in range(0, n, rows):
            m = min(rows, n - start)
            u = result[start : start + m]
            rng.random(out=u)  # the generator fills values in order: slabs change no draw
            if m < rows:
                t, d, mask, flip = t[:m], d[:m], mask[:m], flip[:m]
                split, left, right, low, high = (p[:m] for p in (split, left, right, low, high))
            ti, di, ui = t.view(np.int64), d.view(np.int64), u.view(np.int64)
            # all ones where u < split (the left branch): the sign bit of u - split, which is
            # negative exactly when u < split
            np.subtract(u, split, out=d)
            np.right_shift(di, 63, out=mask)
            np.invert(mask, out=flip)
            np.subtract(1.0, u, out=t)
            np.multiply(t, right, out=t)  # (1 - u) * (w * (high - mode))
            np.multiply(u, left, out=u)  # u * (w * (mode - low))
            # t = left branch where mask, else right: t ^ ((t ^ u) & mask)
            np.bitwise_xor(ti, ui, out=di)
            np.bitwise_and(di, mask, out=di)
            np.bitwise_xor(ti, di, out=ti)
            np.sqrt(t, out=t)
            np.add(low, t, out=u)  # low + root
            np.subtract(high, t, out=t)  # high - root
            # u = low + root where mask, else high - root: u ^ ((u ^ t) & ~mask)
            np.bitwise_xor(ui, ti, out=di)
            np.bitwise_and(di, flip, out=di)
            np.bitwise_xor(ui, di, out=ui)
        if self._flat_zero.size:  # zero-width ranges: the judgement itself, exactly
            result[:, self._flat_zero] = self._flat_value[self._flat_zero]


class ExpertPoolSampler:
    """Draws of the judgements pooled from several experts (a linear opinion pool): per sample
    and judgement one uniform picks an expert with probability proportional to its weight, then
    that expert's (low, mode, high) is drawn with the judgement shape (mode ignored by
    ``uniform``). Vectorised over samples and judgements; the loop runs over expert slots."""

    def __init__(
        self, pools: ExpertPools, shape: JudgementShape = "triangular", pert_shape: float = 4.0
    ) -> None:
        self.pools, self.shape, self.pert_shape = pools, shape, pert_shape
        cdf = np.cumsum(pools.weight, axis=1)
        cdf[:, -1] = 1.0  # rounding: a uniform below 1 never passes the last expert
        self._cdf = cdf[:, :-1]  # (e, m - 1): thresholds between consecutive experts
        self._rows = np.arange(pools.columns.size)

    def draw(self, rng: np.random.Generator, judgement: FloatArray) -> None:
        """Draw the pooled judgements of ``judgement (n, o, c)`` in place (their columns)."""
        n = judgement.shape[0]
        e = self.pools.columns.size
        u = rng.random((n, e))
        pick = np.zeros((n, e), dtype=np.intp)
        for j in range(self._cdf.shape[1]):
            pick += u >= self._cdf[:, j]
        low, mode, high = (
            p[self._rows, pick] for p in (self.pools.low, self.pools.mode, self.pools.high)
        )
        if self.shape == "triangular":
            drawn = _triangular(rng.random((n, e)), low, mode, high)
        elif self.shape == "pert":
            drawn = _pert(rng, low, mode, high, self.pert_shape, (n, e))
        else:
            drawn = np.where(
                high > low, np.clip(low + (high - low) * rng.random((n, e)), low, high), low
            )
        option, criterion = np.divmod(self.pools.columns, judgement.shape[2])
        judgement[:, option, criterion] = drawn


def draw_judgements(
    value: ArrayLike,
    low: ArrayLike,
    high: ArrayLike,
    rng: np.random.Generator,
    n: int,
    shape: JudgementShape = "triangular",
    pert_shape: float = 4.0,
) -> FloatArray:
    """``n`` draws ``(n, *value.shape)`` of judgements, each within its [low, high].

    ``shape``: ``"triangular"`` (mode = value, the default), ``"pert"`` (beta-PERT with most
    likely value = value and shape ``pert_shape``) or ``"uniform"`` (value ignored). Zero-width
    ranges give their value exactly. See :class:`JudgementSampler`, which draws into a buffer.
    """
    return JudgementSampler(value, low, high, shape, pert_shape).draw(rng, n)


# --------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------

WeightKind = Literal["exact", "intervals", "ordinal", "missing"]


@dataclass(frozen=True)
class WeightModel:
    """What is known about the criterion weights (build it with the class methods).

    - ``exact``: the weights (normalised once, by :func:`normalise_weights`);
    - ``intervals``: bounds ``low[i] <= w[i] <= high[i]`` on the NORMALISED weights;
    - ``ordinal``: ``ranking`` lists criterion indices from most to least important
      (``w[ranking[0]] >= w[ranking[1]] >= ...``); unlisted criteria are unconstrained;
    - ``missing``: nothing is known: uniform on the simplex.
    """

    kind: WeightKind
    n_criteria: int
    weights: tuple[float, ...] = ()
    low: tuple[float, ...] = ()
    high: tuple[float, ...] = ()
    ranking: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        c = self.n_criteria
        if c < 1:
            raise DecisionError("a weight model needs at least one criterion")
        if self.kind == "exact":
            if len(self.weights) != c:
                raise DecisionError(f"need {c} weights, got {len(self.weights)}")
            normalise_weights(self.weights)  # validates
        elif self.kind == "intervals":
            if len(self.low) != c or len(self.high) != c:
                raise DecisionError(f"need {c} weight bounds on each side")
            lo, hi = np.array(self.low), np.array(self.high)
            if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
                raise DecisionError("weight bounds must be finite numbers")
            if np.any(lo < 0) or np.any(hi > 1) or np.any(lo > hi):
                raise DecisionError(
                    "weight bounds must satisfy 0 <= low <= high <= 1",
                    allowed="bounds on the normalised weights",
                )
            if math.fsum(self.low) > 1 + 1e-12 or math.fsum(self.high) < 1 - 1e-12:
                raise DecisionError(
                    f"weight bounds cannot be met: the lows sum to {math.fsum(self.low):g} "
                    f"and the highs to {math.fsum(self.high):g}",
                    allowed="sum of lows <= 1 <= sum of highs",
                )
        elif self.kind == "ordinal":
            if len(set(self.ranking)) != len(self.ranking) or any(
                not 0 <= i < c for i in self.ranking
            ):
                raise DecisionError(
                    f"ranking must list distinct criterion indices in [0, {c})",
                    allowed="each criterion at most once",
                )
        elif self.kind != "missing":
            raise DecisionError(
                f"unknown weight model {self.kind!r}", allowed="exact, intervals, ordinal, missing"
            )

    @classmethod
    def exact_weights(cls, weights: Sequence[float]) -> WeightModel:
        """Known weights (any positive scale)."""
        return cls("exact", len(weights), weights=tuple(float(w) for w in weights))

    @classmethod
    def intervals(cls, low: Sequence[float], high: Sequence[float]) -> WeightModel:
        """Bounds on each normalised weight."""
        return cls("intervals", len(low), low=tuple(map(float, low)), high=tuple(map(float, high)))

    @classmethod
    def ordinal(cls, ranking: Sequence[int], n_criteria: int | None = None) -> WeightModel:
        """An importance ranking (most important first); all criteria if ``n_criteria`` is None."""
        c = len(ranking) if n_criteria is None else n_criteria
        return cls("ordinal", c, ranking=tuple(int(i) for i in ranking))

    @classmethod
    def missing(cls, n_criteria: int) -> WeightModel:
        """No weight information: uniform on the simplex."""
        return cls("missing", n_criteria)


def _dirichlet1(rng: np.random.Generator, n: int, c: int) -> FloatArray:
    """Uniform on the simplex (Dirichlet(1, ..., 1)): normalised standard exponentials."""
    return normalise_weights(rng.standard_exponential((n, c)))


def _interval_weights(model: WeightModel, rng: np.random.Generator, n: int) -> FloatArray:
    """Uniform on {simplex} ∩ {box}: shift a uniform simplex point above the lows, reject highs.

    Bounds are first tightened to the ones implied by the others (same feasible set, fewer
    rejections); ``w = low + (1 - sum(low)) * d`` with ``d`` uniform on the simplex is uniform
    on the simplex above the lows (an affine map), and rejecting ``w > high`` leaves it uniform
    on the intersection. Fixed coordinates (``low == high``) are set and not sampled.
    """
    lo = np.array(model.low, dtype=np.float64)
    hi = np.array(model.high, dtype=np.float64)
    lo = np.maximum(lo, 1.0 - (math.fsum(hi) - hi))  # the others can take at most their highs
    hi = np.minimum(hi, 1.0 - (math.fsum(lo) - lo))  # ... and must take at least their lows
    free = hi - lo > 1e-12
    out = np.broadcast_to(lo, (n, len(lo))).copy()
    slack = 1.0 - math.fsum(lo)
    if not np.any(free) or slack <= 0:
        return out
    f_lo, f_room = lo[free], hi[free] - lo[free]
    k = int(np.count_nonzero(free))

    def propose(gen: np.random.Generator, m: int) -> tuple[FloatArray, NDArray[np.bool_]]:
        d = slack * _dirichlet1(gen, m, k)
        return d, np.all(d <= f_room, axis=1)

    d = _reject_in_rounds(rng, n, propose, "weight intervals")
    out[:, free] = f_lo + d
    return out


def draw_weights(model: WeightModel, rng: np.random.Generator, n: int) -> FloatArray:
    """``n`` weight vectors ``(n, c)``, each summing to 1 (up to rounding).

    ``missing``: uniform on the simplex (normalised exponentials; never normalised uniforms,
    which are biased). ``ordinal``: a uniform simplex point whose ranked coordinates are sorted
    and assigned by rank, which is uniform on the ordinal cone (the law is exchangeable, so
    sorting maps it k!-to-1 onto the cone). ``intervals``: see :func:`_interval_weights`.
    """
    c = model.n_criteria
    if model.kind == "exact":
        return np.broadcast_to(normalise_weights(model.weights), (n, c)).copy()
    if model.kind == "intervals":
        return _interval_weights(model, rng, n)
    w = _dirichlet1(rng, n, c)
    if model.kind == "ordinal" and len(model.ranking) > 1:
        idx = np.array(model.ranking)
        w[:, idx] = -np.sort(-w[:, idx], axis=1)
    return w


def weight_model(model: CompiledModel, inputs: ScenarioInputs) -> WeightModel:
    """The scenario's knowledge about weights, as a sampler's weight model."""
    spec = inputs.weight_uncertainty
    c = len(model.criteria)
    if spec is None or spec.kind == "exact":
        return WeightModel.exact_weights(list(normalise_weights(inputs.weights)))
    if spec.kind == "missing":
        return WeightModel.missing(c)
    index = model.index("criteria")
    if spec.kind == "ordinal":
        return WeightModel.ordinal([index[name] for name in spec.ranking], c)
    low = [0.0] * c
    high = [1.0] * c
    for name, (lo, hi) in spec.intervals.items():
        low[index[name]], high[index[name]] = lo, hi
    return WeightModel.intervals(low, high)


def likelihood_shape(model: CompiledModel) -> tuple[int]:
    """Shape of one sample's success likelihoods: ``(l,)`` for the model's ``l`` options with
    one (``(0,)`` when none has)."""
    likelihoods = model.likelihoods
    return (0 if likelihoods is None else likelihoods.options.size,)


def block_filler(model: CompiledModel, inputs: ScenarioInputs, weights: WeightModel) -> BlockFill:
    """Draw one block into ``(values (n, i), judgement (n, o, c), weights (n, c))`` and, when
    a fourth array ``likelihood (n, l)`` is given, the success likelihoods: indicators (the
    uncorrelated ones, then the correlated ones with the :class:`Copula`), then
    judgements, then weights, then likelihoods, then the judgements pooled from several experts
    (:class:`ExpertPoolSampler`, overwriting their first draws), then the correlated judgements
    (:class:`JudgementCopula`, likewise; a fixed order). Likelihoods with
    a range are drawn like the judgements (the model's ``judgement_distribution``, mode at the
    value), whether or not the caller keeps them, so the draws are the same for every caller."""
    copula = Copula.build(model, inputs)
    correlated = set(copula.positions) if copula is not None else set()
    uncertain = sorted((k, s) for k, s in inputs.settings.items() if k not in correlated)
    judgements = JudgementSampler(
        model.judgement,
        model.judgement_low,
        model.judgement_high,
        model.spec.judgement_distribution,
    )
    likelihoods = model.likelihoods
    chances = (
        JudgementSampler(
            likelihoods.value,
            likelihoods.low,
            likelihoods.high,
            model.spec.judgement_distribution,
        )
        if likelihoods is not None and likelihoods.uncertain
        else None
    )
    pooled = (
        ExpertPoolSampler(model.experts, model.spec.judgement_distribution)
        if model.experts is not None
        else None
    )
    correlated_judgements = JudgementCopula.build(model)

    def fill(rng: np.random.Generator, outs: Sequence[FloatArray]) -> None:
        values, judgement, w = outs[:3]
        n = values.shape[0]
        values[:] = inputs.values
        for k, setting in uncertain:
            values[:, k] = draw_indicator(
                setting, float(model.low[k]), float(model.high[k]), rng, n
            )
        if copula is not None:  # after the others: uncorrelated scenarios draw as before
            copula.draw(rng, values)
        judgements.draw(rng, n, judgement)
        w[:] = draw_weights(weights, rng, n)
        kept = outs[3] if len(outs) > 3 else None
        if chances is not None:
            chances.draw(rng, n, kept)
        elif kept is not None and likelihoods is not None:
            kept[:] = likelihoods.value
        if pooled is not None:  # after the rest: models without experts draw as before
            pooled.draw(rng, judgement)
        if correlated_judgements is not None:  # last, for the same reason
            correlated_judgements.draw(rng, judgement)

    return fill


def block_drawer(
    model: CompiledModel, inputs: ScenarioInputs, weights: WeightModel, *, likelihood: bool = False
) -> Callable[[np.random.Generator, int], tuple[NDArray[np.float64], ...]]:
    """Draw one block: indicators, then judgements, then weights, then likelihoods (a fixed
    order; see :func:`block_filler`); the likelihoods are returned as a fourth array when
    ``likelihood`` is true."""
    fill = block_filler(model, inputs, weights)
    shapes: tuple[tuple[int, ...], ...] = (
        inputs.values.shape,
        model.judgement.shape,
        (len(model.criteria),),
    )
    if likelihood:
        shapes = (*shapes, likelihood_shape(model))

    def draw(rng: np.random.Generator, n: int) -> tuple[NDArray[np.float64], ...]:
        outs = tuple(np.empty((n, *shape)) for shape in shapes)
        fill(rng, outs)
        return outs

    return draw
