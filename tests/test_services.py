"""Services and measurements (issue 18, items 1 and 2): a service declares its agreements and
metrics once (``type: service``), records carry ``measurements:``, every build checks them against
the service and its targets (``target-missed``, ``target-missed-repeatedly``), and the service's
page shows each metric's trend, its values and what is being done."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from clausewise.core.settings import ClausewiseConfig, SettingError
from clausewise.rules.measurements import service_levels
from handbook import Build, build, governed, record, role, write_handbook
from openpyxl import load_workbook

SVG = "{http://www.w3.org/2000/svg}"
WHEN = "2026-11-20T09:00:00+00:00"

SERVICE = """\
---
id: SVC-HOSTING
type: service
title: Managed hosting
owner: ROLE-OWNER
status: approved
version: "1.0"
effective: 2026-01-01
reviewed: 2026-06-01
classification: internal
agreements: [EXT-001]
metrics:
  availability: {unit: "%", target: ">= 99.9", help: Minutes up over minutes in the month}
  p1_resolution: {unit: hours, target: "<= 4"}
  tickets: {unit: tickets}
---

The hosting service.
"""
AVAILABILITY_LINE, P1_LINE = 13, 14

AGREEMENT = """\
---
id: EXT-001
type: external
title: Hosting SLA
owner: ROLE-OWNER
issuer: A customer
edition: "2026"
location: contracts/sla.pdf
status: approved
reviewed: 2026-06-01
classification: internal
---

The SLA.
"""

REPORTS = """
record_types:
  - id: RT-SERVICE-REPORT
    title: Service report
    owner: ROLE-OWNER
    cadence: monthly
    start: 2026-06-01
