"""The report document (``results.json``) as types: what the report says, key by key.

:func:`decision.reports.data.report_data` builds a :class:`ReportDocument`; the Markdown and
HTML outline and the charts read it through these types, so the type checker sees every key
they use, and :func:`document_adapter` (pydantic's adapter of the types, built on first use:
about 50 ms) checks the documents it is given and generates the JSON Schema
(:func:`decision.reports.schema.results_schema`). The
analyses' parts mirror the plain data :func:`decision.results.to_data` makes of their result
classes; a test holds the two together. Typed dicts rather than model classes keep the
document exactly the JSON it is written as (keys such as ``from`` and ``class`` included).
"""

from __future__ import annotations

import functools
from typing import Literal, NotRequired

from pydantic import TypeAdapter
from typing_extensions import TypedDict

# ------------------------------------------------------------------------------ the model



#: An indicator's value: a number, or true/false for a boolean indicator (never 0/1).
Level = float | bool

class Source(TypedDict):
    """The source document the model encodes."""

    title: str
    author: NotRequired[str]
    publisher: NotRequired[str]
    year: NotRequired[int]
    url: NotRequired[str]
    note: NotRequired[str]


class ModelInfo(TypedDict):
    """The decision model: id, title, file (relative to the deepest folder holding every input)
    and source; ``options_are`` only for a model whose options are components of a package."""

    id: str
    title: str
    path: str
    source: Source
    options_are: NotRequired[Literal["components"]]


class CriterionInfo(TypedDict):
    """A criterion in model order; ``weight`` as written in the model (not normalised)."""

    id: str
    description: str
    direction: str
    weight: float
    scale: NotRequired[CriterionScale]  # what 0 and 1 mean, where the model anchors them


class CriterionScale(TypedDict):
    """The outcomes that score 0 and 1 on a criterion's value scale."""

    worst: str
    best: str


class IndicatorInfo(TypedDict):
    """An indicator in model order: range (0-1 for booleans) and model baseline (booleans as
    0/1)."""

    id: str
    description: str
    unit: str | None
    boolean: bool
    min: float
    max: float
    baseline: Level


class LikelihoodInfo(TypedDict):
    """An option's probability of achieving its intended effect (``low``..``high`` is the
    range sampled, equal to ``value`` when fixed) and its performance per criterion if it
    fails where the model gives one (else the reference option's)."""

    value: float
    low: float
    high: float
    if_failure: dict[str, float]
    rationale: str


class OptionInfo(TypedDict):
    """An option in model order: which recommendation of the source it encodes, whether it is
    the no-action reference, its preconditions' expressions, and its success likelihood (only
    for an option that has one)."""

    id: str
    title: str
    recommendation: str | None
    reference: bool
    preconditions: list[str]
    likelihood: NotRequired[LikelihoodInfo]


class Citation(TypedDict):
    """A judgement citing an evidence item: an indicator, a precondition, a performance or an
    interaction."""

    kind: Literal["indicator", "precondition", "performance", "interaction"]
    indicator: NotRequired[str]
    option: NotRequired[str]
    when: NotRequired[str]
    criterion: NotRequired[str]
    options: NotRequired[list[str]]


class EvidenceItem(TypedDict):
    """An evidence item of the source: locator, figures, claim (in the modeller's words) and
    what cites it."""

    id: str
    locator: str
    figures: list[str]
    claim: str
    cited_by: list[Citation]


# ------------------------------------------------------------------------------ a scenario


class PackageMember(TypedDict):
    """An option of the best package and its marginal value (the package's value without it
    is that much lower)."""

    option: str
    marginal: float


class LeftOut(TypedDict):
    """An option outside the best package, and whether it is available at all."""

    option: str
    available: bool


class PackageHeadline(TypedDict):
    """A components model's recommendation in one scenario: the best package within the
    budgets (the portfolio analysis), its value over the reference, how often it is best
    (sampled scenarios), each member's marginal value and the options left out."""

    members: list[PackageMember]
    value: float
    reference: str | None
    probability: float | None
    left_out: list[LeftOut]


class SummaryRow(TypedDict):
    """The recommendation of one scenario: the first-ranked option, its score and first-rank
    acceptability (sampled scenarios), the runner-up, the recommendation in one sentence and
    what changed against the baseline; for a components model also the best package (the
    headline, and the sentence is about it)."""

    scenario: str
    title: str
    top: str
    top_title: str
    score: float
    available: bool
    p_first: float | None
    samples: int
    runner_up: str | None
    runner_up_score: float | None
    sentence: str
    change: str | None
    package: NotRequired[PackageHeadline]


