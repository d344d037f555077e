"""Safe mode (``clausewise_safe_mode``): what a page may read and carry into the published handbook.

Document owners are not developers, and some contributors are hostile; a change
to a page must not be able to publish a file of the build machine or put script
into readers' browsers. With safe mode on (the default), while pages are read:

- **files outside the source folder** are refused before they are read: the
  directives that read a file (``include``, ``literalinclude`` and its ``diff``,
  ``raw`` and ``csv-table`` with ``file``; their ``url`` too; sphinx-needs' ``needimport``) are clausewise's own
  classes (:data:`DIRECTIVES`, registered in place of the library's), which check
  the path first and then hand over to the library's directive (with safe mode
  off, at once); images (``{image}``, ``{figure}``, Markdown and
  HTML images) and downloads (``{download}``, links to files) are checked on
  ``doctree-read`` before Sphinx's asset collectors copy them (:func:`on_doctree_read`);
  a page whose own file leads outside (a symbolic link) is left out of the build
  before Sphinx reads it (:func:`clausewise.sphinxext.events.leave_out_pages`).
  A path is outside when its real path, after
  ``..`` and symbolic links, is not under the real source folder; a file in a
  hidden file or folder of the handbook (``.git``, ``.env``) is refused too;
- **files a browser opens as a page** (HTML and XML files, an SVG with script), named as an
  image or a download, are refused on ``doctree-read`` before Sphinx copies them to
  ``_images/`` or ``_downloads/``: opened there, their script would run on the handbook's
  address (:func:`~clausewise.sphinxext.refusals.active_file_reason`);
- **raw HTML** (MyST's HTML blocks and inline HTML, ``{raw}``; comments alone excepted) and links whose
  target runs script (``javascript:``, ``vbscript:``, ``data:``; see
  :mod:`clausewise.core.urls`) become text on ``doctree-read``, before Sphinx
  collects titles for the navigation. A page that is not governed may allow raw
  HTML and such links, visibly, with front matter ``clausewise_unsafe: "<reason>"``
  (:data:`~clausewise.sphinxext.refusals.OPT_OUT_KEY`); a governed page never.

The same guards keep a page the build's audience may not read from being shown by
another page that names its file (:func:`withheld_file`): the directive, the image or
the download shows a notice instead, with safe mode on or off.

Each refusal is a finding kept per page in the Domain (``safety_findings``) and
reported with the others; ``clausewise check`` finds the same from the tokens
(:mod:`clausewise.sphinxext.scan`).
"""

from __future__ import annotations

import glob
import os
import weakref
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.parsers.rst.directives.misc import Raw
from docutils.parsers.rst.directives.tables import CSVTable
from myst_parser.mocking import MockIncludeDirective, MockState
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.config import NeedsSphinxConfig
from sphinx_needs.directives.needimport import NeedimportDirective

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

from clausewise.core.findings import Code, Finding
from clausewise.core.urls import dangerous_scheme
from clausewise.pipeline import assembly
from clausewise.sources import frontmatter
from clausewise.sphinxext import refusals, render
from clausewise.sphinxext.config import settings_of
from clausewise.sphinxext.domain import domain
from clausewise.sphinxext.refusals import (
    REFUSED_CLASS,
    active_file_message,
    active_file_reason,
    file_reason,
    file_url_reason,
    is_html_comment,
    opt_out_reason,
    raw_html_message,
    refused_file_message,
    unsafe_link_message,
    url_message,
)


def record(env: BuildEnvironment, path: str, line: int, code: Code, message: str) -> None:
    """Keep a refusal of the page being read; reported with every other finding."""
    page = domain(env).pages.get(env.docname)
    subject = page.item.id if page is not None and page.item is not None else ""
    domain(env).safety_findings.setdefault(env.docname, []).append(Finding(path, line, code, subject, message))


