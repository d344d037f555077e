"""Bad input that is legal but hostile never crashes, hangs or misleads: dates at
the calendar's edges, YAML bombs, bytes that are not UTF-8, values YAML reads as
something else. Each case runs through ``clausewise check`` and a real Sphinx
build in a temporary git repository, and both must report the same finding."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import pytest
import yaml
from clausewise.core.dates import add_days, add_months
from clausewise.core.ids import IdScheme
from clausewise.core.model import Cadence, PeriodUnit, Source
from clausewise.core.settings import ClausewiseConfig, SettingError
from clausewise.core.settings import settings as declared_settings
from clausewise.rules.periods import due_date, expected_period, parse_period, period_containing, schedule
from clausewise.sources import bounded_yaml, catalogue, frontmatter, metadata
from handbook import build, governed, role, run_clausewise, write_handbook
from hypothesis import example, given, settings
from hypothesis import strategies as st
from yaml.events import Event

TODAY = "2026-11-23"
POLICY = "policies/a.md"
PROCEDURE = "procedures/p.md"
CRASHES = ("Traceback", "Exception occurred", "RecursionError")

#: (code, path, line, message) of a finding
Reported = tuple[str, str, int, str]


#: A case that takes longer than this has hung (each takes about a second).
TIME_LIMIT = 60


def check(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``clausewise check`` judged on TODAY, as an owner runs it; a hang fails the test
    (``subprocess.TimeoutExpired``) before the build that would hang too is started."""
    env = {k: v for k, v in os.environ.items() if k != "CLAUSEWISE_TODAY"}
    return subprocess.run(
        [sys.executable, "-m", "clausewise.cli", "check", "--today", TODAY, *options],
        cwd=root, capture_output=True, text=True, check=False, env=env, timeout=TIME_LIMIT,
    )  # fmt: skip


def reported(root: Path, codes: tuple[str, ...] = ("invalid-metadata",)) -> list[Reported]:
    """The findings of ``codes`` as ``clausewise check`` reports them, after checking
    that a real build reports exactly the same and that neither crashed."""
    checked = check(root, "--format", "json")
    assert not any(c in checked.stdout + checked.stderr for c in CRASHES), checked.stderr
    from_check = [
        (f["code"], f["path"], f["line"], f["message"]) for f in json.loads(checked.stdout)["findings"]
        if f["code"] in codes
    ]  # fmt: skip
    result = build(root, fresh=True)
    assert not any(c in result.raw_warnings for c in CRASHES), result.raw_warnings
    from_build = [
        (f["code"], f["path"], f["line"], f["message"]) for f in result.report["findings"] if f["code"] in codes
    ]
    assert from_check == from_build
    return from_check


def refused_by_both(root: Path) -> str:
    """The one line ``clausewise check`` refuses a handbook with, after checking that a
    real ``sphinx-build`` stops with the same line (exit 2) and neither crashed."""
    checked = check(root)
    assert (checked.returncode, checked.stdout) == (2, "")
    built = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", ".", "_build/html"],
        cwd=root, capture_output=True, text=True, check=False, env={**os.environ, "CLAUSEWISE_TODAY": TODAY},
        timeout=TIME_LIMIT,
    )  # fmt: skip
    assert built.returncode == 2, built.stderr
    assert not any(c in built.stderr + checked.stderr for c in CRASHES), built.stderr
    assert f"ERROR: {checked.stderr.strip()} [clausewise.config]" in built.stderr.splitlines()
    return checked.stderr.strip()


