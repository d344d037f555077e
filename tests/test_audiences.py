"""Audiences: a build is for one audience, and nothing of a page it may not read
leaves the build; the auditor's build has all of it. Real Sphinx builds of small
handbooks in temporary git repositories, today pinned to 2026-11-23."""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import os
import re
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from clausewise.core.findings import CODES, Code
from clausewise.core.settings import ClausewiseConfig, SettingError
from handbook import Build, build, commit, governed, record, role, run_clausewise, write_handbook

CONF = """\
clausewise_sms_start = "2026-07-01"
exclude_patterns = ["_build", "_fragments"]
"""

#: One marker per confidential thing; none may be in the staff build, all in the auditor's.
#: One word each, ending in digits, so that the search index keeps it whole (unstemmed, lower case).
MARKERS = {
    "policy body": "QZXPOLICYBODY7731",
    "policy fragment": "QZXPOLICYFRAGMENT2204",
    "policy literalinclude": "QZXPOLICYLITERAL9918",
    "procedure body": "QZXPROCEDUREBODY4410",
    "record body": "QZXRECORDBODY5562",
    "record fragment": "QZXRECORDFRAGMENT8124",
    "hidden title": "QZXHIDDENTITLE3307",
    "hidden title record body": "QZXHIDDENBODY6650",
    "hidden document title": "QZXMERGERTITLE1234",
}
SUMMARY = "Every supplier met its targets this quarter."


def procedure(**overrides: str) -> str:
    return governed(
        "PRC-001", "procedure", "Supplier reviews", satisfies="[1.1, 1.2]",
        body=f"# Steps\n\nConfidential steps {MARKERS['procedure body']}.\n", **overrides,
    ).replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REVIEW\n    title: Supplier review\n"
        "    owner: ROLE-OWNER\n    evidences: [1.2]\n    cadence: quarterly\n",
    )  # fmt: skip


def confidential_record(period: str, body: str, **overrides: str) -> str:
    text = record(f"REC-REVIEW-{period}", "RT-REVIEW", period, classification="confidential", **overrides)
    return text.replace("Record text.", body)


def leak_handbook(root: Path, conf: str = "") -> Path:
    policy_body = (
        f"Our confidential policy {MARKERS['policy body']}.\n\n"
        "```{include} ../_fragments/policy-part.md\n```\n\n"
        "```{literalinclude} data/policy-table.txt\n```\n"
    )
    record_body = (
        # (from the handbook's folder: MyST resolves an include in an included file from the page
        # being read, and public pages include this record)
        f"Scores of the review {MARKERS['record body']}.\n\n```{{include}} /_fragments/record-part.md\n```\n"
    )
    files = {
        "roles/owner.md": role(),
        "policies/secret.md": governed(
            "POL-001", "policy", "Supplier policy", classification="confidential", body=policy_body
        ),
        "policies/merger.md": governed(
            "POL-002",
            "policy",
            f"Merger plan {MARKERS['hidden document title']}",
            classification="internal",
            title_classification="confidential",
            satisfies="[1.2]",
        ),
        "policies/data/policy-table.txt": f"row 1 {MARKERS['policy literalinclude']}\n",
        "_fragments/policy-part.md": f"A part kept apart {MARKERS['policy fragment']}.\n",
        "_fragments/record-part.md": f"Appendix {MARKERS['record fragment']}.\n",
        "procedures/reviews.md": procedure(classification="confidential"),
        "records/review/2026-Q3.md": confidential_record(
            "2026-Q3", record_body, summary=json.dumps(SUMMARY), evidence="[https://dms.example/reviews/q3]"
        ),
        "records/review/2026-Q3b.md": confidential_record(
            "2026-Q3",
            f"Termination notes {MARKERS['hidden title record body']}.",
            id="REC-REVIEW-2026-Q3-B",
            title=f"Termination of Acme {MARKERS['hidden title']}",
            title_classification="confidential",
        ),
        # public pages that include a confidential record's file, as Markdown and as literal text
        "pages/public.md": (
            "# Public page\n\nBefore.\n\n```{include} ../records/review/2026-Q3.md\n```\n\n"
            "```{literalinclude} ../records/review/2026-Q3b.md\n```\n\nAfter.\n"
        ),
        "pages/register.md": "# Records\n\n```{record-register}\n```\n",
        "pages/documents.md": "# Procedures\n\n```{governed-documents}\n:type: procedure\n```\n",
    }
    return write_handbook(root, files, CONF + conf)


