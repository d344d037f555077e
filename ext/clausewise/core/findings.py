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


class Code(StrEnum):
    """Every finding code, so that a misspelt code is a type error, not a silent new code."""

    INVALID_METADATA = "invalid-metadata"
    DUPLICATE_ID = "duplicate-id"
    UNKNOWN_OWNER = "unknown-owner"
    UNKNOWN_CLAUSE = "unknown-clause"
    UNKNOWN_REFERENCE = "unknown-reference"
    UNCOVERED_CLAUSE = "uncovered-clause"
    REVIEW_OVERDUE = "review-overdue"
    REVIEW_DUE_SOON = "review-due-soon"
    CHANGED_SINCE_REVIEW = "changed-since-review"
    UPSTREAM_CHANGED = "upstream-changed"
    REVIEWED_DATE_INVALID = "reviewed-date-invalid"
    UNCOMMITTED = "uncommitted"
    HISTORY_INCOMPLETE = "history-incomplete"
    HISTORY_UNAVAILABLE = "history-unavailable"
    RECORD_UNKNOWN_TYPE = "record-unknown-type"
    RECORD_MISSING = "record-missing"
    RECORD_LATE = "record-late"
    RECORD_PERIOD_INVALID = "record-period-invalid"
    RECORD_DUPLICATE = "record-duplicate"
    RECORD_MODIFIED = "record-modified"
    RECORD_DELETED = "record-deleted"
    NO_GOVERNED_DOCUMENTS = "no-governed-documents"
    ALL_PAGES_INVALID = "all-pages-invalid"
    NO_ROLES = "no-roles"
    CLAUSE_NOT_EXCLUDABLE = "clause-not-excludable"
    EXCLUDED_BUT_IMPLEMENTED = "excluded-but-implemented"
    UNSAFE_INCLUDE = "unsafe-include"
    RAW_HTML = "raw-html"
    UNSAFE_LINK = "unsafe-link"
    HISTORY_DATES_BACKWARDS = "history-dates-backwards"
    RECORD_MOVED = "record-moved"
    IMPLEMENTS_CYCLE = "implements-cycle"
    RETIRED_REFERENCE = "retired-reference"
    RECORD_PRODUCED_INVALID = "record-produced-invalid"
    RECORD_ID_MISMATCH = "record-id-mismatch"
    BROKEN_SYMLINK = "broken-symlink"
    SCHEDULE_SHORTENED = "schedule-shortened"
    PAGE_UNREADABLE = "page-unreadable"
    NOT_A_PAGE = "not-a-page"
    MAIN_BRANCH_UNKNOWN = "main-branch-unknown"
    RECORD_UNFILLED = "record-unfilled"
    RECORD_PREMATURE = "record-premature"
    RECORD_DISPOSED = "record-disposed"
    RECORD_RETENTION_EXPIRED = "record-retention-expired"
    APPROVAL_NOTE_INVALID = "approval-note-invalid"
    APPROVAL_MISSING = "approval-missing"
    ACTION_OVERDUE = "action-overdue"
    ACTION_EFFECTIVENESS_UNCHECKED = "action-effectiveness-unchecked"
    NONCONFORMITY_WITHOUT_ACTION = "nonconformity-without-action"
    AUDIT_COVERAGE_GAP = "audit-coverage-gap"
    REVIEW_INPUT_MISSING = "review-input-missing"
    TARGET_MISSED = "target-missed"
    TARGET_MISSED_REPEATEDLY = "target-missed-repeatedly"
    CONTRACT_EXPIRING = "contract-expiring"
    CONTRACT_EXPIRED = "contract-expired"
    SUPPLIER_REVIEW_MISSING = "supplier-review-missing"
    COMPLAINT_UNANSWERED = "complaint-unanswered"
    COMPLAINT_ANSWERED_LATE = "complaint-answered-late"


@dataclass(frozen=True)
class FindingCode:
    """One finding code: its severity when reported, and what it means.

    A code that is ``on_by_default`` false is reported only when the handbook asks
    for it with a severity in ``clausewise_severity`` (an advice that some
    organisations want and others, by policy, do not); until then it is off."""

    code: Code
    severity: Severity
    description: str
    on_by_default: bool = True


