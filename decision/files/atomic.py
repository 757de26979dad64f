"""Atomic output: a report directory is switched from the old version to the new in one step.

A report is many files that refer to each other (``report.md`` names its charts, the manifest
hashes every file), so replacing them one by one leaves a mixed report whenever a run is
killed between two renames. Instead the whole new directory is built, synced, beside the old
one (a hidden sibling ``.NAME.staging-XXXX``) and swapped in with a single ``renameat2``
``RENAME_EXCHANGE`` (Linux); the old version, now under the staging name, is then removed. A
reader, or a run killed at any instant, sees the whole old report or the whole new one.

- **Files that are not the report's** (notes a user put in the folder, an old chart the user
  edited) are carried into the new directory as hard links before the swap; the caller says
  which old files were the tool's (``stale``) and so may go.
- **Concurrent runs** into one directory take an exclusive ``flock`` on the parent directory
  for the short staging-and-swap step, so they follow each other and the end state is always
  exactly one run's complete report. A run that cannot get the lock within
  :data:`LOCK_TIMEOUT` seconds stops with one line.
- **Leftovers of killed runs** (any ``.NAME.staging-*`` sibling, and the hidden ``*.tmp`` files
  of earlier versions of this tool inside the directory) are removed under the lock.
- Where the exchange is not supported (another OS or file system), the directory is switched
  by two renames; a run killed between them leaves the old version under ``.NAME.previous-*``,
  which the next run puts back before anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from decision.errors import DecisionError

#: Seconds a run waits for another run writing into the same parent directory.
LOCK_TIMEOUT = 120.0
STAGING = "staging"
PREVIOUS = "previous"
#: Hidden temporary files of earlier versions of this tool (``.NAME.XXXX.tmp``).
LEGACY_TEMP_SUFFIX = ".tmp"
#: Most entries of a directory this tool will carry over into a new report.
MAX_CARRIED = 10_000

_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _fail(target: Path, exc: OSError, doing: str = "write to") -> DecisionError:
    return DecisionError(
        f"cannot {doing} '{target}': {exc.strerror or exc}",
        key_path="--out",
        allowed="a writable directory (and a writable folder above it)",
    )


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------------------ primitives


def _renameat2(source: Path, target: Path, flags: int) -> None:
    """``renameat2(2)``; raises ``OSError(ENOSYS)`` where the C library lacks it."""
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(source), None, str(target))


def exchange(source: Path, target: Path) -> None:
    """Swap two existing paths in one atomic step."""
    _renameat2(source, target, _RENAME_EXCHANGE)


def _fsync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _write_file(path: Path, data: bytes, mode: int) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        os.fsync(handle)
    finally:
        os.close(handle)


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write one file so that a reader, or a run killed at any instant, sees all of it or none
    of it: a synced hidden sibling renamed over ``path``, then the folder synced. The sibling
    is removed if anything fails; OSError passes to the caller, who knows what was written."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        _write_file(temporary, data, 0o666)  # os.open applies the umask
        os.replace(temporary, path)
        _fsync_directory(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


# ------------------------------------------------------------------------------------ lock


@contextlib.contextmanager
def directory_lock(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``directory`` (waiting up to ``timeout`` seconds)."""
    try:
        handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _fail(directory, exc, "open") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DecisionError(
                        f"another run has been writing a report in '{directory}' for over "
                        f"{timeout:.0f} s",
                        key_path="--out",
                        allowed="one run at a time per output folder; try again when it ends",
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(handle)  # closing the last descriptor releases the lock


# -------------------------------------------------------------------------------- clean-up


def _siblings(target: Path, kind: str) -> list[Path]:
    prefix = f".{target.name}.{kind}-"
    try:
        return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return []


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def recover(target: Path) -> None:
    """Undo what a killed run left (call with the lock held): put back a directory moved aside
    by the two-rename fallback, and remove staging directories and legacy temporaries."""
    previous = _siblings(target, PREVIOUS)
    if previous and not target.exists():
        os.rename(previous[-1], target)
        previous = previous[:-1]
    for leftover in [*previous, *_siblings(target, STAGING)]:
        _remove(leftover)
    if target.is_dir():
        for stale in target.rglob(f".*{LEGACY_TEMP_SUFFIX}"):
            if stale.is_file() and not stale.is_symlink():
                with contextlib.suppress(OSError):
                    stale.unlink()


# ------------------------------------------------------------------------------ the switch


def _carry(old: Path, new: Path, keep: Callable[[str], bool]) -> None:
    """Hard-link (or copy) into ``new`` every entry of ``old`` that ``keep`` accepts and that
    ``new`` does not already have, recreating folders and symbolic links."""
    count = 0
    for folder, dirs, names in os.walk(old):
        here = Path(folder)
        for name in sorted(dirs) + sorted(names):
            source = here / name
            relative = source.relative_to(old).as_posix()
            destination = new / relative
            info = source.lstat()
            if stat.S_ISDIR(info.st_mode):
                if not destination.exists():
                    destination.mkdir(mode=stat.S_IMODE(info.st_mode))
                continue
            if destination.exists() or destination.is_symlink() or not keep(relative):
                continue
            count += 1
            if count > MAX_CARRIED:
                raise DecisionError(
                    f"'{old}' holds over {MAX_CARRIED:,} files that are not the report's",
                    key_path="--out",
                    allowed="a folder of its own for the report",
                )
            if stat.S_ISLNK(info.st_mode):
                os.symlink(os.readlink(source), destination)
            elif stat.S_ISREG(info.st_mode):
                try:
                    os.link(source, destination, follow_symlinks=False)
                except OSError:
                    shutil.copy2(source, destination, follow_symlinks=False)
            else:
                raise DecisionError(
                    f"'{source}' is not a regular file, folder or link",
                    key_path="--out",
                    allowed="a folder holding only files, folders and links",
                )


def _stage(target: Path, files: Mapping[str, bytes]) -> Path:
    """A new hidden sibling of ``target`` holding ``files`` (relative paths), synced."""
    staging = target.parent / f".{target.name}.{STAGING}-{secrets.token_hex(6)}"
    mode = 0o777 & ~_umask()
    if target.is_dir():
        mode = stat.S_IMODE(target.stat().st_mode)
    staging.mkdir(mode=0o700)
    try:
        folders = {staging}
        file_mode = 0o666 & ~_umask()
        for relative, data in files.items():
            path = staging / relative
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            _write_file(path, data, file_mode)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            _fsync_directory(folder)
        os.chmod(staging, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            _remove(staging)
        raise
    return staging


def _switch(staging: Path, target: Path) -> Path | None:
    """Put ``staging`` in place of ``target``; return where the old version now is (or None)."""
    if not target.exists():
        try:
            _renameat2(staging, target, _RENAME_NOREPLACE)
        except OSError as exc:
            if exc.errno not in (errno.ENOSYS, errno.EINVAL):
                raise
            os.rename(staging, target)
        return None
    try:
        exchange(staging, target)
        return staging
    except OSError as exc:
        if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
            raise
    aside = target.parent / f".{target.name}.{PREVIOUS}-{secrets.token_hex(6)}"
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(aside, target)
        raise
    return aside


def replace_directory(
    target: Path, files: Mapping[str, bytes], stale: Callable[[Path], set[str]]
) -> None:
    """Make ``target`` hold ``files`` (relative paths to bytes), switched in one step.

    ``stale(target)`` is called with the lock held and names the relative paths of old files
    the tool itself wrote and no longer needs; every other old entry is carried over.
    """
    target = Path(os.path.abspath(target))
    if target.is_symlink():
        target = target.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(target.parent, exc, "create") from None
    if target.exists() and not target.is_dir():
        raise DecisionError(f"'{target}' is a file", key_path="--out", allowed="a directory")
    with directory_lock(target.parent):
        staging: Path | None = None
        try:
            recover(target)
            staging = _stage(target, files)
            if target.is_dir():
                drop = stale(target)
                _carry(target, staging, lambda name: name not in drop)
            old = _switch(staging, target)
            staging = old
            _fsync_directory(target.parent)
        except OSError as exc:
            raise _fail(target, exc) from None
        finally:
            if staging is not None:
                with contextlib.suppress(OSError):
                    _remove(staging)
