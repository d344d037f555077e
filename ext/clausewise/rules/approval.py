"""Approval of changes: ``clausewise_approval`` and ``approval-missing``.

ISO/IEC 20000-1 (7.5.3) wants documented information approved before issue and its changes
controlled. In a docs-as-code handbook a change is issued when it reaches the main line, and
approved by a review: the approvals :mod:`clausewise.core.history` reads from git notes and
``Approved-by:``/``Reviewed-by:`` trailers (:func:`~clausewise.core.history.approvals_of`).
This module judges each change against the rule; pure functions over that data. Its verdict is
the only one: a page's revision history (:mod:`clausewise.rules.revisions`) and ``clausewise
approvals show`` mark each change as :func:`change_verdict` does, so they never disagree with
``approval-missing``.

What is judged: every change to a policy, procedure, governing document, role or document of
external origin (records are produced, not approved: their integrity is
:mod:`clausewise.rules.evidence`'s) that reached the main line on or after ``since``: a content
change, a review (a change of ``reviewed:``/``version:`` only: the review is the approval), and a
change of who may approve (a role's ``github:``/``members:``), which would otherwise let anyone
make themselves an approver. Not judged: a commit not on the main line yet (a branch), a pure
rename, a change while the document was a draft and stayed one, a document that is a draft now.

Which approvals count: one given (its time, when a note records one) no later than the commit
reached the main line, by someone other than the commit's author, and, with ``"by": "owner"``, by
a member of the document's owner role. Identity is matched without regard to case or spacing:

- *the author*: the pull request's author when the note names one (``pull_request.author``,
  which the workflow records), else the commit's author (git records a name; a forge login
  is often the name used). An approval is the author's when its login or its name equals
  that. Without the pull request's author, an approver who is also the note's ``merged_by``
  is not taken for the author: a merge commit is authored by whoever merged it (GitHub's
  merge button), and the forge's record (:mod:`clausewise.sources.reviews`) already leaves
  the pull request author's own reviews out.
- *a member*: the approval's login (for a trailer, which has none: its e-mail address's local
  part, after a ``+`` for GitHub's ``12345+login@users.noreply.github.com``, else its name) is
  one of the role's ``members:``, one of its ``github:`` users (``@login``), or a member of one of
  its ``github:`` teams as the team file lists them (:mod:`clausewise.sources.teams`).

A clone without the approvals' notes ref (``History.approval_notes_note``) knows none of the
approvals recorded from pull-request reviews: when no change judged carries a trailer either,
one ``approval-missing`` on ``conf.py`` says so and how many changes could not be judged, instead
of one per change; when trailers are in use, each change is judged and its finding adds the hint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from clausewise.core.findings import Code, Finding
from clausewise.core.history import (
    ApprovalSource,
    ChangeKind,
    Commit,
    FileChange,
    FileHistory,
    History,
    ReviewApproval,
    approvals_of,
)
from clausewise.core.model import DocType, GovernedDocument, Status
from clausewise.core.settings import ApprovalRule


def _norm(text: str) -> str:
    return " ".join(text.strip().removeprefix("@").split()).casefold()


@dataclass(frozen=True)
class Owners:
    """Who may approve for one role under ``"by": "owner"``: logins (lower case), and what
    could not be resolved (teams the team file does not list, a role that does not exist)."""

    role: str
    logins: frozenset[str]
    unresolved: tuple[str, ...] = ()


def owners_of(
    document: GovernedDocument,
    roles: Mapping[str, GovernedDocument],
    teams: Mapping[str, frozenset[str]] | None,
    team_file: str = "",
) -> Owners:
    """The members of ``document``'s owner role: its ``members:``, its ``github:`` users and the
    members of its ``github:`` teams in ``teams`` (``None``: no team file was read; ``team_file``
    is the configured path, named when a team cannot be resolved)."""
    role = roles.get(document.owner or "")
    if role is None:
        return Owners(document.owner or "", frozenset(), (f"its owner {document.owner!r} is not a role",))
    logins = {_norm(m) for m in role.members}
    unresolved = []
    for handle in role.github:
        if "/" not in handle:
            logins.add(_norm(handle))
            continue
        found = None if teams is None else teams.get(handle.removeprefix("@").casefold())
        if found is not None:
            logins |= found
        elif teams is None:
            where = f"the team file {team_file!r} is missing" if team_file else "clausewise_team_members is not set"
            unresolved.append(f"the members of {handle} are not known ({where})")
        else:
            unresolved.append(f"the team file {team_file!r} does not list {handle}")
    return Owners(role.id, frozenset(logins), tuple(unresolved))


def _trailer_logins(commit: Commit) -> dict[str, str]:
    """A trailer approver's name (normalised) -> the login its e-mail address suggests."""
    out = {}
    for value in commit.approvers:
        name, _, rest = value.partition("<")
        local = rest.split("@", 1)[0].strip()
        local = local.rsplit("+", 1)[-1] if "noreply" in rest else local
        if local:
            out[_norm(name or value)] = _norm(local)
    return out


