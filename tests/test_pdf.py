"""``clausewise pdf`` as a controlled copy, read back from the PDF with poppler's tools:
the cover, the table of contents and its page numbers, each document on a sheet of its
own under a running header, "Page x of y", and what is left out of paper."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from clausewise.cli.builds import cover_html, with_cover
from clausewise.core.settings import ClausewiseConfig
from clausewise.sphinxext.printed import LEFT_OUT_DASHBOARD, LEFT_OUT_GRIDS
from git import Repo
from handbook import build, governed, role, run_clausewise, write_handbook
from test_auditor_tools import pdf_text

CONF = 'clausewise_sms_start = "2026-01-01"\nclausewise_organisation = "Harbour & Quay <Services> Ltd"\n'

#: long enough to run over a sheet, so that the next document's start on a new one is seen
STEPS = "".join(
    f"{n}. Step number {n} of the reporting procedure is carried out and checked.\n\n" for n in range(1, 70)
)
#: lines longer than a sheet is wide: a command, and a path in the text
STEPS += (
    "```\nclausewise new record RT-REPORT --period 2026-Q3 --produced 2026-10-05 --produced-by 'A. Person' "
    "--evidence https://reports.example.org/quarterly/2026/q3/final-signed-report.pdf\n```\n\n"
    "The signed copy is kept at `Reports/Quarterly/2026/Q3/Final/Signed/Quarterly-service-report-2026-Q3-signed.pdf`"
    " in the document management system.\n"
)

PROCEDURE = governed(
    "PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]", reviewed="2026-01-02", version='"3.1"', body=STEPS
).replace(
    "satisfies: [1.1, 1.2]\n",
    "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Quarterly report\n"
    "    owner: ROLE-OWNER\n    evidences: [1.2]\n    cadence: quarterly\n",
)
POLICY = governed("POL-001", "policy", "Security policy", status="draft", version='"0.4"', body="The policy text.\n")
DASHBOARD = "# Dashboard\n\nWhere the system stands today.\n\n```{clausewise-dashboard}\n```\n"
#: a document of external origin, kept at a long address and overdue for review: the register's widest cells
EXTERNAL = (
    "---\nid: EXT-001\ntype: external\ntitle: Northwind hosting agreement\nowner: ROLE-OWNER\n"
    'issuer: Northwind Hosting Ltd\nedition: "3.1"\nlocation: https://contracts.example.org/agreements/'
    "northwind-hosting/master-services-agreement-with-all-schedules-2026.pdf\nstatus: approved\n"
    "reviewed: 2025-06-01\nclassification: internal\nsatisfies: [1.1]\n---\n\nNotes.\n"
)
REGISTER = "# Register\n\n```{document-register}\n```\n"


def poppler(*args: str) -> str:
    """What one of poppler's tools says; without it, as ``pdf_text``: skipped on a developer's
    machine, a failure in CI."""
    if shutil.which(args[0]) is None:
        if os.environ.get("CI"):
            pytest.fail("CI must read the PDFs back: install Debian's poppler-utils package (.ci/run does)")
        pytest.skip(f"{args[0]} not found: apt-get install poppler-utils to read the PDF back")
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def sheet_size(pdf: Path, number: int) -> str:
    """A sheet's size in points, as pdfinfo gives it ("595.276 x 841.89" is A4 upright)."""
    info = poppler("pdfinfo", "-f", str(number), "-l", str(number), str(pdf))
    found = re.search(rf"^Page +{number} size: +([\d.]+ x [\d.]+) pts", info, re.MULTILINE)
    assert found is not None, info
    return found[1]


def page_count(pdf: Path) -> int:
    found = re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", str(pdf)), re.MULTILINE)
    assert found is not None
    return int(found[1])


