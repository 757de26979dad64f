"""Provenance of a report (``manifest.json``): input hashes, run settings, versions and the
hash of every file written."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decision.errors import DecisionError
from decision.reports.charts import RENDERER
from decision.reports.schema import MANIFEST_KIND, MANIFEST_SCHEMA_VERSION, REPORT_SCHEMA_VERSION
from decision.results import to_data

if TYPE_CHECKING:
    from decision.study.study import Study


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise DecisionError(
            f"cannot read '{path}' to record its hash: {exc.strerror}",
            allowed="input files that still exist, relative to the current directory",
        ) from None


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _chains(study: Study) -> dict[str, list[str]]:
    """Each scenario path -> the files it extends (root first), as the loader resolves them."""
    return {run.result.scenario_path: [str(p) for p in run.inputs.chain[:-1]] for run in study.runs}


def manifest_data(
    study: Study, outputs: Mapping[str, bytes], shown: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Provenance of a report: input hashes, run settings, versions, output hashes.

    Files are hashed at the paths the study holds and recorded as ``shown`` maps them (by
    default as given)."""
    from decision._version import __version__

    def name(path: str) -> str:
        return shown.get(path, path) if shown is not None else path

    chains = _chains(study)
    first = study.results[0]
    comparisons = study.method_comparisons
    robustness = study.robustness.result if study.robustness is not None else None
    return {
        "schema_version": MANIFEST_SCHEMA_VERSION,
        "kind": MANIFEST_KIND,
        "tool": {"name": "decision", "distribution": "policy-decision-brief",
                 "version": __version__},
        "renderer": {"charts": f"{RENDERER} {__version__}"},
        "results_schema_version": REPORT_SCHEMA_VERSION,
        "model": {
            "path": name(first.model_path),
            "sha256": sha256_file(first.model_path),
            "stakeholders": _stakeholders(study, name(first.model_path)),
        },
        "scenarios": [
            {
                "id": r.scenario,
                "path": name(r.scenario_path),
                "sha256": sha256_file(r.scenario_path),
                "extends": [{"path": name(p), "sha256": sha256_file(p)}
                            for p in chains[r.scenario_path]],
                "method": to_data(r.method),
                "perspective": r.perspective,
                "samples": r.samples,
                "seed": r.seed,
            }
            for r in study.results
        ],
        "analysis": {
            "baseline": study.baseline.scenario,
            "methods": list(comparisons[0].methods) if comparisons else [],
            "hurwicz_alpha": None if robustness is None else robustness.hurwicz_alpha,
            "regret_percentile": None if robustness is None else robustness.regret_percentile,
            "threshold": None if robustness is None else robustness.satisficing_threshold,
        },
        "outputs": {name: sha256_bytes(data) for name, data in sorted(outputs.items())},
    }


def _stakeholders(study: Study, shown_model: str) -> list[dict[str, str]]:
    """Path (beside the model's, as shown) and sha256 of each stakeholder file the model lists:
    its weights are inputs as much as the model's own, so editing one makes a report stale."""
    model_path = Path(study.results[0].model_path)
    listed = study.baseline_run.model.spec.stakeholders or []
    shown_folder = Path(shown_model).parent
    return [
        {"path": (shown_folder / relative).as_posix(),
         "sha256": sha256_file(model_path.parent / relative)}
        for relative in listed
    ]
