"""Another organisation's handbook: its own ids, folders and file names, built
as it is, with exactly its own findings and none of the sample's assumptions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from handbook import build, governed, record, role, write_handbook

CONF = r"""
clausewise_governed_paths = ["handbook/policies/", "handbook/roles/", "evidence/"]
clausewise_records_path = "evidence/"
clausewise_sms_start = "2026-06-01"
clausewise_id_patterns = {
    "policy": r"XY-POL-\d{2}",
    "procedure": r"XY-PR-\d{2}",
    "role": r"R-[A-Z][A-Z0-9-]*",
    "record_type": r"XY-RT-[A-Z0-9-]+",
    "record": r"XY-REC-[A-Z0-9-]+",
}
"""

INDEX = "# Handbuch\n\n```{toctree}\n:glob:\n\npages/*\nhandbook/*/*\n```\n"
POLICY = "handbook/policies/Größenänderung und Kapazität.md"
ROLE = "handbook/roles/Chief information security officer.md"
RECORD_TYPES = (
    "record_types:\n  - id: XY-RT-INCIDENTS\n    title: Monthly incident report\n    owner: R-CISO\n"
    "    evidences: [1.2]\n    cadence: monthly\n    start: 2026-09-01\n"
)


def files(**extra: str) -> dict[str, str]:
    return {
        "index.md": INDEX,
        ROLE: role("R-CISO", "Chief information security officer", satisfies="[2]"),
        POLICY: governed(
            "XY-POL-01", "policy", "Größenänderung und Kapazität", owner="R-CISO", satisfies="[1.1, 1.2]"
        ).replace("satisfies: [1.1, 1.2]\n", "satisfies: [1.1, 1.2]\n" + RECORD_TYPES),
        "evidence/incidents/2026-09.md": record(
            "XY-REC-INCIDENTS-2026-09", "XY-RT-INCIDENTS", "2026-09", produced="2026-10-05"
        ),
        "evidence/incidents/2026-10 (Nachtrag).md": record(
            "XY-REC-INCIDENTS-2026-10", "XY-RT-INCIDENTS", "2026-10", produced="2026-11-03"
        ),
        **extra,
    }


def check(root: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    done = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "--handbook", str(root), "check", "--today", "2026-11-23",
         "--format", "json"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    report: dict[str, object] = json.loads(done.stdout)
    return report


def test_its_own_ids_folders_and_file_names_give_no_finding(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), CONF)
    result = build(root)
    assert result.findings == []
    assert result.warnings == []
    assert check(root) == result.report
    # its pages are governed where it keeps them, and link each other
    status = result.page_text("handbook/policies/Größenänderung und Kapazität")
    assert "Owner Chief information security officer" in status
    assert "XY-RT-INCIDENTS Monthly incident report" in status


def test_its_own_mistakes_are_found_where_they_are(tmp_path: Path) -> None:
    """A sample-style id and a record in a folder of its own: exactly those findings."""
    extra = {
        "handbook/policies/Zugang.md": governed("POL-002", "policy", "Zugang", owner="R-CISO", satisfies="[2]"),
    }
    root = write_handbook(tmp_path / "hb", files(**extra), CONF)
    result = build(root)
    assert result.findings == [("invalid-metadata", "handbook/policies/Zugang.md", 2, "POL-002")]
    message = result.report["findings"][0]["message"]
    assert message == (
        "id: 'POL-002' is not a valid id; expected a policy id matching 'XY-POL-\\d{2}' (clausewise_id_patterns), "
        "e.g. XY-POL-00"
    )
    assert check(root) == result.report
