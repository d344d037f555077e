"""Symbolic links that lead nowhere or loop, in a governed folder or the records
folder: each is a finding naming the link, the build neither follows a loop nor
warns without a fix, and ``clausewise check`` says the same as the build."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from clausewise.cli.findings import check_findings
from handbook import build, governed, record, role, write_handbook

PROCEDURE = "procedures/reporting.md"


def procedure() -> str:
    return governed("PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Incident review\n"
        "    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: per event\n",
    )


def handbook(tmp_path: Path) -> Path:
    files = {
        "roles/owner.md": role(),
        PROCEDURE: procedure(),
        "records/report/2026-10-02.md": record("REC-REPORT-2026-10-02", "RT-REPORT", "2026-10-02"),
    }
    return write_handbook(tmp_path / "hb", files, 'clausewise_sms_start = "2026-09-01"\n')


def test_dangling_links_and_loops_are_named(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    os.symlink("../../shared/2026-11-01.md", root / "records/report/2026-11-01.md")  # the target was never added
    os.symlink("self.md", root / "procedures/self.md")
    os.symlink("..", root / "procedures/again")  # a folder that contains itself
    started = time.monotonic()
    result = build(root)
    assert time.monotonic() - started < 30  # the loop is not followed level after level
    assert [(f["code"], f["path"], f["line"], f["message"]) for f in result.report["findings"]] == [
        ("broken-symlink", "procedures/again", 0,
         "symbolic link to '..', which leads back to itself (a loop), so it is left out of the build; point it "
         "at an existing file or folder inside the handbook, or remove it"),
        ("broken-symlink", "procedures/self.md", 0,
         "symbolic link to 'self.md', which leads back to itself (a loop), so it is left out of the build; "
         "point it at an existing file or folder inside the handbook, or remove it"),
        ("broken-symlink", "records/report/2026-11-01.md", 0,
         "symbolic link to '../../shared/2026-11-01.md', which does not exist, so what it should bring into the "
         "handbook is missing; point it at an existing file or folder inside the handbook, or remove it"),
    ]  # fmt: skip
    assert result.report["findings"][0]["severity"] == "error"
    assert result.other_warnings() == []  # no "Ignored unreadable document", no page read twice
    assert result.given is not None and not [d for d in result.given.pages if d.startswith("procedures/again")]
    report, _ = check_findings(root, date(2026, 11, 23))
    assert report == result.report


def test_a_link_that_works_is_no_finding(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    (root / "shared").mkdir()
    (root / "shared/notes.md").write_text("# Notes\n")
    os.symlink("../shared/notes.md", root / "procedures/notes.md")
    os.symlink("../shared", root / "procedures/shared")
    assert [f for f in build(root).findings if f[0] == "broken-symlink"] == []
