"""Loading plain decision matrices (CSV, YAML) and parsing --weights / --types."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from decision.errors import DecisionError
from decision.files import matrix as matrix_module
from decision.files.matrix import load_matrix, parse_types, parse_weights

CSV = "option,cost,quality,speed\nA,250,0.7,3\nB,300,0.9,2\n\n"
YAML_LIST = "criteria: [cost, quality, speed]\noptions:\n  A: [250, 0.7, 3]\n  B: [300, 0.9, 2]\n"
YAML_MAP = (
    "criteria: [cost, quality, speed]\noptions:\n  A: [250, 0.7, 3]\n"
    "  B: {speed: 2, cost: 300, quality: 0.9}\n"
)


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("name", "text"), [("m.csv", CSV), ("m.yaml", YAML_LIST),
                                            ("m.yml", YAML_MAP)])
def test_formats_load_the_same_matrix(tmp_path: Path, name: str, text: str) -> None:
    matrix = load_matrix(_write(tmp_path, name, text))
    assert matrix.options == ("A", "B")
    assert matrix.criteria == ("cost", "quality", "speed")
    np.testing.assert_array_equal(matrix.values, [[250, 0.7, 3], [300, 0.9, 2]])
    assert matrix.values.dtype == np.float64


def test_csv_with_bom_quotes_and_spaces(tmp_path: Path) -> None:
    text = '\ufeff , "cost" , quality\n"Option, one", 1 , 2\n'
    matrix = load_matrix(_write(tmp_path, "m.csv", text))
    assert matrix.options == ("Option, one",) and matrix.criteria == ("cost", "quality")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "m.csv:1:1: file is empty"),
        ("\n\n", "m.csv:1:1: file is empty"),
        ("option\nA\n", "m.csv:1:1: the header row names no criteria"),
        ("option,cost\n", "m.csv:1:1: no option rows after the header"),
        ("option,cost,quality\nA,1,2\nB,3\n",
         "m.csv:3:1: row has 2 cells, the header has 3; allowed: option name and 2 numbers"),
        ("option,cost\nA,cheap\n", "m.csv:2:3: A.cost: 'cheap' is not a number; allowed: a finite"),
        ("option,cost\nA,nan\n", "m.csv:2:3: A.cost: 'nan' is not a number"),
        ("option,cost\nA,inf\n", "m.csv:2:3: A.cost: 'inf' is not a number"),
        ("option,cost\nA,\n", "m.csv:2:3: A.cost: missing value"),
        ("option,cost\nA,1\nA,2\n", "m.csv:3:1: duplicate option name 'A'"),
        ("option,cost,cost\nA,1,2\n", "m.csv:1:13: duplicate criterion name 'cost'"),
        ("option,cost\n,1\n", "m.csv:2:1: empty option name"),
    ],
)
def test_bad_csv(tmp_path: Path, text: str, message: str) -> None:
    """Every problem names the file, line and column (the cell's own, for a cell)."""
    with pytest.raises(DecisionError) as caught:
        load_matrix(_write(tmp_path, "m.csv", text))
    assert message in caught.value.one_line()
    assert str(tmp_path) in caught.value.one_line()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "m.yaml:1:1: file is empty"),
        ("criteria: [a]\n", "m.yaml:1:1: missing 'options'"),
        ("criteria: [a]\noptions: {A: [1]}\nweights: [1]\n",
         "m.yaml:3:1: unknown key 'weights'"),
        ("criteria: a\noptions: {A: [1]}\n",
         "m.yaml:1:1: criteria: criteria must be a non-empty"),
        ("criteria: [a, b]\noptions:\n  A: [1]\n",
         "m.yaml:3:3: options.A: 1 values for 2 criteria"),
        ("criteria: [a]\noptions:\n  A: [x]\n", "m.yaml:3:7: options.A.a: 'x' is not a number"),
        ("criteria: [a]\noptions:\n  A: [.nan]\n", "options.A.a: 'nan' is not a number"),
        ("criteria: [a]\noptions:\n  A: [1.0e999]\n", "is not a number; allowed: a finite"),
        ("criteria: [a]\noptions:\n  A: [true]\n", "m.yaml:3:7: options.A.a: expected a number"),
        ("criteria: [a, b]\noptions:\n  A: {a: 1}\n", "m.yaml:3:3: options.A: no value for b"),
        ("criteria: [a]\noptions:\n  A: {a: 1, z: 2}\n",
         "m.yaml:3:13: options.A: unknown key 'z'"),
        ("criteria: [a]\noptions:\n  A: [1]\n  A: [2]\n",
         "m.yaml:4:3: options.A: duplicate key 'A' (first at line 3)"),
        ("criteria: [a]\noptions:\n  A: [1]\n  ' A': [2]\n",
         "m.yaml:4:3: duplicate option name 'A'"),
        ("criteria: [a, a]\noptions: {A: [1, 2]}\n", "m.yaml:1:15: duplicate criterion name 'a'"),
        ("criteria: [a]\noptions:\n  A: [[1]]\n", "m.yaml:3:7: options.A.a: expected a number"),
        ("criteria: [a\n", "m.yaml:2:1: YAML syntax error"),
        ("- 1\n", "m.yaml:1:1: expected a mapping"),
        ("criteria: [a]\noptions: {A: [1]}\n" + "x: " + "[" * 20_000 + "]" * 20_000 + "\n",
         "m.yaml:3: brackets nested deeper than 64 levels"),
    ],
)
def test_bad_yaml(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DecisionError) as caught:
        load_matrix(_write(tmp_path, "m.yaml", text))
    assert message in caught.value.one_line()


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(DecisionError, match=r"unknown matrix file type '\.txt'"):
        load_matrix(_write(tmp_path, "m.txt", CSV))
    with pytest.raises(DecisionError, match="matrix not found"):
        load_matrix(tmp_path / "missing.csv")
    binary = tmp_path / "m.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(DecisionError, match="not UTF-8"):
        load_matrix(binary)


