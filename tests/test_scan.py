"""`clausewise check` reads the sources without rendering them (clausewise.sphinxext.scan):
what it hands the rules must be exactly what a full build hands them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from clausewise import cli
from clausewise.cli.findings import check_findings
from clausewise.sphinxext import scan
from handbook import Build, build, commit, governed, record, role, write_handbook

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n'

#: A procedure made of other files in every way MyST and Sphinx allow, and with
#: look-alikes that are not (code blocks, inline code, a remote image).
PROCEDURE_BODY = """\
Text.

```{include} ../snippets/escalation.md
```

```{literalinclude} ../snippets/settings.yaml
:language: yaml
```

```{image} ../img/flow.svg
:alt: the flow
```

:::{figure} /img/figure.svg
The figure's caption with ![an inline image](../img/inline.svg).
:::

![markdown image](../img/markdown.svg "title")
![remote](https://example.org/remote.svg)

Fill in {download}`the form <../forms/form.txt>` and read {download}`../forms/notes.txt`.
The [linked notes](../forms/linked.txt) and the [policy](../policies/policy.md) are links.

```{csv-table} Targets
:file: ../data/targets.csv
:header-rows: 1
```

````{note}
```{image} ../img/in-note.svg
```
````

```markdown
```{include} ../snippets/not-included.md
```
```

Write `![not an image](../img/in-code.svg)` in your own page.
"""

#: Snippets are text for including, not pages of their own.
CONF = 'exclude_patterns = ["_build", "snippets/**"]\nmyst_enable_extensions = ["colon_fence"]\n'

FILES = {
    "roles/owner.md": role(),
    "procedures/procedure.md": governed("PRC-001", "procedure", "Procedure", body=PROCEDURE_BODY),
    # included text resolves its paths from the page that includes it, as MyST does
    "snippets/escalation.md": "Call the duty manager.\n\n```{include} ../snippets/contacts.md\n```\n",
    "snippets/contacts.md": "See ![the map](../img/map.svg).\n",
    "snippets/not-included.md": "Never shown.\n",
    "snippets/settings.yaml": "timeout: 30\n",
    "img/flow.svg": SVG,
    "img/figure.svg": SVG,
    "img/inline.svg": SVG,
    "img/markdown.svg": SVG,
    "img/in-note.svg": SVG,
    "img/map.svg": SVG,
    "forms/form.txt": "Form.\n",
    "forms/notes.txt": "Notes.\n",
    "forms/linked.txt": "Linked.\n",
    "data/targets.csv": "Service,Target\nDesk,99%\n",
    "records/report/2026-09.md": record("REC-REPORT-2026-09", "RT-REPORT", "2026-09"),
    "policies/policy.md": governed(
        "POL-001", "policy", "Policy",
        record_types="\n  - id: RT-REPORT\n    title: Report\n    cadence: monthly\n    owner: ROLE-OWNER",
    ),
}  # fmt: skip

#: Constructs where the place a file is named decides whether the page is made of it:
#: code blocks (indented, fenced, nested in directives and lists) and code spans
#: hide files; directive arguments, option blocks, lists and tables do not. (A note
#: with a role on its first line is fenced with ~~~: a ``` line with a backtick after
#: it does not open a fence.)
TRICKY_BODY = """\
Text.

    ![indented code](../img/indented.svg)

````{note}
```text
![fenced code in a note](../img/in-note-code.svg)
```
````

`````{note}
````{tip}
```{image} ../img/deep.svg
```
````
`````

`````markdown
````{tip}
```{image} ../img/in-fence.svg
```
````
`````

1. A step with ![a step](../img/list.svg)

       ![indented code in the list item](../img/in-list-code.svg)

```{csv-table} Owners
---
file: ../data/owners.csv
header-rows: 1
---
```

```{include} ../snippets/literal.md
---
literal: true
---
```

~~~{note} Fill in {download}`the first-line form <../forms/first-line.txt>`.
~~~

```{admonition} A title with ![an icon](../img/title.svg)
Body.
```

```{list-table}
* - ![a cell](../img/cell.svg)
```

```{parsed-literal}
![parsed](../img/parsed.svg)
```

| Shown | Code |
|---|---|
| ![in a table](../img/table.svg) | `![code](../img/in-table-code.svg)` |

Type `` {download}`../forms/in-code.txt` ``, `[a link](../forms/code-link.txt)` or {download}`!../forms/bang.txt`.
Read the [notes][notes], the [spaced file](<../forms/with space.txt>), the [path](path:../forms/path.txt).

[notes]: ../forms/ref.txt

<img src="../img/html.svg">

![a space, %-encoded by markdown-it as MyST leaves it](<../img/with space.svg>)
"""

#: A page with :data:`TRICKY_BODY` and the files it names, hidden or not.
TRICKY_FILES = {
    "procedures/tricky.md": governed("PRC-002", "procedure", "Tricky", body=TRICKY_BODY),
    "snippets/literal.md": "![shown as text](../img/in-literal.svg)\n",
    "data/owners.csv": "Service,Owner\nDesk,Ann\n",
    **{f"img/{name}.svg": SVG for name in (
        "indented", "in-note-code", "deep", "in-fence", "list", "in-list-code", "title", "cell", "parsed", "table",
        "in-table-code", "html", "in-literal", "with space",
    )},
    **{f"forms/{name}.txt": "Form.\n" for name in (
        "first-line", "in-code", "code-link", "bang", "ref", "with space", "path",
    )},
}  # fmt: skip

#: The catalogue inside a note with a YAML option block: MyST counts the option lines.
CATALOGUE_IN_NOTE = "# Clauses\n\n````{note}\n---\nclass: tip\n---\n```{clause-catalogue}\n```\n````\n"
#: The catalogue first in a colon fence: MyST reads the body from an added blank line,
#: so it reports the directive one line after its fence (5, not 4).
CATALOGUE_IN_COLON_FENCE = "# Clauses\n\n::::{note}\n:::{clause-catalogue}\n:::\n::::\n"


@pytest.mark.parametrize(
    ("conf", "catalogue_page", "catalogue_line"),
    [
        pytest.param(CONF, None, 3, id="colon-fence"),
        pytest.param(CONF.replace('"colon_fence"', ""), CATALOGUE_IN_NOTE, 7, id="no-colon-fence"),
        pytest.param(CONF, CATALOGUE_IN_COLON_FENCE, 5, id="catalogue-in-colon-fence"),
    ],
)
def test_scan_hands_the_rules_what_a_full_build_does(
    tmp_path: Path, conf: str, catalogue_page: str | None, catalogue_line: int
) -> None:
    files = {**FILES, **TRICKY_FILES, **({"pages/clauses.md": catalogue_page} if catalogue_page else {})}
    root = write_handbook(tmp_path / "hb", files, conf)
    full = build(root, fresh=True)
    scanned = scan.scan(root, date(2026, 11, 23))
    assert full.given is not None
    # without the extension `:::{figure}` is a paragraph: the image in it stays, the figure does not
    figure = ["img/figure.svg"] if "colon_fence" in conf else []
    assert scanned.given.dependencies["procedures/procedure"] == sorted([
        "data/targets.csv",
        "forms/form.txt",
        "forms/linked.txt",
        "forms/notes.txt",
        *figure,
        "img/flow.svg",
        "img/in-note.svg",
        "img/inline.svg",
        "img/map.svg",
        "img/markdown.svg",
        "snippets/contacts.md",
        "snippets/escalation.md",
        "snippets/settings.yaml",
    ])  # fmt: skip
    assert scanned.given.dependencies["procedures/tricky"] == [
        "data/owners.csv",
        "forms/first-line.txt",
        "forms/path.txt",
        "forms/ref.txt",
        "forms/with space.txt",
        "img/cell.svg",
        "img/deep.svg",
        "img/list.svg",
        "img/parsed.svg",
        "img/table.svg",
        "img/title.svg",
        "img/with%20space.svg",
        "snippets/literal.md",
    ]
    governed_pages = sorted(scanned.given.pages)
    assert governed_pages == [
        "policies/policy", "procedures/procedure", "procedures/tricky", "records/report/2026-09", "roles/owner",
    ]  # fmt: skip
    assert sorted(full.given.pages) == governed_pages
    for docname in governed_pages:
        assert full.given.pages[docname] == scanned.given.pages[docname], docname
        assert sorted(full.given.dependencies.get(docname, [])) == scanned.given.dependencies[docname], docname
    assert (
        scanned.given.catalogue_pages
        == full.given.catalogue_pages
        == {"pages/clauses": ("pages/clauses.md", catalogue_line)}
    )
    assert scanned.given.config == full.given.config
    assert scanned.given.catalogue_files == full.given.catalogue_files
    # safe mode refuses the same, and only the HTML image of the tricky page
    refused = {d: sorted(found) for d, found in full.given.safety_findings.items()}
    assert {d: sorted(found) for d, found in scanned.given.safety_findings.items()} == refused
    assert [(f.path, f.line, f.code) for found in refused.values() for f in found] == [
        ("procedures/tricky.md", 79, "raw-html")
    ]


def check_report(root: Path) -> dict[str, object]:
    report, _ = check_findings(root, date(2026, 11, 23))
    return report


def test_check_equals_the_build_when_an_included_file_changes(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", FILES, CONF)
    commit(root, "New contacts", "2026-08-20T10:00:00+00:00", {"snippets/contacts.md": "Call the desk.\n"})
    full = build(root, fresh=True)
    assert full.findings == [
        ("uncovered-clause", "pages/clauses.md", 3, "MINI-1-2"),
        ("changed-since-review", "procedures/procedure.md", 9, "PRC-001"),
    ]
    assert check_report(root) == full.report


def test_check_equals_the_build_with_exclusions_and_suppressed_warnings(tmp_path: Path) -> None:
    conf = """
    exclude_patterns = ["_build", "snippets/**", "drafts/**"]
    suppress_warnings = ["clausewise.uncovered-clause"]
    clausewise_severity = {"review-overdue": "off"}
    """
    files = {
        **FILES,
        "drafts/policy.md": governed("POL-002", "policy", "Not a page", owner="ROLE-NOBODY"),
        "policies/old.md": governed("POL-003", "policy", "Old", reviewed="2024-01-01"),
    }
    root = write_handbook(tmp_path / "hb", files, conf)
    full = build(root, fresh=True)
    assert check_report(root) == full.report
    assert [f["code"] for f in full.report["findings"]] == []


def test_check_equals_the_build_on_the_sample_handbook(sample_build: Build) -> None:
    assert check_report(sample_build.srcdir) == sample_build.report


def test_bad_conf_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_handbook(tmp_path / "hb", FILES, CONF + 'clausewise_due_soon_days = "soon"\n')
    assert cli.main(["--handbook", str(root), "check"]) == 2
    assert capsys.readouterr().err == (
        "clausewise: conf.py: clausewise_due_soon_days is 'soon'; expected a whole number of days, e.g. 30\n"
    )
    (root / "conf.py").write_text("extensions = [\n")
    assert cli.main(["--handbook", str(root), "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("clausewise: conf.py: There is a syntax error in your configuration file:"), err


def test_directives_skip_code_and_report_fence_lines() -> None:
    text = "---\nid: X\n---\n# T\n\n```{clause-catalogue}\n```\n\n```text\n```{image} a.svg\n```\n```\n"
    assert [(d.name, d.argument, d.line) for d in scan.directives(text)] == [("clause-catalogue", "", 6)]
    assert json.dumps(sorted(scan.page_dependencies(Path("/hb"), "p/page.md", text))) == "[]"


def test_a_page_that_is_not_utf8_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_handbook(tmp_path / "hb", FILES, CONF)
    (root / "policies" / "latin.md").write_bytes("---\nid: POL-009\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    assert cli.main(["--handbook", str(root), "check"]) == 1  # the finding is an error
    assert (
        "  policies/latin.md:3: error [page-unreadable] byte 0xe9 on line 3 is not UTF-8 text (invalid "
        "continuation byte); save the file as UTF-8; until then the page is left out of the build and its "
        "metadata is unknown"
    ) in capsys.readouterr().out.splitlines()
