"""Record schedules: periods, due dates and the state of every period.

Pure functions. A scheduled record type has periods from the one that contains
its start date to the one that contains today:

- ``monthly``, ``quarterly``, ``half-yearly``, ``yearly`` follow the calendar
  (quarters start in January, April, July, October; half-years in January and
  July), labelled ``2026-09``, ``2026-Q3``, ``2026-H2``, ``2026``;
- ``every N months`` counts N months from the first day of the start month;
  each period is labelled by its first month (``2026-03``);
- ``weekly`` follows ISO weeks (Monday to Sunday), labelled by ISO year and
  week: ``2026-W42``; a week belongs to the ISO year of its Thursday, so
  2026-12-28 to 2027-01-03 is ``2026-W53`` and 2024-12-30 is in ``2025-W01``;
- ``every N weeks`` counts N weeks from the Monday of the week containing the
  start; each period is labelled by the ISO week it starts in (``2026-W23``);
- ``daily`` has one period per day, labelled by its date: ``2026-10-12``.

A schedule lists at most the periods of the last :data:`SCHEDULE_YEARS` years
before today: a start further back (a typo, or a long-running system) would
otherwise list hundreds of thousands of daily periods; ``rules.evidence`` says
so in a ``schedule-shortened`` finding. All arithmetic is safe to the ends of
the calendar: a period that would run past 9999-12-31 ends there.

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

from clausewise.core.dates import add_days, add_months, parse_date
from clausewise.core.model import Cadence, PeriodUnit, Record

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: the calendar-aligned cadences counted in months, and their lengths
NAMED = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}
_DAYS_PER_UNIT = {PeriodUnit.WEEK: 7, PeriodUnit.DAY: 1}
#: How many years before today a schedule reaches back, at most.
SCHEDULE_YEARS = 10


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


def iso_week_label(day: date) -> str:
    """The ISO week ``day`` lies in, as ``2026-W42``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def iso_weeks_in(year: int) -> int:
    """52 or 53: 28 December always lies in its year's last ISO week."""
    return date(year, 12, 28).isocalendar().week


def _label(cadence: Cadence, start: date) -> str:
    if cadence.unit is PeriodUnit.DAY:
        return start.isoformat()
    if cadence.unit is PeriodUnit.WEEK:
        return iso_week_label(start)
    if cadence.text == "quarterly":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if cadence.text == "half-yearly":
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    if cadence.text == "yearly":
        return f"{start.year}"
    return f"{start.year}-{start.month:02d}"


