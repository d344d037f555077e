"""The ``clausewise`` command."""

from clausewise.cli.main import main

__all__ = ["main"]