class Setting(TypedDict):
    """An indicator the scenario moves from the model baseline, or draws from a distribution."""

    indicator: str
    value: Level
    baseline: Level
    text: str
    baseline_text: str
    distribution: str | None


class FailedConditionData(TypedDict):
    """A failing comparison: its text, the indicator values in it and the gap to its threshold."""

    text: str
    values: dict[str, Level]
    gap: float | None


class FailedPreconditionData(TypedDict):
    """A precondition an unavailable option fails, with its reason and evidence."""

    when: str
    reason: str
    evidence: list[str]
    conditions: list[FailedConditionData]


class OptionRow(TypedDict):
    """One option of a scenario, in rank order: score at the point values (0 if unavailable),
    value (0-1) and weighted value per criterion, failed preconditions, and Monte Carlo
    figures for sampled scenarios (else null): availability, mean score, quantiles keyed 5,
    25, 50, 75, 95, rank acceptability, central weights, confidence factor."""

    id: str
    title: str
    rank: int
    score: float
    available: bool
    performance: dict[str, float]
    contributions: dict[str, float]
    failed: list[FailedPreconditionData]
    availability: float | None
    score_mean: float | None
    score_quantiles: dict[str, float] | None
    rank_acceptability: list[float] | None
    central_weights: dict[str, float] | None
    confidence_factor: float | None


class Agreement(TypedDict):
    """How far two methods agree: Kendall's tau-b and Spearman's rho over the available
    options."""

    a: str
    b: str
    kendall_tau: float
    spearman_rho: float
    same_top: bool
    weighted_spearman: NotRequired[float]  # rank similarity, when asked for
    ws_a_b: NotRequired[float]
    ws_b_a: NotRequired[float]


class PartialOrder(TypedDict):
    """The pairs of available options a partial pre-order (PROMETHEE I) leaves incomparable,
    and those it finds indifferent."""

    incomparable: list[list[str]]
    indifferent: list[list[str]]


class MethodComparison(TypedDict):
    """Ranks, scores and top option under each method (``compare --methods``), and their
    agreement."""

    scenario: str
    methods: list[str]
    ranks: dict[str, dict[str, int]]
    scores: dict[str, dict[str, float]]
    top: dict[str, str]
    agreement: list[Agreement]
    partial_orders: NotRequired[dict[str, PartialOrder]]  # when a partial-order method is compared
    same_top: bool


class Step(TypedDict):
    """A step of a score waterfall: the start or end score, or the change an availability, a
    criterion or the method brings."""

    kind: Literal["start", "availability", "method", "criterion", "end"]
    label: str
    value: NotRequired[float]
    delta: NotRequired[float]


class MovedOption(TypedDict):
    """An option whose rank differs from the baseline's, with its score waterfall."""

    id: str
    rank_from: int
    rank_to: int
    score_from: float
    score_to: float
    available_from: bool
    available_to: bool
    steps: list[Step]


class Movement(TypedDict):
    """Against the baseline: the options whose rank changed and why."""

    against: str
    options: list[MovedOption]


# ------------------------------------------------------------------------------ analyses


class Crossover(TypedDict):
    """Option ``overtaking`` moves ahead of ``overtaken`` as the criterion's weight rises
    through ``t``."""

    t: float
    overtaking: str
    overtaken: str


class CriterionSensitivity(TypedDict):
    """Stability along one criterion's weight path: the intervals of t keeping the top option
    and the ranking, and the crossovers (the nearest ones; ``crossovers_total`` counts all
    when some are left out)."""

    criterion: str
    weight: float
    top: str | None
    top_interval: list[float]
    ranking_interval: list[float]
    crossovers: list[Crossover]
    equal_split: bool
    crossovers_total: NotRequired[int]  # when the report lists only the nearest ones


class WeightSensitivity(TypedDict):
    """Weight stability for every criterion (exact for the weighted sum, else scan and
    bisection within ``tolerance``)."""

    scenario: str
    method: str
    exact: bool
    tolerance: float
    criteria: list[CriterionSensitivity]


class Bar(TypedDict):
    """One input's swing of one option's score over the input's range."""

    kind: Literal["indicator", "judgement", "likelihood"]
    input: str
    low: Level
    high: Level
    score_low: float
    score_high: float
    available_low: bool
    available_high: bool
    swing: float


