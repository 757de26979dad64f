"""The adaptive plan's sampled worlds in spans: a plan of many samples in bounded memory,
here or as Dask tasks, with tallies only.

The plan (:mod:`decision.analyses.plan`) weighs packages over every world a scenario holds:
each sample of each period. Up to :data:`~decision.analyses.portfolio.problem.MAX_SAMPLES`
samples per period it keeps them all in memory, one stacked problem. A plan asked for more
(``decision plan --samples N``) reads its samples instead in spans of whole RNG blocks
(:data:`~decision.uncertainty.sampling.BLOCK`), each the periods' problems of those samples
(:func:`~decision.analyses.portfolio.problem.portfolio_problem` with ``span``: the draws of a
run of all samples), and keeps only exact per-span tallies, merged in span order:

- pass one (:class:`SpanCounts`): per period, how often each package is best and the sum of
  the options' marginal values; from it the package most often best in each period (ties: the
  lower mask) and the hedge's candidates;
- pass two (:class:`Columns`), for given packages: what each delivers (its best feasible
  part), summed over all worlds and over the first period, its largest regret, and the first
  world (in the stacked order: period, then sample) where it delivers least; and the summed
  value of each period's package. More packages asked for later (a plan set's hedge) cost one
  more pass over the spans that omits the known ones.

Every pass maps a pure function of a span through the active
:class:`~decision.uncertainty.runner.Runner` (or here when none is), so the tallies, and the
plan's bytes, are the same locally, on any number of Dask workers, and after a checkpointed
run resumes. Sums are over spans in order, so the figures can differ in the last bits from the
in-memory plan of the same samples; a plan is streamed exactly when its sample count is over
the cap, whatever runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from decision.analyses.portfolio.enumerate import (
    MaskArray,
    PortfolioProblem,
    best_within,
    bundle_feasible,
    bundle_values,
    sample_best,
    stack,
)
from decision.analyses.portfolio.problem import MAX_SAMPLES, portfolio_problem
from decision.core.compile import CompiledModel, FloatArray, ScenarioInputs
from decision.uncertainty.runner import active
from decision.uncertainty.sampling import BLOCK

IntArray = NDArray[np.int64]
Span = tuple[int, int]
Progress = Callable[[int, int], None]
#: Candidate packages weighed as hedges: the most often best ones.
HEDGE_CANDIDATES = 32


def plan_samples(inputs: ScenarioInputs, uncapped: bool = False) -> int:
    """The samples per period of a plan of ``inputs``: one for a point scenario, else its
    samples, at most :data:`MAX_SAMPLES` unless ``uncapped`` (asked for on the command line)."""
    if inputs.samples <= 1:
        return 1
    return inputs.samples if uncapped else min(inputs.samples, MAX_SAMPLES)


def streamed(samples: int) -> bool:
    """Whether a plan of ``samples`` per period is read in spans (over the cap)."""
    return samples > MAX_SAMPLES


def spans_of(samples: int) -> list[Span]:
    """Samples ``[0, samples)`` in spans of whole RNG blocks (Python ints: no overflow)."""
    return [(a, min(samples, a + BLOCK)) for a in range(0, samples, BLOCK)]


def merge_counts(
    masks: Iterable[MaskArray], counts: Iterable[IntArray]
) -> tuple[MaskArray, IntArray]:
    """Counts of packages given in parts: the packages in ascending order, their counts."""
    every = np.concatenate([np.asarray(m, dtype=np.uint32) for m in masks])
    numbers = np.concatenate([np.asarray(c, dtype=np.int64) for c in counts])
    uniq, where = np.unique(every, return_inverse=True)
    total = np.zeros(uniq.size, dtype=np.int64)
    np.add.at(total, where, numbers)
    return uniq.astype(np.uint32), total


def candidates(
    uniq: MaskArray, counts: IntArray, now: int, base: PortfolioProblem
) -> MaskArray:
    """The hedge's candidates: of the packages best somewhere (``uniq``, ``counts`` times),
    those adoptable in the base state, the :data:`HEDGE_CANDIDATES` most often best (ties: the
    lower mask), and the do-now package ``now``."""
    ok = bundle_feasible(base, uniq)[0]
    uniq, counts = uniq[ok], counts[ok]
    order = np.lexsort((uniq, -counts))[:HEDGE_CANDIDATES]
    return np.unique(np.append(uniq[order], np.uint32(now))).astype(np.uint32)


@dataclass(frozen=True)
class SpanCounts:
    """Pass one over a span: per period, the packages best in some sample and how often
    (``masks[p]``, ``counts[p]``), and the options' summed marginal values ``(periods, n)``."""

    masks: list[MaskArray]
    counts: list[IntArray]
    marginal: FloatArray


