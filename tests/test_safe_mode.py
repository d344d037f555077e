"""Safe mode (clausewise_safe_mode): a change to a page cannot publish a file from outside
the handbook or put HTML and script into readers' browsers. Each case is a real build with
the exact finding and what the published page shows, and `clausewise check` says the same."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from clausewise.cli.findings import check_findings
from clausewise.core.settings import ClausewiseConfig, SettingError
from clausewise.core.urls import dangerous_scheme
from handbook import Build, build, commit, governed, record, role, write_handbook

MARKER = "OUTSIDE-SECRET-7f3a"
#: suppress what these small handbooks do not set out to show
CONF = """
exclude_patterns = ["_build", "snippets/**"]
suppress_warnings = ["clausewise.uncovered-clause"]
myst_enable_extensions = ["colon_fence"]
"""
HINT = "(clausewise_safe_mode)"


def refused_file(what: str, written: str, *, link: bool = False) -> str:
    reason = (
        f"{written!r} is a symbolic link (or lies in a linked folder) that leads outside the handbook's folder"
        if link
        else f"{written!r} lies outside the handbook's folder"
    )
    return (
        f"{what}: {reason}, so it is not read or published; put the file in the handbook, not in a hidden "
        f"folder, and name it by a path within it {HINT}"
    )


def raw_html(text: str, kind: str = "raw HTML") -> str:
    return (
        f"{kind} {text!r} is shown as text, not markup: a page cannot carry HTML or script into the published "
        f"handbook; write it in Markdown (a link, an image, a table), or, on a page that is not governed, allow "
        f"it with front matter 'clausewise_unsafe: \"<reason>\"' {HINT}"
    )


def script_link(what: str, target: str, scheme: str = "javascript") -> str:
    return (
        f"{what} to {target!r} uses the {scheme}: scheme, which can run script in a reader's browser; it is "
        f"shown as text, not a link; link to an https:// address or a page of the handbook {HINT}"
    )


def findings(built: Build) -> list[tuple[str, str, int, str, str]]:
    return [(f["code"], f["path"], f["line"], f["id"], f["message"]) for f in built.report["findings"]]


def published_files(outdir: Path) -> list[Path]:
    return [p for p in outdir.rglob("*") if p.is_file()]


def files_with(outdir: Path, marker: str) -> list[str]:
    return sorted(
        p.relative_to(outdir).as_posix() for p in published_files(outdir) if marker.encode() in p.read_bytes()
    )


def check_equals_build(built: Build) -> None:
    """`clausewise check` reports what the build did, without a build."""
    report, _ = check_findings(built.srcdir, date(2026, 11, 23))
    assert report == built.report


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the handbook with what a hostile change would like to publish."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"{MARKER}\n")
    (folder / "secret.csv").write_text(f"a,b\n{MARKER},1\n")
    (folder / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + MARKER.encode())
    return folder


#: Every way a page can read or show a file, each naming one outside the handbook.
#: Line 14 is the body's first (see handbook.governed).
FILES_BODY = """\
Text.

```{include} ../../outside/secret.txt
```

```{literalinclude} ../../outside/secret.txt
```

```{literalinclude} inside.txt
:diff: ../../outside/secret.txt
```

```{csv-table} Targets
:file: ../../outside/secret.csv
```

```{image} ../../outside/secret.png
```

:::{figure} ../img/linked.png
A linked image.
:::

![a Markdown image](../../outside/secret.png)

Fill in {download}`the form <../../outside/secret.txt>` or the [linked file](../../outside/secret.txt).

```{include} ../snippets/fine.md
```

```{raw} html
:file: ../../outside/secret.txt
```

