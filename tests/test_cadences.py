"""Weekly, every-N-weeks and daily record types, and a record type whose cadence
is invalid: real Sphinx builds on real git repositories, with exact findings,
page text, calendar events and what `clausewise due` and `new record` say."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from handbook import build, governed, record, role, run_clausewise, write_handbook
from icalendar import Calendar

PROCEDURE = "procedures/backup.md"
RT_LINE = 13  # '  - id: RT-BACKUP'
CADENCE_LINE = 17


def procedure(cadence: str, title: str, start: str, grace: str) -> str:
    return governed("PRC-001", "procedure", "Backups", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        f"satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-BACKUP\n    title: {title}\n"
        f"    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: {cadence}\n    start: {start}\n"
        f"    grace: {grace}\n",
    )


def backup(period: str, produced: str, suffix: str = "") -> tuple[str, str]:
    return f"records/backup/{period}{suffix}.md", record(
        f"REC-BACKUP-{period}{suffix}", "RT-BACKUP", period, produced=produced
    )


def handbook(tmp_path: Path, cadence: str, title: str, start: str, grace: str, *records: tuple[str, str]) -> Path:
    files = {"roles/owner.md": role(), PROCEDURE: procedure(cadence, title, start, grace), **dict(records)}
    return write_handbook(tmp_path / "hb", files)


def findings(result_report: dict[str, Any]) -> list[tuple[str, str, int, str, str]]:
    return [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in result_report["findings"]]


def clausewise(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in the handbook's folder, with no CLAUSEWISE_TODAY from the environment."""
    return run_clausewise(*args, cwd=root)


WEEKLY_RECORDS = (
    backup("2026-W49", "2026-12-07"),
    backup("2026-W51", "2027-01-05"),  # late: due 2026-12-27
    backup("2026-W52", "2026-12-28"),
    backup("2026-W52", "2026-12-29", "-B"),  # a second record of the week
    backup("2026-W53", "2027-01-04"),  # the 53rd week of 2026, 28 December to 3 January
    backup("2027-W02", "2027-01-18"),
    backup("2027-W03", "2027-01-25"),
    backup("2027-W04", "2027-02-01"),
    backup("2027-W05", "2027-02-08"),
    backup("2027-W07", "2027-02-15"),  # early: the week has begun, its record is there
    backup("2027-W08", "2027-02-15"),  # the week has not begun
    backup("2026-W54", "2027-02-15"),
    backup("2025-W53", "2027-02-15"),
    backup("2026-W48", "2026-11-30"),  # before the schedule starts
)