def every_byte(outdir: Path) -> dict[str, bytes]:
    """Every file under ``outdir``, with compressed files (``.gz``, ``.zip``, ``.xlsx``, ``objects.inv``)
    opened and HTML also as text: path (``archive!member`` inside one) -> its bytes."""
    out: dict[str, bytes] = {}
    for path in sorted(p for p in outdir.rglob("*") if p.is_file()):
        name, data = path.relative_to(outdir).as_posix(), path.read_bytes()
        out[name] = data
        if path.suffix == ".html":
            # a highlighted literal block splits a word into tags: search the text too
            out[name + "!text"] = html.unescape(re.sub(r"<[^>]+>", "", data.decode())).encode()
        elif path.suffix == ".gz":
            out[name + "!"] = gzip.decompress(data)
        elif path.name == "objects.inv":
            # Sphinx's inventory: four lines of header, then the names and titles zlib-compressed
            header = b"".join(data.splitlines(keepends=True)[:4])
            out[name + "!"] = zlib.decompress(data[len(header) :])
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    out[f"{name}!{member}"] = archive.read(member)
    return out


def hits(files: dict[str, bytes], marker: str) -> list[str]:
    needle = marker.encode()
    # also as Sphinx's search index and JSON may write it: lower case, or escaped
    return sorted(name for name, data in files.items() if needle in data or needle.lower() in data)


def auditor(root: Path) -> Build:
    return build(root, overrides={"clausewise_audience": "auditor"}, outdir=root / "_build" / "auditor")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    """The staff build and the auditor's, one after the other into the same
    doctrees: switching audience must not reuse a page read for the other."""
    root = leak_handbook(tmp_path_factory.mktemp("leak") / "hb")
    staff = build(root)
    return staff, auditor(root)


def test_nothing_confidential_leaves_the_staff_build_and_all_is_in_the_auditors(builds: tuple[Build, Build]) -> None:
    staff, audit = builds
    assert not staff.outdir.joinpath(".doctrees").exists()
    staff_files, audit_files = every_byte(staff.outdir), every_byte(audit.outdir)
    assert "clausewise/clausewise.xlsx!xl/worksheets/sheet1.xml" in staff_files  # the scan opens archives
    assert "searchindex.js" in staff_files and "clausewise/needs.json" in staff_files
    assert (
        b"records/review/2026-Q3b std:doc -1 records/review/2026-Q3b.html REC-REVIEW-2026-Q3-B"
        in (staff_files["objects.inv!"])
    )
    assert {what: hits(staff_files, marker) for what, marker in MARKERS.items()} == {what: [] for what in MARKERS}
    for what, marker in MARKERS.items():
        assert hits(audit_files, marker), f"the auditor's build lacks the {what}"
    # the auditor's build has each confidential page's source and its text in the search index
    assert (audit.outdir / "_sources/records/review/2026-Q3.md.txt").is_file()
    assert MARKERS["record body"].lower().encode() in audit_files["searchindex.js"].lower()
    assert not (staff.outdir / "_sources/records/review/2026-Q3.md.txt").exists()
    assert not (staff.outdir / "_sources/policies/secret.md.txt").exists()
    assert (staff.outdir / "_sources/pages/public.md.txt").is_file()  # a public page keeps its source


def test_a_withheld_page_shows_its_metadata_summary_and_why(builds: tuple[Build, Build]) -> None:
    staff, audit = builds
    text = staff.page_text("records/review/2026-Q3")
    assert (
        "Record 2026-Q3 ¶ Record REC-REVIEW-2026-Q3 Record type RT-REVIEW Period covered 2026-Q3 "
        "Produced on 2026-10-05 Produced by A. Person Classification confidential "
        "Evidence https://dms.example/reviews/q3 Content withheld from this build "
        "This build is for the audience staff, which reads pages classified "
        "public, internal. This record is classified confidential: its metadata is shown here, its content only "
        f"in the build for auditor. {SUMMARY} Revision history ¶"
    ) in text, text
    assert 'href="_sources' not in staff.page_html("records/review/2026-Q3")
    assert "Page source" not in staff.page_html("records/review/2026-Q3")
    # the auditor reads the record, not the summary written for the others
    shown = audit.page_text("records/review/2026-Q3")
    assert MARKERS["record body"] in shown and SUMMARY not in shown and "withheld" not in shown
    assert "Page source" in audit.page_html("records/review/2026-Q3")
    policy = staff.page_text("policies/secret")
    assert "This document is classified confidential" in policy and "Supplier policy" in policy
    # another page's {include} and {literalinclude} of a withheld page show a notice instead
    public = staff.page_text("pages/public")
    assert (
        "Public page ¶ Before. Content withheld: records/review/2026-Q3.md is a page the audience staff of this "
        "build may not read. Content withheld: records/review/2026-Q3b.md is a page the audience staff of this "
        "build may not read. After."
    ) in public
    assert MARKERS["record body"] in audit.page_text("pages/public")


