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


def test_front_matter_of_clausewise_keys_only_reaches_myst_as_the_heading_line() -> None:
    # MyST parses no YAML for such a page: the fences are blank lines, the title is its heading
    text = '---\nid: PRC-001\ntype: procedure\ntitle: "*Incident* #1"\nowner: ROLE-001\n---\n\nBody on line 8.\n'
    out = frontmatter.sanitised_for_myst(text, frontmatter.parse(text), metadata.OWN_KEYS)
    assert out.splitlines() == ["", "", "", r"# \*Incident\* \#1", "", "", "", "Body on line 8."]


def test_front_matter_without_a_title_gets_the_fallback_as_its_heading_line() -> None:
    text = "---\nid: PRC-001\ntype: procedure\n---\nBody\n"
    out = frontmatter.sanitised_for_myst(text, frontmatter.parse(text), metadata.OWN_KEYS, {"title": "a_b"})
    assert out.splitlines() == ["", r"# a\_b", "", "", "Body"]


def test_a_title_of_several_lines_keeps_the_block_for_myst() -> None:
    text = "---\nid: PRC-001\ntitle: |\n  Two\n  lines\n---\nBody\n"
    out = frontmatter.sanitised_for_myst(text, frontmatter.parse(text), metadata.OWN_KEYS)
    assert out.splitlines() == ["---", "", 'title: "Two\\nlines"', "", "", "---", "Body"]


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
    one = Handbook((mini(),), (doc("POL-1", ("1.1",)),), ())
    assert states(one) == {
        "1": ("uncovered", True),
        "1.1": ("covered", False),
        "1.2": ("uncovered", False),
        "2": ("uncovered", False),
    }
    both = Handbook((mini(),), (doc("POL-1", ("1.1",)), doc("POL-2", ("1.2",), Status.DRAFT)), ())
    assert states(both)["1"] == ("declared only", True)
    all_in = Handbook((mini(),), (doc("POL-1", ("1.1", "1.2")),), ())
    assert states(all_in)["1"] == ("covered", True)


def test_a_parent_satisfied_directly_is_covered() -> None:
    handbook = Handbook((mini(),), (doc("POL-1", ("1",)),), ())
    assert states(handbook)["1"] == ("covered", False)
    assert states(handbook)["1.1"] == ("uncovered", False)


def test_in_force_depends_on_today() -> None:
    handbook = Handbook((mini(),), (doc("POL-1", ("2",), effective=date(2026, 12, 1)),), ())
    assert states(handbook)["2"] == ("declared only", False)
    assert states(handbook, date(2026, 12, 1))["2"] == ("covered", False)


def test_uncovered_findings_are_for_leaves_only() -> None:
    handbook = Handbook((mini(),), (), ())
    found = rules.coverage_findings(rules.coverage(handbook, TODAY), {"MINI": Source("c.md", "c", 3)}, "MINI")
    assert [(f.code, f.id) for f in found] == [
        ("uncovered-clause", "MINI-1-1"),
        ("uncovered-clause", "MINI-1-2"),
        ("uncovered-clause", "MINI-2"),
    ]


