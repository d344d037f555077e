"""The rules: what refers to what, and which clauses are covered.

Pure, typed functions over :class:`~clausewise.core.model.Handbook`: no Sphinx, no
git, no clock (``today`` is a parameter). The Sphinx glue calls them once per
build, after all pages are read.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clausewise.core.findings import Code, Finding
from clausewise.core.model import (
    DocType,
    GovernedDocument,
    Handbook,
    Justification,
    Record,
    RecordType,
    Source,
    Status,
    split_reference,
)
from clausewise.rules.evidence import RecordTypeStatus

#: Kinds a document may name under ``implements``.
IMPLEMENTABLE = frozenset({DocType.POLICY, DocType.DOCUMENT, DocType.PROCEDURE})


class Coverage(StrEnum):
    COVERED = "covered"
    #: covered today, but a record type that evidences it misses a record of an earlier
    #: period that ended within the audit window: what an auditor sampling the window finds
    COVERED_WITH_GAPS = "covered with gaps"
    RECORDS_MISSING = "records missing"
    DECLARED_ONLY = "declared only"
    UNCOVERED = "uncovered"
    #: an excludable control an approved document declares not applicable (``excluded:``)
    NOT_APPLICABLE = "not applicable"


#: Best first: a parent covered through its sub-clauses takes the worst of them
#: (sub-clauses that are not applicable do not count).
_RANK = [
    Coverage.COVERED, Coverage.COVERED_WITH_GAPS, Coverage.RECORDS_MISSING, Coverage.DECLARED_ONLY, Coverage.UNCOVERED,
]  # fmt: skip


@dataclass(frozen=True, order=True)
class PeriodGap:
    """A period of a record type that ended within the audit window without its record."""

    record_type: str
    label: str  # the period's label, e.g. 2026-08


@dataclass(frozen=True)
class ClauseCoverage:
    """One row of the traceability matrix."""

    number: str
    heading: str
    need_id: str
    depth: int
    status: Coverage
    documents: tuple[GovernedDocument, ...]  # satisfying this clause directly
    record_types: tuple[RecordType, ...]  # evidencing this clause
    via_subclauses: bool  # status comes from the sub-clauses, not from a document
    justification: tuple[str, Justification] | None  # (document id, justification)
    leaf: bool
    stale_record_types: tuple[str, ...] = ()  # record types evidencing it whose records are missing
    catalogue_key: str = ""  # the key of the standard the clause belongs to
    excluded: tuple[str, Justification] | None = None  # (document id, reason) when not applicable
    excludable: bool = False  # its catalogue lets it be excluded (a control, not a mandatory clause)
    #: the periods of the record types evidencing it (not those of its sub-clauses) that ended within
    #: the audit window without their record, by record type and period
    gaps: tuple[PeriodGap, ...] = ()


def _all_ids(handbook: Handbook) -> Iterable[tuple[str, Source]]:
    for doc in handbook.documents:
        yield doc.id, doc.source
        for rt in doc.record_types:
            yield rt.id, rt.source
    for record in handbook.records:
        yield record.id, record.source


def reference_findings(handbook: Handbook) -> list[Finding]:
    """Duplicate ids, and owners, clauses, documents and record types that do not exist."""
    findings: list[Finding] = []
    first: dict[str, Source] = {clause.need_id: Source("", "", 0) for clause in handbook.clauses}
    for ident, source in _all_ids(handbook):
        if ident in first:
            other = first[ident]
            where = f"{other.path}:{other.line}" if other.path else "the clause catalogue"
            findings.append(
                Finding(source.path, source.line, Code.DUPLICATE_ID, ident,
                        f"id {ident!r} is already used in {where}; give this one a new id")
            )  # fmt: skip
        else:
            first[ident] = source

    documents = {d.id: d for d in handbook.documents}
    roles = handbook.roles()
    record_types = {rt.id for rt in handbook.record_types}

    def check_owner(owner: str | None, path: str, line: int, subject: str) -> None:
        if owner is not None and owner not in roles:
            known = ", ".join(sorted(roles)) or "none yet"
            findings.append(
                Finding(path, line, Code.UNKNOWN_OWNER, subject,
                        f"owner: {owner!r} is not a role in the handbook; expected one of: {known}")
            )  # fmt: skip

    def check_clauses(references: Iterable[str], key: str, path: str, line: int, subject: str) -> None:
        for reference in references:
            if handbook.clause(reference) is None:
                findings.append(
                    Finding(path, line, Code.UNKNOWN_CLAUSE, subject, unknown_clause(handbook, key, reference))
                )

    def check_refs(ids: Iterable[str], key: str, doc: GovernedDocument, ok: Iterable[str], what: str) -> None:
        allowed = set(ok)
        for ident in ids:
            if ident not in allowed:
                findings.append(
                    Finding(doc.source.path, doc.line_of(key), Code.UNKNOWN_REFERENCE, doc.id,
                            f"{key}: {ident!r} is not {what} in the handbook")
                )  # fmt: skip

    for doc in handbook.documents:
        path = doc.source.path
        check_owner(doc.owner, path, doc.line_of("owner"), doc.id)
        check_clauses(doc.satisfies, "satisfies", path, doc.line_of("satisfies"), doc.id)
        check_clauses(
            (j.clause for j in doc.uncovered_clauses), "uncovered_clauses", path,
            doc.line_of("uncovered_clauses"), doc.id,
        )  # fmt: skip
        for j in doc.excluded:
            excluded = handbook.clause(j.clause)
            if excluded is None:
                findings.append(
                    Finding(path, j.line, Code.UNKNOWN_CLAUSE, doc.id, unknown_clause(handbook, "excluded", j.clause))
                )
            elif not _excludable(handbook, j.clause):
                findings.append(
                    Finding(path, j.line, Code.CLAUSE_NOT_EXCLUDABLE, doc.id,
                            f"excluded: clause {j.clause!r} ({excluded.heading}) cannot be excluded: "
                            f"{_exclusion_refused(handbook, j.clause)}; if it is not covered yet, "
                            f"justify the gap under 'uncovered_clauses' instead")
                )  # fmt: skip
            else:
                implementers = [
                    d.id for d in handbook.documents
                    if d.status is Status.APPROVED and any(handbook.clause(s) == excluded for s in d.satisfies)
                ]  # fmt: skip
                if implementers:
                    findings.append(
                        Finding(path, j.line, Code.EXCLUDED_BUT_IMPLEMENTED, doc.id,
                                f"excluded: control {j.clause!r} ({excluded.heading}) is declared not applicable, "
                                f"but {', '.join(implementers)} (approved) satisfies it; remove the exclusion, or "
                                f"the control from 'satisfies'")
                    )  # fmt: skip
        # implementing itself is a cycle of one, with its own finding (implements_findings)
        implementable = (i for i, d in documents.items() if d.type in IMPLEMENTABLE or i == doc.id)
        check_refs(doc.implements, "implements", doc, implementable, "a policy, document or procedure")
        check_refs(doc.roles, "roles", doc, roles, "a role")
        check_refs(doc.requires_records, "requires_records", doc, record_types, "a record type")
        findings.extend(uses_findings(doc, documents))
        for rt in doc.record_types:
            check_owner(rt.owner, path, rt.key_lines.get("owner", rt.source.line), rt.id)
            check_clauses(rt.evidences, "evidences", path, rt.key_lines.get("evidences", rt.source.line), rt.id)

    for record in handbook.records:
        findings.extend(_record_type_findings(record, record_types))
    findings += implements_findings(handbook)
    findings += retired_reference_findings(handbook)
    return findings


def uses_findings(doc: GovernedDocument, documents: Mapping[str, GovernedDocument]) -> list[Finding]:
    """``unknown-reference`` for each ``uses:`` entry that names no document of external
    origin: an id the handbook does not have, or one of another kind of document."""
    findings = []
    external = sorted(i for i, d in documents.items() if d.type is DocType.EXTERNAL)
    for ident in doc.uses:
        target = documents.get(ident)
        if target is not None and target.type is DocType.EXTERNAL:
            continue
        if target is None:
            close = difflib.get_close_matches(ident, external, n=3)
            known = f"did you mean {' or '.join(close)}?" if close else f"known: {', '.join(external) or 'none yet'}"
            why = f"{ident!r} is not a document of external origin in the handbook ({known})"
        else:
            why = (
                f"{ident!r} is a {target.type.value}, not a document of external origin (type: external); name "
                f"the handbook's own documents under 'implements'"
            )
        findings.append(Finding(doc.source.path, doc.line_of("uses"), Code.UNKNOWN_REFERENCE, doc.id, f"uses: {why}"))
    return findings


def implements_findings(handbook: Handbook) -> list[Finding]:
    """``implements-cycle``: a document that implements itself, or documents whose
    ``implements`` lead back to where they started (reported once per cycle, on the
    line of the document with the smallest id in it)."""
    documents = {d.id: d for d in handbook.documents}
    edges = {d.id: [t for t in dict.fromkeys(d.implements) if t in documents] for d in handbook.documents}

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo += edges[node]
        return seen

    reach = {ident: reachable(ident) for ident in sorted(edges)}
    findings = []
    reported: set[str] = set()
    for ident in sorted(edges):
        doc = documents[ident]
        if ident in edges[ident]:
            findings.append(
                Finding(doc.source.path, doc.line_of("implements"), Code.IMPLEMENTS_CYCLE, ident,
                        f"implements: {ident!r} is this document itself; a document cannot implement itself: "
                        f"name the policy, document or procedure it puts into practice")
            )  # fmt: skip
        cycle = sorted(other for other in reach[ident] if other != ident and ident in reach[other])
        if not cycle or ident in reported:
            continue
        reported.update(cycle)
        path = _cycle_path(ident, set(cycle) | {ident}, edges)
        findings.append(
            Finding(doc.source.path, doc.line_of("implements"), Code.IMPLEMENTS_CYCLE, ident,
                    f"implements goes round in a cycle: {' -> '.join(path)}; a document implements a policy, "
                    f"document or procedure above it, so one of these 'implements' entries is the wrong way "
                    f"round: remove it")
        )  # fmt: skip
    return findings


def _cycle_path(start: str, members: set[str], edges: Mapping[str, list[str]]) -> list[str]:
    """The shortest way from ``start`` back to itself within one cycle's members."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(edges[node]):
                if target == start and node != start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if target in members and target not in previous and target != start:
                    previous[target] = node
                    following.append(target)
        frontier = following
    return [start, start]


