"""Several standards in one handbook: two catalogues side by side, clause
references as KEY:NUMBER, the matrix and the exports per standard, and the
catalogue files' own mistakes with file and line."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest
from clausewise.cli.findings import check_findings
from clausewise.core.model import Catalogue
from clausewise.core.settings import ClausewiseConfig, SettingError
from handbook import build, governed, role, write_handbook
from openpyxl import load_workbook
from test_matrix_and_findings import run_sphinx

#: A second small standard: clause 4 and an annex of controls in two themes.
SEC_CATALOGUE = """\
standard: Security standard
key: sec
id_prefix: SEC
notice: Numbers and headings only.
excludable: ["A."]
clauses:
  - {number: "4", heading: "Context"}
  - {number: "A", heading: "Controls"}
  - {number: "A.5", heading: "Organizational controls"}
  - {number: "A.5.1", heading: "Policies"}
  - {number: "A.5.2", heading: "Roles"}
"""

TWO = 'clausewise_catalogues = ["mini-catalogue.yaml", "sec.yaml"]\n'


def two_standards(tmp_path: Path, **extra: str) -> Path:
    files = {
        "sec.yaml": SEC_CATALOGUE,
        "roles/owner.md": role(),
        # a bare number is a clause of the first catalogue (mini); sec's clauses carry its key
        "policies/security.md": governed(
            "POL-SEC", "policy", "Security", satisfies='["1.1", "1.2", "sec:4", "sec:A.5.1"]'
        ),
        **extra,
    }
    return write_handbook(tmp_path / "hb", files, TWO)


def test_two_catalogues_each_with_its_own_coverage(tmp_path: Path) -> None:
    root = two_standards(tmp_path)
    result = build(root, fresh=True)
    assert result.findings == [("uncovered-clause", "pages/clauses.md", 3, "SEC-A-5-2")]
    assert [w.message for w in result.clausewise_warnings()] == [
        "clause A.5.2 Roles is not covered: no document satisfies it; approve a document with "
        "'satisfies: [sec:A.5.2]', or justify the gap under 'uncovered_clauses' in an approved document"
    ]
    matrix = result.page_text("pages/matrix")
    assert (
        "Mini standard (key MINI) 4 of 4 clauses covered ; 0 with records missing; 0 declared only "
        "(draft, retired or not yet effective documents); 0 uncovered; 0 of the gaps justified."
    ) in matrix
    assert (
        "Security standard (key sec) 2 of 5 clauses covered ; 0 with records missing; 0 declared only "
        "(draft, retired or not yet effective documents); 3 uncovered; 0 of the gaps justified."
    ) in matrix
    catalogue_page = result.page_text("pages/clauses")
    assert "Mini standard (key MINI)" in catalogue_page and "Security standard (key sec)" in catalogue_page
    assert check_findings(root, date(2026, 11, 23))[0] == result.report
    # the dashboard sums coverage up per standard too, each with its chart
    dashboard = write_handbook(root, {"pages/dashboard.md": "# Dashboard\n\n```{clausewise-dashboard}\n```\n"}, TWO)
    with_dashboard = build(dashboard)
    page = with_dashboard.page_html("pages/dashboard")
    charts = re.findall(r'<svg [^>]*class="clausewise-chart" role="img" aria-label="([^"]+)"', page)
    assert charts[:2] == ["Clauses of Mini standard by coverage", "Clauses of Security standard by coverage"]
    text = with_dashboard.page_text("pages/dashboard")
    assert "Clause coverage ¶ Mini standard 4 of 4 clauses covered" in text
    assert "Security standard 2 of 5 clauses covered" in text


def test_the_exports_name_each_rows_standard(tmp_path: Path) -> None:
    result = build(two_standards(tmp_path), fresh=True)
    with (result.outdir / "clausewise" / "matrix.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert [(r[0], r[2], r[9]) for r in rows] == [
        ("clause", "coverage", "standard"),
        ("1", "covered", "MINI"),
        ("1.1", "covered", "MINI"),
        ("1.2", "covered", "MINI"),
        ("2", "covered", "MINI"),
        ("4", "covered", "sec"),
        ("A", "uncovered", "sec"),
        ("A.5", "uncovered", "sec"),
        ("A.5.1", "covered", "sec"),
        ("A.5.2", "uncovered", "sec"),
    ]


def test_references_with_unknown_keys_or_numbers(tmp_path: Path) -> None:
    bad = governed("POL-BAD", "policy", "Bad", satisfies='["sec:A.9", "iso:1", "A.5.1"]')
    root = two_standards(tmp_path, **{"policies/bad.md": bad})
    result = build(root, fresh=True)
    unknown = [
        (w.path, w.line, w.message) for w in result.clausewise_warnings() if w.kind == "clausewise.unknown-clause"
    ]
    help_text = (
        "the catalogues are MINI (Mini standard), sec (Security standard); write KEY:NUMBER, e.g. 'sec:A.5.2' "
        "(a bare number is a clause of MINI)"
    )
    where = "policies/bad.md"
    assert unknown == [
        (where, 11, f"satisfies: clause 'A.9' is not in the Security standard catalogue (key sec); {help_text}"),
        (where, 11, f"satisfies: 'iso:1' names no configured catalogue; {help_text}"),
        (where, 11, f"satisfies: clause 'A.5.1' is not in the Mini standard catalogue (key MINI); {help_text}"),
    ]
    assert check_findings(root, date(2026, 11, 23))[0] == result.report


SOA_PAGE = "# Applicability\n\n```{statement-of-applicability}\n```\n"

#: excludes control A.5.2 (allowed) and mandatory clause 4 (not allowed), and justifies a gap in mini's 1.2
SCOPE = governed(
    "DOC-SCOPE", "document", "Scope", satisfies='["sec:A.5.1"]',
    excluded="\n  - clause: sec:A.5.2\n    reason: No staff of our own\n  - clause: sec:4\n    reason: Not wanted",
    uncovered_clauses="\n  - clause: 1.2\n    reason: Objectives are set next quarter",
)  # fmt: skip


def test_an_excluded_control_is_not_a_gap_and_a_mandatory_clause_cannot_be_excluded(tmp_path: Path) -> None:
    policy = governed("POL-SEC", "policy", "Security", satisfies='["1.1", "sec:A.5.1"]')
    root = two_standards(
        tmp_path, **{"policies/security.md": policy, "policies/scope.md": SCOPE, "pages/soa.md": SOA_PAGE}
    )
    result = build(root, fresh=True)
    assert result.findings == [
        ("uncovered-clause", "pages/clauses.md", 3, "SEC-4"),
        ("clause-not-excludable", "policies/scope.md", 15, "DOC-SCOPE"),
    ]
    messages = {w.kind: w.message for w in result.clausewise_warnings()}
    assert messages["clausewise.clause-not-excludable"] == (
        "excluded: clause 'sec:4' (Context) cannot be excluded: only clauses starting with 'A.' of the Security "
        "standard catalogue may be excluded; if it is not covered yet, justify the gap under 'uncovered_clauses' "
        "instead"
    )
    matrix = result.page_text("pages/matrix")
    # A.5.2 excluded: not a gap, and A.5 and A are covered through A.5.1 alone
    assert "Security standard (key sec) 3 of 4 clauses covered ; 0 with records missing" in matrix
    assert "1 uncovered; 0 of the gaps justified; 1 not applicable (excluded)." in matrix
    assert "A.5.2 Roles Not applicable : excluded in DOC-SCOPE : No staff of our own — — " in matrix
    # a justified gap in a mandatory clause stays a gap, worded as work to do
    assert (
        "1.2 Objectives Uncovered : no document satisfies it; justified in DOC-SCOPE : Objectives are set next "
        "quarter (known gap, action planned) — — "
    ) in matrix
    soa = result.page_text("pages/soa")
    assert (
        "Control Applicable Justification for exclusion Implemented by Coverage "
        "A.5.1 Policies yes — DOC-SCOPE , POL-SEC covered "
        "A.5.2 Roles no No staff of our own ( DOC-SCOPE ) — not applicable"
    ) in soa
    book = load_workbook(result.outdir / "clausewise" / "clausewise.xlsx")
    assert book.sheetnames == ["Matrix", "Documents", "Records", "Findings", "Applicability"]
    assert [list(r) for r in book["Applicability"].iter_rows(values_only=True)] == [
        ["standard", "control", "heading", "applicable", "justification", "excluded_in", "documents", "coverage"],
        ["sec", "A.5.1", "Policies", "yes", None, None, "DOC-SCOPE; POL-SEC", "covered"],
        ["sec", "A.5.2", "Roles", "no", "No staff of our own", "DOC-SCOPE", None, "not applicable"],
    ]
    assert check_findings(root, date(2026, 11, 23))[0] == result.report


def test_the_bundled_20000_1_and_27001_side_by_side(tmp_path: Path) -> None:
    conf = 'clausewise_catalogues = ["iso20000-1-2018", "iso27001-2022"]\n'
    scope = governed(
        "DOC-SCOPE", "document", "Scope", satisfies='["4.3", "27001:4.3", "27001:A.5.15"]',
        excluded="\n  - clause: 27001:A.7.1\n    reason: No premises of our own",
    )  # fmt: skip
    root = write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(satisfies=None), "policies/scope.md": scope, "pages/soa.md": SOA_PAGE},
        conf,
    )
    result = build(root, fresh=True)
    assert [f for f in result.findings if f[0] != "uncovered-clause"] == []
    # every clause became a need: sphinx-needs took "A.5.15" as a clause number
    assert result.other_warnings() == []
    needs = json.loads((result.outdir / "needs.json").read_text())
    clauses = next(iter(needs["versions"].values()))["needs"]
    assert clauses["ISO27K-A-5-15"]["clause_number"] == "A.5.15"
    assert len([n for n in clauses.values() if n["type"] == "clause"]) == 77 + 139
    uncovered = {f[3] for f in result.findings}
    assert "ISO20K-4-3" not in uncovered and "ISO27K-4-3" not in uncovered
    assert "ISO27K-A-5-15" not in uncovered and "ISO27K-A-7-1" not in uncovered and "ISO27K-A-7-2" in uncovered
    # clauses without sub-clauses: 57 of 20000-1 less 4.3; 30 clauses and 93 controls of 27001 less 4.3,
    # A.5.15 and the excluded A.7.1
    assert len(uncovered) == (57 - 1) + (30 + 93 - 3)
    soa = result.page_text("pages/soa")
    assert "A.5.15 Access control yes — DOC-SCOPE covered" in soa
    assert "A.7.1 Physical security perimeters no No premises of our own ( DOC-SCOPE ) — not applicable" in soa
    matrix = result.page_text("pages/matrix")
    assert "ISO/IEC 20000-1:2018 (key 20000-1)" in matrix and "ISO/IEC 27001:2022 (key 27001)" in matrix
    assert check_findings(root, date(2026, 11, 23))[0] == result.report


def test_the_list_of_catalogues_wins_over_the_single_one() -> None:
    single = ClausewiseConfig.from_values({"clausewise_catalogue": "mine.yaml"}, environ={})
    assert single.catalogue_names == ("mine.yaml",)
    both = ClausewiseConfig.from_values(
        {"clausewise_catalogue": "mine.yaml", "clausewise_catalogues": ["iso27001-2022", "iso9001-2015"]}, environ={}
    )
    assert both.catalogue_names == ("iso27001-2022", "iso9001-2015")
    with pytest.raises(SettingError) as raised:
        ClausewiseConfig.from_values({"clausewise_catalogues": "iso27001-2022"}, environ={})
    assert str(raised.value) == (
        "conf.py: clausewise_catalogues is 'iso27001-2022'; expected a list of bundled catalogue names or YAML "
        "files, e.g. ['iso20000-1-2018', 'iso27001-2022']"
    )
    with pytest.raises(SettingError) as raised:
        ClausewiseConfig.from_values({"clausewise_catalogues": ["a.yaml", "a.yaml"]}, environ={})
    assert str(raised.value) == "conf.py: clausewise_catalogues names 'a.yaml' twice; list each catalogue once"


def test_a_bad_catalogue_among_several_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    root = two_standards(tmp_path)
    (root / "sec.yaml").write_text(SEC_CATALOGUE.replace('number: "A.5.2"', 'number: "A.6.2"'))
    result = run_sphinx(root)
    assert result.returncode == 2
    assert "clausewise: sec.yaml:11: clause A.6.2 comes before its parent A.6; list A.6 first" in result.stderr
    assert "Traceback" not in result.stderr


def test_evidences_and_excluded_take_keyed_references_too(tmp_path: Path) -> None:
    procedure = governed(
        "PRC-ROLES", "procedure", "Roles", satisfies='["sec:A.5.2"]',
        record_types="\n  - id: RT-ROLES\n    title: Role review\n    owner: ROLE-OWNER\n"
        "    evidences: [sec:A.5.2, sec:A.7]\n    cadence: per event\n    window: 12 months",
        excluded="\n  - clause: sec:A.9\n    reason: Typo",
    )  # fmt: skip
    root = two_standards(tmp_path, **{"procedures/roles.md": procedure})
    result = build(root, fresh=True)
    assert result.findings == [
        ("unknown-clause", "procedures/roles.md", 16, "RT-ROLES"),
        ("unknown-clause", "procedures/roles.md", 20, "PRC-ROLES"),
    ]
    help_text = (
        "the catalogues are MINI (Mini standard), sec (Security standard); write KEY:NUMBER, e.g. 'sec:A.5.2' "
        "(a bare number is a clause of MINI)"
    )
    assert [f["message"] for f in result.report["findings"]] == [
        f"evidences: clause 'A.7' is not in the Security standard catalogue (key sec); {help_text}",
        f"excluded: clause 'A.9' is not in the Security standard catalogue (key sec); {help_text}",
    ]
    assert check_findings(root, date(2026, 11, 23))[0] == result.report


def test_a_theme_cannot_be_excluded_only_its_controls(tmp_path: Path) -> None:
    """Excluding A.5 would hide A.5.2's own gap: refused, and A.5.2 stays a gap."""
    scope = governed(
        "DOC-SCOPE", "document", "Scope", satisfies='["sec:A.5.1"]',
        excluded="\n  - clause: sec:A.5\n    reason: Not ours",
    )  # fmt: skip
    root = two_standards(tmp_path, **{"policies/scope.md": scope})
    result = build(root, fresh=True)
    assert result.findings == [
        ("uncovered-clause", "pages/clauses.md", 3, "SEC-A-5-2"),
        ("clause-not-excludable", "policies/scope.md", 13, "DOC-SCOPE"),
    ]
    assert result.report["findings"][1]["message"] == (
        "excluded: clause 'sec:A.5' (Organizational controls) cannot be excluded: it has sub-clauses: exclude each "
        "of them that does not apply, one by one; if it is not covered yet, justify the gap under "
        "'uncovered_clauses' instead"
    )


