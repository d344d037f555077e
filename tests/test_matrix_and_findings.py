"""The traceability matrix, role pages, severity, suppression and findings.json,
on real Sphinx builds of small handbooks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from handbook import build, commit, governed, role, write_handbook

UNCOVERED_2 = ("uncovered-clause", "pages/clauses.md", 3, "MINI-2")


def coverage_handbook(tmp_path: Path) -> Path:
    """1.1 covered, 1.2 declared only (draft), 2 uncovered; 1 is declared through its sub-clauses."""
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies=None),
            "policies/plans.md": governed("POL-001", "policy", "Planning policy", satisfies="[1.1]"),
            "procedures/objectives.md": governed(
                "PRC-001", "procedure", "Objectives procedure", satisfies="[1.2]",
                status="draft", effective=None, reviewed=None,
            ),
        },
    )  # fmt: skip


def edit_plans(root: Path, **overrides: str) -> None:
    """Commit a new version of the planning policy (POL-001) with ``overrides``."""
    text = governed("POL-001", "policy", "Planning policy", **{"satisfies": "[1.1]", **overrides})
    commit(root, "Edit the planning policy", "2026-07-02T09:00:00+00:00", {"policies/plans.md": text})


def matrix_row(text: str, number: str, heading: str) -> str:
    """The text of one matrix row: from its clause number up to the next row's."""
    start = text.index(f" {number} {heading} ") + 1
    return text[start : start + 200]


def test_matrix_shows_each_coverage_status(tmp_path: Path) -> None:
    result = build(coverage_handbook(tmp_path))
    text = result.page_text("pages/matrix")
    assert (
        "1 of 4 clauses covered ; 0 with records missing; 2 declared only (draft, retired or not yet "
        "effective documents); 1 uncovered; 0 of the gaps justified." in text
    )
    assert matrix_row(text, "1.1", "Plans").startswith(
        "1.1 Plans Covered : an approved document in force satisfies it POL-001 Planning policy — version 1.0, "
        "approved, Owner — 1.2 "
    )
    assert matrix_row(text, "1.2", "Objectives").startswith(
        "1.2 Objectives Declared only : only documents not in force satisfy it: PRC-001 (draft) PRC-001 "
        "Objectives procedure — version 1.0, draft, Owner — 2 "
    )
    assert matrix_row(text, "1", "Planning").startswith(
        "1 Planning Declared only : no document satisfies it directly: it takes the coverage of its sub-clauses — — "
    )
    assert matrix_row(text, "2", "Operation").startswith("2 Operation Uncovered : no document satisfies it — — ")
    # the rows carry their status as a class, for colour
    page = result.page_html("pages/matrix")
    assert page.count('<tr class="clausewise-covered ') == 1
    assert page.count('<tr class="clausewise-declared ') == 2
    assert page.count('<tr class="clausewise-uncovered ') == 1
    # and whether they are a gap, for the "gaps only" filter: all but the covered one
    assert page.count(" clausewise-gap row-") == 3
    assert result.findings == [
        ("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2"),
        UNCOVERED_2,
    ]
    assert result.report["findings"][0]["message"] == (
        "clause 1.2 Objectives is not covered: only documents not in force declare it: PRC-001 (draft); "
        "approve a document with 'satisfies: [1.2]', or justify the gap under 'uncovered_clauses' in an "
        "approved document"
    )
    assert result.report["summary"] == {"uncovered-clause": 2}


def test_future_and_retired_documents_do_not_cover(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "policies/future.md": governed("POL-001", "policy", "Future", satisfies="[1.1]", effective="2027-01-01"),
            "policies/old.md": governed("POL-002", "policy", "Old", satisfies="[1.2]", status="retired"),
        },
    )
    result = build(root)
    assert result.findings == [
        ("uncovered-clause", "pages/clauses.md", 3, "MINI-1-1"),
        ("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2"),
    ]
    # the day it comes into force, the future policy covers 1.1
    later = build(root, today="2027-01-01", fresh=True)
    assert later.findings == [("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2")]


