"""A record's body: the placeholder text ``clausewise new record`` writes, declared
once, and whether a record's body is still that scaffold rather than evidence.

The scaffold (:mod:`clausewise.authoring.records`) writes :func:`scaffold_body`;
both readers of a page (the build and ``clausewise check``) find an unfilled body
with :func:`unfilled_line` through ``pipeline.assembly.read_page``, so the phrases
the rule looks for are exactly those the scaffold wrote.
"""

from __future__ import annotations

import re

from clausewise.sources.text import split_lines

#: The sentences of the scaffold's body that stand for what an owner writes: a body that
#: still holds one of them (anywhere in a line, case and spacing aside) is not filled in.
PLACEHOLDERS: tuple[str, ...] = (
    "What the record shows, for an auditor: the key figures, findings or decisions.",
    "What was decided or must be done, by whom and by when.",
)

#: Who produced a record added in the forge's web editor, until its author writes their name
#: there: a current record that still says so is not filled in (:func:`placeholder_producer`).
PRODUCER_PLACEHOLDER = "Your name"

#: A line that is no text of the record: blank, a Markdown heading, or an HTML comment alone.
_NOT_TEXT = re.compile(r"^\s*(#{1,6}(\s.*)?|<!--.*-->)?\s*$")


def scaffold_body() -> str:
    """The body ``clausewise new record`` writes below the front matter."""
    return f"{PLACEHOLDERS[0]}\n\n## Actions\n\n{PLACEHOLDERS[1]}\n"


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def placeholder_producer(produced_by: str | None) -> bool:
    """Whether ``produced_by:`` still holds :data:`PRODUCER_PLACEHOLDER` (case and spacing aside)."""
    return produced_by is not None and _normalised(produced_by) == _normalised(PRODUCER_PLACEHOLDER)


def unfilled_line(text: str, body_starts_after: int, has_evidence: bool) -> int | None:
    """The 1-based line of the first placeholder sentence in the body of ``text`` (the
    body is every line after line ``body_starts_after``, the front matter's closing fence);
    for a body with no text besides headings, blank lines and HTML comments, and no
    ``evidence:`` pointing elsewhere, the line ``body_starts_after`` itself (the record
    shows nothing); ``None`` when the body is filled in."""
    phrases = [_normalised(p) for p in PLACEHOLDERS]
    lines = split_lines(text)
    has_text = False
    for index in range(body_starts_after, len(lines)):
        line = _normalised(lines[index])
        if any(p in line for p in phrases):
            return index + 1
        has_text = has_text or not _NOT_TEXT.match(lines[index])
    if has_text or has_evidence:
        return None
    return max(body_starts_after, 1)
