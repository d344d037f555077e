"""The parts every page repeats (status boxes, revision histories, period grids) and the large
handbook-wide tables (the document register, a role's documents) are written as HTML text for
Sphinx's own HTML translator (``clausewise.sphinxext.parts``), and as nodes for any other. Every
page must be byte for byte what the translator writes of the nodes, and the search index the
same: each handbook here is built both ways, once as it is and once with ``plain_translator``
(Sphinx's translator under another class, as a theme's would be), and every file is compared."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

from clausewise.sphinxext.events import parts_as_html
from handbook import Build, build, commit, governed, record, role, write_handbook
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

AS_NODES = {"extensions": ["clausewise", "plain_translator"]}


def html_files(outdir: Path) -> dict[str, bytes]:
    """Every page, and the search index: a part written as HTML text gives it the same words."""
    found = [*outdir.rglob("*.html"), outdir / "searchindex.js"]
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(found)}


def assert_same_pages(as_text: Build, as_nodes: Build) -> dict[str, bytes]:
    text_pages, node_pages = html_files(as_text.outdir), html_files(as_nodes.outdir)
    assert sorted(text_pages) == sorted(node_pages)
    differing = [name for name in text_pages if text_pages[name] != node_pages[name]]
    assert differing == []
    return text_pages


@contextmanager
def built(srcdir: Path, builder: str = "html", extensions: tuple[str, ...] = ()) -> Iterator[Sphinx]:
    """A finished build of ``srcdir`` whose application is still open, to ask it what it did."""
    out = srcdir / "_build" / f"probe-{builder}-{len(extensions)}"
    with patch_docutils(srcdir), docutils_namespace():
        app = Sphinx(
            srcdir, srcdir, out / builder, out / "doctrees", builder, status=StringIO(), warning=StringIO(),
            freshenv=True,
            confoverrides={"clausewise_today": "2026-11-23", "extensions": ["clausewise", *extensions]},
        )  # fmt: skip
        app.build()
        yield app


def test_every_page_of_the_sample_is_the_same_with_the_parts_as_nodes(sample_build: Build) -> None:
    outdir = sample_build.srcdir / "_build" / "as-nodes" / "html"
    as_nodes = build(sample_build.srcdir, fresh=True, today="2026-11-23", overrides=AS_NODES, outdir=outdir)
    pages = assert_same_pages(sample_build, as_nodes)
    boxes = sum(page.count(b'class="clausewise-table clausewise-status-box no-search') for page in pages.values())
    histories = sum(page.count(b'class="clausewise-table clausewise-history') for page in pages.values())
    assert (len(pages), boxes, histories) == (288, 251, 251)
    tables = b"".join(pages.values())
    assert tables.count(b'<table class="clausewise-table clausewise-documents clausewise-stacked docutils') == 25
    assert tables.count(b'<table class="clausewise-table clausewise-register clausewise-stacked docutils') == 1
    assert tables.count(b'<tr class="row-even" id="register-DOC-001">') == 1


HOSTILE = '<b>&amp; "quoted" @here</b>'

#: record types of every shape of grid: weeks, days, months of an irregular cadence, events, none
GRID_TYPES = """\
  - {id: RT-WEEK, title: "Weekly <check> & @", owner: ROLE-OWNER, evidences: [1.1], cadence: weekly, start: 2026-01-05}
  - {id: RT-DAY, title: Daily, owner: ROLE-OWNER, evidences: [1.1], cadence: daily, start: 2026-09-01, retain: 1 year}
  - {id: RT-EVERY, title: Every two, owner: ROLE-OWNER, evidences: [1.1], cadence: every 2 months, start: 2026-01-01}
  - {id: RT-EVENT, title: Event, owner: ROLE-OWNER, evidences: [1.1], cadence: per event, start: 2026-01-01}
  - {id: RT-NONE, title: None, owner: ROLE-OWNER, evidences: [1.1], cadence: fortnightly}"""


def hostile_handbook(root: Path) -> Path:
    """Every part in its every shape, with text HTML would take for markup."""
    write_handbook(
        root,
        {
            "roles/owner.md": role(satisfies=None),
            "policies/p.md": governed(
                "POL-001", "policy", "Policy", implements="[POL-404]", uses="[EXT-002]", satisfies="[1.1, 9.9]"
            ),
            "external/e.md": governed(
                "EXT-001", "external", "Standard", version=None, issuer=f"'{HOSTILE}'", edition='"2022"',
                location='"shelf  3, <room> @ B"', reviewed="2024-01-01", satisfies=None,
            ),
            "external/f.md": governed(
                "EXT-002", "external", "Standard two", version=None, issuer="ISO", edition='"1"',
                location="https://example.org/a?b=1&c=2", satisfies=None,
            ),
            "procedures/q.md": governed("PRC-001", "procedure", "Procedure", reviewed="2025-12-01"),
            "pages/register.md": "# Register\n\n```{document-register}\n```\n",
            "policies/old.md": governed("POL-009", "policy", f"Old {HOSTILE}", status="retired"),
            "procedures/grids.md": governed(
                "PRC-003", "procedure", "Grids", record_types="\n" + GRID_TYPES
            ),
            **{f"records/w/2026-W{n:02d}.md": record(f"REC-W-{n:02d}", "RT-WEEK", f"2026-W{n:02d}",
                                                     produced=f"2026-{(n * 7) // 31 + 1:02d}-20")
               for n in (30, 31, 33, 40, 41, 45)},
            "records/w/draft.md": record("REC-W-46", "RT-WEEK", "2026-W46", status="draft"),
            **{f"records/d/2026-11-{n:02d}.md": record(f"REC-D-{n:02d}", "RT-DAY", f"2026-11-{n:02d}",
                                                       produced=f"2026-11-{n:02d}") for n in (2, 3, 5, 16)},
            "records/e/2026-10.md": record("REC-E-2026-10", "RT-EVERY", "2026-10", produced="2026-10-30"),
            "records/v/one.md": record("REC-V-1", "RT-EVENT", "2026-10-01", produced="2026-10-01"),
            "records/r1.md": record(
                "REC-001", "RT-404", "2026-09", produced_by=f"'{HOSTILE}'", status="superseded",
                correction=f"'fixed {HOSTILE}'", evidence='["https://dms.example.org/x y?a=1&b=2", "dms @ shelf  4"]',
            ),
        },
        conf_extra='clausewise_repository_url = "https://github.com/example/handbook"\n',
    )  # fmt: skip
    commit(root, f"Change {HOSTILE}\n\nbody", "2026-08-01T10:00:00+00:00",
           {"policies/p.md": governed("POL-001", "policy", "Policy", body="Changed.\n", version='"1.1"')},
           author=('Eve "&amp;" @ Evil', "eve@example.org"))  # git drops < and > from names  # fmt: skip
    (root / "procedures" / "q.md").write_text(
        governed("PRC-001", "procedure", "Procedure", body="Edited, not committed.\n")
    )
    (root / "procedures" / "new.md").write_text(governed("PRC-002", "procedure", "New procedure"))
    return root


def test_hostile_text_in_every_part_is_the_same_with_the_parts_as_nodes(tmp_path: Path) -> None:
    root = hostile_handbook(tmp_path / "hb")
    as_text = build(root, fresh=True)
    as_nodes = build(root, fresh=True, overrides=AS_NODES, outdir=root / "_build" / "as-nodes" / "html")
    pages = assert_same_pages(as_text, as_nodes)
    page = pages["external/e.html"].decode()
    assert "<td><p>&lt;b&gt;&amp;amp; &quot;quoted&quot; &#64;here&lt;/b&gt;</p></td>" in page
    assert (
        '<code class="docutils literal notranslate"><span class="pre">shelf</span>&#160; '
        '<span class="pre">3,</span> <span class="pre">&lt;room&gt;</span> <span class="pre">&#64;</span> '
        '<span class="pre">B</span></code>'
    ) in page
    history = pages["policies/p.html"].decode()
    assert "Change &lt;b&gt;&amp;amp; &quot;quoted&quot; &#64;here&lt;/b&gt;" in history
    assert "by Eve &quot;&amp;amp;&quot; &#64; Evil" in history
    assert "This page has changes that are not committed yet." in pages["procedures/q.html"].decode()
    assert "Not committed to git yet" in pages["procedures/new.html"].decode()
    register = pages["pages/register.html"].decode()
    assert register.count('<tr class="row-') == 2 + 7 + 1  # the two heads, seven in use, one retired
    assert (
        '<td data-label="Title"><p>Old &lt;b&gt;&amp;amp; &quot;quoted&quot; &#64;here&lt;/b&gt;</p></td>' in register
    )
    grids = pages["procedures/grids.html"].decode()
    assert grids.count('class="clausewise-table clausewise-grid no-search docutils align-default"') == 3
    assert grids.count('<td class="clausewise-state-present"><p>') == 10
    assert (
        grids.count('class="clausewise-edit clausewise-add-record reference external" href="https://github.com/') == 89
    )


def test_the_parts_are_html_text_only_where_sphinx_s_own_translator_writes_them(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(satisfies=None)})
    with built(root) as app:
        assert parts_as_html(app) is True
    with built(root, "dirhtml") as app:
        assert parts_as_html(app) is True
    with built(root, extensions=("plain_translator",)) as app:
        assert parts_as_html(app) is False
    with built(root, "singlehtml") as app:  # the PDF's build rewrites the parts' links afterwards
        assert parts_as_html(app) is False
    with built(root, "text") as app:
        assert parts_as_html(app) is False
    (root / "docutils.conf").write_text("[html writers]\ntable_style: booktabs\n")
    with built(root) as app:
        assert parts_as_html(app) is False
    page = (root / "_build" / "probe-html-0" / "html" / "roles" / "owner.html").read_text()
    assert (
        'class="clausewise-table clausewise-status-box no-search docutils booktabs align-default" id="ROLE-OWNER"'
        in page
    )


def test_other_builders_get_the_parts_as_nodes(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(satisfies=None)})
    done = build(root, builder="text", fresh=True)
    lines = (done.outdir / "roles" / "owner.txt").read_text().splitlines()
    assert [line.split("|")[1:3] for line in lines[4:9:2]] == [
        [" Document                  ", " ROLE-OWNER (role)" + " " * 59],
        [" Owner                     ", " Owner" + " " * 71],
        [" Status                    ", " approved" + " " * 68],
    ]
    assert lines.count("Revision history") == 1
