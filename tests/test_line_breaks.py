"""Lines are counted as an editor counts them (after \\r\\n, \\r or \\n), never at the
other characters Python's ``splitlines`` or YAML end a line at. Found by the fuzzer
(``tests/fuzz/``): each case's page is also a seed of its corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clausewise.sources import frontmatter, metadata
from clausewise.sources.text import split_lines
from handbook import governed
from test_hostile_input import POLICY, handbook, refused_by_both, reported

HIDDEN = (
    "which YAML takes for the end of a line where an editor shows none; delete it (it is often invisible: "
    "retype the line)"
)


@pytest.mark.parametrize(
    ("char", "name"), [("\u2028", "LINE SEPARATOR"), ("\x85", "NEXT LINE"), ("\u2029", "PARAGRAPH SEPARATOR")]
)
def test_a_line_break_only_yaml_sees_is_one_finding_on_its_line(tmp_path: Path, char: str, name: str) -> None:
    # pasted with a title; YAML cut the title there and blamed the next "line" for a missing ':'
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", f"Access{char}control")})
    assert reported(root) == [
        ("invalid-metadata", POLICY, 4,
         f"front matter cannot be read: it contains U+{ord(char):04X} ({name}), {HIDDEN} (line 4)"),
    ]  # fmt: skip


def test_a_form_feed_in_a_comment_does_not_move_the_keys_after_it(tmp_path: Path) -> None:
    # splitlines() ended a line at the form feed: every later key was reported a line too far
    page = governed("POL-001", "policy", "A").replace("title: A\n", "title: A\n# a note\x0c\n")
    root = handbook(tmp_path, {POLICY: page})
    assert reported(root) == [
        ("invalid-metadata", POLICY, 5,
         "front matter contains a character YAML does not allow: U+000C (line 5); delete it (it is often "
         "invisible: retype the line)"),
    ]  # fmt: skip


MIXED = "---\nid: POL-001\rtype: policy\ntitle: A\rowner: ROLE-OWNER\nstatus: approved\r\nversion: '1.0'\n"


def test_lone_carriage_returns_end_lines_as_in_an_editor(tmp_path: Path) -> None:
    rest = "effective: 2026-01-01\nreviewed: 2026-06-01\nclassification: internal\nsatisfies: 1.1\rowners: x\n"
    page = f"{MIXED}{rest}---\n\n# A\n"
    root = handbook(tmp_path, {POLICY: page})
    assert reported(root) == [
        ("invalid-metadata", POLICY, 12, "unknown key 'owners' in a governed document's front matter; did you mean "
         "'owner'?"),
    ]  # fmt: skip


def test_the_copy_myst_reads_keeps_every_line_where_it_was() -> None:
    # a line ending in a lone \r before a blanked line ended "\r" + "\n": one line break, not two
    text = MIXED + "---\r\n# A\rText.\n"
    fm = frontmatter.parse(text)
    cleaned = frontmatter.sanitised_for_myst(text, fm, metadata.OWN_KEYS, {"orphan": "true"})
    assert split_lines(cleaned) == [
        "---", 'orphan: "true"', "", 'title: "A"', "", "", "", "---", "# A", "Text.",
    ]  # fmt: skip


def test_a_catalogue_with_a_line_break_only_yaml_sees_is_one_line(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A")})
    (root / "mini-catalogue.yaml").write_text(
        "standard: S\nnotice: N\nid_prefix: S\nclauses:\n  - {number: '1', heading: Plan\u2028ning}\n", encoding="utf-8"
    )
    assert refused_by_both(root) == (
        "clausewise: mini-catalogue.yaml:5: the catalogue cannot be read: it contains U+2028 (LINE SEPARATOR), "
        + HIDDEN
    )


@pytest.mark.parametrize(
    "text",
    ["", "\n", "a", "a\n", "a\n\n", "\n\na", "a\nb", "a\r\nb\r\n", "a\rb", "a\r", "a\r\n\rb\n\r", "\x0ca\u2028b\n"],
)
@pytest.mark.parametrize("keepends", [False, True])
def test_split_lines_ends_lines_where_an_editor_does(text: str, keepends: bool) -> None:
    """The fast path (no carriage return) and the pattern agree with each other and with an editor."""
    ends = [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    starts = [0, *ends]
    expected = [text[a:b] for a, b in zip(starts, [*ends, len(text)], strict=True) if a < len(text)]
    if not keepends:
        expected = [line.rstrip("\r\n") for line in expected]
    assert split_lines(text, keepends) == expected