def test_title_classification_hides_the_title_everywhere(builds: tuple[Build, Build]) -> None:
    staff, audit = builds
    page = staff.page_text("records/review/2026-Q3b")
    assert page.startswith("REC-REVIEW-2026-Q3-B — Test handbook documentation REC-REVIEW-2026-Q3-B ¶ Record ")
    assert "its title classified confidential" in page
    assert "<title>REC-REVIEW-2026-Q3-B" in staff.page_html("records/review/2026-Q3b")
    needs = json.loads((staff.outdir / "clausewise" / "needs.json").read_text())
    staff_needs = next(iter(needs["versions"].values()))["needs"]
    assert staff_needs["REC-REVIEW-2026-Q3-B"]["title"] == "REC-REVIEW-2026-Q3-B"
    assert staff_needs["REC-REVIEW-2026-Q3"]["title"] == "Record 2026-Q3"  # a title is metadata unless classified
    needs = json.loads((audit.outdir / "clausewise" / "needs.json").read_text())
    audit_title = next(iter(needs["versions"].values()))["needs"]["REC-REVIEW-2026-Q3-B"]["title"]
    assert audit_title == f"Termination of Acme {MARKERS['hidden title']}"
    # a document's title: the id stands in for it in the navigation, the matrix, the lists and the exports
    assert "POL-002" in staff.page_text("pages/clauses").split("Navigation")[1]
    assert "months exists POL-002 POL-002 — version 1.0, approved, Owner PRC-001 " in staff.page_text("pages/matrix")
    book = openpyxl.load_workbook(staff.outdir / "clausewise" / "clausewise.xlsx")
    documents = {row[0]: row[2] for row in book["Documents"].iter_rows(values_only=True)}
    assert documents["POL-002"] == "POL-002" and documents["POL-001"] == "Supplier policy"
    audit_book = openpyxl.load_workbook(audit.outdir / "clausewise" / "clausewise.xlsx")
    documents = {row[0]: row[2] for row in audit_book["Documents"].iter_rows(values_only=True)}
    assert documents["POL-002"] == f"Merger plan {MARKERS['hidden document title']}"
    # its body is withheld too, though the audience reads its classification (internal)
    assert "Content withheld from this build" in staff.page_text("policies/merger")
    assert "Content withheld" not in audit.page_text("policies/merger")


def test_coverage_and_schedules_are_the_same_for_every_audience(builds: tuple[Build, Build]) -> None:
    staff, audit = builds
    assert (
        staff.findings
        == audit.findings
        == [
            ("record-duplicate", "records/review/2026-Q3b.md", 6, "REC-REVIEW-2026-Q3-B"),
        ]
    )

    def matrix(b: Build) -> list[list[str]]:
        """matrix.csv without the column of titles (a title may be withheld)."""
        rows = list(csv.reader(io.StringIO((b.outdir / "clausewise" / "matrix.csv").read_text())))
        return [row[:5] + row[6:] for row in rows]

    assert matrix(staff) == matrix(audit)
    assert [row[:3] for row in matrix(staff)[1:]] == [
        ["1", "Planning", "covered"], ["1.1", "Plans", "covered"], ["1.2", "Objectives", "covered"],
        ["2", "Operation", "covered"],
    ]  # fmt: skip
    assert (
        '"1.2","Objectives","covered","no","POL-002; PRC-001","POL-002; Supplier reviews","RT-REVIEW"'
        in (staff.outdir / "clausewise" / "matrix.csv").read_text()
    )

    def records(b: Build) -> list[tuple[object, ...]]:
        book = openpyxl.load_workbook(b.outdir / "clausewise" / "clausewise.xlsx")
        return list(book["Records"].iter_rows(values_only=True))

    assert records(staff) == records(audit)
    assert records(staff)[1:] == [
        ("RT-REVIEW", "Supplier review", "ROLE-OWNER", "2026-Q3", "present", "2026-10-30",
         "REC-REVIEW-2026-Q3; REC-REVIEW-2026-Q3-B", "2026-10-05; 2026-10-05"),
        ("RT-REVIEW", "Supplier review", "ROLE-OWNER", "2026-Q4", "open", "2027-01-30", None, None),
    ]  # fmt: skip


def test_a_staff_audit_pack_has_nothing_confidential_and_the_default_pack_is_the_auditors(
    builds: tuple[Build, Build], tmp_path: Path
) -> None:
    root = builds[0].srcdir
    staff_pack, audit_pack = tmp_path / "staff.zip", tmp_path / "audit.zip"
    done = run_clausewise("--handbook", root, "audit-pack", "--audience", "staff", "--out", staff_pack,
                          today="2026-11-23")  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = run_clausewise("--handbook", root, "audit-pack", "--out", audit_pack, today="2026-11-23")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(staff_pack) as pack:
        staff_manifest = json.loads(pack.read("manifest.json"))
        members = {name: pack.read(name) for name in pack.namelist()}
    assert (staff_manifest["audience"], staff_manifest["classifications"]) == ("staff", ["public", "internal"])
    assert {what: hits(members, marker) for what, marker in MARKERS.items()} == {what: [] for what in MARKERS}
    with zipfile.ZipFile(audit_pack) as pack:
        manifest = json.loads(pack.read("manifest.json"))
        members = {name: pack.read(name) for name in pack.namelist()}
    assert (manifest["audience"], manifest["classifications"]) == ("auditor", ["public", "internal", "confidential"])
    assert all(hits(members, marker) for marker in MARKERS.values())
    bad = run_clausewise("--handbook", root, "audit-pack", "--audience", "board", today="2026-11-23")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "clausewise: --audience is 'board'; expected one of the audiences of clausewise_audiences: 'staff', 'auditor'"
    )


