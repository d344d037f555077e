"""The reference pages generated from the code: directives, front-matter keys and
the catalogue schema; the declarations they render agree with the validators."""

from __future__ import annotations

from pathlib import Path

import pytest
from clausewise.core.ids import IdScheme
from clausewise.core.model import Source
from clausewise.sources import catalogue, frontmatter, metadata
from clausewise.sources.catalogue import CatalogueError
from clausewise.sources.schema import (
    CATALOGUE_KEYS,
    FRONT_MATTER_KEYS,
    Requirement,
    Where,
    keys_of,
    names_of,
)
from clausewise.sphinxext.directives import DIRECTIVES, PAGE_DIRECTIVE

from tests.handbook import build, governed, role, write_handbook

# --- the directives table -------------------------------------------------------------


def test_every_directive_says_what_each_of_its_options_means() -> None:
    for name, directive in DIRECTIVES.items():
        assert set(directive.option_help) == set(directive.option_spec or {}), name
        # the table's "Shows" is the docstring's first paragraph after this name
        assert name == PAGE_DIRECTIVE or (directive.__doc__ or "").startswith(f"``{{{name}}}``: "), name


def _row_ids(html: str, prefix: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in html.split(f'id="{prefix}')[1:]]


def test_the_reference_pages_list_every_directive_key_and_catalogue_key(tmp_path: Path) -> None:
    pages = {
        "pages/directives.md": "# Directives\n\n```{clausewise-directives}\n```\n",
        "pages/front-matter.md": "# Front matter\n\n```{front-matter-keys}\n```\n",
        "pages/catalogues.md": "# Catalogues\n\n```{catalogue-schema}\n```\n",
    }
    result = build(write_handbook(tmp_path / "hb", {"roles/owner.md": role(), **pages}))
    assert result.other_warnings() == []

    directives = result.page_html("pages/directives")
    assert _row_ids(directives, "directive-") == [
        "clausewise-page", "clause-catalogue", "traceability-matrix", "governed-documents", "record-register",
        "document-register", "statement-of-applicability", "finding-codes", "review-schedule", "clausewise-dashboard",
        "clausewise-settings", "clausewise-directives", "front-matter-keys", "catalogue-schema",
        "action-register", "record-kinds",
        "audit-coverage",
        "supplier-register",
        "complaint-register",
        "management-dashboard",
    ]  # fmt: skip
    assert _row_ids(directives, "directive-") == list(DIRECTIVES)
    text = result.page_text("pages/directives")
    assert "{clausewise-page} none no argument; no content Added by clausewise to every governed page; do not " \
           "write it." in text  # fmt: skip
    assert (
        "{governed-documents} :type: the kind of document: document, policy, procedure, role, external, service, "
        "supplier; "
        "without it, "
        "every "
        "governed document no argument; no content A table of the documents of one kind ( :type: )." in text
    )
    assert (
        "{clausewise-settings} :template: no value: show the conf.py lines that set every setting to its default, "
        "instead of the table no argument; no content Every clausewise_* setting with its default and help, from "
        "the one declaration in clausewise.core.settings ; with :template: , the conf.py lines to copy instead."
    ) in text

    keys = result.page_html("pages/front-matter")
    assert _row_ids(keys, "key-") == [
        f"{k.where.value}-{k.name}"
        for where in (
            *(Where.DOCUMENT, Where.RECORD_TYPE, Where.JUSTIFICATION, Where.RECORD, Where.EXTERNAL),
            *(Where.FIELD, Where.SERVICE, Where.METRIC, Where.MEASUREMENT, Where.SUPPLIER),
        )
        for k in keys_of(where)
    ]
    assert _row_ids(keys, "key-")[:3] == ["document-id", "document-type", "document-title"]
    assert len(_row_ids(keys, "key-")) == 22 + 15 + 2 + 14 + 14 + 4 + 14 + 3 + 4 + 17
    assert _row_ids(keys, "keys-") == [
        "document", "record-type", "justification", "record", "external", "field", "service", "metric", "measurement",
        "supplier",
    ]  # fmt: skip
    text = result.page_text("pages/front-matter")
    assert "A document, policy, procedure or role" in text
    assert (
        "effective required unless status is draft a date as YYYY-MM-DD, from 1970-01-01 to 2999-12-31 The day "
        "this version applies from." in text
    )
    assert "status optional one of current, retired, draft (a fixed list)" in text
    # the levels are the handbook's own (clausewise_audiences), not a fixed list
    assert (
        "classification required a classification level named in the setting clausewise_audiences "
        "(by default one of public, internal, confidential)"
    ) in text
    assert "title_classification optional a classification level named in the setting clausewise_audiences" in text

    catalogues = result.page_html("pages/catalogues")
    assert _row_ids(catalogues, "key-") == [
        "catalogue-standard", "catalogue-title", "catalogue-key", "catalogue-id_prefix", "catalogue-notice",
        "catalogue-excludable", "catalogue-clauses", "clause-number", "clause-heading", "clause-confirmation",
    ]  # fmt: skip
    assert "confirmation optional one of confirmed, one-source, unconfirmed (a fixed list)" in result.page_text(
        "pages/catalogues"
    )


