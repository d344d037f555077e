"""Missing records and evidence integrity: the rules over record types, records
and git history. Pure functions; ``today`` and the SMS start are parameters."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import PurePosixPath

from clausewise.core.dates import add_months
from clausewise.core.findings import Code, Finding
from clausewise.core.history import ChangeKind, FileChange, FileHistory, History, WorkingState
from clausewise.core.ids import IdScheme
from clausewise.core.model import Handbook, Record, RecordKind, RecordStatus, RecordType
from clausewise.rules import retention
from clausewise.rules.periods import (
    SCHEDULE_YEARS,
    EventStatus,
    Period,
    PeriodState,
    PeriodStatus,
    due_date,
    event_state,
    following_period,
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
    #: drafts and records whose body is not filled in: listed on the type's page, never counted
    unfilled: tuple[Record, ...] = ()
    #: its records still present whose retention has ended, the longest past first
    due_for_disposal: tuple[retention.DueForDisposal, ...] = ()

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
        """The due date of the earliest period still to be produced: of a period due or open
        today, or, when every period so far has its record (a yearly type whose record for
        this year is in), of the period after today's."""
        if self.event is not None:
            cadence = self.record_type.cadence
            assert cadence is not None and cadence.window_months is not None  # set for every per-event cadence
            return (
                add_months(self.event.latest, cadence.window_months) if self.event.latest else self.event.required_since
            )
        waiting = [p.due for p in self.periods if p.state in (PeriodState.DUE, PeriodState.OPEN)]
        if waiting or not self.periods or self.record_type.cadence is None:
            return min(waiting, default=None)
        following = following_period(self.record_type.cadence, self.periods[-1].period)
        return due_date(following, self.record_type.grace_days) if following is not None else None

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

    def gaps_after(self, day: date) -> tuple[PeriodStatus, ...]:
        """The periods that ended after ``day`` and whose record is missing (their due
        date has passed): the gaps an auditor finds in an audit window that begins the
        day after ``day``. A per-event type has none: its own ``window`` already asks
        for a record within the last months, and a type without a schedule has no periods."""
        return tuple(p for p in self.periods if p.state is PeriodState.MISSING and p.period.end > day)


@dataclass
class _Collected:
    statuses: dict[str, RecordTypeStatus] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def record_statuses(
    handbook: Handbook, today: date, sms_start: date | None, records_path: str, ids: IdScheme
) -> tuple[dict[str, RecordTypeStatus], list[Finding]]:
    """Every record type's periods and their states, and the findings:
    ``record-missing``, ``record-late``, ``record-period-invalid``, ``record-duplicate``,
    ``record-unfilled``, ``record-premature`` and ``record-retention-expired``. Only a record
    that counts (:attr:`Record.counts`: current and filled in) is evidence for its period; a
    draft or unfilled one is listed in :attr:`RecordTypeStatus.unfilled`. A period whose
    retention has ended and that has no record is left out (see :mod:`clausewise.rules.retention`).
    A record type without records has its folder under ``records_path``, named after the type
    (its id without the record type prefix of ``ids``)."""
    out = _Collected()
    by_type: dict[str, list[Record]] = {}
    unfilled: dict[str, list[Record]] = {}
    names = sorted(((ids.record_type_name(rt.id), rt.id) for rt in handbook.record_types), key=lambda n: -len(n[0]))
    for record in handbook.records:
        if record.unfilled:
            out.findings.append(_unfilled_finding(record))
            if record.record_type is not None:
                unfilled.setdefault(record.record_type, []).append(record)
        if record.record_type is not None and record.counts:
            by_type.setdefault(record.record_type, []).append(record)
            out.findings += _named_type_findings(record, names)
        if record.produced is not None and record.produced > today and record.status is RecordStatus.CURRENT:
            out.findings.append(
                Finding(record.source.path, record.line_of("produced"), Code.RECORD_PRODUCED_INVALID, record.id,
                        f"produced: {record.produced} is in the future (today is {today}); a record is "
                        f"produced before it is committed: set the day it was produced")
            )  # fmt: skip
    ids_named = dict(names)
    for rt in sorted(handbook.record_types, key=lambda r: r.id):
        records = sorted(by_type.get(rt.id, []), key=lambda r: (r.source.path, r.id))
        waiting = tuple(sorted(unfilled.get(rt.id, []), key=lambda r: (r.period or "", r.id)))
        folder = _folder(records or list(waiting), rt, records_path, ids)
        start = rt.start or sms_start
        if rt.cadence is None or start is None:
            out.statuses[rt.id] = RecordTypeStatus(rt, start, records=tuple(records), folder=folder, unfilled=waiting)
            continue
        name = next(n for n, i in ids_named.items() if i == rt.id)
        if rt.cadence.per_event:
            status = _per_event(rt, start, records, today, folder, out.findings, name)
        else:
            status = _scheduled(rt, start, records, today, folder, out.findings, name)
        out.statuses[rt.id] = replace(status, unfilled=waiting)
    kept: dict[str, list[Record]] = {}  # current and retired records alike: both are kept evidence
    for record in handbook.records:
        kept.setdefault(record.record_type or "", []).append(record)
    for rt_id, status in list(out.statuses.items()):
        due = retention.due_for_disposal(status.record_type, kept.get(rt_id, ()), status.start, today)
        if due:
            out.statuses[rt_id] = replace(status, due_for_disposal=due)
            out.findings += retention.retention_findings(status.record_type, due)
    return out.statuses, out.findings


