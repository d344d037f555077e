"""The built sample handbook in a real browser: Playwright driving Debian's Chromium
(/usr/bin/chromium) against the HTML served on localhost."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from handbook import Build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: install Debian's chromium package (.ci/run does)")
    pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium to run the browser tests",
                allow_module_level=True)  # fmt: skip

playwright = pytest.importorskip("playwright.sync_api")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(sample_build: Build) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(sample_build.outdir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


def test_landing_page_loads_without_console_errors(page: object, site: str) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: errors.append(str(e)))  # type: ignore[attr-defined]
    response = page.goto(f"{site}/index.html")  # type: ignore[attr-defined]
    assert response.status == 200
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert page.title() == "Fernhill SMS handbook"  # type: ignore[attr-defined]
    assert errors == []


def test_search_finds_a_procedure_by_a_word_in_its_body(page: object, site: str) -> None:
    # "synthetic" appears in the body of the availability procedure, not in its title
    page.goto(f"{site}/search.html?q=synthetic")  # type: ignore[attr-defined]
    results = page.locator("ul.search li")  # type: ignore[attr-defined]
    results.first.wait_for(timeout=15000)
    titles = [t.strip() for t in page.locator("ul.search li > a").all_inner_texts()]  # type: ignore[attr-defined]
    assert "Service availability management" in titles


def test_role_page_lists_its_documents(page: object, site: str) -> None:
    page.goto(f"{site}/docs/roles/service-desk-lead.html")  # type: ignore[attr-defined]
    section = page.locator("#clausewise-role-duties")  # type: ignore[attr-defined]
    owned = section.locator("table").first.locator("tbody tr td:first-child").all_inner_texts()
    assert owned == ["PRC-012", "PRC-013", "PRC-014"]
    page.click("#clausewise-role-duties >> text=PRC-012")  # type: ignore[attr-defined]
    assert page.url.endswith("/procedures/incident-management.html#PRC-012")  # type: ignore[attr-defined]


def test_matrix_downloads_are_real_files(page: object, site: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page.goto(f"{site}/docs/matrix.html")  # type: ignore[attr-defined]
    with page.expect_download() as csv_download:  # type: ignore[attr-defined]
        page.click("a[href$='matrix.csv']")  # type: ignore[attr-defined]
    csv_path = tmp_path / "matrix.csv"
    csv_download.value.save_as(csv_path)
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith('"clause","heading","coverage",')  # every cell quoted (formula-safe)
    assert len(lines) == 78  # the header and 77 clauses
    with page.expect_download() as xlsx_download:  # type: ignore[attr-defined]
        page.click("a[href$='clausewise.xlsx']")  # type: ignore[attr-defined]
    xlsx_path = tmp_path / "clausewise.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    assert load_workbook(xlsx_path).sheetnames == ["Matrix", "Documents", "Records", "Findings"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "matrix.png"), full_page=True)  # type: ignore[attr-defined]


def test_dashboard_chart_is_visible(page: object, site: str) -> None:
    page.goto(f"{site}/docs/dashboard.html")  # type: ignore[attr-defined]
    charts = page.locator("svg.clausewise-chart")  # type: ignore[attr-defined]
    assert charts.count() == 3
    box = charts.first.bounding_box()
    assert charts.first.is_visible() and box is not None and box["width"] > 300 and box["height"] > 100
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)  # type: ignore[attr-defined]
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
