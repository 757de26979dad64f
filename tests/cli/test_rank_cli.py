"""`decision rank` on hostile and extreme input: one line and exit 2, or a valid result.

The rows of ``BAD`` extend the bad-input catalogue (tests/cli/test_bad_input.py) with the
error paths of ``rank``, under the same assertions: exit status 2, one ``error:`` line on
stderr naming the file (and row where there is one), nothing on stdout, no traceback. The
fuzz test feeds matrices of extreme finite values (subnormal to 1e308, mixed signs) to every
method in the registry: the output is never NaN, the JSON is always valid, the exit status is
never 1. ``FUZZ_EXAMPLES`` raises the number of examples (``make fuzz``).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.cli.main import main
from decision.core.methods import METHODS
from decision.core.methods.normalisation import NORMALISATIONS
from decision.files import matrix as matrix_module
from tests.conftest import ROOT, CliResult

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TINY = 5e-324
HUGE = 1.7976931348623157e308


def _strict_json(text: str) -> Any:
    """``json.loads`` that refuses the NaN and Infinity tokens Python's encoder may write."""

    def refuse(token: str) -> Any:
        raise ValueError(f"invalid JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def assert_one_line_error(result: CliResult, *says: str) -> None:
    assert result.status == 2, (result.status, result.out, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for text in says:
        assert text in lines[0], (text, lines[0])


# ---------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Bad:
    id: str
    make: Callable[[Path], Path]  # writes the matrix under the folder, returns its path
    args: tuple[str, ...]
    says: tuple[str, ...]


def _file(name: str, text: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make


def _fifo(folder: Path) -> Path:
    """A FIFO; if the code under test blocks opening it (the old behaviour), a helper opens
    the other end within seconds so the test fails instead of hanging forever."""
    path = folder / "m.csv"
    os.mkfifo(path)

    def release() -> None:
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline:
            try:  # succeeds only while a reader is waiting
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
                return
            except OSError:
                time.sleep(0.05)

    threading.Thread(target=release, daemon=True).start()
    return path


def _device(folder: Path) -> Path:
    path = folder / "m.csv"
    path.symlink_to("/dev/zero")
    return path


def _directory(folder: Path) -> Path:
    path = folder / "m.yaml"
    path.mkdir()
    return path


TWO = ("--weights", "1,1", "--types", "cost,benefit")
NESTED = "criteria: [a]\noptions: {A: [1]}\nx: " + "[" * 20_000 + "]" * 20_000 + "\n"

BAD = [
    Bad("none-above-one", _file("m.csv", "o,a,b\nA,1.5,0.5\nB,0.2,0.3\n"),
        (*TWO, "--method", "wsm", "--param", "normalisation=none"),
        ("m.csv:2:3: A.a: 1.5 is outside the domain of normalisation 'none'",
         "allowed: values in [0, 1]")),
    Bad("none-negative", _file("m.yaml", "criteria: [a, b]\noptions:\n  A: [0.5, 0.5]\n"
                                         "  B: [0.2, -0.3]\n"),
        (*TWO, "--method", "wpm", "--param", "normalisation=none"),
        ("m.yaml:4:12: B.b: -0.3 is outside the domain of normalisation 'none'",)),
    Bad("max-negative", _file("m.csv", "o,a,b\nA,1,2\nB,-3,4\n"), (*TWO, "--method", "wsm"),
        ("m.csv:3:3: B.a: -3 is outside the domain of normalisation 'max'",)),
    Bad("sum-zero-cost", _file("m.csv", "o,a,b\nA,0,2\nB,3,4\n"),
        (*TWO, "--method", "wsm", "--param", "normalisation=sum"),
        ("m.csv:2:3: A.a: 0 is outside the domain of normalisation 'sum'",)),
    Bad("wpm-negative-vector", _file("m.csv", "o,a,b\nA,-1,2\nB,3,4\n"),
        ("--weights", "1,1", "--types", "benefit,benefit", "--method", "wpm",
         "--param", "normalisation=vector"),
        ("m.csv:2:3: A.a: -1 is negative, and a weighted product with vector normalisation "
         "takes its logarithm", "allowed: values >= 0 on weighted benefit criteria")),
    Bad("nested-yaml", _file("m.yaml", NESTED), ("--weights", "1", "--types", "1"),
        ("m.yaml:3:", "nested deeper than 64 levels")),
    Bad("yaml-tag", _file("m.yaml", "criteria: [a]\noptions:\n  A: [!!python/name:os.system 1]\n"),
        ("--weights", "1", "--types", "1"), ("m.yaml:3:", "not supported")),
    Bad("fifo", _fifo, TWO, ("m.csv: ", "is a FIFO (named pipe), not a regular file")),
    Bad("device", _device, TWO, ("m.csv: ", "is a character device, not a regular file")),
    Bad("directory", _directory, TWO, ("m.yaml: ", "is a directory")),
    Bad("not-utf8", _file("m.csv", b"o,a,b\nA,1,2\n\xff\xfe,3,4\n"), TWO,
        ("m.csv:3: file is not UTF-8 text (byte 12)",)),
    Bad("arabic-indic-digits", _file("m.csv", "o,a,b\nA,\u0661\u0662,3\nB,1,2\n"), TWO,
        ("m.csv:2:3: A.a: '\u0661\u0662' is not a number", "plain ASCII digits")),
    Bad("underscore-digits", _file("m.csv", "o,a,b\nA,1_000,3\nB,1,2\n"), TWO,
        ("m.csv:2:3: A.a: '1_000' is not a number",)),
    Bad("infinity-word", _file("m.csv", "o,a,b\nA,inf,3\nB,1,2\n"), TWO,
        ("m.csv:2:3: A.a: 'inf' is not a number",)),
    # names are printed in the ranking table: ESC or CSI would drive the reader's terminal
    Bad("escape-in-option-name", _file("m.csv", "o,a,b\nA\x1b]0;pwned\x07,1,3\nB,1,2\n"), TWO,
        ("m.csv:2:1: option name holds the control character U+001B at character 2",
         "allowed: option names of printable text on one line")),
    Bad("csi-in-criterion-name", _file("m.csv", "o,a\x9b31m,b\nA,1,3\nB,1,2\n"), TWO,
        ("m.csv:1:3: criterion name holds the control character U+009B at character 2",)),
    Bad("escape-in-yaml-option-name",
        _file("m.yaml", 'criteria: [a, b]\noptions:\n  "A\\e[2J": [1, 3]\n  B: [1, 2]\n'), TWO,
        ("m.yaml:3:3: option name holds the control character U+001B",)),
]


@pytest.mark.parametrize(("weights", "says"), [("1,1_0", "weight 2 is '1_0'"),
                                               ("\u0661,1", "weight 1 is '\u0661'"),
                                               ("1,nan", "weight 2 is 'nan'")])
def test_weights_are_plain_ascii_numbers(
    weights: str, says: str, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = tmp_path / "m.csv"
    path.write_text("o,a,b\nA,1,3\nB,1,2\n", encoding="utf-8")
    result = run_cli("rank", str(path), "--weights", weights, "--types", "cost,benefit")
    assert_one_line_error(result, f"error: --weights: {says}", "plain ASCII digits")


@pytest.mark.parametrize(("flag", "says"), [
    ("--weights", "--weights: weight 1 is '9999999999999999999…9999999999999999999'"),
    ("--types", "--types: type 1 is '9999999999999999999…9999999999999999999'"),
])
def test_a_5000_digit_flag_value_is_abbreviated(
    flag: str, says: str, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Was: the whole number echoed in the error line."""
    path = tmp_path / "m.csv"
    path.write_text("o,a,b\nA,1,3\nB,1,2\n", encoding="utf-8")
    given = {"--weights": "1,1", "--types": "cost,benefit", flag: "9" * 5000 + ",1"}
    result = run_cli("rank", str(path), *(x for item in given.items() for x in item))
    assert_one_line_error(result, says)
    assert "9" * 100 not in result.err


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_bad_rank_input_is_one_line(
    case: Bad, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = case.make(tmp_path)
    for extra in ((), ("--json",)):
        start = time.perf_counter()
        result = run_cli("rank", str(path), *case.args, *extra)
        assert time.perf_counter() - start < 5.0  # a FIFO or /dev/zero must not hang
        assert_one_line_error(result, str(tmp_path), *case.says)


def test_oversized_matrix_is_refused_while_reading(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.csv"
    path.write_text("o,a\n" + "".join(f"X{i},{i}\n" for i in range(100)), encoding="utf-8")
    monkeypatch.setattr(matrix_module, "MAX_FILE_BYTES", 500)
    result = run_cli("rank", str(path), "--weights", "1", "--types", "1")
    assert_one_line_error(result, "m.csv: ", "more than 500 bytes", "allowed: files up to 500")


# ---------------------------------------------------------------------------- extreme values

SUBNORMAL = "o,a,b\nA,1e-310,1\nB,2e-310,3\nC,3e-310,2\n"
ORDINARY = "o,a,b\nA,1,1\nB,2,3\nC,3,2\n"


def _options(result: CliResult) -> list[dict[str, Any]]:
    assert result.status == 0 and result.err == "", result.err
    data = _strict_json(result.out)
    options: list[dict[str, Any]] = data["options"]
    return options


#: The smallest subnormals and a zero: wpm ended in an internal IndexError on this column.
SMALLEST = ("o,a,b\nA,5e-324,1\nB,1e-323,3\nC,0,2\n", "o,a,b\nA,1,1\nB,2,3\nC,0,2\n")


@pytest.mark.parametrize("pair", [(SUBNORMAL, ORDINARY), SMALLEST], ids=["1e-310", "5e-324"])
@pytest.mark.parametrize("method", sorted(METHODS))
def test_a_subnormal_column_ranks_like_its_ordinary_equivalent(
    method: str, pair: tuple[str, str], tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Was: wsm and vikor printed "nan" (exit 0) and wrote the bare token NaN; wpm printed
    inf, or ended in an internal IndexError with a zero in the column."""
    args = ("--weights", "1,1", "--types", "benefit,benefit", "--method", method)
    sub = _file("sub.csv", pair[0])(tmp_path)
    plain = _file("plain.csv", pair[1])(tmp_path)
    assert _options(run_cli("rank", str(sub), *args, "--json")) == _options(
        run_cli("rank", str(plain), *args, "--json")
    )
    table = run_cli("rank", str(sub), *args)
    assert table.status == 0 and "nan" not in table.out.lower().replace(str(tmp_path).lower(), "")


def test_topsis_is_scale_invariant_for_huge_columns(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Was: a column times 1e200 overflowed the vector norm and changed the ranking."""
    args = ("--weights", "1,1", "--types", "benefit,benefit", "--method", "topsis", "--json")
    big = _file("big.csv", "o,a,b\nA,1e200,1\nB,2e200,3\nC,3e200,2\n")(tmp_path)
    plain = _file("plain.csv", ORDINARY)(tmp_path)
    assert _options(run_cli("rank", str(big), *args)) == _options(
        run_cli("rank", str(plain), *args)
    )


def test_weights_near_the_largest_float(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    plain = _file("plain.csv", ORDINARY)(tmp_path)
    common = ("--types", "benefit,cost", "--method", "topsis", "--json")
    huge = run_cli("rank", str(plain), "--weights", "1.5e308,1e308", *common)
    small = run_cli("rank", str(plain), "--weights", "1.5,1", *common)
    assert _strict_json(huge.out) == _strict_json(small.out)


# ---------------------------------------------------------------------------- fuzz

extreme = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, TINY, -TINY, 1e-310, 2.2250738585072014e-308, 1e-300, 1e300,
                     HUGE, -HUGE, 1e200, -1e200, 1.0, 0.5]),
)


def _params(method: str, draw: st.DrawFn) -> list[str]:
    if method in ("wsm", "wpm"):
        return [f"normalisation={draw(st.sampled_from(NORMALISATIONS))}"]
    if method == "topsis":
        return [f"normalisation={draw(st.sampled_from(['vector', 'minmax']))}"]
    if method == "vikor":
        return [f"v={draw(st.sampled_from([0.0, 0.5, 1.0]))}"]
    return []


@st.composite
def rank_calls(draw: st.DrawFn) -> tuple[str, list[str], bool]:
    """CSV text and the rank arguments; and whether every value lies in every domain."""
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 4))
    rows = []
    positive = draw(st.booleans())
    for i in range(m):
        cells = []
        for _ in range(n):
            value = draw(extreme)
            if positive:
                value = abs(value) or TINY
            cells.append(repr(value))
        rows.append(f"o{i}," + ",".join(cells))
    text = "option," + ",".join(f"c{j}" for j in range(n)) + "\n" + "\n".join(rows) + "\n"
    method = draw(st.sampled_from(sorted(METHODS)))
    weights = [draw(st.sampled_from([0.0, TINY, 1e-300, 0.3, 1.0, 1e300, HUGE])) for _ in range(n)]
    weights[draw(st.integers(0, n - 1))] = draw(st.sampled_from([1.0, HUGE, TINY]))
    types = [draw(st.sampled_from(["benefit", "cost"])) for _ in range(n)]
    args = ["--weights", ",".join(repr(w) for w in weights), "--types", ",".join(types),
            "--method", method]
    for param in _params(method, draw):
        args += ["--param", param]
    return text, args, positive


def _run(*args: str) -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            status = int(exc.code or 0)
    return CliResult(status, out.getvalue(), err.getvalue())


@FUZZ
@given(call=rank_calls())
def test_rank_on_extreme_values_never_prints_nan_or_fails_internally(
    call: tuple[str, list[str], bool],
) -> None:
    text, args, positive = call
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.csv"
        path.write_text(text, encoding="utf-8")
        as_json = _run("rank", str(path), *args, "--json")
        table = _run("rank", str(path), *args)
    for result in (as_json, table):
        assert result.status in (0, 2), (result.status, result.err)
        assert "Traceback" not in result.err
        if result.status == 2:
            assert_one_line_error(result)
    assert as_json.status == table.status
    values = [float(v) for row in text.splitlines()[1:] for v in row.split(",")[1:]]
    if "normalisation=none" in args:
        off_scale = any(not 0.0 <= v <= 1.0 for v in values)
        assert (as_json.status == 2) == off_scale, as_json.err
    elif positive:
        assert as_json.status == 0, f"refused a matrix inside every domain: {as_json.err}"
    if as_json.status == 2:
        return
    data = _strict_json(as_json.out)
    scores = [row["score"] for row in data["options"]]
    assert all(math.isfinite(s) and abs(s) <= 2.0 for s in scores)
    assert [row["rank"] for row in data["options"]] == list(range(1, len(scores) + 1))
    cells = [line.split("│")[3].strip() for line in table.out.splitlines() if "│" in line]
    assert len(cells) == len(scores)
    assert all(math.isfinite(float(cell)) for cell in cells), cells


# ---------------------------------------------------------------------------- memory


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


def test_promethee_ranks_2000_options_within_two_gib(tmp_path: Path) -> None:
    """Was: 'Unable to allocate 29.8 GiB' (the pairwise array of 2,000 options)."""
    rng = np.random.default_rng(0)
    path = tmp_path / "big.csv"
    rows = (
        f"o{i},{rng.uniform(100, 500):.3f},{rng.uniform(0, 1):.4f},{rng.integers(1, 10)}"
        for i in range(2000)
    )
    path.write_text("option,cost,quality,speed\n" + "\n".join(rows) + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "decision", "rank", str(path), "--weights", "1,1,1",
         "--types", "cost,benefit,benefit", "--method", "promethee", "--json"],
        capture_output=True, text=True, cwd=ROOT, preexec_fn=_limit_address_space,
        timeout=120, check=False,
    )
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    options = _strict_json(result.stdout)["options"]
    assert len(options) == 2000
    assert abs(sum(row["score"] for row in options)) < 1e-6  # net flows sum to zero
    assert elapsed < 30, f"{elapsed:.1f} s"
