"""The sample's generated pages at a desktop width (1,280 px) and a phone's (400 px), in a real
browser: nothing wider than the page, every key column's cells inside the viewport, chart text
drawn at 11 px or more. Measured as rendered (bounding boxes, computed styles), never read from
attributes. Screenshots of every page at both widths go to tests/artifacts/ for a look."""

from __future__ import annotations

from typing import Any

import pytest
from test_browser import ARTIFACTS, browser, page, site  # noqa: F401 (the fixtures this module reuses)

WIDTHS = [1280, 400]

#: page -> (table's CSS selector, the headings of its key columns, the number of rows)
KEY_COLUMNS: dict[str, list[tuple[str, list[str], int]]] = {
    "docs/dashboard": [
        ("table.clausewise-urgent", ["Due", "Item", "Owner"], 6),
        ("table.clausewise-activities", ["Activity", "State"], 8),
        ("table.clausewise-complaints", ["Received", "Complaint", "State"], 1),  # issue 18: the open complaint
    ],
    # the three services' and six suppliers' pages among them
    "docs/reviews": [("table.clausewise-reviews", ["Document", "Owner", "Next review due"], 48 + 3 + 6)],
    "docs/register": [("table.clausewise-register", ["Id", "Owner", "Status", "Next review"], 48 + 3 + 6)],
    "records/index": [("table.clausewise-record-overview", ["Record type", "Owner", "Next due", "Missing"], 21 + 1)],
    "procedures/incident-management": [
        ("table.clausewise-status-box", [], 11),
        ("table.clausewise-record-types", ["Record type", "Owner", "Next due", "Missing"], 1),
        ("table.clausewise-history", ["Version", "Date", "Change", "Approved by"], 3),
    ],
    # a monthly record type's grid: each year a card of its months, every month on screen
    "procedures/service-availability-management": [
        (
            "table.clausewise-grid",
            ["Year", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
            3,
        ),
    ],
    # issue 18: the complaints register, open first; each complaint a card on a phone
    "procedures/customer-satisfaction-and-complaints": [
        ("table.clausewise-complaints", ["Received", "Complaint", "Customer", "State"], 3),
    ],
    # a record: its status box (a long id and an evidence address wrap inside it) and its
    # two-column history, whose change must not be held on one line past the page
    "records/major-incident-review/2026-09-30": [
        ("table.clausewise-status-box", [], 7),
        ("table.clausewise-history", ["Date", "Change"], 1),
    ],
    # 56 clauses of the audit scope and 24 procedures in force: each row a card on a phone
    "docs/audit-coverage": [("table.clausewise-audit-coverage", ["Clause or procedure", "Last audited", "Status"], 80)],
    # a service: its availability, one row a month measured (the report of 2026-08 is missing)
    "services/host": [
        ("table.clausewise-measurements", ["Period", "Achieved", "Target", "Result", "Record"], 32),
    ],
    # the supplier register: a card per supplier on a phone, its contract's end in words
    "suppliers/index": [
        ("table.clausewise-suppliers", ["Id", "Criticality", "Contract ends", "Next review due"], 6),
    ],
    # issue 18: the management page: four metrics, the four critical suppliers, the five overdue items
    "docs/management": [
        ("table.clausewise-management-levels", ["Service", "Metric", "Latest", "Result"], 4),
        ("table.clausewise-management-suppliers", ["Supplier", "Contract ends", "Next review due"], 4),
        ("table.clausewise-management-overdue", ["Due", "What", "Item", "Owner"], 5),
    ],
}

#: every cell of the named columns (all cells of a table without a heading row): its
#: bounding box, whether it is rendered, and the label shown before it
CELLS = """([selector, headings]) => {
  const table = document.querySelector(selector);
  const heads = [...table.querySelectorAll(':scope > thead th')].map(th => th.textContent.trim());
  const columns = headings.length ? headings.map(h => heads.indexOf(h)) : null;
  const rows = [...table.querySelectorAll(':scope > tbody > tr')];
  const cells = [];
  for (const row of rows) {
    const tds = [...row.children];
    for (const [n, td] of tds.entries()) {
      if (columns !== null && !columns.includes(n)) continue;
      const box = td.getBoundingClientRect();
      const label = getComputedStyle(td, '::before').content;
      cells.push({heading: columns === null ? '' : heads[n], left: box.left, right: box.right,
                  width: box.width, height: box.height, label});
    }
  }
  return {columns, rows: rows.length, cells};
}"""

#: each chart's text: its computed font size times the scale at which its SVG is drawn
CHART_TEXT = """() => [...document.querySelectorAll('svg.clausewise-chart')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const figure = svg.closest('figure');
  return {
    box: svg.getBoundingClientRect().toJSON(),
    scrolls: figure.scrollWidth > figure.clientWidth,
    sizes: [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale),
  };
})"""


def _load(tab: Any, address: str, path: str, width: int) -> None:
    """``path`` of the site at ``address`` in the browser tab, ``width`` px wide, and its screenshot."""
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(f"{address}/{path}.html")
    tab.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"layout-{path.replace('/', '-')}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", list(KEY_COLUMNS))
