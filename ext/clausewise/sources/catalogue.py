"""Loading a clause catalogue: numbers and short headings of a standard.

A catalogue is a YAML data file (see ``catalogues/iso20000-1-2018.yaml``).
``clausewise_catalogue`` in ``conf.py`` names a bundled catalogue or a path, so
another standard is another data file, not new code.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from clausewise.core.model import Catalogue, Clause, Confirmation

_NUMBER = re.compile(r"^\d+(\.\d+)*$")


class CatalogueError(Exception):
    """A catalogue file that cannot be used; the message says where and why."""


def bundled_names() -> list[str]:
    folder = resources.files("clausewise.sources") / "catalogues"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def locate(name_or_path: str, srcdir: Path) -> Path:
    """The file for a bundled catalogue name or a path relative to the handbook."""
    candidate = srcdir / name_or_path
    if candidate.is_file():
        return candidate
    bundled = resources.files("clausewise.sources") / "catalogues" / f"{name_or_path}.yaml"
    if bundled.is_file():
        return Path(str(bundled))
    raise CatalogueError(
        f"clausewise_catalogue = {name_or_path!r} is neither a file in the handbook nor a "
        f"bundled catalogue; bundled: {', '.join(bundled_names())}"
    )


def load(path: Path) -> Catalogue:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise CatalogueError(f"{path}:{line}: not valid YAML: {exc.problem}") from None
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read: {exc.strerror}") from None
    return parse(data, str(path))


def parse(data: Any, origin: str) -> Catalogue:
    if not isinstance(data, dict):
        raise CatalogueError(f"{origin}: expected a mapping with standard, id_prefix, notice and clauses")
    for key in ("standard", "id_prefix", "notice", "clauses"):
        if key not in data:
            raise CatalogueError(f"{origin}: missing key {key!r}")
    prefix = str(data["id_prefix"])
    if not re.match(r"^[A-Z][A-Z0-9]*$", prefix):
        raise CatalogueError(f"{origin}: id_prefix {prefix!r} must be upper-case letters and digits")
    clauses: list[Clause] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["clauses"] or []):
        where = f"{origin}: clause entry {index + 1}"
        if not isinstance(raw, dict) or not {"number", "heading"} <= raw.keys():
            raise CatalogueError(f"{where}: expected a mapping with number, heading and confirmation")
        number = str(raw["number"])
        if not _NUMBER.match(number):
            raise CatalogueError(f"{where}: number {number!r} is not like 8.3.4.1")
        if number in seen:
            raise CatalogueError(f"{where}: clause {number} is listed twice")
        try:
            confirmation = Confirmation(raw.get("confirmation", "confirmed"))
        except ValueError:
            allowed = ", ".join(c.value for c in Confirmation)
            raise CatalogueError(f"{where}: confirmation must be one of {allowed}") from None
        # dots would read as sphinx-needs "need parts" (ID.part), so the need id uses dashes
        clause = Clause(number, str(raw["heading"]), confirmation, f"{prefix}-{number.replace('.', '-')}")
        if clause.parent_number is not None and clause.parent_number not in seen:
            raise CatalogueError(f"{where}: clause {number} comes before its parent {clause.parent_number}")
        seen.add(number)
        clauses.append(clause)
    return Catalogue(
        standard=str(data["standard"]),
        title=str(data.get("title", "")),
        id_prefix=prefix,
        notice=" ".join(str(data["notice"]).split()),
        clauses=tuple(clauses),
    )
