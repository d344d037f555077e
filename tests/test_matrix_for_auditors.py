"""The traceability matrix as an auditor samples it (issue 16): per clause its coverage with the
reason in words, the documents with version and status, each record type's latest record and its
missing periods in the audit window linked to the grid; the filter buttons' markup and script;
the same columns in matrix.csv and the workbook. Real Sphinx builds of small handbooks in real git
repositories, today pinned to 2026-11-23 (the browser's side is tests/test_browser_matrix.py)."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from clausewise.core.model import Justification
from clausewise.rules.coverage import ClauseCoverage, Coverage, PeriodGap, Ref, coverage_reason, reason_text
from handbook import Build, build, governed, role
from openpyxl import load_workbook
from test_anchors import broken_fragments
from test_audit_window import handbook as monthly_handbook
from test_catalogues import two_standards


class _Matrix(HTMLParser):
    """The rows of every ``table.clausewise-matrix`` on a page: each row's classes and its cells'
    text, a cell's lines (``div.line``) joined by " / ", whitespace folded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[list[str], list[str]]] = []
        self._depth = 0  # inside a matrix table's <tbody>
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and "clausewise-matrix" in classes:
            self._depth = 1
        elif self._depth and tag == "tbody":
            self._depth = 2
        elif self._depth == 2 and tag == "tr":
            self.rows.append(([c for c in classes if not c.startswith("row-")], []))
        elif self._depth == 2 and tag == "td":
            self._cell = []
        elif self._cell is not None and tag == "div" and "line" in classes:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            lines = (" ".join(line.split()) for line in "".join(self._cell).split("\n"))
            self.rows[-1][1].append(" / ".join(line for line in lines if line))
            self._cell = None
        elif tag == "table" and self._depth:
            self._depth = 0

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def matrix_rows(result: Build, page: str = "pages/matrix") -> list[tuple[list[str], list[str]]]:
    parser = _Matrix()
    parser.feed(result.page_html(page))
    return parser.rows


def gap_handbook(tmp_path: Path) -> Path:
    """A monthly report (RT-REPORT) evidences 1.1 and misses 2026-03, inside the audit window;
    1.2 is covered without records; only a draft satisfies 2."""
    draft = governed("POL-002", "policy", "Operations", satisfies="[2]", status="draft", effective=None, reviewed=None)
    extra = {"roles/owner.md": role(satisfies=None), "policies/operations.md": draft}
    return monthly_handbook(tmp_path, "2026-03", extra=extra)


def test_each_row_says_why_and_links_to_its_evidence(tmp_path: Path) -> None:
    result = build(gap_handbook(tmp_path))
    assert matrix_rows(result) == [
        (["clausewise-covered-with-gaps", "clausewise-gap"],
         ["1 Planning",
          "Covered with gaps: no document satisfies it directly: it takes the coverage of its sub-clauses",
          "\u2014", "\u2014"]),
        (["clausewise-covered-with-gaps", "clausewise-gap"],
         ["1.1 Plans",
          "Covered with gaps: an approved document in force satisfies it; 1 missing period of RT-REPORT in the "
          "last 12 months",
          "PRC-001 Reporting \u2014 version 1.0, approved, Owner",
          "RT-REPORT: latest REC-REPORT-2026-09 (period 2026-09, produced 2026-10-05); 1 missing period in the "
          "last 12 months (2026-03)"]),
        (["clausewise-covered"],
         ["1.2 Objectives", "Covered: an approved document in force satisfies it",
          "PRC-001 Reporting \u2014 version 1.0, approved, Owner", "\u2014"]),
        (["clausewise-declared", "clausewise-gap"],
         ["2 Operation", "Declared only: only documents not in force satisfy it: POL-002 (draft)",
          "POL-002 Operations \u2014 version 1.0, draft, Owner", "\u2014"]),
    ]  # fmt: skip
    page = result.page_html("pages/matrix")
    # the headers, key columns first
    assert (
        '<th class="head"><p>Clause</p></th>\n<th class="head"><p>Coverage</p></th>\n'
        '<th class="head"><p>Documents that satisfy it</p></th>\n'
        '<th class="head"><p>Records (latest, missing periods)</p></th>'
    ) in page
    # the latest record links to its page, the count of missing periods to the record type's grid,
    # a document to its page, and a record type named in a reason to its grid too
    assert 'href="../records/report/2026-09.html#REC-REPORT-2026-09">REC-REPORT-2026-09</a>' in page
    assert 'href="../procedures/reporting.html#RT-REPORT">1 missing period in the last 12 months</a>' in page
    assert 'href="../procedures/reporting.html#PRC-001">PRC-001</a>' in page
    assert page.count('href="../procedures/reporting.html#RT-REPORT">RT-REPORT</a>') == 2  # reason, record type
    assert broken_fragments(result.outdir) == []


