"""Record fields across the handbook: what a record's own page cannot check.

A record type declares the fields its records carry (``fields:``, read by
:mod:`clausewise.sources.metadata`, which also checks each record's values against
them, page by page). Two things need the whole handbook:

- an ``id`` field must name a document, record type or record that exists, a
  ``clause`` field a clause of the configured catalogues, and a ``reference`` field
  either (:func:`reference_findings`);
- fields of one name share one need field in sphinx-needs, so every record type that
  declares a name gives it the same type (:func:`clash_findings`; the first
  declaration, in page order, keeps the name: :func:`shared_fields`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from clausewise.core.findings import Code, Finding
from clausewise.core.model import FieldSpec, FieldType, Handbook, RecordType
from clausewise.rules.actions import nonconformity_ids
from clausewise.rules.coverage import unknown_clause


def _declarations(record_types: Iterable[RecordType]) -> Iterable[tuple[RecordType, FieldSpec]]:
    for rt in record_types:
        for spec in rt.fields:
            yield rt, spec


def shared_fields(record_types: Iterable[RecordType]) -> dict[str, tuple[RecordType, FieldSpec]]:
    """Each field name with the first declaration of it (its record type and spec): the type the
    name has in sphinx-needs. A later declaration with another type is reported (:func:`clash_findings`)
    and its records' values of that field are not given to sphinx-needs."""
    first: dict[str, tuple[RecordType, FieldSpec]] = {}
    for rt, spec in _declarations(record_types):
        first.setdefault(spec.name, (rt, spec))
    return first


def clash_findings(handbook: Handbook) -> list[Finding]:
    """``invalid-metadata`` on a field declared with another type than the first declaration of its name."""
    findings = []
    first = shared_fields(handbook.record_types)
    for rt, spec in _declarations(handbook.record_types):
        other_rt, other = first[spec.name]
        if other_rt is rt or other.type_text == spec.type_text:
            continue
        findings.append(
            Finding(rt.source.path, spec.line, Code.INVALID_METADATA, rt.id,
                    f"fields: {spec.name!r} is of type {spec.type_text} here, but of type {other.type_text} in record "
                    f"type {other_rt.id} ({other_rt.source.path}:{other.line}); fields of one name are one need field "
                    f"in sphinx-needs, with one type: give it the type {other.type_text!r}, or another name")
        )  # fmt: skip
    return findings


#: What a clause reference looks like, so that a ``reference`` value that names nothing is reported as
#: the clause or the id it was meant to be: an optional ``KEY:``, an optional letter and dot (``A.``),
#: then numbers and dots (``8.7``, ``27001:A.5.15``). An id has a letter prefix and a dash.
CLAUSE_SHAPE = re.compile(r"^([^:\s]+:)?([A-Za-z]\.)?\d+(\.\d+)*$")


def reference_findings(handbook: Handbook) -> list[Finding]:
    """An ``id`` field's value that is no id of the handbook (``unknown-reference``), a ``clause``
    field's that is no clause of its catalogues (``unknown-clause``), each on the value's line. A
    nonconformity an audit report lists (``rules/actions.py``) is an id too: an action's source names it.
    A ``reference`` field's value is an id of the handbook or a clause: one that is neither is
    ``unknown-clause`` when it is shaped like a clause reference (:data:`CLAUSE_SHAPE`), else
    ``unknown-reference``."""
    known = sorted(
        {d.id for d in handbook.documents}
        | {rt.id for rt in handbook.record_types}
        | {r.id for r in handbook.records}
        | nonconformity_ids(handbook)
    )
    known_set = frozenset(known)
    findings = []
    for record in handbook.records:
        for field in record.fields:
            for index, value in enumerate(field.values):
                line = field.line_of_item(index)
                if field.type is FieldType.REFERENCE:
                    if value in known_set or handbook.clause(str(value)) is not None:
                        continue
                    if CLAUSE_SHAPE.match(str(value)):
                        findings.append(
                            Finding(record.source.path, line, Code.UNKNOWN_CLAUSE, record.id,
                                    unknown_clause(handbook, field.name, str(value)))
                        )  # fmt: skip
                        continue
                    close = difflib.get_close_matches(str(value), known, n=1)
                    fix = f"did you mean {close[0]!r}?" if close else "name a document by its id"
                    findings.append(
                        Finding(record.source.path, line, Code.UNKNOWN_REFERENCE, record.id,
                                f"{field.name}: {value!r} is neither an id of the handbook nor a clause "
                                f"reference; {fix} (a clause is written as its number, e.g. 8.7)")
                    )  # fmt: skip
                elif field.type is FieldType.ID and value not in known_set:
                    close = difflib.get_close_matches(str(value), known, n=1)
                    fix = f"did you mean {close[0]!r}?" if close else "name one of them"
                    findings.append(
                        Finding(record.source.path, line, Code.UNKNOWN_REFERENCE, record.id,
                                f"{field.name}: {value!r} is not an id of a document, record type, record or "
                                f"nonconformity in the handbook; {fix}")
                    )  # fmt: skip
                elif field.type is FieldType.CLAUSE and handbook.clause(str(value)) is None:
                    findings.append(
                        Finding(record.source.path, line, Code.UNKNOWN_CLAUSE, record.id,
                                unknown_clause(handbook, field.name, str(value)))
                    )  # fmt: skip
    return findings
