"""Management reviews: the inputs each must consider, and the ones a review skipped.

The organisation lists the inputs in its own words on the record type of kind
``management-review`` (``inputs:``, read by :mod:`clausewise.sources.metadata`); each
review names the keys it covered (``inputs_covered``), its decisions and the actions
it decided (``decisions``, ``decision_actions``: :data:`clausewise.rules.kinds.KIND_FIELDS`).

- a key a review names that the list does not hold is ``invalid-metadata`` on its item's
  line, with the nearest key (:func:`input_findings`);
- a current review (not a draft, not retired) that skipped inputs is ``review-input-missing``,
  naming them, on its ``inputs_covered`` line (its ``record_type`` line when it has none);
- a review is judged against the list as it is today, except for an input with a ``since:``
  date, which reviews produced before that day are not judged on (:func:`judged_inputs`);
- a record type with ``inputs:`` that is not of kind ``management-review``, and one of that
  kind without them, is ``invalid-metadata`` (:func:`declaration_findings`);
- a ``decision_actions`` item that names a record which is not an action is ``invalid-metadata``
  (:func:`decision_action_findings`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from clausewise.core.findings import Code, Finding
from clausewise.core.model import Handbook, Record, RecordKind, RecordStatus, RecordType, ReviewInput
from clausewise.rules.kinds import field_of


@dataclass(frozen=True)
class UnknownInput:
    """A key a review's ``inputs_covered`` names that its record type does not list."""

    key: str
    line: int
    nearest: str | None


@dataclass(frozen=True)
class ReviewInputs:
    """What one management review considered, against its record type's list."""

    record: Record
    covered: tuple[ReviewInput, ...]
    #: the inputs it is judged on and did not name, in the list's order
    skipped: tuple[ReviewInput, ...]
    unknown: tuple[UnknownInput, ...]


def review_record_types(record_types: Iterable[RecordType]) -> tuple[RecordType, ...]:
    return tuple(rt for rt in record_types if rt.kind is RecordKind.MANAGEMENT_REVIEW)


def judged_inputs(rt: RecordType, record: Record) -> tuple[ReviewInput, ...]:
    """The inputs ``record`` is judged on: the list, but those added (``since:``) after it was produced."""
    return tuple(i for i in rt.inputs if i.since is None or record.produced is None or record.produced >= i.since)


def review_inputs(rt: RecordType, record: Record) -> ReviewInputs:
    """The inputs ``record`` (a review of ``rt``) covered, skipped and named without their being listed."""
    spec = field_of(rt, "inputs_covered")
    written = record.field("inputs_covered") if spec is not None else None
    named = [str(v) for v in written.values] if written is not None else []
    keys = [i.key for i in rt.inputs]
    unknown = tuple(
        UnknownInput(key, written.line_of_item(index), next(iter(difflib.get_close_matches(key, keys, n=1)), None))
        for index, key in enumerate(named)
        if key not in keys and written is not None
    )
    covered = tuple(i for i in rt.inputs if i.key in named)
    skipped = tuple(i for i in judged_inputs(rt, record) if i.key not in named)
    return ReviewInputs(record, covered, skipped, unknown)


def _record_types_by_id(handbook: Handbook) -> dict[str, RecordType]:
    found: dict[str, RecordType] = {}
    for rt in handbook.record_types:
        found.setdefault(rt.id, rt)
    return found


def reviews(handbook: Handbook) -> list[tuple[RecordType, Record]]:
    """Every record of a record type of kind ``management-review``, with its type, in page order."""
    by_id = _record_types_by_id(handbook)
    return [
        (rt, record)
        for record in handbook.records
        if record.record_type is not None
        and (rt := by_id.get(record.record_type)) is not None
        and rt.kind is RecordKind.MANAGEMENT_REVIEW
    ]


