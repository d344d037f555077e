"""The bad-input corpus: every case a mutation of the valid handbook in ``handbook/``
and exactly what ``clausewise check`` and a build must say about it.

A case of a ``group`` only adds pages of its own (``Handbook.copy``: a copy of one
of the handbook's pages, its ids ending in the case's name), so the cases of a
group share one handbook; a case without a group gets a handbook of its own (it
changes the settings, the catalogue, the git history or the handbook's pages).
See README.md for how to add one.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from badinput.corpus import (
    Command,
    Edit,
    Expectation,
    Finding,
    Handbook,
    Refused,
    base_text,
    chain,
    drop_key,
    encoded,
    front_matter,
    git,
    line_of,
    replace,
    set_key,
)
from badinput.expected import COMMANDS, FINDINGS, REFUSED
from clausewise.core.settings import settings
from clausewise.sources.recordbody import PLACEHOLDERS
from clausewise.sources.schema import (
    CATALOGUE_KEYS,
    FRONT_MATTER_KEYS,
    Requirement,
    Where,
    keys_of,
    required_names,
)

POLICY = "policies/policy.md"
PROCEDURE = "procedures/procedure.md"
PLAN = "procedures/plan.md"  # a procedure with one yearly record type whose period is still open
ROLE = "roles/lead.md"
RECORD = "records/report/2026-09.md"
EVENT = "records/change/2026-10-02.md"
EXTERNAL = "policies/external.md"  # a document of external origin: in extra/, copied by cases only
CATALOGUE = "catalogue.yaml"

Mutation = Callable[[Handbook], None]


@dataclass(frozen=True)
class Case:
    id: str
    description: str
    mutate: Mutation
    expect: Expectation
    #: cases of one group share a handbook; "" = a handbook of its own
    group: str = ""


CASES: list[Case] = []
#: cases whose bug the corpus found and that are not fixed yet, with what goes wrong: each is a strict
#: xfail (its expectation is the right behaviour), so that fixing it turns the test red until listed here no more
KNOWN: dict[str, str] = {}
#: what a case added without its expectation expects: no handbook is refused with this line
NOTHING = "(expected.py has nothing for)"


def case(id: str, description: str, mutate: Mutation, expect: Expectation | None, group: str = "") -> None:
    """Add a case; ``expect`` None: what ``expected.py`` holds for it."""
    if expect is None:
        # a case added without its expectation fails: no handbook is refused with this line
        expect = REFUSED[id] if id in REFUSED else FINDINGS.get(id, Refused(f"{NOTHING} {id}"))
    CASES.append(Case(id, description, mutate, expect, group))


def page(subject: str, edit: Edit) -> Mutation:
    """A copy of ``subject``, edited: the case's own page."""
    return lambda hb: (hb.copy(subject, edit), None)[1]


def invalid(line: int, says: str, path: str = "") -> Finding:
    return Finding("invalid-metadata", line, says, path)


def end_of(path: str) -> int:
    """The line of the '---' that closes the base page's front matter."""
    return base_text(path).splitlines().index("---", 1) + 1


def insert_before_end(line: str) -> Edit:
    """``line`` added as the last line of the front matter."""
    return lambda text: text.replace("\n---\n", f"\n{line}\n---\n", 1) if text.startswith("---\n") else text


# --- YAML: syntax errors and legal but hostile YAML ---------------------------------------------------

P = POLICY
LAUGHS = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 12)
)

case(
    "yaml-unclosed-block",
    "the closing '---' is missing",
    page(P, replace("\n---\n\nThe policy", "\n\nThe policy")),
    (invalid(1, "never closed"),),
    "yaml",
)
case(
    "yaml-tab-indent",
    "an entry indented with a tab",
    page(P, replace("  - clause: A.1", "\t- clause: A.1")),
    (invalid(14, "cannot start any token"),),
    "yaml",
)
case(
    "yaml-bad-indent",
    "an entry's second key less indented than its first",
    page(P, replace("    reason: No such", "  reason: No such")),
    (invalid(14, "not valid YAML"),),
    "yaml",
)
case(
    "yaml-unclosed-flow",
    "a list without its closing bracket",
    page(P, set_key("satisfies", "[1.1")),
    (invalid(12, "not valid YAML"),),
    "yaml",
)
case(
    "yaml-unclosed-quote",
    "a quoted title without its closing quote",
    page(P, set_key("title", '"Security')),
    (invalid(4, "the quote \" that starts the value of 'title' on line 4 is not closed on that line"),),
    "yaml",
)
case(
    "yaml-duplicate-key",
    "a key given twice",
    page(P, replace("title: Security policy\n", "title: Security policy\ntitle: Other policy\n")),
    (invalid(5, "key 'title' appears twice"),),
    "yaml",
)
case(
    "yaml-no-colon",
    "a line without a colon",
    page(P, replace("status: approved", "status approved")),
    (invalid(6, "not valid YAML"),),
    "yaml",
)
case(
    "yaml-list-block",
    "front matter that is a list",
    page(P, front_matter("---\n- id: {self}\n- type: policy\n---\n")),
    (invalid(2, "must be a mapping"),),
    "yaml",
)
case(
    "yaml-scalar-block",
    "front matter that is one text",
    page(P, front_matter("---\njust some words\n---\n")),
    (invalid(2, "must be a mapping"),),
    "yaml",
)
case(
    "yaml-empty-block",
    "an empty front-matter block",
    page(P, front_matter("---\n---\n")),
    (invalid(1, "missing required key 'type'"),),
    "yaml",
)
case(
    "yaml-self-alias",
    "an alias inside its own anchor",
    page(P, insert_before_end("roles: &x [*x]")),
    (invalid(17, "inside its own anchor"),),
    "yaml",
)
case(
    "yaml-deep",
    "lists nested 5000 deep",
    page(P, insert_before_end("roles: " + "[" * 5000 + "]" * 5000)),
    (invalid(17, "nest more than 20 levels"),),
    "yaml",
)
case(
    "yaml-billion-laughs",
    "aliases of aliases that stand for 10^12 values",
    page(P, replace("summary: The policy in short.\n", "summary: The policy in short.\n" + LAUGHS)),
    (invalid(22, "100,000 values"),),
    "yaml",
)
case(
    "yaml-huge",
    "a value of a million characters",
    page(P, set_key("summary", "'" + "x" * 1_000_001 + "'")),
    (invalid(2, "1,000,000"),),
    "yaml",
)
case(
    "yaml-comment-value",
    "a title YAML reads as a comment",
    page(P, set_key("title", "#1 policy")),
    (invalid(4, "as a comment"),),
    "yaml",
)
case(
    "yaml-anchor-value",
    "a title YAML reads as an anchor",
    page(P, set_key("title", "&1 policy")),
    (invalid(4, "as an anchor"),),
    "yaml",
)
case(
    "yaml-tag-value",
    "an owner YAML reads as a tag",
    page(P, set_key("owner", "!ROLE-OWNER x")),
    (invalid(5, "as a tag"),),
    "yaml",
)
case(
    "yaml-nul", "a NUL character in a value", page(P, set_key("title", "Secu\x00rity")), (invalid(4, "U+0000"),), "yaml"
)
case(
    "yaml-control",
    "a bell character in a value",
    page(P, set_key("title", "Secu\x07rity")),
    (invalid(4, "U+0007"),),
    "yaml",
)
case(
    "yaml-merge-key",
    "a merge key",
    page(P, insert_before_end("<<: {title: Other}")),
    (invalid(17, "unknown key '<<'"),),
    "yaml",
)
case(
    "yaml-complex-key",
    "a key that is a list",
    page(P, insert_before_end("? [a, b]\n: c")),
    (invalid(17, "key"),),
    "yaml",
)
case(
    "yaml-mapping-title",
    "a title that is a mapping",
    page(P, set_key("title", "{a: b}")),
    (invalid(4, "title: a mapping is not a text"),),
    "yaml",
)
case("yaml-empty-title", "a title with no value", page(P, set_key("title", "")), (invalid(4, "title"),), "yaml")
case(
    "yaml-quoted-empty-title",
    "a title that is an empty text",
    page(P, set_key("title", '""')),
    (invalid(4, "title"),),
    "yaml",
)
case(
    "yaml-directive",
    "a YAML directive inside front matter",
    page(P, replace("---\nid:", "---\n%YAML 1.1\nid:")),
    (invalid(3, "not valid YAML"),),
    "yaml",
)
case(
    "yaml-document-end",
    "YAML's document end marker inside front matter",
    page(P, replace("summary: The policy in short.\n", "summary: The policy in short.\n...\n")),
    (),
    "yaml",
)
case(
    "yaml-document-end-early",
    "YAML's document end marker before the last keys",
    page(P, replace("classification: internal\n", "...\nclassification: internal\n")),
    (
        invalid(
            11,
            "the front matter ends at '...' on line 11 (YAML's end of a document), so the keys after it "
            "(classification, satisfies, excluded, summary) are not read",
        ),
    ),
    "yaml",
)
case(
    "yaml-blank-line-first",
    "a blank line before the opening '---'",
    page(P, lambda t: "\n" + t),
    (invalid(1, "no front matter"),),
    "yaml",
)
case(
    "yaml-indented-close",
    "the closing '---' indented",
    page(P, replace("\n---\n\nThe", "\n ---\n\nThe")),
    (invalid(1, "never closed"),),
    "yaml",
)
case(
    "yaml-line-separator",
    "a Unicode line separator in a title",
    page(P, set_key("title", "Security\u2028policy")),
    (invalid(4, "it contains U+2028 (LINE SEPARATOR), which YAML takes for the end of a line where an editor"),),
    "yaml",
)
case("yaml-crlf", "Windows line endings throughout (valid)", page(P, lambda t: t.replace("\n", "\r\n")), (), "yaml")
case(
    "yaml-trailing-spaces",
    "spaces after the opening and closing '---' (valid)",
    page(P, lambda t: t.replace("---\n", "---   \n", 2)),
    (),
    "yaml",
)

