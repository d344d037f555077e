"""Structured record fields (issue 17, part 1): a record type declares the fields its records
carry (``fields:``), every build checks each record's values against them, and the values reach
the record's page, sphinx-needs (as need fields with schemas) and the exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from handbook import Build, build, governed, record, role, write_handbook
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
            **records,
        },
    )


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
        "hours 3 audited 1.1 , 2 notes Fix the <b>plan</b> "
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


def test_the_exports_have_a_table_per_record_type_with_fields(good: Build) -> None:
    header = ["id", "title", "period", "produced", "produced_by", "status", "path", "raised", "kind", "source",
              "due", "verified", "cost", "hours", "audited", "notes"]  # fmt: skip
    rows = [
        ["REC-ACTION-1", "Record 2026-10-01", "2026-10-01", "2026-10-05", "A. Person", "current",
         "records/action/REC-ACTION-1.md", "2026-10-01", "nonconformity", "POL-001", "2026-12-01", "yes", "12.5",
         "3", "1.1; 2", "Fix the <b>plan</b>"],
        ["REC-ACTION-2", "Record 2026-10-01", "2026-10-01", "2026-10-05", "A. Person", "current",
         "records/action/REC-ACTION-2.md", "2026-10-02", "improvement", "", "", "", "", "", "", ""],
    ]  # fmt: skip
    with (good.outdir / "clausewise" / "records-RT-ACTION.csv").open(newline="") as file:
        assert list(csv.reader(file)) == [header, *rows]
    book = load_workbook(good.outdir / "clausewise" / "clausewise.xlsx")
    assert book.sheetnames[-1] == "RT-ACTION"
    cells = [[c.value or "" for c in row] for row in book["RT-ACTION"].iter_rows()]
    assert cells == [header, *rows]
