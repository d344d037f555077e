"""What is stale: review dates, and changes git saw after a review.

Pure functions over the model and :mod:`clausewise.core.history`; ``today`` and the
settings are parameters. Retired documents are never stale; drafts are not
reviewed yet and are reported as such, never as overdue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from clausewise.core.dates import add_months
from clausewise.core.findings import Code, Finding
from clausewise.core.history import ChangeKind, FileChange, FileHistory, History, WorkingState
from clausewise.core.model import GovernedDocument, Handbook, Record, Status, clause_ids
from clausewise.core.settings import ClausewiseConfig


class ReviewState(StrEnum):
    CURRENT = "current"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    DRAFT = "draft, not reviewed yet"
    RETIRED = "retired"
    UNKNOWN = "unknown"  # the reviewed date is missing or invalid


@dataclass(frozen=True)
class Review:
    document: GovernedDocument
    state: ReviewState
    next_due: date | None
    days_left: int | None  # negative when overdue
    #: the newest content change made after the last review without recording one
    #: (see :func:`changed_since_review`); set once git history is known
    changed_since: FileChange | None = None


def review(doc: GovernedDocument, today: date, due_soon_days: int) -> Review:
    if doc.status is Status.RETIRED:
        return Review(doc, ReviewState.RETIRED, None, None)
    if doc.status is Status.DRAFT:
        return Review(doc, ReviewState.DRAFT, None, None)
    if doc.reviewed is None or doc.status is None:
        return Review(doc, ReviewState.UNKNOWN, None, None)
    due = add_months(doc.reviewed, doc.review_interval_months)
    left = (due - today).days
    if left < 0:
        state = ReviewState.OVERDUE
    elif left <= due_soon_days:
        state = ReviewState.DUE_SOON
    else:
        state = ReviewState.CURRENT
    return Review(doc, state, due, left)


_ORDER = {
    ReviewState.OVERDUE: 0,
    ReviewState.DUE_SOON: 1,
    ReviewState.CURRENT: 2,
    ReviewState.UNKNOWN: 3,
    ReviewState.DRAFT: 4,
    ReviewState.RETIRED: 5,
}


def schedule_key(r: Review) -> tuple[int, date, str]:
    """Overdue first, then due soon, then by next review date; unknown dates, drafts, retired last."""
    return (_ORDER[r.state], r.next_due or date.max, r.document.id)


def review_schedule(docs: Iterable[GovernedDocument], today: date, due_soon_days: int) -> list[Review]:
    """Every document's review, in schedule order."""
    return sorted((review(d, today, due_soon_days) for d in docs), key=schedule_key)


def review_findings(reviews: Iterable[Review]) -> list[Finding]:
    findings = []
    for r in reviews:
        doc = r.document
        if r.state is ReviewState.OVERDUE and r.next_due is not None and r.days_left is not None:
            findings.append(
                Finding(doc.source.path, doc.line_of("reviewed"), Code.REVIEW_OVERDUE, doc.id,
                        f"review overdue since {r.next_due} ({-r.days_left} days): last reviewed {doc.reviewed}, "
                        f"every {doc.review_interval_months} months; review it and set 'reviewed' to the "
                        f"review's date")
            )  # fmt: skip
        elif r.state is ReviewState.DUE_SOON and r.next_due is not None:
            findings.append(
                Finding(doc.source.path, doc.line_of("reviewed"), Code.REVIEW_DUE_SOON, doc.id,
                        f"review due on {r.next_due} (in {r.days_left} days): last reviewed {doc.reviewed}")
            )  # fmt: skip
    return findings


def _describe(change: FileChange) -> str:
    c = change.commit
    if c.dated is not None:
        # the date is assumed from git's order: say so, and what git recorded
        return (
            f"{c.day} (commit {c.sha[:7]} by {c.author}: {c.summary!r}; git dates it {c.dated.date()}, before "
            f"commit {c.dated_after[:7]} that precedes it on the main line, so it is taken as made on {c.day})"
        )
    return f"{c.day} (commit {c.sha[:7]} by {c.author}: {c.summary!r})"


