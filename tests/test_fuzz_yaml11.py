"""YAML 1.1-only forms in the shipped model are refused, each with one located line (issue 24).

A YAML 1.1 reader turns ``yes``/``no``/``on``/``off`` into booleans, ``33:40`` into 2020,
``0x1F`` into 31, ``1_000`` into 1000 and ``017`` into 15, and honours tags such as
``!!binary`` or ``!!python/name``. The tool reads YAML 1.2 rules with decimal numbers only and
the core tags only, so each such form, written where the shipped model has a number or an id,
must be refused: exit status 2, one line naming the file, the line of the edited value, its
column and (but for syntax errors) a key path. The quick profile runs in CI; ``make fuzz``
sets ``FUZZ_EXAMPLES`` for a long run.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.cli.main import main
from decision.errors import DecisionError
from decision.load.loading import load_model
from tests.conftest import BELARUS, needs_belarus

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Mappings of the model whose keys are ids (key path patterns; '*' is any one key).
ID_KEYS = [
    ("evidence",),
    ("indicators",),
    ("criteria",),
    ("options",),
    ("perspectives",),
    ("resources",),
    ("options", "*", "performance"),
    ("options", "*", "performance", "*", "effects"),
    ("options", "*", "costs"),
    ("perspectives", "*", "weights"),
]
#: Lists of ids, by the key that holds them.
ID_LISTS = {"evidence", "options", "ranking"}


@dataclass(frozen=True)
class Spot:
    """A scalar of the shipped model's text: a number or an id, where it is, what it is."""

    start: int  # character offsets of the scalar in the text
    end: int
    line: int  # 1-based
    kind: str  # "number" or "id"
    key: bool  # a mapping key (else a value)


def _matches(path: tuple[str | int, ...], pattern: tuple[str, ...]) -> bool:
    if len(path) != len(pattern):
        return False
    return all(p in ("*", q) for p, q in zip(pattern, path, strict=True))


