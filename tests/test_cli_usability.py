"""The command as staff meet it: examples in every ``--help``, a handbook found from any folder
inside it, ``due --within`` in days, weeks or months and ``--role`` by title, a missing optional
dependency named in one line, and ``new``'s steps matching what the pull-request check demands."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from clausewise.cli.main import parser
from handbook import commit, governed, ok, refused, role, run_clausewise, write_handbook


def _leaves(
    p: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    nested = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
    if not nested:
        return [(path, p)]
    return [leaf for name, child in nested[0].choices.items() for leaf in _leaves(child, (*path, name))]


def test_every_subcommand_has_examples_in_its_help() -> None:
    leaves = _leaves(parser())
    assert [" ".join(path) for path, _ in leaves] == [
        "audit-pack", "as-of", "check", "due", "compare", "pdf", "new policy", "new document", "new procedure",
        "new external", "new role", "new record-type", "new record", "review", "codeowners", "init", "demo",
        "approvals record", "approvals show",
    ]  # fmt: skip
    for path, command in leaves:
        text = command.format_help()
        examples = text.partition("\nexamples:\n")[2].splitlines()
        # an example is a command line, or the continuation of a long one
        assert examples and all(line.startswith(("  clausewise ", "      ")) for line in examples), (path, text)
        assert any(line.startswith(f"  clausewise {' '.join(path)}") for line in examples), (path, examples)


# --- the handbook found from a folder inside it -----------------------------------------------------


def _handbook(root: Path) -> Path:
    procedure = governed("PRC-001", "procedure", "Reporting", reviewed="2025-12-10").replace(
        "satisfies: [1.1]\n",
        "satisfies: [1.1]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
        "    owner: ROLE-OTHER\n    evidences: [1.1]\n    cadence: monthly\n",
    )
    return write_handbook(
        root,
        {
            "roles/owner.md": role(),
            "roles/other.md": role("ROLE-OTHER", "Service desk lead"),
            "policies/policy.md": governed("POL-001", "policy", "Service policy", reviewed="2025-11-01"),
            "procedures/reporting.md": procedure,
        },
        'clausewise_sms_start = "2026-09-01"\n',
    )


def test_a_command_in_a_subfolder_uses_the_handbook_above_and_says_so(tmp_path: Path) -> None:
    root = _handbook(tmp_path / "hb")
    done = run_clausewise("due", "--today", "2026-11-23", "--within", "10d", cwd=root / "procedures")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"clausewise: using the handbook in {root}\n"
    assert done.stdout.splitlines()[0] == "Due within 10 days of 2026-11-23: 3"
    # in the handbook's own folder it says nothing about which one it read
    here = run_clausewise("due", "--today", "2026-11-23", "--within", "10d", cwd=root)
    assert (here.returncode, here.stderr, here.stdout) == (0, "", done.stdout)


def test_the_search_upwards_stops_at_the_top_of_the_repository(tmp_path: Path) -> None:
    """A conf.py above the repository (another project's) is never taken."""
    (tmp_path / "conf.py").write_text("project = 'Someone else'\n")
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert refused(run_clausewise("check", cwd=repo / "docs")) == (
        f"clausewise: no conf.py in {repo / 'docs'} or any folder above it up to the top of its git repository "
        f"({repo}): run from the handbook's folder or a folder inside it, or pass --handbook"
    )


def test_an_explicit_handbook_without_conf_py_is_still_refused(tmp_path: Path) -> None:
    root = _handbook(tmp_path / "hb")
    assert refused(run_clausewise("--handbook", root / "procedures", "check")) == (
        f"clausewise: {root / 'procedures'} has no conf.py: run from the handbook's folder or pass --handbook"
    )


# --- due --within and --role -------------------------------------------------------------------------


def test_due_within_weeks_and_calendar_months(tmp_path: Path) -> None:
    root = _handbook(tmp_path / "hb")
    two_weeks = ok(run_clausewise("due", "--today", "2026-11-23", "--within", "2w", cwd=root))
    assert two_weeks == [
        "Due within 2 weeks of 2026-11-23: 3",
        "  2026-10-30  OVERDUE  record  RT-REPORT Monthly report 2026-09  [Service desk lead]",
        "  2026-11-01  OVERDUE  review  POL-001 Service policy  [Owner]",
        "  2026-11-30  due      record  RT-REPORT Monthly report 2026-10  [Service desk lead]",
    ]
    # 1m from 23 November ends on 23 December: PRC-001's review on 10 December is in, and so
    # is a due date on 23 December itself; 16 days (2026-12-09) leaves the review out
    month = ok(run_clausewise("due", "--today", "2026-11-23", "--within", "1m", cwd=root))
    assert month[0] == "Due within 1 month of 2026-11-23: 4"
    assert "  2026-12-10  due      review  PRC-001 Reporting  [Owner]" in month
    assert ok(run_clausewise("due", "--today", "2026-11-23", "--within", "16", cwd=root))[0] == (
        "Due within 16 days of 2026-11-23: 3"
    )


@pytest.mark.parametrize("value", ["2x", "-3d", "", "1.5w", "month"])
def test_due_within_refuses_what_is_not_a_span(tmp_path: Path, value: str) -> None:
    done = run_clausewise("due", f"--within={value}", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"clausewise due: error: argument --within: {value!r} is not a span of time: "
        "write a number of days, weeks or months such as 30d, 2w or 1m"
    )


def test_due_role_by_id_or_title_in_any_case(tmp_path: Path) -> None:
    root = _handbook(tmp_path / "hb")
    expected = [
        "Due within 30 days of 2026-11-23 for Service desk lead (ROLE-OTHER): 2",
        "  2026-10-30  OVERDUE  record  RT-REPORT Monthly report 2026-09",
        "  2026-11-30  due      record  RT-REPORT Monthly report 2026-10",
    ]
    for given in ("ROLE-OTHER", "role-other", "Service desk lead", "SERVICE  DESK lead"):
        assert ok(run_clausewise("due", "--today", "2026-11-23", "--role", given, cwd=root)) == expected, given
    assert refused(run_clausewise("due", "--role", "service desk", cwd=root)) == (
        "clausewise: --role 'service desk' is not a role of the handbook; roles: ROLE-OTHER, ROLE-OWNER"
    )


def test_due_role_refuses_a_title_two_roles_share(tmp_path: Path) -> None:
    root = _handbook(tmp_path / "hb")
    (root / "roles/twin.md").write_text(role("ROLE-TWIN", "Service desk lead"))
    commit(root, "A second role with the same title", "2026-11-02T09:00:00")
    assert refused(run_clausewise("due", "--role", "service desk lead", cwd=root)) == (
        "clausewise: --role 'service desk lead' names 2 roles (ROLE-OTHER, ROLE-TWIN): give the id of one"
    )


# --- a missing optional dependency ---------------------------------------------------------------------


def test_pdf_without_weasyprint_names_the_extra_in_one_line(tmp_path: Path) -> None:
    """As after ``pip install clausewise`` without the ``pdf`` extra: importing weasyprint fails."""
    root = _handbook(tmp_path / "hb")
    code = (
        "import sys; sys.modules['weasyprint'] = None\n"
        "from clausewise.cli.main import main\n"
        "raise SystemExit(main(['pdf']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "clausewise: clausewise pdf needs WeasyPrint, which is not installed: pip install 'clausewise[pdf]'\n"
    )
    assert not (root / "_build").exists()  # refused before building anything


# --- new's steps and what the pull-request check demands --------------------------------------------


def test_new_says_to_update_codeowners_when_the_new_file_changes_it(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(github='"@example/owners"'),
            "policies/policy.md": governed("POL-001", "policy", "Service policy"),
        },
    )
    before = ok(run_clausewise("new", "procedure", "--title", "Capacity", "--owner", "ROLE-OWNER", cwd=root))
    assert before[4:8] == [
        "  3. Commit it on a branch and propose it as a pull request:",
        "       git switch -c new-prc-001",
        "       git add procedures/capacity.md",
        '       git commit -m "New procedure PRC-001 Capacity (draft)"',
    ]  # no CODEOWNERS in the repository: nothing to update
    (root / "procedures/capacity.md").unlink()
    ok(run_clausewise("codeowners", cwd=root))
    commit(root, "CODEOWNERS", "2026-07-02T09:00:00+00:00")
    after = ok(run_clausewise("new", "procedure", "--title", "Capacity", "--owner", "ROLE-OWNER", cwd=root))
    assert after[4:10] == [
        "  3. Commit it on a branch and propose it as a pull request:",
        "     It changes who approves what: first update .github/CODEOWNERS, which the pull-request check",
        "     (clausewise codeowners --check) compares: clausewise codeowners",
        "       git switch -c new-prc-001",
        "       git add procedures/capacity.md .github/CODEOWNERS",
        '       git commit -m "New procedure PRC-001 Capacity (draft)"',
    ]
    # following the steps satisfies the check
    ok(run_clausewise("codeowners", cwd=root))
    assert ok(run_clausewise("codeowners", "--check", cwd=root)) == [".github/CODEOWNERS is up to date."]


def test_new_procedure_help_says_the_owner_is_required() -> None:
    procedure = dict(_leaves(parser()))[("new", "procedure")]
    assert "--title TITLE --owner OWNER" in " ".join(procedure.format_usage().split())