CODES: Mapping[Code, FindingCode] = {
    c.code: c
    for c in (
        FindingCode(
            Code.INVALID_METADATA,
            Severity.ERROR,
            "A front-matter field is missing, malformed or has a value that is not allowed.",
        ),
        FindingCode(
            Code.DUPLICATE_ID,
            Severity.ERROR,
            "Two documents, record types or records use the same id.",
        ),
        FindingCode(
            Code.UNKNOWN_OWNER,
            Severity.ERROR,
            "The owner named in the metadata is not the id of a role in the handbook.",
        ),
        FindingCode(
            Code.UNKNOWN_CLAUSE,
            Severity.ERROR,
            "A clause number is not in the configured clause catalogue.",
        ),
        FindingCode(
            Code.UNKNOWN_REFERENCE,
            Severity.ERROR,
            "A document, role or record type named in the metadata does not exist or is of the wrong kind.",
        ),
        FindingCode(
            Code.UNCOVERED_CLAUSE,
            Severity.WARNING,
            "No approved, in-force document satisfies the clause (and no approved document justifies the gap).",
        ),
        FindingCode(
            Code.REVIEW_OVERDUE,
            Severity.WARNING,
            "The document's last review plus its review interval lies before today.",
        ),
        FindingCode(
            Code.REVIEW_DUE_SOON,
            Severity.INFO,
            "The document's next review is due within the due-soon window (30 days by default).",
        ),
        FindingCode(
            Code.CHANGED_SINCE_REVIEW,
            Severity.WARNING,
            "The document's content changed in git after its last review, and the change did not "
            "record a review, so what is in force has not been reviewed.",
        ),
        FindingCode(
            Code.UPSTREAM_CHANGED,
            Severity.WARNING,
            "A document or clause this document depends on changed after this document's last review; "
            "re-check this document.",
        ),
        FindingCode(
            Code.REVIEWED_DATE_INVALID,
            Severity.ERROR,
            "The reviewed date is in the future, or earlier than the document's first commit.",
        ),
        FindingCode(
            Code.UNCOMMITTED,
            Severity.INFO,
            "The document or record is not committed to git yet, or has uncommitted changes.",
        ),
        FindingCode(
            Code.HISTORY_INCOMPLETE,
            Severity.WARNING,
            "The repository is a shallow clone: change dates before its cut-off are unknown.",
        ),
        FindingCode(
            Code.HISTORY_UNAVAILABLE,
            Severity.WARNING,
            "The handbook is not in a git repository (or git cannot be run): no revision history.",
        ),
        FindingCode(
            Code.RECORD_UNKNOWN_TYPE,
            Severity.ERROR,
            "A record names a record type that no procedure declares.",
        ),
        FindingCode(
            Code.RECORD_MISSING,
            Severity.WARNING,
            "A period's record is missing: its due date (period end plus grace) has passed without one; "
            "for a per-event record type, there is none within its window.",
        ),
        FindingCode(
            Code.RECORD_LATE,
            Severity.WARNING,
            "A record was produced after its period's due date.",
        ),
        FindingCode(
            Code.RECORD_PERIOD_INVALID,
            Severity.ERROR,
            "A record's period is malformed, not a period of its record type's schedule, before the "
            "schedule starts, or in the future.",
        ),
        FindingCode(
            Code.RECORD_DUPLICATE,
            Severity.ERROR,
            "Two current records cover the same period of a record type that allows only one.",
        ),
        FindingCode(
            Code.RECORD_MODIFIED,
            Severity.ERROR,
            "A record's content changed after its first commit without a 'correction:' note in that change.",
        ),
        FindingCode(
            Code.RECORD_DELETED,
            Severity.ERROR,
            "A record file that existed in git history is gone from the tree, or is no longer a record page "
            "where it is (excluded, or its front matter no longer makes it a record).",
        ),
        FindingCode(
            Code.NO_GOVERNED_DOCUMENTS,
            Severity.ERROR,
            "The handbook has no governed page at all: nothing under the governed paths "
            "(clausewise_governed_paths) and no page that declares a type. Usually those paths are wrong.",
        ),
        FindingCode(
            Code.ALL_PAGES_INVALID,
            Severity.ERROR,
            "Every governed page has invalid metadata, so what the handbook shows of reviews, coverage and "
            "ownership is incomplete until the metadata is fixed.",
        ),
        FindingCode(
            Code.NO_ROLES,
            Severity.ERROR,
            "The handbook has governed documents but no valid role page, so no document has an owner "
            "(and CODEOWNERS no rule).",
        ),
        FindingCode(
            Code.CLAUSE_NOT_EXCLUDABLE,
            Severity.ERROR,
            "An 'excluded:' entry names a clause its catalogue does not let be excluded (a mandatory clause); "
            "justify a gap under 'uncovered_clauses' instead.",
        ),
        FindingCode(
            Code.EXCLUDED_BUT_IMPLEMENTED,
            Severity.WARNING,
            "A control declared not applicable ('excluded:') is satisfied by an approved document: the "
            "Statement of Applicability and the documents contradict each other.",
        ),
        FindingCode(
            Code.UNSAFE_INCLUDE,
            Severity.ERROR,
            "A page includes, shows or offers for download a file outside the handbook's source folder (a '..' "
            "path or a symbolic link leading out) or in a hidden folder of it (.git), or the page itself is a "
            "link out: the file is not read or published (clausewise_safe_mode).",
        ),
        FindingCode(
            Code.RAW_HTML,
            Severity.ERROR,
            "A page carries raw HTML (an HTML block, inline HTML, a {raw} directive, or an image or download "
            "that a browser opens as a page: an HTML file, an SVG with script): it is shown as text, not "
            "markup, and the file is not published (clausewise_safe_mode). Pages that are not governed may opt "
            "out with front matter 'clausewise_unsafe: \"<reason>\"'.",
        ),
        FindingCode(
            Code.UNSAFE_LINK,
            Severity.ERROR,
            "A link target uses the javascript:, vbscript: or data: scheme, which can run script in a reader's "
            "browser: it is shown as text, not a link (clausewise_safe_mode).",
        ),
        FindingCode(
            Code.HISTORY_DATES_BACKWARDS,
            Severity.WARNING,
            "A commit in the page's history has a committer date earlier than an older commit on the main "
            "line (clock skew, imported history): git's order is followed and the change is taken as made "
            "on the later date.",
        ),
        FindingCode(
            Code.RECORD_MOVED,
            Severity.ERROR,
            "A committed record file was renamed or moved to where it is no longer a record page (another "
            "suffix, an excluded folder, outside the handbook): the evidence left the handbook quietly.",
        ),
        FindingCode(
            Code.IMPLEMENTS_CYCLE,
            Severity.ERROR,
            "A document implements itself, or 'implements' entries lead back to the document they start from.",
        ),
        FindingCode(
            Code.RETIRED_REFERENCE,
            Severity.ERROR,
            "A retired role still owns a document or record type in use, or an approved document still "
            "implements a retired one or uses a retired document of external origin.",
        ),
        FindingCode(
            Code.RECORD_PRODUCED_INVALID,
            Severity.ERROR,
            "A record's produced date is in the future, or before the period or event it records began.",
        ),
        FindingCode(
            Code.RECORD_ID_MISMATCH,
            Severity.ERROR,
            "A record's id names another record type or another period than its 'record_type' and 'period' say.",
        ),
        FindingCode(
            Code.BROKEN_SYMLINK,
            Severity.ERROR,
            "A symbolic link in a governed folder or the records folder points at nothing, or loops back to "
            "itself: what it should bring into the handbook is absent.",
        ),
        FindingCode(
            Code.SCHEDULE_SHORTENED,
            Severity.WARNING,
            "A record type's schedule starts more than ten years before today: only the periods of the "
            "last ten years are checked for records.",
        ),
        FindingCode(
            Code.PAGE_UNREADABLE,
            Severity.ERROR,
            "A page is not text in the handbook's encoding (UTF-8): it is left out of the build, and its "
            "metadata is unknown, until it is saved as UTF-8.",
        ),
        FindingCode(
            Code.NOT_A_PAGE,
            Severity.WARNING,
            "A file in a governed folder or the records folder looks like a page (POLICY.MD, plan.markdown) but "
            "does not end in '.md' exactly, so it is not read: it is not part of the handbook.",
        ),
        FindingCode(
            Code.MAIN_BRANCH_UNKNOWN,
            Severity.WARNING,
            "clausewise_main_branch names a branch the repository does not have, or one that shares no history "
            "with the commit checked out, or no main branch was found: "
            "the message names the branches there are and what was assumed instead.",
        ),
        FindingCode(
            Code.RECORD_UNFILLED,
            Severity.WARNING,
            "A record is a draft ('status: draft'), or its body still holds the placeholder text that "
            "'clausewise new record' writes (or has no text at all and no 'evidence:'): it is listed, but is no "
            "evidence, and its period stays missing until it is filled in and its status is current.",
        ),
        FindingCode(
            Code.RECORD_PREMATURE,
            Severity.INFO,
            "A record was produced before its period ended (a monthly report dated within its own month), "
            "and its record type does not say 'early: allowed'.",
        ),
        FindingCode(
            Code.RECORD_DISPOSED,
            Severity.INFO,
            "A record was deleted after its retention had ended (the record type's 'retain:', counted from "
            "the end of the record's period): a lawful disposal, named with its commit. Deleting a record "
            "before then is record-deleted.",
        ),
        FindingCode(
            Code.RECORD_RETENTION_EXPIRED,
            Severity.INFO,
            "A record is still present after its retention has ended: it may be disposed of (and data "
            "protection may require it). Off unless clausewise_severity gives it a severity, for "
            "organisations that keep everything.",
            on_by_default=False,
        ),
        FindingCode(
            Code.APPROVAL_NOTE_INVALID,
            Severity.WARNING,
            "A commit's approval note (git notes under refs/notes/clausewise/approvals) is not valid JSON or "
            "lacks a required key (an 'approvals' list, each with a 'login' or 'name' and an 'at' time): the "
            "message names the commit and what is wrong; the change counts as unapproved until the note is "
            "written again ('clausewise approvals record COMMIT ... --replace').",
        ),
        FindingCode(
            Code.APPROVAL_MISSING,
            Severity.WARNING,
            "A change to a policy, procedure, role or document of external origin (its content, a review, or "
            "who may approve it) reached the main line on or after clausewise_approval's 'since' without an "
            "approval by someone other than its author (with 'by': 'owner', by a member of the document's "
            "owner role) given before it did; the message names the commit, its author and why each approval "
            "found does not count. A clone without the approvals' notes says so once instead.",
        ),
        FindingCode(
            Code.ACTION_OVERDUE,
            Severity.WARNING,
            "An action (a record of a record type of kind 'action': a nonconformity, observation or "
            "improvement) is still open, with no 'closed:' date, after its 'due:' date: the message names the "
            "action, its due date, the days overdue and its owner role.",
        ),
        FindingCode(
            Code.ACTION_EFFECTIVENESS_UNCHECKED,
            Severity.WARNING,
            "An action for a nonconformity was closed more than clausewise_action_effectiveness_days ago and "
            "its effectiveness was never checked (no 'effectiveness_checked:' date).",
        ),
        FindingCode(
            Code.NONCONFORMITY_WITHOUT_ACTION,
            Severity.WARNING,
            "A nonconformity that an audit report lists under 'nonconformities:' is named by no action's "
            "'source:': nothing is recorded to correct it.",
        ),
        FindingCode(
            Code.AUDIT_COVERAGE_GAP,
            Severity.WARNING,
            "A clause of the audit scope (clausewise_audit_scope) or an approved procedure that no internal "
            "audit report (a record type of kind: audit) names under audited: within the audit cycle "
            "(clausewise_audit_cycle) before today: the message says when it was last audited, or that it "
            "never was; plan it into the audit programme. Reported on the audit record type's kind: line.",
        ),
        FindingCode(
            Code.REVIEW_INPUT_MISSING,
            Severity.WARNING,
            "A management review (a record of a record type of kind 'management-review', not a draft) does not "
            "list under inputs_covered every input its record type's inputs: names: the message names the "
            "review and each input it skipped. An input with a 'since:' date is not asked of reviews produced "
            "before that day.",
        ),
        FindingCode(
            Code.TARGET_MISSED,
            Severity.INFO,
            "A record's measurement of a service's metric missed its target for the record's period (one in the "
            "audit window: the record was produced within it); on the "
            "measurement's line, naming the service, metric, period, the value achieved and the target.",
        ),
        FindingCode(
            Code.TARGET_MISSED_REPEATEDLY,
            Severity.WARNING,
            "A service's metric missed its target in several periods in a row, or in many periods of the audit "
            "window (clausewise_target_misses), and no action (a record of kind action whose source or subject "
            "is the service) is open for it, or was closed after the latest miss; on the metric's line.",
        ),
        FindingCode(
            Code.CONTRACT_EXPIRING,
            Severity.INFO,
            "An approved supplier's contract ends within clausewise_contract_notice_days (180 days by default): "
            "time to decide whether to renew, renegotiate or replace it. The message gives the day and the "
            "days left.",
        ),
        FindingCode(
            Code.CONTRACT_EXPIRED,
            Severity.WARNING,
            "An approved supplier's contract_end has passed: either the contract was renewed (write its new "
            "end) or the supplier works without one (retire the supplier, or record the decision).",
        ),
        FindingCode(
            Code.SUPPLIER_REVIEW_MISSING,
            Severity.WARNING,
            "An approved supplier was not reviewed within the interval its criticality asks for "
            "(clausewise_supplier_review): no current supplier review record (a record type of kind "
            "supplier-review) names it under 'suppliers' within that interval. Counted from its last review, "
            "else from its contract start.",
        ),
        FindingCode(
            Code.COMPLAINT_UNANSWERED,
            Severity.WARNING,
            "A customer complaint (a record of a record type of kind 'complaint', not a draft) has no "
            "'responded' date, and more days than clausewise_complaint_response_days have passed since it was "
            "'received': answer the customer and record the day in 'responded'.",
        ),
        FindingCode(
            Code.COMPLAINT_ANSWERED_LATE,
            Severity.INFO,
            "A customer complaint was answered ('responded') more than clausewise_complaint_response_days "
            "days after it was 'received': nothing to fix now, but a pattern of late answers is for the "
            "customer relationship's review.",
        ),
    )
}


