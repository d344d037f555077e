"""The refusals of safe mode as text: which path is outside the handbook, and each finding's message.

Both readers use these: the build's guards (:mod:`clausewise.sphinxext.safety`) and
``clausewise check`` (:mod:`clausewise.sphinxext.scan`), which must say the same; this
module imports neither Sphinx nor docutils, so ``check`` stays quick to start.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from clausewise.core.findings import CODES, Code, Finding
from clausewise.sources import frontmatter

#: The front-matter key with which a page that is not governed allows raw HTML and script links.
OPT_OUT_KEY = "clausewise_unsafe"
#: The class of what stands in for a refused construct, for the theme's CSS.
REFUSED_CLASS = "clausewise-refused"
#: How much of refused HTML a finding quotes.
QUOTE = 60
SAFE_MODE_HINT = "(clausewise_safe_mode)"


def opt_out_reason(text: str) -> str | None:
    """The reason a page's front matter gives for allowing raw HTML (:data:`OPT_OUT_KEY`), else
    ``None``; the caller knows whether the page is governed (a governed page never may)."""
    if not text.startswith("---"):
        return None
    fm = frontmatter.parse(text)
    reason = fm.data.get(OPT_OUT_KEY) if fm.error is None else None
    return reason.strip() if isinstance(reason, str) and reason.strip() else None


#: An HTML comment and nothing else, as a browser reads it: it ends at the first ``-->`` or
#: ``--!>``, and ``<!-->`` or ``<!--->`` close it at once (so ``<!--><script>`` is no comment).
_HTML_COMMENT = re.compile(r"<!--(?!-?>)(?:(?!--!?>).)*--!?>", re.DOTALL)


def is_html_comment(html: str) -> bool:
    """Whether raw HTML is only comments (owners' notes such as ``<!-- to do -->``): harmless,
    so safe mode lets it through."""
    rest = _HTML_COMMENT.sub("", html)
    return rest != html and not rest.strip()


def quote(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= QUOTE else flat[: QUOTE - 3] + "...")


class RealPaths:
    """The real paths (symbolic links and ``..`` followed) of many files in few folders, each
    folder resolved once: for one pass over a handbook's pages (a build's start, a scan), where
    resolving every page's path from the root was most of the time safe mode took. Made anew for
    each pass, so that a link made since is seen."""

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}

    def folder(self, path: Path) -> Path:
        real = self._folders.get(path)
        if real is None:
            real = self._folders[path] = path.resolve()
        return real

    def of(self, path: Path) -> Path:
        """``path.resolve()``: a file that is no link is where its real folder holds it."""
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        return self.folder(path.parent) / path.name


def outside_reason(written: str, absolute: Path, srcdir: Path, real: RealPaths | None = None) -> str | None:
    """Why ``absolute`` (the file ``written`` names) is outside ``srcdir``; ``None`` when it is inside.

    ``absolute`` may be unresolved: its real path decides. The reason says whether the path
    as written leaves the folder or a symbolic link on the way does. ``real``: the pass's
    :class:`RealPaths`, when many pages are asked about."""
    real = real or RealPaths()
    root = real.folder(srcdir)
    if real.of(absolute).is_relative_to(root):
        return None
    if Path(os.path.normpath(absolute)).is_relative_to(root):
        return f"{written!r} is a symbolic link (or lies in a linked folder) that leads outside the handbook's folder"
    return f"{written!r} lies outside the handbook's folder"


def file_url_reason(written: str) -> str | None:
    """Why an image or a download may not name ``written``: a ``file:`` address (in any case,
    with spaces or controls before it) names a file of the build machine, as ``..`` can; the
    PDF maker would read it. ``None`` for any other address or path."""
    if not written.strip("".join(chr(c) for c in range(0x21))).lower().startswith("file:"):
        return None
    return (
        f"{written!r} names a file of the machine that builds the handbook (a file: address), not one of the handbook"
    )


def file_reason(written: str, absolute: Path, srcdir: Path) -> str | None:
    """Why a page may not read the file ``written`` (at ``absolute``); ``None`` when it may.

    Besides a file outside the handbook (:func:`outside_reason`), one in a hidden file or
    folder of it: ``.git`` holds the repository's settings and, in CI, the checkout's
    credentials (``actions/checkout`` keeps its token in ``.git/config``), ``.env`` files
    hold secrets."""
    outside = outside_reason(written, absolute, srcdir)
    if outside is not None:
        return outside
    parts = absolute.resolve().relative_to(srcdir.resolve()).parts
    hidden = next((part for part in parts if part.startswith(".")), None)
    if hidden is not None:
        return (
            f"{written!r} lies in {hidden!r}, a hidden file or folder of the handbook (git's own, say, which can "
            f"hold credentials)"
        )
    return None


#: Files a browser opens as a page of its own (by the suffix a web server types them by).
DOCUMENT_SUFFIXES = frozenset(
    {".htm", ".html", ".shtml", ".xht", ".xhtml", ".xml", ".xsl", ".xslt", ".svgz", ".mht", ".mhtml"}
)
#: What makes an SVG run script when opened as a page: a script, an event handler, a script
#: link, or a part that holds HTML (after character references are decoded, as a browser does).
_ACTIVE_SVG = re.compile(
    r"<\s*(?:script|foreignobject|iframe|embed|object|handler)\b|<!entity|(?<![\w:-])on[a-z]+\s*=|"
    r"(?:javascript|vbscript)\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)


def active_file_reason(written: str, absolute: Path) -> str | None:
    """Why a page may not publish the file ``written`` (at ``absolute``) as an image or a download,
    else ``None``: Sphinx copies it to ``_images/`` or ``_downloads/`` as it is, and a browser that
    opens it there shows it as a page of the handbook's own address, where its script runs
    (stored cross-site scripting). An SVG diagram is an image unless it holds script."""
    suffix = absolute.suffix.lower()
    if suffix == ".svg":
        try:
            text = html.unescape(absolute.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None
        active = _ACTIVE_SVG.search(text)
        return None if active is None else f"{written!r} is an SVG file holding {active[0]!r}, script"
    if suffix in DOCUMENT_SUFFIXES and absolute.is_file():
        return f"{written!r} is a {suffix} file, which a browser opens as a page of its own, able to run script"
    return None


def active_file_message(what: str, reason: str) -> str:
    return (
        f"{what}: {reason}; opened from the published handbook, it runs on the handbook's address, so it is not "
        f"published: offer it from elsewhere (an https:// link), or for a diagram use an SVG without script or a "
        f"PNG {SAFE_MODE_HINT}"
    )


def refused_file_message(what: str, reason: str) -> str:
    return (
        f"{what}: {reason}, so it is not read or published; put the file in the handbook, not in a hidden folder, "
        f"and name it by a path within it {SAFE_MODE_HINT}"
    )


def url_message(directive: str, url: str, what: str = "url option") -> str:
    return (
        f"the {directive} directive's {what}: {url!r} would be fetched from the network while the handbook "
        f"is built, so it is not; put the file into the handbook and name it with 'file' {SAFE_MODE_HINT}"
    )


def needimport_source(written: str) -> tuple[str, str]:
    """What a ``needimport`` argument names, as sphinx-needs reads it: ``("url", address)`` for
    an address it fetches, ``("file", path)`` for a file (a ``file:`` address's path, else the
    argument as Sphinx resolves it from the page)."""
    url = urlparse(written)
    if url.scheme == "file":
        return "file", url2pathname(url.path)
    if url.scheme and url.netloc:
        return "url", written
    return "file", written


def refused_page_message(reason: str) -> str:
    return (
        f"the page {reason}, so it is not read or published; put the file itself in the handbook in place of "
        f"the link {SAFE_MODE_HINT}"
    )


def raw_html_message(kind: str, text: str) -> str:
    shown = "raw HTML" if kind in ("", "html") else f"raw {kind} output"
    return (
        f"{shown} {quote(text)} is shown as text, not markup: a page cannot carry HTML or script into the "
        f"published handbook; write it in Markdown (a link, an image, a table), or, on a page that is not "
        f"governed, allow it with front matter '{OPT_OUT_KEY}: \"<reason>\"' {SAFE_MODE_HINT}"
    )


def http_equiv_entries(fm: frontmatter.FrontMatter) -> list[tuple[int, str, str]]:
    """The ``html_meta`` entries of a page's front matter (top level, or under ``myst``)
    that set an ``http-equiv`` header, as ``(line, key, content)``: MyST turns them into
    ``<meta http-equiv>`` tags, with which a page could redirect its readers elsewhere."""
    found: list[tuple[int, str, str]] = []
    for path in (("html_meta",), ("myst", "html_meta")):
        meta: object = fm.data
        for key in path:
            meta = meta.get(key) if isinstance(meta, dict) else None
        if not isinstance(meta, dict):
            continue
        for key, value in meta.items():
            if "http-equiv" in str(key).lower():
                found.append((fm.line(*path, key), str(key), "" if value is None else str(value)))
    return found


def withheld_refusal_message(code: str, audience: str) -> str:
    """The message of a refusal on a page withheld from the build's audience: what it is,
    not what the page says."""
    return (
        f"{CODES[Code(code)].description} Not quoted here: the page is withheld from the build for the audience "
        f"{audience!r}; 'clausewise check', or the build for an audience that may read the page, says what and "
        f"where"
    )


def http_equiv_findings(path: str, fm: frontmatter.FrontMatter, subject: str) -> list[Finding]:
    """Each ``http-equiv`` entry of a page's front matter, as the finding safe mode reports."""
    return [
        Finding(path, line, Code.RAW_HTML, subject, http_equiv_message(key, content))
        for line, key, content in http_equiv_entries(fm)
    ]


def http_equiv_message(key: str, content: str) -> str:
    return (
        f"html_meta {quote(key)} (content {quote(content)}) would tell readers' browsers what to do, "
        f"a refresh sends them to another address; it is not published: remove it, or, on a page that is not "
        f"governed, allow it with front matter '{OPT_OUT_KEY}: \"<reason>\"' {SAFE_MODE_HINT}"
    )


def unsafe_link_message(what: str, target: str, scheme: str) -> str:
    return (
        f"{what} to {quote(target)} uses the {scheme}: scheme, which can run script in a reader's browser; "
        f"it is shown as text, not a link; link to an https:// address or a page of the handbook {SAFE_MODE_HINT}"
    )
