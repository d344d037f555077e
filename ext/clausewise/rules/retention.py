"""Retention and disposal: how long a record is kept, and when it may go.

A record type may declare ``retain:`` (months or years). Each of its records is
kept until that long after the end of the period it covers (a per-event record:
after its event), counted in calendar months (end-of-month clamped: a record of
2020-02 kept 6 years is kept until 2026-02-28), and may be disposed of from the
next day. A record type without ``retain:`` keeps its records for good.

The rules that follow from it, all pure functions:

- a record deleted in a commit made after its retention ended is
  ``record-disposed`` (info), not ``record-deleted`` (see :func:`retained`);
- a period whose retention has ended and that has no record is no longer
  required: a lawful disposal leaves no trace but its commit, so an absent
  record is not reported missing once it could have been disposed of
  (:func:`no_longer_required`);
- a record still present after its retention is *due for disposal*: listed on
  the record register and by ``clausewise due``, and reported as
  ``record-retention-expired`` (off unless the handbook switches it on)
  (:func:`due_for_disposal`, :func:`retention_findings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from clausewise.core.dates import add_months
from clausewise.core.findings import Code, Finding
from clausewise.core.history import Commit
from clausewise.core.model import Record, RecordType
from clausewise.rules.periods import Period, parse_event_date, parse_period


@dataclass(frozen=True)
class DueForDisposal:
    """A record still present whose retention has ended: it had to be kept until
    ``kept_until`` and may be disposed of from the day after."""

    record: Record
    kept_until: date

    @property
    def disposable_from(self) -> date:
        return self.kept_until + timedelta(days=1)


def retention_text(months: int) -> str:
    """``72`` as ``6 years``, ``18`` as ``18 months``: as an owner writes it."""
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def kept_until(period: Period | date, months: int) -> date:
    """The last day a record of ``period`` (or of an event on that day) must be kept."""
    end = period.end if isinstance(period, Period) else period
    return add_months(end, months)


def record_period(rt: RecordType, text: str, start: date | None) -> Period | date | None:
    """What a record's ``period:`` names on ``rt``'s schedule: its period, or for a
    per-event type its event's day; None when it names none (its own finding says why)."""
    cadence = rt.cadence
    if cadence is None:
        return None
    if cadence.per_event:
        return parse_event_date(text)
    if start is None:
        return None
    parsed = parse_period(text, cadence, start)
    return None if isinstance(parsed, str) else parsed


def record_kept_until(rt: RecordType, text: str, start: date | None) -> date | None:
    """The last day a record of ``rt`` for ``period: text`` must be kept; None when it
    is kept for good (no ``retain:``) or its period cannot be read."""
    if rt.retain_months is None:
        return None
    period = record_period(rt, text, start)
    return kept_until(period, rt.retain_months) if period is not None else None


def no_longer_required(rt: RecordType, period: Period, today: date) -> bool:
    """Whether ``period``'s retention ended before ``today``: a record of it may have
    been disposed of lawfully, so none is required any more."""
    return rt.retain_months is not None and kept_until(period, rt.retain_months) < today


def due_for_disposal(
    rt: RecordType, records: Iterable[Record], start: date | None, today: date
) -> tuple[DueForDisposal, ...]:
    """``rt``'s records (current or retired: both are kept evidence) whose retention ended
    before ``today``, the longest past first."""
    out = []
    for record in records:
        if record.record_type != rt.id or record.period is None:
            continue
        until = record_kept_until(rt, record.period, start)
        if until is not None and until < today:
            out.append(DueForDisposal(record, until))
    return tuple(sorted(out, key=lambda d: (d.kept_until, d.record.id)))


def retention_findings(rt: RecordType, due: Iterable[DueForDisposal]) -> list[Finding]:
    """``record-retention-expired`` for each record of ``rt`` due for disposal."""
    kept = retention_text(rt.retain_months) if rt.retain_months is not None else ""
    return [
        Finding(d.record.source.path, d.record.line_of("period"), Code.RECORD_RETENTION_EXPIRED, d.record.id,
                f"{d.record.id} covers {d.record.period}; {rt.id} keeps its records for {kept} ('retain:'), "
                f"so it had to be kept until {d.kept_until} and may be disposed of since {d.disposable_from}: "
                f"delete it in a commit of its own (reported as record-disposed), or raise 'retain:' of "
                f"{rt.id} if it must be kept longer")
        for d in due
    ]  # fmt: skip


@dataclass(frozen=True)
class Retained:
    """How long a deleted record had to be kept: its type's ``retain:`` and the last day."""

    record_type: RecordType
    months: int
    kept_until: date

    def allows(self, commit: Commit, today: date | None = None) -> bool:
        """Whether ``commit`` deleted the record after it had to be kept. Its date is
        the committer's word: one past ``today`` counts as ``today``, so that a deletion
        dated into the future is no disposal before the retention has really ended."""
        day = commit.day if today is None else min(commit.day, today)
        return day > self.kept_until

    def disposed(self, path: str, identity: Mapping[str, str], commit: Commit) -> Finding:
        """``record-disposed``: the record at ``path`` was deleted lawfully in ``commit``."""
        return Finding(
            path, 0, Code.RECORD_DISPOSED, self.record_type.id,
            f"record {identity.get('id', path)} (period {identity.get('period', '')}) disposed of in commit "
            f"{commit.sha[:7]} by {commit.author} on {commit.day} ({commit.summary!r}), after its retention of "
            f"{retention_text(self.months)} ended on {self.kept_until}",
        )  # fmt: skip

    def too_early(self) -> str:
        """What a ``record-deleted`` message adds for a record deleted before its retention ended."""
        return (
            f"its record type {self.record_type.id} keeps records for {retention_text(self.months)}, so it had "
            f"to be kept until {self.kept_until} and may be disposed of from {self.kept_until + timedelta(days=1)}"
        )


def retained(
    identity: Mapping[str, str],
    record_types: Mapping[str, RecordType],
    sms_start: date | None,
    added: Mapping[str, str] | None = None,
) -> Retained | None:
    """How long a deleted record had to be kept, from its front matter as git saw it
    deleted (``record_type:``, ``period:``) and, when known, as it was ``added``: the
    later of the two, so that editing ``period:`` or ``record_type:`` before deleting
    a record does not shorten its retention. None when it was to be kept for good or
    that cannot be known (its type gone or without ``retain:``, its period unreadable)."""
    found = []
    for seen in (identity, added) if added else (identity,):
        rt = record_types.get(seen.get("record_type", ""))
        text = seen.get("period")
        if rt is None or rt.retain_months is None or text is None:
            return None
        until = record_kept_until(rt, text, rt.start or sms_start)
        if until is None:
            return None
        found.append(Retained(rt, rt.retain_months, until))
    return max(found, key=lambda kept: kept.kept_until)
