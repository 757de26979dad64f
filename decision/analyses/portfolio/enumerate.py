"""Bundles: the recommendations as a portfolio, enumerated exactly over plain arrays.

A government adopts several recommendations at once, within limited resources, and some
reinforce or undercut each other (portfolio decision analysis; cf. Robust Portfolio Modeling,
Liesiö, Mild and Salo 2007). With ``n <= 20`` options every bundle can be enumerated, so the
answers here are exact: no heuristics, no solver.

Conventions
-----------
- A bundle is a bit mask over the options (``uint32``): bit ``i`` set means option ``i`` is
  adopted. Mask 0 is the empty bundle (adopt nothing); it is always feasible and worth 0.
- Value of a bundle in a sample: the members' values added one at a time in increasing option
  order starting from 0.0, then the value of every interaction whose members are all in the
  bundle, in list order. Resource use: the members' costs added in the same order. This fixed
  order makes every figure bit-identical whatever the chunk sizes.
- Feasible in a sample: every member eligible and available, no excluded pair adopted together,
  every dependency ``(b, a)`` met (``b`` adopted only with ``a``), resource use within every
  budget (``use <= budget``; ``inf`` means unlimited).
- Ties: among feasible bundles of equal value (for dominance: equal value and equal costs) the
  lowest mask wins. So does the most probable best bundle among equally probable ones.
- Frontier: on the mean problem, bundles no other feasible bundle beats with at least the value
  and at most the cost of the resource, strictly better somewhere (exact ties: lowest mask).
- Core index (Robust Portfolio Modeling's reading, budgets as constraints): the non-dominated
  bundles are taken to be the potentially optimal ones, i.e. the distinct bundles that are the
  best feasible bundle in at least one sample (each is non-dominated across the samples; the
  set can miss non-dominated bundles that are never best). An option's core index is the share
  of those bundles that contain it: core (all of them), exterior (none), borderline otherwise.
  With one sample it is 1 for the members of the best bundle and 0 for the rest.

Everything is vectorised over bundles and samples: per chunk, every bundle's value and resource
use are built by doubling (``2**n`` subset sums, one pass per option bit), constraints and
interactions are strided views of the bundle axis (bit patterns), and infeasible bundles are set
to ``-inf``. Work is chunked over samples (about ``2**19`` sample-bundle pairs per chunk) and,
when one sample's bundles would not fit the memory cap (or ``chunk_bundles`` asks for it), over
blocks of bundles sharing their high bits. The only Python loops are over chunks, blocks, option
bits, and the (few) constraints and interactions.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from decision.errors import DecisionError
from decision.results import SKIP

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
MaskArray = NDArray[np.uint32]
IndexArray = NDArray[np.intp]

MAX_OPTIONS = 20
MAX_BLOCK_BITS = 20  # bundles per block at most 2**20
CHUNK_ELEMENTS = 1 << 19  # samples x bundles per chunk (tens of MB of work arrays)
MAX_CHUNK_BYTES = 192 << 20  # cap on a chunk's work arrays (worst case estimate)
GRID_CELLS = 4096  # cost grid cells per sample for pruning dominated bundles
CORE, BORDERLINE, EXTERIOR = "core", "borderline", "exterior"


# --------------------------------------------------------------------------------------------
# Problem


@dataclass(frozen=True, eq=False)
class Interaction:
    """A synergy (positive) or conflict (negative) added when ALL ``members`` are adopted.

    ``value`` is ``(s,)`` per sample (a scalar is broadcast over the problem's samples).
    """

    members: tuple[int, ...]
    value: FloatArray


@dataclass(frozen=True, eq=False)
class PortfolioProblem:
    """A portfolio problem over ``n <= 20`` options, ``s`` samples and ``r`` resources.

    Arrays are checked and normalised on construction (bad input raises
    :class:`DecisionError`). Accepted shorthands: ``values`` ``(n,)`` for one sample, ``costs``
    ``(n, r)`` or ``available``/``eligible`` ``(n,)`` shared by all samples, an interaction value
    as a scalar.
    """

    values: FloatArray  # (s, n) value relative to the reference option, per sample
    costs: FloatArray  # (s, n, r) resource use per option, >= 0
    budgets: FloatArray  # (r,) >= 0; np.inf for unlimited
    available: BoolArray  # (s, n) an unavailable option cannot be adopted in that sample
    interactions: list[Interaction] = field(default_factory=list)
    exclusions: list[tuple[int, int]] = field(default_factory=list)  # cannot adopt both
    dependencies: list[tuple[int, int]] = field(default_factory=list)  # (b, a): b requires a
    eligible: BoolArray | None = None  # (n,) options that may be in bundles at all

    def __post_init__(self) -> None:
        values = _as_float(self.values, "values")
        if values.ndim == 1:
            values = values[None, :]
        if values.ndim != 2 or values.shape[0] < 1:
            raise DecisionError(
                f"values have shape {values.shape}",
                key_path="values",
                allowed="an array (samples, options) with at least one sample, or (options,)",
            )
        s, n = values.shape
        if n > MAX_OPTIONS:
            raise DecisionError(
                f"{n} options make {2**n:,} bundles, too many to enumerate",
                key_path="options",
                allowed=f"at most {MAX_OPTIONS} options in a portfolio",
            )
        _check_finite(values, "values", "finite numbers")
        costs = _as_float(self.costs, "costs")
        if costs.ndim == 2 and costs.shape[0] == n:
            costs = np.broadcast_to(costs, (s, *costs.shape))
        if costs.ndim != 3 or costs.shape[:2] != (s, n):
            raise DecisionError(
                f"costs have shape {costs.shape}",
                key_path="costs",
                allowed=f"an array (samples, options, resources) = ({s}, {n}, r) or ({n}, r)",
            )
        r = costs.shape[2]
        _check_finite(costs, "costs", "finite resource use >= 0")
        if np.any(costs < 0):
            raise DecisionError(
                f"resource use {float(costs.min())} is negative",
                key_path="costs",
                allowed="finite resource use >= 0",
            )
        budgets = _as_float(self.budgets, "budgets")
        if budgets.shape != (r,):
            raise DecisionError(
                f"budgets have shape {budgets.shape}",
                key_path="budgets",
                allowed=f"one budget per resource: shape ({r},)",
            )
        for k, b in enumerate(budgets.tolist()):
            if math.isnan(b) or b < 0:
                raise DecisionError(
                    f"budget {b} is not allowed",
                    key_path=f"budgets[{k}]",
                    allowed="a number >= 0, or inf for unlimited",
                )
        available = _as_bool(self.available, "available", (s, n))
        eligible = None if self.eligible is None else _as_bool(self.eligible, "eligible", (n,))
        interactions = [_check_interaction(it, k, s, n) for k, it in enumerate(self.interactions)]
        exclusions = [_check_pair(p, k, n, "exclusions") for k, p in enumerate(self.exclusions)]
        dependencies = [
            _check_pair(p, k, n, "dependencies") for k, p in enumerate(self.dependencies)
        ]
        for name, value in (
            ("values", values),
            ("costs", costs),
            ("budgets", budgets),
            ("available", np.broadcast_to(available, (s, n))),
            ("interactions", interactions),
            ("exclusions", exclusions),
            ("dependencies", dependencies),
            ("eligible", eligible),
        ):
            object.__setattr__(self, name, value)

    @property
    def n_samples(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_options(self) -> int:
        return int(self.values.shape[1])

    @property
    def n_resources(self) -> int:
        return int(self.costs.shape[2])

    def adoptable(self) -> BoolArray:
        """``(s, n)``: options that may be adopted in each sample (available and eligible)."""
        if self.eligible is None:
            return self.available
        out: BoolArray = self.available & self.eligible
        return out

    def mean(self) -> PortfolioProblem:
        """The point problem at the mean: mean values, costs and interaction values.

        An option counts as available at the mean when it is available in at least half of the
        samples (the median of a boolean). With one sample this is the problem itself.
        """
        if self.n_samples == 1:
            return self
        count = self.available.sum(axis=0)
        return PortfolioProblem(
            values=self.values.mean(axis=0, keepdims=True),
            costs=self.costs.mean(axis=0, keepdims=True),
            budgets=self.budgets,
            available=(2 * count >= self.n_samples)[None, :],
            interactions=[
                Interaction(it.members, it.value.mean(keepdims=True)) for it in self.interactions
            ],
            exclusions=self.exclusions,
            dependencies=self.dependencies,
            eligible=self.eligible,
        )


def _as_float(value: Any, key: str) -> FloatArray:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DecisionError(f"{key} are not numbers ({exc})", key_path=key) from None


def _check_finite(array: FloatArray, key: str, allowed: str) -> None:
    if not np.all(np.isfinite(array)):
        raise DecisionError(f"{key} contain NaN or infinity", key_path=key, allowed=allowed)


def _as_bool(value: Any, key: str, shape: tuple[int, ...]) -> BoolArray:
    array = np.asarray(value)
    if array.dtype != np.bool_:
        if array.dtype.kind not in "iu" or not np.isin(array, (0, 1)).all():
            raise DecisionError(
                f"{key} is not boolean (dtype {array.dtype})",
                key_path=key,
                allowed="booleans (or 0/1)",
            )
        array = array.astype(np.bool_)
    if array.shape != shape and array.shape != shape[-1:]:
        raise DecisionError(
            f"{key} has shape {array.shape}",
            key_path=key,
            allowed=" or ".join(str(x) for x in dict.fromkeys((shape, shape[-1:]))),
        )
    return array


def _check_index(value: Any, key: str, n: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise DecisionError(
            f"option index {value!r} is not an integer",
            key_path=key,
            allowed=f"option indices 0..{n - 1}",
        )
    index = int(value)
    if not 0 <= index < n:
        raise DecisionError(
            f"option index {index} is out of range",
            key_path=key,
            allowed=f"option indices 0..{n - 1}" if n else "no option indices (no options)",
        )
    return index


def _check_pair(pair: Any, k: int, n: int, key: str) -> tuple[int, int]:
    path = f"{key}[{k}]"
    if not isinstance(pair, tuple | list) or len(pair) != 2:
        raise DecisionError(
            f"{pair!r} is not a pair of options", key_path=path, allowed="(option, option)"
        )
    a, b = (_check_index(x, path, n) for x in pair)
    if a == b:
        raise DecisionError(
            f"option {a} is paired with itself", key_path=path, allowed="two different options"
        )
    return a, b


def _check_interaction(it: Any, k: int, s: int, n: int) -> Interaction:
    path = f"interactions[{k}]"
    if not isinstance(it, Interaction):
        raise DecisionError(
            f"{type(it).__name__} is not an Interaction", key_path=path, allowed="Interaction"
        )
    members = tuple(_check_index(x, f"{path}.members", n) for x in it.members)
    if not members or len(set(members)) != len(members):
        raise DecisionError(
            f"members {members} are empty or repeated",
            key_path=f"{path}.members",
            allowed="one or more different options",
        )
    value = _as_float(it.value, f"{path}.value")
    if value.ndim == 0:
        value = np.full(s, float(value))
    if value.shape != (s,):
        raise DecisionError(
            f"value has shape {value.shape}",
            key_path=f"{path}.value",
            allowed=f"one value per sample: shape ({s},), or a number",
        )
    _check_finite(value, f"{path}.value", "finite numbers")
    return Interaction(tuple(sorted(members)), value)


# --------------------------------------------------------------------------------------------
# Masks and single bundles


def stack(problems: Sequence[PortfolioProblem]) -> PortfolioProblem:
    """Problems of one structure (same options, budgets and rules) as one, their samples
    end to end: one enumeration then solves every period of a timeline."""
    first = problems[0]
    return PortfolioProblem(
        values=np.concatenate([p.values for p in problems]),
        costs=np.concatenate([p.costs for p in problems]),
        budgets=first.budgets,
        available=np.concatenate(
            [np.broadcast_to(p.available, p.values.shape) for p in problems]
        ),
        interactions=[
            Interaction(it.members, np.concatenate([p.interactions[k].value for p in problems]))
            for k, it in enumerate(first.interactions)
        ],
        exclusions=first.exclusions,
        dependencies=first.dependencies,
    )


def mask_of(members: Sequence[int]) -> int:
    """The bit mask of a set of option indices."""
    mask = 0
    for i in members:
        mask |= 1 << int(i)
    return mask


def members_of(mask: int, n: int) -> tuple[int, ...]:
    """The option indices in a bundle, ascending."""
    return tuple(i for i in range(n) if (int(mask) >> i) & 1)


def member_matrix(masks: NDArray[np.integer[Any]], n: int) -> BoolArray:
    """``(B, n)`` membership of each bundle, built with bit operations."""
    bits = np.asarray(masks, dtype=np.uint32)[:, None] >> np.arange(n, dtype=np.uint32)
    out: BoolArray = (bits & np.uint32(1)).astype(np.bool_)
    return out


def structurally_feasible(problem: PortfolioProblem, masks: NDArray[np.integer[Any]]) -> BoolArray:
    """Bundles meeting eligibility, exclusions and dependencies (one vector over bundles)."""
    m = np.asarray(masks, dtype=np.uint32)
    ok = _pair_rules(m, problem.exclusions, problem.dependencies)
    if problem.eligible is not None:
        banned = np.uint32(mask_of(np.flatnonzero(~problem.eligible).tolist()))
        ok &= (m & banned) == 0
    return ok


def _pair_rules(
    m: MaskArray, exclusions: Sequence[tuple[int, int]], dependencies: Sequence[tuple[int, int]]
) -> BoolArray:
    ok = np.ones(m.shape, dtype=np.bool_)
    one = np.uint32(1)
    for a, b in exclusions:
        ok &= ((m >> a) & (m >> b) & one) == 0
    for b, a in dependencies:
        ok &= ((m >> b) & ~(m >> a) & one) == 0
    return ok


def bundle_values(problem: PortfolioProblem, masks: Sequence[int] | MaskArray) -> FloatArray:
    """``(s, m)`` value of the given bundles in each sample (feasible or not).

    Same additions in the same order as the enumeration, so the figures are identical.
    """
    member = member_matrix(np.asarray(masks, dtype=np.uint32), problem.n_options)
    out = np.zeros((problem.n_samples, member.shape[0]))
    for j in range(problem.n_options):
        out += np.where(member[:, j], problem.values[:, j : j + 1], 0.0)
    for it in problem.interactions:
        has = member[:, list(it.members)].all(axis=1)
        out += np.where(has, it.value[:, None], 0.0)
    return out


def bundle_costs(problem: PortfolioProblem, masks: Sequence[int] | MaskArray) -> FloatArray:
    """``(s, m, r)`` resource use of the given bundles in each sample."""
    member = member_matrix(np.asarray(masks, dtype=np.uint32), problem.n_options)
    out = np.zeros((problem.n_samples, member.shape[0], problem.n_resources))
    for j in range(problem.n_options):
        out += np.where(member[None, :, j, None], problem.costs[:, j : j + 1, :], 0.0)
    return out


def bundle_feasible(problem: PortfolioProblem, masks: Sequence[int] | MaskArray) -> BoolArray:
    """``(s, m)`` whether each bundle can be adopted in each sample."""
    m = np.asarray(masks, dtype=np.uint32)
    member = member_matrix(m, problem.n_options)
    ok = structurally_feasible(problem, m)[None, :]
    blocked = (member[None, :, :] & ~problem.adoptable()[:, None, :]).any(axis=2)
    within = (bundle_costs(problem, m) <= problem.budgets).all(axis=2)
    out: BoolArray = ok & ~blocked & within
    return out


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class BundleShare:
    """A bundle and how often it is the best one."""

    mask: int
    members: tuple[int, ...]
    probability: float  # share of samples in which it is the best feasible bundle
    value: float  # its mean value over the samples (its value, for one sample)
    feasible_share: float  # share of samples in which it can be adopted


@dataclass(frozen=True)
class FrontierPoint:
    """A bundle on a resource's efficient frontier (at the point/mean values)."""

    mask: int
    members: tuple[int, ...]
    value: float
    cost: float  # use of this frontier's resource
    costs: tuple[float, ...]  # use of every resource
    within_budget: bool  # cost <= this resource's budget (the frontier itself ignores it)


@dataclass(frozen=True, eq=False)
class PortfolioResult:
    """The recommendations as a portfolio: best bundles, frontiers and per-option indices.

    ``best`` is the best feasible bundle for one sample, else the bundle most often best.
    ``frontiers[k]``: bundles not dominated in (value up, use of resource ``k`` down) at the
    point/mean problem, sorted by that use; the other budgets apply, resource ``k``'s own budget
    does not (``within_budget`` says which points it allows). ``core_index[i]``: share of the
    potentially optimal bundles (best feasible in at least one sample; see the module
    docstring) that contain option ``i``; classes: core (1), exterior (0), borderline.
    ``in_best[i]``: share of samples whose best bundle holds option ``i``. ``marginal[i]``: mean
    over samples of the best value minus the best value without option ``i`` (0 when ``i`` is
    not in that sample's best bundle).
    """

    n_options: int
    n_samples: int
    n_resources: int
    best: BundleShare
    top_bundles: tuple[BundleShare, ...]
    frontiers: tuple[tuple[FrontierPoint, ...], ...]
    core_index: FloatArray  # (n,)
    core_class: tuple[str, ...]  # (n,)
    in_best: FloatArray  # (n,)
    marginal: FloatArray  # (n,)
    nondominated_count: int  # distinct bundles that are best in at least one sample
    sample_best_masks: MaskArray = field(repr=False, metadata=SKIP)  # (s,)
    sample_best_values: FloatArray = field(repr=False, metadata=SKIP)  # (s,)
    sample_marginal: FloatArray = field(repr=False, metadata=SKIP)  # (s, n)

    @property
    def best_value(self) -> float:
        return self.best.value


# --------------------------------------------------------------------------------------------
# Enumeration machinery


def _fold(x: FloatArray, out: FloatArray) -> None:
    """Subset sums by doubling: ``out[:, mask]`` = sum of ``x[:, bits of mask]``, in bit order.

    ``x`` is ``(m, q)`` and ``out`` ``(m, 2**q)``; entry ``mask + 2**k`` is entry ``mask`` plus
    ``x[:, k]``, so each sum is accumulated in increasing bit order starting from 0.0.
    """
    out[:, 0] = 0.0
    size = 1
    for k in range(x.shape[1]):
        np.add(out[:, :size], x[:, k : k + 1], out=out[:, size : 2 * size])
        size *= 2


def _add_high(low: FloatArray, x_high: FloatArray, h: int, out: FloatArray) -> None:
    """A block's sums: the low-bit table plus the block's high-bit terms, in bit order."""
    bits = [b for b in range(x_high.shape[1]) if (h >> b) & 1]
    if not bits:
        np.copyto(out, low)
        return
    np.add(low, x_high[:, bits[0] : bits[0] + 1], out=out)
    for b in bits[1:]:
        out += x_high[:, b : b + 1]


@dataclass(frozen=True)
class _Layout:
    """How bundles split into blocks of ``2**low_bits`` and samples into chunks."""

    n: int
    low_bits: int
    chunk_samples: int

    @property
    def width(self) -> int:
        return 1 << self.low_bits

    @property
    def blocks(self) -> int:
        return 1 << (self.n - self.low_bits)


def _layout(
    n: int, s: int, r: int, chunk_samples: int | None, chunk_bundles: int | None
) -> _Layout:
    """Blocks of at most ``2**20`` bundles and chunks of about ``CHUNK_ELEMENTS`` sample-bundle
    pairs, both shrunk so that a chunk's work arrays stay under ``MAX_CHUNK_BYTES``."""
    bytes_per = 96 + 32 * r  # work arrays per (sample, bundle) element, worst case
    if chunk_bundles is not None:
        if chunk_bundles < 1 or chunk_bundles & (chunk_bundles - 1):
            raise DecisionError(
                f"chunk_bundles {chunk_bundles} is not a power of two",
                key_path="chunk_bundles",
                allowed="1, 2, 4, 8, ...",
            )
        low = min(n, chunk_bundles.bit_length() - 1)
    else:
        fit = max(0, (MAX_CHUNK_BYTES // bytes_per).bit_length() - 1)
        low = min(n, MAX_BLOCK_BITS, fit)
    if chunk_samples is not None:
        if chunk_samples < 1:
            raise DecisionError(
                f"chunk_samples {chunk_samples} is below 1",
                key_path="chunk_samples",
                allowed="a positive integer",
            )
        rows = chunk_samples
    else:
        rows = max(1, min(CHUNK_ELEMENTS >> low, MAX_CHUNK_BYTES // (bytes_per << low)))
    return _Layout(n, low, min(rows, s))


Pattern = tuple[tuple[int, int], ...]  # (bit, required value) pairs


def _low_view(out: FloatArray, low_bits: int, fixed: Pattern) -> FloatArray:
    """The bundles of a block ``out`` ``(m, 2**low_bits)`` whose low bits match ``fixed``.

    A strided view (no copy, no index arrays): axis ``low_bits - bit`` of the reshaped block is
    that bit.
    """
    if not fixed:
        return out
    shaped = out.reshape((out.shape[0],) + (2,) * low_bits)
    index: list[slice | int] = [slice(None)] * (low_bits + 1)
    for bit, value in fixed:
        index[low_bits - bit] = value
    return shaped[tuple(index)]


@dataclass
class _Lattice:
    """Per-problem constants of the enumeration: bit patterns of constraints and interactions.

    An exclusion ``(a, b)`` marks the pattern a=1, b=1 infeasible; a dependency ``(b, a)`` the
    pattern b=1, a=0; an interaction adds its value on the pattern members=1. Per block, the
    high bits of a pattern are checked against the block number and the low bits become a
    strided view of the block.
    """

    problem: PortfolioProblem
    low_bits: int
    infeasible: list[tuple[Pattern, Pattern]] = field(init=False)
    synergies: list[tuple[Pattern, Pattern]] = field(init=False)

    def __post_init__(self) -> None:
        p = self.problem
        self.infeasible = [self._split(((a, 1), (b, 1))) for a, b in p.exclusions]
        self.infeasible += [self._split(((b, 1), (a, 0))) for b, a in p.dependencies]
        self.synergies = [self._split(tuple((i, 1) for i in it.members)) for it in p.interactions]

    def _split(self, pattern: Pattern) -> tuple[Pattern, Pattern]:
        low = tuple((b, v) for b, v in pattern if b < self.low_bits)
        high = tuple((b - self.low_bits, v) for b, v in pattern if b >= self.low_bits)
        return high, low

    def block_values(self, v: FloatArray, rows: slice, h: int) -> None:
        """Add the interactions to block ``h``'s sums ``v`` and mark infeasible bundles -inf.

        (Eligibility and availability are already in the sums: -inf option values.)
        """
        m = v.shape[0]
        for (high, low), it in zip(self.synergies, self.problem.interactions, strict=True):
            if all((h >> b) & 1 == val for b, val in high):
                view = _low_view(v, self.low_bits, low)
                view += it.value[rows].reshape((m,) + (1,) * (view.ndim - 1))
        for high, low in self.infeasible:
            if all((h >> b) & 1 == val for b, val in high):
                _low_view(v, self.low_bits, low)[...] = -np.inf


def _grid_size(width: int) -> int:
    """Cells on the cost axis: at most GRID_CELLS, and few enough for the block width."""
    cells = min(GRID_CELLS, width // 16)
    return cells if cells >= 2 else 1


class _Skyline:
    """Per-row (sample) non-dominated sets in (value up, one cost down), built block by block:
    the frontier of value against one resource.

    Pruning: each bundle gets a cell on a per-row grid of its cost (monotone in the cost). A
    bundle whose value does not exceed the best value in the cells strictly below it is
    dominated (those bundles cost strictly less), and so is never needed to prove another
    bundle dominated. The survivors (few) are then compared exactly.
    Work buffers are allocated once, for ``rows`` x ``width``; :meth:`start` begins a chunk.
    """

    def __init__(self, rows: int, width: int) -> None:
        self.grid = _grid_size(width)
        self.cells = self.grid
        if self.grid > 1:
            self.clipped = np.empty((rows, width))
            self.cell = np.empty((rows, width), dtype=np.intp)
            self.below = np.empty((rows, width))
        self.alive = np.empty((rows, width), dtype=np.bool_)
        self.start(0)

    def start(self, rows: int) -> None:
        """Begin a chunk of ``rows`` rows (costs scaled so that a bundle's bin is floor(cost))."""
        self.rows = rows
        self.parts: list[tuple[IndexArray, MaskArray, FloatArray, FloatArray, IndexArray]] = []

    def add(self, base: int, values: FloatArray, cost: FloatArray) -> None:
        """Candidates of one block: ``values`` ``(rows, w)`` (-inf if infeasible) of bundles
        ``base | column`` and their ``cost`` ``(rows, w)``, scaled to the grid."""
        m, w = values.shape
        alive = self.alive[:m, :w]
        if self.grid > 1:
            cell = self._cells(cost)
            best = np.full(m * self.cells, -np.inf)
            np.maximum.at(best, cell.ravel(), values.ravel())
            below = self.below[:m, :w]
            np.take(self._strictly_below(best), cell, out=below, mode="clip")
            np.greater(values, below, out=alive)
        else:
            np.greater(values, -np.inf, out=alive)
        keep = np.flatnonzero(alive)
        rows, cols = np.divmod(keep, w)
        local = (
            cell.ravel()[keep] - rows * self.cells
            if self.grid > 1
            else np.zeros(keep.size, np.intp)
        )
        self.parts.append(
            (
                rows,
                (cols | base).astype(np.uint32),
                values.ravel()[keep],
                cost.ravel()[keep],
                local,
            )
        )

    def _cells(self, cost: FloatArray) -> IndexArray:
        """Flat cell index ``row * cells + min(floor(cost), grid - 1)``, monotone in the cost."""
        m, w = cost.shape
        clipped, cell = self.clipped[:m, :w], self.cell[:m, :w]
        np.minimum(cost, float(self.grid - 1), out=clipped)
        np.copyto(cell, clipped, casting="unsafe")  # truncation: floor for costs >= 0
        cell += (np.arange(m, dtype=np.intp) * self.cells)[:, None]
        return cell

    def _strictly_below(self, best: FloatArray) -> FloatArray:
        """Per cell: the best value over the cells strictly lower in cost (-inf if none)."""
        grid = best.reshape(-1, self.grid)
        np.maximum.accumulate(grid, axis=1, out=grid)
        out = np.full_like(grid, -np.inf)
        out[:, 1:] = grid[:, :-1]
        return out.reshape(-1)

    def finish(self) -> tuple[IndexArray, MaskArray, FloatArray, FloatArray]:
        """The chunk's non-dominated bundles: rows, masks, values, costs ``(K,)``."""
        rows = np.concatenate([p[0] for p in self.parts])
        masks = np.concatenate([p[1] for p in self.parts])
        values = np.concatenate([p[2] for p in self.parts])
        costs = np.concatenate([p[3] for p in self.parts])
        if len(self.parts) > 1 and self.grid > 1:  # prune the union across blocks
            cell = rows * self.cells + np.concatenate([p[4] for p in self.parts])
            best = np.full(self.rows * self.cells, -np.inf)
            np.maximum.at(best, cell, values)
            keep = values > np.take(self._strictly_below(best), cell)
            rows, masks, values, costs = rows[keep], masks[keep], values[keep], costs[keep]
        self.parts = []
        nd = _exact_skyline(rows, masks, values, costs, self.rows)
        return rows[nd], masks[nd], values[nd], costs[nd]


def _exact_skyline(
    rows: IndexArray, masks: MaskArray, values: FloatArray, costs: FloatArray, n_rows: int
) -> BoolArray:
    """Which candidates are non-dominated within their row.

    Sorted by (value down, cost up, mask up), a candidate is dominated exactly when an earlier
    one in its row costs no more.
    """
    k_all = costs.shape[0]
    keep = np.ones(k_all, dtype=np.bool_)
    if k_all == 0:
        return keep
    order = np.lexsort((masks, costs, -values, rows))
    r_s = rows[order]
    counts = np.bincount(r_s, minlength=n_rows)
    starts = np.cumsum(counts) - counts
    pos = np.arange(k_all) - starts[r_s]
    padded = np.full((n_rows, int(counts.max())), np.inf)
    padded[r_s, pos] = costs[order]
    run = np.minimum.accumulate(padded, axis=1)
    prev = np.full_like(run, np.inf)
    prev[:, 1:] = run[:, :-1]
    dominated = padded >= prev
    keep[order] = ~dominated[r_s, pos]
    return keep


# --------------------------------------------------------------------------------------------
# Analysis


def analyse_portfolio(
    problem: PortfolioProblem,
    *,
    top: int = 10,
    chunk_samples: int | None = None,
    chunk_bundles: int | None = None,
) -> PortfolioResult:
    """Enumerate every bundle in every sample; see :class:`PortfolioResult` for the outputs.

    ``chunk_samples``/``chunk_bundles`` (a power of two) override the automatic chunking; the
    results are identical whatever they are.
    """
    if top < 1:
        raise DecisionError(f"top {top} is below 1", key_path="top", allowed="a positive integer")
    s, n, r = problem.n_samples, problem.n_options, problem.n_resources
    lay = _layout(n, s, r, chunk_samples, chunk_bundles)
    scan = _scan_samples(problem, lay)
    best_masks, best_values, without = scan
    sample_marginal = best_values[:, None] - without
    member = member_matrix(best_masks, n)
    uniq, counts = np.unique(best_masks, return_counts=True)
    nd_counts = member_matrix(uniq, n).sum(axis=0)
    nd_total = int(uniq.size)
    core_index = nd_counts / nd_total
    core_class = tuple(
        CORE if c == nd_total else EXTERIOR if c == 0 else BORDERLINE for c in nd_counts.tolist()
    )
    order = np.lexsort((uniq, -counts))[:top]
    chosen = uniq[order]
    chosen_values = bundle_values(problem, chosen).mean(axis=0)
    chosen_feasible = bundle_feasible(problem, chosen).mean(axis=0)
    shares = tuple(
        BundleShare(
            mask=int(m),
            members=members_of(int(m), n),
            probability=float(c) / s,
            value=float(v),
            feasible_share=float(f),
        )
        for m, c, v, f in zip(
            chosen.tolist(),
            counts[order].tolist(),
            chosen_values.tolist(),
            chosen_feasible.tolist(),
            strict=True,
        )
    )
    return PortfolioResult(
        n_options=n,
        n_samples=s,
        n_resources=r,
        best=shares[0],
        top_bundles=shares,
        frontiers=_frontiers(problem.mean(), lay),
        core_index=core_index,
        core_class=core_class,
        in_best=member.mean(axis=0),
        marginal=sample_marginal.mean(axis=0),
        nondominated_count=nd_total,
        sample_best_masks=best_masks,
        sample_best_values=best_values,
        sample_marginal=sample_marginal,
    )


def sample_best(
    problem: PortfolioProblem,
    *,
    marginal: bool = False,
    chunk_samples: int | None = None,
    chunk_bundles: int | None = None,
) -> tuple[MaskArray, FloatArray, FloatArray]:
    """Each sample's best feasible bundle ``(s,)``, its value ``(s,)`` and, with ``marginal``,
    its value minus the best value without each option ``(s, n)`` (else ``(s, 0)``).

    :func:`analyse_portfolio`'s ``sample_best_masks``, ``sample_best_values`` and
    ``sample_marginal`` (the same enumeration: the same figures and tie rule) without the
    frontiers, shares and core indices, which cost most of its time: for callers that solve
    many states of one problem (the adaptive plan).
    """
    s, n, r = problem.n_samples, problem.n_options, problem.n_resources
    lay = _layout(n, s, r, chunk_samples, chunk_bundles)
    masks, values, without = _scan_samples(problem, lay, marginal)
    return masks, values, (values[:, None] - without if marginal else without)


def best_within(
    problem: PortfolioProblem,
    masks: Sequence[int] | MaskArray,
    *,
    chunk_samples: int | None = None,
    chunk_bundles: int | None = None,
) -> FloatArray:
    """``(s, m)``: each sample's best feasible value among the subsets of each bundle
    ``masks (m,)`` (the empty bundle's 0.0 at the least).

    What :func:`sample_best` finds with only the bundle's members eligible, for every bundle
    in one enumeration: per block, the best value over the subsets of every low-bit pattern
    (a running maximum, bit by bit, over the bundles' values the full enumeration computes,
    so the figures are identical), read at each bundle's low bits in the blocks whose high
    bits it holds.
    """
    s, n, r = problem.n_samples, problem.n_options, problem.n_resources
    lay = _layout(n, s, r, chunk_samples, chunk_bundles)
    low, width = lay.low_bits, lay.width
    wanted = np.asarray(masks, dtype=np.uint32).astype(np.int64)
    column = wanted & (width - 1)
    out = np.full((s, wanted.size), -np.inf)
    for rows, h, v in _blocks(problem, lay):
        held = np.flatnonzero(((h << low) & ~wanted) == 0)  # bundles holding the block's bits
        if held.size == 0:
            continue
        for j in range(low):  # v[:, mask] becomes the best over the subsets of mask
            split = v.reshape(v.shape[0], -1, 2, 1 << j)
            np.maximum(split[:, :, 1, :], split[:, :, 0, :], out=split[:, :, 1, :])
        out[rows, held] = np.maximum(out[rows][:, held], v[:, column[held]])
    return out


def bundle_table(problem: PortfolioProblem) -> FloatArray:
    """Every bundle's value in every sample, bundle-major ``(2**n, s)`` (row ``mask``; -inf
    where the bundle is infeasible): the figures :func:`sample_best` and :func:`best_within`
    enumerate (the same sums in the same order: values in bit order from 0.0, then the
    interactions in order; costs likewise against the budgets), held whole, so that every
    step runs over whole rows of samples and the caller reads them as often as it likes.

    For problems that fit in memory at once (``2**n * s`` numbers): the caller checks.
    """
    s, n = problem.n_samples, problem.n_options
    x = _adoptable_values(problem)
    table = np.empty((1 << n, s))
    _fold_rows(x, table)

    def matching(pattern: Pattern) -> tuple[slice | int, ...]:
        index: list[slice | int] = [slice(None)] * (n + 1)
        for bit, value in pattern:
            index[n - 1 - bit] = value
        return tuple(index)

    shaped = table.reshape((*(2,) * n, s))
    for it in problem.interactions:
        shaped[matching(tuple((i, 1) for i in it.members))] += it.value
    for a, b in problem.exclusions:
        shaped[matching(((a, 1), (b, 1)))] = -np.inf
    for b, a in problem.dependencies:
        shaped[matching(((b, 1), (a, 0)))] = -np.inf
    shared = s > 1 and problem.costs.strides[0] == 0
    costs = problem.costs[:1] if shared else problem.costs
    use = np.empty((1 << n, costs.shape[0]))
    for k in np.flatnonzero(np.isfinite(problem.budgets)).tolist():
        _fold_rows(costs[:, :, k], use)
        np.copyto(table, -np.inf, where=use > problem.budgets[k])
    return table


def _fold_rows(x: FloatArray, out: FloatArray) -> None:
    """:func:`_fold` bundle-major: ``out[mask]`` ``(s,)`` = sum of ``x[:, bits of mask]``
    ``(s, q)``, in bit order starting from 0.0."""
    out[0] = 0.0
    size = 1
    for k in range(x.shape[1]):
        np.add(out[:size], x[:, k], out=out[size : 2 * size])
        size *= 2


def _adoptable_values(problem: PortfolioProblem) -> FloatArray:
    out: FloatArray = np.where(problem.adoptable(), problem.values, -np.inf)
    return out


def _grid_exponents(costs: FloatArray, x: FloatArray, budgets: FloatArray, grid: int) -> FloatArray:
    """Per row and resource, a power of two ``2**e`` that maps 0..min(budget, most a bundle can
    use) onto about ``0..grid``, so that a bundle's grid bin is ``floor(scaled cost)``.

    Scaling by a power of two is exact (all sums scale exactly, comparisons are unchanged); a
    row whose costs would leave the safe floating-point range keeps ``2**0``.
    """
    adoptable = np.isfinite(x)[:, :, None]
    most = np.where(adoptable, costs, 0.0).sum(axis=1)  # (m, q)
    least = np.where(adoptable & (costs > 0), costs, np.inf).min(axis=1, initial=np.inf)
    span = np.minimum(most, budgets)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.floor(np.log2(grid / span))
    e = np.where(np.isfinite(e), e, 0.0)
    safe = (most * np.exp2(e) < 1e300) & ((least == np.inf) | (least * np.exp2(e) > 1e-300))
    out: FloatArray = np.exp2(np.where(safe, e, 0.0))
    return out


def _blocks(problem: PortfolioProblem, lay: _Layout) -> Iterator[tuple[slice, int, FloatArray]]:
    """Every chunk of samples and block of bundles: the chunk's rows, the block number ``h``
    and the values ``(rows, width)`` of bundles ``h << low_bits | column``, -inf where
    infeasible. The value buffer is reused: use it before asking for the next block.

    Costs shared by every sample (a broadcast array, as for rows of one point problem) are
    summed and checked against the budgets once per block instead of once per sample: the
    same sums, so the same figures.
    """
    s, r = problem.n_samples, problem.n_resources
    low, width, rows_max = lay.low_bits, lay.width, lay.chunk_samples
    lattice = _Lattice(problem, low)
    x_all = _adoptable_values(problem)
    limited = [k for k in range(r) if np.isfinite(problem.budgets[k])]
    shared = s > 1 and problem.costs.strides[0] == 0
    one_block = lay.blocks == 1
    cost_rows = 1 if shared else rows_max
    vlow = np.empty((rows_max, width))
    vb = vlow if one_block else np.empty((rows_max, width))
    clow = np.empty((r, cost_rows, width))
    cb = clow if one_block else np.empty((r, cost_rows, width))
    over = np.empty((cost_rows, width), dtype=np.bool_)
    for s0 in range(0, s, rows_max):
        s1 = min(s, s0 + rows_max)
        m, rows = s1 - s0, slice(s0, s1)
        c = 1 if shared else m  # rows of the cost tables
        x = x_all[rows]
        costs, budgets = problem.costs[s0 : s0 + c], np.broadcast_to(problem.budgets, (c, r))
        _fold(x[:, :low], vlow[:m])
        for k in range(r):
            _fold(costs[:, :low, k], clow[k, :c])
        for h in range(lay.blocks):
            v = vb[:m]
            if not one_block:
                _add_high(vlow[:m], x[:, low:], h, v)
                for k in range(r):
                    _add_high(clow[k, :c], costs[:, low:, k], h, cb[k, :c])
            lattice.block_values(v, rows, h)
            for k in limited:
                np.greater(cb[k, :c], budgets[:, k : k + 1], out=over[:c])
                np.copyto(v, -np.inf, where=over[:c])
            yield rows, h, v


def _scan_samples(
    problem: PortfolioProblem, lay: _Layout, marginal: bool = True
) -> tuple[MaskArray, FloatArray, FloatArray]:
    """Best bundle, its value, and the best value without each option, per sample (that last
    ``(s, n)`` only with ``marginal``, else ``(s, 0)``)."""
    s, n = problem.n_samples, problem.n_options
    low, width = lay.low_bits, lay.width
    best_masks = np.zeros(s, dtype=np.uint32)
    best_values = np.full(s, -np.inf)
    without = np.full((s, n if marginal else 0), -np.inf)
    half = np.empty((lay.chunk_samples, max(1, width // 2)))
    for rows, h, v in _blocks(problem, lay):
        m = v.shape[0]
        # best bundle (strict improvement keeps the lowest mask on ties)
        a = v.argmax(axis=1)
        bv = v[np.arange(m), a]
        better = bv > best_values[rows]
        best_values[rows] = np.where(better, bv, best_values[rows])
        mask = (a | (h << low)).astype(np.uint32)
        best_masks[rows] = np.where(better, mask, best_masks[rows])
        if not marginal:
            continue
        # best value without each option: halve the block bit by bit, from the top bit
        cur: FloatArray = v
        for j in range(low - 1, -1, -1):
            size = 1 << j
            np.maximum(without[rows, j], cur[:, :size].max(axis=1), out=without[rows, j])
            nxt = half[:m, :size]
            np.maximum(cur[:, :size], cur[:, size:], out=nxt)
            cur = nxt
        for j in range(low, n):
            if not (h >> (j - low)) & 1:
                np.maximum(without[rows, j], bv, out=without[rows, j])
    return best_masks, best_values, without


def _frontiers(point: PortfolioProblem, lay: _Layout) -> tuple[tuple[FrontierPoint, ...], ...]:
    """Per resource, the (value up, use down) frontier of the one-sample problem ``point``."""
    n, r = point.n_options, point.n_resources
    if r == 0:
        return ()
    low, width = lay.low_bits, lay.width
    lattice = _Lattice(point, low)
    x = _adoptable_values(point)
    rows = slice(0, 1)
    vlow = np.empty((1, width))
    clow = np.empty((r, 1, width))
    _fold(x[:, :low], vlow)
    for k in range(r):
        _fold(point.costs[:, :low, k], clow[k])
    budgets = point.budgets
    skylines = [_Skyline(1, width) for _ in range(r)]
    scales = [
        float(_grid_exponents(point.costs[:, :, [k]], x, np.array([np.inf]), s.grid)[0, 0])
        for k, s in enumerate(skylines)
    ]
    for s in skylines:
        s.start(1)
    v = np.empty((1, width))
    cb = np.empty((r, 1, width))
    over = np.zeros((r, 1, width), dtype=np.bool_)
    for h in range(lay.blocks):
        _add_high(vlow, x[:, low:], h, v)
        lattice.block_values(v, rows, h)
        for k in range(r):
            _add_high(clow[k], point.costs[:, low:, k], h, cb[k])
            np.greater(cb[k], budgets[k], out=over[k])
        for k in range(r):
            others = np.delete(over, k, axis=0).any(axis=0)
            skylines[k].add(h << low, np.where(others, -np.inf, v), cb[k] * scales[k])
    out = []
    for k in range(r):
        _, masks, values, _ = skylines[k].finish()
        costs = bundle_costs(point, masks)[0]  # (K, r)
        order = np.argsort(costs[:, k], kind="stable")
        out.append(
            tuple(
                FrontierPoint(
                    mask=int(masks[i]),
                    members=members_of(int(masks[i]), n),
                    value=float(values[i]),
                    cost=float(costs[i, k]),
                    costs=tuple(float(c) for c in costs[i]),
                    within_budget=bool(costs[i, k] <= budgets[k]),
                )
                for i in order.tolist()
            )
        )
    return tuple(out)
