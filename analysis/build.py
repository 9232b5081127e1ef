"""``python -m analysis build``: data/raw -> data/processed -> tables, figures, notebooks.

Paths come from :mod:`analysis.paths`; nothing here is imported by the library's cleaning code.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

from . import paths
from .errors import InputError

__all__ = ["build", "build_figures", "clean_raw"]


def _say(message: str) -> None:
    print(message, flush=True)


def clean_raw(raw_dir: Path = paths.RAW, out_dir: Path = paths.PROCESSED) -> list[Path]:
    """Clean every incident table in ``raw_dir`` into ``out_dir``; say what was skipped."""
    from .export import write_outputs
    from .pipeline import clean_incidents
    from .read import read_tables

    incident_files, skipped = [], []
    for path in sorted(p for p in raw_dir.iterdir() if p.suffix.lower() in {".csv", ".xlsx"}):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                read_tables([path])
        except InputError as exc:
            skipped.append((path, str(exc)))
            continue
        incident_files.append(path)
    for path, why in skipped:
        _say(f"  skipped {path.name}: not an incident table ({why.split(': ', 1)[-1]})")
    if not incident_files:
        _say(f"  no incident tables in {raw_dir}")
        return []
    result = clean_incidents(read_tables(incident_files))
    written = write_outputs(result, out_dir)
    _say(f"  cleaned {', '.join(p.name for p in incident_files)}: {result.summary()}")
    return list(written.values())


def build(*, notebooks: bool = True) -> int:
    """Rebuild everything from ``data/raw``; print where the outputs went."""
    start = time.perf_counter()
    _say(f"[1/1] cleaning {paths.RAW} -> {paths.PROCESSED}")
    written = clean_raw()
    for path in written:
        _say(f"  wrote {path.relative_to(paths.ROOT)}")
    _say(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def build_figures() -> int:
    """Rebuild the figures from ``data/processed`` (added with the analysis layer)."""
    _say("no figures are defined yet")
    return 0
