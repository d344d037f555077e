"""Customer satisfaction and complaints (issue 18, item 4): survey records carry responses,
satisfaction on their type's scale and an NPS; complaint records carry the days they were
received, answered and resolved. Real builds of small handbooks in git repositories."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from clausewise.core.model import RecordKind
from clausewise.rules.customers import ComplaintState, complaint_register, satisfaction_series
from handbook import Build, build, governed, record, role, write_handbook

CUSTOMER_TYPES = """
record_types:
  - id: RT-SURVEY
    title: Customer survey
    owner: ROLE-OWNER
    cadence: quarterly
    start: 2026-01-01
    kind: survey
    scale: 1-5
    fields:
      responses: {type: integer, required: true}
      satisfaction: {type: number}
      nps: {type: integer}
  - id: RT-COMPLAINT
    title: Customer complaints
    owner: ROLE-OWNER
    cadence: per event
    allow_several: true
    kind: complaint
    fields:
      received: {type: date, required: true}
      customer: {type: text, required: true}
      responded: {type: date}
      resolved: {type: date}
"""

#: the line of 'kind: survey' in procedures/customers.md (governed()'s eleven lines, then the types)
SURVEY_KIND_LINE = 19


def customers_procedure(types: str = CUSTOMER_TYPES) -> str:
    return governed("PRC-001", "procedure", "Customer relationship", satisfies="[1.1]").replace(
        "---\n\nText.", types.rstrip() + "\n---\n\nText.\n\n```{complaint-register}\n```\n"
    )


def survey(period: str, **fields: str) -> str:
    return record(f"REC-SURVEY-{period}", "RT-SURVEY", period, produced=f"{period[:4]}-10-05", **fields)


def complaint(n: int, **fields: str) -> str:
    return record(f"REC-COMPLAINT-{n}", "RT-COMPLAINT", fields.get("received", "2026-10-01"), **fields)


#: a record's fields start at line 10 (after record()'s eight keys)
FIELD_LINE = 10

GOOD = {
    "records/survey/REC-SURVEY-2026-Q1.md": survey("2026-Q1", responses="40", satisfaction="4.1", nps="22"),
    "records/survey/REC-SURVEY-2026-Q2.md": survey("2026-Q2", responses="35", satisfaction="3.6", nps="5"),
    "records/survey/REC-SURVEY-2026-Q3.md": survey("2026-Q3", responses="52", satisfaction="4.4", nps="31"),
    # answered in time, resolved
    "records/complaint/REC-COMPLAINT-1.md": complaint(
        1, received="2026-09-01", customer="Acme Ltd", responded="2026-09-03", resolved="2026-09-20"
    ),
    # answered 14 days after: late
    "records/complaint/REC-COMPLAINT-2.md": complaint(2, received="2026-10-01", customer="Birch plc",
                                                      responded="2026-10-15"),
    # no answer after 23 days: unanswered
    "records/complaint/REC-COMPLAINT-3.md": complaint(3, received="2026-10-31", customer="Cedar GmbH"),
    # received four days ago: still within the ten days
    "records/complaint/REC-COMPLAINT-4.md": complaint(4, received="2026-11-19", customer="Dune SA"),
    # a draft is not judged
    "records/complaint/REC-COMPLAINT-5.md": complaint(5, received="2026-08-01", customer="Elm BV", status="draft"),
}  # fmt: skip


def handbook(root: Path, records: dict[str, str], types: str = CUSTOMER_TYPES, conf_extra: str = "") -> Path:
    return write_handbook(
        root,
        {
            "roles/owner.md": role(),
            "procedures/customers.md": customers_procedure(types),
            "policies/policy.md": governed("POL-001", "policy", "Policy", satisfies="[2]"),
            "pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n",
            **records,
        },
        conf_extra,
    )


MINE = ("complaint-unanswered", "complaint-answered-late", "invalid-metadata")


def mine(result: Build) -> list[tuple[str, str, int, str, str]]:
    return [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in result.report["findings"]
            if f["code"] in MINE]  # fmt: skip


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(handbook(tmp_path_factory.mktemp("customers") / "hb", GOOD), fresh=True)


def test_an_unanswered_complaint_is_a_warning_and_a_late_answer_an_info(good: Build) -> None:
    assert mine(good) == [
        ("complaint-answered-late", "records/complaint/REC-COMPLAINT-2.md", FIELD_LINE, "REC-COMPLAINT-2",
         "complaint received 2026-10-01 was answered on 2026-10-15, 14 days later (allowed: 10, "
         "setting clausewise_complaint_response_days)"),
        ("complaint-unanswered", "records/complaint/REC-COMPLAINT-3.md", FIELD_LINE, "REC-COMPLAINT-3",
         "complaint received 2026-10-31 has no answer after 23 days (allowed: 10, setting "
         "clausewise_complaint_response_days; due 2026-11-10): answer the customer and record the day as "
         "'responded: YYYY-MM-DD'"),
    ]  # fmt: skip
    severities = {f["code"]: f["severity"] for f in good.report["findings"]}
    assert (severities["complaint-unanswered"], severities["complaint-answered-late"]) == ("warning", "info")


def test_the_allowed_days_are_a_setting(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb", GOOD, conf_extra="clausewise_complaint_response_days = 30\n")
    assert mine(build(root, fresh=True)) == []


def test_the_satisfaction_series_is_the_records_values_in_period_order(good: Build) -> None:
    assert good.given is not None
    from clausewise.pipeline.assembly import assemble

    handbook_ = assemble(good.given, None)[0].handbook
    [series] = satisfaction_series(handbook_)
    assert (series.record_type, series.title, series.scale) == ("RT-SURVEY", "Customer survey", (1.0, 5.0))
    assert [(p.period, p.record_id, p.responses, p.satisfaction, p.nps) for p in series.points] == [
        ("2026-Q1", "REC-SURVEY-2026-Q1", 40, 4.1, 22),
        ("2026-Q2", "REC-SURVEY-2026-Q2", 35, 3.6, 5),
        ("2026-Q3", "REC-SURVEY-2026-Q3", 52, 4.4, 31),
    ]
    rows = complaint_register(handbook_, good.given.config.today, 10)
    assert [(r.record_id, r.state, r.late) for r in rows] == [
        ("REC-COMPLAINT-2", ComplaintState.ANSWERED, True),
        ("REC-COMPLAINT-3", ComplaintState.UNANSWERED, False),
        ("REC-COMPLAINT-4", ComplaintState.AWAITING_ANSWER, False),
        ("REC-COMPLAINT-1", ComplaintState.RESOLVED, False),
    ]
    assert RecordKind.COMPLAINT.value == "complaint"


BAD = {
    "records/survey/REC-SURVEY-2026-Q1.md": survey("2026-Q1", responses="-3", satisfaction="7", nps="140"),
    "records/survey/REC-SURVEY-2026-Q2.md": survey("2026-Q2", responses="many"),
    "records/complaint/REC-COMPLAINT-1.md": complaint(
        1, received="2026-09-10", customer="Acme Ltd", responded="2026-09-03", resolved="2026-09-01"
    ),
}


def test_values_outside_their_meaning_are_invalid_metadata_on_their_line(tmp_path: Path) -> None:
    result = build(handbook(tmp_path / "hb", BAD), fresh=True)
    q1, c1 = "records/survey/REC-SURVEY-2026-Q1.md", "records/complaint/REC-COMPLAINT-1.md"
    assert sorted(mine(result)) == sorted([
        ("invalid-metadata", "records/survey/REC-SURVEY-2026-Q2.md", FIELD_LINE, "REC-SURVEY-2026-Q2",
         "responses: 'many' is not a whole number; expected a whole number, e.g. 3"),
        ("invalid-metadata", q1, FIELD_LINE + 1, "REC-SURVEY-2026-Q1",
         "satisfaction: 7 is outside the scale 1-5 of record type RT-SURVEY; expected a score from 1 to 5"),
        ("invalid-metadata", q1, FIELD_LINE + 2, "REC-SURVEY-2026-Q1",
         "nps: 140 is outside -100 to 100; expected a net promoter score (the percentage of promoters minus that "
         "of detractors) from -100 to 100"),
        ("invalid-metadata", q1, FIELD_LINE, "REC-SURVEY-2026-Q1",
         "responses: -3 is negative; expected how many customers answered, 0 or more"),
        ("invalid-metadata", c1, FIELD_LINE + 2, "REC-COMPLAINT-1",
         "responded: 2026-09-03 is before the complaint was received (2026-09-10); expected the day it was "
         "answered, on or after 2026-09-10"),
        ("invalid-metadata", c1, FIELD_LINE + 3, "REC-COMPLAINT-1",
         "resolved: 2026-09-01 is before the complaint was received (2026-09-10); expected the day it was "
         "resolved, on or after 2026-09-10"),
    ])  # fmt: skip


def test_a_survey_type_without_a_scale_and_a_scale_elsewhere(tmp_path: Path) -> None:
    types = CUSTOMER_TYPES.replace("    scale: 1-5\n", "").replace(
        "    kind: complaint\n", "    kind: complaint\n    scale: 0-10\n"
    )
    result = build(handbook(tmp_path / "hb", {}, types), fresh=True)
    assert [(c, p, line, i, m) for c, p, line, i, m in mine(result)] == [
        ("invalid-metadata", "procedures/customers.md", SURVEY_KIND_LINE, "RT-SURVEY",
         "kind: a record type of kind 'survey' that declares the field 'satisfaction' must say the score's scale; "
         "add e.g. 'scale: 1-5' (the lowest and the highest score)"),
        ("invalid-metadata", "procedures/customers.md", 30, "RT-COMPLAINT",
         "scale: only a record type of kind 'survey' has a scale (of its satisfaction score); remove 'scale', or "
         "add 'kind: survey'"),
    ]  # fmt: skip
    types = CUSTOMER_TYPES.replace("scale: 1-5", "scale: 5-1")
    result = build(handbook(tmp_path / "hb2", {}, types), fresh=True)
    assert [f[2:] for f in mine(result)] == [
        (
            SURVEY_KIND_LINE + 1,
            "RT-SURVEY",
            "scale: '5-1' is malformed; expected the lowest and the highest score, e.g. '1-5' or '0-10'",
        )
    ]


SVG = "{http://www.w3.org/2000/svg}"


def _charts(page: str) -> dict[str, list[tuple[str, str]]]:
    """Each trend chart of a page by its title, with its points' (period, value) read back."""
    charts = {}
    for markup in re.findall(r"<svg\b.*?</svg>", page, re.S):
        root = ET.fromstring(markup)
        points = [(c.get("data-period", ""), c.get("data-value", "")) for c in root.iter(f"{SVG}circle")]
        charts[root.get("aria-label", "")] = points
    return charts


