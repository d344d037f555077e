"""The front-matter line editor, byte for byte.

Pure functions over text: no Sphinx, no git. Documents are read with the same
front-matter parser and metadata reader the build uses. Every expected text is
written out in full, so any byte the editor adds, drops or moves fails a test.
"""

from __future__ import annotations

from datetime import date

import pytest
from clausewise.authoring.editor import (
    block_end,
    flow_list,
    insert_at,
    newline_of,
    read_front_matter,
    scalar,
    set_value,
)
from clausewise.authoring.errors import AuthoringError
from clausewise.authoring.records import add_record_type
from clausewise.authoring.review import record_review
from clausewise.core.ids import IdScheme
from clausewise.core.model import Catalogue, Clause, Confirmation, GovernedDocument, Handbook, Source
from clausewise.sources import frontmatter, metadata
from hypothesis import given, settings
from hypothesis import strategies as st

PATH = "policies/policy.md"
TODAY = date(2026, 11, 23)

#: A policy as an owner writes one: comments of both kinds, quoted values of both
#: kinds, a value YAML would re-type, and a list followed by a first-column comment.
POLICY = (
    "---\n"
    "# Service policy: reviewed yearly by top management\n"
    "id: POL-001\n"
    "type: policy\n"
    'title: "Service management policy"  # as in the contract\n'
    "owner: ROLE-OWNER\n"
    "status: approved\n"
    "version: '1.9'  # approved by the board\n"
    "effective: 2026-01-01\n"
    'reviewed: "2026-06-01"  # first review\n'
    "classification: internal\n"
    "satisfies:\n"
    "  - 1.1\n"
    "  - 1.2\n"
    "# the record types come later\n"
    "\n"
    "---\n"
    "\n"
    "Text.\n"
)


def document(text: str, path: str = PATH) -> GovernedDocument:
    """``text`` read as the build reads it."""
    source = Source(path, path.removesuffix(".md"), 1)
    doc, findings = metadata.read_governed(frontmatter.parse(text), source, IdScheme())
    assert isinstance(doc, GovernedDocument), findings
    return doc


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def edit_lines(text: str) -> tuple[list[str], frontmatter.FrontMatter]:
    return text.splitlines(keepends=True), frontmatter.parse(text)


# --- newline_of, scalar, flow_list ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("---\r\nid: POL-001\n", "\r\n"),  # the first line decides
        ("---\nid: POL-001\r\n", "\n"),
        ("---", "\n"),  # one line, no ending: the usual one
        ("", "\n"),
    ],
)
def test_newline_of_is_the_first_lines(text: str, newline: str) -> None:
    assert newline_of(text) == newline


@pytest.mark.parametrize(
    ("text", "written"),
    [
        # values YAML 1.1 would re-type stay plain: the build reads every scalar as text
        ("1.10", "1.10"),
        ("2026-01-01", "2026-01-01"),
        ("on", "on"),
        ("yes", "yes"),
        ("~", "~"),
        ("a#b", "a#b"),  # no space before '#': not a comment
        ("it's", "it's"),
        ("Änderungs-Management", "Änderungs-Management"),
        # values YAML would read differently, or not at all, are double-quoted
        ("@org/team", '"@org/team"'),
        ("Backup: restore test", '"Backup: restore test"'),
        ("a #b", '"a #b"'),
        ("- a", '"- a"'),
        ("[draft]", '"[draft]"'),
        ("{a}", '"{a}"'),
        ("*ref", '"*ref"'),
        ("'quoted'", "\"'quoted'\""),
        ('"quoted"', '"\\"quoted\\""'),
        (" padded", '" padded"'),
        ("\u00a0no-break space", '"\u00a0no-break space"'),  # YAML keeps it, str.strip() would not
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab\\there"'),
    ],
)
def test_scalar_is_plain_only_where_yaml_reads_it_back_unchanged(text: str, written: str) -> None:
    assert scalar(text) == written
    assert frontmatter.parse(f"---\nkey: {written}\n---\n").data == {"key": text}