# --- the settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "environ", "message"),
    [
        ({"clausewise_audience": "boss"}, {},
         "conf.py or -D: clausewise_audience is 'boss'; expected one of the audiences of clausewise_audiences: "
         "'staff', 'auditor'"),
        ({}, {"CLAUSEWISE_AUDIENCE": "boss"},
         "environment variable CLAUSEWISE_AUDIENCE is 'boss'; expected one of the audiences of "
         "clausewise_audiences: 'staff', 'auditor'"),
        ({"clausewise_audience": ""}, {},
         "conf.py: clausewise_audience is ''; expected the name of an audience in quotes, e.g. 'staff'"),
        ({"clausewise_audiences": {}}, {},
         "conf.py: clausewise_audiences is {}; expected a dict of each audience to the classifications it may "
         "read, e.g. {'staff': ['public', 'internal'], 'auditor': ['public', 'internal', 'confidential']}"),
        ({"clausewise_audiences": ["staff"]}, {},
         "conf.py: clausewise_audiences is ['staff']; expected a dict of each audience to the classifications it "
         "may read, e.g. {'staff': ['public', 'internal'], 'auditor': ['public', 'internal', 'confidential']}"),
        ({"clausewise_audiences": {"staff": []}}, {},
         "conf.py: clausewise_audiences['staff'] is []; expected a non-empty list of classification levels, each "
         "a name of letters, digits, '-' and '_', e.g. ['public', 'internal']"),
        ({"clausewise_audiences": {"staff": "internal"}}, {},
         "conf.py: clausewise_audiences['staff'] is 'internal'; expected a non-empty list of classification "
         "levels, each a name of letters, digits, '-' and '_', e.g. ['public', 'internal']"),
        ({"clausewise_audiences": {"staff": ["public", ""]}}, {},
         "conf.py: clausewise_audiences['staff'] is ['public', '']; expected a non-empty list of classification "
         "levels, each a name of letters, digits, '-' and '_', e.g. ['public', 'internal']"),
        ({"clausewise_audiences": {"all staff": ["public"]}}, {},
         "conf.py: clausewise_audiences names the audience 'all staff'; an audience is a name of letters, "
         "digits, '-' and '_', e.g. 'staff'"),
        ({"clausewise_audiences": {"staff": ["public", "public"]}}, {},
         "conf.py: clausewise_audiences['staff'] lists 'public' twice; list each once"),
        ({"clausewise_audiences": {"auditor": ["public", "confidential"]}}, {},
         "conf.py or -D: clausewise_audience is 'staff'; expected one of the audiences of clausewise_audiences: "
         "'auditor'"),
    ],
)  # fmt: skip
def test_a_bad_audience_setting_is_one_clear_sentence(
    values: dict[str, object], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values(values, environ=environ)
    assert str(caught.value) == message


def test_levels_follow_the_audiences() -> None:
    cfg = ClausewiseConfig.from_values({}, environ={})
    assert (cfg.audience, cfg.classification_levels, cfg.readable_levels) == (
        "staff", ("public", "internal", "confidential"), ("public", "internal"),
    )  # fmt: skip
    assert [cfg.may_read(level) for level in ("public", "internal", "confidential", "secret", None)] == [
        True, True, False, False, False,
    ]  # fmt: skip
    cfg = ClausewiseConfig.from_values(
        {"clausewise_audiences": ORG_AUDIENCES}, environ={"CLAUSEWISE_AUDIENCE": "management"}
    )
    assert (cfg.audience, cfg.classification_levels) == (
        "management",
        ("public", "internal", "restricted", "confidential"),
    )
    assert cfg.may_read("restricted") and not cfg.may_read("confidential")


def test_a_build_for_an_unknown_audience_stops_in_one_line(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role()})
    for args, env in (
        (["-D", "clausewise_audience=boss"], {}),
        ([], {"CLAUSEWISE_AUDIENCE": "boss"}),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(tmp_path / "dt"), *args, str(root),
             str(tmp_path / "out")],
            capture_output=True, text=True, check=False, env={**os.environ, **env},
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        where = "conf.py or -D: clausewise_audience" if args else "environment variable CLAUSEWISE_AUDIENCE"
        assert done.stderr.strip().splitlines() == [
            f"ERROR: clausewise: {where} is 'boss'; expected one of the audiences of clausewise_audiences: "
            "'staff', 'auditor' [clausewise.config]"
        ]


