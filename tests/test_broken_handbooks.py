"""A broken handbook never looks fine: no governed page, every page invalid, no
roles; CODEOWNERS that would drop review requirements; ``clausewise_fail_on``; the
box an invalid page shows. Real builds and real command runs in temporary git repos."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from handbook import Build, build, governed, role, run_clausewise, write_handbook

TODAY = "2026-11-23"
SEARCHED = "'policies/', 'procedures/', 'docs/roles/', 'records/' (clausewise_governed_paths)"
NO_DOCUMENTS = (
    f"no governed documents found: no page under {SEARCHED} and none that declares a type; set "
    "clausewise_governed_paths in conf.py to the folders that hold the policies, procedures, roles and records"
)
ALL_INVALID = (
    f"every governed page has invalid metadata: all 2 (under {SEARCHED} or declaring a type); what the handbook "
    "shows of reviews, coverage and ownership is incomplete until their invalid-metadata findings are fixed"
)
NO_ROLES = (
    f"no roles found: none of the 1 governed pages under {SEARCHED} is a role (1 read as documents or records), "
    "so nothing has an owner; add role pages (type: role, id: ROLE-...) in one of those folders"
)
#: Every page of this handbook fails validation: one has no type, the other an unknown status.
INVALID_PAGES = {
    "policies/a.md": "---\nid: POL-001\ntitle: A\n---\n\n# A\n\nText.\n",
    "roles/owner.md": role(status="bogus", github='"@example/owners"'),
}


def clausewise(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in the handbook's folder, with no CLAUSEWISE_TODAY from the environment."""
    return run_clausewise(*args, cwd=root)


