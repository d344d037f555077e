"""A new record's file: its title, id, classification and text, declared once.

Two writers make the same file: ``clausewise new record`` (:mod:`clausewise.authoring.records`,
which also checks what the owner typed) and the record grid's "Add the missing record"
links, which open the forge's web editor with the file prefilled
(:mod:`clausewise.pipeline.editlinks`, rendered by ``sphinxext``). The layers keep the
build's glue from importing ``authoring``, so what both write lives here, below both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from clausewise.core.ids import IdKind, IdScheme, most_common
from clausewise.core.model import Handbook, Record, RecordStatus, RecordType
from clausewise.sources.frontmatter import front_matter_text, scalar
from clausewise.sources.recordbody import scaffold_body

#: The classification a new page takes when nothing else says, if the handbook has that level.
DEFAULT_CLASSIFICATION = "internal"

#: Words a record type's title may start with that a record's period already says.
#: ("Daily log" keeps its word: a date does not say that it is one of many.)
_CADENCE_WORDS = frozenset({"weekly", "monthly", "quarterly", "half-yearly", "six-monthly", "yearly", "annual"})
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


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


def record_classification(handbook: Handbook, rt: RecordType, last: Record | None, levels: Sequence[str]) -> str:
    """How a new record of ``rt`` is classified when the owner does not say: as its type's
    last record, else as the document that declares the type, else :data:`DEFAULT_CLASSIFICATION`
    when the handbook has that level; "" when none of these is known (the owner must choose)."""
    declaring = next((d for d in handbook.documents if d.id == rt.declared_in), None)
    chosen = (last.classification if last else None) or (declaring.classification if declaring else None)
    return chosen or (DEFAULT_CLASSIFICATION if DEFAULT_CLASSIFICATION in levels else "")


def record_fields(
    ident: str,
    rt: RecordType,
    label: str,
    *,
    produced: date,
    produced_by: str,
    classification: str,
    evidence: str | None,
) -> list[tuple[str, str]]:
    """A new record's front matter, as (key, YAML text) in the order written: a draft
    (``status: draft``: not evidence until it is filled in and approved) of ``rt`` for
    the period ``label``. Values are taken as given: the writer checks them first."""
    return [
        ("id", ident),
        ("type", "record"),
        ("title", scalar(record_title(rt, label))),
        ("record_type", rt.id),
        ("period", label),
        ("produced", produced.isoformat()),
        ("produced_by", scalar(produced_by)),
        ("classification", classification),
        ("status", RecordStatus.DRAFT.value),
        (
            ("evidence", scalar(evidence.strip()))
            if evidence
            else ("# evidence: a link to the full record (document system, ticket tool), or a file beside it", "")
        ),
        # the fields its record type declares, empty: a draft may leave even a required one empty
        *((f"{spec.name}:", "") for spec in rt.fields),
    ]


def record_text(fields: Sequence[tuple[str, str]]) -> str:
    """A new record's whole file: its front matter and the scaffold's body
    (:func:`~clausewise.sources.recordbody.scaffold_body`)."""
    return front_matter_text(fields) + "\n" + scaffold_body()