# --- front-matter keys: the table is what the validator accepts and requires --------------

SOURCE = Source("policies/p.md", "policies/p", 1)

#: A valid value for every key, by where it is.
VALUES: dict[Where, dict[str, str]] = {
    Where.DOCUMENT: {
        "id": "ROLE-OWNER", "type": "role", "title": "Owner", "owner": "ROLE-OWNER", "status": "approved",
        "version": '"1.0"', "effective": "2026-01-01", "reviewed": "2026-06-01", "review_interval": "12 months",
        "classification": "internal", "satisfies": "[1.1]", "implements": "[POL-001]", "roles": "[ROLE-OWNER]",
        "requires_records": "[RT-OTHER]",
        "record_types": "\n  - {id: RT-EXAMPLE, title: Plans, owner: ROLE-OWNER, cadence: monthly}",
        "uncovered_clauses": "\n  - {clause: '2', reason: Not yet}",
        "excluded": "\n  - {clause: '1.2', reason: Not applicable}", "github": '"@fernhill/sms"',
        "members": "[dana, '@bob-smith']",
        "summary": "A summary for every reader.", "title_classification": "internal", "uses": "[EXT-001]",
    },
    Where.RECORD_TYPE: {
        # a window belongs to a per-event record type only (on a schedule it is a finding)
        "id": "RT-EXAMPLE", "title": "Plans", "owner": "ROLE-OWNER", "evidences": "[1.1]", "cadence": "per event",
        "window": "12 months", "grace": "30 days", "start": "2026-01-01", "allow_several": "false",
        "early": "not allowed",
        "retain": "6 years",
        "kind": "survey",  # the one kind with a scale
        "fields": "{due: {type: date}}",
        "inputs": "[{key: audit-results, text: Results of audits, since: 2026-01-01, count: audit-reports}]",
        "scale": "1-5",
    },
    Where.JUSTIFICATION: {"clause": "'2'", "reason": "Not yet"},
    Where.RECORD: {
        "id": "REC-001", "type": "record", "title": "Plan", "record_type": "RT-EXAMPLE", "period": "2026-09",
        "produced": "2026-10-05", "produced_by": "A. Person", "classification": "internal",
        "evidence": "[plan.pdf]", "correction": "Date fixed on 2026-10-06 by A. Person", "status": "current",
        "summary": "A summary for every reader.", "title_classification": "internal",
        "measurements": "\n  - {service: SVC-HOSTING, metric: availability, achieved: 99.9}",
    },
    Where.EXTERNAL: {
        "id": "EXT-001", "type": "external", "title": "Hosting SLA", "owner": "ROLE-OWNER",
        "issuer": "Northwind Hosting Ltd", "edition": '"3.1"', "location": "https://contracts.example.org/sla.pdf",
        "status": "approved", "effective": "2026-01-01", "reviewed": "2026-06-01", "review_interval": "12 months",
        "classification": "internal", "summary": "A summary for every reader.", "title_classification": "internal",
    },
    Where.FIELD: {"type": "choice", "required": "true", "values": "[nonconformity, improvement]", "help": "What it is"},
    Where.SERVICE: {
        "id": "SVC-HOSTING", "type": "service", "title": "Managed hosting", "owner": "ROLE-OWNER",
        "status": "approved", "version": '"1.0"', "effective": "2026-01-01", "reviewed": "2026-06-01",
        "review_interval": "12 months", "classification": "internal", "summary": "A summary for every reader.",
        "title_classification": "internal", "agreements": "[EXT-001]",
        "metrics": "{availability: {unit: '%', target: '>= 99.9'}}",
    },
    Where.METRIC: {"unit": "'%'", "target": "'>= 99.9'", "help": "Minutes up over minutes in the month"},
    Where.MEASUREMENT: {"service": "SVC-HOSTING", "metric": "availability", "achieved": "99.95", "target": "'>= 99.5'"},
    Where.SUPPLIER: {
        "id": "SUP-001", "type": "supplier", "title": "Northwind Hosting", "owner": "ROLE-OWNER",
        "status": "approved", "version": '"1.0"', "effective": "2026-01-01", "reviewed": "2026-06-01",
        "review_interval": "12 months", "classification": "internal", "criticality": "critical",
        "contract_start": "2025-01-01", "contract_end": "2027-12-31", "services": "[SVC-HOSTING]",
        "uses": "[EXT-001]", "summary": "A summary for every reader.", "title_classification": "internal",
    },
}  # fmt: skip


