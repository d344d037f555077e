"""A record is evidence from the moment it reaches the main branch, and a draft may be
completed freely: real Sphinx builds on real git repositories with branches, merge
commits, squashes, fast-forwards, detached and shallow checkouts; today pinned to
2026-11-23, the SMS started on 2026-06-01."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clausewise.core.history import ChangeKind
from clausewise.sources.gitlog import read_history
from git import Repo
from handbook import Build, build, commit, governed, record, role, write_handbook
from test_repository_automation import run_step, steps, workflow

PROCEDURE = "procedures/reporting.md"
CONF = 'clausewise_sms_start = "2026-06-01"\n'
#: the record of the newest period: October ended on 31 October, so it is due on 30 November,
#: and the handbook has no finding whether it is there or not
NEW = "records/report/2026-10.md"
NEW_ID = "REC-REPORT-2026-10"
#: the codes of evidence integrity and of the main branch, which this file is about
GIT_CODES = {"record-modified", "record-deleted", "record-moved", "main-branch-unknown", "history-incomplete"}


def procedure() -> str:
    return governed("PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: monthly\n",
    )


def monthly(period: str, body: str = "Record text.\n", **overrides: str) -> str:
    year, month = (int(part) for part in period.split("-"))
    text = record(f"REC-REPORT-{period}", "RT-REPORT", period, produced=f"{year}-{month + 1:02d}-05", **overrides)
    return text.replace("Record text.\n", body)


def handbook(root: Path) -> Path:
    files = {"roles/owner.md": role(), PROCEDURE: procedure()}
    files.update({f"records/report/{p}.md": monthly(p) for p in ("2026-06", "2026-07", "2026-08", "2026-09")})
    return write_handbook(root, files, CONF)


def at(when: str) -> dict[str, str]:
    return {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}


def iterated_on_a_branch(root: Path) -> Repo:
    """A branch 'report-2026-10' that adds the October record, then fills in its summary
    in a second commit without a correction: ordinary review work."""
    repo = Repo(root)
    repo.git.switch("-c", "report-2026-10")
    commit(root, "Add the October report", "2026-11-03T09:00:00+00:00", {NEW: monthly("2026-10")})
    commit(root, "Address review comment: fill in the summary", "2026-11-04T09:00:00+00:00",
           {NEW: monthly("2026-10", "Record text.\n\nSummary: 41 incidents, all within target.\n")})  # fmt: skip
    return repo


def git_findings(result: Build) -> list[tuple[str, str, int, str]]:
    return [f for f in result.findings if f[0] in GIT_CODES]


def test_a_branch_may_iterate_a_new_record_and_a_merge_commit_brings_it_as_one_change(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb")
    repo = iterated_on_a_branch(root)
    history, _ = read_history(root)
    assert history.main_branch == "main" and history.main_branch_note == ""
    changes = history.files[NEW].changes
    assert [(c.kind, c.commit.on_main_line) for c in changes] == [
        (ChangeKind.MODIFIED, False),
        (ChangeKind.ADDED, False),
    ]
    assert build(root).findings == []

    repo.git.switch("main")
    with repo.git.custom_environment(**at("2026-11-05T09:00:00+00:00")):
        repo.git.merge("--no-ff", "-m", "Merge the October report", "report-2026-10")
    [merged] = read_history(root)[0].files[NEW].changes
    assert (merged.kind, merged.commit.summary, merged.commit.on_main_line) == (
        ChangeKind.ADDED, "Merge the October report", True
    )  # fmt: skip
    assert build(root).findings == []

    # on the main line, a later change still needs its correction: line
    sha = commit(root, "Quiet edit", "2026-11-10T09:00:00+00:00",
                 {NEW: monthly("2026-10", "Record text.\n\nSummary: 40 incidents.\n")})  # fmt: skip
    result = build(root)
    assert result.findings == [("record-modified", NEW, 2, NEW_ID)]
    assert result.report["findings"][0]["message"] == (
        f"changed after it was first committed: commit {sha[:7]} by Ann Owner on 2026-11-10 ('Quiet edit'); "
        "a record is evidence: undo the change, or explain it on a 'correction:' line in the same commit"
    )


def test_a_squashed_branch_is_one_change(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb")
    repo = iterated_on_a_branch(root)
    repo.git.switch("main")
    repo.git.merge("--squash", "report-2026-10")
    commit(root, "The October report (#12)", "2026-11-05T09:00:00+00:00")
    [squashed] = read_history(root)[0].files[NEW].changes
    assert (squashed.kind, squashed.commit.on_main_line) == (ChangeKind.ADDED, True)
    assert build(root).findings == []


def test_a_fast_forward_puts_the_branch_commits_on_the_main_line(tmp_path: Path) -> None:
    """Documented: with a fast-forward or rebase merge, the branch's commits become the main
    line's as they are, so the record's second commit is a change after its first."""
    root = handbook(tmp_path / "hb")
    repo = iterated_on_a_branch(root)
    second = repo.head.commit.hexsha
    repo.git.switch("main")
    repo.git.merge("--ff-only", "report-2026-10")
    result = build(root)
    assert result.findings == [("record-modified", NEW, 2, NEW_ID)]
    assert f"commit {second[:7]} by Ann Owner on 2026-11-04" in result.report["findings"][0]["message"]


def test_a_branch_change_to_a_record_already_on_main_needs_a_correction(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb")
    Repo(root).git.switch("-c", "fix-july")
    july = "records/report/2026-07.md"
    sha = commit(root, "Fix July", "2026-11-03T09:00:00+00:00", {july: monthly("2026-07", "Changed.\n")})
    result = build(root)
    assert result.findings == [("record-modified", july, 2, "REC-REPORT-2026-07")]
    assert f"commit {sha[:7]} by Ann Owner on 2026-11-03 ('Fix July')" in result.report["findings"][0]["message"]
    commit(root, "Explain the July fix", "2026-11-04T09:00:00+00:00",
           {july: monthly("2026-07", "Changed.\n", correction="2026-11-04 figures recounted (A. Owner)")})  # fmt: skip
    # the first fix is still unexplained: each change needs its correction in the same commit
    assert build(root).findings == [("record-modified", july, 10, "REC-REPORT-2026-07")]


def test_detached_head_of_the_branch_is_judged_as_the_branch(tmp_path: Path) -> None:
    """As CI checks out a change: HEAD detached at the branch's last commit."""
    root = handbook(tmp_path / "hb")
    repo = iterated_on_a_branch(root)
    repo.git.switch("--detach", "report-2026-10")
    repo.git.branch("-D", "report-2026-10")
    assert build(root).findings == []


