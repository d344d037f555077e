"""What ``clausewise init`` writes: a new handbook that builds, checks clean and
installs clausewise as a package at one pinned version.

Text in, text out: :func:`handbook_files` takes what the person typed, the
catalogues, the day and the version, and returns every file as a path and its
text; the command writes them. The file templates are package data
(``authoring/templates/``): ``handbook/`` mirrors the new handbook's tree
(``.in`` files become the name without it, ``gitignore`` becomes ``.gitignore``,
so that no template is taken for code or configuration of this package),
``forge/`` holds the CI files of each forge. ``@@name@@`` marks a value; every
one must be replaced, or the template and this module disagree.

The first ``clausewise check`` of the new handbook is clean by construction:
every document is approved, in force and reviewed today (the first commit's
date is where git history starts, so an earlier review date is no finding),
the record type's schedule starts today and its first period lasts 12 months,
and every clause that the examples do not satisfy is a known gap of the SMS
implementation plan (``DOC-001``), which the owners shrink as they write.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable

from clausewise.authoring.errors import AuthoringError
from clausewise.core.model import Catalogue
from clausewise.core.settings import conf_py_template

#: The clause each example document satisfies (bare numbers of the first
#: catalogue; every bundled catalogue has them: ``tests/test_init.py``).
EXAMPLE_CLAUSES = {"role_clause": "5.3", "policy_clause": "5.2", "procedure_clause": "9.2"}
#: The folders whose pages must carry front matter.
GOVERNED_PATHS = ("policies/", "procedures/", "roles/", "records/")
#: Why a clause is a known gap of a new handbook.
GAP_REASON = "Not documented yet; planned in this implementation plan"
#: The pages "For auditors" in the order the index lists them; the Statement of
#: Applicability only in a handbook whose catalogues have excludable controls.
AUDIT_PAGES = ("audit/dashboard", "audit/matrix", "audit/reviews", "audit/clauses")
APPLICABILITY_PAGE = "audit/statement-of-applicability"

_MARK = re.compile(r"@@([a-z_]+)@@")


class Forge(StrEnum):
    GITHUB = "github"
    GITLAB = "gitlab"


#: The CI files of each forge: template (in ``templates/forge/``) -> path in the handbook.
FORGE_FILES: dict[Forge, dict[str, str]] = {
    Forge.GITHUB: {
        "pull-request.yml.in": ".github/workflows/pull-request.yml",
        "pages.yml.in": ".github/workflows/pages.yml",
    },
    Forge.GITLAB: {"gitlab-ci.yml.in": ".gitlab-ci.yml"},
}


@dataclass(frozen=True)
class HandbookFile:
    """One file of the new handbook: its path (relative, with ``/``) and its text."""

    path: str
    text: str


def templates() -> Traversable:
    return resources.files("clausewise.authoring") / "templates"


def target_path(template_path: str) -> str:
    """Where a template of ``templates/handbook/`` goes in the new handbook."""
    folder, _, name = template_path.rpartition("/")
    name = name.removesuffix(".in")
    if name in ("gitignore", "pre-commit-config.yaml"):
        name = "." + name
    return f"{folder}/{name}" if folder else name


def check_organisation(organisation: str) -> str:
    """The organisation's name as it goes into conf.py and the pages: one line of text."""
    name = " ".join(organisation.split())
    if not name:
        raise AuthoringError("--organisation is empty: give the organisation's name, e.g. --organisation 'Example Ltd'")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise AuthoringError(f"--organisation {organisation!r}: a name without control characters, e.g. 'Example Ltd'")
    return name


