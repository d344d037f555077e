"""The sample handbook (this repository) builds cleanly and shows what it promises."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from handbook import Build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample(sample_build: Build) -> Build:
    return sample_build


def test_builds_with_only_the_deliberate_findings(sample: Build) -> None:
    assert sample.findings == [
        ("review-due-soon", "policies/context-of-the-organisation.md", 9, "DOC-001"),
        ("review-overdue", "policies/information-security-policy.md", 9, "POL-004"),
        # issue 17: the internal audit itself waits for an independent auditor
        ("audit-coverage-gap", "procedures/internal-audit.md", 28, "ISO20K-9-2"),
        ("audit-coverage-gap", "procedures/internal-audit.md", 28, "PRC-022"),
        ("record-missing", "procedures/problem-management.md", 15, "RT-PROBLEM-REVIEW"),
        ("record-missing", "procedures/service-availability-management.md", 15, "RT-AVAILABILITY-REPORT"),
        ("record-missing", "procedures/supplier-performance-review.md", 16, "RT-SUPPLIER-REVIEW"),
        # issue 18: the services' measurements, the months that missed their target in the audit window
        ("target-missed", "records/availability-report/2026-02.md", 14, "REC-AVAILABILITY-REPORT-2026-02"),
        ("target-missed", "records/availability-report/2026-09.md", 13, "REC-AVAILABILITY-REPORT-2026-09"),
        # issue 17: a closed nonconformity's action never checked, an action open past its due date, and a
        # management review that skipped an input
        ("action-effectiveness-unchecked", "records/corrective-action/2025-09-29.md", 16,
         "REC-CORRECTIVE-ACTION-2025-09-29"),
        ("action-overdue", "records/corrective-action/2026-07-02.md", 15, "REC-CORRECTIVE-ACTION-2026-07-02"),
        # issue 18: the complaint received 2026-11-02 is still without a response after 14 days
        ("complaint-unanswered", "records/customer-complaint/2026-11-02.md", 11, "REC-CUSTOMER-COMPLAINT-2026-11-02"),
        ("review-input-missing", "records/management-review/2025-H1.md", 11, "REC-MANAGEMENT-REVIEW-2025-H1"),
        ("record-late", "records/service-report/2025-06.md", 7, "REC-SERVICE-REPORT-2025-06"),
        # issue 18: Fernhill Workplace's first contact resolution, below 70% in August, September and October 2026
        *(
            ("target-missed", f"records/service-report/{period}.md", 12, f"REC-SERVICE-REPORT-{period}")
            for period in ("2025-12", "2026-01", "2026-02", "2026-04", "2026-06", "2026-08", "2026-09", "2026-10")
        ),
        ("target-missed-repeatedly", "services/workplace.md", 17, "SVC-WORKPLACE"),
        # issue 18: Stratus Cloud's contract ends on 2027-04-30, within the 180 days' notice
        ("contract-expiring", "suppliers/stratus-cloud.md", 14, "SUP-STRATUS-CLOUD"),
    ]  # fmt: skip
    messages = [f["message"] for f in sample.report["findings"]]
    assert messages[2:7] == [
        "clause 9.2 (Internal audit) has not been audited within the audit cycle of 3 years: never audited; "
        "plan it into the audit programme and name it under 'audited:' in the report of the audit that covers it",
        "procedure PRC-022 (Internal audit) has not been audited within the audit cycle of 3 years: never "
        "audited; plan it into the audit programme and name it under 'audited:' in the report of the audit that "
        "covers it",
        "no record of RT-PROBLEM-REVIEW Problem review for 2026-Q3 (due 2026-10-30); "
        "add records/problem-review/2026-Q3.md",
        "no record of RT-AVAILABILITY-REPORT Availability report for 2026-08 (due 2026-09-30); "
        "add records/availability-report/2026-08.md",
        "no record of RT-SUPPLIER-REVIEW Supplier performance review for 2025-Q3 (due 2025-10-30); "
        "add records/supplier-review/2025-Q3.md",
    ]
    assert messages[7:13] == [
        "SVC-CONNECT availability in 2026-02 missed its target: achieved 99.568%, target at least 99.8%",
        "SVC-HOST availability in 2026-09 missed its target: achieved 99.174%, target at least 99.9%",
        "REC-CORRECTIVE-ACTION-2025-09-29 Corrective action CA-2025-03: Service review actions not tracked to "
        "closure closed a nonconformity on 2025-11-28, 360 days ago, and its effectiveness was never checked (due "
        "within 90 days); check it and write 'effectiveness_checked' and 'was_effective'",
        "REC-CORRECTIVE-ACTION-2026-07-02 Corrective action CA-2026-02: Recurrence of unapproved emergency changes "
        "is open 84 days after its due date 2026-08-31 (owner ROLE-CHANGE-MANAGER); close it (closed: the day) or "
        "agree a new due date",
        "complaint received 2026-11-02 has no answer after 21 days (allowed: 14, setting "
        "clausewise_complaint_response_days; due 2026-11-16): answer the customer and record the day as "
        "'responded: YYYY-MM-DD'",
        "management review REC-MANAGEMENT-REVIEW-2025-H1 did not cover 1 of the 12 inputs record type "
        "RT-MANAGEMENT-REVIEW lists: supplier-performance (Supplier performance and disputes); consider them at "
        "the next review, or add their keys to inputs_covered if this one did",
    ]
    # the service reports are confidential: the staff's build names no figure of theirs
    assert messages[14] == (
        "SVC-WORKPLACE first_contact_resolution in 2025-12 missed its target: the values are withheld from this "
        "audience"
    )
    assert messages[-2:] == [
        "SVC-WORKPLACE first_contact_resolution missed its target in 3 periods in a row (2026-08, 2026-09, "
        "2026-10); raise an action (a record of kind action) whose source is SVC-WORKPLACE, or, if the target is "
        "wrong, change it",
        "the contract with Stratus Cloud ends on 2027-04-30, in 158 days (notice: 180 days); decide whether to "
        "renew, renegotiate or replace it",
    ]
    assert [f["severity"] for f in sample.report["findings"]] == (
        ["info"] + ["warning"] * 6 + ["info"] * 2 + ["warning"] * 5 + ["info"] * 8 + ["warning"] + ["info"]
    )
    # the info findings are in findings.json only; the rest are the warnings Sphinx prints
    assert len(sample.warnings) == 12
    assert sample.raw_warnings.count("\n") == 12
    assert sample.report["today"] == "2026-11-23"


def test_every_clause_is_covered_or_justified(sample: Build) -> None:
    text = sample.page_text("docs/matrix")
    assert (
        "74 of 77 clauses covered ; 1 covered with gaps in the last 12 months; 1 with records missing; 1 declared "
        "only (draft, retired or not yet effective documents); 0 uncovered; 1 of the gaps justified." in text
    )
    # the availability report of 2026-08 is missing, inside the audit window: an auditor sampling the last
    # year finds that gap, though the latest report (2026-09) is there
    assert (
        "8.7.1 Service availability management Covered with gaps : an approved document in force satisfies it; "
        "1 missing period of RT-AVAILABILITY-REPORT in the last 12 months PRC-015 Service availability "
        "management — version 2.0, approved, Infrastructure operations lead RT-AVAILABILITY-REPORT : latest "
        "REC-AVAILABILITY-REPORT-2026-09 (period 2026-09, produced 2026-10-05); 1 missing period in the last "
        "12 months (2026-08) 8.7.2 " in text
    )
    # the supplier review of 2025-Q3 is missing too, but it ended before the window: 8.3.4.1 stays covered
    assert (
        "8.3.4.1 Management of external suppliers Covered : an approved document in force satisfies it; every "
        "record due in the last 12 months exists PRC-006 Supplier management — version 2.2, approved, Supplier and "
        "commercial manager PRC-019 Supplier performance review — version 2.0, approved, Supplier and commercial "
        "manager RT-SUPPLIER-REVIEW : latest REC-SUPPLIER-REVIEW-2026-Q3 (period 2026-Q3, produced 2026-10-12); no "
        "missing period in the last 12 months 8.3.4.2 " in text
    )
    assert (
        "7.6 Knowledge Declared only : only documents not in force satisfy it: PRC-025 (draft); justified in "
        "DOC-002 : Knowledge management procedure PRC-025 is in drafting" in text
    )
    assert "(known gap, action planned) PRC-025 Knowledge management — version 0.3, draft, SMS manager — 8 " in text
    # the filters count the rows an auditor sampling for gaps looks at: 7.6, 8.6.3 and 8.7.1
    assert "All clauses (77) Gaps only (3) Showing 77 of 77 clauses" in text


def test_navigation_by_document_kind(sample: Build) -> None:
    procedures = sample.page_text("procedures/index")
    assert len(re.findall(r"\bPRC-\d{3}\b", procedures)) == 25
    roles = sample.page_text("docs/roles/index")
    assert len(set(re.findall(r"\bROLE-[A-Z-]+\b", roles))) == 10
    policies = sample.page_text("policies/index")
    assert sorted(set(re.findall(r"\b(?:DOC|POL)-\d{3}\b", policies))) == [
        "DOC-001", "DOC-002", "DOC-003", "DOC-004", "DOC-005", "POL-001", "POL-002", "POL-003", "POL-004",
    ]  # fmt: skip
    assert (sample.outdir / "searchindex.js").is_file()


def test_every_record_is_linked_from_its_record_types_grid(sample: Build) -> None:
    linked: set[str] = set()
    for page in [*sample.outdir.glob("procedures/*.html"), *sample.outdir.glob("policies/*.html")]:
        linked |= set(re.findall(r'href="../records/([a-z-]+/[0-9QH-]+)\.html#REC-', page.read_text()))
    on_disk = {
        p.relative_to(sample.srcdir / "records").with_suffix("").as_posix()
        for p in (sample.srcdir / "records").glob("*/*.md")
    }
    # issue 17 added CA-2024-02 and CA-2025-03, issue 18 three customer complaints
    assert len(on_disk) == 189 + 2 + 3
    assert linked == on_disk


def test_records_overview_lists_the_worst_first(sample: Build) -> None:
    text = sample.page_text("records/index")
    # the count is of every period: the matrix's, of the audit window's, may be smaller
    assert (
        "Worst first. Missing counts every period since each record type's schedule started; the matrix counts "
        "those within the audit window (the last 12 months). Record type Title"
    ) in text
    table = text[text.index("Record type Title Owner Cadence Last record Next due Missing") :]
    assert re.findall(r"RT-[A-Z-]+", table)[:3] == ["RT-AVAILABILITY-REPORT", "RT-PROBLEM-REVIEW", "RT-SUPPLIER-REVIEW"]
    assert (
        "RT-AVAILABILITY-REPORT Availability report Infrastructure operations lead monthly 2026-09 2026-11-30 1 "
        in table
    )
    assert len(re.findall(r"RT-[A-Z-]+", table)) == 21 + 1  # issue 18: RT-CUSTOMER-COMPLAINT


def test_role_page_lists_duties(sample: Build) -> None:
    text = sample.page_text("docs/roles/service-desk-lead")
    owns = text[text.index("Documents this role owns") : text.index("Records this role must produce")]
    assert re.findall(r"PRC-\d{3}", owns) == ["PRC-012", "PRC-013", "PRC-014"]
    produces = text[text.index("Records this role must produce") : text.index("Other documents")]
    assert re.findall(r"RT-[A-Z-]+", produces) == ["RT-MAJOR-INCIDENT-REVIEW", "RT-PROBLEM-REVIEW"]


def test_status_box_on_a_procedure(sample: Build) -> None:
    text = sample.page_text("procedures/incident-management")
    # version 3.1 was merged on the day it took effect; the review of 2026-03-12 changed only 'reviewed:';
    # "Edit this page" (the sample's conf.py names its repository) comes first, under the title
    assert text.startswith(
        "Incident management ¶ Edit this page Document PRC-012 (procedure) Owner Service desk lead Status approved "
        "Version 3.1 Effective 2025-04-01 Last reviewed 2026-03-12 Review interval 12 months "
        "Next review due 2027-03-12 Last changed 2025-04-01 "
        "Classification internal Satisfies 8.6 , 8.6.1 Purpose"
    )


def test_overdue_policy_is_marked_on_its_page_and_first_on_the_reviews_page(sample: Build) -> None:
    assert "Next review due 2026-10-20 OVERDUE (34 days ago)" in sample.page_text(
        "policies/information-security-policy"
    )
    reviews = sample.page_text("docs/reviews")
    table = reviews[reviews.index("Document Title Owner") :]
    assert table.startswith(
        "Document Title Owner Last reviewed Next review due "
        "POL-004 Information security policy Information security officer 2025-10-20 2026-10-20 OVERDUE (34 days ago) "
        "DOC-001 Context of the organisation and interested parties Top management 2025-12-15 "
        "2026-12-15 DUE SOON (in 22 days) "
    )
    # the draft comes last
    assert table.rstrip().endswith("PRC-025 Knowledge management SMS manager — draft, not reviewed yet")


def _confidential_records() -> dict[str, str]:
    """Every confidential record of the sample: its docname -> a line of prose of its body."""
    found = {}
    for path in sorted((ROOT / "records").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        if "\nclassification: confidential\n" not in text.split("\n---\n", 1)[0]:
            continue
        body = text.split("\n---\n", 1)[1]
        # lines Markdown and smart quotes leave as written
        prose = [
            line.strip() for line in body.splitlines() if line.strip() and not re.search(r"[|*_`#\[\]<>&'\"]", line)
        ]
        found[path.relative_to(ROOT).with_suffix("").as_posix()] = max(prose, key=len).lstrip("- ")
    return found


def _search_terms(build: Build) -> set[str]:
    from sphinx.search import js_index

    return set(js_index.loads((build.outdir / "searchindex.js").read_text(encoding="utf-8"))["terms"])


def test_the_staff_build_withholds_every_confidential_record_and_the_auditors_has_them(
    sample: Build, sample_auditor_build: Build
) -> None:
    confidential = _confidential_records()
    assert len(confidential) == 57 + 3  # issue 18: the customer complaints
    for docname, line in confidential.items():
        staff_page, audit_page = sample.page_text(docname), sample_auditor_build.page_text(docname)
        assert line not in staff_page and "Content withheld from this build" in staff_page, docname
        assert line in audit_page and "Content withheld" not in audit_page, docname
        assert not (sample.outdir / "_sources" / f"{docname}.md.txt").exists()
        assert (sample_auditor_build.outdir / "_sources" / f"{docname}.md.txt").is_file()
    survey = "Net Promoter Score"
    staff_files = [p for p in sample.outdir.rglob("*") if p.is_file()]
    assert [p for p in staff_files if survey.encode() in p.read_bytes()] == []
    # words only confidential records use, as the search index stems them ("promoter" shares "promot")
    only_confidential = {"roadmap", "warehous"}
    assert only_confidential & _search_terms(sample) == set()
    assert only_confidential <= _search_terms(sample_auditor_build)
    assert survey in sample_auditor_build.page_text("records/customer-survey/2025")
    # the same findings, coverage and schedules in both
    assert sample_auditor_build.findings == sample.findings
    assert sample_auditor_build.page_text("docs/matrix") == sample.page_text("docs/matrix")
    assert sample_auditor_build.page_text("records/index") == sample.page_text("records/index")


def test_document_register_lists_every_document_with_the_external_ones(sample: Build) -> None:
    with (sample.outdir / "clausewise" / "register.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    ids = [row[0] for row in rows[1:]]
    assert [i for i in ids if i.startswith("SVC-")] == ["SVC-CONNECT", "SVC-HOST", "SVC-WORKPLACE"]
    # the handbook's documents (those of external origin among them), the 3 services' and the 6 suppliers' pages
    assert len(ids) == 48 + 3 + 6
    assert [i for i in ids if i.startswith("SUP-")] == [
        "SUP-CALDER", "SUP-FINANCE-HR", "SUP-HALCYON-ITSM", "SUP-NORTHGATE", "SUP-PENNINE-FIBRE", "SUP-STRATUS-CLOUD",
    ]  # fmt: skip
    assert [i for i in ids if i.startswith("EXT-")] == ["EXT-001", "EXT-002", "EXT-003", "EXT-004"]
    assert rows[0][16:] == ["location", "issuer", "edition", "uses"]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["EXT-003"][16:19] == [
        "https://www.legislation.gov.uk/ukpga/2018/12/contents", "UK Parliament", "2018, as amended to 2025",
    ]  # fmt: skip
    assert by_id["PRC-006"][-1] == "EXT-001; EXT-002"
    assert by_id["PRC-017"][-1] == "EXT-003"
    # the replayed history approves every change through a pull request: by the owner role's member
    # other than its holder, who wrote it (the sample asks for the owner's approval: "by": "owner")
    assert all(row[13] for row in rows[1:])
    assert {row[14] for row in rows[1:]} == {
        "Liam O'Connor",
        "Marcus Reid",
        "Mei Lin",
        "Priya Natarajan",
        "Tom Brennan",
    }
    text = sample.page_text("docs/register")
    assert (
        "EXT-001 Northgate Colocation master services agreement (issued by Northgate Colocation Ltd) external "
        "Supplier and commercial manager internal approved 2023-04, amendment 2 (2025-02) 2025-03-01 "
        "2026-04-14 by Mei Lin 2026-04-14 "
        "2027-04-14 Commercial SharePoint: Contracts/Northgate/MSA-2023-A2.pdf "
        "EXT-002 Pennine Fibre WAN and internet service level agreement (issued by Pennine Fibre Ltd) external "
        "Supplier and commercial manager internal approved 4.2 2025-07-01 2026-07-08 by Mei Lin "
        "2026-07-08 2027-07-08 "
        "Commercial SharePoint: Contracts/PennineFibre/SLA-4.2.pdf "
        "EXT-003 UK GDPR and the Data Protection Act 2018 (issued by UK Parliament) external Information security "
        "officer public approved 2018, as amended to 2025 2018-05-25 2026-02-16 by Marcus Reid 2026-02-16 2027-02-16 "
        "https://www.legislation.gov.uk/ukpga/2018/12/contents"
    ) in text
    assert text.endswith("Retired documents None.")
    assert "Uses EXT-001 , EXT-002" in sample.page_text("procedures/supplier-management")


def test_the_action_register_lists_the_samples_actions_open_first(sample: Build) -> None:
    text = sample.page_text("docs/actions")
    rows = text[text.index("Action State Kind") :]
    state = r"(overdue by \d+ days|open, due [0-9-]+|closed [0-9-]+)"
    ids = re.findall(r"REC-CORRECTIVE-ACTION-[0-9-]+ Corrective action (CA-\d{4}-\d{2}): [^:]*? " + state, rows)
    assert ids == [
        ("CA-2026-02", "overdue by 84 days"),
        ("CA-2026-01", "open, due 2026-12-31"),
        ("CA-2025-02", "closed 2025-12-19"),
        ("CA-2025-03", "closed 2025-11-28"),
        ("CA-2025-01", "closed 2025-07-10"),
        ("CA-2024-02", "closed 2024-08-30"),
        ("CA-2024-01", "closed 2024-07-02"),
    ]
    assert "Every source EXT-004 NC-2024-01 NC-2025-01 NC-2026-01 REC-SERVICE-REPORT-2025-06 Every owner" in text
    # the role page of the overdue action's owner lists it
    assert (
        "Open actions REC-CORRECTIVE-ACTION-2026-07-02 Corrective action CA-2026-02: Recurrence of unapproved "
        "emergency changes: overdue by 84 days" in sample.page_text("docs/roles/change-manager")
    )


def test_audit_coverage_lists_the_clause_and_procedure_not_audited_in_the_cycle(sample: Build) -> None:
    text = sample.page_text("docs/audit-coverage")
    assert "2 gaps, 0 due soon, 78 covered." in text
    table = text[text.index("Clause or procedure") :]
    assert table.startswith("Clause or procedure Title 2024-H1 2024-H2 2025-H1 2025-H2 2026-H1 Last audited Status ")
    covered = "4.1 Understanding the organization and its context \u2713 2024-07-16 REC-AUDIT-REPORT-2024-H1 covered"
    assert covered in table
    assert "9.2 Internal audit never gap: never audited" in table
    # 8.5 audited in 2026 covers 8.5.2.1, audited through 8.5.2 before
    assert "8.5.2.1 Plan new or changed services \u2713 \u2713 2026-07-13 REC-AUDIT-REPORT-2026-H1 covered" in table
    assert "PRC-022 Internal audit never gap: never audited" in table
    # 7.6 is justified as not yet covered (its procedure is a draft): nothing to audit
    assert "7.6 " not in table


def test_the_management_reviews_inputs_on_the_dashboard_and_the_review_that_skipped_one(sample: Build) -> None:
    text = sample.page_text("docs/dashboard")
    assert (
        "Next management review ¶ RT-MANAGEMENT-REVIEW Management review minutes: the review for 2026-H2 is due by "
        "2027-01-30. The last was REC-MANAGEMENT-REVIEW-2026-H1 , produced on 2026-07-23."
    ) in text
    assert (
        "document-status Status of policies and procedures, including documents overdue for review 1 document "
        "overdue for review, 1 due soon"
    ) in text
    assert (
        "Inputs covered: 11 of the 12 that RT-MANAGEMENT-REVIEW lists. Not covered: supplier-performance (Supplier "
        "performance and disputes)."
    ) in sample.page_text("records/management-review/2025-H1")


def test_a_services_trend_is_its_records_figures(sample: Build) -> None:
    """Fernhill Host's availability chart has a point for every availability report, its value the
    report's own table's; the confidential service reports' figures stay out of the staff's page."""
    import xml.etree.ElementTree as ET

    tables = {}
    for path in sorted((sample.srcdir / "records" / "availability-report").glob("*.md")):
        row = re.search(r"^\| Fernhill Host \| 99\.9% \| ([\d.]+)% \|", path.read_text(), re.M)
        assert row is not None, path
        tables[path.stem] = f"{float(row.group(1)):g}"
    assert len(tables) == 32  # 2024-01 to 2026-09, without the missing 2026-08
    page = sample.page_html("services/host")
    svg = re.search(r'<figure class="clausewise-figure clausewise-trend">(<svg.*?</svg>)</figure>', page, re.S)
    assert svg is not None
    circles = ET.fromstring(svg.group(1)).iter("{http://www.w3.org/2000/svg}circle")
    assert {c.get("data-period"): c.get("data-value") for c in circles} == tables
    text = sample.page_text("services/host")
    assert (
        "Target: at least 99.9%. Latest, 2026-09: 99.174% against at least 99.9%, missed. Missed in 1 of the 10 "
        "periods measured in the audit window (the last 12 months)."
    ) in text
    assert "Agreements ¶ PRC-005 Service level management , EXT-001 Northgate Colocation master services agreement" in (
        text
    )
    # the suppliers that name the service under services:, and the service on each one's page
    assert "Suppliers ¶ SUP-NORTHGATE Northgate Colocation , SUP-STRATUS-CLOUD Stratus Cloud" in text
    assert "Services supported SVC-HOST" in sample.page_text("suppliers/stratus-cloud")
    workplace = sample.page_text("services/workplace")
    assert "34 values from records this audience may not read are left out." in workplace


def test_the_supplier_register_lists_the_suppliers_with_their_contracts_and_reviews(sample: Build) -> None:
    text = sample.page_text("suppliers/index")
    rows = text.split("Next review due", 1)[1].split(" Fernhill", 1)[0]
    expected = (
        "SUP-CALDER Calder Technology Distribution important Supplier and commercial manager approved "
        "2027-12-31 (403 days left) 2026-10-12 2027-10-12 "
        "SUP-FINANCE-HR Finance & HR shared service important Supplier and commercial manager approved no end date "
        "2026-10-12 2027-10-12 "
        "SUP-HALCYON-ITSM Halcyon ITSM critical Supplier and commercial manager approved 2028-12-31 (769 days left) "
        "2026-10-12 2027-02-12 "
        "SUP-NORTHGATE Northgate Colocation critical Supplier and commercial manager approved 2028-03-31 (494 days "
        "left) 2026-10-12 2027-02-12 "
        "SUP-PENNINE-FIBRE Pennine Fibre critical Supplier and commercial manager approved 2028-06-30 (585 days "
        "left) 2026-10-12 2027-02-12 "
        "SUP-STRATUS-CLOUD Stratus Cloud critical Supplier and commercial manager approved 2027-04-30 (158 days "
        "left, expiring) 2026-10-12 2027-02-12"
    )
    assert rows.split() == expected.split()
    # the page of a supplier lists every review that named it (all ten the sample has), newest first
    page = sample.page_text("suppliers/stratus-cloud")
    assert page.count("REC-SUPPLIER-REVIEW-") == 10
    assert page.index("REC-SUPPLIER-REVIEW-2026-Q3") < page.index("REC-SUPPLIER-REVIEW-2024-Q1")
    assert "Reviewed every 4 months (critical) Next review due 2027-02-12" in page


def test_customer_satisfaction_on_the_dashboard_and_the_complaint_register(
    sample: Build, sample_auditor_build: Build
) -> None:
    """Issue 18: the surveys' values drawn for the auditors, withheld from the staff (the surveys are
    confidential); the open complaint on the dashboard, every complaint in PRC-020's register."""
    audit = sample_auditor_build.page_html("docs/dashboard")
    charts = {
        m.group(1): re.findall(r'data-period="([^"]+)" data-value="([^"]+)"', m.group(0))
        for m in re.finditer(r'<svg[^>]*aria-label="([^"]+)".*?</svg>', audit, re.S)
    }
    assert charts["Customer satisfaction survey: satisfaction (0-10)"] == [("2024", "7.6"), ("2025", "7.9")]
    assert charts["Customer satisfaction survey: net promoter score"] == [("2024", "28"), ("2025", "34")]
    text = sample_auditor_build.page_text("docs/dashboard")
    assert (
        "Customer satisfaction survey, latest 2025 ( REC-CUSTOMER-SURVEY-2025 ): satisfaction 7.9 on a scale of "
        "0 to 10; NPS 34; 243 responses. " in text
    )
    assert "Open complaints: 1, of which unanswered past the time to answer: 1." in text
    staff = sample.page_text("docs/dashboard")
    assert (
        "Customer satisfaction survey: no survey values to show. 2 survey records withheld from this build's "
        "audience." in staff
    )
    assert "satisfaction (0-10)" not in sample.page_html("docs/dashboard")
    assert "2026-11-02 withheld withheld withheld withheld unanswered (answer due 2026-11-16)" in staff
    assert "Orchard Vale" not in sample.page_html("docs/dashboard")
    assert 'href="../records/customer-complaint/2026-11-02.html#REC-CUSTOMER-COMPLAINT-2026-11-02">withheld' in (
        sample.page_html("docs/dashboard")
    )
    register = sample_auditor_build.page_text("procedures/customer-satisfaction-and-complaints")
    rows = register[register.index("Received Complaint Customer") :]
    assert re.findall(r"REC-CUSTOMER-COMPLAINT-[\d-]+", rows) == [
        "REC-CUSTOMER-COMPLAINT-2026-11-02", "REC-CUSTOMER-COMPLAINT-2026-07-15", "REC-CUSTOMER-COMPLAINT-2026-03-04",
    ]  # fmt: skip
    assert (
        "2026-07-15 REC-CUSTOMER-COMPLAINT-2026-07-15 Complaint: Kestrel Logistics Kestrel Logistics "
        "2026-07-24 2026-08-07 resolved" in rows
    )


