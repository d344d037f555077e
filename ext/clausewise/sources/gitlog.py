"""The one module that talks to git.

:func:`read_history` reads, in one streamed ``git log`` pass over the first-parent
history of ``HEAD`` (plus one ``git status``), every change to every file under
the handbook root, and returns a :class:`~clausewise.core.history.History`. It
handles:

- **renames**: ``-M``; a pure rename (100 % similar) is not a content change,
  and the history follows the file to its older names;
- **merges**: ``--first-parent --diff-merges=first-parent``; a branch's changes
  count at the merge commit, the moment they reached the main line;
- **dates**: committer dates, converted to UTC; git's order along the first
  parent says which change is newer, and a date that goes backwards along it is
  taken as the date already reached (:func:`_in_main_line_order`);
- **any text**: messages and names may hold every byte but NUL; the stream is
  framed by NUL markers with a token drawn per run (:func:`_markers`);
- **shallow clones**: the boundary commit lists every file as added, which is
  not a change; files it touches are marked incomplete and it is left out;
- **no repository, no git, no commits**: an unavailable or empty history, with
  the reason, never an exception.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from clausewise.core.history import ChangeKind, Commit, FileChange, FileHistory, History, WorkingState

#: Front-matter lines whose change records a review rather than new content.
REVIEW_LINE = re.compile(r"^(reviewed|version)\s*:")
#: Front-matter lines that are neither content nor a review: who is asked to
#: approve changes (a role's ``github:`` handles, for CODEOWNERS). Renaming a
#: team must not make the role, and every document it owns, look changed.
ADMIN_LINE = re.compile(r"^github\s*:")
#: A record's note that explains a change to it.
CORRECTION_LINE = re.compile(r"^correction\s*:")

#: The fields of each commit, in order: four that git makes (hashes and dates), then
#: the free text anyone can write (names, the message, its trailers), last, so that
#: the fixed ones stay in place whatever the text holds.
_FIELDS = (
    "%H",
    "%P",
    # seconds since 1970 (UTC): any date git holds, while its ISO form can name a year past 9999
    "%at",
    "%ct",
    "%an",
    "%s",
    # one value a line: unfolded, a trailer's value has no line break of its own
    "%(trailers:key=Approved-by,valueonly,unfold,separator=%x0a)",
    "%(trailers:key=Reviewed-by,valueonly,unfold,separator=%x0a)",
    "%b",
)


def _markers() -> tuple[bytes, bytes]:
    """A commit's start and the end of its header in the ``git log`` stream.

    Each is a NUL byte, a random token made for this one run, and a NUL byte. git
    refuses a NUL byte in a message or a name, and a patch shows a file holding one
    as binary, so no text of the repository can contain either marker, however
    hostile its messages (a fixed control character such as 0x1E can be typed into
    any commit message).
    """
    token = secrets.token_hex(16).encode()
    return b"\0" + token + b"C\0", b"\0" + token + b"E\0"


def _format(start: bytes, header_end: bytes) -> str:
    """The ``--format`` for these markers, written with git's own escapes (argv cannot carry a NUL byte)."""
    escape = lambda marker: marker.decode().replace("\0", "%x00")  # noqa: E731
    return escape(start) + "%x00".join(_FIELDS) + escape(header_end)


#: The front-matter lines that say what an added or deleted file is (a record, and so whose; its
#: period, so that a deleted record's retention is known).
_IDENTITY_LINE = re.compile(r"^(id|type|record_type|period)\s*:\s*(\S.*?)\s*(?:#.*)?$")
_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


@dataclass
class _Diff:
    """One file's part of a commit's patch, as it is parsed."""

    old: str | None = None
    new: str | None = None
    kind: ChangeKind = ChangeKind.MODIFIED
    binary: bool = False
    similarity: int = 0
    review_lines: int = 0
    admin_lines: int = 0
    correction_lines: int = 0
    other_lines: int = 0
    lines: list[str] = field(default_factory=list)
    #: an added or deleted file's ``id:``, ``type:``, ``record_type:`` and ``period:``, from its added or
    #: removed lines
    identity: dict[str, str] = field(default_factory=dict)


#: The escapes of git's C-style quoting of a path, besides octal bytes (``\\303``).
_ESCAPES = dict(zip(b'abtnvfr"\\', b'\a\b\t\n\v\f\r"\\', strict=True))


