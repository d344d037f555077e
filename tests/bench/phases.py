"""A Sphinx extension loaded only by the benchmark: where a build's time goes.

``bench_build.py`` sets it up on the application before ``app.build()``; at the end it has filled
:data:`SPENT` with wall seconds per phase of a serial (``-j 1``) build:

- ``read``: from ``env-before-read-docs`` until ``env-updated`` (parsing every page, the
  ``doctree-read`` handlers, clausewise's front matter and sphinx-needs' need collection);
- ``env-updated``: the ``env-updated`` handlers and the consistency check, until ``write-started``
  (clausewise assembles the handbook and runs its rules there);
- ``resolve``: ``BuildEnvironment.get_and_resolve_doctree`` summed over pages (references,
  clausewise's placeholders filled with their tables, sphinx-needs' resolution);
- ``search index``: ``IndexBuilder.feed`` and ``dump`` summed (the words of every page, stemmed);
- ``write``: the rest of the writing phase (HTML translation, templates, static files);
- ``finish``: the ``build-finished`` handlers (clausewise's ``findings.json`` and exports,
  sphinx-needs' ``needs.json``).

The wrappers time the real functions and call them unchanged; nothing here alters a build's output.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.search import IndexBuilder

SPENT: dict[str, float] = {}
_MARK: dict[str, float] = {}


def _timed(owner: type, name: str, phase: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[phase] = SPENT.get(phase, 0.0) + time.perf_counter() - start

    setattr(owner, name, wrapper)


def _mark(name: str) -> Callable[..., None]:
    def handler(*_: Any) -> None:
        _MARK.setdefault(name, time.perf_counter())

    return handler


def setup(app: Sphinx) -> dict[str, Any]:
    _timed(BuildEnvironment, "get_and_resolve_doctree", "resolve")
    _timed(IndexBuilder, "feed", "search index")
    _timed(IndexBuilder, "dump", "search index")
    # the earliest priority, so that each mark is taken before the phase's other handlers run
    app.connect("env-before-read-docs", _mark("read"), priority=0)
    app.connect("env-updated", _mark("env-updated"), priority=0)
    app.connect("write-started", _mark("write"), priority=0)
    app.connect("build-finished", _mark("finish"), priority=0)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def phases(started: float, ended: float) -> dict[str, float]:
    """Seconds per phase of a build that ran from ``started`` to ``ended`` (``perf_counter``)."""
    marks = [("start", started), *((k, _MARK[k]) for k in ("read", "env-updated", "write", "finish") if k in _MARK)]
    out: dict[str, float] = {}
    for (name, at), (_, until) in zip(marks, [*marks[1:], ("end", ended)], strict=True):
        out[name] = until - at
    inner = SPENT.get("resolve", 0.0) + SPENT.get("search index", 0.0)
    out["resolve"] = SPENT.get("resolve", 0.0)
    out["search index"] = SPENT.get("search index", 0.0)
    if "write" in out:
        out["write"] -= inner
    return out
