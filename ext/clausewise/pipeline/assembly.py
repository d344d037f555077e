"""The whole handbook, once per build: from pages read to model, rules and findings.

Two readers feed this module the same plain inputs:

- the Sphinx extension (:mod:`clausewise.sphinxext`), from what its events
  collected on the build environment while MyST parsed every page;
- ``clausewise check`` (:mod:`clausewise.sphinxext.scan`), from the source files alone,
  without rendering Markdown, so that owners get the findings in about a second.

Neither reader decides anything here: which page is governed and what its
front matter means is :func:`read_page`; everything after is :func:`assemble`.
That is how the two stay identical (a test compares them on the same input).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from clausewise.core.dates import add_months
from clausewise.core.digest import digest, unshared
from clausewise.core.findings import HANDBOOK_UNUSABLE, Code, Finding, Severity, is_suppressed, resolve_severity
from clausewise.core.history import FileHistory, History, page_history
from clausewise.core.model import Catalogue, DocType, GovernedDocument, Handbook, Record, Source, clause_ids
from clausewise.core.settings import ClausewiseConfig
from clausewise.rules import (
    actions,
    approval,
    audits,
    coverage,
    customers,
    evidence,
    fields,
    kinds,
    measurements,
    review_inputs,
    staleness,
    suppliers,
)
from clausewise.rules.register import Register, document_register, retired_paths
from clausewise.sources import frontmatter, gitlog, links, metadata, recordbody, strays, teams
from clausewise.sources.text import UndecodableError


@dataclass
class PageData:
    """What one source file contributed: its model object and its own findings."""

    path: str
    item: GovernedDocument | Record | None
    findings: list[Finding]
    #: the build's audience may not read the page: only its metadata and summary are shown
    withheld: bool = False


@dataclass
class PageRead:
    """One governed page read: what it contributes, and its parsed front matter
    (the Sphinx reader hands MyST a cleaned copy of the page made from it)."""

    page: PageData
    front_matter: frontmatter.FrontMatter


def unreadable_page(path: str, problem: UndecodableError) -> Finding:
    """The finding of a page that is not text: both readers leave it out."""
    return Finding(
        path, problem.line, Code.PAGE_UNREADABLE, "",
        f"{problem.message}; until then the page is left out of the build and its metadata is unknown",
    )  # fmt: skip


#: What an audience that may not read a title sees in place of what would name the document as well.
WITHHELD = "withheld"


def read_page(
    text: str,
    path: str,
    docname: str,
    cfg: ClausewiseConfig,
    declared: metadata.FieldDeclarations | None = None,
    parsed: frontmatter.FrontMatter | None = None,
) -> PageRead | None:
    """Read one source file's front matter; ``None`` when the page is not governed.

    A page is governed when it lies under a governed path or declares a ``type``.
    A record's body is read too, for one thing only: whether it is still the
    scaffold's placeholder text (``Record.unfilled_line``). A record's fields are
    read against ``declared`` (:func:`field_declarations` of the handbook's pages,
    which both readers read first); without it, a record's keys beyond its own are unknown.
    ``parsed`` is ``frontmatter.parse(text)`` when the caller has it already (:func:`front_matters`):
    both readers read every page's front matter twice, first for the fields it declares.
    """
    if not path.endswith(".md"):
        return None
    fm = parsed if parsed is not None else frontmatter.parse(text)
    declares_type = fm.present and fm.error is None and "type" in fm.data
    if not (cfg.is_governed_path(path) or declares_type):
        return None
    item, findings = metadata.read_governed(
        fm, Source(path, docname, 1), cfg.id_patterns, cfg.classification_levels, declared
    )
    if isinstance(item, Record):
        # read here, where both readers pass the whole text, so that the build and `check` agree
        unfilled = recordbody.unfilled_line(text, fm.last_line, bool(item.evidence))
        if recordbody.placeholder_producer(item.produced_by):
            # the web editor's "Your name", never replaced: who produced it is part of the evidence
            unfilled = item.line_of("produced_by")
        item = replace(item, unfilled_line=unfilled)
    withheld, title_hidden = audience_view(fm, cfg)
    if item is not None and title_hidden:
        # the id stands in for the title in every place the model feeds: links, tables, exports, needs
        item = replace(item, title=item.id)
        if isinstance(item, GovernedDocument) and item.type is DocType.EXTERNAL:
            # who issued a document of external origin, and where it is kept, name it as its title does
            # ("Agreement with Acme": issuer Acme Ltd, location contracts/acme/...)
            item = replace(item, issuer=item.issuer and WITHHELD, location=item.location and WITHHELD)
    return PageRead(PageData(path, item, findings, withheld), fm)


def front_matters(pages: Iterable[tuple[str, str, str]]) -> dict[str, frontmatter.FrontMatter]:
    """Docname -> the parsed front matter of every Markdown page given as ``(text, path, docname)``:
    parsed once, for :func:`declared_fields` and then for each page's :func:`read_page` (parsing
    YAML is most of what reading a page's metadata costs)."""
    return {docname: frontmatter.parse(text) for text, path, docname in pages if path.endswith(".md")}


