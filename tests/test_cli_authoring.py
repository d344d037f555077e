"""`clausewise new`, `review` and `codeowners` on temporary handbooks in real git
repositories: the command runs in a child process in the handbook's folder, as
an owner would run it; what it writes is committed and built with real Sphinx."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from clausewise.authoring.editor import scalar
from clausewise.authoring.inputs import slug
from handbook import build, commit, governed, ok, record, refused, role, run_clausewise, write_handbook

POLICY = "policies/policy.md"
PROCEDURE = "procedures/reporting.md"
TODAY = "2026-11-23"
LATER = "2026-11-20T10:00:00+00:00"  # when the tests commit what the command wrote
RECORD_TYPES = (
    "record_types:\n"
    "  - id: RT-REPORT\n"
    "    title: Monthly report\n"
    "    owner: ROLE-OTHER\n"
    "    evidences: [1.1]\n"
    "    cadence: monthly\n"
    "  - id: RT-INCIDENT-REVIEW\n"
    "    title: Incident review\n"
    "    owner: ROLE-OWNER\n"
    "    cadence: per event\n"
)
#: The base handbook's one finding: RT-REPORT runs from August (the SMS start), and
#: only September has a record; October is due (within grace) and November open.
BASELINE = [("record-missing", PROCEDURE, 13, "RT-REPORT")]


def clausewise(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in the handbook's folder, with no CLAUSEWISE_TODAY from the environment."""
    return run_clausewise(*args, cwd=root)


def base_files() -> dict[str, str]:
    return {
        "roles/owner.md": role(github='"@example/owners"'),
        "roles/other.md": role("ROLE-OTHER", "Other", owner="ROLE-OWNER", satisfies=None),
        POLICY: governed("POL-001", "policy", "Service policy", satisfies="[1.1, 1.2]"),
        PROCEDURE: governed("PRC-001", "procedure", "Reporting", satisfies="[1.1]").replace(
            "satisfies: [1.1]\n", "satisfies: [1.1]\n" + RECORD_TYPES
        ),
        "records/report/2026-09.md": record("REC-REPORT-2026-09", "RT-REPORT", "2026-09"),
    }


