"""What makes a record evidence: not a draft, and its body filled in (record-unfilled),
and produced once its period is over (record-premature, early: allowed). Real git
repositories, real Sphinx builds, and `clausewise check` and `new record` in child processes."""

from __future__ import annotations

import json
from pathlib import Path

from clausewise.sources.recordbody import PLACEHOLDERS
from handbook import build, commit, governed, ok, record, role, run_clausewise, write_handbook

PROCEDURE = "procedures/reporting.md"
TODAY = "2026-11-23"
LATER = "2026-11-23T10:00:00+00:00"
RECORD_TYPE = (
    "record_types:\n"
    "  - id: RT-REPORT\n"
    "    title: Monthly report\n"
    "    owner: ROLE-OWNER\n"
    "    evidences: [1.1]\n"
    "    cadence: monthly\n"
)
#: RT-REPORT runs from August (the SMS start); September has a record, so August is missing
MISSING_AUGUST = ("record-missing", PROCEDURE, 13, "RT-REPORT")
AUGUST = "records/report/2026-08.md"


def handbook(tmp_path: Path, record_type: str = RECORD_TYPE, **records: str) -> Path:
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1, 1.2]"),
        PROCEDURE: governed("PRC-001", "procedure", "Reporting", satisfies="[1.1]").replace(
            "satisfies: [1.1]\n", "satisfies: [1.1]\n" + record_type
        ),
        "records/report/2026-09.md": record("REC-REPORT-2026-09", "RT-REPORT", "2026-09"),
        **records,
    }
    return write_handbook(tmp_path / "hb", files, 'clausewise_sms_start = "2026-08-01"\n')


def new_august_record(root: Path) -> str:
    ok(run_clausewise("new", "record", "RT-REPORT", "--today", TODAY, "--produced-by", "Ann Owner", cwd=root))
    return (root / AUGUST).read_text()


def filled_in(text: str) -> str:
    """What an owner does to a new record: the summary and actions written, the status set to current."""
    return (
        text.replace(PLACEHOLDERS[0], "Availability 99.95% against 99.9%; two incidents, both closed.")
        .replace(PLACEHOLDERS[1], "None: the targets were met.")
        .replace("status: draft", "status: current")
    )


def checked(root: Path) -> dict[str, object]:
    done = run_clausewise("check", "--today", TODAY, "--format", "json", cwd=root)
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


