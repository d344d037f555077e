"""Exports for auditors: CSV and XLSX of a small handbook, cell by cell, and the
calendar, parsed back with the same library."""

from __future__ import annotations

import csv
import json
import os
from datetime import date
from pathlib import Path

from handbook import build, governed, record, role, write_handbook
from icalendar import Calendar
from openpyxl import load_workbook

CONF = 'clausewise_sms_start = "2026-07-01"\nclausewise_organisation = "Acme"\n'


def small(tmp_path: Path) -> Path:
    procedure = governed("PRC-001", "procedure", "Reporting", reviewed="2026-01-10", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Quarterly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.2]\n    cadence: quarterly\n",
    )
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies=None),
            "procedures/reporting.md": procedure,
            "records/report/2026-Q3.md": record("REC-REPORT-2026-Q3", "RT-REPORT", "2026-Q3", produced="2026-10-20"),
        },
        CONF,
    )


def test_csv_matrix(tmp_path: Path) -> None:
    result = build(small(tmp_path))
    with (result.outdir / "clausewise" / "matrix.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["clause", "heading", "coverage", "through_subclauses", "documents", "document_titles", "record_types",
         "record_types_missing", "justification", "standard", "gaps", "latest_records", "coverage_reason",
         "document_versions", "document_statuses", "missing_periods"],
        ["1", "Planning", "covered", "yes", "", "", "", "", "", "MINI", "", "",
         "no document satisfies it directly: it takes the coverage of its sub-clauses", "", "", ""],
        ["1.1", "Plans", "covered", "no", "PRC-001", "Reporting", "", "", "", "MINI", "", "",
         "an approved document in force satisfies it", "1.0", "approved", ""],
        ["1.2", "Objectives", "covered", "no", "PRC-001", "Reporting", "RT-REPORT", "", "", "MINI", "",
         "RT-REPORT: REC-REPORT-2026-Q3 (2026-Q3, produced 2026-10-20)",
         "an approved document in force satisfies it; every record due in the last 12 months exists", "1.0",
         "approved", "RT-REPORT: 0"],
        ["2", "Operation", "uncovered", "no", "", "", "", "", "", "MINI", "", "", "no document satisfies it", "",
         "", ""],
    ]  # fmt: skip


