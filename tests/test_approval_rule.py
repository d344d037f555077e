"""clausewise_approval: changes to governed documents that reached the main line since a date
must be approved by someone other than their author (``by: owner``: by a member of the owner
role), else ``approval-missing``. Real repositories, real merges, real git notes, real builds."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from clausewise.core.history import APPROVALS_REF
from clausewise.core.settings import ClausewiseConfig, SettingError
from git import Repo
from handbook import Build, build, commit, governed, ok, role, run_clausewise, write_handbook
from test_repository_automation import fake_gh, run_step

DATA = Path(__file__).parent / "data" / "forge"
CARL = ("Carl Author", "carl@example.org")
DANA = ("Dana Quality", "dana@example.org")
ANYONE = 'clausewise_approval = {"by": "anyone", "since": "2026-08-01"}\n'
OWNER = 'clausewise_approval = {"by": "owner", "since": "2026-08-01"}\nclausewise_team_members = "_data/teams.json"\n'
FIX = "review and approve it (a pull request's approving review, recorded by the workflow), or record an approval "


def policy(body: str = "Text.\n", **overrides: str | None) -> str:
    return governed("POL-001", "policy", "Service policy", body=body, **{"satisfies": "[1.1]", **overrides})


def handbook(tmp_path: Path, conf: str = ANYONE, **role_keys: str) -> Path:
    """A role (members dana and bob, the team @fernhill/quality) owning POL-001, committed on 2026-07-01."""
    keys = {"members": "[dana, '@bob']", "github": '"@fernhill/quality"', **role_keys}
    return write_handbook(
        tmp_path / "hb", {"roles/owner.md": role(satisfies=None, **keys), "policies/p.md": policy()}, conf
    )


def add_note(root: Path, sha: str, approvals: list[dict[str, str]], **pull_request: object) -> None:
    note = {"pull_request": {"number": 7, "title": "Tighten the policy", **pull_request}, "approvals": approvals}
    subprocess.run(["git", "notes", f"--ref={APPROVALS_REF}", "add", "-f", "-F", "-", sha], cwd=root,
                   input=json.dumps(note), text=True, check=True, capture_output=True)  # fmt: skip


def merged_change(root: Path, *, merger: tuple[str, str] = DANA, trailer: str = "", body: str = "Changed.\n") -> str:
    """A branch by Carl changing the policy on 2026-08-02, merged with --no-ff by ``merger`` on
    2026-08-04 at 10:00 (a merge commit is authored by whoever merged); the merge's sha."""
    repo = Repo(root)
    repo.git.switch("-c", "tighten")
    commit(root, "Tighten the policy", "2026-08-02T09:00:00+00:00", {"policies/p.md": policy(body)}, author=CARL)
    repo.git.switch("main")
    when = "2026-08-04T10:00:00+00:00"
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": merger[0],
           "GIT_AUTHOR_EMAIL": merger[1]}  # fmt: skip
    with repo.git.custom_environment(**env):
        repo.git.merge("--no-ff", "-m", f"Merge pull request #7\n\nTighten the policy{trailer}", "tighten")
    return repo.head.commit.hexsha


def missing(result: Build) -> list[tuple[str, int, str, str]]:
    """(path, line, id, message) of every approval-missing finding."""
    return [(f["path"], f["line"], f["id"], f["message"]) for f in result.report["findings"]
            if f["code"] == "approval-missing"]  # fmt: skip


def others(result: Build) -> list[tuple[str, str, int, str]]:
    """Findings that are neither approval-missing nor the small handbook's uncovered clauses."""
    return [f for f in result.findings if f[0] not in ("approval-missing", "uncovered-clause")]


APPROVED_BY_DANA = [{"login": "dana", "name": "Dana Quality", "at": "2026-08-03T09:30:00Z"}]


def test_a_merge_with_an_owners_approval_gives_no_finding(tmp_path: Path) -> None:
    root = handbook(tmp_path, OWNER)
    sha = merged_change(root)
    add_note(root, sha, APPROVED_BY_DANA, author="carl", merged_by="dana")
    result = build(root)
    assert missing(result) == []
    assert others(result) == [("changed-since-review", "policies/p.md", 9, "POL-001")]  # changed after its review


def test_the_reviewer_who_merged_is_not_taken_for_the_author(tmp_path: Path) -> None:
    """GitHub's merge button makes the merge commit the merger's: without the note naming the pull
    request's author, an approver who merged it still counts (the forge left the author's own out)."""
    root = handbook(tmp_path)
    sha = merged_change(root, merger=DANA)
    add_note(root, sha, APPROVED_BY_DANA, merged_by="dana")
    assert missing(build(root)) == []


