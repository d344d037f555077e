"""The document register (the master list) and documents of external origin: real
builds of small handbooks in dated git repositories, read back as a user would
(findings.json, register.csv, the XLSX Documents sheet, the register page)."""

from __future__ import annotations

import csv
from pathlib import Path

from handbook import build, commit, governed, ok, refused, role, run_clausewise, write_handbook
from openpyxl import load_workbook

REGISTER_PAGE = "# Document register\n\n```{document-register}\n```\n"


def external(ext_id: str, title: str, **overrides: str | None) -> str:
    """A document of external origin, one key per line: id (2), type (3), title (4), owner (5),
    issuer (6), edition (7), location (8), status (9), reviewed (10), classification (11),
    then ``overrides`` in order (``None`` drops a key)."""
    fields: dict[str, str | None] = {
        "id": ext_id,
        "type": "external",
        "title": title,
        "owner": "ROLE-OWNER",
        "issuer": "Northwind Hosting Ltd",
        "edition": '"3.1"',
        "location": "https://contracts.example.org/northwind-sla.pdf",
        "status": "approved",
        "reviewed": "2026-06-01",
        "classification": "internal",
    }
    fields.update(overrides)
    return "\n".join(["---", *(f"{k}: {v}" for k, v in fields.items() if v is not None), "---", "", "Notes.", ""])


def small(tmp_path: Path, *, git: bool = True) -> Path:
    """A role, a policy, a procedure that uses a supplier's SLA, the SLA (its review
    overdue), and a policy retired on 2026-09-14 by a commit approved through a trailer."""
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies=None),
            "policies/p.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1]"),
            "policies/old.md": governed("POL-002", "policy", "Old supplier policy", satisfies=None),
            "procedures/s.md": governed("PRC-001", "procedure", "Supplier management", satisfies="[1.2]",
                                        uses="[EXT-001]"),
            "external/sla.md": external("EXT-001", "Hosting SLA", reviewed="2025-06-01"),
            "pages/register.md": REGISTER_PAGE,
        },
        git=git,
    )  # fmt: skip
    if git:
        commit(
            root, "Retire the old supplier policy\n\nApproved-by: Bob Reviewer <bob@example.org>",
            "2026-09-14T10:00:00+00:00",
            {"policies/old.md": governed("POL-002", "policy", "Old supplier policy", satisfies=None,
                                         status="retired")},
            author=("Carl Author", "carl@example.org"),
        )  # fmt: skip
    return root


HEADER = [
    "id", "type", "title", "owner", "status", "version", "effective", "reviewed", "next_review", "review_state",
    "last_changed", "classification", "path", "approved_on", "approved_by", "retired_on", "location", "issuer",
    "edition", "uses",
]  # fmt: skip
ROWS = [
    ["EXT-001", "external", "Hosting SLA", "ROLE-OWNER", "approved", "", "", "2025-06-01", "2026-06-01", "overdue",
     "2026-07-01", "internal", "external/sla.md", "", "", "", "https://contracts.example.org/northwind-sla.pdf",
     "Northwind Hosting Ltd", "3.1", ""],
    ["POL-001", "policy", "Service policy", "ROLE-OWNER", "approved", "1.0", "2026-01-01", "2026-06-01", "2027-06-01",
     "current", "2026-07-01", "internal", "policies/p.md", "", "", "", "policies/p.md", "", "", ""],
    ["POL-002", "policy", "Old supplier policy", "ROLE-OWNER", "retired", "1.0", "2026-01-01", "2026-06-01", "",
     "retired", "2026-09-14", "internal", "policies/old.md", "2026-09-14", "Bob Reviewer", "2026-09-14",
     "policies/old.md", "", "", ""],
    ["PRC-001", "procedure", "Supplier management", "ROLE-OWNER", "approved", "1.0", "2026-01-01", "2026-06-01",
     "2027-06-01", "current", "2026-07-01", "internal", "procedures/s.md", "", "", "", "procedures/s.md", "", "",
     "EXT-001"],
    ["ROLE-OWNER", "role", "Owner", "ROLE-OWNER", "approved", "1.0", "2026-01-01", "2026-06-01", "2027-06-01",
     "current", "2026-07-01", "internal", "roles/owner.md", "", "", "", "roles/owner.md", "", "", ""],
]  # fmt: skip