def retired_reference_findings(handbook: Handbook) -> list[Finding]:
    """``retired-reference``: a document or record type still in use (draft or
    approved) owned by a retired role, and an approved document that implements a
    retired one or uses a retired document of external origin."""
    documents = {d.id: d for d in handbook.documents}
    retired = {i for i, d in documents.items() if d.status is Status.RETIRED}
    findings = []
    for doc in handbook.documents:
        if doc.status is Status.RETIRED or doc.status is None:
            continue
        path = doc.source.path
        if doc.owner in retired and doc.owner != doc.id and documents[doc.owner].type is DocType.ROLE:
            findings.append(
                Finding(path, doc.line_of("owner"), Code.RETIRED_REFERENCE, doc.id,
                        f"owner: {doc.owner} is a retired role, so nobody answers for {doc.id}; give it a "
                        f"current role as owner, or bring the role back into use")
            )  # fmt: skip
        for rt in doc.record_types:
            if rt.owner in retired and documents[rt.owner].type is DocType.ROLE:
                findings.append(
                    Finding(path, rt.key_lines.get("owner", rt.source.line), Code.RETIRED_REFERENCE, rt.id,
                            f"owner: {rt.owner} is a retired role, so nobody answers for the records of {rt.id}; "
                            f"give the record type a current role as owner")
                )  # fmt: skip
        if doc.status is Status.APPROVED:
            for target in doc.implements:
                if target in retired and target != doc.id and documents[target].type in IMPLEMENTABLE:
                    findings.append(
                        Finding(path, doc.line_of("implements"), Code.RETIRED_REFERENCE, doc.id,
                                f"implements: {target} {documents[target].title} is retired, but this approved "
                                f"document still implements it; point 'implements' at what replaced it, or "
                                f"retire this document too")
                    )  # fmt: skip
            for target in doc.uses:
                if target in retired and documents[target].type is DocType.EXTERNAL:
                    findings.append(
                        Finding(path, doc.line_of("uses"), Code.RETIRED_REFERENCE, doc.id,
                                f"uses: {target} {documents[target].title} is retired (withdrawn or replaced), but "
                                f"this approved document still relies on it; point 'uses' at the edition or "
                                f"document that replaced it")
                    )  # fmt: skip
    return findings


