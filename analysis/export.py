"""Write the clean outputs: CSV safe to open in a spreadsheet, parquet with the true values.

Every CSV the project writes escapes a text cell that begins with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return by prefixing a single quote (OWASP's guidance on CSV injection), so
that a spreadsheet shows it as text instead of running it as a formula. Parquet files keep the
values unchanged. Dates are written as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["escape_formulas", "write_csv", "write_outputs"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells a spreadsheet would read as a formula.

    Examples
    --------
    >>> escape_formulas(pd.DataFrame({"a": ["=1+1", "ok", "-3 killed"]}))["a"].tolist()
    ["'=1+1", 'ok', "'-3 killed"]
    """
    out = {}
    for col in frame.columns:
        s = frame[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            text = s.astype(object)
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(_TRIGGERS)).to_numpy(
                bool)
            if risky.any():
                values = text.to_numpy(object, copy=True)
                values[risky] = np.array(["'" + v for v in values[risky]], dtype=object)
                s = pd.Series(values, index=frame.index, name=col)
        out[col] = s
    return pd.DataFrame(out, index=frame.index)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as UTF-8 CSV with formula-like cells escaped and ISO dates."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    escape_formulas(frame).to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return path


def write_outputs(result, out_dir: str | Path) -> dict[str, Path]:
    """Write ``events.csv``, ``events.parquet``, ``quarantine.csv`` and ``changes.csv``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "events.csv": write_csv(result.events, out / "events.csv"),
        "quarantine.csv": write_csv(result.quarantine, out / "quarantine.csv"),
        "changes.csv": write_csv(result.changes, out / "changes.csv"),
    }
    parquet = out / "events.parquet"
    result.events.to_parquet(parquet, index=False)
    paths["events.parquet"] = parquet
    return paths
