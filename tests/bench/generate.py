"""A synthetic handbook of any size, with a long git history and a known set of findings,
and its two twins for the benchmark's baselines.

    handbook = generate(root, docs=1000)          # clausewise, committed with its history
    write_needs_twin(handbook, twin)              # the same pages and needs, bare sphinx-needs
    write_plain_twin(handbook, plain)             # the same pages, MyST only

The handbook (deterministic from ``seed``): 5 % roles, 10 % policies, the rest procedures (20/100/880
at 1,000 documents); one record type per ten documents, each on its own procedure, weekly, with
:data:`RECORDS_PER_TYPE` records (five per document), and a catalogue of its own (10 clauses of 5
sub-clauses each, every leaf satisfied). Every document is created and then revised twice, each
revision a commit that also records a review (``version:`` and ``reviewed:`` move with it), about
three commits per document over the two years before :data:`TODAY`, plus one commit per week of
records, all written with one ``git fast-import`` (a second, where a commit per change would take
minutes). The dates are ordered so that nothing changes upstream of a document after its last
review: roles are last revised in May and June 2025, policies in the second half of 2025, procedures
in 2026; every review interval is 24 months.

Onto that clean handbook a few mistakes are planted, one of each per 250 documents (at least one),
and :attr:`Generated.expected` lists the findings they must give, as (code, path, id), once per
finding: ``review-overdue`` (a 6-month interval, last reviewed 2025-12-20), ``changed-since-review``
(a body edit committed after the last review), ``unknown-owner``, ``unknown-reference`` (implements a
policy that does not exist) and ``record-missing`` (one week without its record).

The twins are built from the same :class:`Page` list: the same titles and bodies, each page's needs
(clauses, documents, record types, records) declared with sphinx-needs' own directives, hidden, and
their links and fields written by hand (the needs twin); or no needs at all (the plain twin). The
generated parts of clausewise's pages (status boxes, grids, matrix, register) have no counterpart in
the twins: they are the cost being measured. All three use the ``basic`` theme.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from clausewise.sphinxext.needs_config import NEED_TYPES, NEEDS_FIELDS, NEEDS_LINKS

#: The day every bench build and test takes as today (a Monday).
TODAY = date(2026, 11, 23)
#: The history begins two years before today.
START = date(2024, 11, 25)
RECORDS_PER_TYPE = 50
CATALOGUE_KEY = "BENCH"
#: The top clauses and sub-clauses of each in the generated catalogue.
TOP_CLAUSES, SUB_CLAUSES = 10, 5
NL = "\n"
AUTHOR = ("Bench Author", "bench@example.org")

WORDS = [
    "service",
    "change",
    "incident",
    "problem",
    "release",
    "supplier",
    "customer",
    "capacity",
    "availability",
    "continuity",
    "security",
    "asset",
    "configuration",
    "knowledge",
    "request",
    "level",
    "budget",
    "demand",
    "risk",
    "objective",
    "audit",
    "review",
    "record",
    "evidence",
    "approval",
    "owner",
    "process",
    "control",
    "measure",
    "report",
    "plan",
    "improve",
    "monitor",
    "escalate",
    "resolve",
    "restore",
    "deliver",
    "agreement",
    "catalogue",
    "portfolio",
    "design",
    "transition",
    "deploy",
    "test",
    "verify",
    "accept",
    "close",
    "classify",
    "prioritise",
    "notify",
    "communicate",
    "schedule",
    "maintain",
    "retire",
    "document",
    "version",
    "register",
    "team",
    "manager",
    "analyst",
    "board",
]

CONF = """\
project = "Bench handbook"
root_doc = "index"
exclude_patterns = ["_build"]
html_theme = "basic"
"""

INDEX = """\
# Bench handbook

