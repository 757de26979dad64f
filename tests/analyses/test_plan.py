"""The adaptive plan: do now, triggers, signposts, adaptation tipping points, hedges, pathways.

Every trigger, signpost and adaptation tipping point is re-evaluated just before and just
after its threshold; expectations for the Belarus model are derived from the model (its
numbers move with other issues), never hard-coded scores.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.packages import package_space
from decision.analyses.plan import PlanPeriod, PlanSettings, ScenarioPlan, scenario_plan
from decision.analyses.portfolio.problem import portfolio, portfolio_problem
from decision.analyses.signposts import package_state
from decision.core.compile import CompiledModel, ScenarioInputs
from decision.study.plan import plan_paths
from tests.conftest import ROOT
from tests.strategies import compile_dict, model_dicts, point_inputs

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SCENARIOS = ROOT / "scenarios"


def _plan(path: Path, **kwargs: Any) -> ScenarioPlan:
    return plan_paths([path], **kwargs).plans[0]


def _space_and_x0(path: Path) -> tuple[CompiledModel, ScenarioInputs]:
    from decision.study.scenario import run_scenario

    run = run_scenario(path)
    return run.model, run.inputs


def _best(model: CompiledModel, inputs: ScenarioInputs, x: np.ndarray) -> list[str]:
    space = package_space(model, inputs)
    return space.names(int(space.best(x[None, :])[0][0]))


# ------------------------------------------------------------------------ a known answer


def _toy(budget: float = 1.0, gate: str = "x >= 5") -> tuple[CompiledModel, ScenarioInputs]:
    """Two options and a reference: A open now; B better but gated on x >= 5 (or ``gate``);
    one unit of money, each costs one: do A now, switch to B once x reaches 5."""
    data: dict[str, Any] = {
        "id": "toy",
        "title": "Toy",
        "source": {"title": "t", "author": "a", "publisher": "p", "year": 2000},
        "indicators": {"x": {"description": "d", "min": 0, "max": 10, "baseline": 2}},
        "criteria": {"c": {"description": "d", "weight": 1, "rationale": "r"}},
        "options": {
            "a": {"title": "A", "recommendation": "R1", "costs": {"money": {"value": 1}},
                  "performance": {"c": {"value": 0.6, "rationale": "r"}}},
            "b": {"title": "B", "recommendation": "R2", "costs": {"money": {"value": 1}},
                  "preconditions": [{"when": gate, "reason": "r"}],
                  "performance": {"c": {"value": 0.9, "rationale": "r"}}},
            "ref": {"title": "Nothing", "recommendation": "none", "reference": True,
                    "performance": {"c": {"value": 0.2, "rationale": "r"}}},
        },
        "resources": {"money": {"description": "d"}},
    }
    model = compile_dict(data)
    inputs = replace(point_inputs(model, model.baseline), budgets={"money": budget})
    return model, inputs


def test_toy_plan_is_the_known_answer() -> None:
    model, inputs = _toy()
    plan = scenario_plan(model, [PlanPeriod("now", None, None, inputs)])
    assert plan.do_now.options == ["a"]
    assert plan.do_now.value == pytest.approx(0.4)
    assert [m.marginal for m in plan.do_now.members] == [pytest.approx(0.4)]
    (trigger,) = plan.triggers
    assert (trigger.option, trigger.joins, trigger.adds, trigger.drops) == ("b", True, ["b"], ["a"])
    assert [(c.indicator, c.value_to) for c in trigger.conditions] == [("x", 5.0)]
    assert trigger.value == pytest.approx(0.7)
    # x >= 5 is also where the best package changes with x alone: one signpost, exact
    (post,) = plan.signposts
    assert (post.indicator, post.threshold, post.exact, post.direction) == ("x", 5.0, True, "up")
    assert post.share_of_range == pytest.approx(0.3)
    # beaten by more than the margin once B opens: the adaptation tipping point is the gate
    (tip,) = plan.tipping
    assert (tip.indicator, tip.threshold) == ("x", 5.0)
    assert tip.verdict == "beaten by more than the margin"


def test_toy_with_more_money_adds_instead_of_replacing() -> None:
    model, inputs = _toy(budget=2.0)
    plan = scenario_plan(model, [PlanPeriod("now", None, None, inputs)])
    (trigger,) = plan.triggers
    assert (trigger.adds, trigger.drops, trigger.package) == (["b"], [], ["a", "b"])


def test_a_strict_trigger_says_the_indicator_passes_its_threshold() -> None:
    """``x > 5`` is met only above 5: the condition moves x just past 5 and says so in the
    openings analysis's words, not ``x >= 5``."""
    model, inputs = _toy(gate="x > 5")
    plan = scenario_plan(model, [PlanPeriod("now", None, None, inputs)])
    (trigger,) = plan.triggers
    (condition,) = trigger.conditions
    assert condition.threshold == 5.0 and 5.0 < condition.value_to < 5.0 + 1e-6
    assert condition.phrase() == "x rises above 5 (from 2)"
    assert trigger.opens and trigger.joins


