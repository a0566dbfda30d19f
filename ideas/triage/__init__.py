"""Triage: the staff inbox in merit order, assignment, the overdue board and the figures.

One feature, every layer: `selectors` (inbox, overdue), `metrics` (figures),
`services` (assign, bulk changes), `forms`, `views` and `urls`.
"""
