"""Findings as text for people, as JSON, as GitHub workflow commands, or as
GitLab's code quality report and SARIF (:mod:`clausewise.outputs.forges`)."""

from __future__ import annotations

import json
from typing import Any

from clausewise import __version__
from clausewise.outputs import forges


def _escape(text: str, prop: bool = False) -> str:
    """GitHub workflow-command escaping (properties also escape ':' and ',')."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_findings(report: dict[str, Any], owners: dict[str, str], style: str) -> str:
    findings = report["findings"]
    if style == "json":
        return json.dumps(report, indent=2, ensure_ascii=False)
    if style == "gitlab":
        return json.dumps(forges.gitlab_report(report), indent=2, ensure_ascii=False)
    if style == "sarif":
        return json.dumps(forges.sarif_report(report, __version__), indent=2, ensure_ascii=False)
    if style == "github":
        level = {"error": "error", "warning": "warning", "info": "notice"}
        lines = []
        for f in findings:
            props = [f"file={_escape(f['path'], True)}"] if f["path"] else []
            if f["line"]:
                props.append(f"line={f['line']}")
            props.append(f"title={_escape('clausewise ' + f['code'], True)}")
            lines.append(f"::{level[f['severity']]} {','.join(props)}::{_escape(f['message'])}")
        return "\n".join(lines)
    if not findings:
        return f"No findings (today is {report['today']})."
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(owners.get(f["id"]) or "no owner", []).append(f)
    lines = [f"{len(findings)} findings (today is {report['today']})"]
    for owner in sorted(groups):
        lines += ["", f"{owner}:"]
        for f in groups[owner]:
            where = f"{f['path']}:{f['line']}" if f["line"] else (f["path"] or "(handbook)")
            lines.append(f"  {where}: {f['severity']} [{f['code']}] {f['message']}")
    return "\n".join(lines)
