"""Loading clause catalogues: numbers and short headings of a standard.

A catalogue is a YAML data file (see ``catalogues/iso20000-1-2018.yaml``).
``clausewise_catalogues`` (or the single ``clausewise_catalogue``) in ``conf.py``
names bundled catalogues or files in the handbook, so another standard is another
data file, not new code.

The file is read with YAML's composer, which keeps every node's line, so a
mistake in a handbook's own catalogue is reported as ``file:line: what and how to
fix it``, never as a traceback. Scalars are taken as written (``4.10`` stays
``4.10``, not the float 4.1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from clausewise.core.model import Catalogue, Clause, Confirmation
from clausewise.sources import bounded_yaml
from clausewise.sources.schema import CATALOGUE_KEYS, Where, names_of, required_names
from clausewise.sources.text import UndecodableError, read_text

#: Parts of letters or digits joined by dots, as standards write them: 8.3.4.1, A.5.15.
_NUMBER = re.compile(r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*\Z")
#: A short name used in references ``KEY:NUMBER``: 20000-1, 27001, 9001.
_KEY = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*\Z")
_ID_PREFIX = re.compile(r"^[A-Z][A-Z0-9]*\Z")
#: An excludable prefix: the start of clause numbers, e.g. ``A.`` or ``A.5``.
_EXCLUDABLE = re.compile(r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*\.?\Z")
#: Longer than this is no longer a heading: the standard's text does not belong in a catalogue.
MAX_HEADING = 120

# the keys, and which are required, are declared once in sources/schema.py (the
# reference's {catalogue-schema} renders the same declaration)
_TOP_KEYS = names_of(Where.CATALOGUE, CATALOGUE_KEYS)
_REQUIRED = required_names(Where.CATALOGUE, CATALOGUE_KEYS)
_CLAUSE_KEYS = names_of(Where.CLAUSE, CATALOGUE_KEYS)
_CLAUSE_REQUIRED = required_names(Where.CLAUSE, CATALOGUE_KEYS)


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
        f"catalogue {name_or_path!r} is neither a file in the handbook nor a "
        f"bundled catalogue; bundled: {', '.join(bundled_names())}"
    )


def shown_path(path: Path, srcdir: Path) -> str:
    """How messages name a catalogue file: relative to the handbook, else its full path."""
    resolved, root = path.resolve(), srcdir.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)


def load(path: Path, origin: str | None = None) -> Catalogue:
    """One catalogue file; ``origin`` is how messages name it (default: the path)."""
    origin = origin or str(path)
    try:
        text = read_text(path)
    except OSError as exc:
        raise CatalogueError(f"{origin}: cannot be read: {exc.strerror}") from None
    except UndecodableError as exc:
        raise CatalogueError(f"{origin}:{exc.line}: {exc.message}") from None
    try:
        node = bounded_yaml.compose(text, yaml.SafeLoader)
    except bounded_yaml.BoundsError as exc:
        raise CatalogueError(f"{origin}:{exc.line + 1}: the catalogue cannot be read: {exc.message}") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise CatalogueError(f"{origin}:{line}: not valid YAML: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise CatalogueError(
            f"{origin}:{line}: contains a character YAML does not allow: U+{exc.character:04X}; delete it "
            "(it is often invisible: retype the line)"
        ) from None
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{origin}: not valid YAML: {exc}") from None
    return parse(node, origin)


def load_all(names: Sequence[str], srcdir: Path) -> tuple[tuple[Catalogue, ...], tuple[Path, ...]]:
    """The configured catalogues, in order, and their files. Two catalogues with
    the same key or the same need-id prefix are an error: references and need
    ids must say which standard they mean."""
    catalogues: list[Catalogue] = []
    paths: list[Path] = []
    origins: list[str] = []
    for name in names:
        path = locate(name, srcdir)
        origin = shown_path(path, srcdir)
        loaded = load(path, origin)
        for other, other_origin in zip(catalogues, origins, strict=True):
            if other.key == loaded.key:
                raise CatalogueError(
                    f"{origin}: key {loaded.key!r} is also the key of {other_origin}; give each catalogue "
                    f"its own short key, e.g. key: 27001"
                )
            if other.id_prefix == loaded.id_prefix:
                raise CatalogueError(
                    f"{origin}: id_prefix {loaded.id_prefix!r} is also the id_prefix of {other_origin}, "
                    f"so their clauses' need ids would collide; give each catalogue its own id_prefix"
                )
        catalogues.append(loaded)
        paths.append(path)
        origins.append(origin)
    return tuple(catalogues), tuple(paths)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _shown(node: Node) -> str:
    """A node as messages show it: its text quoted, or what it is instead of a text."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    return repr(str(node.value))


def _mapping(node: Node, origin: str, what: str, allowed: Iterable[str]) -> dict[str, tuple[int, Node]]:
    """A YAML mapping as key -> (line of the key, value node); unknown and repeated keys are errors."""
    if not isinstance(node, MappingNode):
        raise CatalogueError(f"{origin}:{_line(node)}: expected {what}")
    known = tuple(allowed)
    out: dict[str, tuple[int, Node]] = {}
    for key_node, value in node.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        if key not in known:
            shown = f"unknown key {key!r}" if key is not None else f"a key that is {_shown(key_node)}"
            raise CatalogueError(f"{origin}:{_line(key_node)}: {shown} in {what}; expected {', '.join(known)}")
        assert key is not None
        if key in out:
            raise CatalogueError(f"{origin}:{_line(key_node)}: key {key!r} is given twice (also line {out[key][0]})")
        out[key] = (_line(key_node), value)
    return out


def _text(node: Node, origin: str, key: str) -> str:
    if not isinstance(node, ScalarNode) or not str(node.value).strip():
        raise CatalogueError(f"{origin}:{_line(node)}: {key} must be a text, not empty and not a list or mapping")
    return " ".join(str(node.value).split())


