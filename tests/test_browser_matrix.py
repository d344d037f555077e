"""The sample's traceability matrix in a real browser (Playwright driving Debian's Chromium) at a
desktop's 1,280 px and a phone's 400 px: nothing wider than the screen, the key columns (clause,
coverage) in view, and the filter buttons showing exactly the gap rows of matrix.csv and back."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest
from handbook import Build
from test_browser import ARTIFACTS, browser, site  # noqa: F401 - fixtures, shared with test_browser

#: what "Gaps only" shows: every state but covered and not applicable (rules/coverage.py: GAP_STATES)
GAP_STATES = ("covered with gaps", "records missing", "declared only", "uncovered")


def sample_gaps(sample_build: Build) -> list[str]:
    """The clause numbers matrix.csv gives a gap state, in order."""
    with (sample_build.outdir / "clausewise" / "matrix.csv").open(newline="") as f:
        return [row[0] for row in list(csv.reader(f))[1:] if row[2] in GAP_STATES]


def open_matrix(browser: object, site: str, width: int, script: bool = True) -> Iterator[object]:  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=script)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{site}/docs/matrix.html")
    page.wait_for_load_state("load")
    yield page
    context.close()


@pytest.fixture
def desktop(browser: object, site: str) -> Iterator[object]:  # noqa: F811
    yield from open_matrix(browser, site, 1280)


@pytest.fixture
def phone(browser: object, site: str) -> Iterator[object]:  # noqa: F811
    yield from open_matrix(browser, site, 400)


#: the page's width, the viewport's, and the right edge of the widest cell of the matrix
WIDTHS = """() => {
  const cells = Array.from(document.querySelectorAll('table.clausewise-matrix td, table.clausewise-matrix th'));
  const table = document.querySelector('table.clausewise-matrix');
  return {
    page: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    table: Math.ceil(table.getBoundingClientRect().right),
    tableOverflow: table.scrollWidth - table.clientWidth,
    cells: Math.ceil(Math.max(...cells.map(c => c.getBoundingClientRect().right))),
    left: Math.floor(Math.min(...cells.map(c => c.getBoundingClientRect().left))),
  };
}"""

#: the first cell (clause) and second (coverage) of every visible row: their left and right edges and font size
KEY_CELLS = """() => Array.from(document.querySelectorAll('table.clausewise-matrix tbody tr'))
  .filter(row => row.offsetParent !== null)
  .map(row => [0, 1].map(i => {
    const box = row.cells[i].getBoundingClientRect();
    return [box.left, box.right, box.width, parseFloat(getComputedStyle(row.cells[i]).fontSize)];
  }))"""


def visible_clauses(page: object) -> list[str]:
    rows = page.locator("table.clausewise-matrix tbody tr:visible td:first-child")  # type: ignore[attr-defined]
    return [text.split()[0] for text in rows.all_inner_texts()]


def pressed(page: object) -> dict[str, str]:
    buttons = page.locator(".clausewise-matrix-filters button")  # type: ignore[attr-defined]
    return {b.inner_text(): b.get_attribute("aria-pressed") for b in buttons.all()}


def check_layout(page: object, width: int) -> None:
    widths = page.evaluate(WIDTHS)  # type: ignore[attr-defined]
    assert widths["viewport"] == width
    assert widths["page"] <= width, widths  # no scrolling sideways
    assert widths["table"] <= width and widths["cells"] <= width and widths["left"] >= 0, widths
    assert widths["tableOverflow"] <= 0, widths  # no cell wider than the table shows
    rows = page.evaluate(KEY_CELLS)  # type: ignore[attr-defined]
    assert rows
    for clause, coverage in rows:
        for left, right, cell_width, font in (clause, coverage):
            assert left >= 0 and right <= width and cell_width > 100 and font >= 11


def test_the_desktop_fits_and_gaps_only_shows_exactly_the_gaps(desktop: object, sample_build: Build) -> None:
    gaps = sample_gaps(sample_build)
    assert gaps == ["7.6", "8.6.3", "8.7.1"]
    assert len(visible_clauses(desktop)) == 77
    check_layout(desktop, 1280)
    assert pressed(desktop) == {"All clauses (77)": "true", "Gaps only (3)": "false"}
    desktop.click("text=Gaps only (3)")  # type: ignore[attr-defined]
    assert visible_clauses(desktop) == gaps
    assert pressed(desktop) == {"All clauses (77)": "false", "Gaps only (3)": "true"}
    assert desktop.inner_text(".clausewise-matrix-shown") == "Showing 3 of 77 clauses"  # type: ignore[attr-defined]
    check_layout(desktop, 1280)
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(path=str(ARTIFACTS / "matrix-gaps-1280.png"), full_page=True)  # type: ignore[attr-defined]
    desktop.click("text=All clauses (77)")  # type: ignore[attr-defined]
    assert len(visible_clauses(desktop)) == 77
    assert desktop.inner_text(".clausewise-matrix-shown") == "Showing 77 of 77 clauses"  # type: ignore[attr-defined]


def test_a_phone_stacks_each_clause_with_its_coverage_first(phone: object, sample_build: Build) -> None:
    check_layout(phone, 400)
    # the header row is not shown: each row is a card whose cells come one below the other, key cells first
    assert phone.locator("table.clausewise-matrix thead").is_hidden()  # type: ignore[attr-defined]
    row = phone.locator("table.clausewise-matrix tbody tr").filter(has_text="8.7.1 Service availability")  # type: ignore[attr-defined]
    tops = [cell.bounding_box()["y"] for cell in row.locator("td").all()]
    assert tops == sorted(tops) and len(set(tops)) == 4
    phone.click("text=Gaps only (3)")  # type: ignore[attr-defined]
    assert visible_clauses(phone) == sample_gaps(sample_build)
    check_layout(phone, 400)
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "matrix-gaps-400.png"), full_page=True)  # type: ignore[attr-defined]
    phone.click("text=All clauses (77)")  # type: ignore[attr-defined]
    assert len(visible_clauses(phone)) == 77


def test_without_javascript_the_whole_matrix_shows_and_no_button(browser: object, site: str) -> None:  # noqa: F811
    for page in open_matrix(browser, site, 1280, script=False):
        assert len(visible_clauses(page)) == 77
        assert page.locator(".clausewise-matrix-filters").is_hidden()  # type: ignore[attr-defined]
