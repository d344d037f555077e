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
from typing import Any

import pytest
from clausewise.pipeline import assembly
from clausewise.sphinxext import heap
from clausewise.sphinxext.domain import PickledByPage
from clausewise.sphinxext.placeholders import clausewise_placeholder
from docutils import nodes
from handbook import TODAY, build, commit, governed, record, role, write_handbook
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import docutils_namespace, patch_docutils


class Cycle:
    """An object that only the cyclic collector can free (it refers to itself)."""

    def __init__(self) -> None:
        self.me = self


#: the collector's thresholds before any build of these tests
THRESHOLDS = gc.get_threshold()


@pytest.fixture(autouse=True)
def nothing_frozen() -> Iterator[None]:
    # a test that fails halfway must not leave the next one a frozen heap, or other thresholds
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    assert gc.get_threshold() == THRESHOLDS
    yield
    gc.unfreeze()
    gc.enable()
    gc.set_threshold(*THRESHOLDS)
    heap._thresholds = None


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "policies/pol-1.md": governed("POL-1", "policy", "Service management policy", satisfies="[4.1]"),
        },
    )


def sphinx_app(
    srcdir: Path, conf_extra: str = "", *, fresh: bool = False, overrides: dict[str, str] | None = None
) -> Sphinx:
    if conf_extra:
        (srcdir / "conf.py").write_text((srcdir / "conf.py").read_text() + conf_extra)
    return Sphinx(
        srcdir,
        srcdir,
        srcdir / "_build/html",
        srcdir / "_build/.doctrees-html",  # where handbook.build keeps it: a build there makes this a rebuild
        "html",
        confoverrides={"clausewise_today": TODAY, **(overrides or {})},
        status=StringIO(),
        warning=StringIO(),
        freshenv=fresh,
    )


def test_the_result_is_not_kept_for_the_next_build_which_computes_it_again(handbook: Path) -> None:
    first = build(handbook, fresh=True)
    findings = first.report
    index = (first.outdir / "searchindex.js").read_text()
    env = pickle.loads((handbook / "_build/.doctrees-html/environment.pickle").read_bytes())
    kept = env.domaindata["clausewise"]
    # pickled page by page (domain.PickledByPage), read back as they were
    assert type(kept["pages"]) is PickledByPage
    assert kept["pages"] == first.given.pages
    assert sorted(kept["pages"]) == ["policies/pol-1", "roles/owner"]  # the governed pages
    assert kept["pages"]["policies/pol-1"].item.satisfies == ("4.1",)
    assert isinstance(kept["log_pass"], bytes)  # the git log pass too, as one object
    assert sorted(env.domaindata["clausewise"]) == [
        "catalogue_pages", "catalogue_version", "fields_version", "left_out", "log_pass",
        "need_fields_version", "page_keys", "pages", "placeholders", "record_texts", "register_pages",
        "safety_findings", "unsafe_allowed", "version", "withheld_other_pages",
    ]  # fmt: skip
    again = build(handbook)  # nothing changed: no page is read again
    assert again.report == findings
    assert (again.outdir / "searchindex.js").read_text() == index
    assert '"POL-1"' in index  # the ids the result gives the search index


def test_a_full_build_freezes_nothing(handbook: Path) -> None:
    seen: list[int] = []
    with patch_docutils(handbook), docutils_namespace():
        app = sphinx_app(handbook, fresh=True)
        assert app.fresh_env_used
        app.connect("doctree-resolved", lambda app, doctree, docname: seen.append(gc.get_freeze_count()))
        app.build()
    assert seen == [0] * 5
    assert gc.isenabled()


def test_what_is_alive_when_the_builder_is_ready_is_frozen_until_the_build_finishes(handbook: Path) -> None:
    seen: list[int] = []
    build(handbook, fresh=True)
    # the pages read again: their doctrees are written, and each sends doctree-resolved
    (handbook / "policies/pol-1.md").write_text((handbook / "policies/pol-1.md").read_text() + "More.\n")
    with patch_docutils(handbook), docutils_namespace():
        loaded = Cycle()
        gone = weakref.ref(loaded)
        app = sphinx_app(handbook, "", fresh=False)
        assert not app.fresh_env_used
        frozen_when_ready = gc.get_freeze_count()
        # dies while frozen: only a full collection could free it, and none reaches it
        del loaded
        gc.collect()
        assert gone() is not None
        app.connect("env-updated", lambda app, env: seen.append(gc.get_freeze_count()))
        app.connect("doctree-resolved", lambda app, doctree, docname: seen.append(gc.get_freeze_count()))
        app.build()
    assert frozen_when_ready > 10_000  # the interpreter's modules, Sphinx, the extensions
    # frozen at the end of reading and while each of the two pages written again is written; fewer as
    # the build goes: a frozen object whose last reference goes is freed all the same
    assert len(seen) == 3
    assert all(frozen_when_ready * 0.9 < count <= frozen_when_ready for count in seen), seen
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None  # given back and freed


