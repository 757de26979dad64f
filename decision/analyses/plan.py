"""The adaptive plan: what to do now, what to add or switch on which trigger, the signposts to
watch, the hedges, and when the do-now package stops being acceptable; per period of a
timeline when the scenario has one.

Assumption-based planning and dynamic adaptive policy pathways (Haasnoot et al. 2013) state a
plan as actions, adaptation tipping points, signposts and triggers; here each is computed from
the model, never asserted:

- do now: the best package within the budgets (the portfolio analysis's best bundle: in a
  sampled scenario the one most often best), its value, how often it is best, and each
  member's marginal value;
- triggers: for each option unavailable now, every failing precondition of it and of the
  options it requires is met just far enough at once (the joint move of
  :mod:`decision.analyses.openings`, thresholds exact), and the best package there says
  whether it joins and what it replaces;
- signposts and adaptation tipping points: :mod:`decision.analyses.signposts`;
- hedges: over every world the scenario holds (its samples, in every period), the package
  with the least maximum regret among those that are best somewhere, against the do-now one;
- pathway: the periods of a timeline stacked as samples of one enumeration, the package of
  each, and what opens or closes at each switch (:mod:`decision.analyses.pathways`).

Package values are the portfolio's (a sum over members of the weighted value over the
reference option), so the satisficing threshold and margin are on that scale.

Sampled worlds: a scenario's samples per period are those of its portfolio analysis, at most
:data:`~decision.analyses.portfolio.problem.MAX_SAMPLES` (the report's plan and a plan without
``--samples`` keep every world in memory, as one stacked problem). Asked for more
(``uncapped``: ``decision plan --samples N``), a plan reads its worlds in spans and keeps
tallies only (:mod:`decision.analyses.plan_worlds`), so 10^5..10^7 samples per period run in
bounded memory, here or on Dask, with the same bytes wherever they run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar, Literal

import numpy as np
from numpy.typing import NDArray

from decision.analyses.openings import Move, joint_moves
from decision.analyses.packages import (
    MaskArray,
    PackageSpace,
    package_space,
    realised_values,
)
from decision.analyses.pathways import Switch, pathway_switches
from decision.analyses.plan_worlds import (
    Columns,
    Progress,
    SampledWorlds,
    SpanProblem,
    candidates,
    columns_of,
    fingerprint,
    merge_counts,
    plan_samples,
    streamed,
)
from decision.analyses.portfolio.enumerate import (
    Interaction,
    PortfolioProblem,
    bundle_values,
    sample_best,
    stack,
)
from decision.analyses.portfolio.problem import portfolio_problem
from decision.analyses.signposts import (
    DEFAULT_MARGIN,
    DEFAULT_SATISFICING_SHARE,
    VERDICTS,
    Crossing,
    PackageState,
    crossings_many,
)
from decision.analyses.tipping import thresholds
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.errors import DecisionError
from decision.results import SKIP, key, rounded

#: Scan points per indicator for signposts and adaptation tipping points (plus every
#: precondition threshold, then bisection to the analyses' tolerance): a package change that
#: happens and reverts within 1/200 of an indicator's range can be missed.
SCAN_GRID = 201


@dataclass(frozen=True)
class PlanSettings:
    """The satisficing threshold and the margin (None: the defaults above)."""

    satisficing: float | None = None
    margin: float | None = None


@dataclass(frozen=True, eq=False)
class PlanPeriod:
    """One state of a timeline: its label (``now`` for the scenario's own state, else its
    date as written), title, and inputs (the scenario's with the period's overlays)."""

    label: str
    date: str | None
    title: str | None
    inputs: ScenarioInputs


@dataclass(frozen=True)
class Member:
    """A member of a package and its marginal value (the best value without it is lower by
    that much; mean over samples)."""

    option: str
    marginal: float


@dataclass(frozen=True)
class PackageAt:
    """The best package in one period."""

    period: str
    date: str | None
    title: str | None
    members: list[Member]
    value: float
    probability: float | None  # share of samples in which it is best (None: one sample)
    mask: int = field(metadata=SKIP)

    @property
    def options(self) -> list[str]:
        return [m.option for m in self.members]


@dataclass(frozen=True)
class Condition:
    """One observable threshold: ``indicator`` moved from its current value to ``to``."""

    indicator: str
    value_from: float = field(metadata=key("from"))
    value_to: float = field(metadata=key("to"))
    boolean: bool
    #: The condition is strict (``<`` or ``>``): ``to`` is just past ``threshold``.
    threshold: float | None = field(default=None, metadata=SKIP)

    __data_extra__: ClassVar[tuple[str, ...]] = ("phrase",)

    def phrase(self) -> str:
        if self.boolean:
            return f"{self.indicator} becomes {'true' if self.value_to >= 0.5 else 'false'}"
        if self.threshold is not None:  # the openings analysis's wording of a strict move
            move = Move(self.indicator, self.value_from, self.value_to, False, self.threshold)
            return move.phrase()
        sign = ">=" if self.value_to > self.value_from else "<="
        return f"{self.indicator} {sign} {rounded(self.value_to):g}"


@dataclass(frozen=True)
class Trigger:
    """A gated option: the conditions that open it (and the options it requires), and the
    best package once they hold."""

    option: str
    conditions: list[Condition]
    unmovable: list[str]  # failing conditions that are no `indicator OP constant`
    opens: bool
    joins: bool
    package: list[str]
    adds: list[str]
    drops: list[str]
    value: float


@dataclass(frozen=True)
class Signpost:
    """An indicator whose movement alone changes the plan: where, and what changes there.

    ``kind`` is ``package changes`` (the best package changes at the threshold) or
    ``trigger`` (one of a trigger's conditions; the package changes once all hold).
    ``stake``: how much better the new best package is than the do-now package just beyond
    the threshold (for a trigger, at the trigger's state)."""

    indicator: str
    kind: Literal["package changes", "trigger"]
    value: float
    threshold: float
    direction: Literal["up", "down"]
    distance: float
    share_of_range: float
    exact: bool
    boolean: bool
    package: list[str]
    adds: list[str]
    drops: list[str]
    stake: float


@dataclass(frozen=True)
class AdaptationTippingPoint:
    """Where, along one indicator, the do-now package stops being acceptable, and why."""

    indicator: str
    value: float
    threshold: float
    direction: Literal["up", "down"]
    distance: float
    share_of_range: float
    exact: bool
    boolean: bool
    verdict: str
    now_value: float
    best: list[str]
    best_value: float


@dataclass(frozen=True)
class Hedge:
    """Where the do-now package loses most, and the package with the least maximum regret
    (regret: the best package's value in a world minus what the package delivers there)."""

    worlds: int
    worst_world: str
    worst_value: float  # the do-now package's value there
    worst_best_value: float  # the best package's value there
    now_max_regret: float
    package: list[str]
    max_regret: float
    base_cost: float  # do-now value minus the hedge's value in the base case (first period)
    same: bool  # the hedge is the do-now package


@dataclass(frozen=True)
class ScenarioPlan:
    """The adaptive plan of one scenario (see the module docstring)."""

    scenario: str
    options: list[str]  # the options a package may hold
    samples: int
    budgets: dict[str, float | None]
    satisficing: float
    satisficing_stated: bool
    margin: float
    margin_stated: bool
    do_now: PackageAt
    acceptable_now: str  # a verdict of :data:`VERDICTS` at the point values
    triggers: list[Trigger]
    signposts: list[Signpost]
    tipping: list[AdaptationTippingPoint]
    hedge: Hedge
    pathway: list[PackageAt]
    switches: list[Switch]
    worlds: Worlds | SampledWorlds = field(repr=False, metadata=SKIP)


@dataclass(frozen=True, eq=False)
class Worlds:
    """The stacked problem of a scenario's periods and samples, its best values, labels."""

    problem: PortfolioProblem
    best_masks: MaskArray
    best_values: FloatArray
    labels: list[str]
    base_rows: int  # rows of the first period
    base: PortfolioProblem  # the point problem of the first period (the base state)
    known: dict[int, FloatArray] = field(default_factory=dict, repr=False)

    def realised(self, masks: MaskArray) -> FloatArray:
        """``(s, m)``: what each package delivers in each world (``realised_values``), each
        package's figures found once and kept (a package's figures do not depend on which
        others are asked for with it), so the scenario's hedge and the plan set's share them."""
        wanted = [int(m) for m in np.asarray(masks).tolist()]
        missing = sorted(set(wanted) - self.known.keys())
        if missing:
            found = realised_values(self.problem, np.array(missing, dtype=np.uint32))
            self.known.update(zip(missing, found.T, strict=True))
        return np.stack([self.known[m] for m in wanted], axis=1)

    @property
    def size(self) -> int:
        return int(self.best_values.size)

    def counted(self) -> tuple[MaskArray, NDArray[np.int64]]:
        """Every package best in some world, and in how many."""
        uniq, counts = np.unique(self.best_masks, return_counts=True)
        return uniq.astype(np.uint32), counts.astype(np.int64)

    def label(self, world: int) -> str:
        return self.labels[world]

    def columns(self, masks: MaskArray) -> Columns:
        """The tallies :class:`~decision.analyses.plan_worlds.SampledWorlds` gives, of these
        worlds (for a hedge over worlds of both kinds)."""
        return columns_of(self.realised(masks), self.best_values, self.base_rows, 0)


@dataclass(frozen=True)
class PlanSet:
    """Plans of several scenarios, and the hedge of the base scenario's do-now package across
    every world of them all."""

    base: str
    plans: list[ScenarioPlan]
    hedge: Hedge


# ------------------------------------------------------------------------------------ plan


#: A starting state's analysis: the verdict there, triggers, signposts, tipping points.
StateAnalysis = tuple[str, list[Trigger], list[Signpost], list[AdaptationTippingPoint]]


@dataclass(eq=False)
class SharedWork:
    """Work the plans of several scenarios of one model share (pass one to every
    :func:`scenario_plan` call of a plan set, or plan them together with
    :func:`scenario_plans`).

    Scenarios that start from the same state (indicator values, weights and budgets; a
    timeline scenario's ``now`` is often the baseline) have the same package space, and with
    the same do-now package, satisficing threshold and margin the same triggers, signposts and
    adaptation tipping points, so those are computed once; and the signposts of the states
    of one package structure are searched in one batch (:func:`crossings_many`). Keys are
    exact (the arrays' bytes): sharing changes no figure.
    """

    spaces: dict[tuple[object, ...], PackageSpace] = field(default_factory=dict)
    states: dict[tuple[object, ...], StateAnalysis] = field(default_factory=dict)
    pending: dict[tuple[object, ...], tuple[PackageSpace, FloatArray, int, float, float]] = (
        field(default_factory=dict)
    )

    def spaces_of(
        self,
        starts: Sequence[tuple[CompiledModel, ScenarioInputs, Mapping[str, float] | None]],
    ) -> list[PackageSpace]:
        """The package spaces of several starting states; those that share a model, weights
        and budgets from the first one's rows in one engine batch (a point's problem differs
        from another's only in the option values and availability: the builder's figures)."""
        firsts: dict[tuple[object, ...], PackageSpace] = {}
        todo: dict[tuple[object, ...], list[tuple[tuple[object, ...], ScenarioInputs]]] = {}
        for model, inputs, budgets in starts:
            place = _place(model, inputs, budgets)
            if place in self.spaces:
                continue
            kin = (place[0], *place[2:])
            if kin not in firsts:
                firsts[kin] = self.spaces[place] = package_space(model, inputs, budgets)
            elif place not in dict(todo.get(kin, [])):
                todo.setdefault(kin, []).append((place, inputs))
        for kin, rest in todo.items():
            first = firsts[kin]
            rows = first.at(np.stack([inputs.values for _, inputs in rest]))
            for r, (place, inputs) in enumerate(rest):
                self.spaces[place] = replace(first, inputs=inputs, point=_rows_of(rows, r, r + 1))
        return [self.spaces[_place(*start)] for start in starts]

    def analyse(self) -> None:
        """Every pending state's analysis; the states of one package structure together."""
        groups: dict[tuple[object, ...], list[tuple[object, ...]]] = {}
        for state, (space, *_) in self.pending.items():
            groups.setdefault(_structure(space), []).append(state)
        for keys in groups.values():
            starts = [self.pending[state] for state in keys]
            space = starts[0][0]
            found = crossings_many(
                space, [start[1:] for start in starts], thresholds(space.model), grid=SCAN_GRID
            )
            # the triggers' states of every starting state, in one batch
            bests = [int(begin.best[0]) for begin, _ in found]
            aims = [_trigger_targets(own, x0, own.point.available[0])
                    for own, x0, *_ in starts]
            sizes = np.cumsum([0] + [aim.rows.shape[0] for aim in aims])
            masks, values, reached = space.best(np.concatenate([aim.rows for aim in aims]))
            kinds, which = np.unique(np.array(bests, dtype=np.uint32), return_inverse=True)
            owner = np.repeat(np.arange(len(aims)), np.diff(sizes))
            now_values = bundle_values(reached, kinds)[np.arange(owner.size), which[owner]]
            for n, (state, (own, x0, *_), (begin, crossed), aim) in enumerate(
                zip(keys, starts, found, aims, strict=True)
            ):
                rows = slice(sizes[n], sizes[n + 1])
                triggers = _triggers(own, x0, bests[n], aim, masks[rows], values[rows],
                                     reached.available[rows])
                self.states[state] = _state_analysis(
                    own, x0, begin, crossed, triggers, now_values[rows]
                )
        self.pending.clear()


def _structure(space: PackageSpace) -> tuple[object, ...]:
    """What a package space's rows depend on besides their indicator values: spaces equal in
    it give every row the same figures (:meth:`PackageSpace.at`)."""
    point = space.point
    return (
        id(space.model),
        np.asarray(space.inputs.weights).tobytes(),
        space.positions.tobytes(),
        point.costs[0].tobytes(),
        point.budgets.tobytes(),
        tuple((it.members, it.value[0]) for it in point.interactions),
        tuple(point.exclusions),
        tuple(point.dependencies),
        None if point.eligible is None else point.eligible.tobytes(),
    )


@dataclass(frozen=True, eq=False)
class _Draft:
    """A scenario's plan before its state analysis (see :func:`scenario_plans`)."""

    periods: Sequence[PlanPeriod]
    space: PackageSpace
    worlds: Worlds | SampledWorlds
    pathway: list[PackageAt]
    satisficing: float
    satisficing_stated: bool
    margin: float
    margin_stated: bool
    key: tuple[object, ...]


def scenario_plan(
    model: CompiledModel,
    periods: Sequence[PlanPeriod],
    settings: PlanSettings | None = None,
    budgets: Mapping[str, float] | None = None,
    shared: SharedWork | None = None,
    *,
    uncapped: bool = False,
) -> ScenarioPlan:
    """The plan of one scenario over its periods (the first is the scenario's own state)."""
    return scenario_plans([(model, periods, settings, budgets)], shared, uncapped=uncapped)[0]


def scenario_plans(
    scenarios: Sequence[
        tuple[CompiledModel, Sequence[PlanPeriod], PlanSettings | None,
              Mapping[str, float] | None]
    ],
    shared: SharedWork | None = None,
    *,
    uncapped: bool = False,
    progress: Progress | None = None,
) -> list[ScenarioPlan]:
    """The plans of several scenarios (model, periods, settings, budgets), their state
    analyses in one batch: each plan is :func:`scenario_plan`'s. With ``uncapped``, a
    scenario's samples per period are all its samples (see the module docstring);
    ``progress(done, total)`` is told the samples of each scenario read in spans."""
    shared = shared or SharedWork()
    spaces = shared.spaces_of([(model, periods[0].inputs, budgets)
                               for model, periods, _, budgets in scenarios])
    samples = [plan_samples(periods[0].inputs, uncapped) for _, periods, _, _ in scenarios]
    held = [n for n, count in enumerate(samples) if not streamed(count)]
    stacks = {n: _stacked(scenarios[n][0], scenarios[n][1], spaces[n], scenarios[n][3])
              for n in held}
    bests = dict(zip(held, _best_together([stacks[n] for n in held]) if held else [],
                     strict=True))
    drafts = []
    for n, (model, periods, settings, budgets) in enumerate(scenarios):
        worlds: Worlds | SampledWorlds
        if n in stacks:
            best, known = bests[n]
            worlds, pathway = _pathway(periods, spaces[n], stacks[n], best, known)
        else:
            worlds, pathway = _streamed_pathway(model, periods, spaces[n], budgets, samples[n],
                                                progress)
        drafts.append(_draft(model, periods, settings, budgets, shared, spaces[n], worlds,
                             pathway))
    shared.analyse()
    return [_finish(draft, shared) for draft in drafts]


def _best_together(
    stacks: Sequence[PortfolioProblem],
) -> list[tuple[tuple[MaskArray, FloatArray, FloatArray], dict[int, FloatArray]]]:
    """Each problem's ``sample_best`` (with marginals) and what every package that is best
    somewhere delivers in each of its samples (``realised_values``), the problems of one
    structure in one enumeration of each kind (rows are independent: the figures of each
    alone).

    The best value without an option is what the package of every other option realises
    (the best over its subsets: the same bundle values, the same maximum), so the marginals
    come with the realised values."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for n, problem in enumerate(stacks):
        groups.setdefault(_rules(problem), []).append(n)
    joined = {rules: stack([stacks[n] for n in members]) for rules, members in groups.items()}
    best: dict[int, tuple[MaskArray, FloatArray]] = {}
    for rules, members in groups.items():
        masks, values, _ = sample_best(joined[rules])
        ends = np.cumsum([0] + [stacks[n].n_samples for n in members])
        for n, a, b in zip(members, ends[:-1], ends[1:], strict=True):
            best[n] = (masks[a:b], values[a:b])
    # every package a hedge of these scenarios can weigh: best in some world (a do-now
    # package is one)
    weighed = np.unique(np.concatenate([masks for masks, _ in best.values()]))
    out: dict[int, tuple[tuple[MaskArray, FloatArray, FloatArray], dict[int, FloatArray]]] = {}
    for rules, members in groups.items():
        n_options = joined[rules].n_options
        full = (1 << n_options) - 1
        drops = [full ^ (1 << j) for j in range(n_options)]
        asked = np.unique(np.concatenate([weighed, np.array(drops, dtype=np.uint32)]))
        found = realised_values(joined[rules], asked.astype(np.uint32))
        column = {int(m): c for c, m in enumerate(asked.tolist())}
        without = found[:, [column[d] for d in drops]]
        ends = np.cumsum([0] + [stacks[n].n_samples for n in members])
        for n, a, b in zip(members, ends[:-1], ends[1:], strict=True):
            masks, values = best[n]
            known = dict(zip(weighed.tolist(), found[a:b, [column[int(m)] for m in weighed]].T,
                             strict=True))
            out[n] = ((masks, values, values[:, None] - without[a:b]), known)
    return [out[n] for n in range(len(stacks))]


def _rules(problem: PortfolioProblem) -> tuple[object, ...]:
    """What problems stacked into one must share (see ``stack``)."""
    return (
        problem.n_options,
        problem.n_resources,
        problem.budgets.tobytes(),
        tuple(it.members for it in problem.interactions),
        tuple(problem.exclusions),
        tuple(problem.dependencies),
        None if problem.eligible is None else problem.eligible.tobytes(),
    )


def _draft(
    model: CompiledModel,
    periods: Sequence[PlanPeriod],
    settings: PlanSettings | None,
    budgets: Mapping[str, float] | None,
    shared: SharedWork,
    space: PackageSpace,
    worlds: Worlds | SampledWorlds,
    pathway: list[PackageAt],
) -> _Draft:
    settings = settings or PlanSettings()
    x0 = np.asarray(periods[0].inputs.values, dtype=np.float64)
    do_now = pathway[0]
    margin = DEFAULT_MARGIN if settings.margin is None else float(settings.margin)
    satisficing = (
        rounded(DEFAULT_SATISFICING_SHARE * max(do_now.value, 0.0))
        if settings.satisficing is None
        else float(settings.satisficing)
    )
    key = (*_place(model, periods[0].inputs, budgets), do_now.mask, satisficing, margin)
    if key not in shared.states:
        shared.pending[key] = (space, x0, do_now.mask, satisficing, margin)
    return _Draft(
        periods, space, worlds, pathway, satisficing, settings.satisficing is not None,
        margin, settings.margin is not None, key,
    )


def _place(
    model: CompiledModel, inputs: ScenarioInputs, budgets: Mapping[str, float] | None
) -> tuple[object, ...]:
    """A starting state: the model, indicator values, weights and budgets."""
    return (id(model), np.asarray(inputs.values, dtype=np.float64).tobytes(),
            np.asarray(inputs.weights).tobytes(),
            tuple(sorted({**inputs.budgets, **(budgets or {})}.items())))


def _finish(draft: _Draft, shared: SharedWork) -> ScenarioPlan:
    space, worlds, pathway, do_now = draft.space, draft.worlds, draft.pathway, draft.pathway[0]
    acceptable_now, triggers, signposts, tipping = shared.states[draft.key]
    return ScenarioPlan(
        scenario=draft.periods[0].inputs.id,
        options=list(space.options),
        samples=int(worlds.base_rows),
        budgets=space.budgets,
        satisficing=draft.satisficing,
        satisficing_stated=draft.satisficing_stated,
        margin=draft.margin,
        margin_stated=draft.margin_stated,
        do_now=do_now,
        acceptable_now=acceptable_now,
        triggers=list(triggers),
        signposts=list(signposts),
        tipping=list(tipping),
        hedge=hedge([worlds], do_now.mask, space.names, space.point),
        pathway=pathway,
        switches=pathway_switches(space.model, space, draft.periods, pathway),
        worlds=worlds,
    )


def _state_analysis(
    space: PackageSpace, x0: FloatArray, start: PackageState, found: list[Crossing],
    triggers: list[Trigger], now_values: FloatArray,
) -> StateAnalysis:
    """Whether the do-now package is acceptable at ``x0`` (``start``: the state there), the
    triggers, signposts and adaptation tipping points there (``found``: the crossings from
    ``x0``; ``now_values``: the do-now package's value at the triggers' states)."""
    mask0 = int(start.best[0])
    signposts = _signposts(space, x0, mask0, found)
    single = {(p.indicator, p.threshold) for p in signposts}
    signposts += [
        p for p in _trigger_signposts(space, mask0, triggers, now_values)
        if (p.indicator, p.threshold) not in single
    ]
    signposts.sort(key=lambda s: (s.share_of_range, -s.stake, s.indicator, s.direction))
    tipping = [
        _tipping_point(space, x0, c)
        for c in found
        if c.column == 1 and int(start.verdict[0]) == 0
    ]
    tipping.sort(key=lambda t: (t.share_of_range, t.indicator, t.direction))
    return VERDICTS[int(start.verdict[0])], triggers, signposts, tipping


def plan_set(plans: Sequence[ScenarioPlan], base: int = 0) -> PlanSet:
    """The plans of several scenarios of one model, with the base plan's hedge across all."""
    chosen = plans[base]

    def names(mask: int) -> list[str]:
        return [o for j, o in enumerate(chosen.options) if (mask >> j) & 1]

    return PlanSet(
        base=chosen.scenario,
        plans=list(plans),
        hedge=hedge(
            [p.worlds for p in plans],
            chosen.do_now.mask,
            names,
            chosen.worlds.base,
            [p.scenario for p in plans] if len(plans) > 1 else None,
        ),
    )


def _stacked(
    model: CompiledModel,
    periods: Sequence[PlanPeriod],
    space: PackageSpace,
    budgets: Mapping[str, float] | None,
) -> PortfolioProblem:
    """Every period's problem (the portfolio builder's, with the scenario's draws) stacked
    as the samples of one problem."""
    base = periods[0].inputs
    point = [  # periods with one sample and the scenario's weights and budgets
        k for k, p in enumerate(periods)
        if k > 0 and p.inputs.samples <= 1 and base.samples <= 1
        and np.array_equal(p.inputs.weights, base.weights) and p.inputs.budgets == base.budgets
    ]
    # their problems differ from the scenario's only in the option values and availability:
    # the package space's rows, in one engine batch (the builder's figures for a point)
    rows = space.at(np.stack([periods[k].inputs.values for k in point])) if point else None
    runs: dict[int, tuple[int, int]] = {}  # first period of consecutive ones -> their rows
    n = 0
    while n < len(point):
        m = n
        while m + 1 < len(point) and point[m + 1] == point[m] + 1:
            m += 1
        runs[point[n]] = (n, m + 1)
        n = m + 1
    problems: list[PortfolioProblem] = []
    counts: list[int] = []
    for k, p in enumerate(periods):
        if k in runs:
            problems.append(_rows_of(rows, *runs[k]))
        if k in point:
            counts.append(1)
            continue
        problem = (space.point if k == 0 and p.inputs.samples <= 1  # the same problem
                   else portfolio_problem(model, p.inputs, budgets)[0])
        problems.append(problem)
        counts.append(problem.n_samples)
    if len(set(counts)) != 1:
        raise DecisionError(
            "the periods of a timeline have different numbers of samples",
            key_path="timeline",
            allowed="one sample count for the scenario and its periods",
        )
    return stack(problems)


def _rows_of(problem: PortfolioProblem | None, a: int, b: int) -> PortfolioProblem:
    """Rows ``a:b`` of a problem of many rows (as the package space builds them)."""
    assert problem is not None
    return PortfolioProblem(
        values=problem.values[a:b],
        costs=problem.costs[a:b],
        budgets=problem.budgets,
        available=problem.available[a:b],
        interactions=[Interaction(it.members, it.value[a:b]) for it in problem.interactions],
        exclusions=problem.exclusions,
        dependencies=problem.dependencies,
        eligible=problem.eligible,
    )


def _pathway(
    periods: Sequence[PlanPeriod],
    space: PackageSpace,
    stacked: PortfolioProblem,
    best: tuple[MaskArray, FloatArray, FloatArray],
    known: dict[int, FloatArray] | None = None,
) -> tuple[Worlds, list[PackageAt]]:
    """The package most often best in each period, from the best package of every sample of
    the periods' ``stacked`` problem (``best``: ``sample_best``'s, with marginals)."""
    best_masks, best_values, sample_marginal = best
    s, n = stacked.n_samples // len(periods), stacked.n_options
    masks = best_masks.reshape(len(periods), s)
    marginal = sample_marginal.reshape(len(periods), s, n)
    pathway = []
    for p, period in enumerate(periods):
        uniq, counts = np.unique(masks[p], return_counts=True)
        pick = int(np.argmax(counts))  # most often best; ties: the lowest mask
        mask = int(uniq[pick])
        rows = slice(p * s, (p + 1) * s)
        value = float(bundle_values(stacked, [mask])[rows, 0].mean())
        members = [
            Member(space.options[j], rounded(float(marginal[p, :, j].mean())))
            for j in range(n)
            if (mask >> j) & 1
        ]
        pathway.append(
            PackageAt(
                period.label, period.date, period.title, members, rounded(value),
                rounded(float(counts[pick]) / s) if s > 1 else None, mask,
            )
        )
    labels = [
        p.label if s == 1 else f"{p.label}, sample {k + 1}" for p in periods for k in range(s)
    ]
    worlds = Worlds(stacked, best_masks, best_values, labels, s, space.point, dict(known or {}))
    return worlds, pathway


def _streamed_pathway(
    model: CompiledModel,
    periods: Sequence[PlanPeriod],
    space: PackageSpace,
    budgets: Mapping[str, float] | None,
    samples: int,
    progress: Progress | None = None,
) -> tuple[SampledWorlds, list[PackageAt]]:
    """:func:`_pathway`'s figures from worlds read in spans (:mod:`~decision.analyses.
    plan_worlds`): counts first, then the periods' packages' values with the tallies of the
    scenario's own hedge candidates, in one more pass."""
    inputs = tuple(p.inputs for p in periods)
    if any(p.samples != inputs[0].samples for p in inputs):
        raise DecisionError(
            "the periods of a timeline have different numbers of samples",
            key_path="timeline",
            allowed="one sample count for the scenario and its periods",
        )
    worlds = SampledWorlds(
        SpanProblem(model, inputs, budgets), samples, [p.label for p in periods], space.point,
        inputs[0].id, fingerprint(model, inputs, budgets), progress,
    )
    modes = worlds.modes()
    worlds.columns(candidates(*worlds.counted(), int(modes[0]), space.point), modes=True)
    pathway = []
    for p, period in enumerate(periods):
        mask = int(modes[p])
        count = int(worlds.counts.counts[p][worlds.counts.masks[p] == mask][0])
        members = [
            Member(space.options[j], rounded(float(worlds.counts.marginal[p, j]) / samples))
            for j in range(len(space.options))
            if (mask >> j) & 1
        ]
        pathway.append(
            PackageAt(
                period.label, period.date, period.title, members,
                rounded(float(worlds.values[p]) / samples), rounded(count / samples), mask,
            )
        )
    return worlds, pathway


def _closure(space: PackageSpace, option: int) -> list[int]:
    """The option and every option it requires (transitively), requirements first."""
    requires: dict[int, list[int]] = {}
    for b, a in space.point.dependencies:
        requires.setdefault(b, []).append(a)
    order: list[int] = []

    def visit(o: int) -> None:
        if o in order:
            return
        order.append(o)  # placed before its requirements are visited: cycles cannot loop
        for a in requires.get(o, []):
            visit(a)

    visit(option)
    return list(reversed(order))


@dataclass(frozen=True, eq=False)
class _Targets:
    """Where each option unavailable now opens: the options (``gated``), one row of
    indicator values each (``rows``; the starting point when none is gated), the conditions
    no move meets, and the strict thresholds passed."""

    gated: list[int]
    rows: FloatArray
    unmovable: list[list[str]]
    strict: list[dict[int, float | None]]


def _trigger_targets(space: PackageSpace, x0: FloatArray, available0: BoolArray) -> _Targets:
    """Each option unavailable now (``available0``): every failing precondition of it and of
    the options it requires met just far enough at once (see the module docstring)."""
    model = space.model
    gated = np.flatnonzero(~available0).tolist()
    targets = np.repeat(x0[None, :], max(len(gated), 1), axis=0)
    unmovable: list[list[str]] = []
    strict: list[dict[int, float | None]] = []
    index = model.index("indicators")
    for row, g in enumerate(gated):
        target = targets[row]
        unmovable.append([])
        strict.append({})
        for o in _closure(space, g):  # each requirement opened where the last one left off
            for joint in joint_moves(model, target, [int(space.positions[o])]):
                unmovable[-1] += list(joint.unmovable)
                for move in joint.moves:
                    target[index[move.indicator]] = move.value_to
                    strict[-1][index[move.indicator]] = move.threshold
    return _Targets(gated, targets, unmovable, strict)


def _triggers(
    space: PackageSpace,
    x0: FloatArray,
    best0: int,
    at: _Targets,
    masks: MaskArray,
    values: FloatArray,
    available: BoolArray,
) -> list[Trigger]:
    """Each gated option's trigger, from the best packages ``masks``, their ``values`` and
    the availability at the targets' rows; ``best0``: the best package now."""
    model = space.model
    out = []
    for row, g in enumerate(at.gated):
        mask, target = int(masks[row]), at.rows[row]
        conditions = [
            Condition(model.indicators[k], float(x0[k]), float(target[k]),
                      bool(model.is_boolean[k]), at.strict[row].get(k))
            for k in np.flatnonzero(target != x0).tolist()
        ]
        out.append(
            Trigger(
                option=space.options[g],
                conditions=conditions,
                unmovable=at.unmovable[row],
                opens=bool(available[row, g]),
                joins=bool((mask >> g) & 1),
                package=space.names(mask),
                adds=space.names(mask & ~best0),
                drops=space.names(best0 & ~mask),
                value=rounded(float(values[row])),
            )
        )
    return out


def _share(space: PackageSpace, k: int, distance: float) -> float:
    return rounded(distance / float(space.model.span[k]))


def _signposts(
    space: PackageSpace, x0: FloatArray, mask0: int, found: Sequence[Crossing]
) -> list[Signpost]:
    model = space.model
    out = []
    for c in found:
        if c.column != 0:
            continue
        k, mask = c.indicator, int(c.after.best[0])
        distance = abs(c.value - float(x0[k]))
        out.append(
            Signpost(
                indicator=model.indicators[k],
                kind="package changes",
                value=rounded(float(x0[k])),
                threshold=rounded(c.value),
                direction=c.direction,
                distance=rounded(distance),
                share_of_range=_share(space, k, distance),
                exact=c.exact,
                boolean=bool(model.is_boolean[k]),
                package=space.names(mask),
                adds=space.names(mask & ~mask0),
                drops=space.names(mask0 & ~mask),
                stake=rounded(float(c.after.best_value[0] - c.after.now_value[0])),
            )
        )
    return out


def _trigger_signposts(
    space: PackageSpace, mask0: int, triggers: Sequence[Trigger], now_values: FloatArray
) -> list[Signpost]:
    """Each condition of a trigger whose option joins the package, as a signpost (once per
    indicator, threshold and change); ``now_values``: the do-now package's value at the
    triggers' states."""
    model = space.model
    index = model.index("indicators")
    out = []
    seen: set[tuple[str, float, tuple[str, ...], tuple[str, ...]]] = set()
    for row, t in enumerate(triggers):
        if not t.joins:
            continue
        for c in t.conditions:
            mark = (c.indicator, c.value_to, tuple(t.adds), tuple(t.drops))
            if mark in seen:
                continue
            seen.add(mark)
            k = index[c.indicator]
            distance = abs(c.value_to - c.value_from)
            out.append(
                Signpost(
                    indicator=c.indicator,
                    kind="trigger",
                    value=rounded(c.value_from),
                    threshold=rounded(c.value_to),
                    direction="up" if c.value_to > c.value_from else "down",
                    distance=rounded(distance),
                    share_of_range=_share(space, k, distance),
                    exact=True,
                    boolean=c.boolean,
                    package=t.package,
                    adds=t.adds,
                    drops=t.drops,
                    stake=rounded(t.value - float(now_values[row])),
                )
            )
    return out


def _tipping_point(space: PackageSpace, x0: FloatArray, c: Crossing) -> AdaptationTippingPoint:
    model = space.model
    k = c.indicator
    distance = abs(c.value - float(x0[k]))
    return AdaptationTippingPoint(
        indicator=model.indicators[k],
        value=rounded(float(x0[k])),
        threshold=rounded(c.value),
        direction=c.direction,
        distance=rounded(distance),
        share_of_range=_share(space, k, distance),
        exact=c.exact,
        boolean=bool(model.is_boolean[k]),
        verdict=VERDICTS[int(c.after.verdict[0])],
        now_value=rounded(float(c.after.now_value[0])),
        best=space.names(int(c.after.best[0])),
        best_value=rounded(float(c.after.best_value[0])),
    )


# ---------------------------------------------------------------------------------- hedges


def hedge(
    worlds: Sequence[Worlds | SampledWorlds],
    now: int,
    names: Callable[[int], list[str]],
    base: PortfolioProblem,
    scenarios: Sequence[str] | None = None,
) -> Hedge:
    """The do-now package ``now`` against the least-regret package over ``worlds``.

    Candidates: the packages best in some world that can be adopted in the base state
    ``base`` (the :data:`~decision.analyses.plan_worlds.HEDGE_CANDIDATES` most often best) and
    the do-now one. A package delivers in each world the best feasible part of it (see
    ``realised_values``), so regret is never negative. Ties in maximum regret go to the higher
    mean value, then the lower mask. Worlds read in spans are weighed from their tallies
    (:func:`_tallied_hedge`).
    """
    held = [w for w in worlds if isinstance(w, Worlds)]
    if len(held) < len(worlds):
        return _tallied_hedge(worlds, now, names, base, scenarios)
    worlds = held
    uniq, counts = np.unique(np.concatenate([w.best_masks for w in worlds]), return_counts=True)
    chosen = candidates(uniq, counts, now, base)
    realised = np.concatenate([w.realised(chosen) for w in worlds])
    best = np.concatenate([w.best_values for w in worlds])
    regret = np.maximum(best[:, None] - realised, 0.0)
    worst_regret = regret.max(axis=0)
    mean_value = realised.mean(axis=0)
    pick = int(np.lexsort((chosen, -mean_value, np.round(worst_regret, 12)))[0])
    c_now = int(np.flatnonzero(chosen == now)[0])
    labels = [
        (f"{scenarios[i]}: {label}" if scenarios else label)
        for i, w in enumerate(worlds)
        for label in w.labels
    ]
    worst = int(np.argmin(realised[:, c_now]))
    first = slice(0, worlds[0].base_rows)
    base_cost = realised[first, c_now].mean() - realised[first, pick].mean()
    return Hedge(
        worlds=int(best.size),
        worst_world=labels[worst],
        worst_value=rounded(float(realised[worst, c_now])),
        worst_best_value=rounded(float(best[worst])),
        now_max_regret=rounded(float(worst_regret[c_now])),
        package=names(int(chosen[pick])),
        max_regret=rounded(float(worst_regret[pick])),
        base_cost=rounded(float(base_cost)),
        same=int(chosen[pick]) == now,
    )


def _tallied_hedge(
    worlds: Sequence[Worlds | SampledWorlds],
    now: int,
    names: Callable[[int], list[str]],
    base: PortfolioProblem,
    scenarios: Sequence[str] | None = None,
) -> Hedge:
    """:func:`hedge` from each set of worlds' tallies of the candidates (worlds numbered end
    to end, in the order given): the same choice of candidates and of the hedge, means from
    sums."""
    counted = [w.counted() for w in worlds]
    uniq, counts = merge_counts([u for u, _ in counted], [c for _, c in counted])
    chosen = candidates(uniq, counts, now, base)
    offsets = np.cumsum([0] + [w.size for w in worlds])
    tally: Columns | None = None
    for w, offset in zip(worlds, offsets[:-1].tolist(), strict=True):
        part = w.columns(chosen)
        part = replace(part, at=part.at + offset, value=np.zeros(0))
        tally = part if tally is None else tally.then(replace(part, first=0.0 * part.first))
    assert tally is not None
    mean_value = tally.total / offsets[-1]
    pick = int(np.lexsort((chosen, -mean_value, np.round(tally.regret, 12)))[0])
    c_now = int(np.flatnonzero(chosen == now)[0])
    worst = int(tally.at[c_now])
    owner = int(np.searchsorted(offsets, worst, side="right")) - 1
    label = worlds[owner].label(worst - int(offsets[owner]))
    rows = worlds[0].base_rows
    return Hedge(
        worlds=int(offsets[-1]),
        worst_world=f"{scenarios[owner]}: {label}" if scenarios else label,
        worst_value=rounded(float(tally.low[c_now])),
        worst_best_value=rounded(float(tally.best_at[c_now])),
        now_max_regret=rounded(float(tally.regret[c_now])),
        package=names(int(chosen[pick])),
        max_regret=rounded(float(tally.regret[pick])),
        base_cost=rounded(float(tally.first[c_now] / rows - tally.first[pick] / rows)),
        same=int(chosen[pick]) == now,
    )
