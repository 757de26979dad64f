"""The report's sections, one module each, and the wording they share.

Each section module turns the report's data into blocks; :mod:`decision.reports.outline`
puts them in a reader's order.
"""
