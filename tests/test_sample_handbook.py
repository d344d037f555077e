"""The sample handbook (this repository) builds cleanly and shows what it promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from git import Repo
from handbook import Build, build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The committed sample handbook: a full local clone of HEAD, built fresh."""
    clone = tmp_path_factory.mktemp("sample") / "handbook"
    Repo(ROOT).clone(clone, no_local=False)
    return build(clone, fresh=True, today="2026-11-23")


def test_builds_with_only_the_deliberate_findings(sample: Build) -> None:
    assert sample.findings == [
        ("review-due-soon", "policies/context-of-the-organisation.md", 9, "DOC-001"),
        ("review-overdue", "policies/information-security-policy.md", 9, "POL-004"),
    ]
    assert [f["severity"] for f in sample.report["findings"]] == ["info", "warning"]
    # the one warning Sphinx prints; the info finding is in findings.json only
    assert [(w.path, w.line, w.level, w.kind) for w in sample.warnings] == [
        ("policies/information-security-policy.md", 9, "WARNING", "clausewise.review-overdue")
    ]
    assert sample.raw_warnings.count("\n") == 1
    assert sample.report["today"] == "2026-11-23"


def test_every_clause_is_covered_or_justified(sample: Build) -> None:
    text = sample.page_text("docs/matrix")
    assert (
        "76 of 77 clauses covered ; 1 declared only (draft, retired or not yet effective documents); "
        "0 uncovered; 1 of the gaps justified." in text
    )
    assert (
        "7.6 Knowledge PRC-025 Knowledge management — draft, SMS manager — declared only — justified in DOC-002" in text
    )


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


def test_record_register_links_every_record(sample: Build) -> None:
    page = sample.page_html("records/index")
    record_links = set(re.findall(r'href="([a-z-]+/[0-9QH-]+\.html)#REC-', page))
    assert len(record_links) == len(list((sample.srcdir / "records").glob("*/*.md"))) == 189
    assert (
        len(re.findall(r'href="../procedures/[a-z-]+\.html#RT-', page))
        + len(re.findall(r'href="../policies/[a-z-]+\.html#RT-', page))
        >= 21
    )


def test_role_page_lists_duties(sample: Build) -> None:
    text = sample.page_text("docs/roles/service-desk-lead")
    owns = text[text.index("Documents this role owns") : text.index("Records this role must produce")]
    assert re.findall(r"PRC-\d{3}", owns) == ["PRC-012", "PRC-013", "PRC-014"]
    produces = text[text.index("Records this role must produce") : text.index("Other documents")]
    assert re.findall(r"RT-[A-Z-]+", produces) == ["RT-MAJOR-INCIDENT-REVIEW", "RT-PROBLEM-REVIEW"]


def test_status_box_on_a_procedure(sample: Build) -> None:
    text = sample.page_text("procedures/incident-management")
    first_commit = Repo(sample.srcdir).git.log("--reverse", "--format=%cs", "--", "procedures/incident-management.md")
    assert text.startswith(
        "Incident management ¶ Document PRC-012 (procedure) Owner Service desk lead Status approved "
        "Version 3.1 Effective 2025-04-01 Last reviewed 2026-03-12 Review interval 12 months "
        f"Next review due 2027-03-12 Last changed {first_commit.splitlines()[0]} "
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
