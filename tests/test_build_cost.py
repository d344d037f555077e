"""What a build costs besides its pages: what it keeps for the next build, and what Python's
collector walks. Real builds, in this process, with Python's own collector.

- The build's result is computed again by every build and not pickled with the environment.
- What a build loaded before it began is kept out of the garbage collector's reach until
  the build finishes, and then given back (:mod:`clausewise.sphinxext.heap`).
"""

from __future__ import annotations

import gc
import pickle
import weakref
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from handbook import TODAY, build, governed, role, write_handbook
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import docutils_namespace, patch_docutils


class Cycle:
    """An object that only the cyclic collector can free (it refers to itself)."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def nothing_frozen() -> Iterator[None]:
    # a test that fails halfway must not leave the next one a frozen heap
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "policies/pol-1.md": governed("POL-1", "policy", "Service management policy", satisfies="[4.1]"),
        },
    )


def sphinx_app(srcdir: Path, conf_extra: str = "") -> Sphinx:
    if conf_extra:
        (srcdir / "conf.py").write_text((srcdir / "conf.py").read_text() + conf_extra)
    return Sphinx(
        srcdir,
        srcdir,
        srcdir / "_build/html",
        srcdir / "_build/doctrees",
        "html",
        confoverrides={"clausewise_today": TODAY},
        status=StringIO(),
        warning=StringIO(),
        freshenv=True,
    )


def test_the_result_is_not_kept_for_the_next_build_which_computes_it_again(handbook: Path) -> None:
    first = build(handbook, fresh=True)
    findings = first.report
    index = (first.outdir / "searchindex.js").read_text()
    env = pickle.loads((handbook / "_build/.doctrees-html/environment.pickle").read_bytes())
    assert sorted(env.domaindata["clausewise"]) == [
        "catalogue_pages", "catalogue_version", "fields_version", "left_out", "log_pass",
        "need_fields_version", "page_keys", "pages", "placeholders", "register_pages",
        "safety_findings", "unsafe_allowed", "version", "withheld_other_pages",
    ]  # fmt: skip
    again = build(handbook)  # nothing changed: no page is read again
    assert again.report == findings
    assert (again.outdir / "searchindex.js").read_text() == index
    assert '"POL-1"' in index  # the ids the result gives the search index


def test_what_is_alive_when_the_builder_is_ready_is_frozen_until_the_build_finishes(handbook: Path) -> None:
    seen: list[int] = []
    with patch_docutils(handbook), docutils_namespace():
        loaded = Cycle()
        gone = weakref.ref(loaded)
        app = sphinx_app(handbook)
        frozen_when_ready = gc.get_freeze_count()
        # dies while frozen: only a full collection could free it, and none reaches it
        del loaded
        gc.collect()
        assert gone() is not None
        app.connect("env-updated", lambda app, env: seen.append(gc.get_freeze_count()))
        app.connect("doctree-resolved", lambda app, doctree, docname: seen.append(gc.get_freeze_count()))
        app.build()
    assert frozen_when_ready > 10_000  # the interpreter's modules, Sphinx, the extensions
    # frozen through reading and writing (the index, two pages, the clause catalogue and the matrix);
    # fewer as the build goes: a frozen object whose last reference goes is freed all the same
    assert len(seen) == 6
    assert all(frozen_when_ready * 0.9 < count <= frozen_when_ready for count in seen), seen
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None  # given back and freed


def test_a_failed_build_gives_the_frozen_objects_back(handbook: Path) -> None:
    conf = '\n\ndef setup(app):\n    app.connect("env-updated", lambda app, env: 1 / 0)\n'
    with patch_docutils(handbook), docutils_namespace():
        app = sphinx_app(handbook, conf)
        assert gc.get_freeze_count() > 0
        with pytest.raises(ExtensionError, match="division by zero"):
            app.build()
    assert gc.get_freeze_count() == 0


def test_the_programs_own_freeze_is_left_as_it_is(handbook: Path) -> None:
    theirs = Cycle()
    gc.freeze()  # a server that froze its heap before forking its workers
    theirs_gone = weakref.ref(theirs)
    del theirs
    made_after = Cycle()
    made_after_gone = weakref.ref(made_after)
    with patch_docutils(handbook), docutils_namespace():
        app = sphinx_app(handbook)
        del made_after  # not frozen by the build: the build's own collections free it
        app.build()
    assert gc.get_freeze_count() > 0
    gc.collect()
    assert made_after_gone() is None
    assert theirs_gone() is not None  # not given back: the program's freeze holds
    gc.unfreeze()
    gc.collect()
    assert theirs_gone() is None


def test_an_app_that_never_built_does_not_keep_the_heap_frozen(handbook: Path, tmp_path: Path) -> None:
    other = write_handbook(tmp_path / "other", {"roles/owner.md": role()})
    with patch_docutils(other), docutils_namespace():
        sphinx_app(other)  # its builder is ready; it is never built
    assert gc.get_freeze_count() > 0
    with patch_docutils(handbook), docutils_namespace():
        app = sphinx_app(handbook)
        app.build()
    assert gc.get_freeze_count() == 0
