"""Editing without a terminal: "Edit this page" on every governed page and "add" on a record
grid's missing periods open the forge's web editor (GitHub, GitLab), built by real Sphinx from
handbooks in real git repositories; the new record's file is exactly what ``clausewise new
record`` writes, and no hostile value makes a link that runs or leaves its attribute."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from clausewise.core.history import History
from clausewise.core.settings import ClausewiseConfig, SettingError
from clausewise.pipeline.editlinks import MAX_URL_LENGTH, Forge, WebEditor
from clausewise.sources.gitlog import MainLine
from handbook import FIRST_COMMIT, Build, build, commit, governed, ok, record, role, run_clausewise, write_handbook

PROCEDURE = "procedures/reporting.md"
GITHUB = "https://github.com/fernhill/handbook"
GITLAB = "https://gitlab.example.org/group/handbook"
RECORD_TYPES = (
    "record_types:\n"
    "  - id: RT-REPORT\n"
    "    title: Monthly report\n"
    "    owner: ROLE-OWNER\n"
    "    evidences: [1.1]\n"
    "    cadence: monthly\n"
)


def files(rt_title: str = "Monthly report") -> dict[str, str]:
    """A role, a policy and a procedure whose monthly report runs from August 2026; on 2026-11-23
    August is missing, September has its record, October is due (within its grace) and November open."""
    return {
        "roles/owner.md": role(),
        "policies/policy.md": governed("POL-001", "policy", "Service policy", satisfies="[1.1, 1.2]"),
        PROCEDURE: governed("PRC-001", "procedure", "Reporting").replace(
            "satisfies: [1.1]\n", "satisfies: [1.1]\n" + RECORD_TYPES.replace("Monthly report", rt_title)
        ),
        "records/report/2026-09.md": record("REC-REPORT-2026-09", "RT-REPORT", "2026-09"),
    }


def handbook(root: Path, conf: str, pages: dict[str, str] | None = None, *, git: bool = True) -> Path:
    return write_handbook(root, pages or files(), 'clausewise_sms_start = "2026-08-01"\n' + conf, git=git)


class Links(HTMLParser):
    """Every ``<a>`` of a page: (classes, href, title, text), attributes as the browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[list[str], str, str, str]] = []
        self._open: list[tuple[list[str], str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            a = {k: v or "" for k, v in attrs}
            self._open.append((a.get("class", "").split(), a.get("href", ""), a.get("title", ""), []))

    def handle_data(self, data: str) -> None:
        for _, _, _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            classes, href, title, text = self._open.pop()
            self.found.append((classes, href, title, "".join(text)))


def links(built: Build, docname: str, cls: str) -> list[tuple[str, str, str]]:
    """(href, title, text) of the links of class ``cls`` on a built page."""
    parser = Links()
    parser.feed(built.page_html(docname))
    return [(href, title, text) for classes, href, title, text in parser.found if cls in classes]


def written_by_new_record(root: Path, period: str) -> str:
    """What ``clausewise new record`` writes for ``period``, produced by the web links' placeholder name."""
    ok(run_clausewise("new", "record", "RT-REPORT", "--period", period, "--produced-by", "Your name",
                      "--today", "2026-11-23", cwd=root))  # fmt: skip
    return (root / f"records/report/{period}.md").read_text()


def test_github_edit_and_add_links_at_the_repository_root(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb", f'clausewise_repository_url = "{GITHUB}/"\n')
    built = build(root)
    assert links(built, "procedures/reporting", "clausewise-edit-link") == [
        (f"{GITHUB}/edit/main/procedures/reporting.md",
         "Edit this page's file, procedures/reporting.md, in GitHub's web editor", "Edit this page"),
    ]  # fmt: skip
    assert links(built, "roles/owner", "clausewise-edit-link")[0][0] == f"{GITHUB}/edit/main/roles/owner.md"
    assert links(built, "records/report/2026-09", "clausewise-edit-link")[0][0] == (
        f"{GITHUB}/edit/main/records/report/2026-09.md"
    )
    # not governed: nothing to edit through clausewise
    assert links(built, "index", "clausewise-edit") == []
    added = links(built, "procedures/reporting", "clausewise-add-record")
    assert [(title, text) for _, title, text in added] == [
        ("Add the missing record for 2026-08 in GitHub's web editor", "add"),
        ("Add the missing record for 2026-10 in GitHub's web editor", "add"),
    ]
    href = added[0][0]
    skeleton = written_by_new_record(root, "2026-08")
    assert href == f"{GITHUB}/new/main/records/report?filename=2026-08.md&value={quote(skeleton, safe='')}"
    query = parse_qs(urlsplit(href).query, keep_blank_values=True, strict_parsing=True)
    assert query == {"filename": ["2026-08.md"], "value": [skeleton]}
    assert skeleton.startswith(
        "---\nid: REC-REPORT-2026-08\ntype: record\ntitle: Report, August 2026\nrecord_type: RT-REPORT\n"
        "period: 2026-08\nproduced: 2026-11-23\nproduced_by: Your name\nclassification: internal\nstatus: draft\n"
    )
    assert parse_qs(urlsplit(added[1][0]).query)["value"] == [written_by_new_record(root, "2026-10")]
    text = built.page_text("procedures/reporting")
    assert "missing add" in text and "due add" in text and "present" in text
    assert (
        "add: opens GitHub's web editor with the missing record's file, a draft dated the day this page was "
        "built: write what it shows, your name, the day you produce it and 'status: current', then propose the "
        'change (see the owner\'s guide, "Working in the browser").'
    ) in text


def test_gitlab_links_for_a_handbook_in_a_subfolder_of_its_repository(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    root = handbook(top / "sms", f'clausewise_repository_url = "{GITLAB}"\n', git=False)
    commit(top, "Start the handbook", FIRST_COMMIT)
    built = build(root)
    assert links(built, "procedures/reporting", "clausewise-edit-link")[0][:2] == (
        f"{GITLAB}/-/edit/main/sms/procedures/reporting.md",
        "Edit this page's file, procedures/reporting.md, in GitLab's web editor",
    )
    added = links(built, "procedures/reporting", "clausewise-add-record")
    skeleton = written_by_new_record(root, "2026-08")
    assert added[0][0] == (
        f"{GITLAB}/-/new/main/sms/records/report?file_name=2026-08.md&content={quote(skeleton, safe='')}"
    )


def test_a_self_hosted_forge_is_named_by_the_setting(tmp_path: Path) -> None:
    conf = 'clausewise_repository_url = "https://git.example.org/acme/handbook"\n'
    unknown = build(handbook(tmp_path / "unknown", conf))
    assert links(unknown, "procedures/reporting", "clausewise-edit") == []
    named = build(handbook(tmp_path / "named", conf + 'clausewise_forge = "gitlab"\n'))
    assert links(named, "procedures/reporting", "clausewise-edit-link")[0][0] == (
        "https://git.example.org/acme/handbook/-/edit/main/procedures/reporting.md"
    )
    with pytest.raises(SettingError) as refused:
        ClausewiseConfig.from_values({"clausewise_forge": "bitbucket"})
    assert str(refused.value) == (
        "conf.py: clausewise_forge is 'bitbucket'; expected one of 'github', 'gitlab', 'none', or '' to recognise "
        "the forge from clausewise_repository_url, e.g. clausewise_forge = 'gitlab' for a self-hosted GitLab"
    )


def test_no_links_without_a_repository_url_or_with_forge_none(tmp_path: Path) -> None:
    for name, conf in (("plain", ""), ("none", f'clausewise_repository_url = "{GITHUB}"\nclausewise_forge = "none"\n')):
        built = build(handbook(tmp_path / name, conf))
        for page in ("procedures/reporting", "roles/owner", "records/report/2026-09"):
            assert "clausewise-edit" not in built.page_html(page), (name, page)
        assert "add:" not in built.page_text("procedures/reporting")


def test_no_links_on_a_withheld_page_nor_in_a_single_page_for_print(tmp_path: Path) -> None:
    pages = files() | {
        "policies/secret.md": governed("POL-002", "policy", "Secret policy", classification="confidential"),
    }
    root = handbook(tmp_path / "hb", f'clausewise_repository_url = "{GITHUB}"\n', pages)
    built = build(root)
    assert "clausewise-edit" not in built.page_html("policies/secret")
    assert links(built, "policies/policy", "clausewise-edit-link")[0][0] == f"{GITHUB}/edit/main/policies/policy.md"
    single = build(root, builder="singlehtml")
    assert "clausewise-edit" not in (single.outdir / "index.html").read_text()


def test_furo_shows_one_edit_link_on_a_governed_page(tmp_path: Path) -> None:
    conf = (
        f'clausewise_repository_url = "{GITHUB}"\nhtml_theme = "furo"\n'
        f'html_theme_options = {{"source_repository": "{GITHUB}/", "source_branch": "main", "source_directory": ""}}\n'
    )
    built = build(handbook(tmp_path / "hb", conf))
    page = built.page_html("procedures/reporting")
    assert "edit-this-page" not in page
    assert len(links(built, "procedures/reporting", "clausewise-edit-link")) == 1
    # a page clausewise does not govern keeps the theme's own
    assert f'href="{GITHUB}/edit/main/index.md"' in built.page_html("index")


def test_hostile_path_title_and_repository_url_give_inert_links(tmp_path: Path) -> None:
    odd = 'procedures/it\'s "odd" <b>&amp; #1?.md'
    pages = files("'\"><script>alert(1)</script> report'") | {
        odd: governed("PRC-002", "procedure", "'\"><img src=x onerror=alert(1)>'"),
    }
    root = handbook(tmp_path / "hb", f'clausewise_repository_url = "{GITHUB}"\n', pages)
    built = build(root)
    docname = odd.removesuffix(".md")
    edit = links(built, docname, "clausewise-edit-link")
    assert edit[0][0] == f"{GITHUB}/edit/main/procedures/it%27s%20%22odd%22%20%3Cb%3E%26amp%3B%20%231%3F.md"
    added = links(built, "procedures/reporting", "clausewise-add-record")
    value = parse_qs(urlsplit(added[0][0]).query)["value"][0]
    assert 'title: "\\"><script>alert(1)</script> report, August 2026"\n' in value
    raw = built.page_html("procedures/reporting")
    for href, _, _ in added:
        assert href.startswith(f"{GITHUB}/new/main/records/report?filename=")
        assert not set(href) & set("\"'<> \\`\n")
        assert f'href="{href.replace("&", "&amp;")}"' in raw  # one attribute, its & escaped
    # a repository URL that would leave the attribute (or run) gives no link at all
    cfg = ClausewiseConfig.from_values({"clausewise_repository_url": GITHUB}, environ={})
    history = History(True, forge_branch="main")
    for url in (GITHUB + '" onmouseover="alert(1)', "javascript:alert(1)//github.com/x", "https://github.com/a b"):
        assert WebEditor.of(replace(cfg, repository_url=url), history) is None, url
    assert WebEditor.of(cfg, History(True)) is None  # no main branch found: no branch to edit on
    assert WebEditor.of(cfg, History(False)) is None


def test_a_link_too_long_for_the_forge_opens_the_editor_without_the_text() -> None:
    editor = WebEditor(Forge.GITHUB, GITHUB, "main", "")
    short = editor.new_file("records/report", "2026-08.md", "x" * 100)
    assert short == f"{GITHUB}/new/main/records/report?filename=2026-08.md&value={'x' * 100}"
    assert editor.new_file("records/report", "2026-08.md", "x" * MAX_URL_LENGTH) == (
        f"{GITHUB}/new/main/records/report?filename=2026-08.md"
    )
    assert editor.new_file("r" * MAX_URL_LENGTH, "2026-08.md", "x") == ""


def test_the_main_branch_as_the_forge_names_it() -> None:
    remote = MainLine("origin/main", ("refs/remotes/origin/main",), ("0" * 40,))
    assert remote.name_on_remote == "main"
    assert MainLine("release/2026", ("refs/heads/release/2026",), ("0" * 40,)).name_on_remote == "release/2026"
    assert MainLine("main", ("refs/heads/main", "refs/remotes/origin/main"), ("0" * 40,) * 2).name_on_remote == "main"