def test_the_dashboard_draws_the_records_values_and_lists_the_open_complaints(good: Build) -> None:
    page = good.page_html("pages/dashboard")
    charts = _charts(page)
    assert charts["Customer survey: satisfaction (1-5)"] == [("2026-Q1", "4.1"), ("2026-Q2", "3.6"), ("2026-Q3", "4.4")]
    assert charts["Customer survey: net promoter score"] == [("2026-Q1", "22"), ("2026-Q2", "5"), ("2026-Q3", "31")]
    text = good.page_text("pages/dashboard")
    block = text[text.index("Customer satisfaction") :]
    assert block.startswith(
        "Customer satisfaction \u00b6 Customer survey, latest 2026-Q3 ( REC-SURVEY-2026-Q3 ): satisfaction 4.4 on a "
        "scale of 1 to 5; NPS 31; 52 responses."
    )
    assert "Open complaints: 3, of which unanswered past the time to answer: 1." in block
    table = block[block.index("Received Complaint") :]
    assert table.startswith(
        "Received Complaint Customer Answered Resolved State "
        "2026-10-01 REC-COMPLAINT-2 Record 2026-10-01 Birch plc 2026-10-15 \u2014 answered, not resolved "
        "(answered late) "
        "2026-10-31 REC-COMPLAINT-3 Record 2026-10-31 Cedar GmbH \u2014 \u2014 unanswered (answer due "
        "2026-11-10) "
        "2026-11-19 REC-COMPLAINT-4 Record 2026-11-19 Dune SA \u2014 \u2014 awaiting answer (answer due "
        "2026-11-29) "
    )
    assert "REC-COMPLAINT-1" not in block  # resolved: not open
    assert 'href="../records/complaint/REC-COMPLAINT-3.html#REC-COMPLAINT-3"' in page


