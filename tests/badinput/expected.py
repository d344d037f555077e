# ruff: noqa: E501 (a table of messages: each line one expectation)
"""What each case of the corpus expects, where ``cases.py`` leaves it to this table: the
findings (code, line, part of the message, file when not the case's own page), the one
line a refused handbook is refused with, and what a refused command says. Each was
read and judged when its case was added (see README.md)."""

from __future__ import annotations

from badinput.corpus import Finding, Refused
from clausewise.core.findings import CODES

#: how a message lists every finding code (the list grows with the codes)
KNOWN_CODES = ", ".join(sorted(CODES))
#: what a record type's 'retain:' must be, as each of its findings ends
RETAIN = (
    "expected a number of months or years up to 100 years, counted from the end of a record's period, "
    "e.g. '6 years' or '18 months' (leave 'retain' out to keep the records for good)"
)

FINDINGS: dict[str, tuple[Finding, ...]] = {
    "type-document-id-mapping": (Finding("invalid-metadata", 2, "id: a mapping is not a text value"),),
    "type-document-id-list": (Finding("invalid-metadata", 2, "id: a list is not a text value"),),
    "type-document-type-mapping": (Finding("invalid-metadata", 3, "type: a mapping is not a text value"),),
    "type-document-type-list": (Finding("invalid-metadata", 3, "type: a list is not a text value"),),
    "type-document-title-mapping": (Finding("invalid-metadata", 4, "title: a mapping is not a text value"),),
    "type-document-title-list": (Finding("invalid-metadata", 4, "title: a list is not a text value"),),
    "type-document-owner-mapping": (Finding("invalid-metadata", 5, "owner: a mapping is not a text value"),),
    "type-document-owner-list": (Finding("invalid-metadata", 5, "owner: a list is not a text value"),),
    "type-document-status-mapping": (Finding("invalid-metadata", 6, "status: a mapping is not a text value"),),
    "type-document-status-list": (Finding("invalid-metadata", 6, "status: a list is not a text value"),),
    "type-document-version-mapping": (Finding("invalid-metadata", 7, "version: a mapping is not a text value"),),
    "type-document-version-list": (Finding("invalid-metadata", 7, "version: a list is not a text value"),),
    "type-document-effective-mapping": (Finding("invalid-metadata", 8, "effective: a mapping is not a text value"),),
    "type-document-effective-list": (Finding("invalid-metadata", 8, "effective: a list is not a text value"),),
    "type-document-reviewed-mapping": (Finding("invalid-metadata", 9, "reviewed: a mapping is not a text value"),),
    "type-document-reviewed-list": (Finding("invalid-metadata", 9, "reviewed: a list is not a text value"),),
    "type-document-review-interval-mapping": (
        Finding("invalid-metadata", 10, "review_interval: a mapping is not a text value"),
    ),
    "type-document-review-interval-list": (
        Finding("invalid-metadata", 10, "review_interval: a list is not a text value"),
    ),
    "type-document-classification-mapping": (
        Finding("invalid-metadata", 11, "classification: a mapping is not a text value"),
    ),
    "type-document-classification-list": (
        Finding("invalid-metadata", 11, "classification: a list is not a text value"),
    ),
    "type-document-satisfies-mapping": (Finding("invalid-metadata", 12, "satisfies: a mapping is not a list"),),
    "type-document-implements-mapping": (Finding("invalid-metadata", 17, "implements: a mapping is not a list"),),
    "type-document-roles-mapping": (Finding("invalid-metadata", 17, "roles: a mapping is not a list"),),
    "type-document-requires-records-mapping": (
        Finding("invalid-metadata", 17, "requires_records: a mapping is not a list"),
    ),
    "type-document-record-types-mapping": (
        Finding(
            "invalid-metadata", 17, "record_types: expected a list of record types, each starting with '- id: RT-...'"
        ),
    ),
    "type-document-uncovered-clauses-mapping": (
        Finding("invalid-metadata", 17, "uncovered_clauses: expected a list of entries with 'clause:' and 'reason:'"),
    ),
    "type-document-excluded-mapping": (
        Finding("invalid-metadata", 13, "excluded: expected a list of entries with 'clause:' and 'reason:'"),
    ),
    "type-document-github-mapping": (
        Finding("invalid-metadata", 17, "github: only a role's page names GitHub users or teams"),
    ),
    "type-document-github-list": (
        Finding("invalid-metadata", 17, "github: only a role's page names GitHub users or teams"),
    ),
    "type-document-summary-mapping": (Finding("invalid-metadata", 16, "summary: a mapping is not a text value"),),
    "type-document-summary-list": (Finding("invalid-metadata", 16, "summary: a list is not a text value"),),
    "type-document-title-classification-mapping": (
        Finding("invalid-metadata", 17, "title_classification: a mapping is not a text value"),
    ),
    "type-document-title-classification-list": (
        Finding("invalid-metadata", 17, "title_classification: a list is not a text value"),
    ),
    "type-record-type-id-mapping": (Finding("invalid-metadata", 14, "id: a mapping is not a text value"),),
    "type-record-type-id-list": (Finding("invalid-metadata", 14, "id: a list is not a text value"),),
    "type-record-type-title-mapping": (Finding("invalid-metadata", 15, "title: a mapping is not a text value"),),
    "type-record-type-title-list": (Finding("invalid-metadata", 15, "title: a list is not a text value"),),
    "type-record-type-owner-mapping": (Finding("invalid-metadata", 16, "owner: a mapping is not a text value"),),
    "type-record-type-owner-list": (Finding("invalid-metadata", 16, "owner: a list is not a text value"),),
    "type-record-type-evidences-mapping": (Finding("invalid-metadata", 17, "evidences: a mapping is not a list"),),
    "type-record-type-cadence-mapping": (Finding("invalid-metadata", 18, "cadence: a mapping is not a text value"),),
    "type-record-type-cadence-list": (Finding("invalid-metadata", 18, "cadence: a list is not a text value"),),
    "type-record-type-window-mapping": (Finding("invalid-metadata", 21, "window: a mapping is not a text value"),),
    "type-record-type-window-list": (Finding("invalid-metadata", 21, "window: a list is not a text value"),),
    "type-record-type-grace-mapping": (Finding("invalid-metadata", 21, "grace: a mapping is not a text value"),),
    "type-record-type-grace-list": (Finding("invalid-metadata", 21, "grace: a list is not a text value"),),
    "type-record-type-retain-mapping": (Finding("invalid-metadata", 21, "retain: a mapping is not a text value"),),
    "type-record-type-retain-list": (Finding("invalid-metadata", 21, "retain: a list is not a text value"),),
    "type-record-type-start-mapping": (Finding("invalid-metadata", 19, "start: a mapping is not a text value"),),
    "type-record-type-start-list": (Finding("invalid-metadata", 19, "start: a list is not a text value"),),
    "type-record-type-allow-several-mapping": (
        Finding("invalid-metadata", 20, "allow_several: a mapping is not a text value"),
    ),
    "type-record-type-allow-several-list": (
        Finding("invalid-metadata", 20, "allow_several: a list is not a text value"),
    ),
    "type-record-type-early-mapping": (Finding("invalid-metadata", 21, "early: a mapping is not a text value"),),
    "type-record-type-early-list": (Finding("invalid-metadata", 21, "early: a list is not a text value"),),
    "type-record-type-kind-mapping": (Finding("invalid-metadata", 21, "kind: a mapping is not a text value"),),
    "type-record-type-kind-list": (Finding("invalid-metadata", 21, "kind: a list is not a text value"),),
    "type-record-type-scale-mapping": (Finding("invalid-metadata", 21, "scale: a mapping is not a text value"),),
    "type-record-type-scale-list": (Finding("invalid-metadata", 21, "scale: a list is not a text value"),),
    "type-justification-clause-mapping": (Finding("invalid-metadata", 22, "clause: a mapping is not a text value"),),
    "type-justification-clause-list": (Finding("invalid-metadata", 22, "clause: a list is not a text value"),),
    "type-justification-reason-mapping": (Finding("invalid-metadata", 23, "reason: a mapping is not a text value"),),
    "type-justification-reason-list": (Finding("invalid-metadata", 23, "reason: a list is not a text value"),),
    "type-record-id-mapping": (Finding("invalid-metadata", 2, "id: a mapping is not a text value"),),
    "type-record-id-list": (Finding("invalid-metadata", 2, "id: a list is not a text value"),),
    "type-record-type-mapping": (Finding("invalid-metadata", 3, "type: a mapping is not a text value"),),
    "type-record-type-list": (Finding("invalid-metadata", 3, "type: a list is not a text value"),),
    "type-record-title-mapping": (Finding("invalid-metadata", 4, "title: a mapping is not a text value"),),
    "type-record-title-list": (Finding("invalid-metadata", 4, "title: a list is not a text value"),),
    "type-record-record-type-mapping": (Finding("invalid-metadata", 5, "record_type: a mapping is not a text value"),),
    "type-record-record-type-list": (Finding("invalid-metadata", 5, "record_type: a list is not a text value"),),
    "type-record-period-mapping": (Finding("invalid-metadata", 6, "period: a mapping is not a text value"),),
    "type-record-period-list": (Finding("invalid-metadata", 6, "period: a list is not a text value"),),
    "type-record-produced-mapping": (Finding("invalid-metadata", 7, "produced: a mapping is not a text value"),),
    "type-record-produced-list": (Finding("invalid-metadata", 7, "produced: a list is not a text value"),),
    "type-record-produced-by-mapping": (Finding("invalid-metadata", 8, "produced_by: a mapping is not a text value"),),
    "type-record-produced-by-list": (Finding("invalid-metadata", 8, "produced_by: a list is not a text value"),),
    "type-record-classification-mapping": (
        Finding("invalid-metadata", 9, "classification: a mapping is not a text value"),
    ),
    "type-record-classification-list": (Finding("invalid-metadata", 9, "classification: a list is not a text value"),),
    "type-record-evidence-mapping": (Finding("invalid-metadata", 10, "evidence: a mapping is not a list"),),
    "type-record-correction-mapping": (Finding("invalid-metadata", 11, "correction: a mapping is not a text value"),),
    "type-record-correction-list": (Finding("invalid-metadata", 11, "correction: a list is not a text value"),),
    "type-record-status-mapping": (Finding("invalid-metadata", 11, "status: a mapping is not a text value"),),
    "type-record-status-list": (Finding("invalid-metadata", 11, "status: a list is not a text value"),),
    "type-record-summary-mapping": (Finding("invalid-metadata", 11, "summary: a mapping is not a text value"),),
    "type-record-summary-list": (Finding("invalid-metadata", 11, "summary: a list is not a text value"),),
    "type-record-title-classification-mapping": (
        Finding("invalid-metadata", 11, "title_classification: a mapping is not a text value"),
    ),
    "type-record-title-classification-list": (
        Finding("invalid-metadata", 11, "title_classification: a list is not a text value"),
    ),
    "value-status-published": (Finding("invalid-metadata", 6, "status: 'published' is not allowed"),),
    "value-type-memo": (Finding("invalid-metadata", 3, "type: 'memo' is not allowed"),),
    "value-type-record": (
        Finding("invalid-metadata", 1, "missing required key 'produced': add 'produced: ...' (a date as YYYY-MM-DD)"),
        Finding(
            "invalid-metadata",
            1,
            "missing required key 'produced_by': add 'produced_by: ...' (who produced the record)",
        ),
        Finding(
            "invalid-metadata",
            1,
            "missing required key 'record_type': add 'record_type: ...' (an id such as RT-EXAMPLE)",
        ),
        Finding("invalid-metadata", 2, "id: 'POL-001-*' is not a valid id"),
        Finding("invalid-metadata", 5, "unknown key 'owner' in a record's front matter"),
        Finding("invalid-metadata", 6, "status: 'approved' is not allowed"),
        Finding("invalid-metadata", 7, "unknown key 'version' in a record's front matter"),
        Finding("invalid-metadata", 8, "unknown key 'effective' in a record's front matter"),
        Finding("invalid-metadata", 9, "unknown key 'reviewed' in a record's front matter"),
        Finding("invalid-metadata", 10, "unknown key 'review_interval' in a record's front matter"),
        Finding("invalid-metadata", 12, "unknown key 'satisfies' in a record's front matter"),
        Finding("invalid-metadata", 13, "unknown key 'excluded' in a record's front matter"),
    ),
    "value-version-letter": (Finding("invalid-metadata", 7, "version: 'v1' is malformed"),),
    "value-version-dots": (Finding("invalid-metadata", 7, "version: '1..0' is malformed"),),
    "value-version-float": (),
    "value-effective-month-13": (Finding("invalid-metadata", 8, "effective: '2026-13-01' is not a real date"),),
    "value-reviewed-feb-30": (Finding("invalid-metadata", 9, "reviewed: '2026-02-30' is not a real date"),),
    "value-reviewed-9999": (
        Finding("invalid-metadata", 9, "reviewed: '9999-12-31' is outside the dates clausewise reads"),
    ),
    "value-reviewed-0001": (
        Finding("invalid-metadata", 9, "reviewed: '0001-01-01' is outside the dates clausewise reads"),
    ),
    "value-reviewed-future": (
        Finding("reviewed-date-invalid", 9, "reviewed: 2026-12-01 is in the future (today is 2026-11-23)"),
    ),
    "value-effective-slashes": (Finding("invalid-metadata", 8, "effective: '01/07/2026' is not a date"),),
    "value-effective-time": (Finding("invalid-metadata", 8, "effective: '2026-07-01T10:00:00' is not a date"),),
    "value-interval-fortnights": (Finding("invalid-metadata", 10, "review_interval: '12 fortnights' is malformed"),),
    "value-interval-zero": (Finding("invalid-metadata", 10, "review_interval: '0 months' is malformed"),),
    "value-interval-huge": (Finding("invalid-metadata", 10, "review_interval: '999999 years' is malformed"),),
    "value-interval-negative": (Finding("invalid-metadata", 10, "review_interval: '-12 months' is malformed"),),
    "value-classification-secret": (Finding("invalid-metadata", 11, "classification: 'secret' is not allowed"),),
    "value-satisfies-unknown": (
        Finding("unknown-clause", 12, "satisfies: clause '9.9' is not in the Corpus standard catalogue"),
    ),
    "value-satisfies-other-catalogue": (
        Finding("unknown-clause", 12, "satisfies: 'XX:1.1' names no configured catalogue"),
    ),
    "value-satisfies-empty-item": (),
    "value-satisfies-nested": (
        Finding(
            "invalid-metadata", 12, "satisfies: item 1 is a list ([1.1]) where one of the clause numbers is expected"
        ),
    ),
    "value-satisfies-text": (),
    "value-satisfies-duplicate": (Finding("invalid-metadata", 12, "satisfies: '1.1' is listed twice"),),
    "value-title-very-long": (),
    "value-excluded-mandatory": (
        Finding(
            "clause-not-excludable",
            14,
            "excluded: clause '1.1' (Plans) cannot be excluded: only clauses starting with 'A.' of the Corpus standard catalogue may be excluded",
        ),
    ),
    "value-excluded-no-reason": (Finding("invalid-metadata", 15, "reason: '' is not a text value"),),
    "value-excluded-text": (
        Finding("invalid-metadata", 13, "excluded: expected a list of entries with 'clause:' and 'reason:'"),
    ),
    "value-github-on-policy": (
        Finding("invalid-metadata", 17, "github: only a role's page names GitHub users or teams"),
    ),
    "value-role-github-no-at": (Finding("invalid-metadata", 12, "github: 'example' is not a GitHub user or team"),),
    "value-role-github-list-mixed": (Finding("invalid-metadata", 12, "github: '3' is not a GitHub user or team"),),
    "record-type-cadence-fortnightly": (Finding("invalid-metadata", 18, "cadence: 'fortnightly' is malformed"),),
    "record-type-cadence-every-0": (Finding("invalid-metadata", 18, "cadence: 'every 0 months' is malformed"),),
    "record-type-cadence-every-999-weeks": (
        Finding("invalid-metadata", 18, "cadence: 'every 999 weeks' is malformed"),
    ),
    "record-type-cadence-every-37-months": (
        Finding("invalid-metadata", 18, "cadence: 'every 37 months' is malformed"),
    ),
    "record-type-cadence-every-minus": (Finding("invalid-metadata", 18, "cadence: 'every -1 months' is malformed"),),
    "record-type-cadence-upper": (),
    "record-type-window-not-per-event": (
        Finding("invalid-metadata", 19, "window: only a record type with cadence 'per event' has a window"),
    ),
    "record-type-grace-negative": (Finding("invalid-metadata", 19, "grace: '-1 days' is malformed"),),
    "record-type-grace-huge": (Finding("invalid-metadata", 19, "grace: '99999999 days' is malformed"),),
    "record-type-grace-weeks": (Finding("invalid-metadata", 19, "grace: '2 weeks' is malformed"),),
    "record-type-retain-forever": (Finding("invalid-metadata", 19, f"retain: 'forever' is not a duration; {RETAIN}"),),
    "record-type-retain-number": (Finding("invalid-metadata", 19, f"retain: '6' is not a duration; {RETAIN}"),),
    "record-type-retain-fraction": (
        Finding("invalid-metadata", 19, f"retain: '1.5 years' is not a duration; {RETAIN}"),
    ),
    "record-type-retain-zero": (
        Finding(
            "invalid-metadata", 19, f"retain: '0 years' keeps nothing; a record is kept for at least a month; {RETAIN}"
        ),
    ),
    "record-type-retain-negative": (
        Finding(
            "invalid-metadata", 19, f"retain: '-6 years' keeps nothing; a record is kept for at least a month; {RETAIN}"
        ),
    ),
    "record-type-retain-days": (
        Finding(
            "invalid-metadata",
            19,
            f"retain: '90 days' is counted in days; a retention is counted in months or years; {RETAIN}",
        ),
    ),
    "record-type-retain-weeks": (
        Finding(
            "invalid-metadata",
            19,
            f"retain: '2 weeks' is counted in weeks; a retention is counted in months or years; {RETAIN}",
        ),
    ),
    "record-type-retain-huge": (
        Finding("invalid-metadata", 19, f"retain: '200 years' is longer than 100 years; {RETAIN}"),
    ),
    "record-type-retain-long-number": (
        Finding("invalid-metadata", 19, f"retain: '99999999999999999999 months' is longer than 100 years; {RETAIN}"),
    ),
    "record-type-retain-valid": (),
    "record-type-retain-within-grace": (
        Finding(
            "invalid-metadata",
            19,
            "retain: '1 month' can end before a record is due (30 days' grace after its period): a record could be disposed of before it was ever missed; keep records for longer than their grace",
        ),
    ),
    "record-type-retain-before-due": (
        Finding(
            "invalid-metadata",
            20,
            "retain: '2 months' can end before a record is due (90 days' grace after its period)",
        ),
    ),
    "record-type-start-feb-30": (Finding("invalid-metadata", 19, "start: '2026-02-30' is not a real date"),),
    "record-type-start-1960": (
        Finding("invalid-metadata", 19, "start: '1960-01-01' is outside the dates clausewise reads"),
    ),
    "record-type-start-future": (),
    "record-type-allow-several-yes": (),
    "record-type-early-yes": (Finding("invalid-metadata", 21, "early: 'yes' is malformed; expected 'allowed'"),),
    "record-type-early-allowed": (),
    "record-type-evidences-unknown": (
        Finding("unknown-clause", 17, "evidences: clause '9.9' is not in the Corpus standard catalogue"),
    ),
    "record-type-owner-unknown": (Finding("unknown-owner", 16, "owner: 'ROLE-NOPE' is not a role in the handbook"),),
    "record-type-owner-policy": (Finding("invalid-metadata", 16, "owner: 'POL-001' is not a valid id"),),
    "record-type-title-empty": (Finding("invalid-metadata", 15, "title: '' is not a text value"),),
    "record-type-per-event-window-huge": (Finding("invalid-metadata", 19, "window: '999999 months' is malformed"),),
    "record-type-duplicate-id": (
        Finding("duplicate-id", 21, "id 'RT-PLAN-*' is already used in procedures/record-type-duplicate-id.md:14"),
    ),
    "id-lower-case": (Finding("invalid-metadata", 2, "id: 'pol-101' is not a valid id"),),
    "id-space": (Finding("invalid-metadata", 2, "id: 'POL 101' is not a valid id"),),
    "id-dot": (Finding("invalid-metadata", 2, "id: 'POL-101.2' is not a valid id"),),
    "id-other-kind": (Finding("invalid-metadata", 2, "id: 'DOC-101' is not a valid id"),),
    "id-double-dash": (Finding("invalid-metadata", 2, "id: 'POL--101' is not a valid id"),),
    "id-unicode": (Finding("invalid-metadata", 2, "id: 'POL-ÄÖ' is not a valid id"),),
    "id-long": (),
    "id-number": (Finding("invalid-metadata", 2, "id: '101' is not a valid id"),),
    "id-slash": (Finding("invalid-metadata", 2, "id: 'POL-1/2' is not a valid id"),),
    "id-record-lower-case": (Finding("invalid-metadata", 2, "id: 'rec-report-2026-09' is not a valid id"),),
    "id-record-type-lower-case": (Finding("invalid-metadata", 14, "id: 'rt-plan' is not a valid id"),),
    "id-duplicate-policy": (
        Finding("duplicate-id", 2, "id 'POL-900' is already used in policies/id-duplicate-policy.md:2"),
    ),
    "id-duplicate-across-kinds": (Finding("invalid-metadata", 2, "id: 'ROLE-900' is not a valid id"),),
    "id-duplicate-record": (
        Finding(
            "duplicate-id",
            2,
            "id 'REC-REPORT-2026-09-TWICE' is already used in records/report/id-duplicate-record.md:2",
        ),
    ),
    "ref-owner-unknown": (Finding("unknown-owner", 5, "owner: 'ROLE-NOPE' is not a role in the handbook"),),
    "ref-owner-policy": (Finding("invalid-metadata", 5, "owner: 'POL-001' is not a valid id"),),
    "ref-owner-near-miss": (Finding("unknown-owner", 5, "owner: 'ROLE-OWNR' is not a role in the handbook"),),
    "ref-implements-unknown": (
        Finding(
            "unknown-reference", 17, "implements: 'POL-999' is not a policy, document or procedure in the handbook"
        ),
    ),
    "ref-implements-role": (
        Finding(
            "unknown-reference", 17, "implements: 'ROLE-OWNER' is not a policy, document or procedure in the handbook"
        ),
    ),
    "ref-implements-record": (
        Finding(
            "unknown-reference",
            17,
            "implements: 'REC-REPORT-2026-09' is not a policy, document or procedure in the handbook",
        ),
    ),
    "ref-implements-self": (Finding("implements-cycle", 17, "implements: 'POL-001-*' is this document itself"),),
    "ref-roles-unknown": (Finding("unknown-reference", 17, "roles: 'ROLE-NOPE' is not a role in the handbook"),),
    "ref-roles-policy": (Finding("unknown-reference", 17, "roles: 'POL-001' is not a role in the handbook"),),
    "ref-requires-unknown": (
        Finding("unknown-reference", 17, "requires_records: 'RT-NOPE' is not a record type in the handbook"),
    ),
    "ref-requires-policy": (
        Finding("unknown-reference", 17, "requires_records: 'POL-001' is not a record type in the handbook"),
    ),
    "ref-implements-cycle": (
        Finding("implements-cycle", 17, "implements goes round in a cycle: POL-001-*-A -> POL-001-*-B -> POL-001-*-A"),
    ),
    "ref-retired-owner": (
        Finding("retired-reference", 5, "owner: ROLE-LEAD-* is a retired role, so nobody answers for POL-001-*"),
    ),
    "ref-retired-implemented": (
        Finding(
            "retired-reference",
            17,
            "implements: POL-001-*-OLD Security policy is retired, but this approved document still implements it",
            "policies/ref-retired-implemented.md",
        ),
    ),
    "record-period-month-13": (Finding("record-period-invalid", 6, "period: '2026-13' is not a period"),),
    "record-period-quarter": (
        Finding("record-period-invalid", 6, "period: '2026-Q3' is not a period of the schedule (monthly)"),
    ),
    "record-period-before-start": (
        Finding("record-period-invalid", 6, "period: 2026-08 is before the schedule of RT-REPORT starts (2026-09)"),
    ),
    "record-period-future": (
        Finding("record-period-invalid", 6, "period: 2027-01 has not begun yet (today is 2026-11-23)"),
    ),
    "record-period-open": (
        Finding("record-premature", 7, "produced: 2026-11-20 is before its period 2026-11 ended (2026-11-30)"),
    ),
    "record-period-number": (Finding("record-period-invalid", 6, "period: '202609' is not a period"),),
    "record-period-text": (Finding("record-period-invalid", 6, "period: 'September' is not a period"),),
    "record-produced-future": (
        Finding("record-produced-invalid", 7, "produced: 2026-12-01 is in the future (today is 2026-11-23)"),
    ),
    "record-produced-before-period": (
        Finding("record-produced-invalid", 7, "produced: 2026-08-15 is before its period 2026-09 began on 2026-09-01"),
    ),
    "record-produced-words": (Finding("invalid-metadata", 7, "produced: 'yesterday' is not a date"),),
    "record-produced-late": (
        Finding(
            "record-late",
            7,
            "produced 2026-11-20, after its due date 2026-10-30 (2026-09 ended 2026-09-30, 30 days' grace)",
        ),
    ),
    "record-record-type-unknown": (
        Finding(
            "record-id-mismatch",
            2,
            "id: REC-REPORT-2026-09-* names the record type RT-REPORT, but record_type: is RT-NOPE",
        ),
        Finding(
            "record-unknown-type",
            5,
            "record_type: 'RT-NOPE' is not declared by any procedure (did you mean RT-CHANGE?)",
        ),
    ),
    "record-record-type-other": (
        Finding(
            "record-id-mismatch",
            2,
            "id: REC-REPORT-2026-09-* names the record type RT-REPORT, but record_type: is RT-PLAN",
        ),
        Finding("record-period-invalid", 6, "period: '2026-09' is not a period of the schedule (yearly)"),
    ),
    "record-record-type-is-policy": (Finding("invalid-metadata", 5, "record_type: 'POL-001' is not a valid id"),),
    "record-status-archived": (Finding("invalid-metadata", 11, "status: 'archived' is not allowed"),),
    "record-status-retired": (),
    "record-status-draft": (
        Finding("record-unfilled", 11, "status: draft: REC-REPORT-2026-09-* is not evidence yet, so it does not count"),
    ),
    "record-status-upper": (
        Finding("invalid-metadata", 11, "status: 'Current' is not allowed; expected one of current, retired, draft"),
    ),
    "record-body-placeholder": (
        Finding("record-unfilled", 13, "REC-REPORT-2026-09-* is not filled in: its body still holds the placeholder"),
    ),
    "record-id-names-other-period": (
        Finding("record-id-mismatch", 2, "id: REC-REPORT-2026-08 names the period 2026-08, but period: is 2026-09"),
    ),
    "record-id-names-other-type": (
        Finding(
            "record-id-mismatch",
            2,
            "id: REC-CHANGE-2026-09 names the record type RT-CHANGE, but record_type: is RT-REPORT",
        ),
    ),
    "record-evidence-mapping": (Finding("invalid-metadata", 10, "evidence: a mapping is not a list"),),
    "record-evidence-script": (
        Finding(
            "unsafe-link",
            10,
            "evidence: 'javascript:alert(1)' uses the javascript: scheme, which can run script in a reader's browser, so it is shown as text, not a link",
        ),
    ),
    "record-produced-by-empty": (Finding("invalid-metadata", 8, "produced_by: '' is not a text value"),),
    "record-correction-unneeded": (),
    "record-event-before": (
        Finding(
            "record-produced-invalid", 7, "produced: 2026-09-30 is before the event it records began on 2026-10-02"
        ),
    ),
    "record-event-future": (
        Finding("record-period-invalid", 6, "period: 2026-12-24 is in the future (today is 2026-11-23)"),
        Finding("record-produced-invalid", 7, "produced: 2026-12-25 is in the future (today is 2026-11-23)"),
    ),
    "record-event-malformed": (Finding("record-period-invalid", 6, "period: '2026-10' is not a date"),),
    "record-event-feb-30": (Finding("record-period-invalid", 6, "period: '2026-02-30' is not a date"),),
    "record-duplicate-period": (
        Finding(
            "record-duplicate",
            6,
            "REC-PLAN-2026-A (records/plan/record-duplicate-period-a.md) already covers 2026 of RT-PLAN",
            "records/plan/record-duplicate-period-b.md",
        ),
        # a yearly plan produced in November, before its year ended
        *(
            Finding(
                "record-premature",
                7,
                "produced: 2026-11-03 is before its period 2026 ended (2026-12-31)",
                f"records/plan/record-duplicate-period-{half}.md",
            )
            for half in "ab"
        ),
    ),
    "name-space": (),
    "name-unicode": (),
    "name-hash": (),
    "name-semicolon": (),
    "name-dash": (),
    "name-index": (),
    "name-upper-suffix": (
        Finding("not-a-page", 0, "'policies/UPPER.MD' looks like a page but is not one", "policies/UPPER.MD"),
    ),
    "name-double-suffix": (),
    "name-long": (),
    "name-deep": (),
    "name-ungoverned-folder": (),
    "name-record-in-policies": (),
    "name-record-in-wrong-folder": (),
    "links-dangling": (
        Finding(
            "broken-symlink",
            0,
            "symbolic link to 'gone.md', which does not exist, so what it should bring into the handbook is missing",
        ),
    ),
    "links-loop": (
        Finding(
            "broken-symlink",
            0,
            "symbolic link to 'links-loop.md', which leads back to itself (a loop), so it is left out of the build",
        ),
    ),
    "links-folder-loop": (
        Finding(
            "broken-symlink",
            0,
            "symbolic link to '..', which leads back to itself (a loop), so it is left out of the build",
        ),
    ),
    "links-outside": (
        Finding(
            "unsafe-include",
            0,
            "the page 'policies/links-outside.md' is a symbolic link (or lies in a linked folder) that leads outside the handbook's folder, so it is not read or published",
        ),
    ),
    "links-dev-zero": (
        Finding(
            "unsafe-include",
            0,
            "the page 'policies/links-dev-zero.md' is a symbolic link (or lies in a linked folder) that leads outside the handbook's folder, so it is not read or published",
        ),
    ),
    "links-record-dangling": (
        Finding(
            "broken-symlink",
            0,
            "symbolic link to '../../../elsewhere/2026-11.md', which does not exist, so what it should bring into the handbook is missing",
        ),
    ),
    "git-changed-since-review": (
        Finding(
            "changed-since-review",
            9,
            "changed on 2026-11-15 (commit bf159f0 by Ann Owner: 'Edit') after its last review on 2026-07-01, and the change did not record a review",
            "policies/policy.md",
        ),
        Finding(
            "upstream-changed",
            11,
            "POL-001 Security policy (implements) changed on 2026-11-15 (commit bf159f0 by Ann Owner: 'Edit') after this document's last review on 2026-07-01",
            "procedures/plan.md",
        ),
        Finding(
            "upstream-changed",
            12,
            "POL-001 Security policy (implements) changed on 2026-11-15 (commit bf159f0 by Ann Owner: 'Edit') after this document's last review on 2026-07-01",
            "procedures/procedure.md",
        ),
    ),
    "git-record-modified": (
        Finding(
            "record-modified",
            2,
            "changed after it was first committed: commit 30dd0b5 by Ann Owner on 2026-11-15 ('Edit')",
            "records/report/2026-09.md",
        ),
    ),
    "git-record-corrected": (),
    "git-record-deleted": (
        Finding(
            "record-missing",
            15,
            "no record of RT-REPORT Monthly report for 2026-09 (due 2026-10-30)",
            "procedures/procedure.md",
        ),
        Finding(
            "record-deleted",
            0,
            "record deleted in commit edd8e47 by Ann Owner on 2026-11-15 ('Delete')",
            "records/report/2026-09.md",
        ),
    ),
    "git-record-renamed-txt": (
        Finding(
            "record-missing",
            15,
            "no record of RT-REPORT Monthly report for 2026-09 (due 2026-10-30)",
            "procedures/procedure.md",
        ),
        Finding(
            "record-moved",
            0,
            "record REC-REPORT-2026-09 (records/report/2026-09.md) was renamed from records/report/2026-09.md to records/report/2026-09.txt in commit 71d2b6d by Ann Owner on 2026-11-15 ('Tidy'), and is no longer a record page: a record page is a Markdown file (.md)",
            "records/report/2026-09.txt",
        ),
    ),
    "git-record-moved-out": (),
    "git-record-excluded": (
        Finding(
            "record-missing",
            15,
            "no record of RT-REPORT Monthly report for 2026-09 (due 2026-10-30)",
            "procedures/procedure.md",
        ),
        Finding(
            "record-deleted",
            0,
            "record REC-REPORT-2026-09 (records/report/2026-09.md) was committed, but is no longer a record page: the build excludes it (exclude_patterns), it was removed from the working tree, or its front matter no longer makes it a record",
            "records/report/2026-09.md",
        ),
    ),
    "git-records-path-moved": (),
    "git-dates-backwards": (
        Finding(
            "history-dates-backwards",
            2,
            "committer dates go backwards in the history of POL-001: commit eba85bd ('Edit') is dated 2026-01-15 but follows commit fe6a361 of 2026-11-10",
            "policies/policy.md",
        ),
        Finding(
            "changed-since-review",
            9,
            "changed on 2026-11-10 (commit eba85bd by Ann Owner: 'Edit'",
            "policies/policy.md",
        ),
        Finding(
            "upstream-changed",
            11,
            "POL-001 Security policy (implements) changed on 2026-11-10 (commit eba85bd by Ann Owner: 'Edit'",
            "procedures/plan.md",
        ),
        Finding(
            "upstream-changed",
            12,
            "POL-001 Security policy (implements) changed on 2026-11-10 (commit eba85bd by Ann Owner: 'Edit'",
            "procedures/procedure.md",
        ),
    ),
    "git-uncommitted-record": (
        Finding(
            "uncommitted", 2, "REC-REPORT-2026-09 has changes that are not committed yet", "records/report/2026-09.md"
        ),
    ),
    "git-uncommitted-policy": (
        Finding("uncommitted", 2, "POL-001 has changes that are not committed yet", "policies/policy.md"),
    ),
    "git-no-repository": (
        Finding(
            "history-unavailable",
            0,
            "the handbook is not in a git repository: revision histories and the checks that need git (changed-since-review, upstream-changed) are skipped",
        ),
    ),
    "git-future-commit": (
        Finding(
            "changed-since-review",
            9,
            "changed on 2027-03-01 (commit 0b95f7b by Ann Owner: 'Edit') after its last review on 2026-07-01, and the change did not record a review",
            "policies/policy.md",
        ),
        Finding(
            "upstream-changed",
            11,
            "POL-001 Security policy (implements) changed on 2027-03-01 (commit 0b95f7b by Ann Owner: 'Edit') after this document's last review on 2026-07-01",
            "procedures/plan.md",
        ),
        Finding(
            "upstream-changed",
            12,
            "POL-001 Security policy (implements) changed on 2027-03-01 (commit 0b95f7b by Ann Owner: 'Edit') after this document's last review on 2026-07-01",
            "procedures/procedure.md",
        ),
    ),
    "git-emoji-author-message": (
        Finding(
            "changed-since-review",
            9,
            "changed on 2026-11-15 (commit 151dd42 by Ann Owner: 'Edit 🔥 \\u202egnirts') after its last review on 2026-07-01, and the change did not record a review",
            "policies/policy.md",
        ),
        Finding(
            "upstream-changed",
            11,
            "POL-001 Security policy (implements) changed on 2026-11-15 (commit 151dd42 by Ann Owner: 'Edit 🔥 \\u202egnirts') after this document's last review on 2026-07-01",
            "procedures/plan.md",
        ),
        Finding(
            "upstream-changed",
            12,
            "POL-001 Security policy (implements) changed on 2026-11-15 (commit 151dd42 by Ann Owner: 'Edit 🔥 \\u202egnirts') after this document's last review on 2026-07-01",
            "procedures/procedure.md",
        ),
    ),
    "setting-activities-unknown": (
        Finding(
            "unknown-reference",
            0,
            "clausewise_activities: the activity 'Audit' names 'PRC-009', which is not a document of the handbook",
            "conf.py",
        ),
    ),
    "setting-governed-paths-none-match": (),
    "catalogue-number-float-twice": (
        Finding(
            "uncovered-clause", 3, "clause 1.10 Tenth is not covered: no document satisfies it", "pages/clauses.md"
        ),
    ),
}