def _excludable(handbook: Handbook, reference: str) -> bool:
    return _exclusion_refused(handbook, reference) is None


def _exclusion_refused(handbook: Handbook, reference: str) -> str | None:
    """Why the clause ``reference`` names cannot be excluded (``None``: it can).
    Only a control can: a clause its catalogue marks excludable and that has no
    sub-clauses (excluding a theme would hide its controls' own states)."""
    catalogue = handbook.catalogue_of(reference)
    if catalogue is None:
        return "it is not in a catalogue"
    number = split_reference(reference)[1]
    if not catalogue.excludable:
        return f"the {catalogue.standard} catalogue lets no clause be excluded"
    if not catalogue.is_excludable(number):
        starts = ", ".join(repr(p) for p in catalogue.excludable)
        return f"only clauses starting with {starts} of the {catalogue.standard} catalogue may be excluded"
    if catalogue.children(number):
        return "it has sub-clauses: exclude each of them that does not apply, one by one"
    return None


def unknown_clause(handbook: Handbook, key: str, reference: str) -> str:
    """Why ``reference`` under front-matter ``key`` names no clause, and how to write it."""
    catalogue = handbook.catalogue_of(reference)
    if len(handbook.catalogues) == 1 and split_reference(reference)[0] is None:
        # one standard: bare numbers are all an owner needs to know about
        return (
            f"{key}: clause {reference!r} is not in the {handbook.catalogues[0].standard} catalogue; "
            f"use a number from the clause catalogue page, e.g. 8.6.1"
        )
    if catalogue is None:
        return f"{key}: {reference!r} names no configured catalogue; {handbook.reference_help()}"
    return (
        f"{key}: clause {split_reference(reference)[1]!r} is not in the {catalogue.standard} catalogue "
        f"(key {catalogue.key}); {handbook.reference_help()}"
    )


