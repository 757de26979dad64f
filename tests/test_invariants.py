"""The design's scoring invariants, property-tested in one place over random valid models.

Each test names the invariant of ``shared/design.md`` it checks and runs it for every
aggregation method where it applies; where a method is left out, the reason is stated.
Methods: wsm and wpm (absolute: an option's score depends on its own row only), topsis,
vikor and promethee (relative: scores depend on the other available options).
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import decision.uncertainty.montecarlo as montecarlo
from decision.core.compile import CompiledModel
from decision.core.engine import Evaluation, evaluate_arrays
from decision.core.weights import normalise_weights
from decision.results import to_data
from decision.study.scenario import evaluate
from tests.strategies import compile_dict, model_dicts, scenario_dicts

ALL = ["wsm", "wpm", "topsis", "vikor", "promethee"]
ABSOLUTE = ["wsm", "wpm"]
RELATIVE = ["topsis", "vikor", "promethee"]
PROFILE = settings(max_examples=30, deadline=None)
EPS = 1e-9


def _point(model: CompiledModel, fractions: list[float]) -> np.ndarray:
    raw = model.low + (model.high - model.low) * np.array(fractions[: len(model.indicators)])
    return np.where(model.is_boolean, np.round(raw), raw)[None, :]


def _run(model: CompiledModel, x: np.ndarray, method: str, **kw: Any) -> Evaluation:
    return evaluate_arrays(
        model, x, kw.pop("weights", model.weights), method, judgement=kw.pop("judgement", None)
    )


def _distinct(scores: np.ndarray, available: np.ndarray) -> bool:
    keys = np.where(available, scores, -10.0)
    gaps = np.abs(keys[:, None] - keys[None, :])
    return bool(np.all(gaps[~np.eye(len(keys), dtype=bool)] > EPS))


fractions = st.lists(st.floats(0, 1), min_size=3, max_size=3)


# 1. Scaling all weights by k > 0 changes nothing.
@pytest.mark.parametrize("method", ALL)
@PROFILE
@given(data=model_dicts(), v=fractions, k=st.floats(1e-3, 1e3))
def test_weight_scaling_changes_nothing(
    method: str, data: dict[str, Any], v: list[float], k: float
) -> None:
    model = compile_dict(data)
    x = _point(model, v)
    a = _run(model, x, method)
    b = _run(model, x, method, weights=model.weights * k)
    np.testing.assert_allclose(a.scores, b.scores, rtol=0, atol=1e-10)
    if _distinct(a.scores[0], a.available[0]):
        np.testing.assert_array_equal(a.ranks, b.ranks)


# 2. Weights are normalised once, in one place: normalising twice changes nothing.
@given(st.lists(st.floats(0.01, 100), min_size=1, max_size=8))
def test_weights_normalised_in_one_place(weights: list[float]) -> None:
    once = normalise_weights(weights)
    assert once.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(normalise_weights(once), once, rtol=0, atol=1e-15)


# 3. Permuting options permutes the results and changes nothing else.
@pytest.mark.parametrize("method", ALL)
@PROFILE
@given(data=model_dicts(), v=fractions, rnd=st.randoms(use_true_random=False))
def test_permuting_options(method: str, data: dict[str, Any], v: list[float], rnd: Any) -> None:
    names = list(data["options"])
    order = names[:]
    rnd.shuffle(order)
    permuted = copy.deepcopy(data)
    permuted["options"] = {n: data["options"][n] for n in order}
    model, other = compile_dict(data), compile_dict(permuted)
    x = _point(model, v)
    a, b = _run(model, x, method), _run(other, x, method)
    index = [names.index(n) for n in order]
    np.testing.assert_allclose(a.scores[:, index], b.scores, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(a.available[:, index], b.available)
    if _distinct(a.scores[0], a.available[0]):
        np.testing.assert_array_equal(a.ranks[:, index], b.ranks)


# 4. Permuting criteria (with their weights) changes nothing.
@pytest.mark.parametrize("method", ALL)
@PROFILE
@given(data=model_dicts(), v=fractions, rnd=st.randoms(use_true_random=False))
def test_permuting_criteria(method: str, data: dict[str, Any], v: list[float], rnd: Any) -> None:
    names = list(data["criteria"])
    rnd.shuffle(names)
    permuted = copy.deepcopy(data)
    permuted["criteria"] = {n: data["criteria"][n] for n in names}
    model, other = compile_dict(data), compile_dict(permuted)
    x = _point(model, v)
    a, b = _run(model, x, method), _run(other, x, method)
    np.testing.assert_allclose(a.scores, b.scores, rtol=0, atol=1e-10)
    if _distinct(a.scores[0], a.available[0]):
        np.testing.assert_array_equal(a.ranks, b.ranks)


# 5. An option that dominates another is ranked no worse under every method.
@pytest.mark.parametrize("method", ALL)
@PROFILE
@given(data=model_dicts(), v=fractions, pick=st.data())
def test_dominance_is_respected(
    method: str, data: dict[str, Any], v: list[float], pick: st.DataObject
) -> None:
    model = compile_dict(data)
    x = _point(model, v)
    base = _run(model, x, method).performance[0]
    n_opt, n_crit = base.shape
    a, b = pick.draw(st.lists(st.integers(0, n_opt - 1), min_size=2, max_size=2, unique=True))
    j = pick.draw(st.integers(0, n_crit - 1))
    judgement = base.copy()
    judgement[a] = np.maximum(judgement[a], judgement[b])
    judgement[b, j] = min(judgement[b, j], judgement[a, j] - 0.05)
    assume(judgement[b, j] >= 0)
    # evaluate with the indicators at baseline so the judgements are the performance
    result = _run(model, model.baseline[None, :], method, judgement=judgement)
    if result.available[0, a] and result.available[0, b]:
        assert result.scores[0, a] >= result.scores[0, b] - 1e-12
        if result.scores[0, a] > result.scores[0, b] + EPS:
            assert result.ranks[0, a] < result.ranks[0, b]


# 6. Raising an option's performance on a benefit criterion never lowers its score or rank
#    (additive methods); never lowers its score under methods with fixed ideal points
#    (wsm and wpm on the value scale). Relative methods are exempt: their ideal points move.
@pytest.mark.parametrize("method", ABSOLUTE)
@PROFILE
@given(data=model_dicts(), pick=st.data())
def test_monotone_in_own_performance(
    method: str, data: dict[str, Any], pick: st.DataObject
) -> None:
    model = compile_dict(data)
    o = pick.draw(st.integers(0, len(model.options) - 1))
    c = pick.draw(st.integers(0, len(model.criteria) - 1))
    judgement = model.judgement.copy()
    before = _run(model, model.baseline[None, :], method, judgement=judgement)
    judgement[o, c] = min(1.0, judgement[o, c] + pick.draw(st.floats(0, 1)))
    after = _run(model, model.baseline[None, :], method, judgement=judgement)
    assert after.scores[0, o] >= before.scores[0, o] - 1e-12
    if method == "wsm":
        assert after.ranks[0, o] <= before.ranks[0, o]


def _with_unavailable(data: dict[str, Any], name: str) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    changed["indicators"]["gate"] = {"description": "d", "type": "boolean", "baseline": False}
    changed["options"][name]["preconditions"] = [{"when": "gate", "reason": "r"}]
    return changed


def _without(data: dict[str, Any], name: str) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    del changed["options"][name]
    changed["indicators"]["gate"] = {"description": "d", "type": "boolean", "baseline": False}
    return changed


# 7. Absolute methods: an unavailable option's presence changes no other option's score.
# 8. Relative methods: an unavailable option takes no part (masking equals removal).
@pytest.mark.parametrize("method", ALL)
@PROFILE
@given(data=model_dicts(min_options=3), v=fractions, pick=st.data())
def test_unavailable_option_takes_no_part(
    method: str, data: dict[str, Any], v: list[float], pick: st.DataObject
) -> None:
    names = list(data["options"])
    name = pick.draw(st.sampled_from(names))
    masked, removed = (
        compile_dict(_with_unavailable(data, name)),
        compile_dict(_without(data, name)),
    )
    x = np.append(_point(compile_dict(data), v), [[0.0]], axis=1)
    a, b = _run(masked, x, method), _run(removed, x, method)
    keep = [k for k, n in enumerate(names) if n != name]
    assert not a.available[0, names.index(name)]
    np.testing.assert_allclose(a.scores[:, keep], b.scores, rtol=0, atol=1e-10)


# 9. An unavailable option is never ranked above an available one.
# 10. Scores are finite; ranks are a permutation of 1..n in every sample.
@pytest.mark.parametrize("method", ALL)
@PROFILE
@given(data=model_dicts(), vs=st.lists(fractions, min_size=1, max_size=6))
def test_unavailable_last_scores_finite_ranks_permutation(
    method: str, data: dict[str, Any], vs: list[list[float]]
) -> None:
    model = compile_dict(data)
    x = np.concatenate([_point(model, v) for v in vs])
    result = _run(model, x, method)
    assert np.all(np.isfinite(result.scores))
    n = len(model.options)
    np.testing.assert_array_equal(
        np.sort(result.ranks, axis=1), np.tile(np.arange(1, n + 1), (len(x), 1))
    )
    for s in range(len(x)):
        good, bad = result.ranks[s][result.available[s]], result.ranks[s][~result.available[s]]
        if good.size and bad.size:
            assert good.max() < bad.min()


# 11. Batched evaluation equals one sample at a time, bit for bit.
@pytest.mark.parametrize("method", ALL)
@PROFILE
@given(data=model_dicts(), vs=st.lists(fractions, min_size=2, max_size=6))
def test_batch_equals_single_samples(
    method: str, data: dict[str, Any], vs: list[list[float]]
) -> None:
    model = compile_dict(data)
    x = np.concatenate([_point(model, v) for v in vs])
    batch = _run(model, x, method)
    for s in range(len(x)):
        single = _run(model, x[s : s + 1], method)
        assert single.scores[0].tobytes() == batch.scores[s].tobytes()


def _sampled(model: dict[str, Any], scenario: dict[str, Any], folder: Path, **kw: Any) -> str:
    (folder / "model.yaml").write_text(yaml.safe_dump(model))
    (folder / "s.yaml").write_text(yaml.safe_dump({**scenario, "samples": 700}))
    return json.dumps(to_data(evaluate(folder / "s.yaml", **kw)), sort_keys=True)


# 12. Same inputs and seed: byte-identical results whatever the chunk size.
# 13. ... and whatever the number of threads.
@settings(max_examples=10, deadline=None)
@given(st.data())
def test_byte_identical_across_chunks_and_threads(data: st.DataObject) -> None:
    model = data.draw(model_dicts())
    scenario = data.draw(scenario_dicts(model))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        reference = _sampled(model, scenario, folder)
        assert _sampled(model, scenario, folder, chunk=97) == reference
        workers = montecarlo.WORKERS
        try:
            montecarlo.WORKERS = 1 if workers > 1 else 2
            assert _sampled(model, scenario, folder, chunk=300) == reference
        finally:
            montecarlo.WORKERS = workers


# 14. Acceptabilities of each option sum to 1 over ranks;
# 15. each rank's acceptabilities sum to 1 over options; all finite.
@settings(max_examples=10, deadline=None)
@given(st.data())
def test_acceptabilities_are_distributions(data: st.DataObject) -> None:
    model = data.draw(model_dicts())
    scenario = data.draw(scenario_dicts(model))
    with tempfile.TemporaryDirectory() as name:
        result = json.loads(_sampled(model, scenario, Path(name)))
    table = np.array([o["uncertainty"]["rank_acceptability"] for o in result["options"]])
    assert np.all(np.isfinite(table))
    np.testing.assert_allclose(table.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_allclose(table.sum(axis=0), 1.0, atol=1e-9)


# 16. Permuting scenarios permutes the study's results and leaves robustness unchanged.
def test_permuting_scenarios_permutes_results() -> None:
    from decision.study.study import run_study
    from tests.conftest import ROOT

    paths = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml") if "tilt" not in p.name)
    forward = run_study(paths)
    backward = run_study(paths[::-1])
    assert [r.scenario for r in backward.results] == [r.scenario for r in forward.results][::-1]
    for a, b in zip(forward.results, backward.results[::-1], strict=True):
        assert json.dumps(to_data(a)) == json.dumps(to_data(b))
    assert forward.robustness is not None and backward.robustness is not None
    fa, fb = forward.robustness.result, backward.robustness.result
    for name, values in fa.measures().items():
        np.testing.assert_array_equal(values, fb.measures()[name])
    assert fa.picks == fb.picks


# 11b. ... also for sampled weights and every normalisation: a sample's scores never depend on
#      which other samples share the call (no data-dependent code path across the batch).
METHOD_CONFIGS = [
    ("wsm", {}),
    ("wsm", {"normalisation": "minmax"}),
    ("wsm", {"normalisation": "vector"}),
    ("wpm", {}),
    ("topsis", {}),
    ("topsis", {"normalisation": "minmax"}),
    ("vikor", {}),
    ("promethee", {}),
]


@pytest.mark.parametrize(("method", "params"), METHOD_CONFIGS)
@settings(max_examples=40, deadline=None)
@given(
    shape=st.tuples(st.integers(2, 40), st.integers(2, 9), st.integers(1, 6)),
    seed=st.integers(0, 2**32 - 1),
    cut=st.data(),
)
def test_scores_do_not_depend_on_the_batch(
    method: str, params: dict[str, Any], shape: tuple[int, int, int], seed: int, cut: st.DataObject
) -> None:
    from decision.core.methods import score

    s, o, c = shape
    rng = np.random.default_rng(seed)
    perf = rng.random((s, o, c))
    perf[:, :, 0] = np.round(perf[:, :, 0], 1)  # ties and near-constant columns occur
    weights = rng.random((s, c)) + 0.05
    benefit = rng.random(c) < 0.7
    available = rng.random((s, o)) < 0.8
    full = score(method, perf, weights, benefit, available, params)
    start = cut.draw(st.integers(0, s - 1))
    stop = cut.draw(st.integers(start + 1, s))
    part = score(
        method, perf[start:stop], weights[start:stop], benefit, available[start:stop], params
    )
    assert part.tobytes() == full[start:stop].tobytes()
