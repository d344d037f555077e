"""What ``clausewise new``, ``review`` and ``codeowners`` write: pure functions
from the model and a file's text to new text.

Pure, typed functions over text and the model: no Sphinx, no git, no clock
(``today`` is a parameter). :mod:`clausewise.cli` reads the handbook, calls
these, and writes what they return. Each module has one job:

- :mod:`~clausewise.authoring.errors`: :class:`AuthoringError`, the one error raised here;
- :mod:`~clausewise.authoring.inputs`: what an owner asks for, checked against the handbook;
- :mod:`~clausewise.authoring.editor`: the front-matter line editor (every other byte kept);
- :mod:`~clausewise.authoring.scaffold`: new documents and roles;
- :mod:`~clausewise.authoring.review`: recorded reviews;
- :mod:`~clausewise.authoring.records`: new record types and records;
- :mod:`~clausewise.authoring.codeowners`: the CODEOWNERS file.
"""