# --- encodings ----------------------------------------------------------------------------------------

latin1 = encoded(set_key("title", "Café policy"), lambda t: t.encode("latin-1"))
case(
    "enc-latin1-front-matter",
    "a Latin-1 byte in the front matter",
    page(P, latin1),
    (Finding("page-unreadable", 4, "0xe9"),),
    "encoding",
)
case(
    "enc-latin1-body",
    "a Latin-1 byte in the body",
    page(P, encoded(replace("policy's text", "café"), lambda t: t.encode("latin-1"))),
    (Finding("page-unreadable", 19, "0xe9"),),
    "encoding",
)
case(
    "enc-utf16",
    "a page saved as UTF-16",
    page(P, encoded(lambda t: t, lambda t: t.encode("utf-16"))),
    (Finding("page-unreadable", 1, "0xff"),),
    "encoding",
)
case(
    "enc-utf8-bom",
    "a UTF-8 byte-order mark (valid)",
    page(P, encoded(lambda t: t, lambda t: b"\xef\xbb\xbf" + t.encode())),
    (),
    "encoding",
)
case(
    "enc-surrogate",
    "an encoded surrogate",
    page(P, encoded(lambda t: t, lambda t: t.encode().replace(b"Security", b"Sec\xed\xa0\x80urity"))),
    (Finding("page-unreadable", 4, "0xed"),),
    "encoding",
)
case(
    "enc-overlong",
    "an overlong encoding of '/'",
    page(P, encoded(lambda t: t, lambda t: t.encode().replace(b"The policy's", b"The \xc0\xaf"))),
    (Finding("page-unreadable", 19, "0xc0"),),
    "encoding",
)
case(
    "enc-truncated",
    "a page that ends inside a character",
    page(P, encoded(lambda t: t, lambda t: t.encode() + b"\xe2\x82")),
    (Finding("page-unreadable", 20, "0xe2"),),
    "encoding",
)
case(
    "enc-nul-body", "a NUL character in the body", page(P, replace("policy's text", "policy's\x00text")), (), "encoding"
)
case("enc-cr-only", "old Mac line endings (CR only)", page(P, lambda t: t.replace("\n", "\r")), (), "encoding")
# --- every required key missing (from the schema) ------------------------------------------------------

SUBJECTS = {
    Where.DOCUMENT: POLICY, Where.RECORD_TYPE: PLAN, Where.JUSTIFICATION: PLAN, Where.RECORD: RECORD,
    Where.EXTERNAL: EXTERNAL,
}  # fmt: skip
#: the line of a key in the subject: an entry's key is the first indented one
ENTRY = {Where.RECORD_TYPE, Where.JUSTIFICATION}


def key_line(where: Where, key: str) -> int:
    subject = SUBJECTS[where]
    if where in ENTRY:
        for number, line in enumerate(base_text(subject).splitlines(), 1):
            if line.startswith((f"  - {key}:", f"    {key}:")):
                return number
        raise KeyError(key)
    return line_of(subject, key)


def drop_line(where: Where, key: str) -> Edit:
    """The key's line gone; an entry keeps its '- ' on its next key."""
    number = key_line(where, key)

    def edit(text: str) -> str:
        lines = text.split("\n")
        gone = lines.pop(number - 1)
        if gone.lstrip().startswith("- "):
            lines[number - 1] = "  - " + lines[number - 1].lstrip()
        return "\n".join(lines)

    return edit


#: where a missing key is reported: the page's first line, an entry's first
STARTS = {
    Where.DOCUMENT: 1,
    Where.RECORD: 1,
    Where.EXTERNAL: 1,
    Where.RECORD_TYPE: key_line(Where.RECORD_TYPE, "id"),
    Where.JUSTIFICATION: key_line(Where.JUSTIFICATION, "clause"),
}
for where in (Where.DOCUMENT, Where.RECORD_TYPE, Where.JUSTIFICATION, Where.RECORD, Where.EXTERNAL):
    for key in required_names(where):
        case(
            f"missing-{where.value}-{key.replace('_', '-')}",
            f"{where.value}: the required key {key} is missing",
            page(SUBJECTS[where], drop_line(where, key)),
            (invalid(STARTS[where], f"missing required key '{key}'"),),
            "missing",
        )
for key in (k.name for k in keys_of(Where.DOCUMENT) if k.required is Requirement.UNLESS_DRAFT):
    case(
        f"missing-document-{key}",
        f"an approved document without {key}",
        page(P, drop_line(Where.DOCUMENT, key)),
        (invalid(1, f"missing required key '{key}'"),),
        "missing",
    )
    case(
        f"missing-draft-{key}",
        f"a draft without {key} (valid)",
        page(P, chain(set_key("status", "draft"), drop_line(Where.DOCUMENT, key))),
        (),
        "missing",
    )

# --- wrong types for every key (from the schema) -------------------------------------------------------


def set_at(number: int, key: str, value: str) -> Edit:
    """Line ``number`` (which holds ``key``) says ``key: value``, its indentation and '- ' kept."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        start = lines[number - 1].split(f"{key}:")[0]
        lines[number - 1] = f"{start}{key}: {value}"
        return "\n".join(lines)

    return edit


def insert_at(number: int, line: str) -> Edit:
    """``line`` becomes line ``number``."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        lines.insert(number - 1, line)
        return "\n".join(lines)

    return edit


def typed_line(where: Where, key: str) -> tuple[int, Callable[[str], Edit]]:
    """The line a key of ``where`` is on in its subject (or is added at), and how to give it a value."""
    subject = SUBJECTS[where]
    if where in ENTRY:
        try:
            number = key_line(where, key)
        except KeyError:
            number = key_line(Where.RECORD_TYPE, "allow_several") + 1
            return number, lambda value: insert_at(number, f"    {key}: {value}")
        return number, lambda value: set_at(number, key, value)
    try:
        number = line_of(subject, key)
    except KeyError:
        number = end_of(subject)
        return number, lambda value: insert_at(number, f"{key}: {value}")
    return number, lambda value: set_at(number, key, value)


WRONG_TYPES = {"mapping": "{a: b}", "list": "[a, b]"}
#: the policy's excluded: is a block of three lines; a wrong type replaces all of it
EXCLUDED_BLOCK = "excluded:\n  - clause: A.1\n    reason: No such control here.\n"
for schema_key in FRONT_MATTER_KEYS:
    if schema_key.where is Where.FIELD:
        continue  # the base handbook declares no record fields: their cases are in the record fields' section
    if schema_key.where in (Where.SERVICE, Where.METRIC, Where.MEASUREMENT):
        continue  # the base handbook declares no service: a service's bad input is tests/test_services.py's
    if schema_key.where is Where.SUPPLIER:
        continue  # the base handbook has no supplier: a supplier's bad input is tests/test_suppliers.py's
    for kind, value in WRONG_TYPES.items():
        if kind == "list" and schema_key.value.startswith("a list"):
            continue
        number, give = typed_line(schema_key.where, schema_key.name)
        if schema_key.name == "excluded":
            give = lambda value: replace(EXCLUDED_BLOCK, f"excluded: {value}\n\n\n")  # noqa: E731
        name = f"type-{schema_key.where.value}-{schema_key.name.replace('_', '-')}-{kind}"
        case(
            name,
            f"{schema_key.where.value}: {schema_key.name} is a {kind}",
            page(SUBJECTS[schema_key.where], give(value)),
            None,
            "types",
        )

# --- documents of external origin ---------------------------------------------------------------------

