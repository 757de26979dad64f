"""The numeric core on arrays: compile specs, expressions, the engine, weights and the
aggregation methods."""
