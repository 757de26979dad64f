"""Orchestration: one scenario, many scenarios with the analyses across them, explanations and
plain matrices."""
