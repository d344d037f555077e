"""The Sphinx glue's event handlers: thin on purpose.

Flow, in the manner of ``sphinx.ext.todo``:

1. ``config-inited`` (:mod:`~clausewise.sphinxext.config`): settings, sphinx-needs'
   configuration, the catalogue; ``builder-inited``: pages that are not text, and
   with safe mode pages whose file leads outside the handbook, are left out of the
   build before Sphinx reads them (:func:`leave_out_pages`).
2. ``source-read``: a governed page's front matter is parsed and validated into
   a model object, kept per document in the :class:`~clausewise.sphinxext.domain.ClausewiseDomain`;
   MyST is handed the page with clausewise's keys blanked out (line numbers
   unchanged) and a ``clausewise-page`` directive appended at the end, like
   ``rst_epilog``.
3. The directive creates the page's needs through ``sphinx_needs.api.add_need``
   and leaves placeholders for what depends on the whole handbook.
4. ``env-updated`` (every build, main process): the whole model is assembled,
   the rules run, findings are emitted as warnings and kept for
   ``findings.json``; pages whose placeholders show something that changed are
   returned for writing again.
5. ``doctree-resolved``: placeholders are filled in (:mod:`~clausewise.sphinxext.placeholders`).
6. ``build-finished``: ``<outdir>/clausewise/findings.json`` and the exports; the
   exit status 1 when a finding is as severe as ``clausewise_fail_on`` says.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pickle
import re
import shutil
from collections import Counter
from collections.abc import Set
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.project import Project
from sphinx.search import js_index
from sphinx.util import logging

from clausewise.core.digest import digest, shared_parts
from clausewise.core.findings import Code, Finding, Severity, findings_report, resolve_severity
from clausewise.core.model import Record
from clausewise.core.settings import ClausewiseConfig, failing_severities
from clausewise.outputs import exports
from clausewise.pipeline import assembly
from clausewise.pipeline.assembly import BuildResult
from clausewise.pipeline.editlinks import WebEditor, new_record_link
from clausewise.rules import measurements
from clausewise.sources import frontmatter, metadata
from clausewise.sources.text import UndecodableError, read_text
from clausewise.sphinxext import parts, refusals, render, safety, search
from clausewise.sphinxext.config import (
    app_settings,
    catalogue_paths,
    handbook_catalogues,
    historical_banner,
    record_fields_of,
    register_record_fields,
    settings_of,
    sphinx_app,
    stop_build,
)
from clausewise.sphinxext.directives import PAGE_DIRECTIVE
from clausewise.sphinxext.domain import domain
from clausewise.sphinxext.placeholders import Kind, clausewise_placeholder, fill, page_key, shows_the_whole_handbook

logger = logging.getLogger(__name__)

FINDINGS_FILE = "findings.json"


def relative_path(env: BuildEnvironment, docname: str) -> str:
    return Path(env.doc2path(docname)).relative_to(env.srcdir).as_posix()


# --- reading ---------------------------------------------------------------------


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    env = app.env
    path = relative_path(env, docname)
    read = assembly.read_page(
        source[0], path, docname, settings_of(env), record_fields_of(app)[0], parsed_front_matter(docname, source[0])
    )
    safety.note_opt_out(env, docname, source[0], governed=read is not None)
    if read is None:
        view = assembly.other_page_view(source[0], settings_of(env)) if path.endswith(".md") else None
        if view is not None and view[0]:
            unreadable = assembly.unreadable_classification(source[0], path)
            if unreadable is not None:
                domain(env).safety_findings.setdefault(docname, []).append(unreadable)
            source[0] = withheld_other_source(source[0], path, settings_of(env), title_hidden=view[1])
            domain(env).withheld_other_pages[docname] = True
        return
    domain(env).pages[docname] = read.page
    fm, item = read.front_matter, read.page.item
    if read.page.withheld:
        safety.check_withheld_body(env, docname, path, source[0], item.id if item is not None else "")
        source[0] = withheld_source(read, path)
        return
    extra: dict[str, str] = {}
    if fm.error is not None or not isinstance(fm.data.get("title"), str):
        # keep the page titled so Sphinx does not add a second complaint about it
        extra["title"] = Path(path).stem
    text = frontmatter.sanitised_for_myst(source[0], fm, metadata.OWN_KEYS, extra)
    source[0] = text.rstrip("\n") + f"\n\n```{{{PAGE_DIRECTIVE}}}\n```\n"


def withheld_source(read: assembly.PageRead, path: str) -> str:
    """A page the build's audience may not read, as MyST is given it: its title
    (or the id, where the title is withheld too), its summary and the page
    directive that shows its metadata. Nothing of the body, nor of the front
    matter's other keys, reaches the doctree, the search index or ``needs.json``;
    what the body includes is never read."""
    fm, item = read.front_matter, read.page.item
    written = fm.data.get("title") if fm.present and fm.error is None else None
    if item is not None:
        title = item.title  # the id when the title is withheld (assembly.read_page)
    else:
        title = Path(path).stem
        if isinstance(written, str) and written.strip() and "title_classification" not in fm.data:
            title = written.strip()
    # title and summary are text, as on any page (safe mode's rule): escaped for Markdown, so
    # neither can carry HTML, a link, a role or a directive into the page
    header = ["---", f"title: {json.dumps(frontmatter.markdown_literal(title))}"]
    if isinstance(item, Record):
        header.append("orphan: true")
    summary = frontmatter.markdown_literal(item.summary) if item is not None and item.summary else ""
    return "\n".join([*header, "---", "", summary, "", f"```{{{PAGE_DIRECTIVE}}}", "```", ""])


def withheld_other_source(text: str, path: str, cfg: ClausewiseConfig, *, title_hidden: bool) -> str:
    """A page that is not governed but classified above the build's audience, as MyST is given
    it: its title (its file's name where the title is withheld too) and a notice, as text."""
    fm = frontmatter.parse(text)
    title = Path(path).stem
    if not title_hidden:
        written = fm.data.get("title")
        body = "\n".join(text.splitlines()[fm.last_line :])
        heading = re.search(r"^ {0,3}# +(.+?)(?: +#+)? *$", body, re.MULTILINE)
        found = written if isinstance(written, str) and written.strip() else heading[1] if heading else ""
        title = found.strip() or title
    header = ["---", f"title: {json.dumps(frontmatter.markdown_literal(title))}"]
    if "orphan" in fm.data:
        header.append("orphan: true")
    notice = frontmatter.markdown_literal(render.withheld_text(path, cfg).strip())
    return "\n".join([*header, "---", "", notice, ""])


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """No ``_sources/`` copy of a withheld page and no "show source" link to it:
    Sphinx copies the file as written, not the text MyST was given. A copy left
    by an earlier build (before the page was classified) is removed."""
    # decided when the page was read: its file is not read again for every page written
    st = domain(app.env)
    page = st.pages.get(pagename)
    withheld = page.withheld if page is not None else st.withheld_other_pages.get(pagename, False)
    if withheld:
        if context.get("sourcename"):
            Path(app.outdir, "_sources", context["sourcename"]).unlink(missing_ok=True)
        context["sourcename"] = ""
    elif page is not None and st.result is not None and web_editor(app, st.result) is not None:
        # the page has clausewise's own "Edit this page" (any theme): not a second one from furo's
        # options or Read the Docs' context
        context.update(theme_source_edit_link="", theme_source_repository="", READTHEDOCS=False)


#: The file in an output folder that says which audience the build in it is for.
AUDIENCE_FILE = ".clausewise-audience"


def on_builder_inited(app: Sphinx) -> None:
    """One output folder, one audience: Sphinx never deletes what an earlier build
    wrote, so a staff build over an auditor's would leave the auditor's copies of
    confidential pages (``_sources/``, images, downloads) in what is published."""
    audience = app_settings(app).audience
    marker = Path(app.outdir) / AUDIENCE_FILE
    before = marker.read_text(encoding="utf-8").strip() if marker.is_file() else audience
    if before != audience:
        stop_build(
            f"{os.path.relpath(app.outdir)} holds a build for the audience {before!r}; building for {audience!r} "
            f"into it would leave that build's files behind: build into another folder, or delete this one first"
        )
    Path(app.outdir).mkdir(parents=True, exist_ok=True)
    marker.write_text(audience + "\n", encoding="utf-8")
    safety.mark_build_folders(app)


def on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Read again every page that shows the catalogue or links to its clauses when
    a catalogue file changed: Sphinx knows nothing of that file (and making it a
    dependency of every page would put its changes into every page's history).
    Read every record again when the fields of any record type changed: a record is
    read against its record type's, declared on another page; and every page when the
    need fields made of them changed, as sphinx-needs does when ``needs_fields`` does
    (the needs of a page not read again would lack a new field)."""
    st = domain(env)
    declared, need_fields = record_fields_of(app)
    fields_before, st.fields_version = st.fields_version, digest(declared)
    needs_before, st.need_fields_version = st.need_fields_version, digest(need_fields)
    reread: list[str] = []
    if needs_before is not None and needs_before != st.need_fields_version:
        reread = sorted(env.found_docs - removed)
    elif fields_before is not None and fields_before != st.fields_version:
        reread = sorted({d for d, page in st.pages.items() if isinstance(page.item, Record)} - removed)
    files = hashlib.sha256()
    for path in catalogue_paths(app):
        files.update(hashlib.sha256(path.read_bytes()).digest())
    version = files.hexdigest()
    before, st.catalogue_version = st.catalogue_version, version
    if before is None or before == version:
        return reread
    return sorted((set(st.pages) | set(st.catalogue_pages) | set(reread)) - removed)


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Move "Edit this page", the status box (and a record's fields) under the page title and
    the generated sections to the top level, before Sphinx collects the table of contents."""
    docname = app.env.docname
    page = domain(app.env).pages.get(docname)
    if page is not None and isinstance(page.item, Record) and not page.withheld:
        # records are reached from the record tables, not from the navigation tree; said here, not
        # in the front matter MyST is given, which it would parse as YAML again (on_source_read)
        app.env.metadata[docname]["orphan"] = True
    placeholders = list(doctree.findall(clausewise_placeholder))
    # each is inserted right under the title in turn, so a record's fields come first: they end under its box
    boxes: list[nodes.Element] = [n for n in placeholders if n["kind"] == Kind.RECORD_FIELDS]
    boxes += [n for n in placeholders if n["kind"] == Kind.STATUS_BOX]
    boxes += [n for n in doctree.findall(nodes.admonition) if render.INVALID_BOX_CLASS in n["classes"]]
    # "Edit this page" last, so that it goes first: right under the title
    boxes += [n for n in doctree.findall(clausewise_placeholder) if n["kind"] == Kind.EDIT_LINK]
    notices = [n for n in doctree.findall(nodes.admonition) if render.WITHHELD_CLASS in n["classes"]]
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    cfg = app_settings(app)
    if cfg.as_of is not None:
        notice = nodes.admonition(classes=["clausewise-historical", "warning"])
        notice += nodes.title("", "Historical view")
        notice += render.paragraph(historical_banner(app, cfg.as_of))
        title = next(iter(top.findall(nodes.title)), None)
        top.insert(top.index(title) + 1 if title is not None else 0, notice)
    for box in boxes:
        box.parent.remove(box)
        title = next(iter(top.findall(nodes.title)), None)
        top.insert(top.index(title) + 1 if title is not None else 0, box)
    for notice in notices:
        # under the boxes, above the summary: why the page shows nothing more
        notice.parent.remove(notice)
        title = next(iter(top.findall(nodes.title)), None)
        top.insert((top.index(title) + 1 if title is not None else 0) + len(boxes), notice)
    for section in [s for s in doctree.findall(nodes.section) if "clausewise-generated" in s["classes"]]:
        if section.parent is not top:
            section.parent.remove(section)
            top.append(section)
    for node in [n for n in placeholders if n.get("section")]:  # a section when filled: last, as those
        node.parent.remove(node)
        top.append(node)


def handbook_input(env: BuildEnvironment) -> assembly.HandbookInput:
    """What the build collected, in the form both readers give :func:`assembly.assemble`."""
    st, app = domain(env), sphinx_app(env)
    srcdir = Path(env.srcdir)
    return assembly.HandbookInput(
        srcdir=srcdir,
        config=settings_of(env),
        catalogues=handbook_catalogues(app),
        catalogue_files=catalogue_paths(app),
        pages=st.pages,
        catalogue_pages={d: (relative_path(env, d), line) for d, line in st.catalogue_pages.items()},
        # normalised first: Sphinx notes an image as <srcdir>/../x.png, which lies outside
        dependencies={
            docname: [p.relative_to(srcdir).as_posix() for p in map(_normalised, paths) if p.is_relative_to(srcdir)]
            for docname, paths in env.dependencies.items()
        },
        suppress_warnings=tuple(env.config.suppress_warnings),
        safety_findings=st.safety_findings,
        left_out=tuple(st.left_out),
    )


def _normalised(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.normpath(path))


def leave_out_pages(app: Sphinx) -> None:
    """On ``builder-inited``, before Sphinx looks for pages, leave out the pages it must
    not read, each with its finding, as ``clausewise check`` reports them:

    - with safe mode, a page whose file leads outside the handbook (a symbolic link):
      Sphinx would read it before any event (a link to ``/dev/zero`` never ends);
    - a page that is not text in ``source_encoding``: it would stop the build in
      Sphinx's reader ("Encoding error!", no file name).

    Each joins ``exclude_patterns`` (which makes the next build read every page
    again, until the page is fixed)."""
    config = app.config
    srcdir = Path(app.srcdir)
    safe_mode = app_settings(app).safe_mode
    project = Project(srcdir, config.source_suffix)
    excluded = [*config.exclude_patterns, *config.templates_path, *app.builder.get_asset_paths()]
    found = []
    texts = []
    real = refusals.RealPaths()
    for docname in sorted(project.discover(excluded, config.include_patterns)):
        path = Path(project.doc2path(docname, absolute=True))
        relative = path.relative_to(srcdir).as_posix()
        outside = refusals.outside_reason(relative, path, srcdir, real) if safe_mode else None
        if outside is not None:
            found.append(Finding(relative, 0, Code.UNSAFE_INCLUDE, "", refusals.refused_page_message(outside)))
        else:
            try:
                texts.append((read_text(path, config.source_encoding), relative, docname))
                continue
            except UndecodableError as exc:
                found.append(assembly.unreadable_page(relative, exc))
        # the path as a pattern that matches only itself
        config.exclude_patterns.append(re.sub(r"([*?\[])", r"[\1]", relative))
    st = domain(app.env)
    st.left_out = found
    # records are read against the fields their record types declare, on any page (as `check` does);
    # a page that was a record with the same text when the last build started declares none and is
    # not parsed for them (it is when it is read again)
    sums = {docname: hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() for text, _, docname in texts}
    were_records = {docname for docname, sha in sums.items() if st.record_texts.get(docname) == sha}
    declaring = [page for page in texts if page[2] not in were_records]
    parsed = assembly.front_matters(declaring)
    register_record_fields(app, assembly.declared_fields(declaring, app_settings(app), parsed))
    records = were_records | {docname for docname, fm in parsed.items() if assembly.is_record(fm)}
    st.record_texts = {docname: sums[docname] for docname in sorted(records)}
    # kept for source-read (inherited by the workers of -j N), which then need not parse it again
    _parsed_front_matter.clear()
    _parsed_front_matter.update((docname, (text, parsed[docname])) for text, _, docname in texts if docname in parsed)


#: docname -> (text, its parsed front matter), from ``builder-inited`` until the page's ``source-read``
#: (:func:`parsed_front_matter`): a pure function of the text, so a page whose text differs is parsed again.
_parsed_front_matter: dict[str, tuple[str, frontmatter.FrontMatter]] = {}


def parsed_front_matter(docname: str, text: str) -> frontmatter.FrontMatter | None:
    """The front matter ``builder-inited`` parsed of ``text`` for ``docname``, once; ``None`` when
    it parsed another text (an extension's ``source-read`` before ours changed it) or none."""
    kept = _parsed_front_matter.pop(docname, None)
    return kept[1] if kept is not None and kept[0] == text else None


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Compute the build's result and return the pages whose generated parts changed."""
    _parsed_front_matter.clear()  # every page is read by now
    st = domain(env)
    result, st.log_pass = assembly.assemble(handbook_input(env), st.log_pass)
    st.result = result
    emit(env, result.findings)
    with shared_parts():  # the pages' keys share most of their parts
        # the pages of handbook-wide tables last: the handbook's fingerprint then reuses the parts
        # the other pages' keys made (its documents and records: most of it)
        ordered = sorted(st.placeholders.items(), key=lambda page: shows_the_whole_handbook(page[1]))
        keys = {docname: page_key(result, marks) for docname, marks in ordered}
    changed = sorted(d for d, key in keys.items() if st.page_keys.get(d) != key)
    st.page_keys = keys
    st.register_pages = register_pages(env)
    return changed


def emit(env: BuildEnvironment, findings: list[Finding]) -> None:
    cfg = settings_of(env)
    by_path = {p.path: d for d, p in domain(env).pages.items()}
    by_path.update({relative_path(env, d): d for d in domain(env).catalogue_pages})
    for f in findings:
        severity = resolve_severity(f.code, cfg.severity)
        if severity is Severity.OFF:
            continue
        docname = by_path.get(f.path)
        message = f.message
        location: tuple[str, int | None] | str | None = None
        if docname:
            location = (docname, f.line or None)
        elif f.line:
            location = f"{f.path}:{f.line}"
        elif f.path:
            # Sphinx reads a location without a line as a docname and adds a suffix to it
            message = f"{f.path}: {f.message}"
        log = {Severity.ERROR: logger.error, Severity.WARNING: logger.warning}.get(severity, logger.info)
        log(message, location=location, type="clausewise", subtype=f.code)


# --- writing -------------------------------------------------------------------------


#: The builder whose output ``clausewise pdf`` renders (see :mod:`clausewise.sphinxext.printed`).
PRINT_BUILDER = "singlehtml"


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    result = domain(app.env).result
    if result is None:
        return
    fill(result, linker(app, docname, result), doctree)


def parts_as_html(app: Sphinx) -> bool:
    """Whether this build's pages get the parts every page repeats as HTML text
    (:func:`clausewise.sphinxext.parts.writes_like_html5`), not as nodes."""
    builder = app.builder
    # the print build rewrites the filled parts' links within its one page (printed.after_filling)
    if builder.format != "html" or builder.name == PRINT_BUILDER:
        return False
    # the handlers of app.add_node: the translator takes the builder's own, else its format's
    registered = app.registry.translation_handlers
    handled = registered.get(builder.name, registered.get(builder.format, {}))
    table_style = getattr(getattr(builder, "docsettings", None), "table_style", "")
    return parts.writes_like_html5(builder.get_translator_class(), str(table_style or ""), handled)


def linker(app: Sphinx, docname: str, result: BuildResult) -> render.Linker:
    """The links of the page ``docname`` being written to the ids of the handbook."""
    editor = web_editor(app, result)
    return render.Linker(
        fromdocname=docname,
        resolve=result.anchors.get,
        relative_uri=app.builder.get_relative_uri,
        clause_ids=result.clause_ids,
        titles=result.titles,
        editor=editor,
        new_record=lambda status, period: new_record_link(editor, status, period, result.handbook, result.config),
        pages=domain(app.env).register_pages,
        as_html=parts_as_html(app),
    )


def register_pages(env: BuildEnvironment) -> dict[str, str]:
    """The page that holds each handbook-wide placeholder kind (the first by name), for the links
    of a summary (the management dashboard) to its detail."""
    pages: dict[str, str] = {}
    for docname, marks in sorted(domain(env).placeholders.items()):
        for kind, item_id in marks:
            if not item_id:
                pages.setdefault(kind, docname)
    return pages


#: Builders of one page per document that still make HTML but are not read in a browser
#: next to the forge: a single page (what ``clausewise pdf`` prints) and an e-book.
_OFFLINE_BUILDERS = frozenset({"singlehtml", "epub"})


def web_editor(app: Sphinx, result: BuildResult) -> WebEditor | None:
    """The forge's web editor for this build's pages; none for a builder whose pages are
    printed or read offline (no "Edit this page" on paper)."""
    if app.builder.format != "html" or app.builder.name in _OFFLINE_BUILDERS:
        return None
    return WebEditor.of(result.config, result.history)


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None:
        return
    tidy_search_index(Path(app.outdir), domain(app.env).withheld_docnames)
    result = domain(app.env).result
    if result is None:
        return
    cfg = settings_of(app.env)
    report = findings_report(cfg.today.isoformat(), result.reported_findings, cfg.severity)
    out = Path(app.outdir) / "clausewise"
    out.mkdir(parents=True, exist_ok=True)
    (out / FINDINGS_FILE).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if app.builder.format == "html":
        write_exports(app, result, out)
    fail_build(app, report, out / FINDINGS_FILE)


def tidy_search_index(outdir: Path, withheld: Set[str]) -> None:
    """Keep in the search index only the words some page holds, and nothing of a page
    withheld from the build's audience (:func:`clausewise.sphinxext.search.drop_withheld_pages`).

    An incremental build loads the earlier index and drops the pages it writes
    again from every word, but keeps the words, with no page (``"word": []``):
    a page withheld since that build would still give its words away."""
    index = outdir / "searchindex.js"
    if not index.is_file():
        return
    data = js_index.loads(index.read_text(encoding="utf-8"))
    changed = search.drop_withheld_pages(data, withheld)
    for key in ("terms", "titleterms"):
        terms = data.get(key) or {}
        for word in [w for w, pages in terms.items() if pages == []]:
            del terms[word]
            changed = True
    if changed:
        index.write_text(js_index.dumps(data), encoding="utf-8")


def fail_build(app: Sphinx, report: dict[str, Any], findings_file: Path) -> None:
    """Make ``sphinx-build`` exit with status 1, as its ``-W`` does, when a reported
    finding is at least as severe as ``clausewise_fail_on`` says; one line says why."""
    fail_on = settings_of(app.env).fail_on
    counts = Counter(f["severity"] for f in report["findings"])
    if not any(counts[s] for s in failing_severities(fail_on)):
        return
    app.statuscode = 1
    shown = ", ".join(f"{counts[s.value]} {s.value}" for s in Severity if s is not Severity.OFF)
    logger.error(
        "clausewise: the build fails (clausewise_fail_on = %r): findings reported: %s; see %s",
        fail_on, shown, os.path.relpath(findings_file),
    )  # fmt: skip


def write_exports(app: Sphinx, result: BuildResult, out: Path) -> None:
    """The auditors' files: matrix.csv, register.csv, clausewise.xlsx, needs.json, calendars,
    records-<record type>.csv for each record type with fields (also a sheet of the workbook),
    audit-coverage.csv when a record type has kind audit (also the workbook's Audit coverage sheet),
    measurements.csv when records measure the services (also the Measurements sheet), and
    suppliers.csv when there are suppliers (also the Suppliers sheet)."""
    cfg = result.config
    findings = result.reported_findings
    matrix = exports.matrix_rows(result.coverage, result.records, result.config.audit_window)
    exports.write_csv(out / "matrix.csv", exports.COLUMNS["Matrix"], matrix)
    documents = exports.document_rows(result.register, result.histories)
    exports.write_csv(out / "register.csv", exports.COLUMNS["Documents"], documents)
    sheets = {
        "Matrix": matrix,
        "Documents": documents,
        "Records": exports.record_rows(result.records.values()),
        "Findings": exports.finding_rows(findings, cfg.severity),
    }
    if any(c.excludable for c in result.handbook.catalogues):
        sheets["Applicability"] = exports.applicability_rows(result.coverage)
    measured = exports.measurement_rows(measurements.all_series(result.handbook), result.withheld)
    if measured:
        exports.write_csv(out / "measurements.csv", exports.COLUMNS["Measurements"], measured)
        sheets["Measurements"] = measured
    if result.supplier_statuses:
        sheets["Suppliers"] = exports.supplier_rows(result.supplier_statuses)
        exports.write_csv(out / "suppliers.csv", exports.COLUMNS["Suppliers"], sheets["Suppliers"])
    headers: dict[str, list[str]] = {}
    for sheet in exports.field_sheets(result.handbook.record_types, result.handbook.records, result.withheld):
        sheets[sheet.name], headers[sheet.name] = sheet.rows, sheet.header
        exports.write_csv(out / f"records-{sheet.record_type}.csv", sheet.header, sheet.rows)
    if result.audit_coverage is not None:
        audited = exports.audit_coverage_rows(result.audit_coverage)
        sheets["Audit coverage"], headers["Audit coverage"] = audited, exports.AUDIT_COVERAGE_COLUMNS
        exports.write_csv(out / "audit-coverage.csv", exports.AUDIT_COVERAGE_COLUMNS, audited)
    cache = ExportsCache(Path(app.doctreedir))
    workbook = out / "clausewise.xlsx"
    # by the workbook's place: builders that share a doctree folder write to other folders
    written: dict[str, str] = cache.get("workbooks") or {}
    workbooks = {**written, str(workbook): digest([sheets, headers, cfg.today])}
    if written.get(str(workbook)) != workbooks[str(workbook)] or not workbook.is_file():
        exports.write_xlsx(workbook, sheets, cfg.today, headers)
    needs = Path(app.outdir) / "needs.json"
    if needs.is_file():
        shutil.copyfile(needs, out / "needs.json")
    events = exports.ics_events(
        exports.calendar_events(result.reviews.values(), result.records.values(), cfg.today),
        cfg.today,
        cache.get("calendar events"),
    )
    name = cfg.organisation or str(app.config.project)
    (out / "calendar.ics").write_bytes(exports.ics_calendar(events, f"{name}: reviews and records due"))
    for role in sorted(result.handbook.roles()):
        mine = {e: text for e, text in events.items() if e.owner == role}
        calendar = exports.ics_calendar(mine, f"{name}: {result.titles.get(role, role)}")
        (out / f"calendar-{role}.ics").write_bytes(calendar)
    cache.save({"workbooks": workbooks, "calendar events": {(cfg.today, e): text for e, text in events.items()}})


class ExportsCache:
    """What the last build's exports were made of, kept in the doctree folder (Sphinx's cache of
    the build, never published; read as Sphinx reads its environment there): the digest of the
    workbook written to each place, so an unchanged workbook is not written again, and each
    calendar event's text. It is only ever a shortcut: a cache that cannot be
    read, or was written by another version, is an empty one, and the exports are made in full."""

    FILE = "clausewise-exports.pickle"
    #: the cache's shape (the version of the library that wrote the events' texts goes with it)
    SHAPE = 1

    def __init__(self, doctreedir: Path) -> None:
        self.path = doctreedir / self.FILE
        self.data: dict[str, Any] = {}
        # asked when the exports are written, not when the extension is imported
        self.version = f"{self.SHAPE}; icalendar {importlib.metadata.version('icalendar')}"
        try:
            with self.path.open("rb") as f:
                data = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == self.version:
            self.data = data

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def save(self, data: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("wb") as f:
                pickle.dump({"version": self.version, **data}, f)
        except OSError:
            pass  # only a shortcut for the next build


#: The matrix's filter buttons (sphinxext/static/), loaded only on the pages that show a matrix.
MATRIX_SCRIPT = "clausewise-matrix.js"


def add_matrix_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """``html-page-context``: the matrix's script on a page with a ``{traceability-matrix}``, as
    Sphinx adds a file to one page (deferred: the rows it filters are parsed by then)."""
    if (Kind.MATRIX.value, "") in domain(app.env).placeholders.get(pagename, set()):
        app.add_js_file(MATRIX_SCRIPT, loading_method="defer")


ACTIONS_SCRIPT = "clausewise-actions.js"


def add_actions_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """``html-page-context``: the action register's filter script on a page with an ``{action-register}``."""
    if (Kind.ACTION_REGISTER.value, "") in domain(app.env).placeholders.get(pagename, set()):
        app.add_js_file(ACTIONS_SCRIPT, loading_method="defer")
