"""Atomic file output: a failed or interrupted run never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from decision.errors import DecisionError


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_files_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write every file to a temporary sibling, flush it, then rename all into place.

    If anything fails before the renames, the previous files stay intact and no temporary
    file is left behind.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in files.items():
            directory = target.parent
            try:
                directory.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".tmp", dir=directory
                )
            except OSError as exc:
                raise DecisionError(
                    f"cannot write to '{directory}': {exc.strerror}",
                    key_path="--out",
                    allowed="a writable directory",
                ) from None
            staged.append((Path(name), target))
            os.fchmod(handle, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
            data = content.encode("utf-8") if isinstance(content, str) else content
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
