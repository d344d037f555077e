"""Missing records and evidence integrity: the rules over record types, records
and git history. Pure functions; ``today`` and the SMS start are parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from clausewise.core.dates import add_months
from clausewise.core.findings import Code, Finding
from clausewise.core.history import ChangeKind, FileHistory, History
from clausewise.core.ids import IdScheme
from clausewise.core.model import Handbook, Record, RecordStatus, RecordType
from clausewise.rules.periods import (
    SCHEDULE_YEARS,
    EventStatus,
    Period,
    PeriodState,
    PeriodStatus,
    event_state,
    parse_event_date,
    parse_period,
    period_states,
    schedule,
    schedule_begins,
)


@dataclass(frozen=True)
class RecordTypeStatus:
    """Where one record type stands today."""

    record_type: RecordType
    start: date | None  # None: no start date anywhere, so no schedule
    periods: tuple[PeriodStatus, ...] = ()
    event: EventStatus | None = None
    records: tuple[Record, ...] = ()  # current records of this type, oldest period first
    folder: str = ""  # where its records live, for messages

    @property
    def missing(self) -> int:
        if self.event is not None:
            return int(self.event.state is PeriodState.MISSING)
        return sum(1 for p in self.periods if p.state is PeriodState.MISSING)

    @property
    def last_record(self) -> Record | None:
        return max(self.records, key=lambda r: (r.period or "", r.produced or date.min), default=None)

    @property
    def next_due(self) -> date | None:
        """The due date of the earliest period still to be produced."""
        if self.event is not None:
            cadence = self.record_type.cadence
            assert cadence is not None and cadence.window_months is not None  # set for every per-event cadence
            return (
                add_months(self.event.latest, cadence.window_months) if self.event.latest else self.event.required_since
            )
        waiting = [p.due for p in self.periods if p.state in (PeriodState.DUE, PeriodState.OPEN)]
        return min(waiting, default=None)

    @property
    def up_to_date(self) -> bool:
        """Records exist for the last period whose due date has passed (per event: within the window).
        A type whose cadence is invalid has no schedule to judge by, so its records prove nothing yet."""
        if self.record_type.cadence is None:
            return False
        if self.event is not None:
            return self.event.state is not PeriodState.MISSING
        passed = [p for p in self.periods if p.state in (PeriodState.PRESENT, PeriodState.LATE, PeriodState.MISSING)]
        return not passed or passed[-1].state is not PeriodState.MISSING


@dataclass
class _Collected:
    statuses: dict[str, RecordTypeStatus] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def record_statuses(
    handbook: Handbook, today: date, sms_start: date | None, records_path: str, ids: IdScheme
) -> tuple[dict[str, RecordTypeStatus], list[Finding]]:
    """Every record type's periods and their states, and the findings:
    ``record-missing``, ``record-late``, ``record-period-invalid`` and ``record-duplicate``.
    A record type without records has its folder under ``records_path``, named
    after the type (its id without the record type prefix of ``ids``)."""
    out = _Collected()
    by_type: dict[str, list[Record]] = {}
    for record in handbook.records:
        if record.record_type is not None and record.status is RecordStatus.CURRENT:
            by_type.setdefault(record.record_type, []).append(record)
    for rt in sorted(handbook.record_types, key=lambda r: r.id):
        records = sorted(by_type.get(rt.id, []), key=lambda r: (r.source.path, r.id))
        folder = _folder(records, rt, records_path, ids)
        start = rt.start or sms_start
        if rt.cadence is None or start is None:
            out.statuses[rt.id] = RecordTypeStatus(rt, start, records=tuple(records), folder=folder)
            continue
        if rt.cadence.per_event:
            out.statuses[rt.id] = _per_event(rt, start, records, today, folder, out.findings)
        else:
            out.statuses[rt.id] = _scheduled(rt, start, records, today, folder, out.findings)
    return out.statuses, out.findings


def _folder(records: list[Record], rt: RecordType, records_path: str, ids: IdScheme) -> str:
    """Where a record type's records are: beside its first record, else
    ``<records_path>/<name in lower case>`` (``records/service-report``)."""
    if records:
        return str(PurePosixPath(records[0].source.path).parent)
    return records_path.rstrip("/") + "/" + ids.record_type_name(rt.id).lower()


def _invalid(record: Record, message: str) -> Finding:
    return Finding(record.source.path, record.line_of("period"), Code.RECORD_PERIOD_INVALID, record.id, message)


def _scheduled(
    rt: RecordType, start: date, records: list[Record], today: date, folder: str, findings: list[Finding]
) -> RecordTypeStatus:
    assert rt.cadence is not None
    periods = schedule(rt.cadence, start, today)
    first = periods[0] if periods else None
    checked_from = schedule_begins(start, today)
    if first is not None and checked_from > start:
        findings.append(
            Finding(rt.source.path, rt.line_of("start"), Code.SCHEDULE_SHORTENED, rt.id,
                    f"{rt.id} starts on {start}, more than {SCHEDULE_YEARS} years before today ({today}): "
                    f"only its periods from {first.label} on are checked; set 'start:' to the day its "
                    f"records began to be kept, no earlier than {checked_from}")
        )  # fmt: skip
    by_period: dict[Period, list[Record]] = {}
    for record in records:
        if record.period is None:
            continue  # its own finding says why
        parsed = parse_period(record.period, rt.cadence, start)
        if isinstance(parsed, str):
            findings.append(_invalid(record, f"period: {parsed}"))
            continue
        if parsed.start > today:
            findings.append(_invalid(record, f"period: {record.period} has not begun yet (today is {today})"))
            continue
        if first is not None and parsed < first and checked_from > start and parsed.start >= start:
            continue  # a period older than those checked (the schedule-shortened finding says so)
        if first is not None and parsed < first:
            findings.append(
                _invalid(record, f"period: {record.period} is before the schedule of {rt.id} starts ({first.label})")
            )
            continue
        by_period.setdefault(parsed, []).append(record)
    statuses = period_states(periods, by_period, rt.grace_days, today)
    for status in statuses:
        findings += _period_findings(rt, status, folder)
    kept = tuple(r for s in statuses for r in s.records)
    return RecordTypeStatus(rt, start, tuple(statuses), None, kept, folder)


def _period_findings(rt: RecordType, status: PeriodStatus, folder: str) -> list[Finding]:
    found = []
    label = status.period.label
    if status.state is PeriodState.MISSING:
        found.append(
            Finding(rt.source.path, rt.source.line, Code.RECORD_MISSING, rt.id,
                    f"no record of {rt.id} {rt.title} for {label} (due {status.due}); "
                    f"add {folder}/{label}.md")
        )  # fmt: skip
    for record in status.records:
        if record.produced is not None and record.produced > status.due:
            found.append(
                Finding(record.source.path, record.line_of("produced"), Code.RECORD_LATE, record.id,
                        f"produced {record.produced}, after its due date {status.due} ({label} ended "
                        f"{status.period.end}, {rt.grace_days} days' grace)")
            )  # fmt: skip
    if not rt.allow_several:
        first, *others = status.records or (None,)
        for record in others:
            assert first is not None and record is not None
            found.append(
                Finding(record.source.path, record.line_of("period"), Code.RECORD_DUPLICATE, record.id,
                        f"{first.id} ({first.source.path}) already covers {label} of {rt.id}; retire one of "
                        f"them with 'status: retired', or set 'allow_several: true' on the record type")
            )  # fmt: skip
    return found


def _per_event(
    rt: RecordType, start: date, records: list[Record], today: date, folder: str, findings: list[Finding]
) -> RecordTypeStatus:
    assert rt.cadence is not None and rt.cadence.window_months is not None
    dates = []
    kept = []
    for record in records:
        if record.period is None:
            continue
        day = parse_event_date(record.period)
        if day is None:
            findings.append(_invalid(record, f"period: '{record.period}' is not a date; a record of an event "
                                             f"is dated YYYY-MM-DD, e.g. 2026-05-14"))  # fmt: skip
        elif day > today:
            findings.append(_invalid(record, f"period: {day} is in the future (today is {today})"))
        else:
            dates.append(day)
            kept.append(record)
    status = event_state(start, rt.cadence.window_months, dates, today)
    if status.state is PeriodState.MISSING:
        latest = f"latest: {status.latest}" if status.latest else "none yet"
        findings.append(
            Finding(rt.source.path, rt.source.line, Code.RECORD_MISSING, rt.id,
                    f"no record of {rt.id} {rt.title} within the last {rt.cadence.window_months} months "
                    f"({latest}); add one under {folder}/")
        )  # fmt: skip
    return RecordTypeStatus(rt, start, (), status, tuple(kept), folder)


def integrity_findings(
    handbook: Handbook, histories: Mapping[str, FileHistory], history: History, records_path: str
) -> list[Finding]:
    """``record-modified`` and ``record-deleted``: evidence must not change after it is committed."""
    if not history.available:
        return []
    findings = []
    for record in handbook.records:
        page = histories.get(record.id)
        if page is None:
            continue
        later = [c for c in page.changes if c.kind is not ChangeKind.ADDED and c.content_changed]
        unexplained = [c for c in later if not c.correction_recorded]
        if unexplained:
            c = unexplained[0].commit
            findings.append(
                Finding(record.source.path, record.line_of("correction") if record.correction else record.source.line,
                        Code.RECORD_MODIFIED, record.id,
                        f"changed after it was first committed: commit {c.sha[:7]} by {c.author} on "
                        f"{c.day} ({c.summary!r}); a record is evidence: undo the change, or "
                        f"explain it on a 'correction:' line in the same commit")
            )  # fmt: skip
    types = {rt.id for rt in handbook.record_types}
    for path, deletion in sorted(history.deleted.items()):
        if path.startswith(records_path) and path.endswith(".md"):
            c = deletion.commit
            # reported on its record type, so that the type's owner sees it
            record_type = dict(deletion.identity).get("record_type", "")
            findings.append(
                Finding(path, 0, Code.RECORD_DELETED, record_type if record_type in types else "",
                        f"record deleted in commit {c.sha[:7]} by {c.author} on {c.day} ({c.summary!r}); records "
                        f"are retired with 'status: retired', not deleted: restore it with "
                        f"'git checkout {c.sha[:7]}^ -- {path}'")
            )  # fmt: skip
    return findings
