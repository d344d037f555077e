"""The small model every rule works on: clauses, governed documents, record
types and records.

Plain frozen dataclasses, built by :mod:`clausewise.sources.metadata` from front matter
and by :mod:`clausewise.sources.catalogue` from a catalogue file. Nothing here knows
about Sphinx or git, so the rules can be tested as pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property


class DocType(StrEnum):
    """Kinds of governed page; the value is the ``type:`` in front matter."""

    DOCUMENT = "document"
    POLICY = "policy"
    PROCEDURE = "procedure"
    ROLE = "role"
    RECORD = "record"
    #: a document of external origin (a contract, a supplier's SLA, a law, a purchased
    #: standard): identified, owned and reviewed here, written elsewhere
    EXTERNAL = "external"
    #: a service the organisation provides (``services/hosting.md``): owned and reviewed like a policy,
    #: with the agreements that bind it and the metrics its records measure
    SERVICE = "service"
    #: a supplier the organisation depends on (its criticality, contract dates and the services it
    #: supports): owned and reviewed like a document, its performance reviewed in records
    SUPPLIER = "supplier"


#: Front-matter link keys through which a document can depend on another
#: (``clausewise_upstream_links`` chooses among them).
UPSTREAM_LINKS = ("implements", "owner", "satisfies", "roles")


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class RecordStatus(StrEnum):
    """A record is never deleted: a superseded one is retired and stays as evidence.
    A draft (what ``clausewise new record`` writes) is not evidence until it is filled
    in and its status set to current: that is how a record is approved."""

    CURRENT = "current"
    RETIRED = "retired"
    DRAFT = "draft"


class Confirmation(StrEnum):
    """How far a catalogue heading is confirmed by public sources."""

    CONFIRMED = "confirmed"
    ONE_SOURCE = "one-source"
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class Clause:
    """One numbered clause or control of a standard.

    ``number`` is written as the standard writes it (``8.3.4.1``, ``A.5.15``);
    its parent is the number before the last dot. ``catalogue_key`` is the key
    of the catalogue it belongs to, so ``KEY:NUMBER`` names it among several.
    """

    number: str
    heading: str
    confirmation: Confirmation
    need_id: str
    catalogue_key: str = ""

    @property
    def reference(self) -> str:
        """``KEY:NUMBER``, how front matter names it unambiguously."""
        return f"{self.catalogue_key}:{self.number}"

    @property
    def parent_number(self) -> str | None:
        head, sep, _ = self.number.rpartition(".")
        return head if sep else None

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1


@dataclass(frozen=True)
class Catalogue:
    """The clauses of one standard. ``key`` is its short name in references
    (``27001``); ``excludable`` the number prefixes whose clauses an approved
    document may declare not applicable (``A.`` for Annex A controls)."""

    standard: str
    title: str
    id_prefix: str
    notice: str
    clauses: tuple[Clause, ...]
    key: str = ""
    excludable: tuple[str, ...] = ()

    def by_number(self) -> dict[str, Clause]:
        return {c.number: c for c in self.clauses}

    def children(self, number: str) -> list[Clause]:
        return [c for c in self.clauses if c.parent_number == number]

    def is_excludable(self, number: str) -> bool:
        """Whether ``number`` lies under an excludable prefix, part by part: ``A.``
        covers ``A.5`` and ``A.5.1`` (not ``A``); ``A.5`` covers ``A.5`` and ``A.5.1``,
        never ``A.50``."""
        for prefix in self.excludable:
            stem = prefix.rstrip(".")
            if number.startswith(stem + ".") or (number == stem and not prefix.endswith(".")):
                return True
        return False


def split_reference(reference: str) -> tuple[str | None, str]:
    """``"27001:A.5.15"`` -> ``("27001", "A.5.15")``; a bare number has no key (``None``)."""
    key, sep, number = reference.partition(":")
    return (key.strip(), number.strip()) if sep else (None, reference.strip())


def catalogue_of(catalogues: Sequence[Catalogue], reference: str) -> Catalogue | None:
    """The catalogue a reference names (the first for a bare number); ``None`` for an unknown key."""
    key, _ = split_reference(reference)
    if key is None:
        return catalogues[0] if catalogues else None
    return next((c for c in catalogues if c.key == key), None)


def find_clause(catalogues: Sequence[Catalogue], reference: str) -> Clause | None:
    """The clause ``KEY:NUMBER`` (or a bare number of the first catalogue) names, if any."""
    catalogue = catalogue_of(catalogues, reference)
    return catalogue.by_number().get(split_reference(reference)[1]) if catalogue else None


def clause_ids(catalogues: Sequence[Catalogue]) -> dict[str, str]:
    """Each way front matter can name a clause (``KEY:NUMBER``; a bare number for
    the first catalogue) -> its need id."""
    ids = {c.reference: c.need_id for catalogue in catalogues for c in catalogue.clauses}
    if catalogues:
        ids.update({c.number: c.need_id for c in catalogues[0].clauses})
    return ids


class PeriodUnit(StrEnum):
    """What a scheduled cadence counts its periods in."""

    MONTH = "month"
    WEEK = "week"  # ISO weeks, Monday to Sunday
    DAY = "day"


@dataclass(frozen=True)
class Cadence:
    """How often a record type must be produced.

    ``length`` is the period length, in ``unit``s, for scheduled cadences
    (``monthly`` is 1 month, ``quarterly`` 3, ``every 2 weeks`` 2 weeks,
    ``daily`` 1 day); ``None`` means *per event* (no schedule, but at least one
    record within ``window_months``).
    """

    text: str
    length: int | None
    window_months: int | None = None
    unit: PeriodUnit = PeriodUnit.MONTH

    @property
    def per_event(self) -> bool:
        return self.length is None


@dataclass(frozen=True)
class Source:
    """Where something is written: handbook-relative path, document name, line."""

    path: str
    docname: str
    line: int


class FieldType(StrEnum):
    """What a record field declared under a record type's ``fields:`` holds; ``type:
    list of X`` makes it a list of X."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # a decimal number
    DATE = "date"  # YYYY-MM-DD
    BOOLEAN = "boolean"  # yes/no, true/false
    CHOICE = "choice"  # one of the field's ``values``
    ID = "id"  # the id of a document, record type or record of the handbook
    CLAUSE = "clause"  # a clause reference, e.g. 8.7 or 27001:A.5.15
    #: a document id or a clause reference, in one list (what an audit covered: ``[8.7, PRC-012]``):
    #: a value that is a document id of the handbook names the document, any other a clause
    REFERENCE = "reference"


