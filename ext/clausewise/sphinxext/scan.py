"""Reading a handbook from its source files alone, for ``clausewise check``.

A full build learns three things from Sphinx that the rules need besides the
front matter, and this module finds the same from the text, without Sphinx's
reader: pages are tokenized by MyST's own markdown-it parser, never rendered to
docutils nodes (rendering and reading are most of a build's time), and only
pages whose text could name a file are tokenized at all:

- which files are pages: ``conf.py``'s ``include_patterns`` and
  ``exclude_patterns`` applied by Sphinx's own :class:`sphinx.project.Project`;
- which files each page is made of (Sphinx's ``env.dependencies``): MyST
  ``{include}`` (recursively, unless ``literal`` or ``code``),
  ``{literalinclude}``, ``{image}``, ``{figure}``, Markdown images,
  ``{download}`` roles, Markdown links to files that are not pages (downloads),
  the ``file`` option of ``{csv-table}`` and ``{raw}``, and ``docutils.conf``;
  not what stands in code blocks or code spans. As in Sphinx with MyST, a
  relative path is relative to the page's folder (also inside included files),
  ``/path`` to the handbook's folder;
- where the ``{clause-catalogue}`` directive stands.

``conf.py`` is executed by Sphinx's :class:`sphinx.config.Config`, as a build
would. A test keeps the result identical to a full build's on handbooks that use
each of these constructs.
"""

from __future__ import annotations

import functools
import os
import re
import textwrap
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from clausewise.core.findings import Finding
from clausewise.core.settings import ClausewiseConfig, SettingError, declarations
from clausewise.pipeline import assembly
from clausewise.sources import catalogue, gitlog
from clausewise.sources.text import UndecodableError, read_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from myst_parser.config.main import MdParserConfig

CATALOGUE_DIRECTIVE = "clause-catalogue"

#: Directives whose body is text, not Markdown: nothing inside them is a directive.
#: (``list-table``'s body is a Markdown list, so it is not one of them.)
LITERAL_BODIES = frozenset(
    {"code", "code-block", "code-cell", "sourcecode", "literalinclude", "include", "csv-table", "raw", "math",
     "mermaid", "graphviz", "digraph", "graph", "eval-rst", "parsed-literal", "highlight"}
)  # fmt: skip
#: Literal bodies that MyST still reads as inline Markdown: images and roles, no directives.
INLINE_BODIES = frozenset({"parsed-literal"})
#: Directives whose argument is a file shown on the page.
FILE_ARGUMENT = frozenset({"include", "literalinclude", "image", "figure"})
#: Directives with a ``:file:`` option.
FILE_OPTION = frozenset({"csv-table", "raw"})


class ScanError(Exception):
    """``conf.py`` or a setting cannot be used: said on stderr, exit code 2."""


@dataclass
class ScannedHandbook:
    """The plain inputs of :func:`clausewise.pipeline.assembly.assemble`, found without Sphinx's reader."""

    given: assembly.HandbookInput  # suppress_warnings included


