"""Files read as text, and where a file that is not text goes wrong.

A byte that is not valid in the handbook's encoding (``source_encoding``,
UTF-8 with an optional byte-order mark unless ``conf.py`` says otherwise) makes
Sphinx stop the whole build with "Encoding error!" and no file name, so every
page and catalogue is checked here first and a bad one is named with the line
of its first bad byte.
"""

from __future__ import annotations

import codecs
from pathlib import Path


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
        line = data[: exc.start].count(b"\n") + 1
        raise UndecodableError(
            line, f"byte 0x{data[exc.start]:02x} on line {line} is not {shown} text ({exc.reason}); "
            "save the file as UTF-8"
        ) from None  # fmt: skip
    return text