@pytest.mark.parametrize(
    ("text", "written"),
    [
        # line breaks YAML would fold into a space, and characters a YAML file may not hold
        ("Scope\u2028and aims", '"Scope\\u2028and aims"'),
        ("Scope\u2029and aims", '"Scope\\u2029and aims"'),
        ("Scope\x85and aims", '"Scope\\x85and aims"'),
        ("Review\x7f", '"Review\\x7f"'),
        ("Review\x9b", '"Review\\x9b"'),
        ("Review\ufffe", '"Review\\ufffe"'),
        ("Review\u2028\x0c\u00e9", '"Review\\u2028\\f\u00e9"'),  # JSON's own escapes stay; é is printable
    ],
)
def test_scalar_escapes_what_a_double_quoted_value_cannot_hold_as_itself(text: str, written: str) -> None:
    assert scalar(text) == written
    assert frontmatter.parse(f"---\nkey: {written}\n---\n").data == {"key": text}


@settings(max_examples=1000, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_scalar_reads_back_as_the_text_it_was_given(text: str) -> None:
    fm = frontmatter.parse(f"---\nkey: {scalar(text)}\n---\n")
    assert fm.error is None
    assert fm.data == {"key": text}


def test_flow_list_quotes_each_item_as_it_needs() -> None:
    assert flow_list(["8.1", "Use: laptops", "on"]) == '[8.1, "Use: laptops", on]'
    assert flow_list([]) == "[]"


# --- block_end, insert_at ---------------------------------------------------------------------------


def test_a_blocks_end_leaves_first_column_comments_and_blank_lines_to_what_follows() -> None:
    lines, fm = edit_lines(POLICY)
    assert block_end(lines, fm, "satisfies") == 13  # "  - 1.2", not the comment or the blank line after it
    assert block_end(lines, fm, "owner") == 5  # a one-line key is its own block
    assert block_end(lines, fm, "classification") == 10


def test_a_missing_key_goes_after_the_nearest_key_before_it_in_the_usual_order() -> None:
    text = "---\nid: PRC-001\ntitle: Reporting\nowner: ROLE-OWNER\nsatisfies: [1.1]\n---\n"
    lines, fm = edit_lines(text)
    assert insert_at(lines, fm, "status") == 4  # after owner
    assert insert_at(lines, fm, "reviewed") == 4  # no status, version or effective: after owner too
    assert insert_at(lines, fm, "type") == 2  # after id
    assert insert_at(lines, fm, "id") == 5  # nothing comes before id: at the end of the front matter


# --- set_value ---------------------------------------------------------------------------------------


def test_set_value_changes_only_the_values_characters() -> None:
    lines, fm = edit_lines(crlf(POLICY))
    assert set_value(lines, fm, "reviewed", "2026-11-23", "\r\n") == ("2026-06-01", 9)
    assert set_value(lines, fm, "version", "1.10", "\r\n", quote='"') == ("1.9", 7)
    assert set_value(lines, fm, "owner", "ROLE-SMS-MANAGER", "\r\n") == ("ROLE-OWNER", 5)
    assert "".join(lines) == crlf(POLICY).replace(
        "reviewed: \"2026-06-01\"  # first review\r\n", "reviewed: \"2026-11-23\"  # first review\r\n"
    ).replace(
        "version: '1.9'  # approved by the board\r\n", "version: '1.10'  # approved by the board\r\n"
    ).replace("owner: ROLE-OWNER\r\n", "owner: ROLE-SMS-MANAGER\r\n")  # fmt: skip


@pytest.mark.parametrize(
    ("line", "quote", "edited", "old"),
    [
        ("version: 1.0\n", '"', "version: 1.1\n", "1.0"),  # plain stays plain, whatever the key usually has
        ("version: '1.0'\n", '"', "version: '1.1'\n", "1.0"),
        ('version: "1.0"\n', "", 'version: "1.1"\n', "1.0"),
        ("version:   1.0   # tabled\n", "", "version:   1.1   # tabled\n", "1.0"),
        ("version: 1.0 \n", "", "version: 1.1 \n", "1.0"),  # trailing blanks stay
        ("version:\n", '"', 'version: "1.1"\n', ""),  # an empty value gets the key's usual quoting
        ("version: \n", "", "version: 1.1\n", ""),
        ('version: ""\n', "", 'version: "1.1"\n', ""),
        ("version   :  1.0\n", "", "version   :  1.1\n", "1.0"),
    ],
)
def test_set_value_keeps_the_owners_quoting_spacing_and_comment(line: str, quote: str, edited: str, old: str) -> None:
    text = f"---\nid: POL-001\n{line}title: T\n---\nText.\n"
    lines, fm = edit_lines(text)
    assert set_value(lines, fm, "version", "1.1", "\n", quote=quote) == (old, 2)
    assert "".join(lines) == f"---\nid: POL-001\n{edited}title: T\n---\nText.\n"


def test_set_value_adds_a_missing_key_as_a_line_of_its_own_with_the_files_line_ending() -> None:
    text = crlf("---\nid: POL-001\nstatus: draft  # not yet approved\ntitle: T\n---\nText.")
    lines, fm = edit_lines(text)
    assert set_value(lines, fm, "version", "1.0", "\r\n", quote='"') == (None, 3)
    assert "".join(lines) == crlf(
        '---\nid: POL-001\nstatus: draft  # not yet approved\nversion: "1.0"\ntitle: T\n---\nText.'
    )


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("reviewed: >-\n  2026-06-01\n", "'reviewed: >-'"),
        ("reviewed: |\n  2026-06-01\n", "'reviewed: |'"),
        ("reviewed:\n  2026-06-01\n", "'reviewed:'"),  # a plain value continued on the next line
        ("reviewed: 2026-06-01\n  # an indented comment belongs to the value\n", "'reviewed: 2026-06-01'"),
        ("'reviewed': 2026-06-01\n", "\"'reviewed': 2026-06-01\""),
    ],
)
def test_set_value_refuses_what_is_not_a_one_line_value(line: str, shown: str) -> None:
    text = f"---\nid: POL-001\n{line}title: T\n---\n"
    lines, fm = edit_lines(text)
    assert fm.error is None
    with pytest.raises(AuthoringError) as refused:
        set_value(lines, fm, "reviewed", "2026-11-23", "\n")
    assert str(refused.value) == (
        f"line 3 ({shown}) is not a one-line 'reviewed: value'; write it as 'reviewed: 2026-11-23' and run again"
    )
    assert "".join(lines) == text


