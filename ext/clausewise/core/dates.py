"""Dates as owners write them, and the calendar arithmetic the rules share. Pure functions."""

from __future__ import annotations

import calendar
import re
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, clamped to the end of a shorter month:
    2026-01-31 + 1 month is 2026-02-28; 2024-02-29 + 12 months is 2025-02-28."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> date | None:
    """A ``YYYY-MM-DD`` date, or ``None`` if ``text`` is not a real one."""
    if not DATE_SHAPE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


#: The days clausewise judges by: a "today" outside them is a typo, and the
#: schedules and review dates counted from it would run off the calendar.
EARLIEST_TODAY = date(1970, 1, 1)
LATEST_TODAY = date(2999, 12, 31)


def today_problem(day: date) -> str | None:
    """Why ``day`` cannot be "today" (``None``: it can)."""
    if EARLIEST_TODAY <= day <= LATEST_TODAY:
        return None
    return f"expected a day between {EARLIEST_TODAY} and {LATEST_TODAY}"