def test_a_remote_default_branch_is_the_main_branch(tmp_path: Path) -> None:
    """A clone of the repository: origin/HEAD names the default branch, even one called 'trunk',
    and a shallow clone whose main branch was not fetched says what it assumed."""
    origin = handbook(tmp_path / "origin")
    Repo(origin).git.branch("-m", "main", "trunk")
    clone = tmp_path / "clone"
    Repo.clone_from(f"file://{origin}", clone)
    repo = iterated_on_a_branch(clone)
    history, _ = read_history(clone)
    assert (history.main_branch, history.main_branch_note) == ("trunk", "")
    assert [c.commit.on_main_line for c in history.files[NEW].changes] == [False, False]
    assert build(clone).findings == []

    # pushed to the origin and cloned with the branch's last commit only, as a CI job does
    repo.git.push("origin", "report-2026-10")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "report-2026-10", f"file://{origin}",
                    str(shallow)], check=True)  # fmt: skip
    history, _ = read_history(shallow)
    assert history.main_branch == ""
    assert history.main_branch_note == (
        "the repository is a shallow clone that has no main branch: every commit read is taken as on the main "
        "line, so a record's evidence starts with its first commit and a later commit to it on a branch needs a "
        "'correction:' line; set clausewise_main_branch, or fetch the main branch (in CI: 'fetch-depth: 0')"
    )
    result = build(shallow)
    assert git_findings(result) == [("history-incomplete", "", 0, ""), ("main-branch-unknown", "", 0, "")]
    assert result.report["findings"][-1]["severity"] == "warning"


