"""Small defects of the generated pages, each pinned: the dashboard's "Most urgent" dates and
wording, and "Next due" of a record type whose current record is in. Real builds of small handbooks
in real git repositories."""

from __future__ import annotations

import re
from pathlib import Path

from handbook import Build, build, commit, governed, record, role, run_clausewise, write_handbook

PROCEDURE = "procedures/reporting.md"
DASHBOARD = "# Dashboard\n\n```{clausewise-dashboard}\n```\n"


def procedure(cadence: str, extra: str = "") -> str:
    return governed("PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]", reviewed="2026-06-01").replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Incident report\n"
        f"    owner: ROLE-OWNER\n    evidences: [1.1]\n    cadence: {cadence}\n{extra}",
    )


def urgent(text: str) -> str:
    return text[text.index("Most urgent") : text.index("The recurring activities")]


def test_a_per_event_type_is_missing_since_its_latest_record_left_the_window(tmp_path: Path) -> None:
    """The schedule began in 2023, so start plus window is 2023-10-01; the latest record is of
    2026-06-15, and with a 3-month window the type has been missing since 2026-09-15 — the day
    ``due`` gives, and the dashboard's row is dated (it said "Due since 2023-10-01")."""
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            PROCEDURE: procedure("per event", "    window: 3 months\n"),
            "pages/dashboard.md": DASHBOARD,
            "records/report/2026-06-15.md": record(
                "REC-REPORT-2026-06-15", "RT-REPORT", "2026-06-15", produced="2026-06-16"
            ),
        },
        'clausewise_sms_start = "2023-07-01"\n',
    )
    result = build(root)
    assert urgent(result.page_text("pages/dashboard")) == (
        "Most urgent ¶ Due What Item Title Owner Detail "
        "2026-09-15 record missing RT-REPORT Incident report Owner no record since 2026-06-15 "
    )
    due = run_clausewise("due", "--today", "2026-11-23", cwd=root)
    assert "  2026-09-15  OVERDUE  record  RT-REPORT Incident report  [Owner]" in due.stdout.splitlines()


def test_a_per_event_type_that_never_had_a_record_is_missing_since_start_plus_window(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(), PROCEDURE: procedure("per event", "    window: 3 months\n"),
         "pages/dashboard.md": DASHBOARD},
        'clausewise_sms_start = "2026-01-01"\n',
    )  # fmt: skip
    assert urgent(build(root).page_text("pages/dashboard")) == (
        "Most urgent ¶ Due What Item Title Owner Detail "
        "2026-04-01 record missing RT-REPORT Incident report Owner no record yet "
    )


def test_most_urgent_is_headed_due_over_dates_still_ahead(tmp_path: Path) -> None:
    """A record due in a week sits in the same column as one missing for a month: "Due", not "Due since"."""
    root = write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(), PROCEDURE: procedure("monthly"), "pages/dashboard.md": DASHBOARD,
         **{f"records/report/2026-{m:02d}.md": record(f"REC-REPORT-2026-{m:02d}", "RT-REPORT", f"2026-{m:02d}",
                                                       produced=f"2026-{m + 1:02d}-05") for m in (7, 8, 9)}},
        'clausewise_sms_start = "2026-07-01"\n',
    )  # fmt: skip
    page = build(root).page_html("pages/dashboard")
    head = re.search(r'<table class="[^"]*clausewise-urgent[^"]*">.*?<thead>(.*?)</thead>', page, re.S)
    assert head is not None
    assert re.findall(r"<th[^>]*><p>([^<]*)</p></th>", head.group(1)) == [
        "Due", "What", "Item", "Title", "Owner", "Detail"
    ]  # fmt: skip


def test_next_due_of_a_yearly_type_whose_record_for_this_year_is_in(tmp_path: Path) -> None:
    """2026's record is in (produced early, as the type allows): the next one due is 2027's, on
    2028-01-30 (the end of 2027 plus the 30 days' grace), not "—"."""
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            PROCEDURE: procedure("yearly", "    early: allowed\n"),
            "records/report/2025.md": record("REC-REPORT-2025", "RT-REPORT", "2025", produced="2026-01-10"),
        },
        'clausewise_sms_start = "2025-01-01"\n',
        when="2026-01-10T09:00:00+00:00",
    )
    this_year = record("REC-REPORT-2026", "RT-REPORT", "2026", produced="2026-11-02")
    commit(root, "This year's report", "2026-11-02T09:00:00+00:00", {"records/report/2026.md": this_year})
    result = build(root)
    assert result.findings == []
    text = result.page_text("procedures/reporting")
    assert (
        "Record type Title Owner Cadence Evidences Last record Next due Missing "
        "RT-REPORT Incident report Owner yearly 1.1 2026 2028-01-30 0"
    ) in text


def test_the_catalogue_page_explains_heading_confirmation_once(tmp_path: Path) -> None:
    """An auditor reads "by one source" or "no" with what it means, said once above the table."""
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(), PROCEDURE: procedure("monthly")})
    page = build(root).page_html("pages/clauses")
    assert page.count('class="clausewise-confirmation-legend"') == 1
    legend = re.search(r'<p class="clausewise-confirmation-legend">(.*?)</p>', page, re.S)
    assert legend is not None
    assert " ".join(legend.group(1).split()) == (
        "Heading confirmed: the short headings below were checked against public tables of contents of the "
        "standard, not copied from it. yes: two or more independent public sources agree on the heading. by one "
        "source: only one public source was found. no: the heading could not be confirmed and may differ from the "
        "standard\u2019s wording. Either way the clause number is the reference; read the heading in your copy "
        "of the standard."
    )
    rows = re.findall(r'<tr class="[^"]*" id="MINI-[^"]*">\s*<td><p>(.*?)</p></td>\s*<td><p>(.*?)</p></td>\s*'
                      r"<td><p>(.*?)</p></td>", page)  # fmt: skip
    assert [(number.replace("\u2003", ""), confirmed) for number, _, confirmed in rows] == [
        ("1", "yes"), ("1.1", "yes"), ("1.2", "by one source"), ("2", "no")
    ]  # fmt: skip
    assert "one-source" not in build(root).page_text("pages/clauses")


def test_the_landing_page_is_for_staff_and_the_developers_page_is_out_of_their_navigation(
    sample_build: Build,
) -> None:
    index = sample_build.page_text("index")
    assert "Where to start" in index and "What is urgent" in index
    assert "The Dashboard lists the most urgent things to do" in index
    landing = (sample_build.outdir / "index.html").read_text()
    # the navigation is beside the page, not repeated in it as lists under the captions
    assert "The SMS" not in index and "Working on the handbook" not in index
    assert "development/architecture" not in landing  # neither in the text nor in the sidebar
    guide = (sample_build.outdir / "docs/guide/index.html").read_text()
    # every page carries the navigation: a procedure's has the reference pages, not the architecture
    procedure = (sample_build.outdir / "procedures/change-management.html").read_text()
    assert "reference/settings.html" in procedure and "development/architecture" not in procedure
    # still built, and reached from the guide's text
    assert (sample_build.outdir / "docs/development/architecture.html").is_file()
    assert guide.count("development/architecture") == 1  # the guide's sentence, not its navigation
    assert 'href="../development/architecture.html"' in guide