def _unquote(path: str) -> str:
    """git's C-style quoting of unusual paths (``"a\\tb \\"x\\".md"``), undone.

    Done on bytes: with ``core.quotepath=off`` other characters stay as they are
    (UTF-8), and an octal escape is one byte of a character's UTF-8."""
    if not (len(path) >= 2 and path[0] == path[-1] == '"'):
        return path
    body = path[1:-1].encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(body):
        byte = body[i]
        following = body[i + 1 : i + 4]
        if byte == 0x5C and following[:3].isdigit() and len(following) == 3 and max(following) <= ord("7"):
            out.append(int(following, 8) & 0xFF)
            i += 4
        elif byte == 0x5C and following[:1] and following[0] in _ESCAPES:
            out.append(_ESCAPES[following[0]])
            i += 2
        else:
            out.append(byte)
            i += 1
    return out.decode("utf-8", errors="replace")


#: A CR that ends a line by itself (not the CR of a CRLF, which ends a patch's line).
_CR_LINE_END = re.compile(r"\r(?!$)")


def _parse_patch(lines: list[str], keep_lines: bool) -> list[_Diff]:
    diffs: list[_Diff] = []
    current: _Diff | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("diff --git "):
            current = _Diff()
            diffs.append(current)
            # fallback names for blocks without ---/+++ lines (binary files, pure renames)
            a, _, b = line[len("diff --git ") :].partition(" b/")
            current.old, current.new = _unquote(a.removeprefix("a/")), _unquote(b)
        elif current is None:
            continue
        elif line.startswith("new file mode"):
            current.kind = ChangeKind.ADDED
        elif line.startswith("deleted file mode"):
            current.kind = ChangeKind.DELETED
        elif line.startswith("rename from "):
            current.old, current.kind = _unquote(line[len("rename from ") :]), ChangeKind.RENAMED
        elif line.startswith("rename to "):
            current.new = _unquote(line[len("rename to ") :])
        elif line.startswith("similarity index "):
            current.similarity = int(line[len("similarity index ") :].rstrip("%"))
        elif line.startswith("Binary files "):
            current.binary = True
        elif line.startswith("--- "):
            name = line[4:].removesuffix("\t")  # git ends names that contain spaces with a tab
            current.old = None if name == "/dev/null" else _unquote(name).removeprefix("a/")
        elif line.startswith("+++ "):
            name = line[4:].removesuffix("\t")
            current.new = None if name == "/dev/null" else _unquote(name).removeprefix("b/")
        elif m := _HUNK.match(line):
            # count the hunk's lines from its header: a removed '---' fence reads '----'
            count = int(m.group(1) or 1) + int(m.group(2) or 1)
            # an added or deleted file's hunk is the whole file: its front matter is what it is
            in_front_matter = current.kind is ChangeKind.DELETED or current.kind is ChangeKind.ADDED
            # "\ No newline at end of file" follows a file's last line: git's note, not a line of
            # the hunk, so it is skipped, else the hunk's last line would be read as a header
            # (an added "++ x" is "+++ x" in the patch) and the counts would be off by one
            hunk: list[str] = []
            while i < len(lines) and len(hunk) < count:
                if not lines[i].startswith("\\"):
                    hunk.append(lines[i])
                i += 1
            # a file whose lines end in CR alone is one line to git: its lines are cut at each CR
            texts = [piece for body in hunk for piece in _CR_LINE_END.split(body[1:])]
            for n, text in enumerate(texts):
                if in_front_matter and text.rstrip() == "---":
                    in_front_matter = n == 0  # the opening fence, else the closing one
                elif n == 0:
                    in_front_matter = False  # no front matter: a body line is not an identity
                elif in_front_matter and text[:1] in "irtp" and (key := _IDENTITY_LINE.match(text)):
                    current.identity.setdefault(key.group(1), key.group(2).strip().strip("'\""))
                if REVIEW_LINE.match(text):
                    current.review_lines += 1
                elif ADMIN_LINE.match(text):
                    current.admin_lines += 1
                else:
                    current.other_lines += 1
                    if CORRECTION_LINE.match(text):
                        current.correction_lines += 1
            if keep_lines:
                current.lines.extend(hunk)
    return diffs


def _as_text(repo: Any, sha: str, diff: _Diff, keep_lines: bool) -> _Diff:
    """A page's change that git took for a binary file's (a NUL byte in it), diffed as
    text: so that what changed in its front matter (a review, an id) is seen as for any page."""
    path = diff.new if diff.kind is not ChangeKind.DELETED else diff.old
    args = [
        "show", "--text", "--format=", "--diff-merges=first-parent", "--unified=0", "--no-color", "--no-ext-diff",
        "--no-textconv", sha, "--", path or "",
    ]  # fmt: skip
    found = _parse_patch(_text(b"".join(_run_git(repo, *args))).split("\n"), keep_lines)
    if len(found) != 1:
        return diff
    # the kind and names of a rename come from the whole commit's patch, not from one path's
    return replace(found[0], kind=diff.kind, old=diff.old, new=diff.new, similarity=diff.similarity)