#: the document of external origin (extra/policies/external.md): the line of each key, the last one added at the end
EXTERNAL_LINES = {
    "id": 2, "type": 3, "title": 4, "owner": 5, "issuer": 6, "edition": 7, "location": 8, "status": 9,
    "effective": 10, "reviewed": 11, "review_interval": 12, "classification": 13, "summary": 14,
    "title_classification": 15,
}  # fmt: skip
#: every key of it given a mapping or a list: one finding on its line that says what was written
FINDINGS.update(
    {
        f"type-external-{key.replace('_', '-')}-{kind}": (
            Finding("invalid-metadata", line, f"{key}: a {kind} is not a text value"),
        )
        for key, line in EXTERNAL_LINES.items()
        for kind in ("mapping", "list")
    }
)
FINDINGS["type-document-uses-mapping"] = (Finding("invalid-metadata", 17, "uses: a mapping is not a list"),)
FINDINGS["type-document-members-mapping"] = (
    Finding("invalid-metadata", 17, "members: only a role's page lists members"),
)


REFUSED: dict[str, Refused] = {
    "setting-today-list": Refused(
        "conf.py: clausewise_today is [1, 2]; expected a date as YYYY-MM-DD, e.g. 2026-11-23"
    ),
    "setting-today-int": Refused("conf.py: clausewise_today is 42; expected a date as YYYY-MM-DD, e.g. 2026-11-23"),
    "setting-catalogue-list": Refused(
        'conf.py: clausewise_catalogue is [1, 2]; expected a text in quotes, e.g. clausewise_catalogue = "..."'
    ),
    "setting-catalogue-int": Refused(
        'conf.py: clausewise_catalogue is 42; expected a text in quotes, e.g. clausewise_catalogue = "..."'
    ),
    "setting-catalogues-str": Refused(
        "conf.py: clausewise_catalogues is 'policies/'; expected a list of bundled catalogue names or YAML files, e.g. ['iso20000-1-2018', 'iso27001-2022']"
    ),
    "setting-catalogues-list": Refused(
        "conf.py: clausewise_catalogues is [1, 2]; expected a list of bundled catalogue names or YAML files, e.g. ['iso20000-1-2018', 'iso27001-2022']"
    ),
    "setting-severity-list": Refused(
        "conf.py: clausewise_severity is ['a']; expected a dict of finding code to severity, e.g. {'uncovered-clause': 'error'}"
    ),
    "setting-severity-dict": Refused(
        "conf.py: clausewise_severity names unknown finding code 1; known codes: " + KNOWN_CODES
    ),
    "setting-governed-paths-str": Refused(
        "conf.py: clausewise_governed_paths is 'policies/'; expected a list of folders, e.g. ['policies/', 'procedures/']"
    ),
    "setting-governed-paths-list": Refused(
        "conf.py: clausewise_governed_paths is [1, 2]; expected a list of folders, e.g. ['policies/', 'procedures/']"
    ),
    "setting-organisation-list": Refused(
        'conf.py: clausewise_organisation is [1, 2]; expected a text in quotes, e.g. clausewise_organisation = "..."'
    ),
    "setting-organisation-int": Refused(
        'conf.py: clausewise_organisation is 42; expected a text in quotes, e.g. clausewise_organisation = "..."'
    ),
    "setting-due-soon-days-str": Refused(
        "conf.py: clausewise_due_soon_days is '30'; expected a whole number of days, e.g. 30"
    ),
    "setting-due-soon-days-float": Refused(
        "conf.py: clausewise_due_soon_days is 3.5; expected a whole number of days, e.g. 30"
    ),
    "setting-upstream-links-str": Refused(
        "conf.py: clausewise_upstream_links is 'policies/'; expected a list of: implements, owner, satisfies, roles"
    ),
    "setting-upstream-links-list": Refused(
        "conf.py: clausewise_upstream_links is [1, 2]; expected a list of: implements, owner, satisfies, roles"
    ),
    "setting-repository-url-list": Refused(
        'conf.py: clausewise_repository_url is [1, 2]; expected a text in quotes, e.g. clausewise_repository_url = "..."'
    ),
    "setting-repository-url-int": Refused(
        'conf.py: clausewise_repository_url is 42; expected a text in quotes, e.g. clausewise_repository_url = "..."'
    ),
    "setting-history-start-list": Refused("conf.py: clausewise_history_start is [1, 2]; expected a date as YYYY-MM-DD"),
    "setting-history-start-int": Refused("conf.py: clausewise_history_start is 42; expected a date as YYYY-MM-DD"),
    "setting-sms-start-list": Refused("conf.py: clausewise_sms_start is [1, 2]; expected a date as YYYY-MM-DD"),
    "setting-sms-start-int": Refused("conf.py: clausewise_sms_start is 42; expected a date as YYYY-MM-DD"),
    "setting-records-path-list": Refused(
        'conf.py: clausewise_records_path is [1, 2]; expected a text in quotes, e.g. clausewise_records_path = "..."'
    ),
    "setting-records-path-int": Refused(
        'conf.py: clausewise_records_path is 42; expected a text in quotes, e.g. clausewise_records_path = "..."'
    ),
    "setting-id-patterns-list": Refused(
        "conf.py: clausewise_id_patterns is ['a']; expected a dict of id kind to regular expression, e.g. {'policy': r'XY-POL-\\d{2}'} (kinds: document, policy, procedure, role, record_type, record, external, service, supplier)"
    ),
    "setting-id-patterns-dict": Refused(
        "conf.py: clausewise_id_patterns names the kind 1, which is not one; expected one of: document, policy, procedure, role, record_type, record, external, service, supplier"
    ),
    "setting-activities-list": Refused(
        "conf.py: clausewise_activities is ['a']; expected a dict of each activity's name to a list of document ids, e.g. {'Internal audit': ['PRC-022']}"
    ),
    "setting-activities-dict": Refused(
        "conf.py: clausewise_activities is {1: 'x'}; expected a dict of each activity's name to a list of document ids, e.g. {'Internal audit': ['PRC-022']}"
    ),
    "setting-as-of-list": Refused("conf.py: clausewise_as_of is [1, 2]; expected a date as YYYY-MM-DD"),
    "setting-as-of-int": Refused("conf.py: clausewise_as_of is 42; expected a date as YYYY-MM-DD"),
    "setting-fail-on-list": Refused(
        "conf.py: clausewise_fail_on is [1, 2]; expected one of 'warning', 'error', 'never', e.g. clausewise_fail_on = 'error'"
    ),
    "setting-fail-on-int": Refused(
        "conf.py: clausewise_fail_on is 42; expected one of 'warning', 'error', 'never', e.g. clausewise_fail_on = 'error'"
    ),
    "setting-commit-url-list": Refused(
        'conf.py: clausewise_commit_url is [1, 2]; expected a text in quotes, e.g. clausewise_commit_url = "..."'
    ),
    "setting-commit-url-int": Refused(
        'conf.py: clausewise_commit_url is 42; expected a text in quotes, e.g. clausewise_commit_url = "..."'
    ),
    "setting-safe-mode-str": Refused(
        "conf.py: clausewise_safe_mode is 'yes'; expected True or False, e.g. clausewise_safe_mode = True"
    ),
    "setting-safe-mode-int": Refused(
        "conf.py: clausewise_safe_mode is 1; expected True or False, e.g. clausewise_safe_mode = True"
    ),
    "setting-withheld-evidence-str": Refused(
        "conf.py: clausewise_withheld_evidence is 'yes'; expected True or False, e.g. clausewise_withheld_evidence = True"
    ),
    "setting-withheld-evidence-int": Refused(
        "conf.py: clausewise_withheld_evidence is 1; expected True or False, e.g. clausewise_withheld_evidence = True"
    ),
    "setting-main-branch-list": Refused(
        'conf.py: clausewise_main_branch is [1, 2]; expected a text in quotes, e.g. clausewise_main_branch = "..."'
    ),
    "setting-main-branch-int": Refused(
        'conf.py: clausewise_main_branch is 42; expected a text in quotes, e.g. clausewise_main_branch = "..."'
    ),
    "setting-audiences-list": Refused(
        "conf.py: clausewise_audiences is ['a']; expected a dict of each audience to the classifications it may read, e.g. {'staff': ['public', 'internal'], 'auditor': ['public', 'internal', 'confidential']}"
    ),
    "setting-audiences-dict": Refused(
        "conf.py: clausewise_audiences names the audience 1; an audience is a name of letters, digits, '-' and '_', e.g. 'staff'"
    ),
    "setting-audience-list": Refused(
        "conf.py: clausewise_audience is [1, 2]; expected the name of an audience in quotes, e.g. 'staff'"
    ),
    "setting-audience-int": Refused(
        "conf.py: clausewise_audience is 42; expected the name of an audience in quotes, e.g. 'staff'"
    ),
    "setting-value-catalogue-1": Refused(
        "catalogue 'nope' is neither a file in the handbook nor a bundled catalogue; bundled: iso20000-1-2018, iso27001-2022, iso9001-2015"
    ),
    "setting-value-catalogue-2": Refused(
        "catalogue '../outside.yaml' is neither a file in the handbook nor a bundled catalogue; bundled: iso20000-1-2018, iso27001-2022, iso9001-2015"
    ),
    "setting-value-catalogues-3": Refused(
        "conf.py: clausewise_catalogues names 'catalogue.yaml' twice; list each catalogue once"
    ),
    "setting-value-severity-4": Refused(
        "conf.py: clausewise_severity names unknown finding code 'nope'; known codes: " + KNOWN_CODES
    ),
    "setting-value-severity-5": Refused(
        "conf.py: clausewise_severity['uncovered-clause'] is 'fatal'; expected one of error, warning, info, off"
    ),
    "setting-value-governed-paths-6": Refused(
        "conf.py: clausewise_governed_paths is ['']; expected a list of folders, e.g. ['policies/', 'procedures/']"
    ),
    "setting-value-due-soon-days-7": Refused(
        "conf.py: clausewise_due_soon_days is -1; expected a whole number of days, e.g. 30"
    ),
    "setting-value-upstream-links-8": Refused(
        "conf.py: clausewise_upstream_links is ['nope']; expected a list of: implements, owner, satisfies, roles"
    ),
    "setting-value-repository-url-9": Refused(
        "conf.py: clausewise_repository_url is 'javascript:alert(1)', a javascript: link that would run in readers' browsers; expected an http:// or https:// address, e.g. 'https://github.com/org/handbook'"
    ),
    "setting-value-history-start-10": Refused(
        "conf.py: clausewise_history_start is '2026-02-30'; expected a date as YYYY-MM-DD"
    ),
    "setting-value-sms-start-11": Refused(
        "conf.py: clausewise_sms_start is '0001-01-01'; expected a day between 1970-01-01 and 2999-12-31"
    ),
    "setting-value-records-path-12": Refused(
        "conf.py: clausewise_records_path is empty; expected a folder of the handbook, e.g. 'records/'"
    ),
    "setting-value-id-patterns-13": Refused(
        "conf.py: clausewise_id_patterns['policy'] is '(', which is not a valid regular expression (missing ), unterminated subpattern at position 0); expected a regular expression that every policy id matches in full, e.g. r'XY-POL-\\d{2}'"
    ),
    "setting-value-id-patterns-14": Refused(
        "conf.py: clausewise_id_patterns names the kind 'nope', which is not one; expected one of: document, policy, procedure, role, record_type, record, external, service, supplier"
    ),
    "setting-value-activities-15": Refused(
        "conf.py: clausewise_activities is {'Audit': 'PRC-001'}; expected a dict of each activity's name to a list of document ids, e.g. {'Internal audit': ['PRC-022']}"
    ),
    "setting-value-as-of-16": Refused("conf.py: clausewise_as_of is 'tomorrow'; expected a date as YYYY-MM-DD"),
    "setting-value-fail-on-17": Refused(
        "conf.py: clausewise_fail_on is 'sometimes'; expected one of 'warning', 'error', 'never', e.g. clausewise_fail_on = 'error'"
    ),
    "setting-value-commit-url-18": Refused(
        "conf.py: clausewise_commit_url is 'https://x.example/{sha}/{sha}'; expected a link with {sha} once where the commit goes, e.g. 'https://gitlab.example/group/handbook/-/commit/{sha}'"
    ),
    "setting-value-commit-url-19": Refused(
        "conf.py: clausewise_commit_url is 'https://x.example/{other}'; expected a link with {sha} once where the commit goes, e.g. 'https://gitlab.example/group/handbook/-/commit/{sha}'"
    ),
    "setting-value-audiences-20": Refused(
        "conf.py: clausewise_audiences is {}; expected a dict of each audience to the classifications it may read, e.g. {'staff': ['public', 'internal'], 'auditor': ['public', 'internal', 'confidential']}"
    ),
    "setting-value-audience-21": Refused(
        "conf.py or -D: clausewise_audience is 'public'; expected one of the audiences of clausewise_audiences: 'staff', 'auditor'"
    ),
    "setting-value-today-22": Refused(
        "conf.py: clausewise_today is '0001-01-01'; expected a day between 1970-01-01 and 2999-12-31"
    ),
    "setting-value-audit-window-23": Refused(
        "conf.py: clausewise_audit_window is '0 months'; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_window = '12 months'"
    ),
    "setting-value-audit-window-24": Refused(
        "conf.py: clausewise_audit_window is '-6 months'; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_window = '12 months'"
    ),
    "setting-value-audit-window-25": Refused(
        "conf.py: clausewise_audit_window is '12 weeks'; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_window = '12 months'"
    ),
    "setting-value-audit-window-26": Refused(
        "conf.py: clausewise_audit_window is '11 years'; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_window = '12 months'"
    ),
    "setting-value-audit-window-27": Refused(
        "conf.py: clausewise_audit_window is ''; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_window = '12 months'"
    ),
    "setting-audit-window-list": Refused(
        "conf.py: clausewise_audit_window is [1, 2]; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_window = '12 months'"
    ),
    "setting-audit-window-int": Refused(
        "conf.py: clausewise_audit_window is 42; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_window = '12 months'"
    ),
    "setting-value-forge-28": Refused(
        "conf.py: clausewise_forge is 'bitbucket'; expected one of 'github', 'gitlab', 'none', or '' to recognise the forge from clausewise_repository_url, e.g. clausewise_forge = 'gitlab' for a self-hosted GitLab"
    ),
    "setting-forge-list": Refused(
        'conf.py: clausewise_forge is [1, 2]; expected a text in quotes, e.g. clausewise_forge = "..."'
    ),
    "setting-forge-int": Refused(
        'conf.py: clausewise_forge is 42; expected a text in quotes, e.g. clausewise_forge = "..."'
    ),
    "setting-value-audit-cycle-29": Refused(
        "conf.py: clausewise_audit_cycle is '0 months'; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_cycle = '36 months' (a three-year certification cycle)"
    ),
    "setting-value-audit-scope-30": Refused(
        "conf.py: clausewise_audit_scope is 'level 10'; expected 'leaf' (every clause without sub-clauses) or 'level N' with N from 1 to 9 (the clauses N levels deep, e.g. 'level 1' for 4 to 10), e.g. clausewise_audit_scope = 'leaf'"
    ),
    "setting-audit-cycle-list": Refused(
        "conf.py: clausewise_audit_cycle is [1, 2]; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_cycle = '36 months' (a three-year certification cycle)"
    ),
    "setting-audit-cycle-int": Refused(
        "conf.py: clausewise_audit_cycle is 42; expected a number of months or years from 1 month to 10 years, e.g. clausewise_audit_cycle = '36 months' (a three-year certification cycle)"
    ),
    "setting-audit-scope-list": Refused(
        "conf.py: clausewise_audit_scope is [1, 2]; expected 'leaf' (every clause without sub-clauses) or 'level N' with N from 1 to 9 (the clauses N levels deep, e.g. 'level 1' for 4 to 10), e.g. clausewise_audit_scope = 'leaf'"
    ),
    "setting-audit-scope-int": Refused(
        "conf.py: clausewise_audit_scope is 42; expected 'leaf' (every clause without sub-clauses) or 'level N' with N from 1 to 9 (the clauses N levels deep, e.g. 'level 1' for 4 to 10), e.g. clausewise_audit_scope = 'leaf'"
    ),
    "setting-approval-list": Refused(
        "conf.py: clausewise_approval is ['a']; expected a dict, e.g. {'required': True, 'by': 'owner', 'since': '2026-12-01'}"
    ),
    "setting-approval-dict": Refused(
        "conf.py: clausewise_approval has the key '1', which is not one; the keys are 'required' (True or False), 'by' ('anyone' or 'owner') and 'since' (a date), e.g. {'required': True, 'by': 'owner', 'since': '2026-12-01'}"
    ),
    "setting-team-members-list": Refused(
        'conf.py: clausewise_team_members is [1, 2]; expected a text in quotes, e.g. clausewise_team_members = "..."'
    ),
    "setting-team-members-int": Refused(
        'conf.py: clausewise_team_members is 42; expected a text in quotes, e.g. clausewise_team_members = "..."'
    ),
    "setting-env-today": Refused(
        "environment variable CLAUSEWISE_TODAY is '0001-01-01'; expected a day between 1970-01-01 and 2999-12-31"
    ),
    "setting-env-audience": Refused(
        "environment variable CLAUSEWISE_AUDIENCE is 'nobody'; expected one of the audiences of clausewise_audiences: 'staff', 'auditor'"
    ),
    "catalogue-missing-catalogue-standard": Refused("catalogue.yaml:2: missing key 'standard'"),
    "catalogue-missing-catalogue-id_prefix": Refused("catalogue.yaml:2: missing key 'id_prefix'"),
    "catalogue-missing-catalogue-notice": Refused("catalogue.yaml:2: missing key 'notice'"),
    "catalogue-missing-catalogue-clauses": Refused("catalogue.yaml:2: missing key 'clauses'"),
    "catalogue-missing-clause-number": Refused("catalogue.yaml:10: the clause entry has no number"),
    "catalogue-missing-clause-heading": Refused("catalogue.yaml:10: the clause entry has no heading"),
    "catalogue-latin1": Refused(
        "catalogue.yaml:9: byte 0xe4 on line 9 is not UTF-8 text (invalid continuation byte); save the file as UTF-8"
    ),
    "catalogue-number-list": Refused(
        'catalogue.yaml:10: number is a list, not a clause number; expected letters or digits joined by dots, like 8.3.4.1 or A.5.15 (quote it: "4.10")'
    ),
    "catalogue-number-duplicate": Refused("catalogue.yaml:11: clause 1.1 is listed twice (as 1.1 on line 10)"),
    "catalogue-child-first": Refused("catalogue.yaml:9: clause 1.1 comes before its parent 1; list 1 first"),
    "catalogue-heading-long": Refused(
        "catalogue.yaml:10: the heading of 1.1 has 121 characters; a catalogue holds short headings (at most 120), never the standard's text"
    ),
    "catalogue-confirmation": Refused(
        "catalogue.yaml:11: confirmation of 2 must be one of confirmed, one-source, unconfirmed"
    ),
    "catalogue-self-alias": Refused(
        "catalogue.yaml:14: the catalogue cannot be read: the alias *x is inside its own anchor &x, so it never ends; write the value out instead"
    ),
    "catalogue-top-list": Refused(
        "catalogue.yaml:1: expected a catalogue mapping with standard, id_prefix, notice, clauses"
    ),
    "catalogue-empty": Refused(
        "catalogue.yaml:1: the file is empty; expected a mapping with standard, id_prefix, notice, clauses"
    ),
    "catalogue-id-prefix-lower": Refused(
        "catalogue.yaml:5: id_prefix 'cs' must be upper-case letters and digits, e.g. ISO27K"
    ),
    "catalogue-key-space": Refused(
        "catalogue.yaml:4: key 'C S' must be letters and digits, parts joined by single dashes, e.g. 27001 or 20000-1"
    ),
    "catalogue-excludable-text": Refused("catalogue.yaml:7: excludable must be a list of number prefixes, e.g. ['A.']"),
    "catalogue-clauses-mapping": Refused("catalogue.yaml:8: clauses must be a list of entries with number and heading"),
    "catalogue-unknown-key": Refused(
        "catalogue.yaml:14: unknown key 'edition' in a catalogue mapping with standard, id_prefix, notice, clauses; expected standard, title, key, id_prefix, notice, excludable, clauses"
    ),
    "catalogue-tab": Refused("catalogue.yaml:9: not valid YAML: found character '\\t' that cannot start any token"),
    "catalogue-deep": Refused(
        "catalogue.yaml:14: the catalogue cannot be read: lists and mappings nest more than 20 levels deep; write them flatter"
    ),
    "catalogue-missing-file": Refused(
        "catalogue 'missing.yaml' is neither a file in the handbook nor a bundled catalogue; bundled: iso20000-1-2018, iso27001-2022, iso9001-2015"
    ),
    "catalogue-folder": Refused(
        "catalogue 'pages' is neither a file in the handbook nor a bundled catalogue; bundled: iso20000-1-2018, iso27001-2022, iso9001-2015"
    ),
}