def declared_fields(
    pages: Iterable[tuple[str, str, str]],
    cfg: ClausewiseConfig,
    parsed: Mapping[str, frontmatter.FrontMatter] | None = None,
) -> dict[str, metadata.FieldSpecs]:
    """The fields each record type of the handbook declares, from every page as ``(text, path,
    docname)``: what both readers read records against (:func:`read_page`'s ``declared``). The
    pages are taken in docname order, as :func:`assemble` takes them, so the same declaration of
    a duplicate record type id wins in both. ``parsed``: the pages' :func:`front_matters`, if known."""
    known = parsed or {}
    items = (read.page.item for text, path, docname in sorted(pages, key=lambda p: p[2])
             if not is_record(known.get(docname))
             and (read := read_page(text, path, docname, cfg, parsed=known.get(docname))) is not None)  # fmt: skip
    return metadata.field_declarations(items)


def is_record(fm: frontmatter.FrontMatter | None) -> bool:
    """Whether the front matter is a record's, which declares no record type: reading and checking
    every record twice was most of what finding the declarations cost."""
    return fm is not None and fm.present and fm.error is None and metadata.document_type(fm) is DocType.RECORD


#: A front-matter line that names who may read the page, found in the text when its YAML cannot be read.
_NAMES_A_LEVEL = re.compile(r"^\s*['\"]?(title_)?classification['\"]?\s*:", re.MULTILINE)


def other_page_view(text: str, cfg: ClausewiseConfig) -> tuple[bool, bool] | None:
    """For a page that is not governed (notes, minutes): :func:`audience_view` when its front
    matter names a ``classification`` or ``title_classification``, which it may, as any page
    may say who may read it; ``None`` when it names neither, and every audience reads it.

    Closed when in doubt: front matter that cannot be read (broken YAML, a block never
    closed) but has a line naming a classification withholds the page, body and title,
    until it is fixed."""
    fm = frontmatter.parse(text)
    if not fm.present:
        return None
    if fm.error is not None:
        return (True, True) if _names_a_level(text, fm) else None
    if not {"classification", "title_classification"} & fm.data.keys():
        return None
    return audience_view(fm, cfg)


def _names_a_level(text: str, fm: frontmatter.FrontMatter) -> bool:
    # (a block never closed runs to the end of the file)
    head = "\n".join(text.splitlines()[: fm.last_line]) if fm.last_line else text
    return _NAMES_A_LEVEL.search(head) is not None


def unreadable_classification(text: str, path: str) -> Finding | None:
    """The finding of a page that is not governed whose front matter cannot be read but names
    a classification: :func:`other_page_view` withholds it from every audience until it is fixed."""
    fm = frontmatter.parse(text) if path.endswith(".md") else None
    if fm is None or fm.error is None or not _names_a_level(text, fm):
        return None
    line, problem = fm.error
    return Finding(
        path, line, Code.INVALID_METADATA, "",
        f"{problem}; the front matter names a classification, so the page is withheld from every audience "
        f"until the front matter can be read",
    )  # fmt: skip


