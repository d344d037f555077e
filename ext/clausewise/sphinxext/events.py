"""The Sphinx glue: thin on purpose.

Flow, in the manner of ``sphinx.ext.todo``:

1. ``source-read``: a governed page's front matter is parsed and validated into
   a model object (:mod:`clausewise.metadata`), kept on the environment per
   document; MyST is handed the page with clausewise's keys blanked out (line
   numbers unchanged) and a ``clausewise-page`` directive appended at the end,
   like ``rst_epilog``.
2. The directive creates the page's needs through ``sphinx_needs.api.add_need``
   and leaves placeholder nodes for what depends on the whole handbook.
3. ``env-merge-info``/``env-purge-doc`` keep per-document state right under
   ``-j N`` and incremental builds.
4. ``env-updated`` (every build, main process): the whole model is assembled,
   the rules run, findings are emitted as warnings and kept for
   ``findings.json``; pages with placeholders are returned for re-writing when
   anything they show may have changed.
5. ``doctree-resolved``: placeholders become tables (:mod:`clausewise.render`).
6. ``build-finished``: ``<outdir>/clausewise/findings.json``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, NoReturn

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.api import InvalidNeedException, add_need

from clausewise.core.findings import CODES, Finding, Severity, findings_report, resolve_severity
from clausewise.core.model import Catalogue, DocType, GovernedDocument, Record
from clausewise.core.settings import ClausewiseConfig, SettingError, declarations
from clausewise.outputs import dashboard, exports
from clausewise.pipeline import assembly
from clausewise.pipeline.assembly import BuildResult, PageData
from clausewise.rules import coverage, staleness
from clausewise.sources import catalogue as catalogue_mod
from clausewise.sources import frontmatter, gitlog, metadata
from clausewise.sphinxext import render
from clausewise.sphinxext.needs_config import needs_settings

logger = logging.getLogger(__name__)

PAGE_DIRECTIVE = "clausewise-page"
FINDINGS_FILE = "findings.json"


# --- per-document state ------------------------------------------------------


@dataclass
class State:
    """Everything clausewise keeps on the environment (pickled with it)."""

    pages: dict[str, PageData] = field(default_factory=dict)
    catalogue_pages: dict[str, int] = field(default_factory=dict)  # docname -> line
    #: docname -> the (kind, item id) of every placeholder on that page
    placeholders: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: docname -> key of what its placeholders showed when last written
    page_keys: dict[str, str] = field(default_factory=dict)
    result: BuildResult | None = None
    log_pass: gitlog.LogPass | None = None  # reused while HEAD does not move

    KEY: ClassVar[str] = "clausewise_state"


def state(env: BuildEnvironment) -> State:
    if not hasattr(env, State.KEY):
        setattr(env, State.KEY, State())
    return getattr(env, State.KEY)


def sphinx_app(env: BuildEnvironment) -> Sphinx:
    """The application of ``env``.

    ``env.app`` is deprecated in Sphinx 9 and ``sphinx_needs.api.add_need`` still
    takes the application, so this one place reads the private attribute.
    """
    return env._app


def settings(env: BuildEnvironment) -> ClausewiseConfig:
    return sphinx_app(env).clausewise_config  # type: ignore[attr-defined]


@cache
def _load_catalogue(path: Path, mtime: float) -> Catalogue:
    return catalogue_mod.load(path)


def catalogue_path(app: Sphinx) -> Path:
    """The configured catalogue's file: one in the handbook, or a bundled one."""
    cfg: ClausewiseConfig = app.clausewise_config  # type: ignore[attr-defined]
    return catalogue_mod.locate(cfg.catalogue, Path(app.srcdir))


def handbook_catalogue(app: Sphinx) -> Catalogue:
    """The configured catalogue, loaded once per file version."""
    path = catalogue_path(app)
    return _load_catalogue(path, path.stat().st_mtime)


