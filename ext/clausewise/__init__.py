"""clausewise: docs-as-code for an ISO/IEC 20000-1 service management system.

Load it in ``conf.py`` with ``extensions = ["clausewise"]``; it brings in
myst-parser and sphinx-needs and configures them. See
``docs/development/architecture.md`` for the design and the layers, from the
bottom: ``core``; ``rules`` and ``sources``; ``pipeline``, ``outputs`` and
``authoring``; ``sphinxext``; ``cli``.
"""

from __future__ import annotations

from typing import Any

from clausewise._version import __version__

__all__ = ["__version__", "setup"]


def setup(app: Any) -> dict[str, Any]:
    # imported here so that `import clausewise` (the CLI, the pure layers) loads no Sphinx
    from clausewise.sphinxext.extension import setup as setup_extension

    return setup_extension(app)
