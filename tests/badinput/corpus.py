"""The machinery of the bad-input corpus: the valid handbook every case mutates,
the mutations, and the run of ``clausewise check`` and ``sphinx-build`` over it.

A case (see ``cases.py``) is a mutation of the handbook in ``handbook/`` and what
clausewise must say about it. Both readers run in child processes with a time
limit, so a crash or a hang fails the case, not the test run. Cases that only
add pages of their own (a mutated copy of one of the handbook's pages, with ids
of its own) share one handbook per group and one check and one build; a group
that crashes or hangs is run again case by case, so the failure names its case.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASE = Path(__file__).parent / "handbook"
#: When the handbook is committed (its records were produced before, its reviews on 2026-07-01).
BASE_COMMIT = "2026-11-10T09:00:00+00:00"
TODAY = "2026-11-23"
#: A check or build that takes longer has hung (a build takes 1-3 s).
TIME_LIMIT = 60
#: What no output may contain: Python's traceback, Sphinx's crash report.
CRASHES = ("Traceback", "Exception occurred", "The full traceback has been saved", "RecursionError")
AUTHOR = {"GIT_AUTHOR_NAME": "Ann Owner", "GIT_AUTHOR_EMAIL": "ann@example.org"}
COMMITTER = {"GIT_COMMITTER_NAME": "Ann Owner", "GIT_COMMITTER_EMAIL": "ann@example.org"}


def base_files() -> dict[str, bytes]:
    return {p.relative_to(BASE).as_posix(): p.read_bytes() for p in sorted(BASE.rglob("*")) if p.is_file()}


#: Pages that only cases copy (``Handbook.copy``): not part of the base handbook, so that its tree, and
#: so every commit id a case's message names, stays the same when a kind of page is added.
EXTRA = Path(__file__).parent / "extra"


def base_text(path: str) -> str:
    """A page of the base handbook, or one of :data:`EXTRA`."""
    source = BASE / path
    return (source if source.exists() else EXTRA / path).read_text(encoding="utf-8")


def line_of(path: str, key: str, nth: int = 1) -> int:
    """The line of the ``nth`` line of the base page ``path`` that starts (after
    indentation and '- ') with ``key:``."""
    seen = 0
    for number, line in enumerate(base_text(path).splitlines(), 1):
        if re.match(rf"^\s*(?:- )?{re.escape(key)}:", line):
            seen += 1
            if seen == nth:
                return number
    raise KeyError(f"{path} has no line {key}:")


# --- what a case expects --------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A finding a case must produce: its code and line exactly, ``says`` as part of
    its message (the value or key at fault), in the case's own page unless ``path``."""

    code: str
    line: int
    says: str = ""
    path: str = ""


@dataclass(frozen=True)
class Refused:
    """``clausewise check`` and ``sphinx-build`` both stop (exit 2) with this one line
    (``check`` prints it after ``clausewise: ``; the build as ``ERROR: ... [clausewise.config]``)."""

    line: str


@dataclass(frozen=True)
class Command:
    """An authoring command run on the handbook before it is checked and built: its exit
    code, the exact last line it writes on standard error (or the first on standard
    output, when it succeeds), and whether it left every file as it was."""

    args: tuple[str, ...]
    exit: int
    line: str
    unchanged: bool = True


Expectation = tuple[Finding, ...] | Refused


# --- a handbook being mutated ---------------------------------------------------------------------

Step = Callable[[Path], None]