def test_the_management_page_sums_up_the_samples_services_suppliers_customers_and_actions(
    sample: Build, sample_auditor_build: Build
) -> None:
    """Issue 18, item 5: the sample's management page, linked from the landing page: the deliberate
    misses (Fernhill Host's September, Workplace's first contact resolution), the expiring contract
    (Stratus Cloud) first among the critical suppliers, and what is overdue, as the findings say."""
    from test_management import charts, section

    page = "docs/management"
    assert 'href="docs/management.html"' in sample.page_html("index")
    levels = section(sample, page, "management-service-levels")
    assert levels.startswith("Service levels 2 of 3 measured targets met in their latest period.")
    assert (
        "SVC-HOST Fernhill Host availability 99.174% (2026-09) at least 99.9% missed 1 of 10 "
        "SVC-WORKPLACE Fernhill Workplace availability 99.959% (2026-09) at least 99.5% met 0 of 10 "
        "SVC-WORKPLACE Fernhill Workplace first_contact_resolution withheld at least 70% \u2014 0 of 0 "
        "34 values from records this audience may not read are left out."
    ) in levels
    # the auditors read the confidential service reports: the repeated miss is there in words
    assert (
        "SVC-WORKPLACE Fernhill Workplace first_contact_resolution 62.4% (2026-10) at least 70% missed 8 of 12"
    ) in section(sample_auditor_build, page, "management-service-levels")
    assert (
        charts(sample, page)["Fernhill Host: availability"]
        == charts(sample, "services/host")["Fernhill Host: availability"]
    )
    assert " ".join(section(sample, page, "management-suppliers").split("Next review due", 1)[1].split()) == (
        "SUP-STRATUS-CLOUD Stratus Cloud critical 2027-04-30 (158 days left, expiring) 2027-02-12 "
        "SUP-NORTHGATE Northgate Colocation critical 2028-03-31 (494 days left) 2027-02-12 "
        "SUP-PENNINE-FIBRE Pennine Fibre critical 2028-06-30 (585 days left) 2027-02-12 "
        "SUP-HALCYON-ITSM Halcyon ITSM critical 2028-12-31 (769 days left) 2027-02-12"
    )
    assert section(sample, page, "management-customers") == (
        "Customer satisfaction Customer satisfaction survey: no survey values to show. 2 survey records withheld "
        "from this build's audience. Open complaints: 1, of which unanswered past the time to answer: 1; see the "
        "complaints register ."
    )
    assert "latest 2025 ( REC-CUSTOMER-SURVEY-2025 ): satisfaction 7.9 on a scale of 0 to 10; NPS 34" in section(
        sample_auditor_build, page, "management-customers"
    )
    assert section(sample, page, "management-actions") == (
        "Open actions 2 open actions, 1 overdue; the oldest was raised 241 days ago, the median 144 days ago. See "
        "the action register ."
    )
    assert section(sample, page, "management-overdue") == (
        "Overdue Overdue: 1 document review, 3 records and 1 action. By due date; everything due soon is on the "
        "dashboard . Due What Item Owner "
        "2025-10-30 record RT-SUPPLIER-REVIEW Supplier performance review 2025-Q3 Supplier and commercial manager "
        "2026-08-31 action REC-CORRECTIVE-ACTION-2026-07-02 Corrective action CA-2026-02: Recurrence of unapproved "
        "emergency changes Change and release manager "
        "2026-09-30 record RT-AVAILABILITY-REPORT Availability report 2026-08 Infrastructure operations lead "
        "2026-10-20 review POL-004 Information security policy Information security officer "
        "2026-10-30 record RT-PROBLEM-REVIEW Problem review 2026-Q3 Service desk lead"
    )
