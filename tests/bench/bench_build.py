"""Build benchmarks of a generated handbook, as ratios against the right baselines, in one run.

    python3 -m nox -s bench                                  # 100 documents, quick
    python3 -m nox -s bench -- --docs 1000                   # what issue 19's targets are set at
    python3 -m nox -s bench -- --docs 1000 --runs 3 --sizes 250,500,1000,2000

``tests/bench/generate.py`` writes a handbook of ``--docs`` governed documents (5 % roles, 10 %
policies, the rest procedures; a record type per ten documents, five records per document; about
three commits per document over two years) with a known set of planted findings, and its two twins:
the same pages with the same needs declared with sphinx-needs' directives (no clausewise), and the
same pages in plain MyST (no needs). All use the ``basic`` theme. Every measured step runs in a child
process of its own: its CPU time (user + system, ``RUSAGE_CHILDREN`` before and after, so the
workers of ``-j 2`` and git's processes count) is less disturbed by other load than its wall time,
which is reported too; its peak memory is the child's own (max RSS, the largest worker's with -j).

Printed, each with its target and whether it is met (targets from issue 19; "-" is informative):

- full build, CPU and wall, against the sphinx-needs twin (CPU <= 1.10) and the plain twin;
- peak memory against the sphinx-needs twin (<= 1.20);
- rebuilds without ``-E`` against the full build: nothing changed, one procedure's body edited
  (<= 0.15), its ``owner:`` edited, its ``satisfies:`` edited (each edit committed first);
- ``clausewise check`` as a whole command, cold (its first run) and warm (again), against the
  full build (cold <= 0.05);
- the git pass (``sources.gitlog.read_history``) against a ``git log`` per file (timed on
  :data:`GIT_LOOP_SAMPLE` of the files, every k-th, and scaled to all of them);
- ``-j 2`` against ``-j 1`` (wall), and whether both give the same ``findings.json``;
- growth (``--sizes``): CPU per document of the clausewise build, of the twin, and of clausewise's
  own part (the difference), at each size; the target is clausewise's part within +-25 % of its
  median across sizes;
- where the extra time goes: each phase (``phases.py``) of the clausewise build and the twin's.

Then the build's findings are compared with the generator's expected findings; a difference is
printed and the command exits with status 1. Last, the search index of the clausewise build: its
size, the share of clausewise's ids in it, and a few queries timed in Chromium.

``--runs`` interleaves that many full builds of each of the three handbooks (median, min-max).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import TODAY, Generated, edit_document, generate, write_needs_twin, write_plain_twin  # noqa: E402

#: One measured step, in a child process: a Sphinx build (with phases.py timing it), the git pass,
#: or a git log per file. Prints its wall seconds, peak memory and phases as JSON.
STEP = textwrap.dedent(
    """
    import json, resource, subprocess, sys, time
    from io import StringIO
    from pathlib import Path
    spec = json.loads(sys.argv[1])
    root, out, mode = Path(spec["root"]), Path(spec["out"]), spec["mode"]
    sys.path.insert(0, spec["here"])
    phases = {}
    start = time.perf_counter()
    if mode == "git":
        from clausewise.sources.gitlog import read_history
        read_history(root)
    elif mode == "gitloop":
        files = subprocess.run(["git", "ls-files", "*.md"], cwd=root, capture_output=True, text=True,
                               check=True).stdout.split()
        sample = files[:: max(1, len(files) // spec["sample"])]  # every k-th file: the loop's cost is per file
        phases["scale"] = len(files) / len(sample)
        for name in sample:
            subprocess.run(["git", "log", "--format=%H%x00%an%x00%ae%x00%aI%x00%B", "--name-status",
                            "--follow", "--", name], cwd=root, capture_output=True, check=True)
    else:
        import phases as timing
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils
        with patch_docutils(root), docutils_namespace():
            app = Sphinx(root, root, out / "html", out / "doctrees", "html", status=StringIO(), warning=StringIO(),
                         freshenv=spec["fresh"], parallel=spec["jobs"],
                         confoverrides={"clausewise_today": spec["today"]} if spec["clausewise"] else {})
            app.setup_extension("phases")
            app.build()
        phases = timing.phases(start, time.perf_counter())
    seconds = time.perf_counter() - start
    rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({"wall": seconds, "max_rss_kib": rss, "phases": phases}))
    """
)

#: Runs a command and reports its wall time (the command is this wrapper's only child).
WHOLE_COMMAND = textwrap.dedent(
    """
    import json, resource, subprocess, sys, time
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], check=False, capture_output=True)
    seconds = time.perf_counter() - start
    print(json.dumps({"wall": seconds, "max_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                      "phases": {}}))
    """
)

#: The files a ``git log`` each is timed on (every k-th of the handbook's): at 1,000 documents the
#: loop over all 6,000 pages took longer than every other step together.
GIT_LOOP_SAMPLE = 300

TARGETS = {
    "cpu vs needs": 1.10,
    "memory vs needs": 1.20,
    "body edit": 0.15,
    "check cold": 0.05,
    "growth": 0.25,
}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(argv: list[str]) -> dict[str, Any]:
    """Run ``argv`` (a Python child); its JSON line, with its CPU seconds (and its children's) added."""
    before = _cpu()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    cpu = _cpu() - before
    if done.returncode != 0:
        sys.exit(f"a benchmark step failed: {' '.join(argv[:4])} ...\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["cpu"] = cpu
    return result


def step(
    mode: str, root: Path, out: Path, *, fresh: bool = True, jobs: int = 1, clausewise: bool = True
) -> dict[str, Any]:
    spec = {
        "root": str(root), "out": str(out), "mode": mode, "fresh": fresh, "jobs": jobs,
        "clausewise": clausewise, "today": TODAY.isoformat(), "here": str(HERE), "sample": GIT_LOOP_SAMPLE,
    }  # fmt: skip
    return measure([sys.executable, "-c", STEP, json.dumps(spec)])


def whole_command(*command: str) -> dict[str, Any]:
    return measure([sys.executable, "-c", WHOLE_COMMAND, *command])


# ---------------------------------------------------------------------------------------- reporting


def _spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def verdict(value: float, target: float | None, *, at_most: bool = True) -> str:
    if target is None:
        return "-"
    met = value <= target if at_most else value >= target
    return "met" if met else "NOT met"


class Report:
    """The ratios table, printed as it fills."""

    def __init__(self) -> None:
        self.started = False

    def ratio(self, name: str, values: list[float], target: float | None = None) -> None:
        if not self.started:
            print(f"\n{'ratio':58} {'median (min-max)':>24} {'target':>8}  verdict")
            self.started = True
        shown = f"<= {target:.2f}" if target is not None else "-"
        print(f"{name:58} {_spread(values):>24} {shown:>8}  {verdict(statistics.median(values), target)}")


def phase_table(ours: dict[str, float], twin: dict[str, float]) -> None:
    print("\nwhere the extra time goes (wall seconds per phase, -j 1, first run):")
    print(f"{'phase':16} {'clausewise':>11} {'sphinx-needs':>13} {'extra':>8} {'share of extra':>15}")
    names = ["start", "read", "env-updated", "resolve", "write", "search index", "finish"]
    extra_total = sum(ours.get(n, 0.0) - twin.get(n, 0.0) for n in names) or 1.0
    for name in names:
        a, b = ours.get(name, 0.0), twin.get(name, 0.0)
        print(f"{name:16} {a:11.2f} {b:13.2f} {a - b:8.2f} {(a - b) / extra_total:15.1%}")
    print(f"{'total':16} {sum(ours.get(n, 0.0) for n in names):11.2f} {sum(twin.get(n, 0.0) for n in names):13.2f}")


# ------------------------------------------------------------------------------------------ the runs


def findings_diff(handbook: Generated, out: Path) -> list[str]:
    """What the build reported that the generator did not plant, and the other way round."""
    report = json.loads((out / "html" / "clausewise" / "findings.json").read_text())
    got = Counter((f["code"], f["path"], f["id"]) for f in report["findings"])
    lines = [f"  missing: {k} x{n}" for k, n in sorted((handbook.expected - got).items())]
    return lines + [f"  unexpected: {k} x{n}" for k, n in sorted((got - handbook.expected).items())]


def main_size(tmp: Path, docs: int, runs: int, report: Report) -> tuple[list[str], dict[str, Any]]:
    """Every ratio at one size; returns the findings' differences and the full builds' medians."""
    t = time.perf_counter()
    handbook = generate(tmp / "handbook", docs)
    needs, plain = write_needs_twin(handbook, tmp / "needs"), write_plain_twin(handbook, tmp / "plain")
    print(f"handbook: {docs} documents ({len(handbook.roles)} roles, {len(handbook.policies)} policies, "
          f"{len(handbook.procedures)} procedures), {len(handbook.record_types)} record types, "
          f"{handbook.records} records, {handbook.commits} commits; generated with its twins in "
          f"{time.perf_counter() - t:.1f} s")  # fmt: skip
    ours: list[dict[str, Any]] = []
    twin: list[dict[str, Any]] = []
    bare: list[dict[str, Any]] = []
    for n in range(runs):  # interleaved, so that a burst of other load hits all three alike
        ours.append(step("build", handbook.root, tmp / "out"))
        twin.append(step("build", needs, tmp / "out-needs", clausewise=False))
        bare.append(step("build", plain, tmp / "out-plain", clausewise=False))
        print(f"  run {n + 1}: clausewise {ours[-1]['cpu']:.1f} s CPU, sphinx-needs twin {twin[-1]['cpu']:.1f} s, "
              f"plain twin {bare[-1]['cpu']:.1f} s")  # fmt: skip
    differences = findings_diff(handbook, tmp / "out")
    full_cpu = statistics.median(r["cpu"] for r in ours)
    full_wall = statistics.median(r["wall"] for r in ours)
    report.ratio("full build CPU / sphinx-needs twin", [a["cpu"] / b["cpu"] for a, b in zip(ours, twin, strict=True)],
                 TARGETS["cpu vs needs"])  # fmt: skip
    report.ratio(
        "full build wall / sphinx-needs twin", [a["wall"] / b["wall"] for a, b in zip(ours, twin, strict=True)]
    )
    report.ratio("full build CPU / plain MyST twin", [a["cpu"] / b["cpu"] for a, b in zip(ours, bare, strict=True)])
    report.ratio("full build wall / plain MyST twin", [a["wall"] / b["wall"] for a, b in zip(ours, bare, strict=True)])
    report.ratio(
        "peak memory / sphinx-needs twin",
        [a["max_rss_kib"] / b["max_rss_kib"] for a, b in zip(ours, twin, strict=True)], TARGETS["memory vs needs"],
    )  # fmt: skip

    # check, cold (its first run) and warm, as a whole command
    check = [sys.executable, "-m", "clausewise.cli", "--handbook", str(handbook.root), "check",
             "--today", TODAY.isoformat(), "--format", "json"]  # fmt: skip
    cold, warm = whole_command(*check), whole_command(*check)
    report.ratio("clausewise check, cold, CPU / full build", [cold["cpu"] / full_cpu], TARGETS["check cold"])
    report.ratio("clausewise check, warm, CPU / full build", [warm["cpu"] / full_cpu])
    report.ratio("clausewise check, cold, wall / full build", [cold["wall"] / full_wall])

    # the git pass against a git log per file (timed on a sample of the files, scaled to all of them)
    git, loop = step("git", handbook.root, tmp / "unused"), step("gitloop", handbook.root, tmp / "unused")
    scale = loop["phases"]["scale"]
    report.ratio("git pass (read_history) wall / a git log per file", [git["wall"] / (loop["wall"] * scale)])
    report.ratio("git pass (read_history) CPU / a git log per file", [git["cpu"] / (loop["cpu"] * scale)])

    # -j 2 against -j 1, and the same findings
    parallel = step("build", handbook.root, tmp / "out-j2", jobs=2)
    report.ratio("-j 2 wall / -j 1 wall", [parallel["wall"] / full_wall])
    report.ratio("-j 2 CPU / -j 1 CPU", [parallel["cpu"] / full_cpu])
    same = (tmp / "out-j2/html/clausewise/findings.json").read_bytes() == (
        tmp / "out/html/clausewise/findings.json"
    ).read_bytes()
    print(f"{'  -j 2 findings.json equal to -j 1':58} {'yes' if same else 'NO':>24}")
    if not same:
        differences.append("  -j 2 gave another findings.json than -j 1")

    # rebuilds without -E, each after one committed edit of a plain procedure
    report.ratio("rebuild, nothing changed / full build (CPU)", [step("build", handbook.root, tmp / "out",
                                                                        fresh=False)["cpu"] / full_cpu])  # fmt: skip
    edited = handbook.procedures[-1]
    for n, (what, target) in enumerate((("body", TARGETS["body edit"]), ("owner", None), ("satisfies", None))):
        edit_document(handbook, edited, what, datetime(2026, 11, 20, 9 + n, tzinfo=UTC))
        rebuilt = step("build", handbook.root, tmp / "out", fresh=False)
        report.ratio(f"rebuild, one {what}{':' if what != 'body' else ''} edit / full build (CPU)",
                     [rebuilt["cpu"] / full_cpu], target)  # fmt: skip
    search_report(tmp / "out" / "html", search_queries(handbook))
    return differences, {"ours": ours[0], "twin": twin[0], "docs": docs, "cpu": full_cpu,
                         "twin_cpu": statistics.median(r["cpu"] for r in twin)}  # fmt: skip


def growth(tmp: Path, sizes: list[int], known: dict[int, tuple[float, float]], report: Report) -> None:
    """CPU per document at each size: the clausewise build, the twin, and clausewise's own part."""
    rows = []
    for size in sizes:
        if size in known:
            ours, twin = known[size]
        else:
            folder = tmp / f"growth-{size}"
            handbook = generate(folder / "handbook", size)
            needs = write_needs_twin(handbook, folder / "needs")
            ours = step("build", handbook.root, folder / "out")["cpu"]
            twin = step("build", needs, folder / "out-needs", clausewise=False)["cpu"]
        rows.append((size, ours, twin))
    print(f"\ngrowth (full build CPU; ms per document):\n{'documents':>10} {'clausewise':>11} {'sphinx-needs':>13} "
          f"{'clausewise own':>15}")  # fmt: skip
    own = []
    for size, ours, twin in rows:
        own.append((ours - twin) / size)
        print(f"{size:10} {1000 * ours / size:11.1f} {1000 * twin / size:13.1f} {1000 * own[-1]:15.1f}")
    centre = statistics.median(own)
    if centre > 0:
        worst = max(abs(v / centre - 1) for v in own)
        report.ratio("growth: clausewise's own ms per document, worst deviation", [worst], TARGETS["growth"])
    twin_per_doc = [twin / size for size, _, twin in rows]
    print(f"  sphinx-needs twin per document, largest / smallest size: {twin_per_doc[-1] / twin_per_doc[0]:.2f} "
          "(above 1: the dependency grows faster than linearly)")  # fmt: skip


def search_queries(handbook: Generated) -> list[str]:
    """Queries timed against the generated handbook's search index: a procedure's and a policy's id,
    a record's id, a clause number and a word of the bodies."""
    record = next(p.front["id"] for p in reversed(handbook.pages) if p.front.get("type") == "record")
    middle = len(handbook.procedures) // 2
    return [handbook.procedures[middle], handbook.policies[len(handbook.policies) // 2], record, "1.1", "audit"]


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


def search_report(html: Path, queries: list[str]) -> None:
    """The search index's size (and the share of clausewise's objects in it), and each of
    ``queries`` timed in Chromium on the built search page (skipped without
    Playwright or Chromium)."""
    import gzip
    import shutil

    from sphinx.search import js_index

    raw = (html / "searchindex.js").read_bytes()
    index = js_index.loads(raw.decode("utf-8"))
    objects = sum(len(entries) for entries in index["objects"].values())
    without = dict(index, objects={}, objnames={}, objtypes={})
    share = 1 - len(js_index.dumps(without).encode("utf-8")) / len(raw)
    print(f"\nsearch index: {len(raw) / 1024:.0f} KiB ({len(gzip.compress(raw)) / 1024:.0f} KiB gzipped) for "
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
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto((html / "search.html").as_uri())
        page.wait_for_function("typeof Search !== 'undefined' && Search.hasIndex()")
        timed = page.evaluate(TIME_QUERIES, queries)
        browser.close()
    print(f"{'query':22} {'ms (median of 21)':>18} {'results':>8}  first result")
    for query, ms, count, first in timed:
        print(f"{query:22} {ms:18.1f} {count:8}  {first}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100, help="documents of the handbook measured (default 100)")
    parser.add_argument("--sizes", default="250,500,1000,2000", help="sizes for growth, comma-separated")
    parser.add_argument("--runs", type=int, default=1, help="interleaved full builds of each handbook")
    parser.add_argument("--skip-growth", action="store_true", help="measure no other size than --docs")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    print("Benchmark of issue 19: ratios in one run; CPU = user + system of each step's process and its children.")
    print("Timings on a shared machine are noisy: compare ratios of the same run, and use --runs 3.\n")
    with tempfile.TemporaryDirectory() as tmp:
        report = Report()
        differences, full = main_size(Path(tmp) / str(args.docs), args.docs, args.runs, report)
        phase_table(full["ours"]["phases"], full["twin"]["phases"])
        if not args.skip_growth:
            growth(Path(tmp), sizes, {args.docs: (full["cpu"], full["twin_cpu"])}, Report())
    if differences:
        print("\nthe build's findings differ from the generator's expected findings:")
        print("\n".join(differences))
        sys.exit(1)
    print("\nthe build's findings equal the generator's expected findings")


if __name__ == "__main__":
    main()
