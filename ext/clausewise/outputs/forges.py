"""Findings in the report formats other forges read: GitLab's code quality report
and SARIF 2.1.0 (GitHub code scanning, Azure DevOps, many IDEs).

Both are made from a ``findings.json`` report (``clausewise check --format json``),
so they say exactly what it says. A finding's fingerprint is the identity
:func:`clausewise.outputs.compare.key` matches findings by (code, severity, path,
id, message: never the line, so a line added above a finding does not make it a
new one), plus its place among findings with the same key, counted in line order,
so that two equal messages on one page stay two findings.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from clausewise.core.findings import CODES, Code
from clausewise.outputs.compare import Finding, key

#: findings.json severity -> GitLab code quality severity
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
#: findings.json severity -> SARIF result level
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: Where a finding that names no file points (GitLab requires a path).
NO_PATH = "conf.py"


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A stable fingerprint per finding (see the module's docstring), in the given order."""
    order = sorted(range(len(findings)), key=lambda i: (key(findings[i]), findings[i]["line"]))
    seen: Counter[tuple[str, ...]] = Counter()
    out = [""] * len(findings)
    for i in order:
        identity = key(findings[i])
        text = json.dumps([*identity, seen[identity]], ensure_ascii=False)
        seen[identity] += 1
        out[i] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


def gitlab_report(report: dict[str, Any]) -> list[dict[str, Any]]:
    """GitLab's code quality report: one issue per finding (``artifacts: reports: codequality``)."""
    findings = report["findings"]
    return [
        {
            "description": f["message"],
            "check_name": f["code"],
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITY[f["severity"]],
            "location": {"path": f["path"] or NO_PATH, "lines": {"begin": max(f["line"], 1)}},
        }
        for f, fingerprint in zip(findings, fingerprints(findings), strict=True)
    ]


def sarif_report(report: dict[str, Any], version: str) -> dict[str, Any]:
    """One SARIF 2.1.0 run: the ``clausewise`` tool with a rule per finding code, and
    a result per finding (a region only when the finding has a line)."""
    findings = report["findings"]
    rules = [
        {
            "id": code.value,
            "shortDescription": {"text": CODES[code].description},
            "defaultConfiguration": {
                "level": SARIF_LEVEL[CODES[code].severity.value],
                # a code that is off unless the handbook asks for it (its results still name this rule)
                **({} if CODES[code].on_by_default else {"enabled": False}),
            },
        }
        for code in Code
        if CODES[code].severity.value in SARIF_LEVEL  # every default severity is one; "off" is not
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for f, fingerprint in zip(findings, fingerprints(findings), strict=True):
        # a URI reference: "(bundled catalogue) iso20000-1-2018.yaml" is a path but not a URI
        location: dict[str, Any] = {"artifactLocation": {"uri": quote(f["path"] or NO_PATH, safe="/")}}
        if f["line"]:
            location["region"] = {"startLine": f["line"]}
        results.append(
            {
                "ruleId": f["code"],
                "ruleIndex": index[f["code"]],
                "level": SARIF_LEVEL[f["severity"]],
                "message": {"text": f["message"]},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"clausewise/v1": fingerprint},
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "clausewise",
                        "version": version,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