def test_register_csv_and_documents_sheet_list_every_document(tmp_path: Path) -> None:
    result = build(small(tmp_path))
    with (result.outdir / "clausewise" / "register.csv").open(newline="") as f:
        assert list(csv.reader(f)) == [HEADER, *ROWS]
    sheet = load_workbook(result.outdir / "clausewise" / "clausewise.xlsx")["Documents"]
    assert [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)] == [HEADER, *ROWS]


def test_an_external_document_whose_review_is_overdue_is_reported_on_its_reviewed_line(tmp_path: Path) -> None:
    result = build(small(tmp_path))
    assert result.findings == [
        ("review-overdue", "external/sla.md", 10, "EXT-001"),
        ("uncovered-clause", "pages/clauses.md", 3, "MINI-2"),
    ]
    assert result.report["findings"][0]["message"] == (
        "review overdue since 2026-06-01 (175 days): last reviewed 2025-06-01, every 12 months; review it and set "
        "'reviewed' to the review's date"
    )


def test_register_page_lists_documents_in_use_and_retired_ones_apart(tmp_path: Path) -> None:
    result = build(small(tmp_path))
    text = result.page_text("pages/register")
    assert (
        "Id Title Kind Owner Classification Status Version Effective Last approved Last reviewed Next review "
        "Location "
        "EXT-001 Hosting SLA (issued by Northwind Hosting Ltd) external Owner internal approved 3.1 — — 2025-06-01 "
        "2026-06-01 OVERDUE (175 days ago) https://contracts.example.org/northwind-sla.pdf "
        "POL-001 Service policy policy Owner internal approved 1.0 2026-01-01 — 2026-06-01 2027-06-01 "
        "policies/p.md "
        "PRC-001 Supplier management procedure Owner internal approved 1.0 2026-01-01 — 2026-06-01 2027-06-01 "
        "procedures/s.md "
        "ROLE-OWNER Owner role Owner internal approved 1.0 2026-01-01 — 2026-06-01 2027-06-01 roles/owner.md "
        "Retired documents "
        "Id Title Kind Owner Last version Retired on Last approved Location "
        "POL-002 Old supplier policy policy Owner 1.0 2026-09-14 2026-09-14 by Bob Reviewer policies/old.md"
    ) in text
    page = result.page_html("pages/register")
    assert 'href="https://contracts.example.org/northwind-sla.pdf"' in page
    # the procedure's status box names what it uses, linked
    assert "Uses EXT-001" in result.page_text("procedures/s")
    assert "Issuer Northwind Hosting Ltd Edition 3.1 Location https://contracts.example.org/northwind-sla.pdf" in (
        result.page_text("external/sla")
    )


def test_without_git_the_retired_date_is_not_known_and_the_page_says_why(tmp_path: Path) -> None:
    root = small(tmp_path, git=False)
    (root / "policies/old.md").write_text(governed("POL-002", "policy", "Old supplier policy", satisfies=None,
                                                   status="retired"))  # fmt: skip
    text = build(root).page_text("pages/register")
    assert (
        "POL-002 Old supplier policy policy Owner 1.0 not known (no git history) — policies/old.md "
        "The day a document was retired is read from git history: the handbook is not in a git repository."
    ) in text


