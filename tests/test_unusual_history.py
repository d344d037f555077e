"""Git history that is legal but unusual: messages and names holding any text
(the bytes a parser might split on included), and committer dates that go
backwards along the main line. Real repositories, real builds."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from clausewise.core.history import ChangeKind
from clausewise.sources.gitlog import (
    GitUnavailableError,
    _format,
    _markers,
    commit_on,
    parse_commit,
    read_history,
    split_log,
)
from handbook import build, commit, git_repo, governed, role, write_handbook
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

POLICY = "policies/policy.md"
HOSTILE = "\x1e\x1d\x1f\x00"  # the separators an older reader split on, and NUL


def policy(**overrides: str | None) -> str:
    return governed("POL-001", "policy", "Service policy", **{"satisfies": "[1.1, 1.2]", **overrides})


def handbook(tmp_path: Path) -> Path:
    return write_handbook(tmp_path / "hb", {"roles/owner.md": role(), POLICY: policy()})


def commit_message(root: Path, message: str, when: str, files: dict[str, str], author: str = "Ann Owner") -> str:
    """Commit ``files`` with ``message`` kept verbatim (no clean-up of spaces or comment lines)."""
    repo = git_repo(root)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    repo.git.add(A=True)
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": author}
    subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", "-"],
        cwd=root, input=message.encode(), env=env, check=True,
    )  # fmt: skip
    return repo.head.commit.hexsha


def test_separator_bytes_in_a_message_and_a_name_break_nothing(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    evil = "Tighten\x1e the\x1d policy\x1f"
    sha = commit_message(
        root, f"{evil}\n\nbody\x1e with \x1d every \x1f separator\n\nApproved-by: Bo\x1ff Boss\n",
        "2026-08-03T10:00:00+00:00", {POLICY: policy(body="Stricter text.\n")}, author="Eve\x1e\x1d\x1f Mallory",
    )  # fmt: skip
    later = commit_message(root, "A later edit\x1e", "2026-09-03T10:00:00+00:00", {"notes.txt": "later\n"})
    history, _ = read_history(root)
    [edit, added] = history.files[POLICY].changes
    assert (edit.commit.sha, edit.commit.summary, edit.commit.author) == (sha, evil, "Eve\x1e\x1d\x1f Mallory")
    assert edit.commit.approved_by == ("Bo\x1ff Boss",)
    assert added.commit.summary == "Start the handbook"
    assert history.files["notes.txt"].changes[0].commit.sha == later
    result = build(root)
    assert result.findings == [("changed-since-review", POLICY, 9, "POL-001")]
    assert result.report["findings"][0]["message"] == (
        f"changed on 2026-08-03 (commit {sha[:7]} by Eve\x1e\x1d\x1f Mallory: {evil!r}) after its last review on "
        "2026-06-01, and the change did not record a review; have the owner review it, then update "
        "'reviewed' (and 'version')"
    )
    # a worksheet cannot hold control characters: the export shows them escaped instead of failing
    findings = load_workbook(result.outdir / "clausewise" / "clausewise.xlsx")["Findings"]
    assert [c.value for c in findings[2] if isinstance(c.value, str) and "Mallory" in c.value] == [
        result.report["findings"][0]["message"].replace("\x1e\x1d\x1f", "\\x1e\\x1d\\x1f")
    ]


def test_a_patch_line_holding_a_line_separator_of_unicode_is_one_line(tmp_path: Path) -> None:
    # str.splitlines() cuts at 0x1C-0x1E and U+2028: a hunk counted by its header would then be misread
    root = tmp_path / "repo"
    commit(root, "add", "2026-01-05T10:00:00+00:00", {"a.md": "---\nreviewed: 2026-01-01\n---\nbody\n"})
    commit(root, "review", "2026-02-05T10:00:00+00:00", {"a.md": "---\nreviewed: 2026-02-01\n---\nbody\n"})
    commit(root, "edit", "2026-03-05T10:00:00+00:00", {"a.md": "---\nreviewed: 2026-02-01\n---\nb\u2028o\x1ed\x1cy\n"})
    changes = read_history(root)[0].files["a.md"].changes
    assert [(c.commit.summary, c.content_changed, c.review_recorded) for c in changes] == [
        ("edit", True, False),
        ("review", False, True),
        ("add", True, True),
    ]


def test_a_last_line_without_a_newline_is_read_as_a_line_of_its_hunk(tmp_path: Path) -> None:
    # git notes "\ No newline at end of file" inside the hunk: counted as a line, it pushed the
    # hunk's last line out, and an added "++ x" (written "+++ x") renamed the file
    root = tmp_path / "repo"
    commit(root, "add", "2026-01-05T10:00:00+00:00", {"a.md": "---\nreviewed: 2026-01-01\n---\nlast line"})
    commit(root, "review", "2026-02-05T10:00:00+00:00", {"a.md": "---\nreviewed: 2026-02-01\n---\nlast line"})
    commit(root, "edit", "2026-03-05T10:00:00+00:00", {"a.md": "---\nreviewed: 2026-02-01\n---\n++ x"})
    history = read_history(root)[0]
    assert sorted(history.files) == [".gitignore", "a.md"]  # (the test repository ignores _build)
    changes = history.files["a.md"].changes
    assert [(c.commit.summary, c.content_changed, c.review_recorded) for c in changes] == [
        ("edit", True, False),
        ("review", False, True),
        ("add", True, True),
    ]


def test_dates_going_backwards_follow_git_order(tmp_path: Path) -> None:
    root = handbook(tmp_path)  # first commit 2026-07-01
    review = commit(root, "Review", "2026-08-01T10:00:00+00:00", {POLICY: policy(reviewed="2026-08-01")})
    # replayed with an old committer date after the review
    edited = policy(reviewed="2026-08-01", body="Other text.\n")
    late = commit(root, "Imported edit", "2026-02-01T10:00:00+00:00", {POLICY: edited})
    history, _ = read_history(root)
    assert history.started == date(2026, 7, 1)  # the oldest commit in git's order, not the smallest date
    [edit, reviewed, _added] = history.files[POLICY].changes
    assert (edit.commit.sha, reviewed.commit.sha) == (late, review)
    assert edit.commit.committed == datetime(2026, 8, 1, 10, tzinfo=UTC)
    assert edit.commit.dated == datetime(2026, 2, 1, 10, tzinfo=UTC)
    assert (edit.commit.dated_after, edit.commit.position, reviewed.commit.position) == (review, 2, 1)
    result = build(root)
    assert result.findings == [
        ("history-dates-backwards", POLICY, 2, "POL-001"),
        ("changed-since-review", POLICY, 9, "POL-001"),
    ]
    backwards, changed = [f["message"] for f in result.report["findings"]]
    assert changed == (
        f"changed on 2026-08-01 (commit {late[:7]} by Ann Owner: 'Imported edit'; git dates it 2026-02-01, "
        f"before commit {review[:7]} that precedes it on the main line, so it is taken as made on 2026-08-01) "
        "after its last review on 2026-08-01, and the change did not record a review; have the owner review "
        "it, then update 'reviewed' (and 'version')"
    )
    assert backwards == (
        f"committer dates go backwards in the history of POL-001: commit {late[:7]} ('Imported edit') is dated "
        f"2026-02-01 but follows commit {review[:7]} of 2026-08-01; clausewise follows git's order along the "
        "first parent, not the dates, and takes each such change as made on the date the main line had "
        "reached (clock skew, or history imported with old dates)"
    )
    assert sorted(w.kind for w in result.clausewise_warnings()) == [
        "clausewise.changed-since-review",
        "clausewise.history-dates-backwards",
    ]


def test_an_edit_in_order_before_the_review_is_not_changed_since_review(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    edit = commit(root, "Edit", "2026-08-01T10:00:00+00:00", {POLICY: policy(body="Other text.\n")})
    # the review itself went backwards in date, after the edit
    commit(root, "Review", "2026-03-01T10:00:00+00:00", {POLICY: policy(body="Other text.\n", reviewed="2026-08-01")})
    result = build(root)
    assert result.findings == [("history-dates-backwards", POLICY, 2, "POL-001")]
    assert edit[:7] in result.report["findings"][0]["message"]


MESSAGE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\n"), min_size=1, max_size=60
).filter(lambda s: s.strip() == s and s.strip())

BODY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=MESSAGE_TEXT, body=BODY_TEXT)
def test_any_message_is_read_back_intact(tmp_path: Path, subject: str, body: str) -> None:
    """Any message git accepts (all but NUL) comes back as its subject, with the
    commits around it intact; the reader never raises."""
    root = tmp_path / f"repo-{abs(hash((subject, body)))}"
    if root.exists():
        return
    commit(root, "first", "2026-01-05T10:00:00+00:00", {"a.md": "a\n"})
    sha = commit_message(root, f"{subject}\n\n{body}", "2026-01-06T10:00:00+00:00", {"a.md": "b\n"})
    commit(root, "third", "2026-01-07T10:00:00+00:00", {"a.md": "c\n"})
    history, _ = read_history(root)
    changes = history.files["a.md"].changes
    assert [c.commit.summary for c in changes] == ["third", subject, "first"]
    assert changes[1].commit.sha == sha


FIELD = st.binary(max_size=40).filter(lambda b: b"\x00" not in b)


@given(
    messages=st.lists(st.tuples(FIELD, FIELD, FIELD, FIELD), min_size=1, max_size=5),
    chunk=st.integers(min_value=1, max_value=64),
)
def test_the_stream_splits_into_the_commits_whatever_their_text(
    messages: list[tuple[bytes, bytes, bytes, bytes]], chunk: int
) -> None:
    """The log stream as git writes it, with free text of any bytes but NUL, cut
    into chunks anywhere: each commit's header and patch come back whole."""
    start, end = _markers()
    assert _format(start, end).count("%x00") == 8 + 4  # the nine fields, the two markers
    stream = b""
    expected = []
    for n, (author, subject, body, patch) in enumerate(messages):
        sha = f"{n:040x}".encode()
        header = b"\x00".join([sha, b"", b"1767607200", b"1767690000", author, subject, b"", b"", body])
        stream += start + header + end + patch
        expected.append((header, patch))
    pieces = [stream[i : i + chunk] for i in range(0, len(stream), chunk)]
    assert list(split_log(pieces, start, end)) == expected
    for (header, _), (author, subject, _, _) in zip(expected, messages, strict=True):
        parsed, parents = parse_commit(header)
        assert parents == 0
        assert parsed.author == author.decode("utf-8", errors="replace")
        assert parsed.summary == subject.decode("utf-8", errors="replace")
        assert parsed.committed == datetime(2026, 1, 6, 9, tzinfo=UTC)


