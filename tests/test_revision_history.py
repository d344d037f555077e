"""The revision history as evidence: real repositories with real approval notes, built by
real Sphinx; each change's version, the day it reached the main line, its pull request's
title, author, commit and pull request, and who approved it when (or, in words, that
nobody but its author did, or that it is not merged yet); ``clausewise as-of`` showing the
history as it stood that day; ``clausewise approvals show`` naming the same approvers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from clausewise.core.history import APPROVALS_REF
from git import Repo
from handbook import Build, build, commit, governed, ok, record, role, run_clausewise, write_handbook

POLICY = "policies/p.md"
CARL = ("Carl Author", "carl@example.org")
FORGE = "https://forge.example.org/sms/pull"


def policy(version: str, body: str = "Text.\n", reviewed: str = "2026-06-01") -> str:
    return governed("POL-001", "policy", "Service policy", body=body, version=f'"{version}"', reviewed=reviewed)


def note(number: int, title: str, *approvals: tuple[str, str, str]) -> str:
    return json.dumps({
        "pull_request": {"number": number, "url": f"{FORGE}/{number}", "title": title, "merged_by": "erin"},
        "approvals": [{"login": login, "name": name, "at": at} for login, name, at in approvals],
    })  # fmt: skip


def add_note(root: Path, sha: str, text: str) -> None:
    subprocess.run(["git", "notes", f"--ref={APPROVALS_REF}", "add", "-f", "-F", "-", sha], cwd=root,
                   input=text, text=True, check=True, capture_output=True)  # fmt: skip


def handbook(tmp_path: Path) -> Path:
    return write_handbook(tmp_path / "hb", {"roles/owner.md": role(satisfies=None), POLICY: policy("1.0")})


def merge(root: Path, when: str, message: str, branch: str, change: dict[str, str], author: tuple[str, str]) -> str:
    """A branch with one commit by ``author`` a day before ``when``, merged with --no-ff at ``when``."""
    repo = Repo(root)
    repo.git.switch("-c", branch)
    commit(root, message.split("\n\n")[-1], when.replace("T10", "T08"), change, author=author)
    repo.git.switch("main")
    with repo.git.custom_environment(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when):
        repo.git.merge("--no-ff", "-m", message, branch)
    return repo.head.commit.hexsha


def history_text(result: Build, docname: str) -> str:
    text = result.page_text(docname)
    start = text.index("Revision history")
    return text[start : text.index(" Test handbook Navigation", start)]


def changes(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """POL-001 1.0 at the start; 1.1 by Carl merged from pull request #7 with Dana's approval;
    1.2 by Carl squashed from #8, approved by Carl alone; a review pushed to main without one."""
    root = handbook(tmp_path)
    shas = {"first": Repo(root).head.commit.hexsha}
    shas["merge"] = merge(root, "2026-08-04T10:00:00+00:00", "Merge pull request #7 from carl/tighten\n\nTighten",
                          "tighten", {POLICY: policy("1.1", "Tighter.\n")}, CARL)  # fmt: skip
    add_note(root, shas["merge"], note(7, "Tighten the policy", ("dana", "Dana Quality", "2026-08-03T09:30:00Z")))
    shas["squash"] = commit(root, "Reword the scope (#8)", "2026-09-02T10:00:00+00:00",
                            {POLICY: policy("1.2", "Reworded.\n")}, author=CARL)  # fmt: skip
    add_note(root, shas["squash"], note(8, "Reword the scope", ("carl", "Carl Author", "2026-09-01T15:00:00Z")))
    shas["review"] = commit(root, "Yearly review", "2026-10-01T10:00:00+00:00",
                            {POLICY: policy("1.2", "Reworded.\n", reviewed="2026-10-01")})  # fmt: skip
    return root, shas


def test_each_change_with_its_version_pull_request_and_approver_newest_first(tmp_path: Path) -> None:
    root, shas = changes(tmp_path)
    result = build(root, overrides={"clausewise_repository_url": "https://forge.example.org/sms"})
    assert history_text(result, "policies/p") == (
        "Revision history ¶ Version Date Change Approved by "
        f"1.2 2026-10-01 Yearly review by Ann Owner · commit {shas['review'][:7]} No approval recorded "
        f"1.2 2026-09-02 Reword the scope by Carl Author · commit {shas['squash'][:7]} · pull request #8 "
        "No approval recorded Approved only by its author: Carl Author, 2026-09-01 "
        f"1.1 2026-08-04 Tighten the policy by Ann Owner · commit {shas['merge'][:7]} · pull request #7 "
        "Dana Quality, 2026-08-03 "
        f"1.0 2026-07-01 Start the handbook by Ann Owner · commit {shas['first'][:7]} No approval recorded"
    )
    page = result.page_html("policies/p")
    for sha in shas.values():
        assert page.count(f'href="https://forge.example.org/sms/commit/{sha}"') == 1
    assert page.count(f'href="{FORGE}/7"') == page.count(f'href="{FORGE}/8"') == 1
    # the rows without an approval carry a class too, but the words above say it without colour
    assert page.count('<tr class="clausewise-unapproved') == 3