def test_parse_weights() -> None:
    np.testing.assert_array_equal(parse_weights("0.3, 0.4,0.3", 3), [0.3, 0.4, 0.3])
    np.testing.assert_array_equal(parse_weights("2,1"), [2.0, 1.0])
    for text, message in [("0.3,x", "weight 2 is 'x'"), ("1,-1", "weight 2 is '-1'"),
                          ("1,nan", "weight 2 is 'nan'"), ("0,0", "all zero"),
                          ("1,2", "2 values for 3 criteria"), ("", "weight 1 is ''")]:
        with pytest.raises(DecisionError, match=message) as caught:
            parse_weights(text, 3 if "criteria" in message else None)
        assert caught.value.one_line().startswith("--weights: ")


def test_parse_types() -> None:
    np.testing.assert_array_equal(parse_types("1,-1,+1"), [True, False, True])
    np.testing.assert_array_equal(parse_types("Benefit, cost,max,MIN", 4),
                                  [True, False, True, False])
    with pytest.raises(DecisionError, match="--types: type 2 is 'up'; allowed: comma-separated"):
        parse_types("1,up")
    with pytest.raises(DecisionError, match="1 values for 2 criteria"):
        parse_types("1", 2)


def test_non_regular_files_are_refused_without_reading(tmp_path: Path) -> None:
    """A device would be read until memory runs out and a FIFO would block forever."""
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    with pytest.raises(DecisionError, match="is a FIFO"):
        load_matrix(fifo)
    device = tmp_path / "zero.yaml"
    device.symlink_to("/dev/zero")
    with pytest.raises(DecisionError, match="is a character device"):
        load_matrix(device)
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(DecisionError, match="is a directory"):
        load_matrix(tmp_path / "dir.csv")


def test_size_is_capped_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_module, "MAX_FILE_BYTES", len(CSV) - 1)
    with pytest.raises(DecisionError, match=f"more than {len(CSV) - 1} bytes"):
        load_matrix(_write(tmp_path, "m.csv", CSV))
    monkeypatch.setattr(matrix_module, "MAX_FILE_BYTES", len(CSV))
    assert load_matrix(_write(tmp_path, "m.csv", CSV)).options == ("A", "B")


def test_matrices_remember_option_lines(tmp_path: Path) -> None:
    assert load_matrix(_write(tmp_path, "m.csv", "o,a\n\nA,1\nB,2\n")).lines == (3, 4)
    assert load_matrix(_write(tmp_path, "m.yaml", YAML_MAP)).lines == (3, 4)


@pytest.mark.parametrize(("alternatives", "criteria", "says"), [
    (("a\x9b1", "a2"), ("c1", "c2"), "alternative name holds the control character U+009B"),
    (("a1", "a2"), ("c1", "c\x85"), "criterion name holds the control character U+0085"),
])
def test_xmcda_names_with_control_characters_are_refused(
    alternatives: tuple[str, ...], criteria: tuple[str, ...], says: str
) -> None:
    """XML cannot carry ESC, but it can carry the C1 controls (CSI is a terminal escape)."""
    from decision.files.matrix import table_matrix
    from decision.files.xmcda import XmcdaTable

    table = XmcdaTable(alternatives, criteria, np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(DecisionError, match=re.escape(says)):
        table_matrix(table, "m.xml")


def test_cell_columns_follow_quotes_spaces_and_doubled_quotes(tmp_path: Path) -> None:
    text = 'o, a ,"b,c",d\n"A, ""x""", 1,"2",zz\n'
    with pytest.raises(DecisionError) as caught:
        load_matrix(_write(tmp_path, "m.csv", text))
    assert "m.csv:2:19: A, \"x\".d: 'zz' is not a number" in caught.value.one_line()
