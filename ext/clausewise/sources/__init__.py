"""What reads the handbook's files and its git history into the model.

Front matter, metadata validation, clause catalogues (and the bundled ones) and
the git reader, :mod:`clausewise.sources.gitlog`, the only module that runs git.
"""