def test_approvals_show_names_the_same_approvers_as_the_page(tmp_path: Path) -> None:
    root, shas = changes(tmp_path)
    shown = ok(run_clausewise("approvals", "show", "POL-001", cwd=root, today="2026-11-23"))
    assert shown == [
        "POL-001:",
        f"  2026-10-01 {shas['review'][:12]} Yearly review (by Ann Owner)",
        "    no approval recorded",
        f"  2026-09-02 {shas['squash'][:12]} Reword the scope (#8) (by Carl Author)",
        f"    approved by Carl Author (@carl) on 2026-09-01 15:00 UTC in #8 {FORGE}/8, merged by erin [note]",
        "    no approval by anyone other than its author",
        f"  2026-08-04 {shas['merge'][:12]} Tighten (Merge pull request #7 from carl/tighten) (by Ann Owner)",
        f"    approved by Dana Quality (@dana) on 2026-08-03 09:30 UTC in #7 {FORGE}/7, merged by erin [note]",
        f"  2026-07-01 {shas['first'][:12]} Start the handbook (by Ann Owner)",
        "    no approval recorded",
    ]


def test_a_change_not_yet_merged_is_marked_so_and_not_called_unapproved(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    Repo(root).git.switch("-c", "work")
    work = commit(root, "Draft a stricter policy", "2026-08-02T09:00:00+00:00", {POLICY: policy("1.1", "WIP\n")},
                  author=CARL)  # fmt: skip
    first = Repo(root).git.rev_parse("main")
    text = history_text(build(root), "policies/p")
    assert text == (
        "Revision history ¶ Version Date Change Approved by "
        f"1.1 2026-08-02 Draft a stricter policy by Carl Author · commit {work[:7]} Not yet merged "
        f"1.0 2026-07-01 Start the handbook by Ann Owner · commit {first[:7]} No approval recorded"
    )


def test_as_of_shows_the_history_as_it_stood_that_day(tmp_path: Path) -> None:
    """Commits after the day are not there; an approval a note dates after the day did not
    exist then (the note was written later), so that change stood unapproved that day."""
    root = handbook(tmp_path)
    merged = merge(root, "2026-08-04T10:00:00+00:00", "Merge pull request #7 from carl/tighten\n\nTighten",
                   "tighten", {POLICY: policy("1.1", "Tighter.\n")}, CARL)  # fmt: skip
    add_note(root, merged, note(7, "Tighten the policy", ("dana", "Dana Quality", "2026-08-03T09:30:00Z")))
    pushed = commit(root, "Fix a typo", "2026-08-10T10:00:00+00:00", {POLICY: policy("1.1", "Tighter!\n")},
                    author=CARL)  # fmt: skip
    add_note(root, pushed, note(9, "Fix a typo", ("dana", "Dana Quality", "2026-09-20T08:00:00Z")))
    later = commit(root, "Yearly review", "2026-10-01T10:00:00+00:00",
                   {POLICY: policy("1.1", "Tighter!\n", reviewed="2026-10-01")})  # fmt: skip
    first = Repo(root).git.rev_list("--max-parents=0", "HEAD")
    out = tmp_path / "as-of"
    ok(run_clausewise("--handbook", root, "as-of", "2026-09-01", "--out", out))
    then = Build(root, out, [], "")
    rows = (
        # nor its pull request's link, which only the later note gave
        f"1.1 2026-08-10 Fix a typo by Carl Author · commit {pushed[:7]} No approval recorded "
        f"1.1 2026-08-04 Tighten the policy by Ann Owner · commit {merged[:7]} · pull request #7 "
        "Dana Quality, 2026-08-03 "
        f"1.0 2026-07-01 Start the handbook by Ann Owner · commit {first[:7]} No approval recorded"
    )
    assert history_text(then, "policies/p") == f"Revision history ¶ Version Date Change Approved by {rows}"
    assert later[:7] not in then.page_html("policies/p")
    # today the note's approval of the typo fix is known, and the review is there
    now = history_text(build(root), "policies/p")
    assert now.startswith(
        "Revision history ¶ Version Date Change Approved by "
        f"1.1 2026-10-01 Yearly review by Ann Owner · commit {later[:7]} No approval recorded "
        f"1.1 2026-08-10 Fix a typo by Carl Author · commit {pushed[:7]} · pull request #9 Dana Quality, 2026-09-20 "
    )


def test_a_record_lists_who_changed_it_and_no_approvers(tmp_path: Path) -> None:
    root = record_handbook(tmp_path)
    fixed = Repo(root).head.commit.hexsha
    first = Repo(root).git.rev_list("--max-parents=0", "HEAD")
    assert history_text(build(root), "records/report/2026-Q2") == (
        "Revision history ¶ Date Change "
        f"2026-07-03 Correct the report by Carl Author · commit {fixed[:7]} "
        f"2026-07-01 Start the handbook by Ann Owner · commit {first[:7]} "
        "A record is evidence, not an approved document: each change is listed with who made it; "
        "a change after its first commit says why on its correction: line."
    )


#: how Sphinx writes the "Revision history" heading of every page, a record's and a document's
HISTORY_SECTION = (
    '<section class="clausewise-generated no-search" id="clausewise-revision-history">\n'
    '<h2>Revision history<a class="headerlink" href="#clausewise-revision-history" '
    'title="Link to this heading">¶</a></h2>\n<table class="clausewise-table clausewise-history'
)
#: its entry in a page's contents (the basic theme's sidebar)
HISTORY_ENTRY = '<li><a class="reference internal" href="#clausewise-revision-history">Revision history</a></li>'


def test_a_records_history_is_the_same_section_but_not_in_its_contents(tmp_path: Path) -> None:
    # a record's section is made when its page is written, not kept from reading (memory: a large
    # handbook has thousands of records); a document's stays in its contents
    root = record_handbook(tmp_path)
    built = build(root, overrides={"html_theme": "basic"})
    record_page, procedure_page = built.page_html("records/report/2026-Q2"), built.page_html("procedures/r")
    assert (record_page.count(HISTORY_SECTION), procedure_page.count(HISTORY_SECTION)) == (1, 1)
    assert (record_page.count(HISTORY_ENTRY), procedure_page.count(HISTORY_ENTRY)) == (0, 1)
    # the last part of the record's page, as it is of a document's
    assert record_page.index(HISTORY_SECTION) > record_page.index("Record text, corrected.")
    assert record_page.count("</section>\n</section>") == 1


def record_handbook(tmp_path: Path) -> Path:
    """A procedure with a quarterly record type, and a record of it corrected by Carl (the last commit)."""
    procedure = governed("PRC-001", "procedure", "Reporting", satisfies="[1.1]").replace(
        "satisfies: [1.1]\n",
        "satisfies: [1.1]\nrecord_types:\n  - id: RT-REPORT\n    title: Quarterly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: quarterly\n",
    )
    path = "records/report/2026-Q2.md"
    text = record("REC-REPORT-2026-Q2", "RT-REPORT", "2026-Q2", produced="2026-07-01")
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(satisfies=None), "procedures/r.md": procedure,
                                            path: text})  # fmt: skip
    commit(root, "Correct the report", "2026-07-03T09:00:00+00:00",
                   {path: text.replace("Record text.", "Record text, corrected.").replace(
                       "classification: internal", "classification: internal\ncorrection: typo in the totals")},
                   author=CARL)  # fmt: skip
    return root


