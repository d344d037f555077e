"""The dashboard: its numbers, urgency order, activity states and charts."""

from __future__ import annotations

import re
from pathlib import Path

from handbook import build, governed, record, role, write_handbook

CONF = """\
clausewise_sms_start = "2026-06-01"
clausewise_activities = {"Reporting": ["PRC-001"], "Planning": ["POL-001"], "Ghost": ["PRC-404"]}
"""


def handbook(tmp_path: Path) -> Path:
    procedure = governed("PRC-001", "procedure", "Reporting", satisfies="[1.2]").replace(
        "satisfies: [1.2]\n",
        "satisfies: [1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.2]\n    cadence: monthly\n",
    )
    records = {
        f"records/report/2026-{m:02d}.md": record(f"REC-REPORT-2026-{m:02d}", "RT-REPORT", f"2026-{m:02d}",
                                                  produced=f"2026-{m + 1:02d}-03")
        for m in (6, 7, 8)
    }  # fmt: skip
    return write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "policies/planning.md": governed("POL-001", "policy", "Planning", reviewed="2025-12-10", satisfies="[1.1]"),
            "procedures/reporting.md": procedure,
            "pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n",
            **records,
        },
        CONF,
    )


def test_dashboard_content(tmp_path: Path) -> None:
    result = build(handbook(tmp_path))
    text = result.page_text("pages/dashboard")
    assert "2 of 4 clauses covered ; 2 with records missing; 0 declared only" in text
    urgent = text[text.index("Most urgent") : text.index("The recurring activities")]
    assert urgent == (
        "Most urgent ¶ Due since What Item Title Owner Detail "
        "2026-10-30 record missing RT-REPORT Monthly report Owner period 2026-09 "
        "2026-11-30 record due RT-REPORT Monthly report Owner period 2026-10 "
        "2026-12-10 review due soon POL-001 Planning Owner last reviewed 2025-12-10 "
    )
    activities = text[text.index("The recurring activities") :]
    assert activities.startswith(
        "The recurring activities ¶ Activity Documents State Why "
        "Reporting PRC-001 behind RT-REPORT: 1 missing "
        "Planning POL-001 needs attention POL-001 review due soon "
        "Ghost PRC-404 behind PRC-404 is not in the handbook "
    )
    page = result.page_html("pages/dashboard")
    charts = re.findall(r'<svg [^>]*class="clausewise-chart" role="img" aria-label="([^"]+)"', page)
    assert charts == ["Clauses by coverage", "Approved documents by review state", "Record periods by month of ending"]
    # the bars carry their numbers: 2 covered, 1 records missing
    assert "<title>covered: 2</title>" in page and "<title>records missing: 2</title>" in page
    assert "<title>2026-09 missing: 1</title>" in page and "<title>2026-08 present: 1</title>" in page
