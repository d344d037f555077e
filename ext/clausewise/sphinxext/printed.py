"""The single-page build that ``clausewise pdf`` renders: the handbook as a printed copy.

Only the ``singlehtml`` builder is affected (the PDF's; the HTML pages are not). Sphinx
assembles every page of the navigation tree into one doctree, each wrapped in a
``start_of_file`` node, and resolves it once, for the root page. On that
``doctree-resolved``, before the placeholders are filled (:func:`on_doctree_resolved`):

- every page starts with a marker (:data:`START_CLASS`): the print stylesheet starts a new
  sheet there, and the marker's anchor is what the table of contents' page numbers count;
  inside it the running header (:data:`HEADER_CLASS`): a governed document's id, title,
  version and status, another page's title;
- a table of contents (:data:`CONTENTS_CLASS`) comes first, one line per page, indented
  by how deep the navigation tree holds it;
- what makes no sense on paper is summarised: a dashboard page (charts and lists of what
  is due on the day it is read, made to be clicked) keeps its title and a line saying
  where to read it; a procedure's record types keep their table (what is recorded, how
  often, by whom) without the grids of every period, whose state changes every day and
  which the record register summarises;
- after they are filled (:func:`after_filling`), their links to other pages point within
  the one page, and a page with a table too wide for a portrait sheet is printed on
  landscape sheets.

The cover (organisation, audience, commit, build date, "Uncontrolled when printed") is
added by ``clausewise pdf`` itself, which knows the commit; the page layout (sheets,
running header, "Page x of y", no hyphenation, rows kept whole) is ``static/clausewise-print.css``,
linked for print in this build only.
"""

from __future__ import annotations

from typing import TypeVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from clausewise.core.model import GovernedDocument
from clausewise.pipeline.assembly import BuildResult
from clausewise.sphinxext import render
from clausewise.sphinxext.domain import domain
from clausewise.sphinxext.events import PRINT_BUILDER as PRINT_BUILDER  # what ``clausewise pdf`` renders
from clausewise.sphinxext.events import linker
from clausewise.sphinxext.placeholders import Kind, clausewise_placeholder

#: The print stylesheet, in ``static/``, linked with ``media="print"`` in the print build only.
PRINT_CSS = "clausewise-print.css"

START_CLASS = "clausewise-print-start"
HEADER_CLASS = "clausewise-print-header"
CONTENTS_CLASS = "clausewise-print-contents"
SUMMARY_CLASS = "clausewise-print-summary"
WIDE_CLASS = "clausewise-print-wide"
#: A table with this many columns or more does not fit across a portrait sheet: it is
#: printed on landscape sheets (the document register, a handbook's own wide table).
WIDE_COLUMNS = 9

N = TypeVar("N", bound=nodes.Node)

#: Where a page's marker is, for the table of contents' links.
ANCHOR_PREFIX = "clausewise-print-"

LEFT_OUT_DASHBOARD = (
    "Not printed: this page shows what is due on the day it is read, with charts and links to follow. "
    "Read it in the published handbook."
)
LEFT_OUT_GRIDS = (
    "Printed without the grids of every period: the record register shows each record type's "
    "latest record and what is due; the published handbook has every period and its record."
)


def printing(app: Sphinx) -> bool:
    return app.builder is not None and app.builder.name == PRINT_BUILDER