def declaration_findings(record_types: Iterable[RecordType]) -> list[Finding]:
    """``invalid-metadata`` on ``inputs:`` of a record type that is not of kind ``management-review``
    (nothing would read it), and on the ``kind:`` of one that is, without ``inputs:``."""
    findings = []
    for rt in record_types:
        if rt.inputs and rt.kind is not RecordKind.MANAGEMENT_REVIEW:
            findings.append(
                Finding(rt.source.path, rt.line_of("inputs"), Code.INVALID_METADATA, rt.id,
                        "inputs: only a record type of kind 'management-review' lists the inputs its records "
                        "must consider; add 'kind: management-review', or remove 'inputs'")
            )  # fmt: skip
        elif rt.kind is RecordKind.MANAGEMENT_REVIEW and not rt.inputs and "inputs" not in rt.key_lines:
            findings.append(
                Finding(rt.source.path, rt.line_of("kind"), Code.INVALID_METADATA, rt.id,
                        "kind: a record type of kind 'management-review' lists the inputs every review must "
                        "consider; add 'inputs:' with one entry a line, e.g. "
                        "- {key: audit-results, text: Results of internal and external audits}")
            )  # fmt: skip
    return findings


def input_findings(handbook: Handbook) -> list[Finding]:
    """Each review's keys that its record type does not list (``invalid-metadata``, every status: a
    wrong value is wrong in a draft too), and the inputs a current review skipped (``review-input-missing``)."""
    findings = []
    for rt, record in reviews(handbook):
        if not rt.inputs or field_of(rt, "inputs_covered") is None:
            continue  # no list to judge against: declaration_findings says so
        result = review_inputs(rt, record)
        listed = ", ".join(i.key for i in rt.inputs)
        for unknown in result.unknown:
            fix = f"did you mean {unknown.nearest!r}?" if unknown.nearest else f"the inputs are {listed}"
            findings.append(
                Finding(record.source.path, unknown.line, Code.INVALID_METADATA, record.id,
                        f"inputs_covered: {unknown.key!r} is not an input record type {rt.id} lists "
                        f"({rt.source.path}:{rt.line_of('inputs')}); {fix}")
            )  # fmt: skip
        if record.status is not RecordStatus.CURRENT or not result.skipped:
            continue
        names = "; ".join(f"{i.key} ({i.text})" for i in result.skipped)
        line = record.line_of("inputs_covered" if "inputs_covered" in record.key_lines else "record_type")
        findings.append(
            Finding(record.source.path, line, Code.REVIEW_INPUT_MISSING, record.id,
                    f"management review {record.id} did not cover {len(result.skipped)} of the "
                    f"{len(judged_inputs(rt, record))} inputs record type {rt.id} lists: {names}; consider them "
                    f"at the next review, or add their keys to inputs_covered if this one did")
        )  # fmt: skip
    return findings


def decision_action_findings(handbook: Handbook) -> list[Finding]:
    """``invalid-metadata`` on a ``decision_actions`` item that names a record of the handbook whose
    record type is not of kind ``action`` (an id that names nothing is ``unknown-reference`` already)."""
    by_id = _record_types_by_id(handbook)
    records = {r.id: r for r in handbook.records}
    findings = []
    for _, record in reviews(handbook):
        written = record.field("decision_actions")
        for index, value in enumerate(written.values if written is not None else ()):
            target = records.get(str(value))
            target_type = by_id.get(target.record_type or "") if target is not None else None
            if target is None or (target_type is not None and target_type.kind is RecordKind.ACTION):
                continue
            actions = sorted(rt.id for rt in by_id.values() if rt.kind is RecordKind.ACTION)
            expected = f"a record of {', '.join(actions)}" if actions else "a record of a record type of kind 'action'"
            findings.append(
                Finding(record.source.path, written.line_of_item(index) if written else 0, Code.INVALID_METADATA,
                        record.id, f"decision_actions: {value!r} is a record of {target.record_type}, not an "
                        f"action; expected {expected}")
            )  # fmt: skip
    return findings
