"""The pure parts: front matter with line numbers, value parsers, coverage rules,
the catalogue and the settings. No Sphinx, no git, no clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from clausewise.core.findings import CODES, Code, Finding, Severity, UnknownFindingCodeError, findings_report
from clausewise.core.model import (
    Cadence,
    Confirmation,
    DocType,
    GovernedDocument,
    Handbook,
    PeriodUnit,
    Source,
    Status,
)
from clausewise.core.settings import ClausewiseConfig, SettingError
from clausewise.rules import coverage as rules
from clausewise.sources import catalogue, frontmatter, metadata

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 23)

TEXT = """\
---
id: PRC-001
title: Incident management
satisfies: [8.6, 8.6.1]
record_types:
  - id: RT-MAJOR
    cadence: per event
    window: 6 months
html_meta:
  description: kept for MyST
---

Body on line 13.
"""


def test_front_matter_lines_are_file_lines() -> None:
    fm = frontmatter.parse(TEXT)
    assert fm.first_line == 1 and fm.last_line == 11
    assert fm.data["satisfies"] == ["8.6", "8.6.1"]  # strings, never floats
    assert fm.line("id") == 2
    assert fm.line("satisfies", 1) == 4
    assert fm.line("record_types", 0, "cadence") == 7
    assert fm.line("record_types", 0, "nothing-here") == 6  # nearest known ancestor


def test_sanitised_source_keeps_every_line_number() -> None:
    fm = frontmatter.parse(TEXT)
    out = frontmatter.sanitised_for_myst(TEXT, fm, metadata.OWN_KEYS, {"orphan": "true"})
    assert out.splitlines() == [
        "---",
        'orphan: "true"',
        'title: "Incident management"',
        "",
        "",
        "",
        "",
        "",
        "html_meta:",
        "  description: kept for MyST",
        "---",
        "",
        "Body on line 13.",
    ]


def test_broken_yaml_is_blanked_for_myst() -> None:
    text = "---\nid: [PRC-001\n---\nBody\n"
    fm = frontmatter.parse(text)
    assert fm.error == (
        2,
        "front matter is not valid YAML: expected ',' or ']', but got '<stream end>' (line 2)",
    )
    assert frontmatter.sanitised_for_myst(text, fm, metadata.OWN_KEYS) == "---\n\n---\nBody\n"


def test_no_front_matter() -> None:
    fm = frontmatter.parse("# Title\n\nText\n")
    assert not fm.present and fm.data == {}


@pytest.mark.parametrize(
    ("text", "months"),
    [("12 months", 12), ("1 month", 1), ("2 years", 24), ("6  MONTHS", 6), ("0 months", None), ("a year", None)],
)
def test_parse_months(text: str, months: int | None) -> None:
    assert metadata.parse_months(text) == months


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("2026-02-29", None),  # not a leap year
        ("2026-2-3", None),
        ("2026-04-31", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert metadata.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("monthly", Cadence("monthly", 1)),
        ("Quarterly", Cadence("quarterly", 3)),
        ("half-yearly", Cadence("half-yearly", 6)),
        ("yearly", Cadence("yearly", 12)),
        ("every 2 months", Cadence("every 2 months", 2)),
        ("every  18 months", Cadence("every 18 months", 18)),
        ("per event", Cadence("per event", None, 12)),
        ("every 0 months", None),
        ("weekly", Cadence("weekly", 1, unit=PeriodUnit.WEEK)),
        ("Daily", Cadence("daily", 1, unit=PeriodUnit.DAY)),
        ("every 2 weeks", Cadence("every 2 weeks", 2, unit=PeriodUnit.WEEK)),
        ("every 1 week", Cadence("every 1 week", 1, unit=PeriodUnit.WEEK)),
        ("every 156 weeks", Cadence("every 156 weeks", 156, unit=PeriodUnit.WEEK)),
        ("every 157 weeks", None),
        ("every 37 months", None),
        ("every 0 weeks", None),
        ("fortnightly", None),
        ("every 2 days", None),
    ],
)
def test_parse_cadence(text: str, expected: Cadence | None) -> None:
    assert metadata.parse_cadence(text) == expected


def test_per_event_cadence_keeps_its_window() -> None:
    assert metadata.parse_cadence("per event", 6) == Cadence("per event", None, 6)


def mini() -> catalogue.Catalogue:
    return catalogue.load(DATA / "mini-catalogue.yaml")


def doc(doc_id: str, satisfies: tuple[str, ...], status: Status = Status.APPROVED, **kw: object) -> GovernedDocument:
    values: dict[str, object] = {
        "id": doc_id, "type": DocType.POLICY, "title": doc_id, "owner": "ROLE-A", "status": status,
        "version": "1", "effective": date(2026, 1, 1), "reviewed": date(2026, 1, 1),
        "review_interval_months": 12, "classification": None, "satisfies": satisfies, "implements": (),
        "roles": (), "requires_records": (), "record_types": (), "uncovered_clauses": (),
        "source": Source(f"{doc_id}.md", doc_id, 2),
    }  # fmt: skip
    values.update(kw)
    return GovernedDocument(**values)  # type: ignore[arg-type]


def states(handbook: Handbook, today: date = TODAY) -> dict[str, tuple[str, bool]]:
    return {r.number: (r.status.value, r.via_subclauses) for r in rules.coverage(handbook, today)}


def test_parent_is_covered_only_when_every_subclause_is() -> None:
    one = Handbook(mini(), (doc("POL-1", ("1.1",)),), ())
    assert states(one) == {
        "1": ("uncovered", True),
        "1.1": ("covered", False),
        "1.2": ("uncovered", False),
        "2": ("uncovered", False),
    }
    both = Handbook(mini(), (doc("POL-1", ("1.1",)), doc("POL-2", ("1.2",), Status.DRAFT)), ())
    assert states(both)["1"] == ("declared only", True)
    all_in = Handbook(mini(), (doc("POL-1", ("1.1", "1.2")),), ())
    assert states(all_in)["1"] == ("covered", True)


def test_a_parent_satisfied_directly_is_covered() -> None:
    handbook = Handbook(mini(), (doc("POL-1", ("1",)),), ())
    assert states(handbook)["1"] == ("covered", False)
    assert states(handbook)["1.1"] == ("uncovered", False)


def test_in_force_depends_on_today() -> None:
    handbook = Handbook(mini(), (doc("POL-1", ("2",), effective=date(2026, 12, 1)),), ())
    assert states(handbook)["2"] == ("declared only", False)
    assert states(handbook, date(2026, 12, 1))["2"] == ("covered", False)


def test_uncovered_findings_are_for_leaves_only() -> None:
    handbook = Handbook(mini(), (), ())
    found = rules.coverage_findings(rules.coverage(handbook, TODAY), Source("c.md", "c", 3))
    assert [(f.code, f.id) for f in found] == [
        ("uncovered-clause", "MINI-1-1"),
        ("uncovered-clause", "MINI-1-2"),
        ("uncovered-clause", "MINI-2"),
    ]


def test_role_duties_come_from_links() -> None:
    handbook = Handbook(
        mini(),
        (doc("POL-1", ()), doc("POL-2", (), owner="ROLE-B", roles=("ROLE-A",)), doc("POL-3", (), owner="ROLE-B")),
        (),
    )
    duties = rules.role_duties(handbook, "ROLE-A")
    assert [d.id for d in duties.owns] == ["POL-1"]
    assert [d.id for d in duties.takes_part_in] == ["POL-2"]


def test_bundled_catalogue_is_numbers_and_headings_only() -> None:
    iso = catalogue.load(catalogue.locate("iso20000-1-2018", Path("/nonexistent")))
    assert iso.standard == "ISO/IEC 20000-1:2018"
    assert len(iso.clauses) == 77
    assert [c.number for c in iso.clauses if c.depth == 1] == ["4", "5", "6", "7", "8", "9", "10"]
    by = iso.by_number()
    assert by["8.3.4"].heading == "Supplier management"  # not 8.3.3, a known trap
    assert by["6.3"].heading == "Plan the service management system"
    assert by["8.3.4.2"].confirmation is Confirmation.ONE_SOURCE
    assert by["6.2.1"].confirmation is Confirmation.UNCONFIRMED
    assert sum(c.confirmation is Confirmation.UNCONFIRMED for c in iso.clauses) == 3
    assert sum(c.confirmation is Confirmation.ONE_SOURCE for c in iso.clauses) == 6
    assert by["8.3.4.1"].need_id == "ISO20K-8-3-4-1"
    assert max(len(c.heading) for c in iso.clauses) < 70  # headings, not requirement text
    assert "purchased" in iso.notice


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"standard": "X", "id_prefix": "X", "notice": "n"}, "missing key 'clauses'"),
        ({"standard": "X", "id_prefix": "x1", "notice": "n", "clauses": []}, "id_prefix 'x1' must be upper-case"),
        (
            {"standard": "X", "id_prefix": "X", "notice": "n", "clauses": [{"number": "1"}]},
            "clause entry 1: expected a mapping with number, heading and confirmation",
        ),
        (
            {"standard": "X", "id_prefix": "X", "notice": "n", "clauses": [{"number": "1", "heading": "A"}] * 2},
            "clause entry 2: clause 1 is listed twice",
        ),
        (
            {"standard": "X", "id_prefix": "X", "notice": "n", "clauses": [{"number": "A", "heading": "A"}]},
            "clause entry 1: number 'A' is not like 8.3.4.1",
        ),
    ],
)
def test_catalogue_errors(data: dict[str, object], message: str) -> None:
    with pytest.raises(catalogue.CatalogueError, match=message):
        catalogue.parse(data, "cat.yaml")


def test_unknown_catalogue_name() -> None:
    with pytest.raises(catalogue.CatalogueError, match="bundled: iso20000-1-2018"):
        catalogue.locate("iso9001", Path("/nonexistent"))


def resolve_today(configured: object, from_env: str, option: date | None = None) -> date:
    """Today as the settings resolve it from conf.py, the environment and a --today option."""
    values = {"clausewise_today": configured}
    return ClausewiseConfig.from_values(values, {"CLAUSEWISE_TODAY": from_env}, today=option).today


def test_today_precedence() -> None:
    assert resolve_today("2026-01-01", "") == date(2026, 1, 1)
    assert resolve_today("2026-01-01", "2025-05-05") == date(2025, 5, 5)
    assert resolve_today(date(2024, 2, 29), "") == date(2024, 2, 29)
    with pytest.raises(SettingError, match="environment variable CLAUSEWISE_TODAY is '2025-13-01'"):
        resolve_today("", "2025-13-01")
    # an option wins, and what it replaces is not even read
    assert resolve_today("2026-02-30", "2025-13-01", date(2026, 11, 23)) == date(2026, 11, 23)
    with pytest.raises(SettingError, match=r"^conf.py: clausewise_today is '2026-02-30'"):
        resolve_today("2026-02-30", "")


def test_governed_paths() -> None:
    cfg = ClausewiseConfig.from_values({"clausewise_governed_paths": ["policies"]}, environ={})
    assert cfg.is_governed_path("policies/a.md")
    assert not cfg.is_governed_path("policies/index.md")
    assert not cfg.is_governed_path("docs/a.md")


def test_every_code_has_a_severity_and_description() -> None:
    assert set(CODES) >= {"invalid-metadata", "unknown-owner", "unknown-clause", "uncovered-clause"}
    for code in CODES.values():
        assert code.severity is not Severity.OFF
        assert code.description.endswith(".")
    with pytest.raises(UnknownFindingCodeError):
        Finding("a.md", 1, "no-such-code", "", "m")
    # a code read back as text (from a report) becomes the typed code
    assert Finding("a.md", 1, "review-overdue", "", "m").code is Code.REVIEW_OVERDUE
    assert [c.value for c in Code] == list(CODES) and len(CODES) == 24


def test_findings_report_shape() -> None:
    found = [
        Finding("b.md", 3, "unknown-owner", "POL-2", "m2"),
        Finding("a.md", 9, "uncovered-clause", "X-1", "m1"),
        Finding("a.md", 2, "unknown-owner", "POL-1", "m3"),
    ]
    report = findings_report("2026-11-23", found, {"unknown-owner": "warning"})
    assert report["today"] == "2026-11-23"
    assert [tuple(f.values()) for f in report["findings"]] == [
        ("unknown-owner", "warning", "a.md", 2, "POL-1", "m3"),
        ("uncovered-clause", "warning", "a.md", 9, "X-1", "m1"),
        ("unknown-owner", "warning", "b.md", 3, "POL-2", "m2"),
    ]
    assert list(report["findings"][0]) == ["code", "severity", "path", "line", "id", "message"]
    assert report["summary"] == {"uncovered-clause": 1, "unknown-owner": 2}
