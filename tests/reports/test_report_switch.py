"""The report folder is switched whole: kills at any step, failures, concurrent runs, and an
untrusted previous manifest never leave a mixed report or touch anything outside the folder."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.errors import DecisionError
from decision.files import atomic
from decision.reports.writer import (
    is_report_file,
    previous_outputs,
    report_files,
    write_report,
)
from tests.conftest import DATA
from tests.reports.test_report_files import mini_study, tree

#: Paired concurrent runs in CI (more under FUZZ_EXAMPLES, as `make fuzz` sets it).
PAIRS = max(30, int(os.environ.get("FUZZ_EXAMPLES", "0")) // 50)
#: Crafted previous manifests tried in CI (more under FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Two different reports of the small model, in memory: two scenarios, and one."""
    mini = tmp_path_factory.mktemp("switch") / "mini"
    shutil.copytree(DATA / "mini", mini)
    with contextlib.chdir(mini):
        first = report_files(mini_study(mini, "base.yaml", "open.yaml"))
        second = report_files(mini_study(mini, "open.yaml"))
    assert set(first) != set(second)
    return first, second


def _write(out: Path, files: dict[str, bytes]) -> None:
    atomic.replace_directory(out, files, previous_outputs)


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _complete(out: Path) -> dict[str, bytes]:
    """The folder's files, checked to be exactly one report: the manifest lists every file."""
    files = tree(out)
    manifest = json.loads(files["manifest.json"])
    assert set(files) == set(manifest["outputs"]) | {"manifest.json"}
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    return files


# ---------------------------------------------------------------------- kill at every step


