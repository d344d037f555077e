"""Exports for auditors and owners: the matrix and the document register as CSV,
everything as XLSX, and calendars.

The rows are pure functions of the build's results; the writers only format
them (csv, openpyxl, icalendar). Column meanings are documented on the
traceability matrix page; keep :data:`COLUMNS` and that page in step.

The values come from front matter and files that anyone who can propose a
change writes, so the writers keep them inert: a cell that a spreadsheet program
would read as a formula is text (:func:`csv_cell`, :func:`write_xlsx`), and
calendar text is escaped as RFC 5545 says, so no value adds a property or an event.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from clausewise.core.dates import add_months, months_text
from clausewise.core.findings import Finding, resolve_severity
from clausewise.core.history import FileHistory
from clausewise.core.model import GovernedDocument, Record, RecordField, RecordType
from clausewise.rules.audits import AuditCoverage, state_text
from clausewise.rules.coverage import ClauseCoverage, applicability, coverage_reason, reason_text, without_periods
from clausewise.rules.evidence import RecordTypeStatus
from clausewise.rules.measurements import Series
from clausewise.rules.periods import PeriodState, due_date, period_containing
from clausewise.rules.register import Register
from clausewise.rules.staleness import Review, ReviewState
from clausewise.rules.suppliers import SupplierStatus

COLUMNS: dict[str, list[str]] = {
    "Matrix": [
        "clause", "heading", "coverage", "through_subclauses", "documents", "document_titles",
        "record_types", "record_types_missing", "justification", "standard", "gaps", "latest_records",
        "coverage_reason", "document_versions", "document_statuses", "missing_periods",
    ],
    "Documents": [
        "id", "type", "title", "owner", "status", "version", "effective", "reviewed", "next_review",
        "review_state", "last_changed", "classification", "path",
        # the document register's (rules/register.py), last so the columns before them keep their places
        "approved_on", "approved_by", "retired_on", "location", "issuer", "edition", "uses",
    ],
    "Records": ["record_type", "title", "owner", "period", "state", "due", "records", "produced"],
    "Findings": ["code", "severity", "path", "line", "id", "message"],
    # only in a workbook whose catalogues have excludable controls (ISO/IEC 27001's Annex A)
    "Applicability": [
        "standard", "control", "heading", "applicable", "justification", "excluded_in", "documents", "coverage",
    ],
    # only in a workbook of a handbook whose records measure its services (rules/measurements.py)
    "Measurements": [
        "service", "service_title", "metric", "unit", "period", "achieved", "target", "result", "record",
        "produced", "path",
    ],
    # only in a workbook of a handbook with suppliers (type: supplier); also suppliers.csv
    "Suppliers": [
        "id", "title", "criticality", "owner", "status", "contract_start", "contract_end", "days_left",
        "contract_state", "services", "review_interval", "last_review", "last_review_record", "next_review_due",
        "review_state",
    ],
}  # fmt: skip

Row = list[str]


def _s(value: object | None) -> str:
    return "" if value is None else str(value)


def _latest(rt_id: str, statuses: Mapping[str, RecordTypeStatus]) -> str:
    """A record type's latest record with its period and the day it was produced."""
    status = statuses.get(rt_id)
    latest = status.last_record if status is not None else None
    if latest is None:
        return f"{rt_id}: none"
    return f"{rt_id}: {latest.id} ({_s(latest.period)}, produced {_s(latest.produced)})"


def _missing_periods(rt_id: str, row: ClauseCoverage, statuses: Mapping[str, RecordTypeStatus]) -> str:
    """How many of a record type's periods within the audit window have no record; a per-event type
    has no periods (its own window decides whether it is missing), nor has one without a valid cadence."""
    status = statuses.get(rt_id)
    if status is not None and status.event is not None:
        return f"{rt_id}: per event"
    if status is not None and status.record_type.cadence is None:
        return f"{rt_id}: no schedule"
    return f"{rt_id}: {sum(1 for g in row.gaps if g.record_type == rt_id)}"


def _edition(doc: GovernedDocument) -> str:
    """A document's version; for a document of external origin, its edition."""
    return _s(doc.version_in_force)


