"""Fuzz one target of ``targets.py`` with atheris (coverage-guided, libFuzzer's engine).

    python tests/fuzz/run.py front-matter 60    # or, every target: nox -s fuzz -- 60
    python tests/fuzz/run.py --targets          # the targets' names

The seeds are the committed files of ``tests/fuzz/corpus/<target>/``; what the fuzzer
finds that reaches new code goes to its ``generated/`` folder (not committed), and
an input that crashes the target to ``_build/fuzz/<target>/`` (replay it with
``python tests/fuzz/run.py <target> <file>``). The exit status is not 0 when a
crash was found.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import atheris

# re's notes on patterns such as '[[' (a nested set in a future Python) are not findings
warnings.simplefilter("ignore", FutureWarning)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# instrumented for coverage: the package and the YAML parser it reads with
with atheris.instrument_imports(include=["clausewise", "yaml"]):
    from targets import TARGETS, dictionary


def main(argv: list[str]) -> None:
    if argv[1:] == ["--targets"]:
        print(" ".join(TARGETS))
        return
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: {argv[0]} {{{','.join(TARGETS)}}} [SECONDS | FILE...]")
    name, rest = argv[1], argv[2:]
    target = TARGETS[name]
    if rest and not rest[0].isdigit():
        # replay inputs (a crash kept in _build/fuzz/), without fuzzing
        for file in rest:
            target(Path(file).read_bytes())
        return
    seconds = int(rest[0]) if rest else 60
    seeds = HERE / "corpus" / name
    generated = seeds / "generated"
    artifacts = ROOT / "_build" / "fuzz" / name
    generated.mkdir(exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    tokens = artifacts.parent / f"{name}.dict"
    tokens.write_text(dictionary(name), encoding="ascii")
    options = [
        f"-max_total_time={seconds}",
        "-timeout=10",  # one input that takes longer has hung
        "-rss_limit_mb=2048",
        "-max_len=65536",
        f"-artifact_prefix={artifacts}/",
        f"-dict={tokens}",
        str(generated),  # the first folder is where new inputs are written
        str(seeds),
    ]
    atheris.Setup([argv[0], *options], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