def test_role_duties_come_from_links() -> None:
    handbook = Handbook(
        (mini(),),
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
    assert iso.key == "20000-1" and iso.excludable == ()


def test_bundled_27001_is_clauses_and_93_controls_in_four_themes() -> None:
    iso = catalogue.load(catalogue.locate("iso27001-2022", Path("/nonexistent")))
    assert (iso.standard, iso.key, iso.id_prefix, iso.excludable) == ("ISO/IEC 27001:2022", "27001", "ISO27K", ("A.",))
    assert [c.number for c in iso.clauses if c.depth == 1] == ["4", "5", "6", "7", "8", "9", "10", "A"]
    controls = [c for c in iso.clauses if c.depth == 3 and c.number.startswith("A.")]
    assert len(controls) == 93 and (controls[0].number, controls[-1].number) == ("A.5.1", "A.8.34")
    assert {t: sum(c.parent_number == t for c in controls) for t in ("A.5", "A.6", "A.7", "A.8")} == {
        "A.5": 37, "A.6": 8, "A.7": 14, "A.8": 34,
    }  # fmt: skip
    assert len([c for c in iso.clauses if not c.number.startswith("A")]) == 41
    by = iso.by_number()
    assert by["10.1"].heading == "Continual improvement"  # swapped against the 2013 edition
    assert by["6.3"].heading == "Planning of changes"
    assert by["A.8.34"].need_id == "ISO27K-A-8-34"
    assert all(c.heading and len(c.heading) < 80 for c in iso.clauses)  # headings, not control text
    assert all(c.confirmation is Confirmation.CONFIRMED for c in iso.clauses)
    assert "purchased" in iso.notice


def test_bundled_9001_is_clauses_4_to_10() -> None:
    iso = catalogue.load(catalogue.locate("iso9001-2015", Path("/nonexistent")))
    assert (iso.standard, iso.key, iso.id_prefix, iso.excludable) == ("ISO 9001:2015", "9001", "ISO9K", ())
    assert [c.number for c in iso.clauses if c.depth == 1] == ["4", "5", "6", "7", "8", "9", "10"]
    assert len(iso.clauses) == 91
    by = iso.by_number()
    assert by["5.2"].heading == "Policy" and by["10.3"].heading == "Continual improvement"
    untitled = [c.number for c in iso.clauses if not c.heading]
    assert untitled == [
        "4.4.1", "4.4.2", "6.1.1", "6.1.2", "6.2.1", "6.2.2", "7.5.3.1", "7.5.3.2", "8.2.3.1", "8.2.3.2",
        "8.7.1", "8.7.2", "9.2.1", "9.2.2", "10.2.1", "10.2.2",
    ]  # fmt: skip
    assert [c.number for c in iso.clauses if c.confirmation is Confirmation.ONE_SOURCE] == [
        "7.5.3.1", "7.5.3.2", "8.2.3.1", "8.2.3.2",
    ]  # fmt: skip
    assert max(len(c.heading) for c in iso.clauses) < 80
    assert "purchased" in iso.notice


HEAD = "standard: X\nid_prefix: X\nnotice: n\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("standard: X\nid_prefix: X\nnotice: n\n", "cat.yaml:1: missing key 'clauses'"),
        ("standard: X\nid_prefix: x1\nnotice: n\nclauses: []\n",
         "cat.yaml:2: id_prefix 'x1' must be upper-case letters and digits, e.g. ISO27K"),
        (HEAD + "clauses:\n  - {number: '1'}\n", "cat.yaml:5: the clause entry has no heading"),
        (HEAD + "clauses:\n  - {number: '1', heading: A}\n  - {number: '1', heading: B}\n",
         "cat.yaml:6: clause 1 is listed twice (as 1 on line 5)"),
        (HEAD + "clauses:\n  - {number: 'A.1', heading: A}\n  - {number: 'a.1', heading: B}\n",
         "cat.yaml:5: clause A.1 comes before its parent A; list A first"),
        (HEAD + "clauses:\n  - {number: '1', heading: A}\n  - {number: 'A..1', heading: B}\n",
         "cat.yaml:6: number 'A..1' is not a clause number; expected letters or digits joined by dots, "
         "like 8.3.4.1 or A.5.15 (quote it: \"4.10\")"),
        (HEAD + "clauses:\n  - {number: '1', heading: A, headng: B}\n",
         "cat.yaml:5: unknown key 'headng' in a clause entry with number, heading and confirmation; "
         "expected number, heading, confirmation"),
        (HEAD + "key: '27 001'\nclauses: []\n",
         "cat.yaml:4: key '27 001' must be letters and digits, parts joined by single dashes, e.g. 27001 or 20000-1"),
        (HEAD + "excludable: [A]\nexcludable: []\nclauses: []\n",
         "cat.yaml:5: key 'excludable' is given twice (also line 4)"),
        (HEAD + "excludable: ['A:']\nclauses: []\n",
         "cat.yaml:4: excludable entry 'A:' is not the start of a clause number, e.g. 'A.' or 'A.5'"),
        (HEAD + "clauses:\n  - {number: '1', heading: A, confirmation: sure}\n",
         "cat.yaml:5: confirmation of 1 must be one of confirmed, one-source, unconfirmed"),
        (HEAD + "clauses:\n  - {number: '1', heading: " + "x" * 121 + "}\n",
         "cat.yaml:5: the heading of 1 has 121 characters; a catalogue holds short headings (at most 120), "
         "never the standard's text"),
        (HEAD + "clauses:\n  - {number: '1', heading: [A]}\n",
         "cat.yaml:5: heading must be a text, not a list or mapping"),
        (HEAD + "clauses: {}\n", "cat.yaml:4: clauses must be a list of entries with number and heading"),
        ("", "cat.yaml:1: the file is empty; expected a mapping with standard, id_prefix, notice, clauses"),
        ("- a\n", "cat.yaml:1: expected a catalogue mapping with standard, id_prefix, notice, clauses"),
        (HEAD + "clauses:\n  - {number: '1', heading: A\n",
         "cat.yaml:6: not valid YAML: expected ',' or '}', but got '<stream end>'"),
    ],
)  # fmt: skip
def test_catalogue_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "cat.yaml").write_text(text)
    with pytest.raises(catalogue.CatalogueError) as raised:
        catalogue.load(tmp_path / "cat.yaml", "cat.yaml")
    assert str(raised.value) == message


