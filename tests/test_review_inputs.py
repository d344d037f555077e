"""Management review inputs and outputs (issue 17, part 4): the inputs every review must consider,
listed in the organisation's words on the record type of kind management-review; what each review
covered, skipped and decided, checked by every build and shown on its page and the dashboard."""

from __future__ import annotations

import json
from pathlib import Path

from handbook import Build, build, governed, record, role, write_handbook

REVIEW_TYPE = """\
record_types:
  - id: RT-REVIEW
    title: Management reviews
    owner: ROLE-OWNER
    evidences: [1.1]
    cadence: half-yearly
    start: 2025-01-01
    kind: management-review
    fields:
      inputs_covered: {type: list of text, required: true}
      decisions: {type: list of text}
      decision_actions: {type: list of id}
    inputs:
      - {key: previous-actions, text: Status of actions from previous reviews}
      - {key: audit-results, text: Results of internal and external audits}
      - {key: customer-feedback, text: Customer satisfaction and complaints}
      - {key: suppliers, text: Supplier performance, since: 2026-03-01}
"""
#: lines in procedures/review.md: governed() writes eleven, then 'record_types:' is line 12
KIND_LINE, INPUTS_LINE = 19, 24
#: a record's first field after record()'s nine lines
FIELD_LINE = 10


def review_procedure(record_types: str = REVIEW_TYPE) -> str:
    return governed("PRC-001", "procedure", "Management review").replace(
        "---\n\nText.", record_types.rstrip() + "\n---\n\nText."
    )


def review(record_id: str, period: str, produced: str, **fields: str) -> str:
    return record(record_id, "RT-REVIEW", period, produced=produced, **fields)


REVIEWS = {
    # skipped customer-feedback; not judged on suppliers, listed only since 2026-03-01
    "records/review/2025-H1.md": review(
        "REC-MR-2025-H1", "2025-H1", "2025-07-10", inputs_covered="[previous-actions, audit-results]"
    ),
    # a misspelt key: the input it meant is skipped as well
    "records/review/2025-H2.md": review(
        "REC-MR-2025-H2",
        "2025-H2",
        "2026-01-10",
        inputs_covered="[previous-actions, audit-results, customer-feedbak]",
    ),
    # every input, one a line, and its decisions
    "records/review/2026-H1.md": review(
        "REC-MR-2026-H1",
        "2026-H1",
        "2026-07-10",
        inputs_covered="\n  - previous-actions\n  - audit-results\n  - customer-feedback\n  - suppliers",
        decisions="[Renew the storage, Quarterly failover tests]",
    ),
    # a draft is not judged on what it skipped
    "records/review/2026-H2.md": review(
        "REC-MR-2026-H2", "2026-H2", "2026-11-20", inputs_covered="[audit-results]", status="draft"
    ),
}


def handbook(tmp_path: Path, records: dict[str, str] | None = None, record_types: str = REVIEW_TYPE) -> Path:
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "procedures/review.md": review_procedure(record_types),
            **(REVIEWS if records is None else records),
        },
    )


def findings(result: Build, *codes: str) -> list[tuple[str, str, int, str, str]]:
    return [
        (f["code"], f["path"], f["line"], f["id"], f["message"])
        for f in result.report["findings"]
        if f["code"] in codes
    ]


def test_a_review_that_skipped_inputs_or_named_one_not_listed_is_reported(tmp_path: Path) -> None:
    result = build(handbook(tmp_path), fresh=True)
    assert findings(result, "review-input-missing", "invalid-metadata", "unknown-reference") == [
        ("review-input-missing", "records/review/2025-H1.md", FIELD_LINE, "REC-MR-2025-H1",
         "management review REC-MR-2025-H1 did not cover 1 of the 3 inputs record type RT-REVIEW lists: "
         "customer-feedback (Customer satisfaction and complaints); consider them at the next review, or add "
         "their keys to inputs_covered if this one did"),
        ("invalid-metadata", "records/review/2025-H2.md", FIELD_LINE, "REC-MR-2025-H2",
         f"inputs_covered: 'customer-feedbak' is not an input record type RT-REVIEW lists "
         f"(procedures/review.md:{INPUTS_LINE}); did you mean 'customer-feedback'?"),
        ("review-input-missing", "records/review/2025-H2.md", FIELD_LINE, "REC-MR-2025-H2",
         "management review REC-MR-2025-H2 did not cover 1 of the 3 inputs record type RT-REVIEW lists: "
         "customer-feedback (Customer satisfaction and complaints); consider them at the next review, or add "
         "their keys to inputs_covered if this one did"),
    ]  # fmt: skip
    # each review's page says, under its fields, what it covered and skipped
    text = result.page_text("records/review/2025-H2")
    assert (
        "Field Value inputs_covered previous-actions, audit-results, customer-feedbak decisions \u2014 "
        "decision_actions \u2014 Inputs covered: 2 of the 3 that RT-REVIEW lists. Not covered: customer-feedback "
        "(Customer satisfaction and complaints). Not inputs it lists: customer-feedbak. Record text."
    ) in text
    assert "Inputs covered: 4 of the 4 that RT-REVIEW lists. Record text." in result.page_text("records/review/2026-H1")


