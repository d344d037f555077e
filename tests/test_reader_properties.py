"""Property-based tests of the readers the hostile-input tests do not reach with
text alone: the metadata validator on front matter of every key with values of
every YAML shape, the id patterns an organisation configures, a record's
``period:`` and a ``cadence:`` as any text, and a commit's header in the ``git log``
stream as any bytes (``tests/test_unusual_history.py`` has the messages). Each returns data or findings (or
its documented error), never another exception."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from clausewise.core.ids import ID_CHARACTERS, IdKind, IdPatternError, IdScheme, configured_pattern, literal_prefix
from clausewise.core.model import DocType, GovernedDocument, Record, Source
from clausewise.rules.periods import parse_period, period_containing
from clausewise.sources import frontmatter, metadata
from clausewise.sources.gitlog import parse_commit
from clausewise.sources.text import split_lines
from hypothesis import example, given, settings
from hypothesis import strategies as st

#: plain values an owner writes, right and wrong: ids, dates, numbers, cadences, choices
WORDS = st.sampled_from([
    "POL-001", "PRC-002", "ROLE-OWNER", "RT-X", "REC-1", "2026-01-01", "2026-02-30", "9999-12-31", "1.0", "2.10",
    "approved", "draft", "retired", "internal", "public", "monthly", "every 3 weeks", "every 999 months",
    "per event", "12 months", "999999 years", "30 days", "true", "maybe", "2026-Q3", "2026-W53", "8.1",
    "javascript:alert(1)", "@org/team", "", " ", "#1", "a: b", "x\ty", "é",
])  # fmt: skip
#: values of every shape YAML gives: texts, lists, mappings, nested
#: (a text holding a line break only YAML sees is refused, with its line: tests/test_line_breaks.py)
TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029"), max_size=8)
VALUES = st.recursive(
    WORDS | TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORDS | st.sampled_from(["id", "clause"]), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip
KEYS = st.sampled_from(sorted(metadata.OWN_KEYS)) | st.sampled_from(["typ", "owners", "orphan", "x"])
FRONT_MATTER = st.builds(
    lambda kind, data: {"type": kind, **data},
    st.sampled_from([t.value for t in DocType] + ["poilcy", ""]),
    st.dictionaries(KEYS, VALUES, max_size=14),
)
IDS = (
    IdScheme(),
    IdScheme((configured_pattern(IdKind.POLICY, r"XY-POL-\d{2}"), configured_pattern(IdKind.ROLE, "R-[A-Z-]+"))),
)


@settings(max_examples=300, deadline=None)
@given(data=FRONT_MATTER, ids=st.sampled_from(IDS))
@example(data={"type": "procedure", "record_types": [{"cadence": [], "window": {}}, "x", []]}, ids=IDS[0])
@example(data={"type": "record", "period": {"a": ["b"]}, "evidence": [[]], "status": "x"}, ids=IDS[0])
def test_the_validator_gives_a_model_or_findings_for_front_matter_of_any_shape(data: dict, ids: IdScheme) -> None:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n# T\n"
    fm = frontmatter.parse(text)
    assert fm.error is None, fm.error  # YAML's own dump is read back
    item, found = metadata.read_governed(fm, Source("policies/a.md", "policies/a", 1), ids)
    lines = len(split_lines(text))
    assert item is not None or found, "a governed page is a model object or says why not"
    for finding in found:
        assert 1 <= finding.line <= lines and finding.message and "\n" not in finding.message, finding
    if isinstance(item, GovernedDocument):
        assert ids[IdKind(item.type.value)].matches(item.id)
        assert item.owner is None or ids[IdKind.ROLE].matches(item.owner)
        assert all(ids[IdKind.RECORD_TYPE].matches(rt.id) for rt in item.record_types)
    if isinstance(item, Record):
        assert ids[IdKind.RECORD].matches(item.id)
        assert item.produced is None or date(1970, 1, 1) <= item.produced <= date(2999, 12, 31)


#: pieces of the regular expressions organisations write, and of those that break
REGEX_PIECES = st.sampled_from([
    "XY", "-", "POL", r"\d", r"\d{2}", "[A-Z]", "[A-Z0-9-]", "[^a]", "+", "*", "?", "{3}", "{2,}", "{0,1000000000}",
    "(", ")", "(?:", "(?i)", "(?i:", "(?P<n>", "(?P=n)", "(?=A)", "(?>", "|", ".", r"\.", r"\w", r"\s", "^", "$",
    "a", "_", "[", "]", "\\", "{", "}",
])  # fmt: skip


@pytest.mark.filterwarnings("ignore:Possible nested set:FutureWarning")  # re's own note on '[['
@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(REGEX_PIECES, max_size=12), kind=st.sampled_from(list(IdKind)))
@example(pieces=["(", "a", "+", ")", "+"], kind=IdKind.POLICY)
@example(pieces=["(" * 200, ")" * 200], kind=IdKind.POLICY)
def test_a_configured_pattern_is_usable_or_refused_in_words(pieces: list[str], kind: IdKind) -> None:
    regex = "".join(pieces)
    prefix = literal_prefix(regex)
    try:
        pattern = configured_pattern(kind, regex)
    except IdPatternError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    # its example is an id of the pattern, made of id characters, starting with its fixed text
    assert re.fullmatch(regex, pattern.example) and ID_CHARACTERS.fullmatch(pattern.example)
    assert pattern.matches(pattern.example) and pattern.example.startswith(prefix)
    assert pattern.prefix == prefix
    re.compile(IdScheme((pattern,)).needs_id_regex())


#: texts with the shape of a period in any cadence, right and wrong
PERIOD_TEXT = st.from_regex(r"\A\s?\d{1,5}(-(Q\d|H\d|W\d{1,2}|\d{1,2}(-\d{1,2})?))?\s?\Z") | st.text(max_size=12)
CADENCE_TEXT = st.sampled_from(
    ["daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly", "per event", "every 1 weeks",
     "every 156 weeks", "every 36 months", "every 7 months", "every 0 months", "every 157 weeks", "fortnightly"]
) | st.text(max_size=16)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    label=PERIOD_TEXT,
    cadence_text=CADENCE_TEXT,
    start=st.dates(min_value=date(1970, 1, 1), max_value=date(2999, 12, 31)),
)
@example(label="9999-12", cadence_text="quarterly", start=date(2026, 1, 1))
@example(label="9999-W52", cadence_text="every 156 weeks", start=date(2026, 1, 5))
def test_a_period_label_is_a_period_of_the_schedule_or_a_reason(label: str, cadence_text: str, start: date) -> None:
    cadence = metadata.parse_cadence(cadence_text)
    if cadence is None or cadence.length is None:  # not a cadence, or per event (dates, not periods)
        return
    parsed = parse_period(label, cadence, start)
    if isinstance(parsed, str):
        assert parsed and "\n" not in parsed
        return
    # a period read from its label is the schedule's period of its first day, and has that label
    assert parsed == period_containing(cadence, start, parsed.start)
    assert parsed.label == label.strip()


#: a field of a commit's header: any bytes but the NUL between fields, or a number of seconds far off the calendar
HEADER_FIELD = st.binary(max_size=24).map(lambda b: b.replace(b"\0", b"")) | st.integers(-(2**70), 2**70).map(
    lambda n: str(n).encode()
)


@settings(max_examples=400, deadline=None)
@given(fields=st.lists(HEADER_FIELD, max_size=14))
@example(fields=[b"a" * 40, b"p1 p2", b"99999999999999999999", b"-99999999999", b"\xff\xfe", b"", b"", b"", b""])
def test_a_commit_header_of_any_bytes_is_read(fields: list[bytes]) -> None:
    """Git writes any 64-bit time and any bytes but NUL; a header cut short or holding
    more fields (a NUL written by hand) is still read, never raised on."""
    commit, parents = parse_commit(b"\0".join(fields))
    # the parents' field is shas separated by spaces
    assert parents == (len(fields[1].decode("utf-8", "replace").split()) if len(fields) > 1 else 0)
    assert commit.committed.tzinfo is not None and commit.authored.tzinfo is not None
    assert isinstance(commit.summary, str) and all(isinstance(a, str) for a in commit.approved_by)
