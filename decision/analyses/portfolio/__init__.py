"""The recommendations as a portfolio: the bundle problem of a scenario, and the exact
enumeration kernel that solves it."""