@pytest.mark.parametrize(
    ("line", "quote", "edited"),
    [
        ("reviewed: # on approval\n", "", "reviewed: 2026-11-23 # on approval\n"),
        ("reviewed:    # on approval\n", "", "reviewed:    2026-11-23 # on approval\n"),
        ("reviewed:  # on approval\n", '"', 'reviewed:  "2026-11-23" # on approval\n'),
    ],
)
def test_set_value_keeps_a_space_between_a_new_value_and_the_comment_after_an_empty_one(
    line: str, quote: str, edited: str
) -> None:
    """Without it the comment would be part of a plain value (YAML needs a space before '#')."""
    text = f"---\nid: POL-001\n{line}title: T\n---\n"
    lines, fm = edit_lines(text)
    assert set_value(lines, fm, "reviewed", "2026-11-23", "\n", quote=quote) == ("", 2)
    assert "".join(lines) == f"---\nid: POL-001\n{edited}title: T\n---\n"
    assert frontmatter.parse("".join(lines)).data == {"id": "POL-001", "reviewed": "2026-11-23", "title": "T"}


def test_a_review_fills_an_empty_reviewed_that_has_a_comment() -> None:
    text = POLICY.replace('reviewed: "2026-06-01"  # first review', "reviewed: # set on approval")
    text = text.replace("status: approved", "status: draft")
    done = record_review(text, document(text), TODAY)
    assert done.edit.text == text.replace("reviewed: # set on approval", "reviewed: 2026-11-23 # set on approval")
    assert done.edit.changes == ("reviewed: (empty) -> 2026-11-23",)