def is_withheld(text: str, path: str, cfg: ClausewiseConfig) -> bool:
    """Whether the build's audience may not read the page ``text`` at ``path``, governed or not."""
    read = read_page(text, path, path.removesuffix(".md"), cfg)
    if read is not None:
        return read.page.withheld
    view = other_page_view(text, cfg) if path.endswith(".md") else None
    return view is not None and view[0]


def audience_view(fm: frontmatter.FrontMatter, cfg: ClausewiseConfig) -> tuple[bool, bool]:
    """Whether the build's audience may not read a governed page's body, and its title.

    Decided from the front matter as written, and closed when in doubt: a page
    whose classification is missing, unreadable or not a level is withheld
    from every audience (its finding says why), as is one whose title the
    audience may not read (a title-less body would still tell what it is)."""
    data = fm.data if fm.present and fm.error is None else {}
    level = data.get("classification")
    title_level = data.get("title_classification")
    title_hidden = "title_classification" in data and not (
        isinstance(title_level, str) and cfg.may_read(title_level.strip())
    )
    body_hidden = not (isinstance(level, str) and cfg.may_read(level.strip()))
    return body_hidden or title_hidden, title_hidden


@dataclass
class BuildResult:
    """Computed once per build; read while writing pages and exports."""

    handbook: Handbook
    coverage: list[coverage.ClauseCoverage]
    findings: list[Finding]
    anchors: dict[str, tuple[str, str]]  # id -> (docname, anchor)
    titles: dict[str, str]  # id -> title
    reviews: dict[str, staleness.Review]  # document id -> its review state
    histories: dict[str, FileHistory]  # document or record id -> its page's git history
    history: History  # the repository as a whole (availability, shallow)
    config: ClausewiseConfig
    records: dict[str, evidence.RecordTypeStatus]  # record type id -> its periods and records
    suppress_warnings: tuple[str, ...] = ()  # Sphinx's, from conf.py
    withheld: frozenset[str] = frozenset()  # ids of the pages withheld from the build's audience
    #: document id -> commit -> ``clausewise_approval``'s verdict on each change it judges: what the
    #: page's revision history and ``clausewise approvals show`` say, as ``approval-missing`` does
    approvals: Mapping[str, Mapping[str, approval.Verdict]] = field(default_factory=dict)
    #: the audit programme's coverage (None: no record type of kind audit)
    audit_coverage: audits.AuditCoverage | None = None

    @cached_property
    def reported_findings(self) -> list[Finding]:
        """The findings not switched off by severity ``off`` or ``suppress_warnings``."""
        return reported(self.findings, self.config, self.suppress_warnings)

    @cached_property
    def unusable(self) -> list[Finding]:
        """The reported findings that say the handbook as a whole cannot be judged
        (no governed documents, every page invalid, no roles): every output that
        would otherwise look like good news says them first."""
        return [f for f in self.reported_findings if f.code in HANDBOOK_UNUSABLE]

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything the handbook-wide tables show, computed when a
        build first asks for it (``clausewise check`` never does). Not kept for the page keys'
        shared parts: its JSON is the whole handbook's."""
        with unshared():
            return digest(
                (self.handbook, self.coverage, self.reviews, self.records, self.anchors, self.titles, self.config,
                 self.unusable, self.register)
            )  # fmt: skip

    @cached_property
    def register(self) -> Register:
        """The document register: every document's version, last approval and review, and the
        day each retired one was retired (the register page, the Documents sheet, register.csv)."""
        return document_register(self.handbook.documents, self.reviews, self.histories, self.history, self.approvals)

    @cached_property
    def supplier_statuses(self) -> list[suppliers.SupplierStatus]:
        """Each supplier's contract and review state today, computed once per build for every page
        and file that shows it (the supplier pages, the register, suppliers.csv, ``clausewise due``)."""
        cfg = self.config
        return suppliers.supplier_statuses(self.handbook, cfg.today, cfg.supplier_review, cfg.contract_notice_days)

    @cached_property
    def actions(self) -> list[actions.Action]:
        """The handbook's actions (``rules.actions``), read once per build for every page that lists
        them: each role page's open actions, the action register, the dashboard, ``clausewise due``."""
        return actions.actions(self.handbook)

    @cached_property
    def items(self) -> dict[str, GovernedDocument | Record]:
        """Documents and records by id (every page being written asks for it)."""
        out: dict[str, GovernedDocument | Record] = {d.id: d for d in self.handbook.documents}
        out.update({r.id: r for r in self.handbook.records})
        return out

    @cached_property
    def link_targets(self) -> str:
        """A digest of every id's title and place and every clause's need id: what a link on any
        page shows and where it goes."""
        return digest([self.titles, self.anchors, self.clause_ids])

    @cached_property
    def clause_ids(self) -> dict[str, str]:
        """Each way front matter can name a clause -> its need id (:func:`clause_ids`), for every page."""
        return clause_ids(self.handbook.catalogues)