@dataclass
class Handbook:
    """The files of a handbook before they are written, and what happens after its
    first commit. A mutation changes it; ``case`` is the case mutating it (the name
    of the pages it adds, the suffix of their ids)."""

    files: dict[str, bytes] = field(default_factory=base_files)
    conf: list[str] = field(default_factory=list)
    after: list[Step] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    commands: list[tuple[str, Command]] = field(default_factory=list)
    case: str = ""
    #: the paths each case added or changed
    owned: dict[str, set[str]] = field(default_factory=dict)

    def text(self, path: str) -> str:
        return self.files[path].decode("utf-8")

    def write(self, path: str, content: str | bytes) -> str:
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content
        self.owned.setdefault(self.case, set()).add(path)
        return path

    def remove(self, path: str) -> None:
        del self.files[path]

    def own_path(self, subject: str, suffix: str = ".md") -> str:
        """Where this case's copy of ``subject`` goes: beside it, named after the case."""
        return f"{subject.rsplit('/', 1)[0]}/{self.case}{suffix}"

    def own_id(self, declared: str) -> str:
        return f"{declared}-{self.case.upper()}"

    def copy(self, subject: str, edit: Edit, path: str = "") -> str:
        """Add a copy of the base page ``subject`` whose declared ids (the page's, its
        record types') end in the case's name, edited by ``edit``; ``{self}`` in the
        result is the copy's own id."""
        text = base_text(subject)
        declared = re.findall(r"^\s*(?:- )?id: (\S+)$", text, re.M)
        for ident in declared:
            text = re.sub(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", self.own_id(ident), text)
        edited = edit(text)
        if isinstance(edited, str):
            edited = edited.replace("{self}", self.own_id(declared[0]) if declared else "")
        return self.write(path or self.own_path(subject), edited)

    def commit(self, message: str, when: str, files: dict[str, str | bytes] | None = None, *,
               remove: tuple[str, ...] = (), committer_date: str = "") -> None:  # fmt: skip
        """After the first commit: write ``files``, remove ``remove``, commit all at ``when``."""
        for path in files or {}:
            self.owned.setdefault(self.case, set()).add(path)

        def step(root: Path) -> None:
            for path, content in (files or {}).items():
                target = root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            for path in remove:
                git(root, "rm", "-q", path)
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", message, when=when, committer_date=committer_date)

        self.after.append(step)


Edit = Callable[[str], str | bytes]


def git(root: Path, *args: str, when: str = BASE_COMMIT, committer_date: str = "") -> str:
    env = {
        **os.environ, **AUTHOR, **COMMITTER,
        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": committer_date or when,
        "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
    }  # fmt: skip
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout


# --- edits of a page's text (line numbers stay unless the edit adds or removes lines) --------------


def set_key(key: str, value: str, nth: int = 1) -> Edit:
    """The ``nth`` line ``key: ...`` (at any indentation) says ``key: value`` instead."""

    def edit(text: str) -> str:
        seen = 0

        def swap(match: re.Match[str]) -> str:
            nonlocal seen
            seen += 1
            return f"{match.group(1)}{key}: {value}" if seen == nth else match.group(0)

        changed = re.sub(rf"^(\s*(?:- )?){re.escape(key)}:.*$", swap, text, flags=re.M)
        assert seen >= nth, f"no line {key}:"
        return changed

    return edit


def drop_key(key: str) -> Edit:
    """The first line ``key: ...`` is gone (an entry's first key leaves its '- ' behind)."""

    def edit(text: str) -> str:
        match = re.search(rf"^(\s*)(- )?{re.escape(key)}:.*\n", text, flags=re.M)
        assert match, f"no line {key}:"
        if match.group(2):
            following = re.match(r"(\s*)(\S.*\n)", text[match.end() :])
            assert following
            rest = text[match.end() + following.end() :]
            return text[: match.start()] + f"{match.group(1)}- {following.group(2)}" + rest
        return text[: match.start()] + text[match.end() :]

    return edit


def replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text, f"no {old!r}"
        return text.replace(old, new, 1)

    return edit


def front_matter(block: str) -> Edit:
    """The whole page is ``block`` (``{self}`` for its own id) and a body."""
    return lambda _text: block + "\nText.\n"


def encoded(edit: Edit, encode: Callable[[str], bytes]) -> Edit:
    def both(text: str) -> bytes:
        edited = edit(text)
        return encode(edited) if isinstance(edited, str) else edited

    return both


def chain(*edits: Edit) -> Edit:
    def all_of(text: str) -> str | bytes:
        out: str | bytes = text
        for edit in edits:
            assert isinstance(out, str)
            out = edit(out)
        return out

    return all_of


# --- running check and build ----------------------------------------------------------------------


@dataclass
class Outcome:
    """What check and build did with a handbook."""

    root: Path
    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    #: (case, command, what it did, whether it left every file as it was)
    commands: list[tuple[str, Command, subprocess.CompletedProcess[str], bool]]
    owned: dict[str, set[str]]

    @property
    def outputs(self) -> str:
        return "\n".join(
            [self.check.stdout, self.check.stderr, self.build.stdout, self.build.stderr]
            + [done.stdout + done.stderr for _, _, done, _ in self.commands]
        )

    @property
    def crashed(self) -> bool:
        return any(marker in self.outputs for marker in CRASHES)

    def checked_report(self) -> dict[str, Any]:
        return json.loads(self.check.stdout)  # type: ignore[no-any-return]

    def built_report(self) -> dict[str, Any]:
        return json.loads((self.root / "_build" / "html" / "clausewise" / "findings.json").read_text())  # type: ignore[no-any-return]


class HungError(Exception):
    """A child process ran past the time limit."""


def environment(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUSEWISE_")}
    return {**env, "NO_COLOR": "1", **extra}


def materialise(root: Path, hb: Handbook) -> None:
    """Write ``hb`` at ``root``, commit it at BASE_COMMIT, then take its later steps."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for path, content in hb.files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if hb.conf:
        with (root / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write("".join(line + "\n" for line in hb.conf))
    (root / ".gitignore").write_text("_build/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The corpus's handbook")
    for step in hb.after:
        step(root)


def run(root: Path, hb: Handbook) -> Outcome:
    """Run ``hb``'s commands, then ``clausewise check`` and a full build side by side."""
    env = environment(hb.environment)
    commands = []
    for owner, command in hb.commands:
        before = snapshot(root)
        done = subprocess.run(
            [sys.executable, "-m", "clausewise.cli", *command.args], cwd=root, env=env,
            capture_output=True, text=True, timeout=TIME_LIMIT, check=False,
        )  # fmt: skip
        commands.append((owner, command, done, snapshot(root) == before))
    check = subprocess.Popen(
        [sys.executable, "-m", "clausewise.cli", "check", "--format", "json"], cwd=root, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    build = subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", ".", "_build/html"], cwd=root, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        results = [finish(process) for process in (check, build)]
    finally:
        for process in (check, build):
            if process.poll() is None:
                process.kill()
                process.wait()
    return Outcome(root, results[0], results[1], commands, hb.owned)


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    try:
        out, err = process.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        raise HungError(f"{' '.join(map(str, process.args))} ran past {TIME_LIMIT} s") from None  # type: ignore[arg-type]
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".git" not in p.relative_to(root).parts
        and "_build" not in p.relative_to(root).parts
    }  # fmt: skip


def each_line(text: str) -> Iterator[str]:
    yield from (line for line in text.splitlines() if line.strip())