def dates_backwards_findings(handbook: Handbook, pages: Mapping[str, FileHistory]) -> list[Finding]:
    """``history-dates-backwards``: a page whose history holds commits dated earlier
    than an older commit on the main line, once per page, naming the commits."""
    findings = []
    items: tuple[GovernedDocument | Record, ...] = (*handbook.documents, *handbook.records)
    for item in items:
        page = pages.get(item.id)
        skewed = {c.commit.sha: c.commit for c in page.changes if c.commit.dated is not None} if page else {}
        if not skewed:
            continue
        commits = list(skewed.values())  # newest first, as the page's history
        named = "; ".join(
            f"commit {c.sha[:7]} ({c.summary!r}) is dated {c.dated.date() if c.dated else ''} but follows "
            f"commit {c.dated_after[:7]} of {c.day}"
            for c in commits[:3]
        ) + (f"; and {len(commits) - 3} more" if len(commits) > 3 else "")
        findings.append(
            Finding(item.source.path, item.source.line, Code.HISTORY_DATES_BACKWARDS, item.id,
                    f"committer dates go backwards in the history of {item.id}: {named}; clausewise follows "
                    f"git's order along the first parent, not the dates, and takes each such change as made "
                    f"on the date the main line had reached (clock skew, or history imported with old dates)")
        )  # fmt: skip
    return findings


def last_modification(history: FileHistory) -> FileChange | None:
    """The newest change that altered the file's content after it was added."""
    return next((c for c in history.changes if c.content_changed and c.kind is not ChangeKind.ADDED), None)


_CLAUSE_NUMBER = re.compile(r"number:\s*[\"']?([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)")


def clause_changes(catalogue_histories: Mapping[str, FileHistory], handbook: Handbook) -> dict[str, FileChange]:
    """The newest change to each clause entry of the catalogue files (their addition
    excluded), under each way front matter can name the clause (``KEY:NUMBER``, a
    bare number of the first catalogue); ``catalogue_histories`` maps catalogue
    keys to the history of their file (bundled catalogues have none)."""
    out: dict[str, FileChange] = {}  # need id -> change
    for catalogue in handbook.catalogues:
        file_history = catalogue_histories.get(catalogue.key)
        if file_history is None:
            continue
        numbers = catalogue.by_number()
        for change in file_history.changes:
            if not change.content_changed or change.kind is ChangeKind.ADDED:
                continue
            for line in change.changed_lines:
                m = _CLAUSE_NUMBER.search(line)
                if m and m.group(1) in numbers:
                    out.setdefault(numbers[m.group(1)].need_id, change)
    return {written: out[need_id] for written, need_id in clause_ids(handbook.catalogues).items() if need_id in out}


def history_findings(
    handbook: Handbook,
    pages: Mapping[str, FileHistory],
    history: History,
    today: date,
    settings: ClausewiseConfig,
    catalogue_histories: Mapping[str, FileHistory] | None = None,
) -> list[Finding]:
    """``changed-since-review``, ``reviewed-date-invalid``, ``upstream-changed`` and
    ``uncommitted`` for every governed document; ``pages`` maps document ids to
    the history of their page (the page and the files it includes)."""
    findings: list[Finding] = []
    if not history.available:
        # without git only the metadata can be checked; `history-unavailable` says so once
        return [f for d in handbook.documents for f in _future_review(d, today)]
    documents = {d.id: d for d in handbook.documents}
    clause_changed = clause_changes(catalogue_histories or {}, handbook)
    start = settings.history_start or history.started
    for doc in handbook.documents:
        page = pages.get(doc.id)
        path, subject = doc.source.path, doc.id
        if page is not None and page.working is not WorkingState.CLEAN:
            what = (
                "is not committed to git yet: its revision history starts with its first commit"
                if page.working is WorkingState.UNTRACKED
                else "has changes that are not committed yet; the published handbook will not show them"
            )
            findings.append(Finding(path, doc.source.line, Code.UNCOMMITTED, subject, f"{doc.id} {what}"))
        findings += _future_review(doc, today)
        first = page.first_change if page is not None else None
        if (
            doc.reviewed is not None
            and first is not None
            and doc.reviewed < first.commit.day
            and (start is None or first.commit.day > start)
        ):
            findings.append(
                Finding(path, doc.line_of("reviewed"), Code.REVIEWED_DATE_INVALID, subject,
                        f"reviewed: {doc.reviewed} is before the document was first committed on "
                        f"{first.commit.day}; a review cannot predate the document")
            )  # fmt: skip
        latest = changed_since_review(doc, page)
        if latest is not None:
            assert doc.reviewed is not None
            findings.append(
                Finding(path, doc.line_of("reviewed"), Code.CHANGED_SINCE_REVIEW, subject,
                        f"changed on {_describe(latest)} after its last review on {doc.reviewed}, and the "
                        f"change did not record a review; have the owner review it, then update 'reviewed' "
                        f"(and 'version')")
            )  # fmt: skip
        if doc.status is Status.APPROVED and doc.reviewed is not None and page is not None:
            findings += _upstream(doc, documents, pages, clause_changed, settings.upstream_links)
    return findings


