"""Build real handbooks in temporary folders with real Sphinx, for the tests.

A test describes a handbook as files (path -> text), builds it with Sphinx
in-process, and reads back exactly what a user would: ``findings.json``, the
warnings Sphinx printed, and the HTML pages.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from clausewise.pipeline.assembly import HandbookInput
from clausewise.sphinxext.events import handbook_input
from git import Repo
from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace, patch_docutils

nocolor()

DATA = Path(__file__).parent / "data"
TODAY = "2026-11-23"

CONF = """\
extensions = ["clausewise"]
project = "Test handbook"
root_doc = "index"
exclude_patterns = ["_build"]
clausewise_catalogue = "mini-catalogue.yaml"
"""

INDEX = """\
# Test handbook

```{toctree}
:glob:

*/*
```
"""

CLAUSES_PAGE = """\
# Clauses

```{clause-catalogue}
```
"""

MATRIX_PAGE = """\
# Matrix

```{traceability-matrix}
```
"""


def role(role_id: str = "ROLE-OWNER", title: str = "Owner", **overrides: str | None) -> str:
    return governed(role_id, "role", title, **{"owner": role_id, "satisfies": "[2]", **overrides})


def governed(doc_id: str, doc_type: str, title: str, body: str = "Text.\n", **overrides: str | None) -> str:
    """A governed document whose front matter has one key per line, in a fixed order.

    Line numbers are predictable: line 1 is '---', then id (2), type (3), title (4),
    owner (5), status (6), version (7), effective (8), reviewed (9),
    classification (10), satisfies (11), then any extra keys in ``overrides`` order.
    A value of None in ``overrides`` drops the key.
    """
    fields: dict[str, str | None] = {
        "id": doc_id,
        "type": doc_type,
        "title": title,
        "owner": "ROLE-OWNER",
        "status": "approved",
        "version": '"1.0"',
        "effective": "2026-01-01",
        "reviewed": "2026-06-01",
        "classification": "internal",
        "satisfies": "[1.1]",
    }
    fields.update(overrides)
    lines = ["---"] + [f"{k}: {v}" for k, v in fields.items() if v is not None] + ["---", "", body]
    return "\n".join(lines)


def record(record_id: str, record_type: str, period: str, **overrides: str) -> str:
    fields: dict[str, str | None] = {
        "id": record_id,
        "type": "record",
        "title": f"Record {period}",
        "record_type": record_type,
        "period": period,
        "produced": "2026-10-05",
        "produced_by": "A. Person",
        "classification": "internal",
    }
    fields.update(overrides)
    lines = ["---"] + [f"{k}: {v}" for k, v in fields.items() if v is not None] + ["---", "", "Record text.", ""]
    return "\n".join(lines)


@dataclass
class Warning:
    path: str
    line: int | None
    level: str
    message: str
    kind: str  # e.g. "clausewise.invalid-metadata"


_WARNING = re.compile(r"^(?:(?P<loc>.*?): )?(?P<level>WARNING|ERROR): (?P<msg>.*?)(?: \[(?P<kind>[\w.-]+)\])?$")


@dataclass
class Build:
    srcdir: Path
    outdir: Path
    warnings: list[Warning]
    raw_warnings: str
    #: what the build handed ``assembly.assemble``: pages, catalogue pages, dependencies
    given: HandbookInput | None = None

    @property
    def report(self) -> dict[str, Any]:
        return json.loads((self.outdir / "clausewise" / "findings.json").read_text())

    @property
    def findings(self) -> list[tuple[str, str, int, str]]:
        """(code, path, line, id) of every finding in findings.json."""
        return [(f["code"], f["path"], f["line"], f["id"]) for f in self.report["findings"]]

    def clausewise_warnings(self) -> list[Warning]:
        return [w for w in self.warnings if w.kind.startswith("clausewise.")]

    def other_warnings(self) -> list[Warning]:
        return [w for w in self.warnings if not w.kind.startswith("clausewise.")]

    def page_text(self, docname: str) -> str:
        """The visible text of a built page's main content, whitespace folded."""
        page = (self.outdir / f"{docname}.html").read_text()
        main = re.search(r'<article[^>]*role="main"[^>]*>(.*?)</article>', page, re.S)
        body = main.group(1) if main else page
        body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", body))
        return " ".join(text.split())

    def page_html(self, docname: str) -> str:
        return (self.outdir / f"{docname}.html").read_text()


