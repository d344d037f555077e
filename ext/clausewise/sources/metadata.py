"""Turning front matter into model objects, with one clear finding per problem.

The keys each kind of page may have are declared in :mod:`clausewise.sources.schema`;
what their values must look like is checked here.

Pure functions: input is a parsed :class:`~clausewise.sources.frontmatter.FrontMatter`
and where it came from; output is a model object (or ``None`` when the file is
too broken to be one) and the findings. An invalid field becomes ``None`` in the
model so that one mistake gives exactly one finding, not a cascade.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any, TypeVar

from clausewise.core.dates import (
    DATE_SHAPE,
    MAX_GRACE_DAYS,
    MAX_INTERVAL_MONTHS,
    MAX_RETAIN_MONTHS,
    add_months,
    date_problem,
    parse_date,
)
from clausewise.core.findings import Code, Finding
from clausewise.core.ids import IdKind, IdScheme
from clausewise.core.model import (
    Cadence,
    Direction,
    DocType,
    FieldScalar,
    FieldSpec,
    FieldType,
    GovernedDocument,
    InputCount,
    Justification,
    Measurement,
    Metric,
    MetricTarget,
    PeriodUnit,
    Record,
    RecordField,
    RecordKind,
    RecordStatus,
    RecordType,
    ReviewInput,
    Source,
    Status,
    SupplierTerms,
)
from clausewise.core.settings import DEFAULT_LEVELS
from clausewise.core.urls import dangerous_scheme
from clausewise.sources.frontmatter import FrontMatter
from clausewise.sources.schema import RESERVED_FIELD_NAMES, Where, names_of

DEFAULT_REVIEW_INTERVAL_MONTHS = 12
DEFAULT_GRACE_DAYS = 30
DEFAULT_EVENT_WINDOW_MONTHS = 12

GOVERNED_KEYS = frozenset(names_of(Where.DOCUMENT))
RECORD_KEYS = frozenset(names_of(Where.RECORD))
EXTERNAL_KEYS = frozenset(names_of(Where.EXTERNAL))
SERVICE_KEYS = frozenset(names_of(Where.SERVICE))
#: The keys of an entry of a service's ``metrics`` and of a record's ``measurements``.
METRIC_KEYS = frozenset(names_of(Where.METRIC))
MEASUREMENT_KEYS = frozenset(names_of(Where.MEASUREMENT))
SUPPLIER_KEYS = frozenset(names_of(Where.SUPPLIER))
RECORD_TYPE_KEYS = frozenset(names_of(Where.RECORD_TYPE))
#: The keys of an entry of a record type's ``fields``.
FIELD_KEYS = frozenset(names_of(Where.FIELD))
#: The keys of an ``uncovered_clauses`` or ``excluded`` entry.
JUSTIFICATION_KEYS = frozenset(names_of(Where.JUSTIFICATION))
#: Every top-level key clausewise reads; MyST never sees these.
OWN_KEYS = GOVERNED_KEYS | RECORD_KEYS | EXTERNAL_KEYS | SERVICE_KEYS | SUPPLIER_KEYS
#: Front-matter keys that belong to Sphinx or MyST and are passed through.
PASSTHROUGH_KEYS = frozenset({"orphan", "nocomments", "nosearch", "tocdepth", "html_meta", "myst", "substitutions"})

_INTERVAL = re.compile(r"^(\d+)\s*(month|months|year|years)$")
_DAYS = re.compile(r"^(\d+)\s*(day|days)$")
_EVERY = re.compile(r"^every\s+(\d+)\s+(months?|weeks?)$")
_VERSION = re.compile(r"^\d+(\.\d+)*$")
#: A GitHub user (``@name``: letters, digits, inner single dashes) or team (``@org/team-slug``),
#: the two forms a CODEOWNERS line accepts besides e-mail addresses.
_GITHUB_HANDLE = re.compile(r"^@[A-Za-z0-9](?:-?[A-Za-z0-9])*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
GITHUB_HELP = "'@user' or '@org/team', e.g. \"@example-org/sms-managers\" (quoted: YAML reserves a leading @)"
_NAMED_CADENCES = {
    "daily": (1, PeriodUnit.DAY),
    "weekly": (1, PeriodUnit.WEEK),
    "monthly": (1, PeriodUnit.MONTH),
    "quarterly": (3, PeriodUnit.MONTH),
    "half-yearly": (6, PeriodUnit.MONTH),
    "yearly": (12, PeriodUnit.MONTH),
}
#: the longest ``every N ...`` schedules: three years
_EVERY_LIMITS = {PeriodUnit.MONTH: 36, PeriodUnit.WEEK: 156}
CADENCE_HELP = (
    "daily, weekly, monthly, quarterly, half-yearly, yearly, 'every N weeks' (N up to 156), "
    "'every N months' (N up to 36) or 'per event'"
)

#: The values of a record type's ``early:``.
EARLY_HELP = (
    "'allowed' (a record may be produced before its period ends) or 'not allowed' (the default: such a "
    "record is reported as record-premature)"
)

T = TypeVar("T")


def valid_github_handle(text: str) -> bool:
    return bool(_GITHUB_HANDLE.match(text))


def valid_version(text: str) -> bool:
    """Numbers separated by dots, e.g. ``2.1``."""
    return bool(_VERSION.match(text))


def parse_months(text: str) -> int | None:
    """``12 months``/``2 years`` as a number of months, 1 to :data:`MAX_INTERVAL_MONTHS`; else ``None``."""
    m = _INTERVAL.match(text.strip().lower())
    if not m or len(m.group(1)) > 4:
        return None
    n = int(m.group(1)) * (12 if m.group(2).startswith("year") else 1)
    return n if 1 <= n <= MAX_INTERVAL_MONTHS else None


def parse_days(text: str) -> int | None:
    """``30 days`` as a number of days, up to :data:`MAX_GRACE_DAYS`; else ``None``."""
    m = _DAYS.match(text.strip().lower())
    if not m or len(m.group(1)) > 4 or int(m.group(1)) > MAX_GRACE_DAYS:
        return None
    return int(m.group(1))


#: A retention as owners write it, read loosely (sign, any unit), so that each way it is wrong is named.
_RETENTION = re.compile(r"^([+-]?\d+)\s*([a-z]+)$")
RETAIN_HELP = (
    f"a number of months or years up to {MAX_RETAIN_MONTHS // 12} years, counted from the end of a record's "
    f"period, e.g. '6 years' or '18 months' (leave 'retain' out to keep the records for good)"
)


def parse_retention(text: str) -> int | str:
    """A ``retain:`` as a number of months, 1 to :data:`MAX_RETAIN_MONTHS`; else why it is not one,
    as the start of a sentence that ``RETAIN_HELP`` ends."""
    shown = repr(text)
    m = _RETENTION.match(" ".join(text.strip().lower().split()))
    unit = m.group(2) if m else ""
    if m is None or unit not in {"month", "months", "year", "years", "day", "days", "week", "weeks"}:
        return f"{shown} is not a duration"
    if unit.startswith(("day", "week")):
        return f"{shown} is counted in {unit.rstrip('s')}s; a retention is counted in months or years"
    digits = m.group(1).lstrip("+-").lstrip("0")
    # a count too long to be a retention is not read as a number (Python refuses very long ones)
    count = int(digits or "0") if len(digits) <= 6 else MAX_RETAIN_MONTHS + 1
    months = count * (12 if unit.startswith("year") else 1)
    if months == 0 or m.group(1).startswith("-"):
        return f"{shown} keeps nothing; a record is kept for at least a month"
    if months > MAX_RETAIN_MONTHS:
        return f"{shown} is longer than {MAX_RETAIN_MONTHS // 12} years"
    return months


def parse_cadence(text: str, window_months: int | None = None) -> Cadence | None:
    """A ``cadence:`` as written (case and spacing free), else ``None``; see ``CADENCE_HELP``."""
    t = " ".join(text.strip().lower().split())
    if t in _NAMED_CADENCES:
        length, unit = _NAMED_CADENCES[t]
        return Cadence(t, length, unit=unit)
    if t == "per event":
        return Cadence(t, None, window_months or DEFAULT_EVENT_WINDOW_MONTHS)
    m = _EVERY.match(t)
    if m:
        unit = PeriodUnit.WEEK if m.group(2).startswith("week") else PeriodUnit.MONTH
        if 1 <= int(m.group(1)) <= _EVERY_LIMITS[unit]:
            return Cadence(t, int(m.group(1)), unit=unit)
    return None


@dataclass
class _Reader:
    """Reads typed values out of one front-matter mapping, collecting findings."""

    fm: FrontMatter
    source: Source
    data: dict[str, Any]
    ids: IdScheme = field(default_factory=IdScheme)
    path: tuple[str | int, ...] = ()
    subject_id: str = ""
    findings: list[Finding] = field(default_factory=list)
    #: required keys an unknown key was taken for a misspelling of (reported once, there)
    misspelt: set[str] = field(default_factory=set)

    def line(self, key: str) -> int:
        return self.fm.line(*self.path, key)

    def error(self, key: str | None, message: str, code: Code = Code.INVALID_METADATA) -> None:
        line = self.line(key) if key else self.fm.line(*self.path)
        self.findings.append(Finding(self.source.path, line, code, self.subject_id, message))

    def unknown_keys(self, allowed: frozenset[str], what: str, reported: frozenset[str] = frozenset()) -> None:
        """A finding for each key not in ``allowed`` (but those in ``reported``, which have their own)."""
        for key in self.data:
            if key in allowed or key in reported or (not self.path and key in PASSTHROUGH_KEYS):
                continue
            hint = difflib.get_close_matches(key, sorted(allowed), n=1)
            if hint and hint[0] not in self.data:
                self.misspelt.add(hint[0])
            fix = f"did you mean {hint[0]!r}?" if hint else f"allowed keys: {', '.join(sorted(allowed))}"
            self.error(key, f"unknown key {key!r} in {what}; {fix}")

    def text(self, key: str, *, required: bool, help: str) -> str | None:
        if key not in self.data:
            if required and key not in self.misspelt:
                self.error(None, f"missing required key {key!r}: add '{key}: ...' ({help})")
            return None
        value = self.data[key]
        misread = self.fm.misread.get((*self.path, key))
        if misread is not None:
            self.error(key, misread)
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"{key}: {_show(value)} is not a text value; expected {help}")
            return None
        return value.strip()

    def choice(self, key: str, enum: type[T], *, required: bool, default: T | None = None) -> T | None:
        allowed = ", ".join(e.value for e in enum)  # type: ignore[attr-defined]
        value = self.text(key, required=required and default is None, help=f"one of {allowed}")
        if value is None:
            return default if key not in self.data else None
        try:
            return enum(value)  # type: ignore[call-arg]
        except ValueError:
            self.error(key, f"{key}: {value!r} is not allowed; expected one of {allowed}")
            return None

    def level(self, key: str, levels: tuple[str, ...], *, required: bool) -> str | None:
        """A classification level: one of ``levels`` (those ``clausewise_audiences`` names)."""
        allowed = ", ".join(levels)
        value = self.text(key, required=required, help=f"one of {allowed}")
        if value is None:
            return None
        if value not in levels:
            self.error(key, f"{key}: {value!r} is not allowed; expected one of {allowed}")
            return None
        return value

    def date(self, key: str, *, required: bool) -> date | None:
        value = self.text(key, required=required, help="a date as YYYY-MM-DD")
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            why = "is not a real date" if DATE_SHAPE.match(value) else "is not a date"
            self.error(key, f"{key}: {value!r} {why}; expected YYYY-MM-DD, e.g. 2026-02-28")
            return None
        problem = date_problem(parsed)
        if problem is not None:
            self.error(key, f"{key}: {value!r} is outside the dates clausewise reads; {problem}")
            return None
        return parsed

    def parsed(self, key: str, parse: Callable[[str], T | None], default: T, expected: str) -> T | None:
        if key not in self.data:
            return default
        value = self.text(key, required=False, help=expected)
        if value is None:
            return None
        result = parse(value)
        if result is None:
            self.error(key, f"{key}: {value!r} is malformed; expected {expected}")
        return result

    def ident(self, key: str, kind: IdKind, *, required: bool = True) -> str | None:
        """An id of ``kind``: it must match the kind's pattern (``clausewise_id_patterns``)."""
        pattern = self.ids[kind]
        value = self.text(key, required=required, help=f"an id such as {pattern.example}")
        if value is None:
            return None
        if not pattern.matches(value):
            self.error(key, pattern.mismatch(key, value))
            return None
        return value

    def id_list(self, key: str, *, what: str) -> tuple[str, ...]:
        """A list of ids or clause numbers; a single or comma-separated value is accepted."""
        if key not in self.data:
            return ()
        value = self.data[key]
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",") if v.strip()]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            items = [v.strip() for v in value if v.strip()]
        elif isinstance(value, list):
            index, item = next((i, v) for i, v in enumerate(value) if not isinstance(v, str))
            self.findings.append(
                Finding(self.source.path, self.fm.line(*self.path, key, index), Code.INVALID_METADATA,
                        self.subject_id,
                        f"{key}: item {index + 1} is {_show(item)} ({_flow(item)}) where one of the {what} is "
                        f"expected; write a list of {what} with one pair of brackets, e.g. [a, b]")
            )  # fmt: skip
            return ()
        else:
            self.error(key, f"{key}: {_show(value)} is not a list; expected a list of {what}, e.g. [a, b]")
            return ()
        seen: list[str] = []
        for item in items:
            if item in seen:
                self.error(key, f"{key}: {item!r} is listed twice; list it once")
            else:
                seen.append(item)
        return tuple(seen)


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _flow(value: Any) -> str:
    """A value as YAML's flow style writes it: ``[8.1]``, ``{a: b}``; a text with a line
    break or another invisible character in double quotes, escaped (a finding is one line)."""
    if isinstance(value, list):
        return "[" + ", ".join(map(_flow, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if text.isprintable() else json.dumps(text)


def _source_only_findings(fm: FrontMatter, source: Source) -> list[Finding] | None:
    if fm.error is not None:
        line, message = fm.error
        return [Finding(source.path, line, Code.INVALID_METADATA, "", f"{message}")]
    return None


#: The fields of one record type, in the order declared.
FieldSpecs = tuple[FieldSpec, ...]
#: Record type id -> the fields its records carry: what a record's own page is read against.
FieldDeclarations = Mapping[str, FieldSpecs]


def field_declarations(documents: Iterable[GovernedDocument | Record | None]) -> dict[str, FieldSpecs]:
    """The fields each record type declares, from the documents in the order given (the first
    declaration of an id wins, as for every duplicate id); record types without fields are left out."""
    found: dict[str, FieldSpecs] = {}
    for document in documents:
        if isinstance(document, GovernedDocument):
            for rt in document.record_types:
                found.setdefault(rt.id, rt.fields)
    return {rt_id: specs for rt_id, specs in found.items() if specs}


def document_type(fm: FrontMatter) -> DocType | str | None:
    """The ``type:`` of a front matter: a :class:`DocType`, ``None`` if absent, or the bad text."""
    value = fm.data.get("type")
    if value is None:
        return None
    try:
        return DocType(value) if isinstance(value, str) else str(value)
    except ValueError:
        return str(value)


def read_governed(
    fm: FrontMatter,
    source: Source,
    ids: IdScheme,
    levels: tuple[str, ...] = DEFAULT_LEVELS,
    declared: FieldDeclarations | None = None,
) -> tuple[GovernedDocument | Record | None, list[Finding]]:
    """Read the front matter of a page that must be governed (or says it is); its
    ids must match ``ids`` (the handbook's ``clausewise_id_patterns``), its
    classifications be among ``levels`` (those ``clausewise_audiences`` names), a
    record's fields those its record type declares in ``declared``."""
    broken = _source_only_findings(fm, source)
    if broken is not None:
        return None, broken
    if not fm.present:
        return None, [
            Finding(
                source.path, 1, Code.INVALID_METADATA, "",
                "no front matter: a governed page starts with a '---' block holding its "
                "id, type, title, owner, status and dates (see the owner's guide)",
            )
        ]  # fmt: skip
    kind = document_type(fm)
    if not isinstance(kind, DocType):
        allowed = ", ".join(t.value for t in DocType)
        line = fm.line("type")
        written = fm.data.get("type")
        if kind is None:
            what = "missing required key 'type'"
        elif not isinstance(written, str):
            # as for every other key: say what was written, not Python's picture of it
            what = f"type: a {'list' if isinstance(written, list) else 'mapping'} is not a text value"
        else:
            what = f"type: {kind!r} is not allowed"
        return None, [
            Finding(source.path, line, Code.INVALID_METADATA, str(fm.data.get("id", "")),
                    f"{what}; expected one of {allowed}")
        ]  # fmt: skip
    if kind is DocType.RECORD:
        return read_record(fm, source, ids, levels, declared)
    if kind is DocType.EXTERNAL:
        return read_external(fm, source, ids, levels)
    if kind is DocType.SERVICE:
        return read_service(fm, source, ids, levels)
    if kind is DocType.SUPPLIER:
        return read_supplier(fm, source, ids, levels)
    return read_document(fm, source, kind, ids, levels)


def _read_audience_keys(r: _Reader, levels: tuple[str, ...]) -> tuple[str | None, str | None, str | None]:
    """``classification``, ``summary`` and ``title_classification``: who may read the
    page, what the others see instead of its body, and who may read its title."""
    classification = r.level("classification", levels, required=True)
    summary = r.text("summary", required=False, help="a text that may be shown to every audience")
    title_level = r.level("title_classification", levels, required=False)
    return classification, summary, title_level


def _read_control(r: _Reader) -> tuple[str | None, Status | None, str | None, date | None, date | None, int | None]:
    """What makes a page controlled, read alike for every kind that is (documents, policies,
    procedures, roles, suppliers, services): its owner, status, version, effective and reviewed
    days (required unless a draft) and review interval, in that order, each checked on its line."""
    owner = r.ident("owner", IdKind.ROLE)
    status = r.choice("status", Status, required=True)
    version = r.text("version", required=True, help="a version number such as 1.0")
    if version is not None and not valid_version(version):
        r.error("version", f"version: {version!r} is malformed; expected numbers separated by dots, e.g. 2.1")
        version = None
    dated = status is not Status.DRAFT
    effective = r.date("effective", required=dated)
    reviewed = r.date("reviewed", required=dated)
    interval = r.parsed(
        "review_interval", parse_months, DEFAULT_REVIEW_INTERVAL_MONTHS,
        f"a number of months or years up to {MAX_INTERVAL_MONTHS // 12} years, e.g. '12 months' or '2 years'",
    )  # fmt: skip
    return owner, status, version, effective, reviewed, interval


def read_document(
    fm: FrontMatter, source: Source, kind: DocType, ids: IdScheme, levels: tuple[str, ...] = DEFAULT_LEVELS
) -> tuple[GovernedDocument | None, list[Finding]]:
    r = _Reader(fm, source, fm.data, ids=ids, subject_id=str(fm.data.get("id", "")))
    if kind is DocType.SUPPLIER:
        r.unknown_keys(SUPPLIER_KEYS, "a supplier's front matter")
        # a key a supplier does not have (satisfies, record_types ...) is reported once, above, and not read
        r.data = {k: v for k, v in fm.data.items() if k in SUPPLIER_KEYS}
    else:
        r.unknown_keys(GOVERNED_KEYS, "a governed document's front matter")
    doc_id = r.ident("id", IdKind(kind.value))
    title = r.text("title", required=True, help="the document's title")
    owner, status, version, effective, reviewed, interval = _read_control(r)
    classification, summary, title_level = _read_audience_keys(r, levels)
    satisfies = r.id_list("satisfies", what="clause numbers")
    implements = r.id_list("implements", what="document ids")
    roles = r.id_list("roles", what="role ids")
    requires = r.id_list("requires_records", what="record type ids")
    uses = r.id_list("uses", what="ids of documents of external origin")
    record_types = _read_record_types(fm, source, doc_id or "", r)
    justifications = _read_justifications(fm, r)
    excluded = _read_justifications(fm, r, "excluded")
    github = _read_github(fm, r, kind)
    members = _read_members(fm, r, kind)
    supplier = _read_supplier_terms(r) if kind is DocType.SUPPLIER else None
    if doc_id is None or title is None:
        return None, r.findings
    key_lines = {k: fm.line(k) for k in fm.data}
    document = GovernedDocument(
        id=doc_id, type=kind, title=title, owner=owner, status=status, version=version,
        effective=effective, reviewed=reviewed,
        review_interval_months=interval or DEFAULT_REVIEW_INTERVAL_MONTHS,
        classification=classification, satisfies=satisfies, implements=implements,
        roles=roles, requires_records=requires, record_types=record_types,
        uncovered_clauses=justifications,
        source=Source(source.path, source.docname, fm.line("id")), github=github, excluded=excluded,
        members=members, summary=summary, title_classification=title_level, key_lines=key_lines, uses=uses,
        supplier=supplier,
    )  # fmt: skip
    return document, r.findings


def read_supplier(
    fm: FrontMatter, source: Source, ids: IdScheme, levels: tuple[str, ...] = DEFAULT_LEVELS
) -> tuple[GovernedDocument | None, list[Finding]]:
    """A supplier (``type: supplier``): a governed document like a policy (owner, status, version,
    review: its page is controlled information), with the supplier's own keys (criticality, contract
    dates, the services it supports) and only those; it satisfies no clause itself."""
    return read_document(fm, source, DocType.SUPPLIER, ids, levels)


def _read_supplier_terms(r: _Reader) -> SupplierTerms:
    """A supplier page's own keys (``type: supplier``, read otherwise as a governed document). Whether
    its criticality is one the handbook names is judged by ``rules/suppliers.py``, which has the setting."""
    criticality = r.text("criticality", required=True,
                         help="the supplier's criticality, one of the keys of clausewise_supplier_review")  # fmt: skip
    start = r.date("contract_start", required=False)
    end = r.date("contract_end", required=False)
    if start is not None and end is not None and end < start:
        r.error("contract_end", f"contract_end: {end.isoformat()} is before contract_start {start.isoformat()}; "
                f"a contract ends after it starts: correct one of the two dates")  # fmt: skip
        end = None
    services = r.id_list("services", what="service ids")
    return SupplierTerms(criticality, start, end, services)


#: Why a document of external origin satisfies no clause, and what to write instead.
EXTERNAL_SATISFIES = (
    "satisfies: a document of external origin cannot satisfy a clause by itself: what the organisation does "
    "with it does; list the clauses under 'satisfies' of the procedure that puts it into practice, add this "
    "document's id to that procedure's 'uses', and remove 'satisfies' here"
)


def read_external(
    fm: FrontMatter, source: Source, ids: IdScheme, levels: tuple[str, ...] = DEFAULT_LEVELS
) -> tuple[GovernedDocument | None, list[Finding]]:
    """A document of external origin (``type: external``): a contract, a supplier's
    agreement, a law, a purchased standard. It is identified, owned and reviewed like
    a document of the handbook, but it satisfies no clause: the procedure that uses
    it does (a ``satisfies:`` is reported, and not counted)."""
    r = _Reader(fm, source, fm.data, ids=ids, subject_id=str(fm.data.get("id", "")))
    if "satisfies" in fm.data:
        r.error("satisfies", EXTERNAL_SATISFIES)
    if "version" in fm.data:
        r.error("version", "version: a document of external origin has an edition, numbered as its issuer numbers "
                           "it: write 'edition:' instead of 'version:'")  # fmt: skip
    r.unknown_keys(
        EXTERNAL_KEYS, "the front matter of a document of external origin", frozenset({"satisfies", "version"})
    )
    doc_id = r.ident("id", IdKind.EXTERNAL)
    title = r.text("title", required=True, help="the document's title as its issuer gives it")
    owner = r.ident("owner", IdKind.ROLE)
    issuer = r.text("issuer", required=True, help="who issued it, e.g. a supplier or a standards body")
    edition = r.text("edition", required=True, help="the edition or version that applies, e.g. 2018")
    location = r.text("location", required=True, help="where the document is kept: a path or an https:// address")
    scheme = dangerous_scheme(location) if location is not None else None
    if scheme is not None:
        r.error("location", f"location: {location!r} uses the {scheme}: scheme, which can run script in a reader's "
                f"browser, so it is not shown; give an https:// address or a path", Code.UNSAFE_LINK)  # fmt: skip
        location = None
    status = r.choice("status", Status, required=True)
    effective = r.date("effective", required=False)
    reviewed = r.date("reviewed", required=status is not Status.DRAFT)
    interval = r.parsed(
        "review_interval", parse_months, DEFAULT_REVIEW_INTERVAL_MONTHS,
        f"a number of months or years up to {MAX_INTERVAL_MONTHS // 12} years, e.g. '12 months' or '2 years'",
    )  # fmt: skip
    classification, summary, title_level = _read_audience_keys(r, levels)
    if doc_id is None or title is None:
        return None, r.findings
    document = GovernedDocument(
        id=doc_id, type=DocType.EXTERNAL, title=title, owner=owner, status=status, version=None,
        effective=effective, reviewed=reviewed,
        review_interval_months=interval or DEFAULT_REVIEW_INTERVAL_MONTHS,
        classification=classification, satisfies=(), implements=(), roles=(), requires_records=(),
        record_types=(), uncovered_clauses=(), source=Source(source.path, source.docname, fm.line("id")),
        summary=summary, title_classification=title_level, key_lines={k: fm.line(k) for k in fm.data},
        issuer=issuer, edition=edition, location=location,
    )  # fmt: skip
    return document, r.findings


def read_service(
    fm: FrontMatter, source: Source, ids: IdScheme, levels: tuple[str, ...] = DEFAULT_LEVELS
) -> tuple[GovernedDocument | None, list[Finding]]:
    """A service (``type: service``): a governed document like a policy (owner, status, version,
    review), which names the agreements that bind it and declares the metrics its records measure
    (``metrics:``), so that every measurement is read against them."""
    r = _Reader(fm, source, fm.data, ids=ids, subject_id=str(fm.data.get("id", "")))
    r.unknown_keys(SERVICE_KEYS, "a service's front matter")
    doc_id = r.ident("id", IdKind.SERVICE)
    title = r.text("title", required=True, help="the service's name")
    owner, status, version, effective, reviewed, interval = _read_control(r)
    classification, summary, title_level = _read_audience_keys(r, levels)
    agreements = r.id_list("agreements", what="ids of the agreements that bind the service")
    metrics = _read_metrics(r)
    if doc_id is None or title is None:
        return None, r.findings
    document = GovernedDocument(
        id=doc_id, type=DocType.SERVICE, title=title, owner=owner, status=status, version=version,
        effective=effective, reviewed=reviewed,
        review_interval_months=interval or DEFAULT_REVIEW_INTERVAL_MONTHS,
        classification=classification, satisfies=(), implements=(), roles=(), requires_records=(),
        record_types=(), uncovered_clauses=(), source=Source(source.path, source.docname, fm.line("id")),
        summary=summary, title_classification=title_level, key_lines={k: fm.line(k) for k in fm.data},
        agreements=agreements, metrics=metrics,
    )  # fmt: skip
    return document, r.findings


#: A target as owners write it: a direction, then a number.
_TARGET = re.compile(r"^(>=|<=|≥|≤|at least|at most)\s*([+-]?(?:\d{1,15}(?:\.\d{0,15})?|\.\d{1,15}))$")
_DIRECTIONS = {">=": Direction.AT_LEAST, "≥": Direction.AT_LEAST, "at least": Direction.AT_LEAST,
               "<=": Direction.AT_MOST, "≤": Direction.AT_MOST, "at most": Direction.AT_MOST}  # fmt: skip
TARGET_HELP = "a direction and a number, quoted, e.g. '>= 99.9' (at least) or '<= 4' (at most)"
ACHIEVED_HELP = "a number without its unit, e.g. 99.95"


def parse_target(text: str) -> MetricTarget | str:
    """A target (``>= 99.9``, ``at most 4``) or why the text is not one, as the start of a sentence."""
    written = " ".join(text.strip().lower().split())
    m = _TARGET.match(written)
    if m is not None:
        return MetricTarget(float(m.group(2)), _DIRECTIONS[m.group(1)])
    if _NUMBER.match(written):
        return f"{text!r} has no direction: say whether a period must reach it or stay within it"
    return f"{text!r} is not a target"


def _target(r: _Reader, key: str = "target") -> MetricTarget | None:
    """The ``target`` of a metric or measurement entry (``None`` when absent or invalid: its finding is made)."""
    if key not in r.data:
        return None
    text = r.text(key, required=False, help=TARGET_HELP)
    if text is None:
        return None
    parsed = parse_target(text)
    if isinstance(parsed, str):
        r.error(key, f"{key}: {parsed}; expected {TARGET_HELP}")
        return None
    return parsed


def _read_metrics(parent: _Reader) -> tuple[Metric, ...]:
    """A service's ``metrics:``: a mapping of metric names to entries with ``unit`` (and ``target``,
    ``help``), each problem one finding on its line."""
    if "metrics" not in parent.data:
        return ()
    raw = parent.data["metrics"]
    example = "metrics: {availability: {unit: '%', target: '>= 99.9'}}"
    if not isinstance(raw, dict):
        parent.error("metrics", f"metrics: {_show(raw)} is not a mapping; expected metric names, each with its "
                                f"entry, e.g. {example}")  # fmt: skip
        return ()
    metrics = []
    for name, entry in raw.items():
        r = _Reader(parent.fm, parent.source, entry if isinstance(entry, dict) else {}, ids=parent.ids,
                    path=("metrics", name), subject_id=parent.subject_id)  # fmt: skip
        if not _FIELD_NAME.match(name):
            r.error(None, f"metrics: {name!r} is not a metric name; expected lower-case letters, digits and '_', "
                          f"starting with a letter, at most 40 characters, e.g. 'availability'")  # fmt: skip
        elif not isinstance(entry, dict):
            r.error(None, f"metrics: {name}: {_show(entry)} is not a metric entry; expected a mapping with unit "
                          f"(and target, help), e.g. {{unit: '%', target: '>= 99.9'}}")  # fmt: skip
        else:
            r.unknown_keys(METRIC_KEYS, f"the entry of metric {name!r}")
            unit = r.text("unit", required=True, help="what the values are counted in, e.g. '%' or hours")
            target = _target(r)
            help_text = r.text("help", required=False, help="what the metric measures")
            if unit is not None and target is not None and unit == "%" and not 0 <= target.value <= 100:
                r.error("target", f"target: {target.text!r} is not a percentage; a target in '%' is from 0 to 100")
                target = None
            if unit is not None:
                metrics.append(Metric(name, unit, target, help_text or "", parent.fm.line("metrics", name)))
        parent.findings.extend(r.findings)
    return tuple(metrics)


def _read_measurements(parent: _Reader) -> tuple[Measurement, ...]:
    """A record's ``measurements:``: a list of entries with ``service``, ``metric``, ``achieved``
    (and ``target``). Whether the service and metric are declared, and a percentage's range, are
    checked once the whole handbook is read (``rules.measurements.reference_findings``)."""
    if "measurements" not in parent.data:
        return ()
    raw = parent.data["measurements"]
    example = "measurements: [{service: SVC-HOSTING, metric: availability, achieved: 99.95}]"
    if not isinstance(raw, list):
        parent.error("measurements", f"measurements: {_show(raw)} is not a list; expected a list of entries, "
                                     f"e.g. {example}")  # fmt: skip
        return ()
    found = []
    for index, entry in enumerate(raw):
        r = _Reader(parent.fm, parent.source, entry if isinstance(entry, dict) else {}, ids=parent.ids,
                    path=("measurements", index), subject_id=parent.subject_id)  # fmt: skip
        if not isinstance(entry, dict):
            r.error(None, f"measurements: entry {index + 1} is {_show(entry)} ({_flow(entry)}), not an entry; "
                          f"expected a mapping with service, metric and achieved, e.g. {example}")  # fmt: skip
            parent.findings.extend(r.findings)
            continue
        r.unknown_keys(MEASUREMENT_KEYS, "a measurement entry")
        service = r.ident("service", IdKind.SERVICE)
        metric = r.text("metric", required=True, help="the name of one of the service's metrics")
        achieved_text = r.text("achieved", required=True, help=ACHIEVED_HELP)
        achieved = None
        if achieved_text is not None:
            if _NUMBER.match(achieved_text):
                achieved = float(achieved_text)
            else:
                r.error("achieved", f"achieved: {achieved_text!r} is not a number; expected {ACHIEVED_HELP} "
                                    f"(the unit is the metric's)")  # fmt: skip
        target = _target(r)
        line = parent.fm.line("measurements", index)
        if (
            service is not None
            and metric is not None
            and achieved is not None
            and ("target" not in entry or target is not None)
        ):
            found.append(Measurement(service, metric, achieved, target, line))
        parent.findings.extend(r.findings)
    return tuple(found)


def _read_record_types(fm: FrontMatter, source: Source, doc_id: str, parent: _Reader) -> tuple[RecordType, ...]:
    raw = fm.data.get("record_types")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        parent.error(
            "record_types",
            f"record_types: expected a list of record types, each starting with "
            f"'- id: {parent.ids[IdKind.RECORD_TYPE].prefix or parent.ids[IdKind.RECORD_TYPE].example}...'",
        )
        return ()
    result = []
    for index, item in enumerate(raw):
        path = ("record_types", index)
        if not isinstance(item, dict):
            parent.findings.append(
                Finding(source.path, fm.line(*path), Code.INVALID_METADATA, doc_id,
                        "record_types: each entry must be a mapping with id, title, owner, evidences and cadence")
            )  # fmt: skip
            continue
        r = _Reader(fm, source, item, ids=parent.ids, path=path, subject_id=str(item.get("id", "")))
        r.unknown_keys(RECORD_TYPE_KEYS, "a record type")
        rt_id = r.ident("id", IdKind.RECORD_TYPE)
        title = r.text("title", required=True, help="the record type's title")
        owner = r.ident("owner", IdKind.ROLE)
        evidences = r.id_list("evidences", what="clause numbers")
        window = r.parsed("window", parse_months, DEFAULT_EVENT_WINDOW_MONTHS,
                          f"a number of months up to {MAX_INTERVAL_MONTHS}, e.g. '12 months'")  # fmt: skip
        cadence_text = r.text("cadence", required=True, help=CADENCE_HELP)
        cadence = None
        invalid_cadence = None
        if cadence_text is not None:
            cadence = parse_cadence(cadence_text, window)
            if cadence is None:
                r.error("cadence", f"cadence: {cadence_text!r} is malformed; expected {CADENCE_HELP}")
                invalid_cadence = cadence_text
            elif "window" in item and window is not None and not cadence.per_event:
                # a window says how far back a per-event record must exist; on a schedule it would be
                # ignored (one that cannot be read is already reported)
                r.error("window", f"window: only a record type with cadence 'per event' has a window; a "
                        f"{cadence_text!r} record type's records are due each period: remove 'window', or make "
                        f"the cadence 'per event'")  # fmt: skip
        grace = r.parsed(
            "grace", parse_days, DEFAULT_GRACE_DAYS, f"a number of days up to {MAX_GRACE_DAYS}, e.g. '30 days'"
        )
        start = r.date("start", required=False)
        several = r.parsed("allow_several", _parse_bool, False, "true or false")
        early = r.parsed("early", _parse_early, False, EARLY_HELP)
        retain = _read_retention(r, DEFAULT_GRACE_DAYS if grace is None else grace)
        fields = _read_field_specs(r)
        kind = r.choice("kind", RecordKind, required=False)
        inputs = _read_review_inputs(r)
        scale = _read_scale(r, kind)
        parent.findings.extend(r.findings)
        if rt_id is None or title is None:
            continue
        result.append(
            RecordType(
                id=rt_id, title=title, owner=owner, evidences=evidences, cadence=cadence,
                grace_days=DEFAULT_GRACE_DAYS if grace is None else grace, start=start,
                allow_several=bool(several), declared_in=doc_id,
                source=Source(source.path, source.docname, fm.line(*path, "id")),
                key_lines={k: fm.line(*path, k) for k in item}, invalid_cadence=invalid_cadence,
                early_allowed=bool(early),
                retain_months=retain, fields=fields, kind=kind, inputs=inputs, scale=scale,
            )
        )  # fmt: skip
    return tuple(result)


SCALE_HELP = "the lowest and the highest score, e.g. '1-5' or '0-10'"
_SCALE = re.compile(r"^(\d{1,6}(?:\.\d{1,6})?)\s*(?:-|to)\s*(\d{1,6}(?:\.\d{1,6})?)$")


def parse_scale(text: str) -> tuple[float, float] | None:
    """``1-5`` or ``0 to 10`` -> (1.0, 5.0); None unless the lowest is below the highest."""
    matched = _SCALE.match(text.strip().lower())
    if matched is None:
        return None
    low, high = float(matched.group(1)), float(matched.group(2))
    return (low, high) if low < high else None


def _read_scale(r: _Reader, kind: RecordKind | None) -> tuple[float, float] | None:
    """A survey record type's ``scale:``; on any other record type it would be read by nothing."""
    if "scale" not in r.data:
        return None
    scale = r.parsed("scale", parse_scale, None, SCALE_HELP)
    if scale is not None and kind is not RecordKind.SURVEY:
        r.error("scale", f"scale: only a record type of kind {RecordKind.SURVEY.value!r} has a scale (of its "
                         f"satisfaction score); remove 'scale', or add 'kind: {RecordKind.SURVEY.value}'")  # fmt: skip
        return None
    return scale


#: A field's name: lower case, as front-matter keys are, and usable as a sphinx-needs field and in its filters.
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FIELD_TYPES_HELP = ", ".join(t.value for t in FieldType) + ", or 'list of' one of them, e.g. 'list of id'"


def _parse_field_type(text: str) -> tuple[FieldType, bool] | None:
    """``date`` -> (DATE, False); ``list of id`` -> (ID, True); else None."""
    words = text.lower().split()
    many = words[:2] == ["list", "of"]
    try:
        return FieldType(" ".join(words[2:] if many else words)), many
    except ValueError:
        return None


def _read_field_specs(rt: _Reader) -> tuple[FieldSpec, ...]:
    """A record type's ``fields:``: a mapping of names to entries with ``type`` (and ``required``,
    ``values``, ``help``), each problem one finding on its line."""
    if "fields" not in rt.data:
        return ()
    raw = rt.data["fields"]
    example = "fields: {due: {type: date, required: true}}"
    if not isinstance(raw, dict):
        rt.error("fields", f"fields: {_show(raw)} is not a mapping; expected field names, each with its "
                           f"entry, e.g. {example}")  # fmt: skip
        return ()
    specs = []
    for name, entry in raw.items():
        path = (*rt.path, "fields", name)
        r = _Reader(rt.fm, rt.source, entry if isinstance(entry, dict) else {}, ids=rt.ids, path=path,
                    subject_id=rt.subject_id)  # fmt: skip
        if not _FIELD_NAME.match(name):
            r.error(None, f"fields: {name!r} is not a field name; expected lower-case letters, digits and '_', "
                          f"starting with a letter, at most 40 characters, e.g. 'due' or 'raised_by'")  # fmt: skip
        elif name in RECORD_KEYS or name in RESERVED_FIELD_NAMES:
            whose = "a record's own key" if name in RECORD_KEYS else "a field sphinx-needs or clausewise gives needs"
            r.error(None, f"fields: {name!r} is {whose}, so it cannot name a record field; choose another "
                          f"name, e.g. 'action_{name}'")  # fmt: skip
        elif not isinstance(entry, dict):
            r.error(None, f"fields: {name}: {_show(entry)} is not a field entry; expected a mapping with type "
                          f"(and required, values, help), e.g. {{type: date, required: true}}")  # fmt: skip
        else:
            spec = _read_field_spec(r, name)
            if spec is not None:
                specs.append(spec)
        rt.findings.extend(r.findings)
    return tuple(specs)


def _read_field_spec(r: _Reader, name: str) -> FieldSpec | None:
    r.unknown_keys(FIELD_KEYS, f"the entry of field {name!r}")
    type_text = r.text("type", required=True, help=FIELD_TYPES_HELP)
    parsed = _parse_field_type(type_text) if type_text is not None else None
    if type_text is not None and parsed is None:
        close = difflib.get_close_matches(type_text.lower(), [t.value for t in FieldType], n=1)
        fix = f"did you mean {close[0]!r}? " if close else ""
        r.error("type", f"type: {type_text!r} is not a field type; {fix}expected {FIELD_TYPES_HELP}")
    required = r.parsed("required", _parse_bool, False, "true or false")
    help_text = r.text("help", required=False, help="what the field means")
    values: tuple[str, ...] = ()
    is_choice = parsed is not None and parsed[0] is FieldType.CHOICE
    if "values" in r.data:
        if parsed is not None and not is_choice:
            r.error("values", f"values: only a field of type choice has values; this one is a "
                              f"{type_text!r}: remove 'values', or make the type 'choice'")  # fmt: skip
        else:
            values = r.id_list("values", what="values the choice may take")
    elif is_choice:
        r.error("type", f"type: a choice lists the values it may take; add 'values: [...]' to field {name!r}, "
                        f"e.g. values: [nonconformity, observation, improvement]")  # fmt: skip
    if parsed is None or (is_choice and not values):
        return None
    kind, many = parsed
    return FieldSpec(name, kind, many, bool(required), values, help_text or "", r.fm.line(*r.path))


#: The keys of an entry of a record type's ``inputs:``.
REVIEW_INPUT_KEYS = frozenset({"key", "text", "since", "count"})
#: An input's key: short, lower case, as a review's ``inputs_covered`` names it.
_INPUT_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
INPUT_EXAMPLE = "- {key: audit-results, text: Results of internal and external audits}"


def _read_review_inputs(rt: _Reader) -> tuple[ReviewInput, ...]:
    """A record type's ``inputs:``: a list of entries with ``key`` and ``text`` (and ``since``), each
    problem one finding on its line; an entry with a problem is left out (its key then reads as unknown
    in the reviews that name it, which says where to look). Whether the record type's kind reads it is
    ``rules.review_inputs.declaration_findings``'s business."""
    if "inputs" not in rt.data:
        return ()
    raw = rt.data["inputs"]
    if not isinstance(raw, list) or not raw:
        shown = "an empty list" if raw == [] else _show(raw)
        rt.error("inputs", f"inputs: {shown} is not a list of inputs; expected one entry a line with a key and "
                           f"the input in your words, e.g. {INPUT_EXAMPLE}")  # fmt: skip
        return ()
    inputs: list[ReviewInput] = []
    for index, entry in enumerate(raw):
        path = (*rt.path, "inputs", index)
        r = _Reader(rt.fm, rt.source, entry if isinstance(entry, dict) else {}, ids=rt.ids, path=path,
                    subject_id=rt.subject_id)  # fmt: skip
        if not isinstance(entry, dict):
            r.error(None, f"inputs: item {index + 1} is {_show(entry)} ({_flow(entry)}); expected an entry with "
                          f"a key and a text, e.g. {INPUT_EXAMPLE}")  # fmt: skip
            rt.findings.extend(r.findings)
            continue
        r.unknown_keys(REVIEW_INPUT_KEYS, "an entry of inputs")
        key = r.text("key", required=True, help="a short name for the input, e.g. audit-results")
        text = r.text("text", required=True, help="the input in your own words")
        since = r.date("since", required=False)
        count = r.choice("count", InputCount, required=False)
        if key is not None and not _INPUT_KEY.match(key):
            r.error("key", f"key: {key!r} is not an input key; expected lower-case letters, digits, '-' and '_', "
                           f"starting with a letter, at most 40 characters, e.g. 'audit-results'")  # fmt: skip
            key = None
        first = next((i for i in inputs if i.key == key), None)
        if first is not None:
            r.error("key", f"key: {key!r} is the key of the input on line {first.line} too; give each input "
                           f"its own key")  # fmt: skip
        elif key is not None and text is not None and ("since" not in entry or since is not None):
            inputs.append(ReviewInput(key, text, rt.fm.line(*path), since, count))
        rt.findings.extend(r.findings)
    return tuple(inputs)


def _read_retention(r: _Reader, grace_days: int) -> int | None:
    """A record type's ``retain:`` in months; None when absent (kept for good) or invalid (reported:
    a retention that cannot be read must not let any record be disposed of). A retention that can
    end before a record is due (its period's end plus ``grace_days``) is invalid too: a record
    could be disposed of before it was ever missed."""
    if "retain" not in r.data:
        return None
    text = r.text("retain", required=False, help=RETAIN_HELP)
    if text is None:
        return None
    months = parse_retention(text)
    if isinstance(months, str):
        r.error("retain", f"retain: {months}; expected {RETAIN_HELP}")
        return None
    if _fewest_days(months) <= grace_days:
        r.error("retain", f"retain: {text!r} can end before a record is due ({grace_days} days' grace after its "
                          f"period): a record could be disposed of before it was ever missed; keep records for "
                          f"longer than their grace")  # fmt: skip
        return None
    return months


@cache
def _fewest_days(months: int) -> int:
    """The fewest days ``months`` calendar months can span, over every day of a leap and a common
    year (end-of-month clamped: from 2023-01-31, one month is 28 days)."""
    first = date(2023, 1, 1)
    days = (first + timedelta(days=n) for n in range(731))
    return min((add_months(day, months) - day).days for day in days)


def _read_justifications(fm: FrontMatter, parent: _Reader, key: str = "uncovered_clauses") -> tuple[Justification, ...]:
    """``uncovered_clauses`` (a known gap) or ``excluded`` (a control not
    applicable): entries with ``clause`` and ``reason``, each with its line."""
    raw = fm.data.get(key)
    if raw is None:
        return ()
    expected = "a list of entries with 'clause:' and 'reason:'"
    if not isinstance(raw, list):
        parent.error(key, f"{key}: expected {expected}")
        return ()
    why = "why the clause is deliberately not covered" if key == "uncovered_clauses" else "why it does not apply"
    result = []
    for index, item in enumerate(raw):
        r = _Reader(fm, parent.source, item if isinstance(item, dict) else {},
                    path=(key, index), subject_id=parent.subject_id)  # fmt: skip
        if not isinstance(item, dict):
            r.error(None, f"{key}: entry {index + 1} is not a mapping; expected {expected}")
            parent.findings.extend(r.findings)
            continue
        r.unknown_keys(JUSTIFICATION_KEYS, f"an {key} entry")
        clause = r.text("clause", required=True, help="a clause number, e.g. 7.6")
        reason = r.text("reason", required=True, help=why)
        parent.findings.extend(r.findings)
        if clause and reason:
            result.append(Justification(clause, reason, fm.line(key, index, "clause")))
    return tuple(result)


def _read_github(fm: FrontMatter, r: _Reader, kind: DocType) -> tuple[str, ...]:
    """A role's GitHub users and teams (for CODEOWNERS): one handle or a list of them."""
    if "github" not in r.data:
        return ()
    if kind is not DocType.ROLE:
        r.error("github", "github: only a role's page names GitHub users or teams; a document's code owners "
                          "come from its owner role, so remove the key here and set it on the role's page")  # fmt: skip
        return ()
    handles = r.id_list("github", what=f"GitHub handles, each {GITHUB_HELP}")
    raw = r.data["github"]
    # each item of a list has its own line (a one-line value: the key's)
    lines: dict[str, int] = {}
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(item, str):
            lines.setdefault(item.strip(), fm.line("github", index))
    valid = []
    for handle in handles:
        if valid_github_handle(handle):
            valid.append(handle)
            continue
        r.findings.append(
            Finding(r.source.path, lines.get(handle, fm.line("github")), Code.INVALID_METADATA, r.subject_id,
                    f"github: {handle!r} is not a GitHub user or team; expected {GITHUB_HELP}")
        )  # fmt: skip
    return tuple(valid)


#: A forge login as GitHub and GitLab allow one (letters, digits, '-', '_', '.'; starting with a
#: letter or digit, not ending in '-' or '.'), optionally written with a leading '@'.
_LOGIN = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_])?$")
MEMBERS_HELP = "a forge login such as alice or bob-smith (letters, digits, '-', '_' and '.')"


