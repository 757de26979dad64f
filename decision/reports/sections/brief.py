"""Section 1 of the report: the one-page brief, its headings one level down.

The brief is built by :mod:`decision.reports.brief` (it is also written on its own); here it
opens the full report.
"""

from __future__ import annotations

from decision.reports.brief import brief_blocks
from decision.reports.document import ReportDocument
from decision.reports.markdown import Block, Heading


def brief_section(data: ReportDocument) -> list[Block]:
    """The one-page brief, as the report's opening section (its headings one level down)."""
    shown = brief_blocks(data, None)[2:]  # without its title and its line about the report
    return [
        Heading(2, "1. Brief", "brief"),
        *(
            Heading(b.level + 1, b.text, f"brief-{b.id}") if isinstance(b, Heading) else b
            for b in shown
        ),
    ]