def _page(where: Where, values: dict[str, str]) -> str:
    """A front matter with ``values`` in the mapping ``where``, the rest minimal."""
    if where is Where.RECORD_TYPE:
        entry = ", ".join(f"{k}: {v}" for k, v in values.items())
        return _page(Where.DOCUMENT, {**_minimal(Where.DOCUMENT), "record_types": f"\n  - {{{entry}}}"})
    if where is Where.JUSTIFICATION:
        entry = ", ".join(f"{k}: {v}" for k, v in values.items())
        return _page(Where.DOCUMENT, {**_minimal(Where.DOCUMENT), "uncovered_clauses": f"\n  - {{{entry}}}"})
    if where is Where.FIELD:
        # a choice's values are required with it alone (the bad-input corpus tests that): always given here
        entry = ", ".join(f"{k}: {v}" for k, v in {"values": VALUES[where]["values"], **values}.items())
        return _page(Where.RECORD_TYPE, {**_minimal(Where.RECORD_TYPE), "fields": f"{{kind: {{{entry}}}}}"})
    if where is Where.METRIC:
        entry = ", ".join(f"{k}: {v}" for k, v in values.items())
        return _page(Where.SERVICE, {**_minimal(Where.SERVICE), "metrics": f"{{availability: {{{entry}}}}}"})
    if where is Where.MEASUREMENT:
        entry = ", ".join(f"{k}: {v}" for k, v in values.items())
        return _page(Where.RECORD, {**_minimal(Where.RECORD), "measurements": f"\n  - {{{entry}}}"})
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in values.items()) + "---\n\nText.\n"


def _minimal(where: Where) -> dict[str, str]:
    required = (Requirement.REQUIRED, Requirement.UNLESS_DRAFT)
    return {k.name: VALUES[where][k.name] for k in keys_of(where) if k.required in required}


def _messages(text: str) -> list[str]:
    _, findings = metadata.read_governed(frontmatter.parse(text), SOURCE, IdScheme())
    return [f.message for f in findings]


def test_every_key_in_the_table_is_accepted() -> None:
    assert set(VALUES) == {
        Where.DOCUMENT, Where.RECORD_TYPE, Where.JUSTIFICATION, Where.RECORD, Where.EXTERNAL, Where.FIELD,
        Where.SERVICE, Where.METRIC, Where.MEASUREMENT, Where.SUPPLIER,
    }  # fmt: skip
    for where, values in VALUES.items():
        assert list(values) == list(names_of(where)), where
        assert _messages(_page(where, values)) == [], where


