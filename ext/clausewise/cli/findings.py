"""``clausewise check``, ``due`` and ``compare``: what the handbook's findings and
schedules say, read without a build."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from clausewise.cli.common import (
    Command,
    Horizon,
    Subcommands,
    UsageError,
    described,
    horizon_option,
    load_result,
    today_option,
    usable_result,
)
from clausewise.cli.report import format_findings
from clausewise.core.findings import findings_report
from clausewise.outputs import compare
from clausewise.outputs.dashboard import DueItem, due_items
from clausewise.pipeline.assembly import BuildResult
from clausewise.rules import suppliers


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


def due_report(srcdir: Path, today: date | None, role: str | None, within: Horizon) -> str:
    result = usable_result(srcdir, today)
    role = _role_named(result, role) if role is not None else None
    days = within.days(result.config.today)
    today = result.config.today
    found = due_items(result.reviews.values(), result.records.values(), today, days, result.actions)
    items = sorted(i for i in found + supplier_reviews_due(result, days) if role is None or i.owner == role)
    who = f" for {result.titles.get(role, role)} ({role})" if role else ""
    head = f"Due within {within} of {result.config.today}{who}: {len(items)}"
    lines = [head]
    for i in items:
        state = "dispose" if i.disposal else "OVERDUE" if i.overdue else "due"
        owner = "" if role else f"  [{result.titles.get(i.owner, i.owner) or 'no owner'}]"
        lines.append(f"  {i.due}  {state:<7}  {i.what:<6}  {i.item_id} {i.title}{owner}")
    return "\n".join(lines)


def supplier_reviews_due(result: BuildResult, within_days: int) -> list[DueItem]:
    """The suppliers' performance reviews overdue or due within ``within_days`` (``rules.suppliers``),
    each named by its supplier's id and owned by the supplier's owner."""
    cfg = result.config
    until = cfg.today + timedelta(days=within_days)
    return [
        DueItem(s.next_review_due, "review", s.supplier.id, f"{s.supplier.title}: supplier performance review",
                s.supplier.owner or "", s.review_overdue)
        for s in suppliers.reviews_due(result.supplier_statuses, until)
        if s.next_review_due is not None
    ]  # fmt: skip


def _role_named(result: BuildResult, given: str) -> str:
    """The role ``--role`` names, by its id or its title, either in any case
    (``rolE-sms-manager``, ``sms manager``); a name that fits none, or more than one, is a
    :class:`UsageError` listing the roles."""
    roles = sorted(result.handbook.roles())
    if given in roles:
        return given
    wanted = " ".join(given.split()).casefold()
    matches = [r for r in roles if r.casefold() == wanted] or [
        r for r in roles if " ".join(result.titles.get(r, "").split()).casefold() == wanted
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"--role {given!r} names {len(matches)} roles ({', '.join(matches)}): give the id of one")
    raise UsageError(f"--role {given!r} is not a role of the handbook; roles: {', '.join(roles)}")


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
    check = described(
        sub, "check", "all findings of the handbook, without writing HTML",
        "Read the handbook's sources as a build does and print every finding (grouped by owner as\n"
        "text, or in a format for a forge). Exit code 1 when an error is found (with --strict, also\n"
        "a warning), 0 otherwise.",
        "  clausewise check\n"
        "  clausewise check --strict --format github\n"
        "  clausewise check --format json --today 2026-12-31 > findings.json",
    )  # fmt: skip
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
    due = described(
        sub, "due", "reviews, records and actions overdue or due soon, and records due for disposal, by date",
        "List the reviews (suppliers' performance reviews too), records and open actions that are overdue\n"
        "or fall due within --within of today, and the records due for disposal, earliest first; with\n"
        "--role, only what that role owns (an action by its action_owner).",
        "  clausewise due\n"
        "  clausewise due --within 2w --role ROLE-SMS-MANAGER\n"
        "  clausewise due --within 1m --role 'service desk lead'",
    )  # fmt: skip
    due.add_argument(
        "--role", help="only what this role owns: its id or title in any case, e.g. ROLE-SMS-MANAGER or 'sms manager'"
    )
    due.add_argument(
        "--within", type=horizon_option, default=Horizon(30, "day"),
        help="how far ahead to look: days, weeks or calendar months, e.g. 30d (default), 2w, 1m",
    )  # fmt: skip
    today_option(due)


def _run_due(args: argparse.Namespace) -> int:
    print(due_report(args.handbook, args.today, args.role, args.within))
    return 0


def _declare_compare(sub: Subcommands) -> None:
    cmp = described(
        sub, "compare", "findings new in HEAD.json and resolved since BASE.json (check's json)",
        "Compare two reports written by 'clausewise check --format json' on the same day: the findings\n"
        "a change adds and those it resolves. Exit code 1 when a new finding is an error (with\n"
        "--strict, also a warning).",
        "  clausewise check --format json > head.json\n"
        "  clausewise compare base.json head.json\n"
        "  clausewise compare base.json head.json --format github --strict",
    )  # fmt: skip
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
