"""Recorded reviews: ``reviewed:`` set to today and, if given, a new ``version:``,
written with the front-matter line editor so nothing else in the file changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clausewise.authoring.editor import Edit, newline_of, read_front_matter, same_apart_from, set_value
from clausewise.authoring.errors import AuthoringError
from clausewise.core.dates import parse_date
from clausewise.core.model import DocType, GovernedDocument, Status
from clausewise.sources import frontmatter
from clausewise.sources.metadata import valid_version
from clausewise.sources.text import split_lines


def _was(old: str | None) -> str:
    return "(no key)" if old is None else old or "(empty)"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@dataclass(frozen=True)
class RecordedReview:
    """A recorded review: the edit, and the commit message that goes with it."""

    edit: Edit
    message: str
    notes: tuple[str, ...] = ()


def record_review(text: str, doc: GovernedDocument, today: date, version: str | None = None) -> RecordedReview:
    """Set ``reviewed:`` to ``today`` (and ``version:`` if given) in ``text``, the
    page of ``doc``; every other byte stays. A missing key is added where it
    usually is."""
    path = doc.source.path
    if doc.status is Status.RETIRED:
        raise AuthoringError(f"{doc.id} is retired: a retired document is not reviewed any more")
    if version is not None and doc.type is DocType.EXTERNAL:
        raise AuthoringError(
            f"{doc.id} is a document of external origin: it has an edition, numbered by its issuer, not a version; "
            f"record the review without --version, and change 'edition:' by hand when a new edition is adopted"
        )
    fm = read_front_matter(text, path)
    nl = newline_of(text)
    lines = split_lines(text, keepends=True)
    changes: list[str] = []
    first: list[int] = []
    current = fm.data.get("reviewed")
    current_day = parse_date(current.strip()) if isinstance(current, str) else None
    if current_day is not None and current_day > today:
        raise AuthoringError(
            f"{doc.id} says reviewed: {current_day}, after {today}; a review date never moves back. "
            f"If {current_day} is wrong, correct it by hand"
        )
    if current_day != today:
        old, index = set_value(lines, fm, "reviewed", today.isoformat(), nl)
        changes.append(f"reviewed: {_was(old)} -> {today}")
        first.append(index)
    if version is not None:
        version = version.strip().strip("'\"")
        if not valid_version(version):
            raise AuthoringError(f"--version {version!r} is malformed; expected numbers separated by dots, e.g. 2.1")
        old_version = fm.data.get("version")
        old_valid = isinstance(old_version, str) and valid_version(old_version.strip())
        if old_valid and _version_key(version) < _version_key(str(old_version).strip()):
            raise AuthoringError(f"--version {version} is lower than {doc.id}'s version {str(old_version).strip()}")
        if old_version != version:
            fm_now = frontmatter.parse("".join(lines))  # line numbers after a reviewed: line was added
            old, index = set_value(lines, fm_now, "version", version, nl, quote='"')
            changes.append(f"version: {_was(old)} -> {version}")
            first.append(index)
    new_text = "".join(lines)
    same_apart_from(text, new_text, path, {"reviewed": today.isoformat(), **({"version": version} if version else {})})
    what = f"version {version}" if version and any(c.startswith("version") for c in changes) else "no changes"
    notes = []
    if doc.status is Status.DRAFT:
        notes.append(
            f"{doc.id} is a draft: it counts once approved (status: approved, with effective: the date it "
            f"comes into force)"
        )
    edit = Edit(new_text, tuple(changes), min(first, default=0) + 1)
    return RecordedReview(edit, f"Review of {doc.id}, {what}", tuple(notes))


def next_minor(version: str | None) -> str:
    """The version a reviewed change would usually get: ``2.3`` -> ``2.4``, ``1`` -> ``1.1``."""
    if version is None or not valid_version(version):
        return "1.0"
    parts = version.split(".")
    if len(parts) == 1:
        return f"{version}.1"
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])
