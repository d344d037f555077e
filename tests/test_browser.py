"""Built handbooks in a real browser (the sample, and one with HTML in its titles):
Playwright driving Debian's Chromium (/usr/bin/chromium) against the HTML served on
localhost."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from handbook import Build, build, governed, role, write_handbook
from test_inert_values import IMG, SCRIPT, quoted

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


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A built handbook on localhost, for as long as the block runs."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def site(sample_build: Build) -> Iterator[str]:
    with serve(sample_build.outdir) as url:
        yield url


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
    # and the services' measurements and the suppliers (issue 18), a sheet per record type with fields (the
    # customer surveys and complaints, audit reports, management reviews, actions, improvement and supplier
    # reviews, in the order their procedures are read), and the audit coverage (issue 17)
    assert load_workbook(xlsx_path).sheetnames == [
        "Matrix", "Documents", "Records", "Findings", "Measurements", "Suppliers",
        "RT-CUSTOMER-SURVEY", "RT-CUSTOMER-COMPLAINT", "RT-AUDIT-REPORT", "RT-MANAGEMENT-REVIEW",
        "RT-CORRECTIVE-ACTION", "RT-IMPROVEMENT-REVIEW", "RT-SUPPLIER-REVIEW", "Audit coverage",
    ]  # fmt: skip
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


#: a document's title and its owner role's name, each HTML that would run a script if it were markup
HOSTILE_TITLE = IMG
HOSTILE_NAME = f"{SCRIPT} {IMG}"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A handbook whose policy POL-001 has HTML for a title and whose owner role has HTML
    for a name. Those two pages are left out of the table of contents: the page heading
    and the navigation made from a page's title are safe mode's to test."""
    index = "# Hostile\n\n```{toctree}\n\npages/matrix\npages/dashboard\npolicies/plain\n```\n"
    root = write_handbook(
        tmp_path_factory.mktemp("hostile") / "hb",
        {
            "index.md": index,
            "roles/owner.md": role(title=quoted(HOSTILE_NAME), satisfies="[2]"),
            # overdue, so that the dashboard's most urgent items show it
            "policies/hostile.md": governed("POL-001", "policy", quoted(HOSTILE_TITLE), reviewed="2025-06-01"),
            "policies/plain.md": governed("POL-002", "policy", "Plain policy", satisfies="[1.2]"),
            "pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n",
        },
    )
    with serve(build(root).outdir) as url:
        yield url


def test_html_in_a_title_or_a_name_shows_as_text(page: object, hostile_site: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]

    def load(path: str) -> None:
        page.goto(f"{hostile_site}/{path}")  # type: ignore[attr-defined]
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        # an <img src=x> made from a value would be in the document now, and its onerror would have run
        assert page.evaluate("document.querySelectorAll('img[src=\\'x\\']').length") == 0  # type: ignore[attr-defined]
        scripts = "Array.from(document.scripts).filter(s => s.text.includes('alert(')).length"
        assert page.evaluate(scripts) == 0  # type: ignore[attr-defined]

    def cells(table: str, row_text: str) -> list[str]:
        row = page.locator(f"{table} tbody tr").filter(has_text=row_text)  # type: ignore[attr-defined]
        assert row.count() == 1
        return [t.strip() for t in row.locator("td").all_inner_texts()]

    load("pages/matrix.html")
    assert (
        cells("table.clausewise-matrix", "1.1 Plans")[2]
        == f"POL-001 {HOSTILE_TITLE} \u2014 version 1.0, approved, {HOSTILE_NAME}"
    )
    load("pages/dashboard.html")
    assert cells("table.clausewise-urgent", "POL-001") == [
        "2026-06-01", "review overdue", "POL-001", HOSTILE_TITLE, HOSTILE_NAME, "last reviewed 2025-06-01",
    ]  # fmt: skip
    load("policies/plain.html")
    assert cells("table.clausewise-status-box", "Owner") == ["Owner", HOSTILE_NAME]
    assert dialogs == []


