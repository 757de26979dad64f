"""The examples run, and write nothing outside their own temporary folders.

Each example is run as a user would run it (``python examples/notebook.py``), from a copy of
the folders it reads (``examples/``, ``models/``, ``scenarios/``, ``cases/``) laid out as in the
repository, with the working directory and the temporary directory elsewhere: afterwards every
copied file must be byte-identical, no file may have been added to the copy or the working
directory, and the temporary directory must be empty again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
READ = ("examples", "models", "scenarios", "cases")


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_there_is_a_notebook_example() -> None:
    notebook = ROOT / "examples" / "notebook.py"
    assert notebook in EXAMPLES
    text = notebook.read_text()
    assert text.count("\n# %%") >= 8  # cells, as Jupyter, VS Code and Spyder read them


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs_and_writes_nothing(example: Path, tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    tree = tmp_path / "tree"
    for name in READ:
        shutil.copytree(ROOT / name, tree / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".*"))
    work, temporary = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    temporary.mkdir()
    before = _snapshot(tree)
    env = {**os.environ, "TMPDIR": str(temporary), "PYTHONDONTWRITEBYTECODE": "1",
           "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, str(tree / "examples" / example.name)],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert result.stdout.strip(), "the example printed nothing"
    assert _snapshot(tree) == before, "the example changed or added files beside its inputs"
    assert list(work.iterdir()) == [], "the example wrote into the working directory"
    assert list(temporary.iterdir()) == [], "the example left temporary files"


def test_notebook_example_shows_what_it_says() -> None:
    """The tour's output holds each part (run in-process from the repository: it reads the
    committed files only)."""
    pytest.importorskip("pandas")
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "notebook.py")],
        cwd=ROOT / "examples", capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for text in ("<ScenarioResult 'baseline' of model 'belarus'", "<Study of 3 scenarios",
                 "unavailable: ['r3-ambassador-when-timely', 'conditional-engagement']",
                 "best bundle:", "becomes available when", "baseline.xml: 8 alternatives"):
        assert text in out, text
    assert "NaN" in out  # unavailable options' scores in the frames
