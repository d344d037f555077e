"""The ``clausewise`` command.

    clausewise audit-pack [--out FILE] [--today DATE]   one zip for an auditor
    clausewise as-of DATE [--out DIR]                   the handbook as it stood on DATE
    clausewise pdf [--out FILE]                         the handbook as one PDF, to sign or file
    clausewise check [--today DATE] [--format text|json|github] [--strict]
                                                        all findings, without writing HTML
    clausewise due [--role ROLE] [--within 30d]         what is overdue or due soon
    clausewise compare BASE.json HEAD.json [--format markdown|github|json] [--strict]
                                                        new and resolved findings of two reports (no build)
    clausewise new policy|document|procedure --title T --owner ROLE [--satisfies N ...]
    clausewise new role --title T [--owner ROLE] [--github @org/team]
    clausewise new record-type --document ID --title T --cadence C [--owner ROLE] [--evidences N ...]
    clausewise new record RT-ID [--period P]            a new file or entry, ready to fill in
    clausewise review ID [--version X.Y] [--today DATE] record a review in the front matter
    clausewise codeowners [--out FILE] [--check]        .github/CODEOWNERS from ownership

audit-pack, as-of and pdf build the handbook with Sphinx in a child process
(the same ``python -m sphinx`` a person would run) and print where their result
is; a failed build exits 1. check, due, new, review and codeowners read the
handbook without Sphinx's parser (:mod:`clausewise.scan`) and compute exactly
what a build computes, in about a second; new and review write only the one
file they name, and print what to do next (the git commands included: they
never commit). Errors go to standard error with exit code 2.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from clausewise.authoring import scaffold as authoring
from clausewise.core.findings import findings_report
from clausewise.core.model import Classification, DocType, Status
from clausewise.outputs import exports
from clausewise.sources import gitlog
from clausewise.sources.metadata import CADENCE_HELP, parse_date

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
    from clausewise.pipeline import scan

    try:
        return scan.result(srcdir, today)
    except scan.ScanError as exc:
        raise UsageError(str(exc)) from exc


def check_findings(srcdir: Path, today: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The findings.json document a full build would write, and id -> owner's name."""
    from clausewise.pipeline.assembly import reported

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
    roles = result.handbook.roles()
    named = {
        role: f"{result.titles.get(role, role)} ({role})" if role in roles else f"{role} (not a role of the handbook)"
        for role in set(owners.values())
        if role
    }
    return report, {ident: named.get(role, "") for ident, role in owners.items()}


def due_report(srcdir: Path, today: str | None, role: str | None, within: int) -> str:
    from clausewise.outputs.dashboard import due_items

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


# --- writing the handbook: new, review, codeowners -------------------------------------


def _shown(srcdir: Path, path: str) -> str:
    """A handbook-relative path as the person typing commands in the current folder sees it."""
    return os.path.relpath(srcdir / path)


def _read(path: Path) -> str:
    # bytes, not read_text(): universal newlines would turn CRLF into LF on the way back
    return path.read_bytes().decode("utf-8")