def known_gaps(catalogues: Sequence[Catalogue], satisfied: Sequence[str]) -> list[str]:
    """Every clause without sub-clauses that no example document satisfies, as
    front matter names it (a bare number for the first catalogue, KEY:NUMBER for
    the others), in catalogue order."""
    gaps = []
    for index, catalogue in enumerate(catalogues):
        parents = {c.parent_number for c in catalogue.clauses}
        for clause in catalogue.clauses:
            if clause.number in parents or (index == 0 and clause.number in satisfied):
                continue
            gaps.append(clause.number if index == 0 else clause.reference)
    return gaps


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows it as it is: every ASCII punctuation mark
    escaped, so a name with ``*``, ``[`` or ``<b>`` is text, never markup or HTML."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def conf_settings(organisation: str, names: Sequence[str], today: date) -> str:
    """The ``clausewise_*`` part of conf.py: every setting, as
    :func:`~clausewise.core.settings.conf_py_template` writes it, with the values
    a new handbook needs in place of the defaults."""
    values = {
        "clausewise_organisation": organisation,
        "clausewise_catalogues": list(names),
        "clausewise_governed_paths": list(GOVERNED_PATHS),
        "clausewise_sms_start": today.isoformat(),
        "clausewise_fail_on": "error",
    }
    lines = conf_py_template().splitlines()
    for name, value in values.items():
        index = next((i for i, line in enumerate(lines) if line.startswith(f"{name} = ")), None)
        if index is None:
            raise AssertionError(f"conf_py_template() has no line for {name}")
        lines[index] = f"{name} = {value!r}"
    return "\n".join(lines) + "\n"


def _fill(template: str, values: dict[str, str], origin: str) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise AssertionError(f"{origin}: no value for @@{match.group(1)}@@")
        return values[match.group(1)]

    return _MARK.sub(value, template)


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name == "__pycache__":
            continue
        path = f"{prefix}{item.name}"
        found += _walk(item, path + "/") if item.is_dir() else [(path, item)]
    return found


def handbook_files(
    organisation: str, catalogues: Sequence[Catalogue], names: Sequence[str], forge: Forge, today: date, version: str
) -> list[HandbookFile]:
    """Every file of a new handbook for ``organisation`` that traces to
    ``catalogues`` (configured as ``names``, the first one's clauses written as
    bare numbers), with the CI files of ``forge``, pinned to clausewise ``version``."""
    organisation = check_organisation(organisation)
    first = catalogues[0].by_number()
    missing = [n for n in EXAMPLE_CLAUSES.values() if n not in first]
    if missing:
        raise AuthoringError(
            f"catalogue {names[0]!r} has no clause {', '.join(missing)}, which the example documents "
            f"satisfy; list a catalogue that has them first"
        )
    excludable = any(c.excludable for c in catalogues)
    audit_pages = [*AUDIT_PAGES, APPLICABILITY_PAGE] if excludable else list(AUDIT_PAGES)
    gaps = known_gaps(catalogues, list(EXAMPLE_CLAUSES.values()))
    standards = [c.standard for c in catalogues]
    values = {
        **EXAMPLE_CLAUSES,
        "organisation_text": markdown_text(organisation),
        "organisation": repr(organisation),
        "project": repr(f"{organisation} — Management system handbook"),
        "html_title": repr(html.escape(f"{organisation} — Management system handbook")),
        "copyright": repr(f"{today.year}, {organisation}"),
        "standards_text": " and ".join([", ".join(standards[:-1]), standards[-1]] if len(standards) > 1 else standards),
        "today": today.isoformat(),
        "version": version,
        "audit_pages": "\n".join(audit_pages),
        "clausewise_settings": conf_settings(organisation, names, today),
        "uncovered_clauses": "\n".join(f"  - clause: {gap}\n    reason: {GAP_REASON}" for gap in gaps)
        if gaps
        else "  []",
    }
    files = []
    for path, item in _walk(templates() / "handbook"):
        target = target_path(path)
        if not excludable and target == APPLICABILITY_PAGE + ".md":
            continue
        files.append(HandbookFile(target, _fill(item.read_text(encoding="utf-8"), values, path)))
    for template, target in FORGE_FILES[forge].items():
        text = (templates() / "forge" / template).read_text(encoding="utf-8")
        files.append(HandbookFile(target, _fill(text, values, template)))
    return sorted(files, key=lambda f: f.path)
