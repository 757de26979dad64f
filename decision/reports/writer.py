"""The comparative report's files, and writing them all-or-nothing.

``write_report(study, out_dir)`` writes ``report.md`` (charts under ``charts/``),
``report.html`` (one self-contained page), the one-page brief (``brief.md``, ``brief.html``
and, when asked, ``brief.pdf``; see :mod:`decision.reports.brief`), ``explorer.html`` (the
interactive page, :mod:`decision.reports.explorer`), ``results.json`` (the
data behind them all, see :mod:`decision.reports.data`), ``manifest.json`` (provenance, see
:mod:`decision.reports.provenance`) and the compact ``comparison.md``/``comparison.json``.
Everything is rendered in memory first; then every file is written into a new folder that
replaces the old one in one atomic step, so a reader or a killed run sees the old report or
the new one, never a mix.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from decision.errors import DecisionError
from decision.files.safe_read import read_bytes_limited
from decision.reports.data import report_data
from decision.reports.markdown import chart_path, render_markdown
from decision.reports.outline import build_charts, outline
from decision.reports.plain import to_json
from decision.reports.provenance import manifest_data

if TYPE_CHECKING:
    from decision.study.study import Study

REPORT_MD, REPORT_HTML, RESULTS_JSON, MANIFEST_JSON = (
    "report.md",
    "report.html",
    "results.json",
    "manifest.json",
)
# -------------------------------------------------------------------------------- files


def input_paths(study: Study) -> dict[str, str]:
    """Each input path the study holds (as given) -> the path shown in the report: relative
    to the deepest folder that holds every input (the model, the scenarios and the files they
    extend), so the report's bytes do not depend on the directory the command ran from."""
    given = {r.model_path for r in study.results} | {r.scenario_path for r in study.results}
    for run in study.runs:
        given |= {str(p) for p in run.inputs.chain}
    real = {path: os.path.realpath(path) for path in sorted(given)}
    base = os.path.commonpath([os.path.dirname(r) for r in real.values()])
    return {path: Path(os.path.relpath(r, base)).as_posix() for path, r in real.items()}


def shown_paths(study: Study, paths: dict[str, str]) -> Study:
    """The study with its results' model and scenario paths as the report shows them."""
    runs = [
        dataclasses.replace(
            run,
            result=dataclasses.replace(
                run.result,
                scenario_path=paths[run.result.scenario_path],
                model_path=paths[run.result.model_path],
            ),
        )
        for run in study.runs
    ]
    return dataclasses.replace(study, runs=runs)


def report_files(study: Study, pdf: bool = False) -> dict[str, bytes]:
    """Every file of the report by path relative to the output directory, in memory (with
    ``pdf``, ``brief.pdf`` too, printed by headless Chromium)."""
    from decision.reports.brief import brief_files
    from decision.reports.comparison import comparison_json, comparison_markdown
    from decision.reports.explorer import explorer_html
    from decision.reports.html import render_html

    paths = input_paths(study)
    real_study, study = study, shown_paths(study, paths)
    data = report_data(study)
    charts = build_charts(data)
    blocks = outline(data, charts)
    title = f"Comparative report: {data['model']['title']}"
    files: dict[str, bytes] = {
        REPORT_MD: render_markdown(blocks).encode(),
        REPORT_HTML: render_html(blocks, title).encode(),
        RESULTS_JSON: to_json(data).encode(),
        "comparison.md": comparison_markdown(study).encode(),
        "comparison.json": comparison_json(study).encode(),
        "explorer.html": explorer_html(study).encode(),
        **brief_files(data, pdf=pdf),
    }
    for chart in charts.values():
        files[chart_path(chart)] = chart.svg.encode()
    files[MANIFEST_JSON] = to_json(manifest_data(real_study, files, paths)).encode()
    _check_size(files, real_study)
    return files


