"""The management dashboard's numbers: one page a top-management reader understands in a minute.

Five short parts, each a summary of a detail page elsewhere: service levels (each
service's metric, its latest period against target and the misses of the audit window),
the critical suppliers and the contracts about to end, customer satisfaction, open
actions, and what is overdue. Gathered here, from the rules' own functions, as a pure
function of the handbook, ``today`` and the settings (:func:`management_summary`);
drawn by :mod:`clausewise.sphinxext.management_page`.

Values from a record the build's audience may not read (``withheld``) are left out,
as its page is: a metric's points from such records are counted, not shown, and an
overdue action's title is not named.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from clausewise.core.model import Handbook, RecordKind
from clausewise.outputs.dashboard import DueItem, due_items
from clausewise.rules import actions, customers, measurements, suppliers
from clausewise.rules.evidence import RecordTypeStatus
from clausewise.rules.staleness import Review

#: How many overdue items the page names (the rest are counted): a minute's reading.
TOP_OVERDUE = 5

#: The kinds of overdue item, in the order the page counts them.
OVERDUE_KINDS = ("review", "record", "action", "supplier review")


@dataclass(frozen=True)
class MetricLevel:
    """One service's metric: the points the audience may read (oldest first), the latest of them
    against its target, and the misses among the periods measured in the audit window."""

    series: measurements.Series
    shown: tuple[measurements.MeasuredPoint, ...]
    withheld: int  # points from records the audience may not read: counted, not shown
    measured_in_window: int
    missed_in_window: int

    @property
    def latest(self) -> measurements.MeasuredPoint | None:
        return self.shown[-1] if self.shown else None


@dataclass(frozen=True)
class Satisfaction:
    """Customer satisfaction: each survey record type's series and the open complaints."""

    series: tuple[customers.SatisfactionSeries, ...]
    open_complaints: int
    unanswered: int  # open and not answered within clausewise_complaint_response_days
    has_complaint_type: bool


@dataclass(frozen=True)
class ManagementSummary:
    """What the management dashboard shows; a part is ``None`` when the handbook has nothing of it
    (no service, no supplier, no survey or complaint record type, no action record type)."""

    today: date
    window_months: int
    service_levels: tuple[MetricLevel, ...] | None
    #: the approved suppliers of the highest criticality, and any whose contract is expiring or expired
    key_suppliers: tuple[suppliers.SupplierStatus, ...] | None
    highest_criticality: str | None
    satisfaction: Satisfaction | None
    actions: actions.ActionSummary | None
    #: everything overdue, by due date (reviews, record periods, actions, supplier reviews)
    overdue: tuple[DueItem, ...]

    def overdue_counts(self) -> dict[str, int]:
        """Overdue items by kind, in :data:`OVERDUE_KINDS` order."""
        return {kind: sum(1 for i in self.overdue if i.what == kind) for kind in OVERDUE_KINDS}

    @property
    def top_overdue(self) -> tuple[DueItem, ...]:
        return self.overdue[:TOP_OVERDUE]


def _metric_levels(
    handbook: Handbook, today: date, window_months: int, withheld: Collection[str]
) -> tuple[MetricLevel, ...]:
    out = []
    for level in measurements.service_levels(handbook, today, window_months):
        shown = tuple(p for p in level.series.points if p.record_id not in withheld)
        in_window = [p for p in level.series.in_window(today, window_months) if p.record_id not in withheld]
        out.append(
            MetricLevel(
                level.series, shown, len(level.series.points) - len(shown),
                len(in_window), sum(1 for p in in_window if p.met is False),
            )
        )  # fmt: skip
    return tuple(out)


def _key_suppliers(
    statuses: Iterable[suppliers.SupplierStatus], highest: str | None
) -> tuple[suppliers.SupplierStatus, ...]:
    """The approved suppliers of the highest criticality or with a contract ending within the notice
    period (or ended), the soonest contract end first (those without an end last)."""
    key = [s for s in statuses if s.active and (s.criticality == highest or s.expiring or s.expired)]
    return tuple(sorted(key, key=lambda s: (s.contract_end or date.max, s.supplier.id)))


def _supplier_reviews_overdue(statuses: Iterable[suppliers.SupplierStatus]) -> list[DueItem]:
    return [
        DueItem(s.next_review_due, "supplier review", s.supplier.id, s.supplier.title, s.supplier.owner or "", True)
        for s in statuses
        if s.review_overdue and s.next_review_due is not None
    ]


def management_summary(
    handbook: Handbook,
    reviews: Iterable[Review],
    record_statuses: Iterable[RecordTypeStatus],
    today: date,
    *,
    window_months: int,
    supplier_review: dict[str, int | None],
    contract_notice_days: int,
    complaint_response_days: int,
    withheld: Collection[str] = frozenset(),
) -> ManagementSummary:
    """The management dashboard's numbers on ``today``: ``reviews`` and ``record_statuses`` are the
    build's (``BuildResult.reviews``, ``.records``), the keywords the settings of the same names
    (``clausewise_audit_window``, ``_supplier_review``, ``_contract_notice_days``,
    ``_complaint_response_days``), ``withheld`` the ids of the records the audience may not read."""
    levels = _metric_levels(handbook, today, window_months, withheld)
    statuses = suppliers.supplier_statuses(handbook, today, supplier_review, contract_notice_days)
    highest = next(iter(supplier_review), None)
    record_kinds = {rt.kind for rt in handbook.record_types}
    satisfaction = None
    if record_kinds & {RecordKind.SURVEY, RecordKind.COMPLAINT}:
        rows = customers.complaint_register(handbook, today, complaint_response_days, withheld)
        still_open = [c for c in rows if c.open]
        satisfaction = Satisfaction(
            tuple(customers.satisfaction_series(handbook, withheld)),
            len(still_open),
            sum(1 for c in still_open if c.state is customers.ComplaintState.UNANSWERED),
            RecordKind.COMPLAINT in record_kinds,
        )
    all_actions = actions.actions(handbook)
    has_action_type = RecordKind.ACTION in record_kinds
    overdue = [i for i in due_items(reviews, record_statuses, today, 0, all_actions) if i.overdue and not i.disposal]
    # an action the audience may not read is named by its id only, as in the action register
    overdue = [
        DueItem(i.due, i.what, i.item_id, "withheld", i.owner, True) if i.what == "action" and i.item_id in withheld
        else i
        for i in overdue
    ]  # fmt: skip
    overdue += _supplier_reviews_overdue(statuses)
    return ManagementSummary(
        today=today,
        window_months=window_months,
        service_levels=levels if measurements.services(handbook) else None,
        key_suppliers=_key_suppliers(statuses, highest) if statuses else None,
        highest_criticality=highest,
        satisfaction=satisfaction,
        actions=actions.summary(all_actions, today) if has_action_type else None,
        overdue=tuple(sorted(overdue)),
    )
