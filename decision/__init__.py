"""Decision models for policy briefs: options, preconditions, weighted criteria, scenarios."""

from __future__ import annotations

__version__ = "0.1.0"