X = EXTERNAL
case(
    "external-missing-reviewed",
    "an approved document of external origin without reviewed",
    page(X, drop_key("reviewed")),
    (invalid(1, "missing required key 'reviewed'"),),
    "external",
)
case(
    "external-draft-without-reviewed",
    "a draft document of external origin without reviewed (valid)",
    page(X, chain(set_key("status", "draft"), drop_key("reviewed"))),
    (),
    "external",
)
case(
    "external-satisfies",
    "a document of external origin that claims to satisfy a clause",
    page(X, insert_before_end("satisfies: [1.1]")),
    (invalid(end_of(X), "satisfies: a document of external origin cannot satisfy a clause by itself"),),
    "external",
)
case(
    "external-version",
    "a document of external origin with a version instead of an edition",
    page(X, insert_before_end('version: "2.0"')),
    (
        invalid(
            end_of(X),
            "version: a document of external origin has an edition, numbered as its issuer numbers it: "
            "write 'edition:' instead of 'version:'",
        ),
    ),
    "external",
)
case(
    "external-location-javascript",
    "a location that runs script",
    page(X, set_key("location", "' javascript:alert(1)'")),
    (Finding("unsafe-link", line_of(X, "location"), "location: 'javascript:alert(1)' uses the javascript: scheme"),),
    "external",
)
case(
    "external-location-data",
    "a location that is a data: address",
    page(X, set_key("location", "data:text/html,<script>alert(1)</script>")),
    (Finding("unsafe-link", line_of(X, "location"), "uses the data: scheme, which can run script"),),
    "external",
)
case(
    "external-id-of-a-policy",
    "a document of external origin with a policy's id",
    page(X, set_key("id", "POL-{self}")),
    (invalid(line_of(X, "id"), "expected '" + "EXT-' followed by upper-case letters"),),
    "external",
)
case(
    "external-edition-empty",
    "an empty edition",
    page(X, set_key("edition", '""')),
    (invalid(line_of(X, "edition"), "edition: '' is not a text value; expected the edition or version that applies"),),
    "external",
)
case(
    "external-review-overdue",
    "a document of external origin reviewed more than its interval ago",
    page(X, set_key("reviewed", "2025-10-01")),
    (Finding("review-overdue", line_of(X, "reviewed"), "review overdue since 2026-10-01 (53 days)"),),
    "external",
)
case(
    "uses-unknown",
    "a policy that uses a document of external origin that does not exist",
    page(P, insert_before_end("uses: [EXT-404]")),
    (Finding("unknown-reference", end_of(P), "uses: 'EXT-404' is not a document of external origin in the handbook"),),
    "external",
)
case(
    "uses-a-policy",
    "a policy that names a policy under uses",
    page(P, insert_before_end("uses: [POL-001]")),
    (Finding("unknown-reference", end_of(P), "uses: 'POL-001' is a policy, not a document of external origin"),),
    "external",
)
case(
    "uses-twice",
    "a policy that uses the same document twice",
    page(P, insert_before_end("uses: [EXT-404, EXT-404]")),
    (
        invalid(end_of(P), "uses: 'EXT-404' is listed twice; list it once"),
        Finding("unknown-reference", end_of(P), "uses: 'EXT-404' is not a document of external origin"),
    ),
    "external",
)

# --- wrong values --------------------------------------------------------------------------------------

R, PL = RECORD, PLAN
L = {
    key: line_of(POLICY, key)
    for key in (
        "type",
        "title",
        "owner",
        "status",
        "version",
        "effective",
        "reviewed",
        "review_interval",
        "classification",
        "satisfies",
        "summary",
    )
}
VALUES: list[tuple[str, str, str, str]] = [  # name, key, value, description
    ("status-published", "status", "published", "a status that is not one"),
    ("type-memo", "type", "memo", "a page type that is not one"),
    ("type-record", "type", "record", "a policy that says it is a record"),
    ("version-letter", "version", "v1", "a version with a letter"),
    ("version-dots", "version", '"1..0"', "a version with an empty part"),
    ("version-float", "version", "1.10", "an unquoted version (kept as written: valid)"),
    ("effective-month-13", "effective", "2026-13-01", "a month that does not exist"),
    ("reviewed-feb-30", "reviewed", "2026-02-30", "a day that does not exist"),
    ("reviewed-9999", "reviewed", "9999-12-31", "a date at the end of the calendar"),
    ("reviewed-0001", "reviewed", "0001-01-01", "a date at the start of the calendar"),
    ("reviewed-future", "reviewed", "2026-12-01", "a review in the future"),
    ("effective-slashes", "effective", "01/07/2026", "a date written the other way"),
    ("effective-time", "effective", "2026-07-01T10:00:00", "a date with a time"),
    ("interval-fortnights", "review_interval", "12 fortnights", "an interval in a unit that is not one"),
    ("interval-zero", "review_interval", "0 months", "an interval of nothing"),
    ("interval-huge", "review_interval", "999999 years", "an interval past the calendar"),
    ("interval-negative", "review_interval", "-12 months", "a negative interval"),
    ("classification-secret", "classification", "secret", "a classification no audience names"),
    ("satisfies-unknown", "satisfies", "[9.9]", "a clause the catalogue does not have"),
    ("satisfies-other-catalogue", "satisfies", "[XX:1.1]", "a catalogue key that is not one"),
    ("satisfies-empty-item", "satisfies", "[1.1, ]", "an empty item"),
    ("satisfies-nested", "satisfies", "[[1.1]]", "a list in a list"),
    ("satisfies-text", "satisfies", "1.1", "one clause without brackets"),
    ("satisfies-duplicate", "satisfies", "[1.1, 1.1]", "a clause twice"),
    ("title-very-long", "title", "T" * 5000, "a title of 5000 characters"),
]
for name, key, value, description in VALUES:
    case(f"value-{name}", description, page(P, set_key(key, value)), None, "values")
for name, edit, description in [
    ("excluded-mandatory", replace("clause: A.1", "clause: 1.1"), "a mandatory clause declared not applicable"),
    ("excluded-no-reason", replace("    reason: No such control here.\n", "    reason: ''\n"), "an empty reason"),
    (
        "excluded-text",
        replace("excluded:\n  - clause: A.1\n    reason: No such control here.\n", "excluded: A.1\n\n\n"),
        "excluded as one text",
    ),
    ("github-on-policy", insert_before_end('github: "@example/team"'), "github: on a page that is not a role"),
]:
    case(f"value-{name}", description, page(P, edit), None, "values")
for name, key, value, description in [
    ("github-no-at", "github", "example", "a GitHub name without @"),
    ("github-list-mixed", "github", '["@a", 3]', "a number among GitHub names"),
]:
    case(f"value-role-{name}", description, page("roles/owner.md", set_key(key, value)), None, "values")

# record types and cadences (on the plan's yearly record type)
RT_VALUES = [
    ("cadence-fortnightly", "cadence", "fortnightly", "a cadence that is not one"),
    ("cadence-every-0", "cadence", "every 0 months", "every no months"),
    ("cadence-every-999-weeks", "cadence", "every 999 weeks", "more weeks than allowed"),
    ("cadence-every-37-months", "cadence", "every 37 months", "more months than allowed"),
    ("cadence-every-minus", "cadence", "every -1 months", "a negative cadence"),
    ("cadence-upper", "cadence", "YEARLY", "a cadence in capitals"),
    ("window-not-per-event", "cadence", "yearly\n    window: 3 months", "a window on a scheduled record type"),
    ("grace-negative", "cadence", "yearly\n    grace: -1 days", "a negative grace"),
    ("grace-huge", "cadence", "yearly\n    grace: 99999999 days", "a grace past the calendar"),
    ("grace-weeks", "cadence", "yearly\n    grace: 2 weeks", "a grace in weeks"),
    ("retain-forever", "cadence", "yearly\n    retain: forever", "a retention that is not a duration"),
    ("retain-number", "cadence", "yearly\n    retain: 6", "a retention without a unit"),
    ("retain-fraction", "cadence", "yearly\n    retain: 1.5 years", "a retention in a fraction of years"),
    ("retain-zero", "cadence", "yearly\n    retain: 0 years", "a retention of nothing"),
    ("retain-negative", "cadence", "yearly\n    retain: -6 years", "a negative retention"),
    ("retain-days", "cadence", "yearly\n    retain: 90 days", "a retention in days"),
    ("retain-weeks", "cadence", "yearly\n    retain: 2 weeks", "a retention in weeks"),
    ("retain-huge", "cadence", "yearly\n    retain: 200 years", "a retention longer than a hundred years"),
    (
        "retain-long-number",
        "cadence",
        "yearly\n    retain: 99999999999999999999 months",
        "a retention past any calendar",
    ),
    ("retain-valid", "cadence", "yearly\n    retain: 6 Years", "a retention in capitals (valid)"),
    ("retain-within-grace", "cadence", "yearly\n    retain: 1 month", "a retention that ends within the grace"),
    (
        "retain-before-due",
        "cadence",
        "yearly\n    grace: 90 days\n    retain: 2 months",
        "a retention shorter than the grace",
    ),
    ("start-feb-30", "start", "2026-02-30", "a start that does not exist"),
    ("start-1960", "start", "1960-01-01", "a start before the dates clausewise reads"),
    ("start-future", "start", "2027-01-01", "a start after today"),
    ("allow-several-yes", "allow_several", "yes", "allow_several that is not true or false"),
    ("early-yes", "allow_several", "false\n    early: yes", "early that is not 'allowed' or 'not allowed'"),
    ("early-allowed", "allow_several", "false\n    early: Allowed", "early allowed, in capitals (valid)"),
    ("evidences-unknown", "evidences", "[9.9]", "evidence for a clause the catalogue does not have"),
    ("owner-unknown", "owner", "ROLE-NOPE", "an owner that is no role"),
    ("owner-policy", "owner", "POL-001", "an owner that is a policy"),
    ("title-empty", "title", "''", "an empty title"),
]
for name, key, value, description in RT_VALUES:
    number = key_line(Where.RECORD_TYPE, key)
    case(f"record-type-{name}", description, page(PL, set_at(number, key, value)), None, "values")
