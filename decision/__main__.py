"""``python -m decision`` runs the CLI."""

from decision.cli import main

main()