def _unfilled_finding(record: Record) -> Finding:
    """``record-unfilled``: a draft (at its ``status:``), or a current record whose body is
    still the scaffold's placeholder text or empty (at that line of the body)."""
    counted = f"it does not count for its period {record.period}" if record.period else "it does not count"
    if record.status is RecordStatus.DRAFT:
        return Finding(
            record.source.path, record.line_of("status"), Code.RECORD_UNFILLED, record.id,
            f"status: draft: {record.id} is not evidence yet, so {counted}; fill in what the record shows and "
            f"set 'status: current' to approve it",
        )  # fmt: skip
    assert record.unfilled_line is not None
    if record.unfilled_line == record.line_of("produced_by") and "produced_by" in record.key_lines:
        return Finding(
            record.source.path, record.unfilled_line, Code.RECORD_UNFILLED, record.id,
            f"produced_by: {record.produced_by!r} is the placeholder the forge's web editor writes, not who produced "
            f"{record.id}, so {counted}; write the name of the person who produced it",
        )  # fmt: skip
    return Finding(
        record.source.path, record.unfilled_line, Code.RECORD_UNFILLED, record.id,
        f"{record.id} is not filled in: its body still holds the placeholder text of 'clausewise new record' (or "
        f"no text at all, and no 'evidence:'), so {counted}; write what the record shows in place of the "
        f"placeholder",
    )  # fmt: skip


def _premature(rt: RecordType, record: Record, period: Period) -> list[Finding]:
    """``record-premature``: produced before the last day of its period, which the record type does not allow."""
    if rt.early_allowed or record.produced is None or not period.start <= record.produced < period.end:
        return []  # (before the period began: record-produced-invalid says so)
    return [
        Finding(record.source.path, record.line_of("produced"), Code.RECORD_PREMATURE, record.id,
                f"produced: {record.produced} is before its period {period.label} ended ({period.end}): a record "
                f"of a period is produced once the period is over; correct 'produced' (or 'period'), or, if "
                f"{rt.id}'s records are rightly written early, say 'early: allowed' on the record type")
    ]  # fmt: skip


def _after_name(ident: str, name: str) -> str | None:
    """What follows a record type's name in a record id that uses the convention
    ``<prefix><TYPE NAME>-<period>`` (``REC-SERVICE-REPORT-2026-09`` -> ``2026-09``);
    ``None`` when the id does not name it (another id scheme, another type)."""
    at = ident.find(name + "-")
    while at >= 0:
        if at == 0 or ident[at - 1] in "-_":
            return ident[at + len(name) + 1 :]
        at = ident.find(name + "-", at + 1)
    return None


def _named_type_findings(record: Record, names: list[tuple[str, str]]) -> list[Finding]:
    """``record-id-mismatch`` when the id names another record type. ``names`` are
    (name, id) of every record type, longest name first, so that ``SERVICE-REPORT``
    wins over ``REPORT``."""
    named = next((rt_id for name, rt_id in names if _after_name(record.id, name) is not None), None)
    if named is None or named == record.record_type:
        return []
    return [
        Finding(record.source.path, record.line_of("id"), Code.RECORD_ID_MISMATCH, record.id,
                f"id: {record.id} names the record type {named}, but record_type: is {record.record_type}; "
                f"correct one of them, so that the evidence is filed where its id says")
    ]  # fmt: skip


