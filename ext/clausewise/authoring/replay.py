"""A handbook's history, replayed from its own metadata: what ``clausewise demo`` writes.

A handbook copied into a repository in one commit has a history that says
nothing: every page "changed" on the day of the copy, after its review. This
module plans, from the pages' front matter alone, the history that the metadata
describes, as a list of :class:`Step` (one commit pushed to the main line, or
one pull request merged into it), oldest first; :mod:`clausewise.cli.demo`
writes the plan into a git repository. It is text in, plan out: no git, no
clock, nothing random, so the same handbook always gives the same commits.

The rules, in the order of the pages' lives:

- **The start.** Every file that is not a governed page or a record (``conf.py``,
  the index, the generated pages, a page whose front matter is not read) is
  committed first, :data:`LEAD_DAYS` before the earliest date any page names
  (and not before 1970, where git's dates begin), by the handbook's editor.
- **Creation.** A document is created by a pull request on the earlier of its
  ``effective:`` and ``reviewed:`` dates (a document of external origin on its
  ``reviewed:`` date: its ``effective:`` is the issuer's); a draft, which has neither, on the last
  day the handbook names. A document is never created after something that
  needs it: the documents it owns or that name it (``owner``, ``roles``,
  ``implements``, ``uses``), the record types it declares that others require, and the
  records of its record types.
- **The current version.** A document whose version has a predecessor
  (``3.1`` after ``3.0``, ``3.0`` after ``2.0``) and whose creation lies at least
  :data:`MIN_VERSION_DAYS` before its version took effect is created as that
  predecessor, without its last section (or paragraph), and reaches the text it
  has now through a second pull request on the earlier of ``effective:`` and
  ``reviewed:``: a content change, reviewed and approved as it merged. Until
  then the predecessor is reviewed on time, every review interval.
- **Reviews.** Each review is a pull request that changes only the
  ``reviewed:`` line (POL-002 of the sample: "a review that finds nothing to
  change is still recorded by a pull request"): on ``reviewed:``, and before
  it every review interval back to the current version (at most
  :data:`MAX_REVIEWS`). Front matter the line editor cannot edit (a date
  written as a block) is committed once, as it is, when the document is created.
- **Records** are committed directly to the main line on their ``produced:``
  date by the person named in ``produced_by:``; a record without a valid
  ``produced:`` date on the last day. So the records that are missing stay
  missing and the late ones late. A record with a ``correction:`` line is
  committed first without it and corrected later by its producer, on the first
  date the correction names (else :data:`CORRECTION_DAYS` after it was produced);
  when the correction reads "from A to B" and B stands once in the record, the
  first commit says A.

Who does what: the author of a document's pull requests is the holder of its
owner role. Its approver is the first of the owner role's ``members:`` (forge logins,
in the order the role's page lists them) other than the author, so that
``clausewise_approval``'s ``"by": "owner"`` accepts every replayed change; a login is
the person of the records and roles whose address it is the local part of
(``liam.oconnor``: Liam O'Connor), else a person of that name. A role with no member
besides the author falls back to the handbook's editor (the holder of the role that owns
the most documents other than roles), or for the editor's own documents the
holder of the editor's role's owner (:data:`NOBODY` when that is the author
again): an approval ``"by": "anyone"`` accepts, and ``"by": "owner"`` reports, as it
would for such a role. A role's holder is the person who produced most of the
records of the record types it owns, else its own owner role's holder. Approvals
are ``Approved-by:`` trailers on the merge commit and, written from
:attr:`PullRequest.approvals` by :mod:`clausewise.cli.demo`, the merge commit's
git note under ``refs/notes/clausewise/approvals``, as the workflow records them (with
the pull request's number, title and a fictional address, :data:`PULL_REQUEST_URL`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from clausewise.authoring.editor import newline_of, read_front_matter, set_value
from clausewise.authoring.errors import AuthoringError
from clausewise.core.dates import add_months, parse_date
from clausewise.core.model import DocType, GovernedDocument, Handbook, Record, Status
from clausewise.sources.text import split_lines

#: The first commit comes this many days before the earliest date a page names.
LEAD_DAYS = 14
#: A version replaces its predecessor only if that one was in force this long.
MIN_VERSION_DAYS = 28
#: The earliest day a commit can carry.
EPOCH = date(1970, 1, 1)
#: At most this many reviews are replayed between two versions (ten years of monthly
#: ones): a review date centuries after the effective date does not make a history of thousands.
MAX_REVIEWS = 120
#: A correction without a date of its own is made this many days after the record.
CORRECTION_DAYS = 14
#: Every commit of a day lies between these hours (UTC), in the order of the plan.
DAY_STARTS, DAY_ENDS = time(9, 0), time(21, 0)
#: The approval comes this long before the merge, the branch's commit before that.
APPROVED_BEFORE_MERGE = timedelta(hours=1)
BRANCH_BEFORE_APPROVAL = timedelta(hours=2)
#: Who commits a merge made on the forge (as GitHub does).
FORGE = ("GitHub", "noreply@github.com")
EMAIL_DOMAIN = "example.org"
#: The address of a replayed pull request, as a forge would give it: fictional, like the people's
#: addresses (a reserved example domain), so that a revision history links its pull requests.
PULL_REQUEST_URL = "https://forge.example.org/handbook/pull/{number}"
#: The holder of a role nobody is known to hold.
NOBODY = "Handbook editor"


#: The files a step writes: (path, whole content), in path order.
Files = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    @property
    def login(self) -> str:
        """The forge login the replay gives a person: their e-mail address's local part."""
        return self.email.split("@", 1)[0]


