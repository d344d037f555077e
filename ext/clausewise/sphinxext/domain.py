"""What clausewise keeps on the build environment, in a Domain as ``sphinx.ext.todo`` does.

Per document (cleared with :meth:`ClausewiseDomain.clear_doc` when a page is
read again, merged from ``-j N`` workers by :meth:`ClausewiseDomain.merge_domaindata`):
the governed page read from its front matter, the line of a ``{clause-catalogue}``
directive, the placeholders the page holds, and what safe mode refused on it. For the build as a whole (computed
in the main process after reading): the key each page's placeholders
had when it was last written, the git log pass reused while ``HEAD`` stays,
the version of the catalogue files the pages were read with, and the pages left
out of this build because they are not text, and which pages were records (both set on
``builder-inited``).
All of that is pickled with the environment, for the next build.

The build's result is not: every build computes it again after reading, so the
domain holds it for this build only (a quarter of the environment's pickle at
1,000 documents, written and read again on every build for nothing). From it,
:meth:`ClausewiseDomain.get_objects` gives Sphinx's search index every id and
clause number (:mod:`clausewise.sphinxext.search`).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Set
from typing import Any, ClassVar, TypeVar

from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment

from clausewise.core.findings import Finding
from clausewise.pipeline.assembly import BuildResult, PageData
from clausewise.sources import gitlog
from clausewise.sphinxext import search

#: (placeholder kind, item id) of one placeholder on a page
Mark = tuple[str, str]

V = TypeVar("V")


class PickledByPage(dict[str, V]):
    """docname -> what the page gave, pickled page by page: each value as a bytes object of its own.

    Sphinx pickles the environment in one go, and the pickler remembers every object it has
    written until it is done; the pages' model objects were about a fifth of them at 1,000
    documents, and the pickling of the environment is the build's peak of memory. Pickled
    page by page, each page's objects are forgotten as soon as its bytes are made."""

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_page, ([(docname, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) for docname, value in self.items()],)


def _by_page(pickled: Iterable[tuple[str, bytes]]) -> PickledByPage[Any]:
    return PickledByPage((docname, pickle.loads(value)) for docname, value in pickled)


_PER_DOCUMENT = (
    "pages",
    "catalogue_pages",
    "placeholders",
    "safety_findings",
    "unsafe_allowed",
    "withheld_other_pages",
)