def _create(srcdir: Path, made: authoring.NewFile) -> str:
    target = srcdir / made.path
    if target.exists():
        raise UsageError(f"{_shown(srcdir, made.path)} already exists; it is not overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(made.text.encode("utf-8"))
    return _shown(srcdir, made.path)


def _git_steps(paths: Sequence[str], message: str) -> list[str]:
    """The two git commands to copy; quoted for the shell only where they need it."""
    quoted = f'"{message}"' if not set(message) & set('"$`\\!') else shlex.quote(message)
    return ["       git add " + " ".join(shlex.quote(p) for p in paths), f"       git commit -m {quoted}"]


def new_document(srcdir: Path, args: argparse.Namespace) -> str:
    result = load_result(srcdir, None)
    kind = DocType(args.kind)
    made = authoring.new_document(
        result.handbook, kind, args.title, owner=args.owner, satisfies=args.satisfies,
        classification=args.classification, github=args.github if kind is DocType.ROLE else (),
    )  # fmt: skip
    shown = _create(srcdir, made)
    owner = made.fields["owner"]
    title = " ".join(args.title.split())
    lines = [
        f"Wrote {shown}: {made.id} {title}, a {kind.value} owned by {owner}, "
        f"status draft, version {authoring.DRAFT_VERSION}.",
        "Next:",
        f"  1. Write it under the headings in {shown} (the front matter between the --- lines holds its metadata).",
    ]
    if kind is DocType.ROLE and "github" not in made.fields:
        lines.append('     Add github: "@org/team" there: CODEOWNERS then asks that team to approve what it owns.')
    lines += [
        "  2. Check the handbook: clausewise check",
        "  3. Commit it on a branch and propose it as a pull request:",
        f"       git switch -c new-{made.id.lower()}",
        *_git_steps([shown], f"New {kind.value} {made.id} {title} (draft)"),
        "  4. When it is approved, set status: approved and effective: (the day it comes into force),",
        f"     and record the approval as its review: clausewise review {made.id} --version 1.0",
    ]
    return "\n".join(lines)


def new_record_type(srcdir: Path, args: argparse.Namespace) -> str:
    result = load_result(srcdir, args.today.isoformat() if args.today else None)
    doc = next((d for d in result.handbook.documents if d.id == args.document), None)
    if doc is None:
        raise UsageError(_unknown_document(result.handbook, args.document, "--document "))
    start = args.start or result.config.today
    path = srcdir / doc.source.path
    edit, rt_id = authoring.add_record_type(
        _read(path), doc, result.handbook, title=args.title, cadence=args.cadence, owner=args.owner,
        evidences=args.evidences, start=start,
    )  # fmt: skip
    path.write_bytes(edit.text.encode("utf-8"))
    shown = _shown(srcdir, doc.source.path)
    due = authoring.first_due(args.cadence, start)
    first = f"its first record is due {due}" if due else "one record per event, dated with the day of the event"
    lines = [
        f"Added {rt_id} ({' '.join(args.title.split())}, {' '.join(args.cadence.lower().split())}, from {start}) "
        f"to {doc.id} in {shown}, line {edit.line}; {first}.",
        "Next:",
        f"  1. Say in {shown} (under 'Records') what the record holds and where the full record is kept.",
    ]
    step = 2
    message = f"{doc.id}: new record type {rt_id}"
    if doc.status is Status.APPROVED:
        lines += [
            f"  2. {doc.id} is approved and this changes what it requires: have its owner review the change and",
            f"     record the review in the same commit: clausewise review {doc.id} --version "
            f"{authoring.next_minor(doc.version)}",
        ]
        step = 3
    lines += [f"  {step}. Commit it and propose it as a pull request:", *_git_steps([shown], message)]
    lines.append(f"  {step + 1}. Add its records as they are produced: clausewise new record {rt_id}")
    return "\n".join(lines)


def new_record(srcdir: Path, args: argparse.Namespace) -> str:
    result = load_result(srcdir, args.today.isoformat() if args.today else None)
    status = result.records.get(args.record_type)
    if status is None:
        known = sorted(result.records)
        close = [c for c in known if args.record_type.upper() in c] or known
        raise UsageError(
            f"{args.record_type!r} is not a record type of the handbook; record types: {', '.join(close)} "
            f"(the Records page lists them all)"
        )
    produced_by = args.produced_by or gitlog.user_name(srcdir)
    if not produced_by:
        raise UsageError("say who produced the record: --produced-by 'Name' (git config user.name is not set)")
    made = authoring.new_record(
        status, result.handbook, period=args.period, today=result.config.today, produced_by=produced_by,
        classification=args.classification, evidence=args.evidence, exists=lambda p: (srcdir / p).exists(),
    )  # fmt: skip
    shown = _create(srcdir, made)
    period = made.fields["period"]
    lines = [f"Wrote {shown}: {made.id} for {period}, produced {result.config.today} by {produced_by}."]
    lines += [f"Note: {note}" for note in made.notes]
    lines += [
        "Next:",
        "  1. Fill it in now: the summary below the front matter and the evidence link. Once committed, a",
        "     record is evidence: a later change needs a 'correction:' line saying what changed and why.",
        "  2. Check the handbook: clausewise check",
        "  3. Commit it and propose it as a pull request:",
        *_git_steps([shown], f"Record {made.id}"),
    ]
    return "\n".join(lines)


def _unknown_document(handbook: Any, ident: str, option: str = "") -> str:
    """Why ``ident`` is not a document's id, and what to give instead."""
    types = {rt.id: rt for rt in handbook.record_types}
    if ident in {r.id for r in handbook.records}:
        what = f"{option}{ident} is a record, not a document"
        if option:
            return what
        return f"{what}: records are evidence and are not reviewed; a wrong one is corrected with a 'correction:' line"
    if ident in types:
        declared = types[ident].declared_in
        return f"{option}{ident} is a record type, declared in {declared}; give a document's id, e.g. {declared}"
    close = difflib.get_close_matches(ident.upper(), sorted(d.id for d in handbook.documents), n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return (
        f"{option}{ident!r} is not the id of a document in the handbook{hint} "
        f"(the Policies, Procedures and Roles pages list every id)"
    )


def review(srcdir: Path, ident: str, version: str | None, today: str | None) -> str:
    result = load_result(srcdir, today)
    doc = next((d for d in result.handbook.documents if d.id == ident), None)
    if doc is None:
        raise UsageError(_unknown_document(result.handbook, ident))
    path = srcdir / doc.source.path
    done = authoring.record_review(_read(path), doc, result.config.today, version)
    shown = _shown(srcdir, doc.source.path)
    if not done.edit.changes:
        return f"{doc.id} already records a review on {result.config.today} at version {doc.version}: nothing changed."
    path.write_bytes(done.edit.text.encode("utf-8"))
    lines = [f"{shown}: {'; '.join(done.edit.changes)}"]
    lines += [f"Note: {note}" for note in done.notes]
    lines += [
        f'Next: commit it and propose it as a pull request titled "{done.message}":',
        *_git_steps([shown], done.message),
        "  A commit that changes only reviewed: and version: records a review, not new content. To name the",
        "  approver in the revision history, end the commit or merge message with a line such as",
        "  'Approved-by: Name <name@example.org>'.",
    ]
    return "\n".join(lines)


def codeowners(srcdir: Path, out: Path | None, check: bool, force: bool) -> int:
    result = load_result(srcdir, None)
    top = gitlog.repository_top(srcdir) or srcdir.resolve()
    inside = srcdir.resolve().relative_to(top).as_posix() if srcdir.resolve().is_relative_to(top) else "."
    prefix = "" if inside == "." else inside + "/"
    target = out or top / ".github" / "CODEOWNERS"
    shown = os.path.relpath(target)
    existing = _read(target) if target.is_file() else None
    if not check and existing is not None and not authoring.generated_by_clausewise(existing) and not force:
        raise UsageError(
            f"{shown} was not written by clausewise codeowners; move its rules into the handbook "
            f"(owners and github: keys) or write elsewhere with --out, or replace it with --force"
        )
    made = authoring.codeowners(result.handbook, result.records, prefix)
    for warning in made.warnings:
        print(f"clausewise: warning: {warning}", file=sys.stderr)
    if check:
        if existing == made.text:
            print(f"{shown} is up to date.")
            return 0
        state = "is missing" if existing is None else "is out of date"
        print(f"clausewise: {shown} {state}: run 'clausewise codeowners' and commit it", file=sys.stderr)
        if existing is not None:  # what would change, for the CI log
            diff = difflib.unified_diff(
                existing.splitlines(keepends=True), made.text.splitlines(keepends=True), shown, "expected"
            )
            sys.stderr.writelines(diff)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(made.text.encode("utf-8"))
    rules = sum(1 for line in made.text.splitlines() if line.startswith("/"))
    print(f"{shown} written: {rules} rules. Commit it; 'clausewise codeowners --check' tells CI when it is stale.")
    return 0


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
    from clausewise.outputs import compare

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


def _today_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--today", type=_date, help="the day to judge by (default: CLAUSEWISE_TODAY or today)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="clausewise", description="Tools for a clausewise SMS handbook.")
    p.add_argument("--handbook", type=Path, default=Path("."), help="the handbook's folder (default: here)")
    sub = p.add_subparsers(dest="command", required=True)
    pack = sub.add_parser("audit-pack", help="one zip for an auditor: HTML, exports, findings, manifest")
    pack.add_argument("--out", type=Path, default=Path("_build/audit-pack.zip"), help="the zip to write")
    _today_option(pack)
    past = sub.add_parser("as-of", help="build the handbook as it stood on a past date")
    past.add_argument("date", type=_date, help="YYYY-MM-DD")
    past.add_argument("--out", type=Path, help="where to write the HTML (default: _build/as-of/DATE)")
    check = sub.add_parser("check", help="all findings of the handbook, without writing HTML")
    _today_option(check)
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
    _today_option(due)
    _compare_parser(sub)
    printed = sub.add_parser("pdf", help="the handbook's documents as one PDF")
    printed.add_argument("--out", type=Path, default=Path("_build/pdf/handbook.pdf"), help="the PDF to write")
    _new_parsers(sub)
    _review_parser(sub)
    _codeowners_parser(sub)
    _handbook_option_everywhere(sub, skip={"compare"})
    return p


def _handbook_option_everywhere(sub: Any, skip: set[str]) -> None:
    """``--handbook`` also after the command (``clausewise check --handbook hb``),
    so that a pre-commit hook's ``args`` can point at a handbook in a subfolder."""
    for name, command in sub.choices.items():
        if name in skip:
            continue
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            _handbook_option_everywhere(nested[0], skip)
            continue
        command.add_argument(
            "--handbook", type=Path, default=argparse.SUPPRESS, help="the handbook's folder (default: here)"
        )


def _described(sub: Any, name: str, help: str, description: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand whose --help shows a description and examples as written."""
    return sub.add_parser(
        name, help=help, description=description, epilog="examples:\n" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip


#: kind -> (id prefix, what one is called, and several, usual folder, example options) for `new --help`
_DOCUMENT_KINDS = {
    "policy": ("POL", "policy", "policies", "policies/",
               "--title 'Acceptable use policy' --owner ROLE-SECURITY-OFFICER --satisfies 8.7.3"),
    "document": ("DOC", "governing document", "governing documents", "policies/",
                 "--title 'Service catalogue' --owner ROLE-SERVICE-OWNER --satisfies 8.2.4"),
    "procedure": ("PRC", "procedure", "procedures", "procedures/",
                  "--title 'Capacity management' --owner ROLE-OPERATIONS-LEAD --satisfies 8.4.3"),
}  # fmt: skip


def _new_parsers(sub: Any) -> None:
    new = _described(
        sub, "new", "start a new document, role, record type or record",
        "Write a new file (or, for a record type, a new entry in a document's front matter) with\n"
        "its metadata filled in and the next free id, ready to write and commit. Nothing is\n"
        "overwritten and nothing is committed; the command prints what to do next.",
        "  clausewise new procedure --title 'Capacity management' --owner ROLE-OPERATIONS-LEAD\n"
        "  clausewise new role --title 'Capacity manager' --github @fernhill/capacity\n"
        "  clausewise new record-type --document PRC-008 --title 'Capacity report' --cadence monthly\n"
        "  clausewise new record RT-SERVICE-REPORT",
    )  # fmt: skip
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    classes = [c.value for c in Classification]
    for kind, (prefix, one, what, folder, example) in _DOCUMENT_KINDS.items():
        doc = _described(
            kinds, kind, f"a new {one}: a draft with the next {prefix}-nnn id",
            f"Write a new {one} as a draft (status: draft, version \"0.1\", no effective or reviewed date:\n"
            f"it is not approved yet, and a draft counts for nothing in the traceability matrix)\n"
            f"with the next free id ({prefix}-nnn: the highest in use plus one) and a skeleton of\n"
            f"headings. The file goes where the handbook's {what} are (usually {folder}),\n"
            f"named after the title.",
            f"  clausewise new {kind} {example}",
        )  # fmt: skip
        doc.add_argument("--title", required=True, help="the title people see; the file name is made from it")
        doc.add_argument("--owner", required=True, help="the id of the role that owns it, e.g. ROLE-SMS-MANAGER")
        doc.add_argument("--satisfies", nargs="+", default=[], metavar="CLAUSE",
                         help="clause numbers it addresses, e.g. --satisfies 8.4 8.4.3")  # fmt: skip
        doc.add_argument("--classification", choices=classes, default="internal", help="default: internal")
    role = _described(
        kinds, "role", "a new role page: ROLE-<NAME> from its title",
        "Write a new role page as a draft (version \"0.1\") under the folder of the other roles\n"
        "(usually docs/roles/), with the id ROLE-<TITLE IN CAPITALS> and the headings of a role\n"
        "description. Its page is owned by whoever owns most role pages already (in the sample:\n"
        "top management), unless --owner says otherwise; the first role of a handbook owns itself.",
        "  clausewise new role --title 'Capacity manager' --github @fernhill/capacity",
    )  # fmt: skip
    role.add_argument("--title", required=True, help="the role's name: 'Capacity manager' -> ROLE-CAPACITY-MANAGER")
    role.add_argument("--owner", help="the role that owns this role's page (default: as most role pages)")
    role.add_argument("--satisfies", nargs="+", default=[], metavar="CLAUSE", help="clause numbers, e.g. 5.3")
    role.add_argument("--github", nargs="+", default=[], metavar="HANDLE",
                      help="the role's GitHub users or teams for CODEOWNERS, e.g. @fernhill/capacity")  # fmt: skip
    role.add_argument("--classification", choices=classes, default="internal", help="default: internal")
    rt = _described(
        kinds, "record-type", "a new record type in a document's front matter",
        "Add a record type to the record_types: list in a document's front matter (the list is\n"
        "created if there is none). Only the new lines are added: the rest of the file stays byte\n"
        "for byte. Its id is RT-<TITLE IN CAPITALS>. Its schedule starts on --start (default: today),\n"
        "so it is not reported missing for the time before it existed.",
        "  clausewise new record-type --document PRC-008 --title 'Capacity report' --cadence monthly \\\n"
        "      --evidences 8.4.3",
    )  # fmt: skip
    rt.add_argument("--document", required=True, help="the id of the document that requires it, e.g. PRC-008")
    rt.add_argument("--title", required=True, help="the record type's title (-> RT-<TITLE>)")
    rt.add_argument("--cadence", required=True, help=f"how often a record is due: {CADENCE_HELP}")
    rt.add_argument("--owner", help="the role that produces it (default: the document's owner)")
    rt.add_argument("--evidences", nargs="+", default=[], metavar="CLAUSE",
                    help="clause numbers its records evidence, e.g. 8.4.3")  # fmt: skip
    rt.add_argument("--start", type=_date, help="the day its schedule starts (default: today)")
    _today_option(rt)
    rec = _described(
        kinds, "record", "a new record of a record type, for its next missing period",
        "Write a new record of the record type, in the folder of its records, named and identified\n"
        "after the period it covers (records/service-report/2026-10.md, REC-SERVICE-REPORT-2026-10).\n"
        "Without --period: the earliest period that has ended without a record (missing, or due\n"
        "within its grace), else the current period. A per-event record type needs --period (the\n"
        "day of the event). produced: is today and produced_by: your git user.name, unless given.\n"
        "Fill it in before you commit: a committed record is evidence.",
        "  clausewise new record RT-SERVICE-REPORT\n"
        "  clausewise new record RT-MAJOR-INCIDENT-REVIEW --period 2026-11-20 --evidence https://dms.example/mi-7",
    )  # fmt: skip
    rec.add_argument("record_type", metavar="RECORD_TYPE", help="the record type's id, e.g. RT-SERVICE-REPORT")
    rec.add_argument("--period", help="the period it covers: 2026-10, 2026-Q4, 2026-H2, 2026, or an event's date")
    rec.add_argument("--produced-by", help="who produced it (default: git config user.name)")
    rec.add_argument("--classification", choices=classes,
                     help="default: as the type's last record, else as the declaring document")  # fmt: skip
    rec.add_argument("--evidence", help="a link to the full record (document system, ticket tool)")
    _today_option(rec)


def _review_parser(sub: Any) -> None:
    rev = _described(
        sub, "review", "record a review: set reviewed: (and version:) in a document",
        "Set reviewed: to today (and version: to --version) in the document's front matter. Only\n"
        "those lines change; every other byte of the file stays (line endings, quotes, comments).\n"
        "A missing key is added where it usually is. A commit that changes only these lines is a\n"
        "recorded review, not a change of content. The command prints the commit to make.",
        "  clausewise review PRC-012\n  clausewise review POL-004 --version 1.4",
    )  # fmt: skip
    rev.add_argument("id", metavar="ID", help="the document's id, e.g. PRC-012")
    rev.add_argument("--version", help="the new version, e.g. 3.2 (default: unchanged)")
    rev.add_argument("--today", type=_date, help="the review's date (default: CLAUSEWISE_TODAY or today)")


def _codeowners_parser(sub: Any) -> None:
    owners = _described(
        sub, "codeowners", "write .github/CODEOWNERS from document ownership",
        "Write GitHub's CODEOWNERS file from the handbook: each document's path is owned by the\n"
        "github: users or teams on its owner role's page, each records folder by those of its record\n"
        "type's owner. Roles without github: are listed in the file's header and warned about. A\n"
        "CODEOWNERS not written by this command is not overwritten without --force.",
        "  clausewise codeowners\n  clausewise codeowners --check      # in CI: exit 1 when the file is stale",
    )  # fmt: skip
    owners.add_argument("--out", type=Path, help="the file to write (default: .github/CODEOWNERS in the repository)")
    owners.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the file differs from what would be written")  # fmt: skip
    owners.add_argument("--force", action="store_true", help="replace a CODEOWNERS file written by hand")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except BrokenPipeError:
        # the reader stopped early (`clausewise check | head`): no traceback for that;
        # point stdout at nothing so that Python's own flush at exit is quiet too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def run(argv: Sequence[str] | None = None) -> int:
    """The command line: parse ``argv`` and run one command; the exit code."""
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
        elif args.command == "new":
            writer = {"record-type": new_record_type, "record": new_record}.get(args.kind, new_document)
            print(writer(srcdir, args))
        elif args.command == "review":
            print(review(srcdir, args.id, args.version, args.today.isoformat() if args.today else None))
        elif args.command == "codeowners":
            return codeowners(srcdir, args.out, args.check, args.force)
    except (UsageError, authoring.AuthoringError, gitlog.GitUnavailableError) as exc:
        print(f"clausewise: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