@dataclass(frozen=True)
class Approval:
    """One approving review of a pull request."""

    by: Person
    at: datetime


@dataclass(frozen=True)
class PullRequest:
    number: int
    branch: str
    approvals: tuple[Approval, ...]
    #: when the branch's one commit was made (before the approval and the merge)
    opened: datetime


@dataclass(frozen=True)
class Step:
    """One change that reached the main line: a direct commit, or a pull request merged."""

    when: datetime
    author: Person
    summary: str
    files: Files
    pull_request: PullRequest | None = None

    @property
    def message(self) -> str:
        """The commit message on the main line: for a pull request, its merge commit's,
        with the approvals as ``Approved-by:`` trailers."""
        if self.pull_request is None:
            return self.summary + "\n"
        pr = self.pull_request
        trailers = "".join(f"Approved-by: {a.by.name} <{a.by.email}>\n" for a in pr.approvals)
        return f"Merge pull request #{pr.number} from {pr.branch}\n\n{self.summary}\n\n{trailers}"


@dataclass
class _Event:
    """A step before its time of day and its pull-request number are known."""

    day: date
    rank: int  # within a day: documents before records, creations before reviews
    key: str  # the page's path: a stable order among events of the same rank
    author: str
    summary: str
    files: dict[str, bytes]
    approver: Person | None = None  # a pull request when set
    branch: str = ""


def person(name: str) -> Person:
    """A person with an address made from their name (``Liam O'Connor``: liam.oconnor@...)."""
    local = ".".join(re.sub(r"[^a-z0-9]", "", part) for part in name.lower().split()) or "someone"
    return Person(name, f"{local}@{EMAIL_DOMAIN}")


def previous_version(version: str | None) -> str | None:
    """The version before ``version`` in the usual major.minor scheme, or None:
    ``3.1`` after ``3.0``, ``3.0`` after ``2.0``, ``1.0`` and anything else has none."""
    m = re.fullmatch(r"(\d+)\.(\d+)", version or "")
    if m is None:
        return None
    major, minor = int(m.group(1)), int(m.group(2))
    if minor > 0:
        return f"{major}.{minor - 1}"
    return f"{major - 1}.0" if major > 1 else None


def holders(handbook: Handbook) -> dict[str, str]:
    """Role id -> who holds it: the most frequent ``produced_by`` of the records of
    the record types it owns (ties: the name first in alphabetical order), else its
    owner role's holder, else :data:`NOBODY`."""
    roles = handbook.roles()
    owner_of_type = {rt.id: rt.owner for rt in handbook.record_types}
    produced: dict[str, Counter[str]] = {}
    for rec in handbook.records:
        owner = owner_of_type.get(rec.record_type or "")
        if owner and rec.produced_by:
            produced.setdefault(owner, Counter())[rec.produced_by] += 1
    found: dict[str, str] = {}
    for role_id, counts in produced.items():
        found[role_id] = min(counts, key=lambda name: (-counts[name], name))

    def holder(role_id: str, seen: frozenset[str] = frozenset()) -> str:
        if role_id in found:
            return found[role_id]
        role = roles.get(role_id)
        if role is None or role.owner is None or role.owner in seen | {role_id}:
            return NOBODY
        return holder(role.owner, seen | {role_id})

    return {role_id: holder(role_id) for role_id in sorted(roles)}


