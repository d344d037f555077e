"""clausewise: docs-as-code for an ISO/IEC 20000-1 service management system.

Load it in ``conf.py`` with ``extensions = ["clausewise"]``; it brings in
myst-parser and sphinx-needs and configures them. See
``docs/development/architecture.md`` for the design.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def setup(app: Any) -> dict[str, Any]:
    from pathlib import Path

    from clausewise.sphinxext.events import setup as setup_extension

    metadata = setup_extension(app)
    static = str(Path(__file__).parent / "sphinxext" / "static")

    def add_static(app: Any) -> None:
        if hasattr(app.config, "html_static_path") and static not in app.config.html_static_path:
            app.config.html_static_path.append(static)

    app.connect("builder-inited", add_static)
    return metadata
