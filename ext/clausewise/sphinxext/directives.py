"""The directives a handbook uses, and the one clausewise appends to every governed page."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.api import InvalidNeedException, add_need

from clausewise.core.findings import CODES, Code, Severity, is_suppressed, resolve_severity
from clausewise.core.model import DocType, GovernedDocument, Record, find_clause
from clausewise.core.settings import conf_py_template, settings
from clausewise.rules.kinds import KIND_FIELDS
from clausewise.sources.schema import CATALOGUE_KEYS, FRONT_MATTER_KEYS, WHERE_TITLES, SchemaKey, Where, keys_of
from clausewise.sphinxext import placeholders, render
from clausewise.sphinxext.config import handbook_catalogues, record_fields_of, settings_of, sphinx_app
from clausewise.sphinxext.domain import domain
from clausewise.sphinxext.needs_config import record_field_values
from clausewise.sphinxext.placeholders import Kind, placeholder

logger = logging.getLogger(__name__)

#: The directive appended to every governed page (like ``rst_epilog``).
PAGE_DIRECTIVE = "clausewise-page"


class ClausewiseDirective(SphinxDirective):
    """A directive clausewise adds; the reference (``{clausewise-directives}``)
    lists it with its options, from ``option_help``, and its docstring's first paragraph."""

    #: What each option in ``option_spec`` means and takes, for the reference;
    #: a test keeps the two equal.
    option_help: ClassVar[dict[str, str]] = {}


