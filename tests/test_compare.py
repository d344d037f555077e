"""`clausewise compare`: findings new in a change and resolved since its base."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from clausewise.outputs.compare import Comparison, ReportError, compare, markdown_summary, read_report
from clausewise.sources import gitlog
from git import Repo
from handbook import commit, governed, role, run_clausewise, write_handbook

TODAY = "2026-11-23"


def finding(code: str, path: str, line: int, ident: str, message: str, severity: str = "warning") -> dict[str, Any]:
    return {"code": code, "severity": severity, "path": path, "line": line, "id": ident, "message": message}


OVERDUE = "review overdue since 2026-11-01 (22 days): last reviewed 2025-11-01, every 12 months"
MISSING = "no record of RT-REPORT Monthly report for 2026-09 (due 2026-10-30); add records/report/2026-09.md"
UNCOVERED = "clause 1.2 Objectives is not covered: no document satisfies it"

BASE = {
    "today": TODAY,
    "findings": [
        finding("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2", UNCOVERED),
        finding("review-overdue", "policies/policy.md", 9, "POL-001", OVERDUE),
        finding("record-missing", "procedures/reporting.md", 15, "RT-REPORT", MISSING),
    ],
    "summary": {"record-missing": 1, "review-overdue": 1, "uncovered-clause": 1},
}

HEAD = {
    "today": TODAY,
    "findings": [
        finding("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2", UNCOVERED),
        # two lines were added above: the same finding, moved
        finding("review-overdue", "policies/policy.md", 11, "POL-001", OVERDUE),
        finding("unknown-owner", "policies/policy.md", 5, "POL-001", "owner: 'ROLE-A|B' is\nnot a role", "error"),
        finding("review-due-soon", "procedures/reporting.md", 9, "PRC-001", "review due on 2026-12-10", "info"),
    ],
    "summary": {"review-due-soon": 1, "review-overdue": 1, "uncovered-clause": 1, "unknown-owner": 1},
}


def test_a_moved_finding_is_not_new_and_a_vanished_one_is_resolved() -> None:
    result = compare(BASE, HEAD)
    assert result == Comparison(
        today=TODAY,
        base_total=3,
        head_total=4,
        new=(
            finding("unknown-owner", "policies/policy.md", 5, "POL-001", "owner: 'ROLE-A|B' is\nnot a role", "error"),
            finding("review-due-soon", "procedures/reporting.md", 9, "PRC-001", "review due on 2026-12-10", "info"),
        ),
        resolved=(finding("record-missing", "procedures/reporting.md", 15, "RT-REPORT", MISSING),),
    )
    assert [f["code"] for f in result.failing()] == ["unknown-owner"]
    assert compare(HEAD, HEAD).new == compare(HEAD, HEAD).resolved == ()


def test_findings_with_one_key_pair_up_in_line_order() -> None:
    base = {"today": TODAY, "findings": [finding("invalid-metadata", "a.md", 4, "DOC-001", "bad date")]}
    head = {
        "today": TODAY,
        "findings": [
            finding("invalid-metadata", "a.md", 6, "DOC-001", "bad date"),
            finding("invalid-metadata", "a.md", 9, "DOC-001", "bad date"),
        ],
    }
    assert compare(base, head).new == (finding("invalid-metadata", "a.md", 9, "DOC-001", "bad date"),)
    assert compare(base, head).resolved == ()
    assert compare(head, base).resolved == (finding("invalid-metadata", "a.md", 9, "DOC-001", "bad date"),)


def test_a_raised_severity_is_a_new_finding() -> None:
    warning = finding("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2", UNCOVERED)
    error = {**warning, "severity": "error"}
    result = compare({"today": TODAY, "findings": [warning]}, {"today": TODAY, "findings": [error]})
    assert (result.new, result.resolved) == ((error,), (warning,))


def test_reports_of_different_days_are_not_compared() -> None:
    with pytest.raises(ReportError) as caught:
        compare(BASE, {**HEAD, "today": "2026-11-24"})
    assert str(caught.value) == (
        "the base report is judged as of 2026-11-23 and the head report as of 2026-11-24; "
        "run both checks with the same --today"
    )


def test_markdown_summary() -> None:
    assert markdown_summary(compare(BASE, HEAD)) == (
        "## Handbook findings: this change compared with its base branch\n"
        "\n"
        "Judged as of 2026-11-23. The base branch has 3 findings, this change has 4 findings: "
        "**2 new** (1 error, 0 warnings, 1 info), **1 resolved**.\n"
        "\n"
        "**This check fails:** 1 new finding with the severity error. Fix it in this change; each row says the "
        "file, the line and what to do.\n"
        "\n"
        "### New findings\n"
        "\n"
        "| severity | code | file:line | message |\n"
        "|---|---|---|---|\n"
        "| error | unknown-owner | policies/policy.md:5 | owner: 'ROLE-A\\|B' is<br>not a role |\n"
        "| info | review-due-soon | procedures/reporting.md:9 | review due on 2026-12-10 |\n"
        "\n"
        "### Resolved findings\n"
        "\n"
        "| severity | code | file:line | message |\n"
        "|---|---|---|---|\n"
        f"| warning | record-missing | procedures/reporting.md:15 | {MISSING} |\n"
    )


def test_markdown_summary_when_nothing_is_new() -> None:
    assert markdown_summary(compare(HEAD, HEAD)) == (
        "## Handbook findings: this change compared with its base branch\n"
        "\n"
        "Judged as of 2026-11-23. The base branch has 4 findings, this change has 4 findings: "
        "**0 new** (0 errors, 0 warnings, 0 info), **0 resolved**.\n"
        "\n"
        "No new findings: this change adds nothing for an owner to fix.\n"
    )
    only_warning = {"today": TODAY, "findings": [finding("review-overdue", "p.md", 9, "POL-001", OVERDUE)]}
    empty = {"today": TODAY, "findings": []}
    assert markdown_summary(compare(empty, only_warning)).splitlines()[4] == (
        "This check passes: no new finding has the severity error."
    )
    assert markdown_summary(compare(empty, only_warning), strict=True).splitlines()[4] == (
        "**This check fails:** 1 new finding with the severity error or warning. Fix it in this change; each row "
        "says the file, the line and what to do."
    )


def test_cells_escape_pipes_newlines_and_markup() -> None:
    odd = finding("invalid-metadata", "a|b.md", 0, "DOC-1", "x\r\ny | z <script> back\\slash")
    summary = markdown_summary(compare({"today": TODAY, "findings": []}, {"today": TODAY, "findings": [odd]}))
    assert (
        summary.splitlines()[-1] == "| warning | invalid-metadata | a\\|b.md | x<br>y \\| z &lt;script> back\\\\slash |"
    )


def clausewise(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_clausewise(*args, cwd=cwd)


def reports(tmp_path: Path, base: dict[str, Any], head: dict[str, Any]) -> tuple[Path, Path]:
    (tmp_path / "base.json").write_text(json.dumps(base))
    (tmp_path / "head.json").write_text(json.dumps(head))
    return tmp_path / "base.json", tmp_path / "head.json"


def test_github_lines_are_the_new_findings_only(tmp_path: Path) -> None:
    done = clausewise("compare", *reports(tmp_path, BASE, HEAD), "--format", "github")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "::error file=policies/policy.md,line=5,title=clausewise unknown-owner::owner: 'ROLE-A|B' is%0Anot a role",
        "::notice file=procedures/reporting.md,line=9,title=clausewise review-due-soon::review due on 2026-12-10",
    ]
    quiet = clausewise("compare", *reports(tmp_path, HEAD, HEAD), "--format", "github")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_json_format(tmp_path: Path) -> None:
    done = clausewise("compare", *reports(tmp_path, BASE, HEAD), "--format", "json")
    assert json.loads(done.stdout) == {
        "today": TODAY,
        "base": {"findings": 3},
        "head": {"findings": 4},
        "new": HEAD["findings"][2:],
        "resolved": BASE["findings"][2:],
        "summary": {"new": {"error": 1, "warning": 0, "info": 1}, "resolved": 1},
    }


def test_exit_codes(tmp_path: Path) -> None:
    warning = finding("review-overdue", "policies/policy.md", 9, "POL-001", OVERDUE)
    empty = {"today": TODAY, "findings": []}
    with_warning = {"today": TODAY, "findings": [warning]}
    # an inherited error does not fail the change; a new warning fails only with --strict
    assert clausewise("compare", *reports(tmp_path, HEAD, HEAD)).returncode == 0
    assert clausewise("compare", *reports(tmp_path, empty, with_warning)).returncode == 0
    assert clausewise("compare", *reports(tmp_path, empty, with_warning), "--strict").returncode == 1
    assert clausewise("compare", *reports(tmp_path, BASE, HEAD)).returncode == 1
    assert clausewise("compare", *reports(tmp_path, HEAD, BASE)).returncode == 0  # only resolved


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "clausewise: cannot read {path}: No such file or directory"),
        ("{", "clausewise: {path} is not valid JSON: Expecting property name enclosed in double quotes: "
              "line 1 column 2 (char 1)"),
        ("[]", "clausewise: {path} is not a findings report: expected an object with 'today' and a list 'findings'"),
        ('{"today": "2026-11-23", "findings": [{"code": "x"}]}',
         "clausewise: {path} is not a findings report: findings[0] has no str 'severity'"),
        ('{"today": "2026-11-23", "findings": [{"code": "x", "severity": "fatal", "path": "", "line": 0, '
         '"id": "", "message": ""}]}',
         "clausewise: {path} is not a findings report: findings[0] has severity 'fatal'; "
         "expected one of error, warning, info"),
        ('{"today": "2026-11-23", "findings": [{"code": "x", "severity": "info", "path": "", "line": true, '
         '"id": "", "message": ""}]}',
         "clausewise: {path} is not a findings report: findings[0] has no int 'line'"),
    ],
)  # fmt: skip
def test_unusable_reports_exit_2_naming_the_file(tmp_path: Path, content: str | None, message: str) -> None:
    good, bad = reports(tmp_path, BASE, HEAD)
    if content is None:
        bad.unlink()
    else:
        bad.write_text(content)
    done = clausewise("compare", good, bad)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == message.format(path=bad) + "\n"
    assert read_report(good) == BASE


def test_different_days_exit_2(tmp_path: Path) -> None:
    done = clausewise("compare", *reports(tmp_path, BASE, {**HEAD, "today": "2026-11-24"}))
    assert done.returncode == 2
    assert done.stderr == (
        "clausewise: the base report is judged as of 2026-11-23 and the head report as of 2026-11-24; "
        "run both checks with the same --today\n"
    )


def test_end_to_end_on_a_real_handbook(tmp_path: Path) -> None:
    """A base commit and a change that adds a document with an unknown owner and, in
    the same change, moves an inherited finding two lines down: only the owner is new."""
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "policies/policy.md": governed("POL-001", "policy", "Service policy", reviewed="2025-11-01"),
        },
    )
    base_sha = Repo(root).head.commit.hexsha
    commit(
        root,
        "Add the reporting procedure",
        "2026-11-02T09:00:00+00:00",
        {
            "pages/clauses.md": "# Clauses\n\nEvery clause of the mini standard.\n\n```{clause-catalogue}\n```\n",
            "procedures/reporting.md": governed(
                "PRC-001", "procedure", "Reporting", owner="ROLE-NOBODY", effective="2026-11-02", reviewed="2026-11-02"
            ),
        },
    )
    head = clausewise("--handbook", root, "check", "--today", TODAY, "--format", "json")
    assert head.returncode == 1, head.stderr
    with gitlog.worktree(root, base_sha) as tree:
        base = clausewise("--handbook", tree, "check", "--today", TODAY, "--format", "json")
    assert base.returncode == 0, base.stderr
    base_json, head_json = reports(tmp_path, json.loads(base.stdout), json.loads(head.stdout))
    uncovered = [(f["code"], f["line"]) for f in json.loads(base.stdout)["findings"] if f["path"] == "pages/clauses.md"]
    assert uncovered == [("uncovered-clause", 3)]
    assert ("uncovered-clause", "pages/clauses.md", 5) in [
        (f["code"], f["path"], f["line"]) for f in json.loads(head.stdout)["findings"]
    ]

    done = clausewise("compare", base_json, head_json, "--format", "github")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "::error file=procedures/reporting.md,line=5,title=clausewise unknown-owner::owner: 'ROLE-NOBODY' is not "
        "a role in the handbook; expected one of: ROLE-OWNER",
    ]
    summary = clausewise("compare", base_json, head_json, "--format", "markdown")
    assert summary.returncode == 1
    assert summary.stdout.splitlines()[2:] == [
        "Judged as of 2026-11-23. The base branch has 2 findings, this change has 3 findings: "
        "**1 new** (1 error, 0 warnings, 0 info), **0 resolved**.",
        "",
        "**This check fails:** 1 new finding with the severity error. Fix it in this change; each row says the "
        "file, the line and what to do.",
        "",
        "### New findings",
        "",
        "| severity | code | file:line | message |",
        "|---|---|---|---|",
        "| error | unknown-owner | procedures/reporting.md:5 | owner: 'ROLE-NOBODY' is not a role in the handbook; "
        "expected one of: ROLE-OWNER |",
    ]