def _record_type_findings(record: Record, record_types: set[str]) -> list[Finding]:
    if record.record_type is None or record.record_type in record_types:
        return []
    close = difflib.get_close_matches(record.record_type, sorted(record_types), n=3)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    return [
        Finding(record.source.path, record.line_of("record_type"), Code.RECORD_UNKNOWN_TYPE, record.id,
                f"record_type: {record.record_type!r} is not declared by any procedure{hint}; "
                f"use the id of a record type declared under record_types: in a document's front matter")
    ]  # fmt: skip


def coverage(
    handbook: Handbook,
    today: date,
    records_up_to_date: Mapping[str, bool] | None = None,
    window_gaps: Mapping[str, Sequence[str]] | None = None,
) -> list[ClauseCoverage]:
    """The coverage of every clause, in catalogue order.

    A clause is *covered* when an approved document in force on ``today``
    satisfies it (or every one of its sub-clauses is covered) **and** the
    records of every record type that evidences it exist for every period that
    ended and fell due within the audit window. With a document but without the
    record of a type's last period whose due date has passed it is *records
    missing* (the work is not being done now); with that record but a missing
    one of an earlier period within the window it is *covered with gaps*. It is
    *declared only* when only documents that are not (or no longer) in force
    satisfy it, or all its sub-clauses are at least declared. Otherwise it is
    *uncovered*. ``records_up_to_date`` maps record type ids to whether their
    last due record exists (absent: it does); ``window_gaps`` maps them to the
    labels of their periods within the audit window whose record is missing
    (absent: none).
    """
    up_to_date = records_up_to_date or {}
    in_window = window_gaps or {}
    # everything below is keyed by need id: unique across catalogues, whatever the reference's spelling
    satisfying: dict[str, list[GovernedDocument]] = {c.need_id: [] for c in handbook.clauses}
    for doc in handbook.documents:
        for clause in filter(None, map(handbook.clause, doc.satisfies)):
            if not any(d is doc for d in satisfying[clause.need_id]):  # 8.1 and 20000-1:8.1 are one clause
                satisfying[clause.need_id].append(doc)
    evidencing: dict[str, list[RecordType]] = {c.need_id: [] for c in handbook.clauses}
    for rt in handbook.record_types:
        for clause in filter(None, map(handbook.clause, rt.evidences)):
            if not any(r is rt for r in evidencing[clause.need_id]):
                evidencing[clause.need_id].append(rt)
    justified: dict[str, tuple[str, Justification]] = {}
    for doc in handbook.documents:
        if doc.in_force(today):
            for j in doc.uncovered_clauses:
                named = handbook.clause(j.clause)
                if named is not None:
                    justified.setdefault(named.need_id, (doc.id, j))

    not_applicable: dict[str, tuple[str, Justification]] = {}
    for doc in handbook.documents:
        if doc.in_force(today):
            for j in doc.excluded:
                named = handbook.clause(j.clause)
                if named is not None and _excludable(handbook, j.clause):
                    not_applicable.setdefault(named.need_id, (doc.id, j))

    stale = {n: tuple(rt.id for rt in rts if not up_to_date.get(rt.id, True)) for n, rts in evidencing.items()}
    gaps = {
        n: tuple(
            PeriodGap(rt.id, label) for rt in sorted(rts, key=lambda r: r.id) for label in in_window.get(rt.id, [])
        )
        for n, rts in evidencing.items()
    }
    rows = []
    for catalogue in handbook.catalogues:
        status: dict[str, tuple[Coverage, bool]] = {}
        # children come after their parents in a catalogue, so walk it backwards
        for clause in reversed(catalogue.clauses):
            docs = satisfying[clause.need_id]
            children = catalogue.children(clause.number)
            all_states = [status[c.number][0] for c in children]
            child_states: list[Coverage] = [s for s in all_states if s is not Coverage.NOT_APPLICABLE]
            own = (
                Coverage.RECORDS_MISSING if stale[clause.need_id]
                else Coverage.COVERED_WITH_GAPS if gaps[clause.need_id]
                else Coverage.COVERED
            )  # fmt: skip
            worst_child = max(child_states, key=_RANK.index) if child_states else None
            if clause.need_id in not_applicable or (all_states and not child_states):
                # excluded, or every sub-clause is: not a gap, and no gap for the parent
                status[clause.number] = (Coverage.NOT_APPLICABLE, clause.need_id not in not_applicable)
            elif any(d.in_force(today) for d in docs):
                status[clause.number] = (own, False)
            elif worst_child in (Coverage.COVERED, Coverage.COVERED_WITH_GAPS, Coverage.RECORDS_MISSING):
                status[clause.number] = (max(own, worst_child, key=_RANK.index), True)
            elif docs:
                status[clause.number] = (Coverage.DECLARED_ONLY, False)
            elif child_states and all(s is not Coverage.UNCOVERED for s in child_states):
                status[clause.number] = (Coverage.DECLARED_ONLY, True)
            else:
                status[clause.number] = (Coverage.UNCOVERED, bool(child_states))

        for clause in catalogue.clauses:
            state, via = status[clause.number]
            rows.append(
                ClauseCoverage(
                    number=clause.number, heading=clause.heading, need_id=clause.need_id,
                    depth=clause.depth, status=state,
                    documents=tuple(sorted(satisfying[clause.need_id], key=lambda d: d.id)),
                    record_types=tuple(sorted(evidencing[clause.need_id], key=lambda r: r.id)),
                    via_subclauses=via,
                    justification=justified.get(clause.need_id)
                    if state not in (Coverage.COVERED, Coverage.NOT_APPLICABLE)
                    else None,
                    leaf=not catalogue.children(clause.number),
                    stale_record_types=stale[clause.need_id],
                    catalogue_key=catalogue.key,
                    excluded=not_applicable.get(clause.need_id),
                    excludable=catalogue.is_excludable(clause.number),
                    gaps=gaps[clause.need_id],
                )
            )  # fmt: skip
    return rows


