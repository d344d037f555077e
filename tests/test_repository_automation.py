"""The GitHub workflows and pre-commit hooks of the repository: valid, minimal, and doing what they say.

The workflows are validated against GitHub's workflow schema (check-jsonschema
ships it), and the pull-request workflow's shell steps are run, in order, on a
real repository shaped like the merge commit GitHub checks out for a pull request.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from git import Repo
from handbook import commit, governed, role, write_handbook

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
TODAY = "2026-11-23"
CLAUSEWISE = [sys.executable, "-m", "clausewise.cli"]


def tool(name: str) -> str:
    """The console script ``name`` of this Python environment (else of PATH); fail if there is none."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: python3 -m pip install -e '.[test]'")
    return found


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as true
    data["on"] = data.pop(True)
    return data


def steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


NOTES_FETCH = "git fetch --no-tags origin '+refs/notes/*:refs/notes/*'"


def test_the_workflows() -> None:
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == ["pages.yml", "pull-request.yml"]


@pytest.mark.parametrize("name", ["pages.yml", "pull-request.yml"])
def test_workflow_is_valid_for_github(name: str) -> None:
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOWS / name)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok -- validation done"


@pytest.mark.parametrize("name", ["pages.yml", "pull-request.yml"])
def test_workflow_checks_out_full_history_and_pins_actions(name: str) -> None:
    data = workflow(name)
    every = steps(data)
    checkouts = [s for s in every if s.get("uses", "").startswith("actions/checkout@")]
    # one per job that reads the repository (the deploy job of pages.yml reads none)
    assert len(checkouts) == {"pages.yml": 2, "pull-request.yml": 1}[name]
    # every job that builds fetches the approvals' git notes first (actions/checkout does not)
    builds = [job for job in data["jobs"].values() if any("sphinx" in s.get("run", "") for s in job["steps"])]
    assert builds and all(
        job["steps"][1] == {
            "name": "Fetch the approvals", "id": "notes",
            "run": "git fetch --no-tags origin '+refs/notes/*:refs/notes/*'",
        } for job in builds
    )  # fmt: skip
    assert all(s["with"]["fetch-depth"] == 0 for s in checkouts)
    for step in every:
        if "uses" in step:
            assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]
        else:
            # no ${{ }} in scripts: they run as written (here too) and cannot be injected into
            assert "${{" not in step["run"], step


def test_pull_request_workflow() -> None:
    data = workflow("pull-request.yml")
    assert data["on"] == {"pull_request": None}
    assert data["permissions"] == {"contents": "read"}
    assert list(data["jobs"]) == ["handbook"]
    assert "permissions" not in data["jobs"]["handbook"]
    uses = [s["uses"] for s in steps(data) if "uses" in s]
    assert uses == ["actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4"]
    scripts = {s.get("id"): s["run"] for s in steps(data) if "run" in s}
    # the artifact, which every reader of the repository can download, is the staff build
    (build,) = [s for s in steps(data) if s.get("id") == "build"]
    assert build["env"] == {"CLAUSEWISE_AUDIENCE": "staff"}
    assert build["run"] == "python -m sphinx -b html -j auto -d _build/doctrees . _build/html"
    assert 'clausewise check --today "$CLAUSEWISE_TODAY" --format json' in scripts["findings"]
    assert scripts["compare"].split("\n")[:4] == [
        'clausewise compare "$RUNNER_TEMP/base.json" "$RUNNER_TEMP/head.json" --format markdown \\',
        '  >> "$GITHUB_STEP_SUMMARY" || true',
        'clausewise compare "$RUNNER_TEMP/base.json" "$RUNNER_TEMP/head.json" --format github',
        "",
    ]