@pytest.mark.parametrize(
    ("where", "what"),
    [
        (Where.DOCUMENT, "a governed document's front matter"),
        (Where.RECORD_TYPE, "a record type"),
        (Where.JUSTIFICATION, "an uncovered_clauses entry"),
        (Where.RECORD, "a record's front matter"),
        (Where.EXTERNAL, "the front matter of a document of external origin"),
        (Where.FIELD, "the entry of field 'kind'"),
        (Where.SERVICE, "a service's front matter"),
        (Where.METRIC, "the entry of metric 'availability'"),
        (Where.MEASUREMENT, "a measurement entry"),
        (Where.SUPPLIER, "a supplier's front matter"),
    ],
)
def test_every_key_the_validator_accepts_is_in_the_table(where: Where, what: str) -> None:
    # an unknown key with no near match: the message lists every allowed key
    messages = _messages(_page(where, {**_minimal(where), "zzzz": "1"}))
    assert messages == [f"unknown key 'zzzz' in {what}; allowed keys: {', '.join(sorted(names_of(where)))}"]


@pytest.mark.parametrize("where", list(VALUES))
def test_required_in_the_table_is_what_the_validator_requires(where: Where) -> None:
    assert _messages(_page(where, _minimal(where))) == []
    for key in keys_of(where):
        values = {k: v for k, v in VALUES[where].items() if k != key.name}
        missing = [m for m in _messages(_page(where, values)) if m.startswith("missing required key")]
        expected = 0 if key.required is Requirement.OPTIONAL else 1
        assert len(missing) == expected, (key.name, missing)
        assert all(m.startswith(f"missing required key {key.name!r}") for m in missing), missing
        if key.required is Requirement.UNLESS_DRAFT:
            draft = {**values, "status": "draft"}
            assert [m for m in _messages(_page(where, draft)) if m.startswith("missing required key")] == []


# --- the quoting rule ---------------------------------------------------------------


def test_a_title_with_an_unquoted_colon_says_how_to_quote_it() -> None:
    text = "---\nid: POL-001\ntype: policy\ntitle: Risks: and opportunities\n---\n"
    assert _messages(text) == [
        'front matter is not valid YAML: mapping values are not allowed here (line 4); put the value in quotes: '
        'title: "Risks: and opportunities"'
    ]  # fmt: skip
    # a quote inside the value is escaped in the suggestion, so the suggestion itself is valid
    fm = frontmatter.parse('---\ntitle: The "big": plan\n---\n')
    assert fm.error == (
        2, 'front matter is not valid YAML: mapping values are not allowed here (line 2); put the value in quotes: '
        'title: "The \\"big\\": plan"',
    )  # fmt: skip
    assert frontmatter.parse('---\ntitle: "The \\"big\\": plan"\n---\n').data == {"title": 'The "big": plan'}
    # in a list of a record type entry, the key of the broken line is named
    fm = frontmatter.parse("---\nrecord_types:\n  - title: Risks: and opportunities\n---\n")
    assert fm.error is not None and fm.error[1].endswith('put the value in quotes: title: "Risks: and opportunities"')


def test_the_suggested_quotes_leave_a_comment_out_and_a_flow_entry_gets_the_rule() -> None:
    assert frontmatter.parse("---\ntitle: Risks: and more  # draft title\n---\n").error == (
        2, 'front matter is not valid YAML: mapping values are not allowed here (line 2); put the value in quotes: '
        'title: "Risks: and more"',
    )  # fmt: skip
    fm = frontmatter.parse("---\nrecord_types:\n  - {id: RT-X, title: Risks: x, owner: ROLE-A}\n---\n")
    assert fm.error == (
        3, "front matter is not valid YAML: expected ',' or '}', but got ':' (line 3); put a value that contains "
        '": " in quotes, e.g. {title: "Risks: and opportunities"}',
    )  # fmt: skip


def test_a_title_with_an_unquoted_colon_is_a_finding_on_its_line_in_a_build(tmp_path: Path) -> None:
    page = governed("POL-001", "policy", "Risks: and opportunities")
    result = build(write_handbook(tmp_path / "hb", {"roles/owner.md": role(), "policies/risks.md": page}))
    assert [f for f in result.findings if f[1] == "policies/risks.md"] == [
        ("invalid-metadata", "policies/risks.md", 4, ""),
    ]
    assert [f["message"] for f in result.report["findings"] if f["path"] == "policies/risks.md"] == [
        'front matter is not valid YAML: mapping values are not allowed here (line 4); put the value in quotes: '
        'title: "Risks: and opportunities"'
    ]  # fmt: skip


