"""Record schedules: periods, due dates and the state of every period.

Pure functions. A scheduled record type has periods from the one that contains
its start date to the one that contains today:

- ``monthly``, ``quarterly``, ``half-yearly``, ``yearly`` follow the calendar
  (quarters start in January, April, July, October; half-years in January and
  July), labelled ``2026-09``, ``2026-Q3``, ``2026-H2``, ``2026``;
- ``every N months`` counts N months from the first day of the start month;
  each period is labelled by its first month (``2026-03``).

A period's record is due ``grace`` days after the period ends. Each period is
``present`` (a record covers it; ``late`` if it was produced after the due
date), ``missing`` (the due date has passed without a record), ``due`` (ended,
still within grace) or ``open`` (not ended). A *per event* record type has no
periods: it needs one record within a rolling window.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from clausewise.core.dates import add_months
from clausewise.core.model import Cadence, Record

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

NAMED = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


class PeriodState(StrEnum):
    PRESENT = "present"
    LATE = "late"
    MISSING = "missing"
    DUE = "due"
    OPEN = "open"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    label: str


def _label(cadence: Cadence, start: date) -> str:
    if cadence.text == "quarterly":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if cadence.text == "half-yearly":
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    if cadence.text == "yearly":
        return f"{start.year}"
    return f"{start.year}-{start.month:02d}"


def _anchor(cadence: Cadence, start: date) -> date:
    """The first day of the schedule's first period."""
    if cadence.text in NAMED:
        n = NAMED[cadence.text]
        return date(start.year, (start.month - 1) // n * n + 1, 1)
    return date(start.year, start.month, 1)


def _months(cadence: Cadence) -> int:
    if cadence.months is None:
        raise ValueError("a per-event cadence has no periods")
    return cadence.months


def period_containing(cadence: Cadence, start: date, day: date) -> Period:
    """The period of the schedule that begins at ``start`` and contains ``day``."""
    n = _months(cadence)
    anchor = _anchor(cadence, start)
    elapsed = (day.year - anchor.year) * 12 + day.month - anchor.month
    first = add_months(anchor, elapsed // n * n)
    return Period(first, add_months(first, n) - timedelta(days=1), _label(cadence, first))


def schedule(cadence: Cadence, start: date, until: date) -> list[Period]:
    """Every period from the one containing ``start`` to the one containing ``until``."""
    if until < start:
        return []
    n = _months(cadence)
    periods = []
    current = _anchor(cadence, start)
    while current <= until:
        nxt = add_months(current, n)
        periods.append(Period(current, nxt - timedelta(days=1), _label(cadence, current)))
        current = nxt
    return periods


def parse_period(text: str, cadence: Cadence, start: date) -> Period | str:
    """The period a record's ``period:`` names, or why it cannot be one."""
    text = text.strip()
    expected = {
        "monthly": "a month such as 2026-09",
        "quarterly": "a quarter such as 2026-Q3",
        "half-yearly": "a half-year such as 2026-H2",
        "yearly": "a year such as 2026",
    }.get(cadence.text, f"the first month of a period, such as {_label(cadence, _anchor(cadence, start))}")
    first: date | None = None
    if m := _MONTH.match(text):
        if 1 <= int(m.group(2)) <= 12:
            first = date(int(m.group(1)), int(m.group(2)), 1)
    elif m := _QUARTER.match(text):
        first = date(int(m.group(1)), (int(m.group(2)) - 1) * 3 + 1, 1)
    elif m := _HALF.match(text):
        first = date(int(m.group(1)), (int(m.group(2)) - 1) * 6 + 1, 1)
    elif m := _YEAR.match(text):
        first = date(int(m.group(1)), 1, 1)
    if first is None:
        return f"'{text}' is not a period; expected {expected}"
    period = period_containing(cadence, start, first)
    if period.start != first or period.label != text:
        return f"'{text}' is not a period of a {cadence.text} schedule; expected {expected}"
    return period


def parse_event_date(text: str) -> date | None:
    if not _DATE.match(text.strip()):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    state: PeriodState
    due: date
    records: tuple[Record, ...]


def due_date(period: Period, grace_days: int) -> date:
    return period.end + timedelta(days=grace_days)


def period_states(
    periods: Sequence[Period], records_by_period: dict[Period, list[Record]], grace_days: int, today: date
) -> list[PeriodStatus]:
    """The state of every period (exactly one each)."""
    out = []
    for period in periods:
        due = due_date(period, grace_days)
        records = tuple(sorted(records_by_period.get(period, ()), key=lambda r: (r.produced or date.max, r.id)))
        if records:
            first = records[0].produced
            state = PeriodState.LATE if first is not None and first > due else PeriodState.PRESENT
        elif today > due:
            state = PeriodState.MISSING
        elif today > period.end:
            state = PeriodState.DUE
        else:
            state = PeriodState.OPEN
        out.append(PeriodStatus(period, state, due, records))
    return out


@dataclass(frozen=True)
class EventStatus:
    """A per-event record type: is there a record within the window?"""

    state: PeriodState  # PRESENT, MISSING or OPEN (the window has not elapsed since the start)
    latest: date | None
    window_start: date
    required_since: date


def event_state(start: date, window_months: int, event_dates: Iterable[date], today: date) -> EventStatus:
    window_start = add_months(today, -window_months)
    required_since = add_months(start, window_months)
    latest = max((d for d in event_dates if d <= today), default=None)
    if latest is not None and latest >= window_start:
        state = PeriodState.PRESENT
    elif today >= required_since:
        state = PeriodState.MISSING
    else:
        state = PeriodState.OPEN
    return EventStatus(state, latest, window_start, required_since)
