"""Placeholders: nodes left while reading, filled in on ``doctree-resolved``.

What a governed page shows about the whole handbook (its status box, the
matrix, the dashboard ...) is known only after every page is read. Directives
leave a :class:`clausewise_placeholder` of a :class:`Kind`; :data:`RENDERERS`
maps each kind to the function that draws it, as sphinx-needs maps node types
to processors. :func:`page_key` is a digest of exactly what a page's
placeholders show, so that a page is written again when, and only when, that
changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from docutils import nodes
from sphinx.environment import BuildEnvironment

from clausewise.core.dates import months_text
from clausewise.core.digest import digest
from clausewise.core.model import FieldSpec, FieldType, GovernedDocument, Record, RecordKind
from clausewise.outputs import dashboard, management, review_agenda
from clausewise.pipeline.assembly import BuildResult
from clausewise.pipeline.editlinks import WebEditor, new_record_link
from clausewise.rules import actions, coverage, customers, measurements, staleness, suppliers
from clausewise.sphinxext import action_register, audit_page, management_page, parts, render, review_pages, servicepage
from clausewise.sphinxext.domain import Mark, domain


class Kind(StrEnum):
    """What a placeholder becomes."""

    STATUS_BOX = "status-box"
    RECORD_TYPES = "record-types"
    REVISION_HISTORY = "revision-history"
    ROLE_DUTIES = "role-duties"
    MATRIX = "matrix"
    DOCUMENTS = "documents"
    DASHBOARD = "dashboard"
    REVIEW_SCHEDULE = "review-schedule"
    RECORD_REGISTER = "record-register"
    APPLICABILITY = "statement-of-applicability"
    DOCUMENT_REGISTER = "document-register"
    EDIT_LINK = "edit-link"  # its item_id is the page's path, which the link opens
    RECORD_FIELDS = "record-fields"
    ACTION_REGISTER = "action-register"
    AUDIT_COVERAGE = "audit-coverage"
    SERVICE_LEVELS = "service-levels"  # its item_id is the service's id
    SUPPLIER = "supplier"  # a supplier page's contract, services, reviews and performance
    SUPPLIER_REGISTER = "supplier-register"
    COMPLAINT_REGISTER = "complaint-register"
    MANAGEMENT_DASHBOARD = "management-dashboard"


#: Placeholders that show one item; the others show the whole handbook.
ITEM_KINDS = frozenset({Kind.STATUS_BOX, Kind.RECORD_TYPES, Kind.REVISION_HISTORY, Kind.RECORD_FIELDS})


class clausewise_placeholder(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Replaced on ``doctree-resolved``; ``kind`` says with what. With ``section`` set, what it
    shows is made the section :func:`section_of` makes."""


#: the "Revision history" section at the end of every governed page and record: its title and id
REVISION_TITLE = "Revision history"
REVISION_SECTION = "clausewise-revision-history"


def placeholder(
    env: BuildEnvironment,
    kind: Kind,
    item_id: str = "",
    *,
    then: Sequence[tuple[Kind, str]] = (),
    **attributes: Any,
) -> clausewise_placeholder:
    """A node to fill in on ``doctree-resolved``, noted so that its page is written again when what
    it shows changes. ``then``: what it shows after that, one (kind, item id) after the other, in
    place of a placeholder each (parts that always go together: a page's head)."""
    marks = domain(env).placeholders.setdefault(env.docname, set())
    marks.add((kind.value, item_id))
    marks.update((k.value, i) for k, i in then)
    if then:
        attributes["then"] = [f"{k.value} {i}" for k, i in then]
    return clausewise_placeholder("", kind=kind.value, item_id=item_id, **attributes)


def parts_of(node: clausewise_placeholder) -> list[clausewise_placeholder]:
    """The placeholder, and one of each part it shows after that (``then``)."""
    out = [node]
    for part in node.get("then", ()):
        kind, _, item_id = part.partition(" ")
        out.append(clausewise_placeholder("", kind=kind, item_id=item_id))
    return out


# --- one renderer per kind ----------------------------------------------------------------

Renderer = Callable[[BuildResult, render.Linker, clausewise_placeholder], list[nodes.Node]]
#: a renderer of parts every page repeats, made as data (:mod:`clausewise.sphinxext.parts`)
PartsRenderer = Callable[[BuildResult, render.Linker, clausewise_placeholder], list[parts.Block]]


