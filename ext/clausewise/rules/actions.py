"""Nonconformities, corrective actions and improvements (records of a record type of kind ``action``).

An action is a record whose record type has ``kind: action`` and declares the fields
``rules/kinds.py: KIND_FIELDS`` lists for it (``raised``, ``source``, ``kind``,
``action_owner``, ``due``, ``closed``; optionally ``effectiveness_checked``,
``was_effective`` and ``follow_up``). An audit report (a record whose type declares
``nonconformities: {type: list of text}``, naturally one of kind ``audit``) lists the
nonconformities it found by id; an action names one as its ``source``.

Only current records are judged: a draft is not an action yet, a retired record is
history. The findings are the same for every audience; what a register shows of a
record the audience may not read is the renderer's business (:func:`register_rows`
says which rows are withheld).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from clausewise.core.findings import Code, Finding
from clausewise.core.model import FieldScalar, FieldType, Handbook, Record, RecordKind, RecordStatus, RecordType
from clausewise.rules.kinds import field_of

#: A nonconformity's id: a letter or digit, then letters, digits, '.', '_' or '-' (e.g. NC-2026-01).
NONCONFORMITY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: The field of an audit report that lists its nonconformities.
NONCONFORMITIES = "nonconformities"
#: The value of an action's ``kind`` field that makes it a nonconformity's action.
NONCONFORMITY = "nonconformity"


@dataclass(frozen=True)
class Nonconformity:
    """One nonconformity an audit report lists: its id, the report, the line of the id."""

    id: str
    record: Record
    line: int


@dataclass(frozen=True)
class Action:
    """An action record's fields as the rules read them (``None``: not given, or not declared as the kind reads it)."""

    record: Record
    raised: date | None
    source: str | None
    kind: str | None
    owner: str | None
    due: date | None
    closed: date | None
    effectiveness_checked: date | None
    was_effective: bool | None
    follow_up: str | None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def is_open(self) -> bool:
        return self.closed is None

    def days_overdue(self, today: date) -> int:
        """Days an open action is past its due date (0 when closed, not due yet, or without a due date)."""
        if not self.is_open or self.due is None:
            return 0
        return max(0, (today - self.due).days)

    def age(self, today: date) -> int | None:
        """Days since it was raised (until it closed, for a closed one)."""
        if self.raised is None:
            return None
        return max(0, ((self.closed or today) - self.raised).days)

    def line_of(self, name: str) -> int:
        field = self.record.field(name)
        return field.line if field is not None else self.record.source.line


def _judged(record: Record) -> bool:
    return record.status is RecordStatus.CURRENT


def _types_of_kind(handbook: Handbook, kind: RecordKind) -> dict[str, RecordType]:
    return {rt.id: rt for rt in handbook.record_types if rt.kind is kind}


def _value(record: Record, rt: RecordType, name: str) -> FieldScalar | None:
    if field_of(rt, name) is None:
        return None
    field = record.field(name)
    return field.values[0] if field is not None and field.values else None


def _date(value: FieldScalar | None) -> date | None:
    return value if isinstance(value, date) else None


def _text(value: FieldScalar | None) -> str | None:
    return None if value is None or isinstance(value, bool) else str(value)


def actions(handbook: Handbook) -> list[Action]:
    """Every current record of a record type of kind ``action``, in page order."""
    types = _types_of_kind(handbook, RecordKind.ACTION)
    found = []
    for record in handbook.records:
        rt = types.get(record.record_type or "")
        if rt is None or not _judged(record):
            continue
        effective = _value(record, rt, "was_effective")
        found.append(
            Action(
                record=record,
                raised=_date(_value(record, rt, "raised")),
                source=_text(_value(record, rt, "source")),
                kind=_text(_value(record, rt, "kind")),
                owner=_text(_value(record, rt, "action_owner")),
                due=_date(_value(record, rt, "due")),
                closed=_date(_value(record, rt, "closed")),
                effectiveness_checked=_date(_value(record, rt, "effectiveness_checked")),
                was_effective=effective if isinstance(effective, bool) else None,
                follow_up=_text(_value(record, rt, "follow_up")),
            )
        )
    return found