def coverage_findings(rows: Iterable[ClauseCoverage], where: Mapping[str, Source], bare_key: str) -> list[Finding]:
    """``uncovered-clause`` for every sub-clause-free clause that is not covered
    and not justified; a parent is reported through its sub-clauses. ``where``
    maps catalogue keys to the place the findings point at; clauses of the
    ``bare_key`` catalogue are written as bare numbers, the others as KEY:NUMBER."""
    findings = []
    for row in rows:
        if row.status in (
            Coverage.COVERED, Coverage.COVERED_WITH_GAPS, Coverage.RECORDS_MISSING, Coverage.NOT_APPLICABLE
        ):  # fmt: skip
            # missing records, in the window or not, are reported as `record-missing`, period by period
            continue
        if not row.leaf or row.justification:
            continue
        if row.documents:
            listed = ", ".join(f"{d.id} ({d.status or 'invalid status'})" for d in row.documents)
            detail = f"only documents not in force declare it: {listed}"
        else:
            detail = "no document satisfies it"
        written = row.number if row.catalogue_key == bare_key else f"{row.catalogue_key}:{row.number}"
        place = where[row.catalogue_key]
        findings.append(
            Finding(place.path, place.line, Code.UNCOVERED_CLAUSE, row.need_id,
                    f"clause {row.number} {row.heading} is not covered: {detail}; approve a "
                    f"document with 'satisfies: [{written}]', or justify the gap under "
                    f"'uncovered_clauses' in an approved document")
        )  # fmt: skip
    return findings