def _utc(stamp: str) -> datetime:
    """A commit's date from git's seconds since 1970, in UTC; a date Python cannot
    hold (git takes any 64-bit time) is the nearest one it can."""
    try:
        seconds = int(stamp.strip())
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return (datetime.max if seconds > 0 else datetime.min).replace(tzinfo=UTC)


def _text(field: bytes) -> str:
    return field.decode("utf-8", errors="replace")


def parse_commit(header: bytes) -> tuple[Commit, int]:
    """A commit and its number of parents from its header in the ``git log`` stream
    (the fields of :data:`_FIELDS`, separated by NUL bytes)."""
    fields = header.split(b"\0")
    fields += [b""] * (len(_FIELDS) - len(fields))  # a stream cut short (git stopped mid-way) still parses
    fixed, free = fields[:4], fields[4:]
    if len(free) > 5:  # only a commit object written by hand holds a NUL byte: it stays in the body
        free = [*free[:4], b"\0".join(free[4:])]
    sha, parents, authored, committed = (_text(f) for f in fixed)
    author, subject, approved, reviewed, body = (_text(f) for f in free)
    summary = subject
    n_parents = len(parents.split())
    if n_parents > 1:
        # a merged pull request: its title is the first line of the body
        first = next((line.strip() for line in body.split("\n") if line.strip()), "")
        if first and not first.lower().startswith(("approved-by:", "reviewed-by:")):
            summary = f"{first} ({subject})"
    split = lambda v: tuple(x.strip() for x in v.split("\n") if x.strip())  # noqa: E731
    return Commit(sha, author, _utc(committed), _utc(authored), summary, split(approved), split(reviewed)), n_parents


def split_log(stream: Iterable[bytes], start: bytes, header_end: bytes) -> Iterator[tuple[bytes, bytes]]:
    """The header and the patch of each commit in a ``git log`` stream, as they arrive.

    Split as bytes, before decoding, so that a character cut between two chunks
    of the stream is not lost."""
    buffer = b""
    for chunk in stream:
        buffer += chunk
        *complete, buffer = buffer.split(start)
        for record in complete:
            if record:
                header, _, patch = record.partition(header_end)
                yield header, patch
    if buffer:
        header, _, patch = buffer.partition(header_end)
        yield header, patch


def _run_git(repo: Any, *args: str) -> Iterator[bytes]:
    """Stream a git command's standard output through GitPython."""
    process = repo.git.execute(["git", "-c", "core.quotepath=off", *args], as_process=True, stdout_as_string=False)
    stdout = process.proc.stdout
    try:
        while chunk := stdout.read(1 << 16):
            yield chunk
    finally:
        process.wait()


@dataclass(frozen=True)
class LogPass:
    """What the ``git log`` pass found; reusable while ``HEAD`` stays the same."""

    head: str
    keep_lines_for: frozenset[str]
    changes: dict[str, tuple[FileChange, ...]]
    incomplete: frozenset[str]
    deleted: dict[str, FileChange]
    shallow: bool
    started: date | None


def read_history(
    root: Path, keep_lines_for: frozenset[str] = frozenset(), previous: LogPass | None = None
) -> tuple[History, LogPass | None]:
    """The git history of every file under ``root`` (the handbook root).

    Paths in the result are relative to ``root``. ``keep_lines_for`` names
    files whose changed lines are kept (for rules that look inside a diff).
    ``previous`` is the log pass of an earlier build: when ``HEAD`` has not
    moved, only ``git status`` runs. Returns the history and this build's pass.
    """
    try:
        import git
    except ImportError as exc:  # GitPython needs the git executable at import time
        return History(False, f"git cannot be used: {exc}"), None
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History(False, "the handbook is not in a git repository"), None
    except git.GitCommandNotFound:
        return History(False, "the git command is not installed"), None
    if repo.bare or repo.working_tree_dir is None:
        return History(False, "the repository has no working tree"), None
    top = Path(repo.working_tree_dir).resolve()
    prefix = Path(root).resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"

    def rel(path: str | None) -> str | None:
        if path is None or not path.startswith(prefix):
            return None
        return path[len(prefix) :]

    try:
        head = repo.head.commit.hexsha if repo.head.is_valid() else ""
        if previous is not None and previous.head == head and previous.keep_lines_for == keep_lines_for:
            log = previous
        else:
            log = _log_pass(repo, head, prefix, rel, keep_lines_for)
        working = _working_states(repo, prefix, rel)
    except git.GitCommandError as exc:
        return History(False, f"git failed: {' '.join(str(exc.stderr).split())[:200]}"), None

    files: dict[str, FileHistory] = {}
    for path in set(log.changes) | log.incomplete | set(working):
        files[path] = FileHistory(
            path,
            log.changes.get(path, ()),
            complete=path not in log.incomplete,
            working=working.get(path, WorkingState.CLEAN),
        )
    deleted = {path: change for path, change in log.deleted.items() if path not in working}  # re-created since
    history = History(True, shallow=log.shallow, files=files, deleted=deleted, started=log.started)
    return history, log


