"""Suppliers (issue 18, item 3): pages of type: supplier with a criticality, contract dates and the
services they support; supplier review records (a record type of kind supplier-review) name the
suppliers they reviewed; contract-expiring, contract-expired and supplier-review-missing; the
supplier register and each supplier page's generated part; bad input with file, line and value."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from handbook import Build, build, governed, ok, record, role, run_clausewise, write_handbook
from openpyxl import load_workbook

REVIEWS = """
record_types:
  - id: RT-SUPPLIER-REVIEW
    title: Supplier reviews
    owner: ROLE-OWNER
    cadence: per event
    window: 36 months
    kind: supplier-review
    fields:
      suppliers: {type: list of id, required: true, help: the suppliers reviewed}
"""


def reviews_procedure(block: str = REVIEWS) -> str:
    return governed("PRC-001", "procedure", "Supplier reviews", satisfies="[1.1]").replace(
        "---\n\nText.", block.strip() + "\n---\n\nText."
    )


def supplier(sup_id: str, title: str, **overrides: str | None) -> str:
    """A supplier page, one key a line: id (2), type (3), title (4), owner (5), status (6), version (7),
    effective (8), reviewed (9), classification (10), criticality (11), contract_start (12),
    contract_end (13), then ``overrides``' new keys."""
    fields: dict[str, str | None] = {
        "id": sup_id, "type": "supplier", "title": title, "owner": "ROLE-OWNER", "status": "approved",
        "version": '"1.0"', "effective": "2026-01-01", "reviewed": "2026-06-01", "classification": "internal",
        "criticality": "critical", "contract_start": "2025-01-01", "contract_end": "2028-12-31",
    }  # fmt: skip
    fields.update(overrides)
    return "\n".join(["---", *(f"{k}: {v}" for k, v in fields.items() if v is not None), "---", "", "Prose.", ""])


def review(record_id: str, produced: str, suppliers: str) -> str:
    """A supplier review; its ``suppliers`` is on line 10."""
    return record(record_id, "RT-SUPPLIER-REVIEW", produced, produced=produced, suppliers=suppliers)


REGISTER_PAGE = "# Suppliers\n\n```{supplier-register}\n```\n"

SUPPLIERS = {
    # expiring in 98 days, reviewed in October: one contract-expiring
    "suppliers/alpha.md": supplier("SUP-ALPHA", "Alpha Hosting", contract_end="2027-03-01"),
    # high (12 months), never reviewed since its contract started 2025-06-01; contract ended 23 days ago
    "suppliers/beta.md": supplier(
        "SUP-BETA", "Beta Fibre", criticality="high", contract_start="2025-06-01", contract_end="2026-10-31"
    ),
    # retired: an expired contract and no reviews raise nothing
    "suppliers/gamma.md": supplier("SUP-GAMMA", "Gamma Parts", status="retired", contract_end="2025-12-31"),
    # medium (24 months), last reviewed 2024-09-02: due 2026-09-02; no contract end
    "suppliers/delta.md": supplier("SUP-DELTA", "Delta Payroll", criticality="medium", contract_end=None),
    # low (36 months) and a draft: not checked
    "suppliers/epsilon.md": supplier(
        "SUP-EPSILON", "Epsilon Print", criticality="low", status="draft", effective=None, reviewed=None
    ),
}
REVIEW_RECORDS = {
    "records/supplier-review/2024-09-02.md": review("REC-SR-2024-09-02", "2024-09-02", "[SUP-DELTA, SUP-ALPHA]"),
    "records/supplier-review/2026-10-05.md": review("REC-SR-2026-10-05", "2026-10-05", "[SUP-ALPHA]"),
}


def handbook(tmp_path: Path, files: dict[str, str], conf: str = "") -> Path:
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "procedures/reviews.md": reviews_procedure(),
            "policies/policy.md": governed("POL-001", "policy", "Policy", satisfies="[2]"),
            "pages/suppliers.md": REGISTER_PAGE,
            **files,
        },
        conf,
    )


def supplier_findings(built: Build) -> list[tuple[str, str, int, str, str]]:
    codes = {"contract-expiring", "contract-expired", "supplier-review-missing", "invalid-metadata",
             "unknown-reference"}  # fmt: skip
    return [
        (f["code"], f["path"], f["line"], f["id"], f["message"]) for f in built.report["findings"] if f["code"] in codes
    ]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(handbook(tmp_path_factory.mktemp("suppliers"), {**SUPPLIERS, **REVIEW_RECORDS}), fresh=True)


