"""Shared machinery of the cleaning steps: parse each distinct value once, log changed cells.

Hand-coded columns have few distinct values, so every parser here runs once per distinct text and
the column is rebuilt from integer codes. The change log is built the same way: one boolean per
distinct value, broadcast to the rows that hold it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

CHANGE_COLUMNS = ["source_file", "source_sheet", "source_row", "column", "raw_value", "clean_value",
                  "rule", "_pos"]
FLAGS = "flags"
PROBLEM_CODES = "problem_codes"
PROBLEM_MESSAGES = "problem_messages"


def factorize_text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the distinct texts of a column of text (missing counts as "")."""
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    return codes, np.asarray(uniques, dtype=object)


def map_unique(values: pd.Series, func: Callable[[str], Any]) -> tuple[np.ndarray, list[Any]]:
    """Apply ``func`` once per distinct value; return the codes and one result per distinct value."""
    codes, uniques = factorize_text(values)
    return codes, [func(u) for u in uniques]


def take(results: Sequence[Any], codes: np.ndarray, field: int | None = None,
         dtype: Any = object) -> np.ndarray:
    """Broadcast per-distinct results (or one field of result tuples) back to rows."""
    per_unique = results if field is None else [r[field] for r in results]
    arr = np.empty(len(per_unique), dtype=dtype)
    arr[:] = per_unique
    return arr[codes] if len(codes) else arr[:0]


def empty_changes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("source_row", "_pos") else object)
                         for c in CHANGE_COLUMNS})


def log_changes(frame: pd.DataFrame, column: str, codes: np.ndarray, raw_u: Sequence[str],
                clean_u: Sequence[str], rule_u: Sequence[str]) -> pd.DataFrame:
    """Change-log rows for every row whose distinct value has a non-empty rule.

    ``raw_u``, ``clean_u`` and ``rule_u`` are aligned with the distinct values behind ``codes``.
    """
    rule_arr = np.asarray(rule_u, dtype=object)
    changed_u = np.array([bool(r) for r in rule_arr], dtype=bool)
    if not changed_u.any():
        return empty_changes()
    mask = changed_u[codes]
    sub = codes[mask]
    return pd.DataFrame({
        **origin(frame, mask),
        "column": column,
        "raw_value": np.asarray(raw_u, dtype=object)[sub],
        "clean_value": np.asarray(clean_u, dtype=object)[sub],
        "rule": rule_arr[sub],
    })


def origin(frame: pd.DataFrame, mask: np.ndarray) -> dict[str, np.ndarray]:
    """``source_file``, ``source_sheet``, ``source_row`` and the frame position (``_pos``) of the
    rows in ``mask``."""
    sheet = frame["source_sheet"].to_numpy()[mask] if "source_sheet" in frame else ""
    return {"source_file": frame["source_file"].to_numpy()[mask], "source_sheet": sheet,
            "source_row": frame["source_row"].to_numpy()[mask],
            "_pos": frame.index.to_numpy()[mask]}


def append_code(existing: pd.Series, mask: np.ndarray, code: Any) -> pd.Series:
    """Append ``code`` (one text, or one per row) to a ``; ``-joined column where ``mask`` holds."""
    out = existing.to_numpy(dtype=object, copy=True)
    idx = np.flatnonzero(mask)
    if idx.size:
        add = code[idx] if isinstance(code, np.ndarray) else code
        cur = out[idx]
        out[idx] = np.where(cur == "", add, cur + "; " + add)
    return pd.Series(out, index=existing.index, dtype=object)


def flag(frame: pd.DataFrame, mask: np.ndarray, code: str) -> pd.DataFrame:
    """Return ``frame`` with ``code`` added to the ``flags`` of the rows in ``mask``."""
    return frame.assign(**{FLAGS: append_code(frame[FLAGS], mask, code)})


def problem(frame: pd.DataFrame, mask: np.ndarray, code: str, message: Any) -> pd.DataFrame:
    """Return ``frame`` with a quarantine reason (code and message naming the column) on ``mask``."""
    return frame.assign(**{
        PROBLEM_CODES: append_code(frame[PROBLEM_CODES], mask, code),
        PROBLEM_MESSAGES: append_code(frame[PROBLEM_MESSAGES], mask, message),
    })