def _log_pass(repo: Any, head: str, prefix: str, rel: Any, keep_lines_for: frozenset[str]) -> LogPass:
    shallow_file = Path(repo.git_dir) / "shallow"
    boundary = set(shallow_file.read_text().split()) if shallow_file.is_file() else set()
    changes: dict[str, list[FileChange]] = {}
    incomplete: set[str] = set()
    deleted: dict[str, FileChange] = {}
    alias: dict[str, str] = {}  # older name -> current name
    seen: set[str] = set()  # paths whose newest event has been seen
    start, header_end = _markers()
    order: list[Commit] = []  # newest first: git's order along the first parent
    if head:
        args = [
            "log", "--first-parent", "--diff-merges=first-parent", "-M", "-p", "--unified=0",
            "--no-color", "--no-ext-diff", "--no-textconv", f"--format={_format(start, header_end)}",
            head, "--", prefix or ".",
        ]  # fmt: skip
        for header, patch in split_log(_run_git(repo, *args), start, header_end):
            commit, _ = parse_commit(header)
            order.append(commit)
            # only "\n" ends a line of a patch: str.splitlines() would also cut at 0x1C-0x1E, 0x85 or U+2028
            diffs = _parse_patch(_text(patch).split("\n"), bool(keep_lines_for))
            for diff in [*diffs]:
                if diff.binary and (diff.new or diff.old or "").endswith(".md"):
                    diffs[diffs.index(diff)] = _as_text(repo, commit.sha, diff, bool(keep_lines_for))
            for diff in diffs:
                new, old = rel(diff.new), rel(diff.old)
                path = new if diff.kind is not ChangeKind.DELETED else old
                if path is None:
                    continue
                current = alias.get(path, path)
                if commit.sha in boundary:
                    incomplete.add(current)
                    seen.add(current)
                    continue
                if diff.kind is ChangeKind.DELETED:
                    if current not in seen:
                        deleted[current] = FileChange(
                            commit, diff.kind, path, identity=tuple(sorted(diff.identity.items()))
                        )
                    seen.add(current)
                    continue
                pure_rename = diff.kind is ChangeKind.RENAMED and diff.similarity == 100
                no_content = diff.review_lines + diff.admin_lines > 0 and diff.other_lines == 0 and not diff.binary
                change = FileChange(
                    commit=commit,
                    kind=diff.kind,
                    path=path,
                    old_path=old if diff.kind is ChangeKind.RENAMED else None,
                    identity=tuple(sorted(diff.identity.items())),
                    content_changed=not pure_rename and not (no_content and diff.kind is not ChangeKind.ADDED),
                    review_recorded=diff.review_lines > 0,
                    correction_recorded=diff.correction_lines > 0,
                    changed_lines=tuple(diff.lines) if current in keep_lines_for else (),
                )
                if current not in deleted:
                    changes.setdefault(current, []).append(change)
                seen.add(current)
                if diff.kind is ChangeKind.RENAMED and old is not None:
                    alias[old] = current
    if prefix:
        deleted.update(_moved_out(repo, prefix, deleted))
    in_order = _in_main_line_order(order)
    if in_order:
        changes = {path: [replace(c, commit=in_order[c.commit.sha]) for c in cs] for path, cs in changes.items()}
        deleted = {path: replace(c, commit=in_order[c.commit.sha]) for path, c in deleted.items()}
    oldest = min((c.commit.day for cs in changes.values() for c in cs), default=None)
    return LogPass(
        head=head,
        keep_lines_for=keep_lines_for,
        changes={path: tuple(cs) for path, cs in changes.items()},
        incomplete=frozenset(incomplete),
        deleted=deleted,
        shallow=bool(boundary),
        started=None if boundary else oldest,
    )


