"""Structured record fields (issue 17, part 1): a record type declares the fields its records
carry (``fields:``), every build checks each record's values against them, and the values reach
the record's page, sphinx-needs (as need fields with schemas) and the exports."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from clausewise.core.model import FieldType, RecordField
from clausewise.sphinxext import scan
from handbook import Build, build, governed, ok, record, role, run_clausewise, write_handbook
from openpyxl import load_workbook

FIELDS = """
record_types:
  - id: RT-ACTION
    title: Corrective actions
    owner: ROLE-OWNER
    cadence: per event
    fields:
      raised: {type: date, required: true, help: the day it was raised}
      kind:
        type: choice
        values: [nonconformity, observation, improvement]
        required: true
      source: {type: id}
      due: {type: date}
      verified: {type: boolean}
      cost: {type: number}
      hours: {type: integer}
      audited: {type: list of clause}
      notes: {type: text}
      closed_on: {type: date}
"""

#: the lines of the fields' names in procedures/actions.md (after governed()'s eleven lines and 'record_types:')
RAISED_LINE = 18


def actions_procedure(fields: str = FIELDS) -> str:
    return governed(
        "PRC-001", "procedure", "Actions", **{"satisfies": "[1.1]", fields.strip().split(":")[0]: None}
    ).replace("---\n\nText.", fields.rstrip() + "\n---\n\nText.")


def handbook(tmp_path: Path, records: dict[str, str], fields: str = FIELDS) -> Path:
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "procedures/actions.md": actions_procedure(fields),
            "policies/policy.md": governed("POL-001", "policy", "Policy", satisfies="[2]"),
            "pages/open-actions.md": OPEN_ACTIONS,
            **records,
        },
    )


#: a needtable that filters and shows records by their fields
OPEN_ACTIONS = """\
# Open nonconformities

