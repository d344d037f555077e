"""Link targets that can run script in a reader's browser.

A browser decides a link's scheme after decoding character references
(``&#106;avascript:``) and dropping ASCII tab and newline anywhere in the URL and
leading control characters and spaces (``java\\tscript:``, `` javascript:``), and
it compares schemes without regard to case. :func:`dangerous_scheme` reads a
target the same way, so none of those spellings gets through.
"""

from __future__ import annotations

import html
import re

#: Schemes whose targets a browser runs (``javascript:``, ``vbscript:``) or shows
#: as a document of the link's own making (``data:``, e.g. ``data:text/html``).
DANGEROUS_SCHEMES = ("javascript", "vbscript", "data")

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
#: What the WHATWG URL parser removes before it reads a scheme: tab and newlines
#: anywhere, C0 controls and spaces at either end.
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
#: Raster images in ``data:`` URLs: shown by ``<img>``, never run (markdown-it's own exception).
_RASTER_DATA = re.compile(r"^data:image/(gif|png|jpeg|webp);")


def dangerous_scheme(target: str, *, image: bool = False) -> str | None:
    """The dangerous scheme ``target`` uses as a browser reads it (lower case), else ``None``.

    With ``image``, a ``data:`` URL of a raster image is harmless (an ``<img>`` shows
    it and runs nothing)."""
    decoded = html.unescape(target)
    normalised = _TAB_OR_NEWLINE.sub("", decoded).strip(_C0_OR_SPACE).lower()
    match = _SCHEME.match(normalised)
    if match is None or match[1] not in DANGEROUS_SCHEMES:
        return None
    if image and _RASTER_DATA.match(normalised):
        return None
    return match[1]