def test_pages_workflow() -> None:
    data = workflow("pages.yml")
    assert data["on"] == {
        "push": {"branches": ["main"]},
        "schedule": [{"cron": "17 5 * * *"}],
        "workflow_dispatch": None,
    }
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert "permissions" not in build
    assert [s["uses"] for s in build["steps"] if "uses" in s] == [
        "actions/checkout@v4", "actions/setup-python@v5", "actions/upload-pages-artifact@v3",
    ]  # fmt: skip
    assert build["steps"][-1]["with"] == {"path": "_build/html"}
    # the staff handbook is published, its doctrees (every page as read) kept out of it
    (step,) = [s for s in build["steps"] if s.get("name") == "Build"]
    assert step["env"] == {"CLAUSEWISE_AUDIENCE": "staff"}
    assert step["run"] == "python -m sphinx -b html -j auto -d _build/doctrees . _build/html"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]
    # the approvals of a merged pull request are recorded before the build reads them
    approvals = data["jobs"]["approvals"]
    assert (build["needs"], build["if"]) == ("approvals", "${{ !cancelled() }}")
    assert approvals["if"] == "github.event_name == 'push'"
    assert approvals["permissions"] == {"contents": "write", "pull-requests": "read"}
    (record,) = [s for s in approvals["steps"] if s.get("id") == "record"]
    assert record["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert (
        'clausewise approvals record "$GITHUB_SHA" --from-github "$RUNNER_TEMP/pull.json" "$RUNNER_TEMP/reviews.json"'
        in record["run"].split("\n")
    )
    assert "git push origin refs/notes/clausewise/approvals; then exit 0; fi" in record["run"]


