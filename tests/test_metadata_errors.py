"""Each metadata error gives exactly its finding, with file, line, value and fix.

Real Sphinx builds of small handbooks; the assertions read findings.json and the
warnings Sphinx printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from handbook import build, governed, role, write_handbook

POLICY = "policies/service-policy.md"
#: what a broken policy leaves behind: its two clauses, reported on the catalogue page
UNCOVERED = [
    ("uncovered-clause", "pages/clauses.md", 3, "MINI-1-1"),
    ("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2"),
]


def handbook(tmp_path: Path, policy: str, extra: dict[str, str] | None = None) -> Path:
    files = {
        "roles/owner.md": role(),
        POLICY: policy,
        **(extra or {}),
    }
    return write_handbook(tmp_path / "hb", files)


def policy(**overrides: str) -> str:
    return governed("POL-001", "policy", "Service policy", **{"satisfies": "[1.1, 1.2]", **overrides})


def test_a_correct_handbook_has_no_findings(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, policy()))
    assert result.findings == []
    assert result.report["summary"] == {}
    assert result.report["today"] == "2026-11-23"
    assert result.warnings == []


@pytest.mark.parametrize(
    ("overrides", "line", "message"),
    [
        (
            {"reviewed": "2026-02-30"},
            9,
            "reviewed: '2026-02-30' is not a real date; expected YYYY-MM-DD, e.g. 2026-02-28",
        ),
        (
            {"effective": "1 March 2026"},
            8,
            "effective: '1 March 2026' is not a date; expected YYYY-MM-DD, e.g. 2026-02-28",
        ),
        (
            {"review_interval": "12 weeks"},
            12,
            "review_interval: '12 weeks' is malformed; expected a number of months or years up to 10 years, "
            "e.g. '12 months' or '2 years'",
        ),
        (
            {"owner": None},
            1,
            "missing required key 'owner': add 'owner: ...' (an id such as ROLE-EXAMPLE)",
        ),
        (
            {"classification": "secret"},
            10,
            "classification: 'secret' is not allowed; expected one of public, internal, confidential",
        ),
        (
            {"version": "v2"},
            7,
            "version: 'v2' is malformed; expected numbers separated by dots, e.g. 2.1",
        ),
        (
            {"reviewed": None, "reviwed": "2026-06-01"},
            11,
            "unknown key 'reviwed' in a governed document's front matter; did you mean 'reviewed'?",
        ),
        (
            {"owner": "owner"},
            5,
            "owner: 'owner' is not a valid id; expected 'ROLE-' followed by upper-case letters, digits "
            "and single dashes, e.g. ROLE-EXAMPLE",
        ),
    ],
    ids=["impossible-date", "not-a-date", "interval", "missing-owner", "classification", "version",
         "misspelt-key", "bad-owner-id"],
)  # fmt: skip
def test_each_metadata_error_gives_exactly_one_finding(
    tmp_path: Path, overrides: dict[str, str], line: int, message: str
) -> None:
    result = build(handbook(tmp_path, policy(**overrides)))
    assert result.findings == [("invalid-metadata", POLICY, line, "POL-001")]
    assert result.report["findings"][0]["message"] == message
    assert result.report["findings"][0]["severity"] == "error"
    # the same finding, once, as a Sphinx error at the same place; nothing else complains
    [warning] = result.warnings
    assert (warning.path, warning.line, warning.level, warning.kind) == (
        POLICY, line, "ERROR", "clausewise.invalid-metadata"
    )  # fmt: skip
    assert warning.message == message


def test_unknown_owner(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, policy(owner="ROLE-NOBODY")))
    assert result.findings == [("unknown-owner", POLICY, 5, "POL-001")]
    assert result.report["findings"][0]["message"] == (
        "owner: 'ROLE-NOBODY' is not a role in the handbook; expected one of: ROLE-OWNER"
    )
    assert [w.kind for w in result.warnings] == ["clausewise.unknown-owner"]


def test_unknown_clause(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, policy(satisfies="[1.1, 1.2, 9.9]")))
    assert result.findings == [("unknown-clause", POLICY, 11, "POL-001")]
    assert result.report["findings"][0]["message"] == (
        "satisfies: clause '9.9' is not in the Mini standard catalogue; use a number from the "
        "clause catalogue page, e.g. 8.6.1"
    )
    assert [w.kind for w in result.warnings] == ["clausewise.unknown-clause"]


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    text = policy().replace("title: Service policy", "title: [Service policy")
    result = build(handbook(tmp_path, text))
    # an unreadable page cannot count as covering its clauses, and the matrix says so
    assert result.findings == [*UNCOVERED, ("invalid-metadata", POLICY, 4, "")]
    assert result.report["findings"][2]["message"] == (
        "front matter is not valid YAML: expected ',' or ']', but got ':' (line 5), "
        "while parsing a flow sequence that starts on line 4"
    )
    assert result.report["findings"][0]["message"] == (
        "clause 1.1 Plans is not covered: no document satisfies it; approve a document with "
        "'satisfies: [1.1]', or justify the gap under 'uncovered_clauses' in an approved document"
    )


def test_a_character_yaml_does_not_allow_names_the_line(tmp_path: Path) -> None:
    """An invisible control character (DEL) in a title is one finding with its line, not a crash."""
    text = policy().replace("title: Service policy", "title: Service\x7f policy")
    root = handbook(tmp_path, text)
    result = build(root)
    message = (
        "front matter contains a character YAML does not allow: U+007F (line 4); "
        "delete it (it is often invisible: retype the line)"
    )
    assert result.findings == [*UNCOVERED, ("invalid-metadata", POLICY, 4, "")]
    assert result.report["findings"][2]["message"] == message
    checked = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "--handbook", str(root), "check", "--today", "2026-11-23",
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert json.loads(checked.stdout) == result.report


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    text = policy().replace("classification: internal", "classification: internal\nowner: ROLE-OWNER")
    result = build(handbook(tmp_path, text))
    assert result.findings == [*UNCOVERED, ("invalid-metadata", POLICY, 11, "")]
    assert result.report["findings"][2]["message"] == (
        "key 'owner' appears twice in the front matter (first on line 5); keep one"
    )


def test_page_without_front_matter_in_a_governed_folder(tmp_path: Path) -> None:
    root = handbook(tmp_path, policy(), {"procedures/loose.md": "# Loose page\n\nNo metadata.\n"})
    result = build(root)
    assert result.findings == [("invalid-metadata", "procedures/loose.md", 1, "")]
    assert "no front matter" in result.report["findings"][0]["message"]


def test_duplicate_id(tmp_path: Path) -> None:
    twin = governed("POL-001", "policy", "Twin policy")
    result = build(handbook(tmp_path, policy(), {"policies/twin.md": twin}))
    assert result.findings == [("duplicate-id", "policies/twin.md", 2, "POL-001")]
    assert result.report["findings"][0]["message"] == (
        f"id 'POL-001' is already used in {POLICY}:2; give this one a new id"
    )


def test_id_prefix_must_match_type(tmp_path: Path) -> None:
    result = build(handbook(tmp_path, governed("PRC-001", "policy", "Service policy", satisfies="[1.1, 1.2]")))
    assert result.findings == [*UNCOVERED, ("invalid-metadata", POLICY, 2, "PRC-001")]
    assert "expected 'POL-' followed by" in result.report["findings"][2]["message"]


def test_unknown_references(tmp_path: Path) -> None:
    procedure = governed(
        "PRC-001", "procedure", "A procedure", implements="[POL-001, POL-404]", roles="[ROLE-OWNER, ROLE-GHOST]"
    )
    result = build(handbook(tmp_path, policy(), {"procedures/a.md": procedure}))
    assert result.findings == [
        ("unknown-reference", "procedures/a.md", 12, "PRC-001"),
        ("unknown-reference", "procedures/a.md", 13, "PRC-001"),
    ]
    messages = [f["message"] for f in result.report["findings"]]
    assert messages == [
        "implements: 'POL-404' is not a policy, document or procedure in the handbook",
        "roles: 'ROLE-GHOST' is not a role in the handbook",
    ]


def test_draft_needs_no_dates(tmp_path: Path) -> None:
    draft = governed("PRC-001", "procedure", "Draft", status="draft", effective=None, reviewed=None)
    result = build(handbook(tmp_path, policy(), {"procedures/draft.md": draft}))
    assert result.findings == []


def test_invalid_status_counts_as_not_in_force(tmp_path: Path) -> None:
    """An unknown status cannot count as approved: the matrix says so instead of guessing."""
    result = build(handbook(tmp_path, policy(status="aproved")))
    assert result.findings == [*UNCOVERED, ("invalid-metadata", POLICY, 6, "POL-001")]
    assert result.report["findings"][0]["message"].startswith(
        "clause 1.1 Plans is not covered: only documents not in force declare it: POL-001 (invalid status)"
    )


def test_record_types_are_validated(tmp_path: Path) -> None:
    procedure = governed("PRC-001", "procedure", "Reporting") + ""
    procedure = procedure.replace(
        "satisfies: [1.1]\n",
        "satisfies: [1.1]\n"
        "record_types:\n"
        "  - id: RT-REPORT\n"
        "    title: Monthly report\n"
        "    owner: ROLE-OWNER\n"
        "    evidences: [1.1, 7]\n"
        "    cadence: fortnightly\n",
    )
    result = build(handbook(tmp_path, policy(), {"procedures/reporting.md": procedure}))
    assert result.findings == [
        ("unknown-clause", "procedures/reporting.md", 16, "RT-REPORT"),
        ("invalid-metadata", "procedures/reporting.md", 17, "RT-REPORT"),
    ]
    assert result.report["findings"][1]["message"] == (
        "cadence: 'fortnightly' is malformed; expected daily, weekly, monthly, quarterly, half-yearly, yearly, "
        "'every N weeks' (N up to 156), 'every N months' (N up to 36) or 'per event'"
    )
