"""Record types and records: a new entry in a document's ``record_types:`` list
(inserted as text, in the list's own layout), and a new record of a record type
for the period that needs one, titled and named as the sample's records are."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import yaml

from clausewise.authoring.editor import Edit, block_end, flow_list, newline_of, read_front_matter, scalar
from clausewise.authoring.errors import AuthoringError
from clausewise.authoring.inputs import (
    checked_classification,
    checked_clauses,
    checked_id,
    checked_role,
    checked_title,
    default_classification,
    id_in_use,
    titled_id,
)
from clausewise.authoring.scaffold import NewFile, front_matter
from clausewise.core.ids import IdKind, IdScheme, most_common
from clausewise.core.model import (
    GovernedDocument,
    Handbook,
    Record,
    RecordStatus,
    RecordType,
    Status,
)
from clausewise.core.settings import DEFAULT_LEVELS
from clausewise.rules.evidence import RecordTypeStatus
from clausewise.rules.periods import Period, PeriodState, due_date, parse_event_date, parse_period, period_containing
from clausewise.sources import frontmatter
from clausewise.sources.metadata import CADENCE_HELP, DEFAULT_GRACE_DAYS, parse_cadence
from clausewise.sources.recordbody import scaffold_body
from clausewise.sources.text import split_lines

#: Words a record type's title may start with that a record's period already says.
#: ("Daily log" keeps its word: a date does not say that it is one of many.)
_CADENCE_WORDS = frozenset({"weekly", "monthly", "quarterly", "half-yearly", "six-monthly", "yearly", "annual"})
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


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
    ids: IdScheme,
    ident: str | None = None,
) -> tuple[Edit, str]:
    """Add a record type to ``doc``'s ``record_types:`` list in ``text`` (the
    list is created at the end of the front matter if there is none). It starts
    on ``start``, so a new record type is not missing records for the time
    before it existed. Its id is ``ident`` (given with ``--id``) or made from
    its title (:func:`~clausewise.authoring.inputs.titled_id`). Returns the edit
    and the record type's id."""
    path = doc.source.path
    if doc.status is Status.RETIRED:
        raise AuthoringError(f"{doc.id} is retired: declare the record type in a document in force")
    title = checked_title(title)
    if ident is not None:
        ident = checked_id(handbook, ids, IdKind.RECORD_TYPE, ident)
    else:
        ident = titled_id(handbook, ids, IdKind.RECORD_TYPE, title)
    parsed = parse_cadence(cadence)
    if parsed is None:
        raise AuthoringError(f"--cadence {cadence!r} is not a cadence; expected {CADENCE_HELP}")
    if owner is None and doc.owner is None:
        raise AuthoringError(f"{doc.id} has no valid owner: give the record type's owner with --owner ROLE_ID")
    owner = checked_role(handbook, owner or doc.owner or "", "--owner")
    clauses = checked_clauses(handbook, evidences, "--evidences")
    fm = read_front_matter(text, path)
    nl = newline_of(text)
    lines = split_lines(text, keepends=True)
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
            at = block_end(lines, fm, "record_types") + 1
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
        entry.append(("evidences", flow_list(clauses)))
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


def first_due(cadence: str, start: date, grace_days: int = DEFAULT_GRACE_DAYS) -> date | None:
    """When the first record of a new record type is due (None: per event)."""
    parsed = parse_cadence(cadence)
    if parsed is None or parsed.per_event:
        return None
    return due_date(period_containing(parsed, start, start), grace_days)


def _no_cadence(rt: RecordType) -> AuthoringError:
    written = f"cadence {rt.invalid_cadence!r} is not one of {CADENCE_HELP}" if rt.invalid_cadence else "no cadence"
    where = f"{rt.source.path}:{rt.key_lines.get('cadence', rt.source.line)}"
    return AuthoringError(f"{rt.id} has no schedule: its {written}; fix it in {where} first")