class ClausewiseDomain(Domain):
    name = "clausewise"
    label = "clausewise"
    object_types: ClassVar[dict[str, ObjType]] = search.OBJECT_TYPES
    # bump when the shape of ``data`` changes: Sphinx then reads every page again
    data_version = 5
    initial_data: ClassVar[dict[str, Any]] = {
        "pages": PickledByPage(),
        "catalogue_pages": {},
        "placeholders": PickledByPage(),
        "safety_findings": {},
        "unsafe_allowed": {},
        "withheld_other_pages": {},
        "page_keys": {},
        "register_pages": {},
        "log_pass": None,
        "catalogue_version": None,
        "left_out": [],
        "record_texts": {},
    }

    @property
    def pages(self) -> dict[str, PageData]:
        """docname -> the governed page read from it."""
        return self.data.setdefault("pages", {})

    @property
    def catalogue_pages(self) -> dict[str, int]:
        """docname -> line of its ``{clause-catalogue}`` directive."""
        return self.data.setdefault("catalogue_pages", {})

    @property
    def placeholders(self) -> dict[str, set[Mark]]:
        """docname -> every placeholder on that page."""
        return self.data.setdefault("placeholders", {})

    @property
    def safety_findings(self) -> dict[str, list[Finding]]:
        """docname -> what safe mode refused while reading it (:mod:`clausewise.sphinxext.safety`)."""
        return self.data.setdefault("safety_findings", {})

    @property
    def unsafe_allowed(self) -> dict[str, str]:
        """docname -> the reason its front matter gives for allowing raw HTML (``clausewise_unsafe``)."""
        return self.data.setdefault("unsafe_allowed", {})

    @property
    def withheld_other_pages(self) -> dict[str, bool]:
        """docname -> True for a page that is not governed but withheld from the build's
        audience by its own front matter (governed pages say so in :attr:`pages`)."""
        return self.data.setdefault("withheld_other_pages", {})

    @property
    def page_keys(self) -> dict[str, str]:
        """docname -> the key of what its placeholders showed when it was last written."""
        return self.data.setdefault("page_keys", {})

    @page_keys.setter
    def page_keys(self, keys: dict[str, str]) -> None:
        self.data["page_keys"] = keys

    @property
    def register_pages(self) -> dict[str, str]:
        """Placeholder kind -> the page that holds the handbook-wide table of that kind, found once
        per build (after reading) for the links every page's summaries make to it."""
        return self.data.setdefault("register_pages", {})

    @register_pages.setter
    def register_pages(self, pages: dict[str, str]) -> None:
        self.data["register_pages"] = pages

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._result: BuildResult | None = None

    @property
    def result(self) -> BuildResult | None:
        """This build's result, once the handbook is assembled (``env-updated``); not pickled."""
        return self._result

    @result.setter
    def result(self, result: BuildResult) -> None:
        self._result = result

    @property
    def log_pass(self) -> gitlog.LogPass | None:
        """The git log pass of the last build, for the next (kept pickled: as the pages are)."""
        kept = self.data.get("log_pass")
        found = pickle.loads(kept) if isinstance(kept, bytes) else None
        return found if isinstance(found, gitlog.LogPass) else None

    @log_pass.setter
    def log_pass(self, log_pass: gitlog.LogPass | None) -> None:
        self.data["log_pass"] = pickle.dumps(log_pass, pickle.HIGHEST_PROTOCOL) if log_pass is not None else None

    @property
    def left_out(self) -> list[Finding]:
        """The finding of each page left out of this build before it is read (set when it
        starts): not text, or a link out of the handbook."""
        return self.data.setdefault("left_out", [])

    @left_out.setter
    def left_out(self, found: list[Finding]) -> None:
        self.data["left_out"] = found

    @property
    def catalogue_version(self) -> str | None:
        """SHA-256 over the catalogue files (in configured order) the pages were last read with."""
        return self.data.get("catalogue_version")

    @catalogue_version.setter
    def catalogue_version(self, version: str) -> None:
        self.data["catalogue_version"] = version

    @property
    def withheld_docnames(self) -> set[str]:
        """Every page withheld from the build's audience, governed or not."""
        governed = {docname for docname, page in self.pages.items() if page.withheld}
        return governed | {docname for docname, withheld in self.withheld_other_pages.items() if withheld}

    def get_objects(self) -> Iterator[search.SearchObject]:
        """Every id and clause number, for Sphinx's search index and ``objects.inv``
        (:func:`clausewise.sphinxext.search.search_objects`); none before the handbook is assembled."""
        if self.result is not None:
            yield from search.search_objects(self.result, self.withheld_docnames)

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        # the search page shows "procedure, in Incident management", not "clausewise procedure, ..."
        return str(type.lname)

    @property
    def fields_version(self) -> str | None:
        """A digest of the record fields the record types declared when the records were last read."""
        return self.data.get("fields_version")

    @fields_version.setter
    def fields_version(self, version: str) -> None:
        self.data["fields_version"] = version

    @property
    def need_fields_version(self) -> str | None:
        """A digest of the need fields made of the record fields when the pages were last read."""
        return self.data.get("need_fields_version")

    @need_fields_version.setter
    def need_fields_version(self, version: str) -> None:
        self.data["need_fields_version"] = version

    @property
    def record_texts(self) -> dict[str, str]:
        """docname -> the SHA-256 of the text of each page that was a record when the last build
        started: a record declares no record type, so a page of the same text is not parsed for the
        declarations again (``builder-inited``: most pages of a large handbook are records)."""
        return self.data.setdefault("record_texts", {})

    @record_texts.setter
    def record_texts(self, texts: dict[str, str]) -> None:
        self.data["record_texts"] = texts

    def clear_doc(self, docname: str) -> None:
        for key in _PER_DOCUMENT:
            self.data.setdefault(key, {}).pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in _PER_DOCUMENT:
            mine, theirs = self.data.setdefault(key, {}), otherdata.get(key, {})
            for docname in docnames:
                if docname in theirs:
                    mine[docname] = theirs[docname]


def domain(env: BuildEnvironment) -> ClausewiseDomain:
    found = env.domains["clausewise"]
    assert isinstance(found, ClausewiseDomain)
    return found
