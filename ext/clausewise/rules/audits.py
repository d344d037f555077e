"""Audit programme coverage: which clauses and procedures the internal audits looked at, and when.

An internal audit report is a record of a record type of kind ``audit``; its ``audited:`` field
(type ``list of reference``) names the clauses and the documents it covered, e.g.
``audited: [8.5.1, 8.7, PRC-012]``. Decisions, each made here once:

- **The day an audit counts from** is its report's ``produced:`` day: the audit is over when its
  report is issued, and a report's period (``2025-H2``) can end months after the audit took place.
  Only reports that count as evidence (current, filled in) and produced on or before today are read.
- **An audit of a clause covers the clauses under it**: auditing 8.7 covers 8.7.1 to 8.7.3.3. A
  clause with sub-clauses is also covered when every one of them is, from the earliest of their last
  audits; auditing 8.7.1 alone does not cover 8.7.
- **The cycle**: an audit on day ``d`` counts until ``d`` plus ``clausewise_audit_cycle`` months
  (:func:`falls_out`); from that day the clause is a gap. Within :data:`DUE_SOON_DAYS` before it, the
  clause is *due soon*: shown on the page, so the programme can be planned, and not a finding.
- **What must be audited**: every clause of every configured catalogue in ``clausewise_audit_scope``
  (``leaf`` or ``level N``), except those justified under ``uncovered_clauses`` or ``excluded`` (or under
  a clause that is), and every procedure in force. A procedure is audited only by naming its id:
  auditing the clauses it satisfies does not count, since an audit of a clause may look at another
  process that also serves it.
- Without a record type of kind ``audit`` (with its ``audited`` field declared as the kind reads it)
  the handbook keeps no audit programme here and nothing is checked. ``audit-coverage-gap`` is
  reported on the first such record type's ``kind:`` line: the audit programme is what must change,
  and its owner is who ``clausewise check`` lists it under.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from clausewise.core.dates import add_months, months_text
from clausewise.core.findings import Code, Finding
from clausewise.core.model import Clause, DocType, Handbook, Record, RecordKind, RecordType
from clausewise.rules import kinds

#: A clause or procedure whose last audit falls out of the cycle within this many days is due soon.
DUE_SOON_DAYS = 90


class AuditState(StrEnum):
    COVERED = "covered"
    DUE_SOON = "due soon"
    GAP = "gap"


@dataclass(frozen=True)
class Audit:
    """One internal audit report that counts: its id, day and what it names under ``audited:``."""

    record: Record
    day: date
    audited: tuple[str, ...]


@dataclass(frozen=True)
class AuditRow:
    """One clause or procedure the programme must cover, and how far it is."""

    subject: str  # the clause as front matter names it (``8.7.1``, ``27001:A.5.1``) or the document id
    title: str  # the clause's heading or the document's title
    need_id: str  # the clause's need id, or the document id
    is_clause: bool
    #: per audit (in :attr:`AuditCoverage.audits` order): "named" (it or a clause above it),
    #: "part" (some clause under it, not all), or "" (not audited)
    marks: tuple[str, ...]
    last: date | None  # the day of its last audit, or None: never audited
    last_audit: str | None  # the id of the report of that audit
    falls_out: date | None  # the first day that audit no longer counts
    state: AuditState


@dataclass(frozen=True)
class AuditCoverage:
    """The audit programme's coverage: the audits in order, a row per clause and procedure."""

    record_type: RecordType  # the first record type of kind audit: where findings point
    audits: tuple[Audit, ...]
    rows: tuple[AuditRow, ...]
    cycle_months: int
    today: date


def falls_out(day: date, cycle_months: int) -> date:
    """The first day an audit on ``day`` no longer counts: ``cycle_months`` later."""
    return add_months(day, cycle_months)


def audits(handbook: Handbook, today: date) -> tuple[Audit, ...]:
    """The internal audit reports that count, in the order of their day (then id)."""
    readable = {rt.id: field for rt in handbook.record_types if rt.kind is RecordKind.AUDIT
                for field in [kinds.field_of(rt, "audited")] if field is not None}  # fmt: skip
    out = []
    for record in handbook.records:
        if record.record_type not in readable or not record.counts or record.produced is None:
            continue
        if record.produced > today:
            continue
        named = record.field("audited")
        out.append(Audit(record, record.produced, tuple(str(v) for v in named.values) if named else ()))
    return tuple(sorted(out, key=lambda a: (a.day, a.record.id)))


def _in_scope(clause: Clause, has_children: bool, scope: int) -> bool:
    if scope == 0:
        return not has_children
    return clause.depth == scope or (clause.depth < scope and not has_children)


