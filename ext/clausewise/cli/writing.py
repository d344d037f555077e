"""``clausewise new``, ``review`` and ``codeowners``: what an owner writes, each
into the one file it names, with the git commands to run next (never run)."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from clausewise.authoring import codeowners as owners_file
from clausewise.authoring import records, scaffold
from clausewise.authoring import review as reviews
from clausewise.cli.common import (
    Command,
    Subcommands,
    UsageError,
    date_option,
    described,
    git_steps,
    load_result,
    read_text,
    shown_path,
    today_option,
    today_option_value,
    usable_result,
    write_back,
)
from clausewise.core.ids import DEFAULT_ID_PATTERNS, IdKind
from clausewise.core.model import DocType, Status
from clausewise.sources import gitlog
from clausewise.sources.metadata import CADENCE_HELP


def _create(srcdir: Path, made: scaffold.NewFile) -> str:
    target = srcdir / made.path
    if target.exists():
        raise UsageError(f"{shown_path(srcdir, made.path)} already exists; it is not overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(made.text.encode("utf-8"))
    return shown_path(srcdir, made.path)


def new_document(srcdir: Path, args: argparse.Namespace) -> str:
    result = load_result(srcdir, None)
    kind = DocType(args.kind)
    made = scaffold.new_document(
        result.handbook, kind, args.title, ids=result.config.id_patterns, ident=args.id, owner=args.owner,
        satisfies=args.satisfies,
        classification=args.classification, levels=result.config.classification_levels,
        github=args.github if kind is DocType.ROLE else (),
        governed_paths=result.config.governed_paths, records_path=result.config.records_path, file=args.file,
        issuer=getattr(args, "issuer", None), edition=getattr(args, "edition", None),
        location=getattr(args, "location", None),
    )  # fmt: skip
    shown = _create(srcdir, made)
    owner = made.fields["owner"]
    title = " ".join(args.title.split())
    what = (
        f"a document of external origin owned by {owner}, status draft, edition {made.fields['edition']}"
        if kind is DocType.EXTERNAL
        else f"a {kind.value} owned by {owner}, status draft, version {scaffold.DRAFT_VERSION}"
    )
    lines = [
        f"Wrote {shown}: {made.id} {title}, {what}.",
        "Next:",
        f"  1. Write it under the headings in {shown} (the front matter between the --- lines holds its metadata).",
    ]
    if kind is DocType.ROLE and "github" not in made.fields:
        lines.append('     Add github: "@org/team" there: CODEOWNERS then asks that team to approve what it owns.')
    update, owners_path = _codeowners_update(srcdir)
    lines += [
        "  2. Check the handbook: clausewise check",
        "  3. Commit it on a branch and propose it as a pull request:",
        *update,
        f"       git switch -c new-{made.id.lower()}",
        *git_steps([shown, *owners_path], f"New {kind.value} {made.id} {title} (draft)"),
    ]
    if kind is DocType.EXTERNAL:
        lines += [
            "  4. When it is adopted, set status: approved and effective: (the day this edition applies from),",
            f"     record the check as its review: clausewise review {made.id}; and name it under uses: of the",
            "     procedures that rely on it",
        ]
    else:
        lines += [
            "  4. When it is approved, set status: approved and effective: (the day it comes into force),",
            f"     and record the approval as its review: clausewise review {made.id} --version 1.0",
        ]
    return "\n".join(lines)


def new_record_type(srcdir: Path, args: argparse.Namespace) -> str:
    result = load_result(srcdir, args.today)
    doc = next((d for d in result.handbook.documents if d.id == args.document), None)
    if doc is None:
        raise UsageError(_unknown_document(result.handbook, args.document, "--document "))
    start = args.start or result.config.today
    path = srcdir / doc.source.path
    edit, rt_id = records.add_record_type(
        read_text(path), doc, result.handbook, title=args.title, cadence=args.cadence, owner=args.owner,
        evidences=args.evidences, start=start, ids=result.config.id_patterns, ident=args.id,
    )  # fmt: skip
    write_back(path, edit.text)
    shown = shown_path(srcdir, doc.source.path)
    due = records.first_due(args.cadence, start)
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
            f"{reviews.next_minor(doc.version)}",
        ]
        step = 3
    update, owners_path = _codeowners_update(srcdir)
    lines += [
        f"  {step}. Commit it and propose it as a pull request:",
        *update,
        *git_steps([shown, *owners_path], message),
    ]
    lines.append(f"  {step + 1}. Add its records as they are produced: clausewise new record {rt_id}")
    return "\n".join(lines)


def new_record(srcdir: Path, args: argparse.Namespace) -> str:
    result = load_result(srcdir, args.today)
    status = result.records.get(args.record_type)
    if status is None:
        known = sorted(result.records)
        close = [c for c in known if args.record_type.upper() in c] or known
        raise UsageError(
            f"{args.record_type!r} is not a record type of the handbook; record types: {', '.join(close)} "
            f"(record types are declared under record_types: in a document's front matter)"
        )
    produced_by = args.produced_by or gitlog.user_name(srcdir)
    if not produced_by:
        raise UsageError("say who produced the record: --produced-by 'Name' (git config user.name is not set)")
    made = records.new_record(
        status, result.handbook, period=args.period, today=result.config.today, produced_by=produced_by,
        classification=args.classification, evidence=args.evidence, exists=lambda p: (srcdir / p).exists(),
        ids=result.config.id_patterns, ident=args.id, levels=result.config.classification_levels,
    )  # fmt: skip
    shown = _create(srcdir, made)
    period = made.fields["period"]
    update, owners_path = _codeowners_update(srcdir)
    lines = [f"Wrote {shown}: {made.id} for {period}, produced {result.config.today} by {produced_by}."]
    lines += [f"Note: {note}" for note in made.notes]
    lines += [
        "Next:",
        "  1. Fill it in: replace the placeholder text below the front matter with what the record shows,",
        "     and add the evidence link.",
        "  2. Approve it: set 'status: current'. Until then it is a draft, not evidence: its period stays",
        "     missing and clausewise check reports record-unfilled. Once approved, a record is evidence: a",
        "     later change needs a 'correction:' line saying what changed and why.",
        "  3. Check the handbook: clausewise check",
        "  4. Commit it and propose it as a pull request:",
        *update,
        *git_steps([shown, *owners_path], f"Record {made.id}"),
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
        f"(a document's id is the id: line of its front matter)"
    )


def review(srcdir: Path, ident: str, version: str | None, today: date | None) -> str:
    result = load_result(srcdir, today)
    doc = next((d for d in result.handbook.documents if d.id == ident), None)
    if doc is None:
        raise UsageError(_unknown_document(result.handbook, ident))
    path = srcdir / doc.source.path
    done = reviews.record_review(read_text(path), doc, result.config.today, version)
    shown = shown_path(srcdir, doc.source.path)
    if not done.edit.changes:
        at = f"edition {doc.edition}" if doc.type is DocType.EXTERNAL else f"version {doc.version}"
        return f"{doc.id} already records a review on {result.config.today} at {at}: nothing changed."
    write_back(path, done.edit.text)
    lines = [f"{shown}: {'; '.join(done.edit.changes)}"]
    lines += [f"Note: {note}" for note in done.notes]
    lines += [
        f'Next: commit it and propose it as a pull request titled "{done.message}":',
        *git_steps([shown], done.message),
        "  A commit that changes only reviewed: and version: records a review, not new content. To name the",
        "  approver in the revision history, end the commit or merge message with a line such as",
        "  'Approved-by: Name <name@example.org>'.",
    ]
    return "\n".join(lines)


def _codeowners_place(srcdir: Path) -> tuple[Path, str]:
    """Where ``clausewise codeowners`` writes by default (``.github/CODEOWNERS`` at the top of
    the repository), and the handbook's folder inside the repository as a path prefix."""
    top = gitlog.repository_top(srcdir) or srcdir.resolve()
    inside = srcdir.resolve().relative_to(top).as_posix() if srcdir.resolve().is_relative_to(top) else "."
    return top / ".github" / "CODEOWNERS", "" if inside == "." else inside + "/"