def matrix_rows(
    rows: Sequence[ClauseCoverage], statuses: Mapping[str, RecordTypeStatus] | None = None, window_months: int = 12
) -> list[Row]:
    """One row per clause, the columns of the matrix page; ``statuses`` (record type id -> its
    periods and records) give each record type's latest record, ``window_months`` the audit window
    the reason and the missing periods speak of."""
    known = statuses or {}
    window = months_text(window_months)
    unscheduled = without_periods(known)
    return [
        [
            r.number,
            r.heading,
            r.status.value,
            "yes" if r.via_subclauses else "no",
            "; ".join(d.id for d in r.documents),
            "; ".join(d.title for d in r.documents),
            "; ".join(rt.id for rt in r.record_types),
            "; ".join(r.stale_record_types),
            r.justification[1].reason if r.justification else "",
            r.catalogue_key,  # new columns go last, so the columns before them keep their places
            "; ".join(f"{g.record_type} {g.label}" for g in r.gaps),
            "; ".join(_latest(rt.id, known) for rt in r.record_types),
            reason_text(coverage_reason(r, window, unscheduled)),
            "; ".join(_edition(d) for d in r.documents),
            "; ".join(_s(d.status) for d in r.documents),
            "; ".join(_missing_periods(rt.id, r, known) for rt in r.record_types),
        ]
        for r in rows
    ]


def applicability_rows(rows: Sequence[ClauseCoverage]) -> list[Row]:
    """The Statement of Applicability: one row per excludable control."""
    return [
        [
            r.catalogue_key,
            r.number,
            r.heading,
            "no" if r.excluded else "yes",
            r.excluded[1].reason if r.excluded else "",
            r.excluded[0] if r.excluded else "",
            "; ".join(d.id for d in r.documents),
            r.status.value,
        ]
        for r in applicability(rows)
    ]


def document_rows(register: Register, histories: Mapping[str, FileHistory]) -> list[Row]:
    """The document register, one row per document (retired ones too, with ``retired_on``), by id:
    the XLSX Documents sheet and ``register.csv``."""
    out = []
    for entry in sorted((*register.current, *register.retired), key=lambda e: e.document.id):
        d, review, history, approval = entry.document, entry.review, histories.get(entry.document.id), entry.approval
        last = history.last_content_change if history is not None else None
        out.append(
            [
                d.id,
                d.type.value,
                d.title,
                _s(d.owner),
                _s(d.status),
                _s(d.version),
                _s(d.effective),
                _s(d.reviewed),
                _s(review.next_due if review else None),
                review.state.value if review else "",
                _s(last.commit.day if last else None),
                _s(d.classification),
                d.source.path,
                _s(approval.day if approval else None),
                "; ".join(approval.by) if approval else "",
                _s(entry.retired_on),
                _s(entry.location),
                _s(d.issuer),
                _s(d.edition),
                "; ".join(d.uses),
            ]
        )
    return out


def record_rows(statuses: Iterable[RecordTypeStatus]) -> list[Row]:
    """One row per period of every scheduled record type. A per-event type has one row per
    record, its period the day of the event it records, then (when its window has no record,
    or has not elapsed) one row "per event" with that state and the day a record is due."""
    out = []
    for s in sorted(statuses, key=lambda s: s.record_type.id):
        rt = s.record_type
        head = [rt.id, rt.title, _s(rt.owner)]
        if s.event is not None:
            for r in sorted(s.records, key=lambda r: (r.period or "", r.id)):
                out.append([*head, _s(r.period), PeriodState.PRESENT.value, "", r.id, _s(r.produced)])
            if s.event.state is not PeriodState.PRESENT:
                out.append([*head, "per event", s.event.state.value, _s(s.next_due), "", ""])
            continue
        for p in s.periods:
            ids, produced = "; ".join(r.id for r in p.records), "; ".join(_s(r.produced) for r in p.records)
            out.append([*head, p.period.label, p.state.value, str(p.due), ids, produced])
    return out


#: The columns of a record type's field sheet before one column per field it declares.
FIELD_SHEET_COLUMNS = ["id", "title", "period", "produced", "produced_by", "status", "path"]
#: What a field cell of a record withheld from the build's audience holds.
WITHHELD = "withheld"


@dataclass(frozen=True)
class FieldSheet:
    """The records of one record type that declares fields, one row each, a column per field:
    a register of its own (an action register, the audit reports) that a spreadsheet filters."""

    record_type: str
    name: str  # of the workbook's sheet: the id, cut to the 31 characters a sheet name may have
    header: list[str]
    rows: list[Row]


