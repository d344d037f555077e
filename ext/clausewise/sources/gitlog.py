"""The one module that talks to git.

:func:`read_history` reads, in one streamed ``git log`` pass over the first-parent
history of ``HEAD`` (plus one ``git status``), every change to every file under
the handbook root, and returns a :class:`~clausewise.core.history.History`. It
handles:

- **renames**: ``-M``; a pure rename (100 % similar) is not a content change,
  and the history follows the file to its older names;
- **merges**: ``--first-parent --diff-merges=first-parent``; a branch's changes
  count at the merge commit, the moment they reached the main line;
- **branches not merged yet**: one ``git for-each-ref`` finds the main branch
  (:func:`_main_line`) and one ``git rev-list`` the commits of ``HEAD`` not yet
  on it (:attr:`~clausewise.core.history.Commit.on_main_line` false); a main
  branch that shares no history with ``HEAD`` is not used (every commit is then
  on the main line, and a note says so);
- **front-matter status**: each change carries the file's ``status:`` as committed
  before it, followed through the hunks' line numbers (:func:`front_matter_after`),
  so that the edits that complete a draft record are told from changed evidence;
- **dates**: committer dates, converted to UTC; git's order along the first
  parent says which change is newer, and a date that goes backwards along it is
  taken as the date already reached (:func:`_in_main_line_order`);
- **any text**: messages and names may hold every byte but NUL; the stream is
  framed by NUL markers with a token drawn per run (:func:`_markers`);
- **approvals**: each commit's JSON note under
  :data:`~clausewise.core.history.APPROVALS_REF` comes in the same pass (``--notes``
  and ``%N``, after a third marker of the run's token); a note that cannot be read
  leaves the commit without approvals and says why, and a note on a commit not yet
  on the main line is ignored and counted;
- **shallow clones**: the boundary commit lists every file as added, which is
  not a change; files it touches are marked incomplete and it is left out;
- **no repository, no git, no commits**: an unavailable or empty history, with
  the reason, never an exception.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from clausewise.core.history import (
    APPROVALS_REF,
    ChangeKind,
    Commit,
    FileChange,
    FileHistory,
    History,
    WorkingState,
    parse_approval_note,
)

#: Front-matter lines whose change records a review rather than new content.
REVIEW_LINE = re.compile(r"^(reviewed|version)\s*:")
#: Front-matter lines that are neither content nor a review: who is asked to
#: approve changes (a role's ``github:`` handles, for CODEOWNERS, and its ``members:``).
#: Renaming a team must not make the role, and every document it owns, look changed.
ADMIN_LINE = re.compile(r"^(github|members)\s*:")
#: A record's note that explains a change to it: a ``correction:`` line with a value (an
#: empty one, ``""`` or ``null`` explains nothing).
CORRECTION_LINE = re.compile(r"^correction\s*:(?!\s*(?:\"\"|''|~|null|Null|NULL)?\s*(?:#.*)?$)")
#: A front matter's fence, and its ``status:`` line (value unquoted, comment dropped).
_FENCE = re.compile(r"^---\s*$")
_STATUS_LINE = re.compile(r"^status\s*:\s*(.*?)\s*(?:#.*)?$")
#: A front matter's ``version:`` line (a document of external origin's ``edition:``), value unquoted.
_VERSION_LINE = re.compile(r"^(?:version|edition)\s*:\s*(.*?)\s*(?:#.*)?$")

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


def _note_marker(start: bytes) -> bytes:
    """Where a commit's approval note (``%N``) starts in its header: the run's token again,
    so that no note (untrusted text, which may even hold NUL bytes) can fake it."""
    return start[:-2] + b"N\0"


def _format(start: bytes, header_end: bytes, notes: bool = False) -> str:
    """The ``--format`` for these markers, written with git's own escapes (argv cannot carry a NUL byte);
    with ``notes``, the commit's note follows its fields, after :func:`_note_marker`."""
    escape = lambda marker: marker.decode().replace("\0", "%x00")  # noqa: E731
    note = escape(_note_marker(start)) + "%N" if notes else ""
    return escape(start) + "%x00".join(_FIELDS) + note + escape(header_end)