#: When write_handbook commits the files it writes, unless told otherwise.
FIRST_COMMIT = "2026-07-01T09:00:00+00:00"
AUTHOR = ("Ann Owner", "ann@example.org")


def git_repo(root: Path) -> Repo:
    """The repository at ``root``, created (with a fixed author) if there is none."""
    if (root / ".git").exists():
        return Repo(root)
    repo = Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", AUTHOR[0])
        config.set_value("user", "email", AUTHOR[1])
        config.set_value("commit", "gpgsign", "false")
    (root / ".gitignore").write_text("_build/\n")
    return repo


def commit(
    root: Path,
    message: str,
    when: str,
    files: dict[str, str] | None = None,
    *,
    author: tuple[str, str] | None = None,
    remove: tuple[str, ...] = (),
) -> str:
    """Write ``files``, remove ``remove``, and commit everything at ``when``
    (ISO 8601, via GIT_AUTHOR_DATE and GIT_COMMITTER_DATE). Returns the sha."""
    repo = git_repo(root)
    for path, text in (files or {}).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for path in remove:
        repo.git.rm(path)
    repo.git.add(A=True)
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    if author is not None:
        env |= {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1]}
    with repo.git.custom_environment(**env):
        repo.git.commit("--allow-empty", "-m", message)
    return repo.head.commit.hexsha


def write_handbook(
    root: Path, files: dict[str, str], conf_extra: str = "", *, git: bool = True, when: str = FIRST_COMMIT
) -> Path:
    """A handbook at ``root``: the base files plus ``files``, committed at ``when``
    into a new git repository (unless ``git`` is false)."""
    root.mkdir(parents=True, exist_ok=True)
    base = {
        "conf.py": CONF + textwrap.dedent(conf_extra),
        "index.md": INDEX,
        "mini-catalogue.yaml": (DATA / "mini-catalogue.yaml").read_text(),
        "pages/clauses.md": CLAUSES_PAGE,
        "pages/matrix.md": MATRIX_PAGE,
    }
    for path, text in {**base, **files}.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if git:
        commit(root, "Start the handbook", when)
    return root


def build(
    srcdir: Path,
    *,
    today: str = TODAY,
    builder: str = "html",
    parallel: int = 1,
    fresh: bool = False,
    overrides: dict[str, Any] | None = None,
    outdir: Path | None = None,
) -> Build:
    """One real Sphinx build of ``srcdir``; incremental unless ``fresh``."""
    outdir = outdir or srcdir / "_build" / builder
    doctrees = outdir.parent / f".doctrees-{builder}"
    warnings = StringIO()
    # as sphinx-build does: each build gets its own docutils registry
    with patch_docutils(srcdir), docutils_namespace():
        app = Sphinx(
            srcdir,
            srcdir,
            outdir,
            doctrees,
            builder,
            confoverrides={"clausewise_today": today, **(overrides or {})},
            status=StringIO(),
            warning=warnings,
            freshenv=fresh,
            parallel=parallel,
        )
        app.build()
        given = handbook_input(app.env)
    raw = warnings.getvalue()
    parsed = []
    for line in raw.splitlines():
        m = _WARNING.match(line.strip())
        if not m:
            continue
        loc = m.group("loc") or ""
        path, _, lineno = loc.rpartition(":")
        if not lineno.isdigit():
            path, lineno = loc, ""
        try:
            rel = Path(path).relative_to(srcdir).as_posix()
        except ValueError:
            rel = path
        parsed.append(
            Warning(rel, int(lineno) if lineno else None, m.group("level"), m.group("msg"), m.group("kind") or "")
        )
    return Build(srcdir, outdir, parsed, raw, given)


def run_clausewise(
    *args: str | Path, cwd: Path | None = None, today: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The ``clausewise`` command in a child process, as an owner runs it, in ``cwd``:
    with ``CLAUSEWISE_TODAY`` only when ``today`` is given, never the test shell's."""
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    if today is not None:
        env["CLAUSEWISE_TODAY"] = today
    return subprocess.run(
        [sys.executable, "-m", "clausewise.cli", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


def ok(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines a command printed, after checking that it succeeded."""
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """What a command said on refusing (exit code 2)."""
    assert done.returncode == 2, done.stdout
    return done.stderr.strip()
