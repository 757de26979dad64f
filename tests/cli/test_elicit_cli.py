"""``decision elicit weights``: driven by scripted answers (click's prompts read piped input),
its file pasted into the model gives the answered weights; it never replaces a file unasked.
And an inconsistent AHP elicitation gives one located warning line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from decision.cli.main import cli
from decision.files.yamlio import load_yaml
from decision.load.lint import elicitation_warnings
from decision.load.loading import load_model
from tests.conftest import BELARUS

# allied-security first (1), then limit-russian-influence (2 of the 4 left), then the rest in
# order; then points for each swing after the first, by, and the rationale
ANSWERS = "1\n2\n1\n1\n80\n60\n30\n10\nA scripted sketch.\n"
ORDER = ["allied-security", "limit-russian-influence", "democracy-human-rights",
         "bilateral-relations", "low-cost-escalation"]


def test_scripted_answers_become_the_models_weights(tmp_path: Path) -> None:
    out = tmp_path / "weights.yaml"
    result = CliRunner().invoke(
        cli, ["elicit", "weights", str(BELARUS), "--out", str(out), "--by", "tester"],
        input=ANSWERS,
    )
    assert result.exit_code == 0, result.output
    assert "from 'Costly for Washington and provocative to Moscow.'" in result.output
    block = yaml.safe_load(out.read_text())["weight_elicitation"]
    assert block["ranking"] == ORDER
    assert block["points"] == dict(zip(ORDER, [100, 80, 60, 30, 10], strict=True))
    assert block["by"] == "tester" and block["rationale"] == "A scripted sketch."
    # pasted into the model in place of its own elicitation, it gives those weights
    text = BELARUS.read_text()
    start = text.index("weight_elicitation:")
    end = text.index("\noptions:\n")
    model = tmp_path / "belarus.yaml"
    shutil.copytree(BELARUS.parent / "belarus", tmp_path / "belarus")  # its stakeholder files
    model.write_text(text[:start] + out.read_text() + text[end:])
    weights = {k: c.weight for k, c in load_model(model).spec.criteria.items()}
    assert [weights[name] for name in ORDER] == pytest.approx([100 / 280, 80 / 280, 60 / 280,
                                                               30 / 280, 10 / 280])


def test_piped_stdin_and_refusing_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "weights.yaml"
    out.write_text("keep me\n")
    command = [sys.executable, "-m", "decision", "elicit", "weights", str(BELARUS),
               "--out", str(out), "--by", "tester"]
    refused = subprocess.run(command, input=ANSWERS, capture_output=True, text=True)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"error: --out: '{out}' already exists; nothing was written; allowed: a new file, or "
        "--force to replace it"
    ]
    assert out.read_text() == "keep me\n"
    forced = subprocess.run([*command, "--force"], input=ANSWERS, capture_output=True,
                            text=True)
    assert forced.returncode == 0, forced.stderr
    assert yaml.safe_load(out.read_text())["weight_elicitation"]["ranking"] == ORDER


def test_an_answer_out_of_range_is_asked_again(tmp_path: Path) -> None:
    out = tmp_path / "weights.yaml"
    answers = "9\n" + ANSWERS.replace("80\n", "120\n80\n", 1)
    result = CliRunner().invoke(
        cli, ["elicit", "weights", str(BELARUS), "--out", str(out), "--by", "tester"],
        input=answers,
    )
    assert result.exit_code == 0, result.output
    assert "9 is not in the range 1<=x<=5" in result.output
    assert "120.0 is not in the range 0<=x<=100" in result.output
    assert yaml.safe_load(out.read_text())["weight_elicitation"]["points"][ORDER[1]] == 80


def test_inconsistent_ahp_gives_one_located_warning(tmp_path: Path) -> None:
    pairs = ("{allied-security: {democracy-human-rights: 3, limit-russian-influence: '1/5', "
             "bilateral-relations: 1, low-cost-escalation: 1}, democracy-human-rights: "
             "{limit-russian-influence: 3, bilateral-relations: 1, low-cost-escalation: 1}, "
             "limit-russian-influence: {bilateral-relations: 1, low-cost-escalation: 1}, "
             "bilateral-relations: {low-cost-escalation: 1}}")
    text = BELARUS.read_text().replace(  # an inline perspective before the stakeholder files
        "\nstakeholders:\n",
        "\nperspectives:\n  panel:\n    description: A panel's comparisons.\n    elicitation:\n"
        "      method: ahp\n      by: panel\n      rationale: Compared in pairs.\n"
        f"      pairwise: {pairs}\nstakeholders:\n",
        1,
    )
    model = tmp_path / "belarus.yaml"
    shutil.copytree(BELARUS.parent / "belarus", tmp_path / "belarus")  # its stakeholder files
    model.write_text(text)
    line = text.splitlines().index(f"      pairwise: {pairs}") + 1
    loaded = load_model(model)
    assert elicitation_warnings(load_model(BELARUS).spec, load_yaml(BELARUS)) == []
    warnings = elicitation_warnings(loaded.spec, loaded.document)
    assert len(warnings) == 1
    shown = warnings[0].one_line()
    assert shown.startswith(
        f"{model}:{line}:7: perspectives.panel.elicitation.pairwise: AHP consistency ratio "
    )
    assert shown.endswith("[ahp-inconsistent]")
    assert ("allied-security > democracy-human-rights > limit-russian-influence: 3 x 3 = 9 but "
            "allied-security over limit-russian-influence is 0.2") in shown
    assert "\n" not in shown

