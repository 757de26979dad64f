"""``explore``: sample the whole input space of a scenario, in chunks, and say under which
conditions the plan fails or another option wins, which inputs matter and which are worth
resolving before deciding.

One pass over the design, chunk by chunk (memory bounded by the chunk, plus the rows kept
for discovery): each chunk's unit-cube rows are mapped to the inputs
(:mod:`~decision.analyses.explore.design`), evaluated (:mod:`~decision.analyses.explore.outcomes`),
tallied (outcome counts, the value-of-information sums of :mod:`~decision.analyses.explore.voi`)
and streamed to the archives (:mod:`~decision.analyses.explore.archive`). Scenario discovery
(:mod:`~decision.analyses.explore.discovery`) runs on the first :data:`DISCOVERY_ROWS`
samples (every design's leading rows cover the cube evenly: Sobol's by construction, the
others' as independent uniform rows). Sensitivity indices come from their own SALib design
through the same evaluation (:mod:`~decision.analyses.explore.sensitivity`), or, with
``sensitivity="given"``, as given-data first-order indices from the main pass itself (no
SALib, no extra evaluations: what the report uses to stay fast). ``tree=False`` leaves CART
out (and scikit-learn unimported).

Every probability is stated with its Monte Carlo standard error ``sqrt(p (1 - p) / n)`` (for
the quasi-random designs an upper bound in practice).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from decision.analyses.explore.design import Design, InputSpace, input_space
from decision.analyses.explore.discovery import (
    TRIM_TOLERANCE,
    Box,
    TrajectoryPoint,
    TreeResult,
    cart,
    prim,
    sort_columns,
)
from decision.analyses.explore.outcomes import (
    PACKAGE_CANDIDATES,
    PILOT,
    ChunkOutcomes,
    MaskArray,
    Outcome,
    Portfolio,
    assess,
    evaluate,
    finish,
    outcome_flags,
    scenario_portfolio,
)
from decision.analyses.explore.sensitivity import (
    BOOTSTRAP_REPLICATES,
    GivenData,
    Indices,
    morris,
    sobol,
)
from decision.analyses.explore.voi import (
    VoiAccumulator,
    VoiTally,
    bin_samples,
    bins_for,
    voi_tally,
)
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.results import SKIP, rounded
from decision.uncertainty.checkpoint import input_fingerprint
from decision.uncertainty.runner import active

if TYPE_CHECKING:
    from decision.analyses.explore.archive import ParquetWriter, WorkbenchWriter

Progress = Callable[[int, int], None]
CHUNK = 8192
DISCOVERY_ROWS = 1 << 15
#: More inputs than this: Morris screening instead of Sobol indices by default.
MORRIS_ABOVE = 100
#: Influential inputs and inputs worth resolving kept per outcome or decision.
SHOWN = 10


@dataclass(frozen=True)
class Finding:
    """What describes one outcome of interest: how often it happens (with its Monte Carlo
    error), the PRIM box in words and numbers, its peeling trajectory, and the CART rules."""

    outcome: str
    probability: float
    mc_error: float
    box: Box | None
    trajectory: list[TrajectoryPoint]
    chosen: int
    tree: TreeResult | None
    sentence: str


@dataclass(frozen=True)
class Influence:
    input: str
    first: float
    first_conf: float
    total: float
    total_conf: float


@dataclass(frozen=True)
class Sensitivity:
    """The most influential inputs of one outcome (by total index, or Morris mu*)."""

    outcome: str
    method: str
    inputs: list[Influence]
    floor: float = 0.0  # the given-data estimator's noise floor, subtracted from each index


@dataclass(frozen=True)
class Worth:
    input: str
    evppi: float


@dataclass(frozen=True)
class Information:
    """The value of information for one decision (``option`` or ``package``)."""

    decision: str
    chosen: str  # what is chosen without further information
    evpi: float
    noise_floor: float
    inputs: list[Worth]  # the inputs worth resolving first, by EVPPI
    members: list[str] = field(default_factory=list)  # the chosen option, or package's


@dataclass(frozen=True)
class Exploration:
    scenario: str
    design: str
    samples: int
    seed: int
    inputs: list[str]
    do_now: list[str]
    do_now_value: float
    satisficing: float
    top_share: dict[str, float]
    findings: list[Finding]
    sensitivity: list[Sensitivity]
    information: list[Information]
    files: list[str]
    discovery_rows: int = field(default=0)
    #: Density a PRIM box may lose when a restriction is dropped (see ``discovery.prim``).
    trim_tolerance: float = field(default=TRIM_TOLERANCE)
    experiments: FloatArray | None = field(default=None, repr=False, metadata=SKIP)


def _numeric(chunk: ChunkOutcomes, flags: np.ndarray, outcomes: Sequence[Outcome]
             ) -> dict[str, FloatArray]:
    out = {
        "top_option": chunk.top.astype(np.float64),
        "best_package": chunk.best_mask.astype(np.float64),
        "best_value": chunk.best_value,
        "do_now_value": chunk.now_value,
        "regret": chunk.regret,
    }
    for j, oc in enumerate(outcomes):
        out[oc.name] = flags[:, j].astype(np.float64)
    return out


def _words(limits: Box, outcome: str, booleans: set[str]) -> str:
    parts = []
    for lim in limits.limits:
        name = lim.input.removeprefix("indicator:")
        if lim.input in booleans:
            parts.append(f"{name} is {'true' if lim.low is not None else 'false'}")
        elif lim.low is not None and lim.high is not None:
            parts.append(f"{name} is between {lim.low:.3g} and {lim.high:.3g}")
        elif lim.low is not None:
            parts.append(f"{name} is above {lim.low:.3g}")
        else:
            parts.append(f"{name} is below {lim.high:.3g}")
    when = " and ".join(parts) or "anywhere (no input restricts it)"
    return (f"{outcome} when {when}: this box covers {limits.coverage:.0%} of such cases "
            f"with {limits.density:.0%} density")


def _describe(outcome: Outcome, portfolio: Portfolio) -> str:
    now = " + ".join(portfolio.names(portfolio.do_now)) or "nothing"
    return {
        "package-loses": f"the do-now package ({now}) stops being the best",
        "below-satisficing": f"the do-now package delivers less than {portfolio.satisficing:.3g}",
        "regret": f"the best package beats the do-now package by more than {outcome.argument}",
        "top": f"{outcome.argument} ranks first",
        "in-package": f"{outcome.argument} is part of the best package",
        "out-of-package": f"{outcome.argument} stops being part of the best package",
    }[outcome.kind]


def explore(
    model: CompiledModel,
    inputs: ScenarioInputs,
    *,
    samples: int,
    design: str = "lhs",
    seed: int = 0,
    outcomes: Sequence[Outcome] = (),
    satisficing: float | None = None,
    sensitivity: str = "auto",
    sensitivity_samples: int | None = None,
    hold_weights: bool = False,
    out: Path | None = None,
    formats: Sequence[str] = ("workbench",),
    progress: Progress | None = None,
    keep_experiments: bool = False,
    tree: bool = True,
) -> Exploration:
    """Explore the scenario's input space (see the module docstring)."""
    space = input_space(model, inputs, hold_weights=hold_weights)
    rows = Design(design, samples, space.d, seed)
    portfolio = scenario_portfolio(model, inputs, satisficing)
    outcomes = list(outcomes) or _default_outcomes(space, portfolio)
    options = list(model.options)
    now = np.array([portfolio.do_now], dtype=np.uint32)

    # pilot: the package candidates of the value of information, from the best packages of
    # the design's first rows (the first chunk's, drawn, mapped and assessed once: only
    # what the candidates deliver waits for them)
    runner = active()  # with one, the chunks are evaluated by its workers: the pilot only
    first_u = rows.rows(0, min(samples, CHUNK))
    first_x = space.natural(first_u)
    first = assess(space, portfolio, first_x if runner is None else first_x[:PILOT])
    masks, counts = np.unique(first.best_mask[:PILOT], return_counts=True)
    ranked = masks[np.lexsort((masks, -counts))][:PACKAGE_CANDIDATES]
    candidates = np.concatenate([now, ranked[ranked != now[0]]]).astype(np.uint32)

    writers: list[WorkbenchWriter | ParquetWriter] = []
    names_out = ["top_option", "best_package", "best_value", "do_now_value", "regret",
                 *(oc.name for oc in outcomes)]
    files: list[str] = []
    if out is not None:  # the archives' modules (tarfile, gzip) only when writing one
        from decision.analyses.explore.archive import (
            PARQUET_NAME,
            WORKBENCH_NAME,
            ParquetWriter,
            WorkbenchWriter,
        )

        out.mkdir(parents=True, exist_ok=True)
        if "workbench" in formats:
            writers.append(WorkbenchWriter(out / WORKBENCH_NAME, space.names, names_out))
            files.append(str(out / WORKBENCH_NAME))
        if "parquet" in formats:
            writers.append(ParquetWriter(out / PARQUET_NAME, space.names, names_out))
            files.append(str(out / PARQUET_NAME))

    keep = min(samples, DISCOVERY_ROWS)
    # the experiments and the rows kept for discovery: views of the first chunk's rows when
    # it holds them all, else filled chunk by chunk (the kept rows lead the experiments)
    one_chunk = samples <= CHUNK
    whole = (first_x if one_chunk else np.empty((samples, space.d))) if keep_experiments else None
    kept_x = (first_x[:keep] if keep <= CHUNK else whole[:keep] if whole is not None
              else np.empty((keep, space.d)))
    copy_kept = keep > CHUNK and whole is None
    kept_flags = np.empty((keep, len(outcomes)), dtype=bool)
    hits = np.zeros(len(outcomes), dtype=np.int64)
    tops = np.zeros(len(options), dtype=np.int64)
    bins = bins_for(samples)
    option_voi = VoiAccumulator(space.d, len(options), bins)
    package_voi = VoiAccumulator(space.d, candidates.size, bins)
    given = (GivenData(space.d, ["do_now_value", "regret", *(oc.name for oc in outcomes)], bins,
                       replicates=BOOTSTRAP_REPLICATES)
             if sensitivity == "given" and space.d else None)
    total_work = samples
    spans = [(start, min(samples, start + CHUNK)) for start in range(0, samples, CHUNK)]
    shipped = SpanOutcomes(space, portfolio, candidates, tuple(outcomes), design, samples, seed,
                           bins)
    evaluated = (None if runner is None else runner.map(
        shipped, spans, label=f"{inputs.id}-explore", fingerprint={
            **input_fingerprint(model, inputs), "design": design, "design_samples": samples,
            "design_seed": seed, "outcomes": [repr(oc) for oc in outcomes],
            "satisficing": portfolio.satisficing, "hold_weights": hold_weights,
            "candidates": candidates.tolist(), "chunk": CHUNK, "voi_bins": bins}))
    needs_x = bool(writers) or keep_experiments
    for start, stop in spans:
        if evaluated is None:  # here: the rows are at hand, evaluate them
            if start == 0:  # assessed with the pilot
                u, x = first_u, first_x
                chunk = finish([first], candidates)
            else:
                u = rows.rows(start, stop)
                x = space.natural(u)
                chunk = evaluate(space, portfolio, candidates, x)
            flags = outcome_flags(outcomes, chunk, portfolio, options)
            binned = bin_samples(u, start, bins)  # shared by every tally of the chunk
            option_voi.add(u, chunk.scores, start, binned)
            package_voi.add(u, chunk.delivered, start, binned)
        else:  # evaluated and tallied elsewhere, merged in order; rows only where needed
            chunk, flags, option_part, package_part = next(evaluated)
            option_voi.merge(option_part)
            package_voi.merge(package_part)
            wanted = needs_x or start < keep
            if start == 0:
                u, x = first_u, first_x
            else:
                u = rows.rows(start, stop) if wanted or given is not None else np.empty((0, 0))
                x = space.natural(u) if wanted else u
            binned = None
        hits += flags.sum(axis=0)
        tops += np.bincount(chunk.top, minlength=len(options))
        if given is not None:
            given.add(u, np.column_stack([chunk.now_value, chunk.regret, flags]), start,
                      binned)
        if start < keep:
            take = min(stop, keep) - start
            if copy_kept:
                kept_x[start : start + take] = x[:take]
            kept_flags[start : start + take] = flags[:take]
        if whole is not None and not one_chunk:
            whole[start:stop] = x
        for writer in writers:
            writer.add(x, _numeric(chunk, flags, outcomes))
        if progress:
            progress(stop, total_work)
    for writer in writers:
        writer.close()

    booleans = {c.name for c in space.columns
                if c.kind == "indicator" and model.is_boolean[c.index]}
    findings = []
    columns = sort_columns(kept_x)  # sorted once for every outcome's PRIM
    for j, oc in enumerate(outcomes):
        p = float(hits[j]) / samples
        y = kept_flags[:, j]
        what = _describe(oc, portfolio)
        if 0 < y.sum() < y.size:
            found = prim(kept_x, y, space.names, columns=columns)
            rules = cart(kept_x, y, space.names, seed=seed) if tree else None
            findings.append(Finding(oc.name, rounded(p), rounded(math.sqrt(p * (1 - p) / samples)),
                                    found.box, found.trajectory, found.chosen, rules,
                                    _words(found.box, what[0].upper() + what[1:], booleans)))
        else:
            always = "always" if y.all() else "never"
            findings.append(Finding(oc.name, rounded(p), rounded(math.sqrt(p * (1 - p) / samples)),
                                    None, [], 0, None, f"{what[0].upper() + what[1:]}: {always} "
                                    f"in the {y.size} samples examined"))

    def function(u: FloatArray) -> dict[str, FloatArray]:
        chunk = evaluate(space, portfolio, now, space.natural(u))
        found = _numeric(chunk, outcome_flags(outcomes, chunk, portfolio, options), outcomes)
        return {name: found[name] for name in ("do_now_value", "regret",
                                               *(oc.name for oc in outcomes))}

    method = sensitivity if sensitivity != "auto" else (
        "morris" if space.d > MORRIS_ABOVE else "sobol")
    indices: list[Indices] = given.result() if given is not None else []
    if method == "sobol" and space.d:
        indices = sobol(space.names, function, sensitivity_samples or 512, seed)
    elif method == "morris" and space.d:
        indices = morris(space.names, function, sensitivity_samples or 64, seed)

    option_result, package_result = option_voi.result(), package_voi.result()
    information = [
        Information("option", options[option_result.best_on_mean], rounded(option_result.evpi),
                    rounded(option_result.floor), _worth(space, option_result.evppi),
                    [options[option_result.best_on_mean]]),
        Information("package",
                    " + ".join(portfolio.names(int(candidates[package_result.best_on_mean])))
                    or "nothing",
                    rounded(package_result.evpi), rounded(package_result.floor),
                    _worth(space, package_result.evppi),
                    portfolio.names(int(candidates[package_result.best_on_mean]))),
    ]
    return Exploration(
        scenario=inputs.id,
        design=design,
        samples=samples,
        seed=seed,
        inputs=space.names,
        do_now=portfolio.names(portfolio.do_now),
        do_now_value=rounded(portfolio.do_now_value),
        satisficing=rounded(portfolio.satisficing),
        top_share={o: rounded(float(c) / samples) for o, c in zip(options, tops, strict=True)},
        findings=findings,
        sensitivity=[_ranked(space, s) for s in indices],
        information=information,
        files=files,
        discovery_rows=keep,
        experiments=whole,
    )


