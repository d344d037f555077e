"""The management dashboard (issue 18, item 5): ``{management-dashboard}`` sums up, for top
management, service levels against their targets with trends, the critical suppliers and their
contracts, customer satisfaction, open actions and what is overdue, each linked to its detail; and
a supplier page's measured performance (``rules.suppliers.performance_of``)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from handbook import Build, build, governed, record, role, write_handbook

SVG = "{http://www.w3.org/2000/svg}"
WHEN = "2026-11-20T09:00:00+00:00"


def service(svc_id: str, title: str, metric: str) -> str:
    return governed(svc_id, "service", title, satisfies=None, agreements="[]", metrics=f"\n  {metric}")


TYPES = """
record_types:
  - id: RT-SERVICE-REPORT
    title: Service report
    owner: ROLE-OWNER
    cadence: monthly
    start: 2026-08-01
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
  - id: RT-SUPPLIER-REVIEW
    title: Supplier reviews
    owner: ROLE-OWNER
    cadence: per event
    kind: supplier-review
    fields:
      suppliers: {type: list of id, required: true}
"""


def supplier(sup_id: str, title: str, criticality: str, end: str, services: str) -> str:
    return governed(
        sup_id, "supplier", title, satisfies=None, criticality=criticality, contract_start="2025-01-01",
        contract_end=end, services=services,
    )  # fmt: skip


def report(period: str, availability: str, p1: str) -> str:
    year, month = map(int, period.split("-"))
    return record(
        f"REC-SERVICE-REPORT-{period}", "RT-SERVICE-REPORT", period, produced=f"{year}-{month + 1:02d}-05",
        measurements=f"\n  - {{service: SVC-HOSTING, metric: availability, achieved: {availability}}}"
        f"\n  - {{service: SVC-DESK, metric: p1_resolution, achieved: {p1}}}",
    )  # fmt: skip


#: hosting misses its target in the latest period (2026-10); the desk missed in 2026-09 only
VALUES = {"2026-08": ("99.95", "3.5"), "2026-09": ("99.92", "5"), "2026-10": ("99.5", "2")}
SURVEYS = {"2026-Q1": "4.1", "2026-Q2": "3.6", "2026-Q3": "4.4"}

MANAGEMENT_PAGE = "# Management\n\n```{management-dashboard}\n```\n"

FULL = {
    "procedures/operations.md": governed("PRC-001", "procedure", "Operations").replace(
        "---\n\nText.", TYPES.strip() + "\n---\n\nText."
    ),
    "services/hosting.md": service("SVC-HOSTING", "Managed hosting", 'availability: {unit: "%", target: ">= 99.9"}'),
    "services/desk.md": service("SVC-DESK", "Service desk", 'p1_resolution: {unit: hours, target: "<= 4"}'),
    # critical, its contract ends in 98 days: expiring
    "suppliers/alpha.md": supplier("SUP-ALPHA", "Alpha Hosting", "critical", "2027-03-01", "[SVC-HOSTING]"),
    # high, never reviewed since its contract started: its review was due 2026-01-01
    "suppliers/beta.md": supplier("SUP-BETA", "Beta Telecom", "high", "2028-12-31", "[SVC-DESK]"),
    "records/supplier-review/2026-10-05.md": record(
        "REC-SR-2026-10-05", "RT-SUPPLIER-REVIEW", "2026-10-05", suppliers="[SUP-ALPHA]"
    ),
    **{f"records/service-report/{p}.md": report(p, *v) for p, v in VALUES.items()},
    **{
        f"records/survey/{p}.md": record(
            f"REC-SURVEY-{p}",
            "RT-SURVEY",
            p,
            produced=f"{p[:4]}-{3 * int(p[-1]) + 1:02d}-10",
            responses="30",
            satisfaction=score,
        )
        for p, score in SURVEYS.items()
    },
    # open, due 2026-11-01: overdue by 22 days
    "records/action/REC-ACTION-1.md": record(
        "REC-ACTION-1",
        "RT-ACTION",
        "2026-09-10",
        title="Fix the storage failover",
        produced="2026-09-10",
        raised="2026-09-10",
        source="SVC-HOSTING",
        kind="improvement",
        action_owner="ROLE-OWNER",
        due="2026-11-01",
    ),
    "pages/management.md": MANAGEMENT_PAGE,
    "pages/actions.md": "# Actions\n\n```{action-register}\n```\n",
    "pages/suppliers.md": "# Suppliers\n\n```{supplier-register}\n```\n",
    "pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n",
}


def handbook(root: Path, files: dict[str, str]) -> Path:
    return write_handbook(root, {"roles/owner.md": role(), **files}, when=WHEN)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(handbook(tmp_path_factory.mktemp("mgmt") / "hb", FULL), fresh=True)


def section(b: Build, docname: str, ident: str) -> str:
    """The visible text of one section of a page, whitespace folded, without the headings' pilcrows."""
    page = b.page_html(docname)
    m = re.search(rf'<section[^>]*id="{ident}"[^>]*>(.*?)</section>', page, re.S)
    assert m, ident
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", m.group(1), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body).replace("\u00b6", " ").replace("&#8212;", "\u2014")
    return " ".join(text.split())


