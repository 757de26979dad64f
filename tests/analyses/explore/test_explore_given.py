"""Given-data first-order indices from the explored samples match the Ishigami function's
known ones (no SALib needed), and chunking the samples changes nothing."""

from __future__ import annotations

import numpy as np
import pytest

from decision.analyses.explore.sensitivity import GivenData

A, B = 7.0, 0.1
V = A**2 / 8 + B * np.pi**4 / 5 + B**2 * np.pi**8 / 18 + 0.5
FIRST = np.array([0.5 * (1 + B * np.pi**4 / 5) ** 2 / V, A**2 / 8 / V, 0.0, 0.0])


def _ishigami(u: np.ndarray) -> np.ndarray:
    x = -np.pi + 2 * np.pi * u[:, :3]
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_given_data_indices_match_ishigami() -> None:
    u = np.random.default_rng(5).random((1 << 16, 4))  # the fourth input is inert
    y = _ishigami(u)
    acc = GivenData(4, ["y", "constant"], 20)
    acc.add(u, np.column_stack([y, np.ones_like(y)]), 0)
    found, constant = acc.result()
    assert found.method == "given"
    assert found.first == pytest.approx(FIRST, abs=0.015)
    assert found.first_conf[0] > 0  # the noise floor subtracted
    assert not constant.first.any()


def test_chunks_change_nothing_but_rounding() -> None:
    u = np.random.default_rng(6).random((5000, 4))
    values = _ishigami(u)[:, None]
    whole, parts = GivenData(4, ["y"], 10), GivenData(4, ["y"], 10)
    whole.add(u, values, 0)
    for start in range(0, 5000, 1024):
        parts.add(u[start : start + 1024], values[start : start + 1024], start)
    assert parts.result()[0].first == pytest.approx(whole.result()[0].first, abs=1e-12)
