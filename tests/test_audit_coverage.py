"""Audit programme coverage (issue 17, part 3): internal audit reports (a record type of kind audit)
name what they audited (``audited:``, clause references and document ids), and every build checks
that each clause of the audit scope and each procedure in force was audited within the audit cycle."""

from __future__ import annotations

from pathlib import Path

import pytest
from handbook import Build, build, governed, record, role, write_handbook

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
