"""Approvals recorded as git notes (refs/notes/clausewise/approvals): real repositories
with real notes, read by real builds; the forges' recorded API answers turned into notes
by ``clausewise approvals record``; ``clausewise approvals show``."""

from __future__ import annotations

import csv
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import yaml
from clausewise.core.history import APPROVALS_REF, ApprovalSource, ReviewApproval, approval_of
from clausewise.sources.gitlog import read_history
from clausewise.sources.reviews import ForgeResponseError, github_approvals, gitlab_approvals
from git import Repo
from handbook import Build, build, commit, governed, ok, refused, role, run_clausewise, write_handbook
from test_repository_automation import fake_gh, run_step

DATA = Path(__file__).parent / "data" / "forge"
REGISTER_PAGE = "# Document register\n\n```{document-register}\n```\n"
CARL = ("Carl Author", "carl@example.org")
NOTE = {
    "pull_request": {"number": 7, "url": "https://forge.example.org/sms/pull/7", "title": "Tighten the policy",
                     "merged_by": "erin"},
    "approvals": [{"login": "dana", "name": "Dana Quality", "at": "2026-08-03T09:30:00Z"}],
}  # fmt: skip


def handbook(tmp_path: Path) -> Path:
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(satisfies=None),
            "policies/p.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1]"),
            "pages/register.md": REGISTER_PAGE,
        },
    )


def add_note(root: Path, sha: str, text: str) -> None:
    subprocess.run(["git", "notes", f"--ref={APPROVALS_REF}", "add", "-f", "-F", "-", sha], cwd=root,
                   input=text, text=True, check=True, capture_output=True)  # fmt: skip


def merged_change(root: Path, body: str = "Changed.\n", trailer: str = "") -> str:
    """A branch by Carl changing the policy, merged with --no-ff on 2026-08-04; the merge's sha."""
    repo = Repo(root)
    repo.git.switch("-c", "tighten")
    commit(root, "Tighten the policy", "2026-08-02T09:00:00+00:00",
           {"policies/p.md": governed("POL-001", "policy", "Service policy", body=body, satisfies="[1.1]")},
           author=CARL)  # fmt: skip
    repo.git.switch("main")
    env = {"GIT_AUTHOR_DATE": "2026-08-04T10:00:00+00:00", "GIT_COMMITTER_DATE": "2026-08-04T10:00:00+00:00"}
    with repo.git.custom_environment(**env):
        repo.git.merge("--no-ff", "-m", f"Merge pull request #7\n\nTighten the policy{trailer}", "tighten")
    return repo.head.commit.hexsha


def approval_findings(result: Build) -> list[tuple[str, str, int, str]]:
    """The findings about approval notes (the small handbook has others: clauses it leaves uncovered)."""
    return [f for f in result.findings if f[0].startswith("approval-")]


def register_row(result_outdir: Path, doc_id: str) -> dict[str, str]:
    with (result_outdir / "clausewise" / "register.csv").open(newline="") as f:
        return next(row for row in csv.DictReader(f) if row["id"] == doc_id)


