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
- where the ``{clause-catalogue}`` directive stands;
- with ``clausewise_safe_mode``, what a build refuses on any Markdown page
  (:func:`read_references`, with the messages of
  :mod:`clausewise.sphinxext.refusals`): files outside the handbook or in a
  hidden folder of it (never read here either), pages that are links out, raw
  HTML and script links.

``conf.py`` is executed by Sphinx's :class:`sphinx.config.Config`, as a build
would. A test keeps the result identical to a full build's on handbooks that use
each of these constructs.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import re
import textwrap
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from clausewise.core.findings import Code, Finding
from clausewise.core.settings import ClausewiseConfig, SettingError, declarations
from clausewise.core.urls import dangerous_scheme
from clausewise.pipeline import assembly
from clausewise.sources import catalogue, frontmatter, gitlog
from clausewise.sources.text import UndecodableError, read_text
from clausewise.sphinxext import refusals

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
FILE_ARGUMENT = frozenset({"include", "literalinclude", "image", "figure", "needimport"})
#: Directives with a ``:file:`` option.
FILE_OPTION = frozenset({"csv-table", "raw"})


class ScanError(Exception):
    """``conf.py`` or a setting cannot be used: said on stderr, exit code 2."""


@dataclass
class ScannedHandbook:
    """The plain inputs of :func:`clausewise.pipeline.assembly.assemble`, found without Sphinx's reader."""

    given: assembly.HandbookInput  # suppress_warnings included


def read_config(
    srcdir: Path, today: date | None = None, *, audience: str | None = None
) -> tuple[Any, ClausewiseConfig]:
    """Execute ``conf.py`` like Sphinx does and return (Sphinx config, clausewise settings);
    ``today``, when given, is the settings' today (``CLAUSEWISE_TODAY`` and ``conf.py`` unread),
    and ``audience`` (a command's ``--audience``) likewise the audience."""
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
        cfg = ClausewiseConfig.from_values(
            {name: config[name] for name, _, _ in declarations()}, today=today, audience=audience
        )
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
    excluded += assembly.broken_link_exclusions(srcdir, cfg)  # as the build does on config-inited
    docnames = project.discover(excluded, config.include_patterns)
    docutils_conf = srcdir / "docutils.conf"
    common = ["docutils.conf"] if docutils_conf.is_file() else []
    # each page's path relative to the handbook, found once (thousands of pages: Sphinx makes a Path each time)
    relative_of = {d: Path(project.doc2path(d, absolute=False)).as_posix() for d in docnames}
    page_files = set(relative_of.values())
    parser = markdown_parser(myst_settings(config))  # one for all pages, with the handbook's MyST settings

    pages: dict[str, assembly.PageData] = {}
    catalogue_pages: dict[str, tuple[str, int]] = {}
    dependencies: dict[str, list[str]] = {}
    safety_findings: dict[str, list[Finding]] = {}
    left_out: list[Finding] = []
    texts: dict[str, str] = {}  # docname -> the text of each page that can be read
    outside: dict[str, str] = {}  # docname -> why a page's file leads outside the handbook (safe mode)
    real = refusals.RealPaths()
    for docname in sorted(docnames):
        relative = relative_of[docname]
        path = srcdir / relative
        reason = refusals.outside_reason(relative, path, srcdir, real) if cfg.safe_mode else None
        if reason is not None:
            outside[docname] = reason
            continue
        with contextlib.suppress(UndecodableError):
            texts[docname] = read_text(path, config.source_encoding)
    # records are read against the fields their record types declare, on any page (as a build does)
    given_pages = [(text, relative_of[d], d) for d, text in texts.items()]
    parsed = assembly.front_matters(given_pages)
    declared = assembly.declared_fields(given_pages, cfg, parsed)
    for docname in sorted(docnames):
        relative = relative_of[docname]
        path = srcdir / relative
        reason = outside.get(docname)
        if reason is not None:  # a link out of the handbook: not read, as in a build
            left_out.append(Finding(relative, 0, Code.UNSAFE_INCLUDE, "", refusals.refused_page_message(reason)))
            continue
        try:
            text = texts[docname] if docname in texts else read_text(path, config.source_encoding)
        except UndecodableError as exc:
            left_out.append(assembly.unreadable_page(relative, exc))
            continue
        read = assembly.read_page(text, relative, docname, cfg, declared, parsed.get(docname))
        unreadable = assembly.unreadable_classification(text, relative) if read is None else None
        if unreadable is not None:  # withheld by the build, which reports it with safe mode's refusals
            safety_findings.setdefault(docname, []).append(unreadable)
        if relative.endswith(".md") and f"{{{CATALOGUE_DIRECTIVE}}}" in text:
            at = next((d.line for d in directives(text, parser) if d.name == CATALOGUE_DIRECTIVE), None)
            if at is not None:
                catalogue_pages[docname] = (relative, at)
        safety = None
        if cfg.safe_mode and relative.endswith(".md"):
            subject = read.page.item.id if read is not None and read.page.item is not None else ""
            safety = SafetyCheck(subject, read is None and refusals.opt_out_reason(text) is not None)
        if read is not None or safety is not None:
            files, refused = read_references(srcdir, relative, text, page_files, parser, safety)
            if safety is not None and not safety.html_allowed:
                fm = read.front_matter if read is not None else frontmatter.parse(text)
                refused += refusals.http_equiv_findings(relative, fm, safety.subject)
            if refused:
                safety_findings.setdefault(docname, []).extend(refused)
            if read is not None:
                pages[docname] = read.page
                dependencies[docname] = sorted({*common, *files})
    try:
        loaded, catalogue_files = catalogue.load_all(cfg.catalogue_names, srcdir)
    except catalogue.CatalogueError as exc:
        raise ScanError(str(exc)) from exc
    given = assembly.HandbookInput(
        srcdir, cfg, loaded, catalogue_files, pages, catalogue_pages, dependencies, tuple(config.suppress_warnings),
        safety_findings=safety_findings, left_out=tuple(left_out),
    )  # fmt: skip
    return ScannedHandbook(given)