#: The front-matter lines that say what an added or deleted file is (a record, and so whose; its
#: period, so that a deleted record's retention is known).
_IDENTITY_LINE = re.compile(r"^(id|type|record_type|period)\s*:\s*(\S.*?)\s*(?:#.*)?$")
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class _Hunk:
    """Where one hunk of a patch lies, and its lines that can shape a front matter's
    ``status:``: fences and ``status:`` lines, each as (sign, line number, text)."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    lines: tuple[tuple[str, int, str], ...]


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
    hunks: list[_Hunk] = field(default_factory=list)
    #: an added or deleted file's whole text (its added or removed lines), hashed: a file
    #: added again after its deletion is told from a restore of the same text
    text_digest: Any = field(default_factory=hashlib.sha256)


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
            old_start, new_start = int(m.group(1)), int(m.group(3))
            old_count, new_count = int(m.group(2) or 1), int(m.group(4) or 1)
            count = old_count + new_count
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
            if current.kind is ChangeKind.ADDED or current.kind is ChangeKind.DELETED:
                current.text_digest.update("\n".join(texts).encode("utf-8", "surrogateescape") + b"\n")
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
            current.hunks.append(
                _Hunk(old_start, old_count, new_start, new_count, _shaping_lines(hunk, old_start, new_start))
            )
            if keep_lines:
                current.lines.extend(hunk)
    return diffs


def _shaping_lines(hunk: list[str], old_start: int, new_start: int) -> tuple[tuple[str, int, str], ...]:
    """The fences, ``status:`` and ``version:`` lines of a hunk, with their line numbers (old
    ones for removed lines, new ones for added lines)."""
    out = []
    old, new = old_start, new_start
    for line in hunk:
        sign, text = line[:1], line[1:].rstrip("\r")
        if sign == "-":
            number, old = old, old + 1
        elif sign == "+":
            number, new = new, new + 1
        else:
            continue
        if _FENCE.match(text) or _STATUS_LINE.match(text) or _VERSION_LINE.match(text):
            out.append((sign, number, text))
    return tuple(out)


def front_matter_after(
    kind: ChangeKind, hunks: Iterable[_Hunk], fence: int | None, status: str
) -> tuple[int | None, str]:
    """A file's front matter after one change, followed through its hunks: the line of
    the closing fence (None: no front matter, or one this change reshaped beyond
    following) and the ``status:`` value ("" for none), from those before the change.

    Only lines inside the front matter count, by their line numbers, so a body line
    reading "status: draft" is never taken for the record's status."""
    hunks = list(hunks)
    if kind is ChangeKind.ADDED:
        added = [(n, t) for h in hunks for sign, n, t in h.lines if sign == "+"]
        fences = [n for n, t in added if _FENCE.match(t)]
        if not fences or fences[0] != 1 or len(fences) < 2:
            return None, ""
        fence = fences[1]
        found = [t for n, t in added if 1 < n < fence and _STATUS_LINE.match(t)]
        return fence, _status_value(found[0]) if found else ""
    if fence is None:
        return None, ""
    new_fence = fence
    for h in hunks:
        last = h.old_start + h.old_count - 1
        if h.old_count == 0:  # lines inserted after line old_start
            new_fence += h.new_count if h.old_start < fence else 0
        elif last < fence:
            new_fence += h.new_count - h.old_count
        elif h.old_start <= fence:
            return None, ""  # the closing fence itself was rewritten: no longer followed
        if h.old_start == 0 or (h.old_count and h.old_start <= 1):
            return None, ""  # the opening fence was rewritten, or lines put before it
    for h in hunks:
        for sign, n, t in h.lines:
            if sign == "-" and n < fence and _STATUS_LINE.match(t):
                status = ""
    for h in hunks:
        for sign, n, t in h.lines:
            if sign == "+" and 1 < n < new_fence and _STATUS_LINE.match(t):
                status = _status_value(t)
    return new_fence, status


def _status_value(line: str) -> str:
    m = _STATUS_LINE.match(line)
    return m.group(1).strip("'\"").strip() if m else ""


def version_after(
    kind: ChangeKind, hunks: Iterable[_Hunk], fence: int | None, new_fence: int | None, version: str | None
) -> str | None:
    """A file's front-matter ``version:`` (or ``edition:``) after one change, from the one
    before it (``version``), the closing fence's line before the change (``fence``) and after
    it (``new_fence``, from :func:`front_matter_after`): "" for none, None when the front
    matter could not be followed. Only lines inside the front matter count, as for ``status:``."""
    if new_fence is None or (kind is not ChangeKind.ADDED and fence is None):
        return None
    lines = [line for h in hunks for line in h.lines]
    removed = any(sign == "-" and n < (fence or 0) and _VERSION_LINE.match(t) for sign, n, t in lines)
    if kind is ChangeKind.ADDED or removed:
        version = ""
    for sign, n, t in lines:
        if sign == "+" and 1 < n < new_fence and (m := _VERSION_LINE.match(t)):
            version = m.group(1).strip("'\"").strip()
    return version


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
class MainLine:
    """The main branch as found in the repository (see :mod:`clausewise.core.history`)."""

    name: str  # as the owner reads it: "main", "origin/main"; "" when none was found
    refs: tuple[str, ...]  # every ref of that name: refs/heads/main, refs/remotes/origin/main
    tips: tuple[str, ...]  # the commit each ref points at, so that a moved branch is seen
    note: str = ""  # what was wrong, and what was assumed instead

    @property
    def name_on_remote(self) -> str:
        """The branch as the forge names it: a configured ``origin/main`` found as
        ``refs/remotes/origin/main`` is ``main`` there; a local ``release/2026`` stays."""
        for ref in self.refs:
            if ref == f"refs/remotes/{self.name}" and "/" in self.name:
                return self.name.split("/", 1)[1]
        return self.name