def source_path(env: BuildEnvironment, source: str | None) -> str:
    """``source`` (a page or an included file) relative to the handbook; the page read when unknown."""
    srcdir = Path(env.srcdir).resolve()
    if source:
        resolved = Path(os.path.normpath(Path(source).absolute()))
        if resolved.is_relative_to(srcdir):
            return resolved.relative_to(srcdir).as_posix()
    return Path(env.doc2path(env.docname)).relative_to(env.srcdir).as_posix()


def sphinx_path(env: BuildEnvironment, written: str) -> Path:
    """Where Sphinx looks for ``written`` from the page being read (``env.relfn2path``: ``/`` is
    the handbook's folder, else the page's), before ``..`` and links are resolved, so that
    :func:`outside_reason` can tell a path that leaves from a link that does."""
    srcdir = Path(env.srcdir)
    if written.startswith(("/", "\\")):
        return srcdir / written.lstrip("/\\")
    return srcdir / Path(env.doc2path(env.docname, base=False)).parent / written


#: The file a build leaves in its output folder and its doctrees folder, so that no page of
#: a later build shows what it wrote (its ``_sources/`` copies, pages and pickled doctrees).
BUILD_MARKER = ".clausewise-build"


def mark_build_folders(app: Sphinx) -> None:
    """On ``builder-inited``: mark this build's output and doctrees folders (:data:`BUILD_MARKER`)."""
    for folder in (Path(app.outdir), Path(app.doctreedir)):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / BUILD_MARKER).write_text("written by a build of the handbook; no page shows it\n", encoding="utf-8")


def build_output(srcdir: Path, target: Path) -> bool:
    """Whether ``target`` (resolved, in ``srcdir``) lies in a folder a build wrote: one that holds
    :data:`BUILD_MARKER` (or an audience's ``.clausewise-audience``), ``target``'s or one above it.
    An auditor's build inside the handbook's folder (``_build/auditor``) holds every confidential
    page, as HTML, as source and as pickles."""
    folder = target.parent
    while folder.is_relative_to(srcdir) and folder != srcdir:
        if (folder / BUILD_MARKER).exists() or (folder / ".clausewise-audience").exists():
            return True
        folder = folder.parent
    return False


def withheld_file(env: BuildEnvironment, path: str | os.PathLike[str]) -> str | None:
    """The handbook-relative path of the file at ``path`` (after ``..`` and symbolic links)
    when it is a page the build's audience may not read, decided from the file
    itself as when the page is read, or what a build wrote (:func:`build_output`); else ``None``.

    Whatever reads or copies a file for a page asks this first, with safe mode on or
    off: the audience decides what a build may contain, not the page that names the file."""
    srcdir = Path(env.srcdir).resolve()
    target = (Path(env.srcdir) / path).resolve()
    if not target.is_relative_to(srcdir) or not target.is_file():
        return None
    relative = target.relative_to(srcdir).as_posix()
    if build_output(srcdir, target):
        return relative
    try:
        text = target.read_text(encoding=env.config.source_encoding)
    except (OSError, UnicodeError):
        return None
    return relative if assembly.is_withheld(text, relative, settings_of(env)) else None


def withheld_notice(env: BuildEnvironment, relative: str) -> nodes.paragraph:
    """What stands where a page would show a withheld page's file, or a build's output."""
    srcdir = Path(env.srcdir).resolve()
    if build_output(srcdir, srcdir / relative):
        return render.paragraph(f"Content withheld: {relative} is what a build wrote, which no page shows.")
    return render.paragraph(render.withheld_text(relative, settings_of(env)).strip())


# --- directives that read a file ------------------------------------------------------------


