"""Customer satisfaction and complaints: the records of kinds ``survey`` and ``complaint``.

A survey or feedback round is a record of a record type of kind ``survey``: how many
customers answered (``responses``), their average score (``satisfaction``, on the record
type's ``scale:``) and the net promoter score (``nps``). A complaint is a record of kind
``complaint``: the day it was ``received``, the ``customer``, the day they were answered
(``responded``) and the day it was ``resolved``. The fields are declared by the handbook
(``rules/kinds.py`` says which), read and typed by ``sources/metadata.py``; this module adds
what only their meaning says (a score within its scale, an answer after the complaint), the
time a complaint may wait for its answer (``clausewise_complaint_response_days``), and the
series and register the dashboard and the ``{complaint-register}`` directive show.

Calendar days, not working days: working days need each organisation's holidays, which the
handbook does not hold; an organisation that promises "5 working days" sets 7.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from clausewise.core.findings import Code, Finding
from clausewise.core.model import FieldScalar, Handbook, Record, RecordKind, RecordStatus, RecordType
from clausewise.rules.kinds import field_of

#: The net promoter score's range: the percentage of promoters minus that of detractors.
NPS_RANGE = (-100, 100)


def _typed(rt: RecordType, kind: RecordKind) -> bool:
    return rt.kind is kind


def _records_of(handbook: Handbook, kind: RecordKind) -> Iterable[tuple[RecordType, Record]]:
    types: dict[str, RecordType] = {}
    for rt in handbook.record_types:
        types.setdefault(rt.id, rt)
    for record in handbook.records:
        of = types.get(record.record_type or "")
        if of is not None and _typed(of, kind):
            yield of, record


def _value(rt: RecordType, record: Record, name: str) -> FieldScalar | None:
    """The record's one value of a kind's field, when its type declares it as the kind reads it."""
    if field_of(rt, name) is None:
        return None
    found = record.field(name)
    return found.values[0] if found is not None and found.values else None


def _number(value: float) -> str:
    return f"{value:g}"


def _scale_text(scale: tuple[float, float]) -> str:
    return f"{_number(scale[0])}-{_number(scale[1])}"


def _finding(record: Record, name: str, message: str, code: Code = Code.INVALID_METADATA) -> Finding:
    found = record.field(name)
    line = found.line if found is not None else record.line_of(name)
    return Finding(record.source.path, line, code, record.id, message)


# --- values: what the fields' meaning asks of them -----------------------------------------


def _satisfaction(rt: RecordType, record: Record) -> float | None:
    value = _value(rt, record, "satisfaction")
    if not isinstance(value, float) or rt.scale is None or not rt.scale[0] <= value <= rt.scale[1]:
        return None
    return value


def _nps(rt: RecordType, record: Record) -> int | None:
    value = _value(rt, record, "nps")
    return value if isinstance(value, int) and NPS_RANGE[0] <= value <= NPS_RANGE[1] else None


def _responses(rt: RecordType, record: Record) -> int | None:
    value = _value(rt, record, "responses")
    return value if isinstance(value, int) and value >= 0 else None


def _date(rt: RecordType, record: Record, name: str) -> date | None:
    value = _value(rt, record, name)
    return value if isinstance(value, date) else None


def value_findings(handbook: Handbook) -> list[Finding]:
    """``invalid-metadata`` on a survey type that declares ``satisfaction`` without a ``scale:``
    (its ``kind:`` line), a score outside its scale, an NPS outside -100 to 100, a negative
    number of responses, and a complaint answered or resolved before it was received (each on
    the value's line, naming the value and what is expected)."""
    findings = []
    for rt in handbook.record_types:
        if (
            _typed(rt, RecordKind.SURVEY)
            and field_of(rt, "satisfaction") is not None
            and rt.scale is None
            # a scale written but not readable is reported on its own line
            and "scale" not in rt.key_lines
        ):
            findings.append(
                Finding(rt.source.path, rt.line_of("kind"), Code.INVALID_METADATA, rt.id,
                        "kind: a record type of kind 'survey' that declares the field 'satisfaction' must say the "
                        "score's scale; add e.g. 'scale: 1-5' (the lowest and the highest score)")
            )  # fmt: skip
    for rt, record in _records_of(handbook, RecordKind.SURVEY):
        score = _value(rt, record, "satisfaction")
        if isinstance(score, float) and rt.scale is not None and not rt.scale[0] <= score <= rt.scale[1]:
            findings.append(_finding(record, "satisfaction",
                f"satisfaction: {_number(score)} is outside the scale {_scale_text(rt.scale)} of record type "
                f"{rt.id}; expected a score from {_number(rt.scale[0])} to {_number(rt.scale[1])}"))  # fmt: skip
        nps = _value(rt, record, "nps")
        if isinstance(nps, int) and not NPS_RANGE[0] <= nps <= NPS_RANGE[1]:
            findings.append(_finding(record, "nps",
                f"nps: {nps} is outside {NPS_RANGE[0]} to {NPS_RANGE[1]}; expected a net promoter score (the "
                f"percentage of promoters minus that of detractors) from {NPS_RANGE[0]} to {NPS_RANGE[1]}")
            )  # fmt: skip
        responses = _value(rt, record, "responses")
        if isinstance(responses, int) and responses < 0:
            findings.append(_finding(record, "responses",
                f"responses: {responses} is negative; expected how many customers answered, 0 or more"))  # fmt: skip
    for rt, record in _records_of(handbook, RecordKind.COMPLAINT):
        received = _date(rt, record, "received")
        if received is None:
            continue
        for name, what in (("responded", "answered"), ("resolved", "resolved")):
            day = _date(rt, record, name)
            if day is not None and day < received:
                findings.append(_finding(record, name,
                    f"{name}: {day} is before the complaint was received ({received}); expected the day it was "
                    f"{what}, on or after {received}"))  # fmt: skip
    return findings


# --- satisfaction: the series by period ------------------------------------------------------


@dataclass(frozen=True)
class SurveyPoint:
    """One survey record's values; a value the record lacks, or gives outside its range, is None."""

    period: str
    record_id: str
    produced: date | None
    responses: int | None
    satisfaction: float | None
    nps: int | None


@dataclass(frozen=True)
class SatisfactionSeries:
    """One survey record type's records in period order (oldest first)."""

    record_type: str  # its id
    title: str
    scale: tuple[float, float] | None
    points: tuple[SurveyPoint, ...]
    withheld: int = 0  # records that count but whose values the build's audience may not read

    @property
    def latest(self) -> SurveyPoint | None:
        return self.points[-1] if self.points else None


def satisfaction_series(handbook: Handbook, withheld: Collection[str] = ()) -> list[SatisfactionSeries]:
    """Each survey record type's satisfaction, NPS and responses by period, in the order the record
    types are declared: the records that count only (not drafts, retired or unfilled ones), but those
    in ``withheld`` (ids of records the build's audience may not read: only counted). The dashboard's
    customer satisfaction block and the management dashboard draw these."""
    by_type: dict[str, list[SurveyPoint]] = {}
    hidden: dict[str, int] = {}
    for rt, record in _records_of(handbook, RecordKind.SURVEY):
        if not record.counts:
            continue
        if record.id in withheld:
            hidden[rt.id] = hidden.get(rt.id, 0) + 1
            continue
        by_type.setdefault(rt.id, []).append(
            SurveyPoint(record.period or "", record.id, record.produced, _responses(rt, record),
                        _satisfaction(rt, record), _nps(rt, record))
        )  # fmt: skip
    series: list[SatisfactionSeries] = []
    for rt in handbook.record_types:
        if not _typed(rt, RecordKind.SURVEY) or rt.id in (s.record_type for s in series):
            continue
        points = sorted(by_type.get(rt.id, ()), key=lambda p: (p.period, p.produced or date.min, p.record_id))
        series.append(SatisfactionSeries(rt.id, rt.title, rt.scale, tuple(points), hidden.get(rt.id, 0)))
    return series


# --- complaints: the register and the answer's time ----------------------------------------


class ComplaintState(StrEnum):
    """Where a complaint stands, in the words the register shows."""

    UNANSWERED = "unanswered"  # no answer, and the time to answer has passed
    AWAITING_ANSWER = "awaiting answer"  # no answer yet, still within the time to answer
    ANSWERED = "answered, not resolved"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class ComplaintRow:
    record_id: str
    title: str
    record_type: str
    customer: str
    service: str | None
    received: date
    answer_due: date  # received + clausewise_complaint_response_days
    responded: date | None  # the day written as responded (else resolved: resolving it answers it)
    resolved: date | None
    state: ComplaintState
    late: bool  # answered after answer_due
    #: a day written as answered or resolved is before the complaint was received: reported as
    #: invalid-metadata, not believed, and the complaint not judged until it is put right
    dates_refused: bool
    path: str  # the record's file
    line: int  # of its received field
    #: the build's audience may not read the record: its customer, service and days are not shown
    withheld: bool = False

    @property
    def open(self) -> bool:
        return self.resolved is None


def complaint_register(
    handbook: Handbook, today: date, response_days: int, withheld: Collection[str] = ()
) -> list[ComplaintRow]:
    """Every current complaint (drafts and retired ones are not judged) with a valid ``received``:
    the open ones first, oldest first, then the resolved ones, most recently resolved first. A
    complaint in ``withheld`` (ids the build's audience may not read) is marked so."""
    rows = []
    for rt, record in _records_of(handbook, RecordKind.COMPLAINT):
        received = _date(rt, record, "received")
        if record.status is not RecordStatus.CURRENT or received is None:
            continue
        # a day before the complaint was received is reported by value_findings and not believed
        written = (_date(rt, record, "responded"), _date(rt, record, "resolved"))
        responded, resolved = (day if day is not None and day >= received else None for day in written)
        answered = responded or resolved
        due = received + timedelta(days=response_days)
        if resolved is not None:
            state = ComplaintState.RESOLVED
        elif answered is not None:
            state = ComplaintState.ANSWERED
        else:
            state = ComplaintState.UNANSWERED if today > due else ComplaintState.AWAITING_ANSWER
        customer = _value(rt, record, "customer")
        service = _value(rt, record, "service")
        found = record.field("received")
        rows.append(ComplaintRow(
            record.id, record.title, rt.id, customer if isinstance(customer, str) else "",
            service if isinstance(service, str) else None, received, due, answered, resolved, state,
            answered is not None and answered > due, (responded, resolved) != written, record.source.path,
            found.line if found is not None else record.source.line, record.id in withheld,
        ))  # fmt: skip
    open_rows = sorted((r for r in rows if r.open), key=lambda r: (r.received, r.record_id))
    closed = sorted((r for r in rows if not r.open), key=lambda r: (r.resolved or date.min, r.record_id), reverse=True)
    return open_rows + closed


def complaint_findings(handbook: Handbook, today: date, response_days: int) -> list[Finding]:
    """``complaint-unanswered`` for each complaint without an answer more than ``response_days``
    after it was received, ``complaint-answered-late`` for each answered after that; on the
    ``received`` line."""
    findings = []
    for row in complaint_register(handbook, today, response_days):
        if row.dates_refused:
            continue
        if row.state is ComplaintState.UNANSWERED:
            findings.append(Finding(row.path, row.line, Code.COMPLAINT_UNANSWERED, row.record_id,
                f"complaint received {row.received} has no answer after "
                f"{(today - row.received).days} days (allowed: {response_days}, setting "
                f"clausewise_complaint_response_days; due {row.answer_due}): answer the customer and record "
                f"the day as 'responded: YYYY-MM-DD'"))  # fmt: skip
        elif row.late and row.responded is not None:
            findings.append(Finding(row.path, row.line, Code.COMPLAINT_ANSWERED_LATE, row.record_id,
                f"complaint received {row.received} was answered on {row.responded}, "
                f"{(row.responded - row.received).days} days later (allowed: {response_days}, setting "
                f"clausewise_complaint_response_days)"))  # fmt: skip
    return findings