def relative_path(env: BuildEnvironment, docname: str) -> str:
    return Path(env.doc2path(docname)).relative_to(env.srcdir).as_posix()


# --- placeholder nodes ---------------------------------------------------------


class clausewise_placeholder(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Replaced on ``doctree-resolved``; ``kind`` says with what."""


#: Placeholders that show one item; the others show the whole handbook.
ITEM_KINDS = frozenset({"status-box", "record-types", "revision-history"})


def placeholder(env: BuildEnvironment, kind: str, item_id: str = "", **attributes: Any) -> clausewise_placeholder:
    """A node to fill in on ``doctree-resolved``, noted so that its page is
    written again when what it shows changes."""
    state(env).placeholders.setdefault(env.docname, set()).add((kind, item_id))
    return clausewise_placeholder("", kind=kind, item_id=item_id, **attributes)


# --- reading ---------------------------------------------------------------------


def stop_build(message: str) -> NoReturn:
    """End the build on a setting that cannot be used: one clear line, exit code 2.

    Sphinx 9 prints a crash report with a traceback for any exception, its own
    ``ConfigError`` included; an owner who mistyped a date in ``conf.py`` needs
    the sentence, not the report. ``SystemExit`` passes through Sphinx's handler.
    """
    logger.error("clausewise: %s", message, type="clausewise", subtype="config")
    raise SystemExit(2)


def on_config_inited(app: Sphinx, config: Config) -> None:
    try:
        app.clausewise_config = ClausewiseConfig.from_values(  # type: ignore[attr-defined]
            {name: config[name] for name, _, _ in declarations()}
        )
    except SettingError as exc:
        stop_build(f"conf.py: {exc}")
    for name, value in needs_settings().items():
        if name in ("needs_fields", "needs_links"):
            # keep what the handbook adds of its own, but clausewise's entries win
            value = {**(config[name] or {}), **value}
        config[name] = value
    # front matter's `title` becomes the page's heading: metadata lives in one place
    config.myst_title_to_header = True
    cfg: ClausewiseConfig = app.clausewise_config  # type: ignore[attr-defined]
    if cfg.as_of is not None:
        banner = historical_banner(app, cfg.as_of)
        if config.html_theme == "furo":
            config.html_theme_options = {**(config.html_theme_options or {}), "announcement": banner}
    try:
        handbook_catalogue(app)
    except catalogue_mod.CatalogueError as exc:
        stop_build(str(exc))


def historical_banner(app: Sphinx, day: date) -> str:
    """The notice every page of an "as of" build carries."""
    try:
        sha, _ = gitlog.head_state(Path(app.srcdir))
        at = f" (commit {sha[:7]})"
    except gitlog.GitUnavailableError:
        at = ""
    return f"Historical view: this is the handbook as it stood on {day}{at}. It is not the version in force today."


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    env = app.env
    path = relative_path(env, docname)
    read = assembly.read_page(source[0], path, docname, settings(env))
    if read is None:
        return
    state(env).pages[docname] = read.page
    fm, item = read.front_matter, read.page.item
    extra: dict[str, str] = {}
    if fm.error is not None or not isinstance(fm.data.get("title"), str):
        # keep the page titled so Sphinx does not add a second complaint about it
        extra["title"] = Path(path).stem
    if isinstance(item, Record):
        # records are reached from the record tables, not from the navigation tree
        extra["orphan"] = "true"
    text = frontmatter.sanitised_for_myst(source[0], fm, metadata.OWN_KEYS, extra)
    source[0] = text.rstrip("\n") + f"\n\n```{{{PAGE_DIRECTIVE}}}\n```\n"


class PageDirective(SphinxDirective):
    """Appended to every governed page: its needs, and placeholders for its boxes."""

    def run(self) -> list[nodes.Node]:
        page = state(self.env).pages.get(self.env.docname)
        if page is None or page.item is None:
            return []
        item = page.item
        out: list[nodes.Node] = [placeholder(self.env, "status-box", item.id)]
        out += self._needs(item)
        if isinstance(item, GovernedDocument):
            if item.record_types:
                section = _section("Records this document requires", "clausewise-required-records")
                section += placeholder(self.env, "record-types", item.id)
                out.append(section)
            if item.type is DocType.ROLE:
                section = _section("Duties in this handbook", "clausewise-role-duties")
                section += placeholder(self.env, "role-duties", item.id)
                out.append(section)
        section = _section("Revision history", "clausewise-revision-history")
        section += placeholder(self.env, "revision-history", item.id)
        out.append(section)
        return out

    def _needs(self, item: GovernedDocument | Record) -> list[nodes.Node]:
        clauses = {c.number: c.need_id for c in handbook_catalogue(sphinx_app(self.env)).clauses}
        needs: list[tuple[str, str, str, int, dict[str, Any]]] = []
        if isinstance(item, Record):
            fields = {
                "period": item.period, "produced": _iso(item.produced), "produced_by": item.produced_by,
                "classification": item.classification, "record_of": _opt(item.record_type),
            }  # fmt: skip
            needs.append(("record", item.id, item.title, item.source.line, fields))
        else:
            fields = {
                "status": item.status, "owner": _opt(item.owner), "version": item.version,
                "effective": _iso(item.effective), "reviewed": _iso(item.reviewed),
                "review_interval": f"{item.review_interval_months} months",
                "classification": item.classification,
                # unknown clauses are reported by clausewise with file and line
                "satisfies": [clauses[n] for n in item.satisfies if n in clauses],
                "implements": list(item.implements), "involves": list(item.roles),
                "requires": [rt.id for rt in item.record_types] + list(item.requires_records),
            }  # fmt: skip
            needs.append((item.type.value, item.id, item.title, item.source.line, fields))
            for rt in item.record_types:
                rt_fields = {
                    "owner": _opt(rt.owner), "cadence": rt.cadence.text if rt.cadence else None,
                    "evidences": [clauses[n] for n in rt.evidences if n in clauses],
                }  # fmt: skip
                needs.append(("record_type", rt.id, rt.title, rt.source.line, rt_fields))
        out: list[nodes.Node] = []
        for need_type, need_id, title, line, values in needs:
            kwargs = {k: (v.value if hasattr(v, "value") else v) for k, v in values.items() if v not in (None, [])}
            try:
                out += add_need(
                    sphinx_app(self.env), self.state, self.env.docname, line, need_type, title,
                    id=need_id, hide=True, **kwargs,
                )  # fmt: skip
            except InvalidNeedException:
                # a duplicate id: clausewise reports it as `duplicate-id` with both places
                continue
        return out


def _opt(value: str | None) -> list[str]:
    return [value] if value else []


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _section(title: str, ident: str) -> nodes.section:
    section = nodes.section(ids=[ident], classes=["clausewise-generated"])
    section += nodes.title(title, title)
    return section


class CatalogueDirective(SphinxDirective):
    """``{clause-catalogue}``: the clause needs of the configured catalogue, as a table."""

    def run(self) -> list[nodes.Node]:
        catalogue = handbook_catalogue(sphinx_app(self.env))
        state(self.env).catalogue_pages[self.env.docname] = self.lineno
        notice = nodes.admonition(classes=["clausewise-notice", "important"])
        notice += nodes.title("", "The requirements are in the standard")
        notice += render.paragraph(catalogue.notice)
        out: list[nodes.Node] = [notice, render.catalogue_table(catalogue)]
        for clause in catalogue.clauses:
            try:
                out += add_need(
                    sphinx_app(self.env), self.state, self.env.docname, self.lineno, "clause", clause.heading,
                    id=clause.need_id, hide=True, clause_number=clause.number,
                    confirmation=clause.confirmation.value,
                )  # fmt: skip
            except InvalidNeedException as exc:
                logger.warning(
                    "clause-catalogue: %s; keep one clause-catalogue directive in the handbook",
                    exc.message, location=(self.env.docname, self.lineno),
                    type="clausewise", subtype="catalogue",
                )  # fmt: skip
                return [notice]
        return out


class MatrixDirective(SphinxDirective):
    """``{traceability-matrix}``: every clause with what satisfies and evidences it."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, "matrix")]


class DocumentsDirective(SphinxDirective):
    """``{governed-documents}``: a table of the documents of one kind (``:type:``)."""

    option_spec = {"type": lambda t: DocType(t.strip())}  # noqa: RUF012 - docutils' own attribute

    def run(self) -> list[nodes.Node]:
        kind = self.options.get("type")
        return [placeholder(self.env, "documents", doc_type=kind.value if kind else "")]


class DashboardDirective(SphinxDirective):
    """``{clausewise-dashboard}``: where the SMS stands, at a glance."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, "dashboard")]


class ReviewScheduleDirective(SphinxDirective):
    """``{review-schedule}``: every document by next review date, overdue first."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, "review-schedule")]


class FindingCodesDirective(SphinxDirective):
    """``{finding-codes}``: the registry of finding codes as a table, so the
    owner's guide always lists exactly the codes the tool can report."""

    def run(self) -> list[nodes.Node]:
        cfg = settings(self.env)
        rows = [
            (nodes.literal(code.code, code.code), resolve_severity(code.code, cfg.severity).value, code.description)
            for code in CODES.values()
        ]
        return [
            render.table(
                ["Code", "Severity here", "Meaning"],
                rows,
                widths=[22, 12, 66],
                row_ids=[f"finding-{code}" for code in CODES],
            )
        ]


class RecordRegisterDirective(SphinxDirective):
    """``{record-register}``: every record type with links to its records."""

    def run(self) -> list[nodes.Node]:
        return [placeholder(self.env, "record-register")]


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Move the status box under the page title and the generated sections to
    the top level, before Sphinx collects the table of contents."""
    boxes = [n for n in doctree.findall(clausewise_placeholder) if n["kind"] == "status-box"]
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    cfg: ClausewiseConfig = app.clausewise_config  # type: ignore[attr-defined]
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
    for section in [s for s in doctree.findall(nodes.section) if "clausewise-generated" in s["classes"]]:
        if section.parent is not top:
            section.parent.remove(section)
            top.append(section)


def on_purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    st = state(env)
    st.pages.pop(docname, None)
    st.catalogue_pages.pop(docname, None)
    st.placeholders.pop(docname, None)


def on_merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine, theirs = state(env), state(other)
    for docname in docnames:
        if docname in theirs.pages:
            mine.pages[docname] = theirs.pages[docname]
        if docname in theirs.catalogue_pages:
            mine.catalogue_pages[docname] = theirs.catalogue_pages[docname]
        if docname in theirs.placeholders:
            mine.placeholders[docname] = theirs.placeholders[docname]


# --- the whole handbook, once per build -------------------------------------------


def handbook_input(env: BuildEnvironment) -> assembly.HandbookInput:
    """What the build collected, in the form both readers give :func:`assembly.assemble`."""
    st, app = state(env), sphinx_app(env)
    srcdir = Path(env.srcdir)
    return assembly.HandbookInput(
        srcdir=srcdir,
        config=settings(env),
        catalogue=handbook_catalogue(app),
        catalogue_file=catalogue_path(app),
        pages=st.pages,
        catalogue_pages={d: (relative_path(env, d), line) for d, line in st.catalogue_pages.items()},
        dependencies={
            docname: [Path(p).relative_to(srcdir).as_posix() for p in paths if Path(p).is_relative_to(srcdir)]
            for docname, paths in env.dependencies.items()
        },
    )


def reported(env: BuildEnvironment, findings: list[Finding]) -> list[Finding]:
    """The findings not switched off by severity ``off`` or ``suppress_warnings``."""
    return assembly.reported(findings, settings(env), env.config.suppress_warnings)


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Compute the build's result and return the pages whose generated parts changed."""
    st = state(env)
    st.result, st.log_pass = assembly.assemble(handbook_input(env), st.log_pass)
    emit(env, st.result.findings)
    keys = {docname: page_key(st.result, marks) for docname, marks in st.placeholders.items()}
    changed = sorted(d for d, key in keys.items() if st.page_keys.get(d) != key)
    st.page_keys = keys
    return changed


def page_key(result: BuildResult, marks: set[tuple[str, str]]) -> str:
    """A digest of exactly what a page's placeholders show: one item's data for
    status boxes and histories, the whole handbook for tables of everything."""
    parts: list[object] = []
    for kind, item_id in sorted(marks):
        if kind not in ITEM_KINDS:
            parts.append(result.fingerprint)
            continue
        item = result.items.get(item_id)
        refs = sorted(referenced_ids(item)) if item is not None else []
        statuses = [result.records.get(rt.id) for rt in item.record_types] if isinstance(item, GovernedDocument) else []
        parts.append(
            (
                item,
                statuses,
                result.reviews.get(item_id),
                result.histories.get(item_id),
                [(r, result.titles.get(r), result.anchors.get(r)) for r in refs],
                result.history.available,
                result.history.reason,
                result.config.repository_url,
            )
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def referenced_ids(item: GovernedDocument | Record) -> set[str]:
    """Ids whose title or place a status box or record-type table of ``item`` shows."""
    if isinstance(item, Record):
        return {item.record_type} if item.record_type else set()
    refs = {item.id, *item.implements}
    refs |= {rt.id for rt in item.record_types} | {rt.owner for rt in item.record_types if rt.owner}
    if item.owner:
        refs.add(item.owner)
    return refs


def emit(env: BuildEnvironment, findings: list[Finding]) -> None:
    cfg = settings(env)
    by_path = {p.path: d for d, p in state(env).pages.items()}
    by_path.update({relative_path(env, d): d for d in state(env).catalogue_pages})
    for f in findings:
        severity = resolve_severity(f.code, cfg.severity)
        if severity is Severity.OFF:
            continue
        docname = by_path.get(f.path)
        location: Any = (docname, f.line or None) if docname else (f"{f.path}:{f.line}" if f.line else f.path)
        log = {Severity.ERROR: logger.error, Severity.WARNING: logger.warning}.get(severity, logger.info)
        log(f.message, location=location, type="clausewise", subtype=f.code)


# --- writing -------------------------------------------------------------------------


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    st = state(app.env)
    result = st.result
    if result is None:
        return
    link = render.Linker(
        fromdocname=docname,
        resolve=result.anchors.get,
        relative_uri=app.builder.get_relative_uri,
        clause_ids={c.number: c.need_id for c in result.handbook.catalogue.clauses},
        titles=result.titles,
    )
    items = result.items
    for node in list(doctree.findall(clausewise_placeholder)):
        kind = node["kind"]
        new: list[nodes.Node] = []
        if kind == "matrix":
            new = [render.coverage_summary(coverage.summarise(result.coverage)), render.matrix(result.coverage, link)]
        elif kind == "status-box":
            item = items.get(node["item_id"])
            if isinstance(item, GovernedDocument):
                new = [render.document_box(item, link, result.reviews.get(item.id), result.histories.get(item.id))]
            elif isinstance(item, Record):
                new = [render.record_box(item, link)]
        elif kind == "record-types":
            doc = items.get(node["item_id"])
            if isinstance(doc, GovernedDocument):
                new = [render.record_types_table(doc.record_types, link, result.records)]
                for rt in doc.record_types:
                    status = result.records.get(rt.id)
                    if status is not None:
                        new += render.record_grid(status, link)
        elif kind == "role-duties":
            new = render.role_duties(coverage.role_duties(result.handbook, node["item_id"]), link, result.records)
        elif kind == "documents":
            wanted = node["doc_type"]
            docs = [d for d in result.handbook.documents if not wanted or d.type.value == wanted]
            new = [render.documents_table(sorted(docs, key=lambda d: d.id), link)]
        elif kind == "revision-history":
            new = render.revision_history(
                result.histories.get(node["item_id"]), result.history, result.config.repository_url
            )
        elif kind == "dashboard":
            documents = {d.id: d for d in result.handbook.documents}
            acts = dashboard.activities(result.config.activities, documents, result.reviews, result.records)
            new = render.dashboard(
                result.coverage, sorted(result.reviews.values(), key=staleness.schedule_key),
                list(result.records.values()), reported(app.env, result.findings), acts, result.config.today, link,
            )  # fmt: skip
        elif kind == "review-schedule":
            reviews = sorted(result.reviews.values(), key=staleness.schedule_key)
            new = [render.review_schedule(reviews, link)]
        elif kind == "record-register":
            new = [render.record_overview(list(result.records.values()), link)]
        node.replace_self(new)


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None:
        return
    result = state(app.env).result
    if result is None:
        return
    cfg = settings(app.env)
    report = findings_report(cfg.today.isoformat(), reported(app.env, result.findings), cfg.severity)
    out = Path(app.outdir) / "clausewise"
    out.mkdir(parents=True, exist_ok=True)
    (out / FINDINGS_FILE).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if app.builder.format == "html":
        write_exports(app, result, out)


def write_exports(app: Sphinx, result: BuildResult, out: Path) -> None:
    """The auditors' files: matrix.csv, clausewise.xlsx, needs.json, calendars."""
    cfg = result.config
    findings = reported(app.env, result.findings)
    exports.write_csv(out / "matrix.csv", exports.COLUMNS["Matrix"], exports.matrix_rows(result.coverage))
    exports.write_xlsx(
        out / "clausewise.xlsx",
        {
            "Matrix": exports.matrix_rows(result.coverage),
            "Documents": exports.document_rows(result.handbook.documents, result.reviews, result.histories),
            "Records": exports.record_rows(result.records.values()),
            "Findings": exports.finding_rows(findings, cfg.severity),
        },
        cfg.today,
    )
    needs = Path(app.outdir) / "needs.json"
    if needs.is_file():
        shutil.copyfile(needs, out / "needs.json")
    events = exports.calendar_events(result.reviews.values(), result.records.values(), cfg.today)
    name = cfg.organisation or str(app.config.project)
    exports.write_ics(out / "calendar.ics", events, f"{name}: reviews and records due", cfg.today)
    for role in sorted(result.handbook.roles()):
        mine = [e for e in events if e.owner == role]
        exports.write_ics(out / f"calendar-{role}.ics", mine, f"{name}: {result.titles.get(role, role)}", cfg.today)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_needs")
    for name, default, rebuild in declarations():
        app.add_config_value(name, default, rebuild)
    app.add_node(clausewise_placeholder)
    app.add_directive(PAGE_DIRECTIVE, PageDirective)
    app.add_directive("clause-catalogue", CatalogueDirective)
    app.add_directive("traceability-matrix", MatrixDirective)
    app.add_directive("governed-documents", DocumentsDirective)
    app.add_directive("record-register", RecordRegisterDirective)
    app.add_directive("finding-codes", FindingCodesDirective)
    app.add_directive("review-schedule", ReviewScheduleDirective)
    app.add_directive("clausewise-dashboard", DashboardDirective)
    # before sphinx-needs reads its own config (priority 10 and up)
    app.connect("config-inited", on_config_inited, priority=5)
    app.connect("source-read", on_source_read)
    app.connect("doctree-read", on_doctree_read, priority=400)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-merge-info", on_merge)
    app.connect("env-updated", on_env_updated)
    app.connect("doctree-resolved", on_doctree_resolved)
    # after sphinx-needs has written needs.json (default priority 500)
    app.connect("build-finished", on_build_finished, priority=900)
    app.add_css_file("clausewise.css")
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