#: States an auditor sampling for gaps looks at: all but covered and not applicable.
GAP_STATES = frozenset(
    {Coverage.COVERED_WITH_GAPS, Coverage.RECORDS_MISSING, Coverage.DECLARED_ONLY, Coverage.UNCOVERED}
)


@dataclass(frozen=True)
class Ref:
    """An id inside a reason: a page links it, an export writes it as it is."""

    ident: str


#: Words and ids, in reading order.
Reason = tuple[str | Ref, ...]


def reason_text(reason: Reason) -> str:
    """A reason as plain text (``Ref`` as its id), for the exports."""
    return "".join(part.ident if isinstance(part, Ref) else part for part in reason)


def without_periods(statuses: Mapping[str, RecordTypeStatus]) -> dict[str, str]:
    """Record types that have no periods to count, by id, with what makes them missing instead."""
    out = {}
    for rt_id, status in statuses.items():
        if status.event is not None:
            out[rt_id] = "has no record within its own window"
        elif status.record_type.cadence is None:
            out[rt_id] = "has no valid cadence, so its records cannot be judged"
    return out


def coverage_reason(row: ClauseCoverage, window: str, unscheduled: Mapping[str, str] | None = None) -> Reason:
    """Why ``row`` has its coverage, in words: what satisfies it (or does not), each record type's
    latest due record that is missing (for a type of ``unscheduled``, see :func:`without_periods`,
    what it lacks instead), the missing periods of each within the audit window (``window``, as
    "12 months"), and the justification of a gap. Parts are separated by "; "."""
    no_periods = unscheduled or {}
    parts: list[list[str | Ref]] = []
    state = row.status
    if state is Coverage.NOT_APPLICABLE:
        if row.excluded is None:
            return ("every one of its sub-clauses is excluded",)
        doc_id, excluded = row.excluded
        return ("excluded in ", Ref(doc_id), f": {excluded.reason}")
    if row.via_subclauses:
        parts.append(["no document satisfies it directly: it takes the coverage of its sub-clauses"])
    elif state is Coverage.DECLARED_ONLY:
        listed: list[str | Ref] = ["only documents not in force satisfy it: "]
        for n, doc in enumerate(row.documents):
            listed += [", " if n else "", Ref(doc.id), f" ({doc.status or 'invalid status'})"]
        parts.append(listed)
    elif state is Coverage.UNCOVERED:
        parts.append(["no document satisfies it"])
    else:
        parts.append(["an approved document in force satisfies it"])
    missing: dict[str, int] = {}
    for gap in row.gaps:
        missing[gap.record_type] = missing.get(gap.record_type, 0) + 1

    def periods(count: int) -> str:
        return f"{count} missing period{'' if count == 1 else 's'}"

    for rt_id in row.stale_record_types:
        if rt_id in no_periods:
            parts.append([Ref(rt_id), f" {no_periods[rt_id]}"])
            continue
        # the latest period is among the missing ones: one statement, not two that read as different gaps
        count = missing.pop(rt_id, 0)
        in_all = f" ({periods(count)} in the last {window} in all)" if count else ""
        parts.append(["the latest due record of ", Ref(rt_id), f" is missing{in_all}"])
    for rt_id, count in missing.items():
        parts.append([f"{periods(count)} of ", Ref(rt_id), f" in the last {window}"])
    if state is Coverage.COVERED and row.record_types and not row.via_subclauses:
        parts.append([f"every record due in the last {window} exists"])
    if row.justification is not None:
        doc_id, justification = row.justification
        # a mandatory clause cannot be excluded: a justified gap in it is work still to do
        planned = "" if row.excludable else " (known gap, action planned)"
        parts.append(["justified in ", Ref(doc_id), f": {justification.reason}{planned}"])
    out: list[str | Ref] = []
    for n, part in enumerate(parts):
        out += ["; "] if n else []
        out += part
    return tuple(p for p in out if p != "")


