"""``python -m analysis``: see ``python -m analysis --help``."""

from .cli import main

raise SystemExit(main())