def _codeowners_update(srcdir: Path) -> tuple[list[str], list[str]]:
    """The lines and the path to add to a ``new`` command's commit step when what it wrote
    leaves CODEOWNERS stale: a handbook whose CODEOWNERS clausewise writes has
    ``clausewise codeowners --check`` in its pull-request check, which fails until the file
    is brought up to date and committed with the change. Nothing when the repository has no
    such file (or one written by hand, which clausewise does not touch)."""
    target, prefix = _codeowners_place(srcdir)
    if not target.is_file():
        return [], []
    existing = read_text(target)
    if not owners_file.generated_by_clausewise(existing):
        return [], []
    result = load_result(srcdir, None)
    if owners_file.codeowners(result.handbook, result.records, prefix).text == existing:
        return [], []
    shown = os.path.relpath(target)
    return [
        f"     It changes who approves what: first update {shown}, which the pull-request check",
        "     (clausewise codeowners --check) compares: clausewise codeowners",
    ], [shown]


def codeowners(srcdir: Path, out: Path | None, check: bool, force: bool) -> int:
    """Write (or with ``check`` compare) CODEOWNERS; refuse (exit 2, nothing written)
    for an unusable handbook and for a file that would leave owned documents without
    a rule (:meth:`~clausewise.authoring.codeowners.CodeOwners.refusal`)."""
    result = usable_result(srcdir, None)
    default_target, prefix = _codeowners_place(srcdir)
    target = out or default_target
    shown = os.path.relpath(target)
    existing = read_text(target) if target.is_file() else None
    if not check and existing is not None and not owners_file.generated_by_clausewise(existing) and not force:
        raise UsageError(
            f"{shown} was not written by clausewise codeowners; move its rules into the handbook "
            f"(owners and github: keys) or write elsewhere with --out, or replace it with --force"
        )
    made = owners_file.codeowners(result.handbook, result.records, prefix)
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
    refusal = made.refusal()
    if refusal is not None:
        raise UsageError(f"{shown} not written: {refusal}")
    if target.is_dir():
        raise UsageError(f"--out {shown} is a folder; name the file to write, e.g. --out {shown}/CODEOWNERS")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(made.text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"{shown} cannot be written: {exc.strerror}; name a file you may write with --out") from None
    print(f"{shown} written: {made.rules} rules. Commit it; 'clausewise codeowners --check' tells CI when it is stale.")
    return 0


