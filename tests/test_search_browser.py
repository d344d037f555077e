"""The sample's search page in Chromium: an id or a clause number typed as staff type it
finds its item first, linked to the anchor it has on its page; a confidential record is
found in the auditor's build and not in the staff build. Fixtures from test_browser.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from handbook import Build
from test_browser import browser, page, serve, site  # noqa: F401 (fixtures)

#: query -> the first result's link and text on the staff build of the sample
FIRST_RESULTS = {
    "PRC-012": ("procedures/incident-management.html#PRC-012", "PRC-012 (procedure, in Incident management)"),
    "prc-012": ("procedures/incident-management.html#PRC-012", "PRC-012 (procedure, in Incident management)"),
    "REC-AVAILABILITY-REPORT-2025-06": (
        "records/availability-report/2025-06.html#REC-AVAILABILITY-REPORT-2025-06",
        "REC-AVAILABILITY-REPORT-2025-06 (record, in Availability report, June 2025)",
    ),
    "RT-CHANGE-REVIEW": (
        "procedures/change-management.html#RT-CHANGE-REVIEW",
        "RT-CHANGE-REVIEW (record type, in Change management)",
    ),
    "ROLE-CHANGE-MANAGER": (
        "docs/roles/change-manager.html#ROLE-CHANGE-MANAGER",
        "ROLE-CHANGE-MANAGER (role, in Change and release manager)",
    ),
    "8.6.3": ("docs/standard/clauses.html#ISO20K-8-6-3", "8.6.3 (clause, in Clauses of ISO/IEC 20000-1:2018)"),
}


def results(tab: object, url: str, query: str) -> list[tuple[str, str]]:
    """The search page's results for ``query``: each one's link and text, in order."""
    tab.goto(f"{url}/search.html?q={query}")  # type: ignore[attr-defined]
    # searchtools.js writes its status line once every result is on the page (or none was found)
    tab.wait_for_function(  # type: ignore[attr-defined]
        "document.querySelector('#search-results p.search-summary')?.innerText.length > 0", timeout=20000
    )
    items = tab.locator("ul.search > li")  # type: ignore[attr-defined]
    return [
        (items.nth(i).locator("a").first.get_attribute("href"), " ".join(items.nth(i).inner_text().split()))
        for i in range(items.count())
    ]


@pytest.mark.parametrize("query", FIRST_RESULTS)
def test_an_id_or_a_clause_number_finds_its_item_first_at_its_anchor(page: object, site: str, query: str) -> None:  # noqa: F811
    found = results(page, site, query)
    href, text = FIRST_RESULTS[query]
    assert found[0] == (href, text)
    # the id is ranked first once, not beside namesakes: no other result is an object named so
    assert [t for _, t in found[1:] if t.startswith(text.split(" ")[0] + " (")] == []
    page.click("ul.search > li >> nth=0 >> a")  # type: ignore[attr-defined]
    anchor = href.partition("#")[2]
    page.wait_for_url(f"**/{href}")  # type: ignore[attr-defined]
    assert page.locator(f"[id='{anchor}']").count() == 1  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def auditor_site(sample_auditor_build: Build) -> Iterator[str]:
    with serve(sample_auditor_build.outdir) as url:
        yield url


def test_a_confidential_record_is_found_by_its_id_by_auditors_and_not_by_staff(
    page: object,  # noqa: F811
    site: str,  # noqa: F811
    auditor_site: str,
) -> None:
    record = "records/service-report/2025-06.html"
    assert results(page, auditor_site, "REC-SERVICE-REPORT-2025-06")[0] == (
        f"{record}#REC-SERVICE-REPORT-2025-06",
        "REC-SERVICE-REPORT-2025-06 (record, in Service report, June 2025)",
    )
    staff = results(page, site, "REC-SERVICE-REPORT-2025-06")
    assert staff, "staff still find the pages that name the record, e.g. its procedure"
    assert [href for href, _ in staff if href.startswith(record)] == []