class _FileGuard(SphinxDirective):
    """Checks the files a directive would read before the library's directive reads them."""

    #: what the finding calls the directive's file, and its address
    what: ClassVar[str] = "file"
    url_what: ClassVar[str] = "url option"

    def files(self) -> list[tuple[str, Path]]:
        """(as written, absolute path) of every file the directive would read."""
        raise NotImplementedError

    def urls(self) -> list[str]:
        return [self.options["url"]] if "url" in self.options else []

    def refusal(self) -> list[nodes.Node] | None:
        """What stands in for the directive when safe mode refuses it, or when a file it would
        read is a page withheld from the build's audience (with any option: ``:literal:``,
        ``:parser:``, ``:diff:``, a CSV table of it); else ``None``."""
        refused = self.unsafe() if settings_of(self.env).safe_mode else None
        if refused is not None:
            return refused
        for _, absolute in self.files():
            withheld = withheld_file(self.env, absolute)
            if withheld is not None:
                # read again when the file changes (it may be declassified), though it was not read
                self.env.note_dependency(absolute)
                self.note_withheld()
                return [withheld_notice(self.env, withheld)]
        return None

    def note_withheld(self) -> None:
        """Report, for a withheld file, what the build that reads it reports for the directive."""

    def unsafe(self) -> list[nodes.Node] | None:
        """The text standing in for the directive when safe mode refuses it, else ``None``."""
        source, line = self.get_source_info()
        where = source_path(self.env, source)
        srcdir = Path(self.env.srcdir)
        refused = False
        for url in self.urls():
            record(self.env, where, line or 0, Code.UNSAFE_INCLUDE, url_message(self.name, url, self.url_what))
            refused = True
        for written, absolute in self.files():
            reason = file_reason(written, absolute, srcdir)
            if reason is not None:
                record(self.env, where, line or 0, Code.UNSAFE_INCLUDE,
                       refused_file_message(f"the {self.name} directive's {self.what}", reason))  # fmt: skip
                refused = True
        if not refused:
            return None
        text = self.block_text or f"{self.name} {' '.join(self.arguments)}"
        return [nodes.literal_block(text, text, classes=[REFUSED_CLASS], language="text")]

    def sphinx_path(self, written: str) -> Path:
        return sphinx_path(self.env, written)

    def docutils_path(self, written: str) -> Path:
        """Where docutils looks for ``written``: relative to the file the directive stands in."""
        source = self.state.document.current_source or self.env.doc2path(self.env.docname)
        return Path(os.path.dirname(os.path.abspath(source))) / written


class SafeInclude(_FileGuard):
    """``include``: refused when the file is outside; else MyST's include (in Markdown) or Sphinx's (in rST).

    Not a subclass of docutils' ``Include``: MyST would then run its own include
    for it without calling this class."""

    required_arguments = 1
    final_argument_whitespace = True
    # MyST's own options for includes into Markdown, which it adds to Include subclasses only
    option_spec: ClassVar[dict[str, Any]] = {  # type: ignore[misc]
        **Include.option_spec,
        "relative-images": directives.flag,
        "relative-docs": directives.path,
        "heading-offset": directives.nonnegative_int,
    }

    def files(self) -> list[tuple[str, Path]]:
        written = "".join(part.strip() for part in self.arguments[0].splitlines())
        if written.startswith("<") and written.endswith(">"):
            return []  # docutils' own standard files (isonum.txt ...)
        return [(written, self.sphinx_path(written))]

    def run(self) -> list[nodes.Node]:
        refused = self.refusal()
        if refused is not None:
            return refused
        if isinstance(self.state, MockState):
            return list(
                MockIncludeDirective(
                    self.state._renderer, self.name, Include, self.arguments, self.options, list(self.content),
                    self.lineno,
                ).run()
            )  # fmt: skip
        include = Include(
            self.name, self.arguments, self.options, self.content, self.lineno, self.content_offset,
            self.block_text, self.state, self.state_machine,
        )  # fmt: skip
        return list(include.run())


class SafeLiteralInclude(_FileGuard, LiteralInclude):
    """``literalinclude``: its file and its ``diff`` file must be inside the handbook."""

    def files(self) -> list[tuple[str, Path]]:
        written = [self.arguments[0], *([self.options["diff"]] if self.options.get("diff") else [])]
        return [(w, self.sphinx_path(w)) for w in written]

    def run(self) -> list[nodes.Node]:
        refused = self.refusal()
        return refused if refused is not None else list(LiteralInclude.run(self))