case(
    "record-type-per-event-window-huge",
    "a per-event window past the calendar",
    page(PL, set_at(key_line(Where.RECORD_TYPE, "cadence"), "cadence", "per event\n    window: 999999 months")),
    None,
    "values",
)
case(
    "record-type-duplicate-id",
    "two record types with one id in one document",
    page(
        PL,
        replace(
            "uncovered_clauses:",
            "  - {id: RT-PLAN-RECORD-TYPE-DUPLICATE-ID, title: Again, owner: ROLE-LEAD, "
            "cadence: yearly, start: 2026-01-01}\nuncovered_clauses:",
        ),
    ),
    None,
    "values",
)

# --- ids -----------------------------------------------------------------------------------------------

for name, value, description in [
    ("lower-case", "pol-101", "an id in lower case"),
    ("space", '"POL 101"', "an id with a space"),
    ("dot", "POL-101.2", "an id with a dot"),
    ("other-kind", "DOC-101", "a policy with a document's id"),
    ("double-dash", "POL--101", "an id with two dashes"),
    ("unicode", "POL-ÄÖ", "an id with letters outside ASCII"),
    ("long", "POL-" + "1" * 300, "an id of 304 characters"),
    ("number", "101", "an id that is a number"),
    ("slash", "POL-1/2", "an id with a slash"),
]:
    case(f"id-{name}", description, page(P, set_key("id", value)), None, "ids")
case("id-record-lower-case", "a record id in lower case", page(R, set_key("id", "rec-report-2026-09")), None, "ids")
case(
    "id-record-type-lower-case",
    "a record type id in lower case",
    page(PL, set_at(key_line(Where.RECORD_TYPE, "id"), "id", "rt-plan")),
    None,
    "ids",
)


def twice(subject: str, ident: str) -> Mutation:
    """Two copies of ``subject`` with one id."""

    def mutate(hb: Handbook) -> None:
        hb.copy(subject, set_key("id", ident))
        hb.copy(subject, set_key("id", ident), hb.own_path(subject, "-again.md"))

    return mutate


case("id-duplicate-policy", "two policies with one id", twice(P, "POL-900"), None, "ids")
case(
    "id-duplicate-across-kinds",
    "a policy and a role with one id",
    lambda hb: (hb.copy(P, set_key("id", "ROLE-900")), hb.copy(ROLE, set_key("id", "ROLE-900")), None)[2],
    None,
    "ids",
)
case("id-duplicate-record", "two records with one id", twice(R, "REC-REPORT-2026-09-TWICE"), None, "ids")

# --- references ----------------------------------------------------------------------------------------

for name, key, value, description in [
    ("owner-unknown", "owner", "ROLE-NOPE", "an owner that is no role"),
    ("owner-policy", "owner", "POL-001", "an owner that is a policy"),
    ("owner-near-miss", "owner", "ROLE-OWNR", "an owner with a typo"),
    ("implements-unknown", "implements", "[POL-999]", "implements a document that does not exist"),
    ("implements-role", "implements", "[ROLE-OWNER]", "implements a role"),
    ("implements-record", "implements", "[REC-REPORT-2026-09]", "implements a record"),
    ("implements-self", "implements", "[{self}]", "implements itself"),
    ("roles-unknown", "roles", "[ROLE-NOPE]", "takes part: a role that does not exist"),
    ("roles-policy", "roles", "[POL-001]", "takes part: a policy"),
    ("requires-unknown", "requires_records", "[RT-NOPE]", "requires a record type that does not exist"),
    ("requires-policy", "requires_records", "[POL-001]", "requires a policy as a record type"),
]:
    edit = set_key(key, value) if key == "owner" else insert_before_end(f"{key}: {value}")
    case(f"ref-{name}", description, page(P, edit), None, "refs")


def cycle(hb: Handbook) -> None:
    first, second = hb.own_id("POL-001") + "-A", hb.own_id("POL-001") + "-B"
    hb.copy(P, chain(set_key("id", first), insert_before_end(f"implements: [{second}]")), hb.own_path(P, "-a.md"))
    hb.copy(P, chain(set_key("id", second), insert_before_end(f"implements: [{first}]")), hb.own_path(P, "-b.md"))


def retired_owner(hb: Handbook) -> None:
    role_id = hb.own_id("ROLE-LEAD")
    hb.copy(ROLE, set_key("status", "retired"))
    hb.copy(P, set_key("owner", role_id))


def retired_implemented(hb: Handbook) -> None:
    retired = hb.own_id("POL-001") + "-OLD"
    hb.copy(P, chain(set_key("id", retired), set_key("status", "retired")), hb.own_path(P, "-old.md"))
    hb.copy(P, insert_before_end(f"implements: [{retired}]"))


case("ref-implements-cycle", "two policies that implement each other", cycle, None, "refs")
case("ref-retired-owner", "a retired role that still owns a policy", retired_owner, None, "refs")
case("ref-retired-implemented", "an approved policy implementing a retired one", retired_implemented, None, "refs")

# --- records and periods -------------------------------------------------------------------------------

for name, edit, description in [
    ("period-month-13", set_key("period", "2026-13"), "a month that does not exist"),
    ("period-quarter", set_key("period", "2026-Q3"), "a quarter for a monthly record type"),
    (
        "period-before-start",
        chain(set_key("period", "2026-08"), set_key("produced", "2026-09-03")),
        "a period before the schedule starts",
    ),
    ("period-future", chain(set_key("period", "2027-01"), set_key("produced", "2026-11-03")), "a period in the future"),
    ("period-open", chain(set_key("period", "2026-11"), set_key("produced", "2026-11-20")), "the open period (valid)"),
    ("period-number", set_key("period", "202609"), "a period without its dash"),
    ("period-text", set_key("period", "September"), "a period in words"),
    ("produced-future", set_key("produced", "2026-12-01"), "produced after today"),
    ("produced-before-period", set_key("produced", "2026-08-15"), "produced before its period began"),
    ("produced-words", set_key("produced", "yesterday"), "produced in words"),
    ("produced-late", set_key("produced", "2026-11-20"), "produced after its due date"),
    ("record-type-unknown", set_key("record_type", "RT-NOPE"), "a record type no procedure declares"),
    ("record-type-other", set_key("record_type", "RT-PLAN"), "the period of another record type's cadence"),
    ("record-type-is-policy", set_key("record_type", "POL-001"), "a record type that is a policy"),
    ("status-archived", insert_before_end("status: archived"), "a record status that is not one"),
    ("status-retired", insert_before_end("status: retired"), "a retired record (valid)"),
    ("status-draft", insert_before_end("status: draft"), "a draft record: listed, not evidence"),
    ("status-upper", insert_before_end("status: Current"), "a record status in capitals"),
    ("body-placeholder", replace("The report.", PLACEHOLDERS[1]), "a body that is still the scaffold's text"),
    ("id-names-other-period", set_key("id", "REC-REPORT-2026-08"), "an id naming another period"),
    ("id-names-other-type", set_key("id", "REC-CHANGE-2026-09"), "an id naming another record type"),
    ("evidence-mapping", set_key("evidence", "{file: a.pdf}"), "evidence as a mapping"),
    ("evidence-script", set_key("evidence", "['javascript:alert(1)']"), "evidence that is a script link"),
    ("produced-by-empty", set_key("produced_by", "''"), "produced by nobody"),
    ("correction-unneeded", insert_before_end("correction: nothing changed"), "a correction note on a new record"),
]:
    case(f"record-{name}", description, page(R, edit), None, "records")
for name, edit, description in [
    ("event-before", set_key("produced", "2026-09-30"), "a record produced before its event"),
    ("event-future", chain(set_key("period", "2026-12-24"), set_key("produced", "2026-12-25")), "an event after today"),
    ("event-malformed", set_key("period", "2026-10"), "a month for a per-event record type"),
    ("event-feb-30", set_key("period", "2026-02-30"), "an event on a day that does not exist"),
]:
    case(f"record-{name}", description, page(EVENT, edit), None, "records")


def plan_twice(hb: Handbook) -> None:
    record = base_text(RECORD).replace("RT-REPORT", "RT-PLAN").replace("produced: 2026-10-03", "produced: 2026-11-03")
    hb.write(
        f"records/plan/{hb.case}-a.md",
        record.replace("REC-REPORT-2026-09", "REC-PLAN-2026-A").replace("2026-09", "2026"),
    )
    hb.write(
        f"records/plan/{hb.case}-b.md",
        record.replace("REC-REPORT-2026-09", "REC-PLAN-2026-B").replace("2026-09", "2026"),
    )


case("record-duplicate-period", "two records of a yearly type for one year", plan_twice, None, "records")

# --- file names ----------------------------------------------------------------------------------------