def handbook_files(srcdir: Path) -> list[str]:
    """The handbook's own files, for ``clausewise demo`` to replay, sorted: ``conf.py``,
    every file that ``include_patterns`` admits and ``exclude_patterns`` does not (as
    Sphinx matches them), and what a build reads besides its pages wherever it lies: the
    catalogue files, ``docutils.conf``, the files of ``html_static_path``,
    ``html_extra_path`` and ``templates_path``, ``html_favicon`` and ``html_logo``. Files
    and folders whose name starts with a dot (``.git``, a virtualenv), symbolic links and
    anything outside ``srcdir`` are not part of it."""
    from sphinx.util.matching import Matcher

    srcdir = srcdir.resolve()
    config, cfg = read_config(srcdir)
    for name in ("html_favicon", "html_logo"):
        if name not in config:
            config.add(name, None, "html", ())
    included, excluded = Matcher(list(config.include_patterns)), Matcher(list(config.exclude_patterns))

    def regular(relative: str) -> bool:
        parts = PurePosixPath(relative).parts
        path = srcdir / relative
        return not any(p.startswith(".") for p in parts) and path.is_file() and not path.is_symlink()

    def walk(top: Path, admit: Any) -> Iterator[str]:
        for root, dirs, names in os.walk(top):
            here = Path(root)
            dirs[:] = [
                d for d in dirs if not d.startswith(".") and admit((here / d).relative_to(srcdir).as_posix(), True)
            ]
            yield from (r for n in names if admit(r := (here / n).relative_to(srcdir).as_posix(), False))

    found = {"conf.py", "docutils.conf"}
    found.update(walk(srcdir, lambda rel, folder: not excluded(rel) and (folder or included(rel))))
    for folder in (*config.html_static_path, *config.html_extra_path, *config.templates_path):
        if (srcdir / folder).is_dir():
            found.update(walk(srcdir / folder, lambda rel, folder: True))
    extra = [config.html_favicon, config.html_logo, *cfg.catalogue_names]
    found.update(str(name) for name in extra if isinstance(name, str) and "://" not in name)
    inside = set()
    for relative in found:
        try:
            inside.add((srcdir / relative).resolve().relative_to(srcdir).as_posix())
        except ValueError:
            continue  # outside the handbook: not its own
    return sorted(r for r in inside if regular(r))


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
    body: str = ""


