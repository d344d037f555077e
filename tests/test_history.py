"""Stale documents and revision history from git: real repositories with
commits at chosen dates, real Sphinx builds, a pinned today (2026-11-23)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from git import Repo
from handbook import AUTHOR, Build, build, commit, governed, role, write_handbook

POLICY = "policies/policy.md"
PROCEDURE = "procedures/procedure.md"
T0 = "2026-07-01T09:00:00+00:00"  # the first commit of every handbook here


def policy(**overrides: str | None) -> str:
    return governed("POL-001", "policy", "Service policy", **{"satisfies": "[1.1, 1.2]", **overrides})


def procedure(**overrides: str | None) -> str:
    fields = {"satisfies": "[2]", **overrides}
    return governed("PRC-001", "procedure", "Operating procedure", **fields)


def handbook(tmp_path: Path, **files: str) -> Path:
    base = {"roles/owner.md": role(satisfies=None), POLICY: policy(), PROCEDURE: procedure()}
    return write_handbook(tmp_path / "hb", {**base, **files})


def codes(result: Build) -> list[tuple[str, str, int, str]]:
    return result.findings


def test_a_current_handbook_has_no_findings(tmp_path: Path) -> None:
    assert codes(build(handbook(tmp_path))) == []


def test_overdue_document(tmp_path: Path) -> None:
    root = handbook(tmp_path, **{POLICY: policy(reviewed="2025-10-01", effective="2025-01-01")})
    result = build(root)
    assert result.findings == [("review-overdue", POLICY, 9, "POL-001")]
    assert result.report["findings"][0]["message"] == (
        "review overdue since 2026-10-01 (53 days): last reviewed 2025-10-01, every 12 months; "
        "review it and set 'reviewed' to the review's date"
    )
    assert "Next review due 2026-10-01 OVERDUE (53 days ago)" in result.page_text("policies/policy")


def test_document_due_soon_and_the_window_setting(tmp_path: Path) -> None:
    root = handbook(tmp_path, **{POLICY: policy(reviewed="2026-05-10", review_interval="7 months")})
    result = build(root)  # due 2026-12-10, in 17 days
    assert result.findings == [("review-due-soon", POLICY, 9, "POL-001")]
    assert result.report["findings"][0]["severity"] == "info"
    assert result.warnings == []  # info findings are not warnings
    assert "Next review due 2026-12-10 DUE SOON (in 17 days)" in result.page_text("policies/policy")
    narrower = build(root, overrides={"clausewise_due_soon_days": 10}, fresh=True)
    assert narrower.findings == []


def test_document_edited_after_its_review(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = commit(root, "Tighten the policy", "2026-08-03T10:00:00+00:00", {POLICY: policy(body="Stricter text.\n")})
    result = build(root)
    assert result.findings == [("changed-since-review", POLICY, 9, "POL-001")]
    assert result.report["findings"][0]["message"] == (
        f"changed on 2026-08-03 (commit {sha[:7]} by Ann Owner: 'Tighten the policy') after its last review "
        "on 2026-06-01, and the change did not record a review; have the owner review it, then update "
        "'reviewed' (and 'version')"
    )
    assert "Last changed 2026-08-03" in result.page_text("policies/policy")


def test_an_edit_that_records_a_review_is_not_stale(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    commit(
        root, "Tighten the policy", "2026-08-03T10:00:00+00:00", {POLICY: policy(body="Stricter.\n", version='"1.1"')}
    )
    assert build(root).findings == []


def test_recording_a_review_is_not_a_content_change(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    commit(root, "Edit", "2026-08-03T10:00:00+00:00", {POLICY: policy(body="Stricter.\n")})
    commit(
        root,
        "Review of POL-001",
        "2026-08-10T10:00:00+00:00",
        {POLICY: policy(body="Stricter.\n", reviewed="2026-08-10")},
    )
    result = build(root)
    assert result.findings == []
    assert "Last reviewed 2026-08-10" in result.page_text("policies/policy")
    assert "Last changed 2026-08-03" in result.page_text("policies/policy")


def test_procedure_whose_policy_changed_after_the_procedures_review(tmp_path: Path) -> None:
    root = handbook(tmp_path, **{PROCEDURE: procedure(implements="[POL-001]")})
    sha = commit(
        root, "New policy direction", "2026-09-01T10:00:00+00:00",
        {POLICY: policy(body="New direction.\n", reviewed="2026-09-01")},
    )  # fmt: skip
    result = build(root)
    assert result.findings == [("upstream-changed", PROCEDURE, 12, "PRC-001")]
    assert result.report["findings"][0]["message"] == (
        f"POL-001 Service policy (implements) changed on 2026-09-01 (commit {sha[:7]} by Ann Owner: "
        "'New policy direction') after this document's last review on 2026-06-01; check that this document "
        "still fits it, then update 'reviewed'"
    )
    # which links count is a setting
    assert build(root, overrides={"clausewise_upstream_links": ["owner"]}, fresh=True).findings == []


def test_a_changed_clause_catalogue_entry_flags_the_documents_that_satisfy_it(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    catalogue = (
        (root / "mini-catalogue.yaml").read_text().replace('heading: "Objectives"', 'heading: "Objectives and plans"')
    )
    commit(root, "Correct heading of 1.2", "2026-09-01T10:00:00+00:00", {"mini-catalogue.yaml": catalogue})
    result = build(root)
    assert result.findings == [("upstream-changed", POLICY, 11, "POL-001")]
    assert result.report["findings"][0]["message"].startswith(
        "the clause catalogue entry for 1.2, which this document satisfies, changed on 2026-09-01"
    )


def test_future_reviewed_date(tmp_path: Path) -> None:
    root = handbook(tmp_path, **{POLICY: policy(reviewed="2026-12-24")})
    result = build(root)
    assert result.findings == [("reviewed-date-invalid", POLICY, 9, "POL-001")]
    assert result.report["findings"][0]["message"] == (
        "reviewed: 2026-12-24 is in the future (today is 2026-11-23); set the date the review took place"
    )


def test_review_dated_before_the_document_existed(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    commit(
        root,
        "Add a policy",
        "2026-08-01T10:00:00+00:00",
        {"policies/new.md": governed("POL-002", "policy", "New", reviewed="2026-05-01")},
    )
    result = build(root)
    assert result.findings == [("reviewed-date-invalid", "policies/new.md", 9, "POL-002")]
    assert result.report["findings"][0]["message"] == (
        "reviewed: 2026-05-01 is before the document was first committed on 2026-08-01; "
        "a review cannot predate the document"
    )
    # documents imported with the first commit keep the review dates of the system they came from
    assert "policies/policy.md" not in [f[1] for f in result.findings]


def test_pure_rename_is_not_a_content_change(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    repo = Repo(root)
    repo.git.mv(POLICY, "policies/service-policy.md")
    commit(root, "Rename the policy file", "2026-09-01T10:00:00+00:00")
    result = build(root)
    assert result.findings == []
    text = result.page_text("policies/service-policy")
    assert "Last changed 2026-07-01" in text
    history = text[text.index("Revision history") :]
    renamed = repo.head.commit.hexsha
    first = repo.git.rev_list("--max-parents=0", "HEAD")
    assert history.startswith(
        "Revision history ¶ Version Date Change Approved by "
        "1.0 2026-09-01 Rename the policy file (renamed from policies/policy.md) "
        f"by Ann Owner · commit {renamed[:7]} No approval recorded "
        f"1.0 2026-07-01 Start the handbook by Ann Owner · commit {first[:7]} No approval recorded "
    )


def test_merged_branch_counts_when_it_reached_main(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    repo = Repo(root)
    repo.git.switch("-c", "edit-policy")
    commit(root, "Reword the policy", "2026-08-01T10:00:00+00:00", {POLICY: policy(body="Reworded.\n")})
    repo.git.switch("main")
    when = "2026-09-15T10:00:00+00:00"
    with repo.git.custom_environment(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when):
        repo.git.merge(
            "--no-ff", "edit-policy", "-m", "Merge pull request #7 from acme/edit-policy", "-m", "Reword the policy"
        )
    merge = repo.head.commit.hexsha
    result = build(root)
    assert result.findings == [("changed-since-review", POLICY, 9, "POL-001")]
    assert result.report["findings"][0]["message"].startswith(
        f"changed on 2026-09-15 (commit {merge[:7]} by Ann Owner: "
        "'Reword the policy (Merge pull request #7 from acme/edit-policy)')"
    )


def test_committer_date_in_utc_counts_not_the_author_date(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    repo = Repo(root)
    (root / POLICY).write_text(policy(body="Late-night edit.\n"))
    repo.git.add(A=True)
    env = {"GIT_AUTHOR_DATE": "2026-05-01T10:00:00+00:00", "GIT_COMMITTER_DATE": "2026-08-02T01:30:00+05:00"}
    with repo.git.custom_environment(**env):
        repo.git.commit("-m", "Edit written in May, merged in August")
    result = build(root)
    # 2026-08-02 01:30 at +05:00 is 2026-08-01 20:30 UTC
    assert "Last changed 2026-08-01" in result.page_text("policies/policy")
    assert result.report["findings"][0]["message"].startswith("changed on 2026-08-01 ")


def test_revision_history_shows_the_three_commits_newest_first(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    second = commit(
        root, "Clarify scope", "2026-08-01T10:00:00+00:00", {POLICY: policy(body="B\n", reviewed="2026-08-01")}
    )
    third = commit(
        root,
        "Yearly review\n\nApproved-by: Helen Okafor <helen@example.org>\nReviewed-by: Marcus Reid <m@example.org>",
        "2026-10-01T10:00:00+00:00", {POLICY: policy(body="C\n", reviewed="2026-10-01")},
        author=("Tom Brennan", "tom@example.org"),
    )  # fmt: skip
    result = build(root, overrides={"clausewise_repository_url": "https://git.example.org/acme/handbook"})
    text = result.page_text("policies/policy")
    first = Repo(root).git.rev_list("--max-parents=0", "HEAD")
    # newest first; the trailers' approvers carry no date; a change without one says so in words
    assert text[text.index("Revision history") :].startswith(
        "Revision history ¶ Version Date Change Approved by "
        f"1.0 2026-10-01 Yearly review by Tom Brennan · commit {third[:7]} "
        "Helen Okafor (commit trailer, undated) Marcus Reid (commit trailer, undated) "
        f"1.0 2026-08-01 Clarify scope by Ann Owner · commit {second[:7]} No approval recorded "
        f"1.0 2026-07-01 Start the handbook by Ann Owner · commit {first[:7]} No approval recorded "
    )
    page = result.page_html("policies/policy")
    for sha in (third, second, first):
        assert f'href="https://git.example.org/acme/handbook/commit/{sha}"' in page
    assert page.count("/commit/") == 3


def test_included_file_changes_date_the_page(tmp_path: Path) -> None:
    body = "Text.\n\n```{include} ../snippets/escalation.md\n```\n"
    root = handbook(tmp_path, **{POLICY: policy(body=body), "snippets/escalation.md": "Call the duty manager.\n"})
    commit(
        root,
        "Change the escalation contact",
        "2026-08-20T10:00:00+00:00",
        {"snippets/escalation.md": "Call the desk.\n"},
    )
    result = build(root)
    assert result.findings == [("changed-since-review", POLICY, 9, "POL-001")]
    assert "Last changed 2026-08-20" in result.page_text("policies/policy")


def test_shallow_clone_is_reported_not_guessed(tmp_path: Path) -> None:
    origin = handbook(tmp_path)
    commit(origin, "Tighten", "2026-08-03T10:00:00+00:00", {POLICY: policy(body="Stricter.\n")})
    commit(
        origin,
        "Touch the procedure",
        "2026-09-03T10:00:00+00:00",
        {PROCEDURE: procedure(body="More.\n", reviewed="2026-09-03")},
    )
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    result = build(clone)
    # the newest commit is known; everything it did not touch has no known date, and nothing is guessed
    assert result.findings == [("history-incomplete", "", 0, "")]
    message = result.report["findings"][0]["message"]
    assert message.startswith("the repository is a shallow clone, so the history of ")
    assert "'git fetch --unshallow'" in message
    assert "Last changed —" in result.page_text("policies/policy")
    assert "Older history is missing: the repository is a shallow clone." in result.page_text("policies/policy")
    [warning] = result.warnings
    assert (warning.kind, warning.line) == ("clausewise.history-incomplete", None)


def test_not_a_git_repository(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "plain", {"roles/owner.md": role(satisfies=None), POLICY: policy(reviewed="2025-10-01")}, git=False
    )
    result = build(root)
    assert result.findings == [
        ("history-unavailable", "", 0, ""),
        ("uncovered-clause", "pages/clauses.md", 3, "MINI-2"),
        ("review-overdue", POLICY, 9, "POL-001"),
    ]
    assert result.report["findings"][0]["message"].startswith("the handbook is not in a git repository: ")
    assert "No revision history: the handbook is not in a git repository." in result.page_text("policies/policy")
    assert [w.kind for w in result.warnings].count("clausewise.history-unavailable") == 1


def test_untracked_new_document(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    (root / "policies/draft.md").write_text(
        governed("POL-002", "policy", "New policy", status="draft", effective=None, reviewed=None)
    )
    result = build(root)
    assert result.findings == [("uncommitted", "policies/draft.md", 2, "POL-002")]
    assert result.report["findings"][0]["message"] == (
        "POL-002 is not committed to git yet: its revision history starts with its first commit"
    )
    assert "Not committed to git yet" in result.page_text("policies/draft")
    assert "Next review due draft, not reviewed yet" in result.page_text("policies/draft")


def test_parallel_build_gives_the_same_findings_with_history(tmp_path: Path) -> None:
    extra = {
        f"policies/extra-{n}.md": governed(f"POL-1{n}", "policy", f"Extra {n}", reviewed="2025-11-01") for n in range(5)
    }
    root = handbook(tmp_path, **extra)
    commit(root, "Edit", "2026-08-03T10:00:00+00:00", {POLICY: policy(body="Stricter.\n")})
    serial = build(root, outdir=tmp_path / "out1", fresh=True)
    parallel = build(root, outdir=tmp_path / "out2", fresh=True, parallel=2)
    assert parallel.report == serial.report
    assert [f[0] for f in serial.findings].count("review-overdue") == 5
    assert [f[0] for f in serial.findings].count("changed-since-review") == 1
    assert parallel.page_text("policies/policy") == serial.page_text("policies/policy")


def test_retired_documents_are_never_stale(tmp_path: Path) -> None:
    root = handbook(
        tmp_path, **{"policies/old.md": governed("POL-009", "policy", "Old", status="retired", reviewed="2020-01-01")}
    )
    commit(
        root,
        "Edit old",
        "2026-08-03T10:00:00+00:00",
        {"policies/old.md": governed("POL-009", "policy", "Old", status="retired", reviewed="2020-01-01", body="x\n")},
    )
    assert build(root).findings == []


def test_new_commit_rewrites_pages_without_a_full_rebuild(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    assert "Last changed 2026-07-01" in build(root).page_text("policies/policy")
    commit(root, "Edit", "2026-08-03T10:00:00+00:00", {POLICY: policy(body="New.\n")})
    again = build(root)
    assert "Last changed 2026-08-03" in again.page_text("policies/policy")
    assert AUTHOR[0] in again.page_text("policies/policy")


def test_only_pages_whose_generated_parts_changed_are_written_again(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    first = build(root)
    page = {name: first.outdir / f"{name}.html" for name in ("policies/policy", "procedures/procedure", "pages/matrix")}
    before = {name: path.stat().st_mtime_ns for name, path in page.items()}
    commit(root, "Reword", "2026-08-03T10:00:00+00:00", {POLICY: policy(body="Reworded.\n", reviewed="2026-08-03")})
    build(root)
    after = {name: path.stat().st_mtime_ns for name, path in page.items()}
    assert after["policies/policy"] != before["policies/policy"]  # re-read, new history row
    # the procedure shows nothing of the policy: not written again
    assert after["procedures/procedure"] == before["procedures/procedure"]
    # handbook-wide tables are keyed on all metadata, and a review date changed
    assert after["pages/matrix"] != before["pages/matrix"]