class OptionTornado(TypedDict):
    """The tornado bars of one option, largest swing first."""

    option: str
    rank: int
    score: float
    available: bool
    bars: list[Bar]


class Tornado(TypedDict):
    """Which single input moves each leading option's score most."""

    scenario: str
    method: str
    options: list[OptionTornado]


class TippingPoint(TypedDict):
    """A change of outcome as one indicator moves: the top option changes, or an option's
    availability."""

    indicator: str
    direction: Literal["up", "down"]
    value: Level
    kind: str
    option: str | None
    previous: str | None
    boolean: bool
    exact: bool
    sentence: str


class IndicatorTipping(TypedDict):
    """The tipping points of one indicator, nearest first in each direction."""

    indicator: str
    value: Level
    low: Level
    high: Level
    boolean: bool
    up: list[TippingPoint]
    down: list[TippingPoint]


class Tipping(TypedDict):
    """How far each indicator, moved alone, must go to change the outcome."""

    scenario: str
    method: str
    top: str | None
    grid: int
    tolerance: float
    indicators: list[IndicatorTipping]
    sentences: NotRequired[list[str]]  # every point in words (the report adds them)


Move = TypedDict("Move", {"indicator": str, "from": Level, "to": Level})


class FirstPlace(TypedDict):
    """Where, along one moved indicator, an opened option comes first (null: not within range)."""

    indicator: str
    value: Level | None


class Opening(TypedDict):
    """What it takes to make an unavailable option available, and then first."""

    option: str
    moves: list[Move]
    unmovable: list[str]
    opens: bool
    first_at_once: bool
    first_along: list[FirstPlace]
    sentence: str


class PerspectiveRanking(TypedDict):
    """Ranks and scores under one weight set (a perspective, or the scenario's own weights)."""

    name: str
    weights: dict[str, float]
    ranks: dict[str, int]
    scores: dict[str, float]
    top: str | None


class WeightChange(TypedDict):
    """The smallest change of normalised weights (L1) that puts an option first, if any does."""

    option: str
    possible: bool
    distance: float | None
    weights: dict[str, float] | None
    change: dict[str, float] | None
    sentence: str


class StakeholderPair(TypedDict):
    """Kendall's tau-b between two perspectives' rankings, and whether their tops agree."""

    a: str
    b: str
    kendall_tau: float
    same_top: bool


class Stakeholders(TypedDict):
    """Where the model's perspectives agree, what divides them (the spread of each
    criterion's normalised weight), and each option's share of first places among them and
    over weights mixed from theirs (a SMAA run over the stakeholders)."""

    perspectives: list[str]
    pairs: list[StakeholderPair]
    dividing: dict[str, float]
    first_share: dict[str, float]
    mixture_first: dict[str, float]
    mixtures: int
    seed: int


class Perspectives(TypedDict):
    """The ranking under each stakeholder weight set, and what one would have to believe for
    each runner-up to come first."""

    scenario: str
    method: str
    basis: str
    rankings: list[PerspectiveRanking]
    tops: dict[str, str | None]
    agree_on_top: bool
    what_to_believe: list[WeightChange]
    objective: list[PerspectiveRanking]  # entropy and CRITIC of the scenario's table
    stakeholders: Stakeholders | None  # None: fewer than two perspectives


class Dominated(TypedDict):
    """An option another available option beats or equals on every criterion, and which ones."""

    option: str
    available: bool
    by: list[str]
    by_total: int


class Dominance(TypedDict):
    """The dominated options of one scenario."""

    scenario: str
    dominated: list[Dominated]


class AssumptionChange(TypedDict):
    """The outcome at one end of a judgement's range, where it differs from the scenario's."""

    end: Literal["low", "high"]
    top: str | None
    package: list[str] | None


class AssumptionRow(TypedDict):
    """One judgement moved across its range (given, or the default band): the top option's
    lead and the best package's value at both ends, its influence, whether it changes the top
    option or the package, and why it is what it is (by, confidence, reason, rationale,
    evidence)."""

    key_path: str
    file: Literal["model", "scenario"]
    kind: Literal[
        "performance", "effect", "baseline", "threshold", "weight", "cost", "budget",
        "interaction", "likelihood", "failure",
    ]
    value: float
    low: float
    high: float
    range: Literal["given", "default"]
    influence: float
    lead_low: float
    lead_high: float
    package_low: float | None
    package_high: float | None
    flips_top: bool
    flips_package: bool | None
    changes: list[AssumptionChange]
    by: str
    confidence: str | None
    reason: str | None
    rationale: str | None
    evidence: list[str]


