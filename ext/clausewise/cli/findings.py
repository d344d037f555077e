"""``clausewise check``, ``due`` and ``compare``: what the handbook's findings and
schedules say, read without a build."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from clausewise.cli.common import (
    Command,
    Subcommands,
    UsageError,
    days_option,
    load_result,
    today_option,
    usable_result,
)
from clausewise.cli.report import format_findings
from clausewise.core.findings import findings_report
from clausewise.outputs import compare
from clausewise.outputs.dashboard import due_items


def check_findings(srcdir: Path, today: date | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The findings.json document a full build would write, and id -> owner's name."""
    result = load_result(srcdir, today)
    cfg = result.config
    report = findings_report(cfg.today.isoformat(), result.reported_findings, cfg.severity)
    owners: dict[str, str] = {}
    for doc in result.handbook.documents:
        owners[doc.id] = doc.owner or ""
        owners.update({rt.id: rt.owner or "" for rt in doc.record_types})
    types = {rt.id: rt.owner or "" for rt in result.handbook.record_types}
    owners.update({r.id: types.get(r.record_type or "", "") for r in result.handbook.records})
    # people know roles by name: "Service desk lead (ROLE-SERVICE-DESK-LEAD)"
    roles = result.handbook.roles()
    named = {
        role: f"{result.titles.get(role, role)} ({role})" if role in roles else f"{role} (not a role of the handbook)"
        for role in set(owners.values())
        if role
    }
    return report, {ident: named.get(role, "") for ident, role in owners.items()}


def due_report(srcdir: Path, today: date | None, role: str | None, within: int) -> str:
    result = usable_result(srcdir, today)
    if role is not None and role not in result.handbook.roles():
        known = ", ".join(sorted(result.handbook.roles()))
        raise UsageError(f"--role {role!r} is not a role of the handbook; roles: {known}")
    items = [
        i
        for i in due_items(result.reviews.values(), result.records.values(), result.config.today, within)
        if role is None or i.owner == role
    ]
    who = f" for {result.titles.get(role, role)} ({role})" if role else ""
    head = f"Due within {within} days of {result.config.today}{who}: {len(items)}"
    lines = [head]
    for i in items:
        state = "dispose" if i.disposal else "OVERDUE" if i.overdue else "due"
        owner = "" if role else f"  [{result.titles.get(i.owner, i.owner) or 'no owner'}]"
        lines.append(f"  {i.due}  {state:<7}  {i.what:<6}  {i.item_id} {i.title}{owner}")
    return "\n".join(lines)


def compare_reports(base: Path, head: Path, style: str, strict: bool) -> int:
    """``clausewise compare``: exit 1 when a new finding fails (an error; with strict, a
    warning too); a report that cannot be read, or two judged on different days, is a
    :class:`~clausewise.outputs.compare.ReportError` (exit 2)."""
    result = compare.compare(compare.read_report(base), compare.read_report(head))
    if style == "markdown":
        print(compare.markdown_summary(result, strict), end="")
    elif style == "json":
        print(json.dumps(compare.comparison_report(result), indent=2, ensure_ascii=False))
    elif result.new:
        print(format_findings({"today": result.today, "findings": list(result.new)}, {}, "github"))
    return 1 if result.failing(strict) else 0


def _declare_check(sub: Subcommands) -> None:
    check = sub.add_parser("check", help="all findings of the handbook, without writing HTML")
    today_option(check)
    check.add_argument(
        "--format",
        choices=["text", "json", "github", "gitlab", "sarif"],
        default="text",
        help="text for people (grouped by owner), json as findings.json, github annotations, "
        "gitlab code quality report, sarif 2.1.0",
    )
    check.add_argument("--strict", action="store_true", help="warnings count as errors for the exit code")


def _run_check(args: argparse.Namespace) -> int:
    report, owners = check_findings(args.handbook, args.today)
    print(format_findings(report, owners, args.format))
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(f["severity"] in failing for f in report["findings"]) else 0


def _declare_due(sub: Subcommands) -> None:
    due = sub.add_parser("due", help="reviews and records overdue or due soon, and records due for disposal, by date")
    due.add_argument("--role", help="only what this role owns, e.g. ROLE-SMS-MANAGER")
    due.add_argument("--within", type=days_option, default=30, help="how far ahead to look, e.g. 30d (default)")
    today_option(due)


def _run_due(args: argparse.Namespace) -> int:
    print(due_report(args.handbook, args.today, args.role, args.within))
    return 0


def _declare_compare(sub: Subcommands) -> None:
    cmp = sub.add_parser("compare", help="findings new in HEAD.json and resolved since BASE.json (check's json)")
    cmp.add_argument("base", type=Path, help="findings of the base, from clausewise check --format json")
    cmp.add_argument("head", type=Path, help="findings of the change, judged on the same day")
    cmp.add_argument(
        "--format",
        choices=["markdown", "github", "json"],
        default="markdown",
        help="markdown job summary, github annotations of the new findings, or json",
    )
    cmp.add_argument("--strict", action="store_true", help="new warnings count as errors for the exit code")


def _run_compare(args: argparse.Namespace) -> int:
    return compare_reports(args.base, args.head, args.format, args.strict)


CHECK = Command("check", _declare_check, _run_check)
DUE = Command("due", _declare_due, _run_due)
COMPARE = Command("compare", _declare_compare, _run_compare, in_handbook=False)
