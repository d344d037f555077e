"""What an owner asks for, checked against the handbook: titles (and their slugs),
ids not yet in use, roles, clause numbers, GitHub handles and classifications.
Each check returns the cleaned value or raises :class:`AuthoringError` saying
what to give instead."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from clausewise.authoring.errors import AuthoringError
from clausewise.core.ids import IdKind, IdScheme, common_prefix, most_common
from clausewise.core.model import Handbook
from clausewise.core.settings import DEFAULT_LEVELS
from clausewise.sources.metadata import GITHUB_HELP, valid_github_handle
from clausewise.sources.recordfile import DEFAULT_CLASSIFICATION  # unless one is given: read by all staff

#: Letters that people write out in ASCII rather than drop an accent from (German
#: umlauts and ß, the Nordic and Old English letters, ligatures); every other letter
#: loses its accents (é -> e, ñ -> n).
TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
     "æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "œ": "oe", "Œ": "Oe", "å": "aa", "Å": "Aa",
     "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "\u0131": "i"}
)  # fmt: skip


def slug(title: str) -> str:
    """``Capacity management`` -> ``capacity-management``, ``Größenänderung`` ->
    ``groessenaenderung``: ASCII letters and digits, single dashes."""
    written_out = unicodedata.normalize("NFC", title).translate(TRANSLITERATION)
    ascii_text = unicodedata.normalize("NFKD", written_out).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def checked_title(title: str, option: str = "--title") -> str:
    title = " ".join(title.split())
    if not slug(title):
        raise AuthoringError(f"{option} {title!r} has no letters or digits; give the title people will see")
    return title


def id_in_use(handbook: Handbook) -> dict[str, str]:
    """Every id in the handbook and where it is: documents, record types, records, clauses."""
    where = {c.need_id: "the clause catalogue" for c in handbook.clauses}
    for doc in handbook.documents:
        where.setdefault(doc.id, doc.source.path)
        for rt in doc.record_types:
            where.setdefault(rt.id, f"{rt.source.path} ({doc.id})")
    for record in handbook.records:
        where.setdefault(record.id, record.source.path)
    return where


def unused_id(handbook: Handbook, ident: str, option: str) -> str:
    where = id_in_use(handbook)
    if ident in where:
        raise AuthoringError(f"the id {ident} is already used in {where[ident]}; choose another {option}")
    return ident


def ids_of_kind(handbook: Handbook, kind: IdKind) -> list[str]:
    """The ids the handbook has of one kind."""
    if kind is IdKind.RECORD_TYPE:
        return [rt.id for rt in handbook.record_types]
    if kind is IdKind.RECORD:
        return [r.id for r in handbook.records]
    return [d.id for d in handbook.documents if d.type.value == kind.value]


def checked_id(handbook: Handbook, ids: IdScheme, kind: IdKind, ident: str) -> str:
    """An id given with ``--id``: of the kind's pattern, and not in use."""
    pattern = ids[kind]
    ident = ident.strip()
    if not pattern.matches(ident):
        raise AuthoringError(f"--id {ident!r} is not a valid {kind.label} id; expected {pattern.description}, "
                             f"e.g. {pattern.example}")  # fmt: skip
    return unused_id(handbook, ident, "--id")


_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def next_numbered_id(handbook: Handbook, ids: IdScheme, kind: IdKind) -> str:
    """The next free id of a numbered kind (documents, policies, procedures):
    among the handbook's ids of the kind that end in a number, those with the most
    common prefix (the text before the number); their highest number plus one,
    zero-padded to their widest number: ``XY-POL-01``, ``XY-POL-07`` -> ``XY-POL-08``.
    A handbook with none starts at 1 with the prefix and width of the kind's
    example (``POL-001``; ``XY-POL-00`` -> ``XY-POL-01``)."""
    pattern = ids[kind]
    found = [(m.group(1), m.group(2)) for ident in ids_of_kind(handbook, kind) if (m := _NUMBERED.match(ident))]
    prefix = most_common(p for p, _ in found)
    if prefix is not None:
        numbers = [n for p, n in found if p == prefix]
        number, width = max(int(n) for n in numbers) + 1, max(len(n) for n in numbers)
    elif m := _NUMBERED.match(pattern.example):
        prefix, number, width = m.group(1), 1, len(m.group(2))
    else:
        raise AuthoringError(
            f"the handbook has no {kind.label} id ending in a number to count on from, and none can be made "
            f"from {pattern.description}: give the new id with --id, e.g. --id {pattern.example}"
        )
    taken = id_in_use(handbook)
    while f"{prefix}{number:0{width}d}" in taken:
        number += 1
    ident = f"{prefix}{number:0{width}d}"
    if not pattern.matches(ident):
        raise AuthoringError(
            f"the next {kind.label} id would be {ident}, which is not {pattern.description}: give the new id with --id"
        )
    return ident