# --- read_front_matter --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Text.\n", "policies/policy.md has no front matter (a '---' block at the top)"),
        (
            "---\nid: POL-001\nText.\n",
            "policies/policy.md:1: the front matter opened by '---' on line 1 is never closed; add a line '---' "
            "after its last key; fix it first (clausewise check shows it too)",
        ),
        (
            "---\nid: POL-001\ntitle: [a, b\nowner: ROLE-OWNER\n---\n",
            "policies/policy.md:3: front matter is not valid YAML: expected ',' or ']', but got ':' (line 4), "
            "while parsing a flow sequence that starts on line 3; fix it first (clausewise check shows it too)",
        ),
        (
            "---\nid: POL-001\nid: POL-002\n---\n",
            "policies/policy.md:3: key 'id' appears twice in the front matter (first on line 2); keep one; "
            "fix it first (clausewise check shows it too)",
        ),
        (
            "---\n- id: POL-001\n---\n",
            "policies/policy.md:2: front matter must be a mapping of 'key: value' lines; "
            "fix it first (clausewise check shows it too)",
        ),
    ],
)
def test_front_matter_that_does_not_parse_is_refused(text: str, message: str) -> None:
    with pytest.raises(AuthoringError) as refused:
        read_front_matter(text, PATH)
    assert str(refused.value) == message


# --- record_review ----------------------------------------------------------------------------------


def test_a_review_changes_only_the_reviewed_and_version_values_crlf_and_no_final_newline() -> None:
    text = crlf(POLICY).removesuffix("\r\n")
    done = record_review(text, document(text), TODAY, "1.10")
    assert done.edit.text == (
        "---\r\n"
        "# Service policy: reviewed yearly by top management\r\n"
        "id: POL-001\r\n"
        "type: policy\r\n"
        'title: "Service management policy"  # as in the contract\r\n'
        "owner: ROLE-OWNER\r\n"
        "status: approved\r\n"
        "version: '1.10'  # approved by the board\r\n"
        "effective: 2026-01-01\r\n"
        'reviewed: "2026-11-23"  # first review\r\n'
        "classification: internal\r\n"
        "satisfies:\r\n"
        "  - 1.1\r\n"
        "  - 1.2\r\n"
        "# the record types come later\r\n"
        "\r\n"
        "---\r\n"
        "\r\n"
        "Text."
    )
    assert done.edit.changes == ("reviewed: 2026-06-01 -> 2026-11-23", "version: 1.9 -> 1.10")
    assert done.edit.line == 8
    assert done.message == "Review of POL-001, version 1.10"
    assert done.notes == ()
    assert frontmatter.parse(done.edit.text).data["version"] == "1.10"  # text, never the number 1.1


def test_a_plain_version_that_yaml_would_retype_stays_as_written() -> None:
    text = POLICY.replace("version: '1.9'  # approved by the board\n", "version: 1.10\n")
    done = record_review(text, document(text), TODAY)
    assert done.edit.text == text.replace('reviewed: "2026-06-01"', 'reviewed: "2026-11-23"')
    assert done.message == "Review of POL-001, no changes"
    again = record_review(text, document(text), TODAY, "1.11")
    assert again.edit.text == text.replace('reviewed: "2026-06-01"', 'reviewed: "2026-11-23"').replace(
        "version: 1.10\n", "version: 1.11\n"
    )


def test_a_review_that_changes_nothing_returns_the_text_unchanged() -> None:
    text = crlf(POLICY.replace('"2026-06-01"', '"2026-11-23"'))
    done = record_review(text, document(text), TODAY, "'1.9'")  # the version it has, quoted on the command line
    assert done.edit.text == text
    assert done.edit.changes == ()
    assert done.edit.line == 1
    assert done.message == "Review of POL-001, no changes"