#: kind -> (what one is called, and several, usual folder, example options) for `new --help`
_DOCUMENT_KINDS = {
    "policy": ("policy", "policies", "policies/",
               "--title 'Acceptable use policy' --owner ROLE-SECURITY-OFFICER --satisfies 8.7.3"),
    "document": ("governing document", "governing documents", "policies/",
                 "--title 'Service catalogue' --owner ROLE-SERVICE-OWNER --satisfies 8.2.4"),
    "procedure": ("procedure", "procedures", "procedures/",
                  "--title 'Capacity management' --owner ROLE-OPERATIONS-LEAD --satisfies 8.4.3"),
    "external": ("document of external origin", "documents of external origin", "external/",
                 "--title 'Pennine Fibre service level agreement' --owner ROLE-SUPPLIER-MANAGER\n"
                 "      --issuer 'Pennine Fibre Ltd' --edition 4.2 --location Contracts/PennineFibre/SLA-4.2.pdf"),
}  # fmt: skip
#: the rule of ids made from a title, for `new role` and `new record-type`
_TITLED_ID_RULE = (
    "The id is a prefix and the title in capitals with dashes. The prefix is the fixed text the\n"
    "kind's pattern in clausewise_id_patterns starts with ({default}- by default; R- for\n"
    "R-[A-Z][A-Z0-9-]*); for a pattern that starts with no fixed text, what the handbook's ids\n"
    "of the kind share up to a dash (of a single id: up to its first dash). --id ID sets the id\n"
    "instead; it must match the pattern and be unused."
)
_FILE_HELP = (
    "the file to write, relative to the handbook (default: the title as a file name, e.g. "
    "'Größenänderung' -> groessenaenderung.md, in the folder where that kind lives)"
)
_ID_HELP = "the new id, instead of the next one (it must match the kind's pattern and be unused)"