for name, path, description in [
    ("space", "policies/with space.md", "a name with a space"),
    ("unicode", "policies/ünïcödé.md", "a name outside ASCII"),
    ("hash", "policies/#hash.md", "a name starting with '#'"),
    ("semicolon", "policies/a;b.md", "a name with ';'"),
    ("dash", "policies/-dash.md", "a name starting with '-'"),
    ("index", "policies/index.md", "a policy called index.md"),
    ("upper-suffix", "policies/UPPER.MD", "a page ending in .MD (not a page)"),
    ("double-suffix", "policies/page.md.md", "a page ending in .md.md"),
    ("long", "policies/" + "n" * 200 + ".md", "a name of 200 characters"),
    ("deep", "policies/a/b/c/d/e/f/deep.md", "a page six folders down"),
    ("ungoverned-folder", "other/policy.md", "a policy outside the governed folders"),
    ("record-in-policies", "policies/record.md", "a record under policies/"),
    ("record-in-wrong-folder", "records/change/report.md", "a report record in the change folder"),
]:
    subject = R if "record" in name else P
    case(
        f"name-{name}", description, lambda hb, s=subject, p=path: (hb.copy(s, lambda t: t, p), None)[1], None, "names"
    )

# --- symbolic links ------------------------------------------------------------------------------------


def link(path: str, target: str) -> Mutation:
    def mutate(hb: Handbook) -> None:
        hb.owned.setdefault(hb.case, set()).add(path)
        hb.after.insert(0, lambda root: (root / path).symlink_to(target))

    return mutate


for name, path, target, description in [
    ("dangling", "policies/links-dangling.md", "gone.md", "a link to a page that does not exist"),
    ("loop", "policies/links-loop.md", "links-loop.md", "a link to itself"),
    ("folder-loop", "procedures/links-again", "..", "a folder that contains itself"),
    ("outside", "policies/links-outside.md", "/etc/hostname", "a link out of the handbook"),
    ("dev-zero", "policies/links-dev-zero.md", "/dev/zero", "a link to an endless file"),
    (
        "record-dangling",
        "records/report/links-record.md",
        "../../../elsewhere/2026-11.md",
        "a record that leads nowhere",
    ),
]:
    case(f"links-{name}", description, link(path, target), None, "links")

# --- a handbook of their own: excluded controls, integrity and git histories ---------------------------

case(
    "value-excluded-but-satisfied",
    "an excluded control the policy satisfies",
    lambda hb: (hb.write(POLICY, set_key("satisfies", "[1.1, A.1]")(base_text(POLICY))), None)[1],
    (Finding("excluded-but-implemented", 14, "A.1", POLICY),),
)
EDITED = "2026-11-15T10:00:00+00:00"


def later(path: str, edit: Edit, message: str = "Edit", when: str = EDITED, committer_date: str = "") -> Mutation:
    return lambda hb: hb.commit(message, when, {path: edit(base_text(path))}, committer_date=committer_date)


def moved(old: str, new: str) -> Mutation:
    def mutate(hb: Handbook) -> None:
        hb.owned.setdefault(hb.case, set()).add(new)

        def step(root: Path) -> None:
            (root / new).parent.mkdir(parents=True, exist_ok=True)
            git(root, "mv", old, new)
            git(root, "commit", "-q", "-m", "Tidy", when=EDITED)

        hb.after.append(step)

    return mutate


def uncommitted(path: str, edit: Edit) -> Mutation:
    def mutate(hb: Handbook) -> None:
        hb.after.append(lambda root: (root / path).write_text(str(edit(base_text(path))), encoding="utf-8"))

    return mutate


case(
    "git-changed-since-review",
    "a policy edited after its review",
    later(POLICY, replace("text.", "text, changed.")),
    None,
)
case(
    "git-review-recorded",
    "a review recorded by its own commit (valid)",
    later(POLICY, set_key("reviewed", "2026-11-15"), "Review POL-001"),
    (),
)
case(
    "git-record-modified",
    "a record edited after its first commit",
    later(RECORD, replace("The report.", "Edited.")),
    None,
)
case(
    "git-record-corrected",
    "a record corrected with a note (valid)",
    later(
        RECORD,
        chain(replace("The report.", "Edited."), insert_before_end("correction: typo, 2026-11-15, A. Lead")),
        "correction: a typo",
    ),
    None,
)
case(
    "git-record-correction-empty",
    "a record edited with an empty correction: line, which explains nothing",
    later(RECORD, chain(replace("The report.", "Edited."), insert_before_end("correction:")), "Edit"),
    (
        Finding("record-modified", 2, "changed after it was first committed", RECORD),
        invalid(end_of(RECORD), "correction: is empty; say what was corrected, why, when and by whom", RECORD),
    ),
)
case(
    "git-main-branch-missing",
    "clausewise_main_branch names a branch the repository does not have",
    lambda hb: hb.conf.append("clausewise_main_branch = 'production'"),
    (
        Finding(
            "main-branch-unknown",
            0,
            "clausewise_main_branch is 'production', but the repository has no such branch (branches: main); "
            "'main' is taken as the main branch instead",
            "conf.py",
        ),
    ),
)
case(
    "git-main-branch-option",
    "clausewise_main_branch written as a git option, refused before git sees it",
    lambda hb: hb.conf.append("clausewise_main_branch = '--output=/tmp/x'"),
    Refused(
        "conf.py: clausewise_main_branch is '--output=/tmp/x', which is not a branch name; expected the name "
        "of the branch that holds the approved handbook, e.g. clausewise_main_branch = 'main' (or "
        "'origin/main'), or '' to find it"
    ),
)
case("git-record-deleted", "a committed record deleted", lambda hb: hb.commit("Delete", EDITED, remove=(RECORD,)), None)
case("git-record-renamed-txt", "a record renamed to .txt", moved(RECORD, "records/report/2026-09.txt"), None)
case("git-record-moved-out", "a record moved out of the records folder", moved(RECORD, "archive/2026-09.md"), None)
case(
    "git-record-excluded",
    "a record's folder excluded from the build",
    lambda hb: hb.conf.append('exclude_patterns = ["_build", "records/report/2026-09.md"]'),
    None,
)
case(
    "git-records-path-moved",
    "clausewise_records_path no longer holds the records",
    lambda hb: hb.conf.append('clausewise_records_path = "evidence/"'),
    None,
)
case(
    "git-separator-bytes",
    "a commit message with the bytes git log output is split on",
    later(POLICY, set_key("reviewed", "2026-11-15"), "Review\x1e\x1f\x1d POL-001"),
    (),
)
case(
    "git-dates-backwards",
    "a commit whose committer date is before its parent's",
    later(
        POLICY,
        replace("text.", "text, changed."),
        when="2026-11-15T10:00:00+00:00",
        committer_date="2026-01-15T10:00:00+00:00",
    ),
    None,
)
case(
    "git-uncommitted-record",
    "a record edited and not committed",
    uncommitted(RECORD, replace("The report.", "New.")),
    None,
)
case("git-uncommitted-policy", "a policy edited and not committed", uncommitted(POLICY, replace("text.", "new.")), None)
case(
    "git-no-repository",
    "a handbook that is not in git",
    lambda hb: hb.after.append(lambda root: shutil.rmtree(root / ".git")),
    None,
)
case(
    "git-future-commit",
    "a commit dated after today",
    later(POLICY, replace("text.", "text, changed."), when="2027-03-01T10:00:00+00:00"),
    None,
)
case(
    "git-emoji-author-message",
    "a commit message of emoji and right-to-left text",
    later(POLICY, replace("text.", "text, changed."), "Edit \U0001f525 \u202egnirts"),
    None,
)

# --- settings of every type (from the fields of ClausewiseConfig) --------------------------------------

WRONG = {
    str: ([1, 2], 42),
    list: ("policies/", [1, 2]),
    tuple: ("policies/", [1, 2]),
    dict: (["a"], {1: "x"}),
    bool: ("yes", 1),
    int: ("30", 3.5),
}
for name, spec in settings():
    for value in WRONG[type(spec.default)]:
        kind = type(value).__name__
        case(
            f"setting-{name.removeprefix('clausewise_').replace('_', '-')}-{kind}",
            f"{name} given a {kind}",
            lambda hb, n=name, v=value: hb.conf.append(f"{n} = {v!r}"),
            None,
        )