@dataclass(frozen=True)
class HandbookInput:
    """Everything :func:`assemble` needs, as either reader collects it."""

    srcdir: Path
    config: ClausewiseConfig
    catalogues: tuple[Catalogue, ...]  # in configured order: bare clause numbers refer to the first
    catalogue_files: tuple[Path, ...]  # their YAML files, each in the handbook or bundled
    pages: Mapping[str, PageData]  # docname -> the governed page read
    #: docname -> (path, line) of each ``clause-catalogue`` directive
    catalogue_pages: Mapping[str, tuple[str, int]]
    #: docname -> the files (relative to srcdir) the page includes or shows
    dependencies: Mapping[str, Iterable[str]]
    suppress_warnings: tuple[str, ...] = ()  # Sphinx's, from conf.py
    withheld: frozenset[str] = frozenset()  # ids of the pages withheld from the build's audience
    #: docname -> what safe mode refused on that page (files outside the handbook, raw HTML,
    #: script links), on any page, governed or not
    safety_findings: Mapping[str, Sequence[Finding]] = field(default_factory=dict)
    #: the finding of each page left out before it is read: not text (page-unreadable), or,
    #: with safe mode, a link out of the handbook (unsafe-include)
    left_out: tuple[Finding, ...] = ()


def assemble(given: HandbookInput, log_pass: gitlog.LogPass | None) -> tuple[BuildResult, gitlog.LogPass | None]:
    """Model, rules and git history of the whole handbook; returns the result and
    the git log pass to reuse next time while HEAD does not move."""
    cfg, today = given.config, given.config.today
    ordered = sorted(given.pages.items())
    documents = tuple(p.item for _, p in ordered if isinstance(p.item, GovernedDocument))
    records = tuple(p.item for _, p in ordered if isinstance(p.item, Record))
    items: tuple[GovernedDocument | Record, ...] = (*documents, *records)
    handbook = Handbook(given.catalogues, documents, records)

    findings = [*given.left_out, *(f for _, page in ordered for f in page.findings)]
    findings += [f for _, refused in sorted(given.safety_findings.items()) for f in refused]
    findings += handbook_findings([page for _, page in ordered], cfg)
    findings += link_findings(given.srcdir, cfg)
    findings += stray_page_findings(given.srcdir, cfg)
    findings += activity_findings(documents, cfg)
    findings += coverage.reference_findings(handbook)
    findings += fields.clash_findings(handbook) + fields.reference_findings(handbook)
    findings += kinds.declaration_findings(handbook.record_types)
    findings += actions.nonconformity_findings(handbook)
    findings += actions.action_findings(handbook, today, cfg.action_effectiveness_days)
    findings += review_inputs.declaration_findings(handbook.record_types)
    findings += review_inputs.input_findings(handbook) + review_inputs.decision_action_findings(handbook)
    findings += measurements.reference_findings(handbook)
    withheld = frozenset(page.item.id for page in given.pages.values() if page.withheld and page.item is not None)
    findings += measurements.missed_findings(
        handbook, today, cfg.audit_window, cfg.target_misses.in_a_row, cfg.target_misses.in_window, withheld
    )
    findings += suppliers.supplier_findings(handbook, today, cfg.supplier_review, cfg.contract_notice_days)
    findings += suppliers.service_findings(handbook, frozenset(d.id for d in documents if d.type is DocType.SERVICE))
    findings += customers.value_findings(handbook) + customers.complaint_findings(
        handbook, today, cfg.complaint_response_days
    )
    record_statuses, record_findings = evidence.record_statuses(
        handbook, today, cfg.sms_start, cfg.records_path, cfg.id_patterns
    )
    findings += record_findings
    up_to_date = {rt_id: status.up_to_date for rt_id, status in record_statuses.items()}
    # the audit window is the last ``audit_window`` months up to today: it opens the day after this one
    before_window = add_months(today, -cfg.audit_window)
    window_gaps = {
        rt_id: [gap.period.label for gap in status.gaps_after(before_window)]
        for rt_id, status in record_statuses.items()
    }
    rows = coverage.coverage(handbook, today, up_to_date, window_gaps)
    first_key = given.catalogues[0].key if given.catalogues else ""
    findings += coverage.coverage_findings(rows, catalogue_sources(given), first_key)
    audit_coverage = audits.audit_coverage(
        handbook, today, cfg.audit_cycle, cfg.audit_scope,
        (r.need_id for r in rows if r.justification is not None or r.excluded is not None),
    )  # fmt: skip
    findings += audits.gap_findings(audit_coverage)

    in_handbook = [catalogue_in_handbook(path, given.srcdir) or "" for path in given.catalogue_files]
    # the catalogues' changed lines say which clauses changed; a retired document's, when it was retired
    keep_lines = frozenset(p for p in in_handbook if p) | retired_paths(documents)
    history, log_pass = gitlog.read_history(given.srcdir, keep_lines, log_pass, cfg.main_branch)
    histories = {
        item.id: page_history(history, page_sources(item.source, given.dependencies.get(item.source.docname, ())))
        for item in items
    }
    scheduled = {r.document.id: r for r in staleness.review_schedule(documents, today, cfg.due_soon_days)}
    reviews = staleness.with_changes(scheduled, histories, history)
    findings += staleness.review_findings(reviews.values())
    findings += staleness.history_findings(
        handbook, histories, history, today,
        cfg,
        {c.key: history.files[p] for c, p in zip(given.catalogues, in_handbook, strict=True) if p in history.files},
    )  # fmt: skip
    findings += staleness.repository_findings(history)
    findings += staleness.dates_backwards_findings(handbook, histories)
    findings += evidence.integrity_findings(
        handbook,
        histories,
        history,
        cfg.records_path,
        frozenset(page.path for _, page in ordered),
        cfg.sms_start,
        today,
    )
    findings += evidence.main_branch_findings(history, CONF_PY if cfg.main_branch else "")
    findings += evidence.approval_note_findings(history)
    ruled, verdicts = approval_rule_findings(given.srcdir, cfg, documents, histories, history)
    findings += ruled

    anchors: dict[str, tuple[str, str]] = {}
    for docname in sorted(given.catalogue_pages):
        for clause in handbook.clauses:
            anchors.setdefault(clause.need_id, (docname, clause.need_id))
    for item in items:
        anchors.setdefault(item.id, (item.source.docname, item.id))
    for doc in documents:
        for rt in doc.record_types:
            anchors.setdefault(rt.id, (doc.source.docname, rt.id))
    titles = {item.id: item.title for item in items} | {rt.id: rt.title for rt in handbook.record_types}
    result = BuildResult(
        handbook, rows, findings, anchors, titles, reviews, histories, history, cfg, record_statuses,
        tuple(given.suppress_warnings), withheld, verdicts, audit_coverage,
    )  # fmt: skip
    return result, log_pass


