"""The CLI's commands on the shipped model: output, files written, exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, CliResult, invoke_cli

BASELINE = str(ROOT / "scenarios" / "baseline.yaml")
ALL_SCENARIOS = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))


def test_validate_prints_ok_per_file(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("validate", str(ROOT / "models" / "belarus.yaml"), *ALL_SCENARIOS)
    assert result.status == 0, result.err
    lines = result.out.strip().splitlines()
    assert len(lines) == 1 + len(ALL_SCENARIOS)
    assert all(line.startswith("ok  ") for line in lines)
    assert "model 'belarus' (8 options" in lines[0]


def test_run_prints_a_ranked_table(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("run", BASELINE)
    assert result.status == 0, result.err
    assert "r3-engage-civil-society" in result.out
    assert "no: " in result.out  # unavailable options say why
    assert "civil_society_access" in result.out


def test_run_json_matches_the_api(run_cli: Callable[..., CliResult]) -> None:
    import decision

    result = run_cli("run", BASELINE, "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    expected = decision.evaluate(BASELINE)
    assert [o["id"] for o in data["options"]] == [o.id for o in expected.options]
    assert [o["score"] for o in data["options"]] == [o.score for o in expected.options]
    assert data["scenario"] == "baseline"


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[CliResult, Path]:
    """One ``compare`` of every shipped scenario, shared by the tests that read its files."""
    out = tmp_path_factory.mktemp("compare") / "report"
    return invoke_cli("compare", *ALL_SCENARIOS, "--out", str(out)), out


def test_compare_writes_markdown_and_json(compared: tuple[CliResult, Path]) -> None:
    result, out = compared
    assert result.status == 0, result.err
    markdown = (out / "comparison.md").read_text()
    data = json.loads((out / "comparison.json").read_text())
    assert set(data["ranks"]) == {Path(p).stem for p in ALL_SCENARIOS}
    for scenario in data["scenarios"]:
        assert f"### {scenario['title']} (`{scenario['scenario']}`)" in markdown
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_compare_is_byte_identical_on_rerun(
    run_cli: Callable[..., CliResult], tmp_path: Path, compared: tuple[CliResult, Path]
) -> None:
    first, a = compared
    assert first.status == 0, first.err
    assert run_cli("compare", *ALL_SCENARIOS, "--out", str(tmp_path / "b")).status == 0
    for name in ("comparison.md", "comparison.json"):
        assert (a / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_explain_breaks_the_score_down(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("explain", BASELINE, "r1-wary-of-russia", "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    total = sum(line["contribution"] for line in data["criteria"])
    assert total == pytest.approx(data["option"]["score"], abs=1e-9)
    text = run_cli("explain", BASELINE, "r3-ambassador-when-timely")
    assert "precondition fails" in text.out


def test_schema_prints_both_file_kinds(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("schema")
    assert result.status == 0
    data = json.loads(result.out)
    assert data["model"]["additionalProperties"] is False
    assert "indicators" in data["scenario"]["properties"]


def test_schema_of_the_results_validates_the_committed_report(
    run_cli: Callable[..., CliResult],
) -> None:
    import jsonschema

    result = run_cli("schema", "--kind", "results")
    assert result.status == 0
    schema = json.loads(result.out)
    committed = json.loads((ROOT / "reports" / "results.json").read_text())
    jsonschema.validate(committed, schema, cls=jsonschema.Draft202012Validator)
    assert "\n" not in json.dumps([d.get("description", "") for d in schema["$defs"].values()])


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [\n")
    proc = subprocess.run(
        [sys.executable, "-m", "decision", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {bad}:")
    assert "Traceback" not in proc.stderr


def test_compare_with_methods_reports_agreement(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    result = run_cli(
        "compare",
        BASELINE,
        "--methods",
        "wsm,topsis,vikor,promethee",
        "--out",
        str(tmp_path),
        "--json",
    )
    assert result.status == 0, result.err
    data = json.loads(result.out)
    (comparison,) = data["method_comparison"]
    assert comparison["methods"] == ["wsm", "topsis", "vikor", "promethee"]
    assert len(comparison["agreement"]) == 6
    for pair in comparison["agreement"]:
        assert -1.0 <= pair["kendall_tau"] <= 1.0 and -1.0 <= pair["spearman_rho"] <= 1.0
    wsm_ranks = comparison["ranks"]["wsm"]
    assert wsm_ranks == data["ranks"]["baseline"]
    assert "## Ranks under each method" in (tmp_path / "comparison.md").read_text()


def test_robustness_command_picks_an_option_per_measure(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("robustness", *ALL_SCENARIOS, "--threshold", "0.5", "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    measures = data["measures"]
    assert set(measures["picks"]) >= {"expected", "maximin", "maximax", "hurwicz", "max_regret"}
    for row in measures["regret"]:
        assert min(row) == 0.0 and all(r >= 0 for r in row)
    assert all(0.0 <= s <= 1.0 for s in data["satisficing_samples"])
    assert set(data["definitions"]) >= {"expected", "max_regret", "snr"}


def test_rank_plain_matrix_reproduces_the_topsis_example(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    matrix = tmp_path / "m.csv"
    matrix.write_text("option,cost,output\nA1,1,3000\nA2,2,3750\nA3,5,4500\n")
    result = run_cli(
        "rank",
        str(matrix),
        "--weights",
        "0.5,0.5",
        "--types",
        "cost,benefit",
        "--method",
        "topsis",
        "--param",
        "normalisation=minmax",
        "--json",
    )
    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert data["options"][0]["option"] == "A2"
    scores = {row["option"]: row["score"] for row in data["options"]}
    assert scores == pytest.approx({"A1": 0.5, "A2": 0.6173, "A3": 0.5}, abs=1e-3)
    table = run_cli("rank", str(matrix), "--weights", "1,1", "--types", "-1,1")
    assert table.status == 0 and "A2" in table.out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--weights", "0.5", "--types", "cost,benefit"), "--weights"),
        (("--weights", "0.5,x", "--types", "cost,benefit"), "weight 2 is 'x'"),
        (("--weights", "0.5,0.5", "--types", "cost,up"), "type 2 is 'up'"),
        (("--weights", "0.5,0.5", "--types", "cost,benefit", "--param", "v"), "KEY=VALUE"),
        (
            ("--weights", "0.5,0.5", "--types", "cost,benefit", "--method", "electre"),
            "unknown method 'electre'",
        ),
    ],
)
def test_rank_bad_arguments_are_one_line(
    run_cli: Callable[..., CliResult], tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    matrix = tmp_path / "m.csv"
    matrix.write_text("option,cost,output\nA1,1,3000\nA2,2,3750\n")
    result = run_cli("rank", str(matrix), *args)
    assert result.status == 2, result.err
    assert len(result.err.strip().splitlines()) == 1 and fragment in result.err


def test_sensitivity_command_json(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("sensitivity", BASELINE, "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"scenario", "weights", "tornado", "perspectives", "dominance"}
    for criterion in data["weights"]["criteria"]:
        low, high = criterion["top_interval"]
        assert low <= criterion["weight"] <= high
    assert data["tornado"]["options"][0]["option"] == "r5-work-with-allies"
    text = run_cli("sensitivity", BASELINE)
    assert "weight stability" in text.out and "comes first if the weights move" in text.out


def test_tipping_command_names_the_gates(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("tipping", BASELINE, "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    sentences = [o["sentence"] for o in data["openings"]]
    assert any("conditional-engagement becomes available when" in s for s in sentences)
    text = run_cli("tipping", BASELINE)
    assert "r3-ambassador-when-timely becomes available when civil_society_access rises" in text.out


def test_compare_json_includes_sensitivity_and_robustness(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    result = run_cli("compare", BASELINE, "--out", str(tmp_path), "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    (analysis,) = data["sensitivity"]
    assert {"weights", "tipping", "openings", "tornado", "perspectives"} <= set(analysis)
    assert data["robustness"]["options"] == data["options"]


def test_json_output_gives_yes_no_indicators_as_true_and_false(
    run_cli: Callable[..., CliResult],
) -> None:
    """`--json` of run, compare and plan shows a yes/no indicator as true/false, as the
    report's files do, never as the engine's 1.0 and 0.0."""
    scenario = str(ROOT / "scenarios" / "human-rights-improvement.yaml")
    found: list[object] = []

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "political_prisoners_released":
                    found.append(value)
                if node.get("indicator") == "political_prisoners_released" and key in (
                        "value", "threshold", "from", "to"):
                    found.append(value)
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    for args in (("run", scenario, "--samples", "1"),
                 ("compare", scenario, "--samples", "1"),
                 ("plan", str(ROOT / "scenarios" / "timeline-reform.yaml"), "--samples", "1")):
        found.clear()
        result = run_cli(*args, "--json")
        assert result.status == 0, result.err
        collect(json.loads(result.out))
        assert found, args
        assert all(isinstance(v, bool) for v in found), (args, found)