def test_a_version_like_1_10_stays_text_without_quotes() -> None:
    assert frontmatter.parse("---\nversion: 1.10\n---\n").data == {"version": "1.10"}


# --- the catalogue schema: the table is what the loader accepts and requires ------------

CATALOGUE_VALUES = {
    "standard": "Mini", "title": "A standard", "key": "mini", "id_prefix": "MINI", "notice": "Numbers only.",
    "excludable": "['A.']", "clauses": "\n  - {number: '1', heading: Plans, confirmation: one-source}",
}  # fmt: skip


def _catalogue(tmp_path: Path, values: dict[str, str]) -> Path:
    path = tmp_path / "cat.yaml"
    path.write_text("".join(f"{k}: {v}\n" for k, v in values.items()), encoding="utf-8")
    return path


def test_the_catalogue_loader_accepts_exactly_the_declared_keys(tmp_path: Path) -> None:
    assert list(CATALOGUE_VALUES) == list(names_of(Where.CATALOGUE, CATALOGUE_KEYS))
    loaded = catalogue.load(_catalogue(tmp_path, CATALOGUE_VALUES), "cat.yaml")
    assert (loaded.key, loaded.excludable, loaded.clauses[0].confirmation.value) == ("mini", ("A.",), "one-source")
    with pytest.raises(CatalogueError) as unknown:
        catalogue.load(_catalogue(tmp_path, {**CATALOGUE_VALUES, "zzzz": "1"}), "cat.yaml")
    assert str(unknown.value) == (
        "cat.yaml:9: unknown key 'zzzz' in a catalogue mapping with standard, id_prefix, notice, clauses; "
        "expected standard, title, key, id_prefix, notice, excludable, clauses"
    )
    for key in keys_of(Where.CATALOGUE, CATALOGUE_KEYS):
        values = {k: v for k, v in CATALOGUE_VALUES.items() if k != key.name}
        if key.required is Requirement.OPTIONAL:
            catalogue.load(_catalogue(tmp_path, values), "cat.yaml")
        else:
            with pytest.raises(CatalogueError, match=f"^cat.yaml:1: missing key '{key.name}'$"):
                catalogue.load(_catalogue(tmp_path, values), "cat.yaml")


def test_the_catalogue_loader_accepts_exactly_the_declared_clause_keys(tmp_path: Path) -> None:
    assert names_of(Where.CLAUSE, CATALOGUE_KEYS) == ("number", "heading", "confirmation")
    clause = {"number": "'1'", "heading": "Plans", "confirmation": "confirmed"}
    for key in keys_of(Where.CLAUSE, CATALOGUE_KEYS):
        entry = ", ".join(f"{k}: {v}" for k, v in clause.items() if k != key.name)
        values = {**CATALOGUE_VALUES, "clauses": f"\n  - {{{entry}}}"}
        if key.required is Requirement.OPTIONAL:
            catalogue.load(_catalogue(tmp_path, values), "cat.yaml")
        else:
            with pytest.raises(CatalogueError, match=f"^cat.yaml:8: the clause entry has no {key.name}$"):
                catalogue.load(_catalogue(tmp_path, values), "cat.yaml")
    values = {**CATALOGUE_VALUES, "clauses": "\n  - {number: '1', heading: Plans, zzzz: x}"}
    with pytest.raises(CatalogueError) as unknown:
        catalogue.load(_catalogue(tmp_path, values), "cat.yaml")
    assert str(unknown.value) == (
        "cat.yaml:8: unknown key 'zzzz' in a clause entry with number, heading and confirmation; "
        "expected number, heading, confirmation"
    )


def test_every_front_matter_key_is_declared_once_per_mapping() -> None:
    for table in (FRONT_MATTER_KEYS, CATALOGUE_KEYS):
        pairs = [(k.where, k.name) for k in table]
        assert len(pairs) == len(set(pairs))
