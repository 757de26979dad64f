"""Read an input file safely: regular files only, never blocking, never more than a byte limit.

Every input the tool reads (models, scenarios, the source text, matrices, a previous manifest)
may be untrusted or simply wrong: a device such as ``/dev/zero`` would be read until memory
runs out, a FIFO would block forever, and ``st_size`` can lie (``/proc`` files, files that grow
while read). So the path is checked with ``os.stat`` before it is opened, opened with
``O_NONBLOCK`` (a FIFO swapped in after the check cannot block) and checked again with
``fstat``, and at most ``limit + 1`` bytes are read. Every failure is one
:class:`~decision.errors.DecisionError` line; nothing here imports more than the standard
library, so any command can use it cheaply.
"""

from __future__ import annotations

import errno
import os
import stat

from decision.errors import DecisionError

#: Flags for opening an input: read only, never block on a FIFO, never become a controlling
#: terminal, and do not leak the descriptor into child processes.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_CHUNK = 1 << 20


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def os_error(
    exc: OSError, path: str, what: str = "file", *, key_path: str | None = None
) -> DecisionError:
    """One line for a file-system error on ``path`` (``what`` names the kind of file)."""
    code = exc.errno
    if code == errno.ENOENT:
        return DecisionError(
            f"{what} not found",
            file=path,
            key_path=key_path,
            allowed=f"a path to an existing {what}",
        )
    if code in (errno.EACCES, errno.EPERM):
        return DecisionError(
            f"permission denied reading the {what}",
            file=path,
            key_path=key_path,
            allowed="a file you are allowed to read",
        )
    if code == errno.ELOOP:
        return DecisionError(
            "too many levels of symbolic links (a symlink loop?)",
            file=path,
            key_path=key_path,
            allowed="a path whose symbolic links end at a file",
        )
    if code == errno.ENAMETOOLONG:
        return DecisionError(
            "a name in the path is too long",
            file=path,
            key_path=key_path,
            allowed="names of at most 255 bytes and paths of at most 4,096 bytes",
        )
    if code == errno.ENOTDIR:
        return DecisionError(
            "a component of the path is not a directory",
            file=path,
            key_path=key_path,
            allowed=f"a path to an existing {what}",
        )
    if code == errno.EISDIR:
        return DecisionError(
            "is a directory", file=path, key_path=key_path, allowed=f"a path to a {what}"
        )
    reason = exc.strerror or type(exc).__name__
    return DecisionError(
        f"cannot read the {what}: {reason[:1].lower()}{reason[1:]}",
        file=path,
        key_path=key_path,
        allowed=f"a readable {what}",
    )


def read_bytes_limited(
    path: str | os.PathLike[str], limit: int, what: str = "file", *, key_path: str | None = None
) -> bytes:
    """The bytes of the regular file ``path``, refusing with one line anything else.

    Refused: a missing or unreadable path, a directory, a FIFO, device or socket (checked
    before opening, so nothing blocks, and again on the open descriptor, so a file swapped in
    between cannot slip through), and a file of more than ``limit`` bytes (counted while
    reading: ``st_size`` is never trusted). ``what`` names the kind of file in messages
    ("file", "source text", "matrix", ...); ``key_path`` names the option or key that gave the
    path, if any.
    """
    shown = os.fsdecode(path)
    if not shown:
        raise DecisionError(
            f"empty path for the {what}", key_path=key_path, allowed=f"a path to a {what}"
        )
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind is not None:
            raise _not_regular(kind, shown, what, key_path)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise os_error(exc, shown, what, key_path=key_path) from None
    except ValueError:  # an embedded NUL character
        raise DecisionError(
            "the path contains a NUL character", key_path=key_path, allowed=f"a path to a {what}"
        ) from None
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise _not_regular(kind, shown, what, key_path)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise os_error(exc, shown, what, key_path=key_path) from None
    finally:
        os.close(fd)
    if remaining <= 0:
        raise DecisionError(
            f"{what} has more than {limit:,} bytes",
            file=shown,
            key_path=key_path,
            allowed=f"files up to {limit:,} bytes",
        )
    return b"".join(chunks)


def _not_regular(kind: str, shown: str, what: str, key_path: str | None) -> DecisionError:
    if kind == "a directory":
        return DecisionError(
            "is a directory", file=shown, key_path=key_path, allowed=f"a path to a {what}"
        )
    return DecisionError(
        f"is {kind}, not a regular file",
        file=shown,
        key_path=key_path,
        allowed="a regular file" if what == "file" else f"a regular file as the {what}",
    )
