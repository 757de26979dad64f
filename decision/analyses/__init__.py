"""One module per question asked of an evaluated scenario (weights, tipping points, openings,
tornado, perspectives, dominance, the portfolio) and the robustness measures across scenarios."""