def _read_members(fm: FrontMatter, r: _Reader, kind: DocType) -> tuple[str, ...]:
    """A role's members, by login (without a leading '@'): who may approve changes to the
    documents the role owns (``clausewise_approval``'s ``"by": "owner"``)."""
    if "members" not in r.data:
        return ()
    if kind is not DocType.ROLE:
        r.error("members", "members: only a role's page lists members; a document is approved by the members "
                           "of its owner role, so remove the key here and list them on the role's page")  # fmt: skip
        return ()
    logins = r.id_list("members", what=MEMBERS_HELP + "s")
    raw = r.data["members"]
    lines: dict[str, int] = {}
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(item, str):
            lines.setdefault(item.strip(), fm.line("members", index))
    valid: list[str] = []
    for login in logins:
        if _LOGIN.match(login):
            valid.append(login.removeprefix("@"))
            continue
        fix = "a team belongs under github: ('@org/team')" if "/" in login else f"expected {MEMBERS_HELP}"
        r.findings.append(
            Finding(r.source.path, lines.get(login, fm.line("members")), Code.INVALID_METADATA, r.subject_id,
                    f"members: {login!r} is not a login; {fix}")
        )  # fmt: skip
    return tuple(dict.fromkeys(valid))


def _script_links(r: _Reader, key: str) -> None:
    """An ``unsafe-link`` finding for each entry of ``key`` (a link shown on the page) whose
    scheme runs script in a reader's browser; the page shows such an entry as text."""
    value = r.data.get(key)
    entries = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
    for index, entry in entries:
        if not isinstance(entry, str):
            continue
        for target in entry.split(",") if index is None else [entry]:
            scheme = dangerous_scheme(target.strip())
            if scheme is None:
                continue
            line = r.fm.line(key) if index is None else r.fm.line(key, index)
            r.findings.append(Finding(
                r.source.path, line, Code.UNSAFE_LINK, r.subject_id,
                f"{key}: {target.strip()!r} uses the {scheme}: scheme, which can run script in a reader's "
                f"browser, so it is shown as text, not a link; give an https:// link or the name of a file",
            ))  # fmt: skip


