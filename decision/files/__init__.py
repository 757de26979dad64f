"""Text in and out, nothing numeric: guarded YAML, bounded reads, plain matrices, atomic
report folders."""