def approver_of(members: Iterable[str], author: str, people: Mapping[str, str], fallback: str) -> Person:
    """Who approves a pull request by ``author`` (a name) to a document whose owner role lists
    ``members`` (logins): the first member who is not the author; ``people`` maps the logins the
    replay gives (:attr:`Person.login`) to names. ``fallback`` (a name) when no member is left."""
    own = person(author).login.casefold()
    for login in members:
        if login.casefold() == own:
            continue
        name = people.get(login.casefold())
        # a login nobody in the handbook has: a person of that name, with that login
        return person(name) if name is not None else Person(login, f"{login}@{EMAIL_DOMAIN}")
    return person(fallback)


def _editor_role(handbook: Handbook) -> str | None:
    """The role that owns the most documents other than roles and suppliers (ties: the first id): its
    holder approves. Roles are left out: whoever appoints the holders owns them all; suppliers too: the
    role that manages suppliers owns every supplier's page, which says nothing of who edits the handbook."""
    left_out = (DocType.ROLE, DocType.SUPPLIER)
    owned = Counter(d.owner for d in handbook.documents if d.owner and d.type not in left_out)
    return min(owned, key=lambda role: (-owned[role], role)) if owned else None


def _set(text: str, path: str, values: Mapping[str, str]) -> str:
    """``text`` with top-level front-matter keys set, every other byte kept."""
    fm = read_front_matter(text, path)
    lines = split_lines(text, keepends=True)
    for key, value in values.items():
        set_value(lines, fm, key, value, newline_of(text))
    return "".join(lines)


def _without_key(text: str, path: str, key: str) -> str:
    """``text`` without the one-line front-matter key ``key``."""
    fm = read_front_matter(text, path)
    if (key,) not in fm.lines:
        return text
    lines = split_lines(text, keepends=True)
    del lines[fm.lines[(key,)] - 1]
    return "".join(lines)


def _shortened(text: str) -> str | None:
    """``text`` without its last ``## `` section (else its last paragraph), as the
    version before; None when there is nothing to take away."""
    end = text.find("\n---", 3)
    head, body = (text[: end + 4], text[end + 4 :]) if text.startswith("---") and end > 0 else ("", text)
    cut = body.rfind("\n## ")
    if cut <= 0:
        cut = body.rstrip().rfind("\n\n")
    if cut <= 0 or not body[:cut].strip():
        return None
    return head + body[:cut].rstrip("\n") + "\n"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_FROM_TO = re.compile(r"\bfrom\s+(\S+)\s+to\s+(\S+?)[.,;)]?(?:\s|$)")


def _before_correction(text: str, path: str, correction: str) -> str:
    """The record as first committed: without its ``correction:`` line, and with the
    value the correction replaced when it says "from A to B" and B stands once."""
    original = _without_key(text, path, "correction")
    m = _FROM_TO.search(correction)
    if m is not None:
        old, new = m.group(1), m.group(2)
        fm_end = original.find("\n---", 3) + 4
        body = original[fm_end:]
        if body.count(new) == 1:
            original = original[:fm_end] + body.replace(new, old)
    return original


def _needed_by(handbook: Handbook) -> dict[str, set[str]]:
    """Document id -> the ids of the documents that cannot exist without it."""
    declared_in = {rt.id: rt.declared_in for rt in handbook.record_types}
    needs: dict[str, set[str]] = {}
    for doc in handbook.documents:
        required = (declared_in.get(rt, "") for rt in doc.requires_records)
        for target in (doc.owner or "", *doc.roles, *doc.implements, *doc.uses, *required):
            if target and target != doc.id:
                needs.setdefault(target, set()).add(doc.id)
    return needs


def _named_days(doc: GovernedDocument) -> list[date]:
    """The days a document's own front matter names for it. A document of external origin's
    ``effective:`` is its issuer's (a law of 2018), not the day the organisation took it under control."""
    named = (doc.reviewed,) if doc.type is DocType.EXTERNAL else (doc.effective, doc.reviewed)
    return [d for d in named if d is not None]


