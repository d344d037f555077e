"""New documents: policies, governing documents, procedures, roles and documents
of external origin, each a draft with the next free id of its kind, in the folder its kind lives in, with
a skeleton of headings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from clausewise.authoring.editor import flow_list, scalar
from clausewise.authoring.errors import AuthoringError
from clausewise.authoring.inputs import (
    checked_classification,
    checked_clauses,
    checked_github,
    checked_id,
    checked_role,
    checked_title,
    default_classification,
    next_numbered_id,
    slug,
    titled_id,
)
from clausewise.core.ids import IdKind, IdScheme
from clausewise.core.model import DocType, Handbook, Status
from clausewise.core.settings import DEFAULT_LEVELS
from clausewise.core.urls import dangerous_scheme
from clausewise.sources.frontmatter import front_matter_text

#: Where each kind of document goes in a handbook that has none of that kind yet.
DEFAULT_FOLDERS: Mapping[DocType, str] = {
    DocType.POLICY: "policies",
    DocType.DOCUMENT: "policies",
    DocType.PROCEDURE: "procedures",
    DocType.ROLE: "docs/roles",
    DocType.EXTERNAL: "external",
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
    # identified and controlled here, never copied: the page says how the organisation uses it
    DocType.EXTERNAL: (
        ("What it is", "What the document covers and why the organisation relies on it, in a few sentences."),
        ("How we use it", "The procedures that use it and what they take from it (list them under uses:)."),
        ("Keeping it current", "How a new edition is noticed and adopted, and who is told."),
    ),
}


@dataclass(frozen=True)
class NewFile:
    """A file to create: its handbook-relative path, its text, and what it is."""

    path: str
    text: str
    id: str
    fields: Mapping[str, str]  # the front matter's values as written (quoted ones quoted)
    notes: tuple[str, ...] = ()


#: What a governed folder's name says it holds: the folder a new document of a
#: kind goes to when the handbook has none of that kind yet.
FOLDER_WORDS: Mapping[DocType, tuple[str, ...]] = {
    DocType.POLICY: ("polic",),
    DocType.DOCUMENT: ("polic", "document", "govern"),
    DocType.PROCEDURE: ("procedur", "process"),
    DocType.ROLE: ("role",),
    DocType.EXTERNAL: ("extern",),
}


def folder_for(handbook: Handbook, kind: DocType, governed_paths: Sequence[str] = (), records_path: str = "") -> str:
    """Where documents of ``kind`` live in this handbook: the folder most of them
    are in (on a tie, the first by name); else where policies live for a governing
    document; else the governed folder whose name says it holds that kind
    (``handbook/roles/`` for a role); else the first governed folder that is not
    the records folder; else the default (:data:`DEFAULT_FOLDERS`)."""
    for wanted in (kind, DocType.POLICY) if kind is DocType.DOCUMENT else (kind,):
        counts = Counter(PurePosixPath(d.source.path).parent.as_posix() for d in handbook.documents if d.type is wanted)
        if counts:
            return min(counts, key=lambda folder: (-counts[folder], folder))
    folders = [p.rstrip("/") for p in governed_paths if p.rstrip("/") and p != records_path]
    for word in FOLDER_WORDS[kind]:
        named = [f for f in folders if word in PurePosixPath(f).name.lower()]
        if named:
            return named[0]
    return folders[0] if folders else DEFAULT_FOLDERS[kind]


def checked_file(path: str, option: str = "--file") -> str:
    """A new page's path as given with ``--file``: relative to the handbook, inside it, a ``.md`` file."""
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or not posix.name.endswith(".md") or posix.name == ".md":
        raise AuthoringError(
            f"{option} {path!r}: give a Markdown file inside the handbook, relative to its folder, "
            f"e.g. policies/supplier-policy.md"
        )
    return posix.as_posix()


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
    ids: IdScheme,
    ident: str | None = None,
    owner: str | None,
    satisfies: Sequence[str] = (),
    classification: str | None = None,
    levels: Sequence[str] = DEFAULT_LEVELS,
    github: Sequence[str] = (),
    governed_paths: Sequence[str] = (),
    records_path: str = "",
    file: str | None = None,
    issuer: str | None = None,
    edition: str | None = None,
    location: str | None = None,
) -> NewFile:
    """A new policy, governing document, procedure or role: a draft at version
    0.1 (no effective or review date: it is not approved yet), with ``ident`` (an
    id given with ``--id``) or the next id of its kind (a role's from its title),
    at ``file`` (``--file``) or in the folder its kind lives in (see
    :func:`folder_for`), named after its title, with a skeleton of headings;
    classified ``classification``, else :func:`default_classification`. A document
    of external origin has no version and satisfies no clause: it needs its
    ``issuer``, ``edition`` and ``location`` instead."""
    if kind is DocType.RECORD:
        raise AuthoringError("a record is made with: clausewise new record RECORD_TYPE")
    title = checked_title(title)
    id_kind = IdKind(kind.value)
    if ident is not None:
        ident = checked_id(handbook, ids, id_kind, ident)
    elif kind is DocType.ROLE:
        ident = titled_id(handbook, ids, id_kind, title)
    else:
        ident = next_numbered_id(handbook, ids, id_kind)
    if kind is DocType.ROLE:
        owner = checked_role(handbook, owner or default_role_owner(handbook, ident), "--owner", itself=ident)
    else:
        if not owner:
            raise AuthoringError(f"--owner is required: the id of the role that owns the {kind.value}")
        owner = checked_role(handbook, owner, "--owner")
    if github and kind is not DocType.ROLE:
        raise AuthoringError("--github is for roles only: a document's code owners are its owner role's")
    level = checked_classification(classification or default_classification(levels), levels)
    if kind is DocType.EXTERNAL:
        fields = [("id", ident), ("type", kind.value), ("title", scalar(title)), ("owner", owner),
                  ("status", Status.DRAFT.value), *_external_fields(satisfies, issuer, edition, location),
                  ("classification", level)]  # fmt: skip
    else:
        fields = [
            ("id", ident),
            ("type", kind.value),
            ("title", scalar(title)),
            ("owner", owner),
            ("status", Status.DRAFT.value),
            ("version", f'"{DRAFT_VERSION}"'),
            ("classification", level),
            ("satisfies", flow_list(checked_clauses(handbook, satisfies, "--satisfies"))),
        ]
    handles = checked_github(github)
    if handles:
        fields.append(("github", scalar(handles[0]) if len(handles) == 1 else flow_list(handles)))
    body = "\n".join(f"## {heading}\n\n{prompt}\n" for heading, prompt in SKELETONS[kind])
    if file is not None:
        path = checked_file(file)
    else:
        folder = folder_for(handbook, kind, governed_paths, records_path)
        path = f"{slug(title)}.md" if folder in ("", ".") else f"{folder}/{slug(title)}.md"
    return NewFile(path, front_matter_text(fields) + "\n" + body, ident, dict(fields))