class PageDirective(ClausewiseDirective):
    """Appended to every governed page: its needs, and placeholders for its boxes."""

    def run(self) -> list[nodes.Node]:
        page = domain(self.env).pages.get(self.env.docname)
        if page is None:
            return []
        severity, suppress = settings_of(self.env).severity, self.env.config.suppress_warnings
        own = sorted(
            f
            for f in page.findings
            if resolve_severity(f.code, severity) is not Severity.OFF and not is_suppressed(f.code, suppress)
        )
        invalid = any(f.code is Code.INVALID_METADATA for f in own)
        # a page with invalid metadata shows its findings instead of a status box that
        # would look like any other (say, approved) page's
        out: list[nodes.Node] = [render.invalid_box(page.path, own)] if invalid else []
        item = page.item
        # "Edit this page", the status box and a record's fields, in that order under the title (moved
        # there on doctree-read): one placeholder for the three when they are together (most pages:
        # fewer nodes kept from reading to writing), else one each
        head: list[tuple[Kind, str]] = []
        if page.withheld:
            out.append(render.withheld_notice(page.path, item, settings_of(self.env)))
        else:  # a withheld page offers no way into its file
            head.append((Kind.EDIT_LINK, page.path))
        if item is not None and not invalid:
            head.append((Kind.STATUS_BOX, item.id))
        elif head:  # apart: the box of findings goes between it and the fields
            out.append(placeholder(self.env, *head.pop()))
        if isinstance(item, Record) and item.fields and not page.withheld:
            head.append((Kind.RECORD_FIELDS, item.id))
        if head:
            out.append(placeholder(self.env, *head[0], then=head[1:]))
        if item is None:
            return out
        out += self._needs(item, withheld=page.withheld)
        if isinstance(item, GovernedDocument):
            if item.record_types:
                section = _section("Records this document requires", "clausewise-required-records")
                section += placeholder(self.env, Kind.RECORD_TYPES, item.id)
                out.append(section)
            if item.type is DocType.ROLE:
                section = _section("Duties in this handbook", "clausewise-role-duties")
                section += placeholder(self.env, Kind.ROLE_DUTIES, item.id)
                out.append(section)
            if item.type is DocType.SERVICE and not page.withheld:
                # its own sections (agreements, service levels, suppliers, actions), each with its title
                out.append(placeholder(self.env, Kind.SERVICE_LEVELS, item.id))
            if item.type is DocType.SUPPLIER and not page.withheld:
                section = _section("Contract, services and reviews", "clausewise-supplier")
                section += placeholder(self.env, Kind.SUPPLIER, item.id)
                out.append(section)
        if isinstance(item, Record):
            # made a section when it is filled (placeholders.section_of): a record page's
            # only section, and its entry in the page's contents, were kept in memory from reading to
            # the end of the build for each of a large handbook's thousands of records
            out.append(placeholder(self.env, Kind.REVISION_HISTORY, item.id, section=True))
            return out
        section = placeholders.revision_section()  # not searched: the same words on every page
        section += placeholder(self.env, Kind.REVISION_HISTORY, item.id)
        out.append(section)
        return out

    def _needs(self, item: GovernedDocument | Record, *, withheld: bool) -> list[nodes.Node]:
        catalogues = handbook_catalogues(sphinx_app(self.env))

        def clause_ids(references: tuple[str, ...]) -> list[str]:
            found = (find_clause(catalogues, r) for r in references)
            return [c.need_id for c in found if c is not None]

        needs: list[tuple[str, str, str, int, dict[str, Any]]] = []
        if isinstance(item, Record):
            fields = {
                "period": item.period, "produced": _iso(item.produced), "produced_by": item.produced_by,
                "classification": item.classification, "record_of": _opt(item.record_type),
            }  # fmt: skip
            if not withheld:  # a withheld record's fields are withheld with its body
                fields.update(record_field_values(item, record_fields_of(sphinx_app(self.env))[1]))
            needs.append(("record", item.id, item.title, item.source.line, fields))
        else:
            fields = {
                "status": item.status, "owner": _opt(item.owner), "version": item.version,
                "effective": _iso(item.effective), "reviewed": _iso(item.reviewed),
                "review_interval": f"{item.review_interval_months} months",
                "classification": item.classification,
                # unknown clauses are reported by clausewise with file and line
                "satisfies": clause_ids(item.satisfies),
                "implements": list(item.implements), "involves": list(item.roles),
                "requires": [rt.id for rt in item.record_types] + list(item.requires_records),
                "uses": list(item.uses),
                # of a document of external origin (None, and so left out, for the others)
                "issuer": item.issuer, "edition": item.edition, "location": item.location,
            }  # fmt: skip
            needs.append((item.type.value, item.id, item.title, item.source.line, fields))
            for rt in item.record_types:
                rt_fields = {
                    "owner": _opt(rt.owner), "cadence": rt.cadence.text if rt.cadence else None,
                    "evidences": clause_ids(rt.evidences),
                }  # fmt: skip
                needs.append(("record_type", rt.id, rt.title, rt.source.line, rt_fields))
        out: list[nodes.Node] = []
        for need_type, need_id, title, line, values in needs:
            kwargs = {k: (v.value if hasattr(v, "value") else v) for k, v in values.items() if v not in (None, [])}
            try:
                out += add_need(
                    sphinx_app(self.env), self.state, self.env.docname, line, need_type, title,
                    id=need_id, hide=True, **kwargs,
                )  # fmt: skip
            except InvalidNeedException as exc:
                if exc.type != "duplicate_id":  # clausewise reports that as `duplicate-id`, with both places
                    logger.warning(
                        "%s %s was not added to the needs: %s", need_type, need_id, exc.message,
                        location=(self.env.docname, line), type="clausewise", subtype="needs",
                    )  # fmt: skip
                continue
        return out


def _opt(value: str | None) -> list[str]:
    return [value] if value else []


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _section(title: str, ident: str) -> nodes.section:
    section = nodes.section(ids=[ident], classes=["clausewise-generated"])
    section += nodes.title(title, title)
    return section