def _field_cell(field: RecordField | None) -> str:
    if field is None:
        return ""
    shown = (("yes" if v else "no") if isinstance(v, bool) else _s(v) for v in field.values)
    return "; ".join(shown)


def field_sheets(
    record_types: Iterable[RecordType], records: Iterable[Record], withheld: Collection[str] = ()
) -> list[FieldSheet]:
    """A :class:`FieldSheet` for each record type with fields, in the order given (the first
    declaration of an id only); records by period and id. A record the build's audience may not
    read has its fields withheld, as its page has."""
    taken = set(COLUMNS)
    sheets: list[FieldSheet] = []
    by_type: dict[str, list[Record]] = {}
    for r in records:
        by_type.setdefault(r.record_type or "", []).append(r)
    for rt in record_types:
        if not rt.fields or any(sheet.record_type == rt.id for sheet in sheets):
            continue
        name, n = rt.id[:31], 1
        while name in taken:
            n += 1
            name = f"{rt.id[: 31 - len(str(n)) - 1]}~{n}"
        taken.add(name)
        rows = []
        for r in sorted(by_type.get(rt.id, []), key=lambda r: (r.period or "", r.id)):
            cells = [WITHHELD if r.id in withheld else _field_cell(r.field(spec.name)) for spec in rt.fields]
            rows.append([r.id, r.title, _s(r.period), _s(r.produced), _s(r.produced_by), r.status.value,
                         r.source.path, *cells])  # fmt: skip
        sheets.append(FieldSheet(rt.id, name, [*FIELD_SHEET_COLUMNS, *(spec.name for spec in rt.fields)], rows))
    return sheets


def measurement_rows(series: Iterable[Series], withheld: Collection[str] = ()) -> list[Row]:
    """One row per measurement of each service's metric (``measurements.csv``, the Measurements
    sheet), services and metrics in the order given, periods oldest first. A record the build's
    audience may not read keeps its figures back, as its page does."""
    rows = []
    for one in series:
        service, metric = one.service, one.metric
        for p in one.points:
            hidden = p.record_id in withheld
            result = "" if p.met is None else "met" if p.met else "missed"
            rows.append([
                service.id, service.title, metric.name, metric.unit, p.period,
                WITHHELD if hidden else f"{p.achieved:g}",
                WITHHELD if hidden else (p.target.text if p.target else ""),
                WITHHELD if hidden else result,
                p.record_id, _s(p.produced), p.path,
            ])  # fmt: skip
    return rows


def supplier_rows(statuses: Iterable[SupplierStatus]) -> list[Row]:
    """One row per supplier (``rules.suppliers.supplier_statuses``): the supplier register's columns,
    dates as YYYY-MM-DD, ``days_left`` to the contract's end (empty once it has passed: a spreadsheet would
    take '-23' for a formula), ``contract_state`` expiring or expired (else empty), ``review_state`` overdue
    (else empty), the review interval in words ('none' for no scheduled review)."""
    rows = []
    for s in statuses:
        last = s.last_review
        contract = "expired" if s.expired else "expiring" if s.expiring else ""
        interval = months_text(s.interval_months) if s.interval_months is not None else "none"
        days_left = s.days_left if not s.expired else None
        rows.append([
            s.supplier.id, s.supplier.title, _s(s.criticality), _s(s.supplier.owner), _s(s.supplier.status),
            _s(s.contract_start), _s(s.contract_end), _s(days_left), contract, "; ".join(s.services), interval,
            _s(last.produced if last else None), last.id if last else "",
            _s(s.next_review_due if s.active else None), "overdue" if s.review_overdue else "",
        ])  # fmt: skip
    return rows


def finding_rows(findings: Iterable[Finding], severity: Mapping[str, str]) -> list[Row]:
    return [
        [f.code, resolve_severity(f.code, severity).value, f.path, str(f.line), f.id, f.message]
        for f in sorted(findings)
    ]


