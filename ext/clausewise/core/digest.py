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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

        def dataclass_object(v: Any) -> Any:
            # a JSON object: the digest's sort_keys orders the fields
            if _SHARED is not None:
                known = _SHARED.get(id(v))
                if known is not None and known[0] is v:
                    return known[1]
            out = {"~": kind.__name__, **{name: canonical(getattr(v, name)) for name in names}}
            if _SHARED is not None:
                _SHARED[id(v)] = (v, out)  # the value kept with it, so its id is not reused meanwhile
            return out

        return dataclass_object
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
#: While :func:`shared_parts` runs: the canonical form of each dataclass instance met, by identity.
_SHARED: dict[int, tuple[Any, Any]] | None = None


@contextmanager
def shared_parts() -> Iterator[None]:
    """Within it, an object digested again (the same instance) is not converted again.

    The keys of a build's pages share most of their parts: a record is on its own page and in its
    record type's periods on its procedure's, a document in its review and its register row. The
    model is not changed while keys are made, so an instance's canonical form stays what it was;
    that is the only condition, and it holds inside one build's :func:`digest` calls."""
    global _SHARED
    outer, _SHARED = _SHARED, {} if _SHARED is None else _SHARED
    try:
        yield
    finally:
        _SHARED = outer


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def digest(value: Any) -> str:
    """The SHA-256 of ``value``'s canonical JSON."""
    text = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
