"""Coverage over the audit window: real Sphinx builds of a handbook in a real git
repository, today pinned to 2026-11-23. A monthly record type evidences clause
1.1; the SMS started on 2025-09-01. With the default window of 12 months the
window runs from 2025-11-24 to today, so 2025-11 (ended 2025-11-30) is inside
it, 2025-10 is not, and 2026-10 is still within its grace (due 2026-11-30)."""

from __future__ import annotations

import csv
from pathlib import Path

from handbook import build, governed, record, role, write_handbook

PROCEDURE = "procedures/reporting.md"
RT_LINE = 13  # the line of '  - id: RT-REPORT' in the procedure
CONF = 'clausewise_sms_start = "2025-09-01"\n'
DASHBOARD = "# Dashboard\n\n```{clausewise-dashboard}\n```\n"
#: every month whose record is due by today: 2025-09 to 2026-09
MONTHS = [f"2025-{m:02d}" for m in range(9, 13)] + [f"2026-{m:02d}" for m in range(1, 10)]


def monthly(period: str) -> tuple[str, str]:
    year, month = (int(part) for part in period.split("-"))
    produced = f"{year}-{month + 1:02d}-05" if month < 12 else f"{year + 1}-01-05"
    return f"records/report/{period}.md", record(f"REC-REPORT-{period}", "RT-REPORT", period, produced=produced)


def handbook(tmp_path: Path, *missing: str, conf: str = "", extra: dict[str, str] | None = None) -> Path:
    procedure = governed("PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: monthly\n",
    )
    files = {"roles/owner.md": role(), PROCEDURE: procedure, "pages/dashboard.md": DASHBOARD}
    files.update(monthly(p) for p in MONTHS if p not in missing)
    files.update(extra or {})
    return write_handbook(tmp_path / "hb", files, CONF + conf)


def matrix_rows(result_outdir: Path) -> list[list[str]]:
    with (result_outdir / "clausewise" / "matrix.csv").open(newline="") as f:
        return list(csv.reader(f))


def test_a_gap_inside_the_window_is_covered_with_gaps(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, "2026-03"))
    # the gap is reported once, as the missing record it is; coverage adds no finding of its own
    assert result.findings == [("record-missing", PROCEDURE, RT_LINE, "RT-REPORT")]
    matrix = result.page_text("pages/matrix")
    assert (
        "Matrix ¶ 2 of 4 clauses covered ; 2 covered with gaps in the last 12 months; 0 with records missing; "
        "0 declared only (draft, retired or not yet effective documents); 0 uncovered; 0 of the gaps justified. "
        "All clauses (4) Gaps only (2) Showing 4 of 4 clauses "
        "Clause Coverage Documents that satisfy it Records (latest, missing periods) "
        "1 Planning Covered with gaps : no document satisfies it directly: it takes the coverage of its "
        "sub-clauses — — "
        "1.1 Plans Covered with gaps : an approved document in force satisfies it; 1 missing period of RT-REPORT "
        "in the last 12 months PRC-001 Reporting — version 1.0, approved, Owner RT-REPORT : latest "
        "REC-REPORT-2026-09 (period 2026-09, produced 2026-10-05); 1 missing period in the last 12 months "
        "(2026-03) "
        "1.2 Objectives Covered : an approved document in force satisfies it PRC-001 Reporting — version 1.0, "
        "approved, Owner — 2 Operation "
    ) in matrix
    page = result.page_html("pages/matrix")
    # the count of missing periods links to its record type, where its grid shows the gap
    assert 'href="../procedures/reporting.html#RT-REPORT">1 missing period in the last 12 months</a>' in page
    assert 'href="../records/report/2026-09.html#REC-REPORT-2026-09">REC-REPORT-2026-09</a>' in page
    assert page.count('<tr class="clausewise-covered-with-gaps clausewise-gap row-') == 2  # 1.1, and 1 through it
    assert matrix_rows(result.outdir)[1:3] == [
        ["1", "Planning", "covered with gaps", "yes", "", "", "", "", "", "MINI", "", "",
         "no document satisfies it directly: it takes the coverage of its sub-clauses", "", "", ""],
        ["1.1", "Plans", "covered with gaps", "no", "PRC-001", "Reporting", "RT-REPORT", "", "", "MINI",
         "RT-REPORT 2026-03", "RT-REPORT: REC-REPORT-2026-09 (2026-09, produced 2026-10-05)",
         "an approved document in force satisfies it; 1 missing period of RT-REPORT in the last 12 months",
         "1.0", "approved", "RT-REPORT: 1"],
    ]  # fmt: skip
    dashboard = result.page_html("pages/dashboard")
    assert "<title>covered: 2</title>" in dashboard and "<title>covered with gaps: 2</title>" in dashboard
    assert "2 of 4 clauses covered ; 2 covered with gaps in the last 12 months;" in result.page_text("pages/dashboard")