def test_each_rule_reports_exactly_its_suppliers(sample: Build) -> None:
    assert supplier_findings(sample) == [
        ("contract-expiring", "suppliers/alpha.md", 13, "SUP-ALPHA",
         "the contract with Alpha Hosting ends on 2027-03-01, in 98 days (notice: 180 days); decide whether to "
         "renew, renegotiate or replace it"),
        ("supplier-review-missing", "suppliers/beta.md", 11, "SUP-BETA",
         "Beta Fibre is high, reviewed every 12 months; never reviewed, its review was due by 2026-06-01; record a "
         "supplier review that names SUP-BETA under 'suppliers'"),
        ("contract-expired", "suppliers/beta.md", 13, "SUP-BETA",
         "the contract with Beta Fibre ended on 2026-10-31 (23 days ago); write the renewed contract's "
         "contract_end, or retire the supplier (status: retired)"),
        ("supplier-review-missing", "suppliers/delta.md", 11, "SUP-DELTA",
         "Delta Payroll is medium, reviewed every 2 years; last reviewed on 2024-09-02 in REC-SR-2024-09-02, its "
         "review was due by 2026-09-02; record a supplier review that names SUP-DELTA under 'suppliers'"),
    ]  # fmt: skip


def test_the_notice_period_and_review_intervals_are_settings(tmp_path: Path) -> None:
    conf = 'clausewise_contract_notice_days = 90\nclausewise_supplier_review = {"critical": "1 month", "high": "none", "medium": "3 years", "low": "none"}\n'  # noqa: E501
    built = build(handbook(tmp_path, {**SUPPLIERS, **REVIEW_RECORDS}, conf), fresh=True)
    assert [(code, path, line, ident) for code, path, line, ident, _ in supplier_findings(built)] == [
        # 98 days is outside a notice of 90; reviewed 2026-10-05, a month is up on 2026-11-05
        ("supplier-review-missing", "suppliers/alpha.md", 11, "SUP-ALPHA"),
        ("contract-expired", "suppliers/beta.md", 13, "SUP-BETA"),
    ]


def test_the_register_lists_every_supplier_with_its_dates(sample: Build) -> None:
    text = sample.page_text("pages/suppliers")
    rows = text.split("Next review due", 1)[1].split(" Test handbook Navigation", 1)[0].strip()
    assert rows == (
        "SUP-ALPHA Alpha Hosting critical Owner approved 2027-03-01 (98 days left, expiring) "
        "2026-10-05 2027-10-05 "
        "SUP-BETA Beta Fibre high Owner approved 2026-10-31 (ended 23 days ago, expired) never 2026-06-01 (overdue) "
        "SUP-DELTA Delta Payroll medium Owner approved no end date 2024-09-02 "
        "2026-09-02 (overdue) "
        # a draft or retired supplier is not due for review
        "SUP-EPSILON Epsilon Print low Owner draft 2028-12-31 (769 days left) never \u2014 "
        "SUP-GAMMA Gamma Parts critical Owner retired 2025-12-31 (ended 327 days ago, expired) never \u2014"
    )
    html = sample.page_html("pages/suppliers")
    assert 'class="clausewise-contract clausewise-contract-expiring"' in html
    # the last review's day links to the review record
    assert 'href="../records/supplier-review/2026-10-05.html#REC-SR-2026-10-05">2026-10-05</a>' in html
    assert "clausewise-stacked" in html


def test_a_supplier_page_shows_its_contract_services_and_reviews(sample: Build) -> None:
    text = sample.page_text("suppliers/alpha")
    part = text.split("Contract, services and reviews", 1)[1].split("Revision history", 1)[0]
    expected = (
        "Criticality critical Contract start 2025-01-01 Contract end 2027-03-01 (98 days left, expiring) "
        "Services supported none named Reviewed every 12 months (critical) Next review due 2027-10-05 "
        "Reviews Produced Record Title 2026-10-05 REC-SR-2026-10-05 Record 2026-10-05 "
        "2024-09-02 REC-SR-2024-09-02 Record 2024-09-02 "
        "Measured performance No measurements of the services it supports yet."
    )
    assert [word for word in part.split() if word != "\u00b6"] == expected.split()