def test_catalogue_numbers_as_standards_write_them(tmp_path: Path) -> None:
    (tmp_path / "cat.yaml").write_text(
        HEAD + "key: 27001\nexcludable: ['A.']\nclauses:\n  - {number: 4, heading: Context}\n"
        "  - {number: 4.10, heading: Ten}\n  - {number: A, heading: Controls}\n"
        "  - {number: A.5, heading: Organizational}\n  - {number: A.5.15, heading: Access control}\n"
    )
    loaded = catalogue.load(tmp_path / "cat.yaml")
    assert [(c.number, c.need_id, c.reference, c.parent_number) for c in loaded.clauses] == [
        ("4", "X-4", "27001:4", None),
        ("4.10", "X-4-10", "27001:4.10", "4"),  # not the float 4.1
        ("A", "X-A", "27001:A", None),
        ("A.5", "X-A-5", "27001:A.5", "A"),
        ("A.5.15", "X-A-5-15", "27001:A.5.15", "A.5"),
    ]
    assert loaded.key == "27001" and loaded.excludable == ("A.",)
    assert loaded.is_excludable("A.5.15") and not loaded.is_excludable("4.10")


def test_a_catalogue_without_key_is_keyed_by_its_id_prefix() -> None:
    assert mini().key == "MINI"


def test_two_catalogues_with_one_key_or_one_id_prefix_are_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEAD.replace("X", "A") + "key: k\nclauses: []\n")
    (tmp_path / "b.yaml").write_text(HEAD.replace("X", "B") + "key: k\nclauses: []\n")
    (tmp_path / "c.yaml").write_text(HEAD.replace("X", "A") + "key: c\nclauses: []\n")
    with pytest.raises(catalogue.CatalogueError) as raised:
        catalogue.load_all(["a.yaml", "b.yaml"], tmp_path)
    assert (
        str(raised.value)
        == "b.yaml: key 'k' is also the key of a.yaml; give each catalogue its own short key, e.g. key: 27001"
    )
    with pytest.raises(catalogue.CatalogueError) as raised:
        catalogue.load_all(["a.yaml", "c.yaml"], tmp_path)
    assert str(raised.value) == (
        "c.yaml: id_prefix 'A' is also the id_prefix of a.yaml, so their clauses' need ids would collide; "
        "give each catalogue its own id_prefix"
    )
    loaded, files = catalogue.load_all(["a.yaml", "iso20000-1-2018"], tmp_path)
    assert [c.key for c in loaded] == ["k", "20000-1"] and files[0] == tmp_path / "a.yaml"


def test_unknown_catalogue_name() -> None:
    with pytest.raises(catalogue.CatalogueError, match=r"bundled: iso20000-1-2018, iso27001-2022, iso9001-2015$"):
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
    assert [c.value for c in Code] == list(CODES) and len(CODES) == 58
    # advice some organisations do not want is off until clausewise_severity gives it a severity
    assert [c.code for c in CODES.values() if not c.on_by_default] == [Code.RECORD_RETENTION_EXPIRED]


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