def test_a_missing_reviewed_and_version_go_where_they_usually_are() -> None:
    text = (
        "---\n"
        "id: PRC-002\n"
        "type: procedure\n"
        "title: Capacity management\n"
        "owner: ROLE-OWNER\n"
        "status: draft  # until the board approves it\n"
        "classification: internal\n"
        "satisfies: [8.4.3]\n"
        "---\n"
        "Text.\n"
    )
    done = record_review(text, document(text, "procedures/capacity.md"), TODAY, "0.2")
    assert done.edit.text == (
        "---\n"
        "id: PRC-002\n"
        "type: procedure\n"
        "title: Capacity management\n"
        "owner: ROLE-OWNER\n"
        "status: draft  # until the board approves it\n"
        'version: "0.2"\n'
        "reviewed: 2026-11-23\n"
        "classification: internal\n"
        "satisfies: [8.4.3]\n"
        "---\n"
        "Text.\n"
    )
    assert done.edit.changes == ("reviewed: (no key) -> 2026-11-23", "version: (no key) -> 0.2")
    assert done.edit.line == 7  # reviewed: went in first, after status:; version: then went before it
    assert done.notes == (
        "PRC-002 is a draft: it counts once approved (status: approved, with effective: the date it comes into force)",
    )


def test_a_missing_reviewed_line_goes_after_a_multi_line_effective_not_after_the_comment_that_follows() -> None:
    text = POLICY.replace("effective: 2026-01-01\n", "effective: >-\n  2026-01-01\n# the board met late\n\n").replace(
        'reviewed: "2026-06-01"  # first review\n', ""
    )
    assert record_review(text, document(text), TODAY).edit.text == text.replace(
        "  2026-01-01\n# the board met late\n", "  2026-01-01\nreviewed: 2026-11-23\n# the board met late\n"
    )


def test_an_empty_or_invalid_review_date_is_replaced() -> None:
    text = POLICY.replace('reviewed: "2026-06-01"  # first review\n', "reviewed: 2026-02-30\n")
    done = record_review(text, document(text), TODAY)
    assert done.edit.text == text.replace("reviewed: 2026-02-30\n", "reviewed: 2026-11-23\n")
    assert done.edit.changes == ("reviewed: 2026-02-30 -> 2026-11-23",)
    empty = POLICY.replace('reviewed: "2026-06-01"  # first review\n', "reviewed:\n").replace("approved", "draft")
    done = record_review(empty, document(empty), TODAY)
    assert done.edit.text == empty.replace("reviewed:\n", "reviewed: 2026-11-23\n")
    assert done.edit.changes == ("reviewed: (empty) -> 2026-11-23",)


@pytest.mark.parametrize(
    ("change", "version", "message"),
    [
        (
            ("status: approved", "status: retired"),
            None,
            "POL-001 is retired: a retired document is not reviewed any more",
        ),
        (
            ('reviewed: "2026-06-01"', 'reviewed: "2026-12-01"'),
            None,
            "POL-001 says reviewed: 2026-12-01, after 2026-11-23; a review date never moves back. "
            "If 2026-12-01 is wrong, correct it by hand",
        ),
        (("", ""), "1.8", "--version 1.8 is lower than POL-001's version 1.9"),
        (("", ""), "1.9.0.x", "--version '1.9.0.x' is malformed; expected numbers separated by dots, e.g. 2.1"),
        (("", ""), "v2", "--version 'v2' is malformed; expected numbers separated by dots, e.g. 2.1"),
        (
            ('reviewed: "2026-06-01"  # first review', "reviewed: >-\n  2026-06-01"),
            None,
            "line 10 ('reviewed: >-') is not a one-line 'reviewed: value'; "
            "write it as 'reviewed: 2026-11-23' and run again",
        ),
        (
            # a plain value with '#' and no space before it is one value to YAML; the editor
            # reads it as a value and a comment, and the read-back check catches that
            ('reviewed: "2026-06-01"  # first review', "reviewed: 2026-06-01#1"),
            None,
            "could not edit policies/policy.md safely; set reviewed by hand",
        ),
        (
            ("version: '1.9'  # approved by the board", "version: 1.9#board"),
            "2.0",
            "could not edit policies/policy.md safely; set reviewed, version by hand",
        ),
    ],
)
def test_a_review_is_refused_with_the_reason(change: tuple[str, str], version: str | None, message: str) -> None:
    text = POLICY.replace(*change)
    with pytest.raises(AuthoringError) as refused:
        record_review(text, document(text), TODAY, version)
    assert str(refused.value) == message


