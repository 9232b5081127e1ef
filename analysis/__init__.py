"""Clean hand-coded incident tables and analyse attacks on US and coalition forces in Iraq,
Syria and Jordan after 7 October 2023.

The public API is imported lazily, so ``import analysis`` stays fast and loads no data:

>>> from analysis import read_table, clean_incidents, write_outputs  # doctest: +SKIP
>>> result = clean_incidents(read_table("my_table.xlsx"))            # doctest: +SKIP
>>> result.events, result.quarantine, result.changes                 # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "read_table": "analysis.read",
    "read_tables": "analysis.read",
    "clean_incidents": "analysis.pipeline",
    "CleanResult": "analysis.pipeline",
    "write_outputs": "analysis.export",
    "InputError": "analysis.errors",
    "load_gazetteer": "analysis.reference",
    "load_actors": "analysis.reference",
    "load_countries": "analysis.reference",
    "load_weapons": "analysis.reference",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
