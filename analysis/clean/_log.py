"""Shared machinery of the cleaning steps: parse each distinct value once, log changed cells.

Hand-coded columns have few distinct values, so every parser here runs once per distinct text and
the column is rebuilt from integer codes as a pandas ``category`` column: the cleaned value of a
million rows is a million small integers and a handful of texts, never a million Python strings.
The change log is built the same way: one boolean per distinct value, broadcast to the rows that
hold it, and its text columns are categories too.
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
    """Integer codes and the distinct texts of a column of text (missing counts as "").

    A ``category`` column is read from its codes without looking at a single row's text (its
    unused categories are among the distinct texts; that only costs parsing them once)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        uniques = np.asarray(values.cat.categories, dtype=object)
        if (codes < 0).any():  # missing -> "" (the existing "" category, or a new one)
            blank = np.flatnonzero(uniques == "")
            if blank.size:
                codes = np.where(codes < 0, blank[0], codes)
            else:
                codes = np.where(codes < 0, len(uniques), codes)
                uniques = np.append(uniques, "").astype(object)
        return codes.astype(np.intp, copy=False), uniques
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    return codes, np.asarray(uniques, dtype=object)


def map_unique(values: pd.Series, func: Callable[[str], Any]
               ) -> tuple[np.ndarray, list[Any], np.ndarray]:
    """Apply ``func`` once per distinct value; return the codes, one result per distinct value
    and the distinct values themselves."""
    codes, uniques = factorize_text(values)
    return codes, [func(u) for u in uniques], uniques


def take(results: Sequence[Any], codes: np.ndarray, field: int | None = None,
         dtype: Any = object) -> np.ndarray:
    """Broadcast per-distinct results (or one field of result tuples) back to rows."""
    per_unique = results if field is None else [r[field] for r in results]
    arr = np.empty(len(per_unique), dtype=dtype)
    arr[:] = per_unique
    return arr[codes] if len(codes) else arr[:0]