def _named_period_findings(
    record: Record, name: str, parse: Callable[[str], date | Period | None], own: date | Period
) -> list[Finding]:
    """``record-id-mismatch`` when the id names a period (or event day) other than ``period:``."""
    after = _after_name(record.id, name)
    named = parse(after) if after is not None else None
    if named is None or named == own:
        return []
    label = named.label if isinstance(named, Period) else named.isoformat()
    return [
        Finding(record.source.path, record.line_of("id"), Code.RECORD_ID_MISMATCH, record.id,
                f"id: {record.id} names the period {label}, but period: is {record.period}; correct one of "
                f"them, so that the evidence counts for the period its id says")
    ]  # fmt: skip


def _produced_before(record: Record, begun: date, what: str) -> list[Finding]:
    """``record-produced-invalid`` when the record says it was produced before ``begun``."""
    if record.produced is None or record.produced >= begun:
        return []
    return [
        Finding(record.source.path, record.line_of("produced"), Code.RECORD_PRODUCED_INVALID, record.id,
                f"produced: {record.produced} is before {what} began on {begun}; a record of it cannot be "
                f"produced earlier: correct 'produced' or 'period'")
    ]  # fmt: skip


def _folder(records: list[Record], rt: RecordType, records_path: str, ids: IdScheme) -> str:
    """Where a record type's records are: beside its first record, else
    ``<records_path>/<name in lower case>`` (``records/service-report``)."""
    if records:
        return str(PurePosixPath(records[0].source.path).parent)
    return records_path.rstrip("/") + "/" + ids.record_type_name(rt.id).lower()


def _invalid(record: Record, message: str) -> Finding:
    return Finding(record.source.path, record.line_of("period"), Code.RECORD_PERIOD_INVALID, record.id, message)


def _scheduled(
    rt: RecordType, start: date, records: list[Record], today: date, folder: str, findings: list[Finding], name: str
) -> RecordTypeStatus:
    assert rt.cadence is not None
    cadence = rt.cadence

    def period_of(text: str) -> Period | None:
        parsed = parse_period(text, cadence, start)
        return None if isinstance(parsed, str) else parsed

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
        findings += _named_period_findings(record, name, period_of, parsed)
        findings += _produced_before(record, parsed.start, f"its period {parsed.label}")
        findings += _premature(rt, record, parsed)
        by_period.setdefault(parsed, []).append(record)
    statuses = period_states(periods, by_period, rt.grace_days, today)
    # a period past its retention needs no record: one may have been disposed of lawfully
    statuses = [s for s in statuses if s.records or not retention.no_longer_required(rt, s.period, today)]
    for status in statuses:
        findings += _period_findings(rt, status, folder, today)
    kept = tuple(r for s in statuses for r in s.records)
    return RecordTypeStatus(rt, start, tuple(statuses), None, kept, folder)


def _period_findings(rt: RecordType, status: PeriodStatus, folder: str, today: date) -> list[Finding]:
    found = []
    label = status.period.label
    if status.state is PeriodState.MISSING:
        found.append(
            Finding(rt.source.path, rt.source.line, Code.RECORD_MISSING, rt.id,
                    f"no record of {rt.id} {rt.title} for {label} (due {status.due}); "
                    f"add {folder}/{label}.md")
        )  # fmt: skip
    for record in status.records:
        # a produced date in the future is record-produced-invalid, not lateness
        if record.produced is not None and status.due < record.produced <= today:
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
    rt: RecordType, start: date, records: list[Record], today: date, folder: str, findings: list[Finding], name: str
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
            findings += _named_period_findings(record, name, parse_event_date, day)
            findings += _produced_before(record, day, "the event it records")
            dates.append(day)
            kept.append(record)
    status = event_state(start, rt.cadence.window_months, dates, today)
    if status.state is PeriodState.MISSING and rt.kind is RecordKind.COMPLAINT:
        # a year without a complaint is good news, not a gap: a complaint is recorded when one comes
        status = replace(status, state=PeriodState.OPEN)
    if status.state is PeriodState.MISSING:
        latest = f"latest: {status.latest}" if status.latest else "none yet"
        findings.append(
            Finding(rt.source.path, rt.source.line, Code.RECORD_MISSING, rt.id,
                    f"no record of {rt.id} {rt.title} within the last {rt.cadence.window_months} months "
                    f"({latest}); add one under {folder}/")
        )  # fmt: skip
    return RecordTypeStatus(rt, start, (), status, tuple(kept), folder)


