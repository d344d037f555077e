"""What a record type's ``kind:`` asks of its ``fields:``.

A kind gives meaning to fields of fixed names: a record type of kind ``action``
must declare ``raised``, ``due`` and the rest, with the types below, so that its
register and rules (``rules/actions.py``, ``rules/audits.py``,
``rules/review_inputs.py``) can read them. The organisation still declares every
field itself, with its own ``help:`` and allowed values, and may add fields of
its own: the declaration stays in the handbook, where owners read it, and this
table is the one place that says what each kind needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clausewise.core.findings import Code, Finding
from clausewise.core.model import FieldSpec, FieldType, RecordKind, RecordType


@dataclass(frozen=True)
class KindField:
    """A field a kind reads: its name, type, whether the record type must declare it, and why."""

    name: str
    type: FieldType
    many: bool
    required: bool  # the record type must declare it (else it is optional, but read when declared)
    meaning: str

    @property
    def type_text(self) -> str:
        return f"list of {self.type.value}" if self.many else self.type.value


DATE, ID, CHOICE, BOOLEAN = FieldType.DATE, FieldType.ID, FieldType.CHOICE, FieldType.BOOLEAN
TEXT, INTEGER, NUMBER = FieldType.TEXT, FieldType.INTEGER, FieldType.NUMBER
REFERENCE = FieldType.REFERENCE

#: The fields each kind reads, in the order a record type is best written with them.
KIND_FIELDS: dict[RecordKind, tuple[KindField, ...]] = {
    RecordKind.ACTION: (
        KindField("raised", DATE, False, True, "the day the action was raised"),
        KindField("source", ID, False, True,
                  "what raised it: an audit report, incident, complaint, review or a nonconformity's id"),
        KindField("kind", CHOICE, False, True, "nonconformity, observation or improvement"),
        KindField("action_owner", ID, False, True, "the role that owns the action"),
        KindField("due", DATE, False, True, "the day it must be closed by"),
        KindField("closed", DATE, False, True, "the day it was closed; empty while open"),
        KindField("effectiveness_checked", DATE, False, False, "the day its effectiveness was checked"),
        KindField("was_effective", BOOLEAN, False, False, "whether the check found it effective"),
        KindField("follow_up", ID, False, False, "the action that follows one that was not effective"),
    ),
    RecordKind.AUDIT: (
        KindField("audited", REFERENCE, True, True,
                  "what the audit covered: clause references and the ids of the documents audited"),
        KindField("nonconformities", TEXT, True, False,
                  "the ids of the nonconformities it found, e.g. NC-2026-01, each named by an action's source"),
    ),
    RecordKind.MANAGEMENT_REVIEW: (
        # the keys of the record type's inputs: (a list of text, not a choice, so that the inputs are
        # written once, with their wording, where the review's record type is declared)
        KindField("inputs_covered", TEXT, True, True, "the keys of the inputs the review considered"),
        KindField("decisions", TEXT, True, False, "the review's decisions and outputs, one a line"),
        KindField("decision_actions", ID, True, False, "the actions the review decided, by their ids"),
    ),
    RecordKind.SUPPLIER_REVIEW: (
        KindField("suppliers", ID, True, True, "the suppliers the review covered, by their ids (type: supplier)"),
    ),
    RecordKind.SURVEY: (
        KindField("responses", INTEGER, False, True, "how many customers answered, 0 or more"),
        KindField("satisfaction", NUMBER, False, False, "the average satisfaction score, on the record type's scale"),
        KindField("nps", INTEGER, False, False, "the net promoter score, -100 to 100"),
    ),
    RecordKind.COMPLAINT: (
        KindField("received", DATE, False, True, "the day the complaint was received"),
        KindField("customer", TEXT, False, True, "who complained: the customer's name"),
        KindField("responded", DATE, False, True, "the day the customer was answered; empty until then"),
        KindField("resolved", DATE, False, True, "the day the complaint was resolved; empty while open"),
        KindField("service", ID, False, False, "the service complained about"),
    ),
}  # fmt: skip


def _declared(rt: RecordType) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in rt.fields}


def declaration_findings(record_types: Iterable[RecordType]) -> list[Finding]:
    """``invalid-metadata`` on a record type of a kind that does not declare a field the kind
    needs (on its ``kind:`` line), or declares one with another type (on the field's line)."""
    findings = []
    for rt in record_types:
        if rt.kind is None:
            continue
        declared = _declared(rt)
        for wanted in KIND_FIELDS[rt.kind]:
            spec = declared.get(wanted.name)
            if spec is None:
                if wanted.required:
                    findings.append(
                        Finding(rt.source.path, rt.line_of("kind"), Code.INVALID_METADATA, rt.id,
                                f"kind: a record type of kind {rt.kind.value!r} must declare the field "
                                f"{wanted.name!r} ({wanted.meaning}); add "
                                f"'{wanted.name}: {{type: {wanted.type_text}}}' under its fields")
                    )  # fmt: skip
            elif spec.type is not wanted.type or spec.many is not wanted.many:
                findings.append(
                    Finding(rt.source.path, spec.line, Code.INVALID_METADATA, rt.id,
                            f"fields: {spec.name!r} is of type {spec.type_text}, but a record type of kind "
                            f"{rt.kind.value!r} reads it as {wanted.type_text} ({wanted.meaning}); give it the "
                            f"type {wanted.type_text!r}")
                )  # fmt: skip
    return findings


def field_of(rt: RecordType, name: str) -> FieldSpec | None:
    """The record type's declaration of a kind's field, if it declares it with the kind's type."""
    spec = _declared(rt).get(name)
    wanted = next((k for k in KIND_FIELDS.get(rt.kind, ()) if k.name == name), None) if rt.kind else None
    if spec is None or (wanted is not None and (spec.type is not wanted.type or spec.many is not wanted.many)):
        return None
    return spec