@contextlib.contextmanager
def _killed_after(step: int) -> Iterator[None]:
    """In a forked child: count every change the writer makes on disk and SIGKILL the
    process right after change number ``step``."""
    count = [0]

    def counted(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            count[0] += 1
            if count[0] == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return result

        return wrapper

    for name in ("rename", "link", "unlink", "rmdir", "symlink", "mkdir", "chmod"):
        setattr(os, name, counted(getattr(os, name)))
    atomic._renameat2 = counted(atomic._renameat2)  # type: ignore[method-assign]
    atomic._write_file = counted(atomic._write_file)  # type: ignore[method-assign]
    shutil.copy2 = counted(shutil.copy2)  # type: ignore[assignment]
    yield


def _run_in_child(out: Path, files: dict[str, bytes], kill_after: int | None) -> int:
    """Write the report in a forked child (killed after a step); return its wait status."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 0
        try:
            if kill_after is None:
                _write(out, files)
            else:
                with _killed_after(kill_after):
                    _write(out, files)
        except BaseException:
            status = 3
        os._exit(status)
    _, status = os.waitpid(pid, 0)
    return status


@pytest.mark.parametrize("exchange_works", [True, False], ids=["exchange", "two-renames"])
def test_a_kill_after_any_step_leaves_the_old_or_the_new_report(
    tmp_path: Path,
    reports: tuple[dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    exchange_works: bool,
) -> None:
    if not exchange_works:
        def unsupported(*args: Any) -> None:
            raise OSError(errno.ENOSYS, "no renameat2")

        monkeypatch.setattr(atomic, "_renameat2", unsupported)
    # a killed process loses nothing the kernel holds, so syncing to the disk plays no part
    # here (it guards against power loss) and only costs time: about a second per 100 steps
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    first, second = reports
    out = tmp_path / "out"
    _write(out, first)
    (out / "notes.txt").write_text("the analyst's own notes")
    old = tree(out)
    probe = tmp_path / "probe"
    _write(probe, first)
    _write(probe, second)
    new = {**tree(probe), "notes.txt": b"the analyst's own notes"}
    killed = 0
    for step in range(1, 500):
        status = _run_in_child(out, second, step)
        if os.WIFEXITED(status):
            assert os.WEXITSTATUS(status) == 0
            break
        assert os.WTERMSIG(status) == signal.SIGKILL
        killed += 1
        state = tree(out) if out.exists() else None
        if state is None:  # only the two-rename fallback has this instant
            assert not exchange_works and _leftovers(out)
        else:
            assert state in (old, new), f"mixed report after a kill at step {step}"
        # the next run repairs whatever the kill left and writes the old report again
        assert _run_in_child(out, first, None) == 0
        assert tree(out) == old and _leftovers(out) == []
    assert killed > 10, "the writer made too few steps to test"
    assert tree(out) == new and _leftovers(out) == []


# -------------------------------------------------------------------------------- failures


def _write_fails_at(call: int, error: OSError, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the writer's ``call``-th file write raise ``error``."""
    real = atomic._write_file
    calls: list[Path] = []

    def failing(path: Path, data: bytes, mode: int) -> None:
        calls.append(path)
        if len(calls) == call:
            raise error
        real(path, data, mode)

    monkeypatch.setattr(atomic, "_write_file", failing)


def test_a_failed_write_leaves_the_previous_report(
    tmp_path: Path,
    reports: tuple[dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = reports
    out = tmp_path / "out"
    _write(out, first)
    before = tree(out)
    _write_fails_at(3, OSError(errno.ENOSPC, "No space left on device"), monkeypatch)
    with pytest.raises(DecisionError, match="No space left"):
        _write(out, second)
    assert tree(out) == before and _leftovers(out) == []


def test_a_failed_switch_leaves_the_previous_report(
    tmp_path: Path,
    reports: tuple[dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = reports
    out = tmp_path / "out"
    _write(out, first)
    before = tree(out)

    def refused(*args: Any) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic, "_renameat2", refused)
    with pytest.raises(DecisionError, match="Input/output error"):
        _write(out, second)
    assert tree(out) == before and _leftovers(out) == []


def test_a_new_folder_is_created_whole_or_not_at_all(
    tmp_path: Path,
    reports: tuple[dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "fresh"
    _write_fails_at(4, OSError(errno.EINTR, "interrupted"), monkeypatch)
    with pytest.raises(DecisionError, match="interrupted"):
        _write(out, reports[0])
    assert not out.exists() and _leftovers(out) == []


# ----------------------------------------------------------------------------- concurrency


@pytest.mark.parametrize("exchange_works", [True, False], ids=["exchange", "two-renames"])
def test_concurrent_runs_end_in_exactly_one_complete_report(
    tmp_path: Path,
    reports: tuple[dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    exchange_works: bool,
) -> None:
    if not exchange_works:  # a file system without RENAME_EXCHANGE: the forked runs inherit it
        def unsupported(*args: Any) -> None:
            raise OSError(errno.ENOSYS, "no renameat2")

        monkeypatch.setattr(atomic, "_renameat2", unsupported)
    first, second = reports
    out = tmp_path / "out"
    _write(out, first)
    seen = set()
    for _ in range(PAIRS):
        children = []
        for files in (first, second):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child
                status = 0
                try:
                    _write(out, files)
                except BaseException:
                    status = 3
                os._exit(status)
            children.append(pid)
        for pid in children:
            _, status = os.waitpid(pid, 0)
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        files = _complete(out)
        assert files.keys() in (first.keys(), second.keys())
        assert all(files[name] == (first if files.keys() == first.keys() else second)[name]
                   for name in files)
        seen.add(frozenset(files))
        assert _leftovers(out) == []
    assert seen  # both orders may occur; each end state was one whole report


def test_a_held_lock_makes_the_next_run_wait_then_stop_with_one_line(
    tmp_path: Path, reports: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    out = tmp_path / "out"
    started = time.monotonic()
    with (
        atomic.directory_lock(tmp_path),
        pytest.raises(DecisionError) as caught,
        atomic.directory_lock(tmp_path, timeout=0.2),
    ):
        _write(out, reports[0])
    assert time.monotonic() - started >= 0.2
    assert "another run" in caught.value.one_line() and not out.exists()
    _write(out, reports[0])  # the lock is released with its holder
    _complete(out)


# -------------------------------------------------------------------- the previous manifest


def _manifest(out: Path, outputs: dict[str, str]) -> None:
    data = json.loads((out / "manifest.json").read_text())
    data["outputs"].update(outputs)
    (out / "manifest.json").write_text(json.dumps(data))


def test_a_crafted_manifest_deletes_nothing_outside_the_folder(
    tmp_path: Path, reports: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    first, second = reports
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    model = project / "models" / "belarus.yaml"
    model.write_text("id: precious\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    out = project / "reports"
    _write(out, first)
    digest = hashlib.sha256(b"id: precious\n").hexdigest()
    _manifest(out, {
        "charts/../../models/belarus.yaml": digest,
        "../models/belarus.yaml": digest,
        str(model): digest,
        str(outside): hashlib.sha256(b"precious").hexdigest(),
        "charts/../../../outside.txt": hashlib.sha256(b"precious").hexdigest(),
    })
    _write(out, second)
    assert model.read_text() == "id: precious\n" and outside.read_text() == "precious"
    assert set(tree(project)) == {"models/belarus.yaml", *(f"reports/{n}" for n in tree(out))}


def test_only_the_tools_own_unchanged_files_go(
    tmp_path: Path, reports: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    first, second = reports
    out = tmp_path / "out"
    _write(out, first)
    dropped = sorted(set(first) - set(second))
    assert dropped and all(name.startswith("charts/") for name in dropped)
    edited, untouched = dropped[0], dropped[1]
    (out / edited).write_text("<svg>my annotated copy</svg>")
    (out / "notes.md").write_text("mine")
    (out / "charts" / "mine.svg").write_text("<svg/>")
    os.symlink(out / "notes.md", out / "charts" / "link.svg")
    # a manifest entry naming a foreign file with its true hash must not make it the tool's
    _manifest(out, {"notes.md": hashlib.sha256(b"mine").hexdigest()})
    _write(out, second)
    after = tree(out)
    assert (out / edited).read_text() == "<svg>my annotated copy</svg>"
    assert untouched not in after
    assert (out / "notes.md").read_text() == "mine"
    assert (out / "charts" / "mine.svg").exists()
    assert os.readlink(out / "charts" / "link.svg") == str(out / "notes.md")


#: Pieces of crafted manifest entries: climbs, the names of real files inside and outside the
#: folder, and names the tool gives its own files.
_PIECES = st.sampled_from(["..", ".", "", "charts", "models", "belarus.yaml", "outside.txt",
                           "ranking.svg", "tornado-..svg", "report.md", "manifest.json", "out"])


@given(entries=st.lists(st.one_of(
    st.lists(_PIECES, min_size=1, max_size=7).map("/".join),
    st.lists(_PIECES, min_size=1, max_size=5).map(lambda parts: "/" + "/".join(parts)),
), min_size=1, max_size=8), honest=st.booleans())
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_manifest_entry_reaches_outside_the_folder(
    tmp_path: Path, reports: tuple[dict[str, bytes], dict[str, bytes]], entries: list[str],
    honest: bool,
) -> None:
    """Whatever the previous manifest lists, with the true hash of a file outside the folder,
    only the tool's own files inside it count as the old report's, and switching the folder
    leaves everything outside it as it was."""
    first, second = reports
    project = tmp_path / "project"
    out = project / "out"
    if not out.exists():
        (project / "models").mkdir(parents=True)
        (project / "models" / "belarus.yaml").write_text("id: precious\n")
        (tmp_path / "outside.txt").write_text("precious")
        (out / "charts").mkdir(parents=True)
    outside = {**{f"project/{n}": d for n, d in tree(project).items()
                  if not n.startswith("out/")}, "outside.txt": b"precious"}
    _write(out, first)
    digests = [hashlib.sha256(data).hexdigest() for data in outside.values()]
    crafted = {name: digests[i % len(digests)] for i, name in enumerate(entries)}
    if honest:  # the entries beside the report's own, true outputs
        _manifest(out, crafted)
    else:
        (out / "manifest.json").write_text(json.dumps({"outputs": crafted}))
    found = previous_outputs(out)
    inside = os.path.realpath(out) + os.sep
    assert all(is_report_file(n) and os.path.realpath(out / n).startswith(inside)
               for n in found), found
    _write(out, second)
    everything = {n: d for n, d in tree(tmp_path).items() if not n.startswith("project/out/")}
    assert everything == outside


@pytest.mark.parametrize(
    "content",
    [b"not json", b"[]", b'{"outputs": ["charts/x.svg"]}', b'{"outputs": {"a": 1}}',
     b"\xff\xfe", b'{"outputs": {"charts/ranking.svg": null}}',
     pytest.param(b"[" * 100_000, id="nested-past-the-stack")],
)
def test_a_malformed_previous_manifest_is_ignored(
    tmp_path: Path, reports: tuple[dict[str, bytes], dict[str, bytes]], content: bytes
) -> None:
    first, second = reports
    out = tmp_path / "out"
    _write(out, first)
    (out / "manifest.json").write_bytes(content)
    _write(out, second)
    files = tree(out)
    assert set(second) <= set(files)
    assert set(files) - set(second) <= set(first) - set(second)  # old charts kept, not lost


def _release_reader(fifo: Path) -> None:
    """Open the FIFO's writing end once a reader waits on it (code that blocks there fails the
    time check instead of hanging the suite), giving up after 3 s."""
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        time.sleep(1.2)
        with contextlib.suppress(OSError):  # fails unless a reader is waiting
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            return


def test_a_previous_manifest_that_is_a_fifo_or_a_link_is_not_read(
    tmp_path: Path, reports: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    first, _second = reports
    out = tmp_path / "out"
    _write(out, first)
    (out / "manifest.json").unlink()
    os.mkfifo(out / "manifest.json")  # reading it would block forever
    threading.Thread(target=_release_reader, args=(out / "manifest.json",), daemon=True).start()
    start = time.perf_counter()
    assert previous_outputs(out) == set()
    assert time.perf_counter() - start < 1.0  # not left waiting for a writer
    os.unlink(out / "manifest.json")
    os.symlink("/dev/zero", out / "manifest.json")  # reading it would never end
    assert previous_outputs(out) == set()


def test_report_file_names() -> None:
    good = ["report.md", "charts/ranking.svg", "charts/tornado-baseline.svg", "results.json"]
    bad = ["charts/../x.svg", "../report.md", "/etc/passwd", "charts/tornado-..svg",
           "notes.md", "charts/x/../../y.svg", "charts/.hidden.svg", "charts/tornado-a/b.svg"]
    assert all(is_report_file(n) for n in good)
    assert not any(is_report_file(n) for n in bad)


def test_every_file_the_report_writes_has_a_report_files_name(
    reports: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    for files in reports:
        assert all(is_report_file(name) for name in files)


# --------------------------------------------------------------------------------- leftovers


def test_leftovers_of_killed_runs_are_cleaned(
    tmp_path: Path, reports: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    first, second = reports
    out = tmp_path / "out"
    _write(out, first)
    (tmp_path / ".out.staging-0123456789ab").mkdir()
    (tmp_path / ".out.staging-0123456789ab" / "report.md").write_text("half")
    (out / ".comparison.md.0123456789ab.tmp").write_text("half")  # an older version's
    (out / "charts" / ".tornado-x.svg.abcdefgh.tmp").write_text("half")
    _write(out, second)
    assert _leftovers(out) == []
    assert not [p for p in out.rglob(".*")]


def test_a_folder_moved_aside_by_a_killed_run_is_put_back(
    tmp_path: Path, reports: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    first, second = reports
    out = tmp_path / "out"
    _write(out, first)
    (out / "notes.txt").write_text("kept")
    os.rename(out, tmp_path / ".out.previous-0123456789ab")
    _write(out, second)
    assert (out / "notes.txt").read_text() == "kept"
    assert _leftovers(out) == []
    _complete_without_foreign = {n: d for n, d in tree(out).items() if n != "notes.txt"}
    assert set(_complete_without_foreign) == set(second)


def test_write_report_returns_the_files_it_wrote(mini: Path) -> None:
    out = mini.parent / "out"
    with contextlib.chdir(mini):
        written = write_report(mini_study(mini, "base.yaml"), out)
    assert written[0].name == "report.md"
    assert {p.relative_to(out).as_posix() for p in written} == set(tree(out))
