"""What a handbook's files may hold: the front-matter keys of each kind of page
and the keys of a catalogue file, declared once.

The validators derive their key lists from these tables (``sources/metadata.py``
its allowed keys, ``sources/catalogue.py`` its allowed and required keys), and
the reference pages render them (``{front-matter-keys}``, ``{catalogue-schema}``),
so the documentation lists exactly the keys the tool reads. What a value must
look like is checked by the validators; ``value`` says it in words, and a test
keeps "required" here equal to what the validators require.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from clausewise.core.dates import EARLIEST_DATE, LATEST_DATE, MAX_GRACE_DAYS, MAX_INTERVAL_MONTHS, MAX_RETAIN_MONTHS
from clausewise.core.model import Confirmation, DocType, FieldType, InputCount, RecordKind, RecordStatus, Status
from clausewise.core.settings import DEFAULT_LEVELS


class Where(StrEnum):
    """The mapping a key belongs to."""

    DOCUMENT = "document"
    RECORD_TYPE = "record-type"
    JUSTIFICATION = "justification"
    RECORD = "record"
    EXTERNAL = "external"
    CATALOGUE = "catalogue"
    CLAUSE = "clause"
    FIELD = "field"
    SERVICE = "service"
    METRIC = "metric"
    MEASUREMENT = "measurement"
    SUPPLIER = "supplier"


#: How each mapping is named in the reference's headings.
WHERE_TITLES = {
    Where.DOCUMENT: "A document, policy, procedure or role",
    Where.RECORD_TYPE: "An entry of record_types",
    Where.JUSTIFICATION: "An entry of uncovered_clauses or excluded",
    Where.RECORD: "A record",
    Where.EXTERNAL: "A document of external origin (type: external)",
    Where.CATALOGUE: "A catalogue file",
    Where.CLAUSE: "An entry of clauses",
    Where.FIELD: "An entry of a record type's fields",
    Where.SERVICE: "A service (type: service)",
    Where.METRIC: "An entry of a service's metrics",
    Where.MEASUREMENT: "An entry of a record's measurements",
    Where.SUPPLIER: "A supplier (type: supplier)",
}


class Requirement(StrEnum):
    REQUIRED = "required"
    UNLESS_DRAFT = "required unless status is draft"
    OPTIONAL = "optional"


@dataclass(frozen=True)
class SchemaKey:
    """One key of one kind of mapping: whether it must be there, the value it
    takes (in words, saying when the list of values is fixed) and what it means."""

    name: str
    where: Where
    required: Requirement
    value: str
    help: str


def _one_of(values: Iterable[StrEnum]) -> str:
    return "one of " + ", ".join(v.value for v in values) + " (a fixed list)"


_ID = "an id that matches the pattern of its kind (setting clausewise_id_patterns)"
_CLAUSES = "a list of clause references: a number such as 8.1, or KEY:NUMBER with several catalogues"
_DATE = f"a date as YYYY-MM-DD, from {EARLIEST_DATE} to {LATEST_DATE}"
_CADENCE = (
    "daily, weekly, monthly, quarterly, half-yearly, yearly, 'every N weeks' (N up to 156), "
    "'every N months' (N up to 36) or 'per event' (a fixed list)"
)
_JUSTIFICATIONS = "a list of entries, each with clause and reason"
_LEVEL = (
    f"a classification level named in the setting clausewise_audiences (by default one of {', '.join(DEFAULT_LEVELS)})"
)
_SUMMARY = "a text (Markdown), written for every audience that may read the page's metadata"
_WITHHELD = (
    "What an audience that may not read the page (setting clausewise_audiences) sees in place of its body, "
    "beside the status box."
)
_TITLE_LEVEL = (
    "The level needed to read the title too; an audience that may not read it sees the id instead of the "
    "title everywhere (and the body is withheld from it). Default: the title is shown to every audience."
)

_REVIEW_INTERVAL = f"a number of months or years up to {MAX_INTERVAL_MONTHS // 12} years, e.g. '12 months' or '2 years'"
#: the kinds the ``type:`` of a document, policy, procedure or role page names
_DOCUMENT_TYPES = tuple(
    t for t in DocType if t not in (DocType.RECORD, DocType.EXTERNAL, DocType.SERVICE, DocType.SUPPLIER)
)

_FIELD_TYPES = ", ".join(t.value for t in FieldType) + ", or 'list of' one of them, e.g. 'list of id' (a fixed list)"

D, RT, J, R, X = Where.DOCUMENT, Where.RECORD_TYPE, Where.JUSTIFICATION, Where.RECORD, Where.EXTERNAL
F, SU = Where.FIELD, Where.SUPPLIER
SV, M, MS = Where.SERVICE, Where.METRIC, Where.MEASUREMENT
_TARGET = (
    "a direction and a number, quoted: '>= 99.9' (at least) or '<= 4' (at most); 'at least 99.9' and "
    "'at most 4' are read too"
)
REQ, DRAFT, OPT = Requirement.REQUIRED, Requirement.UNLESS_DRAFT, Requirement.OPTIONAL

#: Every front-matter key clausewise reads, by the mapping it belongs to.
FRONT_MATTER_KEYS: tuple[SchemaKey, ...] = (
    SchemaKey("id", D, REQ, _ID, "The document's id; links and references use it."),
    SchemaKey("type", D, REQ, _one_of(_DOCUMENT_TYPES), "What the page is."),
    SchemaKey("title", D, REQ, "a text", "The page's title (it replaces a '# heading')."),
    SchemaKey("owner", D, REQ, "a role id", "The role that owns the document and reviews it."),
    SchemaKey("status", D, REQ, _one_of(Status), "Only approved documents count towards coverage."),
    SchemaKey("version", D, REQ, "numbers separated by dots, e.g. 2.1 or 1.10 (kept as text)",
              "The version; raise it with every approved change."),
    SchemaKey("effective", D, DRAFT, _DATE, "The day this version applies from."),
    SchemaKey("reviewed", D, DRAFT, _DATE, "The day of the last review; the next is due review_interval later."),
    SchemaKey("review_interval", D, OPT, _REVIEW_INTERVAL, "How often the document is reviewed; default 12 months."),
    SchemaKey("classification", D, REQ, _LEVEL,
              "Who may read the document; an audience that may not sees its metadata and summary only."),
    SchemaKey("satisfies", D, OPT, _CLAUSES, "The clauses of the standards the document satisfies."),
    SchemaKey("implements", D, OPT, "a list of document ids", "The documents (usually policies) this one implements."),
    SchemaKey("roles", D, OPT, "a list of role ids", "The roles that take part in the document."),
    SchemaKey("requires_records", D, OPT, "a list of record type ids",
              "Record types declared in other documents that this one also relies on."),
    SchemaKey("record_types", D, OPT, "a list of record type entries (see below)",
              "The records the document requires, with their cadence."),
    SchemaKey("uncovered_clauses", D, OPT, _JUSTIFICATIONS,
              "Clauses deliberately not covered yet, with the reason (shown as justified gaps)."),
    SchemaKey("excluded", D, OPT, _JUSTIFICATIONS,
              "Excludable controls (e.g. ISO/IEC 27001 Annex A) that do not apply, with the reason."),
    SchemaKey("github", D, OPT, "'@user' or '@org/team', or a list of them, in quotes",
              "A role's GitHub users and teams, for CODEOWNERS; only on a role's page."),
    SchemaKey("members", D, OPT, "a list of forge logins, e.g. [alice, bob-smith] (a leading @ may be written)",
              "A role's members: with clausewise_approval's 'by': 'owner', who (besides the role's github: "
              "users and the members of its github: teams) may approve changes to the documents it owns; "
              "only on a role's page."),
    SchemaKey("summary", D, OPT, _SUMMARY, _WITHHELD),
    SchemaKey("title_classification", D, OPT, _LEVEL, _TITLE_LEVEL),
    SchemaKey("uses", D, OPT, "a list of ids of documents of external origin (type: external)",
              "The contracts, agreements, laws and standards the document relies on."),
    SchemaKey("id", RT, REQ, _ID, "The record type's id; records name it in record_type."),
    SchemaKey("title", RT, REQ, "a text", "The record type's title."),
    SchemaKey("owner", RT, REQ, "a role id", "The role that produces the records."),
    SchemaKey("evidences", RT, OPT, _CLAUSES, "The clauses the records are evidence for."),
    SchemaKey("cadence", RT, REQ, _CADENCE, "How often a record is due."),
    SchemaKey("window", RT, OPT, f"a number of months up to {MAX_INTERVAL_MONTHS}, e.g. '12 months'",
              "For 'per event': how far back a record must exist; default 12 months."),
    SchemaKey("grace", RT, OPT, f"a number of days up to {MAX_GRACE_DAYS}, e.g. '30 days'",
              "How long after its period a record may still arrive; default 30 days."),
    SchemaKey("start", RT, OPT, _DATE, "The day the schedule starts; default: the setting clausewise_sms_start."),
    SchemaKey("allow_several", RT, OPT, "true or false",
              "true: several records for one period are fine; default false (a second is a duplicate)."),
    SchemaKey("early", RT, OPT, "allowed or not allowed (a fixed list)",
              "allowed: a record may be produced before its period ends (e.g. a monthly report written on the "
              "last working day); default not allowed: such a record is reported as record-premature."),
    SchemaKey("retain", RT, OPT,
              f"a number of months or years up to {MAX_RETAIN_MONTHS // 12} years, e.g. '6 years' or '18 months'",
              "How long each record is kept, counted from the end of its period (per event: from its event); "
              "after that it may be disposed of. Default: kept for good."),
    SchemaKey("kind", RT, OPT, _one_of(RecordKind),
              "What the records are, when the build reads more than their dates: 'action' (nonconformities, "
              "corrective actions and improvements), 'audit' (internal audit reports), 'management-review', "
              "'supplier-review' (reviews of suppliers' performance, each naming the suppliers it covered), "
              "'survey' (customer surveys and feedback: responses, satisfaction, NPS), 'complaint' (customer "
              "complaints: received, answered, resolved). "
              "Default: none, the records are checked for their periods only."),
    SchemaKey("fields", RT, OPT, "a mapping of field names to field entries (see below)",
              "The fields each record of this type carries in its front matter, checked in every build. A name "
              "is lower-case letters, digits and '_', starting with a letter; not a record key, nor a field "
              "name sphinx-needs or clausewise already gives needs."),
    SchemaKey("inputs", RT, OPT,
              "a list of entries, each with key (lower-case letters, digits, '-' and '_'), text, and optionally "
              "since (a date) and count (" + ", ".join(c.value for c in InputCount) + "), e.g. - {key: "
              "audit-results, text: Results of internal and external audits, count: audit-reports}",
              "Of a record type of kind 'management-review': the inputs every review must consider, in your own "
              "words; each review lists the keys it covered under inputs_covered. A review produced before an "
              "input's since is not judged on it; count names the number the dashboard shows beside the input."),
    SchemaKey("scale", RT, OPT, "two numbers, the lowest and the highest score, e.g. '1-5' or '0-10'",
              "Kind 'survey' only, and required when it declares the field satisfaction: the scale of the "
              "satisfaction score; a record's score outside it is invalid-metadata."),
    SchemaKey("clause", J, REQ, "a clause reference, e.g. 7.6 or 27001:A.5.15", "The clause or control."),
    SchemaKey("reason", J, REQ, "a text", "Why it is not covered, or why it does not apply."),
    SchemaKey("id", R, REQ, _ID, "The record's id."),
    SchemaKey("type", R, REQ, "record", "What the page is."),
    SchemaKey("title", R, REQ, "a text", "The record's title."),
    SchemaKey("record_type", R, REQ, "a record type id", "The record type this record is one of."),
    SchemaKey("period", R, REQ, "the period covered, e.g. 2026-09, 2026-Q3, 2026-H2, 2026, 2026-W42 or a date",
              "Which period of the cadence the record is for."),
    SchemaKey("produced", R, REQ, _DATE, "The day the record was produced."),
    SchemaKey("produced_by", R, REQ, "a text", "Who produced the record."),
    SchemaKey("classification", R, REQ, _LEVEL,
              "Who may read the record; an audience that may not sees its metadata and summary only."),
    SchemaKey("evidence", R, OPT, "a list of links or file names", "Where the evidence itself is kept."),
    SchemaKey("correction", R, OPT, "a text", "What was corrected after the record was produced, when and by whom."),
    SchemaKey("status", R, OPT, _one_of(RecordStatus),
              "current (the default: evidence for its period), draft (written, not yet approved: not counted; "
              "set current to approve it) or retired (kept, no longer counted)."),
    SchemaKey("summary", R, OPT, _SUMMARY, _WITHHELD),
    SchemaKey("title_classification", R, OPT, _LEVEL, _TITLE_LEVEL),
    SchemaKey("id", X, REQ, _ID, "The document's id; the documents that rely on it name it under uses."),
    SchemaKey("type", X, REQ, "external", "What the page is: a document written outside the organisation."),
    SchemaKey("title", X, REQ, "a text", "The document's title as its issuer gives it (never its text)."),
    SchemaKey("owner", X, REQ, "a role id", "The role that keeps it current here and reviews it."),
    SchemaKey("issuer", X, REQ, "a text", "Who issued it: a supplier, a customer, a legislator, a standards body."),
    SchemaKey("edition", X, REQ, "a text, e.g. 2018, 3.1 or 2024-03",
              "The edition or version that applies here; change it when a new one is adopted."),
    SchemaKey("location", X, REQ, "a path or an https:// address (a javascript:, vbscript: or data: one is refused)",
              "Where the document itself is kept: it is identified here, not copied."),
    SchemaKey("status", X, REQ, _one_of(Status), "draft (being adopted), approved (in use) or retired (withdrawn)."),
    SchemaKey("effective", X, OPT, _DATE, "The day this edition applies from."),
    SchemaKey("reviewed", X, DRAFT, _DATE,
              "The day someone last checked that it is still the edition in force and still fits."),
    SchemaKey("review_interval", X, OPT, _REVIEW_INTERVAL, "How often it is reviewed; default 12 months."),
    SchemaKey("classification", X, REQ, _LEVEL,
              "Who may read its entry; an audience that may not sees its metadata and summary only."),
    SchemaKey("summary", X, OPT, _SUMMARY, _WITHHELD),
    SchemaKey("title_classification", X, OPT, _LEVEL, _TITLE_LEVEL),
    SchemaKey("type", F, REQ, _FIELD_TYPES,
              "What the field holds: text; integer; number (decimal); date (YYYY-MM-DD); boolean (yes or no); "
              "choice (one of values); id (of a document, record type or record of the handbook); clause (a "
              "clause reference, e.g. 8.7)."),
    SchemaKey("required", F, OPT, "true or false",
              "true: every record of the type must give the field (a draft may leave it empty); default false (an "
              "empty value is no value)."),
    SchemaKey("values", F, OPT, "a list of texts; only, and required, with type choice (or list of choice)",
              "The values a choice may take."),
    SchemaKey("help", F, OPT, "a text", "What the field means; shown in the messages about it."),
    SchemaKey("measurements", R, OPT, "a list of measurement entries (see below)",
              "The values the record measured for the handbook's services, one entry per service and metric; "
              "each is checked against the service's declared metrics and its target."),
    SchemaKey("id", SV, REQ, _ID, "The service's id; records name it in their measurements."),
    SchemaKey("type", SV, REQ, "service", "What the page is: a service the organisation provides."),
    SchemaKey("title", SV, REQ, "a text", "The service's name."),
    SchemaKey("owner", SV, REQ, "a role id", "The role that owns the service and reviews this page."),
    SchemaKey("status", SV, REQ, _one_of(Status), "draft, approved (the service is provided) or retired."),
    SchemaKey("version", SV, REQ, "numbers separated by dots, e.g. 2.1 or 1.10 (kept as text)",
              "The page's version; raise it with every approved change (a new metric or target)."),
    SchemaKey("effective", SV, DRAFT, _DATE, "The day this version applies from."),
    SchemaKey("reviewed", SV, DRAFT, _DATE, "The day of the last review; the next is due review_interval later."),
    SchemaKey("review_interval", SV, OPT, _REVIEW_INTERVAL, "How often the page is reviewed; default 12 months."),
    SchemaKey("classification", SV, REQ, _LEVEL,
              "Who may read the page; an audience that may not sees its metadata and summary only."),
    SchemaKey("summary", SV, OPT, _SUMMARY, _WITHHELD),
    SchemaKey("title_classification", SV, OPT, _LEVEL, _TITLE_LEVEL),
    SchemaKey("agreements", SV, OPT, "a list of document ids, usually of documents of external origin (type: external)",
              "The agreements that bind the service: service level agreements, contracts, underpinning agreements."),
    SchemaKey("metrics", SV, OPT, "a mapping of metric names to metric entries (see below)",
              "What the service's records measure. A name is lower-case letters, digits and '_', starting with "
              "a letter, e.g. availability."),
    SchemaKey("unit", M, REQ, "a text, e.g. '%', hours or incidents",
              "What the values are counted in; with '%', a value is from 0 to 100."),
    SchemaKey("target", M, OPT, _TARGET,
              "The value each period must reach or stay within. Default: none, the values are shown as a trend only."),
    SchemaKey("help", M, OPT, "a text", "What the metric measures and how; shown on the service's page."),
    SchemaKey("service", MS, REQ, "a service id (type: service)", "The service measured."),
    SchemaKey("metric", MS, REQ, "the name of one of the service's metrics", "The metric measured."),
    SchemaKey("achieved", MS, REQ, "a number, e.g. 99.95 (without its unit)",
              "The value achieved in the record's period, in the metric's unit."),
    SchemaKey("target", MS, OPT, _TARGET,
              "The target for this period, when it differs from the metric's (a target that changed); "
              "default: the metric's."),
    SchemaKey("id", SU, REQ, _ID, "The supplier's id; supplier review records name it under suppliers."),
    SchemaKey("type", SU, REQ, "supplier", "What the page is: a supplier the organisation depends on."),
    SchemaKey("title", SU, REQ, "a text", "The supplier's name."),
    SchemaKey("owner", SU, REQ, "a role id", "The role that manages the supplier and reviews this page."),
    SchemaKey("status", SU, REQ, _one_of(Status),
              "draft (being selected), approved (in use: its contract and reviews are checked) or retired (no "
              "longer used)."),
    SchemaKey("version", SU, REQ, "numbers separated by dots, e.g. 2.1 or 1.10 (kept as text)",
              "The version of this page; raise it with every approved change."),
    SchemaKey("effective", SU, DRAFT, _DATE, "The day this version applies from."),
    SchemaKey("reviewed", SU, DRAFT, _DATE, "The day this page was last reviewed (not the supplier's performance)."),
    SchemaKey("review_interval", SU, OPT, _REVIEW_INTERVAL, "How often this page is reviewed; default 12 months."),
    SchemaKey("classification", SU, REQ, _LEVEL,
              "Who may read the page; an audience that may not sees its metadata and summary only."),
    SchemaKey("criticality", SU, REQ, "one of the keys of the setting clausewise_supplier_review (by default "
              "critical, high, medium or low)",
              "How much the services depend on the supplier; it sets how often its performance is reviewed."),
    SchemaKey("contract_start", SU, OPT, _DATE, "The day the current contract started."),
    SchemaKey("contract_end", SU, OPT, _DATE + ", not before contract_start",
              "The day the current contract ends: contract-expiring within clausewise_contract_notice_days "
              "before it, contract-expired after it. Leave it out for a contract without an end."),
    SchemaKey("services", SU, OPT, "a list of service ids",
              "The services the supplier supports (its failure is felt there)."),
    SchemaKey("uses", SU, OPT, "a list of ids of documents of external origin (type: external)",
              "The contract and agreements with the supplier, as documents of external origin."),
    SchemaKey("summary", SU, OPT, _SUMMARY, _WITHHELD),
    SchemaKey("title_classification", SU, OPT, _LEVEL, _TITLE_LEVEL),
)  # fmt: skip

C, CL = Where.CATALOGUE, Where.CLAUSE

#: Every key of a catalogue file, in the order messages list them.
CATALOGUE_KEYS: tuple[SchemaKey, ...] = (
    SchemaKey("standard", C, REQ, "a text", "The standard's name, e.g. ISO/IEC 27001:2022."),
    SchemaKey("title", C, OPT, "a text", "The standard's full title."),
    SchemaKey("key", C, OPT, "letters and digits, parts joined by single dashes, e.g. 27001 or 20000-1",
              "The short name in references KEY:NUMBER; default: the id_prefix."),
    SchemaKey("id_prefix", C, REQ, "upper-case letters and digits, e.g. ISO27K",
              "The start of the clauses' need ids; each catalogue has its own."),
    SchemaKey("notice", C, REQ, "a text", "Shown above the clause table: where the standard's text is."),
    SchemaKey("excludable", C, OPT, "a list of number prefixes, e.g. ['A.'] or ['A.5']",
              "The clauses a document may mark as excluded (the Statement of Applicability lists them)."),
    SchemaKey("clauses", C, REQ, "a list of clause entries (see below), parents before their children",
              "The clauses, in the standard's order."),
    SchemaKey("number", CL, REQ, "letters or digits joined by dots, e.g. 8.3.4.1 or A.5.15 (quote 4.10)",
              "The clause number; each once."),
    SchemaKey("heading", CL, REQ, "a text of at most 120 characters (may be empty)",
              "The clause's short heading, never the standard's text."),
    SchemaKey("confirmation", CL, OPT, _one_of(Confirmation),
              "How well the heading is checked against the standard; default confirmed."),
)  # fmt: skip


#: The field names of sphinx-needs' own need fields (``sphinx_needs.data.NeedsCoreFields``) and those
#: clausewise gives its needs (``sphinxext.needs_config``: fields, links and their back links): a record
#: field reaches sphinx-needs under its own name, so it cannot have one of these (a test keeps the
#: list equal to sphinx-needs' and clausewise's).
RESERVED_FIELD_NAMES = frozenset({
    # sphinx-needs
    "arch", "collapse", "constraints", "constraints_error", "constraints_passed", "constraints_results",
    "content", "docname", "doctype", "external_css", "external_url", "has_dead_links",
    "has_forbidden_dead_links", "hide", "id", "id_complete", "id_parent", "is_external", "is_import",
    "is_modified", "is_need", "is_part", "jinja_content", "layout", "lineno", "lineno_content",
    "modifications", "parent_need", "parts", "post_content", "post_template", "pre_content", "pre_template",
    "section_name", "sections", "signature", "status", "style", "tags", "template", "title", "type",
    "type_color", "type_name", "type_prefix", "type_style",
    # clausewise's need fields
    "cadence", "classification", "clause_number", "confirmation", "edition", "effective", "issuer",
    "location", "period", "produced", "produced_by", "review_interval", "reviewed", "version",
    # clausewise's links, and the back links sphinx-needs makes of them
    "evidences", "implements", "involves", "owner", "record_of", "requires", "satisfies", "uses",
    "evidences_back", "implements_back", "involves_back", "owner_back", "record_of_back", "requires_back",
    "satisfies_back", "uses_back",
})  # fmt: skip


def keys_of(where: Where, table: tuple[SchemaKey, ...] = FRONT_MATTER_KEYS) -> tuple[SchemaKey, ...]:
    return tuple(k for k in table if k.where is where)


def names_of(where: Where, table: tuple[SchemaKey, ...] = FRONT_MATTER_KEYS) -> tuple[str, ...]:
    """The key names of one mapping, in the table's order."""
    return tuple(k.name for k in keys_of(where, table))


def required_names(where: Where, table: tuple[SchemaKey, ...] = FRONT_MATTER_KEYS) -> tuple[str, ...]:
    return tuple(k.name for k in keys_of(where, table) if k.required is Requirement.REQUIRED)
