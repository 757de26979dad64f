"""Stakeholder files a model lists: where they may be, what they must agree with, and how they
join the model's perspectives.

Their paths come from a file, so they are untrusted: a path must be relative, free of ``..``,
name a ``.yaml``/``.yml`` file, and still lie inside the model's folder once symbolic links are
resolved, or the model is refused at its ``stakeholders`` entry. The reading and shape checks
are the loader's (:mod:`decision.load.loading`); this module holds the rules around them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic_core import PydanticCustomError

from decision.errors import DecisionError, did_you_mean, list_allowed
from decision.files.yamlio import Document
from decision.specs.model import ModelSpec
from decision.specs.resolved import LoadedStakeholder
from decision.specs.stakeholder import StakeholderSpec

SUFFIXES = (".yaml", ".yml")
#: Keys a mapping needs before it is read as a stakeholder file (and quoted in messages).
STAKEHOLDER_KEYS = ("id", "elicitation")


def stakeholder_path(value: str, model_file: Path, document: Document, index: int) -> Path:
    """The file the model's ``stakeholders[index]`` names, or an error located there."""
    where = ("stakeholders", index)
    allowed = (
        "a relative path to a .yaml or .yml file inside the model's folder, e.g. "
        "stakeholders/security-first.yaml"
    )
    raw = Path(value)
    if raw.is_absolute() or value.startswith(("/", "\\")):
        raise document.error(f"'{value}' is an absolute path", where, allowed=allowed)
    if ".." in raw.parts or ".." in value.replace("\\", "/").split("/"):
        raise document.error(f"'{value}' climbs out with '..'", where, allowed=allowed)
    if raw.name in ("", ".") or raw.suffix not in SUFFIXES:
        raise document.error(f"'{value}' is not a .yaml or .yml file", where, allowed=allowed)
    folder = model_file.parent
    target = folder / raw
    root = Path(os.path.realpath(folder))
    if not Path(os.path.realpath(target)).is_relative_to(root):
        raise document.error(
            f"'{value}' leads outside the model's folder (through a symbolic link)",
            where,
            allowed=allowed,
        )
    if not target.is_file():
        raise document.error(f"stakeholder file '{value}' not found", where, allowed=allowed)
    return target


def looks_like_stakeholder(data: object) -> bool:
    """Whether a file's data has the keys of a stakeholder file (so it may be quoted)."""
    return isinstance(data, dict) and all(key in data for key in STAKEHOLDER_KEYS)


def stakeholder_problems(
    stakeholder: StakeholderSpec, model: ModelSpec, document: Document, taken: Sequence[str]
) -> Iterator[DecisionError]:
    """What a well-formed stakeholder file gets wrong against its model, located in the
    stakeholder file: an id ``taken`` already (an inline perspective or an earlier file), an
    elicitation that does not name exactly the model's criteria, unknown evidence."""
    if stakeholder.id in taken:
        yield document.error(
            f"perspective '{stakeholder.id}' is already defined (inline or by an earlier "
            "stakeholder file)",
            ("id",),
            allowed="an id no other perspective of the model has",
        )
    try:
        stakeholder.elicitation.check_criteria(list(model.criteria), "elicitation")
    except PydanticCustomError as exc:
        context = exc.context or {}
        yield document.error(
            str(context.get("message", exc.message())),
            tuple(context.get("key") or ("elicitation",)),
            allowed=str(context.get("allowed") or "") or None,
        )
    cited = stakeholder.provenance.evidence if stakeholder.provenance else []
    for index, name in enumerate(cited):
        if name not in model.evidence:
            yield document.error(
                f"unknown evidence '{name}'{did_you_mean(name, model.evidence)}",
                ("provenance", "evidence", index),
                allowed=f"evidence ids defined in the model: {list_allowed(model.evidence)}",
            )


def with_stakeholders(model: ModelSpec, stakeholders: Sequence[LoadedStakeholder]) -> ModelSpec:
    """The model with each stakeholder file added to its perspectives (after the inline ones,
    in the order listed), its weights computed from its elicitation."""
    if not stakeholders:
        return model
    criteria = list(model.criteria)
    perspectives = dict(model.perspectives)
    for loaded in stakeholders:
        spec = loaded.spec
        perspectives[spec.id] = spec.perspective(spec.elicitation.weights(criteria))
    return model.model_copy(update={"perspectives": perspectives})
