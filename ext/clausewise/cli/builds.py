"""``clausewise audit-pack``, ``as-of`` and ``pdf``: the handbook built by Sphinx
in a child process (the same ``python -m sphinx`` a person would run)."""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from clausewise.cli.common import (
    BuildFailedError,
    Command,
    Subcommands,
    UsageError,
    date_option,
    described,
    today_option,
)
from clausewise.core.settings import AUDIENCE_ENV, TODAY_ENV, ClausewiseConfig
from clausewise.outputs import exports
from clausewise.sources import gitlog
from clausewise.sphinxext import scan

#: Build output that is not evidence: sphinx-needs' validation timing report.
NOT_PACKED = frozenset({"schema_violations.json"})


def audience_settings(srcdir: Path, audience: str) -> ClausewiseConfig:
    """The handbook's settings for a build for ``audience`` (a command's ``--audience``),
    refused in one line when the handbook has no such audience."""
    try:
        return scan.read_config(srcdir, audience=audience)[1]
    except scan.ScanError as exc:
        raise UsageError(str(exc)) from exc


def child_environment(today: date | None, audience: str | None) -> dict[str, str]:
    """The environment of a child build: ``today`` and ``audience``, when given, as
    its ``CLAUSEWISE_TODAY`` and ``CLAUSEWISE_AUDIENCE``, so that an explicit option
    wins over the variables set in the shell, which the child would otherwise inherit."""
    env = dict(os.environ)
    if today is not None:
        env[TODAY_ENV] = today.isoformat()
    if audience is not None:
        env[AUDIENCE_ENV] = audience
    return env


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    today: date | None,
    overrides: dict[str, str] | None = None,
    audience: str | None = None,
) -> None:
    """Run ``python -m sphinx -b html`` fresh; its output goes to our stdout and stderr.

    ``today`` and ``audience`` go to the child as :func:`child_environment` says.
    ``clausewise_fail_on`` is ``never`` in the child: findings go into what it writes."""
    # doctrees go beside, not inside, the output: they are pickles, not part of the handbook
    doctrees = outdir.parent / f".doctrees-{outdir.name}"
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-q", "-d", str(doctrees), str(srcdir), str(outdir)]
    # the pack and the historical view show the findings as evidence; they are not a gate
    for key, value in {"clausewise_fail_on": "never", **(overrides or {})}.items():
        args += ["-D", f"{key}={value}"]
    if subprocess.run(args, env=child_environment(today, audience), check=False).returncode != 0:
        raise BuildFailedError(f"the build of {srcdir} failed")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(root: Path, commit: str, dirty: bool, today: str, cfg: ClausewiseConfig) -> dict[str, object]:
    """Every file of the pack with its SHA-256, and what the pack is: the commit,
    the day it judges by, and the audience it was built for with the
    classifications that audience reads (the pack holds no page classified otherwise)."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.relative_to(root).as_posix() not in NOT_PACKED)
    return {
        "commit": commit,
        "uncommitted_changes": dirty,
        "today": today,
        "audience": cfg.audience,
        "classifications": list(cfg.readable_levels),
        "files": [
            {"path": p.relative_to(root).as_posix(), "sha256": sha256(p), "size": p.stat().st_size} for p in files
        ],
    }


#: Whom an audit pack is for unless ``--audience`` says otherwise.
AUDIT_PACK_AUDIENCE = "auditor"


def audit_pack(srcdir: Path, out: Path, today: date | None, audience: str = AUDIT_PACK_AUDIENCE) -> Path:
    """Build the handbook for ``audience`` and write one zip: the HTML (exports and
    findings.json inside ``html/clausewise/``) and ``manifest.json`` with every
    file's SHA-256, the audience and the classifications it reads."""
    cfg = audience_settings(srcdir, audience)
    commit, dirty = gitlog.head_state(srcdir)
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "html"
        sphinx_build(srcdir, html, today, audience=audience)
        findings = json.loads((html / "clausewise" / "findings.json").read_text())
        info = manifest(html, commit, dirty, findings["today"], cfg)
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
            for entry in info["files"]:  # type: ignore[attr-defined]
                zipped = zipfile.ZipInfo(f"html/{entry['path']}", exports.ZIP_TIME)
                zipped.compress_type = zipfile.ZIP_DEFLATED
                pack.writestr(zipped, (html / entry["path"]).read_bytes())
            listing = zipfile.ZipInfo("manifest.json", exports.ZIP_TIME)
            pack.writestr(listing, json.dumps(info, indent=2) + "\n")
    return out


#: Whom a historical view is for unless ``--audience`` says otherwise: like the HTML, all staff.
AS_OF_AUDIENCE = "staff"