def _anchor(cadence: Cadence, start: date) -> date:
    """The first day of the schedule's first period."""
    if cadence.unit is PeriodUnit.DAY:
        return start
    if cadence.unit is PeriodUnit.WEEK:
        return start - timedelta(days=start.weekday())
    if cadence.text in NAMED:
        n = NAMED[cadence.text]
        return date(start.year, (start.month - 1) // n * n + 1, 1)
    return date(start.year, start.month, 1)


def _length(cadence: Cadence) -> int:
    if cadence.length is None:
        raise ValueError("a per-event cadence has no periods")
    return cadence.length


def _later(cadence: Cadence, first: date, periods: int) -> date:
    """The first day of the period ``periods`` periods after the one starting on ``first``
    (held at the calendar's ends)."""
    n = _length(cadence) * periods
    if cadence.unit is PeriodUnit.MONTH:
        return add_months(first, n)
    return add_days(first, n * _DAYS_PER_UNIT[cadence.unit])


def _beyond_calendar(cadence: Cadence, first: date) -> bool:
    """Whether the period after the one starting on ``first`` would begin after 9999-12-31."""
    n = _length(cadence)
    if cadence.unit is PeriodUnit.MONTH:
        return first.year * 12 + first.month - 1 + n > date.max.year * 12 + date.max.month - 1
    return first.toordinal() + n * _DAYS_PER_UNIT[cadence.unit] > date.max.toordinal()


def _period(cadence: Cadence, first: date) -> Period:
    end = date.max if _beyond_calendar(cadence, first) else _later(cadence, first, 1) - timedelta(days=1)
    return Period(first, end, _label(cadence, first))


def period_containing(cadence: Cadence, start: date, day: date) -> Period:
    """The period of the schedule that begins at ``start`` and contains ``day``."""
    n = _length(cadence)
    anchor = _anchor(cadence, start)
    if cadence.unit is PeriodUnit.MONTH:
        index = ((day.year - anchor.year) * 12 + day.month - anchor.month) // n
    else:
        index = (day - anchor).days // (n * _DAYS_PER_UNIT[cadence.unit])
    return _period(cadence, _later(cadence, anchor, index))


def following_period(cadence: Cadence, period: Period) -> Period | None:
    """The period after ``period`` on its schedule; None past the calendar's end."""
    if period.end == date.max:
        return None
    return _period(cadence, period.end + timedelta(days=1))


def schedule_begins(start: date, until: date) -> date:
    """The day whose period is a schedule's first: ``start``, or the day
    :data:`SCHEDULE_YEARS` years before ``until`` when that is later."""
    return max(start, add_months(until, -12 * SCHEDULE_YEARS))


def schedule(cadence: Cadence, start: date, until: date) -> list[Period]:
    """Every period from the one containing ``start`` (or :func:`schedule_begins`)
    to the one containing ``until``, periods counted from ``start`` either way."""
    if until < start:
        return []
    periods = [period_containing(cadence, start, schedule_begins(start, until))]
    while periods[-1].end < until:
        periods.append(_period(cadence, periods[-1].end + timedelta(days=1)))
    return periods


def expected_period(cadence: Cadence, start: date) -> str:
    """What a record's ``period:`` looks like on this schedule, for messages."""
    named = {
        "daily": "a date such as 2026-10-12",
        "weekly": "an ISO week such as 2026-W42",
        "monthly": "a month such as 2026-09",
        "quarterly": "a quarter such as 2026-Q3",
        "half-yearly": "a half-year such as 2026-H2",
        "yearly": "a year such as 2026",
    }
    if cadence.text in named:
        return named[cadence.text]
    first = _period(cadence, _anchor(cadence, start))
    if cadence.unit is PeriodUnit.WEEK:
        second = _period(cadence, add_days(first.end, 1))
        return f"the ISO week a period starts in, such as {first.label} or {second.label}"
    return f"the first month of a period, such as {first.label}"


def _first_day(text: str) -> date | str | None:
    """The first day of the period ``text`` names in any cadence's notation; a reason
    when it has the shape of one but names no day of the calendar; ``None`` otherwise."""
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        return date(year, month, 1) if year >= 1 and 1 <= month <= 12 else None
    if m := _WEEK.match(text):
        year, week = int(m.group(1)), int(m.group(2))
        if year < 1 or year > 9998:
            return None
        weeks = iso_weeks_in(year)
        if not 1 <= week <= weeks:
            return f"{text!r} is not an ISO week: {year} has {weeks} weeks, {year}-W01 to {year}-W{weeks}"
        return date.fromisocalendar(year, week, 1)
    if _DATE.match(text):
        day = parse_date(text)
        return day if day is not None else f"{text!r} is not a date of the calendar"
    year_match = _QUARTER.match(text) or _HALF.match(text) or _YEAR.match(text)
    if year_match is None or int(year_match.group(1)) < 1:
        return None
    year = int(year_match.group(1))
    if m := _QUARTER.match(text):
        return date(year, (int(m.group(2)) - 1) * 3 + 1, 1)
    if m := _HALF.match(text):
        return date(year, (int(m.group(2)) - 1) * 6 + 1, 1)
    return date(year, 1, 1)


def parse_period(text: str, cadence: Cadence, start: date) -> Period | str:
    """The period a record's ``period:`` names, or why it cannot be one."""
    text = text.strip()
    expected = expected_period(cadence, start)
    first = _first_day(text)
    if first is None:
        return f"{text!r} is not a period; expected {expected}"
    if isinstance(first, str):
        return f"{first}; expected {expected}"
    period = period_containing(cadence, start, first)
    if _beyond_calendar(cadence, period.start):  # a period that would end after 9999-12-31
        return f"{text!r} is not a period; expected {expected}"
    if period.start != first or period.label != text:
        return f"{text!r} is not a period of the schedule ({cadence.text}); expected {expected}"
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
    return add_days(period.end, grace_days)


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
