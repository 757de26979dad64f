"""Correlated performance judgements (a model's ``judgement_correlations``): the Gaussian
copula gives the declared rank correlation, keeps each judgement's own law, leaves models
without correlations drawing as before, and bad declarations are one located line.

Statistical checks use a fixed seed and n = 20,000: rank correlations within 0.02 of the
declared ones (their standard error is below 0.006), Kolmogorov-Smirnov distances below
1.95 / sqrt(n) (the 0.1% critical value).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import decision
from decision.core.compile import compile_scenario
from decision.load.loading import load_scenario
from decision.uncertainty.sampling import block_drawer, draw_range, judgement_quantile, weight_model
from tests.conftest import DATA, CliResult

N = 20_000
CORRELATIONS = """\
judgement_correlations:
  - {between: [act.security, engage.security], rank: 0.7}
  - {between: [act.rights, engage.security], rank: -0.4}
"""


def _judgements(folder: Path, extra: str, seed: int = 7) -> np.ndarray:
    model = folder / "model.yaml"
    model.write_text(model.read_text().replace("perspectives:", extra + "perspectives:", 1))
    scenario, loaded = load_scenario(folder / "base.yaml")
    compiled = decision.compile_model(loaded)
    inputs = compile_scenario(compiled, scenario)
    draw = block_drawer(compiled, inputs, weight_model(compiled, inputs))
    judgement: np.ndarray = draw_range(seed, 0, N, draw)[1]
    return judgement


@pytest.fixture(scope="module")
def draws(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, np.ndarray]:
    """The mini model's judgements drawn without and with the correlations (same seed)."""
    plain, correlated = (tmp_path_factory.mktemp(n) for n in ("plain", "correlated"))
    for folder in (plain, correlated):
        for name in ("model.yaml", "base.yaml"):
            (folder / name).write_text((DATA / "mini" / name).read_text())
    return _judgements(plain, ""), _judgements(correlated, CORRELATIONS)


def test_the_rank_correlations_are_the_declared_ones(
    draws: tuple[np.ndarray, np.ndarray],
) -> None:
    _, judgement = draws
    act_security, act_rights = judgement[:, 0, 0], judgement[:, 0, 1]
    engage_security = judgement[:, 1, 0]
    assert stats.spearmanr(act_security, engage_security).statistic == pytest.approx(0.7,
                                                                                      abs=0.02)
    assert stats.spearmanr(act_rights, engage_security).statistic == pytest.approx(-0.4,
                                                                                    abs=0.02)


@pytest.mark.parametrize(("o", "c", "low", "mode", "high"),
                         [(0, 0, 0.6, 0.7, 0.8), (0, 1, 0.2, 0.3, 0.4), (1, 0, 0.3, 0.4, 0.5)])
def test_the_marginals_are_unchanged(
    draws: tuple[np.ndarray, np.ndarray], o: int, c: int, low: float, mode: float, high: float
) -> None:
    plain, correlated = draws
    law = stats.triang((mode - low) / (high - low), loc=low, scale=high - low)
    bound = 1.95 / np.sqrt(N)
    assert stats.kstest(correlated[:, o, c], law.cdf).statistic < bound
    assert stats.kstest(plain[:, o, c], law.cdf).statistic < bound


def test_uncorrelated_judgements_draw_as_before(draws: tuple[np.ndarray, np.ndarray]) -> None:
    plain, correlated = draws
    # engage.rights and every reference judgement are not correlated: the same draws
    np.testing.assert_array_equal(plain[:, 1, 1], correlated[:, 1, 1])
    np.testing.assert_array_equal(plain[:, 2], correlated[:, 2])


@pytest.mark.parametrize("shape", ["triangular", "uniform", "pert"])
def test_the_quantile_is_the_law_it_names(shape: str) -> None:
    u = np.linspace(0.0, 1.0, 101)
    low, mode, high = np.array(0.2), np.array(0.3), np.array(0.9)
    q = judgement_quantile(shape, u, low, mode, high)  # type: ignore[arg-type]
    assert np.all(np.diff(q) >= 0) and q[0] == pytest.approx(0.2) and q[-1] == pytest.approx(0.9)
    law = {
        "triangular": stats.triang(1 / 7, loc=0.2, scale=0.7),
        "uniform": stats.uniform(loc=0.2, scale=0.7),
        "pert": stats.beta(1 + 4 / 7, 1 + 4 * 6 / 7, loc=0.2, scale=0.7),
    }[shape]
    np.testing.assert_allclose(law.cdf(q[1:-1]), u[1:-1], atol=1e-9)


BAD = [
    ("  - {between: [act.security, nobody.security], rank: 0.5}\n",
     "judgement_correlations[0].between[1]", "unknown option 'nobody'"),
    ("  - {between: [act.security, act.safety], rank: 0.5}\n",
     "judgement_correlations[0].between[1]", "unknown criterion 'safety'"),
    ("  - {between: [act.security, wait.security], rank: 0.5}\n",
     "judgement_correlations[0].between[1]", "has no range to correlate"),
    ("  - {between: [act.security, act.security], rank: 0.5}\n",
     "judgement_correlations[0].between", "correlated with itself"),
    ("  - {between: [act.security, engage.security], rank: 0.9}\n"
     "  - {between: [act.security, act.rights], rank: 0.9}\n"
     "  - {between: [act.rights, engage.security], rank: -0.9}\n",
     "judgement_correlations[2].rank", "cannot hold together"),
]


@pytest.mark.parametrize(("entries", "key_path", "says"), BAD, ids=[b[2] for b in BAD])
def test_bad_judgement_correlation_is_one_located_line(
    mini: Path, run_cli: Callable[..., CliResult], entries: str, key_path: str, says: str
) -> None:
    model = mini / "model.yaml"
    model.write_text(model.read_text().replace(
        "perspectives:", "judgement_correlations:\n" + entries + "perspectives:", 1))
    result = run_cli("validate", str(model))
    assert result.status == 2, result.err
    (line,) = result.err.strip().splitlines()
    assert re.match(rf"error: {re.escape(str(model))}:\d+:\d+: {re.escape(key_path)}: ", line), line
    assert says in line and "; allowed: " in line and "Traceback" not in result.err, line