```{csv-table} Remote
:url: https://example.org/targets.csv
```
"""


def test_files_outside_the_handbook_are_refused_and_never_published(tmp_path: Path, outside: Path) -> None:
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed("POL-001", "policy", "Policy", body=FILES_BODY),
        "policies/inside.txt": "inside\n",
        # an included file's own refusals name it and its line
        "snippets/fine.md": "Included from inside the handbook.\n\n<b>Bold</b>\n",
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    (root / "img").mkdir()
    (root / "img" / "linked.png").symlink_to(outside / "secret.png")
    (root / "policies" / "passwd.md").symlink_to(outside / "secret.txt")
    built = build(root, fresh=True)

    page = "policies/policy.md"
    assert findings(built) == [
        ("unsafe-include", "policies/passwd.md", 0, "",
         "the page 'policies/passwd.md' is a symbolic link (or lies in a linked folder) that leads outside the "
         f"handbook's folder, so it is not read or published; put the file itself in the handbook in place of "
         f"the link {HINT}"),
        ("unsafe-include", page, 16, "POL-001",
         refused_file("the include directive's file", "../../outside/secret.txt")),
        ("unsafe-include", page, 19, "POL-001",
         refused_file("the literalinclude directive's file", "../../outside/secret.txt")),
        ("unsafe-include", page, 22, "POL-001",
         refused_file("the literalinclude directive's file", "../../outside/secret.txt")),
        ("unsafe-include", page, 26, "POL-001",
         refused_file("the csv-table directive's 'file' option", "../../outside/secret.csv")),
        ("unsafe-include", page, 30, "POL-001", refused_file("the image", "../../outside/secret.png")),
        ("unsafe-include", page, 33, "POL-001", refused_file("the image", "../img/linked.png", link=True)),
        ("unsafe-include", page, 37, "POL-001", refused_file("the image", "../../outside/secret.png")),
        ("unsafe-include", page, 39, "POL-001", refused_file("the download link", "../../outside/secret.txt")),
        ("unsafe-include", page, 39, "POL-001", refused_file("the download link", "../../outside/secret.txt")),
        ("unsafe-include", page, 44, "POL-001",
         refused_file("the raw directive's 'file' option", "../../outside/secret.txt")),
        ("unsafe-include", page, 48, "POL-001",
         "the csv-table directive's url option: 'https://example.org/targets.csv' would be fetched from the "
         f"network while the handbook is built, so it is not; put the file into the handbook and name it with "
         f"'file' {HINT}"),
        ("raw-html", "snippets/fine.md", 3, "POL-001", raw_html("</b>")),
        ("raw-html", "snippets/fine.md", 3, "POL-001", raw_html("<b>")),
    ]  # fmt: skip
    # not read, not copied, not published: no byte of it anywhere in the output
    assert files_with(built.outdir, MARKER) == []
    assert not (built.outdir / "_images").exists() and not (built.outdir / "_downloads").exists()
    assert not (built.outdir / "_sources" / "policies" / "passwd.md.txt").exists()
    assert (built.outdir / "_sources" / "policies" / "policy.md.txt").is_file()
    # the linked page is left out before Sphinx reads it (a link to /dev/zero would never end)
    assert not (built.outdir / "policies" / "passwd.html").exists()
    # each refused construct is shown as what was written; what is inside is included as usual
    text = built.page_text("policies/policy")
    assert "```{include} ../../outside/secret.txt ```" in text
    assert "a Markdown image" in text and "the form" in text and "Included from inside the handbook." in text
    assert built.given is not None and built.given.dependencies["policies/policy"] == ["snippets/fine.md"]
    check_equals_build(built)


def test_safe_mode_off_trusts_every_page(tmp_path: Path, outside: Path) -> None:
    """The switch works: with safe mode off the same pages publish the outside files and HTML."""
    body = "Text.\n\n```{include} ../../outside/secret.txt\n```\n\n![pic](../../outside/secret.png)\n\n<b>bold</b>\n"
    files = {"roles/owner.md": role(), "policies/policy.md": governed("POL-001", "policy", "Policy", body=body)}
    root = write_handbook(tmp_path / "hb", files, CONF + "clausewise_safe_mode = False\n")
    built = build(root, fresh=True)
    assert findings(built) == []
    assert files_with(built.outdir, MARKER) == ["_images/secret.png", "policies/policy.html"]
    assert "<b>bold</b>" in built.page_html("policies/policy")
    check_equals_build(built)


HTML_BODY = """\
Text.

<div onclick="alert(1)">A block of HTML.</div>

Inline <b onmouseover="alert(2)">bold</b> HTML.

```{raw} html
<script>alert(3)</script>
```

```{image} ../img/fine.svg
:target: JaVa&#83;cript:alert(4)
```