#: A field's value, one item of it: what each :class:`FieldType` is read into.
FieldScalar = str | int | float | bool | date


@dataclass(frozen=True)
class FieldSpec:
    """One field that the records of a record type carry in their front matter."""

    name: str
    type: FieldType
    many: bool  # ``list of ...``: a list of values
    required: bool
    values: tuple[str, ...]  # the allowed values of a choice
    help: str
    line: int  # of the field's name, in the declaring page

    @property
    def type_text(self) -> str:
        """The type as ``type:`` writes it: ``date``, ``list of id``."""
        return f"list of {self.type.value}" if self.many else self.type.value


@dataclass(frozen=True)
class RecordField:
    """A field's valid value in one record: one item, or a list's items in order."""

    name: str
    type: FieldType
    values: tuple[FieldScalar, ...]
    many: bool
    line: int
    #: the line of each item of a list written one item a line (else the key's)
    item_lines: tuple[int, ...] = ()

    def line_of_item(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class RecordKind(StrEnum):
    """What a record type's records are, when the tool reads more than their dates
    (a record type's ``kind:``): each kind gives meaning to some of its ``fields:``
    and has rules and a register of its own. Most record types have no kind."""

    ACTION = "action"  # a nonconformity, corrective action or improvement, tracked to its closure
    AUDIT = "audit"  # an internal audit report: what was audited, the nonconformities found
    MANAGEMENT_REVIEW = "management-review"  # a management review: the inputs covered, the decisions
    SUPPLIER_REVIEW = "supplier-review"  # a review of suppliers' performance: the suppliers it reviewed
    SURVEY = "survey"  # a customer survey or feedback round: responses and scores (satisfaction, NPS)
    COMPLAINT = "complaint"  # one customer complaint: received, responded to, resolved


class InputCount(StrEnum):
    """What the handbook itself can count for a management review input (an input's ``count:``),
    shown beside it on the dashboard: the organisation's words say what the input is, this only
    which of the numbers the build knows belongs to it."""

    OPEN_ACTIONS = "open-actions"  # open records of kind action, and how many are past their due day
    AUDIT_REPORTS = "audit-reports"  # records of kind audit produced since the last review
    DOCUMENT_REVIEWS = "document-reviews"  # documents whose review is overdue or due soon
    MISSING_RECORDS = "missing-records"  # record periods missing today, over every record type


@dataclass(frozen=True)
class ReviewInput:
    """One input every management review must consider (a record type's ``inputs:``), in the
    organisation's own words: ``key`` is what a review's ``inputs_covered`` names it by; a review
    produced before ``since`` (when the input was added to the list) is not judged on it; ``count``
    names the number the dashboard shows beside it, where the handbook knows one."""

    key: str
    text: str
    line: int
    since: date | None = None
    count: InputCount | None = None


@dataclass(frozen=True)
class RecordType:
    id: str
    title: str
    owner: str | None
    evidences: tuple[str, ...]
    cadence: Cadence | None
    grace_days: int
    start: date | None
    allow_several: bool
    declared_in: str  # id of the document that declares it
    source: Source
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    #: the ``cadence:`` as written when it is not a cadence (``cadence`` is then ``None``), so that
    #: the type's page can say why it has no schedule
    invalid_cadence: str | None = None
    #: ``early: allowed``: a record may be produced before its period ends (no record-premature)
    early_allowed: bool = False
    #: how long each record is kept after its period ends (a per-event record: after its event),
    #: in months (``retain:``); None: kept for good, never disposed of
    retain_months: int | None = None
    #: the fields its records carry (``fields:``), in the order declared
    fields: tuple[FieldSpec, ...] = ()
    #: what its records are (``kind:``), when the tool reads more than their dates
    kind: RecordKind | None = None
    #: of a management review's record type: the inputs each review must consider (``inputs:``)
    inputs: tuple[ReviewInput, ...] = ()
    #: kind ``survey``: the lowest and highest satisfaction score (``scale: 1-5``); None when not given
    scale: tuple[float, float] | None = None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.source.line)


