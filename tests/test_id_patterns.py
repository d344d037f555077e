"""An organisation's own ids (``clausewise_id_patterns``): a handbook whose
policies are ``XY-POL-01``, procedures ``XY-PR-12``, roles ``R-CISO``, record types
``XY-RT-INCIDENTS`` and records ``XY-REC-...`` is checked, built and extended with
``clausewise new`` without a false finding; bad patterns stop with one sentence."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from clausewise.core.ids import DEFAULT_ID_PATTERNS, IdKind, IdScheme, example_of, literal_prefix
from clausewise.core.settings import ClausewiseConfig, SettingError
from clausewise.sources import frontmatter
from handbook import build, governed, ok, record, refused, role, run_clausewise, write_handbook

REPO = Path(__file__).parent.parent
TODAY = "2026-11-23"
PATTERNS = """\
clausewise_sms_start = "2026-08-01"
clausewise_records_path = "evidence/"
clausewise_governed_paths = ["policies/", "procedures/", "roles/", "evidence/"]
clausewise_id_patterns = {
    "document": r"XY-DOC-\\d{3}",
    "policy": r"XY-POL-\\d{2}",
    "procedure": r"XY-PR-\\d{2}",
    "role": r"R-[A-Z][A-Z0-9-]*",
    "record_type": r"XY-RT-[A-Z][A-Z0-9-]*",
    "record": r"XY-REC-[A-Z0-9-]+",
}
"""
PROCEDURE = "procedures/incidents.md"
RECORD_TYPES = (
    "record_types:\n"
    "  - id: XY-RT-INCIDENTS\n"
    "    title: Incident report\n"
    "    owner: R-SERVICE-OWNER\n"
    "    evidences: [1.1]\n"
    "    cadence: monthly\n"
)


def files() -> dict[str, str]:
    return {
        "roles/ciso.md": role("R-CISO", "Chief information security officer"),
        "roles/service-owner.md": role("R-SERVICE-OWNER", "Service owner", owner="R-CISO", satisfies=None),
        "policies/security.md": governed(
            "XY-POL-01", "policy", "Security policy", owner="R-CISO", satisfies="[1.1, 1.2]"
        ),
        "policies/access.md": governed(
            "XY-POL-07", "policy", "Access policy", owner="R-CISO", implements="[XY-POL-01]"
        ),
        PROCEDURE: governed(
            "XY-PR-12",
            "procedure",
            "Incident management",
            owner="R-SERVICE-OWNER",
            roles="[R-CISO]",
            implements="[XY-POL-01]",
        ).replace("satisfies: [1.1]\n", "satisfies: [1.1]\n" + RECORD_TYPES),
        **{
            f"evidence/incidents/2026-{m}.md": record(
                f"XY-REC-INCIDENTS-2026-{m}", "XY-RT-INCIDENTS", f"2026-{m}", produced=f"2026-{int(m) + 1:02d}-05"
            )
            for m in ("08", "09", "10")
        },
    }


def handbook(tmp_path: Path, extra: dict[str, str] | None = None, conf: str = PATTERNS) -> Path:
    return write_handbook(tmp_path / "hb", {**files(), **(extra or {})}, conf)


def clausewise(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in the handbook's folder, with no CLAUSEWISE_TODAY from the environment."""
    return run_clausewise(*args, cwd=root)


def front(path: Path) -> dict[str, Any]:
    return frontmatter.parse(path.read_text()).data


# --- a handbook with its own ids -------------------------------------------------------------