def test_a_main_branch_that_does_not_exist(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb")
    iterated_on_a_branch(root)
    conf = (root / "conf.py").read_text()
    (root / "conf.py").write_text(conf + 'clausewise_main_branch = "production"\n')
    commit(root, "Name the main branch", "2026-11-06T09:00:00+00:00")
    result = build(root)
    assert result.findings == [("main-branch-unknown", "conf.py", 0, "")]
    assert result.report["findings"][0]["message"] == (
        "clausewise_main_branch is 'production', but the repository has no such branch (branches: main, "
        "report-2026-10); 'main' is taken as the main branch instead; set clausewise_main_branch to one of the "
        "branches, or fetch it (in CI: 'fetch-depth: 0')"
    )
    # named as it is, the branch's own commits are free again; a remote-tracking name works too
    (root / "conf.py").write_text(conf + 'clausewise_main_branch = "main"\n')
    commit(root, "Name the main branch", "2026-11-06T10:00:00+00:00")
    assert build(root).findings == []


def test_no_main_branch_at_all(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb")
    repo = Repo(root)
    repo.git.branch("-m", "main", "trunk")
    repo.git.switch("-c", "report-2026-10")
    commit(root, "Add the October report", "2026-11-03T09:00:00+00:00", {NEW: monthly("2026-10")})
    commit(root, "Fill in the summary", "2026-11-04T09:00:00+00:00", {NEW: monthly("2026-10", "Summary.\n")})
    result = build(root)
    # nothing says which branch is the main one: every commit counts as on it, as it always did
    assert git_findings(result) == [("main-branch-unknown", "", 0, ""), ("record-modified", NEW, 2, NEW_ID)]
    assert result.report["findings"][0]["message"] == (
        "the repository has no remote default branch (origin/HEAD), no 'main' and no 'master': every commit read "
        "is taken as on the main line, so a record's evidence starts with its first commit and a later commit to "
        "it on a branch needs a 'correction:' line; set clausewise_main_branch, or fetch the main branch (in CI: "
        "'fetch-depth: 0')"
    )
    assert build(root, overrides={"clausewise_main_branch": "trunk"}, fresh=True).findings == []


def test_a_draft_is_completed_and_approved_without_a_correction(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb")
    commit(root, "Draft the October report", "2026-11-02T09:00:00+00:00", {NEW: monthly("2026-10", status="draft")})
    commit(root, "Fill in the October report", "2026-11-03T09:00:00+00:00",
           {NEW: monthly("2026-10", "41 incidents.\n", status="draft")})  # fmt: skip
    commit(root, "Approve the October report", "2026-11-04T09:00:00+00:00",
           {NEW: monthly("2026-10", "41 incidents, all within target.\n", status="current")})  # fmt: skip
    changes = read_history(root)[0].files[NEW].changes
    assert [c.status_before for c in changes] == ["draft", "draft", ""]
    assert git_findings(build(root)) == []
    # once approved, it is evidence: a change needs its correction
    commit(root, "Quiet edit", "2026-11-05T09:00:00+00:00",
           {NEW: monthly("2026-10", "40 incidents.\n", status="current")})  # fmt: skip
    assert git_findings(build(root)) == [("record-modified", NEW, 2, NEW_ID)]
    # nor can an approved record be made a draft again to be changed freely: each change is reported
    commit(root, "Back to draft", "2026-11-06T09:00:00+00:00",
           {NEW: monthly("2026-10", "39 incidents.\n", status="draft")})  # fmt: skip
    commit(root, "Edit the draft", "2026-11-07T09:00:00+00:00",
           {NEW: monthly("2026-10", "38 incidents.\n", status="draft")})  # fmt: skip
    assert [c.status_before for c in read_history(root)[0].files[NEW].changes][:2] == ["draft", "current"]
    result = build(root)
    assert git_findings(result) == [("record-modified", NEW, 2, NEW_ID)]
    assert "('Edit the draft')" in result.report["findings"][0]["message"]


def test_a_body_line_reading_status_draft_is_not_the_status(tmp_path: Path) -> None:
    """A hostile edit: 'status: draft' in the body does not make the record a draft."""
    root = handbook(tmp_path / "hb")
    july = "records/report/2026-07.md"
    commit(root, "Note a status", "2026-11-02T09:00:00+00:00",
           {july: monthly("2026-07", "Record text.\nstatus: draft\n")})  # fmt: skip
    sha = commit(root, "Edit again", "2026-11-03T09:00:00+00:00", {july: monthly("2026-07", "Other.\nstatus: draft\n")})
    changes = read_history(root)[0].files[july].changes
    assert [c.status_before for c in changes] == ["", "", ""]
    result = build(root)
    assert result.findings == [("record-modified", july, 2, "REC-REPORT-2026-07")]
    assert f"commit {sha[:7]}" in result.report["findings"][0]["message"]


def test_lines_added_above_the_status_are_followed(tmp_path: Path) -> None:
    """The status line moves down when keys are added above it; a quoted value and a comment are read."""
    root = handbook(tmp_path / "hb")
    draft = monthly("2026-10", status='"draft"  # until approved')
    commit(root, "Draft", "2026-11-02T09:00:00+00:00", {NEW: draft})
    longer = draft.replace("period:", "summary: Incidents of October\nperiod:")
    commit(root, "Add a summary", "2026-11-03T09:00:00+00:00", {NEW: longer})
    commit(root, "Approve", "2026-11-04T09:00:00+00:00", {NEW: longer.replace('"draft"  # until approved', "current")})
    commit(root, "Edit", "2026-11-05T09:00:00+00:00",
           {NEW: longer.replace('"draft"  # until approved', "current") + "More.\n"})  # fmt: skip
    assert [c.status_before for c in read_history(root)[0].files[NEW].changes] == ["current", "draft", "draft", ""]


def test_an_empty_correction_explains_nothing(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb")
    july = "records/report/2026-07.md"
    commit(root, "Fix July", "2026-11-03T09:00:00+00:00", {july: monthly("2026-07", "Changed.\n", correction="")})
    result = build(root)
    assert result.findings == [
        ("record-modified", july, 2, "REC-REPORT-2026-07"),
        ("invalid-metadata", july, 10, "REC-REPORT-2026-07"),
    ]
    assert result.report["findings"][1]["message"] == (
        "correction: is empty; say what was corrected, why, when and by whom, e.g. "
        "'correction: 2026-09-01 P1 count corrected from 4 to 3; the export had a duplicate (T. Brennan)'"
    )


def test_the_pull_request_workflow_on_a_branch_with_an_iterated_record(tmp_path: Path) -> None:
    """The workflow's steps, run in order, on the branch's last commit checked out (as a
    pull-request pipeline that checks out the change itself does): no new finding."""
    root = handbook(tmp_path / "repo")
    repo = Repo(root)
    base_sha = repo.head.commit.hexsha
    iterated_on_a_branch(root)
    repo.git.switch("--detach", "report-2026-10")

    run_in_order = [
        s
        for s in steps(workflow("pull-request.yml"))
        if "run" in s and s.get("name") not in ("Install clausewise", "Fetch the approvals")  # no origin here
    ]
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "env").touch()
    env = {
        **{k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "RUNNER_TEMP": str(runner),
        "GITHUB_ENV": str(runner / "env"),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "CLAUSEWISE_TODAY": "2026-11-23",
    }
    done = {}
    for step in run_in_order:
        if step["id"] == "today":
            continue  # the day is fixed above, so that the findings are known
        done[step["id"]] = run_step(step["run"], root, {**env, **step.get("env", {}), "BASE_SHA": base_sha})
        assert done[step["id"]].returncode == 0, f"{step['id']}: {done[step['id']].stdout}{done[step['id']].stderr}"
    assert done["compare"].stdout == ""
    assert (
        "Judged as of 2026-11-23. The base branch has 0 findings, this change has 0 findings: "
        "**0 new** (0 errors, 0 warnings, 0 info), **0 resolved**." in (runner / "summary.md").read_text()
    )


def test_a_record_added_and_removed_on_a_branch_never_was_evidence(tmp_path: Path) -> None:
    """A branch may drop a record it added itself (filed under the wrong period, say): it
    never reached the main line, so it never was evidence. A record that did reach it
    is still record-deleted when a branch deletes it."""
    root = handbook(tmp_path / "hb")
    iterated_on_a_branch(root)
    commit(root, "Wrong month: drop it", "2026-11-05T09:00:00+00:00", remove=(NEW,))
    assert git_findings(build(root)) == []
    sha = commit(root, "Drop July too", "2026-11-06T09:00:00+00:00", remove=("records/report/2026-07.md",))
    result = build(root)
    assert git_findings(result) == [("record-deleted", "records/report/2026-07.md", 0, "RT-REPORT")]
    assert f"record deleted in commit {sha[:7]} by Ann Owner on 2026-11-06 ('Drop July too')" in next(
        f["message"] for f in result.report["findings"] if f["code"] == "record-deleted"
    )


def test_a_record_deleted_and_added_again_is_a_change_of_evidence(tmp_path: Path) -> None:
    """Deleting July's record in one commit and adding other text under its name in the
    next changes evidence as much as editing it: the re-addition needs a correction."""
    root = handbook(tmp_path / "hb")
    july = "records/report/2026-07.md"
    commit(root, "Drop July", "2026-11-03T09:00:00+00:00", remove=(july,))
    sha = commit(root, "July again", "2026-11-04T09:00:00+00:00", {july: monthly("2026-07", "Other figures.\n")})
    result = build(root)
    assert git_findings(result) == [("record-modified", july, 2, "REC-REPORT-2026-07")]
    assert f"commit {sha[:7]} by Ann Owner on 2026-11-04 ('July again')" in result.report["findings"][0]["message"]
    corrected = monthly("2026-07", "Other figures.\n", correction="2026-11-05 figures recounted (A. Owner)")
    commit(root, "July corrected", "2026-11-05T09:00:00+00:00", {july: corrected})
    # the re-addition itself is still unexplained
    assert [f[0] for f in git_findings(build(root))] == ["record-modified"]


def test_a_deleted_record_restored_as_the_message_says_is_no_change(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb")
    july = "records/report/2026-07.md"
    sha = commit(root, "Drop July", "2026-11-03T09:00:00+00:00", remove=(july,))
    assert git_findings(build(root)) == [("record-deleted", july, 0, "RT-REPORT")]
    Repo(root).git.checkout(f"{sha[:7]}^", "--", july)  # as record-deleted's message says
    commit(root, "Restore July", "2026-11-04T09:00:00+00:00")
    assert git_findings(build(root)) == []


def test_a_main_branch_that_shares_no_history_frees_nothing(tmp_path: Path) -> None:
    """A branch that exists but has none of the handbook's history (a 'gh-pages' of the
    published site, named by mistake or on purpose) would make every commit one that has
    not reached the main line, and every record free to change or delete: it is reported,
    and every commit is taken as on the main line instead."""
    root = handbook(tmp_path / "hb")
    repo = Repo(root)
    repo.git.switch("--orphan", "gh-pages")
    commit(root, "Publish", "2026-11-02T09:00:00+00:00", {"index.html": "<p>site</p>\n"})
    repo.git.switch("main")
    conf = (root / "conf.py").read_text()
    (root / "conf.py").write_text(conf + 'clausewise_main_branch = "gh-pages"\n')
    commit(root, "Name the main branch", "2026-11-03T09:00:00+00:00")
    july = "records/report/2026-07.md"
    commit(root, "Quiet edit", "2026-11-04T09:00:00+00:00", {july: monthly("2026-07", "Changed.\n")})
    sha = commit(root, "Drop June", "2026-11-05T09:00:00+00:00", remove=("records/report/2026-06.md",))
    result = build(root)
    assert git_findings(result) == [
        ("main-branch-unknown", "conf.py", 0, ""),
        ("record-deleted", "records/report/2026-06.md", 0, "RT-REPORT"),
        ("record-modified", july, 2, "REC-REPORT-2026-07"),
    ]
    assert result.report["findings"][0]["message"] == (
        f"the main branch 'gh-pages' shares no history with the commit checked out "
        f"({sha[:7]}): every commit read is taken as on the main line, so a record's evidence starts with its "
        "first commit and a later commit to it on a branch needs a 'correction:' line; set "
        "clausewise_main_branch to the branch the handbook's changes are merged into"
    )
