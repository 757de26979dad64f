"""Sampling in fixed random-number blocks, the Monte Carlo driver and the exact SMAA-2
tallies it streams into."""