def parse(root: Node | None, origin: str) -> Catalogue:
    """A catalogue from the composed YAML of its file; ``origin`` names the file in messages."""
    if root is None:
        raise CatalogueError(f"{origin}:1: the file is empty; expected a mapping with {', '.join(_REQUIRED)}")
    top = _mapping(root, origin, f"a catalogue mapping with {', '.join(_REQUIRED)}", _TOP_KEYS)
    for key in _REQUIRED:
        if key not in top:
            raise CatalogueError(f"{origin}:{_line(root)}: missing key {key!r}")
    prefix_line, prefix_node = top["id_prefix"]
    prefix = _text(prefix_node, origin, "id_prefix")
    if not _ID_PREFIX.match(prefix):
        raise CatalogueError(
            f"{origin}:{prefix_line}: id_prefix {prefix!r} must be upper-case letters and digits, e.g. ISO27K"
        )
    key = prefix
    if "key" in top:
        key_line, key_node = top["key"]
        key = _text(key_node, origin, "key")
        if not _KEY.match(key):
            raise CatalogueError(
                f"{origin}:{key_line}: key {key!r} must be letters and digits, parts joined by single "
                f"dashes, e.g. 27001 or 20000-1"
            )
    excludable: list[str] = []
    if "excludable" in top:
        ex_line, ex_node = top["excludable"]
        if not isinstance(ex_node, SequenceNode):
            raise CatalogueError(f"{origin}:{ex_line}: excludable must be a list of number prefixes, e.g. ['A.']")
        for item in ex_node.value:
            text = item.value if isinstance(item, ScalarNode) else None
            if not text or not _EXCLUDABLE.match(text):
                raise CatalogueError(
                    f"{origin}:{_line(item)}: excludable entry {_shown(item)} is not the start of a clause "
                    f"number, e.g. 'A.' or 'A.5'"
                )
            excludable.append(text)
    clauses_line, clauses_node = top["clauses"]
    if isinstance(clauses_node, ScalarNode) and clauses_node.tag.endswith(":null"):
        entries: list[Node] = []
    elif isinstance(clauses_node, SequenceNode):
        entries = list(clauses_node.value)
    else:
        raise CatalogueError(f"{origin}:{clauses_line}: clauses must be a list of entries with number and heading")
    clauses: list[Clause] = []
    seen: dict[str, tuple[str, int]] = {}  # need id -> (number, line)
    for entry in entries:
        line = _line(entry)
        fields = _mapping(entry, origin, "a clause entry with number, heading and confirmation", _CLAUSE_KEYS)
        for required in _CLAUSE_REQUIRED:
            if required not in fields:
                raise CatalogueError(f"{origin}:{line}: the clause entry has no {required}")
        number_node = fields["number"][1]
        number = str(number_node.value) if isinstance(number_node, ScalarNode) else ""
        if not _NUMBER.match(number):
            found = (
                f"number {number!r} is" if isinstance(number_node, ScalarNode) else f"number is {_shown(number_node)},"
            )
            raise CatalogueError(
                f"{origin}:{line}: {found} not a clause number; expected letters or digits "
                f'joined by dots, like 8.3.4.1 or A.5.15 (quote it: "4.10")'
            )
        heading_node = fields["heading"][1]
        if not isinstance(heading_node, ScalarNode):
            raise CatalogueError(f"{origin}:{_line(heading_node)}: heading must be a text, not a list or mapping")
        # empty for a numbered paragraph the standard gives no heading (ISO 9001's 7.5.3.1)
        heading = " ".join(str(heading_node.value).split())
        if len(heading) > MAX_HEADING:
            raise CatalogueError(
                f"{origin}:{line}: the heading of {number} has {len(heading)} characters; a catalogue holds "
                f"short headings (at most {MAX_HEADING}), never the standard's text"
            )
        confirmation = Confirmation.CONFIRMED
        if "confirmation" in fields:
            raw = fields["confirmation"][1]
            try:
                confirmation = Confirmation(str(raw.value) if isinstance(raw, ScalarNode) else "")
            except ValueError:
                allowed = ", ".join(c.value for c in Confirmation)
                raise CatalogueError(f"{origin}:{line}: confirmation of {number} must be one of {allowed}") from None
        # dots would read as sphinx-needs "need parts" (ID.part), so the need id uses dashes
        need_id = f"{prefix}-{number.replace('.', '-').upper()}"
        if need_id in seen:
            first, first_line = seen[need_id]
            raise CatalogueError(f"{origin}:{line}: clause {number} is listed twice (as {first} on line {first_line})")
        clause = Clause(number, heading, confirmation, need_id, key)
        parent = clause.parent_number
        listed = seen.get(f"{prefix}-{parent.replace('.', '-').upper()}") if parent is not None else None
        if parent is not None and listed is None:
            raise CatalogueError(
                f"{origin}:{line}: clause {number} comes before its parent {parent}; list {parent} first"
            )
        if listed is not None and listed[0] != parent:
            # one need id for both, but the tree of clauses goes by the number as written
            raise CatalogueError(
                f"{origin}:{line}: the parent of clause {number} is {parent}, listed as {listed[0]} on line "
                f"{listed[1]}; write the letters of a number the same way in every clause"
            )
        seen[need_id] = (number, line)
        clauses.append(clause)
    return Catalogue(
        standard=_text(top["standard"][1], origin, "standard"),
        title=_text(top["title"][1], origin, "title") if "title" in top else "",
        id_prefix=prefix,
        notice=_text(top["notice"][1], origin, "notice"),
        clauses=tuple(clauses),
        key=key,
        excludable=tuple(excludable),
    )
