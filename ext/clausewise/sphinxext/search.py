"""Search that knows the handbook: an id or a clause number typed into the search box finds its item first.

Sphinx's own search is extended rather than replaced (the choice and its measurements are in
``docs/development/architecture.md``):

- :func:`search_objects` is what :meth:`ClausewiseDomain.get_objects
  <clausewise.sphinxext.domain.ClausewiseDomain.get_objects>` yields: every document, role,
  record, record type and clause number (``8.6.3``; ``27001:A.5.1`` with several catalogues), each
  with the anchor its page has. Sphinx writes them into ``searchindex.js`` as "objects" (and
  ``objects.inv``).
- ``static/clausewise-search.js``, added to the search page only (:func:`on_html_page_context`),
  keeps the query as typed as one more object term and ranks an object named exactly so first:
  ``searchtools.js`` splits ``PRC-012`` into ``prc`` and ``012`` and ``8.6.3`` into three digits.
- :func:`drop_withheld_pages` takes every page withheld from the build's audience out of the
  index after Sphinx wrote it: its file name, title and objects (its text never reached it), so
  that a staff build's search neither finds nor names a confidential record.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Set
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import ObjType

from clausewise.core.model import Catalogue, Clause, DocType
from clausewise.pipeline.assembly import BuildResult

SCRIPT = "clausewise-search.js"

#: The search objects' types, with the word the search page shows beside a result
#: ("PRC-012 (procedure, in Incident management)").
OBJECT_TYPES: dict[str, ObjType] = {
    **{kind.value: ObjType(kind.value) for kind in DocType if kind is not DocType.EXTERNAL},
    DocType.EXTERNAL.value: ObjType("document of external origin"),
    "record-type": ObjType("record type"),
    "clause": ObjType("clause"),
}

#: Sphinx's priority of an ordinary object: above words in the text, below a page whose title
#: holds the query (priority 0 would rank every ``RT-CHANGE-…`` above the page titled "Change
#: management" for the query "change"); an exact name is ranked first by the script.
PRIORITY = 1

#: (name, display name, type, docname, anchor, priority), as ``Domain.get_objects`` yields them
SearchObject = tuple[str, str, str, str, str, int]


def clause_names(catalogues: Sequence[Catalogue]) -> Iterator[tuple[str, Clause]]:
    """The names a clause is searched by: its bare number (``8.6.3``) where no earlier catalogue
    has that number (bare numbers refer to the first, as in front matter), and, with several
    catalogues, ``KEY:NUMBER`` (``27001:A.5.1``) for every clause."""
    taken: set[str] = set()
    for catalogue in catalogues:
        for clause in catalogue.clauses:
            if clause.number not in taken:
                yield clause.number, clause
            if len(catalogues) > 1:
                yield clause.reference, clause
        taken.update(c.number for c in catalogue.clauses)


def search_objects(result: BuildResult, withheld_docnames: Set[str]) -> Iterator[SearchObject]:
    """Every id of the handbook and every clause number, each at the anchor it has on its page
    (``BuildResult.anchors``, the anchors every generated link uses). Nothing on a page withheld
    from the build's audience: not its own id, nor a record type it declares."""

    def found(name: str, kind: str, key: str) -> Iterator[SearchObject]:
        if key in result.withheld or key not in result.anchors:
            return
        docname, anchor = result.anchors[key]
        if docname not in withheld_docnames:
            yield name, name, kind, docname, anchor, PRIORITY

    handbook = result.handbook
    for document in handbook.documents:
        yield from found(document.id, document.type.value, document.id)
        for record_type in document.record_types:
            yield from found(record_type.id, "record-type", record_type.id)
    for record in handbook.records:
        yield from found(record.id, DocType.RECORD.value, record.id)
    for name, clause in clause_names(handbook.catalogues):
        yield from found(name, "clause", clause.need_id)


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """The search script on the search page alone, deferred so that it runs after Sphinx's
    ``searchtools.js`` (which the search page loads last) and before the query is run."""
    if pagename == "search":
        app.add_js_file(SCRIPT, loading_method="defer")


def drop_withheld_pages(index: dict[str, Any], docnames: Set[str]) -> bool:
    """Take ``docnames`` out of a loaded ``searchindex.js`` (as ``sphinx.search.js_index`` reads
    it): their entries in every table, the words and titles only they held; the other pages are
    numbered again in the same order. Whether anything changed."""
    names: list[str] = index.get("docnames") or []
    dropped = {i for i, name in enumerate(names) if name in docnames}
    if not dropped:
        return False
    renumbered: dict[int, int] = {}
    for old in range(len(names)):
        if old not in dropped:
            renumbered[old] = len(renumbered)
    for key in ("docnames", "filenames", "titles"):
        if isinstance(index.get(key), list):
            index[key] = [v for i, v in enumerate(index[key]) if i not in dropped]
    for key in ("terms", "titleterms"):
        table: dict[str, int | list[int]] = index.get(key) or {}
        for word, pages in list(table.items()):
            kept = [renumbered[p] for p in ([pages] if isinstance(pages, int) else pages) if p in renumbered]
            if not kept:
                del table[word]
            else:
                # Sphinx writes one page as a number, several as a list
                table[word] = kept[0] if len(kept) == 1 else kept
    # [[page, anchor, ...], ...] per title, index entry or object prefix
    for key in ("alltitles", "indexentries", "objects"):
        groups: dict[str, list[list[Any]]] = index.get(key) or {}
        for name, entries in list(groups.items()):
            kept_entries = [[renumbered[e[0]], *e[1:]] for e in entries if e[0] in renumbered]
            if kept_entries:
                groups[name] = kept_entries
            else:
                del groups[name]
    return True