BAD = {
    "suppliers/alpha.md": supplier(
        "SUP-ALPHA", "Alpha Hosting", contract_start="2027-01-01", contract_end="2026-12-31"
    ),
    "suppliers/beta.md": supplier("SUP-BETA", "Beta Fibre", criticality="critcal"),
    "records/supplier-review/2026-10-05.md": review("REC-SR-2026-10-05", "2026-10-05", "[SUP-ALPA, PRC-001, SUP-BETA]"),
}


def test_bad_input_is_one_finding_each_with_file_line_and_value(tmp_path: Path) -> None:
    built = build(handbook(tmp_path, BAD), fresh=True)
    assert supplier_findings(built) == [
        ("unknown-reference", "records/supplier-review/2026-10-05.md", 10, "REC-SR-2026-10-05",
         "suppliers: 'PRC-001' is a procedure, not a supplier (type: supplier); known suppliers: SUP-ALPHA, "
         "SUP-BETA"),
        ("unknown-reference", "records/supplier-review/2026-10-05.md", 10, "REC-SR-2026-10-05",
         "suppliers: 'SUP-ALPA' is not an id of a document, record type, record or nonconformity in the handbook; did "
         "you mean "
         "'SUP-ALPHA'?"),
        ("invalid-metadata", "suppliers/alpha.md", 13, "SUP-ALPHA",
         "contract_end: 2026-12-31 is before contract_start 2027-01-01; a contract ends after it starts: correct "
         "one of the two dates"),
        ("invalid-metadata", "suppliers/beta.md", 11, "SUP-BETA",
         "criticality: 'critcal' is not a criticality of this handbook; expected one of critical, high, medium, "
         "low (setting clausewise_supplier_review); did you mean 'critical'?"),
    ]  # fmt: skip


def test_a_supplier_page_has_only_a_suppliers_keys(tmp_path: Path) -> None:
    page = supplier("SUP-ALPHA", "Alpha Hosting", satisfies="[1.1]", contract_end="2028-12-31")
    built = build(handbook(tmp_path, {"suppliers/alpha.md": page}), fresh=True)
    assert [f for f in supplier_findings(built) if f[0] == "invalid-metadata"] == [
        ("invalid-metadata", "suppliers/alpha.md", 14, "SUP-ALPHA",
         "unknown key 'satisfies' in a supplier's front matter; allowed keys: classification, contract_end, "
         "contract_start, criticality, effective, id, owner, review_interval, reviewed, services, status, summary, "
         "title, title_classification, type, uses, version"),
    ]  # fmt: skip


def test_suppliers_csv_and_the_workbook_sheet_hold_the_register(sample: Build) -> None:
    with (sample.outdir / "clausewise" / "suppliers.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["id", "title", "criticality", "owner", "status", "contract_start", "contract_end", "days_left",
         "contract_state", "services", "review_interval", "last_review", "last_review_record", "next_review_due",
         "review_state"],
        ["SUP-ALPHA", "Alpha Hosting", "critical", "ROLE-OWNER", "approved", "2025-01-01", "2027-03-01", "98",
         "expiring", "", "12 months", "2026-10-05", "REC-SR-2026-10-05", "2027-10-05", ""],
        ["SUP-BETA", "Beta Fibre", "high", "ROLE-OWNER", "approved", "2025-06-01", "2026-10-31", "", "expired",
         "", "12 months", "", "", "2026-06-01", "overdue"],
        ["SUP-DELTA", "Delta Payroll", "medium", "ROLE-OWNER", "approved", "2025-01-01", "", "", "", "",
         "2 years", "2024-09-02", "REC-SR-2024-09-02", "2026-09-02", "overdue"],
        ["SUP-EPSILON", "Epsilon Print", "low", "ROLE-OWNER", "draft", "2025-01-01", "2028-12-31", "769", "", "",
         "3 years", "", "", "", ""],
        ["SUP-GAMMA", "Gamma Parts", "critical", "ROLE-OWNER", "retired", "2025-01-01", "2025-12-31", "",
         "expired", "", "12 months", "", "", "", ""],
    ]  # fmt: skip
    book = load_workbook(sample.outdir / "clausewise" / "clausewise.xlsx")
    assert [[c.value or "" for c in row] for row in book["Suppliers"].iter_rows()] == rows


