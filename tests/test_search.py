"""Search that knows the handbook: every id and clause number is a search object at its
page's anchor, and nothing of a page withheld from the build's audience is in its search
index. Real Sphinx builds (a small handbook with two catalogues, and the sample) read back
from ``searchindex.js``; the ranking in a browser is in test_search_browser.py."""

from __future__ import annotations

import re
from pathlib import Path

from clausewise.core.model import Catalogue, Clause, Confirmation
from clausewise.sphinxext.search import clause_names, drop_withheld_pages
from handbook import Build, build, commit, governed, record, role, write_handbook
from sphinx.search import js_index


def search_index(outdir: Path) -> dict:
    return js_index.loads((outdir / "searchindex.js").read_text(encoding="utf-8"))


def search_objects(outdir: Path) -> set[tuple[str, str, str]]:
    """(name, what the search page calls it, link) of every clausewise object in a built
    search index, read back as Sphinx's searchtools.js reads it."""
    index = search_index(outdir)
    found = set()
    for prefix, entries in index["objects"].items():
        for page, kind, _priority, anchor, name in entries:
            domain, _, label = index["objnames"][str(kind)]
            if domain != "clausewise":
                continue
            fullname = f"{prefix}.{name}" if prefix else name
            anchor = fullname if anchor == "" else anchor
            found.add((fullname, label, f"{index['docnames'][page]}.html#{anchor}"))
    return found


def clause(number: str, key: str, prefix: str) -> Clause:
    return Clause(number, f"Heading {number}", Confirmation.CONFIRMED, f"{prefix}-{number.replace('.', '-')}", key)


def test_a_clause_is_searched_by_its_bare_number_unless_an_earlier_catalogue_has_it_and_by_key_number() -> None:
    first = Catalogue(
        "First", "", "FIRST", "", (clause("1", "first", "FIRST"), clause("1.1", "first", "FIRST")), "first"
    )
    second = Catalogue("Second", "", "SEC", "", (clause("1", "sec", "SEC"), clause("A.5.1", "sec", "SEC")), "sec")
    assert [(name, c.need_id) for name, c in clause_names((first, second))] == [
        ("1", "FIRST-1"),
        ("first:1", "FIRST-1"),
        ("1.1", "FIRST-1-1"),
        ("first:1.1", "FIRST-1-1"),
        ("sec:1", "SEC-1"),  # bare "1" is the first catalogue's, as in front matter
        ("A.5.1", "SEC-A-5-1"),
        ("sec:A.5.1", "SEC-A-5-1"),
    ]
    # one catalogue: its numbers alone, as every page writes them
    assert [name for name, _ in clause_names((first,))] == ["1", "1.1"]


def test_dropping_a_withheld_page_renumbers_the_others_and_keeps_only_what_they_hold() -> None:
    index = {
        "docnames": ["a", "secret", "c"],
        "filenames": ["a.md", "secret.md", "c.md"],
        "titles": ["A", "Secret", "C"],
        "terms": {"both": [0, 1], "secretword": 1, "all": [0, 1, 2], "cword": 2},
        "titleterms": {"secret": 1, "c": 2},
        "alltitles": {"Secret": [[1, None]], "C": [[2, None]], "Shared": [[0, "x"], [1, "y"]]},
        "indexentries": {},
        "objects": {"": [[0, 0, 1, "", "A-1"], [1, 0, 1, "", "SECRET-1"], [2, 0, 1, "", "C-1"]]},
        "objnames": {"0": ["clausewise", "record", "record"]},
    }
    assert drop_withheld_pages(index, {"secret"}) is True
    assert index == {
        "docnames": ["a", "c"],
        "filenames": ["a.md", "c.md"],
        "titles": ["A", "C"],
        "terms": {"both": 0, "all": [0, 1], "cword": 1},
        "titleterms": {"c": 1},
        "alltitles": {"C": [[1, None]], "Shared": [[0, "x"]]},
        "indexentries": {},
        "objects": {"": [[0, 0, 1, "", "A-1"], [1, 0, 1, "", "C-1"]]},
        "objnames": {"0": ["clausewise", "record", "record"]},
    }
    assert drop_withheld_pages(index, {"not-there"}) is False


