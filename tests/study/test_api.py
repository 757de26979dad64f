"""The Python API (decision.study.api): each command's function returns the typed result whose plain
data is what the command's ``--json`` prints; errors in an argument name the argument as
Python names it (``perspective``), while the command line names its flag (``--perspective``).
The rows of ``BAD`` extend the bad-input catalogue with the API's own error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import decision
from decision.results import ScenarioResult, to_data
from decision.study.scenario import ScenarioRun
from tests.conftest import DATA, ROOT, CliResult

BASELINE = ROOT / "scenarios" / "baseline.yaml"
WESTERN = ROOT / "scenarios" / "western-tilt.yaml"
MINI = DATA / "mini"


def _json(run_cli: Callable[..., CliResult], *args: str) -> Any:
    result = run_cli(*args, "--json")
    assert result.status == 0, result.err
    return json.loads(result.out)


# ------------------------------------------------------------------ the same as the commands


def test_compare_is_compare_json(run_cli: Callable[..., CliResult]) -> None:
    study = decision.compare([BASELINE, WESTERN], methods="wsm,topsis", threshold=0.55)
    expected = _json(run_cli, "compare", str(BASELINE), str(WESTERN), "--methods",
                     "wsm,topsis", "--threshold", "0.55")
    assert to_data(study.comparison()) == expected


def test_compare_without_analyses_is_quick_and_plain() -> None:
    study = decision.compare(BASELINE, analyses=False)
    assert study.sensitivity == [] and study.portfolios == []
    assert [r.scenario for r in study.results] == ["baseline"]


def test_robustness_is_robustness_json(run_cli: Callable[..., CliResult]) -> None:
    expected = _json(run_cli, "robustness", str(BASELINE), str(WESTERN), "--alpha", "0.3",
                     "--percentile", "80", "--threshold", "0.5")
    from_paths = decision.robustness([BASELINE, WESTERN], alpha=0.3, percentile=80,
                                     threshold=0.5)
    assert to_data(from_paths) == expected
    study = decision.compare([BASELINE, WESTERN], analyses=False)
    assert to_data(decision.robustness(study, alpha=0.3, percentile=80, threshold=0.5)) \
        == expected
    assert to_data(decision.robustness(study.runs, alpha=0.3, percentile=80,
                                       threshold=0.5)) == expected


@pytest.mark.parametrize(
    ("function", "command"),
    [(decision.sensitivity, "sensitivity"), (decision.tipping, "tipping")],
    ids=["sensitivity", "tipping"],
)
def test_scenario_analyses_are_their_commands(
    run_cli: Callable[..., CliResult], function: Callable[..., Any], command: str
) -> None:
    expected = _json(run_cli, command, str(BASELINE), "--method", "topsis")
    assert to_data(function(BASELINE, method="topsis")) == expected


def test_portfolio_is_portfolio_json(run_cli: Callable[..., CliResult]) -> None:
    expected = _json(run_cli, "portfolio", str(BASELINE), "--budget", "diplomatic-capital=5")
    report = decision.portfolio(BASELINE, budgets={"diplomatic-capital": 5})
    assert to_data(report) == expected


def test_explain_is_explain_json(run_cli: Callable[..., CliResult]) -> None:
    expected = _json(run_cli, "explain", str(BASELINE), "r3-engage-civil-society")
    assert to_data(decision.explain(BASELINE, "r3-engage-civil-society")) == expected


def test_run_is_run_json(run_cli: Callable[..., CliResult]) -> None:
    expected = _json(run_cli, "run", str(WESTERN), "--samples", "300", "--seed", "4",
                     "--method", "vikor")
    result = decision.evaluate(WESTERN, samples=300, seed=4, method="vikor")
    assert isinstance(result, ScenarioResult)
    assert result.to_dict() == expected


def test_plan_is_plan_json(run_cli: Callable[..., CliResult]) -> None:
    expected = _json(run_cli, "plan", str(MINI / "base.yaml"), str(MINI / "open.yaml"),
                     "--budget", "money=3", "--samples", "40", "--seed", "3", "--margin", "0.1")
    found = decision.plan([MINI / "base.yaml", MINI / "open.yaml"], budgets={"money": 3},
                          samples=40, seed=3, margin=0.1)
    assert to_data(found) == expected
    assert [p.scenario for p in found.plans] == ["base", "open"]


def test_explore_is_explore_json(run_cli: Callable[..., CliResult]) -> None:
    expected = _json(run_cli, "explore", str(MINI / "base.yaml"), "--samples", "128",
                     "--design", "mc", "--seed", "5", "--outcome", "package-loses",
                     "--sensitivity-samples", "8")
    found = decision.explore(MINI / "base.yaml", samples=128, design="mc", seed=5,
                             outcomes="package-loses", sensitivity_samples=8)
    assert to_data(found) == expected
    assert expected["samples"] == 128 and expected["findings"]


def test_rank_is_rank_json(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = tmp_path / "m.csv"
    path.write_text("option,cost,quality\nA,250,0.7\nB,300,0.9\nC,200,0.4\n")
    expected = _json(run_cli, "rank", str(path), "--weights", "0.4,0.6", "--types",
                     "cost,benefit", "--method", "vikor", "--param", "v=0.3")
    ranking = decision.rank(path, [0.4, 0.6], ["cost", "benefit"], method="vikor",
                            params={"v": 0.3})
    assert to_data(ranking) == expected
    # the same with a mapping, pymcdm's +-1 types and text
    assert to_data(decision.rank(str(path), {"quality": 0.6, "cost": 0.4}, [-1, 1],
                                 method="vikor", params={"v": 0.3})) == expected
    assert to_data(decision.rank(path, "0.4,0.6", "min,max", method="vikor",
                                 params={"v": 0.3})) == expected


def test_rank_takes_a_data_frame() -> None:
    pandas = pytest.importorskip("pandas")
    table = pandas.DataFrame({"cost": [250, 300, 200], "quality": [0.7, 0.9, 0.4]},
                             index=["A", "B", "C"])
    ranking = decision.rank(table, "critic", {"cost": "cost", "quality": True})
    assert ranking.file == "<DataFrame>" and sorted(ranking.criteria) == ["cost", "quality"]
    assert {o["option"] for o in ranking.options} == {"A", "B", "C"}


def test_scenario_arguments_of_every_kind() -> None:
    """A path, a loaded scenario, a run (used as it is) and a result (evaluated again) give
    the same analysis."""
    run = decision.run_scenario(BASELINE)
    scenario, _ = decision.load_scenario(BASELINE)
    expected = to_data(decision.tipping(BASELINE))
    for given in (str(BASELINE), scenario, run, run.result):
        assert to_data(decision.tipping(given)) == expected


def test_a_run_is_not_evaluated_again() -> None:
    run = decision.run_scenario(MINI / "open.yaml")
    assert decision.analyse(run, ["dominance"]).parts.keys() == {"dominance"}
    assert decision.explain(run, "engage").option == run.result.option("engage")


def test_a_result_of_changed_files_is_refused(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    result = decision.evaluate(folder / "open.yaml")
    scenario = folder / "open.yaml"
    scenario.write_text(scenario.read_text().replace("access: 0.7", "access: 0.9"))
    with pytest.raises(decision.DecisionError, match="have changed since"):
        decision.sensitivity(result)


def test_method_as_mapping_and_choice() -> None:
    from decision.specs import MethodChoice

    by_name = decision.evaluate(BASELINE, method={"name": "topsis", "normalisation": "minmax"})
    by_choice = decision.evaluate(BASELINE, method=MethodChoice(name="topsis",
                                                                normalisation="minmax"))
    assert by_name == by_choice
    assert by_name.method == {"name": "topsis", "normalisation": "minmax"}


# ---------------------------------------------------------------- errors name the argument


def test_key_path_depends_on_the_caller(
    mini: Path, run_cli: Callable[..., CliResult]
) -> None:
    from decision.study.scenario import run_scenario

    with pytest.raises(decision.DecisionError) as python:
        decision.evaluate(mini / "open.yaml", perspective="nope")
    assert python.value.key_path == "perspective"
    with pytest.raises(decision.DecisionError) as lower:
        run_scenario(mini / "open.yaml", perspective="nope")  # the library's default: Python
    assert lower.value.key_path == "perspective"
    with pytest.raises(decision.DecisionError) as flagged:
        run_scenario(mini / "open.yaml", perspective="nope",
                     argument_names={"perspective": "--perspective"})
    assert flagged.value.key_path == "--perspective"
    cli = run_cli("run", str(mini / "open.yaml"), "--perspective", "nope")
    assert cli.err.startswith("error: --perspective: unknown perspective 'nope'")


def test_zero_weights_from_a_perspective_name_the_argument(mini: Path) -> None:
    model = mini / "model.yaml"
    model.write_text(model.read_text().replace("weights: {security: 1, rights: 3}",
                                               "weights: {security: 1, rights: 0}"))
    scenario = mini / "open.yaml"
    scenario.write_text(scenario.read_text() + "weights: {security: 0}\n")
    with pytest.raises(decision.DecisionError) as error:
        decision.evaluate(scenario, perspective="rights-first")
    assert error.value.key_path == "perspective"
    assert "weights are all zero" in error.value.one_line()


def test_rank_errors_name_python_arguments(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("o,a,b\nA,1.5,0.5\nB,0.2,0.3\n")
    with pytest.raises(decision.DecisionError) as error:
        decision.rank(path, [1, 1], [1, 1], method="wsm", params={"normalisation": "none"})
    line = error.value.one_line()
    assert "A.a: 1.5 is outside the domain" in line
    assert "params={'normalisation': 'minmax'}" in line and "--param" not in line


@dataclass(frozen=True)
class Bad:
    id: str
    call: Callable[[Path], object]  # given a CSV matrix (o,a,b / A,1,2 / B,2,1)
    key_path: str
    says: tuple[str, ...] = ()


def _csv(tmp: Path) -> Path:
    path = tmp / "m.csv"
    path.write_text("o,a,b\nA,1,2\nB,2,1\n")
    return path


OPEN = MINI / "open.yaml"

BAD = [
    Bad("perspective-unknown", lambda m: decision.evaluate(OPEN, perspective="nope"),
        "perspective", ("unknown perspective 'nope'",)),
    Bad("perspective-not-text", lambda m: decision.evaluate(OPEN, perspective=3),  # type: ignore[arg-type]
        "perspective", ("got the number 3",)),
    Bad("samples-zero", lambda m: decision.run_scenario(OPEN, samples=0), "samples",
        ("got 0", "a whole number from 1 to 1,000,000,000,000")),
    Bad("samples-float", lambda m: decision.run_scenario(OPEN, samples=2.5),  # type: ignore[arg-type]
        "samples", ("got the number 2.5",)),
    Bad("samples-bool", lambda m: decision.run_scenario(OPEN, samples=True), "samples",
        ("got true",)),
    Bad("seed-negative", lambda m: decision.evaluate(OPEN, seed=-1), "seed", ("got -1",)),
    Bad("chunk-zero", lambda m: decision.evaluate(OPEN, chunk=0), "chunk", ("got 0",)),
    Bad("method-unknown", lambda m: decision.evaluate(OPEN, method="topsys"), "method",
        ("did you mean 'topsis'",)),
    Bad("method-parameter", lambda m: decision.evaluate(
        OPEN, method={"name": "vikor", "v": 2}), "method.v", ("less than or equal to 1",)),
    Bad("method-kind", lambda m: decision.evaluate(OPEN, method=7), "method",
        ("got the number 7",)),
    Bad("methods-item", lambda m: decision.compare(OPEN, methods="wsm,nope"), "methods[1]",
        ("unknown method 'nope'",)),
    Bad("scenarios-empty", lambda m: decision.compare([]), "scenarios", ("got a list",)),
    Bad("scenarios-item", lambda m: decision.compare([OPEN, 3]), "scenarios[1]",  # type: ignore[list-item]
        ("got the number 3",)),
    Bad("scenario-list", lambda m: decision.sensitivity([OPEN, OPEN]), "scenario",
        ("got a list",)),
    Bad("threshold-nan", lambda m: decision.compare(OPEN, threshold=float("nan")),
        "threshold", ("got the number nan",)),
    Bad("alpha", lambda m: decision.robustness(OPEN, alpha=1.5), "alpha",
        ("got 1.5", "a finite number from 0 to 1")),
    Bad("percentile-zero", lambda m: decision.robustness(OPEN, percentile=0), "percentile",
        ("got 0", "above 0 and at most 100")),
    Bad("run-and-seed", lambda m: decision.tipping(decision.run_scenario(OPEN), seed=2), "seed",
        ("this run of 'open' was evaluated already",)),
    Bad("study-and-method", lambda m: decision.robustness(
        decision.compare(OPEN, analyses=False), method="wsm"), "method",
        ("these were evaluated already",)),
    Bad("analysis-unknown", lambda m: decision.analyse(OPEN, ["tornadoo"]), "names[0]",
        ("unknown analysis 'tornadoo'", "did you mean 'tornado'")),
    Bad("budget-resource", lambda m: decision.portfolio(OPEN, budgets={"mony": 3}), "budgets",
        ("no resource of the model", "did you mean 'money'")),
    Bad("budget-negative", lambda m: decision.portfolio(OPEN, budgets={"money": -1}),
        "budgets.money", ("got -1", "a finite number >= 0")),
    Bad("budgets-kind", lambda m: decision.portfolio(OPEN, budgets=[1]),  # type: ignore[arg-type]
        "budgets", ("got a list",)),
    Bad("option-unknown", lambda m: decision.explain(OPEN, "engag"), "option",
        ("unknown option 'engag'", "did you mean 'engage'")),
    Bad("explain-option-lower", lambda m: decision.explain_option(
        decision.run_scenario(OPEN), "engag"), "option_id", ("did you mean 'engage'",)),
    Bad("rank-matrix-kind", lambda m: decision.rank(3), "matrix", ("got the number 3",)),
    Bad("rank-no-weights", lambda m: decision.rank(m, types=[1, 1]), "weights",
        ("no weights given",)),
    Bad("rank-no-types", lambda m: decision.rank(m, [1, 1]), "types",
        ("no criterion types given",)),
    Bad("rank-weights-count", lambda m: decision.rank(m, [1, 1, 1], [1, 1]), "weights",
        ("3 values for 2 criteria",)),
    Bad("rank-weights-text", lambda m: decision.rank(m, "1,x", [1, 1]), "weights",
        ("weight 2 is 'x'",)),
    Bad("rank-weight-negative", lambda m: decision.rank(m, {"a": 1, "b": -1}, [1, 1]),
        "weights.b", ("got the number -1",)),
    Bad("rank-weights-unknown", lambda m: decision.rank(m, {"a": 1, "c": 1}, [1, 1]),
        "weights", ("'c' is not a criterion of the matrix",)),
    Bad("rank-weights-zero", lambda m: decision.rank(m, [0, 0], [1, 1]), "weights",
        ("weights are all zero",)),
    Bad("rank-type", lambda m: decision.rank(m, [1, 1], [1, 0]), "types.b",
        ("got the number 0",)),
    Bad("rank-types-missing", lambda m: decision.rank(m, [1, 1], {"a": "max"}), "types",
        ("nothing given for b",)),
    Bad("rank-types-text", lambda m: decision.rank(m, [1, 1], "1,up"), "types",
        ("type 2 is 'up'",)),
    Bad("rank-method", lambda m: decision.rank(m, [1, 1], [1, 1], method="topsys"),
        "method", ("did you mean 'topsis'",)),
    Bad("rank-params", lambda m: decision.rank(m, [1, 1], [1, 1], method="vikor",
                                             params={"v": 5}), "params.v", ()),
    Bad("rank-params-kind", lambda m: decision.rank(m, [1, 1], [1, 1],
                                                  params=["v=1"]),  # type: ignore[arg-type]
        "params", ("got a list",)),
    Bad("export-out-input", lambda m: decision.export_xmcda(OPEN, OPEN), "out",
        ("refusing to write over",)),
    Bad("export-out-directory", lambda m: decision.export_xmcda(OPEN, m.parent), "out",
        ("is a directory",)),
    Bad("read-xmcda-kind", lambda m: decision.read_xmcda(3), "path",  # type: ignore[arg-type]
        ("got the number 3",)),
    Bad("plan-budget-resource", lambda m: decision.plan(OPEN, budgets={"mony": 3}), "budgets",
        ("no resource of the model", "did you mean 'money'")),
    Bad("plan-budget-negative", lambda m: decision.plan(OPEN, budgets={"money": -1}),
        "budgets.money", ("got -1",)),
    Bad("plan-perspective", lambda m: decision.plan(OPEN, perspective="nope"), "perspective",
        ("unknown perspective 'nope'",)),
    Bad("plan-satisficing-scale", lambda m: decision.plan(OPEN, satisficing=-9), "satisficing",
        ("outside the package-value scale",)),
    Bad("plan-margin-nan", lambda m: decision.plan(OPEN, margin=float("nan")), "margin",
        ("got the number nan",)),
    Bad("plan-samples", lambda m: decision.plan(OPEN, samples=0), "samples", ("got 0",)),
    Bad("explore-design", lambda m: decision.explore(OPEN, design="grid"), "design",
        ("got 'grid'", "lhs, sobol, mc")),
    Bad("explore-sobol-samples", lambda m: decision.explore(OPEN, samples=1000, design="sobol"),
        "samples", ("not a power of two",)),
    Bad("explore-samples-few", lambda m: decision.explore(OPEN, samples=10), "samples",
        ("10 samples are too few to explore",)),
    Bad("explore-outcome", lambda m: decision.explore(OPEN, samples=64, outcomes=[
        "package-loses", "top:nowhere"]), "outcomes[1]", ("names no option",)),
    Bad("explore-sensitivity", lambda m: decision.explore(OPEN, sensitivity="sobl"),
        "sensitivity", ("did you mean 'sobol'",)),
    Bad("explore-sensitivity-samples", lambda m: decision.explore(
        OPEN, sensitivity="sobol", sensitivity_samples=100), "sensitivity_samples",
        ("100 is not a power of two",)),
    Bad("explore-format", lambda m: decision.explore(OPEN, formats=["csv"]), "formats[0]",
        ("got 'csv'",)),
    Bad("explore-seed", lambda m: decision.explore(OPEN, seed=2**63), "seed",
        ("got 9,223,372,036,854,775,808",)),
    Bad("frame-table", lambda m: decision.evaluate(OPEN).to_frame("nope"), "table",
        ("unknown table 'nope'",)),
    Bad("frame-no-samples", lambda m: decision.evaluate(OPEN).to_frame("rank_acceptability"),
        "table", ("evaluated with one sample",)),
    Bad("study-frame-table", lambda m: decision.compare(OPEN, analyses=False).to_frame("rank"),
        "table", ("did you mean 'ranks'",)),
]


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_arguments_name_the_argument(case: Bad, tmp_path: Path) -> None:
    with pytest.raises(decision.DecisionError) as error:
        case.call(_csv(tmp_path))
    line = error.value.one_line()
    assert error.value.key_path == case.key_path, line
    assert "--" not in (error.value.key_path or ""), line
    assert "; allowed: " in line, line
    for text in case.says:
        assert text in line, (text, line)


def test_catalogue_is_large_enough() -> None:
    assert len(BAD) >= 40


# ---------------------------------------------------------------------------- notebooks


def test_reprs_are_short_and_equality_is_kept() -> None:
    result = decision.evaluate(BASELINE)
    text = repr(result)
    assert text.startswith("<ScenarioResult 'baseline' of model 'belarus' (wsm): 1. ")
    assert "\n" not in text and len(text) < 300
    assert "(5 more; 2 unavailable)" in text
    assert result == decision.evaluate(BASELINE)  # dataclass equality
    assert result != decision.evaluate(BASELINE, method="topsis")
    run = decision.run_scenario(BASELINE)
    assert repr(run) == f"<ScenarioRun of {text}>"
    study = decision.compare([BASELINE, WESTERN], analyses=False)
    assert repr(study) == (
        "<Study of 2 scenarios of model 'belarus': baseline (r5-work-with-allies first), "
        "western-tilt (r3-ambassador-when-timely first)>"
    )
    assert len(repr(decision.compare([BASELINE, WESTERN]))) < 300


def test_html_reprs_escape_and_show_the_ranking() -> None:
    result = decision.evaluate(WESTERN)
    html = result._repr_html_()
    assert html.startswith("<table>") and html.endswith("</table>")
    assert "western-tilt" in html and "P(1st)" in html
    assert html.count("<tr>") == 1 + len(result.options)
    study = decision.compare([BASELINE, WESTERN], analyses=False)
    assert "unavailable" in study._repr_html_()
    assert decision.run_scenario(BASELINE)._repr_html_() == decision.evaluate(
        BASELINE)._repr_html_()


def test_html_escapes_titles() -> None:
    from dataclasses import replace

    result = decision.evaluate(MINI / "base.yaml")
    option = replace(result.options[0], title="<b>&</b>")
    html = replace(result, options=[option, *result.options[1:]])._repr_html_()
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html and "<b>" not in html


def test_import_decision_stays_light() -> None:
    code = (
        "import sys, decision; assert decision.DecisionError; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pandas', 'numpy', 'lxml') or m in ('decision.study.api', 'decision.results.frames')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_every_export_exists() -> None:
    for name in decision.__all__:
        assert callable(getattr(decision, name)), name
    assert decision.evaluate is decision.study.api.evaluate
    assert isinstance(decision.run_scenario(OPEN), ScenarioRun)
