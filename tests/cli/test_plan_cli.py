"""``decision plan``: the command's output, and its rows of the bad-input catalogue (a
timeline or plan setting that does not fit: one line with file, line and key path; exit 2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli import test_bad_input as catalogue
from tests.cli.test_bad_input import Case
from tests.conftest import ROOT, CliResult

PLAN = ("plan", "{file}", "--allow-any-path")
VALIDATE = ("validate", "{file}")
_PERIOD = "timeline:\n  - date: '2020'\n    indicators: {access: 0.6}\n"


def _timeline(body: str) -> str:
    return "id: timed\ntitle: Timed\nextends: base\n" + body


CASES = [
    Case("timeline-duplicate-date", "timed.yaml",
         content=_timeline(_PERIOD + "  - date: '2020-01-01'\n    indicators: {access: 0.7}\n"),
         command=VALIDATE, line_of="date: '2020-01-01'", key_path="timeline[1].date",
         says=("also the date of period 1",)),
    Case("timeline-unparseable-date", "timed.yaml",
         content=_timeline("timeline:\n  - date: '2020-02-30'\n    indicators: {access: 0.6}\n"),
         command=PLAN, line_of="date: '2020-02-30'", key_path="timeline[0].date",
         says=("is not a date", "YYYY-MM-DD")),
    Case("timeline-unknown-indicator", "timed.yaml",
         content=_timeline("timeline:\n  - date: '2020'\n    indicators: {acess: 0.6}\n"),
         command=VALIDATE, line_of="indicators: {acess", key_path="timeline[0].indicators.acess",
         says=("unknown indicator 'acess'", "did you mean 'access'")),
    Case("timeline-out-of-range", "timed.yaml",
         content=_timeline("timeline:\n  - date: '2020'\n    indicators: {access: 1.6}\n"),
         command=PLAN, line_of="indicators: {access: 1.6}",
         key_path="timeline[0].indicators.access",
         says=("outside the indicator's range",)),
    Case("timeline-distribution-out-of-range", "timed.yaml",
         content=_timeline("timeline:\n  - date: '2020'\n    indicators:\n      rank: "
                           "{dist: uniform, low: 0, high: 50}\n"),
         command=PLAN, line_of="rank:", key_path="timeline[0].indicators.rank.low",
         says=("outside the indicator's range",)),
    Case("plan-satisficing-off-scale", "timed.yaml",
         content=_timeline("plan: {satisficing: 7.5}\n"),
         command=PLAN, line_of="plan:", key_path="plan.satisficing",
         says=("outside the package-value scale",)),
    Case("plan-margin-negative", "timed.yaml",
         content=_timeline("plan: {margin: -0.1}\n"),
         command=VALIDATE, line_of="plan:", key_path="plan.margin",
         says=("-0.1 is below 0", "allowed: a number >= 0"), allowed=False),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_plan_bad_input_is_one_clear_line(
    case: Case, mini: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue.test_bad_input_is_one_clear_line(case, mini, run_cli, monkeypatch)


def test_satisficing_flag_off_scale(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("plan", str(mini / "base.yaml"), "--allow-any-path", "--satisficing", "-9")
    assert result.status == 2
    assert result.err.strip().startswith("error: --satisficing: satisficing -9 is outside")


def test_plan_json_names_every_part(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("plan", str(ROOT / "scenarios" / "timeline-reform.yaml"), "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    (plan,) = data["plans"]
    assert set(plan) >= {"do_now", "triggers", "signposts", "tipping", "hedge", "pathway",
                         "switches"}
    assert plan["pathway"][0]["period"] == "now"
    text = run_cli("plan", str(ROOT / "scenarios" / "timeline-reform.yaml"))
    assert text.status == 0
    assert text.out.startswith("timeline-reform: do now ")
