"""Missing records and evidence integrity: real Sphinx builds on real git
repositories, today pinned to 2026-11-23, the SMS started on 2026-06-01."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from git import Repo
from handbook import build, commit, governed, record, role, write_handbook

PROCEDURE = "procedures/reporting.md"
RT_LINE = 13  # the line of '  - id: RT-REPORT' in the procedure
CONF = 'clausewise_sms_start = "2026-06-01"\n'


def procedure(cadence: str = "monthly", extra: str = "") -> str:
    return governed("PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
        f"    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: {cadence}\n{extra}",
    )


def monthly(period: str, produced: str | None = None, **overrides: str) -> tuple[str, str]:
    year, month = (int(part) for part in period.split("-"))
    next_month = f"{year}-{month + 1:02d}-05" if month < 12 else f"{year + 1}-01-05"
    made = produced or next_month
    return f"records/report/{period}.md", record(
        f"REC-REPORT-{period}", "RT-REPORT", period, produced=made, **overrides
    )


def handbook(tmp_path: Path, *periods: str, extra: dict[str, str] | None = None, rt: str = "") -> Path:
    files = {"roles/owner.md": role(), PROCEDURE: procedure(extra=rt) if rt else procedure()}
    files.update(dict(monthly(p) for p in periods))
    files.update(extra or {})
    return write_handbook(tmp_path / "hb", files, CONF)


ALL = ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10")


def test_complete_records_have_no_findings(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, *ALL))
    assert result.findings == []


def test_missing_month(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, "2026-06", "2026-07", "2026-09", "2026-10"))
    assert result.findings == [("record-missing", PROCEDURE, RT_LINE, "RT-REPORT")]
    assert result.report["findings"][0]["message"] == (
        "no record of RT-REPORT Monthly report for 2026-08 (due 2026-09-30); add records/report/2026-08.md"
    )


def test_a_period_within_grace_is_due_not_missing(tmp_path: Path) -> None:
    # 2026-10 ended on 31 October; its record is due on 30 November
    assert build(handbook(tmp_path, "2026-06", "2026-07", "2026-08", "2026-09")).findings == []


def test_late_record(tmp_path: Path) -> None:
    late = dict([monthly("2026-09", produced="2026-11-05")])
    result = build(handbook(tmp_path, "2026-06", "2026-07", "2026-08", "2026-10", extra=late))
    assert result.findings == [("record-late", "records/report/2026-09.md", 7, "REC-REPORT-2026-09")]
    assert result.report["findings"][0]["message"] == (
        "produced 2026-11-05, after its due date 2026-10-30 (2026-09 ended 2026-09-30, 30 days' grace)"
    )


def test_duplicate_record(tmp_path: Path) -> None:
    twin = {
        "records/report/2026-07-again.md": record("REC-REPORT-2026-07-B", "RT-REPORT", "2026-07", produced="2026-08-09")
    }
    result = build(handbook(tmp_path, *ALL, extra=twin))
    assert result.findings == [("record-duplicate", "records/report/2026-07-again.md", 6, "REC-REPORT-2026-07-B")]
    assert result.report["findings"][0]["message"] == (
        "REC-REPORT-2026-07 (records/report/2026-07.md) already covers 2026-07 of RT-REPORT; retire one of them "
        "with 'status: retired', or set 'allow_several: true' on the record type"
    )
    # retiring the older one resolves it; a type that allows several never reports it
    retired = dict([monthly("2026-07", status="retired")])
    assert build(handbook(tmp_path / "b", *ALL, extra={**twin, **retired})).findings == []
    several = handbook(tmp_path / "c", *ALL, extra=twin, rt="    allow_several: true\n")
    assert build(several).findings == []


def test_unknown_record_type(tmp_path: Path) -> None:
    stray = {"records/other/2026-07.md": record("REC-OTHER-2026-07", "RT-NOPE", "2026-07")}
    result = build(handbook(tmp_path, *ALL, extra=stray))
    assert result.findings == [("record-unknown-type", "records/other/2026-07.md", 5, "REC-OTHER-2026-07")]
    assert result.report["findings"][0]["message"] == (
        "record_type: 'RT-NOPE' is not declared by any procedure; use the id of a record type declared under "
        "record_types: in a document's front matter"
    )
    close = {"records/other/2026-07.md": record("REC-OTHER-2026-07", "RT-REPROT", "2026-07")}
    message = build(handbook(tmp_path / "close", *ALL, extra=close)).report["findings"][0]["message"]
    assert message.startswith("record_type: 'RT-REPROT' is not declared by any procedure (did you mean RT-REPORT?);")


def test_record_for_a_future_period_and_a_foreign_period(tmp_path: Path) -> None:
    future = {"records/report/2026-12.md": record("REC-REPORT-2026-12", "RT-REPORT", "2026-12", produced="2026-11-20")}
    foreign = {"records/report/q3.md": record("REC-REPORT-Q3", "RT-REPORT", "2026-Q3", produced="2026-10-02")}
    result = build(handbook(tmp_path, *ALL, extra={**future, **foreign}))
    assert result.findings == [
        ("record-period-invalid", "records/report/2026-12.md", 6, "REC-REPORT-2026-12"),
        ("record-period-invalid", "records/report/q3.md", 6, "REC-REPORT-Q3"),
    ]
    assert [f["message"] for f in result.report["findings"]] == [
        "period: 2026-12 has not begun yet (today is 2026-11-23)",
        "period: '2026-Q3' is not a period of the schedule (monthly); expected a month such as 2026-09",
    ]


def test_record_before_the_schedule_starts(tmp_path: Path) -> None:
    early = dict([monthly("2026-05")])
    result = build(handbook(tmp_path, *ALL, extra=early))
    assert result.findings == [("record-period-invalid", "records/report/2026-05.md", 6, "REC-REPORT-2026-05")]
    assert (
        result.report["findings"][0]["message"]
        == "period: 2026-05 is before the schedule of RT-REPORT starts (2026-06)"
    )


def test_record_edited_after_its_first_commit(tmp_path: Path) -> None:
    root = handbook(tmp_path, *ALL)
    path, text = monthly("2026-07")
    sha = commit(root, "Fix the figures", "2026-09-01T10:00:00+00:00", {path: text + "Figures fixed.\n"},
                 author=("Tom Brennan", "tom@example.org"))  # fmt: skip
    result = build(root)
    assert result.findings == [("record-modified", path, 2, "REC-REPORT-2026-07")]
    assert result.report["findings"][0]["message"] == (
        f"changed after it was first committed: commit {sha[:7]} by Tom Brennan on 2026-09-01 ('Fix the figures'); "
        "a record is evidence: undo the change, or explain it on a 'correction:' line in the same commit"
    )


def test_record_corrected_with_a_note(tmp_path: Path) -> None:
    root = handbook(tmp_path, *ALL)
    path, text = monthly("2026-07", correction="2026-09-01 P1 count corrected from 4 to 3 (T. Brennan)")
    commit(root, "Correct the P1 count", "2026-09-01T10:00:00+00:00", {path: text + "P1 incidents: 3.\n"})
    result = build(root)
    assert result.findings == []
    assert "Correction 2026-09-01 P1 count corrected from 4 to 3 (T. Brennan)" in result.page_text(
        "records/report/2026-07"
    )
    # a later change that does not update the note is reported again
    commit(root, "Quiet edit", "2026-10-01T10:00:00+00:00", {path: text + "P1 incidents: 2.\n"})
    assert [f[0] for f in build(root).findings] == ["record-modified"]


def test_deleted_record(tmp_path: Path) -> None:
    root = handbook(tmp_path, *ALL)
    sha = commit(root, "Tidy up", "2026-09-10T10:00:00+00:00", remove=("records/report/2026-07.md",))
    result = build(root)
    assert result.findings == [
        ("record-missing", PROCEDURE, RT_LINE, "RT-REPORT"),
        ("record-deleted", "records/report/2026-07.md", 0, "RT-REPORT"),
    ]
    assert result.report["findings"][1]["message"] == (
        f"record deleted in commit {sha[:7]} by Ann Owner on 2026-09-10 ('Tidy up'); records are retired with "
        f"'status: retired', not deleted: restore it with 'git checkout {sha[:7]}^ -- records/report/2026-07.md'"
    )
    # the warning names the deleted file itself, not a page of that name
    deleted = [w for w in result.warnings if w.kind == "clausewise.record-deleted"]
    assert [(w.path, w.line, w.level) for w in deleted] == [("", None, "ERROR")]
    assert deleted[0].message.startswith("records/report/2026-07.md: record deleted in commit")
    # the record type (read from the deleted file's last content) names who must restore it
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    checked = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "--handbook", str(root), "check", "--today", "2026-11-23"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    lines = checked.stdout.splitlines()
    owner = lines.index("Owner (ROLE-OWNER):")
    assert lines[owner + 1 : owner + 3] == [
        f"  {PROCEDURE}:{RT_LINE}: warning [record-missing] " + result.report["findings"][0]["message"],
        "  records/report/2026-07.md: error [record-deleted] " + result.report["findings"][1]["message"],
    ]
    # restoring it clears both
    Repo(root).git.checkout(f"{sha}^", "--", "records/report/2026-07.md")
    commit(root, "Restore the record", "2026-09-11T10:00:00+00:00")
    assert build(root).findings == []


def test_period_grid_of_a_record_type(tmp_path: Path) -> None:
    late = dict([monthly("2026-07", produced="2026-09-15")])
    result = build(handbook(tmp_path, "2026-06", "2026-09", extra=late))
    text = result.page_text("procedures/reporting")
    grid = text[text.index("RT-REPORT Monthly report: periods") : text.index("present: a record covers")]
    assert grid == (
        "RT-REPORT Monthly report: periods Year Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec "
        "2026 · · · · · present late missing present due open · "
    )
    page = result.page_html("procedures/reporting")
    assert '<td data-label="Aug" class="clausewise-state-missing">' in page  # its month, for a phone's cards
    assert 'href="../records/report/2026-07.html#REC-REPORT-2026-07">late</a>' in page
    table = text[text.index("Records this document requires") :]
    assert table.startswith(
        "Records this document requires ¶ Record type Title Owner Cadence Evidences Last record Next due Missing "
        "RT-REPORT Monthly report Owner monthly 1.1 2026-09 2026-11-30 1 "
    )


def test_clause_counts_as_covered_only_with_its_latest_records(tmp_path: Path) -> None:
    gap = build(handbook(tmp_path, "2026-06", "2026-07", "2026-08"))  # 2026-09 missing: the last due period
    matrix = gap.page_text("pages/matrix")
    assert (
        "1.1 Plans Records missing : an approved document in force satisfies it; the latest due record of "
        "RT-REPORT is missing (1 missing period in the last 12 months in all) PRC-001 Reporting — version 1.0, "
        "approved, Owner RT-REPORT (latest due record missing) : latest REC-REPORT-2026-08 (period 2026-08, "
        "produced 2026-09-05); 1 missing period in the last 12 months (2026-09) 1.2 " in matrix
    )
    assert "2 with records missing" in matrix  # 1.1, and its parent through it
    assert "1 Planning Records missing : no document satisfies it directly: it takes the coverage of its " in matrix
    older_gap = build(handbook(tmp_path / "b", "2026-06", "2026-08", "2026-09"))  # 2026-07 missing, latest present
    # an auditor sampling the last 12 months finds 2026-07 missing: covered, but with a gap
    assert (
        "1.1 Plans Covered with gaps : an approved document in force satisfies it; 1 missing period of RT-REPORT "
        "in the last 12 months PRC-001 Reporting — version 1.0, approved, Owner RT-REPORT : latest "
        "REC-REPORT-2026-09 (period 2026-09, produced 2026-10-05); 1 missing period in the last 12 months "
        "(2026-07) 1.2 " in older_gap.page_text("pages/matrix")
    )


def test_per_event_record_type(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(), PROCEDURE: procedure("per event", "    window: 6 months\n")},
        CONF,
    )
    result = build(root)  # started 2026-06-01: a record is required from 2026-12-01
    assert result.findings == []
    later = build(root, today="2026-12-02", fresh=True)
    assert later.findings == [("record-missing", PROCEDURE, RT_LINE, "RT-REPORT")]
    assert later.report["findings"][0]["message"] == (
        "no record of RT-REPORT Monthly report within the last 6 months (none yet); add one under records/report/"
    )
    commit(
        root,
        "Event",
        "2026-11-01T10:00:00+00:00",
        {
            "records/report/2026-10-30.md": record(
                "REC-REPORT-2026-10-30", "RT-REPORT", "2026-10-30", produced="2026-11-01"
            )
        },
    )
    assert build(root, today="2026-12-02").findings == []
