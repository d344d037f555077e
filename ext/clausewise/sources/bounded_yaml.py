"""YAML composed within bounds, for text a hostile contributor may have written.

YAML that is perfectly legal can still stop a build: PyYAML's composer recurses
once per level of nesting (``[[[[...`` thousands deep is a ``RecursionError``),
an alias may point into its own anchor (``a: &x [*x]`` composes into a node that
contains itself, so turning it into values never ends), and aliases of aliases
multiply (the "billion laughs": ten lines that expand to 10⁹ values). Front
matter and catalogues need none of that, so before a text is composed its event
stream (which PyYAML produces without recursion) is walked once and checked
against the bounds below; a text outside them is one clear error with its line.
So is a text holding a character YAML ends a line at where an editor shows no
line break (U+0085, U+2028, U+2029, pasted with text from elsewhere): YAML would
misread the value it stands in and count every later line one too far.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

import yaml
from yaml.error import Mark
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    ScalarEvent,
)
from yaml.nodes import Node

from clausewise.sources.text import line_at, split_lines

#: The longest text read: a front-matter block or a catalogue file (the bundled
#: catalogues are under 20,000 characters).
MAX_CHARS = 1_000_000
#: The deepest nesting of lists and mappings (front matter needs 3: record_types, an entry, a list).
MAX_DEPTH = 20
#: The most values a text may stand for once its aliases are expanded.
MAX_VALUES = 100_000
#: The characters YAML ends a line at where an editor shows none (see
#: :data:`clausewise.sources.text.LINE_BREAK`): read, each would cut a value in two
#: and put every later key on the wrong line.
HIDDEN_LINE_BREAKS = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}
_HIDDEN_LINE_BREAK = re.compile(f"[{''.join(HIDDEN_LINE_BREAKS)}]")


class BoundsError(Exception):
    """A text outside the bounds: ``line`` is 0-based within the text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def compose(text: str, loader: type[yaml.BaseLoader] | type[yaml.SafeLoader]) -> Node | None:
    """The composed node of ``text`` (``None`` if empty), after checking it is within
    the bounds (:class:`BoundsError` if not). YAML's own errors pass through."""
    if len(text) > MAX_CHARS:
        raise BoundsError(0, f"it is {len(text):,} characters long; at most {MAX_CHARS:,} are read")
    hidden = _HIDDEN_LINE_BREAK.search(text)
    if hidden is not None:
        char = hidden.group()
        raise BoundsError(
            line_at(text, hidden.start()) - 1,
            f"it contains U+{ord(char):04X} ({HIDDEN_LINE_BREAKS[char]}), which YAML takes for the end of a "
            "line where an editor shows none; delete it (it is often invisible: retype the line)",
        )
    if _libyaml_reads(text):
        try:
            # the bounds are checked as libyaml's events come, as they are for PyYAML's: a text of a
            # million "[" stops at the 21st, not after a million events held in memory
            return _compose_events(_within_bounds(_libyaml_events(text)), loader)
        except yaml.YAMLError:
            pass  # PyYAML reads it again, for its own message and line
    return _compose_events(_within_bounds(yaml.parse(text, Loader=loader)), loader)


def _within_bounds(parsed: Iterable[Event]) -> list[Event]:
    """The events of ``parsed``, checked against the bounds as they come (:class:`BoundsError`)."""
    depth = 0
    values = 0
    open_anchors: list[str | None] = []  # the anchor of each collection being read
    sizes: dict[str, int] = {}  # how many values an anchor stands for
    starts: list[int] = []  # the count of values when each open collection started
    events: list[Event] = []
    for event in parsed:
        events.append(event)
        line = event.start_mark.line if event.start_mark else 0
        if isinstance(event, AliasEvent):
            anchor = str(event.anchor)
            if anchor in open_anchors:
                raise BoundsError(
                    line, f"the alias *{anchor} is inside its own anchor &{anchor}, so it never ends; "
                    "write the value out instead"
                )  # fmt: skip
            values += sizes.get(anchor, 1)
        elif isinstance(event, ScalarEvent):
            values += 1
            if event.anchor is not None:
                sizes[str(event.anchor)] = 1
        elif isinstance(event, CollectionStartEvent):
            values += 1
            depth += 1
            if depth > MAX_DEPTH:
                raise BoundsError(
                    line, f"lists and mappings nest more than {MAX_DEPTH} levels deep; write them flatter"
                )
            open_anchors.append(None if event.anchor is None else str(event.anchor))
            starts.append(values)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
            closed, started = open_anchors.pop(), starts.pop()
            if closed is not None:
                sizes[closed] = values - started + 1
        if values > MAX_VALUES:
            raise BoundsError(
                line, f"it stands for more than {MAX_VALUES:,} values once its aliases (*name) are expanded; "
                "write the values out instead of repeating them with aliases"
            )  # fmt: skip
    return events


