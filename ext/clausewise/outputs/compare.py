"""Findings of a change compared with its base: what is new, what is resolved.

A pull request's check runs ``clausewise check --format json`` twice, on the
base branch and on the change, judged on the same day, and hands both
``findings.json`` reports to :func:`compare`. Only the findings the change adds
should stop it; the ones it inherits belong to their owners, and the ones it
clears deserve a mention. No Sphinx and no git here: two reports in, one
:class:`Comparison` out, rendered as a Markdown job summary or as JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The fields every finding of a findings.json report has, with their types.
FIELDS: Mapping[str, type] = {"code": str, "severity": str, "path": str, "line": int, "id": str, "message": str}
SEVERITIES = ("error", "warning", "info")

Finding = Mapping[str, Any]
Key = tuple[str, str, str, str, str]


class ReportError(ValueError):
    """A findings report that cannot be read or is not a findings.json document."""


def key(finding: Finding) -> Key:
    """What makes a finding the same finding in base and head.

    Not the line: a line added above a finding moves it without changing it,
    and a moved finding is not a new problem. The path, the item's id, the code
    and the message say what is wrong and where (messages name periods, dates,
    commits and values, never line numbers, so they are stable; both reports
    must be judged on the same day, which :func:`compare` enforces, because
    messages such as "overdue ... (22 days)" count days). The severity is part
    of the key: a change that raises a code to ``error`` in ``conf.py`` makes
    its findings new errors, and that should fail the change like any new error.
    A renamed file's findings count as resolved at the old path and new at the new.
    """
    return (finding["code"], finding["severity"], finding["path"], finding["id"], finding["message"])


@dataclass(frozen=True)
class Comparison:
    today: str
    base_total: int
    head_total: int
    new: tuple[Finding, ...]  # head's findings not in base, in head's order, head's lines
    resolved: tuple[Finding, ...]  # base's findings not in head, in base's order, base's lines

    def new_count(self, severity: str) -> int:
        return sum(1 for f in self.new if f["severity"] == severity)

    def failing(self, strict: bool = False) -> tuple[Finding, ...]:
        """The new findings that fail the check: errors, and with ``strict`` also warnings."""
        levels = {"error", "warning"} if strict else {"error"}
        return tuple(f for f in self.new if f["severity"] in levels)


def _unmatched(ours: Sequence[Finding], theirs: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings of ``ours`` left over when each of ``theirs`` takes one with its key.

    Several findings can share a key (one message at two lines of a file): they
    pair up in line order, and the surplus of the side that has more is unmatched.
    """
    available = Counter(key(f) for f in theirs)
    by_line = sorted(range(len(ours)), key=lambda i: ours[i]["line"])
    left = set()
    for i in by_line:
        k = key(ours[i])
        if available[k]:
            available[k] -= 1
        else:
            left.add(i)
    return tuple(f for i, f in enumerate(ours) if i in left)


def compare(base: Mapping[str, Any], head: Mapping[str, Any]) -> Comparison:
    """The findings new in ``head`` and those ``base`` had that ``head`` has not."""
    if base["today"] != head["today"]:
        raise ReportError(
            f"the base report is judged as of {base['today']} and the head report as of {head['today']}; "
            "run both checks with the same --today"
        )
    base_findings, head_findings = list(base["findings"]), list(head["findings"])
    return Comparison(
        today=head["today"],
        base_total=len(base_findings),
        head_total=len(head_findings),
        new=_unmatched(head_findings, base_findings),
        resolved=_unmatched(base_findings, head_findings),
    )


def validate_report(data: Any, name: str) -> dict[str, Any]:
    """``data`` if it is a findings.json document, else :class:`ReportError` naming ``name``."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("today"), str)
        or not isinstance(data.get("findings"), list)
    ):
        raise ReportError(f"{name} is not a findings report: expected an object with 'today' and a list 'findings'")
    for n, finding in enumerate(data["findings"]):
        if not isinstance(finding, dict):
            raise ReportError(f"{name} is not a findings report: findings[{n}] is not an object")
        for field, kind in FIELDS.items():
            value = finding.get(field)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ReportError(f"{name} is not a findings report: findings[{n}] has no {kind.__name__} {field!r}")
        if finding["severity"] not in SEVERITIES:
            raise ReportError(
                f"{name} is not a findings report: findings[{n}] has severity {finding['severity']!r}; "
                f"expected one of {', '.join(SEVERITIES)}"
            )
    return data


def read_report(path: Path) -> dict[str, Any]:
    """The findings report in the file ``path`` (as ``clausewise check --format json`` writes it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ReportError(f"cannot read {path}: {reason}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path} is not valid JSON: {exc}") from exc
    return validate_report(data, str(path))


def cell(text: object) -> str:
    """``text`` as the content of one Markdown table cell: pipes escaped, lines joined with <br>."""
    value = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return "<br>".join(value.splitlines()) if value else ""


def where(finding: Finding) -> str:
    if not finding["path"]:
        return "(handbook)"
    return f"{finding['path']}:{finding['line']}" if finding["line"] else finding["path"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _table(findings: Iterable[Finding]) -> list[str]:
    rows = ["| severity | code | file:line | message |", "|---|---|---|---|"]
    for f in findings:
        rows.append(f"| {cell(f['severity'])} | {cell(f['code'])} | {cell(where(f))} | {cell(f['message'])} |")
    return rows


def markdown_summary(comparison: Comparison, strict: bool = False) -> str:
    """The job summary of a pull request's check: counts, new findings, resolved findings."""
    c = comparison
    counts = ", ".join(_plural(c.new_count(s), s) if s != "info" else f"{c.new_count(s)} info" for s in SEVERITIES)
    lines = [
        "## Handbook findings: this change compared with its base branch",
        "",
        f"Judged as of {c.today}. The base branch has {_plural(c.base_total, 'finding')}, "
        f"this change has {_plural(c.head_total, 'finding')}: "
        f"**{len(c.new)} new** ({counts}), **{len(c.resolved)} resolved**.",
        "",
    ]
    failing = c.failing(strict)
    what = "error or warning" if strict else "error"
    if failing:
        lines.append(
            f"**This check fails:** {_plural(len(failing), 'new finding')} with the severity {what}. "
            f"Fix {'it' if len(failing) == 1 else 'them'} in this change; each row says the file, the line "
            "and what to do."
        )
    elif c.new:
        lines.append(f"This check passes: no new finding has the severity {what}.")
    else:
        lines.append("No new findings: this change adds nothing for an owner to fix.")
    if c.new:
        lines += ["", "### New findings", "", *_table(c.new)]
    if c.resolved:
        lines += ["", "### Resolved findings", "", *_table(c.resolved)]
    return "\n".join(lines) + "\n"


def comparison_report(comparison: Comparison) -> dict[str, Any]:
    """The comparison as a JSON document: the new and resolved findings with counts."""
    c = comparison
    return {
        "today": c.today,
        "base": {"findings": c.base_total},
        "head": {"findings": c.head_total},
        "new": list(c.new),
        "resolved": list(c.resolved),
        "summary": {"new": {s: c.new_count(s) for s in SEVERITIES}, "resolved": len(c.resolved)},
    }
