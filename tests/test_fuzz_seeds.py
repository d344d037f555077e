"""The fuzzer's seeds as ordinary tests: every committed file of
``tests/fuzz/corpus/<target>/`` through its target (``tests/fuzz/targets.py``),
without atheris. A crash the fuzzer found, once fixed, is kept as a seed here.
``nox -s fuzz`` runs the fuzzer itself (see "Fuzzing" in ``docs/development/architecture.md``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz.targets import TARGETS

CORPUS = Path(__file__).parent / "fuzz" / "corpus"
#: Each target's seeds: the files directly in its folder (``generated/`` is the fuzzer's, not committed).
SEEDS = [
    pytest.param(name, seed, id=f"{name}/{seed.name}")
    for name in TARGETS
    for seed in sorted((CORPUS / name).iterdir())
    if seed.is_file()
]


def test_every_target_has_seeds() -> None:
    assert {name for name, *_ in (p.values for p in SEEDS)} == set(TARGETS)
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(TARGETS)


@pytest.mark.parametrize(("target", "seed"), SEEDS)
def test_a_seed_keeps_its_target_s_contract(target: str, seed: Path) -> None:
    TARGETS[target](seed.read_bytes())


def test_no_seed_is_a_page_of_the_sample_handbook() -> None:
    # the sample at the repository's top is built with Sphinx, which reads every .md and .rst below it
    assert [p for p in CORPUS.rglob("*") if p.suffix in (".md", ".rst")] == []