def test_the_commit_on_a_day_goes_by_git_order(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    first = commit(root, "first", "2026-03-01T10:00:00+00:00", {"a.md": "1\n"})
    commit(root, "second", "2026-05-01T10:00:00+00:00", {"a.md": "2\n"})
    back = commit(root, "dated back", "2025-01-01T10:00:00+00:00", {"a.md": "3\n"})
    commit(root, "fourth", "2026-06-01T10:00:00+00:00", {"a.md": "4\n"})
    assert commit_on(root, date(2026, 3, 1)) == first
    assert commit_on(root, date(2026, 5, 20)) == back  # taken as made on 2026-05-01
    with pytest.raises(GitUnavailableError, match="no commit on or before 2025-06-01"):
        commit_on(root, date(2025, 6, 1))  # rev-list --before would pick "dated back"


def test_many_commits_dated_back_are_named_three_at_a_time(tmp_path: Path) -> None:
    root = handbook(tmp_path)  # first commit 2026-07-01
    review = commit(root, "Review", "2026-08-01T10:00:00+00:00", {POLICY: policy(reviewed="2026-08-01")})
    shas = [
        commit(root, f"Imported {n}", f"2026-02-0{n}T10:00:00+00:00", {POLICY: policy(reviewed=f"2026-08-0{n}")})
        for n in range(2, 6)  # each sets another 'reviewed' date: each changes the page
    ]
    result = build(root, today="2026-09-01")
    [backwards] = [f["message"] for f in result.report["findings"] if f["code"] == "history-dates-backwards"]
    newest = [f"commit {s[:7]} ('Imported {n}') is dated 2026-02-0{n} but follows commit {review[:7]} of 2026-08-01"
              for n, s in reversed(list(enumerate(shas, 2)))][:3]  # fmt: skip
    assert backwards.startswith(
        f"committer dates go backwards in the history of POL-001: {'; '.join(newest)}; and 1 more; "
    )


FILE_NAME = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=24
).filter(lambda name: name not in {".", "..", ".git", "_build"} and len(name.encode()) < 200)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(FILE_NAME, min_size=1, max_size=3, unique=True))
@example(names=["a\tb é.md", 'q"中.md', "back\\slash\x1e.md"])
def test_any_file_name_is_read_back_intact(tmp_path: Path, names: list[str]) -> None:
    """git quotes names with control characters, quotes or backslashes (C-style,
    octal bytes for the rest); each comes back as it was, renamed too."""
    root = tmp_path / f"repo-{abs(hash(tuple(names)))}"
    if root.exists():
        return
    commit(root, "add", "2026-01-05T10:00:00+00:00", {f"d/{name}": f"{n}\n" for n, name in enumerate(names)})
    repo = git_repo(root)
    (root / "e").mkdir()
    repo.git.mv(f"d/{names[0]}", f"e/{names[0]}")
    commit(root, "move", "2026-01-06T10:00:00+00:00")
    history, _ = read_history(root)
    assert sorted(history.files) == sorted([".gitignore", f"e/{names[0]}", *(f"d/{n}" for n in names[1:])])
    [moved, added] = history.files[f"e/{names[0]}"].changes
    assert (moved.kind, moved.old_path, added.path) == (ChangeKind.RENAMED, f"d/{names[0]}", f"d/{names[0]}")


