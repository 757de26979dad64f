"""Spec of a stakeholder file: one person's or group's elicited weights, kept apart from the
model so each stakeholder's answers have a file (and a history) of their own.

A model lists its stakeholder files (``stakeholders: [stakeholders/a.yaml, ...]``, paths
relative to the model file and inside its folder); the loader
(:mod:`decision.load.stakeholders`) reads each one, checks it against the model's criteria
and adds it to the model's perspectives under its ``id``, so every analysis of perspectives
(rankings, agreement, dividing criteria, the SMAA run over their weights) treats a stakeholder
file and an inline perspective alike. ``status`` keeps a modeller's illustration from passing
for the views of people who were asked.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from decision.specs.common import ItemId, Line, Spec, Text, at_key
from decision.specs.model import ElicitationSpec, PerspectiveSpec, ProvenanceSpec

#: Most stakeholder files one model may list.
MAX_STAKEHOLDERS = 100


class StakeholderSpec(Spec):
    """A stakeholder's weights as elicited, with who they stand for and how they were got."""

    id: ItemId = Field(description="The perspective id it becomes (unique in the model).")
    title: Line = Field(description="A short name, e.g. 'Security first'.")
    represents: Text = Field(
        description="Who the weights stand for: a person, a group or a role."
    )
    status: Literal["illustrative", "consulted"] = Field(
        description="illustrative: the modeller wrote the answers to show a point of view; "
        "consulted: the person or group gave them (say when and how in 'consulted')."
    )
    consulted: Line | None = Field(
        default=None,
        description="When and how the answers were collected (required with status "
        "consulted, refused with illustrative), e.g. 'workshop, 2024-05-14'.",
    )
    description: Text = Field(description="The view in a sentence (the perspective's own).")
    elicitation: ElicitationSpec = Field(
        description="The answers (swing, roc, ahp or direct); the weights are computed from "
        "them over the model's criteria."
    )
    provenance: ProvenanceSpec | None = Field(
        default=None,
        description="How sure the answers are and why (evidence ids are the model's); the "
        "weights are judgements by the elicitation's 'by'.",
    )

    @model_validator(mode="after")
    def _consulted_fits_status(self) -> StakeholderSpec:
        if self.status == "consulted" and self.consulted is None:
            raise at_key(
                "a consulted stakeholder needs 'consulted'",
                allowed="consulted: when and how the answers were collected, or status: "
                "illustrative",
            )
        if self.status == "illustrative" and self.consulted is not None:
            raise at_key(
                "'consulted' is given but the status is illustrative",
                "consulted",
                allowed="status: consulted with 'consulted', or illustrative without it",
            )
        return self

    def perspective(self, weights: dict[str, float]) -> PerspectiveSpec:
        """The perspective it becomes, with ``weights`` computed from its elicitation."""
        return PerspectiveSpec(
            description=self.description,
            elicitation=self.elicitation,
            provenance=self.provenance,
        ).model_copy(update={"weights": weights})
