"""Approvals as a forge's API reports them, turned into the approvals of one git note.

The workflows that record approvals (``clausewise approvals record --from-github`` or
``--from-gitlab``) save the forge's answers as JSON files and pass them here; nothing in
this module talks to the network, so the same recorded answer always gives the same note.

- **GitHub**: ``GET /repos/{owner}/{repo}/pulls/{n}`` (the pull request: number, URL,
  title, who merged it, who wrote it) and ``GET /repos/{owner}/{repo}/pulls/{n}/reviews`` (every review).
  A reviewer's latest review that approved or withdrew (``APPROVED``,
  ``CHANGES_REQUESTED``, ``DISMISSED``) counts; a later plain comment
  (``COMMENTED``) does not withdraw an approval. The author's own reviews never count.
- **GitLab**: ``GET /projects/{id}/merge_requests/{iid}`` (the merge request) and
  ``GET /projects/{id}/merge_requests/{iid}/approvals`` (``approved_by``: each user, with
  ``approved_at`` on GitLab versions that give it; without it the approval is dated when
  the merge request was merged, the latest it can have been given).

A response that is not the shape expected raises :class:`ForgeResponseError`, which says
which file and what was missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from clausewise.core.history import ApprovalSource, ReviewApproval

#: Review states that say where a reviewer stands; a COMMENTED or PENDING review does not.
_DECISIVE = {"APPROVED", "CHANGES_REQUESTED", "DISMISSED"}


class ForgeResponseError(Exception):
    """A forge's API answer that cannot be read as approvals; the message says why."""


def _time(value: Any, what: str) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    raise ForgeResponseError(f"{what} is {value!r}, not a time such as 2026-03-01T10:00:00Z")


def _login(user: Any, key: str) -> str:
    return str(user.get(key) or "").strip() if isinstance(user, Mapping) else ""


def github_approvals(pull: Any, reviews: Any) -> tuple[ReviewApproval, ...]:
    """The approvals of a merged GitHub pull request, oldest first, from its ``pulls/{n}``
    and ``pulls/{n}/reviews`` answers."""
    if not isinstance(pull, Mapping) or not isinstance(pull.get("number"), int):
        raise ForgeResponseError("the pull request answer has no 'number': expected GET /repos/{o}/{r}/pulls/{n}")
    if not isinstance(reviews, list):
        raise ForgeResponseError("the reviews answer is not a list: expected GET /repos/{o}/{r}/pulls/{n}/reviews")
    author = _login(pull.get("user"), "login")
    latest: dict[str, tuple[datetime, str]] = {}
    for i, review in enumerate(reviews, 1):
        if not isinstance(review, Mapping):
            raise ForgeResponseError(f"review {i} is not an object")
        state, login = str(review.get("state", "")), _login(review.get("user"), "login")
        if state not in _DECISIVE or not login or login == author:
            continue
        at = _time(review.get("submitted_at"), f"review {i}'s submitted_at")
        if login not in latest or at >= latest[login][0]:
            latest[login] = (at, state)
    pr = int(pull["number"])
    url, title = str(pull.get("html_url") or ""), str(pull.get("title") or "")
    merged_by = _login(pull.get("merged_by"), "login")
    return tuple(
        ReviewApproval(login, ApprovalSource.NOTE, login, at, pr, url, title, merged_by, author)
        for login, (at, state) in sorted(latest.items(), key=lambda item: (item[1][0], item[0]))
        if state == "APPROVED"
    )


def gitlab_approvals(merge_request: Any, approvals: Any) -> tuple[ReviewApproval, ...]:
    """The approvals of a merged GitLab merge request, oldest first, from its
    ``merge_requests/{iid}`` and ``merge_requests/{iid}/approvals`` answers."""
    if not isinstance(merge_request, Mapping) or not isinstance(merge_request.get("iid"), int):
        raise ForgeResponseError(
            "the merge request answer has no 'iid': expected GET /projects/{id}/merge_requests/{iid}"
        )
    approved_by = approvals.get("approved_by") if isinstance(approvals, Mapping) else None
    if not isinstance(approved_by, list):
        raise ForgeResponseError(
            "the approvals answer has no 'approved_by' list: expected GET /projects/{id}/merge_requests/{iid}/approvals"
        )
    author = _login(merge_request.get("author"), "username")
    merged_by = _login(merge_request.get("merge_user") or merge_request.get("merged_by"), "username")
    merged_at = merge_request.get("merged_at")
    out: list[ReviewApproval] = []
    for i, entry in enumerate(approved_by, 1):
        user = entry.get("user") if isinstance(entry, Mapping) else None
        login = _login(user, "username")
        if not login:
            raise ForgeResponseError(f"approved_by entry {i} has no user.username")
        if login == author:
            continue
        name = _login(user, "name") or login
        when = entry.get("approved_at") or merged_at
        at = _time(when, f"approved_by entry {i}'s approved_at (or the merge request's merged_at)")
        out.append(
            ReviewApproval(
                name,
                ApprovalSource.NOTE,
                login,
                at,
                int(merge_request["iid"]),
                str(merge_request.get("web_url") or ""),
                str(merge_request.get("title") or ""),
                merged_by,
                author,
            )
        )
    return tuple(sorted(out, key=lambda a: (a.at or datetime.min.replace(tzinfo=UTC), a.login)))