def test_a_commit_dated_past_the_year_9999_is_read_not_a_crash(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    far = commit(root, "From the far future", "@999999999999 +0000", {POLICY: policy(body="Far.\n")})  # year 33658
    near = commit(root, "Back to now", "2026-09-01T10:00:00+00:00", {POLICY: policy(body="Near.\n")})
    history, _ = read_history(root)
    [latest, future, _added] = history.files[POLICY].changes
    assert future.commit.committed == datetime.max.replace(tzinfo=UTC)  # the nearest date Python holds
    assert (latest.commit.sha, latest.commit.dated, latest.commit.dated_after) == (
        near,
        datetime(2026, 9, 1, 10, tzinfo=UTC),
        far,
    )
    result = build(root)
    assert "Traceback" not in result.raw_warnings
    assert result.findings == [
        ("history-dates-backwards", POLICY, 2, "POL-001"),
        ("changed-since-review", POLICY, 9, "POL-001"),
    ]


@given(header=st.binary(max_size=200))
def test_any_header_bytes_parse_to_a_commit_never_an_exception(header: bytes) -> None:
    """Whatever a header holds (cut short, dates git never writes, bytes that are not
    UTF-8), it reads as a commit: the reader never raises."""
    commit_read, parents = parse_commit(header)
    assert parents >= 0 and commit_read.committed.tzinfo is UTC