def sphinx_build(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``python -m sphinx`` as a person runs it: quiet, fresh, judged on TODAY."""
    env = {**os.environ, "CLAUSEWISE_TODAY": TODAY}
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", *options, ".", "_build/html"],
        cwd=root, capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


def handbook_findings(root: Path) -> list[tuple[str, str, int, str, str]]:
    done = clausewise(root, "check", "--today", TODAY, "--format", "json")
    return [(f["code"], f["severity"], f["path"], f["line"], f["message"]) for f in json.loads(done.stdout)["findings"]]


# --- handbook-wide findings -----------------------------------------------------------------------


def test_no_governed_documents(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"notes/readme.md": "# Notes\n"})
    result = build(root)
    assert result.findings[0] == ("no-governed-documents", "conf.py", 0, "")
    assert result.report["findings"][0]["message"] == NO_DOCUMENTS
    assert result.report["findings"][0]["severity"] == "error"
    [warning] = [w for w in result.warnings if w.kind == "clausewise.no-governed-documents"]
    assert (warning.path, warning.line, warning.level) == ("", None, "ERROR")
    assert warning.message == f"conf.py: {NO_DOCUMENTS}"
    # check says the same, as an error (exit 1)
    checked = clausewise(root, "check", "--today", TODAY)
    assert checked.returncode == 1
    assert f"  conf.py: error [no-governed-documents] {NO_DOCUMENTS}" in checked.stdout.splitlines()
    # due does not say "nothing due"
    due = clausewise(root, "due", "--today", TODAY)
    assert (due.returncode, due.stdout) == (2, "")
    assert due.stderr == f"clausewise: {NO_DOCUMENTS} [no-governed-documents]\n"


def test_the_message_names_the_configured_governed_paths(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {"handbook/policies/p.md": governed("POL-001", "policy", "Policy").replace("type: policy\n", "")},
        'clausewise_governed_paths = ["sms/policies/", "sms/roles/"]\n',
    )
    [(code, severity, path, line, message)] = [f for f in handbook_findings(root) if f[0] != "uncovered-clause"]
    assert (code, severity, path, line) == ("no-governed-documents", "error", "conf.py", 0)
    assert message.startswith(
        "no governed documents found: no page under 'sms/policies/', 'sms/roles/' (clausewise_governed_paths) and "
        "none that declares a type;"
    )


def test_every_page_invalid(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", INVALID_PAGES)
    result = build(root)
    assert [f for f in result.findings if f[0] != "uncovered-clause"] == [
        ("all-pages-invalid", "conf.py", 0, ""),
        ("invalid-metadata", "policies/a.md", 1, "POL-001"),
        ("invalid-metadata", "roles/owner.md", 6, "ROLE-OWNER"),
    ]
    assert result.report["findings"][0]["message"] == ALL_INVALID
    assert ("all-pages-invalid", "error", "conf.py", 0, ALL_INVALID) in handbook_findings(root)
    due = clausewise(root, "due", "--today", TODAY)
    assert (due.returncode, due.stderr) == (2, f"clausewise: {ALL_INVALID} [all-pages-invalid]\n")


def test_invalid_metadata_switched_off_silences_it_too(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", INVALID_PAGES, 'clausewise_severity = {"invalid-metadata": "off"}\n')
    assert [f[0] for f in handbook_findings(root) if f[0] != "uncovered-clause"] == []


def test_one_valid_page_is_enough(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {**INVALID_PAGES, "roles/other.md": role("ROLE-OTHER", "Other")})
    assert [f[0] for f in handbook_findings(root)] == [
        "uncovered-clause", "uncovered-clause", "invalid-metadata", "invalid-metadata",
    ]  # fmt: skip
    assert clausewise(root, "due", "--today", TODAY).returncode == 0


def test_no_roles(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"policies/p.md": governed("POL-001", "policy", "Policy")})
    assert [f for f in handbook_findings(root) if f[0] in ("no-roles", "unknown-owner")] == [
        ("no-roles", "error", "conf.py", 0, NO_ROLES),
        ("unknown-owner", "error", "policies/p.md", 5,
         "owner: 'ROLE-OWNER' is not a role in the handbook; expected one of: none yet"),
    ]  # fmt: skip
    due = clausewise(root, "due", "--today", TODAY)
    assert (due.returncode, due.stderr) == (2, f"clausewise: {NO_ROLES} [no-roles]\n")


def test_severity_off_silences_them_everywhere(tmp_path: Path) -> None:
    """An owner who switches a code off gets no finding and no refusal."""
    root = write_handbook(
        tmp_path / "hb",
        {"policies/p.md": governed("POL-001", "policy", "Policy")},
        'clausewise_severity = {"no-roles": "off"}\n',
    )
    assert "no-roles" not in [f[0] for f in handbook_findings(root)]
    due = clausewise(root, "due", "--today", TODAY)
    assert (due.returncode, due.stdout.splitlines()[0]) == (0, f"Due within 30 days of {TODAY}: 0")


def test_suppress_warnings_silences_them_in_every_output_alike(tmp_path: Path) -> None:
    """Sphinx's suppress_warnings drops the finding from the report, the refusals and the dashboard."""
    dashboard = {"pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n"}
    root = write_handbook(
        tmp_path / "hb",
        {"policies/p.md": governed("POL-001", "policy", "Policy"), **dashboard},
        'suppress_warnings = ["clausewise.no-roles"]\n',
    )
    result = build(root)
    assert "no-roles" not in [f[0] for f in result.findings]
    assert "cannot be judged" not in result.page_text("pages/dashboard")
    due = clausewise(root, "due", "--today", TODAY)
    assert (due.returncode, due.stdout.splitlines()[0]) == (0, f"Due within 30 days of {TODAY}: 0")


def test_the_sample_handbook_has_none(sample_build: Build) -> None:
    codes = {f["code"] for f in sample_build.report["findings"]}
    assert not codes & {"no-governed-documents", "all-pages-invalid", "no-roles"}


# --- CODEOWNERS ------------------------------------------------------------------------------------


def test_codeowners_refuses_an_unusable_handbook(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", INVALID_PAGES)
    done = clausewise(root, "codeowners")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"clausewise: {ALL_INVALID} [all-pages-invalid]\n"
    assert not (root / ".github").exists()


def test_codeowners_refuses_to_drop_owned_documents(tmp_path: Path) -> None:
    files = {
        "roles/owner.md": role(github='"@example/owners"'),
        "roles/quiet.md": role("ROLE-QUIET", "Quiet"),  # no github:
        "policies/a.md": governed("POL-001", "policy", "A", owner="ROLE-QUIET"),
        "policies/b.md": governed("POL-002", "policy", "B", owner="ROLE-NOBODY"),
        "policies/c.md": governed("POL-003", "policy", "C", owner="owner"),
        "policies/d.md": governed("POL-004", "policy", "D"),
    }
    root = write_handbook(tmp_path / "hb", files)
    (root / ".github").mkdir()
    old = "# Generated by `clausewise codeowners` from the handbook's front matter. Do not edit: change a\n"
    (root / ".github/CODEOWNERS").write_text(old)
    done = clausewise(root, "codeowners")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        "clausewise: warning: POL-002 (policies/b.md) has no valid owner role, so no code owner",
        "clausewise: warning: POL-003 (policies/c.md) has no valid owner role, so no code owner",
        "clausewise: warning: ROLE-QUIET (Quiet) has no github: key in roles/quiet.md, so 2 paths it owns have no "
        'code owner; add e.g. github: "@org/team" there',
        "clausewise: .github/CODEOWNERS not written: it would have rules for 2 of the 4 documents that have an owner "
        "role, so changes to the others would need nobody's review.",
        "Documents without a rule:",
        "  POL-001 (policies/a.md): its owner ROLE-QUIET has no github: key in roles/quiet.md",
        "  POL-002 (policies/b.md): its owner ROLE-NOBODY is not a role of the handbook",
        "  POL-003 (policies/c.md): its owner: is missing or invalid (see its invalid-metadata finding)",
        "  ROLE-QUIET (roles/quiet.md): its owner ROLE-QUIET has no github: key in roles/quiet.md",
        "Set each document's owner: to a role's id, and each role's github: to its GitHub users or teams (e.g. "
        'github: "@org/team"), then run clausewise codeowners again.',
    ]
    assert (root / ".github/CODEOWNERS").read_text() == old

    # with the quiet role mapped, the documents without an owner role are only warned about
    (root / "roles/quiet.md").write_text(role("ROLE-QUIET", "Quiet", github='"@example/quiet"'))
    done = clausewise(root, "codeowners")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        ".github/CODEOWNERS written: 4 rules. Commit it; 'clausewise codeowners --check' tells CI when it is stale.\n"
    )
    assert done.stderr.splitlines() == [
        "clausewise: warning: POL-002 (policies/b.md) has no valid owner role, so no code owner",
        "clausewise: warning: POL-003 (policies/c.md) has no valid owner role, so no code owner",
    ]