def test_a_key_not_listed_is_reported_on_its_own_line_and_the_fields_reach_needs_json(tmp_path: Path) -> None:
    records = {
        "records/review/2026-H1.md": review(
            "REC-MR-2026-H1",
            "2026-H1",
            "2026-07-10",
            inputs_covered="\n  - previous-actions\n  - audit-results\n  - customer-feedback\n  - supplier",
            decisions="[Renew the storage, Quarterly failover tests]",
        ),
    }
    result = build(handbook(tmp_path, records), fresh=True)
    assert findings(result, "review-input-missing", "invalid-metadata") == [
        ("review-input-missing", "records/review/2026-H1.md", FIELD_LINE, "REC-MR-2026-H1",
         "management review REC-MR-2026-H1 did not cover 1 of the 4 inputs record type RT-REVIEW lists: "
         "suppliers (Supplier performance); consider them at the next review, or add their keys to "
         "inputs_covered if this one did"),
        ("invalid-metadata", "records/review/2026-H1.md", FIELD_LINE + 4, "REC-MR-2026-H1",
         f"inputs_covered: 'supplier' is not an input record type RT-REVIEW lists "
         f"(procedures/review.md:{INPUTS_LINE}); did you mean 'suppliers'?"),
    ]  # fmt: skip
    needs = json.loads((result.outdir / "needs.json").read_text())
    need = needs["versions"][""]["needs"]["REC-MR-2026-H1"]
    assert need["inputs_covered"] == ["previous-actions", "audit-results", "customer-feedback", "supplier"]
    assert need["decisions"] == ["Renew the storage", "Quarterly failover tests"]
    assert need["decision_actions"] is None


BAD_INPUTS = """\
record_types:
  - id: RT-REVIEW
    title: Management reviews
    owner: ROLE-OWNER
    cadence: half-yearly
    kind: management-review
    fields:
      inputs_covered: {type: list of text, required: true}
    inputs:
      - {key: audits, text: Audit results}
      - {key: audits, text: Audit results again}
      - {key: Audit Results, text: Audit results}
      - {key: risks}
      - {key: risks-2, text: Risks, since: soon, owner: ROLE-OWNER, count: actions}
      - just text
  - id: RT-OTHER
    title: Other reviews
    owner: ROLE-OWNER
    cadence: half-yearly
    inputs:
      - {key: audits, text: Audit results}
  - id: RT-BARE
    title: Reviews without inputs
    owner: ROLE-OWNER
    cadence: half-yearly
    kind: management-review
    fields:
      inputs_covered: {type: list of text}
  - id: RT-EMPTY
    title: Reviews with an empty list
    owner: ROLE-OWNER
    cadence: half-yearly
    kind: management-review
    fields:
      inputs_covered: {type: list of text}
    inputs: []
"""


def test_a_list_of_inputs_that_cannot_be_read_is_reported_entry_by_entry(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, {}, BAD_INPUTS), fresh=True)
    path = "procedures/review.md"
    assert findings(result, "invalid-metadata") == [
        ("invalid-metadata", path, 22, "RT-REVIEW", "key: 'audits' is the key of the input on line 21 too; give "
         "each input its own key"),
        ("invalid-metadata", path, 23, "RT-REVIEW", "key: 'Audit Results' is not an input key; expected lower-case "
         "letters, digits, '-' and '_', starting with a letter, at most 40 characters, e.g. 'audit-results'"),
        ("invalid-metadata", path, 24, "RT-REVIEW", "missing required key 'text': add 'text: ...' (the input in "
         "your own words)"),
        ("invalid-metadata", path, 25, "RT-REVIEW", "count: 'actions' is not allowed; expected one of open-actions, "
         "audit-reports, document-reviews, missing-records"),
        ("invalid-metadata", path, 25, "RT-REVIEW", "since: 'soon' is not a date; expected YYYY-MM-DD, e.g. "
         "2026-02-28"),
        ("invalid-metadata", path, 25, "RT-REVIEW", "unknown key 'owner' in an entry of inputs; allowed keys: count, "
         "key, since, text"),
        ("invalid-metadata", path, 26, "RT-REVIEW", "inputs: item 6 is 'just text' (just text); expected an entry "
         "with a key and a text, e.g. - {key: audit-results, text: Results of internal and external audits}"),
        ("invalid-metadata", path, 31, "RT-OTHER", "inputs: only a record type of kind 'management-review' lists "
         "the inputs its records must consider; add 'kind: management-review', or remove 'inputs'"),
        ("invalid-metadata", path, 37, "RT-BARE", "kind: a record type of kind 'management-review' lists the "
         "inputs every review must consider; add 'inputs:' with one entry a line, e.g. - {key: audit-results, "
         "text: Results of internal and external audits}"),
        ("invalid-metadata", path, 47, "RT-EMPTY", "inputs: an empty list is not a list of inputs; expected one "
         "entry a line with a key and the input in your words, e.g. - {key: audit-results, text: Results of "
         "internal and external audits}"),
    ]  # fmt: skip


