"""The ``clausewise`` command: the parser, and the one place where errors become exit codes.

    clausewise audit-pack [--out FILE] [--today DATE]   one zip for an auditor
    clausewise as-of DATE [--out DIR]                   the handbook as it stood on DATE
    clausewise pdf [--out FILE]                         the handbook as one PDF, to sign or file
    clausewise check [--today DATE] [--format text|json|github] [--strict]
                                                        all findings, without writing HTML
    clausewise due [--role ROLE] [--within 30d]         what is overdue or due soon
    clausewise compare BASE.json HEAD.json [--format markdown|github|json] [--strict]
                                                        new and resolved findings of two reports (no build)
    clausewise new policy|document|procedure --title T --owner ROLE [--satisfies N ...]
    clausewise new role --title T [--owner ROLE] [--github @org/team]
    clausewise new record-type --document ID --title T --cadence C [--owner ROLE] [--evidences N ...]
    clausewise new record RT-ID [--period P]            a new file or entry, ready to fill in
    clausewise review ID [--version X.Y] [--today DATE] record a review in the front matter
    clausewise codeowners [--out FILE] [--check]        .github/CODEOWNERS from ownership
    clausewise init DIR --organisation NAME [--catalogue NAME ...] [--forge github|gitlab]
                                                        a new handbook, clausewise pinned
    clausewise demo DIR [--html OUT]                    the handbook replayed into a new git repository
                                                        with the history its metadata describes
    clausewise approvals record [COMMIT] --approver NAME --at TIME [--pr N --url URL --title T --merged-by NAME]
    clausewise approvals show [ID]                      approvals of changes, kept as git notes

The commands live in six groups: :mod:`~clausewise.cli.builds` (audit-pack,
as-of and pdf build the handbook with Sphinx in a child process, a failed build
exits 1), :mod:`~clausewise.cli.findings` (check, due, compare),
:mod:`~clausewise.cli.writing` (new, review, codeowners),
:mod:`~clausewise.cli.starting` (init: a new handbook in an empty folder) and
:mod:`~clausewise.cli.demo` (demo: the handbook replayed into a new repository), and
:mod:`~clausewise.cli.approvals` (approvals: git notes of pull-request approvals). check, due, new,
review and codeowners read the handbook without rendering it
(:mod:`clausewise.sphinxext.scan`) and compute exactly what a build computes;
new and review write only the one file they name, and print what to do next
(the git commands included: they never commit). Library code raises typed
errors; :func:`run` alone turns them into a line on standard error and exit
code 2 (1 for a failed build). A command that reads a handbook without
``--handbook`` takes the nearest folder upwards with a ``conf.py``
(:func:`find_handbook`), as git finds its repository. An explicit ``--today`` wins over
``CLAUSEWISE_TODAY``, which wins over ``clausewise_today`` in ``conf.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from clausewise.authoring.errors import AuthoringError
from clausewise.cli import approvals, builds, demo, findings, starting, writing
from clausewise.cli.common import BuildFailedError, Command, Subcommands, UsageError
from clausewise.outputs.compare import ReportError
from clausewise.sources.gitlog import GitUnavailableError

#: Every command, in the order ``clausewise --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    builds.AUDIT_PACK,
    builds.AS_OF,
    findings.CHECK,
    findings.DUE,
    findings.COMPARE,
    builds.PDF,
    writing.NEW,
    writing.REVIEW,
    writing.CODEOWNERS,
    starting.INIT,
    demo.DEMO,
    approvals.APPROVALS,
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="clausewise", description="Tools for a clausewise SMS handbook.")
    p.add_argument(
        "--handbook", type=Path, default=None,
        help="the handbook's folder (default: the nearest folder upwards from here with a conf.py)",
    )  # fmt: skip
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.declare(sub)
    _handbook_option_everywhere(sub, skip={c.name for c in COMMANDS if not c.in_handbook})
    return p


def _handbook_option_everywhere(sub: Subcommands, skip: set[str]) -> None:
    """``--handbook`` also after the command (``clausewise check --handbook hb``),
    so that a pre-commit hook's ``args`` can point at a handbook in a subfolder."""
    for name, command in sub.choices.items():
        if name in skip:
            continue
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            _handbook_option_everywhere(nested[0], skip)
            continue
        command.add_argument(
            "--handbook", type=Path, default=argparse.SUPPRESS,
            help="the handbook's folder (default: the nearest folder upwards from here with a conf.py)",
        )  # fmt: skip


def find_handbook(start: Path) -> Path:
    """The handbook a command started in ``start`` works on, found as git finds its
    repository: ``start`` or the nearest folder above it with a ``conf.py``. The search
    stops at the top of the git repository (a folder with ``.git``) or at the root of
    the file system, so a ``conf.py`` of an unrelated project above is never taken.
    A handbook other than ``start`` is named on standard error, so that nobody wonders
    which one was read; relative to ``start`` when it is above it."""
    for folder in (start, *start.parents):
        if (folder / "conf.py").is_file():
            if folder != start:
                print(f"clausewise: using the handbook in {folder}", file=sys.stderr)
                return Path(os.path.relpath(folder, start))
            return Path(".")
        if (folder / ".git").exists():
            break
    raise UsageError(
        f"no conf.py in {start} or any folder above it up to "
        f"{'the top of its git repository' if (folder / '.git').exists() else 'the root'} ({folder}): "
        "run from the handbook's folder or a folder inside it, or pass --handbook"
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except BrokenPipeError:
        # the reader stopped early (`clausewise check | head`): no traceback for that;
        # point stdout at nothing so that Python's own flush at exit is quiet too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def run(argv: Sequence[str] | None = None) -> int:
    """The command line: parse ``argv`` and run one command; the exit code."""
    args = parser().parse_args(argv)
    command = next(c for c in COMMANDS if c.name == args.command)
    try:
        if command.in_handbook:
            if args.handbook is None:
                args.handbook = find_handbook(Path.cwd())
            elif not (args.handbook / "conf.py").is_file():
                raise UsageError(
                    f"{args.handbook.resolve()} has no conf.py: run from the handbook's folder or pass --handbook"
                )
        return command.run(args)
    except BuildFailedError:
        return 1  # Sphinx has said why
    except (UsageError, AuthoringError, GitUnavailableError, ReportError) as exc:
        print(f"clausewise: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