class Assumptions(TypedDict):
    """The assumptions register of one scenario: every judgement that moves its result,
    ranked by influence on ``measure`` (the top option's lead, or the best package's value
    for a components model); ``unmoved`` names the judgements in use that move nothing."""

    scenario: str
    method: str
    options_are: Literal["alternatives", "components"]
    measure: Literal["lead", "package value"]
    top: str | None
    lead: float
    package: list[str] | None
    package_value: float | None
    considered: int
    rows: list[AssumptionRow]
    unmoved: list[str]
    default_bands: dict[str, str]


class Sensitivity(TypedDict, total=False):
    """The analyses of :data:`decision.analyses.registry.ANALYSES` the study ran, by name."""

    weights: WeightSensitivity
    tornado: Tornado
    tipping: Tipping
    openings: list[Opening]
    perspectives: Perspectives
    dominance: Dominance
    assumptions: Assumptions


class ScenarioSection(TypedDict):
    """One scenario in full: file, method, weights, settings, options in rank order, method
    comparison, movement against the baseline and the analyses."""

    id: str
    title: str
    description: str | None
    path: str
    method: dict[str, str | float | int | bool | list[str | float | int] | None]
    perspective: str | None
    samples: int
    seed: int
    weights: dict[str, float]
    settings: list[Setting]
    options: list[OptionRow]
    methods: MethodComparison | None
    movement: Movement | None
    sensitivity: Sensitivity | None


# ------------------------------------------------------------------------------ across scenarios


class RobustnessMeasures(TypedDict):
    """Per-option robustness measures (lists in option order) and which option each measure
    picks."""

    probabilities: list[float]
    expected: list[float]
    maximin: list[float]
    maximax: list[float]
    hurwicz_alpha: float
    hurwicz: list[float]
    regret: list[list[float]]
    max_regret: list[float]
    mean_regret: list[float]
    regret_percentile: float
    percentile_regret: list[float]
    sd: list[float]
    snr: list[float]
    satisficing_threshold: float | None
    satisficing: list[float] | None
    criterion_thresholds: list[float] | None
    satisficing_criteria: list[float] | None
    picks: dict[str, str]


class Robustness(TypedDict):
    """Which option holds up across the scenarios: the value table, measures and their
    definitions."""

    options: list[str]
    scenarios: list[str]
    values: list[list[float]]
    value_definition: str
    measures: RobustnessMeasures
    satisficing_samples: list[float] | None
    definitions: dict[str, str]


class Bundle(TypedDict):
    """A bundle of options and how often it is the best feasible one."""

    mask: int
    members: list[str]
    probability: float
    value: float
    feasible_share: float


class FrontierPoint(TypedDict):
    """A bundle on a resource's efficient frontier."""

    mask: int
    members: list[str]
    value: float
    cost: float
    costs: dict[str, float]
    within_budget: bool


OptionIndices = TypedDict(
    "OptionIndices",
    {"option": str, "core_index": float, "class": str, "in_best": float, "marginal": float},
)


class Portfolio(TypedDict):
    """A scenario's portfolio analysis: the best bundle within budgets, frontiers and each
    option's core index."""

    scenario: str
    options: list[str]
    resources: list[str]
    budgets: dict[str, float | None]
    reference: str | None
    value_definition: str
    samples: int
    best: Bundle
    top_bundles: list[Bundle]
    mean_sample_best_value: float
    frontiers: dict[str, list[FrontierPoint]]
    per_option: list[OptionIndices]
    nondominated_count: int
    tie_rule: str
    n_options: int


# ------------------------------------------------------------------------------ the source


class Deferred(TypedDict):
    """Options the source recommends once a condition holds."""

    options: list[str]
    condition: str
    locator: str | None


class Cause(TypedDict):
    """A judgement behind a disagreement: ``resolves`` when moving it alone across its range
    ends the disagreement; otherwise one of the option's own most influential judgements."""

    key_path: str
    value: float
    low: float
    high: float
    influence: float
    resolves: bool


