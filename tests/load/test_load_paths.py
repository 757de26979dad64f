"""Scenario references, extends chains, duplicate ids and text checks at load (issues 22, 23)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from decision.errors import DecisionError
from decision.load.loading import load_model, load_scenario, project_root
from tests.conftest import CliResult

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project laid out like the repository: models/ and scenarios/ side by side."""
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "scenarios").mkdir()
    shutil.copy(MINI / "model.yaml", root / "models" / "mini.yaml")
    (root / "scenarios" / "base.yaml").write_text(
        "id: base\ntitle: Base\nmodel: ../models/mini.yaml\n"
    )
    (root / "scenarios" / "open.yaml").write_text(
        "id: open\ntitle: Opening\nextends: base\nindicators: {access: 0.7, released: true}\n"
    )
    return root


def _load_error(path: Path) -> DecisionError:
    with pytest.raises(DecisionError) as info:
        load_scenario(path)
    return info.value


def test_repository_layout_works(project: Path) -> None:
    scenario, model = load_scenario(project / "scenarios" / "open.yaml")
    assert scenario.id == "open" and model.spec.id == "mini"
    assert project_root(project / "scenarios" / "open.yaml") == project.resolve()


def test_cycle_prints_the_chain_in_the_order_followed(project: Path) -> None:
    scenarios = project / "scenarios"
    (scenarios / "s1.yaml").write_text("id: s1\ntitle: S1\nextends: s2\n")
    (scenarios / "s2.yaml").write_text("id: s2\ntitle: S2\nextends: s1\n")
    error = _load_error(scenarios / "s1.yaml")
    s1, s2 = scenarios / "s1.yaml", scenarios / "s2.yaml"
    assert error.what == f"'extends' makes a cycle: {s1} -> {s2} -> {s1}"
    assert (error.file, error.key_path) == (str(s2), "extends")


def test_cycle_that_does_not_return_to_the_start(project: Path) -> None:
    scenarios = project / "scenarios"
    (scenarios / "s0.yaml").write_text("id: s0\ntitle: S0\nextends: s1\n")
    (scenarios / "s1.yaml").write_text("id: s1\ntitle: S1\nextends: s2\n")
    (scenarios / "s2.yaml").write_text("id: s2\ntitle: S2\nextends: s1.yaml\n")
    s0, s1, s2 = (scenarios / f"s{k}.yaml" for k in range(3))
    assert _load_error(s0).what == f"'extends' makes a cycle: {s0} -> {s1} -> {s2} -> {s1}"


