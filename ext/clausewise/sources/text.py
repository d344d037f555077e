"""Files read as text, and where a file that is not text goes wrong.

A byte that is not valid in the handbook's encoding (``source_encoding``,
UTF-8 with an optional byte-order mark unless ``conf.py`` says otherwise) makes
Sphinx stop the whole build with "Encoding error!" and no file name, so every
page and catalogue is checked here first and a bad one is named with the line
of its first bad byte.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

#: Where a line ends, as editors, git and MyST (markdown-it) count lines: after
#: ``\r\n``, ``\r`` or ``\n``. Not where ``str.splitlines()`` also ends one (form
#: feed, U+001C to U+001E, U+0085, U+2028, U+2029): counted so, an invisible
#: character would move the line of everything after it.
LINE_BREAK = re.compile(r"\r\n?|\n")
_BYTE_LINE_BREAK = re.compile(rb"\r\n?|\n")


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """``text``'s lines as an editor shows them (see :data:`LINE_BREAK`); like
    ``str.splitlines``, no empty line after a final line break."""
    if "\r" not in text:  # the usual text: str.split is many times faster than the pattern
        lines = text.split("\n")
        if keepends:
            lines = [line + "\n" for line in lines[:-1]] + [lines[-1]]
        if lines[-1] == "":
            lines.pop()
        return lines
    lines = []
    start = 0
    for m in LINE_BREAK.finditer(text):
        lines.append(text[start : m.end() if keepends else m.start()])
        start = m.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def line_at(text: str, index: int) -> int:
    """The 1-based line of the character at ``index`` of ``text``, as an editor counts it."""
    return len(LINE_BREAK.findall(text, 0, index)) + 1


class UndecodableError(ValueError):
    """A file that is not text in the expected encoding; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def read_text(path: Path, encoding: str = "utf-8-sig") -> str:
    """The file's text; :class:`UndecodableError` saying which byte on which line is not
    ``encoding`` (Sphinx's default, ``utf-8-sig``, drops a byte-order mark)."""
    data = path.read_bytes()
    try:
        shown = "UTF-8" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding
    except LookupError:
        raise UndecodableError(1, f"{encoding!r} is not an encoding Python knows (source_encoding)") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = len(_BYTE_LINE_BREAK.findall(data, 0, exc.start)) + 1
        raise UndecodableError(
            line, f"byte 0x{data[exc.start]:02x} on line {line} is not {shown} text ({exc.reason}); "
            "save the file as UTF-8"
        ) from None  # fmt: skip
    return text
