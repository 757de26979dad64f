"""Where a report may be written: the checks on its output folder, for the command line and
the Python API alike.

The report replaces its folder whole (see :mod:`decision.files.atomic`), so the folder must be
one of its own: not a file, no name longer than the file system takes, not the current
directory or a folder above it, and not the folder of an input (the model, a scenario, a file
a scenario extends) or a folder above one. The inputs named on the command line are checked
before any work (:func:`checked_out_dir`); the model and the extended scenarios are known once
the study is loaded (:func:`check_out_against_study`). Every error names the argument as the
caller names it: ``--out`` on the command line, ``out`` in Python (see
:func:`named_as_python`, for the errors of the writing itself, which say ``--out``).

:func:`write_report` is ``decision.write_report``, the Python API's ``compare --out``: the
same checks and the same writer (:func:`decision.reports.writer.write_report`, which renders
and switches the folder and checks nothing about where), so the same bytes. It lives here,
not in :mod:`decision.study.api` with the other API functions, because the study stage does
not import the report stage.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from decision.errors import DecisionError, describe_value

if TYPE_CHECKING:
    from decision.study.study import Study

#: The longest file name (one path component) most file systems take, in bytes.
NAME_MAX = 255
#: How the Python API names the command line's report arguments.
PYTHON_NAMES = {"--out": "out", "--pdf": "pdf"}


def checked_out_dir(out_dir: str, inputs: Sequence[str | Path], name: str) -> Path:
    """The output folder ``out_dir``, absolute; refused when it is a file, when a name in it
    is too long, when it is (or holds) the current directory, or when it is or holds the
    folder of one of the ``inputs`` (wherever the caller runs from). ``name`` is the
    argument's name in the errors."""
    too_long = [part for part in Path(out_dir).parts if len(os.fsencode(part)) > NAME_MAX]
    if too_long:
        raise DecisionError(
            f"a name in '{_abbreviate(out_dir)}' is {len(os.fsencode(too_long[0])):,} bytes long",
            key_path=name,
            allowed=f"names of at most {NAME_MAX} bytes",
        )
    out = Path(os.path.abspath(out_dir))
    try:
        if out.exists() and not out.is_dir():
            raise DecisionError(f"'{out_dir}' is a file", key_path=name, allowed="a directory")
        resolved = out.resolve()
        here = Path.cwd().resolve()
    except OSError as exc:
        raise DecisionError(
            f"cannot use '{_abbreviate(out_dir)}': {exc.strerror or exc}",
            key_path=name,
            allowed="a directory path",
        ) from None
    if resolved == here or resolved in here.parents:
        raise DecisionError(
            f"refusing to write into '{out_dir}': it holds the current directory",
            key_path=name,
            allowed="a folder of its own for the report, e.g. reports/",
        )
    refuse_input_folders(resolved, out_dir, [Path(p) for p in inputs], name)
    return out


def study_inputs(study: Study) -> list[Path]:
    """The files behind a study that its scenario paths do not name: the model and every
    scenario a scenario extends."""
    paths: list[Path] = []
    for run in study.runs:
        paths.append(Path(run.result.model_path))
        paths.extend(Path(p) for p in run.inputs.chain)
    return paths


def check_out_against_study(out: Path, out_dir: str, study: Study, name: str) -> None:
    """The late part of the check: ``out`` (from :func:`checked_out_dir`) against the
    folders of the model and of every extended scenario."""
    refuse_input_folders(out.resolve(), out_dir, study_inputs(study), name)


def refuse_input_folders(resolved: Path, out_dir: str, inputs: Sequence[Path], name: str
                         ) -> None:
    """Refuse the resolved folder ``resolved`` when it is or holds an input's folder."""
    for path in inputs:
        try:
            folder = path.resolve().parent
        except OSError:
            continue
        if resolved == folder or resolved in folder.parents:
            raise DecisionError(
                f"refusing to write into '{out_dir}': the report would replace or mix with "
                f"the folder of '{path}'",
                key_path=name,
                allowed="a folder that neither is nor holds the folder of the model or of a "
                "scenario (a subfolder of one is fine), e.g. reports/",
            )


@contextlib.contextmanager
def named_as_python(names: Mapping[str, str] = PYTHON_NAMES) -> Iterator[None]:
    """Errors raised inside with a command-line flag as their key path (the report writer's
    and the PDF printer's say ``--out`` and ``--pdf``) raised again naming the Python
    argument instead; everything else in them is kept."""
    try:
        yield
    except DecisionError as error:
        if error.key_path is None or error.key_path not in names:
            raise
        raise DecisionError(
            error.what, file=error.file, line=error.line, column=error.column,
            key_path=names[error.key_path], allowed=error.allowed,
            quotes_input=error.quotes_input, at=error.at,
        ) from None


def write_report(study: Study, out: str | os.PathLike[str], *, pdf: bool = False) -> list[Path]:
    """``decision compare ... --out OUT`` from Python: the study's report written into the
    folder ``out`` (``report.md``, ``report.html``, ``brief.*``, ``results.json``,
    ``charts/``, ``manifest.json``, ...), byte for byte what the command writes for the same
    scenarios, methods, samples and seed; with ``pdf``, ``brief.pdf`` too (headless Chromium,
    looked for before anything else). Returns the paths written, ``report.md`` first.

    ``study`` is what ``decision.compare(...)`` returns with its analyses (``analyses=True``,
    the default). ``out`` (a str or PathLike) gets the command's checks, all at once since
    the study is loaded already (see the module docs). The folder is switched to the new
    report in one step (:mod:`decision.files.atomic`): the earlier report's files go, other
    files in it stay. Errors name ``study``, ``out`` and ``pdf``, never a flag.
    """
    from decision.reports.writer import write_report as write_files
    from decision.study.study import Study

    if not isinstance(study, Study):
        raise DecisionError(f"got {describe_value(study)}", key_path="study",
                            allowed="the Study that decision.compare(...) returns")
    if len(study.sensitivity) != len(study.runs):
        raise DecisionError(
            "this study was made without its analyses (analyses=False), and the report "
            "shows them",
            key_path="study",
            allowed="a study from decision.compare(...) with analyses=True (the default)",
        )
    out_dir = os.fspath(out) if isinstance(out, str | os.PathLike) else None
    if not isinstance(out_dir, str) or not out_dir:
        raise DecisionError(f"got {describe_value(out)}", key_path="out",
                            allowed="a path (str or PathLike) to the report's folder")
    if not isinstance(pdf, bool):
        raise DecisionError(f"got {describe_value(pdf)}", key_path="pdf",
                            allowed="True or False")
    with named_as_python():
        if pdf:
            from decision.reports.pdf import require_chromium

            require_chromium()
        folder = checked_out_dir(out_dir, [r.scenario_path for r in study.results], "out")
        check_out_against_study(folder, out_dir, study, "out")
        return write_files(study, folder, pdf=pdf)


def _abbreviate(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