def handbook(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_handbook(
        tmp_path / "hb",
        {"roles/owner.md": role(), **files},
        "clausewise_governed_paths = ['policies/', 'procedures/', 'roles/', 'records/']\n",
    )


# --- dates at the edge of the calendar ----------------------------------------------------------------

OUTSIDE = "is outside the dates clausewise reads; expected a day between 1970-01-01 and 2999-12-31"


@pytest.mark.parametrize(
    ("key", "line", "value"),
    [("reviewed", 9, "9999-12-31"), ("effective", 8, "0001-01-01"), ("reviewed", 9, "1969-12-31")],
)
def test_a_front_matter_date_outside_the_range_is_invalid(tmp_path: Path, key: str, line: int, value: str) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A", **{key: value})})
    assert reported(root) == [("invalid-metadata", POLICY, line, f"{key}: '{value}' {OUTSIDE}")]


def test_a_review_interval_longer_than_ten_years_is_invalid(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A", review_interval='"999999 years"')})
    assert reported(root) == [
        ("invalid-metadata", POLICY, 12, "review_interval: '999999 years' is malformed; expected a number of "
         "months or years up to 10 years, e.g. '12 months' or '2 years'"),
    ]  # fmt: skip


def test_a_window_longer_than_120_months_is_invalid(tmp_path: Path) -> None:
    types = "\n  - {id: RT-X, title: X, owner: ROLE-OWNER, cadence: per event, window: 999999 months}"
    root = handbook(tmp_path, {PROCEDURE: governed("PRC-001", "procedure", "P", record_types=types)})
    assert reported(root) == [
        ("invalid-metadata", PROCEDURE, 13,
         "window: '999999 months' is malformed; expected a number of months up to 120, e.g. '12 months'"),
    ]  # fmt: skip


def test_a_schedule_starting_long_ago_checks_the_last_ten_years_and_says_so(tmp_path: Path) -> None:
    types = "\n  - {id: RT-X, title: X, owner: ROLE-OWNER, cadence: yearly, start: 1990-03-01}"
    root = handbook(tmp_path, {PROCEDURE: governed("PRC-001", "procedure", "P", record_types=types)})
    assert reported(root, ("schedule-shortened", "invalid-metadata")) == [
        ("schedule-shortened", PROCEDURE, 13,
         "RT-X starts on 1990-03-01, more than 10 years before today (2026-11-23): only its periods from 2016 "
         "on are checked; set 'start:' to the day its records began to be kept, no earlier than 2016-11-23"),
    ]  # fmt: skip
    # 2016 to 2025 are due and missing; 2026 is still open
    missing = reported(root, ("record-missing",))
    assert [f[3].split(" (")[0] for f in missing] == [f"no record of RT-X X for {y}" for y in range(2016, 2026)]


def test_a_daily_schedule_from_1970_does_not_flood(tmp_path: Path) -> None:
    types = "\n  - {id: RT-X, title: X, owner: ROLE-OWNER, cadence: daily, start: 1970-01-01}"
    root = handbook(tmp_path, {PROCEDURE: governed("PRC-001", "procedure", "P", record_types=types)})
    missing = reported(root, ("record-missing",))
    # the ten years before today (2016-11-23 on) less the 30 days still within grace
    assert len(missing) == (date(2026, 11, 23) - date(2016, 11, 23)).days - 30
    assert missing[0][3].startswith("no record of RT-X X for 2016-11-23 ")


dates = st.dates(min_value=date.min, max_value=date.max)
cadences = st.sampled_from(
    [Cadence("daily", 1, unit=PeriodUnit.DAY), Cadence("weekly", 1, unit=PeriodUnit.WEEK),
     Cadence("monthly", 1), Cadence("quarterly", 3), Cadence("half-yearly", 6), Cadence("yearly", 12),
     Cadence("every 36 months", 36), Cadence("every 156 weeks", 156, unit=PeriodUnit.WEEK)]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(day=dates, months=st.integers(-(10**6), 10**6), days=st.integers(-(10**7), 10**7))
def test_month_and_day_arithmetic_never_raises(day: date, months: int, days: int) -> None:
    assert date.min <= add_months(day, months) <= date.max
    assert date.min <= add_days(day, days) <= date.max


@settings(max_examples=300, deadline=None)
@given(cadence=cadences, start=dates, day=dates, grace=st.integers(0, 366))
def test_period_arithmetic_never_raises_anywhere_on_the_calendar(
    cadence: Cadence, start: date, day: date, grace: int
) -> None:
    period = period_containing(cadence, start, day)
    assert period.start <= period.end
    due_date(period, grace)
    expected_period(cadence, start)
    parse_period(period.label, cadence, start)
    periods = schedule(cadence, start, day)
    # bounded: at most ten years and a period of daily periods
    assert len(periods) <= 3660
    assert all(a.end < b.start for a, b in itertools.pairwise(periods))


# --- YAML that is legal but hostile -------------------------------------------------------------------

LAUGHS = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 12)
)


@pytest.mark.parametrize(
    ("front_matter", "line", "problem"),
    [
        ("id: POL-001\nroles: &x [*x]\n", 3,
         "the alias *x is inside its own anchor &x, so it never ends; write the value out instead"),
        ("id: POL-001\nroles: " + "[" * 5000 + "]" * 5000 + "\n", 3,
         "lists and mappings nest more than 20 levels deep; write them flatter"),
        ("id: POL-001\n" + LAUGHS, 8,
         "it stands for more than 100,000 values once its aliases (*name) are expanded; write the values out "
         "instead of repeating them with aliases"),
        ("id: POL-001\nroles: '" + "x" * 1_000_001 + "'\n", 2,
         "it is 1,000,022 characters long; at most 1,000,000 are read"),
    ],
    ids=["self-alias", "deep", "billion-laughs", "huge"],
)  # fmt: skip
def test_hostile_yaml_is_one_finding_with_its_line(tmp_path: Path, front_matter: str, line: int, problem: str) -> None:
    root = handbook(tmp_path, {POLICY: f"---\n{front_matter}---\n\n# A\n"})
    assert reported(root) == [
        ("invalid-metadata", POLICY, line, f"front matter cannot be read: {problem} (line {line})"),
    ]


def test_a_hostile_catalogue_is_one_line_with_its_line(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A")})
    (root / "mini-catalogue.yaml").write_text("standard: S\nnotice: N\nid_prefix: S\nclauses: &c [*c]\n")
    assert refused_by_both(root) == (
        "clausewise: mini-catalogue.yaml:4: the catalogue cannot be read: the alias *c is inside its own anchor "
        "&c, so it never ends; write the value out instead"
    )


# --- encodings ----------------------------------------------------------------------------------------


def test_a_page_that_is_not_utf8_is_left_out_of_the_build_with_a_finding(tmp_path: Path) -> None:
    root = handbook(tmp_path, {"policies/b.md": governed("POL-002", "policy", "B")})
    (root / POLICY).write_bytes(governed("POL-001", "policy", "Caf\xe9").encode("latin-1"))
    message = (
        "byte 0xe9 on line 4 is not UTF-8 text (invalid continuation byte); save the file as UTF-8; until then "
        "the page is left out of the build and its metadata is unknown"
    )
    assert reported(root, ("page-unreadable", "invalid-metadata")) == [("page-unreadable", POLICY, 4, message)]
    # the rest of the handbook is built as usual, again incrementally and in parallel; the page is not
    result = build(root, parallel=2)
    assert [f for f in result.findings if f[0] == "page-unreadable"] == [("page-unreadable", POLICY, 4, "")]
    assert (result.outdir / "policies" / "b.html").is_file()
    assert not (result.outdir / "policies" / "a.html").exists()
    # saved as UTF-8, it is read and built on the next (incremental) build
    (root / POLICY).write_text(governed("POL-001", "policy", "Café"), encoding="utf-8")
    result = build(root)
    assert [f for f in result.findings if f[0] in ("page-unreadable", "invalid-metadata")] == []
    assert "Café" in result.page_text("policies/a")


def test_a_catalogue_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A")})
    (root / "mini-catalogue.yaml").write_bytes("standard: S\nnotice: Caf\xe9\n".encode("latin-1"))
    assert refused_by_both(root) == (
        "clausewise: mini-catalogue.yaml:2: byte 0xe9 on line 2 is not UTF-8 text (invalid continuation byte); "
        "save the file as UTF-8"
    )


def test_review_accepts_a_page_with_a_byte_order_mark_and_keeps_it(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: ""})
    (root / POLICY).write_bytes(b"\xef\xbb\xbf" + governed("POL-001", "policy", "A").encode("utf-8"))
    assert reported(root) == []
    done = run_clausewise("review", "POL-001", "--today", TODAY, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"{POLICY}: reviewed: 2026-06-01 -> {TODAY}"
    after = (root / POLICY).read_bytes()
    assert after.startswith(b"\xef\xbb\xbf---\nid: POL-001\n") and f"\nreviewed: {TODAY}\n".encode() in after


# --- values YAML reads as something else, and messages that named the wrong problem --------------------


@pytest.mark.parametrize(
    ("overrides", "line", "message"),
    [
        ({"title": "#1 policy"}, 4,
         "title: YAML reads '#1 policy' as a comment, so the value is empty; put it in quotes: title: \"#1 policy\""),
        ({"title": "&1 policy"}, 4,
         "title: YAML reads '&1' as an anchor name, not as text, so the value is 'policy'; put it in quotes: "
         "title: \"&1 policy\""),
        ({"owner": "!ROLE-OWNER x"}, 5,
         "owner: YAML reads '!ROLE-OWNER' as a tag, not as text, so the value is 'x'; put it in quotes: "
         "owner: \"!ROLE-OWNER x\""),
        ({"title": "Policy #1"}, 4,
         "title: YAML reads '#1' as a comment, so the value is 'Policy'; if it belongs to the title, put the value "
         "in quotes: title: \"Policy #1\"; if it is a comment, put it on a line of its own"),
        ({"satisfies": "[[1.1]]"}, 11,
         "satisfies: item 1 is a list ([1.1]) where one of the clause numbers is expected; write a list of clause "
         "numbers with one pair of brackets, e.g. [a, b]"),
    ],
    ids=["hash", "anchor", "tag", "comment-in-title", "nested-list"],
)  # fmt: skip
def test_a_value_yaml_reads_otherwise_is_named(
    tmp_path: Path, overrides: dict[str, str], line: int, message: str
) -> None:
    fields = {"title": "A", **overrides}
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", **fields)})
    assert reported(root) == [("invalid-metadata", POLICY, line, message)]


def test_a_comment_after_a_date_is_still_a_comment(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A", reviewed="2026-06-01  # first review")})
    assert reported(root) == []


def test_an_unclosed_front_matter_block_says_so(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: "---\nid: POL-001\ntype: policy\n\n# A\n\nText.\n"})
    assert reported(root) == [
        ("invalid-metadata", POLICY, 1,
         "the front matter opened by '---' on line 1 is never closed; add a line '---' after its last key"),
    ]  # fmt: skip


# --- catalogues ---------------------------------------------------------------------------------------

NUMBERS_CATALOGUE = """\
standard: Numbers
id_prefix: NUM
notice: Numbers and headings only.
clauses:
  - {number: 2, heading: Operation}
  - {number: 2.1, heading: First}
  - number: 2.10
    heading: Tenth
"""


def test_unquoted_catalogue_numbers_stay_as_written(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A", satisfies="[2.10, 2.1, 2]")})
    (root / "mini-catalogue.yaml").write_text(NUMBERS_CATALOGUE)
    assert reported(root, ("invalid-metadata", "unknown-clause", "uncovered-clause")) == []
    assert "2.10 Tenth" in build(root).page_text("pages/clauses")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("  - {number: [2.2], heading: B}\n",
         "mini-catalogue.yaml:9: number is a list, not a clause number; expected letters or digits joined by dots, "
         'like 8.3.4.1 or A.5.15 (quote it: "4.10")'),
        ("  - {? [x] : y}\n",
         "mini-catalogue.yaml:9: a key that is a list in a clause entry with number, heading and confirmation; "
         "expected number, heading, confirmation"),
        ("  - {number: 2.2, heading: \x01B}\n",
         "mini-catalogue.yaml:9: contains a character YAML does not allow: U+0001; delete it (it is often "
         "invisible: retype the line)"),
    ],
    ids=["list-number", "list-key", "control-character"],
)  # fmt: skip
def test_catalogue_mistakes_name_the_line_and_what_was_found(tmp_path: Path, entry: str, message: str) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A")})
    (root / "mini-catalogue.yaml").write_text(NUMBERS_CATALOGUE + entry)
    assert refused_by_both(root) == f"clausewise: {message}"


# --- settings of the wrong type -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ("clausewise_governed_paths = [1, 2]",
         "clausewise_governed_paths is [1, 2]; expected a list of folders, e.g. ['policies/', 'procedures/']"),
        ("clausewise_governed_paths = 'policies/'",
         "clausewise_governed_paths is 'policies/'; expected a list of folders, e.g. ['policies/', 'procedures/']"),
        ("clausewise_organisation = ['Fernhill', 'Ltd']",
         "clausewise_organisation is ['Fernhill', 'Ltd']; expected a text in quotes, e.g. "
         'clausewise_organisation = "..."'),
        ("clausewise_sms_start = '0001-01-01'",
         "clausewise_sms_start is '0001-01-01'; expected a day between 1970-01-01 and 2999-12-31"),
        ("clausewise_activities = {1: ['POL-001']}",
         "clausewise_activities is {1: ['POL-001']}; expected a dict of each activity's name to a list of document "
         "ids, e.g. {'Internal audit': ['PRC-022']}"),
    ],
    ids=["numbers-as-folders", "text-as-folders", "list-as-text", "date-off-the-calendar", "number-as-name"],
)  # fmt: skip
def test_a_setting_of_the_wrong_type_stops_check_and_build_in_one_line(tmp_path: Path, conf: str, message: str) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A")})
    with (root / "conf.py").open("a") as conf_py:
        conf_py.write(conf + "\n")
    assert refused_by_both(root) == f"clausewise: conf.py: {message}"


