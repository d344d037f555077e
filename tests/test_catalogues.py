"""Several standards in one handbook: two catalogues side by side, clause
references as KEY:NUMBER, the matrix and the exports per standard, and the
catalogue files' own mistakes with file and line."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from clausewise.cli.findings import check_findings
from handbook import build, governed, role, write_handbook

#: A second small standard: clause 4 and an annex of controls in two themes.
SEC_CATALOGUE = """\
standard: Security standard
key: sec
id_prefix: SEC
notice: Numbers and headings only.
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


def test_the_exports_name_each_rows_standard(tmp_path: Path) -> None:
    result = build(two_standards(tmp_path), fresh=True)
    with (result.outdir / "clausewise" / "matrix.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert [(r[0], r[2], r[-1]) for r in rows] == [
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
