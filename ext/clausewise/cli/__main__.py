"""``python -m clausewise.cli``: the same as the ``clausewise`` command."""

from clausewise.cli.main import main

raise SystemExit(main())