#: Named in a note when no main branch is found.
_ASSUMED = (
    "every commit read is taken as on the main line, so a record's evidence starts with its first "
    "commit and a later commit to it on a branch needs a 'correction:' line"
)


def _main_line(repo: Any, configured: str) -> MainLine:
    """The main branch: ``configured`` (a branch, local or remote-tracking), else the
    remote's default branch, else ``main``, else ``master``, from one ``git for-each-ref``."""
    listing = _text(b"".join(_run_git(
        repo, "for-each-ref", "--format=%(refname)%00%(objectname)%00%(symref)", "refs/heads", "refs/remotes",
    )))  # fmt: skip
    tips: dict[str, str] = {}
    symbolic: dict[str, str] = {}
    for line in listing.split("\n"):
        name, _, rest = line.partition("\0")
        sha, _, target = rest.partition("\0")
        if not name:
            continue
        if target:
            symbolic[name] = target
        else:
            tips[name] = sha
    remotes = sorted({n.split("/")[2] for n in [*tips, *symbolic] if n.startswith("refs/remotes/")})

    def refs_named(branch: str) -> list[str]:
        candidates = [
            f"refs/heads/{branch}",
            f"refs/remotes/{branch}",
            *(f"refs/remotes/{r}/{branch}" for r in remotes),
        ]
        return [ref for ref in dict.fromkeys(candidates) if ref in tips]

    def found(branch: str, refs: list[str], note: str = "") -> MainLine:
        return MainLine(branch, tuple(refs), tuple(tips[ref] for ref in refs), note)

    def detected() -> tuple[str, list[str]]:
        heads = [symbolic[f"refs/remotes/{r}/HEAD"] for r in remotes if f"refs/remotes/{r}/HEAD" in symbolic]
        default = symbolic.get("refs/remotes/origin/HEAD") or (heads[0] if len(heads) == 1 else "")
        remote_default = default.split("/", 3)[3] if default.count("/") >= 3 else ""
        for branch in (remote_default, "main", "master"):
            refs = refs_named(branch) if branch else []
            if refs:
                return branch, refs
        return "", []

    if configured:
        refs = refs_named(configured)
        if refs:
            return found(configured, refs)
        branch, fallback = detected()
        existing = sorted(ref.removeprefix("refs/heads/").removeprefix("refs/remotes/") for ref in tips)
        instead = (
            f"'{branch}' is taken as the main branch instead"
            if branch
            else f"no other main branch was found either, so {_ASSUMED}"
        )
        note = (
            f"clausewise_main_branch is '{configured}', but the repository has no such branch (branches: "
            f"{', '.join(existing[:20]) or 'none'}{', …' if len(existing) > 20 else ''}); {instead}; set "
            f"clausewise_main_branch to one of the branches, or fetch it (in CI: 'fetch-depth: 0')"
        )
        return found(branch, fallback, note)
    branch, refs = detected()
    if branch:
        return found(branch, refs)
    shallow = (Path(repo.git_dir) / "shallow").is_file()
    why = (
        "the repository is a shallow clone that has no main branch"
        if shallow
        else "the repository has no remote default branch (origin/HEAD), no 'main' and no 'master'"
    )
    return MainLine(
        "", (), (), f"{why}: {_ASSUMED}; set clausewise_main_branch, or fetch the main branch (in CI: 'fetch-depth: 0')"
    )