def test_a_review_of_a_file_whose_front_matter_broke_since_it_was_read_is_refused() -> None:
    doc = document(POLICY)
    broken = POLICY.replace("title: ", "title: [")
    with pytest.raises(AuthoringError) as refused:
        record_review(broken, doc, TODAY)
    assert str(refused.value) == (
        "policies/policy.md:5: front matter is not valid YAML: expected ',' or ']', but got '<scalar>' (line 6), "
        "while parsing a flow sequence that starts on line 5; fix it first (clausewise check shows it too)"
    )


# --- add_record_type -------------------------------------------------------------------------------

ROLE = (
    "---\nid: ROLE-OWNER\ntype: role\ntitle: Owner\nowner: ROLE-OWNER\nstatus: approved\nversion: '1.0'\n"
    "effective: 2026-01-01\nreviewed: 2026-06-01\nclassification: internal\n---\nText.\n"
)
CATALOGUE = Catalogue(
    "Mini", "Mini", "MINI", "", (Clause("8.5.1", "Change management", Confirmation.CONFIRMED, "MINI-8-5-1"),)
)


def add(text: str, title: str = "Change review", cadence: str = "monthly") -> tuple[str, int, str]:
    doc = document(text, "procedures/change.md")
    handbook = Handbook((CATALOGUE,), (doc, document(ROLE, "roles/owner.md")), ())
    edit, ident = add_record_type(
        text,
        doc,
        handbook,
        title=title,
        cadence=cadence,
        owner=None,
        evidences=["8.5.1"],
        start=date(2026, 11, 20),
        ids=IdScheme(),
    )
    assert edit.changes == (f"record type {ident} added to {doc.id}",)
    return edit.text, edit.line, ident


PROCEDURE = (
    "---\nid: PRC-001\ntype: procedure\ntitle: Change management\nowner: ROLE-OWNER\nstatus: draft\n"
    "version: '0.1'\nclassification: internal\nsatisfies: [8.5.1]\n---\nText.\n"
)


def test_a_record_type_list_is_created_at_the_end_of_the_front_matter_crlf() -> None:
    text, line, ident = add(crlf(PROCEDURE), title="Backup: restore test", cadence="Quarterly")
    assert ident == "RT-BACKUP-RESTORE-TEST"
    assert text == crlf(PROCEDURE).replace(
        "satisfies: [8.5.1]\r\n",
        "satisfies: [8.5.1]\r\n"
        "record_types:\r\n"
        "  - id: RT-BACKUP-RESTORE-TEST\r\n"
        '    title: "Backup: restore test"\r\n'
        "    owner: ROLE-OWNER\r\n"
        "    evidences: [8.5.1]\r\n"
        "    cadence: quarterly\r\n"
        "    start: 2026-11-20\r\n",
    )
    assert line == 11


def test_an_empty_record_type_list_keeps_its_comment() -> None:
    before = PROCEDURE.replace("satisfies: [8.5.1]\n", "record_types: []  # none yet\nsatisfies: [8.5.1]\n")
    text, line, _ = add(before)
    assert text == before.replace(
        "record_types: []  # none yet\n",
        "record_types: # none yet\n"
        "  - id: RT-CHANGE-REVIEW\n"
        "    title: Change review\n"
        "    owner: ROLE-OWNER\n"
        "    evidences: [8.5.1]\n"
        "    cadence: monthly\n"
        "    start: 2026-11-20\n",
    )
    assert line == 10


def test_a_new_record_type_follows_the_lists_own_indentation() -> None:
    before = PROCEDURE.replace(
        "satisfies: [8.5.1]\n",
        "record_types:\n"
        "    -   id: RT-CHANGE-LOG  # every change\n"
        "        title: Change log\n"
        "        cadence: per event\n"
        "\n"
        "satisfies: [8.5.1]\n",
    )
    text, line, _ = add(before)
    assert text == before.replace(
        "        cadence: per event\n",
        "        cadence: per event\n"
        "    -   id: RT-CHANGE-REVIEW\n"
        "        title: Change review\n"
        "        owner: ROLE-OWNER\n"
        "        evidences: [8.5.1]\n"
        "        cadence: monthly\n"
        "        start: 2026-11-20\n",
    )
    assert line == 13