class _DocutilsFileGuard(_FileGuard):
    what = "'file' option"
    #: the docutils directive checked
    library: ClassVar[type[Directive]]

    def files(self) -> list[tuple[str, Path]]:
        written = self.options.get("file")
        return [(written, self.docutils_path(written))] if written else []

    def run(self) -> list[nodes.Node]:
        refused = self.refusal()
        return refused if refused is not None else list(self.library.run(self))


class SafeRaw(_DocutilsFileGuard, Raw):
    """``raw``: its ``file`` must be inside the handbook and it fetches no ``url``; what it
    puts on a page is checked as raw HTML on ``doctree-read``."""

    library = Raw

    def note_withheld(self) -> None:
        # a withheld page's file is never only an HTML comment: as raw HTML it is refused in
        # every build (on doctree-read where the file is read); here without quoting it
        env = self.env
        if not settings_of(env).safe_mode or env.docname in domain(env).unsafe_allowed:
            return
        source, line = self.get_source_info()
        message = refusals.withheld_refusal_message(Code.RAW_HTML, settings_of(env).audience)
        record(env, source_path(env, source), line or 0, Code.RAW_HTML, message)


class SafeCSVTable(_DocutilsFileGuard, CSVTable):
    """``csv-table``: its ``file`` must be inside the handbook and it fetches no ``url``."""

    library = CSVTable


class SafeNeedImport(_FileGuard, NeedimportDirective):
    """sphinx-needs' ``needimport``: the needs file it reads must be inside the handbook (a
    ``file:`` address too), and it fetches no address from the network. An import key of
    ``needs_import_keys`` names what ``conf.py`` chose, and is not checked."""

    url_what = "argument"

    def _source(self) -> tuple[str, str] | None:
        written = self.arguments[0]
        if written in NeedsSphinxConfig(self.config).import_keys:
            return None
        return refusals.needimport_source(written)

    def urls(self) -> list[str]:
        source = self._source()
        return [source[1]] if source is not None and source[0] == "url" else []

    def files(self) -> list[tuple[str, Path]]:
        source = self._source()
        if source is None or source[0] == "url":
            return []
        path = source[1]
        return [(self.arguments[0], Path(path) if self.arguments[0] != path else self.sphinx_path(path))]

    def run(self) -> list[nodes.Node]:
        refused = self.refusal()
        return refused if refused is not None else list(NeedimportDirective.run(self))


#: The directives safe mode replaces, by name.
DIRECTIVES: dict[str, type[Directive]] = {
    "include": SafeInclude,
    "literalinclude": SafeLiteralInclude,
    "raw": SafeRaw,
    "csv-table": SafeCSVTable,
    "needimport": SafeNeedImport,
}


# --- pages whose file leads outside --------------------------------------------------------


#: The build's page files and MyST parser, made once for :func:`check_withheld_body` (kept
#: while the environment lives; each process of a parallel build has its own).
_WITHHELD_READERS: weakref.WeakKeyDictionary[BuildEnvironment, tuple[frozenset[str], MarkdownIt]] = (
    weakref.WeakKeyDictionary()
)


def check_withheld_body(env: BuildEnvironment, docname: str, relative: str, text: str, subject: str) -> None:
    """Report what safe mode refuses in a page that this build's audience may not read.

    Such a page is not parsed (:func:`clausewise.sphinxext.events.withheld_source`), so the
    guards below never see its body; its refusals are found from its tokens, as
    ``clausewise check`` finds them, so every audience's build has the same findings
    (code, page, line). Only their messages differ: they would quote the withheld page."""
    if not settings_of(env).safe_mode:
        return
    from clausewise.sphinxext import scan  # (scan imports MyST's parser; only withheld pages need it)

    srcdir = Path(env.srcdir)
    if env not in _WITHHELD_READERS:  # once per build, not once per withheld page
        pages = frozenset(Path(env.doc2path(d)).relative_to(srcdir).as_posix() for d in env.found_docs)
        _WITHHELD_READERS[env] = (pages, scan.markdown_parser(scan.myst_settings(env.config)))
    pages, parser = _WITHHELD_READERS[env]
    _, refused = scan.read_references(srcdir, relative, text, pages, parser, scan.SafetyCheck(subject, False))
    refused += refusals.http_equiv_findings(relative, frontmatter.parse(text), subject)
    # the messages quote the page (its HTML, a link's target, a path): not to this audience
    audience = settings_of(env).audience
    domain(env).safety_findings.setdefault(docname, []).extend(
        replace(f, message=refusals.withheld_refusal_message(f.code, audience)) for f in refused
    )