def integrity_findings(
    handbook: Handbook,
    histories: Mapping[str, FileHistory],
    history: History,
    records_path: str,
    page_paths: Collection[str] = (),
    sms_start: date | None = None,
    today: date | None = None,
) -> list[Finding]:
    """``uncommitted``, ``record-modified``, ``record-deleted``, ``record-disposed`` and
    ``record-moved``: evidence must not change after it is committed, nor leave the
    record pages by any route, unless it is deleted after its retention ended (its
    record type's ``retain:``, its period as it was added and as git saw it deleted, the later; ``sms_start`` for a
    type without ``start:``) and before ``today``: a commit's date is its committer's word,
    so a deletion dated past ``today`` counts as made ``today``.

    A record is evidence from its first change on the main line (see
    :func:`evidence_changes`): a branch may change a record freely until the
    record reaches the main branch (and delete a record it added itself: that
    never was evidence), and a draft may be completed freely.

    ``page_paths`` are the governed pages the build reads. A committed file was a
    record when it was added as one (``type: record`` or a ``record_type:``), or, for
    a deleted file, when it lay under ``records_path``; it is reported when it is no
    longer among those pages: deleted, renamed to another suffix, moved into a
    folder the build excludes or out of the handbook, or (in the records folder)
    excluded where it is."""
    if not history.available:
        return []
    findings = []
    for record in handbook.records:
        page = histories.get(record.id)
        if page is None:
            continue
        if page.working is not WorkingState.CLEAN:
            # as for a document (staleness.history_findings), in a record's words
            what = (
                "is not committed to git yet: it becomes evidence with its first commit"
                if page.working is WorkingState.UNTRACKED
                else "has changes that are not committed yet; once committed, a change to a record must be "
                "explained on a 'correction:' line in the same commit"
            )
            findings.append(Finding(record.source.path, record.source.line, Code.UNCOMMITTED, record.id,
                                    f"{record.id} {what}"))  # fmt: skip
        unexplained = [c for c in evidence_changes(page) if not c.correction_recorded]
        if unexplained:
            c = unexplained[0].commit
            findings.append(
                Finding(record.source.path, record.line_of("correction") if record.correction else record.source.line,
                        Code.RECORD_MODIFIED, record.id,
                        f"changed after it was first committed: commit {c.sha[:7]} by {c.author} on "
                        f"{c.day} ({c.summary!r}); a record is evidence: undo the change, or "
                        f"explain it on a 'correction:' line in the same commit")
            )  # fmt: skip
    types = {rt.id: rt for rt in handbook.record_types}

    def whose(identity: Mapping[str, str]) -> str:
        # reported on its record type, so that the type's owner sees it
        record_type = identity.get("record_type", "")
        return record_type if record_type in types else ""

    for path, gone in sorted(history.deleted.items()):
        identity = dict(gone.identity)
        if not (_added_as_record(identity) or (path.startswith(records_path) and path.endswith(".md"))):
            continue
        if gone.added is not None and not gone.added.commit.on_main_line:
            continue  # added on a branch not merged yet, and dropped there: it never was evidence
        c = gone.commit
        if gone.kind is ChangeKind.RENAMED:
            findings.append(
                Finding(path, 0, Code.RECORD_MOVED, whose(identity),
                        f"record {identity.get('id', path)} was moved out of the handbook's folder, to {gone.path} "
                        f"(from the repository's top), in commit {c.sha[:7]} by {c.author} on {c.day} "
                        f"({c.summary!r}), so it is no longer a record page; records are retired with "
                        f"'status: retired', not moved away: move it back to {path}")
            )  # fmt: skip
            continue
        kept = retention.retained(identity, types, sms_start, dict(gone.added.identity) if gone.added else None)
        if kept is not None and kept.allows(c, today):
            findings.append(kept.disposed(path, identity, c))
            continue
        early = f"; {kept.too_early()}" if kept is not None else ""
        findings.append(
            Finding(path, 0, Code.RECORD_DELETED, whose(identity),
                    f"record deleted in commit {c.sha[:7]} by {c.author} on {c.day} ({c.summary!r}); records "
                    f"are retired with 'status: retired', not deleted{early}: restore it with "
                    f"'git checkout {c.sha[:7]}^ -- {path}'")
        )  # fmt: skip
    pages = set(page_paths)
    for path, file in sorted(history.files.items()):
        if path in pages:
            continue
        added = next((c for c in reversed(file.changes) if c.kind is ChangeKind.ADDED), None)
        identity = dict(added.identity) if added is not None else {}
        if not _added_as_record(identity):
            continue
        what = f"record {identity.get('id', '')} ({added.path})" if added is not None else "record"
        moved = next((c for c in file.changes if c.kind is ChangeKind.RENAMED and c.old_path), None)
        if moved is not None:
            c = moved.commit
            why = (
                "a record page is a Markdown file (.md)"
                if not path.endswith(".md")
                else "the build does not read it (exclude_patterns, or a folder it skips)"
            )
            findings.append(
                Finding(path, 0, Code.RECORD_MOVED, whose(identity),
                        f"{what} was renamed from {moved.old_path} to {path} in commit {c.sha[:7]} by {c.author} "
                        f"on {c.day} ({c.summary!r}), and is no longer a record page: {why}; records are "
                        f"retired with 'status: retired', not moved away: 'git mv {path} {moved.old_path}'")
            )  # fmt: skip
        elif path.startswith(records_path):
            # only in the records folder: a record template kept out of the build elsewhere is no evidence
            findings.append(
                Finding(path, 0, Code.RECORD_DELETED, whose(identity),
                        f"{what} was committed, but is no longer a record page: the build excludes it "
                        f"(exclude_patterns), it was removed from the working tree, or its front matter no "
                        f"longer makes it a record; records are retired with 'status: retired', not removed")
            )  # fmt: skip
    return findings