@pytest.mark.parametrize(
    ("record_types", "message"),
    [
        (
            "record_types:\n  -\n    id: RT-CHANGE-LOG\n    cadence: per event\n",
            "procedures/change.md: cannot read the layout of record_types; add RT-CHANGE-REVIEW by hand",
        ),
        (
            "record_types: [{id: RT-CHANGE-LOG, cadence: per event}]\n",
            "procedures/change.md:10: record_types is not a list of '- id: ...' entries, one key per line; "
            "write it so and run again",
        ),
        (
            "record_types: RT-CHANGE-LOG\n",
            "procedures/change.md:10: record_types is not a list of '- id: ...' entries, one key per line; "
            "write it so and run again",
        ),
    ],
)
def test_a_record_type_list_the_editor_cannot_read_is_refused(record_types: str, message: str) -> None:
    before = PROCEDURE.replace("satisfies: [8.5.1]\n", f"satisfies: [8.5.1]\n{record_types}")
    with pytest.raises(AuthoringError) as refused:
        add(before)
    assert str(refused.value) == message


def test_a_retired_document_gets_no_new_record_type() -> None:
    with pytest.raises(AuthoringError) as refused:
        add(PROCEDURE.replace("status: draft", "status: retired"))
    assert str(refused.value) == "PRC-001 is retired: declare the record type in a document in force"


# --- properties -----------------------------------------------------------------------------------

#: Values that are safe inside any quoting: no quotes, backslashes, '#', ':' or leading '-'.
#: Many are ones YAML 1.1 would re-type (1.10, 2026-01-01, on, null, 0x1F, 1e3).
SAFE_VALUES = st.one_of(
    st.sampled_from(["1.10", "2026-01-01", "on", "yes", "null", "0x1F", "1e3", "~"]),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,12}( [A-Za-z0-9._/-]{1,8}){0,2}", fullmatch=True),
)
STYLES = {"plain": "old-1", "single": "'old 1'", "double": '"old 1"', "empty": ""}


@settings(max_examples=400, deadline=None)
@given(
    key=st.sampled_from(["version", "effective", "reviewed"]),
    style=st.sampled_from(["missing", *STYLES]),
    comment=st.sampled_from(["", "  # the owner's note", " #x"]),
    quote=st.sampled_from(["", '"']),
    nl=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    value=SAFE_VALUES,
)
def test_setting_a_value_reads_back_as_that_value_and_no_other_line_changes(
    key: str, style: str, comment: str, quote: str, nl: str, final_newline: bool, value: str
) -> None:
    head = [
        "---",
        "# kept as written",
        "id: POL-001",
        "title: 'Service: policy'  # quoted",
        "type: policy",
        "owner: ROLE-OWNER",
    ]
    tail = ["classification: internal", "satisfies:", "  - 1.1", "# trailing comment", "", "---", "Text."]
    own = [] if style == "missing" else [f"{key}:" + (f" {STYLES[style]}" if STYLES[style] else "") + comment]
    text = nl.join([*head, *tail[:1], *own, *tail[1:]]) + (nl if final_newline else "")
    before, fm = edit_lines(text)
    lines = list(before)

    old, index = set_value(lines, fm, key, value, nl, quote=quote)

    after = frontmatter.parse("".join(lines))
    assert after.error is None
    assert after.data == {**fm.data, key: value}
    if style == "missing":
        assert old is None
        assert index == len(head)  # after owner: the nearest key before it in the usual order
        assert lines == [*before[:index], f"{key}: {quote}{value}{quote}{nl}", *before[index:]]
    else:
        assert old == STYLES[style].strip("'\"")
        assert index == len(head) + 1
        assert lines[:index] == before[:index] and lines[index + 1 :] == before[index + 1 :]
        mark = {"plain": "", "single": "'", "double": '"', "empty": quote}[style]
        if style == "empty" and comment:  # the blanks before the comment go before the value, one after it
            blanks = comment[: len(comment) - len(comment.lstrip())]
            assert lines[index] == f"{key}:{blanks}{mark}{value}{mark} {comment.lstrip()}{nl}"
        else:
            assert lines[index] == f"{key}: {mark}{value}{mark}{comment}{nl}"
