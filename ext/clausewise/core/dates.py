"""Dates as owners write them, and the calendar arithmetic the rules share. Pure functions."""

from __future__ import annotations

import calendar
import re
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, clamped to the end of a shorter month:
    2026-01-31 + 1 month is 2026-02-28; 2024-02-29 + 12 months is 2025-02-28.

    Never raises: a result before 0001-01-01 or after 9999-12-31 is that day
    (``date.min``, ``date.max``), so arithmetic on a hostile date gives an
    answer the range checks of :func:`date_problem` then report."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``; like :func:`add_months`, held at ``date.min``/``date.max``."""
    ordinal = day.toordinal() + days
    if ordinal < date.min.toordinal():
        return date.min
    if ordinal > date.max.toordinal():
        return date.max
    return date.fromordinal(ordinal)


def months_text(months: int) -> str:
    """A number of months as an owner says it: 1 is ``1 month``, 12 ``12 months``, 24 ``2 years``."""
    if months % 12 == 0 and months > 12:
        return f"{months // 12} years"
    return f"{months} month" + ("s" if months != 1 else "")


DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> date | None:
    """A ``YYYY-MM-DD`` date, or ``None`` if ``text`` is not a real one."""
    if not DATE_SHAPE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


#: The days clausewise judges by, and the days any date it reads may name
#: (``today``, a front matter's ``effective``, ``reviewed``, ``produced`` or
#: ``start``, a date setting): a date outside them is a typo, and the schedules
#: and review dates counted from it would run off the calendar (which ends on
#: 9999-12-31). Added to the longest interval (:data:`MAX_INTERVAL_MONTHS`) or
#: grace, the latest stays far from that end.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2999, 12, 31)
#: The longest review interval or per-event window: ten years (a longer one is a typo).
MAX_INTERVAL_MONTHS = 120
#: The longest grace a record type may give: a year (a longer one is a typo).
MAX_GRACE_DAYS = 366
#: The longest retention a record type may declare: a hundred years (a longer one is a typo;
#: records kept for good declare no retention at all).
MAX_RETAIN_MONTHS = 1200


def date_problem(day: date) -> str | None:
    """Why ``day`` is outside the dates clausewise reads (``None``: it is inside)."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return f"expected a day between {EARLIEST_DATE} and {LATEST_DATE}"


def today_problem(day: date) -> str | None:
    """Why ``day`` cannot be "today" (``None``: it can)."""
    return date_problem(day)
