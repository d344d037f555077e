"""The fuzz targets: each takes the bytes of one file a contributor could commit and
hands them to the reader a build hands them to, asserting the reader's contract.

A reader returns data or findings, or raises only its documented error; anything
else (another exception, a broken assertion below) is a crash the fuzzer keeps.
The functions need no fuzzer: ``tests/test_fuzz_seeds.py`` runs them on every seed
of ``tests/fuzz/corpus/<target>/``, and ``run.py`` runs them under atheris
(``nox -s fuzz``). The seeds of pages end in ``.txt``, not ``.md``: the sample
handbook at the repository's top is built with Sphinx, which would read them as
pages of it.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from clausewise.core.findings import Code
from clausewise.core.ids import ID_CHARACTERS, IdKind, IdPatternError, configured_pattern
from clausewise.core.model import (
    Catalogue,
    Confirmation,
    DocType,
    GovernedDocument,
    Record,
    RecordStatus,
    Status,
    find_clause,
)
from clausewise.core.settings import DEFAULT_LEVELS, ClausewiseConfig
from clausewise.pipeline.assembly import read_page
from clausewise.sources import catalogue, frontmatter, metadata
from clausewise.sources.schema import CATALOGUE_KEYS, FRONT_MATTER_KEYS
from clausewise.sources.text import UndecodableError, read_text

#: The files are written here: the readers take a path, as a build gives them one.
WORK = Path(tempfile.mkdtemp(prefix="clausewise-fuzz-"))

#: The handbooks a page is read in: the default ids, and an organisation's own
#: (a pattern with a class, a repetition and a choice; a role id of any length).
CONFIGS = (
    ClausewiseConfig.from_values({}, environ={}),
    ClausewiseConfig.from_values(
        {"clausewise_id_patterns": {"policy": r"XY-POL-\d{2}", "role": r"R-[A-Z][A-Z0-9-]*", "record": "(A|B)-[0-9]+"}},
        environ={},
    ),
)

#: Where a line ends for an editor, for MyST (markdown-it) and in a finding's line
#: (written out again, not imported: an oracle must not share the reader's mistakes).
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _lines(text: str) -> int:
    """How many lines an editor shows for ``text``."""
    return len(_LINE_BREAK.findall(text)) + 1


#: A key an owner writes as a plain word, found as written on its line.
_PLAIN_KEY = re.compile(r"[A-Za-z_]+")


def _keys_on_their_lines(text: str, fm: frontmatter.FrontMatter) -> None:
    """Each key written as a plain word is on the line the reader says (as an editor
    counts lines): the line every finding about it names."""
    editor_lines = _LINE_BREAK.split(text)
    for path, line in fm.lines.items():
        key = path[-1]
        written = editor_lines[line - 1]
        if isinstance(key, str) and _PLAIN_KEY.fullmatch(key) and not set(written) & set("\\\"'"):
            assert key in written, (path, line, written)


def front_matter(data: bytes) -> None:
    """A governed page, as a build reads it: decoded (or refused with the line of its
    first bad byte), its front matter parsed and validated into a document or record
    and findings, and the copy MyST is given made from it."""
    path = WORK / "page.md"
    path.write_bytes(data)
    try:
        text = read_text(path)
    except UndecodableError as exc:
        assert 1 <= exc.line <= len(_LINE_BREAK.findall(data.decode(errors="replace"))) + 1, exc.message
        assert exc.message and "\n" not in exc.message
        return
    lines = _lines(text)
    for cfg in CONFIGS:
        read = read_page(text, "policies/page.md", "policies/page", cfg)
        assert read is not None, "a page under a governed path is always read"
        fm, page = read.front_matter, read.page
        assert isinstance(fm.data, dict)
        if fm.error is not None:
            assert fm.data == {}, fm.data
            assert 1 <= fm.error[0] <= lines, (fm.error, lines)
        _keys_on_their_lines(text, fm)
        assert page.item is None or isinstance(page.item, GovernedDocument | Record)
        # a governed page is a document or record, or says why it is not: never silently absent
        assert page.item is not None or page.findings
        for finding in page.findings:
            assert finding.path == "policies/page.md"
            assert isinstance(finding.code, Code)
            assert 1 <= finding.line <= lines, (finding, lines)
            assert finding.message and "\n" not in finding.message, finding.message
        # MyST is given a copy with every line on its own number, so its warnings point right
        extra = {"title": "page", "orphan": "true"}
        cleaned = frontmatter.sanitised_for_myst(text, fm, metadata.OWN_KEYS, extra)
        assert _lines(cleaned) == lines, (cleaned, text)


def catalogue_file(data: bytes) -> None:
    """A handbook's own catalogue file: a catalogue whose clauses hold together, or
    one :class:`~clausewise.sources.catalogue.CatalogueError` line naming the file."""
    path = WORK / "catalogue.yaml"
    path.write_bytes(data)
    try:
        loaded = catalogue.load(path, "catalogue.yaml")
    except catalogue.CatalogueError as exc:
        message = str(exc)
        assert message.startswith("catalogue.yaml:") and "\n" not in message, message
        line = message.split(":")[1]
        assert line.isdigit() and 1 <= int(line) <= len(_LINE_BREAK.findall(data.decode(errors="replace"))) + 1, message
        return
    assert isinstance(loaded, Catalogue)
    need_ids = [c.need_id for c in loaded.clauses]
    assert len(set(need_ids)) == len(need_ids), need_ids
    numbers = {c.number for c in loaded.clauses}
    for clause in loaded.clauses:
        assert clause.parent_number is None or clause.parent_number in numbers, clause
        assert find_clause((loaded,), clause.reference) is clause, clause


#: How long matching one id may take: a pattern that takes longer on an id of a few
#: dozen characters backtracks exponentially, and a hostile id hangs the build.
MATCH_SECONDS = 1.0


def _almost(example: str) -> list[str]:
    """Ids that almost fit a pattern whose example is ``example``: a run of one of its
    characters, or the whole example repeated, then a character that breaks it."""
    runs = [example.replace(char, char * 30, 1) for char in sorted(set(example))] + [example * 15]
    return [run + tail for run in runs for tail in ("a", "_", "-", "0", "Z")]


def id_pattern(data: bytes) -> None:
    """An organisation's id pattern (``clausewise_id_patterns``): refused in one line
    (:class:`~clausewise.core.ids.IdPatternError`), or usable: its example is an id it
    matches, and an id that almost fits is refused at once."""
    regex = data.decode("utf-8", errors="replace")
    try:
        pattern = configured_pattern(IdKind.POLICY, regex)
    except IdPatternError as exc:
        assert str(exc) and "\n" not in str(exc), str(exc)
        return
    assert ID_CHARACTERS.fullmatch(pattern.example) and re.fullmatch(regex, pattern.example), pattern
    assert pattern.matches(pattern.example) and pattern.example.startswith(pattern.prefix), pattern
    for almost in _almost(pattern.example):
        started = time.monotonic()
        pattern.matches(almost)
        assert time.monotonic() - started < MATCH_SECONDS, (regex, almost)


#: Each target by the name of its corpus folder, ``tests/fuzz/corpus/<name>/``.
TARGETS: dict[str, Callable[[bytes], None]] = {
    "front-matter": front_matter,
    "catalogue": catalogue_file,
    "id-pattern": id_pattern,
}

#: YAML's syntax, and what the hostile-input classes are made of (invisible line
#: breaks, a byte-order mark, bytes that are not UTF-8)
_YAML_TOKENS = [
    "---", "...", ": ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "!t ", "? ", "|", ">-", "#", "'", '"', "\n  ",
    "\r\n", "\r", "\t", "\x85", "\u2028", "\ufeff", "\x00", "\x0c", "@", "`", "%",
]  # fmt: skip
#: The words each reader gives meaning to, from the declarations it reads them by (no list to keep in step).
_WORDS: dict[str, list[str]] = {
    "front-matter": [
        *(f"{k.name}: " for k in FRONT_MATTER_KEYS), *DocType, *Status, *RecordStatus,
        *DEFAULT_LEVELS, "daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly", "every 2 weeks",
        "every 36 months", "per event", "12 months", "30 days", "POL-001", "ROLE-OWNER", "RT-X", "REC-1",
        "2026-01-31", "2026-Q3", "2026-H2", "2026-W53", "XY-POL-01", "R-X", "A-1", "javascript:", "true",
    ],
    "catalogue": [*(f"{k.name}: " for k in CATALOGUE_KEYS), *Confirmation, "A.5.15", "4.10", "null", "A."],
    "id-pattern": [
        "(", ")", "(?:", "(?>", "(?P<n>", "(?P=n)", "(?i:", "(?=", "(?!", "|", "[", "]", "[^", "A-Z", "0-9", "\\d",
        "\\w", "\\s", ".", "?", "*", "+", "*?", "++", "{2}", "{1,3}", "{2,}", "^", "$", "-", "_", "XY-POL-",
    ],
}  # fmt: skip


def dictionary(name: str) -> str:
    """The target's tokens as a libFuzzer dictionary (``-dict=``): the fuzzer inserts
    them whole, so it reaches keys and values a byte at a time would take long to."""
    entries = []
    for token in [*(_YAML_TOKENS if name != "id-pattern" else []), *_WORDS[name]]:
        escaped = "".join(
            chr(b) if 0x20 <= b < 0x7F and b not in b'"\\' else f"\\x{b:02X}" for b in str(token).encode()
        )
        entries.append(f'"{escaped}"')
    return "\n".join(entries) + "\n"