def test_shared_work_changes_no_figure_and_computes_a_state_once() -> None:
    """Scenarios starting from the baseline's state share its package space and, with the same
    settings, its triggers, signposts and tipping points; the plans are those computed alone."""
    from decision.analyses.plan import SharedWork
    from decision.core.compile import compile_model, compile_scenario
    from decision.load.loading import load_scenario
    from decision.results import to_data
    from decision.study.plan import settings_of, timeline_periods

    shared = SharedWork()
    loaded, model = None, None
    for name in ("baseline.yaml", "timeline-integration.yaml", "timeline-reform.yaml"):
        scenario, loaded = load_scenario(SCENARIOS / name, loaded)
        model = model or compile_model(loaded)
        periods = timeline_periods(model, scenario, compile_scenario(model, scenario))
        settings_ = settings_of(scenario, model)
        alone = scenario_plan(model, periods, settings_)
        together = scenario_plan(model, periods, settings_, shared=shared)
        assert to_data(together) == to_data(alone)
    assert len(shared.spaces) == 1  # the three start from one state
    assert 1 <= len(shared.states) <= 3


def test_satisficing_threshold_makes_a_tipping_point_where_value_falls() -> None:
    """An option whose value falls with x: the do-now package stops being acceptable where its
    value crosses the stated threshold, and the crossing is where re-evaluation says."""
    model, inputs = _toy()
    plan = scenario_plan(
        model, [PlanPeriod("now", None, None, inputs)], PlanSettings(satisficing=0.5)
    )
    assert plan.acceptable_now == "below the satisficing threshold"
    assert plan.tipping == []  # not acceptable to begin with: nothing to tip


# ------------------------------------------------------------------------ Belarus, derived


def test_belarus_do_now_is_the_portfolio_best_and_available() -> None:
    model, inputs = _space_and_x0(SCENARIOS / "baseline.yaml")
    plan = _plan(SCENARIOS / "baseline.yaml")
    assert plan.do_now.options == portfolio(model, inputs).best_members
    space = package_space(model, inputs)
    available = dict(zip(space.options, space.point.available[0].tolist(), strict=True))
    assert all(available[o] for o in plan.do_now.options)
    gated = sorted(o for o, ok in available.items() if not ok)
    assert sorted(t.option for t in plan.triggers) == gated
    # the brief's standing postures now: each R1, R2, R4, R5 option the model packages now
    recommends = model.spec.source.recommends
    assert recommends is not None
    assert set(plan.do_now.options) <= set(recommends.now) | {
        o for w in recommends.when for o in w.options
    }


@pytest.mark.parametrize("name", ["baseline.yaml", "human-rights-improvement.yaml",
                                  "union-state-integration.yaml"])