def read_config(srcdir: Path, today: date | None = None) -> tuple[Any, ClausewiseConfig]:
    """Execute ``conf.py`` like Sphinx does and return (Sphinx config, clausewise settings);
    ``today``, when given, is the settings' today (``CLAUSEWISE_TODAY`` and ``conf.py`` unread)."""
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
        cfg = ClausewiseConfig.from_values({name: config[name] for name, _, _ in declarations()}, today=today)
    except SettingError as exc:
        raise ScanError(str(exc)) from exc
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

    # absolute: Sphinx's Config.read changes into the folder before it reads conf.py
    srcdir = srcdir.resolve()
    config, cfg = read_config(srcdir, today)
    project = Project(srcdir, source_suffixes(config.source_suffix))
    excluded = [*config.exclude_patterns, *config.templates_path, *config.html_extra_path, *config.html_static_path]
    docnames = project.discover(excluded, config.include_patterns)
    docutils_conf = srcdir / "docutils.conf"
    common = ["docutils.conf"] if docutils_conf.is_file() else []
    page_files = {Path(project.doc2path(d, absolute=False)).as_posix() for d in docnames}
    parser = markdown_parser(myst_settings(config))  # one for all pages, with the handbook's MyST settings

    pages: dict[str, assembly.PageData] = {}
    catalogue_pages: dict[str, tuple[str, int]] = {}
    dependencies: dict[str, list[str]] = {}
    unreadable: list[Finding] = []
    for docname in sorted(docnames):
        path = Path(project.doc2path(docname, absolute=True))
        relative = path.relative_to(srcdir).as_posix()
        try:
            text = read_text(path, config.source_encoding)
        except UndecodableError as exc:
            unreadable.append(assembly.unreadable_page(relative, exc))
            continue
        read = assembly.read_page(text, relative, docname, cfg)
        if relative.endswith(".md") and f"{{{CATALOGUE_DIRECTIVE}}}" in text:
            at = next((d.line for d in directives(text, parser) if d.name == CATALOGUE_DIRECTIVE), None)
            if at is not None:
                catalogue_pages[docname] = (relative, at)
        if read is not None:
            pages[docname] = read.page
            dependencies[docname] = sorted(
                {*common, *page_dependencies(srcdir, relative, text, pages=page_files, parser=parser)}
            )
    try:
        loaded, catalogue_files = catalogue.load_all(cfg.catalogue_names, srcdir)
    except catalogue.CatalogueError as exc:
        raise ScanError(str(exc)) from exc
    given = assembly.HandbookInput(
        srcdir,
        cfg,
        loaded,
        catalogue_files,
        pages,
        catalogue_pages,
        dependencies,
        tuple(config.suppress_warnings),
        tuple(unreadable),
    )
    return ScannedHandbook(given)


def result(srcdir: Path, today: date | None = None) -> tuple[assembly.BuildResult, ScannedHandbook]:
    """The handbook's model, rules and findings, as a full build computes them."""
    scanned = scan(srcdir, today)
    try:
        built, _ = assembly.assemble(scanned.given, None)
    except gitlog.GitUnavailableError as exc:
        raise ScanError(str(exc)) from exc
    return built, scanned


# --- the Markdown constructs a page is made of -------------------------------------

#: The inline tokens of MyST's parser that can make a page depend on a file.
_REFERENCES = frozenset({"image", "link_open", "myst_role"})
#: A URI's scheme, as MyST tells a link with one from a path (``REGEX_SCHEME``).
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: Sphinx's ``title <target>`` of a reference role (``ReferenceRole.explicit_title_re``).
_EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<(.*?)>$", re.DOTALL)
#: Text with none of these names no file: a link or image is ``](``, or ``]:`` for the
#: definition a reference-style one needs, a ``path:`` autolink names its scheme, and a
#: role or directive that names a file is written ``{name}``.
_NAMES_A_FILE = ("](", "]:", "path:", "{download}", *(f"{{{name}}}" for name in sorted(FILE_ARGUMENT | FILE_OPTION)))


def myst_settings(config: Any) -> MdParserConfig:
    """MyST's settings as myst-parser's Sphinx extension makes them from ``conf.py``'s
    ``myst_*`` values, which it registers on ``config`` with MyST's defaults as the extension does."""
    from myst_parser.config.main import MdParserConfig

    values: dict[str, Any] = {}
    for name, default, field in MdParserConfig().as_triple():
        if "sphinx" in field.metadata.get("omit", []):
            continue
        key = f"myst_{name}"
        if key not in config:
            config.add(key, default, "env", ())
        values[name] = config[key]
    try:
        return MdParserConfig(**values)
    except (TypeError, ValueError):
        return MdParserConfig()  # as a build does, after it logs "myst configuration invalid"


