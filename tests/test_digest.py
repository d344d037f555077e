"""Canonical JSON digests: the same data gives the same key, other data another."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import PurePosixPath

import pytest
from clausewise.core.digest import canonical, digest, shared_parts, unshared
from hypothesis import given, settings
from hypothesis import strategies as st


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


# --- the digest is written part by part, as json.dumps writes the canonical form ---------------


def _as_json_dumps_writes_it(value: object) -> str:
    text = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Kind(Enum):
    NUMBER = 1
    WORD = "word"


@dataclass(frozen=True)
class Part:
    number: int
    text: str
    nested: object
    tags: frozenset[str] = frozenset()


_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text()
    | st.dates() | st.sampled_from([Kind.NUMBER, Kind.WORD, Colour.RED, PurePosixPath("a/b.md")])
)  # fmt: skip
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=3)
        | st.frozensets(st.text(max_size=3), max_size=3)
        | st.builds(Part, st.integers(), st.text(max_size=5), inner, st.frozensets(st.text(max_size=3), max_size=2))
    ),
    max_leaves=25,
)


@settings(max_examples=600, deadline=None)
@given(_values)
def test_the_digest_is_the_sha256_of_the_canonical_json(value: object) -> None:
    assert digest(value) == _as_json_dumps_writes_it(value)
    with shared_parts():  # the JSON of each part is kept and written again: the same text
        assert digest([value, value]) == _as_json_dumps_writes_it([value, value])
        assert digest(value) == _as_json_dumps_writes_it(value)


def test_shared_parts_keep_only_the_outermost_parts() -> None:
    inner = Part(1, "inner", None)
    outer = Part(2, "outer", (inner, inner))
    with shared_parts():
        digest([outer, outer])
        from clausewise.core import digest as module

        assert module._SHARED is not None
        assert [kept[0] for kept in module._SHARED.values()] == [outer]
        digest(inner)  # on its own now: kept
        assert [kept[0] for kept in module._SHARED.values()] == [outer, inner]
        other = Part(3, "other", None)
        with unshared():  # a digest of the whole handbook keeps nothing
            assert digest([other, outer]) == _as_json_dumps_writes_it([other, outer])
        assert [kept[0] for kept in module._SHARED.values()] == [outer, inner]


def test_a_digest_under_unshared_uses_what_was_kept() -> None:
    # the handbook's fingerprint is made after the pages' keys, and writes their documents and
    # records from what those kept; the model does not change while keys are made, which this test
    # breaks on purpose to see the kept text used
    tags: list[str] = ["a"]
    part = Part(1, "kept", tuple(tags))
    mutable = Item("x", date(2026, 1, 2), frozenset())
    with shared_parts():
        before = digest([part, mutable])
        object.__setattr__(mutable, "name", "y")  # changed after it was kept
        with unshared():
            assert digest([part, mutable]) == before
            fresh = Item("z", date(2026, 1, 2), frozenset())
            assert digest(fresh) == _as_json_dumps_writes_it(fresh)  # not kept: written, and not kept now
        from clausewise.core import digest as module

        assert module._SHARED is not None
        assert fresh not in [kept[0] for kept in module._SHARED.values()]
    assert digest([part, mutable]) != before  # outside, nothing kept: the change is seen
