"""The parts every page repeats, and the large handbook-wide tables, as plain data, and their HTML.

A status box and a revision history are on every governed page and every record: on a
handbook of a thousand documents and five thousand records, making them as docutils nodes and
having Sphinx's translator write those nodes as HTML was most of what a build cost beyond
sphinx-needs' own. So they are made as the small data below (a :class:`Table` of cells made of
:data:`Inline` parts, a :class:`Paragraph`), which :func:`clausewise.sphinxext.render.nodes_of`
makes into nodes for every builder, and :func:`html` writes as HTML text for the HTML builders
whose translator is Sphinx's own (:func:`writes_like_html5`): the same bytes that translator
writes for those nodes, in a small fraction of the time. So are a record type's period grids,
the document register and the tables of documents (a role's, a type's).

The search indexer reads raw HTML by stripping its tags, which is not how it reads nodes, so the
HTML text goes to it with the class ``no-search``; the tables whose words it keeps go with their
words beside them (:func:`words`, ``render.search_words``). ``tests/test_generated_html.py``
builds handbooks both ways and compares every page, and the search index, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sphinx.writers.html5 import HTML5Translator

#: every generated table's class (``clausewise.css``)
TABLE_CLASS = "clausewise-table"
#: the class of a table whose rows become stacked cards on a narrow screen (``clausewise.css``)
STACKED_CLASS = "clausewise-stacked"

# --- the content ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Span:
    """Text with classes of clausewise's (``clausewise-date``, ``clausewise-missing`` ...)."""

    text: str
    classes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """Literal text: a path, a commit's short sha."""

    text: str


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    uri: str
    #: a page of the handbook (``reference internal``), else an address outside it
    internal: bool
    #: its tooltip ("" for none)
    title: str = ""
    classes: tuple[str, ...] = ()


Inline = Text | Span | Emphasis | Code | Link
Inlines = tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Line:
    parts: Inlines
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lines:
    """Lines of a cell, one under the other (a docutils line block)."""

    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """A cell with classes of its own (a period's state), or with ``label``: its column's heading,
    shown before its value where the table is laid out as cards on a narrow screen."""

    content: Inlines
    classes: tuple[str, ...] = ()
    label: str = ""


#: a table cell: a paragraph of inline parts, lines, or an :class:`Entry`
Cell = Inlines | Lines | Entry


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...] | None
    rows: tuple[tuple[Cell, ...], ...]
    classes: tuple[str, ...] = ()
    widths: tuple[int, ...] | None = None
    #: the table's HTML id ("" for none)
    anchor: str = ""
    #: each row's classes (empty: none)
    row_classes: tuple[tuple[str, ...], ...] = ()
    #: a card of labelled cells per row on a narrow screen (see ``render.STACKED_CLASS``)
    stacked: bool = False
    #: each row's HTML id ("" for none; empty: none)
    row_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    parts: Inlines


Block = Table | Paragraph


def inlines(*parts: Inline | str) -> Inlines:
    """Inline parts, a plain string being :class:`Text`."""
    return tuple(Text(p) if isinstance(p, str) else p for p in parts)


def joined(groups: Iterable[Inline | Inlines], separator: str = ", ") -> Inlines:
    """``groups`` with ``separator`` between them, as one run of inline parts."""
    out: list[Inline] = []
    for n, group in enumerate(groups):
        if n:
            out.append(Text(separator))
        out.extend(group if isinstance(group, tuple) else (group,))
    return tuple(out)


# --- their HTML ---------------------------------------------------------------------------------


#: the docutils nodes :func:`clausewise.sphinxext.render.nodes_of` makes (by class name)
NODES_MADE = frozenset(
    {"table", "tgroup", "colspec", "thead", "tbody", "row", "entry", "paragraph", "line_block", "line", "inline",
     "emphasis", "literal", "reference", "Text"}
)  # fmt: skip


def writes_like_html5(translator_class: type, table_style: str, handled: Iterable[str]) -> bool:
    """Whether :func:`html` writes what the builder's translator would write of the parts' nodes:
    the translator is Sphinx's own (a theme or an extension that sets its own may write tables
    its own way), no extension handles one of those nodes itself (``handled``: the node names
    given handlers with ``app.add_node``) and no docutils ``table_style`` (``docutils.conf``) adds
    classes to every table. Elsewhere the parts are nodes, written by the builder's translator."""
    return translator_class is HTML5Translator and not table_style.strip(" ,") and not NODES_MADE & set(handled)


# what the translator escapes in text and attributes (docutils also hides "@" from harvesters)
_ESCAPES = HTML5Translator.special_characters
_WORDS_AND_SPACES = HTML5Translator.words_and_spaces
_ATTRIBUTE_BLANKS = str.maketrans("\n\r\t\v\f", "     ")


def _text(text: str) -> str:
    return text.translate(_ESCAPES)


def _attribute(text: str) -> str:
    return text.translate(_ATTRIBUTE_BLANKS).translate(_ESCAPES)


