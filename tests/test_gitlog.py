"""The git module on its own: real repositories, edge cases of the one pass."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from clausewise.core.dates import add_months
from clausewise.core.history import ChangeKind, WorkingState
from clausewise.core.model import DocType, GovernedDocument, Source, Status
from clausewise.rules.staleness import ReviewState, review
from clausewise.sources.gitlog import _parse_patch, read_history
from git import Repo
from handbook import commit, git_repo

T1, T2, T3 = "2026-01-05T10:00:00+00:00", "2026-02-05T10:00:00+00:00", "2026-03-05T10:00:00+00:00"


def test_removed_front_matter_fence_is_counted_as_a_hunk_line_not_a_header() -> None:
    patch = [
        "diff --git a/p.md b/p.md",
        "index 1..2 100644",
        "--- a/p.md",
        "+++ b/p.md",
        "@@ -1,2 +1 @@",
        "----",
        "-reviewed: 2026-01-01",
        "+reviewed: 2026-02-01",
    ]
    [diff] = _parse_patch(patch, keep_lines=True)
    assert (diff.old, diff.new, diff.kind) == ("p.md", "p.md", ChangeKind.MODIFIED)
    assert (diff.review_lines, diff.other_lines) == (2, 1)
    assert diff.lines == ["----", "-reviewed: 2026-01-01", "+reviewed: 2026-02-01"]


def test_history_of_a_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    commit(root, "add", T1, {"a.md": "---\nreviewed: 2026-01-01\n---\nbody\n", "gone.md": "x\n", "b b é.md": "1\n"})
    commit(root, "review only", T2, {"a.md": "---\nreviewed: 2026-02-01\n---\nbody\n", "b b é.md": "2\n"})
    commit(root, "attach and delete", T3, {"att.pdf": "%PDF-\x00binary"}, remove=("gone.md",))
    (root / "new.md").write_text("untracked\n")
    (root / "a.md").write_text("changed in the working tree\n")
    history, _ = read_history(root)
    assert history.available and not history.shallow
    assert history.started == date(2026, 1, 5)
    a = history.files["a.md"]
    assert [(c.commit.summary, c.kind, c.content_changed, c.review_recorded) for c in a.changes] == [
        ("review only", ChangeKind.MODIFIED, False, True),
        ("add", ChangeKind.ADDED, True, True),
    ]
    assert a.working is WorkingState.MODIFIED
    assert a.last_content_change is not None and a.last_content_change.commit.summary == "add"
    assert [c.commit.summary for c in history.files["b b é.md"].changes] == ["review only", "add"]
    assert history.files["att.pdf"].changes[0].content_changed
    assert history.files["new.md"].working is WorkingState.UNTRACKED
    assert history.files["new.md"].changes == ()
    assert list(history.deleted) == ["gone.md"]
    assert history.deleted["gone.md"].commit.summary == "attach and delete"
    assert "gone.md" not in history.files


def test_rename_with_edit_follows_the_file(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    text = "".join(f"line {n}\n" for n in range(20))
    commit(root, "add", T1, {"old.md": text})
    repo = git_repo(root)
    repo.git.mv("old.md", "new.md")
    commit(root, "rename and edit", T2, {"new.md": text + "one more\n"})
    changes = read_history(root)[0].files["new.md"].changes
    assert [(c.kind, c.path, c.old_path, c.content_changed) for c in changes] == [
        (ChangeKind.RENAMED, "new.md", "old.md", True),
        (ChangeKind.ADDED, "old.md", None, True),
    ]


def test_handbook_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    commit(root, "add", T1, {"handbook/a.md": "a\n", "elsewhere.md": "e\n"})
    history, _ = read_history(root / "handbook")
    assert list(history.files) == ["a.md"]


def test_repository_without_commits(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_repo(root)
    (root / "a.md").write_text("a\n")
    history, _ = read_history(root)
    assert history.available
    assert history.files["a.md"].working is WorkingState.UNTRACKED
    assert history.started is None


def test_not_a_repository(tmp_path: Path) -> None:
    history, _ = read_history(tmp_path)
    assert not history.available
    assert history.reason == "the handbook is not in a git repository"


def test_shallow_boundary_is_not_a_change(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    commit(origin, "one", T1, {"a.md": "1\n", "b.md": "1\n"})
    commit(origin, "two", T2, {"a.md": "2\n"})
    commit(origin, "three", T3, {"b.md": "3\n"})
    shallow = tmp_path / "shallow"
    Repo.clone_from(f"file://{origin}", shallow, depth=2)
    history, _ = read_history(shallow)
    assert history.shallow and history.started is None
    assert [c.commit.summary for c in history.files["b.md"].changes] == ["three"]
    assert history.files["a.md"].changes == ()  # "two" is the boundary: its diff is the whole tree
    assert not history.files["a.md"].complete and not history.files["b.md"].complete


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2026, 3, 15), -3, date(2025, 12, 15)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def doc(status: Status | None, reviewed: date | None, interval: int = 12) -> GovernedDocument:
    return GovernedDocument(
        "POL-1", DocType.POLICY, "P", "ROLE-A", status, "1", date(2025, 1, 1), reviewed, interval, None,
        (), (), (), (), (), (), Source("p.md", "p", 2),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "reviewed", "state", "due", "left"),
    [
        (Status.APPROVED, date(2025, 11, 22), ReviewState.OVERDUE, date(2026, 11, 22), -1),
        (Status.APPROVED, date(2025, 11, 23), ReviewState.DUE_SOON, date(2026, 11, 23), 0),
        (Status.APPROVED, date(2025, 12, 23), ReviewState.DUE_SOON, date(2026, 12, 23), 30),
        (Status.APPROVED, date(2025, 12, 24), ReviewState.CURRENT, date(2026, 12, 24), 31),
        (Status.DRAFT, None, ReviewState.DRAFT, None, None),
        (Status.RETIRED, date(2019, 1, 1), ReviewState.RETIRED, None, None),
        (Status.APPROVED, None, ReviewState.UNKNOWN, None, None),
    ],
)
def test_review_states(
    status: Status, reviewed: date | None, state: ReviewState, due: date | None, left: int | None
) -> None:
    r = review(doc(status, reviewed), date(2026, 11, 23), 30)
    assert (r.state, r.next_due, r.days_left) == (state, due, left)


def test_log_pass_is_reused_while_head_stays(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    commit(root, "add", T1, {"a.md": "a\n"})
    first, log = read_history(root)
    (root / "b.md").write_text("new\n")
    second, again = read_history(root, previous=log)
    assert again is log  # no second git log
    assert second.files["b.md"].working is WorkingState.UNTRACKED
    assert second.files["a.md"].changes == first.files["a.md"].changes
    commit(root, "add b", T2)
    third, moved = read_history(root, previous=log)
    assert moved is not log and moved is not None
    assert [c.commit.summary for c in third.files["b.md"].changes] == ["add b"]
