"""The checkpoint's codec reads back the same bits without pickle; its header and stages refuse
a folder written for other inputs."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from decision.errors import DecisionError
from decision.uncertainty.checkpoint import Checkpoint, decode, encode
from decision.uncertainty.smaa import SmaaTally

arrays = hnp.arrays(
    dtype=st.sampled_from([np.int64, np.float64, np.bool_, np.uint32]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
)
leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                   st.text(max_size=5), arrays)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
trees = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.tuples(inner, inner)), max_leaves=8)


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
                and a.tobytes() == b.tobytes())
    if isinstance(a, list | tuple):
        return (type(a) is type(b) and len(a) == len(b)  # type: ignore[arg-type]
                and all(_same(x, y) for x, y in zip(a, b, strict=True)))  # type: ignore[call-overload]
    return type(a) is type(b) and a == b


@settings(max_examples=EXAMPLES, deadline=None)
@given(trees)
def test_a_tree_reads_back_bit_for_bit(tree: object) -> None:
    assert _same(decode(encode(tree)), tree)


def test_a_tally_reads_back_with_its_type_and_big_sums() -> None:
    tally = SmaaTally(3, np.arange(4).reshape(2, 2), np.eye(2, dtype=np.int64),
                      [[2**70, -1], [0, 5]])
    back = decode(encode([tally, None]))
    assert isinstance(back[0], SmaaTally) and back[1] is None
    assert back[0].weight_sums == [[2**70, -1], [0, 5]]
    assert np.array_equal(back[0].rank_counts, tally.rank_counts)


def test_what_it_cannot_store_is_refused_not_pickled() -> None:
    with pytest.raises(TypeError):
        encode(Path("x"))


def test_other_inputs_are_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ck"
    Checkpoint(folder, {"files": {"a.yaml": "1"}}).stage(0, "s-first", {"seed": 1})
    Checkpoint(folder, {"files": {"a.yaml": "1"}}).stage(0, "s-first", {"seed": 1})  # same
    with pytest.raises(DecisionError) as header:
        Checkpoint(folder, {"files": {"a.yaml": "2"}})
    assert "files.a.yaml differ" in header.value.one_line()
    with pytest.raises(DecisionError) as stage:
        Checkpoint(folder, {"files": {"a.yaml": "1"}}).stage(0, "s-first", {"seed": 2})
    line = stage.value.one_line()
    assert line.startswith("--checkpoint: ") and "seed differ" in line and "\n" not in line


def test_a_folder_that_is_not_a_checkpoint_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(DecisionError, match="not empty and is not a checkpoint"):
        Checkpoint(tmp_path, {})


def test_nothing_is_written_before_the_first_stage(tmp_path: Path) -> None:
    folder = tmp_path / "ck"
    Checkpoint(folder, {"files": {}})  # a run refused for bad input stops here
    assert not folder.exists()
    Checkpoint(folder, {"files": {"b.yaml": "1"}}).stage(0, "s", {})  # the input fixed
    assert (folder / "checkpoint.json").exists()


def test_a_class_outside_the_package_is_not_built() -> None:
    import io

    tree = b'{"class":"os:system","fields":{"command":"true"}}'
    buffer = io.BytesIO()
    np.savez(buffer, __tree__=np.frombuffer(tree, dtype=np.uint8))
    with pytest.raises(ValueError, match="unexpected class"):
        decode(buffer.getvalue())