def test_excludable_prefixes_match_whole_parts_of_a_number() -> None:
    catalogue = Catalogue("S", "", "S", "", (), excludable=("A.5.1", "B", "C."))
    assert [n for n in ("A.5.1", "A.5.10", "A.5.1.2", "B", "BC", "B.1", "C", "C.1", "CD.1") if
            catalogue.is_excludable(n)] == ["A.5.1", "A.5.1.2", "B", "B.1", "C.1"]  # fmt: skip


def test_a_number_or_prefix_ending_in_a_line_break_is_refused(tmp_path: Path) -> None:
    bad = SEC_CATALOGUE.replace('  - {number: "4", heading: "Context"}', '  - {number: "4\\n", heading: "Context"}')
    root = two_standards(tmp_path, **{"sec.yaml": bad})
    done = run_sphinx(root)
    assert done.returncode == 2
    assert "number '4\\n'" in done.stderr and "Traceback" not in done.stderr


def test_an_excluded_control_that_a_document_satisfies_is_a_contradiction(tmp_path: Path) -> None:
    scope = governed(
        "DOC-SCOPE", "document", "Scope", satisfies='["sec:A.5.1"]',
        excluded="\n  - clause: sec:A.5.2\n    reason: No staff of our own",
    )  # fmt: skip
    roles = governed("POL-ROLES", "policy", "Roles", satisfies='["sec:A.5.2"]')
    root = two_standards(tmp_path, **{"policies/scope.md": scope, "policies/roles.md": roles})
    result = build(root, fresh=True)
    contradictions = [f for f in result.report["findings"] if f["code"] == "excluded-but-implemented"]
    assert [(f["path"], f["line"], f["id"], f["severity"], f["message"]) for f in contradictions] == [
        ("policies/scope.md", 13, "DOC-SCOPE", "warning",
         "excluded: control 'sec:A.5.2' (Roles) is declared not applicable, but POL-ROLES (approved) satisfies it; "
         "remove the exclusion, or the control from 'satisfies'"),
    ]  # fmt: skip
    assert check_findings(root, date(2026, 11, 23))[0] == result.report