class CatalogueDirective(ClausewiseDirective):
    """``{clause-catalogue}``: the clause needs of every configured catalogue, as
    one table per standard (with several, each under the standard's name and key)."""

    def run(self) -> list[nodes.Node]:
        catalogues = handbook_catalogues(sphinx_app(self.env))
        domain(self.env).catalogue_pages[self.env.docname] = self.lineno
        # the confirmation column is explained once, however many standards follow
        out: list[nodes.Node] = [render.confirmation_legend()] if catalogues else []
        for catalogue in catalogues:
            if len(catalogues) > 1:
                heading = f"{catalogue.standard} (key {catalogue.key})"
                out.append(nodes.rubric(heading, heading, classes=["clausewise-standard"]))
            notice = nodes.admonition(classes=["clausewise-notice", "important"])
            notice += nodes.title("", "The requirements are in the standard")
            notice += render.paragraph(catalogue.notice)
            out += [notice, render.catalogue_table(catalogue)]
        for clause in (c for catalogue in catalogues for c in catalogue.clauses):
            try:
                out += add_need(
                    sphinx_app(self.env), self.state, self.env.docname, self.lineno, "clause", clause.heading,
                    id=clause.need_id, hide=True, clause_number=clause.number,
                    confirmation=clause.confirmation.value,
                )  # fmt: skip
            except InvalidNeedException as exc:
                logger.warning(
                    "clause-catalogue: %s; keep one clause-catalogue directive in the handbook",
                    exc.message, location=(self.env.docname, self.lineno),
                    type="clausewise", subtype="catalogue",
                )  # fmt: skip
                return [n for n in out if isinstance(n, nodes.rubric | nodes.admonition)]
        return out


class MatrixDirective(ClausewiseDirective):
    """``{traceability-matrix}``: every clause with what satisfies and evidences it."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.MATRIX)]


class DocumentsDirective(ClausewiseDirective):
    """``{governed-documents}``: a table of the documents of one kind (``:type:``)."""

    option_spec = {"type": lambda t: DocType(t.strip())}  # noqa: RUF012 - docutils' own attribute
    option_help: ClassVar[dict[str, str]] = {
        "type": "the kind of document: "
        + ", ".join(t.value for t in DocType if t is not DocType.RECORD)
        + "; without it, every governed document",
    }

    def run(self) -> list[nodes.Node]:
        kind = self.options.get("type")
        return [placeholder(self.env, Kind.DOCUMENTS, doc_type=kind.value if kind else "")]


class DashboardDirective(ClausewiseDirective):
    """``{clausewise-dashboard}``: where the SMS stands, at a glance."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.DASHBOARD)]


class ReviewScheduleDirective(ClausewiseDirective):
    """``{review-schedule}``: every document by next review date, overdue first."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.REVIEW_SCHEDULE)]


class FindingCodesDirective(ClausewiseDirective):
    """``{finding-codes}``: the registry of finding codes as a table, so the
    owner's guide always lists exactly the codes the tool can report."""

    def run(self) -> list[nodes.Node]:
        cfg = settings_of(self.env)
        rows = [
            (nodes.literal(code.code, code.code), resolve_severity(code.code, cfg.severity).value, code.description)
            for code in CODES.values()
        ]
        return [
            render.table(
                ["Code", "Severity here", "Meaning"],
                rows,
                widths=[22, 12, 66],
                row_ids=[f"finding-{code}" for code in CODES],
            )
        ]


class ApplicabilityDirective(ClausewiseDirective):
    """``{statement-of-applicability}``: every excludable control of the configured
    catalogues (ISO/IEC 27001's Annex A), applicable or not, with the reason,
    the documents that implement it and its coverage."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.APPLICABILITY)]


class RecordRegisterDirective(ClausewiseDirective):
    """``{record-register}``: every record type with links to its records."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.RECORD_REGISTER)]


class AuditCoverageDirective(ClausewiseDirective):
    """``{audit-coverage}``: every clause of the audit scope and every procedure in force against the
    internal audits (record types of kind audit) that named them under ``audited:``, with the last
    audit and whether it is covered, due soon (falls out of the audit cycle within 90 days) or a gap."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.AUDIT_COVERAGE)]


class DocumentRegisterDirective(ClausewiseDirective):
    """``{document-register}``: the master list of documents: every governed document
    (documents of external origin too) with its kind, owner, classification, status,
    version or edition, effective date, last approval, last and next review and where
    it is kept; retired documents in a table of their own, with the day each was retired."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.DOCUMENT_REGISTER)]


class SupplierRegisterDirective(ClausewiseDirective):
    """``{supplier-register}``: every supplier (page of type: supplier) with its criticality, owner,
    status, contract end (days left; expiring or expired said in words), last review and next review due."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.SUPPLIER_REGISTER)]


class ComplaintRegisterDirective(ClausewiseDirective):
    """``{complaint-register}``: every customer complaint (the records of a record type of kind
    ``complaint``) with its customer, the days it was received, answered and resolved, and its
    state in words: the open ones first (those unanswered past ``clausewise_complaint_response_days``
    marked), then the resolved ones."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.COMPLAINT_REGISTER)]


