"""Evidence that leaves quietly: every route by which a committed record file
stops being a record page is an error naming the file (and where it went), never
only "record missing". Real builds on real git repositories; ``clausewise check``
says the same as the build."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clausewise.cli.findings import check_findings
from git import Repo
from handbook import Build, build, commit, git_repo, governed, record, role, write_handbook

PROCEDURE = "procedures/reporting.md"
RT_LINE = 13  # the line of '  - id: RT-REPORT' in the procedure
CONF = 'clausewise_sms_start = "2026-06-01"\n'
JULY = "records/report/2026-07.md"
MOVED = "2026-09-10T10:00:00+00:00"


def procedure() -> str:
    return governed("PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: monthly\n",
    )


def files() -> dict[str, str]:
    out = {"roles/owner.md": role(), PROCEDURE: procedure()}
    for month in range(6, 11):
        period = f"2026-{month:02d}"
        out[f"records/report/{period}.md"] = record(
            f"REC-REPORT-{period}", "RT-REPORT", period, produced=f"2026-{month + 1:02d}-05"
        )
    return out


def checked_equals_built(root: Path, result: Build) -> None:
    report, _ = check_findings(root, date(2026, 11, 23))
    assert report == result.report


def git_mv(root: Path, old: str, new: str, when: str = MOVED) -> str:
    repo = git_repo(root)
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    repo.git.mv(old, new)
    return commit(root, "Tidy the records", when)


def test_a_record_renamed_to_txt_is_moved_not_missing(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), CONF)
    sha = git_mv(root, JULY, "records/report/2026-07.txt")
    result = build(root)
    assert result.findings == [
        ("record-missing", PROCEDURE, RT_LINE, "RT-REPORT"),
        ("record-moved", "records/report/2026-07.txt", 0, "RT-REPORT"),
    ]
    assert result.report["findings"][1]["message"] == (
        f"record REC-REPORT-2026-07 ({JULY}) was renamed from {JULY} to records/report/2026-07.txt in commit "
        f"{sha[:7]} by Ann Owner on 2026-09-10 ('Tidy the records'), and is no longer a record page: a record "
        "page is a Markdown file (.md); records are retired with 'status: retired', not moved away: "
        f"'git mv records/report/2026-07.txt {JULY}'"
    )
    assert result.report["findings"][1]["severity"] == "error"
    checked_equals_built(root, result)


def test_a_record_moved_into_an_excluded_folder(tmp_path: Path) -> None:
    conf = CONF + 'exclude_patterns = ["_build", "archive/**"]\n'
    root = write_handbook(tmp_path / "hb", files(), conf)
    sha = git_mv(root, JULY, "archive/2026-07.md")
    result = build(root)
    assert result.findings == [
        ("record-moved", "archive/2026-07.md", 0, "RT-REPORT"),
        ("record-missing", PROCEDURE, RT_LINE, "RT-REPORT"),
    ]
    assert result.report["findings"][0]["message"] == (
        f"record REC-REPORT-2026-07 ({JULY}) was renamed from {JULY} to archive/2026-07.md in commit "
        f"{sha[:7]} by Ann Owner on 2026-09-10 ('Tidy the records'), and is no longer a record page: the build "
        "does not read it (exclude_patterns, or a folder it skips); records are retired with 'status: "
        f"retired', not moved away: 'git mv archive/2026-07.md {JULY}'"
    )
    checked_equals_built(root, result)


def test_a_record_moved_out_of_the_handbook(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    git_repo(top)
    root = write_handbook(top / "hb", files(), CONF, git=False)
    commit(top, "Start the handbook", "2026-07-01T09:00:00+00:00")
    sha = git_mv(top, f"hb/{JULY}", "old/2026-07.md")
    result = build(root)
    assert result.findings == [
        ("record-missing", PROCEDURE, RT_LINE, "RT-REPORT"),
        ("record-moved", JULY, 0, "RT-REPORT"),
    ]
    assert result.report["findings"][1]["message"] == (
        "record REC-REPORT-2026-07 was moved out of the handbook's folder, to old/2026-07.md (from the "
        f"repository's top), in commit {sha[:7]} by Ann Owner on 2026-09-10 ('Tidy the records'), so it is no "
        f"longer a record page; records are retired with 'status: retired', not moved away: move it back to {JULY}"
    )
    checked_equals_built(root, result)


def test_a_deleted_record_outside_a_changed_records_path_is_still_deleted(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), CONF + 'clausewise_records_path = "evidence/"\n')
    sha = commit(root, "Tidy up", MOVED, remove=(JULY,))
    result = build(root)
    assert result.findings == [
        ("record-missing", PROCEDURE, RT_LINE, "RT-REPORT"),
        ("record-deleted", JULY, 0, "RT-REPORT"),
    ]
    assert result.report["findings"][1]["message"] == (
        f"record deleted in commit {sha[:7]} by Ann Owner on 2026-09-10 ('Tidy up'); records are retired with "
        f"'status: retired', not deleted: restore it with 'git checkout {sha[:7]}^ -- {JULY}'"
    )
    checked_equals_built(root, result)


def test_a_record_excluded_where_it_is(tmp_path: Path) -> None:
    conf = CONF + f'exclude_patterns = ["_build", "{JULY}"]\n'
    root = write_handbook(tmp_path / "hb", files(), CONF)
    commit(root, "Leave July out", MOVED, {"conf.py": (root / "conf.py").read_text() + conf})
    result = build(root)
    assert result.findings == [
        ("record-missing", PROCEDURE, RT_LINE, "RT-REPORT"),
        ("record-deleted", JULY, 0, "RT-REPORT"),
    ]
    assert result.report["findings"][1]["message"] == (
        f"record REC-REPORT-2026-07 ({JULY}) was committed, but is no longer a record page: the build excludes "
        "it (exclude_patterns), it was removed from the working tree, or its front matter no longer makes it a "
        "record; records are retired with 'status: retired', not removed"
    )
    checked_equals_built(root, result)


def test_a_record_moved_to_another_record_folder_is_still_a_record(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", files(), CONF)
    git_mv(root, JULY, "records/monthly/2026-07.md")
    assert build(root).findings == []


def test_a_page_mentioning_record_keys_in_its_body_is_not_a_record(tmp_path: Path) -> None:
    text = "# Guide\n\n```yaml\ntype: record\nrecord_type: RT-REPORT\n```\n"
    root = write_handbook(tmp_path / "hb", {**files(), "guide/records.md": text}, CONF)
    commit(root, "Drop the guide", MOVED, remove=("guide/records.md",))
    Repo(root)  # the repository exists
    assert build(root).findings == []