class Direction(StrEnum):
    """Which side of a target meets it: ``>= 99.9`` (at least) or ``<= 4`` (at most)."""

    AT_LEAST = ">="
    AT_MOST = "<="

    @property
    def words(self) -> str:
        return "at least" if self is Direction.AT_LEAST else "at most"


@dataclass(frozen=True)
class MetricTarget:
    """A value a measurement must reach (at least) or stay within (at most)."""

    value: float
    direction: Direction

    def met_by(self, achieved: float) -> bool:
        return achieved >= self.value if self.direction is Direction.AT_LEAST else achieved <= self.value

    @property
    def text(self) -> str:
        """As front matter writes it: ``>= 99.9``."""
        return f"{self.direction.value} {self.value:g}"


@dataclass(frozen=True)
class Metric:
    """One measured metric of a service (an entry of its ``metrics:``), e.g. availability in %."""

    name: str
    unit: str
    target: MetricTarget | None
    help: str
    line: int  # of the metric's name, in the service's page


@dataclass(frozen=True)
class Measurement:
    """One value a record measured (an entry of its ``measurements:``): the service and metric it
    is of, the value achieved in the record's period, and the target, when the record states its own
    (the target changed); else the metric's applies."""

    service: str
    metric: str
    achieved: float
    target: MetricTarget | None
    line: int  # of the entry, in the record's page


@dataclass(frozen=True)
class Justification:
    """An approved document's reason why a clause is deliberately not covered
    (``uncovered_clauses``) or a control does not apply (``excluded``)."""

    clause: str
    reason: str
    line: int


@dataclass(frozen=True)
class SupplierTerms:
    """What a supplier's page (``type: supplier``) says besides a governed document's keys.

    ``criticality`` is as written (whether it is one of ``clausewise_supplier_review``'s
    is judged by ``rules/suppliers.py``, which knows the setting); an invalid date is ``None``."""

    criticality: str | None
    contract_start: date | None
    contract_end: date | None
    services: tuple[str, ...]  # the ids of the services it supports


@dataclass(frozen=True)
class GovernedDocument:
    """A policy, governing document, procedure, role or document of external
    origin, from its front matter.

    Fields whose value was invalid are ``None`` (the error is a finding); the
    document still takes part in everything its valid fields allow.
    """

    id: str
    type: DocType
    title: str
    owner: str | None
    status: Status | None
    version: str | None
    effective: date | None
    reviewed: date | None
    review_interval_months: int
    classification: str | None  # one of the levels clausewise_audiences names
    satisfies: tuple[str, ...]
    implements: tuple[str, ...]
    roles: tuple[str, ...]
    requires_records: tuple[str, ...]
    record_types: tuple[RecordType, ...]
    uncovered_clauses: tuple[Justification, ...]
    source: Source
    github: tuple[str, ...] = ()  # a role's GitHub users and teams, for CODEOWNERS
    #: a role's members by forge login (``members:``, without a leading '@'): who may approve
    #: changes to the documents it owns under ``clausewise_approval = {"by": "owner", ...}``
    members: tuple[str, ...] = ()
    excluded: tuple[Justification, ...] = ()  # controls declared not applicable, with the reason
    #: what an audience that may not read the body sees instead of it
    summary: str | None = None
    #: the level needed to read the title; None: the title is metadata every audience reads
    title_classification: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    #: the documents of external origin this one relies on (``uses:``)
    uses: tuple[str, ...] = ()
    #: of a document of external origin: who issued it, its edition, and where it is kept
    #: (a path or an address; ``None`` when it is invalid)
    issuer: str | None = None
    edition: str | None = None
    location: str | None = None
    #: of a service: the agreements that bind it (ids of documents, usually of external origin), and
    #: the metrics its records measure, in the order declared
    agreements: tuple[str, ...] = ()
    metrics: tuple[Metric, ...] = ()
    #: of a supplier's page: its criticality, contract dates and services
    supplier: SupplierTerms | None = None

    @property
    def version_in_force(self) -> str | None:
        """What identifies the text in force: a document of external origin's ``edition:``
        (it has no ``version:``), else its ``version:``."""
        return self.edition if self.type is DocType.EXTERNAL else self.version

    def in_force(self, today: date) -> bool:
        """Approved and effective on ``today`` (an unknown effective date counts
        as in force: its own finding already says it is wrong)."""
        return self.status is Status.APPROVED and (self.effective is None or self.effective <= today)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.source.line)