def evidence_changes(page: FileHistory) -> list[FileChange]:
    """The changes to a record (newest first) that change evidence, and so need a
    ``correction:`` line in the same commit.

    A record is evidence from its first change on the main line: changes before
    that (commits of a branch not merged yet) are free, and so is its addition (not
    an addition after its deletion with other text: that rewrites it).
    After it, every change of content is one, on the main line or on a branch,
    except those that complete a draft: a change to a record that has been
    ``status: draft`` in every commit since it was added (filling it in, and
    approving it by changing the status) is free. A record approved once stays
    evidence: made a draft again, it still needs a correction for every change."""
    on_main_line = [i for i, change in enumerate(page.changes) if change.commit.on_main_line]
    if not on_main_line:
        return []
    # the status as committed before each change is that after the next older one: a change
    # completes a draft when that status, and every one before it, was 'draft'
    completing: set[int] = set()
    for i in range(len(page.changes) - 2, -1, -1):
        if page.changes[i].status_before != RecordStatus.DRAFT.value:
            break
        completing.add(i)
    return [
        c
        for i, c in enumerate(page.changes[: on_main_line[-1] + 1])
        if (c.kind is not ChangeKind.ADDED or c.readded) and c.content_changed and i not in completing
    ]


def main_branch_findings(history: History, path: str) -> list[Finding]:
    """``main-branch-unknown``, once per build: ``clausewise_main_branch`` names a branch
    the repository does not have, or one that shares no history with ``HEAD``, or no main
    branch was found; the message names the
    branches there are and what was assumed. ``path`` is the file that sets it."""
    if not history.available or not history.main_branch_note:
        return []
    return [Finding(path, 0, Code.MAIN_BRANCH_UNKNOWN, "", history.main_branch_note)]


def approval_note_findings(history: History) -> list[Finding]:
    """``approval-note-invalid`` for each commit whose approval note cannot be read, naming
    the commit (what a clone without any notes says is :attr:`History.approval_notes_note`)."""
    if not history.available:
        return []
    return [
        Finding("", 0, Code.APPROVAL_NOTE_INVALID, "", f"the approval note on commit {sha[:12]}: {problem}")
        for sha, problem in sorted(history.invalid_notes.items())
    ]


def _added_as_record(identity: Mapping[str, str]) -> bool:
    """Whether a file's front matter, as git saw it added or deleted, made it a record."""
    return identity.get("type") == "record" or "record_type" in identity
