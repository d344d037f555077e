"""The front-matter line editor: set a top-level key of a page's front matter in
its text, and read the result back.

Front matter is edited as text, line by line, never parsed and dumped again:
comments, quoting, key order and line endings stay as their owner wrote them,
and a review changes only the ``reviewed:``/``version:`` lines, which is what
git must see for the change to count as a review rather than new content
(:data:`clausewise.sources.gitlog.REVIEW_LINE`). Every edit is read back with the same
parser the build uses before it is returned, so a layout the editor does not
understand gives an error, never a broken file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clausewise.authoring.errors import AuthoringError
from clausewise.sources import frontmatter
from clausewise.sources.frontmatter import FrontMatter, scalar

_ORDER = ("id", "type", "title", "owner", "status", "version", "effective", "reviewed")
_VALUE_LINE = re.compile(
    r"^(?P<head>(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*)"
    r"(?P<value>\"[^\"\r\n]*\"|'[^'\r\n]*'|[^\s#'\"|>][^\r\n]*?)?"
    r"(?P<tail>[ \t]*(?:#[^\r\n]*)?)(?P<eol>\r\n|\n|\r)?$"
)


@dataclass(frozen=True)
class Edit:
    """A changed file: the new text, what changed (for people), the first changed line."""

    text: str
    changes: tuple[str, ...]
    line: int


def flow_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def newline_of(text: str) -> str:
    """The file's line ending, from its first line (new lines get the same)."""
    first, sep, _ = text.partition("\n")
    return "\r\n" if sep and first.endswith("\r") else "\n"


def read_front_matter(text: str, path: str) -> FrontMatter:
    fm = frontmatter.parse(text)
    if not fm.present:
        raise AuthoringError(f"{path} has no front matter (a '---' block at the top)")
    if fm.error is not None:
        line, message = fm.error
        raise AuthoringError(f"{path}:{line}: {message}; fix it first (clausewise check shows it too)")
    return fm


def block_end(lines: Sequence[str], fm: FrontMatter, key: str) -> int:
    """The 0-based index of the last line of top-level ``key``'s value. Blank lines
    and comments in the first column after it belong to what follows."""
    start = fm.lines[(key,)] - 1
    tops = sorted(line - 1 for path, line in fm.lines.items() if len(path) == 1)
    stop = next((t for t in tops if t > start), fm.last_line - 1)
    end = start
    for index in range(start + 1, stop):
        if lines[index].strip() and not lines[index].startswith("#"):
            end = index
    return end


def insert_at(lines: Sequence[str], fm: FrontMatter, key: str) -> int:
    """Where a missing top-level ``key`` goes: after the nearest key before it in
    the usual order (id, type, title, owner, status, version, effective, reviewed),
    else at the end of the front matter."""
    for before in reversed(_ORDER[: _ORDER.index(key)]):
        if (before,) in fm.lines:
            return block_end(lines, fm, before) + 1
    return fm.last_line - 1


def set_value(
    lines: list[str], fm: FrontMatter, key: str, value: str, nl: str, quote: str = ""
) -> tuple[str | None, int]:
    """Set top-level ``key`` to ``value`` in place: only the value's characters
    change (its quotes, any comment and the line ending stay). A missing key is
    added as a line of its own. Returns (the old value, None if there was no key; the 0-based line)."""
    if (key,) not in fm.lines:
        at = insert_at(lines, fm, key)
        lines.insert(at, f"{key}: {quote}{value}{quote}{nl}")
        return None, at
    index = fm.lines[(key,)] - 1
    m = _VALUE_LINE.match(lines[index])
    if m is None or m.group("key") != key or block_end(lines, fm, key) != index:
        raise AuthoringError(
            f"line {index + 1} ({lines[index].strip()!r}) is not a one-line '{key}: value'; "
            f"write it as '{key}: {value}' and run again"
        )
    old = m.group("value") or ""
    # keep the owner's quoting; an empty value gets the quoting this key usually has
    mark = old[0] if old[:1] in ("'", '"') else ("" if old else quote)
    new = mark + value + mark
    head = m.group("head") if old or m.group("head").endswith((" ", "\t")) else m.group("head") + " "
    # after an empty value the blanks before a comment are in head: the new value needs one
    # before the '#', else YAML reads the comment as part of a plain value
    tail = m.group("tail") if old or not m.group("tail") else " " + m.group("tail")
    lines[index] = head + new + tail + (m.group("eol") or "")
    return old.strip("'\""), index


def same_apart_from(before: str, after: str, path: str, wanted: Mapping[str, str]) -> None:
    """Read the edited front matter back: the wanted keys have their values and
    nothing else moved."""
    old, new = frontmatter.parse(before).data, frontmatter.parse(after).data
    expected = {**old, **wanted}
    if frontmatter.parse(after).error is not None or new != expected:
        raise AuthoringError(f"could not edit {path} safely; set {', '.join(wanted)} by hand")
