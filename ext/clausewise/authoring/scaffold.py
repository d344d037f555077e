"""Writing the handbook: new documents, record types and records, recorded
reviews, and the CODEOWNERS file.

Pure, typed functions over text and the model: no Sphinx, no git, no clock
(``today`` is a parameter). :mod:`clausewise.cli` reads the handbook, calls
these, and writes what they return.

Front matter is edited as text, line by line, never parsed and dumped again:
comments, quoting, key order and line endings stay as their owner wrote them,
and a review changes only the ``reviewed:``/``version:`` lines, which is what
git must see for the change to count as a review rather than new content
(:data:`clausewise.gitlog.REVIEW_LINE`). Every edit is read back with the same
parser the build uses before it is returned, so a layout the editor does not
understand gives an error, never a broken file.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath

import yaml
from yaml.nodes import MappingNode, ScalarNode

from clausewise.core.model import (
    ID_PREFIX,
    RECORD_TYPE_PREFIX,
    Classification,
    DocType,
    GovernedDocument,
    Handbook,
    RecordStatus,
    RecordType,
    Status,
)
from clausewise.rules.evidence import RecordTypeStatus
from clausewise.rules.periods import PeriodState, due_date, parse_event_date, parse_period, period_containing
from clausewise.sources import frontmatter
from clausewise.sources.frontmatter import FrontMatter
from clausewise.sources.metadata import (
    CADENCE_HELP,
    DEFAULT_GRACE_DAYS,
    GITHUB_HELP,
    parse_cadence,
    parse_date,
    valid_github_handle,
    valid_version,
)


class AuthoringError(Exception):
    """A request that cannot be carried out; the message says what to do instead."""


#: Where each kind of document goes in a handbook that has none of that kind yet.
DEFAULT_FOLDERS: Mapping[DocType, str] = {
    DocType.POLICY: "policies",
    DocType.DOCUMENT: "policies",
    DocType.PROCEDURE: "procedures",
    DocType.ROLE: "docs/roles",
}
#: What a new document starts as: a draft counts for nothing until it is approved,
#: so it carries no effective or review date (see the owner's guide).
DRAFT_VERSION = "0.1"

#: The headings a new document starts with, and one line on what goes under each;
#: those of policies, procedures and roles are the sample handbook's.
SKELETONS: Mapping[DocType, tuple[tuple[str, str], ...]] = {
    DocType.POLICY: (
        ("Purpose", "Why the organisation has this policy and what it is for."),
        ("Scope", "Who and what the policy applies to."),
        ("Commitments", "What the organisation commits to, one numbered point each."),
        ("Responsibilities", "Who makes sure each commitment is kept."),
        ("Review", "When and by whom the policy is reviewed, and what triggers an earlier review."),
    ),
    DocType.DOCUMENT: (
        ("Purpose", "What this document records and who relies on it."),
        ("Content", "The information itself, under headings of its own."),
        ("Keeping this document current", "Who updates it, when, and from which sources."),
    ),
    DocType.PROCEDURE: (
        ("Purpose", "What the process achieves, in one or two sentences."),
        ("Scope", "Which services, customers, teams and suppliers it covers, and what it does not."),
        ("Roles and responsibilities", "Each role that takes part and what it does."),
        ("Triggers and inputs", "What starts the process and what it needs."),
        ("Procedure", "The steps, numbered, each with who does it."),
        ("Records", "The records the process produces and where they are kept."),
        ("Measures", "How the process is measured, with targets."),
        ("Related documents", "Policies and procedures this one depends on or feeds."),
    ),
    DocType.ROLE: (
        ("Purpose", "Why the role exists, in one or two sentences."),
        ("Responsibilities", "What the role must do, one point each."),
        ("Authorities", "What the role may decide or approve."),
        ("Competence required", "Qualifications and experience the holder needs."),
        ("Deputy", "Who covers during absence."),
        ("Current holder", "Who holds the role, since when, and to whom they report."),
    ),
}

#: Words a record type's title may start with that a record's period already says.
_CADENCE_WORDS = frozenset({"monthly", "quarterly", "half-yearly", "six-monthly", "yearly", "annual"})
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_ORDER = ("id", "type", "title", "owner", "status", "version", "effective", "reviewed")
_VALUE_LINE = re.compile(
    r"^(?P<head>(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*)"
    r"(?P<value>\"[^\"\r\n]*\"|'[^'\r\n]*'|[^\s#'\"|>][^\r\n]*?)?"
    r"(?P<tail>[ \t]*(?:#[^\r\n]*)?)(?P<eol>\r\n|\n|\r)?$"
)


@dataclass(frozen=True)
class NewFile:
    """A file to create: its handbook-relative path, its text, and what it is."""

    path: str
    text: str
    id: str
    fields: Mapping[str, str]  # the front matter's values as written (quoted ones quoted)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edit:
    """A changed file: the new text, what changed (for people), the first changed line."""

    text: str
    changes: tuple[str, ...]
    line: int


# --- small helpers -----------------------------------------------------------------


def slug(title: str) -> str:
    """``Capacity management`` -> ``capacity-management``: ASCII letters and digits, single dashes."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def scalar(text: str) -> str:
    """``text`` as a YAML value: plain when YAML reads it back unchanged, else
    double-quoted (a JSON string is a valid YAML one)."""
    try:
        node = yaml.compose(f"k: {text}", Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        node = None
    value = node.value[0][1] if isinstance(node, MappingNode) and len(node.value) == 1 else None
    plain = isinstance(value, ScalarNode) and value.style is None and value.value == text
    return text if plain and text == text.strip() else json.dumps(text, ensure_ascii=False)


def _flow_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def newline_of(text: str) -> str:
    """The file's line ending, from its first line (new lines get the same)."""
    first, sep, _ = text.partition("\n")
    return "\r\n" if sep and first.endswith("\r") else "\n"


def _title(title: str, option: str = "--title") -> str:
    title = " ".join(title.split())
    if not slug(title):
        raise AuthoringError(f"{option} {title!r} has no letters or digits; give the title people will see")
    return title


def _id_in_use(handbook: Handbook) -> dict[str, str]:
    """Every id in the handbook and where it is: documents, record types, records, clauses."""
    where = {c.need_id: "the clause catalogue" for c in handbook.catalogue.clauses}
    for doc in handbook.documents:
        where.setdefault(doc.id, doc.source.path)
        for rt in doc.record_types:
            where.setdefault(rt.id, f"{rt.source.path} ({doc.id})")
    for record in handbook.records:
        where.setdefault(record.id, record.source.path)
    return where


def _unused(handbook: Handbook, ident: str, option: str) -> str:
    where = _id_in_use(handbook)
    if ident in where:
        raise AuthoringError(f"the id {ident} is already used in {where[ident]}; choose another {option}")
    return ident


def next_number_id(handbook: Handbook, kind: DocType) -> str:
    """The next free ``POL-nnn``/``PRC-nnn``/``DOC-nnn``: the highest in use plus one,
    zero-padded to the width of the ids already there (3 in a new handbook)."""
    prefix = ID_PREFIX[kind]
    pattern = re.compile(rf"^{prefix}-(\d+)$")
    numbers = [m.group(1) for ident in _id_in_use(handbook) if (m := pattern.match(ident))]
    width = max((len(n) for n in numbers), default=3)
    return f"{prefix}-{max((int(n) for n in numbers), default=0) + 1:0{width}d}"


def _role(handbook: Handbook, role: str, option: str, itself: str | None = None) -> str:
    roles = handbook.roles()
    if role in roles or role == itself:
        return role
    if not roles:
        raise AuthoringError(
            f"{option} {role!r}: the handbook has no roles yet; create one first: clausewise new role --title ..."
        )
    close = difflib.get_close_matches(role, sorted(roles), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    listed = "; ".join(f"{r} ({roles[r].title})" for r in sorted(roles))
    raise AuthoringError(f"{option} {role!r} is not a role of the handbook{hint}; roles: {listed}")


def _clauses(handbook: Handbook, numbers: Iterable[str], option: str) -> tuple[str, ...]:
    known = handbook.catalogue.by_number()
    out: list[str] = []
    for number in (n.strip() for n in numbers):
        if number not in known:
            example = handbook.catalogue.clauses[-1].number if handbook.catalogue.clauses else "8.6.1"
            raise AuthoringError(
                f"{option} {number!r} is not a clause of the {handbook.catalogue.standard} catalogue; "
                f"use a number from the clause catalogue page, e.g. {example}"
            )
        if number not in out:
            out.append(number)
    return tuple(out)


def _github(handles: Iterable[str]) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(h.strip() for h in handles))
    for handle in out:
        if not valid_github_handle(handle):
            raise AuthoringError(f"--github {handle!r} is not a GitHub user or team; expected {GITHUB_HELP}")
    return out


def _classification(value: str) -> str:
    try:
        return Classification(value).value
    except ValueError:
        allowed = ", ".join(c.value for c in Classification)
        raise AuthoringError(f"--classification {value!r} is not allowed; expected one of {allowed}") from None


def _front_matter(fields: Sequence[tuple[str, str]], nl: str = "\n") -> str:
    return nl.join(["---", *(f"{k}: {v}" if v else k for k, v in fields), "---"]) + nl


# --- new documents ---------------------------------------------------------------------


def folder_for(handbook: Handbook, kind: DocType) -> str:
    """Where documents of ``kind`` live in this handbook: the folder most of them
    are in (on a tie, the first by name); else where policies live for a governing
    document; else the default (:data:`DEFAULT_FOLDERS`)."""
    for wanted in (kind, DocType.POLICY) if kind is DocType.DOCUMENT else (kind,):
        counts = Counter(PurePosixPath(d.source.path).parent.as_posix() for d in handbook.documents if d.type is wanted)
        if counts:
            return min(counts, key=lambda folder: (-counts[folder], folder))
    return DEFAULT_FOLDERS[kind]


def default_role_owner(handbook: Handbook, new_role: str) -> str:
    """Who owns a new role's page: whoever owns most role pages already (in the
    sample, top management); the first role of a handbook owns itself."""
    owners = Counter(r.owner for r in handbook.roles().values() if r.owner)
    if not owners:
        return new_role
    return min(owners, key=lambda owner: (-owners[owner], owner))


def new_document(
    handbook: Handbook,
    kind: DocType,
    title: str,
    *,
    owner: str | None,
    satisfies: Sequence[str] = (),
    classification: str = Classification.INTERNAL.value,
    github: Sequence[str] = (),
) -> NewFile:
    """A new policy, governing document, procedure or role: a draft at version
    0.1 (no effective or review date: it is not approved yet), with the next id
    of its kind, in the folder its kind lives in, with a skeleton of headings."""
    if kind is DocType.RECORD:
        raise AuthoringError("a record is made with: clausewise new record RT-...")
    title = _title(title)
    if kind is DocType.ROLE:
        ident = _unused(handbook, f"{ID_PREFIX[kind]}-{slug(title).upper()}", "--title")
        owner = _role(handbook, owner or default_role_owner(handbook, ident), "--owner", itself=ident)
    else:
        ident = next_number_id(handbook, kind)
        if not owner:
            raise AuthoringError(f"--owner is required: the id of the role that owns the {kind.value}")
        owner = _role(handbook, owner, "--owner")
    if github and kind is not DocType.ROLE:
        raise AuthoringError("--github is for roles only: a document's code owners are its owner role's")
    fields = [
        ("id", ident),
        ("type", kind.value),
        ("title", scalar(title)),
        ("owner", owner),
        ("status", Status.DRAFT.value),
        ("version", f'"{DRAFT_VERSION}"'),
        ("classification", _classification(classification)),
        ("satisfies", _flow_list(_clauses(handbook, satisfies, "--satisfies"))),
    ]
    handles = _github(github)
    if handles:
        fields.append(("github", scalar(handles[0]) if len(handles) == 1 else _flow_list(handles)))
    body = "\n".join(f"## {heading}\n\n{prompt}\n" for heading, prompt in SKELETONS[kind])
    folder = folder_for(handbook, kind)
    path = f"{slug(title)}.md" if folder in ("", ".") else f"{folder}/{slug(title)}.md"
    return NewFile(path, _front_matter(fields) + "\n" + body, ident, dict(fields))


# --- editing front matter as text --------------------------------------------------------


def _parsed(text: str, path: str) -> FrontMatter:
    fm = frontmatter.parse(text)
    if not fm.present:
        raise AuthoringError(f"{path} has no front matter (a '---' block at the top)")
    if fm.error is not None:
        line, message = fm.error
        raise AuthoringError(f"{path}:{line}: {message}; fix it first (clausewise check shows it too)")
    return fm


def _block_end(lines: Sequence[str], fm: FrontMatter, key: str) -> int:
    """The 0-based index of the last line of top-level ``key``'s value. Blank lines
    and comments in the first column after it belong to what follows."""
    start = fm.lines[(key,)] - 1
    tops = sorted(line - 1 for path, line in fm.lines.items() if len(path) == 1)
    stop = next((t for t in tops if t > start), fm.last_line - 1)
    end = start
    for index in range(start + 1, stop):
        if lines[index].strip() and not lines[index].startswith("#"):
            end = index
    return end


def _insert_at(lines: Sequence[str], fm: FrontMatter, key: str) -> int:
    """Where a missing top-level ``key`` goes: after the nearest key before it in
    the usual order (id, type, title, owner, status, version, effective, reviewed),
    else at the end of the front matter."""
    for before in reversed(_ORDER[: _ORDER.index(key)]):
        if (before,) in fm.lines:
            return _block_end(lines, fm, before) + 1
    return fm.last_line - 1


def _set_value(
    lines: list[str], fm: FrontMatter, key: str, value: str, nl: str, quote: str = ""
) -> tuple[str | None, int]:
    """Set top-level ``key`` to ``value`` in place: only the value's characters
    change (its quotes, any comment and the line ending stay). A missing key is
    added as a line of its own. Returns (the old value, None if there was no key; the 0-based line)."""
    if (key,) not in fm.lines:
        at = _insert_at(lines, fm, key)
        lines.insert(at, f"{key}: {quote}{value}{quote}{nl}")
        return None, at
    index = fm.lines[(key,)] - 1
    m = _VALUE_LINE.match(lines[index])
    if m is None or m.group("key") != key or _block_end(lines, fm, key) != index:
        raise AuthoringError(
            f"line {index + 1} ({lines[index].strip()!r}) is not a one-line '{key}: value'; "
            f"write it as '{key}: {value}' and run again"
        )
    old = m.group("value") or ""
    # keep the owner's quoting; an empty value gets the quoting this key usually has
    mark = old[0] if old[:1] in ("'", '"') else ("" if old else quote)
    new = mark + value + mark
    head = m.group("head") if old or m.group("head").endswith((" ", "\t")) else m.group("head") + " "
    lines[index] = head + new + m.group("tail") + (m.group("eol") or "")
    return old.strip("'\""), index


def _was(old: str | None) -> str:
    return "(no key)" if old is None else old or "(empty)"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@dataclass(frozen=True)
class RecordedReview:
    """A recorded review: the edit, and the commit message that goes with it."""

    edit: Edit
    message: str
    notes: tuple[str, ...] = ()


def record_review(text: str, doc: GovernedDocument, today: date, version: str | None = None) -> RecordedReview:
    """Set ``reviewed:`` to ``today`` (and ``version:`` if given) in ``text``, the
    page of ``doc``; every other byte stays. A missing key is added where it
    usually is."""
    path = doc.source.path
    if doc.status is Status.RETIRED:
        raise AuthoringError(f"{doc.id} is retired: a retired document is not reviewed any more")
    fm = _parsed(text, path)
    nl = newline_of(text)
    lines = text.splitlines(keepends=True)
    changes: list[str] = []
    first: list[int] = []
    current = fm.data.get("reviewed")
    current_day = parse_date(current.strip()) if isinstance(current, str) else None
    if current_day is not None and current_day > today:
        raise AuthoringError(
            f"{doc.id} says reviewed: {current_day}, after {today}; a review date never moves back. "
            f"If {current_day} is wrong, correct it by hand"
        )
    if current_day != today:
        old, index = _set_value(lines, fm, "reviewed", today.isoformat(), nl)
        changes.append(f"reviewed: {_was(old)} -> {today}")
        first.append(index)
    if version is not None:
        version = version.strip().strip("'\"")
        if not valid_version(version):
            raise AuthoringError(f"--version {version!r} is malformed; expected numbers separated by dots, e.g. 2.1")
        old_version = fm.data.get("version")
        old_valid = isinstance(old_version, str) and valid_version(old_version.strip())
        if old_valid and _version_key(version) < _version_key(str(old_version).strip()):
            raise AuthoringError(f"--version {version} is lower than {doc.id}'s version {str(old_version).strip()}")
        if old_version != version:
            fm_now = frontmatter.parse("".join(lines))  # line numbers after a reviewed: line was added
            old, index = _set_value(lines, fm_now, "version", version, nl, quote='"')
            changes.append(f"version: {_was(old)} -> {version}")
            first.append(index)
    new_text = "".join(lines)
    _same_apart_from(text, new_text, path, {"reviewed": today.isoformat(), **({"version": version} if version else {})})
    what = f"version {version}" if version and any(c.startswith("version") for c in changes) else "no changes"
    notes = []
    if doc.status is Status.DRAFT:
        notes.append(
            f"{doc.id} is a draft: it counts once approved (status: approved, with effective: the date it "
            f"comes into force)"
        )
    edit = Edit(new_text, tuple(changes), min(first, default=0) + 1)
    return RecordedReview(edit, f"Review of {doc.id}, {what}", tuple(notes))


def _same_apart_from(before: str, after: str, path: str, wanted: Mapping[str, str]) -> None:
    """Read the edited front matter back: the wanted keys have their values and
    nothing else moved."""
    old, new = frontmatter.parse(before).data, frontmatter.parse(after).data
    expected = {**old, **wanted}
    if frontmatter.parse(after).error is not None or new != expected:
        raise AuthoringError(f"could not edit {path} safely; set {', '.join(wanted)} by hand")


# --- record types --------------------------------------------------------------------------


def add_record_type(
    text: str,
    doc: GovernedDocument,
    handbook: Handbook,
    *,
    title: str,
    cadence: str,
    owner: str | None,
    evidences: Sequence[str],
    start: date,
) -> tuple[Edit, str]:
    """Add a record type to ``doc``'s ``record_types:`` list in ``text`` (the
    list is created at the end of the front matter if there is none). It starts
    on ``start``, so a new record type is not missing records for the time
    before it existed. Returns the edit and the record type's id."""
    path = doc.source.path
    if doc.status is Status.RETIRED:
        raise AuthoringError(f"{doc.id} is retired: declare the record type in a document in force")
    title = _title(title)
    ident = _unused(handbook, f"{RECORD_TYPE_PREFIX}-{slug(title).upper()}", "--title")
    parsed = parse_cadence(cadence)
    if parsed is None:
        raise AuthoringError(f"--cadence {cadence!r} is not a cadence; expected {CADENCE_HELP}")
    if owner is None and doc.owner is None:
        raise AuthoringError(f"{doc.id} has no valid owner: give the record type's owner with --owner ROLE-...")
    owner = _role(handbook, owner or doc.owner or "", "--owner")
    clauses = _clauses(handbook, evidences, "--evidences")
    fm = _parsed(text, path)
    nl = newline_of(text)
    lines = text.splitlines(keepends=True)
    raw = fm.data.get("record_types")
    if ("record_types",) not in fm.lines:
        at = fm.last_line - 1
        lines.insert(at, f"record_types:{nl}")
        at += 1
        dash, gap = "  ", " "
    else:
        key = fm.lines[("record_types",)] - 1
        if isinstance(raw, list) and raw and fm.line("record_types", 0) > key + 1:
            m = re.match(r"^([ \t]*)-([ \t]+)", lines[fm.line("record_types", 0) - 1])
            if m is None:
                raise AuthoringError(f"{path}: cannot read the layout of record_types; add {ident} by hand")
            dash, gap = m.group(1), m.group(2)
            at = _block_end(lines, fm, "record_types") + 1
        elif raw in ("", []) and (em := re.match(r"^record_types[ \t]*:[ \t]*(\[[ \t]*\])?[ \t]*(#.*)?$",
                                                 lines[key].rstrip("\r\n"))):  # fmt: skip
            lines[key] = "record_types:" + (f" {em.group(2)}" if em.group(2) else "") + nl
            at, dash, gap = key + 1, "  ", " "
        else:
            raise AuthoringError(
                f"{path}:{key + 1}: record_types is not a list of '- id: ...' entries, one key per line; "
                f"write it so and run again"
            )
    indent = " " * (len(dash) + 1 + len(gap))
    entry = [("title", scalar(title)), ("owner", owner)]
    if clauses:
        entry.append(("evidences", _flow_list(clauses)))
    entry += [("cadence", parsed.text), ("start", start.isoformat())]
    block = [f"{dash}-{gap}id: {ident}{nl}"] + [f"{indent}{k}: {v}{nl}" for k, v in entry]
    lines[at:at] = block
    new_text = "".join(lines)
    check = frontmatter.parse(new_text)
    added = check.data.get("record_types", [None])[-1] if check.error is None else None
    expected = {"id": ident, **{k: str(yaml.load(v, Loader=yaml.BaseLoader)) for k, v in entry if k != "evidences"}}
    if not isinstance(added, dict) or {k: added.get(k) for k in expected} != expected:
        raise AuthoringError(f"could not add {ident} to {path} safely; add it by hand:\n" + "".join(block))
    return Edit(new_text, (f"record type {ident} added to {doc.id}",), at + 1), ident


def next_minor(version: str | None) -> str:
    """The version a reviewed change would usually get: ``2.3`` -> ``2.4``, ``1`` -> ``1.1``."""
    if version is None or not valid_version(version):
        return "1.0"
    parts = version.split(".")
    if len(parts) == 1:
        return f"{version}.1"
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])


