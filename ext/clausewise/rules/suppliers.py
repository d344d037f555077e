"""Suppliers: their contracts' dates, and whether each was reviewed as often as its criticality asks.

A supplier is a page of ``type: supplier`` (a :class:`GovernedDocument` whose
``supplier`` holds its :class:`SupplierTerms`). Its reviews are records of a record
type of kind ``supplier-review`` that name it under their ``suppliers`` field.

Why a rule of its own rather than a record schedule (``rules/periods.py``): a record
type's schedule asks for one record per period of one cadence, while each supplier
has its own interval (by criticality, ``clausewise_supplier_review``) and is reviewed
in whichever review names it. So a supplier's next review is due, as a document's is
(``rules/staleness.py``), an interval after its last one: the review record's
``produced:`` day; a supplier never reviewed counts from its contract start, else from
the day its page took effect. The record type keeps its own schedule too: a missing
quarterly review is ``record-missing`` there, a supplier left out of the reviews is
``supplier-review-missing`` here.

Pure functions of the model and a ``today``, for the supplier pages, the supplier
register, ``clausewise due`` and a management dashboard.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from clausewise.core.dates import add_months, months_text
from clausewise.core.findings import Code, Finding
from clausewise.core.model import DocType, GovernedDocument, Handbook, Record, RecordKind, Status
from clausewise.rules import kinds, measurements

#: The field of a supplier review record that names the suppliers it reviewed.
REVIEWED_FIELD = "suppliers"


@dataclass(frozen=True)
class SupplierStatus:
    """One supplier as the register and its page show it, on ``today``."""

    supplier: GovernedDocument
    criticality: str | None  # None: not one the handbook names (its own finding says so)
    interval_months: int | None  # how often it must be reviewed; None: no scheduled review
    reviews: tuple[Record, ...]  # the current review records that name it, oldest first
    next_review_due: date | None  # None: no scheduled review, or no day to count from
    today: date
    notice_days: int

    @property
    def contract_start(self) -> date | None:
        return self.supplier.supplier.contract_start if self.supplier.supplier else None

    @property
    def contract_end(self) -> date | None:
        return self.supplier.supplier.contract_end if self.supplier.supplier else None

    @property
    def services(self) -> tuple[str, ...]:
        return self.supplier.supplier.services if self.supplier.supplier else ()

    @property
    def active(self) -> bool:
        """Approved: its contract and reviews are checked (a draft is being selected, a retired one is gone)."""
        return self.supplier.status is Status.APPROVED

    @property
    def days_left(self) -> int | None:
        """Days from today to the contract's end (negative once it has passed); None without an end."""
        return (self.contract_end - self.today).days if self.contract_end is not None else None

    @property
    def expired(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def expiring(self) -> bool:
        """Ends within the notice period (today included), not yet passed."""
        return self.days_left is not None and 0 <= self.days_left <= self.notice_days

    @property
    def last_review(self) -> Record | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def review_overdue(self) -> bool:
        return self.active and self.next_review_due is not None and self.next_review_due < self.today

    def contract_words(self) -> str:
        """The contract's end in words, for tables: ``2027-04-30 (158 days left, expiring)``."""
        if self.contract_end is None:
            return "no end date"
        left = self.days_left or 0
        if left < 0:
            return f"{self.contract_end.isoformat()} (ended {-left} days ago, expired)"
        state = ", expiring" if self.expiring else ""
        return f"{self.contract_end.isoformat()} ({left} day{'s' if left != 1 else ''} left{state})"


def suppliers(handbook: Handbook) -> tuple[GovernedDocument, ...]:
    """The supplier pages, in id order."""
    return tuple(sorted((d for d in handbook.documents if d.type is DocType.SUPPLIER), key=lambda d: d.id))


def _review_types(handbook: Handbook) -> frozenset[str]:
    """The record types of kind supplier-review that declare the ``suppliers`` field as the kind reads it."""
    return frozenset(
        rt.id for rt in handbook.record_types
        if rt.kind is RecordKind.SUPPLIER_REVIEW and kinds.field_of(rt, REVIEWED_FIELD) is not None
    )  # fmt: skip


def review_records(handbook: Handbook) -> tuple[Record, ...]:
    """The supplier review records that count (current, filled in), oldest first."""
    types = _review_types(handbook)
    found = [r for r in handbook.records if r.record_type in types and r.counts and r.produced is not None]
    return tuple(sorted(found, key=lambda r: (r.produced or date.min, r.id)))


def named_suppliers(record: Record) -> tuple[str, ...]:
    """The ids a supplier review record names under ``suppliers``."""
    named = record.field(REVIEWED_FIELD)
    return tuple(str(v) for v in named.values) if named is not None else ()


def reviews_of(supplier_id: str, handbook: Handbook) -> tuple[Record, ...]:
    """The supplier review records that name ``supplier_id``, oldest first (for its page)."""
    return tuple(r for r in review_records(handbook) if supplier_id in named_suppliers(r))


def supplier_statuses(
    handbook: Handbook, today: date, review: Mapping[str, int | None], notice_days: int
) -> list[SupplierStatus]:
    """Every supplier's contract and review state on ``today``, in id order; ``review`` is
    ``clausewise_supplier_review`` (criticality -> months), ``notice_days`` ``clausewise_contract_notice_days``."""
    records = review_records(handbook)
    out = []
    for supplier in suppliers(handbook):
        terms = supplier.supplier
        criticality = terms.criticality if terms is not None and terms.criticality in review else None
        interval = review[criticality] if criticality is not None else None
        # a review produced after today is not yet one (an as-of build)
        named = tuple(r for r in records if supplier.id in named_suppliers(r) and (r.produced or today) <= today)
        base = named[-1].produced if named else (terms.contract_start if terms else None) or supplier.effective
        due = add_months(base, interval) if interval is not None and base is not None else None
        out.append(SupplierStatus(supplier, criticality, interval, named, due, today, notice_days))
    return out


def supplier_findings(
    handbook: Handbook, today: date, review: Mapping[str, int | None], notice_days: int
) -> list[Finding]:
    """``invalid-metadata`` for a criticality the handbook does not name; ``contract-expiring``,
    ``contract-expired`` and ``supplier-review-missing`` for approved suppliers; ``unknown-reference``
    for a review that names a document that is not a supplier (an id of nothing at all is the record
    fields' own ``unknown-reference``, ``rules/fields.py``)."""
    findings: list[Finding] = []
    allowed = ", ".join(review)
    for status in supplier_statuses(handbook, today, review, notice_days):
        supplier, path = status.supplier, status.supplier.source.path
        terms = supplier.supplier
        if terms is not None and terms.criticality is not None and status.criticality is None:
            close = difflib.get_close_matches(terms.criticality, list(review), n=1)
            fix = f"did you mean {close[0]!r}?" if close else "or add it to clausewise_supplier_review in conf.py"
            findings.append(
                Finding(path, supplier.line_of("criticality"), Code.INVALID_METADATA, supplier.id,
                        f"criticality: {terms.criticality!r} is not a criticality of this handbook; expected one "
                        f"of {allowed} (setting clausewise_supplier_review); {fix}")
            )  # fmt: skip
        if not status.active:
            continue
        if status.expired and status.contract_end is not None:
            findings.append(
                Finding(path, supplier.line_of("contract_end"), Code.CONTRACT_EXPIRED, supplier.id,
                        f"the contract with {supplier.title} ended on {status.contract_end.isoformat()} "
                        f"({-(status.days_left or 0)} days ago); write the renewed contract's contract_end, "
                        f"or retire the supplier (status: retired)")
            )  # fmt: skip
        elif status.expiring and status.contract_end is not None:
            findings.append(
                Finding(path, supplier.line_of("contract_end"), Code.CONTRACT_EXPIRING, supplier.id,
                        f"the contract with {supplier.title} ends on {status.contract_end.isoformat()}, in "
                        f"{status.days_left} days (notice: {notice_days} days); decide whether to renew, "
                        f"renegotiate or replace it")
            )  # fmt: skip
        if status.review_overdue and status.next_review_due is not None and status.interval_months is not None:
            last = status.last_review
            since = (
                f"last reviewed on {last.produced.isoformat()} in {last.id}" if last is not None and last.produced
                else "never reviewed"
            )  # fmt: skip
            findings.append(
                Finding(path, supplier.line_of("criticality"), Code.SUPPLIER_REVIEW_MISSING, supplier.id,
                        f"{supplier.title} is {status.criticality}, reviewed every "
                        f"{months_text(status.interval_months)}; {since}, its review was due by "
                        f"{status.next_review_due.isoformat()}; record a supplier review that names "
                        f"{supplier.id} under '{REVIEWED_FIELD}'")
            )  # fmt: skip
    findings += review_reference_findings(handbook)
    return findings


def review_reference_findings(handbook: Handbook) -> list[Finding]:
    """``unknown-reference`` on each ``suppliers`` item of a supplier review that names a document
    of the handbook that is not a supplier, with the nearest supplier id."""
    documents = {d.id: d for d in handbook.documents}
    known = [d.id for d in suppliers(handbook)]
    types = _review_types(handbook)
    findings = []
    for record in handbook.records:
        named = record.field(REVIEWED_FIELD)
        if record.record_type not in types or named is None:
            continue
        for index, value in enumerate(named.values):
            target = documents.get(str(value))
            if target is None or target.type is DocType.SUPPLIER:
                continue
            close = difflib.get_close_matches(str(value), known, n=1)
            fix = f"did you mean {close[0]!r}?" if close else f"known suppliers: {', '.join(known) or 'none yet'}"
            findings.append(
                Finding(record.source.path, named.line_of_item(index), Code.UNKNOWN_REFERENCE, record.id,
                        f"{REVIEWED_FIELD}: {value!r} is a {target.type.value}, not a supplier (type: supplier); "
                        f"{fix}")
            )  # fmt: skip
    return findings


def service_findings(handbook: Handbook, service_ids: Collection[str]) -> list[Finding]:
    """``unknown-reference`` on each supplier's ``services`` entry that is not one of ``service_ids``
    (the ids of the handbook's service pages), on its line, with the nearest service id."""
    known = sorted(service_ids)
    findings = []
    for supplier in suppliers(handbook):
        for service in supplier.supplier.services if supplier.supplier else ():
            if service in service_ids:
                continue
            close = difflib.get_close_matches(service, known, n=1)
            fix = f"did you mean {close[0]!r}?" if close else f"known services: {', '.join(known) or 'none yet'}"
            findings.append(
                Finding(supplier.source.path, supplier.line_of("services"), Code.UNKNOWN_REFERENCE, supplier.id,
                        f"services: {service!r} is not a service of the handbook (type: service); {fix}")
            )  # fmt: skip
    return findings


def supporting(service_id: str, handbook: Handbook) -> tuple[GovernedDocument, ...]:
    """The suppliers whose ``services`` name ``service_id``, in id order (for a service's page)."""
    return tuple(s for s in suppliers(handbook) if s.supplier is not None and service_id in s.supplier.services)


def performance_of(supplier: GovernedDocument, handbook: Handbook) -> tuple[measurements.Series, ...]:
    """The measured performance of the services ``supplier`` supports, for its page: each declared
    metric's series (:func:`clausewise.rules.measurements.series_of`) of each service its ``services``
    names, in that order (a service that is not declared has none)."""
    named = supplier.supplier.services if supplier.supplier is not None else ()
    return tuple(
        series for service_id in dict.fromkeys(named) for series in measurements.series_of(service_id, handbook)
    )


def reviews_due(statuses: Iterable[SupplierStatus], until: date) -> list[SupplierStatus]:
    """The approved suppliers whose next review falls on or before ``until`` (overdue ones included),
    soonest first: what ``clausewise due`` lists."""
    due = [s for s in statuses if s.active and s.next_review_due is not None and s.next_review_due <= until]
    return sorted(due, key=lambda s: (s.next_review_due or date.max, s.supplier.id))