def _new_parsers(sub: Subcommands) -> None:
    new = described(
        sub, "new", "start a new document, role, record type or record",
        "Write a new file (or, for a record type, a new entry in a document's front matter) with\n"
        "its metadata filled in and the next free id, ready to write and commit. Nothing is\n"
        "overwritten and nothing is committed; the command prints what to do next, with\n"
        "'clausewise codeowners' among the steps when the repository's CODEOWNERS is written by\n"
        "clausewise and the new file changes it (the pull-request check compares it).",
        "  clausewise new procedure --title 'Capacity management' --owner ROLE-OPERATIONS-LEAD\n"
        "  clausewise new role --title 'Capacity manager' --github @example-org/capacity\n"
        "  clausewise new record-type --document PRC-008 --title 'Capacity report' --cadence monthly\n"
        "  clausewise new record RT-SERVICE-REPORT",
    )  # fmt: skip
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    # the levels are the handbook's (clausewise_audiences), known once its conf.py is read
    classes = "a classification level of the handbook (clausewise_audiences)"
    for kind, (one, what, folder, example) in _DOCUMENT_KINDS.items():
        first = DEFAULT_ID_PATTERNS[IdKind(kind)].example
        drafted = "the edition you give" if kind == "external" else 'version "0.1"'
        doc = described(
            kinds, kind, f"a new {one}: a draft with the next free id",
            f"Write a new {one} as a draft (status: draft, {drafted}, no effective or reviewed date:\n"
            f"it is not approved yet, and a draft counts for nothing in the traceability matrix)\n"
            f"with the next free id and a skeleton of headings. The file goes where the handbook's\n"
            f"{what} are (usually {folder}), named after the title.\n"
            f"The next id: of the handbook's {one} ids that end in a number, those with the most common\n"
            f"prefix; their highest number plus one, as wide as their widest (XY-POL-01, XY-POL-07 ->\n"
            f"XY-POL-08). With none yet: number 1 with the prefix and width of the pattern's example\n"
            f"({first} by default). --id ID sets the id instead; it must match the kind's pattern in\n"
            f"clausewise_id_patterns and be unused.",
            f"  clausewise new {kind} {example}",
        )  # fmt: skip
        doc.add_argument("--title", required=True, help="the title people see; the file name is made from it")
        doc.add_argument(
            "--owner",
            required=True,
            help="the id of the role that owns it (it reviews the document), e.g. ROLE-SMS-MANAGER",
        )
        if kind == "external":
            doc.add_argument(
                "--issuer", required=True, help="who issued it: a supplier, a legislator, a standards body"
            )
            doc.add_argument("--edition", required=True, help="the edition or version that applies, e.g. 2018 or 4.2")
            doc.add_argument("--location", required=True, help="where the document itself is kept: a path or https://")
            doc.set_defaults(satisfies=[])
        else:
            doc.add_argument("--satisfies", nargs="+", default=[], metavar="CLAUSE",
                             help="clause numbers it addresses, e.g. --satisfies 8.4 8.4.3")  # fmt: skip
        doc.add_argument("--classification", metavar="LEVEL", help=f"{classes}; default: internal")
        doc.add_argument("--id", help=_ID_HELP)
        doc.add_argument("--file", help=_FILE_HELP)
    role = described(
        kinds, "role", "a new role page, its id made from its title",
        "Write a new role page as a draft (version \"0.1\") under the folder of the other roles\n"
        "(usually docs/roles/), with an id made from its title (ROLE-<TITLE IN CAPITALS> by default)\n"
        "and the headings of a role description. Its page is owned by whoever owns most role pages\n"
        "already (often top management), unless --owner says otherwise; the first role of a\n"
        "handbook owns itself.\n" + _TITLED_ID_RULE.format(default="ROLE"),
        "  clausewise new role --title 'Capacity manager' --github @example-org/capacity",
    )  # fmt: skip
    role.add_argument("--title", required=True, help="the role's name: 'Capacity manager' -> ROLE-CAPACITY-MANAGER")
    role.add_argument("--owner", help="the role that owns this role's page (default: as most role pages)")
    role.add_argument("--satisfies", nargs="+", default=[], metavar="CLAUSE", help="clause numbers, e.g. 5.3")
    role.add_argument("--github", nargs="+", default=[], metavar="HANDLE",
                      help="the role's GitHub users or teams for CODEOWNERS, e.g. @example-org/capacity")  # fmt: skip
    role.add_argument("--classification", metavar="LEVEL", help=f"{classes}; default: internal")
    role.add_argument("--id", help=_ID_HELP)
    role.add_argument("--file", help=_FILE_HELP)
    rt = described(
        kinds, "record-type", "a new record type in a document's front matter",
        "Add a record type to the record_types: list in a document's front matter (the list is\n"
        "created if there is none). Only the new lines are added: the rest of the file stays byte\n"
        "for byte. Its id is made from its title (RT-<TITLE IN CAPITALS> by default). Its schedule\n"
        "starts on --start (default: today), so it is not reported missing for the time before it\n"
        "existed.\n" + _TITLED_ID_RULE.format(default="RT"),
        "  clausewise new record-type --document PRC-008 --title 'Capacity report' --cadence monthly \\\n"
        "      --evidences 8.4.3",
    )  # fmt: skip
    rt.add_argument("--document", required=True, help="the id of the document that requires it, e.g. PRC-008")
    rt.add_argument("--title", required=True, help="the record type's title (-> its id, e.g. RT-<TITLE>)")
    rt.add_argument("--cadence", required=True, help=f"how often a record is due: {CADENCE_HELP}")
    rt.add_argument("--owner", help="the role that produces it (default: the document's owner)")
    rt.add_argument("--evidences", nargs="+", default=[], metavar="CLAUSE",
                    help="clause numbers its records evidence, e.g. 8.4.3")  # fmt: skip
    rt.add_argument("--start", type=date_option, help="the day its schedule starts (default: today)")
    rt.add_argument("--id", help=_ID_HELP)
    today_option(rt)
    rec = described(
        kinds, "record", "a new record of a record type, for its next missing period",
        "Write a new record of the record type, in the folder of its records, named and identified\n"
        "after the period it covers (records/service-report/2026-10.md, REC-SERVICE-REPORT-2026-10).\n"
        "Without --period: the earliest period that has ended without a record (missing, or due\n"
        "within its grace), else the current period (it says so: a record produced before its\n"
        "period ends is record-premature unless the type says 'early: allowed'); a period that\n"
        "already has a draft is skipped. A per-event record type needs --period (the day of the\n"
        "event). produced: is today and produced_by: your git user.name, unless given.\n"
        "The record is written as a draft (status: draft) with placeholder text: it is not\n"
        "evidence, and its period stays missing, until you fill it in and set 'status: current'.\n"
        "The id is a prefix, the record type's name and the period. The name is the type's id\n"
        "without the fixed text the record_type pattern in clausewise_id_patterns starts with\n"
        "(RT- by default); the prefix is that of most of the handbook's records (the text before\n"
        "their type's name), else the fixed text the record pattern starts with (REC- by\n"
        "default). --id ID sets the id instead; it must match the pattern and be unused. A type\n"
        "without records gets the folder <clausewise_records_path>/<name in lower case>.",
        "  clausewise new record RT-SERVICE-REPORT\n"
        "  clausewise new record RT-MAJOR-INCIDENT-REVIEW --period 2026-11-20 --evidence https://dms.example/mi-7",
    )  # fmt: skip
    rec.add_argument("record_type", metavar="RECORD_TYPE", help="the record type's id, e.g. RT-SERVICE-REPORT")
    rec.add_argument(
        "--period",
        help="the period it covers: 2026-10-12, 2026-W42, 2026-10, 2026-Q4, 2026-H2, 2026, or an event's date",
    )
    rec.add_argument("--produced-by", help="who produced it (default: git config user.name)")
    rec.add_argument("--classification", metavar="LEVEL",
                     help=f"{classes}; default: as the type's last record, else as the declaring document")  # fmt: skip
    rec.add_argument("--evidence", help="a link to the full record (document system, ticket tool)")
    rec.add_argument("--id", help=_ID_HELP)
    today_option(rec)


