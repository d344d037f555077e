from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
# Sphinx in a child process colours its messages when the environment says so
# (nox sets FORCE_COLOR under CI); tests compare those messages as text
os.environ["NO_COLOR"] = "1"

from handbook import Build, build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The committed sample handbook: a full local clone of HEAD, built fresh once per session."""
    from git import Repo

    clone = tmp_path_factory.mktemp("sample") / "handbook"
    source = Repo(ROOT)
    cloned = source.clone(clone, no_local=False)
    # In a linked worktree, clone() copies the shared repository and checks out its HEAD:
    # the main worktree's branch. The sample under test is this checkout's commit.
    cloned.git.checkout("--detach", source.head.commit.hexsha)
    return build(clone, fresh=True, today="2026-11-23")


@pytest.fixture(scope="session")
def sample_auditor_build(sample_build: Build) -> Build:
    """The same clone of the sample built for the audience auditor, into a folder
    (and doctrees) of its own beside the staff build."""
    outdir = sample_build.srcdir / "_build" / "auditor" / "html"
    return build(
        sample_build.srcdir, fresh=True, today="2026-11-23", overrides={"clausewise_audience": "auditor"}, outdir=outdir
    )