def test_weekly_schedule_across_a_year_with_53_weeks(tmp_path: Path) -> None:
    # from Monday 2026-11-30 (2026-W49) to Monday 2027-02-15 (2027-W07), 7 days' grace
    dashboard = ("pages/dashboard.md", "# Dashboard\n\n```{clausewise-dashboard}\n```\n")
    root = handbook(tmp_path, "weekly", "Weekly backup check", "2026-11-30", "7 days", *WEEKLY_RECORDS, dashboard)
    result = build(root, today="2027-02-15")
    assert result.other_warnings() == []  # the need's cadence passes sphinx-needs' schema
    board = result.page_text("pages/dashboard")
    assert (
        "2026-12 2026-12 present: 2 2026-12 late: 1 2026-12 missing: 1 4 "
        "2027-01 2027-01 present: 4 2027-01 missing: 1 5 "
        "2027-02 2027-02 present: 2 2027-02 due: 1 3"
    ) in board  # a bar per month (its label, each state, its total): 2026-W53 ends on 3 January
    assert (
        "Due What Item Title Owner Detail "
        "2026-12-20 record missing RT-BACKUP Weekly backup check Owner period 2026-W50 "
        "2027-01-17 record missing RT-BACKUP Weekly backup check Owner period 2027-W01 "
        "2027-02-21 record due RT-BACKUP Weekly backup check Owner period 2027-W06 The recurring"
    ) in board
    assert findings(result.report) == [
        ("record-missing", PROCEDURE, RT_LINE, "RT-BACKUP",
         "no record of RT-BACKUP Weekly backup check for 2026-W50 (due 2026-12-20); add records/backup/2026-W50.md"),
        ("record-missing", PROCEDURE, RT_LINE, "RT-BACKUP",
         "no record of RT-BACKUP Weekly backup check for 2027-W01 (due 2027-01-17); add records/backup/2027-W01.md"),
        ("record-period-invalid", "records/backup/2025-W53.md", 6, "REC-BACKUP-2025-W53",
         "period: '2025-W53' is not an ISO week: 2025 has 52 weeks, 2025-W01 to 2025-W52; "
         "expected an ISO week such as 2026-W42"),
        ("record-period-invalid", "records/backup/2026-W48.md", 6, "REC-BACKUP-2026-W48",
         "period: 2026-W48 is before the schedule of RT-BACKUP starts (2026-W49)"),
        ("record-late", "records/backup/2026-W51.md", 7, "REC-BACKUP-2026-W51",
         "produced 2027-01-05, after its due date 2026-12-27 (2026-W51 ended 2026-12-20, 7 days' grace)"),
        ("record-duplicate", "records/backup/2026-W52-B.md", 6, "REC-BACKUP-2026-W52-B",
         "REC-BACKUP-2026-W52 (records/backup/2026-W52.md) already covers 2026-W52 of RT-BACKUP; retire one of "
         "them with 'status: retired', or set 'allow_several: true' on the record type"),
        ("record-period-invalid", "records/backup/2026-W54.md", 6, "REC-BACKUP-2026-W54",
         "period: '2026-W54' is not an ISO week: 2026 has 53 weeks, 2026-W01 to 2026-W53; "
         "expected an ISO week such as 2026-W42"),
        ("record-premature", "records/backup/2027-W07.md", 7, "REC-BACKUP-2027-W07",
         "produced: 2027-02-15 is before its period 2027-W07 ended (2027-02-21): a record of a period is "
         "produced once the period is over; correct 'produced' (or 'period'), or, if RT-BACKUP's records are "
         "rightly written early, say 'early: allowed' on the record type"),
        ("record-period-invalid", "records/backup/2027-W08.md", 6, "REC-BACKUP-2027-W08",
         "period: 2027-W08 has not begun yet (today is 2027-02-15)"),
    ]  # fmt: skip
    page = result.page_text("procedures/backup")
    assert (
        "RT-BACKUP Weekly backup check Owner weekly 1.1 2027-W07 2027-02-21 2 "
        "RT-BACKUP Weekly backup check: periods "
        "Shown: the periods that began in the last 52 weeks. "
        "All 12 periods since 2026-W49: 8 present, 1 late, 2 missing, 1 due, 0 open. "
        "2026-W49 to 2027-W07 W49 present W50 missing W51 late W52 present +1 W53 present W01 missing "
        "W02 present W03 present W04 present W05 present W06 due W07 present \u00b7 present: a record covers"
    ) in page
    calendar = Calendar.from_ical((result.outdir / "clausewise" / "calendar.ics").read_bytes())
    records_due = [(e.decoded("dtstart"), str(e["summary"])) for e in calendar.walk("VEVENT")
                   if str(e["uid"]).startswith("record-")]  # fmt: skip
    assert len(records_due) == 53  # W50, W01 (missing), W06 (due), then every week whose due date is within a year
    assert records_due[:5] == [
        (date(2026, 12, 20), "MISSING: Record due: RT-BACKUP Weekly backup check 2026-W50"),
        (date(2027, 1, 17), "MISSING: Record due: RT-BACKUP Weekly backup check 2027-W01"),
        (date(2027, 2, 21), "Record due: RT-BACKUP Weekly backup check 2027-W06"),
        (date(2027, 3, 7), "Record due: RT-BACKUP Weekly backup check 2027-W08"),
        (date(2027, 3, 14), "Record due: RT-BACKUP Weekly backup check 2027-W09"),
    ]
    assert records_due[-1] == (date(2028, 2, 13), "Record due: RT-BACKUP Weekly backup check 2028-W05")
    due = clausewise(root, "due", "--within", "14d", "--today", "2027-02-15")
    assert due.stdout.splitlines() == [
        "Due within 14 days of 2027-02-15: 3",
        "  2026-12-20  OVERDUE  record  RT-BACKUP Weekly backup check 2026-W50  [Owner]",
        "  2027-01-17  OVERDUE  record  RT-BACKUP Weekly backup check 2027-W01  [Owner]",
        "  2027-02-21  due      record  RT-BACKUP Weekly backup check 2027-W06  [Owner]",
    ]
    new = clausewise(root, "new", "record", "RT-BACKUP", "--today", "2027-02-15")
    assert new.returncode == 0, new.stderr
    assert (root / "records/backup/2026-W50.md").read_text().splitlines()[1:6] == [
        "id: REC-BACKUP-2026-W50", "type: record", "title: Backup check, week 50 of 2026",
        "record_type: RT-BACKUP", "period: 2026-W50",
    ]  # fmt: skip


