"""Files to validated, resolved specs: loading with cross-checks and the evidence check; no
numpy."""