@dataclass(frozen=True)
class Columns:
    """Pass two's tallies of packages (one column each) over some worlds: what each delivers
    summed over all (``total``) and over the first period's (``first``), its largest regret,
    the least it delivers (``low``), the index of the first world where it does (``at``) and
    the best value there (``best_at``); and each period's package's value summed (``value``)."""

    total: FloatArray
    first: FloatArray
    regret: FloatArray
    low: FloatArray
    at: IntArray
    best_at: FloatArray
    value: FloatArray

    def then(self, later: Columns) -> Columns:
        """These tallies and ``later``'s (of other worlds, all later in the sum's order)."""
        take = (later.low < self.low) | ((later.low == self.low) & (later.at < self.at))
        return Columns(
            total=self.total + later.total,
            first=self.first + later.first,
            regret=np.maximum(self.regret, later.regret),
            low=np.where(take, later.low, self.low),
            at=np.where(take, later.at, self.at),
            best_at=np.where(take, later.best_at, self.best_at),
            value=self.value + later.value,
        )

    def pick(self, columns: Sequence[int]) -> Columns:
        """The tallies of some columns (``value`` kept)."""
        c = np.asarray(columns, dtype=np.intp)
        return Columns(self.total[c], self.first[c], self.regret[c], self.low[c], self.at[c],
                       self.best_at[c], self.value)


def columns_of(
    realised: FloatArray, best: FloatArray, first_rows: int, offset: int,
    index: Callable[[IntArray], IntArray] | None = None,
) -> Columns:
    """:class:`Columns` of worlds ``realised (w, m)`` with best values ``best (w,)``; the first
    ``first_rows`` are the first period's; world ``r`` is number ``offset + r`` (or
    ``index(r)``) in the stacked order, which must rise with ``r``."""
    rows = np.arange(realised.shape[0], dtype=np.int64)
    numbers = index(rows) if index is not None else offset + rows
    low_row = np.argmin(realised, axis=0)  # the first world of the least value
    return Columns(
        total=realised.sum(axis=0),
        first=realised[:first_rows].sum(axis=0),
        regret=np.maximum(best[:, None] - realised, 0.0).max(axis=0),
        low=realised[low_row, np.arange(realised.shape[1])],
        at=numbers[low_row],
        best_at=best[low_row],
        value=np.zeros(0),
    )


def fingerprint(
    model: CompiledModel, periods: Sequence[ScenarioInputs], budgets: Mapping[str, float] | None
) -> dict[str, Any]:
    """What a plan's sampled worlds depend on, for a checkpoint's stage to check."""
    from decision.uncertainty.checkpoint import input_fingerprint

    return {"periods": [input_fingerprint(model, inputs) for inputs in periods],
            "budgets": sorted((budgets or {}).items())}


def _mapped(function: Callable[[Span], Any], spans: list[Span], label: str,
            stage: Mapping[str, Any]) -> Iterator[Any]:
    runner = active()
    if runner is None:
        return map(function, spans)
    return runner.map(function, spans, label=label, fingerprint=stage)


@dataclass(frozen=True, eq=False)
class SpanProblem:
    """The stacked problem of every period's samples ``[a, b)`` (rows: period, then sample):
    a pure function of the span, sent to Dask workers as it is."""

    model: CompiledModel
    periods: tuple[ScenarioInputs, ...]
    budgets: Mapping[str, float] | None

    def __call__(self, span: Span) -> PortfolioProblem:
        return stack([portfolio_problem(self.model, inputs, self.budgets, span=span)[0]
                      for inputs in self.periods])


@dataclass(frozen=True, eq=False)
class CountPass:
    """Pass one of a span (see the module docstring)."""

    problem: SpanProblem

    def __call__(self, span: Span) -> SpanCounts:
        problem = self.problem(span)
        n, rows = problem.n_options, span[1] - span[0]
        full = (1 << n) - 1
        drops = np.array([full ^ (1 << j) for j in range(n)], dtype=np.uint32)
        masks, values, _ = sample_best(problem)
        marginal = values[:, None] - best_within(problem, drops)
        uniq, counts, sums = [], [], []
        for p in range(len(self.problem.periods)):
            part = slice(p * rows, (p + 1) * rows)
            u, c = np.unique(masks[part], return_counts=True)
            uniq.append(u.astype(np.uint32))
            counts.append(c.astype(np.int64))
            sums.append(marginal[part].sum(axis=0))
        return SpanCounts(uniq, counts, np.stack(sums))