def test_every_2_weeks_from_a_wednesday(tmp_path: Path) -> None:
    # 2026-12-23 is a Wednesday of 2026-W52: periods start on Mondays 2026-12-21, 2027-01-04 (W01), W03, W05, W07
    root = handbook(
        tmp_path, "every 2 weeks", "Restore test", "2026-12-23", "7 days",
        backup("2026-W52", "2027-01-05"),
        backup("2027-W03", "2027-02-10"),  # late: due 2027-02-07
        backup("2027-W02", "2027-01-20"),  # no period starts in 2027-W02
    )  # fmt: skip
    result = build(root, today="2027-02-15")
    assert findings(result.report) == [
        ("record-missing", PROCEDURE, RT_LINE, "RT-BACKUP",
         "no record of RT-BACKUP Restore test for 2027-W01 (due 2027-01-24); add records/backup/2027-W01.md"),
        ("record-period-invalid", "records/backup/2027-W02.md", 6, "REC-BACKUP-2027-W02",
         "period: '2027-W02' is not a period of the schedule (every 2 weeks); expected the ISO week a period "
         "starts in, such as 2026-W52 or 2027-W01"),
        ("record-late", "records/backup/2027-W03.md", 7, "REC-BACKUP-2027-W03",
         "produced 2027-02-10, after its due date 2027-02-07 (2027-W03 ended 2027-01-31, 7 days' grace)"),
    ]  # fmt: skip
    assert (
        "All 5 periods since 2026-W52: 1 present, 1 late, 1 missing, 1 due, 1 open. "
        "2026-W52 to 2027-W07 W52 present W01 missing W03 late W05 due W07 open"
    ) in result.page_text("procedures/backup")


def test_daily_schedule(tmp_path: Path) -> None:
    root = handbook(
        tmp_path, "daily", "Daily log", "2026-11-16", "1 day",
        *(backup(f"2026-11-{d}", f"2026-11-{d}") for d in (16, 17, 19)),
        backup("2026-11-20", "2026-11-23"),  # late: due 2026-11-21
        backup("2026-02-30", "2026-11-23"),
        backup("2026-11-24", "2026-11-23"),
    )  # fmt: skip
    result = build(root, today="2026-11-23")
    assert result.other_warnings() == []
    assert findings(result.report) == [
        ("record-missing", PROCEDURE, RT_LINE, "RT-BACKUP",
         "no record of RT-BACKUP Daily log for 2026-11-18 (due 2026-11-19); add records/backup/2026-11-18.md"),
        ("record-missing", PROCEDURE, RT_LINE, "RT-BACKUP",
         "no record of RT-BACKUP Daily log for 2026-11-21 (due 2026-11-22); add records/backup/2026-11-21.md"),
        ("record-period-invalid", "records/backup/2026-02-30.md", 6, "REC-BACKUP-2026-02-30",
         "period: '2026-02-30' is not a date of the calendar; expected a date such as 2026-10-12"),
        ("record-late", "records/backup/2026-11-20.md", 7, "REC-BACKUP-2026-11-20",
         "produced 2026-11-23, after its due date 2026-11-21 (2026-11-20 ended 2026-11-20, 1 days' grace)"),
        ("record-period-invalid", "records/backup/2026-11-24.md", 6, "REC-BACKUP-2026-11-24",
         "period: 2026-11-24 has not begun yet (today is 2026-11-23)"),
    ]  # fmt: skip
    page = result.page_text("procedures/backup")
    assert (
        "Shown: the last 8 weeks. All 8 periods since 2026-11-16: 3 present, 1 late, 2 missing, 1 due, 1 open. "
        "Week Mon Tue Wed Thu Fri Sat Sun "
        "2026-W48 23 open \u00b7 \u00b7 \u00b7 \u00b7 \u00b7 \u00b7 "
        "2026-W47 16 present 17 present 18 missing 19 present 20 late 21 missing 22 due "
        "2026-W46 \u00b7"
    ) in page
    new = clausewise(root, "new", "record", "RT-BACKUP", "--today", "2026-11-23")
    assert new.returncode == 0, new.stderr
    assert "title: Daily log, 2026-11-18\n" in (root / "records/backup/2026-11-18.md").read_text()


