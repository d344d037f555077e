"""Python's garbage collector, kept from going over what a build loaded before it began.

What Sphinx loads before it reads (the pickled environment of the last build, with
every page's contents, its needs and clausewise's pages and git log) lives to the
end of the build. Python's collector does not know that: each full collection
walks every live object again, and a build makes enough objects to start one many
times. After an edit to one page of a handbook of 1,000 documents the rebuild
walked the loaded environment about thirty times: half of its time
(``nox -s bench``; the architecture page, "Build cost").

So, when the builder is ready (``builder-inited``, after clausewise has read
every page's front matter), everything alive is moved out of the collector's
reach (:func:`gc.freeze`), and given back at ``build-finished``
(:func:`gc.unfreeze`), where the collector frees what of it died meanwhile.
Nothing is lost: a frozen object that dies is still freed by its reference
count, and one kept only by a cycle at the end of the build.

The edge cases:

- the program had frozen objects itself (a server that froze its heap before
  forking workers): left as they are, neither frozen again nor given back, which
  would undo the program's freeze;
- an app that never built (its ``builder-inited`` ran, its ``build-finished``
  never will): the next app gives its frozen objects back before freezing;
- a build that fails: Sphinx emits ``build-finished`` with the exception, and the
  objects are given back all the same;
- ``-j N``: the forked workers inherit the frozen objects, which is what
  :func:`gc.freeze` is for (their pages stay shared with the main process).
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx

#: The ``id`` of the Sphinx app whose build froze the heap and has not given it back yet.
_frozen_by: int | None = None


def freeze_loaded(app: Sphinx) -> None:
    """``builder-inited``: move every object alive now out of the collector's reach."""
    global _frozen_by
    if _frozen_by is not None:
        # ours, from an app that never built (or a build inside a build): given back first
        _frozen_by = None
        gc.unfreeze()
    if gc.get_freeze_count():
        return  # frozen by the program that runs the build: theirs to give back
    gc.freeze()
    _frozen_by = id(app)


def give_back(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: hand the frozen objects back to the collector."""
    global _frozen_by
    if _frozen_by == id(app):
        _frozen_by = None
        gc.unfreeze()
