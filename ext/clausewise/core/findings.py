"""Every finding code clausewise can report, in one place.

A *finding* is something a document owner or an auditor should act on: a
metadata error, a clause nothing covers, a review that is overdue, a record that
is missing. Rules (pure functions elsewhere) create :class:`Finding` objects with
a code from :data:`CODES`; the Sphinx glue turns them into warnings of type
``clausewise`` with the code as subtype, and into ``findings.json``.

Adding a code means adding one :class:`FindingCode` to :data:`CODES`; the
owner's guide page on findings is generated from this table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How serious a finding is; ``off`` drops the code altogether."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


@dataclass(frozen=True)
class FindingCode:
    code: str
    severity: Severity
    description: str


CODES: Mapping[str, FindingCode] = {
    c.code: c
    for c in (
        FindingCode(
            "invalid-metadata",
            Severity.ERROR,
            "A front-matter field is missing, malformed or has a value that is not allowed.",
        ),
        FindingCode(
            "duplicate-id",
            Severity.ERROR,
            "Two documents, record types or records use the same id.",
        ),
        FindingCode(
            "unknown-owner",
            Severity.ERROR,
            "The owner named in the metadata is not the id of a role in the handbook.",
        ),
        FindingCode(
            "unknown-clause",
            Severity.ERROR,
            "A clause number is not in the configured clause catalogue.",
        ),
        FindingCode(
            "unknown-reference",
            Severity.ERROR,
            "A document, role or record type named in the metadata does not exist or is of the wrong kind.",
        ),
        FindingCode(
            "uncovered-clause",
            Severity.WARNING,
            "No approved, in-force document satisfies the clause (and no approved document justifies the gap).",
        ),
        FindingCode(
            "review-overdue",
            Severity.WARNING,
            "The document's last review plus its review interval lies before today.",
        ),
        FindingCode(
            "review-due-soon",
            Severity.INFO,
            "The document's next review is due within the due-soon window (30 days by default).",
        ),
        FindingCode(
            "changed-since-review",
            Severity.WARNING,
            "The document's content changed in git after its last review, and the change did not "
            "record a review, so what is in force has not been reviewed.",
        ),
        FindingCode(
            "upstream-changed",
            Severity.WARNING,
            "A document or clause this document depends on changed after this document's last review; "
            "re-check this document.",
        ),
        FindingCode(
            "reviewed-date-invalid",
            Severity.ERROR,
            "The reviewed date is in the future, or earlier than the document's first commit.",
        ),
        FindingCode(
            "uncommitted",
            Severity.INFO,
            "The document is not committed to git yet, or has uncommitted changes.",
        ),
        FindingCode(
            "history-incomplete",
            Severity.WARNING,
            "The repository is a shallow clone: change dates before its cut-off are unknown.",
        ),
        FindingCode(
            "history-unavailable",
            Severity.WARNING,
            "The handbook is not in a git repository (or git cannot be run): no revision history.",
        ),
        FindingCode(
            "record-unknown-type",
            Severity.ERROR,
            "A record names a record type that no procedure declares.",
        ),
        FindingCode(
            "record-missing",
            Severity.WARNING,
            "A period's record is missing: its due date (period end plus grace) has passed without one; "
            "for a per-event record type, there is none within its window.",
        ),
        FindingCode(
            "record-late",
            Severity.WARNING,
            "A record was produced after its period's due date.",
        ),
        FindingCode(
            "record-period-invalid",
            Severity.ERROR,
            "A record's period is malformed, not a period of its record type's schedule, before the "
            "schedule starts, or in the future.",
        ),
        FindingCode(
            "record-duplicate",
            Severity.ERROR,
            "Two current records cover the same period of a record type that allows only one.",
        ),
        FindingCode(
            "record-modified",
            Severity.ERROR,
            "A record's content changed after its first commit without a 'correction:' note in that change.",
        ),
        FindingCode(
            "record-deleted",
            Severity.ERROR,
            "A record file that existed in git history is gone from the tree.",
        ),
    )
}


class UnknownFindingCodeError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Finding:
    """One finding, located in a source file.

    ``path`` is relative to the handbook root, with ``/`` separators; ``line`` is
    1-based (0 when the finding belongs to no particular line). ``id`` is the id
    of the document, record type, record or clause concerned ("" if none).
    """

    path: str
    line: int
    code: str
    id: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise UnknownFindingCodeError(self.code)


def resolve_severity(code: str, overrides: Mapping[str, str]) -> Severity:
    """The severity of ``code``: the configured override, else the default."""
    if code in overrides:
        return Severity(overrides[code])
    return CODES[code].severity


def validate_severity_overrides(overrides: Mapping[str, Any]) -> list[str]:
    """Problems in a ``clausewise_severity`` setting, as sentences (empty: fine)."""
    problems = []
    allowed = ", ".join(s.value for s in Severity)
    for code, value in overrides.items():
        if code not in CODES:
            problems.append(
                f"clausewise_severity names unknown finding code {code!r}; known codes: {', '.join(sorted(CODES))}"
            )
        elif value not in {s.value for s in Severity}:
            problems.append(f"clausewise_severity[{code!r}] is {value!r}; expected one of {allowed}")
    return problems


def findings_report(
    today: str,
    findings: Iterable[Finding],
    overrides: Mapping[str, str],
) -> dict[str, Any]:
    """The ``findings.json`` document for ``findings`` (already filtered)."""
    rows = []
    for f in sorted(findings):
        rows.append(
            {
                "code": f.code,
                "severity": resolve_severity(f.code, overrides).value,
                "path": f.path,
                "line": f.line,
                "id": f.id,
                "message": f.message,
            }
        )
    summary = Counter(r["code"] for r in rows)
    return {
        "today": today,
        "findings": rows,
        "summary": dict(sorted(summary.items())),
    }
