"""clausewise's settings: each declared once, as a field of :class:`ClausewiseConfig`.

In the manner of myst-parser's ``MdParserConfig``, a field's metadata (a
:class:`Setting`) carries the value ``conf.py`` starts with, what Sphinx must
redo when it changes, the validator that turns a ``conf.py`` value into the
typed one (or says, in one sentence, what is wrong and how to fix it) and a
line of help. Everything else is derived from the fields: the
``add_config_value`` calls (:func:`declarations`), :meth:`ClausewiseConfig.from_values`,
the settings reference page (the ``{clausewise-settings}`` directive) and the
``conf.py`` template (:func:`conf_py_template`).
"""

from __future__ import annotations

import os
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal

from clausewise.core.dates import date_problem, parse_date, today_problem
from clausewise.core.findings import validate_severity_overrides
from clausewise.core.ids import (
    DEFAULT_ID_PATTERNS,
    REGEX_ERRORS,
    IdKind,
    IdPatternError,
    IdScheme,
    configured_pattern,
)
from clausewise.core.model import UPSTREAM_LINKS
from clausewise.core.urls import dangerous_scheme

#: The environment variable that sets "today" for one run (it wins over conf.py).
TODAY_ENV = "CLAUSEWISE_TODAY"
#: The environment variable that chooses the audience of one build (it wins over conf.py).
AUDIENCE_ENV = "CLAUSEWISE_AUDIENCE"
#: Every setting's name in ``conf.py`` is this prefix and its field's name.
PREFIX = "clausewise_"

#: What Sphinx redoes when a setting changes: nothing ("": clausewise recomputes
#: findings and generated pages on every build anyway), every page ("env") or
#: only the HTML ("html").
Rebuild = Literal["", "env", "html"]


class SettingError(ValueError):
    """A setting that cannot be used; the message says which, what it is and how to fix it."""


#: A validator: (where the value comes from, the value as written) -> the typed value.
Validator = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Setting:
    """How one field of :class:`ClausewiseConfig` is set in ``conf.py``."""

    default: Any  # as written in conf.py
    rebuild: Rebuild
    validate: Validator
    help: str
    environment: str = ""  # an environment variable that overrides conf.py


def _setting(
    default: Any, rebuild: Rebuild, validate: Validator, help: str, environment: str = ""
) -> dict[str, Setting]:
    """A field's metadata: ``field(metadata=_setting(...))``."""
    return {"setting": Setting(default, rebuild, validate, help, environment)}


# --- validators: each returns the typed value or raises SettingError ----------------------


def _date_or_today(origin: str, value: Any) -> date:
    if isinstance(value, date):
        parsed: date | None = value
    elif not value:
        return date.today()
    else:
        parsed = parse_date(str(value).strip())
    if parsed is None:
        raise SettingError(f"{origin} is {value!r}; expected a date as YYYY-MM-DD, e.g. 2026-11-23")
    problem = today_problem(parsed)
    if problem:
        raise SettingError(f"{origin} is {value!r}; {problem}")
    return parsed


def _optional_date(origin: str, value: Any) -> date | None:
    if not value:
        return None
    parsed = value if isinstance(value, date) else parse_date(str(value).strip())
    if parsed is None:
        raise SettingError(f"{origin} is {value!r}; expected a date as YYYY-MM-DD")
    problem = date_problem(parsed)
    if problem:
        raise SettingError(f"{origin} is {value!r}; {problem}")
    return parsed