SEC_CATALOGUE = """\
standard: Security standard
key: sec
id_prefix: SEC
notice: Numbers and headings only.
clauses:
  - {number: "1", heading: "Scope"}
  - {number: "A", heading: "Controls"}
  - {number: "A.5", heading: "Organizational controls"}
  - {number: "A.5.1", heading: "Policies"}
"""

#: One word of the confidential record's body, kept whole by the search index (lower case).
SECRET_WORD = "qzxsearchsecret4471"
SECRET_TITLE = "Termination review Acme"


def small_handbook(root: Path) -> Path:
    procedure = governed("PRC-010", "procedure", "Reviews", satisfies='["1.1", "sec:A.5.1"]').replace(
        "satisfies:",
        "record_types:\n  - id: RT-REVIEW\n    title: Review\n    owner: ROLE-OWNER\n"
        "    evidences: [1.1]\n    cadence: quarterly\nsatisfies:",
    )
    confidential = record(
        "REC-REVIEW-2026-Q2", "RT-REVIEW", "2026-Q2", classification="confidential", title=SECRET_TITLE
    ).replace("Record text.", f"The {SECRET_WORD} findings.")
    files = {
        "sec.yaml": SEC_CATALOGUE,
        "roles/owner.md": role(),
        "policies/security.md": governed("POL-001", "policy", "Security policy", satisfies='["1.2", "sec:1"]'),
        "procedures/reviews.md": procedure,
        "records/review/2026-Q3.md": record("REC-REVIEW-2026-Q3", "RT-REVIEW", "2026-Q3"),
        "records/review/2026-Q2.md": confidential,
    }
    conf = 'clausewise_catalogues = ["mini-catalogue.yaml", "sec.yaml"]\nclausewise_sms_start = "2026-04-01"\n'
    return write_handbook(root, files, conf)


#: Every clausewise object of the small handbook's staff build: name, kind, link (the mini catalogue has
#: no key of its own: its id prefix is its key).
STAFF_OBJECTS = {
    ("POL-001", "policy", "policies/security.html#POL-001"),
    ("PRC-010", "procedure", "procedures/reviews.html#PRC-010"),
    ("ROLE-OWNER", "role", "roles/owner.html#ROLE-OWNER"),
    ("RT-REVIEW", "record type", "procedures/reviews.html#RT-REVIEW"),
    ("REC-REVIEW-2026-Q3", "record", "records/review/2026-Q3.html#REC-REVIEW-2026-Q3"),
    *(
        (name, "clause", f"pages/clauses.html#{need_id}")
        for name, need_id in [
            ("1", "MINI-1"), ("MINI:1", "MINI-1"), ("1.1", "MINI-1-1"), ("MINI:1.1", "MINI-1-1"),
            ("1.2", "MINI-1-2"), ("MINI:1.2", "MINI-1-2"), ("2", "MINI-2"), ("MINI:2", "MINI-2"),
            ("sec:1", "SEC-1"), ("A", "SEC-A"), ("sec:A", "SEC-A"), ("A.5", "SEC-A-5"), ("sec:A.5", "SEC-A-5"),
            ("A.5.1", "SEC-A-5-1"), ("sec:A.5.1", "SEC-A-5-1"),
        ]
    ),
}  # fmt: skip


def test_every_id_and_clause_number_is_a_search_object_and_a_withheld_record_is_nowhere_in_the_index(
    tmp_path: Path,
) -> None:
    root = small_handbook(tmp_path / "hb")
    staff = build(root, fresh=True)
    assert search_objects(staff.outdir) == STAFF_OBJECTS
    for name, _, link in STAFF_OBJECTS:
        page, _, anchor = link.partition("#")
        assert f'id="{anchor}"' in (staff.outdir / page).read_text(encoding="utf-8"), name
    index_text = (staff.outdir / "searchindex.js").read_text(encoding="utf-8")
    for withheld in ("REC-REVIEW-2026-Q2", SECRET_TITLE, SECRET_TITLE.lower(), "records/review/2026-Q2", SECRET_WORD):
        assert withheld not in index_text
    # the page itself is built, with its metadata, for staff who follow the register's link
    assert "REC-REVIEW-2026-Q2" in (staff.outdir / "records/review/2026-Q2.html").read_text(encoding="utf-8")

    auditor = build(root, fresh=True, overrides={"clausewise_audience": "auditor"}, outdir=root / "_build" / "auditor")
    assert search_objects(auditor.outdir) == STAFF_OBJECTS | {
        ("REC-REVIEW-2026-Q2", "record", "records/review/2026-Q2.html#REC-REVIEW-2026-Q2")
    }
    auditor_index = search_index(auditor.outdir)
    assert "records/review/2026-Q2" in auditor_index["docnames"]
    assert SECRET_TITLE in auditor_index["titles"] and SECRET_WORD in auditor_index["terms"]


