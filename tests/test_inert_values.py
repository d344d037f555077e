"""Values written to do harm stay inert in everything clausewise generates.

Front matter is written by anyone who can propose a change. A title, a role's
name, a reason or a record's author that looks like a spreadsheet formula, like
HTML or like a calendar property must come out of the build as that text: a
text cell in the CSV and the workbook, escaped text in the generated tables and
charts, escaped RFC 5545 text in the calendars, a comment in CODEOWNERS.
(The page heading and the navigation come from the page's title through MyST and
Sphinx: safe mode's tests cover them.)
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

from clausewise.outputs.dashboard import bar_svg, stacked_bars_svg
from clausewise.outputs.exports import write_csv, write_xlsx
from handbook import Build, build, governed, ok, record, role, run_clausewise, write_handbook
from icalendar import Calendar
from openpyxl import load_workbook
from test_catalogues import SEC_CATALOGUE, TWO

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>alert(1)</script>'


def quoted(text: str) -> str:
    """``text`` as a single-quoted YAML scalar."""
    return "'" + text.replace("'", "''") + "'"


def with_record_type(document: str, title: str, cadence: str = "monthly") -> str:
    """``document`` with one record type RT-REPORT owned by ROLE-OWNER, evidencing 1.2."""
    return document.replace(
        "classification: internal\n",
        f"classification: internal\nrecord_types:\n  - id: RT-REPORT\n    title: {title}\n"
        f"    owner: ROLE-OWNER\n    evidences: [1.2]\n    cadence: {cadence}\n",
        1,
    )


# ---------------------------------------------------------------- spreadsheets

#: a value of each kind a spreadsheet program may take for a formula; front matter's
#: text values are trimmed, so the tab and the carriage return reach the export as the
#: formula they were put before
FORMULAS = {
    "POL-001 title": ("=1+2", "=1+2"),
    "PRC-001 title": ("+1+2", "+1+2"),
    "RT-REPORT title": ("-1+2", "-1+2"),
    "DOC-001 title": ('"\\t=HYPERLINK(\\"http://evil.example\\")"', '=HYPERLINK("http://evil.example")'),
    "DOC-002 title": ('"\\r@SUM(1+2)"', "@SUM(1+2)"),
    "ROLE-OWNER title": ("\"=cmd|' /C calc'!A0\"", "=cmd|' /C calc'!A0"),
    "uncovered reason": ("'@SUM(1,2)'", "@SUM(1,2)"),
    "excluded reason": ("'-2+3&\"<b>x</b>\"'", '-2+3&"<b>x</b>"'),  # and XML's own characters
}


def formula_handbook(tmp_path: Path) -> Path:
    def written(key: str) -> str:
        return FORMULAS[key][0]

    policy = governed(
        "POL-001", "policy", written("POL-001 title"), satisfies='["1.1", "sec:A.5.1"]',
        uncovered_clauses=f"\n  - clause: sec:4\n    reason: {written('uncovered reason')}",
        excluded=f"\n  - clause: sec:A.5.2\n    reason: {written('excluded reason')}",
    )  # fmt: skip
    procedure = with_record_type(
        governed("PRC-001", "procedure", written("PRC-001 title"), satisfies="[1.2]"), written("RT-REPORT title")
    )
    return write_handbook(
        tmp_path / "hb",
        {
            "sec.yaml": SEC_CATALOGUE,
            "roles/owner.md": role(title=written("ROLE-OWNER title")),
            "policies/formula.md": policy,
            "policies/tab.md": governed("DOC-001", "document", written("DOC-001 title"), satisfies="[2]"),
            "policies/cr.md": governed("DOC-002", "document", written("DOC-002 title"), satisfies="[2]"),
            "procedures/report.md": procedure,
            "records/report/2026-10.md": record("REC-REPORT-2026-10", "RT-REPORT", "2026-10", produced="2026-11-02"),
        },
        TWO + 'clausewise_sms_start = "2026-10-01"\n',
    )


def value(key: str) -> str:
    return FORMULAS[key][1]


#: the last four cells of a row covered through its sub-clauses: the reason, and no documents or record types
THROUGH_SUBCLAUSES = ["no document satisfies it directly: it takes the coverage of its sub-clauses", "", "", ""]


def test_csv_cells_that_start_like_a_formula_get_a_leading_quote(tmp_path: Path) -> None:
    result = build(formula_handbook(tmp_path))
    assert result.findings == []
    text = (result.outdir / "clausewise" / "matrix.csv").read_text()
    # every cell quoted: a program that splits on ';' cannot start a cell inside a value
    assert text.splitlines()[0] == (
        '"clause","heading","coverage","through_subclauses","documents","document_titles","record_types",'
        '"record_types_missing","justification","standard","gaps","latest_records","coverage_reason",'
        '"document_versions","document_statuses","missing_periods"'
    )
    with (result.outdir / "clausewise" / "matrix.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1:] == [
        ["1", "Planning", "covered", "yes", "", "", "", "", "", "MINI", "", "", *THROUGH_SUBCLAUSES],
        ["1.1", "Plans", "covered", "no", "POL-001", "'" + value("POL-001 title"), "", "", "", "MINI", "", "",
         "an approved document in force satisfies it", "1.0", "approved", ""],
        ["1.2", "Objectives", "covered", "no", "PRC-001", "'" + value("PRC-001 title"), "RT-REPORT", "", "", "MINI", "",
         "RT-REPORT: REC-REPORT-2026-10 (2026-10, produced 2026-11-02)",
         "an approved document in force satisfies it; every record due in the last 12 months exists", "1.0",
         "approved", "RT-REPORT: 0"],
        ["2", "Operation", "covered", "no", "DOC-001; DOC-002; ROLE-OWNER",
         f"'{value('DOC-001 title')}; {value('DOC-002 title')}; {value('ROLE-OWNER title')}", "", "", "",
         "MINI", "", "", "an approved document in force satisfies it", "1.0; 1.0; 1.0",
         "approved; approved; approved", ""],
        ["4", "Context", "uncovered", "no", "", "", "", "", "'" + value("uncovered reason"), "sec", "", "",
         f"no document satisfies it; justified in POL-001: {value('uncovered reason')} (known gap, action planned)",
         "", "", ""],
        ["A", "Controls", "covered", "yes", "", "", "", "", "", "sec", "", "", *THROUGH_SUBCLAUSES],
        ["A.5", "Organizational controls", "covered", "yes", "", "", "", "", "", "sec", "", "", *THROUGH_SUBCLAUSES],
        ["A.5.1", "Policies", "covered", "no", "POL-001", "'" + value("POL-001 title"), "", "", "", "sec", "", "",
         "an approved document in force satisfies it", "1.0", "approved", ""],
        ["A.5.2", "Roles", "not applicable", "no", "", "", "", "", "", "sec", "", "",
         f"excluded in POL-001: {value('excluded reason')}", "", "", ""],
    ]  # fmt: skip


def sheet_xml(path: Path) -> dict[str, ET.Element]:
    """Each sheet's XML as written, by sheet name."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as book:
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        return {
            s.get("name", ""): ET.fromstring(book.read("xl/" + str(targets[s.get(rel)]).removeprefix("/xl/")))
            for s in workbook.findall("m:sheets/m:sheet", ns)
        }


