"""What every command shares: its description, reading the handbook, errors and option types."""

from __future__ import annotations

import argparse
import os
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from clausewise.core.dates import add_days, add_months, date_problem, parse_date, today_problem
from clausewise.pipeline.assembly import BuildResult
from clausewise.sphinxext import scan

#: The ``sub.add_parser`` side of argparse, as every command group receives it.
Subcommands = Any  # argparse._SubParsersAction[argparse.ArgumentParser] is private API


class UsageError(Exception):
    """Bad arguments or an unusable handbook: said on stderr, exit code 2."""


class BuildFailedError(Exception):
    """A Sphinx build in a child process failed; it has said why itself: exit code 1."""


@dataclass(frozen=True)
class Command:
    """One ``clausewise`` command: how its options are declared and how it runs."""

    name: str
    declare: Callable[[Subcommands], None]
    run: Callable[[argparse.Namespace], int]
    in_handbook: bool = True  # reads a handbook (and takes --handbook after its name)


def read_sources(srcdir: Path, today: date | None) -> tuple[BuildResult, scan.ScannedHandbook]:
    """The handbook's model, findings and schedules as a full build computes them,
    read from the sources without rendering them; ``today`` (from ``--today``)
    wins over ``CLAUSEWISE_TODAY`` and ``clausewise_today``."""
    try:
        return scan.result(srcdir, today)
    except scan.ScanError as exc:
        raise UsageError(str(exc)) from exc


def load_result(srcdir: Path, today: date | None) -> BuildResult:
    return read_sources(srcdir, today)[0]


def usable_result(srcdir: Path, today: date | None) -> BuildResult:
    """The handbook read from its sources; a :class:`UsageError` with the finding's
    message when the handbook as a whole is unusable (no governed documents, every
    page invalid, no roles), for commands whose empty answer would look like good news."""
    result = load_result(srcdir, today)
    for f in result.unusable:
        raise UsageError(f"{f.message} [{f.code}]")
    return result


def shown_path(srcdir: Path, path: str) -> str:
    """A handbook-relative path as the person typing commands in the current folder sees it."""
    return os.path.relpath(srcdir / path)


#: A UTF-8 byte-order mark, which Sphinx (``source_encoding`` ``utf-8-sig``) and ``check`` accept.
BOM = "\ufeff"


def read_text(path: Path) -> str:
    """A page's text to edit, without a byte-order mark (:func:`write_back` keeps it)."""
    # bytes, not read_text(): universal newlines would turn CRLF into LF on the way back
    return path.read_bytes().decode("utf-8").removeprefix(BOM)


def write_back(path: Path, text: str) -> None:
    """``text`` over the page at ``path``, with the byte-order mark the page had."""
    had_bom = path.is_file() and path.read_bytes().startswith(BOM.encode("utf-8"))
    path.write_bytes(((BOM if had_bom else "") + text).encode("utf-8"))


def git_steps(paths: Sequence[str], message: str) -> list[str]:
    """The two git commands to copy; quoted for the shell only where they need it."""
    quoted = f'"{message}"' if not set(message) & set('"$`\\!') else shlex.quote(message)
    return ["       git add " + " ".join(shlex.quote(p) for p in paths), f"       git commit -m {quoted}"]


def date_option(text: str) -> date:
    """A date option (``--start``, an as-of date): a real date among those clausewise reads."""
    parsed = parse_date(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD")
    problem = date_problem(parsed)
    if problem:
        raise argparse.ArgumentTypeError(f"{text!r}: {problem}")
    return parsed


def today_option_value(text: str) -> date:
    """A ``--today``: a date clausewise can judge by."""
    parsed = date_option(text)
    problem = today_problem(parsed)
    if problem:
        raise argparse.ArgumentTypeError(f"{text!r}: {problem}")
    return parsed


_HORIZON = re.compile(r"^(\d{1,4})\s*(d|days?|w|weeks?|m|months?)?$")
_HORIZON_UNITS = {"d": "day", "w": "week", "m": "month"}


@dataclass(frozen=True)
class Horizon:
    """How far ahead ``due --within`` looks: a number of days, weeks or calendar months."""

    count: int
    unit: str  # "day", "week" or "month"

    def last_day(self, today: date) -> date:
        if self.unit == "month":
            return add_months(today, self.count)
        return add_days(today, self.count * (7 if self.unit == "week" else 1))

    def days(self, today: date) -> int:
        return (self.last_day(today) - today).days

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


def horizon_option(text: str) -> Horizon:
    """``--within``: ``30d`` (or ``30``, ``30 days``), ``2w`` or ``1m`` (calendar months,
    so ``1m`` from 31 January ends on the last day of February)."""
    match = _HORIZON.match(text.strip().lower())
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a span of time: write a number of days, weeks or months such as 30d, 2w or 1m"
        )
    return Horizon(int(match.group(1)), _HORIZON_UNITS[(match.group(2) or "d")[0]])


def today_option(command: argparse.ArgumentParser, help: str | None = None) -> None:
    command.add_argument(
        "--today", type=today_option_value, help=help or "the day to judge by (default: CLAUSEWISE_TODAY or today)"
    )


def described(sub: Subcommands, name: str, help: str, description: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand whose --help shows a description and examples as written."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help, description=description, epilog="examples:\n" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    return parser