class Refusal(StrEnum):
    """Why an approval does not count."""

    AUTHOR = "by the change's author"
    AFTER_MERGE = "given after the change reached the main line"
    NOT_OWNER = "not by a member of the owner role"


@dataclass(frozen=True)
class Verdict:
    """One change judged: the approvals that count, and each one that does not with its
    :class:`Refusal` and why in words."""

    change: FileChange
    counted: tuple[ReviewApproval, ...]
    refused: tuple[tuple[ReviewApproval, Refusal, str], ...]
    owners: Owners | None = None  # with "by": "owner": who may approve
    #: who wrote the change: the pull request's author when its note names one, else the commit's
    author: str = ""
    #: whether ``clausewise_approval`` judged the change (an unapproved one is ``approval-missing``);
    #: else it is the mark a page gives without the rule (see :func:`change_verdict`)
    by_rule: bool = True

    @property
    def approved(self) -> bool:
        return bool(self.counted)


def judge(
    change: FileChange,
    owners: Owners | None = None,
    approvals: tuple[ReviewApproval, ...] | None = None,
    *,
    before_merge: bool = True,
) -> Verdict:
    """Which approvals of ``change``'s commit (or the ``approvals`` given: an as-of build's) count:
    by someone other than its author, given by the time it reached the main line (unless not
    ``before_merge``), and, when ``owners`` is given (``"by": "owner"``), by one of them."""
    commit = change.commit
    approvals = approvals_of(commit) if approvals is None else approvals
    # who wrote the change: the pull request's author when the note names one, else the commit's
    pr_author = next((_norm(a.author) for a in approvals if a.author), "")
    author = pr_author or _norm(commit.author)
    shown_author = next((a.author for a in approvals if a.author), "") or commit.author
    trailer_logins = _trailer_logins(commit)
    counted, refused = [], []
    for approval in approvals:
        login = _norm(approval.login) or trailer_logins.get(_norm(approval.name), "")
        merger = _norm(approval.merged_by)
        # without the pull request's author, a commit authored by the approver who merged it is a
        # merge commit made by the merge button, not a change the approver wrote
        merged_it = not pr_author and bool(merger) and merger in {login, _norm(approval.name)}
        if author in {login, _norm(approval.name)} - {""} and not merged_it:
            refused.append((approval, Refusal.AUTHOR, f"it is by the change's author, {shown_author}"))
        elif before_merge and approval.at is not None and approval.at > commit.committed:
            refused.append(
                (approval, Refusal.AFTER_MERGE,
                 f"it was given at {approval.at:%Y-%m-%d %H:%M} UTC, after the change reached the main "
                 f"line at {commit.committed:%Y-%m-%d %H:%M} UTC")
            )  # fmt: skip
        elif owners is not None and (login or _norm(approval.name)) not in owners.logins:
            refused.append((approval, Refusal.NOT_OWNER,
                            f"{approval.login or approval.name} is not a member of {owners.role}"))  # fmt: skip
        else:
            counted.append(approval)
    return Verdict(change, tuple(counted), tuple(refused), owners, shown_author)


def change_verdict(
    change: FileChange, judged: Mapping[str, Verdict], approvals: tuple[ReviewApproval, ...] | None = None
) -> Verdict:
    """The one verdict a page's revision history and ``clausewise approvals show`` give a change
    on the main line: the rule's (``judged``: commit -> its verdict, from :func:`rule_verdicts`) when
    the rule judges it, so that a page and ``approval-missing`` never disagree; else, with the rule
    off or for a change it does not judge (before ``since``, a draft's), the mark without the rule:
    an approval by anyone other than the author, the same author the rule sees (the note's
    pull-request author, else the commit's), whenever it was given (a note may be written later).
    ``approvals``: those known (an as-of build leaves out the approvals dated after its day); an
    approval the rule refused that is not among them is left out of the verdict too."""
    ruled = judged.get(change.commit.sha)
    if ruled is None:
        return replace(judge(change, None, approvals, before_merge=False), by_rule=False)
    if approvals is None:
        return ruled
    return replace(ruled, refused=tuple(r for r in ruled.refused if r[0] in approvals))


def rule_verdicts(
    documents: Iterable[GovernedDocument],
    histories: Mapping[str, FileHistory],
    rule: ApprovalRule,
    teams: Mapping[str, frozenset[str]] | None = None,
    team_file: str = "",
) -> dict[str, dict[str, Verdict]]:
    """Document id -> commit -> the rule's verdict on each change of its page the rule judges."""
    documents = list(documents)
    roles = {d.id: d for d in documents if d.type is DocType.ROLE}
    out: dict[str, dict[str, Verdict]] = {}
    for doc in sorted(documents, key=lambda d: d.id):
        page = histories.get(doc.id)
        changes = judged_changes(doc, page, rule) if page is not None else []
        if not changes:
            continue
        owners = owners_of(doc, roles, teams, team_file) if rule.by == "owner" else None
        out[doc.id] = {change.commit.sha: judge(change, owners) for change in changes}
    return out


