"""The id scheme: which ids each kind of thing may have.

Every id of a document, policy, procedure, role, record type, record or
document of external origin must
match its kind's pattern in full. The defaults (:data:`DEFAULT_ID_PATTERNS`) are
written down here once; ``clausewise_id_patterns`` replaces any of them with an
organisation's own regular expression (``{"policy": r"XY-POL-\\d{2}"}``).

Whatever a pattern allows, an id is made of letters, digits, ``-`` and ``_``
only (:data:`ID_CHARACTERS`): sphinx-needs reads ``ID.part`` as a *part* of a
need, and ids become HTML anchors and file names of exports. A configured
pattern must match at least one such id, and clausewise must be able to write
one down (:func:`example_of`): it is the example every finding about a
mismatching id gives, and what ``clausewise new`` starts from in a handbook
that has no id of that kind yet.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# The standard library's own parser of regular expressions (what re.compile uses):
# private, but the only reader of a pattern's structure; typeshed has no stub for it.
_parser: Any = importlib.import_module("re._parser")

#: What every id is made of, whatever the patterns say.
ID_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
ID_CHARACTERS_HELP = "letters, digits, '-' and '_'"
#: The shape sphinx-needs is told to accept when the handbook configures no pattern:
#: it takes the default ids and the clauses' (``ISO20K-8-3-4-1``).
NEEDS_ID_SHAPE = r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+"
#: The name of the setting, for messages.
SETTING = "clausewise_id_patterns"


class IdKind(StrEnum):
    """What an id names; the value is the key in ``clausewise_id_patterns``."""

    DOCUMENT = "document"
    POLICY = "policy"
    PROCEDURE = "procedure"
    ROLE = "role"
    RECORD_TYPE = "record_type"
    RECORD = "record"
    EXTERNAL = "external"
    SERVICE = "service"
    SUPPLIER = "supplier"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class IdPattern:
    """The ids of one kind: a regular expression they match in full, and one of them."""

    kind: IdKind
    regex: str
    example: str
    #: how a message describes the pattern to an owner
    description: str
    configured: bool = False

    def matches(self, ident: str) -> bool:
        # the cheap test first: a value with a space or a dot never reaches the pattern
        return bool(ID_CHARACTERS.fullmatch(ident)) and bool(re.fullmatch(self.regex, ident))

    @property
    def prefix(self) -> str:
        """The text every id of this kind starts with (``POL-``; ``XY-RT-`` for
        ``XY-RT-[A-Z-]+``; empty when the pattern starts with a choice)."""
        return literal_prefix(self.regex)

    def mismatch(self, key: str, value: str) -> str:
        """The message for ``key: value`` that is not an id of this kind."""
        if re.fullmatch(self.regex, value):
            return (
                f"{key}: {value!r} is not a valid id; it matches '{self.regex}' ({SETTING}) but an id may "
                f"contain only {ID_CHARACTERS_HELP}, e.g. {self.example}"
            )
        return f"{key}: {value!r} is not a valid id; expected {self.description}, e.g. {self.example}"


def _default(kind: IdKind, prefix: str, example: str) -> IdPattern:
    return IdPattern(
        kind, rf"{prefix}-[A-Z0-9]+(-[A-Z0-9]+)*", example,
        f"'{prefix}-' followed by upper-case letters, digits and single dashes",
    )  # fmt: skip


#: Today's ids, used for every kind the handbook does not configure.
DEFAULT_ID_PATTERNS: dict[IdKind, IdPattern] = {
    IdKind.DOCUMENT: _default(IdKind.DOCUMENT, "DOC", "DOC-001"),
    IdKind.POLICY: _default(IdKind.POLICY, "POL", "POL-001"),
    IdKind.PROCEDURE: _default(IdKind.PROCEDURE, "PRC", "PRC-001"),
    IdKind.ROLE: _default(IdKind.ROLE, "ROLE", "ROLE-EXAMPLE"),
    IdKind.RECORD_TYPE: _default(IdKind.RECORD_TYPE, "RT", "RT-EXAMPLE"),
    IdKind.RECORD: _default(IdKind.RECORD, "REC", "REC-001"),
    IdKind.EXTERNAL: _default(IdKind.EXTERNAL, "EXT", "EXT-001"),
    IdKind.SERVICE: _default(IdKind.SERVICE, "SVC", "SVC-HOSTING"),
    IdKind.SUPPLIER: _default(IdKind.SUPPLIER, "SUP", "SUP-001"),
}


#: What Python's ``re`` raises for a pattern it cannot compile: besides ``re.error``, a
#: repetition too large for it (``A{10000000000000000}``) and groups nested a thousand deep.
REGEX_ERRORS = (re.error, OverflowError, RecursionError)


class IdPatternError(ValueError):
    """A configured pattern that cannot be used; the message says why."""


def configured_pattern(kind: IdKind, regex: str) -> IdPattern:
    """An organisation's pattern for ``kind``, checked: it compiles, and it
    matches an id clausewise can write down (else :class:`IdPatternError`)."""
    try:
        re.compile(regex)
    except RecursionError:
        raise IdPatternError("is not a valid regular expression (its groups nest too deeply)") from None
    except REGEX_ERRORS as exc:
        # re's message quotes the pattern's characters as they are: a line break in it is shown escaped
        shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(exc))
        raise IdPatternError(f"is not a valid regular expression ({shown})") from None
    try:
        re.compile(f"(?:{regex})")
    except RecursionError:
        raise IdPatternError("is not a valid regular expression (its groups nest too deeply)") from None
    except REGEX_ERRORS:
        # the patterns are joined into sphinx-needs' needs_id_regex, where (?i) is not at the start
        raise IdPatternError("sets a flag for the whole pattern, such as (?i); scope it instead: (?i:...)") from None
    try:
        return _judged(kind, regex)
    except RecursionError:
        raise IdPatternError("is too deeply nested for clausewise to judge; write it flatter") from None


def _judged(kind: IdKind, regex: str) -> IdPattern:
    """A pattern that compiles, judged: how long it can take, and its example."""
    if _nested_unbounded(list(_parser.parse(regex))):
        raise IdPatternError(
            "repeats a group that itself repeats without bound, such as (A+)+: matching an id that almost "
            "fits can take minutes; repeat the characters once instead, e.g. XY-[A-Z-]+\\d{3}, or make the "
            "inner part atomic: (?>...)"
        )
    if _ambiguous_repetition(list(_parser.parse(regex))):
        raise IdPatternError(
            "repeats without bound a part that can read the same characters in more than one way, such as "
            "(A|AB)+ or (AA?)+: matching an id that almost fits can take minutes; start each alternative, and "
            "each repetition, with its own character, e.g. (AB?)+, or make the part atomic: (?>A|AB)+"
        )
    example = example_of(regex)
    if example is None:
        raise IdPatternError(
            f"matches no id clausewise can use: an id is made of {ID_CHARACTERS_HELP} only "
            f"(sphinx-needs reads a '.' as a part of a need), at most {MAX_ID_LENGTH} of them"
        )
    return IdPattern(kind, regex, example, f"a {kind.label} id matching '{regex}' ({SETTING})", configured=True)


@dataclass(frozen=True)
class IdScheme:
    """The pattern of every kind: the handbook's own where it set one, else the default."""

    configured: tuple[IdPattern, ...] = ()

    def __getitem__(self, kind: IdKind | str) -> IdPattern:
        kind = IdKind(kind)
        return next((p for p in self.configured if p.kind is kind), DEFAULT_ID_PATTERNS[kind])

    def needs_id_regex(self) -> str:
        """sphinx-needs' ``needs_id_regex``: every id a pattern accepts (and the
        clauses' ids, and those of a handbook's own needs of the default shape)."""
        shapes = [NEEDS_ID_SHAPE, *(f"(?:{p.regex})" for p in self.configured)]
        return f"^{shapes[0]}$" if len(shapes) == 1 else "^(?:" + "|".join(shapes) + ")$"

    def record_type_name(self, rt_id: str) -> str:
        """A record type's id without its kind's prefix: ``RT-SERVICE-REPORT`` ->
        ``SERVICE-REPORT``; the name of its records' folder and ids."""
        return rt_id.removeprefix(self[IdKind.RECORD_TYPE].prefix) or rt_id


