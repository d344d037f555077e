"""`clausewise check` against temporary handbooks in real git repositories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from handbook import build, governed, role, run_clausewise, write_handbook


def clausewise(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_clausewise("--handbook", root, *args)


def handbook(tmp_path: Path, **overrides: str) -> Path:
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed(
            "POL-001", "policy", "Service policy", **{"reviewed": "2025-11-01", **overrides}
        ),
    }
    return write_handbook(tmp_path / "hb", files)


def test_check_finds_exactly_what_a_full_build_finds(tmp_path: Path) -> None:
    root = handbook(tmp_path, owner="ROLE-NOBODY")
    done = clausewise(root, "check", "--today", "2026-11-23", "--format", "json")
    full = build(root, fresh=True, outdir=tmp_path / "html")
    assert json.loads(done.stdout) == full.report
    assert [f["code"] for f in full.report["findings"]] == ["uncovered-clause", "unknown-owner", "review-overdue"]
    assert done.returncode == 1  # unknown-owner is an error


def test_exit_codes(tmp_path: Path) -> None:
    warnings_only = handbook(tmp_path / "a")
    assert clausewise(warnings_only, "check", "--today", "2026-11-23").returncode == 0
    assert clausewise(warnings_only, "check", "--today", "2026-11-23", "--strict").returncode == 1
    errors = handbook(tmp_path / "b", reviewed="2026-02-30")
    assert clausewise(errors, "check", "--today", "2026-11-23").returncode == 1
    bad = clausewise(warnings_only, "check", "--format", "xml")
    assert bad.returncode == 2 and "invalid choice: 'xml'" in bad.stderr
    nowhere = clausewise(tmp_path, "check")
    assert nowhere.returncode == 2 and "has no conf.py" in nowhere.stderr


def test_github_format_lines(tmp_path: Path) -> None:
    root = handbook(tmp_path, owner="ROLE-NOBODY")
    done = clausewise(root, "check", "--today", "2026-11-23", "--format", "github")
    assert done.stdout.splitlines() == [
        "::warning file=pages/clauses.md,line=3,title=clausewise uncovered-clause::clause 1.2 Objectives is not "
        "covered: no document satisfies it; approve a document with 'satisfies: [1.2]', or justify the gap under "
        "'uncovered_clauses' in an approved document",
        "::error file=policies/policy.md,line=5,title=clausewise unknown-owner::owner: 'ROLE-NOBODY' is not a role "
        "in the handbook; expected one of: ROLE-OWNER",
        "::warning file=policies/policy.md,line=9,title=clausewise review-overdue::review overdue since 2026-11-01 "
        "(22 days): last reviewed 2025-11-01, every 12 months; review it and set 'reviewed' to the review's date",
    ]


def test_text_format_groups_by_owner(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    done = clausewise(root, "check", "--today", "2026-11-23")
    assert done.stdout.splitlines() == [
        "2 findings (today is 2026-11-23)",
        "",
        "Owner (ROLE-OWNER):",
        "  policies/policy.md:9: warning [review-overdue] review overdue since 2026-11-01 (22 days): last reviewed "
        "2025-11-01, every 12 months; review it and set 'reviewed' to the review's date",
        "",
        "no owner:",
        "  pages/clauses.md:3: warning [uncovered-clause] clause 1.2 Objectives is not covered: no document "
        "satisfies it; approve a document with 'satisfies: [1.2]', or justify the gap under 'uncovered_clauses' "
        "in an approved document",
    ]


def test_due_for_a_role(tmp_path: Path) -> None:
    procedure = governed("PRC-001", "procedure", "Reporting", reviewed="2025-12-10").replace(
        "satisfies: [1.1]\n",
        "satisfies: [1.1]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
        "    owner: ROLE-OTHER\n    evidences: [1.1]\n    cadence: monthly\n",
    )
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "roles/other.md": role("ROLE-OTHER", "Other"),
            "policies/policy.md": governed("POL-001", "policy", "Service policy", reviewed="2025-11-01"),
            "procedures/reporting.md": procedure,
        },
        'clausewise_sms_start = "2026-09-01"\n',
    )
    mine = clausewise(root, "due", "--role", "ROLE-OWNER", "--within", "30d", "--today", "2026-11-23")
    assert mine.returncode == 0, mine.stderr
    assert mine.stdout.splitlines() == [
        "Due within 30 days of 2026-11-23 for Owner (ROLE-OWNER): 2",
        "  2026-11-01  OVERDUE  review  POL-001 Service policy",
        "  2026-12-10  due      review  PRC-001 Reporting",
    ]
    everyone = clausewise(root, "due", "--within", "10d", "--today", "2026-11-23")
    assert everyone.stdout.splitlines() == [
        "Due within 10 days of 2026-11-23: 3",
        "  2026-10-30  OVERDUE  record  RT-REPORT Monthly report 2026-09  [Other]",
        "  2026-11-01  OVERDUE  review  POL-001 Service policy  [Owner]",
        "  2026-11-30  due      record  RT-REPORT Monthly report 2026-10  [Other]",
    ]
    unknown = clausewise(root, "due", "--role", "ROLE-NOBODY")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        "clausewise: --role 'ROLE-NOBODY' is not a role of the handbook; roles: ROLE-OTHER, ROLE-OWNER"
    )


def test_text_format_names_an_owner_that_is_not_a_role(tmp_path: Path) -> None:
    root = handbook(tmp_path, owner="ROLE-NOBODY", reviewed="2026-11-01")
    done = clausewise(root, "check", "--today", "2026-11-23")
    assert done.stdout.splitlines()[:4] == [
        "2 findings (today is 2026-11-23)",
        "",
        "ROLE-NOBODY (not a role of the handbook):",
        "  policies/policy.md:5: error [unknown-owner] owner: 'ROLE-NOBODY' is not a role in the handbook; "
        "expected one of: ROLE-OWNER",
    ]


def test_handbook_option_after_the_command(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    done = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "check", "--handbook", str(root), "--today", "2026-11-23"],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert (done.returncode, done.stdout.splitlines()[0]) == (0, "2 findings (today is 2026-11-23)")


def test_a_relative_handbook_folder_works_from_its_parent(tmp_path: Path) -> None:
    """``--handbook hb`` (as a pre-commit hook passes it): Sphinx's Config.read changes folder first."""
    handbook(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    done = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "check", "--handbook", "hb", "--today", "2026-11-23",
         "--format", "json"],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.stderr == ""
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["uncovered-clause", "review-overdue"]