def sheet(pdf: Path, number: int) -> list[str]:
    """The lines of one sheet of the PDF, without the empty ones, each space between words one."""
    text = poppler("pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def make_pdf(root: Path, out: Path, *args: str) -> Path:
    done = run_clausewise("--handbook", root, "pdf", "--out", out, "--today", "2026-11-23", *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"PDF written: {out}"
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = write_handbook(
        tmp_path_factory.mktemp("pdf") / "hb",
        {
            "roles/owner.md": role(),
            "procedures/reporting.md": PROCEDURE,
            "policies/security.md": POLICY,
            "pages/dashboard.md": DASHBOARD,
            "pages/register.md": REGISTER,
            "external/northwind.md": EXTERNAL,
        },
        CONF,
    )
    sha = Repo(root).head.commit.hexsha
    return make_pdf(root, root.parent / "handbook.pdf"), sha


def contents_page(pdf: Path, label: str) -> int:
    """The page number the table of contents (on sheet 2) gives for ``label``."""
    for line in sheet(pdf, 2):
        found = re.fullmatch(rf"{re.escape(label)} ?\.+ ?(\d+)", line)
        if found:
            return int(found[1])
    raise AssertionError(f"{label!r} is not in the table of contents: {sheet(pdf, 2)}")


def test_the_cover_says_what_the_copy_is(printed: tuple[Path, str]) -> None:
    pdf, sha = printed
    pdf_text(pdf)  # skips, or fails in CI, without poppler
    assert sheet(pdf, 1) == [
        "Test handbook",
        "Organisation: Harbour & Quay <Services> Ltd",
        "Audience: staff (classifications public, internal)",
        f"Commit: {sha[:7]}",
        "Build date: 2026-11-23",
        "Uncontrolled when printed",
    ]


def test_the_contents_give_the_page_each_document_starts_on(printed: tuple[Path, str]) -> None:
    pdf, _ = printed
    pages = page_count(pdf)
    assert sheet(pdf, 2)[0] == "Contents"
    labels = [re.sub(r" ?\.+ ?\d+$", "", line) for line in sheet(pdf, 2)[1:-1]]
    # the root page, then the pages of its navigation tree in its order
    assert labels == ["Test handbook", "EXT-001 Northwind hosting agreement", "Clauses", "Dashboard", "Matrix",
                      "Register", "POL-001 Security policy", "PRC-001 Reporting", "ROLE-OWNER Owner"]  # fmt: skip
    start = contents_page(pdf, "PRC-001 Reporting")
    # the document starts at the top of that sheet, under its running header: id, title, version, status
    assert sheet(pdf, start)[:2] == ["PRC-001 · Reporting · version 3.1 · approved", "Reporting"]
    # ... it runs over more than one sheet, each with the same header, and the next starts a sheet of its own
    following = contents_page(pdf, "ROLE-OWNER Owner")
    assert following > start + 1
    assert sheet(pdf, start + 1)[0] == "PRC-001 · Reporting · version 3.1 · approved"
    assert sheet(pdf, following)[:2] == ["ROLE-OWNER · Owner · version 1.0 · approved", "Owner"]
    assert sheet(pdf, following - 1)[0] == "PRC-001 · Reporting · version 3.1 · approved"
    policy = contents_page(pdf, "POL-001 Security policy")
    assert sheet(pdf, policy)[:2] == ["POL-001 · Security policy · version 0.4 · draft", "Security policy"]
    assert following == pages  # the role's page is the last
    external = contents_page(pdf, "EXT-001 Northwind hosting agreement")
    assert sheet(pdf, external)[:2] == [
        "EXT-001 · Northwind hosting agreement · edition 3.1 · approved", "Northwind hosting agreement"
    ]  # fmt: skip


def test_every_sheet_but_the_cover_says_page_x_of_y(printed: tuple[Path, str]) -> None:
    pdf, sha = printed
    pages = page_count(pdf)
    assert pages >= 8
    assert sheet(pdf, 2)[-1] == f"Commit: {sha[:7]} · Uncontrolled when printed Page 2 of {pages}"
    assert sheet(pdf, pages)[-1] == f"Commit: {sha[:7]} · Uncontrolled when printed Page {pages} of {pages}"
    assert not any("Page 1 of" in line for line in sheet(pdf, 1))


def test_what_makes_no_sense_on_paper_is_summarised(printed: tuple[Path, str]) -> None:
    pdf, _ = printed
    text = pdf_text(pdf)
    dashboard = sheet(pdf, contents_page(pdf, "Dashboard"))
    # its running header, its title, and why the rest is not printed: that is all
    assert " ".join(dashboard[:-1]) == f"Dashboard Dashboard {LEFT_OUT_DASHBOARD}"
    assert "Where the system stands today." not in text and "Most urgent" not in text
    # the procedure keeps its record types' table, not the grid of every period
    assert "RT-REPORT" in text and "Quarterly report" in text
    assert "RT-REPORT Quarterly report: periods" not in text
    assert " ".join(LEFT_OUT_GRIDS.split()) in " ".join(text.split())
    # no word is split with a hyphen in a narrow cell ("ap-proved")
    assert "\u2010" not in text and not re.search(r"\w-\n", text)


def test_a_page_with_a_table_too_wide_for_a_portrait_sheet_is_printed_across(printed: tuple[Path, str]) -> None:
    pdf, _ = printed
    register = contents_page(pdf, "Register")
    # the document register has 12 columns; the clause catalogue 3, the policy's status box 2
    clauses = contents_page(pdf, "Clauses")
    assert [sheet_size(pdf, n) for n in (clauses, register, register + 1)] == [
        "595.276 x 841.89", "841.89 x 595.276", "595.276 x 841.89"
    ]  # fmt: skip
    assert sheet(pdf, register)[:2] == ["Register", "Register"]
    # each row's id and owner whole on its first line: no column is squeezed to a letter's width
    rows = [line for line in sheet(pdf, register) if re.match(r"(EXT|POL|PRC|ROLE)-", line)]
    assert [line.split()[0] for line in rows][:3] == ["EXT-001", "POL-001", "PRC-001"] and len(rows) == 4
    assert all(" Owner internal " in line for line in rows)
    assert sheet(pdf, register + 1)[0] == "POL-001 · Security policy · version 0.4 · draft"


def test_nothing_runs_off_a_sheet(printed: tuple[Path, str]) -> None:
    """Every word of every sheet lies within its margins (16 mm left and right), upright or
    across: a table too wide for the sheet would run past the right one."""
    pdf, _ = printed
    margin = 16 / 25.4 * 72
    layout = poppler("pdftotext", "-bbox", str(pdf), "-")
    sheets = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', layout, re.DOTALL)
    assert len(sheets) == page_count(pdf)
    outside = []
    for number, (width, words) in enumerate(sheets, start=1):
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" [^>]*>(.*?)</word>', words
        ):
            if float(x_min) < margin - 1 or float(x_max) > float(width) - margin + 1:
                outside.append((number, word))
    assert outside == []
    # (the register's overdue marker is there to be fitted)
    assert "OVERDUE (175" in " ".join(sheet(pdf, contents_page(pdf, "Register")))


def test_a_work_tree_with_uncommitted_changes_says_so_on_the_cover(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role()}, CONF)
    (root / "roles" / "owner.md").write_text(role(title="Owner, edited"), encoding="utf-8")
    pdf = make_pdf(root, tmp_path / "dirty.pdf", "--audience", "auditor")
    sha = Repo(root).head.commit.hexsha
    assert sheet(pdf, 1)[2:5] == [
        "Audience: auditor (classifications public, internal, confidential)",
        f"Commit: {sha[:7]} (uncommitted changes)",
        "Build date: 2026-11-23",
    ]
    assert (
        sheet(pdf, 2)[-1]
        == f"Commit: {sha[:7]} (uncommitted changes) · Uncontrolled when printed Page 2 of {page_count(pdf)}"
    )


