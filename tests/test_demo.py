"""``clausewise demo``: the sample replayed into a git repository whose history is the
one its metadata describes, the same commit ids every run; and the README's
``as-of 2026-03-15`` on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clausewise.authoring.replay import Person, approver_of
from clausewise.cli.common import read_sources
from clausewise.cli.demo import Replayed, replay_into
from clausewise.sphinxext import scan
from git import Repo
from handbook import governed, ok, record, refused, role, run_clausewise, write_handbook

ROOT = Path(__file__).resolve().parent.parent

#: The sample's findings on 2026-11-23, as tests/test_sample_handbook.py pins them.
SAMPLE_FINDINGS = [
    ("review-due-soon", "policies/context-of-the-organisation.md", 9, "DOC-001"),
    ("review-overdue", "policies/information-security-policy.md", 9, "POL-004"),
    ("audit-coverage-gap", "procedures/internal-audit.md", 28, "ISO20K-9-2"),
    ("audit-coverage-gap", "procedures/internal-audit.md", 28, "PRC-022"),
    ("record-missing", "procedures/problem-management.md", 15, "RT-PROBLEM-REVIEW"),
    ("record-missing", "procedures/service-availability-management.md", 15, "RT-AVAILABILITY-REPORT"),
    ("record-missing", "procedures/supplier-performance-review.md", 16, "RT-SUPPLIER-REVIEW"),
    ("target-missed", "records/availability-report/2026-02.md", 14, "REC-AVAILABILITY-REPORT-2026-02"),
    ("target-missed", "records/availability-report/2026-09.md", 13, "REC-AVAILABILITY-REPORT-2026-09"),
    (
        "action-effectiveness-unchecked",
        "records/corrective-action/2025-09-29.md",
        16,
        "REC-CORRECTIVE-ACTION-2025-09-29",
    ),
    ("action-overdue", "records/corrective-action/2026-07-02.md", 15, "REC-CORRECTIVE-ACTION-2026-07-02"),
    ("complaint-unanswered", "records/customer-complaint/2026-11-02.md", 11, "REC-CUSTOMER-COMPLAINT-2026-11-02"),
    ("review-input-missing", "records/management-review/2025-H1.md", 11, "REC-MANAGEMENT-REVIEW-2025-H1"),
    ("record-late", "records/service-report/2025-06.md", 7, "REC-SERVICE-REPORT-2025-06"),
    *(
        ("target-missed", f"records/service-report/{period}.md", 12, f"REC-SERVICE-REPORT-{period}")
        for period in ("2025-12", "2026-01", "2026-02", "2026-04", "2026-06", "2026-08", "2026-09", "2026-10")
    ),
    ("target-missed-repeatedly", "services/workplace.md", 17, "SVC-WORKPLACE"),
    ("contract-expiring", "suppliers/stratus-cloud.md", 14, "SUP-STRATUS-CLOUD"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Replayed:
    return replay_into(ROOT, tmp_path_factory.mktemp("demo") / "repo")


def _main_line(repo: Path, *paths: str) -> list[str]:
    """date|author|number of parents|subject of each commit on the main line, newest first."""
    log = Repo(repo).git.log("--first-parent", "--format=%cs|%an|%P|%s", "--", *paths)
    return [f"{d}|{a}|{len(p.split())}|{s}" for d, a, p, s in (line.split("|", 3) for line in log.splitlines())]


def _unnumbered(lines: list[str]) -> list[str]:
    """``lines`` with the pull requests' numbers as ``#N``: they count every pull request of
    the sample before, so a document added to the sample renumbers the later ones."""
    return [re.sub(r"pull request #\d+ from", "pull request #N from", line) for line in lines]


def _findings(report: dict[str, object]) -> list[tuple[str, str, int, str]]:
    return [(f["code"], f["path"], f["line"], f["id"]) for f in report["findings"]]  # type: ignore[attr-defined, index]


def test_the_same_commit_ids_every_run_whatever_the_environment(
    demo: Replayed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # what `git commit` would take from the environment: the replay gives every date and name itself
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2030-01-01T00:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2030-01-01T00:00:00+00:00")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Somebody Else")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "else@example.net")
    again = replay_into(ROOT, tmp_path / "again")
    assert again.head == demo.head
    everything = ["--all", "--format=%H %T %P"]
    assert Repo(again.repository).git.log(*everything) == Repo(demo.repository).git.log(*everything)
    # the main branch and the approvals' notes; the pull requests' branch is gone
    assert [r.name for r in Repo(again.repository).refs] == ["main", "clausewise/approvals"]
    notes = ["--ref=refs/notes/clausewise/approvals", "list"]
    assert Repo(again.repository).git.notes(*notes) == Repo(demo.repository).git.notes(*notes)
    # a note on every merge commit, none elsewhere
    merges = Repo(demo.repository).git.log("--merges", "--format=%H", "main").split()
    assert sorted(line.split()[1] for line in Repo(demo.repository).git.notes(*notes).splitlines()) == sorted(merges)
    assert len(merges) == demo.pull_requests


def test_the_history_has_a_commit_for_every_change_the_metadata_names(demo: Replayed) -> None:
    repo = Repo(demo.repository)
    main_line = _main_line(demo.repository)
    # the three services' and six suppliers' pages: each created in a pull request and reviewed in one each
    # year; three customer complaints (issue 18)
    assert len(main_line) == 367 + 2 + 12 + 24 + 3  # and two more corrective actions (issue 17)
    assert demo.pull_requests == 176 + 12 + 24
    assert int(repo.git.rev_list("--count", "HEAD")) == 408 + 212  # each pull request's own commit
    assert int(repo.git.rev_list("--merges", "--count", "HEAD")) == 212
    subjects = [line.split("|", 3)[3] for line in main_line]
    # pull requests numbered in the order they were merged, from 1, without a gap
    numbers = [int(m.group(1)) for s in reversed(subjects) if (m := re.match(r"Merge pull request #(\d+) ", s))]
    assert numbers == list(range(1, 213))
    assert sum(s.startswith("Add REC-") for s in subjects) == 189 + 2 + 3  # every record, once
    assert main_line[-1] == "2023-12-18|Marcus Reid|0|Start the handbook"  # 14 days before the first date named
    # the working tree is the sample as it is, plus a .gitignore for the build
    files = scan.handbook_files(ROOT)
    assert repo.git.ls_files().splitlines() == sorted([*files, ".gitignore"])
    assert all((demo.repository / f).read_bytes() == (ROOT / f).read_bytes() for f in files)
    assert repo.git.status("--porcelain") == ""


def test_a_document_is_created_brought_to_its_version_and_reviewed_through_pull_requests(demo: Replayed) -> None:
    # PRC-012: version 3.1 effective 2025-04-01, reviewed 2026-03-12; its record type's first
    # record (a major incident review) was produced on 2024-05-17, so version 3.0 existed by then
    assert _unnumbered(_main_line(demo.repository, "procedures/incident-management.md")) == [
        "2026-03-12|Aisha Khan|2|Merge pull request #N from aisha-khan/prc-012-review-2026-03-12",
        "2025-04-01|Aisha Khan|2|Merge pull request #N from aisha-khan/prc-012-3.1",
        "2024-05-17|Aisha Khan|2|Merge pull request #N from aisha-khan/prc-012-3.0",
    ]
    repo = Repo(demo.repository)
    review = repo.commit(repo.git.log("--first-parent", "-1", "--format=%H", "--", "procedures/incident-management.md"))
    assert _unnumbered([review.message]) == [
        "Merge pull request #N from aisha-khan/prc-012-review-2026-03-12\n\n"
        "PRC-012 Incident management: reviewed, no change\n\n"
        "Approved-by: Tom Brennan <tom.brennan@example.org>\n"
    ]
    assert (review.committer.name, review.committer.email) == ("GitHub", "noreply@github.com")
    # and the approval as the workflow records it: a git note on the merge commit, dated an hour before it
    assert review.committed_datetime.isoformat() == "2026-03-12T09:00:00+00:00"
    note = json.loads(repo.git.notes("--ref=refs/notes/clausewise/approvals", "show", review.hexsha))
    # by the service desk lead role's other member (ROLE-SERVICE-DESK-LEAD's members: aisha.khan, tom.brennan)
    assert note["approvals"] == [{"at": "2026-03-12T08:00:00Z", "login": "tom.brennan", "name": "Tom Brennan"}]
    assert (note["pull_request"]["title"], note["pull_request"]["merged_by"]) == (
        "PRC-012 Incident management: reviewed, no change", "aisha.khan",
    )  # fmt: skip
    assert review.parents[1].message == "PRC-012 Incident management: reviewed, no change\n"
    assert review.parents[1].authored_datetime < review.authored_datetime
    # a review changes the `reviewed:` line and nothing else
    diff = repo.git.diff("--unified=0", f"{review.hexsha}^1", review.hexsha).splitlines()
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-reviewed: 2025-04-01",
        "+reviewed: 2026-03-12",
    ]
    # the version before lacked the last section, and carried its own version and dates
    path = "procedures/incident-management.md"
    first = (demo.repository / path).read_text()
    older = repo.git.show(f"{repo.git.log('--first-parent', '--reverse', '--format=%H', '--', path).split()[0]}:{path}")
    assert 'version: "3.0"' in older and "effective: 2024-05-17" in older and "reviewed: 2024-05-17" in older
    assert first.startswith(older.split("\nversion:")[0])
    assert len(older) < len(first)


def test_a_document_of_the_sms_manager_is_approved_by_the_roles_other_member(demo: Replayed) -> None:
    repo = Repo(demo.repository)
    # DOC-005 (owner: SMS manager), every 6 months: the 2.3 of its creation reviewed on time, then 2.4
    assert _unnumbered(
        [line.split("|")[3] for line in _main_line(demo.repository, "policies/risks-and-opportunities.md")]
    ) == [
        "Merge pull request #N from marcus-reid/doc-005-review-2026-10-09",
        "Merge pull request #N from marcus-reid/doc-005-2.4",
        "Merge pull request #N from marcus-reid/doc-005-review-2026-04-15",
        "Merge pull request #N from marcus-reid/doc-005-review-2025-10-15",
        "Merge pull request #N from marcus-reid/doc-005-review-2025-04-15",
        "Merge pull request #N from marcus-reid/doc-005-review-2024-10-15",
        "Merge pull request #N from marcus-reid/doc-005-2.3",
    ]
    last = repo.git.log("--first-parent", "-1", "--format=%B", "--", "policies/risks-and-opportunities.md")
    # ROLE-SMS-MANAGER's members: marcus.reid (the author) and liam.oconnor, its second reviewer
    assert last.strip().endswith("Approved-by: Liam O'Connor <liam.oconnor@example.org>")


def test_each_pull_requests_approver_is_a_member_of_the_owning_role_and_not_its_author(demo: Replayed) -> None:
    """Every replayed pull request is approved, in its note, by the first member (members: on the
    owner role's page) of the document's owner role other than its author."""
    handbook = read_sources(ROOT, None)[0].handbook
    by_path = {d.source.path: d for d in handbook.documents}
    roles = handbook.roles()
    approvers: dict[str, set[str]] = {}
    for step in demo.steps:
        if step.pull_request is None:
            continue
        (path,) = [p for p, _ in step.files]
        owner = roles[by_path[path].owner or ""]
        (approval,) = step.pull_request.approvals
        assert approval.by.login in owner.members, (path, approval.by)
        assert approval.by.login != step.author.login, (path, approval.by)
        assert approval.by.login == next(m for m in owner.members if m != step.author.login)
        approvers.setdefault(owner.id, set()).add(approval.by.name)
    # each role's one approver: its other member, a person of the records and roles by name
    assert approvers == {
        "ROLE-CHANGE-MANAGER": {"Marcus Reid"},
        "ROLE-INTERNAL-AUDITOR": {"Liam O'Connor"},
        "ROLE-OPERATIONS-LEAD": {"Priya Natarajan"},
        "ROLE-RELATIONSHIP-MANAGER": {"Tom Brennan"},
        "ROLE-SECURITY-OFFICER": {"Marcus Reid"},
        "ROLE-SERVICE-DESK-LEAD": {"Tom Brennan"},
        "ROLE-SERVICE-OWNER": {"Tom Brennan"},
        "ROLE-SMS-MANAGER": {"Liam O'Connor"},
        "ROLE-SUPPLIER-MANAGER": {"Mei Lin"},
        "ROLE-TOP-MANAGEMENT": {"Mei Lin"},
    }


def test_the_demo_requires_the_owners_approval_and_every_change_since_has_it(demo: Replayed) -> None:
    """The sample asks for an approval by a member of the owning role since 2026-01-01: the demo's
    59 changes to governed documents since then (the 58 the rule judges, the six suppliers' reviews of
    2026-10-12 and the three services' among them, and the creation of a draft, which it does not) each
    show one, and none is approval-missing."""
    assert (
        'clausewise_approval = {"required": True, "by": "owner", "since": "2026-01-01"}'
        in (ROOT / "conf.py").read_text()
    )
    checked = run_clausewise("--handbook", demo.repository, "check", "--format", "json", today="2026-11-23")
    assert [f for f in _findings(json.loads(checked.stdout)) if f[0] == "approval-missing"] == []
    shown = ok(run_clausewise("--handbook", demo.repository, "approvals", "show", today="2026-11-23"))
    since, current, unapproved = [], "", []
    for i, line in enumerate(shown):
        if not line.startswith(" "):
            current = line.split(":")[0]
        elif line.startswith("  20") and not current.startswith("REC-") and line[2:12] >= "2026-01-01":
            since.append(line)
            if not shown[i + 1].startswith("    approved by "):
                unapproved.append(line)
    assert len(since) == 59 and unapproved == []
    assert [line for line in shown if "not counted" in line or "approval-missing" in line] == []


def test_records_are_committed_on_their_produced_dates_by_who_produced_them(demo: Replayed) -> None:
    # the deliberately late service report of June 2025: committed late, directly on main
    assert _main_line(demo.repository, "records/service-report/2025-06.md") == [
        "2025-08-12|Priya Natarajan|1|Add REC-SERVICE-REPORT-2025-06: Service report, June 2025"
    ]
    assert _main_line(demo.repository, "records/training-record/2024-01-22.md") == [
        "2024-01-25|Marcus Reid|1|Add REC-TRAINING-RECORD-2024-01-22: Training record: SMS induction for process owners"
    ]
    # the missing ones stay missing
    assert _main_line(demo.repository, "records/supplier-review/2025-Q3.md") == []


def test_a_corrected_record_is_committed_first_as_it_was_then_corrected(demo: Replayed) -> None:
    path = "records/availability-report/2026-03.md"
    assert _main_line(demo.repository, path) == [
        "2026-04-20|Owen Hughes|1|Correct REC-AVAILABILITY-REPORT-2026-03: Availability report, March 2026",
        "2026-04-13|Owen Hughes|1|Add REC-AVAILABILITY-REPORT-2026-03: Availability report, March 2026",
    ]
    repo = Repo(demo.repository)
    first = repo.git.log("--first-parent", "--reverse", "--format=%H", "--", path).split()[0]
    original = repo.git.show(f"{first}:{path}")
    assert "correction:" not in original
    assert "| Fernhill Connect | 99.8% | 99.897% | yes |" in original
    assert "| Fernhill Connect | 99.8% | 99.987% | yes |" in (demo.repository / path).read_text()


def test_check_on_the_demo_finds_what_the_sample_finds_and_nothing_of_a_one_day_history(demo: Replayed) -> None:
    done = run_clausewise("--handbook", demo.repository, "check", "--format", "json", today="2026-11-23")
    assert done.returncode == 0, done.stderr
    assert _findings(json.loads(done.stdout)) == SAMPLE_FINDINGS


def test_as_of_2026_03_15_on_the_demo_as_the_readme_shows(demo: Replayed, tmp_path: Path) -> None:
    """The README's example: the handbook as it stood on 2026-03-15, built from the demo."""
    out = tmp_path / "as-of"
    done = run_clausewise("--handbook", demo.repository, "as-of", "2026-03-15", "--out", out)
    assert done.returncode == 0, done.stderr
    sha = Repo(demo.repository).git.log("--first-parent", "-1", "--format=%H", "--before=2026-03-16T00:00:00Z")
    assert done.stdout.strip() == f"handbook as of 2026-03-15 (commit {sha[:7]}) written to {out}"
    report = json.loads((out / "clausewise" / "findings.json").read_text())
    assert report["today"] == "2026-03-15"
    assert _findings(report) == [
        ("review-due-soon", "docs/roles/security-officer.md", 9, "ROLE-SECURITY-OFFICER"),
        ("review-due-soon", "external/northgate-colocation-agreement.md", 11, "EXT-001"),
        ("review-due-soon", "policies/sms-scope.md", 9, "DOC-002"),
        # the independent audit of internal audit is still to come, then as now
        ("audit-coverage-gap", "procedures/internal-audit.md", 28, "ISO20K-9-2"),
        ("audit-coverage-gap", "procedures/internal-audit.md", 28, "PRC-022"),
        ("review-due-soon", "procedures/problem-management.md", 9, "PRC-014"),
        ("upstream-changed", "procedures/service-design-and-transition.md", 13, "PRC-010"),
        ("review-due-soon", "procedures/service-portfolio-management.md", 9, "PRC-002"),
        ("review-due-soon", "procedures/supplier-performance-review.md", 9, "PRC-019"),
        ("record-missing", "procedures/supplier-performance-review.md", 16, "RT-SUPPLIER-REVIEW"),
        ("target-missed", "records/availability-report/2025-06.md", 12, "REC-AVAILABILITY-REPORT-2025-06"),
        ("target-missed", "records/availability-report/2026-02.md", 14, "REC-AVAILABILITY-REPORT-2026-02"),
        # CA-2025-03 closed on 2025-11-28 was already more than 90 days without its effectiveness check
        (
            "action-effectiveness-unchecked",
            "records/corrective-action/2025-09-29.md",
            16,
            "REC-CORRECTIVE-ACTION-2025-09-29",
        ),
        ("review-input-missing", "records/management-review/2025-H1.md", 11, "REC-MANAGEMENT-REVIEW-2025-H1"),
        ("record-late", "records/service-report/2025-06.md", 7, "REC-SERVICE-REPORT-2025-06"),
        *(
            ("target-missed", f"records/service-report/{period}.md", 12, f"REC-SERVICE-REPORT-{period}")
            for period in ("2025-09", "2025-10", "2025-12", "2026-01", "2026-02")
        ),
        ("target-missed-repeatedly", "services/workplace.md", 17, "SVC-WORKPLACE"),
    ]
    upstream = report["findings"][6]["message"]
    assert upstream.startswith(
        "POL-003 Change management policy (implements) changed on 2025-09-01 (commit "
    ) and upstream.endswith("after this document's last review on 2025-08-11; check that this document still fits "
                            "it, then update 'reviewed'")  # fmt: skip


def _procedure(**overrides: str) -> str:
    return governed(
        "PRC-001", "procedure", "Reporting", body="## Purpose\n\nReport.\n\n## Records\n\nQuarterly.\n",
        **{"version": '"2.0"', "effective": "2026-06-01", "reviewed": "2026-09-01", **overrides},
    ).replace(
        "satisfies: [1.1]\n",
        "satisfies: [1.1]\nrecord_types:\n  - id: RT-REPORT\n    title: Quarterly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: quarterly\n",
    )  # fmt: skip


def test_a_small_handbook_of_another_shape(tmp_path: Path) -> None:
    """Folders, ids and people of its own: what the replay reads is the metadata, not the sample."""
    source = write_handbook(
        tmp_path / "hb",
        {
            "people/owner.md": role(effective="2026-01-05", reviewed="2026-01-05"),
            "ways/reporting.md": _procedure(),
            "ways/drafting.md": governed("PRC-002", "procedure", "Drafting", status="draft", version='"A"',
                                         effective=None, reviewed=None),
            "evidence/report/2026-Q1.md": record("REC-REPORT-2026-Q1", "RT-REPORT", "2026-Q1", produced="2026-04-08",
                                                 produced_by="Ada Lovelace"),
        },
        'clausewise_sms_start = "2026-01-01"\n',
        git=False,
    )  # fmt: skip
    done = replay_into(source, tmp_path / "demo")
    assert _main_line(done.repository) == [
        "2026-09-01|Ada Lovelace|2|Merge pull request #5 from ada-lovelace/prc-001-review-2026-09-01",
        # a draft (its version "A" is not one) comes on the last day the handbook names
        "2026-09-01|Ada Lovelace|2|Merge pull request #4 from ada-lovelace/prc-002-draft",
        "2026-06-01|Ada Lovelace|2|Merge pull request #3 from ada-lovelace/prc-001-2.0",
        "2026-04-08|Ada Lovelace|1|Add REC-REPORT-2026-Q1: Record 2026-Q1",
        # created when its first record needed it, as the version before
        "2026-04-08|Ada Lovelace|2|Merge pull request #2 from ada-lovelace/prc-001-1.0",
        "2026-01-05|Ada Lovelace|2|Merge pull request #1 from ada-lovelace/role-owner-1.0",
        "2025-12-22|Ada Lovelace|0|Start the handbook",
    ]
    # one role held by the one person who produces records: nobody else to approve
    assert Repo(done.repository).head.commit.message.endswith(
        "Approved-by: Handbook editor <handbook.editor@example.org>\n"
    )
    # the metadata's own findings (the bad version stays bad), and none from the history:
    # nothing changed after its review, nothing reviewed before it existed
    checked = run_clausewise("--handbook", done.repository, "check", "--format", "json", today="2026-11-23")
    assert checked.returncode == 1, checked.stderr  # the invalid version is an error
    assert _findings(json.loads(checked.stdout)) == [
        ("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2"),
        ("invalid-metadata", "ways/drafting.md", 7, "PRC-002"),
        ("record-missing", "ways/reporting.md", 13, "RT-REPORT"),
        ("record-missing", "ways/reporting.md", 13, "RT-REPORT"),
    ]
    repo = Repo(done.repository)
    first = repo.git.log("--first-parent", "--reverse", "--format=%H", "--", "ways/reporting.md").split()[0]
    assert repo.git.show(f"{first}:ways/reporting.md") == (
        '---\nid: PRC-001\ntype: procedure\ntitle: Reporting\nowner: ROLE-OWNER\nstatus: approved\nversion: "1.0"\n'
        "effective: 2026-04-08\nreviewed: 2026-04-08\nclassification: internal\nsatisfies: [1.1]\nrecord_types:\n"
        "  - id: RT-REPORT\n    title: Quarterly report\n    owner: ROLE-OWNER\n    evidences: [1.1]\n"
        "    cadence: quarterly\n---\n\n## Purpose\n\nReport."
    )


def test_demo_writes_only_into_a_new_or_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    done = run_clausewise("--handbook", ROOT, "demo", target)
    assert refused(done) == (
        f"clausewise: {target} is not an empty folder: the demo writes a new repository; remove it first"
    )
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_front_matter_the_editor_cannot_edit_and_reviews_over_decades(tmp_path: Path) -> None:
    source = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(effective="2026-01-05", reviewed="2026-01-05"),
            # a date as a folded block: read by the build, not edited by the line editor
            "policies/folded.md": governed("POL-001", "policy", "Folded", effective="2026-01-05",
                                           reviewed=">-\n  2026-06-01"),
            # every month since 1970: the last 120 reviews are replayed, not 676
            "policies/monthly.md": governed("POL-002", "policy", "Monthly", effective="1970-01-01",
                                            reviewed="2026-06-01", review_interval="1 month"),
        },
        git=False,
    )  # fmt: skip
    done = replay_into(source, tmp_path / "demo")
    [folded] = _main_line(done.repository, "policies/folded.md")
    assert folded.startswith("2026-01-05|Handbook editor|2|Merge pull request #")
    assert folded.endswith(" from handbook-editor/pol-001")
    monthly = _main_line(done.repository, "policies/monthly.md")
    assert len(monthly) == 1 + 120
    assert monthly[-1] == "1970-01-01|Handbook editor|2|Merge pull request #1 from handbook-editor/pol-002-1.0"
    assert monthly[-2].startswith("2016-07-01|") and monthly[0].startswith("2026-06-01|")
    assert (done.repository / "policies/folded.md").read_bytes() == (source / "policies/folded.md").read_bytes()
    # git's dates begin in 1970, and so does the history (not 14 days before)
    assert _main_line(done.repository)[-1] == "1970-01-01|Handbook editor|0|Start the handbook"


def test_the_approver_is_the_roles_first_other_member_else_the_fallback() -> None:
    people = {"ada.lovelace": "Ada Lovelace", "grace.hopper": "Grace Hopper"}
    assert approver_of(["ada.lovelace", "Grace.Hopper"], "Ada Lovelace", people, "Handbook editor") == Person(
        "Grace Hopper", "grace.hopper@example.org"
    )
    # a login that no record or role gives anyone: a person of that name, with that login
    found = approver_of(["ada.lovelace", "bob-smith"], "Ada Lovelace", people, "Handbook editor")
    assert (found.name, found.login) == ("bob-smith", "bob-smith")
    # no member but the author (in any case), or none at all: the fallback
    for members in (["ADA.Lovelace"], []):
        assert approver_of(members, "Ada Lovelace", people, "Handbook editor") == Person(
            "Handbook editor", "handbook.editor@example.org"
        )
