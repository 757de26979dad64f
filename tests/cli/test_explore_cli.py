"""``decision explore``: a small run as text and JSON with its archives, and bad input as one
line with exit status 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

pytest.importorskip("SALib")
pytest.importorskip("sklearn")

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


@pytest.mark.parametrize(("args", "says"), [
    (("--design", "grid"), "error: --design: unknown design 'grid'; allowed: lhs, sobol, mc"),
    (("--design", "sobol", "--samples", "1000"),
     "error: --samples: 1000 samples are not a power of two, which a Sobol design needs"),
    (("--samples", "10"), "error: --samples: 10 samples are too few to explore"),
    (("--outcome", "top:nowhere"), "error: --outcome: outcome 'top:nowhere' names no option"),
    (("--outcome", "wins"), "error: --outcome: unknown outcome 'wins'"),
    (("--outcome", "regret:-1"), "error: --outcome: outcome 'regret:-1' needs a regret level"),
])
def test_bad_input(run_cli: Callable[..., CliResult], args: tuple[str, ...], says: str) -> None:
    result = run_cli("explore", str(MINI / "base.yaml"), *args)
    assert result.status == 2
    assert result.err.startswith(says)
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_small_run(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("explore", str(MINI / "base.yaml"), "--samples", "256", "--design", "mc",
                     "--sensitivity-samples", "64", "--out", str(out), "--format", "workbench",
                     "--format", "parquet", "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert data["samples"] == 256 and data["design"] == "mc"
    for finding in data["findings"]:
        assert 0 <= finding["probability"] <= 1 and finding["mc_error"] >= 0
    assert {i["decision"] for i in data["information"]} == {"option", "package"}
    assert sorted(p.name for p in out.iterdir()) == ["explore.parquet", "explore.tar.gz"]
    text = run_cli("explore", str(MINI / "base.yaml"), "--samples", "128", "--sensitivity",
                   "none")
    assert text.status == 0 and "do now:" in text.out