def _text(origin: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SettingError(f'{origin} is {value!r}; expected a text in quotes, e.g. {origin} = "..."')
    return value


def _catalogue(origin: str, value: Any) -> str:
    text = _text(origin, value).strip()
    if not text:
        raise SettingError(f"{origin} is empty; name a bundled catalogue or a YAML file, e.g. 'iso20000-1-2018'")
    return text


def _catalogue_list(origin: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SettingError(
            f"{origin} is {value!r}; expected a list of bundled catalogue names or YAML files, "
            f"e.g. ['iso20000-1-2018', 'iso27001-2022']"
        )
    names = tuple(v.strip() for v in value)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise SettingError(f"{origin} names {', '.join(map(repr, twice))} twice; list each catalogue once")
    return names


def _refuse_dangerous_scheme(origin: str, value: Any, text: str) -> None:
    """Every page links to these: a ``javascript:`` one would run in every reader's browser."""
    scheme = dangerous_scheme(text)
    if scheme is not None:
        raise SettingError(
            f"{origin} is {value!r}, a {scheme}: link that would run in readers' browsers; "
            f"expected an http:// or https:// address, e.g. 'https://github.com/org/handbook'"
        )


def _url(origin: str, value: Any) -> str:
    text = _text(origin, value).rstrip("/")
    _refuse_dangerous_scheme(origin, value, text)
    return text


def _flag(origin: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingError(f"{origin} is {value!r}; expected True or False, e.g. {origin} = True")
    return value


def _folder(origin: str, value: Any) -> str:
    text = _text(origin, value).strip()
    if not text:
        raise SettingError(f"{origin} is empty; expected a folder of the handbook, e.g. 'records/'")
    return text.rstrip("/") + "/"


def _folders(origin: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(p, str) and p.strip() for p in value):
        raise SettingError(f"{origin} is {value!r}; expected a list of folders, e.g. ['policies/', 'procedures/']")
    return tuple(p if p.endswith("/") else p + "/" for p in value)


def _severity(origin: str, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SettingError(
            f"{origin} is {value!r}; expected a dict of finding code to severity, e.g. {{'uncovered-clause': 'error'}}"
        )
    problems = validate_severity_overrides(value)
    if problems:
        raise SettingError("; ".join(problems))
    return {str(k): str(v) for k, v in value.items()}


def _days(origin: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SettingError(f"{origin} is {value!r}; expected a whole number of days, e.g. 30")
    return value


#: The longest time a complaint may wait for its answer: a year.
MAX_RESPONSE_DAYS = 366


def _response_days(origin: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RESPONSE_DAYS:
        raise SettingError(
            f"{origin} is {value!r}; expected a whole number of days from 1 to {MAX_RESPONSE_DAYS}, e.g. {origin} = 10"
        )
    return value


#: ``12 months``, ``1 month``, ``2 years`` (case and spacing free), as front matter writes a duration.
_MONTHS = re.compile(r"^(\d{1,4})\s*(months?|years?)$")
#: The longest audit window: as far back as a record schedule reaches (``rules.periods.SCHEDULE_YEARS``).
MAX_AUDIT_WINDOW_MONTHS = 120


def _audit_window(origin: str, value: Any) -> int:
    """A number of months, 1 to :data:`MAX_AUDIT_WINDOW_MONTHS`, written as ``12 months`` or ``2 years``."""
    matched = _MONTHS.match(value.strip().lower()) if isinstance(value, str) else None
    months = int(matched.group(1)) * (12 if matched.group(2).startswith("year") else 1) if matched else 0
    if not 1 <= months <= MAX_AUDIT_WINDOW_MONTHS:
        raise SettingError(
            f"{origin} is {value!r}; expected a number of months or years from 1 month to "
            f"{MAX_AUDIT_WINDOW_MONTHS // 12} years, e.g. {origin} = '12 months'"
        )
    return months


def _audit_cycle(origin: str, value: Any) -> int:
    """The certification cycle, a number of months as :func:`_audit_window` reads it."""
    try:
        return _audit_window(origin, value)
    except SettingError:
        raise SettingError(
            f"{origin} is {value!r}; expected a number of months or years from 1 month to "
            f"{MAX_AUDIT_WINDOW_MONTHS // 12} years, e.g. {origin} = '36 months' (a three-year certification cycle)"
        ) from None


#: ``level 2``: the clauses an audit programme plans by, counted from the top (``4`` to ``10`` are level 1).
_LEVEL = re.compile(r"^level\s+([1-9])$")


def _audit_scope(origin: str, value: Any) -> int:
    """``leaf`` (0: every clause without sub-clauses) or ``level N`` (N: the clauses N levels deep)."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if text == "leaf":
        return 0
    matched = _LEVEL.match(text)
    if matched is None:
        raise SettingError(
            f"{origin} is {value!r}; expected 'leaf' (every clause without sub-clauses) or 'level N' with N "
            f"from 1 to 9 (the clauses N levels deep, e.g. 'level 1' for 4 to 10), e.g. {origin} = 'leaf'"
        )
    return int(matched.group(1))


def _links(origin: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or any(v not in UPSTREAM_LINKS for v in value):
        raise SettingError(f"{origin} is {value!r}; expected a list of: {', '.join(UPSTREAM_LINKS)}")
    return tuple(value)


def _activities(origin: str, value: Any) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, list | tuple) and all(isinstance(i, str) for i in v)
        for k, v in value.items()
    ):
        raise SettingError(
            f"{origin} is {value!r}; expected a dict of each activity's name to a list of document ids, "
            f"e.g. {{'Internal audit': ['PRC-022']}}"
        )
    return {k: tuple(v) for k, v in value.items()}


#: What a supplier review cadence is written as when a criticality has none (reviewed at renewal, say).
NOT_SCHEDULED = "none"


def _supplier_review(origin: str, value: Any) -> dict[str, int | None]:
    """Each criticality a supplier may have -> the months within which it must be reviewed
    (``None``: ``'none'``, no scheduled review); the keys are the criticalities, in order."""
    example = f"e.g. {origin} = {{'critical': '12 months', 'low': 'none'}}"
    if not isinstance(value, dict) or not value:
        raise SettingError(
            f"{origin} is {value!r}; expected a dict of each criticality to its review interval, {example}"
        )
    out: dict[str, int | None] = {}
    for key, interval in value.items():
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", key):
            raise SettingError(
                f"{origin} names the criticality {key!r}, which is not a name of lower-case letters, digits and "
                f"dashes; {example}"
            )
        if isinstance(interval, str) and interval.strip().lower() == NOT_SCHEDULED:
            out[key] = None
            continue
        matched = _MONTHS.match(interval.strip().lower()) if isinstance(interval, str) else None
        months = int(matched.group(1)) * (12 if matched.group(2).startswith("year") else 1) if matched else 0
        if not 1 <= months <= MAX_AUDIT_WINDOW_MONTHS:
            raise SettingError(
                f"{origin}: {key!r} is reviewed every {interval!r}; expected a number of months or years from "
                f"1 month to {MAX_AUDIT_WINDOW_MONTHS // 12} years, or {NOT_SCHEDULED!r} for no scheduled review, "
                f"{example}"
            )
        out[key] = months
    return out


def _id_patterns(origin: str, value: Any) -> IdScheme:
    if value is None:
        return IdScheme()
    kinds = ", ".join(k.value for k in IdKind)
    if not isinstance(value, dict):
        raise SettingError(
            f"{origin} is {value!r}; expected a dict of id kind to regular expression, "
            f"e.g. {{'policy': r'XY-POL-\\d{{2}}'}} (kinds: {kinds})"
        )
    patterns = []
    for kind, regex in value.items():
        if kind not in {k.value for k in IdKind}:
            raise SettingError(f"{origin} names the kind {kind!r}, which is not one; expected one of: {kinds}")
        if not isinstance(regex, str) or not regex:
            raise SettingError(
                f"{origin}[{kind!r}] is {regex!r}; expected a regular expression in quotes, e.g. r'XY-POL-\\d{{2}}'"
            )
        try:
            patterns.append(configured_pattern(IdKind(kind), regex))
        except IdPatternError as exc:
            raise SettingError(
                f"{origin}[{kind!r}] is {regex!r}, which {exc}; expected a regular expression that every "
                f"{kind.replace('_', ' ')} id matches in full, e.g. r'XY-POL-\\d{{2}}'"
            ) from None
    scheme = IdScheme(tuple(sorted(patterns, key=lambda p: list(IdKind).index(p.kind))))
    try:
        re.compile(scheme.needs_id_regex())
    except REGEX_ERRORS as exc:
        raise SettingError(
            f"{origin} is {value!r}; its patterns cannot be joined into sphinx-needs' needs_id_regex ({exc}): "
            f"give each group a name of its own, or use (?:...) groups"
        ) from None
    return scheme


_DEFAULT_IDS = ", ".join(f"{p.kind.value} {p.example}" for p in DEFAULT_ID_PATTERNS.values())


#: The values of ``clausewise_fail_on``, strictest first.
FAIL_ON = ("warning", "error", "never")


def failing_severities(fail_on: str) -> frozenset[str]:
    """The severities that fail a build under ``clausewise_fail_on = fail_on``."""
    return frozenset({"warning": {"error", "warning"}, "error": {"error"}}.get(fail_on, set()))


def _fail_on(origin: str, value: Any) -> str:
    if value not in FAIL_ON:
        raise SettingError(
            f"{origin} is {value!r}; expected one of {', '.join(repr(v) for v in FAIL_ON)}, e.g. {origin} = 'error'"
        )
    return str(value)


def _commit_url(origin: str, value: Any) -> str:
    text = _text(origin, value).strip()
    _refuse_dangerous_scheme(origin, value, text)
    if text and text.count("{sha}") != 1:
        raise SettingError(
            f"{origin} is {value!r}; expected a link with {{sha}} once where the commit goes, "
            f"e.g. 'https://gitlab.example/group/handbook/-/commit/{{sha}}'"
        )
    if text:
        try:
            text.format(sha="0")
        except (IndexError, KeyError, ValueError):
            raise SettingError(
                f"{origin} is {value!r}; only {{sha}} may appear in braces (write other braces doubled: {{{{ }}}})"
            ) from None
    return text


#: The forges whose web editor clausewise links to, and "none" (no edit links).
FORGES = ("github", "gitlab", "none")


def _forge(origin: str, value: Any) -> str:
    text = _text(origin, value).strip().lower()
    if text and text not in FORGES:
        raise SettingError(
            f"{origin} is {value!r}; expected one of {', '.join(repr(f) for f in FORGES)}, or '' to recognise "
            f"the forge from clausewise_repository_url, e.g. {origin} = 'gitlab' for a self-hosted GitLab"
        )
    return text


#: A branch name as git allows it, in the form clausewise passes to git: no option (a leading
#: '-'), no range ('..'), no revision syntax (~ ^ : ? * [ @{ \\), no space or control character.
_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*//)[A-Za-z0-9._/-]+(?<![/.])$")


def _branch(origin: str, value: Any) -> str:
    text = _text(origin, value).strip()
    if text and (not _BRANCH.match(text) or text.endswith(".lock") or text.startswith("/")):
        raise SettingError(
            f"{origin} is {value!r}, which is not a branch name; expected the name of the branch that "
            f"holds the approved handbook, e.g. {origin} = 'main' (or 'origin/main'), or '' to find it"
        )
    return text


#: The audiences a handbook is built for, and the classifications each may read:
#: all staff read public and internal pages, auditors also confidential ones.
DEFAULT_AUDIENCES: dict[str, list[str]] = {
    "staff": ["public", "internal"],
    "auditor": ["public", "internal", "confidential"],
}
#: An audience or a classification level: a letter or digit, then letters, digits, '-' and '_'
#: (it is typed in front matter, on the command line and in an environment variable).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def levels_of(audiences: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Every classification level the audiences name, in the order first named:
    the levels a page may carry."""
    return tuple(dict.fromkeys(level for levels in audiences.values() for level in levels))


def _audiences(origin: str, value: Any) -> dict[str, tuple[str, ...]]:
    example = "e.g. {'staff': ['public', 'internal'], 'auditor': ['public', 'internal', 'confidential']}"
    if not isinstance(value, dict) or not value:
        raise SettingError(
            f"{origin} is {value!r}; expected a dict of each audience to the classifications it may read, {example}"
        )
    typed: dict[str, tuple[str, ...]] = {}
    for audience, levels in value.items():
        if not isinstance(audience, str) or not _NAME.match(audience):
            raise SettingError(
                f"{origin} names the audience {audience!r}; an audience is a name of letters, digits, '-' and '_', "
                f"e.g. 'staff'"
            )
        if (
            not isinstance(levels, list | tuple)
            or not levels
            or not all(isinstance(level, str) and _NAME.match(level) for level in levels)
        ):
            raise SettingError(
                f"{origin}[{audience!r}] is {levels!r}; expected a non-empty list of classification levels, each "
                f"a name of letters, digits, '-' and '_', e.g. ['public', 'internal']"
            )
        twice = sorted({level for level in levels if levels.count(level) > 1})
        if twice:
            raise SettingError(f"{origin}[{audience!r}] lists {', '.join(map(repr, twice))} twice; list each once")
        typed[audience] = tuple(levels)
    return typed


#: The classification levels of a handbook that keeps the default audiences.
DEFAULT_LEVELS = levels_of(_audiences("clausewise_audiences", DEFAULT_AUDIENCES))


def _audience(origin: str, value: Any) -> str:
    # that it names one of clausewise_audiences is checked once both are read (from_values)
    if not isinstance(value, str) or not value.strip():
        raise SettingError(f"{origin} is {value!r}; expected the name of an audience in quotes, e.g. 'staff'")
    return value.strip()


@dataclass(frozen=True)
class ApprovalRule:
    """``clausewise_approval``, typed: whether a change to a governed document must be approved
    by someone other than its author (``by`` "anyone"), or by a member of the document's owner
    role (``by`` "owner"), once it reaches the main line on or after ``since``."""

    required: bool = False
    by: Literal["anyone", "owner"] = "anyone"
    since: date | None = None


#: Who may approve under ``clausewise_approval``'s ``by``.
APPROVERS = ("anyone", "owner")
_APPROVAL_EXAMPLE = "e.g. {'required': True, 'by': 'owner', 'since': '2026-12-01'}"


def _approval(origin: str, value: Any) -> ApprovalRule:
    """An empty dict (the default) is no rule; any key given switches it on unless ``required`` is False."""
    if not value:
        return ApprovalRule()
    if not isinstance(value, dict):
        raise SettingError(f"{origin} is {value!r}; expected a dict, {_APPROVAL_EXAMPLE}")
    unknown = sorted(str(k) for k in value if k not in ("required", "by", "since"))
    if unknown:
        raise SettingError(
            f"{origin} has the key {', '.join(map(repr, unknown))}, which is not one; the keys are 'required' "
            f"(True or False), 'by' ('anyone' or 'owner') and 'since' (a date), {_APPROVAL_EXAMPLE}"
        )
    required = value.get("required", True)
    if not isinstance(required, bool):
        raise SettingError(f"{origin}['required'] is {required!r}; expected True or False")
    by = value.get("by", "anyone")
    if by not in APPROVERS:
        raise SettingError(
            f"{origin}['by'] is {by!r}; expected 'anyone' (someone other than the change's author) or 'owner' "
            f"(a member of the document's owner role: its members: and github: users and teams)"
        )
    since = value.get("since")
    if since is None or since == "":
        if required:
            raise SettingError(
                f"{origin} has no 'since'; expected the day from which changes need an approval, as YYYY-MM-DD, "
                f"{_APPROVAL_EXAMPLE} (changes that reached the main line before it are not judged)"
            )
        return ApprovalRule(False, by)
    parsed = since if isinstance(since, date) else parse_date(since.strip()) if isinstance(since, str) else None
    if parsed is None:
        raise SettingError(f"{origin}['since'] is {since!r}; expected a date as YYYY-MM-DD, e.g. '2026-12-01'")
    problem = date_problem(parsed)
    if problem:
        raise SettingError(f"{origin}['since'] is {since!r}; {problem}")
    return ApprovalRule(required, by, parsed)


@dataclass(frozen=True)
class TargetMisses:
    """``clausewise_target_misses``, typed: how many missed periods of a service's metric make
    ``target-missed-repeatedly``: so many in a row, or so many within the audit window."""

    in_a_row: int = 3
    in_window: int = 4


_TARGET_MISSES_EXAMPLE = "e.g. {'in_a_row': 3, 'in_window': 4}"


def _target_misses(origin: str, value: Any) -> TargetMisses:
    if not isinstance(value, dict):
        raise SettingError(f"{origin} is {value!r}; expected a dict, {_TARGET_MISSES_EXAMPLE}")
    unknown = sorted(str(k) for k in value if k not in ("in_a_row", "in_window"))
    if unknown:
        raise SettingError(
            f"{origin} has the key {', '.join(map(repr, unknown))}, which is not one; the keys are 'in_a_row' "
            f"and 'in_window' (numbers of missed periods), {_TARGET_MISSES_EXAMPLE}"
        )
    counts = {}
    for key, default in (("in_a_row", TargetMisses.in_a_row), ("in_window", TargetMisses.in_window)):
        count = value.get(key, default)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
            raise SettingError(f"{origin}[{key!r}] is {count!r}; expected a whole number from 1 to 1000, "
                               f"{_TARGET_MISSES_EXAMPLE}")  # fmt: skip
        counts[key] = count
    return TargetMisses(**counts)


def _handbook_file(origin: str, value: Any) -> str:
    """A file inside the handbook's folder, as a relative path with '/' (read by the build, never written)."""
    text = _text(origin, value).strip()
    parts = text.replace("\\", "/").split("/")
    if text and (text.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", text) or "\0" in text):
        raise SettingError(
            f"{origin} is {value!r}, which is outside the handbook's folder; expected a path inside it, "
            f"e.g. '_data/teams.json'"
        )
    return "/".join(p for p in parts if p not in ("", "."))


# --- what every setting's value must be, derived from its field -----------------------------

#: How messages name the Python types a ``conf.py`` value may have.
_WRITTEN = {str: "a text in quotes", int: "a whole number", list: "a list", dict: "a dict", bool: "True or False"}
_ITEMS = {str: "texts in quotes", int: "whole numbers"}


def _form(default: Any) -> type:
    """The type ``conf.py`` writes a setting in: that of its default (a date is text)."""
    return list if isinstance(default, list | tuple) else type(default)


def _shape_problem(value: Any, default: Any, annotation: Any) -> str | None:
    """Why ``value`` cannot be the setting whose ``conf.py`` default is ``default`` and
    whose field is ``annotation`` (``None``: its shape is right; the validator then
    judges what it says). Derived from the field alone, so no setting can be given
    a value of the wrong type and go on (a text is never read letter by letter as a list)."""
    form = _form(default)
    if value is None or value == "" or (form is str and isinstance(value, date)):
        return None  # empty: the validator gives the default or says it cannot be empty
    if form is bool:
        return None if isinstance(value, bool) else _WRITTEN[bool]
    if isinstance(value, bool) or not isinstance(value, list | tuple if form is list else form):
        return _WRITTEN.get(form, form.__name__)
    items = typing.get_args(annotation)
    written: Any = value  # a list or a dict, as checked above
    if form is list and items and not all(isinstance(v, items[0]) and not isinstance(v, bool) for v in written):
        return f"a list of {_ITEMS.get(items[0], items[0].__name__)}"
    if form is dict and not all(isinstance(k, str) for k in written):
        return "a dict whose keys are texts in quotes"
    return None


def _validated(origin: str, value: Any, spec: Setting, annotation: Any) -> Any:
    """The typed value of one setting: its shape checked against its field, then its validator."""
    expected = _shape_problem(value, spec.default, annotation)
    if expected is None:
        return spec.validate(origin, value)
    try:
        spec.validate(origin, value)  # its own message, when it has one, says more
    except SettingError:
        raise
    except Exception:
        pass
    raise SettingError(f"{origin} is {value!r}; expected {expected}, e.g. {origin} = {spec.default!r}")


# --- the settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClausewiseConfig:
    """Every ``clausewise_*`` setting, typed and validated; built by :meth:`from_values`."""

    today: date = field(metadata=_setting(
        "", "", _date_or_today,
        "The day every date rule judges by, as YYYY-MM-DD; empty: the real date. "
        f"{TODAY_ENV} in the environment wins over it, and a command's --today over both.",
        environment=TODAY_ENV,
    ))  # fmt: skip
    # "env": the catalogue's clauses are needs created while reading
    catalogue: str = field(metadata=_setting(
        "iso20000-1-2018", "env", _catalogue,
        "The clause catalogue: the name of a bundled one or a YAML file in the handbook. "
        "Used when clausewise_catalogues is empty.",
    ))  # fmt: skip
    # "env": as above; several standards in one handbook (an integrated management system)
    catalogues: tuple[str, ...] = field(metadata=_setting(
        [], "env", _catalogue_list,
        "The clause catalogues of several standards, each a bundled name or a YAML file in the handbook, "
        "e.g. ['iso20000-1-2018', 'iso27001-2022']; when set it replaces clausewise_catalogue. "
        "A bare clause number in front matter refers to the first; KEY:NUMBER to another.",
    ))  # fmt: skip
    # "env": the {finding-codes} table on the owner's guide shows the severities
    severity: dict[str, str] = field(metadata=_setting(
        {}, "env", _severity,
        "Severity per finding code: 'error', 'warning', 'info' or 'off', e.g. {'uncovered-clause': 'error'}.",
    ))  # fmt: skip
    governed_paths: tuple[str, ...] = field(metadata=_setting(
        ["policies/", "procedures/", "docs/roles/", "records/"], "env", _folders,
        "Folders whose pages must carry front matter (their index pages excepted); "
        "a page anywhere else is governed when it declares a type.",
    ))  # fmt: skip
    organisation: str = field(
        metadata=_setting("", "html", _text, "The organisation's name, shown in calendars and exports.")
    )
    due_soon_days: int = field(metadata=_setting(30, "", _days, "A review is due soon this many days before its date."))
    upstream_links: tuple[str, ...] = field(metadata=_setting(
        ["implements", "owner", "satisfies"], "", _links,
        "Links that make a document depend on another: when the target changes after the document's "
        f"review, the document is flagged upstream-changed. Any of: {', '.join(UPSTREAM_LINKS)}.",
    ))  # fmt: skip
    repository_url: str = field(metadata=_setting(
        "", "", _url,
        "Where commits are shown; revision histories link to <url>/commit/<sha> (GitHub, Gitea, Bitbucket). "
        "clausewise_commit_url wins over it.",
    ))  # fmt: skip
    history_start: date | None = field(metadata=_setting(
        "", "", _optional_date,
        "Documents first committed on or before this date may carry review dates from before git "
        "(an import from another system); empty: the first commit's date.",
    ))  # fmt: skip
    sms_start: date | None = field(metadata=_setting(
        "", "", _optional_date,
        "The day the SMS started: record schedules begin here unless a record type sets start.",
    ))  # fmt: skip
    records_path: str = field(metadata=_setting("records/", "env", _folder, "The folder that holds the records."))
    # "env": which ids are valid decides every page's needs
    id_patterns: IdScheme = field(metadata=_setting(
        {}, "env", _id_patterns,
        "The organisation's own ids: a regular expression per kind (document, policy, procedure, role, "
        "record_type, record) that every id of that kind must match in full, e.g. "
        "{'policy': r'XY-POL-\\d{2}', 'role': r'R-[A-Z][A-Z0-9-]*'}. An id is made of letters, digits, "
        "'-' and '_' whatever the pattern says. A kind not named keeps the default: its prefix, a dash, "
        f"then upper-case letters, digits and single dashes ({_DEFAULT_IDS}).",
    ))  # fmt: skip
    activities: dict[str, tuple[str, ...]] = field(metadata=_setting(
        {}, "", _activities,
        "The recurring activities of the SMS and the documents that show each is done, "
        "e.g. {'Internal audit': ['PRC-022']}: the dashboard's last table.",
    ))  # fmt: skip
    # "env": a historical build carries a banner on every page
    as_of: date | None = field(metadata=_setting(
        "", "env", _optional_date,
        "Set by clausewise as-of: the handbook as it stood that day (a banner on every page).",
    ))  # fmt: skip
    fail_on: str = field(metadata=_setting(
        "never", "", _fail_on,
        "sphinx-build exits with status 1 when a reported finding is this severe or worse: "
        "'error', 'warning' or 'never'. New handbooks should set 'error' (the default keeps "
        "existing builds passing).",
    ))  # fmt: skip
    commit_url: str = field(metadata=_setting(
        "", "", _commit_url,
        "The link to a commit, with {sha} where the commit goes, e.g. "
        "'https://gitlab.example/group/handbook/-/commit/{sha}'; empty: <clausewise_repository_url>/commit/{sha}.",
    ))  # fmt: skip
    # "env": what a page may include and carry is decided while it is read
    safe_mode: bool = field(metadata=_setting(
        True, "env", _flag,
        "Pages cannot include, show or offer for download a file outside the handbook's folder or in a hidden "
        "folder of it such as .git (nor be a link out), nor carry raw HTML, script or javascript:/vbscript:/data: "
        "links: each is an error finding and is shown as text. A page that is not governed may allow raw HTML "
        "with front matter 'clausewise_unsafe: \"<reason>\"'. False trusts every page as written.",
    ))  # fmt: skip
    # "env": which classification levels exist decides which pages are valid and which are withheld
    audiences: dict[str, tuple[str, ...]] = field(metadata=_setting(
        DEFAULT_AUDIENCES, "env", _audiences,
        "Each audience the handbook is built for, and the classification levels it may read. The levels "
        "a page's classification may take are the ones named here; add a level (e.g. 'restricted') to "
        "some audience and pages may use it.",
    ))  # fmt: skip
    # "env": a page the audience may not read is replaced while it is read, so a change of
    # audience reads every page again and never reuses another audience's doctree
    audience: str = field(metadata=_setting(
        "staff", "env", _audience,
        "The audience this build is for, one of clausewise_audiences: a page whose classification it may "
        "not read shows only its metadata and summary. Choose it per build with -D clausewise_audience=auditor "
        f"or {AUDIENCE_ENV} in the environment (which wins over conf.py).",
        environment=AUDIENCE_ENV,
    ))  # fmt: skip
    # "env": the status box of every withheld record changes
    withheld_evidence: bool = field(metadata=_setting(
        True, "env", _flag,
        "Whether a record withheld from the build's audience still shows its evidence: links in its status "
        "box. False: the box says that the record has evidence, not where (a link's address can tell what "
        "the record is about).",
    ))  # fmt: skip
    main_branch: str = field(metadata=_setting(
        "", "", _branch,
        "The branch that holds the approved handbook: a record is evidence from the commit that brings it "
        "there, and commits of a branch not merged yet may still change it freely. Empty: the remote's "
        "default branch (origin/HEAD), else 'main', else 'master'; a local and a remote-tracking branch "
        "of that name both count.",
    ))  # fmt: skip
    audit_window: int = field(metadata=_setting(
        "12 months", "", _audit_window,
        "How far back an auditor samples records, in months or years (up to 10 years), e.g. '12 months': "
        "a clause is covered only when every period of its record types that ended and fell due within "
        "this window before today has its record; otherwise it is covered with gaps.",
    ))  # fmt: skip
    approval: ApprovalRule = field(metadata=_setting(
        {}, "", _approval,
        "Whether each change to a policy, procedure, role or document of external origin that reached the "
        "main line on or after 'since' must be approved by someone other than its author, e.g. "
        "{'required': True, 'by': 'owner', 'since': '2026-12-01'}: 'by' is 'anyone' (the default) or 'owner' "
        "(a member of the document's owner role: its members:, its github: users and the members of its "
        "github: teams). A change without such an approval is approval-missing. Empty: no rule.",
    ))  # fmt: skip
    team_members: str = field(metadata=_setting(
        "", "", _handbook_file,
        "The file, inside the handbook's folder, that lists the members of each forge team a role's github: "
        "names, as JSON {'org/team': ['login', ...]}: the workflow writes it before the build, so the build "
        "stays offline. Read only for clausewise_approval's 'by': 'owner'. Empty: no team file.",
    ))  # fmt: skip

    forge: str = field(metadata=_setting(
        "", "", _forge,
        "Whose web editor the 'Edit this page' and 'Add the missing record' links open: 'github', 'gitlab', "
        "or 'none' for no such links. Empty: recognised from clausewise_repository_url (github.com or a host "
        "with 'github' in its name, a host with 'gitlab' in its name); any other host has no edit links.",
    ))  # fmt: skip
    audit_cycle: int = field(metadata=_setting(
        "36 months", "", _audit_cycle,
        "The audit programme's cycle (the certification cycle), in months or years (up to 10 years), e.g. "
        "'36 months': every clause in clausewise_audit_scope and every approved procedure must be named under "
        "audited: by an internal audit report produced within this time before today, else audit-coverage-gap. "
        "Only read when a record type has kind: audit.",
    ))  # fmt: skip
    audit_scope: int = field(metadata=_setting(
        "leaf", "", _audit_scope,
        "Which clauses the audit programme must cover within clausewise_audit_cycle: 'leaf' (every clause "
        "without sub-clauses) or 'level N' (the clauses N levels deep, e.g. 'level 1' for 4 to 10, and any "
        "shallower clause without sub-clauses). Auditing a clause covers the clauses under it.",
    ))  # fmt: skip

    action_effectiveness_days: int = field(metadata=_setting(
        90, "", _days,
        "How many days after an action for a nonconformity is closed its effectiveness must have been "
        "checked ('effectiveness_checked:'); later, the action is action-effectiveness-unchecked.",
    ))  # fmt: skip
    target_misses: TargetMisses = field(metadata=_setting(
        {"in_a_row": 3, "in_window": 4}, "", _target_misses,
        "How many missed periods of a service's metric are target-missed-repeatedly: so many in a row "
        "('in_a_row'), or so many within the audit window ('in_window'), e.g. {'in_a_row': 3, 'in_window': 4}; "
        "not reported while an action names the service (see the owner's guide, 'Services and measurements').",
    ))  # fmt: skip
    supplier_review: dict[str, int | None] = field(metadata=_setting(
        {"critical": "12 months", "high": "12 months", "medium": "24 months", "low": "36 months"}, "",
        _supplier_review,
        "The criticalities a supplier's page may give (its criticality:), in order, each with how often a "
        "supplier of it must be reviewed: a supplier review record (kind supplier-review) naming it is due "
        "within that interval of the last, else supplier-review-missing; 'none' for no scheduled review.",
    ))  # fmt: skip
    contract_notice_days: int = field(metadata=_setting(
        180, "", _days,
        "How many days before an approved supplier's contract_end the contract is reported as "
        "contract-expiring (info), so that renewal is decided in time.",
    ))  # fmt: skip
    complaint_response_days: int = field(metadata=_setting(
        10, "", _response_days,
        "How many calendar days after a customer complaint is received (a record of kind 'complaint') it "
        f"must be answered (1 to {MAX_RESPONSE_DAYS}): a complaint still without 'responded' after that is "
        "complaint-unanswered, one answered later is complaint-answered-late.",
    ))  # fmt: skip

    @classmethod
    def from_values(
        cls,
        values: Mapping[str, Any],
        environ: Mapping[str, str] | None = None,
        *,
        today: date | None = None,
        audience: str | None = None,
    ) -> ClausewiseConfig:
        """Validate ``clausewise_*`` values (missing ones take their default); an
        environment variable of a setting (``CLAUSEWISE_TODAY``) wins over its value,
        and ``today`` (a command's ``--today``) over both, unread; so does ``audience``
        (a command's ``--audience``), which must still name one of ``audiences``.

        A :class:`SettingError` says where the bad value is: ``conf.py: ...`` or
        ``environment variable ...``."""
        environ = os.environ if environ is None else environ
        annotations = typing.get_type_hints(cls)
        typed: dict[str, Any] = {}
        origins: dict[str, str] = {}
        for name, spec in settings():
            field_name = name.removeprefix(PREFIX)
            if field_name == "today" and today is not None:
                typed[field_name] = today
                continue
            origin, value = name, values.get(name, spec.default)
            if spec.environment and environ.get(spec.environment, ""):
                origin, value = f"environment variable {spec.environment}", environ[spec.environment]
            if field_name == "audience" and audience is not None:
                origin, value = "--audience", audience
            origins[field_name] = origin
            try:
                typed[field_name] = _validated(origin, value, spec, annotations[field_name])
            except SettingError as exc:
                raise SettingError(f"conf.py: {exc}" if origin == name else str(exc)) from None
        if typed["audience"] not in typed["audiences"]:
            origin = origins["audience"]
            where = "conf.py or -D: " if origin == PREFIX + "audience" else ""
            choices = ", ".join(map(repr, typed["audiences"]))
            raise SettingError(
                f"{where}{origin} is {typed['audience']!r}; expected one of the audiences of "
                f"clausewise_audiences: {choices}"
            )
        return cls(**typed)

    def commit_link(self, sha: str) -> str:
        """The link to commit ``sha``: ``commit_url`` with the sha filled in, else
        ``<repository_url>/commit/<sha>``; "" when neither is set."""
        if self.commit_url:
            return self.commit_url.format(sha=sha)
        return f"{self.repository_url}/commit/{sha}" if self.repository_url else ""

    @property
    def catalogue_names(self) -> tuple[str, ...]:
        """The catalogues in force: ``catalogues`` when set, else the single ``catalogue``."""
        return self.catalogues or (self.catalogue,)

    @property
    def classification_levels(self) -> tuple[str, ...]:
        """The classification levels a page may carry: those the audiences name."""
        return levels_of(self.audiences)

    @property
    def readable_levels(self) -> tuple[str, ...]:
        """The classification levels this build's audience may read."""
        return self.audiences[self.audience]

    def may_read(self, level: str | None) -> bool:
        """Whether this build's audience may read what is classified ``level``;
        never what is unclassified or classified with a level that does not exist."""
        return level is not None and level in self.readable_levels

    def is_governed_path(self, path: str) -> bool:
        """Pages under a governed folder must carry metadata (their index pages excepted)."""
        return any(path.startswith(p) for p in self.governed_paths) and not path.endswith(("/index.md", "/index.rst"))


def settings() -> Iterator[tuple[str, Setting]]:
    """Every setting's ``conf.py`` name and declaration, in the order of the fields."""
    for f in fields(ClausewiseConfig):
        yield PREFIX + f.name, f.metadata["setting"]


def declarations() -> list[tuple[str, Any, Rebuild]]:
    """``(name, default, rebuild)`` for Sphinx's ``add_config_value``."""
    return [(name, spec.default, spec.rebuild) for name, spec in settings()]


def conf_py_template() -> str:
    """The ``clausewise_*`` part of a ``conf.py``: every setting with its help and default."""
    lines = ["# --- clausewise " + "-" * 62]
    for name, spec in settings():
        lines += [*_wrapped_comment(spec.help), f"{name} = {spec.default!r}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _wrapped_comment(text: str, width: int = 78) -> list[str]:
    lines: list[str] = []
    current = "#"
    for word in text.split():
        if len(current) + 1 + len(word) > width and current != "#":
            lines.append(current)
            current = "#"
        current += " " + word
    return [*lines, current]
