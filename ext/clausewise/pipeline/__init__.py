"""The whole handbook at once: from pages read to model, rules and findings.

:mod:`~clausewise.pipeline.assembly` computes a build's result from plain
inputs; :mod:`~clausewise.sphinxext.scan` finds those inputs in the files alone,
for ``clausewise check``.
"""
