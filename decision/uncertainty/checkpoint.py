"""Resumable runs: every finished task's tallies in a file of its own, written atomically.

A checkpoint folder holds a header (``checkpoint.json``: the package version, the command, the
sha256 of the files it was given and the options that change its results) and one folder per
sampling stage (``NNN-label/``: the stage's own fingerprint in ``stage.json`` — seed, samples,
chunk size, method, hashes of the model and scenario files and of the compiled inputs — and
a ``task-NNNNNN.npz`` per finished task). A rerun with the same header reads finished tasks
back instead of computing them; a folder written for other inputs is refused in one line
(exit 2), never mixed in.

Task results are trees of dataclasses, tuples, lists, numbers and numpy arrays (the exact
tallies of :mod:`decision.uncertainty.montecarlo`, explore's chunk outcomes); they are stored
as numpy arrays plus a JSON description of the tree, read back without pickle, so a
checkpoint cannot run code and reading it back gives the same bits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import io
import json
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from decision._version import __version__
from decision.errors import DecisionError

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel, ScenarioInputs

HEADER = "checkpoint.json"
STAGE = "stage.json"
_SPEC = "__tree__"
_KEY = "--checkpoint"
_ALLOWED = "the folder of an interrupted run of the same command and inputs, or a new folder"


def _fail(what: str) -> DecisionError:
    return DecisionError(what, key_path=_KEY, allowed=_ALLOWED)


# ---------------------------------------------------------------------------------- codec


def _encode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    """``value`` as JSON, its arrays moved to ``arrays`` under fresh keys."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return {"int": str(value)}  # exact, whatever its size
    if isinstance(value, float):
        return {"float": value.hex()}
    if isinstance(value, np.ndarray | np.generic):
        key = f"a{len(arrays)}"
        arrays[key] = np.asarray(value)
        return {"array": key, "scalar": isinstance(value, np.generic)}
    if isinstance(value, tuple | list):
        kind = "tuple" if isinstance(value, tuple) else "list"
        return {kind: [_encode(item, arrays) for item in value]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        return {
            "class": f"{cls.__module__}:{cls.__qualname__}",
            "fields": {f.name: _encode(getattr(value, f.name), arrays)
                       for f in dataclasses.fields(value) if f.init},
        }
    raise TypeError(f"cannot store a {type(value).__name__} in a checkpoint")


def _decode(tree: Any, arrays: Mapping[str, np.ndarray]) -> Any:
    if tree is None or isinstance(tree, bool | str):
        return tree
    if "int" in tree:
        return int(tree["int"])
    if "float" in tree:
        return float.fromhex(tree["float"])
    if "array" in tree:
        array = arrays[tree["array"]]
        return array[()] if tree["scalar"] else array
    if "tuple" in tree:
        return tuple(_decode(item, arrays) for item in tree["tuple"])
    if "list" in tree:
        return [_decode(item, arrays) for item in tree["list"]]
    module, _, name = tree["class"].partition(":")
    if not module.startswith("decision."):  # only the package's own result types
        raise ValueError(f"unexpected class {tree['class']}")
    cls: Any = importlib.import_module(module)
    for part in name.split("."):
        cls = getattr(cls, part)
    return cls(**{k: _decode(v, arrays) for k, v in tree["fields"].items()})


def encode(value: Any) -> bytes:
    """``value`` (see the module docstring) as the bytes of an ``.npz`` file."""
    arrays: dict[str, np.ndarray] = {}
    tree = json.dumps(_encode(value, arrays), separators=(",", ":")).encode()
    arrays[_SPEC] = np.frombuffer(tree, dtype=np.uint8)
    buffer = io.BytesIO()
    save: Any = np.savez_compressed  # (numpy types the keyword arrays as its own options)
    save(buffer, **arrays)
    return buffer.getvalue()


def decode(data: bytes) -> Any:
    """The value :func:`encode` stored (no pickle is read)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        arrays = {key: stored[key] for key in stored.files}
    tree = json.loads(arrays.pop(_SPEC).tobytes().decode())
    return _decode(tree, arrays)


# ---------------------------------------------------------------------------- the folder


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` so that a reader, or a run killed at any instant, sees all of it or
    none of it: a synced temporary sibling renamed over it, then the folder synced."""
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def file_hashes(paths: Sequence[str | Path]) -> dict[str, str]:
    """The sha256 of each file, by the path as given (a missing file hashes as '')."""
    found = {}
    for path in paths:
        try:
            found[str(path)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            found[str(path)] = ""
    return found


def input_fingerprint(model: CompiledModel, inputs: ScenarioInputs) -> dict[str, Any]:
    """What a sampling run of ``inputs`` depends on, for a stage to check: the model and
    scenario files, the compiled inputs (hashed), seed, samples and method."""
    state = hashlib.sha256()
    for array in (inputs.values, inputs.weights):
        state.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    state.update(repr((sorted(inputs.settings.items()), inputs.weight_uncertainty,
                       inputs.correlations, inputs.perspective)).encode())
    state.update(model.spec.model_dump_json().encode())
    return {
        "scenario": inputs.id,
        "files": file_hashes([model.path, *inputs.chain]),
        "inputs": state.hexdigest(),
        "seed": inputs.seed,
        "samples": inputs.samples,
        "method": [inputs.method.name, repr(inputs.method_params)],
    }


def _differences(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[str]:
    names = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            names += _differences(a, b, f"{prefix}{key}.")
        elif a != b:
            names.append(f"{prefix}{key}")
    return names


class Stage:
    """One sampling stage's folder: which tasks are finished, reading and writing them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, task: int) -> Path:
        return self.folder / f"task-{task:06d}.npz"

    def finished(self) -> set[int]:
        return {int(p.name[5:11]) for p in self.folder.glob("task-*.npz")}

    def load(self, task: int) -> Any:
        try:
            return decode(self._path(task).read_bytes())
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise _fail(f"cannot read '{self._path(task)}' ({exc}); the checkpoint is "
                        "damaged") from None

    def save(self, task: int, value: Any) -> None:
        write_atomic(self._path(task), encode(value))


class Checkpoint:
    """A checkpoint folder bound to one command and its inputs (see the module docstring)."""

    def __init__(self, folder: Path, header: Mapping[str, Any]) -> None:
        """Check ``folder`` against ``header`` now; nothing is written until the first stage
        starts (so a run refused for bad input leaves no folder behind)."""
        self.folder = folder
        self.header = json.loads(json.dumps(
            {"tool": "policy-decision-brief", "version": __version__, **header}))
        if folder.exists() and not folder.is_dir():
            raise _fail(f"'{folder}' is a file")
        self._started = (folder / HEADER).exists()
        if self._started:
            self._check(folder / HEADER, self.header, "run")
        elif folder.is_dir() and any(folder.iterdir()):
            raise _fail(f"'{folder}' is not empty and is not a checkpoint")

    def _check(self, path: Path, wanted: Mapping[str, Any], what: str) -> None:
        """Write ``wanted`` to ``path``, or refuse when ``path`` holds something else."""
        wanted = json.loads(json.dumps(wanted))  # as it reads back (tuples become lists)
        if not path.exists():
            try:
                write_atomic(path, json.dumps(wanted, indent=1, sort_keys=True).encode())
            except OSError as exc:
                raise _fail(f"cannot write to '{self.folder}': {exc.strerror or exc}") from None
            return
        try:
            found = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise _fail(f"cannot read '{path}' ({exc}); the checkpoint is damaged") from None
        if found != wanted:
            changed = ", ".join(_differences(found, wanted)[:4]) or "its contents"
            raise _fail(f"checkpoint '{self.folder}' was written by a {what} of different "
                        f"inputs ({changed} differ)")

    def stage(self, number: int, label: str, fingerprint: Mapping[str, Any]) -> Stage:
        """The folder of the ``number``-th stage of the run, checked against its fingerprint."""
        name = f"{number:03d}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', label)[:60]}"
        folder = self.folder / name
        try:
            if not self._started:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._check(self.folder / HEADER, self.header, "run")
                self._started = True
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise _fail(f"cannot create '{folder}': {exc.strerror or exc}") from None
        self._check(folder / STAGE, {"version": __version__, **fingerprint}, "stage")
        return Stage(folder)