def first_due(cadence: str, start: date, grace_days: int = DEFAULT_GRACE_DAYS) -> date | None:
    """When the first record of a new record type is due (None: per event)."""
    parsed = parse_cadence(cadence)
    if parsed is None or parsed.per_event:
        return None
    return due_date(period_containing(parsed, start, start), grace_days)


# --- records ---------------------------------------------------------------------------


def next_period(status: RecordTypeStatus) -> str:
    """The period a new record of this type should cover: the earliest that has
    ended without a record (missing, or due within its grace), else the current
    period if it has none yet."""
    rt = status.record_type
    if rt.cadence is None:
        raise AuthoringError(f"{rt.id} has no valid cadence; fix it in {rt.source.path} first")
    if rt.cadence.per_event:
        raise AuthoringError(f"{rt.id} is recorded per event: give the day of the event with --period YYYY-MM-DD")
    if status.start is None:
        raise AuthoringError(
            f"{rt.id} has no schedule: set clausewise_sms_start in conf.py, or start: on the record type"
        )
    if not status.periods:
        raise AuthoringError(f"the schedule of {rt.id} starts on {status.start}: its first record comes after that")
    for wanted in ((PeriodState.MISSING, PeriodState.DUE), (PeriodState.OPEN,)):
        for p in status.periods:
            if p.state in wanted:
                return p.period.label
    following = status.periods[-1].period.end + timedelta(days=1)
    raise AuthoringError(
        f"{rt.id} has a record for every period up to today; the next begins on {following}: nothing to add yet"
    )