# --- an organisation's own levels and audiences -------------------------------------------

ORG_AUDIENCES = {
    "staff": ["public", "internal"],
    "management": ["public", "internal", "restricted"],
    "auditor": ["public", "internal", "restricted", "confidential"],
}


def test_an_organisation_adds_a_level_and_an_audience(tmp_path: Path) -> None:
    conf = f"clausewise_audiences = {ORG_AUDIENCES!r}\n"
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "policies/pay.md": governed(
                "POL-001",
                "policy",
                "Pay policy",
                classification="restricted",
                satisfies="[1.1, 1.2]",
                body="Salary bands QZXPAY4411.\n",
            ),
            "policies/typo.md": governed(
                "POL-002", "policy", "Typo policy", classification="secret", body="Hidden QZXTYPO5120.\n"
            ),
            "policies/title-typo.md": governed(
                "POL-003",
                "policy",
                "Title typo QZXTITLE7001",
                title_classification="topsecret",
                body="Hidden QZXTYPO7002.\n",
            ),
        },
        conf,
    )
    staff = build(root)
    management = build(root, overrides={"clausewise_audience": "management"}, outdir=root / "_build" / "mgmt")
    assert (
        staff.findings
        == management.findings
        == [
            ("invalid-metadata", "policies/title-typo.md", 12, "POL-003"),
            ("invalid-metadata", "policies/typo.md", 10, "POL-002"),
        ]
    )
    assert [f["message"] for f in staff.report["findings"]] == [
        "title_classification: 'topsecret' is not allowed; expected one of public, internal, restricted, confidential",
        "classification: 'secret' is not allowed; expected one of public, internal, restricted, confidential",
    ]
    for b in (staff, management):
        text = b.page_text("policies/title-typo")
        assert "QZXTYPO7002" not in text and "QZXTITLE7001" not in text
        assert "The document in policies/title-typo.md has no valid title_classification" in text
        assert "POL-003 ¶" in text
    assert "QZXPAY4411" not in staff.page_text("policies/pay")
    assert (
        "This document is classified restricted: its metadata is shown here, its content only in the build "
        "for management, auditor." in staff.page_text("policies/pay")
    )
    assert "QZXPAY4411" in management.page_text("policies/pay")
    # a level that does not exist is read by no audience: withheld until it is fixed
    for b in (staff, management):
        text = b.page_text("policies/typo")
        assert "QZXTYPO5120" not in text
        assert "The document in policies/typo.md has no valid classification" in text
    needs = json.loads((management.outdir / "needs.json").read_text())
    assert next(iter(needs["versions"].values()))["needs"]["POL-001"]["classification"] == "restricted"
    # clausewise new takes the handbook's levels
    made = run_clausewise("--handbook", root, "new", "policy", "--title", "Bonus policy", "--owner", "ROLE-OWNER",
                          "--classification", "restricted", today="2026-11-23")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "classification: restricted\n" in (root / "policies" / "bonus-policy.md").read_text()
    refused = run_clausewise("--handbook", root, "new", "policy", "--title", "Other", "--owner", "ROLE-OWNER",
                             "--classification", "secret", today="2026-11-23")  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "clausewise: --classification 'secret' is not allowed; expected one of public, internal, restricted, "
        "confidential (the levels the handbook's clausewise_audiences names)"
    )


def test_one_output_folder_holds_one_audience_and_no_stale_copy(tmp_path: Path) -> None:
    page = "policies/plan.md"
    root = write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(), page: governed("POL-001", "policy", "Plan", body="Plan text QZXPLAN8080.\n")},
    )
    first = build(root)
    assert (first.outdir / "_sources" / f"{page}.txt").is_file()
    # the page is classified confidential later: the staff build drops the copy it made before
    classified = governed("POL-001", "policy", "Plan", classification="confidential", body="Plan text QZXPLAN8080.\n")
    commit(root, "Classify the plan", "2026-08-01T09:00:00+00:00", {page: classified})
    again = build(root)
    assert not (again.outdir / "_sources" / f"{page}.txt").exists()
    # nor do its words stay in the search index, where Sphinx keeps them from the earlier build without a page
    assert hits(every_byte(again.outdir), "QZXPLAN8080") == []
    assert (again.outdir / ".clausewise-audience").read_text() == "staff\n"
    # an auditor's build into the staff build's folder is refused before it writes anything
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(tmp_path / "dt"),
         "-D", "clausewise_audience=auditor", "-D", "clausewise_today=2026-11-23", str(root), str(again.outdir)],
        capture_output=True, text=True, check=False, cwd=root,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "ERROR: clausewise: _build/html holds a build for the audience 'staff'; building for 'auditor' into it "
        "would leave that build's files behind: build into another folder, or delete this one first "
        "[clausewise.config]"
    ]
    assert hits(every_byte(again.outdir), "QZXPLAN8080") == []