def test_every_trigger_changes_the_plan_at_its_threshold_and_not_before(name: str) -> None:
    model, inputs = _space_and_x0(SCENARIOS / name)
    plan = _plan(SCENARIOS / name)
    x0 = np.asarray(inputs.values)
    index = model.index("indicators")
    now = _best(model, inputs, x0)
    for t in plan.triggers:
        if not t.opens:
            continue
        target = x0.copy()
        for c in t.conditions:
            target[index[c.indicator]] = c.value_to
        assert _best(model, inputs, target) == t.package
        assert (t.option in t.package) == t.joins
        if not t.joins:
            continue
        for c in t.conditions:
            k = index[c.indicator]
            before = target.copy()
            before[k] = c.value_from if c.boolean else c.value_to - 1e-7 * np.sign(
                c.value_to - c.value_from) * float(model.span[k])
            assert t.option not in _best(model, inputs, before), (t.option, c.indicator)
            halfway = target.copy()
            halfway[k] = (c.value_from + c.value_to) / 2 if not c.boolean else c.value_from
            assert t.option not in _best(model, inputs, halfway)
        assert t.option not in now


@pytest.mark.parametrize("name", ["baseline.yaml", "western-tilt.yaml", "timeline-reform.yaml"])
def test_signposts_and_tipping_points_hold_just_before_and_after(name: str) -> None:
    model, inputs = _space_and_x0(SCENARIOS / name)
    plan = _plan(SCENARIOS / name)
    space = package_space(model, inputs)
    x0 = np.asarray(inputs.values)
    index = model.index("indicators")
    start = package_state(space, x0[None, :], plan.do_now.mask, plan.satisficing, plan.margin)

    def around(indicator: str, threshold: float, direction: str) -> np.ndarray:
        k = index[indicator]
        rows = np.repeat(x0[None, :], 2, axis=0)
        if model.is_boolean[k]:
            rows[1, k] = threshold
            return rows
        step = 1e-6 * float(model.span[k]) * (1 if direction == "up" else -1)
        rows[0, k], rows[1, k] = threshold - step, threshold + step
        return np.clip(rows, model.low, model.high)

    for s in plan.signposts:
        if s.kind != "package changes":
            continue
        state = package_state(space, around(s.indicator, s.threshold, s.direction),
                              plan.do_now.mask, plan.satisficing, plan.margin)
        assert state.best[0] == start.best[0], s
        assert space.names(int(state.best[1])) == s.package != space.names(int(start.best[0]))
    for t in plan.tipping:
        state = package_state(space, around(t.indicator, t.threshold, t.direction),
                              plan.do_now.mask, plan.satisficing, plan.margin)
        assert state.verdict[0] == 0, t
        assert state.verdict[1] != 0, t


def test_signposts_are_ordered_by_closeness_then_stake() -> None:
    plan = _plan(SCENARIOS / "baseline.yaml")
    keys = [(s.share_of_range, -s.stake) for s in plan.signposts]
    assert keys == sorted(keys)


def test_reform_timeline_opens_the_ambassador_on_its_trigger() -> None:
    """The reform path reaches civil-society access the R3 gate asks for; the pathway takes
    the ambassador in that period, and the switch names the gate."""
    plan = _plan(SCENARIOS / "timeline-reform.yaml")
    periods = [p.period for p in plan.pathway]
    assert periods == ["now", "2019-12-08", "2020-06", "2021", "2024"]
    with_ambassador = [p.period for p in plan.pathway if "r3-ambassador-when-timely" in p.options]
    trigger = next(t for t in plan.triggers if t.option == "r3-ambassador-when-timely")
    if trigger.joins:
        assert with_ambassador and with_ambassador[0] == "2020-06"
        switch = next(s for s in plan.switches if s.period == "2020-06")
        assert any("gate opens" in c and "civil_society_access" in c for c in switch.causes)


def test_hedge_regret_is_never_negative_and_the_hedge_is_no_worse() -> None:
    found = plan_paths([SCENARIOS / "baseline.yaml", SCENARIOS / "western-tilt.yaml"],
                       samples=200)
    for h in [found.hedge, *(p.hedge for p in found.plans)]:
        assert 0 <= h.max_regret <= h.now_max_regret
        assert h.worst_value <= h.worst_best_value + 1e-12


