"""Many options: memory grows linearly with options x criteria, not with options squared."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import numpy as np

from decision.analysis.smaa import PAIRWISE_BYTES, SmaaAccumulator, smaa_batch
from decision.montecarlo import CHUNK_BYTES, fitting_chunk
from tests.conftest import ROOT
from tests.generated import write_wide_model

#: Address space a 1,000-option run must fit in (1,200 samples asked for one 1.1 GiB array of
#: pairwise comparisons before, and 2,000 samples for 1.9 GiB).
LIMIT_BYTES = 1024 * 2**20


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def test_a_thousand_options_run_within_the_memory_limit(tmp_path: Path) -> None:
    scenario = write_wide_model(tmp_path / "wide", 1000, samples=1200)
    result = subprocess.run(
        [sys.executable, "-m", "decision", "run", str(scenario)],
        capture_output=True, text=True, cwd=ROOT, preexec_fn=_limited, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "option-0000" in result.stdout


def test_batches_and_chunks_shrink_with_options() -> None:
    assert smaa_batch(7) == 1 << 16
    assert smaa_batch(1000) * 1000 * 1000 <= PAIRWISE_BYTES
    assert smaa_batch(100_000) == 1
    assert fitting_chunk(7, 6) == 8192
    assert fitting_chunk(1000, 3) * 1000 * 3 * 8 * 8 <= CHUNK_BYTES


def test_smaa_tallies_do_not_depend_on_the_batch(monkeypatch: object) -> None:
    import decision.analysis.smaa as smaa

    rng = np.random.default_rng(3)
    ranks = np.argsort(rng.random((500, 40)), axis=1) + 1
    weights = rng.dirichlet(np.ones(4), 500)
    whole = SmaaAccumulator(40, 4)
    whole.add(ranks, weights)
    original = smaa.PAIRWISE_BYTES
    try:
        smaa.PAIRWISE_BYTES = 40 * 40 * 3  # three samples a batch
        batched = SmaaAccumulator(40, 4)
        batched.add(ranks, weights)
    finally:
        smaa.PAIRWISE_BYTES = original
    a, b = whole.result(), batched.result()
    assert np.array_equal(a.rank_acceptability, b.rank_acceptability)
    assert np.array_equal(a.pairwise_winning, b.pairwise_winning)
    assert np.array_equal(a.central_weights, b.central_weights)
