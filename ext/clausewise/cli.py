"""The ``clausewise`` command.

    clausewise audit-pack [--out FILE] [--today DATE]   one zip for an auditor
    clausewise as-of DATE [--out DIR]                   the handbook as it stood on DATE
    clausewise pdf [--out FILE]                         the handbook as one PDF, to sign or file
    clausewise check [--today DATE] [--format text|json|github] [--strict]
                                                        all findings, without writing HTML
    clausewise due [--role ROLE] [--within 30d]         what is overdue or due soon
    clausewise compare BASE.json HEAD.json [--format markdown|github|json] [--strict]
                                                        new and resolved findings of two reports (no build)

``audit-pack``, ``as-of`` and ``pdf`` build the handbook with Sphinx in a child
process (the same ``python -m sphinx`` a person would run) and print where
their result is; a failed build exits 1. ``check`` and ``due`` read the sources
without Sphinx's parser (:mod:`clausewise.scan`) and compute exactly what a
build computes, in about a second. Errors go to standard error with exit code 2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from . import exports, gitlog
from .findings import findings_report
from .metadata import parse_date

#: Build output that is not evidence: sphinx-needs' validation timing report.
NOT_PACKED = frozenset({"schema_violations.json"})


class UsageError(Exception):
    """Bad arguments or an unusable handbook: said on stderr, exit code 2."""


def sphinx_build(srcdir: Path, outdir: Path, overrides: dict[str, str], env: dict[str, str] | None = None) -> int:
    """Run ``python -m sphinx -b html`` fresh; its output goes to our stdout and stderr."""
    # doctrees go beside, not inside, the output: they are pickles, not part of the handbook
    doctrees = outdir.parent / f".doctrees-{outdir.name}"
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-q", "-d", str(doctrees), str(srcdir), str(outdir)]
    for key, value in overrides.items():
        args += ["-D", f"{key}={value}"]
    return subprocess.run(args, env={**os.environ, **(env or {})}, check=False).returncode


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(root: Path, commit: str, dirty: bool, today: str) -> dict[str, object]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.relative_to(root).as_posix() not in NOT_PACKED)
    return {
        "commit": commit,
        "uncommitted_changes": dirty,
        "today": today,
        "files": [
            {"path": p.relative_to(root).as_posix(), "sha256": sha256(p), "size": p.stat().st_size} for p in files
        ],
    }


def audit_pack(srcdir: Path, out: Path, today: str | None) -> Path:
    """Build the handbook and write one zip: the HTML (exports and findings.json
    inside ``html/clausewise/``) and ``manifest.json`` with every file's SHA-256."""
    commit, dirty = gitlog.head_state(srcdir)
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "html"
        overrides = {"clausewise_today": today} if today else {}
        if sphinx_build(srcdir, html, overrides) != 0:
            raise SystemExit(1)
        findings = json.loads((html / "clausewise" / "findings.json").read_text())
        info = manifest(html, commit, dirty, findings["today"])
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
            for entry in info["files"]:  # type: ignore[attr-defined]
                zipped = zipfile.ZipInfo(f"html/{entry['path']}", exports.ZIP_TIME)
                zipped.compress_type = zipfile.ZIP_DEFLATED
                pack.writestr(zipped, (html / entry["path"]).read_bytes())
            listing = zipfile.ZipInfo("manifest.json", exports.ZIP_TIME)
            pack.writestr(listing, json.dumps(info, indent=2) + "\n")
    return out


def as_of(srcdir: Path, day: date, out: Path) -> tuple[Path, str]:
    """Build the handbook as it stood on ``day``: its last commit by then, checked
    out in a temporary worktree, with today set to ``day`` and a banner on every page."""
    sha = gitlog.commit_on(srcdir, day)
    with gitlog.worktree(srcdir, sha) as tree:
        overrides = {"clausewise_today": day.isoformat(), "clausewise_as_of": day.isoformat()}
        if sphinx_build(tree, out, overrides, env={"CLAUSEWISE_TODAY": day.isoformat()}) != 0:
            raise SystemExit(1)
    return out, sha


def pdf(srcdir: Path, out: Path) -> Path:
    """The handbook's documents as one PDF: Sphinx's single-page HTML (without
    records, which are reached from their grids) rendered by WeasyPrint, a pure-
    Python renderer that needs only Pango from the system, no browser."""
    from weasyprint import HTML

    with tempfile.TemporaryDirectory() as tmp:
        single = Path(tmp) / "single"
        args = [sys.executable, "-m", "sphinx", "-b", "singlehtml", "-q", "-d", str(Path(tmp) / "doctrees"),
                "-D", "html_theme=basic", str(srcdir), str(single)]  # fmt: skip
        if subprocess.run(args, check=False).returncode != 0:
            raise SystemExit(1)
        out.parent.mkdir(parents=True, exist_ok=True)
        HTML(filename=str(single / "index.html")).write_pdf(str(out))
    return out


def load_result(srcdir: Path, today: str | None) -> Any:
    """The handbook's model, findings and schedules (an ``assembly.BuildResult``)
    as a full build computes them, read from the sources without Sphinx's parser."""
    return read_sources(srcdir, today)[0]


def read_sources(srcdir: Path, today: str | None) -> tuple[Any, Any]:
    from . import scan

    try:
        return scan.result(srcdir, today)
    except scan.ScanError as exc:
        raise UsageError(str(exc)) from exc


