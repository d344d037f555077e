"""``clausewise init``: a new handbook in its own folder, with clausewise as a
pinned dependency; never overwrites, never commits, prints the next steps."""

from __future__ import annotations

import argparse
import shlex
from datetime import date
from pathlib import Path

from clausewise._version import __version__
from clausewise.authoring import starter
from clausewise.cli.common import Command, Subcommands, UsageError, described, shown_path, today_option_value
from clausewise.core.settings import ClausewiseConfig, SettingError
from clausewise.sources import catalogue

DEFAULT_CATALOGUE = "iso20000-1-2018"


def _declare(sub: Subcommands) -> None:
    init = described(
        sub, "init", "start a new handbook in an empty folder",
        "Write a new handbook into DIR (created if need be; it must be empty): conf.py with every\n"
        "clausewise setting written out, the index and the generated pages (traceability matrix,\n"
        "dashboard, reviews, clause catalogue, record register, and a Statement of Applicability\n"
        "when a catalogue has excludable controls), an owner's guide, one example role, policy and\n"
        "procedure with a record type, an SMS implementation plan that lists every clause not\n"
        "covered yet as a known gap, noxfile.py, requirements.txt, a pre-commit hook and the CI of\n"
        "the forge. Everything installs clausewise as a package at this version\n"
        f"(clausewise=={__version__}). All documents are approved and reviewed today, so the first\n"
        "check is clean. Nothing is committed; the command prints what to do next.",
        "  clausewise init handbook --organisation 'Example Ltd'\n"
        "  clausewise init isms --organisation 'Example Ltd' --catalogue iso20000-1-2018 iso27001-2022 \\\n"
        "      --forge gitlab",
    )  # fmt: skip
    init.add_argument("dir", type=Path, metavar="DIR", help="the new handbook's folder: new, or empty")
    init.add_argument("--organisation", required=True, help="the organisation's name, e.g. 'Example Ltd'")
    init.add_argument(
        "--catalogue", nargs="+", default=[DEFAULT_CATALOGUE], metavar="NAME",
        help=f"bundled clause catalogues, the first one's clauses written as bare numbers "
        f"(default: {DEFAULT_CATALOGUE}; bundled: {', '.join(catalogue.bundled_names())})",
    )  # fmt: skip
    init.add_argument(
        "--forge", choices=[f.value for f in starter.Forge], default=starter.Forge.GITHUB.value,
        help="the CI to write: GitHub workflows or .gitlab-ci.yml (default: github)",
    )  # fmt: skip
    init.add_argument(
        "--today", type=today_option_value, help="the day of approval and review (default: CLAUSEWISE_TODAY or today)"
    )


def _today(given: date | None) -> date:
    """The new handbook's first day: ``--today``, else ``CLAUSEWISE_TODAY``, else the
    real date, read as every command reads it."""
    try:
        return ClausewiseConfig.from_values({}, today=given).today
    except SettingError as exc:
        raise UsageError(str(exc)) from None


def _catalogues(names: list[str], folder: Path) -> tuple[catalogue.Catalogue, ...]:
    bundled = catalogue.bundled_names()
    unknown = [n for n in names if n not in bundled]
    if unknown:
        raise UsageError(f"--catalogue {', '.join(unknown)}: not a bundled catalogue; bundled: {', '.join(bundled)}")
    if len(set(names)) != len(names):
        raise UsageError(f"--catalogue {' '.join(names)}: each catalogue once")
    try:
        return catalogue.load_all(names, folder)[0]
    except catalogue.CatalogueError as exc:
        raise UsageError(str(exc)) from exc


def _run(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder: give a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(
            f"{folder} is not empty: clausewise init writes a new handbook only into a new or empty folder"
        )
    catalogues = _catalogues(args.catalogue, folder)
    files = starter.handbook_files(
        args.organisation, catalogues, args.catalogue, starter.Forge(args.forge), _today(args.today), __version__
    )
    try:
        for made in files:
            target = folder / made.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(made.text.encode("utf-8"))
    except OSError as exc:
        # a parent that is a file, no permission, a full disk: said, not a traceback
        raise UsageError(
            f"cannot write the new handbook into {folder}: {exc.strerror or exc} ({exc.filename}); "
            f"choose a folder you can write to"
        ) from None
    shown = shown_path(folder, ".")
    print(
        "\n".join(
            [
                f"Wrote a new handbook in {shown}: {len(files)} files, clausewise=={__version__} pinned "
                f"in requirements.txt and .pre-commit-config.yaml.",
                "Next:",
                "  1. Put it under git, with everything in the first commit (review dates count from it):",
                f"       cd {shlex.quote(shown)}",
                "       git init",
                "       git add -A",
                '       git commit -m "Start the handbook"',
                "  2. Check it and build it (both install clausewise from requirements.txt):",
                "       python3 -m pip install nox",
                "       python3 -m nox -s check",
                "       python3 -m nox -s docs",
                "  3. Replace the examples with your documents: clausewise new --help, and guide/ in the handbook.",
            ]
        )
    )
    return 0


INIT = Command("init", _declare, _run, in_handbook=False)
