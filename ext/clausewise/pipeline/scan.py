"""Reading a handbook from its source files alone, for ``clausewise check``.

A full build learns three things from Sphinx that the rules need besides the
front matter, and this module finds the same from the text, without parsing
Markdown (that is most of a build's time):

- which files are pages: ``conf.py``'s ``include_patterns`` and
  ``exclude_patterns`` applied by Sphinx's own :class:`sphinx.project.Project`;
- which files each page is made of (Sphinx's ``env.dependencies``): MyST
  ``{include}`` (recursively), ``{literalinclude}``, ``{image}``, ``{figure}``,
  Markdown images, ``{download}`` roles, ``:file:`` of ``{csv-table}`` and
  ``{raw}``, and ``docutils.conf``. As in Sphinx with MyST, a relative path is
  relative to the page's folder (also inside included files), ``/path`` to the
  handbook's folder;
- where the ``{clause-catalogue}`` directive stands.

``conf.py`` is executed by Sphinx's :class:`sphinx.config.Config`, as a build
would. A test keeps the result identical to a full build's on handbooks that use
each of these constructs.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from clausewise.core.settings import ClausewiseConfig, SettingError, declarations
from clausewise.pipeline import assembly
from clausewise.sources import catalogue, gitlog

CATALOGUE_DIRECTIVE = "clause-catalogue"

#: Directives whose body is text, not Markdown: nothing inside them is a directive.
LITERAL_BODIES = frozenset(
    {"code", "code-block", "code-cell", "sourcecode", "literalinclude", "include", "csv-table", "raw", "math",
     "mermaid", "graphviz", "digraph", "graph", "eval-rst", "parsed-literal", "highlight", "list-table"}
)  # fmt: skip
#: Directives whose argument is a file shown on the page.
FILE_ARGUMENT = frozenset({"include", "literalinclude", "image", "figure"})
#: Directives with a ``:file:`` option.
FILE_OPTION = frozenset({"csv-table", "raw"})

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}|:{3,})\s*(?:\{(?P<name>[\w:.-]+)\})?[ \t]*(?P<argument>.*?)\s*$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_DOWNLOAD = re.compile(r"\{download\}`(?:[^`<]*<(?P<inner>[^>`]+)>|(?P<plain>[^`<]+))`")
#: A role (kept) or a code span (dropped), scanned left to right so each backtick pairs right.
_ROLE_OR_CODE = re.compile(r"(?P<role>\{[\w:.-]+\}(?P<rt>`+).*?(?P=rt))|(?P<ct>`+).*?(?P=ct)")


def without_code(line: str) -> str:
    """``line`` with its inline code spans removed and its roles kept."""
    return _ROLE_OR_CODE.sub(lambda m: m["role"] or "", line)


class ScanError(Exception):
    """``conf.py`` or a setting cannot be used: said on stderr, exit code 2."""


@dataclass
class ScannedHandbook:
    """The plain inputs of :func:`clausewise.assembly.assemble`, found without Sphinx's reader."""

    given: assembly.HandbookInput
    suppress_warnings: list[str]


def read_config(srcdir: Path) -> tuple[Any, ClausewiseConfig]:
    """Execute ``conf.py`` like Sphinx does and return (Sphinx config, clausewise settings)."""
    from sphinx.config import Config
    from sphinx.errors import ConfigError
    from sphinx.util.tags import Tags

    try:
        config = Config.read(srcdir, overrides={}, tags=Tags())
    except ConfigError as exc:
        raise ScanError(f"conf.py: {exc}") from exc
    # register what the extension and the HTML builder would, so defaults apply
    for name, default, rebuild in declarations():
        config.add(name, default, rebuild, ())
    for name in ("html_static_path", "html_extra_path", "myst_enable_extensions"):
        config.add(name, [], "html", ())
    try:
        cfg = ClausewiseConfig.from_values({name: config[name] for name, _, _ in declarations()})
    except SettingError as exc:
        raise ScanError(f"conf.py: {exc}") from exc
    return config, cfg


def source_suffixes(raw: Any) -> list[str]:
    """conf.py's ``source_suffix`` in any of its forms, plus MyST's ``.md``."""
    if isinstance(raw, str):
        found = [raw]
    elif isinstance(raw, Mapping):
        found = list(raw)
    else:
        found = list(raw or [])
    return [*found, *([".md"] if ".md" not in found else [])]


def scan(srcdir: Path, today: date | None = None) -> ScannedHandbook:
    """Everything ``assemble`` needs, read from the files under ``srcdir``;
    ``today``, when given, wins over the one of the environment and ``conf.py``."""
    from sphinx.project import Project

    config, cfg = read_config(srcdir)
    if today is not None:
        cfg = dataclasses.replace(cfg, today=today)
    project = Project(srcdir, source_suffixes(config.source_suffix))
    excluded = [*config.exclude_patterns, *config.templates_path, *config.html_extra_path, *config.html_static_path]
    docnames = project.discover(excluded, config.include_patterns)
    docutils_conf = srcdir / "docutils.conf"
    common = ["docutils.conf"] if docutils_conf.is_file() else []
    page_files = {Path(project.doc2path(d, absolute=False)).as_posix() for d in docnames}
    colon_fence = "colon_fence" in (config.myst_enable_extensions or ())

    pages: dict[str, assembly.PageData] = {}
    catalogue_pages: dict[str, tuple[str, int]] = {}
    dependencies: dict[str, list[str]] = {}
    for docname in sorted(docnames):
        path = Path(project.doc2path(docname, absolute=True))
        relative = path.relative_to(srcdir).as_posix()
        try:
            text = path.read_text(encoding=config.source_encoding)
        except UnicodeDecodeError as exc:
            bad_line = exc.object[: exc.start].count(b"\n") + 1
            raise ScanError(
                f"{relative}:{bad_line}: not readable as {config.source_encoding} ({exc.reason}); "
                "save the file as UTF-8"
            ) from exc
        read = assembly.read_page(text, relative, docname, cfg)
        if relative.endswith(".md") and f"{{{CATALOGUE_DIRECTIVE}}}" in text:
            at = next((d.line for d in directives(text, colon_fence) if d.name == CATALOGUE_DIRECTIVE), None)
            if at is not None:
                catalogue_pages[docname] = (relative, at)
        if read is not None:
            pages[docname] = read.page
            dependencies[docname] = sorted(
                {*common, *page_dependencies(srcdir, relative, text, colon_fence, page_files)}
            )
    try:
        catalogue_file = catalogue.locate(cfg.catalogue, srcdir)
        loaded = catalogue.load(catalogue_file)
    except catalogue.CatalogueError as exc:
        raise ScanError(str(exc)) from exc
    given = assembly.HandbookInput(srcdir, cfg, loaded, catalogue_file, pages, catalogue_pages, dependencies)
    return ScannedHandbook(given, list(config.suppress_warnings))