# ------------------------------------------------------------------------ timelines


def _project(tmp_path: Path, timeline: str, scenario_id: str = "t") -> Path:
    (tmp_path / "models").mkdir(exist_ok=True)
    (tmp_path / "scenarios").mkdir(exist_ok=True)
    (tmp_path / "models" / "m.yaml").write_text((ROOT / "tests/data/mini/model.yaml").read_text())
    path = tmp_path / "scenarios" / f"{scenario_id}.yaml"
    path.write_text(f"id: {scenario_id}\ntitle: T\nmodel: ../models/m.yaml\n{timeline}")
    return path


def test_identical_periods_give_the_same_plan(tmp_path: Path) -> None:
    body = "timeline:\n" + "".join(
        f"  - date: '{y}'\n    indicators: {{access: 0.7, released: true}}\n"
        for y in (2020, 2021, 2022)
    )
    plan = _plan(_project(tmp_path, body))
    later = plan.pathway[1:]
    assert len(later) == 3
    assert all((p.options, p.value) == (later[0].options, later[0].value) for p in later)
    assert [s.period for s in plan.switches] == ["2020"]


def test_periods_are_equivariant_under_reordering_of_dates(tmp_path: Path) -> None:
    items = [("2021", "{access: 0.7}"), ("2020-06", "{released: true}"), ("2023", "{rank: 20}")]
    ordered = "timeline:\n" + "".join(
        f"  - date: '{d}'\n    indicators: {s}\n" for d, s in sorted(items)
    )
    shuffled = "timeline:\n" + "".join(
        f"  - date: '{d}'\n    indicators: {s}\n" for d, s in items
    )
    a = _plan(_project(tmp_path, ordered, "a"))
    b = _plan(_project(tmp_path, shuffled, "b"))
    assert [(p.period, p.options, p.value) for p in a.pathway] == [
        (p.period, p.options, p.value) for p in b.pathway
    ]
    assert [p.period for p in a.pathway] == ["now", "2020-06", "2021", "2023"]


def test_sampled_periods_stack_into_one_enumeration() -> None:
    plan = plan_paths([SCENARIOS / "timeline-reform.yaml"], samples=64, seed=3).plans[0]
    assert plan.samples == 64
    assert plan.worlds.problem.n_samples == 64 * len(plan.pathway)
    assert all(p.probability is not None and 0 < p.probability <= 1 for p in plan.pathway)


# ------------------------------------------------------------------------ properties


def _with_costs(data: dict[str, Any], costs: list[int]) -> dict[str, Any]:
    data = dict(data)
    data["resources"] = {"money": {"description": "d"}}
    data["options"] = {
        name: {**option, "costs": {"money": {"value": costs[k % len(costs)]}}}
        for k, (name, option) in enumerate(data["options"].items())
    }
    return data


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    model_dicts(min_options=2, max_options=5),
    st.lists(st.integers(0, 3), min_size=1, max_size=5),
    st.lists(st.floats(0, 1), min_size=3, max_size=3),
    st.integers(0, 6),
    st.integers(0, 6),
)
def test_plan_properties(
    data: dict[str, Any], costs: list[int], v: list[float], b1: int, b2: int
) -> None:
    """Do now never holds an unavailable option, and a lower budget never raises its value."""
    model = compile_dict(_with_costs(data, costs))
    raw = model.low + (model.high - model.low) * np.array(v[: len(model.indicators)])
    x0 = np.where(model.is_boolean, np.round(raw), raw)
    low, high = sorted((b1, b2))
    values = []
    for budget in (low, high):
        inputs = replace(point_inputs(model, x0), budgets={"money": float(budget)})
        plan = scenario_plan(model, [PlanPeriod("now", None, None, inputs)])
        problem, options, _, _ = portfolio_problem(model, inputs)
        available = dict(zip(options, problem.available[0].tolist(), strict=True))
        assert all(available[o] for o in plan.do_now.options)
        values.append(plan.do_now.value)
        for t in plan.triggers:
            assert not available[t.option]
    assert values[0] <= values[1] + 1e-12


