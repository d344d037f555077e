"""``clausewise demo DIR``: a handbook replayed into a new git repository with the
history its own metadata describes, and optionally built.

The plan (which commits, when, by whom, with what text) is made by
:mod:`clausewise.authoring.replay` from the pages alone; this module writes it,
and is the one place besides :mod:`clausewise.sources.gitlog` (which reads the
history of a build) that runs git. It writes a new repository and nothing
else, with ``git fast-import``: one process for the whole history, every
author, committer and date given in the stream, so the same handbook gives the
same commit ids on every machine and every run, whatever the clock, the
user's git configuration or the environment's ``GIT_*`` dates say.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clausewise.authoring import replay
from clausewise.cli import builds
from clausewise.cli.common import Command, Subcommands, UsageError, described, read_sources, today_option
from clausewise.core.history import APPROVALS_REF, ApprovalSource, ReviewApproval, approval_note_text
from clausewise.sphinxext import scan

#: The demo repository's branch: the main line.
MAIN = "refs/heads/main"
#: Where each pull request's branch is made before it is merged; deleted once all are
#: merged, as a forge deletes a merged branch (its commits stay, as the merges' second parents).
BRANCH = "refs/replay/pull-request"
#: Written at the start unless the handbook has its own.
GITIGNORE = b"_build/\n"
#: What git must not take from the environment: the repository is the one we write.
GIT_ENVIRONMENT = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE")


@dataclass(frozen=True)
class Replayed:
    """What ``clausewise demo`` wrote."""

    repository: Path
    head: str
    steps: tuple[replay.Step, ...]

    @property
    def pull_requests(self) -> int:
        return sum(1 for s in self.steps if s.pull_request is not None)


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in GIT_ENVIRONMENT}
    done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, env=env, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git {args[0]} failed in {cwd}: {message}")
    return done.stdout.decode("utf-8", "replace").strip()


def _signature(who: replay.Person, when: datetime) -> bytes:
    return f"{who.name} <{who.email}> {int(when.timestamp())} +0000".encode()


def _data(content: bytes) -> Iterator[bytes]:
    yield b"data %d\n" % len(content)
    yield content
    yield b"\n"


def _path(path: str) -> bytes:
    # fast-import reads a path to the end of the line unless it is C-quoted
    quoted = any(c in path for c in '"\\\n') or path.startswith(" ")
    return (json.dumps(path, ensure_ascii=False) if quoted else path).encode()


def _commit(
    ref: str, mark: int, author: bytes, committer: bytes, message: str, parents: list[int], files: replay.Files
) -> Iterator[bytes]:
    yield f"commit {ref}\nmark :{mark}\n".encode()
    yield b"author " + author + b"\ncommitter " + committer + b"\n"
    yield from _data(message.encode())
    for i, parent in enumerate(parents):
        yield f"{'from' if i == 0 else 'merge'} :{parent}\n".encode()
    for path, content in files:
        yield b"M 100644 inline " + _path(path) + b"\n"
        yield from _data(content)
    yield b"\n"


def stream(steps: tuple[replay.Step, ...]) -> bytes:
    """The ``git fast-import`` stream of the whole history: a direct step is one commit on
    the main line; a pull request is its branch's commit (by its author, when it was
    opened) and the merge commit (``--no-ff``: by its author, committed by the forge,
    with the approvals as trailers); then one commit on the approvals' notes ref with
    each merge commit's note, as the workflow records them (the trailers stay: they are
    what a forge without the workflow leaves, and a name both give is listed once)."""
    out: list[bytes] = []
    notes: list[tuple[int, str]] = []  # (the merge commit's mark, its approvals' note)
    mark, tip = 0, 0
    for step in steps:
        pr = step.pull_request
        parents = [tip] if tip else []
        if pr is None:
            mark += 1
            signed = _signature(step.author, step.when)
            out += _commit(MAIN, mark, signed, signed, step.message, parents, step.files)
        else:
            mark += 1
            branch, opened = mark, _signature(step.author, pr.opened)
            out += _commit(BRANCH, branch, opened, opened, step.summary + "\n", parents, step.files)
            mark += 1
            forge = _signature(replay.Person(*replay.FORGE), step.when)
            out += _commit(MAIN, mark, _signature(step.author, step.when), forge, step.message, [tip, branch],
                           step.files)  # fmt: skip
            if pr.approvals:
                notes.append((mark, note_of(step)))
        tip = mark
    if notes:
        # one commit on the notes ref holds every merge's note, made by the forge after the last merge
        mark += 1
        last = _signature(replay.Person(*replay.FORGE), steps[-1].when)
        out.append(f"commit {APPROVALS_REF}\nmark :{mark}\n".encode())
        out.append(b"author " + last + b"\ncommitter " + last + b"\n")
        out += _data(b"Approvals of the merged pull requests\n")
        for merge, text in notes:
            out.append(f"N inline :{merge}\n".encode())
            out += _data(text.encode())
        out.append(b"\n")
    return b"".join(out)


def login_of(person: replay.Person) -> str:
    """The forge login the demo gives a person (:attr:`clausewise.authoring.replay.Person.login`)."""
    return person.login


def note_of(step: replay.Step) -> str:
    """The approvals' git note of a pull request's merge commit, as the workflow writes one."""
    pr = step.pull_request
    assert pr is not None
    return approval_note_text(
        ReviewApproval(a.by.name, ApprovalSource.NOTE, login_of(a.by), a.at, pr.number,
                       replay.PULL_REQUEST_URL.format(number=pr.number), step.summary, login_of(step.author))
        for a in pr.approvals
    )  # fmt: skip


def replay_into(srcdir: Path, target: Path) -> Replayed:
    """Replay the handbook at ``srcdir`` into a new repository at ``target`` (a new or
    empty folder), its working tree checked out at the end of the history."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not an empty folder: the demo writes a new repository; remove it first")
    handbook = read_sources(srcdir, None)[0].handbook
    try:
        names = scan.handbook_files(srcdir)
    except scan.ScanError as exc:
        raise UsageError(str(exc)) from exc
    files = {name: (srcdir / name).read_bytes() for name in names}
    files.setdefault(".gitignore", GITIGNORE)
    steps = replay.plan(handbook, files)
    target.mkdir(parents=True, exist_ok=True)
    _git(target, "init", "--quiet", "--initial-branch=main")
    _git(target, "fast-import", "--quiet", "--done", stdin=stream(steps) + b"done\n")
    _git(target, "update-ref", "-d", BRANCH)
    _git(target, "reset", "--quiet", "--hard", "main")
    return Replayed(target, _git(target, "rev-parse", "HEAD"), steps)