def test_the_complaint_register_lists_open_complaints_first_then_resolved(good: Build) -> None:
    page = good.page_html("procedures/customers")
    ids = re.findall(r'<tr class="[^"]*" id="complaint-(REC-COMPLAINT-\d)"', page)
    assert ids == ["REC-COMPLAINT-2", "REC-COMPLAINT-3", "REC-COMPLAINT-4", "REC-COMPLAINT-1"]
    assert 'id="complaint-REC-COMPLAINT-3"' in page and "clausewise-complaint-unanswered" in page
    text = good.page_text("procedures/customers")
    assert "2026-09-01 REC-COMPLAINT-1 Record 2026-09-01 Acme Ltd 2026-09-03 2026-09-20 resolved" in text
    assert "REC-COMPLAINT-5" not in text  # a draft


def test_a_dashboard_without_customer_record_types_has_no_customer_block(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {
        "roles/owner.md": role(),
        "pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n",
    })  # fmt: skip
    assert "Customer satisfaction" not in build(root, fresh=True).page_text("pages/dashboard")


def test_a_year_without_complaints_is_no_missing_record(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb", {}, conf_extra='clausewise_sms_start = "2024-01-01"\n')
    result = build(root, fresh=True)
    # the survey's quarters are missing; the complaints' type, with none in its 12 months, is not
    missing = [(f["id"], f["message"]) for f in result.report["findings"] if f["code"] == "record-missing"]
    assert missing == [
        (
            "RT-SURVEY",
            f"no record of RT-SURVEY Customer survey for 2026-{q} (due {due}); add records/survey/2026-{q}.md",
        )
        for q, due in (("Q1", "2026-04-30"), ("Q2", "2026-07-30"), ("Q3", "2026-10-30"))
    ]


def test_a_complaint_naming_its_service_gets_a_service_column(tmp_path: Path) -> None:
    types = CUSTOMER_TYPES + "      service: {type: id}\n"
    records = {"records/complaint/REC-COMPLAINT-1.md": complaint(
        1, received="2026-11-20", customer="Acme Ltd", service="POL-001")}  # fmt: skip
    result = build(handbook(tmp_path / "hb", records, types), fresh=True)
    text = result.page_text("procedures/customers")
    assert (
        "Received Complaint Customer Service Answered Resolved State 2026-11-20 REC-COMPLAINT-1 Record 2026-11-20 "
        "Acme Ltd POL-001 \u2014 \u2014 awaiting answer (answer due 2026-11-30)" in text
    )
    assert 'href="../policies/policy.html#POL-001"' in result.page_html("procedures/customers")
