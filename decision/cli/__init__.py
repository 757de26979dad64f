"""The command line and its terminal tables."""