class Finding(TypedDict):
    """One option as the source and the model see it in one scenario."""

    option: str
    source: Literal["now", "when", "not recommended"]
    model: Literal["in the package", "left out", "first", "not first"]
    agrees: bool
    sentence: str
    causes: list[Cause]


class ScenarioFindings(TypedDict):
    """The model's recommendation in one scenario (the best package, or the top option) set
    against the source's: agreements, then disagreements with the inputs behind them."""

    scenario: str
    title: str
    kind: Literal["package", "top option"]
    model: list[str]
    agreements: list[Finding]
    disagreements: list[Finding]


class SourceComparison(TypedDict):
    """What the source recommends (now, and once a condition holds) and, per scenario, what
    the model finds."""

    now: list[str]
    when: list[Deferred]
    locator: str | None
    scenarios: list[ScenarioFindings]


# ------------------------------------------------------------------------------ the plan


class PlanMember(TypedDict):
    """A member of a package and its marginal value."""

    option: str
    marginal: float


class PlanPackage(TypedDict):
    """The best package in one period (``now``, or a timeline date)."""

    period: str
    date: str | None
    title: str | None
    members: list[PlanMember]
    value: float
    probability: float | None


PlanCondition = TypedDict(
    "PlanCondition",
    {"indicator": str, "from": Level, "to": Level, "boolean": bool, "phrase": str},
)


class PlanTrigger(TypedDict):
    """A gated option, the observable thresholds that open it, and the package then."""

    option: str
    conditions: list[PlanCondition]
    unmovable: list[str]
    opens: bool
    joins: bool
    package: list[str]
    adds: list[str]
    drops: list[str]
    value: float


class PlanSignpost(TypedDict):
    """An indicator whose movement changes the plan, and what changes at the threshold."""

    indicator: str
    kind: Literal["package changes", "trigger"]
    value: Level
    threshold: Level
    direction: Literal["up", "down"]
    distance: float
    share_of_range: float
    exact: bool
    boolean: bool
    package: list[str]
    adds: list[str]
    drops: list[str]
    stake: float


class PlanTippingPoint(TypedDict):
    """Where, along one indicator, the do-now package stops being acceptable, and why."""

    indicator: str
    value: Level
    threshold: Level
    direction: Literal["up", "down"]
    distance: float
    share_of_range: float
    exact: bool
    boolean: bool
    verdict: str
    now_value: float
    best: list[str]
    best_value: float


class PlanHedge(TypedDict):
    """Where the do-now package loses most, and the least-regret package."""

    worlds: int
    worst_world: str
    worst_value: float
    worst_best_value: float
    now_max_regret: float
    package: list[str]
    max_regret: float
    base_cost: float
    same: bool


class PlanSwitch(TypedDict):
    """A change of package along a timeline, and its causes."""

    period: str
    adds: list[str]
    drops: list[str]
    causes: list[str]


class ScenarioPlanData(TypedDict):
    """The adaptive plan of one scenario."""

    scenario: str
    options: list[str]
    samples: int
    budgets: dict[str, float | None]
    satisficing: float
    satisficing_stated: bool
    margin: float
    margin_stated: bool
    do_now: PlanPackage
    acceptable_now: str
    triggers: list[PlanTrigger]
    signposts: list[PlanSignpost]
    tipping: list[PlanTippingPoint]
    hedge: PlanHedge
    pathway: list[PlanPackage]
    switches: list[PlanSwitch]


class PlanDocument(TypedDict):
    """Plans of every scenario, and the base plan's hedge across them all."""

    base: str
    plans: list[ScenarioPlanData]
    hedge: PlanHedge


# ------------------------------------------------------------------------------ discovery


class DiscoveryLimit(TypedDict):
    """A restricted input of a box: ``low <= x <= high`` (None: that side open); ``kind``
    and ``name`` split the input's column name (``indicator:allied_alignment``), ``min`` and
    ``max`` its range in the samples examined."""

    input: str
    kind: Literal["indicator", "judgement", "likelihood", "weight"]
    name: str
    boolean: bool
    low: float | None
    high: float | None
    min: float
    max: float


class DiscoveryPoint(TypedDict):
    """A box on the PRIM peeling trajectory."""

    coverage: float
    density: float
    mass: float
    restricted: int


class DiscoveryFinding(TypedDict):
    """An outcome of interest: how often it happens, with its Monte Carlo standard error,
    and the PRIM box that describes it (None: it always or never happens)."""

    outcome: str
    kind: str
    option: str | None
    probability: float
    mc_error: float
    limits: list[DiscoveryLimit] | None
    coverage: float | None
    density: float | None
    mass: float | None
    trajectory: list[DiscoveryPoint]
    chosen: int


