"""Reading front matter with line numbers, and handing MyST a safe copy.

Front matter is the one place a governed document keeps its metadata. We parse
it ourselves rather than through MyST because MyST drops the whole block on one
bad value (``reviewed: 2026-02-30`` is "Malformed YAML" to it) and keeps no line
numbers; an owner needs to be told which line is wrong.

All scalars are read as strings (YAML's ``BaseLoader``), so ``version: 2.10``
stays ``"2.10"`` and an impossible date reaches our validator instead of
crashing the YAML parser. Values are ``str``, ``list`` or ``dict``.

The block is composed only within the bounds of :mod:`clausewise.sources.bounded_yaml`
(size, nesting, alias expansion), and a plain value YAML read as something other
than what was written (``title: #1 policy`` is a comment, so an empty title) is
kept in :attr:`FrontMatter.misread` for the validator to report on its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from clausewise.sources import bounded_yaml
from clausewise.sources.text import split_lines

FENCE = "---"

#: A path into the front matter: keys and list indexes, e.g. ("record_types", 0, "cadence").
KeyPath = tuple[str | int, ...]


@dataclass
class FrontMatter:
    """Front matter of one file.

    ``data`` is the parsed mapping (empty if there is none or it is broken);
    ``lines`` maps key paths to 1-based file lines; ``error`` describes a
    syntax problem as ``(line, message)``; ``first_line``/``last_line`` are the
    file lines of the opening and closing fences (0 if there is no block).
    """

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[KeyPath, int] = field(default_factory=dict)
    error: tuple[int, str] | None = None
    first_line: int = 0
    last_line: int = 0
    #: key path -> why YAML's reading of its plain value is not what was written
    #: (``title: #1 policy`` is an empty title); the validator reports it
    misread: dict[KeyPath, str] = field(default_factory=dict)

    @property
    def present(self) -> bool:
        return self.first_line > 0

    def line(self, *path: str | int) -> int:
        """The line of ``path``, or of its nearest ancestor, or of the block."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line or 1


#: What ends a line for an editor, git and MyST's parser: ``str.splitlines`` also splits at
#: form feeds, U+001C..U+001E, U+0085, U+2028 and U+2029, which would move every later line number.
#: Characters YAML reads as the end of a line that no editor shows as one.


def _block_bounds(source: str) -> tuple[int, int] | None:
    """0-based indexes of the opening and closing fence lines, if any."""
    lines = split_lines(source)
    if not lines or lines[0].rstrip() != FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return 0, index
    return None


