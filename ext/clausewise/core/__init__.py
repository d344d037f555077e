"""The pure core: the model, the finding codes, git history as data, dates, settings.

Nothing here imports Sphinx, docutils, git or any other layer of clausewise.
"""
