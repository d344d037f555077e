"""Every generated link lands: each ``href`` with a fragment in the sample's HTML (staff and auditor
builds) names an ``id`` that exists on its target page, so a reader following it is taken to the item
instead of the top of a long page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from handbook import Build


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            elif name == "href" and tag == "a" and value:
                self.hrefs.append(value)


def _pages(outdir: Path) -> dict[Path, _Page]:
    pages: dict[Path, _Page] = {}
    for path in sorted(outdir.rglob("*.html")):
        if "_static" in path.parts or "_sources" in path.parts:
            continue
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = page
    return pages


def broken_fragments(outdir: Path) -> list[str]:
    """``page -> href`` for every link whose fragment is not an id on the page it points to."""
    pages = _pages(outdir)
    broken: list[str] = []
    for path, page in pages.items():
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            target_page = pages.get(target)
            if target_page is None:
                continue  # a link to a page that is not HTML of this build (a download, an export)
            if unquote(parts.fragment) not in target_page.ids:
                broken.append(f"{path.relative_to(outdir.resolve())} -> {href}")
    return broken


def test_every_fragment_link_in_the_sample_lands_on_an_id(sample_build: Build) -> None:
    assert broken_fragments(sample_build.outdir) == []


def test_every_fragment_link_in_the_auditor_build_lands_on_an_id(sample_auditor_build: Build) -> None:
    assert broken_fragments(sample_auditor_build.outdir) == []


def test_the_walk_sees_the_record_type_links(sample_build: Build) -> None:
    """The walk is not vacuous: the sample's pages link to record types' period grids by fragment."""
    links = [
        href
        for page in _pages(sample_build.outdir).values()
        for href in page.hrefs
        if "#" in href and "RT-" in href.partition("#")[2]
    ]
    assert len(links) > 100