def literal_prefix(regex: str) -> str:
    """The fixed text a pattern starts with: its leading literal characters, up to
    the first choice, class or repetition (case-insensitive patterns have none)."""
    try:
        parsed = _parser.parse(regex)
    except REGEX_ERRORS:
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    out: list[str] = []
    for op, value in parsed:
        name = str(op)
        if name == "AT" and str(value) == "AT_BEGINNING" and not out:
            continue
        if name != "LITERAL":
            break
        out.append(chr(value))
    return "".join(out)


#: The characters an example is made of, in the order they are tried.
_CANDIDATES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_abcdefghijklmnopqrstuvwxyz"
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W", "CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
}  # fmt: skip


def _nested_unbounded(items: list[tuple[Any, Any]], inside: bool = False) -> bool:
    """Whether a repetition without an upper bound stands inside another: the shape
    whose backtracking grows exponentially with the length of an id that almost
    matches. Atomic groups and possessive repeats do not backtrack, so they reset it."""
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            _, most, sub = value
            unbounded = most == _parser.MAXREPEAT
            if (unbounded and inside) or _nested_unbounded(list(sub), inside or unbounded):
                return True
        for children, within in _parts(name, value, inside):
            if _nested_unbounded(children, within):
                return True
    return False


def _parts(name: str, value: Any, inside: bool) -> list[tuple[list[tuple[Any, Any]], bool]]:
    """The sub-patterns of a group, an alternation or an atomic part, and whether
    they stand inside an unbounded repetition."""
    if name == "SUBPATTERN":
        return [(list(value[3]), inside)]
    if name == "BRANCH":
        return [(list(alternative), inside) for alternative in value[1]]
    if name == "ATOMIC_GROUP":
        return [(list(value), False)]
    if name == "POSSESSIVE_REPEAT":
        return [(list(value[2]), False)]
    return []