def quote_prefixed_styles(path: Path) -> set[str]:
    """The indexes of the cell formats that carry Excel's quote prefix."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as book:
        styles = ET.fromstring(book.read("xl/styles.xml"))
    formats = styles.findall("m:cellXfs/m:xf", ns)
    return {str(n) for n, xf in enumerate(formats) if xf.get("quotePrefix") == "1"}


def xml_cells(sheet: ET.Element) -> dict[str, ET.Element]:
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    return {c.get("r", ""): c for c in sheet.iter(f"{ns}c")}


def test_xlsx_cells_that_start_like_a_formula_are_text_cells(tmp_path: Path) -> None:
    result = build(formula_handbook(tmp_path))
    path = result.outdir / "clausewise" / "clausewise.xlsx"
    book = load_workbook(path)
    expected = {
        # sheet, cell: the value exactly as written, no quote added
        ("Matrix", "F3"): value("POL-001 title"),
        ("Matrix", "F4"): value("PRC-001 title"),
        ("Matrix", "F5"): f"{value('DOC-001 title')}; {value('DOC-002 title')}; {value('ROLE-OWNER title')}",
        ("Matrix", "I6"): value("uncovered reason"),
        ("Documents", "C2"): value("DOC-001 title"),
        ("Documents", "C3"): value("DOC-002 title"),
        ("Documents", "C4"): value("POL-001 title"),
        ("Documents", "C5"): value("PRC-001 title"),
        ("Documents", "C6"): value("ROLE-OWNER title"),
        ("Matrix", "F9"): value("POL-001 title"),
        ("Records", "B2"): value("RT-REPORT title"),
        ("Records", "B3"): value("RT-REPORT title"),
        ("Applicability", "E3"): value("excluded reason"),
    }
    for (name, ref), text in expected.items():
        cell = book[name][ref]
        assert (name, ref, cell.data_type, cell.value, cell.quotePrefix) == (name, ref, "s", text, True)
    # and no other cell of the workbook is a formula or starts like one
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if (sheet.title, cell.coordinate) not in expected:
                    assert not str(cell.value or "").startswith(("=", "+", "-", "@")), cell.coordinate

    # what Excel reads: inline text, never a <f> element, with the quote-prefix format
    quoted_formats = quote_prefixed_styles(path)
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    sheets = sheet_xml(path)
    for sheet in sheets.values():
        assert sheet.find(f".//{ns}f") is None
    for (name, ref), text in expected.items():
        cell = xml_cells(sheets[name])[ref]
        assert (cell.get("t"), cell.get("s") in quoted_formats) == ("inlineStr", True)
        assert "".join(cell.itertext()) == text


def test_the_writers_keep_every_formula_start_as_text(tmp_path: Path) -> None:
    """The writers themselves, for the starts front matter trims away (tab, carriage
    return) and for values that are not formulas."""
    row = ["\t=1+2", "\r=1+2", "=1+2", "+1", "-1", "@A1", "a=b", "", "POL-001", "2026-Q3"]
    write_csv(tmp_path / "t.csv", [f"c{n}" for n in range(len(row))], [row])
    assert (tmp_path / "t.csv").read_bytes().decode() == (
        '"c0","c1","c2","c3","c4","c5","c6","c7","c8","c9"\n'
        '"\'\t=1+2","\'\r=1+2","\'=1+2","\'+1","\'-1","\'@A1","a=b","","POL-001","2026-Q3"\n'
    )
    with (tmp_path / "t.csv").open(newline="") as f:
        assert list(csv.reader(f))[1] == [
            "'\t=1+2", "'\r=1+2", "'=1+2", "'+1", "'-1", "'@A1", "a=b", "", "POL-001", "2026-Q3",
        ]  # fmt: skip

    findings = ["\t=1+2", "\r=1+2", "=1+2", "a=b", "-1", "@A1"]
    write_xlsx(tmp_path / "t.xlsx", {"Findings": [findings]}, date(2026, 11, 23))
    cells = load_workbook(tmp_path / "t.xlsx")["Findings"][2]
    assert [(c.data_type, c.value, c.quotePrefix) for c in cells] == [
        ("s", "\t=1+2", True),
        ("s", "\n=1+2", True),  # XML reads a carriage return as a line feed; text either way
        ("s", "=1+2", True),
        ("s", "a=b", False),
        ("s", "-1", True),
        ("s", "@A1", True),
    ]


def test_control_characters_do_not_stop_the_exports(tmp_path: Path) -> None:
    # YAML's double-quoted escapes can put characters into a title that XML cannot hold
    policy = governed("POL-001", "policy", '"=1+2\\x01 \\x1b[31m"', reviewed="2026-11-01")
    root = write_handbook(
        tmp_path / "hb", {"roles/owner.md": role(), "policies/p.md": policy}, 'clausewise_organisation = "Acme"\n'
    )
    result = build(root)
    assert result.findings == [("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2")]
    out = result.outdir / "clausewise"
    with (out / "matrix.csv").open(newline="") as f:
        assert list(csv.reader(f))[2][5] == "'=1+2\x01 \x1b[31m"  # CSV holds any character
    cell = load_workbook(out / "clausewise.xlsx")["Documents"]["C2"]
    assert (cell.data_type, cell.value) == ("s", "=1+2\\x01 \\x1b[31m")
    calendar = Calendar.from_ical((out / "calendar.ics").read_bytes())
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [
        "Review ROLE-OWNER Owner",
        "Review POL-001 =1+2\\x01 \\x1b[31m",
    ]


# ---------------------------------------------------------------- calendars

#: a title that would end the event and start another one, with a property of its own
BREAKOUT = "Review\nATTACH:http://evil.example/x\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:fake"


def test_calendar_text_cannot_add_a_property_or_an_event(tmp_path: Path) -> None:
    breakout = BREAKOUT.replace("\n", "\\n")
    procedure = with_record_type(
        governed("PRC-001", "procedure", f'"{breakout}"', reviewed="2026-11-01", satisfies="[1.2]"),
        '"Report, monthly; \\\\share\\r\\nDTSTART:19700101"',
    )
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(title='"Owner\\nEND:VCALENDAR"', reviewed="2026-11-01"),
            "procedures/report.md": procedure,
        },
        'clausewise_organisation = "Acme"\nclausewise_sms_start = "2026-10-01"\n',
    )
    result = build(root)
    out = result.outdir / "clausewise"
    raw = (out / "calendar.ics").read_bytes()
    lines = raw.decode().replace("\r\n ", "").split("\r\n")  # RFC 5545 folds lines at 75 octets
    # the values are in the file, escaped: every line break in one is the two characters \n
    assert (
        "SUMMARY:Review PRC-001 Review\\nATTACH:http://evil.example/x\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:fake"
        in lines
    )
    assert "SUMMARY:Record due: RT-REPORT Report\\, monthly\\; \\\\share\\nDTSTART:19700101 2026-10" in lines
    # and none of them starts a line: 14 events, each begun and ended once, no other property
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines if line]
    assert names[:4] == ["BEGIN", "VERSION", "PRODID", "X-WR-CALNAME"] and names[-1] == "END"
    assert (
        names[4:-1]
        == ["BEGIN", "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "CATEGORIES", "DESCRIPTION", "END"] * 14
    )
    events = Calendar.from_ical(raw).walk("VEVENT")
    summaries = [str(e["summary"]) for e in events]
    assert summaries[0] == "Record due: RT-REPORT Report, monthly; \\share\nDTSTART:19700101 2026-10"
    assert f"Review PRC-001 {BREAKOUT}" in summaries
    assert [e.decoded("dtstart") for e in events if str(e["summary"]).startswith("Review PRC-001")] == [
        date(2027, 11, 1)
    ]
    role_calendar = (out / "calendar-ROLE-OWNER.ics").read_bytes()
    role_lines = role_calendar.decode().replace("\r\n ", "").split("\r\n")
    assert "X-WR-CALNAME:Acme: Owner\\nEND:VCALENDAR" in role_lines
    assert "SUMMARY:Review ROLE-OWNER Owner\\nEND:VCALENDAR" in role_lines
    assert [n for n, line in enumerate(role_lines) if line.startswith("END:VCALENDAR")] == [len(role_lines) - 2]


# ---------------------------------------------------------------- CODEOWNERS


def test_a_line_break_in_a_role_name_adds_no_codeowners_rule(tmp_path: Path) -> None:
    owner = role(github='"@example/owners"')
    other = role("ROLE-OTHER", '"Other\\n/policies/ @evil/takeover\\n* @evil"', owner="ROLE-OWNER")
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": owner,
            "roles/other.md": other,
            "policies/policy.md": governed("POL-001", "policy", "Policy", satisfies="[1.1, 1.2]"),
        },
    )
    ok(run_clausewise("codeowners", cwd=root, today="2026-11-23"))
    text = (root / ".github" / "CODEOWNERS").read_text()
    assert [line for line in text.splitlines() if line and not line.startswith("#")] == [
        "/policies/policy.md @example/owners",
        "/roles/other.md @example/owners",
        "/roles/owner.md @example/owners",
    ]
    assert "#   ROLE-OTHER Other /policies/ @evil/takeover * @evil (roles/other.md)" in text.splitlines()


# ---------------------------------------------------------------- HTML and SVG

#: what each hostile value is, and where it is written
DOC_TITLE = IMG  # POL-001's title
PROC_TITLE = SCRIPT  # PRC-001's title
ROLE_NAME = f"Owner {IMG}"  # ROLE-OWNER's title
TYPE_TITLE = f"Report {SCRIPT}"  # RT-REPORT's title
RECORD_TITLE = f"October {IMG}"  # REC-REPORT-2026-10's title
PRODUCED_BY = f"{SCRIPT} {IMG}"  # REC-REPORT-2026-10's produced_by
UNCOVERED_REASON = f"Later {IMG}"
EXCLUDED_REASON = f"No staff {SCRIPT}"
ACTIVITY = f"Audit {IMG}"  # a name in clausewise_activities


def html_handbook(tmp_path: Path) -> Path:
    policy = governed(
        "POL-001", "policy", quoted(DOC_TITLE), reviewed="2025-06-01", satisfies='["1.1", "sec:A.5.1"]',
        uncovered_clauses=f"\n  - clause: sec:4\n    reason: {quoted(UNCOVERED_REASON)}",
        excluded=f"\n  - clause: sec:A.5.2\n    reason: {quoted(EXCLUDED_REASON)}",
    )  # fmt: skip
    procedure = with_record_type(
        governed("PRC-001", "procedure", quoted(PROC_TITLE), satisfies="[1.2]"), quoted(TYPE_TITLE)
    )
    pages = {
        "pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n",
        "pages/policies.md": "# Policies\n\n```{governed-documents}\n:type: policy\n```\n",
        "pages/reviews.md": "# Reviews\n\n```{review-schedule}\n```\n",
        "pages/records.md": "# Records\n\n```{record-register}\n```\n",
        "pages/soa.md": "# Applicability\n\n```{statement-of-applicability}\n```\n",
    }
    return write_handbook(
        tmp_path / "hb",
        {
            "sec.yaml": SEC_CATALOGUE,
            "roles/owner.md": role(title=quoted(ROLE_NAME), satisfies="[2]"),
            "policies/policy.md": policy,
            "procedures/report.md": procedure,
            "records/report/2026-10.md": record(
                "REC-REPORT-2026-10",
                "RT-REPORT",
                "2026-10",
                produced="2026-11-02",
                title=quoted(RECORD_TITLE),
                produced_by=quoted(PRODUCED_BY),
            ),
            **pages,
        },
        TWO + f'clausewise_sms_start = "2026-09-01"\nclausewise_activities = {{{ACTIVITY!r}: ["POL-001"]}}\n',
    )


_GENERATED = re.compile(
    r'<table class="clausewise-table[^"]*"[^>]*>.*?</table>|<figure class="clausewise-figure">.*?</figure>', re.S
)


def generated(result: Build, docname: str) -> list[str]:
    """The HTML of the tables and charts clausewise generated on a page."""
    return _GENERATED.findall(result.page_html(docname))


def visible(html_text: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


def escaped(text: str) -> str:
    """``text`` as docutils' HTML writer escapes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace(">", "&gt;")