def test_the_collector_is_paused_while_the_last_build_is_loaded(handbook: Path) -> None:
    build(handbook, fresh=True)
    conf = (
        "\n\nimport gc\nfrom pathlib import Path\n\ndef setup(app):\n"
        '    app.connect("builder-inited", lambda app: Path(app.outdir, "gc.txt").write_text(str(gc.isenabled())),'
        " priority=999)\n"
    )
    with patch_docutils(handbook), docutils_namespace():
        app = sphinx_app(handbook, conf)
        assert not app.fresh_env_used  # the last build's environment was loaded
        # paused while it loaded, up to the builder's handlers
        assert (handbook / "_build/html/gc.txt").read_text() == "False"
        assert gc.isenabled()
        app.build()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def frozen_counts_while_writing(srcdir: Path, fresh: bool) -> tuple[int, int]:
    """The frozen objects at the end of reading (before clausewise's last handler) and when the first
    page is written."""
    seen: list[int] = []
    thresholds_while_writing.clear()
    with patch_docutils(srcdir), docutils_namespace():
        app = sphinx_app(srcdir, fresh=fresh)
        app.connect("env-updated", lambda app, env: seen.append(gc.get_freeze_count()), priority=999)
        app.connect("doctree-resolved", lambda app, doctree, docname: seen.append(gc.get_freeze_count()))
        app.connect("write-started", lambda app, builder: thresholds_while_writing.append(gc.get_threshold()))
        app.build()
    return seen[0], seen[1]


#: the collector's thresholds when the last build of :func:`frozen_counts_while_writing` started writing
thresholds_while_writing: list[tuple[int, int, int]] = []


def test_after_an_edit_to_few_pages_what_reading_made_is_frozen_too(tmp_path: Path) -> None:
    policies = {
        f"policies/pol-{n}.md": governed(f"POL-{n}", "policy", f"Policy {n}", satisfies="[4.1]") for n in range(12)
    }
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(), **policies})
    # a full build: every page read, and none of it frozen after reading (its pages are freed as written)
    thresholds = gc.get_threshold()
    after_reading, writing = frozen_counts_while_writing(root, fresh=True)
    assert writing <= after_reading
    assert thresholds_while_writing == [thresholds]
    # one page of 17 edited: its page and what assembling the handbook made are frozen after reading,
    # and full collections run a tenth as often until the build finishes
    commit(root, "Edit", "2026-08-01T09:00:00+00:00", {"policies/pol-3.md": policies["policies/pol-3.md"] + "More.\n"})
    after_reading, writing = frozen_counts_while_writing(root, fresh=False)
    assert writing > after_reading + 100
    assert gc.get_freeze_count() == 0
    assert thresholds_while_writing == [(thresholds[0], thresholds[1], thresholds[2] * 10)]
    assert gc.get_threshold() == thresholds


def test_a_rebuild_that_fails_while_writing_sets_the_collector_back(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(), **{
        f"policies/pol-{n}.md": governed(f"POL-{n}", "policy", f"Policy {n}", satisfies="[4.1]") for n in range(12)
    }})  # fmt: skip
    build(root, fresh=True)
    commit(root, "Edit", "2026-08-01T09:00:00+00:00", {"policies/pol-3.md": "Broken.\n"})
    thresholds = gc.get_threshold()
    conf = '\n\ndef setup(app):\n    app.connect("write-started", lambda app, builder: 1 / 0)\n'
    with patch_docutils(root), docutils_namespace():
        app = sphinx_app(root, conf)
        with pytest.raises(ExtensionError, match="division by zero"):
            app.build()
    assert (gc.get_freeze_count(), gc.get_threshold()) == (0, thresholds)


def test_a_failed_build_gives_the_frozen_objects_back(handbook: Path) -> None:
    conf = '\n\ndef setup(app):\n    app.connect("env-updated", lambda app, env: 1 / 0)\n'
    build(handbook, fresh=True)
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
    build(other, fresh=True)
    with patch_docutils(other), docutils_namespace():
        sphinx_app(other)  # its builder is ready; it is never built
    assert gc.get_freeze_count() > 0
    with patch_docutils(handbook), docutils_namespace():
        app = sphinx_app(handbook)
        app.build()
    assert gc.get_freeze_count() == 0


def test_an_app_stopped_before_its_builder_was_ready_leaves_the_collector_paused_only_until_the_next(
    handbook: Path,
) -> None:
    first = build(handbook, fresh=True)  # for staff, the default audience
    with pytest.raises(SystemExit), patch_docutils(handbook), docutils_namespace():
        # into the staff build's folder: stopped on builder-inited, before the collector runs again
        sphinx_app(handbook, overrides={"clausewise_audience": "auditor"})
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
    again = build(handbook)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert again.findings == first.findings


