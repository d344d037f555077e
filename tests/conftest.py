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
    """The sample handbook replayed by ``clausewise demo`` into a repository whose history is the one
    its metadata describes (documents created, changed and reviewed on their dates, records committed
    on their produced dates), built fresh once per session. The repository's own history is the tool's
    development: every sample page changed on the day the tool did, which says nothing of the sample."""
    from clausewise.cli.demo import replay_into

    replayed = replay_into(ROOT, tmp_path_factory.mktemp("sample") / "handbook")
    return build(replayed.repository, fresh=True, today="2026-11-23")


@pytest.fixture(scope="session")
def sample_auditor_build(sample_build: Build) -> Build:
    """The same clone of the sample built for the audience auditor, into a folder
    (and doctrees) of its own beside the staff build."""
    outdir = sample_build.srcdir / "_build" / "auditor" / "html"
    return build(
        sample_build.srcdir, fresh=True, today="2026-11-23", overrides={"clausewise_audience": "auditor"}, outdir=outdir
    )