A [Markdown link](javascript:alert(5)) is never a link: Markdown's own parser refuses it.

<!-- An owner's note: a comment is harmless and stays one. -->

A comment <!-- inline --> too, but <!--><script>alert(6)</script>--> is no comment.
"""


def test_raw_html_and_script_links_are_shown_as_text(tmp_path: Path) -> None:
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed("POL-001", "policy", "Policy", body=HTML_BODY),
        "img/fine.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    page = "policies/policy.md"
    assert findings(built) == [
        ("raw-html", page, 16, "POL-001", raw_html('<div onclick="alert(1)">A block of HTML.</div>')),
        ("raw-html", page, 18, "POL-001", raw_html("</b>")),
        ("raw-html", page, 18, "POL-001", raw_html('<b onmouseover="alert(2)">')),
        ("raw-html", page, 20, "POL-001", raw_html("<script>alert(3)</script>")),
        ("unsafe-link", page, 24, "POL-001", script_link("a link", "JaVa&#83;cript:alert(4)")),
        ("raw-html", page, 32, "POL-001", raw_html("<!-->")),
        ("raw-html", page, 32, "POL-001", raw_html("</script>")),
        ("raw-html", page, 32, "POL-001", raw_html("<script>")),
    ]
    html = built.page_html("policies/policy")
    for markup in ("<div onclick", "<b onmouseover", "<script>alert", 'href="JaVa', 'href="javascript'):
        assert markup not in html, markup
    text = built.page_text("policies/policy")
    for shown in ('<div onclick="alert(1)">A block of HTML.</div>', "<script>alert(3)</script>", "Inline <b"):
        assert shown in text, shown
    assert "[Markdown link](javascript:alert(5))" in text
    assert "<!-- An owner's note: a comment is harmless and stays one. -->" in html and "<!-- inline -->" in html
    # the linked image stays, without its link
    assert "fine.svg" in html and (built.outdir / "_images" / "fine.svg").is_file()
    check_equals_build(built)


def test_pages_that_are_not_governed_opt_out_visibly(tmp_path: Path) -> None:
    allowed = (
        '---\nclausewise_unsafe: "the list links to files the build writes"\n---\n'
        '# Tool\n\n<ul class="x"><li>a</li></ul>\n'
    )
    files = {
        "roles/owner.md": role(),
        "docs/tool.md": allowed,
        "docs/other.md": '# Other\n\n<ul class="x"><li>b</li></ul>\n',
        # a governed page cannot opt out: the key is not one of its metadata
        "policies/policy.md": governed("POL-001", "policy", "Policy", body="<i>x</i>\n", clausewise_unsafe='"because"'),
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    assert [f[:4] for f in findings(built)] == [
        ("raw-html", "docs/other.md", 3, ""),
        ("invalid-metadata", "policies/policy.md", 12, "POL-001"),
        ("raw-html", "policies/policy.md", 15, "POL-001"),
        ("raw-html", "policies/policy.md", 15, "POL-001"),
    ]
    assert findings(built)[0][4] == raw_html('<ul class="x"><li>b</li></ul>')
    assert '<ul class="x"><li>a</li></ul>' in built.page_html("docs/tool")
    assert '<ul class="x"><li>b</li></ul>' not in built.page_html("docs/other")
    check_equals_build(built)


def test_a_title_with_html_is_text_in_the_heading_navigation_and_links(tmp_path: Path) -> None:
    title = '<img src=x onerror=alert(1)> "><script>alert(2)</script> *not emphasis*'
    files = {
        "roles/owner.md": role(),
        "policies/a.md": governed("POL-001", "policy", "A first policy"),
        "policies/b.md": governed("POL-002", "policy", f"'{title}'"),
        "policies/c.md": governed("POL-003", "policy", "C last policy"),
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    assert findings(built) == []
    # (Sphinx's smart quotes make the '"' a '“')
    escaped = "&lt;img src=x onerror=alert(1)&gt; “&gt;&lt;script&gt;alert(2)&lt;/script&gt; *not emphasis*"
    own = built.page_html("policies/b")
    assert f"<h1>{escaped}" in own  # the heading
    assert escaped in built.page_html("policies/a")  # the "next" link
    assert escaped in built.page_html("policies/c")  # the "previous" link
    assert escaped in built.page_html("index")  # the navigation
    for page in built.outdir.rglob("*.html"):
        text = page.read_text()
        assert "<img src=x" not in text and "<script>alert(2)" not in text and "<em>not emphasis" not in text, page


def test_a_script_link_in_front_matter_is_text(tmp_path: Path) -> None:
    files = {
        "roles/owner.md": role(),
        "procedures/report.md": governed(
            "PRC-001", "procedure", "Report",
            record_types="\n  - id: RT-REPORT\n    title: Report\n    cadence: monthly\n    owner: ROLE-OWNER",
        ),
        "records/report/2026-10.md": record(
            "REC-REPORT-2026-10", "RT-REPORT", "2026-10", produced="2026-11-02",
            evidence='\n  - "https://evidence.example/report"\n  - "javascript://%0aalert(1)"'
                     '\n  - " &#106;avascript:alert(2)"',
        ),
    }  # fmt: skip
    root = write_handbook(tmp_path / "hb", files, CONF + 'clausewise_sms_start = "2026-10-01"\n')
    built = build(root, fresh=True)
    path = "records/report/2026-10.md"

    def message(target: str) -> str:
        return (
            f"evidence: {target!r} uses the javascript: scheme, which can run script in a reader's browser, so it "
            f"is shown as text, not a link; give an https:// link or the name of a file"
        )

    assert findings(built) == [
        ("unsafe-link", path, 12, "REC-REPORT-2026-10", message("javascript://%0aalert(1)")),
        ("unsafe-link", path, 13, "REC-REPORT-2026-10", message("&#106;avascript:alert(2)")),
    ]
    html = built.page_html("records/report/2026-10")
    assert 'href="https://evidence.example/report"' in html
    assert 'href="javascript' not in html and 'href=" &amp;#106;' not in html
    assert "javascript://%0aalert(1)" in built.page_text("records/report/2026-10")
    check_equals_build(built)


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "java\nscript:x", " \x01javascript:x",
     "&#106;avascript:x", "&#x6A;avascript:x", "javascript&colon;x", "vbscript:msgbox", "data:text/html,<b>x</b>"],
)  # fmt: skip
def test_dangerous_schemes_are_found_however_they_are_spelt(target: str) -> None:
    assert dangerous_scheme(target) in ("javascript", "vbscript", "data")


@pytest.mark.parametrize(
    "target", ["https://example.org/javascript:x", "page.md", "#javascript", "mailto:a@example.org", "path:x.txt"]
)
def test_safe_targets_pass(target: str) -> None:
    assert dangerous_scheme(target) is None
    assert dangerous_scheme("data:image/png;base64,AAAA", image=True) is None
    assert dangerous_scheme("data:image/svg+xml;base64,AAAA", image=True) == "data"


@pytest.mark.parametrize("name", ["clausewise_repository_url", "clausewise_commit_url"])
@pytest.mark.parametrize("value", ["javascript:alert(1)//{sha}", " java\tscript:alert(1)//{sha}"])
def test_link_settings_refuse_script(name: str, value: str) -> None:
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values({name: value}, environ={})
    shown = value.rstrip("/") if name == "clausewise_repository_url" else value
    assert str(caught.value) == (
        f"conf.py: {name} is {shown!r}, a javascript: link that would run in readers' browsers; expected an "
        f"http:// or https:// address, e.g. 'https://github.com/org/handbook'"
    )


def test_safe_mode_must_be_true_or_false() -> None:
    with pytest.raises(SettingError) as caught:
        ClausewiseConfig.from_values({"clausewise_safe_mode": "no"}, environ={})
    assert str(caught.value) == (
        "conf.py: clausewise_safe_mode is 'no'; expected True or False, e.g. clausewise_safe_mode = True"
    )
    assert ClausewiseConfig.from_values({}, environ={"CLAUSEWISE_TODAY": "2026-11-23"}).safe_mode is True


def test_a_linked_folder_of_pages_is_refused(tmp_path: Path, outside: Path) -> None:
    """Pages in a folder that is a link out of the handbook are not read, each one named."""
    (outside / "pages").mkdir()
    (outside / "pages" / "leak.md").write_text(f"# Leak\n\n{MARKER}\n")
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role()}, CONF)
    os.symlink(outside / "pages", root / "linked")
    built = build(root, fresh=True)
    assert [f[:4] for f in findings(built)] == [("unsafe-include", "linked/leak.md", 0, "")]
    assert files_with(built.outdir, MARKER) == []
    check_equals_build(built)


def test_an_html_image_is_an_image_with_myst_html_image(tmp_path: Path, outside: Path) -> None:
    """With MyST's html_image an <img> is an image, not raw HTML: checked as one, by the build and by check."""
    body = 'Text.\n\n<img src="../../outside/secret.png" alt="the secret">\n\n<img src="../img/fine.svg" alt="fine">\n'
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed("POL-001", "policy", "Policy", body=body),
        "img/fine.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    }
    conf = CONF.replace('["colon_fence"]', '["colon_fence", "html_image"]')
    root = write_handbook(tmp_path / "hb", files, conf)
    built = build(root, fresh=True)
    assert findings(built) == [
        ("unsafe-include", "policies/policy.md", 16, "POL-001",
         refused_file("the image", "../../outside/secret.png")),
    ]  # fmt: skip
    assert files_with(built.outdir, MARKER) == []
    assert (built.outdir / "_images" / "fine.svg").is_file()
    assert "the secret" in built.page_text("policies/policy")
    assert built.given is not None and built.given.dependencies["policies/policy"] == ["img/fine.svg"]
    check_equals_build(built)