def walk(parser: MarkdownIt, text: str, first_line: int = 0) -> Iterator[Directive | Token]:
    """The MyST directives of ``text`` and, in order, its inline tokens that can name a
    file (images, links, roles) and its HTML (blocks and inline), each token with the
    1-based line MyST gives its node in ``meta["line"]``, as MyST reads them: not inside code blocks, code spans
    or the bodies of :data:`LITERAL_BODIES`, but inside the Markdown bodies of other
    directives. ``text`` starts on the 0-based line ``first_line`` of its file."""
    settings: MdParserConfig = parser.options["myst_config"]
    for token in parser.parse(text):
        if token.type == "inline":
            # MyST gives an inline node the line its paragraph starts on
            yield from _marked(token.children or (), first_line + (token.map or [0])[0] + 1)
            continue
        if token.type == "html_block" and token.map is not None:
            token.meta["line"] = first_line + token.map[0] + 1
            yield token
            continue
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue  # code blocks, math: nothing in them is Markdown
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
            yield from _inline_references(parser, directive.argument, directive.line)
        if directive.name in INLINE_BODIES:
            yield from _inline_references(parser, body, directive.line)
        elif directive.name not in LITERAL_BODIES:
            yield from walk(parser, body, body_line)


def _inline_references(parser: MarkdownIt, text: str, line: int) -> Iterator[Token]:
    """The tokens of ``text``, read as one line of inline Markdown on ``line``, that can name a
    file or are HTML."""
    for inline in parser.parseInline(text):
        yield from _marked(inline.children or (), line)


def _marked(children: Iterable[Token], line: int) -> Iterator[Token]:
    """The inline tokens that can name a file or are HTML, each with its 1-based line in ``meta``."""
    for child in children:
        if child.type in _REFERENCES or child.type == "html_inline":
            child.meta["line"] = line
            yield child


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
    return Directive(name, argument, {**options, **block_options}, line + 1, body), body, line + 1 + skipped


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


def _html_images(html: str, settings: MdParserConfig) -> list[str] | None:
    """The ``src`` of each image MyST makes of ``html`` when it makes nodes of it (with its
    ``html_image`` or ``html_admonition`` extension, as its ``html_to_nodes`` decides);
    ``None`` when the HTML stays raw HTML."""
    image, admonition = ("html_image" in settings.enable_extensions, "html_admonition" in settings.enable_extensions)
    if settings.gfm_only or not (image or admonition):
        return None
    from myst_parser.parsers.parse_html import tokenize_html

    try:
        root = tokenize_html(html).strip(inplace=True, recurse=False)
    except Exception:
        return None
    children = list(root)
    if not children or not all(
        (image and child.name == "img") or (admonition and child.name == "div" and "admonition" in child.attrs.classes)
        for child in children
    ):
        return None
    return [str(child.attrs["src"]) for child in children if child.name == "img" and "src" in child.attrs]


def page_dependencies(
    srcdir: Path, page: str, text: str, pages: Collection[str] = (), parser: MarkdownIt | None = None
) -> set[str]:
    """The files (relative to ``srcdir``) the page at ``page`` is made of, besides itself.

    ``pages`` are the handbook's page files: a Markdown link to one of them is a
    link; a link to any other file that exists is a download, part of the page.
    The text is read with the handbook's ``parser`` (see :func:`markdown_parser`; one
    for all pages), else with MyST's defaults."""
    return read_references(srcdir, page, text, pages, parser)[0]


@dataclass(frozen=True)
class SafetyCheck:
    """What safe mode checks on one page (see :mod:`clausewise.sphinxext.safety`)."""

    subject: str  # the id of the page's document or record, "" if none
    html_allowed: bool  # a page that is not governed and says 'clausewise_unsafe: "<reason>"'