def test_a_withheld_pages_title_and_summary_are_text_and_check_agrees(tmp_path: Path) -> None:
    """What the staff build shows of a confidential page is text: its title and its summary
    cannot carry HTML, a directive or an include; and `clausewise check` reports what the build does."""
    from datetime import date

    from clausewise.cli.findings import check_findings

    title = '"<img src=x onerror=alert(1)> *big*"'
    summary = '"<script>alert(2)</script>\\n\\n```{include} /etc/hostname\\n```\\n"'
    files = {
        "roles/owner.md": role(),
        "policies/secret.md": governed(
            "POL-001", "policy", title, classification="confidential", summary=summary,
            body="<b>bold</b> in the body\n",
        ),
    }  # fmt: skip
    root = write_handbook(tmp_path / "hb", files, CONF)
    staff = build(root, fresh=True)
    html_page = staff.page_html("policies/secret")
    assert "<img src=x" not in html_page and "<script>alert" not in html_page and "<em>big" not in html_page
    text = staff.page_text("policies/secret")
    assert text.startswith("<img src=x onerror=alert(1)> *big* — Test handbook documentation"), text  # as text
    assert "<script>alert(2)</script> ```{include} /etc/hostname ```" in text, text
    # the same findings as `clausewise check` and the auditor's build, at the same place; the staff
    # build's message does not quote the withheld body
    report, _ = check_findings(root, date(2026, 11, 23))
    audit = auditor(root)
    where = [(f["code"], f["path"], f["line"], f["id"]) for f in report["findings"]]
    assert where == [(f["code"], f["path"], f["line"], f["id"]) for f in staff.report["findings"]]
    assert where == [(f["code"], f["path"], f["line"], f["id"]) for f in audit.report["findings"]]
    assert ("raw-html", "policies/secret.md", 15, "POL-001") in where
    raw = [f["message"] for f in staff.report["findings"] if f["code"] == "raw-html"]
    withheld = (
        "Not quoted here: the page is withheld from the build for the audience 'staff'; 'clausewise check', or the "
        "build for an audience that may read the page, says what and where"
    )
    assert raw == [f"{CODES[Code.RAW_HTML].description} {withheld}"] * 2
    assert "<b>" in " ".join(f["message"] for f in audit.report["findings"])
    assert "<b>" not in (staff.outdir / "clausewise" / "findings.json").read_text()


#: A page of its own for each route by which a page may read or copy another file, each
#: naming the withheld policy's file: {include} with its options, rST includes (with a
#: parser too), {literalinclude} (and its diff), csv-table and raw with a file, images,
#: figures and downloads (which Sphinx copies to _images/ and _downloads/).
ROUTES = {
    "include-literal": "```{include} ../policies/secret.md\n:literal:\n```\n",
    "include-code": "```{include} ../policies/secret.md\n:code: md\n```\n",
    "include-start-after": "```{include} ../policies/secret.md\n:start-after: policy\n```\n",
    "rst-include-parser": "```{eval-rst}\n.. include:: ../policies/secret.md\n   :parser: rst\n```\n",
    "rst-include-myst": "```{eval-rst}\n.. include:: ../policies/secret.md\n   :parser: myst_parser.sphinx_\n```\n",
    "rst-include-literal": "```{eval-rst}\n.. include:: ../policies/secret.md\n   :literal:\n```\n",
    "literalinclude-lines": "```{literalinclude} .//../policies/./secret.md\n:lines: 12-20\n```\n",
    "literalinclude-diff": "```{literalinclude} route-literalinclude-diff.md\n:diff: ../policies/secret.md\n```\n",
    "csv-table": "```{csv-table}\n:file: ../policies/secret.md\n```\n",
    "rst-csv-table": "```{eval-rst}\n.. csv-table::\n   :file: ../policies/secret.md\n```\n",
    "raw": "```{raw} html\n:file: ../policies/secret.md\n```\n",
    "image": "![a picture](../policies/secret.md)\n",
    "figure": "```{figure} /policies/secret.md\n```\n",
    "download": "Get {download}`the policy <../policies/secret.md>` here.\n",
    "linked-file": "[the policy](path:../policies/secret.md)\n",
}