def _declare(sub: Subcommands) -> None:
    demo = described(
        sub, "demo", "replay the handbook into a new git repository with the history its metadata describes",
        "Write a new git repository into DIR (new, or empty) whose history is the one the handbook's\n"
        "metadata describes: each document created by a pull request on or before its effective date,\n"
        "brought to its current version and reviewed on its 'reviewed:' dates through pull requests\n"
        "merged with an 'Approved-by:' trailer and an approval note (refs/notes/clausewise/approvals),\n"
        "each record committed on its 'produced:' date by the person who produced it, a record with\n"
        "a 'correction:' line corrected later. The same handbook\n"
        "gives the same commit ids every time. With --html, also build the repository's handbook.",
        "  clausewise demo _build/demo-repo\n"
        "  clausewise demo _build/demo-repo --html _build/demo\n"
        "  clausewise --handbook _build/demo-repo as-of 2026-03-15",
    )  # fmt: skip
    demo.add_argument("dir", type=Path, metavar="DIR", help="the new repository's folder: new, or empty")
    demo.add_argument("--html", type=Path, metavar="OUT", help="also build the replayed handbook's HTML into OUT")
    today_option(demo, "the day the --html build judges by (default: the handbook's today)")


def _run(args: argparse.Namespace) -> int:
    done = replay_into(args.handbook, args.dir)
    print(
        f"replayed {len(done.steps)} changes ({done.pull_requests} pull requests) into {args.dir}: "
        f"HEAD {done.head[:12]}"
    )
    if args.html is not None:
        builds.sphinx_build(args.dir, args.html, args.today)
        print(f"handbook of the replayed repository written to {args.html}")
    return 0


DEMO = Command("demo", _declare, _run)