#: values of every type conf.py can hold
conf_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.dates() | st.binary(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner)
    | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(name=st.sampled_from([name for name, _ in declared_settings()]), value=conf_values)
def test_every_setting_takes_any_value_or_says_in_one_line_why_not(name: str, value: object) -> None:
    try:
        ClausewiseConfig.from_values({name: value}, environ={})
    except SettingError as exc:
        # (the audience is often chosen with -D, and its message says so)
        where = ("conf.py: ", "conf.py or -D: ")
        assert str(exc).startswith(tuple(f"{w}{name}{c}" for w in where for c in " [")), str(exc)
        assert "\n" not in str(exc)


def test_an_activity_naming_no_document_is_a_finding(tmp_path: Path) -> None:
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A")})
    with (root / "conf.py").open("a") as conf_py:
        conf_py.write("clausewise_activities = {'Internal audit': ['POL-001', 'POL-010', 'PRC-999']}\n")
    assert reported(root, ("unknown-reference",)) == [
        ("unknown-reference", "conf.py", 0, "clausewise_activities: the activity 'Internal audit' names 'POL-010', "
         "which is not a document of the handbook; did you mean POL-001?"),
        ("unknown-reference", "conf.py", 0, "clausewise_activities: the activity 'Internal audit' names 'PRC-999', "
         "which is not a document of the handbook; name the ids of documents of the handbook"),
    ]  # fmt: skip