def test_clausewise_due_lists_the_supplier_reviews_due(sample: Build) -> None:
    lines = ok(run_clausewise("--handbook", sample.srcdir, "due", "--within", "2m", today="2026-11-23"))
    reviews = [line for line in lines if "supplier performance review" in line]
    # Beta and Delta overdue; Alpha's next (2027-10-05) is far off; the draft and the retired are not due
    assert reviews == [
        "  2026-06-01  OVERDUE  review  SUP-BETA Beta Fibre: supplier performance review  [Owner]",
        "  2026-09-02  OVERDUE  review  SUP-DELTA Delta Payroll: supplier performance review  [Owner]",
    ]


PERFORMANCE = {
    "procedures/reporting.md": governed("PRC-002", "procedure", "Reporting").replace(
        "---\n\nText.",
        "record_types:\n  - id: RT-REPORT\n    title: Service report\n    owner: ROLE-OWNER\n    cadence: monthly\n"
        "    start: 2026-09-01\n---\n\nText.",
    ),
    "services/hosting.md": governed(
        "SVC-HOSTING", "service", "Managed hosting", satisfies=None, agreements="[]",
        metrics='\n  availability: {unit: "%", target: ">= 99.9"}\n  backups: {unit: "%", target: ">= 100"}'
        "\n  tickets: {unit: tickets}",
    ),
    "services/desk.md": governed(
        "SVC-DESK", "service", "Service desk", satisfies=None, agreements="[]",
        metrics='\n  p1_resolution: {unit: hours, target: "<= 4"}',
    ),
    # supports both services, named desk first
    "suppliers/alpha.md": supplier("SUP-ALPHA", "Alpha Hosting", services="[SVC-DESK, SVC-HOSTING]"),
    **{
        f"records/report/2026-{m}.md": record(
            f"REC-REPORT-2026-{m}", "RT-REPORT", f"2026-{m}", produced=f"2026-{int(m) + 1}-05",
            measurements=f"\n  - {{service: SVC-HOSTING, metric: availability, achieved: {a}}}"
            f"\n  - {{service: SVC-HOSTING, metric: tickets, achieved: {t}}}"
            f"\n  - {{service: SVC-DESK, metric: p1_resolution, achieved: {p}}}",
        )
        for m, a, t, p in (("09", "99.5", "12", "3"), ("10", "99.95", "9", "4.5"))
    },
}  # fmt: skip


def test_a_supplier_page_shows_each_measured_metric_of_the_services_it_supports(tmp_path: Path) -> None:
    from clausewise.pipeline.assembly import assemble
    from clausewise.rules.suppliers import performance_of

    built = build(handbook(tmp_path, PERFORMANCE), fresh=True)
    assert built.given is not None
    result, _ = assemble(built.given, None)
    alpha = next(d for d in result.handbook.documents if d.id == "SUP-ALPHA")
    # the supplier's services in the order it names them, each metric declared, measured or not
    assert [(s.service.id, s.metric.name, [(p.period, p.achieved) for p in s.points])
            for s in performance_of(alpha, result.handbook)] == [
        ("SVC-DESK", "p1_resolution", [("2026-09", 3.0), ("2026-10", 4.5)]),
        ("SVC-HOSTING", "availability", [("2026-09", 99.5), ("2026-10", 99.95)]),
        ("SVC-HOSTING", "backups", []),
        ("SVC-HOSTING", "tickets", [("2026-09", 12.0), ("2026-10", 9.0)]),
    ]  # fmt: skip
    part = built.page_text("suppliers/alpha").split("Measured performance", 1)[1].split("Revision history", 1)[0]
    # a metric without values is left out; one without a target says so
    assert " ".join(part.split()) == (
        "Service Metric Latest Target Result Missed in the audit window "
        "SVC-DESK Service desk p1_resolution 4.5 hours (2026-10) at most 4 hours missed 1 of 2 "
        "SVC-HOSTING Managed hosting availability 99.95% (2026-10) at least 99.9% met 1 of 2 "
        "SVC-HOSTING Managed hosting tickets 9 tickets (2026-10) \u2014 no target 0 of 2"
    )
    page = built.page_html("suppliers/alpha")
    performance = page.split("Measured performance")[1].split("Revision history")[0]
    assert re.findall(r'href="(\.\./services/[^"]*)"', performance) == [
        "../services/desk.html#svc-desk-p1-resolution",
        "../services/hosting.html#svc-hosting-availability",
        "../services/hosting.html#svc-hosting-tickets",
    ]
