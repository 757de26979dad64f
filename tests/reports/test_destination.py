"""Where a report may be written (decision.reports.destination) and ``decision.write_report``:
the Python API writes the same bytes as ``compare --out``, with the same guards on the folder,
and its errors name ``study``, ``out`` and ``pdf``, never a flag."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import decision
from decision.reports.destination import checked_out_dir, named_as_python
from decision.study.study import Study
from tests.conftest import DATA, CliResult

#: Hypothesis examples per property (``make fuzz`` raises it).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))

#: The options of both runs: a few samples, a fixed seed, two methods (so the method
#: comparison is in the report too).
SAMPLES, SEED, METHODS = 64, 7, "wsm,topsis"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small model in models/ with its scenarios in scenarios/ (one extends another, so
    the model's folder is known only once the study is loaded)."""
    root = tmp_path_factory.mktemp("project")
    (root / "models").mkdir()
    shutil.copy(DATA / "mini" / "model.yaml", root / "models" / "model.yaml")
    shutil.copytree(DATA / "mini", root / "scenarios", ignore=shutil.ignore_patterns("model*"))
    for name in ("base.yaml", "open.yaml"):
        path = root / "scenarios" / name
        path.write_text(path.read_text().replace("model: model.yaml",
                                                 "model: ../models/model.yaml"))
    return root


@pytest.fixture(scope="module")
def study(project: Path) -> Study:
    return decision.compare([project / "scenarios" / "base.yaml",
                             project / "scenarios" / "open.yaml"],
                            methods=METHODS, samples=SAMPLES, seed=SEED)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_report_is_the_commands_byte_for_byte(
    project: Path, study: Study, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    cli = run_cli("compare", str(project / "scenarios" / "base.yaml"),
                  str(project / "scenarios" / "open.yaml"), "--methods", METHODS,
                  "--samples", str(SAMPLES), "--seed", str(SEED), "--out", str(tmp_path / "cli"))
    assert cli.status == 0, cli.err
    written = decision.write_report(study, tmp_path / "api")
    assert written[0] == tmp_path / "api" / "report.md"
    api, expected = _files(tmp_path / "api"), _files(tmp_path / "cli")
    assert sorted(api) == sorted(expected)
    assert {"report.md", "report.html", "results.json", "manifest.json", "brief.md"} <= set(api)
    assert any(name.startswith("charts/") for name in api)
    assert [name for name in api if api[name] != expected[name]] == []
    assert sorted(p.relative_to(tmp_path / "api").as_posix() for p in written) == sorted(api)


def _refused(call: Callable[[], object], key_path: str, *says: str) -> str:
    with pytest.raises(decision.DecisionError) as error:
        call()
    line = error.value.one_line()
    assert error.value.key_path == key_path, line
    assert "--" not in line.split(";")[0], line
    for text in says:
        assert text in line, (text, line)
    return line


def test_the_models_folder_is_refused_naming_out(project: Path, study: Study) -> None:
    before = _files(project)
    _refused(lambda: decision.write_report(study, project / "models"), "out",
             "refusing to write into", "the folder of", "model.yaml")
    _refused(lambda: decision.write_report(study, str(project)), "out", "refusing to write")
    _refused(lambda: decision.write_report(study, project / "scenarios"), "out",
             "the folder of")
    assert _files(project) == before


def test_the_current_directory_and_a_file_are_refused(
    project: Path, study: Study, tmp_path: Path
) -> None:
    with contextlib.chdir(tmp_path):
        _refused(lambda: decision.write_report(study, "."), "out",
                 "holds the current directory")
    _refused(lambda: decision.write_report(study, project / "models" / "model.yaml"), "out",
             "is a file")
    _refused(lambda: decision.write_report(study, tmp_path / ("x" * 300)), "out",
             "300 bytes long")
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments_name_the_argument(project: Path, study: Study, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    _refused(lambda: decision.write_report(study.runs, out), "study",  # type: ignore[arg-type]
             "got a list", "decision.compare")
    plain = decision.compare(project / "scenarios" / "base.yaml", samples=1, analyses=False)
    _refused(lambda: decision.write_report(plain, out), "study", "analyses=False")
    _refused(lambda: decision.write_report(study, 3), "out", "got the number 3")  # type: ignore[arg-type]
    _refused(lambda: decision.write_report(study, ""), "out")
    _refused(lambda: decision.write_report(study, b"report"), "out")  # type: ignore[arg-type]
    _refused(lambda: decision.write_report(study, out, pdf="yes"), "pdf")  # type: ignore[arg-type]
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-chromium"))
    _refused(lambda: decision.write_report(study, out, pdf=True), "pdf",
             "none was found", "apt-get install chromium")
    assert list(tmp_path.iterdir()) == []


_PART = st.sampled_from(["a", "b", "c"])


@settings(max_examples=EXAMPLES, deadline=None)
@given(inputs=st.lists(_PART, max_size=3), out=st.lists(_PART, max_size=4))
def test_out_is_refused_exactly_when_it_is_or_holds_an_inputs_folder(
    inputs: list[str], out: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as here, \
            contextlib.chdir(here):
        folder = Path(root, *inputs)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "s.yaml").write_text("id: s\n")
        target = os.path.join(root, *out)
        holds = out == inputs[: len(out)]
        try:
            got = checked_out_dir(target, [str(folder / "s.yaml")], "out")
        except decision.DecisionError as error:
            assert holds, error.one_line()
            assert error.key_path == "out"
        else:
            assert not holds
            assert got == Path(target)


@settings(max_examples=EXAMPLES)
@given(flag=st.sampled_from(["--out", "--pdf", "--method", None]), what=st.text(max_size=20),
       allowed=st.none() | st.text(max_size=20))
def test_flags_become_python_names_and_nothing_else_changes(
    flag: str | None, what: str, allowed: str | None
) -> None:
    with pytest.raises(decision.DecisionError) as error, named_as_python():
        raise decision.DecisionError(what, key_path=flag, allowed=allowed, file="f", line=3)
    expected = {"--out": "out", "--pdf": "pdf"}.get(flag or "", flag)
    assert error.value.key_path == expected
    assert (error.value.what, error.value.allowed, error.value.file, error.value.line) == (
        what, allowed, "f", 3)