def _moved_out(repo: Any, prefix: str, deleted: dict[str, FileChange]) -> dict[str, FileChange]:
    """Which deleted Markdown files were moved out of the handbook's folder instead.

    ``git log -- <folder>`` sees only the folder, so a file moved out of it looks
    deleted: the commits that deleted one are diffed again over the whole
    repository (one ``git diff`` each; deletions are rare) to find where it went."""
    from git import GitCommandError

    by_commit: dict[str, list[str]] = {}
    for path, change in deleted.items():
        if change.kind is ChangeKind.DELETED and path.endswith(".md"):
            by_commit.setdefault(change.commit.sha, []).append(path)
    out: dict[str, FileChange] = {}
    for sha, paths in by_commit.items():
        try:
            listing = b"".join(
                _run_git(repo, "diff", "-M", "--name-status", "-z", "--diff-filter=R", f"{sha}^1", sha, "--")
            ).split(b"\0")
        except GitCommandError:  # the parent is missing (a shallow clone): then it counts as deleted
            continue
        renamed = {_text(old): _text(new) for old, new in zip(listing[1::3], listing[2::3], strict=False)}
        for path in paths:
            new = renamed.get(prefix + path)
            if new is not None:
                out[path] = replace(deleted[path], kind=ChangeKind.RENAMED, path=new, old_path=path)
    return out


def _in_main_line_order(newest_first: list[Commit]) -> dict[str, Commit]:
    """Each commit by sha with its position on the main line, and its date no earlier
    than that of any older commit on it (see :mod:`clausewise.core.history`)."""
    out: dict[str, Commit] = {}
    reached: Commit | None = None  # the commit with the latest date so far, from the oldest
    for position, commit in enumerate(reversed(newest_first)):
        if reached is not None and commit.committed < reached.committed:
            out[commit.sha] = replace(
                commit, position=position, committed=reached.committed, dated=commit.committed, dated_after=reached.sha
            )
        else:
            out[commit.sha] = replace(commit, position=position)
            reached = commit
    return out


def _working_states(repo: Any, prefix: str, rel: Any) -> dict[str, WorkingState]:
    out = b"".join(_run_git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", prefix or "."))
    states: dict[str, WorkingState] = {}
    entries = out.decode("utf-8", errors="replace").split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            i += 1  # the original name follows a rename or copy
        name = rel(path)
        if name is None:
            continue
        states[name] = WorkingState.UNTRACKED if code == "??" else WorkingState.MODIFIED
    return states


class GitUnavailableError(Exception):
    """The handbook is not in a usable git repository; the message says why."""


def _open(root: Path) -> Any:
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitUnavailableError(f"{root} is not in a git repository") from None


def repository_top(root: Path) -> Path | None:
    """The top folder of the git repository that holds ``root`` (None outside one)."""
    try:
        repo = _open(root)
    except GitUnavailableError:
        return None
    return Path(repo.working_tree_dir).resolve() if repo.working_tree_dir else None


def user_name(root: Path) -> str | None:
    """``git config user.name`` as seen from ``root`` (repository, global, system), if set."""
    try:
        repo = _open(root)
    except GitUnavailableError:
        return None
    with repo.config_reader() as config:
        name = str(config.get_value("user", "name", default="")).strip()
    return name or None


def head_state(root: Path) -> tuple[str, bool]:
    """The commit the working tree is at, and whether it has uncommitted changes."""
    repo = _open(root)
    if not repo.head.is_valid():
        raise GitUnavailableError("the repository has no commits yet")
    return repo.head.commit.hexsha, repo.is_dirty(untracked_files=True)


def commit_on(root: Path, day: date) -> str:
    """The last commit on the main line (first parents of HEAD) whose committer
    date is on or before ``day``, in UTC, going by git's order: a commit dated
    earlier than an older one counts from that older one's date."""
    repo = _open(root)
    # by git's order along the first parent, each date no earlier than its parent's (as in
    # read_history): rev-list --before would stop at a commit dated back among newer ones
    listed = str(repo.git.log("--first-parent", "--format=%H %ct", "HEAD")).split("\n")
    reached: datetime | None = None
    found = ""
    for line in reversed(listed):
        sha, _, stamp = line.strip().partition(" ")
        if not sha:
            continue
        committed = _utc(stamp)
        reached = committed if reached is None or committed > reached else reached
        if reached.date() > day:
            break
        found = sha
    if not found:
        raise GitUnavailableError(f"no commit on or before {day}: the handbook's history starts later")
    return found


@contextmanager
def worktree(root: Path, sha: str) -> Iterator[Path]:
    """``root`` as it was at ``sha``, checked out in a temporary worktree."""
    repo = _open(root)
    top = Path(repo.working_tree_dir).resolve()
    inner = Path(root).resolve().relative_to(top)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        repo.git.worktree("add", "--detach", str(tree), sha)
        try:
            yield tree / inner
        finally:
            repo.git.worktree("remove", "--force", str(tree))
