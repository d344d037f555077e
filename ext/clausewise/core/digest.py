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
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any


def canonical(value: Any) -> Any:
    """``value`` as plain JSON data: dataclasses as objects naming their type and
    every field, mappings and sets sorted, dates ISO, enums and paths as text."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _FIELDS.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        # a JSON object: the digest's sort_keys orders its fields
        return {"~": kind.__name__, **{name: canonical(getattr(value, name)) for name in names}}
    if isinstance(value, Enum):
        return canonical(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, dict):
        if all(type(k) is str for k in value):
            return {k: canonical(v) for k, v in value.items()}
        return sorted(([canonical(k), canonical(v)] for k, v in value.items()), key=_sort_key)
    if isinstance(value, set | frozenset):
        return sorted((canonical(v) for v in value), key=_sort_key)
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"no canonical form for {kind.__name__}")


_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})
#: field names per dataclass, looked up once per type
_FIELDS: dict[type, tuple[str, ...]] = {}


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def digest(value: Any) -> str:
    """The SHA-256 of ``value``'s canonical JSON."""
    text = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
