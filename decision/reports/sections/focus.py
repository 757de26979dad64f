"""Which scenario and which portfolio analysis the report centres on.

The plan's base scenario (the baseline without a plan) and the baseline's portfolio
analysis: several sections and the chart jobs pick them, so they are chosen in one place.
"""

from __future__ import annotations

from decision.reports.document import Portfolio, ReportDocument


def base_scenario(data: ReportDocument) -> str:
    """The scenario the plan is made for (the baseline when there is no plan)."""
    plan = data.get("plan")
    return plan["base"] if plan else data["baseline"]



def baseline_bundle(data: ReportDocument) -> Portfolio | None:
    """The baseline scenario's portfolio analysis (the one whose frontier the report draws)."""
    bundles = data["bundles"] or []
    for bundle in bundles:
        if bundle["scenario"] == data["baseline"]:
            return bundle
    return bundles[0] if bundles else None