def judged_changes(document: GovernedDocument, page: FileHistory, rule: ApprovalRule) -> list[FileChange]:
    """The changes of ``document``'s page that ``rule`` judges, newest first (see the module)."""
    if not rule.required or rule.since is None or document.type is DocType.RECORD:
        return []
    if document.status is Status.DRAFT:
        return []
    out = []
    after = document.status.value if document.status else ""
    for change in page.changes:  # newest first: the status after a change is the one before the newer one
        status_after, after = after, change.status_before
        stayed_draft = status_after == Status.DRAFT.value and (
            change.status_before == Status.DRAFT.value or change.kind is ChangeKind.ADDED
        )
        pure_rename = change.kind is ChangeKind.RENAMED and not change.content_changed and not change.review_recorded
        if not change.commit.on_main_line or change.commit.day < rule.since or pure_rename or stayed_draft:
            continue
        out.append(change)
    return out


def _what(change: FileChange) -> str:
    if change.kind is ChangeKind.ADDED:
        return "was added"
    if change.content_changed:
        return "changed"
    if change.review_recorded:
        return "recorded a review (reviewed:/version:)"
    return "changed who may approve it (github:/members:)"


def approval_findings(
    documents: Iterable[GovernedDocument],
    verdicts: Mapping[str, Mapping[str, Verdict]],
    history: History,
    rule: ApprovalRule,
    conf_py: str = "conf.py",
) -> list[Finding]:
    """``approval-missing`` for each judged change without an approval that counts (see the module);
    ``verdicts``: :func:`rule_verdicts`' of the same documents."""
    if not rule.required or rule.since is None or not history.available:
        return []
    by_id = {d.id: d for d in documents}
    judged = [(by_id[doc_id], v) for doc_id in sorted(verdicts) if doc_id in by_id for v in verdicts[doc_id].values()]
    missing = [(doc, v) for doc, v in judged if not v.approved]
    no_notes = history.approval_notes_note
    uses_trailers = any(a.source is ApprovalSource.TRAILER for _, v in judged for a in approvals_of(v.change.commit))
    if no_notes and not uses_trailers:
        if not missing:
            return []
        commits = len({v.change.commit.sha for _, v in missing})
        return [
            Finding(conf_py, 0, Code.APPROVAL_MISSING, "",
                    f"{len(missing)} changes to governed documents ({commits} commits) since "
                    f"{rule.since.isoformat()} show no approval, but {no_notes}; they are not reported one by "
                    f"one until then")
        ]  # fmt: skip
    findings = []
    for doc, verdict in missing:
        findings.append(Finding(doc.source.path, doc.source.line, Code.APPROVAL_MISSING, doc.id,
                                _message(doc, verdict, rule, no_notes)))  # fmt: skip
    return findings


def _message(doc: GovernedDocument, verdict: Verdict, rule: ApprovalRule, no_notes: str) -> str:
    commit = verdict.change.commit
    short = commit.sha[:12]
    whom = f"a member of its owner role {doc.owner}" if rule.by == "owner" else "someone other than its author"
    if verdict.refused:
        reasons = "; ".join(f"the approval by {a.name} does not count: {why}" for a, _, why in verdict.refused)
    else:
        reasons = "no approval is recorded"
    author = verdict.author or commit.author
    text = (
        f"{doc.id} {_what(verdict.change)} in commit {short} by {author} ({commit.summary!r}), which reached "
        f"the main line on {commit.day.isoformat()} without an approval by {whom}: {reasons}"
    )
    if verdict.owners is not None:
        text += _owners_note(verdict.owners)
    fix = (
        f"; have {whom} review and approve it (a pull request's approving review, recorded by the workflow), or "
        f"record an approval given before the merge: clausewise approvals record {short} --approver NAME --at TIME"
    )
    return text + fix + (f" ({no_notes})" if no_notes else "")


def _owners_note(owners: Owners) -> str:
    """Who may approve for the owner role, as the finding shows it (at most ten logins)."""
    known = sorted(owners.logins)
    if known:
        shown = ", ".join(known[:10]) + (f" and {len(known) - 10} more" if len(known) > 10 else "")
        text = f" ({owners.role}'s members: {shown}"
    elif owners.unresolved:
        text = f" (no member of {owners.role} is known"
    else:
        text = f" ({owners.role} has no members: list their logins under members: on its page, or teams under github:"
    return text + "".join(f"; {u}" for u in owners.unresolved) + ")"