def next_period(status: RecordTypeStatus) -> str:
    """The period a new record of this type should cover: the earliest that has
    ended without a record (missing, or due within its grace), else the current
    period if it has none yet (:func:`new_record` then says that it has not ended).
    A period that already has a draft or unfilled record is skipped: that record
    is to be filled in, not written again."""
    rt = status.record_type
    if rt.cadence is None:
        raise _no_cadence(rt)
    if rt.cadence.per_event:
        raise AuthoringError(f"{rt.id} is recorded per event: give the day of the event with --period YYYY-MM-DD")
    if status.start is None:
        raise AuthoringError(
            f"{rt.id} has no schedule: set clausewise_sms_start in conf.py, or start: on the record type"
        )
    if not status.periods:
        raise AuthoringError(f"the schedule of {rt.id} starts on {status.start}: its first record comes after that")
    drafted = _drafted_periods(status)
    for wanted in ((PeriodState.MISSING, PeriodState.DUE), (PeriodState.OPEN,)):
        for p in status.periods:
            if p.state in wanted and p.period not in drafted:
                return p.period.label
    following = status.periods[-1].period.end + timedelta(days=1)
    what = "a record or a draft" if drafted else "a record"
    raise AuthoringError(
        f"{rt.id} has {what} for every period up to today; the next begins on {following}: nothing to add yet"
    )


def _drafted_periods(status: RecordTypeStatus) -> dict[Period, Record]:
    """The periods that have a draft or unfilled record (:attr:`RecordTypeStatus.unfilled`)."""
    rt = status.record_type
    if rt.cadence is None or rt.cadence.per_event or status.start is None:
        return {}
    out: dict[Period, Record] = {}
    for record in status.unfilled:
        parsed = parse_period(record.period or "", rt.cadence, status.start)
        if not isinstance(parsed, str):
            out.setdefault(parsed, record)
    return out


def _period_words(label: str) -> str:
    """``2026-09`` -> ``September 2026``; ``2026-Q3`` -> ``Q3 2026``; ``2026-W42`` -> ``week 42 of 2026``
    (an ``every N weeks`` period is named by the week it starts in); a year or a date stays."""
    if m := re.match(r"^(\d{4})-W(\d{2})$", label):
        return f"week {int(m.group(2))} of {m.group(1)}"
    if m := re.match(r"^(\d{4})-(\d{2})$", label):
        return f"{_MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    if m := re.match(r"^(\d{4})-([QH]\d)$", label):
        return f"{m.group(2)} {m.group(1)}"
    return label


def record_title(rt: RecordType, label: str) -> str:
    """As the sample's records are titled: "Service report, September 2026",
    "Capacity review, Q3 2026", "Budget review 2025", "Major incident review, 2026-05-14",
    and "Backup check, week 42 of 2026", "Daily log, 2026-10-12";
    a cadence word the period already says ("Quarterly capacity review") is dropped."""
    words = rt.title.split()
    if len(words) > 1 and words[0].lower() in _CADENCE_WORDS:
        words = [words[1][:1].upper() + words[1][1:], *words[2:]]
    base = " ".join(words)
    yearly = rt.cadence is not None and rt.cadence.text == "yearly"
    return f"{base} {label}" if yearly else f"{base}, {_period_words(label)}"