@pytest.mark.parametrize("safe_mode", [True, False])
def test_no_route_from_another_page_reads_a_withheld_pages_file(tmp_path: Path, safe_mode: bool) -> None:
    root = leak_handbook(tmp_path / "hb", conf=f"clausewise_safe_mode = {safe_mode}\n")
    commit(root, "Pages that show the policy's file", "2026-07-02T09:00:00+00:00", {
        f"pages/route-{name}.md": f"# Route {name}\n\n{text}" for name, text in ROUTES.items()
    })  # fmt: skip
    staff, audit = build(root), auditor(root)
    staff_files = every_byte(staff.outdir)
    withheld = ("policy body", "policy fragment", "policy literalinclude")
    assert {what: hits(staff_files, MARKERS[what]) for what in withheld} == {what: [] for what in withheld}
    assert not any(name.endswith("secret.md") for name in staff_files), sorted(staff_files)
    notice = "Content withheld: policies/secret.md is a page the audience staff of this build may not read."
    shown = {name: staff.page_text(f"pages/route-{name}").count(notice) for name in ROUTES}
    assert shown == dict.fromkeys(ROUTES, 1)
    # the auditor's build shows the policy by each route that reads it (raw HTML is text in safe mode)
    audit_hits = hits(every_byte(audit.outdir), MARKERS["policy body"])
    copied = {"download": "_downloads/", "image": "_images/secret.md", "figure": "_images/secret.md"}
    for name in ROUTES:
        if name == "linked-file":
            continue  # a page's file named as a link is a link to the page
        where = copied.get(name, f"pages/route-{name}.html")
        if name == "raw" and not safe_mode:
            where = "pages/route-raw.html"
        assert any(h.startswith(where) for h in audit_hits), (name, audit_hits)
    # the same findings in both builds: the raw directive's file is raw HTML in both
    assert staff.findings == audit.findings
    raw_html = [("raw-html", "pages/route-raw.md", 3, "")] if safe_mode else []
    assert [f for f in staff.findings if f[1].startswith("pages/")] == raw_html


def test_a_page_that_is_not_governed_is_withheld_by_its_classification(tmp_path: Path) -> None:
    """Any page may say who may read it: a page outside the governed folders (minutes, notes)
    with ``classification:`` is withheld as a governed page is, though it has no other metadata."""
    notes = "---\nclassification: confidential\n---\n# Board notes\n\nThe bid QZXNOTES5151.\n"
    files = {
        "roles/owner.md": role(),
        "policies/plan.md": governed("POL-001", "policy", "Plan", satisfies="[1.1, 1.2]"),
        "pages/notes.md": notes,
        "pages/hidden.md": "---\nclassification: internal\ntitle_classification: confidential\n---\n"
        "# Bid for QZXBIDTITLE6262\n\nText.\n",
        "pages/open.md": "---\nclassification: internal\n---\n# Open notes\n\nShared QZXOPEN7373.\n",
        "pages/quoting.md": "# Quoting\n\n```{include} notes.md\n```\n",
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    staff = build(root)
    staff_files = every_byte(staff.outdir)
    assert hits(staff_files, "QZXNOTES5151") == [] and hits(staff_files, "QZXBIDTITLE6262") == []
    assert "_sources/pages/notes.md.txt" not in staff_files and "_sources/pages/open.md.txt" in staff_files
    assert (
        "documentation Board notes ¶ Content withheld: pages/notes.md is a page the audience staff of this build "
        "may not read. Test handbook Navigation"
    ) in staff.page_text("pages/notes")
    assert "documentation hidden ¶ Content withheld: pages/hidden.md " in staff.page_text("pages/hidden")
    assert "Content withheld: pages/notes.md" in staff.page_text("pages/quoting")
    assert "Shared QZXOPEN7373" in staff.page_text("pages/open")
    audit = auditor(root)
    audit_files = every_byte(audit.outdir)
    assert "The bid QZXNOTES5151" in audit.page_text("pages/notes") and hits(audit_files, "QZXBIDTITLE6262")
    assert "The bid QZXNOTES5151" in audit.page_text("pages/quoting")
    assert staff.findings == audit.findings == []


def test_an_organisation_may_withhold_where_a_withheld_records_evidence_is(tmp_path: Path) -> None:
    root = leak_handbook(tmp_path / "hb", conf="clausewise_withheld_evidence = False\n")
    staff, audit = build(root), auditor(root)
    assert hits(every_byte(staff.outdir), "dms.example/reviews/q3") == []
    assert (
        "Produced by A. Person Classification confidential Evidence withheld from this build Content withheld"
    ) in staff.page_text("records/review/2026-Q3")
    assert "Evidence https://dms.example/reviews/q3" in audit.page_text("records/review/2026-Q3")
    assert staff.findings == audit.findings


def test_a_historical_view_is_for_the_audience_the_command_names(tmp_path: Path) -> None:
    root = leak_handbook(tmp_path / "hb")
    env_auditor = {**os.environ, "CLAUSEWISE_AUDIENCE": "auditor"}
    # the shell's variable does not choose the audience: the command's --audience does (staff unless told)
    staff = subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "--handbook", str(root), "as-of", "2026-11-23",
         "--out", str(tmp_path / "staff")],
        capture_output=True, text=True, check=False, env=env_auditor,
    )  # fmt: skip
    assert staff.returncode == 0, staff.stderr
    staff_files = every_byte(tmp_path / "staff")
    assert {what: hits(staff_files, marker) for what, marker in MARKERS.items()} == {what: [] for what in MARKERS}
    assert (tmp_path / "staff" / ".clausewise-audience").read_text() == "staff\n"
    done = run_clausewise("--handbook", root, "as-of", "2026-11-23", "--audience", "auditor",
                          "--out", tmp_path / "audit")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert all(hits(every_byte(tmp_path / "audit"), marker) for marker in MARKERS.values())
    bad = run_clausewise("--handbook", root, "as-of", "2026-11-23", "--audience", "board")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "clausewise: --audience is 'board'; expected one of the audiences of clausewise_audiences: 'staff', 'auditor'"
    )


