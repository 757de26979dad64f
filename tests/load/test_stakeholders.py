"""Stakeholder files (issue 14): a model lists them, the loader confines their paths to the
model's folder, locates their errors in their own file, and adds them to the perspectives;
the Belarus model's three stakeholders equal the inline perspectives they replaced."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from decision.errors import DecisionError
from decision.load.lint import lint_model, stakeholder_warnings
from decision.load.loading import load_model, model_file_problems
from decision.load.provenance_table import provenance
from tests.conftest import ROOT, CliResult

STAKEHOLDER = """\
id: ngo-panel
title: NGO panel
represents: Three rights groups working on the region.
status: consulted
consulted: workshop, 2024-05-14
description: Rights first, security second.
elicitation:
  method: swing
  by: NGO panel
  rationale: Rights matter most to the groups.
  ranking: [rights, security]
  points: {rights: 100, security: 40}
provenance:
  confidence: medium
  reason: Three people, one afternoon.
"""


def _with_stakeholders(mini: Path, *paths: str, text: str = STAKEHOLDER) -> Path:
    """The mini model listing ``paths``; the first written with ``text``."""
    model = mini / "model.yaml"
    listed = "".join(f"  - {p}\n" for p in paths)
    model.write_text(model.read_text().replace("resources:", f"stakeholders:\n{listed}resources:"))
    first = mini / paths[0]
    if not paths[0].startswith(("/", "..")) and ".." not in paths[0]:
        first.parent.mkdir(parents=True, exist_ok=True)
        first.write_text(text)
    return model


def test_a_stakeholder_file_becomes_a_perspective(mini: Path) -> None:
    loaded = load_model(_with_stakeholders(mini, "stakeholders/ngo.yaml"))
    assert list(loaded.spec.perspectives) == ["rights-first", "ngo-panel"]
    weights = loaded.spec.perspectives["ngo-panel"].weights
    assert weights == pytest.approx({"security": 40 / 140, "rights": 100 / 140})
    (stakeholder,) = loaded.stakeholders
    assert stakeholder.spec.status == "consulted"
    assert stakeholder.path == mini / "stakeholders" / "ngo.yaml"


def test_its_weights_are_located_in_its_own_file(mini: Path) -> None:
    path = _with_stakeholders(mini, "stakeholders/ngo.yaml")
    rows = [n for n in provenance(path).numbers if n.entry == "perspectives.ngo-panel"]
    assert {n.key for n in rows} == {"weights.security", "weights.rights"}
    text = (mini / "stakeholders" / "ngo.yaml").read_text().splitlines()
    for row in rows:
        assert row.file == str(mini / "stakeholders" / "ngo.yaml")
        assert row.kind == "judgement" and row.by == "NGO panel"
        assert row.line is not None
        assert row.key.split(".")[1] in text[row.line - 1] and "points" in text[row.line - 1]


def test_an_ahp_stakeholder_is_linted_in_its_own_file(mini: Path) -> None:
    text = STAKEHOLDER.replace(
        "  method: swing", "  method: ahp"
    ).replace("  ranking: [rights, security]\n  points: {rights: 100, security: 40}\n",
              "  pairwise: {rights: {security: 3}}\n")
    loaded = load_model(_with_stakeholders(mini, "stakeholders/ngo.yaml", text=text))
    assert loaded.spec.perspectives["ngo-panel"].weights == pytest.approx(
        {"security": 0.25, "rights": 0.75}
    )
    assert stakeholder_warnings(loaded.spec, loaded.stakeholders) == []  # 2x2: consistent
    found = lint_model(loaded.spec, loaded.document, loaded.stakeholders)
    assert found and not any(w.key_path.startswith("perspectives.ngo-panel") for w in found)


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/etc/passwd.yaml", "is an absolute path"),
        ("../outside.yaml", "climbs out with '..'"),
        ("stakeholders/../../outside.yaml", "climbs out with '..'"),
        ("stakeholders/ngo.txt", "is not a .yaml or .yml file"),
        ("stakeholders/absent.yaml", "not found"),
    ],
)
def test_untrusted_paths_are_refused_at_the_model_entry(
    mini: Path, path: str, says: str
) -> None:
    model = _with_stakeholders(mini, path)
    if path == "stakeholders/absent.yaml":
        (mini / path).unlink()
    with pytest.raises(DecisionError) as info:
        load_model(model)
    error = info.value
    assert says in error.what
    assert (error.file, error.key_path) == (str(model), "stakeholders[0]")
    assert error.line == model.read_text().splitlines().index(f"  - {path}") + 1


def test_a_symbolic_link_out_of_the_folder_is_refused(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.yaml").write_text(STAKEHOLDER)
    model = _with_stakeholders(mini, "linked/ngo.yaml")
    (mini / "linked" / "ngo.yaml").unlink()
    (mini / "linked").rmdir()
    os.symlink(outside, mini / "linked")
    with pytest.raises(DecisionError) as info:
        load_model(model)
    assert "leads outside the model's folder" in info.value.what
    assert info.value.key_path == "stakeholders[0]"


def test_a_file_that_is_no_stakeholder_is_not_quoted(mini: Path) -> None:
    model = _with_stakeholders(mini, "stakeholders/x.yaml", text="password: hunter2-secret\n")
    with pytest.raises(DecisionError) as info:
        load_model(model)
    assert "is not a stakeholder file" in info.value.what
    assert "hunter2" not in str(info.value)
    assert info.value.file == str(model)


BAD = [
    # (edit of STAKEHOLDER, the text whose line is expected, key path, fragment)
    (("status: consulted", "status: asked"), "status: asked", "status", "not allowed"),
    (("consulted: workshop, 2024-05-14\n", ""), None, None, "needs 'consulted'"),
    (("ranking: [rights, security]", "ranking: [rights, securty]"), "ranking:",
     "elicitation.ranking[1]", "unknown criterion 'securty'"),
    (("points: {rights: 100, security: 40}", "points: {rights: 100}"), "points:",
     "elicitation.points", "no points for security"),
    (("id: ngo-panel", "id: rights-first"), "id: rights-first", "id", "already defined"),
    (("  confidence: medium", "  evidence: [nowhere]\n  confidence: medium"), "evidence:",
     "provenance.evidence[0]", "unknown evidence 'nowhere'"),
    (("title: NGO panel", "title: NGO panel\ncolour: red"), "colour:", "colour",
     "unknown key 'colour'"),
]


@pytest.mark.parametrize(("edit", "line_of", "key_path", "says"), BAD,
                         ids=[b[3] for b in BAD])
def test_bad_stakeholder_is_one_located_line(
    mini: Path,
    run_cli: Callable[..., CliResult],
    edit: tuple[str, str],
    line_of: str | None,
    key_path: str | None,
    says: str,
) -> None:
    assert edit[0] in STAKEHOLDER
    _with_stakeholders(mini, "stakeholders/ngo.yaml", text=STAKEHOLDER.replace(*edit, 1))
    result = run_cli("validate", str(mini / "model.yaml"))
    assert result.status == 2, result.err
    (line,) = result.err.strip().splitlines()
    assert "Traceback" not in result.err and "; allowed: " in line, line
    target = mini / "stakeholders" / "ngo.yaml"
    expected = 1
    if line_of is not None:
        text = target.read_text()
        expected = text[: text.index(line_of)].count("\n") + 1
    assert re.match(rf"error: {re.escape(str(target))}:{expected}:\d+: ", line), line
    if key_path is not None:
        assert f" {key_path}: " in line, line
    assert says in line, line


def test_validate_lists_each_stakeholder_problem(mini: Path) -> None:
    bad = STAKEHOLDER.replace("points: {rights: 100, security: 40}", "points: {rights: 100}")
    model = _with_stakeholders(mini, "stakeholders/ngo.yaml", "/abs.yaml", text=bad)
    loaded, problems = model_file_problems(model)
    assert loaded is None
    assert [p.key_path for p in problems] == ["elicitation.points", "stakeholders[1]"]


def test_a_stakeholder_file_named_alone_says_what_it_is(
    mini: Path, run_cli: Callable[..., CliResult]
) -> None:
    _with_stakeholders(mini, "stakeholders/ngo.yaml")
    result = run_cli("validate", str(mini / "stakeholders" / "ngo.yaml"))
    assert result.status == 2
    assert "this is a stakeholder file, checked with the model that lists it" in result.err


def test_belarus_stakeholders_are_marked_illustrative() -> None:
    loaded = load_model(ROOT / "models" / "belarus.yaml")
    assert [s.spec.id for s in loaded.stakeholders] == ["security-first", "values-first",
                                                         "realist"]
    assert list(loaded.spec.perspectives) == ["security-first", "values-first", "realist"]
    for stakeholder in loaded.stakeholders:
        assert stakeholder.spec.status == "illustrative"
        assert stakeholder.path.parent == ROOT / "models" / "belarus" / "stakeholders"
    # the direct points the inline perspectives had (normalised), unchanged by the move
    realist = loaded.spec.perspectives["realist"].weights
    assert realist == pytest.approx(
        {k: v / 0.70 for k, v in {"allied-security": 0.20, "democracy-human-rights": 0.06,
                                  "limit-russian-influence": 0.14, "bilateral-relations": 0.10,
                                  "low-cost-escalation": 0.20}.items()}
    )


def test_validate_and_lint_warn_about_an_inconsistent_stakeholder_in_its_file(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Both commands pass the model's stakeholder files to the lint: an inconsistent AHP
    matrix in one of them is a warning located in that file, not silence."""
    (tmp_path / "belarus").mkdir()
    (tmp_path / "belarus.yaml").write_text((ROOT / "models" / "belarus.yaml").read_text())
    for source in (ROOT / "models" / "belarus" / "stakeholders").glob("*.yaml"):
        target = tmp_path / "belarus" / "stakeholders" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text())
    path = tmp_path / "belarus" / "stakeholders" / "security-first.yaml"
    text = path.read_text()
    start, end = text.index("  method: direct"), text.index("provenance:")
    path.write_text(text[:start] + (
        "  method: ahp\n  by: modeller\n  rationale: An inconsistent matrix.\n  pairwise:\n"
        "    allied-security: {democracy-human-rights: 3, limit-russian-influence: '1/5',"
        " bilateral-relations: 1, low-cost-escalation: 1}\n"
        "    democracy-human-rights: {limit-russian-influence: 3, bilateral-relations: 1,"
        " low-cost-escalation: 1}\n"
        "    limit-russian-influence: {bilateral-relations: 1, low-cost-escalation: 1}\n"
        "    bilateral-relations: {low-cost-escalation: 1}\n"
    ) + text[end:])
    for command in ("validate", "lint"):
        result = run_cli(command, str(tmp_path / "belarus.yaml"))
        assert result.status == 0, result.err
        located = [line for line in result.err.splitlines() + result.out.splitlines()
                   if str(path) in line and "[ahp-inconsistent]" in line]
        assert located, (command, result.err.splitlines())