#: A report may hold at most this many bytes per scenario and per character of its inputs
#: (the model and scenario files after alias expansion; the shipped study needs about 14,
#: the small test model 150, generated models of 5 to 600 options 120 to 190), plus
#: :data:`REPORT_BYTES_PER_SCENARIO` per scenario for the charts and the fixed text. Past it
#: something multiplies what a file says (an alias bomb the loader missed, a section repeated
#: per pair of options): the report is refused, not written.
REPORT_BYTES_PER_INPUT_CHAR = 256
REPORT_BYTES_PER_SCENARIO = 512 * 1024


def report_size_bound(study: Study) -> int | None:
    """The most bytes the study's report may hold (None when it was not read from files)."""
    if study.input_chars <= 0:
        return None
    scenarios = len(study.results)
    return scenarios * (REPORT_BYTES_PER_INPUT_CHAR * study.input_chars + REPORT_BYTES_PER_SCENARIO)


def _check_size(files: dict[str, bytes], study: Study) -> None:
    bound = report_size_bound(study)
    total = sum(len(data) for data in files.values())
    if bound is not None and total > bound:
        raise DecisionError(
            f"the report would be {total:,} bytes, over {bound:,} "
            f"({REPORT_BYTES_PER_INPUT_CHAR} per scenario and character of the inputs)",
            key_path="--out",
            allowed="inputs whose text is not multiplied in the report (please report it)",
        )


def write_report(study: Study, out_dir: str | Path, pdf: bool = False) -> list[Path]:
    """Render the report (with ``pdf``, ``brief.pdf`` too) and switch ``out_dir`` to it in
    one step (see :mod:`decision.files.atomic`).

    Files of the earlier report that this one no longer has (charts of a dropped scenario) go
    with the old version, but only those the earlier run wrote: a file is the tool's when its
    name is one the tool writes (:func:`is_report_file`) and its bytes still have the hash the
    old manifest records. Everything else in the folder is kept. Returns the paths written,
    report.md first.
    """
    from decision.files.atomic import replace_directory

    out = Path(out_dir)
    files = report_files(study, pdf=pdf)
    replace_directory(out, files, previous_outputs)
    return [out / name for name in files]


#: Names of the files a report consists of, relative to its folder (charts are named by kind
#: and scenario id); only files with such names are ever removed from an output folder.
REPORT_FILE = re.compile(
    r"(report\.md|report\.html|explorer\.html|brief\.md|brief\.html|brief\.pdf|results\.json"
    r"|comparison\.md|comparison\.json|manifest\.json"
    r"|charts/(ranking|coverage-density|discovery-box"
    r"|(acceptability|contributions|frontier|pathway|tornado|waterfall|weights)"
    r"-[A-Za-z0-9][A-Za-z0-9_.-]{0,200})\.svg)"
)
#: The largest previous manifest read (a real one is a few kilobytes).
MAX_MANIFEST_BYTES = 4_000_000


def is_report_file(name: str) -> bool:
    """Whether ``name`` (relative, with /) is a name this tool gives a report file."""
    return REPORT_FILE.fullmatch(name) is not None and ".." not in name


def previous_outputs(out: Path) -> set[str]:
    """Files of the report now in ``out`` that its own run wrote, by relative path.

    The old manifest is untrusted input: it is read only if it is a regular file of at most
    :data:`MAX_MANIFEST_BYTES`; an entry counts only if its name is a report file's and the
    file there is a regular file whose SHA-256 is the one recorded.
    """
    raw = _read_regular(out / MANIFEST_JSON, MAX_MANIFEST_BYTES)
    if raw is None:
        return set()
    try:
        outputs = json.loads(raw.decode("utf-8"))["outputs"]
    except (ValueError, KeyError, TypeError, RecursionError):  # nested past Python's stack too
        return set()
    if not isinstance(outputs, dict):
        return set()
    found = {MANIFEST_JSON}
    for name, digest in outputs.items():
        if not (isinstance(name, str) and isinstance(digest, str) and is_report_file(name)):
            continue
        data = _read_regular(out / name, 1 << 30)
        if data is not None and hashlib.sha256(data).hexdigest() == digest:
            found.add(name)
    return found


def _read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file (not a link) of at most ``limit`` bytes, else None."""
    if path.is_symlink():
        return None
    try:
        return read_bytes_limited(path, limit)
    except DecisionError:
        return None
