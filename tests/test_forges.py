"""Other forges: ``clausewise check --format gitlab`` (GitLab's code quality report)
and ``--format sarif`` (SARIF 2.1.0); commit links from ``clausewise_commit_url``.

SARIF is validated against its official schema (fetched from the npm registry:
:mod:`published_schemas`) and, stricter still on what clausewise writes, against
the subset in ``tests/data/``. GitLab publishes its code quality format as a
documented table of properties, not as a JSON schema; ``tests/data/`` holds
that table written as a schema (see its ``$comment``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
from clausewise import __version__
from clausewise.core.findings import CODES, Code
from clausewise.outputs.forges import fingerprints
from handbook import DATA, build, commit, governed, role, write_handbook
from published_schemas import official_sarif_schema

TODAY = "2026-11-23"
GITLAB_SCHEMA = json.loads((DATA / "gitlab-codequality.schema.json").read_text())
SARIF_SCHEMA = json.loads((DATA / "sarif-2.1.0-minimal.schema.json").read_text())


def validate_sarif(log: dict[str, Any]) -> None:
    """Valid by the official SARIF 2.1.0 schema, and by the stricter subset of what clausewise writes."""
    official = jsonschema.Draft4Validator(official_sarif_schema(), format_checker=jsonschema.FormatChecker())
    official.validate(log)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)


OVERDUE = (
    "review overdue since 2026-11-01 (22 days): last reviewed 2025-11-01, every 12 months; review it and set "
    "'reviewed' to the review's date"
)
UNKNOWN_OWNER = "owner: 'ROLE-NOBODY' is not a role in the handbook; expected one of: ROLE-OWNER"


def check(root: Path, style: str) -> Any:
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    done = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "--handbook", str(root), "check", "--today", TODAY, "--format", style],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the unknown owner is an error
    return json.loads(done.stdout)


def handbook(tmp_path: Path) -> Path:
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed(
            "POL-001", "policy", "Service policy", reviewed="2025-11-01", owner="ROLE-NOBODY"
        ),
    }
    return write_handbook(tmp_path / "hb", files)


def test_gitlab_code_quality_report(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    report = check(root, "gitlab")
    jsonschema.Draft7Validator(GITLAB_SCHEMA).validate(report)
    assert [i["check_name"] for i in report] == ["uncovered-clause", "unknown-owner", "review-overdue"]
    for issue in report:
        assert re.fullmatch(r"[0-9a-f]{64}", issue.pop("fingerprint"))
    assert report[1:] == [
        {"description": UNKNOWN_OWNER, "check_name": "unknown-owner", "severity": "major",
         "location": {"path": "policies/policy.md", "lines": {"begin": 5}}},
        {"description": OVERDUE, "check_name": "review-overdue", "severity": "minor",
         "location": {"path": "policies/policy.md", "lines": {"begin": 9}}},
    ]  # fmt: skip


def test_a_finding_without_a_file_or_line_points_at_conf_py_line_1(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {})
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    done = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "--handbook", str(root), "check", "--today", TODAY,
         "--format", "gitlab"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    gitlab = json.loads(done.stdout)
    jsonschema.Draft7Validator(GITLAB_SCHEMA).validate(gitlab)
    assert (gitlab[0]["check_name"], gitlab[0]["location"]) == (
        "no-governed-documents", {"path": "conf.py", "lines": {"begin": 1}},
    )  # fmt: skip


def test_sarif_report(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    sarif = check(root, "sarif")
    validate_sarif(sarif)
    assert (sarif["version"], sarif["$schema"]) == ("2.1.0", "https://json.schemastore.org/sarif-2.1.0.json")
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("clausewise", __version__)
    # one rule per finding code, with its description and default level
    assert [r["id"] for r in driver["rules"]] == [c.value for c in CODES]
    rule = driver["rules"][[r["id"] for r in driver["rules"]].index("review-overdue")]
    assert rule == {
        "id": "review-overdue",
        "shortDescription": {"text": CODES[Code.REVIEW_OVERDUE].description},
        "defaultConfiguration": {"level": "warning"},
    }
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("uncovered-clause", "warning"), ("unknown-owner", "error"), ("review-overdue", "warning"),
    ]  # fmt: skip
    overdue = results[2]
    assert driver["rules"][overdue["ruleIndex"]]["id"] == "review-overdue"
    assert overdue["message"] == {"text": OVERDUE}
    assert overdue["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "policies/policy.md"}, "region": {"startLine": 9}}}
    ]
    # the same fingerprints as the GitLab report
    gitlab = check(root, "gitlab")
    assert [r["partialFingerprints"]["clausewise/v1"] for r in results] == [i["fingerprint"] for i in gitlab]


def test_sarif_location_without_a_line_has_no_region(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"policies/p.md": governed("POL-001", "policy", "Policy")})
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    done = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "--handbook", str(root), "check", "--today", TODAY,
         "--format", "sarif"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    sarif = json.loads(done.stdout)
    validate_sarif(sarif)
    [no_roles] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "no-roles"]
    assert no_roles["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "conf.py"}}}]


def test_the_schemas_reject_what_the_forges_would(tmp_path: Path) -> None:
    """The vendored schemas can fail: a wrong severity, a misspelt key, a line 0."""
    gitlab = jsonschema.Draft7Validator(GITLAB_SCHEMA)
    issue = {"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor",
             "location": {"path": "a.md", "lines": {"begin": 1}}}  # fmt: skip
    assert gitlab.is_valid([issue])
    assert not gitlab.is_valid([{**issue, "severity": "warning"}])
    assert not gitlab.is_valid([{**issue, "location": {"path": "a.md", "lines": {"begin": 0}}}])
    assert not gitlab.is_valid([{k: v for k, v in issue.items() if k != "fingerprint"}])
    sarif = jsonschema.Draft7Validator(SARIF_SCHEMA)
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}}]}]}
    assert sarif.is_valid(log)
    assert not sarif.is_valid({**log, "version": "2.0.0"})
    assert not sarif.is_valid({**log, "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"msg": "m"}]}]})
    bad_level = {"message": {"text": "m"}, "level": "warning!"}
    assert not sarif.is_valid({**log, "runs": [{"tool": {"driver": {"name": "x"}}, "results": [bad_level]}]})
    official = jsonschema.Draft4Validator(official_sarif_schema())
    assert official.is_valid(log)
    assert not official.is_valid({**log, "version": "2.0.0"})
    assert not official.is_valid({**log, "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"msg": "m"}]}]})
    assert not official.is_valid({**log, "runs": [{"tool": {"driver": {"name": "x"}}, "results": [bad_level]}]})
    region = {"startLine": 0}
    located = {"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": region}}]}
    assert not official.is_valid({**log, "runs": [{"tool": {"driver": {"name": "x"}}, "results": [located]}]})


def test_fingerprints_are_stable_and_ignore_lines(tmp_path: Path) -> None:
    root = handbook(tmp_path)
    first = check(root, "gitlab")
    assert [i["fingerprint"] for i in check(root, "gitlab")] == [i["fingerprint"] for i in first]
    # a line added above both findings moves them; they stay the same findings
    page = root / "policies/policy.md"
    page.write_text(page.read_text().replace("title: Service policy\n", "title: Service policy\n# a comment\n"))
    commit(root, "A comment", "2026-07-02T09:00:00+00:00")
    moved = check(root, "gitlab")

    def owner_and_review(report: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # (the commit adds a changed-since-review finding of its own)
        return [i for i in report if i["check_name"] in ("unknown-owner", "review-overdue")]

    assert [i["location"]["lines"]["begin"] for i in owner_and_review(first)] == [5, 9]
    assert [i["location"]["lines"]["begin"] for i in owner_and_review(moved)] == [6, 10]
    assert [i["fingerprint"] for i in owner_and_review(moved)] == [i["fingerprint"] for i in owner_and_review(first)]
    assert len({i["fingerprint"] for i in moved}) == len(moved)


def test_equal_findings_get_distinct_fingerprints_by_their_order() -> None:
    same = {"code": "invalid-metadata", "severity": "error", "path": "a.md", "id": "POL-1", "message": "m"}
    other = {**same, "message": "n"}
    prints = fingerprints([{**same, "line": 9}, {**other, "line": 1}, {**same, "line": 3}])
    assert len(set(prints)) == 3
    # lines moved, order among the equal ones kept: the same fingerprints
    assert fingerprints([{**same, "line": 19}, {**other, "line": 11}, {**same, "line": 13}]) == prints
    # the first of the equal findings (by line) always has the same fingerprint
    assert fingerprints([{**same, "line": 5}])[0] == prints[2]


# --- commit links ----------------------------------------------------------------------------------


def _history_links(tmp_path: Path, conf: str) -> tuple[str, list[str]]:
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role()}, conf)
    sha = commit(root, "Second", "2026-07-02T09:00:00+00:00", {"roles/owner.md": role(title="Owner of all")})
    html = build(root).page_html("roles/owner")
    return sha, re.findall(r'href="([^"]*[0-9a-f]{40}[^"]*)"', html)


def test_commit_url_template(tmp_path: Path) -> None:
    sha, links = _history_links(
        tmp_path, 'clausewise_commit_url = "https://gitlab.example/group/handbook/-/commit/{sha}"\n'
    )
    assert links[0] == f"https://gitlab.example/group/handbook/-/commit/{sha}"
    assert len(links) == 2  # both commits of the page


def test_repository_url_still_means_commit_path(tmp_path: Path) -> None:
    sha, links = _history_links(tmp_path, 'clausewise_repository_url = "https://github.com/fernhill/handbook/"\n')
    assert links[0] == f"https://github.com/fernhill/handbook/commit/{sha}"


def test_commit_url_wins_over_repository_url(tmp_path: Path) -> None:
    conf = (
        'clausewise_repository_url = "https://github.com/fernhill/handbook"\n'
        'clausewise_commit_url = "https://forge.example/c/{sha}?tab=diff"\n'
    )
    sha, links = _history_links(tmp_path, conf)
    assert links[0] == f"https://forge.example/c/{sha}?tab=diff"


def test_no_link_without_either(tmp_path: Path) -> None:
    assert _history_links(tmp_path, "")[1] == []


def test_sarif_uris_are_uri_references() -> None:
    """A finding on the bundled catalogue has a path that is no URI until quoted."""
    from clausewise.outputs.forges import sarif_report

    finding = {"code": "uncovered-clause", "severity": "warning", "path": "(bundled catalogue) iso20000-1-2018.yaml",
               "line": 0, "id": "ISO-4-1", "message": "m"}  # fmt: skip
    sarif = sarif_report({"today": TODAY, "findings": [finding]}, "0")
    validate_sarif(sarif)  # (jsonschema checks "uri-reference" only with rfc3987)
    [result] = sarif["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "%28bundled%20catalogue%29%20iso20000-1-2018.yaml"}
    }