@dataclass(frozen=True, eq=False)
class ColumnPass:
    """Pass two of a span for packages ``masks`` and each period's package ``modes``."""

    problem: SpanProblem
    samples: int
    masks: MaskArray
    modes: MaskArray

    def __call__(self, span: Span) -> Columns:
        problem = self.problem(span)
        rows, periods = span[1] - span[0], len(self.problem.periods)
        _, best, _ = sample_best(problem)
        realised = (best_within(problem, self.masks) if self.masks.size
                    else np.zeros((problem.n_samples, 0)))
        samples, start = self.samples, span[0]

        def index(r: IntArray) -> IntArray:
            return (r // rows) * samples + start + r % rows

        found = columns_of(realised, best, rows, 0, index)
        value = np.zeros(periods)
        if self.modes.size:
            kinds, which = np.unique(self.modes, return_inverse=True)
            values = bundle_values(problem, kinds)
            value = np.array([values[p * rows:(p + 1) * rows, which[p]].sum()
                              for p in range(periods)])
        return Columns(found.total, found.first, found.regret, found.low, found.at,
                       found.best_at, value)


@dataclass(eq=False)
class SampledWorlds:
    """A scenario's worlds (``samples`` per period of ``periods``) read in spans: pass one's
    counts now, pass two's tallies for packages as they are asked for (kept)."""

    problem: SpanProblem
    samples: int
    labels: list[str]  # the periods' labels
    base: PortfolioProblem  # the point problem of the first period (the base state)
    name: str
    stage: dict[str, Any]
    progress: Progress | None = None  # (samples done, of all) of the first two passes
    counts: SpanCounts = field(init=False)
    known: dict[int, Columns] = field(default_factory=dict, repr=False)
    values: FloatArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        spans = spans_of(self.samples)
        parts = []
        for (_, stop), part in zip(spans, _mapped(CountPass(self.problem), spans,
                                                  f"{self.name}-plan-counts", self.stage),
                                   strict=True):
            parts.append(part)
            self._report(stop, 2 * self.samples)
        periods = len(self.labels)
        merged = [merge_counts([p.masks[k] for p in parts], [p.counts[k] for p in parts])
                  for k in range(periods)]
        marginal = np.zeros_like(parts[0].marginal)
        for part in parts:
            marginal = marginal + part.marginal
        self.counts = SpanCounts([m for m, _ in merged], [c for _, c in merged], marginal)
        self.values = np.zeros(0)

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)

    @property
    def base_rows(self) -> int:
        return self.samples

    @property
    def size(self) -> int:
        return self.samples * len(self.labels)

    def modes(self) -> MaskArray:
        """Each period's package most often best (ties: the lower mask)."""
        return np.array([int(m[int(np.argmax(c))])
                         for m, c in zip(self.counts.masks, self.counts.counts, strict=True)],
                        dtype=np.uint32)

    def counted(self) -> tuple[MaskArray, IntArray]:
        """Every package best in some world, and in how many."""
        return merge_counts(self.counts.masks, self.counts.counts)

    def label(self, world: int) -> str:
        period, sample = divmod(world, self.samples)
        return f"{self.labels[period]}, sample {sample + 1}"

    def columns(self, masks: MaskArray, *, modes: bool = False) -> Columns:
        """Pass two's tallies of ``masks`` (one pass over the spans for those not known yet;
        with ``modes``, the periods' packages' values too, found in that pass)."""
        wanted = [int(m) for m in np.asarray(masks).tolist()]
        missing = sorted(set(wanted) - self.known.keys())
        if missing or (modes and not self.values.size):
            asked = np.array(missing, dtype=np.uint32)
            kinds = self.modes() if modes else np.zeros(0, dtype=np.uint32)
            work = ColumnPass(self.problem, self.samples, asked, kinds)
            stage = {**self.stage, "packages": missing, "modes": kinds.tolist()}
            found: Columns | None = None
            spans = spans_of(self.samples)
            done = self.samples if modes else 0
            for (_, stop), part in zip(spans, _mapped(work, spans, f"{self.name}-plan-hedge",
                                                      stage), strict=True):
                found = part if found is None else found.then(part)
                self._report(done + stop, done + self.samples)
            assert found is not None
            if modes:
                self.values = found.value
            for c, mask in enumerate(missing):
                self.known[mask] = found.pick([c])
        parts = [self.known[m] for m in wanted]

        def joined(name: str) -> Any:
            return np.concatenate([getattr(p, name) for p in parts])

        return Columns(joined("total"), joined("first"), joined("regret"), joined("low"),
                       joined("at"), joined("best_at"), self.values)