def audit_coverage(
    handbook: Handbook, today: date, cycle_months: int, scope: int, not_required: Iterable[str]
) -> AuditCoverage | None:
    """The coverage of the audit programme; ``None`` when no record type has kind ``audit`` with a
    readable ``audited`` field (one declared with another type is already ``invalid-metadata``, and a
    gap for every clause would bury it). ``not_required`` are the need ids of clauses justified as
    uncovered or excluded."""
    programme = next(
        (rt for rt in handbook.record_types if rt.kind is RecordKind.AUDIT and kinds.field_of(rt, "audited")), None
    )
    if programme is None:
        return None
    done = audits(handbook, today)
    skipped = frozenset(not_required)
    # for each audit, the need ids of the clauses and the ids it names
    named_clauses: list[frozenset[str]] = []
    named_ids: list[frozenset[str]] = []
    documents = {d.id for d in handbook.documents}
    for audit in done:
        clauses, ids = set(), set()
        for value in audit.audited:
            if value in documents:
                ids.add(value)
            elif (clause := handbook.clause(value)) is not None:
                clauses.add(clause.need_id)
        named_clauses.append(frozenset(clauses))
        named_ids.append(frozenset(ids))

    rows: list[AuditRow] = []
    first_key = handbook.catalogues[0].key if handbook.catalogues else ""
    for catalogue in handbook.catalogues:
        by_number = catalogue.by_number()
        children: dict[str, list[Clause]] = {}
        for clause in catalogue.clauses:
            if clause.parent_number is not None:
                children.setdefault(clause.parent_number, []).append(clause)

        for clause in catalogue.clauses:
            has_children = clause.number in children
            above = _lineage(clause, by_number)
            if not _in_scope(clause, has_children, scope) or any(n in skipped for n in above):
                continue
            found = _last_audit(clause, by_number, children, done, named_clauses)
            marks = []
            for named in named_clauses:
                if any(n in named for n in above):
                    marks.append("named")
                elif has_children and any(_under(n, clause, catalogue.clauses) for n in named):
                    marks.append("part")
                else:
                    marks.append("")
            subject = clause.number if catalogue.key == first_key else clause.reference
            rows.append(_row(subject, clause.heading, clause.need_id, True, tuple(marks), found, cycle_months, today))

    for doc in handbook.documents:
        if doc.type is not DocType.PROCEDURE or not doc.in_force(today):
            continue
        doc_marks = tuple("named" if doc.id in ids else "" for ids in named_ids)
        hits = [(a.day, a.record.id) for a, ids in zip(done, named_ids, strict=True) if doc.id in ids]
        rows.append(_row(doc.id, doc.title, doc.id, False, doc_marks, max(hits) if hits else None, cycle_months, today))
    return AuditCoverage(programme, done, tuple(rows), cycle_months, today)


def _lineage(clause: Clause, by_number: Mapping[str, Clause]) -> list[str]:
    out, number = [clause.need_id], clause.parent_number
    while number is not None and number in by_number:
        out.append(by_number[number].need_id)
        number = by_number[number].parent_number
    return out


def _last_audit(
    clause: Clause, by_number: Mapping[str, Clause], children: Mapping[str, list[Clause]],
    done: tuple[Audit, ...], named_clauses: list[frozenset[str]],
) -> tuple[date, str] | None:  # fmt: skip
    """The last audit covering ``clause`` (its day and report): one naming it or a clause above it, or,
    when every clause under it is covered, the earliest of their last audits, whichever is later."""
    above = _lineage(clause, by_number)
    direct = [(a.day, a.record.id) for a, named in zip(done, named_clauses, strict=True)
              if any(n in named for n in above)]  # fmt: skip
    best = max(direct) if direct else None
    subs = children.get(clause.number, [])
    if subs:
        lasts = [_last_audit(sub, by_number, children, done, named_clauses) for sub in subs]
        if all(last is not None for last in lasts):
            through = min(last for last in lasts if last is not None)
            best = through if best is None else max(best, through)
    return best


def _under(need_id: str, parent: Clause, clauses: Iterable[Clause]) -> bool:
    """Whether the clause of ``need_id`` lies under ``parent`` (same catalogue)."""
    return any(c.need_id == need_id and c.number.startswith(parent.number + ".") for c in clauses)


def _row(
    subject: str, title: str, need_id: str, is_clause: bool, marks: tuple[str, ...],
    found: tuple[date, str] | None, cycle_months: int, today: date,
) -> AuditRow:  # fmt: skip
    if found is None:
        return AuditRow(subject, title, need_id, is_clause, marks, None, None, None, AuditState.GAP)
    day, record_id = found
    out = falls_out(day, cycle_months)
    if today >= out:
        state = AuditState.GAP
    elif today + timedelta(days=DUE_SOON_DAYS) >= out:
        state = AuditState.DUE_SOON
    else:
        state = AuditState.COVERED
    return AuditRow(subject, title, need_id, is_clause, marks, day, record_id, out, state)


def state_text(row: AuditRow) -> str:
    """The row's state in words: ``covered``, ``due soon: falls out on DATE``, ``gap: not audited since
    DATE`` or ``gap: never audited``."""
    if row.state is AuditState.COVERED:
        return "covered"
    if row.state is AuditState.DUE_SOON:
        return f"due soon: falls out on {row.falls_out}"
    return f"gap: not audited since {row.last}" if row.last else "gap: never audited"


def gap_findings(result: AuditCoverage | None) -> list[Finding]:
    """``audit-coverage-gap`` for every clause and procedure not audited within the cycle."""
    if result is None:
        return []
    rt, cycle = result.record_type, months_text(result.cycle_months)
    findings = []
    for row in result.rows:
        if row.state is not AuditState.GAP:
            continue
        what = f"clause {row.subject} ({row.title})" if row.is_clause else f"procedure {row.subject} ({row.title})"
        when = (
            f"last audited on {row.last} ({row.last_audit}), which counted until {row.falls_out}"
            if row.last else "never audited"
        )  # fmt: skip
        findings.append(
            Finding(rt.source.path, rt.line_of("kind"), Code.AUDIT_COVERAGE_GAP, row.need_id,
                    f"{what} has not been audited within the audit cycle of {cycle}: {when}; plan it into the audit "
                    f"programme and name it under 'audited:' in the report of the audit that covers it")
        )  # fmt: skip
    return findings