#: How a cell that a spreadsheet program takes for a formula starts: ``=``, ``+``, ``-``
#: and ``@`` begin one (``=HYPERLINK(...)``, ``@SUM(...)``, DDE's ``=cmd|...``), and a
#: tab or carriage return is skipped before it (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def csv_cell(value: str) -> str:
    """``value`` as a CSV cell that opens as text: one that starts like a formula gets a
    leading single quote, so a spreadsheet program shows ``'=1+2`` as that text instead of
    computing it. The quote is part of the cell: whoever opens or reads the CSV sees it."""
    return "'" + value if starts_like_formula(value) else value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Row]) -> None:
    """Every cell quoted, and formula-like values prefixed (:func:`csv_cell`): a spreadsheet
    program that splits on ``;`` (as Excel does where that is the list separator) cannot
    start a cell inside a value either."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_xlsx(
    path: Path, sheets: Mapping[str, list[Row]], today: date, headers: Mapping[str, Sequence[str]] | None = None
) -> None:
    """Every value as a text cell, exactly as written. openpyxl would store a value that
    starts with ``=`` as a formula: such a cell, and every other that starts like one, is
    made a text cell with Excel's quote prefix (what Excel itself stores for a typed
    ``'=...``), so it stays text even when someone edits it. A sheet's header is its
    :data:`COLUMNS`, unless ``headers`` gives it one (a record type's field sheet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # written as a stream (openpyxl's write-only mode): a worksheet held whole, cell by cell, was
    # most of the exports' time and memory on a large handbook
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"  # before the first row: the sheet's view is written ahead of its rows
        header = [without_controls(h) for h in (headers or {}).get(name) or COLUMNS[name]]
        sheet.append([_text_cell(sheet, h, font=bold) for h in header])
        width = len(header)
        for row in rows:
            # control characters XML cannot hold (YAML's "\x01" escapes can make them) would stop the build
            values = [without_controls(value) for value in row]
            width = max(width, len(values))
            sheet.append([_text_cell(sheet, v) if isinstance(v, str) and starts_like_formula(v) else v for v in values])
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{len(rows) + 1}"
    book.properties.creator = "clausewise"
    stamp = datetime.combine(today, time(0, 0))
    book.properties.created = book.properties.modified = stamp
    book.save(path)
    _fixed_zip_times(path, stamp)


