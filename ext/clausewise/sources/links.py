"""Symbolic links in the governed folders and the records folder that lead nowhere.

A dangling link (its target does not exist) or a loop (a link to itself, or a
folder link back to its own folder or one above it) makes what it should bring
into the handbook silently absent: Sphinx skips a link it cannot read, and
follows a folder loop as deep as the system lets it, reading every page again at
each level. :func:`broken_links` finds both without following any link, so that
they can be reported and loops kept out of the build.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class BrokenLink:
    path: str  # the link, relative to the handbook root
    target: str  # what the link says, as written
    loop: bool  # True: it leads back to itself; False: its target does not exist


def broken_links(root: Path, folders: Iterable[str]) -> list[BrokenLink]:
    """Every dangling or looping symbolic link in ``folders`` (relative to ``root``)
    and under them, each once, in path order."""
    root = Path(root).absolute()
    found: dict[str, BrokenLink] = {}
    for folder in sorted({f.strip("/") for f in folders}):
        base = root / folder if folder else root
        candidates = [base] if base.is_symlink() else []
        if base.is_dir() and not base.is_symlink():
            candidates += _links_under(base)
        for link in candidates:
            broken = _broken(link)
            if broken is not None:
                path = link.relative_to(root).as_posix()
                found[path] = BrokenLink(path, os.readlink(link), broken)
    return sorted(found.values())


def _links_under(folder: Path) -> list[Path]:
    """Every symbolic link under ``folder``, not following any: asked of each folder's entries as
    they are listed (no call to the system per file; a handbook has thousands)."""
    found: list[Path] = []
    folders = [str(folder)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:  # a folder that cannot be listed is skipped, as os.walk skips it
            continue
        with entries:
            for entry in entries:
                if entry.is_symlink():
                    found.append(Path(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
    return found


def _broken(link: Path) -> bool | None:
    """True for a loop, False for a dangling link, None for a link that works."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return False
    except (RuntimeError, OSError):  # a chain of links that comes back to itself
        return True
    here = link.parent.resolve()
    return True if target.is_dir() and (target == here or target in here.parents) else None
