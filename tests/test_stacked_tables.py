"""Tables that stack on a phone: in HTML each body cell carries its column's heading as
``data-label`` (which clausewise.css shows before the value); every other writer, the text
builder here, writes them as plain cells."""

from __future__ import annotations

import re
from pathlib import Path

from handbook import build
from test_dashboard import handbook


def test_a_stacked_table_labels_each_body_cell_with_its_heading_and_other_tables_do_not(tmp_path: Path) -> None:
    page = build(handbook(tmp_path)).page_html("pages/dashboard")
    urgent = page[page.index('<table class="clausewise-table clausewise-urgent clausewise-stacked') :]
    urgent = urgent[: urgent.index("</table>")]
    head, body = urgent.split("</thead>")
    assert "data-label" not in head
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    assert len(rows) == 3
    for row in rows:
        assert re.findall(r'<td data-label="([^"]*)"', row) == ["Due", "What", "Item", "Title", "Owner", "Detail"]
        assert re.findall(r"<td(?! data-label=)", row) == []
    first = re.findall(r'<td data-label="[^"]*"><p>(.*?)</p></td>', rows[0])
    assert first[0] == "2026-10-30" and first[1] == "record missing"
    # the coverage summary and the charts are no tables; no other table of the page is stacked by accident
    assert page.count("data-label=") == 3 * 6 + 3 * 4  # the most urgent items and the three activities


def test_another_writer_writes_a_stacked_table_as_a_plain_table(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    build(root, builder="text")
    text = (root / "_build" / "text" / "pages" / "dashboard.txt").read_text()
    assert "data-label" not in text
    # the writer draws each column as wide as its colspec (one character here), so a cell's text
    # runs down its column: read each row's cells column by column
    table = text[text.index("Most urgent") : text.index("The recurring activities")]
    blocks = re.split(r"^[+|][=+-][-=+|]*$", table, flags=re.M)
    rows = []
    for block in blocks:
        lines = [line.strip().strip("|").split("|") for line in block.strip().splitlines() if line.startswith("|")]
        if lines:
            rows.append(["".join(line[c].strip() for line in lines) for c in range(len(lines[0]))])
    assert rows == [
        ["Due", "What", "Item", "Title", "Owner", "Detail"],
        ["2026-10-30", "recordmissing", "RT-REPORT", "Monthlyreport", "Owner", "period2026-09"],
        ["2026-11-30", "recorddue", "RT-REPORT", "Monthlyreport", "Owner", "period2026-10"],
        ["2026-12-10", "reviewduesoon", "POL-001", "Planning", "Owner", "lastreviewed2025-12-10"],
    ]