def add_print_stylesheet(app: Sphinx) -> None:
    """On ``builder-inited``: the print stylesheet, for the print build only (a browser
    printing the single page uses it too)."""
    if printing(app):
        app.add_css_file(PRINT_CSS, media="print")


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Mark every page of the assembled tree, summarise what paper cannot show, and put
    the table of contents first. Runs before the placeholders are filled (priority 400)."""
    if not printing(app) or docname != app.config.root_doc:
        return
    result = domain(app.env).result
    if result is None:
        return
    link = linker(app, docname, result)
    entries = [prepare(app, doctree, docname, 0, result, link)]
    entries += [prepare(app, page, page["docname"], depth, result, link) for page, depth in pages(doctree)]
    doctree.insert(0, contents(entries))


def prepare(
    app: Sphinx, page: nodes.Element, docname: str, depth: int, result: BuildResult, link: render.Linker
) -> tuple[int, str, str]:
    """One page of the assembled tree (the root page is the tree itself) made ready for
    paper; its line in the table of contents."""
    kinds = {kind for kind, _ in domain(app.env).placeholders.get(docname, set())}
    if Kind.DASHBOARD.value in kinds:
        summarise(page, LEFT_OUT_DASHBOARD)
    for node in own_nodes(page, clausewise_placeholder):
        if node["kind"] == Kind.RECORD_TYPES.value:
            node.replace_self(record_types_without_grids(result, link, node["item_id"]))
    label, header = describe(app, docname)
    # inside the page's first section, so that a landscape page (:func:`mark_wide_pages`) starts with it
    top = next(iter(own_nodes(page, nodes.section)), None)
    (top if top is not None else page).insert(0, start_marker(docname, header))
    return depth, anchor(docname), label


def after_filling(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """After the placeholders are filled (priority 600): their links made links within the
    one page (:func:`within_the_page`), and wide pages marked (:func:`mark_wide_pages`)."""
    if not printing(app) or docname != app.config.root_doc:
        return
    within_the_page(doctree)
    mark_wide_pages(doctree)


def within_the_page(doctree: nodes.document) -> None:
    """A generated link to an anchor of another page is ``#document-<page>#<anchor>`` in
    the single page (the page's address, then the anchor): kept so, no link in the PDF
    would go anywhere. The anchor alone is the place, as every anchor is in the one page."""
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if uri.startswith("#document-") and uri.count("#") == 2:
            ref["refuri"] = "#" + uri.rsplit("#", 1)[1]


def mark_wide_pages(doctree: nodes.document) -> None:
    """A page with a table of :data:`WIDE_COLUMNS` columns or more is printed on landscape
    sheets; where the page holds other pages (an index), only the table is, so that they
    stay upright."""
    for page in [doctree, *(p for p, _ in pages(doctree))]:
        wide = [t for t in own_nodes(page, nodes.tgroup) if int(t.get("cols", 0)) >= WIDE_COLUMNS]
        if not wide:
            continue
        top = next(iter(own_nodes(page, nodes.section)), None)
        if top is not None and not holds_a_page(top):
            top["classes"].append(WIDE_CLASS)
        else:
            for group in wide:
                group.parent["classes"].append(WIDE_CLASS)


def anchor(docname: str) -> str:
    return ANCHOR_PREFIX + docname


def describe(app: Sphinx, docname: str) -> tuple[str, str]:
    """A page's line in the table of contents and its running header: for a governed
    document its id and title, and in the header its version (or edition) and status too;
    for another page its title."""
    page = domain(app.env).pages.get(docname)
    item = page.item if page is not None else None
    if isinstance(item, GovernedDocument):
        version = (
            f"version {item.version}" if item.version else f"edition {item.edition}" if item.edition else "no version"
        )
        status = item.status.value if item.status is not None else "status invalid"
        return f"{item.id} {item.title}", f"{item.id} \u00b7 {item.title} \u00b7 {version} \u00b7 {status}"
    title_node = app.env.titles.get(docname)
    title = title_node.astext() if title_node is not None else docname
    return title, title


def start_marker(docname: str, header: str) -> nodes.container:
    """Where a page starts a new sheet: its anchor, and its running header as text."""
    marker = nodes.container(ids=[anchor(docname)], classes=[START_CLASS])
    marker += nodes.paragraph(header, header, classes=[HEADER_CLASS])
    return marker


def contents(entries: list[tuple[int, str, str]]) -> nodes.container:
    """The table of contents: one linked line per page; the stylesheet adds the page number."""
    box = nodes.container(classes=[CONTENTS_CLASS])
    box += nodes.rubric("Contents", "Contents")
    for depth, target, label in entries:
        line = nodes.paragraph(classes=[f"clausewise-print-depth-{min(depth, 4)}"])
        line += nodes.reference(label, label, internal=True, refuri="#" + target)
        box += line
    return box


def summarise(page: nodes.Element, note: str) -> None:
    """Keep a page's title (and any page it includes), and say why the rest is not printed."""
    top = next(iter(own_nodes(page, nodes.section)), None)
    if top is None:
        return
    for child in list(top.children):
        if isinstance(child, nodes.title) or holds_a_page(child):
            continue
        top.remove(child)
    title = next(iter(top.findall(nodes.title)), None)
    summary = render.paragraph(note)
    summary["classes"].append(SUMMARY_CLASS)
    top.insert(top.index(title) + 1 if title is not None else 0, summary)


def record_types_without_grids(result: BuildResult, link: render.Linker, item_id: str) -> list[nodes.Node]:
    doc = result.items.get(item_id)
    if not isinstance(doc, GovernedDocument) or not doc.record_types:
        return []
    summary = render.paragraph(LEFT_OUT_GRIDS)
    summary["classes"].append(SUMMARY_CLASS)
    return [render.record_types_table(doc.record_types, link, result.records, anchored=True), summary]


def pages(tree: nodes.Node, depth: int = 0) -> list[tuple[addnodes.start_of_file, int]]:
    """Every page included in ``tree``, in the order printed, with how many pages hold it.
    Found by walking down: Sphinx sets an included page's children without their parents."""
    found: list[tuple[addnodes.start_of_file, int]] = []
    for child in tree.children if isinstance(tree, nodes.Element) else ():
        if isinstance(child, addnodes.start_of_file):
            found.append((child, depth))
            found += pages(child, depth + 1)
        else:
            found += pages(child, depth)
    return found


def own_nodes(page: nodes.Element, kind: type[N]) -> list[N]:
    """The nodes of ``kind`` in ``page`` itself, not in the pages it includes, in order."""
    found: list[N] = []
    for child in page.children:
        if isinstance(child, addnodes.start_of_file):
            continue
        if isinstance(child, kind):
            found.append(child)
        if isinstance(child, nodes.Element):
            found += own_nodes(child, kind)
    return found


def holds_a_page(node: nodes.Node) -> bool:
    return isinstance(node, addnodes.start_of_file) or bool(pages(node))