def links(b: Build, docname: str, ident: str) -> list[tuple[str, str]]:
    """(href, text) of each link of one section of a page."""
    page = b.page_html(docname)
    m = re.search(rf'<section[^>]*id="{ident}"[^>]*>(.*?)</section>', page, re.S)
    assert m, ident
    return [
        (href, " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for href, text in re.findall(r'<a class="reference internal" href="([^"]*)"[^>]*>(.*?)</a>', m.group(1), re.S)
        if "headerlink" not in href
    ]


def charts(b: Build, docname: str) -> dict[str, list[tuple[str, str]]]:
    """Each chart of a page by its title: its points' (period, value), read back from the SVG."""
    out = {}
    for svg in re.findall(
        r'<figure class="clausewise-figure[^"]*">(<svg.*?</svg>)</figure>', b.page_html(docname), re.S
    ):
        root = ET.fromstring(svg)
        out[root.get("aria-label", "")] = [
            (c.get("data-period", ""), c.get("data-value", "")) for c in root.iter(f"{SVG}circle")
        ]
    return out


PAGE = "pages/management"


def test_each_section_says_exactly_what_the_handbook_holds(full: Build) -> None:
    assert section(full, PAGE, "management-service-levels") == (
        "Service levels 1 of 2 measured targets met in their latest period. Misses are counted in the audit "
        "window (the last 12 months); each service's page has its values. "
        "Service Metric Latest Target Result Missed in the audit window "
        "SVC-DESK Service desk p1_resolution 2 hours (2026-10) at most 4 hours met 1 of 3 "
        "SVC-HOSTING Managed hosting availability 99.5% (2026-10) at least 99.9% missed 1 of 3"
    )
    # the high supplier with a distant contract is not a key supplier; the critical one is, expiring
    assert section(full, PAGE, "management-suppliers") == (
        "Critical suppliers and contracts The critical suppliers and every contract ending within the notice "
        "period, soonest first; all suppliers are in the supplier register . "
        "Supplier Criticality Contract ends Next review due "
        "SUP-ALPHA Alpha Hosting critical 2027-03-01 (98 days left, expiring) 2027-10-05"
    )
    # no record type of kind complaint: no line on complaints
    assert section(full, PAGE, "management-customers") == (
        "Customer satisfaction Customer survey, latest 2026-Q3 ( REC-SURVEY-2026-Q3 ): satisfaction 4.4 on a "
        "scale of 1 to 5; 30 responses."
    )
    assert section(full, PAGE, "management-actions") == (
        "Open actions 1 open action, 1 overdue; the oldest was raised 74 days ago, the median 74 days ago. "
        "See the action register ."
    )
    assert section(full, PAGE, "management-overdue") == (
        "Overdue Overdue: 1 action and 1 supplier review. By due date; everything due soon is on the dashboard . "
        "Due What Item Owner 2026-01-01 supplier review SUP-BETA Beta Telecom Owner "
        "2026-11-01 action REC-ACTION-1 Fix the storage failover Owner"
    )
    # what the page sums up is what the build reports
    assert sorted(c for c, *_ in full.findings if c != "uncovered-clause") == [
        "action-overdue", "contract-expiring", "supplier-review-missing", "target-missed", "target-missed",
    ]  # fmt: skip
    assert full.other_warnings() == []


def test_each_section_links_to_its_detail(full: Build) -> None:
    assert links(full, PAGE, "management-service-levels") == [
        ("../services/desk.html#svc-desk-p1-resolution", "SVC-DESK Service desk"),
        ("../services/hosting.html#svc-hosting-availability", "SVC-HOSTING Managed hosting"),
    ]
    # the anchors are the service pages' tables of the metric's values
    assert 'id="svc-hosting-availability"' in full.page_html("services/hosting")
    assert 'id="svc-desk-p1-resolution"' in full.page_html("services/desk")
    assert links(full, PAGE, "management-suppliers") == [
        ("suppliers.html", "supplier register"),
        ("../suppliers/alpha.html#SUP-ALPHA", "SUP-ALPHA Alpha Hosting"),
    ]
    assert links(full, PAGE, "management-customers") == [
        ("../records/survey/2026-Q3.html#REC-SURVEY-2026-Q3", "REC-SURVEY-2026-Q3")
    ]
    assert links(full, PAGE, "management-actions") == [("actions.html", "action register")]
    assert links(full, PAGE, "management-overdue") == [
        ("dashboard.html", "dashboard"),
        ("../suppliers/beta.html#SUP-BETA", "SUP-BETA Beta Telecom"),
        ("../roles/owner.html#ROLE-OWNER", "Owner"),
        ("../records/action/REC-ACTION-1.html#REC-ACTION-1", "REC-ACTION-1 Fix the storage failover"),
        ("../roles/owner.html#ROLE-OWNER", "Owner"),
    ]


def test_the_charts_points_are_the_records_values(full: Build) -> None:
    assert charts(full, PAGE) == {
        "Service desk: p1_resolution": [(p, v[1]) for p, v in VALUES.items()],
        "Managed hosting: availability": [(p, v[0]) for p, v in VALUES.items()],
        "Customer survey: satisfaction (1-5)": list(SURVEYS.items()),
    }
    # a missed period is marked by its shape (hollow) as well as in words
    hosting = next(s for s in re.findall(r"(<svg.*?</svg>)", full.page_html(PAGE), re.S) if "Managed hosting" in s)
    fills = [c.get("fill") for c in ET.fromstring(hosting).iter(f"{SVG}circle")]
    assert fills[-1] == "#fff" and fills[0] != "#fff"


def test_a_supplier_page_shows_the_measured_performance_of_its_services(full: Build) -> None:
    text = full.page_text("suppliers/alpha")
    part = text.split("Measured performance", 1)[1].split("Revision history", 1)[0]
    assert " ".join(part.split()) == (
        "Service Metric Latest Target Result Missed in the audit window "
        "SVC-HOSTING Managed hosting availability 99.5% (2026-10) at least 99.9% missed 1 of 3"
    )
    beta = full.page_text("suppliers/beta").split("Measured performance", 1)[1].split("Revision history", 1)[0]
    assert " ".join(beta.split()) == (
        "Service Metric Latest Target Result Missed in the audit window "
        "SVC-DESK Service desk p1_resolution 2 hours (2026-10) at most 4 hours met 1 of 3"
    )
    assert '<a class="reference internal" href="../services/hosting.html#svc-hosting-availability">' in (
        full.page_html("suppliers/alpha")
    )


def test_a_handbook_without_services_suppliers_surveys_or_actions_gets_one_line_each(tmp_path: Path) -> None:
    bare = build(
        handbook(tmp_path / "hb", {"policies/policy.md": governed("POL-001", "policy", "Policy"),
                                   "pages/management.md": MANAGEMENT_PAGE}),
        fresh=True,
    )  # fmt: skip
    assert " ".join(bare.page_text(PAGE).split("Management \u00b6", 1)[1].split("Test handbook")[0].split()) == (
        "As of 2026-11-23. "
        "Service levels \u00b6 No services are declared (pages of type: service). "
        "Critical suppliers and contracts \u00b6 No suppliers are recorded (pages of type: supplier). "
        "Customer satisfaction \u00b6 No customer surveys or complaints are recorded (record types of kind survey "
        "or complaint). "
        "Open actions \u00b6 No actions are recorded (record types of kind action). "
        "Overdue \u00b6 Nothing is overdue."
    )
    assert bare.other_warnings() == []


def test_values_the_audience_may_not_read_are_left_out(tmp_path: Path) -> None:
    files = dict(FULL)
    files["records/service-report/2026-10.md"] = files["records/service-report/2026-10.md"].replace(
        "classification: internal", "classification: confidential"
    )
    files["records/survey/2026-Q3.md"] = files["records/survey/2026-Q3.md"].replace(
        "classification: internal", "classification: confidential"
    )
    files["records/action/REC-ACTION-1.md"] = files["records/action/REC-ACTION-1.md"].replace(
        "classification: internal", "classification: confidential"
    )
    b = build(handbook(tmp_path / "hb", files), fresh=True)
    assert section(b, PAGE, "management-service-levels") == (
        "Service levels 1 of 2 measured targets met in their latest period. Misses are counted in the audit "
        "window (the last 12 months); each service's page has its values. "
        "Service Metric Latest Target Result Missed in the audit window "
        "SVC-DESK Service desk p1_resolution 5 hours (2026-09) at most 4 hours missed 1 of 2 "
        "SVC-HOSTING Managed hosting availability 99.92% (2026-09) at least 99.9% met 0 of 2 "
        "2 values from records this audience may not read are left out."
    )
    assert charts(b, PAGE) == {
        "Service desk: p1_resolution": [("2026-08", "3.5"), ("2026-09", "5")],
        "Managed hosting: availability": [("2026-08", "99.95"), ("2026-09", "99.92")],
        "Customer survey: satisfaction (1-5)": [("2026-Q1", "4.1"), ("2026-Q2", "3.6")],
    }
    assert section(b, PAGE, "management-customers") == (
        "Customer satisfaction Customer survey, latest 2026-Q2 ( REC-SURVEY-2026-Q2 ): satisfaction 3.6 on a "
        "scale of 1 to 5; 30 responses. 1 survey record withheld from this build's audience."
    )
    # the overdue action by its id only
    assert section(b, PAGE, "management-overdue").endswith("2026-11-01 action REC-ACTION-1 withheld Owner")
    page = b.page_html(PAGE)
    assert "99.5" not in page and "4.4" not in page and "storage failover" not in page
    alpha = b.page_text("suppliers/alpha").split("Measured performance", 1)[1].split("Revision history", 1)[0]
    assert " ".join(alpha.split()) == (
        "Service Metric Latest Target Result Missed in the audit window "
        "SVC-HOSTING Managed hosting availability 99.92% (2026-09) at least 99.9% met 0 of 2"
    )


def test_the_summary_is_a_pure_function_of_the_handbook_today_and_the_settings(full: Build) -> None:
    from clausewise.outputs.management import ManagementSummary, management_summary
    from clausewise.pipeline.assembly import assemble

    assert full.given is not None
    result, _ = assemble(full.given, None)
    cfg = result.config

    def summary(notice_days: int, review: dict[str, int | None]) -> ManagementSummary:
        return management_summary(
            result.handbook, result.reviews.values(), result.records.values(), cfg.today,
            window_months=cfg.audit_window, supplier_review=review, contract_notice_days=notice_days,
            complaint_response_days=cfg.complaint_response_days,
        )  # fmt: skip

    default = summary(cfg.contract_notice_days, cfg.supplier_review)
    assert [s.supplier.id for s in default.key_suppliers or ()] == ["SUP-ALPHA"]
    assert default.overdue_counts() == {"review": 0, "record": 0, "action": 1, "supplier review": 1}
    levels = [
        (lv.series.service.id, lv.latest.period if lv.latest else None, lv.missed_in_window)
        for lv in default.service_levels or ()
    ]
    assert levels == [("SVC-DESK", "2026-10", 1), ("SVC-HOSTING", "2026-10", 1)]
    # a notice period long enough for Beta's contract (769 days left) makes it a key supplier too
    longer = summary(800, cfg.supplier_review)
    assert [s.supplier.id for s in longer.key_suppliers or ()] == ["SUP-ALPHA", "SUP-BETA"]
    # the highest criticality is the setting's first key: with "high" first, Beta is one and Alpha only expiring
    reordered = summary(cfg.contract_notice_days, {"high": 12, "critical": 12})
    assert reordered.highest_criticality == "high"
    assert [s.supplier.id for s in reordered.key_suppliers or ()] == ["SUP-ALPHA", "SUP-BETA"]
