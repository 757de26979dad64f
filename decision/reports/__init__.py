"""Reports: comparison tables and files built from plain results."""