def test_codeowners_refuses_a_file_without_rules(tmp_path: Path) -> None:
    files = {"roles/owner.md": role(), "policies/p.md": governed("POL-001", "policy", "Policy")}
    root = write_handbook(tmp_path / "hb", files)
    done = clausewise(root, "codeowners")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[-5:] == [
        "clausewise: .github/CODEOWNERS not written: it would have no rules, so no change would need anyone's review.",
        "Documents without a rule:",
        "  POL-001 (policies/p.md): its owner ROLE-OWNER has no github: key in roles/owner.md",
        "  ROLE-OWNER (roles/owner.md): its owner ROLE-OWNER has no github: key in roles/owner.md",
        "Set each document's owner: to a role's id, and each role's github: to its GitHub users or teams (e.g. "
        'github: "@org/team"), then run clausewise codeowners again.',
    ]
    assert not (root / ".github").exists()


# --- clausewise_fail_on ----------------------------------------------------------------------------


def _fail_on_handbook(tmp_path: Path, fail_on: str | None, *, error: bool) -> Path:
    """Warnings always (uncovered clauses); an error (an unknown owner) when ``error``."""
    setting = f'clausewise_fail_on = "{fail_on}"\n' if fail_on is not None else ""
    owner = "ROLE-NOBODY" if error else "ROLE-OWNER"
    files = {"roles/owner.md": role(), "policies/p.md": governed("POL-001", "policy", "Policy", owner=owner)}
    return write_handbook(tmp_path / "hb", files, setting)


