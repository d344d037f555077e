"""``clausewise approvals record`` and ``show``: the approvals of changes, kept as git notes.

``record`` writes one commit's JSON note under
:data:`~clausewise.core.history.APPROVALS_REF` (the form
:func:`~clausewise.core.history.parse_approval_note` reads), by hand or from a forge's
saved API answers (:mod:`clausewise.sources.reviews`); the GitHub workflow runs it when a
pull request is merged, and pushes the notes ref. It is the one place besides
:mod:`clausewise.sources.gitlog` and :mod:`clausewise.cli.demo` that runs git: notes are
written without touching the branch, so no commit id changes. ``show`` lists what a build
knows: each document's and record's changes with their approvals, read the way a build
reads them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clausewise.cli.common import Command, Subcommands, UsageError, described, load_result
from clausewise.core.findings import Code
from clausewise.core.history import (
    APPROVALS_REF,
    ApprovalSource,
    History,
    ReviewApproval,
    approval_note_text,
    approvals_of,
    parse_approval_note,
)
from clausewise.rules import approval
from clausewise.sources import reviews

#: What git must not take from the environment: the repository is the handbook's.
GIT_ENVIRONMENT = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE")


def _git(cwd: Path, *args: str, stdin: str | None = None, check: bool = True) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in GIT_ENVIRONMENT}
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True, env=env, check=False
        )
    except FileNotFoundError:
        raise UsageError("the git command is not installed") from None
    if check and done.returncode != 0:
        raise UsageError(f"git {args[0]} failed in {cwd}: {done.stderr.strip()}")
    return done.returncode, done.stdout


def _time_option(text: str) -> datetime:
    """--at: a time (2026-03-01T10:00:00Z; no offset means UTC) or a day (taken at noon UTC)."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time such as 2026-03-01T10:00:00Z or a date") from None
    if len(text.strip()) == 10:
        parsed = parsed.replace(hour=12)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None
    except ValueError as exc:
        raise UsageError(f"{path}: not valid JSON ({exc})") from None


def _given_approvals(args: argparse.Namespace) -> tuple[ReviewApproval, ...]:
    try:
        if args.from_github:
            pull, reviews_json = (_read_json(Path(p)) for p in args.from_github)
            return reviews.github_approvals(pull, reviews_json)
        if args.from_gitlab:
            merge_request, approvals = (_read_json(Path(p)) for p in args.from_gitlab)
            return reviews.gitlab_approvals(merge_request, approvals)
    except reviews.ForgeResponseError as exc:
        raise UsageError(str(exc)) from None
    if not args.approver or args.at is None:
        raise UsageError("give --approver NAME and --at TIME (or --from-github / --from-gitlab with saved answers)")
    name = args.approver.strip()
    return (
        ReviewApproval(
            name, ApprovalSource.NOTE, (args.login or name).strip(), args.at, args.pr, args.url or "",
            args.title or "", args.merged_by or "", (args.author or "").strip(),
        ),
    )  # fmt: skip


def record(top: Path, commit: str, given: tuple[ReviewApproval, ...], replace_note: bool) -> tuple[str, str]:
    """Write the note of ``commit`` in the repository at ``top``: ``given`` added to the
    approvals its note already holds (a reviewer already there is updated), or instead of
    them with ``replace_note`` (and instead of a note that cannot be read). Returns the
    commit's full id and the note written ("": nothing to write, as for a pull request
    merged without an approving review, which is not an error of the workflow)."""
    code, sha = _git(top, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}", check=False)
    if code != 0:
        raise UsageError(f"{commit!r} is not a commit of the repository at {top}")
    sha = sha.strip()
    kept: list[ReviewApproval] = []
    if not replace_note:
        code, existing = _git(top, "notes", f"--ref={APPROVALS_REF}", "show", sha, check=False)
        if code == 0:
            old, problem = parse_approval_note(existing)
            if problem:
                raise UsageError(
                    f"the approval note on {sha[:12]} cannot be read ({problem}): pass --replace to write it anew"
                )
            kept = list(old)
    logins = {a.login or a.name for a in given}
    approvals = [a for a in kept if (a.login or a.name) not in logins] + list(given)
    if not approvals:
        return sha, ""
    text = approval_note_text(approvals)
    _git(top, "notes", f"--ref={APPROVALS_REF}", "add", "--force", "--file=-", sha, stdin=text)
    return sha, text


def _describe(approval: ReviewApproval) -> str:
    who = approval.name + (f" (@{approval.login})" if approval.login and approval.login != approval.name else "")
    when = f" on {approval.at:%Y-%m-%d %H:%M} UTC" if approval.at else ""
    pr = f" in #{approval.pull_request}" if approval.pull_request is not None else ""
    url = f" {approval.url}" if approval.url else ""
    merged = f", merged by {approval.merged_by}" if approval.merged_by else ""
    return f"{who}{when}{pr}{url}{merged} [{approval.source}]"