COUNTED_TYPES = """\
record_types:
  - id: RT-REVIEW
    title: Management reviews
    owner: ROLE-OWNER
    evidences: [1.1]
    cadence: half-yearly
    start: 2025-01-01
    kind: management-review
    fields:
      inputs_covered: {type: list of text, required: true}
      decision_actions: {type: list of id}
    inputs:
      - {key: previous-actions, text: Status of actions from previous reviews, count: open-actions}
      - {key: audit-results, text: Results of internal and external audits, count: audit-reports}
      - {key: customer-feedback, text: Customer satisfaction and complaints}
      - {key: documents, text: Documents overdue for review, count: document-reviews}
      - {key: records, text: Records not produced, count: missing-records}
  - id: RT-ACTION
    title: Corrective actions
    owner: ROLE-OWNER
    cadence: per event
    kind: action
    fields:
      raised: {type: date}
      source: {type: id}
      kind: {type: choice, values: [nonconformity, observation, improvement]}
      action_owner: {type: id}
      due: {type: date}
      closed: {type: date}
  - id: RT-AUDIT
    title: Internal audit reports
    owner: ROLE-OWNER
    cadence: per event
    kind: audit
"""

DASHBOARD = "# Dashboard\n\n```{clausewise-dashboard}\n```\n"


def test_the_dashboard_says_when_the_next_review_is_due_and_what_it_must_cover(tmp_path: Path) -> None:
    def action(record_id: str, due: str, **more: str) -> str:
        return record(record_id, "RT-ACTION", due, raised="2026-04-01", due=due, **more)

    files = {
        "pages/dashboard.md": DASHBOARD,
        "policies/old.md": governed("POL-001", "policy", "Old policy", reviewed="2025-10-01"),
        "records/review/2025-H1.md": review("REC-MR-2025-H1", "2025-H1", "2025-07-10", inputs_covered="[records]"),
        "records/review/2025-H2.md": review("REC-MR-2025-H2", "2025-H2", "2026-01-10", inputs_covered="[records]"),
        # the last review skipped customer feedback
        "records/review/2026-H1.md": review(
            "REC-MR-2026-H1",
            "2026-H1",
            "2026-07-10",
            inputs_covered="[previous-actions, audit-results, documents, records]",
            decision_actions="[REC-A-2, REC-AUDIT-2]",
        ),
        "records/action/a1.md": action("REC-A-1", "2026-10-01"),  # open, past its due day
        "records/action/a2.md": action("REC-A-2", "2027-01-01"),  # open
        "records/action/a3.md": action("REC-A-3", "2026-09-01", closed="2026-08-20"),
        "records/audit/1.md": record("REC-AUDIT-1", "RT-AUDIT", "2026-05-01", produced="2026-05-01"),
        "records/audit/2.md": record("REC-AUDIT-2", "RT-AUDIT", "2026-09-15", produced="2026-09-15"),
    }
    result = build(handbook(tmp_path, files, COUNTED_TYPES), fresh=True)
    text = result.page_text("pages/dashboard")
    # the section is the page's last: what follows is the theme's sidebar
    section = text[text.index("Next management review") : text.index(" Test handbook Navigation")]
    assert section == (
        "Next management review ¶ RT-REVIEW Management reviews: the review for 2026-H2 is due by 2027-01-30. "
        "The last was REC-MR-2026-H1 , produced on 2026-07-10. It must consider these inputs (the record type's "
        "inputs:). The numbers are counted from the handbook where an input names one (count:); the rest come "
        "from the presenters. Input What to consider From the handbook "
        "previous-actions Status of actions from previous reviews 2 open actions, 1 past their due day "
        "audit-results Results of internal and external audits 1 audit report since the last review (2026-07-10) "
        "customer-feedback Customer satisfaction and complaints (not covered by the last review) \u2014 "
        "documents Documents overdue for review 1 document overdue for review, 0 due soon "
        "records Records not produced 0 record periods missing"
    )
    skipped = result.page_html("pages/dashboard").count('class="clausewise-input-skipped')
    assert skipped == 1
    # a decision's action must be an action: an audit report is not one (the older reviews, which
    # covered one input, are reported as in the test above)
    last = [f for f in findings(result, "invalid-metadata", "unknown-reference", "review-input-missing")
            if f[1] == "records/review/2026-H1.md"]  # fmt: skip
    assert last == [
        ("review-input-missing", "records/review/2026-H1.md", 10, "REC-MR-2026-H1",
         "management review REC-MR-2026-H1 did not cover 1 of the 5 inputs record type RT-REVIEW lists: "
         "customer-feedback (Customer satisfaction and complaints); consider them at the next review, or add "
         "their keys to inputs_covered if this one did"),
        ("invalid-metadata", "records/review/2026-H1.md", 11, "REC-MR-2026-H1",
         "decision_actions: 'REC-AUDIT-2' is a record of RT-AUDIT, not an action; expected a record of RT-ACTION"),
    ]  # fmt: skip