def _spots(text: str) -> list[Spot]:
    """Every number and every id of the model, found on PyYAML's node tree (for positions)."""
    found: list[Spot] = []

    def spot(node: yaml.Node, kind: str, key: bool) -> None:
        start, end = node.start_mark, node.end_mark
        found.append(Spot(start.index, end.index, start.line + 1, kind, key))

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if any(_matches(path, pattern) for pattern in ID_KEYS):
                    spot(key_node, "id", True)
                walk(value_node, (*path, key_node.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                if path and path[-1] in ID_LISTS and isinstance(item, yaml.ScalarNode):
                    spot(item, "id", False)
                walk(item, (*path, index))
        elif isinstance(node, yaml.ScalarNode) and node.style is None:
            if path == ("id",):
                spot(node, "id", False)
            elif re.fullmatch(r"-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?", node.value):
                spot(node, "number", False)

    walk(yaml.compose(text, Loader=yaml.SafeLoader), ())
    return found


TEXT = BELARUS.read_text() if BELARUS.exists() else ""
SPOTS = _spots(TEXT) if TEXT else []
NUMBER_SPOTS = [s for s in SPOTS if s.kind == "number"]
ID_SPOTS = [s for s in SPOTS if s.kind == "id"]

booleans = st.sampled_from(["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off"])
sign = st.sampled_from(["", "-", "+"])
sexagesimal = st.builds(
    lambda s, h, m, rest: f"{s}{h}:{m:02d}{rest}",
    sign,
    st.integers(0, 999),
    st.integers(0, 59),
    st.sampled_from(["", ":30", ".5", ":07:15"]),
)
hexadecimal = st.builds(
    lambda s, x, n, upper: s + ("0X" if x else "0x") + (f"{n:X}" if upper else f"{n:x}"),
    sign,
    st.booleans(),
    st.integers(0, 2**40),
    st.booleans(),
)
binary = st.builds(lambda s, n: f"{s}0b{n:b}", sign, st.integers(0, 2**20))
octal = st.builds(
    lambda s, o, n: f"{s}{'0o' if o else '0'}{n:o}", sign, st.booleans(), st.integers(1, 2**20)
)
separated = st.builds(
    lambda a, b, frac: f"{a}_{b:03d}{frac}",
    st.integers(1, 999),
    st.integers(0, 999),
    st.sampled_from(["", ".5", "_000"]),
)
binary_tag = st.binary(min_size=1, max_size=12).map(
    lambda b: "!!binary " + base64.b64encode(b).decode()
)
other_tags = st.builds(
    lambda tag, value: f"{tag} {value}",
    st.sampled_from(
        [
            "!!python/name:os.system",
            "!!python/object/apply:os.system",
            "!!python/str",
            "!!timestamp",
            "!!set",
            "!!omap",
            "!foo",
            "!<tag:example.com,2024:x>",
        ]
    ),
    st.sampled_from(["1", "2020-01-01", "x", "0.5"]),
)
FORMS = st.one_of(
    booleans, sexagesimal, hexadecimal, binary, octal, separated, binary_tag, other_tags
)
#: One of each kind, for the deterministic test.
EACH_FORM = [
    "yes", "Off", "33:40", "-1:30:00", "0x1F", "0xff", "0b1010", "017", "0o17", "1_000",
    "!!binary aGVsbG8=", "!!python/name:os.system 1", "!foo x", "!!timestamp 2020-01-01",
]  # fmt: skip


def _edited(spot: Spot, form: str) -> str:
    return TEXT[: spot.start] + form + TEXT[spot.end :]


def _check_refused(line: str, path: Path, spot: Spot) -> None:
    """One located line at the edited value: file, its line, a column, a key path."""
    match = re.match(rf"error: {re.escape(str(path))}:(\d+):(\d+): (\S+: )?", line)
    assert match, line
    assert int(match.group(1)) == spot.line, (spot, line)
    if "YAML syntax error" not in line:
        assert match.group(3), line  # a key path


def _validate(text: str, folder: Path) -> tuple[int, str, Path]:
    path = folder / "belarus.yaml"
    path.write_text(text)
    # its stakeholder files, which it names relative to its folder
    shutil.copytree(BELARUS.parent / "belarus", folder / "belarus", dirs_exist_ok=True)
    err = io.StringIO()
    status = 0
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(["validate", str(path)])
        except SystemExit as exc:
            status = int(exc.code or 0)
    return status, err.getvalue(), path


@needs_belarus
def test_the_spots_cover_numbers_and_ids() -> None:
    """The generator has somewhere to write: plenty of numbers, ids as keys and as values."""
    assert len(NUMBER_SPOTS) > 300
    assert sum(s.key for s in ID_SPOTS) > 100
    assert sum(not s.key for s in ID_SPOTS) > 30
    assert TEXT[ID_SPOTS[0].start : ID_SPOTS[0].end] == "belarus"  # the model's own id


@needs_belarus
@FUZZ
@given(st.data())
def test_yaml11_forms_are_refused_with_one_located_line(data: st.DataObject) -> None:
    spot = data.draw(st.sampled_from(NUMBER_SPOTS if data.draw(st.booleans()) else ID_SPOTS))
    form = data.draw(FORMS)
    with tempfile.TemporaryDirectory() as folder:
        status, err, path = _validate(_edited(spot, form), Path(folder))
    lines = err.strip().splitlines()
    assert status == 2, (form, spot, err)
    assert len(lines) == 1 and "Traceback" not in err, err
    _check_refused(lines[0], path, spot)


@needs_belarus
@pytest.mark.parametrize("form", EACH_FORM)
@pytest.mark.parametrize("kind", ["number", "id key", "id value"])
def test_each_form_is_refused_in_each_kind_of_position(
    form: str, kind: str, tmp_path: Path
) -> None:
    """Every kind of form, at a fixed number, id key and id value (the first of each)."""
    spots = {
        "number": NUMBER_SPOTS,
        "id key": [s for s in ID_SPOTS if s.key],
        "id value": [s for s in ID_SPOTS if not s.key],
    }[kind]
    spot = spots[len(spots) // 2]
    path = tmp_path / "belarus.yaml"
    path.write_text(_edited(spot, form))
    with pytest.raises(DecisionError) as info:
        load_model(path)
    _check_refused("error: " + info.value.one_line(), path, spot)


@needs_belarus
def test_the_shipped_model_itself_loads() -> None:
    """The baseline of the property: unedited, the model is valid."""
    with tempfile.TemporaryDirectory() as folder:
        status, err, _ = _validate(TEXT, Path(folder))
    assert status == 0, err
