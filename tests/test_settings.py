"""Settings: each declared once, validated with a clear sentence, listed on the
reference page; and the one "today": --today, else CLAUSEWISE_TODAY, else conf.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from clausewise.core.settings import (
    ClausewiseConfig,
    SettingError,
    conf_py_template,
    declarations,
    settings,
)
from handbook import build, commit, governed, role, write_handbook

NAMES = [
    "clausewise_today", "clausewise_catalogue", "clausewise_catalogues", "clausewise_severity",
    "clausewise_governed_paths",
    "clausewise_organisation", "clausewise_due_soon_days", "clausewise_upstream_links",
    "clausewise_repository_url", "clausewise_history_start", "clausewise_sms_start", "clausewise_records_path",
    "clausewise_id_patterns",
    "clausewise_activities", "clausewise_as_of", "clausewise_fail_on", "clausewise_commit_url",
    "clausewise_safe_mode",
    "clausewise_audiences", "clausewise_audience", "clausewise_withheld_evidence",
    "clausewise_main_branch",
    "clausewise_audit_window",
    "clausewise_approval", "clausewise_team_members",
    "clausewise_forge",
    "clausewise_audit_cycle", "clausewise_audit_scope",
    "clausewise_action_effectiveness_days",
    "clausewise_target_misses",
    "clausewise_supplier_review",
    "clausewise_contract_notice_days",
    "clausewise_complaint_response_days",
]  # fmt: skip


def test_every_setting_is_declared_once_with_default_validator_and_help() -> None:
    assert [name for name, _ in settings()] == NAMES
    assert [f"clausewise_{f.name}" for f in fields(ClausewiseConfig)] == NAMES
    for name, spec in settings():
        assert spec.help.endswith(".") and len(spec.help) > 20, name
        assert spec.rebuild in ("", "env", "html"), name
        spec.validate(name, spec.default)  # the default is valid
    assert [(n, r) for n, _, r in declarations()] == [(n, s.rebuild) for n, s in settings()]
    defaults = ClausewiseConfig.from_values({}, environ={"CLAUSEWISE_TODAY": "2026-11-23"})
    assert defaults.today == date(2026, 11, 23)
    assert defaults.governed_paths == ("policies/", "procedures/", "docs/roles/", "records/")
    assert defaults.upstream_links == ("implements", "owner", "satisfies")
    assert (defaults.records_path, defaults.due_soon_days, defaults.sms_start) == ("records/", 30, None)
    assert (defaults.fail_on, defaults.commit_url) == ("never", "")


def test_commit_links_from_a_template_or_the_repository_url() -> None:
    """clausewise_commit_url wins; clausewise_repository_url alone means <url>/commit/{sha}."""
    sha = "0123456789abcdef0123456789abcdef01234567"

    def link(**values: str) -> str:
        return ClausewiseConfig.from_values({f"clausewise_{k}": v for k, v in values.items()}, environ={}).commit_link(
            sha
        )

    assert link() == ""
    assert (
        link(repository_url="https://github.com/fernhill/handbook/")
        == f"https://github.com/fernhill/handbook/commit/{sha}"
    )
    gitlab = "https://gitlab.example/group/handbook/-/commit/{sha}"
    assert link(commit_url=gitlab) == f"https://gitlab.example/group/handbook/-/commit/{sha}"
    assert link(commit_url=gitlab, repository_url="https://github.com/x/y") == (
        f"https://gitlab.example/group/handbook/-/commit/{sha}"
    )
    assert link(commit_url="https://forge.example/c?id={sha}&x={{1}}") == f"https://forge.example/c?id={sha}&x={{1}}"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("clausewise_today", "2026-02-30",
         "clausewise_today is '2026-02-30'; expected a date as YYYY-MM-DD, e.g. 2026-11-23"),
        ("clausewise_today", "9999-12-31",
         "clausewise_today is '9999-12-31'; expected a day between 1970-01-01 and 2999-12-31"),
        ("clausewise_today", "0001-01-01",
         "clausewise_today is '0001-01-01'; expected a day between 1970-01-01 and 2999-12-31"),
        ("clausewise_due_soon_days", "30",
         "clausewise_due_soon_days is '30'; expected a whole number of days, e.g. 30"),
        ("clausewise_due_soon_days", True,
         "clausewise_due_soon_days is True; expected a whole number of days, e.g. 30"),
        ("clausewise_governed_paths", "policies/",
         "clausewise_governed_paths is 'policies/'; expected a list of folders, e.g. ['policies/', 'procedures/']"),
        ("clausewise_records_path", "",
         "clausewise_records_path is empty; expected a folder of the handbook, e.g. 'records/'"),
        ("clausewise_organisation", 42,
         "clausewise_organisation is 42; expected a text in quotes, e.g. clausewise_organisation = \"...\""),
        ("clausewise_upstream_links", ["owner", "parent"],
         "clausewise_upstream_links is ['owner', 'parent']; expected a list of: implements, owner, satisfies, roles"),
        ("clausewise_sms_start", "2024-1-1", "clausewise_sms_start is '2024-1-1'; expected a date as YYYY-MM-DD"),
        ("clausewise_severity", ["x"],
         "clausewise_severity is ['x']; expected a dict of finding code to severity, "
         "e.g. {'uncovered-clause': 'error'}"),
        ("clausewise_activities", {"Audit": "PRC-022"},
         "clausewise_activities is {'Audit': 'PRC-022'}; expected a dict of each activity's name to a list of "
         "document ids, e.g. {'Internal audit': ['PRC-022']}"),
        ("clausewise_fail_on", "errors",
         "clausewise_fail_on is 'errors'; expected one of 'warning', 'error', 'never', e.g. "
         "clausewise_fail_on = 'error'"),
        ("clausewise_fail_on", None,
         "clausewise_fail_on is None; expected one of 'warning', 'error', 'never', e.g. "
         "clausewise_fail_on = 'error'"),
        ("clausewise_commit_url", "https://gitlab.example/group/handbook/-/commit/",
         "clausewise_commit_url is 'https://gitlab.example/group/handbook/-/commit/'; expected a link with {sha} "
         "once where the commit goes, e.g. 'https://gitlab.example/group/handbook/-/commit/{sha}'"),
        ("clausewise_commit_url", "https://forge.example/{repo}/commit/{sha}",
         "clausewise_commit_url is 'https://forge.example/{repo}/commit/{sha}'; only {sha} may appear in braces "
         "(write other braces doubled: {{ }})"),
    ],
)  # fmt: skip
def test_a_bad_value_is_one_clear_sentence(name: str, value: Any, message: str) -> None:
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values({name: value}, environ={})
    assert str(caught.value) == f"conf.py: {message}"


def test_the_environment_wins_over_conf_py_and_says_so_when_wrong() -> None:
    values = {"clausewise_today": "2026-01-01"}
    assert ClausewiseConfig.from_values(values, environ={"CLAUSEWISE_TODAY": "2025-05-05"}).today == date(2025, 5, 5)
    with pytest.raises(SettingError, match=r"^environment variable CLAUSEWISE_TODAY is '2025-13-01'; expected"):
        ClausewiseConfig.from_values(values, environ={"CLAUSEWISE_TODAY": "2025-13-01"})


def test_the_conf_py_template_sets_every_default() -> None:
    text = conf_py_template()
    namespace: dict[str, Any] = {}
    exec(text, namespace)  # the template is Python that conf.py can take as it is
    assert {k: v for k, v in namespace.items() if k.startswith("clausewise_")} == {
        name: spec.default for name, spec in settings()
    }
    assert text.splitlines()[1:3] == [
        "# The day every date rule judges by, as YYYY-MM-DD; empty: the real date.",
        "# CLAUSEWISE_TODAY in the environment wins over it, and a command's --today",
    ]


def test_the_reference_page_lists_every_setting(tmp_path: Path) -> None:
    page = "# Settings\n\n```{clausewise-settings}\n```\n\n## Template\n\n```{clausewise-settings}\n:template:\n```\n"
    result = build(write_handbook(tmp_path / "hb", {"roles/owner.md": role(), "pages/settings.md": page}))
    assert result.other_warnings() == []
    html = result.page_html("pages/settings")
    assert [chunk.split('"', 1)[0] for chunk in html.split('id="setting-')[1:]] == NAMES
    text = result.page_text("pages/settings")
    assert "clausewise_due_soon_days 30 A review is due soon this many days before its date. nothing" in text
    assert "clausewise_today '' The day every date rule judges by" in text
    assert "Environment: CLAUSEWISE_TODAY." in text
    assert "clausewise_records_path = 'records/'" in text  # the template


# --- --today wins over CLAUSEWISE_TODAY, for every command that judges by a date ----------


def _handbook(tmp_path: Path) -> Path:
    root = write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(), "policies/p.md": governed("POL-001", "policy", "Policy", reviewed="2025-12-01")},
    )
    commit(root, "Touch", "2026-08-01T09:00:00+00:00", {"pages/more.md": "# More\n"})
    return root


def _clausewise(root: Path, *args: str, shell_today: str = "2026-03-01") -> subprocess.CompletedProcess[str]:
    # the shell says one day, the command line another
    env = {**os.environ, "CLAUSEWISE_TODAY": shell_today}
    return subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "--handbook", str(root), *args],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


def test_today_option_wins_over_the_environment_for_check_and_due(tmp_path: Path) -> None:
    root = _handbook(tmp_path)
    checked = _clausewise(root, "check", "--today", "2026-11-23", "--format", "json")
    report = json.loads(checked.stdout)
    assert report["today"] == "2026-11-23"
    assert [(f["code"], f["id"]) for f in report["findings"]] == [
        ("uncovered-clause", "MINI-1-2"), ("review-due-soon", "POL-001")
    ]  # fmt: skip
    due = _clausewise(root, "due", "--today", "2026-11-23")
    assert due.stdout.splitlines()[0] == "Due within 30 days of 2026-11-23: 1"
    # without the option, the environment's day counts
    assert json.loads(_clausewise(root, "check", "--format", "json").stdout)["today"] == "2026-03-01"
    # with it, a wrong day in the environment is not even read ...
    fine = _clausewise(root, "check", "--today", "2026-11-23", "--format", "json", shell_today="2026-13-01")
    assert (fine.returncode, json.loads(fine.stdout)["today"]) == (0, "2026-11-23")
    # ... and without it, it is named as what it is, not as conf.py
    wrong = _clausewise(root, "due", shell_today="2026-13-01")
    assert (wrong.returncode, wrong.stderr) == (
        2, "clausewise: environment variable CLAUSEWISE_TODAY is '2026-13-01'; expected a date as YYYY-MM-DD, "
        "e.g. 2026-11-23\n"
    )  # fmt: skip


def test_today_option_wins_over_the_environment_for_the_audit_pack(tmp_path: Path) -> None:
    root = _handbook(tmp_path)
    out = tmp_path / "pack.zip"
    done = _clausewise(root, "audit-pack", "--out", str(out), "--today", "2026-11-23")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as pack:
        assert json.loads(pack.read("manifest.json"))["today"] == "2026-11-23"
        findings = json.loads(pack.read("html/clausewise/findings.json"))
    assert findings["today"] == "2026-11-23"
    assert [f["code"] for f in findings["findings"]] == ["uncovered-clause", "review-due-soon"]


def test_an_as_of_build_judges_by_its_date_whatever_the_environment_says(tmp_path: Path) -> None:
    root = _handbook(tmp_path)
    out = tmp_path / "asof"
    done = _clausewise(root, "as-of", "2026-11-20", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "clausewise" / "findings.json").read_text())["today"] == "2026-11-20"


def test_a_today_option_off_the_calendar_is_refused_by_argparse(tmp_path: Path) -> None:
    root = _handbook(tmp_path)
    done = _clausewise(root, "check", "--today", "9999-12-31")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "clausewise check: error: argument --today: '9999-12-31': expected a day between 1970-01-01 and 2999-12-31"
    )
