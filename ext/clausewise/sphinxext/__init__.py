"""The Sphinx glue: the only package that imports Sphinx, docutils or sphinx-needs.

- :mod:`~clausewise.sphinxext.extension`: ``setup()``, what is registered with Sphinx;
- :mod:`~clausewise.sphinxext.config`: settings, sphinx-needs' vocabulary and the catalogue, on ``config-inited``;
- :mod:`~clausewise.sphinxext.domain`: the state kept on the environment;
- :mod:`~clausewise.sphinxext.heap`: the garbage collector kept off what a build loaded;
- :mod:`~clausewise.sphinxext.directives`: the directives;
- :mod:`~clausewise.sphinxext.placeholders`: what is filled in late, and the page keys;
- :mod:`~clausewise.sphinxext.events`: the event handlers;
- :mod:`~clausewise.sphinxext.render`: docutils nodes for the generated parts;
- :mod:`~clausewise.sphinxext.parts`: the parts every page repeats, as data, and their HTML;
- :mod:`~clausewise.sphinxext.needs_config`: the sphinx-needs types, fields and links;
- :mod:`~clausewise.sphinxext.scan`: the same inputs read from the files alone, for ``clausewise check``.

This package's ``__init__`` imports nothing, so that ``clausewise check`` loads
the scanner without the build's glue (and sphinx-needs with it).
"""