def test_key_columns_are_on_screen_and_nothing_is_wider_than_the_page(
    page: Any,  # noqa: F811 (the fixture imported above)
    site: str,  # noqa: F811
    path: str,
    width: int,
) -> None:
    _load(page, site, path, width)
    assert page.evaluate("document.documentElement.clientWidth") == width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector, headings, rows in KEY_COLUMNS[path]:
        found = page.evaluate(CELLS, [selector, headings])
        assert found["rows"] == rows, selector
        assert -1 not in (found["columns"] or []), (selector, found["columns"])
        per_row = len(headings) or 2
        assert len(found["cells"]) == rows * per_row, selector
        for cell in found["cells"]:
            where = (selector, cell["heading"], width)
            assert cell["width"] > 0 and cell["height"] > 0, where
            assert cell["left"] >= 0 and cell["right"] <= width + 0.5, (where, cell)
            # a phone shows each row as a card whose cells are labelled with their column's heading
            if headings and width == 400:
                assert cell["label"] == f'"{cell["heading"]}"', where


def test_on_a_phone_a_stacked_row_is_a_card_of_labelled_lines(page: Any, site: str) -> None:  # noqa: F811
    """The review of POL-004, overdue: its five cells one under the other, the heading beside each value."""
    _load(page, site, "docs/reviews", 400)
    row = page.locator("table.clausewise-reviews tbody tr").first
    assert [t.strip() for t in row.locator("td").all_inner_texts()] == [
        "POL-004", "Information security policy", "Information security officer", "2025-10-20",
        "2026-10-20 OVERDUE (34 days ago)",
    ]  # fmt: skip
    tops = [box["y"] for box in (row.locator("td").nth(n).bounding_box() for n in range(5))]
    assert tops == sorted(tops) and len(set(tops)) == 5  # stacked, not side by side
    assert page.locator("table.clausewise-reviews thead").is_hidden()
    _load(page, site, "docs/reviews", 1280)
    tops = [box["y"] for box in (row.locator("td").nth(n).bounding_box() for n in range(5))]
    assert len(set(tops)) == 1  # one row of a table
    assert page.locator("table.clausewise-reviews thead").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_drawn_at_11_px_or_more(page: Any, site: str, width: int) -> None:  # noqa: F811
    _load(page, site, "docs/dashboard", width)
    charts = page.evaluate(CHART_TEXT)
    assert len(charts) == 3
    for chart in charts:
        assert chart["box"]["left"] >= 0 and chart["box"]["right"] <= width, chart["box"]
        assert not chart["scrolls"]  # the whole chart is in view, none of it behind a scroll
        assert chart["sizes"] and min(chart["sizes"]) >= 11, chart["sizes"]
    # the month chart: a title, twelve months each with its total, five states in its legend
    assert [len(chart["sizes"]) for chart in charts] == [1 + 2 * 5, 1 + 2 * 4, 1 + 2 * 12 + 5]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_services_trend_chart_fits_and_its_text_is_11_px_or_more(page: Any, site: str, width: int) -> None:  # noqa: F811
    _load(page, site, "services/host", width)
    charts = page.evaluate(CHART_TEXT)
    assert len(charts) == 1
    chart = charts[0]
    assert chart["box"]["left"] >= 0 and chart["box"]["right"] <= width, chart["box"]
    assert not chart["scrolls"]
    # its title, two ticks of the axis and the first and last periods
    assert len(chart["sizes"]) == 5 and min(chart["sizes"]) >= 11, chart["sizes"]


@pytest.mark.parametrize("path", list(KEY_COLUMNS))
def test_between_a_phone_and_a_desktop_no_generated_table_is_wider_than_the_page(
    page: Any,  # noqa: F811
    site: str,  # noqa: F811
    path: str,
) -> None:
    """At 800 px the sidebar is hidden and the tables are tables again, in a 46em column:
    the reviews' longest next-review cell puts its marker under the date to fit it."""
    _load(page, site, path, 800)
    assert page.evaluate("document.documentElement.scrollWidth") == 800
    content = page.evaluate("document.querySelector('article').getBoundingClientRect().right")
    rights = page.evaluate(
        "[...document.querySelectorAll('table.clausewise-table')].map(t => t.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= content + 0.5


#: the management page's sections, in order, and the charts each holds
MANAGEMENT_SECTIONS = [
    ("management-service-levels", 3),  # Workplace's first contact resolution: every value withheld, no chart
    ("management-suppliers", 0),
    ("management-customers", 0),  # the surveys are confidential: no chart for the staff
    ("management-actions", 0),
    ("management-overdue", 0),
]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_management_page_shows_every_section_within_the_page(page: Any, site: str, width: int) -> None:  # noqa: F811
    """Issue 18, item 5: each section on screen, in order, none wider than the page; each chart whole."""
    _load(page, site, "docs/management", width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    tops = []
    for ident, chart_count in MANAGEMENT_SECTIONS:
        section = page.locator(f"section#{ident}")
        assert section.is_visible(), ident
        box = section.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (ident, box)
        assert section.locator("svg.clausewise-chart").count() == chart_count, ident
        tops.append(box["y"])
    assert tops == sorted(tops)
    for chart in page.evaluate(CHART_TEXT):
        assert chart["box"]["left"] >= 0 and chart["box"]["right"] <= width, chart["box"]
        assert not chart["scrolls"]
        assert min(chart["sizes"]) >= 11, chart["sizes"]
    # "met" and "missed" in words, not by colour alone
    results = page.locator("table.clausewise-management-levels tbody td:nth-child(5)").all_inner_texts()
    assert [r.strip() for r in results] == ["met", "missed", "met", "\u2014"]