#: what a refused command says: its exit code and last line
COMMANDS: dict[str, tuple[int, str]] = {
    "command-new-hostile-title": (
        0,
        'Wrote policies/1-quoted-starred-policy.md: POL-002 #1: "Quoted" & *starred* policy, a policy owned by ROLE-OWNER, status draft, version 0.1.',
    ),
    "command-new-no-title": (2, "clausewise new policy: error: the following arguments are required: --title, --owner"),
    "command-new-empty-title": (2, "clausewise new policy: error: the following arguments are required: --owner"),
    "command-new-unknown-owner": (
        2,
        "clausewise: --owner 'ROLE-NOPE' is not a role of the handbook (did you mean ROLE-OWNER?); roles: ROLE-LEAD (Lead); ROLE-OWNER (Owner)",
    ),
    "command-new-bad-id": (2, "clausewise new policy: error: the following arguments are required: --owner"),
    "command-new-taken-id": (2, "clausewise new policy: error: the following arguments are required: --owner"),
    "command-new-unknown-kind": (
        2,
        "clausewise new: error: argument KIND: invalid choice: 'memo' (choose from 'policy', 'document', 'procedure', 'external', 'role', 'record-type', 'record')",
    ),
    "command-new-record-unknown-type": (
        2,
        "clausewise: 'RT-NOPE' is not a record type of the handbook; record types: RT-CHANGE, RT-PLAN, RT-REPORT (record types are declared under record_types: in a document's front matter)",
    ),
    "command-new-record-type-unknown-document": (
        2,
        "clausewise: --document 'PRC-999' is not the id of a document in the handbook (a document's id is the id: line of its front matter)",
    ),
    "command-new-record-type-bad-cadence": (
        2,
        "clausewise: --cadence 'fortnightly' is not a cadence; expected daily, weekly, monthly, quarterly, half-yearly, yearly, 'every N weeks' (N up to 156), 'every N months' (N up to 36) or 'per event'",
    ),
    "command-new-record-type-bad-start": (
        2,
        "clausewise new record-type: error: argument --start: '2026-02-30' is not a date as YYYY-MM-DD",
    ),
    "command-new-role-bad-github": (
        2,
        "clausewise: --github 'nobody' is not a GitHub user or team; expected '@user' or '@org/team', e.g. \"@example-org/sms-managers\" (quoted: YAML reserves a leading @)",
    ),
    "command-review-unknown": (
        2,
        "clausewise: 'POL-999' is not the id of a document in the handbook (a document's id is the id: line of its front matter)",
    ),
    "command-review-record": (
        2,
        "clausewise: REC-REPORT-2026-09 is a record, not a document: records are evidence and are not reviewed; a wrong one is corrected with a 'correction:' line",
    ),
    "command-review-bad-version": (
        2,
        "clausewise: --version 'v2' is malformed; expected numbers separated by dots, e.g. 2.1",
    ),
    "command-review-future": (
        2,
        "clausewise review: error: argument --today: '9999-12-31': expected a day between 1970-01-01 and 2999-12-31",
    ),
    "command-review-bad-today": (
        2,
        "clausewise review: error: argument --today: '2026-02-30' is not a date as YYYY-MM-DD",
    ),
    "command-codeowners-out-folder": (
        2,
        "clausewise: --out policies is a folder; name the file to write, e.g. --out policies/CODEOWNERS",
    ),
    "command-codeowners-out-unwritable": (
        2,
        "clausewise: ../../../proc/clausewise-codeowners cannot be written: No such file or directory; name a file you may write with --out",
    ),
    "command-codeowners-unknown-option": (2, "clausewise: error: unrecognized arguments: --owners"),
    "command-check-bad-format": (
        2,
        "clausewise check: error: argument --format: invalid choice: 'xml' (choose from 'text', 'json', 'github', 'gitlab', 'sarif')",
    ),
    "command-check-bad-today": (
        2,
        "clausewise check: error: argument --today: 'yesterday' is not a date as YYYY-MM-DD",
    ),
}