def applicability(rows: Iterable[ClauseCoverage]) -> list[ClauseCoverage]:
    """The rows of a Statement of Applicability: every excludable control (an
    excludable clause without sub-clauses), in catalogue order; its ``excluded``
    says whether and why it does not apply."""
    return [r for r in rows if r.excludable and r.leaf]


@dataclass(frozen=True)
class CoverageSummary:
    covered: int
    records_missing: int
    declared_only: int
    uncovered: int
    justified: int
    not_applicable: int = 0  # excluded controls: not counted in the total
    covered_with_gaps: int = 0

    @property
    def total(self) -> int:
        """The clauses that apply."""
        return self.covered + self.covered_with_gaps + self.records_missing + self.declared_only + self.uncovered


def summarise(rows: Iterable[ClauseCoverage]) -> CoverageSummary:
    rows = list(rows)
    count = {s: sum(1 for r in rows if r.status is s) for s in Coverage}
    return CoverageSummary(
        covered=count[Coverage.COVERED],
        records_missing=count[Coverage.RECORDS_MISSING],
        declared_only=count[Coverage.DECLARED_ONLY],
        uncovered=count[Coverage.UNCOVERED],
        justified=sum(1 for r in rows if r.justification is not None),
        not_applicable=count[Coverage.NOT_APPLICABLE],
        covered_with_gaps=count[Coverage.COVERED_WITH_GAPS],
    )


@dataclass(frozen=True)
class RoleDuties:
    """What one role owns and must produce, from the links (never hand-written)."""

    role_id: str
    owns: tuple[GovernedDocument, ...]
    record_types: tuple[RecordType, ...]
    takes_part_in: tuple[GovernedDocument, ...]


def role_duties(handbook: Handbook, role_id: str) -> RoleDuties:
    docs = sorted(handbook.documents, key=lambda d: d.id)
    return RoleDuties(
        role_id=role_id,
        owns=tuple(d for d in docs if d.owner == role_id),
        record_types=tuple(sorted((rt for rt in handbook.record_types if rt.owner == role_id), key=lambda r: r.id)),
        takes_part_in=tuple(d for d in docs if role_id in d.roles and d.owner != role_id),
    )
