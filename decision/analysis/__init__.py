"""Analyses over evaluated samples and scenarios: SMAA-2 acceptability and robustness."""

from __future__ import annotations

from decision.analysis.robustness import (
    DEFINITIONS,
    RobustnessResult,
    robustness,
    weighted_percentile,
)
from decision.analysis.smaa import (
    SmaaAccumulator,
    SmaaResult,
    default_meta_weights,
)

__all__ = [
    "DEFINITIONS",
    "RobustnessResult",
    "SmaaAccumulator",
    "SmaaResult",
    "default_meta_weights",
    "robustness",
    "weighted_percentile",
]