def test_a_handbook_with_its_own_ids_has_no_false_finding(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    result = build(root, fresh=True)
    assert result.findings == []
    assert result.other_warnings() == []
    # sphinx-needs took every need under its own id
    needs = json.loads((result.outdir / "needs.json").read_text())
    ids = set(needs["versions"][needs["current_version"]]["needs"])
    assert {"R-CISO", "R-SERVICE-OWNER", "XY-POL-01", "XY-POL-07", "XY-PR-12", "XY-RT-INCIDENTS",
            "XY-REC-INCIDENTS-2026-08", "XY-REC-INCIDENTS-2026-10"} <= ids  # fmt: skip
    # and `clausewise check` finds the same, without a build
    checked = clausewise(root, "check", "--today", TODAY, "--format", "json")
    assert json.loads(checked.stdout) == result.report


def test_an_id_not_matching_its_pattern_is_one_finding_with_the_pattern_and_an_example(tmp_path: Path) -> None:
    root = handbook(tmp_path, {"policies/old.md": governed("POL-003", "policy", "Old policy", owner="R-CISO")})
    result = build(root, fresh=True)
    assert result.findings == [("invalid-metadata", "policies/old.md", 2, "POL-003")]
    assert result.report["findings"][0]["message"] == (
        r"id: 'POL-003' is not a valid id; expected a policy id matching 'XY-POL-\d{2}' (clausewise_id_patterns), "
        "e.g. XY-POL-00"
    )
    checked = clausewise(root, "check", "--today", TODAY, "--format", "json")
    assert json.loads(checked.stdout) == result.report


def test_a_reference_of_the_wrong_kind_is_named_at_its_line(tmp_path: Path) -> None:
    # the owner of a document is a role: a default-style role id is not one here
    root = handbook(tmp_path, {"policies/p.md": governed("XY-POL-02", "policy", "P", owner="ROLE-CISO")})
    result = build(root, fresh=True)
    assert result.findings == [("invalid-metadata", "policies/p.md", 5, "XY-POL-02")]
    assert result.report["findings"][0]["message"] == (
        "owner: 'ROLE-CISO' is not a valid id; expected a role id matching 'R-[A-Z][A-Z0-9-]*' "
        "(clausewise_id_patterns), e.g. R-A"
    )


def test_an_id_the_pattern_allows_but_sphinx_needs_cannot_take_is_refused(tmp_path: Path) -> None:
    conf = PATTERNS.replace(r'"policy": r"XY-POL-\d{2}"', r'"policy": r"XY[-.]POL-\d{2}"')
    assert conf != PATTERNS
    root = handbook(tmp_path, {"policies/dot.md": governed("XY.POL-03", "policy", "Dot", owner="R-CISO")}, conf)
    result = build(root, fresh=True)
    assert result.findings == [("invalid-metadata", "policies/dot.md", 2, "XY.POL-03")]
    assert result.report["findings"][0]["message"] == (
        r"id: 'XY.POL-03' is not a valid id; it matches 'XY[-.]POL-\d{2}' (clausewise_id_patterns) but an id may "
        "contain only letters, digits, '-' and '_', e.g. XY-POL-00"
    )


# --- bad settings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"polcy": "X-\\d+"},
         "clausewise_id_patterns names the kind 'polcy', which is not one; expected one of: document, policy, "
         "procedure, role, record_type, record, external, service, supplier"),
        ({"policy": "XY-POL-("},
         "clausewise_id_patterns['policy'] is 'XY-POL-(', which is not a valid regular expression (missing ), "
         "unterminated subpattern at position 7); expected a regular expression that every policy id matches in "
         "full, e.g. r'XY-POL-\\d{2}'"),
        ({"role": "R\\.[A-Z]+"},
         "clausewise_id_patterns['role'] is 'R\\\\.[A-Z]+', which matches no id clausewise can use: an id is made "
         "of letters, digits, '-' and '_' only (sphinx-needs reads a '.' as a part of a need), at most 120 of them; "
         "expected a regular expression that every role id matches in full, e.g. r'XY-POL-\\d{2}'"),
        ({"policy": "A{1000000000}"},
         "clausewise_id_patterns['policy'] is 'A{1000000000}', which matches no id clausewise can use: an id is "
         "made of letters, digits, '-' and '_' only (sphinx-needs reads a '.' as a part of a need), at most 120 "
         "of them; expected a regular expression that every policy id matches in full, e.g. r'XY-POL-\\d{2}'"),
        ({"policy": "XY-([A-Z]+-?)+\\d{3}"},
         "clausewise_id_patterns['policy'] is 'XY-([A-Z]+-?)+\\\\d{3}', which repeats a group that itself repeats "
         "without bound, such as (A+)+: matching an id that almost fits can take minutes; repeat the characters "
         "once instead, e.g. XY-[A-Z-]+\\d{3}, or make the inner part atomic: (?>...); expected a regular "
         "expression that every policy id matches in full, e.g. r'XY-POL-\\d{2}'"),
        ({"role": "(?i)r-[a-z]+"},
         "clausewise_id_patterns['role'] is '(?i)r-[a-z]+', which sets a flag for the whole pattern, such as (?i); "
         "scope it instead: (?i:...); expected a regular expression that every role id matches in full, "
         "e.g. r'XY-POL-\\d{2}'"),
        ({"record": ""},
         "clausewise_id_patterns['record'] is ''; expected a regular expression in quotes, e.g. r'XY-POL-\\d{2}'"),
        (["XY-POL-\\d{2}"],
         "clausewise_id_patterns is ['XY-POL-\\\\d{2}']; expected a dict of id kind to regular expression, "
         "e.g. {'policy': r'XY-POL-\\d{2}'} (kinds: document, policy, procedure, role, record_type, record, external, "
         "service, supplier)"),
    ],
    ids=["unknown-kind", "invalid-regex", "no-valid-id", "too-long", "nested-repeats", "global-flag", "empty",
         "not-a-dict"],
)  # fmt: skip
def test_a_bad_pattern_is_one_clear_sentence(value: Any, message: str) -> None:
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values({"clausewise_id_patterns": value}, environ={})
    assert str(caught.value) == f"conf.py: {message}"