# --- front matter: the opt-out -----------------------------------------------------------


def note_opt_out(env: BuildEnvironment, docname: str, text: str, governed: bool) -> None:
    """Remember that a page that is not governed allows raw HTML (its front matter's ``clausewise_unsafe``)."""
    reason = None if governed else opt_out_reason(text)
    if reason is not None:
        domain(env).unsafe_allowed[docname] = reason


# --- doctree-read: images, downloads, raw HTML, script links -------------------------------


def _line(node: nodes.Node) -> int:
    """The line of ``node``: its own, else that of what it wraps (a linked image), else its parent's."""
    if not node.line and isinstance(node, nodes.Element):
        inner = next((n for n in node.findall(nodes.Element) if n.line), None)
        if inner is not None:
            return int(inner.line or 0)
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return int(current.line)
        current = current.parent
    return 0


def _source(node: nodes.Node) -> str | None:
    current: nodes.Node | None = node
    while current is not None:
        if current.source:
            return str(current.source)
        current = current.parent
    return None


def _as_text(node: nodes.Element, text: str) -> None:
    """Replace ``node`` by ``text``, shown literally (the writer escapes it): inline code in
    running text, else a plain-text block."""
    shown: nodes.Element
    if isinstance(node.parent, nodes.TextElement):
        shown = nodes.literal(text, text, classes=[REFUSED_CLASS])
    else:
        text = text.strip("\n")
        shown = nodes.literal_block(text, text, classes=[REFUSED_CLASS], language="text")
    node.replace_self(shown)


def _image_files(env: BuildEnvironment, uri: str) -> list[Path]:
    """The files Sphinx would copy for an image ``uri`` of the page being read."""
    written = sphinx_path(env, uri)
    if uri.endswith(os.extsep + "*"):
        return [Path(p) for p in glob.glob(glob.escape(str(written)[:-1]) + "*")] or [written]
    return [written]


def _refuse_http_equiv(env: BuildEnvironment, doctree: nodes.document) -> None:
    """Drop ``<meta http-equiv>`` tags (a page's ``html_meta``, a ``meta`` directive): with
    ``refresh`` a page would send its readers elsewhere. Front matter's are reported at
    their key, as ``clausewise check`` reports them; a directive's at its line."""
    metas = [m for m in doctree.findall(nodes.meta) if "http-equiv" in m.attributes]  # type: ignore[attr-defined]  # (docutils >= 0.18; not in its stubs)
    if not metas:
        return
    page = Path(env.doc2path(env.docname))
    relative = page.relative_to(env.srcdir).as_posix()
    fm = frontmatter.parse(page.read_text(encoding=env.config.source_encoding))
    for line, key, content in refusals.http_equiv_entries(fm):
        record(env, relative, line, Code.RAW_HTML, refusals.http_equiv_message(key, content))
    for meta in metas:
        if meta.line:  # from a directive; front matter's have none
            key = f"http-equiv={meta['http-equiv']}"
            where = source_path(env, _source(meta))
            record(env, where, int(meta.line), Code.RAW_HTML, refusals.http_equiv_message(key, meta.get("content", "")))
        meta.parent.remove(meta)


def hide_withheld_files(env: BuildEnvironment, doctree: nodes.document) -> None:
    """An image or a download of a page withheld from the build's audience (its ``.md`` file)
    becomes the notice, before Sphinx's collectors copy the file to ``_images/`` or
    ``_downloads/``; with safe mode on or off."""
    for image in list(doctree.findall(nodes.image)):
        uri = str(image.get("uri", ""))
        if "://" in uri or uri.startswith("data:"):
            continue
        withheld = next(filter(None, (withheld_file(env, f) for f in _image_files(env, uri))), None)
        if withheld is not None:
            _withheld_in_place(env, image, withheld)
    for download in list(doctree.findall(addnodes.download_reference)):
        target = str(download.get("reftarget", ""))
        withheld = withheld_file(env, sphinx_path(env, target)) if "://" not in target else None
        if withheld is not None:
            _withheld_in_place(env, download, withheld)


