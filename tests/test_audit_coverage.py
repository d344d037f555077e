"""Audit programme coverage (issue 17, part 3): internal audit reports (a record type of kind audit)
name what they audited (``audited:``, clause references and document ids), and every build checks
that each clause of the audit scope and each procedure in force was audited within the audit cycle."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from clausewise.core.settings import ClausewiseConfig, SettingError
from handbook import Build, build, governed, record, role, write_handbook
from openpyxl import load_workbook

#: lines 1-16 as governed() writes them; 'kind: audit' on line 17
PROGRAMME = """\
---
id: PRC-001
type: procedure
title: Internal audit
owner: ROLE-OWNER
status: approved
version: "1.0"
effective: 2023-01-01
reviewed: 2026-06-01
classification: internal
satisfies: [1.1]
record_types:
  - id: RT-AUDIT
    title: Internal audit report
    owner: ROLE-OWNER
    cadence: per event
    kind: audit
    fields:
      audited: {type: list of reference, required: true, help: the clauses and documents audited}
---

Text.
"""
KIND_LINE = 17


def audit(record_id: str, produced: str, audited: str) -> str:
    return record(record_id, "RT-AUDIT", produced, produced=produced, audited=audited)


#: today is 2026-11-23, the cycle 36 months: an audit counts until the same day 36 months later
AUDITS = {
    # 37 months ago: counted until 2026-10-23, a gap now
    "records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2023-10-23", "[1.1]"),
    # 35 months ago: counts until 2026-12-23, 30 days from today: not a gap, due soon
    "records/audit/REC-AUDIT-2.md": audit("REC-AUDIT-2", "2023-12-23", "[1.2]"),
    # 34 months (and a day) ago: its cycle ends on 2027-01-22, 60 days from today: due soon
    "records/audit/REC-AUDIT-3.md": audit("REC-AUDIT-3", "2024-01-22", "[2]"),
    # recent: the programme's own procedure is covered
    "records/audit/REC-AUDIT-4.md": audit("REC-AUDIT-4", "2026-06-01", "[PRC-001]"),
}


def handbook(root: Path, files: dict[str, str]) -> Path:
    return write_handbook(
        root,
        {
            "roles/owner.md": role(),
            "procedures/audit.md": PROGRAMME,
            "procedures/other.md": governed("PRC-002", "procedure", "Other work", satisfies="[1.2]"),
            "pages/audit-coverage.md": "# Audit coverage\n\n```{audit-coverage}\n```\n",
            **files,
        },
    )


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(handbook(tmp_path_factory.mktemp("audits") / "hb", AUDITS), fresh=True)


def test_findings_across_the_cycle_boundary(cycle: Build) -> None:
    found = [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in cycle.report["findings"]
             if f["code"] == "audit-coverage-gap"]  # fmt: skip
    assert found == [
        ("audit-coverage-gap", "procedures/audit.md", KIND_LINE, "MINI-1-1",
         "clause 1.1 (Plans) has not been audited within the audit cycle of 3 years: last audited on 2023-10-23 "
         "(REC-AUDIT-1), which counted until 2026-10-23; plan it into the audit programme and name it under "
         "'audited:' in the report of the audit that covers it"),
        ("audit-coverage-gap", "procedures/audit.md", KIND_LINE, "PRC-002",
         "procedure PRC-002 (Other work) has not been audited within the audit cycle of 3 years: never audited; "
         "plan it into the audit programme and name it under 'audited:' in the report of the audit that "
         "covers it"),
    ]  # fmt: skip
    assert [f for f in cycle.findings if f[0] not in ("audit-coverage-gap",)] == []


def test_the_page_shows_each_row_with_its_audits_and_state(cycle: Build) -> None:
    text = cycle.page_text("pages/audit-coverage")
    text = text[text.index("Every clause") : text.index(" Test handbook Navigation")]
    assert text.startswith(
        "Every clause the audit programme must cover and every procedure in force, against the "
        "internal audits that named them under 'audited:'. An audit counts for 3 years (the audit cycle) from "
        "the day its report was produced; within 90 days of that end a row is due soon. 2 gaps, 2 due soon, "
        "1 covered. \u2713: the audit named it or a clause above it; part: a clause under it. "
        "Audits: REC-AUDIT-1 (2023-10-23), REC-AUDIT-2 (2023-12-23), REC-AUDIT-3 (2024-01-22), "
        "REC-AUDIT-4 (2026-06-01) "
    )
    table = text[text.index("Clause or procedure") :]
    assert table == (
        "Clause or procedure Title 2023-10-23 2023-12-23 2024-01-22 2026-06-01 Last audited Status "
        "1.1 Plans \u2713 2023-10-23 REC-AUDIT-1 gap: not audited since 2023-10-23 "
        "1.2 Objectives \u2713 2023-12-23 REC-AUDIT-2 due soon: falls out on 2026-12-23 "
        "2 Operation \u2713 2024-01-22 REC-AUDIT-3 due soon: falls out on 2027-01-22 "
        "PRC-001 Internal audit \u2713 2026-06-01 REC-AUDIT-4 covered "
        "PRC-002 Other work never gap: never audited"
    )
    html = cycle.page_html("pages/audit-coverage")
    # each row is a card on a phone, its state a class as well as words
    assert 'class="clausewise-table clausewise-audit-coverage clausewise-stacked' in html
    assert '<tr class="clausewise-audit-gap row-even" id="audit-MINI-1-1">' in html
    assert '<tr class="clausewise-audit-due-soon row-odd" id="audit-MINI-1-2">' in html
    assert '<tr class="clausewise-audit-covered row-odd" id="audit-PRC-001">' in html


def test_a_parent_clause_audited_covers_its_sub_clauses_and_a_level_scope_plans_by_parents(tmp_path: Path) -> None:
    """Auditing 1 covers 1.1 and 1.2; with 'level 1' the rows are 1 and 2, and 1 is covered when each of
    its sub-clauses is (from the earliest of their audits), while one audited sub-clause is 'part'."""
    files = {
        "records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2025-03-10", "[1, PRC-001, PRC-002]"),
        "records/audit/REC-AUDIT-2.md": audit("REC-AUDIT-2", "2026-02-10", "[1.1, 2]"),
    }
    root = handbook(tmp_path / "hb", files)
    leaf = build(root, fresh=True)
    assert leaf.findings == []
    rows = leaf.page_text("pages/audit-coverage")
    assert (
        "1.1 Plans \u2713 \u2713 2026-02-10 REC-AUDIT-2 covered 1.2 Objectives \u2713 2025-03-10 REC-AUDIT-1 covered "
        "2 Operation \u2713 2026-02-10 REC-AUDIT-2 covered"
    ) in rows
    by_level = build(root, fresh=True, overrides={"clausewise_audit_scope": "level 1"})
    assert by_level.findings == []
    rows = by_level.page_text("pages/audit-coverage")
    assert "1 Planning \u2713 part 2025-03-10 REC-AUDIT-1 covered 2 Operation \u2713 2026-02-10 REC-AUDIT-2" in rows


def test_a_sub_clause_audited_alone_does_not_cover_its_parent(tmp_path: Path) -> None:
    files = {"records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2026-02-10", "[1.1, 2, PRC-001, PRC-002]")}
    result = build(handbook(tmp_path / "hb", files), fresh=True, overrides={"clausewise_audit_scope": "level 1"})
    assert [(f["code"], f["line"], f["id"], f["message"]) for f in result.report["findings"]] == [
        ("audit-coverage-gap", KIND_LINE, "MINI-1",
         "clause 1 (Planning) has not been audited within the audit cycle of 3 years: never audited; plan it "
         "into the audit programme and name it under 'audited:' in the report of the audit that covers it"),
    ]  # fmt: skip


def test_a_justified_clause_and_a_draft_procedure_need_no_audit(tmp_path: Path) -> None:
    """A gap justified under uncovered_clauses is not implemented, so there is nothing to audit (a clause that
    is covered anyway is audited like any other); a draft procedure is not in force."""
    files = {
        "records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2026-02-10", "[1.1, 2, PRC-001]"),
        "procedures/other.md": governed("PRC-002", "procedure", "Other work", satisfies="[1.1]", status="draft"),
        "policies/policy.md": governed(
            "POL-001", "policy", "Policy", satisfies="[1.1]",
            uncovered_clauses="[{clause: 1.2, reason: planned for 2027}]",
        ),
    }  # fmt: skip
    result = build(handbook(tmp_path / "hb", files), fresh=True)
    assert [f for f in result.findings if f[0] == "audit-coverage-gap"] == []


def test_a_report_after_today_or_a_draft_does_not_count(tmp_path: Path) -> None:
    files = {
        "records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2026-02-10", "[1.1, 1.2, 2, PRC-001]"),
        "records/audit/REC-AUDIT-2.md": record(
            "REC-AUDIT-2", "RT-AUDIT", "2026-03-01", produced="2026-03-01", audited="[PRC-002]", status="draft"
        ),
    }
    result = build(handbook(tmp_path / "hb", files), fresh=True)
    # the draft is listed as unfilled, and audits nothing
    assert [(f[0], f[3]) for f in result.findings] == [
        ("audit-coverage-gap", "PRC-002"),
        ("record-unfilled", "REC-AUDIT-2"),
    ]


def test_what_an_audit_names_must_exist(tmp_path: Path) -> None:
    """An ``audited:`` value is a document id of the handbook or a clause: a value shaped like a clause
    that names none is unknown-clause, any other unknown-reference with the closest id; each on its line."""
    named = "\n  - PRC-0001\n  - 9.9\n  - 27001:A.5.1\n  - PRC-001\n  - 1\n  - 2"
    files = {"records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2026-02-10", named)}
    result = build(handbook(tmp_path / "hb", files), fresh=True)
    assert [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in result.report["findings"]] == [
        ("audit-coverage-gap", "procedures/audit.md", KIND_LINE, "PRC-002",
         "procedure PRC-002 (Other work) has not been audited within the audit cycle of 3 years: never audited; "
         "plan it into the audit programme and name it under 'audited:' in the report of the audit that covers "
         "it"),
        ("unknown-reference", "records/audit/REC-AUDIT-1.md", 11, "REC-AUDIT-1",
         "audited: 'PRC-0001' is neither an id of the handbook nor a clause reference; did you mean 'PRC-001'? "
         "(a clause is written as its number, e.g. 8.7)"),
        ("unknown-clause", "records/audit/REC-AUDIT-1.md", 12, "REC-AUDIT-1",
         "audited: clause '9.9' is not in the Mini standard catalogue; use a number from the clause catalogue "
         "page, e.g. 8.6.1"),
        ("unknown-clause", "records/audit/REC-AUDIT-1.md", 13, "REC-AUDIT-1",
         "audited: '27001:A.5.1' names no configured catalogue; the catalogues are MINI (Mini standard); write "
         "KEY:NUMBER, e.g. 'MINI:2' (a bare number is a clause of MINI)"),
    ]  # fmt: skip
    # the values that name something still count: 1 covers 1.1 and 1.2
    assert "1.2 Objectives \u2713 2026-02-10 REC-AUDIT-1 covered" in result.page_text("pages/audit-coverage")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("clausewise_audit_cycle", "3 decades",
         "clausewise_audit_cycle is '3 decades'; expected a number of months or years from 1 month to 10 years, "
         "e.g. clausewise_audit_cycle = '36 months' (a three-year certification cycle)"),
        ("clausewise_audit_cycle", 36,
         "clausewise_audit_cycle is 36; expected a number of months or years from 1 month to 10 years, "
         "e.g. clausewise_audit_cycle = '36 months' (a three-year certification cycle)"),
        ("clausewise_audit_scope", "leaves",
         "clausewise_audit_scope is 'leaves'; expected 'leaf' (every clause without sub-clauses) or 'level N' "
         "with N from 1 to 9 (the clauses N levels deep, e.g. 'level 1' for 4 to 10), e.g. "
         "clausewise_audit_scope = 'leaf'"),
        ("clausewise_audit_scope", "level 0",
         "clausewise_audit_scope is 'level 0'; expected 'leaf' (every clause without sub-clauses) or 'level N' "
         "with N from 1 to 9 (the clauses N levels deep, e.g. 'level 1' for 4 to 10), e.g. "
         "clausewise_audit_scope = 'leaf'"),
    ],
)  # fmt: skip
def test_a_bad_cycle_or_scope_is_one_clear_sentence(name: str, value: object, message: str) -> None:
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values({name: value}, environ={})
    assert str(caught.value) == f"conf.py: {message}"
    good = ClausewiseConfig.from_values({"clausewise_audit_cycle": "3 years", "clausewise_audit_scope": "Level 2"})
    assert (good.audit_cycle, good.audit_scope) == (36, 2)


def test_the_coverage_is_exported_as_csv_and_a_workbook_sheet(cycle: Build) -> None:
    header = ["subject", "kind", "title", "state", "last_audited", "last_audit", "falls_out", "audited_by"]
    rows = [
        ["1.1", "clause", "Plans", "gap: not audited since 2023-10-23", "2023-10-23", "REC-AUDIT-1", "2026-10-23",
         "REC-AUDIT-1"],
        ["1.2", "clause", "Objectives", "due soon: falls out on 2026-12-23", "2023-12-23", "REC-AUDIT-2",
         "2026-12-23", "REC-AUDIT-2"],
        ["2", "clause", "Operation", "due soon: falls out on 2027-01-22", "2024-01-22", "REC-AUDIT-3", "2027-01-22",
         "REC-AUDIT-3"],
        ["PRC-001", "procedure", "Internal audit", "covered", "2026-06-01", "REC-AUDIT-4", "2029-06-01",
         "REC-AUDIT-4"],
        ["PRC-002", "procedure", "Other work", "gap: never audited", "", "", "", ""],
    ]  # fmt: skip
    with (cycle.outdir / "clausewise" / "audit-coverage.csv").open(newline="") as file:
        assert list(csv.reader(file)) == [header, *rows]
    sheet = load_workbook(cycle.outdir / "clausewise" / "clausewise.xlsx")["Audit coverage"]
    assert [[cell.value or "" for cell in row] for row in sheet.iter_rows()] == [header, *rows]


def test_an_audited_field_of_another_type_is_one_finding_not_a_gap_for_every_clause(tmp_path: Path) -> None:
    files = {
        "records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2026-02-10", "[1.1]"),
        "procedures/audit.md": PROGRAMME.replace("type: list of reference", "type: list of clause"),
    }
    result = build(handbook(tmp_path / "hb", files), fresh=True)
    assert [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in result.report["findings"]] == [
        ("invalid-metadata", "procedures/audit.md", 19, "RT-AUDIT",
         "fields: 'audited' is of type list of clause, but a record type of kind 'audit' reads it as list of "
         "reference (what the audit covered: clause references and the ids of the documents audited); give it the "
         "type 'list of reference'"),
    ]  # fmt: skip
    assert "No record type has 'kind: audit'" in result.page_text("pages/audit-coverage")