def _parse_early(text: str) -> bool | None:
    return {"allowed": True, "not allowed": False}.get(" ".join(text.lower().split()))


def _parse_bool(text: str) -> bool | None:
    return {"true": True, "yes": True, "false": False, "no": False}.get(text.lower())


#: What a correction says, as the messages show it.
CORRECTION_EXAMPLE = "'correction: 2026-09-01 P1 count corrected from 4 to 3; the export had a duplicate (T. Brennan)'"


def _correction(r: _Reader) -> str | None:
    """A record's ``correction:``. An empty one explains no change: it is reported, and
    the change it came with stays unexplained (``record-modified``)."""
    value = r.data.get("correction", "")
    if "correction" in r.data and (value is None or (isinstance(value, str) and not value.strip())):
        r.error("correction", f"correction: is empty; say what was corrected, why, when and by whom, e.g. "
                              f"{CORRECTION_EXAMPLE}")  # fmt: skip
        return None
    return r.text("correction", required=False, help="what was corrected, when and by whom")


def read_record(
    fm: FrontMatter,
    source: Source,
    ids: IdScheme,
    levels: tuple[str, ...] = DEFAULT_LEVELS,
    declared: FieldDeclarations | None = None,
) -> tuple[Record | None, list[Finding]]:
    """A record's front matter; ``declared`` holds the fields of the handbook's record types
    (read from their declaring pages first), against which the record's other keys are read."""
    r = _Reader(fm, source, fm.data, ids=ids, subject_id=str(fm.data.get("id", "")))
    written_type = fm.data.get("record_type")
    specs = (declared or {}).get(written_type.strip(), ()) if isinstance(written_type, str) else ()
    r.unknown_keys(RECORD_KEYS | {s.name for s in specs}, "a record's front matter")
    rec_id = r.ident("id", IdKind.RECORD)
    title = r.text("title", required=True, help="the record's title")
    record_type = r.ident("record_type", IdKind.RECORD_TYPE)
    # a draft is written, not yet approved: its required fields may still be empty, as its body may
    draft = fm.data.get("status") == RecordStatus.DRAFT.value
    fields = tuple(f for spec in specs if (f := _read_field(r, spec, record_type or "", draft=draft)) is not None)
    period = r.text("period", required=True, help="the period covered, e.g. 2026-09, 2026-Q3, 2026-H2, 2026 or a date")
    produced = r.date("produced", required=True)
    produced_by = r.text("produced_by", required=True, help="who produced the record")
    classification, summary, title_level = _read_audience_keys(r, levels)
    evidence = r.id_list("evidence", what="links or file names")
    _script_links(r, "evidence")
    correction = _correction(r)
    status = r.choice("status", RecordStatus, required=False, default=RecordStatus.CURRENT)
    measurements = _read_measurements(r)
    if rec_id is None or title is None:
        return None, r.findings
    record = Record(
        id=rec_id, title=title, record_type=record_type, period=period, produced=produced,
        produced_by=produced_by, classification=classification, evidence=evidence,
        correction=correction, status=status or RecordStatus.CURRENT,
        summary=summary, title_classification=title_level,
        source=Source(source.path, source.docname, fm.line("id")),
        key_lines={k: fm.line(k) for k in fm.data}, fields=fields, measurements=measurements,
    )  # fmt: skip
    return record, r.findings