class DiscoveryInfluence(TypedDict):
    """The most influential inputs of one outcome: given-data first-order indices (share of
    the outcome's variance), above the noise floor subtracted from each."""

    outcome: str
    noise_floor: float
    inputs: dict[str, float]
    intervals: dict[str, float]  # half-width of each index's 95% bootstrap interval


class DiscoveryWorth(TypedDict):
    """The value of information of one decision (``option`` or ``package``): EVPI and the
    inputs worth resolving first (EVPPI, above the noise floor)."""

    decision: Literal["option", "package"]
    chosen: list[str]
    evpi: float
    noise_floor: float
    inputs: dict[str, float]


class DiscoveryDocument(TypedDict):
    """Scenario discovery on the base scenario: a seeded Monte Carlo design over every
    uncertain input, the boxes of the outcomes of interest, the most influential inputs and
    the inputs worth resolving."""

    scenario: str
    design: str
    samples: int
    seed: int
    inputs: int
    discovery_rows: int
    trim_tolerance: float
    do_now: list[str]
    do_now_value: float
    satisficing: float
    findings: list[DiscoveryFinding]
    influence: list[DiscoveryInfluence]
    information: list[DiscoveryWorth]


# ------------------------------------------------------------------------------ the document


class ExpertView(TypedDict):
    """One expert's judgement of a pooled performance."""

    by: str
    low: float
    mode: float
    high: float
    weight: float


class ExpertDisagreement(TypedDict):
    """A pooled performance judgement whose experts' ranges do not all overlap: the experts,
    and the pairs of them (by name) whose ranges are disjoint."""

    option: str
    criterion: str
    experts: list[ExpertView]
    pairs: list[list[str]]


class IndicatorExpertDisagreement(TypedDict):
    """A scenario's pooled indicator setting whose experts' ranges do not all overlap: the
    scenario, the indicator, the experts, and the pairs of them (by name) that are disjoint."""

    scenario: str
    indicator: str
    experts: list[ExpertView]
    pairs: list[list[str]]


class ReportDocument(TypedDict):
    """Everything the report shows (``results.json``)."""

    schema_version: int
    kind: str
    tool_version: str
    model: ModelInfo
    baseline: str
    criteria: list[CriterionInfo]
    indicators: list[IndicatorInfo]
    options: list[OptionInfo]
    summary: list[SummaryRow]
    scenarios: list[ScenarioSection]
    robustness: Robustness | None
    bundles: list[Portfolio] | None
    bundles_note: str | None
    evidence: list[EvidenceItem]
    recommends: NotRequired[SourceComparison]  # when the model states the source's own
    plan: NotRequired[PlanDocument]  # when the portfolio analysis ran
    discovery: NotRequired[DiscoveryDocument]  # when the portfolio analysis ran
    expert_disagreements: NotRequired[list[ExpertDisagreement]]  # when experts disagree
    #: when a scenario's indicator experts disagree
    indicator_expert_disagreements: NotRequired[list[IndicatorExpertDisagreement]]


#: Crossovers a report lists per criterion: those nearest the current weight. Along one
#: weight path every pair of options may cross, so a model with many options would otherwise
#: list options^2 of them.
SHOWN_CROSSOVERS = 40


def cap_crossovers(weights: WeightSensitivity) -> None:
    """Keep the :data:`SHOWN_CROSSOVERS` crossovers nearest each criterion's current weight
    (in order of t) in a weight sensitivity's plain data; note how many there were."""
    for item in weights["criteria"]:
        crossovers = item["crossovers"]
        if len(crossovers) > SHOWN_CROSSOVERS:
            nearest = sorted(crossovers, key=lambda c: (abs(c["t"] - item["weight"]), c["t"]))
            item["crossovers"] = sorted(nearest[:SHOWN_CROSSOVERS], key=lambda c: c["t"])
            item["crossovers_total"] = len(crossovers)


#: Checks a document against the types (strictly: no coercion, no unknown key) and
#: generates its JSON Schema.
@functools.cache
def document_adapter() -> TypeAdapter[ReportDocument]:
    """pydantic's adapter of :class:`ReportDocument`: checks documents, writes the schema."""
    return TypeAdapter(ReportDocument)
