"""Exploring the whole space of uncertain inputs: designs, outcomes per sample, scenario
discovery, global sensitivity, the value of information, and the archives they are kept in."""