#: How each field type is written, for messages.
FIELD_EXPECTED = {
    FieldType.TEXT: "a text",
    FieldType.INTEGER: "a whole number, e.g. 3",
    FieldType.NUMBER: "a number, e.g. 2.5",
    FieldType.DATE: "a date as YYYY-MM-DD, e.g. 2026-02-28",
    FieldType.BOOLEAN: "yes or no",
    FieldType.CHOICE: "one of the field's values",
    FieldType.ID: "an id of a document, record type or record of the handbook, e.g. REC-AUDIT-2026",
    FieldType.CLAUSE: "a clause reference, e.g. 8.7 or 27001:A.5.15",
    FieldType.REFERENCE: "a document id or a clause reference, e.g. PRC-012 or 8.7",
}
_INTEGER = re.compile(r"^[+-]?\d{1,15}$")
_NUMBER = re.compile(r"^[+-]?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})$")
#: What an id or a clause reference is made of (whether it names something is checked once the whole
#: handbook is read: ``rules.fields.reference_findings``).
_REFERENCE = re.compile(r"^[A-Za-z0-9_:.-]{1,100}$")


def _expected(spec: FieldSpec) -> str:
    if spec.type is FieldType.CHOICE:
        return "one of " + ", ".join(spec.values)
    return FIELD_EXPECTED[spec.type]