#: Where handbook-wide findings point: the file that sets clausewise_governed_paths.
CONF_PY = "conf.py"


def approval_rule_findings(
    srcdir: Path,
    cfg: ClausewiseConfig,
    documents: Iterable[GovernedDocument],
    histories: Mapping[str, FileHistory],
    history: History,
) -> tuple[list[Finding], dict[str, dict[str, approval.Verdict]]]:
    """``clausewise_approval``: ``approval-missing`` (:mod:`clausewise.rules.approval`), and the
    rule's verdict on each change it judges (document id -> commit -> verdict), which the pages'
    revision histories and ``clausewise approvals show`` give too; with ``"by": "owner"``, the team
    file is read first (a problem with it is one finding of its own)."""
    rule = cfg.approval
    if not rule.required:
        return [], {}
    known, found = teams.read_teams(srcdir, cfg.team_members) if rule.by == "owner" else (teams.Teams(), [])
    members = known.members if known.found else None
    documents = list(documents)
    verdicts = approval.rule_verdicts(documents, histories, rule, members, cfg.team_members)
    return found + approval.approval_findings(documents, verdicts, history, rule, CONF_PY), verdicts


def handbook_findings(pages: list[PageData], cfg: ClausewiseConfig) -> list[Finding]:
    """Findings about the handbook as a whole, so that a broken one never looks fine:
    no governed page at all, every governed page invalid, or no role to own anything.

    Each names the governed paths searched, since a wrong ``clausewise_governed_paths``
    is the usual cause. At most one of them: each later one follows from the earlier."""
    searched = f"{', '.join(repr(p) for p in cfg.governed_paths) or 'no folder'} (clausewise_governed_paths)"
    if not pages:
        return [
            Finding(CONF_PY, 0, Code.NO_GOVERNED_DOCUMENTS, "",
                    f"no governed documents found: no page under {searched} and none that declares a type; "
                    "set clausewise_governed_paths in conf.py to the folders that hold the policies, procedures, "
                    "roles and records")
        ]  # fmt: skip
    invalid = [p for p in pages if any(f.code is Code.INVALID_METADATA for f in p.findings)]
    # a handbook that switched invalid-metadata off has said it does not want to hear of it
    silenced = resolve_severity(Code.INVALID_METADATA, cfg.severity) is Severity.OFF
    if len(invalid) == len(pages) and not silenced:
        return [
            Finding(CONF_PY, 0, Code.ALL_PAGES_INVALID, "",
                    f"every governed page has invalid metadata: all {len(pages)} (under {searched} or declaring "
                    "a type); what the handbook shows of reviews, coverage and ownership is incomplete until "
                    "their invalid-metadata findings are fixed")
        ]  # fmt: skip
    roles = [p for p in pages if isinstance(p.item, GovernedDocument) and p.item.type is DocType.ROLE]
    if not roles:
        valid = sum(1 for p in pages if p.item is not None)
        return [
            Finding(CONF_PY, 0, Code.NO_ROLES, "",
                    f"no roles found: none of the {len(pages)} governed pages under {searched} is a role "
                    f"({valid} read as documents or records), so nothing has an owner; add role pages "
                    "(type: role, id: ROLE-...) in one of those folders")
        ]  # fmt: skip
    return []


