"""read_bytes_limited: regular files only, never blocking, never past its byte limit (issue 22)."""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from decision.errors import DecisionError
from decision.files.safe_read import os_error, read_bytes_limited


def _refused(call: Callable[[], object], timeout: float = 5.0) -> DecisionError:
    """Run ``call`` in a thread (a regression that blocks must fail, not hang the suite)."""
    outcome: list[BaseException | object] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), "read_bytes_limited blocked"
    (result,) = outcome
    assert isinstance(result, DecisionError), result
    return result


def test_reads_up_to_the_limit_and_refuses_one_byte_more(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 100)
    assert read_bytes_limited(path, 100) == b"x" * 100
    error = _refused(lambda: read_bytes_limited(path, 99, "matrix"))
    expected = f"{path}: matrix has more than 99 bytes; allowed: files up to 99 bytes"
    assert error.one_line() == expected


def test_size_is_counted_while_reading_not_taken_from_stat(tmp_path: Path) -> None:
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc")
    assert status.stat().st_size == 0
    assert b"Name:" in read_bytes_limited(status, 1_000_000)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    error = _refused(lambda: read_bytes_limited(fifo, 10))
    assert "is a FIFO (named pipe), not a regular file" in error.what


def test_fifo_swapped_in_after_the_check_is_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: stat saw a regular file, open finds a FIFO (O_NONBLOCK, then fstat)."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    regular = os.stat(tmp_path)  # any stat result, made to look like a regular file
    fake = os.stat_result((stat.S_IFREG | 0o644, *tuple(regular)[1:]))
    real_stat = os.stat
    monkeypatch.setattr(
        os, "stat", lambda p, *a, **k: fake if Path(p) == fifo else real_stat(p, *a, **k)
    )
    error = _refused(lambda: read_bytes_limited(fifo, 10))
    assert "is a FIFO" in error.what


def test_devices_and_directories_are_refused(tmp_path: Path) -> None:
    assert "a character device" in _refused(lambda: read_bytes_limited("/dev/zero", 10)).what
    assert _refused(lambda: read_bytes_limited(tmp_path, 10)).what == "is a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    error = _refused(lambda: read_bytes_limited(path, 10))
    assert error.what == "permission denied reading the file"


def test_file_system_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    assert "symbolic links" in _refused(lambda: read_bytes_limited(tmp_path / "loop", 10)).what
    long_name = tmp_path / ("n" * 300)
    assert "too long" in _refused(lambda: read_bytes_limited(long_name, 10)).what
    missing = _refused(lambda: read_bytes_limited(tmp_path / "no.yaml", 10, "source text"))
    assert missing.what == "source text not found"
    (tmp_path / "file").write_text("x")
    not_dir = _refused(lambda: read_bytes_limited(tmp_path / "file" / "x", 10))
    assert "not a directory" in not_dir.what
    assert "empty path" in _refused(lambda: read_bytes_limited("", 10)).what
    assert "NUL" in _refused(lambda: read_bytes_limited("a\0b", 10)).what


def test_other_os_errors_name_the_reason() -> None:
    error = os_error(OSError(errno.EIO, "Input/output error"), "f.yaml", key_path="--source")
    assert error.one_line() == (
        "f.yaml: --source: cannot read the file: input/output error; allowed: a readable file"
    )