def test_uses_must_name_a_document_of_external_origin(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies=None),
            "policies/p.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1, 1.2]"),
            "procedures/s.md": governed("PRC-001", "procedure", "Suppliers", satisfies="[2]",
                                        uses="[EXT-002, POL-001]"),
            "external/sla.md": external("EXT-001", "Hosting SLA"),
        },
    )  # fmt: skip
    result = build(root)
    assert result.findings == [
        ("unknown-reference", "procedures/s.md", 12, "PRC-001"),
        ("unknown-reference", "procedures/s.md", 12, "PRC-001"),
    ]
    assert [f["message"] for f in result.report["findings"]] == [
        "uses: 'EXT-002' is not a document of external origin in the handbook (did you mean EXT-001?)",
        "uses: 'POL-001' is a policy, not a document of external origin (type: external); name the handbook's "
        "own documents under 'implements'",
    ]


def test_an_external_document_cannot_satisfy_a_clause(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies=None),
            "policies/p.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1, 1.2]"),
            "external/law.md": external("EXT-001", "Data Protection Act 2018", issuer="UK Parliament",
                                        edition="2018", location="https://www.legislation.gov.uk/ukpga/2018/12",
                                        satisfies="[2]"),
        },
    )  # fmt: skip
    result = build(root)
    # clause 2 stays uncovered: what the law requires is done by a procedure, which satisfies it
    assert result.findings == [
        ("invalid-metadata", "external/law.md", 12, "EXT-001"),
        ("uncovered-clause", "pages/clauses.md", 3, "MINI-2"),
    ]
    assert result.report["findings"][0]["message"] == (
        "satisfies: a document of external origin cannot satisfy a clause by itself: what the organisation does "
        "with it does; list the clauses under 'satisfies' of the procedure that puts it into practice, add this "
        "document's id to that procedure's 'uses', and remove 'satisfies' here"
    )


def test_a_location_that_runs_script_is_refused(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies="[1.1, 1.2, 2]"),
            "external/sla.md": external("EXT-001", "Hosting SLA", location="'JavaScript:alert(1)'"),
            "pages/register.md": REGISTER_PAGE,
        },
    )
    result = build(root)
    assert result.findings == [("unsafe-link", "external/sla.md", 8, "EXT-001")]
    assert result.report["findings"][0]["message"] == (
        "location: 'JavaScript:alert(1)' uses the javascript: scheme, which can run script in a reader's browser, "
        "so it is not shown; give an https:// address or a path"
    )
    assert "alert(1)" not in result.page_html("pages/register")
    assert "Hosting SLA (issued by Northwind Hosting Ltd) external Owner internal approved 3.1 — — 2026-06-01 " \
           "2027-06-01 invalid" in result.page_text("pages/register")  # fmt: skip


def test_a_title_withheld_from_the_audience_is_its_id_in_the_register(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies="[1.1, 1.2, 2]"),
            "external/deal.md": external("EXT-001", "Secret acquisition agreement", classification="confidential",
                                         title_classification="confidential", issuer="Target Ltd"),
            "pages/register.md": REGISTER_PAGE,
        },
    )  # fmt: skip
    staff = build(root)
    for docname in ("pages/register", "external/deal"):
        assert "Secret" not in staff.page_html(docname)
        assert "Target" not in staff.page_html(docname)
        assert "northwind" not in staff.page_html(docname)
    assert "EXT-001 EXT-001 (issued by withheld) external Owner confidential approved 3.1 — — 2026-06-01 " \
           "2027-06-01 withheld" in staff.page_text("pages/register")  # fmt: skip
    with (staff.outdir / "clausewise" / "register.csv").open(newline="") as f:
        row = list(csv.reader(f))[1]
    assert (row[:3], row[16:19]) == (["EXT-001", "external", "EXT-001"], ["withheld", "withheld", "3.1"])
    auditor = build(root, overrides={"clausewise_audience": "auditor"}, outdir=tmp_path / "auditor")
    assert "EXT-001 Secret acquisition agreement (issued by Target Ltd) external Owner confidential approved 3.1 — " \
           "— 2026-06-01 2027-06-01 https://contracts.example.org/northwind-sla.pdf" in (
        auditor.page_text("pages/register")
    )  # fmt: skip


