"""The next management review, as the dashboard shows it: when it is due and what it must cover.

For each record type of kind ``management-review``: the period its next review is for and
the day it is due (from the record type's schedule, as ``rules.evidence`` states it), the last
review, and every input the record type lists (``inputs:``) with, where the input names one
(``count:``), the number the handbook itself knows for it. The handbook knows only what it
holds: open actions (records of kind ``action`` without ``closed``), audit reports produced since
the last review (records of kind ``audit``), documents whose review is overdue or due soon,
and record periods missing today. Everything else an input asks for (customer feedback,
performance) is in the organisation's own records and prose, for the presenters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from clausewise.core.model import Handbook, InputCount, Record, RecordKind, RecordStatus, RecordType, ReviewInput
from clausewise.rules.actions import actions
from clausewise.rules.evidence import RecordTypeStatus
from clausewise.rules.periods import PeriodState, due_date, following_period
from clausewise.rules.review_inputs import review_inputs
from clausewise.rules.staleness import Review, ReviewState


@dataclass(frozen=True)
class AgendaItem:
    input: ReviewInput
    #: the number the handbook knows for it, in words ("3 open, 1 past its due day"); None: none
    count: str | None
    #: the last review did not cover it
    skipped_last: bool


@dataclass(frozen=True)
class NextReview:
    record_type: RecordType
    #: the label of the period the next review is for (None: per event)
    period: str | None
    due: date | None
    #: its period's due day has passed without a review
    overdue: bool
    #: the latest current review (None: none yet)
    last: Record | None
    items: tuple[AgendaItem, ...]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _of_kind(handbook: Handbook, kind: RecordKind) -> list[Record]:
    types = {rt.id for rt in handbook.record_types if rt.kind is kind}
    return [r for r in handbook.records if r.record_type in types and r.status is RecordStatus.CURRENT]


def _count(
    what: InputCount,
    handbook: Handbook,
    statuses: Iterable[RecordTypeStatus],
    reviews: Iterable[Review],
    since: date | None,
    today: date,
) -> str:
    after = f"since the last review ({since})" if since else "so far"
    if what is InputCount.OPEN_ACTIONS:
        # the action register's reading of the actions, so the two never count differently
        still_open = [a for a in actions(handbook) if a.is_open]
        late = sum(1 for a in still_open if a.days_overdue(today) > 0)
        return (
            f"{_plural(len(still_open), 'open action')}, {late} past {'its' if len(still_open) == 1 else 'their'} "
            f"due day"
        )
    if what is InputCount.AUDIT_REPORTS:
        produced = [
            r for r in _of_kind(handbook, RecordKind.AUDIT) if since is None or (r.produced or date.min) > since
        ]
        return f"{_plural(len(produced), 'audit report')} {after}"
    if what is InputCount.DOCUMENT_REVIEWS:
        states = [r.state for r in reviews]
        overdue, soon = states.count(ReviewState.OVERDUE), states.count(ReviewState.DUE_SOON)
        return f"{_plural(overdue, 'document')} overdue for review, {soon} due soon"
    missing = sum(s.missing for s in statuses)
    return f"{_plural(missing, 'record period')} missing"


def next_reviews(
    handbook: Handbook,
    statuses: Mapping[str, RecordTypeStatus],
    reviews: Iterable[Review],
    today: date,
) -> list[NextReview]:
    """The next review of each record type of kind ``management-review`` whose cadence can be read, in
    page order (a per-event one: due when its window says, for no period)."""
    reviews = list(reviews)
    out = []
    for rt in handbook.record_types:
        status = statuses.get(rt.id)
        if rt.kind is not RecordKind.MANAGEMENT_REVIEW or status is None or rt.cadence is None:
            continue
        waiting = [p for p in status.periods if p.state in (PeriodState.MISSING, PeriodState.DUE, PeriodState.OPEN)]
        period, due, overdue = None, status.next_due, False
        if waiting:
            first = min(waiting, key=lambda p: p.due)
            period, due, overdue = first.period.label, first.due, first.state is PeriodState.MISSING
        elif status.periods:
            following = following_period(rt.cadence, status.periods[-1].period)
            if following is not None:
                period, due = following.label, due_date(following, rt.grace_days)
        last = max(status.records, key=lambda r: (r.produced or date.min, r.period or ""), default=None)
        skipped = {i.key for i in review_inputs(rt, last).skipped} if last is not None else set()
        since = last.produced if last is not None else None
        items = tuple(
            AgendaItem(i, _count(i.count, handbook, statuses.values(), reviews, since, today) if i.count else None,
                       i.key in skipped)
            for i in rt.inputs
        )  # fmt: skip
        out.append(NextReview(rt, period, due, overdue, last, items))
    return out
