"""Many options: memory grows linearly with options x criteria, not with options squared."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from decision.uncertainty.montecarlo import CHUNK_BYTES, fitting_chunk
from decision.uncertainty.smaa import PAIRWISE_BYTES, SmaaAccumulator, smaa_batch
from tests.conftest import ROOT, CliResult
from tests.generated import write_wide_model

#: Address space a 1,000-option run must fit in (1,200 samples asked for one 1.1 GiB array of
#: pairwise comparisons before, and 2,000 samples for 1.9 GiB).
LIMIT_BYTES = 1024 * 2**20


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def test_a_thousand_options_run_within_the_memory_limit(tmp_path: Path) -> None:
    scenario = write_wide_model(tmp_path / "wide", 1000, samples=1200)
    # Piped output is 200 columns wide unless $COLUMNS says otherwise; readline, once loaded
    # in the test process, puts COLUMNS=80 into the C environment a child inherits (not into
    # os.environ), and at 80 columns the ids fold over two lines: pass os.environ explicitly.
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    result = subprocess.run(
        [sys.executable, "-m", "decision", "run", str(scenario)],
        capture_output=True, text=True, cwd=ROOT, preexec_fn=_limited, timeout=600, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "option-0000" in result.stdout


#: Whether the long runs are wanted: `make fuzz` sets FUZZ_EXAMPLES.
LONG_RUNS = "FUZZ_EXAMPLES" in os.environ


@pytest.mark.skipif(not LONG_RUNS, reason="about 30 s; `make fuzz` runs it (FUZZ_EXAMPLES)")
def test_a_thousand_options_compare_within_the_memory_limit(tmp_path: Path) -> None:
    """Issue 22: the whole report of the 1,000-option model in 1 GiB of address space (its
    peak RSS was 1.0 GB, and under the limit the assumptions register's one batch of 7,007
    rows ran out of memory)."""
    scenario = write_wide_model(tmp_path / "wide", 1000, samples=1200)
    out = tmp_path / "report"
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    result = subprocess.run(
        [sys.executable, "-m", "decision", "compare", str(scenario), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, preexec_fn=_limited, timeout=900, env=env,
    )
    assert result.returncode == 0, result.stderr
    analyses = json.loads((out / "results.json").read_text())["scenarios"][0]["sensitivity"]
    register = analyses["assumptions"]
    assert register["considered"] > 3000 and register["rows"]
    assert register["top"] == analyses["tornado"]["options"][0]["option"]


def test_batches_and_chunks_shrink_with_options() -> None:
    assert smaa_batch(7) == 1 << 16
    assert smaa_batch(1000) * 1000 * 1000 <= PAIRWISE_BYTES
    assert smaa_batch(100_000) == 1
    assert fitting_chunk(7, 6) == 8192
    assert fitting_chunk(1000, 3) * 1000 * 3 * 8 * 8 <= CHUNK_BYTES


def test_smaa_tallies_do_not_depend_on_the_batch(monkeypatch: object) -> None:
    import decision.uncertainty.smaa as smaa

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


def test_a_model_past_the_bundle_limit_gets_a_complete_report(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    scenario = write_wide_model(tmp_path / "wide", 25, samples=200)
    out = tmp_path / "report"
    result = run_cli("compare", str(scenario), "--out", str(out))
    assert result.status == 0, result.err
    manifest = json.loads((out / "manifest.json").read_text())
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert files == set(manifest["outputs"]) | {"manifest.json"}
    assert {"report.md", "report.html", "results.json"} <= files
    results = json.loads((out / "results.json").read_text())
    assert results["bundles"] is None
    assert "25 options besides the reference" in results["bundles_note"]
    assert "Not analysed: the model has 25 options" in (out / "report.md").read_text()
    # the portfolio command itself still refuses, in one located line
    refused = run_cli("portfolio", str(scenario))
    assert refused.status == 2
    options_line = (tmp_path / "wide" / "model.yaml").read_text().splitlines().index("options:")
    assert refused.err.startswith(
        f"error: {tmp_path / 'wide' / 'model.yaml'}:{options_line + 1}:1: options: "
    ), refused.err
    assert " options: " in refused.err and "Traceback" not in refused.err
