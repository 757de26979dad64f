"""Experiments and outcomes of an exploration on disk, written chunk by chunk.

- The EMA Workbench's archive (``save_results``/``load_results`` of
  ``ema_workbench.util.utilities``): a ``.tar.gz`` holding ``experiments.csv`` (a header of
  input names, one row per experiment), ``experiments metadata.csv`` (``name,dtype`` lines),
  ``outcomes metadata.csv`` (``name,(n,)`` lines) and one headerless ``NAME.csv`` per
  outcome, so the workbench's analysis tools (PRIM, CART, feature scoring) read it.
- Parquet (pyarrow), one table of the input columns then the outcome columns, for large runs;
  the schema's metadata says which columns are outcomes.

Both are written through temporary files and put in place only when complete.
"""

from __future__ import annotations

import gzip
import os
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from decision.core.compile import FloatArray

WORKBENCH_NAME = "explore.tar.gz"
PARQUET_NAME = "explore.parquet"
_OUTCOMES_KEY = b"decision.outcomes"


def _safe(name: str) -> str:
    """An outcome's file name inside the archive (``/`` and ``:`` are not portable)."""
    return name.replace("/", "_").replace(":", "_")


class WorkbenchWriter:
    """Stream experiments and outcomes into the workbench's archive at ``path``."""

    def __init__(self, path: Path, inputs: Sequence[str], outcomes: Sequence[str]) -> None:
        self.path, self.inputs, self.outcomes = path, list(inputs), list(outcomes)
        self._dir = tempfile.TemporaryDirectory(dir=path.parent, prefix=".explore-")
        root = Path(self._dir.name)
        self._files = {"experiments.csv": open(root / "experiments.csv", "w")}  # noqa: SIM115
        self._files["experiments.csv"].write(",".join(self.inputs) + "\n")
        for name in self.outcomes:
            self._files[f"{_safe(name)}.csv"] = open(root / f"{_safe(name)}.csv", "w")  # noqa: SIM115
        self.n = 0

    def add(self, experiments: FloatArray, outcomes: Mapping[str, FloatArray]) -> None:
        np.savetxt(self._files["experiments.csv"], experiments, delimiter=",", fmt="%.17g")
        for name in self.outcomes:
            np.savetxt(self._files[f"{_safe(name)}.csv"], np.asarray(outcomes[name])[:, None],
                       fmt="%.17g")
        self.n += experiments.shape[0]

    def close(self) -> None:
        root = Path(self._dir.name)
        for f in self._files.values():
            f.close()
        (root / "experiments metadata.csv").write_text(
            "".join(f"{name},float64\n" for name in self.inputs))
        (root / "outcomes metadata.csv").write_text(
            "\n".join(f"{_safe(name)},({self.n},)" for name in self.outcomes))
        partial = root / WORKBENCH_NAME
        # Same inputs, same bytes: no write time, owner or temporary name in the gzip and tar
        # headers (they made two identical runs differ).
        with open(partial, "wb") as raw, \
                gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as packed, \
                tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as tar:
            names = ["experiments.csv", "experiments metadata.csv", "outcomes metadata.csv",
                     *(f"{_safe(n)}.csv" for n in self.outcomes)]
            for member in names:
                tar.add(root / member, arcname=member, filter=_anonymous)
        os.replace(partial, self.path)
        self._dir.cleanup()


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """A member's header without the write time and owner of this run."""
    info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = 0, 0, 0, "", "", 0o644
    info.pax_headers = {}
    return info


def read_workbench(path: Path) -> tuple[list[str], FloatArray, dict[str, FloatArray]]:
    """Input names, experiments ``(n, d)`` and outcomes of an archive, read as the workbench's
    ``load_results`` reads it."""
    with tarfile.open(path, "r:gz") as tar:
        def member(name: str) -> Any:
            f = tar.extractfile(name)
            assert f is not None
            return f

        header = member("experiments.csv").readline().decode().strip().split(",")
        experiments = np.loadtxt(member("experiments.csv"), delimiter=",", skiprows=1, ndmin=2)
        outcomes = {}
        for line in member("outcomes metadata.csv").read().decode().splitlines():
            name, shape = line.split(",", 1)
            n = int(shape.strip("(),").split(",")[0])
            outcomes[name] = np.loadtxt(member(f"{name}.csv"), ndmin=1).reshape(n)
    return header, experiments.reshape(-1, len(header)), outcomes


class ParquetWriter:
    """Stream experiments and outcomes into one Parquet table at ``path``."""

    def __init__(self, path: Path, inputs: Sequence[str], outcomes: Sequence[str]) -> None:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        self.path, self.inputs, self.outcomes = path, list(inputs), list(outcomes)
        fields = [pa.field(name, pa.float64()) for name in [*self.inputs, *self.outcomes]]
        self.schema = pa.schema(fields, metadata={_OUTCOMES_KEY: "\n".join(outcomes).encode()})
        self._partial = path.with_name(f".{path.name}.partial")
        self._writer = pq.ParquetWriter(self._partial, self.schema)

    def add(self, experiments: FloatArray, outcomes: Mapping[str, FloatArray]) -> None:
        import pyarrow as pa

        columns = [experiments[:, j] for j in range(experiments.shape[1])]
        columns += [np.asarray(outcomes[name], dtype=np.float64) for name in self.outcomes]
        self._writer.write_table(pa.Table.from_arrays(columns, schema=self.schema))

    def close(self) -> None:
        self._writer.close()
        os.replace(self._partial, self.path)


def read_parquet(path: Path) -> tuple[list[str], FloatArray, dict[str, FloatArray]]:
    """Input names, experiments and outcomes of a Parquet table written by
    :class:`ParquetWriter`."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    meta = table.schema.metadata or {}
    outcomes = [n for n in meta.get(_OUTCOMES_KEY, b"").decode().split("\n") if n]
    inputs = [n for n in table.column_names if n not in outcomes]
    experiments = np.column_stack([table.column(n).to_numpy() for n in inputs]) if inputs else (
        np.empty((table.num_rows, 0)))
    return inputs, experiments, {n: table.column(n).to_numpy() for n in outcomes}