def test_rows_problem_matches_the_portfolio_builder() -> None:
    """The plan's batched values are the portfolio builder's at the same point."""
    model, inputs = _space_and_x0(SCENARIOS / "human-rights-improvement.yaml")
    space = package_space(model, inputs)
    point, _, _, _ = portfolio_problem(model, replace(inputs, samples=1))
    rows = space.at(np.asarray(inputs.values)[None, :])
    np.testing.assert_allclose(rows.values, point.values, rtol=0, atol=1e-12)
    assert (rows.available == point.available).all()


def test_point_periods_are_the_portfolio_builders_problems() -> None:
    """A deterministic timeline's periods, taken as rows of the package space in one batch,
    are bit for bit the portfolio builder's problems of each period."""
    from decision.analyses.plan import _stacked
    from decision.core.compile import compile_model, compile_scenario
    from decision.load.loading import load_scenario
    from decision.study.plan import timeline_periods

    scenario, loaded = load_scenario(SCENARIOS / "timeline-reform.yaml")
    model = compile_model(loaded)
    inputs = compile_scenario(model, scenario)
    periods = timeline_periods(model, scenario, inputs)
    assert len(periods) > 2
    stacked = _stacked(model, periods, package_space(model, inputs), None)
    for k, period in enumerate(periods):
        alone = portfolio_problem(model, period.inputs)[0]
        assert (stacked.values[k] == alone.values[0]).all()
        assert (stacked.available[k] == alone.available[0]).all()
        assert (stacked.costs[k] == alone.costs[0]).all()
        for mine, theirs in zip(stacked.interactions, alone.interactions, strict=True):
            assert mine.value[k] == theirs.value[0]


def test_marginals_from_realised_values_are_the_enumerations() -> None:
    """The best value without an option, read from the realised values of the packages of
    every other option, gives sample_best's marginals bit for bit (and the same best)."""
    from decision.analyses.plan import _best_together
    from decision.analyses.portfolio.enumerate import sample_best
    from decision.core.compile import compile_model, compile_scenario
    from decision.load.loading import load_scenario

    scenario, loaded = load_scenario(SCENARIOS / "western-tilt.yaml")
    model = compile_model(loaded)
    problem = portfolio_problem(model, compile_scenario(model, scenario, samples=200))[0]
    point = portfolio_problem(model, replace(compile_scenario(model, scenario), samples=1))[0]
    together = _best_together([problem, point])
    for mine, alone in zip(together, (problem, point), strict=True):
        (masks, values, marginal), known = mine
        expected = sample_best(alone, marginal=True)
        assert (masks == expected[0]).all() and (values == expected[1]).all()
        assert (marginal == expected[2]).all()
        assert set(np.unique(masks).tolist()) <= known.keys()


def test_spaces_of_one_structure_are_each_ones_own() -> None:
    """Package spaces made from the first one's rows are bit for bit each scenario's own."""
    from decision.analyses.plan import SharedWork
    from decision.core.compile import compile_model, compile_scenario
    from decision.load.loading import load_scenario

    starts = []
    loaded = model = None
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario, loaded = load_scenario(path, loaded)
        model = model or compile_model(loaded)
        starts.append((model, compile_scenario(model, scenario), None))
    spaces = SharedWork().spaces_of(starts)
    assert len({id(s) for s in spaces}) > 2
    for space, (model, inputs, _) in zip(spaces, starts, strict=True):
        own = package_space(model, inputs).point
        assert (space.point.values == own.values).all()
        assert (space.point.available == own.available).all()
        assert (space.point.costs == own.costs).all()
        assert (space.inputs.values == inputs.values).all()  # its own place (or an equal one)
