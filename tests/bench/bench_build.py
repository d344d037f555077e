"""Build benchmarks, reported as ratios against a full build in the same run.

    python3 -m nox -s bench                 # default size
    python3 -m nox -s bench -- --docs 400   # bigger

Two tables. First the sample handbook (a clone of this repository's HEAD): a
full HTML build as ``nox -s docs`` runs it, against ``clausewise check``, both
timed as whole commands (Python start-up included); the check is meant to take
at most a tenth of the build. Then a synthetic handbook (documents, records and a git history of many commits at
spread-out dates) is generated in a temporary folder; each measured step runs
in its own Python process so its peak memory (max RSS) is its own. Nothing here
is a pass/fail test: it prints numbers for people to compare. Last, the synthetic
handbook's search index: its size, the share of clausewise's ids and clause numbers
in it, and a few queries timed in Chromium (the numbers in the architecture page).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from handbook import commit, governed, record, role, write_handbook  # noqa: E402

STEP = textwrap.dedent(
    """
    import json, resource, sys, time
    from io import StringIO
    from datetime import date
    from pathlib import Path
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils
    root, out, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    start = time.perf_counter()
    if mode == "git":
        from clausewise.sources.gitlog import read_history
        history, log = read_history(root)
        if sys.argv[4:] == ["again"]:
            start = time.perf_counter()
            read_history(root, previous=log)
    elif mode == "check":
        from clausewise.sphinxext import scan
        scan.result(root, date(2026, 11, 23))
    else:
        with patch_docutils(root), docutils_namespace():
            app = Sphinx(root, root, out / "html", out / "doctrees", "html", status=StringIO(), warning=StringIO(),
                         freshenv=(mode == "fresh"), confoverrides={"clausewise_today": "2026-11-23"})
            app.build()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    """
)


def make_handbook(root: Path, docs: int, records: int, commits: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    roles = [f"ROLE-R{n}" for n in range(8)]
    files = {f"roles/r{n}.md": role(roles[n], f"Role {n}", satisfies="[2]") for n in range(8)}
    paras = "\n\n".join(
        f"Paragraph {n}: " + " ".join(rng.choice(["audit", "service", "change"]) for _ in range(60)) for n in range(8)
    )
    for n in range(docs):
        kind, prefix = ("policy", "POL") if n % 4 == 0 else ("procedure", "PRC")
        files[f"{'policies' if kind == 'policy' else 'procedures'}/d{n:04d}.md"] = governed(
            f"{prefix}-{n:04d}", kind, f"Document {n}", owner=rng.choice(roles),
            satisfies=rng.choice(["[1.1]", "[1.2]", "[1.1, 1.2]"]), body=paras + "\n",
        )  # fmt: skip
    files["procedures/reports.md"] = governed("PRC-9999", "procedure", "Reports").replace(
        "satisfies: [1.1]\n",
        "satisfies: [1.1]\nrecord_types:\n  - id: RT-REPORT\n    title: Report\n    owner: ROLE-R0\n"
        "    evidences: [1.1]\n    cadence: monthly\n",
    )
    for n in range(records):
        year, month = 2000 + n // 12, n % 12 + 1
        files[f"records/report/{year}-{month:02d}.md"] = record(
            f"REC-REPORT-{year}-{month:02d}", "RT-REPORT", f"{year}-{month:02d}"
        )
    write_handbook(root, files, when="2024-01-01T09:00:00+00:00")
    paths = [p for p in files if p.startswith(("policies/", "procedures/d"))]
    for n in range(commits):
        path = rng.choice(paths)
        text = (root / path).read_text() + f"\nChange {n}.\n"
        # spread over about 900 days after the first commit (2024-01-01 09:00 UTC)
        day = 1 + n * 900 // max(commits, 1)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(1704099600 + day * 86400 + n))
        commit(root, f"Edit {path}", stamp, {path: text})


#: Runs a command and reports its wall time and peak memory (this wrapper's only child).
WHOLE_COMMAND = textwrap.dedent(
    """
    import json, resource, subprocess, sys, time
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "max_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
    """
)
CHECK_TARGET = 0.1  # clausewise check: at most a tenth of a full build


def whole_command(*command: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", WHOLE_COMMAND, *command], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def sample_handbook(tmp: Path) -> list[tuple[str, dict[str, float]]]:
    """The committed sample: full build (as ``nox -s docs``) against ``clausewise check``."""
    from git import Repo

    clone = tmp / "sample"
    Repo(HERE.parent.parent).clone(clone, no_local=False)
    today = ["-D", "clausewise_today=2026-11-23"]
    full = whole_command(sys.executable, "-m", "sphinx", "-b", "html", "-j", "auto", "-E", "-q", *today,
                         str(clone), str(tmp / "sample-html"))  # fmt: skip
    check = [sys.executable, "-m", "clausewise.cli", "--handbook", str(clone), "check", "--today", "2026-11-23"]
    return [
        ("full HTML build (baseline)", full),
        ("clausewise check", whole_command(*check, "--format", "json")),
        ("clausewise check, again", whole_command(*check, "--format", "json")),
    ]


def table(results: list[tuple[str, dict[str, float]]]) -> None:
    base = results[0][1]
    print(f"{'step':34} {'seconds':>9} {'ratio':>7} {'max RSS MiB':>12} {'ratio':>7}")
    for name, r in results:
        print(
            f"{name:34} {r['seconds']:9.2f} {r['seconds'] / base['seconds']:7.3f} "
            f"{r['max_rss_kib'] / 1024:12.0f} {r['max_rss_kib'] / base['max_rss_kib']:7.3f}"
        )


def run(step: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", STEP, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


#: Queries timed against the synthetic handbook's search index: two ids, a clause number, a word.
SEARCH_QUERIES = ("PRC-0501", "POL-0500", "REC-REPORT-2010-06", "1.1", "audit")

#: In Chromium: each query run (parsed and scored, as the search page runs it, clausewise's
#: script included) many times, the median milliseconds and the first result's link.
TIME_QUERIES = """
(queries) => queries.map((q) => {
  const times = [];
  let results = [];
  for (let i = 0; i < 21; i++) {
    const start = performance.now();
    results = Search._performSearch(...Search._parseQuery(q));
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const first = results[results.length - 1] || [];
  return [q, times[10], results.length, (first[0] || "") + (first[2] || "")];
})
"""


def search_report(html: Path) -> None:
    """The search index's size (and the share of clausewise's objects in it), and each of
    :data:`SEARCH_QUERIES` timed in Chromium on the built search page (skipped without
    Playwright or Chromium)."""
    import gzip
    import shutil

    from sphinx.search import js_index

    raw = (html / "searchindex.js").read_bytes()
    index = js_index.loads(raw.decode("utf-8"))
    objects = sum(len(entries) for entries in index["objects"].values())
    without = dict(index, objects={}, objnames={}, objtypes={})
    share = 1 - len(js_index.dumps(without).encode("utf-8")) / len(raw)
    print(f"search index: {len(raw) / 1024:.0f} KiB ({len(gzip.compress(raw)) / 1024:.0f} KiB gzipped) for "
          f"{len(index['docnames'])} pages; {objects} ids and clause numbers take {share:.1%}")  # fmt: skip
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("query times: skipped (no Playwright)")
        return
    if not Path(chromium).exists():
        print(f"query times: skipped (no Chromium at {chromium})")
        return
    page_url = (html / "search.html").as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(page_url)
        page.wait_for_function("typeof Search !== 'undefined' && Search.hasIndex()")
        timed = page.evaluate(TIME_QUERIES, list(SEARCH_QUERIES))
        browser.close()
    print(f"{'query':22} {'ms (median of 21)':>18} {'results':>8}  first result")
    for query, ms, count, first in timed:
        print(f"{query:22} {ms:18.1f} {count:8}  {first}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--commits", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sample = sample_handbook(Path(tmp))
        print("sample handbook (this repository's HEAD), whole commands:")
        table(sample)
        ratio = sample[1][1]["seconds"] / sample[0][1]["seconds"]
        verdict = "met" if ratio <= CHECK_TARGET else "NOT met"
        print(f"clausewise check / full build: {ratio:.3f} (target at most {CHECK_TARGET}: {verdict})\n")
        root, out = Path(tmp) / "handbook", Path(tmp) / "out"
        t = time.perf_counter()
        make_handbook(root, args.docs, args.records, args.commits)
        print(f"handbook: {args.docs} documents, {args.records} records, {args.commits} commits "
              f"(generated in {time.perf_counter() - t:.1f} s)")  # fmt: skip
        steps = [
            ("full build (baseline)", [str(root), str(out), "fresh"]),
            ("rebuild, nothing changed", [str(root), str(out), "update"]),
            ("git history, one log pass", [str(root), str(out), "git"]),
            ("git history, HEAD unchanged", [str(root), str(out), "git", "again"]),
            ("clausewise check (in process)", [str(root), str(out), "check"]),
        ]
        results = []
        for name, argv in steps:
            results.append((name, run(name, *argv)))
        # one document edited and committed, then an incremental build
        target = next((root / "policies").glob("*.md"))
        commit(
            root,
            "One more edit",
            "2026-11-01T09:00:00+00:00",
            {str(target.relative_to(root)): target.read_text() + "\nEdited.\n"},
        )
        results.append(("rebuild, one document edited", run("edit", str(root), str(out), "update")))
        table(results)
        search_report(out / "html")


if __name__ == "__main__":
    main()