#: What a value of a field type is called, where "a" and the type's name do not say it.
_NOUNS = {FieldType.INTEGER: "a whole number", FieldType.BOOLEAN: "yes or no", FieldType.ID: "an id"}


@dataclass(frozen=True)
class _NotAValue:
    """Why a text is not a value of a field: the start of a sentence the caller ends."""

    why: str


def _field_scalar(spec: FieldSpec, text: str) -> FieldScalar | _NotAValue:
    """``text`` read as one value of ``spec``, or why it is not one."""
    shown = repr(text)
    value: FieldScalar | None = None
    if spec.type is FieldType.TEXT:
        return text
    if spec.type is FieldType.INTEGER and _INTEGER.match(text):
        value = int(text)
    elif spec.type is FieldType.NUMBER and _NUMBER.match(text):
        value = float(text)
    elif spec.type is FieldType.BOOLEAN:
        value = _parse_bool(text)
    elif spec.type is FieldType.DATE:
        parsed = parse_date(text)
        if parsed is None:
            return _NotAValue(f"{shown} {'is not a real date' if DATE_SHAPE.match(text) else 'is not a date'}")
        problem = date_problem(parsed)
        if problem is not None:
            return _NotAValue(f"{shown} is outside the dates clausewise reads ({problem})")
        value = parsed
    elif spec.type is FieldType.CHOICE:
        if text in spec.values:
            return text
        close = difflib.get_close_matches(text, list(spec.values), n=1)
        return _NotAValue(f"{shown} is not allowed" + (f" (did you mean {close[0]!r}?)" if close else ""))
    elif spec.type in (FieldType.ID, FieldType.CLAUSE, FieldType.REFERENCE) and _REFERENCE.match(text):
        return text
    if value is None:
        return _NotAValue(f"{shown} is not {_NOUNS.get(spec.type, 'a ' + spec.type.value)}")
    return value