def id_prefix(handbook: Handbook, ids: IdScheme, kind: IdKind) -> str:
    """What a new id of a named kind (roles, record types) starts with: the fixed
    text its pattern starts with (``ROLE-``; ``R-`` for ``R-[A-Z][A-Z0-9-]*``); else
    what the handbook's ids of the kind share up to a dash; else, from its only id,
    the text up to the first dash; else nothing."""
    pattern = ids[kind]
    existing = ids_of_kind(handbook, kind)
    if pattern.prefix:
        return pattern.prefix
    if shared := common_prefix(existing):
        return shared
    if len(set(existing)) == 1 and "-" in existing[0]:
        return existing[0][: existing[0].index("-") + 1]
    return ""


def titled_id(handbook: Handbook, ids: IdScheme, kind: IdKind, title: str) -> str:
    """A new role's or record type's id: :func:`id_prefix` and the title in capitals
    with dashes (``Capacity manager`` -> ``ROLE-CAPACITY-MANAGER``)."""
    pattern = ids[kind]
    prefix = id_prefix(handbook, ids, kind)
    if not prefix:
        raise AuthoringError(
            f"cannot tell how a new {kind.label} id starts: {pattern.description} starts with no fixed text and "
            f"the handbook has no {kind.label} id with a dash to learn it from; give the id with --id, "
            f"e.g. --id {pattern.example}"
        )
    ident = prefix + slug(title).upper()
    if not pattern.matches(ident):
        raise AuthoringError(
            f"the id made from --title, {ident}, is not {pattern.description}: give the id with --id, "
            f"e.g. --id {pattern.example}"
        )
    return unused_id(handbook, ident, "--title")


def checked_role(handbook: Handbook, role: str, option: str, itself: str | None = None) -> str:
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


def checked_clauses(handbook: Handbook, numbers: Iterable[str], option: str) -> tuple[str, ...]:
    out: list[str] = []
    for number in (n.strip() for n in numbers):
        if handbook.clause(number) is None:
            if len(handbook.catalogues) > 1:
                raise AuthoringError(f"{option} {number!r} is not a clause; {handbook.reference_help()}")
            first = handbook.catalogues[0]
            example = first.clauses[-1].number if first.clauses else "8.6.1"
            raise AuthoringError(
                f"{option} {number!r} is not a clause of the {first.standard} catalogue; "
                f"use a number from the clause catalogue page, e.g. {example}"
            )
        if number not in out:
            out.append(number)
    return tuple(out)


def checked_github(handles: Iterable[str]) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(h.strip() for h in handles))
    for handle in out:
        if not valid_github_handle(handle):
            raise AuthoringError(f"--github {handle!r} is not a GitHub user or team; expected {GITHUB_HELP}")
    return out


def default_classification(levels: Sequence[str]) -> str:
    """``internal`` when the handbook has that level; otherwise the owner must choose."""
    if DEFAULT_CLASSIFICATION in levels:
        return DEFAULT_CLASSIFICATION
    raise AuthoringError(
        f"say how it is classified: --classification LEVEL, one of {', '.join(levels)} "
        f"(this handbook has no level {DEFAULT_CLASSIFICATION!r})"
    )


def checked_classification(value: str, levels: Sequence[str] = DEFAULT_LEVELS) -> str:
    """A classification level the handbook has: one of ``levels`` (those ``clausewise_audiences`` names)."""
    if value in levels:
        return value
    raise AuthoringError(
        f"--classification {value!r} is not allowed; expected one of {', '.join(levels)} "
        f"(the levels the handbook's clausewise_audiences names)"
    )