```{toctree}
:maxdepth: 1

roles/index
policies/index
procedures/index
pages/clauses
pages/matrix
pages/register
pages/reviews
pages/dashboard
```
"""

#: The handbook-wide pages: (path, title, prose, clausewise's directive on it).
WIDE_PAGES = (
    ("pages/clauses.md", "Clauses", "Every clause of the standard.", "clause-catalogue"),
    ("pages/matrix.md", "Traceability matrix", "Every clause and what satisfies it.", "traceability-matrix"),
    ("pages/register.md", "Document register", "Every document and record.", "document-register"),
    ("pages/reviews.md", "Reviews", "When each document is next reviewed.", "review-schedule"),
    ("pages/dashboard.md", "Dashboard", "The handbook at a glance.", "clausewise-dashboard"),
)


@dataclass(frozen=True)
class Need:
    """One need as a sphinx-needs directive declares it: type, id, title, options (links and fields)."""

    type: str
    id: str
    title: str
    options: tuple[tuple[str, str], ...]


@dataclass
class Page:
    """One page: its path, title and body, its front matter (clausewise), its needs (the twin)."""

    path: str
    title: str
    body: str
    front: dict[str, str] = field(default_factory=dict)
    needs: list[Need] = field(default_factory=list)
    #: clausewise's directive for a handbook-wide page (the twins have only its prose)
    directive: str = ""

    def clausewise_text(self) -> str:
        if self.directive:
            return f"# {self.title}\n\n{self.body}\n\n```{{{self.directive}}}\n```\n"
        if not self.front:
            return self.body
        # a block value (record_types:) starts on the next line
        head = "".join(f"{key}:{'' if value.startswith(NL) else ' '}{value}\n" for key, value in self.front.items())
        return f"---\n{head}---\n\n{self.body}"


@dataclass
class Generated:
    """What :func:`generate` wrote."""

    root: Path
    docs: int
    pages: list[Page]
    #: (code, path, id) of every finding the build must report, with how many times
    expected: Counter[tuple[str, str, str]]
    commits: int
    roles: list[str]
    policies: list[str]
    procedures: list[str]
    record_types: list[str]
    records: int
    #: path -> id of the planted procedures, by what was planted
    planted: dict[str, list[tuple[str, str]]]

    def page(self, path: str) -> Page:
        return next(p for p in self.pages if p.path == path)

    def path_of(self, doc_id: str) -> str:
        return next(p.path for p in self.pages if p.front.get("id") == doc_id)


@dataclass
class _Doc:
    kind: str
    id: str
    path: str
    title: str
    owner: str
    satisfies: list[str]
    body: str
    created: date
    revisions: list[date]
    interval: str = "24 months"
    implements: list[str] = field(default_factory=list)
    involves: list[str] = field(default_factory=list)
    record_type: dict[str, str] | None = None
    #: a body edit committed on this day, after the last review
    edited_after_review: date | None = None


def catalogue_numbers() -> list[str]:
    return [
        n for top in range(1, TOP_CLAUSES + 1) for n in (str(top), *(f"{top}.{s}" for s in range(1, SUB_CLAUSES + 1)))
    ]


def clause_need_id(number: str) -> str:
    return f"{CATALOGUE_KEY}-{number.replace('.', '-')}"


def catalogue_yaml() -> str:
    lines = [
        "standard: Bench standard",
        "title: A standard for the benchmark",
        f"id_prefix: {CATALOGUE_KEY}",
        "notice: Numbers and headings only.",
        "clauses:",
    ]
    lines += [f'  - {{number: "{n}", heading: "Clause {n}", confirmation: confirmed}}' for n in catalogue_numbers()]
    return "\n".join(lines) + "\n"


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _body(rng: random.Random, title: str, paragraphs: int) -> str:
    parts = [f"## Purpose\n\nHow {title.lower()} is done."]
    for n in range(paragraphs):
        words = " ".join(rng.choice(WORDS) for _ in range(50))
        parts.append(f"## Step {n + 1}\n\n{words.capitalize()}.")
    return "\n\n".join(parts) + "\n"


def _doc_front(doc: _Doc, revision: int) -> dict[str, str]:
    """The front matter of ``doc`` at ``revision`` (0: as created)."""
    reviewed = doc.created if revision == 0 else doc.revisions[revision - 1]
    front = {
        "id": doc.id,
        "type": doc.kind,
        "title": doc.title,
        "owner": doc.owner,
        "status": "approved",
        "version": f'"1.{revision}"',
        "effective": doc.created.isoformat(),
        "reviewed": reviewed.isoformat(),
        "review_interval": doc.interval,
        "classification": "internal",
        "satisfies": f"[{', '.join(doc.satisfies)}]",
    }
    if doc.implements:
        front["implements"] = f"[{', '.join(doc.implements)}]"
    if doc.involves:
        front["roles"] = f"[{', '.join(doc.involves)}]"
    if doc.record_type:
        rt = doc.record_type
        front["record_types"] = (
            f"\n  - id: {rt['id']}\n    title: {rt['title']}\n    owner: {doc.owner}\n"
            f"    evidences: [{doc.satisfies[0]}]\n    cadence: weekly\n    grace: 7 days\n    start: {rt['start']}"
        )
    return front


def _doc_body(doc: _Doc, revision: int, edited: bool = False) -> str:
    body = doc.body + "".join(f"\nRevision 1.{n}: reviewed and revised.\n" for n in range(1, revision + 1))
    return body + ("\nAn edit made after the last review.\n" if edited else "")


def _doc_needs(doc: _Doc) -> list[Need]:
    options = [
        ("owner", doc.owner),
        ("satisfies", ", ".join(clause_need_id(n) for n in doc.satisfies)),
        ("version", f"1.{len(doc.revisions)}"),
        ("effective", doc.created.isoformat()),
        ("reviewed", (doc.revisions[-1] if doc.revisions else doc.created).isoformat()),
        ("review_interval", doc.interval),
        ("classification", "internal"),
    ]
    if doc.implements:
        options.append(("implements", ", ".join(doc.implements)))
    if doc.involves:
        options.append(("involves", ", ".join(doc.involves)))
    needs = [Need(doc.kind, doc.id, doc.title, tuple(options))]
    if doc.record_type:
        rt = doc.record_type
        needs.append(
            Need("record_type", rt["id"], rt["title"], (
                ("owner", doc.owner), ("evidences", clause_need_id(doc.satisfies[0])), ("cadence", "weekly"),
            ))
        )  # fmt: skip
    return needs


def _weeks(count: int) -> list[date]:
    """The Mondays of the ``count`` ISO weeks that ended last before :data:`TODAY`'s week, oldest first."""
    this_week = TODAY - timedelta(days=TODAY.weekday())
    return [this_week - timedelta(weeks=count + 1 - n) for n in range(count)]