def test_xlsx_has_the_four_sheets_with_exact_cells(tmp_path: Path) -> None:
    result = build(small(tmp_path))
    book = load_workbook(result.outdir / "clausewise" / "clausewise.xlsx")
    assert book.sheetnames == ["Matrix", "Documents", "Records", "Findings"]
    values = {name: [list(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    assert values["Matrix"][3] == [
        "1.2",
        "Objectives",
        "covered",
        "no",
        "PRC-001",
        "Reporting",
        "RT-REPORT",
        None,
        None,
        "MINI",
        None,
        "RT-REPORT: REC-REPORT-2026-Q3 (2026-Q3, produced 2026-10-20)",
        "an approved document in force satisfies it; every record due in the last 12 months exists",
        "1.0",
        "approved",
        "RT-REPORT: 0",
    ]
    assert values["Documents"] == [
        ["id", "type", "title", "owner", "status", "version", "effective", "reviewed", "next_review",
         "review_state", "last_changed", "classification", "path", "approved_on", "approved_by", "retired_on",
         "location", "issuer", "edition", "uses"],
        ["PRC-001", "procedure", "Reporting", "ROLE-OWNER", "approved", "1.0", "2026-01-01", "2026-01-10",
         "2027-01-10", "current", "2026-07-01", "internal", "procedures/reporting.md", None, None, None,
         "procedures/reporting.md", None, None, None],
        ["ROLE-OWNER", "role", "Owner", "ROLE-OWNER", "approved", "1.0", "2026-01-01", "2026-06-01",
         "2027-06-01", "current", "2026-07-01", "internal", "roles/owner.md", None, None, None, "roles/owner.md",
         None, None, None],
    ]  # fmt: skip
    assert values["Records"] == [
        ["record_type", "title", "owner", "period", "state", "due", "records", "produced"],
        ["RT-REPORT", "Quarterly report", "ROLE-OWNER", "2026-Q3", "present", "2026-10-30", "REC-REPORT-2026-Q3",
         "2026-10-20"],
        ["RT-REPORT", "Quarterly report", "ROLE-OWNER", "2026-Q4", "open", "2027-01-30", None, None],
    ]  # fmt: skip
    assert values["Findings"] == [
        ["code", "severity", "path", "line", "id", "message"],
        ["uncovered-clause", "warning", "pages/clauses.md", "3", "MINI-2", result.report["findings"][0]["message"]],
    ]
    assert book["Matrix"].freeze_panes == "A2"
    # each sheet: its header in bold, a filter over every row and column
    assert [
        (name, book[name].auto_filter.ref, [c.font.b for c in book[name][1]]) for name in ("Records", "Findings")
    ] == [
        ("Records", "A1:H3", [True] * 8),
        ("Findings", "A1:F2", [True] * 6),
    ]


def test_needs_json_is_copied_beside_the_exports(tmp_path: Path) -> None:
    result = build(small(tmp_path))
    copied = json.loads((result.outdir / "clausewise" / "needs.json").read_text())
    assert copied == json.loads((result.outdir / "needs.json").read_text())
    assert "RT-REPORT" in copied["versions"][copied["current_version"]]["needs"]


def events(path: Path) -> list[tuple[str, date, str]]:
    cal = Calendar.from_ical(path.read_bytes())
    return [(str(e["uid"]), e.decoded("dtstart"), str(e["summary"])) for e in cal.walk("VEVENT")]


def test_calendar_events(tmp_path: Path) -> None:
    result = build(small(tmp_path))
    out = result.outdir / "clausewise"
    assert events(out / "calendar.ics") == [
        ("review-PRC-001-2027-01-10@clausewise", date(2027, 1, 10), "Review PRC-001 Reporting"),
        ("record-RT-REPORT-2026-Q4@clausewise", date(2027, 1, 30), "Record due: RT-REPORT Quarterly report 2026-Q4"),
        ("record-RT-REPORT-2027-Q1@clausewise", date(2027, 4, 30), "Record due: RT-REPORT Quarterly report 2027-Q1"),
        ("review-ROLE-OWNER-2027-06-01@clausewise", date(2027, 6, 1), "Review ROLE-OWNER Owner"),
        ("record-RT-REPORT-2027-Q2@clausewise", date(2027, 7, 30), "Record due: RT-REPORT Quarterly report 2027-Q2"),
        ("record-RT-REPORT-2027-Q3@clausewise", date(2027, 10, 30), "Record due: RT-REPORT Quarterly report 2027-Q3"),
    ]
    cal = Calendar.from_ical((out / "calendar.ics").read_bytes())
    assert str(cal["x-wr-calname"]) == "Acme: reviews and records due"
    assert events(out / "calendar-ROLE-OWNER.ics") == events(out / "calendar.ics")  # the one role owns it all


def test_calendar_is_reproducible(tmp_path: Path) -> None:
    root = small(tmp_path)
    first = (build(root, outdir=tmp_path / "a").outdir / "clausewise" / "calendar.ics").read_bytes()
    second = (build(root, outdir=tmp_path / "b", fresh=True).outdir / "clausewise" / "calendar.ics").read_bytes()
    assert first == second


def test_an_unchanged_workbook_is_not_written_again_and_a_changed_one_is(tmp_path: Path) -> None:
    root = small(tmp_path)
    out = build(root).outdir / "clausewise"
    os.utime(out / "clausewise.xlsx", ns=(0, 0))  # so that writing it again would show
    calendar = (out / "calendar.ics").read_bytes()
    build(root)
    assert (out / "clausewise.xlsx").stat().st_mtime_ns == 0
    assert (out / "calendar.ics").read_bytes() == calendar  # made of the texts the first build kept
    build(root, today="2026-11-24")  # another today: the Findings sheet's date, the events' stamps
    assert (out / "clausewise.xlsx").stat().st_mtime_ns != 0
    fresh = build(root, today="2026-11-24", outdir=tmp_path / "fresh", fresh=True).outdir / "clausewise"
    for name in ("clausewise.xlsx", "calendar.ics", "calendar-ROLE-OWNER.ics"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_workbook_deleted_or_written_elsewhere_is_written(tmp_path: Path) -> None:
    # the cache is kept per place: two output folders share the doctree folder here
    root = small(tmp_path)
    first = build(root, outdir=tmp_path / "a").outdir / "clausewise"
    second = build(root, outdir=tmp_path / "b").outdir / "clausewise"
    assert (second / "clausewise.xlsx").read_bytes() == (first / "clausewise.xlsx").read_bytes()
    (first / "clausewise.xlsx").unlink()
    build(root, outdir=tmp_path / "a")
    assert (first / "clausewise.xlsx").read_bytes() == (second / "clausewise.xlsx").read_bytes()


def test_a_cache_of_the_exports_that_cannot_be_read_is_an_empty_one(tmp_path: Path) -> None:
    root = small(tmp_path)
    built = build(root)
    cache = built.outdir.parent / ".doctrees-html" / "clausewise-exports.pickle"
    assert cache.is_file()
    cache.write_bytes(b"not a pickle")
    (built.outdir / "clausewise" / "clausewise.xlsx").write_bytes(b"stale")
    again = build(root)
    assert [w.kind for w in again.warnings] == ["clausewise.uncovered-clause"]  # the handbook's own, as before
    fresh = build(root, outdir=tmp_path / "fresh", fresh=True).outdir / "clausewise"
    for name in ("clausewise.xlsx", "calendar.ics"):
        assert (again.outdir / "clausewise" / name).read_bytes() == (fresh / name).read_bytes(), name


def test_the_records_sheet_gives_each_event_record_its_day(tmp_path: Path) -> None:
    """A per-event record type: a row per record with the day of its event as its period; a type
    whose window has no record: one row 'per event', missing, with the day a record was due."""
    procedure = governed("PRC-001", "procedure", "Changes", reviewed="2026-01-10", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n"
        "  - id: RT-CHANGE\n    title: Change record\n    owner: ROLE-OWNER\n    evidences: [1.2]\n"
        "    cadence: per event\n    window: 3 months\n"
        "  - id: RT-DRILL\n    title: Drill\n    owner: ROLE-OWNER\n    evidences: [1.2]\n"
        "    cadence: per event\n    window: 3 months\n",
    )
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies=None),
            "procedures/changes.md": procedure,
            "records/change/2026-09-14.md": record("REC-CHANGE-2026-09-14", "RT-CHANGE", "2026-09-14",
                                                   produced="2026-09-15"),
            "records/change/2026-08-02.md": record("REC-CHANGE-2026-08-02", "RT-CHANGE", "2026-08-02",
                                                   produced="2026-08-02"),
        },
        CONF,
    )  # fmt: skip
    result = build(root, today="2026-11-23")
    book = load_workbook(result.outdir / "clausewise" / "clausewise.xlsx")
    rows = [list(r) for r in book["Records"].iter_rows(values_only=True)]
    assert rows[1:] == [
        ["RT-CHANGE", "Change record", "ROLE-OWNER", "2026-08-02", "present", None, "REC-CHANGE-2026-08-02",
         "2026-08-02"],
        ["RT-CHANGE", "Change record", "ROLE-OWNER", "2026-09-14", "present", None, "REC-CHANGE-2026-09-14",
         "2026-09-15"],
        ["RT-DRILL", "Drill", "ROLE-OWNER", "per event", "missing", "2026-10-01", None, None],
    ]  # fmt: skip
