"""Period arithmetic: pure unit tests and hypothesis properties."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from clausewise.core.model import Cadence, PeriodUnit, Record, Source
from clausewise.rules.periods import (
    Period,
    PeriodState,
    due_date,
    event_state,
    iso_weeks_in,
    parse_period,
    period_containing,
    period_states,
    schedule,
)
from clausewise.sources.metadata import parse_cadence
from hypothesis import given, settings
from hypothesis import strategies as st

MONTHLY, QUARTERLY = Cadence("monthly", 1), Cadence("quarterly", 3)
HALF, YEARLY = Cadence("half-yearly", 6), Cadence("yearly", 12)
WEEKLY, DAILY = Cadence("weekly", 1, unit=PeriodUnit.WEEK), Cadence("daily", 1, unit=PeriodUnit.DAY)
EVERY2WEEKS = Cadence("every 2 weeks", 2, unit=PeriodUnit.WEEK)


def labels(periods: list[Period]) -> list[str]:
    return [p.label for p in periods]


def test_month_ends_including_leap_years() -> None:
    periods = schedule(MONTHLY, date(2024, 1, 1), date(2024, 4, 3))
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("2024-01", date(2024, 1, 1), date(2024, 1, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2024-03", date(2024, 3, 1), date(2024, 3, 31)),
        ("2024-04", date(2024, 4, 1), date(2024, 4, 30)),
    ]
    assert period_containing(MONTHLY, date(2024, 1, 1), date(2026, 2, 14)).end == date(2026, 2, 28)


def test_quarters_and_half_years_follow_the_calendar() -> None:
    assert [(p.label, p.end) for p in schedule(QUARTERLY, date(2026, 1, 1), date(2026, 12, 31))] == [
        ("2026-Q1", date(2026, 3, 31)),
        ("2026-Q2", date(2026, 6, 30)),
        ("2026-Q3", date(2026, 9, 30)),
        ("2026-Q4", date(2026, 12, 31)),
    ]
    assert [(p.label, p.start, p.end) for p in schedule(HALF, date(2025, 8, 1), date(2026, 2, 1))] == [
        ("2025-H2", date(2025, 7, 1), date(2025, 12, 31)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ]
    assert labels(schedule(YEARLY, date(2024, 3, 15), date(2026, 1, 1))) == ["2024", "2025", "2026"]


def test_start_mid_period_counts_the_period_it_falls_in() -> None:
    assert schedule(QUARTERLY, date(2024, 2, 10), date(2024, 5, 1))[0] == Period(
        date(2024, 1, 1), date(2024, 3, 31), "2024-Q1"
    )
    assert schedule(MONTHLY, date(2024, 1, 15), date(2024, 1, 20))[0].start == date(2024, 1, 1)


def test_every_n_months_from_an_odd_start() -> None:
    every5 = parse_cadence("every 5 months")
    assert every5 is not None
    periods = schedule(every5, date(2025, 3, 15), date(2026, 6, 1))
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("2025-03", date(2025, 3, 1), date(2025, 7, 31)),
        ("2025-08", date(2025, 8, 1), date(2025, 12, 31)),
        ("2026-01", date(2026, 1, 1), date(2026, 5, 31)),
        ("2026-06", date(2026, 6, 1), date(2026, 10, 31)),
    ]
    assert parse_period("2025-08", every5, date(2025, 3, 15)) == periods[1]
    assert parse_period("2025-09", every5, date(2025, 3, 15)) == (
        "'2025-09' is not a period of the schedule (every 5 months); "
        "expected the first month of a period, such as 2025-03"
    )


def test_grace_crossing_a_year_end() -> None:
    december = period_containing(MONTHLY, date(2026, 1, 1), date(2026, 12, 5))
    assert due_date(december, 30) == date(2027, 1, 30)
    q4 = period_containing(QUARTERLY, date(2026, 1, 1), date(2026, 11, 5))
    assert due_date(q4, 45) == date(2027, 2, 14)
    assert due_date(period_containing(MONTHLY, date(2024, 1, 1), date(2024, 1, 9)), 29) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "cadence", "message"),
    [
        ("2026-Q5", QUARTERLY, "'2026-Q5' is not a period; expected a quarter such as 2026-Q3"),
        ("2026-13", MONTHLY, "'2026-13' is not a period; expected a month such as 2026-09"),
        (
            "2026-09",
            QUARTERLY,
            "'2026-09' is not a period of the schedule (quarterly); expected a quarter such as 2026-Q3",
        ),
        ("2026-Q3", MONTHLY, "'2026-Q3' is not a period of the schedule (monthly); expected a month such as 2026-09"),
        ("2026-H1", YEARLY, "'2026-H1' is not a period of the schedule (yearly); expected a year such as 2026"),
        ("Sept 2026", MONTHLY, "'Sept 2026' is not a period; expected a month such as 2026-09"),
    ],
)
def test_malformed_or_foreign_periods(text: str, cadence: Cadence, message: str) -> None:
    assert parse_period(text, cadence, date(2024, 1, 1)) == message


def test_iso_weeks_across_a_year_with_53_weeks() -> None:
    assert (iso_weeks_in(2025), iso_weeks_in(2026), iso_weeks_in(2027)) == (52, 53, 52)
    assert date.fromisocalendar(2026, 53, 1) == date(2026, 12, 28)
    periods = schedule(WEEKLY, date(2026, 12, 23), date(2027, 1, 5))
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("2026-W52", date(2026, 12, 21), date(2026, 12, 27)),
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
        ("2027-W01", date(2027, 1, 4), date(2027, 1, 10)),
    ]
    # 30 December 2024 is a Monday of the ISO year 2025
    assert period_containing(WEEKLY, date(2024, 1, 1), date(2024, 12, 31)).label == "2025-W01"
    assert parse_period("2026-W53", WEEKLY, date(2026, 1, 1)) == periods[1]
    assert parse_period("2027-W01", WEEKLY, date(2026, 1, 1)) == periods[2]
    assert due_date(periods[1], 30) == date(2027, 2, 2)


def test_every_2_weeks_counts_from_the_monday_of_the_start_week() -> None:
    # 2026-06-03 is a Wednesday of 2026-W23, which starts on Monday 2026-06-01
    periods = schedule(EVERY2WEEKS, date(2026, 6, 3), date(2026, 7, 1))
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("2026-W23", date(2026, 6, 1), date(2026, 6, 14)),
        ("2026-W25", date(2026, 6, 15), date(2026, 6, 28)),
        ("2026-W27", date(2026, 6, 29), date(2026, 7, 12)),
    ]
    across = schedule(EVERY2WEEKS, date(2026, 12, 28), date(2027, 1, 12))
    assert labels(across) == ["2026-W53", "2027-W02"]
    assert parse_period("2026-W24", EVERY2WEEKS, date(2026, 6, 3)) == (
        "'2026-W24' is not a period of the schedule (every 2 weeks); expected the ISO week a period starts in, "
        "such as 2026-W23 or 2026-W25"
    )


def test_daily_periods_are_days() -> None:
    periods = schedule(DAILY, date(2028, 2, 28), date(2028, 3, 1))
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("2028-02-28", date(2028, 2, 28), date(2028, 2, 28)),
        ("2028-02-29", date(2028, 2, 29), date(2028, 2, 29)),
        ("2028-03-01", date(2028, 3, 1), date(2028, 3, 1)),
    ]
    assert due_date(periods[1], 0) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "cadence", "message"),
    [
        ("2026-W54", WEEKLY, "'2026-W54' is not an ISO week: 2026 has 53 weeks, 2026-W01 to 2026-W53; "
         "expected an ISO week such as 2026-W42"),
        ("2026-W00", WEEKLY, "'2026-W00' is not an ISO week: 2026 has 53 weeks, 2026-W01 to 2026-W53; "
         "expected an ISO week such as 2026-W42"),
        ("2025-W53", WEEKLY, "'2025-W53' is not an ISO week: 2025 has 52 weeks, 2025-W01 to 2025-W52; "
         "expected an ISO week such as 2026-W42"),
        ("2026-W5", WEEKLY, "'2026-W5' is not a period; expected an ISO week such as 2026-W42"),
        ("2026-10-12", WEEKLY, "'2026-10-12' is not a period of the schedule (weekly); "
         "expected an ISO week such as 2026-W42"),
        ("2026-02-30", DAILY, "'2026-02-30' is not a date of the calendar; expected a date such as 2026-10-12"),
        ("2026-W42", DAILY, "'2026-W42' is not a period of the schedule (daily); expected a date such as 2026-10-12"),
        ("2026-10", DAILY, "'2026-10' is not a period of the schedule (daily); expected a date such as 2026-10-12"),
        ("2026-W42", MONTHLY, "'2026-W42' is not a period of the schedule (monthly); expected a month such as 2026-09"),
        ("9999-12", MONTHLY, "'9999-12' is not a period; expected a month such as 2026-09"),
        ("9999-W52", WEEKLY, "'9999-W52' is not a period; expected an ISO week such as 2026-W42"),
        ("0000", YEARLY, "'0000' is not a period; expected a year such as 2026"),
    ],
)  # fmt: skip
def test_invalid_week_and_day_labels(text: str, cadence: Cadence, message: str) -> None:
    assert parse_period(text, cadence, date(2024, 1, 1)) == message


def record(period: str, produced: date) -> Record:
    return Record(f"REC-{period}", "r", "RT-X", period, produced, "me", None, (), Source(f"r/{period}.md", period, 2))


def test_period_states_on_both_sides_of_each_boundary() -> None:
    periods = schedule(MONTHLY, date(2026, 7, 1), date(2026, 11, 23))  # Jul..Nov
    by = {periods[0]: [record("2026-07", date(2026, 8, 5))], periods[1]: [record("2026-08", date(2026, 10, 1))]}
    states = period_states(periods, by, 30, date(2026, 11, 23))
    assert [(s.period.label, s.state, s.due) for s in states] == [
        ("2026-07", PeriodState.PRESENT, date(2026, 8, 30)),
        ("2026-08", PeriodState.LATE, date(2026, 9, 30)),
        ("2026-09", PeriodState.MISSING, date(2026, 10, 30)),
        ("2026-10", PeriodState.DUE, date(2026, 11, 30)),
        ("2026-11", PeriodState.OPEN, date(2026, 12, 30)),
    ]
    # on its due date a period is still due; the day after, missing
    assert period_states([periods[3]], {}, 30, date(2026, 11, 30))[0].state is PeriodState.DUE
    assert period_states([periods[3]], {}, 30, date(2026, 12, 1))[0].state is PeriodState.MISSING
    # on its last day a period is open; the day after, due
    assert period_states([periods[4]], {}, 30, date(2026, 11, 30))[0].state is PeriodState.OPEN
    assert period_states([periods[4]], {}, 30, date(2026, 12, 1))[0].state is PeriodState.DUE


def test_per_event_window() -> None:
    start = date(2025, 1, 1)
    assert event_state(start, 12, [], date(2025, 12, 31)).state is PeriodState.OPEN
    assert event_state(start, 12, [], date(2026, 1, 1)).state is PeriodState.MISSING
    recent = event_state(start, 12, [date(2025, 11, 24), date(2024, 2, 1)], date(2026, 11, 23))
    assert (recent.state, recent.latest) == (PeriodState.PRESENT, date(2025, 11, 24))
    assert event_state(start, 12, [date(2025, 11, 22)], date(2026, 11, 23)).state is PeriodState.MISSING


cadences = st.one_of(
    st.sampled_from([MONTHLY, QUARTERLY, HALF, YEARLY, WEEKLY, DAILY]),
    st.integers(min_value=1, max_value=24).map(lambda n: Cadence(f"every {n} months", n)),
    st.integers(min_value=1, max_value=60).map(lambda n: Cadence(f"every {n} weeks", n, unit=PeriodUnit.WEEK)),
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(cadence=cadences, start=days, span=st.integers(min_value=0, max_value=3000), grace=st.integers(0, 120))
def test_every_day_from_start_to_today_is_in_exactly_one_period_with_one_state(
    cadence: Cadence, start: date, span: int, grace: int
) -> None:
    today = start + timedelta(days=span)
    periods = schedule(cadence, start, today)
    assert periods[0].start <= start <= periods[0].end
    assert periods[-1].start <= today <= periods[-1].end
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)  # no gap, no overlap
    assert len({p.label for p in periods}) == len(periods)
    states = period_states(periods, {}, grace, today)
    assert [s.period for s in states] == periods
    assert all(isinstance(s.state, PeriodState) for s in states)
    for p in periods:  # every label parses back to its own period
        assert parse_period(p.label, cadence, start) == p


@settings(max_examples=300, deadline=None)
@given(
    cadence=cadences,
    start=days,
    span=st.integers(min_value=0, max_value=2000),
    present=st.sets(st.integers(min_value=0, max_value=200)),
    extra=st.integers(min_value=0, max_value=200),
    lateness=st.integers(min_value=-20, max_value=90),
)
def test_adding_a_record_never_increases_missing(
    cadence: Cadence, start: date, span: int, present: set[int], extra: int, lateness: int
) -> None:
    today = start + timedelta(days=span)
    periods = schedule(cadence, start, today)

    def missing(indexes: set[int]) -> int:
        by = {periods[i]: [record(periods[i].label, periods[i].end + timedelta(days=lateness))] for i in indexes}
        return sum(s.state is PeriodState.MISSING for s in period_states(periods, by, 30, today))

    chosen = {i % len(periods) for i in present}
    assert missing(chosen | {extra % len(periods)}) <= missing(chosen)