for number, (setting, value, description) in enumerate(
    [
        ("catalogue", "'nope'", "a catalogue that is neither bundled nor a file"),
        ("catalogue", "'../outside.yaml'", "a catalogue outside the handbook"),
        ("catalogues", "['catalogue.yaml', 'catalogue.yaml']", "one catalogue twice"),
        ("severity", "{'nope': 'error'}", "a finding code that is not one"),
        ("severity", "{'uncovered-clause': 'fatal'}", "a severity that is not one"),
        ("governed_paths", "['']", "an empty folder"),
        ("due_soon_days", "-1", "a negative number of days"),
        ("upstream_links", "['nope']", "a link that is not one"),
        ("repository_url", "'javascript:alert(1)'", "a script link"),
        ("history_start", "'2026-02-30'", "a day that does not exist"),
        ("sms_start", "'0001-01-01'", "a day off the calendar"),
        ("records_path", "''", "an empty records folder"),
        ("id_patterns", "{'policy': '('}", "a regular expression that does not compile"),
        ("id_patterns", "{'nope': 'X-1'}", "an id kind that is not one"),
        ("activities", "{'Audit': 'PRC-001'}", "an activity's documents as one text"),
        ("as_of", "'tomorrow'", "a date in words"),
        ("fail_on", "'sometimes'", "a value that is not one"),
        ("commit_url", "'https://x.example/{sha}/{sha}'", "the commit twice"),
        ("commit_url", "'https://x.example/{other}'", "a placeholder that is not {sha}"),
        ("audiences", "{}", "no audience"),
        ("audience", "'public'", "an audience that is not one"),
        ("today", "'0001-01-01'", "today off the calendar"),
        ("audit_window", "'0 months'", "an audit window of nothing"),
        ("audit_window", "'-6 months'", "a negative audit window"),
        ("audit_window", "'12 weeks'", "an audit window in weeks"),
        ("audit_window", "'11 years'", "an audit window longer than any schedule reaches back"),
        ("audit_window", "''", "an empty audit window"),
        ("forge", "'bitbucket'", "a forge whose web editor clausewise does not know"),
        ("audit_cycle", "'0 months'", "an audit cycle of nothing"),
        ("audit_scope", "'level 10'", "an audit scope deeper than any catalogue"),
    ],
    start=1,
):
    # numbered within this list, so a case added elsewhere does not rename these
    case(
        f"setting-value-{setting.replace('_', '-')}-{number}",
        f"clausewise_{setting}: {description}",
        lambda hb, s=setting, v=value: hb.conf.append(f"clausewise_{s} = {v}"),
        None,
    )
case(
    "setting-env-today",
    "CLAUSEWISE_TODAY off the calendar",
    lambda hb: hb.environment.update(CLAUSEWISE_TODAY="0001-01-01"),
    None,
)
case(
    "setting-env-audience",
    "CLAUSEWISE_AUDIENCE that is not one",
    lambda hb: hb.environment.update(CLAUSEWISE_AUDIENCE="nobody"),
    None,
)
case(
    "setting-activities-unknown",
    "an activity naming no document",
    lambda hb: hb.conf.append("clausewise_activities = {'Audit': ['PRC-001', 'PRC-009']}"),
    None,
)
case(
    "setting-governed-paths-none-match",
    "governed folders that hold nothing",
    lambda hb: hb.conf.append("clausewise_governed_paths = ['nothing/']"),
    None,
)

# --- catalogue files -----------------------------------------------------------------------------------


def catalogue(edit: Edit) -> Mutation:
    return lambda hb: (hb.write(CATALOGUE, edit(base_text(CATALOGUE))), None)[1]


for schema_key in CATALOGUE_KEYS:
    if schema_key.required is not Requirement.REQUIRED:
        continue
    if schema_key.where is Where.CATALOGUE:
        edit = drop_key(schema_key.name) if schema_key.name != "clauses" else lambda t: t.split("clauses:")[0]
    else:
        edit = replace(f'{schema_key.name}: "1.1", ' if schema_key.name == "number" else "heading: Plans", "")
    case(
        f"catalogue-missing-{schema_key.where.value}-{schema_key.name}",
        f"a catalogue without {schema_key.name}",
        catalogue(edit),
        None,
    )
for name, edit, description in [
    ("latin1", encoded(replace("Planning", "Plänning"), lambda t: t.encode("latin-1")), "a Latin-1 byte"),
    ("number-list", replace('{number: "1.1"', "{number: [1.1]"), "a number that is a list"),
    (
        "number-float-twice",
        replace('{number: "1.1", heading: Plans}', "{number: 1.1, heading: Plans}\n  - {number: 1.10, heading: Tenth}"),
        "unquoted 1.1 and 1.10 (both kept as written: valid)",
    ),
    (
        "number-duplicate",
        replace('{number: "2", heading: Operation', '{number: "1.1", heading: Operation'),
        "a number twice",
    ),
    (
        "child-first",
        replace(
            '  - {number: "1", heading: Planning}\n  - {number: "1.1", heading: Plans}\n',
            '  - {number: "1.1", heading: Plans}\n  - {number: "1", heading: Planning}\n',
        ),
        "a clause before its parent",
    ),
    ("heading-long", replace("heading: Plans", "heading: " + "P" * 121), "a heading of 121 characters"),
    ("confirmation", replace("confirmation: one-source", "confirmation: maybe"), "a confirmation that is not one"),
    ("self-alias", lambda t: t + "extra: &x [*x]\n", "an alias inside its own anchor"),
    ("top-list", lambda _t: "- a\n- b\n", "a file that is a list"),
    ("empty", lambda _t: "", "an empty file"),
    ("id-prefix-lower", replace("id_prefix: CS", "id_prefix: cs"), "an id prefix in lower case"),
    ("key-space", replace("key: CS", "key: C S"), "a key with a space"),
    ("excludable-text", replace('excludable: ["A."]', "excludable: A."), "excludable as one text"),
    ("clauses-mapping", lambda t: t.split("clauses:")[0] + "clauses: {a: b}\n", "clauses as a mapping"),
    ("unknown-key", lambda t: t + "edition: 2018\n", "a key catalogues do not have"),
    ("tab", replace('  - {number: "1"', '\t- {number: "1"'), "a tab before an entry"),
    ("deep", lambda t: t + "extra: " + "[" * 5000 + "]" * 5000 + "\n", "lists nested 5000 deep"),
]:
    case(f"catalogue-{name}", description, catalogue(edit), None)
case(
    "catalogue-missing-file",
    "a catalogue file that does not exist",
    lambda hb: hb.conf.append("clausewise_catalogue = 'missing.yaml'"),
    None,
)
case(
    "catalogue-folder",
    "a catalogue that is a folder",
    lambda hb: hb.conf.append("clausewise_catalogue = 'pages'"),
    None,
)

# --- the authoring commands ----------------------------------------------------------------------------


def command(*args: str, exit: int = 2, line: str = "", unchanged: bool = True) -> Mutation:
    """Run ``clausewise *args``: it exits with ``exit`` and says ``line`` (default: as ``expected.COMMANDS``)."""

    def mutate(hb: Handbook) -> None:
        said = (exit, line) if line else COMMANDS.get(hb.case, (exit, line))
        hb.commands.append((hb.case, Command(args, said[0], said[1], unchanged)))

    return mutate


for name, args in [
    ("new-no-title", ("new", "policy")),
    ("new-empty-title", ("new", "policy", "--title", "")),
    ("new-unknown-owner", ("new", "policy", "--title", "X", "--owner", "ROLE-NOPE")),
    ("new-bad-id", ("new", "policy", "--title", "X", "--id", "pol-9")),
    ("new-taken-id", ("new", "policy", "--title", "X", "--id", "POL-001")),
    ("new-unknown-kind", ("new", "memo", "--title", "X")),
    ("new-record-unknown-type", ("new", "record", "RT-NOPE")),
    (
        "new-record-type-unknown-document",
        ("new", "record-type", "--document", "PRC-999", "--title", "R", "--cadence", "monthly"),
    ),
    (
        "new-record-type-bad-cadence",
        ("new", "record-type", "--document", "PRC-002", "--title", "R", "--cadence", "fortnightly"),
    ),
    (
        "new-record-type-bad-start",
        (
            "new",
            "record-type",
            "--document",
            "PRC-002",
            "--title",
            "R",
            "--cadence",
            "monthly",
            "--start",
            "2026-02-30",
        ),
    ),
    ("new-role-bad-github", ("new", "role", "--title", "Auditor", "--github", "nobody")),
    ("review-unknown", ("review", "POL-999")),
    ("review-record", ("review", "REC-REPORT-2026-09")),
    ("review-bad-version", ("review", "POL-001", "--version", "v2")),
    ("review-future", ("review", "POL-001", "--today", "9999-12-31")),
    ("review-bad-today", ("review", "POL-001", "--today", "2026-02-30")),
    ("codeowners-out-folder", ("codeowners", "--out", "policies")),
    ("codeowners-unknown-option", ("codeowners", "--owners")),
    ("check-bad-format", ("check", "--format", "xml")),
    ("check-bad-today", ("check", "--today", "yesterday")),
]:
    case(f"command-{name}", " ".join(args), command(*args), (), "commands")
TITLE = '#1: "Quoted" & *starred* policy'
NEW_POLICY = "policies/1-quoted-starred-policy.md"
case(
    "command-new-hostile-title",
    "a new policy whose title YAML would misread (written quoted: valid)",
    command(
        "new",
        "policy",
        "--title",
        TITLE,
        "--owner",
        "ROLE-OWNER",
        exit=0,
        unchanged=False,
        line=f"Wrote {NEW_POLICY}: POL-002 {TITLE}, a policy owned by ROLE-OWNER, status draft, version 0.1.",
    ),
    # the title is read back as written: the page's only finding is that it is new
    (Finding("uncommitted", 2, "POL-002 is not committed to git yet", NEW_POLICY),),
)