@dataclass(frozen=True)
class SpanOutcomes:
    """What a Dask task computes for a span of the design: its chunk outcomes, outcome flags
    and value-of-information sums (per option, per candidate package). The design's rows are
    drawn where it runs, by random access (an ``lhs`` design is drawn whole once per
    process), so only these travel back."""

    space: InputSpace
    portfolio: Portfolio
    candidates: MaskArray
    outcomes: tuple[Outcome, ...]
    design: str
    samples: int
    seed: int
    bins: int

    def __call__(self, span: tuple[int, int]
                 ) -> tuple[ChunkOutcomes, BoolArray, VoiTally, VoiTally]:
        rows = _design(self.design, self.samples, self.space.d, self.seed)
        u = rows.rows(*span)
        chunk = evaluate(self.space, self.portfolio, self.candidates, self.space.natural(u))
        options = list(self.space.model.options)
        binned = bin_samples(u, span[0], self.bins)
        return (chunk, outcome_flags(self.outcomes, chunk, self.portfolio, options),
                voi_tally(u, chunk.scores, span[0], self.bins, binned),
                voi_tally(u, chunk.delivered, span[0], self.bins, binned))


_DESIGNS: dict[tuple[str, int, int, int], Design] = {}


def _design(kind: str, n: int, d: int, seed: int) -> Design:
    """The process's design of these settings (the latest one only)."""
    key = (kind, n, d, seed)
    if key not in _DESIGNS:
        _DESIGNS.clear()
        _DESIGNS[key] = Design(kind, n, d, seed)
    return _DESIGNS[key]


def _worth(space: InputSpace, evppi: FloatArray) -> list[Worth]:
    order = np.argsort(-evppi, kind="stable")[:SHOWN]
    return [Worth(space.names[j], rounded(float(evppi[j]))) for j in order.tolist()
            if evppi[j] > 0]


def _ranked(space: InputSpace, s: Indices) -> Sensitivity:
    order = np.argsort(-s.total if s.method == "sobol" else -s.first, kind="stable")[:SHOWN]
    return Sensitivity(s.outcome, s.method, [
        Influence(space.names[j], rounded(float(s.first[j])), rounded(float(s.first_conf[j])),
                  rounded(float(s.total[j])), rounded(float(s.total_conf[j])))
        for j in order.tolist()
    ], rounded(s.floor))


def _default_outcomes(space: InputSpace, portfolio: Portfolio) -> list[Outcome]:
    """The plan failing (another package best; below its threshold) and the do-now
    package's first member dropping out of the best package."""
    found = [Outcome("package-loses"), Outcome("below-satisficing")]
    members = portfolio.names(portfolio.do_now)
    if members:
        found.append(Outcome("out-of-package", members[-1]))
    return found