def _read_field(r: _Reader, spec: FieldSpec, record_type: str, *, draft: bool) -> RecordField | None:
    """One declared field of a record: its valid value, or ``None`` and a finding (for a required
    field that is missing: on the ``record_type:`` line, which makes it required; empty: on its
    own line; in a draft, neither)."""
    key, expected = spec.name, _expected(spec)
    about = f" ({spec.help})" if spec.help else ""
    raw = r.data.get(key)
    misread = r.fm.misread.get((key,))
    if misread is not None:
        r.error(key, misread)
        return None
    empty = raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []
    if empty:
        # a key taken for its misspelling is reported there, once
        if spec.required and not draft and key not in r.misspelt:
            where = "is empty" if key in r.data else "is missing"
            what = f"{'a list of ' if spec.many else ''}{expected}{about}"
            r.error(key if key in r.data else "record_type",
                    f"field {key!r}, which record type {record_type} requires, {where}; add "
                    f"'{key}: ...' with {what}")  # fmt: skip
        return None
    items: list[tuple[Any, int]]
    if isinstance(raw, list) and spec.many:
        items = [(item, r.fm.line(key, index)) for index, item in enumerate(raw)]
    elif isinstance(raw, str):
        items = [(raw, r.fm.line(key))]
    else:
        r.error(key, f"{key}: {_show(raw)} ({_flow(raw)}) is not {'a list of ' if spec.many else ''}{expected}; "
                     f"write {'a list, e.g. [a, b], of ' if spec.many else ''}{expected}{about}")  # fmt: skip
        return None
    values: list[FieldScalar] = []
    for item, line in items:
        if not isinstance(item, str) or not item.strip():
            why = f"{_show(item)} ({_flow(item)})" if not isinstance(item, str) else "an empty value"
            message = f"{key}: an item is {why}; expected {expected}{about}"
        else:
            value = _field_scalar(spec, item.strip())
            if not isinstance(value, _NotAValue):
                values.append(value)
                continue
            message = f"{key}: {value.why}; expected {expected}{about}"
        r.findings.append(Finding(r.source.path, line, Code.INVALID_METADATA, r.subject_id, message))
        return None
    lines = tuple(line for _, line in items)
    return RecordField(key, spec.type, tuple(values), spec.many, r.fm.line(key), lines)
