"""Where the repository's folders are. Only the command line, notebooks and save_figure use this."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "RAW", "PROCESSED", "REPORTS", "FIGURES", "NOTEBOOKS", "RENDERED"]

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
REPORTS = ROOT / "reports"
FIGURES = REPORTS / "figures"
NOTEBOOKS = ROOT / "notebooks"
RENDERED = REPORTS / "notebooks"