def test_symlink_cannot_lead_out_of_the_project(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(MINI / "model.yaml", outside / "model.yaml")
    (project / "models" / "link.yaml").symlink_to(outside / "model.yaml")
    base = project / "scenarios" / "base.yaml"
    base.write_text(base.read_text().replace("mini.yaml", "link.yaml"))
    assert "leads outside the project" in _load_error(base).what
    scenario, _ = load_scenario(base, allow_any_path=True)
    assert scenario.model_path.name == "link.yaml"


def test_allow_any_path_flag_reaches_the_loader(
    project: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    shutil.copy(MINI / "model.yaml", elsewhere)
    base = project / "scenarios" / "base.yaml"
    base.write_text(f"id: base\ntitle: Base\nmodel: {elsewhere}\n")
    refused = run_cli("run", str(base))
    assert refused.status == 2 and "is an absolute path" in refused.err
    for args in (("run", str(base)), ("validate", str(base)), ("explain", str(base), "act")):
        result = run_cli(*args, "--allow-any-path")
        assert result.status == 0, (args, result.err)


def test_non_yaml_model_is_allowed_only_with_the_flag(project: Path) -> None:
    shutil.copy(MINI / "model.yaml", project / "models" / "mini.model")
    base = project / "scenarios" / "base.yaml"
    base.write_text(base.read_text().replace("mini.yaml", "mini.model"))
    assert "is not a .yaml or .yml file" in _load_error(base).what
    load_scenario(base, allow_any_path=True)


def test_file_that_is_not_a_model_is_never_quoted(project: Path) -> None:
    notes = project / "notes.yaml"
    base = project / "scenarios" / "base.yaml"
    base.write_text(base.read_text().replace("models/mini.yaml", "notes.yaml"))
    for content in [
        "token: s3cr3t-value\n",  # a mapping without the model's keys
        "- s3cr3t-value\n",  # not a mapping
        "token: s3cr3t-value\ntoken: again\n",  # a YAML problem that would quote a key
        "token: !s3cr3t-value x\n",  # a tag
        "token: !!int s3cr3t-value\n",  # a value
        'token: "s3cr3t-value\n',  # a syntax error
    ]:
        notes.write_text(content)
        message = _load_error(base).one_line()
        assert "s3cr3t" not in message and "token" not in message, message


def test_model_like_file_gets_full_messages(project: Path) -> None:
    model = project / "models" / "mini.yaml"
    model.write_text(model.read_text().replace("weight: 2", "weight: heavy"))
    assert "'heavy'" in _load_error(project / "scenarios" / "base.yaml").one_line()


def test_duplicate_ids_are_refused_before_any_evaluation(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import decision.study.scenario
    from decision.study.study import run_study

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("evaluated before the duplicate id was found")

    monkeypatch.setattr(decision.study.scenario, "evaluate", no_work)
    first = project / "scenarios" / "open.yaml"
    second = project / "scenarios" / "open-again.yaml"
    second.write_text(first.read_text().replace("title: Opening", "title: Again"))
    with pytest.raises(DecisionError) as info:
        run_study([first, second])
    error = info.value
    assert error.what == f"scenario id 'open' is also the id of {first}"
    assert (error.file, error.line, error.key_path) == (str(second), 1, "id")
    with pytest.raises(DecisionError, match="also the id of"):
        run_study([first, first])


def test_bidirectional_controls_are_accepted_at_load(tmp_path: Path) -> None:
    text = (MINI / "model.yaml").read_text()
    text = text.replace("title: A small test model", 'title: "A \\u202eledom\\u202c model"')
    rationale = 'rationale: "Matters\\n\\tmost \\u2067x\\u2069"'
    text = text.replace("rationale: Matters most.", rationale)
    (tmp_path / "model.yaml").write_text(text)
    spec = load_model(tmp_path / "model.yaml").spec
    assert "\u202e" in spec.title and "\n\t" in spec.criteria["security"].rationale


def test_control_characters_in_a_path_are_refused(project: Path) -> None:
    base = project / "scenarios" / "base.yaml"
    base.write_text('id: base\ntitle: Base\nmodel: "../models/\\e]0;x\\a.yaml"\n')
    error = _load_error(base)
    assert error.key_path == "model" and "U+001B (ESC)" in error.what


def test_error_lines_never_carry_raw_control_characters() -> None:
    line = DecisionError("bad \x1b[31m \u202e", file="a\x07.yaml").one_line()
    assert line == "a\\x07.yaml: bad \\x1b[31m \\u202e"


@pytest.mark.parametrize(
    ("low", "high", "ok"),
    [
        (0.0, 1e-9, True),
        (0.0, 0.9e-9, False),
        (1e20, 1e20 + 1e12, True),
        (1e20, 1e20 + 1e10, False),
        (-1e308, 1e308, False),
        (-8e307, 8e307, True),
    ],
)
def test_indicator_range_width(low: float, high: float, ok: bool, tmp_path: Path) -> None:
    text = (MINI / "model.yaml").read_text()
    old = "    min: 1\n    max: 100\n    baseline: 60"
    text = text.replace(old, f"    min: {low!r}\n    max: {high!r}\n    baseline: {low!r}")
    (tmp_path / "model.yaml").write_text(text)
    if ok:
        load_model(tmp_path / "model.yaml")
    else:
        with pytest.raises(DecisionError) as info:
            load_model(tmp_path / "model.yaml")
        assert info.value.key_path == "indicators.rank.max"


def test_model_is_resolved_as_the_system_opens_it_like_extends(tmp_path: Path) -> None:
    """Issue 24: through a symlinked scenarios folder, ``model: ../models/m.yaml`` names the
    file the operating system opens (``..`` taken after the link), as ``extends`` does; it was
    resolved lexically, so the file checked against the project and the file read differed."""
    real = tmp_path / "real"
    (real / "scenarios").mkdir(parents=True)
    (real / "models").mkdir()
    text = (MINI / "model.yaml").read_text()
    (real / "models" / "m.yaml").write_text(text.replace("id: mini", "id: real-model"))
    base = "id: base\ntitle: Base\nmodel: ../models/m.yaml\n"
    (real / "scenarios" / "base.yaml").write_text(base)
    (real / "scenarios" / "open.yaml").write_text(
        "id: open\ntitle: Opening\nextends: ../scenarios/base\n"
    )
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "m.yaml").write_text(text.replace("id: mini", "id: lexical-decoy"))
    (project / "scenarios").symlink_to(real / "scenarios", target_is_directory=True)
    scenario, model = load_scenario(project / "scenarios" / "open.yaml")
    assert model.spec.id == "real-model"
    assert os.path.realpath(scenario.model_path) == str(real / "models" / "m.yaml")
    # extends, through the same link and '..', reached the real base as well
    assert os.path.realpath(scenario.chain[0]) == str(real / "scenarios" / "base.yaml")


def test_model_path_stays_short_without_links(project: Path) -> None:
    scenario, _ = load_scenario(project / "scenarios" / "open.yaml")
    assert scenario.model_path == project / "models" / "mini.yaml"
