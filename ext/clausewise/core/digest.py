"""Digests of model data as canonical JSON, for keys that say "this changed".

A ``repr()`` is not a key: it changes with field order, with the identity of
objects that have no ``__repr__`` of their own, and it hides what it leaves out.
Canonical JSON names every field, sorts every mapping and set, and writes dates,
enums and paths as text, so the same data always gives the same digest, in any
process and on any run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from pathlib import PurePath
from typing import Any


def canonical(value: Any) -> Any:
    """``value`` as plain JSON data: dataclasses as objects naming their type and
    every field, mappings and sets sorted, dates ISO, enums and paths as text."""
    kind = type(value)
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert(value)


def _converter(kind: type) -> Callable[[Any], Any]:
    """How values of ``kind`` become JSON data; decided once per type (page keys
    canonicalise tens of thousands of values on every build)."""
    if kind in (str, int, float, bool, type(None)):
        return _same
    if is_dataclass(kind):
        names = tuple(f.name for f in fields(kind))
        # a JSON object: the digest's sort_keys orders the fields
        return lambda v: {"~": kind.__name__, **{name: canonical(getattr(v, name)) for name in names}}
    if issubclass(kind, Enum):
        return lambda v: canonical(v.value)
    if issubclass(kind, date):  # datetime too
        return lambda v: v.isoformat()
    if issubclass(kind, PurePath):
        return lambda v: v.as_posix()
    if issubclass(kind, dict):
        return _mapping
    if issubclass(kind, set | frozenset):
        return lambda v: sorted((canonical(i) for i in v), key=_sort_key)
    if issubclass(kind, list | tuple):
        return lambda v: [canonical(i) for i in v]
    if issubclass(kind, str | int | float):
        return _same
    raise TypeError(f"no canonical form for {kind.__name__}")


def _same(value: Any) -> Any:
    return value


def _mapping(value: dict[Any, Any]) -> Any:
    if all(type(k) is str for k in value):
        return {k: canonical(v) for k, v in value.items()}
    return sorted(([canonical(k), canonical(v)] for k, v in value.items()), key=_sort_key)


#: how each type met so far is converted
_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def digest(value: Any) -> str:
    """The SHA-256 of ``value``'s canonical JSON."""
    text = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