"""

ACTIONS = """
  - id: RT-ACTION
    title: Actions
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
"""


def procedure(record_types: str = REPORTS) -> str:
    return governed("PRC-001", "procedure", "Service reporting", satisfies="[1.1]").replace(
        "---\n\nText.", record_types.rstrip() + "\n---\n\nText."
    )


def measured(*entries: str) -> str:
    """A ``measurements:`` value, one entry a line (the key is line 10 of record(), entries from 11)."""
    return "".join(f"\n  - {{{e}}}" for e in entries)


def report(period: str, availability: str, p1: str, tickets: str = "12", produced: str = "") -> str:
    year, month = map(int, period.split("-"))
    produced = produced or (f"{year}-{month + 1:02d}-05" if month < 12 else f"{year + 1}-01-05")
    return record(
        f"REC-SERVICE-REPORT-{period}", "RT-SERVICE-REPORT", period, produced=produced,
        measurements=measured(
            f"service: SVC-HOSTING, metric: availability, achieved: {availability}",
            f"service: SVC-HOSTING, metric: p1_resolution, achieved: {p1}",
            f"service: SVC-HOSTING, metric: tickets, achieved: {tickets}",
        ),
    )  # fmt: skip


#: availability missed in 2026-07, -08 and -09 (three in a row); P1 resolution missed in 2026-10
VALUES = {
    "2026-06": ("99.95", "3.5", "10"),
    "2026-07": ("99.5", "2", "14"),
    "2026-08": ("99.6", "4", "9"),
    "2026-09": ("99.7", "3", "11"),
    "2026-10": ("99.92", "5.25", "8"),
}


def reports(values: dict[str, tuple[str, str, str]] = VALUES) -> dict[str, str]:
    return {f"records/service-report/{p}.md": report(p, *v) for p, v in values.items()}


def handbook(root: Path, files: dict[str, str], record_types: str = REPORTS, conf: str = "") -> Path:
    return write_handbook(
        root,
        {
            "roles/owner.md": role(),
            "procedures/reporting.md": procedure(record_types),
            "services/hosting.md": SERVICE,
            "external/sla.md": AGREEMENT,
            **files,
        },
        conf,
        when=WHEN,
    )


def findings_of(b: Build, *codes: str) -> list[tuple[str, str, int, str, str]]:
    return [
        (f["code"], f["path"], f["line"], f["id"], f["message"])
        for f in b.report["findings"]
        if not codes or f["code"] in codes
    ]


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(handbook(tmp_path_factory.mktemp("svc") / "hb", reports()), fresh=True)


MISSES = [
    ("target-missed", "records/service-report/2026-07.md", 11, "REC-SERVICE-REPORT-2026-07",
     "SVC-HOSTING availability in 2026-07 missed its target: achieved 99.5%, target at least 99.9%"),
    ("target-missed", "records/service-report/2026-08.md", 11, "REC-SERVICE-REPORT-2026-08",
     "SVC-HOSTING availability in 2026-08 missed its target: achieved 99.6%, target at least 99.9%"),
    ("target-missed", "records/service-report/2026-09.md", 11, "REC-SERVICE-REPORT-2026-09",
     "SVC-HOSTING availability in 2026-09 missed its target: achieved 99.7%, target at least 99.9%"),
    ("target-missed", "records/service-report/2026-10.md", 12, "REC-SERVICE-REPORT-2026-10",
     "SVC-HOSTING p1_resolution in 2026-10 missed its target: achieved 5.25 hours, target at most 4 hours"),
]  # fmt: skip
REPEATED = (
    "target-missed-repeatedly", "services/hosting.md", AVAILABILITY_LINE, "SVC-HOSTING",
    "SVC-HOSTING availability missed its target in 3 periods in a row (2026-07, 2026-08, 2026-09); raise an "
    "action (a record of kind action) whose source is SVC-HOSTING, or, if the target is wrong, change it",
)  # fmt: skip


def test_each_missed_period_and_the_repeated_miss_are_reported_exactly(good: Build) -> None:
    assert findings_of(good, "target-missed", "target-missed-repeatedly") == [*MISSES, REPEATED]
    # nothing else: the services, agreements and measurements are valid
    assert [f[0] for f in findings_of(good)] == ["uncovered-clause", *(f[0] for f in MISSES), REPEATED[0]]
    # the service is a need of its own type, and the page builds without a warning of Sphinx or sphinx-needs
    assert good.other_warnings() == []
    needs = json.loads((good.outdir / "needs.json").read_text())
    service = needs["versions"][needs["current_version"]]["needs"]["SVC-HOSTING"]
    assert (service["type"], service["title"], service["owner"]) == ("service", "Managed hosting", ["ROLE-OWNER"])
    severities = {f["code"]: f["severity"] for f in good.report["findings"]}
    assert (severities["target-missed"], severities["target-missed-repeatedly"]) == ("info", "warning")


def _charts(b: Build, docname: str) -> dict[str, list[tuple[str, str]]]:
    """Each trend chart of a page, by its title: its points' (period, value), read back from the SVG."""
    page = b.page_html(docname)
    charts = {}
    for svg in re.findall(r'<figure class="clausewise-figure clausewise-trend">(<svg.*?</svg>)</figure>', page, re.S):
        root = ET.fromstring(svg)
        charts[root.get("aria-label", "")] = [
            (c.get("data-period", ""), c.get("data-value", "")) for c in root.iter(f"{SVG}circle")
        ]
    return charts