def test_a_long_daily_schedule_shows_eight_weeks_and_counts_the_rest(tmp_path: Path) -> None:
    root = handbook(tmp_path, "daily", "Daily log", "2024-06-01", "1 day", backup("2026-11-20", "2026-11-20"))
    result = build(root, today="2026-11-23")
    assert len(result.findings) == 903  # one record-missing per day without a record, as for any cadence
    page = result.page_text("procedures/backup")
    assert "All 906 periods since 2024-06-01: 1 present, 0 late, 903 missing, 1 due, 1 open." in page
    # 8 weeks of 7 cells: 2026-11-23 open and the rest of its week empty, 11-20 present, 11-22 due, 47 missing
    html = result.page_html("procedures/backup")
    assert html.count("clausewise-state-") == 56
    assert html.count("clausewise-state-missing") == 47


def test_a_record_type_with_an_invalid_cadence_keeps_its_records_in_view(tmp_path: Path) -> None:
    root = handbook(
        tmp_path, "fortnightly", "Restore test", "2026-06-01", "7 days",
        backup("2026-W42", "2026-10-19"), backup("2026-W44", "2026-11-02"),
    )  # fmt: skip
    files = {"records/index.md": "# Records\n\n```{record-register}\n```\n"}
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    result = build(root)
    # reported once, on the type's cadence line; nothing about its records
    assert findings(result.report) == [
        ("invalid-metadata", PROCEDURE, CADENCE_LINE, "RT-BACKUP",
         "cadence: 'fortnightly' is malformed; expected daily, weekly, monthly, quarterly, half-yearly, yearly, "
         "'every N weeks' (N up to 156), 'every N months' (N up to 36) or 'per event'"),
    ]  # fmt: skip
    page = result.page_text("procedures/backup")
    assert (
        "RT-BACKUP Restore test Owner invalid 1.1 2026-W44 no schedule (invalid cadence) \u2014 "
        "RT-BACKUP Restore test: periods No schedule: the cadence 'fortnightly' is not one of daily, weekly, "
        "monthly, quarterly, half-yearly, yearly, 'every N weeks' (N up to 156), 'every N months' (N up to 36) "
        "or 'per event'. Records (2): 2026-W44 \u00b7 2026-W42 Revision history"
    ) in page
    assert "RT-BACKUP Restore test Owner invalid 2026-W44 no schedule (invalid cadence) \u2014" in result.page_text(
        "records/index"
    )
    # a clause its records evidence is not covered on records nobody can judge
    matrix = result.page_text("pages/matrix")
    row = matrix[matrix.index(" 1.1 Plans ") + 1 :]
    assert row.startswith(
        "1.1 Plans Records missing : an approved document in force satisfies it; RT-BACKUP has no valid cadence, "
        "so its records cannot be judged PRC-001 Backups — version 1.0, approved, Owner RT-BACKUP (records cannot "
        "be judged) : latest REC-BACKUP-2026-W44 (period 2026-W44, produced 2026-11-02) 1.2 "
    )

    refused = clausewise(root, "new", "record", "RT-BACKUP", "--today", "2026-11-23")
    assert (refused.returncode, refused.stderr.strip()) == (
        2,
        "clausewise: RT-BACKUP has no schedule: its cadence 'fortnightly' is not one of daily, weekly, monthly, "
        "quarterly, half-yearly, yearly, 'every N weeks' (N up to 156), 'every N months' (N up to 36) or "
        "'per event'; fix it in procedures/backup.md:17 first",
    )


def test_new_record_type_with_a_weekly_cadence(tmp_path: Path) -> None:
    root = handbook(tmp_path, "monthly", "Monthly report", "2026-06-01", "30 days")
    done = clausewise(root, "new", "record-type", "--document", "PRC-001", "--title", "Weekly backup check",
                      "--cadence", "Weekly", "--today", "2026-11-20")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "Added RT-WEEKLY-BACKUP-CHECK (Weekly backup check, weekly, from 2026-11-20) to PRC-001 in "
        "procedures/backup.md, line 20; its first record is due 2026-12-22."
    )
    assert "    cadence: weekly\n    start: 2026-11-20\n---" in (root / PROCEDURE).read_text()


def test_a_grace_longer_than_a_year_is_one_finding_not_a_crash(tmp_path: Path) -> None:
    root = handbook(tmp_path, "weekly", "Backup check", "2026-06-01", "3000000 days")
    result = build(root)
    invalid = [f for f in findings(result.report) if f[0] == "invalid-metadata"]
    assert invalid == [
        ("invalid-metadata", PROCEDURE, 19, "RT-BACKUP",
         "grace: '3000000 days' is malformed; expected a number of days up to 366, e.g. '30 days'"),
    ]  # fmt: skip
    # the type keeps the default grace of 30 days: the weeks without a record are still reported
    assert {f[0] for f in findings(result.report)} == {"invalid-metadata", "record-missing"}
