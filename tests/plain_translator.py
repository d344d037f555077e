"""A Sphinx extension for the tests: Sphinx's own HTML translator under another class, as a theme
that sets its own translator would. clausewise then gives its pages the parts every page repeats
as docutils nodes (``clausewise.sphinxext.parts.writes_like_html5``), which that translator writes:
what the HTML text written without it must equal, byte for byte."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


class PlainTranslator(HTML5Translator):
    """Sphinx's translator, unchanged."""


def setup(app: Sphinx) -> dict[str, Any]:
    app.set_translator("html", PlainTranslator)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