class _DuplicateKeyError(Exception):
    def __init__(self, key: str, line: int, first: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


#: Keys whose value is free text, where a `` #`` in the middle is more likely part of
#: the text than a comment (``title: Policy #1``).
FREE_TEXT_KEYS = frozenset({"title", "produced_by", "correction", "reason"})


def _misread(key: str, value: str, raw: str) -> str | None:
    """Why YAML's reading of a plain ``key: raw`` line is not what its writer meant
    (``None``: it is): a value that starts with ``#`` (a comment: the value is
    empty), ``&`` or ``!`` (an anchor or a tag: the word is dropped), or free text
    cut at `` #``."""
    quoted = f"{key}: {json.dumps(raw, ensure_ascii=False)}"
    if not value and raw.startswith("#"):
        return f"{key}: YAML reads {raw!r} as a comment, so the value is empty; put it in quotes: {quoted}"
    if raw[:1] in ("&", "!"):
        what = "an anchor name" if raw[0] == "&" else "a tag"
        return (
            f"{key}: YAML reads {raw.split()[0]!r} as {what}, not as text, so the value is {value!r}; "
            f"put it in quotes: {quoted}"
        )
    comment = _COMMENT.search(raw)
    if key in FREE_TEXT_KEYS and comment is not None:
        return (
            f"{key}: YAML reads {raw[comment.start() :].strip()!r} as a comment, so the value is {value!r}; if it "
            f"belongs to the {key}, put the value in quotes: {quoted}; if it is a comment, put it on a line of its own"
        )
    return None


@dataclass
class _Composed:
    """What converting the composed front matter collects besides the values."""

    offset: int  # the file line (1-based) of the block's first line: YAML's 0-based marks plus this
    source_lines: list[str]
    lines: dict[KeyPath, int] = field(default_factory=dict)
    misread: dict[KeyPath, str] = field(default_factory=dict)


def _convert(node: Node, path: KeyPath, out: _Composed) -> Any:
    """Plain Python values from a YAML node, recording each key's and item's line."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            out.lines[(*path, i)] = item.start_mark.line + out.offset
            items.append(_convert(item, (*path, i), out))
        return items
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else _as_written(key_node, out)
            key_line = key_node.start_mark.line + out.offset
            if key in result:
                raise _DuplicateKeyError(key, key_line, out.lines[(*path, key)])
            out.lines[(*path, key)] = key_line
            result[key] = _convert(value_node, (*path, key), out)
            if not node.flow_style and isinstance(value_node, ScalarNode) and value_node.style is None:
                # the text after "key:" on the key's own line, as written
                raw = out.source_lines[key_node.start_mark.line][key_node.end_mark.column :].lstrip()
                problem = _misread(key, str(value_node.value), raw.removeprefix(":").strip())
                if problem is not None:
                    out.misread[(*path, key)] = problem
        return result
    return None  # pragma: no cover - YAML has no other node kinds


def _as_written(node: Node, out: _Composed) -> str:
    """A key that is a list or a mapping (``? [a, b]``), as its first line writes it: so
    that a message names what the owner wrote, not Python's picture of YAML's nodes."""
    start, end = node.start_mark, node.end_mark
    line = out.source_lines[start.line]
    return line[start.column : end.column] if end.line == start.line else line[start.column :].rstrip() + " ..."


#: ``key: value`` on one line (an item of a list may start with ``- ``).
# (the value is taken to the end of the line and stripped afterwards: a lazy group
# followed by ``\s*$`` is quadratic on a line of many spaces)
_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"{\[][^:]*?):\s+(\S.*)$")
#: A line that starts a key of a mapping (``key:`` with or without a value on the line).
_KEY_START = re.compile(r"^([^\s:#'\"{\[\-][^:]*?):(?:\s|$)")
#: Where a comment after a plain value starts: a space, then ``#``.
_COMMENT = re.compile(r"\s#")


def _quoted(line: str) -> str | None:
    """``key: "value"`` for a ``key: value`` line, the value JSON-quoted (valid YAML,
    any text); a comment after the value stays out of the quotes."""
    m = _KEY_VALUE.match(line)
    if not m:
        return None
    comment = _COMMENT.search(m.group(2))
    value = (m.group(2)[: comment.start()] if comment else m.group(2)).rstrip()
    return f"{m.group(1)}: {json.dumps(value, ensure_ascii=False)}"


#: ``key: "value`` or ``key: 'value``: a value that opens a quote (an item of a list may start with ``- ``).
_QUOTE_OPENED = re.compile(r"""^\s*(?:-\s+)?([^\s:#'"{\[][^:]*?):\s+(["'])(.*)$""")


def _unclosed_quote(line: str) -> tuple[str, str, str] | None:
    """(key, quote, text after it) when ``line``'s value opens a quote it does not close."""
    m = _QUOTE_OPENED.match(line)
    if not m:
        return None
    key, quote, rest = m.groups()
    # '' is a quote inside a single-quoted value; \" one inside a double-quoted value
    closed = "'" in rest.replace("''", "") if quote == "'" else re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None
    return None if closed else (key, quote, rest)


def _yaml_error(exc: yaml.MarkedYAMLError, offset: int, fallback: int, block: str) -> tuple[int, str]:
    """Where to look and what is wrong. An unclosed bracket or quote is noticed
    lines later; the line it was opened on (YAML's context for a bracket; for a
    quote, the first line before the problem whose value opens a quote it does not
    close) is the one to fix."""
    problem_line = exc.problem_mark.line + offset if exc.problem_mark else None
    context_line = exc.context_mark.line + offset if exc.context_mark else None
    if exc.problem_mark is not None:
        # a quoted value runs on over the lines after it until the next quote, so YAML fails
        # lines later, in the middle of what the writer thinks are other keys
        for index, line in enumerate(split_lines(block)[: exc.problem_mark.line]):
            opened = _unclosed_quote(line)
            if opened is not None:
                key, quote, rest = opened
                value = rest.strip().replace("''", "'") if quote == "'" else rest.strip()
                return index + offset, (
                    f"front matter is not valid YAML: the quote {quote} that starts the value of {key!r} on line "
                    f"{index + offset} is not closed on that line, so YAML reads the lines after it as part of the "
                    f"value (and fails on line {problem_line}); close the quote: "
                    f"{key}: {json.dumps(value, ensure_ascii=False)}"
                )
    message = f"front matter is not valid YAML: {exc.problem or 'syntax error'}"
    if problem_line is not None:
        message += f" (line {problem_line})"
    if exc.context and context_line is not None and context_line != problem_line:
        message += f", {exc.context} that starts on line {context_line}"
    if exc.problem and "cannot start any token" in exc.problem and ("'@'" in exc.problem or "'`'" in exc.problem):
        # the usual cause: a GitHub handle written bare, as it is written everywhere else
        message += '; put quotes around a value that starts with @ or `, e.g. github: "@org/team"'
    elif exc.problem == "mapping values are not allowed here" and exc.problem_mark is not None:
        # the usual cause: a title with ': ' in it, which YAML reads as a second key
        lines = block.split("\n")
        fixed = _quoted(lines[exc.problem_mark.line]) if exc.problem_mark.line < len(lines) else None
        if fixed is not None:
            message += f"; put the value in quotes: {fixed}"
    elif exc.problem == "expected ',' or '}', but got ':'":
        # the same inside a {key: value, ...} entry
        message += '; put a value that contains ": " in quotes, e.g. {title: "Risks: and opportunities"}'
    return (context_line or problem_line or fallback), message


def _keys_after_document_end(lines: list[str], end: int) -> list[str]:
    """The keys written after a block closed by '...' (line ``end``) and before a later
    '---': a block meant to go on to that fence, whose keys after the '...' are lost."""
    if lines[end].rstrip() != "...":
        return []
    following = lines[end + 1 :]
    fence = next((i for i, line in enumerate(following) if line.rstrip() == FENCE), None)
    if fence is None:
        return []
    written = [line for line in following[:fence] if line.strip()]
    keys = [m.group(1) for line in written if (m := _KEY_START.match(line))]
    indented = [line for line in written if line[:1].isspace()]
    return keys if keys and len(keys) + len(indented) == len(written) else []


def parse(source: str) -> FrontMatter:
    """Parse the front matter at the top of ``source`` (a Markdown file's text)."""
    bounds = _block_bounds(source)
    if bounds is None:
        if (split_lines(source) or [""])[0].rstrip() == FENCE:
            # the opening fence of a block that never ends; last_line 0: no block to blank out for MyST
            return FrontMatter(
                error=(1, "the front matter opened by '---' on line 1 is never closed; add a line '---' "
                          "after its last key"),
                first_line=1,
            )  # fmt: skip
        return FrontMatter()
    start, end = bounds
    text_lines = split_lines(source)[start + 1 : end]
    fm = FrontMatter(first_line=start + 1, last_line=end + 1)
    # YAML marks are 0-based within the block; the block starts on file line start+2
    offset = start + 2
    block = "\n".join(text_lines)
    cut = _keys_after_document_end(split_lines(source), end)
    if cut:
        fm.error = (
            end + 1,
            f"the front matter ends at '...' on line {end + 1} (YAML's end of a document), so the keys after it "
            f"({', '.join(cut)}) are not read; delete the '...' line",
        )
        return fm
    try:
        node = bounded_yaml.compose(block, yaml.BaseLoader)
    except bounded_yaml.BoundsError as exc:
        fm.error = (exc.line + offset, f"front matter cannot be read: {exc.message} (line {exc.line + offset})")
        return fm
    except yaml.MarkedYAMLError as exc:
        fm.error = _yaml_error(exc, offset, fm.first_line, block)
        return fm
    except yaml.reader.ReaderError as exc:
        # a character YAML does not allow in a file (a control character, U+FFFE ...)
        line = block[: exc.position].count("\n") + offset
        fm.error = (
            line,
            f"front matter contains a character YAML does not allow: U+{exc.character:04X} (line {line}); "
            "delete it (it is often invisible: retype the line)",
        )
        return fm
    if node is None:
        return fm
    if not isinstance(node, MappingNode):
        fm.error = (offset, "front matter must be a mapping of 'key: value' lines")
        return fm
    composed = _Composed(offset, text_lines)
    try:
        fm.data = _convert(node, (), composed)
    except _DuplicateKeyError as dup:
        fm.error = (
            dup.line,
            f"key {dup.key!r} appears twice in the front matter (first on line {dup.first}); keep one",
        )
        fm.data = {}
        return fm
    fm.lines, fm.misread = composed.lines, composed.misread
    return fm


#: What CommonMark lets a backslash escape: every ASCII punctuation character.
_MARKDOWN_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def markdown_literal(text: str) -> str:
    """``text`` as Markdown that renders as exactly ``text``: no emphasis, link, role or
    HTML (``<img src=x onerror=...>`` in a title is shown, never run)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def sanitised_for_myst(
    source: str, fm: FrontMatter, own_keys: frozenset[str], extra: dict[str, str] | None = None
) -> str:
    """``source`` with clausewise's keys blanked out of the front matter.

    MyST still sees a front-matter block with the keys it understands (other
    extensions' settings, ``orphan``...) and a JSON-quoted ``title`` it cannot
    choke on, and every line keeps its number, so warnings about the body point
    at the right line. ``extra`` keys (e.g. a fallback ``title``, ``orphan``)
    are written into lines that were blanked, never as new lines; one with no
    free line left is dropped.

    When nothing is left for MyST but the title (clausewise's keys only, the usual
    case), MyST is given no front matter at all: the title becomes the page's
    heading line, ``# <title>``, on the title's own line, which is the heading
    MyST makes of a front-matter title (``myst_title_to_header``). So MyST parses
    no YAML on the page: on a large handbook that was a tenth of its reading time.
    """
    if not fm.present:
        return source
    lines = split_lines(source, keepends=True)
    block = range(fm.first_line, fm.last_line - 1)  # 0-based indexes inside the fences
    if fm.error is not None:
        keep: set[int] = set()
    else:
        keep = set(block)
        top_keys = sorted((line, key) for path, line in fm.lines.items() if len(path) == 1 for key in [path[0]])
        for n, (line, key) in enumerate(top_keys):
            if key not in own_keys:
                continue
            stop = top_keys[n + 1][0] if n + 1 < len(top_keys) else fm.last_line
            keep -= set(range(line - 1, stop - 1))
    out = []
    fences = range(fm.first_line - 1, fm.last_line)  # the block and its fences
    for index, text in enumerate(lines):
        if index not in fences:
            out.append(text)
            continue
        # Within the fences every line ends in "\n": a line ending in a lone "\r" followed by
        # a blanked line's "\n" would otherwise be one "\r\n", and the body would move up a line
        content, newline = text.rstrip("\r\n"), "\n" if text.endswith(("\r", "\n")) else ""
        out.append(newline if index in block and index not in keep else content + newline)
    extra = dict(extra or {})
    title = fm.data.get("title") if fm.error is None else None
    title_index = fm.lines[("title",)] - 1 if isinstance(title, str) and title.strip() else None
    if title_index is None and isinstance(extra.get("title"), str):
        title = extra["title"]
    heading_only = set(extra) <= {"title"} and not any(out[i].strip() for i in keep)
    # (a title of several lines keeps the block: a heading is one line, and every line keeps its number)
    if isinstance(title, str) and heading_only and len(split_lines(title.strip())) <= 1:
        free = [i for i in block if i not in keep and out[i] == "\n"]
        where = title_index if title_index is not None else free[0] if free else None
        for index in (fm.first_line - 1, fm.last_line - 1):  # the fences: MyST sees no front matter
            out[index] = "\n" if out[index].endswith("\n") else ""
        if where is not None and title.strip():
            out[where] = "# " + markdown_literal(title.strip()) + "\n"
        return "".join(out)
    if title_index is not None and isinstance(title, str):
        # The title line stays on its own line number, JSON-quoted so any text is valid YAML,
        # and escaped for Markdown: MyST makes it the heading "# <title>", and a title is text
        out[title_index] = "title: " + json.dumps(markdown_literal(title.strip())) + "\n"
    free = [i for i in block if i not in keep and out[i] == "\n"]
    for (key, value), index in zip(extra.items(), free, strict=False):
        out[index] = f"{key}: {json.dumps(value)}\n"
    return "".join(out)


# --- writing front matter (for `clausewise new` and the web editor's new records) ---------------

#: What a double-quoted value cannot hold as itself once JSON has escaped the C0 controls:
#: characters YAML does not allow in a file, and the line breaks it would fold into a space.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")


def scalar(text: str) -> str:
    """``text`` as a YAML value: plain when YAML reads it back unchanged, else
    double-quoted (a JSON string is a valid YAML one; what YAML would not read
    back as itself is escaped too)."""
    try:
        node = yaml.compose(f"k: {text}", Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        node = None
    value = node.value[0][1] if isinstance(node, MappingNode) and len(node.value) == 1 else None
    plain = isinstance(value, ScalarNode) and value.style is None and value.value == text
    if plain and text == text.strip():
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(_escaped, quoted)


def _escaped(match: re.Match[str]) -> str:
    """One character as a YAML double-quoted escape: ``\\x85``, ``\\u2028``."""
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def front_matter_text(fields: Sequence[tuple[str, str]], nl: str = "\n") -> str:
    """A front-matter block of ``fields`` (key, value as YAML text), one per line; a field
    with an empty value is written as its key alone (a comment line)."""
    return nl.join(["---", *(f"{k}: {v}" if v else k for k, v in fields), "---"]) + nl
