"""The one error of :mod:`clausewise.authoring`: a request that cannot be carried out."""

from __future__ import annotations


class AuthoringError(Exception):
    """A request that cannot be carried out; the message says what to do instead."""