def test_a_note_cannot_make_a_script_link_and_its_title_stays_text(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = commit(root, "Reword", "2026-08-02T09:00:00+00:00", {POLICY: policy("1.1", "Reworded.\n")}, author=CARL)
    hostile = json.loads(note(9, "<img src=x onerror=alert(1)>", ("dana", "Dana <b>Q</b>", "2026-08-01T09:00:00Z")))
    hostile["pull_request"]["url"] = "javascript:alert(1)"
    add_note(root, sha, json.dumps(hostile))
    result = build(root)
    assert history_text(result, "policies/p").startswith(
        "Revision history ¶ Version Date Change Approved by "
        f"1.1 2026-08-02 <img src=x onerror=alert(1)> by Carl Author · commit {sha[:7]} · pull request #9 "
        "Dana <b>Q</b>, 2026-08-01 "
    )
    page = result.page_html("policies/p")
    assert "javascript:" not in page and "<img src=x" not in page and "<b>Q</b>" not in page


def test_the_version_follows_the_front_matter_and_an_included_file_keeps_it(tmp_path: Path) -> None:
    body = "Text.\n\n```{include} ../snippets/contact.md\n```\n"
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(satisfies=None), POLICY: policy("1.0", body),
                                            "snippets/contact.md": "Call the desk.\n"})  # fmt: skip
    commit(root, "Version 2.0", "2026-08-01T09:00:00+00:00", {POLICY: policy("2.0", body + "\nMore.\n")})
    commit(root, "New contact", "2026-08-05T09:00:00+00:00", {"snippets/contact.md": "Call the duty manager.\n"})
    # a version line moved below another key, with a comment: still the front matter's version
    moved = policy("2.1", body + "\nMore.\n").replace('version: "2.1"\n', "")
    commit(
        root,
        "Version 2.1",
        "2026-08-09T09:00:00+00:00",
        {POLICY: moved.replace("classification: internal\n", "classification: internal\nversion: 2.1  # minor\n")},
    )
    text = history_text(build(root), "policies/p")
    rows = text.split("Approved by ", 1)[1].split(" No approval recorded")
    assert [row.strip().split(" ", 2)[:2] for row in rows if row.strip()] == [
        ["2.1", "2026-08-09"], ["2.0", "2026-08-05"], ["2.0", "2026-08-01"], ["1.0", "2026-07-01"],
    ]  # fmt: skip