def link_findings(srcdir: Path, cfg: ClausewiseConfig) -> list[Finding]:
    """``broken-symlink``: a dangling or looping link in a governed folder or the records folder."""
    findings = []
    for link in links.broken_links(srcdir, (*cfg.governed_paths, cfg.records_path)):
        if link.loop:
            why = "leads back to itself (a loop), so it is left out of the build"
        else:
            why = "does not exist, so what it should bring into the handbook is missing"
        findings.append(
            Finding(link.path, 0, Code.BROKEN_SYMLINK, "",
                    f"symbolic link to {link.target!r}, which {why}; point it at an existing file or folder "
                    f"inside the handbook, or remove it")
        )  # fmt: skip
    return findings


def stray_page_findings(srcdir: Path, cfg: ClausewiseConfig) -> list[Finding]:
    """``not-a-page``: a file in a governed folder or the records folder that looks like a
    page (``POLICY.MD``, ``plan.markdown``) but is not read as one."""
    return [
        Finding(path, 0, Code.NOT_A_PAGE, "",
                f"{path!r} looks like a page but is not one: only files ending in {strays.PAGE_SUFFIX!r} (lower "
                f"case) are read, so it is not part of the handbook; rename it to "
                f"{path.rsplit('.', 1)[0] + strays.PAGE_SUFFIX!r}, or move it out of the handbook's folders")
        for path in strays.stray_pages(srcdir, (*cfg.governed_paths, cfg.records_path))
    ]  # fmt: skip


