"""Canonical JSON digests: the same data gives the same key, other data another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import PurePosixPath

import pytest
from clausewise.core.digest import canonical, digest


class Colour(StrEnum):
    RED = "red"


@dataclass(frozen=True)
class Item:
    name: str
    when: date
    tags: frozenset[str]


def test_canonical_names_every_field_and_sorts_what_has_no_order() -> None:
    item = Item("a", date(2026, 1, 2), frozenset({"z", "b"}))
    assert canonical(item) == {"~": "Item", "name": "a", "when": "2026-01-02", "tags": ["b", "z"]}
    assert canonical({2: "x", 1: "y"}) == [[1, "y"], [2, "x"]]
    assert canonical({"b": Colour.RED, "a": (1, 2.5, None, True)}) == {"b": "red", "a": [1, 2.5, None, True]}
    assert canonical(datetime(2026, 1, 2, 3, 4)) == "2026-01-02T03:04:00"
    assert canonical(PurePosixPath("a/b.md")) == "a/b.md"


def test_digest_ignores_order_of_sets_and_mappings_and_sees_every_value() -> None:
    one = digest({"x": Item("a", date(2026, 1, 2), frozenset({"z", "b"})), "y": 1})
    assert one == digest({"y": 1, "x": Item("a", date(2026, 1, 2), frozenset({"b", "z"}))})
    assert one != digest({"x": Item("a", date(2026, 1, 3), frozenset({"z", "b"})), "y": 1})
    assert digest([1, 2]) != digest([2, 1])
    assert len(one) == 64


def test_a_value_without_a_canonical_form_is_refused() -> None:
    with pytest.raises(TypeError, match="no canonical form for object"):
        digest(object())