def _lists_nonconformities(rt: RecordType) -> bool:
    spec = next((s for s in rt.fields if s.name == NONCONFORMITIES), None)
    return spec is not None and spec.type is FieldType.TEXT and spec.many


def nonconformities(handbook: Handbook) -> list[Nonconformity]:
    """Every nonconformity that a current record lists under ``nonconformities:`` (its record type
    declaring it as a list of text), in page order, duplicates and malformed ids included."""
    listing = {rt.id for rt in handbook.record_types if _lists_nonconformities(rt)}
    found = []
    for record in handbook.records:
        if record.record_type not in listing or not _judged(record):
            continue
        field = record.field(NONCONFORMITIES)
        if field is None:
            continue
        for index, value in enumerate(field.values):
            found.append(Nonconformity(str(value), record, field.line_of_item(index)))
    return found


def nonconformity_ids(handbook: Handbook) -> frozenset[str]:
    """The well-formed nonconformity ids the handbook declares: what an ``id`` field may name besides
    a document, record type or record."""
    return frozenset(nc.id for nc in nonconformities(handbook) if NONCONFORMITY_ID.match(nc.id))


def _handbook_ids(handbook: Handbook) -> set[str]:
    documents = {d.id for d in handbook.documents}
    return documents | {rt.id for rt in handbook.record_types} | {r.id for r in handbook.records}


def nonconformity_findings(handbook: Handbook) -> list[Finding]:
    """A nonconformity id that is malformed or already an id of the handbook (``invalid-metadata``),
    one listed twice (``duplicate-id``, on the second), and one no action names as its source
    (``nonconformity-without-action``), each on the id's line."""
    taken = _handbook_ids(handbook)
    sources = {a.source for a in actions(handbook) if a.source}
    first: dict[str, Nonconformity] = {}
    findings = []
    for nc in nonconformities(handbook):
        path, rid = nc.record.source.path, nc.record.id
        if not NONCONFORMITY_ID.match(nc.id):
            findings.append(
                Finding(path, nc.line, Code.INVALID_METADATA, rid,
                        f"nonconformities: {nc.id!r} is not a nonconformity id; expected letters, digits, '.', "
                        f"'_' or '-', starting with a letter or digit, e.g. NC-2026-01")
            )  # fmt: skip
        elif nc.id in taken:
            findings.append(
                Finding(path, nc.line, Code.INVALID_METADATA, rid,
                        f"nonconformities: {nc.id!r} is already the id of a document, record type or record; "
                        f"give the nonconformity an id of its own, e.g. NC-{nc.id}")
            )  # fmt: skip
        elif nc.id in first:
            other = first[nc.id]
            findings.append(
                Finding(path, nc.line, Code.DUPLICATE_ID, rid,
                        f"nonconformities: {nc.id!r} is already listed by {other.record.id} "
                        f"({other.record.source.path}:{other.line}); give each nonconformity an id of its own")
            )  # fmt: skip
        else:
            first[nc.id] = nc
            if nc.id not in sources:
                findings.append(
                    Finding(path, nc.line, Code.NONCONFORMITY_WITHOUT_ACTION, rid,
                            f"nonconformity {nc.id} of {rid} is named by no action's source; record the action "
                            f"that corrects it, with 'source: {nc.id}'")
                )  # fmt: skip
    return findings