def _ambiguous_repetition(items: list[tuple[Any, Any]], inside: bool = False) -> bool:
    """Whether a part inside a repetition without an upper bound can read the same
    characters in more than one way: a choice whose alternatives can start with the
    same character (``(A|AB)+`` reads a run of ``A`` in exponentially many ways before
    it gives up on an id that almost fits), or iterations that can split a run in
    more than one way (:func:`_ambiguous_iterations`)."""
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            _, most, sub = value
            body = list(sub)
            if most == _parser.MAXREPEAT and _ambiguous_iterations(body):
                return True
            if _ambiguous_repetition(body, inside or most == _parser.MAXREPEAT):
                return True
        elif name == "BRANCH":
            alternatives = [list(alternative) for alternative in value[1]]
            seen: set[str] = set()
            for alternative in alternatives:
                first = _first_characters(alternative)
                if inside and first & seen:
                    return True
                seen |= first
            if any(_ambiguous_repetition(alternative, inside) for alternative in alternatives):
                return True
        else:
            for children, within in _parts(name, value, inside):
                if _ambiguous_repetition(children, within):
                    return True
    return False


def _ambiguous_iterations(body: list[tuple[Any, Any]]) -> bool:
    """Whether a part of a repeated ``body`` that is repeated a variable number of
    times can read a character that can also follow it (the rest of the body, then
    the body again): ``(AA?)+`` and ``(A{1,3})+`` split a run of A into iterations in
    exponentially many ways; ``(AB?)+`` and ``(-[A-Z]{2,4})+`` in one."""
    if _varies_emptily(body):
        return True
    flat = _inlined(body)
    for index, (op, value) in enumerate(flat):
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            least, most, sub = value
            varying = _characters(list(sub)) if least != most else _variable_characters(list(sub))
        elif name == "BRANCH":
            varying = set().union(*(_variable_characters(list(alternative)) for alternative in value[1]))
        else:
            continue
        if varying & _first_characters([*flat[index + 1 :], *flat]):
            return True
    return False


def _varies_emptily(items: list[tuple[Any, Any]]) -> bool:
    """Whether a part that can match nothing is repeated a variable number of times
    (``(){1,3}``, ``(A?){2,4}``): it matches nothing in as many ways, in every iteration."""
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            least, most, sub = value
            parts = [list(sub)]
            if least != most and sub.getwidth()[0] == 0:
                return True
        elif name == "SUBPATTERN":
            parts = [list(value[3])]
        elif name == "BRANCH":
            parts = [list(alternative) for alternative in value[1]]
        else:
            continue
        if any(_varies_emptily(part) for part in parts):
            return True
    return False