def test_a_record_page_keeps_two_placeholders_from_reading_to_writing(tmp_path: Path) -> None:
    # every node of a page's doctree is kept in memory from its reading to its writing, and a large
    # handbook is mostly records: its head (edit link, status box) is one placeholder, and its
    # "Revision history" is made a section only when it is filled
    procedure = governed("PRC-1", "procedure", "Reporting", satisfies="[4.1]").replace(
        "satisfies: [4.1]\n",
        "satisfies: [4.1]\nrecord_types:\n  - id: RT-REPORT\n    title: Quarterly report\n"
        "    owner: ROLE-OWNER\n    evidences: [4.1]\n    cadence: quarterly\n",
    )
    root = write_handbook(tmp_path / "hb", {
        "roles/owner.md": role(), "procedures/prc-1.md": procedure,
        "records/report/2026-Q2.md": record("REC-REPORT-2026-Q2", "RT-REPORT", "2026-Q2"),
    })  # fmt: skip
    build(root, fresh=True)
    read = pickle.loads((root / "_build/.doctrees-html/records/report/2026-Q2.doctree").read_bytes())
    assert [type(n).__name__ for n in read.findall()] == [
        "document", "section", "title", "Text", "clausewise_placeholder", "paragraph", "Text", "clausewise_placeholder",
    ]  # fmt: skip
    head, history = read.findall(clausewise_placeholder)
    assert (head["kind"], head["item_id"], head["then"]) == (
        "edit-link",
        "records/report/2026-Q2.md",
        ["status-box REC-REPORT-2026-Q2"],
    )
    assert (history["kind"], history["item_id"], history["section"]) == ("revision-history", "REC-REPORT-2026-Q2", True)
    # a governed page's history stays a section of its contents, with the same id
    page = pickle.loads((root / "_build/.doctrees-html/procedures/prc-1.doctree").read_bytes())
    sections = [s["ids"] for s in page.findall(nodes.section)]
    assert sections == [["reporting"], ["clausewise-required-records"], ["clausewise-revision-history"]]


def test_a_rebuild_parses_for_declarations_only_the_pages_that_were_not_records_of_that_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # on builder-inited every page's front matter was parsed for the record types it declares; a
    # record declares none, and most pages of a large handbook are records of a text that did not change
    procedure = governed("PRC-1", "procedure", "Reporting", satisfies="[4.1]").replace(
        "satisfies: [4.1]\n",
        "satisfies: [4.1]\nrecord_types:\n  - id: RT-REPORT\n    title: Quarterly report\n"
        "    owner: ROLE-OWNER\n    evidences: [4.1]\n    cadence: quarterly\n",
    )
    q1, q2 = "records/report/2026-Q1.md", "records/report/2026-Q2.md"
    root = write_handbook(tmp_path / "hb", {
        "roles/owner.md": role(), "procedures/prc-1.md": procedure,
        q1: record("REC-REPORT-2026-Q1", "RT-REPORT", "2026-Q1"),
        q2: record("REC-REPORT-2026-Q2", "RT-REPORT", "2026-Q2"),
    })  # fmt: skip
    build(root, fresh=True)
    parsed: list[list[str]] = []
    real = assembly.front_matters

    def counted(pages: list[tuple[str, str, str]]) -> dict[str, Any]:
        parsed.append(sorted(path for _, path, _ in pages))
        return real(pages)

    monkeypatch.setattr(assembly, "front_matters", counted)
    commit(root, "Correct Q1", "2026-10-06T09:00:00+00:00", {q1: (root / q1).read_text() + "Corrected.\n"})
    build(root)
    # every page but the record whose text did not change (Q2); Q1 changed
    assert parsed == [["index.md", "pages/clauses.md", "pages/matrix.md", "procedures/prc-1.md", q1, "roles/owner.md"]]
    env = pickle.loads((root / "_build/.doctrees-html/environment.pickle").read_bytes())
    assert sorted(env.domaindata["clausewise"]["record_texts"]) == ["records/report/2026-Q1", "records/report/2026-Q2"]
    # a record of the same name made a procedure that declares a record type with a field: parsed,
    # and a record of that type is read against the field
    declaring = governed("PRC-2", "procedure", "Checks", satisfies="[4.1]").replace(
        "satisfies: [4.1]\n",
        "satisfies: [4.1]\nrecord_types:\n  - id: RT-CHECK\n    title: Check\n    owner: ROLE-OWNER\n"
        "    evidences: [4.1]\n    cadence: quarterly\n    fields:\n      result: {type: text, required: true}\n",
    )
    check = record("REC-CHECK-2026-Q3", "RT-CHECK", "2026-Q3")
    commit(root, "Checks", "2026-10-07T09:00:00+00:00", {q2: declaring, "records/check/2026-Q3.md": check})
    parsed.clear()
    rebuilt = build(root)
    assert q2 in parsed[0] and "records/check/2026-Q3.md" in parsed[0]
    found = [f for f in rebuilt.report["findings"] if f["path"] == "records/check/2026-Q3.md"]
    assert [(f["code"], f["line"], f["id"], f["message"][:33]) for f in found] == [
        ("invalid-metadata", 5, "REC-CHECK-2026-Q3", "field 'result', which record type")
    ]
