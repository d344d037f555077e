"""What git knows about the handbook's files, as plain data.

Built by :mod:`clausewise.sources.gitlog` (the only module that talks to git) and read
by the rules in :mod:`clausewise.rules.staleness`. Dates are UTC.

The rule for merges: history is read along the first parent of ``HEAD``, and
a change counts from the moment it reached the main branch, i.e. at the
committer date of the commit on the main line that brought it (the merge commit
for a merged branch, the commit itself for a squash or a direct commit).

The rule for branches: the main branch is ``clausewise_main_branch``, or, when that
is empty, the remote's default branch (``origin/HEAD``, or the HEAD of the only
remote), else a local or remote-tracking ``main``, else ``master``. A commit of the
first-parent history of ``HEAD`` that is not yet on it (one ``git rev-list HEAD
--not <main>`` per build) has :attr:`Commit.on_main_line` false: work on a branch
that has not been merged. A merge commit or a squash brings such work to the main
line as one change; a fast-forward or a rebase merge puts the branch's commits
themselves on the main line, each as it was. When no main branch is found (none of
those names, or a shallow clone that fetched only the commit checked out), every
commit read is taken as on the main line and :attr:`History.main_branch_note`
says so.

The rule for order: git's order along the first parent says which change is
newer, never the dates. A commit cannot have reached the main line before its
parent did, so a committer date earlier than one already reached (clock skew,
history imported or replayed with an old ``GIT_COMMITTER_DATE``) is taken as
that later date, and the commit keeps the date git recorded in
:attr:`Commit.dated` so that findings can say what was assumed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum


class ChangeKind(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    RENAMED = "renamed"
    DELETED = "deleted"


#: The notes ref that holds each change's approvals, one JSON note per commit on the main line
#: (see :func:`parse_approval_note`). Not a setting: the workflow that writes it, the build that
#: reads it and ``clausewise approvals`` must agree on one name, and one fixed name is what a
#: ``git fetch origin 'refs/notes/*:refs/notes/*'`` brings along.
APPROVALS_REF = "refs/notes/clausewise/approvals"


class ApprovalSource(StrEnum):
    """Where an approval was read from."""

    NOTE = "note"  # a JSON git note under APPROVALS_REF (a pull request's review, or `clausewise approvals record`)
    TRAILER = "trailer"  # an Approved-by: or Reviewed-by: trailer of the commit message


@dataclass(frozen=True)
class ReviewApproval:
    """One person's approval of one change that reached the main line.

    From a note: the reviewer's login and name, when they approved, and the pull request
    (number, URL, title, who merged it, and who wrote it: its author's login, when the note
    names one). From a trailer: only ``name`` (as written, without its e-mail address); a
    trailer carries no time, so ``at`` is None."""

    name: str
    source: ApprovalSource
    login: str = ""
    at: datetime | None = None  # UTC
    pull_request: int | None = None
    url: str = ""
    title: str = ""
    merged_by: str = ""
    #: the pull request's author (login): who wrote the change, which a merge commit's own
    #: author (whoever pressed merge) does not tell; "" when the note does not say
    author: str = ""


class WorkingState(StrEnum):
    """The file in the working tree compared with ``HEAD``."""

    CLEAN = "clean"
    MODIFIED = "modified"
    UNTRACKED = "untracked"


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    committed: datetime  # UTC: when it reached the main line
    authored: datetime  # UTC
    summary: str
    approved_by: tuple[str, ...] = ()
    reviewed_by: tuple[str, ...] = ()
    #: its place on the main line among the commits read: 0 for the oldest, larger is newer
    position: int = 0
    #: the committer date git recorded, when it is earlier than the date an older commit
    #: on the main line had reached (``committed`` is then that date); else None
    dated: datetime | None = None
    #: the older commit on the main line whose date ``committed`` was taken from
    dated_after: str = ""
    #: False for a commit of a branch that has not reached the main branch yet
    on_main_line: bool = True
    #: the approvals its note under APPROVALS_REF records (empty without a valid note)
    approvals: tuple[ReviewApproval, ...] = ()
    #: what is wrong with its note ("" when it has none or a valid one): approval-note-invalid
    note_problem: str = ""

    @property
    def day(self) -> date:
        return self.committed.date()

    @property
    def approvers(self) -> tuple[str, ...]:
        return self.approved_by + tuple(r for r in self.reviewed_by if r not in self.approved_by)


@dataclass(frozen=True)
class Approval:
    """Who approved a change that reached the main line, and on which day."""

    by: tuple[str, ...]  # names, as the approvers are shown
    day: date
    commit: Commit
    #: each approval, notes' first, then trailers' names not already among them
    approvals: tuple[ReviewApproval, ...] = ()


def _trailer_name(value: str) -> str:
    return value.split("<", 1)[0].strip() or value


def approvals_of(commit: Commit) -> tuple[ReviewApproval, ...]:
    """Every approval of ``commit``'s change: those of its git note first (with their own
    times), then its ``Approved-by:`` and ``Reviewed-by:`` trailers (a name shown without
    its e-mail address) whose names the note does not already give."""
    out = list(commit.approvals)
    known = {a.name.casefold() for a in out} | {a.login.casefold() for a in out if a.login}
    for value in commit.approvers:
        name = _trailer_name(value)
        if name.casefold() not in known:
            known.add(name.casefold())
            out.append(ReviewApproval(name, ApprovalSource.TRAILER))
    return tuple(out)


def approval_of(commit: Commit, approvals: tuple[ReviewApproval, ...] | None = None) -> Approval | None:
    """Who approved ``commit``'s change, and when; ``None``: no approval is recorded.

    ``approvals``: those that count (the register passes the approval rule's verdict's);
    by default every one recorded, :func:`approvals_of`, notes first, then trailers. The day
    is that of the latest approval a note dates (approvals are given before the merge; the
    last one completed it), else, for trailers alone, the day the commit reached the main
    line, since a trailer carries no date."""
    approvals = approvals_of(commit) if approvals is None else approvals
    if not approvals:
        return None
    dated = [a.at for a in approvals if a.at is not None]
    day = max(dated).date() if dated else commit.day
    return Approval(tuple(dict.fromkeys(a.name for a in approvals)), day, commit, approvals)


@dataclass(frozen=True)
class FileChange:
    """One commit's change to one file.

    ``content_changed`` is false for a pure rename and for an edit that only
    touched the ``reviewed:``, ``version:``, ``github:`` and ``members:`` lines (a
    role's GitHub handles and members say who approves, not what the role is); ``review_recorded`` is
    true when the edit touched one of those lines, ``correction_recorded``
    when it touched a ``correction:`` line.
    """

    commit: Commit
    kind: ChangeKind
    path: str  # the path in that commit
    old_path: str | None = None
    content_changed: bool = True
    review_recorded: bool = False
    correction_recorded: bool = False  # the edit touched a record's `correction:` line, giving it a value
    changed_lines: tuple[str, ...] = ()  # kept only for files that asked for it
    #: for an added or deleted file, its ``id:``, ``type:``, ``record_type:`` and ``period:``
    #: (what it is or was, and so whose; a record's period, for its retention)
    identity: tuple[tuple[str, str], ...] = ()
    #: for a deleted file, its newest addition before the deletion (None when that is not in
    #: the history read): whether it ever reached the main line, and what it was committed
    #: as (a record's retention is judged from that period too, not only from the one an
    #: edit gave it before its deletion)
    added: FileChange | None = None
    #: for an addition: the file was deleted before it, on the history read, and comes back
    #: with other text than it had then (a restore of the same text is not): a change of
    #: its content rather than a new file
    readded: bool = False
    #: the ``status:`` of the file's front matter as committed just before this change
    #: ("" when it had none or it could not be followed); "draft" makes the change one
    #: that completes a record rather than one that changes evidence
    status_before: str = ""
    #: the front matter's ``version:`` (a document of external origin: ``edition:``) as this
    #: change left it, followed from the file's first commit like ``status_before`` ("": the
    #: file had none; None: not followed, as when a change rewrote the front matter's fences)
    version: str | None = None


@dataclass(frozen=True)
class FileHistory:
    """The changes to one current file, newest first, following renames."""

    path: str
    changes: tuple[FileChange, ...] = ()
    complete: bool = True  # False when a shallow clone cut the history off
    working: WorkingState = WorkingState.CLEAN

    @property
    def last_content_change(self) -> FileChange | None:
        return next((c for c in self.changes if c.content_changed), None)

    @property
    def first_change(self) -> FileChange | None:
        return self.changes[-1] if self.changes and self.complete else None


@dataclass(frozen=True)
class History:
    """Everything read from git in one build."""

    available: bool
    reason: str = ""  # why history is unavailable
    shallow: bool = False
    files: Mapping[str, FileHistory] = field(default_factory=dict)
    #: gone from the handbook: the deleting change, or (kind RENAMED) the move out of the
    #: handbook's folder, whose ``path`` is then where it went, from the repository's top
    deleted: Mapping[str, FileChange] = field(default_factory=dict)
    started: date | None = None  # day of the oldest commit seen (None in a shallow clone)
    #: the main branch taken (e.g. "main"); "" when none was found
    main_branch: str = ""
    #: what was wrong with the main branch and what was assumed instead; "" when it was found
    main_branch_note: str = ""
    #: whether the repository has the notes ref APPROVALS_REF at all (a clone that did not fetch
    #: notes has not: its changes would all look unapproved)
    approval_notes: bool = False
    #: whether the repository has a remote: a clone, which may have left the notes behind
    cloned: bool = False
    #: commits read whose approval note is invalid: sha -> what is wrong (approval-note-invalid)
    invalid_notes: Mapping[str, str] = field(default_factory=dict)
    #: approval notes found on commits not yet on the main line: ignored, counted here
    notes_off_main_line: int = 0
    #: the handbook's folder in its repository, "" at its top, else ending in "/" ("handbook/")
    prefix: str = ""
    #: the main branch as the forge names it ("main" for a configured "origin/main"); "" when none was found
    forge_branch: str = ""

    @property
    def approval_notes_note(self) -> str:
        """What a clone (a repository with a remote) without :data:`APPROVALS_REF` says, once:
        its approvals recorded from pull-request reviews were not fetched (``git clone`` and
        ``actions/checkout`` leave notes behind), so no change shows an approver from them;
        "" otherwise (a repository without a remote cannot have forgotten to fetch). It is
        not a finding of every build: a handbook that records approvals only as trailers,
        or none, would carry it forever. ``clausewise approvals show`` prints it, and a rule
        that requires approvals is to report it once instead of a flood of unapproved changes."""
        if not self.available or not self.cloned or self.approval_notes:
            return ""
        return (
            f"this clone has no {APPROVALS_REF}: approvals recorded from pull-request reviews are not known "
            "here; fetch them with git fetch origin 'refs/notes/*:refs/notes/*'"
        )

    def of(self, path: str) -> FileHistory:
        """The history of ``path``; an unknown path is a file git has never seen."""
        return self.files.get(path, FileHistory(path, working=WorkingState.UNTRACKED))


def page_history(history: History, sources: Iterable[str]) -> FileHistory:
    """The history of a page made of several files (the page and what it
    includes): every change to any of them, newest first, each commit once."""
    sources = list(sources)
    main = history.of(sources[0])
    by_commit: dict[str, FileChange] = {}
    complete = True
    working = main.working
    for path in sources:
        file = history.of(path)
        complete = complete and file.complete
        if file.working is not WorkingState.CLEAN and working is WorkingState.CLEAN:
            working = WorkingState.MODIFIED
        for change in file.changes:
            seen = by_commit.get(change.commit.sha)
            if seen is None:
                by_commit[change.commit.sha] = change if path == sources[0] else replace(change, path=main.path)
            else:
                by_commit[change.commit.sha] = replace(
                    seen,
                    content_changed=seen.content_changed or change.content_changed,
                    review_recorded=seen.review_recorded or change.review_recorded,
                )
    # dates never go backwards along the main line (see the module's docstring): they and the
    # position order alike; the position breaks a tie between commits of the same time
    changes = sorted(by_commit.values(), key=lambda c: (c.commit.committed, c.commit.position), reverse=True)
    # a change to an included file alone leaves the page's version as the page's own last change
    # left it (the included file's own front matter, if any, is not the page's)
    own = {c.commit.sha for c in main.changes}
    version: str | None = None
    for i in range(len(changes) - 1, -1, -1):
        if changes[i].commit.sha in own:
            version = changes[i].version
        elif changes[i].version != version:
            changes[i] = replace(changes[i], version=version)
    return FileHistory(main.path, tuple(changes), complete, working)


#: The longest note read: a note is untrusted text, and a real one lists a few reviewers.
MAX_NOTE_CHARS = 64_000


def parse_approval_note(text: str) -> tuple[tuple[ReviewApproval, ...], str]:
    """The approvals of one JSON note under :data:`APPROVALS_REF`, and what is wrong with it
    ("" when nothing is). The note's form, as the workflow and ``clausewise approvals record``
    write it::

        {"pull_request": {"number": 12, "url": "https://...", "title": "...", "merged_by": "login",
                          "author": "login"},
         "approvals": [{"login": "alice", "name": "Alice Example", "at": "2026-03-01T10:00:00Z"}]}

    ``approvals`` is required and each needs ``login`` (or ``name``) and ``at`` (an ISO 8601
    time; without an offset, UTC); ``pull_request`` and its keys are optional. A problem gives
    no approvals at all: a half-read note would be evidence of something nobody wrote."""
    import json

    if len(text) > MAX_NOTE_CHARS:
        return (), f"the note is {len(text)} characters long, more than the {MAX_NOTE_CHARS} read"
    try:
        data = json.loads(text)
    except ValueError as exc:
        return (), f"the note is not valid JSON ({exc})"
    if not isinstance(data, dict) or not isinstance(data.get("approvals"), list):
        return (), "the note has no 'approvals' list (expected a JSON object with 'approvals': [...])"
    pr = data.get("pull_request") or {}
    if not isinstance(pr, dict):
        return (), "'pull_request' is not an object"
    number = pr.get("number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool) or number < 1):
        return (), f"'pull_request.number' is {number!r}, not a positive whole number"
    texts = {k: pr.get(k, "") for k in ("url", "title", "merged_by", "author")}
    if any(not isinstance(v, str) for v in texts.values()):
        return (), "'pull_request' url, title, merged_by and author must be text"
    out: list[ReviewApproval] = []
    for i, entry in enumerate(data["approvals"], 1):
        if not isinstance(entry, dict):
            return (), f"approval {i} is not an object"
        login, name, at = entry.get("login", ""), entry.get("name", ""), entry.get("at")
        if not isinstance(login, str) or not isinstance(name, str) or not (login.strip() or name.strip()):
            return (), f"approval {i} has no 'login' or 'name'"
        when = _note_time(at)
        if when is None:
            return (), f"approval {i} has 'at' {at!r}, not a time such as 2026-03-01T10:00:00Z"
        out.append(
            ReviewApproval(
                name.strip() or login.strip(),
                ApprovalSource.NOTE,
                login.strip(),
                when,
                number,
                texts["url"],
                texts["title"],
                texts["merged_by"],
                texts["author"].strip(),
            )
        )
    if not out:
        return (), "the note's 'approvals' list is empty"
    return tuple(out), ""


def _note_time(value: object) -> datetime | None:
    from datetime import UTC

    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def approval_note_text(approvals: Iterable[ReviewApproval]) -> str:
    """The JSON note for ``approvals`` of one pull request (the first one's pull request
    fields), as :func:`parse_approval_note` reads it; keys sorted, so the same approvals
    give the same note (and the same note blob) every time."""
    import json

    approvals = list(approvals)
    first = approvals[0]
    pr: dict[str, object] = {"url": first.url, "title": first.title, "merged_by": first.merged_by}
    if first.pull_request is not None:
        pr["number"] = first.pull_request
    if first.author:
        pr["author"] = first.author
    entries = [
        {"login": a.login, "name": a.name, "at": a.at.strftime("%Y-%m-%dT%H:%M:%SZ") if a.at else ""} for a in approvals
    ]
    return json.dumps({"pull_request": pr, "approvals": entries}, sort_keys=True, indent=1) + "\n"