def record_id_prefix(handbook: Handbook, ids: IdScheme) -> str:
    """What a new record's id starts with, before its type's name: as most of the
    handbook's records (``REC-`` in ``REC-SERVICE-REPORT-2026-09``), else the fixed
    text the record pattern starts with (``REC-`` by default)."""
    found = []
    for record in handbook.records:
        if record.record_type is None:
            continue
        at = record.id.find(ids.record_type_name(record.record_type) + "-")
        if at >= 0:
            found.append(record.id[:at])
    return most_common(found) or ids[IdKind.RECORD].prefix


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
    ids: IdScheme,
    ident: str | None = None,
    levels: Sequence[str] = DEFAULT_LEVELS,
) -> NewFile:
    """A draft record (``status: draft``, the body :func:`~clausewise.sources.recordbody.scaffold_body`)
    of ``status``'s record type for ``period`` (default: :func:`next_period`),
    produced today by ``produced_by``, in the folder the type's records are in,
    named and identified after the period as the sample's records are:
    ``records/service-report/2026-09.md``, ``REC-SERVICE-REPORT-2026-09``
    (:func:`record_id_prefix`, the type's name, the period), unless ``ident``
    (``--id``) gives the id. ``exists`` says whether a handbook-relative path is
    taken; no file is overwritten."""
    rt = status.record_type
    if rt.cadence is None:
        raise _no_cadence(rt)
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
        drafted = _drafted_periods(status).get(parsed)
        if drafted is not None and not rt.allow_several:
            raise AuthoringError(
                f"{drafted.id} ({drafted.source.path}) is already written for {label} of {rt.id}, but not yet "
                f"evidence (a draft, or not filled in): fill it in and set 'status: current' to approve it"
            )
        if today < parsed.end:
            allowed = (
                f"{rt.id} says 'early: allowed', so that is fine if the record is complete"
                if rt.early_allowed
                else f"the record will be reported as record-premature unless {rt.id} says 'early: allowed'"
            )
            notes.append(
                f"{label} has not ended yet (it ends on {parsed.end}): a record produced today, {today}, is "
                f"produced before its period is over; {allowed}"
            )
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
    name = ids.record_type_name(rt.id)
    prefix = record_id_prefix(handbook, ids)
    if ident is not None:
        ident = checked_id(handbook, ids, IdKind.RECORD, ident)
    taken = id_in_use(handbook)
    # a second file for the period is right only where several records may cover it,
    # or beside a record that was retired (it stays, as evidence)
    several = rt.allow_several or rt.cadence.per_event
    retired = {r.source.path for r in handbook.records if r.status is RecordStatus.RETIRED}
    for n in range(1, 100):
        suffix = "" if n == 1 else f"-{n}"
        path = f"{status.folder}/{label}{suffix}.md"
        candidate = ident or f"{prefix}{name}-{label}{suffix}"
        if exists(path) and not (several or path in retired):
            raise AuthoringError(f"{path} already exists; it is not overwritten")
        if not exists(path) and candidate not in taken:
            break
    else:  # pragma: no cover - a hundred records of one period
        raise AuthoringError(f"no free file name for another record of {label} in {status.folder}/")
    if ident is None and not ids[IdKind.RECORD].matches(candidate):
        pattern = ids[IdKind.RECORD]
        raise AuthoringError(
            f"the id made for the record, {candidate}, is not {pattern.description}: "
            f"give the id with --id, e.g. --id {pattern.example}"
        )
    ident = candidate
    if classification is None:
        declaring = next((d for d in handbook.documents if d.id == rt.declared_in), None)
        last = status.last_record
        chosen = (last.classification if last else None) or (declaring.classification if declaring else None)
        classification = chosen or default_classification(levels)
    fields = [
        ("id", ident),
        ("type", "record"),
        ("title", scalar(record_title(rt, label))),
        ("record_type", rt.id),
        ("period", label),
        ("produced", today.isoformat()),
        ("produced_by", scalar(checked_title(produced_by, "--produced-by"))),
        ("classification", checked_classification(classification, levels)),
        # not evidence until it is filled in and approved (status: current)
        ("status", RecordStatus.DRAFT.value),
        (
            ("evidence", scalar(evidence.strip()))
            if evidence
            else ("# evidence: a link to the full record (document system, ticket tool), or a file beside it", "")
        ),
        # the fields its record type declares, empty: a draft may leave even a required one empty
        *((f"{spec.name}:", "") for spec in rt.fields),
    ]
    return NewFile(path, front_matter(fields) + "\n" + scaffold_body(), ident, dict(fields), tuple(notes))
