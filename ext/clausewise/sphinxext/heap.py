"""Python's garbage collector, kept from going over what a build loaded before it began.

What Sphinx loads before it reads (the pickled environment of the last build, with
every page's contents, its needs and clausewise's pages and git log) lives to the
end of the build. Python's collector does not know that: each full collection
walks every live object again, and loading the environment alone starts one
about ten times, each over more of it. After an edit to one page of a handbook
of 1,000 documents, a third of the rebuild went to the collector (4.9 s of
16.6 s; ``nox -s bench`` and the architecture page, "Build cost").

So:

- from ``config-inited`` (the last thing before Sphinx loads the environment) to
  ``builder-inited`` the collector is paused (:func:`gc.disable`): what is made
  then (the environment, every page's front matter) lives on;
- when the builder is ready (``builder-inited``, after clausewise has read every
  page's front matter) and the last build's environment was loaded, everything
  alive is moved out of the collector's reach (:func:`gc.freeze`), and the
  collector runs again. Not in a full build (``-E``, or the first): its heap is
  small then, and in a build of 1,000 documents freezing it gained nothing the
  bench could tell from its noise (the collector ran more often over what the
  build made, filling the pages got slower by as much as the full passes got
  cheaper);
- after reading (``env-updated``, last), when the build read few of the pages
  (a rebuild after an edit: at most :data:`FEW_PAGES_READ` of them), the same
  again for what reading and assembling the handbook made: the model, its git
  history and page keys live to the end too. Not after reading many: the pages
  read are written and freed one by one, and frozen they would stay to the end
  (40 MiB more at the peak of a full build of 1,000 documents);
- and then, until the build finishes, full collections run a tenth as often
  (:data:`SPARSER_FULL_COLLECTIONS`: the third of :func:`gc.set_threshold`'s
  thresholds). Python starts one when what is not frozen grew by a quarter, and with
  nearly everything frozen that is little: a rebuild after one edit of 1,000
  documents ran 13 of them while writing a handful of pages (2.5 s of its 17 s), and
  3 with this (the rebuild took 1 to 3.5 s less in four runs). What dies meanwhile waits longer to be
  freed: the rebuild's peak of memory rose by 26 MiB, still well under a full build's;
- at ``build-finished`` it is given back (:func:`gc.unfreeze`, and the thresholds
  the build found), and the collector frees what of it died meanwhile.

Nothing is lost: a frozen object that dies is still freed by its reference
count, and one kept only by a cycle at the end of the build.

The edge cases:

- the program had frozen objects itself (a server that froze its heap before
  forking workers) or turned the collector off: left as it is, neither paused nor
  frozen again nor given back, which would undo the program's own choice;
- an app whose builder never got ready (an unknown theme, or an output folder of
  another audience, stops Sphinx before the end of ``builder-inited``): the
  collector stays paused until the next app in the process starts, or the process
  ends (``sphinx-build`` ends);
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
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

#: The ``id`` of the Sphinx app that paused the collector until its builder is ready.
_paused_by: int | None = None
#: The ``id`` of the Sphinx app whose build froze the heap and has not given it back yet.
_frozen_by: int | None = None
#: The share of the pages a build may have read for what it made by the end of reading to be frozen too.
FEW_PAGES_READ = 0.1
#: How many pages the build that froze the heap reads (``env-before-read-docs``).
_pages_read: int | None = None
#: How much rarer full collections are after a rebuild of few pages froze what it assembled.
SPARSER_FULL_COLLECTIONS = 10
#: The collector's thresholds when the build raised them, to set back when it finishes.
_thresholds: tuple[int, int, int] | None = None


def _settle_earlier_apps() -> None:
    """Undo what an earlier app in this process did and never undid (it stopped halfway)."""
    global _paused_by, _frozen_by, _pages_read
    if _paused_by is not None:
        _paused_by = None
        gc.enable()
    if _frozen_by is not None:
        _frozen_by, _pages_read = None, None
        _set_thresholds_back()
        gc.unfreeze()


def _set_thresholds_back() -> None:
    global _thresholds
    if _thresholds is not None:
        gc.set_threshold(*_thresholds)
        _thresholds = None


def _the_programs_own() -> bool:
    """Whether the program running the build froze objects or turned the collector off itself."""
    return bool(gc.get_freeze_count()) or not gc.isenabled()


def pause_while_loading(app: Sphinx, config: Config) -> None:
    """``config-inited``, last: no collection while Sphinx loads the last build's environment."""
    global _paused_by
    _settle_earlier_apps()
    if _the_programs_own():
        return
    gc.disable()
    _paused_by = id(app)


def freeze_loaded(app: Sphinx) -> None:
    """``builder-inited``, last: move every object alive now out of the collector's reach, and let
    the collector run again (on what the build makes from now on)."""
    global _paused_by, _frozen_by
    if _paused_by != id(app):
        _settle_earlier_apps()
        if _the_programs_own():
            return
    _paused_by = None
    if not app.fresh_env_used:  # a full build loaded nothing worth it: see the module's docstring
        gc.freeze()
        _frozen_by = id(app)
    gc.enable()


def count_pages_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: how many pages this build reads."""
    global _pages_read
    if _frozen_by == id(app):
        _pages_read = len(docnames)


def freeze_assembled(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, last: after reading few pages, move what reading and assembling made out
    of the collector's reach too, and make full collections rarer until the build finishes."""
    global _thresholds
    if _frozen_by == id(app) and _pages_read is not None and _pages_read <= FEW_PAGES_READ * len(env.all_docs):
        gc.freeze()
        if _thresholds is None:
            _thresholds = gc.get_threshold()
            first, second, third = _thresholds
            gc.set_threshold(first, second, third * SPARSER_FULL_COLLECTIONS)


def give_back(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``, last: hand the frozen objects back to the collector."""
    global _frozen_by, _pages_read
    if _frozen_by == id(app):
        _frozen_by, _pages_read = None, None
        _set_thresholds_back()
        gc.unfreeze()