def test_the_charts_points_are_the_records_values(good: Build) -> None:
    charts = _charts(good, "services/hosting")
    assert charts == {
        "Managed hosting: availability": [(p, v[0]) for p, v in VALUES.items()],
        "Managed hosting: p1_resolution": [(p, v[1]) for p, v in VALUES.items()],
        "Managed hosting: tickets": [(p, v[2]) for p, v in VALUES.items()],
    }


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_the_service_page_lists_exactly_its_agreements_and_measurements(good: Build) -> None:
    text = good.page_text("services/hosting")
    assert _between(text, "Agreements ¶", "Service levels") == "Agreements ¶ EXT-001 Hosting SLA "
    availability = _between(text, "availability (%)", "p1_resolution (hours)")
    assert availability.startswith(
        "availability (%) Minutes up over minutes in the month Target: at least 99.9%. Latest, 2026-10: 99.92% "
        "against at least 99.9%, met. Missed in 3 of the 5 periods measured in the audit window (the last 12 months)."
    )
    table = availability[availability.index("Period Achieved") :]
    assert table == (
        "Period Achieved Target Result Record "
        "2026-10 99.92% at least 99.9% met REC-SERVICE-REPORT-2026-10 "
        "2026-09 99.7% at least 99.9% missed REC-SERVICE-REPORT-2026-09 "
        "2026-08 99.6% at least 99.9% missed REC-SERVICE-REPORT-2026-08 "
        "2026-07 99.5% at least 99.9% missed REC-SERVICE-REPORT-2026-07 "
        "2026-06 99.95% at least 99.9% met REC-SERVICE-REPORT-2026-06 "
    )
    tickets = _between(text, "tickets (tickets)", "Suppliers")
    assert "Target" not in tickets.split("Period Achieved")[0].replace("No target", "")
    assert "2026-10 8 tickets \u2014 no target REC-SERVICE-REPORT-2026-10" in tickets
    assert _between(text, "Suppliers ¶", "Open actions") == (
        "Suppliers ¶ No supplier is recorded as supporting this service. "
    )
    assert _between(text, "Open actions ¶", "Revision history") == "Open actions ¶ No open action names this service. "
    # each period links to the record that measured it
    assert 'href="../records/service-report/2026-09.html#REC-SERVICE-REPORT-2026-09"' in good.page_html(
        "services/hosting"
    )


def action(record_id: str, closed: str = "") -> str:
    return record(
        record_id, "RT-ACTION", "2026-10-10", produced="2026-10-10", raised="2026-10-10", source="SVC-HOSTING",
        kind="nonconformity", action_owner="ROLE-OWNER", due="2026-12-31", closed=closed or '""',
    )  # fmt: skip


def test_an_open_action_that_names_the_service_answers_the_repeated_miss(tmp_path: Path) -> None:
    files = {**reports(), "records/action/REC-ACTION-1.md": action("REC-ACTION-1")}
    b = build(handbook(tmp_path / "hb", files, REPORTS + ACTIONS), fresh=True)
    assert findings_of(b, "target-missed", "target-missed-repeatedly") == MISSES
    text = b.page_text("services/hosting")
    assert _between(text, "Open actions ¶", "Revision history") == "Open actions ¶ REC-ACTION-1 Record 2026-10-10 "


def test_an_action_closed_before_the_latest_miss_does_not(tmp_path: Path) -> None:
    # closed on 2026-10-01, before the 2026-09 miss was recorded (2026-10-05)
    files = {**reports(), "records/action/REC-ACTION-1.md": action("REC-ACTION-1", closed="2026-10-01")}
    b = build(handbook(tmp_path / "hb", files, REPORTS + ACTIONS), fresh=True)
    assert findings_of(b, "target-missed", "target-missed-repeatedly") == [*MISSES, REPEATED]
    assert "No open action names this service." in b.page_text("services/hosting")


def test_the_thresholds_are_a_setting(tmp_path: Path) -> None:
    conf = "clausewise_target_misses = {'in_a_row': 4, 'in_window': 3}\n"
    b = build(handbook(tmp_path / "hb", reports(), conf=conf), fresh=True)
    assert findings_of(b, "target-missed-repeatedly") == [
        ("target-missed-repeatedly", "services/hosting.md", AVAILABILITY_LINE, "SVC-HOSTING",
         "SVC-HOSTING availability missed its target in 3 periods of the audit window (2026-07, 2026-08, 2026-09); "
         "raise an action (a record of kind action) whose source is SVC-HOSTING, or, if the target is wrong, "
         "change it"),
    ]  # fmt: skip
    quiet = build(handbook(tmp_path / "quiet", reports(), conf=conf.replace("3}", "4}")), fresh=True)
    assert findings_of(quiet, "target-missed-repeatedly") == []


