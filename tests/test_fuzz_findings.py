"""What the fuzzer (``tests/fuzz/``) found besides lines and id patterns (those are in
``test_line_breaks.py`` and ``test_id_patterns.py``), each through ``clausewise check``
and a real build. Each input is also a seed of its target's corpus."""

from __future__ import annotations

from pathlib import Path

from handbook import governed, record
from test_hostile_input import POLICY, handbook, refused_by_both, reported


def test_a_clause_whose_parent_is_written_in_another_case_is_refused(tmp_path: Path) -> None:
    # a and A have one need id (MINI-A), so the catalogue was accepted; but the tree of clauses goes
    # by the number as written, so a.1 was the child of no clause
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A", satisfies="[A]")})
    (root / "mini-catalogue.yaml").write_text(
        "standard: S\nnotice: N\nid_prefix: MINI\nclauses:\n  - {number: A, heading: Annex}\n"
        "  - {number: a.1, heading: First}\n"
    )
    assert refused_by_both(root) == (
        "clausewise: mini-catalogue.yaml:6: the parent of clause a.1 is a, listed as A on line 5; write the "
        "letters of a number the same way in every clause"
    )


def test_a_period_holding_a_line_break_is_named_in_one_line(tmp_path: Path) -> None:
    # the message quoted the value as it is, so the finding ran over two lines: found by a property test
    types = "\n  - {id: RT-X, title: X, owner: ROLE-OWNER, cadence: monthly, start: 2026-01-01}"
    root = handbook(tmp_path, {
        "procedures/p.md": governed("PRC-001", "procedure", "P", record_types=types),
        "records/x/2026-09.md": record("REC-X-2026-09", "RT-X", '"2026\\n09"'),
    })  # fmt: skip
    found = [f for f in reported(root, ("record-period-invalid", "invalid-metadata")) if f[1].startswith("records")]
    assert found == [
        ("record-period-invalid", "records/x/2026-09.md", 6,
         "period: '2026\\n09' is not a period; expected a month such as 2026-09"),
    ]  # fmt: skip


def test_a_nested_list_holding_a_line_break_is_named_in_one_line(tmp_path: Path) -> None:
    # the item was shown as written, so the finding ran over two lines: found by a property test
    root = handbook(tmp_path, {POLICY: governed("POL-001", "policy", "A", roles='[["x\\ny"]]')})
    assert reported(root) == [
        ("invalid-metadata", POLICY, 12,
         'roles: item 1 is a list (["x\\ny"]) where one of the role ids is expected; write a list of role ids with '
         "one pair of brackets, e.g. [a, b]"),
    ]  # fmt: skip
