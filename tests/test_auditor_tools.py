"""The audit pack and "as of" builds, through the real `clausewise` command."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from git import Repo
from handbook import commit, governed, record, role, run_clausewise, write_handbook

CONF = 'clausewise_sms_start = "2026-01-01"\n'


def procedure(body: str) -> str:
    return governed(
        "PRC-001", "procedure", "Reporting", satisfies="[1.1, 1.2]", reviewed="2026-01-02", body=body
    ).replace(
        "satisfies: [1.1, 1.2]\n",
        "satisfies: [1.1, 1.2]\nrecord_types:\n  - id: RT-REPORT\n    title: Quarterly report\n"
        "    owner: ROLE-OWNER\n    evidences: [1.2]\n    cadence: quarterly\n",
    )


def pdf_text(pdf: Path) -> str:
    """The text of a PDF, read back by poppler's ``pdftotext``. Without it the test is skipped
    on a developer's machine (saying what to install) and fails in CI, which must run it."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must read the PDFs back: install Debian's poppler-utils package (.ci/run does)")
        pytest.skip("pdftotext not found: apt-get install poppler-utils to read the PDF back")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_without_pdftotext_the_pdf_tests_skip_outside_ci_and_fail_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without pdftotext
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="pdftotext not found: apt-get install poppler-utils"):
        pdf_text(tmp_path / "handbook.pdf")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must read the PDFs back"):
        pdf_text(tmp_path / "handbook.pdf")