def test_a_skeleton_committed_unchanged_is_no_evidence(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    text = new_august_record(root)
    assert text.splitlines()[9] == "status: draft"
    commit(root, "Record REC-REPORT-2026-08", LATER)
    result = build(root)
    # August stays missing; the draft is reported at its status line
    assert result.findings == [MISSING_AUGUST, ("record-unfilled", AUGUST, 10, "REC-REPORT-2026-08")]
    assert result.report["findings"][1]["message"] == (
        "status: draft: REC-REPORT-2026-08 is not evidence yet, so it does not count for its period 2026-08; "
        "fill in what the record shows and set 'status: current' to approve it"
    )
    assert result.report["findings"][1]["severity"] == "warning"
    assert checked(root) == result.report  # `clausewise check` reads the body as the build does
    # listed on its record type's page, not counted in any period
    procedure = result.page_text("procedures/reporting")
    assert "2026 · · · · · · · missing present due open · present:" in procedure
    assert "Not yet evidence (1: drafts or records not filled in, not counted): 2026-08 (draft)" in procedure
    page = result.page_text("records/report/2026-08")
    assert (
        "Period covered 2026-08 Produced on 2026-11-23 Produced by Ann Owner Classification internal "
        "Status draft: not evidence until it is filled in and its status set to current"
    ) in page


def test_a_current_record_that_still_holds_the_placeholder_is_no_evidence(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    text = new_august_record(root).replace("status: draft", "status: current")
    # line 14: the first placeholder sentence, below the front matter's closing line and a blank line
    assert text.splitlines()[13] == PLACEHOLDERS[0]
    commit(root, "Record REC-REPORT-2026-08", LATER, {AUGUST: text})
    result = build(root)
    assert result.findings == [MISSING_AUGUST, ("record-unfilled", AUGUST, 14, "REC-REPORT-2026-08")]
    assert result.report["findings"][1]["message"] == (
        "REC-REPORT-2026-08 is not filled in: its body still holds the placeholder text of 'clausewise new "
        "record' (or no text at all, and no 'evidence:'), so it does not count for its period 2026-08; write "
        "what the record shows in place of the placeholder"
    )
    assert checked(root) == result.report
    assert "(unfilled)" in result.page_text("procedures/reporting")
    assert "Status not filled in: it still holds placeholder text" in result.page_text("records/report/2026-08")
    # one placeholder left (the actions), the summary written: still not filled in, at that line
    half = text.replace(PLACEHOLDERS[0], "Availability 99.95%.")
    commit(root, "Half written", LATER, {AUGUST: half})
    assert ("record-unfilled", AUGUST, 18, "REC-REPORT-2026-08") in build(root).findings


def test_a_current_record_still_produced_by_the_web_editors_placeholder_is_no_evidence(tmp_path: Path) -> None:
    """The forge's web editor writes 'produced_by: Your name' into a record it adds (see
    pipeline/editlinks.py); a record approved with it unchanged does not say who produced it."""
    august = record("REC-REPORT-2026-08", "RT-REPORT", "2026-08", produced_by="your  name", produced="2026-09-02")
    root = handbook(tmp_path, **{AUGUST: august})
    commit(root, "Record REC-REPORT-2026-08", LATER)
    result = build(root)
    # line 8: produced_by, under id, type, title, record_type, period and produced
    assert result.findings == [MISSING_AUGUST, ("record-unfilled", AUGUST, 8, "REC-REPORT-2026-08")]
    assert result.report["findings"][1]["message"] == (
        "produced_by: 'your  name' is the placeholder the forge's web editor writes, not who produced "
        "REC-REPORT-2026-08, so it does not count for its period 2026-08; write the name of the person who "
        "produced it"
    )
    assert checked(root) == result.report
    assert "Status not filled in: it still holds placeholder text" in result.page_text("records/report/2026-08")


def test_a_draft_filled_in_and_approved_counts(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    text = new_august_record(root)
    commit(root, "Record REC-REPORT-2026-08", LATER, {AUGUST: filled_in(text)})
    result = build(root)
    # August has its record now: produced in November, after its due date, which is the truth
    assert result.findings == [("record-late", AUGUST, 7, "REC-REPORT-2026-08")]
    assert checked(root) == result.report
    procedure = result.page_text("procedures/reporting")
    assert "2026 · · · · · · · late present due open · present:" in procedure
    assert "Not yet evidence" not in procedure


def test_a_committed_draft_approved_later_counts(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    text = new_august_record(root)
    commit(root, "Draft of REC-REPORT-2026-08", "2026-11-23T09:00:00+00:00")
    commit(root, "Approve REC-REPORT-2026-08", LATER, {AUGUST: filled_in(text)})
    result = build(root)
    # the draft's period counts once it is approved, nothing says it is unfilled any more, and
    # filling in and approving a draft is completing it, not changing evidence: no record-modified
    assert result.findings == [("record-late", AUGUST, 7, "REC-REPORT-2026-08")]
    assert checked(root) == result.report
    assert "2026 · · · · · · · late present due open · present:" in result.page_text("procedures/reporting")


def test_a_body_with_nothing_but_headings(tmp_path: Path) -> None:
    empty = record("REC-REPORT-2026-10", "RT-REPORT", "2026-10", produced="2026-11-02").replace(
        "Record text.\n", "## Summary\n\n<!-- to do -->\n\n## Actions\n"
    )
    # the same, with the evidence kept elsewhere: the record points at it, and counts
    linked = empty.replace("classification: internal\n", "classification: internal\nevidence: [dms-2026-08.pdf]\n")
    root = handbook(
        tmp_path,
        **{
            "records/report/2026-10.md": empty,
            AUGUST: linked.replace("2026-10", "2026-08").replace("produced: 2026-11-02", "produced: 2026-09-02"),
        },
    )
    result = build(root)
    # the record shows nothing: reported at the front matter's closing line (line 10)
    assert result.findings == [("record-unfilled", "records/report/2026-10.md", 10, "REC-REPORT-2026-10")]
    assert checked(root) == result.report
    assert "2026 · · · · · · · present present due open · present:" in result.page_text("procedures/reporting")


def test_a_record_produced_before_its_period_ended(tmp_path: Path) -> None:
    records = {
        AUGUST: record("REC-REPORT-2026-08", "RT-REPORT", "2026-08", produced="2026-08-31"),  # its last day: fine
        "records/report/2026-10.md": record("REC-REPORT-2026-10", "RT-REPORT", "2026-10", produced="2026-10-29"),
        "records/report/2026-11.md": record("REC-REPORT-2026-11", "RT-REPORT", "2026-11", produced="2026-11-20"),
    }
    root = handbook(tmp_path, **records)
    result = build(root)
    assert result.findings == [
        ("record-premature", "records/report/2026-10.md", 7, "REC-REPORT-2026-10"),
        ("record-premature", "records/report/2026-11.md", 7, "REC-REPORT-2026-11"),
    ]
    assert result.report["findings"][0]["message"] == (
        "produced: 2026-10-29 is before its period 2026-10 ended (2026-10-31): a record of a period is produced "
        "once the period is over; correct 'produced' (or 'period'), or, if RT-REPORT's records are rightly "
        "written early, say 'early: allowed' on the record type"
    )
    assert [f["severity"] for f in result.report["findings"]] == ["info", "info"]
    assert checked(root) == result.report
    # premature, but present: the period counts
    assert "2026 · · · · · · · present present present present · present:" in result.page_text("procedures/reporting")
    # a record type whose records are rightly written before the period ends says so
    early = RECORD_TYPE + "    early: allowed\n"
    allowed = build(handbook(tmp_path / "early", early, **records))
    assert allowed.findings == []
    # `new record` for a period that has not ended says what that means for this record type
    out = ok(run_clausewise("new", "record", "RT-REPORT", "--period", "2026-11", "--today", TODAY,
                            "--produced-by", "Ann Owner", cwd=handbook(tmp_path / "new", early)))  # fmt: skip
    assert out[1] == (
        "Note: 2026-11 has not ended yet (it ends on 2026-11-30): a record produced today, 2026-11-23, is "
        "produced before its period is over; RT-REPORT says 'early: allowed', so that is fine if the record is "
        "complete"
    )


def test_a_record_status_outside_the_allowed_set(tmp_path: Path) -> None:
    bogus = record("REC-REPORT-2026-08", "RT-REPORT", "2026-08", produced="2026-09-02", status="bogus")
    root = handbook(tmp_path, **{AUGUST: bogus})
    result = build(root)
    assert result.findings == [("invalid-metadata", AUGUST, 10, "REC-REPORT-2026-08")]
    assert result.report["findings"][0]["message"] == (
        "status: 'bogus' is not allowed; expected one of current, retired, draft"
    )
    assert checked(root) == result.report


def test_new_record_skips_a_period_that_has_a_draft(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    new_august_record(root)
    out = ok(run_clausewise("new", "record", "RT-REPORT", "--today", TODAY, "--produced-by", "Bo", cwd=root))
    assert out[0] == "Wrote records/report/2026-10.md: REC-REPORT-2026-10 for 2026-10, produced 2026-11-23 by Bo."
    refused = run_clausewise("new", "record", "RT-REPORT", "--period", "2026-08", "--today", TODAY, cwd=root)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "clausewise: REC-REPORT-2026-08 (records/report/2026-08.md) is already written for 2026-08 of RT-REPORT, "
        "but not yet evidence (a draft, or not filled in): fill it in and set 'status: current' to approve it"
    )