def _review_parser(sub: Subcommands) -> None:
    rev = described(
        sub, "review", "record a review: set reviewed: (and version:) in a document",
        "Set reviewed: to today (and version: to --version) in the document's front matter. Only\n"
        "those lines change; every other byte of the file stays (line endings, quotes, comments).\n"
        "A missing key is added where it usually is. A commit that changes only these lines is a\n"
        "recorded review, not a change of content. The command prints the commit to make.",
        "  clausewise review PRC-012\n  clausewise review POL-004 --version 1.4",
    )  # fmt: skip
    rev.add_argument("id", metavar="ID", help="the document's id, e.g. PRC-012")
    rev.add_argument("--version", help="the new version, e.g. 3.2 (default: unchanged)")
    rev.add_argument("--today", type=today_option_value, help="the review's date (default: CLAUSEWISE_TODAY or today)")


def _codeowners_parser(sub: Subcommands) -> None:
    owners = described(
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


def _run_new(args: argparse.Namespace) -> int:
    writer = {"record-type": new_record_type, "record": new_record}.get(args.kind, new_document)
    print(writer(args.handbook, args))
    return 0


def _run_review(args: argparse.Namespace) -> int:
    print(review(args.handbook, args.id, args.version, args.today))
    return 0


def _run_codeowners(args: argparse.Namespace) -> int:
    return codeowners(args.handbook, args.out, args.check, args.force)


NEW = Command("new", _new_parsers, _run_new)
REVIEW = Command("review", _review_parser, _run_review)
CODEOWNERS = Command("codeowners", _codeowners_parser, _run_codeowners)