# a record type's fields (issue 17): inserted on the line after allow_several, as retain and early are
FINDINGS["type-record-type-fields-mapping"] = (Finding("invalid-metadata", 21, "fields: a: 'b' is not a field entry"),)
FINDINGS["type-record-type-fields-list"] = (Finding("invalid-metadata", 21, "fields: a list is not a mapping"),)
# a management review's record type's inputs (issue 17, part 4): a mapping is not a list of inputs
FINDINGS["type-record-type-inputs-mapping"] = (
    Finding("invalid-metadata", 21, "inputs: a mapping is not a list of inputs"),
)

# a record's measurements (issue 18): inserted at the end of the record's front matter
FINDINGS["type-record-measurements-mapping"] = (
    Finding("invalid-metadata", 11, "measurements: a mapping is not a list; expected a list of entries"),
)

# suppliers (issue 18): the criticalities and their review intervals, and the contracts' notice
REFUSED["setting-supplier-review-list"] = Refused(
    "conf.py: clausewise_supplier_review is ['a']; expected a dict of each criticality to its review interval, "
    "e.g. clausewise_supplier_review = {'critical': '12 months', 'low': 'none'}"
)
REFUSED["setting-supplier-review-dict"] = Refused(
    "conf.py: clausewise_supplier_review names the criticality 1, which is not a name of lower-case letters, digits "
    "and dashes; e.g. clausewise_supplier_review = {'critical': '12 months', 'low': 'none'}"
)
REFUSED["setting-contract-notice-days-str"] = Refused(
    "conf.py: clausewise_contract_notice_days is '30'; expected a whole number of days, e.g. 30"
)
REFUSED["setting-contract-notice-days-float"] = Refused(
    "conf.py: clausewise_contract_notice_days is 3.5; expected a whole number of days, e.g. 30"
)