# --- approvals: clausewise_approval, clausewise_team_members and a role's members: (issue 15) ----------
APPROVAL_EXAMPLE = "e.g. {'required': True, 'by': 'owner', 'since': '2026-12-01'}"
for name, value, description, message in [
    ("by-unknown", "{'by': 'owners', 'since': '2026-01-01'}", "an approver that is neither anyone nor owner",
     "clausewise_approval['by'] is 'owners'; expected 'anyone' (someone other than the change's author) or 'owner' "
     "(a member of the document's owner role: its members: and github: users and teams)"),
    ("since-words", "{'by': 'owner', 'since': 'next week'}", "since in words",
     "clausewise_approval['since'] is 'next week'; expected a date as YYYY-MM-DD, e.g. '2026-12-01'"),
    ("since-missing", "{'by': 'owner'}", "no since: every change ever would be judged",
     "clausewise_approval has no 'since'; expected the day from which changes need an approval, as YYYY-MM-DD, "
     f"{APPROVAL_EXAMPLE} (changes that reached the main line before it are not judged)"),
    ("key-unknown", "{'since': '2026-01-01', 'who': 'owner'}", "a key that is not one",
     "clausewise_approval has the key 'who', which is not one; the keys are 'required' (True or False), 'by' "
     f"('anyone' or 'owner') and 'since' (a date), {APPROVAL_EXAMPLE}"),
    ("required-text", "{'required': 'yes', 'since': '2026-01-01'}", "required as a text",
     "clausewise_approval['required'] is 'yes'; expected True or False"),
]:  # fmt: skip
    case(f"setting-approval-{name}", f"clausewise_approval: {description}",
         lambda hb, v=value: hb.conf.append(f"clausewise_approval = {v}"), Refused(f"conf.py: {message}"))  # fmt: skip
case(
    "setting-team-members-outside",
    "clausewise_team_members: a team file outside the handbook",
    lambda hb: hb.conf.append("clausewise_team_members = '../teams.json'"),
    Refused(
        "conf.py: clausewise_team_members is '../teams.json', which is outside the handbook's folder; expected a "
        "path inside it, e.g. '_data/teams.json'"
    ),
)
NOT_APPROVED = "without an approval by someone other than its author: no approval is recorded"
case(
    "git-approval-required",
    "an approval rule whose start lies before the handbook's only commit, which nobody approved",
    lambda hb: hb.conf.append("clausewise_approval = {'since': '2026-11-01'}"),
    tuple(
        Finding("approval-missing", 2, NOT_APPROVED, path)
        for path in (POLICY, "procedures/plan.md", "procedures/procedure.md", ROLE, "roles/owner.md")
    ),
)


def _invalid_team_file(hb: Handbook) -> None:
    hb.conf.append("clausewise_approval = {'by': 'owner', 'since': '2026-12-01'}")
    hb.conf.append("clausewise_team_members = 'teams.json'")
    hb.write("teams.json", '{"example/owners": ["ann",]}\n')


case(
    "git-approval-team-file-invalid",
    "by owner with a team file that is not JSON",
    _invalid_team_file,
    (Finding("invalid-metadata", 1, "the team file 'teams.json' (clausewise_team_members) is not valid JSON",
             "teams.json"),),
)  # fmt: skip
case(
    "value-role-members-team",
    "a team among a role's members",
    page("roles/owner.md", insert_before_end('members: ["@example/owners"]')),
    (invalid(13, "members: '@example/owners' is not a login; a team belongs under github: ('@org/team')"),),
    "values",
)
case(
    "value-role-members-name",
    "a person's name among a role's members",
    page("roles/owner.md", insert_before_end("members: [ann, Ann Owner]")),
    (invalid(13, "members: 'Ann Owner' is not a login; expected a forge login such as alice or bob-smith"),),
    "values",
)
case(
    "value-members-on-policy",
    "members: on a page that is not a role",
    page(P, insert_before_end("members: [ann]")),
    (invalid(17, "members: only a role's page lists members"),),
    "values",
)

# --- record fields (issue 17): declared by a record type, filled in by its records ------------------------
# Each case writes a procedure declaring a per-event record type with fields, and one record of it:
# the declaration's fields are on lines 18 to 21 (and 22, a case's own), the record's raised on line 10
# (and line 11, a case's own key).
FIELDS_PROCEDURE = """\
---
id: {doc}
type: procedure
title: Actions
owner: ROLE-OWNER
status: approved
version: "1.0"
effective: 2026-07-01
reviewed: 2026-07-01
classification: internal
satisfies: [1.1]
record_types:
  - id: {rt}
    title: Actions
    owner: ROLE-LEAD
    cadence: per event
    fields:
      raised: {{type: date, required: true}}
      kind: {{type: choice, values: [nonconformity, improvement]}}
      source: {{type: id}}
      audited: {{type: list of clause}}
{declared}---

The procedure's text.
"""
FIELDS_RECORD = """\
---
id: {rec}
type: record
title: Action
record_type: {rt}
period: 2026-10-02
produced: 2026-10-02
produced_by: A. Lead
classification: internal
{raised}{written}---

The action taken.
"""


def with_fields(declared: str = "", written: str = "", raised: str = "raised: 2026-10-01\n") -> Mutation:
    """The case's procedure (declaring ``declared`` too) and its record (with ``written``)."""

    def mutate(hb: Handbook) -> None:
        rt = hb.own_id("RT-ACTION")
        hb.write(
            f"procedures/{hb.case}.md", FIELDS_PROCEDURE.format(doc=hb.own_id("PRC-900"), rt=rt, declared=declared)
        )
        record_text = FIELDS_RECORD.format(rec=hb.own_id("REC-ACTION"), rt=rt, raised=raised, written=written)
        hb.write(f"records/action/{hb.case}.md", record_text)

    return mutate


def field_case(name: str, description: str, mutate: Mutation, *expect: tuple[str, int, str, bool]) -> None:
    """``expect``: (code, line, part of the message, in the record (else the procedure))."""
    case_id = f"fields-{name}"
    found = tuple(
        Finding(code, line, says, f"records/action/{case_id}.md" if in_record else f"procedures/{case_id}.md")
        for code, line, says, in_record in expect
    )
    case(case_id, description, mutate, found, "fields")


field_case(
    "valid",
    "a record type with fields and a record filling them in",
    with_fields(written="kind: improvement\nsource: POL-001\naudited: [1.1, 2]\n"),
)
field_case(
    "date-impossible",
    "a date field with a day that does not exist",
    with_fields(raised="raised: 2026-02-30\n"),
    ("invalid-metadata", 10, "raised: '2026-02-30' is not a real date; expected a date as YYYY-MM-DD", True),
)
field_case(
    "choice-not-allowed",
    "a choice outside its values",
    with_fields(written="kind: nonconformaty\n"),
    (
        "invalid-metadata",
        11,
        "kind: 'nonconformaty' is not allowed (did you mean 'nonconformity'?); "
        "expected one of nonconformity, improvement",
        True,
    ),
)
field_case(
    "required-missing",
    "a required field left out",
    with_fields(raised=""),
    (
        "invalid-metadata",
        5,
        "field 'raised', which record type RT-ACTION-* requires, is missing; add "
        "'raised: ...' with a date as YYYY-MM-DD",
        True,
    ),
)
field_case(
    "required-empty",
    "a required field left empty",
    with_fields(raised="raised:\n"),
    ("invalid-metadata", 10, "field 'raised', which record type RT-ACTION-* requires, is empty", True),
)
field_case(
    "unknown-field",
    "a field the record type does not declare",
    with_fields(written="rased: 2026-10-01\n"),
    ("invalid-metadata", 11, "unknown key 'rased' in a record's front matter; did you mean 'raised'?", True),
)
field_case(
    "list-for-date",
    "a list where a date is expected",
    with_fields(raised="raised: [2026-10-01]\n"),
    ("invalid-metadata", 10, "raised: a list ([2026-10-01]) is not a date as YYYY-MM-DD", True),
)
field_case(
    "unknown-source",
    "an id field naming nothing in the handbook",
    with_fields(written="source: POL-01\n"),
    (
        "unknown-reference",
        11,
        "source: 'POL-01' is not an id of a document, record type, record or nonconformity in the handbook; "
        "did you mean 'POL-001'?",
        True,
    ),
)
field_case(
    "unknown-clause",
    "a clause field naming a clause the catalogue lacks",
    with_fields(written="audited: [1.1, 9.9]\n"),
    ("unknown-clause", 11, "audited: clause '9.9' is not in the", True),
)
field_case(
    "type-unknown",
    "a field type that is not one",
    with_fields(declared="      due: {type: datum}\n"),
    ("invalid-metadata", 22, "type: 'datum' is not a field type; did you mean 'date'?", False),
)
field_case(
    "name-reserved",
    "a field named as a need field clausewise gives needs",
    with_fields(declared="      owner: {type: id}\n"),
    ("invalid-metadata", 22, "fields: 'owner' is a field sphinx-needs or clausewise gives needs", False),
)
field_case(
    "name-record-key",
    "a field named as a record's own key",
    with_fields(declared="      evidence: {type: text}\n"),
    ("invalid-metadata", 22, "fields: 'evidence' is a record's own key", False),
)
field_case(
    "name-malformed",
    "a field name that is not one",
    with_fields(declared="      Due-Date: {type: date}\n"),
    ("invalid-metadata", 22, "fields: 'Due-Date' is not a field name", False),
)
field_case(
    "choice-without-values",
    "a choice without its values",
    with_fields(declared="      level: {type: choice}\n"),
    ("invalid-metadata", 22, "type: a choice lists the values it may take", False),
)
field_case(
    "values-not-choice",
    "values on a field that is not a choice",
    with_fields(declared="      due: {type: date, values: [soon]}\n"),
    ("invalid-metadata", 22, "values: only a field of type choice has values", False),
)
field_case(
    "entry-not-mapping",
    "a field declared with a bare type",
    with_fields(declared="      due: date\n"),
    ("invalid-metadata", 22, "fields: due: 'date' is not a field entry", False),
)
field_case(
    "type-list",
    "a field's type given as a list",
    with_fields(declared="      due: {type: [date, text]}\n"),
    ("invalid-metadata", 22, "type: a list is not a text value", False),
)
field_case(
    "required-mapping",
    "a field's required given as a mapping",
    with_fields(declared="      due: {type: date, required: {a: b}}\n"),
    ("invalid-metadata", 22, "required: a mapping is not a text value; expected true or false", False),
)
field_case(
    "values-mapping",
    "a choice's values given as a mapping",
    with_fields(declared="      level: {type: choice, values: {a: b}}\n"),
    ("invalid-metadata", 22, "values: a mapping is not a list", False),
)
field_case(
    "help-list",
    "a field's help given as a list",
    with_fields(declared="      due: {type: date, help: [a, b]}\n"),
    ("invalid-metadata", 22, "help: a list is not a text value", False),
)


