"""The document register (the "master list"): every governed document with its
current version, its last approval and review, and where it is kept; retired
documents apart, with the day they were retired.

Pure functions over the model, the review states and the git history (plain
data from :mod:`clausewise.core.history`); the register page, the XLSX
Documents sheet and ``register.csv`` all draw from :func:`document_register`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from clausewise.core.history import Approval, FileHistory, History, approval_of
from clausewise.core.model import DocType, GovernedDocument, Status
from clausewise.rules.approval import Verdict, change_verdict
from clausewise.rules.staleness import Review

#: An added front-matter line that makes a document retired, as ``git log -p`` shows it.
_RETIRED_LINE = re.compile(r"""^\+\s*status\s*:\s*(["']?)retired\1\s*(#.*)?$""")


@dataclass(frozen=True)
class RegisterEntry:
    """One row of the register."""

    document: GovernedDocument
    review: Review | None
    #: the newest approved change to the page (see :func:`last_approval`)
    approval: Approval | None
    #: for a retired document: the day its ``status: retired`` reached the main line
    #: (``None`` when git history does not tell)
    retired_on: date | None = None

    @property
    def version(self) -> str | None:
        """The version in force: a document of external origin's edition, else its version."""
        return self.document.version_in_force

    @property
    def location(self) -> str | None:
        """Where the document is kept: a document of external origin's ``location`` (``None`` when
        it was refused), else its page's file in the handbook."""
        doc = self.document
        return doc.location if doc.type is DocType.EXTERNAL else doc.source.path


@dataclass(frozen=True)
class Register:
    current: tuple[RegisterEntry, ...]  # draft and approved (and of unknown status), by id
    retired: tuple[RegisterEntry, ...]  # by id


def last_approval(page: FileHistory | None, judged: Mapping[str, Verdict] | None = None) -> Approval | None:
    """The approval of the newest change to the page that reached the main line approved
    (content or review), by the one verdict the page's revision history and
    ``approval-missing`` give (:func:`clausewise.rules.approval.change_verdict`; ``judged``:
    commit -> the rule's verdict), with only the approvals that verdict counts: an approval by
    the change's own author, or one the rule refused, is no approval here either. ``None``
    when no change of it was approved, or there is no history."""
    if page is None:
        return None
    for change in page.changes:
        counted = change_verdict(change, judged or {}).counted
        if change.commit.on_main_line and counted:
            return approval_of(change.commit, counted)
    return None


def retired_on(file: FileHistory) -> date | None:
    """The day the newest change that wrote ``status: retired`` into the file reached
    the main line (its changed lines must have been kept: see ``retired_paths``)."""
    for change in file.changes:
        if any(_RETIRED_LINE.match(line) for line in change.changed_lines):
            return change.commit.day
    return None


def retired_paths(documents: Iterable[GovernedDocument]) -> frozenset[str]:
    """The files whose changed lines the git pass must keep for :func:`retired_on`."""
    return frozenset(d.source.path for d in documents if d.status is Status.RETIRED)


def document_register(
    documents: Iterable[GovernedDocument],
    reviews: Mapping[str, Review],
    histories: Mapping[str, FileHistory],
    history: History,
    verdicts: Mapping[str, Mapping[str, Verdict]] | None = None,
) -> Register:
    """Every governed document, current ones and retired ones apart, each by id; ``verdicts``:
    document id -> commit -> ``clausewise_approval``'s verdict on the changes it judges."""
    current, retired = [], []
    for doc in sorted(documents, key=lambda d: d.id):
        judged = (verdicts or {}).get(doc.id)
        entry = RegisterEntry(doc, reviews.get(doc.id), last_approval(histories.get(doc.id), judged))
        if doc.status is Status.RETIRED:
            when = retired_on(history.of(doc.source.path)) if history.available else None
            retired.append(RegisterEntry(entry.document, entry.review, entry.approval, when))
        else:
            current.append(entry)
    return Register(tuple(current), tuple(retired))
