"""The rules: pure, typed functions over the model and a "today".

References and coverage, staleness, record schedules and evidence. They import
only :mod:`clausewise.core`.
"""