def fake_gh(folder: Path, script: str) -> dict[str, str]:
    """An environment whose ``gh`` is ``script`` (a shell script answering from recorded forge
    answers, so no step reaches the network), first on ``PATH`` in ``folder``/bin, before this
    interpreter's folder (its ``clausewise``) and the rest of ``PATH``."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(script)
    (bin_dir / "gh").chmod(0o755)
    path = f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path}


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A ``run:`` script as GitHub runs it: ``bash --noprofile --norc -eo pipefail``."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_pull_request_steps_on_a_real_pull_request(tmp_path: Path) -> None:
    """The change adds a document whose owner is no role: the run fails with one annotation
    and a job summary naming that finding, and the inherited review-overdue is not new."""
    root = write_handbook(
        tmp_path / "repo",
        {
            "roles/owner.md": role(),
            "policies/policy.md": governed("POL-001", "policy", "Service policy", reviewed="2025-11-01"),
        },
    )
    repo = Repo(root)
    base_sha = repo.head.commit.hexsha
    repo.git.switch("-c", "change")
    commit(
        root,
        "Add the reporting procedure",
        "2026-11-02T09:00:00+00:00",
        {
            "procedures/reporting.md": governed(
                "PRC-001", "procedure", "Reporting", owner="ROLE-NOBODY", effective="2026-11-02", reviewed="2026-11-02"
            )
        },
    )
    # what actions/checkout checks out for a pull request: the change merged into the base
    repo.git.switch("--detach", "main")
    with repo.git.custom_environment(GIT_AUTHOR_DATE="2026-11-02T10:00:00", GIT_COMMITTER_DATE="2026-11-02T10:00:00"):
        repo.git.merge("--no-ff", "-m", "Merge change into main", "change")

    data = workflow("pull-request.yml")
    every = steps(data)
    # the fetch of the approvals' notes needs an origin, which this repository has not
    run_in_order = [
        s for s in every if "run" in s and s.get("name") not in ("Install clausewise", "Fetch the approvals")
    ]
    assert [s["id"] for s in run_in_order] == ["today", "build", "findings", "codeowners", "compare"]
    assert [s for s in every if s not in run_in_order] == [
        s for s in every if "uses" in s or s.get("run") in ("python -m pip install -e .", NOTES_FETCH)
    ]

    runner = tmp_path / "runner"
    runner.mkdir()
    github_env, summary = runner / "env", runner / "summary.md"
    github_env.touch()
    env = {
        **{k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "RUNNER_TEMP": str(runner),
        "GITHUB_ENV": str(github_env),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    results = {}
    for step in run_in_order:
        step_env = {**env, **step.get("env", {})}
        if "BASE_SHA" in step_env:
            step_env["BASE_SHA"] = base_sha  # ${{ github.event.pull_request.base.sha }}
        results[step["id"]] = done = run_step(step["run"], root, step_env)
        if step["id"] == "today":
            assert github_env.read_text() == f"CLAUSEWISE_TODAY={datetime.now(UTC).date().isoformat()}\n"
            # the rest of the run is judged on a fixed day, so that its findings are known
            env["CLAUSEWISE_TODAY"] = TODAY
        if step["id"] != "compare":
            assert done.returncode == 0, f"{step['id']}: {done.stdout}\n{done.stderr}"

    assert (root / "_build" / "html" / "index.html").is_file()
    assert repo.git.rev_parse("HEAD^1") == base_sha
    assert (runner / "base" / "procedures").exists() is False  # the base, without the change
    compared = results["compare"]
    assert compared.returncode == 1
    assert compared.stdout.splitlines() == [
        "::error file=procedures/reporting.md,line=5,title=clausewise unknown-owner::owner: 'ROLE-NOBODY' is not "
        "a role in the handbook; expected one of: ROLE-OWNER",
    ]
    assert summary.read_text().splitlines()[2:4] == [
        "Judged as of 2026-11-23. The base branch has 2 findings, this change has 3 findings: "
        "**1 new** (1 error, 0 warnings, 0 info), **0 resolved**.",
        "",
    ]
    assert summary.read_text().splitlines()[-1] == (
        "| error | unknown-owner | procedures/reporting.md:5 | owner: 'ROLE-NOBODY' is not a role in the handbook; "
        "expected one of: ROLE-OWNER |"
    )


def test_pre_commit_manifest_and_config_are_valid() -> None:
    for command, path in [
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ]:
        done = subprocess.run(
            [tool("pre-commit"), command, path], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), path


def test_pre_commit_hooks_run_clausewise_check() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    offered = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in offered] == ["clausewise-check", "clausewise-codeowners"]
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    [local] = config["repos"]
    ours = {h["id"]: h for h in local["hooks"]}
    assert sorted(ours) == ["clausewise-check", "clausewise-codeowners", "mypy", "ruff-check", "ruff-format"]
    for hook in [offered[1], ours["clausewise-codeowners"]]:
        assert (hook["entry"], hook["pass_filenames"]) == ("clausewise codeowners --check", False)
        for path in ["policies/x.md", "docs/roles/r.md", ".github/CODEOWNERS"]:
            assert re.search(hook["files"], path), path
        assert not re.search(hook["files"], "conf.py")
    for hook, language in [(offered[0], "python"), (ours["clausewise-check"], "system")]:
        assert hook["entry"] == "clausewise check"
        assert hook["entry"].split()[0] in scripts
        assert scripts["clausewise"] == "clausewise.cli:main"
        assert (hook["language"], hook["pass_filenames"]) == (language, False)
        for path in ["policies/x.md", "records/a/2026-01.md", "conf.py", "catalogue.yaml", "x.yml"]:
            assert re.search(hook["files"], path), path
        assert not re.search(hook["files"], "docs/_static/favicon.svg")


def test_pull_request_fails_on_a_stale_codeowners(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(github='"@acme/owners"')})
    [step] = [s for s in steps(workflow("pull-request.yml")) if s.get("id") == "codeowners"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    assert run_step(step["run"], root, env).returncode == 0  # no CODEOWNERS: nothing to keep up to date
    assert subprocess.run([*CLAUSEWISE, "codeowners"], cwd=root, check=False).returncode == 0
    assert run_step(step["run"], root, env).returncode == 0
    (root / "roles" / "owner.md").write_text(role(github='"@acme/new-owners"'))
    stale = run_step(step["run"], root, env)
    assert stale.returncode == 1
    assert stale.stderr.splitlines()[0] == (
        "clausewise: .github/CODEOWNERS is out of date: run 'clausewise codeowners' and commit it"
    )
    assert [line for line in stale.stderr.splitlines() if line.startswith(("-/", "+/"))] == [
        "-/roles/owner.md @acme/owners",
        "+/roles/owner.md @acme/new-owners",
    ]