def test_a_bad_pattern_stops_check_and_the_build_with_one_line(tmp_path: Path) -> None:
    root = handbook(tmp_path, conf='clausewise_id_patterns = {"polcy": r"XY-POL-\\d{2}"}\n')
    line = (
        "conf.py: clausewise_id_patterns names the kind 'polcy', which is not one; expected one of: document, "
        "policy, procedure, role, record_type, record, external, service, supplier"
    )
    done = clausewise(root, "check", "--today", TODAY)
    assert (done.returncode, done.stderr) == (2, f"clausewise: {line}\n")
    built = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(root), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 2
    assert built.stderr.strip().splitlines()[-1].endswith(f"ERROR: clausewise: {line} [clausewise.config]")


# --- clausewise new ----------------------------------------------------------------------------


def test_new_derives_the_next_ids_from_the_handbook(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    out = ok(clausewise(root, "new", "policy", "--title", "Supplier policy", "--owner", "R-CISO"))
    assert out[0].startswith("Wrote policies/supplier-policy.md: XY-POL-08 Supplier policy, a policy owned by R-CISO")
    assert front(root / "policies/supplier-policy.md")["id"] == "XY-POL-08"
    ok(clausewise(root, "new", "procedure", "--title", "Change management", "--owner", "R-SERVICE-OWNER"))
    assert front(root / "procedures/change-management.md")["id"] == "XY-PR-13"
    # none of the kind yet: number 1 at the width of the pattern's example (XY-DOC-000)
    ok(clausewise(root, "new", "document", "--title", "Service catalogue", "--owner", "R-CISO"))
    assert front(root / "policies/service-catalogue.md")["id"] == "XY-DOC-001"
    out = ok(clausewise(root, "new", "role", "--title", "Capacity manager"))
    assert out[0] == (
        "Wrote roles/capacity-manager.md: R-CAPACITY-MANAGER Capacity manager, a role owned by R-CISO, "
        "status draft, version 0.1."
    )
    out = ok(clausewise(root, "new", "record-type", "--document", "XY-PR-12", "--title", "Problem review",
                        "--cadence", "quarterly", "--today", TODAY))  # fmt: skip
    assert out[0].startswith("Added XY-RT-PROBLEM-REVIEW (Problem review, quarterly, from 2026-11-23) to XY-PR-12")
    assert front(root / PROCEDURE)["record_types"][1]["id"] == "XY-RT-PROBLEM-REVIEW"
    # records: the prefix of the handbook's records, the type's name, the period; in the type's folder
    out = ok(clausewise(root, "new", "record", "XY-RT-INCIDENTS", "--produced-by", "A. Person", "--today", TODAY))
    assert out[0] == (
        "Wrote evidence/incidents/2026-11.md: XY-REC-INCIDENTS-2026-11 for 2026-11, produced 2026-11-23 by A. Person."
    )
    # a type without records: its folder under clausewise_records_path, named after the type
    out = ok(clausewise(root, "new", "record", "XY-RT-PROBLEM-REVIEW", "--produced-by", "A. Person",
                        "--today", TODAY))  # fmt: skip
    assert out[0] == (
        "Wrote evidence/problem-review/2026-Q4.md: XY-REC-PROBLEM-REVIEW-2026-Q4 for 2026-Q4, produced 2026-11-23 "
        "by A. Person."
    )
    assert front(root / "evidence/problem-review/2026-Q4.md")["record_type"] == "XY-RT-PROBLEM-REVIEW"
    # everything written has ids of the handbook's patterns
    report = json.loads(clausewise(root, "check", "--today", TODAY, "--format", "json").stdout)
    assert [f for f in report["findings"] if f["code"] == "invalid-metadata"] == []


def test_new_with_an_id_of_ones_own(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    args = ("new", "policy", "--title", "Supplier policy", "--owner", "R-CISO")
    assert refused(clausewise(root, *args, "--id", "XY-POL-01")) == (
        "clausewise: the id XY-POL-01 is already used in policies/security.md; choose another --id"
    )
    assert refused(clausewise(root, *args, "--id", "POL-009")) == (
        r"clausewise: --id 'POL-009' is not a valid policy id; expected a policy id matching 'XY-POL-\d{2}' "
        "(clausewise_id_patterns), e.g. XY-POL-00"
    )
    assert not (root / "policies/supplier-policy.md").exists()
    ok(clausewise(root, *args, "--id", "XY-POL-42"))
    assert front(root / "policies/supplier-policy.md")["id"] == "XY-POL-42"
    ok(clausewise(root, "new", "role", "--title", "Auditor", "--id", "R-IA"))
    assert front(root / "roles/auditor.md")["id"] == "R-IA"
    assert refused(
        clausewise(
            root,
            "new",
            "record",
            "XY-RT-INCIDENTS",
            "--produced-by",
            "A",
            "--today",
            TODAY,
            "--id",
            "XY-REC-INCIDENTS-2026-08",
        )
    ) == (
        "clausewise: the id XY-REC-INCIDENTS-2026-08 is already used in evidence/incidents/2026-08.md; "
        "choose another --id"
    )


def test_new_without_a_way_to_make_the_id_asks_for_one(tmp_path: Path) -> None:
    # a role pattern with no fixed start, and a single role without a dash: nothing to learn a prefix from
    conf = 'clausewise_id_patterns = {"role": r"[A-Z]{2,8}", "policy": r"P\\d{2}"}\n'
    pages = {"roles/ciso.md": role("CISO", "CISO"), "policies/p.md": governed("P99", "policy", "P", owner="CISO")}
    root = write_handbook(tmp_path / "hb", pages, conf)
    assert refused(clausewise(root, "new", "role", "--title", "Auditor")) == (
        "clausewise: cannot tell how a new role id starts: a role id matching '[A-Z]{2,8}' (clausewise_id_patterns) "
        "starts with no fixed text and the handbook has no role id with a dash to learn it from; give the id with "
        "--id, e.g. --id AA"
    )
    assert refused(clausewise(root, "new", "policy", "--title", "Q", "--owner", "CISO")) == (
        r"clausewise: the next policy id would be P100, which is not a policy id matching 'P\d{2}' "
        "(clausewise_id_patterns): give the new id with --id"
    )


# --- the defaults ----------------------------------------------------------------------------


def test_the_default_patterns_accept_every_id_of_the_sample() -> None:
    ids = IdScheme()
    seen: dict[IdKind, int] = dict.fromkeys(IdKind, 0)
    for folder in ("policies", "procedures", "docs/roles", "external", "services", "suppliers", "records"):
        for path in sorted((REPO / folder).rglob("*.md")):
            data = frontmatter.parse(path.read_text()).data
            if "id" not in data:
                continue  # an index page
            kind = IdKind(data["type"])
            checks = [(kind, data["id"]), (IdKind.ROLE, data.get("owner"))]
            checks += [(IdKind.RECORD_TYPE, data.get("record_type"))]
            for rt in data.get("record_types", []):
                checks += [(IdKind.RECORD_TYPE, rt["id"]), (IdKind.ROLE, rt.get("owner"))]
            for what, ident in checks:
                if ident is not None:
                    assert ids[what].matches(ident), (path, what, ident)
                    seen[what] += 1
    assert all(seen[k] > 0 for k in IdKind if k is not IdKind.DOCUMENT), seen


def test_examples_and_prefixes_read_from_patterns() -> None:
    assert [example_of(p) for p in (r"XY-POL-\d{2}", r"R-[A-Z][A-Z0-9-]*", r"(?:AB|CD)-\d+", r"X\.\d")] == [
        "XY-POL-00", "R-A", "AB-0", None,
    ]  # fmt: skip
    assert [literal_prefix(p) for p in (r"XY-RT-[A-Z]+", r"[A-Z]+-\d", r"(?i)xy-\d")] == ["XY-RT-", "", ""]
    assert all(p.matches(p.example) for p in DEFAULT_ID_PATTERNS.values())
    # sphinx-needs' id regex is today's when nothing is configured, and takes every configured id too
    assert IdScheme().needs_id_regex() == r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"
    configured = ClausewiseConfig.from_values({"clausewise_id_patterns": {"role": "R_[a-z]+"}}, environ={})
    assert configured.id_patterns.needs_id_regex() == r"^(?:[A-Z][A-Z0-9]*(-[A-Z0-9]+)+|(?:R_[a-z]+))$"


@pytest.mark.parametrize(
    "regex", ["XY-(A|AB)+", "XY-(AA?)+", "XY-(A{1,3})+", "XY-((AB|A)C?)*-1", "(X(){1,3})+", "XY-((A?){2,4}B)+"]
)
def test_a_repeated_part_that_reads_characters_in_many_ways_is_refused(regex: str) -> None:
    # each passed the nested-repeat check, and an id of 30 A's and one a took seconds to minutes to refuse
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values({"clausewise_id_patterns": {"policy": regex}}, environ={})
    assert str(caught.value) == (
        f"conf.py: clausewise_id_patterns['policy'] is {regex!r}, which repeats without bound a part that can "
        "read the same characters in more than one way, such as (A|AB)+ or (AA?)+: matching an id that almost "
        "fits can take minutes; start each alternative, and each repetition, with its own character, e.g. "
        "(AB?)+, or make the part atomic: (?>A|AB)+; expected a regular expression that every policy id matches "
        "in full, e.g. r'XY-POL-\\d{2}'"
    )


@pytest.mark.parametrize(
    "regex",
    ["XY-(?:AB|C)+-\\d+", "XY-(?>A|AB)+", "XY-(A|AB){1,3}", "XY-([A-Z]|[A-Z0-9])+", "XY-(AB?)+",
     "XY-(-[A-Z]{2,4})+", "XY-(?:-?[A-Z])+"],
)  # fmt: skip
def test_a_repeated_part_that_reads_characters_one_way_is_accepted(regex: str) -> None:
    scheme = ClausewiseConfig.from_values({"clausewise_id_patterns": {"policy": regex}}, environ={}).id_patterns
    # ids that almost fit are refused at once
    for almost in ("A" * 5000, "-A" * 2500, "AB" * 2500):
        assert not scheme[IdKind.POLICY].matches(f"XY-{almost}a")


@pytest.mark.parametrize(
    ("regex", "problem"),
    [("XY-A{10000000000000000}", "the repetition number is too large"),
     ("(" * 1000 + "A" + ")" * 1000, "its groups nest too deeply")],
    ids=["repetition-too-large", "nested-too-deeply"],
)  # fmt: skip
def test_a_pattern_python_cannot_compile_for_any_reason_is_one_line(regex: str, problem: str) -> None:
    # re raises OverflowError and RecursionError for these, not re.error: found by fuzzing
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values({"clausewise_id_patterns": {"policy": regex}}, environ={})
    assert str(caught.value) == (
        f"conf.py: clausewise_id_patterns['policy'] is {regex!r}, which is not a valid regular expression "
        f"({problem}); expected a regular expression that every policy id matches in full, e.g. r'XY-POL-\\d{{2}}'"
    )


def test_a_pattern_error_quoting_a_line_break_is_still_one_line() -> None:
    # re's message quoted the pattern's newline as it is: found by fuzzing
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values({"clausewise_id_patterns": {"policy": "XY[Z-\n]"}}, environ={})
    assert str(caught.value) == (
        "conf.py: clausewise_id_patterns['policy'] is 'XY[Z-\\n]', which is not a valid regular expression (bad "
        "character range Z-\\n at position 3 (line 1, column 4)); expected a regular expression that every policy "
        "id matches in full, e.g. r'XY-POL-\\d{2}'"
    )