def _creation_days(handbook: Handbook, first: date, last: date) -> dict[str, date]:
    """Document id -> the day it is created (see the module's docstring)."""
    days: dict[str, date] = {}
    for doc in handbook.documents:
        named = _named_days(doc)
        days[doc.id] = min(named) if named else (last if doc.status is Status.DRAFT else first)
    declared_in = {rt.id: rt.declared_in for rt in handbook.record_types}
    for rec in handbook.records:
        owner = declared_in.get(rec.record_type or "")
        if owner in days and rec.produced is not None:
            days[owner] = min(days[owner], rec.produced)
    needed_by = _needed_by(handbook)
    changed = True
    while changed:  # dates only move back, and not before `first`: this ends
        changed = False
        for target, users in needed_by.items():
            if target in days:
                earliest = max(min(days[u] for u in users), first)
                if earliest < days[target]:
                    days[target], changed = earliest, True
    return days


def _dates(handbook: Handbook) -> list[date]:
    docs = [d for doc in handbook.documents for d in _named_days(doc)]
    return docs + [r.produced for r in handbook.records if r.produced is not None]


def plan(handbook: Handbook, files: Mapping[str, bytes]) -> tuple[Step, ...]:
    """The history of the handbook whose files (path -> content) are ``files`` and whose
    model ``handbook`` was read from them; it ends with every file as it is. Pages are
    UTF-8 text (the build read them); any other file is committed at the start as it is."""
    dates = _dates(handbook) or [date(2000, 1, 1)]
    # git's dates start in 1970: a history cannot begin before
    first, last = max(min(dates) - timedelta(days=LEAD_DAYS), EPOCH), max(dates)
    roles = holders(handbook)
    editor_role = _editor_role(handbook)
    role_owner = {role_id: role.owner for role_id, role in handbook.roles().items()}
    editor = roles.get(editor_role or "", NOBODY)
    created = _creation_days(handbook, first, last)
    texts = {}
    for path in {d.source.path for d in handbook.documents} | {r.source.path for r in handbook.records}:
        try:
            texts[path] = files[path].decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
    events = [
        _Event(first, 0, "", editor, "Start the handbook",
               {p: t for p, t in files.items() if p not in texts}),
    ]  # fmt: skip
    names = {*roles.values(), *(r.produced_by for r in handbook.records if r.produced_by)}
    people = {person(name).login.casefold(): name for name in sorted(names)}
    role_pages = handbook.roles()
    for doc in sorted(handbook.documents, key=lambda d: d.source.path):
        if doc.source.path in texts:
            author = roles.get(doc.owner or "", NOBODY)
            fallback = editor if author != editor else roles.get(role_owner.get(editor_role or "") or "", NOBODY)
            if fallback == author:
                fallback = NOBODY
            owner_role = role_pages.get(doc.owner or "")
            approver = approver_of(owner_role.members if owner_role else (), author, people, fallback)
            text = texts[doc.source.path]
            try:
                events += _document_events(doc, text, created[doc.id], author, approver)
            except AuthoringError:
                # front matter the line editor does not edit (a date written over two lines):
                # the page is created once, as it is
                branch = f"{_slug(author)}/{_slug(doc.id)}"
                as_it_is = {doc.source.path: text.encode()}
                events.append(_Event(created[doc.id], 1, doc.source.path, author, f"{doc.id} {doc.title}", as_it_is,
                                     approver, branch))  # fmt: skip
    for rec in sorted(handbook.records, key=lambda r: r.source.path):
        if rec.source.path in texts:
            events += _record_events(rec, texts[rec.source.path], last)
    return _steps(events)


