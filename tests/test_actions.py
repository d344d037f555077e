"""Nonconformities, corrective actions and improvements (issue 17, part 2): records of a record type
of kind ``action``, the nonconformities audit reports list, their rules, the action register, the
dashboard's numbers, role pages and ``clausewise due``."""

from __future__ import annotations

from pathlib import Path

import pytest
from handbook import Build, build, governed, record, role, write_handbook

PROCEDURE = """
record_types:
  - id: RT-ACTION
    title: Corrective actions
    owner: ROLE-OWNER
    cadence: per event
    kind: action
    fields:
      raised: {type: date, required: true}
      source: {type: id, required: true}
      kind: {type: choice, values: [nonconformity, observation, improvement], required: true}
      action_owner: {type: id, required: true}
      due: {type: date, required: true}
      closed: {type: date}
      effectiveness_checked: {type: date}
      was_effective: {type: boolean}
      follow_up: {type: id}
  - id: RT-AUDIT
    title: Internal audit report
    owner: ROLE-OWNER
    cadence: per event
    kind: audit
    fields:
      nonconformities: {type: list of text}
"""


def procedure() -> str:
    return governed("PRC-001", "procedure", "Actions", satisfies="[1.1]").replace(
        "---\n\nText.", PROCEDURE.rstrip() + "\n---\n\nText."
    )


REGISTER_PAGE = """\
# Actions

```{action-register}
```
"""


def action(record_id: str, raised: str, **fields: str) -> str:
    values = {"raised": raised, "source": "REC-AUDIT-1", "kind": "nonconformity", "action_owner": "ROLE-OWNER"}
    return record(record_id, "RT-ACTION", raised, produced=raised, title=f'"Action {record_id[-1]}"',
                  **{**values, **fields})  # fmt: skip


def audit(record_id: str, produced: str, nonconformities: str) -> str:
    return record(record_id, "RT-AUDIT", produced, produced=produced, nonconformities=nonconformities)


def handbook(root: Path, records: dict[str, str], conf: str = "") -> Path:
    return write_handbook(
        root,
        {
            "roles/owner.md": role(),
            "roles/auditor.md": role("ROLE-AUDITOR", "Auditor"),
            "procedures/actions.md": procedure(),
            "pages/actions.md": REGISTER_PAGE,
            **records,
        },
        conf,
    )


#: on 2026-11-23: A-1 overdue (due 2026-11-01), A-2 open and not due, A-3 closed 2026-06-01 and never checked,
#: A-4 closed and checked, A-5 an improvement closed long ago (not judged for effectiveness)
RECORDS = {
    "records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2026-05-01", "[NC-1, NC-2, NC-3]"),
    "records/action/REC-ACTION-1.md": action("REC-ACTION-1", "2026-05-02", source="NC-1", due="2026-11-01"),
    "records/action/REC-ACTION-2.md": action("REC-ACTION-2", "2026-05-03", source="NC-2", due="2026-12-15",
                                             action_owner="ROLE-AUDITOR", kind="observation"),
    "records/action/REC-ACTION-3.md": action("REC-ACTION-3", "2026-05-04", due="2026-06-30", closed="2026-06-01"),
    "records/action/REC-ACTION-4.md": action("REC-ACTION-4", "2026-05-05", due="2026-06-30", closed="2026-06-02",
                                             effectiveness_checked="2026-09-01", was_effective="yes"),
    "records/action/REC-ACTION-5.md": action("REC-ACTION-5", "2026-05-06", source="PRC-001", kind="improvement",
                                             due="2026-06-30", closed="2026-06-03"),
}  # fmt: skip


@pytest.fixture(scope="module")
def actions_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(handbook(tmp_path_factory.mktemp("actions") / "hb", RECORDS), fresh=True)


def _ours(result: Build) -> list[tuple[str, str, int, str, str]]:
    return [
        (f["code"], f["path"], f["line"], f["id"], f["message"])
        for f in result.report["findings"]
        if f["code"] not in ("uncovered-clause",)
    ]