def as_of(srcdir: Path, day: date, out: Path, audience: str = AS_OF_AUDIENCE) -> tuple[Path, str]:
    """Build the handbook for ``audience`` as it stood on ``day``: its last commit by then,
    checked out in a temporary worktree, with today set to ``day`` and a banner on every page.
    The audience is the command's, never the shell's ``CLAUSEWISE_AUDIENCE``; the levels it
    reads are those of the handbook then."""
    sha = gitlog.commit_on(srcdir, day)
    with gitlog.worktree(srcdir, sha) as tree:
        audience_settings(tree, audience)
        sphinx_build(tree, out, day, {"clausewise_as_of": day.isoformat()}, audience=audience)
    return out, sha


#: Whom the PDF is for unless ``--audience`` says otherwise: like the HTML, all staff.
PDF_AUDIENCE = "staff"


def _weasyprint_html() -> Any:
    """WeasyPrint's ``HTML``, or a :class:`UsageError` naming what to install: it is the
    optional ``pdf`` extra, and ``pip install clausewise`` alone does not bring it."""
    try:
        from weasyprint import HTML
    except ImportError:
        raise UsageError(
            "clausewise pdf needs WeasyPrint, which is not installed: pip install 'clausewise[pdf]'"
        ) from None
    except OSError as exc:  # WeasyPrint is there, the system's Pango it loads is not
        raise UsageError(
            f"clausewise pdf needs Pango from the system for WeasyPrint, which failed to load: {exc}"
        ) from None
    return HTML


def pdf(srcdir: Path, out: Path, audience: str = PDF_AUDIENCE, today: date | None = None) -> Path:
    """The handbook's documents as one PDF for ``audience``: a controlled copy. Sphinx's
    single-page HTML (without records, which are reached from their grids; marked up for
    print by :mod:`clausewise.sphinxext.printed`) with a cover (:func:`cover_html`),
    rendered by WeasyPrint, a pure-Python renderer that needs only Pango from the system,
    no browser."""
    weasyprint_html = _weasyprint_html()
    config, cfg = _read_config(srcdir, audience)
    try:
        commit: str | None
        commit, dirty = gitlog.head_state(srcdir)
    except gitlog.GitUnavailableError:
        commit, dirty = None, False
    with tempfile.TemporaryDirectory() as tmp:
        single = Path(tmp) / "single"
        args = [sys.executable, "-m", "sphinx", "-b", "singlehtml", "-q", "-d", str(Path(tmp) / "doctrees"),
                "-D", "html_theme=basic", "-D", "clausewise_fail_on=never", str(srcdir), str(single)]  # fmt: skip
        if subprocess.run(args, env=child_environment(today, audience), check=False).returncode != 0:
            raise BuildFailedError(f"the single-page build of {srcdir} failed")
        judged = json.loads((single / "clausewise" / "findings.json").read_text(encoding="utf-8"))["today"]
        cover = cover_html(str(config.project), cfg, commit, dirty, judged)
        page = single / "index.html"
        page.write_text(with_cover(page.read_text(encoding="utf-8"), cover), encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        document = weasyprint_html(filename=str(page), url_fetcher=_build_folder_fetcher(single))
        document.write_pdf(str(out))
    return out


def _read_config(srcdir: Path, audience: str) -> tuple[Any, ClausewiseConfig]:
    try:
        return scan.read_config(srcdir, audience=audience)
    except scan.ScanError as exc:
        raise UsageError(str(exc)) from exc


UNCONTROLLED = "Uncontrolled when printed"


def cover_html(project: str, cfg: ClausewiseConfig, commit: str | None, dirty: bool, today: str) -> str:
    """The PDF's cover: what the copy is, for whom, of which commit, judged on which day,
    and that a printed copy is not controlled. Every value is escaped: ``conf.py``'s
    title and organisation are the handbook's text, not markup."""
    if commit is None:
        state = "none (the handbook is not in a git repository)"
    else:
        state = commit[:7] + (" (uncommitted changes)" if dirty else "")
    lines = [
        *([("organisation", f"Organisation: {cfg.organisation}")] if cfg.organisation else []),
        ("audience", f"Audience: {cfg.audience} (classifications {', '.join(cfg.readable_levels)})"),
        ("commit", f"Commit: {state}"),
        ("date", f"Build date: {today}"),
        ("uncontrolled", UNCONTROLLED),
    ]
    paragraphs = "".join(f'<p class="clausewise-cover-{name}">{html.escape(text)}</p>' for name, text in lines)
    return f'<div class="clausewise-cover"><h1>{html.escape(project)}</h1>{paragraphs}</div>'


def with_cover(page: str, cover: str) -> str:
    """The single page with the cover first in its body (the theme's own ``<body>`` tag:
    the head before it holds only escaped text)."""
    opened = re.search(r"<body\b[^>]*>", page)
    if opened is None:
        raise BuildFailedError("the single-page build wrote no <body>")
    return page[: opened.end()] + cover + page[opened.end() :]


def _build_folder_fetcher(folder: Path) -> Any:
    """WeasyPrint's fetcher, held to ``folder`` (the single-page build: its pages, images and
    styles): a page's image at an ``http(s)`` address would otherwise be fetched by the
    machine making the PDF (in CI, an address on the internal network), and a ``file:``
    one read from anywhere on it. What it refuses is left out of the PDF, with a warning."""
    from weasyprint.urls import URLFetcher

    root = folder.resolve()

    class BuildFolderFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path)).resolve()
                if path.is_relative_to(root):
                    return super().fetch(url, headers)
            elif url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"not fetched for the PDF: {url} is not a file of the handbook's build")

    return BuildFolderFetcher()


