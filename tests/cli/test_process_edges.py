"""The edges of a process: Ctrl-C while the CLI loads, an unwritable standard output, and
library warnings, each one line on stderr and never a traceback."""

from __future__ import annotations

import builtins
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import ROOT, CliResult

BASELINE = str(ROOT / "scenarios" / "baseline.yaml")


def test_ctrl_c_while_the_cli_loads_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import decision.__main__ as entry

    real_import = builtins.__import__

    def interrupted(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "decision.cli.main":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "decision.cli.main", raising=False)
    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as caught:
        entry.main()
    assert caught.value.code == 130
    assert capsys.readouterr().err == "error: aborted\n"


@pytest.mark.parametrize("delay", [0.2, 0.35, 0.5])
def test_ctrl_c_early_in_a_real_process_prints_no_traceback(delay: float) -> None:
    """Ctrl-C while the CLI's modules load (after the interpreter's own start-up of a few tens
    of milliseconds, which is Python's to handle)."""
    run = subprocess.Popen([sys.executable, "-m", "decision", "validate", BASELINE],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(delay)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    # ended by the signal before Python took over it, by the CLI (130), or done already (0)
    assert run.returncode in (0, 130, -signal.SIGINT), (run.returncode, err)


@pytest.mark.parametrize("args", [["run", BASELINE], ["run", BASELINE, "--json"], ["--help"]])
def test_an_unwritable_stdout_is_one_line(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "decision", *args], cwd=ROOT,
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == "error: cannot write to standard output: No space left on device\n"


def test_a_library_warning_is_one_line_without_a_path(
    monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., CliResult]
) -> None:
    import decision.cli.main as cli

    def noisy(*args: Any, **kwargs: Any) -> None:
        warnings.warn("divide by zero encountered in divide", RuntimeWarning, stacklevel=1)

    monkeypatch.setattr(cli, "_read_source", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        result = run_cli("validate", BASELINE, "--source", "x.txt")
    assert "warning: divide by zero encountered in divide\n" in result.err
    assert ".py" not in result.err


def test_ctrl_c_that_a_library_reports_as_its_own_error_still_aborts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """pydantic-core turns a KeyboardInterrupt raised while it builds a validator into a
    SchemaError: the run must end as Ctrl-C ends it (exit 130), not as an internal error."""
    from decision.cli import main as cli_main

    def interrupted(*args: Any, **kwargs: Any) -> None:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # the signal arrives first
        except KeyboardInterrupt as exc:
            raise RuntimeError(f"Error building validator: {exc!r}") from None

    monkeypatch.setattr(cli_main.cli, "invoke", interrupted)
    with pytest.raises(SystemExit) as caught:
        cli_main.main(["validate", BASELINE])
    assert caught.value.code == 130
    assert capsys.readouterr().err == "error: aborted\n"
    # a later run in the same process is not taken for an interrupted one
    def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli_main.cli, "invoke", failing)
    with pytest.raises(SystemExit) as caught:
        cli_main.main(["validate", BASELINE])
    assert caught.value.code == 1
    assert "internal error: RuntimeError: a bug" in capsys.readouterr().err


def test_an_ascii_locale_prints_tables_and_json_without_failing() -> None:
    """Under ``LC_ALL=POSIX`` without UTF-8 coercion standard output is ASCII: tables are drawn
    with ASCII lines and other characters written as escapes, never an internal error."""
    env = {**os.environ, "LC_ALL": "POSIX", "LANG": "C", "PYTHONCOERCECLOCALE": "0",
           "PYTHONUTF8": "0"}
    for json_flag in ((), ("--json",)):
        result = subprocess.run(
            [sys.executable, "-m", "decision", "run", "scenarios/baseline.yaml", *json_flag],
            cwd=ROOT, env=env, capture_output=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == b""
        result.stdout.decode("ascii")  # nothing but ASCII reached the stream
        if json_flag:
            data = json.loads(result.stdout)
            assert data["scenario"] == "baseline"
        else:
            assert b"| rank |" in result.stdout.replace(b"  ", b" ")