#: libyaml's parser, where PyYAML was built with it: it reads the events about ten times faster.
_FAST_LOADER: type[yaml.BaseLoader] | None = getattr(yaml, "CBaseLoader", None)
#: Characters on which libyaml and PyYAML's own parser part ways (a tab after ``key:`` is a
#: separator to libyaml and an error to PyYAML; a byte-order mark inside the text; a bare tag
#: ``!`` on an empty value is text to libyaml and null to PyYAML; the complex key ``? ``, whose
#: empty values the two place a column apart): a text holding one is left
#: to PyYAML. Front matter needs none of them.
_LIBYAML_DIFFERS = re.compile(f"[\t\ufeff!{''.join(HIDDEN_LINE_BREAKS)}]|\\?(?:\\s|$)")  # (line breaks: refused before)


def _libyaml_reads(text: str) -> bool:
    """Whether libyaml is here and reads ``text`` as PyYAML would (:data:`_LIBYAML_DIFFERS`)."""
    return _FAST_LOADER is not None and not _LIBYAML_DIFFERS.search(text)


def _parse(text: str, loader: type[yaml.BaseLoader] | type[yaml.SafeLoader]) -> list[Event]:
    """Every event :func:`compose` reads of ``text``, as one list (what the property test compares
    with PyYAML's): libyaml's, when it reads the text without error; otherwise PyYAML's own."""
    if _libyaml_reads(text):
        try:
            return list(_libyaml_events(text))
        except yaml.YAMLError:
            pass
    return list(yaml.parse(text, Loader=loader))


def _libyaml_events(text: str) -> Iterator[Event]:
    """libyaml's events of ``text``, as PyYAML's parser gives them (its errors pass through): a plain
    scalar's style is ``None`` (libyaml: ``""``), and where the text has no final line break, what
    ends at its end ends at the end of its last line (libyaml: at the start of a line after it)."""
    assert _FAST_LOADER is not None
    end: Mark | None = None
    if text and not text.endswith(("\n", "\r")):
        lines = split_lines(text)
        end = Mark("<unicode string>", len(text), len(lines) - 1, len(lines[-1]), None, 0)
    for event in yaml.parse(text, Loader=_FAST_LOADER):
        if isinstance(event, ScalarEvent) and event.style == "":
            event.style = None
        if end is not None:
            if event.start_mark is not None and event.start_mark.line >= end.line + 1:
                event.start_mark = end
            if event.end_mark is not None and event.end_mark.line >= end.line + 1:
                event.end_mark = end
        yield event


def _compose_events(events: list[Event], loader: type[yaml.BaseLoader] | type[yaml.SafeLoader]) -> Node | None:
    """The node ``yaml.compose`` makes of the text whose events were walked, composed from those
    events rather than from the text parsed a second time (scanning is most of PyYAML's time): the
    loader's composer and resolver, fed by the list in place of its parser."""
    replay = loader("")
    queue = iter(events)
    pending: list[Event] = []

    def peek_event() -> Event | None:
        if not pending:
            pending.extend(islice(queue, 1))
        return pending[0] if pending else None

    def check_event(*choices: type[Event]) -> bool:
        event = peek_event()
        return event is not None and (not choices or isinstance(event, choices))

    def get_event() -> Event | None:
        event = peek_event()
        pending.clear()
        return event

    replay.peek_event, replay.check_event, replay.get_event = peek_event, check_event, get_event  # type: ignore[method-assign, assignment]
    try:
        return replay.get_single_node()
    finally:
        replay.dispose()