class SettingsDirective(ClausewiseDirective):
    """``{clausewise-settings}``: every ``clausewise_*`` setting with its default and
    help, from the one declaration in :mod:`clausewise.core.settings`; with
    ``:template:``, the ``conf.py`` lines to copy instead."""

    option_spec = {"template": lambda _: True}  # noqa: RUF012 - docutils' own attribute
    option_help: ClassVar[dict[str, str]] = {
        "template": "no value: show the conf.py lines that set every setting to its default, instead of the table",
    }

    def run(self) -> list[nodes.Node]:
        if "template" in self.options:
            text = conf_py_template()
            block = nodes.literal_block(text, text, language="python")
            return [block]
        rebuilds = {"": "nothing (read on every build)", "env": "every page", "html": "the HTML pages"}
        rows = [
            (nodes.literal(name, name), nodes.literal(repr(spec.default), repr(spec.default)),
             spec.help + (f" Environment: {spec.environment}." if spec.environment else ""),
             rebuilds[spec.rebuild])
            for name, spec in settings()
        ]  # fmt: skip
        return [
            render.table(
                ["Setting", "Default", "Meaning", "A change rebuilds"],
                rows,
                widths=[22, 18, 45, 15],
                row_ids=[f"setting-{name}" for name, _ in settings()],
            )
        ]


