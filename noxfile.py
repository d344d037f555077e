"""Sessions for building, previewing and testing the handbook.

python3 -m nox -s docs         # build the staff handbook into _build/html
python3 -m nox -s docs-auditor # build the auditor's handbook into _build/auditor (never publish it for staff)
python3 -m nox -s serve        # live preview at http://127.0.0.1:8000
python3 -m nox -s lint tests   # what CI runs
python3 -m nox -s fuzz         # fuzz front matter, catalogues and id patterns, 60 s each (-- SECONDS)
python3 -m nox -s demo         # the sample replayed with a real history into _build/demo-repo, built into _build/demo
"""

from __future__ import annotations

import shutil

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["docs"]

PYTHON = "3.11"
# doctrees stay out of the output folder: they hold every page as read, and are not published
SPHINX = ["-m", "sphinx", "-b", "html", "-j", "auto"]


def _audience(name: str) -> dict[str, str]:
    """The audience of a build, as the environment variable that wins over conf.py and the shell."""
    return {"CLAUSEWISE_AUDIENCE": name}


#: Where the sessions below replay the sample before they build it (see _sample_repository).
SAMPLE_REPOSITORY = "_build/sample-repo"


def _sample_repository(session: nox.Session) -> str:
    """The sample handbook replayed into a git repository whose history is the one its metadata
    describes (clausewise demo), and that repository's folder. This repository's own history is
    the tool's development (every page committed long after the reviews it records, by the
    tool's maintainers, without approvals): built in place, the sample would report that history
    rather than its own. The files are this working tree's, edits not yet committed included."""
    shutil.rmtree(SAMPLE_REPOSITORY, ignore_errors=True)
    session.run("clausewise", "demo", SAMPLE_REPOSITORY, silent=True)
    return SAMPLE_REPOSITORY


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the sample's staff handbook, with its own history, into _build/html (findings in
    _build/html/clausewise/)."""
    session.install("-e", ".")
    source = _sample_repository(session)
    session.run(
        "python", *SPHINX, "-d", "_build/doctrees", source, "_build/html", *session.posargs, env=_audience("staff")
    )


@nox.session(name="docs-auditor", python=PYTHON)
def docs_auditor(session: nox.Session) -> None:
    """Build the sample's auditor handbook, confidential pages included, into _build/auditor."""
    session.install("-e", ".")
    source = _sample_repository(session)
    session.run(
        "python", *SPHINX, "-d", "_build/doctrees-auditor", source, "_build/auditor", *session.posargs,
        env=_audience("auditor"),
    )  # fmt: skip


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Live preview: rebuilds on every save."""
    session.install("-e", ".[dev]")
    session.run(
        "sphinx-autobuild", ".", "_build/html", "-d", "_build/doctrees", "--watch", "ext",
        "--ignore", "_build", "--ignore", ".nox", "--ignore", "tests", *session.posargs, env=_audience("staff"),
    )  # fmt: skip


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite; pytest's 'no tests collected' (exit 5) fails the session."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs, success_codes=[0])


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff over the extension, the tests and the build files; mypy over the extension."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Speed and memory of builds of a generated handbook, as ratios against its bare sphinx-needs
    and plain MyST twins and its own full build, in one run: nox -s bench -- --docs 1000 --runs 3."""
    session.install("-e", ".[test]")
    session.run("python", "tests/bench/bench_build.py", *session.posargs)


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Coverage-guided fuzzing (atheris) of the readers of hostile files, for a bounded time
    per target: nox -s fuzz -- 300. Not part of CI; the seeds run as tests (test_fuzz_seeds.py)."""
    session.install("-e", ".[fuzz]")
    seconds = session.posargs[0] if session.posargs else "60"
    if not seconds.isdigit():
        session.error(f"expected the seconds to fuzz each target for, e.g. nox -s fuzz -- 300; got {seconds!r}")
    # the targets of tests/fuzz/targets.py, each with its corpus in tests/fuzz/corpus/<target>/
    targets = session.run("python", "tests/fuzz/run.py", "--targets", silent=True)
    for target in str(targets).split():
        session.run("python", "tests/fuzz/run.py", target, seconds)


@nox.session(name="audit-pack", python=PYTHON)
def audit_pack(session: nox.Session) -> None:
    """One zip for an auditor: _build/audit-pack.zip (the auditor's HTML, exports, findings, manifest)."""
    session.install("-e", ".")
    session.run("clausewise", "audit-pack", *session.posargs)


@nox.session(name="as-of", python=PYTHON)
def as_of(session: nox.Session) -> None:
    """The handbook as it stood on a date: nox -s as-of -- 2026-03-15."""
    session.install("-e", ".")
    session.run("clausewise", "as-of", *session.posargs)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The sample replayed into a new git repository whose history matches its metadata
    (_build/demo-repo, the same commit ids every run), built into _build/demo; then
    nox -s as-of -- 2026-03-15 --handbook _build/demo-repo shows it as it stood that day."""
    session.install("-e", ".")
    # a fresh replay every time: `clausewise demo` writes only into a new or empty folder
    for folder in ("_build/demo-repo", "_build/demo"):
        shutil.rmtree(folder, ignore_errors=True)
    session.run("clausewise", "demo", "_build/demo-repo", "--html", "_build/demo", *session.posargs)


@nox.session(python=PYTHON)
def pdf(session: nox.Session) -> None:
    """The handbook's documents as one PDF: _build/pdf/handbook.pdf (needs Pango: apt-get install libpango-1.0-0)."""
    session.install("-e", ".[pdf]")
    session.run("clausewise", "pdf", *session.posargs)
