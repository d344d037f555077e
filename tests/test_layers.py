"""The import rule: each layer of the package imports only the layers below it.

The rule is read from every ``import`` statement of every module (those inside
functions too), so a lazy import cannot hide a breach; a second test imports
the pure layers in a fresh interpreter and checks that no Sphinx, docutils or
git came with them, transitively.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ext" / "clausewise"

#: layer -> the layers of clausewise it may import (itself always)
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "rules": {"core"},
    "sources": {"core"},
    "pipeline": {"core", "rules", "sources"},
    "outputs": {"core", "rules"},
    "authoring": {"core", "rules", "sources"},
    "sphinxext": {"core", "rules", "sources", "pipeline", "outputs"},
    "cli": {"core", "rules", "sources", "pipeline", "outputs", "authoring", "sphinxext"},
}
#: third-party packages only the Sphinx glue may import
SPHINX_ONLY = {"sphinx", "docutils", "sphinx_needs", "myst_parser"}
#: GitPython: only the git reader runs git
GIT_ONLY = {"git": {"clausewise.sources.gitlog"}}
#: modules that start the git program themselves (an argument list that begins with "git"):
#: the reader, the demo's replay, which writes a new repository and reads none, and
#: `clausewise approvals record`, which writes a commit's approval note
RUNS_GIT = {"clausewise.sources.gitlog", "clausewise.cli.demo", "clausewise.cli.approvals"}


def modules(package: Path = PACKAGE) -> list[tuple[str, Path]]:
    out = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((name, path))
    return out


def imported(name: str, path: Path) -> set[str]:
    """Every module ``path`` imports, absolute, relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            # `from clausewise.rules import coverage` imports clausewise.rules.coverage
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "clausewise" and parts[1] in MAY_IMPORT else None


def breaches(package: Path = PACKAGE) -> list[str]:
    problems = []
    for name, path in modules(package):
        layer = layer_of(name)
        for target in sorted(imported(name, path)):
            top = target.split(".")[0]
            if layer is not None and top == "clausewise":
                other = layer_of(target)
                if other is not None and other != layer and other not in MAY_IMPORT[layer]:
                    problems.append(f"{name} imports {target}: {layer} may import only {sorted(MAY_IMPORT[layer])}")
            if top in SPHINX_ONLY and layer != "sphinxext":
                problems.append(f"{name} imports {target}: only clausewise.sphinxext may import {top}")
            if top in GIT_ONLY and name not in GIT_ONLY[top]:
                problems.append(f"{name} imports {target}: only {sorted(GIT_ONLY[top])} may import {top}")
    return problems


def runs_git(path: Path) -> bool:
    """Whether the module writes an argument list that starts the git program."""
    lists = (n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.List))
    return any(n.elts and isinstance(n.elts[0], ast.Constant) and n.elts[0].value == "git" for n in lists)


def test_only_the_git_reader_and_the_demo_run_git() -> None:
    assert {name for name, path in modules() if runs_git(path)} == RUNS_GIT


def test_every_module_is_in_a_layer() -> None:
    names = [name for name, _ in modules()]
    assert "clausewise.core.model" in names and "clausewise.sphinxext.events" in names
    # the package's face and its version stand above and below every layer
    outside = [n for n in names if n not in ("clausewise", "clausewise._version") and layer_of(n) is None]
    assert outside == []


def test_each_layer_imports_only_the_layers_below_it() -> None:
    assert breaches() == []


def test_the_rule_catches_a_breach(tmp_path: Path) -> None:
    """The checker itself, on a package whose rule imports the Sphinx glue (relatively), docutils and git."""
    probe = tmp_path / "clausewise" / "rules" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("from ..sphinxext import render\nimport docutils.nodes\nfrom git import Repo\n")
    (tmp_path / "clausewise" / "core").mkdir()
    (tmp_path / "clausewise" / "core" / "fine.py").write_text("from clausewise.core import model\nimport yaml\n")
    assert breaches(tmp_path / "clausewise") == [
        "clausewise.rules.probe imports clausewise.sphinxext: rules may import only ['core']",
        "clausewise.rules.probe imports clausewise.sphinxext.render: rules may import only ['core']",
        "clausewise.rules.probe imports docutils.nodes: only clausewise.sphinxext may import docutils",
        "clausewise.rules.probe imports git: only ['clausewise.sources.gitlog'] may import git",
        "clausewise.rules.probe imports git.Repo: only ['clausewise.sources.gitlog'] may import git",
    ]


@pytest.mark.parametrize("package", ["clausewise.core", "clausewise.rules", "clausewise.outputs"])
def test_pure_layers_load_no_sphinx_docutils_or_git(package: str) -> None:
    names = [n for n, _ in modules() if n.startswith(package + ".") or n == package]
    code = (
        "import importlib, json, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils', 'git', "
        "'sphinx_needs', 'myst_parser'})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []
