"""The workbench archive and the Parquet table round-trip experiments and outcomes."""

from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np
import pytest

from decision.analyses.explore.archive import (
    ParquetWriter,
    WorkbenchWriter,
    read_parquet,
    read_workbench,
)

INPUTS = ["indicator:a", "weight:b/c"]
OUTCOMES = ["regret", "top:r1"]


def _chunks() -> list[tuple[np.ndarray, dict[str, np.ndarray]]]:
    rng = np.random.default_rng(0)
    return [(rng.random((n, 2)), {"regret": rng.random(n), "top:r1": rng.integers(0, 2, n) * 1.0})
            for n in (5, 7)]


def test_workbench_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "explore.tar.gz"
    writer = WorkbenchWriter(path, INPUTS, OUTCOMES)
    chunks = _chunks()
    for x, out in chunks:
        writer.add(x, out)
    writer.close()
    names, experiments, outcomes = read_workbench(path)
    assert names == INPUTS
    np.testing.assert_array_equal(experiments, np.concatenate([x for x, _ in chunks]))
    np.testing.assert_array_equal(outcomes["top_r1"],
                                  np.concatenate([o["top:r1"] for _, o in chunks]))
    with tarfile.open(path) as tar:  # the workbench's layout
        assert {"experiments.csv", "experiments metadata.csv", "outcomes metadata.csv",
                "regret.csv", "top_r1.csv"} == set(tar.getnames())
    assert [p.name for p in tmp_path.iterdir()] == ["explore.tar.gz"]  # no leftovers


def test_parquet_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "explore.parquet"
    writer = ParquetWriter(path, INPUTS, OUTCOMES)
    chunks = _chunks()
    for x, out in chunks:
        writer.add(x, out)
    writer.close()
    names, experiments, outcomes = read_parquet(path)
    assert names == INPUTS
    np.testing.assert_array_equal(experiments, np.concatenate([x for x, _ in chunks]))
    np.testing.assert_array_equal(outcomes["regret"],
                                  np.concatenate([o["regret"] for _, o in chunks]))


def test_the_ema_workbench_reads_the_archive(tmp_path: Path) -> None:
    """The EMA Workbench's own loader (a test-only dependency; its 3.x needs Python 3.12)
    reads the archive to the same experiments and outcomes."""
    utilities = pytest.importorskip("ema_workbench.util.utilities")
    import warnings

    path = tmp_path / "explore.tar.gz"
    writer = WorkbenchWriter(path, INPUTS, OUTCOMES)
    chunks = _chunks()
    for x, out in chunks:
        writer.add(x, out)
    writer.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its optional parallel back ends are not installed
        experiments, outcomes = utilities.load_results(str(path))
    np.testing.assert_allclose(
        experiments[INPUTS].to_numpy(dtype=float), np.concatenate([x for x, _ in chunks])
    )
    np.testing.assert_allclose(outcomes["regret"],
                               np.concatenate([o["regret"] for _, o in chunks]))
    np.testing.assert_allclose(outcomes["top_r1"],
                               np.concatenate([o["top:r1"] for _, o in chunks]))


@pytest.mark.parametrize("kind", ["workbench", "parquet"])
def test_same_inputs_write_the_same_bytes(tmp_path: Path, kind: str) -> None:
    """Two writes of the same rows, a second apart and under other names, are byte-identical:
    no write time, owner or temporary file name in the headers."""
    import time

    if kind == "parquet":
        pytest.importorskip("pyarrow")
    writer_class, name = ((WorkbenchWriter, "x.tar.gz") if kind == "workbench"
                          else (ParquetWriter, "x.parquet"))
    written = []
    for k in range(2):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        writer = writer_class(folder / name, INPUTS, OUTCOMES)
        for x, out in _chunks():
            writer.add(x, out)
        if k == 0 and kind == "workbench":
            time.sleep(1.1)  # a gzip or tar header with the time in seconds would now differ
        writer.close()
        written.append((folder / name).read_bytes())
    assert written[0] == written[1]