def _external_fields(
    satisfies: Sequence[str], issuer: str | None, edition: str | None, location: str | None
) -> list[tuple[str, str]]:
    """A document of external origin's own keys, as given on the command line."""
    if satisfies:
        raise AuthoringError(
            "--satisfies is not for a document of external origin: it satisfies no clause by itself; "
            "name it under uses: of the procedure that does"
        )
    given = {"--issuer": issuer, "--edition": edition, "--location": location}
    missing = [option for option, value in given.items() if not (value or "").strip()]
    if missing:
        raise AuthoringError(
            f"{', '.join(missing)} required for a document of external origin: who issued it "
            f"(--issuer 'Pennine Fibre Ltd'), the edition that applies (--edition 4.2) and where it is kept "
            f"(--location https://… or a path)"
        )
    assert issuer is not None and edition is not None and location is not None
    where = " ".join(location.split())
    scheme = dangerous_scheme(where)
    if scheme is not None:
        raise AuthoringError(
            f"--location {where!r} uses the {scheme}: scheme, which can run script in a reader's browser; "
            f"give a path or an https:// address"
        )
    return [
        ("issuer", scalar(checked_title(issuer, "--issuer"))),
        ("edition", scalar(" ".join(edition.split()))),
        ("location", scalar(where)),
    ]