def markdown_parser(settings: MdParserConfig) -> MarkdownIt:
    """MyST's markdown-it parser, built as myst-parser builds it for ``settings``. Only
    its tokens are used: nothing is rendered, so the renderer is markdown-it's own."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(settings, RendererHTML)


@dataclass(frozen=True)
class Directive:
    name: str
    argument: str
    options: dict[str, str]
    line: int  # 1-based line of the opening fence, as MyST reports a directive's line


def walk(parser: MarkdownIt, text: str, first_line: int = 0) -> Iterator[Directive | Token]:
    """The MyST directives of ``text`` and, in order, its inline tokens that can name a
    file (images, links, roles), as MyST reads them: not inside code blocks, code spans
    or the bodies of :data:`LITERAL_BODIES`, but inside the Markdown bodies of other
    directives. ``text`` starts on the 0-based line ``first_line`` of its file."""
    settings: MdParserConfig = parser.options["myst_config"]
    for token in parser.parse(text):
        if token.type == "inline":
            yield from (child for child in token.children or () if child.type in _REFERENCES)
            continue
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue  # code blocks, HTML, math: nothing in them is Markdown
        line = first_line + token.map[0]
        found = _directive(token, settings, line)
        if found is None:
            if token.type == "colon_fence":  # a ``:::name`` div: its content is Markdown
                yield from walk(parser, token.content, line + 1)
            continue
        directive, body, body_line = found
        yield directive
        if directive.name not in FILE_ARGUMENT:
            # the argument is a title MyST renders as inline Markdown (admonition,
            # csv-table), the first line of the body of a directive that takes none
            # (note), or a word with no Markdown in it (a code block's language)
            yield from _inline_references(parser, directive.argument)
        if directive.name in INLINE_BODIES:
            yield from _inline_references(parser, body)
        elif directive.name not in LITERAL_BODIES:
            yield from walk(parser, body, body_line)


def _inline_references(parser: MarkdownIt, text: str) -> Iterator[Token]:
    """The tokens of ``text``, read as one line of inline Markdown, that can name a file."""
    for inline in parser.parseInline(text):
        yield from (child for child in inline.children or () if child.type in _REFERENCES)


def _directive(token: Token, settings: MdParserConfig, line: int) -> tuple[Directive, str, int] | None:
    """The directive a fence or colon fence on the 0-based ``line`` stands for, its
    body, and the 0-based line the body starts on; None for a code block or a div."""
    if settings.commonmark_only or settings.gfm_only:
        return None
    parts = token.info.strip().split(maxsplit=1)
    name = parts[0] if parts else ""
    argument = parts[1] if len(parts) > 1 else ""
    options: dict[str, str] = {}
    content = token.content
    if name.startswith("{") and name.endswith("}"):
        name = name[1:-1]
        if token.type == "colon_fence" and content.startswith(":::"):
            # MyST's own step, so a nested fence is not read as an option; the body
            # then counts one line more, and so do the lines MyST reports inside it
            content = "\n" + content
    elif token.type == "fence" and name in settings.fence_as_directive:
        options = {("name" if key == "id" else key): str(value) for key, value in token.attrs.items()}
    else:
        return None
    block_options, body, skipped = _split_options(content)
    return Directive(name, argument, {**options, **block_options}, line + 1), body, line + 1 + skipped


def _split_options(content: str) -> tuple[dict[str, str], str, int]:
    """A directive's options, its body, and the number of lines before the body, split as
    MyST splits them: a YAML block between ``---`` lines or ``:key: value`` lines first
    (read by MyST's own option reader), then one blank line dropped."""
    from myst_parser.parsers.options import TokenizeError, options_to_tokens

    lines = content.splitlines()
    block: str | None = None
    skipped = 0
    if content.startswith("---"):
        end = next((i for i, text in enumerate(lines) if i and text.startswith("---")), None)
        if end is None:
            block, skipped, lines = "\n".join(lines[1:]), len(lines), []
        else:
            block = "\n".join(lines[1:end])
            # text after the closing dashes is the body's first line
            rest = lines[end].lstrip("-").removeprefix(" ")
            skipped, lines = (end, [rest, *lines[end + 1 :]]) if rest else (end + 1, lines[end + 1 :])
        block = textwrap.dedent(block)
    elif content.lstrip().startswith(":"):
        count = next((i for i, text in enumerate(lines) if not _is_option_line(text)), len(lines))
        block = "\n".join(text.lstrip()[1:] for text in lines[:count])
        skipped, lines = count, lines[count:]
    options: dict[str, str] = {}
    if block is not None:
        try:
            pairs, _ = options_to_tokens(block)
        except TokenizeError:
            pairs = []  # MyST warns and drops them all
        options = {key.value: value.value if value is not None else "" for key, value in pairs}
    if lines and not lines[0].strip():
        skipped, lines = skipped + 1, lines[1:]
    return options, "\n".join(lines), skipped


def _is_option_line(line: str) -> bool:
    """MyST's ``is_option_line``, not imported: its module costs more to import than
    the rest of the parser. A ``:::`` line is a nested colon fence, not an option."""
    stripped = line.lstrip()
    return stripped.startswith(":") and not stripped.startswith(":::")


def directives(text: str, parser: MarkdownIt | None = None) -> Iterator[Directive]:
    """The MyST directives of a page, in order, nested ones too, read with the handbook's
    ``parser`` (see :func:`markdown_parser`), else with MyST's defaults."""
    return (d for d in walk(parser or _default_parser(), text) if isinstance(d, Directive))


@functools.cache
def _default_parser() -> MarkdownIt:
    """MyST's parser with its default settings, for callers without a handbook's."""
    from myst_parser.config.main import MdParserConfig

    return markdown_parser(MdParserConfig())


def page_dependencies(
    srcdir: Path, page: str, text: str, pages: Collection[str] = (), parser: MarkdownIt | None = None
) -> set[str]:
    """The files (relative to ``srcdir``) the page at ``page`` is made of, besides itself.

    ``pages`` are the handbook's page files: a Markdown link to one of them is a
    link; a link to any other file that exists is a download, part of the page.
    The text is read with the handbook's ``parser`` (see :func:`markdown_parser`; one
    for all pages), else with MyST's defaults."""
    md = parser or _default_parser()
    settings: MdParserConfig = md.options["myst_config"]
    page_dir = PurePosixPath(page).parent
    found: set[str] = set()

    def resolve(target: str) -> str | None:
        target = target.strip()
        if not target or "://" in target or target.startswith(("data:", "#", "mailto:")) or "*" in target:
            return None
        joined = srcdir / target.lstrip("/") if target.startswith("/") else srcdir / page_dir / target
        resolved = Path(os.path.normpath(joined))
        return resolved.relative_to(srcdir).as_posix() if resolved.is_relative_to(srcdir) else None

    def link(token: Token) -> str | None:
        """The file a Markdown link downloads, decided as MyST's ``render_link`` does."""
        href = str(token.attrGet("href") or "")
        if settings.all_links_external or "external" in str(token.attrs.get("class", "")).split():
            return None
        match = _SCHEME.match(href)
        scheme = match[1] if match else None
        if href.startswith("#") or scheme in settings.url_schemes or scheme in ("inv", "project"):
            return None  # an anchor, a URL, an inventory or a page link
        destination = md.normalizeLinkText(href)  # the path as written, not %-encoded
        if scheme == "path":
            return resolve(destination.removeprefix("path:"))  # a download, whether the file exists or not
        if token.info == "auto":
            return None  # an autolink is a URL
        path = resolve(destination.partition("#")[0])
        return path if path is not None and path not in pages and (srcdir / path).is_file() else None

    def visit(text: str, inside: frozenset[str]) -> None:
        if not settings.fence_as_directive and not any(marker in text for marker in _NAMES_A_FILE):
            return  # most pages name no file, and parsing is most of the time this takes
        for part in walk(md, text):
            if isinstance(part, Directive):
                files_of(part, inside)
            elif part.type == "image":
                found.update(filter(None, [resolve(str(part.attrGet("src") or ""))]))
            elif part.type == "link_open":
                found.update(filter(None, [link(part)]))
            elif part.meta.get("name") == "download" and not part.content.startswith("!"):  # ! is "no link"
                explicit = _EXPLICIT_TITLE.match(part.content)
                found.update(filter(None, [resolve(explicit[2] if explicit else part.content)]))

    def files_of(directive: Directive, inside: frozenset[str]) -> None:
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