# --- the readers, for any text ------------------------------------------------------------------------

#: text made mostly of what YAML gives meaning to, so that the examples reach deep into the parser
YAML_CHARACTERS = [*"-:#&*!|>'\"[]{},?%@` \n\tabc19.", "\x00", "\ufeff", "é", "\u2028"]
#: pieces of YAML's syntax (anchors and aliases of one name, so that aliases meet their anchors)
YAML_PIECES = [
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "\n",
    "\n  ",
    "? ",
    ", ",
    " #",
    "!t ",
    "a",
    "1.10",
    "'",
    '"',
]
yaml_text = st.text(alphabet=st.sampled_from(YAML_CHARACTERS), max_size=200) | st.lists(
    st.sampled_from(YAML_PIECES), max_size=40
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(body=yaml_text)
@example(body="a: &a [*a]")
@example(body="a: " + "[" * 3000)
@example(body="a: &a {b: *a}")
def test_the_front_matter_reader_returns_findings_or_data_for_any_text(body: str) -> None:
    for text in (f"---\n{body}\n---\n\n# T\n", body):
        fm = frontmatter.parse(text)
        assert isinstance(fm.data, dict)
        if fm.error is not None:
            assert fm.data == {} and fm.error[0] >= 1 and fm.error[1]
        _, found = metadata.read_governed(fm, Source("policies/a.md", "policies/a", 1), IdScheme())
        assert all(f.line >= 1 and f.message for f in found)
        frontmatter.sanitised_for_myst(text, fm, metadata.OWN_KEYS)


@settings(max_examples=1000, deadline=None)
@given(body=yaml_text)
def test_the_catalogue_loader_returns_a_catalogue_or_one_line_for_any_text(
    tmp_path_factory: pytest.TempPathFactory, body: str
) -> None:
    path = tmp_path_factory.mktemp("cat") / "c.yaml"
    for text in (body, f"standard: S\nnotice: N\nid_prefix: S\nclauses:\n{body}"):
        path.write_text(text, encoding="utf-8")
        try:
            catalogue.load(path, "c.yaml")
        except catalogue.CatalogueError as exc:
            assert str(exc).startswith("c.yaml") and "\n" not in str(exc).split("; ")[0]


def test_a_start_option_off_the_calendar_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    root = handbook(tmp_path, {PROCEDURE: governed("PRC-001", "procedure", "P")})
    before = (root / PROCEDURE).read_bytes()
    done = run_clausewise(
        "new", "record-type", "--document", "PRC-001", "--title", "Report", "--cadence", "monthly",
        "--start", "9999-12-31", "--today", TODAY, cwd=root,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[-1].endswith(
        "argument --start: '9999-12-31': expected a day between 1970-01-01 and 2999-12-31"
    )
    assert (root / PROCEDURE).read_bytes() == before


def _events(events: Iterable[Event]) -> list[tuple[object, ...]]:
    """What the composer and the messages read of each event: kind, value, anchor, tag, style, lines
    and columns. Whether a collection is in flow style, not how a block one is indented (PyYAML
    says ``None`` for a list not indented under its key, libyaml ``False``: both read "not flow");
    and no column of an empty value (the two place one in a flow list a column apart; the reader
    takes columns of keys only)."""
    return [
        (type(e).__name__, getattr(e, "value", None), getattr(e, "anchor", None), getattr(e, "tag", None),
         getattr(e, "implicit", None), getattr(e, "style", None), bool(getattr(e, "flow_style", None)),
         e.start_mark.line, e.end_mark.line,
         None if getattr(e, "value", None) == "" else (e.start_mark.column, e.end_mark.column))
        for e in events
    ]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(body=yaml_text)
@example(body="a: #1 policy\nb: 'x'\nc: |\n  y\n")
@example(body="a:\tb")
@example(body="- [a, {b: c}]\n- ? x\n  : y")
@example(body="\n-")
@example(body="!")
@example(body=">#")
@example(body="[? ]")
@example(body="[1: ]")
@example(body="\u2028")
def test_libyaml_reads_what_the_pure_python_parser_reads_and_leaves_its_errors_to_it(body: str) -> None:
    # the fast path (bounded_yaml._parse): where both parsers read a text, libyaml's events are
    # PyYAML's; a text libyaml refuses is parsed again by PyYAML, for its message and line. (Where
    # PyYAML alone refuses a text, such as ">#", libyaml's reading is kept: it is YAML's.)
    for text in (body, f"key: {body}", f"- {body}", f"{body}\n", f"key: {body}\n", f"- {body}\n"):
        fast, own = _read(bounded_yaml._parse, text), _read(lambda t, loader: yaml.parse(t, Loader=loader), text)
        assert fast == own or (isinstance(own, str) and not isinstance(fast, str)), text


def _read(parse: Callable[[str, type[yaml.SafeLoader]], Iterable[Event]], text: str) -> list[tuple[object, ...]] | str:
    """The events ``parse`` gives of ``text``, or its error's text."""
    try:
        return _events(parse(text, yaml.SafeLoader))
    except yaml.YAMLError as error:
        return str(error)


def test_a_million_brackets_stop_at_the_bound_without_holding_their_events() -> None:
    # libyaml reads the events (bounded_yaml._libyaml_events); the bounds are checked as they come,
    # so a hostile text of a million "[" stops at the 21st instead of a million events held in memory
    tracemalloc.start()
    try:
        with pytest.raises(bounded_yaml.BoundsError) as refused:
            bounded_yaml.compose("a: " + "[" * 999_000, yaml.BaseLoader)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (refused.value.line, refused.value.message) == (
        0,
        f"lists and mappings nest more than {bounded_yaml.MAX_DEPTH} levels deep; write them flatter",
    )
    assert peak < 20 * 1024 * 1024, peak  # the text itself is 1 MB (4 MB as str at worst)


def test_a_folded_title_with_nothing_in_it_is_one_finding_on_its_line(tmp_path: Path) -> None:
    """``title: >#`` is an empty folded block to YAML (and to libyaml, which the readers use);
    PyYAML's own parser refuses it. Either way the owner sees one finding on the line."""
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", ">#")})
    assert reported(root) == [
        ("invalid-metadata", POLICY, 4, "title: '' is not a text value; expected the document's title"),
    ]