def test_the_cover_of_a_handbook_outside_git_and_its_escaping() -> None:
    cfg = ClausewiseConfig.from_values({"clausewise_organisation": "A <b>bold</b> & co"}, today=None, audience="staff")
    cover = cover_html("Title <script>", cfg, None, False, "2026-11-23")
    assert cover == (
        '<div class="clausewise-cover"><h1>Title &lt;script&gt;</h1>'
        '<p class="clausewise-cover-organisation">Organisation: A &lt;b&gt;bold&lt;/b&gt; &amp; co</p>'
        '<p class="clausewise-cover-audience">Audience: staff (classifications public, internal)</p>'
        '<p class="clausewise-cover-commit">Commit: none (the handbook is not in a git repository)</p>'
        '<p class="clausewise-cover-date">Build date: 2026-11-23</p>'
        '<p class="clausewise-cover-uncontrolled">Uncontrolled when printed</p></div>'
    )
    page = '<html><head><title>a &lt;body&gt;</title></head><body class="x">\n<div>page</div></body></html>'
    assert with_cover(page, "<p>C</p>") == (
        '<html><head><title>a &lt;body&gt;</title></head><body class="x"><p>C</p>\n<div>page</div></body></html>'
    )


def test_the_html_pages_are_not_marked_for_print(tmp_path: Path) -> None:
    """Only the PDF's single-page build has markers, contents and the print stylesheet:
    the HTML pages keep their grids and link no print stylesheet."""
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(), "procedures/reporting.md": PROCEDURE}, CONF)
    built = build(root, fresh=True)
    page = built.page_html("procedures/reporting")
    assert "clausewise-print" not in page and "RT-REPORT Quarterly report: periods" in page
    assert "clausewise-print" not in built.page_html("index")


def test_every_link_of_the_single_page_lands_on_an_anchor_of_it(tmp_path: Path) -> None:
    """The PDF's links go somewhere: in the single page, a generated link to another page's
    item is ``#item``, not that page's address with the item after it."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.ids: set[str] = set()
            self.fragments: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if found.get("id"):
                self.ids.add(str(found["id"]))
            href = found.get("href") or ""
            if tag == "a" and href.startswith("#") and href != "#":  # "#" is the top: the theme's own
                self.fragments.append(href[1:])

    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(), "procedures/reporting.md": PROCEDURE}, CONF)
    built = build(root, fresh=True, builder="singlehtml")
    links = Links()
    links.feed((built.outdir / "index.html").read_text(encoding="utf-8"))
    # the matrix links the procedure and its role; the status boxes the role and the clauses
    assert {"PRC-001", "ROLE-OWNER", "RT-REPORT"} <= set(links.fragments)
    assert [f for f in links.fragments if f not in links.ids] == []