def test_a_record_type_without_gaps_says_so_and_every_record_exists(tmp_path: Path) -> None:
    result = build(monthly_handbook(tmp_path, "2025-10"))  # missing before the window only
    assert matrix_rows(result)[1] == (
        ["clausewise-covered"],
        ["1.1 Plans",
         "Covered: an approved document in force satisfies it; every record due in the last 12 months exists",
         "PRC-001 Reporting \u2014 version 1.0, approved, Owner",
         "RT-REPORT: latest REC-REPORT-2026-09 (period 2026-09, produced 2026-10-05); no missing period in the "
         "last 12 months"],
    )  # fmt: skip


def test_the_filters_are_buttons_hidden_until_the_script_shows_them(tmp_path: Path) -> None:
    result = build(gap_handbook(tmp_path))
    page = result.page_html("pages/matrix")
    assert (
        '<div class="clausewise-matrix-filters" hidden><div role="group" aria-label="Clauses">'
        '<button type="button" data-filter="rows" data-value="all" aria-pressed="true">All clauses (4)</button>'
        '<button type="button" data-filter="rows" data-value="gaps" aria-pressed="false">Gaps only (3)</button>'
        '</div><p class="clausewise-matrix-shown" aria-live="polite">Showing 4 of 4 clauses</p></div>'
    ) in page
    assert page.count('<script defer="defer" src="../_static/clausewise-matrix.js') == 1
    # only the matrix's page loads its script
    assert "clausewise-matrix.js" not in result.page_html("pages/clauses")
    assert "clausewise-matrix.js" not in result.page_html("procedures/reporting")
    assert (result.outdir / "_static" / "clausewise-matrix.js").is_file()


def test_several_standards_get_a_button_and_a_part_each(tmp_path: Path) -> None:
    result = build(two_standards(tmp_path), fresh=True)
    page = result.page_html("pages/matrix")
    assert (
        '<div role="group" aria-label="Standard">'
        '<button type="button" data-filter="standard" data-value="all" aria-pressed="true">All standards</button>'
        '<button type="button" data-filter="standard" data-value="matrix-mini" aria-pressed="false">'
        "Mini standard</button>"
        '<button type="button" data-filter="standard" data-value="matrix-sec" aria-pressed="false">'
        "Security standard</button></div>"
    ) in page
    # each button names the part it shows: the standard's heading, summary and table
    assert page.count('<div class="clausewise-matrix-part docutils container" id="matrix-mini">') == 1
    assert page.count('<div class="clausewise-matrix-part docutils container" id="matrix-sec">') == 1
    assert "All clauses (9) Gaps only (3) " in result.page_text("pages/matrix")  # sec's A, A.5 and A.5.2
    assert [cells[0] for classes, cells in matrix_rows(result) if "clausewise-gap" in classes] == [
        "A Controls", "A.5 Organizational controls", "A.5.2 Roles",
    ]  # fmt: skip


