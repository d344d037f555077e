"""``clausewise init``: a new handbook in its own repository, with clausewise as a pinned package.

Each variant is written into a temporary folder, committed with a dated commit,
checked with ``clausewise check`` (no finding at all) and built with a real
``sphinx -W`` (no warning at all); one test does it with clausewise installed
as a package into a virtualenv, so that the templates are proven to be package data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from clausewise._version import __version__
from clausewise.authoring import starter
from clausewise.cli.main import run
from clausewise.core.settings import settings
from clausewise.sources import catalogue
from handbook import commit
from test_repository_automation import tool

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ext" / "clausewise"
TODAY = "2026-11-23"
#: the files every new handbook has, whatever its catalogues and forge
COMMON = [
    ".gitignore",
    ".pre-commit-config.yaml",
    "audit/clauses.md",
    "audit/dashboard.md",
    "audit/matrix.md",
    "audit/reviews.md",
    "conf.py",
    "guide/editing.md",
    "guide/findings.md",
    "guide/index.md",
    "guide/metadata.md",
    "guide/settings.md",
    "index.md",
    "noxfile.py",
    "policies/implementation-plan.md",
    "policies/index.md",
    "policies/management-system-policy.md",
    "procedures/index.md",
    "procedures/internal-audit.md",
    "records/index.md",
    "requirements.txt",
    "roles/index.md",
    "roles/sms-manager.md",
]
GITHUB = [".github/workflows/pages.yml", ".github/workflows/pull-request.yml"]
SOA = "audit/statement-of-applicability.md"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command runs from the test's folder, as a person runs it from theirs."""
    monkeypatch.chdir(tmp_path)


def files_of(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not {".git", "_build"} & set(p.relative_to(folder).parts)
    )


def next_steps(shown: str, count: int) -> str:
    return (
        f"Wrote a new handbook in {shown}: {count} files, clausewise=={__version__} pinned "
        f"in requirements.txt and .pre-commit-config.yaml.\n"
        "Next:\n"
        "  1. Put it under git, with everything in the first commit (review dates count from it):\n"
        f"       cd {shown}\n"
        "       git init\n"
        "       git add -A\n"
        '       git commit -m "Start the handbook"\n'
        "  2. Check it and build it (both install clausewise from requirements.txt):\n"
        "       python3 -m pip install nox\n"
        "       python3 -m nox -s check\n"
        "       python3 -m nox -s docs\n"
        "  3. Replace the examples with your documents: clausewise new --help, and guide/ in the handbook.\n"
    )


