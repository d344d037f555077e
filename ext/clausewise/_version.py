"""The version of clausewise: one place, read by the package and by its Sphinx setup."""

__version__ = "0.1.0"