def test_a_shallow_clone_shows_the_current_version_on_the_newest_row_only(tmp_path: Path) -> None:
    origin = handbook(tmp_path)
    commit(origin, "Version 1.1", "2026-08-01T09:00:00+00:00", {POLICY: policy("1.1", "B\n")})
    commit(origin, "Version 1.2", "2026-09-01T09:00:00+00:00", {POLICY: policy("1.2", "C\n")})
    newest = commit(origin, "Version 1.3", "2026-10-01T09:00:00+00:00", {POLICY: policy("1.3", "D\n")})
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{origin}", str(clone)], check=True)
    text = history_text(build(clone), "policies/p")
    # the boundary commit (1.1) is cut off; 1.2's front matter cannot be followed from there, and
    # the newest change is the page as it is now
    assert text.startswith(
        "Revision history ¶ Version Date Change Approved by "
        f"1.3 2026-10-01 Version 1.3 by Ann Owner · commit {newest[:7]} No approval recorded "
        "— 2026-09-01 Version 1.2 by Ann Owner · commit "
    )
    assert text.endswith("No approval recorded Older history is missing: the repository is a shallow clone.")


def pr_note(number: int, author: str, *approvals: tuple[str, str, str]) -> str:
    """A note that names the pull request's author, as the workflow records it."""
    return json.dumps({
        "pull_request": {"number": number, "title": f"Change {number}", "author": author, "merged_by": "erin"},
        "approvals": [{"login": login, "name": name, "at": at} for login, name, at in approvals],
    })  # fmt: skip


OWNER_RULE = 'clausewise_approval = {"by": "owner", "since": "2026-08-01"}\n'


