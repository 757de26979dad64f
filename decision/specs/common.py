"""Building blocks shared by the model and scenario specs."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

#: Ids of indicators double as names in precondition expressions, so they are identifiers.
IndicatorId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
#: Ids of options, criteria, evidence and perspectives: lower case, digits, '-' and '_'.
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number (not NaN or infinity)")
    return value


FiniteFloat = Annotated[float, AfterValidator(_finite)]
UnitFloat = Annotated[float, AfterValidator(_finite), Field(ge=0.0, le=1.0)]
Weight = Annotated[float, AfterValidator(_finite), Field(ge=0.0)]


class Spec(BaseModel):
    """Base of every file spec: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)
