"""Retention and disposal: a record type's ``retain:`` says how long each record is
kept after its period; a record deleted after that is disposed of lawfully
(``record-disposed``, naming the commit), before that it is still
``record-deleted``; a period past its retention needs no record; a record still
present past it is due for disposal (register, ``clausewise due``, and
``record-retention-expired`` when the handbook switches it on). Real builds on
real git repositories, "today" from the setting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clausewise.cli.findings import check_findings
from clausewise.core.findings import CODES, Code, Severity, resolve_severity
from clausewise.outputs.forges import sarif_report
from clausewise.rules import retention
from clausewise.rules.periods import parse_period
from clausewise.sources.metadata import parse_cadence
from handbook import Build, build, commit, governed, ok, record, role, run_clausewise, write_handbook

PROCEDURE = "procedures/review.md"
RT_REVIEW_LINE = 13  # '  - id: RT-REVIEW'
RT_INCIDENT_LINE = 19  # '  - id: RT-INCIDENT'
PERIOD_LINE = 6  # a record's 'period:'
CONF = 'clausewise_sms_start = "2020-01-01"\n'
ENABLED = CONF + 'clausewise_severity = {"record-retention-expired": "info"}\n'
DELETED_ON = "2026-09-10T10:00:00+00:00"


def procedure(retain: str = "2 years") -> str:
    return governed("PRC-001", "procedure", "Reviews", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n"
        "  - id: RT-REVIEW\n    title: Yearly review\n    owner: ROLE-OWNER\n    evidences: [1.1]\n"
        f"    cadence: yearly\n    retain: {retain}\n"
        "  - id: RT-INCIDENT\n    title: Incident report\n    owner: ROLE-OWNER\n    evidences: [1.2]\n"
        "    cadence: per event\n    retain: 18 months\n",
    )


def files(retain: str = "2 years") -> dict[str, str]:
    """Yearly reviews of 2022 to 2025 (2020 and 2021 have none: past their retention, no
    longer required), and two incident reports, one past its retention."""
    out = {"roles/owner.md": role(), PROCEDURE: procedure(retain)}
    for year in range(2022, 2026):
        out[f"records/review/{year}.md"] = record(
            f"REC-REVIEW-{year}", "RT-REVIEW", str(year), produced=f"{year + 1}-01-10"
        )
    for day in ("2024-03-01", "2026-10-01"):
        out[f"records/incident/{day}.md"] = record(f"REC-INCIDENT-{day}", "RT-INCIDENT", day, produced=day)
    return out


def checked_equals_built(root: Path, result: Build) -> None:
    report, _ = check_findings(root, date(2026, 11, 23))
    assert report == result.report


def test_records_past_retention_are_due_for_disposal_and_old_periods_no_longer_required(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), CONF)
    result = build(root)
    # 2020 and 2021 have no record, but could have been disposed of by now: not missing;
    # record-retention-expired is off by default
    assert result.findings == []
    assert resolve_severity(Code.RECORD_RETENTION_EXPIRED, {}) is Severity.OFF
    assert CODES[Code.RECORD_RETENTION_EXPIRED].severity is Severity.INFO
    checked_equals_built(root, result)
    page = result.page_text("procedures/review")
    # the grid shows 2022 to 2026 only: the periods before are past their retention without a record
    assert "Year Year 2026 open 2025 present 2024 present 2023 present 2022 present present:" in page
    assert (
        "Each record is kept for 2 years after the end of its period, then may be disposed of; a period past "
        "that needs no record. Due for disposal (2): 2022 \u00b7 2023"
    ) in page
    assert (
        "Each record is kept for 18 months after its event, then may be disposed of. Due for disposal (1): 2024-03-01"
    ) in page


def test_the_register_and_due_list_records_due_for_disposal(tmp_path: Path) -> None:
    register = "# Records\n\n```{record-register}\n```\n"
    root = write_handbook(tmp_path / "hb", {**files(), "pages/records.md": register}, CONF)
    result = build(root)
    assert result.findings == []
    text = result.page_text("pages/records")
    assert (
        "Due for disposal 3 record(s) kept longer than their record type's retention: each may be disposed of by "
        "deleting its file in a commit of its own (reported as record-disposed, naming the commit). "
        "Record Record type Period Retention Kept until May be disposed of from "
        "REC-REVIEW-2022 RT-REVIEW 2022 2 years 2024-12-31 2025-01-01 "
        "REC-INCIDENT-2024-03-01 RT-INCIDENT 2024-03-01 18 months 2025-09-01 2025-09-02 "
        "REC-REVIEW-2023 RT-REVIEW 2023 2 years 2025-12-31 2026-01-01"
    ) in text
    lines = ok(run_clausewise("--handbook", root, "due", "--today", "2026-11-23"))
    assert lines == [
        "Due within 30 days of 2026-11-23: 3",
        "  2025-01-01  dispose  record  REC-REVIEW-2022 Record 2022 (RT-REVIEW 2022)  [Owner]",
        "  2025-09-02  dispose  record  REC-INCIDENT-2024-03-01 Record 2024-03-01 (RT-INCIDENT 2024-03-01)  [Owner]",
        "  2026-01-01  dispose  record  REC-REVIEW-2023 Record 2023 (RT-REVIEW 2023)  [Owner]",
    ]


def test_a_register_without_any_retention_says_nothing_of_disposal(tmp_path: Path) -> None:
    register = "# Records\n\n```{record-register}\n```\n"
    plain = {
        k: v.replace("    retain: 2 years\n", "").replace("    retain: 18 months\n", "") for k, v in files().items()
    }
    root = write_handbook(tmp_path / "hb", {**plain, "pages/records.md": register}, CONF)
    result = build(root)
    # kept for good: 2020 and 2021 are missing, and nothing is due for disposal
    assert result.findings == [
        ("record-missing", PROCEDURE, RT_REVIEW_LINE, "RT-REVIEW"),
        ("record-missing", PROCEDURE, RT_REVIEW_LINE, "RT-REVIEW"),
    ]
    assert "Due for disposal" not in result.page_text("pages/records")
    assert "dispose" not in "\n".join(ok(run_clausewise("--handbook", root, "due", "--today", "2026-11-23")))


def test_record_retention_expired_when_switched_on(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), ENABLED)
    result = build(root)
    assert result.findings == [
        ("record-retention-expired", "records/incident/2024-03-01.md", PERIOD_LINE, "REC-INCIDENT-2024-03-01"),
        ("record-retention-expired", "records/review/2022.md", PERIOD_LINE, "REC-REVIEW-2022"),
        ("record-retention-expired", "records/review/2023.md", PERIOD_LINE, "REC-REVIEW-2023"),
    ]
    assert result.report["findings"][1]["severity"] == "info"
    assert result.report["findings"][1]["message"] == (
        "REC-REVIEW-2022 covers 2022; RT-REVIEW keeps its records for 2 years ('retain:'), so it had to be kept "
        "until 2024-12-31 and may be disposed of since 2025-01-01: delete it in a commit of its own (reported as "
        "record-disposed), or raise 'retain:' of RT-REVIEW if it must be kept longer"
    )
    checked_equals_built(root, result)


def test_a_record_deleted_after_its_retention_is_disposed_of(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), ENABLED)
    sha = commit(root, "Dispose of the 2022 review", DELETED_ON, remove=("records/review/2022.md",))
    result = build(root)
    # not record-deleted, and its period is not reported missing
    assert result.findings == [
        ("record-retention-expired", "records/incident/2024-03-01.md", PERIOD_LINE, "REC-INCIDENT-2024-03-01"),
        ("record-disposed", "records/review/2022.md", 0, "RT-REVIEW"),
        ("record-retention-expired", "records/review/2023.md", PERIOD_LINE, "REC-REVIEW-2023"),
    ]
    disposed = result.report["findings"][1]
    assert disposed["severity"] == "info"
    assert disposed["message"] == (
        f"record REC-REVIEW-2022 (period 2022) disposed of in commit {sha[:7]} by Ann Owner on 2026-09-10 "
        "('Dispose of the 2022 review'), after its retention of 2 years ended on 2024-12-31"
    )
    assert "2022" not in result.page_text("procedures/review").split("present:")[0]
    checked_equals_built(root, result)


def test_a_per_event_record_deleted_after_its_retention_is_disposed_of(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), CONF)
    sha = commit(root, "Dispose of an old incident", DELETED_ON, remove=("records/incident/2024-03-01.md",))
    result = build(root)
    assert result.findings == [("record-disposed", "records/incident/2024-03-01.md", 0, "RT-INCIDENT")]
    assert result.report["findings"][0]["message"] == (
        f"record REC-INCIDENT-2024-03-01 (period 2024-03-01) disposed of in commit {sha[:7]} by Ann Owner on "
        "2026-09-10 ('Dispose of an old incident'), after its retention of 18 months ended on 2025-09-01"
    )


def test_a_record_deleted_before_its_retention_ends_is_still_deleted(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), CONF)
    sha = commit(root, "Tidy up", DELETED_ON, remove=("records/review/2024.md",))
    result = build(root)
    assert result.findings == [
        ("record-missing", PROCEDURE, RT_REVIEW_LINE, "RT-REVIEW"),
        ("record-deleted", "records/review/2024.md", 0, "RT-REVIEW"),
    ]
    deleted = result.report["findings"][1]
    assert deleted["severity"] == "error"
    assert deleted["message"] == (
        f"record deleted in commit {sha[:7]} by Ann Owner on 2026-09-10 ('Tidy up'); records are retired with "
        "'status: retired', not deleted; its record type RT-REVIEW keeps records for 2 years, so it had to be "
        "kept until 2026-12-31 and may be disposed of from 2027-01-01: restore it with "
        f"'git checkout {sha[:7]}^ -- records/review/2024.md'"
    )
    checked_equals_built(root, result)


def test_deleted_on_the_last_day_of_retention_is_too_early(tmp_path: Path) -> None:
    # REC-REVIEW-2023 is kept until 2025-12-31: deleted that day, it is still an error
    root = write_handbook(tmp_path / "hb", files(), CONF, when="2025-06-01T09:00:00+00:00")
    commit(root, "Too early", "2025-12-31T23:00:00+00:00", remove=("records/review/2023.md",))
    result = build(root)
    assert [f[:2] for f in result.findings] == [("record-deleted", "records/review/2023.md")]
    assert "kept until 2025-12-31 and may be disposed of from 2026-01-01" in result.report["findings"][0]["message"]


def test_a_record_type_kept_for_good_never_disposes(tmp_path: Path) -> None:
    kept = {k: v.replace("    retain: 2 years\n", "") for k, v in files().items()}
    root = write_handbook(tmp_path / "hb", kept, ENABLED)
    commit(root, "Remove an old review", DELETED_ON, remove=("records/review/2022.md",))
    result = build(root)
    assert [f[:2] for f in result.findings] == [
        ("record-missing", PROCEDURE),
        ("record-missing", PROCEDURE),
        ("record-missing", PROCEDURE),
        ("record-retention-expired", "records/incident/2024-03-01.md"),
        ("record-deleted", "records/review/2022.md"),
    ]
    assert "may be disposed of" not in result.report["findings"][4]["message"]


def test_retention_counts_calendar_months_from_the_end_of_the_period() -> None:
    monthly = parse_cadence("monthly")
    assert monthly is not None
    february = parse_period("2020-02", monthly, date(2020, 1, 1))
    assert not isinstance(february, str)
    # the end of February 2020 is the 29th; six years on, February has 28 days
    assert retention.kept_until(february, 72) == date(2026, 2, 28)
    assert retention.kept_until(date(2024, 3, 31), 18) == date(2025, 9, 30)  # a per-event record's day
    assert [retention.retention_text(m) for m in (1, 12, 18, 72)] == ["1 month", "1 year", "18 months", "6 years"]


def test_a_code_off_by_default_is_a_disabled_rule_in_sarif() -> None:
    rules = {r["id"]: r for r in sarif_report({"findings": []}, "0")["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["record-retention-expired"]["defaultConfiguration"] == {"level": "note", "enabled": False}
    assert rules["record-disposed"]["defaultConfiguration"] == {"level": "note"}


def test_a_period_edited_before_the_deletion_does_not_make_it_a_disposal(tmp_path: Path) -> None:
    # hostile: the 2025 review (kept until 2027-12-31) has its period set back to 2020, even
    # with a correction, then is deleted: its retention is judged from the period it was
    # committed with, so the deletion is still record-deleted
    root = write_handbook(tmp_path / "hb", files(), CONF)
    edited = record("REC-REVIEW-2025", "RT-REVIEW", "2020", produced="2026-01-10", correction="period fixed")
    commit(root, "Correct the period", "2026-09-01T10:00:00+00:00", {"records/review/2025.md": edited})
    sha = commit(root, "Tidy up", DELETED_ON, remove=("records/review/2025.md",))
    result = build(root)
    assert result.findings == [
        ("record-missing", PROCEDURE, RT_REVIEW_LINE, "RT-REVIEW"),
        ("record-deleted", "records/review/2025.md", 0, "RT-REVIEW"),
    ]
    assert result.report["findings"][1]["message"] == (
        f"record deleted in commit {sha[:7]} by Ann Owner on 2026-09-10 ('Tidy up'); records are retired with "
        "'status: retired', not deleted; its record type RT-REVIEW keeps records for 2 years, so it had to be "
        "kept until 2027-12-31 and may be disposed of from 2028-01-01: restore it with "
        f"'git checkout {sha[:7]}^ -- records/review/2025.md'"
    )
    checked_equals_built(root, result)


def test_a_deletion_dated_after_today_is_not_a_disposal(tmp_path: Path) -> None:
    # the commit's date is the committer's word: a deletion dated 2028 but checked on
    # 2026-11-23 (today), before the 2025 review's retention ends, is no disposal
    root = write_handbook(tmp_path / "hb", files(), CONF)
    commit(root, "Dispose of it", "2028-02-01T10:00:00+00:00", remove=("records/review/2025.md",))
    result = build(root)
    assert [f[:2] for f in result.findings] == [
        ("record-missing", PROCEDURE),
        ("record-deleted", "records/review/2025.md"),
    ]
    assert "kept until 2027-12-31 and may be disposed of from 2028-01-01" in result.report["findings"][1]["message"]
    checked_equals_built(root, result)