def test_no_page_shows_what_another_build_wrote_into_the_handbooks_folder(tmp_path: Path) -> None:
    """`nox -s docs-auditor` writes the auditor's build and its doctrees into _build/ inside the
    handbook's folder; a staff build after it must not show that build's copies of a confidential
    page (its _sources/ copy, its HTML, its pickled doctree, its exports) to a page that names them."""
    root = leak_handbook(tmp_path / "hb")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", "_build/doctrees-auditor", ".", "_build/auditor",
         "-D", "clausewise_today=2026-11-23"],
        capture_output=True, text=True, check=False, cwd=root, env={**os.environ, "CLAUSEWISE_AUDIENCE": "auditor"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (root / "_build/auditor/_sources/records/review/2026-Q3.md.txt").is_file()
    routes = (
        "```{include} /_build/auditor/_sources/records/review/2026-Q3.md.txt\n```\n\n"
        "```{literalinclude} /_build/auditor/records/review/2026-Q3.html\n```\n\n"
        "```{literalinclude} /_build/doctrees-auditor/records/review/2026-Q3.doctree\n:encoding: latin-1\n```\n\n"
        "```{csv-table}\n:file: ../_build/auditor/clausewise/matrix.csv\n```\n\n"
        "![chart](/_build/auditor/_sources/policies/secret.md.txt)\n"
    )
    commit(root, "A page that shows the other build", "2026-07-02T09:00:00+00:00",
           {"pages/copies.md": f"# Copies\n\n{routes}"})  # fmt: skip
    staff = build(root)
    staff_files = every_byte(staff.outdir)
    assert {what: hits(staff_files, marker) for what, marker in MARKERS.items()} == {what: [] for what in MARKERS}
    text = staff.page_text("pages/copies")
    assert text.count("is what a build wrote, which no page shows") == 5, text
    assert "Content withheld: _build/auditor/clausewise/matrix.csv is what a build wrote" in text
    assert staff.findings == [("record-duplicate", "records/review/2026-Q3b.md", 6, "REC-REVIEW-2026-Q3-B")]


def test_a_page_whose_front_matter_cannot_be_read_but_names_a_level_is_withheld(tmp_path: Path) -> None:
    """Closed when in doubt: broken YAML that names a classification withholds the page from
    every audience, with a finding, in the build and in `clausewise check`."""
    from datetime import date

    from clausewise.cli.findings import check_findings

    files = {
        "roles/owner.md": role(),
        "policies/plan.md": governed("POL-001", "policy", "Plan", satisfies="[1.1, 1.2]"),
        "pages/broken.md": "---\nclassification: confidential\ntitle: a: b: c\n---\n# Notes\n\nSecret QZXBROKEN8181.\n",
        "pages/unclosed.md": "---\nclassification: confidential\n\n# Notes\n\nSecret QZXUNCLOSED9191.\n",
        "pages/plain.md": "---\ntitle: a: b: c\n---\n# Plain\n\nShared QZXPLAIN1212.\n",
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    staff, audit = build(root), auditor(root)
    for built in (staff, audit):
        found = every_byte(built.outdir)
        assert hits(found, "QZXBROKEN8181") == [] and hits(found, "QZXUNCLOSED9191") == []
        assert hits(found, "QZXPLAIN1212")  # names no level: published as before
    assert [(f["code"], f["path"], f["line"]) for f in staff.report["findings"]] == [
        ("invalid-metadata", "pages/broken.md", 3),
        ("invalid-metadata", "pages/unclosed.md", 1),
    ]
    assert staff.report["findings"][1]["message"] == (
        "the front matter opened by '---' on line 1 is never closed; add a line '---' after its last key; the "
        "front matter names a classification, so the page is withheld from every audience until the front matter "
        "can be read"
    )
    assert audit.report == staff.report
    report, _ = check_findings(root, date(2026, 11, 23))
    assert report == staff.report
