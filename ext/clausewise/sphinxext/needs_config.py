"""The sphinx-needs vocabulary of a clausewise handbook: need types, fields, links.

clausewise validates front matter itself (with file and line); these schemas are
the second line of defence, so that sphinx-needs also rejects a wrong value in a
need created by hand or through ``sphinx_needs.api``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from clausewise.core.ids import IdScheme
from clausewise.core.model import Confirmation, FieldScalar, FieldSpec, FieldType, Record, RecordField

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

#: Need type directive -> (title, colour for diagrams); every type but ``clause``
#: is a kind of :class:`~clausewise.core.ids.IdKind` with the same name.
NEED_TYPES: dict[str, tuple[str, str]] = {
    "clause": ("Clause", "#E6E6E6"),
    "document": ("Governing document", "#BFD8D2"),
    "policy": ("Policy", "#BFD8D2"),
    "procedure": ("Procedure", "#FEDCD2"),
    "role": ("Role", "#DCB239"),
    "record_type": ("Record type", "#DF744A"),
    "record": ("Record", "#F4E1C1"),
    "external": ("Document of external origin", "#D5D5EA"),
    "service": ("Service", "#C9E4F5"),
    "supplier": ("Supplier", "#C9E4CA"),
}


def need_type_prefix(directive: str, ids: IdScheme) -> str:
    """The prefix sphinx-needs gives a need type (it only uses it for needs without
    an id, which clausewise never creates): the fixed start of the kind's pattern."""
    return "CL-" if directive == "clause" else ids[directive].prefix


def _nullable_string(description: str, **schema: Any) -> dict[str, Any]:
    return {"description": description, "nullable": True, "schema": {"type": "string", **schema}}


NEEDS_FIELDS: dict[str, dict[str, Any]] = {
    "version": _nullable_string("Version of a governed document.", pattern=r"^\d+(\.\d+)*$"),
    "effective": _nullable_string("Date the document came into force.", pattern=DATE_PATTERN),
    "reviewed": _nullable_string("Date of the last review.", pattern=DATE_PATTERN),
    "review_interval": _nullable_string("Time between reviews.", pattern=r"^\d+ (month|months|year|years)$"),
    # its values are the handbook's classification levels: see needs_fields
    "classification": _nullable_string("Information classification."),
    "cadence": _nullable_string(
        "How often a record type is produced.",
        pattern=r"^(daily|weekly|monthly|quarterly|half-yearly|yearly|every \d+ (weeks?|months?)|per event)$",
    ),
    "period": _nullable_string("Period a record covers."),
    "produced": _nullable_string("Date a record was produced.", pattern=DATE_PATTERN),
    "produced_by": _nullable_string("Who produced a record."),
    "clause_number": _nullable_string(
        "Number of a clause in its standard.", pattern=r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$"
    ),
    "confirmation": _nullable_string("How far a clause heading is confirmed.", enum=[c.value for c in Confirmation]),
    "issuer": _nullable_string("Who issued a document of external origin."),
    "edition": _nullable_string("The edition of a document of external origin that applies."),
    "location": _nullable_string("Where a document of external origin is kept."),
}


