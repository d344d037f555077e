"""Digests of model data as canonical JSON, for keys that say "this changed".

A ``repr()`` is not a key: it changes with field order, with the identity of
objects that have no ``__repr__`` of their own, and it hides what it leaves out.
Canonical JSON names every field, sorts every mapping and set, and writes dates,
enums and paths as text, so the same data always gives the same digest, in any
process and on any run.

The digest is written into the hash part by part (:func:`_write`), the same text
``json.dumps`` makes of :func:`canonical`'s form (a property test holds the two
equal): the fingerprint of a handbook of 1,000 documents would otherwise make the
JSON form of the whole model at once (60 MiB at 1,000 documents).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from json.encoder import encode_basestring  # C: what json.dumps writes of a str
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
            return {"~": kind.__name__, **{name: canonical(getattr(v, name)) for name in names}}

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
#: While :func:`shared_parts` runs: the canonical JSON of each dataclass instance written, by identity.
_SHARED: dict[int, tuple[Any, str]] | None = None


@contextmanager
def unshared() -> Iterator[None]:
    """Within it, nothing more is kept for :func:`shared_parts`: for a digest of the whole handbook,
    whose JSON would be kept whole, and none of its parts on their own (only the outermost are).
    What was kept before is used: the handbook's documents and records, digested for their pages'
    keys first, are most of it."""
    outer, _storing[0] = _storing[0], False
    try:
        yield
    finally:
        _storing[0] = outer


@contextmanager
def shared_parts() -> Iterator[None]:
    """Within it, an object digested again (the same instance) is not converted again.

    The keys of a build's pages share most of their parts: a record is on its own page and in its
    record type's periods on its procedure's, a document in its review and its register row. The
    model is not changed while keys are made, so an instance's canonical JSON stays what it was;
    that is the only condition, and it holds inside one build's :func:`digest` calls."""
    global _SHARED
    outer, _SHARED = _SHARED, {} if _SHARED is None else _SHARED
    try:
        yield
    finally:
        _SHARED = outer


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _json(form: Any) -> str:
    """The canonical JSON text of a canonical form: what a digest is the hash of."""
    return json.dumps(form, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(value: Any) -> str:
    """The SHA-256 of ``value``'s canonical JSON (:func:`_json` of :func:`canonical`), written part by
    part into the hash (:func:`_write`), so that the canonical form of a large value (the whole
    handbook) is never held at once."""
    sha = hashlib.sha256()
    pieces: list[str] = []

    def out(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) >= 4096:
            sha.update("".join(pieces).encode("utf-8"))
            pieces.clear()

    _write(value, out)
    sha.update("".join(pieces).encode("utf-8"))
    return sha.hexdigest()


Out = Callable[[str], None]


def _write(value: Any, out: Out) -> None:
    """Write ``value``'s canonical JSON to ``out`` in pieces: the text ``json.dumps`` makes of
    :func:`canonical`'s form (a test holds the two equal), without making that form of the whole."""
    kind = type(value)
    if kind is str:
        out(encode_basestring(value))
        return
    write = _WRITERS.get(kind)
    if write is None:
        write = _WRITERS[kind] = _writer(kind)
    write(value, out)


def _writer(kind: type) -> Callable[[Any, Out], None]:
    """How values of ``kind`` are written; in the order :func:`_converter` decides their form."""
    if is_dataclass(kind):
        keys = sorted([*(f.name for f in fields(kind)), "~"])  # as sort_keys orders the object's keys
        name = encode_basestring(kind.__name__)
        heads = [("{" if i == 0 else ",") + encode_basestring(key) + ":" for i, key in enumerate(keys)]

        def dataclass_object(v: Any, out: Out) -> None:
            if _SHARED is None:
                _write_object(v, out)
                return
            known = _SHARED.get(id(v))
            if known is not None and known[0] is v:
                out(known[1])
            elif _keeping[0] or not _storing[0]:
                _write_object(v, out)  # inside a part being kept: kept as part of it, not again on its own
            else:
                pieces: list[str] = []
                _keeping[0] = True
                try:
                    _write_object(v, pieces.append)
                finally:
                    _keeping[0] = False
                known = _SHARED[id(v)] = (v, "".join(pieces))  # kept with the value: its id is not reused
                out(known[1])

        def _write_object(v: Any, out: Out) -> None:
            for head, key in zip(heads, keys, strict=True):
                out(head)
                if key == "~":
                    out(name)
                else:
                    _write(getattr(v, key), out)
            out("}")

        return dataclass_object
    if kind is bool:
        return lambda v, out: out("true" if v else "false")
    if kind is int:
        return lambda v, out: out(int.__repr__(v))
    if kind is type(None):
        return lambda v, out: out("null")
    if issubclass(kind, Enum):
        return lambda v, out: _write(v.value, out)
    if issubclass(kind, dict):
        return _write_mapping
    if issubclass(kind, list | tuple) and not issubclass(kind, date | PurePath | set | frozenset):
        return _write_sequence
    # the rest (scalars, dates, paths, sets) as json.dumps writes their canonical form
    return lambda v, out: out(_json(canonical(v)))


def _write_mapping(value: dict[Any, Any], out: Out) -> None:
    if not all(type(k) is str for k in value):  # a sorted list of pairs: sorted by their JSON
        out(_json(canonical(value)))
        return
    if not value:
        out("{}")
        return
    head = "{"
    for key in sorted(value):
        out(head + encode_basestring(key) + ":")
        _write(value[key], out)
        head = ","
    out("}")


def _write_sequence(value: list[Any] | tuple[Any, ...], out: Out) -> None:
    if not value:
        out("[]")
        return
    head = "["
    for item in value:
        out(head)
        _write(item, out)
        head = ","
    out("]")


#: how each type met so far is written
_WRITERS: dict[type, Callable[[Any, Out], None]] = {}
#: Whether a part's JSON is being made to be kept (:func:`shared_parts`): only the outermost parts
#: are kept, whose JSON holds their own parts' (kept on their own too, each would be there twice).
_keeping = [False]
#: Whether parts are kept at all (not within :func:`unshared`).
_storing = [True]