def from_distinct(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    """``pd.Categorical.from_codes`` for ``categories`` already known to be distinct (the
    uniques of a factorize, or event ids made unique). pandas would hash every category again
    to check; for a million event ids that took 0.3 s a time. The codes are still checked."""
    make = getattr(pd.CategoricalDtype, "_from_fastpath", None)  # pandas' own unchecked path
    dtype = make(categories, False) if make else pd.CategoricalDtype(categories, False)
    return pd.Categorical.from_codes(codes, dtype=dtype)


def categorical(values_u: Sequence[str], codes: np.ndarray) -> pd.Categorical:
    """The texts ``values_u[codes]`` as a ``Categorical`` (duplicate texts share a category)."""
    ucodes, cats = pd.factorize(np.asarray(values_u, dtype=object), sort=False)
    codes = np.asarray(codes)
    new = ucodes[codes] if len(codes) else codes.astype(ucodes.dtype)
    return from_distinct(new, pd.Index(cats, dtype="str"))


def text_column(values_u: Sequence[str], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A text column rebuilt from per-distinct values and row codes, as ``category``."""
    return pd.Series(categorical(values_u, codes), index=index)


def as_categorical(values: Any, n: int | None = None) -> pd.Categorical:
    """``values`` (a column, an array or one text repeated ``n`` times) as a ``Categorical``."""
    if isinstance(values, pd.Series):
        values = values.array
    if isinstance(values, pd.Categorical):
        return values
    if isinstance(values, str):
        return pd.Categorical.from_codes(np.zeros(n or 0, dtype="int8"),
                                         categories=pd.Index([values], dtype="str"))
    codes, uniques = pd.factorize(np.asarray(values, dtype=object) if not isinstance(
        values, pd.api.extensions.ExtensionArray) else values, sort=False)
    uniques = np.asarray(uniques, dtype=object)
    if (codes < 0).any():  # missing -> "" (the existing "" value, or a new one)
        blank = np.flatnonzero(uniques == "")
        if not blank.size:
            uniques = np.append(uniques, "")
        codes = np.where(codes < 0, blank[0] if blank.size else len(uniques) - 1, codes)
    return from_distinct(codes, pd.Index(uniques, dtype="str"))


_CHANGE_TEXT = ["source_file", "source_sheet", "column", "raw_value", "clean_value", "rule"]


def empty_changes() -> pd.DataFrame:
    """A change log with no rows (a copy of one built once: every step of every clean asks for
    it, and building it takes milliseconds)."""
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("source_row", "_pos")
                                            else "category") for c in CHANGE_COLUMNS})
    return _EMPTY.copy()


_EMPTY: pd.DataFrame | None = None


def changes_frame(columns: dict[str, Any], n: int) -> pd.DataFrame:
    """A change-log frame of ``n`` rows: text columns as categories, numbers as int64."""
    data = {}
    for c in CHANGE_COLUMNS:
        v = columns.get(c, "")
        if c in _CHANGE_TEXT:
            data[c] = as_categorical(v, n)
        else:
            data[c] = np.asarray(v, dtype="int64")
    return pd.DataFrame(data)


def concat_changes(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Stack change-log frames, keeping every text column a category (their categories are
    united instead of falling back to one Python string per row)."""
    from pandas.api.types import union_categoricals

    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_changes()
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    data = {}
    for c in frames[0].columns:
        if c in _CHANGE_TEXT:
            data[c] = union_categoricals([as_categorical(f[c]) for f in frames])
        else:
            data[c] = np.concatenate([f[c].to_numpy() for f in frames])
    return pd.DataFrame(data)


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
    # only the changed distinct values become categories
    keep = np.flatnonzero(changed_u)
    local = np.full(len(changed_u), -1, dtype=np.intp)
    local[keep] = np.arange(len(keep))
    sub = local[sub]
    return changes_frame({
        **origin(frame, mask),
        "column": column,
        "raw_value": categorical(np.asarray(raw_u, dtype=object)[keep], sub),
        "clean_value": categorical(np.asarray(clean_u, dtype=object)[keep], sub),
        "rule": categorical(rule_arr[keep], sub),
    }, int(mask.sum()))


def origin(frame: pd.DataFrame, mask: np.ndarray) -> dict[str, Any]:
    """``source_file``, ``source_sheet``, ``source_row`` and the frame position (``_pos``) of the
    rows in ``mask``."""
    sheet = frame["source_sheet"].array[mask] if "source_sheet" in frame else ""
    return {"source_file": frame["source_file"].array[mask], "source_sheet": sheet,
            "source_row": frame["source_row"].to_numpy()[mask],
            "_pos": frame.index.to_numpy()[mask]}


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for integers: the same two arrays, but for
    non-negative values in a small range (pairs of codes) found with a lookup table instead of
    a sort (a million values: a few milliseconds instead of about 0.1 s)."""
    values = np.asarray(values)
    if not len(values) or values.min() < 0 or values.max() >= max(4 * len(values), 1 << 16):
        uniques, inverse = np.unique(values, return_inverse=True)
        return uniques, inverse.reshape(-1)
    present = np.zeros(int(values.max()) + 1, dtype=bool)
    present[values] = True
    number = np.cumsum(present) - 1  # each present value's place among them
    return np.flatnonzero(present).astype(values.dtype), number[values]


def append_code(existing: pd.Series, mask: np.ndarray, code: Any) -> pd.Series:
    """Append ``code`` (one text, or one per row) to a ``; ``-joined column where ``mask`` holds.

    Works on the column's distinct values: each (current text, added code) pair is joined once.
    The result is a ``category`` column."""
    codes, cats = factorize_text(existing)
    idx = np.flatnonzero(mask)
    if not idx.size:
        return existing if isinstance(existing.dtype, pd.CategoricalDtype) else text_column(
            cats, codes, existing.index)
    if isinstance(code, np.ndarray):
        add_codes, add_u = pd.factorize(np.asarray(code[idx], dtype=object), sort=False)
        add_u = np.asarray(add_u, dtype=object)
    else:
        add_codes, add_u = np.zeros(idx.size, dtype=np.intp), np.array([code], dtype=object)
    pair = codes[idx].astype("int64") * len(add_u) + add_codes
    pairs, inverse = unique_inverse(pair)
    joined = []
    for p in pairs:
        cur, add = cats[p // len(add_u)], add_u[p % len(add_u)]
        joined.append(add if cur == "" else f"{cur}; {add}")
    new_codes = codes.copy()
    new_codes[idx] = len(cats) + inverse
    return text_column(np.concatenate([cats, np.asarray(joined, dtype=object)]), new_codes,
                       existing.index)


def flag(frame: pd.DataFrame, mask: np.ndarray, code: str) -> pd.DataFrame:
    """Return ``frame`` with ``code`` added to the ``flags`` of the rows in ``mask``."""
    return frame.assign(**{FLAGS: append_code(frame[FLAGS], mask, code)})


def problem(frame: pd.DataFrame, mask: np.ndarray, code: str, message: Any) -> pd.DataFrame:
    """Return ``frame`` with a quarantine reason (code and message naming the column) on ``mask``."""
    return frame.assign(**{
        PROBLEM_CODES: append_code(frame[PROBLEM_CODES], mask, code),
        PROBLEM_MESSAGES: append_code(frame[PROBLEM_MESSAGES], mask, message),
    })