def test_the_page_gives_the_approval_rules_verdict_and_its_reasons(tmp_path: Path) -> None:
    """With ``"by": "owner"``: a non-member's approval and a member's given after the merge do not
    count, on the page as in approval-missing; a member's given before the merge does. The page and
    the finding agree on every change, and ``approvals show`` says the same."""
    files = {"roles/owner.md": role(satisfies=None, members="[dana]"), POLICY: policy("1.0")}
    root = write_handbook(tmp_path / "hb", files, OWNER_RULE)
    first = Repo(root).head.commit.hexsha
    outsider = merge(root, "2026-08-04T10:00:00+00:00", "Merge pull request #1", "one", {POLICY: policy("1.1", "A\n")},
                     CARL)  # fmt: skip
    add_note(root, outsider, pr_note(1, "carl", ("gina", "Gina Security", "2026-08-03T09:30:00Z")))
    late = merge(root, "2026-08-11T10:00:00+00:00", "Merge pull request #2", "two", {POLICY: policy("1.2", "B\n")},
                 CARL)  # fmt: skip
    add_note(root, late, pr_note(2, "carl", ("dana", "Dana Quality", "2026-08-11T12:00:00Z")))
    owner = merge(root, "2026-08-18T10:00:00+00:00", "Merge pull request #3", "three", {POLICY: policy("1.3", "C\n")},
                  CARL)  # fmt: skip
    add_note(root, owner, pr_note(3, "carl", ("dana", "Dana Quality", "2026-08-17T09:00:00Z"),
                                  ("carl", "Carl Author", "2026-08-17T08:00:00Z")))  # fmt: skip
    result = build(root)
    assert history_text(result, "policies/p") == (
        "Revision history ¶ Version Date Change Approved by "
        f"1.3 2026-08-18 Change 3 by Ann Owner · commit {owner[:7]} · pull request #3 Dana Quality, 2026-08-17 "
        "Not counted, by its author: Carl Author, 2026-08-17 "
        f"1.2 2026-08-11 Change 2 by Ann Owner · commit {late[:7]} · pull request #2 No approval recorded "
        "Not counted, given after the change reached the main line: Dana Quality, 2026-08-11 "
        f"1.1 2026-08-04 Change 1 by Ann Owner · commit {outsider[:7]} · pull request #1 No approval recorded "
        "Not counted, not a member of ROLE-OWNER: Gina Security, 2026-08-03 "
        f"1.0 2026-07-01 Start the handbook by Ann Owner · commit {first[:7]} No approval recorded"
    )
    # the rows marked unapproved are exactly the changes approval-missing names
    flagged = [f["message"].split(" ")[4] for f in result.report["findings"] if f["code"] == "approval-missing"]
    assert flagged == [late[:12], outsider[:12]]
    assert result.page_html("policies/p").count('<tr class="clausewise-unapproved') == 3  # and the start
    shown = ok(run_clausewise("approvals", "show", "POL-001", cwd=root, today="2026-11-23"))
    assert shown == [
        "POL-001:",
        f"  2026-08-18 {owner[:12]} Merge pull request #3 (by Ann Owner)",
        "    approved by Dana Quality (@dana) on 2026-08-17 09:00 UTC in #3, merged by erin [note]",
        "    approved by Carl Author (@carl) on 2026-08-17 08:00 UTC in #3, merged by erin [note]",
        "    not counted: Carl Author: it is by the change's author, carl",
        f"  2026-08-11 {late[:12]} Merge pull request #2 (by Ann Owner)",
        "    approved by Dana Quality (@dana) on 2026-08-11 12:00 UTC in #2, merged by erin [note]",
        "    not counted: Dana Quality: it was given at 2026-08-11 12:00 UTC, after the change reached the main line "
        "at 2026-08-11 10:00 UTC",
        "    approval-missing: no approval the rule accepts (clausewise check says why)",
        f"  2026-08-04 {outsider[:12]} Merge pull request #1 (by Ann Owner)",
        "    approved by Gina Security (@gina) on 2026-08-03 09:30 UTC in #1, merged by erin [note]",
        "    not counted: Gina Security: gina is not a member of ROLE-OWNER",
        "    approval-missing: no approval the rule accepts (clausewise check says why)",
        f"  2026-07-01 {first[:12]} Start the handbook (by Ann Owner)",  # before since: the page's own mark
        "    no approval recorded",
    ]


def test_without_the_rule_the_author_is_the_pull_requests_author_from_its_note(tmp_path: Path) -> None:
    """The merge commit is Ann's (she merged it), but the note says Carl wrote the pull request: his
    own approval is not one by someone other than its author, as the approval rule would see it."""
    root = handbook(tmp_path)
    sha = merge(root, "2026-08-04T10:00:00+00:00", "Merge pull request #4", "four", {POLICY: policy("1.1", "A\n")},
                CARL)  # fmt: skip
    add_note(root, sha, pr_note(4, "carl", ("carl", "Carl Author", "2026-08-03T09:30:00Z")))
    result = build(root)
    assert history_text(result, "policies/p").startswith(
        "Revision history ¶ Version Date Change Approved by "
        f"1.1 2026-08-04 Change 4 by Ann Owner · commit {sha[:7]} · pull request #4 No approval recorded "
        "Approved only by its author: Carl Author, 2026-08-03 "
    )
    assert [f for f in result.findings if f[0] == "approval-missing"] == []  # the rule is off
    shown = ok(run_clausewise("approvals", "show", "POL-001", cwd=root, today="2026-11-23"))
    assert shown[2:4] == [
        "    approved by Carl Author (@carl) on 2026-08-03 09:30 UTC in #4, merged by erin [note]",
        "    no approval by anyone other than its author",
    ]
