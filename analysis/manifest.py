"""``data/raw/MANIFEST``: a SHA-256 per raw data file, so a changed raw file cannot slip by.

The build verifies it first and stops, naming every file that differs, when a raw file changed
without the manifest being updated on purpose with ``python -m analysis manifest --update``
(the one command that writes inside ``data/raw``, and only this file).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import InputError

__all__ = ["compute_manifest", "read_manifest", "write_manifest", "verify_manifest",
           "MANIFEST_NAME"]

MANIFEST_NAME = "MANIFEST"
_DATA_SUFFIXES = {".csv", ".xlsx", ".tsv", ".txt", ".json", ".parquet"}


def compute_manifest(raw_dir: str | Path) -> dict[str, str]:
    """SHA-256 of every data file directly in ``raw_dir``, by file name."""
    raw = Path(raw_dir)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(raw.iterdir())
            if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES}


def read_manifest(raw_dir: str | Path) -> dict[str, str]:
    """The recorded hashes (``sha256  name`` lines, as ``sha256sum`` writes them)."""
    path = Path(raw_dir) / MANIFEST_NAME
    if not path.exists():
        raise InputError("no MANIFEST; create it on purpose with "
                         "`python -m analysis manifest --update`", file=str(path))
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise InputError("not a 'sha256  name' line", file=str(path), row=n)
        out[name] = digest
    return out


def write_manifest(raw_dir: str | Path) -> Path:
    """Record the current hashes (run on purpose, after a deliberate change to the raw data)."""
    path = Path(raw_dir) / MANIFEST_NAME
    lines = [f"{digest}  {name}" for name, digest in compute_manifest(raw_dir).items()]
    header = "# SHA-256 of every raw data file; update with: python -m analysis manifest --update"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def verify_manifest(raw_dir: str | Path) -> list[str]:
    """Raise :class:`InputError` naming every file that changed, appeared or disappeared.

    Returns the verified file names.
    """
    recorded, current = read_manifest(raw_dir), compute_manifest(raw_dir)
    problems = [f"{n} changed" for n in sorted(recorded.keys() & current.keys())
                if recorded[n] != current[n]]
    problems += [f"{n} is new" for n in sorted(current.keys() - recorded.keys())]
    problems += [f"{n} is missing" for n in sorted(recorded.keys() - current.keys())]
    if problems:
        raise InputError(f"raw data differ from MANIFEST ({'; '.join(problems)}); raw data are "
                         "never edited by code. If the change is on purpose, record it with "
                         "`python -m analysis manifest --update`",
                         file=str(Path(raw_dir) / MANIFEST_NAME))
    return sorted(current)