def read_references(
    srcdir: Path,
    page: str,
    text: str,
    pages: Collection[str] = (),
    parser: MarkdownIt | None = None,
    safety: SafetyCheck | None = None,
) -> tuple[set[str], list[Finding]]:
    """The files the page is made of (see :func:`page_dependencies`) and, with ``safety``,
    what safe mode refuses on it, as the build finds them: files outside the handbook
    (not read, not dependencies), raw HTML and script links."""
    from clausewise.sphinxext import refusals

    md = parser or _default_parser()
    settings: MdParserConfig = md.options["myst_config"]
    page_dir = PurePosixPath(page).parent
    found: set[str] = set()
    refused: list[Finding] = []

    # images and downloads that a browser opens as a page: refused as raw HTML is
    html_refused = safety is not None and not safety.html_allowed

    def refuse(where: str, line: int, code: Code, message: str) -> None:
        assert safety is not None
        refused.append(Finding(where, line, code, safety.subject, message))

    def outside(written: str, absolute: Path) -> str | None:
        """Why the file is refused (safe mode and outside), else None."""
        return refusals.file_reason(written, absolute, srcdir) if safety is not None else None

    def sphinx_path(target: str) -> Path:
        """Where Sphinx looks for ``target`` (``env.relfn2path``): ``/`` is the handbook's folder."""
        if target.startswith(("/", "\\")):
            return srcdir / target.lstrip("/\\")
        return srcdir / page_dir / target

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
            return destination.removeprefix("path:")  # a download, whether the file exists or not
        if token.info == "auto":
            return None  # an autolink is a URL
        path_dest = destination.partition("#")[0]
        absolute = sphinx_path(path_dest)
        if not absolute.is_file():
            return None
        if outside(path_dest, absolute) is not None:
            return path_dest  # a download of a file outside (refused below)
        path = resolve(path_dest)
        return path_dest if path is not None and path not in pages else None

    def download(target: str, where: str, line: int) -> None:
        """A download of ``target`` (as written), refused when it leads outside."""
        reason = refusals.file_url_reason(target) if safety is not None else None
        if reason is None and "://" in target:
            return
        reason = reason or outside(target, sphinx_path(target))
        if reason is not None:
            refuse(where, line, Code.UNSAFE_INCLUDE, refusals.refused_file_message("the download link", reason))
            return
        active = refusals.active_file_reason(target, sphinx_path(target)) if html_refused else None
        if active is not None:
            refuse(where, line, Code.RAW_HTML, refusals.active_file_message("the download link", active))
            return
        found.update(filter(None, [resolve(target)]))

    def image(uri: str, where: str, line: int) -> None:
        scheme = dangerous_scheme(uri, image=True) if safety is not None else None
        if scheme is not None:
            refuse(where, line, Code.UNSAFE_LINK, refusals.unsafe_link_message("an image", uri, scheme))
            return
        machine_file = refusals.file_url_reason(uri) if safety is not None else None
        if machine_file is not None:
            refuse(where, line, Code.UNSAFE_INCLUDE, refusals.refused_file_message("the image", machine_file))
            return
        if uri.startswith("data:") or "://" in uri:
            return
        if safety is not None:
            written = sphinx_path(uri)
            candidates = (
                [Path(p) for p in glob.glob(glob.escape(str(written)[:-1]) + "*")] or [written]
                if uri.endswith(".*")
                else [written]
            )
            reasons = [r for c in candidates if (r := outside(uri, c)) is not None]
            if reasons:
                refuse(where, line, Code.UNSAFE_INCLUDE, refusals.refused_file_message("the image", reasons[0]))
                return
            active = [r for c in candidates if (r := refusals.active_file_reason(uri, c)) is not None]
            if active and html_refused:
                refuse(where, line, Code.RAW_HTML, refusals.active_file_message("the image", active[0]))
                return
        found.update(filter(None, [resolve(uri)]))

    def visit(text: str, where: str, inside: frozenset[str]) -> None:
        markers = _NAMES_A_FILE + (("<",) if safety is not None else ())
        if not settings.fence_as_directive and not any(marker in text for marker in markers):
            return  # most pages name no file, and parsing is most of the time this takes
        for part in walk(md, text):
            if isinstance(part, Directive):
                files_of(part, where, inside)
            elif part.type in ("html_block", "html_inline"):
                shown = _html_images(part.content, settings)
                if shown is not None:  # MyST makes images (and admonitions) of it, not raw HTML
                    for src in shown:
                        image(src, where, part.meta["line"])
                elif safety is not None and not safety.html_allowed and not refusals.is_html_comment(part.content):
                    refuse(where, part.meta["line"], Code.RAW_HTML, refusals.raw_html_message("html", part.content))
            elif part.type == "image":
                image(str(part.attrGet("src") or ""), where, part.meta["line"])
            elif part.type == "link_open":
                target = link(part)
                if target is not None:
                    download(target, where, part.meta["line"])
            elif part.meta.get("name") == "download" and not part.content.startswith("!"):  # ! is "no link"
                explicit = _EXPLICIT_TITLE.match(part.content)
                download((explicit[2] if explicit else part.content).strip(), where, part.meta["line"])

    def files_of(directive: Directive, where: str, inside: frozenset[str]) -> None:
        if directive.name in ("image", "figure"):
            image(directive.argument.strip(), where, directive.line)
            target = directive.options.get("target", "")
            scheme = dangerous_scheme(target) if safety is not None and not safety.html_allowed else None
            if scheme is not None:
                refuse(where, directive.line, Code.UNSAFE_LINK, refusals.unsafe_link_message("a link", target, scheme))
            return
        targets: list[tuple[str, Path]] = []
        if directive.name in ("include", "literalinclude"):
            written = "".join(part.strip() for part in directive.argument.splitlines())
            if not (written.startswith("<") and written.endswith(">")):
                targets.append((written, sphinx_path(written)))
            if directive.name == "literalinclude" and directive.options.get("diff"):
                targets.append((directive.options["diff"], sphinx_path(directive.options["diff"])))
        if directive.name == "needimport":
            kind, named = refusals.needimport_source(directive.argument.strip())
            if kind == "url" and safety is not None:
                refuse(where, directive.line, Code.UNSAFE_INCLUDE,
                       refusals.url_message("needimport", named, "argument"))  # fmt: skip
                return
            written = directive.argument.strip()
            targets.append((written, Path(named) if named != written else sphinx_path(written)))
        if directive.name in FILE_OPTION and "file" in directive.options:
            # docutils reads these relative to the file the directive stands in
            written = directive.options["file"]
            targets.append((written, srcdir / PurePosixPath(where).parent / written))
        refusing = False
        if safety is not None and directive.name in FILE_OPTION and "url" in directive.options:
            refuse(
                where,
                directive.line,
                Code.UNSAFE_INCLUDE,
                refusals.url_message(directive.name, directive.options["url"]),
            )
            refusing = True
        for written, absolute in targets:
            reason = outside(written, absolute)
            if reason is not None:
                what = "file" if directive.name in ("include", "literalinclude", "needimport") else "'file' option"
                refuse(where, directive.line, Code.UNSAFE_INCLUDE,
                       refusals.refused_file_message(f"the {directive.name} directive's {what}", reason))  # fmt: skip
                refusing = True
        if refusing:
            return
        if directive.name == "raw" and safety is not None and not safety.html_allowed:
            shown = directive.body
            if "file" in directive.options:
                shown = (srcdir / PurePosixPath(where).parent / directive.options["file"]).read_text(encoding="utf-8")
            kind = " ".join(directive.argument.lower().split())
            if not (kind == "html" and refusals.is_html_comment(shown)):
                refuse(where, directive.line, Code.RAW_HTML, refusals.raw_html_message(kind, shown))
        for written, _ in targets:
            path = resolve(written)
            if path is None:
                continue
            found.add(path)
            nested = directive.name == "include" and not ({"literal", "code"} & directive.options.keys())
            if nested and path not in inside and (srcdir / path).is_file():
                visit((srcdir / path).read_text(encoding="utf-8"), path, inside | {path})

    visit(text, page, frozenset({page}))
    return found, refused