def _withheld_in_place(env: BuildEnvironment, node: nodes.Element, relative: str) -> None:
    env.note_dependency(Path(env.srcdir) / relative)
    notice = withheld_notice(env, relative)
    if isinstance(node.parent, nodes.TextElement):
        node.replace_self(nodes.inline("", "", *notice.children))
    else:
        node.replace_self(notice)


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Refuse what safe mode forbids in a page just read, before Sphinx's collectors (images,
    downloads, titles) see it."""
    env = app.env
    hide_withheld_files(env, doctree)
    if not settings_of(env).safe_mode:
        return
    srcdir = Path(env.srcdir)
    # a page that is not governed may allow raw HTML, visibly (its front matter's clausewise_unsafe)
    html_refused = env.docname not in domain(env).unsafe_allowed
    for image in list(doctree.findall(nodes.image)):
        uri = str(image.get("uri", ""))
        where = source_path(env, _source(image))
        scheme = dangerous_scheme(uri, image=True)
        if scheme is not None:
            record(env, where, _line(image), Code.UNSAFE_LINK, unsafe_link_message("an image", uri, scheme))
            _as_text(image, uri)
            continue
        machine_file = file_url_reason(uri)
        if machine_file is not None:
            record(env, where, _line(image), Code.UNSAFE_INCLUDE, refused_file_message("the image", machine_file))
            _as_text(image, str(image.get("alt") or uri))
            continue
        if uri.startswith("data:") or "://" in uri:
            continue
        candidates = _image_files(env, uri)
        reasons = [r for f in candidates if (r := file_reason(uri, f, srcdir)) is not None]
        if reasons:
            record(env, where, _line(image), Code.UNSAFE_INCLUDE, refused_file_message("the image", reasons[0]))
            _as_text(image, str(image.get("alt") or uri))
            continue
        active = [r for f in candidates if (r := active_file_reason(uri, f)) is not None] if html_refused else []
        if active:
            record(env, where, _line(image), Code.RAW_HTML, active_file_message("the image", active[0]))
            _as_text(image, str(image.get("alt") or uri))
    for download in list(doctree.findall(addnodes.download_reference)):
        target = str(download.get("reftarget", ""))
        reason = file_url_reason(target)
        if reason is None and "://" in target:
            continue
        reason = reason or file_reason(target, sphinx_path(env, target), srcdir)
        runs = active_file_reason(target, sphinx_path(env, target)) if html_refused and reason is None else None
        if reason is not None or runs is not None:
            where = source_path(env, _source(download))
            code, message = (
                (Code.UNSAFE_INCLUDE, refused_file_message("the download link", reason))
                if reason is not None
                else (Code.RAW_HTML, active_file_message("the download link", str(runs)))
            )
            record(env, where, _line(download), code, message)
            _as_text(download, download.astext() or target)
    if not html_refused:
        return
    _refuse_http_equiv(env, doctree)
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if raw.get("format") == "html" and is_html_comment(text):
            continue
        where = source_path(env, _source(raw))
        record(env, where, _line(raw), Code.RAW_HTML, raw_html_message(raw.get("format", ""), text))
        _as_text(raw, text)
    for reference in list(doctree.findall(nodes.reference)):
        uri = str(reference.get("refuri", ""))
        scheme = dangerous_scheme(uri) if uri else None
        if scheme is not None:
            where = source_path(env, _source(reference))
            record(env, where, _line(reference), Code.UNSAFE_LINK, unsafe_link_message("a link", uri, scheme))
            # what was linked stays (its text, a linked image), the link goes
            reference.replace_self(reference.children or [nodes.Text(uri)])