def needs_fields(levels: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """:data:`NEEDS_FIELDS`, with ``classification`` limited to the handbook's
    classification levels (those ``clausewise_audiences`` names)."""
    classification = NEEDS_FIELDS["classification"]
    schema = {**classification["schema"], "enum": list(levels)}
    return {**NEEDS_FIELDS, "classification": {**classification, "schema": schema}}


#: The JSON schema of one value of each record field type.
_FIELD_ITEM_SCHEMAS: dict[FieldType, dict[str, Any]] = {
    FieldType.TEXT: {"type": "string"},
    FieldType.INTEGER: {"type": "integer"},
    FieldType.NUMBER: {"type": "number"},
    FieldType.DATE: {"type": "string", "format": "date", "pattern": DATE_PATTERN},
    FieldType.BOOLEAN: {"type": "boolean"},
    FieldType.CHOICE: {"type": "string"},
    FieldType.ID: {"type": "string"},
    FieldType.CLAUSE: {"type": "string"},
    FieldType.REFERENCE: {"type": "string"},
}


def record_need_fields(declared: Mapping[str, tuple[FieldSpec, ...]]) -> dict[str, dict[str, Any]]:
    """The need field of each record field name the record types declare (record type id -> its
    fields, in page order): the first declaration of a name gives its type (a later one of
    another type is reported by ``rules.fields.clash_findings``, and its values are not given to
    sphinx-needs); a choice takes the values of every declaration of that type."""
    first: dict[str, FieldSpec] = {}
    values: dict[str, list[str]] = {}
    for specs in declared.values():
        for spec in specs:
            kept = first.setdefault(spec.name, spec)
            if kept.type_text == spec.type_text:
                values.setdefault(spec.name, []).extend(v for v in spec.values if v not in values[spec.name])
    out = {}
    for name, spec in first.items():
        item = dict(_FIELD_ITEM_SCHEMAS[spec.type])
        if spec.type is FieldType.CHOICE:
            item["enum"] = values[name]
        schema = {"type": "array", "items": item} if spec.many else item
        description = spec.help or f"A record field ({spec.type_text})."
        out[name] = {"description": description, "nullable": True, "schema": schema, "type_text": spec.type_text}
    return out


def _need_value(value: FieldScalar) -> str | int | float | bool:
    return value.isoformat() if isinstance(value, date) else value


def record_field_values(record: Record, need_fields: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A record's field values as its need carries them: those whose name has the same type in
    sphinx-needs (:func:`record_need_fields`); a date as YYYY-MM-DD, a list as a list."""
    out: dict[str, Any] = {}
    for field in record.fields:
        spec = need_fields.get(field.name)
        if spec is None or spec["type_text"] != _type_text(field):
            continue
        values = [_need_value(v) for v in field.values]
        out[field.name] = values if field.many else values[0]
    return out


def _type_text(field: RecordField) -> str:
    return f"list of {field.type.value}" if field.many else field.type.value


NEEDS_LINKS: dict[str, dict[str, Any]] = {
    "satisfies": {
        "description": "Clauses a document addresses.",
        "outgoing": "satisfies", "incoming": "satisfied by", "target_types": ["clause"],
    },
    "owner": {
        "description": "The role that owns a document or record type.",
        "outgoing": "owned by", "incoming": "owns", "target_types": ["role"],
        # clausewise reports an unknown owner itself, with file and line
        "allow_dead_links": True,
    },
    "implements": {
        "description": "Policies or documents a document implements.",
        "outgoing": "implements", "incoming": "implemented by",
        "target_types": ["policy", "document", "procedure"], "allow_dead_links": True,
    },
    "involves": {
        "description": "Roles with duties in a document.",
        "outgoing": "involves", "incoming": "takes part in", "target_types": ["role"],
        "allow_dead_links": True,
    },
    "requires": {
        "description": "Record types a procedure requires.",
        "outgoing": "requires records", "incoming": "required by", "target_types": ["record_type"],
        "allow_dead_links": True,
    },
    "evidences": {
        "description": "Clauses a record type evidences.",
        "outgoing": "evidences", "incoming": "evidenced by", "target_types": ["clause"],
    },
    "uses": {
        "description": "Documents of external origin a document relies on.",
        "outgoing": "uses", "incoming": "used by", "target_types": ["external"], "allow_dead_links": True,
    },
    "record_of": {
        "description": "The record type a record belongs to.",
        "outgoing": "record of", "incoming": "records", "target_types": ["record_type"],
        "allow_dead_links": True,
    },
}  # fmt: skip


def needs_settings(ids: IdScheme) -> dict[str, Any]:
    """The ``needs_*`` config values clausewise sets (need types and fields are
    registered through sphinx-needs' API instead, so a handbook's own are kept).
    ``needs_id_regex`` accepts every id the handbook's id patterns accept."""
    return {
        "needs_links": NEEDS_LINKS,
        "needs_id_required": True,
        "needs_id_regex": ids.needs_id_regex(),
        "needs_title_optional": False,
        "needs_build_json": True,
        # no creation time in needs.json: the same handbook gives the same file
        "needs_reproducible_json": True,
        # {need}`PRC-017` shows the whole title, not its first 30 characters
        "needs_role_need_max_title_length": -1,
    }