def test_pages_in_a_linked_folder_are_judged_by_where_the_folder_leads(tmp_path: Path, outside: Path) -> None:
    """Safe mode resolves each folder once per pass (``refusals.RealPaths``): a folder that is a link
    out of the handbook leaves out every page in it, however deep, while a folder that links within
    the handbook is read as the handbook's own."""
    shared = outside / "shared"
    (shared / "deeper").mkdir(parents=True)
    for name in ("a.md", "deeper/b.md"):
        (shared / name).write_text(governed("POL-008", "policy", "Leak", body=f"{MARKER}\n"))
    files = {"roles/owner.md": role(), "policies/policy.md": governed("POL-001", "policy", "Policy")}
    root = write_handbook(tmp_path / "hb", files, CONF)
    (root / "procedures").mkdir()
    (root / "procedures" / "linked").symlink_to(shared)
    (root / "notes").symlink_to(root / "snippets")  # a link within the handbook
    commit(root, "Links", "2026-07-02T09:00:00+00:00", {"snippets/inside.md": "# Inside\n\nFine.\n"})
    built = build(root, fresh=True)
    link = "is a symbolic link (or lies in a linked folder) that leads outside the handbook's folder"
    assert [(f[0], f[1], f[4].split(", so")[0]) for f in findings(built)] == [
        ("unsafe-include", path, f"the page '{path}' {link}")
        for path in ("procedures/linked/a.md", "procedures/linked/deeper/b.md")
    ]
    assert files_with(built.outdir, MARKER) == []
    assert (built.outdir / "notes" / "inside.html").is_file()
    check_equals_build(built)


