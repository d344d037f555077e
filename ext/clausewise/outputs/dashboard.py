"""The dashboard's numbers and charts: pure functions, charts as inline SVG.

SVG is made at build time, so the dashboard works offline, in any browser, and
in a PDF of the handbook; nothing is fetched or drawn by script.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from html import escape

from clausewise.core.dates import add_months
from clausewise.core.model import GovernedDocument
from clausewise.rules.actions import Action
from clausewise.rules.coverage import ClauseCoverage, Coverage
from clausewise.rules.evidence import RecordTypeStatus
from clausewise.rules.periods import PeriodState
from clausewise.rules.staleness import Review, ReviewState

COLOURS = {
    "covered": "#2e7d32", "covered with gaps": "#9e9d24",
    "records missing": "#ef6c00", "declared only": "#f9a825", "uncovered": "#c62828",
    "current": "#2e7d32", "due soon": "#f9a825", "overdue": "#c62828", "changed since review": "#ef6c00",
    "present": "#2e7d32", "late": "#f9a825", "missing": "#c62828", "due": "#ef6c00", "open": "#90a4ae",
}  # fmt: skip


def coverage_counts(rows: Iterable[ClauseCoverage]) -> dict[str, int]:
    counted = Counter(r.status.value for r in rows)
    # "not applicable" only where a handbook excludes controls: a single-standard chart stays as it was
    shown = (s for s in Coverage if s is not Coverage.NOT_APPLICABLE or counted.get(s.value))
    return {s.value: counted.get(s.value, 0) for s in shown}


def review_counts(reviews: Iterable[Review]) -> dict[str, int]:
    """Approved documents by review state; a document changed since its review counts there
    (whatever severity, if any, ``changed-since-review`` is reported with)."""
    counts = {"current": 0, "due soon": 0, "overdue": 0, "changed since review": 0}
    for r in reviews:
        if r.state in (ReviewState.DRAFT, ReviewState.RETIRED, ReviewState.UNKNOWN):
            continue
        if r.changed_since is not None:
            counts["changed since review"] += 1
        else:
            counts[r.state.value] += 1
    return counts


def records_by_month(
    statuses: Iterable[RecordTypeStatus], today: date, months: int = 12
) -> list[tuple[str, dict[str, int]]]:
    """For each of the last ``months`` months, the periods that ended in it, by state."""
    first = add_months(date(today.year, today.month, 1), -(months - 1))
    buckets = [add_months(first, n) for n in range(months)]
    out: list[tuple[str, dict[str, int]]] = [(f"{b:%Y-%m}", dict.fromkeys(_RECORD_STATES, 0)) for b in buckets]
    index = {(b.year, b.month): n for n, b in enumerate(buckets)}
    for s in statuses:
        for p in s.periods:
            n = index.get((p.period.end.year, p.period.end.month))
            if n is not None:
                out[n][1][p.state.value] += 1
    return out


_RECORD_STATES = [
    s.value for s in (PeriodState.PRESENT, PeriodState.LATE, PeriodState.MISSING, PeriodState.DUE, PeriodState.OPEN)
]


class Urgency(StrEnum):
    MISSING = "record missing"
    OVERDUE = "review overdue"
    CHANGED = "changed since review"
    DUE_SOON = "review due soon"
    DUE = "record due"


@dataclass(frozen=True, order=True)
class UrgentItem:
    since: date  # the date it became (or becomes) due: oldest first
    what: Urgency
    item_id: str
    title: str
    owner: str
    detail: str


def urgent_items(reviews: Iterable[Review], statuses: Iterable[RecordTypeStatus], limit: int = 10) -> list[UrgentItem]:
    """The most urgent things to do, oldest first: missing records and overdue
    reviews, then documents changed since review, reviews due soon, records due."""
    order = list(Urgency)
    items: list[UrgentItem] = []
    for s in statuses:
        rt = s.record_type
        for p in s.periods:
            if p.state in (PeriodState.MISSING, PeriodState.DUE):
                what = Urgency.MISSING if p.state is PeriodState.MISSING else Urgency.DUE
                items.append(UrgentItem(p.due, what, rt.id, rt.title, rt.owner or "", f"period {p.period.label}"))
        if s.event is not None and s.event.state is PeriodState.MISSING:
            # missing since its latest record fell out of the window (as check and due date it),
            # or since the schedule's start plus the window when it never had one
            since = s.next_due or s.event.required_since
            detail = f"no record since {s.event.latest}" if s.event.latest else "no record yet"
            items.append(UrgentItem(since, Urgency.MISSING, rt.id, rt.title, rt.owner or "", detail))
    for r in reviews:
        d = r.document
        if r.next_due is not None and r.state in (ReviewState.OVERDUE, ReviewState.DUE_SOON):
            what = Urgency.OVERDUE if r.state is ReviewState.OVERDUE else Urgency.DUE_SOON
            items.append(UrgentItem(r.next_due, what, d.id, d.title, d.owner or "", f"last reviewed {d.reviewed}"))
        if r.changed_since is not None:
            changed = f"changed after its review of {d.reviewed}" if d.reviewed else "changed after its last review"
            items.append(UrgentItem(d.reviewed or date.max, Urgency.CHANGED, d.id, d.title, d.owner or "", changed))
    urgent_first = sorted(items, key=lambda i: (order.index(i.what) > 2, i.since, order.index(i.what), i.item_id))
    return urgent_first[:limit]


class ActivityState(StrEnum):
    ON_TRACK = "on track"
    ATTENTION = "needs attention"
    BEHIND = "behind"


@dataclass(frozen=True)
class Activity:
    name: str
    documents: tuple[str, ...]
    state: ActivityState
    reasons: tuple[str, ...]


def activities(
    configured: Mapping[str, Sequence[str]],
    documents: Mapping[str, GovernedDocument],
    reviews: Mapping[str, Review],
    statuses: Mapping[str, RecordTypeStatus],
) -> list[Activity]:
    """The state of each recurring activity: behind when a review is overdue or a
    record missing, needs attention when one is due soon or due, else on track."""
    out = []
    for name, ids in configured.items():
        behind, attention = [], []
        for ident in ids:
            doc, review = documents.get(ident), reviews.get(ident)
            if doc is None:
                behind.append(f"{ident} is not in the handbook")
                continue
            if review is not None and review.state is ReviewState.OVERDUE:
                behind.append(f"{ident} review overdue")
            elif review is not None and review.state is ReviewState.DUE_SOON:
                attention.append(f"{ident} review due soon")
            for rt in doc.record_types:
                status = statuses.get(rt.id)
                if status is None:
                    continue
                if status.missing:
                    behind.append(f"{rt.id}: {status.missing} missing")
                elif any(p.state is PeriodState.DUE for p in status.periods):
                    attention.append(f"{rt.id} due")
        state = ActivityState.BEHIND if behind else ActivityState.ATTENTION if attention else ActivityState.ON_TRACK
        out.append(Activity(name, tuple(ids), state, tuple(behind + attention)))
    return out


def bar_svg(title: str, counts: Mapping[str, int], width: int = 400) -> str:
    """A horizontal bar per category, labelled with its count. 400 wide: the width of a
    phone's page, where it is drawn at (nearly) its own size."""
    rows = list(counts.items())
    height = 28 * len(rows) + 36
    biggest = max([v for _, v in rows] + [1])
    label_width, value_width = 170, 36
    parts = [_svg_open(title, width, height), f'<text x="0" y="16" class="cw-chart-title">{escape(title)}</text>']
    for n, (label, value) in enumerate(rows):
        y = 30 + n * 28
        bar = int((width - label_width - value_width) * value / biggest)
        colour = COLOURS.get(label, "#607d8b")
        parts.append(f'<text x="0" y="{y + 15}" class="cw-chart-label">{escape(label)}</text>')
        tip = f"<title>{escape(label)}: {value}</title>"
        parts.append(f'<rect x="{label_width}" y="{y}" width="{max(bar, 1)}" height="20" fill="{colour}">{tip}</rect>')
        parts.append(f'<text x="{label_width + 6 + bar}" y="{y + 15}" class="cw-chart-value">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars_svg(title: str, series: Sequence[tuple[str, Mapping[str, int]]], width: int = 400) -> str:
    """One horizontal bar per label (a month, oldest first), stacked by state and labelled with
    its total, with a legend. Bars, not columns: twelve month labels side by side need more than
    a phone's width, one under the other they fit it."""
    states = _RECORD_STATES
    biggest = max([sum(v.values()) for _, v in series] + [1])
    # the whole month ("2025-12"): "25-12" reads as a day of a month
    label_width, value_width, row, top = 66, 36, 22, 30
    legend_y = top + row * len(series) + 12
    height = legend_y + 20
    parts = [_svg_open(title, width, height), f'<text x="0" y="16" class="cw-chart-title">{escape(title)}</text>']
    for n, (label, values) in enumerate(series):
        y = top + n * row
        parts.append(f'<text x="0" y="{y + 13}" class="cw-chart-tick">{escape(label)}</text>')
        x: float = label_width
        for state in states:
            value = values.get(state, 0)
            if not value:
                continue
            w = (width - label_width - value_width) * value / biggest
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="16" fill="{COLOURS[state]}">'
                f"<title>{escape(label)} {state}: {value}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 13}" class="cw-chart-value">{sum(values.values())}</text>')
    for n, state in enumerate(states):
        x = n * 78
        parts.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{COLOURS[state]}"/>')
        parts.append(f'<text x="{x + 16}" y="{legend_y + 11}" class="cw-chart-label">{state}</text>')
    parts.append("</svg>")
    return "".join(parts)


#: the size of a chart's text in its own units; the title's (CSS class cw-chart-title) is no smaller
CHART_FONT_PX = 13
#: the smallest text a chart may show on screen: a chart is never drawn narrower than makes its text this size
LEGIBLE_FONT_PX = 11


def _svg_open(title: str, width: int, height: int) -> str:
    # up to its own width on a wide page, shrunk to fit a narrow one, but never below the
    # width at which its text is LEGIBLE_FONT_PX: narrower than that, its figure scrolls
    min_width = -(-width * LEGIBLE_FONT_PX // CHART_FONT_PX)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="clausewise-chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'style="max-width:100%;min-width:{min_width}px;height:auto;font-family:sans-serif;font-size:{CHART_FONT_PX}px">'
    )


@dataclass(frozen=True, order=True)
class DueItem:
    due: date
    what: str  # "review", "record" or "action"
    item_id: str
    title: str
    owner: str
    overdue: bool
    #: a record whose retention has ended: ``due`` is the first day it may be disposed of
    disposal: bool = False


def due_items(
    reviews: Iterable[Review],
    statuses: Iterable[RecordTypeStatus],
    today: date,
    within_days: int,
    actions: Iterable[Action] = (),
) -> list[DueItem]:
    """Reviews and records that are overdue or due within ``within_days``, records that may be
    disposed of by then (their retention ended), and open ``actions`` due by then, by date."""
    until = date.fromordinal(today.toordinal() + within_days)
    items: list[DueItem] = []
    for r in reviews:
        d = r.document
        if r.next_due is not None and r.next_due <= until:
            items.append(DueItem(r.next_due, "review", d.id, d.title, d.owner or "", r.next_due < today))
    for s in statuses:
        rt = s.record_type
        for p in s.periods:
            if p.state in (PeriodState.MISSING, PeriodState.DUE, PeriodState.OPEN) and p.due <= until:
                items.append(
                    DueItem(p.due, "record", rt.id, f"{rt.title} {p.period.label}", rt.owner or "", p.due < today)
                )
        if s.event is not None and s.next_due is not None and s.next_due <= until:
            items.append(DueItem(s.next_due, "record", rt.id, rt.title, rt.owner or "", s.next_due < today))
        for expired in s.due_for_disposal:
            record = expired.record
            title = f"{record.title} ({rt.id} {record.period})"
            items.append(DueItem(expired.disposable_from, "record", record.id, title, rt.owner or "", False, True))
    for action in actions:
        if action.is_open and action.due is not None and action.due <= until:
            items.append(
                DueItem(action.due, "action", action.id, action.record.title, action.owner or "", action.due < today)
            )
    return sorted(items)
