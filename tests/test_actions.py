"""Nonconformities, corrective actions and improvements (issue 17, part 2): records of a record type
of kind ``action``, the nonconformities audit reports list, their rules, the action register, the
dashboard's numbers, role pages and ``clausewise due``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clausewise.rules.kinds import KIND_FIELDS
from handbook import Build, build, governed, ok, record, role, run_clausewise, write_handbook
from openpyxl import load_workbook

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
      audited: {type: list of reference}
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
    title = fields.pop("title", f'"Action {record_id[-1]}"')
    return record(record_id, "RT-ACTION", raised, produced=raised, title=title, **{**values, **fields})


def audit(record_id: str, produced: str, nonconformities: str) -> str:
    # each audit covers the whole (small) catalogue and the procedure: no audit-coverage-gap here
    return record(record_id, "RT-AUDIT", produced, produced=produced, nonconformities=nonconformities,
                  audited="[1, 2, PRC-001]")  # fmt: skip


def handbook(root: Path, records: dict[str, str], conf: str = "") -> Path:
    return write_handbook(
        root,
        {
            "roles/owner.md": role(),
            "roles/auditor.md": role("ROLE-AUDITOR", "Auditor"),
            "procedures/actions.md": procedure(),
            "pages/actions.md": REGISTER_PAGE,
            "pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n",
            "pages/kinds.md": "# Kinds\n\n```{record-kinds}\n```\n",
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


def test_the_register_lists_open_actions_first_the_most_overdue_first_then_closed_ones(actions_build: Build) -> None:
    text = actions_build.page_text("pages/actions")
    table = text[text.index("Action State Kind") : text.index("Test handbook Navigation")]
    assert table == (
        "Action State Kind Source Owner Raised Due Closed Effectiveness "
        "REC-ACTION-1 Action 1 overdue by 22 days nonconformity NC-1 Owner 2026-05-02 2026-11-01 \u2014 \u2014 "
        "REC-ACTION-2 Action 2 open, due 2026-12-15 observation NC-2 Auditor 2026-05-03 2026-12-15 \u2014 \u2014 "
        "REC-ACTION-5 Action 5 closed 2026-06-03 improvement PRC-001 Owner 2026-05-06 2026-06-30 2026-06-03 "
        "not checked "
        "REC-ACTION-4 Action 4 closed 2026-06-02 nonconformity REC-AUDIT-1 Owner 2026-05-05 2026-06-30 2026-06-02 "
        "effective, checked 2026-09-01 "
        "REC-ACTION-3 Action 3 closed 2026-06-01 nonconformity REC-AUDIT-1 Owner 2026-05-04 2026-06-30 2026-06-01 "
        "not checked "
    )
    html = actions_build.page_html("pages/actions")
    # the filters: hidden until the script shows them, one button per source and per owner (by its name)
    assert text[text.index("Every source") : text.index("Action State Kind")] == (
        "Every source NC-1 NC-2 PRC-001 REC-AUDIT-1 Every owner Auditor Owner Showing 5 of 5 actions "
    )
    assert '<div class="clausewise-action-filters" hidden>' in html
    assert '<button type="button" data-filter="owner" data-value="0" aria-pressed="false">Auditor</button>' in html
    rows = [line for line in html.splitlines() if line.startswith('<tr class="clausewise-action-')]
    assert [row.split('"')[1] for row in rows] == [
        "clausewise-action-open clausewise-action-overdue clausewise-action-source-0 clausewise-action-owner-1 "
        "row-even",
        "clausewise-action-open clausewise-action-source-1 clausewise-action-owner-0 row-odd",
        "clausewise-action-closed clausewise-action-source-2 clausewise-action-owner-1 row-even",
        "clausewise-action-closed clausewise-action-source-3 clausewise-action-owner-1 row-odd",
        "clausewise-action-closed clausewise-action-source-3 clausewise-action-owner-1 row-even",
    ]
    # the ids link to the records, the source and the owner to what they name
    assert 'href="../records/action/REC-ACTION-1.html#REC-ACTION-1"' in html
    assert 'href="../records/audit/REC-AUDIT-1.html#REC-AUDIT-1"' in html
    assert 'href="../roles/auditor.html#ROLE-AUDITOR"' in html
    assert "clausewise-actions.js" in html
    assert "clausewise-actions.js" not in actions_build.page_html("pages/dashboard")


def test_the_dashboard_counts_open_and_overdue_actions_and_their_ages(actions_build: Build) -> None:
    text = actions_build.page_text("pages/dashboard")
    # open: REC-ACTION-1 raised 2026-05-02 (205 days), REC-ACTION-2 raised 2026-05-03 (204 days)
    assert "Actions 2 open actions, 1 overdue; the oldest was raised 205 days ago, the median 204 days ago." in text


def test_each_role_page_lists_its_open_actions(actions_build: Build) -> None:
    owner = actions_build.page_text("roles/owner")
    assert "Open actions REC-ACTION-1 Action 1: overdue by 22 days Revision history" in owner
    auditor = actions_build.page_text("roles/auditor")
    assert "Open actions REC-ACTION-2 Action 2: open, due 2026-12-15 Revision history" in auditor


def test_due_lists_a_roles_open_actions(actions_build: Build) -> None:
    root = actions_build.srcdir
    mine = ok(run_clausewise("--handbook", root, "due", "--role", "ROLE-OWNER", "--within", "30d", today="2026-11-23"))
    assert mine == [
        "Due within 30 days of 2026-11-23 for Owner (ROLE-OWNER): 1",
        "  2026-11-01  OVERDUE  action  REC-ACTION-1 Action 1",
    ]
    theirs = ok(run_clausewise("--handbook", root, "due", "--role", "ROLE-AUDITOR", "--within", "30d",
                               today="2026-11-23"))  # fmt: skip
    assert theirs == [
        "Due within 30 days of 2026-11-23 for Auditor (ROLE-AUDITOR): 1",
        "  2026-12-15  due      action  REC-ACTION-2 Action 2",
    ]


def test_an_actions_fields_reach_needs_json_and_the_xlsx(actions_build: Build) -> None:
    needs = json.loads((actions_build.outdir / "needs.json").read_text())
    need = needs["versions"][needs["current_version"]]["needs"]["REC-ACTION-4"]
    assert {name: need[name] for name in ("raised", "source", "kind", "action_owner", "due", "closed",
                                          "effectiveness_checked", "was_effective", "follow_up")} == {
        "raised": "2026-05-05", "source": "REC-AUDIT-1", "kind": "nonconformity", "action_owner": "ROLE-OWNER",
        "due": "2026-06-30", "closed": "2026-06-02", "effectiveness_checked": "2026-09-01", "was_effective": True,
        "follow_up": None,
    }  # fmt: skip
    book = load_workbook(actions_build.outdir / "clausewise" / "clausewise.xlsx")
    cells = [[c.value or "" for c in row] for row in book["RT-ACTION"].iter_rows()]
    header = cells[0]
    row = next(r for r in cells if r[0] == "REC-ACTION-4")
    assert dict(zip(header[-9:], row[-9:], strict=True)) == {
        "raised": "2026-05-05", "source": "REC-AUDIT-1", "kind": "nonconformity", "action_owner": "ROLE-OWNER",
        "due": "2026-06-30", "closed": "2026-06-02", "effectiveness_checked": "2026-09-01", "was_effective": "yes",
        "follow_up": "",
    }  # fmt: skip


def test_the_register_shows_only_the_id_of_a_record_the_audience_may_not_read(tmp_path: Path) -> None:
    secret = action("REC-ACTION-6", "2026-05-07", source="NC-3", due="2026-10-01", classification="confidential",
                    title='"Secret-Marker-42"')  # fmt: skip
    result = build(handbook(tmp_path / "hb", {**RECORDS, "records/action/REC-ACTION-6.md": secret}), fresh=True)
    text = result.page_text("pages/actions")
    assert "Secret-Marker-42" not in result.page_html("pages/actions")
    assert "REC-ACTION-6 overdue by 53 days withheld withheld withheld withheld withheld withheld withheld " in text
    # its source and owner are not among the filters either, and the findings stay as for every audience
    assert "Every source NC-1 NC-2 PRC-001 REC-AUDIT-1 Every owner" in text
    assert ("action-overdue", "records/action/REC-ACTION-6.md", 14, "REC-ACTION-6") in result.findings


def test_the_reference_of_record_kinds_is_kind_fields(actions_build: Build) -> None:
    html = actions_build.page_html("pages/kinds")
    ids = re.findall(r'<tr[^>]* id="(kind-[^"]+)"', html)
    assert ids == [f"kind-{kind.value}-{f.name}" for kind, fields in KIND_FIELDS.items() for f in fields]
    text = actions_build.page_text("pages/kinds")
    assert (
        "Kind Field Type Must be declared Meaning action raised date yes the day the action was raised action source "
        "id yes what raised it: an audit report, incident, complaint, review or a nonconformity\u2019s id " in text
    )
    assert "audit nonconformities list of text no the ids of the nonconformities it found" in text