def test_a_gap_before_the_window_leaves_the_clause_covered(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, "2025-10"))  # ended 2025-10-31, before the window opens on 2025-11-24
    # still a missing record, and reported as one
    assert result.findings == [("record-missing", PROCEDURE, RT_LINE, "RT-REPORT")]
    assert result.report["findings"][0]["message"] == (
        "no record of RT-REPORT Monthly report for 2025-10 (due 2025-11-30); add records/report/2025-10.md"
    )
    matrix = result.page_text("pages/matrix")
    assert (
        "Matrix ¶ 4 of 4 clauses covered ; 0 with records missing; 0 declared only (draft, retired or not yet "
        "effective documents); 0 uncovered; 0 of the gaps justified. "
    ) in matrix
    assert (
        "1.1 Plans Covered : an approved document in force satisfies it; every record due in the last 12 months "
        "exists PRC-001 Reporting — version 1.0, approved, Owner RT-REPORT : latest REC-REPORT-2026-09 (period "
        "2026-09, produced 2026-10-05); no missing period in the last 12 months 1.2 "
    ) in matrix
    assert matrix_rows(result.outdir)[2] == [
        "1.1", "Plans", "covered", "no", "PRC-001", "Reporting", "RT-REPORT", "", "", "MINI", "",
        "RT-REPORT: REC-REPORT-2026-09 (2026-09, produced 2026-10-05)",
        "an approved document in force satisfies it; every record due in the last 12 months exists", "1.0",
        "approved", "RT-REPORT: 0",
    ]  # fmt: skip


def test_a_period_that_ends_inside_the_window_counts_though_it_began_before(tmp_path: Path) -> None:
    # 2025-11 began before the window opened (2025-11-24) but ended inside it
    matrix = build(handbook(tmp_path, "2025-11")).page_text("pages/matrix")
    assert "1 missing period in the last 12 months (2025-11) 1.2 " in matrix


def test_the_window_is_a_setting(tmp_path: Path) -> None:
    root = handbook(tmp_path, "2026-03", "2026-07", conf="clausewise_audit_window = '6 months'\n")
    result = build(root)
    assert result.findings == [("record-missing", PROCEDURE, RT_LINE, "RT-REPORT")] * 2
    matrix = result.page_text("pages/matrix")
    # six months back from 2026-11-23: 2026-03 lies before the window, 2026-07 inside it
    assert (
        "1.1 Plans Covered with gaps : an approved document in force satisfies it; 1 missing period of RT-REPORT "
        "in the last 6 months PRC-001 Reporting — version 1.0, approved, Owner RT-REPORT : latest "
        "REC-REPORT-2026-09 (period 2026-09, produced 2026-10-05); 1 missing period in the last 6 months "
        "(2026-07) 1.2 "
    ) in matrix
    wide = build(root, overrides={"clausewise_audit_window": "2 years"}).page_text("pages/matrix")
    assert (
        "1.1 Plans Covered with gaps : an approved document in force satisfies it; 2 missing periods of RT-REPORT "
        "in the last 2 years PRC-001 Reporting — version 1.0, approved, Owner RT-REPORT : latest "
        "REC-REPORT-2026-09 (period 2026-09, produced 2026-10-05); 2 missing periods in the last 2 years "
        "(2026-03, 2026-07) 1.2 "
    ) in wide


def test_a_missing_latest_record_is_records_missing_and_lists_every_gap(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, "2026-02", "2026-09"))
    matrix = result.page_text("pages/matrix")
    assert (
        "1.1 Plans Records missing : an approved document in force satisfies it; the latest due record of "
        "RT-REPORT is missing (2 missing periods in the last 12 months in all) PRC-001 Reporting — version 1.0, "
        "approved, Owner RT-REPORT (latest due record missing) : latest REC-REPORT-2026-08 (period 2026-08, "
        "produced 2026-09-05); 2 missing periods in the last 12 months (2026-02, 2026-09) 1.2 "
    ) in matrix
    assert (
        "1 Planning Records missing : no document satisfies it directly: it takes the coverage of its "
        "sub-clauses — — 1.1 "
    ) in matrix


def test_a_record_type_without_records_says_so(tmp_path: Path) -> None:
    matrix = build(handbook(tmp_path, *MONTHS)).page_text("pages/matrix")
    assert (
        "the latest due record of RT-REPORT is missing (11 missing periods in the last 12 months in all) "
        "PRC-001 Reporting — version 1.0, approved, Owner RT-REPORT (latest due record missing) : no record "
        "yet; 11 missing periods in the last 12 months (2025-11, 2025-12, 2026-01, 2026-02, 2026-03, 2026-04, "
        "2026-05, 2026-06, 2026-07, 2026-08, 2026-09) 1.2 "
    ) in matrix


def test_a_per_event_record_type_has_no_gaps_only_its_own_window(tmp_path: Path) -> None:
    procedure = governed("PRC-002", "procedure", "Incidents", satisfies="[1.2]").replace(
        "satisfies: [1.2]\n",
        "satisfies: [1.2]\nrecord_types:\n  - id: RT-INCIDENT\n    title: Major incident review\n"
        "    owner: ROLE-OWNER\n    evidences: [1.2]\n    cadence: per event\n    window: 6 months\n",
    )
    event = record("REC-INCIDENT-2026-03-14", "RT-INCIDENT", "2026-03-14", produced="2026-03-20")
    result = build(
        handbook(tmp_path, extra={"procedures/incidents.md": procedure, "records/incident/2026-03-14.md": event})
    )
    assert result.findings == [("record-missing", "procedures/incidents.md", RT_LINE, "RT-INCIDENT")]
    matrix = result.page_text("pages/matrix")
    # no record within its 6 months: records missing, with its latest record and no count of periods
    assert (
        "1.2 Objectives Records missing : an approved document in force satisfies it; RT-INCIDENT has no record "
        "within its own window PRC-001 Reporting — version 1.0, approved, Owner PRC-002 Incidents — version "
        "1.0, approved, Owner RT-INCIDENT (no record within its window) : latest REC-INCIDENT-2026-03-14 (period "
        "2026-03-14, produced 2026-03-20) 2 "
    ) in matrix
