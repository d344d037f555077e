"""The dashboard: its numbers, urgency order, activity states and charts."""

from __future__ import annotations

import re
from pathlib import Path

from clausewise.outputs.dashboard import stacked_bars_svg
from handbook import build, commit, governed, record, role, write_handbook

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
        "Most urgent ¶ Due What Item Title Owner Detail "
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


def _changed_handbook(tmp_path: Path, conf: str = "") -> Path:
    """Two approved policies reviewed 2026-06-01, committed 2026-07-01; POL-001's
    body is edited on 2026-09-01 without recording a review."""
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "policies/one.md": governed("POL-001", "policy", "One"),
            "policies/two.md": governed("POL-002", "policy", "Two"),
            "pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n",
        },
        conf,
    )
    commit(
        root,
        "Edit one",
        "2026-09-01T09:00:00+00:00",
        {"policies/one.md": governed("POL-001", "policy", "One", "New.\n")},
    )
    return root


def _review_chart(page: str) -> list[str]:
    chart = page[page.index('aria-label="Approved documents by review state"') :]
    chart = chart[: chart.index("</svg>")]
    return re.findall(r"<title>([^<]+)</title>", chart)


def test_turning_changed_since_review_off_keeps_the_review_chart(tmp_path: Path) -> None:
    """The chart shows the review state computed by the rules, not the reported findings."""
    quiet = build(_changed_handbook(tmp_path, 'clausewise_severity = {"changed-since-review": "off"}\n'))
    assert [f for f in quiet.findings if f[0] == "changed-since-review"] == []
    page = quiet.page_html("pages/dashboard")
    # the owner role and POL-002 are current; POL-001 changed since its review
    assert _review_chart(page) == ["current: 2", "due soon: 0", "overdue: 0", "changed since review: 1"]
    urgent = quiet.page_text("pages/dashboard")
    assert "— changed since review POL-001 One Owner changed after its review of 2026-06-01" in urgent


def test_an_incremental_build_shows_the_dashboard_a_fresh_build_shows(tmp_path: Path) -> None:
    """A committed body edit of another document reaches the dashboard without -E."""
    root = _changed_handbook(tmp_path)
    first = build(root)
    assert _review_chart(first.page_html("pages/dashboard")) == [
        "current: 2", "due soon: 0", "overdue: 0", "changed since review: 1"
    ]  # fmt: skip
    commit(
        root,
        "Edit two",
        "2026-10-01T09:00:00+00:00",
        {"policies/two.md": governed("POL-002", "policy", "Two", "New.\n")},
    )
    again = build(root)
    fresh = build(root, fresh=True, outdir=tmp_path / "fresh")
    expected = [
        "current: 1",
        "due soon: 0",
        "overdue: 0",
        "changed since review: 2",
    ]
    assert _review_chart(again.page_html("pages/dashboard")) == expected
    assert _review_chart(fresh.page_html("pages/dashboard")) == expected


def test_the_month_chart_labels_each_bar_with_the_whole_month() -> None:
    # "25-12" reads as a day; the bar says the month as its records name it
    svg = stacked_bars_svg("Records by month", [("2025-12", {"present": 2}), ("2026-01", {"missing": 1})])
    ticks = re.findall(r'class="cw-chart-tick">([^<]*)</text>', svg)
    assert ticks == ["2025-12", "2026-01"]