def test_generated_tables_show_titles_names_and_reasons_as_text(tmp_path: Path) -> None:
    result = build(html_handbook(tmp_path))
    assert result.findings == [
        ("review-overdue", "policies/policy.md", 9, "POL-001"),
        ("record-missing", "procedures/report.md", 12, "RT-REPORT"),
    ]
    parts = {
        page: generated(result, page)
        for page in ("pages/matrix", "pages/dashboard", "pages/policies", "pages/reviews", "pages/records",
                     "pages/soa", "policies/policy", "procedures/report", "roles/owner", "records/report/2026-10")
    }  # fmt: skip
    # no element was made from a value, anywhere in what clausewise generated
    for page, html_parts in parts.items():
        assert html_parts, page
        for part in html_parts:
            assert not re.search(r"<(img|script)\b", part, re.I), (page, part)

    def shown(page: str, table_class: str) -> str:
        return " ".join(visible(p) for p in parts[page] if table_class in p.split(">", 1)[0])

    matrix = shown("pages/matrix", "clausewise-matrix")
    assert (
        f"1.1 Plans Covered : an approved document in force satisfies it POL-001 {DOC_TITLE} — version 1.0, "
        f"approved, {ROLE_NAME} — 1.2 "
    ) in matrix
    # 2026-09 has no record, inside the audit window, while the latest (2026-10) is there
    assert (
        "1.2 Objectives Covered with gaps : an approved document in force satisfies it; 1 missing period of "
        f"RT-REPORT in the last 12 months PRC-001 {PROC_TITLE} — version 1.0, approved, {ROLE_NAME} RT-REPORT : "
        "latest REC-REPORT-2026-10 (period 2026-10, produced 2026-11-02); 1 missing period in the last 12 months "
        "(2026-09) 2 "
    ) in matrix
    assert (
        f"4 Context Uncovered : no document satisfies it; justified in POL-001 : {UNCOVERED_REASON} (known gap, "
        "action planned) — — "
    ) in matrix
    assert f"A.5.2 Roles Not applicable : excluded in POL-001 : {EXCLUDED_REASON} — —" in matrix
    matrix_html = "".join(parts["pages/matrix"])
    assert f" {escaped(DOC_TITLE)} — version 1.0, approved, " in matrix_html
    assert f" {escaped(PROC_TITLE)} — version 1.0, approved, " in matrix_html
    assert f": {escaped(UNCOVERED_REASON)} (known gap, action planned)" in matrix_html
    assert f": {escaped(EXCLUDED_REASON)}</p>" in matrix_html
    assert f">{escaped(ROLE_NAME)}</a>" in matrix_html

    urgent = shown("pages/dashboard", "clausewise-urgent")
    assert urgent == (
        "Due What Item Title Owner Detail "
        f"2026-06-01 review overdue POL-001 {DOC_TITLE} {ROLE_NAME} last reviewed 2025-06-01 "
        f"2026-10-30 record missing RT-REPORT {TYPE_TITLE} {ROLE_NAME} period 2026-09"
    )
    activities = shown("pages/dashboard", "clausewise-activities")
    assert activities.startswith(f"Activity Documents State Why {ACTIVITY} POL-001 behind POL-001 review overdue")
    assert f'<td data-label="Activity"><p>{escaped(ACTIVITY)}</p></td>' in "".join(parts["pages/dashboard"])

    assert shown("pages/policies", "clausewise-documents") == (
        f"Id Title Owner Status Version Last reviewed POL-001 {DOC_TITLE} {ROLE_NAME} approved 1.0 2025-06-01"
    )
    assert f"PRC-001 {PROC_TITLE} {ROLE_NAME} 2026-06-01" in shown("pages/reviews", "clausewise-reviews")
    assert f"RT-REPORT {TYPE_TITLE} {ROLE_NAME} monthly" in shown("pages/records", "clausewise-record-overview")
    assert f"A.5.2 Roles no {EXCLUDED_REASON} ( POL-001 )" in shown("pages/soa", "clausewise-applicability")
    # the status boxes: the owner's name, and a record's author
    assert f"Owner {ROLE_NAME} Status approved" in shown("policies/policy", "clausewise-status-box")
    assert f"Produced by {PRODUCED_BY} Classification" in shown("records/report/2026-10", "clausewise-status-box")
    assert f"<td><p>{escaped(PRODUCED_BY)}</p></td>" in "".join(parts["records/report/2026-10"])
    # the record types on the procedure and on the owner's page, and the grid's heading
    assert f"RT-REPORT {TYPE_TITLE} {ROLE_NAME} monthly" in shown("procedures/report", "clausewise-record-types")
    assert f"RT-REPORT {TYPE_TITLE} {ROLE_NAME} monthly" in shown("roles/owner", "clausewise-record-types")
    assert f"POL-001 {DOC_TITLE} {ROLE_NAME} approved" in shown("roles/owner", "clausewise-documents")
    grid = re.search(r'<p class="rubric" id="grid-RT-REPORT">(.*?)</p>', result.page_html("procedures/report"))
    assert grid is not None and grid.group(1) == f"RT-REPORT {escaped(TYPE_TITLE)}: periods"


def test_chart_text_is_escaped() -> None:
    bars = bar_svg(f"Clauses of {SCRIPT} by coverage", {IMG: 2, "covered": 1})
    columns = stacked_bars_svg(SCRIPT, [(f"2026-{IMG}", {"present": 1})])
    svg = "{http://www.w3.org/2000/svg}"
    for markup in (bars, columns):
        root = ET.fromstring(markup)  # one well-formed element: no value closed it early
        assert [e.tag for e in root.iter() if e.tag.removeprefix(svg) in ("img", "script", "foreignObject")] == []
    root = ET.fromstring(bars)
    assert root.get("aria-label") == f"Clauses of {SCRIPT} by coverage"
    assert [t.text for t in root.iter(f"{svg}text")][:2] == [f"Clauses of {SCRIPT} by coverage", IMG]
    assert next(t.text for t in root.iter(f"{svg}title")) == f"{IMG}: 2"
    assert 'aria-label="Clauses of &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; by coverage"' in bars
    columns_root = ET.fromstring(columns)
    assert [t.text for t in columns_root.iter(f"{svg}title")] == [f"2026-{IMG} present: 1"]
    assert [t.text for t in columns_root.iter(f"{svg}text")][:2] == [SCRIPT, f"2026-{IMG}"]