def _week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def generate(
    root: Path, docs: int, *, seed: int = 19, records_per_type: int = RECORDS_PER_TYPE, paragraphs: int = 6
) -> Generated:
    """Write a handbook of ``docs`` governed documents at ``root`` (a new folder) and commit its
    history; return what was written and the findings it must give."""
    if docs < 20:
        raise ValueError(f"a bench handbook needs at least 20 documents (1 role, 2 policies, ...), not {docs}")
    rng = random.Random(seed)
    n_roles, n_policies = max(1, docs * 5 // 100), max(2, docs // 10)
    n_procedures = docs - n_roles - n_policies
    n_types = max(1, docs // 10)
    plants = max(1, docs // 250)
    leaves = [n for n in catalogue_numbers() if "." in n]
    # every leaf clause satisfied by two documents at least (none is uncovered-clause), two per document at least
    per_doc = max(2, -(-2 * len(leaves) // docs))
    leaf = itertools.cycle(leaves)
    role_ids = [f"ROLE-R{n:03d}" for n in range(n_roles)]
    policy_ids = [f"POL-{n:04d}" for n in range(n_policies)]
    procedure_ids = [f"PRC-{n:04d}" for n in range(n_procedures)]
    created = iter(sorted(_day(rng, START, START + timedelta(days=60)) for _ in range(docs)))

    def doc(kind: str, ident: str, folder: str, n: int, first: tuple[date, date], second: tuple[date, date]) -> _Doc:
        title = f"{kind.capitalize()} {n}, {rng.choice(WORDS)} {rng.choice(WORDS)}"
        owner = ident if kind == "role" else rng.choice(role_ids)
        return _Doc(
            kind, ident, f"{folder}/{ident.lower()}.md", title, owner, [next(leaf) for _ in range(per_doc)],
            _body(rng, title, paragraphs), next(created), [_day(rng, *first), _day(rng, *second)],
        )  # fmt: skip

    all_docs = [doc("role", i, "roles", n, (date(2025, 2, 1), date(2025, 4, 30)), (date(2025, 5, 1), date(2025, 6, 30)))
                for n, i in enumerate(role_ids)]  # fmt: skip
    all_docs += [doc("policy", i, "policies", n, (date(2025, 2, 1), date(2025, 6, 30)),
                     (date(2025, 7, 1), date(2025, 12, 15))) for n, i in enumerate(policy_ids)]  # fmt: skip
    procedures = [doc("procedure", i, "procedures", n, (date(2025, 1, 5), date(2025, 12, 31)),
                      (date(2026, 1, 5), date(2026, 10, 31))) for n, i in enumerate(procedure_ids)]  # fmt: skip
    all_docs += procedures
    expected: Counter[tuple[str, str, str]] = Counter()
    planted: dict[str, list[tuple[str, str]]] = {}
    weeks = _weeks(records_per_type)
    for n, proc in enumerate(procedures):
        proc.implements = [rng.choice(policy_ids)]
        proc.involves = sorted(set(rng.sample(role_ids, min(2, len(role_ids)))))
        if n < n_types:
            proc.record_type = {"id": f"RT-K{n:04d}", "title": f"Weekly check {n}", "start": weeks[0].isoformat()}
    # the plants, on the procedures after those with record types, one kind after the other
    spare = iter(procedures[n_types:])
    for kind in ("review-overdue", "changed-since-review", "unknown-owner", "unknown-reference"):
        for _ in range(plants):
            proc = next(spare)
            planted.setdefault(kind, []).append((proc.path, proc.id))
            expected[(kind, proc.path, proc.id)] += 1
            if kind == "review-overdue":
                proc.interval, proc.revisions[-1] = "6 months", date(2025, 12, 20)
            elif kind == "changed-since-review":
                proc.edited_after_review = date(2026, 11, 2)
            elif kind == "unknown-owner":
                proc.owner = "ROLE-NOBODY"
            else:
                proc.implements = ["POL-9999"]
    missing: set[tuple[str, str]] = set()
    for proc in procedures[:plants]:
        assert proc.record_type
        label = _week_label(weeks[len(weeks) // 2])
        missing.add((proc.record_type["id"], label))
        planted.setdefault("record-missing", []).append((proc.path, proc.record_type["id"]))
        expected[("record-missing", proc.path, proc.record_type["id"])] += 1

    # the pages as they are at the end, and the commits that lead there
    changes: list[tuple[datetime, str, dict[str, str]]] = []
    pages: list[Page] = []
    at = _at(START, 8)
    base = {
        "conf.py": CONF + 'extensions = ["clausewise"]\nclausewise_catalogue = "catalogue.yaml"\n'
        'clausewise_governed_paths = ["policies/", "procedures/", "roles/", "records/"]\n',
        "catalogue.yaml": catalogue_yaml(),
        ".gitignore": "_build/\n",
    }
    pages.append(Page("index.md", "Bench handbook", INDEX))
    for folder, title in (("roles", "Roles"), ("policies", "Policies"), ("procedures", "Procedures")):
        pages.append(Page(f"{folder}/index.md", title, f"# {title}\n\n```{{toctree}}\n:glob:\n\n*\n```\n"))
    for path, title, prose, directive in WIDE_PAGES:
        pages.append(Page(path, title, prose, directive=directive))
    pages[-len(WIDE_PAGES)].needs = [
        Need("clause", clause_need_id(n), f"Clause {n}", (("clause_number", n), ("confirmation", "confirmed")))
        for n in catalogue_numbers()
    ]
    changes.append((at, "Start the handbook", {**base, **{p.path: p.clausewise_text() for p in pages}}))
    for d in all_docs:
        stamp = _at(d.created, 9)
        page = Page(d.path, d.title, _doc_body(d, 0), _doc_front(d, 0))
        changes.append((stamp, f"Add {d.id}", {d.path: page.clausewise_text()}))
        for revision, day in enumerate(d.revisions, start=1):
            stamp = _at(day, 10)
            page = Page(d.path, d.title, _doc_body(d, revision), _doc_front(d, revision))
            changes.append((stamp, f"Revise {d.id} (1.{revision})", {d.path: page.clausewise_text()}))
        if d.edited_after_review:
            stamp = _at(d.edited_after_review, 11)
            page = Page(d.path, d.title, _doc_body(d, len(d.revisions), True), _doc_front(d, len(d.revisions)))
            changes.append((stamp, f"Edit {d.id}", {d.path: page.clausewise_text()}))
        page.needs = _doc_needs(d)
        pages.append(page)
    records = 0
    for monday in weeks:
        label, produced = _week_label(monday), monday + timedelta(days=7)
        files = {}
        for proc in procedures[:n_types]:
            assert proc.record_type
            rt = proc.record_type["id"]
            if (rt, label) in missing:
                continue
            name = rt.removeprefix("RT-")
            rec_id, path = f"REC-{name}-{label}", f"records/{name.lower()}/{label}.md"
            front = {
                "id": rec_id, "type": "record", "title": f"{proc.record_type['title']}, {label}",
                "record_type": rt, "period": label, "produced": produced.isoformat(),
                "produced_by": "Bench Author", "classification": "internal",
            }  # fmt: skip
            body = f"The weekly check of {label}: {' '.join(rng.choice(WORDS) for _ in range(20))}.\n"
            page = Page(path, front["title"], body, front)
            page.needs = [
                Need("record", rec_id, front["title"], (
                    ("record_of", rt), ("period", label), ("produced", front["produced"]),
                    ("produced_by", "Bench Author"), ("classification", "internal"),
                ))
            ]  # fmt: skip
            pages.append(page)
            files[path] = page.clausewise_text()
            records += 1
        stamp = _at(produced, 12)
        changes.append((stamp, f"Records of {label}", files))
    changes.sort(key=lambda c: c[0])
    _fast_import(root, changes)
    return Generated(
        root, docs, pages, expected, len(changes), role_ids, policy_ids, procedure_ids,
        [p.record_type["id"] for p in procedures[:n_types] if p.record_type], records, planted,
    )  # fmt: skip


def _fast_import(root: Path, changes: list[tuple[datetime, str, dict[str, str]]]) -> None:
    """Every change as one commit on ``main``, in one ``git fast-import``; then the work tree."""
    root.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(root)], check=True, env=env)
    out: list[bytes] = []
    for mark, (when, message, files) in enumerate(changes, start=1):
        who = f"{AUTHOR[0]} <{AUTHOR[1]}> {int(when.timestamp())} +0000".encode()
        msg = message.encode()
        out += [f"commit refs/heads/main\nmark :{mark}\n".encode(), b"author " + who + b"\ncommitter " + who + b"\n"]
        out += [b"data %d\n" % len(msg), msg, b"\n"]
        if mark > 1:
            out.append(f"from :{mark - 1}\n".encode())
        for path, text in files.items():
            content = text.encode()
            out += [f"M 100644 inline {path}\n".encode(), b"data %d\n" % len(content), content, b"\n"]
        out.append(b"\n")
    stream = b"".join(out) + b"done\n"
    subprocess.run(["git", "fast-import", "--quiet", "--done"], cwd=root, input=stream, check=True, env=env)
    subprocess.run(["git", "reset", "--quiet", "--hard", "main"], cwd=root, check=True, env=env)
    for key, value in (("user.name", AUTHOR[0]), ("user.email", AUTHOR[1]), ("commit.gpgsign", "false")):
        subprocess.run(["git", "config", key, value], cwd=root, check=True, env=env)


def commit_edit(handbook: Generated, path: str, text: str, when: datetime, message: str) -> None:
    """Write ``text`` to ``path`` and commit it at ``when`` (both dates), as an owner's edit."""
    (handbook.root / path).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat()}
    subprocess.run(["git", "add", path], cwd=handbook.root, check=True, env=env)
    subprocess.run(["git", "commit", "--quiet", "-m", message], cwd=handbook.root, check=True, env=env)


#: The edits :func:`edit_document` makes, as issue 19's incremental builds name them.
EDITS = ("body", "owner", "satisfies")


def edit_document(handbook: Generated, doc_id: str, what: str, when: datetime) -> None:
    """Commit one owner's edit of ``doc_id``'s page at ``when``: ``body`` adds a paragraph (after the
    last review: changed-since-review), ``owner`` hands it to another role, ``satisfies`` makes it
    satisfy clauses 1.1 and 7.3 instead."""
    path = handbook.path_of(doc_id)
    text = (handbook.root / path).read_text(encoding="utf-8")
    if what == "body":
        text += "\nA paragraph about zebrafish, added by the owner.\n"
    elif what == "owner":
        owner = re.search(r"^owner: (.*)$", text, re.M)
        assert owner, path
        text = _front(text, "owner", next(r for r in handbook.roles if r != owner.group(1)))
    elif what == "satisfies":
        text = _front(text, "satisfies", "[1.1, 7.3]")
    else:
        raise ValueError(f"an edit is one of {', '.join(EDITS)}, not {what!r}")
    commit_edit(handbook, path, text, when, f"Edit {doc_id}: {what}")


def _front(text: str, key: str, value: str) -> str:
    changed, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    assert count == 1, key
    return changed


# ---------------------------------------------------------------------------------------------- twins


def _directive(need: Need) -> str:
    options = "".join(f":{name}: {value}\n" for name, value in need.options)
    return f"```{{{need.type}}} {need.title}\n:id: {need.id}\n:hide:\n{options}```\n"


def _twin_text(page: Page, with_needs: bool) -> str:
    if not page.front and not page.directive:
        return page.body
    needs = "".join("\n" + _directive(n) for n in page.needs) if with_needs else ""
    return f"# {page.title}\n{needs}\n{page.body}\n"


def _needs_conf() -> str:
    types = [
        {"directive": name, "title": title, "prefix": f"{name.upper()}-", "color": colour, "style": "node"}
        for name, (title, colour) in NEED_TYPES.items()
    ]
    return (
        CONF + 'extensions = ["myst_parser", "sphinx_needs"]\n'
        f"needs_types = {types!r}\n"
        f"needs_links = {NEEDS_LINKS!r}\n"
        f"needs_fields = {NEEDS_FIELDS!r}\n"
        'needs_id_required = True\nneeds_id_regex = "^[A-Z0-9_-]+$"\nneeds_title_optional = False\n'
        "needs_build_json = True\nneeds_reproducible_json = True\nneeds_role_need_max_title_length = -1\n"
    )


def _write_twin(handbook: Generated, root: Path, conf: str, with_needs: bool) -> Path:
    root.mkdir(parents=True)
    (root / "conf.py").write_text(conf, encoding="utf-8")
    for page in handbook.pages:
        target = root / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_twin_text(page, with_needs), encoding="utf-8")
    return root


def write_needs_twin(handbook: Generated, root: Path) -> Path:
    """The same pages with the same needs and links, declared with sphinx-needs' directives, no clausewise."""
    return _write_twin(handbook, root, _needs_conf(), with_needs=True)


def write_plain_twin(handbook: Generated, root: Path) -> Path:
    """The same pages' titles and text, MyST only (no needs)."""
    return _write_twin(handbook, root, CONF + 'extensions = ["myst_parser"]\n', with_needs=False)