def test_each_rule_with_its_exact_findings(actions_build: Build) -> None:
    assert _ours(actions_build) == [
        ("action-overdue", "records/action/REC-ACTION-1.md", 14, "REC-ACTION-1",
         "REC-ACTION-1 Action 1 is open 22 days after its due date 2026-11-01 (owner ROLE-OWNER); close it "
         "(closed: the day) or agree a new due date"),
        ("action-effectiveness-unchecked", "records/action/REC-ACTION-3.md", 15, "REC-ACTION-3",
         "REC-ACTION-3 Action 3 closed a nonconformity on 2026-06-01, 175 days ago, and its effectiveness was "
         "never checked (due within 90 days); check it and write 'effectiveness_checked' and 'was_effective'"),
        ("nonconformity-without-action", "records/audit/REC-AUDIT-1.md", 10, "REC-AUDIT-1",
         "nonconformity NC-3 of REC-AUDIT-1 is named by no action's source; record the action that corrects it, "
         "with 'source: NC-3'"),
    ]  # fmt: skip


BAD = {
    "records/audit/REC-AUDIT-1.md": audit("REC-AUDIT-1", "2026-05-01", '[NC-1, NC-1, "bad id", PRC-001]'),
    "records/action/REC-ACTION-1.md": action("REC-ACTION-1", "2026-05-02", source="NC-1", due="2026-12-01",
                                             closed="2026-05-01", effectiveness_checked="2026-05-01",
                                             was_effective="yes"),
    "records/action/REC-ACTION-2.md": action("REC-ACTION-2", "2026-05-03", source="NC-9", due="2026-12-01",
                                             closed="2026-06-01", effectiveness_checked="2026-07-01",
                                             was_effective="no"),
    "records/action/REC-ACTION-3.md": action("REC-ACTION-3", "2026-05-04", action_owner="PRC-001",
                                             due="2026-12-01", follow_up="REC-AUDIT-1"),
    "records/action/REC-ACTION-4.md": action("REC-ACTION-4", "2026-05-05", due="2026-12-01",
                                             effectiveness_checked="2026-07-01"),
}  # fmt: skip


def test_bad_actions_each_get_one_finding_on_their_line(tmp_path: Path) -> None:
    result = build(handbook(tmp_path / "hb", BAD), fresh=True)
    assert _ours(result) == [
        ("invalid-metadata", "records/action/REC-ACTION-1.md", 15, "REC-ACTION-1",
         "closed: 2026-05-01 is before the action was raised on 2026-05-02; expected a day on or after 'raised'"),
        ("unknown-reference", "records/action/REC-ACTION-2.md", 11, "REC-ACTION-2",
         "source: 'NC-9' is not an id of a document, record type, record or nonconformity in the handbook; "
         "did you mean 'NC-1'?"),
        ("invalid-metadata", "records/action/REC-ACTION-2.md", 17, "REC-ACTION-2",
         "was_effective: no, but no follow_up names the action that takes over; raise a new action and name it "
         "under 'follow_up'"),
        ("invalid-metadata", "records/action/REC-ACTION-3.md", 13, "REC-ACTION-3",
         "action_owner: 'PRC-001' is not a role; name the role that owns the action (one of ROLE-AUDITOR, "
         "ROLE-OWNER)"),
        ("invalid-metadata", "records/action/REC-ACTION-3.md", 15, "REC-ACTION-3",
         "follow_up: 'REC-AUDIT-1' is not an action; name the action record that follows this one"),
        ("invalid-metadata", "records/action/REC-ACTION-4.md", 15, "REC-ACTION-4",
         "effectiveness_checked: 2026-07-01 but the action is not closed; write the day it closed under 'closed', "
         "or remove the check"),
        ("duplicate-id", "records/audit/REC-AUDIT-1.md", 10, "REC-AUDIT-1",
         "nonconformities: 'NC-1' is already listed by REC-AUDIT-1 (records/audit/REC-AUDIT-1.md:10); give each "
         "nonconformity an id of its own"),
        ("invalid-metadata", "records/audit/REC-AUDIT-1.md", 10, "REC-AUDIT-1",
         "nonconformities: 'PRC-001' is already the id of a document, record type or record; give the "
         "nonconformity an id of its own, e.g. NC-PRC-001"),
        ("invalid-metadata", "records/audit/REC-AUDIT-1.md", 10, "REC-AUDIT-1",
         "nonconformities: 'bad id' is not a nonconformity id; expected letters, digits, '.', '_' or '-', starting "
         "with a letter or digit, e.g. NC-2026-01"),
    ]  # fmt: skip
