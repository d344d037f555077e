"""Records that cannot be true: produced before their period or event, produced
in the future, an id that names another period or record type; and a record with
uncommitted changes. Real builds, today 2026-11-23; ``clausewise check`` agrees."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clausewise.cli.findings import check_findings
from handbook import build, governed, record, role, write_handbook

PROCEDURE = "procedures/reporting.md"
CONF = 'clausewise_sms_start = "2026-09-01"\n'
ID_LINE, PERIOD_LINE, PRODUCED_LINE = 2, 6, 7


def procedure() -> str:
    return governed("PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n"
        "  - id: RT-REPORT\n    title: Monthly report\n    owner: ROLE-OWNER\n    evidences: [1.1]\n"
        "    cadence: monthly\n"
        "  - id: RT-INCIDENT-REPORT\n    title: Incident review\n    owner: ROLE-OWNER\n    evidences: [1.2]\n"
        "    cadence: per event\n",
    )


def monthly(period: str, **overrides: str) -> str:
    year, month = (int(p) for p in period.split("-"))
    made = f"{year}-{month + 1:02d}-03" if month < 12 else f"{year + 1}-01-03"
    return record(f"REC-REPORT-{period}", "RT-REPORT", period, **{"produced": made, **overrides})


def files(**records: str) -> dict[str, str]:
    base = {f"records/report/2026-{m:02d}.md": monthly(f"2026-{m:02d}") for m in (9, 10)}
    event = record("REC-INCIDENT-REPORT-2026-10-02", "RT-INCIDENT-REPORT", "2026-10-02", produced="2026-10-04")
    return {
        "roles/owner.md": role(),
        PROCEDURE: procedure(),
        "records/incident/2026-10-02.md": event,
        **base,
        **records,
    }


def findings(root: Path) -> list[tuple[str, str, int, str, str]]:
    result = build(root)
    report, _ = check_findings(root, date(2026, 11, 23))
    assert report == result.report
    return [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in result.report["findings"]]


def test_a_valid_handbook_has_no_findings(tmp_path: Path) -> None:
    assert findings(write_handbook(tmp_path / "hb", files(), CONF)) == []


def test_produced_before_its_period_began(tmp_path: Path) -> None:
    october = "records/report/2026-10.md"
    root = write_handbook(tmp_path / "hb", files(**{october: monthly("2026-10", produced="2026-09-20")}), CONF)
    assert findings(root) == [
        ("record-produced-invalid", october, PRODUCED_LINE, "REC-REPORT-2026-10",
         "produced: 2026-09-20 is before its period 2026-10 began on 2026-10-01; a record of it cannot be "
         "produced earlier: correct 'produced' or 'period'"),
    ]  # fmt: skip


def test_produced_before_its_event(tmp_path: Path) -> None:
    path = "records/incident/2026-10-02.md"
    early = record("REC-INCIDENT-REPORT-2026-10-02", "RT-INCIDENT-REPORT", "2026-10-02", produced="2026-09-30")
    root = write_handbook(tmp_path / "hb", files(**{path: early}), CONF)
    assert findings(root) == [
        ("record-produced-invalid", path, PRODUCED_LINE, "REC-INCIDENT-REPORT-2026-10-02",
         "produced: 2026-09-30 is before the event it records began on 2026-10-02; a record of it cannot be "
         "produced earlier: correct 'produced' or 'period'"),
    ]  # fmt: skip


def test_produced_in_the_future_is_not_merely_late(tmp_path: Path) -> None:
    october = "records/report/2026-10.md"
    root = write_handbook(tmp_path / "hb", files(**{october: monthly("2026-10", produced="2027-01-10")}), CONF)
    assert findings(root) == [
        ("record-produced-invalid", october, PRODUCED_LINE, "REC-REPORT-2026-10",
         "produced: 2027-01-10 is in the future (today is 2026-11-23); a record is produced before it is "
         "committed: set the day it was produced"),
    ]  # fmt: skip


def test_an_id_naming_another_period(tmp_path: Path) -> None:
    october = "records/report/2026-10.md"
    wrong = monthly("2026-10").replace("id: REC-REPORT-2026-10", "id: REC-REPORT-2026-08")
    root = write_handbook(tmp_path / "hb", files(**{october: wrong}), CONF)
    assert findings(root) == [
        ("record-id-mismatch", october, ID_LINE, "REC-REPORT-2026-08",
         "id: REC-REPORT-2026-08 names the period 2026-08, but period: is 2026-10; correct one of them, so "
         "that the evidence counts for the period its id says"),
    ]  # fmt: skip


def test_an_event_id_naming_another_day(tmp_path: Path) -> None:
    path = "records/incident/2026-10-02.md"
    wrong = record("REC-INCIDENT-REPORT-2026-10-01", "RT-INCIDENT-REPORT", "2026-10-02", produced="2026-10-04")
    root = write_handbook(tmp_path / "hb", files(**{path: wrong}), CONF)
    assert findings(root) == [
        ("record-id-mismatch", path, ID_LINE, "REC-INCIDENT-REPORT-2026-10-01",
         "id: REC-INCIDENT-REPORT-2026-10-01 names the period 2026-10-01, but period: is 2026-10-02; correct "
         "one of them, so that the evidence counts for the period its id says"),
    ]  # fmt: skip


def test_an_id_naming_another_record_type(tmp_path: Path) -> None:
    # INCIDENT-REPORT is longer than REPORT and names the other type; REPORT alone would match ours
    wrong = monthly("2026-10").replace("id: REC-REPORT-2026-10", "id: REC-INCIDENT-REPORT-2026-10")
    root = write_handbook(tmp_path / "hb", files(**{"records/report/2026-10.md": wrong}), CONF)
    assert findings(root) == [
        ("record-id-mismatch", "records/report/2026-10.md", ID_LINE, "REC-INCIDENT-REPORT-2026-10",
         "id: REC-INCIDENT-REPORT-2026-10 names the record type RT-INCIDENT-REPORT, but record_type: is "
         "RT-REPORT; correct one of them, so that the evidence is filed where its id says"),
    ]  # fmt: skip


def test_an_uncommitted_edit_to_a_record(tmp_path: Path) -> None:
    october = "records/report/2026-10.md"
    root = write_handbook(tmp_path / "hb", files(), CONF)
    (root / october).write_text(monthly("2026-10") + "Quietly changed.\n")
    (root / "records/report/2026-11.md").write_text(monthly("2026-11", produced="2026-11-20"))
    assert findings(root) == [
        ("uncommitted", october, 2, "REC-REPORT-2026-10",
         "REC-REPORT-2026-10 has changes that are not committed yet; once committed, a change to a record must "
         "be explained on a 'correction:' line in the same commit"),
        ("uncommitted", "records/report/2026-11.md", 2, "REC-REPORT-2026-11",
         "REC-REPORT-2026-11 is not committed to git yet: it becomes evidence with its first commit"),
        # November has not ended: its record is early, which is said too
        ("record-premature", "records/report/2026-11.md", 7, "REC-REPORT-2026-11",
         "produced: 2026-11-20 is before its period 2026-11 ended (2026-11-30): a record of a period is produced "
         "once the period is over; correct 'produced' (or 'period'), or, if RT-REPORT's records are rightly "
         "written early, say 'early: allowed' on the record type"),
    ]  # fmt: skip