@pytest.mark.parametrize(
    ("fail_on", "error", "fails"),
    [
        (None, True, False),  # the default is "never"
        ("never", True, False),
        ("error", False, False),
        ("error", True, True),
        ("warning", False, True),
    ],
)
def test_fail_on(tmp_path: Path, fail_on: str | None, error: bool, fails: bool) -> None:
    done = sphinx_build(_fail_on_handbook(tmp_path, fail_on, error=error))
    assert "Traceback" not in done.stderr
    assert done.returncode == (1 if fails else 0), done.stderr
    last = done.stderr.splitlines()[-1]
    if fails:
        counts = f"{1 if error else 0} error, 1 warning, 0 info"
        assert last == (
            f"ERROR: clausewise: the build fails (clausewise_fail_on = {fail_on!r}): findings reported: {counts}; "
            "see _build/html/clausewise/findings.json"
        )
    else:
        assert "the build fails" not in done.stderr
    # the findings are written either way
    assert (tmp_path / "hb/_build/html/clausewise/findings.json").is_file()


def test_a_bad_fail_on_stops_the_build_in_one_line(tmp_path: Path) -> None:
    done = sphinx_build(_fail_on_handbook(tmp_path, "sometimes", error=False))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "ERROR: clausewise: conf.py: clausewise_fail_on is 'sometimes'; expected one of 'warning', 'error', 'never', "
        "e.g. clausewise_fail_on = 'error' [clausewise.config]"
    )


def test_sample_conf_fails_on_errors() -> None:
    conf = (Path(__file__).resolve().parent.parent / "conf.py").read_text()
    assert 'clausewise_fail_on = "error"\n' in conf


# --- the box of an invalid page --------------------------------------------------------------------


def test_an_invalid_page_shows_its_findings_instead_of_a_status_box(tmp_path: Path) -> None:
    files = {
        "roles/owner.md": role(),
        # approved, but its dates are impossible: without the box it would look approved
        "policies/p.md": governed("POL-001", "policy", "Policy", reviewed="2026-02-30", effective="soon"),
        "policies/q.md": governed("POL-002", "policy", "Fine policy"),
        "policies/r.md": "---\nid: POL-003\ntitle: [broken\n---\n\n# R\n",
    }
    result = build(write_handbook(tmp_path / "hb", files))
    # Sphinx's smart quotes, back to plain ones
    text = result.page_text("policies/p").replace("\u2018", "'").replace("\u2019", "'")
    assert (
        "Metadata invalid: see findings The front matter of policies/p.md failed validation, so this page's "
        "status, owner and dates are not known; do not rely on it until its owner fixes: "
        "invalid-metadata line 8: effective: 'soon' is not a date; expected YYYY-MM-DD, e.g. 2026-02-28 "
        "invalid-metadata line 9: reviewed: '2026-02-30' is not a real date; expected YYYY-MM-DD, e.g. 2026-02-28 "
        "Text. Revision history"
    ) in text
    assert "Next review due" not in text  # no status box
    assert "Revision history" in text  # the rest of the page is still there
    assert 'class="clausewise-invalid error admonition"' in result.page_html("policies/p")
    # the box comes first under the title
    assert text.index("Metadata invalid") < text.index("Text.")
    # a page whose front matter cannot be read at all shows the box too
    broken = result.page_text("policies/r")
    assert "Metadata invalid: see findings The front matter of policies/r.md failed validation" in broken
    assert "invalid-metadata line 3: front matter is not valid YAML" in broken
    # a valid page has its status box and no such box
    fine = result.page_text("policies/q")
    assert "Metadata invalid" not in fine and "Next review due" in fine


def test_the_dashboard_of_an_unusable_handbook_says_so_first(tmp_path: Path) -> None:
    dashboard = {"pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n"}
    root = write_handbook(tmp_path / "hb", {**INVALID_PAGES, **dashboard})
    text = build(root).page_text("pages/dashboard")
    assert text.startswith(
        "Dashboard — Test handbook documentation Dashboard ¶ The handbook cannot be judged "
        f"Every governed page has invalid metadata: all 2 (under {SEARCHED} or declaring a type); what the handbook "
        "shows of reviews, coverage and ownership is incomplete until their invalid-metadata findings are fixed. "
        "Nothing below is reliable until this is fixed."
    )
    # fixed: the notice goes, on an incremental build too
    (root / "roles/owner.md").write_text(role(github='"@example/owners"'))
    assert "cannot be judged" not in build(root).page_text("pages/dashboard")