def confidential_records(srcdir: Path) -> dict[str, tuple[str, str]]:
    """The sample's confidential records, read from their files: id -> (title, docname)."""
    found = {}
    for path in sorted((srcdir / "records").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^classification: confidential$", text, re.MULTILINE):
            record_id = re.search(r"^id: (\S+)$", text, re.MULTILINE)
            title = re.search(r"^title: (.+)$", text, re.MULTILINE)
            assert record_id and title, path
            found[record_id.group(1)] = (title.group(1), path.relative_to(srcdir).with_suffix("").as_posix())
    return found


def test_the_samples_staff_search_holds_no_confidential_record_and_the_auditors_holds_each(
    sample_build: Build, sample_auditor_build: Build
) -> None:
    confidential = confidential_records(sample_build.srcdir)
    # the service reports, service reviews, supplier reviews, customer surveys and complaints (issue 18)
    assert len(confidential) == 57 + 3
    assert "REC-SERVICE-REPORT-2025-06" in confidential
    staff_text = (sample_build.outdir / "searchindex.js").read_text(encoding="utf-8")
    staff_names = {name for name, _, _ in search_objects(sample_build.outdir)}
    auditor_objects = search_objects(sample_auditor_build.outdir)
    for record_id, (title, docname) in confidential.items():
        assert record_id not in staff_text and title not in staff_text and docname not in staff_text, record_id
        assert record_id not in staff_names
        assert (record_id, "record", f"{docname}.html#{record_id}") in auditor_objects
    # what staff may read is searchable in both builds
    assert ("PRC-012", "procedure", "procedures/incident-management.html#PRC-012") in auditor_objects
    assert {name for name, _, _ in auditor_objects} - staff_names == set(confidential)


def test_what_every_page_repeats_is_shown_but_not_indexed_and_the_pages_own_words_are(tmp_path: Path) -> None:
    """The status box, the period grid and the revision history are on the page, but their words
    (here a commit subject and an owner's title found nowhere else) are not search terms; the
    body's words, the record-type table's and the page's own title still are."""
    procedure = governed(
        "PRC-010", "procedure", "Reviews", body="Quokka handling.\n",
    ).replace(
        "satisfies:",
        "record_types:\n  - id: RT-REVIEW\n    title: Wombat review\n    owner: ROLE-OTHER\n"
        "    evidences: [1.1]\n    cadence: quarterly\nsatisfies:",
    )  # fmt: skip
    files = {
        "roles/owner.md": role(title="Platypus keeper"),
        "roles/other.md": role("ROLE-OTHER", "Other"),
        "procedures/reviews.md": procedure,
    }
    root = write_handbook(tmp_path / "hb", files, 'clausewise_sms_start = "2026-04-01"\n')
    commit(root, "Zebrafish wording", "2026-08-01T09:00:00+00:00",
           {"procedures/reviews.md": procedure.replace("Quokka handling.", "Quokka handling, again.")})  # fmt: skip
    built = build(root, fresh=True)
    page = built.page_text("procedures/reviews")
    assert "Owner Platypus keeper" in page and "Zebrafish wording" in page and "Revision history" in page
    assert "Year Q1 Q2 Q3 Q4 2026 · missing missing open" in page  # the period grid
    index = search_index(built.outdir)
    reviews = index["docnames"].index("procedures/reviews")
    terms, titleterms = index["terms"], index["titleterms"]
    assert "zebrafish" not in terms and "zebrafish" not in titleterms
    # the owner's title is a word of the role's own page (its heading), not of every page it owns
    assert reviews not in _pages(terms.get("platypus", [])) and reviews not in _pages(titleterms.get("platypus", []))
    assert reviews not in _pages(titleterms.get("histori", [])) and reviews not in _pages(terms.get("q3", []))
    assert reviews in _pages(terms["quokka"]) and reviews in _pages(terms["wombat"])
    assert reviews in _pages(titleterms["review"])


def _pages(entry: int | list[int]) -> list[int]:
    return [entry] if isinstance(entry, int) else entry
