"""Links into the forge's web editor, for owners who do not use a terminal.

Each governed page the build's audience may read gets "Edit this page"
(:meth:`WebEditor.edit`), and each record type's grid an "add" link on every
period that is missing or due without a record (:func:`new_record_link`), which
opens the forge's new-file page with the file ``clausewise new record RT --period P``
would write: the same path, id, title and text (:mod:`clausewise.sources.recordfile`),
``produced:`` the build's "today" and ``produced_by:`` :data:`PRODUCER_PLACEHOLDER`.

The forge is ``clausewise_forge``, else recognised from the host of
``clausewise_repository_url``; the branch is the main branch the git history found,
as the forge names it (:attr:`~clausewise.core.history.History.forge_branch`), and a
path is the page's path from the repository's top (:attr:`~clausewise.core.history.History.prefix`
before the handbook-relative path). Without a repository URL, a recognised forge, git
history or a main branch there is no link: a guessed one would open the wrong file.

Every link is inert and bounded: the repository URL must be an ``http(s)://`` address
with nothing a browser would read differently (no quote, space, angle bracket or
backslash), and every other part is percent-encoded (path segments, branch, query
values), so neither a hostile path, id nor title can change the scheme or leave
the ``href`` attribute. A new-record link longer than :data:`MAX_URL_LENGTH` (GitHub
refuses URLs of about 8 KB) is given without the file's text (the editor opens
with its name only); if even that is too long, there is no link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlsplit

from clausewise.core.history import History
from clausewise.core.ids import IdKind
from clausewise.core.model import Handbook
from clausewise.core.settings import ClausewiseConfig
from clausewise.core.urls import dangerous_scheme
from clausewise.rules.evidence import RecordTypeStatus
from clausewise.rules.periods import PeriodState, PeriodStatus, parse_period
from clausewise.sources.recordbody import PRODUCER_PLACEHOLDER
from clausewise.sources.recordfile import (
    record_classification,
    record_fields,
    record_id_prefix,
    record_text,
)

#: The longest link clausewise writes; GitHub answers "414 URI Too Long" from about 8 KB.
MAX_URL_LENGTH = 8000
#: A repository address with nothing a browser or an attribute would read differently.
_PLAIN_URL = re.compile(r"^https?://[^\s\"'<>\\`]+$")


class Forge(StrEnum):
    GITHUB = "github"
    GITLAB = "gitlab"

    @property
    def display_name(self) -> str:
        return {"github": "GitHub", "gitlab": "GitLab"}[self.value]


def forge_of(cfg: ClausewiseConfig) -> Forge | None:
    """The forge whose web editor the links open: ``clausewise_forge``, else recognised
    from the repository URL's host; ``None`` for no links (no repository URL, ``none``,
    or a host that names neither forge)."""
    if not cfg.repository_url or cfg.forge == "none":
        return None
    if cfg.forge:
        return Forge(cfg.forge)
    host = (urlsplit(cfg.repository_url).hostname or "").lower()
    if "github" in host:
        return Forge.GITHUB
    if "gitlab" in host:
        return Forge.GITLAB
    return None


def _encoded(text: str) -> str:
    """``text`` percent-encoded for a URL's path or query: only letters, digits, ``-._~`` and
    ``/`` stay as they are (``quote`` encodes every other byte of its UTF-8)."""
    return quote(text, safe="/")


@dataclass(frozen=True)
class WebEditor:
    """Where the forge's web editor is for this build's repository and main branch."""

    forge: Forge
    repository: str  # e.g. https://github.com/example/handbook (no trailing slash)
    branch: str  # e.g. main
    prefix: str  # the handbook's folder in the repository: "" or "handbook/"

    @classmethod
    def of(cls, cfg: ClausewiseConfig, history: History) -> WebEditor | None:
        """The web editor of this build, or ``None`` when no link can be made (see the module)."""
        forge = forge_of(cfg)
        repository = cfg.repository_url.rstrip("/")
        if forge is None or not history.available or not history.forge_branch:
            return None
        if not _PLAIN_URL.match(repository) or dangerous_scheme(repository) or not urlsplit(repository).hostname:
            return None
        return cls(forge, repository, history.forge_branch, history.prefix)

    def _place(self, action: str, path: str) -> str:
        dash = "-/" if self.forge is Forge.GITLAB else ""
        return f"{self.repository}/{dash}{action}/{_encoded(self.branch)}/{_encoded(self.prefix + path)}"

    def edit(self, path: str) -> str:
        """The web editor of the handbook's file ``path`` (relative to the handbook's folder):
        GitHub's ``{repo}/edit/{branch}/{path}``, GitLab's ``{repo}/-/edit/{branch}/{path}``."""
        return self._place("edit", path)

    def new_file(self, folder: str, name: str, text: str) -> str:
        """The forge's page for a new file ``name`` in ``folder`` (relative to the handbook's folder),
        prefilled with ``text``: GitHub's ``{repo}/new/{branch}/{folder}?filename=…&value=…``, GitLab's
        ``{repo}/-/new/{branch}/{folder}?file_name=…&content=…``. Without ``text`` when the link would
        be longer than :data:`MAX_URL_LENGTH`; "" when even that is."""
        name_key, text_key = ("file_name", "content") if self.forge is Forge.GITLAB else ("filename", "value")
        place = self._place("new", folder.rstrip("/"))
        with_name = f"{place}?{name_key}={quote(name, safe='')}"
        full = f"{with_name}&{text_key}={quote(text, safe='')}"
        if len(full) <= MAX_URL_LENGTH:
            return full
        return with_name if len(with_name) <= MAX_URL_LENGTH else ""


def new_record_link(
    editor: WebEditor | None, status: RecordTypeStatus, period: PeriodStatus, handbook: Handbook, cfg: ClausewiseConfig
) -> str:
    """The link that adds the record of ``period`` in the web editor: the file ``clausewise new
    record`` writes for it (produced today by :data:`PRODUCER_PLACEHOLDER`); "" where that command
    would write none: the period is not missing or due, a draft already covers it, the file or
    id is taken, the id would not match the handbook's record pattern, or no classification is known."""
    rt = status.record_type
    if editor is None or period.records or period.state not in (PeriodState.MISSING, PeriodState.DUE):
        return ""
    if rt.cadence is None or rt.cadence.per_event or status.start is None:
        return ""
    drafted = {parse_period(r.period or "", rt.cadence, status.start) for r in status.unfilled}
    if period.period in drafted:
        return ""
    ids = cfg.id_patterns
    label = period.period.label
    path = f"{status.folder}/{label}.md"
    ident = f"{record_id_prefix(handbook, ids)}{ids.record_type_name(rt.id)}-{label}"
    taken = {r.source.path for r in handbook.records} | {d.source.path for d in handbook.documents}
    in_use = (
        {r.id for r in handbook.records} | {d.id for d in handbook.documents} | {c.need_id for c in handbook.clauses}
    )
    in_use |= {t.id for t in handbook.record_types}
    levels = cfg.classification_levels
    classification = record_classification(handbook, rt, status.last_record, levels)
    if path in taken or ident in in_use or not ids[IdKind.RECORD].matches(ident) or classification not in levels:
        return ""
    fields = record_fields(
        ident, rt, label, produced=cfg.today, produced_by=PRODUCER_PLACEHOLDER,
        classification=classification, evidence=None,
    )  # fmt: skip
    return editor.new_file(status.folder, f"{label}.md", record_text(fields))