def action_findings(handbook: Handbook, today: date, effectiveness_days: int) -> list[Finding]:
    """The rules of each action: overdue, effectiveness unchecked, and its fields' consistency
    (``invalid-metadata``: closed before raised, checked before closed or while open, not effective
    without a follow-up, an owner that is no role, a follow-up that is no action)."""
    roles = handbook.roles()
    all_actions = actions(handbook)
    action_ids = {a.id for a in all_actions}
    known = _handbook_ids(handbook)
    findings = []

    def bad(action: Action, name: str, message: str) -> None:
        findings.append(
            Finding(action.record.source.path, action.line_of(name), Code.INVALID_METADATA, action.id, message)
        )

    for action in all_actions:
        if action.owner is not None and action.owner in known and action.owner not in roles:
            bad(action, "action_owner",
                f"action_owner: {action.owner!r} is not a role; name the role that owns the action "
                f"(one of {', '.join(sorted(roles)) or 'no role yet'})")  # fmt: skip
        if action.closed is not None and action.raised is not None and action.closed < action.raised:
            bad(action, "closed",
                f"closed: {action.closed.isoformat()} is before the action was raised on {action.raised.isoformat()}; "
                f"expected a day on or after 'raised'")  # fmt: skip
        checked = action.effectiveness_checked
        if checked is not None and action.closed is None:
            bad(action, "effectiveness_checked",
                f"effectiveness_checked: {checked.isoformat()} but the action is not closed; write the day it "
                f"closed under 'closed', or remove the check")  # fmt: skip
        elif checked is not None and action.closed is not None and checked < action.closed:
            bad(action, "effectiveness_checked",
                f"effectiveness_checked: {checked.isoformat()} is before the action closed on "
                f"{action.closed.isoformat()}; expected a day on or after 'closed'")  # fmt: skip
        if action.was_effective is False and action.follow_up is None:
            bad(action, "was_effective",
                "was_effective: no, but no follow_up names the action that takes over; raise a new action and "
                "name it under 'follow_up'")  # fmt: skip
        if action.follow_up is not None and action.follow_up in known and action.follow_up not in action_ids:
            bad(
                action,
                "follow_up",
                f"follow_up: {action.follow_up!r} is not an action; name the action record that follows this one",
            )
        overdue = action.days_overdue(today)
        if overdue > 0 and action.due is not None:
            owner = action.owner or "no owner"
            findings.append(
                Finding(action.record.source.path, action.line_of("due"), Code.ACTION_OVERDUE, action.id,
                        f"{action.id} {action.record.title} is open {overdue} days after its due date "
                        f"{action.due.isoformat()} (owner {owner}); close it (closed: the day) or agree a new due date")
            )  # fmt: skip
        if (
            action.kind == NONCONFORMITY
            and action.closed is not None
            and checked is None
            and (today - action.closed).days > effectiveness_days
        ):
            findings.append(
                Finding(action.record.source.path, action.line_of("closed"), Code.ACTION_EFFECTIVENESS_UNCHECKED,
                        action.id,
                        f"{action.id} {action.record.title} closed a nonconformity on {action.closed.isoformat()}, "
                        f"{(today - action.closed).days} days ago, and its effectiveness was never checked (due within "
                        f"{effectiveness_days} days); check it and write 'effectiveness_checked' and 'was_effective'")
            )  # fmt: skip
    return findings


@dataclass(frozen=True)
class RegisterRow:
    """One action in the register: open ones first (the most overdue first, then by due date), then closed
    ones (the latest closed first). ``withheld``: the audience may not read the record, so only its id shows."""

    action: Action
    days_overdue: int
    withheld: bool


def register_rows(all_actions: Sequence[Action], today: date, withheld: Collection[str] = ()) -> list[RegisterRow]:
    """The action register's rows in order (see :class:`RegisterRow`)."""
    open_ = [a for a in all_actions if a.is_open]
    closed = [a for a in all_actions if not a.is_open]
    open_.sort(key=lambda a: (-a.days_overdue(today), a.due or date.max, a.id))
    closed.sort(key=lambda a: (-(a.closed or date.min).toordinal(), a.id))
    return [RegisterRow(a, a.days_overdue(today), a.id in withheld) for a in open_ + closed]


@dataclass(frozen=True)
class ActionSummary:
    """The dashboard's numbers on actions: open, overdue, and the open ones' ages in days since raised."""

    open: int
    overdue: int
    oldest_open_days: int | None
    median_open_days: int | None


def summary(all_actions: Iterable[Action], today: date) -> ActionSummary:
    open_ = [a for a in all_actions if a.is_open]
    ages = sorted(age for a in open_ if (age := a.age(today)) is not None)
    return ActionSummary(
        open=len(open_),
        overdue=sum(1 for a in open_ if a.days_overdue(today) > 0),
        oldest_open_days=ages[-1] if ages else None,
        median_open_days=ages[(len(ages) - 1) // 2] if ages else None,  # the lower median: a day that is an age
    )


def open_actions_of(all_actions: Iterable[Action], role: str) -> list[Action]:
    """A role's open actions, by due date."""
    return sorted((a for a in all_actions if a.is_open and a.owner == role), key=lambda a: (a.due or date.max, a.id))
