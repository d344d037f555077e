"""A page's revision history as evidence: each change that reached the main line, newest
first, with its version, the day it reached the main line, its summary (the pull request's
title), its author, who approved it and when, and where to see the commit and the pull request.

Pure functions over :mod:`clausewise.core.history`; :func:`clausewise.sphinxext.render.revision_history`
draws the rows, ``clausewise approvals show`` reads the same approvals (``approvals_of``).

Decisions the rows make:

- **Version**: the ``version:`` (a document of external origin: ``edition:``) the change left in
  the page's front matter, followed by the git pass from the page's first commit
  (:attr:`~clausewise.core.history.FileChange.version`); a change to an included file alone
  keeps the version the page had. Where the front matter could not be followed (a shallow
  clone, a change that rewrote its fences) the version is not known, except for the newest
  change of a page without uncommitted edits: that is the version the page shows now.
- **Approved**: one verdict, :func:`clausewise.rules.approval.change_verdict`'s, which
  ``approval-missing`` and ``clausewise approvals show`` give too, so a page and the finding
  never disagree. For a change ``clausewise_approval`` judges it is the rule's (not the author's,
  given before the merge, with ``"by": "owner"`` a member of the owner role), and each approval
  it refuses is shown with why; for any other change (the rule off, a change before ``since``)
  an approval (a git note's, or an ``Approved-by:``/``Reviewed-by:`` trailer) by anyone other
  than its author: the note's pull-request author, else the commit's.
- **Not yet merged**: a change of a branch not yet on the main line (a pull request's preview
  build) is neither approved nor unapproved: it is marked so.
- **As of a day** (``clausewise as-of``): the build reads the repository as its last commit of
  that day left it, so later changes are not there; the notes ref is the repository's today,
  so an approval a note dates after that day is left out (it did not exist then). A trailer is
  part of its commit and is always shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clausewise.core.history import (
    ChangeKind,
    Commit,
    FileChange,
    FileHistory,
    ReviewApproval,
    WorkingState,
    approvals_of,
)
from clausewise.rules.approval import Verdict, change_verdict


class RevisionState(StrEnum):
    APPROVED = "approved"
    UNAPPROVED = "merged without approval"
    NOT_MERGED = "not yet merged"
    NOT_APPROVED_KIND = "not approved"  # a record's change: records are evidence, not approved


@dataclass(frozen=True)
class Revision:
    """One row of a page's revision history."""

    change: FileChange
    #: the page's version after the change ("" for none, None when not known)
    version: str | None
    #: the pull request's title from its approval note, else the commit's summary
    summary: str
    #: the approvals shown: all of the change's (see the module's docstring for as-of builds)
    approvals: tuple[ReviewApproval, ...]
    state: RevisionState
    #: the pull request's number and address, from its approval note (None, "": not known)
    pull_request: int | None = None
    pull_request_url: str = ""
    #: the approval verdict of a governed page's change on the main line (None: a record's, or
    #: not merged yet): which approvals count and why the others do not
    verdict: Verdict | None = None

    @property
    def commit(self) -> Commit:
        return self.change.commit


def known_by(approvals: tuple[ReviewApproval, ...], as_of: date | None) -> tuple[ReviewApproval, ...]:
    """The approvals that existed on ``as_of`` (all of them when None): a note's approval dated
    after that day did not; a trailer's (undated) is part of its commit."""
    if as_of is None:
        return approvals
    return tuple(a for a in approvals if a.at is None or a.at.date() <= as_of)


def revisions(
    history: FileHistory,
    *,
    approved_kind: bool = True,
    current_version: str | None = None,
    as_of: date | None = None,
    judged: Mapping[str, Verdict] | None = None,
) -> tuple[Revision, ...]:
    """The rows of ``history`` (newest first, as it is): ``approved_kind`` is false for a page
    that is not approved (a record); ``current_version`` is the page's version now, the newest
    row's when the git pass could not follow it and the page has no uncommitted edits;
    ``as_of`` the day of an as-of build (see the module's docstring); ``judged``: the approval
    rule's verdict on each change of the page it judges, by commit
    (:func:`clausewise.rules.approval.rule_verdicts`)."""
    out: list[Revision] = []
    for i, change in enumerate(history.changes):
        commit = change.commit
        if as_of is not None and commit.day > as_of:
            continue
        approvals = known_by(approvals_of(commit), as_of)
        version = change.version
        if version is None and i == 0 and history.working is WorkingState.CLEAN:
            version = current_version
        note = next((a for a in approvals if a.pull_request is not None or a.url or a.title), None)
        summary = note.title if note is not None and note.title else commit.summary
        if change.kind is ChangeKind.RENAMED and change.old_path:
            summary += f" (renamed from {change.old_path})"
        verdict = None
        if not commit.on_main_line:
            state = RevisionState.NOT_MERGED
        elif not approved_kind:
            state = RevisionState.NOT_APPROVED_KIND
        else:
            verdict = change_verdict(change, judged or {}, approvals)
            state = RevisionState.APPROVED if verdict.approved else RevisionState.UNAPPROVED
        out.append(
            Revision(
                change, version, summary, approvals, state,
                note.pull_request if note is not None else None, note.url if note is not None else "", verdict,
            )
        )  # fmt: skip
    return tuple(out)