def _text_cell(sheet: Any, value: str, **style: Any) -> Any:
    """A cell that holds ``value`` as text, whatever it starts with: openpyxl would store a value
    that starts with ``=`` as a formula, so such a cell is a text cell with Excel's quote prefix
    (what Excel itself stores for a typed ``'=...``), and stays text when someone edits it."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    for key, given in style.items():
        setattr(cell, key, given)
    if starts_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


#: Control characters, but tab, line feed and carriage return: neither XML (so neither
#: XLSX) nor RFC 5545 text may hold them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(text: str) -> str:
    """``text`` with each control character a format cannot hold written as Python writes it
    (``\\x1e``): the reader sees what was there, and no evidence is lost (git lets a commit's
    author name hold them, YAML's ``"\\x01"`` a title)."""
    return CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


#: Times inside zip files we write, so the same handbook gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _fixed_zip_times(path: Path, stamp: datetime) -> None:
    """Rewrite an .xlsx with every entry dated :data:`ZIP_TIME`, and its
    "modified" property (which openpyxl sets to the time of saving) to ``stamp``."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    modified = f"{stamp:%Y-%m-%dT%H:%M:%S}Z".encode()
    entries = [
        (name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + modified + rb"\g<2>", data))
        if name == "docProps/core.xml"
        else (name, data)
        for name, data in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


@dataclass(frozen=True, order=True)
class Event:
    """One all-day calendar entry."""

    day: date
    uid: str
    summary: str
    owner: str
    description: str


def calendar_events(
    reviews: Iterable[Review], statuses: Iterable[RecordTypeStatus], today: date, horizon_months: int = 12
) -> list[Event]:
    """Document reviews (overdue ones on their due date) and record due dates up to
    ``horizon_months`` ahead: missing periods, the periods in progress, and those to come."""
    events = []
    until = add_months(today, horizon_months)
    for r in reviews:
        d = r.document
        if r.next_due is None or r.state in (ReviewState.DRAFT, ReviewState.RETIRED) or r.next_due > until:
            continue
        overdue = "OVERDUE: " if r.state is ReviewState.OVERDUE else ""
        events.append(
            Event(r.next_due, f"review-{d.id}-{r.next_due}@clausewise", f"{overdue}Review {d.id} {d.title}",
                  _s(d.owner), f"Last reviewed {d.reviewed}; review every {d.review_interval_months} months.")
        )  # fmt: skip
    for s in statuses:
        rt = s.record_type
        if rt.cadence is None or s.start is None:
            continue
        if s.event is not None:
            due = s.next_due
            if due is not None and due <= until:
                events.append(
                    Event(due, f"record-{rt.id}-{due}@clausewise", f"Record due: {rt.id} {rt.title}", _s(rt.owner),
                          f"At least one record every {rt.cadence.window_months} months.")
                )  # fmt: skip
            continue
        dues = [(p.period.label, p.due, p.state) for p in s.periods if p.state in _WAITING]
        # the periods after today's, while their due date is within the horizon
        period = period_containing(rt.cadence, s.start, today)
        while True:
            period = period_containing(rt.cadence, s.start, period.end + timedelta(days=1))
            due = due_date(period, rt.grace_days)
            if due > until:
                break
            dues.append((period.label, due, PeriodState.OPEN))
        for label, due, state in dues:
            prefix = "MISSING: " if state is PeriodState.MISSING else ""
            events.append(
                Event(due, f"record-{rt.id}-{label}@clausewise", f"{prefix}Record due: {rt.id} {rt.title} {label}",
                      _s(rt.owner), f"Period {label}; due {due}.")
            )  # fmt: skip
    return sorted(events)


_WAITING = (PeriodState.MISSING, PeriodState.DUE, PeriodState.OPEN)


def ics_events(
    events: Iterable[Event], today: date, known: Mapping[tuple[date, Event], bytes] | None = None
) -> dict[Event, bytes]:
    """Each of ``events`` as its ``VEVENT`` (RFC 5545 text), made once: the handbook's calendar
    and its owner's calendar both hold it. ``known``: the texts an earlier build made, by
    (today, event), used as they are (icalendar takes most of the exports' time)."""
    from icalendar import Event as IcsEvent

    out = {}
    for e in events:
        earlier = known.get((today, e)) if known is not None else None
        if earlier is not None:
            out[e] = earlier
            continue
        item = IcsEvent()
        item.add("uid", e.uid)
        item.add("dtstamp", datetime.combine(today, time(0, 0), UTC))  # the build's today: reproducible
        item.add("dtstart", e.day)
        item.add("dtend", e.day + timedelta(days=1))
        item.add("summary", without_controls(e.summary))
        item.add("description", without_controls(e.description))
        if e.owner:
            item.add("categories", [without_controls(e.owner)])
        out[e] = item.to_ical()
    return out


def ics_calendar(events: Mapping[Event, bytes], name: str) -> bytes:
    """A ``VCALENDAR`` named ``name`` holding the ``VEVENT`` s :func:`ics_events` made, in order:
    icalendar writes the calendar, and the events go in before its end, as it writes them."""
    from icalendar import Calendar, vText

    cal = Calendar()
    cal.add("prodid", "-//clausewise//handbook calendar//EN")
    cal.add("version", "2.0")
    # icalendar escapes the properties it knows as TEXT; X-WR-CALNAME it does not know, so say it
    cal.add("x-wr-calname", vText(without_controls(name)))
    head, end, tail = cal.to_ical().rpartition(b"END:VCALENDAR")
    return head + b"".join(events.values()) + end + tail


#: The columns of ``audit-coverage.csv`` and the workbook's Audit coverage sheet: a row per clause of the
#: audit scope and per procedure in force, as the ``{audit-coverage}`` page shows them.
AUDIT_COVERAGE_COLUMNS = [
    "subject", "kind", "title", "state", "last_audited", "last_audit", "falls_out", "audited_by",
]  # fmt: skip


def audit_coverage_rows(coverage: AuditCoverage) -> list[Row]:
    """The audit programme's coverage: ``audited_by`` lists the reports that named the row (or a clause
    above it), oldest first; ``falls_out`` is the first day its last audit no longer counts."""
    return [
        [row.subject, "clause" if row.is_clause else "procedure", row.title, state_text(row), _s(row.last),
         _s(row.last_audit), _s(row.falls_out),
         "; ".join(a.record.id for a, mark in zip(coverage.audits, row.marks, strict=True) if mark == "named")]
        for row in coverage.rows
    ]  # fmt: skip