@dataclass(frozen=True)
class LogPass:
    """What the ``git log`` pass found; reusable while ``HEAD`` and the main branch stay the same."""

    head: str
    main_tips: tuple[str, ...]
    keep_lines_for: frozenset[str]
    changes: dict[str, tuple[FileChange, ...]]
    incomplete: frozenset[str]
    deleted: dict[str, FileChange]
    shallow: bool
    started: date | None
    #: why the main branch is not used: it shares no history with ``head`` ("" when it does)
    unrelated_main_note: str = ""
    #: the tip of APPROVALS_REF when it was read ("": the repository has no such ref)
    notes_tip: str = ""
    #: commits read whose approval note is invalid: sha -> what is wrong
    invalid_notes: dict[str, str] = field(default_factory=dict)
    #: approval notes on commits read that are not on the main line yet (ignored)
    notes_off_main_line: int = 0


def read_history(
    root: Path,
    keep_lines_for: frozenset[str] = frozenset(),
    previous: LogPass | None = None,
    main_branch: str = "",
) -> tuple[History, LogPass | None]:
    """The git history of every file under ``root`` (the handbook root).

    Paths in the result are relative to ``root``. ``keep_lines_for`` names
    files whose changed lines are kept (for rules that look inside a diff).
    ``main_branch`` is ``clausewise_main_branch`` ("": found as the module
    :mod:`clausewise.core.history` says). ``previous`` is the log pass of an
    earlier build: when neither ``HEAD`` nor the main branch has moved, only
    ``git for-each-ref`` and ``git status`` run. Returns the history and this
    build's pass.
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
        main = _main_line(repo, main_branch)
        notes_tip = _text(b"".join(_run_git(repo, "for-each-ref", "--format=%(objectname)", APPROVALS_REF))).strip()
        if (
            previous is not None
            and previous.head == head
            and previous.main_tips == main.tips
            and previous.keep_lines_for == keep_lines_for
            and previous.notes_tip == notes_tip
        ):
            log = previous
        else:
            log = _log_pass(repo, head, prefix, rel, keep_lines_for, main, notes_tip)
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
    history = History(
        True, shallow=log.shallow, files=files, deleted=deleted, started=log.started,
        main_branch=main.name, main_branch_note="; ".join(n for n in (main.note, log.unrelated_main_note) if n),
        approval_notes=bool(log.notes_tip), cloned=bool(repo.remotes), invalid_notes=log.invalid_notes,
        notes_off_main_line=log.notes_off_main_line, prefix=prefix, forge_branch=main.name_on_remote,
    )  # fmt: skip
    return history, log


def _off_main_line(repo: Any, head: str, main: MainLine) -> tuple[frozenset[str], str]:
    """The commits of the first-parent history of ``head`` that are not on the main branch
    (one ``git rev-list``); none when no main branch was found. When the main branch shares
    no history with ``head`` (one ``git merge-base``), none either, and a note that says so:
    such a branch (a ``gh-pages`` named by mistake, or on purpose) would leave every commit
    off the main line, and every record free to change or go."""
    from git import GitCommandError

    if not head or not main.refs:
        return frozenset(), ""
    try:
        b"".join(_run_git(repo, "merge-base", head, *main.refs))
    except GitCommandError:  # exit status 1: no common ancestor
        return frozenset(), (
            f"the main branch '{main.name}' shares no history with the commit checked out ({head[:7]}): "
            f"{_ASSUMED}; set clausewise_main_branch to the branch the handbook's changes are merged into"
        )
    listed = _text(b"".join(_run_git(repo, "rev-list", "--first-parent", head, "--not", *main.refs)))
    return frozenset(listed.split()), ""


def _statuses_before(changes: list[FileChange], shapes: list[tuple[ChangeKind, list[_Hunk]]]) -> list[FileChange]:
    """Each change (newest first) with the front matter's ``status:`` as committed before it
    and its ``version:`` as the change left it, followed from the oldest change to the newest."""
    out: list[FileChange] = []
    fence: int | None = None
    status = ""
    version: str | None = None
    for change, (kind, hunks) in zip(reversed(changes), reversed(shapes), strict=True):
        before = status
        new_fence, status = front_matter_after(kind, hunks, fence, status)
        version = version_after(kind, hunks, fence, new_fence, version)
        fence = new_fence
        out.append(replace(change, status_before=before, version=version) if before or version is not None else change)
    return out[::-1]


def _log_pass(
    repo: Any, head: str, prefix: str, rel: Any, keep_lines_for: frozenset[str], main: MainLine, notes_tip: str = ""
) -> LogPass:
    shallow_file = Path(repo.git_dir) / "shallow"
    boundary = set(shallow_file.read_text().split()) if shallow_file.is_file() else set()
    changes: dict[str, list[FileChange]] = {}
    shapes: dict[str, list[tuple[ChangeKind, list[_Hunk]]]] = {}  # beside changes: how each reshaped the file
    incomplete: set[str] = set()
    deleted: dict[str, FileChange] = {}
    alias: dict[str, str] = {}  # older name -> current name
    seen: set[str] = set()  # paths whose newest event has been seen
    added_digests: dict[str, bytes] = {}  # the text of each file's oldest addition seen so far
    start, header_end = _markers()
    order: list[Commit] = []  # newest first: git's order along the first parent
    if head:
        args = [
            "log", "--first-parent", "--diff-merges=first-parent", "-M", "-p", "--unified=0",
            "--no-color", "--no-ext-diff", "--no-textconv", f"--format={_format(start, header_end, bool(notes_tip))}",
            *([f"--notes={APPROVALS_REF}"] if notes_tip else []), head, "--", prefix or ".",
        ]  # fmt: skip
        note_marker = _note_marker(start)
        for header, patch in split_log(_run_git(repo, *args), start, header_end):
            header, _, note = header.partition(note_marker)
            commit, _ = parse_commit(header)
            if note.strip():
                approvals, problem = parse_approval_note(_text(note))
                commit = replace(commit, approvals=approvals, note_problem=problem)
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
                    elif (
                        changes.get(current)
                        and changes[current][-1].kind is ChangeKind.ADDED
                        and added_digests.get(current) != diff.text_digest.digest()
                    ):
                        # added again after this deletion, with other text: its content changed
                        changes[current][-1] = replace(changes[current][-1], readded=True)
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
                    shapes.setdefault(current, []).append((diff.kind, diff.hunks))
                    if diff.kind is ChangeKind.ADDED:
                        added_digests[current] = diff.text_digest.digest()
                elif diff.kind is ChangeKind.ADDED and deleted[current].added is None:
                    # the newest addition before the deletion: what the file was committed as, and when
                    deleted[current] = replace(deleted[current], added=change)
                seen.add(current)
                if diff.kind is ChangeKind.RENAMED and old is not None:
                    alias[old] = current
    if prefix:
        deleted.update(_moved_out(repo, prefix, deleted))
    changes = {path: _statuses_before(cs, shapes[path]) for path, cs in changes.items()}
    off_main_line, unrelated = _off_main_line(repo, head, main)
    in_order = _in_main_line_order(order, off_main_line)
    # a note on a commit not on the main line yet approves nothing (the change has not been merged)
    notes_off_main_line = sum(1 for c in in_order.values() if not c.on_main_line and (c.approvals or c.note_problem))
    in_order = {sha: c if c.on_main_line else replace(c, approvals=(), note_problem="") for sha, c in in_order.items()}
    invalid_notes = {sha: c.note_problem for sha, c in in_order.items() if c.note_problem}
    if in_order:
        changes = {path: [replace(c, commit=in_order[c.commit.sha]) for c in cs] for path, cs in changes.items()}
        deleted = {
            path: replace(
                c,
                commit=in_order[c.commit.sha],
                added=replace(c.added, commit=in_order[c.added.commit.sha]) if c.added is not None else None,
            )
            for path, c in deleted.items()
        }
    oldest = min((c.commit.day for cs in changes.values() for c in cs), default=None)
    return LogPass(
        head=head,
        main_tips=main.tips,
        keep_lines_for=keep_lines_for,
        changes={path: tuple(cs) for path, cs in changes.items()},
        incomplete=frozenset(incomplete),
        deleted=deleted,
        shallow=bool(boundary),
        started=None if boundary else oldest,
        unrelated_main_note=unrelated,
        notes_tip=notes_tip,
        invalid_notes=invalid_notes,
        notes_off_main_line=notes_off_main_line,
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


def _in_main_line_order(newest_first: list[Commit], off_main_line: frozenset[str] = frozenset()) -> dict[str, Commit]:
    """Each commit by sha with its position on the main line, its date no earlier
    than that of any older commit on it, and whether it has reached the main branch
    (see :mod:`clausewise.core.history`)."""
    out: dict[str, Commit] = {}
    reached: Commit | None = None  # the commit with the latest date so far, from the oldest
    for position, commit in enumerate(reversed(newest_first)):
        on_main_line = commit.sha not in off_main_line
        if reached is not None and commit.committed < reached.committed:
            out[commit.sha] = replace(
                commit, position=position, committed=reached.committed, dated=commit.committed,
                dated_after=reached.sha, on_main_line=on_main_line,
            )  # fmt: skip
        else:
            out[commit.sha] = replace(commit, position=position, on_main_line=on_main_line)
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