def broken_link_exclusions(srcdir: Path, cfg: ClausewiseConfig) -> list[str]:
    """The links of :func:`link_findings`, as ``exclude_patterns`` entries: Sphinx
    would follow a folder loop as deep as the system allows, reading every page at
    every level, and warn once more, without a fix, of a link it cannot read."""
    return [link.path for link in links.broken_links(srcdir, (*cfg.governed_paths, cfg.records_path))]


def activity_findings(documents: Iterable[GovernedDocument], cfg: ClausewiseConfig) -> list[Finding]:
    """A document id in ``clausewise_activities`` that no document has: the
    dashboard would otherwise show the activity behind for a typo in ``conf.py``."""
    known = sorted(d.id for d in documents)
    found = []
    for name, ids in cfg.activities.items():
        for ident in ids:
            if ident in known:
                continue
            close = difflib.get_close_matches(ident, known, n=1)
            fix = f"did you mean {close[0]}?" if close else "name the ids of documents of the handbook"
            found.append(
                Finding(CONF_PY, 0, Code.UNKNOWN_REFERENCE, ident,
                        f"clausewise_activities: the activity {name!r} names {ident!r}, which is not a document "
                        f"of the handbook; {fix}")
            )  # fmt: skip
    return found


def page_sources(source: Source, dependencies: Iterable[str]) -> list[str]:
    """The files a page is made of: itself first, then what it includes."""
    return [source.path, *sorted(set(dependencies) - {source.path})]


def catalogue_in_handbook(catalogue_file: Path, srcdir: Path) -> str | None:
    """The catalogue's path in the repository; ``None`` for a bundled catalogue."""
    path, root = catalogue_file.resolve(), srcdir.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else None


def catalogue_sources(given: HandbookInput) -> dict[str, Source]:
    """Where each catalogue's coverage findings point (by key): the first page
    showing the catalogues, else the catalogue's own file."""
    if given.catalogue_pages:
        docname = min(given.catalogue_pages)
        path, line = given.catalogue_pages[docname]
        return {c.key: Source(path, docname, line) for c in given.catalogues}
    out = {}
    for catalogue, file in zip(given.catalogues, given.catalogue_files, strict=True):
        shown = catalogue_in_handbook(file, given.srcdir)
        out[catalogue.key] = Source(shown or f"(bundled catalogue) {file.name}", "", 0)
    return out


def reported(findings: Iterable[Finding], cfg: ClausewiseConfig, suppress_warnings: Iterable[str]) -> list[Finding]:
    """The findings not switched off by severity ``off`` or ``suppress_warnings``."""
    suppress = list(suppress_warnings)
    return [
        f
        for f in sorted(findings)
        if resolve_severity(f.code, cfg.severity) is not Severity.OFF and not is_suppressed(f.code, suppress)
    ]