def _inlined(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """A sequence with its groups' contents in their place (a group matches what its contents do)."""
    out: list[tuple[Any, Any]] = []
    for op, value in items:
        out.extend(_inlined(list(value[3])) if str(op) == "SUBPATTERN" else [(op, value)])
    return out


def _variable_characters(items: list[tuple[Any, Any]]) -> set[str]:
    """The characters (upper-cased) of the parts of a sequence repeated a variable
    number of times (``A?``, ``[A-Z]{2,4}``), atomic parts left out."""
    found: set[str] = set()
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            least, most, sub = value
            found |= _characters(list(sub)) if least != most else _variable_characters(list(sub))
        elif name == "SUBPATTERN":
            found |= _variable_characters(list(value[3]))
        elif name == "BRANCH":
            for alternative in value[1]:
                found |= _variable_characters(list(alternative))
    return found


def _characters(items: list[tuple[Any, Any]]) -> set[str]:
    """Every character (upper-cased) a sequence can match; all where this cannot tell."""
    found: set[str] = set()
    for op, value in items:
        name = str(op)
        if name in ("LITERAL", "IN"):
            found |= _first_characters([(op, value)])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            found |= _characters(list(value[2]))
        elif name == "SUBPATTERN":
            found |= _characters(list(value[3]))
        elif name == "BRANCH":
            for alternative in value[1]:
                found |= _characters(list(alternative))
        elif name != "AT":
            return {c.upper() for c in _CANDIDATES}
    return found


def _first_characters(items: list[tuple[Any, Any]]) -> set[str]:
    """The id characters (upper-cased: a flag may ignore case) a sequence can start
    with; every one of them where this cannot tell, or where it can match nothing
    (what follows it could be anything)."""
    anything = {c.upper() for c in _CANDIDATES}
    found: set[str] = set()
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            return found | {chr(value).upper()}
        if name == "IN":
            if any(str(o) == "CATEGORY" and str(v) not in _CATEGORIES for o, v in value):
                return anything
            return found | {c.upper() for c in _CANDIDATES if _in_class(c, value)}
        if name == "SUBPATTERN":
            found |= _first_characters(list(value[3]))
            if value[3].getwidth()[0] > 0:
                return found
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            least, _, sub = value
            found |= _first_characters(list(sub))
            if least > 0 and sub.getwidth()[0] > 0:
                return found
        elif name != "AT":
            return anything  # any character, a negated literal, a choice, a look-around: could be anything
    return anything


#: The longest id an example may be: a pattern whose shortest id is longer is refused
#: (``A{1000000000}`` would otherwise be written out, into every message about ids).
MAX_ID_LENGTH = 120


def example_of(regex: str) -> str | None:
    """One id the pattern matches in full, or ``None`` if none is found: each
    repetition taken its least number of times, each class's first character in
    :data:`_CANDIDATES`, the first alternative that works. The result is checked
    against the pattern itself, so a pattern this cannot read gives ``None``,
    never a wrong example."""
    try:
        parsed = _parser.parse(regex)
    except REGEX_ERRORS:
        return None
    text = _generate(list(parsed), {})
    if not text or len(text) > MAX_ID_LENGTH or not ID_CHARACTERS.fullmatch(text) or not re.fullmatch(regex, text):
        return None
    return text


def _generate(items: Iterable[tuple[Any, Any]], groups: dict[int, str]) -> str | None:
    out = []
    for op, value in items:
        part = _generate_one(str(op), value, groups)
        if part is None:
            return None
        out.append(part)
    return "".join(out)


def _generate_one(name: str, value: Any, groups: dict[int, str]) -> str | None:
    if name == "LITERAL":
        return chr(value)
    if name == "NOT_LITERAL":
        return next(c for c in _CANDIDATES if ord(c) != value)
    if name == "ANY":
        return _CANDIDATES[0]
    if name == "AT":
        return ""
    if name == "IN":
        return next((c for c in _CANDIDATES if _in_class(c, value)), None)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        least, _, sub = value
        once = _generate(sub, groups)
        return None if once is None or len(once) * least > MAX_ID_LENGTH else once * least
    if name == "SUBPATTERN":
        group, _, _, sub = value
        text = _generate(sub, groups)
        if text is not None and group is not None:
            groups[group] = text
        return text
    if name == "ATOMIC_GROUP":
        return _generate(value, groups)
    if name == "BRANCH":
        for alternative in value[1]:
            text = _generate(alternative, groups)
            if text is not None:
                return text
        return None
    if name == "GROUPREF":
        return groups.get(value)
    return None  # look-arounds, conditionals: not read


def _in_class(char: str, items: list[tuple[Any, Any]]) -> bool:
    negate = False
    found = False
    for op, value in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            found = found or ord(char) == value
        elif name == "RANGE":
            found = found or value[0] <= ord(char) <= value[1]
        elif name == "CATEGORY" and str(value) in _CATEGORIES:
            found = found or bool(re.fullmatch(_CATEGORIES[str(value)], char))
        elif name == "CATEGORY":
            return False  # a category this cannot judge: no example from this class
    return found != negate


def common_prefix(ids: Iterable[str]) -> str:
    """What ids share up to and including a dash (``R-CISO``, ``R-CAPACITY`` -> ``R-``);
    empty for fewer than two ids, whose shared start says nothing."""
    listed = sorted(set(ids))
    if len(listed) < 2:
        return ""
    first, last = listed[0], listed[-1]
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[: first.rfind("-", 0, n) + 1] if "-" in first[:n] else ""


def most_common(values: Iterable[str]) -> str | None:
    """The value found most often (on a tie, the first by sort order)."""
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None