def _period_words(label: str) -> str:
    """``2026-09`` -> ``September 2026``; ``2026-Q3`` -> ``Q3 2026``; a year or a date stays."""
    if m := re.match(r"^(\d{4})-(\d{2})$", label):
        return f"{_MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    if m := re.match(r"^(\d{4})-([QH]\d)$", label):
        return f"{m.group(2)} {m.group(1)}"
    return label


def record_title(rt: RecordType, label: str) -> str:
    """As the sample's records are titled: "Service report, September 2026",
    "Capacity review, Q3 2026", "Budget review 2025", "Major incident review, 2026-05-14";
    a cadence word the period already says ("Quarterly capacity review") is dropped."""
    words = rt.title.split()
    if len(words) > 1 and words[0].lower() in _CADENCE_WORDS:
        words = [words[1][:1].upper() + words[1][1:], *words[2:]]
    base = " ".join(words)
    yearly = rt.cadence is not None and rt.cadence.text == "yearly"
    return f"{base} {label}" if yearly else f"{base}, {_period_words(label)}"


def new_record(
    status: RecordTypeStatus,
    handbook: Handbook,
    *,
    period: str | None,
    today: date,
    produced_by: str,
    classification: str | None,
    evidence: str | None,
    exists: Callable[[str], bool],
) -> NewFile:
    """A record of ``status``'s record type for ``period`` (default: :func:`next_period`),
    produced today by ``produced_by``, in the folder the type's records are in,
    named and identified after the period as the sample's records are:
    ``records/service-report/2026-09.md``, ``REC-SERVICE-REPORT-2026-09``.
    ``exists`` says whether a handbook-relative path is taken; no file is overwritten."""
    rt = status.record_type
    if rt.cadence is None:
        raise AuthoringError(f"{rt.id} has no valid cadence; fix it in {rt.source.path} first")
    label = (period or next_period(status)).strip()
    notes: list[str] = []
    current = []
    if rt.cadence.per_event:
        day = parse_event_date(label)
        if day is None:
            raise AuthoringError(f"--period {label!r} is not a date; a record of an event is dated YYYY-MM-DD")
        if day > today:
            raise AuthoringError(f"--period {label} is in the future (today is {today})")
        label = day.isoformat()
    else:
        if status.start is None:
            next_period(status)  # says why there is no schedule
        assert status.start is not None
        parsed = parse_period(label, rt.cadence, status.start)
        if isinstance(parsed, str):
            raise AuthoringError(f"--period {parsed}")
        if parsed.start > today:
            raise AuthoringError(f"--period {label} has not begun yet (today is {today}): its record comes later")
        periods = {p.period: p for p in status.periods}
        if parsed not in periods:
            first = status.periods[0].period.label if status.periods else str(status.start)
            raise AuthoringError(f"--period {label} is before the schedule of {rt.id} starts ({first})")
        current = list(periods[parsed].records)
        due = periods[parsed].due
        if current and not rt.allow_several:
            other = current[0]
            raise AuthoringError(
                f"{other.id} ({other.source.path}) already covers {label} of {rt.id}; a second record would be "
                f"a record-duplicate. Correct that record (with a 'correction:' line), or retire it with "
                f"'status: retired' first"
            )
        if today > due:
            notes.append(
                f"{label} was due on {due}: produced today, the record will be reported as record-late, "
                f"which is what happened"
            )
    name = rt.id.removeprefix(f"{RECORD_TYPE_PREFIX}-")
    taken = _id_in_use(handbook)
    # a second file for the period is right only where several records may cover it,
    # or beside a record that was retired (it stays, as evidence)
    several = rt.allow_several or rt.cadence.per_event
    retired = {r.source.path for r in handbook.records if r.status is RecordStatus.RETIRED}
    for n in range(1, 100):
        suffix = "" if n == 1 else f"-{n}"
        path = f"{status.folder}/{label}{suffix}.md"
        ident = f"{ID_PREFIX[DocType.RECORD]}-{name}-{label}{suffix}"
        if exists(path) and not (several or path in retired):
            raise AuthoringError(f"{path} already exists; it is not overwritten")
        if not exists(path) and ident not in taken:
            break
    else:  # pragma: no cover - a hundred records of one period
        raise AuthoringError(f"no free file name for another record of {label} in {status.folder}/")
    if classification is None:
        declaring = next((d for d in handbook.documents if d.id == rt.declared_in), None)
        last = status.last_record
        chosen = (last.classification if last else None) or (declaring.classification if declaring else None)
        classification = (chosen or Classification.INTERNAL).value
    fields = [
        ("id", ident),
        ("type", "record"),
        ("title", scalar(record_title(rt, label))),
        ("record_type", rt.id),
        ("period", label),
        ("produced", today.isoformat()),
        ("produced_by", scalar(_title(produced_by, "--produced-by"))),
        ("classification", _classification(classification)),
        (
            ("evidence", scalar(evidence.strip()))
            if evidence
            else ("# evidence: a link to the full record (document system, ticket tool), or a file beside it", "")
        ),
    ]
    body = (
        "What the record shows, for an auditor: the key figures, findings or decisions.\n\n"
        "## Actions\n\nWhat was decided or must be done, by whom and by when.\n"
    )
    return NewFile(path, _front_matter(fields) + "\n" + body, ident, dict(fields), tuple(notes))


