"""Docutils nodes for the pages clausewise generates: tables and lists only.

Rendering is kept apart from the rules: every function takes results already
computed (coverage rows, role duties, a document) plus a :class:`Linker` that
knows how to point at another page, and returns nodes.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from docutils import nodes

from clausewise.core.dates import months_text
from clausewise.core.findings import Finding
from clausewise.core.history import Approval, FileHistory, History, ReviewApproval, WorkingState
from clausewise.core.model import (
    Catalogue,
    Confirmation,
    DocType,
    FieldScalar,
    FieldSpec,
    FieldType,
    GovernedDocument,
    PeriodUnit,
    Record,
    RecordStatus,
    RecordType,
)
from clausewise.core.settings import ClausewiseConfig
from clausewise.core.urls import dangerous_scheme
from clausewise.outputs.dashboard import (
    Activity,
    Urgency,
    bar_svg,
    coverage_counts,
    records_by_month,
    review_counts,
    stacked_bars_svg,
    urgent_items,
)
from clausewise.outputs.trend import TrendPoint, trend_svg
from clausewise.pipeline.editlinks import WebEditor
from clausewise.rules import revisions
from clausewise.rules.approval import Refusal, Verdict
from clausewise.rules.coverage import (
    GAP_STATES,
    ClauseCoverage,
    Coverage,
    CoverageSummary,
    Reason,
    Ref,
    RoleDuties,
    coverage_reason,
    summarise,
    without_periods,
)
from clausewise.rules.customers import ComplaintRow, ComplaintState, SatisfactionSeries
from clausewise.rules.evidence import RecordTypeStatus
from clausewise.rules.measurements import Series, target_text, with_unit
from clausewise.rules.periods import PeriodState, PeriodStatus
from clausewise.rules.register import Register, RegisterEntry
from clausewise.rules.retention import retention_text
from clausewise.rules.staleness import Review, ReviewState
from clausewise.rules.suppliers import SupplierStatus
from clausewise.sources.metadata import CADENCE_HELP
from clausewise.sphinxext import parts

#: (docname, anchor) for an id, or None when the id is not in the handbook.
Resolve = Callable[[str], tuple[str, str] | None]


@dataclass
class Linker:
    """Makes references from the page being written to ids elsewhere."""

    fromdocname: str
    resolve: Resolve
    relative_uri: Callable[[str, str], str]
    clause_ids: dict[str, str]  # a clause reference as front matter writes it -> need id
    titles: dict[str, str]  # id -> title, to name roles by what they are
    #: the forge's web editor, for "Edit this page" and "add" links (None: no such links)
    editor: WebEditor | None = None
    #: the web editor's link that adds a period's missing record ("": none for that period)
    new_record: Callable[[RecordTypeStatus, PeriodStatus], str] = lambda status, period: ""
    #: a page that holds a handbook-wide table, by its placeholder kind (``"action-register"`` ->
    #: ``"docs/actions"``): where a summary links to its detail; the first page, by name, of each
    pages: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: the page is written by Sphinx's own HTML translator: the parts every page repeats go to it
    #: as their HTML text (:func:`block_nodes`)
    as_html: bool = False

    def named(self, ident: str | None) -> nodes.Node:
        """A link labelled with the title of what it points at (a role's name, say)."""
        return inline_node(self.named_part(ident))

    def named_part(self, ident: str | None) -> parts.Inline:
        if ident is None:
            return parts.Span("invalid", (MISSING_CLASS,))
        return self.part(ident, self.titles.get(ident, ident))

    def clause(self, number: str) -> nodes.Node:
        """A clause number, linked to its row in the clause catalogue."""
        return inline_node(self.clause_part(number))

    def clause_part(self, number: str) -> parts.Inline:
        return self.part(self.clause_ids.get(number, number), number)

    def clauses(self, numbers: Iterable[str]) -> list[nodes.Node]:
        return joined(self.clause(n) for n in numbers)

    def ref(self, ident: str, text: str | None = None) -> nodes.Node:
        return inline_node(self.part(ident, text))

    def part(self, ident: str, text: str | None = None) -> parts.Link | parts.Span:
        """A link to ``ident``'s place labelled ``text`` (else the id); the label alone, marked
        missing, when the handbook has no such id."""
        label = text or ident
        target = self.resolve(ident)
        if target is None:
            return parts.Span(label, (MISSING_CLASS,))
        docname, anchor = target
        return parts.Link(label, self.relative_uri(self.fromdocname, docname) + "#" + anchor, internal=True)

    def refs(self, idents: Iterable[str]) -> list[nodes.Node]:
        return joined(self.ref(i) for i in idents)

    def page(self, kind: str, text: str) -> nodes.Node:
        """A link to the page that holds the table of placeholder kind ``kind``; the text alone
        when no page of the handbook holds one."""
        docname = self.pages.get(kind)
        if docname is None:
            return nodes.inline(text, text)
        return nodes.reference(text, text, internal=True, refuri=self.relative_uri(self.fromdocname, docname))


def joined(groups: Iterable[nodes.Node | list[nodes.Node]], separator: str = ", ") -> list[nodes.Node]:
    """``groups`` (a node, or nodes that belong together) with ``separator`` between them."""
    out: list[nodes.Node] = []
    for n, group in enumerate(groups):
        if n:
            out.append(nodes.Text(separator))
        out.extend(group if isinstance(group, list) else [group])
    return out


#: the class of a link's label whose target the handbook does not have
MISSING_CLASS = "clausewise-missing"


def inline_node(part: parts.Inline) -> nodes.Node:
    """The docutils node of an inline part (:mod:`clausewise.sphinxext.parts`)."""
    match part:
        case parts.Text(text):
            return nodes.Text(text)
        case parts.Span(text, classes):
            return nodes.inline(text, text, classes=list(classes))
        case parts.Emphasis(text):
            return nodes.emphasis("", text)
        case parts.Code(text):
            return nodes.literal(text, text)
        case parts.Link(text, uri, internal, title, classes):
            ref = nodes.reference(text, text, refuri=uri, classes=list(classes))
            if internal:
                ref["internal"] = True
            if title:
                ref["reftitle"] = title
            return ref
    raise AssertionError(part)


def inline_nodes(run: parts.Inlines) -> list[nodes.Node]:
    return [inline_node(p) for p in run]


def _cell_nodes(cell: parts.Cell) -> nodes.Node | list[nodes.Node]:
    if isinstance(cell, parts.Entry):
        return _cell(inline_nodes(cell.content), cell.classes, cell.label)
    if isinstance(cell, parts.Lines):
        block = nodes.line_block()
        for line in cell.lines:
            node = nodes.line(classes=list(line.classes))
            node.extend(inline_nodes(line.parts))
            block += node
        return [block]
    return inline_nodes(cell)


class clausewise_html(nodes.raw):  # noqa: N801 - docutils naming
    """Generated parts as the HTML Sphinx's translator would write of their nodes
    (:func:`clausewise.sphinxext.parts.html`), made only for pages that translator writes. Its
    class ``no-search`` keeps the search indexer from reading it as raw HTML: the parts written
    this way are the ones it does not index (:data:`NOT_SEARCHED`)."""


def visit_clausewise_html(translator: Any, node: clausewise_html) -> None:
    translator.body.append(node.astext())
    raise nodes.SkipNode


class search_words(nodes.Element):  # noqa: N801 - docutils naming
    """The words of generated parts written as HTML text, for the search index alone: the indexer
    reads this node's text (a page's words are a set, so their order does not matter), and the
    HTML translator writes nothing of it (:func:`skip_node`). Made only beside a
    :class:`clausewise_html`, for the handbook-wide tables, whose words the index keeps."""


def skip_node(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def block_nodes(blocks: Sequence[parts.Block], link: Linker, *, searched: bool = False) -> list[nodes.Node]:
    """``blocks`` for the page ``link`` writes: one node of their HTML where Sphinx's own HTML
    translator writes it (``Linker.as_html``), else their nodes (:func:`nodes_of`). ``searched``:
    their words go to the search index (with a :class:`search_words`), as their nodes' would."""
    if not link.as_html or not blocks:
        return nodes_of(blocks)
    markup = parts.html(blocks)
    made: list[nodes.Node] = [clausewise_html(markup, markup, format="html", classes=[NOT_SEARCHED])]
    if searched:
        text = parts.words(blocks)
        made.append(search_words(text, nodes.Text(text)))
    return made


def nodes_of(blocks: Iterable[parts.Block]) -> list[nodes.Node]:
    """The docutils nodes of generated parts: what every builder but the HTML ones is given
    (those write :func:`clausewise.sphinxext.parts.html`, the same HTML)."""
    out: list[nodes.Node] = []
    for block in blocks:
        if isinstance(block, parts.Paragraph):
            out.append(paragraph(*inline_nodes(block.parts)))
            continue
        tbl = table(
            block.headers,
            [[_cell_nodes(c) for c in row] for row in block.rows],
            classes=block.classes,
            widths=block.widths,
            row_ids=block.row_ids or None,
            row_classes=block.row_classes or None,
            stacked=block.stacked,
        )
        if block.anchor:
            tbl["ids"].append(block.anchor)
        out.append(tbl)
    return out


#: the class of a table whose rows become stacked cards on a narrow screen (clausewise.css):
#: each body cell is a :class:`labelled_entry` that carries its column's heading
STACKED_CLASS = parts.STACKED_CLASS

#: Sphinx's search indexer skips an element with this class (``WordCollector``). Given to what
#: every governed page repeats with other values: its status box, its period grids and its
#: "Revision history" section (``directives.PageDirective``). Their words (labels, role titles,
#: dates, states, commit subjects) are on hundreds of pages, so a search for them finds every page
#: and none in particular, and they were most of the words a large build's indexer stemmed. Each id
#: they show is a search object of its own page (``search.search_objects``); every part is on the
#: page as before.
NOT_SEARCHED = "no-search"


class labelled_entry(nodes.entry):  # noqa: N801 (docutils names node classes in lower case)
    """A body cell that knows its column's heading. HTML writes it as ``data-label``, which a
    stacked table shows before the cell's value; every other writer finds ``visit_entry`` first
    on the class's MRO (as Sphinx's translators dispatch) and writes a plain cell."""


def visit_labelled_entry_html(translator: Any, node: labelled_entry) -> None:
    translator.visit_entry(node)
    start: str = translator.body[-1]
    if start.startswith("<td"):  # a heading cell (th) is its own label
        translator.body[-1] = f'<td data-label="{translator.attval(node["label"])}"{start[3:]}'


def depart_labelled_entry_html(translator: Any, node: labelled_entry) -> None:
    translator.depart_entry(node)


#: The page whose placeholders are being filled (:func:`filling`), if any.
_PAGE: ContextVar[nodes.document | None] = ContextVar("clausewise_page", default=None)


@contextmanager
def filling(page: nodes.document) -> Iterator[None]:
    """While a page's generated parts are made: the rows of their tables are made in ``page``.

    docutils looks up the document of a node each time a child is added to it, and for a node not
    yet in one it fails with an exception it catches: every cell of every table paid for one,
    which was a tenth of a large build's time spent making the generated parts."""
    token = _PAGE.set(page)
    try:
        yield
    finally:
        _PAGE.reset(token)


def table(
    headers: Sequence[str] | None,
    rows: Iterable[Sequence[nodes.Node | str | list[nodes.Node]]],
    *,
    classes: Sequence[str] = (),
    widths: Sequence[int] | None = None,
    row_ids: Sequence[str] | None = None,
    row_classes: Sequence[Sequence[str]] | None = None,
    stacked: bool = False,
) -> nodes.table:
    """A table of ``rows`` under ``headers``. ``stacked`` (with headers) makes each row a card of
    labelled cells on a narrow screen, so that no column is off-screen on a phone."""
    stacked = stacked and bool(headers)
    tbl = nodes.table(classes=[parts.TABLE_CLASS, *classes, *([STACKED_CLASS] if stacked else [])])
    page = _PAGE.get()
    if page is not None:
        tbl.document = page  # so every node added below knows it at once (filling)
    rows = list(rows)
    columns = len(headers) if headers else len(rows[0]) if rows else 1
    group = nodes.tgroup(cols=columns)
    tbl += group
    for width in widths or [1] * columns:
        group += nodes.colspec(colwidth=width)
    if headers:
        head = nodes.thead()
        group += head
        head += _row(headers)
    body = nodes.tbody()
    group += body
    for index, cells in enumerate(rows):
        row = _row(cells, headers if stacked else None)
        if row_ids is not None and row_ids[index]:
            row["ids"].append(row_ids[index])
        if row_classes is not None:
            row["classes"].extend(row_classes[index])
        body += row
    return tbl


def _row(cells: Iterable[nodes.Node | str | list[nodes.Node]], labels: Sequence[str] | None = None) -> nodes.row:
    row = nodes.row()
    page = _PAGE.get()
    if page is not None:
        row.document = page
    # each node is added to its parent before its own children are, so that it knows its document
    for column, cell in enumerate(cells):
        if isinstance(cell, nodes.entry):  # made whole by the caller (its own classes, its label)
            row += cell
            continue
        entry = labelled_entry(label=labels[column]) if labels is not None else nodes.entry()
        row += entry
        if isinstance(cell, list) and any(isinstance(c, nodes.line_block) for c in cell):
            entry.extend(cell)  # block content goes straight into the cell
            continue
        para = nodes.paragraph()
        entry += para
        if isinstance(cell, str):
            para += nodes.Text(cell)
        elif isinstance(cell, list):
            para.extend(cell)
        else:
            para += cell
    return row


def paragraph(*parts: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph()
    for part in parts:
        para += nodes.Text(part) if isinstance(part, str) else part
    return para


def _text(value: object | None, missing: str = "invalid") -> str:
    return missing if value is None else str(value)


COVERAGE_CLASS = {
    Coverage.COVERED: "clausewise-covered",
    Coverage.COVERED_WITH_GAPS: "clausewise-covered-with-gaps",
    Coverage.RECORDS_MISSING: "clausewise-records-missing",
    Coverage.DECLARED_ONLY: "clausewise-declared",
    Coverage.UNCOVERED: "clausewise-uncovered",
    Coverage.NOT_APPLICABLE: "clausewise-not-applicable",
}


def coverage_summary(summary: CoverageSummary, window_months: int = 12) -> nodes.Node:
    return paragraph(
        nodes.strong("", f"{summary.covered} of {summary.total} clauses covered"),
        # only where there are some: a handbook whose records are complete reads as it always did
        (
            f"; {summary.covered_with_gaps} covered with gaps in the last {months_text(window_months)}"
            if summary.covered_with_gaps
            else ""
        )
        + f"; {summary.records_missing} with records missing; "
        f"{summary.declared_only} declared only (draft, retired or not yet effective documents); "
        f"{summary.uncovered} uncovered; {summary.justified} of the gaps justified"
        + (f"; {summary.not_applicable} not applicable (excluded)." if summary.not_applicable else "."),
    )


def _reason(reason: Reason, link: Linker) -> list[nodes.Node]:
    return [link.ref(part.ident) if isinstance(part, Ref) else nodes.Text(part) for part in reason]


def _document_line(doc: GovernedDocument, link: Linker) -> nodes.Node:
    """A satisfying document in the matrix: id (linked), title, version (an external one's edition),
    status and owner."""
    line = nodes.line()
    edition = f"edition {_text(doc.edition)}" if doc.type is DocType.EXTERNAL else f"version {_text(doc.version)}"
    line += [
        link.ref(doc.id),
        nodes.Text(f" {doc.title} \u2014 {edition}, {_text(doc.status)}, "),
        link.named(doc.owner),
    ]
    return line


def _record_type_line(
    rt: RecordType, row: ClauseCoverage, status: RecordTypeStatus | None, link: Linker, window: str
) -> nodes.Node:
    """A record type in the matrix: its id (linked to its period grid, marked when its latest due
    record is missing), its latest record with the period it covers and the day it was produced,
    and the number of its periods within the audit window that have no record, linked to the grid."""
    line = nodes.line()
    line += link.ref(rt.id)
    if rt.id in row.stale_record_types:
        marker = (
            " (no record within its window)" if status is not None and status.event is not None
            else " (records cannot be judged)" if status is not None and rt.cadence is None
            else " (latest due record missing)"
        )  # fmt: skip
        line += nodes.inline(marker, marker, classes=["clausewise-missing-records"])
    latest = status.last_record if status is not None else None
    if latest is None:
        line += nodes.Text(": no record yet")
    else:
        line += [
            nodes.Text(": latest "),
            link.ref(latest.id),
            nodes.Text(f" (period {_text(latest.period)}, produced {_text(latest.produced)})"),
        ]
    if status is not None and status.event is None and status.periods:
        # a per-event type has no periods: its own window is the check, shown by the marker
        labels = [g.label for g in row.gaps if g.record_type == rt.id]
        count = f"{len(labels)} missing period{'' if len(labels) == 1 else 's'}" if labels else "no missing period"
        line += [nodes.Text("; "), link.ref(rt.id, f"{count} in the last {window}")]
        if labels:
            line += nodes.Text(f" ({', '.join(labels)})")
    return line


#: The matrix's columns, key columns first: on a phone each row is stacked in this order.
MATRIX_HEADERS = ("Clause", "Coverage", "Documents that satisfy it", "Records (latest, missing periods)")


def matrix(
    rows: Sequence[ClauseCoverage],
    link: Linker,
    statuses: Mapping[str, RecordTypeStatus] | None = None,
    window_months: int = 12,
) -> nodes.Node:
    """The traceability matrix; ``statuses`` (record type id -> its periods and records)
    give each record type its latest record and gap count, within the audit window of
    ``window_months``. Each row is classed by its coverage, and ``clausewise-gap`` when it
    is a gap (:data:`~clausewise.rules.coverage.GAP_STATES`), for colour and the filters."""
    window = months_text(window_months)
    known = statuses or {}
    unscheduled = without_periods(known)
    body = []
    for row in rows:
        indent = "\u2003" * (row.depth - 1)
        clause = [nodes.Text(indent), link.ref(row.need_id, row.number), nodes.Text(f" {row.heading}")]
        state = row.status.value
        coverage: list[nodes.Node] = [
            nodes.strong("", state[:1].upper() + state[1:]),
            nodes.Text(": "),
            *_reason(coverage_reason(row, window, unscheduled), link),
        ]
        docs = [_document_line(doc, link) for doc in row.documents]
        documents: list[nodes.Node] = [nodes.line_block("", *docs)] if docs else [nodes.Text("\u2014")]
        record_types: list[nodes.Node] | str = (
            [nodes.line_block("", *(_record_type_line(rt, row, known.get(rt.id), link, window)
                                    for rt in row.record_types))]
            if row.record_types else "\u2014"
        )  # fmt: skip
        body.append((clause, coverage, documents, record_types))
    return table(
        MATRIX_HEADERS,
        body,
        classes=["clausewise-matrix"],
        widths=[16, 28, 27, 29],
        row_classes=[[COVERAGE_CLASS[r.status], *(["clausewise-gap"] if r.status in GAP_STATES else [])] for r in rows],
    )


def matrix_filters(total: int, gaps: int, standards: Sequence[tuple[str, str]] = ()) -> nodes.Node:
    """The matrix's filter buttons (all clauses, gaps only, and with several ``standards``, given as
    (part id, name), one per standard), for ``clausewise-matrix.js``. Hidden until the script runs:
    without it the whole matrix shows and no button pretends to work."""

    def button(group: str, value: str, label: str, pressed: bool) -> str:
        return (
            f'<button type="button" data-filter="{group}" data-value="{html.escape(value)}" '
            f'aria-pressed="{"true" if pressed else "false"}">{html.escape(label)}</button>'
        )

    groups = [
        '<div role="group" aria-label="Clauses">'
        + button("rows", "all", f"All clauses ({total})", True)
        + button("rows", "gaps", f"Gaps only ({gaps})", False)
        + "</div>"
    ]
    if len(standards) > 1:
        groups.append(
            '<div role="group" aria-label="Standard">'
            + button("standard", "all", "All standards", True)
            + "".join(button("standard", part_id, name, False) for part_id, name in standards)
            + "</div>"
        )
    markup = (
        '<div class="clausewise-matrix-filters" hidden>'
        + "".join(groups)
        + f'<p class="clausewise-matrix-shown" aria-live="polite">Showing {total} of {total} clauses</p></div>'
    )
    return nodes.raw("", markup, format="html")


def statement_of_applicability(rows: Sequence[ClauseCoverage], link: Linker) -> nodes.Node:
    """Every excludable control: whether it applies, why not, the documents that implement it, its coverage."""
    body = []
    for row in rows:
        control = [link.ref(row.need_id, row.number), nodes.Text(f" {row.heading}")]
        reason: list[nodes.Node] | str = "\u2014"
        if row.excluded is not None:
            doc_id, just = row.excluded
            reason = [nodes.Text(f"{just.reason} ("), link.ref(doc_id), nodes.Text(")")]
        documents = link.refs(d.id for d in row.documents) or "\u2014"
        body.append((control, "no" if row.excluded else "yes", reason, documents, row.status.value))
    return table(
        ["Control", "Applicable", "Justification for exclusion", "Implemented by", "Coverage"],
        body,
        classes=["clausewise-applicability"],
        widths=[34, 10, 28, 16, 12],
        row_classes=[[COVERAGE_CLASS[r.status]] for r in rows],
    )


#: A heading's confirmation as the catalogue page shows it, explained once by :func:`confirmation_legend`.
CONFIRMATION_WORDS = {
    Confirmation.CONFIRMED: "yes",
    Confirmation.ONE_SOURCE: "by one source",
    Confirmation.UNCONFIRMED: "no",
}


def confirmation_legend() -> nodes.Node:
    """What "Heading confirmed" means, for an auditor comparing the headings with the standard."""
    para = paragraph(
        "Heading confirmed: the short headings below were checked against public tables of contents "
        "of the standard, not copied from it. yes: two or more independent public sources agree on the "
        "heading. by one source: only one public source was found. no: the heading could not be confirmed "
        "and may differ from the standard's wording. Either way the clause number is the reference; "
        "read the heading in your copy of the standard."
    )
    para["classes"].append("clausewise-confirmation-legend")
    return para


def catalogue_table(catalogue: Catalogue) -> nodes.Node:
    rows = [
        ((("\u2003" * (c.depth - 1)) + c.number), c.heading, CONFIRMATION_WORDS[c.confirmation])
        for c in catalogue.clauses
    ]
    return table(
        ["Clause", "Heading", "Heading confirmed"],
        rows,
        classes=["clausewise-catalogue"],
        widths=[12, 70, 18],
        row_ids=[c.need_id for c in catalogue.clauses],
    )


REVIEW_CLASS = {
    ReviewState.OVERDUE: "clausewise-overdue",
    ReviewState.DUE_SOON: "clausewise-due-soon",
    ReviewState.CURRENT: "clausewise-current",
}


def review_marker(review: Review | None) -> list[nodes.Node]:
    """Next review date with a visible state: 'overdue', 'due soon', or the date alone."""
    return inline_nodes(review_marker_parts(review))


def review_marker_parts(review: Review | None) -> parts.Inlines:
    if review is None:
        return (parts.Text("\u2014"),)
    if review.next_due is None:
        return (parts.Emphasis(review.state.value),)
    # a span of its own: a narrow column may put the marker under the date, never break the date
    due = parts.Span(str(review.next_due), ("clausewise-date",))
    if review.state not in (ReviewState.OVERDUE, ReviewState.DUE_SOON):
        return (due,)
    days = review.days_left or 0
    when = f"{-days} days ago" if days < 0 else f"in {days} days"
    label = f"{review.state.value.upper()} ({when})"
    return (due, parts.Text(" "), parts.Span(label, ("clausewise-marker", REVIEW_CLASS[review.state])))


def document_box(
    doc: GovernedDocument, link: Linker, review: Review | None = None, history: FileHistory | None = None
) -> parts.Table:
    """The metadata box at the top of a governed page."""
    last = history.last_content_change if history is not None else None
    external = doc.type is DocType.EXTERNAL
    text = parts.inlines
    rows: list[tuple[str, parts.Inlines]] = [
        ("Document", text(f"{doc.id} ({doc.type.value})")),
        ("Owner", (link.named_part(doc.owner),)),
        ("Status", text(_text(doc.status))),
    ]
    if external:
        rows += [
            ("Issuer", text(_text(doc.issuer))),
            ("Edition", text(_text(doc.edition))),
            ("Location", (location_part(doc.location),)),
        ]
    else:
        rows.append(("Version", text(_text(doc.version))))
    rows += [
        ("Effective", text(_text(doc.effective, "\u2014"))),
        ("Last reviewed", text(_text(doc.reviewed, "\u2014"))),
        ("Review interval", text(f"{doc.review_interval_months} months")),
        ("Next review due", review_marker_parts(review)),
        ("Last changed", text(str(last.commit.day) if last is not None else "\u2014")),
        ("Classification", text(_text(doc.classification))),
    ]
    if doc.satisfies:
        rows.append(("Satisfies", parts.joined(link.clause_part(n) for n in doc.satisfies)))
    if doc.implements:
        rows.append(("Implements", parts.joined(link.part(i) for i in doc.implements)))
    if doc.uses:
        rows.append(("Uses", parts.joined(link.part(i) for i in doc.uses)))
    return _field_table(rows, doc.id)


def location_part(where: str | None) -> parts.Inline:
    """Where a document is kept: an http(s) address as a link, anything else (a path, a
    shelf) as text; ``None`` (a refused value: its finding says why) as "invalid"."""
    if where is None:
        return parts.Span("invalid", (MISSING_CLASS,))
    if where.lower().startswith(("https://", "http://")) and dangerous_scheme(where) is None:
        return parts.Link(where, where, internal=False)
    return parts.Code(where)


#: The class of the box an invalid page shows instead of its status box.
INVALID_BOX_CLASS = "clausewise-invalid"


def invalid_box(path: str, findings: Sequence[Finding]) -> nodes.Node:
    """What a page whose metadata failed validation shows where its status box would
    be: a warning that lists the page's own findings, so that no reader takes a page
    with (say) an unreadable status for an approved one."""
    box = nodes.admonition(classes=[INVALID_BOX_CLASS, "error"])
    box += nodes.title("", "Metadata invalid: see findings")
    box += paragraph(
        f"The front matter of {path} failed validation, so this page's status, owner and dates "
        "are not known; do not rely on it until its owner fixes:"
    )
    items = nodes.bullet_list()
    for f in findings:
        where = f"line {f.line}" if f.line else path
        items += nodes.list_item("", paragraph(nodes.literal(f.code.value, f.code.value), f" {where}: {f.message}"))
    box += items
    return box


def unusable_notice(message: str) -> nodes.Node:
    """The dashboard's first word when the handbook as a whole is unusable."""
    box = nodes.admonition(classes=["clausewise-unusable", "error"])
    box += nodes.title("", "The handbook cannot be judged")
    box += paragraph(message[:1].upper() + message[1:] + ".")
    box += paragraph("Nothing below is reliable until this is fixed.")
    return box


#: The class of the notice a page withheld from the build's audience shows.
WITHHELD_CLASS = "clausewise-withheld"


def withheld_notice(path: str, item: GovernedDocument | Record | None, cfg: ClausewiseConfig) -> nodes.Node:
    """What a page the build's audience may not read shows in place of its body:
    why, and which audiences' builds have it."""
    what = "record" if isinstance(item, Record) else "document"
    level = item.classification if item is not None else None
    box = nodes.admonition(classes=[WITHHELD_CLASS, "note"])
    box += nodes.title("", "Content withheld from this build")
    readable = ", ".join(cfg.readable_levels)
    box += paragraph(f"This build is for the audience {cfg.audience}, which reads pages classified {readable}.")
    title_level = item.title_classification if item is not None else None
    hidden = [lv for lv in (level, title_level) if lv and not cfg.may_read(lv)]
    if level is None or not hidden:
        # withheld for want of a level: none that the front matter names is valid
        key = "classification" if level is None else "title_classification"
        box += paragraph(
            f"The {what} in {path} has no valid {key}, so its content is withheld from every "
            "audience until its front matter names one."
        )
        return box
    readers = [a for a, levels in cfg.audiences.items() if all(lv in levels for lv in hidden)]
    title = f" and its title classified {title_level}" if title_level in hidden else ""
    box += paragraph(
        f"This {what} is classified {level}{title}: its metadata is shown here, its content only in the "
        f"build for {', '.join(readers) or 'no audience'}."
    )
    return box


def withheld_text(path: str, cfg: ClausewiseConfig) -> str:
    """What stands in for a withheld page's file where another page includes it."""
    return f"Content withheld: {path} is a page the audience {cfg.audience} of this build may not read.\n"


def record_box(record: Record, link: Linker, *, evidence_shown: bool = True) -> parts.Table:
    """A record's status box; without ``evidence_shown`` (a withheld record, and
    ``clausewise_withheld_evidence`` false) it says that there is evidence, not where."""
    text = parts.inlines
    rows: list[tuple[str, parts.Inlines]] = [
        ("Record", text(record.id)),
        ("Record type", (link.part(record.record_type),) if record.record_type else text("invalid")),
        ("Period covered", text(_text(record.period))),
        ("Produced on", text(_text(record.produced))),
        ("Produced by", text(_text(record.produced_by))),
        ("Classification", text(_text(record.classification))),
    ]
    if record.status is RecordStatus.DRAFT:
        rows.append(("Status", text("draft: not evidence until it is filled in and its status set to current")))
    elif record.status is not RecordStatus.CURRENT:
        rows.append(("Status", text(record.status.value)))
    elif record.unfilled_line is not None:
        rows.append(("Status", text("not filled in: it still holds placeholder text, so it is not evidence")))
    if record.correction:
        rows.append(("Correction", text(record.correction)))
    if record.evidence and not evidence_shown:
        rows.append(("Evidence", text("withheld from this build")))
    elif record.evidence:
        rows.append(("Evidence", tuple(_evidence(e) for e in record.evidence)))
    return _field_table(rows, record.id)


def record_fields_table(record: Record, declared: Sequence[FieldSpec], link: Linker) -> nodes.Node:
    """A record's fields (those its record type declares, in that order), above its prose: an id
    links to what it names, a clause to its row in the catalogue; a field without a value shows a dash."""
    rows: list[tuple[str, nodes.Node | str | list[nodes.Node]]] = []
    for spec in declared:
        field = record.field(spec.name)
        if field is None or field.type is not spec.type:
            rows.append((spec.name, "\u2014"))
            continue
        rows.append((spec.name, joined(_field_value(field.type, v, link) for v in field.values)))
    tbl = table(["Field", "Value"], rows, classes=["clausewise-record-fields"], widths=[25, 75])
    tbl["ids"].append(f"{record.id}-fields")
    return tbl


def _field_value(kind: FieldType, value: FieldScalar, link: Linker) -> nodes.Node:
    if kind is FieldType.ID:
        return link.ref(str(value))
    if kind is FieldType.CLAUSE:
        return link.clause(str(value))
    if kind is FieldType.REFERENCE:
        # a document id where one is known (rules.fields.reference_findings decides the same way)
        return link.ref(str(value)) if str(value) in link.titles else link.clause(str(value))
    if isinstance(value, bool):
        return nodes.Text("yes" if value else "no")
    if isinstance(value, date):
        return nodes.Text(value.isoformat())
    return nodes.Text(str(value))


def _evidence(target: str) -> parts.Inline:
    # a javascript: or data: target is never a link, whatever else it holds (its finding says so)
    if "://" in target and dangerous_scheme(target) is None:
        return parts.Link(target, target, internal=False)
    return parts.Code(target)


def _field_table(rows: Sequence[tuple[str, parts.Inlines]], anchor: str) -> parts.Table:
    return parts.Table(
        None,
        tuple((parts.inlines(label), value) for label, value in rows),
        classes=("clausewise-status-box", NOT_SEARCHED),
        widths=(25, 75),
        anchor=anchor,
    )


def record_types_table(
    record_types: Sequence[RecordType],
    link: Linker,
    statuses: Mapping[str, RecordTypeStatus] | None = None,
    *,
    anchored: bool = False,
) -> nodes.Node:
    """Record types with their owner, cadence and clauses; with ``statuses``,
    also their last record, next due date and missing count. ``anchored`` gives
    each row its record type's id as HTML id: every link to a record type
    (``page#RT-…``) lands on its row on the page that defines it, so the table
    is anchored there only (a role page repeats the rows without the ids)."""
    statuses = statuses or {}
    rows = []
    for rt in record_types:
        status = statuses.get(rt.id)
        row: list[nodes.Node | str | list[nodes.Node]] = [
            link.ref(rt.id),
            rt.title,
            link.named(rt.owner),
            _text(rt.cadence.text if rt.cadence else None),
            link.clauses(rt.evidences) or "\u2014",
        ]
        if statuses:
            row += _record_state_cells(status, link)
        rows.append(row)
    headers = ["Record type", "Title", "Owner", "Cadence", "Evidences"]
    if statuses:
        headers += ["Last record", "Next due", "Missing"]
    row_ids = [rt.id for rt in record_types] if anchored else None
    return table(headers, rows, classes=["clausewise-record-types"], row_ids=row_ids, stacked=True)


def _record_state_cells(status: RecordTypeStatus | None, link: Linker) -> list[nodes.Node | str | list[nodes.Node]]:
    if status is None:
        return ["\u2014", "no schedule (no start date)", "\u2014"]
    last = status.last_record
    last_cell = link.ref(last.id, last.period or last.id) if last is not None else "none yet"
    # without a schedule, its records are still shown (they are evidence), never counted
    if status.record_type.cadence is None:
        return [last_cell if last else "\u2014", "no schedule (invalid cadence)", "\u2014"]
    if status.start is None:
        return [last_cell if last else "\u2014", "no schedule (no start date)", "\u2014"]
    missing = status.missing
    missing_cell: nodes.Node | str = (
        nodes.inline(str(missing), str(missing), classes=["clausewise-missing-records"]) if missing else "0"
    )
    return [
        last_cell,
        _text(status.next_due, "\u2014"),
        missing_cell,
    ]


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def record_grid(status: RecordTypeStatus, link: Linker) -> list[nodes.Node]:
    """One record type's periods: a row per year, a cell per period, each with its
    state in words (and colour); a present or late cell links to its record.
    Weekly and daily types show a recent window (:func:`_weekly_rows`,
    :func:`_daily_rows`) and counts of every period; a type without a schedule
    says why and lists its records. Drafts and records not filled in follow,
    listed (they are on their way) but not counted in any period."""
    return [*_periods_grid(status, link), *_unfilled_list(status, link)]


def _unfilled_list(status: RecordTypeStatus, link: Linker) -> list[nodes.Node]:
    if not status.unfilled:
        return []
    items = joined(
        ([link.ref(r.id, r.period or r.id), nodes.Text(f" ({_unfilled_word(r)})")] for r in status.unfilled),
        " \u00b7 ",
    )
    para = paragraph(
        nodes.Text(f"Not yet evidence ({len(status.unfilled)}: drafts or records not filled in, not counted): "),
        *items,
    )
    para["classes"].append("clausewise-unfilled-records")
    return [para]


def _unfilled_word(record: Record) -> str:
    return "draft" if record.status is RecordStatus.DRAFT else "unfilled"


def _periods_grid(status: RecordTypeStatus, link: Linker) -> list[nodes.Node]:
    rt = status.record_type
    heading = nodes.rubric("", f"{rt.id} {rt.title}: periods", ids=[f"grid-{rt.id}"])
    if rt.cadence is None:
        written = f"the cadence {rt.invalid_cadence!r} is not one of" if rt.invalid_cadence else "no cadence; expected"
        return [heading, paragraph(f"No schedule: {written} {CADENCE_HELP}."), *_record_list(status, link)]
    if status.start is None:
        return [
            heading,
            paragraph("No schedule: neither the record type nor clausewise_sms_start gives a start date."),
            *_record_list(status, link),
        ]
    if status.event is not None:
        return [heading, *_event_summary(status, link)]
    if rt.cadence.unit is not PeriodUnit.MONTH and not status.periods:
        return [heading, paragraph(f"No periods yet: the schedule starts on {status.start}.")]
    if rt.cadence.unit is PeriodUnit.WEEK:
        return [heading, *_recent_grid(status, link, _weekly_rows(status.periods)), *_legends(status, link)]
    if rt.cadence.unit is PeriodUnit.DAY:
        return [heading, *_recent_grid(status, link, _daily_rows(status.periods)), *_legends(status, link)]
    names = {"monthly": _MONTHS, "quarterly": ["Q1", "Q2", "Q3", "Q4"], "half-yearly": ["H1", "H2"], "yearly": ["Year"]}
    years: dict[int, list[PeriodStatus]] = {}
    for p in status.periods:
        years.setdefault(p.period.start.year, []).append(p)
    columns = names.get(rt.cadence.text) or [
        f"Period {n + 1}" for n in range(max((len(v) for v in years.values()), default=1))
    ]
    rows = tuple(
        (
            parts.Entry(parts.inlines(str(year)), label="Year"),
            *(
                _grid_cell(cell, link, status=status, heading=column)
                for column, cell in zip(columns, _columns(rt.cadence.text, periods, len(columns)), strict=True)
            ),
        )
        for year, periods in sorted(years.items(), reverse=True)
    )
    grid = parts.Table(("Year", *columns), rows, classes=_GRID_CLASSES)
    return [heading, *block_nodes([grid], link), *_legends(status, link)]


#: a period grid's classes: one of the parts every record type's page repeats, not searched
_GRID_CLASSES = ("clausewise-grid", NOT_SEARCHED)


def _legend(rt: RecordType) -> nodes.paragraph:
    return paragraph(
        "present: a record covers the period; late: produced after its due date; due: the period has ended and "
        f"the record is due within {rt.grace_days} days; missing: the due date has passed without a record; "
        "open: the period has not ended."
    )


def _record_list(status: RecordTypeStatus, link: Linker) -> list[nodes.Node]:
    """The records of a type without a schedule, newest period first, so that none is lost from view."""
    records = sorted(status.records, key=lambda r: (r.period or "", r.id), reverse=True)
    if not records:
        return [paragraph("No records yet.")]
    links = joined((link.ref(r.id, r.period or r.id) for r in records), " \u00b7 ")
    return [paragraph(nodes.Text(f"Records ({len(records)}): "), *links)]


#: How much of a weekly or daily schedule a procedure page shows; the counts cover all of it.
RECENT_WEEKS = 52
WEEKS_PER_ROW = 13
RECENT_DAYS_WEEKS = 8
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
#: one grid row: its heading, then its cells (a period with the short label to show, or an empty cell)
_GridRow = tuple[str, list[tuple[str, PeriodStatus] | None]]


def _weekly_rows(periods: Sequence[PeriodStatus]) -> tuple[list[str] | None, list[_GridRow], str]:
    """The periods that began in the last 52 weeks, 13 to a row, newest row first."""
    since = periods[-1].period.start - timedelta(weeks=RECENT_WEEKS - 1)
    recent = [p for p in periods if p.period.start >= since]
    rows: list[_GridRow] = []
    for n in range(0, len(recent), WEEKS_PER_ROW):
        chunk = recent[n : n + WEEKS_PER_ROW]
        cells: list[tuple[str, PeriodStatus] | None] = [(p.period.label.split("-")[1], p) for p in chunk]
        cells += [None] * (WEEKS_PER_ROW - len(chunk))
        rows.append((f"{chunk[0].period.label} to {chunk[-1].period.label}", cells))
    return None, rows[::-1], f"the periods that began in the last {RECENT_WEEKS} weeks"


def _daily_rows(periods: Sequence[PeriodStatus]) -> tuple[list[str] | None, list[_GridRow], str]:
    """The last 8 ISO weeks as calendar rows (Monday to Sunday), newest first."""
    by_day = {p.period.start: p for p in periods}
    last = periods[-1].period.start
    monday = last - timedelta(days=last.weekday())
    rows: list[_GridRow] = []
    for week in range(RECENT_DAYS_WEEKS):
        first = monday - timedelta(weeks=week)
        days = [first + timedelta(days=n) for n in range(7)]
        cells = [(f"{d.day}", by_day[d]) if d in by_day else None for d in days]
        year, number, _ = first.isocalendar()
        rows.append((f"{year}-W{number:02d}", cells))
    return ["Week", *_WEEKDAYS], rows, f"the last {RECENT_DAYS_WEEKS} weeks"


def _recent_grid(
    status: RecordTypeStatus, link: Linker, shape: tuple[list[str] | None, list[_GridRow], str]
) -> list[nodes.Node]:
    """A weekly or daily schedule's recent periods, with counts of every period since its start:
    years of weeks or days would make a page of thousands of cells."""
    headers, rows, shown = shape
    counts = {state: 0 for state in PeriodState}
    for p in status.periods:
        counts[p.state] += 1
    total = len(status.periods)
    summary = paragraph(
        f"Shown: {shown}. All {total} period{'s' if total != 1 else ''} since "
        f"{status.periods[0].period.label}: " + ", ".join(f"{counts[s]} {s.value}" for s in PeriodState) + "."
    )
    grid = parts.Table(
        tuple(headers) if headers is not None else None,
        tuple(
            (
                parts.Entry(parts.inlines(heading)),
                *(_grid_cell(c[1], link, c[0], status) if c is not None else _grid_cell(None, link) for c in cells),
            )
            for heading, cells in rows
        ),
        classes=_GRID_CLASSES,
    )
    return [summary, *block_nodes([grid], link)]


def _columns(cadence: str, periods: list[PeriodStatus], width: int) -> list[PeriodStatus | None]:
    cells: list[PeriodStatus | None] = [None] * width
    if cadence in ("monthly", "quarterly", "half-yearly", "yearly"):
        size = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}[cadence]
        for p in periods:
            cells[(p.period.start.month - 1) // size] = p
    else:
        for n, p in enumerate(periods):
            cells[n] = p
    return cells


def _cell(content: list[nodes.Node], classes: Sequence[str] = (), heading: str = "") -> nodes.entry:
    """A cell of ``content``; with its column's ``heading``, a labelled one (shown before the value
    where the grid is laid out as cards, on a phone)."""
    entry = labelled_entry(label=heading, classes=list(classes)) if heading else nodes.entry(classes=list(classes))
    para = nodes.paragraph()
    para.extend(content)
    entry += para
    return entry


def _grid_cell(
    p: PeriodStatus | None,
    link: Linker,
    label: str = "",
    status: RecordTypeStatus | None = None,
    heading: str = "",
) -> parts.Entry:
    """A period's state in words, linked to its record; ``label`` (a week or day) goes before it,
    ``heading`` is its column's (a month, quarter or half), for a phone's cards.
    A missing or due period of ``status`` has an "add" link to the web editor where one can be made."""
    if p is None:
        return parts.Entry(parts.inlines("\u00b7"), ("clausewise-state-none",), heading)
    word = p.state.value
    content: list[parts.Inline] = [parts.Text(f"{label} ")] if label else []
    if p.records:
        content.append(link.part(p.records[0].id, word))
        if len(p.records) > 1:
            content.append(parts.Text(f" +{len(p.records) - 1}"))
    else:
        content.append(parts.Text(word))
        address = link.new_record(status, p) if status is not None else ""
        if address and link.editor is not None:
            hint = f"Add the missing record for {p.period.label} in {link.editor.forge.display_name}'s web editor"
            content += [parts.Text(" "), _web_link_part("add", address, hint, "clausewise-add-record")]
    return parts.Entry(tuple(content), (f"clausewise-state-{word}",), heading)


def _web_link(text: str, address: str, hint: str, kind: str) -> nodes.Node:
    """A link into the forge's web editor: class ``clausewise-edit`` marks every such link (left out
    of print), ``kind`` says which; ``hint`` is its tooltip. Shown as text, never as a link, if its
    address could run script (:class:`~clausewise.pipeline.editlinks.WebEditor` makes none such)."""
    return inline_node(_web_link_part(text, address, hint, kind))


def _web_link_part(text: str, address: str, hint: str, kind: str) -> parts.Inline:
    if dangerous_scheme(address):
        return parts.Span(text, ())
    return parts.Link(text, address, internal=False, title=hint, classes=("clausewise-edit", kind))


def _legends(status: RecordTypeStatus, link: Linker) -> list[nodes.Node]:
    """Under a grid: what its states mean, and what its "add" links do where it has any."""
    if link.editor is None or not any(link.new_record(status, p) for p in status.periods):
        return [_legend(status.record_type)]
    para = paragraph(
        f"add: opens {link.editor.forge.display_name}'s web editor with the missing record's file, a draft dated "
        "the day this page was built: write what it shows, your name, the day you produce it and "
        "'status: current', then propose the change (see the owner's guide, \"Working in the browser\")."
    )
    para["classes"].append("clausewise-edit")
    return [_legend(status.record_type), para]


#: The class of the paragraph holding "Edit this page" (left out of print, like every ``clausewise-edit``).
EDIT_LINK_CLASS = "clausewise-edit-page"


def edit_link(editor: WebEditor | None, path: str) -> list[nodes.Node]:
    """The "Edit this page" link: the forge's web editor of the page's file ``path``; nothing without one."""
    if editor is None:
        return []
    hint = f"Edit this page's file, {path}, in {editor.forge.display_name}'s web editor"
    para = nodes.paragraph(classes=["clausewise-edit", EDIT_LINK_CLASS])
    para += _web_link("Edit this page", editor.edit(path), hint, "clausewise-edit-link")
    return [para]


def _event_summary(status: RecordTypeStatus, link: Linker) -> list[nodes.Node]:
    assert status.event is not None and status.record_type.cadence is not None
    window = status.record_type.cadence.window_months
    event = status.event
    words = {
        PeriodState.PRESENT: f"present: the latest record ({event.latest}) is within the last {window} months",
        PeriodState.MISSING: f"missing: no record within the last {window} months",
        PeriodState.OPEN: f"open: a record is required from {event.required_since}",
    }
    out: list[nodes.Node] = [
        paragraph(
            nodes.inline(words[event.state], words[event.state], classes=[f"clausewise-state-{event.state.value}"])
        )
    ]
    records = sorted(status.records, key=lambda r: r.period or "", reverse=True)
    if records:
        links = joined((link.ref(r.id, r.period or r.id) for r in records), " \u00b7 ")
        out.append(paragraph(nodes.Text("Records: "), *links))
    return out


def record_overview(statuses: Sequence[RecordTypeStatus], link: Linker) -> nodes.Node:
    """Every record type with its last record, next due date and missing count, worst first."""
    ordered = sorted(statuses, key=lambda s: (-s.missing, s.next_due or date.max, s.record_type.id))
    rows = []
    for status in ordered:
        rt = status.record_type
        grid = link.ref(rt.id)
        rows.append(
            [grid, rt.title, link.named(rt.owner), _text(rt.cadence.text if rt.cadence else None),
             *_record_state_cells(status, link)]
        )  # fmt: skip
    return table(
        ["Record type", "Title", "Owner", "Cadence", "Last record", "Next due", "Missing"],
        rows,
        classes=["clausewise-record-overview"],
        row_classes=[["clausewise-has-missing"] if s.missing else [] for s in ordered],
        stacked=True,
    )


def disposal_register(statuses: Sequence[RecordTypeStatus], link: Linker) -> list[nodes.Node]:
    """The register's "Due for disposal": every record still present whose retention
    ('retain:') has ended, the longest past first; nothing when no record type declares one."""
    if not any(s.record_type.retain_months is not None for s in statuses):
        return []
    heading = nodes.rubric("", "Due for disposal", ids=["due-for-disposal"])
    due = sorted(((d, s.record_type) for s in statuses for d in s.due_for_disposal),
                 key=lambda pair: (pair[0].kept_until, pair[0].record.id))  # fmt: skip
    if not due:
        return [heading, paragraph("No record is past its retention.")]
    rows = [
        (link.ref(d.record.id), link.ref(rt.id), _text(d.record.period),
         retention_text(rt.retain_months or 0), str(d.kept_until), str(d.disposable_from))
        for d, rt in due
    ]  # fmt: skip
    return [
        heading,
        paragraph(
            f"{len(due)} record(s) kept longer than their record type's retention: each may be disposed of by "
            "deleting its file in a commit of its own (reported as record-disposed, naming the commit)."
        ),
        table(
            ["Record", "Record type", "Period", "Retention", "Kept until", "May be disposed of from"],
            rows,
            classes=["clausewise-due-for-disposal"],
            stacked=True,
        ),
    ]


def retention_note(status: RecordTypeStatus, link: Linker) -> list[nodes.Node]:
    """Under a record type's periods: how long its records are kept, and those due for disposal."""
    months = status.record_type.retain_months
    if months is None:
        return []
    if status.event is not None or (status.record_type.cadence and status.record_type.cadence.per_event):
        note = paragraph(f"Each record is kept for {retention_text(months)} after its event, then may be disposed of.")
    else:
        note = paragraph(
            f"Each record is kept for {retention_text(months)} after the end of its period, then may be disposed "
            "of; a period past that needs no record."
        )
    if not status.due_for_disposal:
        return [note]
    links = joined((link.ref(d.record.id, d.record.period or d.record.id) for d in status.due_for_disposal), " \u00b7 ")
    return [note, paragraph(nodes.Text(f"Due for disposal ({len(status.due_for_disposal)}): "), *links)]


def documents_table(docs: Sequence[GovernedDocument], link: Linker) -> list[nodes.Node]:
    return block_nodes([documents_part(docs, link)], link, searched=True)


def documents_part(docs: Sequence[GovernedDocument], link: Linker) -> parts.Table:
    text = parts.inlines
    rows = tuple(
        (
            (link.part(d.id),),
            text(d.title),
            (link.named_part(d.owner),),
            text(_text(d.status)),
            text(_text(d.version_in_force)),
            text(_text(d.reviewed, "\u2014")),
        )
        for d in docs
    )
    # an external document's edition stands in the version's column, as in the register
    headers = ("Id", "Title", "Owner", "Status", "Version", "Last reviewed")
    return parts.Table(headers, rows, classes=("clausewise-documents",), stacked=True)


def _approval(approval: Approval | None) -> str:
    return f"{approval.day} by {', '.join(approval.by)}" if approval is not None else "\u2014"


def _register_title(doc: GovernedDocument) -> parts.Inlines:
    if doc.type is DocType.EXTERNAL and doc.issuer:
        return (parts.Text(doc.title), parts.Span(f" (issued by {doc.issuer})", ("clausewise-issuer",)))
    return (parts.Text(doc.title),)


def document_register(reg: Register, link: Linker, history: History) -> list[nodes.Node]:
    """The master list: every document in use (draft, approved), then the retired ones
    with the day each was retired (from git history: without it, "not known")."""
    text = parts.inlines

    def common(e: RegisterEntry) -> tuple[parts.Cell, ...]:
        d = e.document
        return ((link.part(d.id),), _register_title(d), text(d.type.value), (link.named_part(d.owner),))

    rows = tuple(
        (*common(e), text(_text(e.document.classification)), text(_text(e.document.status)), text(_text(e.version)),
         text(_text(e.document.effective, "\u2014")), text(_approval(e.approval)),
         text(_text(e.document.reviewed, "\u2014")), review_marker_parts(e.review), (location_part(e.location),))
        for e in reg.current
    )  # fmt: skip
    out: list[nodes.Node] = block_nodes(
        [parts.Table(
            ("Id", "Title", "Kind", "Owner", "Classification", "Status", "Version", "Effective", "Last approved",
             "Last reviewed", "Next review", "Location"),
            rows, classes=("clausewise-register",), row_ids=tuple(f"register-{e.document.id}" for e in reg.current),
            stacked=True,
        )],
        link, searched=True,
    ) if reg.current else [paragraph("No documents in use.")]  # fmt: skip
    out.append(nodes.rubric("", "Retired documents"))
    if not reg.retired:
        out.append(paragraph("None."))
        return out
    unknown = "not known" if history.available else "not known (no git history)"
    retired = tuple(
        (*common(e), text(_text(e.version)), text(_text(e.retired_on, unknown)), text(_approval(e.approval)),
         (location_part(e.location),))
        for e in reg.retired
    )  # fmt: skip
    out += block_nodes(
        [parts.Table(("Id", "Title", "Kind", "Owner", "Last version", "Retired on", "Last approved", "Location"),
                     retired, classes=("clausewise-register-retired",),
                     row_ids=tuple(f"register-{e.document.id}" for e in reg.retired), stacked=True)],
        link, searched=True,
    )  # fmt: skip
    if not history.available:
        out.append(paragraph(f"The day a document was retired is read from git history: {history.reason}."))
    return out


def role_duties(
    duties: RoleDuties, link: Linker, statuses: Mapping[str, RecordTypeStatus] | None = None
) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    out.append(nodes.rubric("", "Documents this role owns"))
    out += documents_table(duties.owns, link) if duties.owns else [paragraph("None.")]
    out.append(nodes.rubric("", "Records this role must produce"))
    out.append(record_types_table(duties.record_types, link, statuses) if duties.record_types else paragraph("None."))
    out.append(nodes.rubric("", "Other documents that give this role duties"))
    out += documents_table(duties.takes_part_in, link) if duties.takes_part_in else [paragraph("None.")]
    return out


def _day(day: date) -> nodes.Node:
    """A day in a table, kept on one line (the class ``clausewise-date``): a break at its hyphen misleads."""
    return inline_node(_day_part(day))


def _day_part(day: date) -> parts.Span:
    return parts.Span(str(day), ("clausewise-date",))


def revision_history(
    history: FileHistory | None,
    repository: History,
    commit_link: Callable[[str], str],
    *,
    approved_kind: bool = True,
    current_version: str | None = None,
    as_of: date | None = None,
    judged: Mapping[str, Verdict] | None = None,
) -> list[parts.Block]:
    """The page's changes, newest first (:func:`clausewise.rules.revisions.revisions`; ``judged``:
    the approval rule's verdicts on the page's changes, by commit).

    A governed page (``approved_kind``): version, the day the change reached the main line,
    the change (its summary, author, commit and pull request), and who approved it when, or,
    in words, that it was merged without approval or is not merged yet. A record: the day and
    the change only, since a record is evidence, not approved. ``commit_link`` gives a
    commit's address ("" for none: the sha is shown unlinked)."""

    def said(text: str) -> list[parts.Block]:
        return [parts.Paragraph(parts.inlines(text))]

    if not repository.available:
        return said(f"No revision history: {repository.reason}.")
    if history is None or not history.changes:
        if history is not None and history.working is WorkingState.UNTRACKED:
            return said("Not committed to git yet: the history starts with the first commit.")
        if history is not None and not history.complete:
            return said("Older history is missing: the repository is a shallow clone.")
        return said("No commits found for this page.")
    rows: list[tuple[parts.Cell, ...]] = []
    row_classes: list[tuple[str, ...]] = []
    found = revisions.revisions(
        history, approved_kind=approved_kind, current_version=current_version, as_of=as_of, judged=judged
    )
    for rev in found:
        change = _change_cell(rev, commit_link)
        day = (_day_part(rev.commit.day),)
        if approved_kind:
            rows.append((parts.inlines(rev.version or "\u2014"), day, change, _approved_cell(rev)))
        else:
            rows.append((day, change))
        row_classes.append((REVISION_CLASS[rev.state],) if rev.state in REVISION_CLASS else ())
    headers = ("Version", "Date", "Change", "Approved by") if approved_kind else ("Date", "Change")
    widths = (9, 12, 49, 30) if approved_kind else (14, 86)
    out: list[parts.Block] = [
        # a card per change on a phone: four columns side by side leave the change a word per line
        parts.Table(
            headers, tuple(rows), classes=("clausewise-history",), widths=widths, row_classes=tuple(row_classes),
            stacked=True,
        )
    ]  # fmt: skip
    if not approved_kind:
        out += said("A record is evidence, not an approved document: each change is listed with who made it; "
                    "a change after its first commit says why on its correction: line.")  # fmt: skip
    if not history.complete:
        out += said("Older history is missing: the repository is a shallow clone.")
    if history.working is WorkingState.MODIFIED:
        out += said("This page has changes that are not committed yet.")
    return out


#: The class of a revision-history row by its state (the words say it too).
REVISION_CLASS = {
    revisions.RevisionState.UNAPPROVED: "clausewise-unapproved",
    revisions.RevisionState.NOT_MERGED: "clausewise-not-merged",
}


def _safe_link(url: str, text: str) -> parts.Inline:
    """A link to ``url`` (an http(s) address that runs no script), else ``text`` alone."""
    if url.lower().startswith(("https://", "http://")) and dangerous_scheme(url) is None:
        return parts.Link(text, url, internal=False)
    return parts.Text(text)


def _change_cell(rev: revisions.Revision, commit_link: Callable[[str], str]) -> parts.Lines:
    """The change's summary on one line; its author, commit and pull request on the next."""
    commit = rev.commit
    short = commit.sha[:7]
    address = commit_link(commit.sha)
    ref = parts.Link(short, address, internal=False) if address else parts.Code(short)
    details: list[parts.Inline] = [parts.Text(f"by {commit.author} \u00b7 commit "), ref]
    if rev.pull_request is not None or rev.pull_request_url:
        label = f"pull request #{rev.pull_request}" if rev.pull_request is not None else "pull request"
        details += [parts.Text(" \u00b7 "), _safe_link(rev.pull_request_url, label)]
    return parts.Lines((parts.Line(parts.inlines(rev.summary)), parts.Line(tuple(details))))


def _approved_cell(rev: revisions.Revision) -> parts.Lines:
    """Each approver that counts with the day of the approval (a trailer's is undated), or in
    words that none does; then each approval that does not count with why, in the words of the
    verdict ``approval-missing`` gives (:func:`clausewise.rules.approval.change_verdict`)."""
    state = revisions.RevisionState
    if rev.state is state.NOT_MERGED:
        return parts.Lines((parts.Line(parts.inlines("Not yet merged"), ("clausewise-not-merged",)),))
    verdict = rev.verdict
    if verdict is None:  # a record's change: records are not approved
        return parts.Lines(())
    lines: list[parts.Line] = []
    if not verdict.approved:
        lines.append(parts.Line(parts.inlines("No approval recorded"), ("clausewise-unapproved",)))
    lines += [parts.Line(_approver(a)) for a in verdict.counted]
    only_authors = not verdict.approved and all(why is Refusal.AUTHOR for _, why, _ in verdict.refused)
    for a, why, _ in verdict.refused:
        lines.append(parts.Line((parts.Text(f"{_refusal_words(why, verdict, only_authors)}: "), *_approver(a))))
    return parts.Lines(tuple(lines))


def _refusal_words(why: Refusal, verdict: Verdict, only_authors: bool) -> str:
    """Why an approval does not count, as a revision history's row says it."""
    if why is Refusal.AUTHOR:
        return "Approved only by its author" if only_authors else "Not counted, by its author"
    if why is Refusal.AFTER_MERGE:
        return "Not counted, given after the change reached the main line"
    role = verdict.owners.role if verdict.owners is not None else "the owner role"
    return f"Not counted, not a member of {role}"


def _approver(approval: ReviewApproval) -> parts.Inlines:
    """An approver's name and the day they approved (a trailer's approval is undated)."""
    if approval.at is None:
        return (parts.Text(f"{approval.name} (commit trailer, undated)"),)
    return (parts.Text(f"{approval.name}, "), parts.Span(f"{approval.at:%Y-%m-%d}", ("clausewise-history-day",)))


def review_schedule(reviews: Sequence[Review], link: Linker) -> nodes.Node:
    rows = []
    classes = []
    for r in reviews:
        doc = r.document
        rows.append(
            (link.ref(doc.id), doc.title, link.named(doc.owner), _text(doc.reviewed, "\u2014"), review_marker(r))
        )
        classes.append([REVIEW_CLASS[r.state]] if r.state in REVIEW_CLASS else [])
    return table(
        ["Document", "Title", "Owner", "Last reviewed", "Next review due"],
        rows,
        classes=["clausewise-reviews"],
        widths=[12, 38, 18, 12, 20],
        row_classes=classes,
        stacked=True,
    )


def dashboard(
    coverage_rows: Sequence[ClauseCoverage],
    reviews: Sequence[Review],
    statuses: Sequence[RecordTypeStatus],
    activities: Sequence[Activity],
    today: date,
    link: Linker,
    standards: Sequence[tuple[str, str]] = (),
    window_months: int = 12,
) -> list[nodes.Node]:
    """The dashboard: coverage, reviews, records, the most urgent items, the activities.
    ``standards`` are (key, name) of the handbook's catalogues: with more than one,
    coverage is summed up and drawn per standard; ``window_months`` is the audit window."""
    out: list[nodes.Node] = []

    def section(title: str, ident: str, *content: nodes.Node) -> None:
        sec = nodes.section(ids=[ident])
        sec += nodes.title(title, title)
        sec.extend(content)
        out.append(sec)

    def svg(markup: str) -> nodes.Node:
        return nodes.raw("", f'<figure class="clausewise-figure">{markup}</figure>', format="html")

    if len(standards) > 1:
        parts: list[nodes.Node] = []
        for key, name in standards:
            of_standard = [r for r in coverage_rows if r.catalogue_key == key]
            parts += [
                nodes.rubric(name, name, classes=["clausewise-standard"]),
                coverage_summary(summarise(of_standard), window_months),
                svg(bar_svg(f"Clauses of {name} by coverage", coverage_counts(of_standard))),
            ]
        section("Clause coverage", "dashboard-coverage", *parts)
    else:
        section(
            "Clause coverage", "dashboard-coverage",
            coverage_summary(summarise(coverage_rows), window_months),
            svg(bar_svg("Clauses by coverage", coverage_counts(coverage_rows))),
        )  # fmt: skip
    section(
        "Documents by review state", "dashboard-reviews",
        svg(bar_svg("Approved documents by review state", review_counts(reviews))),
    )  # fmt: skip
    section(
        "Records over the last 12 months", "dashboard-records",
        paragraph("Periods that ended in each month, by the state of their record today."),
        svg(stacked_bars_svg("Record periods by month of ending", records_by_month(statuses, today))),
    )  # fmt: skip
    urgent = urgent_items(reviews, statuses)
    rows = [
        # a document changed since its review is not due on a date: its date is that review's
        (str(i.since) if i.since != date.max and i.what is not Urgency.CHANGED else "\u2014", i.what.value,
         link.ref(i.item_id), i.title, link.named(i.owner or None), i.detail)
        for i in urgent
    ]  # fmt: skip
    section(
        "Most urgent", "dashboard-urgent",
        # "Due", not "Due since": a record or review due soon is due on a date still ahead
        table(["Due", "What", "Item", "Title", "Owner", "Detail"], rows, classes=["clausewise-urgent"], stacked=True)
        if rows else paragraph("Nothing is overdue or due."),
    )  # fmt: skip
    activity_rows = []
    classes = []
    for a in activities:
        label = a.state.value
        marker = nodes.inline(
            label, label, classes=["clausewise-marker", f"clausewise-activity-{a.state.name.lower()}"]
        )
        activity_rows.append((a.name, link.refs(a.documents), marker, "; ".join(a.reasons) or "\u2014"))
        classes.append([f"clausewise-activity-{a.state.name.lower()}"])
    section(
        "The recurring activities", "dashboard-activities",
        table(["Activity", "Documents", "State", "Why"], activity_rows, classes=["clausewise-activities"],
              row_classes=classes, stacked=True)
        if activity_rows else paragraph("No activities are configured (clausewise_activities in conf.py)."),
    )  # fmt: skip
    return out


# --- suppliers (rules/suppliers.py) -------------------------------------------------------------


def _contract_cell(status: SupplierStatus) -> list[nodes.Node]:
    """The contract's end with its days left; an expiring or expired one says so in words, and is marked."""
    words = status.contract_words()
    state = "expired" if status.expired else "expiring" if status.expiring else ""
    classes = ["clausewise-contract", *([f"clausewise-contract-{state}"] if state else [])]
    return [nodes.inline(words, words, classes=classes)]


def _next_review_cell(status: SupplierStatus) -> nodes.Node | str:
    if not status.active:  # a draft is being selected, a retired supplier is gone: neither is reviewed
        return "\u2014"
    if status.interval_months is None:
        return "not scheduled"
    if status.next_review_due is None:
        return "\u2014"
    text = status.next_review_due.isoformat() + (" (overdue)" if status.review_overdue else "")
    return nodes.inline(
        text, text, classes=["clausewise-date", *(["clausewise-overdue"] if status.review_overdue else [])]
    )


def _last_review_cell(status: SupplierStatus, link: Linker) -> nodes.Node | str:
    last = status.last_review
    if last is None or last.produced is None:
        return "never"
    # the day, linked to the review: a record's id is too long for a column of a register this wide
    return link.ref(last.id, last.produced.isoformat())


def supplier_register(statuses: Sequence[SupplierStatus], link: Linker) -> nodes.Node:
    """Every supplier: criticality, owner, contract end (days left; expiring and expired said in
    words), last review and next review due. A card per supplier on a phone."""
    if not statuses:
        return paragraph("No suppliers yet: add a page of type: supplier for each (see the owner's guide).")
    rows = [
        [link.ref(s.supplier.id), s.supplier.title, _text(s.criticality), link.named(s.supplier.owner),
         _text(s.supplier.status), _contract_cell(s), _last_review_cell(s, link), _next_review_cell(s)]
        for s in statuses
    ]  # fmt: skip
    return table(
        ["Id", "Supplier", "Criticality", "Owner", "Status", "Contract ends", "Last review", "Next review due"],
        rows, classes=["clausewise-suppliers"], row_ids=[f"supplier-{s.supplier.id}" for s in statuses],
        stacked=True,
    )  # fmt: skip


def supplier_details(
    status: SupplierStatus,
    link: Linker,
    performance: Sequence[Series] = (),
    window_months: int = 12,
    withheld: frozenset[str] = frozenset(),
) -> list[nodes.Node]:
    """A supplier page's generated part: its contract (with days left), the services it supports,
    its review interval and reviews (each linked), and its measured performance: each metric of the
    services it supports (``performance``, :func:`clausewise.rules.suppliers.performance_of`), its latest
    value against target and its misses in the audit window, linked to the metric on the service's page."""
    start = status.contract_start.isoformat() if status.contract_start else "not given"
    interval = (
        f"every {months_text(status.interval_months)} ({status.criticality})" if status.interval_months
        else f"not scheduled ({_text(status.criticality)})"
    )  # fmt: skip
    facts: list[tuple[str, nodes.Node | str | list[nodes.Node]]] = [
        ("Criticality", _text(status.criticality)),
        ("Contract start", start),
        ("Contract end", _contract_cell(status)),
        ("Services supported", link.refs(status.services) if status.services else "none named"),
        ("Reviewed", interval),
        ("Next review due", _next_review_cell(status)),
    ]
    out: list[nodes.Node] = [table(None, facts, classes=["clausewise-supplier-facts"], widths=[30, 70])]
    out.append(nodes.rubric("Reviews", "Reviews"))
    if status.reviews:
        rows = [
            (_day(r.produced) if r.produced else "\u2014", link.ref(r.id), r.title) for r in reversed(status.reviews)
        ]
        out.append(table(["Produced", "Record", "Title"], rows, classes=["clausewise-supplier-reviews"], stacked=True))
    else:
        out.append(paragraph("No supplier review names this supplier yet."))
    out.append(nodes.rubric("Measured performance", "Measured performance"))
    performance_rows = [
        r for one in performance if (r := _performance_row(one, status.today, window_months, withheld, link))
    ]
    if not performance_rows:
        out.append(paragraph("No measurements of the services it supports yet."))
    else:
        out.append(
            table(["Service", "Metric", "Latest", "Target", "Result", "Missed in the audit window"], performance_rows,
                  classes=["clausewise-supplier-performance"], stacked=True)
        )  # fmt: skip
    return out


def _performance_row(
    series: Series, today: date, window_months: int, withheld: frozenset[str], link: Linker
) -> tuple[nodes.Node | str, ...] | None:
    """One metric of a service a supplier supports: its latest value the audience may read, against
    its target; None when it has no such value."""
    shown = [p for p in series.points if p.record_id not in withheld]
    if not shown:
        return None
    latest, unit = shown[-1], series.metric.unit
    window = [p for p in series.in_window(today, window_months) if p.record_id not in withheld]
    missed = sum(1 for p in window if p.met is False)
    words = {True: "met", False: "missed", None: "no target"}[latest.met]
    service = series.service
    # to this metric's heading on the service page (its id, as servicepage gives it)
    target = f"{service.id}-{series.metric.name}"
    return (
        service_link(service.id, service.title, target, link),
        series.metric.name,
        f"{with_unit(latest.achieved, unit)} ({latest.period})",
        target_text(latest.target, unit) if latest.target else "\u2014",
        nodes.inline(words, words, classes=[f"clausewise-result-{words.replace(' ', '-')}"]),
        f"{missed} of {len(window)}",
    )


def service_link(service_id: str, title: str, metric_anchor: str, link: Linker) -> nodes.Node:
    """A link to a service page, at one metric's heading when ``metric_anchor`` is given."""
    label = f"{service_id} {title}"
    target = link.resolve(service_id)
    if target is None or not metric_anchor:
        return link.ref(service_id, label)
    uri = link.relative_uri(link.fromdocname, target[0]) + "#" + nodes.make_id(metric_anchor)
    return nodes.reference(label, label, internal=True, refuri=uri)


# --- customer satisfaction and complaints (rules/customers.py) ----------------------------------


def _figure(markup: str) -> nodes.Node:
    return nodes.raw("", f'<figure class="clausewise-figure">{markup}</figure>', format="html")


def _score(value: float) -> str:
    return f"{value:g}"


def satisfaction_trends(series: SatisfactionSeries, link: Linker) -> list[nodes.Node]:
    """One survey record type: its latest values in words (linked to the record), then the trend
    of its satisfaction score and of its NPS, each point a record's value (none drawn when no record
    gives one)."""
    latest = series.latest
    hidden = (
        f" {series.withheld} survey record{'s' if series.withheld != 1 else ''} withheld from this build's audience."
        if series.withheld else ""
    )  # fmt: skip
    if latest is None:
        return [paragraph(f"{series.title}: no survey values to show.{hidden}")]
    said: list[nodes.Node | str] = [f"{series.title}, latest {latest.period} (", link.ref(latest.record_id), "): "]
    values = []
    if latest.satisfaction is not None and series.scale is not None:
        values.append(f"satisfaction {_score(latest.satisfaction)} on a scale of {_score(series.scale[0])} to "
                      f"{_score(series.scale[1])}")  # fmt: skip
    if latest.nps is not None:
        values.append(f"NPS {latest.nps}")
    values.append("responses not given" if latest.responses is None else f"{latest.responses} responses")
    out: list[nodes.Node] = [paragraph(*said, "; ".join(values), ".", hidden)]
    scale = f" ({_score(series.scale[0])}-{_score(series.scale[1])})" if series.scale else ""
    scores = [TrendPoint(p.period, p.satisfaction) for p in series.points if p.satisfaction is not None]
    if scores:
        out.append(_figure(trend_svg(f"{series.title}: satisfaction{scale}", scores)))
    nps = [TrendPoint(p.period, p.nps) for p in series.points if p.nps is not None]
    if nps:
        out.append(_figure(trend_svg(f"{series.title}: net promoter score", nps)))
    return out


def customer_satisfaction(
    series: Sequence[SatisfactionSeries], complaints: Sequence[ComplaintRow], link: Linker
) -> list[nodes.Node]:
    """The dashboard's customer satisfaction block: each survey's latest values and trends, then the
    open complaints (the unanswered ones said in words), each linked to its record."""
    out: list[nodes.Node] = []
    for one in series:
        out += satisfaction_trends(one, link)
    still_open = [c for c in complaints if c.open]
    unanswered = sum(1 for c in still_open if c.state is ComplaintState.UNANSWERED)
    out.append(paragraph(f"Open complaints: {len(still_open)}, of which unanswered past the time to answer: "
                         f"{unanswered}."))  # fmt: skip
    if still_open:
        out.append(complaints_table(still_open, link))
    return out


def _complaint_state(row: ComplaintRow) -> nodes.Node:
    label = row.state.value
    if row.state in (ComplaintState.UNANSWERED, ComplaintState.AWAITING_ANSWER):
        label += f" (answer due {row.answer_due})"
    elif row.late:
        label += " (answered late)"
    name = row.state.name.lower().replace("_", "-")
    return nodes.inline(label, label, classes=["clausewise-marker", f"clausewise-complaint-{name}"])


#: What a complaint's cell shows when the build's audience may not read the record.
WITHHELD_CELL = "withheld"


def complaints_table(rows: Sequence[ComplaintRow], link: Linker) -> nodes.Node:
    """Complaints in the order given (the register's: open first), one row each; a card on a phone.
    The service column only when a complaint names one (the field is optional)."""
    with_service = any(r.service for r in rows)
    body = []
    for r in rows:
        service = [link.ref(r.service) if r.service else "\u2014"] if with_service else []
        shown = (
            [WITHHELD_CELL] * (3 + len(service)) if r.withheld
            else [r.customer or "\u2014", *service, _text(r.responded, "\u2014"), _text(r.resolved, "\u2014")]
        )  # fmt: skip
        # a record the audience may not read keeps its id and title back too, as the search index does
        named = (
            link.ref(r.record_id, WITHHELD_CELL) if r.withheld else [link.ref(r.record_id), nodes.Text(f" {r.title}")]
        )
        body.append((str(r.received), named, *shown, _complaint_state(r)))
    return table(
        ["Received", "Complaint", "Customer", *(["Service"] if with_service else []), "Answered", "Resolved", "State"],
        body,
        classes=["clausewise-complaints"],
        widths=[11, 30, 16, *([12] if with_service else []), 11, 11, 19],
        row_ids=[f"complaint-{r.record_id}" for r in rows],
        row_classes=[[f"clausewise-complaint-{r.state.name.lower().replace('_', '-')}"] for r in rows],
        stacked=True,
    )


def complaint_register(rows: Sequence[ComplaintRow], link: Linker, response_days: int) -> list[nodes.Node]:
    """The complaints register: open complaints first (oldest first), then resolved ones."""
    note = paragraph(f"Open complaints first, oldest first, then resolved ones, most recently resolved first. A "
                     f"complaint is answered within {response_days} days of its receipt "
                     f"(clausewise_complaint_response_days).")  # fmt: skip
    if not rows:
        return [note, paragraph("No complaints are recorded.")]
    return [note, complaints_table(rows, link)]