def _document_events(doc: GovernedDocument, text: str, created: date, author: str, approver: Person) -> list[_Event]:
    path = doc.source.path
    named = _named_days(doc)
    current = min(named) if named else created
    earlier = previous_version(doc.version)
    shortened = _shortened(text)
    base = f"{doc.id} {doc.title}"
    branch = f"{_slug(author)}/{_slug(doc.id)}"

    def pull_request(day: date, rank: int, summary: str, new: str, name: str) -> _Event:
        return _Event(day, rank, path, author, f"{base}: {summary}", {path: new.encode()}, approver, f"{branch}-{name}")

    def reviews(page: str, days: Iterable[date]) -> list[_Event]:
        """Reviews of ``page``, each a pull request that changes only its ``reviewed:`` line."""
        return [
            pull_request(day, 3, "reviewed, no change", _set(page, path, {"reviewed": day.isoformat()}),
                         f"review-{day.isoformat()}")
            for day in days
        ]  # fmt: skip

    if earlier is not None and shortened is not None and (current - created).days >= MIN_VERSION_DAYS:
        began = created.isoformat()
        first = _set(shortened, path, {"version": earlier, "effective": began, "reviewed": began})
        events = [pull_request(created, 1, f"version {earlier}", first, earlier)]
        # the earlier version was reviewed on time, every review interval, until the current one
        events += reviews(first, _every_interval(created, current, doc.review_interval_months, forward=True))
        version = _set(text, path, {"reviewed": current.isoformat()}) if doc.reviewed else text
        events.append(pull_request(current, 2, f"version {doc.version}", version, str(doc.version)))
        since = current
    else:
        first = _set(text, path, {"reviewed": created.isoformat()}) if doc.reviewed else text
        events = [pull_request(created, 1, f"version {doc.version or 'draft'}", first, doc.version or "draft")]
        since = created
    if doc.reviewed is not None and doc.reviewed > since:
        # the last review on `reviewed:`, and before it one every review interval back to `since`
        events += reviews(text, _every_interval(since, doc.reviewed, doc.review_interval_months, forward=False))
    return events


def _every_interval(after: date, until: date, months: int, *, forward: bool) -> list[date]:
    """Days strictly after ``after`` that are ``months`` apart, in order: counted from
    ``after`` and before ``until`` (``forward``), or counted back from ``until`` itself."""
    if months < 1:  # no interval: no reviews between, only the one on `until`
        return [] if forward else [until]
    if forward:
        days: list[date] = []
        while (day := add_months(after, months * (len(days) + 1))) < until and len(days) < MAX_REVIEWS:
            days.append(day)
        return days
    days = [until]
    while (back := add_months(until, -months * len(days))) > after and len(days) < MAX_REVIEWS:
        days.append(back)
    return days[::-1]


def _record_events(rec: Record, text: str, last: date) -> list[_Event]:
    path = rec.source.path
    producer = rec.produced_by or NOBODY
    day = rec.produced or last
    summary = f"Add {rec.id}: {rec.title}"
    if not rec.correction:
        return [_Event(day, 4, path, producer, summary, {path: text.encode()})]
    named = [d for d in (parse_date(s) for s in _DATE.findall(rec.correction)) if d is not None and d >= day]
    corrected = named[0] if named else day + timedelta(days=CORRECTION_DAYS)
    return [
        _Event(day, 4, path, producer, summary, {path: _before_correction(text, path, rec.correction).encode()}),
        _Event(corrected, 5, path, producer, f"Correct {rec.id}: {rec.title}", {path: text.encode()}),
    ]


def _at(day: date, index: int, count: int) -> datetime:
    """The time of the ``index``-th of ``count`` commits of ``day``: spread over the working day."""
    start = datetime.combine(day, DAY_STARTS, UTC)
    span = (datetime.combine(day, DAY_ENDS, UTC) - start).total_seconds()
    step = min(600, int(span // max(count, 1)))
    return start + timedelta(seconds=index * step)


def _steps(events: Iterable[_Event]) -> tuple[Step, ...]:
    ordered = sorted(events, key=lambda e: (e.day, e.rank, e.key))
    per_day = Counter(e.day for e in ordered)
    seen: Counter[date] = Counter()
    steps: list[Step] = []
    number = 0
    for e in ordered:
        when = _at(e.day, seen[e.day], per_day[e.day])
        seen[e.day] += 1
        pr = None
        if e.approver is not None:
            number += 1
            approved = when - APPROVED_BEFORE_MERGE
            pr = PullRequest(number, e.branch, (Approval(e.approver, approved),),
                             approved - BRANCH_BEFORE_APPROVAL)  # fmt: skip
        steps.append(Step(when, person(e.author), e.summary, tuple(sorted(e.files.items())), pr))
    return tuple(steps)