def test_an_approved_document_that_uses_a_retired_external_document_is_reported(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies="[2]"),
            "procedures/s.md": governed("PRC-001", "procedure", "Suppliers", satisfies="[1.1, 1.2]",
                                        uses="[EXT-001]"),
            "external/sla.md": external("EXT-001", "Hosting SLA", status="retired"),
        },
    )  # fmt: skip
    result = build(root)
    assert result.findings == [("retired-reference", "procedures/s.md", 12, "PRC-001")]
    assert result.report["findings"][0]["message"] == (
        "uses: EXT-001 Hosting SLA is retired (withdrawn or replaced), but this approved document still relies on "
        "it; point 'uses' at the edition or document that replaced it"
    )


def test_a_review_of_an_external_document_records_the_day_never_a_version(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(satisfies="[1.1, 1.2, 2]"), "external/sla.md": external("EXT-001", "Hosting SLA")},
    )
    before = (root / "external/sla.md").read_text()
    assert refused(run_clausewise("review", "EXT-001", "--version", "2.0", "--today", "2026-11-23", cwd=root)) == (
        "clausewise: EXT-001 is a document of external origin: it has an edition, numbered by its issuer, not a "
        "version; record the review without --version, and change 'edition:' by hand when a new edition is adopted"
    )
    assert (root / "external/sla.md").read_text() == before
    said = ok(run_clausewise("review", "EXT-001", "--today", "2026-11-23", cwd=root))
    assert said[0] == "external/sla.md: reviewed: 2026-06-01 -> 2026-11-23"
    assert (root / "external/sla.md").read_text() == before.replace("reviewed: 2026-06-01", "reviewed: 2026-11-23")
    assert ok(run_clausewise("review", "EXT-001", "--today", "2026-11-23", cwd=root)) == [
        "EXT-001 already records a review on 2026-11-23 at edition 3.1: nothing changed."
    ]


def test_a_role_page_lists_an_external_document_it_owns_with_its_edition(tmp_path: Path) -> None:
    # an external document has an edition, no version: its row says the edition, not "invalid"
    text = build(small(tmp_path)).page_text("roles/owner")
    assert "EXT-001 Hosting SLA Owner approved 3.1 2025-06-01" in text
    assert "invalid" not in text


def test_last_approved_counts_only_an_approval_the_revision_history_counts(tmp_path: Path) -> None:
    """A later change approved only by its own author is no approval: the register keeps the
    earlier one, as the page's revision history marks the later change unapproved."""
    root = small(tmp_path)
    commit(
        root, "Edit the service policy\n\nApproved-by: Ann Owner <ann@example.org>", "2026-10-01T10:00:00+00:00",
        {"policies/p.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1]", version='"1.1"')},
        author=("Ann Owner", "ann@example.org"),
    )  # fmt: skip
    commit(
        root, "Tidy the service policy\n\nApproved-by: Bob Reviewer <bob@example.org>", "2026-10-05T10:00:00+00:00",
        {"policies/p.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1]", version='"1.2"')},
        author=("Carl Author", "carl@example.org"),
    )  # fmt: skip
    commit(
        root, "Edit the service policy again\n\nApproved-by: Ann Owner <ann@example.org>",
        "2026-10-09T10:00:00+00:00",
        {"policies/p.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1]", version='"1.3"')},
        author=("Ann Owner", "ann@example.org"),
    )  # fmt: skip
    result = build(root)
    with (result.outdir / "clausewise" / "register.csv").open(newline="") as f:
        rows = {row[0]: row for row in csv.reader(f)}
    assert (rows["POL-001"][5], rows["POL-001"][13], rows["POL-001"][14]) == ("1.3", "2026-10-05", "Bob Reviewer")
    assert "POL-001 Service policy policy Owner internal approved 1.3 2026-01-01 2026-10-05 by Bob Reviewer " in (
        result.page_text("pages/register")
    )