def test_a_merge_with_an_approval_note(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = merged_change(root)
    add_note(root, sha, json.dumps(NOTE))
    history, _ = read_history(root)
    assert history.approval_notes is True and history.invalid_notes == {}
    change = history.files["policies/p.md"].changes[0]
    assert change.commit.sha == sha
    approval = approval_of(change.commit)
    assert approval is not None
    assert (approval.by, approval.day) == (("Dana Quality",), datetime(2026, 8, 3).date())
    assert approval.approvals == (
        ReviewApproval("Dana Quality", ApprovalSource.NOTE, "dana", datetime(2026, 8, 3, 9, 30, tzinfo=UTC), 7,
                       "https://forge.example.org/sms/pull/7", "Tighten the policy", "erin"),
    )  # fmt: skip
    result = build(root)
    assert approval_findings(result) == []
    row = register_row(result.outdir, "POL-001")
    assert (row["approved_on"], row["approved_by"], row["last_changed"]) == ("2026-08-03", "Dana Quality", "2026-08-04")


def test_a_squash_merge_with_notes_and_a_trailer_together(tmp_path: Path) -> None:
    """A squashed commit on main carries its note; a trailer naming another approver adds
    that name (undated), and a trailer naming the note's approver is not listed twice."""
    root = handbook(tmp_path)
    sha = commit(
        root, "Tighten the policy (#7)\n\nApproved-by: Dana Quality <dana@example.org>\nReviewed-by: Hal Legal",
        "2026-08-04T10:00:00+00:00",
        {"policies/p.md": governed("POL-001", "policy", "Service policy", body="Squashed.\n", satisfies="[1.1]")},
        author=CARL,
    )  # fmt: skip
    add_note(root, sha, json.dumps(NOTE))
    history, _ = read_history(root)
    approval = approval_of(history.files["policies/p.md"].changes[0].commit)
    assert approval is not None
    assert approval.by == ("Dana Quality", "Hal Legal")
    assert [(a.source, a.at) for a in approval.approvals] == [
        (ApprovalSource.NOTE, datetime(2026, 8, 3, 9, 30, tzinfo=UTC)),
        (ApprovalSource.TRAILER, None),
    ]
    assert approval.day == datetime(2026, 8, 3).date()


def test_trailers_alone_are_read_as_before(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = merged_change(root, trailer="\n\nApproved-by: Bob Reviewer <bob@example.org>")
    history, _ = read_history(root)
    assert history.approval_notes is False
    approval = approval_of(history.files["policies/p.md"].changes[0].commit)
    assert approval is not None and approval.commit.sha == sha
    assert (approval.by, approval.day, approval.approvals[0].source) == (
        ("Bob Reviewer",), datetime(2026, 8, 4).date(), ApprovalSource.TRAILER,
    )  # fmt: skip


def test_an_invalid_note_is_a_finding_naming_the_commit(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = merged_change(root)
    add_note(root, sha, '{"approvals": [{"login": "dana", "at": "yesterday"}]}')
    first = commit(root, "Wording", "2026-08-05T09:00:00+00:00",
                   {"policies/p.md": governed("POL-001", "policy", "Service policy", body="Again.\n",
                                              satisfies="[1.1]")})  # fmt: skip
    add_note(root, first, "Approved by Dana over the phone\x00")
    result = build(root)
    assert approval_findings(result) == [("approval-note-invalid", "", 0, ""), ("approval-note-invalid", "", 0, "")]
    messages = sorted(f["message"] for f in result.report["findings"] if f["code"] == "approval-note-invalid")
    assert messages == sorted([
        f"the approval note on commit {sha[:12]}: approval 1 has 'at' 'yesterday', not a time such as "
        "2026-03-01T10:00:00Z",
        f"the approval note on commit {first[:12]}: the note is not valid JSON (Expecting value: line 1 column 1 "
        "(char 0))",
    ])  # fmt: skip
    history, _ = read_history(root)
    assert [approval_of(c.commit) for c in history.files["policies/p.md"].changes[:2]] == [None, None]


def test_a_note_cannot_fake_the_stream_markers(tmp_path: Path) -> None:
    """A note holding NUL bytes and text shaped like the stream's framing changes nothing
    but its own commit's approvals."""
    root = handbook(tmp_path)
    sha = merged_change(root)
    add_note(root, sha, "\x00abcC\x00\x00E\x00\x00N\x00" + json.dumps(NOTE))
    history, _ = read_history(root)
    changes = history.files["policies/p.md"].changes
    assert (changes[0].commit.sha, len(changes)) == (sha, 2)
    assert sha in history.invalid_notes and approval_of(changes[0].commit) is None


def test_a_clone_without_the_notes_says_so_once(tmp_path: Path) -> None:
    """A clone leaves the notes behind: its history says so once (no finding per change,
    nor one on every build of a handbook that never records notes), and approvals show
    prints it first; once the notes are fetched, the approvals are known."""
    origin = handbook(tmp_path)
    for i, day in enumerate(("2026-08-04", "2026-08-05", "2026-08-06")):
        sha = commit(origin, f"Change {i}", f"{day}T10:00:00+00:00",
                     {"policies/p.md": governed("POL-001", "policy", "Service policy", body=f"{i}\n",
                                                satisfies="[1.1]")})  # fmt: skip
        add_note(origin, sha, json.dumps(NOTE))
    assert read_history(origin)[0].approval_notes_note == ""  # no remote: nothing to forget
    clone = tmp_path / "clone"
    Repo.clone_from(f"file://{origin}", clone)
    history, _ = read_history(clone)
    missing = (
        "this clone has no refs/notes/clausewise/approvals: approvals recorded from pull-request reviews are not "
        "known here; fetch them with git fetch origin 'refs/notes/*:refs/notes/*'"
    )
    assert (history.approval_notes, history.cloned, history.approval_notes_note) == (False, True, missing)
    shown = ok(run_clausewise("approvals", "show", "POL-001", cwd=clone, today="2026-09-01"))
    assert shown[0] == missing
    assert shown.count("    no approval recorded") == 4
    result = build(clone)
    assert approval_findings(result) == []
    assert register_row(result.outdir, "POL-001")["approved_by"] == ""
    subprocess.run(["git", "fetch", "origin", "refs/notes/*:refs/notes/*"], cwd=clone, check=True,
                   capture_output=True)  # fmt: skip
    assert read_history(clone)[0].approval_notes_note == ""
    shown = ok(run_clausewise("approvals", "show", "POL-001", cwd=clone, today="2026-09-01"))
    assert shown[0] == "POL-001:" and shown.count("    no approval recorded") == 1
    result = build(clone)
    assert approval_findings(result) == []
    assert register_row(result.outdir, "POL-001")["approved_by"] == "Dana Quality"


def test_a_note_on_a_commit_not_on_the_main_line_is_ignored_and_counted(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    repo = Repo(root)
    repo.git.switch("-c", "work")
    sha = commit(root, "Unmerged work", "2026-08-02T09:00:00+00:00",
                 {"policies/p.md": governed("POL-001", "policy", "Service policy", body="WIP\n",
                                            satisfies="[1.1]")})  # fmt: skip
    add_note(root, sha, json.dumps(NOTE))
    history, _ = read_history(root)
    change = history.files["policies/p.md"].changes[0]
    assert (change.commit.sha, change.commit.on_main_line, change.commit.approvals) == (sha, False, ())
    assert history.notes_off_main_line == 1


def test_record_by_hand_then_show(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = merged_change(root)
    lines = ok(run_clausewise("approvals", "record", "--approver", "Dana Quality", "--login", "dana",
                              "--at", "2026-08-03T09:30:00Z", "--pr", "7", "--url", "https://forge.example.org/sms/pull/7",
                              "--title", "Tighten the policy", "--merged-by", "erin", cwd=root))  # fmt: skip
    assert lines == [
        f"approvals of {sha[:12]} recorded in refs/notes/clausewise/approvals: Dana Quality",
        "  publish them: git push origin refs/notes/clausewise/approvals",
    ]
    note = json.loads(Repo(root).git.notes(f"--ref={APPROVALS_REF}", "show", sha))
    assert note == NOTE
    # a second approver is added to the note; the first stays
    ok(run_clausewise("approvals", "record", sha[:10], "--approver", "Hal Legal", "--at", "2026-08-04", cwd=root))
    note = json.loads(Repo(root).git.notes(f"--ref={APPROVALS_REF}", "show", sha))
    assert [(a["name"], a["at"]) for a in note["approvals"]] == [
        ("Dana Quality", "2026-08-03T09:30:00Z"), ("Hal Legal", "2026-08-04T12:00:00Z"),
    ]  # fmt: skip
    shown = ok(run_clausewise("approvals", "show", "POL-001", cwd=root, today="2026-09-01"))
    first = Repo(root).git.rev_parse("HEAD^1")
    assert shown == [
        "POL-001:",
        f"  2026-08-04 {sha[:12]} Tighten the policy (Merge pull request #7) (by Ann Owner)",
        "    approved by Dana Quality (@dana) on 2026-08-03 09:30 UTC in #7 https://forge.example.org/sms/pull/7, "
        "merged by erin [note]",
        "    approved by Hal Legal on 2026-08-04 12:00 UTC in #7 https://forge.example.org/sms/pull/7, "
        "merged by erin [note]",
        f"  2026-07-01 {first[:12]} Start the handbook (by Ann Owner)",
        "    no approval recorded",
    ]


def test_record_refuses_bad_input(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    done = run_clausewise("approvals", "record", "nope", "--approver", "X", "--at", "2026-08-03", cwd=root)
    assert refused(done).endswith(f"'nope' is not a commit of the repository at {root}")
    assert refused(run_clausewise("approvals", "record", cwd=root)) == (
        "clausewise: give --approver NAME and --at TIME (or --from-github / --from-gitlab with saved answers)"
    )
    assert refused(run_clausewise("approvals", "show", "POL-404", cwd=root)) == (
        "clausewise: 'POL-404' is not the id of a document or record of this handbook"
    )
    add_note(root, "HEAD", "not json")
    assert "pass --replace to write it anew" in refused(
        run_clausewise("approvals", "record", "--approver", "X", "--at", "2026-08-03", cwd=root)
    )
    ok(run_clausewise("approvals", "record", "--approver", "X", "--at", "2026-08-03", "--replace", cwd=root))


def test_the_github_answers_give_the_latest_approval_of_each_reviewer() -> None:
    pull = json.loads((DATA / "github-pull.json").read_text())
    reviews = json.loads((DATA / "github-reviews.json").read_text())
    url, title = "https://github.com/fernhill/sms/pull/42", "Backup policy: keep monthly copies for 13 months"
    # dana: approved after requesting changes (a later comment withdraws nothing); frank: approval
    # dismissed; carl: the author
    assert github_approvals(pull, reviews) == (
        ReviewApproval("dana-quality", ApprovalSource.NOTE, "dana-quality", datetime(2026, 3, 3, 9, 15, tzinfo=UTC),
                       42, url, title, "erin-maintainer", "carl-author"),
        ReviewApproval("gina-security", ApprovalSource.NOTE, "gina-security",
                       datetime(2026, 3, 4, 14, 2, tzinfo=UTC), 42, url, title, "erin-maintainer", "carl-author"),
    )  # fmt: skip


def test_the_gitlab_answers_give_each_approval() -> None:
    merge_request = json.loads((DATA / "gitlab-merge-request.json").read_text())
    approvals = json.loads((DATA / "gitlab-approvals.json").read_text())
    url, title = "https://gitlab.example.org/fernhill/sms/-/merge_requests/17", "Incident procedure: call the " \
        "on-call manager first"  # fmt: skip
    # frank.ops: a GitLab without approved_at dates his approval when the merge request was merged
    assert gitlab_approvals(merge_request, approvals) == (
        ReviewApproval("Dana Quality", ApprovalSource.NOTE, "dana.quality", datetime(2026, 4, 2, 9, 0, tzinfo=UTC),
                       17, url, title, "erin.maintainer", "carl.author"),
        ReviewApproval("Frank Ops", ApprovalSource.NOTE, "frank.ops", datetime(2026, 4, 3, 10, 20, 30, tzinfo=UTC),
                       17, url, title, "erin.maintainer", "carl.author"),
    )  # fmt: skip


def test_forge_answers_of_the_wrong_shape_are_refused() -> None:
    for call, args, message in [
        (github_approvals, ({}, []), "the pull request answer has no 'number': expected GET /repos/{o}/{r}/pulls/{n}"),
        (github_approvals, ({"number": 1}, {}), "the reviews answer is not a list: expected GET "
                                                "/repos/{o}/{r}/pulls/{n}/reviews"),
        (github_approvals, ({"number": 1}, [{"state": "APPROVED", "user": {"login": "a"}, "submitted_at": 5}]),
         "review 1's submitted_at is 5, not a time such as 2026-03-01T10:00:00Z"),
        (gitlab_approvals, ({"iid": 1}, {"approved_by": [{"user": {}}]}), "approved_by entry 1 has no user.username"),
    ]:  # fmt: skip
        try:
            call(*args)
        except ForgeResponseError as exc:
            assert str(exc) == message
        else:
            raise AssertionError(f"{args} accepted")


def test_record_from_the_github_answers_writes_the_note(tmp_path: Path) -> None:
    """What the workflow's step runs after a merge, on the answers it saved."""
    root = handbook(tmp_path)
    sha = merged_change(root)
    ok(run_clausewise("approvals", "record", sha, "--from-github", DATA / "github-pull.json",
                      DATA / "github-reviews.json", cwd=root))  # fmt: skip
    history, _ = read_history(root)
    approval = approval_of(history.files["policies/p.md"].changes[0].commit)
    assert approval is not None
    assert (approval.by, approval.day) == (("dana-quality", "gina-security"), datetime(2026, 3, 4).date())
    assert {a.pull_request for a in approval.approvals} == {42}


FAKE_GH = """#!/bin/sh
# gh api as the workflow calls it, answering from the recorded GitHub answers
case "$2" in
  repos/fernhill/sms/commits/*/pulls) echo 42 ;;
  repos/fernhill/sms/pulls/42) cat "{data}/github-pull.json" ;;
  "repos/fernhill/sms/pulls/42/reviews?per_page=100") cat "{data}/github-reviews.json" ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
"""


def test_the_workflow_step_records_and_pushes_the_note(tmp_path: Path) -> None:
    """The pages workflow's record step, run as GitHub runs it, in a clone of a real origin,
    with ``gh`` answering from the recorded API responses: the note is on the origin."""
    template = Path(__file__).parents[1] / "ext" / "clausewise" / "authoring" / "templates" / "forge"
    data = yaml.safe_load((template / "pages.yml.in").read_text(encoding="utf-8"))
    (step,) = [s for s in data["jobs"]["approvals"]["steps"] if s.get("id") == "record"]
    root = handbook(tmp_path)
    sha = merged_change(root)
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(origin)], check=True)
    clone = tmp_path / "runner-checkout"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    env = {
        **fake_gh(tmp_path, FAKE_GH.replace("{data}", str(DATA))),
        "RUNNER_TEMP": str(tmp_path), "GITHUB_SHA": sha, "GITHUB_REPOSITORY": "fernhill/sms", "GH_TOKEN": "unused",
    }  # fmt: skip
    done = run_step(step["run"], clone, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == (
        f"approvals of {sha[:12]} recorded in refs/notes/clausewise/approvals: dana-quality, gina-security"
    )
    note = json.loads(Repo(origin).git.notes(f"--ref={APPROVALS_REF}", "show", sha))
    assert note["pull_request"] == {
        "number": 42, "url": "https://github.com/fernhill/sms/pull/42",
        "title": "Backup policy: keep monthly copies for 13 months", "merged_by": "erin-maintainer",
        "author": "carl-author",
    }  # fmt: skip
    assert [(a["login"], a["at"]) for a in note["approvals"]] == [
        ("dana-quality", "2026-03-03T09:15:00Z"), ("gina-security", "2026-03-04T14:02:00Z"),
    ]  # fmt: skip


def test_record_from_answers_without_an_approving_review_writes_nothing(tmp_path: Path) -> None:
    """A pull request merged without approval: the workflow's step succeeds and writes no note
    (that the change is unapproved is for the approval rule to say, not for the job to fail)."""
    root = handbook(tmp_path)
    sha = merged_change(root)
    reviews = tmp_path / "reviews.json"
    reviews.write_text('[{"user": {"login": "dana"}, "state": "COMMENTED", "submitted_at": "2026-08-03T09:00:00Z"}]')
    lines = ok(run_clausewise("approvals", "record", sha, "--from-github", DATA / "github-pull.json", reviews,
                              cwd=root))  # fmt: skip
    assert lines == [f"no approving review for {sha[:12]}: nothing recorded"]
    assert read_history(root)[0].approval_notes is False
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert refused(run_clausewise("approvals", "record", "--from-github", broken, reviews, cwd=root)) == (
        f"clausewise: {broken}: not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 "
        "(char 1))"
    )
