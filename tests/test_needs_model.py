"""The sphinx-needs side: our needs, fields and links as sphinx-needs itself
records them, and its own schemas rejecting wrong hand-written values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from handbook import build, governed, record, role, write_handbook


def test_needs_json_holds_types_fields_and_links(tmp_path: Path) -> None:
    procedure = governed("PRC-001", "procedure", "Reporting", implements="[POL-001]", roles="[ROLE-OWNER]").replace(
        "satisfies: [1.1]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Monthly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.2]\n    cadence: monthly\n",
    )
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "policies/p.md": governed("POL-001", "policy", "Policy"),
            "procedures/reporting.md": procedure,
            "records/report/2026-09.md": record("REC-REPORT-2026-09", "RT-REPORT", "2026-09"),
        },
    )
    result = build(root)
    assert result.findings == []
    data = json.loads((result.outdir / "needs.json").read_text())
    needs = data["versions"][data["current_version"]]["needs"]
    assert sorted(needs) == [
        "MINI-1", "MINI-1-1", "MINI-1-2", "MINI-2",
        "POL-001", "PRC-001", "REC-REPORT-2026-09", "ROLE-OWNER", "RT-REPORT",
    ]  # fmt: skip
    prc = needs["PRC-001"]
    assert (prc["type"], prc["title"], prc["status"], prc["version"]) == ("procedure", "Reporting", "approved", "1.0")
    assert (prc["effective"], prc["reviewed"], prc["review_interval"]) == ("2026-01-01", "2026-06-01", "12 months")
    assert prc["satisfies"] == ["MINI-1-1", "MINI-1-2"]
    assert prc["owner"] == ["ROLE-OWNER"]
    assert prc["implements"] == ["POL-001"]
    assert prc["involves"] == ["ROLE-OWNER"]
    assert prc["requires"] == ["RT-REPORT"]
    assert (prc["docname"], prc["lineno"]) == ("procedures/reporting", 2)
    rt = needs["RT-REPORT"]
    assert (rt["type"], rt["cadence"], rt["evidences"], rt["owner"]) == (
        "record_type",
        "monthly",
        ["MINI-1-2"],
        ["ROLE-OWNER"],
    )
    assert rt["requires_back"] == ["PRC-001"]
    assert rt["record_of_back"] == ["REC-REPORT-2026-09"]
    rec = needs["REC-REPORT-2026-09"]
    assert (rec["type"], rec["record_of"], rec["period"], rec["produced"]) == (
        "record", ["RT-REPORT"], "2026-09", "2026-10-05"
    )  # fmt: skip
    clause = needs["MINI-1-2"]
    assert (clause["type"], clause["title"], clause["clause_number"], clause["confirmation"]) == (
        "clause", "Objectives", "1.2", "one-source"
    )  # fmt: skip
    assert sorted(clause["satisfies_back"]) == ["PRC-001"]
    assert clause["evidences_back"] == ["RT-REPORT"]
    assert sorted(needs["ROLE-OWNER"]["owner_back"]) == ["POL-001", "PRC-001", "ROLE-OWNER", "RT-REPORT"]


def test_sphinx_needs_schemas_reject_wrong_hand_written_values(tmp_path: Path) -> None:
    """Needs written as directives bypass the front matter; sphinx-needs' own schemas still check them."""
    page = (
        "# Hand-written\n\n"
        "```{policy} A hand-written policy\n:id: POL-900\n:classification: secret\n:reviewed: 2026-2-3\n```\n"
    )
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(), "pages/hand.md": page})
    result = build(root)
    assert "Need 'POL-900' has schema violations" in result.raw_warnings
    assert '"secret" is not one of "public", "internal" or "confidential"' in result.raw_warnings
    assert '"2026-2-3" does not match' in result.raw_warnings
    assert result.raw_warnings.count("[sn_schema_violation.field_fail]") == 2


def test_a_handbooks_own_need_types_and_fields_are_kept(tmp_path: Path) -> None:
    """clausewise registers its types and fields through sphinx-needs' API, beside the handbook's own."""
    conf = (
        'needs_types = [{"directive": "risk", "title": "Risk", "prefix": "RISK-", "color": "#FF0000", '
        '"style": "node"}]\n'
        'needs_fields = {"likelihood": {"description": "How likely", "nullable": True, "schema": {"type": "string"}}}\n'
    )
    page = "# Risks\n\n```{risk} Supplier fails\n:id: RISK-SUPPLIER-FAILS\n:likelihood: low\n```\n"
    root = write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(), "policies/p.md": governed("POL-001", "policy", "Policy"), "pages/risks.md": page},
        conf,
    )
    result = build(root)
    assert result.other_warnings() == []
    data = json.loads((result.outdir / "needs.json").read_text())
    needs = data["versions"][data["current_version"]]["needs"]
    risk = needs["RISK-SUPPLIER-FAILS"]
    assert (risk["type"], risk["title"], risk["likelihood"]) == ("risk", "Supplier fails", "low")
    assert (needs["POL-001"]["type"], needs["POL-001"]["version"]) == ("policy", "1.0")


def test_a_handbook_type_named_like_ours_is_one_clear_error(tmp_path: Path) -> None:
    conf = (
        'needs_types = [{"directive": "policy", "title": "Policy", "prefix": "P-", "color": "#FFF", "style": "node"}]\n'
    )
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role()}, conf)
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "--no-color", str(root), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "ERROR: clausewise: conf.py: needs_types declares 'policy', a need type clausewise defines; "
        "rename the handbook's own type [clausewise.config]"
    ]


def test_sphinx_needs_default_types_are_not_offered_unless_configured(tmp_path: Path) -> None:
    """Before need types were registered through the API, clausewise's replaced sphinx-needs' defaults."""
    page = "# Requirements\n\n```{req} A requirement\n:id: REQ-1\n```\n"
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(), "pages/reqs.md": page})
    result = build(root)
    data = json.loads((result.outdir / "needs.json").read_text())
    needs = data["versions"][data["current_version"]]["needs"]
    assert "REQ-1" not in needs and "ROLE-OWNER" in needs
    assert [(w.path, w.line, w.kind) for w in result.other_warnings()] == [
        ("pages/reqs.md", 3, "myst.directive_unknown")
    ]
