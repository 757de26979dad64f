"""Model lint: each warning appears exactly where its condition holds (known-answer cases on
the small test model), at the offending key's line, and never changes the exit status unless
``--strict`` asks; the shipped model is lint-clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from decision.files.yamlio import load_yaml
from decision.load.lint import MAX_CORRELATION, MIN_SPREAD, lint_model
from decision.load.loading import load_model
from decision.study.lint import lint_paths
from tests.conftest import ROOT, CliResult

ANCHORS = {"worst": "The worst plausible outcome.", "best": "The best plausible outcome."}


def _codes(path: Path) -> list[tuple[str, str]]:
    loaded = load_model(path)
    return [(w.code, w.key_path) for w in lint_model(loaded.spec, load_yaml(path))]


def _write(folder: Path, data: dict[str, object]) -> Path:
    path = folder / "model.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _mini(mini: Path) -> dict[str, object]:
    data = yaml.safe_load((mini / "model.yaml").read_text())
    for criterion in data["criteria"].values():
        criterion["scale"] = dict(ANCHORS)
    for option in data["options"].values():
        for perf in option["performance"].values():
            perf["evidence"] = ["fact-a"]
    return data


def test_the_cleaned_mini_model_has_only_the_unused_indicator(mini: Path) -> None:
    """The mini model's 'rank' indicator is read by nothing; everything else is clean."""
    assert _codes(_write(mini, _mini(mini))) == [("unused-indicator", "indicators.rank")]


def test_each_warning_where_its_condition_holds(mini: Path) -> None:
    data = _mini(mini)
    del data["criteria"]["rights"]["scale"]  # no anchors
    del data["options"]["act"]["performance"]["rights"]["evidence"]  # no evidence
    codes = _codes(_write(mini, data))
    assert ("no-anchors", "criteria.rights") in codes
    assert ("no-evidence", "options.act.performance.rights") in codes
    # the reference option's judgements need no evidence
    assert not any(path.startswith("options.wait") for _, path in codes)


def test_a_criterion_that_does_not_separate_the_options(mini: Path) -> None:
    data = _mini(mini)
    options = data["options"]
    options["act"]["performance"]["rights"].update(value=0.5, low=0.45, high=0.55)
    options["engage"]["performance"]["rights"].update(value=0.5 + MIN_SPREAD / 2, low=0.5,
                                                      high=0.6)
    assert ("no-separation", "criteria.rights") in _codes(_write(mini, data))
    options["engage"]["performance"]["rights"].update(value=0.5 + 2 * MIN_SPREAD)
    assert ("no-separation", "criteria.rights") not in _codes(_write(mini, data))


def test_criteria_that_move_together(mini: Path) -> None:
    data = _mini(mini)
    data["criteria"]["echo"] = {"description": "d", "weight": 1, "rationale": "r",
                                "scale": dict(ANCHORS)}
    values = {"act": 0.2, "engage": 0.5, "more": 0.8, "most": 0.9}
    template = data["options"]["act"]
    for name in ("more", "most"):
        data["options"][name] = yaml.safe_load(yaml.safe_dump(template))
        data["options"][name]["title"] = name
    for name, v in values.items():
        perf = data["options"][name]["performance"]
        perf["security"] = {"value": v, "rationale": "r", "evidence": ["fact-a"]}
        perf["echo"] = {"value": min(1.0, v + 0.05), "rationale": "r", "evidence": ["fact-a"]}
        perf["rights"] = {"value": 1 - v, "rationale": "r", "evidence": ["fact-a"]}
    data["options"]["wait"]["performance"]["echo"] = {"value": 0.5, "rationale": "r"}
    data["perspectives"]["rights-first"]["weights"]["echo"] = 1
    codes = _codes(_write(mini, data))
    assert ("double-counting", "criteria.echo") in codes  # r = 1 > MAX_CORRELATION
    assert MAX_CORRELATION < 1
    # rights moves against security (r = -1): opposite, not double counting
    assert not any(p == "criteria.rights" and c == "double-counting" for c, p in codes)


def test_default_width_ranges_unless_each_gives_a_reason(mini: Path) -> None:
    data = _mini(mini)
    for name in ("more", "most", "extra"):
        data["options"][name] = yaml.safe_load(yaml.safe_dump(data["options"]["act"]))
        data["options"][name]["title"] = name
    codes = _codes(_write(mini, data))
    assert ("default-ranges", "options") in codes  # every range is 0.2 wide
    for option in data["options"].values():
        for perf in option["performance"].values():
            if "low" in perf:
                perf["provenance"] = {"reason": "Why this band."}
    assert ("default-ranges", "options") not in _codes(_write(mini, data))


def test_options_no_state_makes_available(mini: Path) -> None:
    """engage needs access >= 0.5 and released: the baseline opens neither, the 'open'
    scenario opens both; an impossible gate is flagged even with that scenario."""
    path = _write(mini, _mini(mini))
    alone = {(w.code, w.key_path) for w in lint_paths(path)}
    assert ("not-available-in-scenarios", "options.engage.preconditions") in alone
    opened = {(w.code, w.key_path) for w in lint_paths(path, [mini / "open.yaml"])}
    assert not any(p == "options.engage.preconditions" for _, p in opened)
    data = _mini(mini)
    data["options"]["engage"]["preconditions"][0]["when"] = "released and not released"
    impossible = {(w.code, w.key_path)
                  for w in lint_paths(_write(mini, data), [mini / "open.yaml"])}
    assert ("never-available", "options.engage.preconditions") in impossible


def test_warnings_are_located_and_keep_the_exit_status(
    mini: Path, run_cli: Callable[..., CliResult]
) -> None:
    data = _mini(mini)
    del data["criteria"]["rights"]["scale"]
    path = _write(mini, data)
    text = path.read_text().splitlines()
    checked = run_cli("validate", str(path))
    assert checked.status == 0
    line = next(ln for ln in checked.err.splitlines() if "[no-anchors]" in ln)
    number = int(line.split(":")[2])
    assert text[number - 1].strip() == "rights:"
    assert run_cli("lint", str(path)).status == 0
    assert run_cli("lint", str(path), "--strict").status == 1


def test_the_shipped_model_is_lint_clean(run_cli: Callable[..., CliResult]) -> None:
    scenarios = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    result = run_cli("lint", str(ROOT / "models" / "belarus.yaml"), *scenarios, "--strict")
    assert result.status == 0, result.out