class DirectivesDirective(ClausewiseDirective):
    """``{clausewise-directives}``: every directive clausewise adds, with its
    options, whether it takes an argument or content, and what it shows, from
    the directive classes themselves."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for name, directive in DIRECTIVES.items():
            options: list[nodes.Node] = []
            for option, help in directive.option_help.items():
                options.append(render.paragraph(nodes.literal(f":{option}:", f":{option}:"), f" {help}"))
            shown = render.paragraph(PAGE_NOTE) if name == PAGE_DIRECTIVE else _docstring_paragraph(directive)
            rows.append((nodes.literal(f"{{{name}}}", f"{{{name}}}"), options or "none", _takes(directive), shown))
        return [
            render.table(
                ["Directive", "Options", "Argument and content", "Shows"],
                rows,
                widths=[20, 30, 15, 35],
                row_ids=[f"directive-{name}" for name in DIRECTIVES],
            )
        ]


#: What the reference says about the directive no handbook writes.
PAGE_NOTE = "Added by clausewise to every governed page; do not write it."


def _takes(directive: type[SphinxDirective]) -> str:
    arguments = directive.required_arguments + directive.optional_arguments
    argument = (
        "no argument" if not arguments else "an argument" if directive.required_arguments else "an optional argument"
    )
    return f"{argument}; {'content' if directive.has_content else 'no content'}"


_MARKUP = re.compile(r"``([^`]+)``|:\w+:`([^`]+)`")


def _docstring_paragraph(directive: type[SphinxDirective]) -> nodes.paragraph:
    """The first paragraph of the directive's docstring, without the leading
    ``{name}``: (the table's first column says it), literals kept as literals."""
    text = " ".join((directive.__doc__ or "").strip().split("\n\n")[0].split())
    text = re.sub(r"^``\{[^}]+\}``:\s*", "", text)
    text = text[:1].upper() + text[1:]
    parts: list[nodes.Node | str] = []
    position = 0
    for m in _MARKUP.finditer(text):
        parts.append(text[position : m.start()])
        literal = m.group(1) or m.group(2)
        parts.append(nodes.literal(literal, literal))
        position = m.end()
    parts.append(text[position:])
    return render.paragraph(*(p for p in parts if p != ""))


def _schema_tables(table: tuple[SchemaKey, ...], kinds: tuple[Where, ...]) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for where in kinds:
        keys = keys_of(where, table)
        out.append(nodes.rubric(WHERE_TITLES[where], WHERE_TITLES[where], ids=[f"keys-{where.value}"]))
        rows = [(nodes.literal(k.name, k.name), k.required.value, k.value, k.help) for k in keys]
        out.append(
            render.table(
                ["Key", "Required", "Value", "Meaning"],
                rows,
                widths=[18, 14, 34, 34],
                row_ids=[f"key-{where.value}-{k.name}" for k in keys],
            )
        )
    return out


class FrontMatterKeysDirective(ClausewiseDirective):
    """``{front-matter-keys}``: every front-matter key clausewise reads, one table
    per kind of page (document, policy, procedure or role; record type entry;
    ``uncovered_clauses`` and ``excluded`` entry; record; document of external
    origin): required or optional,
    the value it takes and what it means, from the declaration the validator uses."""

    def run(self) -> list[nodes.Node]:
        return _schema_tables(
            FRONT_MATTER_KEYS,
            # every mapping of a page's front matter, in the order declared (a catalogue's have their own page)
            tuple(w for w in Where if w not in (Where.CATALOGUE, Where.CLAUSE)),
        )


class CatalogueSchemaDirective(ClausewiseDirective):
    """``{catalogue-schema}``: the keys of a catalogue file and of each of its
    clauses, required or optional, with the value each takes, from the
    declaration the catalogue loader uses."""

    def run(self) -> list[nodes.Node]:
        return _schema_tables(CATALOGUE_KEYS, (Where.CATALOGUE, Where.CLAUSE))


#: Every directive clausewise adds, by name.
class ActionRegisterDirective(ClausewiseDirective):
    """``{action-register}``: every action (a record of a record type of kind ``action``): open ones
    first, the most overdue first, then closed ones; with its state, kind, source, owner, dates and
    effectiveness check, and buttons that filter it by source and by owner."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.ACTION_REGISTER)]


class RecordKindsDirective(ClausewiseDirective):
    """``{record-kinds}``: the fields each record ``kind:`` reads (``KIND_FIELDS`` in
    ``rules/kinds.py``), with their types, whether a record type of the kind must declare
    them, and what they mean."""

    def run(self) -> list[nodes.Node]:
        rows = [
            (nodes.literal(kind.value, kind.value), nodes.literal(f.name, f.name), f.type_text,
             "yes" if f.required else "no", f.meaning)
            for kind, kind_fields in KIND_FIELDS.items()
            for f in kind_fields
        ]  # fmt: skip
        return [
            render.table(
                ["Kind", "Field", "Type", "Must be declared", "Meaning"],
                rows,
                widths=[14, 20, 12, 10, 44],
                row_ids=[
                    f"kind-{kind.value}-{f.name}" for kind, kind_fields in KIND_FIELDS.items() for f in kind_fields
                ],
            )
        ]


class ManagementDashboardDirective(ClausewiseDirective):
    """``{management-dashboard}``: one page for top management: each service's metric in its latest
    period against its target (met or missed, in words) with its trend, the critical suppliers and
    the contracts about to end, customer satisfaction and open complaints, open actions, and what is
    overdue; each section linked to its detail, and one line where the handbook has none of it."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, Kind.MANAGEMENT_DASHBOARD)]


DIRECTIVES: dict[str, type[ClausewiseDirective]] = {
    PAGE_DIRECTIVE: PageDirective,
    "clause-catalogue": CatalogueDirective,
    "traceability-matrix": MatrixDirective,
    "governed-documents": DocumentsDirective,
    "record-register": RecordRegisterDirective,
    "document-register": DocumentRegisterDirective,
    "statement-of-applicability": ApplicabilityDirective,
    "finding-codes": FindingCodesDirective,
    "review-schedule": ReviewScheduleDirective,
    "clausewise-dashboard": DashboardDirective,
    "clausewise-settings": SettingsDirective,
    "clausewise-directives": DirectivesDirective,
    "front-matter-keys": FrontMatterKeysDirective,
    "catalogue-schema": CatalogueSchemaDirective,
    "action-register": ActionRegisterDirective,
    "record-kinds": RecordKindsDirective,
    "audit-coverage": AuditCoverageDirective,
    "supplier-register": SupplierRegisterDirective,
    "complaint-register": ComplaintRegisterDirective,
    "management-dashboard": ManagementDashboardDirective,
}
