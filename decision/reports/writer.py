"""The comparative report's files, and writing them all-or-nothing.

``write_report(study, out_dir)`` writes ``report.md`` (charts under ``charts/``),
``report.html`` (one self-contained page), ``results.json`` (the data behind both, see
:mod:`decision.reports.manifest`), ``manifest.json`` (provenance) and the compact
``comparison.md``/``comparison.json``. Everything is rendered in memory first; then every file
is written atomically, and if any write fails the previous files are put back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from decision.reports.manifest import manifest_data, report_data, to_json
from decision.reports.markdown import chart_path, render_markdown
from decision.reports.outline import build_charts, outline
from decision.study import Study

REPORT_MD, REPORT_HTML, RESULTS_JSON, MANIFEST_JSON = (
    "report.md",
    "report.html",
    "results.json",
    "manifest.json",
)
# -------------------------------------------------------------------------------- files


def report_files(study: Study) -> dict[str, bytes]:
    """Every file of the report by path relative to the output directory, in memory."""
    from decision.reports.comparison import comparison_json, comparison_markdown
    from decision.reports.html import render_html

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
    }
    for chart in charts.values():
        files[chart_path(chart)] = chart.svg.encode()
    files[MANIFEST_JSON] = to_json(manifest_data(study, files)).encode()
    return files


def write_report(study: Study, out_dir: str | Path) -> list[Path]:
    """Render the report and write its files into ``out_dir``, all or nothing.

    Files of an earlier report that this one no longer has (charts of a dropped scenario) are
    removed afterwards. Returns the paths written, report.md first.
    """
    out = Path(out_dir)
    files = {out / name: data for name, data in report_files(study).items()}
    previous_outputs = _previous_outputs(out)
    commit(files)
    for name in sorted(previous_outputs - {str(p.relative_to(out).as_posix()) for p in files}):
        stale = out / name
        if name.startswith("charts/") and stale.is_file():
            stale.unlink()
    return list(files)


def _previous_outputs(out: Path) -> set[str]:
    try:
        manifest = json.loads((out / MANIFEST_JSON).read_text(encoding="utf-8"))
        return {str(name) for name in manifest["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def commit(files: Mapping[Path, bytes]) -> None:
    """Write the files atomically (all in full first, then all put in place; see
    :mod:`decision.atomic`, which also restores the old files if a rename fails part-way)."""
    from decision.atomic import write_files_atomically

    write_files_atomically(dict(files))