def _classes(*groups: Sequence[str]) -> str:
    """A class attribute's value as docutils' ``starttag`` makes it: in order, each once."""
    out: list[str] = []
    for group in groups:
        for cls in group:
            for word in cls.split():
                if word not in out:
                    out.append(word)
    return " ".join(out)


def _code(text: str) -> str:
    """Literal text as Sphinx writes it: each word kept on one line, runs of spaces kept."""
    out = ['<code class="docutils literal notranslate">']
    for token in _WORDS_AND_SPACES.findall(_text(text)):
        if token.strip():
            out.append(f'<span class="pre">{token}</span>')
        elif token in (" ", "\n"):
            out.append(token)
        else:
            out.append("&#160;" * (len(token) - 1) + " ")
    out.append("</code>")
    return "".join(out)


def _inline(part: Inline) -> str:
    match part:
        case Text(text):
            return _text(text)
        case Span(text, classes):
            return (
                f'<span class="{_classes(classes)}">{_text(text)}</span>' if classes else f"<span>{_text(text)}</span>"
            )
        case Emphasis(text):
            return f"<em>{_text(text)}</em>"
        case Code(text):
            return _code(text)
        case Link(text, uri, internal, title, classes):
            kind = "internal" if internal else "external"
            tooltip = f' title="{_attribute(title)}"' if title else ""
            start = f'<a class="{_classes(classes, ["reference", kind])}" href="{_attribute(uri or "#")}"{tooltip}>'
            return f"{start}{_text(text)}</a>"


def _inlines(parts: Inlines) -> str:
    return "".join(_inline(p) for p in parts)


def _cell(tag: str, cell: Cell, label: str | None) -> str:
    if isinstance(cell, Entry):
        own = f' class="{_classes(cell.classes)}"' if cell.classes else ""
        labelled = f' data-label="{_attribute(cell.label)}"' if cell.label else ""
        return f"<td{labelled}{own}><p>{_inlines(cell.content)}</p></td>\n"
    if tag == "th":
        start = '<th class="head">'
    else:
        start = f'<td data-label="{_attribute(label)}">' if label is not None else "<td>"
    if isinstance(cell, Lines):
        lines = "".join(
            f'<div class="{_classes(line.classes, ["line"])}">{_inlines(line.parts) or "<br />"}</div>\n'
            for line in cell.lines
        )
        return f'{start}<div class="line-block">\n{lines}</div>\n</{tag}>\n'
    return f"{start}<p>{_inlines(cell)}</p></{tag}>\n"


def _table(table: Table) -> str:
    anchor = f' id="{_attribute(table.anchor)}"' if table.anchor else ""
    stacked = table.stacked and table.headers is not None
    classes = _classes([TABLE_CLASS], table.classes, [STACKED_CLASS] if stacked else [], ["docutils", "align-default"])
    out = [f'<table class="{classes}"{anchor}>\n']
    index = 0  # rows are odd and even across the head and the body, as Sphinx counts them

    def row(cells: Iterable[str], classes: Sequence[str] = (), ident: str = "") -> str:
        nonlocal index
        index += 1
        parity = "row-even" if index % 2 == 0 else "row-odd"
        anchor = f' id="{_attribute(ident)}"' if ident else ""
        return f'<tr class="{_classes(classes, [parity])}"{anchor}>{"".join(cells)}</tr>\n'

    if table.headers is not None:
        out.append("<thead>\n")
        out.append(row(_cell("th", (Text(h),), None) for h in table.headers))
        out.append("</thead>\n")
    out.append("<tbody>\n")
    labels = table.headers if stacked else None
    for n, cells in enumerate(table.rows):
        own = table.row_classes[n] if table.row_classes else ()
        ident = table.row_ids[n] if table.row_ids else ""
        out.append(row((_cell("td", c, labels[i] if labels else None) for i, c in enumerate(cells)), own, ident))
    out.append("</tbody>\n</table>\n")
    return "".join(out)


def words(blocks: Iterable[Block]) -> str:
    """The text of ``blocks``, a line per heading, cell and paragraph: for the search index, which
    takes the words of a part written as HTML text from this (see ``render.search_words``)."""
    out: list[str] = []

    def run(parts: Inlines) -> None:
        out.append(" ".join(p.text for p in parts))

    for block in blocks:
        if isinstance(block, Paragraph):
            run(block.parts)
            continue
        out.extend(block.headers or ())
        for cells in block.rows:
            for cell in cells:
                if isinstance(cell, Lines):
                    for line in cell.lines:
                        run(line.parts)
                else:
                    run(cell.content if isinstance(cell, Entry) else cell)
    return "\n".join(out)


def html(blocks: Iterable[Block]) -> str:
    """``blocks`` as Sphinx's HTML5 translator writes the nodes :func:`render.nodes_of` makes of
    them, in a section or a page's body."""
    return "".join(_table(b) if isinstance(b, Table) else f"<p>{_inlines(b.parts)}</p>\n" for b in blocks)