# --- actions (issue 17, part 2): a record type of kind action, and a record of it --------------

ACTION_PROCEDURE = FIELDS_PROCEDURE.replace(
    "    cadence: per event\n",
    "    cadence: per event\n    kind: action\n",
).replace(
    "{declared}",
    "      action_owner: {{type: id}}\n      due: {{type: date}}\n      closed: {{type: date}}\n"
    "      effectiveness_checked: {{type: date}}\n      was_effective: {{type: boolean}}\n"
    "      follow_up: {{type: id}}\n",
)


def with_action(written: str, source: str = "POL-001") -> Mutation:
    """The case's procedure declaring an action record type, and one improvement of it (with ``written``
    after ``raised``, ``kind``, ``source``, ``action_owner`` and ``due``, lines 10 to 14)."""

    def mutate(hb: Handbook) -> None:
        rt = hb.own_id("RT-ACTION")
        hb.write(f"procedures/{hb.case}.md", ACTION_PROCEDURE.format(doc=hb.own_id("PRC-900"), rt=rt))
        common = f"kind: improvement\nsource: {source}\naction_owner: ROLE-LEAD\ndue: 2026-12-31\n"
        record_text = FIELDS_RECORD.format(
            rec=hb.own_id("REC-ACTION"), rt=rt, raised="raised: 2026-10-01\n", written=common + written
        )
        hb.write(f"records/action/{hb.case}.md", record_text)

    return mutate


field_case(
    "action-closed-before-raised",
    "an action closed before the day it was raised",
    with_action("closed: 2026-09-30\n"),
    ("invalid-metadata", 15, "closed: 2026-09-30 is before the action was raised on 2026-10-01; expected a day "
                             "on or after 'raised'", True),
)  # fmt: skip
field_case(
    "action-not-effective-without-follow-up",
    "an action found not effective that names no follow-up action",
    with_action("closed: 2026-10-05\neffectiveness_checked: 2026-11-01\nwas_effective: no\n"),
    ("invalid-metadata", 17, "was_effective: no, but no follow_up names the action that takes over", True),
)
field_case(
    "action-source-unknown",
    "an action whose source names nothing in the handbook",
    with_action("closed: 2026-10-05\n", source="NC-2026-09"),
    (
        "unknown-reference",
        12,
        "source: 'NC-2026-09' is not an id of a document, record type, record or nonconformity in the handbook",
        True,
    ),
)


# --- customer surveys and complaints (issue 18): values checked against what they mean ------------------
# Each case writes a procedure declaring a survey type (scale 1-5) and a complaint type, and one record of
# each: the survey's responses, satisfaction and nps on lines 10 to 12, the complaint's received, customer,
# responded and resolved on lines 10 to 13; the survey type's kind on line 17, its scale on line 18.
CUSTOMERS_PROCEDURE = """\
---
id: {doc}
type: procedure
title: Customers
owner: ROLE-OWNER
status: approved
version: "1.0"
effective: 2026-07-01
reviewed: 2026-07-01
classification: internal
satisfies: [1.1]
record_types:
  - id: {survey}
    title: Survey
    owner: ROLE-LEAD
    cadence: per event
    kind: survey
{scale}    fields:
      responses: {{type: integer, required: true}}
      satisfaction: {{type: number}}
      nps: {{type: integer}}
  - id: {complaint}
    title: Complaints
    owner: ROLE-LEAD
    cadence: per event
    kind: complaint
    fields:
      received: {{type: date, required: true}}
      customer: {{type: text, required: true}}
      responded: {{type: date}}
      resolved: {{type: date}}
---

The procedure's text.
"""
CUSTOMER_RECORD = """\
---
id: {rec}
type: record
title: A customer record
record_type: {rt}
period: 2026-10-02
produced: 2026-10-02
produced_by: A. Lead
classification: internal
{values}---

What the customers said.
"""
GOOD_SURVEY = {"responses": "40", "satisfaction": "4.2", "nps": "30"}
GOOD_COMPLAINT = {"received": "2026-10-01", "customer": "Acme", "responded": "2026-10-03", "resolved": "2026-10-09"}


def with_customers(scale: str = "    scale: 1-5\n", **values: str) -> Mutation:
    """The case's procedure and one survey and one complaint, their values replaced by ``values``."""

    def mutate(hb: Handbook) -> None:
        survey, complaint = hb.own_id("RT-SURVEY"), hb.own_id("RT-COMPLAINT")
        hb.write(f"procedures/{hb.case}.md", CUSTOMERS_PROCEDURE.format(
            doc=hb.own_id("PRC-910"), survey=survey, complaint=complaint, scale=scale))  # fmt: skip
        for rt, name, defaults in ((survey, "survey", GOOD_SURVEY), (complaint, "complaint", GOOD_COMPLAINT)):
            given = {k: values.get(k, v) for k, v in defaults.items()}
            text = "".join(f"{k}: {v}\n" for k, v in given.items())
            hb.write(f"records/{name}/{hb.case}.md",
                     CUSTOMER_RECORD.format(rec=hb.own_id(f"REC-{name.upper()}"), rt=rt, values=text))  # fmt: skip

    return mutate


def customers_case(name: str, description: str, mutate: Mutation, *expect: tuple[int, str, str]) -> None:
    """``expect``: (line, part of the message, where: 'survey', 'complaint' or 'procedure'), each invalid-metadata."""
    case_id = f"customers-{name}"
    found = tuple(
        Finding("invalid-metadata", line, says,
                f"procedures/{case_id}.md" if where == "procedure" else f"records/{where}/{case_id}.md")
        for line, says, where in expect
    )  # fmt: skip
    case(case_id, description, mutate, found, "customers")


customers_case("valid", "a survey and an answered, resolved complaint", with_customers())
customers_case(
    "score-over-scale", "a satisfaction score above its scale", with_customers(satisfaction="7"),
    (11, "satisfaction: 7 is outside the scale 1-5 of record type RT-SURVEY-*; expected a score from 1 to 5",
     "survey"),
)  # fmt: skip
customers_case(
    "score-not-number", "a satisfaction score that is not a number", with_customers(satisfaction="good"),
    (11, "satisfaction: 'good' is not a number; expected a number, e.g. 2.5", "survey"),
)  # fmt: skip
customers_case(
    "nps-out-of-range", "an NPS above 100", with_customers(nps="140"),
    (12, "nps: 140 is outside -100 to 100; expected a net promoter score", "survey"),
)  # fmt: skip
customers_case(
    "responses-negative", "a negative number of responses", with_customers(responses="-3"),
    (10, "responses: -3 is negative; expected how many customers answered, 0 or more", "survey"),
)  # fmt: skip
customers_case(
    "no-scale", "a survey type that declares satisfaction without a scale", with_customers(scale=""),
    (17, "kind: a record type of kind 'survey' that declares the field 'satisfaction' must say the score's scale",
     "procedure"),
)  # fmt: skip
customers_case(
    "scale-backwards", "a scale from high to low", with_customers(scale="    scale: 5-1\n"),
    (18, "scale: '5-1' is malformed; expected the lowest and the highest score", "procedure"),
)  # fmt: skip
customers_case(
    "responded-before-received", "a complaint answered before it was received",
    with_customers(responded="2026-09-20"),
    (12, "responded: 2026-09-20 is before the complaint was received (2026-10-01); expected the day it was "
     "answered, on or after 2026-10-01", "complaint"),
)  # fmt: skip
customers_case(
    "resolved-before-received", "a complaint resolved before it was received", with_customers(resolved="2026-09-30"),
    (13, "resolved: 2026-09-30 is before the complaint was received (2026-10-01)", "complaint"),
)  # fmt: skip