#: The codes that say the handbook as a whole is unusable (see ``pipeline.assembly.handbook_findings``):
#: ``clausewise due`` refuses to say "nothing due" and ``codeowners`` to write when one is reported.
HANDBOOK_UNUSABLE = frozenset({Code.NO_GOVERNED_DOCUMENTS, Code.ALL_PAGES_INVALID, Code.NO_ROLES})


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
    code: Code
    id: str
    message: str

    def __post_init__(self) -> None:
        # a code read back from a report is a plain string until it is made a Code here
        try:
            object.__setattr__(self, "code", Code(self.code))
        except ValueError:
            raise UnknownFindingCodeError(self.code) from None


def resolve_severity(code: str, overrides: Mapping[str, str]) -> Severity:
    """The severity of ``code``: the configured override, else the default (``off`` for a
    code that is not on by default)."""
    if code in overrides:
        return Severity(overrides[code])
    registered = CODES[Code(code)]
    return registered.severity if registered.on_by_default else Severity.OFF


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


def is_suppressed(code: str, suppress_warnings: Iterable[str]) -> bool:
    """Whether Sphinx's ``suppress_warnings`` drops ``code``, by the rule Sphinx
    applies to a warning of type ``clausewise`` and subtype ``code``."""
    names = set(suppress_warnings)
    return bool({"clausewise", "clausewise.*", f"clausewise.{code}"} & names)
