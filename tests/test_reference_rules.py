"""References that should not hold: a document implementing itself, cycles of
``implements``, retired roles still owning what is in use, and retired documents
still implemented by approved ones. Real builds; ``clausewise check`` agrees."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clausewise.cli.findings import check_findings
from handbook import build, governed, role, write_handbook

IMPLEMENTS_LINE = 12  # the first key after 'satisfies' (line 11)


def doc(ident: str, doc_type: str = "procedure", **overrides: str | None) -> str:
    return governed(ident, doc_type, f"Title of {ident}", **{"satisfies": "[1.1, 1.2]", **overrides})


def messages(root: Path) -> list[tuple[str, str, int, str, str]]:
    result = build(root)
    report, _ = check_findings(root, date(2026, 11, 23))
    assert report == result.report
    return [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in result.report["findings"]]


def test_a_document_that_implements_itself(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb", {"roles/owner.md": role(), "policies/p1.md": doc("POL-001", "policy", implements="[POL-001]")}
    )
    assert messages(root) == [
        ("implements-cycle", "policies/p1.md", IMPLEMENTS_LINE, "POL-001",
         "implements: 'POL-001' is this document itself; a document cannot implement itself: name the policy, "
         "document or procedure it puts into practice"),
    ]  # fmt: skip


def test_a_cycle_of_implements_is_reported_once(tmp_path: Path) -> None:
    files = {
        "roles/owner.md": role(),
        "procedures/a.md": doc("PRC-001", implements="[PRC-002]"),
        "procedures/b.md": doc("PRC-002", implements="[PRC-003]"),
        "procedures/c.md": doc("PRC-003", implements="[PRC-001]"),
        "procedures/d.md": doc("PRC-004", implements="[PRC-001]"),  # leads into the cycle, is not in it
    }
    assert messages(write_handbook(tmp_path / "hb", files)) == [
        ("implements-cycle", "procedures/a.md", IMPLEMENTS_LINE, "PRC-001",
         "implements goes round in a cycle: PRC-001 -> PRC-002 -> PRC-003 -> PRC-001; a document implements a "
         "policy, document or procedure above it, so one of these 'implements' entries is the wrong way round: "
         "remove it"),
    ]  # fmt: skip


def test_a_retired_role_that_still_owns_documents_and_record_types(tmp_path: Path) -> None:
    procedure = doc("PRC-001", owner="ROLE-OLD").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Report\n    owner: ROLE-OLD\n"
        "    evidences: [1.1]\n    cadence: per event\n",
    )
    files = {
        "roles/owner.md": role(),
        "roles/old.md": role("ROLE-OLD", "Old role", status="retired", satisfies=None),
        "procedures/a.md": procedure,
        "procedures/retired.md": doc("PRC-002", owner="ROLE-OLD", status="retired"),  # retired with its owner: fine
    }
    assert messages(write_handbook(tmp_path / "hb", files, 'clausewise_sms_start = "2026-11-01"\n')) == [
        ("retired-reference", "procedures/a.md", 5, "PRC-001",
         "owner: ROLE-OLD is a retired role, so nobody answers for PRC-001; give it a current role as owner, or "
         "bring the role back into use"),
        ("retired-reference", "procedures/a.md", 15, "RT-REPORT",
         "owner: ROLE-OLD is a retired role, so nobody answers for the records of RT-REPORT; give the record "
         "type a current role as owner"),
    ]  # fmt: skip


def test_an_approved_document_implementing_a_retired_one(tmp_path: Path) -> None:
    files = {
        "roles/owner.md": role(),
        "policies/old.md": doc("POL-001", "policy", status="retired"),
        "policies/new.md": doc("POL-002", "policy"),
        "procedures/a.md": doc("PRC-001", implements="[POL-001, POL-002]"),
        "procedures/b.md": doc("PRC-002", implements="[POL-001]", status="draft", reviewed=None),  # a draft: fine
    }
    assert messages(write_handbook(tmp_path / "hb", files)) == [
        ("retired-reference", "procedures/a.md", IMPLEMENTS_LINE, "PRC-001",
         "implements: POL-001 Title of POL-001 is retired, but this approved document still implements it; "
         "point 'implements' at what replaced it, or retire this document too"),
    ]  # fmt: skip