# the settings of issue 17 (actions) and issue 18 (services' misses, complaints)
REFUSED["setting-action-effectiveness-days-str"] = Refused(
    "conf.py: clausewise_action_effectiveness_days is '30'; expected a whole number of days, e.g. 30"
)
REFUSED["setting-action-effectiveness-days-float"] = Refused(
    "conf.py: clausewise_action_effectiveness_days is 3.5; expected a whole number of days, e.g. 30"
)
REFUSED["setting-target-misses-list"] = Refused(
    "conf.py: clausewise_target_misses is ['a']; expected a dict, e.g. {'in_a_row': 3, 'in_window': 4}"
)
REFUSED["setting-target-misses-dict"] = Refused(
    "conf.py: clausewise_target_misses has the key '1', which is not one; the keys are 'in_a_row' and 'in_window' "
    "(numbers of missed periods), e.g. {'in_a_row': 3, 'in_window': 4}"
)
REFUSED["setting-complaint-response-days-str"] = Refused(
    "conf.py: clausewise_complaint_response_days is '30'; expected a whole number of days from 1 to 366, e.g. "
    "clausewise_complaint_response_days = 10"
)
REFUSED["setting-complaint-response-days-float"] = Refused(
    "conf.py: clausewise_complaint_response_days is 3.5; expected a whole number of days from 1 to 366, e.g. "
    "clausewise_complaint_response_days = 10"
)