# --- CODEOWNERS ----------------------------------------------------------------------------

CODEOWNERS_HEADER = (
    "# Generated by `clausewise codeowners` from the handbook's front matter. Do not edit: change a\n"
    "# document's `owner:` or a role's `github:`, then run `clausewise codeowners` and commit this file.\n"
    "# A document belongs to the GitHub users and teams of its owner role; a records folder to those\n"
    "# of its record type's owner.\n"
)


@dataclass(frozen=True)
class CodeOwners:
    text: str
    warnings: tuple[str, ...]


def _pattern(path: str) -> str:
    # CODEOWNERS patterns are gitignore patterns: escape what would be read as glob or separator
    return "/" + re.sub(r"([ *?\[\\])", r"\\\1", path)


def codeowners(handbook: Handbook, statuses: Mapping[str, RecordTypeStatus], prefix: str = "") -> CodeOwners:
    """The CODEOWNERS file for the handbook: each governed page's path with its
    owner role's ``github:`` handles, each records folder with its record type
    owner's. ``prefix`` is the handbook's folder inside the repository ("" at its
    top). Roles without ``github:`` are listed in the header and warned about;
    their files get no line."""
    roles = handbook.roles()
    unmapped: dict[str, int] = {r: 0 for r, doc in roles.items() if not doc.github}
    warnings: list[str] = []
    rules: dict[str, tuple[str, ...]] = {}

    def owned(path: str, owner: str | None, what: str) -> None:
        if owner is None or owner not in roles:
            warnings.append(f"{what} ({path}) has no valid owner role, so no code owner")
        elif owner in unmapped:
            unmapped[owner] += 1
        else:
            rules[prefix + path] = roles[owner].github

    for doc in sorted(handbook.documents, key=lambda d: d.source.path):
        owned(doc.source.path, doc.owner, doc.id)
    folders: dict[str, set[str | None]] = {}
    for status in statuses.values():
        folders.setdefault(status.folder, set()).add(status.record_type.owner)
    for folder, owners in sorted(folders.items()):
        if len(owners) == 1:
            owned(folder + "/", next(iter(owners)), f"the records folder of {_types_in(statuses, folder)}")
            continue
        # record types of different owners share the folder: one line per record
        for status in sorted(statuses.values(), key=lambda s: s.record_type.id):
            if status.folder == folder:
                for record in status.records:
                    owned(record.source.path, status.record_type.owner, record.id)
    lines = [CODEOWNERS_HEADER.rstrip("\n")]
    if unmapped:
        lines += ["#", "# Roles without a `github:` key (their files have no code owner here):"]
        lines += [f"#   {r} {roles[r].title} ({prefix}{roles[r].source.path})" for r in sorted(unmapped)]
    lines.append("")
    lines += [f"{_pattern(path)} {' '.join(handles)}" for path, handles in sorted(rules.items())]
    for role, count in sorted(unmapped.items()):
        doc = roles[role]
        owns = f"{count} path{'' if count == 1 else 's'} it owns {'has' if count == 1 else 'have'}"
        warnings.append(
            f"{role} ({doc.title}) has no github: key in {prefix}{doc.source.path}, so {owns} no code owner; "
            f'add e.g. github: "@org/team" there'
        )
    return CodeOwners("\n".join(lines) + "\n", tuple(warnings))


def _types_in(statuses: Mapping[str, RecordTypeStatus], folder: str) -> str:
    return ", ".join(sorted(s.record_type.id for s in statuses.values() if s.folder == folder))


def generated_by_clausewise(text: str) -> bool:
    """Whether a CODEOWNERS text is one this module wrote (and may overwrite)."""
    return text.startswith(CODEOWNERS_HEADER.split("\n", 1)[0])
