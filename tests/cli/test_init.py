"""`decision init DIR`: an annotated example project that validates and runs at once; it never
overwrites a file and leaves nothing behind when it fails."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from decision.specs import example
from tests.conftest import CliResult


def test_init_then_validate_run_compare(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    result = run_cli("init", str(project))
    assert result.status == 0, result.err
    written = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    assert written == sorted(example.example_files())
    monkeypatch.chdir(project)
    scenarios = [f"scenarios/{p.name}" for p in sorted((project / "scenarios").iterdir())]
    checked = run_cli("validate", "models/model.yaml", *scenarios)
    assert checked.status == 0, checked.err
    assert checked.out.count("ok  ") == 3
    for scenario in scenarios:
        ran = run_cli("run", scenario)
        assert ran.status == 0, ran.err
    compared = run_cli("compare", *scenarios)
    assert compared.status == 0, compared.err
    assert not any(p.name.startswith(".") for p in project.rglob("*"))


def test_every_field_is_explained_in_a_comment() -> None:
    """Every key name of each file carries a comment on at least one of its lines."""
    for name, text in example.example_files().items():
        commented: dict[str, bool] = {}
        for line in text.splitlines():
            match = re.match(r"\s*(?:- )?([a-z_]+):", line)
            if match:
                key = match.group(1)
                commented[key] = commented.get(key, False) or "#" in line
        assert all(commented.values()), (name, [k for k, v in commented.items() if not v])


@pytest.mark.parametrize(
    ("options", "criteria"),
    [
        (example.MIN_OPTIONS, example.MIN_CRITERIA),
        (5, 4),
        (example.MAX_OPTIONS, example.MAX_CRITERIA),
    ],
)
def test_sizes_validate(
    options: int, criteria: int, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("init", str(tmp_path), "--options", str(options), "--criteria", str(criteria))
    assert result.status == 0, result.err
    checked = run_cli(
        "validate",
        str(tmp_path / "models" / "model.yaml"),
        *(str(tmp_path / name) for name in example.SCENARIO_FILES),
    )
    assert checked.status == 0, checked.err
    assert f"({options} options, {criteria} criteria" in checked.out


def test_cli_bounds_match_the_example() -> None:
    from decision.cli.init import init_command

    params = {p.name: p for p in init_command.params}
    options, criteria = params["options"].type, params["criteria"].type
    assert (options.min, options.max) == (example.MIN_OPTIONS, example.MAX_OPTIONS)  # type: ignore[attr-defined]
    assert (criteria.min, criteria.max) == (example.MIN_CRITERIA, example.MAX_CRITERIA)  # type: ignore[attr-defined]


def test_refuses_to_overwrite(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    (tmp_path / "scenarios").mkdir()
    mine = tmp_path / "scenarios" / "reform.yaml"
    mine.write_text("my own file\n")
    result = run_cli("init", str(tmp_path))
    assert result.status == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "already exists; nothing was written" in lines[0]
    assert "; allowed: " in lines[0]
    assert mine.read_text() == "my own file\n"
    assert not (tmp_path / "models").exists()


def test_failure_midway_leaves_nothing(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while the second file is placed: the first is taken back."""
    real_link, calls = os.link, []

    def failing_link(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_link(source, target)

    monkeypatch.setattr(os, "link", failing_link)
    project = tmp_path / "project"
    result = run_cli("init", str(project))
    assert result.status == 2
    assert "No space left on device; nothing was written" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not project.exists()


def test_dir_that_is_a_file(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = run_cli("init", str(target))
    assert result.status == 2
    assert "is not a folder" in result.err