def test_the_exports_carry_the_same_columns(tmp_path: Path) -> None:
    result = build(gap_handbook(tmp_path))
    with (result.outdir / "clausewise" / "matrix.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "clause", "heading", "coverage", "through_subclauses", "documents", "document_titles", "record_types",
        "record_types_missing", "justification", "standard", "gaps", "latest_records", "coverage_reason",
        "document_versions", "document_statuses", "missing_periods",
    ]  # fmt: skip
    gap_row = [
        "1.1", "Plans", "covered with gaps", "no", "PRC-001", "Reporting", "RT-REPORT", "", "", "MINI",
        "RT-REPORT 2026-03", "RT-REPORT: REC-REPORT-2026-09 (2026-09, produced 2026-10-05)",
        "an approved document in force satisfies it; 1 missing period of RT-REPORT in the last 12 months",
        "1.0", "approved", "RT-REPORT: 1",
    ]  # fmt: skip
    assert rows[2] == gap_row
    assert rows[4] == [
        "2", "Operation", "declared only", "no", "POL-002", "Operations", "", "", "", "MINI", "", "",
        "only documents not in force satisfy it: POL-002 (draft)", "1.0", "draft", "",
    ]  # fmt: skip
    sheet = load_workbook(result.outdir / "clausewise" / "clausewise.xlsx")["Matrix"]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == rows[0]
    assert cells[2] == [value or None for value in gap_row]
    # the gap rows of the export are the rows "Gaps only" shows
    gap_states = ("covered with gaps", "records missing", "declared only", "uncovered")
    gaps = [row[0] for row in rows[1:] if row[2] in gap_states]
    assert gaps == ["1", "1.1", "2"]
    assert [cells[0].split()[0] for classes, cells in matrix_rows(result) if "clausewise-gap" in classes] == gaps


def test_the_sample_matrix_page_explains_every_exported_column() -> None:
    """The matrix page is where an auditor looks a column up: each of the export's is there, as code."""
    from clausewise.outputs.exports import COLUMNS

    page = (Path(__file__).parent.parent / "docs" / "matrix.md").read_text(encoding="utf-8")
    assert [column for column in COLUMNS["Matrix"] if f"`{column}`" not in page] == []


def clause_row(state: Coverage, **fields: object) -> ClauseCoverage:
    base: dict[str, Any] = {
        "number": "8.1", "heading": "Planning", "need_id": "X-8-1", "depth": 2, "status": state, "documents": (),
        "record_types": (), "via_subclauses": False, "justification": None, "leaf": True,
    }  # fmt: skip
    return ClauseCoverage(**(base | fields))


def test_the_reason_names_each_record_type_once_with_its_own_count() -> None:
    row = clause_row(
        Coverage.RECORDS_MISSING,
        stale_record_types=("RT-A",),
        gaps=(PeriodGap("RT-A", "2026-08"), PeriodGap("RT-A", "2026-09"), PeriodGap("RT-B", "2026-Q1")),
    )
    reason = coverage_reason(row, "6 months")
    assert reason_text(reason) == (
        "an approved document in force satisfies it; the latest due record of RT-A is missing (2 missing periods "
        "in the last 6 months in all); 1 missing period of RT-B in the last 6 months"
    )
    assert [part for part in reason if isinstance(part, Ref)] == [Ref("RT-A"), Ref("RT-B")]  # each linked once
    # a record type without periods says what it lacks instead
    unscheduled = {"RT-A": "has no record within its own window"}
    assert reason_text(coverage_reason(row, "6 months", unscheduled)).startswith(
        "an approved document in force satisfies it; RT-A has no record within its own window; "
    )


def test_the_reason_of_an_excluded_clause_and_of_a_parent_whose_sub_clauses_are() -> None:
    excluded = clause_row(Coverage.NOT_APPLICABLE, excluded=("DOC-1", Justification("A.5.2", "No staff", 3)))
    assert coverage_reason(excluded, "12 months") == ("excluded in ", Ref("DOC-1"), ": No staff")
    parent = clause_row(Coverage.NOT_APPLICABLE, leaf=False)
    assert coverage_reason(parent, "12 months") == ("every one of its sub-clauses is excluded",)
    justified = clause_row(
        Coverage.UNCOVERED, justification=("DOC-1", Justification("8.1", "Next year", 4)), excludable=True
    )
    # an excludable control's justified gap is a choice, not work planned
    assert reason_text(coverage_reason(justified, "12 months")) == (
        "no document satisfies it; justified in DOC-1: Next year"
    )