def test_a_record_may_state_its_own_target_when_it_changed(tmp_path: Path) -> None:
    values = dict(VALUES)
    changed = record(
        "REC-SERVICE-REPORT-2026-09", "RT-SERVICE-REPORT", "2026-09", produced="2026-10-05",
        measurements=measured("service: SVC-HOSTING, metric: availability, achieved: 99.7, target: '>= 99.5'"),
    )  # fmt: skip
    files = {**reports(values), "records/service-report/2026-09.md": changed}
    b = build(handbook(tmp_path / "hb", files), fresh=True)
    assert [f[1] for f in findings_of(b, "target-missed")] == [
        "records/service-report/2026-07.md", "records/service-report/2026-08.md", "records/service-report/2026-10.md",
    ]  # fmt: skip
    assert findings_of(b, "target-missed-repeatedly") == []
    assert "2026-09 99.7% at least 99.5% met REC-SERVICE-REPORT-2026-09" in b.page_text("services/hosting")


BAD_ENTRIES = (
    "service: SVC-HOSTNG, metric: availability, achieved: 99.9",
    "service: SVC-HOSTING, metric: availabilty, achieved: 99.9",
    "service: SVC-HOSTING, metric: availability, achieved: 99.9, target: '99.9'",
    "service: SVC-HOSTING, metric: availability, achieved: 99.9%",
    "service: SVC-HOSTING, metric: availability, achieved: 100.5",
    "service: SVC-HOSTING, metric: tickets, achieved: 3",
)


def test_bad_measurements_are_one_finding_each_with_line_value_and_expectation(tmp_path: Path) -> None:
    bad = record(
        "REC-SERVICE-REPORT-2026-10", "RT-SERVICE-REPORT", "2026-10", produced="2026-11-05",
        measurements=measured(*BAD_ENTRIES),
    )  # fmt: skip
    service = SERVICE.replace(
        'p1_resolution: {unit: hours, target: "<= 4"}', 'p1_resolution: {unit: hours, target: "4"}'
    )
    b = build(handbook(tmp_path / "hb", {"records/service-report/2026-10.md": bad, "services/hosting.md": service}),
              fresh=True)  # fmt: skip
    path, rec = "records/service-report/2026-10.md", "REC-SERVICE-REPORT-2026-10"
    assert findings_of(b, "invalid-metadata", "unknown-reference") == [
        ("unknown-reference", path, 11, rec,
         "measurements: service 'SVC-HOSTNG' is not a service of the handbook; did you mean 'SVC-HOSTING'?"),
        ("unknown-reference", path, 12, rec,
         "measurements: 'availabilty' is not a metric of SVC-HOSTING (services/hosting.md); did you mean "
         "'availability'? (or add it under the service's metrics)"),
        ("invalid-metadata", path, 13, rec,
         "target: '99.9' has no direction: say whether a period must reach it or stay within it; expected a "
         "direction and a number, quoted, e.g. '>= 99.9' (at least) or '<= 4' (at most)"),
        ("invalid-metadata", path, 14, rec,
         "achieved: '99.9%' is not a number; expected a number without its unit, e.g. 99.95 (the unit is the "
         "metric's)"),
        ("invalid-metadata", path, 15, rec,
         "measurements: achieved 100.5 of SVC-HOSTING availability is not a percentage; the metric is counted in "
         "'%', from 0 to 100"),
        ("invalid-metadata", "services/hosting.md", P1_LINE, "SVC-HOSTING",
         "target: '4' has no direction: say whether a period must reach it or stay within it; expected a "
         "direction and a number, quoted, e.g. '>= 99.9' (at least) or '<= 4' (at most)"),
    ]  # fmt: skip
    # the one valid entry still counts; the invalid ones are left out of the page
    text = b.page_text("services/hosting")
    assert "2026-10 3 tickets" in text and "100.5" not in text


