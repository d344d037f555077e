"""The bad-input corpus (``tests/badinput/``): every case, a mutation of one valid
handbook, through ``clausewise check`` and a full ``sphinx-build``, each in a child
process with a time limit. Each must give exactly the findings (code, file, line,
and the value or key at fault in the message) or the one-line refusal the case
expects, check and build must agree, and no output may hold a traceback or
Sphinx's crash report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from badinput.cases import CASES, KNOWN, Case
from badinput.corpus import CRASHES, Handbook, HungError, Outcome, Refused, materialise, run

GROUPS = sorted({c.group for c in CASES if c.group})

#: the outcome of each group's shared handbook (or the HungError it raised), run once
_groups: dict[str, Outcome | HungError] = {}


def mutated(cases: list[Case]) -> Handbook:
    hb = Handbook()
    for c in cases:
        hb.case = c.id
        c.mutate(hb)
    return hb


def alone(c: Case, root: Path) -> Outcome:
    hb = mutated([c])
    materialise(root, hb)
    return run(root, hb)


def group_outcome(group: str, root: Path) -> Outcome | HungError:
    if group not in _groups:
        hb = mutated([c for c in CASES if c.group == group])
        materialise(root, hb)
        try:
            _groups[group] = run(root, hb)
        except HungError as hung:
            _groups[group] = hung
    return _groups[group]


def outcome_of(c: Case, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    if c.group:
        shared = group_outcome(c.group, tmp_path_factory.getbasetemp() / "groups" / c.group)
        if isinstance(shared, Outcome) and not shared.crashed:
            return shared
        # the group crashed or hung: this case alone says whether it is the one
    return alone(c, tmp_path_factory.mktemp(c.id[:40]) / "handbook")


def crash_excerpt(outcome: Outcome) -> str:
    text = outcome.outputs
    at = min((text.find(m) for m in CRASHES if m in text), default=0)
    return text[max(0, at - 2000) : at + 2000]


def findings_of(c: Case, outcome: Outcome) -> list[tuple[str, str, int, str]]:
    """(code, path, line, message) of the findings in the files ``c`` wrote (all, alone);
    in a message, the end of the ids the case's copies got (``-YAML-TAB-INDENT``) is ``-*``."""
    report = outcome.built_report()
    own = outcome.owned.get(c.id, set())
    return [
        (f["code"], f["path"], f["line"], f["message"].replace(f"-{c.id.upper()}", "-*"))
        for f in report["findings"]
        if not c.group or f["path"] in own
    ]


def verify(c: Case, outcome: Outcome) -> None:
    assert not outcome.crashed, crash_excerpt(outcome)
    for _, command, done, unchanged in (ran for ran in outcome.commands if ran[0] == c.id):
        said = done.stderr.strip().splitlines()[-1:] if done.returncode else done.stdout.splitlines()[:1]
        assert (done.returncode, said) == (command.exit, [command.line]), done.stderr + done.stdout
        if command.unchanged:
            assert unchanged, "the command changed the handbook"
    if isinstance(c.expect, Refused):
        assert (outcome.check.returncode, outcome.check.stdout) == (2, ""), outcome.check.stdout
        assert outcome.check.stderr.strip() == f"clausewise: {c.expect.line}"
        assert outcome.build.returncode == 2, outcome.build.stderr
        assert f"ERROR: clausewise: {c.expect.line} [clausewise.config]" in outcome.build.stderr.splitlines()
        return
    assert outcome.build.returncode == 0, outcome.build.stderr
    assert outcome.checked_report() == outcome.built_report(), "check and build disagree"
    got = findings_of(c, outcome)
    page = sorted(outcome.owned.get(c.id, {""}))[0]
    expected = [(e.code, e.path or page, e.line) for e in c.expect]
    assert sorted(f[:3] for f in got) == sorted(expected), got
    for e in c.expect:
        messages = [f[3] for f in got if f[:3] == (e.code, e.path or page, e.line)]
        assert any(e.says in m for m in messages), (e.says, messages)


@pytest.mark.parametrize(
    "c",
    [pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN[c.id], strict=True)) if c.id in KNOWN else c for c in CASES],
    ids=[c.id for c in CASES],
)
def test_case(c: Case, tmp_path_factory: pytest.TempPathFactory) -> None:
    verify(c, outcome_of(c, tmp_path_factory))


@pytest.mark.parametrize("group", GROUPS)
def test_a_group_has_no_findings_but_its_cases(group: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Sharing a handbook hides nothing: every finding of a group is in a page one of its cases wrote."""
    outcome = group_outcome(group, tmp_path_factory.getbasetemp() / "groups" / group)
    assert isinstance(outcome, Outcome) and not outcome.crashed
    owned = set().union(*outcome.owned.values())
    assert [f for f in outcome.built_report()["findings"] if f["path"] not in owned] == []


def test_the_corpus_is_large_and_its_names_unique() -> None:
    assert len(CASES) >= 150
    assert [n for n, k in Counter(c.id for c in CASES).items() if k > 1] == []


def test_the_handbook_itself_is_valid(tmp_path: Path) -> None:
    hb = Handbook()
    materialise(tmp_path, hb)
    outcome = run(tmp_path, hb)
    assert not outcome.crashed
    assert outcome.check.returncode == 0 and outcome.build.returncode == 0
    assert outcome.checked_report() == outcome.built_report()
    assert outcome.built_report()["findings"] == []
