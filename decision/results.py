"""Plain result objects: what a notebook inspects and what serialises to JSON.

No numpy types leak out of ``to_dict()``; arrays stay on the objects for further analysis.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel, ScenarioInputs
    from decision.core.engine import Evaluation
    from decision.uncertainty.montecarlo import UncertaintySummary

RESULTS_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class FailedCondition:
    """One comparison (or boolean) inside a precondition that does not hold."""

    text: str
    values: dict[str, float]
    gap: float | None


@dataclass(frozen=True)
class FailedPrecondition:
    """A precondition that is not met, why it matters, and the values that failed it."""

    when: str
    reason: str
    evidence: list[str]
    conditions: list[FailedCondition]


@dataclass(frozen=True)
class OptionResult:
    """One option in one scenario."""

    id: str
    title: str
    recommendation: str
    reference: bool
    rank: int
    score: float
    available: bool
    failed: list[FailedPrecondition]
    performance: dict[str, float]
    contributions: dict[str, float]
    uncertainty: dict[str, Any] | None = None

    def top_contributions(self, n: int = 2) -> list[tuple[str, float]]:
        """The ``n`` criteria that add most to the score."""
        return sorted(self.contributions.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


@dataclass(frozen=True)
class ScenarioResult:
    """The evaluation of one scenario: options in rank order plus the arrays behind them."""

    scenario: str
    title: str
    description: str | None
    scenario_path: str
    model: str
    model_title: str
    model_path: str
    method: dict[str, Any]
    perspective: str | None
    weights: dict[str, float]
    indicators: dict[str, float]
    uncertain_indicators: list[str]
    samples: int
    seed: int
    option_ids: list[str]
    options: list[OptionResult]
    smaa: dict[str, Any] | None = None
    evaluation: Evaluation | None = field(default=None, repr=False, compare=False)
    compiled: CompiledModel | None = field(default=None, repr=False, compare=False)
    inputs: ScenarioInputs | None = field(default=None, repr=False, compare=False)
    summary: UncertaintySummary | None = field(default=None, repr=False, compare=False)

    @property
    def top(self) -> OptionResult:
        """The first-ranked option."""
        return self.options[0]

    def option(self, option_id: str) -> OptionResult:
        """The result of one option by id."""
        for result in self.options:
            if result.id == option_id:
                return result
        raise KeyError(option_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (the arrays are left out)."""
        skipped = {"evaluation", "compiled", "inputs", "summary"}
        return {
            f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in skipped
        }


def _plain(value: Any) -> Any:
    """Dataclasses to dicts, recursively, for JSON."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
