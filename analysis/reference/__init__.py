"""Reference knowledge shipped as CSV package data: columns, countries, gazetteer, actors, weapons.

Each ``load_*`` function returns a fresh DataFrame of text. Researchers extend the knowledge by
passing their own frame (for example ``pd.concat([load_gazetteer(), my_sites])``) to the cleaning
functions; nothing here is read at import time.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "cells_as_text",
    "checked_table",
    "load_columns",
    "load_countries",
    "load_gazetteer",
    "load_actors",
    "load_weapons",
    "load_casualty_words",
]


def _load(name: str) -> pd.DataFrame:
    with resources.files(__package__).joinpath(name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, na_filter=False)


def load_columns() -> pd.DataFrame:
    """The codebook's raw columns: ``column``, ``required`` (yes/no), ``synonyms`` (``|``-separated)."""
    return _load("columns.csv")


def load_countries() -> pd.DataFrame:
    """Country aliases: ``alias``, ``iso3``, ``name`` (the standard English name used in output)."""
    return _load("countries.csv")


def load_gazetteer() -> pd.DataFrame:
    """Sites and places: ``site_id``, ``name``, ``country_iso3``, ``admin1``, ``latitude``,
    ``longitude``, ``geo_precision`` and ``aliases`` (``|``-separated spelling variants).

    Coordinates are approximate (about 0.05 degrees); see ``analysis/reference/README.md``.

    Examples
    --------
    >>> g = load_gazetteer()
    >>> g.set_index("site_id").loc["JO-TOWER22", "name"]
    'Tower 22'
    """
    return _load("gazetteer.csv")


def load_actors() -> pd.DataFrame:
    """Actor and target aliases: ``alias``, ``canonical``, ``kind``, ``umbrella``.

    Umbrella names (the Islamic Resistance in Iraq) are canonical names of their own; member groups
    name their umbrella in ``umbrella`` but are never folded into it.
    """
    return _load("actors.csv")


def load_weapons() -> pd.DataFrame:
    """Weapon keywords: ``pattern`` (word or phrase), ``weapon_class``, ``subsumes`` (a class it absorbs)."""
    return _load("weapons.csv")


def load_casualty_words() -> pd.DataFrame:
    """Number words and vague quantities with the low/best/high they are coded as, and the rule name."""
    return _load("casualty_words.csv")


def cells_as_text(values: pd.Series) -> pd.Series:
    """Every cell as the reader gives it: text as it is, a missing cell ``""``, any other
    value its ``str`` (of the value ``astype(object)`` gives); a pandas ``str`` column.

    A text column costs one ``fillna``; a column of one other type (numbers, dates, a
    category) is factorised and each distinct value turned into text once. Only an ``object``
    column mixing text with other values goes cell by cell.

    Examples
    --------
    >>> cells_as_text(pd.Series([1.5, None, -0.0, 0.0])).tolist()
    ['1.5', '', '-0.0', '0.0']
    >>> cells_as_text(pd.Series(["a", 3, None], dtype=object)).tolist()
    ['a', '3', '']
    """
    if values.dtype == object:
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            values = values.where(values.notna().to_numpy(), "")
            return values.map(lambda v: v if isinstance(v, str) else str(v)).astype("str")
        return values.fillna("").astype("str")
    if pd.api.types.is_string_dtype(values.dtype):  # pandas "str" or "string"
        return values.fillna("").astype("str")
    keys = values
    if values.dtype.kind == "f":  # by bits: factorize holds -0.0 and 0.0 equal, str does not
        keys = values.to_numpy(dtype="float64", na_value=np.nan).view("int64")
    codes = pd.factorize(keys)[0]
    codes[values.isna().to_numpy()] = -1  # a missing cell (a NaN's bits are a key like any)
    present, first = np.unique(codes, return_index=True)  # each code's first cell
    table = np.array([str(v) for v in values.iloc[first].astype(object)], dtype=object)
    table[present == -1] = ""
    return pd.Series(table[np.searchsorted(present, codes)], index=values.index, dtype="str")


def checked_table(table: pd.DataFrame, name: str, required: list[str],
                  optional: tuple[str, ...] = (), nonblank: tuple[str, ...] = ()
                  ) -> pd.DataFrame:
    """A researcher's reference table as the steps read it: every cell text (a missing cell
    ``""``, a number its text), ``optional`` columns added blank where absent. A missing
    required column, a column named twice, or a blank cell in a ``nonblank`` column (a blank
    alias would match every blank cell) is an :class:`~analysis.errors.InputError` naming the
    table (and row and column).

    Examples
    --------
    >>> checked_table(pd.DataFrame({"alias": ["kh", None], "canonical": ["KH", "X"]}), "actors",
    ...               ["alias", "canonical"], ("kind",)).values.tolist()
    [['kh', 'KH', ''], ['', 'X', '']]
    >>> checked_table(pd.DataFrame({"alias": ["kh"]}), "actors", ["alias", "canonical"])
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: actors: missing column(s) canonical
    """
    from ..errors import InputError

    if not isinstance(table, pd.DataFrame):
        raise InputError(f"expected a DataFrame, got {type(table).__name__}", file=name)
    twice = sorted({str(c) for c in table.columns[table.columns.duplicated()]})
    if twice:
        raise InputError(f"column(s) named twice: {', '.join(twice)}", file=name)
    missing = [c for c in required if c not in table]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=name)
    out = table.reset_index(drop=True)
    text = {}
    for col in [*required, *optional]:
        if col not in out:
            text[col] = pd.Series("", index=out.index, dtype="str")
            continue
        text[col] = cells_as_text(out[col])
    for col in nonblank:
        blank = np.flatnonzero((text[col].str.strip() == "").to_numpy())
        if blank.size:
            raise InputError("blank, but every row needs one", file=name,
                             row=int(blank[0]) + 1, column=col)
    return out.assign(**text)