def result(srcdir: Path, today: date | None = None) -> tuple[assembly.BuildResult, ScannedHandbook]:
    """The handbook's model, rules and findings, as a full build computes them."""
    scanned = scan(srcdir, today)
    try:
        built, _ = assembly.assemble(scanned.given, None)
    except gitlog.GitUnavailableError as exc:
        raise ScanError(str(exc)) from exc
    return built, scanned


# --- the Markdown constructs a page is made of -------------------------------------


@dataclass(frozen=True)
class Directive:
    name: str
    argument: str
    options: dict[str, str]
    line: int  # 1-based line of the opening fence, as MyST reports a directive's line


def walk(text: str, colon_fence: bool = False) -> Iterator[Directive | str]:
    """A page's MyST directives (``` ```{name} ```, and ``:::{name}`` with the
    ``colon_fence`` extension) in order, and its prose lines (outside code blocks
    and literal directive bodies, inline code removed), where Markdown images
    and roles can be."""
    lines = text.splitlines()
    open_fences: list[str] = []  # the fences of the directives we are inside
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is not None and match["fence"][0] == ":" and not colon_fence:
            match = None
        if match is None:
            yield without_code(lines[i])
            i += 1
            continue
        fence, name = match["fence"], match["name"]
        if open_fences and _closes(match, open_fences[-1]):
            open_fences.pop()  # the end of the directive we are in
            i += 1
            continue
        options: dict[str, str] = {}
        j = i + 1
        while name and j < len(lines) and (option := _OPTION.match(lines[j])):
            options[option["key"]] = option["value"]
            j += 1
        if name:
            yield Directive(name, match["argument"], options, i + 1)
        if not name or name in LITERAL_BODIES:
            i = _closing(lines, j, fence) + 1  # code: nothing inside counts
            continue
        open_fences.append(fence)
        i = j


def directives(text: str, colon_fence: bool = False) -> Iterator[Directive]:
    return (d for d in walk(text, colon_fence) if isinstance(d, Directive))


def _closes(match: re.Match[str] | None, fence: str) -> bool:
    """Whether a fence line ends the block that ``fence`` opened: a bare fence of
    the same character, at least as long (as CommonMark closes code blocks)."""
    return (
        match is not None
        and not match["name"]
        and not match["argument"]
        and match["fence"][0] == fence[0]
        and len(match["fence"]) >= len(fence)
    )


def _closing(lines: list[str], start: int, fence: str) -> int:
    """The index of the line that closes ``fence`` from ``start`` on (the end if none)."""
    return next((k for k in range(start, len(lines)) if _closes(_FENCE.match(lines[k]), fence)), len(lines))


def page_dependencies(
    srcdir: Path, page: str, text: str, colon_fence: bool = False, pages: Collection[str] = ()
) -> set[str]:
    """The files (relative to ``srcdir``) the page at ``page`` is made of, besides itself.

    ``pages`` are the handbook's page files: a Markdown link to one of them is a
    link; a link to any other file that exists is a download, part of the page."""
    page_dir = PurePosixPath(page).parent
    found: set[str] = set()

    def resolve(target: str) -> str | None:
        target = target.strip()
        if not target or "://" in target or target.startswith(("data:", "#", "mailto:")) or "*" in target:
            return None
        joined = srcdir / target.lstrip("/") if target.startswith("/") else srcdir / page_dir / target
        resolved = Path(os.path.normpath(joined))
        return resolved.relative_to(srcdir).as_posix() if resolved.is_relative_to(srcdir) else None

    def visit(text: str, inside: frozenset[str]) -> None:
        for part in walk(text, colon_fence):
            if isinstance(part, str):
                for image in _IMAGE.finditer(part):
                    found.update(filter(None, [resolve(image["target"])]))
                for download in _DOWNLOAD.finditer(part):
                    found.update(filter(None, [resolve(download["inner"] or download["plain"])]))
                for link in _LINK.finditer(part):
                    path = resolve(link["target"].partition("#")[0])
                    if path is not None and path not in pages and (srcdir / path).is_file():
                        found.add(path)
                continue
            directive = part
            targets = [directive.argument] if directive.name in FILE_ARGUMENT else []
            if directive.name in FILE_OPTION and "file" in directive.options:
                targets.append(directive.options["file"])
            for target in targets:
                path = resolve(target)
                if path is None:
                    continue
                found.add(path)
                nested = directive.name == "include" and not ({"literal", "code"} & directive.options.keys())
                if nested and path not in inside and (srcdir / path).is_file():
                    visit((srcdir / path).read_text(encoding="utf-8"), inside | {path})

    visit(text, frozenset({page}))
    return found