def test_a_parallel_build_refuses_the_same(tmp_path: Path, outside: Path) -> None:
    """Refusals made in worker processes (-j 2) reach the report, and an incremental build keeps them."""
    files = {
        "roles/owner.md": role(),
        **{f"policies/p{n}.md": governed(f"POL-00{n}", "policy", f"Policy {n}") for n in range(1, 7)},
        "policies/leak.md": governed("POL-009", "policy", "Leak", body="```{include} ../../outside/secret.txt\n```\n"),
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    (root / "policies" / "passwd.md").symlink_to(outside / "secret.txt")
    expected = [
        ("unsafe-include", "policies/leak.md", 14, "POL-009"),
        ("unsafe-include", "policies/passwd.md", 0, ""),
    ]
    built = build(root, fresh=True, parallel=2)
    assert [f[:4] for f in findings(built)] == expected
    assert files_with(built.outdir, MARKER) == []
    again = build(root, parallel=2)
    assert [f[:4] for f in findings(again)] == expected
    assert not (again.outdir / "_sources" / "policies" / "passwd.md.txt").exists()


def test_hidden_files_of_the_handbook_are_refused(tmp_path: Path) -> None:
    """git keeps the repository's settings in .git (and CI checkouts their token in .git/config): never published."""
    body = "Text.\n\n```{literalinclude} ../.git/config\n```\n\nThe {download}`settings <../.env>`.\n"
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed("POL-001", "policy", "Policy", body=body),
        ".env": f"TOKEN={MARKER}\n",
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    with (root / ".git" / "config").open("a") as config:
        config.write(f'[http]\n\textraheader = "AUTHORIZATION: basic {MARKER}"\n')
    built = build(root, fresh=True)
    hidden = "a hidden file or folder of the handbook (git's own, say, which can hold credentials)"
    assert findings(built) == [
        ("unsafe-include", "policies/policy.md", 16, "POL-001",
         refused_file("the literalinclude directive's file", "../.git/config").replace(
             "'../.git/config' lies outside the handbook's folder", f"'../.git/config' lies in '.git', {hidden}")),
        ("unsafe-include", "policies/policy.md", 19, "POL-001",
         refused_file("the download link", "../.env").replace(
             "'../.env' lies outside the handbook's folder", f"'../.env' lies in '.env', {hidden}")),
    ]  # fmt: skip
    assert files_with(built.outdir, MARKER) == []
    check_equals_build(built)


def test_restructuredtext_is_guarded_in_the_build(tmp_path: Path, outside: Path) -> None:
    """rST's include and raw, in a .rst page or in {eval-rst}: refused by the build (clausewise check
    reads Markdown only, so it cannot report these)."""
    rst_page = (
        "Notes\n=====\n\n.. include:: ../../outside/secret.txt\n\n.. raw:: html\n\n   <b>x</b>\n\n"
        "`a link <javascript:alert(1)>`_\n"
    )
    body = "Text.\n\n```{eval-rst}\n.. include:: ../../outside/secret.txt\n```\n"
    files = {
        "roles/owner.md": role(),
        "docs/notes.rst": rst_page,
        "policies/policy.md": governed("POL-001", "policy", "Policy", body=body),
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    include = refused_file("the include directive's file", "../../outside/secret.txt")
    assert findings(built) == [
        ("unsafe-include", "docs/notes.rst", 4, "", include),
        ("raw-html", "docs/notes.rst", 6, "", raw_html("<b>x</b>")),
        ("unsafe-link", "docs/notes.rst", 10, "", script_link("a link", "javascript:alert(1)")),
        ("unsafe-include", "policies/policy.md", 17, "POL-001", include),
    ]
    assert files_with(built.outdir, MARKER) == []
    assert 'href="javascript' not in built.page_html("docs/notes")


def test_files_inside_the_handbook_are_shown_as_before(tmp_path: Path) -> None:
    """The guarded directives hand over to the library's: what lies inside is read and shown."""
    body = """\
Text.

```{include} ../snippets/part.md
```

```{literalinclude} ../snippets/settings.yaml
```

```{csv-table} Targets
:file: ../snippets/targets.csv
```

![the flow](../img/flow.svg) and {download}`the form <../snippets/form.txt>`.
"""
    rst_page = "Notes\n=====\n\n.. include:: ../snippets/part.md\n   :literal:\n"
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed("POL-001", "policy", "Policy", body=body),
        "docs/notes.rst": rst_page,
        "docs/tool.md": (
            '---\nclausewise_unsafe: "a test"\n---\n# Tool\n\n```{raw} html\n:file: ../snippets/raw.html\n```\n'
        ),
        "snippets/part.md": "INCLUDED-PART\n",
        "snippets/settings.yaml": "timeout: LITERAL-30\n",
        "snippets/targets.csv": "Service,Target\nDesk,CSV-99\n",
        "snippets/raw.html": '<p class="raw-ok">RAW-FILE</p>\n',
        "snippets/form.txt": "Form.\n",
        "img/flow.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    assert findings(built) == []
    text = built.page_text("policies/policy")
    # (the YAML is highlighted: "LITERAL-30" becomes three tokens)
    assert "INCLUDED-PART" in text and "timeout : LITERAL - 30" in text and "CSV-99" in text
    assert (built.outdir / "_images" / "flow.svg").is_file()
    assert [p.name for p in (built.outdir / "_downloads").rglob("*.txt")] == ["form.txt"]
    assert "INCLUDED - PART" in built.page_text("docs/notes")  # a literal block, highlighted
    assert '<p class="raw-ok">RAW-FILE</p>' in built.page_html("docs/tool")
    check_equals_build(built)


def http_equiv(key: str, content: str) -> str:
    return (
        f"html_meta {key!r} (content {content!r}) would tell readers' browsers what to do, a refresh sends them "
        f"to another address; it is not published: remove it, or, on a page that is not governed, allow it with "
        f"front matter 'clausewise_unsafe: \"<reason>\"' {HINT}"
    )


def test_a_page_cannot_redirect_its_readers_with_html_meta(tmp_path: Path) -> None:
    """MyST turns front matter's ``html_meta`` into ``<meta>`` tags; ``http-equiv=refresh`` would
    send every reader of the page to another address."""
    redirect = "0; url=https://evil.example/login"
    top = governed("POL-001", "policy", "Policy", html_meta=f'{{"http-equiv=refresh": "{redirect}"}}')
    nested = (
        f'---\nmyst:\n  html_meta:\n    description: "A page about tools"\n    "http-equiv=Refresh": "{redirect}"\n'
        "---\n# Tool\n\nText.\n"
    )
    allowed = '---\nclausewise_unsafe: "a moved page"\nhtml_meta:\n  "http-equiv=refresh": "0; url=tool.html"\n---\n'
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": top,
        "docs/tool.md": nested,
        "docs/moved.md": allowed + "# Moved\n",
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    assert findings(built) == [
        ("raw-html", "docs/tool.md", 5, "", http_equiv("http-equiv=Refresh", redirect)),
        ("raw-html", "policies/policy.md", 12, "POL-001", http_equiv("http-equiv=refresh", redirect)),
    ]
    for page in ("policies/policy", "docs/tool"):
        assert "evil.example" not in built.page_html(page), page
    assert '<meta content="A page about tools" name="description" />' in built.page_html("docs/tool")
    assert '<meta content="0; url=tool.html" http-equiv="refresh" />' in built.page_html("docs/moved")
    check_equals_build(built)


def test_a_page_linked_to_an_endless_file_is_never_read(tmp_path: Path) -> None:
    """Sphinx reads a page before any event could replace it: a link to /dev/zero is left out first."""
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role()}, CONF)
    (root / "policies").mkdir()
    (root / "policies" / "zero.md").symlink_to("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-D", "clausewise_today=2026-11-23", str(root),
         str(root / "_build" / "html")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "ERROR: policies/zero.md: the page 'policies/zero.md' is a symbolic link" in done.stderr, done.stderr
    assert not (root / "_build" / "html" / "policies" / "zero.html").exists()


def active_file(what: str, reason: str) -> str:
    return (
        f"{what}: {reason}; opened from the published handbook, it runs on the handbook's address, so it is not "
        f"published: offer it from elsewhere (an https:// link), or for a diagram use an SVG without script or a "
        f"PNG {HINT}"
    )


def test_an_image_or_download_that_a_browser_opens_as_a_page_is_not_published(tmp_path: Path) -> None:
    """Sphinx copies images and downloads to _images/ and _downloads/ as they are: an HTML file
    or an SVG with script, opened there, runs in the handbook's address (stored cross-site
    scripting). A plain SVG diagram is an image as before."""
    body = """\
![flow](../img/flow.svg)

![evil](../img/evil.svg)

![page](../img/page.html)

Get {download}`the form <../img/form.xhtml>` and [the old one](path:../img/Old.HTM).
"""
    files = {
        "roles/owner.md": role(),
        "policies/policy.md": governed("POL-001", "policy", "Policy", body=body),
        "docs/tool.md": '---\nclausewise_unsafe: "a demo"\n---\n# Tool\n\n![evil](../img/evil.svg)\n',
        "img/flow.svg": '<svg xmlns="http://www.w3.org/2000/svg"><text>on = off</text></svg>\n',
        "img/evil.svg": '<svg xmlns="http://www.w3.org/2000/svg" ONload="alert(1)"/>\n',
        "img/page.html": "<script>alert(2)</script>\n",
        "img/form.xhtml": "<html/>\n",
        "img/Old.HTM": "<p>old</p>\n",
    }
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    runs = "which a browser opens as a page of its own, able to run script"
    assert findings(built) == [
        ("raw-html", "policies/policy.md", 16, "POL-001",
         active_file("the image", "'../img/evil.svg' is an SVG file holding 'ONload=', script")),
        ("raw-html", "policies/policy.md", 18, "POL-001",
         active_file("the image", f"'../img/page.html' is a .html file, {runs}")),
        ("raw-html", "policies/policy.md", 20, "POL-001",
         active_file("the download link", f"'../img/Old.HTM' is a .htm file, {runs}")),
        ("raw-html", "policies/policy.md", 20, "POL-001",
         active_file("the download link", f"'../img/form.xhtml' is a .xhtml file, {runs}")),
    ]  # fmt: skip
    published = sorted(p.relative_to(built.outdir).as_posix() for p in published_files(built.outdir))
    assert [p for p in published if p.startswith(("_images/", "_downloads/"))] == [
        "_images/evil.svg",
        "_images/flow.svg",
    ]  # fmt: skip  (evil.svg: from the page that opts out, visibly)
    text = built.page_text("policies/policy")
    assert "evil" in text and "Get the form and the old one ." in text
    check_equals_build(built)


def test_a_file_address_names_a_file_of_the_machine_and_is_refused(tmp_path: Path, outside: Path) -> None:
    """``file:`` addresses lead out of the handbook as ``..`` does: a browser will not show one
    from a web page, but the PDF maker reads it and would print the machine's file."""
    secret = (outside / "secret.png").as_uri()
    body = f"""\
Text.

```{{image}} {secret}
```

```{{figure}} FILE://{outside}/secret.png
```

{{download}}`the file <{secret}>`
"""
    files = {"roles/owner.md": role(), "policies/policy.md": governed("POL-001", "policy", "Policy", body=body)}
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    reason = "names a file of the machine that builds the handbook (a file: address), not one of the handbook"

    def refused(what: str, written: str) -> str:
        return (
            f"{what}: {written!r} {reason}, so it is not read or published; put the file in the handbook, not in "
            f"a hidden folder, and name it by a path within it {HINT}"
        )

    assert findings(built) == [
        ("unsafe-include", "policies/policy.md", 16, "POL-001", refused("the image", secret)),
        ("unsafe-include", "policies/policy.md", 19, "POL-001", refused("the image", f"FILE://{outside}/secret.png")),
        ("unsafe-include", "policies/policy.md", 22, "POL-001", refused("the download link", secret)),
    ]
    page = built.page_html("policies/policy").lower()
    assert 'src="file:' not in page and 'href="file:' not in page and "<img" not in page  # shown as text
    check_equals_build(built)


def test_needimport_reads_no_file_outside_and_fetches_nothing(tmp_path: Path, outside: Path) -> None:
    """sphinx-needs' needimport reads a needs file from a path or fetches it from an address."""
    needs = '{"current_version": "1", "versions": {"1": {"needs": {}}}}\n'
    (outside / "needs.json").write_text(needs)
    body = f"""\
Text.

```{{needimport}} ../../outside/needs.json
```

```{{needimport}} {(outside / "needs.json").as_uri()}
```

```{{needimport}} https://example.org/needs.json
```
"""
    files = {"roles/owner.md": role(), "policies/policy.md": governed("POL-001", "policy", "Policy", body=body)}
    root = write_handbook(tmp_path / "hb", files, CONF)
    built = build(root, fresh=True)
    uri = (outside / "needs.json").as_uri()
    assert findings(built) == [
        ("unsafe-include", "policies/policy.md", 16, "POL-001",
         refused_file("the needimport directive's file", "../../outside/needs.json")),
        ("unsafe-include", "policies/policy.md", 19, "POL-001", refused_file("the needimport directive's file", uri)),
        ("unsafe-include", "policies/policy.md", 22, "POL-001",
         "the needimport directive's argument: 'https://example.org/needs.json' would be fetched from the network "
         f"while the handbook is built, so it is not; put the file into the handbook and name it with 'file' {HINT}"),
    ]  # fmt: skip
    check_equals_build(built)