def clausewise(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_clausewise("--handbook", root, *args, today="2026-11-23")


def test_audit_pack_manifest_matches_the_zip(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb", {"roles/owner.md": role(), "procedures/reporting.md": procedure("v1\n")}, CONF
    )
    out = tmp_path / "pack.zip"
    done = clausewise(root, "audit-pack", "--out", str(out), "--today", "2026-11-23")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"audit pack written: {out}"
    with zipfile.ZipFile(out) as pack:
        manifest = json.loads(pack.read("manifest.json"))
        names = set(pack.namelist())
        assert manifest["commit"] == Repo(root).head.commit.hexsha
        assert manifest["uncommitted_changes"] is False
        assert manifest["today"] == "2026-11-23"
        listed = {f"html/{f['path']}" for f in manifest["files"]}
        assert listed == names - {"manifest.json"}
        for entry in manifest["files"]:
            data = pack.read(f"html/{entry['path']}")
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
        for needed in ("index.html", "clausewise/findings.json", "clausewise/matrix.csv", "clausewise/clausewise.xlsx",
                       "clausewise/needs.json", "clausewise/calendar.ics"):  # fmt: skip
            assert f"html/{needed}" in names
    # the same handbook gives the same zip
    again = tmp_path / "again.zip"
    assert clausewise(root, "audit-pack", "--out", str(again), "--today", "2026-11-23").returncode == 0
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(out.read_bytes()).digest()


def test_as_of_a_date_between_two_commits(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb",
        {
            "roles/owner.md": role(),
            "procedures/reporting.md": procedure("The old way of reporting.\n"),
            "records/report/2026-Q1.md": record("REC-REPORT-2026-Q1", "RT-REPORT", "2026-Q1", produced="2026-04-10"),
        },
        CONF,
        when="2026-04-15T09:00:00+00:00",
    )
    commit(
        root, "New way, and the Q2 report", "2026-07-20T09:00:00+00:00",
        {
            "procedures/reporting.md": procedure("The new way of reporting.\n").replace(
                "reviewed: 2026-01-02", "reviewed: 2026-07-20"
            ),
            "records/report/2026-Q2.md": record("REC-REPORT-2026-Q2", "RT-REPORT", "2026-Q2", produced="2026-07-18"),
        },
    )  # fmt: skip
    first = Repo(root).git.rev_list("--max-parents=0", "HEAD")
    out = tmp_path / "asof"
    done = clausewise(root, "as-of", "2026-06-01", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"handbook as of 2026-06-01 (commit {first[:7]}) written to {out}"
    page = (out / "procedures" / "reporting.html").read_text()
    assert "The old way of reporting." in page and "The new way" not in page
    assert f"Historical view: this is the handbook as it stood on 2026-06-01 (commit {first[:7]})." in page
    assert (out / "records" / "report" / "2026-Q1.html").is_file()
    assert not (out / "records" / "report" / "2026-Q2.html").exists()
    findings = json.loads((out / "clausewise" / "findings.json").read_text())
    assert findings["today"] == "2026-06-01"
    assert findings["findings"] == []  # on that day Q2 had not even ended
    assert "as-of" not in Repo(root).git.worktree("list")  # the temporary worktree is gone
    assert len(Repo(root).git.worktree("list").splitlines()) == 1
    documents = [
        "index",
        "pages/clauses",
        "pages/matrix",
        "procedures/reporting",
        "roles/owner",
        "records/report/2026-Q1",
    ]
    assert all("Historical view" in (out / f"{d}.html").read_text() for d in documents)


def test_clear_errors(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role()}, CONF)
    early = clausewise(root, "as-of", "2020-01-01", "--out", str(tmp_path / "x"))
    assert (early.returncode, early.stderr.strip()) == (
        2, "clausewise: no commit on or before 2020-01-01: the handbook's history starts later"
    )  # fmt: skip
    bad = clausewise(root, "as-of", "2026-02-30")
    assert bad.returncode == 2 and "'2026-02-30' is not a date as YYYY-MM-DD" in bad.stderr
    nowhere = clausewise(tmp_path, "audit-pack")
    assert nowhere.returncode == 2 and re.search(r"has no conf.py", nowhere.stderr)
    assert "Traceback" not in early.stderr + bad.stderr + nowhere.stderr


def test_pdf_of_the_documents(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path / "hb", {"roles/owner.md": role(), "procedures/reporting.md": procedure("Body text.\n")}, CONF
    )
    out = tmp_path / "handbook.pdf"
    done = clausewise(root, "pdf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"PDF written: {out}"
    assert out.read_bytes().startswith(b"%PDF-")
    text = pdf_text(out)
    assert "Reporting" in text and "PRC-001 (procedure)" in text and "Body text." in text


def test_the_pdf_is_for_one_audience(tmp_path: Path) -> None:
    """The PDF is the staff's unless --audience says otherwise: a confidential
    document's text is only in the auditor's."""
    confidential = procedure("Confidential steps QZXPDFSTEPS4242.\n").replace(
        "classification: internal", "classification: confidential"
    )
    root = write_handbook(tmp_path / "hb", {"roles/owner.md": role(), "procedures/reporting.md": confidential}, CONF)

    def audience_text(*args: str) -> str:
        out = tmp_path / f"{'-'.join(args) or 'default'}.pdf"
        done = clausewise(root, "pdf", "--out", str(out), *args)
        assert done.returncode == 0, done.stderr
        return pdf_text(out)

    staff = audience_text()
    assert "QZXPDFSTEPS4242" not in staff and "Content withheld from this build" in staff and "Reporting" in staff
    assert "QZXPDFSTEPS4242" in audience_text("--audience", "auditor")


def test_the_pdf_fetches_nothing_from_the_network_or_the_machine(tmp_path: Path) -> None:
    """A page's image at an http address is not fetched by the machine making the PDF (in CI,
    an address on the internal network), nor is a file: address read when safe mode is off."""
    import contextlib
    import http.server
    import threading
    import urllib.request

    asked: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}"
    try:
        secret = tmp_path / "machine-secret.svg"
        secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text y="20">QZXMACHINE5353</text></svg>\n')
        body = f"Body text.\n\n![internal]({address}/internal.png)\n\n![machine](file://{secret})\n"
        conf = CONF + "clausewise_safe_mode = False\n"
        root = write_handbook(
            tmp_path / "hb", {"roles/owner.md": role(), "procedures/reporting.md": procedure(body)}, conf
        )
        out = tmp_path / "handbook.pdf"
        done = clausewise(root, "pdf", "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert asked == []
        text = pdf_text(out)
        assert "Body text." in text and "QZXMACHINE5353" not in text
        # (the recorder hears what is asked of it)
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{address}/probe", timeout=10)
        assert asked == ["/probe"]
    finally:
        server.shutdown()
