"""The Sphinx glue: the only package that imports Sphinx, docutils or sphinx-needs."""