def test_an_agreement_that_names_nothing(tmp_path: Path) -> None:
    service = SERVICE.replace("agreements: [EXT-001]", "agreements: [EXT-001, EXT-009]")
    b = build(handbook(tmp_path / "hb", {"services/hosting.md": service}), fresh=True)
    assert findings_of(b, "unknown-reference") == [
        ("unknown-reference", "services/hosting.md", 11, "SVC-HOSTING",
         "agreements: 'EXT-009' is not an id of a document in the handbook; did you mean 'EXT-001'?"),
    ]  # fmt: skip


def test_a_miss_before_the_audit_window_is_history(tmp_path: Path) -> None:
    # a year on, the window (2026-09-02 to 2027-09-01) holds the records produced from September 2026
    b = build(handbook(tmp_path / "hb", reports()), today="2027-09-01", fresh=True)
    assert findings_of(b, "target-missed", "target-missed-repeatedly") == MISSES[1:]
    # the chart and the table still show every period
    assert [p for p, _ in _charts(b, "services/hosting")["Managed hosting: availability"]] == list(VALUES)
    assert "Missed in 2 of the 3 periods measured in the audit window" in b.page_text("services/hosting")


def test_the_measurements_are_exported_one_row_each(good: Build) -> None:
    with (good.outdir / "clausewise" / "measurements.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "service", "service_title", "metric", "unit", "period", "achieved", "target", "result", "record",
        "produced", "path",
    ]  # fmt: skip
    assert len(rows) == 1 + 3 * len(VALUES)
    assert rows[1] == [
        "SVC-HOSTING", "Managed hosting", "availability", "%", "2026-06", "99.95", ">= 99.9", "met",
        "REC-SERVICE-REPORT-2026-06", "2026-07-05", "records/service-report/2026-06.md",
    ]  # fmt: skip
    assert rows[2][4:8] == ["2026-07", "99.5", ">= 99.9", "missed"]
    assert rows[-1][2:8] == ["tickets", "tickets", "2026-10", "8", "", ""]
    book = load_workbook(good.outdir / "clausewise" / "clausewise.xlsx")
    assert book.sheetnames == ["Matrix", "Documents", "Records", "Findings", "Measurements"]
    assert [list(r) for r in book["Measurements"].iter_rows(values_only=True)][:2] == rows[:2]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"in_a_row": 0}, "conf.py: clausewise_target_misses['in_a_row'] is 0; expected a whole number from 1 to "
                          "1000, e.g. {'in_a_row': 3, 'in_window': 4}"),
        ({"in_row": 3}, "conf.py: clausewise_target_misses has the key 'in_row', which is not one; the keys are "
                        "'in_a_row' and 'in_window' (numbers of missed periods), e.g. {'in_a_row': 3, 'in_window': 4}"),
        ({"in_window": "4"}, "conf.py: clausewise_target_misses['in_window'] is '4'; expected a whole number from 1 "
                             "to 1000, e.g. {'in_a_row': 3, 'in_window': 4}"),
    ],
)  # fmt: skip
def test_the_thresholds_setting_refuses_what_it_cannot_use(value: object, message: str) -> None:
    with pytest.raises(SettingError) as refused:
        ClausewiseConfig.from_values({"clausewise_target_misses": value}, {})
    assert str(refused.value) == message
    default = ClausewiseConfig.from_values({}, {}).target_misses
    assert (default.in_a_row, default.in_window) == (3, 4)


def test_a_dashboard_sums_up_each_metric_from_the_same_series(good: Build) -> None:
    assert good.given is not None
    from clausewise.pipeline.assembly import assemble

    result, _ = assemble(good.given, None)
    levels = service_levels(result.handbook, result.config.today, result.config.audit_window)
    assert [
        (lv.series.metric.name, lv.latest.period if lv.latest else None, lv.latest_met, lv.measured_in_window,
         lv.missed_in_window)
        for lv in levels
    ] == [
        ("availability", "2026-10", True, 5, 3),
        ("p1_resolution", "2026-10", False, 5, 1),
        ("tickets", "2026-10", None, 5, 0),
    ]  # fmt: skip