```{needtable}
:filter: type == "record" and kind == "nonconformity" and not closed_on
:columns: id, raised, due, audited
```
"""


def action(record_id: str, **fields: str) -> str:
    return record(record_id, "RT-ACTION", "2026-10-01", **fields)


GOOD = {
    "records/action/REC-ACTION-1.md": action(
        "REC-ACTION-1", raised="2026-10-01", kind="nonconformity", source="POL-001", due="2026-12-01",
        verified="yes", cost="12.5", hours="3", audited="[1.1, 2]", notes='"Fix the <b>plan</b>"',
    ),
    "records/action/REC-ACTION-2.md": action("REC-ACTION-2", raised="2026-10-02", kind="improvement", due=""),
}  # fmt: skip


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(handbook(tmp_path_factory.mktemp("fields"), GOOD), fresh=True)


def test_the_fields_and_the_records_are_clean(good: Build) -> None:
    found = [(f["code"], f["line"], f["message"]) for f in good.report["findings"]]
    assert [f for f in found if f[0] != "uncovered-clause"] == []


def test_the_record_page_shows_the_fields_above_the_prose(good: Build) -> None:
    text = good.page_text("records/action/REC-ACTION-1")
    table = text[text.index("Field Value") : text.index("Record text.")]
    assert table == (
        "Field Value raised 2026-10-01 kind nonconformity source POL-001 due 2026-12-01 verified yes cost 12.5 "
        "hours 3 audited 1.1 , 2 notes Fix the <b>plan</b> closed_on \u2014 "
    )
    # text stays text
    assert "Fix the &lt;b&gt;plan&lt;/b&gt;" in good.page_html("records/action/REC-ACTION-1")
    # under the status box
    assert text.index("Produced by") < text.index("Field Value")
    # an id links to what it names
    assert 'href="../../policies/policy.html#POL-001"' in good.page_html("records/action/REC-ACTION-1")
    second = good.page_text("records/action/REC-ACTION-2")
    assert "Field Value raised 2026-10-02 kind improvement source \u2014 due \u2014 verified \u2014" in second


def test_the_fields_reach_sphinx_needs_with_schemas(good: Build) -> None:
    needs = json.loads((good.outdir / "needs.json").read_text())
    version = needs["versions"][needs["current_version"]]
    one = version["needs"]["REC-ACTION-1"]
    names = ("raised", "kind", "source", "due", "verified", "cost", "hours", "audited", "notes")
    assert {k: one[k] for k in names} == {
        "raised": "2026-10-01", "kind": "nonconformity", "source": "POL-001", "due": "2026-12-01",
        "verified": True, "cost": 12.5, "hours": 3, "audited": ["1.1", "2"], "notes": "Fix the <b>plan</b>",
    }  # fmt: skip
    two = version["needs"]["REC-ACTION-2"]
    assert (two["raised"], two["kind"], two["due"], two["verified"]) == ("2026-10-02", "improvement", None, None)
    schema = version["needs_schema"]["properties"]
    assert {name: schema[name]["type"] for name in ("raised", "kind", "verified", "cost", "hours", "audited")} == {
        "raised": ["string", "null"], "kind": ["string", "null"], "verified": ["boolean", "null"],
        "cost": ["number", "null"], "hours": ["integer", "null"], "audited": ["array", "null"],
    }  # fmt: skip
    assert schema["raised"]["description"] == "the day it was raised"


def test_a_needtable_filters_and_shows_the_fields(good: Build) -> None:
    text = good.page_text("pages/open-actions")
    # REC-ACTION-2 is an improvement: filtered out
    table = text[text.index("ID Raised") : text.index("Test handbook Navigation")]
    assert table == "ID Raised Due Audited REC-ACTION-1 2026-10-01 2026-12-01 1.1 ; 2 "


def test_the_exports_have_a_table_per_record_type_with_fields(good: Build) -> None:
    header = ["id", "title", "period", "produced", "produced_by", "status", "path", "raised", "kind", "source",
              "due", "verified", "cost", "hours", "audited", "notes", "closed_on"]  # fmt: skip
    rows = [
        ["REC-ACTION-1", "Record 2026-10-01", "2026-10-01", "2026-10-05", "A. Person", "current",
         "records/action/REC-ACTION-1.md", "2026-10-01", "nonconformity", "POL-001", "2026-12-01", "yes", "12.5",
         "3", "1.1; 2", "Fix the <b>plan</b>", ""],
        ["REC-ACTION-2", "Record 2026-10-01", "2026-10-01", "2026-10-05", "A. Person", "current",
         "records/action/REC-ACTION-2.md", "2026-10-02", "improvement", "", "", "", "", "", "", "", ""],
    ]  # fmt: skip
    with (good.outdir / "clausewise" / "records-RT-ACTION.csv").open(newline="") as file:
        assert list(csv.reader(file)) == [header, *rows]
    book = load_workbook(good.outdir / "clausewise" / "clausewise.xlsx")
    assert book.sheetnames[-1] == "RT-ACTION"
    cells = [[c.value or "" for c in row] for row in book["RT-ACTION"].iter_rows()]
    assert cells == [header, *rows]


def test_check_reads_the_fields_as_the_build_does(good: Build) -> None:
    scanned = scan.scan(good.srcdir, date(2026, 11, 23))
    assert good.given is not None
    assert scanned.given.pages == good.given.pages
    assert good.given.pages["records/action/REC-ACTION-1"].item.fields[0] == RecordField(  # type: ignore[union-attr]
        "raised", FieldType.DATE, (date(2026, 10, 1),), False, 10, (10,)
    )


def test_fields_of_one_name_have_one_type(tmp_path: Path) -> None:
    other = FIELDS.replace("RT-ACTION", "RT-AUDIT").replace("Corrective actions", "Audits")
    other = other.replace("due: {type: date}", "due: {type: integer}").replace("record_types:\n", "record_types:\n", 1)
    root = handbook(tmp_path, {"records/action/REC-ACTION-1.md": GOOD["records/action/REC-ACTION-1.md"]})
    (root / "procedures/audits.md").write_text(
        governed("PRC-002", "procedure", "Audits", satisfies="[1.1]").replace(
            "---\n\nText.", other.rstrip() + "\n---\n\nText."
        )
    )
    (root / "records/audit").mkdir()
    (root / "records/audit/REC-AUDIT-1.md").write_text(
        record("REC-AUDIT-1", "RT-AUDIT", "2026-10-01", raised="2026-10-01", kind="observation", due="5")
    )
    result = build(root, fresh=True)
    found = [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in result.report["findings"]]
    assert [f for f in found if f[0] not in {"uncovered-clause", "uncommitted"}] == [
        # the first declaration in page order (procedures/actions.md) keeps the name's type
        ("invalid-metadata", "procedures/audits.md", 25, "RT-AUDIT",
         "fields: 'due' is of type integer here, but of type date in record type RT-ACTION "
         "(procedures/actions.md:25); fields of one name are one need field in sphinx-needs, with one type: give "
         "it the type 'date', or another name"),
    ]  # fmt: skip
    needs = json.loads((result.outdir / "needs.json").read_text())
    version = needs["versions"][needs["current_version"]]
    assert version["needs"]["REC-ACTION-1"]["due"] == "2026-12-01"
    assert version["needs"]["REC-AUDIT-1"]["due"] is None
    # the page and the exports show the record's own value all the same
    assert "due 5 " in result.page_text("records/audit/REC-AUDIT-1")


def test_a_withheld_record_keeps_its_fields_back(tmp_path: Path) -> None:
    secret = action("REC-ACTION-3", raised="2026-10-03", kind="observation", notes="Secret-Marker-42",
                    classification="confidential")  # fmt: skip
    result = build(handbook(tmp_path, {"records/action/REC-ACTION-3.md": secret}), fresh=True)
    assert "Secret-Marker-42" not in result.page_html("records/action/REC-ACTION-3")
    assert "Field Value" not in result.page_text("records/action/REC-ACTION-3")
    needs = (result.outdir / "needs.json").read_text()
    assert "Secret-Marker-42" not in needs
    with (result.outdir / "clausewise" / "records-RT-ACTION.csv").open(newline="") as file:
        rows = list(csv.reader(file))
    assert rows[1][7:] == ["withheld"] * 10
    # the findings are the same for every audience: the record is still read against its fields
    assert [f for f in result.findings if f[0] == "invalid-metadata"] == []


def test_a_changed_declaration_reads_the_records_again(tmp_path: Path) -> None:
    root = handbook(tmp_path, GOOD)
    build(root, fresh=True)
    page = root / "procedures/actions.md"
    # a type changed, and a field added: its need field is new to sphinx-needs
    declared = page.read_text().replace("notes: {type: text}", "notes: {type: integer}")
    page.write_text(declared.replace("      closed_on:", "      reviewer: {type: text}\n      closed_on:"))
    record_page = root / "records/action/REC-ACTION-2.md"
    record_page.write_text(record_page.read_text().replace("due: \n", "due: \nreviewer: A. Auditor\n"))
    again = build(root)
    needs = json.loads((again.outdir / "needs.json").read_text())
    version = needs["versions"][needs["current_version"]]
    assert version["needs"]["REC-ACTION-2"]["reviewer"] == "A. Auditor"
    assert version["needs"]["POL-001"]["reviewer"] is None
    assert version["needs"]["MINI-1-1"]["reviewer"] is None
    assert [
        (f["path"], f["line"], f["message"]) for f in again.report["findings"] if f["code"] == "invalid-metadata"
    ] == [
        (
            "records/action/REC-ACTION-1.md",
            18,
            "notes: 'Fix the <b>plan</b>' is not a whole number; expected a whole number, e.g. 3",
        )
    ]


def test_the_reserved_names_are_sphinx_needs_and_clausewise_own() -> None:
    from clausewise.sources.schema import RESERVED_FIELD_NAMES
    from clausewise.sphinxext.needs_config import NEEDS_FIELDS, NEEDS_LINKS
    from sphinx_needs.data import NeedsCoreFields

    links = set(NEEDS_LINKS) | {f"{name}_back" for name in NEEDS_LINKS}
    assert set(NeedsCoreFields) | set(NEEDS_FIELDS) | links == RESERVED_FIELD_NAMES


def test_a_new_record_lists_the_fields_and_a_draft_may_leave_them_empty(tmp_path: Path) -> None:
    root = handbook(tmp_path, GOOD)
    said = ok(
        run_clausewise(
            "new",
            "record",
            "RT-ACTION",
            "--period",
            "2026-11-20",
            "--produced-by",
            "A. Lead",
            cwd=root,
            today="2026-11-23",
        )
    )
    path = said[0].split()[1].rstrip(":")
    text = (root / path).read_text()
    assert text.split("---")[1].splitlines()[-10:] == [
        "raised:", "kind:", "source:", "due:", "verified:", "cost:", "hours:", "audited:", "notes:", "closed_on:",
    ]  # fmt: skip
    draft = build(root, fresh=True)
    assert [f for f in draft.findings if f[0] == "invalid-metadata"] == []
    (root / path).write_text(text.replace("status: draft", "status: current"))
    approved = build(root)
    assert [(f["line"], f["message"]) for f in approved.report["findings"] if f["code"] == "invalid-metadata"] == [
        (12, "field 'raised', which record type RT-ACTION requires, is empty; add 'raised: ...' with a date as "
             "YYYY-MM-DD, e.g. 2026-02-28 (the day it was raised)"),
        (13, "field 'kind', which record type RT-ACTION requires, is empty; add 'kind: ...' with one of "
             "nonconformity, observation, improvement"),
    ]  # fmt: skip


def test_a_misspelt_required_field_is_one_finding() -> None:
    from clausewise.core.ids import IdScheme
    from clausewise.core.model import FieldSpec, Source
    from clausewise.sources import frontmatter, metadata

    text = record("REC-ACTION-9", "RT-ACTION", "2026-10-01", rased="2026-10-01")
    declared = {"RT-ACTION": (FieldSpec("raised", FieldType.DATE, False, True, (), "", 18),)}
    item, findings = metadata.read_governed(
        frontmatter.parse(text), Source("records/a.md", "records/a", 1), IdScheme(), declared=declared
    )
    assert [(f.line, f.message) for f in findings] == [
        (10, "unknown key 'rased' in a record's front matter; did you mean 'raised'?")
    ]
    assert item is not None and item.fields == ()  # type: ignore[union-attr]


ACTION_KIND = """
record_types:
  - id: RT-ACTION
    title: Corrective actions
    owner: ROLE-OWNER
    cadence: per event
    kind: action
    fields:
      raised: {type: date, required: true}
      source: {type: id}
      kind: {type: choice, values: [nonconformity, observation, improvement]}
      action_owner: {type: id}
      due: {type: text}
"""


def test_a_record_type_of_a_kind_declares_the_fields_the_kind_reads(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, {}, ACTION_KIND), fresh=True)
    kind_line, due_line = RAISED_LINE, RAISED_LINE + 6
    findings = [f for f in result.report["findings"] if f["code"] == "invalid-metadata"]
    assert [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in findings] == [
        ("invalid-metadata", "procedures/actions.md", kind_line, "RT-ACTION",
         "kind: a record type of kind 'action' must declare the field 'closed' (the day it was closed; empty "
         "while open); add 'closed: {type: date}' under its fields"),
        ("invalid-metadata", "procedures/actions.md", due_line, "RT-ACTION",
         "fields: 'due' is of type text, but a record type of kind 'action' reads it as date (the day it must "
         "be closed by); give it the type 'date'"),
    ]  # fmt: skip