def changed_since_review(doc: GovernedDocument, page: FileHistory | None) -> FileChange | None:
    """The change that makes an approved document's text differ from what was
    reviewed: its page's newest content change, when it came after the review and
    did not record one itself; ``None`` when what is in force was reviewed."""
    if doc.status is not Status.APPROVED or doc.reviewed is None or page is None:
        return None
    latest = page.last_content_change
    if latest is None or latest.review_recorded:
        return None
    if latest.commit.day > doc.reviewed:
        return latest
    if latest.commit.dated is not None and latest.commit.day >= doc.reviewed:
        # its own date is not to be trusted (it went backwards): it is judged by git's order, and it
        # comes after a commit of the review's day or later, and after the change that recorded the review
        newer = page.changes[: page.changes.index(latest)]
        older = page.changes[page.changes.index(latest) + 1 :]
        if not any(c.review_recorded for c in newer) and any(c.review_recorded for c in older):
            return latest
    return None


def with_changes(
    reviews: Mapping[str, Review], pages: Mapping[str, FileHistory], history: History
) -> dict[str, Review]:
    """``reviews`` with :attr:`Review.changed_since` set from git (unset without history)."""
    if not history.available:
        return dict(reviews)
    return {
        ident: replace(r, changed_since=changed_since_review(r.document, pages.get(ident)))
        for ident, r in reviews.items()
    }


def _future_review(doc: GovernedDocument, today: date) -> list[Finding]:
    if doc.reviewed is None or doc.reviewed <= today:
        return []
    return [
        Finding(doc.source.path, doc.line_of("reviewed"), Code.REVIEWED_DATE_INVALID, doc.id,
                f"reviewed: {doc.reviewed} is in the future (today is {today}); set the date the review took place")
    ]  # fmt: skip


def _upstream(
    doc: GovernedDocument,
    documents: Mapping[str, GovernedDocument],
    pages: Mapping[str, FileHistory],
    clause_changed: Mapping[str, FileChange],
    links: Sequence[str],
) -> list[Finding]:
    assert doc.reviewed is not None
    found = []
    targets: dict[str, tuple[str, ...]] = {
        "implements": tuple(t for t in doc.implements if t != doc.id),  # itself: implements-cycle
        "owner": (doc.owner,) if doc.owner and doc.owner != doc.id else (),
        "roles": doc.roles,
    }
    for key in links:
        if key == "satisfies":
            for number in doc.satisfies:
                change = clause_changed.get(number)
                if change is not None and change.commit.day > doc.reviewed:
                    found.append(
                        Finding(doc.source.path, doc.line_of("satisfies"), Code.UPSTREAM_CHANGED, doc.id,
                                f"the clause catalogue entry for {number}, which this document satisfies, "
                                f"changed on {_describe(change)} after this document's last review on "
                                f"{doc.reviewed}; check the document against it, then update 'reviewed'")
                    )  # fmt: skip
            continue
        for target in targets.get(key, ()):
            other = documents.get(target)
            page = pages.get(target)
            change = last_modification(page) if page is not None else None
            if other is None or change is None or change.commit.day <= doc.reviewed:
                continue
            found.append(
                Finding(doc.source.path, doc.line_of(key), Code.UPSTREAM_CHANGED, doc.id,
                        f"{other.id} {other.title} ({key}) changed on {_describe(change)} after this "
                        f"document's last review on {doc.reviewed}; check that this document still fits it, "
                        f"then update 'reviewed'")
            )  # fmt: skip
    return found


def repository_findings(history: History) -> list[Finding]:
    """``history-unavailable`` or ``history-incomplete``, once per build."""
    if not history.available:
        return [
            Finding("", 0, Code.HISTORY_UNAVAILABLE, "",
                    f"{history.reason}: revision histories and the checks that need git "
                    f"(changed-since-review, upstream-changed) are skipped; review dates are still checked")
        ]  # fmt: skip
    if history.shallow:
        cut = sorted(p for p, f in history.files.items() if not f.complete)
        return [
            Finding("", 0, Code.HISTORY_INCOMPLETE, "",
                    f"the repository is a shallow clone, so the history of {len(cut)} files is cut off and "
                    f"their change dates are unknown; fetch the full history ('git fetch --unshallow', "
                    f"or 'fetch-depth: 0' in CI)")
        ]  # fmt: skip
    return []