# --- revision history: who approved each change, against the demo's history ---------------------


def _history_rows(page: object) -> list[list[str]]:
    rows = page.locator("#clausewise-revision-history table.clausewise-history tbody tr")  # type: ignore[attr-defined]
    return [[" ".join(t.split()) for t in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]


def test_a_procedures_history_shows_each_approver_with_the_day_and_the_pull_request(page: object, site: str) -> None:
    """PRC-012 in the demo: created as 3.0, brought to 3.1, reviewed; each change a pull request
    approved an hour before its merge (the approval note the demo writes) by Tom Brennan, the member
    of its owner role (the service desk lead: aisha.khan, tom.brennan) who is not its author."""
    page.goto(f"{site}/procedures/incident-management.html")  # type: ignore[attr-defined]
    headers = page.locator("#clausewise-revision-history table.clausewise-history thead th").all_inner_texts()  # type: ignore[attr-defined]
    assert [h.strip() for h in headers] == ["Version", "Date", "Change", "Approved by"]
    rows = _history_rows(page)
    # newest first
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("3.1", "2026-03-12", "Tom Brennan, 2026-03-12"),
        ("3.1", "2025-04-01", "Tom Brennan, 2025-04-01"),
        ("3.0", "2024-05-17", "Tom Brennan, 2024-05-17"),
    ]
    assert rows[0][2].startswith("PRC-012 Incident management: reviewed, no change by Aisha Khan · commit ")
    newest = page.locator("#clausewise-revision-history table.clausewise-history tbody tr").first  # type: ignore[attr-defined]
    link = newest.locator("a", has_text="pull request #")
    assert link.count() == 1
    number = link.inner_text().removeprefix("pull request #")
    assert number.isdigit() and link.get_attribute("href") == f"https://forge.example.org/handbook/pull/{number}"
    # four columns that fit the page's content: nothing scrolls sideways or spills over
    table = page.locator("#clausewise-revision-history table.clausewise-history")  # type: ignore[attr-defined]
    fits = "t => t.scrollWidth <= t.parentElement.clientWidth + 1"
    assert table.is_visible() and table.evaluate(fits)
    ARTIFACTS.mkdir(exist_ok=True)
    table.screenshot(path=str(ARTIFACTS / "revision-history.png"))


@pytest.fixture(scope="module")
def unapproved_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small handbook whose policy was changed by a commit pushed straight to main, with no
    approval: the demo has no such change (every change of it is an approved pull request)."""
    from handbook import commit

    root = write_handbook(
        tmp_path_factory.mktemp("unapproved") / "hb",
        {"roles/owner.md": role(satisfies=None), "policies/p.md": governed("POL-001", "policy", "Policy")},
    )
    commit(root, "Quick fix pushed to main\n\nApproved-by: Bob Reviewer <bob@example.org>", "2026-08-01T09:00:00+00:00",
           {"policies/p.md": governed("POL-001", "policy", "Policy", body="Fixed.\n")})  # fmt: skip
    commit(root, "Another quick fix", "2026-09-01T09:00:00+00:00",
           {"policies/p.md": governed("POL-001", "policy", "Policy", body="Fixed again.\n")})  # fmt: skip
    with serve(build(root).outdir) as url:
        yield url


def test_a_change_merged_without_approval_says_so_in_words(page: object, unapproved_site: str) -> None:
    page.goto(f"{unapproved_site}/policies/p.html")  # type: ignore[attr-defined]
    rows = _history_rows(page)
    assert [(r[1], r[3]) for r in rows] == [
        ("2026-09-01", "No approval recorded"),
        ("2026-08-01", "Bob Reviewer (commit trailer, undated)"),
        ("2026-07-01", "No approval recorded"),
    ]
    marked = page.locator("table.clausewise-history tr.clausewise-unapproved")  # type: ignore[attr-defined]
    assert marked.count() == 2 and marked.first.is_visible()


@pytest.fixture(scope="module")
def owner_rule_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small handbook that asks for the owner's approval (members: dana): one change approved in its
    note by someone outside the owner role, one by dana."""
    import json
    import subprocess

    from handbook import commit

    root = write_handbook(
        tmp_path_factory.mktemp("owner-rule") / "hb",
        {"roles/owner.md": role(satisfies=None, members="[dana]"),
         "policies/p.md": governed("POL-001", "policy", "Policy")},
        'clausewise_approval = {"by": "owner", "since": "2026-08-01"}\n',
    )  # fmt: skip
    for day, body, login, name in (("2026-08-04", "Fixed.\n", "gina", "Gina Security"),
                                   ("2026-09-01", "Fixed again.\n", "dana", "Dana Quality")):  # fmt: skip
        sha = commit(root, f"Change of {day} (#1)", f"{day}T10:00:00+00:00",
                     {"policies/p.md": governed("POL-001", "policy", "Policy", body=body)})  # fmt: skip
        note = {"pull_request": {"number": 1, "author": "carl"},
                "approvals": [{"login": login, "name": name, "at": f"{day}T09:00:00Z"}]}  # fmt: skip
        subprocess.run(["git", "notes", "--ref=refs/notes/clausewise/approvals", "add", "-F", "-", sha], cwd=root,
                       input=json.dumps(note), text=True, check=True, capture_output=True)  # fmt: skip
    with serve(build(root).outdir) as url:
        yield url