def _status_box(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[parts.Block]:
    item = result.items.get(node["item_id"])
    if isinstance(item, GovernedDocument):
        return [render.document_box(item, link, result.reviews.get(item.id), result.histories.get(item.id))]
    if isinstance(item, Record):
        evidence_shown = result.config.withheld_evidence or item.id not in result.withheld
        return [render.record_box(item, link, evidence_shown=evidence_shown)]
    return []


def _record_types(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    doc = result.items.get(node["item_id"])
    if not isinstance(doc, GovernedDocument):
        return []
    out: list[nodes.Node] = [render.record_types_table(doc.record_types, link, result.records, anchored=True)]
    for rt in doc.record_types:
        status = result.records.get(rt.id)
        if status is not None:
            out += render.record_grid(status, link) + render.retention_note(status, link)
    return out


def _revision_history(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[parts.Block]:
    item = result.items.get(node["item_id"])
    document = item if isinstance(item, GovernedDocument) else None
    version = document.version_in_force if document is not None else None
    return render.revision_history(
        result.histories.get(node["item_id"]), result.history, result.config.commit_link,
        approved_kind=document is not None, current_version=version, as_of=result.config.as_of,
        judged=result.approvals.get(node["item_id"]),
    )  # fmt: skip


def _role_duties(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    duties = render.role_duties(coverage.role_duties(result.handbook, node["item_id"]), link, result.records)
    return duties + _open_actions(result, link, node["item_id"])


def _open_actions(result: BuildResult, link: render.Linker, role_id: str) -> list[nodes.Node]:
    """The role's open actions, under its duties (nothing when the handbook records no actions)."""
    mine = role_open_actions(result, role_id)
    if mine is None:
        return []
    section = nodes.rubric("", "Open actions")
    return [section, *action_register.open_actions_list(mine, result.config.today, link)]


def role_open_actions(result: BuildResult, role_id: str) -> list[actions.Action] | None:
    """The open actions a role's page lists; ``None`` when the handbook records no actions at all."""
    all_actions = result.actions
    if not all_actions:
        return None
    return actions.open_actions_of([a for a in all_actions if a.id not in result.withheld], role_id)


def _matrix(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    catalogues = result.handbook.catalogues
    window = result.config.audit_window
    gaps = sum(1 for r in result.coverage if r.status in coverage.GAP_STATES)
    if len(catalogues) <= 1:
        return [
            render.coverage_summary(coverage.summarise(result.coverage), window),
            render.matrix_filters(len(result.coverage), gaps),
            render.matrix(result.coverage, link, result.records, window),
        ]
    parts: list[nodes.Node] = []
    standards: list[tuple[str, str]] = []
    for catalogue in catalogues:  # one part per standard, each with its own summary, to filter by
        rows = [r for r in result.coverage if r.catalogue_key == catalogue.key]
        heading = f"{catalogue.standard} (key {catalogue.key})"
        part_id = nodes.make_id(f"matrix-{catalogue.key}")
        if any(part_id == taken for taken, _ in standards):  # keys differ, but may not once made into ids
            part_id += f"-{len(standards) + 1}"
        part = nodes.container(classes=["clausewise-matrix-part"], ids=[part_id])
        part += [
            nodes.rubric(heading, heading, classes=["clausewise-standard"]),
            render.coverage_summary(coverage.summarise(rows), window),
            render.matrix(rows, link, result.records, window),
        ]
        parts.append(part)
        standards.append((part_id, catalogue.standard))
    return [render.matrix_filters(len(result.coverage), gaps, standards), *parts]


def _applicability(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    with_controls = [c for c in result.handbook.catalogues if c.excludable]
    for catalogue in with_controls:
        rows = coverage.applicability(r for r in result.coverage if r.catalogue_key == catalogue.key)
        if len(with_controls) > 1:
            heading = f"{catalogue.standard} (key {catalogue.key})"
            out.append(nodes.rubric(heading, heading, classes=["clausewise-standard"]))
        out.append(render.statement_of_applicability(rows, link))
    if not out:
        out.append(render.paragraph("No configured catalogue has controls that may be excluded."))
    return out


def _documents(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    wanted = node["doc_type"]
    docs = [d for d in result.handbook.documents if not wanted or d.type.value == wanted]
    return render.documents_table(sorted(docs, key=lambda d: d.id), link)


def _dashboard(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    documents = {d.id: d for d in result.handbook.documents}
    acts = dashboard.activities(result.config.activities, documents, result.reviews, result.records)
    # an unusable handbook has nothing overdue only because nothing could be read: say so first
    return [render.unusable_notice(f.message) for f in result.unusable] + render.dashboard(
        result.coverage, sorted(result.reviews.values(), key=staleness.schedule_key),
        list(result.records.values()), acts, result.config.today, link,
        [(c.key, c.standard) for c in result.handbook.catalogues], result.config.audit_window,
    ) + _actions_summary(result) + review_pages.next_review_section(
        review_agenda.next_reviews(result.handbook, result.records, result.reviews.values(), result.config.today), link
    ) + _customer_satisfaction(result, link)  # fmt: skip


def _customer_satisfaction(result: BuildResult, link: render.Linker) -> list[nodes.Node]:
    """The dashboard's customer satisfaction section, when the handbook has a survey or complaint record type."""
    kinds = {rt.kind for rt in result.handbook.record_types}
    if not kinds & {RecordKind.SURVEY, RecordKind.COMPLAINT}:
        return []
    section = nodes.section(ids=["dashboard-customers"])
    section += nodes.title("Customer satisfaction", "Customer satisfaction")
    section.extend(render.customer_satisfaction(
        customers.satisfaction_series(result.handbook, result.withheld),
        customers.complaint_register(
            result.handbook, result.config.today, result.config.complaint_response_days, result.withheld
        ),
        link,
    ))  # fmt: skip
    return [section]


def _actions_summary(result: BuildResult) -> list[nodes.Node]:
    """The dashboard's open and overdue actions and their ages (nothing when no actions are recorded)."""
    all_actions = result.actions
    if not all_actions:
        return []
    summary = actions.summary(all_actions, result.config.today)
    box = nodes.container(classes=["clausewise-dashboard-actions"])
    box += nodes.rubric("", "Actions")
    box += render.paragraph(action_register.summary_text(summary))
    return [box]


def _action_register(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    rows = actions.register_rows(result.actions, result.config.today, result.withheld)
    return action_register.register(rows, result.config.today, link)


def _review_schedule(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    return [render.review_schedule(sorted(result.reviews.values(), key=staleness.schedule_key), link)]


def _record_register(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    statuses = list(result.records.values())
    window = months_text(result.config.audit_window)
    # the matrix counts the audit window's gaps only: without this the two counts seem to disagree
    note = render.paragraph(
        "Worst first. Missing counts every period since each record type's schedule started; "
        f"the matrix counts those within the audit window (the last {window})."
    )
    return [note, render.record_overview(statuses, link), *render.disposal_register(statuses, link)]


def _document_register(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    return render.document_register(result.register, link, result.history)


def _edit_link(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    return render.edit_link(link.editor, node["item_id"])


def _record_fields(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    record = result.items.get(node["item_id"])
    if not isinstance(record, Record) or not record.fields:
        return []
    return [
        render.record_fields_table(record, declared_fields(result, record), link),
        *review_pages.inputs_note(result.handbook, record),
    ]


def review_inputs_declared(result: BuildResult, record: Record) -> tuple[object, ...]:
    """The kind and the inputs of the record's type (its first declaration's): what a management
    review's page reads besides the record itself."""
    rt = result.handbook.record_types_by_id.get(record.record_type or "")
    return (rt.kind, rt.inputs) if rt is not None else ()


def _complaint_register(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    days = result.config.complaint_response_days
    return render.complaint_register(
        customers.complaint_register(result.handbook, result.config.today, days), link, days
    )


def declared_fields(result: BuildResult, record: Record) -> tuple[FieldSpec, ...]:
    """The fields the record's type declares (its first declaration's, as the readers take it)."""
    rt = result.handbook.record_types_by_id.get(record.record_type or "")
    return rt.fields if rt is not None else ()


def _audit_coverage(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    return audit_page.audit_coverage_page(result.audit_coverage, link)


def _service_levels(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    service = result.items.get(node["item_id"])
    if not isinstance(service, GovernedDocument):
        return []
    handbook, cfg = result.handbook, result.config
    return servicepage.service_levels(
        service, measurements.series_of(service.id, handbook), suppliers.supporting(service.id, handbook),
        measurements.open_actions_of(service.id, handbook), result.withheld, cfg.today, cfg.audit_window, link,
    )  # fmt: skip


def _supplier(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    # reviews are records anywhere in the handbook: drawn from the whole (its fingerprint keys the page)
    status = next((s for s in result.supplier_statuses if s.supplier.id == node["item_id"]), None)
    if status is None:
        return []
    return render.supplier_details(
        status,
        link,
        suppliers.performance_of(status.supplier, result.handbook),
        result.config.audit_window,
        result.withheld,
    )


def _supplier_register(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    return [render.supplier_register(result.supplier_statuses, link)]


def _management_dashboard(result: BuildResult, link: render.Linker, node: clausewise_placeholder) -> list[nodes.Node]:
    cfg = result.config
    summary = management.management_summary(
        result.handbook, result.reviews.values(), result.records.values(), cfg.today,
        window_months=cfg.audit_window, supplier_review=cfg.supplier_review,
        contract_notice_days=cfg.contract_notice_days, complaint_response_days=cfg.complaint_response_days,
        withheld=result.withheld,
    )  # fmt: skip
    return [render.unusable_notice(f.message) for f in result.unusable] + management_page.management_dashboard(
        summary, link
    )


#: the kinds every governed page and record has, made as data and written as HTML text where
#: the builder is an HTML one whose translator is Sphinx's own (see :func:`fill`)
PARTS_RENDERERS: Mapping[Kind, PartsRenderer] = {
    Kind.STATUS_BOX: _status_box,
    Kind.REVISION_HISTORY: _revision_history,
}

RENDERERS: Mapping[Kind, Renderer] = {
    Kind.RECORD_TYPES: _record_types,
    Kind.ROLE_DUTIES: _role_duties,
    Kind.MATRIX: _matrix,
    Kind.APPLICABILITY: _applicability,
    Kind.DOCUMENTS: _documents,
    Kind.DASHBOARD: _dashboard,
    Kind.REVIEW_SCHEDULE: _review_schedule,
    Kind.RECORD_REGISTER: _record_register,
    Kind.DOCUMENT_REGISTER: _document_register,
    Kind.EDIT_LINK: _edit_link,
    Kind.RECORD_FIELDS: _record_fields,
    Kind.ACTION_REGISTER: _action_register,
    Kind.AUDIT_COVERAGE: _audit_coverage,
    Kind.SERVICE_LEVELS: _service_levels,
    Kind.SUPPLIER: _supplier,
    Kind.SUPPLIER_REGISTER: _supplier_register,
    Kind.COMPLAINT_REGISTER: _complaint_register,
    Kind.MANAGEMENT_DASHBOARD: _management_dashboard,
}


def fill(result: BuildResult, link: render.Linker, doctree: nodes.document) -> None:
    """Replace every placeholder of ``doctree`` with what it shows (the parts every page repeats
    as :func:`render.block_nodes`: HTML text where Sphinx's own HTML translator writes the page)."""
    with render.filling(doctree):
        for node in list(doctree.findall(clausewise_placeholder)):
            shown: list[nodes.Node] = []
            for part in parts_of(node):
                kind = Kind(part["kind"])
                made = PARTS_RENDERERS.get(kind)
                if made is None:
                    shown += RENDERERS[kind](result, link, part)
                else:
                    shown += render.block_nodes(made(result, link, part), link)
            node.replace_self(section_of(node, shown) if node.get("section") else shown)


def section_of(node: clausewise_placeholder, shown: list[nodes.Node]) -> nodes.section:
    """What a placeholder with ``section`` shows, as the section it stands for (a record's "Revision
    history", which the page directive leaves as a bare placeholder: see :mod:`.directives`). The
    same section, with the same title, id and classes, as a governed page's, whose section is made
    while reading; made only now, it is not in the page's contents (``env.tocs``)."""
    section = revision_section()
    section += shown
    return section


def revision_section() -> nodes.section:
    """The "Revision history" section, empty: made while reading on a governed page (the page
    directive), when filled on a record (:func:`section_of`)."""
    section = nodes.section(ids=[REVISION_SECTION], classes=["clausewise-generated", render.NOT_SEARCHED])
    section += nodes.title(REVISION_TITLE, REVISION_TITLE)
    return section


# --- page keys ------------------------------------------------------------------------------


def page_key(result: BuildResult, marks: set[Mark]) -> str:
    """A digest of exactly what a page's placeholders show: for status boxes,
    record-type tables and histories, one item's data and the titles and places
    of what they link to; for tables of the whole handbook, its fingerprint
    (everything those tables read)."""
    parts: list[object] = []
    editor = WebEditor.of(result.config, result.history)
    for kind, item_id in sorted(marks):
        if Kind(kind) is Kind.EDIT_LINK:
            parts.append({"edit": editor.edit(item_id) if editor is not None else ""})
            continue
        if Kind(kind) is Kind.ROLE_DUTIES:
            parts.append(role_duties_key(result, item_id))
            continue
        if keyed_by_fingerprint(Kind(kind)):
            parts.append(result.fingerprint)
            continue
        item = result.items.get(item_id)
        refs = sorted(referenced_ids(item)) if item is not None else []
        statuses = [result.records.get(rt.id) for rt in item.record_types] if isinstance(item, GovernedDocument) else []
        ids = result.clause_ids
        clauses = sorted(clause_numbers(item)) if item is not None else []
        parts.append(
            {
                "item": item,
                "record_types": statuses,
                "review": result.reviews.get(item_id),
                "fields": declared_fields(result, item) if isinstance(item, Record) else (),
                # a management review's page says which of its type's inputs it covered
                "inputs": review_inputs_declared(result, item) if isinstance(item, Record) else (),
                "history": result.histories.get(item_id),
                "approvals": result.approvals.get(item_id),
                "references": [(r, result.titles.get(r), result.anchors.get(r)) for r in refs],
                # "satisfies" and "evidences" link to the clauses' place in the catalogue page
                "clauses": [(n, ids.get(n), result.anchors.get(ids.get(n, ""))) for n in clauses],
                "repository": (result.history.available, result.history.reason, result.history.shallow),
                "commit_link": result.config.commit_link("{sha}"),
                "new_records": [
                    new_record_link(editor, status, p, result.handbook, result.config)
                    for status in statuses
                    if status is not None
                    for p in status.periods
                ],
            }
        )
    return digest(parts)


def shows_the_whole_handbook(marks: set[Mark]) -> bool:
    """Whether a page with these placeholders is keyed by the handbook's fingerprint (:func:`page_key`)."""
    return any(keyed_by_fingerprint(Kind(kind)) for kind, _ in marks)


def keyed_by_fingerprint(kind: Kind) -> bool:
    """Whether a placeholder of ``kind`` is keyed by the handbook's fingerprint: it shows no one item,
    and has no key of its own (:data:`_KEYED_OTHERWISE`)."""
    return kind not in ITEM_KINDS and kind not in _KEYED_OTHERWISE


#: the kinds that show no one item but are not keyed by the handbook's fingerprint (:func:`page_key`)
_KEYED_OTHERWISE = frozenset({Kind.EDIT_LINK, Kind.ROLE_DUTIES})


def role_duties_key(result: BuildResult, role_id: str) -> object:
    """What a role's duties show: the documents it owns and takes part in, its record types and
    their states, its open actions (overdue counted from today), and the titles and places of
    everything they link to. Not the handbook's fingerprint: an edit to one page would write every
    role page again, on a large handbook most of what a rebuild after one edit wrote."""
    duties = coverage.role_duties(result.handbook, role_id)
    return {
        "duties": duties,
        "record_types": [result.records.get(rt.id) for rt in duties.record_types],
        "open_actions": role_open_actions(result, role_id),
        "today": result.config.today,
        "links": result.link_targets,
    }


def clause_numbers(item: GovernedDocument | Record) -> set[str]:
    """Clause numbers a status box, record-type table or field table of ``item`` links to."""
    if isinstance(item, Record):
        linked = (FieldType.CLAUSE, FieldType.REFERENCE)
        return {str(v) for f in item.fields if f.type in linked for v in f.values}
    return {*item.satisfies, *(n for rt in item.record_types for n in rt.evidences)}


def referenced_ids(item: GovernedDocument | Record) -> set[str]:
    """Ids whose title or place a status box, record-type table or field table of ``item`` shows."""
    if isinstance(item, Record):
        named = {str(v) for f in item.fields if f.type in (FieldType.ID, FieldType.REFERENCE) for v in f.values}
        return named | ({item.record_type} if item.record_type else set())
    refs = {item.id, *item.implements, *item.uses}
    refs |= {rt.id for rt in item.record_types} | {rt.owner for rt in item.record_types if rt.owner}
    if item.owner:
        refs.add(item.owner)
    return refs
