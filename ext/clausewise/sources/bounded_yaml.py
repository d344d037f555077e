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
from collections.abc import Iterable
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
    depth = 0
    values = 0
    open_anchors: list[str | None] = []  # the anchor of each collection being read
    sizes: dict[str, int] = {}  # how many values an anchor stands for
    starts: list[int] = []  # the count of values when each open collection started
    events: list[Event] = []
    for event in _parse(text, loader):
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
    return _compose_events(events, loader)


#: libyaml's parser, where PyYAML was built with it: it reads the events about ten times faster.
_FAST_LOADER: type[yaml.BaseLoader] | None = getattr(yaml, "CBaseLoader", None)
#: Characters on which libyaml and PyYAML's own parser part ways (a tab after ``key:`` is a
#: separator to libyaml and an error to PyYAML; a byte-order mark inside the text; a bare tag
#: ``!`` on an empty value is text to libyaml and null to PyYAML; the complex key ``? ``, whose
#: empty values the two place a column apart): a text holding one is left
#: to PyYAML. Front matter needs none of them.
_LIBYAML_DIFFERS = re.compile(f"[\t\ufeff!{''.join(HIDDEN_LINE_BREAKS)}]|\\?(?:\\s|$)")  # (line breaks: refused before)


def _parse(text: str, loader: type[yaml.BaseLoader] | type[yaml.SafeLoader]) -> Iterable[Event]:
    """The events of ``text``: libyaml's, when it reads the text without error; otherwise (or
    without libyaml) PyYAML's own parser's, whose error (its message and line) is the one reported.
    The events are the same objects either way, as :func:`_as_pyyaml_reads` makes them, and every
    error message the handbook's owners see is the pure-Python parser's. Front matter and
    catalogues are parsed on every build and by every ``clausewise check``: this is most of the
    time either spends reading a large handbook."""
    if _FAST_LOADER is not None and not _LIBYAML_DIFFERS.search(text):
        try:
            events = list(yaml.parse(text, Loader=_FAST_LOADER))
        except yaml.YAMLError:
            pass  # read it again below, for the pure-Python parser's message
        else:
            return _as_pyyaml_reads(events, text)
    return yaml.parse(text, Loader=loader)


def _as_pyyaml_reads(events: list[Event], text: str) -> list[Event]:
    """libyaml's ``events`` of ``text`` as PyYAML's parser gives them: a plain scalar's style is
    ``None`` (libyaml: ``""``), and where the text has no final line break, what ends at its end
    ends at the end of its last line (libyaml: at the start of a line after it)."""
    end: Mark | None = None
    if text and not text.endswith(("\n", "\r")):
        lines = split_lines(text)
        end = Mark("<unicode string>", len(text), len(lines) - 1, len(lines[-1]), None, 0)
    for event in events:
        if isinstance(event, ScalarEvent) and event.style == "":
            event.style = None
        if end is not None:
            if event.start_mark is not None and event.start_mark.line >= end.line + 1:
                event.start_mark = end
            if event.end_mark is not None and event.end_mark.line >= end.line + 1:
                event.end_mark = end
    return events


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