def _declare_audit_pack(sub: Subcommands) -> None:
    pack = described(
        sub, "audit-pack", "one zip for an auditor: HTML, exports, findings, manifest",
        "Build the handbook for an auditor and write one zip with its HTML, the exports, findings.json\n"
        "and a manifest with every file's SHA-256 and the audience it was built for.",
        "  clausewise audit-pack\n"
        "  clausewise audit-pack --out audit-2026.zip --today 2026-11-30",
    )  # fmt: skip
    pack.add_argument("--out", type=Path, default=Path("_build/audit-pack.zip"), help="the zip to write")
    pack.add_argument(
        "--audience", default=AUDIT_PACK_AUDIENCE,
        help=f"the audience it is built for, one of clausewise_audiences (default: {AUDIT_PACK_AUDIENCE})",
    )  # fmt: skip
    today_option(pack)


def _run_audit_pack(args: argparse.Namespace) -> int:
    print(f"audit pack written: {audit_pack(args.handbook, args.out, args.today, args.audience)}")
    return 0


def _declare_as_of(sub: Subcommands) -> None:
    past = described(
        sub, "as-of", "build the handbook as it stood on a past date",
        "Build the handbook from the last commit on or before DATE, judged on that day: what an\n"
        "auditor would have seen then.",
        "  clausewise as-of 2026-03-15\n"
        "  clausewise as-of 2026-03-15 --out _build/march --audience auditor",
    )  # fmt: skip
    past.add_argument("date", type=date_option, help="YYYY-MM-DD")
    past.add_argument("--out", type=Path, help="where to write the HTML (default: _build/as-of/DATE)")
    past.add_argument(
        "--audience", default=AS_OF_AUDIENCE,
        help=f"the audience it is built for, one of clausewise_audiences (default: {AS_OF_AUDIENCE})",
    )  # fmt: skip


def _run_as_of(args: argparse.Namespace) -> int:
    out = args.out or Path("_build/as-of") / args.date.isoformat()
    if out.exists():
        shutil.rmtree(out)
    path, sha = as_of(args.handbook, args.date, out, args.audience)
    print(f"handbook as of {args.date} (commit {sha[:7]}) written to {path}")
    return 0


def _declare_pdf(sub: Subcommands) -> None:
    printed = described(
        sub, "pdf", "the handbook's documents as one PDF",
        "Build the handbook's documents (without records) for an audience and render them as one PDF.\n"
        "Needs the 'pdf' extra: pip install 'clausewise[pdf]'.",
        "  clausewise pdf\n"
        "  clausewise pdf --out handbook.pdf --audience auditor",
    )  # fmt: skip
    printed.add_argument("--out", type=Path, default=Path("_build/pdf/handbook.pdf"), help="the PDF to write")
    printed.add_argument(
        "--audience", default=PDF_AUDIENCE,
        help=f"the audience it is built for, one of clausewise_audiences (default: {PDF_AUDIENCE})",
    )  # fmt: skip
    today_option(printed, "the build date on the cover, and the day to judge by (default: CLAUSEWISE_TODAY or today)")


def _run_pdf(args: argparse.Namespace) -> int:
    print(f"PDF written: {pdf(args.handbook, args.out, args.audience, args.today)}")
    return 0


AUDIT_PACK = Command("audit-pack", _declare_audit_pack, _run_audit_pack)
AS_OF = Command("as-of", _declare_as_of, _run_as_of)
PDF = Command("pdf", _declare_pdf, _run_pdf)