def handbook(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    return write_handbook(tmp_path / "hb", files or base_files(), 'clausewise_sms_start = "2026-08-01"\n')


def test_the_base_handbook(tmp_path: Path) -> None:
    assert build(handbook(tmp_path)).findings == BASELINE


# --- new documents -------------------------------------------------------------------------


def test_new_documents_of_each_kind_are_drafts_with_the_next_id(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    out = ok(clausewise(root, "new", "procedure", "--title", "Capacity management", "--owner", "ROLE-OTHER",
                        "--satisfies", "1.1", "1.2"))  # fmt: skip
    assert out == [
        "Wrote procedures/capacity-management.md: PRC-002 Capacity management, a procedure owned by ROLE-OTHER, "
        "status draft, version 0.1.",
        "Next:",
        "  1. Write it under the headings in procedures/capacity-management.md (the front matter between the --- "
        "lines holds its metadata).",
        "  2. Check the handbook: clausewise check",
        "  3. Commit it on a branch and propose it as a pull request:",
        "       git switch -c new-prc-002",
        "       git add procedures/capacity-management.md",
        '       git commit -m "New procedure PRC-002 Capacity management (draft)"',
        "  4. When it is approved, set status: approved and effective: (the day it comes into force),",
        "     and record the approval as its review: clausewise review PRC-002 --version 1.0",
    ]
    assert (root / "procedures/capacity-management.md").read_text() == (
        "---\nid: PRC-002\ntype: procedure\ntitle: Capacity management\nowner: ROLE-OTHER\nstatus: draft\n"
        'version: "0.1"\nclassification: internal\nsatisfies: [1.1, 1.2]\n---\n\n'
        "## Purpose\n\nWhat the process achieves, in one or two sentences.\n\n"
        "## Scope\n\nWhich services, customers, teams and suppliers it covers, and what it does not.\n\n"
        "## Roles and responsibilities\n\nEach role that takes part and what it does.\n\n"
        "## Triggers and inputs\n\nWhat starts the process and what it needs.\n\n"
        "## Procedure\n\nThe steps, numbered, each with who does it.\n\n"
        "## Records\n\nThe records the process produces and where they are kept.\n\n"
        "## Measures\n\nHow the process is measured, with targets.\n\n"
        "## Related documents\n\nPolicies and procedures this one depends on or feeds.\n"
    )
    # a title YAML would misread is quoted; the file name keeps only letters and digits
    ok(clausewise(root, "new", "policy", "--title", "Acceptable use: laptops & phones", "--owner", "ROLE-OWNER"))
    policy = (root / "policies/acceptable-use-laptops-phones.md").read_text().splitlines()
    assert policy[:10] == [
        "---", "id: POL-002", "type: policy", 'title: "Acceptable use: laptops & phones"', "owner: ROLE-OWNER",
        "status: draft", 'version: "0.1"', "classification: internal", "satisfies: []", "---",
    ]  # fmt: skip
    assert [line for line in policy if line.startswith("## ")] == [
        "## Purpose", "## Scope", "## Commitments", "## Responsibilities", "## Review",
    ]  # fmt: skip
    # the first governing document of the handbook: DOC-001, where the policies are
    out = ok(clausewise(root, "new", "document", "--title", "Service catalogue", "--owner", "ROLE-OWNER",
                        "--classification", "confidential"))  # fmt: skip
    assert out[0].startswith("Wrote policies/service-catalogue.md: DOC-001 Service catalogue, a document")
    assert (root / "policies/service-catalogue.md").read_text().splitlines()[1:9] == [
        "id: DOC-001", "type: document", "title: Service catalogue", "owner: ROLE-OWNER", "status: draft",
        'version: "0.1"', "classification: confidential", "satisfies: []",
    ]  # fmt: skip
    # a role: its id from the title, in the roles' folder, owned as most role pages are
    out = ok(clausewise(root, "new", "role", "--title", "Capacity manager", "--github", "@example/capacity"))
    assert out[0] == (
        "Wrote roles/capacity-manager.md: ROLE-CAPACITY-MANAGER Capacity manager, a role owned by ROLE-OWNER, "
        "status draft, version 0.1."
    )
    assert (root / "roles/capacity-manager.md").read_text() == (
        "---\nid: ROLE-CAPACITY-MANAGER\ntype: role\ntitle: Capacity manager\nowner: ROLE-OWNER\nstatus: draft\n"
        'version: "0.1"\nclassification: internal\nsatisfies: []\ngithub: "@example/capacity"\n---\n\n'
        "## Purpose\n\nWhy the role exists, in one or two sentences.\n\n"
        "## Responsibilities\n\nWhat the role must do, one point each.\n\n"
        "## Authorities\n\nWhat the role may decide or approve.\n\n"
        "## Competence required\n\nQualifications and experience the holder needs.\n\n"
        "## Deputy\n\nWho covers during absence.\n\n"
        "## Current holder\n\nWho holds the role, since when, and to whom they report.\n"
    )
    commit(root, "New documents", LATER)
    assert build(root).findings == BASELINE


def test_new_document_refuses_what_would_be_wrong(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    assert refused(clausewise(root, "new", "procedure", "--title", "Capacity", "--owner", "ROLE-OWNR")) == (
        "clausewise: --owner 'ROLE-OWNR' is not a role of the handbook (did you mean ROLE-OWNER?); "
        "roles: ROLE-OTHER (Other); ROLE-OWNER (Owner)"
    )
    assert refused(clausewise(root, "new", "procedure", "--title", "Reporting", "--owner", "ROLE-OWNER")) == (
        "clausewise: procedures/reporting.md already exists; it is not overwritten"
    )
    assert refused(clausewise(root, "new", "role", "--title", "Owner")) == (
        "clausewise: the id ROLE-OWNER is already used in roles/owner.md; choose another --title"
    )
    assert refused(
        clausewise(root, "new", "policy", "--title", "X", "--owner", "ROLE-OWNER", "--satisfies", "1.1", "9.9")
    ) == (
        "clausewise: --satisfies '9.9' is not a clause of the Mini standard catalogue; use a number from the "
        "clause catalogue page, e.g. 2"
    )
    assert refused(clausewise(root, "new", "role", "--title", "Auditor", "--github", "auditors")) == (
        "clausewise: --github 'auditors' is not a GitHub user or team; expected '@user' or '@org/team', e.g. "
        '"@example-org/sms-managers" (quoted: YAML reserves a leading @)'
    )
    assert refused(clausewise(root, "new", "procedure", "--title", "!!!", "--owner", "ROLE-OWNER")) == (
        "clausewise: --title '!!!' has no letters or digits; give the title people will see"
    )
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md")) == before


def test_new_external_document_is_a_draft_with_issuer_edition_and_location(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    out = ok(clausewise(root, "new", "external", "--title", "Pennine Fibre SLA", "--owner", "ROLE-OTHER",
                        "--issuer", "Pennine Fibre Ltd", "--edition", "4.2",
                        "--location", "https://contracts.example/pennine/sla-4.2.pdf"))  # fmt: skip
    assert out == [
        "Wrote policies/pennine-fibre-sla.md: EXT-001 Pennine Fibre SLA, a document of external origin owned by "
        "ROLE-OTHER, status draft, edition 4.2.",
        "Next:",
        "  1. Write it under the headings in policies/pennine-fibre-sla.md (the front matter between the --- "
        "lines holds its metadata).",
        "  2. Check the handbook: clausewise check",
        "  3. Commit it on a branch and propose it as a pull request:",
        "       git switch -c new-ext-001",
        "       git add policies/pennine-fibre-sla.md",
        '       git commit -m "New external EXT-001 Pennine Fibre SLA (draft)"',
        "  4. When it is adopted, set status: approved and effective: (the day this edition applies from),",
        "     record the check as its review: clausewise review EXT-001; and name it under uses: of the",
        "     procedures that rely on it",
    ]
    assert (root / "policies/pennine-fibre-sla.md").read_text() == (
        "---\nid: EXT-001\ntype: external\ntitle: Pennine Fibre SLA\nowner: ROLE-OTHER\nstatus: draft\n"
        "issuer: Pennine Fibre Ltd\nedition: 4.2\nlocation: https://contracts.example/pennine/sla-4.2.pdf\n"
        "classification: internal\n---\n\n"
        "## What it is\n\nWhat the document covers and why the organisation relies on it, in a few sentences.\n\n"
        "## How we use it\n\nThe procedures that use it and what they take from it (list them under uses:).\n\n"
        "## Keeping it current\n\nHow a new edition is noticed and adopted, and who is told.\n"
    )
    commit(root, "New external document", LATER)
    assert build(root).findings == BASELINE
    # what it may not be: a clause's evidence, a script link, or without where it comes from
    assert clausewise(root, "new", "external", "--title", "X", "--owner", "ROLE-OWNER", "--issuer", "I",
                      "--edition", "1", "--location", "x.pdf", "--satisfies", "1.1").returncode == 2  # fmt: skip
    assert refused(clausewise(root, "new", "external", "--title", "Law", "--owner", "ROLE-OWNER", "--issuer",
                              "Parliament", "--edition", "2018", "--location", "javascript:alert(1)")) == (
        "clausewise: --location 'javascript:alert(1)' uses the javascript: scheme, which can run script in a "
        "reader's browser; give a path or an https:// address"
    )  # fmt: skip
    assert refused(clausewise(root, "new", "external", "--title", "Law", "--owner", "ROLE-OWNER", "--issuer",
                              " ", "--edition", "2018", "--location", "laws/dpa.pdf")) == (
        "clausewise: --issuer required for a document of external origin: who issued it (--issuer 'Pennine "
        "Fibre Ltd'), the edition that applies (--edition 4.2) and where it is kept (--location https://… or a "
        "path)"
    )  # fmt: skip
    assert not (root / "policies/law.md").exists()


# --- new record types ------------------------------------------------------------------------


def test_new_record_type_adds_only_its_lines(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    procedure, policy = (root / PROCEDURE).read_bytes(), (root / POLICY).read_bytes()
    out = ok(clausewise(root, "new", "record-type", "--document", "PRC-001", "--title", "Capacity report",
                        "--cadence", "Quarterly", "--evidences", "1.2", "--today", "2026-11-20"))  # fmt: skip
    assert out == [
        "Added RT-CAPACITY-REPORT (Capacity report, quarterly, from 2026-11-20) to PRC-001 in "
        "procedures/reporting.md, line 22; its first record is due 2027-01-30.",
        "Next:",
        "  1. Say in procedures/reporting.md (under 'Records') what the record holds and where the full record "
        "is kept.",
        "  2. PRC-001 is approved and this changes what it requires: have its owner review the change and",
        "     record the review in the same commit: clausewise review PRC-001 --version 1.1",
        "  3. Commit it and propose it as a pull request:",
        "       git add procedures/reporting.md",
        '       git commit -m "PRC-001: new record type RT-CAPACITY-REPORT"',
        "  4. Add its records as they are produced: clausewise new record RT-CAPACITY-REPORT",
    ]
    lines = procedure.decode().splitlines(keepends=True)
    added = (
        "  - id: RT-CAPACITY-REPORT\n    title: Capacity report\n    owner: ROLE-OWNER\n    evidences: [1.2]\n"
        "    cadence: quarterly\n    start: 2026-11-20\n"
    )
    # after the last entry (line 21), before the closing fence; every other byte as it was
    assert (root / PROCEDURE).read_bytes() == "".join([*lines[:21], added, *lines[21:]]).encode()

    # a document without record_types gets the list at the end of its front matter
    out = ok(clausewise(root, "new", "record-type", "--document", "POL-001", "--title", "Policy briefing",
                        "--cadence", "per event", "--owner", "ROLE-OTHER", "--today", "2026-11-20"))  # fmt: skip
    assert out[0] == (
        "Added RT-POLICY-BRIEFING (Policy briefing, per event, from 2026-11-20) to POL-001 in policies/policy.md, "
        "line 13; one record per event, dated with the day of the event."
    )
    lines = policy.decode().splitlines(keepends=True)
    added = (
        "record_types:\n  - id: RT-POLICY-BRIEFING\n    title: Policy briefing\n    owner: ROLE-OTHER\n"
        "    cadence: per event\n    start: 2026-11-20\n"
    )
    assert (root / POLICY).read_bytes() == "".join([*lines[:11], added, *lines[11:]]).encode()

    # the reviews the command asks for, in the same commit: no finding about either change
    ok(clausewise(root, "review", "PRC-001", "--version", "1.1", "--today", "2026-11-20"))
    ok(clausewise(root, "review", "POL-001", "--version", "1.1", "--today", "2026-11-20"))
    commit(root, "New record types, reviewed", LATER)
    assert build(root).findings == BASELINE


def test_new_record_type_refusals(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    before = (root / PROCEDURE).read_bytes()
    args = ("new", "record-type", "--cadence", "monthly", "--title")
    assert refused(clausewise(root, *args, "Report", "--document", "PRC-001")) == (
        "clausewise: the id RT-REPORT is already used in procedures/reporting.md (PRC-001); choose another --title"
    )
    assert refused(clausewise(root, *args, "Usage", "--document", "PRC-001", "--cadence", "fortnightly")) == (
        "clausewise: --cadence 'fortnightly' is not a cadence; expected daily, weekly, monthly, quarterly, "
        "half-yearly, yearly, 'every N weeks' (N up to 156), 'every N months' (N up to 36) or 'per event'"
    )
    assert refused(clausewise(root, *args, "Usage", "--document", "PRC-009")) == (
        "clausewise: --document 'PRC-009' is not the id of a document in the handbook; did you mean PRC-001? "
        "(a document's id is the id: line of its front matter)"
    )
    assert refused(clausewise(root, *args, "Usage", "--document", "RT-REPORT")) == (
        "clausewise: --document RT-REPORT is a record type, declared in PRC-001; give a document's id, e.g. PRC-001"
    )
    assert (root / PROCEDURE).read_bytes() == before


# --- new records -------------------------------------------------------------------------------


def test_new_record_for_the_next_missing_period(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    out = ok(clausewise(root, "new", "record", "RT-REPORT", "--today", TODAY))
    assert out == [
        "Wrote records/report/2026-08.md: REC-REPORT-2026-08 for 2026-08, produced 2026-11-23 by Ann Owner.",
        "Note: 2026-08 was due on 2026-09-30: produced today, the record will be reported as record-late, "
        "which is what happened",
        "Next:",
        "  1. Fill it in: replace the placeholder text below the front matter with what the record shows,",
        "     and add the evidence link.",
        "  2. Approve it: set 'status: current'. Until then it is a draft, not evidence: its period stays",
        "     missing and clausewise check reports record-unfilled. Once approved, a record is evidence: a",
        "     later change needs a 'correction:' line saying what changed and why.",
        "  3. Check the handbook: clausewise check",
        "  4. Commit it and propose it as a pull request:",
        "       git add records/report/2026-08.md",
        '       git commit -m "Record REC-REPORT-2026-08"',
    ]
    assert (root / "records/report/2026-08.md").read_text() == (
        "---\nid: REC-REPORT-2026-08\ntype: record\ntitle: Report, August 2026\nrecord_type: RT-REPORT\n"
        "period: 2026-08\nproduced: 2026-11-23\nproduced_by: Ann Owner\nclassification: internal\nstatus: draft\n"
        "# evidence: a link to the full record (document system, ticket tool), or a file beside it\n---\n\n"
        "What the record shows, for an auditor: the key figures, findings or decisions.\n\n"
        "## Actions\n\nWhat was decided or must be done, by whom and by when.\n"
    )
    # August has a draft now (skipped: it is to be filled in); September has a record; October ended and is due
    evidence = "https://dms.example/reports/2026-10"
    out = ok(clausewise(root, "new", "record", "RT-REPORT", "--today", TODAY, "--produced-by", "Bo Lee",
                        "--evidence", evidence, "--classification", "confidential"))  # fmt: skip
    assert out[:2] == [
        "Wrote records/report/2026-10.md: REC-REPORT-2026-10 for 2026-10, produced 2026-11-23 by Bo Lee.",
        "Next:",
    ]
    assert (root / "records/report/2026-10.md").read_text().splitlines()[1:11] == [
        "id: REC-REPORT-2026-10", "type: record", "title: Report, October 2026", "record_type: RT-REPORT",
        "period: 2026-10", "produced: 2026-11-23", "produced_by: Bo Lee", "classification: confidential",
        "status: draft", "evidence: https://dms.example/reports/2026-10",
    ]  # fmt: skip
    # then the current month, which has not ended: said, with what it means
    assert ok(clausewise(root, "new", "record", "RT-REPORT", "--today", TODAY))[:2] == [
        "Wrote records/report/2026-11.md: REC-REPORT-2026-11 for 2026-11, produced 2026-11-23 by Ann Owner.",
        "Note: 2026-11 has not ended yet (it ends on 2026-11-30): a record produced today, 2026-11-23, is produced "
        "before its period is over; the record will be reported as record-premature unless RT-REPORT says "
        "'early: allowed'",
    ]
    assert refused(clausewise(root, "new", "record", "RT-REPORT", "--today", TODAY)) == (
        "clausewise: RT-REPORT has a record or a draft for every period up to today; the next begins on "
        "2026-12-01: nothing to add yet"
    )
    commit(root, "Records", "2026-11-23T10:00:00+00:00")
    # drafts are no evidence: August is still missing, each draft is reported at its status line
    assert build(root).findings == [
        *BASELINE,
        ("record-unfilled", "records/report/2026-08.md", 10, "REC-REPORT-2026-08"),
        ("record-unfilled", "records/report/2026-10.md", 10, "REC-REPORT-2026-10"),
        ("record-unfilled", "records/report/2026-11.md", 10, "REC-REPORT-2026-11"),
    ]


def test_new_record_never_overwrites_and_never_duplicates(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    assert refused(clausewise(root, "new", "record", "RT-REPORT", "--period", "2026-09", "--today", TODAY)) == (
        "clausewise: REC-REPORT-2026-09 (records/report/2026-09.md) already covers 2026-09 of RT-REPORT; a second "
        "record would be a record-duplicate. Correct that record (with a 'correction:' line), or retire it with "
        "'status: retired' first"
    )
    notes = root / "records/report/2026-10.md"
    notes.write_text("Notes for the October report, not a record yet.\n")
    assert refused(clausewise(root, "new", "record", "RT-REPORT", "--period", "2026-10", "--today", TODAY)) == (
        "clausewise: records/report/2026-10.md already exists; it is not overwritten"
    )
    assert notes.read_text() == "Notes for the October report, not a record yet.\n"
    assert refused(clausewise(root, "new", "record", "RT-REPORT", "--period", "2026-12", "--today", TODAY)) == (
        "clausewise: --period 2026-12 has not begun yet (today is 2026-11-23): its record comes later"
    )
    assert refused(clausewise(root, "new", "record", "RT-REPORT", "--period", "2026-Q3", "--today", TODAY)) == (
        "clausewise: --period '2026-Q3' is not a period of the schedule (monthly); expected a month such as 2026-09"
    )
    assert refused(clausewise(root, "new", "record", "RT-REPORTS")) == (
        "clausewise: 'RT-REPORTS' is not a record type of the handbook; record types: RT-INCIDENT-REVIEW, "
        "RT-REPORT (record types are declared under record_types: in a document's front matter)"
    )


def test_new_record_of_an_event(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    assert refused(clausewise(root, "new", "record", "RT-INCIDENT-REVIEW", "--today", TODAY)) == (
        "clausewise: RT-INCIDENT-REVIEW is recorded per event: give the day of the event with --period YYYY-MM-DD"
    )
    assert refused(clausewise(root, "new", "record", "RT-INCIDENT-REVIEW", "--period", "2026-12-01",
                              "--today", TODAY)) == (
        "clausewise: --period 2026-12-01 is in the future (today is 2026-11-23)"
    )  # fmt: skip
    for _ in range(2):
        ok(clausewise(root, "new", "record", "RT-INCIDENT-REVIEW", "--period", "2026-11-20", "--today", TODAY))
    first = (root / "records/incident-review/2026-11-20.md").read_text().splitlines()
    second = (root / "records/incident-review/2026-11-20-2.md").read_text().splitlines()
    assert first[1:9] == [
        "id: REC-INCIDENT-REVIEW-2026-11-20", "type: record", "title: Incident review, 2026-11-20",
        "record_type: RT-INCIDENT-REVIEW", "period: 2026-11-20", "produced: 2026-11-23", "produced_by: Ann Owner",
        "classification: internal",
    ]  # fmt: skip
    # two events on one day: two records, the second beside the first
    assert second[1] == "id: REC-INCIDENT-REVIEW-2026-11-20-2"
    commit(root, "Incident reviews", "2026-11-23T10:00:00+00:00")
    # two drafts, neither evidence yet (a per-event record type has no period to be premature in)
    assert build(root).findings == [
        *BASELINE,
        ("record-unfilled", "records/incident-review/2026-11-20-2.md", 10, "REC-INCIDENT-REVIEW-2026-11-20-2"),
        ("record-unfilled", "records/incident-review/2026-11-20.md", 10, "REC-INCIDENT-REVIEW-2026-11-20"),
    ]


# --- review ---------------------------------------------------------------------------------------

#: A policy written on Windows, with comments and both kinds of quotes, and no final newline.
CRLF_POLICY = (
    "---\r\n"
    "# Service policy: keep the keys in this order\r\n"
    "id: POL-001\r\n"
    "type: policy\r\n"
    "title: 'Service policy: what we promise'\r\n"
    "owner: ROLE-OWNER   # the service owner\r\n"
    "status: approved\r\n"
    "version: '2.0'\r\n"
    "effective: 2026-01-01\r\n"
    'reviewed: "2026-06-01"  # first review\r\n'
    "classification: internal\r\n"
    "satisfies: [1.1, 1.2]\r\n"
    "---\r\n"
    "\r\n"
    "Text."
)


def test_review_changes_only_the_reviewed_and_version_lines(tmp_path: Path) -> None:
    root = handbook(tmp_path, {**base_files(), POLICY: CRLF_POLICY})
    before = (root / POLICY).read_bytes()
    out = ok(clausewise(root, "review", "POL-001", "--version", "2.1", "--today", "2026-11-20"))
    assert out == [
        "policies/policy.md: reviewed: 2026-06-01 -> 2026-11-20; version: 2.0 -> 2.1",
        'Next: commit it and propose it as a pull request titled "Review of POL-001, version 2.1":',
        "       git add policies/policy.md",
        '       git commit -m "Review of POL-001, version 2.1"',
        "  A commit that changes only reviewed: and version: records a review, not new content. To name the",
        "  approver in the revision history, end the commit or merge message with a line such as",
        "  'Approved-by: Name <name@example.org>'.",
    ]
    after = (root / POLICY).read_bytes()
    old, new = before.split(b"\n"), after.split(b"\n")
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [7, 9]
    assert new[7] == b"version: '2.1'\r" and new[9] == b'reviewed: "2026-11-20"  # first review\r'
    assert after.endswith(b"\r\n\r\nText.")
    # the same day again: nothing to do, nothing touched
    assert ok(clausewise(root, "review", "POL-001", "--today", "2026-11-20")) == [
        "POL-001 already records a review on 2026-11-20 at version 2.1: nothing changed."
    ]
    assert (root / POLICY).read_bytes() == after
    assert refused(clausewise(root, "review", "POL-001", "--version", "1.9", "--today", "2026-11-20")) == (
        "clausewise: --version 1.9 is lower than POL-001's version 2.1"
    )
    # a review without a version change is a review "with no changes"
    assert ok(clausewise(root, "review", "PRC-001", "--today", "2026-11-20"))[:2] == [
        "procedures/reporting.md: reviewed: 2026-06-01 -> 2026-11-20",
        'Next: commit it and propose it as a pull request titled "Review of PRC-001, no changes":',
    ]
    commit(root, "Review of POL-001, version 2.1", LATER)
    result = build(root)
    assert result.findings == BASELINE
    assert "Version 2.1" in result.page_text("policies/policy")


def test_review_adds_a_missing_reviewed_line_where_it_belongs(tmp_path: Path) -> None:
    draft = governed("PRC-002", "procedure", "Capacity", status="draft", effective=None, reviewed=None)
    root = handbook(tmp_path, {**base_files(), "procedures/capacity.md": draft})
    out = ok(clausewise(root, "review", "PRC-002", "--today", "2026-11-20"))
    assert out[:2] == [
        "procedures/capacity.md: reviewed: (no key) -> 2026-11-20",
        "Note: PRC-002 is a draft: it counts once approved (status: approved, with effective: the date it comes "
        "into force)",
    ]
    lines = draft.splitlines(keepends=True)
    assert (root / "procedures/capacity.md").read_text() == "".join([*lines[:7], "reviewed: 2026-11-20\n", *lines[7:]])


def test_review_of_what_is_not_a_document(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    assert refused(clausewise(root, "review", "PRC-011")) == (
        "clausewise: 'PRC-011' is not the id of a document in the handbook; did you mean PRC-001? "
        "(a document's id is the id: line of its front matter)"
    )
    assert refused(clausewise(root, "review", "REC-REPORT-2026-09")) == (
        "clausewise: REC-REPORT-2026-09 is a record, not a document: records are evidence and are not reviewed; "
        "a wrong one is corrected with a 'correction:' line"
    )
    assert refused(clausewise(root, "review", "RT-REPORT")) == (
        "clausewise: RT-REPORT is a record type, declared in PRC-001; give a document's id, e.g. PRC-001"
    )


# --- codeowners -------------------------------------------------------------------------------------

CODEOWNERS = """\
# Generated by `clausewise codeowners` from the handbook's front matter. Do not edit: change a
# document's `owner:` or a role's `github:`, then run `clausewise codeowners` and commit this file.
# A document belongs to the GitHub users and teams of its owner role; a records folder to those
# of its record type's owner.
#
# Roles without a `github:` key (their files have no code owner here):
#   ROLE-OTHER Other (roles/other.md)

/policies/policy.md @example/owners
/procedures/reporting.md @example/owners
/records/incident-review/ @example/owners
/roles/other.md @example/owners
/roles/owner.md @example/owners
"""


def test_codeowners_from_ownership(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    done = clausewise(root, "codeowners")
    assert ok(done) == [
        ".github/CODEOWNERS written: 5 rules. Commit it; 'clausewise codeowners --check' tells CI when it is stale."
    ]
    assert done.stderr.splitlines() == [
        "clausewise: warning: ROLE-OTHER (Other) has no github: key in roles/other.md, so 1 path it owns has no "
        'code owner; add e.g. github: "@org/team" there'
    ]
    assert (root / ".github/CODEOWNERS").read_text() == CODEOWNERS
    assert ok(clausewise(root, "codeowners", "--check")) == [".github/CODEOWNERS is up to date."]

    # a team renamed, a team added: CODEOWNERS is stale until written again
    owner = (root / "roles/owner.md").read_text().replace('"@example/owners"', '"@example/service-owners"')
    other = (root / "roles/other.md").read_text().replace("classification: internal\n", "classification: internal\n"
                                                            'github: ["@example/reporters", "@ann"]\n')  # fmt: skip
    (root / "roles/owner.md").write_text(owner)
    (root / "roles/other.md").write_text(other)
    stale = clausewise(root, "codeowners", "--check")
    assert stale.returncode == 1
    assert stale.stderr.splitlines()[:3] == [
        "clausewise: .github/CODEOWNERS is out of date: run 'clausewise codeowners' and commit it",
        "--- .github/CODEOWNERS",
        "+++ expected",
    ]
    assert [line for line in stale.stderr.splitlines() if line.startswith("+/")] == [
        "+/policies/policy.md @example/service-owners",
        "+/procedures/reporting.md @example/service-owners",
        "+/records/incident-review/ @example/service-owners",
        "+/records/report/ @example/reporters @ann",
        "+/roles/other.md @example/service-owners",
        "+/roles/owner.md @example/service-owners",
    ]
    ok(clausewise(root, "codeowners"))
    assert (root / ".github/CODEOWNERS").read_text().split("\n\n", 1)[1] == (
        "/policies/policy.md @example/service-owners\n"
        "/procedures/reporting.md @example/service-owners\n"
        "/records/incident-review/ @example/service-owners\n"
        "/records/report/ @example/reporters @ann\n"
        "/roles/other.md @example/service-owners\n"
        "/roles/owner.md @example/service-owners\n"
    )
    # GitHub handles say who approves, not what a role is: changing them is no change of
    # content, so neither the roles nor the documents they own need a review for it
    commit(root, "GitHub teams of the roles", LATER)
    assert build(root).findings == BASELINE


def test_codeowners_leaves_a_hand_written_file_alone(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    (root / ".github").mkdir()
    (root / ".github/CODEOWNERS").write_text("* @example/admins\n")
    assert refused(clausewise(root, "codeowners")) == (
        "clausewise: .github/CODEOWNERS was not written by clausewise codeowners; move its rules into the handbook "
        "(owners and github: keys) or write elsewhere with --out, or replace it with --force"
    )
    assert (root / ".github/CODEOWNERS").read_text() == "* @example/admins\n"
    assert clausewise(root, "codeowners", "--check").returncode == 1
    ok(clausewise(root, "codeowners", "--out", "owners.txt"))
    assert (root / "owners.txt").read_text() == CODEOWNERS
    ok(clausewise(root, "codeowners", "--force"))
    assert (root / ".github/CODEOWNERS").read_text() == CODEOWNERS


def test_bad_github_values_are_findings_on_their_lines(tmp_path: Path) -> None:
    files = {
        **base_files(),
        "roles/owner.md": role(github='"example"'),
        "roles/other.md": role(
            "ROLE-OTHER", "Other", owner="ROLE-OWNER", satisfies=None, github='\n  - "@example/ok"\n  - "@bad team"'
        ),
        # a page whose YAML is broken is reported in a governed folder (docs/roles/ is one)
        "docs/roles/third.md": role("ROLE-THIRD", "Third", owner="ROLE-OWNER", satisfies=None, github="@example/third"),
        POLICY: governed("POL-001", "policy", "Service policy", satisfies="[1.1, 1.2]", github='"@example/x"'),
    }
    result = build(handbook(tmp_path, files))
    assert [f for f in result.findings if f[0] == "invalid-metadata"] == [
        ("invalid-metadata", "docs/roles/third.md", 11, ""),
        ("invalid-metadata", POLICY, 12, "POL-001"),
        ("invalid-metadata", "roles/other.md", 13, "ROLE-OTHER"),
        ("invalid-metadata", "roles/owner.md", 12, "ROLE-OWNER"),
    ]
    messages = {f["path"]: f["message"] for f in result.report["findings"] if f["code"] == "invalid-metadata"}
    assert messages == {
        POLICY: "github: only a role's page names GitHub users or teams; a document's code owners come from its "
        "owner role, so remove the key here and set it on the role's page",
        "roles/other.md": "github: '@bad team' is not a GitHub user or team; expected '@user' or '@org/team', e.g. "
        '"@example-org/sms-managers" (quoted: YAML reserves a leading @)',
        "roles/owner.md": "github: 'example' is not a GitHub user or team; expected '@user' or '@org/team', e.g. "
        '"@example-org/sms-managers" (quoted: YAML reserves a leading @)',
        "docs/roles/third.md": "front matter is not valid YAML: found character '@' that cannot start any token "
        '(line 11); put quotes around a value that starts with @ or `, e.g. github: "@org/team"',
    }


# --- help and pure helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (["new"], ["policy", "procedure", "role", "record-type", "record"]),
        (["new", "policy"], ["--title", "--owner", "--satisfies", "--classification"]),
        (["new", "document"], ["--title", "--owner", "--satisfies", "--classification"]),
        (["new", "procedure"], ["--title", "--owner", "--satisfies", "--classification"]),
        (["new", "role"], ["--title", "--owner", "--satisfies", "--github", "--classification"]),
        (["new", "record-type"], ["--document", "--title", "--cadence", "--owner", "--evidences", "--start"]),
        (["new", "record"], ["RECORD_TYPE", "--period", "--produced-by", "--classification", "--evidence", "--today"]),
        (["review"], ["ID", "--version", "--today"]),
        (["codeowners"], ["--out", "--check", "--force"]),
    ],
)
def test_help(tmp_path: Path, command: list[str], options: list[str]) -> None:
    done = clausewise(tmp_path, *command, "--help")
    assert done.returncode == 0, done.stderr
    assert "examples:\n  clausewise " + command[0] in done.stdout
    for option in options:
        assert option in done.stdout


def test_slug_and_scalar() -> None:
    assert slug("Monitoring, measurement and service reporting") == "monitoring-measurement-and-service-reporting"
    # letters people write out in ASCII are written out; other accents are dropped (issue 11)
    assert slug("Änderungs-Management: Übersicht") == "aenderungs-management-uebersicht"
    assert slug("Größenänderung") == "groessenaenderung"
    assert slug("Kundenzufriedenheit \u2013 Œuvre, Ærø, Łódź, Þing, café, niño") == (
        "kundenzufriedenheit-oeuvre-aeroe-lodz-thing-cafe-nino"
    )
    # decomposed input (as some editors save it) gives the same
    assert slug(unicodedata.normalize("NFD", "Größenänderung")) == "groessenaenderung"
    assert [scalar(t) for t in ("Capacity report", "Use: laptops", "#1 risk", "[draft]", "2.0", " x")] == [
        "Capacity report", '"Use: laptops"', '"#1 risk"', '"[draft]"', "2.0", '" x"',
    ]  # fmt: skip


def test_the_samples_codeowners_is_up_to_date() -> None:
    """The committed .github/CODEOWNERS is what the sample's front matter says (read in place:
    the replayed sample the other tests build holds only the handbook's own files)."""
    done = clausewise(Path(__file__).resolve().parent.parent, "codeowners", "--check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ".github/CODEOWNERS is up to date."
    assert done.stderr == ""  # every sample role names its GitHub team


def test_record_type_entry_follows_the_lists_own_layout() -> None:
    """A list written at column 0, with comments and CRLF line endings: the new entry
    uses the same indentation and line ending, after the last entry's last line."""
    from clausewise.authoring.records import add_record_type
    from clausewise.core.ids import IdScheme
    from clausewise.core.model import Catalogue, Clause, Confirmation, GovernedDocument, Handbook, Source
    from clausewise.sources import frontmatter, metadata

    text = (
        "---\r\nid: PRC-001\r\ntype: procedure\r\ntitle: Reporting\r\nowner: ROLE-OWNER\r\nstatus: draft\r\n"
        'version: "0.1"\r\nclassification: internal\r\nrecord_types:\r\n- id: RT-REPORT  # the main one\r\n'
        "  title: Monthly report\r\n  cadence: monthly\r\n# more to come\r\n---\r\nText.\r\n"
    )
    source = Source("procedures/reporting.md", "reporting", 1)
    doc, _ = metadata.read_governed(frontmatter.parse(text), source, IdScheme())
    owner, _ = metadata.read_governed(
        frontmatter.parse(role().replace("\n", "\r\n")), Source("roles/owner.md", "owner", 1), IdScheme()
    )
    assert isinstance(doc, GovernedDocument) and isinstance(owner, GovernedDocument)
    catalogue = Catalogue("Mini", "Mini", "MINI", "", (Clause("1", "One", Confirmation.CONFIRMED, "MINI-1"),))
    handbook = Handbook((catalogue,), (doc, owner), ())
    edit, ident = add_record_type(
        text, doc, handbook, title="Yearly summary", cadence="yearly", owner=None, evidences=["1"],
        start=date(2026, 11, 20), ids=IdScheme(),
    )  # fmt: skip
    assert ident == "RT-YEARLY-SUMMARY"
    assert edit.text == text.replace(
        "  cadence: monthly\r\n",
        "  cadence: monthly\r\n- id: RT-YEARLY-SUMMARY\r\n  title: Yearly summary\r\n  owner: ROLE-OWNER\r\n"
        "  evidences: [1]\r\n  cadence: yearly\r\n  start: 2026-11-20\r\n",
    )
    assert edit.line == 13


def test_an_empty_handbook_gets_its_first_pages_in_its_own_governed_folders(tmp_path: Path) -> None:
    """Nothing of the kind yet: the governed folder whose name says so, never the sample's docs/roles/."""
    conf = (
        'clausewise_governed_paths = ["handbook/policies/", "handbook/roles/", "handbook/processes/", "evidence/"]\n'
        'clausewise_records_path = "evidence/"\n'
    )
    root = write_handbook(tmp_path / "hb", {}, conf)
    first = ok(clausewise(root, "new", "role", "--title", "Informationssicherheits-Beauftragter"))
    assert first[0].startswith(
        "Wrote handbook/roles/informationssicherheits-beauftragter.md: ROLE-INFORMATIONSSICHERHEITS-BEAUFTRAGTER "
    )
    owner = "ROLE-INFORMATIONSSICHERHEITS-BEAUFTRAGTER"
    policy = ok(clausewise(root, "new", "policy", "--title", "Größenänderung", "--owner", owner))
    assert policy[0].startswith("Wrote handbook/policies/groessenaenderung.md: POL-001 Größenänderung, a policy")
    procedure = ok(clausewise(root, "new", "procedure", "--title", "Änderungen", "--owner", owner))
    assert procedure[0].startswith("Wrote handbook/processes/aenderungen.md: PRC-001 ")
    assert not (root / "docs").exists()


def test_file_chooses_where_a_new_document_goes(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    args = ("new", "policy", "--title", "Supplier policy", "--owner", "ROLE-OWNER")
    done = ok(clausewise(root, *args, "--file", "policies/suppliers and partners.md"))
    assert done[0].startswith("Wrote policies/suppliers and partners.md: POL-002 Supplier policy")
    assert "       git add 'policies/suppliers and partners.md'" in done
    assert (root / "policies" / "suppliers and partners.md").read_text().startswith("---\nid: POL-002\n")
    expected = (
        "clausewise: --file {!r}: give a Markdown file inside the handbook, relative to its folder, "
        "e.g. policies/supplier-policy.md"
    )
    for bad in ("../outside.md", "/etc/policy.md", "policies/notes.txt"):
        assert refused(clausewise(root, *args, "--file", bad)) == expected.format(bad)
