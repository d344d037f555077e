"""Files in the handbook's folders that look like pages but are not read as pages.

Sphinx reads a page by its exact suffix (``.md``): ``POLICY.MD``, ``notes.markdown``
or ``plan.Md`` in a governed folder is silently not part of the handbook, and a
careless owner believes it published. :func:`stray_pages` finds them without
reading them, so they can be reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

#: The page suffix clausewise reads its documents and records from.
PAGE_SUFFIX = ".md"
#: Suffixes that editors and other tools use for Markdown, compared in lower case.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


def stray_pages(root: Path, folders: Iterable[str]) -> list[str]:
    """Every file in ``folders`` (relative to ``root``) and under them whose name says
    Markdown but does not end in :data:`PAGE_SUFFIX` exactly, in path order (paths
    relative to ``root``). Hidden folders and symbolic links are not entered."""
    root = Path(root).absolute()
    found: set[str] = set()
    for folder in sorted({f.strip("/") for f in folders}):
        base = root / folder if folder else root
        if not base.is_dir() or base.is_symlink():
            continue
        for top, dirs, files in os.walk(base, followlinks=False):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.lower().endswith(MARKDOWN_SUFFIXES) and not name.endswith(PAGE_SUFFIX):
                    found.add((Path(top) / name).relative_to(root).as_posix())
    return sorted(found)
