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


def approval_of(commit: Commit) -> Approval | None:
    """Who approved ``commit``'s change, and when; ``None``: no approval is recorded.

    The one place the register (and whatever else shows an approval) learns it
    from. Today it reads the commit's ``Approved-by:`` and ``Reviewed-by:``
    trailers (:attr:`Commit.approvers`; a name is shown without its e-mail
    address), dated the day the commit reached the main line, since a trailer
    carries no date. The approvals recorded from pull-request reviews as git
    notes (issue 15) are to feed this function too, with their own dates."""
    if not commit.approvers:
        return None
    names = tuple(dict.fromkeys(a.split("<", 1)[0].strip() or a for a in commit.approvers))
    return Approval(names, commit.day, commit)


@dataclass(frozen=True)
class FileChange:
    """One commit's change to one file.

    ``content_changed`` is false for a pure rename and for an edit that only
    touched the ``reviewed:``, ``version:`` and ``github:`` lines (a role's
    GitHub handles say who approves, not what the role is); ``review_recorded`` is
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
    return FileHistory(main.path, tuple(changes), complete, working)