def test_a_change_the_approval_rule_refuses_says_why_as_the_finding_does(page: object, owner_rule_site: str) -> None:
    page.goto(f"{owner_rule_site}/policies/p.html")  # type: ignore[attr-defined]
    rows = _history_rows(page)
    assert [(r[1], r[3]) for r in rows] == [
        ("2026-09-01", "Dana Quality, 2026-09-01"),
        ("2026-08-04", "No approval recorded Not counted, not a member of ROLE-OWNER: Gina Security, 2026-08-04"),
        ("2026-07-01", "No approval recorded"),  # before the rule's since: no approval by anyone
    ]
    marked = page.locator("table.clausewise-history tr.clausewise-unapproved")  # type: ignore[attr-defined]
    assert marked.count() == 2 and marked.first.is_visible()


def test_the_action_registers_owner_filter_shows_that_roles_actions_only(page: object, site: str) -> None:
    page.goto(f"{site}/docs/actions.html")  # type: ignore[attr-defined]
    rows = "table.clausewise-action-register > tbody > tr"
    assert page.locator(rows).count() == 7  # type: ignore[attr-defined]
    assert page.locator(".clausewise-action-filters").is_visible()  # type: ignore[attr-defined]
    page.click(".clausewise-action-filters button:text-is('Change and release manager')")  # type: ignore[attr-defined]
    visible = page.locator(f"{rows}:visible")  # type: ignore[attr-defined]
    assert [text.split()[0] for text in visible.all_inner_texts()] == [
        "REC-CORRECTIVE-ACTION-2026-07-02", "REC-CORRECTIVE-ACTION-2024-04-10",
    ]  # fmt: skip
    assert page.inner_text(".clausewise-action-shown") == "Showing 2 of 7 actions"  # type: ignore[attr-defined]
    pressed = page.locator(".clausewise-action-filters button[aria-pressed='true']").all_inner_texts()  # type: ignore[attr-defined]
    assert pressed == ["Every source", "Change and release manager"]
    page.click(".clausewise-action-filters button:text-is('NC-2026-01')")  # type: ignore[attr-defined]
    assert page.inner_text(".clausewise-action-shown") == "Showing 1 of 7 actions"  # type: ignore[attr-defined]
    page.click(".clausewise-action-filters button:text-is('Every owner')")  # type: ignore[attr-defined]
    page.click(".clausewise-action-filters button:text-is('Every source')")  # type: ignore[attr-defined]
    assert page.locator(f"{rows}:visible").count() == 7  # type: ignore[attr-defined]