@dataclass(frozen=True)
class Record:
    id: str
    title: str
    record_type: str | None
    period: str | None
    produced: date | None
    produced_by: str | None
    classification: str | None  # one of the levels clausewise_audiences names
    evidence: tuple[str, ...]
    source: Source
    correction: str | None = None
    status: RecordStatus = RecordStatus.CURRENT
    summary: str | None = None  # as on GovernedDocument
    title_classification: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    #: the line of the body that still holds the scaffold's placeholder text (or, for a body with
    #: no text besides headings and no ``evidence:``, the front matter's closing line); ``None``
    #: when the body is filled. Read from the page's text by ``pipeline.assembly.read_page``.
    unfilled_line: int | None = None
    #: the valid values of the fields its record type declares, in the order declared
    fields: tuple[RecordField, ...] = ()
    #: the values it measured for the handbook's services (``measurements:``), in the order written
    measurements: tuple[Measurement, ...] = ()

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.source.line)

    def field(self, name: str) -> RecordField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def counts(self) -> bool:
        """Whether the record is evidence for its period: current (not a draft, not retired) and filled in."""
        return self.status is RecordStatus.CURRENT and self.unfilled_line is None

    @property
    def unfilled(self) -> bool:
        """A draft, or a current record whose body is not filled in: listed, never counted."""
        return self.status is RecordStatus.DRAFT or (
            self.status is RecordStatus.CURRENT and self.unfilled_line is not None
        )


@dataclass(frozen=True)
class Handbook:
    """Everything the rules look at, for one build."""

    catalogues: tuple[Catalogue, ...]  # in configured order; bare numbers refer to the first
    documents: tuple[GovernedDocument, ...]
    records: tuple[Record, ...]

    # cached_property on a frozen dataclass: computed once per handbook (it writes the instance's
    # __dict__ directly), and never a field, so equality, digests and replace() do not see it;
    # pages and rules ask for these thousands of times on a large handbook
    @cached_property
    def clauses(self) -> tuple[Clause, ...]:
        """Every clause of every catalogue, catalogue by catalogue."""
        return tuple(c for catalogue in self.catalogues for c in catalogue.clauses)

    def catalogue_of(self, reference: str) -> Catalogue | None:
        return catalogue_of(self.catalogues, reference)

    def clause(self, reference: str) -> Clause | None:
        return find_clause(self.catalogues, reference)

    def reference_help(self) -> str:
        """The configured catalogues and an example reference, for messages."""
        keys = ", ".join(f"{c.key} ({c.standard})" for c in self.catalogues)
        example = next((c.clauses[-1] for c in reversed(self.catalogues) if c.clauses), None)
        shown = example.reference if example else "27001:A.5.15"
        first = self.catalogues[0].key if self.catalogues else ""
        return f"the catalogues are {keys}; write KEY:NUMBER, e.g. '{shown}' (a bare number is a clause of {first})"

    @cached_property
    def record_types(self) -> tuple[RecordType, ...]:
        return tuple(rt for d in self.documents for rt in d.record_types)

    @cached_property
    def record_types_by_id(self) -> dict[str, RecordType]:
        """Each record type id -> its first declaration (as the readers take a record's type)."""
        out: dict[str, RecordType] = {}
        for rt in self.record_types:
            out.setdefault(rt.id, rt)
        return out

    def roles(self) -> dict[str, GovernedDocument]:
        return {d.id: d for d in self.documents if d.type is DocType.ROLE}
