"""Atomic file output: a failed or interrupted run never leaves a half-written file.

Every file is first written in full, flushed and synced while it has no name in the target
directory (an anonymous ``O_TMPFILE`` inode where the file system supports it, else a hidden
``.NAME.*.tmp`` sibling); only then are the files put in place, each by linking it under a
hidden temporary name and renaming that over the target, which takes about a millisecond for a
whole report. So a run that fails or is killed while it renders or writes leaves the previous
files as they were and, with ``O_TMPFILE``, nothing else; if a rename fails part-way, the files
already replaced are put back. Hidden temporary files left by a run killed in the instant of
the renames are removed by the next run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from decision.errors import DecisionError

TEMP_SUFFIX = ".tmp"


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fail(directory: Path, exc: OSError) -> DecisionError:
    return DecisionError(
        f"cannot write to '{directory}': {exc.strerror or exc}",
        key_path="--out",
        allowed="a writable directory",
    )


def _write_all(handle: int, data: bytes) -> None:
    os.fchmod(handle, 0o666 & ~_umask())  # temporary files are 0600; give the usual mode
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]
    os.fsync(handle)


class _Staged:
    """One file written in full but not yet in place."""

    def __init__(self, target: Path, data: bytes) -> None:
        self.target = target
        self.handle: int | None = None
        self.path: Path | None = None  # a named temporary file (when O_TMPFILE is missing)
        directory = target.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
            try:
                self.handle = os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o600)
            except (AttributeError, OSError):
                handle, name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=directory
                )
                self.handle, self.path = handle, Path(name)
            _write_all(self.handle, data)
        except OSError as exc:
            self.discard()
            raise _fail(directory, exc) from None

    def named(self) -> Path:
        """A hidden name in the target directory for the written file."""
        if self.path is not None:
            return self.path
        assert self.handle is not None
        name = self.target.parent / f".{self.target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
        directory = os.open(self.target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:  # linkat(..., AT_SYMLINK_FOLLOW): CPython uses linkat only with a dir fd given
            os.link(f"/proc/self/fd/{self.handle}", name.name, dst_dir_fd=directory)
        finally:
            os.close(directory)
        self.path = name
        return name

    def discard(self) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError):
                os.close(self.handle)
            self.handle = None
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self.path = None


def remove_stale_temporaries(directory: Path, names: Iterator[str]) -> None:
    """Delete hidden temporary files a killed run may have left for these file names."""
    for name in names:
        for stale in directory.glob(f".{name}.*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                stale.unlink()


def write_files_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write every file in full first, then put them all in place (see the module docstring)."""
    by_directory: dict[Path, list[str]] = {}
    for target in files:
        by_directory.setdefault(target.parent, []).append(target.name)
    for directory, names in by_directory.items():
        if directory.is_dir():
            remove_stale_temporaries(directory, iter(names))
    staged: list[_Staged] = []
    previous: dict[Path, bytes | None] = {}
    try:
        for target, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            staged.append(_Staged(target, data))
        for item in staged:
            previous[item.target] = _read(item.target)
            try:
                os.replace(item.named(), item.target)
            except OSError as exc:
                raise _fail(item.target.parent, exc) from None
            item.path = None
    except BaseException:
        _restore(previous)
        raise
    finally:
        for item in staged:
            item.discard()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _restore(previous: Mapping[Path, bytes | None]) -> None:
    """Put back the files a failed run had already replaced (or remove new ones)."""
    for path, data in previous.items():
        with contextlib.suppress(OSError):
            if data is None:
                path.unlink(missing_ok=True)
            elif _read(path) != data:
                write_files_atomically({path: data})