def show_lines(
    history: History,
    histories: dict[str, Any],
    wanted: str | None,
    judged: Mapping[str, Mapping[str, approval.Verdict]] | None = None,
    said_once: bool = False,
) -> list[str]:
    """What ``clausewise approvals show`` prints: per id, each change on the main line,
    newest first, with its approvals (or "no approval recorded"), each that does not count with
    why, and whether it is ``approval-missing``; then what was not read. The verdict is the one
    the page's revision history shows (:func:`clausewise.rules.approval.change_verdict`; ``judged``:
    the approval rule's, by document and commit); ``said_once``: the build said once that the clone
    has no approval notes, so no change is marked ``approval-missing`` on its own."""
    lines: list[str] = []
    if not history.available:
        return [f"no history: {history.reason}"]
    if history.approval_notes_note:
        lines.append(history.approval_notes_note)
    elif not history.approval_notes:
        lines.append(f"this repository has no {APPROVALS_REF}: only trailers are known here")
    for item_id in sorted(histories) if wanted is None else [wanted]:
        changes = [c for c in histories[item_id].changes if c.commit.on_main_line]
        lines.append(f"{item_id}:" + ("" if changes else " no change on the main line"))
        ruled = (judged or {}).get(item_id, {})
        for change in changes:
            c = change.commit
            approvals = approvals_of(c)
            lines.append(f"  {c.day} {c.sha[:12]} {c.summary} (by {c.author})")
            lines += [f"    approved by {_describe(a)}" for a in approvals] or ["    no approval recorded"]
            verdict = approval.change_verdict(change, ruled)  # as its page says
            if not verdict.by_rule:
                if approvals and not verdict.approved:
                    lines.append("    no approval by anyone other than its author")
                continue
            lines += [f"    not counted: {a.name}: {why}" for a, _, why in verdict.refused]
            if not verdict.approved and not said_once:
                lines.append("    approval-missing: no approval the rule accepts (clausewise check says why)")
    for sha, problem in sorted(history.invalid_notes.items()):
        lines.append(f"approval note on {sha[:12]} not read: {problem}")
    if history.notes_off_main_line:
        lines.append(f"{history.notes_off_main_line} approval note(s) on commits not on the main line ignored")
    return lines


def _declare(sub: Subcommands) -> None:
    group = sub.add_parser("approvals", help="record or list the approvals of changes (git notes)")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    rec = described(
        actions, "record", "record approvals of a commit as its git note",
        f"Write the approvals of COMMIT (default HEAD: the merge commit, or the squashed commit, of a\n"
        f"pull request) as a JSON note under {APPROVALS_REF}, added to those it already\n"
        "has. By hand with --approver and --at, or from a forge's answers saved as JSON files.\n"
        "Push the notes afterwards: git push origin " + APPROVALS_REF,
        "  clausewise approvals record --approver 'Dana Quality' --login dana --at 2026-03-01T10:00:00Z \\\n"
        "      --pr 12 --url https://github.com/acme/sms/pull/12 --title 'Change backup policy' --merged-by erin\n"
        "  clausewise approvals record 3f2a9c1 --from-github pull.json reviews.json\n"
        "  clausewise approvals record \"$CI_COMMIT_SHA\" --from-gitlab merge-request.json approvals.json",
    )  # fmt: skip
    rec.add_argument("commit", nargs="?", default="HEAD", metavar="COMMIT", help="the commit (default: HEAD)")
    rec.add_argument("--approver", metavar="NAME", help="the approver's name, as shown")
    rec.add_argument("--login", metavar="LOGIN", help="the approver's forge login (default: the name)")
    rec.add_argument("--at", type=_time_option, metavar="TIME", help="when they approved (UTC unless an offset)")
    rec.add_argument("--pr", type=int, metavar="N", help="the pull request's number")
    rec.add_argument("--url", metavar="URL", help="the pull request's address")
    rec.add_argument("--title", metavar="T", help="the pull request's title")
    rec.add_argument("--merged-by", metavar="NAME", help="who merged it")
    rec.add_argument("--author", metavar="LOGIN", help="who wrote the change (the pull request's author)")
    rec.add_argument("--from-github", nargs=2, metavar=("PULL.json", "REVIEWS.json"),
                     help="GitHub's answers to GET pulls/{n} and GET pulls/{n}/reviews")  # fmt: skip
    rec.add_argument("--from-gitlab", nargs=2, metavar=("MR.json", "APPROVALS.json"),
                     help="GitLab's answers to GET merge_requests/{iid} and .../approvals")  # fmt: skip
    rec.add_argument("--replace", action="store_true", help="replace the commit's note instead of adding to it")
    show = described(
        actions, "show", "list the approvals the handbook knows",
        "For each document and record (or the one ID), each change that reached the main line, newest\n"
        "first, with who approved it, when, and where that was read from (a git note or a trailer).",
        "  clausewise approvals show\n  clausewise approvals show POL-001",
    )  # fmt: skip
    show.add_argument("id", nargs="?", metavar="ID", help="a document's or record's id (default: all)")


def _run(args: argparse.Namespace) -> int:
    if args.action == "record":
        given = _given_approvals(args)
        _, top = _git(args.handbook, "rev-parse", "--show-toplevel")
        sha, text = record(Path(top.strip()), args.commit, given, args.replace)
        if not text:
            print(f"no approving review for {sha[:12]}: nothing recorded")
            return 0
        names = ", ".join(a.name for a in parse_approval_note(text)[0])
        print(f"approvals of {sha[:12]} recorded in {APPROVALS_REF}: {names}")
        print(f"  publish them: git push origin {APPROVALS_REF}")
        return 0
    result = load_result(args.handbook, None)
    if args.id is not None and args.id not in result.histories:
        raise UsageError(f"{args.id!r} is not the id of a document or record of this handbook")
    said_once = any(f.code is Code.APPROVAL_MISSING and not f.id for f in result.findings)  # a clone without notes
    for line in show_lines(result.history, dict(result.histories), args.id, result.approvals, said_once):
        print(line)
    return 0


APPROVALS = Command("approvals", _declare, _run)