def test_a_justified_gap_is_shown_and_not_reported(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    scope = governed("DOC-001", "document", "Scope", satisfies="[1.1]", reviewed="2026-07-02").replace(
        "satisfies: [1.1]\n",
        "satisfies: [1.1]\nuncovered_clauses:\n  - clause: 2\n    reason: We run no operations yet.\n",
    )
    commit(root, "Justify the gap", "2026-07-02T09:00:00+00:00", {"policies/scope.md": scope})
    result = build(root)
    assert result.findings == [("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2")]
    row = matrix_row(result.page_text("pages/matrix"), "2", "Operation")
    assert row.startswith(
        "2 Operation Uncovered : no document satisfies it; justified in DOC-001 : We run no operations yet. "
        "(known gap, action planned) — — "
    )


def test_severity_setting_changes_level_and_report(tmp_path: Path) -> None:
    result = build(coverage_handbook(tmp_path), overrides={"clausewise_severity": {"uncovered-clause": "error"}})
    assert [f["severity"] for f in result.report["findings"]] == ["error", "error"]
    assert [(w.level, w.kind) for w in result.warnings] == [("ERROR", "clausewise.uncovered-clause")] * 2


def test_default_severity_is_a_warning(tmp_path: Path) -> None:
    result = build(coverage_handbook(tmp_path))
    assert [f["severity"] for f in result.report["findings"]] == ["warning", "warning"]
    assert [(w.path, w.line, w.level, w.kind) for w in result.warnings] == [
        ("pages/clauses.md", 3, "WARNING", "clausewise.uncovered-clause")
    ] * 2


def test_severity_off_drops_the_code(tmp_path: Path) -> None:
    result = build(coverage_handbook(tmp_path), overrides={"clausewise_severity": {"uncovered-clause": "off"}})
    assert result.findings == []
    assert result.warnings == []


def test_suppress_warnings_drops_the_code_everywhere(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    edit_plans(root, owner="ROLE-NOBODY", reviewed="2026-07-02")
    result = build(root, overrides={"suppress_warnings": ["clausewise.uncovered-clause"]})
    assert result.findings == [("unknown-owner", "policies/plans.md", 5, "POL-001")]
    assert [w.kind for w in result.warnings] == ["clausewise.unknown-owner"]
    everything = build(root, overrides={"suppress_warnings": ["clausewise"]}, fresh=True)
    assert everything.findings == []
    assert everything.warnings == []


def test_findings_json_matches_the_warnings(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    edit_plans(root, satisfies="[1.1, 3]", reviewed="2026-13-01")
    result = build(root)
    from_json = sorted(
        (f["path"], f["line"], f"clausewise.{f['code']}", f["message"]) for f in result.report["findings"]
    )
    from_warnings = sorted((w.path, w.line, w.kind, w.message) for w in result.warnings)
    assert from_json == from_warnings
    assert result.report["summary"] == {"invalid-metadata": 1, "uncovered-clause": 2, "unknown-clause": 1}


def test_role_page_lists_what_the_role_owns_and_produces(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    commit(
        root,
        "Edit procedures/report.md",
        "2026-07-02T09:00:00+00:00",
        {
            "procedures/report.md": governed("PRC-002", "procedure", "Reporting", roles="[ROLE-OWNER]").replace(
                "satisfies: [1.1]\n",
                "satisfies: [1.1]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
                "    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: monthly\n",
            )
        },
    )
    result = build(root)
    text = result.page_text("roles/owner")
    owns = text[text.index("Documents this role owns") : text.index("Records this role must produce")]
    assert owns == (
        "Documents this role owns Id Title Owner Status Version Last reviewed "
        "POL-001 Planning policy Owner approved 1.0 2026-06-01 "
        "PRC-001 Objectives procedure Owner draft 1.0 — "
        "PRC-002 Reporting Owner approved 1.0 2026-06-01 "
        "ROLE-OWNER Owner Owner approved 1.0 2026-06-01 "
    )
    produces = text[text.index("Records this role must produce") : text.index("Other documents")]
    assert produces == (
        "Records this role must produce Record type Title Owner Cadence Evidences Last record Next due Missing "
        "RT-REPORT Monthly report Owner monthly 1.1 — no schedule (no start date) — "
    )
    # links point at the pages that define each id
    page = result.page_html("roles/owner")
    assert 'href="../procedures/report.html#RT-REPORT"' in page
    assert 'href="../policies/plans.html#POL-001"' in page
    assert 'href="../pages/clauses.html#MINI-1-1">1.1</a>' in page


def test_incremental_rebuild_updates_matrix_and_role_pages(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    first = build(root)
    assert "PRC-001 Objectives procedure — version 1.0, draft," in first.page_text("pages/matrix")
    # the owner approves the draft and renames it: only that file changes
    commit(
        root,
        "Edit procedures/objectives.md",
        "2026-07-02T09:00:00+00:00",
        {"procedures/objectives.md": governed("PRC-001", "procedure", "Objectives and targets", satisfies="[1.2]")},
    )
    second = build(root)
    matrix = second.page_text("pages/matrix")
    assert "3 of 4 clauses covered" in matrix  # 1.1, 1.2 and, through them, 1
    assert matrix_row(matrix, "1.2", "Objectives").startswith(
        "1.2 Objectives Covered : an approved document in force satisfies it PRC-001 Objectives and targets — "
        "version 1.0, approved, Owner — 2 "
    )
    assert "PRC-001 Objectives and targets Owner approved 1.0 2026-06-01" in second.page_text("roles/owner")
    assert second.findings == [UNCOVERED_2]
    # a build with nothing changed reports the same findings again
    third = build(root)
    assert third.findings == [UNCOVERED_2]
    assert [w.kind for w in third.warnings] == ["clausewise.uncovered-clause"]


def test_moving_the_catalogue_page_moves_every_clause_link_without_a_fresh_build(tmp_path: Path) -> None:
    """A status box links each clause it satisfies to the catalogue page: its page key covers that place."""
    root = coverage_handbook(tmp_path)
    first = build(root)
    assert 'href="../pages/clauses.html#MINI-1-1"' in first.page_html("policies/plans")
    repo_files = {"pages/standard.md": (root / "pages/clauses.md").read_text()}
    commit(root, "Move the catalogue page", "2026-07-02T09:00:00+00:00", repo_files, remove=("pages/clauses.md",))
    again = build(root)
    assert 'href="../pages/standard.html#MINI-1-1"' in again.page_html("policies/plans")
    assert "clauses.html" not in again.page_html("policies/plans")
    assert "clauses.html" not in again.page_html("procedures/objectives")


def test_a_changed_catalogue_file_is_read_again_without_a_fresh_build(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    first = build(root)
    assert "Plans" in first.page_text("pages/clauses")
    catalogue = (root / "mini-catalogue.yaml").read_text().replace('heading: "Plans"', 'heading: "Plans and budgets"')
    commit(root, "Rename clause 1.1", "2026-07-02T09:00:00+00:00", {"mini-catalogue.yaml": catalogue})
    again = build(root)
    fresh = build(root, fresh=True, outdir=tmp_path / "fresh")
    for result in (again, fresh):
        assert "1.1 Plans and budgets" in result.page_text("pages/clauses")
        assert matrix_row(result.page_text("pages/matrix"), "1.1", "Plans and budgets").startswith(
            "1.1 Plans and budgets Covered : an approved document in force satisfies it POL-001 Planning policy"
        )
    data = json.loads((again.outdir / "needs.json").read_text())
    assert data["versions"][data["current_version"]]["needs"]["MINI-1-1"]["title"] == "Plans and budgets"


def test_parallel_build_gives_the_same_findings(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    extras = {
        f"procedures/extra-{n}.md": governed(
            f"PRC-1{n}",
            "procedure",
            f"Extra {n}",
            satisfies="[1.1]",
            owner="ROLE-GHOST" if n % 2 else "ROLE-OWNER",
            reviewed="2026-07-02",
        )
        for n in range(6)
    }
    commit(root, "Add six procedures", "2026-07-02T09:00:00+00:00", extras)
    serial = build(root, outdir=tmp_path / "out1", fresh=True)
    parallel = build(root, outdir=tmp_path / "out2", fresh=True, parallel=2)
    assert parallel.report == serial.report
    assert len(serial.findings) == 5  # three unknown owners, two uncovered clauses
    assert parallel.page_text("pages/matrix") == serial.page_text("pages/matrix")


def run_sphinx(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m sphinx`` as a person runs it, with ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-N", "-b", "html", str(root), str(root / "_build"), *args],
        capture_output=True, text=True, check=False, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_bad_settings_are_clear_errors_not_tracebacks(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    bad_today = run_sphinx(root, "-D", "clausewise_today=2026-02-30")
    assert bad_today.returncode == 2
    assert bad_today.stderr.strip().splitlines() == [
        "ERROR: clausewise: conf.py: clausewise_today is '2026-02-30'; expected a date as YYYY-MM-DD, "
        "e.g. 2026-11-23 [clausewise.config]"
    ]
    assert "clausewise_today is '2026-02-30'; expected a date as YYYY-MM-DD" in bad_today.stderr
    assert "Traceback" not in bad_today.stderr
    (root / "conf.py").write_text((root / "conf.py").read_text() + "clausewise_severity = {'no-such-code': 'error'}\n")
    bad_severity = run_sphinx(root)
    assert bad_severity.returncode == 2
    assert "clausewise_severity names unknown finding code 'no-such-code'" in bad_severity.stderr
    assert "Traceback" not in bad_severity.stderr


def test_bad_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    (root / "mini-catalogue.yaml").write_text(
        "standard: X\nid_prefix: X\nnotice: n\nclauses:\n  - {number: '1.1', heading: Orphan}\n"
    )
    result = run_sphinx(root)
    assert result.returncode == 2
    assert "clausewise: mini-catalogue.yaml:5: clause 1.1 comes before its parent 1; list 1 first" in result.stderr
    assert "Traceback" not in result.stderr


def test_today_from_the_environment_wins(tmp_path: Path) -> None:
    root = coverage_handbook(tmp_path)
    result = run_sphinx(root, env={"CLAUSEWISE_TODAY": "2025-01-01"})
    assert result.returncode == 0, result.stderr

    report = json.loads((root / "_build" / "clausewise" / "findings.json").read_text())
    assert report["today"] == "2025-01-01"
    # on that day the planning policy (effective 2026-01-01) was not yet in force
    uncovered = [f["id"] for f in report["findings"] if f["code"] == "uncovered-clause"]
    assert uncovered == ["MINI-1-1", "MINI-1-2", "MINI-2"]