def check_findings(srcdir: Path, today: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The findings.json document a full build would write, and id -> owner's name."""
    from .assembly import reported

    result, scanned = read_sources(srcdir, today)
    cfg = result.config
    report = findings_report(
        cfg.today.isoformat(), reported(result.findings, cfg, scanned.suppress_warnings), cfg.severity
    )
    owners: dict[str, str] = {}
    for doc in result.handbook.documents:
        owners[doc.id] = doc.owner or ""
        owners.update({rt.id: rt.owner or "" for rt in doc.record_types})
    types = {rt.id: rt.owner or "" for rt in result.handbook.record_types}
    owners.update({r.id: types.get(r.record_type or "", "") for r in result.handbook.records})
    # people know roles by name: "Service desk lead (ROLE-SERVICE-DESK-LEAD)"
    named = {role: f"{result.titles.get(role, role)} ({role})" for role in set(owners.values()) if role}
    return report, {ident: named.get(role, "") for ident, role in owners.items()}


def due_report(srcdir: Path, today: str | None, role: str | None, within: int) -> str:
    from .dashboard import due_items

    result = load_result(srcdir, today)
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
        state = "OVERDUE" if i.overdue else "due"
        owner = "" if role else f"  [{result.titles.get(i.owner, i.owner) or 'no owner'}]"
        lines.append(f"  {i.due}  {state:<7}  {i.what:<6}  {i.item_id} {i.title}{owner}")
    return "\n".join(lines)


def _days(text: str) -> int:
    value = text.strip().lower().removesuffix("d").removesuffix(" days")
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days such as 30d")
    return int(value)


def _escape(text: str, prop: bool = False) -> str:
    """GitHub workflow-command escaping (properties also escape ':' and ',')."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_findings(report: dict[str, Any], owners: dict[str, str], style: str) -> str:
    findings = report["findings"]
    if style == "json":
        return json.dumps(report, indent=2, ensure_ascii=False)
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


def _date(text: str) -> date:
    parsed = parse_date(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD")
    return parsed


def _compare_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def compare_reports(base: Path, head: Path, style: str, strict: bool) -> int:
    """``clausewise compare``: exit 1 when a new finding fails (an error; with strict, a
    warning too), 2 when a report cannot be read or the two were judged on different days."""
    from . import compare

    try:
        result = compare.compare(compare.read_report(base), compare.read_report(head))
    except compare.ReportError as exc:
        print(f"clausewise: {exc}", file=sys.stderr)
        return 2
    if style == "markdown":
        print(compare.markdown_summary(result, strict), end="")
    elif style == "json":
        print(json.dumps(compare.comparison_report(result), indent=2, ensure_ascii=False))
    elif result.new:
        print(format_findings({"today": result.today, "findings": list(result.new)}, {}, "github"))
    return 1 if result.failing(strict) else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="clausewise", description="Tools for a clausewise SMS handbook.")
    p.add_argument("--handbook", type=Path, default=Path("."), help="the handbook's folder (default: here)")
    sub = p.add_subparsers(dest="command", required=True)
    pack = sub.add_parser("audit-pack", help="one zip for an auditor: HTML, exports, findings, manifest")
    pack.add_argument("--out", type=Path, default=Path("_build/audit-pack.zip"), help="the zip to write")
    pack.add_argument("--today", type=_date, help="the day to judge by (default: CLAUSEWISE_TODAY or today)")
    past = sub.add_parser("as-of", help="build the handbook as it stood on a past date")
    past.add_argument("date", type=_date, help="YYYY-MM-DD")
    past.add_argument("--out", type=Path, help="where to write the HTML (default: _build/as-of/DATE)")
    check = sub.add_parser("check", help="all findings of the handbook, without writing HTML")
    check.add_argument("--today", type=_date, help="the day to judge by (default: CLAUSEWISE_TODAY or today)")
    check.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text for people (grouped by owner), json as findings.json, github annotations",
    )
    check.add_argument("--strict", action="store_true", help="warnings count as errors for the exit code")
    due = sub.add_parser("due", help="reviews and records overdue or due soon, by date")
    due.add_argument("--role", help="only what this role owns, e.g. ROLE-SMS-MANAGER")
    due.add_argument("--within", type=_days, default=30, help="how far ahead to look, e.g. 30d (default)")
    due.add_argument("--today", type=_date, help="the day to judge by (default: CLAUSEWISE_TODAY or today)")
    _compare_parser(sub)
    printed = sub.add_parser("pdf", help="the handbook's documents as one PDF")
    printed.add_argument("--out", type=Path, default=Path("_build/pdf/handbook.pdf"), help="the PDF to write")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "compare":
        return compare_reports(args.base, args.head, args.format, args.strict)
    srcdir = args.handbook
    try:
        if not (srcdir / "conf.py").is_file():
            raise UsageError(f"{srcdir.resolve()} has no conf.py: run from the handbook's folder or pass --handbook")
        if args.command == "audit-pack":
            path = audit_pack(srcdir, args.out, args.today.isoformat() if args.today else None)
            print(f"audit pack written: {path}")
        elif args.command == "as-of":
            out = args.out or Path("_build/as-of") / args.date.isoformat()
            if out.exists():
                shutil.rmtree(out)
            path, sha = as_of(srcdir, args.date, out)
            print(f"handbook as of {args.date} (commit {sha[:7]}) written to {path}")
        elif args.command == "check":
            report, owners = check_findings(srcdir, args.today.isoformat() if args.today else None)
            print(format_findings(report, owners, args.format))
            failing = {"error", "warning"} if args.strict else {"error"}
            return 1 if any(f["severity"] in failing for f in report["findings"]) else 0
        elif args.command == "due":
            print(due_report(srcdir, args.today.isoformat() if args.today else None, args.role, args.within))
        elif args.command == "pdf":
            print(f"PDF written: {pdf(srcdir, args.out)}")
    except (UsageError, gitlog.GitUnavailableError) as exc:
        print(f"clausewise: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
