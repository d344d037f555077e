"""What an owner asks for, checked against the handbook: titles (and their slugs),
ids not yet in use, roles, clause numbers, GitHub handles and classifications.
Each check returns the cleaned value or raises :class:`AuthoringError` saying
what to give instead."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from clausewise.authoring.errors import AuthoringError
from clausewise.core.model import Classification, Handbook
from clausewise.sources.metadata import GITHUB_HELP, valid_github_handle


def slug(title: str) -> str:
    """``Capacity management`` -> ``capacity-management``: ASCII letters and digits, single dashes."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
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


def checked_classification(value: str) -> str:
    try:
        return Classification(value).value
    except ValueError:
        allowed = ", ".join(c.value for c in Classification)
        raise AuthoringError(f"--classification {value!r} is not allowed; expected one of {allowed}") from None