def test_a_merge_approved_only_by_its_author(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = merged_change(root)
    add_note(root, sha, [{"login": "carl", "name": "Carl Author", "at": "2026-08-03T09:30:00Z"}],
             author="carl", merged_by="dana")  # fmt: skip
    short = sha[:12]
    assert missing(build(root)) == [
        ("policies/p.md", 2, "POL-001",
         f"POL-001 changed in commit {short} by carl ('Tighten the policy (Merge pull request #7)'), which "
         f"reached the main line on 2026-08-04 without an approval by someone other than its author: the approval "
         f"by Carl Author does not count: it is by the change's author, carl; have someone other than its author "
         f"{FIX}given before the merge: clausewise approvals record {short} --approver NAME --at TIME"),
    ]  # fmt: skip


def test_a_local_merge_approved_by_its_author_in_a_trailer(tmp_path: Path) -> None:
    """No note: the merge commit's author is the change's; a trailer of their own does not count."""
    root = handbook(tmp_path)
    sha = merged_change(root, merger=CARL, trailer="\n\nApproved-by: carl author <carl@example.org>")
    (found,) = missing(build(root))
    assert found[3].startswith(f"POL-001 changed in commit {sha[:12]} by Carl Author (")
    assert "the approval by carl author does not count: it is by the change's author, Carl Author; " in found[3]


def test_a_squash_merge(tmp_path: Path) -> None:
    """A squashed commit on main is the change itself, authored by the pull request's author."""
    root = handbook(tmp_path, OWNER)
    sha = commit(root, "Tighten the policy (#7)", "2026-08-04T10:00:00+00:00", {"policies/p.md": policy("Sq.\n")},
                 author=CARL)  # fmt: skip
    add_note(root, sha, APPROVED_BY_DANA, merged_by="dana")
    assert missing(build(root)) == []
    second = commit(root, "Tighten it again (#8)", "2026-08-05T10:00:00+00:00", {"policies/p.md": policy("2.\n")},
                    author=CARL)  # fmt: skip
    add_note(root, second, [{"login": "carl", "name": "Carl Author", "at": "2026-08-05T09:00:00Z"}])
    (found,) = missing(build(root))
    assert found[:3] == ("policies/p.md", 2, "POL-001")
    assert f"commit {second[:12]} by Carl Author ('Tighten it again (#8)')" in found[3]
    assert "the approval by Carl Author does not count: it is by the change's author, Carl Author" in found[3]


def test_a_direct_push_to_main(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = commit(root, "Quick fix", "2026-08-04T10:00:00+00:00", {"policies/p.md": policy("Pushed.\n")}, author=CARL)
    short = sha[:12]
    assert missing(build(root)) == [
        ("policies/p.md", 2, "POL-001",
         f"POL-001 changed in commit {short} by Carl Author ('Quick fix'), which reached the main line on "
         f"2026-08-04 without an approval by someone other than its author: no approval is recorded; have someone "
         f"other than its author {FIX}given before the merge: clausewise approvals record {short} --approver NAME "
         f"--at TIME"),
    ]  # fmt: skip
    start = Repo(root).git.rev_parse("HEAD~1")
    assert ok(run_clausewise("approvals", "show", "POL-001", cwd=root, today="2026-11-23")) == [
        "this repository has no refs/notes/clausewise/approvals: only trailers are known here",
        "POL-001:",
        f"  2026-08-04 {short} Quick fix (by Carl Author)",
        "    no approval recorded",
        "    approval-missing: no approval the rule accepts (clausewise check says why)",
        f"  2026-07-01 {start[:12]} Start the handbook (by Ann Owner)",  # before since: not judged
        "    no approval recorded",
    ]


def test_trailers_and_notes_together(tmp_path: Path) -> None:
    """One change approved by a note, one by a trailer (its e-mail address gives the login bob, a
    member); a third whose trailer names someone outside the role."""
    root = handbook(tmp_path, OWNER)
    first = commit(root, "One (#7)", "2026-08-04T10:00:00+00:00", {"policies/p.md": policy("1.\n")}, author=CARL)
    add_note(root, first, APPROVED_BY_DANA)
    commit(root, "Two\n\nApproved-by: Bob Builder <bob@example.org>", "2026-08-05T10:00:00+00:00",
           {"policies/p.md": policy("2.\n")}, author=CARL)  # fmt: skip
    third = commit(root, "Three\n\nReviewed-by: Eve Outsider <eve@example.org>", "2026-08-06T10:00:00+00:00",
                   {"policies/p.md": policy("3.\n")}, author=CARL)  # fmt: skip
    (found,) = missing(build(root))
    assert found[:3] == ("policies/p.md", 2, "POL-001")
    assert found[3].startswith(
        f"POL-001 changed in commit {third[:12]} by Carl Author ('Three'), which reached the main line on 2026-08-06 "
        f"without an approval by a member of its owner role ROLE-OWNER: the approval by Eve Outsider does not "
        f"count: Eve Outsider is not a member of ROLE-OWNER (ROLE-OWNER's members: bob, dana; the members of "
        f"@fernhill/quality are not known (the team file '_data/teams.json' is missing)); have a member of its "
        f"owner role ROLE-OWNER review and approve it"
    )


def test_a_non_member_approver_and_members_from_the_team_file(tmp_path: Path) -> None:
    root = handbook(tmp_path, OWNER)
    sha = merged_change(root)
    add_note(root, sha, [{"login": "gina", "name": "Gina Security", "at": "2026-08-03T09:30:00Z"}], author="carl")
    (found,) = missing(build(root))
    assert "the approval by Gina Security does not count: gina is not a member of ROLE-OWNER (" in found[3]
    (root / "_data").mkdir()
    (root / "_data" / "teams.json").write_text(json.dumps({"fernhill/quality": ["Gina"], "fernhill/other": []}))
    assert missing(build(root)) == []
    (root / "_data" / "teams.json").write_text('{"fernhill/quality": ["gina"],\n  "x": 1}\n')
    result = build(root)
    team_file = [(f["path"], f["line"], f["message"]) for f in result.report["findings"] if f["path"].startswith("_")]
    assert team_file == [
        ("_data/teams.json", 0,
         "the team file '_data/teams.json' (clausewise_team_members) lists 'x': 1, where a team 'org/team' and a "
         "list of logins are expected; expected a JSON object of each team to its members' logins, e.g. "
         "{\"org/team\": [\"alice\", \"bob\"]}; until it is fixed no team's members are known, so only roles' "
         "members: and github: users may approve for their role"),
    ]  # fmt: skip
    assert len(missing(result)) == 1
    (root / "_data" / "teams.json").write_text('{"fernhill/quality": ["gina",]}')
    result = build(root)
    assert [(f["path"], f["line"], f["code"]) for f in result.report["findings"] if f["path"].startswith("_")] == [
        ("_data/teams.json", 1, "invalid-metadata")
    ]


def test_an_approval_dated_after_the_merge_does_not_count(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = merged_change(root)
    add_note(root, sha, [{"login": "dana", "name": "Dana Quality", "at": "2026-08-04T11:00:00Z"}], author="carl")
    (found,) = missing(build(root))
    assert (
        "the approval by Dana Quality does not count: it was given at 2026-08-04 11:00 UTC, after the change "
        "reached the main line at 2026-08-04 10:00 UTC; "
    ) in found[3]


def test_a_review_only_change_needs_an_approval_too(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = commit(root, "Review POL-001", "2026-08-04T10:00:00+00:00",
                 {"policies/p.md": policy(reviewed="2026-08-04")}, author=CARL)  # fmt: skip
    (found,) = missing(build(root))
    assert found[3].startswith(f"POL-001 recorded a review (reviewed:/version:) in commit {sha[:12]} by Carl Author")
    add_note(root, sha, APPROVED_BY_DANA)
    assert missing(build(root)) == []


def test_changes_before_since_and_drafts_are_not_judged_but_a_new_member_is(tmp_path: Path) -> None:
    """The start commit (2026-07-01) and a change on 2026-07-31 come before since; a draft that stays
    a draft is not judged; a role's new member is (who may approve is a change too)."""
    root = handbook(tmp_path)
    commit(root, "Before the rule", "2026-07-31T23:00:00+00:00", {"policies/p.md": policy("Early.\n")}, author=CARL)
    commit(root, "Draft", "2026-08-02T10:00:00+00:00",
           {"policies/d.md": governed("POL-002", "policy", "Draft", status="draft", effective=None, reviewed=None,
                                      satisfies=None)}, author=CARL)  # fmt: skip
    assert missing(build(root)) == []
    sha = commit(root, "Add a member", "2026-08-03T10:00:00+00:00",
                 {"roles/owner.md": role(satisfies=None, members="[dana, '@bob', carl]",
                                         github='"@fernhill/quality"')}, author=CARL)  # fmt: skip
    (found,) = missing(build(root))
    assert found[:3] == ("roles/owner.md", 2, "ROLE-OWNER")
    assert found[3].startswith(
        f"ROLE-OWNER changed who may approve it (github:/members:) in commit {sha[:12]} by Carl Author ('Add a "
        f"member'), which reached the main line on 2026-08-03 without an approval by someone other than its author: "
        f"no approval is recorded; "
    )


def test_a_clone_without_notes_says_so_once(tmp_path: Path) -> None:
    """Three approved merges; a clone that did not fetch the notes gets one finding, not three;
    fetching the notes clears it."""
    origin = handbook(tmp_path)
    for i, day in enumerate(("2026-08-04", "2026-08-05", "2026-08-06")):
        sha = commit(origin, f"Change {i} (#{i})", f"{day}T10:00:00+00:00", {"policies/p.md": policy(f"{i}.\n")},
                     author=CARL)  # fmt: skip
        add_note(origin, sha, APPROVED_BY_DANA)
    assert missing(build(origin)) == []
    clone = tmp_path / "clone"
    Repo.clone_from(f"file://{origin}", clone)
    assert missing(build(clone)) == [
        ("conf.py", 0, "",
         "3 changes to governed documents (3 commits) since 2026-08-01 show no approval, but this clone has no "
         "refs/notes/clausewise/approvals: approvals recorded from pull-request reviews are not known here; fetch "
         "them with git fetch origin 'refs/notes/*:refs/notes/*'; they are not reported one by one until then"),
    ]  # fmt: skip
    subprocess.run(["git", "fetch", "origin", "refs/notes/*:refs/notes/*"], cwd=clone, check=True,
                   capture_output=True)  # fmt: skip
    assert missing(build(clone)) == []


def test_the_rule_is_off_unless_configured(tmp_path: Path) -> None:
    root = handbook(tmp_path, conf="")
    commit(root, "Quick fix", "2026-08-04T10:00:00+00:00", {"policies/p.md": policy("Pushed.\n")}, author=CARL)
    assert missing(build(root)) == []
    assert ClausewiseConfig.from_values({}, environ={}).approval.required is False


def test_clausewise_check_agrees_with_the_build(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sha = commit(root, "Quick fix", "2026-08-04T10:00:00+00:00", {"policies/p.md": policy("Pushed.\n")}, author=CARL)
    done = run_clausewise("check", cwd=root, today="2026-11-23")
    assert "approval-missing" in done.stdout and sha[:12] in done.stdout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"by": "owners", "since": "2026-08-01"},
         "conf.py: clausewise_approval['by'] is 'owners'; expected 'anyone' (someone other than the change's author) "
         "or 'owner' (a member of the document's owner role: its members: and github: users and teams)"),
        ({"by": "owner", "since": "01/12/2026"},
         "conf.py: clausewise_approval['since'] is '01/12/2026'; expected a date as YYYY-MM-DD, e.g. '2026-12-01'"),
        ({"by": "owner"},
         "conf.py: clausewise_approval has no 'since'; expected the day from which changes need an approval, as "
         "YYYY-MM-DD, e.g. {'required': True, 'by': 'owner', 'since': '2026-12-01'} (changes that reached the "
         "main line before it are not judged)"),
        ({"since": "2026-08-01", "who": "owner"},
         "conf.py: clausewise_approval has the key 'who', which is not one; the keys are 'required' (True or "
         "False), 'by' ('anyone' or 'owner') and 'since' (a date), e.g. {'required': True, 'by': 'owner', "
         "'since': '2026-12-01'}"),
        ({"required": "yes", "since": "2026-08-01"},
         "conf.py: clausewise_approval['required'] is 'yes'; expected True or False"),
        ("owner", "conf.py: clausewise_approval is 'owner'; expected a dict, e.g. {'required': True, 'by': 'owner', "
                  "'since': '2026-12-01'}"),
    ],
)  # fmt: skip
def test_bad_approval_settings_are_refused_in_one_line(value: object, message: str) -> None:
    with pytest.raises(SettingError) as refused:
        ClausewiseConfig.from_values({"clausewise_approval": value}, environ={})
    assert str(refused.value) == message


def test_a_team_file_outside_the_handbook_is_refused() -> None:
    for value in ("../teams.json", "/etc/teams.json", "_data/../../teams.json"):
        with pytest.raises(SettingError) as refused:
            ClausewiseConfig.from_values({"clausewise_team_members": value}, environ={})
        assert str(refused.value) == (
            f"conf.py: clausewise_team_members is {value!r}, which is outside the handbook's folder; expected a "
            f"path inside it, e.g. '_data/teams.json'"
        )
    cfg = ClausewiseConfig.from_values({"clausewise_team_members": "./_data//teams.json"}, environ={})
    assert cfg.team_members == "_data/teams.json"


def test_a_members_entry_that_is_not_a_login(tmp_path: Path) -> None:
    root = handbook(tmp_path, members="[dana, '@fernhill/quality', 'Dana Q']")
    result = build(root)
    assert [(f["path"], f["line"], f["message"]) for f in result.report["findings"]
            if f["code"] == "invalid-metadata"] == [
        ("roles/owner.md", 11,
         "members: '@fernhill/quality' is not a login; a team belongs under github: ('@org/team')"),
        ("roles/owner.md", 11,
         "members: 'Dana Q' is not a login; expected a forge login such as alice or bob-smith (letters, digits, "
         "'-', '_' and '.')"),
    ]  # fmt: skip


FAKE_GH = """#!/bin/sh
# gh api as the workflow's team step calls it, answering from the recorded GitHub answer
case "$*" in
  *orgs/fernhill/teams/quality/members*) cat "{data}/github-team-members.json" ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
"""


def test_the_workflow_writes_the_team_file_from_the_github_answer(tmp_path: Path) -> None:
    """The build job's team step, run as GitHub runs it with ``gh`` answering from a recorded API
    response: the team file lists the team's logins, and the build counts their approvals."""
    template = Path(__file__).parents[1] / "ext" / "clausewise" / "authoring" / "templates" / "forge"
    data = yaml.safe_load((template / "pages.yml.in").read_text(encoding="utf-8"))
    (step,) = [s for s in data["jobs"]["build"]["steps"] if s.get("id") == "teams"]
    root = handbook(tmp_path, OWNER, members="[dana]")
    sha = merged_change(root)
    add_note(root, sha, [{"login": "gina-security", "name": "Gina", "at": "2026-08-03T09:30:00Z"}], author="carl")
    env = {
        **fake_gh(tmp_path, FAKE_GH.replace("{data}", str(DATA))),
        "GH_TOKEN": "unused", "CLAUSEWISE_TEAM_MEMBERS": "_data/teams.json",
    }  # fmt: skip
    done = run_step(step["run"], root, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ok(done) == ["_data/teams.json: 1 team, 2 members"]
    written = json.loads((root / "_data" / "teams.json").read_text())
    assert written == {"fernhill/quality": ["dana-quality", "gina-security"]}
    assert missing(build(root)) == []


def test_the_demo_has_every_change_since_the_rules_start_approved(tmp_path: Path) -> None:
    """The sample's rule (by the owner, since 2026-01-01) over the replayed history: the 58 changes to
    documents since then (the three services' and the six suppliers' reviews of 2026-10-12 among them)
    are each approved in their pull request's note, by a member of the document's owner role other
    than its author, and none is approval-missing."""
    from datetime import date

    from clausewise.cli.common import load_result
    from clausewise.cli.demo import replay_into
    from clausewise.core.history import ApprovalSource

    replayed = replay_into(Path(__file__).parents[1], tmp_path / "demo")
    result = load_result(replayed.repository, date(2026, 11, 23))
    rule = result.config.approval
    assert (rule.required, rule.by, rule.since) == (True, "owner", date(2026, 1, 1))
    verdicts = [v for page in result.approvals.values() for v in page.values()]
    assert len(verdicts) == 49 + 3 + 6 and all(v.approved and not v.refused for v in verdicts)
    assert all(v.owners is not None and {a.login for a in v.counted} <= v.owners.logins for v in verdicts)
    assert {(a.name, a.source) for v in verdicts for a in v.counted} == {
        ("Liam O'Connor", ApprovalSource.NOTE), ("Marcus Reid", ApprovalSource.NOTE),
        ("Mei Lin", ApprovalSource.NOTE), ("Priya Natarajan", ApprovalSource.NOTE),
        ("Tom Brennan", ApprovalSource.NOTE),
    }  # fmt: skip
    assert [f for f in result.findings if f.code == "approval-missing"] == []