def init(tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str, name: str = "handbook") -> tuple[Path, str]:
    """``clausewise init`` run from ``tmp_path``; the new folder and what it printed."""
    assert run(["init", name, "--organisation", "Example Ltd", "--today", TODAY, *options]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return tmp_path / name, out


def check(folder: Path, today: str = TODAY, python: str = sys.executable, env: dict[str, str] | None = None) -> Any:
    done = subprocess.run(
        [python, "-m", "clausewise.cli", "--handbook", str(folder), "check", "--today", today, "--format", "json"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    return json.loads(done.stdout)


def sphinx_w(folder: Path, today: str = TODAY) -> None:
    """A real build with warnings as errors, as a person runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", ".", "_build/html"],
        cwd=folder, capture_output=True, text=True, check=False, env={**os.environ, "CLAUSEWISE_TODAY": today},
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")


def test_github_handbook_for_one_standard_checks_clean_and_builds_with_w(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = init(tmp_path, capsys, "--catalogue", "iso20000-1-2018")
    assert files_of(folder) == sorted(COMMON + GITHUB)
    assert out == next_steps("handbook", len(COMMON + GITHUB))
    commit(folder, "Start the handbook", f"{TODAY}T10:00:00")
    assert check(folder) == {"today": TODAY, "findings": [], "summary": {}}
    sphinx_w(folder)
    assert not (folder / "_build/html/audit/statement-of-applicability.html").exists()
    matrix = (folder / "_build/html/audit/matrix.html").read_text(encoding="utf-8")
    assert "POL-001" in matrix and "PRC-001" in matrix
    for name in GITHUB:
        done = subprocess.run(
            [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(folder / name)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done"), done.stderr


def test_a_handbook_stays_clean_when_committed_and_checked_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first commit may come days after init, the first check weeks after
    (the record type's first period lasts 12 months, reviews 12 months)."""
    folder, _ = init(tmp_path, capsys)
    commit(folder, "Start the handbook", "2026-11-27T09:00:00")
    assert check(folder, today="2026-12-31")["findings"] == []
    assert check(folder, today="2027-10-01")["findings"] == []


def test_two_standards_have_a_statement_of_applicability_and_plan_every_gap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = init(tmp_path, capsys, "--catalogue", "iso20000-1-2018", "iso27001-2022")
    assert files_of(folder) == sorted([*COMMON, *GITHUB, SOA])
    assert out == next_steps("handbook", len(COMMON + GITHUB) + 1)
    plan = (folder / "policies/implementation-plan.md").read_text(encoding="utf-8")
    # every leaf clause but those the examples satisfy: bare numbers of the first, KEY:NUMBER of the second
    first, second = catalogue.load_all(["iso20000-1-2018", "iso27001-2022"], folder)[0]
    gaps = starter.known_gaps([first, second], ["5.3", "5.2", "9.2"])
    assert re.findall(r"^  - clause: (\S+)$", plan, flags=re.MULTILINE) == gaps
    assert "  - clause: 8.1\n" in plan and "  - clause: 27001:A.5.1\n" in plan
    assert "  - clause: 9.2\n" not in plan and "  - clause: 27001:A.5\n" not in plan
    assert "  - clause: 27001:9.2.1\n" in plan
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert "audit/matrix\naudit/reviews\naudit/clauses\naudit/statement-of-applicability\n```" in index
    commit(folder, "Start the handbook", f"{TODAY}T10:00:00")
    assert check(folder)["findings"] == []
    sphinx_w(folder)
    soa = (folder / "_build/html/audit/statement-of-applicability.html").read_text(encoding="utf-8")
    assert "A.5.1" in soa


def test_gitlab_handbook_has_a_pipeline_with_a_code_quality_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = init(tmp_path, capsys, "--forge", "gitlab")
    assert files_of(folder) == sorted([*COMMON, ".gitlab-ci.yml"])
    assert out == next_steps("handbook", len(COMMON) + 1)
    pipeline = yaml.safe_load((folder / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert pipeline["stages"] == ["check", "build", "deploy"]
    assert {k for k in pipeline if k not in ("image", "variables", "cache", "stages")} == {"check", "build", "pages"}
    assert pipeline["variables"]["GIT_DEPTH"] == "0"
    assert pipeline["check"]["script"] == ["clausewise check --format gitlab > gl-code-quality-report.json"]
    assert pipeline["check"]["artifacts"] == {
        "when": "always",
        "reports": {"codequality": "gl-code-quality-report.json"},
    }
    assert pipeline["build"]["script"] == ["python -m sphinx -b html -d _build/doctrees . _build/html"]
    assert pipeline["build"]["variables"] == {"CLAUSEWISE_AUDIENCE": "staff"}
    assert pipeline["pages"]["needs"] == ["build"]
    assert pipeline["pages"]["artifacts"] == {"paths": ["public"]}
    for job in ("check", "build"):
        assert pipeline[job]["before_script"] == ["python -m pip install -r requirements.txt"]
    commit(folder, "Start the handbook", f"{TODAY}T10:00:00")
    assert check(folder)["findings"] == []
    sphinx_w(folder)


def test_clausewise_is_pinned_as_a_package_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = init(tmp_path, capsys)
    requirements = (folder / "requirements.txt").read_text(encoding="utf-8")
    assert [line for line in requirements.splitlines() if not line.startswith("#")] == [f"clausewise=={__version__}"]
    for name in files_of(folder):
        text = (folder / name).read_text(encoding="utf-8")
        assert "-e ." not in text and "--editable" not in text, name
        assert "@@" not in text, name
    for name in GITHUB:
        installs = [s["run"] for s in _steps(folder / name) if s.get("name") == "Install clausewise"]
        # pages.yml installs it twice: to record the approvals, and to build
        assert installs == ["python -m pip install -r requirements.txt"] * (2 if name.endswith("pages.yml") else 1)
    nox = (folder / "noxfile.py").read_text(encoding="utf-8")
    assert nox.count('session.install("-r", "requirements.txt")') == 3  # check, docs, docs-auditor
    # the hook is this repository's clausewise-check, installed by pre-commit at the pinned version
    (ours,) = [
        h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "clausewise-check"
    ]
    (repo,) = yaml.safe_load((folder / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook == {**ours, "additional_dependencies": [f"clausewise=={__version__}"]}


def _steps(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_conf_py_writes_out_every_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = init(tmp_path, capsys, "--catalogue", "iso9001-2015")
    text = (folder / "conf.py").read_text(encoding="utf-8")
    values: dict[str, Any] = {}
    exec(compile(text, "conf.py", "exec"), values)
    written = {k: v for k, v in values.items() if k.startswith("clausewise_")}
    defaults = {name: spec.default for name, spec in settings()}
    assert written == defaults | {
        "clausewise_organisation": "Example Ltd",
        "clausewise_catalogues": ["iso9001-2015"],
        "clausewise_governed_paths": ["policies/", "procedures/", "roles/", "records/"],
        "clausewise_sms_start": TODAY,
        "clausewise_fail_on": "error",
    }
    # each setting under its help
    assert (
        "# The organisation's name, shown in calendars and exports.\nclausewise_organisation = 'Example Ltd'\n" in text
    )
    assert values["project"] == "Example Ltd — Management system handbook"
    assert values["extensions"] == ["clausewise"]


@pytest.mark.parametrize("name", catalogue.bundled_names())
def test_every_bundled_catalogue_can_start_a_handbook(name: str) -> None:
    loaded = catalogue.load_all([name], ROOT)[0]
    files = starter.handbook_files("Example Ltd", loaded, [name], starter.Forge.GITHUB, date(2026, 11, 23), "9.9")
    assert [f.path for f in files] == sorted(COMMON + GITHUB + ([SOA] if loaded[0].excludable else []))


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.md").write_text("mine\n")
    assert run(["init", "taken", "--organisation", "Example Ltd"]) == 2
    assert capsys.readouterr().err == (
        "clausewise: taken is not empty: clausewise init writes a new handbook only into a new or empty folder\n"
    )
    assert files_of(tmp_path / "taken") == ["notes.md"]
    (tmp_path / "file").write_text("x\n")
    assert run(["init", "file", "--organisation", "Example Ltd"]) == 2
    assert capsys.readouterr().err == "clausewise: file is a file, not a folder: give a new or empty folder\n"
    # an empty folder is fine
    (tmp_path / "empty").mkdir()
    assert run(["init", "empty", "--organisation", "Example Ltd", "--today", TODAY]) == 0
    assert files_of(tmp_path / "empty") == sorted(COMMON + GITHUB)


def test_init_refuses_bad_catalogues_and_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["init", "hb", "--organisation", "Example Ltd", "--catalogue", "iso20000-1-2018", "iso2700"]) == 2
    assert capsys.readouterr().err == (
        "clausewise: --catalogue iso2700: not a bundled catalogue; bundled: "
        "iso20000-1-2018, iso27001-2022, iso9001-2015\n"
    )
    assert run(["init", "hb", "--organisation", "Example Ltd", "--catalogue", "iso9001-2015", "iso9001-2015"]) == 2
    assert capsys.readouterr().err == "clausewise: --catalogue iso9001-2015 iso9001-2015: each catalogue once\n"
    assert run(["init", "hb", "--organisation", "  "]) == 2
    assert capsys.readouterr().err == (
        "clausewise: --organisation is empty: give the organisation's name, e.g. --organisation 'Example Ltd'\n"
    )
    assert run(["init", "hb", "--organisation", "Example\x07Ltd"]) == 2
    assert capsys.readouterr().err == (
        "clausewise: --organisation 'Example\\x07Ltd': a name without control characters, e.g. 'Example Ltd'\n"
    )
    assert not (tmp_path / "hb").exists()


def test_no_file_of_the_package_names_the_sample_organisation() -> None:
    named = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and b"fernhill" in p.read_bytes().lower()
    ]
    assert named == []


def test_init_and_check_with_clausewise_installed_as_a_package(tmp_path: Path) -> None:
    """Not this checkout on PYTHONPATH: a non-editable install of it into a new
    virtualenv, whose ``clausewise`` writes and checks a handbook."""
    venv = tmp_path / "venv"
    # --system-site-packages reaches the base interpreter's packages only; the
    # test environment's (Sphinx, sphinx-needs, and setuptools to build with)
    # are added by a .pth file, after the venv's own site-packages
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    (site,) = (venv / "lib").glob("python*/site-packages")
    (site / "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLAUSEWISE_TODAY")}
    if int(metadata.version("setuptools").split(".")[0]) < 69:
        # pyproject.toml's build-system needs setuptools>=69 (its license is an SPDX string)
        upgraded = subprocess.run(
            [python, "-m", "pip", "install", "-q", "setuptools>=69"],
            capture_output=True, text=True, check=False, env=env,
        )  # fmt: skip
        assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    # a copy of what the package is built from: building in place would leave build/ in the checkout
    source = tmp_path / "source"
    shutil.copytree(ROOT / "ext", source / "ext", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    installed = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(source)],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = subprocess.run(
        [python, "-c", "import clausewise; print(clausewise.__file__)"],
        capture_output=True, text=True, check=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(site)
    clausewise = str(venv / "bin" / "clausewise")
    done = subprocess.run(
        [clausewise, "init", "hb", "--organisation", "Example Ltd", "--today", TODAY, "--forge", "gitlab"],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert (done.returncode, done.stderr, done.stdout) == (0, "", next_steps("hb", len(COMMON) + 1))
    assert files_of(tmp_path / "hb") == sorted([*COMMON, ".gitlab-ci.yml"])
    commit(tmp_path / "hb", "Start the handbook", f"{TODAY}T10:00:00")
    checked = subprocess.run(
        [clausewise, "check", "--today", TODAY],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path / "hb",
    )  # fmt: skip
    assert (checked.returncode, checked.stderr, checked.stdout) == (0, "", f"No findings (today is {TODAY}).\n")


def test_a_name_with_quotes_escapes_and_markup_is_text_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The name goes into conf.py as a Python string and into the pages as text: never code, markup or HTML."""
    name = 'Acme """ \\N <b>Bold</b> [x](http://e.example) *Ltd*'
    assert run(["init", "hb", "--organisation", name, "--today", TODAY]) == 0
    capsys.readouterr()
    folder = tmp_path / "hb"
    commit(folder, "Start the handbook", f"{TODAY}T10:00:00")
    assert check(folder)["findings"] == []
    sphinx_w(folder)
    page = (folder / "_build" / "html" / "index.html").read_text()
    assert "&lt;b&gt;Bold&lt;/b&gt; [x](http://e.example) *Ltd*" in page
    assert "<b>Bold</b>" not in page and 'href="http://e.example"' not in page


def test_init_into_a_folder_under_a_file_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("x\n")
    assert run(["init", "afile/sub", "--organisation", "Example Ltd", "--today", TODAY]) == 2
    err = capsys.readouterr().err
    assert err.startswith("clausewise: cannot write the new handbook into afile/sub: Not a directory (afile/sub")
    assert err.endswith("; choose a folder you can write to\n") and "Traceback" not in err
